// SPDX-License-Identifier: GPL-2.0-or-later
/* Generic operations on a target's flash: plan, erase, program, verify. */
#include <stdlib.h>
#include <string.h>

#include "ub/err.h"
#include "ub/ops.h"

#define PAGE_RETRIES 2
#define READ_CHUNK   4096

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

/* Program only what differs from what the page holds after the erase. */
static int program_page(struct ub_target *t, uint32_t addr, const uint8_t *old,
			uint8_t *want, uint32_t n, struct ub_write_stats *st)
{
	for (uint32_t i = 0; i < n; i += 2)
		if (old[i] == want[i] && old[i + 1] == want[i + 1])
			want[i] = want[i + 1] = 0xFF; /* skipped by program */
	for (uint32_t i = 0; i < n; i += 2)
		st->bytes_programmed +=
			want[i] != 0xFF || want[i + 1] != 0xFF ? 2 : 0;
	return t->ops->program(t, addr, want, n);
}

/* Bring one page to what the image wants there. */
static int write_page(struct ub_target *t, const struct ub_image *img,
		      uint32_t p, uint8_t *old, uint8_t *want,
		      struct ub_write_stats *st)
{
	uint32_t ps = t->info.page_size;
	int err = t->ops->read(t, p, old, ps);

	if (err)
		return err;
	/* what the image leaves out of the page is kept */
	memcpy(want, old, ps);
	overlay(img, p, ps, want);
	if (!memcmp(old, want, ps)) {
		st->pages_unchanged++;
		return 0;
	}
	if (ub_target_page_protected(t, p))
		return ub_fail(UB_EPROTECTED,
			       "page 0x%08X is write-protected: run 'unbrick "
			       "unprotect' first (a backup is made)",
			       p);
	if (!programmable(old, want, ps)) {
		err = t->ops->erase(t, p, ps);
		memset(old, 0xFF, ps);
		st->pages_erased++;
	}
	return err ? err : program_page(t, p, old, want, ps, st);
}

/* A wire fault or a timeout may pass: the page is read again and only
 * what is still missing is done. */
static bool transient(int err)
{
	return err == UB_EPROTO || err == UB_ETIMEOUT;
}

int ub_op_write_image(struct ub_target *t, const struct ub_image *img,
		      struct ub_write_stats *st)
{
	uint32_t ps = t->info.page_size, base = t->info.flash_base;
	uint8_t *old = malloc(ps), *want = malloc(ps);
	int err = ub_op_check_image(t, img);
	uint64_t done = 0;

	memset(st, 0, sizeof(*st));
	if (!err && (!old || !want))
		err = ub_fail(UB_ENOMEM, "out of memory");
	if (err)
		goto free_buffers;
	ub_progress_begin(t->progress, "write", ub_image_size(img));
	for (uint32_t p = base; !err && p < flash_end(t); p += ps) {
		uint32_t covered = overlay(img, p, ps, NULL);

		if (!covered)
			continue;
		st->pages_touched++;
		if (ub_stop_requested()) {
			err = ub_fail(UB_EINTR,
				      "interrupted before page 0x%08X: the "
				      "pages before it hold the image, the "
				      "rest is as it was; run the same write "
				      "again to finish",
				      p);
			break;
		}
		err = write_page(t, img, p, old, want, st);
		for (int i = 0; transient(err) && i < PAGE_RETRIES; i++) {
			st->retries++;
			err = write_page(t, img, p, old, want, st);
		}
		done += covered;
		ub_progress_update(t->progress, done);
	}
	ub_progress_end(t->progress, err);
free_buffers:
	free(old);
	free(want);
	return err;
}

int ub_op_verify_image(struct ub_target *t, const struct ub_image *img)
{
	int err = 0;

	for (size_t i = 0; !err && i < img->nseg; i++) {
		const struct ub_segment *s = &img->seg[i];
		uint8_t *buf = malloc(s->size);

		if (!buf)
			return ub_fail(UB_ENOMEM, "out of memory");
		err = t->ops->read(t, s->addr, buf, s->size);
		for (uint32_t j = 0; !err && j < s->size; j++)
			if (buf[j] != s->data[j])
				err = ub_fail(UB_EVERIFY,
					      "verify failed at 0x%08X: the "
					      "chip holds 0x%02X, the image "
					      "0x%02X",
					      s->addr + j, buf[j], s->data[j]);
		free(buf);
	}
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
