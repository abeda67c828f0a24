// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The preserve list (a licence word, keys): read before the first change,
 * saved in a pending directory beside the backups so that a restore cut
 * short can be finished by running it again (the chip may by then hold
 * the bundle's bytes there), and written back. What the bundle names
 * inside a preserved region (server-key inside keys) is the bundle's; what
 * a larger region of the bundle covers (dfu over the licence) is kept.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ub/backup.h"
#include "ub/err.h"
#include "ub/log.h"
#include "ub/ops.h"
#include "ub/restore.h"

static bool overlap(const struct ub_rs_piece *a, const struct ub_rs_piece *b)
{
	return a->space == b->space && a->len && b->len && !a->options &&
	       !b->options && a->addr < (uint64_t)b->addr + b->len &&
	       b->addr < (uint64_t)a->addr + a->len;
}

/* Copy what b holds over a's bytes where they overlap. */
static void apply(struct ub_rs_piece *a, const struct ub_rs_piece *b)
{
	uint32_t lo = a->addr > b->addr ? a->addr : b->addr;
	uint64_t ea = (uint64_t)a->addr + a->len,
		 eb = (uint64_t)b->addr + b->len;
	uint64_t hi = ea < eb ? ea : eb;

	memcpy(a->data + (lo - a->addr), b->data + (lo - b->addr), hi - lo);
}

/*
 * Each piece ends up holding what the chip must hold at the end: the
 * pieces of later steps written over it. Writing a region then already
 * puts the preserved bytes in place, and a second run finds it unchanged.
 */
static void resolve(struct ub_restore *r)
{
	for (unsigned i = 0; i < r->npiece; i++)
		for (unsigned t = r->piece[i].order + 1; t < r->nstep; t++)
			for (unsigned j = 0; j < r->npiece; j++)
				if (r->piece[j].order == t &&
				    overlap(&r->piece[i], &r->piece[j]))
					apply(&r->piece[i], &r->piece[j]);
}

static int preserve_step(const struct ub_restore *r)
{
	for (unsigned i = 0; i < r->nstep; i++)
		if (r->step[i].verb == UB_RS_PRESERVE)
			return (int)i;
	return -1;
}

static int pending_dir(struct ub_restore *r)
{
	const struct ub_target_info *in = &r->s->t->info;
	char base[3800], uid[25];
	int err = ub_backup_base(base, sizeof(base));

	for (int i = 0; i < 12; i++)
		snprintf(uid + 2 * i, 3, "%02X", in->uid[i]);
	snprintf(r->pending, sizeof(r->pending), "%s/pending-%s-%s", base,
		 r->s->board->name, uid);
	return err;
}

/* Read a preserved region from the chip. */
static int read_region(struct ub_restore *r, const struct ub_region *g,
		       uint8_t *buf)
{
	struct ub_target *t = r->s->t;

	if (g->space == UB_SPACE_SPI)
		return ub_restore_spi_read(r, g->addr, buf, g->size);
	if (t->info.rdp)
		return ub_fail(UB_EPROTECTED,
			       "%s cannot be read: readout protection is on",
			       g->name);
	return ub_op_read(t, g->addr, buf, g->size);
}

static struct ub_rs_piece *new_piece(struct ub_restore *r,
				     const struct ub_region *g, unsigned order)
{
	struct ub_rs_piece *p;

	if (r->npiece == UB_RS_MAX_PIECES)
		return NULL;
	p = &r->piece[r->npiece];
	memset(p, 0, sizeof(*p));
	p->data = malloc(g->size ? g->size : 1);
	if (!p->data)
		return NULL;
	r->npiece++;
	snprintf(p->name, sizeof(p->name), "%s", g->name);
	snprintf(p->file, sizeof(p->file), "(kept)");
	p->space = g->space;
	p->addr = g->addr;
	p->len = g->size;
	p->order = order;
	p->preserved = true;
	return p;
}

static bool blank(const uint8_t *b, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (b[i] != 0xFF)
			return false;
	return true;
}

/* The bundle's own files for regions inside p win over what is kept. */
static void bundle_inside(struct ub_restore *r, struct ub_rs_piece *p)
{
	for (unsigned i = 0; i < r->npiece; i++) {
		const struct ub_rs_piece *w = &r->piece[i];

		if (!w->preserved && w->file[0] && overlap(p, w) &&
		    w->addr >= p->addr &&
		    (uint64_t)w->addr + w->len <= (uint64_t)p->addr + p->len)
			apply(p, w);
	}
}

/* The preserve list's bytes from the pending directory of a restore cut
 * short: 1 when found. */
static int from_pending(struct ub_restore *r, unsigned order)
{
	const struct ub_board *b = r->s->board;
	struct ub_manifest *m = calloc(1, sizeof(*m));
	int err = 0;

	if (!m)
		return ub_fail(UB_ENOMEM, "out of memory");
	if (access(r->pending, F_OK) || ub_manifest_load(m, r->pending)) {
		ub_clear_error();
		free(m);
		return 0;
	}
	ub_log(UB_LOG_NORMAL,
	       "finishing a restore that was cut short: what the preserve "
	       "list keeps comes from %s, saved before it began",
	       r->pending);
	for (unsigned i = 0; !err && i < b->npreserve; i++) {
		const struct ub_region *g = ub_board_region(b, b->preserve[i]);
		const struct ub_mf_file *f = ub_manifest_region(m, g->name);
		struct ub_rs_piece *p;
		uint8_t *buf;
		size_t len;

		if (!f) {
			ub_warn("%s was not saved before (it could not be "
				"read then): it is not kept",
				g->name);
			continue;
		}
		err = ub_manifest_read(m, f, &buf, &len);
		if (!err && len != g->size)
			err = ub_fail(UB_EFORMAT,
				      "%s/%s: %zu bytes, region %s "
				      "has %u",
				      r->pending, f->name, len, g->name,
				      g->size);
		p = err ? NULL : new_piece(r, g, order);
		if (!err && !p)
			err = ub_fail(UB_ENOMEM, "out of memory");
		if (!err)
			memcpy(p->data, buf, len);
		free(buf);
	}
	free(m);
	return err ? err : 1;
}

/* Read the preserve list from the chip and save it in pending. */
static int from_chip(struct ub_restore *r, unsigned order)
{
	const struct ub_board *b = r->s->board;
	struct ub_manifest *m = calloc(1, sizeof(*m));
	int err = 0;

	if (!m)
		return ub_fail(UB_ENOMEM, "out of memory");
	m->kind = UB_MF_BACKUP;
	snprintf(m->board, sizeof(m->board), "%s", b->name);
	snprintf(m->variant, sizeof(m->variant),
		 "what the preserve list kept, while a restore runs");
	memcpy(m->uid, r->s->t->info.uid, sizeof(m->uid));
	m->has_uid = true;
	snprintf(m->dir, sizeof(m->dir), "%s", r->pending);
	if (mkdir(r->pending, 0700) && errno != EEXIST)
		err = ub_fail(UB_EIO, "cannot create %s: %s", r->pending,
			      strerror(errno));
	for (unsigned i = 0; !err && i < b->npreserve; i++) {
		const struct ub_region *g = ub_board_region(b, b->preserve[i]);
		struct ub_rs_piece *p = new_piece(r, g, order);
		char name[UB_NAME_MAX + 8];

		if (!p) {
			err = ub_fail(UB_ENOMEM, "out of memory");
			break;
		}
		err = read_region(r, g, p->data);
		if (err) {
			/* nothing to keep is better than a wrong guess */
			ub_warn("%s is not kept: %s", g->name, ub_errmsg(err));
			ub_clear_error();
			p->len = 0;
			p->result = UB_RS_SKIPPED;
			snprintf(p->note, sizeof(p->note), "could not be read");
			err = 0;
			continue;
		}
		snprintf(name, sizeof(name), "%s.bin", g->name);
		err = ub_manifest_add(m, name, g->name,
				      g->space == UB_SPACE_SPI ? UB_MF_SPI
							       : UB_MF_MCU,
				      g->addr, p->data, g->size);
	}
	if (!err)
		err = ub_manifest_save(m);
	free(m);
	return err;
}

int ub_restore_capture(struct ub_restore *r)
{
	int at = preserve_step(r), err = 0;
	unsigned first = r->npiece;

	r->captured = true;
	if (at >= 0 && r->s->board->npreserve) {
		err = pending_dir(r);
		if (!err)
			err = from_pending(r, (unsigned)at);
		if (!err)
			err = from_chip(r, (unsigned)at);
		else if (err > 0) /* found */
			err = 0;
	}
	for (unsigned i = first; !err && i < r->npiece; i++) {
		struct ub_rs_piece *p = &r->piece[i];

		if (p->len && blank(p->data, p->len)) {
			p->len = 0;
			p->result = UB_RS_SKIPPED;
			snprintf(p->note, sizeof(p->note),
				 "blank on the chip, nothing to keep");
		}
		if (p->len)
			bundle_inside(r, p);
	}
	if (!err)
		resolve(r);
	return err;
}

/* The restore is complete: what was kept is in place, pending goes. */
void ub_restore_done(struct ub_restore *r)
{
	struct dirent *e;
	DIR *d;

	if (!r->pending[0] || !(d = opendir(r->pending)))
		return;
	while ((e = readdir(d))) {
		char path[4400];

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", r->pending, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(r->pending);
}
