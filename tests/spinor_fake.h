/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SPINOR_FAKE_H
#define SPINOR_FAKE_H

/*
 * A fake SPI NOR chip on a fake struct ub_spi_bus, for the NOR driver's
 * tests (tests/test_spinor*.c). It behaves per opcode as its data sheet
 * says: write-enable latch, BP bits (any set: the whole chip protected),
 * SRWD/BPL with a WP# pin, SST25 EWSR and AAI mode, SST26 block-protection
 * register, page program wrapping at the page end, erase sizes, busy time
 * on a clock that moves with the bytes on the wire and with the tests'
 * nanosleep, SFDP. Every command is logged.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ub/spi.h"

#define SNF_LOG (1u << 17) /* commands logged (RDSR only counted) */

enum snf_prog { SNF_PAGE, SNF_AAI, SNF_BYTE };

struct snf_erase {
	uint32_t size;
	uint8_t op;
	uint32_t busy_us;
};

struct snf_cmd {
	uint8_t op;
	uint32_t addr;
	uint32_t len; /* data bytes after the address */
};

struct snf_chip {
	/* what the chip is */
	uint8_t id[3];
	uint32_t size;
	struct snf_erase erase[5]; /* size 0 ends */
	uint8_t chip_op[2];	   /* chip erase opcodes (0: none) */
	uint32_t chip_busy_us;
	enum snf_prog prog;
	uint32_t page; /* SNF_PAGE */
	uint32_t prog_busy_us;
	uint8_t sr_mask;  /* SR1 bits WRSR writes */
	uint8_t bp_mask;  /* any set: protected */
	uint8_t srwd;	  /* with wp_low: WRSR refused */
	bool ewsr;	  /* SST25: EWSR (0x50) enables the next WRSR */
	bool has_sr2;	  /* W25Q: SR2 (0x35), WRSR with two bytes */
	uint8_t sr2_mask; /* SR2 bits WRSR writes */
	uint8_t cmp;	  /* SR2 bit: with no BP bits, all protected */
	bool sst26;	  /* BPR (0x72/0x42/0x98), configuration (0x35) */
	const uint8_t *sfdp;
	size_t sfdp_len;
	uint32_t hz; /* the bus's rate: each byte takes 8 bits of it */
	/* state */
	uint8_t *mem;
	uint8_t sr, sr2, cr, bpr[6];
	bool wp_low, stuck, wel, ewsr_armed, aai;
	uint32_t aai_addr;
	uint64_t now_ns, busy_until, slept_ns;
	/* what happened */
	struct snf_cmd *log; /* SNF_LOG of them */
	size_t nlog;
	unsigned rdsr, programs, erases;
	unsigned sleeps_while_programming; /* nanosleep during a program */
	uint64_t max_prog_sleep_ns;	   /* the longest of them */
	bool programming;
	/* bulk operations offered on the bus, and how often each was used */
	bool bulk_read, bulk_program, bulk_erase, bulk_crc;
	unsigned n_read, n_program, n_erase, n_crc;
	uint64_t crc_bytes; /* bytes the bulk CRCs read (spans only) */
};

struct snf_bus {
	struct ub_spi_bus bus;
	struct snf_chip *c;
	struct ub_spi_bus_ops ops;
};

/* The chip erased (or filled with fill), the bus around it. */
void snf_init(struct snf_chip *c, struct snf_bus *b, uint8_t fill);
void snf_free(struct snf_chip *c);
/* The chip the tests' nanosleep moves the clock of. */
extern struct snf_chip *snf_current;
void snf_sleep(uint64_t ns);
/* How many logged commands had opcode op (at addr, when addr != ~0). */
unsigned snf_count(const struct snf_chip *c, uint8_t op, uint32_t addr);
/* Forget the log and counters. */
void snf_clear_log(struct snf_chip *c);

/* Data-sheet shapes of the table's chip families. */
void snf_sst25(struct snf_chip *c, uint32_t jedec, uint32_t size);
void snf_sst26(struct snf_chip *c, uint32_t jedec, uint32_t size);
void snf_m25p(struct snf_chip *c, uint32_t jedec, uint32_t size,
	      bool page_erase);
void snf_w25q(struct snf_chip *c, uint32_t jedec, uint32_t size,
	      uint8_t bp_mask, bool sr2);
void snf_mx25(struct snf_chip *c, uint32_t jedec, uint32_t size);

#endif
