// SPDX-License-Identifier: GPL-2.0-or-later
/* unbrick verify FILE[@WHERE]...: does the chip hold these images? */
#include "ub/cli.h"
#include "ub/err.h"
#include "ub/log.h"
#include "ub/ops.h"
#include "ub/session.h"

static int run(struct ub_ctx *ctx, int argc, char **argv)
{
	struct ub_session s;
	int err;

	if (argc < 2)
		return ub_fail(UB_EUSAGE, "verify needs FILE[@WHERE]");
	err = ub_session_open(ctx, &s);
	for (int i = 1; !err && i < argc; i++) {
		struct ub_image img;
		struct ub_where w;
		bool placed;

		err = ub_cli_load_image(s.board, argv[i], &img, &w, &placed);
		if (err)
			break;
		err = ub_op_check_image(s.t, &img);
		if (!err)
			err = ub_op_verify_image(s.t, &img);
		if (!err)
			ub_log(UB_LOG_NORMAL, "%s: verified", argv[i]);
		ub_image_free(&img);
	}
	if (s.t)
		ub_session_close(&s, true);
	return err;
}

const struct ub_cmd ub_cmd_verify = {
	.name = "verify",
	.args = "FILE[@WHERE]...",
	.summary = "compare the chip with images",
	.help = "Reads back what each image covers and names the first byte\n"
		"that differs. Changes nothing.\n",
	.run = run,
};
