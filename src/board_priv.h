/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared between the board profile files only. */
#ifndef UB_BOARD_PRIV_H
#define UB_BOARD_PRIV_H

#include "ub/board.h"

/* Parse text into b (which may already hold a base profile). */
int ub_board_parse_into(struct ub_board *b, const char *text, const char *path,
			int depth);

/* Load the base profile `name` into b; line is where 'base' was said. */
int ub_board_load_base(struct ub_board *b, const char *name, int depth,
		       unsigned line);

/* "0x08000000" or "spi:0x1000": returns the space, or -1. */
int ub_parse_location(const char *s, uint32_t *addr);

#endif
