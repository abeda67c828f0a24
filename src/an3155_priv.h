/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_AN3155_PRIV_H
#define UB_AN3155_PRIV_H

/* What an3155.c and an3155_mem.c share: the exchanges under the commands. */
#include "ub/an3155.h"

/* Send bytes (a timeout fitted to their length). */
int ub_bl_send(struct ub_an3155 *bl, const void *buf, size_t n);

/*
 * Wait up to timeout_ms for ACK, skipping garbage: 0 on ACK; UB_EPROTO on
 * NACK or on garbage alone, UB_ETIMEOUT on silence (bl->why says which).
 */
int ub_bl_ack(struct ub_an3155 *bl, unsigned timeout_ms);

/* A command byte and its complement, then its ACK (input flushed first). */
int ub_bl_cmd(struct ub_an3155 *bl, uint8_t cmd);

/* An address, big-endian, with its XOR checksum, then its ACK. */
int ub_bl_addr(struct ub_an3155 *bl, uint32_t addr);

/* Back to the command stage after a failed exchange (or sync again). */
int ub_bl_resync(struct ub_an3155 *bl);

/* Sync again after a command that resets the chip. */
int ub_bl_resync_after_reset(struct ub_an3155 *bl);

/* UB_EPROTO and UB_ETIMEOUT: worth another try. */
bool ub_bl_transient(int err);

/* fn tried up to bl->tries times, with a resync between; the message of
 * the last failure names what and every try's outcome. */
int ub_bl_retry(struct ub_an3155 *bl, const char *what,
		int (*fn)(struct ub_an3155 *bl, void *arg), void *arg);

/*
 * Every try of a command drew a NACK to the command byte: readout
 * protection, or a NACK storm? Get ID answers under protection. The
 * outcomes recorded for the command are kept.
 */
bool ub_bl_protected(struct ub_an3155 *bl);

/* The message when every try failed. */
int ub_bl_gave_up(struct ub_an3155 *bl, const char *what);

#endif
