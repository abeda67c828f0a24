// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A session over the UART bootloader: the serial port, BOOT0 and NRST by
 * the board's sequences (or by hand), sync, and the F1 driver; and what to
 * say when nothing answers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ub/err.h"
#include "ub/log.h"
#include "ub/pi.h"
#include "ub/session.h"
#include "ub/stm32f1_uart.h"

#define DEFAULT_PORT "/dev/serial0"
#define DEFAULT_BAUD 115200
#define MIN_BAUD     1200 /* what the F1's autobaud follows (AN2606) */
#define MAX_BAUD     115200

/*
 * The UART loader (ub/ldr_uart.h), as UNBRICK_UART_LOADER says: unset or
 * "on", used at up to 2 Mbaud; "rom", used at the ROM's rate; a number,
 * its fastest rate; "0" or "off", not used (the ROM does everything).
 */
static void loader_policy(struct ub_target *t, uint32_t rom_baud)
{
	const char *v = getenv("UNBRICK_UART_LOADER");
	char *end;
	unsigned long n;

	if (!v || !*v || !strcmp(v, "on")) {
		ub_stm32f1_uart_loader(t, true, 0);
		return;
	}
	if (!strcmp(v, "rom")) {
		ub_stm32f1_uart_loader(t, true, rom_baud);
		return;
	}
	n = strtoul(v, &end, 10);
	if (!strcmp(v, "off") || (!*end && n == 0)) {
		ub_info("UNBRICK_UART_LOADER=%s: the ROM bootloader does all",
			v);
		return;
	}
	if (*end)
		ub_warn("UNBRICK_UART_LOADER=%s: not on, off, rom or a baud "
			"rate; taken as on",
			v);
	ub_stm32f1_uart_loader(t, true, *end ? 0 : (uint32_t)n);
}

/* The person at the bench: what to do, then Enter (or -y: go on). */
static int ask(const char *text, bool yes)
{
	char line[64];

	fprintf(stderr, "%s", text);
	if (yes) {
		fputs(" (-y: going on)\n", stderr);
		return 0;
	}
	fputs(" Press Enter when done: ", stderr);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		fputc('\n', stderr);
	if (ub_stop_requested())
		return ub_fail(UB_EINTR, "interrupted: nothing was changed");
	return 0;
}

/* "Pi GPIO23 to CN7 pin 2", "the adapter's RTS to BOOT0", "by hand". */
static void wire_of(const struct ub_session *s, const char *role, char *buf,
		    size_t n)
{
	const struct ub_board_pin *p = ub_board_pin(s->board, role);
	char name[16];

	if (p && p->modem)
		snprintf(buf, n, "the adapter's %s to %s",
			 ub_modem_name(p->modem, p->modem_inverted),
			 p->pad[0] ? p->pad : role);
	else if (p && p->pi && ub_uart_lines_can(&s->lines, role))
		snprintf(buf, n, "Pi %s to %s",
			 ub_pi_pin_name(p->pi, name, sizeof(name)),
			 p->pad[0] ? p->pad : role);
	else
		snprintf(buf, n, "set by hand");
}

static void uart_pin(const struct ub_session *s, const char *role,
		     const char *dflt, char *buf, size_t n)
{
	const struct ub_board_pin *p = ub_board_pin(s->board, role);

	if (p && p->pi && p->pad[0])
		snprintf(buf, n, "pin %d to %s", p->pi, p->pad);
	else
		snprintf(buf, n, "%s", dflt);
}

/* Nothing answers 0x7F: the likely causes, most likely first. */
static int no_answer(const struct ub_session *s)
{
	char boot0[UB_TEXT_MAX + 64], tx[UB_TEXT_MAX + 16],
		rx[UB_TEXT_MAX + 16];

	wire_of(s, "boot0", boot0, sizeof(boot0));
	uart_pin(s, "txd", "pin 8 to RX", tx, sizeof(tx));
	uart_pin(s, "rxd", "pin 10 to TX", rx, sizeof(rx));
	return ub_fail(UB_ENOTARGET,
		       "nothing answers 0x7F on %s at %u baud. In order: 1. "
		       "BOOT0 not high at reset (%s); 2. TX/RX not crossed "
		       "(Pi TXD %s, RXD %s); 3. the Pi's mini-UART (use "
		       "the PL011, see 'unbrick wiring'); 4. the wrong port "
		       "(-p); 5. the board unpowered or without a common GND",
		       s->ser->name, s->ser->baud, boot0, tx, rx);
}

int ub_session_open_uart(struct ub_ctx *ctx, struct ub_session *s)
{
	const struct ub_board_iface *f = &s->board->iface[UB_IFACE_UART];
	const char *port = ctx->port	? ctx->port
			   : f->port[0] ? f->port
					: DEFAULT_PORT;
	uint32_t baud = ctx->speed ? ctx->speed
			: f->baud  ? f->baud
				   : DEFAULT_BAUD;
	int err;

	if (baud < MIN_BAUD || baud > MAX_BAUD)
		return ub_fail(UB_EUSAGE,
			       "-s %u: the ROM bootloader takes %u to %u baud "
			       "(AN2606); 115200 is the usual rate",
			       baud, MIN_BAUD, MAX_BAUD);
	s->ser = ub_serial_open(port, baud, &err);
	if (!s->ser)
		return err;
	err = ub_uart_lines_open(&s->lines, s->board, s->ser, ctx->yes, ask);
	if (!err)
		err = ub_uart_lines_enter(&s->lines);
	ub_an3155_init(&s->bl, s->ser);
	if (!err)
		err = ub_an3155_sync(&s->bl);
	if (err == UB_ENOTARGET)
		return no_answer(s);
	if (!err)
		s->t = ub_stm32f1_uart(&s->bl, &s->lines, &err);
	if (!err)
		loader_policy(s->t, baud);
	if (!err) {
		char cmds[3 * sizeof(s->bl.cmds) + 1] = "";

		for (unsigned i = 0; i < s->bl.ncmds; i++)
			snprintf(cmds + 3 * i, 4, " %02X", s->bl.cmds[i]);
		ub_info("bootloader v%u.%u on %s at %u baud, commands%s",
			s->bl.version >> 4, s->bl.version & 15, s->ser->name,
			baud, cmds);
	}
	return err;
}

int ub_session_to_bootloader(struct ub_session *s)
{
	if (!ub_uart_lines_can(&s->lines, "boot0") ||
	    !ub_uart_lines_can(&s->lines, "nrst")) {
		ub_warn("BOOT0 or NRST is not wired, so the chip cannot be "
			"reset: its bootloader stays synced at %u baud (other "
			"tools must use that rate; their 0x7F gets NACK)",
			s->ser->baud);
		return 0;
	}
	s->bl.synced = false;
	return ub_uart_lines_enter(&s->lines);
}

void ub_session_close_uart(struct ub_session *s, bool run)
{
	int err;

	if (s->t && run && (err = s->t->ops->reset(s->t, UB_RESET_RUN)))
		ub_warn("the application was not started: %s", ub_errmsg(err));
	if (s->t)
		s->t->ops->close(s->t);
	s->t = NULL;
	ub_uart_lines_close(&s->lines);
	ub_serial_close(s->ser);
	s->ser = NULL;
}
