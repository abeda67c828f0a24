// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The commands on the companion SPI flash, unbrick through the stand-in
 * libgpiod on the virtual board: the Spark Core's SST25VF016B through the
 * MCU (SPI loader over SWD), and a chip on a clip on the Pi's GPIO. What
 * lands in the chip is checked in the board's spi.bin; bad places and a
 * missing chip are refused with a clear message and change nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "vb_restore_util.h"

#define SST (2u * 1024 * 1024)

/* The chip's contents as the board saved them (erased when never saved). */
static uint8_t *spi_bin(const char *dir)
{
	char p[4400];
	uint8_t *b;
	size_t n;

	vr_path(p, sizeof(p), dir, "spi.bin");
	if (access(p, F_OK)) {
		b = malloc(SST);
		memset(b, 0xFF, SST);
		return b;
	}
	b = vr_read(p, &n);
	assert_int_equal(n, SST);
	return b;
}

static int setup(void **state)
{
	(void)state;
	return vr_setup("vb-spi-cmds");
}

static int teardown(void **state)
{
	(void)state;
	return vr_teardown();
}

/* --- through the MCU (Spark Core: SPI2, the CC3000 parked) --- */

static void spark_probe(void **state)
{
	struct cli_result r;
	char dir[4200];

	(void)state;
	vr_dir(dir, sizeof(dir), "probe");
	vr_run(&r, "spark-core", dir, NULL, NULL, "-B", "spark-core", "probe",
	       NULL);
	vr_status(&r, 0);
	vr_has(r.out, "spi flash");
	vr_has(r.out, "SST25VF016B");
	vr_has(r.out, "BF2541");
	cli_result_free(&r);
	vr_run(&r, "spark-core", dir, NULL, NULL, "-B", "spark-core", "probe",
	       "--json", NULL);
	vr_status(&r, 0);
	assert_true(cli_json_valid(r.out));
	vr_has(r.out, "\"spi\":{\"chip\":\"SST25VF016B\"");
	vr_has(r.out, "\"size\":2097152");
	cli_result_free(&r);
}

/* A key into its region: written, the rest of its sector and the chip
 * kept, read back and verified by name. */
static void spark_key(void **state)
{
	static uint8_t old[SST];
	uint8_t key[294], *now, *back;
	struct cli_result r;
	char dir[4200], file[4400], arg[4500], out[4400];
	size_t n;

	(void)state;
	vr_dir(dir, sizeof(dir), "key");
	vr_pattern(old, sizeof(old), 3);
	vr_path(file, sizeof(file), dir, "spi.bin");
	vr_write(file, old, sizeof(old));
	vr_pattern(key, sizeof(key), 11);
	vr_path(file, sizeof(file), dir, "key.der");
	vr_write(file, key, sizeof(key));
	snprintf(arg, sizeof(arg), "%s@server-key", file);

	vr_run(&r, "spark-core", dir, NULL, NULL, "-B", "spark-core", "write",
	       arg, NULL);
	vr_status(&r, 0);
	vr_has(r.err, "backup saved in");
	vr_has(r.err, "verified");
	cli_result_free(&r);
	now = spi_bin(dir);
	assert_memory_equal(now + 0x1000, key, sizeof(key));
	assert_memory_equal(now, old, 0x1000);
	assert_memory_equal(now + 0x1000 + sizeof(key),
			    old + 0x1000 + sizeof(key),
			    SST - 0x1000 - sizeof(key));
	free(now);

	vr_run(&r, "spark-core", dir, NULL, NULL, "-B", "spark-core", "verify",
	       arg, NULL);
	vr_status(&r, 0);
	cli_result_free(&r);
	vr_path(out, sizeof(out), dir, "back.bin");
	vr_run(&r, "spark-core", dir, NULL, NULL, "-B", "spark-core", "read",
	       "server-key", out, NULL);
	vr_status(&r, 0);
	cli_result_free(&r);
	back = vr_read(out, &n);
	assert_int_equal(n, 2048);
	assert_memory_equal(back, key, sizeof(key));
	assert_memory_equal(back + sizeof(key), old + 0x1000 + sizeof(key),
			    2048 - sizeof(key));
	free(back);
}

static void spark_erase_region(void **state)
{
	static uint8_t old[SST];
	struct cli_result r;
	char dir[4200], file[4400];
	uint8_t *now;

	(void)state;
	vr_dir(dir, sizeof(dir), "erase");
	vr_pattern(old, sizeof(old), 5);
	vr_path(file, sizeof(file), dir, "spi.bin");
	vr_write(file, old, sizeof(old));
	vr_run(&r, "spark-core", dir, NULL, NULL, "-B", "spark-core",
	       "--no-backup", "erase", "ota-fw", NULL);
	vr_status(&r, 0);
	cli_result_free(&r);
	now = spi_bin(dir);
	assert_memory_equal(now, old, 0x60000);
	for (uint32_t i = 0x60000; i < 0x80000; i++)
		if (now[i] != 0xFF)
			fail_msg("spi:0x%X = 0x%02X after erase", i, now[i]);
	assert_memory_equal(now + 0x80000, old + 0x80000, SST - 0x80000);
	free(now);
}

/* Bad places are refused before anything is touched. */
static void spark_bad_places(void **state)
{
	uint8_t data[64];
	struct cli_result r;
	char dir[4200], file[4400], arg[4500];
	uint8_t *now;

	(void)state;
	vr_dir(dir, sizeof(dir), "bad");
	vr_pattern(data, sizeof(data), 9);
	vr_path(file, sizeof(file), dir, "d.bin");
	vr_write(file, data, sizeof(data));
	snprintf(arg, sizeof(arg), "%s@spi:0x1FFFF0", file);
	vr_run(&r, "spark-core", dir, NULL, NULL, "-B", "spark-core", "write",
	       arg, NULL);
	vr_status(&r, 1);
	vr_has(r.err, "past the end");
	cli_result_free(&r);
	vr_run(&r, "spark-core", dir, NULL, NULL, "-B", "spark-core", "erase",
	       "spi:0x1001:4K", NULL);
	vr_status(&r, 1);
	vr_has(r.err, "whole");
	cli_result_free(&r);
	now = spi_bin(dir);
	for (uint32_t i = 0; i < SST; i++)
		if (now[i] != 0xFF)
			fail_msg("spi:0x%X changed to 0x%02X", i, now[i]);
	free(now);
}

/* No chip on the bus: probe says so and goes on; a read fails. */
static void spark_no_chip(void **state)
{
	struct cli_result r;
	char dir[4200], out[4400];

	(void)state;
	vr_dir(dir, sizeof(dir), "nochip");
	vr_run(&r, "spark-core", dir, "spi_chip=none", NULL, "-B", "spark-core",
	       "probe", NULL);
	vr_status(&r, 0);
	vr_has(r.out, "STM32");
	vr_has(r.out, "NOT FOUND");
	vr_has(r.out, "FF FF FF");
	cli_result_free(&r);
	vr_path(out, sizeof(out), dir, "x.bin");
	vr_run(&r, "spark-core", dir, "spi_chip=none", NULL, "-B", "spark-core",
	       "read", "spi", out, NULL);
	vr_status(&r, 1);
	vr_has(r.err, "no chip");
	cli_result_free(&r);
}

/* --- a clip on the chip (the MCU held in reset) --- */

static void clip_write_read(void **state)
{
	static uint8_t img[40000];
	struct cli_result r;
	char dir[4200], file[4400], arg[4500], out[4400], board[4200];
	uint8_t *now, *back;
	size_t n;

	(void)state;
	vr_dir(dir, sizeof(dir), "clip");
	snprintf(board, sizeof(board), "%s/tests/data/clip.conf", vr.srcdir);
	vr_pattern(img, sizeof(img), 13);
	vr_path(file, sizeof(file), dir, "img.bin");
	vr_write(file, img, sizeof(img));
	snprintf(arg, sizeof(arg), "%s@spi:0x10100", file);
	vr_run(&r, board, dir, NULL, NULL, "-B", board, "write", arg, NULL);
	vr_status(&r, 0);
	vr_has(r.err, "verified");
	cli_result_free(&r);
	now = spi_bin(dir);
	assert_memory_equal(now + 0x10100, img, sizeof(img));
	for (uint32_t i = 0; i < 0x10100; i++)
		if (now[i] != 0xFF)
			fail_msg("spi:0x%X = 0x%02X", i, now[i]);
	free(now);
	vr_path(out, sizeof(out), dir, "back.bin");
	vr_run(&r, board, dir, NULL, NULL, "-B", board, "read",
	       "spi:0x10100:40000", out, NULL);
	vr_status(&r, 0);
	cli_result_free(&r);
	back = vr_read(out, &n);
	assert_int_equal(n, sizeof(img));
	assert_memory_equal(back, img, sizeof(img));
	free(back);
	vr_run(&r, board, dir, NULL, NULL, "-B", board, "probe", NULL);
	vr_status(&r, 0);
	vr_has(r.out, "SST25VF016B");
	cli_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spark_probe),
		cmocka_unit_test(spark_key),
		cmocka_unit_test(spark_erase_region),
		cmocka_unit_test(spark_bad_places),
		cmocka_unit_test(spark_no_chip),
		cmocka_unit_test(clip_write_read),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
