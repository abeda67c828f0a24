// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unbrick over the UART bootloader, on the virtual board's pty (with-vboard
 * --uart): every command on a DSO Quad (BOOT0 and NRST on Pi GPIOs), and
 * cross-checks with stm32flash on the same board. Bad input, the board's
 * UART faults and other ways in are in test_vb_uart_faults.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "uart_util.h"

#define DSO	 "dso-quad"
#define FLASH	 (256 * 1024) /* a VC */
#define BP	 "bluepill"
#define BP_FLASH (128 * 1024)

static int setup(void **state)
{
	(void)state;
	return uu_setup("test-vb-uart");
}

static int teardown(void **state)
{
	(void)state;
	uu_teardown();
	return 0;
}

static void probe(void **state)
{
	struct cli_result r;
	char dir[4200];

	(void)state;
	uu_dir(dir, sizeof(dir), "probe");
	uu_unbrick(&r, dir, DSO, NULL, "probe", NULL);
	uu_status(&r, 0);
	uu_has(r.out, "STM32F10xxx high-density (DEV_ID 0x414)");
	uu_has(r.out, "256 KB in 2048-byte pages");
	uu_has(r.out, "48 KB");
	uu_has(r.out, "34FF6D064D4B313432422043");
	uu_has(r.out, "not protected");
	uu_has(r.out, "over the UART bootloader v2.2");
	uu_has(r.out, "115200 baud");
	cli_result_free(&r);
	/* the leave sequence ran: BOOT0 low, a reset, the firmware */
	assert_true(uu_report(dir, "resets") >= 2);
	uu_unbrick(&r, dir, DSO, NULL, "probe", "--json", NULL);
	uu_status(&r, 0);
	assert_true(cli_json_valid(r.out));
	uu_has(r.out, "\"dev_id\":1044");
	uu_has(r.out, "\"interface\":\"uart\"");
	uu_has(r.out, "\"bootloader\":34");
	cli_result_free(&r);
	/* -s: another baud rate (the bootloader takes it from 0x7F) */
	uu_unbrick(&r, dir, DSO, NULL, "-s", "57600", "probe", NULL);
	uu_status(&r, 0);
	uu_has(r.out, "57600 baud");
	cli_result_free(&r);
}

static void write_verify_read(void **state)
{
	static uint8_t img[20000];
	struct cli_result r;
	char dir[4200], file[4400], out[4400];
	uint8_t *f, *back;
	size_t n;

	(void)state;
	uu_dir(dir, sizeof(dir), "write");
	uu_pattern(img, sizeof(img), 7);
	uu_path(file, sizeof(file), dir, "img.bin");
	uu_write(file, img, sizeof(img));
	uu_unbrick(&r, dir, DSO, NULL, "write", file, NULL);
	uu_status(&r, 0);
	uu_has(r.err, "backup saved in");
	uu_has(r.err, "verified");
	cli_result_free(&r);
	f = uu_flash(dir, FLASH);
	assert_memory_equal(f, img, sizeof(img));
	for (size_t i = sizeof(img); i < FLASH; i++)
		if (f[i] != 0xFF)
			fail_msg("flash[%zu] = 0x%02X after the image", i,
				 f[i]);
	free(f);
	uu_unbrick(&r, dir, DSO, NULL, "verify", file, NULL);
	uu_status(&r, 0);
	cli_result_free(&r);
	uu_path(out, sizeof(out), dir, "dump.bin");
	uu_unbrick(&r, dir, DSO, NULL, "read", "0x08000000:20000", out, NULL);
	uu_status(&r, 0);
	cli_result_free(&r);
	back = uu_read(out, &n);
	assert_int_equal(n, sizeof(img));
	assert_memory_equal(back, img, n);
	free(back);
	/* the same again: every page already holds it */
	uu_unbrick(&r, dir, DSO, NULL, "--no-backup", "write", file, NULL);
	uu_status(&r, 0);
	uu_has(r.err, "10 unchanged");
	cli_result_free(&r);
}

/* A region over old firmware: its pages are erased, what the image does
 * not cover on them is kept, the licence word survives. */
static void write_region_keeps_the_rest(void **state)
{
	static uint8_t flash[FLASH], sys[5000];
	struct cli_result r;
	char dir[4200], file[4400], arg[4500];
	uint8_t *f;

	(void)state;
	uu_dir(dir, sizeof(dir), "region");
	uu_pattern(flash, sizeof(flash), 11);
	uu_seed(dir, flash, FLASH, uu_factory_opt);
	uu_pattern(sys, sizeof(sys), 12);
	uu_path(file, sizeof(file), dir, "sys.bin");
	uu_write(file, sys, sizeof(sys));
	snprintf(arg, sizeof(arg), "%s@sys", file);
	uu_unbrick(&r, dir, DSO, NULL, "--no-backup", "write", arg, NULL);
	uu_status(&r, 0);
	uu_has(r.err, "3 pages (3 erased");
	cli_result_free(&r);
	f = uu_flash(dir, FLASH);
	assert_memory_equal(f, flash, 0x4000);
	assert_memory_equal(f + 0x4000, sys, sizeof(sys));
	assert_memory_equal(f + 0x4000 + sizeof(sys),
			    flash + 0x4000 + sizeof(sys),
			    FLASH - 0x4000 - sizeof(sys));
	free(f);
	assert_int_equal(uu_report(dir, "flash.page_erases"), 3);
}

static void erase(void **state)
{
	static uint8_t flash[FLASH];
	struct cli_result r;
	char dir[4200];
	uint8_t *f;

	(void)state;
	uu_dir(dir, sizeof(dir), "erase");
	uu_pattern(flash, sizeof(flash), 5);
	uu_seed(dir, flash, FLASH, uu_factory_opt);
	uu_unbrick(&r, dir, DSO, NULL, "erase", "app2", NULL);
	uu_status(&r, 0);
	uu_has(r.err, "erased 0x08014000-0x0801BFFF");
	cli_result_free(&r);
	f = uu_flash(dir, FLASH);
	assert_memory_equal(f, flash, 0x14000);
	for (int i = 0x14000; i < 0x1C000; i++)
		assert_int_equal(f[i], 0xFF);
	assert_memory_equal(f + 0x1C000, flash + 0x1C000, FLASH - 0x1C000);
	free(f);
	assert_int_equal(uu_report(dir, "flash.page_erases"), 16);
	uu_unbrick(&r, dir, DSO, NULL, "--no-backup", "erase", NULL);
	uu_status(&r, 0);
	cli_result_free(&r);
	assert_int_equal(uu_report(dir, "flash.mass_erases"), 1);
	f = uu_flash(dir, FLASH);
	for (int i = 0; i < FLASH; i++)
		assert_int_equal(f[i], 0xFF);
	free(f);
}

static void write_protection(void **state)
{
	static uint8_t flash[FLASH], img[2048];
	struct cli_result r;
	char dir[4200], file[4400];
	uint8_t opt[16];
	uint8_t *f;

	(void)state;
	uu_dir(dir, sizeof(dir), "wrp");
	uu_pattern(flash, sizeof(flash), 8);
	uu_seed(dir, flash, FLASH, uu_factory_opt);
	uu_pattern(img, sizeof(img), 9);
	uu_path(file, sizeof(file), dir, "dfu.bin");
	uu_write(file, img, sizeof(img));
	/* the DFU's 16 KB: WRP bits 0-3 (4 KB each) */
	uu_unbrick(&r, dir, DSO, NULL, "protect", "write", "dfu", NULL);
	uu_status(&r, 0);
	cli_result_free(&r);
	uu_option(dir, opt);
	assert_int_equal(opt[8], 0xF0);
	assert_int_equal(opt[9], 0x0F);
	assert_int_equal(opt[0], 0xA5);
	uu_unbrick(&r, dir, DSO, NULL, "probe", NULL);
	uu_has(r.out, "pages 0-7 (0x08000000-0x08003FFF)");
	cli_result_free(&r);
	uu_unbrick(&r, dir, DSO, NULL, "write", file, NULL);
	uu_status(&r, 1);
	uu_has(r.err, "0x08000000 is write-protected");
	cli_result_free(&r);
	uu_unbrick(&r, dir, DSO, NULL, "unprotect", NULL);
	uu_status(&r, 0);
	uu_has(r.err, "write protection removed");
	cli_result_free(&r);
	uu_option(dir, opt);
	assert_memory_equal(opt, uu_factory_opt, 16);
	f = uu_flash(dir, FLASH);
	assert_memory_equal(f, flash, FLASH); /* no mass erase */
	free(f);
	uu_unbrick(&r, dir, DSO, NULL, "--no-backup", "write", file, NULL);
	uu_status(&r, 0);
	cli_result_free(&r);
}

static void readout_protection(void **state)
{
	static uint8_t flash[FLASH];
	struct cli_result r;
	char dir[4200], out[4400];
	uint8_t opt[16];
	uint8_t *f;

	(void)state;
	uu_dir(dir, sizeof(dir), "rdp");
	uu_pattern(flash, sizeof(flash), 4);
	uu_seed(dir, flash, FLASH, uu_factory_opt);
	uu_unbrick(&r, dir, DSO, NULL, "protect", "read", NULL);
	uu_status(&r, 2); /* no terminal to ask */
	uu_has(r.err, "give -y");
	cli_result_free(&r);
	uu_unbrick(&r, dir, DSO, NULL, "-y", "protect", "read", NULL);
	uu_status(&r, 0);
	cli_result_free(&r);
	uu_option(dir, opt);
	assert_int_equal(opt[0], 0x00);
	uu_unbrick(&r, dir, DSO, NULL, "probe", NULL);
	uu_status(&r, 0);
	uu_has(r.out, "PROTECTED");
	uu_has(r.out, "unknown (readout protection)");
	cli_result_free(&r);
	uu_path(out, sizeof(out), dir, "no.bin");
	uu_unbrick(&r, dir, DSO, NULL, "read", out, NULL);
	uu_status(&r, 1);
	uu_has(r.err, "readout protection is on");
	uu_has(r.err, "unprotect read");
	cli_result_free(&r);
	uu_unbrick(&r, dir, DSO, NULL, "unprotect", "read", NULL);
	uu_status(&r, 2);
	uu_has(r.err, "give -y");
	cli_result_free(&r);
	f = uu_flash(dir, FLASH);
	assert_memory_equal(f, flash, FLASH); /* nothing happened */
	free(f);
	uu_unbrick(&r, dir, DSO, NULL, "-y", "unprotect", "read", NULL);
	uu_status(&r, 0);
	uu_has(r.err, "ERASES THE WHOLE FLASH");
	cli_result_free(&r);
	uu_option(dir, opt);
	assert_int_equal(opt[0], 0xA5);
	f = uu_flash(dir, FLASH);
	for (int i = 0; i < FLASH; i++)
		assert_int_equal(f[i], 0xFF);
	free(f);
}

/* reset run starts the firmware; reset bootloader leaves the ROM waiting
 * for another tool, which syncs at its own rate; reset halt needs SWD. */
static void resets(void **state)
{
	struct cli_result r;
	char dir[4200], file[4400], script[9000];
	static uint8_t img[4096];

	(void)state;
	uu_dir(dir, sizeof(dir), "reset");
	uu_pattern(img, sizeof(img), 21);
	uu_path(file, sizeof(file), dir, "img.bin");
	uu_write(file, img, sizeof(img));
	uu_unbrick(&r, dir, DSO, NULL, "reset", NULL);
	uu_status(&r, 0);
	uu_has(r.err, "runs its firmware");
	cli_result_free(&r);
	uu_unbrick(&r, dir, DSO, NULL, "reset", "halt", NULL);
	uu_status(&r, 1);
	uu_has(r.err, "needs SWD");
	cli_result_free(&r);
	uu_unbrick(&r, dir, DSO, NULL, "-I", "swd", "reset", "bootloader",
		   NULL);
	uu_status(&r, 2);
	cli_result_free(&r);
	snprintf(script, sizeof(script),
		 "\"$UNBRICK\" -B " DSO " -p \"$TTY\" reset bootloader && "
		 "$STM32FLASH -w '%s' -v \"$TTY\"",
		 file);
	uu_shell(&r, dir, DSO, NULL, script);
	uu_status(&r, 0);
	uu_has(r.err, "waits in its ROM bootloader");
	uu_has(r.out, "Wrote and verified");
	cli_result_free(&r);
}

/* What unbrick writes, stm32flash reads back identically; what stm32flash
 * writes, unbrick verifies. */
static void stm32flash_cross_checks(void **state)
{
	static uint8_t img[30000], img2[9000];
	struct cli_result r;
	char dir[4200], file[4400], file2[4400], dump[4400], script[9000];
	uint8_t *back;
	size_t n;

	(void)state;
	uu_dir(dir, sizeof(dir), "cross");
	uu_pattern(img, sizeof(img), 31);
	uu_path(file, sizeof(file), dir, "img.bin");
	uu_write(file, img, sizeof(img));
	uu_path(dump, sizeof(dump), dir, "dump.bin");
	uu_unbrick(&r, dir, BP, NULL, "--no-backup", "write", file, NULL);
	uu_status(&r, 0);
	cli_result_free(&r);
	snprintf(script, sizeof(script), "$STM32FLASH -r '%s' \"$TTY\"", dump);
	uu_shell(&r, dir, BP, "boot0=1", script);
	uu_status(&r, 0);
	cli_result_free(&r);
	back = uu_read(dump, &n);
	assert_int_equal(n, BP_FLASH);
	assert_memory_equal(back, img, sizeof(img));
	free(back);

	uu_pattern(img2, sizeof(img2), 32);
	uu_path(file2, sizeof(file2), dir, "img2.bin");
	uu_write(file2, img2, sizeof(img2));
	snprintf(script, sizeof(script),
		 "$STM32FLASH -e 0 -w '%s' -S 0x08010000 \"$TTY\"", file2);
	uu_shell(&r, dir, BP, "boot0=1", script);
	uu_status(&r, 0);
	cli_result_free(&r);
	snprintf(script, sizeof(script), "%s@0x08010000", file2);
	uu_unbrick(&r, dir, BP, NULL, "verify", file, script, NULL);
	uu_status(&r, 0);
	cli_result_free(&r);
	img2[5] ^= 1;
	uu_write(file2, img2, sizeof(img2));
	uu_unbrick(&r, dir, BP, NULL, "verify", script, NULL);
	uu_status(&r, 1);
	uu_has(r.err, "verify failed at 0x08010005");
	cli_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(probe),
		cmocka_unit_test(write_verify_read),
		cmocka_unit_test(write_region_keeps_the_rest),
		cmocka_unit_test(erase),
		cmocka_unit_test(write_protection),
		cmocka_unit_test(readout_protection),
		cmocka_unit_test(resets),
		cmocka_unit_test(stm32flash_cross_checks),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
