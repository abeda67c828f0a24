// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The virtual board's Cortex-M3 (vb_cpu.c) and its debug registers
 * (vb_scs.c), driven the way a debugger drives them through the AHB-AP:
 * DHCSR to halt, step and resume, DCRSR/DCRDR for the core registers,
 * DEMCR to catch resets, AIRCR to reset, and the identification registers
 * a debugger reads when it examines the target. The core runs small Thumb
 * programs (assembled by hand, source in the comments) on the virtual clock.
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
/* movs r0, #42; bkpt #0x11; movs r0, #7; b . */
static const uint16_t bkpt_prog[] = {0x202A, 0xBE11, 0x2007, 0xE7FE};
/* movs r0, #1; movs r0, #2; movs r0, #3; b . */
static const uint16_t step_prog[] = {0x2001, 0x2002, 0x2003, 0xE7FE};
/* ldr r0, =AIRCR; ldr r1, =0x05FA0004; str r1, [r0]; b . */
static const uint16_t sysreset_prog[] = {0x4801, 0x4902, 0x6001, 0xE7FE,
					 0xED0C, 0xE000, 0x0004, 0x05FA};
/* unlock the FPEC, CR = PG, strh 0x1234 to 0x08001000, ldrh it back into
 * r4, FLASH_SR into r5, bkpt */
static const uint16_t program_prog[] = {
	0x4806, 0x4907, 0x6041, 0x4907, 0x6041, 0x2101, 0x6101, 0x4A06,
	0xF241, 0x2334, 0x8013, 0x8814, 0x68C5, 0xBE00, 0x2000, 0x4002,
	0x0123, 0x4567, 0x89AB, 0xCDEF, 0x1000, 0x0800};
/* ldr r2, [pc, #8]; movw r3, #0x1234; strh r3, [r2]; ldrh r4, [r2];
 * bkpt; .word target (patched in [6], [7]) */
static const uint16_t store_prog[] = {0x4A02, 0xF241, 0x2334, 0x8013,
				      0x8814, 0xBE00, 0x1000, 0x0800};
/* ldr r2, =0x08001000; str r2, [r2]; b . -- a word store to flash */
static const uint16_t wordstore_prog[] = {0x4A01, 0x6012, 0xE7FE,
					  0xBF00, 0x1000, 0x0800};
/* movs r0, #1; wfi; movs r0, #5; b . */
static const uint16_t wfi_prog[] = {0x2001, 0xBF30, 0x2005, 0xE7FE};
/* mov.w r1, #0x60000000; ldr r0, [r1]; b . -- nobody answers there */
static const uint16_t fault_prog[] = {0xF04F, 0x41C0, 0x6808, 0xE7FE};
/* yield; wfe; sev; nop; movs r0, #9; bkpt */
static const uint16_t hints_prog[] = {0xBF10, 0xBF20, 0xBF40,
				      0xBF00, 0x2009, 0xBE00};
/* movs r0, #0; cmp r0, #0; itte eq; addeq r0, #1; addeq r0, #2;
 * addne r0, #4; b . */
static const uint16_t it_prog[] = {0x2000, 0x2800, 0xBF06, 0x3001,
				   0x3002, 0x3004, 0xE7FE};
/* ldr r1, =0x1FFFF800; ldr r0, [r1]; ldr r1, =RCC_CR; ldr r2, [r1]; bkpt */
static const uint16_t readbus_prog[] = {0x4902, 0x6808, 0x4902, 0x680A, 0xBE00,
					0x0000, 0xF800, 0x1FFF, 0x1000, 0x4002};
/* movs r0, #2; msr control, r0; isb; b . -- to the process stack */
static const uint16_t spsel_prog[] = {0x2002, 0xF380, 0x8814,
				      0xF3BF, 0x8F6F, 0xE7FE};
/* mov.w r1, #0x08000000; ldr r0, [r1]; b . -- read the flash */
static const uint16_t readflash_prog[] = {0xF04F, 0x6100, 0x6808, 0xE7FE};
/* movs r0, #1; udf #0 */
static const uint16_t udf_prog[] = {0x2001, 0xDE00};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct vb *board(const char *const *set, size_t n)
{
	char err[256] = "";
	struct vb *vb = vb_new(set, n, NULL, err, sizeof(err));

	if (!vb)
		fail_msg("vb_new: %s", err);
	return vb;
}

/* Halfwords into SRAM or flash, as a loader or a programmer left them. */
static void put(struct vb *vb, uint32_t addr, const uint16_t *hw, size_t n)
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

static uint32_t sram32(struct vb *vb, uint32_t addr)
{
	uint32_t v;

	memcpy(&v, vb->sram + (addr - VB_SRAM_BASE), 4);
	return v;
}

/* Firmware in flash: a vector table and code at 0x08000100. */
static void firmware(struct vb *vb, const uint16_t *code, size_t n)
{
	uint32_t vec[2] = {STACK, VB_FLASH_BASE + 0x100 + 1};

	memcpy(vb->flash, vec, sizeof(vec));
	put(vb, VB_FLASH_BASE + 0x100, code, n);
}

static uint32_t rd(struct vb *vb, uint32_t addr)
{
	uint32_t v = 0;

	if (vb_scs_read(vb, VB_DAP, addr, 4, &v) != VB_OK)
		fail_msg("read of 0x%08X failed", addr);
	return v;
}

static void wr(struct vb *vb, uint32_t addr, uint32_t v)
{
	if (vb_scs_write(vb, VB_DAP, addr, 4, v) != VB_OK)
		fail_msg("write of 0x%08X failed", addr);
}

static void dhcsr(struct vb *vb, uint32_t bits)
{
	wr(vb, DHCSR, DBGKEY | bits);
}

static uint32_t reg(struct vb *vb, unsigned sel)
{
	wr(vb, DCRSR, sel);
	assert_true(rd(vb, DHCSR) & S_REGRDY);
	return rd(vb, DCRDR);
}

static void set_reg(struct vb *vb, unsigned sel, uint32_t v)
{
	wr(vb, DCRDR, v);
	wr(vb, DCRSR, REGWNR | sel);
	assert_true(rd(vb, DHCSR) & S_REGRDY);
}

/* Let n core cycles of time pass. */
static void cycles(struct vb *vb, uint64_t n)
{
	vb_advance(vb, n * 1000000000000ull / vb->set.cpu_hz);
}

/* Halt, point the core at pc (Thumb) with a stack, and let it run. */
static void start_at(struct vb *vb, uint32_t pc)
{
	dhcsr(vb, C_DEBUGEN | C_HALT);
	set_reg(vb, R_PC, pc);
	set_reg(vb, R_XPSR, T_BIT);
	set_reg(vb, R_SP, STACK);
	dhcsr(vb, C_DEBUGEN);
}

/* Run a program from SRAM with halting debug on. */
static struct vb *run_program(const uint16_t *code, size_t n)
{
	struct vb *vb = board(NULL, 0);

	put(vb, CODE, code, n);
	start_at(vb, CODE);
	return vb;
}

/* Advance 1 us at a time until the core halts (at most limit us). */
static uint64_t until_halted(struct vb *vb, unsigned limit)
{
	uint64_t t0 = vb->now_ps;

	for (unsigned i = 0; !(rd(vb, DHCSR) & S_HALT); i++) {
		if (i >= limit)
			fail_msg("the core did not halt in %u us", limit);
		vb_advance(vb, VB_PS_PER_US);
	}
	return vb->now_ps - t0;
}

/* identification -------------------------------------------------------- */

static void cpuid_and_dbgmcu_idcode(void **state)
{
	static const char *const vc[] = {"variant=vc"};
	struct vb *vb = board(NULL, 0);
	uint32_t v;

	(void)state;
	/* Cortex-M3 r1p1, as in every genuine STM32F103 */
	assert_int_equal(rd(vb, CPUID), 0x411FC231);
	/* DBGMCU_IDCODE: REV_ID, DEV_ID 0x410 (medium density) */
	assert_int_equal(rd(vb, DBGMCU_ID), 0x20030410);
	/* sub-word reads of a word register */
	assert_int_equal(vb_scs_read(vb, VB_DAP, CPUID + 2, 2, &v), VB_OK);
	assert_int_equal(v, 0x411F);
	assert_int_equal(vb_scs_read(vb, VB_DAP, CPUID + 1, 1, &v), VB_OK);
	assert_int_equal(v, 0xC2);
	assert_int_equal(vb_scs_read(vb, VB_DAP, CPUID + 1, 2, &v), VB_ERR);
	/* DBGMCU_CR is read/write, IDCODE read-only */
	wr(vb, DBGMCU_CR, 0x7);
	assert_int_equal(rd(vb, DBGMCU_CR), 0x7);
	wr(vb, DBGMCU_ID, 0);
	assert_int_equal(rd(vb, DBGMCU_ID), 0x20030410);
	/* the core reads the same through its own bus */
	assert_int_equal(vb_bus_read(vb, VB_CPU, DBGMCU_ID, 4, &v), VB_OK);
	assert_int_equal(v, 0x20030410);
	vbt_close(vb);

	vb = board(vc, 1);
	assert_int_equal(rd(vb, DBGMCU_ID), 0x10030414);
	vbt_close(vb);
}

static uint64_t pid(struct vb *vb, uint32_t base)
{
	uint64_t p = rd(vb, base + 0xFD0) & 0xFF;

	for (int i = 3; i >= 0; i--)
		p = p << 8 | (rd(vb, base + 0xFE0 + 4 * (uint32_t)i) & 0xFF);
	return p;
}

static uint32_t cid(struct vb *vb, uint32_t base)
{
	uint32_t c = 0;

	for (int i = 3; i >= 0; i--)
		c = c << 8 | (rd(vb, base + 0xFF0 + 4 * (uint32_t)i) & 0xFF);
	return c;
}

static void rom_table_and_component_ids(void **state)
{
	static const uint32_t entries[] = {0xFFF0F003, 0xFFF02003, 0xFFF03003,
					   0xFFF01003, 0xFFF41003, 0xFFF42002,
					   0x00000000};
	static const char *const ve[] = {"variant=ve"};
	struct vb *vb = board(NULL, 0);
	uint32_t v;

	(void)state;
	for (unsigned i = 0; i < N(entries); i++)
		assert_int_equal(rd(vb, ROM + 4 * i), entries[i]);
	assert_int_equal(rd(vb, ROM + 0xFCC), 1); /* MEMTYPE: SYSMEM */
	/* ROM table: ST (JEP106 0x20), part = DEV_ID, class 1 */
	assert_int_equal(pid(vb, ROM), 0x00000A0410ull);
	assert_int_equal(cid(vb, ROM), 0xB105100D);
	/* ARM (JEP106 4, 0x3B) components; CoreSight class for the TPIU */
	assert_int_equal(pid(vb, 0xE000E000), 0x04000BB000ull); /* SCS */
	assert_int_equal(cid(vb, 0xE000E000), 0xB105E00D);
	assert_int_equal(pid(vb, 0xE0001000), 0x04003BB002ull); /* DWT */
	assert_int_equal(cid(vb, 0xE0001000), 0xB105E00D);
	assert_int_equal(pid(vb, 0xE0002000), 0x04002BB003ull); /* FPB */
	assert_int_equal(cid(vb, 0xE0002000), 0xB105E00D);
	assert_int_equal(pid(vb, 0xE0000000), 0x04003BB001ull); /* ITM */
	assert_int_equal(cid(vb, 0xE0000000), 0xB105E00D);
	assert_int_equal(pid(vb, 0xE0040000), 0x04001BB923ull); /* TPIU */
	assert_int_equal(cid(vb, 0xE0040000), 0xB105900D);
	assert_int_equal(rd(vb, 0xE0040FCC), 0x11); /* DEVTYPE */
	/* what examine reads: 4 DWT comparators, 6 + 2 FPB comparators */
	assert_int_equal(rd(vb, DWT_CTRL) >> 28, 4);
	assert_int_equal(rd(vb, FP_CTRL), 0x260);
	/* the ETM is not there, nor is anything past DBGMCU */
	assert_int_equal(vb_scs_read(vb, VB_DAP, 0xE0041FF0, 4, &v), VB_ERR);
	assert_int_equal(vb_scs_read(vb, VB_DAP, 0xE0043000, 4, &v), VB_ERR);
	/* the ID registers are read-only */
	wr(vb, 0xE000EFE0, 0x55);
	assert_int_equal(pid(vb, 0xE000E000), 0x04000BB000ull);
	vbt_close(vb);

	vb = board(ve, 1);
	assert_int_equal(pid(vb, ROM), 0x00000A0414ull);
	vbt_close(vb);
}

/* halting debug --------------------------------------------------------- */

static void debug_registers_need_their_key(void **state)
{
	struct vb *vb = run_program(count_prog, N(count_prog));

	(void)state;
	dhcsr(vb, 0); /* debug off: the core runs */
	cycles(vb, 10);
	/* no key: ignored */
	wr(vb, DHCSR, C_DEBUGEN | C_HALT);
	assert_false(rd(vb, DHCSR) & (S_HALT | C_DEBUGEN));
	/* C_HALT without C_DEBUGEN does nothing */
	dhcsr(vb, C_HALT);
	assert_false(rd(vb, DHCSR) & S_HALT);
	/* a halfword write cannot carry the key with the bits */
	assert_int_equal(vb_scs_write(vb, VB_DAP, DHCSR, 2, 3), VB_OK);
	assert_false(rd(vb, DHCSR) & S_HALT);
	/* AIRCR without VECTKEY: no reset; it reads VECTKEYSTAT */
	wr(vb, AIRCR, 0x4);
	assert_int_equal(vb->st.resets, 0);
	assert_int_equal(rd(vb, AIRCR), 0xFA050000);
	wr(vb, AIRCR, 0x05FA0300); /* PRIGROUP only */
	assert_int_equal(rd(vb, AIRCR), 0xFA050300);
	assert_int_equal(vb->st.resets, 0);
	/* the core cannot turn halting debug on by itself */
	assert_int_equal(
		vb_scs_write(vb, VB_CPU, DHCSR, 4, DBGKEY | C_DEBUGEN | C_HALT),
		VB_OK);
	assert_false(rd(vb, DHCSR) & (S_HALT | C_DEBUGEN));
	vbt_close(vb);
}

static void halt_and_resume(void **state)
{
	struct vb *vb = run_program(count_prog, N(count_prog));
	uint64_t n;

	(void)state;
	cycles(vb, 100);
	assert_int_equal(vb->st.cpu_instructions, 100);
	dhcsr(vb, C_DEBUGEN | C_HALT);
	assert_true(vb_cpu_halted(vb));
	assert_int_equal(rd(vb, DHCSR) & (S_HALT | C_HALT | C_DEBUGEN),
			 S_HALT | C_HALT | C_DEBUGEN);
	assert_true(rd(vb, DFSR) & VB_DFSR_HALTED);
	/* halted: time passes, nothing runs */
	n = vb->st.cpu_instructions;
	cycles(vb, 1000);
	assert_int_equal(vb->st.cpu_instructions, n);
	/* clearing C_HALT resumes, from where it stopped */
	dhcsr(vb, C_DEBUGEN);
	assert_false(rd(vb, DHCSR) & S_HALT);
	cycles(vb, 30);
	assert_int_equal(vb->st.cpu_instructions, n + 30);
	/* turning debug off resumes a halted core as well */
	dhcsr(vb, C_DEBUGEN | C_HALT);
	dhcsr(vb, 0);
	assert_false(vb_cpu_halted(vb));
	vbt_close(vb);
}

static void core_registers_through_dcrsr(void **state)
{
	struct vb *vb = run_program(step_prog, N(step_prog));
	uint32_t v;

	(void)state;
	dhcsr(vb, C_DEBUGEN | C_HALT);
	for (unsigned i = 0; i <= 12; i++)
		set_reg(vb, i, 0x1000 + i);
	set_reg(vb, R_LR, 0xFFFFFFF9);
	for (unsigned i = 0; i <= 12; i++)
		assert_int_equal(reg(vb, i), 0x1000 + i);
	assert_int_equal(reg(vb, R_LR), 0xFFFFFFF9);
	/* SP is the current stack pointer: MSP in Thread mode out of reset */
	set_reg(vb, R_SP, 0x20000800);
	assert_int_equal(reg(vb, R_MSP), 0x20000800);
	set_reg(vb, R_PSP, 0x20000400);
	assert_int_equal(reg(vb, R_PSP), 0x20000400);
	assert_int_equal(reg(vb, R_SP), 0x20000800);
	/* the flags */
	set_reg(vb, R_XPSR, 0xF1000000);
	assert_int_equal(reg(vb, R_XPSR), 0xF1000000);
	/* PC: bit 0 is not kept, the Thumb state is xPSR.T */
	set_reg(vb, R_PC, CODE + 2 + 1);
	assert_int_equal(reg(vb, R_PC), CODE + 2);
	assert_true(reg(vb, R_XPSR) & T_BIT);
	/* the core goes on from the written PC with the written registers */
	set_reg(vb, R_XPSR, T_BIT);
	dhcsr(vb, C_DEBUGEN);
	cycles(vb, 1);
	dhcsr(vb, C_DEBUGEN | C_HALT);
	assert_int_equal(reg(vb, 0), 2); /* movs r0, #2 ran */
	assert_int_equal(reg(vb, 1), 0x1001);
	assert_int_equal(reg(vb, R_PC), CODE + 4);
	/* no such register: the transfer ends, DCRDR unknown */
	wr(vb, DCRSR, 19);
	assert_true(rd(vb, DHCSR) & S_REGRDY);
	/* not halted: no transfer, S_REGRDY stays clear */
	dhcsr(vb, C_DEBUGEN);
	wr(vb, DCRDR, 0x5555);
	wr(vb, DCRSR, REGWNR | 0);
	assert_false(rd(vb, DHCSR) & S_REGRDY);
	dhcsr(vb, C_DEBUGEN | C_HALT);
	assert_int_equal(reg(vb, 0), 2);
	/* DCRDR takes halfword writes */
	assert_int_equal(vb_scs_write(vb, VB_DAP, DCRDR + 2, 2, 0xABCD), VB_OK);
	assert_int_equal(vb_scs_read(vb, VB_DAP, DCRDR, 4, &v), VB_OK);
	assert_int_equal(v >> 16, 0xABCD);
	vbt_close(vb);
}

static void special_registers_packed(void **state)
{
	struct vb *vb = run_program(spsel_prog, N(spsel_prog));

	(void)state;
	/* REGSEL 20: CONTROL[31:24] FAULTMASK[23:16] BASEPRI[15:8]
	 * PRIMASK[7:0] (ARMv7-M ARM C1.6.3) */
	dhcsr(vb, C_DEBUGEN | C_HALT);
	assert_int_equal(reg(vb, R_SPEC), 0);
	set_reg(vb, R_SPEC, 0x00018001);
	assert_int_equal(reg(vb, R_SPEC), 0x00018001);
	set_reg(vb, R_SPEC, 0);
	/* the program moves Thread mode to the process stack */
	set_reg(vb, R_MSP, 0x20000F00);
	set_reg(vb, R_PSP, 0x20000A00);
	dhcsr(vb, C_DEBUGEN);
	cycles(vb, 4);
	dhcsr(vb, C_DEBUGEN | C_HALT);
	assert_int_equal(reg(vb, R_SPEC) >> 24, 2); /* SPSEL */
	assert_int_equal(reg(vb, R_SP), 0x20000A00);
	assert_int_equal(reg(vb, R_MSP), 0x20000F00);
	/* unprivileged Thread mode: the debugger still sees and writes all */
	set_reg(vb, R_SPEC, 0x03000001);
	assert_int_equal(reg(vb, R_SPEC), 0x03000001);
	set_reg(vb, R_MSP, 0x20000E00);
	assert_int_equal(reg(vb, R_MSP), 0x20000E00);
	assert_int_equal(reg(vb, R_PSP), 0x20000A00);
	assert_int_equal(reg(vb, R_SPEC), 0x03000001);
	/* back to the main stack */
	set_reg(vb, R_SPEC, 0);
	assert_int_equal(reg(vb, R_SP), 0x20000E00);
	vbt_close(vb);
}

static void single_step(void **state)
{
	struct vb *vb = run_program(step_prog, N(step_prog));

	(void)state;
	dhcsr(vb, C_DEBUGEN | C_HALT);
	set_reg(vb, R_PC, CODE);
	wr(vb, DFSR, 0x1F);
	for (unsigned i = 1; i <= 3; i++) {
		uint64_t n = vb->st.cpu_instructions;

		dhcsr(vb, C_DEBUGEN | C_STEP);
		/* one instruction, halted again: DFSR.HALTED */
		assert_int_equal(vb->st.cpu_instructions, n + 1);
		assert_true(rd(vb, DHCSR) & S_HALT);
		assert_int_equal(reg(vb, 0), i);
		assert_int_equal(reg(vb, R_PC), CODE + 2 * i);
		assert_true(rd(vb, DFSR) & VB_DFSR_HALTED);
		wr(vb, DFSR, VB_DFSR_HALTED);
	}
	/* C_STEP with C_HALT set does not step */
	dhcsr(vb, C_DEBUGEN | C_HALT | C_STEP);
	assert_int_equal(reg(vb, R_PC), CODE + 6);
	vbt_close(vb);
}

static void bkpt_halts(void **state)
{
	struct vb *vb = run_program(bkpt_prog, N(bkpt_prog));

	(void)state;
	wr(vb, DFSR, 0x1F);
	cycles(vb, 10);
	assert_true(rd(vb, DHCSR) & S_HALT);
	assert_int_equal(rd(vb, DFSR), VB_DFSR_BKPT);
	/* PC at the BKPT, which did not count as executed */
	assert_int_equal(reg(vb, R_PC), CODE + 2);
	assert_int_equal(reg(vb, 0), 42);
	assert_int_equal(vb->st.cpu_instructions, 1);
	/* the debugger moves past it */
	set_reg(vb, R_PC, CODE + 4);
	dhcsr(vb, C_DEBUGEN);
	cycles(vb, 5);
	assert_false(rd(vb, DHCSR) & S_HALT);
	assert_int_equal(vb->st.cpu_instructions, 6);
	dhcsr(vb, C_DEBUGEN | C_HALT);
	assert_int_equal(reg(vb, 0), 7);
	vbt_close(vb);
}

static void bkpt_without_debug_locks_up(void **state)
{
	struct vb *vb = run_program(bkpt_prog, N(bkpt_prog));

	(void)state;
	dhcsr(vb, 0);
	cycles(vb, 10);
	assert_true(vb_cpu_locked(vb));
	assert_int_equal(rd(vb, DHCSR) & (S_HALT | S_LOCKUP), S_LOCKUP);
	assert_int_equal(vb->st.cpu_instructions, 1);
	vbt_close(vb);
}

static void dfsr_write_one_to_clear(void **state)
{
	struct vb *vb = run_program(bkpt_prog, N(bkpt_prog));

	(void)state;
	cycles(vb, 10); /* BKPT */
	assert_int_equal(rd(vb, DFSR), VB_DFSR_HALTED | VB_DFSR_BKPT);
	wr(vb, DFSR, VB_DFSR_HALTED);
	assert_int_equal(rd(vb, DFSR), VB_DFSR_BKPT);
	wr(vb, DFSR, 0);
	assert_int_equal(rd(vb, DFSR), VB_DFSR_BKPT);
	assert_int_equal(vb_scs_write(vb, VB_DAP, DFSR, 1, VB_DFSR_BKPT),
			 VB_OK);
	assert_int_equal(rd(vb, DFSR), 0);
	vbt_close(vb);
}

static void sticky_status_bits_clear_on_read(void **state)
{
	struct vb *vb = run_program(count_prog, N(count_prog));
	uint32_t v;

	(void)state;
	/* S_RESET_ST from power-on was consumed by the reads above */
	assert_false(rd(vb, DHCSR) & S_RESET_ST);
	cycles(vb, 5);
	assert_true(rd(vb, DHCSR) & S_RETIRE_ST);
	assert_false(rd(vb, DHCSR) & S_RETIRE_ST);
	vb_system_reset(vb);
	/* a byte read of the low byte does not consume them */
	assert_int_equal(vb_scs_read(vb, VB_DAP, DHCSR, 1, &v), VB_OK);
	assert_true(rd(vb, DHCSR) & S_RESET_ST);
	assert_false(rd(vb, DHCSR) & S_RESET_ST);
	vbt_close(vb);
}

/* resets ---------------------------------------------------------------- */

static void check_caught_at_reset_vector(struct vb *vb)
{
	uint32_t d = rd(vb, DHCSR);

	assert_true(d & S_HALT);
	assert_true(d & S_RESET_ST);
	assert_true(rd(vb, DFSR) & VB_DFSR_VCATCH);
	assert_int_equal(reg(vb, R_PC), VB_FLASH_BASE + 0x100);
	assert_int_equal(reg(vb, R_XPSR), T_BIT);
	assert_int_equal(reg(vb, R_MSP), STACK);
	assert_int_equal(reg(vb, R_LR), 0xFFFFFFFF);
	assert_int_equal(reg(vb, 0), 0);
	assert_int_equal(reg(vb, R_SPEC), 0);
}

static void vector_catch_after_system_reset(void **state)
{
	struct vb *vb = board(NULL, 0);
	uint64_t n;

	(void)state;
	firmware(vb, count_prog, N(count_prog));
	dhcsr(vb, C_DEBUGEN);
	wr(vb, DEMCR, TRCENA | VC_CORERESET);
	wr(vb, DFSR, 0x1F);
	vb_system_reset(vb);
	check_caught_at_reset_vector(vb);
	n = vb->st.cpu_instructions;
	cycles(vb, 100);
	assert_int_equal(vb->st.cpu_instructions, n);
	/* without the catch, the firmware runs at once */
	wr(vb, DEMCR, 0);
	dhcsr(vb, C_DEBUGEN);
	vb_system_reset(vb);
	assert_false(rd(vb, DHCSR) & S_HALT);
	cycles(vb, 100);
	assert_int_equal(vb->st.cpu_instructions, n + 100);
	vbt_close(vb);
}

static void vector_catch_after_nrst(void **state)
{
	struct vb *vb = board(NULL, 0);

	(void)state;
	firmware(vb, count_prog, N(count_prog));
	vb_drive(vb, VB_NRST, 0);
	/* connect under reset: the debug logic answers while NRST is low */
	dhcsr(vb, C_DEBUGEN);
	wr(vb, DEMCR, VC_CORERESET);
	wr(vb, DFSR, 0x1F);
	cycles(vb, 100);
	vb_drive(vb, VB_NRST, 1);
	check_caught_at_reset_vector(vb);
	assert_int_equal(vb->st.cpu_instructions, 0);
	/* a reset clears C_HALT: without the catch, the core runs */
	wr(vb, DEMCR, 0);
	dhcsr(vb, C_DEBUGEN | C_HALT);
	vb_drive(vb, VB_NRST, 0);
	vb_drive(vb, VB_NRST, 1);
	assert_int_equal(rd(vb, DHCSR) & (S_HALT | C_HALT | C_DEBUGEN),
			 C_DEBUGEN);
	cycles(vb, 10);
	assert_int_equal(vb->st.cpu_instructions, 10);
	vbt_close(vb);
}

static void sysresetreq_from_debugger(void **state)
{
	struct vb *vb = board(NULL, 0);

	(void)state;
	firmware(vb, count_prog, N(count_prog));
	vb_system_reset(vb);
	vb->st.resets = 0;
	cycles(vb, 50);
	assert_int_equal(sram32(vb, VB_SRAM_BASE), 16);
	dhcsr(vb, C_DEBUGEN | C_HALT);
	set_reg(vb, 0, 0x77);
	wr(vb, DEMCR, VC_CORERESET);
	wr(vb, AIRCR, 0x05FA0004);
	assert_int_equal(vb->st.resets, 1);
	check_caught_at_reset_vector(vb);
	/* it runs again from the start */
	dhcsr(vb, C_DEBUGEN);
	cycles(vb, 5);
	assert_int_equal(sram32(vb, VB_SRAM_BASE), 1);
	vbt_close(vb);
}

static void sysresetreq_from_core(void **state)
{
	struct vb *vb = board(NULL, 0);

	(void)state;
	firmware(vb, sysreset_prog, N(sysreset_prog));
	dhcsr(vb, C_DEBUGEN);
	wr(vb, DEMCR, VC_CORERESET);
	vb_system_reset(vb);
	vb->st.resets = 0;
	assert_true(vb_cpu_halted(vb));
	dhcsr(vb, C_DEBUGEN);
	rd(vb, DHCSR); /* consume S_RESET_ST */
	cycles(vb, 10);
	/* the store completed, then the system reset, caught again */
	assert_int_equal(vb->st.resets, 1);
	assert_int_equal(vb->st.cpu_instructions, 3);
	check_caught_at_reset_vector(vb);
	vbt_close(vb);
}

static void vectreset_resets_the_core_only(void **state)
{
	struct vb *vb = board(NULL, 0);

	(void)state;
	firmware(vb, count_prog, N(count_prog));
	vb_system_reset(vb);
	vb->st.resets = 0;
	cycles(vb, 50);
	dhcsr(vb, C_DEBUGEN | C_HALT);
	wr(vb, DEMCR, VC_CORERESET);
	wr(vb, VTOR, 0x1000);
	wr(vb, AIRCR, 0x05FA0001);
	assert_int_equal(vb->st.resets, 0); /* not a system reset */
	check_caught_at_reset_vector(vb);
	assert_int_equal(rd(vb, VTOR), 0);
	vbt_close(vb);
}

static void debug_state_survives_system_reset(void **state)
{
	struct vb *vb = board(NULL, 0);

	(void)state;
	firmware(vb, count_prog, N(count_prog));
	dhcsr(vb, C_DEBUGEN);
	wr(vb, DEMCR, TRCENA | VC_HARDERR);
	wr(vb, FP_CTRL, 3);
	wr(vb, FP_COMP0, 0x4000FF01);
	wr(vb, DWT_CTRL, 1);
	wr(vb, DBGMCU_CR, 0x7);
	wr(vb, VTOR, 0x2000);
	wr(vb, 0xE000E100, 0x10); /* NVIC_ISER0 */
	vb_system_reset(vb);
	assert_true(rd(vb, DHCSR) & C_DEBUGEN);
	assert_int_equal(rd(vb, DEMCR), TRCENA | VC_HARDERR);
	assert_int_equal(rd(vb, FP_CTRL) & 1, 1);
	assert_int_equal(rd(vb, FP_COMP0), 0x4000FF01);
	assert_int_equal(rd(vb, DWT_CTRL) & 1, 1);
	assert_int_equal(rd(vb, DBGMCU_CR), 0x7);
	/* the rest of the SCS is reset */
	assert_int_equal(rd(vb, VTOR), 0);
	assert_int_equal(rd(vb, 0xE000E100), 0);
	vbt_close(vb);
}

static void erased_chip_locks_up_and_can_be_rescued(void **state)
{
	struct vb *vb = board(NULL, 0);

	(void)state;
	/* erased flash: SP and PC 0xFFFFFFFF, nothing to run */
	assert_true(vb_cpu_locked(vb));
	assert_true(rd(vb, DHCSR) & S_LOCKUP);
	cycles(vb, 1000);
	assert_int_equal(vb->st.cpu_instructions, 0);
	/* reset halt on an erased chip: halted at 0xFFFFFFFE */
	dhcsr(vb, C_DEBUGEN);
	wr(vb, DEMCR, VC_CORERESET);
	vb_system_reset(vb);
	assert_int_equal(rd(vb, DHCSR) & (S_HALT | S_LOCKUP), S_HALT);
	assert_int_equal(reg(vb, R_PC), 0xFFFFFFFE);
	assert_int_equal(reg(vb, R_MSP), 0xFFFFFFFC);
	/* resumed there, it locks up again */
	dhcsr(vb, C_DEBUGEN);
	cycles(vb, 10);
	assert_true(rd(vb, DHCSR) & S_LOCKUP);
	/* a locked-up core can be halted, given a PC in SRAM, and run */
	put(vb, CODE, count_prog, N(count_prog));
	start_at(vb, CODE);
	assert_false(vb_cpu_locked(vb));
	cycles(vb, 302);
	assert_int_equal(vb->st.cpu_instructions, 302);
	assert_int_equal(sram32(vb, VB_SRAM_BASE), 100);
	/* a vector table pointing outside memory locks up too */
	wr(vb, DEMCR, 0);
	memcpy(vb->flash, &(uint32_t){STACK}, 4);
	memcpy(vb->flash + 4, &(uint32_t){0x60000001}, 4);
	vb_system_reset(vb);
	assert_true(vb_cpu_locked(vb));
	vbt_close(vb);
}

/* the clock ------------------------------------------------------------- */

static void instructions_on_the_virtual_clock(void **state)
{
	static const char *const fast[] = {"cpu_hz=72000000"};
	struct vb *vb = run_program(count_prog, N(count_prog));

	(void)state;
	/* 8 MHz: one instruction every 125 ns */
	cycles(vb, 1);
	assert_int_equal(vb->st.cpu_instructions, 1);
	vb_advance(vb, 124999);
	assert_int_equal(vb->st.cpu_instructions, 1);
	vb_advance(vb, 1);
	assert_int_equal(vb->st.cpu_instructions, 2);
	vb_advance(vb, VB_PS_PER_MS);
	assert_int_equal(vb->st.cpu_instructions, 8002);
	vbt_close(vb);

	/* 72 MHz (13888.9 ps a cycle): no drift over many small steps */
	vb = board(fast, 1);
	put(vb, CODE, count_prog, N(count_prog));
	start_at(vb, CODE);
	for (int i = 0; i < 1000; i++)
		vb_advance(vb, VB_PS_PER_US);
	assert_int_equal(vb->st.cpu_instructions, 72000);
	vbt_close(vb);
}

static void core_loop_writes_sram(void **state)
{
	struct vb *vb = run_program(count_prog, N(count_prog));

	(void)state;
	cycles(vb, 2 + 3 * 1000);
	assert_int_equal(sram32(vb, VB_SRAM_BASE), 1000);
	/* the debugger sees it through the bus too */
	assert_int_equal(vbt_rd(vb, VB_SRAM_BASE, 4), 1000);
	dhcsr(vb, C_DEBUGEN | C_HALT);
	assert_int_equal(reg(vb, 0), 1000);
	assert_int_equal(reg(vb, 1), VB_SRAM_BASE);
	assert_int_equal(reg(vb, R_PC), CODE + 6);
	vbt_close(vb);
}

/* A run with irregular steps of time: the same counts whatever the steps. */
static void run_in_steps(struct vb *vb, uint64_t seed)
{
	uint64_t x = seed;

	put(vb, CODE, count_prog, N(count_prog));
	start_at(vb, CODE);
	for (int i = 0; i < 3000; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		vb_advance(vb, (x >> 33) % 400000);
	}
}

static void counts_are_deterministic(void **state)
{
	struct vb *a = board(NULL, 0), *b = board(NULL, 0);
	uint64_t want;

	(void)state;
	run_in_steps(a, 1);
	run_in_steps(b, 1);
	assert_int_equal(a->now_ps, b->now_ps);
	assert_int_equal(a->st.cpu_instructions, b->st.cpu_instructions);
	assert_int_equal(sram32(a, VB_SRAM_BASE), sram32(b, VB_SRAM_BASE));
	/* and as many as the time allows, however it was cut */
	want = a->now_ps / 125000;
	assert_int_equal(a->st.cpu_instructions, want);
	vbt_close(b);
	b = board(NULL, 0);
	put(b, CODE, count_prog, N(count_prog));
	start_at(b, CODE);
	vb_advance(b, a->now_ps);
	assert_int_equal(b->st.cpu_instructions, want);
	assert_int_equal(sram32(a, VB_SRAM_BASE), sram32(b, VB_SRAM_BASE));
	vbt_close(a);
	vbt_close(b);
}

static void dwt_cyccnt_counts_cycles(void **state)
{
	struct vb *vb = run_program(count_prog, N(count_prog));

	(void)state;
	cycles(vb, 10);
	assert_int_equal(rd(vb, DWT_CYCCNT), 0); /* CYCCNTENA off */
	wr(vb, DEMCR, TRCENA);
	wr(vb, DWT_CYCCNT, 100);
	wr(vb, DWT_CTRL, 1);
	cycles(vb, 50);
	assert_int_equal(rd(vb, DWT_CYCCNT), 150);
	wr(vb, DWT_CTRL, 0);
	cycles(vb, 50);
	assert_int_equal(rd(vb, DWT_CYCCNT), 150);
	vbt_close(vb);
}

/* faults, hints, sleep -------------------------------------------------- */

static void bus_fault_locks_up_or_is_caught(void **state)
{
	struct vb *vb = run_program(fault_prog, N(fault_prog));

	(void)state;
	cycles(vb, 10);
	assert_true(vb_cpu_locked(vb));
	assert_int_equal(rd(vb, DHCSR) & (S_LOCKUP | S_HALT), S_LOCKUP);
	assert_int_equal(vb->st.cpu_instructions, 1); /* the load faulted */
	/* with VC_HARDERR the debugger catches it instead, PC at the load */
	wr(vb, DEMCR, VC_HARDERR);
	start_at(vb, CODE);
	wr(vb, DFSR, 0x1F);
	cycles(vb, 10);
	assert_int_equal(rd(vb, DHCSR) & (S_LOCKUP | S_HALT), S_HALT);
	assert_int_equal(rd(vb, DFSR), VB_DFSR_VCATCH);
	assert_int_equal(reg(vb, R_PC), CODE + 4);
	vbt_close(vb);
}

static void undefined_instruction_faults(void **state)
{
	struct vb *vb = run_program(udf_prog, N(udf_prog));

	(void)state;
	wr(vb, DEMCR, VC_HARDERR);
	cycles(vb, 10);
	assert_true(rd(vb, DHCSR) & S_HALT);
	assert_int_equal(reg(vb, R_PC), CODE + 2);
	assert_int_equal(reg(vb, 0), 1);
	assert_int_equal(vb->st.cpu_instructions, 1);
	vbt_close(vb);
}

static void hints_and_it_blocks(void **state)
{
	struct vb *vb = run_program(hints_prog, N(hints_prog));

	(void)state;
	/* YIELD, WFE, SEV and NOP go by */
	cycles(vb, 10);
	assert_true(rd(vb, DHCSR) & S_HALT);
	assert_int_equal(rd(vb, DFSR) & VB_DFSR_BKPT, VB_DFSR_BKPT);
	assert_int_equal(reg(vb, 0), 9);
	assert_int_equal(vb->st.cpu_instructions, 5);
	vbt_close(vb);

	/* an IT block: then, then, else */
	vb = run_program(it_prog, N(it_prog));
	cycles(vb, 6);
	assert_int_equal(vb->st.cpu_instructions, 6);
	dhcsr(vb, C_DEBUGEN | C_HALT);
	assert_int_equal(reg(vb, 0), 3);
	assert_int_equal(reg(vb, R_PC), CODE + 12);
	vbt_close(vb);

	/* the core does not stop inside an IT block: it runs ahead of the
	 * clock to its end, and then waits */
	vb = run_program(it_prog, N(it_prog));
	cycles(vb, 4);
	assert_int_equal(vb->st.cpu_instructions, 6);
	cycles(vb, 2);
	assert_int_equal(vb->st.cpu_instructions, 6);
	cycles(vb, 1);
	assert_int_equal(vb->st.cpu_instructions, 7);
	dhcsr(vb, C_DEBUGEN | C_HALT);
	assert_int_equal(reg(vb, 0), 3);
	assert_int_equal(reg(vb, R_PC), CODE + 12);
	vbt_close(vb);
}

static void wfi_sleeps_until_halted(void **state)
{
	struct vb *vb = run_program(wfi_prog, N(wfi_prog));

	(void)state;
	cycles(vb, 10);
	assert_true(vb_cpu_sleeping(vb));
	assert_true(rd(vb, DHCSR) & S_SLEEP);
	assert_int_equal(vb->st.cpu_instructions, 2);
	cycles(vb, 100);
	assert_int_equal(vb->st.cpu_instructions, 2);
	/* a halt request wakes it; it goes on after the WFI */
	dhcsr(vb, C_DEBUGEN | C_HALT);
	assert_int_equal(rd(vb, DHCSR) & (S_SLEEP | S_HALT), S_HALT);
	assert_int_equal(reg(vb, R_PC), CODE + 4);
	dhcsr(vb, C_DEBUGEN);
	cycles(vb, 1);
	dhcsr(vb, C_DEBUGEN | C_HALT);
	assert_int_equal(reg(vb, 0), 5);
	vbt_close(vb);
}

static void fpb_breakpoint_halts(void **state)
{
	struct vb *vb = board(NULL, 0);

	(void)state;
	firmware(vb, count_prog, N(count_prog));
	dhcsr(vb, C_DEBUGEN);
	vb_system_reset(vb);
	/* a comparator on the str (0x08000108, lower halfword) */
	wr(vb, FP_COMP0, 0x40000000 | (VB_FLASH_BASE + 0x108) | 1);
	cycles(vb, 20);
	assert_false(rd(vb, DHCSR) & S_HALT); /* FPB not enabled */
	wr(vb, FP_CTRL, 1);		      /* no KEY: ignored */
	cycles(vb, 20);
	assert_false(rd(vb, DHCSR) & S_HALT);
	wr(vb, FP_CTRL, 3); /* KEY | ENABLE */
	wr(vb, DFSR, 0x1F);
	cycles(vb, 20);
	assert_true(rd(vb, DHCSR) & S_HALT);
	assert_int_equal(rd(vb, DFSR), VB_DFSR_BKPT);
	assert_int_equal(reg(vb, R_PC), VB_FLASH_BASE + 0x108);
	/* the upper-halfword form: the b at 0x0800010A, not the str */
	wr(vb, FP_COMP0, 0x80000000 | (VB_FLASH_BASE + 0x108) | 1);
	dhcsr(vb, C_DEBUGEN);
	cycles(vb, 20);
	assert_true(rd(vb, DHCSR) & S_HALT);
	assert_int_equal(reg(vb, R_PC), VB_FLASH_BASE + 0x10A);
	/* comparators off: it runs on */
	wr(vb, FP_COMP0, 0);
	dhcsr(vb, C_DEBUGEN);
	cycles(vb, 20);
	assert_false(rd(vb, DHCSR) & S_HALT);
	/* both halves, on another comparator */
	wr(vb, FP_COMP0 + 4, 0xC0000000 | (VB_FLASH_BASE + 0x104) | 1);
	cycles(vb, 20);
	assert_true(rd(vb, DHCSR) & S_HALT);
	assert_int_equal(reg(vb, R_PC), VB_FLASH_BASE + 0x106);
	vbt_close(vb);
}

/* the bus --------------------------------------------------------------- */

static void core_reads_through_the_bus(void **state)
{
	struct vb *vb = run_program(readbus_prog, N(readbus_prog));

	(void)state;
	cycles(vb, 10);
	assert_true(rd(vb, DHCSR) & S_HALT);
	/* option bytes as at 0x1FFFF800: RDP 0xA5 and its complement */
	assert_int_equal(reg(vb, 0) & 0xFFFF, 0x5AA5);
	/* RCC_CR: HSION | HSIRDY and the trim after reset */
	assert_int_equal(reg(vb, 2) & 3, 3);
	vbt_close(vb);
}

static void boot_from_system_memory(void **state)
{
	struct vb *vb = board(NULL, 0);

	(void)state;
	firmware(vb, count_prog, N(count_prog));
	vb_drive(vb, VB_BOOT0, 1);
	vb_system_reset(vb);
	assert_false(vb_cpu_locked(vb));
	cycles(vb, 100);
	/* the stand-in ROM sleeps (wfi at 0x1FFFF100) while vb_boot.c, the
	 * bootloader, owns USART1; the firmware did not run */
	assert_int_equal(vb->st.cpu_instructions, 1);
	assert_true(vb_cpu_sleeping(vb));
	dhcsr(vb, C_DEBUGEN | C_HALT);
	assert_int_equal(reg(vb, R_PC) & ~3u, VB_SYSMEM_BASE + 0x100);
	assert_int_equal(sram32(vb, VB_SRAM_BASE), 0);
	/* BOOT0 low: the flash is at 0 again, the firmware runs */
	vb_drive(vb, VB_BOOT0, 0);
	vb_system_reset(vb);
	dhcsr(vb, C_DEBUGEN);
	cycles(vb, 5);
	assert_int_equal(sram32(vb, VB_SRAM_BASE), 1);
	vbt_close(vb);
}

/* flash writes by the core go to the flash controller */

static void core_programs_flash(void **state)
{
	struct vb *vb = run_program(program_prog, N(program_prog));
	uint64_t t;

	(void)state;
	t = until_halted(vb, 1000);
	assert_int_equal(rd(vb, DFSR) & VB_DFSR_BKPT, VB_DFSR_BKPT);
	assert_int_equal(vb->flash[0x1000], 0x34);
	assert_int_equal(vb->flash[0x1001], 0x12);
	assert_int_equal(vb->st.programs, 1);
	assert_int_equal(reg(vb, 4), 0x1234); /* read back */
	assert_int_equal(reg(vb, 5) & (SR_BSY | SR_EOP), SR_EOP); /* SR */
	/* 12 instructions, and the core stalled for the programming time */
	assert_int_equal(vb->st.cpu_instructions, 12);
	assert_true(t >= vb->set.prog_ns * VB_PS_PER_NS);
	assert_true(t < vb->set.prog_ns * VB_PS_PER_NS + 10 * VB_PS_PER_US);
	vbt_close(vb);
}

static void core_store_to_busy_flash_waits(void **state)
{
	struct vb *vb = board(NULL, 0);
	uint64_t t;

	(void)state;
	put(vb, CODE, store_prog, N(store_prog));
	/* the debugger programs a halfword; the core's store meets BSY */
	vbt_unlock(vb);
	vbt_wr(vb, FPEC_CR, 4, CR_PG);
	vbt_wr(vb, VB_FLASH_BASE + 0x2000, 2, 0xBEEF);
	assert_true(vbt_sr(vb) & SR_BSY);
	start_at(vb, CODE);
	t = until_halted(vb, 1000);
	assert_int_equal(vb->st.programs, 2);
	assert_int_equal(vb->flash[0x2000], 0xEF);
	assert_int_equal(vb->flash[0x1000], 0x34);
	assert_int_equal(reg(vb, 4), 0x1234);
	assert_true(t >= 2 * vb->set.prog_ns * VB_PS_PER_NS);
	vbt_close(vb);
}

static void core_stores_through_the_boot_alias(void **state)
{
	struct vb *vb = board(NULL, 0);
	uint16_t code[N(store_prog)];

	(void)state;
	memcpy(code, store_prog, sizeof(code));
	code[6] = 0x1000; /* strh to 0x00001000: the alias of 0x08001000 */
	code[7] = 0x0000;
	firmware(vb, code, N(code));
	vbt_unlock(vb);
	vbt_wr(vb, FPEC_CR, 4, CR_PG);
	start_at(vb, 0x100); /* the code, seen at 0 */
	until_halted(vb, 1000);
	assert_int_equal(vb->flash[0x1000], 0x34);
	assert_int_equal(vb->flash[0x1001], 0x12);
	assert_int_equal(reg(vb, 4), 0x1234);
	assert_int_equal(reg(vb, R_PC), 0x10A);
	vbt_close(vb);
}

static void refused_flash_store_faults(void **state)
{
	struct vb *vb = run_program(store_prog, N(store_prog));

	(void)state;
	/* the FPEC is locked: a bus error, and the flash is untouched */
	wr(vb, DEMCR, VC_HARDERR);
	until_halted(vb, 100);
	assert_int_equal(rd(vb, DFSR) & VB_DFSR_VCATCH, VB_DFSR_VCATCH);
	assert_int_equal(vb->flash[0x1000], 0xFF);
	assert_int_equal(vb->flash[0x1001], 0xFF);
	assert_int_equal(vb->st.programs, 0);
	vbt_close(vb);

	/* a word store to flash, even unlocked, is a bus error too */
	vb = board(NULL, 0);
	put(vb, CODE, wordstore_prog, N(wordstore_prog));
	vbt_unlock(vb);
	vbt_wr(vb, FPEC_CR, 4, CR_PG);
	start_at(vb, CODE);
	cycles(vb, 10);
	assert_true(vb_cpu_locked(vb));
	assert_int_equal(vb->flash[0x1000], 0xFF);
	assert_int_equal(vb->st.programs, 0);
	vbt_close(vb);
}

static void fetch_from_busy_flash_stalls(void **state)
{
	struct vb *vb = board(NULL, 0);
	uint64_t n;

	(void)state;
	firmware(vb, count_prog, N(count_prog));
	vb_system_reset(vb);
	cycles(vb, 10);
	n = vb->st.cpu_instructions;
	assert_int_equal(n, 10);
	/* the debugger erases another page: the core cannot fetch */
	vbt_unlock(vb);
	vbt_wr(vb, FPEC_CR, 4, CR_PER);
	vbt_wr(vb, FPEC_AR, 4, VB_FLASH_BASE + 0x4000);
	vbt_wr(vb, FPEC_CR, 4, CR_PER | CR_STRT);
	vb_advance(vb, VB_PS_PER_MS);
	assert_int_equal(vb->st.cpu_instructions, n);
	vbt_wait(vb);
	cycles(vb, 10);
	assert_true(vb->st.cpu_instructions >= n + 10);
	/* code from SRAM runs on while the flash is busy */
	put(vb, CODE, count_prog, N(count_prog));
	start_at(vb, CODE);
	vbt_wr(vb, FPEC_CR, 4, CR_PER | CR_STRT);
	n = vb->st.cpu_instructions;
	cycles(vb, 100);
	assert_int_equal(vb->st.cpu_instructions, n + 100);
	vbt_close(vb);
}

static void readout_protection_keeps_the_core_out(void **state)
{
	struct vb *vb = board(NULL, 0);

	(void)state;
	firmware(vb, count_prog, N(count_prog));
	put(vb, CODE, readflash_prog, N(readflash_prog));
	/* erased option bytes: RDP 0xFF, protected from the next reset */
	vbt_opt_unlock(vb);
	vbt_opt_erase(vb);
	vb_system_reset(vb);
	assert_true(vb_flash_rdp(vb));
	/* no debugger: the firmware runs from flash */
	cycles(vb, 20);
	assert_int_equal(vb->st.cpu_instructions, 20);
	/* a debugger attached: the vector fetch fails, the core locks up */
	dhcsr(vb, C_DEBUGEN);
	vb_system_reset(vb);
	assert_true(vb_cpu_locked(vb));
	/* reset halt: halted where the lockup would be */
	wr(vb, DEMCR, VC_CORERESET);
	vb_system_reset(vb);
	assert_true(rd(vb, DHCSR) & S_HALT);
	assert_int_equal(reg(vb, R_PC), 0xFFFFFFFE);
	/* code in SRAM cannot read the flash either */
	start_at(vb, CODE);
	cycles(vb, 10);
	assert_true(vb_cpu_locked(vb));
	dhcsr(vb, C_DEBUGEN | C_HALT);
	assert_int_equal(reg(vb, R_PC), CODE + 4);
	/* nor run from it */
	start_at(vb, VB_FLASH_BASE + 0x100);
	cycles(vb, 10);
	assert_true(vb_cpu_locked(vb));
	/* the debugger gone, the core reads its flash again */
	dhcsr(vb, C_DEBUGEN | C_HALT);
	set_reg(vb, R_PC, CODE);
	dhcsr(vb, 0);
	cycles(vb, 10);
	assert_false(vb_cpu_locked(vb));
	dhcsr(vb, C_DEBUGEN | C_HALT);
	assert_int_equal(reg(vb, 0), 0x20001000); /* the vector table's SP */
	vbt_close(vb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cpuid_and_dbgmcu_idcode),
		cmocka_unit_test(rom_table_and_component_ids),
		cmocka_unit_test(debug_registers_need_their_key),
		cmocka_unit_test(halt_and_resume),
		cmocka_unit_test(core_registers_through_dcrsr),
		cmocka_unit_test(special_registers_packed),
		cmocka_unit_test(single_step),
		cmocka_unit_test(bkpt_halts),
		cmocka_unit_test(bkpt_without_debug_locks_up),
		cmocka_unit_test(dfsr_write_one_to_clear),
		cmocka_unit_test(sticky_status_bits_clear_on_read),
		cmocka_unit_test(vector_catch_after_system_reset),
		cmocka_unit_test(vector_catch_after_nrst),
		cmocka_unit_test(sysresetreq_from_debugger),
		cmocka_unit_test(sysresetreq_from_core),
		cmocka_unit_test(vectreset_resets_the_core_only),
		cmocka_unit_test(debug_state_survives_system_reset),
		cmocka_unit_test(erased_chip_locks_up_and_can_be_rescued),
		cmocka_unit_test(instructions_on_the_virtual_clock),
		cmocka_unit_test(core_loop_writes_sram),
		cmocka_unit_test(counts_are_deterministic),
		cmocka_unit_test(dwt_cyccnt_counts_cycles),
		cmocka_unit_test(bus_fault_locks_up_or_is_caught),
		cmocka_unit_test(undefined_instruction_faults),
		cmocka_unit_test(hints_and_it_blocks),
		cmocka_unit_test(wfi_sleeps_until_halted),
		cmocka_unit_test(fpb_breakpoint_halts),
		cmocka_unit_test(core_reads_through_the_bus),
		cmocka_unit_test(boot_from_system_memory),
		cmocka_unit_test(core_programs_flash),
		cmocka_unit_test(core_store_to_busy_flash_waits),
		cmocka_unit_test(core_stores_through_the_boot_alias),
		cmocka_unit_test(refused_flash_store_faults),
		cmocka_unit_test(fetch_from_busy_flash_stalls),
		cmocka_unit_test(readout_protection_keeps_the_core_out),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
