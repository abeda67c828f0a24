// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unbrick doctor over the UART bootloader: BOOT0 and NRST (free? do they
 * move?), the port (there? the mini-UART? held by another program?), then
 * the chip reset into its ROM bootloader, listened to, and sent 0x7F.
 *
 * What a Pi can tell apart: bytes that come after a reset with BOOT0 high
 * and before any 0x7F are the firmware's (the ROM bootloader says nothing
 * until it is spoken to), so BOOT0 did not reach the chip, and the board's
 * TX does reach the Pi. Silence and no answer, with NRST pulled up by a
 * powered board, is most likely TX and RX not crossed; a silent firmware
 * with BOOT0 not connected looks the same, and so does a missing ground.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "doctor.h"
#include "ub/an3155.h"
#include "ub/err.h"
#include "ub/serial.h"
#include "ub/session.h"
#include "ub/uart_lines.h"

#define DEFAULT_PORT "/dev/serial0" /* as src/session_uart.c */
#define DEFAULT_BAUD 115200
#define LISTEN_MS    300 /* for a firmware's first words after a reset */

static bool file_has(const char *path, const char *what)
{
	char buf[256] = "";
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, what) != NULL;
}

/*
 * The Raspberry Pi's mini-UART, which has no parity: the tty's device is
 * bound to the bcm2835-aux-uart driver (Linux 8250_bcm2835aux.c), or it is
 * ttyS0 on a Pi. why says which.
 */
static bool mini_uart(const char *dev, char *why, size_t n)
{
	const char *name = strncmp(dev, "/dev/", 5) ? dev : dev + 5;
	char path[PATH_MAX + 32], link[PATH_MAX];
	ssize_t len;

	snprintf(path, sizeof(path), "/sys/class/tty/%s/device/driver", name);
	len = readlink(path, link, sizeof(link) - 1);
	if (len > 0) {
		link[len] = '\0';
		if (strstr(link, "bcm2835-aux")) {
			snprintf(why, n, "its driver is %.64s",
				 strrchr(link, '/') ? strrchr(link, '/') + 1
						    : link);
			return true;
		}
	}
	if (!strcmp(name, "ttyS0") &&
	    file_has("/proc/device-tree/model", "Raspberry Pi")) {
		snprintf(why, n, "ttyS0 on a Raspberry Pi");
		return true;
	}
	return false;
}

/* BOOT0 and NRST on the Pi's GPIO: free, and moving. */
static bool gpio_checks(struct ub_dr *d)
{
	struct ub_gpio *g;
	bool any = false;
	int err;

	for (unsigned i = 0; i < d->b->npin; i++) {
		const struct ub_board_pin *p = &d->b->pin[i];

		any |= p->kind == UB_PIN_LINE && p->pi && !p->modem &&
		       (p->ifaces & (1u << UB_IFACE_UART));
	}
	d->nrst_high = true;
	if (!any)
		return true;
	g = ub_gpio_open_board(d->b, UB_IFACE_UART, &err);
	if (!g) {
		ub_dr_problem(d, err, NULL, "%s", ub_errmsg(err));
		return false;
	}
	ub_dr_ok(d,
		 "the lines are free and this user may drive them "
		 "(%s backend)",
		 g->backend ? g->backend : "gpio");
	any = !ub_dr_lines(d, g);
	if (any && (g->have & UB_BIT(UB_LINE_NRST)) && !d->nrst_high) {
		char nrst[UB_TEXT_MAX + 64], gnd[UB_TEXT_MAX + 64],
			fix[UB_DR_TEXT];

		ub_dr_wire(d->b, "gnd", gnd, sizeof(gnd));
		snprintf(fix, sizeof(fix),
			 "power the board and share its ground with the "
			 "Pi's (GND: %s); if it is on, find what holds NRST "
			 "low (a reset button, another programmer, a short "
			 "to GND) or where the wire goes (%s)",
			 gnd, ub_dr_wire(d->b, "nrst", nrst, sizeof(nrst)));
		ub_dr_problem(d, UB_ENOTARGET, fix,
			      "NRST reads low when let go: the board seems "
			      "unpowered (its pull-up has no power), or NRST "
			      "is held low, or the wire does not reach it");
		any = false;
	}
	ub_gpio_close(g);
	return any;
}

/* The port -I uart would use: there, and not the mini-UART. */
static bool port_checks(struct ub_dr *d, const char *port, char *dev, size_t n)
{
	char why[160];
	int err = ub_serial_resolve(port, dev, n);

	if (err) {
		ub_dr_problem(d, err, NULL, "%s", ub_errmsg(err));
		return false;
	}
	if (mini_uart(dev, why, sizeof(why))) {
		ub_dr_problem(d, UB_EUNSUPPORTED, ub_serial_pl011_hint,
			      "%s%s%s is the Raspberry Pi's mini-UART (%s): it "
			      "has no parity, and the ROM bootloader needs 8 "
			      "data bits with even parity",
			      port, strcmp(port, dev) ? " -> " : "",
			      strcmp(port, dev) ? dev : "", why);
		return false;
	}
	return true;
}

/* What came before any 0x7F, for the message: "68 65 6C 6C 6F...". */
static void hex(const uint8_t *b, int n, char *out, size_t len)
{
	size_t at = 0;

	out[0] = '\0';
	for (int i = 0; i < n && i < 8 && at < len; i++)
		at += (size_t)snprintf(out + at, len - at, "%s%02X",
				       i ? " " : "", b[i]);
	if (n > 8 && at < len)
		snprintf(out + at, len - at, "...");
}

/* Nothing answered 0x7F: what the silence or the chatter says. */
static void no_answer(struct ub_dr *d, const struct ub_serial *ser,
		      const uint8_t *heard, int n)
{
	char boot0[UB_TEXT_MAX + 64], tx[UB_TEXT_MAX + 64],
		rx[UB_TEXT_MAX + 64], gnd[UB_TEXT_MAX + 64], fix[UB_DR_TEXT],
		bytes[40];

	ub_dr_wire(d->b, "boot0", boot0, sizeof(boot0));
	if (n > 0) {
		hex(heard, n, bytes, sizeof(bytes));
		snprintf(fix, sizeof(fix),
			 "check the BOOT0 wire (%s) and that it reaches the "
			 "chip's BOOT0 pin (on a board with a BOOT0 jumper, "
			 "take the jumper off so that the Pi drives the pin)",
			 boot0);
		ub_dr_problem(
			d, UB_ENOTARGET, fix,
			"BOOT0 has no effect: after BOOT0 high and a "
			"reset the chip sent %d byte%s of its own (%s) "
			"and does not answer 0x7F: its firmware runs, not "
			"the ROM bootloader (its TX does reach the Pi)",
			n, n == 1 ? "" : "s", bytes);
		return;
	}
	ub_dr_wire(d->b, "txd", tx, sizeof(tx));
	ub_dr_wire(d->b, "rxd", rx, sizeof(rx));
	ub_dr_wire(d->b, "gnd", gnd, sizeof(gnd));
	snprintf(fix, sizeof(fix),
		 "cross them: the Pi's TXD goes to the board's RX, its RXD "
		 "to the board's TX (TXD: %s; RXD: %s). If they are, check "
		 "the common ground (%s), the port (-p), and that BOOT0 "
		 "reaches the chip (%s): a firmware that says nothing looks "
		 "the same",
		 tx, rx, gnd, boot0);
	ub_dr_problem(d, UB_ENOTARGET, fix,
		      "nothing answers 0x7F on %s and the chip sends nothing, "
		      "though the board is powered: TX and RX are likely not "
		      "crossed",
		      ser->name);
}

/* Reset into the ROM, listen, sync. True when the bootloader answers. */
static bool talk(struct ub_dr *d, const char *port, uint32_t baud)
{
	struct ub_uart_lines l;
	struct ub_an3155 bl;
	struct ub_serial *ser;
	uint8_t heard[64];
	int err, n = 0;

	ser = ub_serial_open(port, baud, &err);
	if (!ser) {
		ub_dr_problem(d, err, NULL, "%s", ub_errmsg(err));
		return false;
	}
	ub_dr_ok(d, "the port %s opens, 8E1 at %u baud, and nobody else has it",
		 ser->name, baud);
	err = ub_uart_lines_open(&l, d->b, ser, true, NULL);
	if (!err &&
	    (!ub_uart_lines_can(&l, "boot0") || !ub_uart_lines_can(&l, "nrst")))
		ub_dr_skip(d,
			   "BOOT0 and NRST by hand: %s is not wired, so set "
			   "BOOT0 high and reset the board before this "
			   "runs",
			   ub_uart_lines_can(&l, "boot0") ? "NRST" : "BOOT0");
	if (!err)
		err = ub_uart_lines_enter(&l);
	if (!err)
		n = ub_serial_read(ser, heard, sizeof(heard), LISTEN_MS);
	ub_an3155_init(&bl, ser);
	if (!err && n >= 0)
		err = ub_an3155_sync(&bl);
	if (!err && n >= 0)
		ub_dr_ok(d, "the ROM bootloader answers 0x7F: BOOT0 and NRST "
			    "reach the chip, TX and RX are crossed");
	else if (err == UB_ENOTARGET)
		no_answer(d, ser, heard, n);
	else
		ub_dr_problem(d, err ? err : n, NULL, "%s",
			      ub_errmsg(err ? err : n));
	ub_uart_lines_close(&l);
	ub_serial_close(ser);
	return !err && n >= 0;
}

void ub_dr_uart(struct ub_dr *d)
{
	const struct ub_board_iface *f = &d->b->iface[UB_IFACE_UART];
	const char *port = d->ctx->port ? d->ctx->port
			   : f->port[0] ? f->port
					: DEFAULT_PORT;
	uint32_t baud = d->ctx->speed ? d->ctx->speed
			: f->baud     ? f->baud
				      : DEFAULT_BAUD;
	struct ub_session s;
	char dev[PATH_MAX];
	bool lines = gpio_checks(d),
	     ports = port_checks(d, port, dev, sizeof(dev));
	int err;

	if (!lines || !ports || !talk(d, port, baud)) {
		ub_dr_skip(d, "the chip%s: %s",
			   d->b->spi.present ? " and the companion flash" : "",
			   lines && ports ? "its bootloader does not answer"
					  : "fix the above first");
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
	if (d->b->spi.present)
		ub_dr_spi(d, &s);
	ub_session_close(&s, true);
}
