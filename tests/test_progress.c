// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Progress reporting with a fake clock into a memory stream: the bar shows
 * bytes, rate and ETA and ends its line; JSON mode prints one object a line
 * with done and total; NONE prints nothing; a NULL progress is ignored.
 */
#define _GNU_SOURCE /* open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ub/err.h"
#include "ub/progress.h"

static double fake_time;

static double fake_now(void)
{
	return fake_time;
}

struct sink {
	FILE *f;
	char *buf;
	size_t len;
};

static void sink_open(struct sink *s)
{
	memset(s, 0, sizeof(*s));
	s->f = open_memstream(&s->buf, &s->len);
	assert_non_null(s->f);
}

/* What was written so far (NUL-terminated). */
static const char *sink_text(struct sink *s)
{
	fflush(s->f);
	return s->buf ? s->buf : "";
}

static void sink_close(struct sink *s)
{
	fclose(s->f);
	free(s->buf);
}

static void start(struct ub_progress *p, struct sink *s,
		  enum ub_progress_mode mode)
{
	sink_open(s);
	ub_progress_init(p, mode, s->f);
	assert_int_equal(p->mode, mode);
	assert_ptr_equal(p->out, s->f);
	p->now = fake_now;
	fake_time = 100.0;
}

static unsigned count(const char *s, const char *what)
{
	unsigned n = 0;

	for (s = strstr(s, what); s; s = strstr(s + 1, what))
		n++;
	return n;
}

static void bar_shows_bytes_rate_eta(void **state)
{
	struct ub_progress p;
	struct sink s;
	const char *t;

	(void)state;
	start(&p, &s, UB_PROGRESS_BAR);
	ub_progress_begin(&p, "write", 10240);
	assert_string_equal(sink_text(&s), ""); /* nothing until an update */

	fake_time = 101.0; /* 1 s later, 2 KiB done: 2 KiB/s, 4 s to go */
	ub_progress_update(&p, 2048);
	t = sink_text(&s);
	assert_int_equal(t[0], '\r');
	assert_non_null(strstr(t, "write"));
	assert_non_null(strstr(t, "2.0 KiB / 10.0 KiB"));
	assert_non_null(strstr(t, "2.0 KiB/s"));
	assert_non_null(strstr(t, "ETA 4 s"));
	assert_non_null(strstr(t, "[######                        ]"));
	assert_null(strchr(t, '\n')); /* the bar stays on its line */

	fake_time = 103.0; /* 8 KiB in 3 s: 1 s to go */
	ub_progress_update(&p, 8192);
	t = sink_text(&s);
	assert_int_equal(count(t, "\r"), 2);
	assert_non_null(strstr(t, "8.0 KiB / 10.0 KiB"));
	assert_non_null(strstr(t, "ETA 1 s"));
	assert_null(strchr(t, '\n'));

	fake_time = 104.0;
	ub_progress_end(&p, 0);
	t = sink_text(&s);
	assert_int_equal(count(t, "\r"), 3);
	/* the final line: everything done, the rate, the time, a newline */
	assert_non_null(strstr(t, "10.0 KiB / 10.0 KiB"));
	assert_non_null(strstr(t, "2.5 KiB/s"));
	assert_non_null(strstr(t, "4.0 s\n"));
	assert_non_null(strstr(t, "[##############################]"));
	assert_int_equal(t[strlen(t) - 1], '\n');
	assert_int_equal(count(t, "\n"), 1);
	assert_int_equal(count(t, "ETA"), 2); /* none on the final line */
	sink_close(&s);
}

static void bar_redraws_at_most_ten_times_a_second(void **state)
{
	struct ub_progress p;
	struct sink s;

	(void)state;
	start(&p, &s, UB_PROGRESS_BAR);
	ub_progress_begin(&p, "read", 1000);
	fake_time = 100.5;
	ub_progress_update(&p, 100);
	fake_time = 100.52;
	ub_progress_update(&p, 200); /* too soon: not drawn */
	fake_time = 100.55;
	ub_progress_update(&p, 300); /* too soon: not drawn */
	assert_int_equal(count(sink_text(&s), "\r"), 1);
	assert_null(strstr(sink_text(&s), "300 B"));
	fake_time = 100.7;
	ub_progress_update(&p, 400);
	assert_int_equal(count(sink_text(&s), "\r"), 2);
	assert_non_null(strstr(sink_text(&s), "400 B / 1000 B"));
	/* the end is always drawn */
	ub_progress_end(&p, 0);
	assert_int_equal(count(sink_text(&s), "\r"), 3);
	assert_non_null(strstr(sink_text(&s), "1000 B / 1000 B"));
	sink_close(&s);
}

static void bar_clamps_done_to_total(void **state)
{
	struct ub_progress p;
	struct sink s;

	(void)state;
	start(&p, &s, UB_PROGRESS_BAR);
	ub_progress_begin(&p, "erase", 2 * 1024 * 1024);
	fake_time = 102.0;
	ub_progress_update(&p, 5 * 1024 * 1024);
	assert_int_equal(p.done, 2 * 1024 * 1024);
	assert_non_null(strstr(sink_text(&s), "2.0 MiB / 2.0 MiB"));
	assert_null(strstr(sink_text(&s), "ETA"));
	ub_progress_end(&p, 0);
	sink_close(&s);
}

static void bar_error_keeps_done(void **state)
{
	struct ub_progress p;
	struct sink s;
	const char *t;

	(void)state;
	start(&p, &s, UB_PROGRESS_BAR);
	ub_progress_begin(&p, "verify", 4096);
	fake_time = 101.0;
	ub_progress_update(&p, 1024);
	fake_time = 102.0;
	ub_progress_end(&p, UB_EVERIFY);
	t = sink_text(&s);
	assert_int_equal(p.done, 1024);
	assert_int_equal(t[strlen(t) - 1], '\n');
	assert_null(strstr(t, "4.0 KiB / 4.0 KiB"));
	assert_non_null(strstr(t, "1.0 KiB / 4.0 KiB"));
	sink_close(&s);
}

static void json_lines(void **state)
{
	struct ub_progress p;
	struct sink s;
	const char *t;

	(void)state;
	start(&p, &s, UB_PROGRESS_JSON);
	ub_progress_begin(&p, "write", 4096);
	fake_time = 101.0;
	ub_progress_update(&p, 1024);
	fake_time = 102.0;
	ub_progress_update(&p, 3072);
	fake_time = 102.5;
	ub_progress_end(&p, 0);
	t = sink_text(&s);
	assert_string_equal(
		t, "{\"progress\":\"write\",\"done\":1024,\"total\":4096,"
		   "\"seconds\":1.000}\n"
		   "{\"progress\":\"write\",\"done\":3072,\"total\":4096,"
		   "\"seconds\":2.000}\n"
		   "{\"progress\":\"write\",\"done\":4096,\"total\":4096,"
		   "\"seconds\":2.500}\n");
	assert_null(strchr(t, '\r'));
	sink_close(&s);
}

static void json_error(void **state)
{
	struct ub_progress p;
	struct sink s;
	const char *t;

	(void)state;
	start(&p, &s, UB_PROGRESS_JSON);
	ub_progress_begin(&p, "read", 100);
	fake_time = 100.25;
	ub_progress_end(&p, UB_ETIMEOUT);
	t = sink_text(&s);
	assert_string_equal(
		t, "{\"progress\":\"read\",\"done\":0,\"total\":100,"
		   "\"seconds\":0.250}\n"
		   "{\"progress\":\"read\",\"error\":\"timed out\"}\n");
	sink_close(&s);
}

static void none_prints_nothing(void **state)
{
	struct ub_progress p;
	struct sink s;

	(void)state;
	start(&p, &s, UB_PROGRESS_NONE);
	ub_progress_begin(&p, "write", 4096);
	fake_time = 101.0;
	ub_progress_update(&p, 1024);
	fake_time = 105.0;
	ub_progress_update(&p, 4096);
	ub_progress_end(&p, 0);
	ub_progress_end(&p, UB_EIO);
	assert_int_equal(s.len, 0);
	assert_string_equal(sink_text(&s), "");
	sink_close(&s);
}

static void null_is_safe(void **state)
{
	(void)state;
	ub_progress_begin(NULL, "write", 4096);
	ub_progress_update(NULL, 1024);
	ub_progress_end(NULL, 0);
	ub_progress_end(NULL, UB_EIO);
}

static void mode_for(void **state)
{
	FILE *f = tmpfile();

	(void)state;
	assert_non_null(f);
	assert_int_equal(ub_progress_mode_for(f, 0, 1), UB_PROGRESS_JSON);
	assert_int_equal(ub_progress_mode_for(f, 1, 1), UB_PROGRESS_JSON);
	assert_int_equal(ub_progress_mode_for(f, 1, 0), UB_PROGRESS_NONE);
	/* a file is not a terminal: no bar */
	assert_int_equal(ub_progress_mode_for(f, 0, 0), UB_PROGRESS_NONE);
	fclose(f);
}

static void real_clock(void **state)
{
	struct ub_progress p;
	double a, b;

	(void)state;
	ub_progress_init(&p, UB_PROGRESS_NONE, stderr);
	assert_non_null(p.now);
	a = p.now();
	b = p.now();
	assert_true(a > 0);
	assert_true(b >= a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bar_shows_bytes_rate_eta),
		cmocka_unit_test(bar_redraws_at_most_ten_times_a_second),
		cmocka_unit_test(bar_clamps_done_to_total),
		cmocka_unit_test(bar_error_keeps_done),
		cmocka_unit_test(json_lines),
		cmocka_unit_test(json_error),
		cmocka_unit_test(none_prints_nothing),
		cmocka_unit_test(null_is_safe),
		cmocka_unit_test(mode_for),
		cmocka_unit_test(real_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
