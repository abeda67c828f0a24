// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Private Peripheral Bus (vb_scs.c), identification side: each
 * component's CoreSight ID registers, the ROM table (ST's, part = DEV_ID),
 * DWT (CYCCNT counts the core's instructions), FPB (code comparators break
 * like BKPT), ITM and TPIU (storage with their reset values), and DBGMCU
 * (IDCODE, CR). All survive system resets; only power-on clears them.
 */
#include "vb_scs_priv.h"

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
uint32_t vb_scs_id_reg(uint32_t off, unsigned jep, unsigned part, unsigned rev,
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

uint32_t vb_scs_dwt_read(struct vb *vb, uint32_t off)
{
	struct vb_scs *s = vb->scs;
	uint32_t pc;

	if (off >= ID_REGS)
		return vb_scs_id_reg(off, JEP_ARM, 0x002, 3, CLASS_GEN);
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

void vb_scs_dwt_write(struct vb *vb, uint32_t off, uint32_t v, uint32_t mask)
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

uint32_t vb_scs_fpb_read(struct vb *vb, uint32_t off)
{
	struct vb_scs *s = vb->scs;

	if (off >= ID_REGS)
		return vb_scs_id_reg(off, JEP_ARM, 0x003, 2, CLASS_GEN);
	if (off == FP_CTRL)
		return FP_NLIT << 8 | FP_NCODE << 4 | (s->fp_ctrl & FP_ENABLE);
	if (off == FP_REMAP)
		return FP_RMPSPT | s->fp_remap;
	if (off >= FP_COMP0 && off < FP_COMP0 + 4 * FP_NCOMP)
		return s->fp_comp[(off - FP_COMP0) / 4];
	return 0;
}

void vb_scs_fpb_write(struct vb *vb, uint32_t off, uint32_t v, uint32_t mask)
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

uint32_t vb_scs_itm_read(struct vb *vb, uint32_t off)
{
	struct vb_scs *s = vb->scs;

	if (off >= ID_REGS)
		return vb_scs_id_reg(off, JEP_ARM, 0x001, 3, CLASS_GEN);
	if (off < ITM_STIM_END)
		return 1; /* FIFOREADY: output goes nowhere */
	if (off == ITM_LSR)
		return s->itm_unlocked ? 0x1 : 0x3;
	return off == ITM_LAR ? 0 : s->itm[off / 4];
}

void vb_scs_itm_write(struct vb *vb, uint32_t off, uint32_t v, uint32_t mask)
{
	struct vb_scs *s = vb->scs;

	if (off == ITM_LAR)
		s->itm_unlocked = (v & mask) == CS_UNLOCK;
	else if (off >= ITM_STIM_END && off < ID_REGS && off != ITM_LSR)
		s->itm[off / 4] = (s->itm[off / 4] & ~mask) | (v & mask);
}

uint32_t vb_scs_tpiu_read(struct vb *vb, uint32_t off)
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
			return vb_scs_id_reg(off, JEP_ARM, 0x923, 1, CLASS_CS);
		return vb->scs->tpiu[off / 4];
	}
}

void vb_scs_tpiu_write(struct vb *vb, uint32_t off, uint32_t v, uint32_t mask)
{
	uint32_t *r = &vb->scs->tpiu[off / 4];

	if (off != TPIU_SSPSR && off != TPIU_FFSR && off < TPIU_DEVID)
		*r = (*r & ~mask) | (v & mask);
}

/* The ROM table: ST put the DEV_ID in its part number. */
uint32_t vb_scs_rom_read(struct vb *vb, uint32_t off)
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
		return vb_scs_id_reg(off, JEP_ST, vb->chip.dev_id, 0,
				     CLASS_ROM);
	return 0;
}

/* DBGMCU: IDCODE (DEV_ID, REV_ID) and CR. */
int vb_scs_dbgmcu_read(struct vb *vb, uint32_t off, uint32_t *val)
{
	if (off == DBGMCU_IDCODE)
		*val = (uint32_t)vb->chip.rev_id << 16 | vb->chip.dev_id;
	else if (off == DBGMCU_CR)
		*val = vb->scs->dbgmcu_cr;
	else
		return VB_ERR;
	return VB_OK;
}

int vb_scs_dbgmcu_write(struct vb *vb, uint32_t off, uint32_t v, uint32_t mask)
{
	if (off == DBGMCU_IDCODE)
		return VB_OK;
	if (off != DBGMCU_CR)
		return VB_ERR;
	vb->scs->dbgmcu_cr =
		((vb->scs->dbgmcu_cr & ~mask) | (v & mask)) & DBGMCU_CR_MASK;
	return VB_OK;
}
