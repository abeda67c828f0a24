/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_GPIOD2_PRIV_H
#define VB_GPIOD2_PRIV_H

/*
 * What the parts of the stand-in libgpiod 2 share (library only, never
 * exported: gpiod2.map keeps them local):
 *
 *   vb_gpiod2.c          chips, chip and line info, the chips of each Pi
 *   vb_gpiod2_cfg.c      line settings, line and request configs
 *   vb_gpiod2_req.c      requests, values, reconfiguration: lines to pins
 *   vb_gpiod2_event.c    info and edge events (not modelled: ENOTSUP)
 *
 * The board session, its wiring and the VCD trace are the 1.6 stand-in's
 * (vb_gpiod_session.c): its header is read with the 1.6 types renamed out
 * of the way, since <gpiod.h> here is libgpiod 2's.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#include <gpiod.h>

#define gpiod_chip	vb1_gpiod_chip
#define gpiod_line	vb1_gpiod_line
#define gpiod_line_bulk vb1_gpiod_line_bulk
struct gpiod_line_bulk;
#include "vb_gpiod_priv.h"
#undef gpiod_chip
#undef gpiod_line
#undef gpiod_line_bulk

/* struct kline's flags, in libgpiod 1.6's values (vb_gpiod_req.c reads
 * them so too): what a v2 line's settings come to in the "kernel". */
#define VB1_OPEN_DRAIN	(1 << 0)
#define VB1_OPEN_SOURCE (1 << 1)
#define VB1_ACTIVE_LOW	(1 << 2)
#define VB1_BIAS_OFF	(1 << 3)
#define VB1_PULL_DOWN	(1 << 4)
#define VB1_PULL_UP	(1 << 5)

#define VB2_MAX_LINES 64 /* the kernel's GPIO_V2_LINES_MAX */

/* One gpiochip of the Pi the settings describe. */
struct vb2_chip_desc {
	unsigned int num;   /* /dev/gpiochipN */
	const char *label;  /* pinctrl-bcm2711, pinctrl-rp1, gpio-brcmstb@... */
	unsigned int lines; /* how many */
	bool header;	    /* the header's chip, wired to the board */
	const char *const *names; /* line names (NULL: GPIOn on the header) */
};

struct gpiod_chip {
	const struct vb2_chip_desc *d;
	char path[32];
	int fd; /* /dev/null: something to hand out as the chip's */
};

struct gpiod_line_settings {
	enum gpiod_line_direction direction;
	enum gpiod_line_edge edge;
	enum gpiod_line_bias bias;
	enum gpiod_line_drive drive;
	enum gpiod_line_clock clock;
	enum gpiod_line_value value;
	bool active_low;
	unsigned long debounce;
};

struct gpiod_line_config {
	unsigned int n;
	unsigned int offset[VB2_MAX_LINES];
	struct gpiod_line_settings set[VB2_MAX_LINES];
};

struct gpiod_request_config {
	char consumer[VB_CONSUMER_MAX];
	size_t event_buffer_size;
};

/* Where offset is in config (its order of addition), or -1. */
int vb2_config_index(const struct gpiod_line_config *c, unsigned int off);

/* The chips of the Pi the settings (or the session) describe; how many. */
unsigned int vb2_chips(const struct vb2_chip_desc **out);
/* The name of line off of chip d, "" for none. */
const char *vb2_line_name(const struct vb2_chip_desc *d, unsigned int off,
			  char *buf, size_t len);
/* A chip or request let go: the session ends with the last one. */
void vb2_session_put(void);

#endif
