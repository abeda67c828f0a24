// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SPI1-3 in master mode (RM0008 §25): CPOL/CPHA, 8 or 16-bit frames, MSB
 * or LSB first, the TX buffer and shift register with TXE, RXNE, BSY, OVR
 * and MODF. A frame takes its bits at PCLK / 2^(BR+1) on the virtual
 * clock (SPI1 on APB2, SPI2/3 on APB1); when it ends, vb_spi_wire.c gives
 * the chip the bits and the MCU what came back on MISO. Slave mode, CRC,
 * I2S and DMA are not modeled (their registers are storage).
 */
#include "vb.h"

#define CR1   0x00
#define CR2   0x04
#define SR    0x08
#define DR    0x0C
#define CRCPR 0x10

#define CPHA	 (1u << 0)
#define CPOL	 (1u << 1)
#define MSTR	 (1u << 2)
#define SPE	 (1u << 6)
#define LSBFIRST (1u << 7)
#define SSI	 (1u << 8)
#define SSM	 (1u << 9)
#define DFF	 (1u << 11)
#define SSOE	 (1u << 2)

#define RXNE (1u << 0)
#define TXE  (1u << 1)
#define MODF (1u << 5)
#define OVR  (1u << 6)
#define BSY  (1u << 7)

#define PS_PER_S 1000000000000ull

static const int blk[3] = {VB_P_SPI1, VB_P_SPI2, VB_P_SPI3};
static const unsigned clk[3] = {VB_APB2(12), VB_APB1(14), VB_APB1(15)};

static uint32_t *reg(struct vb *vb, unsigned n, uint32_t off)
{
	return &vb->periph[blk[n]][off / 4];
}

void vb_spi_pins(struct vb *vb, unsigned n, int pins[4])
{
	static const int map[4][4] = {
		{VB_PIN(0, 4), VB_PIN(0, 5), VB_PIN(0, 6), VB_PIN(0, 7)},
		{VB_PIN(0, 15), VB_PIN(1, 3), VB_PIN(1, 4), VB_PIN(1, 5)},
		{VB_PIN(1, 12), VB_PIN(1, 13), VB_PIN(1, 14), VB_PIN(1, 15)},
		{VB_PIN(0, 15), VB_PIN(1, 3), VB_PIN(1, 4), VB_PIN(1, 5)},
	};
	unsigned i = n == 0 ? (vb->periph[VB_P_AFIO][1] & 1) : n + 1;

	for (int p = 0; p < 4; p++)
		pins[p] = map[i][p];
}

static uint64_t bit_ps(struct vb *vb, unsigned n)
{
	uint32_t pclk = n ? vb_rcc_pclk1(vb) : vb_rcc_pclk2(vb);
	unsigned br = *reg(vb, n, CR1) >> 3 & 7;

	return PS_PER_S * (2ull << br) / (pclk ? pclk : 1);
}

/* NSS low in master mode is a mode fault: MSTR and SPE clear. */
static bool mode_fault(struct vb *vb, unsigned n)
{
	uint32_t cr1 = *reg(vb, n, CR1), cr2 = *reg(vb, n, CR2);
	int pins[4];
	bool nss;

	if (!(cr1 & MSTR))
		return false;
	if (cr1 & SSM) {
		nss = cr1 & SSI;
	} else if (cr2 & SSOE) {
		return false;
	} else {
		vb_spi_pins(vb, n, pins);
		nss = vb_gpio_level(vb, pins[0]) > 0;
	}
	if (nss)
		return false;
	vb->io.spi[n].modf = true;
	*reg(vb, n, CR1) = cr1 & ~(MSTR | SPE);
	return true;
}

static void start(struct vb *vb, unsigned n, uint64_t t)
{
	struct vb_spi_io *s = &vb->io.spi[n];
	uint32_t cr1 = *reg(vb, n, CR1);

	if (s->busy || !s->tx_full || (cr1 & (SPE | MSTR)) != (SPE | MSTR))
		return;
	if (mode_fault(vb, n))
		return;
	s->shift = s->txbuf;
	s->tx_full = false;
	s->busy = true;
	s->end_ps = t + (cr1 & DFF ? 16 : 8) * bit_ps(vb, n);
}

static void sync_one(struct vb *vb, unsigned n, uint64_t t)
{
	struct vb_spi_io *s = &vb->io.spi[n];
	uint32_t cr1;
	uint16_t rx;

	while (s->busy && s->end_ps <= t) {
		cr1 = *reg(vb, n, CR1);
		rx = vb_spi_mcu_frame(
			vb, n + 1, s->shift, cr1 & DFF ? 16 : 8, cr1 & LSBFIRST,
			!(cr1 & CPOL) == !(cr1 & CPHA), s->end_ps);
		if (s->rxne) {
			s->ovr = true; /* the new frame is lost */
		} else {
			s->rxbuf = rx;
			s->rxne = true;
		}
		s->busy = false;
		start(vb, n, s->end_ps);
	}
}

void vb_spi_sync(struct vb *vb)
{
	uint64_t t = vb_io_now(vb);

	for (unsigned n = 0; n < 3; n++)
		sync_one(vb, n, t);
}

int vb_spi_read(struct vb *vb, unsigned n, uint32_t off, uint32_t *val)
{
	struct vb_spi_io *s = &vb->io.spi[n];

	*val = 0;
	if (!vb_rcc_enabled(vb, clk[n]))
		return VB_OK;
	sync_one(vb, n, vb_io_now(vb));
	switch (off) {
	case SR:
		*val = (s->rxne ? RXNE : 0) | (s->tx_full ? 0 : TXE) |
		       (s->modf ? MODF : 0) | (s->ovr ? OVR : 0) |
		       (s->busy ? BSY : 0);
		if (s->ovr && s->ovr_dr_read)
			s->ovr = false; /* DR then SR clears OVR */
		s->ovr_dr_read = false;
		break;
	case DR:
		*val = *reg(vb, n, CR1) & DFF ? s->rxbuf : s->rxbuf & 0xFF;
		s->rxne = false;
		s->ovr_dr_read = s->ovr;
		break;
	default:
		*val = off <= 0x20 ? *reg(vb, n, off) : 0;
		break;
	}
	return VB_OK;
}

int vb_spi_write(struct vb *vb, unsigned n, uint32_t off, uint32_t val,
		 uint32_t mask)
{
	struct vb_spi_io *s = &vb->io.spi[n];
	uint32_t *r = reg(vb, n, off), v = (*r & ~mask) | (val & mask);
	uint64_t t;

	if (!vb_rcc_enabled(vb, clk[n]) || off > 0x20)
		return VB_OK;
	t = vb_io_now(vb);
	sync_one(vb, n, t);
	switch (off) {
	case SR: /* rc_w0: CRCERR only */
		break;
	case DR:
		if (!s->tx_full) {
			s->txbuf =
				(uint16_t)(*reg(vb, n, CR1) & DFF ? v
								  : v & 0xFF);
			s->tx_full = true;
		}
		start(vb, n, t);
		break;
	case CR1:
		*r = v & 0xFFFF;
		s->modf = false;
		mode_fault(vb, n);
		start(vb, n, t);
		vb_spi_wire_update(vb); /* SCK may idle elsewhere now */
		break;
	case CRCPR:
		*r = v & 0xFFFF;
		break;
	default:
		*r = v & 0xFFFF;
		break;
	}
	return VB_OK;
}
