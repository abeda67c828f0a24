// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Cortex-M3 core (vb_cpu.c), running: the core registers by DCRSR
 * number, the core's time (one instruction per cycle at the core clock:
 * vb_rcc_core_hz, cpu_hz scaled by HCLK as RCC sets it),
 * runs up to the board's time, halt, resume and step, and resets.
 */
#include <string.h>

#include "vb_cpu_priv.h"

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

static uint32_t core_hz(const struct vb_cpu *c)
{
	return c->hz ? c->hz : c->vb->set.cpu_hz;
}

static uint64_t core_time(const struct vb_cpu *c)
{
	return c->t0 +
	       (uint64_t)((unsigned __int128)c->cyc * PS_PER_S / core_hz(c));
}

/* The core's time, to the instruction while it runs: what the
 * peripherals it reads and writes see (vb_io_now), so that a byte USART1
 * receives lands between two of its polls, not at the end of a run. */
uint64_t vb_cpu_now(const struct vb *vb)
{
	const struct vb_cpu *c = vb->cpu;

	if (c && c->draining)
		return core_time(c) < vb->now_ps ? core_time(c) : vb->now_ps;
	if (!c || !c->running)
		return vb->now_ps;
	return c->t0 + (uint64_t)((unsigned __int128)(c->cyc + c->ran) *
				  PS_PER_S / core_hz(c));
}

uint64_t vb_cpu_time(const struct vb *vb)
{
	const struct vb_cpu *c = vb->cpu;

	if (!c || !vb->powered || vb->in_reset || c->halted || c->locked ||
	    c->sleeping || !vb->set.cpu_hz)
		return 0;
	return c->running ? vb_cpu_now(vb) : core_time(c);
}

/* The clock changed (RCC's switch or prescaler): count on from now at
 * the new rate. */
static void retime(struct vb_cpu *c)
{
	uint32_t hz = vb_rcc_core_hz(c->vb);

	if (!hz || hz == core_hz(c))
		return;
	c->t0 = core_time(c);
	c->cyc = 0;
	c->hz = hz;
}

void vb_cpu_clock_changed(struct vb *vb)
{
	struct vb_cpu *c = vb->cpu;

	if (c && c->running)
		c->stop_req = true; /* retimed when the run ends */
	else if (c)
		retime(c);
}

/* Cycles from t0 that end by t. */
static uint64_t cycles_by(const struct vb_cpu *c, uint64_t t)
{
	if (t <= c->t0)
		return 0;
	return (uint64_t)((unsigned __int128)(t - c->t0) * core_hz(c) /
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
	return c->vb->now_ps + PS_PER_S / core_hz(c) + 1;
}

/* running --------------------------------------------------------------- */

/* The instruction before pc is the hint h, 16- or 32-bit. */
static bool after_hint(struct vb_cpu *c, uint32_t pc, unsigned h)
{
	uint16_t w[2];

	if (pc < 4 || !vb_cpu_executable(c, pc - 4) ||
	    !vb_cpu_executable(c, pc - 1))
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

		c->draining = true;
		ret = vb_bus_write(vb, VB_CPU, s.addr, s.size, s.val);
		c->draining = false;
		busy = vb_flash_busy_until(vb);
		if (ret == VB_STALL) {
			wait_until(c, busy > vb->now_ps ? busy : next_cycle(c));
			break;
		}
		memmove(c->q, c->q + 1, --c->nq * sizeof(c->q[0]));
		if (vb_cpu_in_flash(c, s.addr))
			c->flash_dirty = true;
		if (ret != VB_OK) {
			fault(c);
			break;
		}
		/* the store that starts programming does not hold the bus
		 * (PM0075 2.3.3: reads of the flash stall while it is
		 * busy); code in flash does, as its next fetch stalls */
		if (busy > vb->now_ps && vb_cpu_in_flash(c, pc_of(c))) {
			wait_until(c, busy);
			break;
		}
	}
	if (c->flash_dirty)
		vb_cpu_forget_flash_code(c);
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
	bool hint = false, rdp = vb_cpu_rdp_blocks(c);
	bool busy = vb_flash_busy_until(vb) > core_time(c);
	uc_err err;
	int req;

	/* while the flash is busy, the core's accesses to it stall: they
	 * fault here and are tried again once it is done */
	vb_cpu_protect_flash(c, rdp || busy);
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
	if (busy && !rdp &&
	    (err == UC_ERR_READ_PROT || err == UC_ERR_WRITE_PROT ||
	     err == UC_ERR_FETCH_PROT)) {
		err = UC_ERR_OK;
		c->read_stall = c->abort = true;
	}

	pc = pc_of(c);
	if (c->stopping && pc != c->stop_pc)
		c->ran++; /* it stopped after an IT block */
	if (c->invalid && !err)
		hint = after_nop_hint(c, pc);
	if ((c->abort || c->exc || err || (c->invalid && !hint)) &&
	    pc == c->last_pc && c->ran)
		c->ran--; /* the last instruction did not complete */
	vb->st.cpu_instructions += c->ran;
	vb_cpu_undo_flash_stores(c);

	req = c->reset_req;
	c->reset_req = REQ_NONE;
	if (req) { /* the core's time starts again at the reset */
		c->nq = 0;
		do_reset_request(c, req);
		return;
	}
	c->cyc += c->ran;
	retime(c);
	if (err || c->bus_fault || c->overflow || (c->invalid && !hint) ||
	    (c->exc && c->exc_no != EXCP_BKPT)) {
		fault(c);
	} else if (c->exc || c->fpb_hit) {
		vb_scs_bkpt(vb);
		if (!c->halted)
			lock_up(c);
	} else if (c->read_stall) {
		uint64_t until = vb_flash_busy_until(vb);

		/* until the flash is done, or a cycle when it is already */
		wait_until(c, until > core_time(c)
				      ? until
				      : core_time(c) + PS_PER_S / core_hz(c));
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
		vb_cpu_forget_flash_code(c);
	}
	c->busy_seen = busy;
}

void vb_cpu_catch_up(struct vb *vb)
{
	struct vb_cpu *c = vb->cpu;
	uint64_t now, busy, k, before;

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
		/* the flash's operations end at the core's time, and a run
		 * stops when one does, so that the core sees it idle then */
		before = core_time(c);
		vb_flash_settle(vb, before);
		busy = vb_flash_busy_until(vb);
		if (busy > before && vb_cpu_in_flash(c, pc_of(c))) {
			wait_until(c, busy);
			continue;
		}
		k = cycles_by(c, busy > before && busy < now ? busy : now);
		if (k <= c->cyc) {
			if (!(busy > before && busy < now))
				return;
			k = c->cyc + 1;
		}
		run(c, k - c->cyc);
		if (!c->ran && !c->halted && !c->locked && !c->sleeping &&
		    !c->nq && core_time(c) <= before) {
			/* no progress: try again later, the board's time
			 * passing (the flash's operations end meanwhile) */
			wait_until(c, now);
			return;
		}
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
	vb_cpu_forget_code(c); /* the debugger may have written code */
	wait_until(c, vb->now_ps);
}

void vb_cpu_step(struct vb *vb)
{
	struct vb_cpu *c = vb->cpu;

	if (!c->halted || c->running)
		return;
	c->halted = false;
	vb_cpu_forget_code(c);
	wait_until(c, vb->now_ps);
	run(c, 1);
	if (!c->halted && !c->locked)
		vb_cpu_halt(vb, VB_DFSR_HALTED);
}

/* The ROM bootloader's Go (vb_boot.c): MSP from sp, a jump to pc. */
void vb_cpu_go(struct vb *vb, uint32_t sp, uint32_t pc)
{
	struct vb_cpu *c = vb->cpu;

	if (c->running)
		return;
	c->halted = c->sleeping = false;
	c->locked = !(pc & 1) || !vb_cpu_executable(c, pc & ~1u);
	wr(c, UC_ARM_REG_MSP, sp & ~3u);
	wr(c, UC_ARM_REG_XPSR, XPSR_T);
	wr(c, UC_ARM_REG_PC, pc | 1);
	rebuild_flags(c);
	vb_cpu_forget_code(c);
	wait_until(c, vb->now_ps);
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

	vb_cpu_map_alias(c);
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
	vb_cpu_forget_code(c);
}

void vb_cpu_reset(struct vb *vb)
{
	struct vb_cpu *c = vb->cpu;
	const uint8_t *boot = vb->boot0 ? vb->sysmem : vb->flash;

	if (!vb->boot0 && vb_cpu_rdp_blocks(c)) {
		/* the vector fetch faults: lockup */
		c->reset_sp = c->reset_pc = 0xFFFFFFFFu;
	} else {
		memcpy(&c->reset_sp, boot, 4);
		memcpy(&c->reset_pc, boot + 4, 4);
	}
	c->halted = false;
	c->sleeping = false;
	c->locked =
		!(c->reset_pc & 1) || !vb_cpu_executable(c, c->reset_pc & ~1u);
	c->nq = 0;
	c->t0 = vb->now_ps;
	c->cyc = 0;
	c->hz = 0; /* RCC's reset: HSI */
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
