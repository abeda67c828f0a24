/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_UART_LINES_H
#define UB_UART_LINES_H

#include <stdbool.h>

#include "ub/board.h"
#include "ub/gpio.h"
#include "ub/serial.h"

/*
 * BOOT0, NRST and the board's other lines as the UART bootloader needs
 * them: each role on a Pi GPIO (the board profile's [pin ROLE] pi = GPIOn,
 * opened through ub_gpio_open_board) or on the serial adapter's RTS or DTR
 * (pi = rts, pi = !dtr). The profile's [sequence NAME] steps drive them;
 * what no wire reaches, the person at the bench is asked to do.
 *
 * On an adapter line, a role's level is the pin's: wired straight, level 1
 * is the line negated (a TTL adapter's RTS# and DTR# pins are high then),
 * level 0 asserted; through an inverter ('!rts') the other way round.
 * "release" negates the line.
 */
struct ub_uart_lines {
	const struct ub_board *board;
	struct ub_gpio *gpio; /* NULL when no GPIO line is wired for uart */
	struct ub_serial *ser;
	bool yes; /* -y: do not wait for Enter */
	/* Tell the person at the bench what to do; wait for Enter unless
	 * yes. Set by the caller; NULL: just go on. */
	int (*ask)(const char *text, bool yes);
};

/* Open the GPIO lines the board wires for the UART (none is fine). */
int ub_uart_lines_open(struct ub_uart_lines *l, const struct ub_board *b,
		       struct ub_serial *ser, bool yes,
		       int (*ask)(const char *text, bool yes));

/* Can a role ("boot0", "nrst") be driven, by GPIO or by the adapter? */
bool ub_uart_lines_can(const struct ub_uart_lines *l, const char *role);

/* Drive a role: 0, 1, or -1 (release). */
int ub_uart_lines_set(struct ub_uart_lines *l, const char *role, int level);

/*
 * Into the ROM bootloader: the interface's enter sequence (or BOOT0 high
 * and a pulse on NRST when the profile names none); what the wires cannot
 * do (BOOT0 or reset by hand) is asked of the person at the bench.
 */
int ub_uart_lines_enter(struct ub_uart_lines *l);

/*
 * Out of it, into the application: the leave sequence (or BOOT0 low and a
 * pulse on NRST). UB_EUNSUPPORTED, with no message and nothing done, when
 * BOOT0 or NRST is not wired.
 */
int ub_uart_lines_leave(struct ub_uart_lines *l);

/* Release the GPIO lines (the adapter's lines stay as they are). */
void ub_uart_lines_close(struct ub_uart_lines *l);

#endif
