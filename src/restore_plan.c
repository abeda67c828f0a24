// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The plan of a restore, made before the chip is touched: a bundle's files
 * read and checked against their regions, the profile's recipe turned into
 * steps; or, for a backup, every file it holds written back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ub/addr.h"
#include "ub/err.h"
#include "ub/num.h"
#include "ub/restore.h"

static struct ub_rs_step *add_step(struct ub_restore *r, enum ub_rs_verb verb,
				   const char *arg, unsigned line)
{
	struct ub_rs_step *st;

	if (r->nstep == UB_RS_MAX_STEPS)
		return NULL;
	st = &r->step[r->nstep++];
	memset(st, 0, sizeof(*st));
	st->verb = verb;
	st->piece = -1;
	st->line = line;
	snprintf(st->arg, sizeof(st->arg), "%s", arg ? arg : "");
	return st;
}

static struct ub_rs_piece *add_piece(struct ub_restore *r,
				     struct ub_rs_step *st, const char *name,
				     enum ub_space space, uint32_t addr,
				     uint32_t len)
{
	struct ub_rs_piece *p;

	if (r->npiece == UB_RS_MAX_PIECES) {
		ub_fail(UB_ERANGE, "too many regions to restore at once");
		return NULL;
	}
	p = &r->piece[r->npiece];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->space = space;
	p->addr = addr;
	p->len = len;
	p->data = malloc(len ? len : 1);
	if (!p->data) {
		ub_fail(UB_ENOMEM, "out of memory");
		return NULL;
	}
	memset(p->data, 0xFF, len);
	if (st)
		st->piece = (int)r->npiece;
	r->npiece++;
	return p;
}

/* 'write REGION': the bundle's file for it, padded with 0xFF (erased) to
 * the region's end, or a row saying the bundle has none. */
static int plan_write(struct ub_restore *r, const struct ub_board *b,
		      const char *region, unsigned line)
{
	const struct ub_mf_file *f = ub_manifest_region(r->m, region);
	struct ub_rs_step *st = add_step(r, UB_RS_WRITE, region, line);
	struct ub_rs_piece *p;
	struct ub_where w;
	uint8_t *buf;
	size_t len;
	int err;

	if (!st)
		return ub_fail(UB_ERANGE, "too many steps to restore at once");
	err = ub_where_parse(region, b, &w);
	if (err)
		return ub_fail(err, "%s: region %s: %s", r->m->path, region,
			       ub_errmsg(err));
	if (!f) {
		p = add_piece(r, st, region, w.space, w.addr, 0);
		if (!p)
			return UB_ENOMEM;
		p->result = UB_RS_SKIPPED;
		snprintf(p->note, sizeof(p->note), "not in the bundle");
		return 0;
	}
	err = ub_manifest_read(r->m, f, &buf, &len);
	if (err)
		return err;
	if (w.has_len && len > w.len) {
		free(buf);
		return ub_fail(UB_ERANGE,
			       "%s is %zu bytes: it does not fit in region %s "
			       "of %s (%u bytes): the wrong file for it?",
			       f->name, len, region, b->name, w.len);
	}
	p = add_piece(r, st, region, w.space, w.addr,
		      w.has_len ? w.len : (uint32_t)len);
	if (p) {
		memcpy(p->data, buf, len);
		snprintf(p->file, sizeof(p->file), "%s", f->name);
	}
	free(buf);
	return p ? 0 : UB_ENOMEM;
}

/* 'set ADDRESS u8|u16|u32 VALUE', little-endian as the MCU stores it. */
static int plan_set(struct ub_restore *r, const struct ub_board *b,
		    const char *args, unsigned line)
{
	char a[64], width[8], v[32];
	struct ub_rs_step *st = add_step(r, UB_RS_SET, args, line);
	struct ub_rs_piece *p;
	struct ub_where w;
	uint32_t value, n;
	int err;

	if (!st || sscanf(args, "%63s %7s %31s", a, width, v) != 3 ||
	    ub_parse_u32(v, &value))
		return ub_fail(UB_ECONFIG,
			       "recipe step 'set %s' is not 'set "
			       "ADDRESS u8|u16|u32 VALUE'",
			       args);
	n = !strcmp(width, "u8") ? 1 : !strcmp(width, "u16") ? 2 : 4;
	err = ub_where_parse(a, b, &w);
	if (err)
		return err;
	p = add_piece(r, st, a, w.space, w.addr, n);
	if (!p)
		return UB_ENOMEM;
	for (uint32_t i = 0; i < n; i++)
		p->data[i] = (uint8_t)(value >> (8 * i));
	return 0;
}

static int plan_step(struct ub_restore *r, const struct ub_board *b,
		     const struct ub_recipe_step *rs)
{
	static const struct {
		const char *verb;
		enum ub_rs_verb v;
	} verbs[] = {
		{"check", UB_RS_CHECK},		{"backup", UB_RS_BACKUP},
		{"unprotect", UB_RS_UNPROTECT}, {"erase", UB_RS_ERASE},
		{"preserve", UB_RS_PRESERVE},	{"protect", UB_RS_PROTECT},
		{"verify", UB_RS_VERIFY},	{"sequence", UB_RS_SEQUENCE},
		{"reset", UB_RS_RESET},
	};

	if (!strcmp(rs->verb, "write"))
		return plan_write(r, b, rs->args, rs->at.line);
	if (!strcmp(rs->verb, "set"))
		return plan_set(r, b, rs->args, rs->at.line);
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(rs->verb, verbs[i].verb))
			return add_step(r, verbs[i].v, rs->args, rs->at.line)
				       ? 0
				       : ub_fail(UB_ERANGE, "too many steps");
	return ub_fail(UB_ECONFIG, "unknown recipe step '%s'", rs->verb);
}

static bool has_verb(const struct ub_restore *r, enum ub_rs_verb v)
{
	for (unsigned i = 0; i < r->nstep; i++)
		if (r->step[i].verb == v)
			return true;
	return false;
}

/* Move the last step to position at. */
static void move_last(struct ub_restore *r, unsigned at)
{
	struct ub_rs_step st = r->step[r->nstep - 1];

	memmove(&r->step[at + 1], &r->step[at],
		(r->nstep - 1 - at) * sizeof(st));
	r->step[at] = st;
}

/* After the last write or set, or at the end. */
static unsigned after_writes(const struct ub_restore *r)
{
	unsigned at = 0;

	for (unsigned i = 0; i < r->nstep; i++)
		if (r->step[i].verb == UB_RS_WRITE ||
		    r->step[i].verb == UB_RS_SET)
			at = i + 1;
	return at ? at : r->nstep;
}

/* A bundle's [file NAME] with its own space and range, mapped to no
 * region: written after the recipe's writes, at its place. */
static int placed_file(struct ub_restore *r, unsigned i)
{
	const struct ub_mf_file *f = &r->m->file[i];
	unsigned at = after_writes(r);
	struct ub_rs_step *st;
	struct ub_rs_piece *p;
	uint8_t *buf;
	size_t len;
	int err;

	for (unsigned k = 0; k < r->m->nregion; k++)
		if (r->m->region[k].file == i)
			return 0;
	if (f->space == UB_MF_UID || f->space == UB_MF_NONE)
		return 0;
	if (f->space == UB_MF_OPTION)
		return ub_fail(UB_EUNSUPPORTED,
			       "%s:%u: a bundle cannot set the option bytes; "
			       "'protect REGION' steps in the recipe can",
			       r->m->path, f->line);
	err = ub_manifest_read(r->m, f, &buf, &len);
	if (err)
		return err;
	st = add_step(r, UB_RS_WRITE, f->name, 0);
	p = st ? add_piece(r, st, f->name,
			   f->space == UB_MF_SPI ? UB_SPACE_SPI : UB_SPACE_MCU,
			   f->addr, (uint32_t)len)
	       : NULL;
	if (p) {
		memcpy(p->data, buf, len);
		snprintf(p->file, sizeof(p->file), "%s", f->name);
		move_last(r, at);
	}
	free(buf);
	return p ? 0 : ub_fail(UB_ERANGE, "too many steps to restore at once");
}

/*
 * What the recipe leaves out and the order needs: the bundle's
 * other regions are written after the recipe's writes, the preserve list
 * after them, a verify before the reset.
 */
static int complete_recipe(struct ub_restore *r, const struct ub_board *b)
{
	for (unsigned i = 0; i < r->m->nregion; i++) {
		const char *name = r->m->region[i].name;
		unsigned at = after_writes(r);
		bool done = false;
		int err;

		for (unsigned k = 0; k < r->nstep; k++)
			done |= r->step[k].verb == UB_RS_WRITE &&
				!strcmp(r->step[k].arg, name);
		if (done)
			continue;
		if (!ub_board_region(b, name))
			return ub_fail(UB_ECONFIG,
				       "%s:%u: the bundle maps region '%s', "
				       "which board %s does not have ('unbrick "
				       "boards %s' lists its regions)",
				       r->m->path, r->m->region[i].line, name,
				       b->name, b->name);
		err = plan_write(r, b, name, 0);
		if (err)
			return err;
		move_last(r, at);
	}
	for (unsigned i = 0; i < r->m->nfile; i++) {
		int err = placed_file(r, i);

		if (err)
			return err;
	}
	if (b->npreserve && !has_verb(r, UB_RS_PRESERVE)) {
		unsigned at = after_writes(r);

		if (!add_step(r, UB_RS_PRESERVE, NULL, 0))
			return ub_fail(UB_ERANGE, "too many steps");
		move_last(r, at);
	}
	if (!has_verb(r, UB_RS_VERIFY)) {
		unsigned at = r->nstep;

		for (unsigned i = 0; i < r->nstep && at == r->nstep; i++)
			if (r->step[i].verb == UB_RS_RESET)
				at = i;
		if (!add_step(r, UB_RS_VERIFY, NULL, 0))
			return ub_fail(UB_ERANGE, "too many steps");
		move_last(r, at);
	}
	return 0;
}

static int plan_bundle(struct ub_restore *r, const struct ub_board *b)
{
	int err = 0;

	r->recipe = ub_board_recipe(b, "restore");
	if (!r->recipe)
		return ub_fail(UB_ECONFIG,
			       "board %s has no [recipe restore]: a bundle "
			       "needs one to say what goes where (a backup "
			       "directory needs none)",
			       b->name);
	for (unsigned i = 0; !err && i < r->recipe->nstep; i++)
		err = plan_step(r, b, &r->recipe->step[i]);
	return err ? err : complete_recipe(r, b);
}

/* A backup's files: flash and companion flash written back, the option
 * bytes' write protection put back, the rest checked. */
static int plan_backup(struct ub_restore *r)
{
	const struct ub_manifest *m = r->m;
	uint32_t opt_addr = 0;
	bool spi = false;
	int err = 0;

	add_step(r, UB_RS_CHECK, NULL, 0);
	add_step(r, UB_RS_BACKUP, NULL, 0);
	add_step(r, UB_RS_UNPROTECT, "wrp", 0);
	for (unsigned i = 0; i < m->nfile; i++)
		spi |= m->file[i].space == UB_MF_SPI;
	if (spi)
		add_step(r, UB_RS_UNPROTECT, "spi", 0);
	for (unsigned i = 0; !err && i < m->nfile; i++) {
		const struct ub_mf_file *f = &m->file[i];
		struct ub_rs_piece *p;
		uint8_t *buf;
		size_t len;

		if (f->space == UB_MF_UID)
			continue; /* checked, never written */
		err = ub_manifest_read(m, f, &buf, &len);
		if (err)
			break;
		if (f->space == UB_MF_OPTION) {
			if (len != sizeof(r->option))
				err = ub_fail(UB_EFORMAT,
					      "%s: %zu bytes, the "
					      "option bytes are 16",
					      f->name, len);
			else
				memcpy(r->option, buf, sizeof(r->option));
			opt_addr = f->addr;
			r->has_option = !err;
			free(buf);
			continue;
		}
		p = add_piece(r, add_step(r, UB_RS_WRITE, f->name, 0), f->name,
			      f->space == UB_MF_SPI ? UB_SPACE_SPI
						    : UB_SPACE_MCU,
			      f->addr, (uint32_t)len);
		if (p) {
			memcpy(p->data, buf, len);
			snprintf(p->file, sizeof(p->file), "%s", f->name);
		}
		free(buf);
		err = p ? 0 : UB_ENOMEM;
	}
	if (!err && r->has_option) {
		struct ub_rs_step *st = add_step(r, UB_RS_OPTIONS, NULL, 0);
		struct ub_rs_piece *p =
			add_piece(r, st, "option bytes", UB_SPACE_MCU, opt_addr,
				  sizeof(r->option));

		if (p) {
			memcpy(p->data, r->option, sizeof(r->option));
			snprintf(p->file, sizeof(p->file), "option.bin");
			p->options = true;
		}
		err = p ? 0 : UB_ENOMEM;
	}
	if (!err) {
		add_step(r, UB_RS_VERIFY, NULL, 0);
		add_step(r, UB_RS_RESET, "run", 0);
	}
	return err;
}

int ub_restore_plan(struct ub_restore *r, struct ub_ctx *ctx,
		    const struct ub_manifest *m, const struct ub_board *b)
{
	int err;

	memset(r, 0, sizeof(*r));
	r->ctx = ctx;
	r->m = m;
	r->failed_step = -1;
	r->from_backup = m->kind == UB_MF_BACKUP;
	if (strcmp(m->board, b->name)) {
		char what[200];

		snprintf(what, sizeof(what),
			 "it was made for board %s, and this is %s", m->board,
			 b->name);
		err = ub_restore_mismatch(r, what);
		if (err)
			return err;
	}
	err = r->from_backup ? plan_backup(r) : plan_bundle(r, b);
	/* the check runs first in any case; a recipe without one shows it */
	if (!err && !has_verb(r, UB_RS_CHECK)) {
		err = add_step(r, UB_RS_CHECK, NULL, 0) ? 0 : UB_ERANGE;
		if (!err)
			move_last(r, 0);
	}
	/* pieces point at steps by index: renumber after the moves */
	for (unsigned i = 0; i < r->nstep; i++)
		if (r->step[i].piece >= 0)
			r->piece[r->step[i].piece].order = i;
	return err;
}

void ub_restore_free(struct ub_restore *r)
{
	for (unsigned i = 0; i < r->npiece; i++)
		free(r->piece[i].data);
	r->npiece = 0;
}
