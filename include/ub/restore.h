/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_RESTORE_H
#define UB_RESTORE_H

#include <stdbool.h>
#include <stdint.h>

#include "ub/board.h"
#include "ub/manifest.h"
#include "ub/session.h"

/*
 * unbrick restore: a board written back from a backup (everything in it)
 * or from a bundle (the profile's [recipe restore], its `write REGION`
 * steps taking the bundle's files). In order: check, backup, unprotect,
 * write, preserve, post steps, protect, verify, reset; then the verdict.
 *
 * Every step can be run again: writes leave alone what already holds the
 * right bytes, protection is removed or set only where it is not already
 * so, and what the preserve list keeps (a licence word, keys) is saved
 * before the first change in a pending directory under the backups, read
 * from there by a second run when the first was interrupted, and removed
 * when a restore completes.
 */
enum ub_rs_result {
	UB_RS_PENDING,	 /* not reached */
	UB_RS_SKIPPED,	 /* nothing to write (note says why) */
	UB_RS_UNCHANGED, /* already held the bytes */
	UB_RS_WRITTEN,
	UB_RS_VERIFIED,
	UB_RS_FAILED,
};

/* One range to write, with the bytes it must end up holding. */
struct ub_rs_piece {
	char name[48]; /* region, "0x08004C04", or a backup's file */
	char file[UB_MF_NAME_MAX]; /* where the bytes came from, or "" */
	enum ub_space space;
	uint32_t addr, len;
	uint8_t *data;	/* what the range holds at the end (later pieces
			  that overlap it already applied) */
	unsigned order; /* the step that writes it */
	bool preserved; /* from the preserve list */
	bool options;	/* a backup's option bytes (UB_RS_OPTIONS) */
	enum ub_rs_result result;
	bool changed;	     /* something was programmed or erased */
	uint64_t programmed; /* bytes programmed (0: nothing changed) */
	char note[160];
};

enum ub_rs_verb {
	UB_RS_CHECK,
	UB_RS_BACKUP,
	UB_RS_UNPROTECT, /* arg: wrp, rdp, spi */
	UB_RS_ERASE,	 /* arg: a region */
	UB_RS_WRITE,	 /* piece (or none: the bundle lacks the region) */
	UB_RS_SET,	 /* piece */
	UB_RS_PRESERVE,	 /* the pieces made from the preserve list */
	UB_RS_PROTECT,	 /* arg: a region */
	UB_RS_OPTIONS,	 /* a backup's write protection put back */
	UB_RS_VERIFY,
	UB_RS_SEQUENCE, /* arg: a sequence of the profile */
	UB_RS_RESET,	/* arg: run, bootloader, halt */
};

#define UB_RS_MAX_STEPS	 (UB_MAX_RSTEPS + UB_MF_MAX_FILES + 8)
#define UB_RS_MAX_PIECES (UB_MAX_RSTEPS + UB_MF_MAX_FILES + UB_MAX_PRESERVE)

struct ub_rs_step {
	enum ub_rs_verb verb;
	char arg[UB_NAME_MAX];
	int piece;     /* index in pieces, or -1 */
	unsigned line; /* in the profile, 0 when made up */
};

struct ub_restore {
	struct ub_ctx *ctx;
	struct ub_session *s; /* open before ub_restore_run */
	const struct ub_manifest *m;
	bool from_backup;
	const struct ub_recipe *recipe; /* a bundle's; NULL for a backup */
	struct ub_rs_step step[UB_RS_MAX_STEPS];
	unsigned nstep;
	struct ub_rs_piece piece[UB_RS_MAX_PIECES];
	unsigned npiece;
	bool has_option; /* a backup's option bytes */
	uint8_t option[16];
	bool captured;	       /* preserve list read (or taken from pending) */
	char pending[4096];    /* the preserve list's copy, or "" */
	char backup_dir[4096]; /* the backup this restore made */
	int failed_step;       /* -1, or the step that failed */
	bool reset_done;       /* a reset step ran: the chip runs */
	char warnings[4][300]; /* for the end of the verdict */
	unsigned nwarn;
};

/*
 * Read the manifest's files and make the plan, before the chip is
 * touched: b is the board the restore is for. Refuses a bundle region the
 * board does not have, a file larger than its region, a file whose checks
 * fail. r->ctx, r->m and the board must outlive r.
 */
int ub_restore_plan(struct ub_restore *r, struct ub_ctx *ctx,
		    const struct ub_manifest *m, const struct ub_board *b);

/* Run the plan on the open session r->s. */
int ub_restore_run(struct ub_restore *r);

/* Free the pieces' bytes. */
void ub_restore_free(struct ub_restore *r);

/* "written", "unchanged", "verified"... for the verdict. */
const char *ub_rs_result_name(enum ub_rs_result res);

/* restore_check.c: the chip and board against the manifest (step 1). */
int ub_restore_check(struct ub_restore *r);

/* A mismatch (what): refused, or with -y a warning kept for the verdict. */
int ub_restore_mismatch(struct ub_restore *r, const char *what);

/* restore_keep.c: the preserve list, read or taken from pending. */
int ub_restore_capture(struct ub_restore *r);
void ub_restore_done(struct ub_restore *r);

/* restore_spi.c: the companion flash's steps, and the session's flash
 * for 'unbrick backup'. */
int ub_session_nor(struct ub_session *s, struct ub_nor **nor);
int ub_restore_spi_write(struct ub_restore *r, struct ub_rs_piece *p);
int ub_restore_spi_verify(struct ub_restore *r, struct ub_rs_piece *p);
int ub_restore_spi_read(struct ub_restore *r, uint32_t addr, void *buf,
			uint32_t len);
int ub_restore_spi_erase(struct ub_restore *r, uint32_t addr, uint32_t len);
int ub_restore_spi_unprotect(struct ub_restore *r);
int ub_restore_spi_protect(struct ub_restore *r);
int ub_restore_spi_backup(struct ub_restore *r, struct ub_nor **nor);

#endif
