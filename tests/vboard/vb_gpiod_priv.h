/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_GPIOD_PRIV_H
#define VB_GPIOD_PRIV_H

/*
 * What the parts of the stand-in libgpiod share (library only, never
 * exported: gpiod.map keeps them local):
 *
 *   vb_gpiod.c          chips, chip and line iterators, line info, lookups
 *   vb_gpiod_req.c      requests, values, reconfiguration: lines to pins
 *   vb_gpiod_ctxless.c  the context-less helpers; edge events (ENOTSUP)
 *   vb_gpiod_session.c  the board session, settings, wiring, VCD trace
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include <gpiod.h>

#include "vb.h"

#define VB_NLINES	54
#define VB_CHIP_NAME	"gpiochip0"
#define VB_CHIP_PATH	"/dev/gpiochip0"
#define VB_CONSUMER_MAX 32 /* the kernel's label size, with the NUL */
#define VB_MAX_SETTINGS 64
/* pin_of[] of a line wired to the SPI chip's clip side: VB_GPIOD_SPI plus
 * its enum vb_spi_line (profile roles spi_cs, spi_clk, spi_mosi, spi_miso) */
#define VB_GPIOD_SPI VB_NPINS

/* What the kernel knows of a line, whoever holds it. */
struct kline {
	bool used;
	bool output;
	int flags; /* GPIOD_LINE_REQUEST_FLAG_*, while requested */
	int value; /* the level the output drives (before open drain/source) */
	char consumer[VB_CONSUMER_MAX];
};

struct gpiod_line {
	struct gpiod_chip *chip;
	unsigned int offset;
	bool requested; /* this handle holds the request */
	/* line info as last read from the "kernel" (gpiod_line_update) */
	bool used, output, open_drain, open_source, active_low;
	int bias;
	char consumer[VB_CONSUMER_MAX];
};

struct gpiod_chip {
	struct gpiod_line line[VB_NLINES];
};

/* The session: one board for the whole process while a chip is open
 * (vb_gpiod_session.c). */
struct vb_gpiod_session {
	struct vb *vb;
	unsigned int nchips;
	pid_t pid;		/* the process that made the board */
	int pin_of[VB_NLINES];	/* enum vb_pin, VB_GPIOD_SPI + l, or -1 */
	int applied[VB_NLINES]; /* the drive last put on the wire */
	bool host_idle;		/* the Pi's pauses pass on the board too */
	struct kline kl[VB_NLINES];
	const char *label;
	unsigned int header_chip; /* its gpiochip number (pi=5-old: 4) */
	char report[PATH_MAX];
	/* the VCD trace */
	FILE *vcd;
	uint64_t vcd_ns;
	int vcd_level[VB_NPINS];
};

extern struct vb_gpiod_session vb_gs;

static inline int fail(int err)
{
	errno = err;
	return -1;
}

/* vb_gpiod_session.c: make the board from the environment (-1, errno set,
 * when it cannot be made); save it, write the report, close the trace. */
int vb_gpiod_session_start(void);
void vb_gpiod_session_end(void);
/* Record on the VCD trace what changed on the wires. */
void vb_gpiod_vcd_sample(void);
/* A wired line's pin (pin_of[]): the Pi drives it (0, 1, -1), and the
 * trace records it; its level as the Pi reads it, -1 when nothing is there
 * (a clip line on the board server's board); the clocks go last. */
void vb_gpiod_wire_drive(int pin, int level);
int vb_gpiod_wire_sense(int pin);
static inline bool vb_gpiod_wire_is_clock(int pin)
{
	return pin == VB_SWCLK || pin == VB_GPIOD_SPI + VB_SPI_CLK;
}

/* vb_gpiod.c: refresh a handle's line info from the "kernel"; the offset of
 * "GPIO0".."GPIO53", or -1. */
void vb_gpiod_line_info(struct gpiod_line *line);
int vb_gpiod_offset_of_name(const char *name);

/* vb_gpiod_req.c */
int vb_gpiod_request_many(struct gpiod_line_bulk *bulk, const char *consumer,
			  int type, int flags, const int *values);

#endif
