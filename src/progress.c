// SPDX-License-Identifier: GPL-2.0-or-later
/* The progress bar, the JSON progress lines, or nothing. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ub/err.h"
#include "ub/out.h"
#include "ub/progress.h"

#define BAR_WIDTH 30
#define REDRAW_S  0.1

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void ub_progress_init(struct ub_progress *p, enum ub_progress_mode mode,
		      FILE *out)
{
	memset(p, 0, sizeof(*p));
	p->mode = mode;
	p->out = out;
	p->now = mono_now;
	p->what = "";
}

enum ub_progress_mode ub_progress_mode_for(FILE *out, int quiet, int json)
{
	if (json)
		return UB_PROGRESS_JSON;
	if (quiet || !isatty(fileno(out)))
		return UB_PROGRESS_NONE;
	return UB_PROGRESS_BAR;
}

/* 1536 -> "1.5 KiB" */
static void human(char *buf, size_t n, double v)
{
	static const char *const unit[] = {"B", "KiB", "MiB", "GiB"};
	int u = 0;

	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

static void draw(struct ub_progress *p, int final)
{
	double t = p->now() - p->start;
	double rate = t > 0 ? p->done / t : 0;
	char done[16], total[16], speed[16];
	int fill = p->total ? (int)(BAR_WIDTH * p->done / p->total) : 0;

	if (p->mode == UB_PROGRESS_JSON) {
		fputs("{\"progress\":", p->out);
		ub_json_str(p->out, p->what);
		fprintf(p->out,
			",\"done\":%llu,\"total\":%llu,\"seconds\":%.3f}\n",
			(unsigned long long)p->done,
			(unsigned long long)p->total, t);
		fflush(p->out);
		return;
	}
	human(done, sizeof(done), p->done);
	human(total, sizeof(total), p->total);
	human(speed, sizeof(speed), rate);
	fprintf(p->out, "\r%-10.10s [%.*s%*s] %s / %s  %s/s", p->what, fill,
		"##############################", BAR_WIDTH - fill, "", done,
		total, speed);
	if (final)
		fprintf(p->out, "  %.1f s\n", t);
	else if (rate > 0 && p->total > p->done)
		fprintf(p->out, "  ETA %.0f s ", (p->total - p->done) / rate);
	fflush(p->out);
}

void ub_progress_begin(struct ub_progress *p, const char *what, uint64_t total)
{
	if (!p || p->mode == UB_PROGRESS_NONE)
		return;
	p->what = what ? what : "";
	p->total = total;
	p->done = 0;
	p->start = p->now();
	p->last_draw = -1;
}

void ub_progress_update(struct ub_progress *p, uint64_t done)
{
	double t;

	if (!p || p->mode == UB_PROGRESS_NONE)
		return;
	p->done = done > p->total ? p->total : done;
	t = p->now();
	if (p->last_draw >= 0 && t - p->last_draw < REDRAW_S)
		return;
	p->last_draw = t;
	draw(p, 0);
}

void ub_progress_end(struct ub_progress *p, int err)
{
	if (!p || p->mode == UB_PROGRESS_NONE)
		return;
	if (!err)
		p->done = p->total;
	draw(p, 1);
	if (err && p->mode == UB_PROGRESS_JSON) {
		fputs("{\"progress\":", p->out);
		ub_json_str(p->out, p->what);
		fprintf(p->out, ",\"error\":\"%s\"}\n", ub_strerror(err));
	}
}
