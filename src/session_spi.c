// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The board's companion SPI flash: which bus reaches it (--spi, else the
 * profile's [spi] bus), opening that bus on the session, and the probe.
 *
 *   mcu     the MCU's SPI peripheral, driven by a loader over the session's
 *           link (the family driver's spi_open)
 *   clip    the Pi's GPIO on the chip's own pins; the MCU must leave them
 *           alone: halted after a reset (its pins are inputs then) in a
 *           session with the MCU, NRST held low in one without
 *   spidev  Linux spidev, on the same condition
 */
#include <string.h>

#include "ub/err.h"
#include "ub/log.h"
#include "ub/session.h"

#define DEFAULT_SPIDEV "/dev/spidev0.0"

static int bus_kind(const struct ub_ctx *ctx, const struct ub_board *b,
		    char *dev, size_t n)
{
	const char *bus = ctx && ctx->spi_bus ? ctx->spi_bus : b->spi.bus;

	if (!b->spi.present && !(ctx && ctx->spi_bus))
		return ub_fail(UB_ENOENT,
			       "board %s has no companion SPI flash in its "
			       "profile: add an [spi] section, or name the bus "
			       "with --spi",
			       b->name);
	if (!bus[0])
		bus = ub_board_pin(b, "spi_cs") ? "clip" : "mcu";
	snprintf(dev, n, "%s",
		 b->spi.device[0] ? b->spi.device : DEFAULT_SPIDEV);
	if (!strncmp(bus, "spidev:", 7))
		snprintf(dev, n, "%s", bus + 7);
	if (!strncmp(bus, "spidev", 6))
		return UB_SPI_BUS_SPIDEV;
	return strcmp(bus, "clip") ? UB_SPI_BUS_MCU : UB_SPI_BUS_CLIP;
}

int ub_session_spi_bus(const struct ub_ctx *ctx, const struct ub_board *b)
{
	char dev[64];

	return bus_kind(ctx, b, dev, sizeof(dev));
}

static struct ub_spi_bus *open_clip(struct ub_session *s, uint32_t hz, int *err)
{
	static const char *const role[] = {"spi_cs", "spi_clk", "spi_mosi",
					   "spi_miso"};
	const unsigned need = UB_BIT(UB_LINE_SPI_CS) | UB_BIT(UB_LINE_SPI_CLK) |
			      UB_BIT(UB_LINE_SPI_MOSI) |
			      UB_BIT(UB_LINE_SPI_MISO);
	struct ub_gpio *g = s->gpio ? s->gpio : s->lines.gpio;

	if (!g || (g->have & need) != need) {
		for (unsigned i = 0; i < 4; i++)
			if (!ub_board_pin(s->board, role[i]))
				break;
		*err = ub_fail(UB_ECONFIG,
			       "the clip needs the Pi's GPIO on the flash "
			       "chip's CS#, SCK, SI and SO: add [pin spi_cs], "
			       "[pin spi_clk], [pin spi_mosi] and [pin "
			       "spi_miso] to board %s, or give them with --pin "
			       "spi_cs=GPIOn...",
			       s->board->name);
		return NULL;
	}
	return ub_spi_gpio_open(g, hz, err);
}

/* The MCU keeps off the chip's lines: halted just after a reset, its pins
 * are floating inputs; without a session to it, NRST is held low. */
static int quiet_mcu(struct ub_session *s)
{
	if (s->t)
		return s->t->ops->reset(s->t, UB_RESET_HALT);
	if (s->gpio && (s->gpio->have & UB_BIT(UB_LINE_NRST))) {
		s->nrst_held = true;
		return ub_gpio_set(s->gpio, UB_BIT(UB_LINE_NRST), 0);
	}
	ub_warn("no NRST line is wired: make sure the MCU leaves the flash "
		"chip's lines alone (hold its reset, or erase its firmware)");
	return 0;
}

static const char *chip_list(const struct ub_spi_conf *c, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = 0;
	for (unsigned i = 0; i < c->nchip && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s",
					i ? (i + 1 == c->nchip ? " or " : ", ")
					  : "",
					c->chip[i]);
	return buf;
}

/* The chip against the profile's list of expected parts. */
static void check_expected(const struct ub_session *s)
{
	const struct ub_spi_conf *c = &s->board->spi;
	char list[160];

	for (unsigned i = 0; i < c->nchip; i++)
		if (!strcasecmp(c->chip[i], "any") ||
		    !strcasecmp(c->chip[i], s->nor.chip.name))
			return;
	if (c->nchip)
		ub_warn("the companion flash is a %s, but board %s expects %s: "
			"a replaced chip, or the wrong board?",
			s->nor.chip.name, s->board->name,
			chip_list(c, list, sizeof(list)));
	if (c->size && c->size != s->nor.chip.size)
		ub_warn("the companion flash holds %u KB, board %s says %u KB",
			s->nor.chip.size / 1024, s->board->name,
			c->size / 1024);
}

static int open_bus(struct ub_session *s)
{
	const struct ub_ctx *ctx = s->ctx;
	uint32_t hz = ctx ? ctx->spi_hz : 0;
	char dev[64];
	int kind = bus_kind(ctx, s->board, dev, sizeof(dev)), err = 0;

	if (kind < 0)
		return kind;
	if (kind == UB_SPI_BUS_MCU) {
		if (!s->t)
			return ub_fail(UB_EINVAL, "the MCU is not connected");
		if (!s->t->ops->spi_open)
			return ub_fail(UB_EUNSUPPORTED,
				       "reaching the companion flash through "
				       "the MCU is not supported over %s: try "
				       "--spi clip",
				       ub_iface_name(s->iface));
		s->spi = s->t->ops->spi_open(s->t, &s->board->spi, hz, &err);
		return s->spi ? 0 : err;
	}
	err = quiet_mcu(s);
	if (err)
		return err;
	if (kind == UB_SPI_BUS_CLIP)
		s->spi = open_clip(s, hz, &err);
	else
		s->spi = ub_spi_spidev_open(dev, hz, s->board->spi.mode, &err);
	return s->spi ? 0 : err;
}

int ub_session_spi(struct ub_session *s, struct ub_nor **nor)
{
	struct ub_nor *unused;
	int err;

	if (!nor)
		nor = &unused;
	if (s->nor_ok) {
		*nor = &s->nor;
		return 0;
	}
	if (!s->spi) {
		err = open_bus(s);
		if (err)
			return err;
	}
	err = ub_nor_probe(&s->nor, s->spi);
	if (err)
		return err;
	s->nor.progress = s->ctx ? &s->ctx->progress : NULL;
	s->nor_ok = true;
	check_expected(s);
	*nor = &s->nor;
	return 0;
}

int ub_session_open_spi(struct ub_ctx *ctx, struct ub_session *s)
{
	struct ub_board *b;
	int err;

	memset(s, 0, sizeof(*s));
	s->ctx = ctx;
	err = ub_ctx_board(ctx, true, &b);
	if (err)
		return err;
	s->board = b;
	s->iface = ub_ctx_iface(ctx, b);
	s->gpio = ub_gpio_open_board(b, UB_IFACE_SWD, &err);
	if (!s->gpio && bus_kind(ctx, b, (char[64]){0}, 64) == UB_SPI_BUS_CLIP)
		return err;
	ub_clear_error();
	err = open_bus(s);
	if (err)
		ub_session_close(s, false);
	return err;
}

void ub_session_close_spi(struct ub_session *s)
{
	ub_spi_close(s->spi);
	s->spi = NULL;
	s->nor_ok = false;
	if (s->nrst_held) {
		ub_gpio_set(s->gpio, UB_BIT(UB_LINE_NRST),
			    UB_BIT(UB_LINE_NRST));
		s->nrst_held = false;
	}
}
