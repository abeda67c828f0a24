// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the commands share about the companion flash: opening the session
 * a command needs (the MCU, the flash, or both), and writing an image into
 * the flash.
 */
#include <inttypes.h>

#include "ub/cli.h"
#include "ub/err.h"
#include "ub/log.h"
#include "ub/session.h"

int ub_cli_open(struct ub_ctx *ctx, struct ub_session *s, unsigned spaces,
		struct ub_nor **nor)
{
	bool spi = spaces & UB_SPACES_SPI;
	struct ub_board *b;
	int err, bus;

	if (nor)
		*nor = NULL;
	err = ub_ctx_board(ctx, true, &b);
	if (err)
		return err;
	bus = spi ? ub_session_spi_bus(ctx, b) : UB_SPI_BUS_MCU;
	if (bus < 0)
		return bus;
	if (!(spaces & UB_SPACES_MCU) && bus != UB_SPI_BUS_MCU)
		err = ub_session_open_spi(ctx, s);
	else
		err = ub_session_open(ctx, s);
	if (err || !spi)
		return err;
	err = ub_session_spi(s, nor);
	if (err)
		ub_session_close(s, false);
	return err;
}

/* Where the image's bytes go in the flash: one segment, a raw file. */
static int spi_span(const struct ub_nor *n, const struct ub_image *img,
		    const char *arg)
{
	const struct ub_segment *sg = &img->seg[0];

	if (img->nseg != 1)
		return ub_fail(UB_EUSAGE,
			       "%s: the companion flash takes one raw binary "
			       "per place (FILE@spi:ADDR)",
			       arg);
	if ((uint64_t)sg->addr + sg->size > n->chip.size)
		return ub_fail(UB_ERANGE,
			       "%s: %" PRIu32 " bytes at spi:0x%" PRIX32
			       " go past the end of the %s (%" PRIu32 " KB)",
			       arg, sg->size, sg->addr, n->chip.name,
			       n->chip.size / 1024);
	return 0;
}

int ub_cli_spi_write(struct ub_ctx *ctx, struct ub_session *s,
		     const struct ub_image *img, const char *arg)
{
	struct ub_nor_stats st = {0};
	struct ub_nor *n = &s->nor;
	const struct ub_segment *sg;
	int err;

	err = spi_span(n, img, arg);
	if (err)
		return err;
	sg = &img->seg[0];
	err = ub_cli_backup_session(ctx, s);
	if (!err)
		err = ub_nor_write(n, sg->addr, sg->data, sg->size, &st);
	if (!err)
		err = ub_nor_verify(n, sg->addr, sg->data, sg->size);
	if (!err)
		ub_log(UB_LOG_NORMAL,
		       "%s: %" PRIu32 " bytes at spi:0x%06" PRIX32
		       " in %" PRIu32 " sectors (%" PRIu32 " erased, %" PRIu32
		       " unchanged), verified",
		       arg, sg->size, sg->addr, st.sectors_touched,
		       st.sectors_erased, st.sectors_unchanged);
	return err;
}

int ub_cli_spi_verify(struct ub_session *s, const struct ub_image *img,
		      const char *arg)
{
	const struct ub_segment *sg = &img->seg[0];
	int err = spi_span(&s->nor, img, arg);

	return err ? err : ub_nor_verify(&s->nor, sg->addr, sg->data, sg->size);
}

int ub_cli_spi_protect(struct ub_ctx *ctx, bool on)
{
	struct ub_session s;
	struct ub_nor *n;
	int err;

	err = ub_cli_open(ctx, &s, UB_SPACES_SPI, &n);
	if (err)
		return err;
	if (!on && !n->protected_)
		ub_log(UB_LOG_NORMAL, "the %s is not write-protected",
		       n->chip.name);
	else
		err = on ? ub_nor_protect(n) : ub_nor_unprotect(n);
	if (!err && (on || n->protected_))
		ub_log(UB_LOG_NORMAL, "the %s's blocks are %s", n->chip.name,
		       on ? "write-protected" : "writable");
	ub_session_close(&s, !err);
	return err;
}
