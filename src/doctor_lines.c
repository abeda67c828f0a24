// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unbrick doctor: do the Pi's lines move? Each one is driven both ways and
 * read back. The pin controller reads the pad, so a line shorted to GND or
 * 3V3, or fought by a stronger output on the board, reads what the wire
 * does and not what the Pi asked for.
 */
#include <stdio.h>
#include <string.h>

#include "doctor.h"
#include "ub/err.h"

/* How long a released NRST takes to rise: the chip's pull-up (30-50 kOhm,
 * DS5319 "NRST pin characteristics") into the usual 100 nF, about 4 ms. */
#define RISE_MS 20

struct role {
	enum ub_line line;
	const char *role, *name;
};

static const struct role roles[] = {
	{UB_LINE_SWCLK, "swclk", "SWCLK"},
	{UB_LINE_SWDIO, "swdio", "SWDIO"},
	{UB_LINE_BOOT0, "boot0", "BOOT0"},
	{UB_LINE_NRST, "nrst", "NRST"},
};

static int level(struct ub_gpio *g, unsigned bit, unsigned *v)
{
	unsigned all = 0;
	int err = ub_gpio_get(g, bit, &all);

	*v = !!(all & bit);
	return err;
}

/* What a line that does not follow the Pi is, and what to do. */
static int stuck(struct ub_dr *d, const struct role *r, unsigned hi,
		 unsigned lo, bool open_drain)
{
	char wire[UB_TEXT_MAX + 64], fix[UB_DR_TEXT];
	const char *to = hi ? "3V3" : "GND";

	ub_dr_wire(d->b, r->role, wire, sizeof(wire));
	snprintf(fix, sizeof(fix),
		 "look for a short from that wire or pad to %s (a solder "
		 "bridge, a stray strand) and for another output on it (a "
		 "second programmer, the board's own %s circuit); moving the "
		 "Pi end to a free GPIO (--pin %s=GPIOn) tells a bad Pi pin "
		 "from a bad wire",
		 to, r->name, r->role);
	if (open_drain)
		return ub_dr_problem(d, UB_EIO, fix,
				     "%s stays high when the Pi pulls it low "
				     "(%s): it is shorted to 3V3, or another "
				     "output drives it high",
				     r->name, wire);
	if (hi == lo)
		return ub_dr_problem(d, UB_EIO, fix,
				     "%s stays %s whatever the Pi drives "
				     "(%s): it is shorted to %s, or another "
				     "output holds it",
				     r->name, hi ? "high" : "low", wire, to);
	return ub_dr_problem(d, UB_EIO, fix,
			     "%s reads the opposite of what the Pi drives "
			     "(%s): another output is on the wire",
			     r->name, wire);
}

/* A push-pull line: high, then low, read back each time; left as it was. */
static int push_pull(struct ub_dr *d, struct ub_gpio *g, const struct role *r)
{
	unsigned bit = UB_BIT(r->line), was = g->levels & bit, hi = 0, lo = 1;
	bool out = g->outputs & bit;
	int err = ub_gpio_set(g, bit, bit);

	if (!err && !out)
		err = ub_gpio_dir(g, bit, bit);
	if (!err)
		err = level(g, bit, &hi);
	if (!err)
		err = ub_gpio_set(g, bit, 0);
	if (!err)
		err = level(g, bit, &lo);
	if (!err)
		err = ub_gpio_set(g, bit, was);
	if (!err && !out)
		err = ub_gpio_dir(g, bit, 0);
	if (err)
		return ub_dr_problem(d, err, NULL, "%s cannot be driven: %s",
				     r->name, ub_errmsg(err));
	if (hi && !lo)
		return 0;
	return stuck(d, r, hi, lo, false);
}

/* SWDIO let go: the target's pull-up (it needs power) makes it high. */
static int swdio_alone(struct ub_dr *d, struct ub_gpio *g)
{
	unsigned bit = UB_BIT(UB_LINE_SWDIO), v = 0, out = g->outputs & bit;
	int err = ub_gpio_dir(g, bit, 0);

	if (!err) {
		ub_dr_sleep_ms(1);
		err = level(g, bit, &v);
	}
	if (!err && out)
		err = ub_gpio_dir(g, bit, bit);
	d->swdio_high = v;
	return err ? ub_dr_problem(d, err, NULL, "SWDIO cannot be read: %s",
				   ub_errmsg(err))
		   : 0;
}

/* NRST, open drain: pulled low it must read low; let go, the board's
 * pull-up raises it (when the board has power). A pulse: the chip resets. */
static int nrst(struct ub_dr *d, struct ub_gpio *g, const struct role *r)
{
	unsigned bit = UB_BIT(UB_LINE_NRST), lo = 1, hi = 0;
	int err = ub_gpio_set(g, bit, 0);

	if (!err) {
		ub_dr_sleep_ms(1);
		err = level(g, bit, &lo);
	}
	if (!err)
		err = ub_gpio_set(g, bit, bit);
	if (!err) {
		ub_dr_sleep_ms(RISE_MS);
		err = level(g, bit, &hi);
	}
	if (err)
		return ub_dr_problem(d, err, NULL, "NRST cannot be driven: %s",
				     ub_errmsg(err));
	d->nrst_high = hi;
	return lo ? stuck(d, r, 1, 1, true) : 0;
}

unsigned ub_dr_lines(struct ub_dr *d, struct ub_gpio *g)
{
	unsigned before = d->problems;
	char moved[128] = "";

	d->nrst_high = d->swdio_high = true;
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		const struct role *r = &roles[i];
		const struct ub_board_pin *p = ub_board_pin(d->b, r->role);
		unsigned n = d->problems;

		if (!(g->have & UB_BIT(r->line)))
			continue;
		if (r->line == UB_LINE_NRST && p && p->open_drain)
			nrst(d, g, r);
		else
			push_pull(d, g, r);
		if (r->line == UB_LINE_SWDIO && d->problems == n)
			swdio_alone(d, g);
		if (d->problems == n)
			snprintf(moved + strlen(moved),
				 sizeof(moved) - strlen(moved), "%s%s",
				 moved[0] ? ", " : "", r->name);
	}
	if (moved[0])
		ub_dr_ok(d, "%s follow%s what the Pi drives (read back)", moved,
			 strchr(moved, ',') ? "" : "s");
	return d->problems - before;
}
