/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_AN3155_H
#define UB_AN3155_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ub/serial.h"

/*
 * The STM32 ROM bootloader's USART protocol (ST AN3155): a command byte and
 * its complement, ACK (0x79) or NACK (0x1F), addresses big-endian with an
 * XOR checksum.
 *
 * What is tried again, and how often (bl->tries, 4 by default):
 * - sync: 0x7F until ACK; a NACK to the second 0x7F means the bootloader
 *   was synced already (it took the first as a command);
 * - Get, Get Version, Get ID and Read Memory are repeated from their start
 *   after a NACK, a timeout, garbage or bytes left over, with a re-sync in
 *   between: they change nothing;
 * - Write Memory is repeated from its start when the refusal came before
 *   the data went out (nothing was written). After the data, a NACK or a
 *   missing ACK leaves it unknown: the frame is read back, and only if it
 *   is still blank (or in RAM) is it written again; a frame half-written
 *   in flash is an error (UB_EPROTO), never a silent partial write;
 * - Erase of a page list is repeated (erasing twice does no harm);
 * - Write Protect, Write Unprotect, Readout Protect and Readout Unprotect
 *   are repeated only if refused before they started; they end with the
 *   chip resetting, after which the bootloader is synced again;
 * - Go is never repeated once its address was accepted.
 * Read Memory's data carries no checksum, so every block is read twice
 * (bl->confirm) and taken when two reads agree.
 * A command that still fails says what the bootloader did (NACKs, silence,
 * garbage) and what to check.
 */
#define UB_AN3155_ACK  0x79
#define UB_AN3155_NACK 0x1F
#define UB_AN3155_SYNC 0x7F

enum ub_an3155_cmd {
	UB_BL_GET = 0x00,
	UB_BL_GET_VERSION = 0x01,
	UB_BL_GET_ID = 0x02,
	UB_BL_READ = 0x11,
	UB_BL_GO = 0x21,
	UB_BL_WRITE = 0x31,
	UB_BL_ERASE = 0x43,
	UB_BL_EXT_ERASE = 0x44,
	UB_BL_WRITE_PROTECT = 0x63,
	UB_BL_WRITE_UNPROTECT = 0x73,
	UB_BL_READOUT_PROTECT = 0x82,
	UB_BL_READOUT_UNPROTECT = 0x92,
};

/* Extended Erase's special codes. */
enum ub_an3155_erase {
	UB_BL_ERASE_ALL = 0xFFFF,
	UB_BL_ERASE_BANK1 = 0xFFFE,
	UB_BL_ERASE_BANK2 = 0xFFFD,
};

struct ub_an3155_stats {
	unsigned long nacks, timeouts, garbage, resyncs, retries;
	unsigned long disagreed; /* reads of a block that differed */
};

/* How an exchange went wrong. */
enum ub_bl_why {
	UB_BL_WHY_NACK = 1, /* the bootloader said NACK */
	UB_BL_WHY_SILENT,   /* it said nothing in time */
	UB_BL_WHY_GARBAGE,  /* it said something else, or too much */
	UB_BL_WHY_SHORT,    /* an answer came with bytes missing */
};
#define UB_BL_WHY_MAX 8

struct ub_an3155 {
	struct ub_serial *ser;
	/* learnt from the bootloader */
	uint8_t version;  /* Get: 0x22 is v2.2 */
	uint8_t cmds[32]; /* Get: the commands it serves */
	unsigned ncmds;
	uint8_t option[2]; /* Get Version: two option bytes (0 on the F1) */
	uint16_t pid;	   /* Get ID: 0x410, 0x414... */
	bool synced;
	/* limits (ub_an3155_init sets the defaults; tests shorten them) */
	unsigned tries;	     /* attempts per command: 4 */
	unsigned reply_ms;   /* for an ACK or answer that needs no work: 200 */
	unsigned ack_ms;     /* for an ACK after work (option bytes): 1000 */
	unsigned sync_ms;    /* for the answer to one 0x7F: 300 */
	unsigned sync_tries; /* 0x7F sent at most: 6 */
	unsigned page_ms;    /* Erase: per page, on top of ack_ms: 100 */
	unsigned mass_ms;    /* mass erase, readout unprotect: 30000 */
	unsigned boot_ms;    /* after the chip resets itself: 100 */
	bool confirm;	     /* read every block twice: true */
	struct ub_an3155_stats st;
	/* the outcome of the last exchange, and of each try of a command */
	enum ub_bl_why why;
	enum ub_bl_why whys[UB_BL_WHY_MAX];
	unsigned nwhy;
};

/* Attach to a port with the default limits (nothing is sent). */
void ub_an3155_init(struct ub_an3155 *bl, struct ub_serial *ser);

/*
 * Autobaud: send 0x7F until the bootloader answers. UB_ENOTARGET when
 * nothing answers at all (the caller explains the wiring), UB_EPROTO when
 * only garbage does.
 */
int ub_an3155_sync(struct ub_an3155 *bl);

/* Get, Get Version, Get ID: fill version/cmds, option, pid. */
int ub_an3155_get(struct ub_an3155 *bl);
int ub_an3155_get_version(struct ub_an3155 *bl);
int ub_an3155_get_id(struct ub_an3155 *bl);

/* Whether Get listed cmd. */
bool ub_an3155_has(const struct ub_an3155 *bl, uint8_t cmd);

/*
 * Read Memory, in commands of at most 256 bytes. UB_EPROTECTED when the
 * bootloader refuses every try at once (readout protection does that).
 */
int ub_an3155_read(struct ub_an3155 *bl, uint32_t addr, void *buf, size_t len);

/*
 * Write Memory in frames of at most 256 bytes. addr and len must be
 * multiples of 4 (the caller pads with 0xFF, which leaves erased flash
 * as it is).
 */
int ub_an3155_write(struct ub_an3155 *bl, uint32_t addr, const void *buf,
		    size_t len);

/*
 * Erase pages by number (the flash's pages from 0), with Erase or, when the
 * bootloader has it, Extended Erase, in chunks; or all of the flash, or a
 * bank (UB_BL_ERASE_*; banks need Extended Erase).
 */
int ub_an3155_erase(struct ub_an3155 *bl, const uint16_t *pages, unsigned n);
int ub_an3155_erase_special(struct ub_an3155 *bl, enum ub_an3155_erase what);

/*
 * The option-byte commands. Each ends with the chip resetting; the
 * bootloader is synced again before they return (BOOT0 must still be
 * high). Readout Unprotect mass-erases the flash first.
 */
int ub_an3155_write_protect(struct ub_an3155 *bl, const uint8_t *sectors,
			    unsigned n);
int ub_an3155_write_unprotect(struct ub_an3155 *bl);
int ub_an3155_readout_protect(struct ub_an3155 *bl);
int ub_an3155_readout_unprotect(struct ub_an3155 *bl);

/* Go: start the code at addr (its vector table: SP, then the reset
 * handler). The bootloader is gone afterwards. */
int ub_an3155_go(struct ub_an3155 *bl, uint32_t addr);

#endif
