// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ub_ldr_next_job (src/ldr_jobs.c): how an image is cut into flash jobs
 * that skip blank (0xFFFF) halfwords.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ub/loader.h"

static uint8_t img[1024];

static void next(size_t *pos, size_t max, size_t off, size_t n)
{
	size_t o = 0, k = 0;

	assert_true(ub_ldr_next_job(img, sizeof(img), pos, max, &o, &k));
	assert_int_equal(o, off);
	assert_int_equal(k, n);
}

/* Blank ends are skipped, a short blank run stays inside a job, a run of
 * UB_LDR_JOB_GAP bytes of 0xFF ends it, and max caps it. */
static void jobs_skip_blank(void **state)
{
	size_t pos = 0, o, n;

	(void)state;
	memset(img, 0xFF, sizeof(img));
	memset(img + 10, 0x00, 20);		      /* [10, 30) */
	memset(img + 40, 0x00, 2);		      /* 10 blank between */
	memset(img + 42 + UB_LDR_JOB_GAP, 0x12, 100); /* after a gap */
	img[1001] = 0x7F; /* odd byte, its halfword */
	next(&pos, 1024, 10, 32);
	next(&pos, 40, 42 + UB_LDR_JOB_GAP, 40); /* max */
	next(&pos, 1024, 42 + UB_LDR_JOB_GAP + 40, 60);
	next(&pos, 1024, 1000, 2);
	assert_false(ub_ldr_next_job(img, sizeof(img), &pos, 1024, &o, &n));
	assert_int_equal(pos, sizeof(img));
}

/* All blank: nothing to do. */
static void all_blank(void **state)
{
	size_t pos = 0, o, n;

	(void)state;
	memset(img, 0xFF, sizeof(img));
	assert_false(ub_ldr_next_job(img, sizeof(img), &pos, 256, &o, &n));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(jobs_skip_blank),
		cmocka_unit_test(all_blank),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
