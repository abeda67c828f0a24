/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_SESSION_H
#define UB_SESSION_H

#include <stdbool.h>

#include "ub/cli.h"
#include "ub/target.h"

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

#endif
