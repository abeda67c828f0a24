// SPDX-License-Identifier: GPL-2.0-or-later
/* unbrick backup [DIR]: save everything readable, with a manifest. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "ub/backup.h"
#include "ub/cli.h"
#include "ub/err.h"
#include "ub/log.h"
#include "ub/manifest.h"
#include "ub/restore.h"
#include "ub/session.h"

static void show(struct ub_ctx *ctx, const struct ub_manifest *m)
{
	FILE *o = ctx->out;

	if (ctx->json) {
		fputs("{\"dir\":", o);
		ub_json_str(o, m->dir);
		fputs(",\"files\":[", o);
		for (unsigned i = 0; i < m->nfile; i++) {
			const struct ub_mf_file *f = &m->file[i];

			fprintf(o, "%s{\"name\":", i ? "," : "");
			ub_json_str(o, f->name);
			fprintf(o,
				",\"space\":\"%s\",\"address\":%" PRIu32
				",\"size\":%" PRIu32 ",\"crc32\":%" PRIu32 "}",
				ub_mf_space_name(f->space), f->addr, f->size,
				f->crc32);
		}
		fputs("]}\n", o);
		return;
	}
	fprintf(o, "backup of %s (%s) in %s\n", m->board, m->chip, m->dir);
	for (unsigned i = 0; i < m->nfile; i++) {
		const struct ub_mf_file *f = &m->file[i];

		fprintf(o,
			"  %-11s %8" PRIu32 " bytes  %s0x%08" PRIX32
			"-0x%08" PRIX32 "  CRC-32 %08" PRIX32 "\n",
			f->name, f->size, f->space == UB_MF_SPI ? "spi:" : "",
			f->addr, f->addr + f->size - 1, f->crc32);
	}
}

static int run(struct ub_ctx *ctx, int argc, char **argv)
{
	struct ub_manifest *m = NULL;
	struct ub_backup_src src;
	struct ub_session s;
	char dir[4096];
	int err, spi_err = 0;
	char spi_msg[512] = "";

	if (argc > 2)
		return ub_fail(UB_EUSAGE, "backup takes at most one DIR");
	err = ub_session_open(ctx, &s);
	if (err)
		return err;
	src = (struct ub_backup_src){.t = s.t, .b = s.board, .iface = s.iface};
	if (s.board->spi.present) {
		spi_err = ub_session_nor(&s, &src.nor);
		if (spi_err)
			snprintf(spi_msg, sizeof(spi_msg), "%s",
				 ub_errmsg(spi_err));
	}
	err = ub_backup_save(&src, argc > 1 ? argv[1] : NULL, dir, sizeof(dir));
	m = err ? NULL : calloc(1, sizeof(*m));
	if (!err && m && !ub_manifest_load(m, dir))
		show(ctx, m);
	free(m);
	ub_session_close(&s, !err);
	if (!err && spi_err)
		err = ub_fail(spi_err,
			      "the companion flash was NOT saved (%s); the "
			      "chip's flash, option bytes and UID are in %s",
			      spi_msg, dir);
	return err;
}

const struct ub_cmd ub_cmd_backup = {
	.name = "backup",
	.args = "[DIR]",
	.summary = "save flash, option bytes, UID and companion flash",
	.help = "Reads everything on the board that can be read, into DIR\n"
		"(which must be new or empty) or into a new directory under\n"
		"$UNBRICK_BACKUPS, else ~/.local/state/unbrick/backups, named\n"
		"by board, UID and time: flash.bin, option.bin, uid.bin and,\n"
		"when the board has one, spi.bin (the companion flash), with\n"
		"manifest.txt (chip, DEV_ID, UID, interface, time; each "
		"file's\n"
		"range, size, CRC-32 and SHA-256) written last. Files are\n"
		"0600: they hold the board's keys. 'unbrick restore DIR' puts\n"
		"it all back. Example:\n"
		"  unbrick -B spark-core backup ~/cores/kitchen\n",
	.run = run,
};
