// SPDX-License-Identifier: GPL-2.0-or-later
/* What commands share: the board and interface the options chose. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ub/backup.h"
#include "ub/cli.h"
#include "ub/err.h"
#include "ub/log.h"
#include "ub/session.h"

int ub_ctx_board(struct ub_ctx *ctx, bool required, struct ub_board **out)
{
	int err = 0;

	*out = NULL;
	if (ctx->board) {
		*out = ctx->board;
		return 0;
	}
	if (!ctx->board_name)
		return required ? ub_fail(UB_EUSAGE,
					  "which board? Give -B NAME "
					  "(see 'unbrick boards') or -B "
					  "stm32f1 for any STM32F1")
				: 0;
	ctx->board = ub_board_load(ctx->board_name, &err);
	if (!ctx->board)
		return err;
	for (unsigned i = 0; i < ctx->npins; i++) {
		err = ub_board_set_pin(ctx->board, ctx->pins[i]);
		if (err)
			return err;
	}
	if (ctx->npins && (err = ub_board_check(ctx->board)))
		return ub_fail(UB_EUSAGE, "with --pin: %s", ub_errmsg(err));
	*out = ctx->board;
	return 0;
}

int ub_ctx_iface(struct ub_ctx *ctx, const struct ub_board *b)
{
	if (ctx->iface >= 0)
		return ctx->iface;
	if (b->default_iface >= 0)
		return b->default_iface;
	for (int i = 0; i < UB_IFACE_N; i++)
		if (b->iface[i].available)
			return i;
	return UB_IFACE_SWD;
}

int ub_cli_load_image(const struct ub_board *b, const char *arg,
		      struct ub_image *img, struct ub_where *w, bool *placed)
{
	char path[4096];
	int err;

	err = ub_placed_file(arg, b, path, sizeof(path), w, placed);
	if (err)
		return err;
	err = ub_image_load_file(img, path, UB_FMT_AUTO,
				 *placed ? w->addr : UB_IMAGE_DEFAULT_BASE);
	if (err)
		return err;
	if (*placed && img->format != UB_FMT_BIN)
		err = ub_fail(UB_EUSAGE,
			      "%s is %s and carries its own addresses; @WHERE "
			      "is for raw binaries",
			      path, ub_image_format_desc(img->format));
	else if (*placed && w->has_len && ub_image_size(img) > w->len)
		err = ub_fail(UB_ERANGE,
			      "%s is %" PRIu64 " bytes; it does not fit in %s "
			      "(%" PRIu32 " bytes)",
			      path, ub_image_size(img), arg + strlen(path) + 1,
			      w->len);
	if (err)
		ub_image_free(img);
	return err;
}

static int backup(struct ub_ctx *ctx, const struct ub_backup_src *src)
{
	int err;

	if (ctx->no_backup) {
		ub_log(UB_LOG_NORMAL, "no backup (--no-backup)");
		return 0;
	}
	if (ctx->backup_dir[0])
		return 0; /* one backup a run, before its first change */
	err = ub_backup_save(src, NULL, ctx->backup_dir,
			     sizeof(ctx->backup_dir));
	if (err) {
		ctx->backup_dir[0] = '\0';
		return ub_fail(err,
			       "%s; nothing was changed (--no-backup "
			       "skips the backup)",
			       ub_errmsg(err));
	}
	ub_log(UB_LOG_NORMAL, "backup saved in %s", ctx->backup_dir);
	return 0;
}

int ub_cli_backup(struct ub_ctx *ctx, struct ub_target *t,
		  const struct ub_board *b)
{
	struct ub_backup_src src = {.t = t, .b = b, .iface = -1};

	return backup(ctx, &src);
}

int ub_cli_backup_session(struct ub_ctx *ctx, struct ub_session *s)
{
	struct ub_backup_src src = {
		.t = s->t,
		.b = s->board,
		.iface = s->t ? s->iface : -1,
		.nor = s->nor_ok ? &s->nor : NULL,
	};

	return backup(ctx, &src);
}

int ub_cli_failed(struct ub_ctx *ctx, int err)
{
	if (!err || !ctx->backup_dir[0])
		return err;
	return ub_fail(err, "%s (the backup made before is in %s)",
		       ub_errmsg(err), ctx->backup_dir);
}

int ub_cli_confirm(struct ub_ctx *ctx, const char *what, const char *word)
{
	char answer[32] = "";

	fprintf(stderr, "%s Type '%s' to go on: ", what, word);
	if (ctx->yes) {
		fputs("(-y)\n", stderr);
		return 0;
	}
	if (!isatty(STDIN_FILENO))
		return ub_fail(UB_EUSAGE, "not on a terminal: give -y to "
					  "confirm");
	if (!fgets(answer, sizeof(answer), stdin) ||
	    strncmp(answer, word, strlen(word)))
		return ub_fail(UB_EINTR, "not confirmed: nothing was changed");
	return 0;
}
