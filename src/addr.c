// SPDX-License-Identifier: GPL-2.0-or-later
/* Addresses, regions and placed files as the command line names them. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ub/addr.h"
#include "ub/err.h"
#include "ub/num.h"

/* The family to assume when no board profile is given. */
#define DEFAULT_FAMILY "stm32f1"

static int whole(const char *s, const struct ub_board *b, struct ub_where *w)
{
	const struct ub_family *fam =
		b ? b->family : ub_family_find(DEFAULT_FAMILY);
	const struct ub_region *r;

	if (!strcmp(s, "flash")) {
		w->addr = fam->flash_base;
		w->len = b ? b->flash_size : 0;
		w->has_len = w->len > 0;
	} else if (!strcmp(s, "option")) {
		w->addr = fam->option_base;
		w->len = fam->option_size;
		w->has_len = true;
	} else if (!strcmp(s, "spi")) {
		w->space = UB_SPACE_SPI;
		w->addr = 0;
		w->len = b ? b->spi.size : 0;
		w->has_len = w->len > 0;
		if (b && !b->spi.present)
			return ub_fail(UB_EUSAGE,
				       "board %s has no companion "
				       "SPI flash",
				       b->name);
	} else if (!b) {
		return ub_fail(UB_EUSAGE,
			       "'%s' is not an address; if it is a "
			       "region name, say which board with -B",
			       s);
	} else if ((r = ub_board_region(b, s))) {
		w->space = r->space;
		w->addr = r->addr;
		w->len = r->size;
		w->has_len = true;
	} else {
		char list[600] = "";

		for (unsigned i = 0; i < b->nregion && strlen(list) < 500; i++)
			snprintf(list + strlen(list),
				 sizeof(list) - strlen(list), "%s%s",
				 i ? ", " : "", b->region[i].name);
		return ub_fail(UB_EUSAGE,
			       "'%s' is neither an address nor a "
			       "region of %s (regions: %s; or flash, option, "
			       "spi)",
			       s, b->name, list[0] ? list : "none");
	}
	snprintf(w->region, sizeof(w->region), "%s", s);
	return 0;
}

int ub_where_parse(const char *s, const struct ub_board *b, struct ub_where *w)
{
	char buf[128], *colon;
	uint32_t len;
	int err;

	memset(w, 0, sizeof(*w));
	if (!strncasecmp(s, "spi:", 4) && s[4]) {
		w->space = UB_SPACE_SPI;
		s += 4;
	}
	if (strlen(s) >= sizeof(buf))
		return ub_fail(UB_EUSAGE, "address '%.20s...' is too long", s);
	strcpy(buf, s);
	colon = strrchr(buf, ':');
	if (colon)
		*colon++ = '\0';
	if (!buf[0] && !colon)
		return ub_fail(UB_EUSAGE, "missing address");
	if (!buf[0])
		return ub_fail(UB_EUSAGE, "missing address before ':%s'",
			       colon);
	if (!ub_parse_u32(buf, &w->addr)) {
		/* a number: the space is already known */
	} else if (w->space == UB_SPACE_SPI) {
		if (!ub_parse_size(buf, &len))
			return ub_fail(UB_EUSAGE,
				       "spi:%s: after 'spi:' comes an address; "
				       "for the first %s of the companion "
				       "flash write spi:0:%s",
				       buf, buf, buf);
		return ub_fail(UB_EUSAGE,
			       "spi:%s: after 'spi:' comes an "
			       "address in the companion flash, such as "
			       "spi:0x1000",
			       buf);
	} else if ((err = whole(buf, b, w))) {
		return err;
	}
	if (w->space == UB_SPACE_SPI && b && !b->spi.present)
		return ub_fail(UB_EUSAGE, "board %s has no companion SPI flash",
			       b->name);
	if (!colon)
		return 0;
	if (ub_parse_size(colon, &len) || !len)
		return ub_fail(UB_EUSAGE,
			       "'%s' is not a length (such as 0x400, "
			       "2K or 1M)",
			       colon);
	if (w->region[0] && w->has_len && len > w->len)
		return ub_fail(UB_EUSAGE, "%s is %u bytes long; %u is more",
			       w->region, w->len, len);
	if ((uint64_t)w->addr + len > 0x100000000ull)
		return ub_fail(UB_EUSAGE, "0x%08X + %u runs past 4 GiB",
			       w->addr, len);
	w->len = len;
	w->has_len = true;
	return 0;
}

int ub_placed_file(const char *arg, const struct ub_board *b, char *path,
		   unsigned n, struct ub_where *w, bool *placed)
{
	const char *at = strrchr(arg, '@');
	size_t plen = at ? (size_t)(at - arg) : strlen(arg);

	*placed = false;
	memset(w, 0, sizeof(*w));
	if (at && plen) {
		int err = ub_where_parse(at + 1, b, w);
		uint32_t dummy;

		/* "fw@2.bin": not a place, so the @ is part of the name */
		if (!err)
			*placed = true;
		else if (!ub_parse_u32(at + 1, &dummy) ||
			 !strncasecmp(at + 1, "spi:", 4) ||
			 !strchr(at + 1, '.'))
			return err;
	}
	if (!*placed)
		plen = strlen(arg);
	if (plen >= n || !plen)
		return ub_fail(UB_EUSAGE, "bad file name '%s'", arg);
	memcpy(path, arg, plen);
	path[plen] = '\0';
	ub_clear_error();
	return 0;
}
