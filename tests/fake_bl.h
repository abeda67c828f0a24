/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_TEST_FAKE_BL_H
#define UB_TEST_FAKE_BL_H

/*
 * A scripted STM32F1 ROM bootloader for unit tests: a thread on the master
 * side of a pty pair plays the chip's bytes (AN3155 v2.2 on a 64 KB F103 with
 * 1 KB pages), and the client gets a struct ub_serial on the slave side.
 * Faults are placed exactly with the counters below, which the thread
 * counts down as it meets them.
 */
#include <stdbool.h>
#include <stdint.h>

#include "ub/serial.h"

#define FBL_FLASH      0x08000000u
#define FBL_FLASH_SIZE (64 * 1024)
#define FBL_PAGE       1024
#define FBL_RAM	       0x20000000u
#define FBL_RAM_SIZE   (20 * 1024)

struct fake_bl {
	/* the chip */
	uint8_t flash[FBL_FLASH_SIZE];
	uint8_t ram[FBL_RAM_SIZE];
	uint8_t option[16];
	uint8_t uid[12];
	uint16_t pid;
	bool extended; /* Extended Erase (0x44) instead of Erase (0x43) */
	bool synced;
	uint32_t go_addr; /* where Go went, 0 if not */
	/* faults */
	bool mute;	       /* never answers */
	unsigned garbage_sync; /* answers this many 0x7F with garbage */
	unsigned nack_cmd;     /* NACK the next N commands */
	unsigned nack_data;    /* NACK N Write Memory frames, writing nothing */
	unsigned write_mute;   /* write N frames but send no ACK */
	unsigned write_half;   /* write half of N frames, send no ACK */
	unsigned garbage;      /* bytes of garbage before each answer */
	uint8_t garbage_byte;  /* what the garbage is (not ACK or NACK) */
	unsigned garbage_once; /* garbage before the next N answers only */
	unsigned drop_data;    /* drop a byte of the next N Read Memory data */
	unsigned flip_data;    /* flip a bit in the next N Read Memory data */
	unsigned extra_ack;    /* an ACK before the next N answers */
	/* what it saw */
	unsigned cmds, nacks, syncs, resets;
	uint8_t last_cmd;
	uint16_t erased[256];
	unsigned nerased;
	bool mass_erased;
	uint8_t wp_sectors[64];
	unsigned nwp;
};

/* Start the thread on a fresh chip (erased flash, factory option bytes);
 * *ser talks to it. */
struct fake_bl *fbl_start(struct ub_serial **ser);
void fbl_stop(struct fake_bl *f, struct ub_serial *ser);

/* Readout protection on or off in the option bytes. */
void fbl_set_rdp(struct fake_bl *f, bool on);

#endif
