// SPDX-License-Identifier: GPL-2.0-or-later
/* unbrick unprotect [write|read]: remove write or readout protection. */
#include <string.h>

#include "ub/cli.h"
#include "ub/err.h"
#include "ub/log.h"
#include "ub/session.h"

static int run(struct ub_ctx *ctx, int argc, char **argv)
{
	bool rd = argc > 1 && !strcmp(argv[1], "read");
	struct ub_session s;
	int err;

	if (argc == 2 && !strcmp(argv[1], "spi"))
		return ub_cli_spi_protect(ctx, false);
	if (argc > 2 || (argc == 2 && !rd && strcmp(argv[1], "write")))
		return ub_fail(UB_EUSAGE, "unprotect takes 'write' (the "
					  "default), 'read' or 'spi'");
	err = ub_session_open(ctx, &s);
	if (err)
		return err;
	if (!rd && s.t->info.rdp)
		err = ub_fail(UB_EPROTECTED,
			      "readout protection is on too: "
			      "'unbrick unprotect read' removes both, and "
			      "erases the flash");
	if (!err && rd && !s.t->info.rdp)
		ub_log(UB_LOG_NORMAL, "readout protection is not on");
	else if (!err && !rd && s.t->info.wrp == 0xFFFFFFFF)
		ub_log(UB_LOG_NORMAL, "no page is write-protected");
	else if (!err) {
		err = rd ? ub_cli_confirm(ctx,
					  "Removing readout protection "
					  "ERASES THE WHOLE FLASH (the chip "
					  "does it, nothing can be read "
					  "first).",
					  "erase")
			 : ub_cli_backup(ctx, s.t, s.board);
		if (!err)
			err = s.t->ops->unprotect(
				s.t,
				UB_PROTECT_WRP | (rd ? UB_PROTECT_RDP : 0));
		if (!err)
			ub_log(UB_LOG_NORMAL, "%s protection removed%s",
			       rd ? "readout and write" : "write",
			       rd ? "; the flash is erased" : "");
	}
	ub_session_close(&s, !err);
	return ub_cli_failed(ctx, err);
}

const struct ub_cmd ub_cmd_unprotect = {
	.name = "unprotect",
	.args = "[write|read|spi]",
	.summary = "remove write protection, or readout protection",
	.help = "write (the default): clears the write protection of every\n"
		"page, keeping readout protection open and the flash as it is\n"
		"(after a backup). read: removes readout protection, which "
		"the\n"
		"chip does by ERASING the whole flash; it asks first (-y to\n"
		"skip the question). spi: clears the companion flash's\n"
		"block protection (the SST's power-up protection, BP bits);\n"
		"when the chip's WP# pin holds it, it says so.\n",
	.run = run,
};
