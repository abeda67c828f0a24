// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * USART1 (RM0008 §27) as the board server sees it: bytes from the host
 * arrive on RX one frame apart at the configured rate, and the core's
 * bytes leave TX one frame each. Frames are start + 8 or 9 data bits (M,
 * the parity bit included with PCE) + 0.5-2 stop bits, at PCLK2 / BRR:
 * 8E1 is 11 bits. SR's RXNE, ORE, TXE and TC follow RM0008's rules; a
 * BRR change applies from the next frame. Bytes sent while TX (PA9, or PB6
 * remapped) is not an alternate-function output never reach the host.
 * Interrupts, DMA, LIN, IrDA and smartcard modes are not modeled.
 */
#include <string.h>

#include "vb.h"

#define SR   0x00
#define DR   0x04
#define BRR  0x08
#define CR1  0x0C
#define CR2  0x10
#define CR3  0x14
#define GTPR 0x18

#define ORE  (1u << 3)
#define RXNE (1u << 5)
#define TC   (1u << 6)
#define TXE  (1u << 7)

#define RE  (1u << 2)
#define TE  (1u << 3)
#define PS  (1u << 9)
#define PCE (1u << 10)
#define M   (1u << 12)
#define UE  (1u << 13)

#define PS_PER_S     1000000000000ull
#define QSIZE	     VB_USART_QSIZE
#define DEFAULT_BAUD 115200u

static uint32_t *reg(const struct vb *vb, uint32_t off)
{
	return (uint32_t *)&vb->periph[VB_P_USART1][off / 4];
}

uint32_t vb_usart_baud(const struct vb *vb)
{
	struct vb *w = (struct vb *)vb; /* the clocks settle on reading */
	uint32_t brr = *reg(vb, BRR) & 0xFFFF;

	if (!(*reg(vb, CR1) & UE) || !brr || !vb_rcc_enabled(w, VB_APB2(14)))
		return 0;
	return vb_rcc_pclk2(w) / brr;
}

/* One frame at the current settings; a default one while disabled. */
static uint64_t frame_ps(struct vb *vb)
{
	static const unsigned stop_halves[4] = {2, 1, 4, 3};
	uint32_t baud = vb_usart_baud(vb);
	unsigned halves = 2 * (1 + (*reg(vb, CR1) & M ? 9 : 8)) +
			  stop_halves[*reg(vb, CR2) >> 12 & 3];

	if (!baud)
		return PS_PER_S * 11 / DEFAULT_BAUD;
	return PS_PER_S * halves / 2 / baud;
}

static bool tx_pin_out(struct vb *vb)
{
	bool remap = vb->periph[VB_P_AFIO][1] & 4;

	return vb_gpio_af_out(vb, remap ? VB_PIN(1, 6) : VB_PIN(0, 9));
}

static void land(struct vb *vb, uint8_t byte)
{
	struct vb_usart_io *u = &vb->io.usart;
	uint32_t cr1 = *reg(vb, CR1);
	uint16_t d = byte;

	if ((cr1 & (UE | RE)) != (UE | RE) || !vb_usart_baud(vb))
		return; /* the receiver is off: the byte is lost */
	if ((cr1 & (M | PCE)) == (M | PCE)) /* the parity bit as bit 8 */
		d |= (uint16_t)((__builtin_parity(byte) ^ !!(cr1 & PS)) << 8);
	if (u->rxne) {
		u->ore = true; /* RDR keeps its byte, this one is lost */
		vb->st.usart_overruns++;
		return;
	}
	u->rdr = d;
	u->rxne = true;
	vb->st.usart_rx++;
}

static void update(struct vb *vb, uint64_t t)
{
	struct vb_usart_io *u = &vb->io.usart;

	while (u->rxq_n && u->rx_at <= t) {
		land(vb, u->rxq[u->rxq_head]);
		u->rxq_head = (u->rxq_head + 1) % QSIZE;
		if (--u->rxq_n)
			u->rx_at += frame_ps(vb);
	}
	while (u->shifting && u->tx_end <= t) {
		u->shifting = false;
		if (tx_pin_out(vb) && u->txq_n < QSIZE) {
			unsigned i = (u->txq_head + u->txq_n++) % QSIZE;

			u->txq[i] = (uint8_t)u->tsr;
			u->txq_baud[i] = vb_usart_baud(vb);
			vb->st.usart_tx++;
		}
		if (u->tdr_full) {
			u->tsr = u->tdr;
			u->tdr_full = false;
			u->shifting = true;
			u->tx_end += frame_ps(vb);
		} else {
			u->tc = true;
		}
	}
}

/* Start sending TDR when the transmitter is free. */
static void kick(struct vb *vb, uint64_t t)
{
	struct vb_usart_io *u = &vb->io.usart;

	if (u->shifting || !u->tdr_full || !vb_usart_baud(vb) ||
	    !(*reg(vb, CR1) & TE))
		return;
	u->tsr = u->tdr;
	u->tdr_full = false;
	u->shifting = true;
	u->tx_end = t + frame_ps(vb);
}

void vb_usart_rx(struct vb *vb, uint8_t byte)
{
	struct vb_usart_io *u = &vb->io.usart;
	uint64_t t = vb_io_now(vb);

	update(vb, t);
	u->waiting = false;
	u->idle_polls = 0;
	if (u->rxq_n == QSIZE)
		return; /* more than a wire holds: lost */
	if (!u->rxq_n)
		u->rx_at = t + frame_ps(vb);
	u->rxq[(u->rxq_head + u->rxq_n++) % QSIZE] = byte;
}

int vb_usart_tx(struct vb *vb, uint8_t *byte)
{
	struct vb_usart_io *u = &vb->io.usart;

	update(vb, vb_io_now(vb));
	if (!u->txq_n)
		return 0;
	*byte = u->txq[u->txq_head];
	u->tx_baud = u->txq_baud[u->txq_head];
	u->txq_head = (u->txq_head + 1) % QSIZE;
	u->txq_n--;
	return 1;
}

uint32_t vb_usart_tx_baud(const struct vb *vb)
{
	return vb->io.usart.tx_baud;
}

bool vb_usart_waiting(const struct vb *vb)
{
	return vb->io.usart.waiting;
}

void vb_usart_other_access(struct vb *vb)
{
	vb->io.usart.idle_polls = 0;
	vb->io.usart.waiting = false;
}

bool vb_usart_tx_idle(struct vb *vb)
{
	struct vb_usart_io *u = &vb->io.usart;

	update(vb, vb_io_now(vb));
	return !u->shifting && !u->tdr_full && !u->txq_n;
}

unsigned vb_usart_room(struct vb *vb)
{
	update(vb, vb_io_now(vb));
	return QSIZE - vb->io.usart.rxq_n;
}

void vb_usart_framing(const struct vb *vb, unsigned *data, char *parity,
		      unsigned *stop)
{
	static const unsigned stops[4] = {1, 1, 2, 2}; /* 1, 0.5, 2, 1.5 */
	uint32_t cr1 = *reg(vb, CR1);
	unsigned bits = cr1 & M ? 9 : 8;

	*parity = 'N';
	if (cr1 & PCE) {
		*parity = cr1 & PS ? 'O' : 'E';
		bits--;
	}
	*data = bits;
	*stop = stops[*reg(vb, CR2) >> 12 & 3];
}

int vb_usart_read(struct vb *vb, unsigned unit, uint32_t off, uint32_t *val)
{
	struct vb_usart_io *u = &vb->io.usart;

	(void)unit;
	*val = 0;
	if (!vb_rcc_enabled(vb, VB_APB2(14)))
		return VB_OK;
	update(vb, vb_io_now(vb));
	switch (off) {
	case SR:
		*val = (u->ore ? ORE : 0) | (u->rxne ? RXNE : 0) |
		       (u->tc ? TC : 0) | (u->tdr_full ? 0 : TXE);
		u->ore_sr_read = u->ore;
		/* nothing to receive and nothing left to send, twice in a
		 * row with nothing else done between: the core waits for
		 * the host */
		if (!u->rxne && !u->rxq_n && u->tc && !u->tdr_full)
			u->idle_polls++;
		else
			u->idle_polls = 0;
		u->waiting = u->idle_polls >= 2;
		break;
	case DR:
		*val = u->rdr;
		if (u->ore_sr_read)
			u->ore = false; /* SR then DR clears ORE */
		u->ore_sr_read = false;
		u->rxne = false;
		u->idle_polls = 0;
		u->waiting = false;
		break;
	default:
		*val = off <= GTPR ? *reg(vb, off) : 0;
		break;
	}
	return VB_OK;
}

int vb_usart_write(struct vb *vb, unsigned unit, uint32_t off, uint32_t val,
		   uint32_t mask)
{
	struct vb_usart_io *u = &vb->io.usart;
	uint32_t *r = reg(vb, off), v = (*r & ~mask) | (val & mask);
	uint64_t t;

	(void)unit;
	if (!vb_rcc_enabled(vb, VB_APB2(14)) || off > GTPR)
		return VB_OK;
	t = vb_io_now(vb);
	update(vb, t);
	u->waiting = false;
	u->idle_polls = 0;
	switch (off) {
	case SR: /* rc_w0: RXNE and TC clear when written 0 */
		if (!(v & RXNE))
			u->rxne = false;
		if (!(v & TC))
			u->tc = false;
		break;
	case DR:
		if (!u->tdr_full) {
			u->tdr = (uint16_t)(v & 0x1FF);
			u->tdr_full = true;
			u->tc = false;
		}
		kick(vb, t);
		break;
	case BRR:
		*r = v & 0xFFFF;
		kick(vb, t);
		break;
	case CR1:
		*r = v & 0x3FFF;
		kick(vb, t);
		break;
	default:
		*r = v;
		break;
	}
	return VB_OK;
}
