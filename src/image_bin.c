// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Raw binary images: the whole file is one piece of data at the base address
 * the user gives (the start of flash unless told otherwise).
 */
#include "ub/err.h"
#include "ub/image.h"

/* Anything can be a raw binary: the loader tries this format last. */
static bool bin_sniff(const uint8_t *buf, size_t len)
{
	(void)buf;
	(void)len;
	return true;
}

static int bin_parse(struct ub_image *img, const uint8_t *buf, size_t len,
		     uint32_t base, const char *name)
{
	if ((uint64_t)base + len > 0x100000000ull)
		return ub_fail(
			UB_ERANGE,
			"%s: %zu bytes placed at 0x%08X run past the end "
			"of the 32-bit address space; give a lower base "
			"address",
			name, len, base);
	return ub_image_add(img, base, buf, len, 0, name);
}

const struct ub_image_fmt ub_image_fmt_bin = {
	.format = UB_FMT_BIN,
	.loc_kind = "offset",
	.sniff = bin_sniff,
	.parse = bin_parse,
};
