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
 * Time: one instruction per cycle at the core clock: vb->set.cpu_hz while
 * SYSCLK is the HSI, scaled as RCC switches it (the PLL at 64 MHz runs the
 * core 8 times as fast; vb_rcc_core_hz). The core keeps its own time and
 * runs up to vb->now_ps when the board's clock moves; the peripherals see
 * its time to the instruction (vb_cpu_now). A flash write that finds the
 * flash busy stalls the core until the flash is done (its time may run
 * ahead of the board's; it then waits), and so do reads of the flash and
 * fetches from it while it is busy (PM0075 §2.3.3); the write that starts
 * an operation does not: code in SRAM runs on and may poll BSY.
 *
 * Debug: halt, resume, step and the core registers by DCRSR number; BKPT and
 * the FPB's code comparators halt it (vb_scs.c decides). Exceptions are not
 * modeled: a fault (bus error, undefined instruction, SVC...) halts the
 * core when the debugger catches HardFault (DEMCR.VC_HARDERR), else it
 * locks up, PC at the instruction. A core reset whose vector table is erased
 * or points outside executable memory locks up at once. WFI sleeps until a
 * debugger halts the core. Same inputs, same instruction counts.
 *
 * This file: Unicorn setup, the memory map and the hooks; registers, time,
 * reset and running are in vb_cpu_run.c (vb_cpu_priv.h).
 */
#include <stdlib.h>
#include <string.h>

#include "vb_cpu_priv.h"

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

void vb_cpu_forget_flash_code(struct vb_cpu *c)
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

void vb_cpu_forget_code(struct vb_cpu *c)
{
	if (c->running)
		return;
	vb_cpu_forget_flash_code(c);
	forget(c, VB_SRAM_BASE, c->vb->chip.ram_size);
}

bool vb_cpu_in_flash(const struct vb_cpu *c, uint32_t addr)
{
	const struct vb *vb = c->vb;

	if (addr - VB_FLASH_BASE < vb->chip.flash_size)
		return true;
	return !vb->boot0 && addr < c->alias_size;
}

/* Memory the core executes from (the alias as BOOT0 now selects it). */
bool vb_cpu_executable(const struct vb_cpu *c, uint32_t addr)
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
bool vb_cpu_rdp_blocks(const struct vb_cpu *c)
{
	const struct vb *vb = c->vb;

	return vb_flash_rdp(vb) && (vb_scs_debugen(vb) || vb->boot0);
}

void vb_cpu_protect_flash(struct vb_cpu *c, bool block)
{
	struct vb *vb = c->vb;
	uint32_t perms = block ? UC_PROT_NONE : UC_PROT_ALL;

	if (block == c->flash_blocked)
		return;
	if (block) /* code already translated would run on */
		vb_cpu_forget_flash_code(c);
	uc_mem_protect(c->uc, VB_FLASH_BASE, vb->chip.flash_size, perms);
	if (c->alias_size && !vb->boot0)
		uc_mem_protect(c->uc, 0, c->alias_size, perms);
	c->flash_blocked = block;
}

/* Map the boot memory BOOT0 selects at 0. */
void vb_cpu_map_alias(struct vb_cpu *c)
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

void vb_cpu_undo_flash_stores(struct vb_cpu *c)
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
	vb_cpu_forget_code(cpu);
	uc_close(cpu->uc);
	free(cpu);
}
