// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The GPIO wire over libgpiod 1.6 (Debian and Raspberry Pi OS bookworm).
 *
 * Finding a line: by the name "GPIOn" on every gpiochip (the Pi 5's RP1 and
 * recent Pi 3/4 kernels name the header lines so), then by the Pi 3/4
 * device-tree name ("SPI_SCLK" for GPIO11, from include/ub/pi.h), then as
 * offset n of the Pi 3/4 pin controller (label pinctrl-bcm2835 or
 * pinctrl-bcm2711), whose offsets are the BCM numbers.
 *
 * Requests: libgpiod 1.6 speaks the kernel's v1 interface, where a request
 * is one file handle and its set-values and set-config ioctls act on every
 * line of the handle, by position (drivers/gpio/gpiolib-cdev.c:
 * GPIOHANDLE_SET_LINE_VALUES_IOCTL, linehandle_set_config; libgpiod's
 * gpiod_line_set_value_bulk and gpiod_line_set_config_bulk pass the
 * positions of the bulk given straight through). So a bulk call on part of
 * a request writes the wrong lines, and turning one line of a request to an
 * input turns all of them; gpiod_line_set_config on one line of a shared
 * request is no way out. Hence the choice here: lines on one chip with one
 * configuration share one request (SPI_CS, SPI_CLK and SPI_MOSI change in
 * one ioctl; open-drain lines such as NRST and a button share another); a
 * line that turns (SWDIO; BOOT0 and push-pull board lines, which are
 * released by making them inputs) has a request of its own, reconfigured
 * in place with gpiod_line_set_config_bulk, never released and requested
 * again. Every write and reconfiguration covers a whole request, the other
 * lines' levels taken from the cache, and a request none of whose lines
 * changes is not written. When SWCLK and SWDIO both change that is two
 * ioctls (SWDIO only changes when the data bit does; SWCLK falls before and
 * rises after the data); libgpiod 2 can make it one.
 */
#include <errno.h>
#include <fcntl.h>
#include <gpiod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ub/err.h"
#include "ub/gpio.h"
#include "ub/pi.h"

#define MAX_CHIPS  32
#define CLOCKS	   (UB_BIT(UB_LINE_SWCLK) | UB_BIT(UB_LINE_SPI_CLK))
#define OD_FLAGS   (GPIOD_LINE_REQUEST_FLAG_OPEN_DRAIN)
#define BIAS_FLAGS (GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP)

/* Lines requested together: one chip, one configuration. */
struct group {
	struct gpiod_chip *chip;
	struct gpiod_line_bulk bulk;
	enum ub_line role[UB_LINE_MAX]; /* the role at each bulk position */
	unsigned mask;			/* UB_BIT() of its roles */
	int flags;			/* request flags when an output */
	bool output;			/* as requested */
	bool alone;			/* a line that turns */
	bool requested;
};

struct wire {
	struct ub_gpio g;
	int bcm[UB_LINE_MAX];
	struct group grp[UB_LINE_MAX];
	unsigned ngrp;
	struct gpiod_chip *chip[MAX_CHIPS];
	unsigned nchip;
};

static const struct ub_gpio_ops gpiod_ops;

static struct wire *wire_of(struct ub_gpio *g)
{
	return (struct wire *)g;
}

/* The first role of mask, for messages. */
static int first_role(unsigned mask)
{
	return mask ? __builtin_ctz(mask) : 0;
}

/* --- finding the lines --- */

static bool is_bcm_pinctrl(struct gpiod_chip *c)
{
	const char *label = gpiod_chip_label(c);

	return label && (!strcmp(label, "pinctrl-bcm2835") ||
			 !strcmp(label, "pinctrl-bcm2711"));
}

static struct gpiod_line *find_line(struct wire *w, int bcm)
{
	const char *names[2];
	char buf[16];
	unsigned n = ub_gpio_line_names(bcm, names, buf, sizeof(buf));
	struct gpiod_line *l;

	for (unsigned k = 0; k < n; k++)
		for (unsigned i = 0; i < w->nchip; i++) {
			l = gpiod_chip_find_line(w->chip[i], names[k]);
			if (l)
				return l;
		}
	for (unsigned i = 0; i < w->nchip; i++)
		if (is_bcm_pinctrl(w->chip[i]) &&
		    (unsigned)bcm < gpiod_chip_num_lines(w->chip[i])) {
			l = gpiod_chip_get_line(w->chip[i], (unsigned)bcm);
			if (l)
				return l;
		}
	return NULL;
}

static int not_found(struct wire *w, int bcm)
{
	char chips[160] = "";
	size_t len = 0;

	for (unsigned i = 0; i < w->nchip && len < sizeof(chips); i++) {
		const char *label = gpiod_chip_label(w->chip[i]);

		len += (size_t)snprintf(chips + len, sizeof(chips) - len,
					"%s%s", i ? ", " : "",
					label ? label : "?");
	}
	return ub_gpio_not_found(bcm, chips);
}

static int open_chips(struct wire *w)
{
	struct gpiod_chip_iter *it;
	struct gpiod_chip *c;
	char path[300];
	int e;

	errno = 0;
	it = gpiod_chip_iter_new();
	e = errno;
	if (!it && (e == EACCES || e == EPERM)) {
		ub_gpio_denied_chip(path, sizeof(path));
		return ub_gpio_no_permission(path);
	}
	if (!it && e != ENOENT)
		return ub_fail(UB_EIO, "cannot list the GPIO chips: %s",
			       strerror(e));
	if (it) {
		gpiod_foreach_chip_noclose(it, c)
		{
			if (w->nchip < MAX_CHIPS)
				w->chip[w->nchip++] = c;
			else
				gpiod_chip_close(c);
		}
		gpiod_chip_iter_free_noclose(it);
	}
	if (!w->nchip)
		return ub_fail(UB_ENOENT,
			       "no GPIO chip found: is this a Raspberry Pi? "
			       "/dev/gpiochip* is missing");
	return 0;
}

/* --- requests --- */

static int request_flags(const struct ub_gpio_req *r)
{
	int flags = 0;

	if (r->open_drain)
		flags |= GPIOD_LINE_REQUEST_FLAG_OPEN_DRAIN;
	if (r->pull_up)
		flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP;
	return flags;
}

/* The group line l joins, made when none fits. */
static struct group *group_for(struct wire *w, const struct ub_gpio_req *r,
			       struct gpiod_line *l)
{
	struct gpiod_chip *chip = gpiod_line_get_chip(l);
	int flags = request_flags(r);
	bool alone = r->turns;
	struct group *gr;

	for (unsigned i = 0; i < w->ngrp && !alone; i++) {
		gr = &w->grp[i];
		if (gr->chip == chip && !gr->alone && gr->output == r->output &&
		    gr->flags == flags)
			return gr;
	}
	gr = &w->grp[w->ngrp++];
	gr->chip = chip;
	gr->flags = flags;
	gr->output = r->output;
	gr->alone = alone;
	gpiod_line_bulk_init(&gr->bulk);
	return gr;
}

/* The flags for a group as an output or as an input. */
static int group_flags(const struct group *gr, bool output)
{
	return output ? gr->flags : gr->flags & ~OD_FLAGS;
}

static void group_levels(struct group *gr, unsigned levels, int *vals)
{
	unsigned n = gpiod_line_bulk_num_lines(&gr->bulk);

	for (unsigned i = 0; i < n; i++)
		vals[i] = (int)(levels >> gr->role[i] & 1);
}

static int busy(struct wire *w, struct group *gr)
{
	unsigned n = gpiod_line_bulk_num_lines(&gr->bulk);

	for (unsigned i = 0; i < n; i++) {
		struct gpiod_line *l = gpiod_line_bulk_get_line(&gr->bulk, i);
		const char *who;

		if (gpiod_line_update(l) || !gpiod_line_is_used(l))
			continue;
		who = gpiod_line_consumer(l);
		if (who)
			return ub_fail(UB_EBUSY,
				       "GPIO%d is in use by '%s': stop it, "
				       "or move the line with --pin",
				       w->bcm[gr->role[i]], who);
		return ub_fail(UB_EBUSY,
			       "GPIO%d is in use by the kernel (a driver or a "
			       "device-tree overlay holds it): disable that in "
			       "config.txt, or move the line with --pin",
			       w->bcm[gr->role[i]]);
	}
	return ub_fail(UB_EBUSY,
		       "GPIO%d is in use by another program: stop it, or move "
		       "the line with --pin",
		       w->bcm[gr->role[0]]);
}

static int request(struct wire *w, struct group *gr, const char *consumer)
{
	struct gpiod_line_request_config cfg = {
		.consumer = consumer,
		.request_type = gr->output ? GPIOD_LINE_REQUEST_DIRECTION_OUTPUT
					   : GPIOD_LINE_REQUEST_DIRECTION_INPUT,
		.flags = group_flags(gr, gr->output),
	};
	int vals[GPIOD_LINE_BULK_MAX_LINES];
	char path[300];
	int e;

	group_levels(gr, w->g.levels, vals);
	if (!gpiod_line_request_bulk(&gr->bulk, &cfg, vals)) {
		gr->requested = true;
		return 0;
	}
	e = errno;
	if (e == EBUSY)
		return busy(w, gr);
	if (e == EACCES || e == EPERM) {
		snprintf(path, sizeof(path), "/dev/%s",
			 gpiod_chip_name(gr->chip));
		return ub_gpio_no_permission(path);
	}
	return ub_fail(UB_EIO, "cannot request GPIO%d on %s: %s%s",
		       w->bcm[gr->role[0]], gpiod_chip_name(gr->chip),
		       strerror(e),
		       e == EINVAL && gr->flags & BIAS_FLAGS
			       ? " (a pull-up needs Linux 5.5 or later)"
			       : "");
}

/* Turn a whole group, in place; 0 or errno. */
static int turn(struct wire *w, struct group *gr, bool output)
{
	int vals[GPIOD_LINE_BULK_MAX_LINES];

	group_levels(gr, w->g.levels, vals);
	if (gpiod_line_set_config_bulk(
		    &gr->bulk,
		    output ? GPIOD_LINE_REQUEST_DIRECTION_OUTPUT
			   : GPIOD_LINE_REQUEST_DIRECTION_INPUT,
		    group_flags(gr, output), vals))
		return errno ? errno : EIO;
	return 0;
}

/* Release everything: back to inputs first, then let go. */
static void teardown(struct ub_gpio *g)
{
	struct wire *w = wire_of(g);

	for (unsigned i = 0; i < w->ngrp; i++) {
		struct group *gr = &w->grp[i];

		if (!gr->requested)
			continue;
		if (w->g.outputs & gr->mask)
			turn(w, gr, false);
		gpiod_line_release_bulk(&gr->bulk);
		gr->requested = false;
	}
	for (unsigned i = 0; i < w->nchip; i++)
		gpiod_chip_close(w->chip[i]);
	w->nchip = 0;
}

/* Close the chips that hold none of our lines. */
static void keep_used_chips(struct wire *w)
{
	unsigned n = 0;

	for (unsigned i = 0; i < w->nchip; i++) {
		bool used = false;

		for (unsigned k = 0; k < w->ngrp; k++)
			used |= w->grp[k].chip == w->chip[i];
		if (used)
			w->chip[n++] = w->chip[i];
		else
			gpiod_chip_close(w->chip[i]);
	}
	w->nchip = n;
}

static int setup(struct ub_gpio *g, const struct ub_gpio_req *req, unsigned n,
		 const char *consumer)
{
	struct wire *w = wire_of(g);
	int err = open_chips(w);

	for (unsigned i = 0; i < n && !err; i++) {
		const struct ub_gpio_req *r = &req[i];
		struct gpiod_line *l = find_line(w, r->bcm);
		struct group *gr;

		if (!l)
			return not_found(w, r->bcm);
		w->bcm[r->line] = r->bcm;
		w->g.have |= UB_BIT(r->line);
		if (r->output)
			w->g.outputs |= UB_BIT(r->line);
		if (r->initial)
			w->g.levels |= UB_BIT(r->line);
		gr = group_for(w, r, l);
		gr->role[gpiod_line_bulk_num_lines(&gr->bulk)] = r->line;
		gr->mask |= UB_BIT(r->line);
		gpiod_line_bulk_add(&gr->bulk, l);
	}
	if (err)
		return err;
	keep_used_chips(w);
	for (unsigned i = 0; i < w->ngrp && !err; i++)
		err = request(w, &w->grp[i], consumer);
	return err;
}

static const struct ub_gpiod_backend backend = {
	.size = sizeof(struct wire),
	.ops = &gpiod_ops,
	.detail = "libgpiod 1.6",
	.setup = setup,
	.teardown = teardown,
};

struct ub_gpio *ub_gpio_open_gpiod(const struct ub_gpio_req *req, unsigned n,
				   const char *consumer, int *err)
{
	return ub_gpiod_open(&backend, req, n, consumer, err);
}

/* --- the operations --- */

static int not_ours(unsigned mask)
{
	return ub_fail(UB_EINVAL,
		       "GPIO line role %d was not requested in this session",
		       first_role(mask));
}

/* When a group is written: a falling clock first, a rising one last. */
static int pass_of(const struct group *gr, unsigned change, unsigned want)
{
	unsigned clk = gr->mask & change & CLOCKS;

	if (clk & ~want)
		return 0;
	return clk ? 2 : 1;
}

static int gpiod_set(struct ub_gpio *g, unsigned mask, unsigned values)
{
	struct wire *w = wire_of(g);
	unsigned want = (g->levels & ~mask) | (values & mask);
	unsigned change = (want ^ g->levels) & g->outputs;
	int vals[GPIOD_LINE_BULK_MAX_LINES];

	if (mask & ~g->have)
		return not_ours(mask & ~g->have);
	/* inputs: remembered, driven when they turn */
	g->levels = (g->levels & g->outputs) | (want & ~g->outputs);
	for (int pass = 0; pass < 3 && change; pass++)
		for (unsigned i = 0; i < w->ngrp; i++) {
			struct group *gr = &w->grp[i];

			if (!(gr->mask & change) ||
			    pass_of(gr, change, want) != pass)
				continue;
			group_levels(gr, want, vals);
			g->writes++;
			if (gpiod_line_set_value_bulk(&gr->bulk, vals))
				return ub_fail(
					UB_EIO, "cannot set GPIO%d: %s",
					w->bcm[first_role(gr->mask & change)],
					strerror(errno));
			g->levels = (g->levels & ~gr->mask) | (want & gr->mask);
		}
	return 0;
}

static int gpiod_get(struct ub_gpio *g, unsigned mask, unsigned *values)
{
	struct wire *w = wire_of(g);
	int vals[GPIOD_LINE_BULK_MAX_LINES];
	unsigned v = 0;

	if (mask & ~g->have)
		return not_ours(mask & ~g->have);
	for (unsigned i = 0; i < w->ngrp; i++) {
		struct group *gr = &w->grp[i];
		unsigned n = gpiod_line_bulk_num_lines(&gr->bulk);

		if (!(gr->mask & mask))
			continue;
		if (gpiod_line_get_value_bulk(&gr->bulk, vals))
			return ub_fail(UB_EIO, "cannot read GPIO%d: %s",
				       w->bcm[first_role(gr->mask & mask)],
				       strerror(errno));
		for (unsigned k = 0; k < n; k++)
			if (vals[k] > 0)
				v |= UB_BIT(gr->role[k]);
	}
	*values = v & mask;
	return 0;
}

static int gpiod_dir(struct ub_gpio *g, unsigned mask, unsigned outputs)
{
	struct wire *w = wire_of(g);
	unsigned want = (g->outputs & ~mask) | (outputs & mask);
	unsigned change = want ^ g->outputs;

	if (mask & ~g->have)
		return not_ours(mask & ~g->have);
	for (unsigned i = 0; i < w->ngrp; i++) {
		struct group *gr = &w->grp[i];
		unsigned out = want & gr->mask;
		int e;

		if (!(gr->mask & change))
			continue;
		if (out && out != gr->mask)
			return ub_fail(UB_EINVAL,
				       "GPIO%d cannot turn alone: it shares "
				       "a request with GPIO%d (ask for it with "
				       "'turns')",
				       w->bcm[first_role(gr->mask & change)],
				       w->bcm[first_role(gr->mask & ~change)]);
		e = turn(w, gr, out != 0);
		if (e)
			return ub_fail(UB_EIO, "cannot make GPIO%d an %s: %s",
				       w->bcm[first_role(gr->mask & change)],
				       out ? "output" : "input", strerror(e));
		g->outputs = (g->outputs & ~gr->mask) | out;
	}
	return 0;
}

static void gpiod_close(struct ub_gpio *g)
{
	struct wire *w = wire_of(g);

	ub_gpio_untrack(g);
	teardown(g);
	free(w);
}

static const struct ub_gpio_ops gpiod_ops = {
	.set = gpiod_set,
	.get = gpiod_get,
	.dir = gpiod_dir,
	.close = gpiod_close,
};

/* --- what the build knows of libgpiod --- */

int ub_gpiod_api(void)
{
	return 1;
}

const char *ub_gpiod_version(void)
{
	return gpiod_version_string();
}

int ub_gpiod_list_chips(void (*fn)(void *arg, const char *path,
				   const char *label, unsigned lines),
			void *arg)
{
	struct wire w = {0};
	char path[300];
	int err = open_chips(&w);

	for (unsigned i = 0; i < w.nchip; i++) {
		snprintf(path, sizeof(path), "/dev/%s",
			 gpiod_chip_name(w.chip[i]));
		fn(arg, path, gpiod_chip_label(w.chip[i]),
		   gpiod_chip_num_lines(w.chip[i]));
		gpiod_chip_close(w.chip[i]);
	}
	return err;
}
