// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Running a restore's plan (ub/restore.h), step by step. Every step can be
 * run again after an interruption: writes skip what already holds the
 * right bytes (ops.c, spinor.c), protection changes only where it differs.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ub/backup.h"
#include "ub/err.h"
#include "ub/gpio.h"
#include "ub/log.h"
#include "ub/ops.h"
#include "ub/restore.h"

const char *ub_rs_result_name(enum ub_rs_result res)
{
	static const char *const names[] = {
		[UB_RS_PENDING] = "not reached", [UB_RS_SKIPPED] = "skipped",
		[UB_RS_UNCHANGED] = "unchanged", [UB_RS_WRITTEN] = "written",
		[UB_RS_VERIFIED] = "verified",	 [UB_RS_FAILED] = "FAILED",
	};

	return res <= UB_RS_FAILED ? names[res] : "?";
}

/* Does the plan write the companion flash? Its protection is in the way
 * only then; the backup reads it only then. */
static bool writes_spi(const struct ub_restore *r)
{
	for (unsigned i = 0; i < r->npiece; i++)
		if (r->piece[i].space == UB_SPACE_SPI && r->piece[i].len &&
		    !r->piece[i].preserved)
			return true;
	for (unsigned i = 0; i < r->nstep; i++) {
		struct ub_where w;

		if (r->step[i].verb == UB_RS_ERASE &&
		    !ub_where_parse(r->step[i].arg, r->s->board, &w) &&
		    w.space == UB_SPACE_SPI)
			return true;
	}
	ub_clear_error();
	return false;
}

static bool writes_mcu(const struct ub_restore *r)
{
	for (unsigned i = 0; i < r->npiece; i++)
		if (r->piece[i].space == UB_SPACE_MCU && r->piece[i].len &&
		    !r->piece[i].options)
			return true;
	return false;
}

static int do_backup(struct ub_restore *r)
{
	struct ub_session *s = r->s;
	struct ub_backup_src src = {
		.t = s->t, .b = s->board, .iface = s->iface};
	int err = 0;

	if (r->ctx->no_backup) {
		ub_log(UB_LOG_NORMAL, "no backup (--no-backup)");
		return 0;
	}
	if (writes_spi(r))
		err = ub_restore_spi_backup(r, &src.nor);
	if (!err)
		err = ub_backup_save(&src, NULL, r->backup_dir,
				     sizeof(r->backup_dir));
	if (err)
		return ub_fail(err,
			       "%s; nothing was changed (--no-backup skips the "
			       "backup)",
			       ub_errmsg(err));
	snprintf(r->ctx->backup_dir, sizeof(r->ctx->backup_dir), "%s",
		 r->backup_dir);
	ub_log(UB_LOG_NORMAL, "backup saved in %s", r->backup_dir);
	return 0;
}

/* Readout protection, removed only when the restore writes the MCU: the
 * chip erases its whole flash to do it, so it is asked first. */
static int remove_rdp(struct ub_restore *r, bool asked)
{
	struct ub_target *t = r->s->t;
	int err;

	if (!t->info.rdp || (!asked && !writes_mcu(r)))
		return 0;
	err = ub_cli_confirm(r->ctx,
			     "Readout protection is on: removing it ERASES "
			     "THE WHOLE FLASH (the chip does it).",
			     "erase");
	if (!err)
		err = t->ops->unprotect(t, UB_PROTECT_RDP | UB_PROTECT_WRP);
	if (!err)
		ub_log(UB_LOG_NORMAL, "readout protection removed; the flash "
				      "is erased");
	return err;
}

static void mcu_image(struct ub_rs_piece *p, struct ub_image *img,
		      struct ub_segment *seg)
{
	memset(img, 0, sizeof(*img));
	seg->addr = p->addr;
	seg->size = p->len;
	seg->data = p->data;
	img->format = UB_FMT_BIN;
	img->seg = seg;
	img->nseg = 1;
}

/* Is write protection in the way: does a piece on a protected page differ
 * from the chip? (A second run finds them done: protection stays.) */
static bool wrp_in_the_way(struct ub_restore *r)
{
	struct ub_target *t = r->s->t;

	for (unsigned i = 0; i < r->npiece; i++) {
		struct ub_rs_piece *p = &r->piece[i];
		struct ub_segment seg;
		struct ub_image img;
		bool prot = false;

		if (p->space != UB_SPACE_MCU || !p->len || p->options)
			continue;
		for (uint64_t a = p->addr; a < (uint64_t)p->addr + p->len;
		     a += t->info.page_size)
			prot |= ub_target_page_protected(t, (uint32_t)a);
		mcu_image(p, &img, &seg);
		if (prot && ub_op_verify_image(t, &img)) {
			ub_clear_error();
			return true;
		}
	}
	return false;
}

static int do_unprotect(struct ub_restore *r, const char *what)
{
	struct ub_target *t = r->s->t;
	int err;

	if (!strcmp(what, "spi"))
		return writes_spi(r) ? ub_restore_spi_unprotect(r) : 0;
	err = remove_rdp(r, !strcmp(what, "rdp"));
	if (err || t->info.rdp || t->info.wrp == 0xFFFFFFFF)
		return err;
	if (!wrp_in_the_way(r)) {
		ub_info("write protection left on: the protected pages "
			"already hold what the restore writes there");
		return 0;
	}
	err = t->ops->unprotect(t, UB_PROTECT_WRP);
	if (!err)
		ub_log(UB_LOG_NORMAL, "write protection removed");
	return err;
}

static int write_piece(struct ub_restore *r, struct ub_rs_piece *p)
{
	struct ub_write_stats st;
	struct ub_segment seg;
	struct ub_image img;
	int err;

	if (!p->len)
		return 0; /* skipped: the note says why */
	if (p->space == UB_SPACE_SPI) {
		err = ub_restore_spi_write(r, p);
	} else {
		mcu_image(p, &img, &seg);
		err = ub_op_write_image(r->s->t, &img, &st);
		p->programmed = st.bytes_programmed;
		p->result = st.bytes_programmed || st.pages_erased
				    ? UB_RS_WRITTEN
				    : UB_RS_UNCHANGED;
	}
	if (err) {
		p->result = UB_RS_FAILED;
		snprintf(p->note, sizeof(p->note), "%s", ub_errmsg(err));
		return ub_fail(err, "%s: %s", p->name, ub_errmsg(err));
	}
	p->changed |= p->result == UB_RS_WRITTEN;
	ub_info("%s: %s (%llu bytes programmed)", p->name,
		ub_rs_result_name(p->result),
		(unsigned long long)p->programmed);
	return 0;
}

static int verify_piece(struct ub_restore *r, struct ub_rs_piece *p)
{
	struct ub_target_info *in = &r->s->t->info;
	struct ub_segment seg;
	struct ub_image img;
	int err = 0;

	if (p->result != UB_RS_WRITTEN && p->result != UB_RS_UNCHANGED)
		return 0;
	if (p->options) {
		uint32_t want = p->data[8] | p->data[10] << 8 |
				p->data[12] << 16 | (uint32_t)p->data[14] << 24;

		if (in->wrp != want)
			err = ub_fail(UB_EVERIFY,
				      "the write protection is 0x%08X, the "
				      "backup's 0x%08X",
				      in->wrp, want);
	} else if (p->space == UB_SPACE_SPI) {
		err = ub_restore_spi_verify(r, p);
	} else {
		mcu_image(p, &img, &seg);
		err = ub_op_verify_image(r->s->t, &img);
	}
	p->result = err ? UB_RS_FAILED : UB_RS_VERIFIED;
	if (err)
		snprintf(p->note, sizeof(p->note), "%s", ub_errmsg(err));
	return err;
}

static int do_verify(struct ub_restore *r, unsigned at)
{
	int first = 0;

	for (unsigned i = 0; i < r->npiece; i++) {
		int err;

		if (r->piece[i].order > at)
			continue;
		err = verify_piece(r, &r->piece[i]);
		if (err && !first)
			first = err;
		ub_clear_error();
	}
	for (unsigned i = 0; first && i < r->npiece; i++)
		if (r->piece[i].result == UB_RS_FAILED)
			return ub_fail(first, "verify: %s: %s",
				       r->piece[i].name, r->piece[i].note);
	return first;
}

static bool all_protected(const struct ub_target *t, uint32_t addr,
			  uint32_t len)
{
	for (uint64_t a = addr; a < (uint64_t)addr + len;
	     a += t->info.page_size)
		if (!ub_target_page_protected(t, (uint32_t)a))
			return false;
	return true;
}

static int do_protect(struct ub_restore *r, const char *region)
{
	struct ub_target *t = r->s->t;
	struct ub_where w;
	int err = ub_where_parse(region, r->s->board, &w);

	if (err)
		return err;
	if (w.space == UB_SPACE_SPI)
		return writes_spi(r) ? ub_restore_spi_protect(r) : 0;
	if (!w.has_len)
		w.len = t->info.flash_size;
	if (all_protected(t, w.addr, w.len))
		return 0;
	err = t->ops->protect(t, UB_PROTECT_WRP, w.addr, w.len);
	if (!err)
		ub_log(UB_LOG_NORMAL, "%s write-protected again", region);
	return err;
}

/* A backup's write protection, block by block as its option bytes say. */
static int do_options(struct ub_restore *r, struct ub_rs_piece *p)
{
	struct ub_target *t = r->s->t;
	const struct ub_target_info *in = &t->info;
	uint32_t want = p->data[8] | p->data[10] << 8 | p->data[12] << 16 |
			(uint32_t)p->data[14] << 24;
	uint32_t block = in->wrp_pages * in->page_size;
	int err = 0;

	if (p->data[0] != 0xA5)
		ub_warn("the backup's chip had readout protection on; it is "
			"left off ('unbrick protect read' turns it on)");
	for (int i = 2; i < 8; i += 2)
		if (p->data[i] != in->option[i])
			ub_warn("option byte %s is 0x%02X, the backup's "
				"0x%02X: "
				"unbrick does not write the user and data "
				"option bytes",
				i == 2	 ? "USER"
				: i == 4 ? "Data0"
					 : "Data1",
				in->option[i], p->data[i]);
	p->result = UB_RS_UNCHANGED;
	if (in->wrp == want)
		return 0;
	if (~in->wrp & want) /* a block protected now, not in the backup */
		err = t->ops->unprotect(t, UB_PROTECT_WRP);
	/* one call per run of protected blocks (each rewrites the option
	 * bytes and resets the chip) */
	for (unsigned bit = 0; !err && bit < 32; bit++) {
		uint64_t addr = in->flash_base + (uint64_t)bit * block;
		uint64_t end = in->flash_base + (uint64_t)in->flash_size;
		unsigned n = 0;

		while (bit + n < 32 && !(want >> (bit + n) & 1))
			n++;
		if (!n || addr >= end)
			continue;
		err = t->ops->protect(
			t, UB_PROTECT_WRP, (uint32_t)addr,
			(uint32_t)(addr + (uint64_t)n * block > end
					   ? end - addr
					   : (uint64_t)n * block));
		bit += n - 1;
	}
	p->result = err ? UB_RS_FAILED : UB_RS_WRITTEN;
	p->changed = !err;
	return err;
}

static int do_sequence(struct ub_restore *r, const char *name)
{
	return ub_session_sequence(r->s, name);
}

static int do_reset(struct ub_restore *r, const char *how)
{
	struct ub_target *t = r->s->t;

	if (!strcmp(how, "bootloader"))
		return ub_session_to_bootloader(r->s);
	r->reset_done = true;
	return t->ops->reset(t, strcmp(how, "halt") ? UB_RESET_RUN
						    : UB_RESET_HALT);
}

static int do_erase(struct ub_restore *r, const char *region)
{
	struct ub_where w;
	int err = ub_where_parse(region, r->s->board, &w);

	if (err)
		return err;
	if (w.space == UB_SPACE_SPI)
		return ub_restore_spi_erase(r, w.addr, w.len);
	if (!w.has_len)
		w.len = r->s->t->info.flash_size;
	return ub_op_erase(r->s->t, w.addr, w.len);
}

static int run_step(struct ub_restore *r, unsigned i)
{
	struct ub_rs_step *st = &r->step[i];
	struct ub_rs_piece *p = st->piece >= 0 ? &r->piece[st->piece] : NULL;
	int err = 0;

	switch (st->verb) {
	case UB_RS_CHECK:
		return 0; /* done first, in any case */
	case UB_RS_BACKUP:
		return do_backup(r);
	case UB_RS_UNPROTECT:
		return do_unprotect(r, st->arg);
	case UB_RS_ERASE:
		return do_erase(r, st->arg);
	case UB_RS_WRITE:
	case UB_RS_SET:
		return p ? write_piece(r, p) : 0;
	case UB_RS_PRESERVE:
		for (unsigned k = 0; !err && k < r->npiece; k++)
			if (r->piece[k].preserved)
				err = write_piece(r, &r->piece[k]);
		return err;
	case UB_RS_PROTECT:
		return do_protect(r, st->arg);
	case UB_RS_OPTIONS:
		return p ? do_options(r, p) : 0;
	case UB_RS_VERIFY:
		return do_verify(r, i);
	case UB_RS_SEQUENCE:
		return do_sequence(r, st->arg);
	case UB_RS_RESET:
		return do_reset(r, st->arg);
	}
	return 0;
}

/* Steps that change the chip: the preserve list is read before the first
 * of them. */
static bool changes(enum ub_rs_verb v)
{
	return v != UB_RS_CHECK && v != UB_RS_BACKUP && v != UB_RS_VERIFY;
}

int ub_restore_run(struct ub_restore *r)
{
	int err = ub_restore_check(r);

	for (unsigned i = 0; !err && i < r->nstep; i++) {
		if (ub_stop_requested())
			err = ub_fail(UB_EINTR,
				      "interrupted before step %u of %u: run "
				      "the same restore again to finish it",
				      i + 1, r->nstep);
		if (!err && changes(r->step[i].verb) && !r->captured)
			err = ub_restore_capture(r);
		if (!err)
			err = run_step(r, i);
		if (err)
			r->failed_step = (int)i;
	}
	if (!err)
		ub_restore_done(r);
	return err;
}
