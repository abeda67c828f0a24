/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_CLI_H
#define UB_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ub/board.h"
#include "ub/out.h"
#include "ub/progress.h"

/* What the global options said, shared by every command. */
struct ub_ctx {
	const char *board_name;	       /* -B */
	int iface;		       /* -I, or -1 */
	const char *port;	       /* -p */
	uint32_t speed;		       /* -s, Hz, 0 = profile default */
	const char *pins[UB_MAX_PINS]; /* --pin ROLE=PIN, in order */
	unsigned npins;
	bool yes, no_backup, json;
	int verbosity;		/* 0 quiet, 1 normal, 2 -v, 3 -vv */
	struct ub_board *board; /* loaded on demand by ub_ctx_board() */
	struct ub_progress progress;
	FILE *out; /* stdout */
};

/*
 * A command: src/cmd_<name>.c defines one. Only commands that work are in
 * the table in main.c, so --help advertises nothing that does not.
 */
struct ub_cmd {
	const char *name;
	const char *args;    /* synopsis after the name: "[NAME]" */
	const char *summary; /* one line for the command list */
	const char *help;    /* the rest of `unbrick CMD --help` */
	int (*run)(struct ub_ctx *ctx, int argc, char **argv);
};

/*
 * The board named with -B, loaded once, with --pin applied. When none was
 * named: NULL and UB_EUSAGE if required, NULL and 0 otherwise.
 */
int ub_ctx_board(struct ub_ctx *ctx, bool required, struct ub_board **out);

/* The interface to use: -I, else the board's default, else its first. */
int ub_ctx_iface(struct ub_ctx *ctx, const struct ub_board *b);

extern const struct ub_cmd ub_cmd_boards;
extern const struct ub_cmd ub_cmd_wiring;
extern const struct ub_cmd ub_cmd_image;

#endif
