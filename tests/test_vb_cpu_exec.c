// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The virtual board's Cortex-M3 (vb_cpu.c) running code: small Thumb
 * programs (assembled by hand, source in the comments) on the virtual
 * clock, faults, hints, breakpoints, and the core's own bus accesses to
 * SRAM and flash.
 */
#include "vb_cpu_test_util.h"

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
/* mov.w r1, #0x08000000; ldr r0, [r1]; b . -- read the flash */
static const uint16_t readflash_prog[] = {0xF04F, 0x6100, 0x6808, 0xE7FE};
/* movs r0, #1; udf #0 */
static const uint16_t udf_prog[] = {0x2001, 0xDE00};

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
