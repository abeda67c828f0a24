/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_CLIP_TEST_UTIL_H
#define VB_CLIP_TEST_UTIL_H

/*
 * The clip in-process (tests/test_vb_spi_gpio.c, tests/test_vb_clip_*.c):
 * the product's GPIO layer and src/spi_gpio.c on the stand-in libgpiod,
 * wired as tests/data/clip.conf says (CS# GPIO16, SCK GPIO21, SI GPIO20,
 * SO GPIO19), the MCU held in reset through NRST.
 */
#include "vb_gpiod_test_util.h"

#include "ub/board.h"
#include "ub/err.h"
#include "ub/gpio.h"
#include "ub/spi.h"

struct clip_rig {
	struct ub_board *b;
	struct ub_gpio *g;
	struct ub_spi_bus *bus;
	struct vb *vb;
	struct ub_spi_bus timed; /* clip_timed(): bus, the wire's time on */
	uint32_t wire_hz;
};

/* The board's environment: clip.conf, settings (lines), a state directory
 * or none, the report and trace files or none. */
static inline void clip_env(const char *settings, const char *state,
			    const char *report, const char *vcd)
{
	char conf[4400];

	snprintf(conf, sizeof(conf), "%s/tests/data/clip.conf", srcdir);
	setenv("UB_VBOARD_BOARD", conf, 1);
	setenv("UB_VBOARD_SETTINGS", settings ? settings : "", 1);
	if (state)
		setenv("UB_VBOARD_STATE", state, 1);
	else
		unsetenv("UB_VBOARD_STATE");
	if (report)
		setenv("UB_VBOARD_REPORT", report, 1);
	else
		unsetenv("UB_VBOARD_REPORT");
	if (vcd)
		setenv("UB_VBOARD_VCD", vcd, 1);
	else
		unsetenv("UB_VBOARD_VCD");
}

/* The board's lines (libgpiod: the stand-in), NRST low or released, and
 * the clip at hz (0: the backend's default). */
static inline void clip_open(struct clip_rig *r, uint32_t hz, bool reset)
{
	int err = 0;

	ub_gpio_choose(UB_GPIO_GPIOD);
	r->b = ub_board_load(getenv("UB_VBOARD_BOARD"), &err);
	if (!r->b)
		fail_msg("clip.conf: %s", ub_errmsg(err));
	r->g = ub_gpio_open_board(r->b, UB_IFACE_SWD, &err);
	if (!r->g)
		fail_msg("the clip's lines: %s", ub_errmsg(err));
	r->vb = vb_gpiod_board();
	assert_non_null(r->vb);
	assert_int_equal(ub_gpio_set(r->g, UB_BIT(UB_LINE_NRST),
				     reset ? 0 : UB_BIT(UB_LINE_NRST)),
			 0);
	r->bus = ub_spi_gpio_open(r->g, hz, &err);
	if (!r->bus)
		fail_msg("ub_spi_gpio_open: %s", ub_errmsg(err));
}

/* The bus, then the lines: the session ends (state saved, report). */
static inline void clip_close(struct clip_rig *r)
{
	ub_spi_close(r->bus);
	r->bus = NULL;
	ub_gpio_close(r->g);
	r->g = NULL;
	ub_board_free(r->b);
	r->b = NULL;
	assert_null(vb_gpiod_board());
	r->vb = NULL;
}

/*
 * The board's clock sees the Pi's sleeps, not how long its GPIO writes
 * take: a clip running flat out moves no modelled time, and a chip that is
 * busy programming stays busy for as long as the host polls without
 * sleeping. clip_timed() gives a bus that moves the clock by each
 * transaction's bits at hz (and CS# high for a bit time after), as the
 * wire would take on a Pi, around r->bus.
 */
static int clip_timed_xfer(struct ub_spi_bus *b, const uint8_t *tx, size_t ntx,
			   uint8_t *rx, size_t nrx)
{
	struct clip_rig *r = b->priv;
	int err = ub_spi_xfer(r->bus, tx, ntx, rx, nrx);

	vb_advance(r->vb,
		   (8 * (ntx + nrx) + 1) * 1000000000000ull / r->wire_hz);
	return err;
}

static inline struct ub_spi_bus *clip_timed(struct clip_rig *r, uint32_t hz)
{
	static const struct ub_spi_bus_ops ops = {.xfer = clip_timed_xfer};

	r->wire_hz = hz;
	r->timed = *r->bus;
	r->timed.ops = &ops;
	r->timed.priv = r;
	r->timed.hz = hz;
	return &r->timed;
}

static inline void clip_xfer(struct clip_rig *r, const uint8_t *tx, size_t ntx,
			     uint8_t *rx, size_t nrx)
{
	int err = ub_spi_xfer(r->bus, tx, ntx, rx, nrx);

	if (err)
		fail_msg("xfer: %s", ub_errmsg(err));
}

#endif /* VB_CLIP_TEST_UTIL_H */
