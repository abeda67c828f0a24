// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A restore's steps on the companion SPI flash, through the session's bus
 * (ub_session_spi: through the MCU, a clip, or spidev).
 */
#include <stdio.h>

#include "ub/err.h"
#include "ub/log.h"
#include "ub/restore.h"
#include "ub/spinor.h"

int ub_session_nor(struct ub_session *s, struct ub_nor **nor)
{
	int err = ub_session_spi(s, nor);

	if (err)
		return ub_fail(err, "the companion flash: %s", ub_errmsg(err));
	return 0;
}

static int nor_of(struct ub_restore *r, struct ub_nor **nor)
{
	return ub_session_nor(r->s, nor);
}

static int in_chip(const struct ub_nor *n, uint32_t addr, uint32_t len)
{
	if ((uint64_t)addr + len <= n->chip.size)
		return 0;
	return ub_fail(UB_ERANGE,
		       "spi:0x%X-0x%X is outside the %u KB %s: a bundle for "
		       "another board?",
		       addr, addr + len - 1, n->chip.size / 1024, n->chip.name);
}

int ub_restore_spi_backup(struct ub_restore *r, struct ub_nor **nor)
{
	return nor_of(r, nor);
}

int ub_restore_spi_read(struct ub_restore *r, uint32_t addr, void *buf,
			uint32_t len)
{
	struct ub_nor *n;
	int err = nor_of(r, &n);

	if (!err)
		err = in_chip(n, addr, len);
	return err ? err : ub_nor_read(n, addr, buf, len);
}

int ub_restore_spi_write(struct ub_restore *r, struct ub_rs_piece *p)
{
	struct ub_nor_stats st = {0};
	struct ub_nor *n;
	int err = nor_of(r, &n);

	if (!err)
		err = in_chip(n, p->addr, p->len);
	if (!err)
		err = ub_nor_write(n, p->addr, p->data, p->len, &st);
	if (!err) {
		p->programmed = st.bytes_programmed;
		p->result = st.bytes_programmed || st.sectors_erased
				    ? UB_RS_WRITTEN
				    : UB_RS_UNCHANGED;
	}
	return err;
}

int ub_restore_spi_verify(struct ub_restore *r, struct ub_rs_piece *p)
{
	struct ub_nor *n;
	int err = nor_of(r, &n);

	return err ? err : ub_nor_verify(n, p->addr, p->data, p->len);
}

int ub_restore_spi_erase(struct ub_restore *r, uint32_t addr, uint32_t len)
{
	struct ub_nor *n;
	int err = nor_of(r, &n);

	if (!err && !len)
		len = n->chip.size - addr;
	if (!err)
		err = in_chip(n, addr, len);
	return err ? err : ub_nor_erase(n, addr, len);
}

int ub_restore_spi_unprotect(struct ub_restore *r)
{
	struct ub_nor *n;
	int err = nor_of(r, &n);

	if (!err)
		err = ub_nor_read_status(n);
	if (err || !n->protected_)
		return err;
	err = ub_nor_unprotect(n);
	if (!err)
		ub_log(UB_LOG_NORMAL, "the companion flash's block protection "
				      "is off");
	return err;
}

int ub_restore_spi_protect(struct ub_restore *r)
{
	struct ub_nor *n;
	int err = nor_of(r, &n);

	if (!err)
		err = ub_nor_read_status(n);
	if (err || n->protected_)
		return err;
	err = ub_nor_protect(n);
	if (!err)
		ub_log(UB_LOG_NORMAL, "the companion flash's block protection "
				      "is on again");
	return err;
}
