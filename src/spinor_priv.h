/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_SPINOR_PRIV_H
#define UB_SPINOR_PRIV_H

/*
 * What the SPI NOR driver's files share (src/spinor*.c): the commands on
 * the wire, busy polling, the SFDP reader, the erase planner and the
 * programmer.
 */
#include <stdbool.h>
#include <stdint.h>

#include "ub/spinor.h"

/* Opcodes every chip of the table shares */
#define NOR_WRSR  0x01
#define NOR_READ  0x03
#define NOR_WRDI  0x04
#define NOR_RDSR  0x05
#define NOR_WREN  0x06
#define NOR_RDSR2 0x35 /* W25Q status register 2; SST26 configuration */
#define NOR_EWSR  0x50
#define NOR_SFDP  0x5A
#define NOR_RDBPR 0x72 /* SST26: read the block-protection register */
#define NOR_WBPR  0x42 /* SST26: write it */
#define NOR_ULBPR 0x98 /* SST26: global unlock */
#define NOR_RDID  0x9F
#define NOR_PP	  0x02
#define NOR_AAI	  0xAD

#define NOR_SR_WIP 0x01
#define NOR_SR_WEL 0x02

/* The longest status register write of the table's chips (tW: M25P16,
 * W25Q 15 ms). */
#define NOR_SR_WRITE_MS 15

/* One transaction on the chip's bus. */
int ub_nor_cmd(struct ub_nor *n, const uint8_t *tx, size_t ntx, uint8_t *rx,
	       size_t nrx);
/* One opcode alone (WREN, WRDI, EWSR, ULBPR, a chip erase). */
int ub_nor_op(struct ub_nor *n, uint8_t op);
/* An opcode with a 3-byte address and data after it. */
int ub_nor_op_addr(struct ub_nor *n, uint8_t op, uint32_t addr,
		   const uint8_t *data, size_t len);
int ub_nor_rdsr(struct ub_nor *n, uint8_t op, uint8_t *sr);

/*
 * Poll the status register until WIP clears. max_us is the data sheet's
 * longest time: the chip is called stuck (UB_ETIMEOUT) after twice that.
 * sleep: nap between polls (erases and status writes: 1 ms, or max/1000);
 * else (page and AAI programs: microseconds) poll NOR_SPIN_POLLS times
 * back to back, then nap one poll's wire time between polls. Only the
 * naps are counted, never more than what really passed, so a chip that is
 * merely slow is never called stuck, whatever clock the bus runs on.
 * what: "erasing 4 KB at spi:0x001000".
 */
#define NOR_SPIN_POLLS 8
int ub_nor_wait(struct ub_nor *n, uint64_t max_us, bool sleep,
		const char *what);

/* spinor_sfdp.c: describe the chip from its SFDP basic flash parameter
 * table. UB_EUNSUPPORTED (with no message) when the chip has none. */
int ub_nor_sfdp(struct ub_nor *n, struct ub_nor_chip *chip);
/* The parsing alone: the basic table's dwords (len bytes). */
int ub_nor_sfdp_parse(const uint8_t *bfpt, size_t len,
		      struct ub_nor_chip *chip);

/* spinor_io.c: erase [addr, addr + len) (aligned to the smallest erase)
 * with the largest erases that fit, the chip erase for the whole chip;
 * counted in st (may be NULL). No unprotect, no progress. */
int ub_nor_erase_plan(struct ub_nor *n, uint32_t addr, uint32_t len,
		      struct ub_nor_stats *st);
/* Program erased (or 1 -> 0 only) flash: pages wholly 0xFF are skipped. */
int ub_nor_program(struct ub_nor *n, uint32_t addr, const uint8_t *buf,
		   size_t len);
/* The bus's CRCs of each block of a range (of the first span bytes of
 * each when span is less than a block; 0: all), or UB_EUNSUPPORTED. */
int ub_nor_bus_crc(struct ub_nor *n, uint32_t addr, uint32_t len,
		   uint32_t block, uint32_t span, uint32_t *crc);
/* Read without progress. */
int ub_nor_read_raw(struct ub_nor *n, uint32_t addr, void *buf, size_t len);

#endif
