/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_TEST_UTIL_H
#define VB_TEST_UTIL_H

/*
 * Helpers for the virtual board's memory, flash and state tests (include
 * after cmocka.h). They reach the board the way the debugger does: bus
 * accesses by VB_DAP, time by vb_advance.
 */
#include "vb.h"

#define FPEC_ACR     (VB_FPEC_BASE + 0x00)
#define FPEC_KEYR    (VB_FPEC_BASE + 0x04)
#define FPEC_OPTKEYR (VB_FPEC_BASE + 0x08)
#define FPEC_SR	     (VB_FPEC_BASE + 0x0C)
#define FPEC_CR	     (VB_FPEC_BASE + 0x10)
#define FPEC_AR	     (VB_FPEC_BASE + 0x14)
#define FPEC_OBR     (VB_FPEC_BASE + 0x1C)
#define FPEC_WRPR    (VB_FPEC_BASE + 0x20)

#define SR_BSY	    0x01u
#define SR_PGERR    0x04u
#define SR_WRPRTERR 0x10u
#define SR_EOP	    0x20u

#define CR_PG	  0x001u
#define CR_PER	  0x002u
#define CR_MER	  0x004u
#define CR_OPTPG  0x010u
#define CR_OPTER  0x020u
#define CR_STRT	  0x040u
#define CR_LOCK	  0x080u
#define CR_OPTWRE 0x200u

#define KEY1 0x45670123u
#define KEY2 0xCDEF89ABu

/* A board with the given settings and no state directory, held in reset
 * (NRST low) so that the core stays out of the way. */
static inline struct vb *vbt_board(const char *const *set, size_t n)
{
	char err[256] = "";
	struct vb *vb = vb_new(set, n, NULL, err, sizeof(err));

	if (!vb)
		fail_msg("vb_new: %s", err);
	vb_drive(vb, VB_NRST, 0);
	return vb;
}

static inline void vbt_close(struct vb *vb)
{
	char err[256] = "";

	if (vb_close(vb, err, sizeof(err)))
		fail_msg("vb_close: %s", err);
}

static inline uint32_t vbt_rd(struct vb *vb, uint32_t addr, unsigned size)
{
	uint32_t v = 0;
	int r = vb_bus_read(vb, VB_DAP, addr, size, &v);

	if (r != VB_OK)
		fail_msg("read of 0x%08X (%u bytes) gave %d", addr, size, r);
	return v;
}

static inline void vbt_wr(struct vb *vb, uint32_t addr, unsigned size,
			  uint32_t v)
{
	int r = vb_bus_write(vb, VB_DAP, addr, size, v);

	if (r != VB_OK)
		fail_msg("write of 0x%X to 0x%08X (%u bytes) gave %d", v, addr,
			 size, r);
}

static inline uint32_t vbt_sr(struct vb *vb)
{
	return vbt_rd(vb, FPEC_SR, 4);
}

static inline void vbt_unlock(struct vb *vb)
{
	vbt_wr(vb, FPEC_KEYR, 4, KEY1);
	vbt_wr(vb, FPEC_KEYR, 4, KEY2);
	if (vbt_rd(vb, FPEC_CR, 4) & CR_LOCK)
		fail_msg("the FPEC did not unlock");
}

static inline void vbt_opt_unlock(struct vb *vb)
{
	vbt_unlock(vb);
	vbt_wr(vb, FPEC_OPTKEYR, 4, KEY1);
	vbt_wr(vb, FPEC_OPTKEYR, 4, KEY2);
	if (!(vbt_rd(vb, FPEC_CR, 4) & CR_OPTWRE))
		fail_msg("OPTWRE did not set");
}

/* Let time pass until BSY clears; the modeled time it took. */
static inline uint64_t vbt_wait(struct vb *vb)
{
	uint64_t t0 = vb->now_ps;

	for (int i = 0; vbt_sr(vb) & SR_BSY; i++) {
		if (i > 200000)
			fail_msg("BSY stuck");
		vb_advance(vb, VB_PS_PER_US);
	}
	return vb->now_ps - t0;
}

/* Program a halfword; the status register afterwards (errors cleared). */
static inline uint32_t vbt_program(struct vb *vb, uint32_t addr, uint16_t v)
{
	uint32_t sr;

	vbt_wr(vb, FPEC_CR, 4, CR_PG);
	vbt_wr(vb, addr, 2, v);
	vbt_wait(vb);
	sr = vbt_sr(vb);
	vbt_wr(vb, FPEC_SR, 4, SR_PGERR | SR_WRPRTERR | SR_EOP);
	vbt_wr(vb, FPEC_CR, 4, 0);
	return sr;
}

static inline uint32_t vbt_page_erase(struct vb *vb, uint32_t addr)
{
	uint32_t sr;

	vbt_wr(vb, FPEC_CR, 4, CR_PER);
	vbt_wr(vb, FPEC_AR, 4, addr);
	vbt_wr(vb, FPEC_CR, 4, CR_PER | CR_STRT);
	vbt_wait(vb);
	sr = vbt_sr(vb);
	vbt_wr(vb, FPEC_SR, 4, SR_PGERR | SR_WRPRTERR | SR_EOP);
	vbt_wr(vb, FPEC_CR, 4, 0);
	return sr;
}

static inline uint32_t vbt_opt_erase(struct vb *vb)
{
	uint32_t sr;

	vbt_wr(vb, FPEC_CR, 4, CR_OPTER | CR_OPTWRE);
	vbt_wr(vb, FPEC_CR, 4, CR_OPTER | CR_STRT | CR_OPTWRE);
	vbt_wait(vb);
	sr = vbt_sr(vb);
	vbt_wr(vb, FPEC_SR, 4, SR_PGERR | SR_WRPRTERR | SR_EOP);
	vbt_wr(vb, FPEC_CR, 4, CR_OPTWRE);
	return sr;
}

/* Program option byte i (0 RDP, 1 USER, 2-3 Data, 4-7 WRP0-3). */
static inline uint32_t vbt_opt_program(struct vb *vb, unsigned i, uint8_t v)
{
	uint32_t sr;

	vbt_wr(vb, FPEC_CR, 4, CR_OPTPG | CR_OPTWRE);
	vbt_wr(vb, VB_OPT_BASE + 2 * i, 2, v);
	vbt_wait(vb);
	sr = vbt_sr(vb);
	vbt_wr(vb, FPEC_SR, 4, SR_PGERR | SR_WRPRTERR | SR_EOP);
	vbt_wr(vb, FPEC_CR, 4, CR_OPTWRE);
	return sr;
}

#endif
