// SPDX-License-Identifier: GPL-2.0-or-later
/* The keyed sections of a profile: [board], [interface], [pin], [spi]. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "board_priv.h"
#include "ub/err.h"
#include "ub/num.h"
#include "ub/pi.h"

/* [board] */

static int add_preserve(struct ub_parser *p, const char *w, void *arg)
{
	struct ub_board *b = p->b;

	(void)arg;
	if (b->npreserve == UB_MAX_PRESERVE)
		return ub_bp_err(p, "more than %d preserved regions",
				 UB_MAX_PRESERVE);
	return COPY(p, b->preserve[b->npreserve++], w, "a region name");
}

int ub_bp_board_key(struct ub_parser *p, const char *k, char *v)
{
	struct ub_board *b = p->b;
	bool first = !p->saw_key;

	p->saw_key = true;
	if (!strcmp(k, "base")) {
		if (!first)
			return ub_bp_err(p,
					 "'base' must be the first key of the "
					 "profile's [board] section");
		return p->load_base(b, v, p->depth + 1, p->line);
	}
	if (!strcmp(k, "description"))
		return COPY(p, b->desc, v, "the description");
	if (!strcmp(k, "family")) {
		b->family = ub_family_find(v);
		if (!b->family)
			return ub_bp_err(p,
					 "unknown MCU family '%s' (known: %s)",
					 v, ub_family_names());
		return COPY(p, b->family_name, v, "the family");
	}
	if (!strcmp(k, "dev_id")) {
		if (!strcasecmp(v, "any")) {
			b->has_dev_id = false;
			return 0;
		}
		if (ub_parse_u32(v, &b->dev_id) || b->dev_id > 0xFFF)
			return ub_bp_err(
				p,
				"dev_id '%s' should be a 12-bit number "
				"such as 0x410, or 'any'",
				v);
		b->has_dev_id = true;
		return 0;
	}
	if (!strcmp(k, "flash_size") || !strcmp(k, "ram_size")) {
		uint32_t *dst = k[0] == 'f' ? &b->flash_size : &b->ram_size;

		if (ub_parse_size(v, dst))
			return ub_bp_err(
				p, "%s '%s' should be a size such as 128K", k,
				v);
		return 0;
	}
	if (!strcmp(k, "interface")) {
		b->iface_at = ub_bp_here(p);
		b->default_iface = ub_iface_parse(v);
		if (b->default_iface < 0)
			return ub_bp_err(
				p, "unknown interface '%s' (swd or uart)", v);
		return 0;
	}
	if (!strcmp(k, "note")) {
		if (b->nnotes == UB_MAX_NOTES)
			return ub_bp_err(p, "more than %d notes", UB_MAX_NOTES);
		return COPY(p, b->notes[b->nnotes++], v, "a note");
	}
	if (!strcmp(k, "preserve")) {
		b->npreserve = 0;
		b->preserve_at = ub_bp_here(p);
		return ub_bp_each_word(p, v, add_preserve, NULL);
	}
	return ub_bp_err(
		p,
		"unknown key '%s' in [board] (known: base, description, "
		"family, dev_id, flash_size, ram_size, interface, note, "
		"preserve)",
		k);
}

/* [interface NAME] */

int ub_bp_iface_key(struct ub_parser *p, const char *k, char *v)
{
	struct ub_board_iface *f = p->cur;

	if (!strcmp(k, "available"))
		return ub_bp_yes_no(p, v, &f->available);
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
			return ub_bp_err(p,
					 "baud '%s' should be a rate such as "
					 "115200",
					 v);
		return 0;
	}
	if (!strcmp(k, "speed")) {
		if (ub_parse_hz(v, &f->speed) || !f->speed)
			return ub_bp_err(
				p,
				"speed '%s' should be a clock rate such "
				"as 1MHz",
				v);
		return 0;
	}
	if (!strcmp(k, "note")) {
		if (f->nnotes == UB_MAX_NOTES)
			return ub_bp_err(p, "more than %d notes", UB_MAX_NOTES);
		return COPY(p, f->notes[f->nnotes++], v, "a note");
	}
	return ub_bp_err(p,
			 "unknown key '%s' in [interface] (known: available, "
			 "reason, enter, leave, port, baud, speed, note)",
			 k);
}

/* [pin ROLE] */

static int pin_iface(struct ub_parser *p, const char *w, void *arg)
{
	struct ub_board_pin *pin = arg;
	int i = ub_iface_parse(w);

	if (i < 0)
		return ub_bp_err(
			p, "unknown interface '%s' in 'for' (swd, uart)", w);
	pin->ifaces |= 1u << i;
	return 0;
}

int ub_bp_pin_key(struct ub_parser *p, const char *k, char *v)
{
	struct ub_board_pin *pin = p->cur;

	if (!strcmp(k, "pi")) {
		int n;

		pin->modem = UB_MODEM_NONE;
		pin->modem_inverted = false;
		if (!strcasecmp(v, "none")) {
			pin->pi = 0;
			return 0;
		}
		if (!ub_modem_parse(v, &pin->modem, &pin->modem_inverted)) {
			pin->pi = 0;
			return 0;
		}
		n = ub_pi_pin_parse(v);
		if (n < 0)
			return ub_bp_err(p, "%s", ub_errmsg(n));
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
		return ub_bp_each_word(p, v, pin_iface, pin);
	}
	if (!strcmp(k, "drive")) {
		if (!strcmp(v, "open-drain"))
			pin->open_drain = true;
		else if (!strcmp(v, "push-pull"))
			pin->open_drain = false;
		else
			return ub_bp_err(p,
					 "drive '%s' should be push-pull or "
					 "open-drain",
					 v);
		return 0;
	}
	return ub_bp_err(p,
			 "unknown key '%s' in [pin] (known: pi, pad, signal, "
			 "note, for, drive)",
			 k);
}

/* [spi] */

static int spi_park(struct ub_parser *p, const char *w, void *arg)
{
	struct ub_spi_conf *s = arg;
	const char *eq = strchr(w, '=');
	struct ub_park *k;

	if (!eq || eq - w >= (int)sizeof(k->pin) || eq == w ||
	    (strcmp(eq + 1, "0") && strcmp(eq + 1, "1")))
		return ub_bp_err(p, "park '%s' should read like PB12=1", w);
	if (s->npark == UB_MAX_PARKS)
		return ub_bp_err(p, "more than %d parked pins", UB_MAX_PARKS);
	k = &s->park[s->npark++];
	memcpy(k->pin, w, eq - w);
	k->pin[eq - w] = '\0';
	k->level = eq[1] - '0';
	return 0;
}

static int spi_chip(struct ub_parser *p, const char *w, void *arg)
{
	struct ub_spi_conf *s = arg;

	if (s->nchip == UB_MAX_CHIPS)
		return ub_bp_err(p, "more than %d chips", UB_MAX_CHIPS);
	return COPY(p, s->chip[s->nchip++], w, "a chip name");
}

int ub_bp_spi_key(struct ub_parser *p, const char *k, char *v)
{
	struct ub_spi_conf *s = &p->b->spi;
	static const struct {
		const char *key;
		size_t off, size;
	} text[] = {
#define T(f)                                  \
	{#f, offsetof(struct ub_spi_conf, f), \
	 sizeof(((struct ub_spi_conf *)0)->f)}
		T(bus), T(peripheral), T(sck),	T(miso),   T(mosi),
		T(cs),	T(remap),      T(note), T(device),
#undef T
	};

	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++)
		if (!strcmp(k, text[i].key))
			return ub_bp_copy(p, (char *)s + text[i].off,
					  text[i].size, v, k);
	if (!strcmp(k, "mode")) {
		if (strlen(v) != 1 || v[0] < '0' || v[0] > '3')
			return ub_bp_err(
				p, "SPI mode '%s' should be 0, 1, 2 or 3", v);
		s->mode = v[0] - '0';
		return 0;
	}
	if (!strcmp(k, "size")) {
		if (ub_parse_size(v, &s->size))
			return ub_bp_err(
				p, "size '%s' should be a size such as 2M", v);
		return 0;
	}
	if (!strcmp(k, "park")) {
		s->npark = 0;
		return ub_bp_each_word(p, v, spi_park, s);
	}
	if (!strcmp(k, "chip")) {
		s->nchip = 0;
		return ub_bp_each_word(p, v, spi_chip, s);
	}
	return ub_bp_err(p,
			 "unknown key '%s' in [spi] (known: bus, peripheral, "
			 "sck, miso, mosi, cs, mode, remap, park, chip, size, "
			 "device, note)",
			 k);
}

int ub_bp_open_pin(struct ub_parser *p, const char *role)
{
	struct ub_board *b = p->b;
	struct ub_board_pin *pin = (struct ub_board_pin *)ub_board_pin(b, role);
	int err;

	if (pin) {
		err = ub_bp_redefine(p, &pin->at, "this pin");
		if (err)
			return err;
	} else {
		if (b->npin == UB_MAX_PINS)
			return ub_bp_err(p, "more than %d pins", UB_MAX_PINS);
		pin = &b->pin[b->npin++];
	}
	memset(pin, 0, sizeof(*pin));
	strcpy(pin->role, role);
	pin->kind = ub_pin_kind_of(role);
	pin->ifaces = (1u << UB_IFACE_N) - 1;
	pin->open_drain = !strcmp(role, "nrst");
	pin->at = ub_bp_here(p);
	p->cur = pin;
	return 0;
}
