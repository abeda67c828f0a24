// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The UART monitor's host side (ub/ldr_uart.h): loading it through the ROM
 * bootloader, the frames and their repeats, the baud switch. The
 * operations built on them are in ldr_uart_ops.c.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ldr_uart_priv.h"
#include "ub/an3155.h"
#include "ub/crc32.h"
#include "ub/err.h"
#include "ub/ldr_uart.h"
#include "ub/log.h"
#include "ub/serial.h"

#define TRIES	     6
#define REPLY_MS     1000 /* an answer's time on top of its bytes */
#define FAST_TRIES   2	  /* a PING at a new rate */
#define FAST_MS	     1000
#define BOOT_US	     5000 /* Go to the monitor's first frame */
#define SETTLE_US    2000 /* after a rate change, before talking */
#define MAX_RESPONSE (UB_LDRU_BUF_MAX + UB_LDRU_HDR + 4)

const uint32_t ub_ldru_rates[UB_LDRU_NRATES] = {2000000, 1000000};

/* The wire time of n bytes at the port's rate, in ms, rounded up. */
static unsigned wire_ms(const struct ub_ldru *m, size_t n)
{
	return (unsigned)(n * ub_serial_byte_us(m->ser) / 1000) + 1;
}

static int send_frame(struct ub_ldru *m, uint8_t cmd, const void *head,
		      size_t nhead, const void *data, size_t ndata)
{
	size_t len = nhead + ndata, n = UB_LDRU_HDR + len + 4;
	uint8_t *f = malloc(n);
	int err;

	if (!f)
		return ub_fail(UB_ENOMEM, "out of memory");
	f[0] = UB_LDRU_REQ;
	f[1] = (uint8_t)len;
	f[2] = (uint8_t)(len >> 8);
	f[3] = cmd;
	f[4] = m->seq;
	f[5] = (uint8_t)(0xFF ^ f[1] ^ f[2] ^ f[3] ^ f[4]);
	if (nhead)
		memcpy(f + UB_LDRU_HDR, head, nhead);
	if (ndata)
		memcpy(f + UB_LDRU_HDR + nhead, data, ndata);
	ub_ldru_put32(f + UB_LDRU_HDR + len,
		      ub_crc32(0, f + 1, UB_LDRU_HDR - 1 + len));
	/* one write: the whole frame */
	err = ub_serial_write(m->ser, f, n, REPLY_MS + wire_ms(m, n));
	m->st.bytes_out += n;
	free(f);
	return err;
}

/* Read n bytes by the deadline: how many came, or a negative error. */
static int read_by(struct ub_ldru *m, uint8_t *buf, size_t n, double deadline)
{
	size_t got = 0;

	while (got < n) {
		double left = deadline - ub_ldru_now_ms();
		int r;

		if (left < 1)
			break;
		r = ub_serial_read(m->ser, buf + got, n - got, (unsigned)left);
		if (r < 0)
			return r;
		got += (size_t)r;
	}
	m->st.bytes_in += got;
	return (int)got;
}

/*
 * The answer to the request m->seq: the first good frame with that seq
 * (noise before it, and answers to earlier tries, are passed over). 0 with
 * *status, UB_ETIMEOUT when it did not come whole, UB_EPROTO when it came
 * damaged. No message: the caller tries again.
 */
static int recv_frame(struct ub_ldru *m, void *rsp, size_t nrsp, size_t *got,
		      uint8_t *status, double deadline)
{
	uint8_t h[UB_LDRU_HDR], *body = NULL;
	size_t have = 0, len;
	int r, err = UB_ETIMEOUT;

	for (;;) {
		r = read_by(m, h + have, sizeof(h) - have, deadline);
		if (r < 0 || (size_t)r < sizeof(h) - have) {
			err = r < 0 ? r : UB_ETIMEOUT;
			break;
		}
		have = sizeof(h);
		len = h[1] | h[2] << 8;
		if (h[0] != UB_LDRU_RSP ||
		    (0xFF ^ h[1] ^ h[2] ^ h[3] ^ h[4]) != h[5] ||
		    len > MAX_RESPONSE) {
			m->st.garbage++;
			memmove(h, h + 1, --have); /* look for the next sync */
			continue;
		}
		body = malloc(len + 4);
		if (!body)
			return ub_fail(UB_ENOMEM, "out of memory");
		r = read_by(m, body, len + 4, deadline);
		if (r < 0 || (size_t)r < len + 4) {
			err = r < 0 ? r : UB_ETIMEOUT;
			break;
		}
		if (ub_ldru_get32(body + len) !=
		    ub_crc32(ub_crc32(0, h + 1, UB_LDRU_HDR - 1), body, len)) {
			m->st.garbage++;
			err = UB_EPROTO;
			break;
		}
		if (h[4] != m->seq) { /* an earlier try's answer */
			free(body);
			body = NULL;
			have = 0;
			continue;
		}
		*status = h[3];
		if (got)
			*got = len < nrsp ? len : nrsp;
		if (rsp && nrsp)
			memcpy(rsp, body, len < nrsp ? len : nrsp);
		err = !got && len != nrsp && *status == UB_LDRU_OK ? UB_EPROTO
								   : 0;
		break;
	}
	free(body);
	return err;
}

static int status_error(struct ub_ldru *m, uint8_t cmd, uint8_t status)
{
	switch (status) {
	case UB_LDRU_EPARAM:
		return ub_fail(UB_EINVAL,
			       "the UART loader refused request 0x%02X "
			       "(a length or address it cannot take): a bug "
			       "in unbrick, please report it",
			       cmd);
	case UB_LDRU_ELOCK:
		return ub_fail(UB_EPROTECTED,
			       "the flash controller stays locked: reset the "
			       "board and try again");
	case UB_LDRU_ESPI:
		return ub_fail(UB_EIO,
			       "the UART loader could not set the SPI up "
			       "(request 0x%02X): check the board profile's "
			       "[spi] section",
			       cmd);
	default:
		(void)m;
		return ub_fail(UB_EPROTO,
			       "the UART loader answered request 0x%02X with "
			       "status %u: a loader of another version?",
			       cmd, status);
	}
}

int ub_ldru_call(struct ub_ldru *m, uint8_t cmd, const void *head, size_t nhead,
		 const void *data, size_t ndata, void *rsp, size_t nrsp,
		 size_t *got, unsigned work_ms, uint8_t *status)
{
	unsigned long timeouts = 0, bad = 0, naks = 0;
	uint8_t st = 0;
	int err = UB_ETIMEOUT;

	m->seq++;
	m->st.requests++;
	for (unsigned t = 0; t < m->tries; t++) {
		double deadline;

		if (t) {
			/* the monitor drops what it had of the frame after
			 * a gap; then whatever came back is stale; the
			 * frames after this one smaller */
			m->st.resent++;
			m->frame = ub_ldru_frame(m) / 2 < UB_LDRU_BUF_MIN
					   ? UB_LDRU_BUF_MIN
					   : ub_ldru_frame(m) / 2 & ~7u;
			ub_ldru_sleep_us((UB_LDRU_GAP_MS + 5) * 1000);
			err = ub_serial_flush(m->ser);
			if (err)
				return err;
		}
		err = send_frame(m, cmd, head, nhead, data, ndata);
		if (err)
			return err;
		/* the target's work is estimated from its clocks: 8x that
		 * leaves room for a slow adapter without waiting long for
		 * a monitor that is gone */
		deadline = ub_ldru_now_ms() + m->reply_ms + 8.0 * work_ms +
			   wire_ms(m, UB_LDRU_HDR + nhead + ndata + 4) +
			   wire_ms(m, UB_LDRU_HDR + nrsp + 4);
		err = recv_frame(m, rsp, nrsp, got, &st, deadline);
		if (!err && st == UB_LDRU_EFRAME) {
			ub_trace("UART loader: request 0x%02X seq %u arrived "
				 "damaged",
				 cmd, m->seq);
			naks++;
			m->st.nak++;
			err = UB_EPROTO;
			continue;
		}
		if (!err)
			break;
		ub_trace("UART loader: request 0x%02X seq %u: %s", cmd, m->seq,
			 err == UB_ETIMEOUT ? "no answer" : "a damaged answer");
		if (err == UB_ETIMEOUT) {
			timeouts++;
			m->st.timeouts++;
		} else if (err == UB_EPROTO) {
			bad++;
		} else {
			return err;
		}
	}
	if (err)
		return ub_fail(err,
			       "the UART loader did not answer request 0x%02X "
			       "%u times (%lu silent, %lu damaged, %lu frames "
			       "it got damaged) at %u baud: noise on the "
			       "TX/RX wires or a rate they cannot carry (long "
			       "or loose wires?); UNBRICK_UART_LOADER=rom "
			       "keeps the ROM's rate",
			       cmd, m->tries, timeouts, bad, naks,
			       m->ser->baud);
	if (status)
		*status = st;
	if (st == UB_LDRU_OK || (status && st == UB_LDRU_EJOB))
		return 0;
	return status_error(m, cmd, st);
}

/* Loading ---------------------------------------------------------------- */

static uint32_t align8(uint32_t v)
{
	return (v + 7) & ~7u;
}

/* The RAM from ram_base + UB_LDRU_BASE: vector, parameters, code, CRC
 * table, state, the SPI block, buffers, and the stack at the top. */
static int layout(struct ub_ldru *m, struct ub_ldru_params *p, uint32_t *sp)
{
	const struct ub_ldr_image *img = &ub_ldr_uart_f1;
	uint32_t top = (m->ram_base + m->ram_size) & ~7u, room, size;

	m->base = m->ram_base + UB_LDRU_BASE;
	memset(p, 0, sizeof(*p));
	p->magic = UB_LDRU_MAGIC;
	p->baud = m->rom_baud;
	p->code_size = (img->size + 3) & ~3u;
	p->table = align8(m->base + UB_LDRU_HEAD + p->code_size);
	p->state = p->table + UB_LDR_CRC_TABLE;
	p->spi = p->state + UB_LDRU_STATE;
	p->bufs = align8(p->spi + (uint32_t)sizeof(struct ub_ldr_spi));
	room = top > p->bufs + UB_LDRU_STACK ? top - p->bufs - UB_LDRU_STACK
					     : 0;
	size = room / UB_LDRU_NBUF & ~7u;
	p->buf_size = size < UB_LDRU_BUF_MAX ? size : UB_LDRU_BUF_MAX;
	p->lo = m->base;
	p->hi = top;
	*sp = top;
	if (img->entry || p->buf_size < UB_LDRU_BUF_MIN)
		return ub_fail(UB_EUNSUPPORTED,
			       "the UART loader does not fit in %u KB of RAM",
			       m->ram_size / 1024);
	m->buf_size = p->buf_size;
	return 0;
}

int ub_ldru_check_info(struct ub_ldru *m, const struct ub_ldru_info *in)
{
	const struct ub_ldr_image *img = &ub_ldr_uart_f1;
	uint8_t code[8192];
	uint32_t n = (img->size + 3) & ~3u;

	if (in->magic != UB_LDRU_MAGIC || in->version != UB_LDRU_VERSION)
		return ub_fail(UB_EPROTO,
			       "the UART loader answered, but not as this "
			       "unbrick's does (version %u)",
			       in->version);
	memset(code, 0, sizeof(code));
	memcpy(code, img->code, img->size < n ? img->size : n);
	if (n > sizeof(code) || in->code_crc != ub_crc32(0, code, n))
		return ub_fail(UB_EPROTO,
			       "the UART loader's code arrived damaged in RAM "
			       "(CRC 0x%08X): noise on the wires?",
			       in->code_crc);
	if (in->buf_size < m->buf_size)
		m->buf_size = in->buf_size;
	return 0;
}

static int ping(struct ub_ldru *m, unsigned tries, unsigned reply_ms)
{
	unsigned t = m->tries, r = m->reply_ms;
	size_t got = 0;
	int err;

	m->tries = tries;
	m->reply_ms = reply_ms;
	err = ub_ldru_call(m, UB_LDRU_PING, NULL, 0, NULL, 0, &m->info,
			   sizeof(m->info), &got, 5, NULL);
	m->tries = t;
	m->reply_ms = r;
	if (!err && got != sizeof(m->info))
		err = ub_fail(UB_EPROTO, "the UART loader's PING answer is "
					 "short: a loader of another version?");
	return err;
}

int ub_ldru_prepare(struct ub_ldru *m, struct ub_an3155 *bl, uint32_t ram_base,
		    uint32_t ram_size, struct ub_ldru_params *p, uint8_t **img,
		    uint32_t *n)
{
	const struct ub_ldr_image *ldr = &ub_ldr_uart_f1;
	unsigned reply = m->reply_ms; /* a caller's (a test's), else ours */
	uint32_t sp;
	int err;

	memset(m, 0, sizeof(*m));
	m->bl = bl;
	m->ser = bl->ser;
	m->rom_baud = bl->ser->baud;
	m->ram_base = ram_base;
	m->ram_size = ram_size;
	m->tries = TRIES;
	m->reply_ms = reply ? reply : REPLY_MS;
	err = layout(m, p, &sp);
	if (err)
		return err;
	*n = UB_LDRU_HEAD + p->code_size;
	*img = calloc(1, *n);
	if (!*img)
		return ub_fail(UB_ENOMEM, "out of memory");
	ub_ldru_put32(*img, sp);
	ub_ldru_put32(*img + 4, m->base + UB_LDRU_HEAD + ldr->entry + 1);
	memcpy(*img + 8, p, sizeof(*p));
	memcpy(*img + UB_LDRU_HEAD, ldr->code, ldr->size);
	return 0;
}

int ub_ldru_start(struct ub_ldru *m, struct ub_an3155 *bl, uint32_t ram_base,
		  uint32_t ram_size)
{
	struct ub_ldru_params p;
	uint32_t n;
	uint8_t *buf;
	double t0 = ub_ldru_now_ms();
	int err;

	err = ub_ldru_prepare(m, bl, ram_base, ram_size, &p, &buf, &n);
	if (err)
		return err;
	ub_info("loading the UART loader: %u bytes at 0x%08X, buffers of %u", n,
		m->base, m->buf_size);
	err = ub_an3155_write(bl, m->base, buf, n);
	free(buf);
	if (!err)
		err = ub_an3155_go(bl, m->base);
	m->st.upload_ms = ub_ldru_now_ms() - t0;
	if (err)
		return err;
	t0 = ub_ldru_now_ms();
	ub_ldru_sleep_us(BOOT_US);
	ub_serial_flush(m->ser);
	err = ping(m, TRIES, m->reply_ms);
	if (!err)
		err = ub_ldru_check_info(m, &m->info);
	m->st.handshake_ms = ub_ldru_now_ms() - t0;
	m->up = !err;
	return err;
}

/* The baud switch ------------------------------------------------------- */

/* Ask for rate; 0 when both sides talk at it, confirmed. */
static int try_rate(struct ub_ldru *m, uint32_t rate)
{
	uint8_t arg[4], got[4];
	int err;

	ub_ldru_put32(arg, rate);
	err = ub_ldru_call(m, UB_LDRU_BAUD, arg, 4, NULL, 0, got, 4, NULL, 5,
			   NULL);
	if (err)
		return err;
	err = ub_serial_set_baud(m->ser, rate);
	if (err)
		return err;
	ub_ldru_sleep_us(SETTLE_US);
	ub_serial_flush(m->ser);
	err = ping(m, FAST_TRIES, FAST_MS);
	/* an answer from a monitor back at the old rate: no switch */
	if (!err && (m->info.baud < rate - rate / 32 ||
		     m->info.baud > rate + rate / 32))
		err = ub_fail(UB_EPROTO, "the UART loader went back to %u baud",
			      m->info.baud);
	if (!err)
		ub_info("the UART loader talks at %u baud (USART1 at %u, "
			"%+.2f%% from the PLL's 64 MHz; the HSI's own error "
			"comes on top)",
			rate, ub_ldru_get32(got),
			100.0 * ((double)ub_ldru_get32(got) - rate) / rate);
	return err;
}

/* Back at the ROM's rate after a rate failed: the monitor went back too
 * (a bad frame, or UB_LDRU_REVERT_MS without a good one), or it stayed at
 * the new rate (its answers were what got lost). */
static int fall_back(struct ub_ldru *m, uint32_t rate)
{
	int err = ub_serial_set_baud(m->ser, m->rom_baud);

	if (err)
		return err;
	ub_ldru_sleep_us((UB_LDRU_REVERT_MS + 50) * 1000);
	ub_serial_flush(m->ser);
	ub_clear_error();
	err = ping(m, 3, FAST_MS);
	if (!err || ub_serial_set_baud(m->ser, rate))
		return err;
	ub_clear_error();
	ub_ldru_sleep_us(SETTLE_US);
	err = ping(m, 2, FAST_MS);
	if (!err)
		return 1; /* it stayed there: so do we */
	ub_serial_set_baud(m->ser, m->rom_baud);
	return ub_fail(UB_ETIMEOUT,
		       "the UART loader was lost on the way to %u baud: "
		       "reset the board (and use UNBRICK_UART_LOADER=rom)",
		       rate);
}

int ub_ldru_speed_up(struct ub_ldru *m, uint32_t max_baud)
{
	double t0 = ub_ldru_now_ms();
	uint32_t tried = 0;
	int err = 0;

	if (!max_baud)
		max_baud = ub_ldru_rates[0];
	for (size_t i = 0; i < UB_LDRU_NRATES; i++) {
		uint32_t rate = ub_ldru_rates[i];

		if (rate > max_baud || rate <= m->rom_baud)
			continue;
		/* the port must take it, and take the ROM's back */
		if (ub_serial_set_baud(m->ser, rate) ||
		    ub_serial_set_baud(m->ser, m->rom_baud)) {
			ub_info("%s", ub_errmsg(UB_EUNSUPPORTED));
			ub_clear_error();
			ub_serial_set_baud(m->ser, m->rom_baud);
			continue;
		}
		tried = rate;
		err = try_rate(m, rate);
		if (!err)
			break;
		err = fall_back(m, rate);
		if (err == 1) {
			err = 0;
			break;
		}
		if (err)
			break;
	}
	m->st.handshake_ms += ub_ldru_now_ms() - t0;
	if (!err && tried && m->ser->baud == m->rom_baud)
		ub_warn("the UART loader stays at %u baud: %u baud did not get "
			"through both ways (long wires, or an adapter that "
			"cannot keep up?)",
			m->rom_baud, tried);
	return err;
}
