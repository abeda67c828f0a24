// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host CPU cost per SWD bit of each GPIO backend, on this machine: the
 * calls the SWD engine makes for a bit the host sends (SWCLK low with the
 * data, then SWCLK high) and for one it reads (SWCLK low, read SWDIO,
 * SWCLK high), timed on the process's CPU clock.
 *
 *   gpio_cost mmio     the mmio wire over plain memory laid out as a
 *                      BCM2711's GPIO block: its own cost, without the bus
 *                      (a Pi adds tens of ns per register access)
 *   gpio_cost gpiod    libgpiod, whichever this was built against, on the
 *                      lines of the board profile UB_VBOARD_BOARD (run it
 *                      under tests/vboard/with-vboard: the stand-in and the
 *                      virtual board are then counted too, where a Pi
 *                      would spend one ioctl per call)
 *
 * Prints one line: backend, library, ns per bit written, ns per bit read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ub/board.h"
#include "ub/err.h"
#include "ub/gpio.h"
#include "ub/gpio_mmio.h"

#define CLK UB_BIT(UB_LINE_SWCLK)
#define DIO UB_BIT(UB_LINE_SWDIO)

static double cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int bits_out(struct ub_gpio *g, unsigned n)
{
	int err = 0;

	for (unsigned i = 0; i < n && !err; i++) {
		err = ub_gpio_set(g, CLK | DIO,
				  (i * 2654435761u) >> 31 ? DIO : 0);
		if (!err)
			err = ub_gpio_set(g, CLK, CLK);
	}
	return err;
}

static int bits_in(struct ub_gpio *g, unsigned n)
{
	unsigned v;
	int err = 0;

	for (unsigned i = 0; i < n && !err; i++) {
		err = ub_gpio_set(g, CLK, 0);
		if (!err)
			err = ub_gpio_get(g, DIO, &v);
		if (!err)
			err = ub_gpio_set(g, CLK, CLK);
	}
	return err;
}

static int measure(struct ub_gpio *g, unsigned n, double *out, double *in)
{
	double t = cpu_ns();
	int err = bits_out(g, n);

	*out = (cpu_ns() - t) / n;
	if (!err)
		err = ub_gpio_dir(g, DIO, 0);
	t = cpu_ns();
	if (!err)
		err = bits_in(g, n);
	*in = (cpu_ns() - t) / n;
	return err;
}

/* --- mmio over memory --- */

static uint32_t ram_read32(void *ctx, uint32_t off)
{
	return *(volatile uint32_t *)((char *)ctx + off);
}

static void ram_write32(void *ctx, uint32_t off, uint32_t val)
{
	*(volatile uint32_t *)((char *)ctx + off) = val;
}

static int nop_set(struct ub_gpio *g, unsigned mask, unsigned values)
{
	g->levels = (g->levels & ~mask) | (values & mask);
	return 0;
}

static int nop_get(struct ub_gpio *g, unsigned mask, unsigned *values)
{
	*values = g->levels & mask;
	return 0;
}

static int nop_dir(struct ub_gpio *g, unsigned mask, unsigned outputs)
{
	g->outputs = (g->outputs & ~mask) | (outputs & mask);
	return 0;
}

static void nop_close(struct ub_gpio *g)
{
	(void)g;
}

static const struct ub_gpio_ops nop_ops = {nop_set, nop_get, nop_dir,
					   nop_close};

static struct ub_gpio *open_mmio(int *err)
{
	static const struct ub_gpio_req req[] = {
		{UB_LINE_SWCLK, 11, true, 0, false, false, false},
		{UB_LINE_SWDIO, 25, true, 1, false, true, true},
	};
	static uint32_t regs[1024];
	static struct ub_gpio base = {.ops = &nop_ops,
				      .have = CLK | DIO,
				      .outputs = CLK | DIO,
				      .levels = DIO};
	struct ub_mmio m = {ram_read32, ram_write32, regs};

	return ub_gpio_mmio_wrap(&base, &ub_mmio_bcm2711, &m, req, 2, CLK | DIO,
				 err);
}

int main(int argc, char **argv)
{
	const char *which = argc > 1 ? argv[1] : "mmio";
	unsigned n = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 0;
	struct ub_gpio *g;
	struct ub_board *b;
	double out, in;
	int err = 0;

	if (!strcmp(which, "mmio")) {
		g = open_mmio(&err);
		n = n ? n : 2000000;
	} else {
		b = ub_board_load(getenv("UB_VBOARD_BOARD") ?: "bluepill",
				  &err);
		ub_gpio_choose(UB_GPIO_GPIOD);
		g = b ? ub_gpio_open_board(b, UB_IFACE_SWD, &err) : NULL;
		n = n ? n : 20000;
	}
	if (!g) {
		fprintf(stderr, "gpio_cost: %s\n", ub_errmsg(err));
		return 1;
	}
	err = measure(g, n, &out, &in);
	if (err) {
		fprintf(stderr, "gpio_cost: %s\n", ub_errmsg(err));
		return 1;
	}
	printf("%-6s %-16s %8.1f %8.1f\n", g->backend,
	       !strcmp(which, "mmio") ? "(memory)" : g->detail, out, in);
	ub_gpio_close(g);
	return 0;
}
