/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_SESSION_H
#define UB_SESSION_H

#include <stdbool.h>

#include "ub/an3155.h"
#include "ub/cli.h"
#include "ub/serial.h"
#include "ub/target.h"
#include "ub/uart_lines.h"

/*
 * Everything between a command and the chip: the board's lines, the link,
 * the core and the family driver, opened together and closed together.
 */
struct ub_session {
	const struct ub_board *board;
	int iface;
	struct ub_gpio *gpio;
	struct ub_swd *swd;
	struct ub_dap dap;
	struct ub_cm cm;
	struct ub_target *t;
	bool under_reset; /* connected with NRST held low */
	/* -I uart (src/session_uart.c) */
	struct ub_serial *ser;
	struct ub_an3155 bl;
	struct ub_uart_lines lines;
};

/*
 * Open the link the options and the board choose, connect (under reset when
 * NRST is wired, as the seed boards' firmware turns SWD off), identify the
 * chip and check it against the profile's DEV_ID. On failure, a diagnosis
 * of the likely wiring mistake.
 */
int ub_session_open(struct ub_ctx *ctx, struct ub_session *s);

/* Leave the chip running its firmware (run) or halted, and release the
 * lines. */
void ub_session_close(struct ub_session *s, bool run);

/*
 * The UART branch (src/session_uart.c): the port (-p, else the board's,
 * else /dev/serial0) at -s, else the board's baud, else 115200; the enter
 * sequence; sync; probe. When nothing answers, the likely causes in order.
 */
int ub_session_open_uart(struct ub_ctx *ctx, struct ub_session *s);
void ub_session_close_uart(struct ub_session *s, bool run);

/*
 * Leave the chip just reset into its ROM bootloader, not yet synced, so that
 * another tool can take it at its own baud rate (reset bootloader). Needs
 * BOOT0 and NRST wired; else it stays synced at this session's rate.
 */
int ub_session_to_bootloader(struct ub_session *s);

#endif
