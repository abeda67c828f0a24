// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SPI NOR chip table, by JEDEC ID (0x9F: manufacturer, memory type,
 * capacity). Chip knowledge, as data: one row per part, naming its data
 * sheet and the parts of it the row comes from (the instruction table for
 * opcodes and erase sizes, the status register description for the
 * protection bits, the AC characteristics or "erase and program timings"
 * table for the longest times).
 *
 * Times are the data sheets' maximums (not the typical values): the driver
 * waits twice as long before it calls a chip stuck, so they only bound
 * waits; a generous value costs nothing, a short one would. Where a part
 * had several revisions with different maximums (W25Q16BV/DV/JV...), the
 * row takes the longest. The SST26VF016B's were checked against its data
 * sheet's feature list (25 ms, 50 ms); the others come from the AC tables
 * named in each row and were not re-checked line by line. Erase sizes and
 * opcodes were cross-checked with flashrom's chip list, which agrees on
 * every row except the M25PE16's page erase (0xDB), which flashrom does
 * not use.
 *
 * Known gaps, on purpose:
 *   - MX25L1606E's 0x52 erases 64 KB like 0xD8 (not 32 KB as on most
 *     chips), and the MX25L6406E has no 0x52: the Macronix rows list
 *     0x20 and 0xD8 only.
 *   - The SST26's 0xD8 erases 8, 32 or 64 KB depending on where it is
 *     (four 8 KB and one 32 KB block at each end): the row lets the
 *     planner use it only in the uniform 64 KB middle.
 *   - GD25Q: status register 2 holds CMP as on the W25Q, but the parts'
 *     revisions disagree on how it is written (0x01 with two bytes, or
 *     0x31): left alone (factory default CMP = 0).
 */
#include <strings.h>

#include "ub/spinor.h"

/* clang-format off */
#define K(n) ((n) * 1024u)
#define M(n) ((n) * 1024u * 1024u)

#define E(sz, o, ms)	{ .size = (sz), .op = (o), .max_ms = (ms) }
#define PAGE(us)	{ .method = UB_SPI_PROG_PAGE, .page_size = 256, \
			  .timeout_us = (us) }
#define AAI(us)		{ .method = UB_SPI_PROG_AAI_WORD, .timeout_us = (us), \
			  .ebsy = true }

/* SST25VF0xxB: BP0-BP3 (bits 2-5), BPL (bit 7); 4/32/64 KB erases of at
 * most 25 ms, chip erase 50 ms, byte and AAI word program 10 us; EBSY/DBSY
 * (0x70/0x80: SO as RY/BY# in AAI, "Hardware End-of-Write Detection"). */
#define SST25(nm, id, sz, src) {					\
	.name = nm, .jedec = id, .size = sz,				\
	.erase = { E(K(4), 0x20, 25), E(K(32), 0x52, 25),		\
		   E(K(64), 0xD8, 25) },				\
	.chip_erase_op = 0x60, .chip_erase_ms = 50,			\
	.prog = AAI(10), .unlock = UB_NOR_UNLOCK_EWSR,			\
	.bp_mask = 0x3C, .srwd = 0x80, .source = src }

/* W25Qxx: BP0-2 (bits 2-4; TB and SEC only shape what BP protects), SRP0
 * (bit 7), CMP (SR2 bit 6); the longest of the BV/DV/FV/JV revisions. */
#define W25Q(nm, id, sz, ce_ms, src) {					\
	.name = nm, .jedec = id, .size = sz,				\
	.erase = { E(K(4), 0x20, 400), E(K(32), 0x52, 1600),		\
		   E(K(64), 0xD8, 2000) },				\
	.chip_erase_op = 0xC7, .chip_erase_ms = ce_ms,			\
	.prog = PAGE(3000), .unlock = UB_NOR_UNLOCK_WRSR,		\
	.bp_mask = 0x1C, .srwd = 0x80, .sr2_cmp = 0x40, .source = src }

/* MX25Lxx06E: BP0-BP3 (bits 2-5), SRWD (bit 7); 4 KB and 64 KB erase. */
#define MX25(nm, id, sz, ce_ms, src) {					\
	.name = nm, .jedec = id, .size = sz,				\
	.erase = { E(K(4), 0x20, 300), E(K(64), 0xD8, 2000) },		\
	.chip_erase_op = 0xC7, .chip_erase_ms = ce_ms,			\
	.prog = PAGE(5000), .unlock = UB_NOR_UNLOCK_WRSR,		\
	.bp_mask = 0x3C, .srwd = 0x80, .source = src }

/* GD25Qxx: BP0-BP4 (bits 2-6), SRP0 (bit 7). */
#define GD25(nm, id, sz, ce_ms, src) {					\
	.name = nm, .jedec = id, .size = sz,				\
	.erase = { E(K(4), 0x20, 400), E(K(32), 0x52, 1600),		\
		   E(K(64), 0xD8, 2000) },				\
	.chip_erase_op = 0xC7, .chip_erase_ms = ce_ms,			\
	.prog = PAGE(3000), .unlock = UB_NOR_UNLOCK_WRSR,		\
	.bp_mask = 0x7C, .srwd = 0x80, .source = src }

const struct ub_nor_chip ub_nor_chips[] = {
	SST25("SST25VF016B", 0xBF2541, M(2),
	      "SST25VF016B data sheet (SST/Microchip S71271): instructions "
	      "table; status register (BP0-3, BPL with WP#, EWSR); AAI word "
	      "program; end-of-write detection (EBSY/DBSY); AC "
	      "characteristics (TSE, TBE 25 ms, TSCE 50 ms, TBP 10 us)"),
	SST25("SST25VF032B", 0xBF254A, M(4),
	      "SST25VF032B data sheet (SST/Microchip, 32 Mbit SPI serial "
	      "flash): instructions table; status register (BP0-3, BPL); AAI "
	      "word program; end-of-write detection (EBSY/DBSY); AC "
	      "characteristics (TSE, TBE 25 ms, TSCE 50 ms, TBP 10 us)"),
	{
		.name = "SST26VF016B", .jedec = 0xBF2641, .size = M(2),
		/* 0xD8 erases the 8/32/64 KB block the address is in: only
		 * the uniform 64 KB blocks are planned with it */
		.erase = { E(K(4), 0x20, 25),
			   { .size = K(64), .op = 0xD8, .max_ms = 25,
			     .from = K(64), .to = M(2) - K(64) } },
		.chip_erase_op = 0xC7, .chip_erase_ms = 50,
		.prog = PAGE(1500), .unlock = UB_NOR_UNLOCK_ULBPR,
		.source = "SST26VF016B data sheet (Microchip DS20005262): "
			  "instructions table; memory organization (8/32/64 "
			  "KB blocks); block-protection register (RDBPR "
			  "0x72, ULBPR 0x98, WPEN); AC characteristics (TSE, "
			  "TBE 25 ms, TSCE 50 ms, TPP 1.5 ms)",
	},
	{
		.name = "M25P16", .jedec = 0x202015, .size = M(2),
		.erase = { E(K(64), 0xD8, 3000) },
		.chip_erase_op = 0xC7, .chip_erase_ms = 40000,
		.prog = PAGE(5000), .unlock = UB_NOR_UNLOCK_WRSR,
		.bp_mask = 0x1C, .srwd = 0x80,
		.source = "M25P16 data sheet (Numonyx rev 13 / Micron "
			  "m25p16.pdf): instructions table (no subsector "
			  "erase); status register (SRWD, BP0-2); AC "
			  "characteristics (tSE 3 s, tBE 40 s, tPP 5 ms)",
	},
	{
		.name = "M25PE16", .jedec = 0x208015, .size = M(2),
		.erase = { E(256, 0xDB, 20), E(K(4), 0x20, 150),
			   E(K(64), 0xD8, 5000) },
		.chip_erase_op = 0xC7, .chip_erase_ms = 40000,
		.prog = PAGE(5000), .unlock = UB_NOR_UNLOCK_WRSR,
		.bp_mask = 0x1C, .srwd = 0x80,
		.source = "M25PE16 data sheet (Numonyx rev 6 / Micron "
			  "m25pe16.pdf): instructions table (page erase 0xDB, "
			  "subsector 0x20, sector 0xD8, bulk 0xC7); status "
			  "register (SRWD, BP0-2); AC characteristics (tPE "
			  "20 ms, tSSE 150 ms, tSE 5 s, tPP 5 ms)",
	},
	W25Q("W25Q16", 0xEF4015, M(2), 25000,
	     "Winbond W25Q16DV/JV data sheets: instruction set table; status "
	     "registers (SRP0, BP0-2, TB, SEC; SR2 CMP); AC electrical "
	     "characteristics (tSE 400 ms, tBE1 1.6 s, tBE2 2 s, tCE 25 s, "
	     "tPP 3 ms)"),
	W25Q("W25Q32", 0xEF4016, M(4), 50000,
	     "Winbond W25Q32FV/JV data sheets: instruction set table; status "
	     "registers (SRP0, BP0-2, TB, SEC; SR2 CMP); AC electrical "
	     "characteristics (tSE 400 ms, tBE1 1.6 s, tBE2 2 s, tCE 50 s, "
	     "tPP 3 ms)"),
	W25Q("W25Q64", 0xEF4017, M(8), 100000,
	     "Winbond W25Q64FV/JV data sheets: instruction set table; status "
	     "registers (SRP0, BP0-2, TB, SEC; SR2 CMP); AC electrical "
	     "characteristics (tSE 400 ms, tBE1 1.6 s, tBE2 2 s, tCE 100 s, "
	     "tPP 3 ms)"),
	W25Q("W25Q128", 0xEF4018, M(16), 200000,
	     "Winbond W25Q128FV/JV data sheets: instruction set table; "
	     "status registers (SRP0, BP0-2, TB, SEC; SR2 CMP); AC "
	     "electrical characteristics (tSE 400 ms, tBE1 1.6 s, tBE2 2 s, "
	     "tCE 200 s, tPP 3 ms)"),
	MX25("MX25L1606E", 0xC22015, M(2), 30000,
	     "Macronix MX25L1606E data sheet (PM1548): command description "
	     "(SE 0x20, BE 0xD8; its 0x52 is a 64 KB erase too); status "
	     "register (SRWD, BP0-3); erase and programming performance "
	     "(tSE 300 ms, tBE 2 s, tCE 30 s, tPP 5 ms)"),
	MX25("MX25L3206E", 0xC22016, M(4), 50000,
	     "Macronix MX25L3206E data sheet (PM1569): command description "
	     "(SE 0x20, BE 0xD8); status register (SRWD, BP0-3); erase and "
	     "programming performance (tSE 300 ms, tBE 2 s, tCE 50 s, tPP "
	     "5 ms)"),
	MX25("MX25L6406E", 0xC22017, M(8), 100000,
	     "Macronix MX25L6406E data sheet (PM1577): command description "
	     "(SE 0x20, BE 0xD8, no 32 KB erase); status register (SRWD, "
	     "BP0-3); erase and programming performance (tSE 300 ms, tBE "
	     "2 s, tCE 100 s, tPP 5 ms)"),
	GD25("GD25Q16", 0xC84015, M(2), 40000,
	     "GigaDevice GD25Q16B/C data sheets: commands description; "
	     "status register (SRP0, BP0-4); AC characteristics (tSE "
	     "400 ms, tBE 32K 1.6 s, tBE 64K 2 s, tCE 40 s, tPP 3 ms)"),
	GD25("GD25Q32", 0xC84016, M(4), 80000,
	     "GigaDevice GD25Q32B/C data sheets: commands description; "
	     "status register (SRP0, BP0-4); AC characteristics (tSE "
	     "400 ms, tBE 32K 1.6 s, tBE 64K 2 s, tCE 80 s, tPP 3 ms)"),
	GD25("GD25Q64", 0xC84017, M(8), 120000,
	     "GigaDevice GD25Q64B/C data sheets: commands description; "
	     "status register (SRP0, BP0-4); AC characteristics (tSE "
	     "400 ms, tBE 32K 1.6 s, tBE 64K 2 s, tCE 120 s, tPP 3 ms)"),
};
/* clang-format on */

const size_t ub_nor_nchips = sizeof(ub_nor_chips) / sizeof(ub_nor_chips[0]);

const struct ub_nor_chip *ub_nor_chip_by_id(uint32_t jedec)
{
	for (size_t i = 0; i < ub_nor_nchips; i++)
		if (ub_nor_chips[i].jedec == jedec)
			return &ub_nor_chips[i];
	return NULL;
}

const struct ub_nor_chip *ub_nor_chip_by_name(const char *name)
{
	for (size_t i = 0; name && i < ub_nor_nchips; i++)
		if (!strcasecmp(ub_nor_chips[i].name, name))
			return &ub_nor_chips[i];
	return NULL;
}
