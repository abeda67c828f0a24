/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_PROGRESS_H
#define UB_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

/*
 * Progress of long operations. Lower layers get a struct ub_progress * (may
 * be NULL) and call ub_progress_begin/update/end; how it is shown is chosen
 * once, by the command line: a bar with bytes, rate and ETA on a terminal,
 * JSON lines with --json, nothing when quiet or not on a terminal.
 */
enum ub_progress_mode {
	UB_PROGRESS_NONE,
	UB_PROGRESS_BAR,
	UB_PROGRESS_JSON,
};

struct ub_progress {
	enum ub_progress_mode mode;
	FILE *out;
	double (*now)(void); /* seconds, monotonic; replaceable in tests */
	const char *what;
	uint64_t total, done;
	double start, last_draw;
};

/* Set up p to report on out (stderr normally). */
void ub_progress_init(struct ub_progress *p, enum ub_progress_mode mode,
		      FILE *out);

/* Pick the mode a user expects: quiet/json/terminal or not. */
enum ub_progress_mode ub_progress_mode_for(FILE *out, int quiet, int json);

void ub_progress_begin(struct ub_progress *p, const char *what, uint64_t total);
void ub_progress_update(struct ub_progress *p, uint64_t done);
void ub_progress_end(struct ub_progress *p, int err);

#endif
