/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_GPIOD_TEST_UTIL_H
#define VB_GPIOD_TEST_UTIL_H

/*
 * Helpers for the stand-in libgpiod tests (tests/test_vb_gpiod*.c): the
 * lines of the wiring, a temporary directory, and a fresh environment
 * for each test.
 */
#include <dlfcn.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <gpiod.h>

#include "cli_util.h"
#include "vb.h"

/* BCM GPIO numbers of boards/bluepill.conf's wiring */
#define L_SWCLK 11
#define L_SWDIO 25
#define L_NRST	24
#define L_BOOT0 23
#define L_FREE	5 /* nothing on it */

static char srcdir[4096];
static char tmp_dir[] = "/tmp/ub-test-vb-gpiod-XXXXXX";
static char path_buf[4200];

static inline const char *tmp_path(const char *name)
{
	snprintf(path_buf, sizeof(path_buf), "%s/%s", tmp_dir, name);
	return path_buf;
}

static inline char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static inline int setup(void **state)
{
	const char *src = getenv("UNBRICK_SRCDIR");
	char boards[4200];

	(void)state;
	if (!getcwd(srcdir, sizeof(srcdir)))
		return -1;
	if (src)
		snprintf(srcdir, sizeof(srcdir), "%s", src);
	if (!getenv("UNBRICK_BOARDS")) {
		snprintf(boards, sizeof(boards), "%s/boards", srcdir);
		setenv("UNBRICK_BOARDS", boards, 1);
	}
	return mkdtemp(tmp_dir) ? 0 : -1;
}

static inline int teardown(void **state)
{
	char cmd[4200];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
	return system(cmd) ? -1 : 0;
}

/* Each test starts with a Blue Pill, no state, no report, no trace. */
static inline int env_reset(void **state)
{
	(void)state;
	setenv("UB_VBOARD_BOARD", "bluepill", 1);
	unsetenv("UB_VBOARD_STATE");
	/* modelled time from the wire alone, however loaded the machine */
	setenv("UB_VBOARD_SETTINGS", "host_idle=0", 1);
	unsetenv("UB_VBOARD_REPORT");
	unsetenv("UB_VBOARD_VCD");
	return 0;
}

static inline int no_session(void **state)
{
	(void)state;
	return vb_gpiod_board() ? -1 : 0;
}

static inline struct gpiod_chip *open0(void)
{
	struct gpiod_chip *chip = gpiod_chip_open_by_number(0);

	assert_non_null(chip);
	return chip;
}

#define T(f) cmocka_unit_test_setup_teardown(f, env_reset, no_session)

#endif /* VB_GPIOD_TEST_UTIL_H */
