// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The memory map of an STM32F103 (RM0008 §3.3, PM0056 §2.2): who answers
 * which address, for the debugger's AHB-AP and for the core alike.
 * Accesses are 1, 2 or 4 bytes, aligned, little-endian; anything else, and
 * any address nobody answers, is a bus error.
 *
 * The peripherals a loader touches (RCC, AFIO, GPIOA-E, SPI1-3, USART1,
 * SysTick) go to their models through the table below.
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

/* The peripheral models (vb_rcc.c, vb_gpio.c, vb_spi.c, vb_usart.c) and
 * the unit each block is to its model; registers live in vb->periph[]. */
static const struct {
	uint32_t base;
	unsigned unit;
	int (*read)(struct vb *vb, unsigned unit, uint32_t off, uint32_t *val);
	int (*write)(struct vb *vb, unsigned unit, uint32_t off, uint32_t val,
		     uint32_t mask);
} periph[VB_NPERIPH] = {
	[VB_P_AFIO] = {0x40010000u, 0, vb_afio_read, vb_afio_write},
	[VB_P_GPIOA] = {0x40010800u, 0, vb_gpio_read, vb_gpio_write},
	[VB_P_GPIOB] = {0x40010C00u, 1, vb_gpio_read, vb_gpio_write},
	[VB_P_GPIOC] = {0x40011000u, 2, vb_gpio_read, vb_gpio_write},
	[VB_P_GPIOD] = {0x40011400u, 3, vb_gpio_read, vb_gpio_write},
	[VB_P_GPIOE] = {0x40011800u, 4, vb_gpio_read, vb_gpio_write},
	[VB_P_SPI1] = {0x40013000u, 0, vb_spi_read, vb_spi_write},
	[VB_P_USART1] = {0x40013800u, 0, vb_usart_read, vb_usart_write},
	[VB_P_SPI2] = {0x40003800u, 1, vb_spi_read, vb_spi_write},
	[VB_P_SPI3] = {0x40003C00u, 2, vb_spi_read, vb_spi_write},
	[VB_P_RCC] = {VB_RCC_BASE, 0, vb_rcc_read, vb_rcc_write},
};

void vb_mem_reset(struct vb *vb)
{
	vb_io_reset(vb);
}

static int periph_index(uint32_t addr)
{
	for (int i = 0; i < VB_NPERIPH; i++)
		if (addr - periph[i].base < VB_PERIPH_SIZE)
			return i;
	return -1;
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
	int i, ret;

	if (addr - VB_FPEC_BASE < VB_PERIPH_SIZE) {
		vb_usart_other_access(vb);
		vb_flash_reg_read(vb, addr - VB_FPEC_BASE, &w);
	} else {
		i = periph_index(addr);
		if (i < 0)
			return VB_ERR;
		if (i != VB_P_USART1)
			vb_usart_other_access(vb);
		ret = periph[i].read(vb, periph[i].unit,
				     (addr - periph[i].base) & ~3u, &w);
		if (ret != VB_OK)
			return ret;
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
	if (addr - VB_SYSTICK_BASE < 16 && size == 4)
		return vb_systick_read(vb, addr, val);
	if (addr >= VB_PPB_BASE && addr < PPB_END)
		return vb_scs_read(vb, m, addr, size, val);
	return VB_ERR;
}

static int write_periph(struct vb *vb, uint32_t addr, unsigned size,
			uint32_t val)
{
	uint32_t shift = (addr & 3) * 8, mask;
	int i;

	if (addr - VB_FPEC_BASE < VB_PERIPH_SIZE) {
		vb_usart_other_access(vb);
		return vb_flash_reg_write(vb, addr - VB_FPEC_BASE, size, val);
	}
	i = periph_index(addr);
	if (i < 0)
		return VB_ERR;
	if (i != VB_P_USART1)
		vb_usart_other_access(vb);
	mask = size == 4 ? 0xFFFFFFFFu : ((1u << (8 * size)) - 1) << shift;
	return periph[i].write(vb, periph[i].unit,
			       (addr - periph[i].base) & ~3u,
			       (val << shift) & mask, mask);
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
	if (addr - VB_SYSTICK_BASE < 16 && size == 4)
		return vb_systick_write(vb, addr, val);
	if (addr >= VB_PPB_BASE && addr < PPB_END)
		return vb_scs_write(vb, m, addr, size, val);
	return VB_ERR;
}
