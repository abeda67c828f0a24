// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Consistency of a board profile: everything it names exists, pins do not
 * collide, regions fit the memories, interfaces have their wires.
 */
#include <stdio.h>
#include <string.h>

#include "board_priv.h"
#include "ub/err.h"
#include "ub/num.h"
#include "ub/pi.h"

#define WHERE(b, at) ub_board_where(b, at, where, sizeof(where))

/* A line on the serial adapter's RTS or DTR: only a reset or boot line
 * (nrst, boot0, a board line), and one role per adapter line. */
static int check_modem(const struct ub_board *b, unsigned i)
{
	static const char *const roles[] = {"swclk",   "swdio",	   "spi_cs",
					    "spi_clk", "spi_mosi", "spi_miso"};
	const struct ub_board_pin *p = &b->pin[i];
	char where[300];

	for (size_t k = 0; k < sizeof(roles) / sizeof(*roles); k++)
		if (p->kind != UB_PIN_LINE || !strcmp(p->role, roles[k]))
			return ub_fail(UB_ECONFIG,
				       "%s: [pin %s] cannot be on the serial "
				       "adapter's %s: only nrst, boot0 or a "
				       "board line can",
				       WHERE(b, p->at), p->role,
				       ub_modem_name(p->modem, false));
	for (unsigned j = 0; j < i; j++)
		if (b->pin[j].modem == p->modem)
			return ub_fail(UB_ECONFIG,
				       "%s: [pin %s] and [pin %s] are both on "
				       "the adapter's %s",
				       WHERE(b, p->at), b->pin[j].role, p->role,
				       ub_modem_name(p->modem, false));
	return 0;
}

static int check_pins(const struct ub_board *b)
{
	char where[300], name[16];

	for (unsigned i = 0; i < b->npin; i++) {
		const struct ub_board_pin *p = &b->pin[i];
		const struct ub_pi_pin *pp = ub_pi_pin(p->pi);

		if (p->modem) {
			int err = check_modem(b, i);

			if (err)
				return err;
			continue;
		}
		if (!p->pi) {
			if (p->kind == UB_PIN_LINE || p->kind == UB_PIN_GND)
				return ub_fail(UB_ECONFIG,
					       "%s: [pin %s] needs "
					       "'pi = ' (the Pi header pin it "
					       "goes to)",
					       WHERE(b, p->at), p->role);
			continue;
		}
		if (p->kind == UB_PIN_GND && pp->kind != UB_PI_GND)
			return ub_fail(
				UB_ECONFIG,
				"%s: [pin gnd] is on Pi pin "
				"%d (%s), which is not a ground pin",
				WHERE(b, p->at), p->pi,
				ub_pi_pin_name(p->pi, name, sizeof(name)));
		if (p->kind == UB_PIN_POWER && pp->kind != UB_PI_3V3 &&
		    pp->kind != UB_PI_5V)
			return ub_fail(UB_ECONFIG,
				       "%s: [pin power] must be a "
				       "3V3 or 5V pin, or none",
				       WHERE(b, p->at));
		if ((p->kind == UB_PIN_LINE || p->kind == UB_PIN_UART) &&
		    pp->kind != UB_PI_GPIO)
			return ub_fail(
				UB_ECONFIG,
				"%s: [pin %s] is on Pi pin "
				"%d (%s): a signal needs a GPIO pin",
				WHERE(b, p->at), p->role, p->pi,
				ub_pi_pin_name(p->pi, name, sizeof(name)));
		if (pp->kind != UB_PI_GPIO)
			continue;
		for (unsigned j = 0; j < i; j++)
			if (b->pin[j].pi == p->pi)
				return ub_fail(UB_ECONFIG,
					       "%s: [pin %s] and "
					       "[pin %s] are both on Pi pin %d",
					       WHERE(b, p->at), b->pin[j].role,
					       p->role, p->pi);
	}
	return 0;
}

static int check_regions(const struct ub_board *b)
{
	char where[300];

	for (unsigned i = 0; i < b->nregion; i++) {
		const struct ub_region *r = &b->region[i];
		uint64_t end = (uint64_t)r->addr + r->size;

		if (r->space == UB_SPACE_SPI) {
			if (!b->spi.present)
				return ub_fail(
					UB_ECONFIG,
					"%s: region '%s' is "
					"in the companion flash, but the "
					"profile has no [spi] section",
					WHERE(b, r->at), r->name);
			if (b->spi.size && end > b->spi.size)
				return ub_fail(UB_ECONFIG,
					       "%s: region '%s' "
					       "ends at spi:0x%llX, past the "
					       "end of the %u KiB flash",
					       WHERE(b, r->at), r->name,
					       (unsigned long long)end,
					       b->spi.size / 1024);
			continue;
		}
		if (b->family && b->flash_size &&
		    r->addr >= b->family->flash_base &&
		    end > (uint64_t)b->family->flash_base + b->flash_size)
			return ub_fail(UB_ECONFIG,
				       "%s: region '%s' ends at "
				       "0x%08llX, past the end of the %u KiB "
				       "flash",
				       WHERE(b, r->at), r->name,
				       (unsigned long long)end,
				       b->flash_size / 1024);
	}
	for (unsigned i = 0; i < b->npreserve; i++)
		if (!ub_board_region(b, b->preserve[i]))
			return ub_fail(UB_ECONFIG,
				       "%s: preserve names '%s', "
				       "which is not in [regions]",
				       WHERE(b, b->preserve_at),
				       b->preserve[i]);
	return 0;
}

static int check_sequences(const struct ub_board *b)
{
	char where[300];

	for (unsigned i = 0; i < b->nseq; i++) {
		const struct ub_sequence *s = &b->seq[i];

		for (unsigned j = 0; j < s->nstep; j++) {
			const struct ub_step *st = &s->step[j];
			const struct ub_board_pin *p;

			if (st->kind != UB_STEP_SET)
				continue;
			p = ub_board_pin(b, st->role);
			if (!p || p->kind != UB_PIN_LINE)
				return ub_fail(
					UB_ECONFIG,
					"%s: sequence '%s' "
					"sets '%s', which is not a [pin] "
					"GPIO line of this board",
					WHERE(b,
					      ((struct ub_origin){s->at.file,
								  st->line})),
					s->name, st->role);
		}
	}
	return 0;
}

static int need_pin(const struct ub_board *b, int iface, const char *role)
{
	const struct ub_board_pin *p = ub_board_pin(b, role);
	char where[300];

	if (p && (p->ifaces & (1u << iface)))
		return 0;
	return ub_fail(UB_ECONFIG,
		       "%s: interface %s is available but no "
		       "[pin %s] is wired for it",
		       WHERE(b, b->iface[iface].at), ub_iface_name(iface),
		       role);
}

static int check_ifaces(const struct ub_board *b)
{
	static const char *const need[UB_IFACE_N][3] = {
		[UB_IFACE_SWD] = {"swclk", "swdio", "gnd"},
		[UB_IFACE_UART] = {"txd", "rxd", "gnd"},
	};
	char where[300];
	int any = -1, err;

	for (int i = 0; i < UB_IFACE_N; i++) {
		const struct ub_board_iface *f = &b->iface[i];

		if (!f->declared || !f->available)
			continue;
		if (any < 0)
			any = i;
		for (int j = 0; j < 3; j++)
			if ((err = need_pin(b, i, need[i][j])))
				return err;
		if (f->enter[0] && !ub_board_sequence(b, f->enter))
			return ub_fail(UB_ECONFIG,
				       "%s: enter = %s, but there "
				       "is no [sequence %s]",
				       WHERE(b, f->at), f->enter, f->enter);
		if (f->leave[0] && !ub_board_sequence(b, f->leave))
			return ub_fail(UB_ECONFIG,
				       "%s: leave = %s, but there "
				       "is no [sequence %s]",
				       WHERE(b, f->at), f->leave, f->leave);
	}
	if (any < 0)
		return ub_fail(UB_ECONFIG,
			       "%s: no [interface swd] or "
			       "[interface uart] is available",
			       WHERE(b, b->at));
	if (b->default_iface >= 0 && (!b->iface[b->default_iface].declared ||
				      !b->iface[b->default_iface].available))
		return ub_fail(UB_ECONFIG,
			       "%s: the default interface %s is "
			       "not available on this board",
			       WHERE(b, b->iface_at),
			       ub_iface_name(b->default_iface));
	return 0;
}

/* Steps a recipe may take, and what their arguments must be. */
enum arg { A_NONE, A_REGION, A_WORD, A_SET, A_SEQ };

static const struct {
	const char *verb;
	enum arg arg;
	const char *words; /* for A_WORD */
} verbs[] = {
	{"backup", A_NONE, NULL},
	{"check", A_NONE, NULL},
	{"unprotect", A_WORD, "wrp rdp spi"},
	{"erase", A_REGION, NULL},
	{"write", A_REGION, NULL},
	{"preserve", A_NONE, NULL},
	{"set", A_SET, NULL},
	{"protect", A_REGION, NULL},
	{"verify", A_NONE, NULL},
	{"sequence", A_SEQ, NULL},
	{"reset", A_WORD, "run bootloader halt"},
};

static bool word_in(const char *w, const char *list)
{
	size_t n = strlen(w);

	/* one word: "" would match past the end, "wrp rdp" as a phrase */
	if (!n || strpbrk(w, " \t"))
		return false;
	for (const char *p = strstr(list, w); p; p = strstr(p + 1, w))
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

/* "set ADDRESS u8|u16|u32 VALUE" */
static bool set_args_ok(const char *args)
{
	char a[64], w[8], v[32], extra[2];
	uint32_t x;

	if (sscanf(args, "%63s %7s %31s %1s", a, w, v, extra) != 3)
		return false;
	return ub_parse_location(a, &x) >= 0 && word_in(w, "u8 u16 u32") &&
	       !ub_parse_u32(v, &x);
}

static int check_step(const struct ub_board *b, const struct ub_recipe *r,
		      const struct ub_recipe_step *st)
{
	char where[300];
	size_t i;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(verbs[i].verb, st->verb))
			break;
	if (i == sizeof(verbs) / sizeof(verbs[0]))
		return ub_fail(
			UB_ECONFIG,
			"%s: unknown step '%s' in recipe "
			"'%s' (backup, check, unprotect, erase, write, "
			"preserve, set, protect, verify, sequence, reset)",
			WHERE(b, st->at), st->verb, r->name);
	switch (verbs[i].arg) {
	case A_NONE:
		if (!st->args[0])
			return 0;
		break;
	case A_REGION:
		if (ub_board_region(b, st->args) ||
		    !strcmp(st->args, "flash") ||
		    (!strcmp(st->args, "spi") && b->spi.present))
			return 0;
		return ub_fail(UB_ECONFIG,
			       "%s: step '%s %s': no region '%s' "
			       "in [regions]",
			       WHERE(b, st->at), st->verb, st->args, st->args);
	case A_WORD:
		if (word_in(st->args, verbs[i].words))
			return 0;
		return ub_fail(UB_ECONFIG, "%s: step '%s' takes one of: %s",
			       WHERE(b, st->at), st->verb, verbs[i].words);
	case A_SET:
		if (set_args_ok(st->args))
			return 0;
		return ub_fail(UB_ECONFIG,
			       "%s: step 'set' reads 'set ADDRESS "
			       "u8|u16|u32 VALUE', e.g. set 0x08004C04 u16 "
			       "0x5000",
			       WHERE(b, st->at));
	case A_SEQ:
		if (ub_board_sequence(b, st->args))
			return 0;
		return ub_fail(UB_ECONFIG, "%s: no [sequence %s]",
			       WHERE(b, st->at), st->args);
	}
	return ub_fail(UB_ECONFIG, "%s: step '%s' takes no arguments",
		       WHERE(b, st->at), st->verb);
}

static int check_recipes(const struct ub_board *b)
{
	char where[300];
	int err;

	for (unsigned i = 0; i < b->nrecipe; i++) {
		const struct ub_recipe *r = &b->recipe[i];
		int f = r->iface >= 0 ? r->iface : b->default_iface;

		if (f >= 0 && !b->iface[f].available)
			return ub_fail(UB_ECONFIG,
				       "%s: recipe '%s' uses %s, "
				       "which this board does not have",
				       WHERE(b, r->at), r->name,
				       ub_iface_name(f));
		for (unsigned j = 0; j < r->nstep; j++)
			if ((err = check_step(b, r, &r->step[j])))
				return err;
	}
	return 0;
}

/* The companion flash's bus, and what that bus needs. */
static int check_spi(const struct ub_board *b)
{
	static const char *const clip[] = {"spi_cs", "spi_clk", "spi_mosi",
					   "spi_miso"};
	const struct ub_spi_conf *s = &b->spi;
	char where[300];

	if (!s->present || !s->bus[0])
		return 0;
	if (!strcmp(s->bus, "mcu")) {
		if (!s->peripheral[0] || !s->sck[0] || !s->miso[0] ||
		    !s->mosi[0] || !s->cs[0])
			return ub_fail(UB_ECONFIG,
				       "%s: bus = mcu needs peripheral, sck, "
				       "miso, mosi and cs (the MCU's pins, "
				       "such as PB13)",
				       WHERE(b, s->at));
	} else if (!strcmp(s->bus, "clip")) {
		for (size_t i = 0; i < sizeof(clip) / sizeof(clip[0]); i++)
			if (!ub_board_pin(b, clip[i]))
				return ub_fail(
					UB_ECONFIG,
					"%s: bus = clip needs a [pin %s] "
					"section (the Pi's GPIO on the "
					"chip's pin)",
					WHERE(b, s->at), clip[i]);
	} else if (strcmp(s->bus, "spidev")) {
		return ub_fail(UB_ECONFIG,
			       "%s: bus = %s: the companion flash's bus is "
			       "mcu, clip or spidev",
			       WHERE(b, s->at), s->bus);
	}
	return 0;
}

int ub_board_check(const struct ub_board *b)
{
	char where[300];
	int err;

	if (!b->family)
		return ub_fail(UB_ECONFIG, "%s: [board] needs 'family = ' (%s)",
			       WHERE(b, b->at), ub_family_names());
	if ((err = check_pins(b)) || (err = check_regions(b)) ||
	    (err = check_sequences(b)) || (err = check_ifaces(b)) ||
	    (err = check_recipes(b)) || (err = check_spi(b)))
		return err;
	return 0;
}
