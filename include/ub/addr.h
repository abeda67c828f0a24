/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_ADDR_H
#define UB_ADDR_H

#include <stdbool.h>
#include <stdint.h>

#include "ub/board.h"

/*
 * Where something is, as the command line says it:
 *   0x08005000        an MCU address
 *   spi:0x1000        an address in the companion flash
 *   app, server-key   a region of the board profile
 *   flash, option     the whole internal flash, the option bytes
 *   spi               the whole companion flash
 * each optionally followed by :LEN (0x400, 2K). FILE@WHERE places a file.
 */
struct ub_where {
	enum ub_space space;
	uint32_t addr;
	uint32_t len;
	bool has_len; /* a length is known (given, or the region's) */
	char region[UB_NAME_MAX]; /* the name used, or "" for a number */
};

/* b may be NULL (then region names are refused, flash means the F1's). */
int ub_where_parse(const char *s, const struct ub_board *b, struct ub_where *w);

/*
 * Split FILE@WHERE. placed is false when there is no @WHERE (or what follows
 * the last @ is not a place, so the @ belongs to the file name); path gets
 * the file name (at most n bytes).
 */
int ub_placed_file(const char *arg, const struct ub_board *b, char *path,
		   unsigned n, struct ub_where *w, bool *placed);

#endif
