// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The stand-in libgpiod 2's line settings, line and request configs, and
 * requests, with the kernel's rules (as the 1.6 stand-in keeps them): one
 * holder per line (EBUSY), values only to outputs (EPERM), bad settings
 * refused (EINVAL: open drain or source on an input, bias with direction
 * as-is), a released line back to an input. A request's lines are set in
 * one call whatever their settings; SWCLK goes on the wire last, so data is
 * set up before its edge. Lines of chips other than the header's cannot be
 * requested here (EBUSY, as if the kernel held them).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vb_gpiod2_priv.h"

struct gpiod_line_request {
	char chip_name[32];
	unsigned int n;
	unsigned int offset[VB2_MAX_LINES];
	int fd;
};

/* Lines and pins --------------------------------------------------------- */

/* What the Pi does to the wire: 0, 1, or -1 (not driving). */
static int host_level(const struct kline *k)
{
	if (!k->output)
		return -1;
	if (k->flags & VB1_OPEN_DRAIN)
		return k->value ? -1 : 0;
	if (k->flags & VB1_OPEN_SOURCE)
		return k->value ? 1 : -1;
	return k->value;
}

/* Put line off on the wire: always for a value write, else when it
 * changes (as vb_gpiod_req.c). */
static void apply(unsigned int off, bool write)
{
	int pin = vb_gs.pin_of[off], level = host_level(&vb_gs.kl[off]);

	if (pin < 0 || !vb_gs.vb || (!write && level == vb_gs.applied[off]))
		return;
	vb_gs.applied[off] = level;
	vb_gpiod_wire_drive(pin, level);
}

/* Lines in mask (positions of r) on the wire, SWCLK last. */
static void apply_lines(const struct gpiod_line_request *r, uint64_t mask,
			bool write)
{
	int clk = -1;

	for (unsigned int i = 0; i < r->n; i++) {
		if (!(mask >> i & 1))
			continue;
		if (vb_gpiod_wire_is_clock(vb_gs.pin_of[r->offset[i]]))
			clk = (int)r->offset[i];
		else
			apply(r->offset[i], write);
	}
	if (clk >= 0)
		apply((unsigned int)clk, write);
}

static int read_level(unsigned int off)
{
	const struct kline *k = &vb_gs.kl[off];
	int level = host_level(k);

	if (k->output && !(k->flags & (VB1_OPEN_DRAIN | VB1_OPEN_SOURCE))) {
		/* the pad, as the pin controller reads it: what the Pi
		 * drives, unless something holds the wire (stuck=) */
		if (vb_gs.pin_of[off] >= 0 && vb_gs.pin_of[off] < VB_GPIOD_SPI)
			return vb_gpiod_wire_sense(vb_gs.pin_of[off]);
		vb_gs.vb->st.gpio_reads++;
		return k->value;
	}
	if (vb_gs.pin_of[off] >= 0) {
		int wired = vb_gpiod_wire_sense(vb_gs.pin_of[off]);

		if (wired >= 0)
			return wired;
	}
	vb_gs.vb->st.gpio_reads++;
	if (level >= 0)
		return level;
	if (k->flags & VB1_PULL_UP)
		return 1;
	if (k->flags & VB1_PULL_DOWN)
		return 0;
	return k->output ? 1 : 0;
}

/* Requests --------------------------------------------------------------- */

static int check_settings(const struct gpiod_line_settings *s)
{
	bool out = s->direction == GPIOD_LINE_DIRECTION_OUTPUT;

	if (s->drive != GPIOD_LINE_DRIVE_PUSH_PULL && !out)
		return fail(EINVAL);
	if (s->bias != GPIOD_LINE_BIAS_AS_IS &&
	    s->direction == GPIOD_LINE_DIRECTION_AS_IS)
		return fail(EINVAL);
	if (s->edge != GPIOD_LINE_EDGE_NONE)
		return fail(ENOTSUP); /* edge events are not modelled */
	return 0;
}

static int flags_of(const struct gpiod_line_settings *s)
{
	int f = s->active_low ? VB1_ACTIVE_LOW : 0;

	if (s->drive == GPIOD_LINE_DRIVE_OPEN_DRAIN)
		f |= VB1_OPEN_DRAIN;
	else if (s->drive == GPIOD_LINE_DRIVE_OPEN_SOURCE)
		f |= VB1_OPEN_SOURCE;
	if (s->bias == GPIOD_LINE_BIAS_PULL_UP)
		f |= VB1_PULL_UP;
	else if (s->bias == GPIOD_LINE_BIAS_PULL_DOWN)
		f |= VB1_PULL_DOWN;
	else if (s->bias == GPIOD_LINE_BIAS_DISABLED)
		f |= VB1_BIAS_OFF;
	return f;
}

/* The settings of line off in config, or the defaults. */
static struct gpiod_line_settings settings_for(struct gpiod_line_config *c,
					       unsigned int off)
{
	struct gpiod_line_settings s;
	int at = vb2_config_index(c, off);

	if (at >= 0)
		return c->set[at];
	gpiod_line_settings_reset(&s);
	return s;
}

/* Give the request's lines their settings, then put them on the wire. */
static void configure(struct gpiod_line_request *r, struct gpiod_line_config *c)
{
	for (unsigned int i = 0; i < r->n; i++) {
		struct gpiod_line_settings s = settings_for(c, r->offset[i]);
		struct kline *k = &vb_gs.kl[r->offset[i]];

		k->flags = flags_of(&s);
		if (s.direction == GPIOD_LINE_DIRECTION_INPUT) {
			k->output = false;
		} else if (s.direction == GPIOD_LINE_DIRECTION_OUTPUT) {
			k->output = true;
			k->value = (s.value == GPIOD_LINE_VALUE_ACTIVE) ^
				   s.active_low;
		}
	}
	apply_lines(r, ~0ull, false);
}

static int check_config(struct gpiod_line_config *c, unsigned int nlines)
{
	if (!c || !c->n)
		return fail(EINVAL);
	for (unsigned int i = 0; i < c->n; i++) {
		if (c->offset[i] >= nlines)
			return fail(EINVAL);
		if (check_settings(&c->set[i]))
			return -1;
	}
	return 0;
}

struct gpiod_line_request *
gpiod_chip_request_lines(struct gpiod_chip *chip,
			 struct gpiod_request_config *req_cfg,
			 struct gpiod_line_config *line_cfg)
{
	struct gpiod_line_request *r;
	const char *consumer;

	if (!chip || !vb_gs.vb || check_config(line_cfg, chip->d->lines))
		return errno = errno ? errno : EINVAL, NULL;
	if (!chip->d->header) {
		errno = EBUSY;
		return NULL;
	}
	for (unsigned int i = 0; i < line_cfg->n; i++)
		if (vb_gs.kl[line_cfg->offset[i]].used) {
			errno = EBUSY;
			return NULL;
		}
	r = calloc(1, sizeof(*r));
	if (!r) {
		errno = ENOMEM;
		return NULL;
	}
	snprintf(r->chip_name, sizeof(r->chip_name), "gpiochip%u",
		 chip->d->num);
	r->n = line_cfg->n;
	memcpy(r->offset, line_cfg->offset, r->n * sizeof(r->offset[0]));
	r->fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	/* the kernel labels a request without a consumer "?" */
	consumer = req_cfg && req_cfg->consumer[0] ? req_cfg->consumer : "?";
	for (unsigned int i = 0; i < r->n; i++) {
		struct kline *k = &vb_gs.kl[r->offset[i]];

		k->used = true;
		snprintf(k->consumer, sizeof(k->consumer), "%s", consumer);
	}
	configure(r, line_cfg);
	vb_gs.nchips++; /* a request keeps the session, as a chip does */
	return r;
}

void gpiod_line_request_release(struct gpiod_line_request *request)
{
	if (!request)
		return;
	if (vb_gs.vb) {
		/* the pin controller makes a freed line an input again */
		for (unsigned int i = 0; i < request->n; i++)
			memset(&vb_gs.kl[request->offset[i]], 0,
			       sizeof(struct kline));
		apply_lines(request, ~0ull, false);
	}
	if (request->fd >= 0)
		close(request->fd);
	free(request);
	vb2_session_put();
}

const char *gpiod_line_request_get_chip_name(struct gpiod_line_request *request)
{
	return request->chip_name;
}

size_t
gpiod_line_request_get_num_requested_lines(struct gpiod_line_request *request)
{
	return request->n;
}

size_t
gpiod_line_request_get_requested_offsets(struct gpiod_line_request *request,
					 unsigned int *offsets,
					 size_t max_offsets)
{
	size_t n = request->n < max_offsets ? request->n : max_offsets;

	memcpy(offsets, request->offset, n * sizeof(*offsets));
	return n;
}

/* The position of offset in the request, or -1 (EINVAL). */
static int position(const struct gpiod_line_request *r, unsigned int off)
{
	for (unsigned int i = 0; i < r->n; i++)
		if (r->offset[i] == off)
			return (int)i;
	return fail(EINVAL);
}

int gpiod_line_request_get_values_subset(struct gpiod_line_request *request,
					 size_t num_values,
					 const unsigned int *offsets,
					 enum gpiod_line_value *values)
{
	if (!vb_gs.vb || !offsets || !values)
		return fail(EINVAL);
	for (size_t i = 0; i < num_values; i++)
		if (position(request, offsets[i]) < 0)
			return -1;
	for (size_t i = 0; i < num_values; i++) {
		const struct kline *k = &vb_gs.kl[offsets[i]];

		values[i] =
			read_level(offsets[i]) ^ !!(k->flags & VB1_ACTIVE_LOW);
	}
	return 0;
}

int gpiod_line_request_get_values(struct gpiod_line_request *request,
				  enum gpiod_line_value *values)
{
	return gpiod_line_request_get_values_subset(request, request->n,
						    request->offset, values);
}

enum gpiod_line_value
gpiod_line_request_get_value(struct gpiod_line_request *request,
			     unsigned int offset)
{
	enum gpiod_line_value v;

	if (gpiod_line_request_get_values_subset(request, 1, &offset, &v))
		return GPIOD_LINE_VALUE_ERROR;
	return v;
}

int gpiod_line_request_set_values_subset(struct gpiod_line_request *request,
					 size_t num_values,
					 const unsigned int *offsets,
					 const enum gpiod_line_value *values)
{
	uint64_t mask = 0;

	if (!vb_gs.vb || !offsets || !values)
		return fail(EINVAL);
	for (size_t i = 0; i < num_values; i++) {
		int at = position(request, offsets[i]);

		if (at < 0)
			return -1;
		if (!vb_gs.kl[offsets[i]].output)
			return fail(EPERM);
		mask |= 1ull << at;
	}
	for (size_t i = 0; i < num_values; i++) {
		struct kline *k = &vb_gs.kl[offsets[i]];

		k->value = (values[i] == GPIOD_LINE_VALUE_ACTIVE) ^
			   !!(k->flags & VB1_ACTIVE_LOW);
	}
	apply_lines(request, mask, true);
	return 0;
}

int gpiod_line_request_set_values(struct gpiod_line_request *request,
				  const enum gpiod_line_value *values)
{
	return gpiod_line_request_set_values_subset(request, request->n,
						    request->offset, values);
}

int gpiod_line_request_set_value(struct gpiod_line_request *request,
				 unsigned int offset,
				 enum gpiod_line_value value)
{
	return gpiod_line_request_set_values_subset(request, 1, &offset,
						    &value);
}

/* In place: the lines stay requested; lines not in config get defaults. */
int gpiod_line_request_reconfigure_lines(struct gpiod_line_request *request,
					 struct gpiod_line_config *config)
{
	if (!vb_gs.vb || check_config(config, VB_NLINES))
		return -1;
	configure(request, config);
	return 0;
}

int gpiod_line_request_get_fd(struct gpiod_line_request *request)
{
	return request->fd;
}
