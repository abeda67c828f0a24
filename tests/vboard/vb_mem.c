// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The memory map of an STM32F103 (RM0008 §3.3, PM0056 §2.2): who answers
 * which address, for the debugger's AHB-AP and for the core alike.
 * Accesses are 1, 2 or 4 bytes, aligned, little-endian; anything else, and
 * any address nobody answers, is a bus error.
 *
 * The peripherals a loader touches (RCC, AFIO, GPIOA-E, SPI1-3, USART1) are
 * plain registers with their reset values for now, except that RCC reports
 * an oscillator or the PLL ready as soon as it is switched on, and the clock
 * switch as done, so that a loader's clock set-up does not spin forever.
 */
#include <string.h>

#include "vb.h"

#define ALIAS_END      0x08000000u
#define SYSMEM_SIZE    0x800u
#define OPT_SIZE       16u
#define SRAM_BB_BASE   0x22000000u
#define PERIPH_BASE    0x40000000u
#define PERIPH_BB_BASE 0x42000000u
#define BB_SPAN	       0x100000u /* bytes a bit-band alias covers */
#define PPB_END	       0xE0100000u

/* vb->periph[] blocks, in this order */
enum {
	P_AFIO,
	P_GPIOA,
	P_GPIOB,
	P_GPIOC,
	P_GPIOD,
	P_GPIOE,
	P_SPI1,
	P_USART1,
	P_SPI2,
	P_SPI3,
	P_RCC,
};

static const uint32_t periph_base[VB_NPERIPH] = {
	[P_AFIO] = 0x40010000u,	 [P_GPIOA] = 0x40010800u,
	[P_GPIOB] = 0x40010C00u, [P_GPIOC] = 0x40011000u,
	[P_GPIOD] = 0x40011400u, [P_GPIOE] = 0x40011800u,
	[P_SPI1] = 0x40013000u,	 [P_USART1] = 0x40013800u,
	[P_SPI2] = 0x40003800u,	 [P_SPI3] = 0x40003C00u,
	[P_RCC] = VB_RCC_BASE,
};

#define RCC_CR	 0x00
#define RCC_CFGR 0x04

void vb_mem_reset(struct vb *vb)
{
	memset(vb->periph, 0, sizeof(vb->periph));
	vb->periph[P_RCC][RCC_CR / 4] = 0x00000083; /* HSION, HSIRDY */
	vb->periph[P_RCC][0x14 / 4] = 0x00000014;   /* AHBENR */
	vb->periph[P_RCC][0x24 / 4] = 0x0C000000;   /* CSR */
	for (int i = P_GPIOA; i <= P_GPIOE; i++) {
		vb->periph[i][0] = 0x44444444; /* CRL: floating inputs */
		vb->periph[i][1] = 0x44444444; /* CRH */
	}
	vb->periph[P_USART1][0] = 0x000000C0; /* SR: TXE, TC */
	for (int i = P_SPI1; i <= P_SPI3; i++) {
		if (i == P_USART1)
			continue;
		vb->periph[i][0x08 / 4] = 0x0002; /* SR: TXE */
		vb->periph[i][0x10 / 4] = 0x0007; /* CRCPR */
		vb->periph[i][0x20 / 4] = 0x0002; /* I2SPR */
	}
}

static int periph_index(uint32_t addr)
{
	for (int i = 0; i < VB_NPERIPH; i++)
		if (addr - periph_base[i] < VB_PERIPH_SIZE)
			return i;
	return -1;
}

static uint32_t periph_word(const struct vb *vb, int i, uint32_t off)
{
	uint32_t v = vb->periph[i][off / 4];

	if (i == P_RCC && off == RCC_CR) {
		/* HSIRDY, HSERDY, PLLRDY follow HSION, HSEON, PLLON */
		v &= ~(1u << 1 | 1u << 17 | 1u << 25);
		v |= (v & (1u << 0 | 1u << 16 | 1u << 24)) << 1;
	} else if (i == P_RCC && off == RCC_CFGR) {
		v = (v & ~0xCu) | (v & 3u) << 2; /* SWS follows SW */
	}
	return v;
}

static bool valid(uint32_t addr, unsigned size)
{
	return (size == 1 || size == 2 || size == 4) && !(addr & (size - 1));
}

static void get(uint32_t *val, const uint8_t *p, unsigned size)
{
	*val = 0;
	for (unsigned i = 0; i < size; i++)
		*val |= (uint32_t)p[i] << (8 * i);
}

static void put(uint8_t *p, uint32_t val, unsigned size)
{
	for (unsigned i = 0; i < size; i++)
		p[i] = (uint8_t)(val >> (8 * i));
}

/* Bit-band alias: the bus address of the byte and the bit it names. */
static bool bitband(const struct vb *vb, uint32_t addr, uint32_t *byte,
		    unsigned *bit)
{
	uint32_t base, target;

	if (addr - SRAM_BB_BASE < BB_SPAN * 32) {
		base = SRAM_BB_BASE;
		target = VB_SRAM_BASE;
	} else if (addr - PERIPH_BB_BASE < BB_SPAN * 32) {
		base = PERIPH_BB_BASE;
		target = PERIPH_BASE;
	} else {
		return false;
	}
	(void)vb;
	*byte = target + (addr - base) / 32;
	*bit = (addr - base) / 4 % 8;
	return true;
}

static int read_sram(struct vb *vb, uint32_t addr, unsigned size, uint32_t *val)
{
	if (addr - VB_SRAM_BASE >= vb->chip.ram_size)
		return VB_ERR;
	get(val, vb->sram + (addr - VB_SRAM_BASE), size);
	return VB_OK;
}

static int read_periph(struct vb *vb, uint32_t addr, unsigned size,
		       uint32_t *val)
{
	uint32_t w, shift = (addr & 3) * 8;
	int i;

	if (addr - VB_FPEC_BASE < VB_PERIPH_SIZE) {
		vb_flash_reg_read(vb, addr - VB_FPEC_BASE, &w);
	} else {
		i = periph_index(addr);
		if (i < 0)
			return VB_ERR;
		w = periph_word(vb, i, (addr - periph_base[i]) & ~3u);
	}
	*val = size == 4 ? w : (w >> shift) & ((1u << (8 * size)) - 1);
	return VB_OK;
}

int vb_bus_read(struct vb *vb, enum vb_master m, uint32_t addr, unsigned size,
		uint32_t *val)
{
	uint32_t byte;
	unsigned bit;
	int ret;

	*val = 0;
	if (!valid(addr, size) || !vb->powered)
		return VB_ERR;
	if (addr < ALIAS_END) {
		if (vb->boot0) {
			if (addr + size > SYSMEM_SIZE)
				return VB_ERR;
			get(val, vb->sysmem + addr, size);
			return VB_OK;
		}
		return vb_flash_read(vb, m, VB_FLASH_BASE + addr, size, val);
	}
	if (addr < VB_SYSMEM_BASE)
		return vb_flash_read(vb, m, addr, size, val);
	if (addr - VB_SYSMEM_BASE < SYSMEM_SIZE) {
		get(val, vb->sysmem + (addr - VB_SYSMEM_BASE), size);
		return VB_OK;
	}
	if (addr - VB_OPT_BASE < OPT_SIZE)
		return vb_flash_read(vb, m, addr, size, val);
	if (addr - VB_SRAM_BASE < BB_SPAN)
		return read_sram(vb, addr, size, val);
	if (addr - PERIPH_BASE < BB_SPAN)
		return read_periph(vb, addr, size, val);
	if (bitband(vb, addr, &byte, &bit)) {
		ret = vb_bus_read(vb, m, byte, 1, val);
		*val = ret == VB_OK ? (*val >> bit) & 1 : 0;
		return ret;
	}
	if (addr >= VB_PPB_BASE && addr < PPB_END)
		return vb_scs_read(vb, m, addr, size, val);
	return VB_ERR;
}

static int write_periph(struct vb *vb, uint32_t addr, unsigned size,
			uint32_t val)
{
	uint32_t *w, shift = (addr & 3) * 8, mask;
	int i;

	if (addr - VB_FPEC_BASE < VB_PERIPH_SIZE)
		return vb_flash_reg_write(vb, addr - VB_FPEC_BASE, size, val);
	i = periph_index(addr);
	if (i < 0)
		return VB_ERR;
	w = &vb->periph[i][(addr - periph_base[i]) / 4];
	mask = size == 4 ? 0xFFFFFFFFu : ((1u << (8 * size)) - 1) << shift;
	*w = (*w & ~mask) | ((val << shift) & mask);
	return VB_OK;
}

int vb_bus_write(struct vb *vb, enum vb_master m, uint32_t addr, unsigned size,
		 uint32_t val)
{
	uint32_t byte, old;
	unsigned bit;
	int ret;

	if (!valid(addr, size) || !vb->powered)
		return VB_ERR;
	if (addr < ALIAS_END) {
		if (vb->boot0)
			return VB_ERR; /* system memory is read-only */
		return vb_flash_write(vb, m, VB_FLASH_BASE + addr, size, val);
	}
	if (addr < VB_SYSMEM_BASE)
		return vb_flash_write(vb, m, addr, size, val);
	if (addr - VB_SYSMEM_BASE < SYSMEM_SIZE)
		return VB_ERR;
	if (addr - VB_OPT_BASE < OPT_SIZE)
		return vb_flash_write(vb, m, addr, size, val);
	if (addr - VB_SRAM_BASE < BB_SPAN) {
		if (addr - VB_SRAM_BASE >= vb->chip.ram_size)
			return VB_ERR;
		put(vb->sram + (addr - VB_SRAM_BASE), val, size);
		return VB_OK;
	}
	if (addr - PERIPH_BASE < BB_SPAN)
		return write_periph(vb, addr, size, val);
	if (bitband(vb, addr, &byte, &bit)) {
		ret = vb_bus_read(vb, m, byte, 1, &old);
		if (ret != VB_OK)
			return ret;
		old = (old & ~(1u << bit)) | (val & 1) << bit;
		return vb_bus_write(vb, m, byte, 1, old);
	}
	if (addr >= VB_PPB_BASE && addr < PPB_END)
		return vb_scs_write(vb, m, addr, size, val);
	return VB_ERR;
}
