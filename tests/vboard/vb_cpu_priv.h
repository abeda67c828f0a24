/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_CPU_PRIV_H
#define VB_CPU_PRIV_H

/*
 * What the two halves of the Cortex-M3 share:
 *
 *   vb_cpu.c      Unicorn setup, the memory map, the hooks the core's
 *                 accesses and instructions go through
 *   vb_cpu_run.c  registers, time, reset, running, halting and stepping
 */
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

	/* the core's time: t0 + cyc cycles at hz (vb_rcc_core_hz when the
	 * last run ended; 0 before the first) */
	uint64_t t0, cyc;
	uint32_t hz;

	/* one uc_emu_start */
	bool running;
	bool draining; /* handing queued stores to the bus, at its time */
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

/* vb_cpu.c: translated code and the memory map */
void vb_cpu_forget_flash_code(struct vb_cpu *c);
void vb_cpu_forget_code(struct vb_cpu *c);
bool vb_cpu_in_flash(const struct vb_cpu *c, uint32_t addr);
bool vb_cpu_executable(const struct vb_cpu *c, uint32_t addr);
bool vb_cpu_rdp_blocks(const struct vb_cpu *c);
void vb_cpu_protect_flash(struct vb_cpu *c, bool block);
void vb_cpu_map_alias(struct vb_cpu *c);
void vb_cpu_undo_flash_stores(struct vb_cpu *c);

#endif
