// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading a board profile: an INI-like text, one "key = value" a line, in
 * sections. The format is documented in boards/README.md. This file reads
 * lines and sections; board_keys.c and board_lists.c read what is in them.
 */
#include <ctype.h>
#include <string.h>

#include "board_priv.h"
#include "ub/err.h"

static int open_section(struct ub_parser *p, char *h)
{
	char *kind = strtok(h, " \t"), *name = strtok(NULL, " \t");
	int i;

	if (!kind || strtok(NULL, " \t"))
		return ub_bp_err(p,
				 "a section header reads [board], [regions], "
				 "[spi], [interface swd], [pin nrst], "
				 "[sequence NAME] or [recipe NAME]");
	if (name && (!ub_bp_is_name(name) || strlen(name) >= UB_NAME_MAX))
		return ub_bp_err(
			p,
			"'%s' is not a valid name (letters, digits, - _ "
			"., at most %d characters)",
			name, UB_NAME_MAX - 1);
	if (!strcmp(kind, "board") || !strcmp(kind, "regions") ||
	    !strcmp(kind, "spi")) {
		if (name)
			return ub_bp_err(p, "[%s] takes no name", kind);
		p->sec = kind[0] == 'b'	  ? UB_SEC_BOARD
			 : kind[0] == 'r' ? UB_SEC_REGIONS
					  : UB_SEC_SPI;
		if (p->sec == UB_SEC_BOARD)
			p->b->at = ub_bp_here(p);
		if (p->sec == UB_SEC_SPI) {
			p->b->spi.present = true;
			p->b->spi.at = ub_bp_here(p);
		}
		return 0;
	}
	if (!name && (!strcmp(kind, "interface") || !strcmp(kind, "pin") ||
		      !strcmp(kind, "sequence") || !strcmp(kind, "recipe")))
		return ub_bp_err(p, "[%s] needs a name: [%s NAME]", kind, kind);
	if (!strcmp(kind, "interface")) {
		i = ub_iface_parse(name);
		if (i < 0)
			return ub_bp_err(p,
					 "unknown interface '%s' (swd or uart)",
					 name);
		p->sec = UB_SEC_IFACE;
		p->cur = &p->b->iface[i];
		if (!p->b->iface[i].declared)
			p->b->iface[i].available = true;
		p->b->iface[i].declared = true;
		p->b->iface[i].at = ub_bp_here(p);
		return 0;
	}
	if (!strcmp(kind, "pin")) {
		p->sec = UB_SEC_PIN;
		return ub_bp_open_pin(p, name);
	}
	if (!strcmp(kind, "sequence")) {
		p->sec = UB_SEC_SEQ;
		return ub_bp_open_seq(p, name);
	}
	if (!strcmp(kind, "recipe")) {
		p->sec = UB_SEC_RECIPE;
		return ub_bp_open_recipe(p, name);
	}
	return ub_bp_err(
		p,
		"unknown section [%s] (board, interface, pin, regions, "
		"sequence, spi, recipe)",
		kind);
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int one_line(struct ub_parser *p, char *s)
{
	char *eq, *k, *v, *c;

	s = trim(s);
	if (!*s || *s == '#' || *s == ';')
		return 0;
	for (c = strchr(s, '#'); c; c = strchr(c + 1, '#'))
		if (isspace((unsigned char)c[-1])) {
			*c = '\0';
			s = trim(s);
			break;
		}
	if (*s == '[') {
		size_t n = strlen(s);

		if (s[n - 1] != ']')
			return ub_bp_err(p,
					 "a section header must end with ']'");
		s[n - 1] = '\0';
		p->sec = UB_SEC_NONE;
		return open_section(p, trim(s + 1));
	}
	eq = strchr(s, '=');
	if (!eq)
		return ub_bp_err(p, "expected 'key = value' or a [section]");
	*eq = '\0';
	k = trim(s);
	v = trim(eq + 1);
	if (!*k)
		return ub_bp_err(p,
				 "a line starts with '=': the key is missing");
	switch (p->sec) {
	case UB_SEC_NONE:
		return ub_bp_err(p, "'%s' comes before any [section]", k);
	case UB_SEC_BOARD:
		return ub_bp_board_key(p, k, v);
	case UB_SEC_IFACE:
		return ub_bp_iface_key(p, k, v);
	case UB_SEC_PIN:
		return ub_bp_pin_key(p, k, v);
	case UB_SEC_REGIONS:
		return ub_bp_region_line(p, k, v);
	case UB_SEC_SEQ:
		return ub_bp_seq_line(p, k, v);
	case UB_SEC_SPI:
		return ub_bp_spi_key(p, k, v);
	case UB_SEC_RECIPE:
		return ub_bp_recipe_key(p, k, v);
	}
	return 0;
}

int ub_board_parse_into(struct ub_board *b, const char *text, const char *path,
			int depth, ub_load_base_fn load_base)
{
	struct ub_parser p = {.b = b, .depth = depth, .load_base = load_base};
	char line[512];
	int err;

	if (b->nfile == UB_MAX_FILES)
		return ub_fail(UB_ECONFIG,
			       "%s: profiles are based on each "
			       "other more than %d deep",
			       path, UB_MAX_FILES - 1);
	p.file = (unsigned char)b->nfile;
	if (strlen(path) >= sizeof(b->file[0]))
		return ub_fail(UB_ECONFIG, "%s: path too long", path);
	strcpy(b->file[b->nfile++], path);
	while (*text) {
		size_t n = strcspn(text, "\n");

		p.line++;
		if (n >= sizeof(line))
			return ub_bp_err(&p, "line longer than %zu characters",
					 sizeof(line) - 1);
		memcpy(line, text, n);
		line[n] = '\0';
		err = one_line(&p, line);
		if (err)
			return err;
		text += n + (text[n] == '\n');
	}
	return 0;
}
