/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_GPIO_H
#define UB_GPIO_H

#include <stdbool.h>

#include "ub/board.h"

/*
 * The GPIO wire: the Pi's lines by role. One backend per file (libgpiod 1.6
 * now; libgpiod 2 and memory-mapped GPIO later), all behind one ops table.
 * Lines are named by role bits so that SWCLK and SWDIO change in one call.
 */
enum ub_line {
	UB_LINE_SWCLK,
	UB_LINE_SWDIO,
	UB_LINE_NRST,
	UB_LINE_BOOT0,
	UB_LINE_SPI_CS,
	UB_LINE_SPI_CLK,
	UB_LINE_SPI_MOSI,
	UB_LINE_SPI_MISO,
	UB_LINE_BOARD0, /* board lines (buttons: mode, k1...) from here */
	UB_LINE_MAX = 16,
};

#define UB_BIT(line) (1u << (line))

struct ub_gpio;

struct ub_gpio_ops {
	/* Drive the lines in mask to the levels in values (one syscall);
	 * for an open-drain line 1 means released. */
	int (*set)(struct ub_gpio *g, unsigned mask, unsigned values);
	/* Read the levels of the lines in mask. */
	int (*get)(struct ub_gpio *g, unsigned mask, unsigned *values);
	/* Make the lines in mask outputs (bit set in outputs) or inputs,
	 * in place: never by releasing and requesting again. */
	int (*dir)(struct ub_gpio *g, unsigned mask, unsigned outputs);
	/* Release every line (inputs, as before we came). */
	void (*close)(struct ub_gpio *g);
};

/* What to request for one role. */
struct ub_gpio_req {
	enum ub_line line;
	int bcm;	 /* BCM GPIO number (the Pi header's GPIOn) */
	bool output;	 /* start as an output... */
	int initial;	 /* ...driving this level */
	bool open_drain; /* NRST: pull low or let go */
	bool pull_up;	 /* bias for an input (SWDIO) */
};

struct ub_gpio {
	const struct ub_gpio_ops *ops;
	unsigned have;	     /* UB_BIT() of every line requested */
	unsigned outputs;    /* the lines that are outputs now */
	unsigned levels;     /* what was last driven (to skip unchanged) */
	const char *backend; /* "gpiod", for -v and doctor */
};

/*
 * libgpiod 1.6 (src/gpio_gpiod.c): find each line by name ("GPIO24", and the
 * Pi 3/4 aliases such as "SPI_SCLK" for GPIO11) across every gpiochip,
 * request all of them in one request as consumer, set up as asked. NULL and
 * *err on failure, with a message that says which line and why: no chip,
 * line busy (naming its consumer), no permission (how to fix it).
 */
struct ub_gpio *ub_gpio_open_gpiod(const struct ub_gpio_req *req, unsigned n,
				   const char *consumer, int *err);

/*
 * The lines a board profile wires for an interface (SWCLK, SWDIO, NRST
 * open-drain released, BOOT0 low...), opened with the default backend.
 */
struct ub_gpio *ub_gpio_open_board(const struct ub_board *b, int iface,
				   int *err);

static inline int ub_gpio_set(struct ub_gpio *g, unsigned mask, unsigned values)
{
	return g->ops->set(g, mask, values);
}

static inline int ub_gpio_get(struct ub_gpio *g, unsigned mask,
			      unsigned *values)
{
	return g->ops->get(g, mask, values);
}

static inline int ub_gpio_dir(struct ub_gpio *g, unsigned mask,
			      unsigned outputs)
{
	return g->ops->dir(g, mask, outputs);
}

static inline void ub_gpio_close(struct ub_gpio *g)
{
	if (g)
		g->ops->close(g);
}

#endif
