// SPDX-License-Identifier: GPL-2.0-or-later
/* unbrick reset [run|halt]: restart the chip. */
#include <string.h>

#include "ub/cli.h"
#include "ub/err.h"
#include "ub/log.h"
#include "ub/session.h"

static int run(struct ub_ctx *ctx, int argc, char **argv)
{
	bool halt = argc > 1 && !strcmp(argv[1], "halt");
	struct ub_session s;
	int err;

	if (argc > 2 || (argc == 2 && !halt && strcmp(argv[1], "run")))
		return ub_fail(UB_EUSAGE, "reset takes 'run' (the default) "
					  "or 'halt'");
	err = ub_session_open(ctx, &s);
	if (err)
		return err;
	err = s.t->ops->reset(s.t, halt ? UB_RESET_HALT : UB_RESET_RUN);
	if (!err)
		ub_log(UB_LOG_NORMAL, "reset: the chip %s",
		       halt ? "is halted at its first instruction"
			    : "runs its firmware");
	ub_session_close(&s, false);
	return err;
}

const struct ub_cmd ub_cmd_reset = {
	.name = "reset",
	.args = "[run|halt]",
	.summary = "reset the chip and let it run, or halt it at reset",
	.help = "By NRST when the board wires it, else by SYSRESETREQ.\n",
	.run = run,
};
