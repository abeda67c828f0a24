// SPDX-License-Identifier: GPL-2.0-or-later
/* unbrick write FILE[@WHERE]...: program images, then verify them. */
#include "ub/cli.h"
#include "ub/err.h"
#include "ub/log.h"
#include "ub/ops.h"
#include "ub/session.h"

static int write_one(struct ub_ctx *ctx, struct ub_session *s, const char *arg)
{
	struct ub_write_stats st;
	struct ub_image img;
	struct ub_where w;
	bool placed;
	int err;

	err = ub_cli_load_image(s->board, arg, &img, &w, &placed);
	if (err)
		return err;
	if (placed && w.space != UB_SPACE_MCU)
		err = ub_fail(UB_EUNSUPPORTED, "writing the companion flash "
					       "is not supported yet");
	/* refuse a bad image before the backup and before the chip */
	if (!err)
		err = ub_op_check_image(s->t, &img);
	if (!err)
		err = ub_cli_backup(ctx, s->t, s->board);
	if (!err)
		err = ub_op_write_image(s->t, &img, &st);
	if (!err)
		err = ub_op_verify_image(s->t, &img);
	if (!err)
		ub_log(UB_LOG_NORMAL,
		       "%s: %llu bytes in %u pages (%u erased, %u unchanged), "
		       "verified",
		       arg, (unsigned long long)ub_image_size(&img),
		       st.pages_touched, st.pages_erased, st.pages_unchanged);
	ub_image_free(&img);
	return err;
}

static int run(struct ub_ctx *ctx, int argc, char **argv)
{
	struct ub_session s;
	int err;

	if (argc < 2)
		return ub_fail(UB_EUSAGE, "write needs FILE[@WHERE]");
	err = ub_session_open(ctx, &s);
	for (int i = 1; !err && i < argc; i++)
		err = write_one(ctx, &s, argv[i]);
	if (s.t)
		ub_session_close(&s, !err);
	return ub_cli_failed(ctx, err);
}

const struct ub_cmd ub_cmd_write = {
	.name = "write",
	.args = "FILE[@WHERE]...",
	.summary = "program images into the flash and verify them",
	.help = "Backs up the chip first (--no-backup skips it), erases only\n"
		"the pages the image touches, keeps what the image does not\n"
		"cover on them, skips pages that already hold the image, "
		"verifies\n"
		"everything, and leaves the chip running. Images: raw binary\n"
		"(placed with @WHERE, 0x08000000 by default), Intel HEX,\n"
		"S-records, ELF. Examples:\n"
		"  unbrick -B spark-core write bootloader.bin tinker.bin@app\n"
		"  unbrick -B bluepill write firmware.elf\n",
	.run = run,
};
