// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The stand-in libgpiod's requests, values and reconfiguration, with the
 * kernel's rules (vb_gpiod.c): one holder per line (EBUSY), values only to
 * requested lines and outputs (EPERM), bad flag combinations refused
 * (EINVAL), a released line back to an input. What the Pi drives goes on
 * the wire of the pin a line is wired to.
 */
#include <errno.h>
#include <string.h>

#include "vb_gpiod_priv.h"

#define REQ_DRIVE                             \
	(GPIOD_LINE_REQUEST_FLAG_OPEN_DRAIN | \
	 GPIOD_LINE_REQUEST_FLAG_OPEN_SOURCE)
#define REQ_BIAS                                  \
	(GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE |   \
	 GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN | \
	 GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP)
#define REQ_ALL (REQ_DRIVE | REQ_BIAS | GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW)

/* Lines and pins --------------------------------------------------------- */

/* What the Pi does to the wire: 0, 1, or -1 (not driving). */
static int host_level(const struct kline *k)
{
	if (!k->output)
		return -1;
	if (k->flags & GPIOD_LINE_REQUEST_FLAG_OPEN_DRAIN)
		return k->value ? -1 : 0;
	if (k->flags & GPIOD_LINE_REQUEST_FLAG_OPEN_SOURCE)
		return k->value ? 1 : -1;
	return k->value;
}

/*
 * Put line off's state on the wire: always for a value write (write), else
 * (a request, release or new configuration) only when the Pi's drive
 * changes.
 */
static void apply(unsigned int off, bool write)
{
	int pin = vb_gs.pin_of[off], level = host_level(&vb_gs.kl[off]);

	if (pin < 0 || !vb_gs.vb || (!write && level == vb_gs.applied[off]))
		return;
	vb_gs.applied[off] = level;
	vb_gpiod_wire_drive(pin, level);
}

/* Apply a set of lines: the clock last, so data is set up before its edge. */
static void apply_bulk(struct gpiod_line_bulk *bulk, bool write)
{
	/* the data lines first, then every clock (SWCLK, the clip's SCK) */
	for (int clocks = 0; clocks < 2; clocks++)
		for (unsigned int i = 0; i < bulk->num_lines; i++) {
			unsigned int off = bulk->lines[i]->offset;

			if (vb_gpiod_wire_is_clock(vb_gs.pin_of[off]) ==
			    (bool)clocks)
				apply(off, write);
		}
}

/* The level on line off as the Pi reads it (before active-low). */
static int read_level(unsigned int off)
{
	const struct kline *k = &vb_gs.kl[off];
	int level = host_level(k);

	if (k->output && !(k->flags & REQ_DRIVE)) {
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
	if (k->flags & GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP)
		return 1;
	if (k->flags & GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN)
		return 0;
	/* nothing on an open line: a released open drain reads its 1 */
	return k->output ? 1 : 0;
}

/* Requests --------------------------------------------------------------- */

static bool is_direction(int type)
{
	return type == GPIOD_LINE_REQUEST_DIRECTION_AS_IS ||
	       type == GPIOD_LINE_REQUEST_DIRECTION_INPUT ||
	       type == GPIOD_LINE_REQUEST_DIRECTION_OUTPUT;
}

/* The kernel's checks of request and config flags. */
static int check_flags(int type, int flags)
{
	int bias = flags & REQ_BIAS;

	if (flags & ~REQ_ALL)
		return fail(EINVAL);
	if ((flags & REQ_DRIVE) == REQ_DRIVE)
		return fail(EINVAL);
	if ((flags & REQ_DRIVE) && type != GPIOD_LINE_REQUEST_DIRECTION_OUTPUT)
		return fail(EINVAL);
	if (bias && (bias & (bias - 1)))
		return fail(EINVAL);
	if (bias && type == GPIOD_LINE_REQUEST_DIRECTION_AS_IS)
		return fail(EINVAL);
	return 0;
}

/* Every line there, on one chip of a live session. */
static int check_bulk(struct gpiod_line_bulk *bulk)
{
	if (!bulk || !bulk->num_lines ||
	    bulk->num_lines > GPIOD_LINE_BULK_MAX_LINES || !vb_gs.vb)
		return fail(EINVAL);
	for (unsigned int i = 0; i < bulk->num_lines; i++)
		if (!bulk->lines[i] ||
		    bulk->lines[i]->chip != bulk->lines[0]->chip)
			return fail(EINVAL);
	return 0;
}

static int all_requested(struct gpiod_line_bulk *bulk)
{
	if (check_bulk(bulk))
		return -1;
	for (unsigned int i = 0; i < bulk->num_lines; i++)
		if (!bulk->lines[i]->requested)
			return fail(EPERM);
	return 0;
}

/* Set direction, flags and values of lines; then put them on the wire. */
static void configure(struct gpiod_line_bulk *bulk, int type, int flags,
		      const int *values)
{
	for (unsigned int i = 0; i < bulk->num_lines; i++) {
		struct kline *k = &vb_gs.kl[bulk->lines[i]->offset];
		int low = !!(flags & GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW);

		k->flags = flags;
		if (type == GPIOD_LINE_REQUEST_DIRECTION_INPUT) {
			k->output = false;
		} else if (type == GPIOD_LINE_REQUEST_DIRECTION_OUTPUT) {
			k->output = true;
			k->value = (values && values[i] ? 1 : 0) ^ low;
		}
	}
	apply_bulk(bulk, false);
	for (unsigned int i = 0; i < bulk->num_lines; i++)
		vb_gpiod_line_info(bulk->lines[i]);
}

int gpiod_line_request_bulk(struct gpiod_line_bulk *bulk,
			    const struct gpiod_line_request_config *config,
			    const int *default_vals)
{
	const char *consumer;

	if (check_bulk(bulk) || !config)
		return fail(EINVAL);
	if (!is_direction(config->request_type))
		return fail(
			config->request_type > GPIOD_LINE_REQUEST_DIRECTION_OUTPUT &&
					config->request_type <=
						GPIOD_LINE_REQUEST_EVENT_BOTH_EDGES
				? ENOTSUP
				: EINVAL);
	if (check_flags(config->request_type, config->flags))
		return -1;
	for (unsigned int i = 0; i < bulk->num_lines; i++) {
		struct gpiod_line *line = bulk->lines[i];

		for (unsigned int j = 0; j < i; j++)
			if (bulk->lines[j]->offset == line->offset)
				return fail(EBUSY);
		if (line->requested || vb_gs.kl[line->offset].used)
			return fail(EBUSY);
	}
	/* the kernel labels a request without a consumer "?" */
	consumer =
		config->consumer && *config->consumer ? config->consumer : "?";
	for (unsigned int i = 0; i < bulk->num_lines; i++) {
		struct kline *k = &vb_gs.kl[bulk->lines[i]->offset];

		k->used = true;
		snprintf(k->consumer, sizeof(k->consumer), "%s", consumer);
		bulk->lines[i]->requested = true;
	}
	configure(bulk, config->request_type, config->flags, default_vals);
	return 0;
}

int gpiod_line_request(struct gpiod_line *line,
		       const struct gpiod_line_request_config *config,
		       int default_val)
{
	struct gpiod_line_bulk bulk = GPIOD_LINE_BULK_INITIALIZER;

	if (!line)
		return fail(EINVAL);
	gpiod_line_bulk_add(&bulk, line);
	return gpiod_line_request_bulk(&bulk, config, &default_val);
}

static int request_one(struct gpiod_line *line, const char *consumer, int type,
		       int flags, int value)
{
	struct gpiod_line_request_config config = {consumer, type, flags};

	return gpiod_line_request(line, &config, value);
}

int vb_gpiod_request_many(struct gpiod_line_bulk *bulk, const char *consumer,
			  int type, int flags, const int *values)
{
	struct gpiod_line_request_config config = {consumer, type, flags};

	return gpiod_line_request_bulk(bulk, &config, values);
}

int gpiod_line_request_input(struct gpiod_line *line, const char *consumer)
{
	return request_one(line, consumer, GPIOD_LINE_REQUEST_DIRECTION_INPUT,
			   0, 0);
}

int gpiod_line_request_output(struct gpiod_line *line, const char *consumer,
			      int default_val)
{
	return request_one(line, consumer, GPIOD_LINE_REQUEST_DIRECTION_OUTPUT,
			   0, default_val);
}

int gpiod_line_request_input_flags(struct gpiod_line *line,
				   const char *consumer, int flags)
{
	return request_one(line, consumer, GPIOD_LINE_REQUEST_DIRECTION_INPUT,
			   flags, 0);
}

int gpiod_line_request_output_flags(struct gpiod_line *line,
				    const char *consumer, int flags,
				    int default_val)
{
	return request_one(line, consumer, GPIOD_LINE_REQUEST_DIRECTION_OUTPUT,
			   flags, default_val);
}

int gpiod_line_request_bulk_input(struct gpiod_line_bulk *bulk,
				  const char *consumer)
{
	return vb_gpiod_request_many(
		bulk, consumer, GPIOD_LINE_REQUEST_DIRECTION_INPUT, 0, NULL);
}

int gpiod_line_request_bulk_output(struct gpiod_line_bulk *bulk,
				   const char *consumer,
				   const int *default_vals)
{
	return vb_gpiod_request_many(bulk, consumer,
				     GPIOD_LINE_REQUEST_DIRECTION_OUTPUT, 0,
				     default_vals);
}

int gpiod_line_request_bulk_input_flags(struct gpiod_line_bulk *bulk,
					const char *consumer, int flags)
{
	return vb_gpiod_request_many(bulk, consumer,
				     GPIOD_LINE_REQUEST_DIRECTION_INPUT, flags,
				     NULL);
}

int gpiod_line_request_bulk_output_flags(struct gpiod_line_bulk *bulk,
					 const char *consumer, int flags,
					 const int *default_vals)
{
	return vb_gpiod_request_many(bulk, consumer,
				     GPIOD_LINE_REQUEST_DIRECTION_OUTPUT, flags,
				     default_vals);
}

void gpiod_line_release_bulk(struct gpiod_line_bulk *bulk)
{
	struct gpiod_line_bulk mine = GPIOD_LINE_BULK_INITIALIZER;

	if (!bulk || !vb_gs.vb)
		return;
	/* the pin controller makes a freed line an input again */
	for (unsigned int i = 0; i < bulk->num_lines; i++) {
		struct gpiod_line *line = bulk->lines[i];

		if (!line || !line->requested)
			continue;
		memset(&vb_gs.kl[line->offset], 0, sizeof(struct kline));
		line->requested = false;
		gpiod_line_bulk_add(&mine, line);
	}
	if (!mine.num_lines)
		return;
	apply_bulk(&mine, false);
	for (unsigned int i = 0; i < mine.num_lines; i++)
		vb_gpiod_line_info(mine.lines[i]);
}

void gpiod_line_release(struct gpiod_line *line)
{
	struct gpiod_line_bulk bulk = GPIOD_LINE_BULK_INITIALIZER;

	if (!line)
		return;
	gpiod_line_bulk_add(&bulk, line);
	gpiod_line_release_bulk(&bulk);
}

bool gpiod_line_is_requested(struct gpiod_line *line)
{
	return line && line->requested;
}

bool gpiod_line_is_free(struct gpiod_line *line)
{
	return line && !line->requested;
}

/* Values ----------------------------------------------------------------- */

int gpiod_line_get_value_bulk(struct gpiod_line_bulk *bulk, int *values)
{
	if (!values)
		return fail(EINVAL);
	if (all_requested(bulk))
		return -1;
	for (unsigned int i = 0; i < bulk->num_lines; i++) {
		unsigned int off = bulk->lines[i]->offset;
		int low = !!(vb_gs.kl[off].flags &
			     GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW);

		values[i] = read_level(off) ^ low;
	}
	return 0;
}

int gpiod_line_get_value(struct gpiod_line *line)
{
	struct gpiod_line_bulk bulk = GPIOD_LINE_BULK_INITIALIZER;
	int value;

	if (!line)
		return fail(EINVAL);
	gpiod_line_bulk_add(&bulk, line);
	if (gpiod_line_get_value_bulk(&bulk, &value))
		return -1;
	return value;
}

int gpiod_line_set_value_bulk(struct gpiod_line_bulk *bulk, const int *values)
{
	if (all_requested(bulk))
		return -1;
	for (unsigned int i = 0; i < bulk->num_lines; i++)
		if (!vb_gs.kl[bulk->lines[i]->offset].output)
			return fail(EPERM);
	for (unsigned int i = 0; i < bulk->num_lines; i++) {
		struct kline *k = &vb_gs.kl[bulk->lines[i]->offset];
		int low = !!(k->flags & GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW);

		k->value = (values && values[i] ? 1 : 0) ^ low;
	}
	apply_bulk(bulk, true);
	return 0;
}

int gpiod_line_set_value(struct gpiod_line *line, int value)
{
	struct gpiod_line_bulk bulk = GPIOD_LINE_BULK_INITIALIZER;

	if (!line)
		return fail(EINVAL);
	gpiod_line_bulk_add(&bulk, line);
	return gpiod_line_set_value_bulk(&bulk, &value);
}

/* Reconfiguring requested lines (libgpiod >= 1.5) ------------------------ */

int gpiod_line_set_config_bulk(struct gpiod_line_bulk *bulk, int direction,
			       int flags, const int *values)
{
	if (all_requested(bulk))
		return -1;
	if (!is_direction(direction) || check_flags(direction, flags))
		return fail(EINVAL);
	configure(bulk, direction, flags, values);
	return 0;
}

int gpiod_line_set_config(struct gpiod_line *line, int direction, int flags,
			  int value)
{
	struct gpiod_line_bulk bulk = GPIOD_LINE_BULK_INITIALIZER;

	if (!line)
		return fail(EINVAL);
	gpiod_line_bulk_add(&bulk, line);
	return gpiod_line_set_config_bulk(&bulk, direction, flags, &value);
}

/* New flags, same direction; an output keeps its logical value. */
int gpiod_line_set_flags_bulk(struct gpiod_line_bulk *bulk, int flags)
{
	int values[GPIOD_LINE_BULK_MAX_LINES];
	bool output;

	if (all_requested(bulk))
		return -1;
	output = vb_gs.kl[bulk->lines[0]->offset].output;
	for (unsigned int i = 0; i < bulk->num_lines; i++) {
		const struct kline *k = &vb_gs.kl[bulk->lines[i]->offset];

		values[i] = k->value ^
			    !!(k->flags & GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW);
	}
	return gpiod_line_set_config_bulk(
		bulk,
		output ? GPIOD_LINE_REQUEST_DIRECTION_OUTPUT
		       : GPIOD_LINE_REQUEST_DIRECTION_INPUT,
		flags, values);
}

int gpiod_line_set_flags(struct gpiod_line *line, int flags)
{
	struct gpiod_line_bulk bulk = GPIOD_LINE_BULK_INITIALIZER;

	if (!line)
		return fail(EINVAL);
	gpiod_line_bulk_add(&bulk, line);
	return gpiod_line_set_flags_bulk(&bulk, flags);
}

int gpiod_line_set_direction_input_bulk(struct gpiod_line_bulk *bulk)
{
	if (all_requested(bulk))
		return -1;
	/* with its flags: an open drain cannot be an input (EINVAL) */
	return gpiod_line_set_config_bulk(
		bulk, GPIOD_LINE_REQUEST_DIRECTION_INPUT,
		vb_gs.kl[bulk->lines[0]->offset].flags, NULL);
}

int gpiod_line_set_direction_input(struct gpiod_line *line)
{
	struct gpiod_line_bulk bulk = GPIOD_LINE_BULK_INITIALIZER;

	if (!line)
		return fail(EINVAL);
	gpiod_line_bulk_add(&bulk, line);
	return gpiod_line_set_direction_input_bulk(&bulk);
}

int gpiod_line_set_direction_output_bulk(struct gpiod_line_bulk *bulk,
					 const int *values)
{
	if (all_requested(bulk))
		return -1;
	return gpiod_line_set_config_bulk(
		bulk, GPIOD_LINE_REQUEST_DIRECTION_OUTPUT,
		vb_gs.kl[bulk->lines[0]->offset].flags, values);
}

int gpiod_line_set_direction_output(struct gpiod_line *line, int value)
{
	struct gpiod_line_bulk bulk = GPIOD_LINE_BULK_INITIALIZER;

	if (!line)
		return fail(EINVAL);
	gpiod_line_bulk_add(&bulk, line);
	return gpiod_line_set_direction_output_bulk(&bulk, &value);
}
