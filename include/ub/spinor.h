/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_SPINOR_H
#define UB_SPINOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ub/progress.h"
#include "ub/spi.h"

/*
 * SPI NOR flash (DESIGN.md §2, "spi nor"): JEDEC and SFDP probe, a
 * declarative chip table (src/spinor_chips.c, each row citing its
 * datasheet), unlock, erase planning, program, read and verify, over any
 * struct ub_spi_bus. 3-byte addresses only (16 MB and less).
 */

/* How the block protection is lifted. */
enum ub_nor_unlock {
	UB_NOR_UNLOCK_WRSR,  /* WREN (0x06), WRSR (0x01) with the BP bits 0 */
	UB_NOR_UNLOCK_EWSR,  /* SST25: EWSR (0x50), WRSR (0x01) */
	UB_NOR_UNLOCK_ULBPR, /* SST26: WREN, ULBPR (0x98), global unlock */
};

struct ub_nor_erase {
	uint32_t size;	   /* bytes, a power of two; 0 ends the list */
	uint8_t op;	   /* opcode, followed by a 3-byte address */
	unsigned max_ms;   /* the datasheet's longest time */
	uint32_t from, to; /* usable only inside [from, to) (the SST26's
			      64 KB blocks); both 0: everywhere */
};

#define UB_NOR_MAX_ERASE 4

struct ub_nor_chip {
	const char *name; /* "SST25VF016B" */
	uint32_t jedec;	  /* manufacturer << 16 | type << 8 | capacity */
	uint32_t size;	  /* bytes */
	struct ub_nor_erase erase[UB_NOR_MAX_ERASE]; /* smallest first */
	uint8_t chip_erase_op;			     /* 0x60 or 0xC7 */
	unsigned chip_erase_ms;
	struct ub_spi_prog prog;
	enum ub_nor_unlock unlock;
	uint8_t bp_mask;    /* status register bits that protect blocks */
	uint8_t srwd;	    /* the bit that, with WP# low, locks the status
			    register (SRWD, SRP0, BPL); 0 if none */
	uint8_t sr2_cmp;    /* status register 2's (0x35) bit that inverts the
			    protection (W25Q CMP): WRSR then takes SR1 and
			    SR2, and unprotect clears it; 0 if none */
	const char *source; /* datasheet, document number and section */
};

/* The table (src/spinor_chips.c). */
extern const struct ub_nor_chip ub_nor_chips[];
extern const size_t ub_nor_nchips;
const struct ub_nor_chip *ub_nor_chip_by_id(uint32_t jedec);
const struct ub_nor_chip *ub_nor_chip_by_name(const char *name);

/* A chip on a bus, once probed. */
struct ub_nor {
	struct ub_spi_bus *bus;
	struct ub_nor_chip chip; /* the table's row, or one made from SFDP */
	bool from_sfdp;		 /* not in the table: described by SFDP */
	uint32_t jedec;
	uint8_t status;	 /* status register 1 at probe time */
	bool protected_; /* some BP bits set (or SST26 blocks locked) */
	bool wp_locked;	 /* SRWD set: status writes need WP# high */
	struct ub_progress *progress; /* may be NULL */
};

/*
 * Read the JEDEC ID (0x9F) and find the chip: the table, else SFDP
 * (0x5A). All 0xFF or all 0x00 is UB_ENOTARGET with the likely causes (no
 * chip, no power, the wrong CS#, MISO not connected); an ID in neither is
 * UB_EUNSUPPORTED naming it.
 */
int ub_nor_probe(struct ub_nor *n, struct ub_spi_bus *bus);

/* "SST25VF016B (BF2541), 2 MB, 4 KB/32 KB/64 KB erase; protected: BP0-2
 * set" for probe. */
void ub_nor_describe(const struct ub_nor *n, char *buf, size_t len);

/* Read the status register again (fills status, protected_, wp_locked). */
int ub_nor_read_status(struct ub_nor *n);

/*
 * Lift the block protection the chip's way. When the status register does
 * not change and SRWD is set, the hardware WP# pin holds it:
 * UB_EPROTECTED saying so (and what to do: tie WP# high).
 */
int ub_nor_unprotect(struct ub_nor *n);

/* Set all the block-protect bits again (protect spi). */
int ub_nor_protect(struct ub_nor *n);

int ub_nor_read(struct ub_nor *n, uint32_t addr, void *buf, size_t len);

/* Erase [addr, addr + len), both aligned to the smallest erase size: the
 * largest erase that lies wholly inside each part, the chip erase when the
 * range is the whole chip. */
int ub_nor_erase(struct ub_nor *n, uint32_t addr, uint32_t len);

struct ub_nor_stats {
	uint32_t sectors_touched;   /* smallest-erase units the data covers */
	uint32_t sectors_unchanged; /* already held the data: left alone */
	uint32_t sectors_erased;    /* in units of the smallest erase */
	uint32_t erase_ops;	    /* erase commands sent */
	uint64_t bytes_programmed;
};

/*
 * Write buf to [addr, addr + len), any alignment: units (of the smallest
 * erase) that already hold the data are left alone, units that need only
 * 1 -> 0 changes are programmed without an erase, the rest erased (largest
 * erase that fits, the chip erase for all of it) with the bytes around the
 * data read first and written back. Where the bus computes CRCs, they
 * decide "unchanged" and "blank" without reading; a unit the data covers
 * wholly that is neither is erased without being read (an erase costs less
 * than reading it back through the MCU). Unprotects first when needed.
 * Does not verify (ub_nor_verify).
 */
int ub_nor_write(struct ub_nor *n, uint32_t addr, const void *buf, size_t len,
		 struct ub_nor_stats *st);

/* Compare [addr, addr + len) with buf: by CRC-32 per block where the bus
 * computes it next to the chip, else by reading back. UB_EVERIFY names
 * the first differing address (narrowed down from the bad block). */
int ub_nor_verify(struct ub_nor *n, uint32_t addr, const void *buf, size_t len);

#endif
