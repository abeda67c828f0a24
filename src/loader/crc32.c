// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CRC-32 of blocks of memory on the target: the standard reflected CRC-32
 * (crc_core.h), table-driven, a word at a time where the data is aligned.
 */
#include "crc_core.h"
#include "ldr.h"

static uint32_t crc_blocks(volatile struct ub_ldr_crc *c)
{
	uint32_t *t = (uint32_t *)c->table, *out = (uint32_t *)c->out;
	uint32_t addr = c->addr, left = c->len, block = c->block;

	if ((c->table | c->out) & 3)
		return UB_LDR_BADPARAM;
	make_table(t);
	if (!block)
		block = left;
	do {
		uint32_t n = left < block ? left : block;

		*out++ = crc_block(t, (const uint8_t *)addr, n);
		addr += n;
		left -= n;
	} while (left);
	return UB_LDR_OK;
}

UB_LDR_ENTRY ub_ldr_crc32_entry(struct ub_ldr_crc *c)
{
	ub_ldr_mask_irqs();
	ub_ldr_exit(crc_blocks(c));
}
