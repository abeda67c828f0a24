/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_SESSION_H
#define UB_SESSION_H

#include <stdbool.h>

#include "ub/an3155.h"
#include "ub/cli.h"
#include "ub/serial.h"
#include "ub/spinor.h"
#include "ub/target.h"
#include "ub/uart_lines.h"

/*
 * Everything between a command and the chip: the board's lines, the link,
 * the core and the family driver, opened together and closed together.
 */
struct ub_session {
	struct ub_ctx *ctx;
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
	/* the companion SPI flash, opened on demand (ub_session_spi) */
	struct ub_spi_bus *spi;
	struct ub_nor nor;
	bool nor_ok;	/* probed */
	bool nrst_held; /* NRST low while the SPI bus is used without the MCU */
};

/*
 * Open the link the options and the board choose, connect (under reset when
 * NRST is wired, as the seed boards' firmware turns SWD off), identify the
 * chip and check it against the profile's DEV_ID. On failure, a diagnosis
 * of the likely wiring mistake.
 */
int ub_session_open(struct ub_ctx *ctx, struct ub_session *s);

/*
 * Does an SWD target answer on g with SWDIO and SWCLK exchanged? Then the
 * two wires are swapped on the board (for the diagnosis of a failed
 * connect; SWDIO is left an output).
 */
bool ub_swd_answers_swapped(struct ub_gpio *g, uint32_t hz);

/* Leave the chip running its firmware (run) or halted, and release the
 * lines. */
void ub_session_close(struct ub_session *s, bool run);

/*
 * The board's companion SPI flash, probed: through the MCU on this
 * session's link (the profile's [spi] bus = mcu), on the Pi's GPIO with
 * the MCU held in reset (clip), or on spidev; --spi BUS overrides the
 * profile. Opened once, closed with the session.
 */
int ub_session_spi(struct ub_session *s, struct ub_nor **nor);

/* Which bus the companion flash is on (--spi, else the profile's): one of
 * these, or a negative error (the board has none). */
enum { UB_SPI_BUS_MCU, UB_SPI_BUS_CLIP, UB_SPI_BUS_SPIDEV };
int ub_session_spi_bus(const struct ub_ctx *ctx, const struct ub_board *b);

/*
 * A session with the companion flash only, for a bus that does not go
 * through the MCU (clip, spidev): the board's lines, NRST held low so that
 * the MCU keeps off the flash's lines, the bus; ub_session_spi probes.
 * Closed with ub_session_close.
 */
int ub_session_open_spi(struct ub_ctx *ctx, struct ub_session *s);

/* Release the companion flash's bus (ub_session_close does it too). */
void ub_session_close_spi(struct ub_session *s);

/* Run the board's [sequence NAME] on the session's lines (GPIO, or the
 * UART's RTS/DTR). */
int ub_session_sequence(struct ub_session *s, const char *name);

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
