/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_SCS_PRIV_H
#define VB_SCS_PRIV_H

/*
 * What the two halves of the Private Peripheral Bus share:
 *
 *   vb_scs.c     the SCS: debug registers (DHCSR, DCRSR, DCRDR, DEMCR, DFSR),
 *                AIRCR resets, halting; the decoding of the PPB
 *   vb_scs_id.c  identification: the ROM table, CoreSight ID registers,
 *                DWT, FPB, ITM, TPIU, DBGMCU
 */
#include "vb.h"

#define ITM_BASE    0xE0000000u
#define DWT_BASE    0xE0001000u
#define FPB_BASE    0xE0002000u
#define SCS_BASE    0xE000E000u
#define TPIU_BASE   0xE0040000u
#define ROM_BASE    0xE00FF000u
#define BLOCK	    0x1000u
#define BLOCK_WORDS (BLOCK / 4)

/* SCS offsets */
#define ICTR	      0x004
#define STCALIB	      0x01C
#define NVIC_ISER     0x100
#define NVIC_ICER     0x180
#define NVIC_ISPR     0x200
#define NVIC_ICPR     0x280
#define NVIC_IABR     0x300
#define NVIC_SET_SIZE 0x20
#define CPUID	      0xD00
#define ICSR	      0xD04
#define VTOR	      0xD08
#define AIRCR	      0xD0C
#define DFSR	      0xD30
#define ID_FIRST      0xD40
#define ID_LAST	      0xD7C
#define STIR	      0xF00
#define DHCSR	      0xDF0
#define DCRSR	      0xDF4
#define DCRDR	      0xDF8
#define DEMCR	      0xDFC

#define CPUID_M3_R1P1	  0x411FC231u
#define VECTKEY		  0x05FAu
#define VECTKEYSTAT	  0xFA050000u
#define AIRCR_VECTRESET	  0x1u
#define AIRCR_SYSRESETREQ 0x4u
#define DBGKEY		  0xA05Fu

#define C_DEBUGEN   0x01u
#define C_HALT	    0x02u
#define C_STEP	    0x04u
#define C_MASKINTS  0x08u
#define C_SNAPSTALL 0x20u
#define S_REGRDY    (1u << 16)
#define S_HALT	    (1u << 17)
#define S_SLEEP	    (1u << 18)
#define S_LOCKUP    (1u << 19)
#define S_RETIRE_ST (1u << 24)
#define S_RESET_ST  (1u << 25)

#define DFSR_MASK    0x1Fu
#define DEMCR_MASK   0x010F07F1u
#define VC_CORERESET 0x001u
#define VC_HARDERR   0x400u

#define DCRSR_REGSEL 0x1Fu
#define DCRSR_REGWNR (1u << 16)

/* DWT offsets */
#define DWT_CTRL      0x000
#define DWT_CYCCNT    0x004
#define DWT_PCSR      0x01C
#define DWT_NUMCOMP   4u
#define DWT_CTRL_MASK 0x007F1FFFu
#define CYCCNTENA     0x1u

/* FPB */
#define FP_CTRL	      0x000
#define FP_REMAP      0x004
#define FP_COMP0      0x008
#define FP_NCODE      6
#define FP_NLIT	      2
#define FP_NCOMP      (FP_NCODE + FP_NLIT)
#define FP_KEY	      0x2u
#define FP_ENABLE     0x1u
#define FP_COMP_MASK  0xDFFFFFFDu
#define FP_REMAP_MASK 0x1FFFFFE0u
#define FP_RMPSPT     (1u << 29)

/* ITM */
#define ITM_STIM_END 0x080
#define ITM_LAR	     0xFB0
#define ITM_LSR	     0xFB4
#define CS_UNLOCK    0xC5ACCE55u

/* TPIU */
#define TPIU_SSPSR   0x000
#define TPIU_CSPSR   0x004
#define TPIU_SPPR    0x0F0
#define TPIU_FFSR    0x300
#define TPIU_FFCR    0x304
#define TPIU_DEVID   0xFC8
#define TPIU_DEVTYPE 0xFCC

/* ROM table */
#define ROM_MEMTYPE 0xFCC

/* DBGMCU */
#define DBGMCU_IDCODE  0x000
#define DBGMCU_CR      0x004
#define DBGMCU_CR_MASK 0x001FFFE7u

/* CoreSight identification, 0xFD0-0xFFC of each 4 KB component */
#define ID_REGS	  0xFD0
#define JEP_ARM	  0x43Bu /* continuation 4, code 0x3B */
#define JEP_ST	  0x020u /* continuation 0, code 0x20 */
#define CLASS_ROM 0x1u
#define CLASS_CS  0x9u
#define CLASS_GEN 0xEu

struct vb_scs {
	/* debug logic: power-on reset only */
	uint32_t ctrl; /* DHCSR C_* bits as last written */
	bool regrdy;
	bool reset_st;
	uint64_t retire_mark; /* cpu_instructions at the last DHCSR read */
	uint32_t dfsr, dcrdr, demcr;
	uint32_t dwt[BLOCK_WORDS];
	uint32_t cyccnt; /* CYCCNT at cyc_mark instructions */
	uint64_t cyc_mark;
	uint32_t fp_ctrl, fp_remap, fp_comp[FP_NCOMP];
	bool fp_any; /* a code comparator can break */
	uint32_t itm[BLOCK_WORDS];
	bool itm_unlocked;
	uint32_t tpiu[BLOCK_WORDS];
	uint32_t dbgmcu_cr;

	/* the rest of the SCS: system reset */
	uint32_t scs[BLOCK_WORDS];
	uint32_t prigroup;
};

/* vb_scs_id.c: CoreSight identification registers (0xFD0-0xFFC) */
uint32_t vb_scs_id_reg(uint32_t off, unsigned jep, unsigned part, unsigned rev,
		       unsigned cls);

/* vb_scs_id.c: the components, by offset in their 4 KB block; mask: the
 * bytes written, v: the word with them in place */
uint32_t vb_scs_dwt_read(struct vb *vb, uint32_t off);
void vb_scs_dwt_write(struct vb *vb, uint32_t off, uint32_t v, uint32_t mask);
uint32_t vb_scs_fpb_read(struct vb *vb, uint32_t off);
void vb_scs_fpb_write(struct vb *vb, uint32_t off, uint32_t v, uint32_t mask);
uint32_t vb_scs_itm_read(struct vb *vb, uint32_t off);
void vb_scs_itm_write(struct vb *vb, uint32_t off, uint32_t v, uint32_t mask);
uint32_t vb_scs_tpiu_read(struct vb *vb, uint32_t off);
void vb_scs_tpiu_write(struct vb *vb, uint32_t off, uint32_t v, uint32_t mask);
uint32_t vb_scs_rom_read(struct vb *vb, uint32_t off);
int vb_scs_dbgmcu_read(struct vb *vb, uint32_t off, uint32_t *val);
int vb_scs_dbgmcu_write(struct vb *vb, uint32_t off, uint32_t v, uint32_t mask);

#endif
