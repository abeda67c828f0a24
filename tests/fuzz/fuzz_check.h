/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_FUZZ_CHECK_H
#define UB_FUZZ_CHECK_H

/*
 * Shared by the image fuzzers: load one input as the given format and abort
 * (which libFuzzer reports as a crash) when the result breaks a promise of
 * ub/image.h: segments sorted, disjoint, not adjacent, non-empty and inside
 * 4 GiB; a failure code negative and explained.
 */
#include <stdlib.h>
#include <string.h>

#include "ub/crc32.h"
#include "ub/err.h"
#include "ub/image.h"

static volatile uint32_t fuzz_sink;

static void fuzz_load(const uint8_t *data, size_t size,
		      enum ub_image_format fmt, const char *name)
{
	struct ub_image img;
	int err;

	ub_clear_error();
	err = ub_image_load_mem(&img, data, size, fmt, UB_IMAGE_DEFAULT_BASE,
				name);
	if (err) {
		if (err > 0 || !strcmp(ub_errmsg(err), ub_strerror(err)) ||
		    img.nseg || img.seg)
			abort();
		return;
	}
	if (!img.nseg || (fmt != UB_FMT_AUTO && img.format != fmt))
		abort();
	for (size_t i = 0; i < img.nseg; i++) {
		const struct ub_segment *g = &img.seg[i];

		if (!g->size || (uint64_t)g->addr + g->size > 0x100000000ull)
			abort();
		if (i && (uint64_t)img.seg[i - 1].addr + img.seg[i - 1].size >=
				 g->addr)
			abort();
		/* Read every byte, so ASan sees a short allocation. */
		fuzz_sink = ub_crc32(fuzz_sink, g->data, g->size);
	}
	ub_image_free(&img);
}

#endif
