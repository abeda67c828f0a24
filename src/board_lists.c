// SPDX-License-Identifier: GPL-2.0-or-later
/* The ordered sections of a profile: [regions], [sequence], [recipe]. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "board_priv.h"
#include "ub/err.h"
#include "ub/num.h"

/* [regions]: NAME = WHERE SIZE [description] */

int ub_bp_region_line(struct ub_parser *p, const char *k, char *v)
{
	struct ub_board *b = p->b;
	struct ub_region *r = (struct ub_region *)ub_board_region(b, k);
	char *where = strtok(v, " \t"), *size = strtok(NULL, " \t");
	char *desc = strtok(NULL, "");
	uint32_t addr, len;
	int space, err;

	if (!ub_bp_is_name(k) || strlen(k) >= UB_NAME_MAX)
		return ub_bp_err(p,
				 "'%s' is not a region name (letters, digits, "
				 "- _ ., at most %d characters)",
				 k, UB_NAME_MAX - 1);
	if (!size)
		return ub_bp_err(p,
				 "region '%s' needs an address and a size: "
				 "'%s = 0x08005000 108K description'",
				 k, k);
	space = ub_parse_location(where, &addr);
	if (space < 0)
		return ub_bp_err(
			p,
			"region '%s': '%s' is not an address (0x08005000 "
			"or spi:0x1000)",
			k, where);
	if (ub_parse_size(size, &len) || !len)
		return ub_bp_err(
			p,
			"region '%s': '%s' is not a size (16K, 0x4000, "
			"294)",
			k, size);
	if ((uint64_t)addr + len > 0x100000000ull)
		return ub_bp_err(p, "region '%s' runs past 4 GiB", k);
	if (r) {
		err = ub_bp_redefine(p, &r->at, "region");
		if (err)
			return err;
	} else {
		if (b->nregion == UB_MAX_REGIONS)
			return ub_bp_err(p, "more than %d regions",
					 UB_MAX_REGIONS);
		r = &b->region[b->nregion++];
	}
	memset(r, 0, sizeof(*r));
	strcpy(r->name, k); /* checked above: fits */
	r->space = space;
	r->addr = addr;
	r->size = len;
	r->at = ub_bp_here(p);
	while (desc && isspace((unsigned char)*desc))
		desc++;
	return desc ? COPY(p, r->desc, desc, "a region description") : 0;
}

/* [sequence NAME]: ROLE = 0|1|release, wait = DURATION, say = TEXT */

int ub_bp_seq_line(struct ub_parser *p, const char *k, char *v)
{
	struct ub_sequence *s = p->cur;
	struct ub_step *st;

	if (s->nstep == UB_MAX_STEPS)
		return ub_bp_err(p, "more than %d steps in a sequence",
				 UB_MAX_STEPS);
	st = &s->step[s->nstep++];
	memset(st, 0, sizeof(*st));
	st->line = p->line;
	if (!strcmp(k, "wait")) {
		st->kind = UB_STEP_WAIT;
		if (ub_parse_ms(v, &st->ms))
			return ub_bp_err(
				p,
				"wait '%s' should be a duration such as "
				"10ms or 1s",
				v);
		return 0;
	}
	if (!strcmp(k, "say")) {
		st->kind = UB_STEP_SAY;
		return COPY(p, st->text, v, "the text");
	}
	st->kind = UB_STEP_SET;
	if (!strcmp(v, "0") || !strcasecmp(v, "low"))
		st->level = 0;
	else if (!strcmp(v, "1") || !strcasecmp(v, "high"))
		st->level = 1;
	else if (!strcasecmp(v, "release") || !strcasecmp(v, "z"))
		st->level = -1;
	else
		return ub_bp_err(
			p, "'%s = %s': a line is set to 0, 1 or release", k, v);
	return COPY(p, st->role, k, "a role");
}

/* [recipe NAME]: description, interface, step = VERB ARGS */

int ub_bp_recipe_key(struct ub_parser *p, const char *k, char *v)
{
	struct ub_recipe *r = p->cur;
	struct ub_recipe_step *st;
	char *args;

	if (!strcmp(k, "description"))
		return COPY(p, r->desc, v, "the description");
	if (!strcmp(k, "interface")) {
		r->iface = ub_iface_parse(v);
		if (r->iface < 0)
			return ub_bp_err(
				p, "unknown interface '%s' (swd or uart)", v);
		return 0;
	}
	if (strcmp(k, "step"))
		return ub_bp_err(p,
				 "unknown key '%s' in [recipe] (known: "
				 "description, interface, step)",
				 k);
	if (r->nstep == UB_MAX_RSTEPS)
		return ub_bp_err(p, "more than %d steps in a recipe",
				 UB_MAX_RSTEPS);
	st = &r->step[r->nstep++];
	memset(st, 0, sizeof(*st));
	st->at = ub_bp_here(p);
	args = v + strcspn(v, " \t");
	if (*args)
		*args++ = '\0';
	while (isspace((unsigned char)*args))
		args++;
	if (COPY(p, st->verb, v, "a step") || COPY(p, st->args, args, "a step"))
		return UB_ECONFIG;
	return 0;
}

int ub_bp_open_seq(struct ub_parser *p, const char *name)
{
	struct ub_board *b = p->b;
	struct ub_sequence *s =
		(struct ub_sequence *)ub_board_sequence(b, name);
	int err;

	if (s) {
		err = ub_bp_redefine(p, &s->at, "this sequence");
		if (err)
			return err;
	} else {
		if (b->nseq == UB_MAX_SEQS)
			return ub_bp_err(p, "more than %d sequences",
					 UB_MAX_SEQS);
		s = &b->seq[b->nseq++];
	}
	memset(s, 0, sizeof(*s));
	strcpy(s->name, name);
	s->at = ub_bp_here(p);
	p->cur = s;
	return 0;
}

int ub_bp_open_recipe(struct ub_parser *p, const char *name)
{
	struct ub_board *b = p->b;
	struct ub_recipe *r = (struct ub_recipe *)ub_board_recipe(b, name);
	int err;

	if (r) {
		err = ub_bp_redefine(p, &r->at, "this recipe");
		if (err)
			return err;
	} else {
		if (b->nrecipe == UB_MAX_RECIPES)
			return ub_bp_err(p, "more than %d recipes",
					 UB_MAX_RECIPES);
		r = &b->recipe[b->nrecipe++];
	}
	memset(r, 0, sizeof(*r));
	strcpy(r->name, name);
	r->iface = -1;
	r->at = ub_bp_here(p);
	p->cur = r;
	return 0;
}
