// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reset and clock control (RM0008 §7.3): the oscillators and the PLL with
 * their ready flags on the virtual clock, the clock switch, the bus
 * prescalers and the peripheral clock enables and resets. The clocks it
 * sets are what the SPI and USART models run at; the core runs at the
 * cpu_hz setting while HCLK is the HSI's 8 MHz, and in proportion to HCLK
 * when the program switches it (vb_rcc_core_hz), as SysTick counts.
 *
 * Also the time of peripheral accesses, and the reset of all the models.
 */
#include <string.h>

#include "vb.h"

#define CR	 0x00
#define CFGR	 0x04
#define CIR	 0x08
#define APB2RSTR 0x0C
#define APB1RSTR 0x10
#define AHBENR	 0x14
#define APB2ENR	 0x18
#define APB1ENR	 0x1C
#define BDCR	 0x20
#define CSR	 0x24

#define HSION	 (1u << 0)
#define HSIRDY	 (1u << 1)
#define HSEON	 (1u << 16)
#define HSERDY	 (1u << 17)
#define HSEBYP	 (1u << 18)
#define PLLON	 (1u << 24)
#define PLLRDY	 (1u << 25)
#define PLLSRC	 (1u << 16)
#define PLLXTPRE (1u << 17)
#define PLL_CFG	 (PLLSRC | PLLXTPRE | 0xFu << 18)

#define HSI_HZ 8000000u
/* DS5319: HSI start-up 1-2 us, HSE (8 MHz crystal) 2 ms, PLL lock 200 us */
#define HSI_SU (2 * VB_PS_PER_US)
#define HSE_SU (2 * VB_PS_PER_MS)
#define BYP_SU (1 * VB_PS_PER_US)
#define PLL_SU (200 * VB_PS_PER_US)
#define NEVER  UINT64_MAX

/* The core's time when vb_cpu.c does not tell it. */
__attribute__((weak)) uint64_t vb_cpu_now(const struct vb *vb)
{
	return vb->now_ps;
}

__attribute__((weak)) uint64_t vb_cpu_time(const struct vb *vb)
{
	(void)vb;
	return 0;
}

/* The core's clock changed: vb_cpu_run.c retimes the core. */
__attribute__((weak)) void vb_cpu_clock_changed(struct vb *vb)
{
	(void)vb;
}

uint64_t vb_io_now(struct vb *vb)
{
	uint64_t t = vb_cpu_now(vb);

	if (t < vb->io.last_ps)
		t = vb->io.last_ps;
	vb->io.last_ps = t;
	return t;
}

static uint32_t *reg(struct vb *vb, uint32_t off)
{
	return &vb->periph[VB_P_RCC][off / 4];
}

static uint64_t hsi_ready_at(struct vb *vb)
{
	if (!(*reg(vb, CR) & HSION))
		return NEVER;
	return vb->io.hsi_on ? vb->io.hsi_on + HSI_SU : 0;
}

static uint64_t hse_ready_at(struct vb *vb)
{
	uint32_t cr = *reg(vb, CR);

	if (!(cr & HSEON) || !vb->set.hse_hz)
		return NEVER;
	return vb->io.hse_on + (cr & HSEBYP ? BYP_SU : HSE_SU);
}

static uint64_t pll_ready_at(struct vb *vb)
{
	uint64_t src, on = vb->io.pll_on;

	if (!(*reg(vb, CR) & PLLON))
		return NEVER;
	src = *reg(vb, CFGR) & PLLSRC ? hse_ready_at(vb) : hsi_ready_at(vb);
	if (src == NEVER)
		return NEVER;
	return (src > on ? src : on) + PLL_SU;
}

static uint64_t ready_at(struct vb *vb, unsigned sw)
{
	switch (sw) {
	case 0:
		return hsi_ready_at(vb);
	case 1:
		return hse_ready_at(vb);
	case 2:
		return pll_ready_at(vb);
	default:
		return NEVER;
	}
}

/* The switch to SW happens once its source is ready. */
static void update(struct vb *vb, uint64_t t)
{
	uint32_t *cfgr = reg(vb, CFGR), sw = *cfgr & 3, sws = *cfgr >> 2 & 3;

	if (sw != sws && sw != 3 && ready_at(vb, sw) <= t) {
		*cfgr = (*cfgr & ~0xCu) | sw << 2;
		vb_cpu_clock_changed(vb);
	}
}

static uint32_t pll_hz(struct vb *vb)
{
	uint32_t cfgr = *reg(vb, CFGR), mul = (cfgr >> 18 & 0xF) + 2;
	uint32_t in;

	if (mul > 16)
		mul = 16;
	if (cfgr & PLLSRC)
		in = vb->set.hse_hz >> !!(cfgr & PLLXTPRE);
	else
		in = HSI_HZ / 2;
	return in * mul;
}

/* SYSCLK as the switch stands (SWS), without moving it on. */
static uint32_t sysclk_now(struct vb *vb)
{
	switch (*reg(vb, CFGR) >> 2 & 3) {
	case 1:
		return vb->set.hse_hz;
	case 2:
		return pll_hz(vb);
	default:
		return HSI_HZ;
	}
}

static uint32_t hclk_now(struct vb *vb)
{
	static const uint8_t shift[8] = {1, 2, 3, 4, 6, 7, 8, 9};
	uint32_t hpre = *reg(vb, CFGR) >> 4 & 0xF;

	return sysclk_now(vb) >> (hpre & 8 ? shift[hpre & 7] : 0);
}

uint32_t vb_rcc_sysclk(struct vb *vb)
{
	update(vb, vb_io_now(vb));
	return sysclk_now(vb);
}

uint32_t vb_rcc_hclk(struct vb *vb)
{
	update(vb, vb_io_now(vb));
	return hclk_now(vb);
}

static uint32_t apb(struct vb *vb, unsigned pos)
{
	uint32_t ppre = *reg(vb, CFGR) >> pos & 7;

	return vb_rcc_hclk(vb) >> (ppre & 4 ? (ppre & 3) + 1 : 0);
}

/* Not an access: the clock moves on as the core polls RCC, not here (the
 * peripherals' time stays the core's). */
uint32_t vb_rcc_core_hz(struct vb *vb)
{
	return (uint32_t)((uint64_t)vb->set.cpu_hz * hclk_now(vb) / HSI_HZ);
}

uint32_t vb_rcc_pclk1(struct vb *vb)
{
	return apb(vb, 8);
}

uint32_t vb_rcc_pclk2(struct vb *vb)
{
	return apb(vb, 11);
}

bool vb_rcc_enabled(struct vb *vb, unsigned clk)
{
	uint32_t en = *reg(vb, clk >= 32 ? APB1ENR : APB2ENR);

	return en >> (clk % 32) & 1;
}

int vb_rcc_read(struct vb *vb, unsigned unit, uint32_t off, uint32_t *val)
{
	uint64_t t = vb_io_now(vb);
	uint32_t v;

	(void)unit;
	update(vb, t);
	v = *reg(vb, off);
	if (off == CR) {
		v &= ~(HSIRDY | HSERDY | PLLRDY);
		v |= hsi_ready_at(vb) <= t ? HSIRDY : 0;
		v |= hse_ready_at(vb) <= t ? HSERDY : 0;
		v |= pll_ready_at(vb) <= t ? PLLRDY : 0;
	}
	*val = v;
	return VB_OK;
}

/* A peripheral's reset bit: its registers to their reset values. */
static void reset_block(struct vb *vb, unsigned clk);

static void write_cr(struct vb *vb, uint32_t v, uint64_t t)
{
	uint32_t *cr = reg(vb, CR), old = *cr, cfgr = *reg(vb, CFGR);
	unsigned sws = cfgr >> 2 & 3;
	bool pll = old & PLLON;

	/* a clock in use stays on (RM0008 7.3.1) */
	if (sws == 0 || (pll && !(cfgr & PLLSRC)))
		v |= HSION;
	if (sws == 1 || (pll && (cfgr & PLLSRC)))
		v |= HSEON;
	if (sws == 2)
		v |= PLLON;
	if (old & HSEON) /* HSEBYP only while HSE is off */
		v = (v & ~HSEBYP) | (old & HSEBYP);
	if ((v & ~old) & HSION)
		vb->io.hsi_on = t;
	if ((v & ~old) & HSEON)
		vb->io.hse_on = t;
	if ((v & ~old) & PLLON)
		vb->io.pll_on = t;
	*cr = v & ~(HSIRDY | HSERDY | PLLRDY);
}

int vb_rcc_write(struct vb *vb, unsigned unit, uint32_t off, uint32_t val,
		 uint32_t mask)
{
	uint64_t t = vb_io_now(vb);
	uint32_t *r = reg(vb, off), v = (*r & ~mask) | (val & mask);

	(void)unit;
	update(vb, t);
	switch (off) {
	case CR:
		write_cr(vb, v, t);
		break;
	case CFGR:
		if (*reg(vb, CR) & PLLON) /* PLL settings only while off */
			v = (v & ~PLL_CFG) | (*r & PLL_CFG);
		if ((v ^ *r) & 0xF0u) /* HPRE */
			vb_cpu_clock_changed(vb);
		*r = (v & ~0xCu) | (*r & 0xCu);
		break;
	case APB2RSTR:
	case APB1RSTR:
		*r = v;
		for (unsigned b = 0; b < 32; b++)
			if (v >> b & 1)
				reset_block(vb, b + (off == APB1RSTR ? 32 : 0));
		break;
	case CSR:
		*r = v & 0x01000003u;
		if (v & 1u << 24) /* RMVF clears the reset flags */
			*r &= 0x3u;
		break;
	default:
		if (off > CSR)
			break;
		*r = v;
		break;
	}
	update(vb, t);
	return VB_OK;
}

static void gpio_reset(struct vb *vb, unsigned port)
{
	memset(vb->periph[VB_P_GPIOA + port], 0, sizeof(vb->periph[0]));
	vb->periph[VB_P_GPIOA + port][0] = 0x44444444; /* floating inputs */
	vb->periph[VB_P_GPIOA + port][1] = 0x44444444;
	vb->io.gpio_lock[port] = 0;
	vb->io.lck_seq[port] = 0;
}

static void spi_reset(struct vb *vb, unsigned n)
{
	static const int blk[3] = {VB_P_SPI1, VB_P_SPI2, VB_P_SPI3};
	uint32_t *r = vb->periph[blk[n]];

	memset(r, 0, sizeof(vb->periph[0]));
	r[0x10 / 4] = 0x0007; /* CRCPR */
	r[0x20 / 4] = 0x0002; /* I2SPR */
	memset(&vb->io.spi[n], 0, sizeof(vb->io.spi[n]));
}

/* USART1 to its reset state; the bytes it has already sent are on the
 * wire, and still reach the host. */
static void usart_reset(struct vb *vb)
{
	struct vb_usart_io *u = &vb->io.usart;
	unsigned head = u->txq_head, n = u->txq_n;

	memset(vb->periph[VB_P_USART1], 0, sizeof(vb->periph[0]));
	memset(u->rxq, 0, sizeof(u->rxq));
	u->rxq_head = u->rxq_n = 0;
	u->rx_at = 0;
	u->rdr = u->tdr = u->tsr = 0;
	u->rxne = u->ore = u->tdr_full = u->shifting = false;
	u->waiting = u->ore_sr_read = false;
	u->idle_polls = 0;
	u->tx_end = 0;
	u->tc = true;
	u->txq_head = head;
	u->txq_n = n;
}

static void reset_block(struct vb *vb, unsigned clk)
{
	if (clk == VB_APB2(0)) {
		memset(vb->periph[VB_P_AFIO], 0, sizeof(vb->periph[0]));
		vb->io.swj_cfg = 0;
	} else if (clk >= VB_APB2(2) && clk <= VB_APB2(6)) {
		gpio_reset(vb, clk - VB_APB2(2));
	} else if (clk == VB_APB2(12)) {
		spi_reset(vb, 0);
	} else if (clk == VB_APB1(14)) {
		spi_reset(vb, 1);
	} else if (clk == VB_APB1(15)) {
		spi_reset(vb, 2);
	} else if (clk == VB_APB2(14)) {
		usart_reset(vb);
	}
}

void vb_io_reset(struct vb *vb)
{
	struct vb_io keep = vb->io; /* the wires outside the MCU stay */

	memset(&vb->io, 0, sizeof(vb->io));
	vb->io.last_ps = keep.last_ps > vb->now_ps ? keep.last_ps : vb->now_ps;
	memcpy(vb->io.clip, keep.clip, sizeof(keep.clip));
	memcpy(vb->io.vcd_spi, keep.vcd_spi, sizeof(keep.vcd_spi));
	vb->io.vcd_spi_ns = keep.vcd_spi_ns;
	vb->io.nor_cs = keep.nor_cs;
	vb->io.nor_clk = keep.nor_clk;
	vb->io.lfsr = keep.lfsr ? keep.lfsr : 0xACE1u;
	/* what USART1 has sent is on the wire (usart_reset) */
	memcpy(vb->io.usart.txq, keep.usart.txq, sizeof(keep.usart.txq));
	memcpy(vb->io.usart.txq_baud, keep.usart.txq_baud,
	       sizeof(keep.usart.txq_baud));
	vb->io.usart.txq_head = keep.usart.txq_head;
	vb->io.usart.txq_n = keep.usart.txq_n;
	memset(vb->periph[VB_P_RCC], 0, sizeof(vb->periph[0]));
	*reg(vb, CR) = 0x00000080 | HSION; /* HSITRIM 16 */
	*reg(vb, AHBENR) = 0x00000014;	   /* SRAM and FLITF clocks */
	*reg(vb, CSR) = 0x0C000000;	   /* PINRSTF, PORRSTF */
	vb->io.hsi_on = 0;		   /* HSI runs out of reset */
	reset_block(vb, VB_APB2(0));
	for (unsigned p = 0; p < 5; p++)
		gpio_reset(vb, p);
	for (unsigned n = 0; n < 3; n++)
		spi_reset(vb, n);
	usart_reset(vb);
}
