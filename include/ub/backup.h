/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_BACKUP_H
#define UB_BACKUP_H

#include <stddef.h>

#include "ub/board.h"
#include "ub/target.h"

/*
 * Save what the chip holds before anything destructive: the readable flash,
 * the option bytes and the chip's identity, in a new directory under
 * $UNBRICK_BACKUPS, else $XDG_STATE_HOME/unbrick/backups, else
 * ~/.local/state/unbrick/backups, named board-UID-time. Files are 0600
 * (they may hold keys). dir receives the directory's path.
 */
int ub_backup_chip(struct ub_target *t, const struct ub_board *b, char *dir,
		   size_t n);

#endif
