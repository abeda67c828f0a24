// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The stand-in libgpiod 2's info and edge events: not modelled. Waits and
 * reads fail with ENOTSUP; an edge event buffer can be made (and stays
 * empty), so that programs which make one up front still run.
 */
#include <stdint.h>
#include <stdlib.h>

#include "vb_gpiod2_priv.h"

struct gpiod_info_event {
	int unused;
};

struct gpiod_edge_event {
	int unused;
};

struct gpiod_edge_event_buffer {
	size_t capacity;
};

int gpiod_chip_wait_info_event(struct gpiod_chip *chip, int64_t timeout_ns)
{
	(void)chip;
	(void)timeout_ns;
	return fail(ENOTSUP);
}

struct gpiod_info_event *gpiod_chip_read_info_event(struct gpiod_chip *chip)
{
	(void)chip;
	errno = ENOTSUP;
	return NULL;
}

void gpiod_info_event_free(struct gpiod_info_event *event)
{
	free(event);
}

enum gpiod_info_event_type
gpiod_info_event_get_event_type(struct gpiod_info_event *event)
{
	(void)event;
	return GPIOD_INFO_EVENT_LINE_CONFIG_CHANGED;
}

uint64_t gpiod_info_event_get_timestamp_ns(struct gpiod_info_event *event)
{
	(void)event;
	return 0;
}

struct gpiod_line_info *
gpiod_info_event_get_line_info(struct gpiod_info_event *event)
{
	(void)event;
	return NULL;
}

int gpiod_line_request_wait_edge_events(struct gpiod_line_request *request,
					int64_t timeout_ns)
{
	(void)request;
	(void)timeout_ns;
	return fail(ENOTSUP);
}

int gpiod_line_request_read_edge_events(struct gpiod_line_request *request,
					struct gpiod_edge_event_buffer *buffer,
					size_t max_events)
{
	(void)request;
	(void)buffer;
	(void)max_events;
	return fail(ENOTSUP);
}

void gpiod_edge_event_free(struct gpiod_edge_event *event)
{
	free(event);
}

struct gpiod_edge_event *gpiod_edge_event_copy(struct gpiod_edge_event *event)
{
	struct gpiod_edge_event *copy = malloc(sizeof(*copy));

	if (!copy)
		errno = ENOMEM;
	else
		*copy = *event;
	return copy;
}

enum gpiod_edge_event_type
gpiod_edge_event_get_event_type(struct gpiod_edge_event *event)
{
	(void)event;
	return GPIOD_EDGE_EVENT_RISING_EDGE;
}

uint64_t gpiod_edge_event_get_timestamp_ns(struct gpiod_edge_event *event)
{
	(void)event;
	return 0;
}

unsigned int gpiod_edge_event_get_line_offset(struct gpiod_edge_event *event)
{
	(void)event;
	return 0;
}

unsigned long gpiod_edge_event_get_global_seqno(struct gpiod_edge_event *event)
{
	(void)event;
	return 0;
}

unsigned long gpiod_edge_event_get_line_seqno(struct gpiod_edge_event *event)
{
	(void)event;
	return 0;
}

struct gpiod_edge_event_buffer *gpiod_edge_event_buffer_new(size_t capacity)
{
	struct gpiod_edge_event_buffer *b = calloc(1, sizeof(*b));

	if (!b) {
		errno = ENOMEM;
		return NULL;
	}
	b->capacity = capacity ? capacity : 64;
	return b;
}

size_t
gpiod_edge_event_buffer_get_capacity(struct gpiod_edge_event_buffer *buffer)
{
	return buffer->capacity;
}

void gpiod_edge_event_buffer_free(struct gpiod_edge_event_buffer *buffer)
{
	free(buffer);
}

struct gpiod_edge_event *
gpiod_edge_event_buffer_get_event(struct gpiod_edge_event_buffer *buffer,
				  unsigned long index)
{
	(void)buffer;
	(void)index;
	errno = EINVAL;
	return NULL;
}

size_t
gpiod_edge_event_buffer_get_num_events(struct gpiod_edge_event_buffer *buffer)
{
	(void)buffer;
	return 0;
}
