// SPDX-License-Identifier: GPL-2.0-or-later
/* What commands share: the board and interface the options chose. */
#include <string.h>

#include "ub/cli.h"
#include "ub/err.h"

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
