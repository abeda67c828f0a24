// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The GPIO wire over libgpiod 2 (Debian trixie, Raspberry Pi OS trixie,
 * bookworm-backports): the same ops as src/gpio_gpiod.c, on the v2 API.
 *
 * Finding a line: libgpiod 2 has no chip iterator, so the chips are the
 * /dev/gpiochipN that open (N up to 63, and any other gpiochip in /dev);
 * a line is looked for by its name "GPIOn" on every chip, then by the Pi
 * 3/4 device-tree name, then as offset n of the Pi 3/4 pin controller. So
 * the Pi 5's RP1 ("pinctrl-rp1") is found whether it is gpiochip4 (Linux
 * 6.1) or gpiochip0 (6.6 and later).
 *
 * Requests: the v2 kernel interface takes settings per line within one
 * request, sets any subset of its lines in one ioctl
 * (gpiod_line_request_set_values_subset) and reconfigures lines in place
 * (gpiod_line_request_reconfigure_lines, with every line's settings, the
 * others unchanged). So all our lines on one chip share one request, with
 * the clock lines last in it: SWCLK and SWDIO change in one call, and the
 * kernel, which writes the lines in request order, sets data before the
 * rising edge. SWDIO turns in place, never released and requested again.
 */
#include <dirent.h>
#include <errno.h>
#include <gpiod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ub/err.h"
#include "ub/gpio.h"

#define MAX_CHIPS    32
#define MAX_CHIP_NUM 64
#define CLOCKS	     (UB_BIT(UB_LINE_SWCLK) | UB_BIT(UB_LINE_SPI_CLK))

/* Our lines on one chip: one request. */
struct chipreq {
	unsigned chip; /* index in wire.chip */
	struct gpiod_line_request *req;
	unsigned n;
	unsigned offset[UB_LINE_MAX];
	enum ub_line role[UB_LINE_MAX];
	unsigned mask;
};

struct wire {
	struct ub_gpio g;
	struct ub_gpio_req req[UB_LINE_MAX]; /* by role */
	struct chipreq cr[MAX_CHIPS];
	unsigned ncr;
	struct gpiod_chip *chip[MAX_CHIPS];
	char label[MAX_CHIPS][32];
	unsigned nchip;
	struct gpiod_line_config *cfg;
	struct gpiod_line_settings *set;
};

static const struct ub_gpio_ops gpiod2_ops;

static struct wire *wire_of(struct ub_gpio *g)
{
	return (struct wire *)g;
}

static int first_role(unsigned mask)
{
	return mask ? __builtin_ctz(mask) : 0;
}

/* --- the chips --- */

static bool seen_num(const unsigned *nums, unsigned n, unsigned num)
{
	for (unsigned i = 0; i < n; i++)
		if (nums[i] == num)
			return true;
	return false;
}

/* The chip numbers to try: 0..63, and any other in /dev, ascending. */
static unsigned chip_numbers(unsigned *nums, unsigned max)
{
	unsigned n = 0;
	DIR *d = opendir("/dev");
	struct dirent *e;

	for (unsigned i = 0; i < MAX_CHIP_NUM && n < max; i++)
		nums[n++] = i;
	while (d && (e = readdir(d)) && n < max) {
		char *end;
		unsigned long num;

		if (strncmp(e->d_name, "gpiochip", 8))
			continue;
		num = strtoul(e->d_name + 8, &end, 10);
		if (!*end && end != e->d_name + 8 && !seen_num(nums, n, num))
			nums[n++] = (unsigned)num;
	}
	if (d)
		closedir(d);
	return n;
}

static int open_chips(struct wire *w)
{
	unsigned nums[MAX_CHIP_NUM + 32], n = chip_numbers(nums, 96);
	bool denied = false;
	char path[300];

	for (unsigned i = 0; i < n && w->nchip < MAX_CHIPS; i++) {
		struct gpiod_chip_info *info;
		struct gpiod_chip *c;

		snprintf(path, sizeof(path), "/dev/gpiochip%u", nums[i]);
		c = gpiod_chip_open(path);
		if (!c) {
			denied |= errno == EACCES || errno == EPERM;
			continue;
		}
		info = gpiod_chip_get_info(c);
		snprintf(w->label[w->nchip], sizeof(w->label[0]), "%s",
			 info ? gpiod_chip_info_get_label(info) : "?");
		gpiod_chip_info_free(info);
		w->chip[w->nchip++] = c;
	}
	if (!w->nchip && denied) {
		ub_gpio_denied_chip(path, sizeof(path));
		return ub_gpio_no_permission(path);
	}
	if (!w->nchip)
		return ub_fail(UB_ENOENT,
			       "no GPIO chip found: is this a Raspberry Pi? "
			       "/dev/gpiochip* is missing");
	return 0;
}

static unsigned num_lines(struct gpiod_chip *c)
{
	struct gpiod_chip_info *info = gpiod_chip_get_info(c);
	unsigned n = info ? (unsigned)gpiod_chip_info_get_num_lines(info) : 0;

	gpiod_chip_info_free(info);
	return n;
}

/* The chip and offset of GPIO bcm; false when none has it. */
static bool find_line(struct wire *w, int bcm, unsigned *chip, unsigned *off)
{
	const char *names[2];
	char buf[16];
	unsigned n = ub_gpio_line_names(bcm, names, buf, sizeof(buf));
	int o;

	for (unsigned k = 0; k < n; k++)
		for (unsigned i = 0; i < w->nchip; i++) {
			o = gpiod_chip_get_line_offset_from_name(w->chip[i],
								 names[k]);
			if (o >= 0) {
				*chip = i;
				*off = (unsigned)o;
				return true;
			}
		}
	for (unsigned i = 0; i < w->nchip; i++)
		if ((!strcmp(w->label[i], "pinctrl-bcm2835") ||
		     !strcmp(w->label[i], "pinctrl-bcm2711")) &&
		    (unsigned)bcm < num_lines(w->chip[i])) {
			*chip = i;
			*off = (unsigned)bcm;
			return true;
		}
	return false;
}

static int not_found(struct wire *w, int bcm)
{
	char chips[160] = "";
	size_t len = 0;

	for (unsigned i = 0; i < w->nchip && len < sizeof(chips); i++)
		len += (size_t)snprintf(chips + len, sizeof(chips) - len,
					"%s%s", i ? ", " : "", w->label[i]);
	return ub_gpio_not_found(bcm, chips);
}

/* --- settings --- */

/* The settings of role r as an output or an input, at the cached level. */
static void settings_of(struct wire *w, enum ub_line r, bool output)
{
	const struct ub_gpio_req *q = &w->req[r];

	gpiod_line_settings_reset(w->set);
	gpiod_line_settings_set_direction(w->set,
					  output ? GPIOD_LINE_DIRECTION_OUTPUT
						 : GPIOD_LINE_DIRECTION_INPUT);
	if (output && q->open_drain)
		gpiod_line_settings_set_drive(w->set,
					      GPIOD_LINE_DRIVE_OPEN_DRAIN);
	if (q->pull_up)
		gpiod_line_settings_set_bias(w->set, GPIOD_LINE_BIAS_PULL_UP);
	gpiod_line_settings_set_output_value(
		w->set, w->g.levels & UB_BIT(r) ? GPIOD_LINE_VALUE_ACTIVE
						: GPIOD_LINE_VALUE_INACTIVE);
}

/* The config of a whole request: each line output as in outputs. */
static int config_of(struct wire *w, const struct chipreq *cr, unsigned outputs)
{
	gpiod_line_config_reset(w->cfg);
	for (unsigned i = 0; i < cr->n; i++) {
		settings_of(w, cr->role[i], outputs & UB_BIT(cr->role[i]));
		if (gpiod_line_config_add_line_settings(w->cfg, &cr->offset[i],
							1, w->set))
			return errno ? errno : EINVAL;
	}
	return 0;
}

/* --- requests --- */

static int busy(struct wire *w, const struct chipreq *cr)
{
	for (unsigned i = 0; i < cr->n; i++) {
		struct gpiod_line_info *info = gpiod_chip_get_line_info(
			w->chip[cr->chip], cr->offset[i]);
		int bcm = w->req[cr->role[i]].bcm;
		const char *who;
		char name[64];

		if (!info)
			continue;
		if (!gpiod_line_info_is_used(info)) {
			gpiod_line_info_free(info);
			continue;
		}
		who = gpiod_line_info_get_consumer(info);
		snprintf(name, sizeof(name), "%s", who ? who : "");
		gpiod_line_info_free(info);
		if (name[0])
			return ub_fail(UB_EBUSY,
				       "GPIO%d is in use by '%s': stop it, "
				       "or move the line with --pin",
				       bcm, name);
		return ub_fail(UB_EBUSY,
			       "GPIO%d is in use by the kernel (a driver or a "
			       "device-tree overlay holds it): disable that in "
			       "config.txt, or move the line with --pin",
			       bcm);
	}
	return ub_fail(UB_EBUSY,
		       "GPIO%d is in use by another program: stop it, or move "
		       "the line with --pin",
		       w->req[cr->role[0]].bcm);
}

static int request(struct wire *w, struct chipreq *cr, const char *consumer)
{
	struct gpiod_request_config *rc = gpiod_request_config_new();
	int e = rc ? config_of(w, cr, w->g.outputs) : ENOMEM;

	if (!e) {
		gpiod_request_config_set_consumer(rc, consumer);
		cr->req =
			gpiod_chip_request_lines(w->chip[cr->chip], rc, w->cfg);
		e = cr->req ? 0 : errno;
	}
	gpiod_request_config_free(rc);
	if (!e)
		return 0;
	if (e == EBUSY)
		return busy(w, cr);
	if (e == EACCES || e == EPERM)
		return ub_gpio_no_permission(
			gpiod_chip_get_path(w->chip[cr->chip]));
	return ub_fail(UB_EIO, "cannot request GPIO%d on %s: %s%s",
		       w->req[cr->role[0]].bcm,
		       gpiod_chip_get_path(w->chip[cr->chip]), strerror(e),
		       e == EINVAL ? " (libgpiod 2 needs Linux 5.10 or later)"
				   : "");
}

/* Release everything: back to inputs first, then let go. */
static void teardown(struct ub_gpio *g)
{
	struct wire *w = wire_of(g);

	for (unsigned i = 0; i < w->ncr; i++) {
		struct chipreq *cr = &w->cr[i];

		if (!cr->req)
			continue;
		if (w->g.outputs & cr->mask && !config_of(w, cr, 0))
			gpiod_line_request_reconfigure_lines(cr->req, w->cfg);
		gpiod_line_request_release(cr->req);
		cr->req = NULL;
	}
	for (unsigned i = 0; i < w->nchip; i++)
		gpiod_chip_close(w->chip[i]);
	w->nchip = 0;
	gpiod_line_config_free(w->cfg);
	gpiod_line_settings_free(w->set);
	w->cfg = NULL;
	w->set = NULL;
}

/* The request for chip c, made when none is. */
static struct chipreq *chipreq_for(struct wire *w, unsigned c)
{
	for (unsigned i = 0; i < w->ncr; i++)
		if (w->cr[i].chip == c)
			return &w->cr[i];
	w->cr[w->ncr].chip = c;
	return &w->cr[w->ncr++];
}

/* Add role r at offset off of cr: clocks last, the rest before them. */
static void add_line(struct chipreq *cr, enum ub_line r, unsigned off)
{
	unsigned at = cr->n;

	if (!(UB_BIT(r) & CLOCKS))
		while (at && UB_BIT(cr->role[at - 1]) & CLOCKS)
			at--;
	memmove(&cr->offset[at + 1], &cr->offset[at],
		(cr->n - at) * sizeof(cr->offset[0]));
	memmove(&cr->role[at + 1], &cr->role[at],
		(cr->n - at) * sizeof(cr->role[0]));
	cr->offset[at] = off;
	cr->role[at] = r;
	cr->n++;
	cr->mask |= UB_BIT(r);
}

static int setup(struct ub_gpio *g, const struct ub_gpio_req *req, unsigned n,
		 const char *consumer)
{
	struct wire *w = wire_of(g);
	int err = open_chips(w);

	w->cfg = gpiod_line_config_new();
	w->set = gpiod_line_settings_new();
	if (!err && (!w->cfg || !w->set))
		err = ub_fail(UB_ENOMEM, "out of memory for the GPIO lines");
	for (unsigned i = 0; i < n && !err; i++) {
		const struct ub_gpio_req *r = &req[i];
		unsigned chip, off;

		if (!find_line(w, r->bcm, &chip, &off))
			return not_found(w, r->bcm);
		w->req[r->line] = *r;
		w->g.have |= UB_BIT(r->line);
		if (r->output)
			w->g.outputs |= UB_BIT(r->line);
		if (r->initial)
			w->g.levels |= UB_BIT(r->line);
		add_line(chipreq_for(w, chip), r->line, off);
	}
	for (unsigned i = 0; i < w->ncr && !err; i++)
		err = request(w, &w->cr[i], consumer);
	return err;
}

static const struct ub_gpiod_backend backend = {
	.size = sizeof(struct wire),
	.ops = &gpiod2_ops,
	.detail = "libgpiod 2",
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

static int gpiod2_set(struct ub_gpio *g, unsigned mask, unsigned values)
{
	struct wire *w = wire_of(g);
	unsigned want = (g->levels & ~mask) | (values & mask);
	unsigned change = (want ^ g->levels) & g->outputs;

	if (mask & ~g->have)
		return not_ours(mask & ~g->have);
	/* inputs: remembered, driven when they turn */
	g->levels = (g->levels & g->outputs) | (want & ~g->outputs);
	for (unsigned i = 0; i < w->ncr && change; i++) {
		struct chipreq *cr = &w->cr[i];
		enum gpiod_line_value vals[UB_LINE_MAX];
		unsigned offs[UB_LINE_MAX], k = 0;

		if (!(cr->mask & change))
			continue;
		for (unsigned j = 0; j < cr->n; j++)
			if (change & UB_BIT(cr->role[j])) {
				offs[k] = cr->offset[j];
				vals[k++] = want & UB_BIT(cr->role[j])
						    ? GPIOD_LINE_VALUE_ACTIVE
						    : GPIOD_LINE_VALUE_INACTIVE;
			}
		g->writes++;
		if (gpiod_line_request_set_values_subset(cr->req, k, offs,
							 vals))
			return ub_fail(
				UB_EIO, "cannot set GPIO%d: %s",
				w->req[first_role(cr->mask & change)].bcm,
				strerror(errno));
		g->levels = (g->levels & ~(cr->mask & change)) |
			    (want & cr->mask & change);
	}
	return 0;
}

static int gpiod2_get(struct ub_gpio *g, unsigned mask, unsigned *values)
{
	struct wire *w = wire_of(g);
	unsigned v = 0;

	if (mask & ~g->have)
		return not_ours(mask & ~g->have);
	for (unsigned i = 0; i < w->ncr; i++) {
		struct chipreq *cr = &w->cr[i];
		enum gpiod_line_value vals[UB_LINE_MAX];
		unsigned offs[UB_LINE_MAX], roles[UB_LINE_MAX], k = 0;

		if (!(cr->mask & mask))
			continue;
		for (unsigned j = 0; j < cr->n; j++)
			if (mask & UB_BIT(cr->role[j])) {
				roles[k] = cr->role[j];
				offs[k++] = cr->offset[j];
			}
		if (gpiod_line_request_get_values_subset(cr->req, k, offs,
							 vals))
			return ub_fail(UB_EIO, "cannot read GPIO%d: %s",
				       w->req[first_role(cr->mask & mask)].bcm,
				       strerror(errno));
		for (unsigned j = 0; j < k; j++)
			if (vals[j] == GPIOD_LINE_VALUE_ACTIVE)
				v |= UB_BIT(roles[j]);
	}
	*values = v & mask;
	return 0;
}

static int gpiod2_dir(struct ub_gpio *g, unsigned mask, unsigned outputs)
{
	struct wire *w = wire_of(g);
	unsigned want = (g->outputs & ~mask) | (outputs & mask);
	unsigned change = want ^ g->outputs;

	if (mask & ~g->have)
		return not_ours(mask & ~g->have);
	for (unsigned i = 0; i < w->ncr; i++) {
		struct chipreq *cr = &w->cr[i];
		int e;

		if (!(cr->mask & change))
			continue;
		e = config_of(w, cr, want);
		if (!e && gpiod_line_request_reconfigure_lines(cr->req, w->cfg))
			e = errno ? errno : EIO;
		if (e)
			return ub_fail(
				UB_EIO, "cannot make GPIO%d an %s: %s",
				w->req[first_role(cr->mask & change)].bcm,
				want & cr->mask & change ? "output" : "input",
				strerror(e));
		g->outputs = (g->outputs & ~cr->mask) | (want & cr->mask);
	}
	return 0;
}

static void gpiod2_close(struct ub_gpio *g)
{
	struct wire *w = wire_of(g);

	ub_gpio_untrack(g);
	teardown(g);
	free(w);
}

static const struct ub_gpio_ops gpiod2_ops = {
	.set = gpiod2_set,
	.get = gpiod2_get,
	.dir = gpiod2_dir,
	.close = gpiod2_close,
};

/* --- what the build knows of libgpiod --- */

int ub_gpiod_api(void)
{
	return 2;
}

const char *ub_gpiod_version(void)
{
	return gpiod_api_version();
}

int ub_gpiod_list_chips(void (*fn)(void *arg, const char *path,
				   const char *label, unsigned lines),
			void *arg)
{
	struct wire w = {0};
	int err = open_chips(&w);

	for (unsigned i = 0; i < w.nchip; i++) {
		fn(arg, gpiod_chip_get_path(w.chip[i]), w.label[i],
		   num_lines(w.chip[i]));
		gpiod_chip_close(w.chip[i]);
	}
	return err;
}
