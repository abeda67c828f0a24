// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SFDP (JEDEC JESD216, "Serial Flash Discoverable Parameters"): a chip not
 * in the table describes itself. Read with 0x5A, a 3-byte address and one
 * dummy byte. The header at 0 ("SFDP", version, number of parameter
 * headers - 1) is followed by 8-byte parameter headers (ID LSB, minor,
 * major, length in dwords, 3-byte pointer, ID MSB); the JEDEC basic flash
 * parameter table has ID 0xFF00. Its dwords (little-endian, numbered from
 * 1 as in JESD216):
 *   1  bits 1:0 = 01: 4 KB erase, its opcode in 15:8; bit 2: write
 *      granularity of 64 bytes or more (a page buffer); 18:17: address
 *      bytes (10: 4-byte only)
 *   2  density: bit 31 clear: bits - 1; set: 2^N bits
 *   8-9  erase types 1-4: size 2^N bytes (N = 0: none), opcode
 *   10 (JESD216A) typical erase times of the types, 5-bit count and
 *      2-bit unit (1 ms, 16 ms, 128 ms, 1 s), and in 3:0 the multiplier
 *      to the maximum: 2 * (M + 1)
 *   11 (JESD216A) 3:0 the program multiplier; 7:4 page size 2^N; 12:8
 *      typical page program (unit 8 us, or 64 us with bit 13); 28:24
 *      typical chip erase (unit 16 ms, 256 ms, 4 s or 64 s in 30:29)
 * Parts of JESD216 v1.0 stop at dword 9: then the times are generous
 * defaults. The protection bits are not described by the basic table: the
 * usual layout (BP bits 2-5, SRWD in bit 7, WREN + WRSR) is assumed.
 */
#include <string.h>

#include "ub/err.h"
#include "spinor_priv.h"

#define BFPT_MAX_DWORDS 16

static uint32_t dword(const uint8_t *p, unsigned n)
{
	p += 4 * (n - 1);
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static int sfdp_read(struct ub_nor *n, uint32_t addr, uint8_t *buf, size_t len)
{
	uint8_t tx[5] = {NOR_SFDP, (uint8_t)(addr >> 16), (uint8_t)(addr >> 8),
			 (uint8_t)addr, 0};

	return ub_nor_cmd(n, tx, sizeof(tx), buf, len);
}

/* Typical erase time of type t (1-4) from dword 10, in ms. */
static unsigned erase_typ_ms(uint32_t dw10, unsigned t)
{
	static const unsigned unit[4] = {1, 16, 128, 1000};
	unsigned shift = 4 + 7 * (t - 1);
	unsigned count = dw10 >> shift & 0x1F;

	return (count + 1) * unit[dw10 >> (shift + 5) & 3];
}

/* A generous guess when the table has no times: 400 ms for 4 KB, 2 s for
 * 64 KB (the slowest of the table's chips). */
static unsigned erase_default_ms(uint32_t size)
{
	unsigned ms = size / 32;

	return ms < 400 ? 400 : ms;
}

static void sort_erases(struct ub_nor_erase *e, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && e[j].size < e[j - 1].size; j--) {
			struct ub_nor_erase t = e[j];

			e[j] = e[j - 1];
			e[j - 1] = t;
		}
}

int ub_nor_sfdp_parse(const uint8_t *bfpt, size_t len, struct ub_nor_chip *c)
{
	unsigned nd = (unsigned)(len / 4), ne = 0;
	uint32_t dw1, dw2, dw10 = 0, dw11 = 0;
	unsigned emult = 0, pmult = 0;
	uint64_t bits;

	if (nd < 2)
		return ub_fail(UB_EPROTO,
			       "the SPI flash's SFDP basic parameter table "
			       "is too short (%zu bytes)",
			       len);
	memset(c, 0, sizeof(*c));
	dw1 = dword(bfpt, 1);
	dw2 = dword(bfpt, 2);
	if (dw2 & 0x80000000u) {
		unsigned e = dw2 & 0x7FFFFFFF;

		bits = e < 63 ? 1ull << e : 0;
	} else {
		bits = (uint64_t)dw2 + 1;
	}
	if (bits < 8 * 1024 || bits > 128ull << 20 || (dw1 >> 17 & 3) == 2)
		return ub_fail(UB_EUNSUPPORTED,
			       "the SPI flash's SFDP table describes %llu "
			       "Mbit%s: only chips of 16 MB or less with "
			       "3-byte addresses are supported",
			       (unsigned long long)(bits >> 20),
			       (dw1 >> 17 & 3) == 2 ? " with 4-byte addresses"
						    : "");
	c->size = (uint32_t)(bits / 8);
	if (nd >= 11) {
		dw10 = dword(bfpt, 10);
		dw11 = dword(bfpt, 11);
		emult = 2 * ((dw10 & 0xF) + 1);
		pmult = 2 * ((dw11 & 0xF) + 1);
	}
	for (unsigned t = 1; nd >= 9 && t <= 4; t++) {
		uint32_t d = dword(bfpt, t <= 2 ? 8 : 9);
		unsigned sh = (t - 1) % 2 * 16;
		unsigned sz = d >> sh & 0xFF, op = d >> (sh + 8) & 0xFF;

		if (!sz || sz > 24)
			continue;
		c->erase[ne].size = 1u << sz;
		c->erase[ne].op = (uint8_t)op;
		c->erase[ne].max_ms = emult ? emult * erase_typ_ms(dw10, t)
					    : erase_default_ms(1u << sz);
		ne++;
	}
	if (!ne && (dw1 & 3) == 1) {
		c->erase[0].size = 4096;
		c->erase[0].op = (uint8_t)(dw1 >> 8);
		c->erase[0].max_ms = erase_default_ms(4096);
		ne = 1;
	}
	if (!ne)
		return ub_fail(UB_EUNSUPPORTED,
			       "the SPI flash's SFDP table names no erase "
			       "command it can use");
	sort_erases(c->erase, (int)ne);
	c->chip_erase_op = 0xC7;
	if (dw11) {
		static const unsigned ce_unit[4] = {16, 256, 4000, 64000};
		unsigned typ =
			((dw11 >> 24 & 0x1F) + 1) * ce_unit[dw11 >> 29 & 3];

		c->chip_erase_ms = emult * typ;
	} else {
		c->chip_erase_ms = (c->size >> 20 ? c->size >> 20 : 1) * 16000;
	}
	if (dw1 & 4) {
		c->prog.method = UB_SPI_PROG_PAGE;
		c->prog.page_size = dw11 ? 1u << (dw11 >> 4 & 0xF) : 256;
		c->prog.timeout_us = dw11 ? pmult * ((dw11 >> 8 & 0x1F) + 1) *
						     (dw11 & 0x2000 ? 64 : 8)
					  : 5000;
		if (c->prog.page_size < 16 || c->prog.page_size > 256)
			c->prog.page_size = 256;
	} else {
		c->prog.method = UB_SPI_PROG_BYTE;
		c->prog.timeout_us = dw11 ? pmult * ((dw11 >> 14 & 0xF) + 1) *
						     (dw11 & 0x40000 ? 8 : 1)
					  : 100;
	}
	c->unlock = UB_NOR_UNLOCK_WRSR;
	c->bp_mask = 0x3C;
	c->srwd = 0x80;
	c->name = "SFDP-described chip";
	c->source = "the chip's own SFDP basic flash parameter table "
		    "(JEDEC JESD216)";
	return 0;
}

int ub_nor_sfdp(struct ub_nor *n, struct ub_nor_chip *c)
{
	uint8_t head[8], ph[8], bfpt[4 * BFPT_MAX_DWORDS];
	unsigned nph, len = 0;
	uint32_t ptr = 0;
	int err = sfdp_read(n, 0, head, sizeof(head));

	if (err)
		return err;
	if (memcmp(head, "SFDP", 4))
		return UB_EUNSUPPORTED;
	nph = head[6] + 1u;
	for (unsigned i = 0; i < nph && i < 16; i++) {
		err = sfdp_read(n, 8 + 8 * i, ph, sizeof(ph));
		if (err)
			return err;
		if (ph[0] == 0x00 && ph[7] == 0xFF && ph[3] > len) {
			len = ph[3];
			ptr = ph[4] | (uint32_t)ph[5] << 8 |
			      (uint32_t)ph[6] << 16;
		}
	}
	if (!len)
		return ub_fail(UB_EPROTO,
			       "the SPI flash has an SFDP header but no basic "
			       "flash parameter table");
	if (len > BFPT_MAX_DWORDS)
		len = BFPT_MAX_DWORDS;
	err = sfdp_read(n, ptr, bfpt, 4 * len);
	if (!err)
		err = ub_nor_sfdp_parse(bfpt, 4 * len, c);
	return err;
}
