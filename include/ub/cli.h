/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_CLI_H
#define UB_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ub/addr.h"
#include "ub/board.h"
#include "ub/image.h"
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
	int gpio; /* --gpio: enum ub_gpio_backend, or -1 (UNBRICK_GPIO, auto) */
	const char
		*spi_bus; /* --spi: mcu, clip, spidev[:PATH]; NULL: board's */
	uint32_t spi_hz;  /* --spi-speed, Hz, 0 = the bus's default */
	bool yes, no_backup, json;
	int verbosity;		/* 0 quiet, 1 normal, 2 -v, 3 -vv */
	struct ub_board *board; /* loaded on demand by ub_ctx_board() */
	struct ub_progress progress;
	FILE *out;	       /* stdout */
	char backup_dir[4096]; /* the backup this run made, or "" */
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

/*
 * Load FILE[@WHERE] (a raw binary placed at WHERE, 0x08000000 by default;
 * other formats carry their addresses). Refuses @WHERE on a format with its
 * own addresses and a file longer than WHERE:LEN or the named region.
 */
int ub_cli_load_image(const struct ub_board *b, const char *arg,
		      struct ub_image *img, struct ub_where *w, bool *placed);

/*
 * The backup before a destructive step, unless --no-backup; says where and
 * keeps the directory in ctx->backup_dir, so that a later failure can name
 * it (ub_cli_failed).
 */
struct ub_target;
int ub_cli_backup(struct ub_ctx *ctx, struct ub_target *t,
		  const struct ub_board *b);

/*
 * Ask before something that cannot be undone: what is said, and the word
 * to type. -y answers; without a terminal and without -y it refuses.
 */
int ub_cli_confirm(struct ub_ctx *ctx, const char *what, const char *word);

/*
 * The session a command needs: spaces says what it touches (the MCU's
 * memory, the companion flash, or both). Only the companion flash, on a
 * bus that does not go through the MCU (clip, spidev): the MCU is held in
 * reset and not connected. With UB_SPACES_SPI the flash is probed and *nor
 * set.
 */
#define UB_SPACES_MCU 1u
#define UB_SPACES_SPI 2u
struct ub_session;
struct ub_nor;
int ub_cli_open(struct ub_ctx *ctx, struct ub_session *s, unsigned spaces,
		struct ub_nor **nor);

/* The backup before a destructive step of this session (the MCU's memories
 * and, where the session reaches it, the companion flash). */
int ub_cli_backup_session(struct ub_ctx *ctx, struct ub_session *s);

/* A raw image (one segment at its spi: address) into the companion flash:
 * backup, write (only the sectors that change), verify. arg names it in
 * messages. */
int ub_cli_spi_write(struct ub_ctx *ctx, struct ub_session *s,
		     const struct ub_image *img, const char *arg);
int ub_cli_spi_verify(struct ub_session *s, const struct ub_image *img,
		      const char *arg);

/* unprotect spi / protect spi: the companion flash's block protection. */
int ub_cli_spi_protect(struct ub_ctx *ctx, bool on);

/* err, with the backup's directory added to its message when one exists. */
int ub_cli_failed(struct ub_ctx *ctx, int err);

/* The interface to use: -I, else the board's default, else its first. */
int ub_ctx_iface(struct ub_ctx *ctx, const struct ub_board *b);

extern const struct ub_cmd ub_cmd_boards;
extern const struct ub_cmd ub_cmd_wiring;
extern const struct ub_cmd ub_cmd_image;
extern const struct ub_cmd ub_cmd_probe;
extern const struct ub_cmd ub_cmd_read;
extern const struct ub_cmd ub_cmd_write;
extern const struct ub_cmd ub_cmd_verify;
extern const struct ub_cmd ub_cmd_erase;
extern const struct ub_cmd ub_cmd_unprotect;
extern const struct ub_cmd ub_cmd_protect;
extern const struct ub_cmd ub_cmd_reset;
extern const struct ub_cmd ub_cmd_doctor;
extern const struct ub_cmd ub_cmd_backup;
extern const struct ub_cmd ub_cmd_restore;

#endif
