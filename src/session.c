// SPDX-License-Identifier: GPL-2.0-or-later
/* Opening the stack for a command, and telling wiring mistakes apart. */
#include <string.h>

#include "ub/err.h"
#include "ub/log.h"
#include "ub/session.h"

#define CLK UB_BIT(UB_LINE_SWCLK)
#define DIO UB_BIT(UB_LINE_SWDIO)

/*
 * A GPIO wire with SWCLK and SWDIO exchanged: if a target answers through
 * it, the two wires are swapped on the board.
 */
struct swapped {
	struct ub_gpio g;
	struct ub_gpio *real;
};

static unsigned swap_bits(unsigned m)
{
	unsigned both = m & (CLK | DIO);

	if (both == CLK || both == DIO)
		m ^= CLK | DIO;
	return m;
}

static int sw_set(struct ub_gpio *g, unsigned mask, unsigned values)
{
	return ub_gpio_set(((struct swapped *)g)->real, swap_bits(mask),
			   swap_bits(values));
}

static int sw_get(struct ub_gpio *g, unsigned mask, unsigned *values)
{
	int err = ub_gpio_get(((struct swapped *)g)->real, swap_bits(mask),
			      values);

	*values = swap_bits(*values);
	return err;
}

static int sw_dir(struct ub_gpio *g, unsigned mask, unsigned outputs)
{
	struct swapped *s = (struct swapped *)g;
	int err = ub_gpio_dir(s->real, swap_bits(mask), swap_bits(outputs));

	g->outputs = swap_bits(s->real->outputs);
	return err;
}

static void sw_close(struct ub_gpio *g)
{
	(void)g;
}

static const struct ub_gpio_ops swapped_ops = {
	.set = sw_set,
	.get = sw_get,
	.dir = sw_dir,
	.close = sw_close,
};

bool ub_swd_answers_swapped(struct ub_gpio *g, uint32_t hz)
{
	struct swapped sw = {.g = {.ops = &swapped_ops}, .real = g};
	struct ub_dap dap;
	struct ub_swd *swd;
	int err;

	sw.g.have = g->have;
	sw.g.outputs = swap_bits(g->outputs);
	sw.g.backend = g->backend;
	swd = ub_swd_new_gpio(&sw.g, hz, &err);
	if (!swd)
		return false;
	err = ub_dap_connect(&dap, swd);
	ub_swd_free(swd);
	/* put SWDIO back as the engine expects it: an output */
	ub_gpio_dir(g, CLK | DIO, CLK | DIO);
	return !err;
}

static const char *pin_of(const struct ub_board *b, const char *role, char *buf,
			  size_t n)
{
	const struct ub_board_pin *p = ub_board_pin(b, role);

	snprintf(buf, n, "pin %d", p ? p->pi : 0);
	return buf;
}

static int diagnose(struct ub_session *s, uint32_t hz, int err)
{
	char a[16], c[16];

	if (err != UB_ENOTARGET)
		return err;
	if (ub_swd_answers_swapped(s->gpio, hz))
		return ub_fail(UB_ENOTARGET,
			       "the target answers with SWDIO and SWCLK "
			       "swapped: exchange the wires on Pi %s and %s",
			       pin_of(s->board, "swdio", a, sizeof(a)),
			       pin_of(s->board, "swclk", c, sizeof(c)));
	return err;
}

static int connect(struct ub_session *s, uint32_t hz)
{
	bool nrst = s->gpio->have & UB_BIT(UB_LINE_NRST);
	int err;

	s->under_reset = nrst;
	err = ub_cm_connect(&s->cm, &s->dap, s->swd, s->gpio, nrst);
	if (err == UB_ENOTARGET && nrst) {
		/* NRST may be miswired: try without it, to say so */
		s->under_reset = false;
		if (!ub_cm_connect(&s->cm, &s->dap, s->swd, s->gpio, false))
			return ub_fail(UB_EPROTO,
				       "the target answers only while NRST is "
				       "released: is the NRST wire on the "
				       "board's reset pin?");
		ub_swd_clear(s->swd);
	}
	if (err)
		return diagnose(s, hz, err);
	return 0;
}

static int check_chip(struct ub_ctx *ctx, const struct ub_session *s)
{
	const struct ub_board *b = s->board;

	if (!b->has_dev_id || b->dev_id == s->t->info.dev_id)
		return 0;
	if (ctx->yes) {
		ub_warn("the chip's DEV_ID 0x%03X is not %s's 0x%03X: going on "
			"because of -y",
			s->t->info.dev_id, b->name, b->dev_id);
		return 0;
	}
	return ub_fail(UB_EWRONGCHIP,
		       "this chip is %s (DEV_ID 0x%03X), but board %s has a "
		       "0x%03X: wrong board? (-y overrides)",
		       s->t->info.name, s->t->info.dev_id, b->name, b->dev_id);
}

int ub_session_open(struct ub_ctx *ctx, struct ub_session *s)
{
	struct ub_board *b;
	uint32_t hz;
	int err;

	memset(s, 0, sizeof(*s));
	s->ctx = ctx;
	err = ub_ctx_board(ctx, true, &b);
	if (err)
		return err;
	s->board = b;
	s->iface = ub_ctx_iface(ctx, b);
	if (!b->iface[s->iface].available)
		return ub_fail(UB_EUNSUPPORTED,
			       "%s cannot be reached over %s: %s", b->name,
			       ub_iface_name(s->iface),
			       b->iface[s->iface].reason);
	if (s->iface == UB_IFACE_UART) {
		err = ub_session_open_uart(ctx, s);
	} else {
		hz = ctx->speed ? ctx->speed : 0;
		s->gpio = ub_gpio_open_board(b, s->iface, &err);
		if (!s->gpio)
			return err;
		s->swd = ub_swd_new_gpio(s->gpio, hz, &err);
		if (s->swd)
			err = connect(s, hz);
		if (!err)
			s->t = ub_stm32f1_swd(&s->cm, &err);
	}
	if (!err) {
		s->t->progress = &ctx->progress;
		err = check_chip(ctx, s);
	}
	if (err)
		ub_session_close(s, false);
	return err;
}

void ub_session_close(struct ub_session *s, bool run)
{
	ub_session_close_spi(s);
	if (s->iface == UB_IFACE_UART) {
		ub_session_close_uart(s, run);
		memset(s, 0, sizeof(*s));
		return;
	}
	if (s->t && run)
		s->t->ops->reset(s->t, UB_RESET_RUN);
	if (s->t)
		s->t->ops->close(s->t);
	ub_swd_free(s->swd);
	ub_gpio_close(s->gpio);
	memset(s, 0, sizeof(*s));
}
