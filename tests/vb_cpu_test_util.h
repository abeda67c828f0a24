/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_CPU_TEST_UTIL_H
#define VB_CPU_TEST_UTIL_H

/*
 * Helpers for the virtual board's Cortex-M3 tests (tests/test_vb_cpu*.c;
 * include after cmocka.h): the debug registers, their bits, and a board
 * running a small Thumb program from SRAM.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vb_test_util.h"

#define DHCSR 0xE000EDF0u
#define DCRSR 0xE000EDF4u
#define DCRDR 0xE000EDF8u
#define DEMCR 0xE000EDFCu
#define DFSR  0xE000ED30u
#define AIRCR 0xE000ED0Cu
#define CPUID 0xE000ED00u
#define VTOR  0xE000ED08u

#define DBGKEY	    0xA05F0000u
#define C_DEBUGEN   0x01u
#define C_HALT	    0x02u
#define C_STEP	    0x04u
#define S_REGRDY    (1u << 16)
#define S_HALT	    (1u << 17)
#define S_SLEEP	    (1u << 18)
#define S_LOCKUP    (1u << 19)
#define S_RETIRE_ST (1u << 24)
#define S_RESET_ST  (1u << 25)
#define REGWNR	    (1u << 16)

#define VC_CORERESET 0x001u
#define VC_HARDERR   0x400u
#define TRCENA	     (1u << 24)

#define DWT_CTRL   0xE0001000u
#define DWT_CYCCNT 0xE0001004u
#define FP_CTRL	   0xE0002000u
#define FP_COMP0   0xE0002008u
#define ROM	   0xE00FF000u
#define DBGMCU_ID  0xE0042000u
#define DBGMCU_CR  0xE0042004u

#define R_SP   13
#define R_LR   14
#define R_PC   15
#define R_XPSR 16
#define R_MSP  17
#define R_PSP  18
#define R_SPEC 20

#define CODE  0x20000100u /* programs run from SRAM here */
#define STACK 0x20001000u
#define T_BIT 0x01000000u

/* movs r0, #0; mov.w r1, #0x20000000
 * 1: adds r0, #1; str r0, [r1]; b 1b -- 2 + 3 per iteration */
static const uint16_t count_prog[] = {0x2000, 0xF04F, 0x5100,
				      0x3001, 0x6008, 0xE7FC};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static inline struct vb *board(const char *const *set, size_t n)
{
	char err[256] = "";
	struct vb *vb = vb_new(set, n, NULL, err, sizeof(err));

	if (!vb)
		fail_msg("vb_new: %s", err);
	return vb;
}

/* Halfwords into SRAM or flash, as a loader or a programmer left them. */
static inline void put(struct vb *vb, uint32_t addr, const uint16_t *hw,
		       size_t n)
{
	uint8_t *p;

	if (addr >= VB_SRAM_BASE)
		p = vb->sram + (addr - VB_SRAM_BASE);
	else
		p = vb->flash + (addr - VB_FLASH_BASE);
	for (size_t i = 0; i < n; i++) {
		p[2 * i] = (uint8_t)hw[i];
		p[2 * i + 1] = (uint8_t)(hw[i] >> 8);
	}
}

static inline uint32_t sram32(struct vb *vb, uint32_t addr)
{
	uint32_t v;

	memcpy(&v, vb->sram + (addr - VB_SRAM_BASE), 4);
	return v;
}

/* Firmware in flash: a vector table and code at 0x08000100. */
static inline void firmware(struct vb *vb, const uint16_t *code, size_t n)
{
	uint32_t vec[2] = {STACK, VB_FLASH_BASE + 0x100 + 1};

	memcpy(vb->flash, vec, sizeof(vec));
	put(vb, VB_FLASH_BASE + 0x100, code, n);
}

static inline uint32_t rd(struct vb *vb, uint32_t addr)
{
	uint32_t v = 0;

	if (vb_scs_read(vb, VB_DAP, addr, 4, &v) != VB_OK)
		fail_msg("read of 0x%08X failed", addr);
	return v;
}

static inline void wr(struct vb *vb, uint32_t addr, uint32_t v)
{
	if (vb_scs_write(vb, VB_DAP, addr, 4, v) != VB_OK)
		fail_msg("write of 0x%08X failed", addr);
}

static inline void dhcsr(struct vb *vb, uint32_t bits)
{
	wr(vb, DHCSR, DBGKEY | bits);
}

static inline uint32_t reg(struct vb *vb, unsigned sel)
{
	wr(vb, DCRSR, sel);
	assert_true(rd(vb, DHCSR) & S_REGRDY);
	return rd(vb, DCRDR);
}

static inline void set_reg(struct vb *vb, unsigned sel, uint32_t v)
{
	wr(vb, DCRDR, v);
	wr(vb, DCRSR, REGWNR | sel);
	assert_true(rd(vb, DHCSR) & S_REGRDY);
}

/* Let n core cycles of time pass. */
static inline void cycles(struct vb *vb, uint64_t n)
{
	vb_advance(vb, n * 1000000000000ull / vb->set.cpu_hz);
}

/* Halt, point the core at pc (Thumb) with a stack, and let it run. */
static inline void start_at(struct vb *vb, uint32_t pc)
{
	dhcsr(vb, C_DEBUGEN | C_HALT);
	set_reg(vb, R_PC, pc);
	set_reg(vb, R_XPSR, T_BIT);
	set_reg(vb, R_SP, STACK);
	dhcsr(vb, C_DEBUGEN);
}

/* Run a program from SRAM with halting debug on. */
static inline struct vb *run_program(const uint16_t *code, size_t n)
{
	struct vb *vb = board(NULL, 0);

	put(vb, CODE, code, n);
	start_at(vb, CODE);
	return vb;
}

/* Advance 1 us at a time until the core halts (at most limit us). */
static inline uint64_t until_halted(struct vb *vb, unsigned limit)
{
	uint64_t t0 = vb->now_ps;

	for (unsigned i = 0; !(rd(vb, DHCSR) & S_HALT); i++) {
		if (i >= limit)
			fail_msg("the core did not halt in %u us", limit);
		vb_advance(vb, VB_PS_PER_US);
	}
	return vb->now_ps - t0;
}

#endif /* VB_CPU_TEST_UTIL_H */
