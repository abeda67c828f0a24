// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SPI bit-banged on the Pi's GPIO: a clip on the flash chip's own pins
 * (CS#, SCK, SI, SO), mode 0, most significant bit first. The chip samples
 * SI on the rising edge of SCK and shifts SO out after the falling one; we
 * set SI together with the falling edge (one call: the backends write a
 * falling clock before the data) and read SO while SCK is low, just before
 * the next rising edge. CS# stays low for the whole transaction.
 *
 * The MCU on the board shares those pins: the caller holds it in reset
 * (NRST low) before opening the bus, so that its pins are inputs. If it
 * runs and drives them, the two fight and the chip sees garbage; nothing
 * on these four wires can tell us so, but the JEDEC ID comes back wrong.
 *
 * Speed: as fast as the GPIO backend goes, unless a rate is given (or the
 * backend has a default, as memory-mapped GPIO does): then each half
 * period of SCK lasts at least that long. A short one is a busy wait, as
 * in swd_gpio.c; one long enough to sleep through accurately is a sleep.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ub/err.h"
#include "ub/gpio.h"
#include "ub/log.h"
#include "ub/spi.h"

#define CS   UB_BIT(UB_LINE_SPI_CS)
#define CLK  UB_BIT(UB_LINE_SPI_CLK)
#define MOSI UB_BIT(UB_LINE_SPI_MOSI)
#define MISO UB_BIT(UB_LINE_SPI_MISO)
#define OUTS (CS | CLK | MOSI)

/*
 * A sleep overshoots by the kernel's timer slack (50 us for an ordinary
 * thread) plus a wake-up: half periods shorter than this are waited out on
 * the clock instead (a rate above 10 kHz).
 */
#define SLEEP_MIN_NS 50000L

struct spi_gpio {
	struct ub_spi_bus b;
	struct ub_gpio *g;
	long half_ns;	 /* half a period of SCK, 0 for flat out */
	uint64_t due_ns; /* when the current half period ends (busy wait) */
	unsigned found;	 /* which of CS#, SCK, SI were outputs at open */
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void half_period(struct spi_gpio *w)
{
	struct timespec ts;
	uint64_t t;

	if (!w->half_ns)
		return;
	if (w->half_ns >= SLEEP_MIN_NS) {
		ts.tv_sec = w->half_ns / 1000000000L;
		ts.tv_nsec = w->half_ns % 1000000000L;
		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
		return;
	}
	/* the deadline moves on by half a period: the wire's own time counts
	 * in; late by more than a period (preempted): start again from now */
	t = now_ns();
	if (!w->due_ns || t > w->due_ns + 2 * (uint64_t)w->half_ns)
		w->due_ns = t;
	w->due_ns += (uint64_t)w->half_ns;
	while (t < w->due_ns)
		t = now_ns();
}

/* One bit each way: SCK falls with SI set, SO read, SCK rises. */
static int bit(struct spi_gpio *w, unsigned out, unsigned *in)
{
	int err = ub_gpio_set(w->g, CLK | MOSI, out ? MOSI : 0);

	if (err)
		return err;
	half_period(w);
	if (in) {
		err = ub_gpio_get(w->g, MISO, in);
		if (err)
			return err;
	}
	err = ub_gpio_set(w->g, CLK, CLK);
	half_period(w);
	return err;
}

static int send(struct spi_gpio *w, const uint8_t *tx, size_t n)
{
	int err = 0;

	for (size_t i = 0; !err && i < n; i++)
		for (int k = 7; !err && k >= 0; k--)
			err = bit(w, tx[i] >> k & 1, NULL);
	return err;
}

/* SI stays high while reading (0xFF out). */
static int receive(struct spi_gpio *w, uint8_t *rx, size_t n)
{
	unsigned v = 0;
	int err = 0;

	for (size_t i = 0; !err && i < n; i++) {
		unsigned byte = 0;

		for (int k = 7; !err && k >= 0; k--) {
			err = bit(w, 1, &v);
			byte = byte << 1 | !!(v & MISO);
		}
		rx[i] = (uint8_t)byte;
	}
	return err;
}

static int gpio_xfer(struct ub_spi_bus *b, const uint8_t *tx, size_t ntx,
		     uint8_t *rx, size_t nrx)
{
	struct spi_gpio *w = b->priv;
	int err, end;

	/* SCK is low between transactions: mode 0 at CS# falling */
	err = ub_gpio_set(w->g, CS | CLK, 0);
	if (err)
		return err;
	half_period(w);
	err = send(w, tx, ntx);
	if (!err)
		err = receive(w, rx, nrx);
	/* SCK low, then CS# high: the chip acts on the command now */
	end = ub_gpio_set(w->g, CS | CLK, CS);
	half_period(w);
	return err ? err : end;
}

static void gpio_close(struct ub_spi_bus *b)
{
	struct spi_gpio *w = b->priv;

	/* deselect the chip, SCK and SI low; lines that were inputs when we
	 * came are let go again */
	if (!ub_gpio_set(w->g, OUTS, CS) && (w->found & OUTS) != OUTS)
		ub_gpio_dir(w->g, OUTS & ~w->found, 0);
	free(w);
}

static const struct ub_spi_bus_ops gpio_ops = {
	.xfer = gpio_xfer,
	.close = gpio_close,
};

static const char *line_name(unsigned missing)
{
	if (missing & CS)
		return "spi_cs";
	if (missing & CLK)
		return "spi_clk";
	if (missing & MOSI)
		return "spi_mosi";
	return "spi_miso";
}

struct ub_spi_bus *ub_spi_gpio_open(struct ub_gpio *g, uint32_t hz, int *err)
{
	unsigned missing = (OUTS | MISO) & ~g->have;
	struct spi_gpio *w;

	if (missing) {
		*err = ub_fail(UB_ECONFIG,
			       "the clip needs four Pi GPIO lines on the flash "
			       "chip's CS#, SCK, SI and SO, and %s is not "
			       "wired: add a [pin %s] section to the board "
			       "profile, or give it with --pin %s=GPIOn",
			       line_name(missing), line_name(missing),
			       line_name(missing));
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		*err = ub_fail(UB_ENOMEM, "out of memory");
		return NULL;
	}
	/* CS# high, SCK and SI low, driven; SO an input */
	w->found = g->outputs & OUTS;
	*err = ub_gpio_set(g, OUTS, CS);
	if (!*err && (g->outputs & (OUTS | MISO)) != OUTS)
		*err = ub_gpio_dir(g, OUTS | MISO, OUTS);
	if (*err) {
		free(w);
		return NULL;
	}
	if (!hz)
		hz = g->default_hz;
	w->g = g;
	w->half_ns = hz ? (long)(500000000u / hz) : 0;
	if (hz && !w->half_ns)
		w->half_ns = 1;
	w->b.ops = &gpio_ops;
	w->b.priv = w;
	w->b.hz = hz;
	snprintf(w->b.name, sizeof(w->b.name), "the Pi's GPIO (clip, %s)",
		 g->backend ? g->backend : "gpio");
	if (hz)
		ub_info("SPI on %s GPIO (%s), SCK %u.%03u MHz at most",
			g->backend, g->detail ? g->detail : "?", hz / 1000000,
			hz / 1000 % 1000);
	else
		ub_info("SPI on %s GPIO (%s), SCK as fast as the wire goes "
			"(--spi-speed to limit)",
			g->backend, g->detail ? g->detail : "?");
	return &w->b;
}
