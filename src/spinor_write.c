// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SPI NOR flash: the planned write. The range is cut into units of the
 * smallest erase; each is surveyed (by the bus's CRC where it has one,
 * else read) and found unchanged, program-only (every wanted bit a 1 -> 0
 * change or equal) or needing an erase. Then, window by window (64 KB or
 * the largest erase), the runs of units that need an erase are erased with
 * the largest erases that fit, and programmed with their whole new
 * content (the bytes around the data, read in the survey, put back); the
 * program-only units get their changed bytes. All of it needing an erase
 * over the whole chip is one chip erase.
 */
#include <stdlib.h>
#include <string.h>

#include "ub/crc32.h"
#include "ub/err.h"
#include "spinor_priv.h"

#define WINDOW	   65536u
#define CRC_BATCH  256u /* unit CRCs asked for at once */
#define PROG_CHUNK 65536u

enum { U_SKIP, U_PROG, U_ERASE };

struct plan {
	uint32_t addr, end; /* the data */
	uint32_t lo, unit, nunits;
	const uint8_t *buf;
	uint8_t *act;
	uint32_t *plo, *phi;  /* U_PROG: the bytes that change */
	uint8_t *head, *tail; /* U_ERASE partial first/last unit: all of it */
	uint8_t *old;	      /* one unit, read */
	uint32_t *crc;	      /* CRC_BATCH of them, from the bus */
};

static void plan_free(struct plan *p)
{
	free(p->act);
	free(p->plo);
	free(p->phi);
	free(p->head);
	free(p->tail);
	free(p->old);
	free(p->crc);
}

static uint32_t blank_crc(uint32_t len)
{
	uint8_t ff[256];
	uint32_t crc = 0;

	memset(ff, 0xFF, sizeof(ff));
	for (uint32_t o = 0; o < len; o += sizeof(ff))
		crc = ub_crc32(crc, ff,
			       len - o < sizeof(ff) ? len - o : sizeof(ff));
	return crc;
}

/* Classify unit u from its old content in p->old. */
static int classify(struct plan *p, uint32_t u)
{
	uint32_t base = p->lo + u * p->unit;
	uint32_t a = base > p->addr ? base : p->addr;
	uint32_t e = base + p->unit < p->end ? base + p->unit : p->end;
	const uint8_t *want = p->buf + (a - p->addr),
		      *old = p->old + (a - base);
	uint32_t first = e, last = a;
	bool prog = true;

	for (uint32_t i = 0; i < e - a; i++) {
		if (old[i] == want[i])
			continue;
		if ((old[i] & want[i]) != want[i])
			prog = false;
		if (first == e)
			first = a + i;
		last = a + i + 1;
	}
	if (first == e) {
		p->act[u] = U_SKIP;
	} else if (prog) {
		p->act[u] = U_PROG;
		p->plo[u] = first;
		p->phi[u] = last;
	} else {
		p->act[u] = U_ERASE;
		if (a != base || e != base + p->unit) {
			uint8_t *full = malloc(p->unit);

			if (!full)
				return ub_fail(UB_ENOMEM, "out of memory");
			memcpy(full, p->old, p->unit);
			memcpy(full + (a - base), want, e - a);
			if (u == 0 && !p->head)
				p->head = full;
			else
				p->tail = full;
		}
	}
	return 0;
}

static int survey(struct ub_nor *n, struct plan *p, struct ub_nor_stats *st)
{
	bool by_crc = n->bus->ops->crc32 != NULL;
	uint32_t blank = blank_crc(p->unit);

	for (uint32_t u = 0; u < p->nunits; u++) {
		uint32_t base = p->lo + u * p->unit;
		bool whole = base >= p->addr && base + p->unit <= p->end;
		int err;

		if (u % (WINDOW / p->unit ? WINDOW / p->unit : 1) == 0) {
			if (ub_stop_requested())
				return ub_fail(UB_EINTR,
					       "interrupted while comparing "
					       "spi:0x%06X with the data: "
					       "nothing was changed",
					       base);
			ub_progress_update(n->progress, u * p->unit);
		}

		if (by_crc && u % CRC_BATCH == 0) {
			uint32_t k = p->nunits - u < CRC_BATCH ? p->nunits - u
							       : CRC_BATCH;

			err = ub_nor_bus_crc(n, base, k * p->unit, p->unit,
					     p->crc);
			if (err == UB_EUNSUPPORTED && u == 0)
				by_crc = false;
			else if (err)
				return err;
		}
		if (by_crc && whole) {
			uint32_t crc = p->crc[u % CRC_BATCH];
			const uint8_t *w = p->buf + (base - p->addr);

			if (crc == ub_crc32(0, w, p->unit)) {
				p->act[u] = U_SKIP;
			} else if (crc == blank) {
				p->act[u] = U_PROG;
				p->plo[u] = base;
				p->phi[u] = base + p->unit;
			} else {
				p->act[u] = U_ERASE;
			}
		} else {
			err = ub_nor_read_raw(n, base, p->old, p->unit);
			if (!err)
				err = classify(p, u);
			if (err)
				return err;
		}
		if (p->act[u] == U_SKIP)
			st->sectors_unchanged++;
	}
	return 0;
}

/* Program in runs that are contiguous both on the chip and in memory. */
struct run {
	uint32_t addr;
	const uint8_t *src;
	uint32_t len;
};

static int flush(struct ub_nor *n, struct run *r, struct ub_nor_stats *st)
{
	int err = ub_nor_program(n, r->addr, r->src, r->len);

	if (!err)
		st->bytes_programmed += r->len;
	r->len = 0;
	return err;
}

static int add(struct ub_nor *n, struct run *r, uint32_t addr,
	       const uint8_t *src, uint32_t len, struct ub_nor_stats *st)
{
	int err = 0;

	if (r->len && (r->addr + r->len != addr || r->src + r->len != src ||
		       r->len >= PROG_CHUNK))
		err = flush(n, r, st);
	if (err || !len)
		return err;
	if (!r->len) {
		r->addr = addr;
		r->src = src;
	}
	r->len += len;
	return 0;
}

/* Units [u0, u1): erase the runs that need it, then program. */
static int do_window(struct ub_nor *n, struct plan *p, uint32_t u0, uint32_t u1,
		     bool erased, struct ub_nor_stats *st)
{
	struct run r = {0};
	int err = 0;

	for (uint32_t u = u0; !erased && !err && u < u1;) {
		uint32_t v = u;

		while (v < u1 && p->act[v] == U_ERASE)
			v++;
		if (v > u)
			err = ub_nor_erase_plan(n, p->lo + u * p->unit,
						(v - u) * p->unit, st);
		u = v == u ? u + 1 : v;
	}
	for (uint32_t u = u0; !err && u < u1; u++) {
		uint32_t base = p->lo + u * p->unit;

		if (p->act[u] == U_PROG) {
			err = add(n, &r, p->plo[u],
				  p->buf + (p->plo[u] - p->addr),
				  p->phi[u] - p->plo[u], st);
		} else if (p->act[u] == U_ERASE) {
			const uint8_t *src = p->buf + (base - p->addr);

			if (u == 0 && p->head)
				src = p->head;
			else if (u == p->nunits - 1 && p->tail)
				src = p->tail;
			err = add(n, &r, base, src, p->unit, st);
		}
	}
	if (!err && r.len)
		err = flush(n, &r, st);
	return err;
}

static int plan_alloc(struct plan *p)
{
	p->act = calloc(p->nunits, 1);
	p->plo = calloc(p->nunits, sizeof(*p->plo));
	p->phi = calloc(p->nunits, sizeof(*p->phi));
	p->old = malloc(p->unit);
	p->crc = calloc(CRC_BATCH, sizeof(*p->crc));
	if (!p->act || !p->plo || !p->phi || !p->old || !p->crc)
		return ub_fail(UB_ENOMEM, "out of memory planning the write");
	return 0;
}

static int execute(struct ub_nor *n, struct plan *p, struct ub_nor_stats *st)
{
	const struct ub_nor_chip *c = &n->chip;
	uint32_t wunits = WINDOW / p->unit, need = 0;
	bool whole = false;
	int err = 0;

	for (int i = 0; i < UB_NOR_MAX_ERASE && c->erase[i].size; i++)
		if (c->erase[i].size / p->unit > wunits)
			wunits = c->erase[i].size / p->unit;
	for (uint32_t u = 0; u < p->nunits; u++)
		need += p->act[u] != U_SKIP;
	if (!need)
		return 0;
	if (n->protected_) {
		err = ub_nor_unprotect(n);
		if (err)
			return err;
	}
	if (p->lo == 0 && p->nunits * p->unit == c->size) {
		whole = true;
		for (uint32_t u = 0; whole && u < p->nunits; u++)
			whole = p->act[u] == U_ERASE;
		if (whole)
			err = ub_nor_erase_plan(n, 0, c->size, st);
	}
	for (uint32_t u = 0; !err && u < p->nunits;) {
		uint32_t base = p->lo + u * p->unit;
		uint32_t v = u + wunits - (base / p->unit) % wunits;

		if (v > p->nunits)
			v = p->nunits;
		if (ub_stop_requested())
			return ub_fail(UB_EINTR,
				       "interrupted before spi:0x%06X: the "
				       "data before it is written, the rest "
				       "is %s; run the same write again to "
				       "finish",
				       base, whole ? "erased" : "as it was");
		err = do_window(n, p, u, v, whole, st);
		u = v;
		base = p->lo + u * p->unit;
		ub_progress_update(n->progress,
				   (base < p->end ? base : p->end) - p->addr);
	}
	return err;
}

int ub_nor_write(struct ub_nor *n, uint32_t addr, const void *buf, size_t len,
		 struct ub_nor_stats *st)
{
	struct ub_nor_stats dummy;
	struct plan p = {0};
	int err;

	if (!st)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	if (!len)
		return 0;
	if ((uint64_t)addr + len > n->chip.size)
		return ub_fail(UB_ERANGE,
			       "spi:0x%06X+0x%zX is past the end of the %s "
			       "(%u KB)",
			       addr, len, n->chip.name, n->chip.size >> 10);
	p.addr = addr;
	p.end = addr + (uint32_t)len;
	p.buf = buf;
	p.unit = n->chip.erase[0].size;
	p.lo = addr - addr % p.unit;
	p.nunits = (p.end - p.lo + p.unit - 1) / p.unit;
	st->sectors_touched = p.nunits;
	err = plan_alloc(&p);
	if (!err)
		err = ub_nor_read_status(n);
	if (err)
		goto free_plan;
	/* two passes: what the flash holds, then what it needs */
	ub_progress_begin(n->progress, "compare", p.nunits * p.unit);
	err = survey(n, &p, st);
	ub_progress_end(n->progress, err);
	if (err)
		goto free_plan;
	ub_progress_begin(n->progress, "write", len);
	err = execute(n, &p, st);
	ub_progress_end(n->progress, err);
free_plan:
	plan_free(&p);
	return err;
}
