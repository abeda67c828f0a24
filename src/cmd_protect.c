// SPDX-License-Identifier: GPL-2.0-or-later
/* unbrick protect write WHERE | read: put protection back. */
#include <string.h>

#include "ub/cli.h"
#include "ub/err.h"
#include "ub/log.h"
#include "ub/session.h"

static int run(struct ub_ctx *ctx, int argc, char **argv)
{
	bool rd = argc == 2 && !strcmp(argv[1], "read");
	struct ub_session s;
	struct ub_where w = {0};
	int err;

	if (argc == 2 && !strcmp(argv[1], "spi"))
		return ub_cli_spi_protect(ctx, true);
	if (!rd && (argc != 3 || strcmp(argv[1], "write")))
		return ub_fail(UB_EUSAGE,
			       "protect takes 'write WHERE[:LEN]' "
			       "(a region such as bootloader) or 'read'");
	err = ub_session_open(ctx, &s);
	if (err)
		return err;
	if (!rd) {
		err = ub_where_parse(argv[2], s.board, &w);
		if (!err && (w.space != UB_SPACE_MCU || !w.has_len))
			err = ub_fail(UB_EUSAGE, "protect write takes a flash "
						 "region or WHERE:LEN");
	}
	if (!err && rd)
		err = ub_cli_confirm(ctx,
				     "With readout protection the flash can no "
				     "longer be read or debugged, and only a "
				     "full erase removes it.",
				     "protect");
	if (!err)
		err = s.t->ops->protect(s.t,
					rd ? UB_PROTECT_RDP : UB_PROTECT_WRP,
					w.addr, w.len);
	if (!err && rd)
		ub_log(UB_LOG_NORMAL, "readout protection is on");
	else if (!err)
		ub_log(UB_LOG_NORMAL,
		       "write-protected 0x%08X-0x%08X (whole "
		       "protection blocks)",
		       w.addr, w.addr + w.len - 1);
	ub_session_close(&s, !err);
	return err;
}

const struct ub_cmd ub_cmd_protect = {
	.name = "protect",
	.args = "write WHERE[:LEN] | read | spi",
	.summary = "write-protect flash pages, or turn readout protection on",
	.help = "write WHERE: protects the blocks of pages WHERE touches (4 "
		"KB\n"
		"blocks on the F1; on high density the last block runs to the\n"
		"end), as shipped Spark Cores protect their bootloader:\n"
		"  unbrick -B spark-core protect write bootloader\n"
		"read: readout protection (asks first; -y to skip). 'unbrick\n"
		"unprotect' undoes either.\n"
		"spi: sets the companion flash's block-protect bits.\n",
	.run = run,
};
