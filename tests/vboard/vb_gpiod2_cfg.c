// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The stand-in libgpiod 2's line settings, line configs and request
 * configs, with libgpiod 2.1's checks (EINVAL for a value out of its enum;
 * the setting is then reset to its default, as the library does).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vb_gpiod2_priv.h"

/* Line settings ---------------------------------------------------------- */

struct gpiod_line_settings *gpiod_line_settings_new(void)
{
	struct gpiod_line_settings *s = malloc(sizeof(*s));

	if (!s) {
		errno = ENOMEM;
		return NULL;
	}
	gpiod_line_settings_reset(s);
	return s;
}

void gpiod_line_settings_free(struct gpiod_line_settings *settings)
{
	free(settings);
}

void gpiod_line_settings_reset(struct gpiod_line_settings *settings)
{
	*settings = (struct gpiod_line_settings){
		.direction = GPIOD_LINE_DIRECTION_AS_IS,
		.edge = GPIOD_LINE_EDGE_NONE,
		.bias = GPIOD_LINE_BIAS_AS_IS,
		.drive = GPIOD_LINE_DRIVE_PUSH_PULL,
		.clock = GPIOD_LINE_CLOCK_MONOTONIC,
		.value = GPIOD_LINE_VALUE_INACTIVE,
	};
}

struct gpiod_line_settings *
gpiod_line_settings_copy(struct gpiod_line_settings *settings)
{
	struct gpiod_line_settings *s = malloc(sizeof(*s));

	if (!s) {
		errno = ENOMEM;
		return NULL;
	}
	*s = *settings;
	return s;
}

int gpiod_line_settings_set_direction(struct gpiod_line_settings *settings,
				      enum gpiod_line_direction direction)
{
	if (direction < GPIOD_LINE_DIRECTION_AS_IS ||
	    direction > GPIOD_LINE_DIRECTION_OUTPUT) {
		settings->direction = GPIOD_LINE_DIRECTION_AS_IS;
		return fail(EINVAL);
	}
	settings->direction = direction;
	return 0;
}

enum gpiod_line_direction
gpiod_line_settings_get_direction(struct gpiod_line_settings *settings)
{
	return settings->direction;
}

int gpiod_line_settings_set_edge_detection(struct gpiod_line_settings *settings,
					   enum gpiod_line_edge edge)
{
	if (edge < GPIOD_LINE_EDGE_NONE || edge > GPIOD_LINE_EDGE_BOTH) {
		settings->edge = GPIOD_LINE_EDGE_NONE;
		return fail(EINVAL);
	}
	settings->edge = edge;
	return 0;
}

enum gpiod_line_edge
gpiod_line_settings_get_edge_detection(struct gpiod_line_settings *settings)
{
	return settings->edge;
}

int gpiod_line_settings_set_bias(struct gpiod_line_settings *settings,
				 enum gpiod_line_bias bias)
{
	if (bias < GPIOD_LINE_BIAS_AS_IS || bias > GPIOD_LINE_BIAS_PULL_DOWN ||
	    bias == GPIOD_LINE_BIAS_UNKNOWN) {
		settings->bias = GPIOD_LINE_BIAS_AS_IS;
		return fail(EINVAL);
	}
	settings->bias = bias;
	return 0;
}

enum gpiod_line_bias
gpiod_line_settings_get_bias(struct gpiod_line_settings *settings)
{
	return settings->bias;
}

int gpiod_line_settings_set_drive(struct gpiod_line_settings *settings,
				  enum gpiod_line_drive drive)
{
	if (drive < GPIOD_LINE_DRIVE_PUSH_PULL ||
	    drive > GPIOD_LINE_DRIVE_OPEN_SOURCE) {
		settings->drive = GPIOD_LINE_DRIVE_PUSH_PULL;
		return fail(EINVAL);
	}
	settings->drive = drive;
	return 0;
}

enum gpiod_line_drive
gpiod_line_settings_get_drive(struct gpiod_line_settings *settings)
{
	return settings->drive;
}

void gpiod_line_settings_set_active_low(struct gpiod_line_settings *settings,
					bool active_low)
{
	settings->active_low = active_low;
}

bool gpiod_line_settings_get_active_low(struct gpiod_line_settings *settings)
{
	return settings->active_low;
}

void gpiod_line_settings_set_debounce_period_us(
	struct gpiod_line_settings *settings, unsigned long period)
{
	settings->debounce = period;
}

unsigned long
gpiod_line_settings_get_debounce_period_us(struct gpiod_line_settings *settings)
{
	return settings->debounce;
}

int gpiod_line_settings_set_event_clock(struct gpiod_line_settings *settings,
					enum gpiod_line_clock clock)
{
	if (clock < GPIOD_LINE_CLOCK_MONOTONIC ||
	    clock > GPIOD_LINE_CLOCK_HTE) {
		settings->clock = GPIOD_LINE_CLOCK_MONOTONIC;
		return fail(EINVAL);
	}
	settings->clock = clock;
	return 0;
}

enum gpiod_line_clock
gpiod_line_settings_get_event_clock(struct gpiod_line_settings *settings)
{
	return settings->clock;
}

int gpiod_line_settings_set_output_value(struct gpiod_line_settings *settings,
					 enum gpiod_line_value value)
{
	if (value != GPIOD_LINE_VALUE_INACTIVE &&
	    value != GPIOD_LINE_VALUE_ACTIVE) {
		settings->value = GPIOD_LINE_VALUE_INACTIVE;
		return fail(EINVAL);
	}
	settings->value = value;
	return 0;
}

enum gpiod_line_value
gpiod_line_settings_get_output_value(struct gpiod_line_settings *settings)
{
	return settings->value;
}

/* Line configs ----------------------------------------------------------- */

struct gpiod_line_config *gpiod_line_config_new(void)
{
	struct gpiod_line_config *c = calloc(1, sizeof(*c));

	if (!c)
		errno = ENOMEM;
	return c;
}

void gpiod_line_config_free(struct gpiod_line_config *config)
{
	free(config);
}

void gpiod_line_config_reset(struct gpiod_line_config *config)
{
	memset(config, 0, sizeof(*config));
}

/* Where offset is in config (its order of addition), or -1. */
int vb2_config_index(const struct gpiod_line_config *c, unsigned int off)
{
	for (unsigned int i = 0; i < c->n; i++)
		if (c->offset[i] == off)
			return (int)i;
	return -1;
}

int gpiod_line_config_add_line_settings(struct gpiod_line_config *config,
					const unsigned int *offsets,
					size_t num_offsets,
					struct gpiod_line_settings *settings)
{
	struct gpiod_line_settings dflt;

	if (!offsets || !num_offsets)
		return fail(EINVAL);
	if (!settings) {
		gpiod_line_settings_reset(&dflt);
		settings = &dflt;
	}
	for (size_t i = 0; i < num_offsets; i++) {
		int at = vb2_config_index(config, offsets[i]);

		if (at < 0) {
			if (config->n == VB2_MAX_LINES)
				return fail(E2BIG);
			at = (int)config->n++;
			config->offset[at] = offsets[i];
		}
		config->set[at] = *settings;
	}
	return 0;
}

struct gpiod_line_settings *
gpiod_line_config_get_line_settings(struct gpiod_line_config *config,
				    unsigned int offset)
{
	int at = vb2_config_index(config, offset);

	if (at < 0) {
		errno = ENOENT;
		return NULL;
	}
	return gpiod_line_settings_copy(&config->set[at]);
}

int gpiod_line_config_set_output_values(struct gpiod_line_config *config,
					const enum gpiod_line_value *values,
					size_t num_values)
{
	if (num_values > config->n)
		return fail(EINVAL);
	for (size_t i = 0; i < num_values; i++)
		if (gpiod_line_settings_set_output_value(&config->set[i],
							 values[i]))
			return -1;
	return 0;
}

size_t
gpiod_line_config_get_num_configured_offsets(struct gpiod_line_config *config)
{
	return config->n;
}

size_t
gpiod_line_config_get_configured_offsets(struct gpiod_line_config *config,
					 unsigned int *offsets,
					 size_t max_offsets)
{
	size_t n = config->n < max_offsets ? config->n : max_offsets;

	memcpy(offsets, config->offset, n * sizeof(*offsets));
	return n;
}

/* Request configs -------------------------------------------------------- */

struct gpiod_request_config *gpiod_request_config_new(void)
{
	struct gpiod_request_config *c = calloc(1, sizeof(*c));

	if (!c)
		errno = ENOMEM;
	return c;
}

void gpiod_request_config_free(struct gpiod_request_config *config)
{
	free(config);
}

void gpiod_request_config_set_consumer(struct gpiod_request_config *config,
				       const char *consumer)
{
	snprintf(config->consumer, sizeof(config->consumer), "%s",
		 consumer ? consumer : "");
}

const char *
gpiod_request_config_get_consumer(struct gpiod_request_config *config)
{
	return config->consumer[0] ? config->consumer : NULL;
}

void gpiod_request_config_set_event_buffer_size(
	struct gpiod_request_config *config, size_t event_buffer_size)
{
	config->event_buffer_size = event_buffer_size;
}

size_t
gpiod_request_config_get_event_buffer_size(struct gpiod_request_config *config)
{
	return config->event_buffer_size;
}
