/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_SWD_H
#define UB_SWD_H

#include <stdint.h>

#include "ub/gpio.h"

/*
 * The SWD packet engine (ARM ADIv5 §B4): 8-bit requests, turnaround, 3-bit
 * ACK, 32 data bits and parity. WAIT is retried within a time bound, FAULT
 * is cleared through ABORT and reported, a data parity error is recovered
 * through RESEND, and a dead line makes the engine sticky: later calls
 * return the same error at once.
 */
enum ub_swd_port { UB_SWD_DP = 0, UB_SWD_AP = 1 };

/* DP register addresses (A[3:2] << 2) */
#define UB_DP_DPIDR  0x0 /* read */
#define UB_DP_ABORT  0x0 /* write */
#define UB_DP_CTRL   0x4
#define UB_DP_RESEND 0x8 /* read */
#define UB_DP_SELECT 0x8 /* write */
#define UB_DP_RDBUFF 0xC

#define UB_ABORT_ALL 0x1E /* STKCMPCLR | STKERRCLR | WDERRCLR | ORUNERRCLR */

struct ub_swd;

struct ub_swd_ops {
	/* One transaction; returns 0 or a negative ub_err. */
	int (*read)(struct ub_swd *s, int port, unsigned addr, uint32_t *val);
	int (*write)(struct ub_swd *s, int port, unsigned addr, uint32_t val);
	/* Raw bits from the host, LSB first: line reset, switch, idle. */
	int (*seq)(struct ub_swd *s, const uint8_t *bits, unsigned n);
	void (*free)(struct ub_swd *s);
};

struct ub_swd_stats {
	unsigned long transfers, waits, faults, parity_retries, no_acks;
};

struct ub_swd {
	const struct ub_swd_ops *ops;
	int sticky; /* the error that stopped the engine, or 0 */
	struct ub_swd_stats st;
};

/*
 * Bit-banged on the GPIO wire's SWCLK and SWDIO lines. hz sets the delay per
 * half period (0: as fast as the wire goes; a libgpiod call costs about one
 * ioctl, a few hundred kHz on a Pi).
 */
struct ub_swd *ub_swd_new_gpio(struct ub_gpio *g, uint32_t hz, int *err);

/* Line reset, JTAG-to-SWD switch, line reset, idle (ADIv5 §B5.2). */
int ub_swd_switch(struct ub_swd *s);

/* Clear the sticky error (after a line reset brought the link back). */
void ub_swd_clear(struct ub_swd *s);

static inline int ub_swd_read(struct ub_swd *s, int port, unsigned addr,
			      uint32_t *val)
{
	return s->sticky ? s->sticky : s->ops->read(s, port, addr, val);
}

static inline int ub_swd_write(struct ub_swd *s, int port, unsigned addr,
			       uint32_t val)
{
	return s->sticky ? s->sticky : s->ops->write(s, port, addr, val);
}

static inline void ub_swd_free(struct ub_swd *s)
{
	if (s)
		s->ops->free(s);
}

#endif
