// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The lines a board profile wires, by role, opened with the default backend;
 * and the list of open sessions, so that every exit path can close them.
 */
#include <stddef.h>
#include <string.h>

#include "ub/err.h"
#include "ub/gpio.h"
#include "ub/pi.h"

static const char *const fixed[UB_LINE_BOARD0] = {
	[UB_LINE_SWCLK] = "swclk",	 [UB_LINE_SWDIO] = "swdio",
	[UB_LINE_NRST] = "nrst",	 [UB_LINE_BOOT0] = "boot0",
	[UB_LINE_SPI_CS] = "spi_cs",	 [UB_LINE_SPI_CLK] = "spi_clk",
	[UB_LINE_SPI_MOSI] = "spi_mosi", [UB_LINE_SPI_MISO] = "spi_miso",
};

/* The line of a profile pin, -1 when it is no GPIO role. */
static int line_of_pin(const struct ub_board *b, const struct ub_board_pin *p)
{
	int board = UB_LINE_BOARD0;

	if (p->kind != UB_PIN_LINE)
		return -1;
	for (int i = 0; i < UB_LINE_BOARD0; i++)
		if (!strcmp(p->role, fixed[i]))
			return i;
	/* a board line: its rank among the board lines, in profile order */
	for (const struct ub_board_pin *q = b->pin; q < p; q++) {
		bool is_fixed = false;

		for (int i = 0; i < UB_LINE_BOARD0; i++)
			is_fixed |= !strcmp(q->role, fixed[i]);
		if (q->kind == UB_PIN_LINE && !is_fixed)
			board++;
	}
	return board < UB_LINE_MAX ? board : -1;
}

int ub_gpio_line_of(const struct ub_board *b, const char *role)
{
	const struct ub_board_pin *p = ub_board_pin(b, role);

	return p ? line_of_pin(b, p) : -1;
}

/* How a role starts (include/ub/gpio.h, ub_gpio_open_board). */
static void setup_req(struct ub_gpio_req *r, const struct ub_board_pin *p)
{
	r->open_drain = p->open_drain;
	r->output = true;
	r->initial = 0;
	switch (r->line) {
	case UB_LINE_SWDIO:
		r->initial = 1; /* an SWD host starts driving */
		r->pull_up = true;
		r->turns = true;
		break;
	case UB_LINE_SPI_CS:
		r->initial = 1;
		break;
	case UB_LINE_SPI_MISO:
		r->output = false;
		r->pull_up = true;
		break;
	case UB_LINE_SWCLK:
	case UB_LINE_SPI_CLK:
	case UB_LINE_SPI_MOSI:
		break;
	default: /* NRST, BOOT0, board lines: may be released */
		r->turns = !p->open_drain;
		if (r->line >= UB_LINE_BOARD0 && !p->open_drain)
			r->output = false; /* not touched until told */
		break;
	}
	if (p->open_drain) {
		r->output = true;
		r->initial = 1; /* released */
		r->pull_up = false;
	}
}

static int none_wired(const struct ub_board *b, int iface, const char *what)
{
	const char *name = ub_iface_name(iface);

	return ub_fail(UB_ECONFIG,
		       "board %s wires no %s line for %s: add a [pin %s] "
		       "section to its profile, or give the pin with --pin "
		       "%s=GPIOn",
		       b->name, what, name, what, what);
}

struct ub_gpio *ub_gpio_open_board(const struct ub_board *b, int iface,
				   int *err)
{
	struct ub_gpio_req req[UB_LINE_MAX];
	unsigned n = 0, have = 0;

	for (unsigned i = 0; i < b->npin; i++) {
		const struct ub_board_pin *p = &b->pin[i];
		const struct ub_pi_pin *pi = ub_pi_pin(p->pi);
		int line = line_of_pin(b, p);

		if (p->kind != UB_PIN_LINE || !(p->ifaces & (1u << iface)) ||
		    !pi || pi->kind != UB_PI_GPIO)
			continue;
		if (line < 0) {
			*err = ub_fail(UB_ECONFIG,
				       "board %s has more board lines than "
				       "unbrick can drive (%d): drop '%s' from "
				       "its profile",
				       b->name, UB_LINE_MAX - UB_LINE_BOARD0,
				       p->role);
			return NULL;
		}
		memset(&req[n], 0, sizeof(req[n]));
		req[n].line = (enum ub_line)line;
		req[n].bcm = pi->bcm;
		setup_req(&req[n], p);
		have |= UB_BIT(line);
		n++;
	}
	if (iface == UB_IFACE_SWD && !(have & UB_BIT(UB_LINE_SWCLK)))
		*err = none_wired(b, iface, "swclk");
	else if (iface == UB_IFACE_SWD && !(have & UB_BIT(UB_LINE_SWDIO)))
		*err = none_wired(b, iface, "swdio");
	else if (!n)
		*err = ub_fail(UB_ECONFIG,
			       "board %s wires no GPIO line for %s: add [pin "
			       "nrst] and [pin boot0] sections to its profile, "
			       "or give them with --pin nrst=GPIOn --pin "
			       "boot0=GPIOn",
			       b->name, ub_iface_name(iface));
	else
		return ub_gpio_open_gpiod(req, n, "unbrick", err);
	return NULL;
}

/* --- open sessions --- */

#define MAX_OPEN 8 /* sessions at once: one per board, in practice */

static struct ub_gpio *open_list[MAX_OPEN];

void ub_gpio_track(struct ub_gpio *g)
{
	for (int i = 0; i < MAX_OPEN; i++)
		if (!open_list[i]) {
			open_list[i] = g;
			return;
		}
}

void ub_gpio_untrack(struct ub_gpio *g)
{
	for (int i = 0; i < MAX_OPEN; i++)
		if (open_list[i] == g)
			open_list[i] = NULL;
}

void ub_gpio_close_all(void)
{
	for (int i = 0; i < MAX_OPEN; i++)
		if (open_list[i])
			ub_gpio_close(open_list[i]); /* untracks it */
}
