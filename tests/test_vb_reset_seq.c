// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unbrick reset SEQUENCE: a profile's named sequence on the board's lines
 * (a Spark Core with its MODE button wired, tests/data/spark-core-mode.conf:
 * dfu holds MODE through a reset), on the virtual board:
 * NRST pulsed, the waits on the board's clock, the chip not connected; an
 * unknown sequence refused with the ones that exist.
 */
#include "vb_restore_util.h"

static void spark_dfu(void **state)
{
	struct cli_result r;
	char dir[4200], report[4400], board[4200];

	(void)state;
	snprintf(board, sizeof(board), "%s/tests/data/spark-core-mode.conf",
		 vr.srcdir);
	vr_dir(dir, sizeof(dir), "dfu");
	vr_path(report, sizeof(report), dir, "report.json");
	vr_run(&r, board, dir, NULL, report, "-B", board, "reset", "dfu", NULL);
	vr_status(&r, 0);
	vr_has(r.err, "sequence dfu done");
	cli_result_free(&r);
	/* 20 ms in reset, 3.5 s with MODE held */
	assert_true(vr_report(report, "modeled_us") >= 3520000);
	/* one reset by NRST, and nothing of SWD: the chip not connected */
	assert_int_equal(vr_report(report, "resets"), 1);
	assert_int_equal(vr_report(report, "swclk_cycles"), 0);

	vr_run(&r, board, dir, NULL, NULL, "-B", board, "reset", "dfuu", NULL);
	vr_status(&r, 2);
	vr_has(r.err, "no [sequence dfuu]");
	cli_result_free(&r);
}

static int setup(void **state)
{
	(void)state;
	return vr_setup("vb-reset-seq");
}

static int teardown(void **state)
{
	(void)state;
	return vr_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spark_dfu),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
