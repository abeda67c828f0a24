// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A serprog programmer (flashrom's Documentation/serprog-protocol.txt,
 * interface version 1) clipped onto the board's SPI chip: what a Pi Pico
 * running pico-serprog would be. SPI only: NOP, Q_IFACE, Q_CMDMAP,
 * Q_PGMNAME, Q_SERBUF, Q_BUSTYPE, Q_OPBUF, Q_WRNMAXLEN, Q_RDNMAXLEN,
 * S_BUSTYPE, SYNCNOP, O_SPIOP, S_SPI_FREQ, S_PIN_STATE, and the operation
 * buffer's O_INIT, O_DELAY and O_EXEC, so that flashrom's waits while the
 * chip is busy pass on the virtual clock. O_SPIOP clocks the chip through
 * the clip's wires (vb_spi_clip_xfer) at the set frequency.
 */
#include <stdlib.h>
#include <string.h>

#include "vb.h"

#define ACK 0x06
#define NAK 0x15

#define MAX_WRITE  0x10000u /* bytes an O_SPIOP may send */
#define MAX_READ   0x10000u /* and read */
#define MAX_HZ	   32000000u
#define DEFAULT_HZ 4000000u

enum {
	NOP = 0x00,
	Q_IFACE = 0x01,
	Q_CMDMAP = 0x02,
	Q_PGMNAME = 0x03,
	Q_SERBUF = 0x04,
	Q_BUSTYPE = 0x05,
	Q_OPBUF = 0x07,
	Q_WRNMAXLEN = 0x08,
	O_INIT = 0x0B,
	O_DELAY = 0x0E,
	O_EXEC = 0x0F,
	SYNCNOP = 0x10,
	Q_RDNMAXLEN = 0x11,
	S_BUSTYPE = 0x12,
	O_SPIOP = 0x13,
	S_SPI_FREQ = 0x14,
	S_PIN_STATE = 0x15,
};

static const uint8_t supported[] = {
	NOP,	     Q_IFACE,	  Q_CMDMAP, Q_PGMNAME,	Q_SERBUF,    Q_BUSTYPE,
	Q_OPBUF,     Q_WRNMAXLEN, O_INIT,   O_DELAY,	O_EXEC,	     SYNCNOP,
	Q_RDNMAXLEN, S_BUSTYPE,	  O_SPIOP,  S_SPI_FREQ, S_PIN_STATE,
};

struct vb_serprog {
	struct vb *vb;
	uint8_t *in;
	size_t nin, cap;
	uint8_t *rx;
	uint32_t hz;
	uint64_t delay_us; /* O_DELAYs in the operation buffer */
	bool pins;
};

struct vb_serprog *vb_serprog_new(struct vb *vb)
{
	struct vb_serprog *sp = calloc(1, sizeof(*sp));

	if (!sp)
		return NULL;
	sp->vb = vb;
	sp->hz = DEFAULT_HZ;
	sp->cap = MAX_WRITE + 64;
	sp->in = malloc(sp->cap);
	sp->rx = malloc(1 + MAX_READ);
	if (!sp->in || !sp->rx) {
		vb_serprog_free(sp);
		return NULL;
	}
	return sp;
}

void vb_serprog_free(struct vb_serprog *sp)
{
	if (!sp)
		return;
	free(sp->in);
	free(sp->rx);
	free(sp);
}

static uint32_t le(const uint8_t *p, unsigned n)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

/* The length of the command at p (n bytes there), or 0 if incomplete. */
static size_t cmd_len(const uint8_t *p, size_t n)
{
	switch (p[0]) {
	case O_DELAY:
	case S_SPI_FREQ:
		return 5;
	case S_BUSTYPE:
	case S_PIN_STATE:
		return 2;
	case O_SPIOP:
		return n < 7 ? 0 : 7 + le(p + 1, 3);
	default:
		return 1;
	}
}

static void answer(void (*emit)(void *, const uint8_t *, size_t), void *arg,
		   const uint8_t *p, size_t n)
{
	emit(arg, p, n);
}

static void run(struct vb_serprog *sp, const uint8_t *p,
		void (*emit)(void *, const uint8_t *, size_t), void *arg)
{
	uint8_t out[40] = {ACK};
	size_t n = 1;
	uint32_t v, slen, rlen;

	switch (p[0]) {
	case NOP:
	case O_INIT:
		sp->delay_us = p[0] == O_INIT ? 0 : sp->delay_us;
		break;
	case Q_IFACE:
		out[n++] = 1;
		out[n++] = 0;
		break;
	case Q_CMDMAP:
		for (size_t i = 0; i < sizeof(supported); i++)
			out[1 + supported[i] / 8] |=
				(uint8_t)(1u << (supported[i] % 8));
		n = 33;
		break;
	case Q_PGMNAME:
		memcpy(out + 1, "unbrick-vboard\0\0", 16);
		n = 17;
		break;
	case Q_SERBUF:
	case Q_OPBUF:
		out[n++] = 0xFF;
		out[n++] = 0xFF;
		break;
	case Q_BUSTYPE:
		out[n++] = 0x08; /* SPI */
		break;
	case Q_WRNMAXLEN:
	case Q_RDNMAXLEN:
		v = p[0] == Q_WRNMAXLEN ? MAX_WRITE : MAX_READ;
		out[n++] = (uint8_t)v;
		out[n++] = (uint8_t)(v >> 8);
		out[n++] = (uint8_t)(v >> 16);
		break;
	case O_DELAY:
		sp->delay_us += le(p + 1, 4);
		break;
	case O_EXEC: /* the delays pass on the board */
		vb_advance(sp->vb, sp->delay_us * VB_PS_PER_US);
		sp->delay_us = 0;
		break;
	case SYNCNOP:
		out[0] = NAK;
		out[n++] = ACK;
		break;
	case S_BUSTYPE:
		if (!(p[1] & 0x08))
			out[0] = NAK;
		break;
	case S_PIN_STATE:
		sp->pins = p[1];
		break;
	case S_SPI_FREQ:
		v = le(p + 1, 4);
		if (!v) {
			out[0] = NAK;
			break;
		}
		sp->hz = v > MAX_HZ ? MAX_HZ : v;
		for (int i = 0; i < 4; i++)
			out[n++] = (uint8_t)(sp->hz >> (8 * i));
		break;
	case O_SPIOP:
		slen = le(p + 1, 3);
		rlen = le(p + 4, 3);
		if (slen > MAX_WRITE || rlen > MAX_READ) {
			out[0] = NAK;
			break;
		}
		vb_spi_clip_xfer(sp->vb, p + 7, slen, sp->rx + 1, rlen, sp->hz);
		sp->rx[0] = ACK;
		answer(emit, arg, sp->rx, 1 + rlen);
		return;
	default:
		out[0] = NAK;
		break;
	}
	answer(emit, arg, out, n);
}

void vb_serprog_feed(struct vb_serprog *sp, const uint8_t *in, size_t n,
		     void (*emit)(void *arg, const uint8_t *p, size_t n),
		     void *arg)
{
	size_t off = 0, len;

	while (n) {
		size_t take = sp->cap - sp->nin < n ? sp->cap - sp->nin : n;

		memcpy(sp->in + sp->nin, in, take);
		sp->nin += take;
		in += take;
		n -= take;
		off = 0;
		while (off < sp->nin) {
			len = cmd_len(sp->in + off, sp->nin - off);
			if (len > sp->cap) { /* longer than we take */
				uint8_t nak = NAK;

				emit(arg, &nak, 1);
				sp->nin = 0;
				off = 0;
				break;
			}
			if (!len || off + len > sp->nin)
				break;
			run(sp, sp->in + off, emit, arg);
			off += len;
		}
		memmove(sp->in, sp->in + off, sp->nin - off);
		sp->nin -= off;
	}
}
