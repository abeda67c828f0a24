// SPDX-License-Identifier: GPL-2.0-or-later
/* unbrick erase [WHERE[:LEN]]: erase pages, or the whole flash. */
#include <string.h>

#include "ub/cli.h"
#include "ub/err.h"
#include "ub/log.h"
#include "ub/ops.h"
#include "ub/session.h"

/* The companion flash erases in sectors: the range must cover whole ones. */
static int spi_range(const struct ub_nor *n, const struct ub_where *w)
{
	uint32_t unit = n->chip.erase[0].size;

	if ((uint64_t)w->addr + w->len > n->chip.size)
		return ub_fail(
			UB_ERANGE,
			"spi:0x%X:%u goes past the end of the %s (%u KB)",
			w->addr, w->len, n->chip.name, n->chip.size / 1024);
	if (unit && (w->addr % unit || w->len % unit))
		return ub_fail(UB_EINVAL,
			       "the %s erases %u-byte sectors: spi:0x%X:%u "
			       "does not cover whole ones (to change a few "
			       "bytes, write them: the rest of the sector is "
			       "kept)",
			       n->chip.name, unit, w->addr, w->len);
	return 0;
}

static int run(struct ub_ctx *ctx, int argc, char **argv)
{
	const char *where = argc > 1 ? argv[1] : "flash";
	struct ub_session s;
	struct ub_board *b;
	struct ub_nor *nor;
	struct ub_where w;
	bool spi;
	int err;

	if (argc > 2)
		return ub_fail(UB_EUSAGE,
			       "erase takes at most one WHERE[:LEN]");
	err = ub_ctx_board(ctx, true, &b);
	if (!err)
		err = ub_where_parse(where, b, &w);
	spi = !err && w.space == UB_SPACE_SPI;
	if (!err)
		err = ub_cli_open(ctx, &s, spi ? UB_SPACES_SPI : UB_SPACES_MCU,
				  &nor);
	if (err)
		return err;
	if (!w.has_len && !spi && !strcmp(w.region, "flash"))
		w.len = s.t->info.flash_size;
	else if (!w.has_len && spi && !strcmp(w.region, "spi"))
		w.len = nor->chip.size;
	else if (!w.has_len)
		err = ub_fail(UB_EUSAGE, "how much? Give WHERE:LEN, such as "
					 "0x08004000:2K, or a region name");
	if (!err && spi)
		err = spi_range(nor, &w);
	if (!err)
		err = ub_cli_backup_session(ctx, &s);
	if (!err)
		err = spi ? ub_nor_erase(nor, w.addr, w.len)
			  : ub_op_erase(s.t, w.addr, w.len);
	if (!err)
		ub_log(UB_LOG_NORMAL, "erased %s0x%08X-0x%08X",
		       spi ? "spi:" : "", w.addr, w.addr + w.len - 1);
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
		"  unbrick -B stm32f1 erase\n"
		"  unbrick -B dso-quad erase spi          (the whole companion "
		"flash)\n"
		"  unbrick -B spark-core erase ota-fw\n",
	.run = run,
};
