// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Cortex-M3 core, on the Unicorn engine (2.0, M-class Thumb).
 *
 * What the core sees:
 *   flash      vb->flash at 0x08000000, and at 0 when BOOT0 was low at the
 *              last reset; read and executed directly. Its stores are taken
 *              back and go to the flash controller (vb_bus_write) once the
 *              instruction completes, so the FPEC rules apply.
 *   sysmem     vb->sysmem at 0x1FFFF000 (2 KB), and at 0 when BOOT0 was high
 *   SRAM       vb->sram at 0x20000000
 *   the rest   option bytes, the SRAM bit-band alias, the peripherals
 *              (0x40000000-0x5FFFFFFF) and the PPB (0xE0000000-0xE00FFFFF):
 *              vb_bus_read/vb_bus_write as master VB_CPU
 *
 * Time: one instruction per cycle at vb->set.cpu_hz. The core keeps its own
 * time and runs up to vb->now_ps when the board's clock moves. A flash
 * write that finds the flash busy, or starts an operation, stalls the core
 * until the flash is done (its time may run ahead of the board's; it then
 * waits), and so does fetching from flash while it is busy.
 *
 * Debug: halt, resume, step and the core registers by DCRSR number; BKPT and
 * the FPB's code comparators halt it (vb_scs.c decides). Exceptions are not
 * modeled: a fault (bus error, undefined instruction, SVC...) halts the
 * core when the debugger catches HardFault (DEMCR.VC_HARDERR), else it
 * locks up, PC at the instruction. A core reset whose vector table is erased
 * or points outside executable memory locks up at once. WFI sleeps until a
 * debugger halts the core. Same inputs, same instruction counts.
 */
#include <stdlib.h>
#include <string.h>

#include <unicorn/unicorn.h>

#include "vb.h"

#define PS_PER_S      1000000000000ull
#define SYSMEM_SIZE   0x800u
#define OPT_PAGE      0x1FFFF800u /* the option bytes' 2 KB: MMIO */
#define OPT_PAGE_SIZE 0x800u
#define SRAM_BB_BASE  0x22000000u
#define PERIPH_BASE   0x40000000u
#define PERIPH_SIZE   0x20000000u
#define PPB_SIZE      0x00100000u

#define XPSR_T	   (1u << 24)
#define XPSR_EXC   0x1FFu
#define CTRL_NPRIV 0x1u

/* QEMU's exception number for BKPT, as UC_HOOK_INTR reports it */
#define EXCP_BKPT 7

/* Thumb hints (0xBF<h>0, or 0xF3AF 0x800<h>): Unicorn stops on YIELD and
 * WFE as if they were undefined, and on WFI */
#define HINT_YIELD 1
#define HINT_WFE   2
#define HINT_WFI   3
#define HINT_SEV   4

#define NQUEUE	 32 /* stores one instruction makes (STM: 16) */
#define NREGIONS 4

/* Resets asked for while the core runs, done after the instruction */
enum reset_req {
	REQ_NONE,
	REQ_CORE,   /* VECTRESET: the core and the SCS */
	REQ_SYSTEM, /* SYSRESETREQ: vb_system_reset */
	REQ_APPLY,  /* vb_cpu_reset ran: load the registers and the alias */
};

struct vb_region {
	struct vb_cpu *c;
	uint32_t base;
};

/* A store waiting for the bus */
struct vb_store {
	uint32_t addr;
	unsigned size;
	uint32_t val;
};

/* The bytes of vb->flash a store to flash overwrote, to put back */
struct vb_undo {
	uint32_t off;
	unsigned size;
	uint8_t old[8];
};

struct vb_cpu {
	struct vb *vb;
	uc_engine *uc;
	struct vb_region region[NREGIONS];
	uint32_t alias_size; /* mapped at 0 (0: nothing) */

	bool halted, locked, sleeping;

	/* the core's time: t0 + cyc cycles */
	uint64_t t0, cyc;

	/* one uc_emu_start */
	bool running;
	bool stop_req; /* stop before the next instruction */
	bool stopping; /* the code hook stopped at stop_pc */
	bool abort;    /* an access failed: the instruction did not complete */
	bool bus_fault, read_stall;
	bool exc, invalid;
	uint32_t exc_no;
	bool fpb_hit;
	uint32_t stop_pc, last_pc;
	uint32_t reset_sp, reset_pc;
	uint64_t budget, ran;
	int reset_req; /* enum reset_req */

	struct vb_store q[NQUEUE];
	unsigned nq;
	struct vb_undo undo[NQUEUE];
	unsigned nundo;
	bool overflow;
	bool flash_dirty;
	bool flash_code;    /* code below SRAM was translated */
	bool flash_blocked; /* readout protection keeps the core out */
	uint64_t flash_ops;
	uint64_t busy_seen;
};

/* registers ------------------------------------------------------------- */

static uint32_t rd(struct vb_cpu *c, int reg)
{
	uint32_t v = 0;

	uc_reg_read(c->uc, reg, &v);
	return v;
}

static void wr(struct vb_cpu *c, int reg, uint32_t v)
{
	uc_reg_write(c->uc, reg, &v);
}

/* QEMU caches the mode (handler, privilege) it translates for; a write of
 * the flags through Unicorn recomputes it after xPSR or CONTROL changed. */
static void rebuild_flags(struct vb_cpu *c)
{
	wr(c, UC_ARM_REG_APSR_NZCV, rd(c, UC_ARM_REG_APSR_NZCV));
}

/*
 * The debugger reads and writes the special registers whatever the core's
 * privilege; QEMU's MRS/MSR do not let unprivileged Thread mode touch
 * them. Make the core privileged for a moment: in Handler mode CONTROL.nPRIV
 * can be cleared without touching SPSEL. True when nPRIV was set.
 */
static bool priv_enter(struct vb_cpu *c)
{
	uint32_t ctrl = rd(c, UC_ARM_REG_CONTROL);
	uint32_t xpsr = rd(c, UC_ARM_REG_XPSR);

	if (!(ctrl & CTRL_NPRIV) || (xpsr & XPSR_EXC))
		return false;
	wr(c, UC_ARM_REG_XPSR, xpsr | 1);
	wr(c, UC_ARM_REG_CONTROL, ctrl & ~CTRL_NPRIV);
	wr(c, UC_ARM_REG_XPSR, xpsr);
	return true;
}

static void priv_leave(struct vb_cpu *c, bool was_unpriv)
{
	if (was_unpriv)
		wr(c, UC_ARM_REG_CONTROL,
		   rd(c, UC_ARM_REG_CONTROL) | CTRL_NPRIV);
	rebuild_flags(c);
}

static uint32_t pc_of(struct vb_cpu *c)
{
	return rd(c, UC_ARM_REG_PC) & ~1u;
}

int vb_cpu_reg_read(struct vb *vb, unsigned regsel, uint32_t *val)
{
	struct vb_cpu *c = vb->cpu;
	bool p;

	*val = 0;
	if (regsel <= 12) {
		*val = rd(c, UC_ARM_REG_R0 + (int)regsel);
		return 0;
	}
	switch (regsel) {
	case 13:
		*val = rd(c, UC_ARM_REG_SP);
		return 0;
	case 14:
		*val = rd(c, UC_ARM_REG_LR);
		return 0;
	case 15:
		*val = pc_of(c);
		return 0;
	case 16:
		*val = rd(c, UC_ARM_REG_XPSR);
		return 0;
	case 17:
	case 18:
	case 20:
		break;
	default:
		return -1;
	}
	p = priv_enter(c);
	if (regsel == 17)
		*val = rd(c, UC_ARM_REG_MSP);
	else if (regsel == 18)
		*val = rd(c, UC_ARM_REG_PSP);
	else
		*val = (rd(c, UC_ARM_REG_CONTROL) & 0xFF) << 24 |
		       (rd(c, UC_ARM_REG_FAULTMASK) & 0xFF) << 16 |
		       (rd(c, UC_ARM_REG_BASEPRI) & 0xFF) << 8 |
		       (rd(c, UC_ARM_REG_PRIMASK) & 0xFF);
	priv_leave(c, p);
	if (p && regsel == 20)
		*val |= CTRL_NPRIV << 24;
	return 0;
}

int vb_cpu_reg_write(struct vb *vb, unsigned regsel, uint32_t val)
{
	struct vb_cpu *c = vb->cpu;
	bool p;

	if (regsel <= 12) {
		wr(c, UC_ARM_REG_R0 + (int)regsel, val);
		return 0;
	}
	switch (regsel) {
	case 13:
		wr(c, UC_ARM_REG_SP, val & ~3u);
		return 0;
	case 14:
		wr(c, UC_ARM_REG_LR, val);
		return 0;
	case 15:
		/* the Thumb bit is EPSR.T, written with xPSR */
		wr(c, UC_ARM_REG_PC,
		   (val & ~1u) | !!(rd(c, UC_ARM_REG_XPSR) & XPSR_T));
		return 0;
	case 16:
		wr(c, UC_ARM_REG_XPSR, val);
		rebuild_flags(c);
		return 0;
	case 17:
	case 18:
	case 20:
		break;
	default:
		return -1;
	}
	p = priv_enter(c);
	if (regsel == 17) {
		wr(c, UC_ARM_REG_MSP, val & ~3u);
	} else if (regsel == 18) {
		wr(c, UC_ARM_REG_PSP, val & ~3u);
	} else {
		wr(c, UC_ARM_REG_PRIMASK, val & 1);
		wr(c, UC_ARM_REG_BASEPRI, val >> 8 & 0xFF);
		wr(c, UC_ARM_REG_FAULTMASK, val >> 16 & 1);
		wr(c, UC_ARM_REG_CONTROL, val >> 24 & 3);
		p = false; /* CONTROL.nPRIV is as written */
	}
	priv_leave(c, p);
	return 0;
}

/* time ------------------------------------------------------------------ */

static uint64_t core_time(const struct vb_cpu *c)
{
	return c->t0 + (uint64_t)((unsigned __int128)c->cyc * PS_PER_S /
				  c->vb->set.cpu_hz);
}

/* Cycles from t0 that end by t. */
static uint64_t cycles_by(const struct vb_cpu *c, uint64_t t)
{
	if (t <= c->t0)
		return 0;
	return (uint64_t)((unsigned __int128)(t - c->t0) * c->vb->set.cpu_hz /
			  PS_PER_S);
}

/* The core does nothing until t: it waits (halted, asleep: its time
 * follows the board's) or is stalled on the bus (it may get ahead). */
static void wait_until(struct vb_cpu *c, uint64_t t)
{
	if (core_time(c) < t) {
		c->t0 = t;
		c->cyc = 0;
	}
}

/* One cycle after the board's now: a stall that names no end. */
static uint64_t next_cycle(const struct vb_cpu *c)
{
	return c->vb->now_ps + PS_PER_S / c->vb->set.cpu_hz + 1;
}

/* memory ---------------------------------------------------------------- */

/*
 * Translated code goes stale when memory changes behind Unicorn's back (the
 * debugger writes SRAM, the flash controller programs). Forget it by range:
 * a full TB flush costs Unicorn hundreds of milliseconds.
 */
static void forget(struct vb_cpu *c, uint32_t base, uint32_t size)
{
	if (size)
		uc_ctl_remove_cache(c->uc, (uint64_t)base,
				    (uint64_t)base + size);
}

static void forget_flash_code(struct vb_cpu *c)
{
	struct vb *vb = c->vb;

	c->flash_dirty = false;
	if (!c->flash_code)
		return;
	forget(c, VB_FLASH_BASE, vb->chip.flash_size);
	forget(c, 0, c->alias_size);
	forget(c, VB_SYSMEM_BASE, SYSMEM_SIZE);
	c->flash_code = false;
}

static void forget_code(struct vb_cpu *c)
{
	if (c->running)
		return;
	forget_flash_code(c);
	forget(c, VB_SRAM_BASE, c->vb->chip.ram_size);
}

static bool in_flash(const struct vb_cpu *c, uint32_t addr)
{
	const struct vb *vb = c->vb;

	if (addr - VB_FLASH_BASE < vb->chip.flash_size)
		return true;
	return !vb->boot0 && addr < c->alias_size;
}

/* Memory the core executes from (the alias as BOOT0 now selects it). */
static bool executable(const struct vb_cpu *c, uint32_t addr)
{
	const struct vb *vb = c->vb;

	return addr < (vb->boot0 ? SYSMEM_SIZE : vb->chip.flash_size) ||
	       addr - VB_FLASH_BASE < vb->chip.flash_size ||
	       addr - VB_SYSMEM_BASE < SYSMEM_SIZE ||
	       addr - VB_SRAM_BASE < vb->chip.ram_size;
}

/*
 * Readout protection keeps the core out of the flash when a debugger is
 * attached (C_DEBUGEN) or the chip booted from system memory (RM0008
 * §2.3.4): its reads and fetches fault.
 */
static bool rdp_blocks(const struct vb_cpu *c)
{
	const struct vb *vb = c->vb;

	return vb_flash_rdp(vb) && (vb_scs_debugen(vb) || vb->boot0);
}

static void protect_flash(struct vb_cpu *c, bool block)
{
	struct vb *vb = c->vb;
	uint32_t perms = block ? UC_PROT_NONE : UC_PROT_ALL;

	if (block == c->flash_blocked)
		return;
	if (block) /* code already translated would run on */
		forget_flash_code(c);
	uc_mem_protect(c->uc, VB_FLASH_BASE, vb->chip.flash_size, perms);
	if (c->alias_size && !vb->boot0)
		uc_mem_protect(c->uc, 0, c->alias_size, perms);
	c->flash_blocked = block;
}

/* Map the boot memory BOOT0 selects at 0. */
static void map_alias(struct vb_cpu *c)
{
	struct vb *vb = c->vb;

	if (c->alias_size) {
		forget(c, 0, c->alias_size);
		uc_mem_unmap(c->uc, 0, c->alias_size);
	}
	c->alias_size = 0;
	if (vb->boot0) {
		if (!uc_mem_map_ptr(c->uc, 0, SYSMEM_SIZE,
				    UC_PROT_READ | UC_PROT_EXEC, vb->sysmem))
			c->alias_size = SYSMEM_SIZE;
	} else {
		if (!uc_mem_map_ptr(c->uc, 0, vb->chip.flash_size,
				    c->flash_blocked ? UC_PROT_NONE
						     : UC_PROT_ALL,
				    vb->flash))
			c->alias_size = vb->chip.flash_size;
	}
}

static void queue_store(struct vb_cpu *c, uint32_t addr, unsigned size,
			uint32_t val)
{
	if (c->nq == NQUEUE) {
		c->overflow = true;
		return;
	}
	c->q[c->nq++] = (struct vb_store){addr, size, val};
	c->stop_req = true;
}

/* A store to flash (or its alias): the bytes land in vb->flash before the
 * flash controller has had its say. Note them to put back, queue the store
 * for the bus, and stop after this instruction. */
static void on_flash_store(uc_engine *uc, uc_mem_type type, uint64_t addr,
			   int size, int64_t value, void *data)
{
	struct vb_cpu *c = data;
	struct vb *vb = c->vb;
	uint32_t a = (uint32_t)addr, off;
	struct vb_undo *u;

	(void)uc;
	(void)type;
	if (a < VB_FLASH_BASE) {
		if (vb->boot0 || a >= c->alias_size)
			return; /* sysmem: the write faults */
		off = a;
	} else {
		off = a - VB_FLASH_BASE;
		if (off >= vb->chip.flash_size)
			return;
	}
	if (c->nundo == NQUEUE || size < 1 || size > 8) {
		c->overflow = true;
		return;
	}
	u = &c->undo[c->nundo++];
	u->off = off;
	u->size = (unsigned)size;
	if (u->size > vb->chip.flash_size - off)
		u->size = vb->chip.flash_size - off;
	memcpy(u->old, vb->flash + off, u->size);
	if (size == 8) {
		queue_store(c, VB_FLASH_BASE + off, 4, (uint32_t)value);
		queue_store(c, VB_FLASH_BASE + off + 4, 4,
			    (uint32_t)((uint64_t)value >> 32));
	} else {
		queue_store(c, VB_FLASH_BASE + off, (unsigned)size,
			    (uint32_t)value);
	}
}

static void undo_flash_stores(struct vb_cpu *c)
{
	while (c->nundo) {
		struct vb_undo *u = &c->undo[--c->nundo];

		memcpy(c->vb->flash + u->off, u->old, u->size);
	}
}

/* The access failed: abandon the instruction (it runs again later, or the
 * core faults). */
static void abort_insn(struct vb_cpu *c, int ret)
{
	if (ret == VB_STALL)
		c->read_stall = true;
	else
		c->bus_fault = true;
	c->abort = true;
	uc_emu_stop(c->uc);
}

static uint64_t on_mmio_read(uc_engine *uc, uint64_t off, unsigned size,
			     void *data)
{
	struct vb_region *r = data;
	struct vb_cpu *c = r->c;
	uint32_t val = 0;
	int ret;

	(void)uc;
	if (c->abort)
		return 0;
	ret = vb_bus_read(c->vb, VB_CPU, r->base + (uint32_t)off, size, &val);
	if (ret != VB_OK)
		abort_insn(c, ret);
	return val;
}

static void on_mmio_write(uc_engine *uc, uint64_t off, unsigned size,
			  uint64_t value, void *data)
{
	struct vb_region *r = data;
	struct vb_cpu *c = r->c;
	struct vb *vb = c->vb;
	uint32_t addr = r->base + (uint32_t)off;
	int ret;

	(void)uc;
	if (c->abort)
		return;
	if (c->nq) { /* keep the order of the stores */
		queue_store(c, addr, size, (uint32_t)value);
		return;
	}
	ret = vb_bus_write(vb, VB_CPU, addr, size, (uint32_t)value);
	if (ret == VB_STALL) {
		queue_store(c, addr, size, (uint32_t)value);
	} else if (ret != VB_OK) {
		abort_insn(c, ret);
	} else if (vb_flash_busy_until(vb) > vb->now_ps) {
		c->stop_req = true; /* the flash went busy: fetches stall */
	}
}

/* Each instruction, before it executes: count it, or stop before it. */
static void on_insn(uc_engine *uc, uint64_t addr, uint32_t size, void *data)
{
	struct vb_cpu *c = data;

	(void)size;
	if (c->stopping) {
		/* inside an IT block Unicorn does not stop: it runs */
		c->ran++;
		return;
	}
	if (addr < VB_SRAM_BASE)
		c->flash_code = true; /* flash, its alias, system memory */
	if (c->stop_req || c->ran >= c->budget)
		goto stop;
	if (vb_scs_fpb_match(c->vb, (uint32_t)addr)) {
		c->fpb_hit = true;
		goto stop;
	}
	c->last_pc = (uint32_t)addr;
	c->ran++;
	return;
stop:
	c->stopping = true;
	c->stop_pc = (uint32_t)addr;
	uc_emu_stop(uc);
}

static void on_intr(uc_engine *uc, uint32_t intno, void *data)
{
	struct vb_cpu *c = data;

	c->exc = true;
	c->exc_no = intno;
	uc_emu_stop(uc);
}

static bool on_invalid(uc_engine *uc, void *data)
{
	struct vb_cpu *c = data;

	(void)uc;
	c->invalid = true;
	return true; /* decided after the run: a hint, or undefined */
}

/* The instruction before pc is the hint h, 16- or 32-bit. */
static bool after_hint(struct vb_cpu *c, uint32_t pc, unsigned h)
{
	uint16_t w[2];

	if (pc < 4 || !executable(c, pc - 4) || !executable(c, pc - 1))
		return false;
	if (!uc_mem_read(c->uc, pc - 2, w, 2) && w[0] == (0xBF00u | h << 4))
		return true;
	return !uc_mem_read(c->uc, pc - 4, w, 4) && w[0] == 0xF3AFu &&
	       w[1] == (0x8000u | h);
}

/* YIELD, WFE (no event to wait for here) and SEV do nothing. */
static bool after_nop_hint(struct vb_cpu *c, uint32_t pc)
{
	return after_hint(c, pc, HINT_YIELD) || after_hint(c, pc, HINT_WFE) ||
	       after_hint(c, pc, HINT_SEV);
}

static void lock_up(struct vb_cpu *c)
{
	c->locked = true;
	c->sleeping = false;
	c->nq = 0;
}

static void fault(struct vb_cpu *c)
{
	vb_scs_hardfault(c->vb);
	if (!c->halted)
		lock_up(c);
}

/* Hand the queued stores to the bus, in order, as far as it takes them. */
static void drain(struct vb_cpu *c)
{
	struct vb *vb = c->vb;
	uint64_t busy;
	int ret;

	while (c->nq) {
		struct vb_store s = c->q[0];

		ret = vb_bus_write(vb, VB_CPU, s.addr, s.size, s.val);
		busy = vb_flash_busy_until(vb);
		if (ret == VB_STALL) {
			wait_until(c, busy > vb->now_ps ? busy : next_cycle(c));
			break;
		}
		memmove(c->q, c->q + 1, --c->nq * sizeof(c->q[0]));
		if (in_flash(c, s.addr))
			c->flash_dirty = true;
		if (ret != VB_OK) {
			fault(c);
			break;
		}
		if (busy > vb->now_ps &&
		    (in_flash(c, s.addr) || in_flash(c, pc_of(c)))) {
			wait_until(c, busy);
			break;
		}
	}
	if (c->flash_dirty)
		forget_flash_code(c);
}

static void load_reset_state(struct vb_cpu *c);

static void do_reset_request(struct vb_cpu *c, int req)
{
	struct vb *vb = c->vb;

	if (req == REQ_SYSTEM) {
		vb_system_reset(vb);
	} else if (req == REQ_CORE) {
		vb_cpu_reset(vb);
		vb_scs_system_reset(vb);
	} else if (req == REQ_APPLY) {
		load_reset_state(c);
	}
}

/* Run up to budget instructions now. */
static void run(struct vb_cpu *c, uint64_t budget)
{
	struct vb *vb = c->vb;
	uint32_t pc = pc_of(c), xpsr = rd(c, UC_ARM_REG_XPSR);
	bool hint = false;
	uc_err err;
	int req;

	protect_flash(c, rdp_blocks(c));
	c->budget = budget;
	c->ran = 0;
	c->stop_req = c->stopping = c->abort = false;
	c->bus_fault = c->read_stall = c->exc = c->invalid = false;
	c->fpb_hit = false;
	c->overflow = false;
	c->last_pc = c->stop_pc = 0xFFFFFFFFu;
	c->running = true;
	err = uc_emu_start(c->uc, pc | !!(xpsr & XPSR_T), 0, 0, 0);
	c->running = false;

	pc = pc_of(c);
	if (c->stopping && pc != c->stop_pc)
		c->ran++; /* it stopped after an IT block */
	if (c->invalid && !err)
		hint = after_nop_hint(c, pc);
	if ((c->abort || c->exc || err || (c->invalid && !hint)) &&
	    pc == c->last_pc && c->ran)
		c->ran--; /* the last instruction did not complete */
	vb->st.cpu_instructions += c->ran;
	undo_flash_stores(c);

	req = c->reset_req;
	c->reset_req = REQ_NONE;
	if (req) { /* the core's time starts again at the reset */
		c->nq = 0;
		do_reset_request(c, req);
		return;
	}
	c->cyc += c->ran;
	if (err || c->bus_fault || c->overflow || (c->invalid && !hint) ||
	    (c->exc && c->exc_no != EXCP_BKPT)) {
		fault(c);
	} else if (c->exc || c->fpb_hit) {
		vb_scs_bkpt(vb);
		if (!c->halted)
			lock_up(c);
	} else if (c->read_stall) {
		uint64_t busy = vb_flash_busy_until(vb);

		wait_until(c, busy > vb->now_ps ? busy : next_cycle(c));
	} else if (!c->stopping && !c->invalid && !c->halted &&
		   after_hint(c, pc, HINT_WFI)) {
		c->sleeping = true;
	}
	if (c->nq && !c->locked)
		drain(c);
}

/* Flash contents the core may have translated changed behind its back. */
static void watch_flash(struct vb_cpu *c)
{
	struct vb *vb = c->vb;
	uint64_t busy = vb_flash_busy_until(vb);

	if (vb->flash_ops != c->flash_ops || (c->busy_seen && !busy)) {
		c->flash_ops = vb->flash_ops;
		forget_flash_code(c);
	}
	c->busy_seen = busy;
}

void vb_cpu_catch_up(struct vb *vb)
{
	struct vb_cpu *c = vb->cpu;
	uint64_t now, busy, k;

	if (!c || c->running || !vb->powered || vb->in_reset || !vb->set.cpu_hz)
		return;
	watch_flash(c);
	for (;;) {
		now = vb->now_ps;
		if (core_time(c) > now)
			return; /* stalled ahead of the board */
		if (c->nq) {
			drain(c);
			if (c->nq)
				continue;
		}
		if (c->halted || c->locked || c->sleeping) {
			wait_until(c, now);
			return;
		}
		busy = vb_flash_busy_until(vb);
		if (busy > now && in_flash(c, pc_of(c))) {
			wait_until(c, busy);
			return;
		}
		k = cycles_by(c, now);
		if (k <= c->cyc)
			return;
		run(c, k - c->cyc);
		if (!c->ran && !c->halted && !c->locked && !c->sleeping &&
		    !c->nq && core_time(c) <= now)
			return; /* no progress: try again later */
	}
}

/* debug ----------------------------------------------------------------- */

bool vb_cpu_halted(const struct vb *vb)
{
	return vb->cpu->halted;
}

bool vb_cpu_locked(const struct vb *vb)
{
	return vb->cpu->locked;
}

bool vb_cpu_sleeping(const struct vb *vb)
{
	return vb->cpu->sleeping;
}

void vb_cpu_halt(struct vb *vb, uint32_t dfsr)
{
	struct vb_cpu *c = vb->cpu;

	c->halted = true;
	c->locked = false;
	c->sleeping = false;
	if (c->running)
		c->stop_req = true;
	vb_scs_halted(vb, dfsr);
}

void vb_cpu_resume(struct vb *vb)
{
	struct vb_cpu *c = vb->cpu;

	if (!c->halted)
		return;
	c->halted = false;
	forget_code(c); /* the debugger may have written code */
	wait_until(c, vb->now_ps);
}

void vb_cpu_step(struct vb *vb)
{
	struct vb_cpu *c = vb->cpu;

	if (!c->halted || c->running)
		return;
	c->halted = false;
	forget_code(c);
	wait_until(c, vb->now_ps);
	run(c, 1);
	if (!c->halted && !c->locked)
		vb_cpu_halt(vb, VB_DFSR_HALTED);
}

void vb_cpu_reset_request(struct vb *vb, bool system)
{
	struct vb_cpu *c = vb->cpu;
	int req = system ? REQ_SYSTEM : REQ_CORE;

	if (!c->running) {
		do_reset_request(c, req);
		return;
	}
	if (c->reset_req != REQ_SYSTEM)
		c->reset_req = req;
	c->stop_req = true;
}

/* reset ----------------------------------------------------------------- */

/* The registers and the boot alias as a reset leaves them. */
static void load_reset_state(struct vb_cpu *c)
{
	uint32_t pc = c->reset_pc;

	map_alias(c);
	/* privileged Thread mode on the main stack */
	wr(c, UC_ARM_REG_XPSR, 1);
	wr(c, UC_ARM_REG_CONTROL, 0);
	wr(c, UC_ARM_REG_XPSR, 0);
	wr(c, UC_ARM_REG_CONTROL, 0);
	wr(c, UC_ARM_REG_MSP, c->reset_sp & ~3u);
	wr(c, UC_ARM_REG_PSP, 0);
	wr(c, UC_ARM_REG_PRIMASK, 0);
	wr(c, UC_ARM_REG_BASEPRI, 0);
	wr(c, UC_ARM_REG_FAULTMASK, 0);
	for (int i = 0; i <= 12; i++)
		wr(c, UC_ARM_REG_R0 + i, 0);
	wr(c, UC_ARM_REG_LR, 0xFFFFFFFFu);
	wr(c, UC_ARM_REG_XPSR, (pc & 1) ? XPSR_T : 0);
	wr(c, UC_ARM_REG_PC, pc);
	rebuild_flags(c);
	forget_code(c);
}

void vb_cpu_reset(struct vb *vb)
{
	struct vb_cpu *c = vb->cpu;
	const uint8_t *boot = vb->boot0 ? vb->sysmem : vb->flash;

	if (!vb->boot0 && rdp_blocks(c)) {
		/* the vector fetch faults: lockup */
		c->reset_sp = c->reset_pc = 0xFFFFFFFFu;
	} else {
		memcpy(&c->reset_sp, boot, 4);
		memcpy(&c->reset_pc, boot + 4, 4);
	}
	c->halted = false;
	c->sleeping = false;
	c->locked = !(c->reset_pc & 1) || !executable(c, c->reset_pc & ~1u);
	c->nq = 0;
	c->t0 = vb->now_ps;
	c->cyc = 0;
	c->flash_ops = vb->flash_ops;
	c->busy_seen = vb_flash_busy_until(vb);
	if (c->running) {
		/* reset by a store of the core: load the registers after it */
		if (c->reset_req != REQ_SYSTEM)
			c->reset_req = REQ_APPLY;
		c->stop_req = true;
		return;
	}
	c->reset_req = REQ_NONE;
	load_reset_state(c);
}

/* setup ----------------------------------------------------------------- */

static int map_io(struct vb_cpu *c, int i, uint32_t base, uint32_t size)
{
	c->region[i] = (struct vb_region){c, base};
	return uc_mmio_map(c->uc, base, size, on_mmio_read, &c->region[i],
			   on_mmio_write, &c->region[i]);
}

struct vb_cpu *vb_cpu_new(struct vb *vb)
{
	struct vb_cpu *c = calloc(1, sizeof(*c));
	uint32_t bb;
	uc_hook h;
	int e = 0;

	if (!c)
		return NULL;
	c->vb = vb;
	if (uc_open(UC_ARCH_ARM, UC_MODE_THUMB | UC_MODE_MCLASS, &c->uc)) {
		free(c);
		return NULL;
	}
	e |= uc_ctl_set_cpu_model(c->uc, UC_CPU_ARM_CORTEX_M3);
	e |= uc_ctl_exits_enable(c->uc); /* and no exits: only we stop it */
	if (e)
		goto fail;
	/* M-profile pages are 1 KB: the 2 KB areas below map, or fail */
	bb = vb->chip.ram_size * 32;
	e |= uc_mem_map_ptr(c->uc, VB_FLASH_BASE, vb->chip.flash_size,
			    UC_PROT_ALL, vb->flash);
	e |= uc_mem_map_ptr(c->uc, VB_SYSMEM_BASE, SYSMEM_SIZE,
			    UC_PROT_READ | UC_PROT_EXEC, vb->sysmem);
	e |= uc_mem_map_ptr(c->uc, VB_SRAM_BASE, vb->chip.ram_size, UC_PROT_ALL,
			    vb->sram);
	e |= map_io(c, 0, OPT_PAGE, OPT_PAGE_SIZE);
	e |= map_io(c, 1, SRAM_BB_BASE, bb);
	e |= map_io(c, 2, PERIPH_BASE, PERIPH_SIZE);
	e |= map_io(c, 3, VB_PPB_BASE, PPB_SIZE);
	e |= uc_hook_add(c->uc, &h, UC_HOOK_CODE, on_insn, c, 1, 0);
	e |= uc_hook_add(c->uc, &h, UC_HOOK_MEM_WRITE, on_flash_store, c, 0,
			 (uint64_t)VB_FLASH_BASE + vb->chip.flash_size - 1);
	e |= uc_hook_add(c->uc, &h, UC_HOOK_INTR, on_intr, c, 1, 0);
	e |= uc_hook_add(c->uc, &h, UC_HOOK_INSN_INVALID, on_invalid, c, 1, 0);
	if (e)
		goto fail;
	return c;
fail:
	uc_close(c->uc);
	free(c);
	return NULL;
}

void vb_cpu_free(struct vb_cpu *cpu)
{
	if (!cpu)
		return;
	/* uc_close leaks the pages' code bitmaps; forgetting the code
	 * frees them */
	cpu->flash_code = true;
	forget_code(cpu);
	uc_close(cpu->uc);
	free(cpu);
}
