// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SPI NOR flash: the planned write. The range is cut into units of the
 * smallest erase; each is surveyed and found unchanged, program-only
 * (every wanted bit a 1 -> 0 change or equal) or needing an erase. Then,
 * window by window (64 KB or the largest erase), the runs of units that
 * need an erase are erased with the largest erases that fit, and
 * programmed with their whole new content (the bytes around the data,
 * read in the survey, put back); the program-only units get their changed
 * bytes. All of it needing an erase over the whole chip is one chip erase.
 *
 * The survey, where the bus computes CRCs next to the chip: first (units
 * of 1 KB or more) the CRC of only the first SAMPLE bytes of each
 * unit wholly inside the data. A unit whose sample is neither the data's
 * nor blank (0xFF) needs an erase and is not read further: so a chip
 * holding other data costs a 64th of a read (4 KB units), not a
 * whole one. That is conservative: an old unit whose bits the data only
 * clears could have been programmed without an erase, and is erased
 * instead (correct, a little slower; a CRC cannot tell).
 * The units left (sample equal, or blank) get the CRC of all of them, in
 * runs, and are unchanged (CRC equal), program-only (blank) or need an
 * erase. A unit the data covers only partly, or a bus without CRCs, is
 * read and compared byte by byte.
 */
#include <stdlib.h>
#include <string.h>

#include "ub/crc32.h"
#include "ub/err.h"
#include "spinor_priv.h"

#define WINDOW	     65536u
#define CRC_BATCH    256u /* unit CRCs asked for at once */
#define PROG_CHUNK   65536u
#define SAMPLE	     64u   /* bytes of a unit the first pass looks at */
#define SAMPLED_UNIT 1024u /* units at least this big are sampled first */

enum { U_SKIP, U_PROG, U_ERASE, U_ASK /* not known yet */ };

struct plan {
	uint32_t addr, end; /* the data */
	uint32_t lo, unit, nunits;
	const uint8_t *buf;
	uint8_t *act;
	uint32_t *plo, *phi;  /* U_PROG: the bytes that change */
	uint8_t *head, *tail; /* U_ERASE partial first/last unit: all of it */
	uint8_t *old;	      /* one unit, read */
	uint32_t *crc;	      /* CRC_BATCH of them, from the bus */
	bool by_crc;	      /* the bus has CRCs (none failed as missing) */
	bool crc_ok;	      /* one CRC request worked */
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

static bool whole(const struct plan *p, uint32_t u)
{
	uint32_t base = p->lo + u * p->unit;

	return base >= p->addr && base + p->unit <= p->end;
}

/* The bus's CRCs of the k units from u (of their first span bytes; 0: all
 * of each) into p->crc; a bus whose first request says it has none is
 * surveyed by reading (p->by_crc cleared). */
static int unit_crcs(struct ub_nor *n, struct plan *p, uint32_t u, uint32_t k,
		     uint32_t span)
{
	int err = ub_nor_bus_crc(n, p->lo + u * p->unit, k * p->unit, p->unit,
				 span, p->crc);

	if (err == UB_EUNSUPPORTED && !p->crc_ok) {
		p->by_crc = false;
		return 0;
	}
	if (!err)
		p->crc_ok = true;
	return err;
}

static int stop_check(const struct plan *p, uint32_t u)
{
	if (!ub_stop_requested())
		return 0;
	return ub_fail(UB_EINTR,
		       "interrupted while comparing spi:0x%06X with the "
		       "data: nothing was changed",
		       p->lo + u * p->unit);
}

/* First pass: the units whose sample differs from the data's and is not
 * blank need an erase; the others stay U_ASK. */
static int sample_pass(struct ub_nor *n, struct plan *p)
{
	uint32_t blank = blank_crc(SAMPLE);

	for (uint32_t u = 0; p->by_crc && u < p->nunits; u += CRC_BATCH) {
		uint32_t k =
			p->nunits - u < CRC_BATCH ? p->nunits - u : CRC_BATCH;
		int err = stop_check(p, u);

		if (!err)
			err = unit_crcs(n, p, u, k, SAMPLE);
		if (err)
			return err;
		for (uint32_t i = 0; p->by_crc && i < k; i++) {
			uint32_t crc = p->crc[i],
				 base = p->lo + (u + i) * p->unit;

			if (whole(p, u + i) && crc != blank &&
			    crc != ub_crc32(0, p->buf + (base - p->addr),
					    SAMPLE))
				p->act[u + i] = U_ERASE;
		}
	}
	return 0;
}

/* Units [u, u + k), wholly inside the data, by their CRCs. */
static int crc_units(struct ub_nor *n, struct plan *p, uint32_t u, uint32_t k,
		     uint32_t blank)
{
	int err = unit_crcs(n, p, u, k, 0);

	for (uint32_t i = 0; !err && p->by_crc && i < k; i++) {
		uint32_t base = p->lo + (u + i) * p->unit;
		const uint8_t *w = p->buf + (base - p->addr);

		if (p->crc[i] == ub_crc32(0, w, p->unit)) {
			p->act[u + i] = U_SKIP;
		} else if (p->crc[i] == blank) {
			p->act[u + i] = U_PROG;
			p->plo[u + i] = base;
			p->phi[u + i] = base + p->unit;
		} else {
			p->act[u + i] = U_ERASE;
		}
	}
	return err;
}

static int survey(struct ub_nor *n, struct plan *p, struct ub_nor_stats *st)
{
	uint32_t blank = blank_crc(p->unit), next = 0;
	uint32_t wunits = WINDOW / p->unit ? WINDOW / p->unit : 1;
	int err = 0;

	memset(p->act, U_ASK, p->nunits);
	p->by_crc = n->bus->ops->crc32 != NULL;
	if (p->by_crc && p->unit >= SAMPLED_UNIT)
		err = sample_pass(n, p);
	for (uint32_t u = 0; !err && u < p->nunits;) {
		uint32_t v = u + 1;

		if (u >= next) { /* a window further */
			err = stop_check(p, u);
			if (err)
				break;
			ub_progress_update(n->progress, u * p->unit);
			next = (u / wunits + 1) * wunits;
		}
		if (p->act[u] != U_ASK) {
			/* decided by its sample */
		} else if (p->by_crc && whole(p, u)) {
			while (v < p->nunits && v - u < CRC_BATCH &&
			       p->act[v] == U_ASK && whole(p, v))
				v++;
			err = crc_units(n, p, u, v - u, blank);
			if (!err && !p->by_crc)
				v = u; /* no CRCs after all: read it */
		} else {
			err = ub_nor_read_raw(n, p->lo + u * p->unit, p->old,
					      p->unit);
			if (!err)
				err = classify(p, u);
		}
		for (uint32_t i = u; !err && i < v; i++)
			st->sectors_unchanged += p->act[i] == U_SKIP;
		u = v;
	}
	return err;
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
