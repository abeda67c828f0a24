// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The AHB-AP of the STM32F103's debug port (Cortex-M3 r1p1): CSW, TAR,
 * DRW, BD0-BD3, CFG, BASE, IDR, and its memory accesses as VB_DAP, which
 * stall while the flash is busy. Its rules are described with the SW-DP's
 * at the top of vb_swd.c.
 */
#include <string.h>

#include "vb_ahbap.h"

#define AP_IDR	  0x24770011u
#define AP_BASE	  0xE00FF003u
#define AP_CFG	  0x00000000u
#define CSW_RESET 0x23000040u

#define CSW_KEEP   0xFF000F00u /* Prot, MasterType, bit 31, Mode */
#define CSW_DEVEN  (1u << 6)
#define CSW_TRINPG (1u << 7)

#define AP_CSW 0x00
#define AP_TAR 0x04
#define AP_DRW 0x0C
#define AP_BD0 0x10
#define AP_BD3 0x1C

/* TAR bits the AHB-AP increments: 4 KB on the Cortex-M3/M4 (ADIv5
 * guarantees only 1 KB; OpenOCD relies on 4 KB for these cores). */
#define TAR_INC_MASK 0xFFFu

void vb_ahbap_reset(struct vb_ahbap *ap)
{
	memset(ap, 0, sizeof(*ap));
	ap->csw = CSW_RESET;
}

bool vb_ahbap_busy(const struct vb_ahbap *ap)
{
	return ap->x.active;
}

void vb_ahbap_abort(struct vb_ahbap *ap)
{
	ap->x.active = false;
}

static uint32_t lane_mask(unsigned size, unsigned shift)
{
	return (size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1) << shift;
}

/* Pushed verify (1) and pushed compare (2). */
static void pushed_compare(struct vb_ahbap *ap, unsigned mode, uint32_t lanes,
			   uint32_t got, uint32_t want)
{
	bool match = !((got ^ want) & lanes);

	if ((mode == 1 && !match) || (mode == 2 && match))
		ap->events |= VB_AP_EV_CMP;
}

/* A bus error ends the access; a read's result is 0. */
static void bus_error(struct vb_ahbap *ap, bool wr)
{
	ap->events |= VB_AP_EV_BUSERR;
	ap->x.active = false;
	ap->x.left = 0;
	if (!wr)
		ap->rdbuff = 0;
}

void vb_ahbap_retry(struct vb *vb, struct vb_ahbap *ap)
{
	struct vb_ahbap_xfer *x = &ap->x;

	while (x->active && x->left) {
		uint32_t addr = x->addr & ~(x->size - 1), v = 0;
		unsigned shift = (addr & 3) * 8;
		uint32_t mask = lane_mask(x->size, shift);
		int r;

		if (x->write && !x->pushed) {
			r = vb_bus_write(vb, VB_DAP, addr, x->size,
					 (x->data & mask) >> shift);
		} else {
			r = vb_bus_read(vb, VB_DAP, addr, x->size, &v);
			if (r == VB_OK)
				x->rd = (x->rd & ~mask) | ((v << shift) & mask);
		}
		if (r == VB_STALL)
			return;
		if (r != VB_OK) {
			bus_error(ap, x->write);
			return;
		}
		if (x->inc) {
			ap->tar = (ap->tar & ~TAR_INC_MASK) |
				  ((ap->tar + x->size) & TAR_INC_MASK);
			x->addr = ap->tar;
		}
		x->left--;
	}
	if (!x->active)
		return;
	x->active = false;
	if (!x->write)
		ap->rdbuff = x->rd;
	else if (x->pushed)
		pushed_compare(ap, x->pushed, x->lanes, x->rd, x->data);
}

/* Start a DRW or BDn access. */
static void mem_access(struct vb *vb, struct vb_ahbap *ap, unsigned reg,
		       bool wr, unsigned pushed, uint32_t lanes, uint32_t data)
{
	struct vb_ahbap_xfer *x = &ap->x;
	unsigned size = 1u << (ap->csw & 3), inc = (ap->csw >> 4) & 3;

	ap->mem_count++;
	if (vb->set.fault_every && ap->mem_count % vb->set.fault_every == 0) {
		bus_error(ap, wr);
		return;
	}
	memset(x, 0, sizeof(*x));
	x->active = true;
	x->write = wr;
	x->pushed = pushed;
	x->lanes = lanes;
	x->size = size;
	x->data = data;
	x->left = 1;
	if (reg == AP_DRW) {
		x->addr = ap->tar;
		x->inc = inc != 0;
		if (inc == 2)
			x->left = 4 / size;
	} else {
		x->addr = (ap->tar & ~0xFu) + (reg - AP_BD0) + (ap->tar & 3);
	}
	vb_ahbap_retry(vb, ap);
}

static bool is_mem(unsigned reg)
{
	return reg == AP_DRW || (reg >= AP_BD0 && reg <= AP_BD3);
}

/* The value of a register that is not memory. */
static uint32_t reg_value(const struct vb_ahbap *ap, unsigned reg)
{
	switch (reg) {
	case AP_CSW:
		return (ap->csw & ~(CSW_DEVEN | CSW_TRINPG)) | CSW_DEVEN |
		       (ap->x.active ? CSW_TRINPG : 0);
	case AP_TAR:
		return ap->tar;
	case 0xF4:
		return AP_CFG;
	case 0xF8:
		return AP_BASE;
	case 0xFC:
		return AP_IDR;
	default:
		return 0;
	}
}

void vb_ahbap_read(struct vb *vb, struct vb_ahbap *ap, unsigned reg)
{
	if (is_mem(reg))
		mem_access(vb, ap, reg, false, 0, 0, 0);
	else
		ap->rdbuff = reg_value(ap, reg);
}

static void csw_write(struct vb_ahbap *ap, uint32_t v)
{
	uint32_t size = v & 7, inc = v & 0x30;

	if (size > 2)
		size = ap->csw & 7;
	if (inc == 0x30)
		inc = ap->csw & 0x30;
	ap->csw = (v & CSW_KEEP) | CSW_DEVEN | inc | size;
}

void vb_ahbap_write(struct vb *vb, struct vb_ahbap *ap, unsigned reg,
		    uint32_t v, unsigned trnmode, uint32_t lanes)
{
	unsigned pushed = trnmode == 1 || trnmode == 2 ? trnmode : 0;

	if (is_mem(reg)) {
		mem_access(vb, ap, reg, true, pushed, lanes, v);
		return;
	}
	if (pushed) {
		pushed_compare(ap, pushed, lanes, reg_value(ap, reg), v);
		return;
	}
	if (reg == AP_CSW)
		csw_write(ap, v);
	else if (reg == AP_TAR)
		ap->tar = v;
}
