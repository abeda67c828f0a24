// SPDX-License-Identifier: GPL-2.0-or-later
/* Generic operations on a target's flash: plan, erase, program (verify is
 * in ops_verify.c). */
#include <stdlib.h>
#include <string.h>

#include "ub/crc32.h"
#include "ub/err.h"
#include "ub/ops.h"

#define PAGE_RETRIES 2
#define READ_CHUNK   4096
#define BATCH_BYTES  32768 /* pages planned, erased, programmed together */

/* The pages of one batch: what they need, and their new content; the CRC
 * of every page of the flash as it was (when the target can tell). */
struct batch {
	uint32_t pages; /* at most */
	uint8_t *old, *want, *action;
	uint32_t *crc;	/* per page of the flash... */
	uint8_t *known; /* ...where the target could tell it */
	uint32_t blank; /* the CRC of an erased page */
};

/* The CRCs of blocks of a range, when the target computes them. */
static int target_crc(struct ub_target *t, uint32_t addr, uint32_t len,
		      uint32_t block, uint32_t *crc)
{
	if (!t->ops->crc32)
		return UB_EUNSUPPORTED;
	return t->ops->crc32(t, addr, len, block, crc);
}

bool ub_target_page_protected(const struct ub_target *t, uint32_t addr)
{
	const struct ub_target_info *in = &t->info;
	uint32_t page = (addr - in->flash_base) / in->page_size;
	uint32_t bit = in->wrp_pages ? page / in->wrp_pages : 0;

	if (bit > 31)
		bit = 31; /* high density: the last bit covers the rest */
	return !(in->wrp >> bit & 1);
}

static uint64_t flash_end(const struct ub_target *t)
{
	return (uint64_t)t->info.flash_base + t->info.flash_size;
}

int ub_op_check_image(const struct ub_target *t, const struct ub_image *img)
{
	if (!img->nseg)
		return ub_fail(UB_EFORMAT, "the image holds no data");
	for (size_t i = 0; i < img->nseg; i++) {
		const struct ub_segment *s = &img->seg[i];
		uint64_t end = (uint64_t)s->addr + s->size;

		if (s->addr < t->info.flash_base || end > flash_end(t))
			return ub_fail(UB_ERANGE,
				       "the image has data at 0x%08X-0x%08X, "
				       "outside the %u KB flash (0x%08X-"
				       "0x%08X): wrong image, or a raw binary "
				       "placed at the wrong address?",
				       s->addr, (uint32_t)(end - 1),
				       t->info.flash_size / 1024,
				       t->info.flash_base,
				       (uint32_t)(flash_end(t) - 1));
	}
	if (t->info.rdp)
		return ub_fail(
			UB_EPROTECTED,
			"readout protection is on: the flash can be "
			"neither read nor written. 'unbrick unprotect read' "
			"removes it and ERASES the whole flash");
	return 0;
}

/* The image's bytes that fall in [addr, addr + len) into buf (if not NULL);
 * returns how many bytes it covers there. */
static uint32_t overlay(const struct ub_image *img, uint32_t addr, uint32_t len,
			uint8_t *buf)
{
	uint64_t end = (uint64_t)addr + len;
	uint32_t covered = 0;

	for (size_t i = 0; i < img->nseg; i++) {
		const struct ub_segment *s = &img->seg[i];
		uint64_t lo = s->addr > addr ? s->addr : addr;
		uint64_t hi = (uint64_t)s->addr + s->size < end
				      ? (uint64_t)s->addr + s->size
				      : end;

		if (lo >= hi)
			continue;
		if (buf)
			memcpy(buf + (lo - addr), s->data + (lo - s->addr),
			       hi - lo);
		covered += (uint32_t)(hi - lo);
	}
	return covered;
}

/* Can old become new by programming alone (only blank halfwords change)? */
static bool programmable(const uint8_t *old, const uint8_t *new, uint32_t n)
{
	for (uint32_t i = 0; i < n; i += 2)
		if ((old[i] != new[i] || old[i + 1] != new[i + 1]) &&
		    (old[i] != 0xFF || old[i + 1] != 0xFF))
			return false;
	return true;
}

/* A wire fault or a timeout may pass: the pages are looked at again and
 * only what is still missing is done. */
static bool transient(int err)
{
	return err == UB_EPROTO || err == UB_ETIMEOUT;
}

/* What a page needs, each what the one before does and more */
enum { KEEP, PROGRAM, ERASE };

/*
 * What is on page p now, into old: known to be blank, or the same as the
 * image wants (its CRC says so: *same), or read.
 */
static int page_now(struct ub_target *t, const struct ub_image *img, uint32_t p,
		    const struct batch *b, uint8_t *old, uint8_t *want,
		    bool *same)
{
	uint32_t ps = t->info.page_size;
	uint32_t k = (p - t->info.flash_base) / ps;

	*same = false;
	if (b->known[k] && b->crc[k] == b->blank) {
		memset(old, 0xFF, ps);
		return 0;
	}
	if (b->known[k] && overlay(img, p, ps, NULL) == ps) {
		overlay(img, p, ps, want);
		*same = ub_crc32(0, want, ps) == b->crc[k];
		if (*same)
			return 0;
	}
	return t->ops->read(t, p, old, ps);
}

/*
 * Decide what page p needs to hold what the image wants there (what the
 * image leaves out of the page is kept): nothing, programming of the
 * halfwords that change (want then holds them, 0xFF elsewhere), or an erase
 * first.
 */
static int plan_page(struct ub_target *t, const struct ub_image *img,
		     uint32_t p, const struct batch *b, uint8_t *old,
		     uint8_t *want, uint8_t *action, struct ub_write_stats *st)
{
	uint32_t ps = t->info.page_size;
	bool same;
	int err = page_now(t, img, p, b, old, want, &same);

	*action = KEEP;
	if (err)
		return err;
	if (!same) {
		memcpy(want, old, ps);
		overlay(img, p, ps, want);
		same = !memcmp(old, want, ps);
	}
	if (same) {
		st->pages_unchanged++;
		return 0;
	}
	if (ub_target_page_protected(t, p))
		return ub_fail(UB_EPROTECTED,
			       "page 0x%08X is write-protected: run 'unbrick "
			       "unprotect' first (a backup is made)",
			       p);
	*action = PROGRAM;
	if (!programmable(old, want, ps)) {
		*action = ERASE;
		memset(old, 0xFF, ps);
		st->pages_erased++;
	}
	/* what the page holds already is not programmed again */
	for (uint32_t i = 0; i < ps; i += 2) {
		if (old[i] == want[i] && old[i + 1] == want[i + 1])
			want[i] = want[i + 1] = 0xFF;
		else
			st->bytes_programmed += 2;
	}
	return 0;
}

/* The CRCs of the n pages from p, where the target can tell them (the
 * others are read). */
static void survey(struct ub_target *t, uint32_t p, uint32_t n, struct batch *b)
{
	uint32_t ps = t->info.page_size;
	uint32_t k = (p - t->info.flash_base) / ps;
	int err = target_crc(t, p, n * ps, ps, b->crc + k);

	if (err)
		ub_clear_error();
	memset(b->known + k, !err, n);
}

/* The CRCs of every run of pages the image touches, at once. */
static void survey_image(struct ub_target *t, const struct ub_image *img,
			 struct batch *b)
{
	uint32_t ps = t->info.page_size;

	for (uint32_t p = t->info.flash_base, n; p < flash_end(t);
	     p += (n ? n : 1) * ps) {
		for (n = 0; p + (uint64_t)n * ps < flash_end(t) &&
			    overlay(img, p + n * ps, ps, NULL);
		     n++)
			;
		if (n)
			survey(t, p, n, b);
	}
}

/*
 * When the image covers the whole flash and no page holds what it wants or
 * is blank (their CRCs say), every page needs an erase: one mass erase does
 * them all at the cost of one (RM0008: 20-40 ms, a page the same).
 */
static int erase_all_at_once(struct ub_target *t, const struct ub_image *img,
			     struct batch *b, struct ub_write_stats *st)
{
	uint32_t ps = t->info.page_size, n = t->info.flash_size / ps;
	int err;

	for (uint32_t k = 0; k < n; k++) {
		uint32_t p = t->info.flash_base + k * ps;

		if (!b->known[k] || b->crc[k] == b->blank ||
		    ub_target_page_protected(t, p) ||
		    overlay(img, p, ps, b->want) != ps ||
		    ub_crc32(0, b->want, ps) == b->crc[k])
			return 0;
	}
	err = t->ops->mass_erase(t);
	if (!err) {
		for (uint32_t k = 0; k < n; k++)
			b->crc[k] = b->blank;
		st->pages_erased += n;
	}
	return err;
}

/* How many pages from k on need at least what (ERASE: an erase; PROGRAM:
 * programming, after an erase or not). */
static uint32_t run(const uint8_t *action, uint32_t k, uint32_t n, int what)
{
	uint32_t m = 0;

	while (k + m < n && action[k + m] >= what)
		m++;
	return m;
}

/* n pages from p, each whole: their plans (by their CRCs when known), the
 * erases, and the programming in runs of pages. */
static int write_batch(struct ub_target *t, const struct ub_image *img,
		       uint32_t p, uint32_t n, struct batch *b,
		       struct ub_write_stats *st)
{
	uint32_t ps = t->info.page_size;
	int err = 0;

	for (uint32_t k = 0; !err && k < n; k++)
		err = plan_page(t, img, p + k * ps, b, b->old, b->want + k * ps,
				&b->action[k], st);
	for (uint32_t k = 0, m; !err && k < n; k += m ? m : 1) {
		m = run(b->action, k, n, ERASE);
		if (m)
			err = t->ops->erase(t, p + k * ps, m * ps);
	}
	for (uint32_t k = 0, m; !err && k < n; k += m ? m : 1) {
		m = run(b->action, k, n, PROGRAM);
		if (m)
			err = t->ops->program(t, p + k * ps, b->want + k * ps,
					      m * ps);
	}
	return err;
}

static int batch_alloc(struct ub_target *t, struct batch *b)
{
	uint32_t ps = t->info.page_size;
	uint32_t n = BATCH_BYTES / ps ? BATCH_BYTES / ps : 1;

	b->pages = n;
	b->old = malloc(ps);
	b->want = malloc((size_t)n * ps);
	b->crc = malloc(t->info.flash_size / ps * sizeof(*b->crc));
	b->known = calloc(t->info.flash_size / ps, 1);
	b->action = malloc(n);
	if (!b->old || !b->want || !b->crc || !b->known || !b->action)
		return ub_fail(UB_ENOMEM, "out of memory");
	memset(b->want, 0xFF, ps);
	b->blank = ub_crc32(0, b->want, ps);
	return 0;
}

static void batch_free(struct batch *b)
{
	free(b->old);
	free(b->want);
	free(b->crc);
	free(b->known);
	free(b->action);
}

int ub_op_write_image(struct ub_target *t, const struct ub_image *img,
		      struct ub_write_stats *st)
{
	uint32_t ps = t->info.page_size, base = t->info.flash_base;
	struct batch b = {0};
	int err = ub_op_check_image(t, img);
	bool erased_all = false;
	uint64_t done = 0;

	memset(st, 0, sizeof(*st));
	if (!err)
		err = batch_alloc(t, &b);
	if (err)
		goto free_batch;
	ub_progress_begin(t->progress, "write", ub_image_size(img));
	survey_image(t, img, &b);
	err = erase_all_at_once(t, img, &b, st);
	erased_all = !err && st->pages_erased;
	if (transient(err)) { /* look again: the batches do what is left */
		st->retries++;
		survey_image(t, img, &b);
		err = 0;
	}
	for (uint32_t p = base, n; !err && p < flash_end(t); p += n * ps) {
		uint32_t covered = 0;

		/* the pages the image touches from p on, at most a batch */
		for (n = 0; n < b.pages && p + (uint64_t)n * ps < flash_end(t);
		     n++) {
			uint32_t c = overlay(img, p + n * ps, ps, NULL);

			if (!c)
				break;
			covered += c;
		}
		if (!n) {
			n = 1;
			continue;
		}
		st->pages_touched += n;
		if (ub_stop_requested()) {
			err = ub_fail(UB_EINTR,
				      "interrupted before page 0x%08X: the "
				      "pages before it hold the image, the "
				      "rest is %s; run the same write again "
				      "to finish",
				      p, erased_all ? "erased" : "as it was");
			break;
		}
		err = write_batch(t, img, p, n, &b, st);
		for (int i = 0; transient(err) && i < PAGE_RETRIES; i++) {
			st->retries++;
			survey(t, p, n, &b);
			err = write_batch(t, img, p, n, &b, st);
		}
		done += covered;
		ub_progress_update(t->progress, done);
	}
	ub_progress_end(t->progress, err);
free_batch:
	batch_free(&b);
	return err;
}

int ub_op_erase(struct ub_target *t, uint32_t addr, uint32_t len)
{
	uint32_t ps = t->info.page_size, base = t->info.flash_base;
	uint32_t lo = addr - (addr - base) % ps;
	uint64_t hi = (uint64_t)addr + len;

	if (addr < base || hi > flash_end(t) || !len)
		return ub_fail(UB_ERANGE, "0x%08X+%u is not inside the flash",
			       addr, len);
	hi = base + (hi - base + ps - 1) / ps * ps;
	for (uint32_t p = lo; p < hi; p += ps)
		if (ub_target_page_protected(t, p))
			return ub_fail(UB_EPROTECTED,
				       "page 0x%08X is write-protected: run "
				       "'unbrick unprotect' first",
				       p);
	if (lo == base && hi == flash_end(t))
		return t->ops->mass_erase(t);
	return t->ops->erase(t, lo, (size_t)(hi - lo));
}

int ub_op_read(struct ub_target *t, uint32_t addr, void *buf, size_t len)
{
	uint8_t *p = buf;
	int err = 0;

	ub_progress_begin(t->progress, "read", len);
	for (size_t done = 0; !err && done < len; done += READ_CHUNK) {
		size_t n = len - done < READ_CHUNK ? len - done : READ_CHUNK;

		if (ub_stop_requested())
			err = ub_fail(UB_EINTR,
				      "interrupted while reading "
				      "0x%08X: nothing was changed",
				      addr + (uint32_t)done);
		else
			err = t->ops->read(t, addr + (uint32_t)done, p + done,
					   n);
		ub_progress_update(t->progress, done + n);
	}
	ub_progress_end(t->progress, err);
	return err;
}
