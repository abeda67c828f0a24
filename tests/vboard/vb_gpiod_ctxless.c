// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The stand-in libgpiod's context-less helpers (open, request, do, release,
 * close), and edge events, which are not modelled: their requests and
 * reads fail with ENOTSUP.
 */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "vb_gpiod_priv.h"

/* Edge event requests: not modelled -------------------------------------- */

int gpiod_line_request_rising_edge_events(struct gpiod_line *line,
					  const char *consumer)
{
	(void)line;
	(void)consumer;
	return fail(ENOTSUP);
}

int gpiod_line_request_falling_edge_events(struct gpiod_line *line,
					   const char *consumer)
{
	(void)line;
	(void)consumer;
	return fail(ENOTSUP);
}

int gpiod_line_request_both_edges_events(struct gpiod_line *line,
					 const char *consumer)
{
	(void)line;
	(void)consumer;
	return fail(ENOTSUP);
}

int gpiod_line_request_rising_edge_events_flags(struct gpiod_line *line,
						const char *consumer, int flags)
{
	(void)line;
	(void)consumer;
	(void)flags;
	return fail(ENOTSUP);
}

int gpiod_line_request_falling_edge_events_flags(struct gpiod_line *line,
						 const char *consumer,
						 int flags)
{
	(void)line;
	(void)consumer;
	(void)flags;
	return fail(ENOTSUP);
}

int gpiod_line_request_both_edges_events_flags(struct gpiod_line *line,
					       const char *consumer, int flags)
{
	(void)line;
	(void)consumer;
	(void)flags;
	return fail(ENOTSUP);
}

int gpiod_line_request_bulk_rising_edge_events(struct gpiod_line_bulk *bulk,
					       const char *consumer)
{
	(void)bulk;
	(void)consumer;
	return fail(ENOTSUP);
}

int gpiod_line_request_bulk_falling_edge_events(struct gpiod_line_bulk *bulk,
						const char *consumer)
{
	(void)bulk;
	(void)consumer;
	return fail(ENOTSUP);
}

int gpiod_line_request_bulk_both_edges_events(struct gpiod_line_bulk *bulk,
					      const char *consumer)
{
	(void)bulk;
	(void)consumer;
	return fail(ENOTSUP);
}

int gpiod_line_request_bulk_rising_edge_events_flags(
	struct gpiod_line_bulk *bulk, const char *consumer, int flags)
{
	(void)bulk;
	(void)consumer;
	(void)flags;
	return fail(ENOTSUP);
}

int gpiod_line_request_bulk_falling_edge_events_flags(
	struct gpiod_line_bulk *bulk, const char *consumer, int flags)
{
	(void)bulk;
	(void)consumer;
	(void)flags;
	return fail(ENOTSUP);
}

int gpiod_line_request_bulk_both_edges_events_flags(
	struct gpiod_line_bulk *bulk, const char *consumer, int flags)
{
	(void)bulk;
	(void)consumer;
	(void)flags;
	return fail(ENOTSUP);
}

/* Events: not modelled --------------------------------------------------- */

int gpiod_line_event_wait(struct gpiod_line *line,
			  const struct timespec *timeout)
{
	(void)line;
	(void)timeout;
	return fail(ENOTSUP);
}

int gpiod_line_event_wait_bulk(struct gpiod_line_bulk *bulk,
			       const struct timespec *timeout,
			       struct gpiod_line_bulk *event_bulk)
{
	(void)bulk;
	(void)timeout;
	(void)event_bulk;
	return fail(ENOTSUP);
}

int gpiod_line_event_read(struct gpiod_line *line,
			  struct gpiod_line_event *event)
{
	(void)line;
	(void)event;
	return fail(ENOTSUP);
}

int gpiod_line_event_read_multiple(struct gpiod_line *line,
				   struct gpiod_line_event *events,
				   unsigned int num_events)
{
	(void)line;
	(void)events;
	(void)num_events;
	return fail(ENOTSUP);
}

int gpiod_line_event_get_fd(struct gpiod_line *line)
{
	(void)line;
	return fail(ENOTSUP);
}

int gpiod_line_event_read_fd(int fd, struct gpiod_line_event *event)
{
	(void)fd;
	(void)event;
	return fail(ENOTSUP);
}

int gpiod_line_event_read_fd_multiple(int fd, struct gpiod_line_event *events,
				      unsigned int num_events)
{
	(void)fd;
	(void)events;
	(void)num_events;
	return fail(ENOTSUP);
}

/* Context-less helpers --------------------------------------------------- */

static int ctxless_flags(int cflags, bool active_low)
{
	int flags = active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;

	if (cflags & GPIOD_CTXLESS_FLAG_OPEN_DRAIN)
		flags |= GPIOD_LINE_REQUEST_FLAG_OPEN_DRAIN;
	if (cflags & GPIOD_CTXLESS_FLAG_OPEN_SOURCE)
		flags |= GPIOD_LINE_REQUEST_FLAG_OPEN_SOURCE;
	if (cflags & GPIOD_CTXLESS_FLAG_BIAS_DISABLE)
		flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE;
	if (cflags & GPIOD_CTXLESS_FLAG_BIAS_PULL_DOWN)
		flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN;
	if (cflags & GPIOD_CTXLESS_FLAG_BIAS_PULL_UP)
		flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP;
	return flags;
}

/* Open device, request the lines, do the thing, release, close. */
static int ctxless(const char *device, const unsigned int *offsets,
		   unsigned int num_lines, int type, int flags,
		   const char *consumer, int *get, const int *set,
		   gpiod_ctxless_set_value_cb cb, void *data)
{
	struct gpiod_line_bulk bulk;
	struct gpiod_chip *chip;
	int ret, err;

	if (!device || !offsets || !num_lines ||
	    num_lines > GPIOD_LINE_BULK_MAX_LINES)
		return fail(EINVAL);
	chip = gpiod_chip_open_lookup(device);
	if (!chip)
		return -1;
	ret = gpiod_chip_get_lines(chip, (unsigned int *)offsets, num_lines,
				   &bulk);
	if (!ret)
		ret = vb_gpiod_request_many(&bulk, consumer, type, flags, set);
	if (!ret && get)
		ret = gpiod_line_get_value_bulk(&bulk, get);
	if (!ret && cb)
		cb(data);
	err = errno;
	gpiod_chip_close(chip);
	errno = err;
	return ret;
}

int gpiod_ctxless_get_value_multiple_ext(const char *device,
					 const unsigned int *offsets,
					 int *values, unsigned int num_lines,
					 bool active_low, const char *consumer,
					 int flags)
{
	if (!values)
		return fail(EINVAL);
	return ctxless(device, offsets, num_lines,
		       GPIOD_LINE_REQUEST_DIRECTION_INPUT,
		       ctxless_flags(flags, active_low), consumer, values, NULL,
		       NULL, NULL);
}

int gpiod_ctxless_get_value_multiple(const char *device,
				     const unsigned int *offsets, int *values,
				     unsigned int num_lines, bool active_low,
				     const char *consumer)
{
	return gpiod_ctxless_get_value_multiple_ext(
		device, offsets, values, num_lines, active_low, consumer, 0);
}

int gpiod_ctxless_get_value_ext(const char *device, unsigned int offset,
				bool active_low, const char *consumer,
				int flags)
{
	int value, ret;

	ret = gpiod_ctxless_get_value_multiple_ext(device, &offset, &value, 1,
						   active_low, consumer, flags);
	return ret ? ret : value;
}

int gpiod_ctxless_get_value(const char *device, unsigned int offset,
			    bool active_low, const char *consumer)
{
	return gpiod_ctxless_get_value_ext(device, offset, active_low, consumer,
					   0);
}

int gpiod_ctxless_set_value_multiple_ext(
	const char *device, const unsigned int *offsets, const int *values,
	unsigned int num_lines, bool active_low, const char *consumer,
	gpiod_ctxless_set_value_cb cb, void *data, int flags)
{
	if (!values)
		return fail(EINVAL);
	return ctxless(device, offsets, num_lines,
		       GPIOD_LINE_REQUEST_DIRECTION_OUTPUT,
		       ctxless_flags(flags, active_low), consumer, NULL, values,
		       cb, data);
}

int gpiod_ctxless_set_value_multiple(const char *device,
				     const unsigned int *offsets,
				     const int *values, unsigned int num_lines,
				     bool active_low, const char *consumer,
				     gpiod_ctxless_set_value_cb cb, void *data)
{
	return gpiod_ctxless_set_value_multiple_ext(device, offsets, values,
						    num_lines, active_low,
						    consumer, cb, data, 0);
}

int gpiod_ctxless_set_value_ext(const char *device, unsigned int offset,
				int value, bool active_low,
				const char *consumer,
				gpiod_ctxless_set_value_cb cb, void *data,
				int flags)
{
	return gpiod_ctxless_set_value_multiple_ext(device, &offset, &value, 1,
						    active_low, consumer, cb,
						    data, flags);
}

int gpiod_ctxless_set_value(const char *device, unsigned int offset, int value,
			    bool active_low, const char *consumer,
			    gpiod_ctxless_set_value_cb cb, void *data)
{
	return gpiod_ctxless_set_value_ext(device, offset, value, active_low,
					   consumer, cb, data, 0);
}

int gpiod_ctxless_find_line(const char *name, char *chipname,
			    size_t chipname_size, unsigned int *offset)
{
	int off = vb_gpiod_offset_of_name(name);

	if (!name || !chipname || !offset)
		return fail(EINVAL);
	if (off < 0)
		return 0;
	snprintf(chipname, chipname_size, "%s", VB_CHIP_NAME);
	*offset = (unsigned int)off;
	return 1;
}

int gpiod_ctxless_event_loop(const char *device, unsigned int offset,
			     bool active_low, const char *consumer,
			     const struct timespec *timeout,
			     gpiod_ctxless_event_poll_cb poll_cb,
			     gpiod_ctxless_event_handle_cb event_cb, void *data)
{
	(void)device;
	(void)offset;
	(void)active_low;
	(void)consumer;
	(void)timeout;
	(void)poll_cb;
	(void)event_cb;
	(void)data;
	return fail(ENOTSUP);
}

int gpiod_ctxless_event_loop_multiple(
	const char *device, const unsigned int *offsets, unsigned int num_lines,
	bool active_low, const char *consumer, const struct timespec *timeout,
	gpiod_ctxless_event_poll_cb poll_cb,
	gpiod_ctxless_event_handle_cb event_cb, void *data)
{
	(void)device;
	(void)offsets;
	(void)num_lines;
	(void)active_low;
	(void)consumer;
	(void)timeout;
	(void)poll_cb;
	(void)event_cb;
	(void)data;
	return fail(ENOTSUP);
}

int gpiod_ctxless_event_monitor(const char *device, int event_type,
				unsigned int offset, bool active_low,
				const char *consumer,
				const struct timespec *timeout,
				gpiod_ctxless_event_poll_cb poll_cb,
				gpiod_ctxless_event_handle_cb event_cb,
				void *data)
{
	return gpiod_ctxless_event_monitor_ext(device, event_type, offset,
					       active_low, consumer, timeout,
					       poll_cb, event_cb, data, 0);
}

int gpiod_ctxless_event_monitor_ext(const char *device, int event_type,
				    unsigned int offset, bool active_low,
				    const char *consumer,
				    const struct timespec *timeout,
				    gpiod_ctxless_event_poll_cb poll_cb,
				    gpiod_ctxless_event_handle_cb event_cb,
				    void *data, int flags)
{
	return gpiod_ctxless_event_monitor_multiple_ext(
		device, event_type, &offset, 1, active_low, consumer, timeout,
		poll_cb, event_cb, data, flags);
}

int gpiod_ctxless_event_monitor_multiple(
	const char *device, int event_type, const unsigned int *offsets,
	unsigned int num_lines, bool active_low, const char *consumer,
	const struct timespec *timeout, gpiod_ctxless_event_poll_cb poll_cb,
	gpiod_ctxless_event_handle_cb event_cb, void *data)
{
	return gpiod_ctxless_event_monitor_multiple_ext(
		device, event_type, offsets, num_lines, active_low, consumer,
		timeout, poll_cb, event_cb, data, 0);
}

int gpiod_ctxless_event_monitor_multiple_ext(
	const char *device, int event_type, const unsigned int *offsets,
	unsigned int num_lines, bool active_low, const char *consumer,
	const struct timespec *timeout, gpiod_ctxless_event_poll_cb poll_cb,
	gpiod_ctxless_event_handle_cb event_cb, void *data, int flags)
{
	(void)device;
	(void)event_type;
	(void)offsets;
	(void)num_lines;
	(void)active_low;
	(void)consumer;
	(void)timeout;
	(void)poll_cb;
	(void)event_cb;
	(void)data;
	(void)flags;
	return fail(ENOTSUP);
}
