// SPDX-License-Identifier: GPL-2.0-or-later
/* unbrick doctor's entries, and the words for where a wire goes. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "doctor.h"
#include "ub/err.h"
#include "ub/pi.h"

static void add(struct ub_dr *d, struct ub_dr_entry *e)
{
	if (e->kind == UB_DR_PROBLEM) {
		if (!d->problems++) {
			d->first_err = e->err;
			snprintf(d->first, sizeof(d->first), "%s", e->what);
		}
	}
	if (d->emit)
		d->emit(d, e);
}

void ub_dr_ok(struct ub_dr *d, const char *fmt, ...)
{
	struct ub_dr_entry e = {.kind = UB_DR_OK};
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e.what, sizeof(e.what), fmt, ap);
	va_end(ap);
	add(d, &e);
}

void ub_dr_skip(struct ub_dr *d, const char *fmt, ...)
{
	struct ub_dr_entry e = {.kind = UB_DR_SKIPPED};
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e.what, sizeof(e.what), fmt, ap);
	va_end(ap);
	add(d, &e);
}

int ub_dr_problem(struct ub_dr *d, int err, const char *fix, const char *fmt,
		  ...)
{
	struct ub_dr_entry e = {.kind = UB_DR_PROBLEM, .err = err};
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e.what, sizeof(e.what), fmt, ap);
	va_end(ap);
	snprintf(e.fix, sizeof(e.fix), "%s", fix ? fix : "");
	add(d, &e);
	/* the checks' own messages are in the entry: leave none behind */
	ub_clear_error();
	return err;
}

const char *ub_dr_wire(const struct ub_board *b, const char *role, char *buf,
		       size_t n)
{
	const struct ub_board_pin *p = ub_board_pin(b, role);
	char name[16];

	if (p && p->modem)
		snprintf(buf, n, "the adapter's %s to %s",
			 ub_modem_name(p->modem, p->modem_inverted),
			 p->pad[0] ? p->pad : role);
	else if (p && p->pi)
		snprintf(buf, n, "Pi pin %d (%s) to %s", p->pi,
			 ub_pi_pin_name(p->pi, name, sizeof(name)),
			 p->pad[0] ? p->pad : role);
	else
		snprintf(buf, n, "not wired");
	return buf;
}

void ub_dr_sleep_ms(unsigned ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts))
		;
}
