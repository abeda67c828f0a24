// SPDX-License-Identifier: GPL-2.0-or-later
/* unbrick erase [WHERE[:LEN]]: erase pages, or the whole flash. */
#include <string.h>

#include "ub/cli.h"
#include "ub/err.h"
#include "ub/log.h"
#include "ub/ops.h"
#include "ub/session.h"

static int run(struct ub_ctx *ctx, int argc, char **argv)
{
	const char *where = argc > 1 ? argv[1] : "flash";
	struct ub_session s;
	struct ub_where w;
	int err;

	if (argc > 2)
		return ub_fail(UB_EUSAGE,
			       "erase takes at most one WHERE[:LEN]");
	err = ub_session_open(ctx, &s);
	if (err)
		return err;
	err = ub_where_parse(where, s.board, &w);
	if (!err && w.space != UB_SPACE_MCU)
		err = ub_fail(UB_EUNSUPPORTED, "erasing the companion flash "
					       "is not supported yet");
	if (!err && !w.has_len && !strcmp(w.region, "flash"))
		w.len = s.t->info.flash_size;
	else if (!err && !w.has_len)
		err = ub_fail(UB_EUSAGE, "how much? Give WHERE:LEN, such as "
					 "0x08004000:2K, or a region name");
	if (!err)
		err = ub_cli_backup(ctx, s.t, s.board);
	if (!err)
		err = ub_op_erase(s.t, w.addr, w.len);
	if (!err)
		ub_log(UB_LOG_NORMAL, "erased 0x%08X-0x%08X", w.addr,
		       w.addr + w.len - 1);
	ub_session_close(&s, !err);
	return ub_cli_failed(ctx, err);
}

const struct ub_cmd ub_cmd_erase = {
	.name = "erase",
	.args = "[WHERE[:LEN]]",
	.summary = "erase flash pages (the whole flash by default)",
	.help = "Erases every page WHERE touches, after a backup (--no-backup\n"
		"skips it). Examples:\n"
		"  unbrick -B spark-core erase app\n"
		"  unbrick -B stm32f1 erase\n",
	.run = run,
};
