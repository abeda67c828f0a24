// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading a board profile: an INI-like text, one "key = value" a line, in
 * sections. The format is documented in boards/README.md.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "board_priv.h"
#include "ub/err.h"
#include "ub/num.h"
#include "ub/pi.h"

enum section {
	SEC_NONE,
	SEC_BOARD,
	SEC_IFACE,
	SEC_PIN,
	SEC_REGIONS,
	SEC_SEQ,
	SEC_SPI,
	SEC_RECIPE,
};

struct parser {
	struct ub_board *b;
	unsigned char file;
	unsigned line;
	int depth;
	enum section sec;
	void *cur;    /* the item the current section fills */
	bool saw_key; /* in [board]: base must come first */
};

static int perr(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int perr(struct parser *p, const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return ub_fail(UB_ECONFIG, "%s:%u: %s", p->b->file[p->file], p->line,
		       what);
}

static int copy(struct parser *p, char *dst, size_t n, const char *src,
		const char *what)
{
	if (strlen(src) >= n)
		return perr(p, "%s is too long (at most %zu characters)", what,
			    n - 1);
	strcpy(dst, src);
	return 0;
}

#define COPY(p, field, src, what) copy(p, field, sizeof(field), src, what)

static bool is_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_.", *s))
			return false;
	return true;
}

static int yes_no(struct parser *p, const char *v, bool *out)
{
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (!strcasecmp(v, "no") || !strcasecmp(v, "false") ||
		 !strcmp(v, "0"))
		*out = false;
	else
		return perr(p, "'%s' should be yes or no", v);
	return 0;
}

/* Split a list on spaces and commas: calls fn for each word. */
static int each_word(struct parser *p, char *v,
		     int (*fn)(struct parser *p, const char *w, void *arg),
		     void *arg)
{
	char *save = NULL;
	int err;

	for (char *w = strtok_r(v, " \t,", &save); w;
	     w = strtok_r(NULL, " \t,", &save)) {
		err = fn(p, w, arg);
		if (err)
			return err;
	}
	return 0;
}

static struct ub_origin here(struct parser *p)
{
	return (struct ub_origin){.file = p->file, .line = p->line};
}

/* An item redefined in the same file is a mistake; over a base, a change. */
static int redefine(struct parser *p, struct ub_origin *at, const char *what)
{
	if (at->line && at->file == p->file)
		return perr(p, "%s is already defined at line %u", what,
			    at->line);
	return 0;
}

/* [board] */

static int add_preserve(struct parser *p, const char *w, void *arg)
{
	struct ub_board *b = p->b;

	(void)arg;
	if (b->npreserve == UB_MAX_PRESERVE)
		return perr(p, "more than %d preserved regions",
			    UB_MAX_PRESERVE);
	return COPY(p, b->preserve[b->npreserve++], w, "a region name");
}

static int board_key(struct parser *p, const char *k, char *v)
{
	struct ub_board *b = p->b;
	bool first = !p->saw_key;

	p->saw_key = true;
	if (!strcmp(k, "base")) {
		if (!first)
			return perr(p, "'base' must be the first key of the "
				       "profile's [board] section");
		return ub_board_load_base(b, v, p->depth + 1, p->line);
	}
	if (!strcmp(k, "description"))
		return COPY(p, b->desc, v, "the description");
	if (!strcmp(k, "family")) {
		b->family = ub_family_find(v);
		if (!b->family)
			return perr(p, "unknown MCU family '%s' (known: %s)", v,
				    ub_family_names());
		return COPY(p, b->family_name, v, "the family");
	}
	if (!strcmp(k, "dev_id")) {
		if (!strcasecmp(v, "any")) {
			b->has_dev_id = false;
			return 0;
		}
		if (ub_parse_u32(v, &b->dev_id) || b->dev_id > 0xFFF)
			return perr(p,
				    "dev_id '%s' should be a 12-bit number "
				    "such as 0x410, or 'any'",
				    v);
		b->has_dev_id = true;
		return 0;
	}
	if (!strcmp(k, "flash_size") || !strcmp(k, "ram_size")) {
		uint32_t *dst = k[0] == 'f' ? &b->flash_size : &b->ram_size;

		if (ub_parse_size(v, dst))
			return perr(p, "%s '%s' should be a size such as 128K",
				    k, v);
		return 0;
	}
	if (!strcmp(k, "interface")) {
		b->default_iface = ub_iface_parse(v);
		if (b->default_iface < 0)
			return perr(p, "unknown interface '%s' (swd or uart)",
				    v);
		return 0;
	}
	if (!strcmp(k, "note")) {
		if (b->nnotes == UB_MAX_NOTES)
			return perr(p, "more than %d notes", UB_MAX_NOTES);
		return COPY(p, b->notes[b->nnotes++], v, "a note");
	}
	if (!strcmp(k, "preserve")) {
		b->npreserve = 0;
		b->preserve_at = here(p);
		return each_word(p, v, add_preserve, NULL);
	}
	return perr(p,
		    "unknown key '%s' in [board] (known: base, description, "
		    "family, dev_id, flash_size, ram_size, interface, note, "
		    "preserve)",
		    k);
}

/* [interface NAME] */

static int iface_key(struct parser *p, const char *k, char *v)
{
	struct ub_board_iface *f = p->cur;

	if (!strcmp(k, "available"))
		return yes_no(p, v, &f->available);
	if (!strcmp(k, "reason"))
		return COPY(p, f->reason, v, "the reason");
	if (!strcmp(k, "enter"))
		return COPY(p, f->enter, v, "a sequence name");
	if (!strcmp(k, "leave"))
		return COPY(p, f->leave, v, "a sequence name");
	if (!strcmp(k, "port"))
		return COPY(p, f->port, v, "the port");
	if (!strcmp(k, "baud")) {
		if (ub_parse_u32(v, &f->baud) || f->baud < 1200)
			return perr(p,
				    "baud '%s' should be a rate such as "
				    "115200",
				    v);
		return 0;
	}
	if (!strcmp(k, "speed")) {
		if (ub_parse_hz(v, &f->speed) || !f->speed)
			return perr(p,
				    "speed '%s' should be a clock rate such "
				    "as 1MHz",
				    v);
		return 0;
	}
	if (!strcmp(k, "note")) {
		if (f->nnotes == UB_MAX_NOTES)
			return perr(p, "more than %d notes", UB_MAX_NOTES);
		return COPY(p, f->notes[f->nnotes++], v, "a note");
	}
	return perr(p,
		    "unknown key '%s' in [interface] (known: available, "
		    "reason, enter, leave, port, baud, speed, note)",
		    k);
}

/* [pin ROLE] */

static int pin_iface(struct parser *p, const char *w, void *arg)
{
	struct ub_board_pin *pin = arg;
	int i = ub_iface_parse(w);

	if (i < 0)
		return perr(p, "unknown interface '%s' in 'for' (swd, uart)",
			    w);
	pin->ifaces |= 1u << i;
	return 0;
}

static int pin_key(struct parser *p, const char *k, char *v)
{
	struct ub_board_pin *pin = p->cur;

	if (!strcmp(k, "pi")) {
		int n;

		if (!strcasecmp(v, "none")) {
			pin->pi = 0;
			return 0;
		}
		n = ub_pi_pin_parse(v);
		if (n < 0)
			return perr(p, "%s", ub_errmsg(n));
		pin->pi = n;
		return 0;
	}
	if (!strcmp(k, "pad"))
		return COPY(p, pin->pad, v, "the pad");
	if (!strcmp(k, "signal"))
		return COPY(p, pin->signal, v, "the signal");
	if (!strcmp(k, "note"))
		return COPY(p, pin->note, v, "the note");
	if (!strcmp(k, "for")) {
		pin->ifaces = 0;
		return each_word(p, v, pin_iface, pin);
	}
	if (!strcmp(k, "drive")) {
		if (!strcmp(v, "open-drain"))
			pin->open_drain = true;
		else if (!strcmp(v, "push-pull"))
			pin->open_drain = false;
		else
			return perr(p,
				    "drive '%s' should be push-pull or "
				    "open-drain",
				    v);
		return 0;
	}
	return perr(p,
		    "unknown key '%s' in [pin] (known: pi, pad, signal, "
		    "note, for, drive)",
		    k);
}

/* [regions]: NAME = WHERE SIZE [description] */

static int region_line(struct parser *p, const char *k, char *v)
{
	struct ub_board *b = p->b;
	struct ub_region *r = (struct ub_region *)ub_board_region(b, k);
	char *where = strtok(v, " \t"), *size = strtok(NULL, " \t");
	char *desc = strtok(NULL, "");
	uint32_t addr, len;
	int space, err;

	if (!is_name(k) || strlen(k) >= UB_NAME_MAX)
		return perr(p,
			    "'%s' is not a region name (letters, digits, "
			    "- _ ., at most %d characters)",
			    k, UB_NAME_MAX - 1);
	if (!size)
		return perr(p,
			    "region '%s' needs an address and a size: "
			    "'%s = 0x08005000 108K description'",
			    k, k);
	space = ub_parse_location(where, &addr);
	if (space < 0)
		return perr(p,
			    "region '%s': '%s' is not an address (0x08005000 "
			    "or spi:0x1000)",
			    k, where);
	if (ub_parse_size(size, &len) || !len)
		return perr(p,
			    "region '%s': '%s' is not a size (16K, 0x4000, "
			    "294)",
			    k, size);
	if ((uint64_t)addr + len > 0x100000000ull)
		return perr(p, "region '%s' runs past 4 GiB", k);
	if (r) {
		err = redefine(p, &r->at, "region");
		if (err)
			return err;
	} else {
		if (b->nregion == UB_MAX_REGIONS)
			return perr(p, "more than %d regions", UB_MAX_REGIONS);
		r = &b->region[b->nregion++];
	}
	memset(r, 0, sizeof(*r));
	strcpy(r->name, k); /* checked above: fits */
	r->space = space;
	r->addr = addr;
	r->size = len;
	r->at = here(p);
	while (desc && isspace((unsigned char)*desc))
		desc++;
	return desc ? COPY(p, r->desc, desc, "a region description") : 0;
}

/* [sequence NAME]: ROLE = 0|1|release, wait = DURATION, say = TEXT */

static int seq_line(struct parser *p, const char *k, char *v)
{
	struct ub_sequence *s = p->cur;
	struct ub_step *st;

	if (s->nstep == UB_MAX_STEPS)
		return perr(p, "more than %d steps in a sequence",
			    UB_MAX_STEPS);
	st = &s->step[s->nstep++];
	memset(st, 0, sizeof(*st));
	if (!strcmp(k, "wait")) {
		st->kind = UB_STEP_WAIT;
		if (ub_parse_ms(v, &st->ms))
			return perr(p,
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
		return perr(p, "'%s = %s': a line is set to 0, 1 or release", k,
			    v);
	return COPY(p, st->role, k, "a role");
}

/* [spi] */

static int spi_park(struct parser *p, const char *w, void *arg)
{
	struct ub_spi_conf *s = arg;
	const char *eq = strchr(w, '=');
	struct ub_park *k;

	if (!eq || eq - w >= (int)sizeof(k->pin) || eq == w ||
	    (strcmp(eq + 1, "0") && strcmp(eq + 1, "1")))
		return perr(p, "park '%s' should read like PB12=1", w);
	if (s->npark == UB_MAX_PARKS)
		return perr(p, "more than %d parked pins", UB_MAX_PARKS);
	k = &s->park[s->npark++];
	memcpy(k->pin, w, eq - w);
	k->pin[eq - w] = '\0';
	k->level = eq[1] - '0';
	return 0;
}

static int spi_chip(struct parser *p, const char *w, void *arg)
{
	struct ub_spi_conf *s = arg;

	if (s->nchip == UB_MAX_CHIPS)
		return perr(p, "more than %d chips", UB_MAX_CHIPS);
	return COPY(p, s->chip[s->nchip++], w, "a chip name");
}

static int spi_key(struct parser *p, const char *k, char *v)
{
	struct ub_spi_conf *s = &p->b->spi;
	static const struct {
		const char *key;
		size_t off, size;
	} text[] = {
#define T(f)                                  \
	{#f, offsetof(struct ub_spi_conf, f), \
	 sizeof(((struct ub_spi_conf *)0)->f)}
		T(bus),	 T(peripheral), T(sck),	  T(miso),
		T(mosi), T(cs),		T(remap), T(note),
#undef T
	};

	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++)
		if (!strcmp(k, text[i].key))
			return copy(p, (char *)s + text[i].off, text[i].size, v,
				    k);
	if (!strcmp(k, "mode")) {
		if (strlen(v) != 1 || v[0] < '0' || v[0] > '3')
			return perr(p, "SPI mode '%s' should be 0, 1, 2 or 3",
				    v);
		s->mode = v[0] - '0';
		return 0;
	}
	if (!strcmp(k, "size")) {
		if (ub_parse_size(v, &s->size))
			return perr(p, "size '%s' should be a size such as 2M",
				    v);
		return 0;
	}
	if (!strcmp(k, "park")) {
		s->npark = 0;
		return each_word(p, v, spi_park, s);
	}
	if (!strcmp(k, "chip")) {
		s->nchip = 0;
		return each_word(p, v, spi_chip, s);
	}
	return perr(p,
		    "unknown key '%s' in [spi] (known: bus, peripheral, "
		    "sck, miso, mosi, cs, mode, remap, park, chip, size, "
		    "note)",
		    k);
}

/* [recipe NAME]: description, interface, step = VERB ARGS */

static int recipe_key(struct parser *p, const char *k, char *v)
{
	struct ub_recipe *r = p->cur;
	struct ub_recipe_step *st;
	char *args;

	if (!strcmp(k, "description"))
		return COPY(p, r->desc, v, "the description");
	if (!strcmp(k, "interface")) {
		r->iface = ub_iface_parse(v);
		if (r->iface < 0)
			return perr(p, "unknown interface '%s' (swd or uart)",
				    v);
		return 0;
	}
	if (strcmp(k, "step"))
		return perr(p,
			    "unknown key '%s' in [recipe] (known: "
			    "description, interface, step)",
			    k);
	if (r->nstep == UB_MAX_RSTEPS)
		return perr(p, "more than %d steps in a recipe", UB_MAX_RSTEPS);
	st = &r->step[r->nstep++];
	memset(st, 0, sizeof(*st));
	st->at = here(p);
	args = v + strcspn(v, " \t");
	if (*args)
		*args++ = '\0';
	while (isspace((unsigned char)*args))
		args++;
	if (COPY(p, st->verb, v, "a step") || COPY(p, st->args, args, "a step"))
		return UB_ECONFIG;
	return 0;
}

/* Section headers */

static int open_pin(struct parser *p, const char *role)
{
	struct ub_board *b = p->b;
	struct ub_board_pin *pin = (struct ub_board_pin *)ub_board_pin(b, role);
	int err;

	if (pin) {
		err = redefine(p, &pin->at, "this pin");
		if (err)
			return err;
	} else {
		if (b->npin == UB_MAX_PINS)
			return perr(p, "more than %d pins", UB_MAX_PINS);
		pin = &b->pin[b->npin++];
	}
	memset(pin, 0, sizeof(*pin));
	strcpy(pin->role, role);
	pin->kind = ub_pin_kind_of(role);
	pin->ifaces = (1u << UB_IFACE_N) - 1;
	pin->open_drain = !strcmp(role, "nrst");
	pin->at = here(p);
	p->cur = pin;
	return 0;
}

static int open_seq(struct parser *p, const char *name)
{
	struct ub_board *b = p->b;
	struct ub_sequence *s =
		(struct ub_sequence *)ub_board_sequence(b, name);
	int err;

	if (s) {
		err = redefine(p, &s->at, "this sequence");
		if (err)
			return err;
	} else {
		if (b->nseq == UB_MAX_SEQS)
			return perr(p, "more than %d sequences", UB_MAX_SEQS);
		s = &b->seq[b->nseq++];
	}
	memset(s, 0, sizeof(*s));
	strcpy(s->name, name);
	s->at = here(p);
	p->cur = s;
	return 0;
}

static int open_recipe(struct parser *p, const char *name)
{
	struct ub_board *b = p->b;
	struct ub_recipe *r = (struct ub_recipe *)ub_board_recipe(b, name);
	int err;

	if (r) {
		err = redefine(p, &r->at, "this recipe");
		if (err)
			return err;
	} else {
		if (b->nrecipe == UB_MAX_RECIPES)
			return perr(p, "more than %d recipes", UB_MAX_RECIPES);
		r = &b->recipe[b->nrecipe++];
	}
	memset(r, 0, sizeof(*r));
	strcpy(r->name, name);
	r->iface = -1;
	r->at = here(p);
	p->cur = r;
	return 0;
}

static int open_section(struct parser *p, char *h)
{
	char *kind = strtok(h, " \t"), *name = strtok(NULL, " \t");
	int i;

	if (!kind || strtok(NULL, " \t"))
		return perr(p, "a section header reads [board], [regions], "
			       "[spi], [interface swd], [pin nrst], "
			       "[sequence NAME] or [recipe NAME]");
	if (name && (!is_name(name) || strlen(name) >= UB_NAME_MAX))
		return perr(p,
			    "'%s' is not a valid name (letters, digits, - _ "
			    "., at most %d characters)",
			    name, UB_NAME_MAX - 1);
	if (!strcmp(kind, "board") || !strcmp(kind, "regions") ||
	    !strcmp(kind, "spi")) {
		if (name)
			return perr(p, "[%s] takes no name", kind);
		p->sec = kind[0] == 'b'	  ? SEC_BOARD
			 : kind[0] == 'r' ? SEC_REGIONS
					  : SEC_SPI;
		if (p->sec == SEC_SPI) {
			p->b->spi.present = true;
			p->b->spi.at = here(p);
		}
		return 0;
	}
	if (!name && (!strcmp(kind, "interface") || !strcmp(kind, "pin") ||
		      !strcmp(kind, "sequence") || !strcmp(kind, "recipe")))
		return perr(p, "[%s] needs a name: [%s NAME]", kind, kind);
	if (!strcmp(kind, "interface")) {
		i = ub_iface_parse(name);
		if (i < 0)
			return perr(p, "unknown interface '%s' (swd or uart)",
				    name);
		p->sec = SEC_IFACE;
		p->cur = &p->b->iface[i];
		if (!p->b->iface[i].declared)
			p->b->iface[i].available = true;
		p->b->iface[i].declared = true;
		p->b->iface[i].at = here(p);
		return 0;
	}
	if (!strcmp(kind, "pin")) {
		p->sec = SEC_PIN;
		return open_pin(p, name);
	}
	if (!strcmp(kind, "sequence")) {
		p->sec = SEC_SEQ;
		return open_seq(p, name);
	}
	if (!strcmp(kind, "recipe")) {
		p->sec = SEC_RECIPE;
		return open_recipe(p, name);
	}
	return perr(p,
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

static int one_line(struct parser *p, char *s)
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
			return perr(p, "a section header must end with ']'");
		s[n - 1] = '\0';
		p->sec = SEC_NONE;
		return open_section(p, trim(s + 1));
	}
	eq = strchr(s, '=');
	if (!eq)
		return perr(p, "expected 'key = value' or a [section]");
	*eq = '\0';
	k = trim(s);
	v = trim(eq + 1);
	if (!*k)
		return perr(p, "a line starts with '=': the key is missing");
	switch (p->sec) {
	case SEC_NONE:
		return perr(p, "'%s' comes before any [section]", k);
	case SEC_BOARD:
		return board_key(p, k, v);
	case SEC_IFACE:
		return iface_key(p, k, v);
	case SEC_PIN:
		return pin_key(p, k, v);
	case SEC_REGIONS:
		return region_line(p, k, v);
	case SEC_SEQ:
		return seq_line(p, k, v);
	case SEC_SPI:
		return spi_key(p, k, v);
	case SEC_RECIPE:
		return recipe_key(p, k, v);
	}
	return 0;
}

int ub_board_parse_into(struct ub_board *b, const char *text, const char *path,
			int depth)
{
	struct parser p = {.b = b, .depth = depth};
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
			return perr(&p, "line longer than %zu characters",
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
