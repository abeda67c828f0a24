// SPDX-License-Identifier: GPL-2.0-or-later
/* Looking things up in a loaded board profile. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "board_priv.h"
#include "ub/num.h"

static const char *const iface_names[UB_IFACE_N] = {"swd", "uart"};

const char *ub_iface_name(int iface)
{
	return iface >= 0 && iface < UB_IFACE_N ? iface_names[iface] : "?";
}

int ub_iface_parse(const char *s)
{
	for (int i = 0; i < UB_IFACE_N; i++)
		if (!strcasecmp(s, iface_names[i]))
			return i;
	return -1;
}

enum ub_pin_kind ub_pin_kind_of(const char *role)
{
	if (!strcmp(role, "txd") || !strcmp(role, "rxd"))
		return UB_PIN_UART;
	if (!strcmp(role, "gnd"))
		return UB_PIN_GND;
	if (!strcmp(role, "power"))
		return UB_PIN_POWER;
	return UB_PIN_LINE;
}

const char *ub_board_where(const struct ub_board *b, struct ub_origin at,
			   char *buf, unsigned n)
{
	snprintf(buf, n, "%s:%u", b->file[at.file < b->nfile ? at.file : 0],
		 at.line);
	return buf;
}

int ub_parse_location(const char *s, uint32_t *addr)
{
	int space = UB_SPACE_MCU;

	if (!strncasecmp(s, "spi:", 4)) {
		space = UB_SPACE_SPI;
		s += 4;
	}
	return ub_parse_u32(s, addr) ? -1 : space;
}

#define FIND(arr, n, field, key)                    \
	for (unsigned i = 0; i < (n); i++)          \
		if (!strcmp((arr)[i].field, (key))) \
			return &(arr)[i];           \
	return NULL

const struct ub_region *ub_board_region(const struct ub_board *b,
					const char *name)
{
	FIND(b->region, b->nregion, name, name);
}

const struct ub_board_pin *ub_board_pin(const struct ub_board *b,
					const char *role)
{
	FIND(b->pin, b->npin, role, role);
}

const struct ub_sequence *ub_board_sequence(const struct ub_board *b,
					    const char *name)
{
	FIND(b->seq, b->nseq, name, name);
}

const struct ub_recipe *ub_board_recipe(const struct ub_board *b,
					const char *name)
{
	FIND(b->recipe, b->nrecipe, name, name);
}
