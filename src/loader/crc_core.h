/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_LDR_CRC_CORE_H
#define UB_LDR_CRC_CORE_H

/*
 * The standard reflected CRC-32 (polynomial 0xEDB88320, as zlib and
 * src/crc32.c) on the target, table-driven: shared by the loaders that
 * compute CRCs (crc32.c and the UART monitor over memory, spi_core.h over
 * the SPI flash). The table lives in RAM the host gives (UB_LDR_CRC_TABLE
 * bytes): a loader has no data of its own. (unused: not every loader needs
 * all of them)
 */
#include <stdint.h>

__attribute__((unused)) static void make_table(uint32_t *t)
{
	for (uint32_t n = 0; n < 256; n++) {
		uint32_t c = n;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		t[n] = c;
	}
}

static inline uint32_t crc_byte(const uint32_t *t, uint32_t crc, uint8_t b)
{
	return t[(crc ^ b) & 0xFF] ^ (crc >> 8);
}

__attribute__((unused)) static uint32_t
crc_bytes(const uint32_t *t, uint32_t crc, const uint8_t *p, uint32_t n)
{
	while (n--)
		crc = t[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return crc;
}

/* The CRC-32 of n bytes of memory, a word at a time where aligned. */
__attribute__((unused)) static uint32_t crc_block(const uint32_t *t,
						  const uint8_t *p, uint32_t n)
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

#endif
