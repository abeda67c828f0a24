/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_DOCTOR_H
#define UB_DOCTOR_H

/*
 * unbrick doctor -B BOARD: the checks of the wiring and of the target,
 * layer by layer (src/doctor*.c): the Pi's lines (free? do they move?),
 * the link (SWD or the ROM bootloader), NRST and BOOT0, the companion
 * flash. Each check leaves an entry: fine, a problem with how to fix it,
 * or skipped; the command (src/cmd_doctor.c) prints them as they come.
 * A layer runs only when the one below it is sound, so that one mistake
 * gives one finding.
 */
#include <stdbool.h>
#include <stddef.h>

#include "ub/cli.h"
#include "ub/gpio.h"

struct ub_session;

enum ub_dr_kind {
	UB_DR_OK,
	UB_DR_PROBLEM,
	UB_DR_SKIPPED,
};

#define UB_DR_TEXT 1536

struct ub_dr_entry {
	enum ub_dr_kind kind;
	int err; /* a problem's enum ub_err */
	char what[UB_DR_TEXT];
	char fix[UB_DR_TEXT]; /* a problem's remedy, may be empty */
};

struct ub_dr {
	struct ub_ctx *ctx;
	const struct ub_board *b;
	int iface;
	unsigned problems;
	int first_err; /* the first problem's code */
	char first[UB_DR_TEXT];
	/* called for each entry as it is made (printing is the command's) */
	void (*emit)(struct ub_dr *d, const struct ub_dr_entry *e);
	/* what the line checks saw (doctor_lines.c) */
	bool nrst_high;	   /* NRST released reads high: pulled up */
	bool swdio_high;   /* SWDIO as an input reads high */
	bool lines_failed; /* a line does not move: the rest is skipped */
};

/* Entries (src/doctor.c). A problem returns err, for "return ...;". */
void ub_dr_ok(struct ub_dr *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ub_dr_skip(struct ub_dr *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int ub_dr_problem(struct ub_dr *d, int err, const char *fix, const char *fmt,
		  ...) __attribute__((format(printf, 4, 5)));

/*
 * Where a role's wire goes, from the profile: "Pi pin 18 (GPIO24) to RST",
 * "the adapter's RTS to CN7 pin 2", or "not wired".
 */
const char *ub_dr_wire(const struct ub_board *b, const char *role, char *buf,
		       size_t n);

/* Sleep ms milliseconds (nanosleep: a test harness may count it). */
void ub_dr_sleep_ms(unsigned ms);

/*
 * The lines (src/doctor_lines.c): each of SWCLK, SWDIO, NRST and BOOT0
 * that g holds is driven both ways and read back; NRST is pulled low (a
 * reset) and released. A line that does not follow is a problem; what
 * NRST and SWDIO read when let go is kept in d. The lines are left as
 * ub_gpio_open_board set them. Returns the problems found.
 */
unsigned ub_dr_lines(struct ub_dr *d, struct ub_gpio *g);

/* The SWD checks (src/doctor_swd.c) and the UART ones (doctor_uart.c). */
void ub_dr_swd(struct ub_dr *d);
void ub_dr_uart(struct ub_dr *d);

/* The companion flash through an open session (src/doctor_spi.c). */
void ub_dr_spi(struct ub_dr *d, struct ub_session *s);

#endif
