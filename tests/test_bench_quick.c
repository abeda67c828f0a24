// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The benchmark cannot rot: bench/run.sh --quick (one small workload per
 * tool, each on a fresh virtual board, twice, with identical modelled
 * figures required) succeeds and prints a table row per tool and workload
 * with a positive modelled time: an 8 KB write and verify by unbrick and
 * OpenOCD over SWD, and by unbrick (on the ROM bootloader alone, and with
 * its UART loader) and stm32flash over the UART; 64 KB of the SPI flash by
 * unbrick through the MCU (over SWD, without its backup of all 2 MB) and
 * by flashrom over serprog. The full bench is 'make bench'; it is not part
 * of make check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli_util.h"

#define TIMEOUT_S 600

static char run_sh[4200], unbrick[4200];

static int setup(void **state)
{
	const char *src = getenv("UNBRICK_SRCDIR"), *bin = getenv("UNBRICK");

	(void)state;
	if (!src || !bin) {
		fprintf(stderr, "run through make check (UNBRICK_SRCDIR, "
				"UNBRICK)\n");
		return -1;
	}
	snprintf(run_sh, sizeof(run_sh), "%s/bench/run.sh", src);
	snprintf(unbrick, sizeof(unbrick), "%s", bin);
	return access(run_sh, X_OK);
}

/*
 * The cell after the link of the table row "| WORKLOAD | TOOL | LINK |
 * CELL |", copied into cell (empty when there is no such row).
 */
static void row_cell(const char *out, const char *workload, const char *tool,
		     char *cell, size_t size)
{
	char want[256];
	const char *line = out;

	cell[0] = '\0';
	snprintf(want, sizeof(want), "| %s | %s | ", workload, tool);
	while (line && *line) {
		const char *end = strchr(line, '\n');

		if (!strncmp(line, want, strlen(want))) {
			const char *c = strchr(line + strlen(want), '|');
			size_t n;

			if (!c || (end && c > end))
				return;
			c += 2;
			n = strcspn(c, "|\n");
			while (n && c[n - 1] == ' ')
				n--;
			snprintf(cell, size, "%.*s", (int)n, c);
			return;
		}
		line = end ? end + 1 : NULL;
	}
}

static const struct row {
	const char *workload, *tool;
} rows[] = {
	{"quick: write 8 KB + verify", "unbrick"},
	{"quick: write 8 KB + verify", "openocd"},
	{"quick: write 8 KB + verify over UART", "unbrick, ROM bootloader"},
	{"quick: write 8 KB + verify over UART", "unbrick, loader"},
	{"quick: write 8 KB + verify over UART", "stm32flash"},
	{"quick: SPI flash, write 64 KB + verify", "unbrick --no-backup"},
	{"quick: SPI flash, write 64 KB + verify", "flashrom"},
};

static void quick_bench_runs(void **state)
{
	const char *argv[] = {run_sh,	   "--quick", "--repeat", "2",
			      "--unbrick", unbrick,   NULL};
	struct cli_result r;
	bool bad = false;

	(void)state;
	assert_int_equal(cli_run(&r, NULL, argv, TIMEOUT_S), 0);
	if (r.status || strstr(r.err, "Sanitizer") ||
	    strstr(r.err, "runtime error"))
		bad = true;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char cell[256];
		double s;

		row_cell(r.out, rows[i].workload, rows[i].tool, cell,
			 sizeof(cell));
		s = strtod(cell, NULL);
		fprintf(stderr, "  %s, %s: %s%s\n", rows[i].workload,
			rows[i].tool, cell, s > 0 ? " s" : "");
		if (!(s > 0))
			bad = true;
	}
	if (bad) {
		fprintf(stderr,
			"bench/run.sh --quick: status %d\n--- stdout:\n%s"
			"--- stderr:\n%s\n",
			r.status, r.out, r.err);
		cli_result_free(&r);
		fail();
	}
	cli_result_free(&r);
}

/* Its usage errors are errors, not an empty table. */
static void bad_option_is_refused(void **state)
{
	const char *argv[] = {run_sh, "--sideways", NULL};
	struct cli_result r;

	(void)state;
	assert_int_equal(cli_run(&r, NULL, argv, 60), 0);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "usage: bench/run.sh"));
	cli_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quick_bench_runs),
		cmocka_unit_test(bad_option_is_refused),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
