// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The benchmark cannot rot: bench/run.sh --quick (one small workload per
 * tool: an 8 KB write and verify by unbrick and by OpenOCD, each on a fresh
 * virtual board, twice, with identical modelled figures required) succeeds
 * and prints a table row per tool with a positive modelled time. The full
 * bench is 'make bench'; it is not part of make check.
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

#define TIMEOUT_S 300

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
 * The modelled seconds of the table row "| quick... | TOOL | S | ...", or
 * -1 when there is no such row.
 */
static double row_seconds(const char *out, const char *tool)
{
	char want[128];
	const char *line = out;

	snprintf(want, sizeof(want), " | %s | ", tool);
	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		const char *hit = strstr(line, want);

		if (!strncmp(line, "| quick", 7) && hit && hit < line + len)
			return strtod(hit + strlen(want), NULL);
		line = end ? end + 1 : NULL;
	}
	return -1;
}

static void quick_bench_runs(void **state)
{
	const char *argv[] = {run_sh,	   "--quick", "--repeat", "2",
			      "--unbrick", unbrick,   NULL};
	struct cli_result r;
	double ub, ocd;

	(void)state;
	assert_int_equal(cli_run(&r, NULL, argv, TIMEOUT_S), 0);
	ub = row_seconds(r.out, "unbrick");
	ocd = row_seconds(r.out, "openocd");
	if (r.status || !(ub > 0) || !(ocd > 0) || strstr(r.err, "Sanitizer") ||
	    strstr(r.err, "runtime error")) {
		fprintf(stderr,
			"bench/run.sh --quick: status %d, unbrick %.3f s, "
			"OpenOCD %.3f s\n--- stdout:\n%s--- stderr:\n%s\n",
			r.status, ub, ocd, r.out, r.err);
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
