// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unbrick -I uart with its UART loader, end to end on the virtual board
 * (with-vboard --uart): 128 KB written and verified against stm32flash on
 * the same kind of board, on the board's clock; the ROM bootloader taking
 * over with a warning when the loader cannot run; UNBRICK_UART_LOADER;
 * the companion SPI flash of the DSO Quad through the loader.
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

#define BP	 "bluepill"
#define BP_FLASH (128 * 1024)
#define DSO	 "dso-quad"
#define DSO_NOR	 (2 * 1024 * 1024)

static int setup(void **state)
{
	(void)state;
	return uu_setup("test-vb-uart-loader-cli");
}

static int teardown(void **state)
{
	(void)state;
	uu_teardown();
	return 0;
}

static long set_halfwords(const uint8_t *b)
{
	long k = 0;

	for (size_t i = 0; i < BP_FLASH; i += 2)
		k += b[i] != 0xFF || b[i + 1] != 0xFF;
	return k;
}

/* 128 KB of random data, write then verify: 4x faster than stm32flash's
 * -w -v at 115200, both timed on the board's clock. */
static void faster_than_stm32flash(void **state)
{
	static uint8_t img[BP_FLASH];
	struct cli_result r;
	char dir[4200], sdir[4200], file[4400], script[4800];
	long ours, theirs;
	uint8_t *f;

	(void)state;
	uu_pattern(img, sizeof(img), 51);
	uu_dir(dir, sizeof(dir), "ours");
	uu_dir(sdir, sizeof(sdir), "theirs");
	uu_path(file, sizeof(file), dir, "img.bin");
	uu_write(file, img, sizeof(img));
	uu_unbrick(&r, dir, BP, "boot0=1", "-v", "--no-backup", "write", file,
		   NULL);
	uu_status(&r, 0);
	uu_has(r.err, "the UART loader talks at 2000000 baud");
	uu_has(r.err, "verified");
	cli_result_free(&r);
	f = uu_flash(dir, BP_FLASH);
	assert_memory_equal(f, img, sizeof(img));
	free(f);
	ours = uu_report(dir, "modeled_us");
	/* every halfword programmed once (a random 0xFFFF is not) */
	assert_int_equal(uu_report(dir, "flash.programs"), set_halfwords(img));

	snprintf(script, sizeof(script), "$STM32FLASH -w '%s' -v \"$TTY\"",
		 file);
	uu_shell(&r, sdir, BP, "boot0=1", script);
	uu_status(&r, 0);
	cli_result_free(&r);
	f = uu_flash(sdir, BP_FLASH);
	assert_memory_equal(f, img, sizeof(img));
	free(f);
	theirs = uu_report(sdir, "modeled_us");
	fprintf(stderr,
		"128 KB write+verify: unbrick %ld us, stm32flash %ld us"
		" (%.1fx)\n",
		ours, theirs, (double)theirs / ours);
	assert_true(4 * ours <= theirs);
}

/* A loader that hears nothing good: a warning, and the ROM does it. */
static void rom_takes_over(void **state)
{
	static uint8_t img[6144];
	struct cli_result r;
	char dir[4200], file[4400];
	uint8_t *f;

	(void)state;
	uu_pattern(img, sizeof(img), 52);
	uu_dir(dir, sizeof(dir), "deaf");
	uu_path(file, sizeof(file), dir, "img.bin");
	uu_write(file, img, sizeof(img));
	uu_unbrick(&r, dir, DSO, "uart_core_flip_every=1", "--no-backup",
		   "write", file, NULL);
	uu_status(&r, 0);
	uu_has(r.err, "the UART loader could not start");
	uu_has(r.err, "going on with the ROM bootloader");
	cli_result_free(&r);
	f = uu_flash(dir, 256 * 1024);
	assert_memory_equal(f, img, sizeof(img));
	free(f);
}

/* A line that only carries the ROM's rate; and the loader turned off. */
static void slow_line_and_off(void **state)
{
	static uint8_t img[4096];
	struct cli_result r;
	char dir[4200], file[4400];

	(void)state;
	uu_pattern(img, sizeof(img), 53);
	uu_dir(dir, sizeof(dir), "slow");
	uu_path(file, sizeof(file), dir, "img.bin");
	uu_write(file, img, sizeof(img));
	uu_unbrick(&r, dir, DSO, "uart_max_baud=115200", "--no-backup", "write",
		   file, NULL);
	uu_status(&r, 0);
	uu_has(r.err, "the UART loader stays at 115200 baud");
	cli_result_free(&r);
	setenv("UNBRICK_UART_LOADER", "0", 1);
	uu_unbrick(&r, dir, DSO, NULL, "-v", "--no-backup", "write", file,
		   NULL);
	unsetenv("UNBRICK_UART_LOADER");
	uu_status(&r, 0);
	uu_lacks(r.err, "loading the UART loader");
	uu_has(r.err, "the ROM bootloader does all");
	cli_result_free(&r);
}

/* The DSO Quad's companion flash (SPI3, JTAG remapped) through the loader. */
static void dso_quad_spi_flash(void **state)
{
	static uint8_t img[65536];
	struct cli_result r;
	char dir[4200], file[4400], arg[4500];
	uint8_t *nor;
	size_t n;

	(void)state;
	uu_pattern(img, sizeof(img), 54);
	uu_dir(dir, sizeof(dir), "nor");
	uu_path(file, sizeof(file), dir, "disk.bin");
	uu_write(file, img, sizeof(img));
	snprintf(arg, sizeof(arg), "%s@spi:0x10000", file);
	uu_unbrick(&r, dir, DSO, NULL, "-v", "--no-backup", "write", arg, NULL);
	uu_status(&r, 0);
	uu_has(r.err, "at spi:0x010000");
	uu_has(r.err, "verified");
	cli_result_free(&r);
	uu_path(file, sizeof(file), dir, "spi.bin");
	nor = uu_read(file, &n);
	assert_int_equal(n, DSO_NOR);
	assert_memory_equal(nor + 0x10000, img, sizeof(img));
	free(nor);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(faster_than_stm32flash),
		cmocka_unit_test(rom_takes_over),
		cmocka_unit_test(slow_line_and_off),
		cmocka_unit_test(dso_quad_spi_flash),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
