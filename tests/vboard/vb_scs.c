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
 *
 * This file: the SCS and its debug registers, and which component answers
 * an address; the identification side (ROM table, ID registers, DWT, FPB,
 * ITM, TPIU, DBGMCU) is in vb_scs_id.c (vb_scs_priv.h).
 */
#include <stdlib.h>
#include <string.h>

#include "vb_scs_priv.h"

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
		*val = vb_scs_id_reg(off, JEP_ARM, 0x000, 0, CLASS_GEN);
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

/* The word at addr (aligned); consume: the read ends at byte 3. */
static int read_word(struct vb *vb, uint32_t addr, bool consume, uint32_t *val)
{
	uint32_t off = addr & (BLOCK - 1);

	switch (addr & ~(BLOCK - 1)) {
	case ITM_BASE:
		*val = vb_scs_itm_read(vb, off);
		return VB_OK;
	case DWT_BASE:
		*val = vb_scs_dwt_read(vb, off);
		return VB_OK;
	case FPB_BASE:
		*val = vb_scs_fpb_read(vb, off);
		return VB_OK;
	case SCS_BASE:
		return scs_read(vb, off, consume, val);
	case TPIU_BASE:
		*val = vb_scs_tpiu_read(vb, off);
		return VB_OK;
	case VB_DBGMCU_BASE:
		return vb_scs_dbgmcu_read(vb, off, val);
	case ROM_BASE:
		*val = vb_scs_rom_read(vb, off);
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
		vb_scs_itm_write(vb, off, v, mask);
		return VB_OK;
	case DWT_BASE:
		vb_scs_dwt_write(vb, off, v, mask);
		return VB_OK;
	case FPB_BASE:
		vb_scs_fpb_write(vb, off, v, mask);
		return VB_OK;
	case SCS_BASE:
		return scs_write(vb, m, off, v, mask);
	case TPIU_BASE:
		vb_scs_tpiu_write(vb, off, v, mask);
		return VB_OK;
	case VB_DBGMCU_BASE:
		return vb_scs_dbgmcu_write(vb, off, v, mask);
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
