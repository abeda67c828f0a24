// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * GPIO ports A-E and AFIO (RM0008 §9): CRL/CRH, IDR, ODR, BSRR, BRR and the
 * LCKR lock sequence; AFIO_MAPR's remaps and its write-only SWJ_CFG, which
 * gives the JTAG pins back (PB3/PB4 free for SPI3 with the SW-DP kept) or
 * turns the debug port off altogether (vb->swd_off: SWD stops answering).
 * A port's registers need its clock (RCC_APB2ENR): without it reads give
 * 0 and writes are lost. Pins held in reset are released.
 */
#include <ctype.h>
#include <stdlib.h>

#include "vb.h"

#define CRL  0x00
#define CRH  0x04
#define IDR  0x08
#define ODR  0x0C
#define BSRR 0x10
#define BRR  0x14
#define LCKR 0x18
#define LCKK (1u << 16)

#define MAPR	   0x04
#define MAPR_SWJ   (7u << 24)
#define SPI1_REMAP (1u << 0)
#define USART1_RMP (1u << 2)

#define PA(n) VB_PIN(0, n)
#define PB(n) VB_PIN(1, n)

static uint32_t *greg(struct vb *vb, unsigned port, uint32_t off)
{
	return &vb->periph[VB_P_GPIOA + port][off / 4];
}

static unsigned cfg(struct vb *vb, int pin)
{
	unsigned port = (unsigned)pin / 16, n = (unsigned)pin % 16;

	return *greg(vb, port, n < 8 ? CRL : CRH) >> (n % 8 * 4) & 0xF;
}

static unsigned odr(struct vb *vb, int pin)
{
	return *greg(vb, (unsigned)pin / 16, ODR) >> (pin % 16) & 1;
}

/* The debug port keeps its pins as SWJ_CFG leaves them (RM0008 9.3.5). */
static bool debug_pin(struct vb *vb, int pin)
{
	switch (vb->io.swj_cfg) {
	case 4: /* JTAG-DP and SW-DP off */
		return false;
	case 2: /* JTAG-DP off, SW-DP on */
		return pin == PA(13) || pin == PA(14);
	case 1: /* no NJTRST */
		return pin == PA(13) || pin == PA(14) || pin == PA(15) ||
		       pin == PB(3);
	default:
		return pin == PA(13) || pin == PA(14) || pin == PA(15) ||
		       pin == PB(3) || pin == PB(4);
	}
}

static bool held(struct vb *vb)
{
	return !vb->powered || vb->in_reset;
}

/* An alternate-function output: what its peripheral drives. */
static int af_level(struct vb *vb, int pin)
{
	static const int blk[3] = {VB_P_SPI1, VB_P_SPI2, VB_P_SPI3};
	uint32_t mapr = vb->periph[VB_P_AFIO][MAPR / 4];
	int pins[4];

	for (unsigned n = 0; n < 3; n++) {
		uint32_t cr1 = vb->periph[blk[n]][0],
			 cr2 = vb->periph[blk[n]][1];

		vb_spi_pins(vb, n, pins);
		if (pin == pins[0]) /* NSS output: SSOE in master mode */
			return (cr1 & 0x44) == 0x44 && (cr2 & 4) ? 0 : -1;
		if (pin == pins[1])
			return cr1 & 2 ? 1 : 0; /* SCK idles at CPOL */
		if (pin == pins[3])
			return 1;
	}
	if (pin == (mapr & USART1_RMP ? PB(6) : PA(9)))
		return 1; /* TX idles high */
	return 0;
}

int vb_gpio_drive(struct vb *vb, int pin)
{
	unsigned c;
	int level;

	if (pin < 0 || pin >= 80 || held(vb) || debug_pin(vb, pin))
		return -1;
	c = cfg(vb, pin);
	if (!(c & 3))
		return -1; /* an input */
	level = c & 8 ? af_level(vb, pin) : (int)odr(vb, pin);
	if (c & 4) /* open drain: only pulls low */
		return level == 0 ? 0 : -1;
	return level;
}

int vb_gpio_level(struct vb *vb, int pin)
{
	int d = vb_gpio_drive(vb, pin);
	unsigned c;

	if (d >= 0)
		return d;
	d = vb_spi_wire_ext(vb, pin);
	if (d >= 0)
		return d;
	if (!vb->powered)
		return 0;
	if (!held(vb) && debug_pin(vb, pin)) /* JTAG pulls */
		return pin != PA(14) && pin != PB(3);
	if (held(vb)) /* reset: floating inputs, but the JTAG pulls */
		return pin == PA(13) || pin == PA(15) || pin == PB(4);
	c = cfg(vb, pin);
	if ((c & 3) == 0 && (c >> 2) == 2) /* input with pull: ODR picks */
		return (int)odr(vb, pin);
	return 0; /* floating */
}

bool vb_gpio_af_out(struct vb *vb, int pin)
{
	unsigned c = cfg(vb, pin);

	return !held(vb) && !debug_pin(vb, pin) && (c & 3) && (c & 8);
}

bool vb_gpio_is_input(struct vb *vb, int pin)
{
	return held(vb) || debug_pin(vb, pin) || !(cfg(vb, pin) & 3);
}

int vb_pin_parse(const char *s)
{
	char *end;
	long n;

	if (!s || toupper((unsigned char)s[0]) != 'P')
		return -1;
	if (toupper((unsigned char)s[1]) < 'A' ||
	    toupper((unsigned char)s[1]) > 'E' || !isdigit((unsigned char)s[2]))
		return -1;
	n = strtol(s + 2, &end, 10);
	if (*end || n > 15)
		return -1;
	return VB_PIN(toupper((unsigned char)s[1]) - 'A', (int)n);
}

int vb_gpio_read(struct vb *vb, unsigned port, uint32_t off, uint32_t *val)
{
	uint32_t v = 0;

	*val = 0;
	if (!vb_rcc_enabled(vb, VB_APB2(2 + port)))
		return VB_OK;
	vb_spi_sync(vb);
	switch (off) {
	case IDR:
		for (int n = 0; n < 16; n++)
			v |= (uint32_t)(vb_gpio_level(vb, VB_PIN(port, n)) > 0)
			     << n;
		break;
	case CRL:
	case CRH:
	case ODR:
		v = *greg(vb, port, off);
		break;
	case LCKR:
		v = *greg(vb, port, off);
		if (vb->io.lck_seq[port] == 3) { /* the read after the key */
			vb->io.gpio_lock[port] = (uint16_t)v;
			vb->io.lck_seq[port] = 4;
		}
		if (vb->io.lck_seq[port] == 4)
			v = vb->io.gpio_lock[port] | LCKK;
		break;
	default:
		v = 0; /* BSRR and BRR read as 0 */
		break;
	}
	*val = v;
	return VB_OK;
}

static void write_cr(struct vb *vb, unsigned port, uint32_t off, uint32_t v)
{
	uint32_t *r = greg(vb, port, off);
	uint16_t lock = vb->io.lck_seq[port] == 4 ? vb->io.gpio_lock[port] : 0;

	for (unsigned i = 0; i < 8; i++) {
		unsigned pin = i + (off == CRH ? 8 : 0);

		if (lock >> pin & 1)
			continue;
		*r = (*r & ~(0xFu << (4 * i))) | (v & 0xFu << (4 * i));
	}
}

/* LCKK written 1, 0, 1 with the same bits; the next read locks. */
static void write_lckr(struct vb *vb, unsigned port, uint32_t v)
{
	uint32_t *r = greg(vb, port, LCKR);
	uint8_t *seq = &vb->io.lck_seq[port];
	bool k = v & LCKK;

	if (*seq == 4)
		return; /* locked until the next reset */
	if (*seq && (v & 0xFFFF) != vb->io.lck_val[port])
		*seq = 0;
	if (*seq == 0 || *seq == 2)
		*seq = k ? *seq + 1 : 0;
	else if (*seq == 1)
		*seq = k ? 1 : 2;
	else
		*seq = k ? 1 : 0;
	vb->io.lck_val[port] = v & 0xFFFF;
	*r = v & 0x1FFFF;
}

int vb_gpio_write(struct vb *vb, unsigned port, uint32_t off, uint32_t val,
		  uint32_t mask)
{
	uint32_t *r = greg(vb, port, off), v = (*r & ~mask) | (val & mask);
	uint32_t *o = greg(vb, port, ODR);

	if (!vb_rcc_enabled(vb, VB_APB2(2 + port)))
		return VB_OK;
	vb_spi_sync(vb);
	switch (off) {
	case CRL:
	case CRH:
		write_cr(vb, port, off, v);
		break;
	case ODR:
		*o = v & 0xFFFF;
		break;
	case BSRR: /* the set half wins */
		val &= mask;
		*o = ((*o & ~(val >> 16)) | val) & 0xFFFF;
		break;
	case BRR:
		*o &= ~(val & mask & 0xFFFF);
		break;
	case LCKR:
		write_lckr(vb, port, v);
		break;
	default:
		break;
	}
	vb_spi_wire_update(vb);
	return VB_OK;
}

int vb_afio_read(struct vb *vb, unsigned unit, uint32_t off, uint32_t *val)
{
	(void)unit;
	*val = 0;
	if (!vb_rcc_enabled(vb, VB_APB2(0)) || off > 0x1C)
		return VB_OK;
	*val = vb->periph[VB_P_AFIO][off / 4];
	return VB_OK;
}

int vb_afio_write(struct vb *vb, unsigned unit, uint32_t off, uint32_t val,
		  uint32_t mask)
{
	uint32_t *r = &vb->periph[VB_P_AFIO][off / 4];
	uint32_t v = (*r & ~mask) | (val & mask);

	(void)unit;
	if (!vb_rcc_enabled(vb, VB_APB2(0)) || off > 0x1C)
		return VB_OK;
	vb_spi_sync(vb);
	if (off == MAPR) {
		if (mask & MAPR_SWJ) {
			bool was_off = vb->io.swj_cfg == 4;

			vb->io.swj_cfg = (val & MAPR_SWJ) >> 24;
			if (vb->io.swj_cfg == 4)
				vb->swd_off = true; /* SWD stops answering */
			else if (was_off)
				vb->swd_off = false;
		}
		v &= ~MAPR_SWJ; /* write-only */
	}
	*r = v;
	vb_spi_wire_update(vb);
	return VB_OK;
}
