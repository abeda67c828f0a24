// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SysTick timer (PM0056 §4.5): a 24-bit down counter reloaded from
 * LOAD, COUNTFLAG set at each wrap and cleared by reading CTRL or writing
 * VAL. It counts the core's cycles (CLKSOURCE 1) or the core clock / 8
 * (CLKSOURCE 0, the external reference HCLK/8), on the virtual clock. The
 * exception is not taken (the core model has none); firmware polls.
 */
#include "vb.h"

#define CTRL  0x0
#define LOAD  0x4
#define VAL   0x8
#define CALIB 0xC

#define ENABLE	  (1u << 0)
#define TICKINT	  (1u << 1)
#define CLKSOURCE (1u << 2)
#define COUNTFLAG (1u << 16)

#define PS_PER_S 1000000000000ull
/* 9000: 1 ms at 9 MHz (HCLK/8 at 72 MHz), as on every STM32F1 */
#define CALIB_VAL 0x00002328u

static uint32_t *regs(struct vb *vb)
{
	return vb->io.systick_reg;
}

static uint64_t tick_ps(struct vb *vb)
{
	uint32_t hz = vb_rcc_core_hz(vb);

	if (!(regs(vb)[0] & CLKSOURCE))
		hz /= 8;
	return PS_PER_S / (hz ? hz : 1);
}

/* Bring VAL to t: each tick counts down, 0 reloads and sets COUNTFLAG. */
static void update(struct vb *vb, uint64_t t)
{
	uint32_t *r = regs(vb), reload = r[1] & 0xFFFFFF;
	uint64_t ticks, tp = tick_ps(vb), val = vb->io.systick_val0;

	if (!(r[0] & ENABLE) || t <= vb->io.systick_t0)
		return;
	ticks = (t - vb->io.systick_t0) / tp;
	if (!ticks)
		return;
	vb->io.systick_t0 += ticks * tp;
	if (ticks <= val) {
		val -= ticks;
		if (!val)
			vb->io.systick_flag = true;
	} else {
		ticks -= val + 1; /* to 0, then the reload */
		vb->io.systick_flag = true;
		val = reload ? reload - ticks % (reload + 1ull) : 0;
		if (reload && ticks / (reload + 1ull))
			vb->io.systick_flag = true;
	}
	vb->io.systick_val0 = (uint32_t)val;
}

int vb_systick_read(struct vb *vb, uint32_t addr, uint32_t *val)
{
	uint32_t *r = regs(vb);

	update(vb, vb_io_now(vb));
	switch (addr - VB_SYSTICK_BASE) {
	case CTRL:
		*val = (r[0] & 7) | (vb->io.systick_flag ? COUNTFLAG : 0);
		vb->io.systick_flag = false;
		break;
	case LOAD:
		*val = r[1] & 0xFFFFFF;
		break;
	case VAL:
		*val = vb->io.systick_val0;
		break;
	default:
		*val = CALIB_VAL;
		break;
	}
	return VB_OK;
}

int vb_systick_write(struct vb *vb, uint32_t addr, uint32_t val)
{
	uint32_t *r = regs(vb);
	uint64_t t = vb_io_now(vb);

	update(vb, t);
	switch (addr - VB_SYSTICK_BASE) {
	case CTRL:
		if ((val & ENABLE) && !(r[0] & ENABLE))
			vb->io.systick_t0 = t; /* counts from now */
		r[0] = val & (ENABLE | TICKINT | CLKSOURCE);
		break;
	case LOAD:
		r[1] = val & 0xFFFFFF;
		break;
	case VAL: /* any write clears it and COUNTFLAG */
		vb->io.systick_val0 = 0;
		vb->io.systick_flag = false;
		vb->io.systick_t0 = t;
		break;
	default:
		break;
	}
	return VB_OK;
}
