// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unbrick loading its UART monitor through the first stage, end to end on
 * the virtual board (with-vboard --uart): `-v probe` on the bench's board
 * (bench/spark-core-bench.conf: its SPI flash is probed through the
 * monitor) says so and takes half a second less on the board's clock than
 * with the monitor at the ROM's rate; a line that cannot carry 2 Mbaud
 * ends at 1 Mbaud, the image written and verified.
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

static char bench_board[4200];

static int setup(void **state)
{
	(void)state;
	snprintf(bench_board, sizeof(bench_board),
		 "%s/bench/spark-core-bench.conf",
		 getenv("UNBRICK_SRCDIR") ? getenv("UNBRICK_SRCDIR") : ".");
	return uu_setup("test-vb-uart-boot-cli");
}

static int teardown(void **state)
{
	(void)state;
	uu_teardown();
	return 0;
}

static void probe_loads_fast(void **state)
{
	struct cli_result r;
	char dir[4200], rdir[4200];
	long fast, rom;

	(void)state;
	uu_dir(dir, sizeof(dir), "probe");
	uu_unbrick(&r, dir, bench_board, NULL, "-v", "probe", NULL);
	uu_status(&r, 0);
	uu_has(r.err, "a first stage of");
	uu_has(r.err, "the UART loader talks at 2000000 baud");
	uu_has(r.err, "UART loader running at 2000000 baud");
	uu_has(r.out, "SST25VF016B");
	cli_result_free(&r);
	fast = uu_report(dir, "modeled_us");

	/* the monitor through the ROM, at its rate */
	uu_dir(rdir, sizeof(rdir), "probe-rom");
	setenv("UNBRICK_UART_LOADER", "rom", 1);
	uu_unbrick(&r, rdir, bench_board, NULL, "-v", "probe", NULL);
	unsetenv("UNBRICK_UART_LOADER");
	uu_status(&r, 0);
	uu_lacks(r.err, "a first stage of");
	uu_has(r.err, "UART loader running at 115200 baud");
	uu_has(r.out, "SST25VF016B");
	cli_result_free(&r);
	rom = uu_report(rdir, "modeled_us");
	fprintf(stderr,
		"-v probe over UART: %ld us, %ld us with the ROM's rate\n",
		fast, rom);
	assert_true(fast + 500000 < rom);
}

static void slow_adapter(void **state)
{
	static uint8_t img[8192];
	struct cli_result r;
	char dir[4200], file[4400];
	uint8_t *f;

	(void)state;
	uu_pattern(img, sizeof(img), 72);
	uu_dir(dir, sizeof(dir), "mid");
	uu_path(file, sizeof(file), dir, "img.bin");
	uu_write(file, img, sizeof(img));
	uu_unbrick(&r, dir, BP, "boot0=1,uart_max_baud=1000000", "-v",
		   "--no-backup", "write", file, NULL);
	uu_status(&r, 0);
	uu_has(r.err, "a first stage of");
	uu_has(r.err, "going on at 115200 baud");
	uu_has(r.err, "UART loader running at 1000000 baud");
	uu_has(r.err, "verified");
	cli_result_free(&r);
	f = uu_flash(dir, BP_FLASH);
	assert_memory_equal(f, img, sizeof(img));
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(probe_loads_fast),
		cmocka_unit_test(slow_adapter),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
