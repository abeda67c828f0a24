// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CRC-32 of blocks of memory on the target: the standard reflected CRC-32
 * (polynomial 0xEDB88320, as zlib and src/crc32.c), table-driven, a word
 * at a time where the data is aligned.
 */
#include "ldr.h"

static void make_table(uint32_t *t)
{
	for (uint32_t n = 0; n < 256; n++) {
		uint32_t c = n;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		t[n] = c;
	}
}

static uint32_t crc_bytes(const uint32_t *t, uint32_t crc, const uint8_t *p,
			  uint32_t n)
{
	while (n--)
		crc = t[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return crc;
}

static uint32_t crc_block(const uint32_t *t, const uint8_t *p, uint32_t n)
{
	uint32_t crc = 0xFFFFFFFFu, head = -(uint32_t)p & 3;

	if (head > n)
		head = n;
	crc = crc_bytes(t, crc, p, head);
	p += head;
	n -= head;
	for (; n >= 4; n -= 4, p += 4) {
		crc ^= *(const uint32_t *)p; /* little-endian: byte 0 first */
		crc = t[crc & 0xFF] ^ (crc >> 8);
		crc = t[crc & 0xFF] ^ (crc >> 8);
		crc = t[crc & 0xFF] ^ (crc >> 8);
		crc = t[crc & 0xFF] ^ (crc >> 8);
	}
	return ~crc_bytes(t, crc, p, n);
}

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
