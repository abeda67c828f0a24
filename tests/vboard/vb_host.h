/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_HOST_H
#define VB_HOST_H

/*
 * A tiny SWD host for the virtual board's tests (test code, not a peer):
 * it bit-bangs the board's SWCLK and SWDIO through vb_drive and vb_sense
 * the way OpenOCD 0.12's bitbang driver does (set SWDIO and SWCLK low, read
 * while low, SWCLK high; only changed lines are written; the data phase is
 * clocked even after WAIT or FAULT, so connect sets ORUNDETECT as OpenOCD
 * does). One turnaround cycle. Functions return the ACK the host read.
 */
#include <stdbool.h>
#include <stdint.h>

#include "vb.h"

/* What a transaction returns: the 3 ACK bits as read (LSB first)... */
enum {
	VB_ACK_OK = 1,
	VB_ACK_WAIT = 2,
	VB_ACK_FAULT = 4,
	VB_ACK_NONE = 7, /* nobody drove the line: the pull-up */
};
/* ...or this, for a read answered OK whose data parity was wrong. */
#define VB_HOST_PARITY 8

/* DP registers (A[3:2] << 2) */
#define VB_DP_DPIDR  0x0 /* read */
#define VB_DP_ABORT  0x0 /* write */
#define VB_DP_CTRL   0x4 /* CTRL/STAT, or WCR when SELECT.CTRLSEL is 1 */
#define VB_DP_RESEND 0x8 /* read */
#define VB_DP_SELECT 0x8 /* write */
#define VB_DP_RDBUFF 0xC /* read */

/* AP registers of the AHB-AP (APBANKSEL in bits 7:4) */
#define VB_AP_CSW  0x00
#define VB_AP_TAR  0x04
#define VB_AP_DRW  0x0C
#define VB_AP_BD0  0x10
#define VB_AP_CFG  0xF4
#define VB_AP_BASE 0xF8
#define VB_AP_IDR  0xFC

/* CTRL/STAT */
#define VB_ORUNDETECT	(1u << 0)
#define VB_STICKYORUN	(1u << 1)
#define VB_TRNMODE(m)	((uint32_t)(m) << 2)
#define VB_STICKYCMP	(1u << 4)
#define VB_STICKYERR	(1u << 5)
#define VB_READOK	(1u << 6)
#define VB_WDATAERR	(1u << 7)
#define VB_MASKLANE(m)	((uint32_t)(m) << 8)
#define VB_CDBGRSTREQ	(1u << 26)
#define VB_CDBGRSTACK	(1u << 27)
#define VB_CDBGPWRUPREQ (1u << 28)
#define VB_CDBGPWRUPACK (1u << 29)
#define VB_CSYSPWRUPREQ (1u << 30)
#define VB_CSYSPWRUPACK (1u << 31)

/* ABORT */
#define VB_DAPABORT   (1u << 0)
#define VB_STKCMPCLR  (1u << 1)
#define VB_STKERRCLR  (1u << 2)
#define VB_WDERRCLR   (1u << 3)
#define VB_ORUNERRCLR (1u << 4)
#define VB_ABORT_ALL  (VB_STKCMPCLR | VB_STKERRCLR | VB_WDERRCLR | VB_ORUNERRCLR)

/* SELECT */
#define VB_CTRLSEL 1u

/* CSW */
#define VB_CSW_8	   0u
#define VB_CSW_16	   1u
#define VB_CSW_32	   2u
#define VB_CSW_INC_SINGLE  (1u << 4)
#define VB_CSW_INC_PACKED  (2u << 4)
#define VB_CSW_DEVICEEN	   (1u << 6)
#define VB_CSW_TRINPROG	   (1u << 7)
#define VB_CSW_DEFAULT	   0x23000000u /* MasterType debug, HPROT */
#define VB_DPIDR_CM3	   0x1BA01477u
#define VB_HOST_WAIT_TRIES 1000

/* flags of vb_host_xfer */
#define VB_HOST_BAD_PARITY (1u << 0) /* a write's data parity is wrong */
#define VB_HOST_NO_DATA	   (1u << 1) /* no data phase after WAIT/FAULT */

/* The request byte, LSB first on the wire: start, APnDP, RnW, A[2:3],
 * parity, stop, park. */
uint8_t vb_host_request(bool apndp, bool rnw, unsigned addr);

/* The host drives n bits (LSB first; 0 past the 64th), or releases the
 * line and reads n (the first 64 are returned). */
void vb_host_bits(struct vb *vb, uint64_t bits, unsigned n);
uint64_t vb_host_sample(struct vb *vb, unsigned n);

/* n idle cycles (SWDIO low). */
void vb_host_idle(struct vb *vb, unsigned n);

/* OpenOCD's sequences: 56 high cycles and 8 idle; 56 high, 0xE79E, 56
 * high and 8 idle. */
void vb_host_line_reset(struct vb *vb);
void vb_host_jtag_to_swd(struct vb *vb);

/*
 * One transaction with any request byte (req from vb_host_request, or
 * deliberately broken). A read's data goes to *data, a write's comes from
 * it. Returns the ACK bits as read, or VB_HOST_PARITY.
 */
int vb_host_xfer(struct vb *vb, uint8_t req, uint32_t *data, unsigned flags);

int vb_host_read(struct vb *vb, bool apndp, unsigned addr, uint32_t *val);
int vb_host_write(struct vb *vb, bool apndp, unsigned addr, uint32_t val);

/* As above, retrying WAIT (clearing the sticky flags before each retry, as
 * OpenOCD does) up to VB_HOST_WAIT_TRIES times. */
int vb_host_read_retry(struct vb *vb, bool apndp, unsigned addr, uint32_t *val);
int vb_host_write_retry(struct vb *vb, bool apndp, unsigned addr, uint32_t val);

/*
 * Switch to SWD, read DPIDR (into *dpidr when not NULL), clear the sticky
 * flags, power up the debug and system domains and wait for their ACKs,
 * set ORUNDETECT, select AP 0 bank 0. VB_ACK_OK, or the ACK that failed
 * (VB_ACK_WAIT when the power-up ACKs never came).
 */
int vb_host_connect(struct vb *vb, uint32_t *dpidr);

/* A 32-bit memory access through the AHB-AP: CSW (32-bit, single
 * increment), TAR, DRW, then RDBUFF (which also tells whether a write
 * went through). VB_ACK_OK or the ACK that failed. */
int vb_host_mem_read32(struct vb *vb, uint32_t addr, uint32_t *val);
int vb_host_mem_write32(struct vb *vb, uint32_t addr, uint32_t val);

#endif
