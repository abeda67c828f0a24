// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unbrick doctor over SWD: the lines, then does the debug port answer (and
 * if not: swapped wires? no power?), then a real session: the chip, NRST's
 * effect on it, the companion flash.
 */
#include <stdio.h>
#include <string.h>

#include "doctor.h"
#include "ub/adi.h"
#include "ub/cortexm.h"
#include "ub/err.h"
#include "ub/session.h"

#define NRST UB_BIT(UB_LINE_NRST)

/* ARMv7-M ARM C1.6.2, C1.6.5: DHCSR's "reset since last read" bit, and
 * DEMCR's halt on a core reset. */
#define S_RESET_ST   (1u << 25)
#define VC_CORERESET (1u << 0)

#define HOLD_MS	 20 /* NRST low, as src/cortexm.c holds it */
#define AFTER_MS 50 /* after NRST is let go, as src/cortexm.c waits */

static void hold_reset(struct ub_gpio *g, bool low)
{
	if (!(g->have & NRST))
		return;
	ub_gpio_set(g, NRST, low ? 0 : NRST);
	ub_dr_sleep_ms(low ? HOLD_MS : AFTER_MS);
}

/*
 * Does the debug port answer? Under reset first when NRST is wired (a
 * firmware may have turned SWD off), then with NRST let go.
 */
static int dp_answers(struct ub_gpio *g, uint32_t hz, uint32_t *dpidr,
		      bool *only_released)
{
	struct ub_dap dap;
	struct ub_swd *swd = ub_swd_new_gpio(g, hz, &(int){0});
	int err;

	*only_released = false;
	if (!swd)
		return UB_ENOMEM;
	hold_reset(g, true);
	err = ub_dap_connect(&dap, swd);
	hold_reset(g, false);
	if (err == UB_ENOTARGET && (g->have & NRST)) {
		ub_swd_clear(swd);
		err = ub_dap_connect(&dap, swd);
		*only_released = !err;
	}
	*dpidr = err ? 0 : dap.dpidr;
	ub_swd_free(swd);
	return err;
}

static bool swapped(struct ub_gpio *g, uint32_t hz)
{
	bool yes;

	hold_reset(g, true);
	yes = ub_swd_answers_swapped(g, hz);
	hold_reset(g, false);
	return yes;
}

/* Nothing answers: say why, from what the lines showed. */
static void no_answer(struct ub_dr *d, struct ub_gpio *g, uint32_t hz, int err)
{
	char dio[UB_TEXT_MAX + 64], clk[UB_TEXT_MAX + 64],
		gnd[UB_TEXT_MAX + 64], fix[UB_DR_TEXT];
	bool nrst = g->have & NRST;

	ub_dr_wire(d->b, "swdio", dio, sizeof(dio));
	ub_dr_wire(d->b, "swclk", clk, sizeof(clk));
	ub_dr_wire(d->b, "gnd", gnd, sizeof(gnd));
	if (swapped(g, hz)) {
		snprintf(fix, sizeof(fix),
			 "exchange the two wires: SWDIO is %s, SWCLK is %s",
			 dio, clk);
		ub_dr_problem(d, UB_ENOTARGET, fix,
			      "SWDIO and SWCLK are swapped: the target "
			      "answers with the two lines exchanged");
		return;
	}
	if (!d->swdio_high && (!nrst || !d->nrst_high)) {
		snprintf(fix, sizeof(fix),
			 "power the board and share its ground with the Pi's "
			 "(GND: %s); if it is on, look for SWDIO%s shorted "
			 "to GND",
			 gnd, nrst ? " and NRST" : "");
		ub_dr_problem(d, UB_ENOTARGET, fix,
			      "the target seems unpowered: nothing answers on "
			      "SWD, and SWDIO%s read%s low with nothing "
			      "driving %s (the pull-ups on the chip's side "
			      "have no power)",
			      nrst ? " and NRST" : "", nrst ? "" : "s",
			      nrst ? "them" : "it");
		return;
	}
	snprintf(fix, sizeof(fix),
		 "check that GND is shared (%s), that SWDIO is %s and SWCLK "
		 "%s, and that the wires are short (under 20 cm); a firmware "
		 "that turns SWD off needs NRST wired for a connect under "
		 "reset (%s)",
		 gnd, dio, clk,
		 nrst ? "it is, and did not help" : "--pin nrst=GPIOn");
	ub_dr_problem(d, err, fix,
		      "nothing answers on SWD, though the board seems powered "
		      "(SWDIO is pulled up%s)",
		      nrst && d->nrst_high ? ", NRST too" : "");
}

/* The Pi's side: lines free and moving, a debug port that answers. */
static bool raw_checks(struct ub_dr *d)
{
	struct ub_gpio *g;
	uint32_t hz = d->ctx->speed, dpidr = 0;
	bool only_released, ok = false;
	int err;

	g = ub_gpio_open_board(d->b, UB_IFACE_SWD, &err);
	if (!g) {
		ub_dr_problem(d, err, NULL, "%s", ub_errmsg(err));
		ub_dr_skip(d,
			   "the lines, the link, the chip%s: the lines are "
			   "not ours",
			   d->b->spi.present ? " and the companion flash" : "");
		d->lines_failed = true;
		return false;
	}
	ub_dr_ok(d,
		 "the lines are free and this user may drive them "
		 "(%s backend)",
		 g->backend ? g->backend : "gpio");
	if (ub_dr_lines(d, g)) {
		d->lines_failed = true;
		ub_dr_skip(d, "the link, the chip%s: fix the lines first",
			   d->b->spi.present ? " and the companion flash" : "");
		goto close_gpio;
	}
	err = dp_answers(g, hz, &dpidr, &only_released);
	if (err == UB_ENOTARGET) {
		no_answer(d, g, hz, err);
	} else if (err) {
		ub_dr_problem(d, err, NULL, "the debug port: %s",
			      ub_errmsg(err));
	} else if (only_released) {
		char wire[UB_TEXT_MAX + 64], fix[UB_DR_TEXT];

		snprintf(fix, sizeof(fix),
			 "put the NRST wire (%s) on the board's reset pin",
			 ub_dr_wire(d->b, "nrst", wire, sizeof(wire)));
		ub_dr_problem(d, UB_EPROTO, fix,
			      "the target answers only while NRST is let go: "
			      "pulling NRST low cuts SWD off");
	} else {
		ub_dr_ok(d, "the debug port answers (DPIDR 0x%08X)%s", dpidr,
			 g->have & NRST ? ", under reset" : "");
		ok = true;
	}
close_gpio:
	ub_gpio_close(g);
	return ok;
}

/* A pulse on NRST with the core set to halt at reset: did it reset? */
static void nrst_effect(struct ub_dr *d, struct ub_session *s)
{
	char wire[UB_TEXT_MAX + 64], fix[UB_DR_TEXT];
	uint32_t v = 0;
	int err = ub_dap_write32(&s->dap, UB_DEMCR, VC_CORERESET);

	if (!err) /* S_RESET_ST is cleared by this read */
		err = ub_dap_read32(&s->dap, UB_DHCSR, &v);
	if (!err) {
		hold_reset(s->gpio, true);
		hold_reset(s->gpio, false);
		err = ub_dap_read32(&s->dap, UB_DHCSR, &v);
	}
	if (!err)
		err = ub_dap_write32(&s->dap, UB_DEMCR, 0);
	if (err) {
		ub_dr_problem(d, err, NULL, "NRST's effect: %s",
			      ub_errmsg(err));
		return;
	}
	if (v & S_RESET_ST) {
		ub_dr_ok(d, "NRST resets the chip");
		return;
	}
	ub_dr_wire(d->b, "nrst", wire, sizeof(wire));
	snprintf(fix, sizeof(fix),
		 "put the NRST wire (%s) on the board's reset pin; until "
		 "then unbrick resets by software (SYSRESETREQ), which a "
		 "firmware that turns SWD off defeats",
		 wire);
	ub_dr_problem(d, UB_EPROTO, fix,
		      "NRST has no effect: pulling it low does not reset the "
		      "chip%s",
		      d->nrst_high ? ""
				   : ", and it reads low when let go (no "
				     "pull-up on it: the wire does not reach "
				     "the board's reset pin)");
}

void ub_dr_swd(struct ub_dr *d)
{
	struct ub_session s;
	int err;

	if (!raw_checks(d)) {
		if (d->problems && !d->lines_failed)
			ub_dr_skip(d, "the chip%s: the link does not work",
				   d->b->spi.present
					   ? " and the companion flash"
					   : "");
		return;
	}
	err = ub_session_open(d->ctx, &s);
	if (err) {
		ub_dr_problem(d, err, NULL, "%s", ub_errmsg(err));
		return;
	}
	ub_dr_ok(d, "the chip: %s (DEV_ID 0x%03X), %u KB of flash%s",
		 s.t->info.name, s.t->info.dev_id, s.t->info.flash_size / 1024,
		 s.t->info.rdp ? ", read-protected" : "");
	if (s.gpio->have & NRST)
		nrst_effect(d, &s);
	if (d->b->spi.present)
		ub_dr_spi(d, &s);
	ub_session_close(&s, true);
}
