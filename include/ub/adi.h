/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_ADI_H
#define UB_ADI_H

#include <stddef.h>
#include <stdint.h>

#include "ub/swd.h"

/*
 * The ARM debug port and its memory access port (ADIv5): connect and power
 * up, DP and AP registers with SELECT cached, and memory through the AHB-AP
 * with TAR auto-increment (which wraps at 1 KB, so blocks are split there).
 */
struct ub_dap {
	struct ub_swd *swd;
	uint32_t dpidr;
	uint32_t apidr;
	uint32_t select; /* cached SELECT, valid when select_ok */
	int select_ok;
	uint32_t csw; /* cached CSW, valid when csw_ok */
	int csw_ok;
};

/* AHB-AP registers */
#define UB_AP_CSW 0x00
#define UB_AP_TAR 0x04
#define UB_AP_DRW 0x0C
#define UB_AP_IDR 0xFC

/*
 * Switch to SWD, read DPIDR, clear errors, power up the debug domain and
 * read the AP's identity. UB_ENOTARGET with a diagnosis when nothing sane
 * answers.
 */
int ub_dap_connect(struct ub_dap *d, struct ub_swd *swd);

int ub_dap_dp_read(struct ub_dap *d, unsigned reg, uint32_t *val);
int ub_dap_dp_write(struct ub_dap *d, unsigned reg, uint32_t val);
int ub_dap_ap_read(struct ub_dap *d, unsigned reg, uint32_t *val);
int ub_dap_ap_write(struct ub_dap *d, unsigned reg, uint32_t val);

/* One aligned 32-bit word. */
int ub_dap_read32(struct ub_dap *d, uint32_t addr, uint32_t *val);
int ub_dap_write32(struct ub_dap *d, uint32_t addr, uint32_t val);
/* One aligned halfword (flash programming on the F1 is by halfword). */
int ub_dap_write16(struct ub_dap *d, uint32_t addr, uint16_t val);

/* n halfwords from addr on, TAR auto-incremented (re-set at each 1 KB). */
int ub_dap_write16_block(struct ub_dap *d, uint32_t addr, const uint16_t *v,
			 size_t n);

/* Any range: words with auto-increment, bytes at unaligned ends. */
int ub_dap_read(struct ub_dap *d, uint32_t addr, void *buf, size_t len);
int ub_dap_write(struct ub_dap *d, uint32_t addr, const void *buf, size_t len);

#endif
