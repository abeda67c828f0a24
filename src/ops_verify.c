// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Verify: compare the chip with an image. Where the target computes CRCs
 * (a loader), the CRC-32 of each 1 KB block is compared, and only a block
 * that differs is read back, to name its first differing byte; elsewhere
 * everything is read back.
 */
#include <stdlib.h>
#include <string.h>

#include "ub/crc32.h"
#include "ub/err.h"
#include "ub/ops.h"

#define BLOCK 1024u    /* bytes per CRC */
#define CHUNK 0x10000u /* bytes per request for CRCs */

/* Read [addr, addr + n) and name the first byte that differs from want. */
static int compare(struct ub_target *t, uint32_t addr, const uint8_t *want,
		   uint32_t n, bool by_crc)
{
	uint8_t *buf = malloc(n ? n : 1);
	int err;

	if (!buf)
		return ub_fail(UB_ENOMEM, "out of memory");
	err = t->ops->read(t, addr, buf, n);
	for (uint32_t j = 0; !err && j < n; j++)
		if (buf[j] != want[j])
			err = ub_fail(UB_EVERIFY,
				      "verify failed at 0x%08X: the chip "
				      "holds 0x%02X, the image 0x%02X",
				      addr + j, buf[j], want[j]);
	if (!err && by_crc)
		err = ub_fail(UB_EVERIFY,
			      "verify failed in 0x%08X-0x%08X: its CRC "
			      "differs, yet it reads back right (an unsteady "
			      "supply or link? try a lower SWD speed)",
			      addr, addr + n - 1);
	free(buf);
	return err;
}

/* One chunk by CRC: UB_EUNSUPPORTED when the target cannot tell them. */
static int verify_crc(struct ub_target *t, uint32_t addr, const uint8_t *want,
		      uint32_t n)
{
	uint32_t crc[CHUNK / BLOCK];
	int err;

	if (!t->ops->crc32)
		return UB_EUNSUPPORTED;
	err = t->ops->crc32(t, addr, n, BLOCK, crc);
	for (uint32_t b = 0; !err && b * BLOCK < n; b++) {
		uint32_t len = n - b * BLOCK < BLOCK ? n - b * BLOCK : BLOCK;

		if (crc[b] != ub_crc32(0, want + b * BLOCK, len))
			return compare(t, addr + b * BLOCK, want + b * BLOCK,
				       len, true);
	}
	return err;
}

int ub_op_verify_image(struct ub_target *t, const struct ub_image *img)
{
	int err = 0;

	for (size_t i = 0; !err && i < img->nseg; i++) {
		const struct ub_segment *s = &img->seg[i];

		for (uint32_t off = 0; !err && off < s->size; off += CHUNK) {
			uint32_t n =
				s->size - off < CHUNK ? s->size - off : CHUNK;

			err = verify_crc(t, s->addr + off, s->data + off, n);
			if (err == UB_EUNSUPPORTED) {
				ub_clear_error();
				err = compare(t, s->addr + off, s->data + off,
					      n, false);
			}
		}
	}
	return err;
}
