/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_AHBAP_H
#define VB_AHBAP_H

/*
 * The AHB-AP, access port 0 behind the SW-DP: private to vb_swd.c, which
 * holds it, and vb_ahbap.c. The DP owns CTRL/STAT: the AP reports what
 * happened in 'events' and the DP folds them into its sticky flags. The
 * rules are in the comment at the top of vb_swd.c.
 */
#include "vb.h"

#define VB_AP_EV_BUSERR 1u /* a bus error: STICKYERR, READOK cleared */
#define VB_AP_EV_CMP	2u /* pushed verify/compare hit: STICKYCMP */

/* A memory access; it stays active while the bus stalls. */
struct vb_ahbap_xfer {
	bool active;
	bool write;
	bool inc;	 /* DRW with AddrInc: TAR follows each transfer */
	unsigned pushed; /* TRNMODE 1 verify, 2 compare: read, compare */
	uint32_t lanes;	 /* the byte lanes a pushed operation compares */
	unsigned size;	 /* bytes per transfer */
	unsigned left;	 /* transfers to go (packed: 2 or 4) */
	uint32_t addr;	 /* of the next transfer */
	uint32_t data;	 /* DRW as written */
	uint32_t rd;	 /* DRW as read */
};

struct vb_ahbap {
	uint32_t csw, tar;
	uint32_t rdbuff; /* the result of the last read */
	struct vb_ahbap_xfer x;
	uint64_t mem_count; /* memory accesses started, for fault_every */
	unsigned events;    /* VB_AP_EV_* since the DP last looked */
};

void vb_ahbap_reset(struct vb_ahbap *ap);

/* A memory access stalled and is not done yet (CSW.TrInProg). */
bool vb_ahbap_busy(const struct vb_ahbap *ap);

/* Try the stalled memory access again. */
void vb_ahbap_retry(struct vb *vb, struct vb_ahbap *ap);

/* ABORT.DAPABORT: give the stalled access up. */
void vb_ahbap_abort(struct vb_ahbap *ap);

/* Start a read of register reg (bank and A[3:2]); its result goes to
 * rdbuff when it completes. */
void vb_ahbap_read(struct vb *vb, struct vb_ahbap *ap, unsigned reg);

/* Write register reg; trnmode 1 or 2 makes it a pushed verify or compare
 * of the byte lanes in 'lanes'. */
void vb_ahbap_write(struct vb *vb, struct vb_ahbap *ap, unsigned reg,
		    uint32_t v, unsigned trnmode, uint32_t lanes);

#endif
