// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What a debugger finds on the Private Peripheral Bus of an STM32F103's
 * Cortex-M3 r1p1 (ARMv7-M ARM C1, Cortex-M3 TRM r1p1, RM0008 §31):
 *
 *   0xE0000000 ITM    stimulus ports always ready, the rest storage
 *   0xE0001000 DWT    DWT_CTRL with 4 comparators; CYCCNT counts the
 *                     core's cycles (one per instruction)
 *   0xE0002000 FPB    6 code and 2 literal comparators; enabled code
 *                     comparators halt the core like BKPT
 *   0xE000E000 SCS    CPUID, AIRCR (SYSRESETREQ, VECTRESET), DFSR and the
 *                     debug registers DHCSR, DCRSR, DCRDR, DEMCR; NVIC,
 *                     SysTick and the other SCB registers are storage
 *   0xE0040000 TPIU   storage with its reset values
 *   0xE0041000 ETM    not present: bus error
 *   0xE0042000 DBGMCU IDCODE and CR
 *   0xE00FF000 ROM table, with ST's identification (part = DEV_ID)
 *
 * Each component answers its CoreSight identification registers. The debug
 * registers (DHCSR but its C_HALT, DFSR, DEMCR...), DWT, FPB, ITM, TPIU
 * and DBGMCU_CR survive system resets; only power-on clears them. The rest
 * of the SCS is reset with the system; a debugger halts the core at the
 * reset vector with DEMCR.VC_CORERESET. Accesses are 1, 2 or 4 bytes,
 * aligned; a register wants its key (DHCSR, AIRCR) or is word-only (DCRSR)
 * only when the whole word is written.
 */
#include <stdlib.h>
#include <string.h>

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

struct vb_scs *vb_scs_new(struct vb *vb)
{
	(void)vb;
	return calloc(1, sizeof(struct vb_scs));
}

void vb_scs_free(struct vb_scs *scs)
{
	free(scs);
}

static void system_part_reset(struct vb_scs *s)
{
	memset(s->scs, 0, sizeof(s->scs));
	s->prigroup = 0;
}

void vb_scs_power_on(struct vb *vb)
{
	struct vb_scs *s = vb->scs;

	memset(s, 0, sizeof(*s));
	s->regrdy = true;
	s->retire_mark = vb->st.cpu_instructions;
	s->cyc_mark = vb->st.cpu_instructions;
	s->tpiu[TPIU_CSPSR / 4] = 0x1;
	s->tpiu[TPIU_SPPR / 4] = 0x1;
	s->tpiu[TPIU_FFCR / 4] = 0x102;
	system_part_reset(s);
}

bool vb_scs_debugen(const struct vb *vb)
{
	return vb->scs->ctrl & C_DEBUGEN;
}

void vb_scs_system_reset(struct vb *vb)
{
	struct vb_scs *s = vb->scs;

	s->reset_st = true;
	s->ctrl &= ~C_HALT; /* the only DHCSR bit a reset clears */
	system_part_reset(s);
	if ((s->ctrl & C_DEBUGEN) && (s->demcr & VC_CORERESET))
		vb_cpu_halt(vb, VB_DFSR_VCATCH);
}

void vb_scs_halted(struct vb *vb, uint32_t dfsr)
{
	vb->scs->dfsr |= dfsr & DFSR_MASK;
	vb->scs->ctrl |= C_HALT;
}

void vb_scs_bkpt(struct vb *vb)
{
	if (vb->scs->ctrl & C_DEBUGEN)
		vb_cpu_halt(vb, VB_DFSR_BKPT);
}

void vb_scs_hardfault(struct vb *vb)
{
	struct vb_scs *s = vb->scs;

	if ((s->ctrl & C_DEBUGEN) && (s->demcr & VC_HARDERR))
		vb_cpu_halt(vb, VB_DFSR_VCATCH);
}

bool vb_scs_fpb_match(const struct vb *vb, uint32_t addr)
{
	const struct vb_scs *s = vb->scs;

	if (!s->fp_any || addr >= 0x20000000u)
		return false;
	for (int i = 0; i < FP_NCODE; i++) {
		uint32_t comp = s->fp_comp[i];
		uint32_t replace = comp >> 30;

		if (!(comp & 1) || (comp ^ addr) & 0x1FFFFFFCu)
			continue;
		if (replace == 3 || replace == ((addr & 2) ? 2u : 1u))
			return true;
	}
	return false;
}

static void fpb_update(struct vb_scs *s)
{
	s->fp_any = false;
	if (!(s->fp_ctrl & FP_ENABLE))
		return;
	for (int i = 0; i < FP_NCODE; i++)
		if ((s->fp_comp[i] & 1) && (s->fp_comp[i] >> 30))
			s->fp_any = true;
}

/* CoreSight identification registers (0xFD0-0xFFC) of a component. */
static uint32_t id_reg(uint32_t off, unsigned jep, unsigned part, unsigned rev,
		       unsigned cls)
{
	switch (off) {
	case 0xFD0: /* PIDR4: JEP106 continuation, one 4 KB block */
		return jep >> 8;
	case 0xFE0: /* PIDR0 */
		return part & 0xFF;
	case 0xFE4: /* PIDR1 */
		return (jep & 0xF) << 4 | (part >> 8 & 0xF);
	case 0xFE8: /* PIDR2: revision, JEDEC, JEP106 code[6:4] */
		return rev << 4 | 0x8 | (jep >> 4 & 0x7);
	case 0xFF0:
		return 0x0D;
	case 0xFF4:
		return cls << 4;
	case 0xFF8:
		return 0x05;
	case 0xFFC:
		return 0xB1;
	default: /* PIDR3, PIDR5-7 */
		return 0;
	}
}

static uint32_t cyccnt(const struct vb *vb)
{
	const struct vb_scs *s = vb->scs;

	if (!(s->dwt[DWT_CTRL / 4] & CYCCNTENA))
		return s->cyccnt;
	return s->cyccnt + (uint32_t)(vb->st.cpu_instructions - s->cyc_mark);
}

static uint32_t dhcsr(struct vb *vb, bool consume)
{
	struct vb_scs *s = vb->scs;
	uint32_t v = s->ctrl;

	if (s->regrdy)
		v |= S_REGRDY;
	if (vb_cpu_halted(vb))
		v |= S_HALT;
	if (vb_cpu_sleeping(vb))
		v |= S_SLEEP;
	if (vb_cpu_locked(vb))
		v |= S_LOCKUP;
	if (vb->st.cpu_instructions != s->retire_mark)
		v |= S_RETIRE_ST;
	if (s->reset_st)
		v |= S_RESET_ST;
	if (consume) {
		s->retire_mark = vb->st.cpu_instructions;
		s->reset_st = false;
	}
	return v;
}

static uint32_t nvic_set(const struct vb_scs *s, uint32_t off)
{
	/* ISER/ICER, ISPR/ICPR share their state: kept at ISER/ISPR */
	if (off >= NVIC_ICER && off < NVIC_ICER + NVIC_SET_SIZE)
		off -= NVIC_ICER - NVIC_ISER;
	else if (off >= NVIC_ICPR && off < NVIC_ICPR + NVIC_SET_SIZE)
		off -= NVIC_ICPR - NVIC_ISPR;
	return s->scs[off / 4];
}

static const uint32_t cpu_id_regs[] = {
	/* ID_PFR0, ID_PFR1, ID_DFR0, ID_AFR0, ID_MMFR0-3, ID_ISAR0-4 */
	0x00000030, 0x00000200, 0x00100000, 0x00000000, 0x00000030, 0x00000000,
	0x00000000, 0x00000000, 0x01141110, 0x02111000, 0x21112231, 0x01111110,
	0x01310102, 0x00000000, 0x00000000, 0x00000000,
};

static int scs_read(struct vb *vb, uint32_t off, bool consume, uint32_t *val)
{
	struct vb_scs *s = vb->scs;
	uint32_t v;

	if (off >= ID_REGS) {
		*val = id_reg(off, JEP_ARM, 0x000, 0, CLASS_GEN);
		return VB_OK;
	}
	if (off >= ID_FIRST && off <= ID_LAST) {
		*val = cpu_id_regs[(off - ID_FIRST) / 4];
		return VB_OK;
	}
	if (off >= NVIC_ISER && off < NVIC_IABR) {
		*val = nvic_set(s, off);
		return VB_OK;
	}
	switch (off) {
	case ICTR:
		*val = 1; /* 33-64 interrupt lines */
		break;
	case STCALIB:
		*val = 9000; /* TENMS: 1 ms at 72 MHz / 8 */
		break;
	case CPUID:
		*val = CPUID_M3_R1P1;
		break;
	case ICSR:
		/* VECTACTIVE: the exception the core is in */
		*val = vb_cpu_reg_read(vb, 16, &v) ? 0 : v & 0x1FF;
		break;
	case AIRCR:
		*val = VECTKEYSTAT | s->prigroup << 8;
		break;
	case DFSR:
		*val = s->dfsr;
		break;
	case DHCSR:
		*val = dhcsr(vb, consume);
		break;
	case DCRSR:
	case STIR:
		*val = 0; /* write-only */
		break;
	case DCRDR:
		*val = s->dcrdr;
		break;
	case DEMCR:
		*val = s->demcr;
		break;
	default:
		*val = s->scs[off / 4];
		break;
	}
	return VB_OK;
}

/* DCRSR: move a core register through DCRDR, only in Debug state. */
static void dcrsr_write(struct vb *vb, uint32_t v)
{
	struct vb_scs *s = vb->scs;
	unsigned sel = v & DCRSR_REGSEL;

	s->regrdy = false;
	if (!vb_cpu_halted(vb))
		return;
	if (v & DCRSR_REGWNR)
		vb_cpu_reg_write(vb, sel, s->dcrdr);
	else if (vb_cpu_reg_read(vb, sel, &s->dcrdr))
		s->dcrdr = 0;
	s->regrdy = true;
}

static void dhcsr_write(struct vb *vb, enum vb_master m, uint32_t v)
{
	struct vb_scs *s = vb->scs;
	bool halted = vb_cpu_halted(vb);

	v &= C_DEBUGEN | C_HALT | C_STEP | C_MASKINTS | C_SNAPSTALL;
	if (m == VB_CPU) {
		/* software cannot enable halting debug */
		if (!(s->ctrl & C_DEBUGEN))
			return;
		v |= C_DEBUGEN;
	}
	if (!(v & C_DEBUGEN))
		v = 0;
	s->ctrl = v;
	if (!(v & C_DEBUGEN)) {
		if (halted)
			vb_cpu_resume(vb);
	} else if (v & C_HALT) {
		if (!halted)
			vb_cpu_halt(vb, VB_DFSR_HALTED);
	} else if (halted) {
		if (v & C_STEP)
			vb_cpu_step(vb);
		else
			vb_cpu_resume(vb);
	}
}

static void nvic_write(struct vb_scs *s, uint32_t off, uint32_t v)
{
	if (off < NVIC_ICER)
		s->scs[off / 4] |= v;
	else if (off < NVIC_ISPR)
		s->scs[(off - NVIC_ICER + NVIC_ISER) / 4] &= ~v;
	else if (off < NVIC_ICPR)
		s->scs[off / 4] |= v;
	else
		s->scs[(off - NVIC_ICPR + NVIC_ISPR) / 4] &= ~v;
}

/* mask: the bytes written; v: the word with them in place */
static int scs_write(struct vb *vb, enum vb_master m, uint32_t off, uint32_t v,
		     uint32_t mask)
{
	struct vb_scs *s = vb->scs;
	bool word = mask == 0xFFFFFFFFu;

	if (off >= ID_REGS || (off >= ID_FIRST && off <= ID_LAST))
		return VB_OK; /* read-only */
	if (off >= NVIC_ISER && off < NVIC_IABR) {
		nvic_write(s, off, v & mask);
		return VB_OK;
	}
	switch (off) {
	case ICTR:
	case STCALIB:
	case CPUID:
	case ICSR:
	case STIR:
		break;
	case VTOR:
		s->scs[off / 4] = (s->scs[off / 4] & ~mask) | (v & mask);
		s->scs[off / 4] &= 0x3FFFFF80u;
		break;
	case AIRCR:
		if (!word || v >> 16 != VECTKEY)
			break;
		s->prigroup = v >> 8 & 7;
		if (v & AIRCR_SYSRESETREQ)
			vb_cpu_reset_request(vb, true);
		else if (v & AIRCR_VECTRESET)
			vb_cpu_reset_request(vb, false);
		break;
	case DFSR:
		s->dfsr &= ~(v & mask);
		break;
	case DHCSR:
		if (word && v >> 16 == DBGKEY)
			dhcsr_write(vb, m, v);
		break;
	case DCRSR:
		if (word)
			dcrsr_write(vb, v);
		break;
	case DCRDR:
		s->dcrdr = (s->dcrdr & ~mask) | (v & mask);
		break;
	case DEMCR:
		s->demcr = ((s->demcr & ~mask) | (v & mask)) & DEMCR_MASK;
		break;
	default:
		s->scs[off / 4] = (s->scs[off / 4] & ~mask) | (v & mask);
		break;
	}
	return VB_OK;
}

static uint32_t dwt_read(struct vb *vb, uint32_t off)
{
	struct vb_scs *s = vb->scs;
	uint32_t pc;

	if (off >= ID_REGS)
		return id_reg(off, JEP_ARM, 0x002, 3, CLASS_GEN);
	switch (off) {
	case DWT_CTRL:
		return DWT_NUMCOMP << 28 | s->dwt[0];
	case DWT_CYCCNT:
		return cyccnt(vb);
	case DWT_PCSR:
		if (vb_cpu_halted(vb) || vb_cpu_reg_read(vb, 15, &pc))
			return 0xFFFFFFFFu;
		return pc;
	default:
		return s->dwt[off / 4];
	}
}

static void dwt_write(struct vb *vb, uint32_t off, uint32_t v, uint32_t mask)
{
	struct vb_scs *s = vb->scs;
	uint32_t cnt = cyccnt(vb);

	if (off >= ID_REGS || off == DWT_PCSR)
		return;
	s->cyc_mark = vb->st.cpu_instructions;
	s->cyccnt = cnt;
	if (off == DWT_CYCCNT) {
		s->cyccnt = (cnt & ~mask) | (v & mask);
		return;
	}
	s->dwt[off / 4] = (s->dwt[off / 4] & ~mask) | (v & mask);
	if (off == DWT_CTRL)
		s->dwt[0] &= DWT_CTRL_MASK;
}

static uint32_t fpb_read(struct vb *vb, uint32_t off)
{
	struct vb_scs *s = vb->scs;

	if (off >= ID_REGS)
		return id_reg(off, JEP_ARM, 0x003, 2, CLASS_GEN);
	if (off == FP_CTRL)
		return FP_NLIT << 8 | FP_NCODE << 4 | (s->fp_ctrl & FP_ENABLE);
	if (off == FP_REMAP)
		return FP_RMPSPT | s->fp_remap;
	if (off >= FP_COMP0 && off < FP_COMP0 + 4 * FP_NCOMP)
		return s->fp_comp[(off - FP_COMP0) / 4];
	return 0;
}

static void fpb_write(struct vb *vb, uint32_t off, uint32_t v, uint32_t mask)
{
	struct vb_scs *s = vb->scs;
	uint32_t *r;

	if (off == FP_CTRL) {
		v &= mask;
		if (v & FP_KEY)
			s->fp_ctrl = v & FP_ENABLE;
	} else if (off == FP_REMAP) {
		s->fp_remap =
			((s->fp_remap & ~mask) | (v & mask)) & FP_REMAP_MASK;
	} else if (off >= FP_COMP0 && off < FP_COMP0 + 4 * FP_NCOMP) {
		r = &s->fp_comp[(off - FP_COMP0) / 4];
		*r = ((*r & ~mask) | (v & mask)) & FP_COMP_MASK;
	}
	fpb_update(s);
}

static uint32_t itm_read(struct vb *vb, uint32_t off)
{
	struct vb_scs *s = vb->scs;

	if (off >= ID_REGS)
		return id_reg(off, JEP_ARM, 0x001, 3, CLASS_GEN);
	if (off < ITM_STIM_END)
		return 1; /* FIFOREADY: output goes nowhere */
	if (off == ITM_LSR)
		return s->itm_unlocked ? 0x1 : 0x3;
	return off == ITM_LAR ? 0 : s->itm[off / 4];
}

static void itm_write(struct vb *vb, uint32_t off, uint32_t v, uint32_t mask)
{
	struct vb_scs *s = vb->scs;

	if (off == ITM_LAR)
		s->itm_unlocked = (v & mask) == CS_UNLOCK;
	else if (off >= ITM_STIM_END && off < ID_REGS && off != ITM_LSR)
		s->itm[off / 4] = (s->itm[off / 4] & ~mask) | (v & mask);
}

static uint32_t tpiu_read(struct vb *vb, uint32_t off)
{
	switch (off) {
	case TPIU_SSPSR:
		return 0xF; /* port widths 1-4 */
	case TPIU_FFSR:
		return 0x8; /* FtNonStop */
	case TPIU_DEVID:
		return 0xCA0;
	case TPIU_DEVTYPE:
		return 0x11; /* trace sink, port */
	default:
		if (off >= ID_REGS)
			return id_reg(off, JEP_ARM, 0x923, 1, CLASS_CS);
		return vb->scs->tpiu[off / 4];
	}
}

static void tpiu_write(struct vb *vb, uint32_t off, uint32_t v, uint32_t mask)
{
	uint32_t *r = &vb->scs->tpiu[off / 4];

	if (off != TPIU_SSPSR && off != TPIU_FFSR && off < TPIU_DEVID)
		*r = (*r & ~mask) | (v & mask);
}

/* The ROM table: ST put the DEV_ID in its part number. */
static uint32_t rom_read(struct vb *vb, uint32_t off)
{
	static const uint32_t entries[] = {
		0xFFF0F003, /* SCS */
		0xFFF02003, /* DWT */
		0xFFF03003, /* FPB */
		0xFFF01003, /* ITM */
		0xFFF41003, /* TPIU */
		0xFFF42002, /* ETM: not present */
		0x00000000, /* end */
	};

	if (off < sizeof(entries))
		return entries[off / 4];
	if (off == ROM_MEMTYPE)
		return 1; /* system memory present on the bus */
	if (off >= ID_REGS)
		return id_reg(off, JEP_ST, vb->chip.dev_id, 0, CLASS_ROM);
	return 0;
}

/* The word at addr (aligned); consume: the read ends at byte 3. */
static int read_word(struct vb *vb, uint32_t addr, bool consume, uint32_t *val)
{
	uint32_t off = addr & (BLOCK - 1);

	switch (addr & ~(BLOCK - 1)) {
	case ITM_BASE:
		*val = itm_read(vb, off);
		return VB_OK;
	case DWT_BASE:
		*val = dwt_read(vb, off);
		return VB_OK;
	case FPB_BASE:
		*val = fpb_read(vb, off);
		return VB_OK;
	case SCS_BASE:
		return scs_read(vb, off, consume, val);
	case TPIU_BASE:
		*val = tpiu_read(vb, off);
		return VB_OK;
	case VB_DBGMCU_BASE:
		if (off == DBGMCU_IDCODE)
			*val = (uint32_t)vb->chip.rev_id << 16 |
			       vb->chip.dev_id;
		else if (off == DBGMCU_CR)
			*val = vb->scs->dbgmcu_cr;
		else
			return VB_ERR;
		return VB_OK;
	case ROM_BASE:
		*val = rom_read(vb, off);
		return VB_OK;
	default:
		return VB_ERR;
	}
}

static int write_word(struct vb *vb, enum vb_master m, uint32_t addr,
		      uint32_t v, uint32_t mask)
{
	uint32_t off = addr & (BLOCK - 1);

	switch (addr & ~(BLOCK - 1)) {
	case ITM_BASE:
		itm_write(vb, off, v, mask);
		return VB_OK;
	case DWT_BASE:
		dwt_write(vb, off, v, mask);
		return VB_OK;
	case FPB_BASE:
		fpb_write(vb, off, v, mask);
		return VB_OK;
	case SCS_BASE:
		return scs_write(vb, m, off, v, mask);
	case TPIU_BASE:
		tpiu_write(vb, off, v, mask);
		return VB_OK;
	case VB_DBGMCU_BASE:
		if (off == DBGMCU_IDCODE)
			return VB_OK;
		if (off != DBGMCU_CR)
			return VB_ERR;
		vb->scs->dbgmcu_cr =
			((vb->scs->dbgmcu_cr & ~mask) | (v & mask)) &
			DBGMCU_CR_MASK;
		return VB_OK;
	case ROM_BASE:
		return VB_OK;
	default:
		return VB_ERR;
	}
}

static bool aligned(uint32_t addr, unsigned size)
{
	return (size == 1 || size == 2 || size == 4) && !(addr & (size - 1));
}

int vb_scs_read(struct vb *vb, enum vb_master m, uint32_t addr, unsigned size,
		uint32_t *val)
{
	unsigned shift = (addr & 3) * 8;
	uint32_t w;
	int ret;

	(void)m;
	*val = 0;
	if (!aligned(addr, size))
		return VB_ERR;
	ret = read_word(vb, addr & ~3u, (addr & 3) + size == 4, &w);
	if (ret != VB_OK)
		return ret;
	*val = size == 4 ? w : (w >> shift) & ((1u << (8 * size)) - 1);
	return VB_OK;
}

int vb_scs_write(struct vb *vb, enum vb_master m, uint32_t addr, unsigned size,
		 uint32_t val)
{
	unsigned shift = (addr & 3) * 8;
	uint32_t mask;

	if (!aligned(addr, size))
		return VB_ERR;
	mask = size == 4 ? 0xFFFFFFFFu : ((1u << (8 * size)) - 1) << shift;
	return write_word(vb, m, addr & ~3u, (val << shift) & mask, mask);
}
