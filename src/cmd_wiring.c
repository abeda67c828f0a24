// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unbrick wiring -B BOARD [-I swd|uart]: which Pi header pin goes to which
 * board pad, drawn on the 40-pin header, with the notes that save a beginner.
 */
#include <stdio.h>
#include <string.h>

#include "ub/cli.h"
#include "ub/err.h"
#include "ub/pi.h"

/* The connections for one interface, indexed by Pi pin. */
struct plan {
	const struct ub_board_pin *at[UB_PI_PINS + 1];
	const struct ub_board_pin *list[UB_MAX_PINS];
	unsigned n;
};

static const char *arrow(const struct ub_board_pin *p)
{
	if (p->kind == UB_PIN_GND)
		return "---";
	if (!strcmp(p->role, "swdio"))
		return "<->";
	if (!strcmp(p->role, "rxd") || !strcmp(p->role, "spi_miso"))
		return "<--";
	return "-->";
}

static void label(const struct ub_board_pin *p, char *buf, size_t n)
{
	if (!p) {
		buf[0] = '\0';
		return;
	}
	if (p->signal[0])
		snprintf(buf, n, "%s (%s)", p->pad, p->signal);
	else
		snprintf(buf, n, "%s", p->pad);
}

static void make_plan(const struct ub_board *b, int iface, struct plan *pl)
{
	memset(pl, 0, sizeof(*pl));
	for (unsigned i = 0; i < b->npin; i++) {
		const struct ub_board_pin *p = &b->pin[i];

		if (!(p->ifaces & (1u << iface)))
			continue;
		pl->list[pl->n++] = p;
		if (p->pi)
			pl->at[p->pi] = p;
	}
}

static void draw_header(FILE *o, const struct plan *pl)
{
	char l[UB_TEXT_MAX + 80], r[UB_TEXT_MAX + 80], ln[16], rn[16];
	int width = 0;

	for (int pin = 1; pin <= UB_PI_PINS; pin += 2) {
		label(pl->at[pin], l, sizeof(l));
		if ((int)strlen(l) > width)
			width = (int)strlen(l);
	}
	if (width > 40)
		width = 40;
	fputs("Pi 40-pin header, seen from above; pin 1 is the square pad, "
	      "at the end\naway from the USB ports. * = connect this pin.\n\n",
	      o);
	for (int pin = 1; pin <= UB_PI_PINS; pin += 2) {
		const struct ub_board_pin *a = pl->at[pin],
					  *z = pl->at[pin + 1];

		label(a, l, sizeof(l));
		label(z, r, sizeof(r));
		char row[2 * UB_TEXT_MAX + 200];
		size_t n;

		snprintf(row, sizeof(row),
			 "  %*.*s %s %6s %2d %c %c %-2d %-6s %s %s", width,
			 width, l, a ? arrow(a) : "   ",
			 ub_pi_pin_name(pin, ln, sizeof(ln)), pin,
			 a ? '*' : '.', z ? '*' : '.', pin + 1,
			 ub_pi_pin_name(pin + 1, rn, sizeof(rn)),
			 z ? arrow(z) : "", r);
		n = strlen(row);
		while (n && row[n - 1] == ' ')
			row[--n] = '\0';
		fprintf(o, "%s\n", row);
	}
}

static void list_connections(FILE *o, const struct plan *pl)
{
	char name[16], l[UB_TEXT_MAX + 80];

	fputs("\nConnections:\n", o);
	for (int pin = 1; pin <= UB_PI_PINS; pin++) {
		const struct ub_board_pin *p = pl->at[pin];

		if (!p)
			continue;
		label(p, l, sizeof(l));
		fprintf(o, "  Pi pin %-2d %-6s %s %s%s%s%s\n", pin,
			ub_pi_pin_name(pin, name, sizeof(name)), arrow(p), l,
			p->open_drain ? ", open-drain" : "",
			p->note[0] ? ": " : "", p->note);
	}
	for (unsigned i = 0; i < pl->n; i++) {
		const struct ub_board_pin *p = pl->list[i];

		if (!p->modem)
			continue;
		label(p, l, sizeof(l));
		fprintf(o, "  adapter %-12s --> %s%s%s\n",
			ub_modem_name(p->modem, p->modem_inverted), l,
			p->note[0] ? ": " : "", p->note);
	}
	for (unsigned i = 0; i < pl->n; i++)
		if (!pl->list[i]->pi && !pl->list[i]->modem)
			fprintf(o, "  (none)           %s: %s\n",
				pl->list[i]->pad,
				pl->list[i]->note[0] ? pl->list[i]->note
						     : "leave unconnected");
}

static const char *const uart_notes[] = {
	"Cross the data lines: the Pi's TXD goes to the board's RX, the "
	"Pi's RXD to the board's TX.",
	"Use the PL011 UART: the STM32 bootloader needs 8 data bits with even "
	"parity, and the mini-UART (/dev/ttyS0) has no parity. On a Pi 3 or 4 "
	"put 'enable_uart=1' and 'dtoverlay=disable-bt' in "
	"/boot/firmware/config.txt (/boot/config.txt before bookworm); on a "
	"Pi 5 put 'dtparam=uart0=on' (the port is /dev/ttyAMA0).",
	"Stop the Linux console on the port: remove 'console=serial0,115200' "
	"from /boot/firmware/cmdline.txt (or run raspi-config: Interface "
	"Options, Serial Port: login shell no, hardware yes), then reboot.",
};

static const char *const common_notes[] = {
	"Power both boards off while wiring, and connect GND first: every "
	"signal needs the common ground.",
	"3.3 V logic only: a Pi GPIO is not 5 V tolerant; never wire a 5 V "
	"signal to it.",
};

static const char *const nrst_note =
	"NRST is driven open-drain: unbrick only pulls it low and lets the "
	"board's pull-up raise it, so the reset button cannot fight the Pi.";

static void note(FILE *o, unsigned *n, const char *text)
{
	char lead[16];

	snprintf(lead, sizeof(lead), "  %2u.", ++*n);
	ub_wrap(o, lead, 6, text);
}

static void notes(FILE *o, const struct ub_board *b, int iface,
		  const struct plan *pl)
{
	const struct ub_board_iface *f = &b->iface[iface];
	bool nrst = false;
	unsigned n = 0;

	for (unsigned i = 0; i < pl->n; i++)
		nrst |= pl->list[i]->open_drain && pl->list[i]->pi;
	fputs("\nBefore you connect:\n", o);
	for (size_t i = 0; i < sizeof(common_notes) / sizeof(*common_notes);
	     i++)
		note(o, &n, common_notes[i]);
	if (nrst)
		note(o, &n, nrst_note);
	if (iface == UB_IFACE_UART)
		for (size_t i = 0; i < sizeof(uart_notes) / sizeof(*uart_notes);
		     i++)
			note(o, &n, uart_notes[i]);
	for (unsigned i = 0; i < b->nnotes; i++)
		note(o, &n, b->notes[i]);
	for (unsigned i = 0; i < f->nnotes; i++)
		note(o, &n, f->notes[i]);
}

static void show_json(FILE *o, const struct ub_board *b, int iface,
		      const struct plan *pl)
{
	char name[16];

	fputs("{\"board\":", o);
	ub_json_str(o, b->name);
	fprintf(o, ",\"interface\":\"%s\",\"connections\":[",
		ub_iface_name(iface));
	for (unsigned i = 0; i < pl->n; i++) {
		const struct ub_board_pin *p = pl->list[i];

		fprintf(o, "%s{\"role\":", i ? "," : "");
		ub_json_str(o, p->role);
		if (p->pi)
			fprintf(o, ",\"pi_pin\":%d,\"pi_name\":\"%s\"", p->pi,
				ub_pi_pin_name(p->pi, name, sizeof(name)));
		else
			fputs(",\"pi_pin\":null,\"pi_name\":null", o);
		if (p->modem)
			fprintf(o, ",\"adapter_line\":\"%s\"",
				ub_modem_name(p->modem, p->modem_inverted));
		fputs(",\"pad\":", o);
		ub_json_str(o, p->pad);
		fputs(",\"signal\":", o);
		ub_json_str(o, p->signal);
		fprintf(o, ",\"open_drain\":%s}",
			p->open_drain ? "true" : "false");
	}
	fputs("]}\n", o);
}

static int run(struct ub_ctx *ctx, int argc, char **argv)
{
	struct ub_board *b;
	struct plan pl;
	int iface, err;

	(void)argv;
	if (argc > 1)
		return ub_fail(UB_EUSAGE,
			       "wiring takes no arguments; name the "
			       "board with -B and the interface with -I");
	err = ub_ctx_board(ctx, true, &b);
	if (err)
		return err;
	iface = ub_ctx_iface(ctx, b);
	if (!b->iface[iface].available)
		return ub_fail(UB_EUNSUPPORTED,
			       "%s cannot be reached over %s%s%s", b->name,
			       ub_iface_name(iface),
			       b->iface[iface].reason[0] ? ": " : "",
			       b->iface[iface].reason);
	make_plan(b, iface, &pl);
	if (ctx->json) {
		show_json(ctx->out, b, iface, &pl);
		return 0;
	}
	fprintf(ctx->out, "Wiring %s to a Raspberry Pi for %s\n%s\n\n", b->name,
		iface == UB_IFACE_SWD ? "SWD" : "the UART bootloader", b->desc);
	draw_header(ctx->out, &pl);
	list_connections(ctx->out, &pl);
	notes(ctx->out, b, iface, &pl);
	return 0;
}

const struct ub_cmd ub_cmd_wiring = {
	.name = "wiring",
	.args = "-B BOARD [-I swd|uart]",
	.summary = "show which Pi pin goes to which board pad",
	.help = "Draws the Pi's 40-pin header with the pins to connect for "
		"the\n"
		"board and interface (default: the board's), lists each wire "
		"with\n"
		"the board pad and MCU signal it goes to, and the notes that\n"
		"matter: common ground, 3.3 V logic, NRST open-drain, and for "
		"the\n"
		"UART the PL011 versus mini-UART parity trap. --pin ROLE=PIN "
		"moves\n"
		"a line. --json lists the connections.\n",
	.run = run,
};
