/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_BACKUP_H
#define UB_BACKUP_H

#include <stddef.h>

#include "ub/board.h"
#include "ub/target.h"

struct ub_nor;

/*
 * Save what the board holds before anything destructive, with a manifest
 * (ub/manifest.h) that 'unbrick restore' reads:
 *   flash.bin   the internal flash (not when readout protection is on)
 *   option.bin  the 16 option bytes as stored
 *   uid.bin     the 12-byte unique ID (when it can be read)
 *   spi.bin     the whole companion flash, when one is given
 * and the chip's name, DEV_ID, flash size and UID in the manifest, written
 * last. Files are 0600 and the directory 0700: they may hold private keys.
 */
struct ub_backup_src {
	struct ub_target *t;
	const struct ub_board *b;
	int iface;	    /* enum ub_iface, or -1 when not known */
	struct ub_nor *nor; /* the companion flash, or NULL: not saved */
};

/*
 * Where backups go: $UNBRICK_BACKUPS, else $XDG_STATE_HOME/unbrick/backups,
 * else ~/.local/state/unbrick/backups; made (0700) when missing.
 */
int ub_backup_base(char *buf, size_t n);

/*
 * Save into dir (made when missing; it must be empty), or, when dir is
 * NULL or "", into a new directory under ub_backup_base() named
 * BOARD-UID-TIME. out receives the directory's path.
 */
int ub_backup_save(const struct ub_backup_src *src, const char *dir, char *out,
		   size_t n);

/* The chip alone (no companion flash), into a new directory. */
int ub_backup_chip(struct ub_target *t, const struct ub_board *b, char *dir,
		   size_t n);

#endif
