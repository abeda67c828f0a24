// SPDX-License-Identifier: GPL-2.0-or-later
/* unbrick verify FILE[@WHERE]...: does the chip hold these images? */
#include "ub/cli.h"
#include "ub/err.h"
#include "ub/log.h"
#include "ub/ops.h"
#include "ub/session.h"

/* What the arguments touch, from their places (files are read later). */
static int spaces_of(const struct ub_board *b, int argc, char **argv,
		     unsigned *spaces)
{
	char path[4096];

	*spaces = 0;
	for (int i = 1; i < argc; i++) {
		struct ub_where w;
		bool placed;
		int err = ub_placed_file(argv[i], b, path, sizeof(path), &w,
					 &placed);

		if (err)
			return err;
		*spaces |= placed && w.space == UB_SPACE_SPI ? UB_SPACES_SPI
							     : UB_SPACES_MCU;
	}
	return 0;
}

static int verify_one(struct ub_session *s, const char *arg)
{
	struct ub_image img;
	struct ub_where w;
	bool placed;
	int err;

	err = ub_cli_load_image(s->board, arg, &img, &w, &placed);
	if (err)
		return err;
	if (placed && w.space == UB_SPACE_SPI) {
		err = ub_cli_spi_verify(s, &img, arg);
	} else {
		err = ub_op_check_image(s->t, &img);
		if (!err)
			err = ub_op_verify_image(s->t, &img);
	}
	if (!err)
		ub_log(UB_LOG_NORMAL, "%s: verified", arg);
	ub_image_free(&img);
	return err;
}

static int run(struct ub_ctx *ctx, int argc, char **argv)
{
	struct ub_session s;
	struct ub_board *b;
	unsigned spaces;
	int err;

	if (argc < 2)
		return ub_fail(UB_EUSAGE, "verify needs FILE[@WHERE]");
	err = ub_ctx_board(ctx, true, &b);
	if (!err)
		err = spaces_of(b, argc, argv, &spaces);
	if (!err)
		err = ub_cli_open(ctx, &s, spaces, NULL);
	if (err)
		return err;
	for (int i = 1; !err && i < argc; i++)
		err = verify_one(&s, argv[i]);
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
