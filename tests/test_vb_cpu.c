// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The virtual board's Cortex-M3 (vb_cpu.c) and its debug registers
 * (vb_scs.c), driven the way a debugger drives them through the AHB-AP:
 * DHCSR to halt, step and resume, DCRSR/DCRDR for the core registers,
 * DEMCR to catch resets, AIRCR to reset, and the identification registers
 * a debugger reads when it examines the target.
 */
#include "vb_cpu_test_util.h"

/* movs r0, #42; bkpt #0x11; movs r0, #7; b . */
static const uint16_t bkpt_prog[] = {0x202A, 0xBE11, 0x2007, 0xE7FE};
/* movs r0, #1; movs r0, #2; movs r0, #3; b . */
static const uint16_t step_prog[] = {0x2001, 0x2002, 0x2003, 0xE7FE};
/* ldr r0, =AIRCR; ldr r1, =0x05FA0004; str r1, [r0]; b . */
static const uint16_t sysreset_prog[] = {0x4801, 0x4902, 0x6001, 0xE7FE,
					 0xED0C, 0xE000, 0x0004, 0x05FA};
/* movs r0, #2; msr control, r0; isb; b . -- to the process stack */
static const uint16_t spsel_prog[] = {0x2002, 0xF380, 0x8814,
				      0xF3BF, 0x8F6F, 0xE7FE};

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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
