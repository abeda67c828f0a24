// SPDX-License-Identifier: GPL-2.0-or-later
/* unbrick write FILE[@WHERE]...: program images, then verify them. */
#include <stdlib.h>

#include "ub/cli.h"
#include "ub/err.h"
#include "ub/log.h"
#include "ub/ops.h"
#include "ub/session.h"

static int write_mcu(struct ub_ctx *ctx, struct ub_session *s,
		     const struct ub_image *img, const char *arg)
{
	struct ub_write_stats st;
	int err;

	/* refuse a bad image before the backup and before the chip */
	err = ub_op_check_image(s->t, img);
	if (!err)
		err = ub_cli_backup_session(ctx, s);
	if (!err)
		err = ub_op_write_image(s->t, img, &st);
	if (!err)
		err = ub_op_verify_image(s->t, img);
	if (!err)
		ub_log(UB_LOG_NORMAL,
		       "%s: %llu bytes in %u pages (%u erased, %u unchanged), "
		       "verified",
		       arg, (unsigned long long)ub_image_size(img),
		       st.pages_touched, st.pages_erased, st.pages_unchanged);
	return err;
}

static int run(struct ub_ctx *ctx, int argc, char **argv)
{
	struct ub_image *img = NULL;
	struct ub_session s;
	struct ub_board *b;
	bool *spi = NULL;
	unsigned spaces = 0;
	int err, n = argc - 1, i;

	if (argc < 2)
		return ub_fail(UB_EUSAGE, "write needs FILE[@WHERE]");
	err = ub_ctx_board(ctx, true, &b);
	if (err)
		return err;
	img = calloc((size_t)n, sizeof(*img));
	spi = calloc((size_t)n, sizeof(*spi));
	if (!img || !spi) {
		err = ub_fail(UB_ENOMEM, "out of memory");
		goto free_images;
	}
	/* every file read and checked before anything is touched */
	for (i = 0; !err && i < n; i++) {
		struct ub_where w;
		bool placed;

		err = ub_cli_load_image(b, argv[i + 1], &img[i], &w, &placed);
		spi[i] = !err && placed && w.space == UB_SPACE_SPI;
		spaces |= spi[i] ? UB_SPACES_SPI : UB_SPACES_MCU;
	}
	if (!err)
		err = ub_cli_open(ctx, &s, spaces, NULL);
	if (err)
		goto free_images;
	for (i = 0; !err && i < n; i++)
		err = spi[i] ? ub_cli_spi_write(ctx, &s, &img[i], argv[i + 1])
			     : write_mcu(ctx, &s, &img[i], argv[i + 1]);
	ub_session_close(&s, !err);
free_images:
	for (i = 0; img && i < n; i++)
		ub_image_free(&img[i]);
	free(img);
	free(spi);
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
		"  unbrick -B bluepill write firmware.elf\n"
		"  unbrick -B spark-core write cloud_public.der@server-key\n"
		"  unbrick -B dso-quad write disk.img@spi:0\n"
		"The companion flash (spi:ADDR, or a region in it) takes raw\n"
		"binaries; only the sectors that change are erased, the bytes\n"
		"around the data are kept, and it is verified by CRC where\n"
		"the bus computes one next to the chip.\n",
	.run = run,
};
