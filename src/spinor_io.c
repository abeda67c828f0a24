// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SPI NOR flash: read, erase (planned), program (page, AAI word, byte) and
 * verify, through the bus's bulk operations where it has them, else
 * command by command with xfer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ub/crc32.h"
#include "ub/err.h"
#include "spinor_priv.h"

#define READ_CHUNK   2048  /* bytes per 0x03 transaction (spidev: 4 KB) */
#define STEP	     65536 /* progress and Ctrl-C granularity */
#define VERIFY_BLOCK 4096  /* bytes per CRC when the bus computes them */
#define CRC_BLOCKS   256   /* CRCs asked for at once */

static int check_range(const struct ub_nor *n, uint32_t addr, uint64_t len)
{
	if (addr + len > n->chip.size)
		return ub_fail(UB_ERANGE,
			       "spi:0x%06X+0x%llX is past the end of the %s "
			       "(%u KB)",
			       addr, (unsigned long long)len, n->chip.name,
			       n->chip.size >> 10);
	return 0;
}

int ub_nor_read_raw(struct ub_nor *n, uint32_t addr, void *buf, size_t len)
{
	uint8_t *p = buf;

	if (n->bus->ops->read)
		return n->bus->ops->read(n->bus, addr, buf, len);
	for (size_t done = 0; done < len;) {
		size_t k = len - done < READ_CHUNK ? len - done : READ_CHUNK;
		uint8_t tx[4] = {NOR_READ, (uint8_t)((addr + done) >> 16),
				 (uint8_t)((addr + done) >> 8),
				 (uint8_t)(addr + done)};
		int err = ub_nor_cmd(n, tx, 4, p + done, k);

		if (err)
			return err;
		done += k;
	}
	return 0;
}

int ub_nor_read(struct ub_nor *n, uint32_t addr, void *buf, size_t len)
{
	uint8_t *p = buf;
	int err = check_range(n, addr, len);

	if (err)
		return err;
	ub_progress_begin(n->progress, "read", len);
	for (size_t done = 0; !err && done < len; done += STEP) {
		size_t k = len - done < STEP ? len - done : STEP;

		if (ub_stop_requested())
			err = ub_fail(UB_EINTR,
				      "interrupted while reading spi:0x%06X: "
				      "nothing was changed",
				      addr + (uint32_t)done);
		else
			err = ub_nor_read_raw(n, addr + (uint32_t)done,
					      p + done, k);
		ub_progress_update(n->progress, done + k);
	}
	ub_progress_end(n->progress, err);
	return err;
}

int ub_nor_bus_crc(struct ub_nor *n, uint32_t addr, uint32_t len,
		   uint32_t block, uint32_t span, uint32_t *crc)
{
	if (!n->bus->ops->crc32)
		return UB_EUNSUPPORTED;
	return n->bus->ops->crc32(n->bus, addr, len, block, span, crc);
}

/* One erase command, and the wait for it. */
static int erase_one(struct ub_nor *n, uint8_t op, bool has_addr, uint32_t addr,
		     uint32_t size, unsigned max_ms)
{
	char what[64];
	int err;

	if (n->bus->ops->erase)
		return n->bus->ops->erase(n->bus, op, has_addr, addr,
					  2 * max_ms);
	err = ub_nor_op(n, NOR_WREN);
	if (!err)
		err = has_addr ? ub_nor_op_addr(n, op, addr, NULL, 0)
			       : ub_nor_op(n, op);
	if (err)
		return err;
	if (has_addr)
		snprintf(what, sizeof(what), "erasing %u KB at spi:0x%06X",
			 size >> 10, addr);
	else
		snprintf(what, sizeof(what), "erasing the whole chip");
	return ub_nor_wait(n, max_ms * 1000ull, true, what);
}

/* The largest erase that starts at a and lies inside [a, end). */
static const struct ub_nor_erase *fit(const struct ub_nor_chip *c, uint32_t a,
				      uint32_t end)
{
	for (int i = UB_NOR_MAX_ERASE - 1; i >= 0; i--) {
		const struct ub_nor_erase *e = &c->erase[i];

		if (!e->size || a % e->size || (uint64_t)a + e->size > end)
			continue;
		if ((e->from || e->to) &&
		    (a < e->from || (uint64_t)a + e->size > e->to))
			continue;
		return e;
	}
	return NULL;
}

int ub_nor_erase_plan(struct ub_nor *n, uint32_t addr, uint32_t len,
		      struct ub_nor_stats *st)
{
	const struct ub_nor_chip *c = &n->chip;
	uint32_t end = addr + len;
	int err = 0;

	if (!len)
		return 0;
	if (addr == 0 && len == c->size && c->chip_erase_op) {
		err = erase_one(n, c->chip_erase_op, false, 0, c->size,
				c->chip_erase_ms);
		if (!err && st) {
			st->erase_ops++;
			st->sectors_erased += c->size / c->erase[0].size;
		}
		return err;
	}
	for (uint32_t a = addr; !err && a < end;) {
		const struct ub_nor_erase *e = fit(c, a, end);

		if (!e)
			return ub_fail(UB_EINVAL,
				       "spi:0x%06X is not on a %u-byte erase "
				       "boundary of the %s",
				       a, c->erase[0].size, c->name);
		err = erase_one(n, e->op, true, a, e->size, e->max_ms);
		if (!err && st) {
			st->erase_ops++;
			st->sectors_erased += e->size / c->erase[0].size;
		}
		a += e->size;
	}
	return err;
}

int ub_nor_erase(struct ub_nor *n, uint32_t addr, uint32_t len)
{
	const struct ub_nor_chip *c = &n->chip;
	uint32_t unit = c->erase[0].size, done = 0;
	int err = check_range(n, addr, len);

	if (err)
		return err;
	if (addr % unit || len % unit)
		return ub_fail(UB_EINVAL,
			       "spi:0x%06X+0x%X is not aligned to the %s's "
			       "smallest erase (%u bytes)",
			       addr, len, c->name, unit);
	if (n->protected_) {
		err = ub_nor_unprotect(n);
		if (err)
			return err;
	}
	ub_progress_begin(n->progress, "erase", len);
	if (addr == 0 && len == c->size)
		err = ub_nor_erase_plan(n, 0, len, NULL);
	/* in steps of the largest erase, so that Ctrl-C stops in between */
	while (!err && done < len && !(addr == 0 && len == c->size)) {
		uint32_t a = addr + done, step = STEP - a % STEP;

		if (step > len - done)
			step = len - done;
		if (ub_stop_requested()) {
			err = ub_fail(UB_EINTR,
				      "interrupted before erasing spi:0x%06X: "
				      "the part before it is erased, the rest "
				      "is as it was",
				      a);
			break;
		}
		err = ub_nor_erase_plan(n, a, step, NULL);
		done += step;
		ub_progress_update(n->progress, done);
	}
	ub_progress_end(n->progress, err);
	return err;
}

static bool all_ff(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != 0xFF)
			return false;
	return true;
}

static int wait_prog(struct ub_nor *n, uint32_t addr)
{
	char what[48];

	snprintf(what, sizeof(what), "programming spi:0x%06X", addr);
	return ub_nor_wait(n, n->chip.prog.timeout_us, false, what);
}

/* WREN, 0x02 addr data (within one page), poll. */
static int program_bytes(struct ub_nor *n, uint32_t addr, const uint8_t *p,
			 size_t len)
{
	int err = ub_nor_op(n, NOR_WREN);

	if (!err)
		err = ub_nor_op_addr(n, NOR_PP, addr, p, len);
	if (!err)
		err = wait_prog(n, addr);
	return err;
}

static int program_pages(struct ub_nor *n, uint32_t addr, const uint8_t *p,
			 size_t len, uint32_t page)
{
	for (size_t o = 0; o < len;) {
		uint32_t a = addr + (uint32_t)o;
		size_t k = page - a % page;
		int err;

		if (k > len - o)
			k = len - o;
		err = all_ff(p + o, k) ? 0 : program_bytes(n, a, p + o, k);
		if (err)
			return err;
		o += k;
	}
	return 0;
}

/* SST25 AAI word program over [addr, addr + len), addr even, len even:
 * WREN, 0xAD addr d0 d1, then 0xAD d d per word, a poll after each; WRDI
 * ends it. */
static int aai_run(struct ub_nor *n, uint32_t addr, const uint8_t *p,
		   size_t len)
{
	uint8_t tx[3] = {NOR_AAI, 0, 0}, sr;
	int err = ub_nor_op(n, NOR_WREN);

	if (!err)
		err = ub_nor_op_addr(n, NOR_AAI, addr, p, 2);
	if (!err)
		err = wait_prog(n, addr);
	for (size_t o = 2; !err && o < len; o += 2) {
		tx[1] = p[o];
		tx[2] = p[o + 1];
		err = ub_nor_cmd(n, tx, 3, NULL, 0);
		if (!err)
			err = wait_prog(n, addr + (uint32_t)o);
	}
	/* leave AAI mode even after an error */
	if (ub_nor_op(n, NOR_WRDI) == 0 && !err)
		err = ub_nor_rdsr(n, NOR_RDSR, &sr);
	return err;
}

/* AAI: single-byte programs for an odd start or end, AAI runs over what
 * is not wholly 0xFF (256-byte steps). */
static int program_aai(struct ub_nor *n, uint32_t addr, const uint8_t *p,
		       size_t len)
{
	int err = 0;

	if (len && addr % 2) {
		if (*p != 0xFF)
			err = program_bytes(n, addr, p, 1);
		addr++;
		p++;
		len--;
	}
	if (!err && len % 2) {
		if (p[len - 1] != 0xFF)
			err = program_bytes(n, addr + (uint32_t)len - 1,
					    p + len - 1, 1);
		len--;
	}
	for (size_t o = 0; !err && o < len;) {
		size_t k = 256 - (addr + o) % 256, run = 0;

		if (k > len - o)
			k = len - o;
		if (all_ff(p + o, k)) {
			o += k;
			continue;
		}
		/* the run of steps that are not wholly 0xFF */
		while (o + run < len) {
			size_t s = 256 - (addr + o + run) % 256;

			if (s > len - o - run)
				s = len - o - run;
			if (all_ff(p + o + run, s))
				break;
			run += s;
		}
		err = aai_run(n, addr + (uint32_t)o, p + o, run);
		o += run;
	}
	return err;
}

int ub_nor_program(struct ub_nor *n, uint32_t addr, const uint8_t *buf,
		   size_t len)
{
	const struct ub_spi_prog *pr = &n->chip.prog;

	if (!len)
		return 0;
	if (n->bus->ops->program) {
		struct ub_spi_prog p2 = *pr;

		p2.timeout_us = 2 * pr->timeout_us;
		return n->bus->ops->program(n->bus, &p2, addr, buf, len);
	}
	switch (pr->method) {
	case UB_SPI_PROG_AAI_WORD:
		return program_aai(n, addr, buf, len);
	case UB_SPI_PROG_BYTE:
		return program_pages(n, addr, buf, len, 1);
	case UB_SPI_PROG_PAGE:
	default:
		return program_pages(n, addr, buf, len,
				     pr->page_size ? pr->page_size : 256);
	}
}

static int mismatch(struct ub_nor *n, uint32_t addr, const uint8_t *want,
		    size_t len)
{
	uint8_t got[VERIFY_BLOCK];
	int err;

	for (size_t o = 0; o < len; o += sizeof(got)) {
		size_t k = len - o < sizeof(got) ? len - o : sizeof(got);

		err = ub_nor_read_raw(n, addr + (uint32_t)o, got, k);
		if (err)
			return err;
		for (size_t i = 0; i < k; i++)
			if (got[i] != want[o + i])
				return ub_fail(UB_EVERIFY,
					       "spi:0x%06X reads 0x%02X, "
					       "expected 0x%02X",
					       addr + (uint32_t)(o + i), got[i],
					       want[o + i]);
	}
	return 0;
}

/* By the bus's CRCs: a bad block is read back to name the address. */
static int verify_crc(struct ub_nor *n, uint32_t addr, const uint8_t *p,
		      size_t len, int *err)
{
	uint32_t crc[CRC_BLOCKS];
	size_t chunk = (size_t)CRC_BLOCKS * VERIFY_BLOCK;

	for (size_t o = 0; o < len; o += chunk) {
		size_t k = len - o < chunk ? len - o : chunk;
		uint32_t a = addr + (uint32_t)o;

		if (ub_stop_requested()) {
			*err = ub_fail(UB_EINTR,
				       "interrupted while verifying "
				       "spi:0x%06X",
				       a);
			return 0;
		}
		*err = ub_nor_bus_crc(n, a, (uint32_t)k, VERIFY_BLOCK, 0, crc);
		if (*err == UB_EUNSUPPORTED && !o)
			return -1; /* read back instead */
		for (size_t b = 0; !*err && b * VERIFY_BLOCK < k; b++) {
			size_t bo = b * VERIFY_BLOCK;
			size_t bl =
				k - bo < VERIFY_BLOCK ? k - bo : VERIFY_BLOCK;

			if (crc[b] != ub_crc32(0, p + o + bo, bl)) {
				*err = mismatch(n, a + (uint32_t)bo, p + o + bo,
						bl);
				if (!*err)
					*err = ub_fail(
						UB_EVERIFY,
						"spi:0x%06X+0x%zX: its CRC "
						"differs but it reads back "
						"right (a flaky link?)",
						a + (uint32_t)bo, bl);
			}
		}
		if (*err)
			return 0;
		ub_progress_update(n->progress, o + k);
	}
	return 0;
}

int ub_nor_verify(struct ub_nor *n, uint32_t addr, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	int err = check_range(n, addr, len);

	if (err)
		return err;
	ub_progress_begin(n->progress, "verify", len);
	if (!n->bus->ops->crc32 || verify_crc(n, addr, p, len, &err) < 0) {
		err = 0;
		for (size_t o = 0; !err && o < len; o += STEP) {
			size_t k = len - o < STEP ? len - o : STEP;

			if (ub_stop_requested())
				err = ub_fail(UB_EINTR,
					      "interrupted while verifying "
					      "spi:0x%06X",
					      addr + (uint32_t)o);
			else
				err = mismatch(n, addr + (uint32_t)o, p + o, k);
			ub_progress_update(n->progress, o + k);
		}
	}
	ub_progress_end(n->progress, err);
	return err;
}
