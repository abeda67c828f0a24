// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The UART monitor for the STM32F1: loaded by the ROM bootloader's Write
 * Memory and started with Go, it owns USART1 and serves the framed
 * protocol of ub/ldr_uart.h: memory reads and CRCs, RAM writes, flash
 * programming and erasing (flash_core.h), the companion SPI flash
 * (spi_core.h), a faster baud rate.
 *
 * No interrupts: one loop polls USART1 and does the queued jobs, and every
 * busy wait of a job (the flash's BSY, the SPI chip's WIP) polls USART1
 * too, so the next frame comes in while the flash works. A frame is taken
 * byte by byte as it arrives, its CRC computed on the way, straight into
 * one of the buffers. SysTick (core clock, free-running) times the gaps
 * inside a frame and the baud switch's confirmation.
 *
 * Position-independent (loader.ld): everything it keeps is in the RAM the
 * host gives in the parameter block, which it finds UB_LDRU_HEAD - 8 bytes
 * before its code, and its code finds itself with the first instruction.
 */
#include "ldr.h"

#include "ub/ldr_uart.h"

struct mon;
static void mon_poll(struct mon *m);
#define LDR_IDLE(ctx) mon_poll((struct mon *)(ctx))

#include "crc_core.h"
#include "flash_core.h"
#include "spi_core.h"

#define REG(a) (*(volatile uint32_t *)(a))

#define RCC_APB2RSTR REG(0x4002100Cu)
#define GPIOA_CRH    REG(0x40010804u)
#define GPIOA_BSRR   REG(0x40010810u)
#define SCB_AIRCR    REG(0xE000ED0Cu)

#define USART1 0x40013800u
#define U_SR   0
#define U_DR   1
#define U_BRR  2
#define U_CR1  3
#define U_CR2  4
#define U_CR3  5

#define SR_ORE	(1u << 3)
#define SR_RXNE (1u << 5)
#define SR_TC	(1u << 6)
#define SR_TXE	(1u << 7)
/* UE, M (9 bits: 8 and parity), PCE (even), TE, RE: 8E1 as the ROM */
#define CR1_8E1 (1u << 13 | 1u << 12 | 1u << 10 | 1u << 3 | 1u << 2)

#define APB2_AFIO   (1u << 0)
#define APB2_IOPA   (1u << 2)
#define APB2_USART1 (1u << 14)

/* HSI/2 x 16 = 64 MHz (PLLMUL 14), APB1 / 2, SYSCLK from the PLL */
#define MON_CFGR    (0xEu << 18 | 4u << 8 | 2u)
#define MON_LATENCY 2u
#define TICKS_MS    (UB_LDRU_SYSCLK / 1000u)

#define NONE 0xFFu
#define SINK NONE

enum { RX_HUNT, RX_HDR, RX_DATA, RX_CRC };

struct job {
	uint32_t addr, len, arg;
	uint8_t cmd, seq, buf;
};

struct mon {
	volatile struct ub_ldru_params *p;
	volatile uint32_t *u;
	uint32_t *table;
	uint8_t *buf[UB_LDRU_NBUF];
	uint32_t buf_size;
	uint8_t used[UB_LDRU_NBUF];
	/* the frame coming in */
	uint8_t rx_state, rx_buf, hdr[5];
	uint32_t rx_len, rx_pos, rx_crc, rx_got;
	/* jobs: q[head] is done first; one more may wait for room */
	struct job q[UB_LDRU_JOBS], parked;
	uint8_t q_head, q_n, has_parked, in_job;
	/* a request that came during a job and waits for the queue to empty */
	struct job deferred;
	uint8_t has_deferred;
	/* the last request taken, for repeats */
	uint8_t last_seq, last_cmd, last_status, have_last;
	/* the first failure */
	uint32_t done, fail, fail_addr, fail_sr, fail_cmd;
	/* the rate and its confirmation */
	uint32_t brr, old_brr, unconfirmed;
	uint32_t tick, gap, revert;
	uint32_t rx_over, bad;
	uint32_t code, code_size;
	uint32_t pclk2; /* 64 MHz, or the HSI's 8 if the PLL failed */
	struct spi_ctx spi;
	uint32_t spi_ok;
};

_Static_assert(sizeof(struct mon) <= UB_LDRU_STATE, "the state fits");

/* Transmit ----------------------------------------------------------------
 * Answers go out whole, one byte as soon as the last has left TDR. */

static void tx_byte(struct mon *m, uint32_t b, uint32_t *crc)
{
	while (!(m->u[U_SR] & SR_TXE))
		;
	m->u[U_DR] = b & 0xFF;
	if (crc)
		*crc = crc_byte(m->table, *crc, (uint8_t)b);
}

static void tx_bytes(struct mon *m, const uint8_t *p, uint32_t n, uint32_t *crc)
{
	while (n--)
		tx_byte(m, *p++, crc);
}

/* An answer: status, the request's seq, a payload of a then b. */
static void answer(struct mon *m, uint32_t status, uint32_t seq, const void *a,
		   uint32_t na, const void *b, uint32_t nb)
{
	uint32_t len = na + nb, crc = 0xFFFFFFFFu;
	uint8_t h[5];

	h[0] = (uint8_t)len;
	h[1] = (uint8_t)(len >> 8);
	h[2] = (uint8_t)status;
	h[3] = (uint8_t)seq;
	h[4] = (uint8_t)(0xFF ^ h[0] ^ h[1] ^ h[2] ^ h[3]);
	tx_byte(m, UB_LDRU_RSP, 0);
	tx_bytes(m, h, 4, &crc);
	tx_byte(m, h[4], &crc);
	tx_bytes(m, a, na, &crc);
	tx_bytes(m, b, nb, &crc);
	crc = ~crc;
	tx_bytes(m, (const uint8_t *)&crc, 4, 0);
}

static void answer_status(struct mon *m, uint32_t status, uint32_t seq)
{
	answer(m, status, seq, 0, 0, 0, 0);
}

static void tx_done(struct mon *m)
{
	while (!(m->u[U_SR] & SR_TC))
		;
}

/* Buffers and the rate ---------------------------------------------------- */

static uint32_t free_buf(struct mon *m)
{
	for (uint32_t i = 0; i < UB_LDRU_NBUF; i++)
		if (!m->used[i])
			return i;
	return SINK;
}

static void release(struct mon *m, uint32_t b)
{
	if (b < UB_LDRU_NBUF)
		m->used[b] = 0;
}

static void set_brr(struct mon *m, uint32_t brr)
{
	m->brr = brr;
	m->u[U_BRR] = brr;
}

static void revert(struct mon *m)
{
	set_brr(m, m->old_brr);
	m->unconfirmed = 0;
	m->rx_state = RX_HUNT;
}

/* A frame went wrong: at a rate not confirmed yet, the rate is. */
static void bad_frame(struct mon *m)
{
	m->bad++;
	m->rx_state = RX_HUNT;
	if (m->unconfirmed)
		revert(m);
}

/* Requests ---------------------------------------------------------------- */

static uint32_t word(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static int is_job(uint32_t cmd)
{
	return cmd == UB_LDRU_FLASH || cmd == UB_LDRU_ERASE ||
	       cmd == UB_LDRU_SPI_PROG || cmd == UB_LDRU_SPI_ERASE;
}

/* Changes something: a repeat is answered, not done again. */
static int once_only(uint32_t cmd)
{
	return is_job(cmd) || cmd == UB_LDRU_WRITE || cmd == UB_LDRU_GO ||
	       cmd == UB_LDRU_RESET;
}

static void remember(struct mon *m, const struct job *r, uint32_t status)
{
	m->last_seq = r->seq;
	m->last_cmd = r->cmd;
	m->last_status = (uint8_t)status;
	m->have_last = 1;
}

static void enqueue(struct mon *m, const struct job *r)
{
	m->q[(m->q_head + m->q_n) % UB_LDRU_JOBS] = *r;
	m->q_n++;
	answer_status(m, UB_LDRU_OK, r->seq);
}

static void take_job(struct mon *m, struct job *r)
{
	uint8_t *d = m->buf[r->buf];
	uint32_t n = r->len, ok;

	/* the job's own parameters, its data left in the buffer */
	ok = n >= 4;
	if (r->cmd == UB_LDRU_FLASH) {
		r->addr = ok ? word(d) : 0;
		r->len = n - 4;
		ok = ok && !((r->addr | r->len) & 1);
	} else if (r->cmd == UB_LDRU_SPI_PROG) {
		ok = n >= 8;
		r->addr = ok ? word(d) : 0;
		r->arg = ok ? word(d + 4) : 0;
		r->len = n - 8;
		ok = ok && m->spi_ok && (r->arg || !((r->addr | r->len) & 1));
	} else {
		int spi = r->cmd == UB_LDRU_SPI_ERASE;

		/* ERASE: addr, pages; SPI_ERASE: op, addr */
		ok = n >= 8 && (spi ? m->spi_ok : 1);
		r->addr = ok ? word(d + 4 * spi) : 0;
		r->arg = ok ? word(d + 4 * !spi) : 0;
		/* ERASE: the page size; SPI_ERASE: its timeout, us */
		r->len = n >= 12 ? word(d + 8) : 0;
		ok = ok && (r->cmd != UB_LDRU_ERASE || !r->arg || r->len);
		release(m, r->buf);
		r->buf = NONE;
	}
	if (!ok || m->fail) {
		release(m, r->buf);
		m->last_status = m->fail ? UB_LDRU_EJOB : UB_LDRU_EPARAM;
		answer_status(m, m->last_status, r->seq);
		return;
	}
	if (m->q_n < UB_LDRU_JOBS) {
		enqueue(m, r);
	} else {
		m->parked = *r;
		m->has_parked = 1;
	}
}

static void do_state(struct mon *m, const struct job *r)
{
	uint8_t *d = m->buf[r->buf];
	uint32_t flags = r->len >= 4 ? word(d) : 0;
	struct ub_ldru_state s = {
		.pending = m->q_n + m->has_parked,
		.done = m->done,
		.status = m->fail,
		.err_addr = m->fail_addr,
		.err_sr = m->fail_sr,
		.cmd = m->fail_cmd,
	};

	release(m, r->buf);
	answer(m, UB_LDRU_OK, r->seq, &s, sizeof(s), 0, 0);
	if (flags & UB_LDRU_CLEAR)
		m->fail = 0;
}

static void do_ping(struct mon *m, const struct job *r)
{
	struct ub_ldru_info in = {
		.magic = UB_LDRU_MAGIC,
		.version = UB_LDRU_VERSION,
		.buf_size = m->buf_size,
		.pclk2 = m->pclk2,
		.baud = m->pclk2 / m->brr,
		.code_crc = crc_block(m->table, (const uint8_t *)m->code,
				      m->code_size),
		.rx_over = m->rx_over,
		.bad = m->bad,
	};

	release(m, r->buf);
	answer(m, UB_LDRU_OK, r->seq, &in, sizeof(in), 0, 0);
}

static void do_baud(struct mon *m, const struct job *r)
{
	const uint8_t *d = m->buf[r->buf];
	uint32_t baud = r->len == 4 ? word(d) : 0, brr, got;

	release(m, r->buf);
	brr = baud ? (m->pclk2 + baud / 2) / baud : 0;
	if (brr < 16 || brr > 0xFFFF) {
		m->last_status = UB_LDRU_EPARAM;
		answer_status(m, UB_LDRU_EPARAM, r->seq);
		return;
	}
	got = m->pclk2 / brr;
	answer(m, UB_LDRU_OK, r->seq, &got, 4, 0, 0);
	tx_done(m);
	if (!m->unconfirmed)
		m->old_brr = m->brr;
	set_brr(m, brr);
	m->unconfirmed = brr != m->old_brr;
	m->revert = 0;
	m->rx_state = RX_HUNT;
}

static int in_ram(uint32_t a, uint32_t n)
{
	return a >= 0x20000000u && a + n >= a && a + n <= 0x20010000u;
}

static void do_write(struct mon *m, const struct job *r)
{
	const uint8_t *d = m->buf[r->buf];
	uint32_t a = r->len >= 4 ? word(d) : 0, n = r->len - 4, st;

	st = UB_LDRU_EPARAM;
	if (r->len >= 4 && in_ram(a, n) &&
	    (a + n <= m->p->lo || a >= m->p->hi)) {
		for (uint32_t i = 0; i < n; i++)
			((volatile uint8_t *)a)[i] = d[4 + i];
		st = UB_LDRU_OK;
	}
	release(m, r->buf);
	m->last_status = (uint8_t)st;
	answer_status(m, st, r->seq);
}

static void do_read(struct mon *m, const struct job *r)
{
	const uint8_t *d = m->buf[r->buf];
	uint32_t a = word(d), n = word(d + 4);

	release(m, r->buf);
	if (r->len != 8 || n > m->buf_size)
		answer_status(m, UB_LDRU_EPARAM, r->seq);
	else
		answer(m, UB_LDRU_OK, r->seq, (const void *)a, n, 0, 0);
}

/* CRCs of blocks of memory, or of the SPI chip, into the request's own
 * buffer. */
static void do_crc(struct mon *m, const struct job *r)
{
	uint8_t *d = m->buf[r->buf];
	uint32_t a = word(d), n = word(d + 4), block = word(d + 8), k, st;
	uint32_t *out = (uint32_t *)d;

	k = block ? n / block + (n % block != 0) : 1;
	st = r->len == 12 && n && k * 4 <= m->buf_size ? UB_LDRU_OK
						       : UB_LDRU_EPARAM;
	if (!st && r->cmd == UB_LDRU_SPI_CRC) {
		struct ub_ldr_spi_job j = {UB_LDR_SPI_CRC, a, n, block,
					   (uint32_t)out,  0};

		st = m->spi_ok && !spi_job(&m->spi, &j) ? UB_LDRU_OK
							: UB_LDRU_ESPI;
	} else if (!st) {
		for (uint32_t i = 0; i < k; i++) {
			uint32_t len = block && n - i * block < block
					       ? n - i * block
					       : (block ? block : n);

			out[i] = crc_block(m->table,
					   (const uint8_t *)(a + i * block),
					   len);
		}
	}
	release(m, r->buf);
	answer(m, st, r->seq, d, st ? 0 : k * 4, 0, 0);
}

/* The SPI: set up, one transaction, a read, close. */
static void do_spi(struct mon *m, const struct job *r)
{
	volatile struct ub_ldr_spi *s = (volatile struct ub_ldr_spi *)m->p->spi;
	uint8_t *d = m->buf[r->buf];
	struct ub_ldr_spi_job j = {0, 0, 0, 0, (uint32_t)d, 0};
	uint32_t st = UB_LDRU_EPARAM, nout = 0, ldr = 0;

	if (r->cmd == UB_LDRU_SPI_SETUP &&
	    r->len == 4 + sizeof(struct ub_ldr_spi_cfg)) {
		for (uint32_t i = 0; i < sizeof(s->cfg); i++)
			((volatile uint8_t *)&s->cfg)[i] = d[4 + i];
		s->timeout_us = word(d);
		s->table = (uint32_t)m->table;
		m->spi_ok = 0;
		if (!s->cfg.cfgr) {
			spi_begin(&m->spi, s);
			j.op = UB_LDR_SPI_SETUP;
			ldr = spi_job(&m->spi, &j);
			m->spi_ok = !ldr;
			st = ldr ? UB_LDRU_ESPI : UB_LDRU_OK;
		}
		nout = ldr ? 4 : 0;
		d[0] = (uint8_t)ldr;
		d[1] = d[2] = d[3] = 0;
	} else if (!m->spi_ok) {
		st = UB_LDRU_ESPI;
	} else if (r->cmd == UB_LDRU_SPI_XFER && r->len >= 4 &&
		   word(d) <= m->buf_size - 4) {
		j.op = UB_LDR_SPI_XFER;
		j.len = r->len - 4;
		j.arg = word(d);
		j.data = (uint32_t)(d + 4);
		spi_job(&m->spi, &j);
		st = UB_LDRU_OK;
		nout = j.arg;
		d += 4;
	} else if (r->cmd == UB_LDRU_SPI_READ && r->len == 8 &&
		   word(d + 4) <= m->buf_size) {
		j.op = UB_LDR_SPI_READ;
		j.addr = word(d);
		j.len = word(d + 4);
		spi_job(&m->spi, &j);
		st = UB_LDRU_OK;
		nout = j.len;
	} else if (r->cmd == UB_LDRU_SPI_CLOSE) {
		j.op = UB_LDR_SPI_CLOSE;
		spi_job(&m->spi, &j);
		m->spi_ok = 0;
		SYST_CTRL = SYST_ON; /* the close stops it: the monitor's */
		st = UB_LDRU_OK;
	}
	release(m, r->buf);
	answer(m, st, r->seq, d, nout, 0, 0);
}

static void restore_clock(void)
{
	RCC_CFGR &= ~CFGR_SW;
	spi_wait_bits(&RCC_CFGR, CFGR_SWS, 0);
	RCC_CR &= ~CR_PLLON;
	RCC_CFGR = 0;
	FLASH_ACR = 0x30; /* its reset value */
}

/* Run the code at the vector table v (reset handler, stack), the chip
 * as after a reset as far as the monitor changed it. */
static __attribute__((noreturn)) void do_go(struct mon *m, const struct job *r)
{
	const uint32_t *v = (const uint32_t *)word(m->buf[r->buf]);

	answer_status(m, UB_LDRU_OK, r->seq);
	tx_done(m);
	SYST_CTRL = 0;
	SYST_LOAD = 0;
	RCC_APB2RSTR = APB2_USART1;
	RCC_APB2RSTR = 0;
	restore_clock();
	__asm__ volatile("msr msp, %0\n\t"
			 "bx %1"
			 :
			 : "r"(v[0]), "r"(v[1])
			 : "memory");
	for (;;)
		;
}

static __attribute__((noreturn)) void do_reset(struct mon *m,
					       const struct job *r)
{
	answer_status(m, UB_LDRU_OK, r->seq);
	tx_done(m);
	SCB_AIRCR = 0x05FA0004u; /* VECTKEY, SYSRESETREQ */
	for (;;)
		;
}

static void request(struct mon *m, struct job *r)
{
	uint32_t c = r->cmd;

	if (c == UB_LDRU_PING)
		do_ping(m, r);
	else if (c == UB_LDRU_STATUS)
		do_state(m, r);
	else if (c == UB_LDRU_BAUD)
		do_baud(m, r);
	else if (c == UB_LDRU_READ)
		do_read(m, r);
	else if (c == UB_LDRU_WRITE)
		do_write(m, r);
	else if (c == UB_LDRU_CRC || c == UB_LDRU_SPI_CRC)
		do_crc(m, r);
	else if (c == UB_LDRU_GO)
		do_go(m, r);
	else if (c == UB_LDRU_RESET)
		do_reset(m, r);
	else if (c >= UB_LDRU_SPI_SETUP && c <= UB_LDRU_SPI_CLOSE)
		do_spi(m, r);
	else {
		release(m, r->buf);
		answer_status(m, UB_LDRU_ECMD, r->seq);
	}
}

/* A good frame: a repeat, a job, or a request done now (or, during a
 * job, once the queue is empty). */
static void frame(struct mon *m, struct job *r)
{
	int again =
		m->have_last && r->seq == m->last_seq && r->cmd == m->last_cmd;

	if (r->buf == SINK) { /* no room: it comes again */
		if (!again && !(m->has_parked && m->parked.seq == r->seq) &&
		    !(m->has_deferred && m->deferred.seq == r->seq))
			answer_status(m, UB_LDRU_EFRAME, r->seq);
		return;
	}
	if ((m->has_parked && m->parked.seq == r->seq &&
	     m->parked.cmd == r->cmd) ||
	    (m->has_deferred && m->deferred.seq == r->seq)) {
		release(m, r->buf); /* taken already, its answer to come */
		return;
	}
	if (again && once_only(r->cmd)) {
		release(m, r->buf);
		answer_status(m, m->last_status, r->seq);
		return;
	}
	remember(m, r, UB_LDRU_OK);
	if (is_job(r->cmd)) {
		take_job(m, r);
	} else if (m->in_job && r->cmd != UB_LDRU_PING &&
		   r->cmd != UB_LDRU_STATUS) {
		if (m->has_deferred) {
			release(m, r->buf);
			answer_status(m, UB_LDRU_EFRAME, r->seq);
		} else {
			m->deferred = *r;
			m->has_deferred = 1;
		}
	} else {
		request(m, r);
	}
}

/* Receive ------------------------------------------------------------------ */

static void rx_byte(struct mon *m, uint32_t b)
{
	uint8_t *h = m->hdr;
	struct job r;

	m->gap = 0;
	if (m->rx_state == RX_HUNT) {
		if (b == UB_LDRU_REQ) {
			m->rx_state = RX_HDR;
			m->rx_pos = 0;
		} else if (m->unconfirmed) {
			revert(m);
		}
		return;
	}
	if (m->rx_state == RX_HDR) {
		h[m->rx_pos++] = (uint8_t)b;
		if (m->rx_pos < 5)
			return;
		m->rx_len = h[0] | h[1] << 8;
		if ((0xFF ^ h[0] ^ h[1] ^ h[2] ^ h[3]) != h[4] ||
		    m->rx_len > m->buf_size) {
			bad_frame(m);
			return;
		}
		m->rx_buf = (uint8_t)free_buf(m);
		if (m->rx_buf != SINK)
			m->used[m->rx_buf] = 1;
		m->rx_crc = crc_bytes(m->table, 0xFFFFFFFFu, h, 5);
		m->rx_pos = 0;
		m->rx_got = 0;
		m->rx_state = m->rx_len ? RX_DATA : RX_CRC;
		return;
	}
	if (m->rx_state == RX_DATA) {
		if (m->rx_buf != SINK)
			m->buf[m->rx_buf][m->rx_pos] = (uint8_t)b;
		m->rx_crc = crc_byte(m->table, m->rx_crc, (uint8_t)b);
		if (++m->rx_pos == m->rx_len) {
			m->rx_state = RX_CRC;
			m->rx_pos = 0;
		}
		return;
	}
	m->rx_got |= b << (8 * m->rx_pos);
	if (++m->rx_pos < 4)
		return;
	m->rx_state = RX_HUNT;
	r.addr = r.arg = 0;
	r.len = m->rx_len;
	r.cmd = h[2];
	r.seq = h[3];
	r.buf = m->rx_buf;
	if (m->rx_got != ~m->rx_crc) {
		release(m, m->rx_buf);
		if (m->unconfirmed) {
			bad_frame(m);
		} else {
			m->bad++;
			answer_status(m, UB_LDRU_EFRAME, h[3]);
		}
		return;
	}
	m->unconfirmed = 0; /* a good frame at this rate */
	frame(m, &r);
}

/* The time since the last look, in SysTick ticks (core clock). */
static uint32_t ticks(struct mon *m)
{
	uint32_t now = SYST_VAL, d = (m->tick - now) & SYST_MASK;

	m->tick = now;
	return d;
}

static void mon_poll(struct mon *m)
{
	uint32_t sr = m->u[U_SR], d;

	if (sr & (SR_RXNE | SR_ORE)) {
		uint32_t b = m->u[U_DR] & 0xFF;

		if (sr & SR_ORE)
			m->rx_over++;
		rx_byte(m, b);
	}
	d = ticks(m);
	if (m->rx_state != RX_HUNT) {
		m->gap += d;
		if (m->gap > UB_LDRU_GAP_MS * TICKS_MS) {
			release(m, m->rx_buf);
			bad_frame(m);
		}
	}
	if (m->unconfirmed) {
		m->revert += d;
		if (m->revert > UB_LDRU_REVERT_MS * TICKS_MS)
			revert(m);
	}
}

/* Jobs --------------------------------------------------------------------- */

/*
 * Poll the SPI chip's status until WIP clears, the wire served between:
 * at 2 Mbaud a byte comes every 5.5 us, and USART1 holds one, so no stretch
 * without a look at it is longer than a status read and a word sent (the
 * callers look after what they send). The status read comes between two
 * looks at USART1, so that a monitor at work never looks like one waiting
 * idle for the host (which is all a model of the wire can tell apart).
 */
static uint32_t spi_ready(struct mon *m, uint32_t addr)
{
	struct spi_ctx *x = &m->spi;
	struct spi_timer tm;
	uint8_t sr;

	spi_timer_start(x, &tm);
	spi_cs_low(x);
	spi_xchg(x, NOR_RDSR); /* the status, over and over while CS# is low */
	while ((sr = spi_xchg(x, 0xFF)) & NOR_WIP) {
		if (spi_timer_expired(&tm)) {
			spi_cs_high(x);
			x->p->err_addr = addr;
			x->p->err_sr = sr;
			return UB_LDR_SPI_BUSY;
		}
		mon_poll(m);
	}
	spi_cs_high(x);
	return UB_LDR_OK;
}

/* Page (or byte: page 1) programming, or SST25 AAI words (page 0). */
static uint32_t spi_prog(struct mon *m, uint32_t addr, const uint8_t *s,
			 uint32_t len, uint32_t page)
{
	struct spi_ctx *x = &m->spi;
	uint32_t st = UB_LDR_OK, i;

	if (!page && len) {
		spi_cmd1(x, NOR_WREN);
		mon_poll(m);
		spi_cs_low(x);
		spi_cmd_addr(x, NOR_AAI, addr);
		for (i = 0; i < len && !st; i += 2) {
			if (i) {
				spi_cs_low(x);
				spi_tx(x, NOR_AAI);
			}
			spi_tx(x, s[i]);
			spi_tx(x, s[i + 1]);
			spi_tx_end(x);
			spi_cs_high(x);
			mon_poll(m);
			st = spi_ready(m, addr + i);
		}
		spi_cmd1(x, NOR_WRDI);
		mon_poll(m);
		return st;
	}
	while (len && !st) {
		uint32_t n = page - addr % page;

		if (n > len)
			n = len;
		spi_cmd1(x, NOR_WREN);
		mon_poll(m);
		spi_cs_low(x);
		spi_cmd_addr(x, NOR_PP, addr);
		for (i = 0; i < n; i++) {
			spi_tx(x, s[i]);
			if ((i & 3) == 3)
				mon_poll(m);
		}
		spi_tx_end(x);
		spi_cs_high(x);
		st = spi_ready(m, addr);
		addr += n;
		s += n;
		len -= n;
	}
	return st;
}

static uint32_t spi_erase_job(struct mon *m, uint32_t arg, uint32_t addr)
{
	struct spi_ctx *x = &m->spi;

	spi_cmd1(x, NOR_WREN);
	spi_cs_low(x);
	if (arg & UB_LDR_SPI_ADDR)
		spi_cmd_addr(x, arg, addr);
	else
		spi_tx(x, arg);
	spi_tx_end(x);
	spi_cs_high(x);
	return spi_ready(m, addr);
}

static uint32_t flash_job(struct mon *m, const struct job *j,
			  struct ldr_flash_err *e)
{
	volatile uint32_t *fpec = (volatile uint32_t *)0x40022000u;
	uint32_t st = UB_LDR_OK;

	if (!ldr_flash_unlock(fpec))
		return UB_LDR_WRPRTERR;
	if (j->cmd == UB_LDRU_FLASH)
		return ldr_flash_program(fpec, (volatile uint16_t *)j->addr,
					 (const uint16_t *)(m->buf[j->buf] + 4),
					 j->len / 2, e, m);
	if (!j->arg)
		return ldr_flash_erase(fpec, 0, 1, e, m);
	for (uint32_t i = 0; i < j->arg && !st; i++)
		st = ldr_flash_erase(fpec, j->addr + i * j->len, 0, e, m);
	return st;
}

static uint32_t do_job(struct mon *m, const struct job *j)
{
	volatile struct ub_ldr_spi *s = (volatile struct ub_ldr_spi *)m->p->spi;
	struct ldr_flash_err e = {0, 0};
	uint32_t st;

	if (j->cmd == UB_LDRU_SPI_PROG) {
		st = spi_prog(m, j->addr, m->buf[j->buf] + 8, j->len, j->arg);
	} else if (j->cmd == UB_LDRU_SPI_ERASE) {
		uint32_t tmo = s->timeout_us;

		if (j->len)
			s->timeout_us = j->len;
		st = spi_erase_job(m, j->arg, j->addr);
		s->timeout_us = tmo;
	} else {
		st = flash_job(m, j, &e);
		s->err_addr = e.addr;
		s->err_sr = e.sr;
	}
	if (st) {
		m->fail = st;
		m->fail_addr = s->err_addr;
		m->fail_sr = s->err_sr;
		m->fail_cmd = j->cmd;
	}
	return st;
}

/* The queue's head is done: the next, and the one waiting for room. */
static void job_done(struct mon *m, uint32_t st)
{
	struct job *j = &m->q[m->q_head];

	release(m, j->buf);
	m->q_head = (m->q_head + 1) % UB_LDRU_JOBS;
	m->q_n--;
	if (!st) {
		m->done++;
	} else { /* the rest is dropped; STATUS tells */
		while (m->q_n) {
			release(m, m->q[m->q_head].buf);
			m->q_head = (m->q_head + 1) % UB_LDRU_JOBS;
			m->q_n--;
		}
	}
	if (m->has_parked) {
		m->has_parked = 0;
		if (m->fail) {
			release(m, m->parked.buf);
			if (m->last_seq == m->parked.seq)
				m->last_status = UB_LDRU_EJOB;
			answer_status(m, UB_LDRU_EJOB, m->parked.seq);
		} else {
			enqueue(m, &m->parked);
		}
	}
}

static void run_jobs(struct mon *m)
{
	while (m->q_n) {
		uint32_t st;

		m->in_job = 1;
		st = do_job(m, &m->q[m->q_head]);
		m->in_job = 0;
		job_done(m, st);
	}
	if (m->has_deferred) {
		m->has_deferred = 0;
		request(m, &m->deferred);
	}
}

/* Start ---------------------------------------------------------------- */

static void start(struct mon *m, uint32_t code)
{
	volatile struct ub_ldru_params *p =
		(volatile struct ub_ldru_params *)(code - UB_LDRU_HEAD + 8);
	volatile uint32_t *u = (volatile uint32_t *)USART1;
	uint32_t baud = p->baud ? p->baud : 115200;

	m->p = p;
	m->u = u;
	m->code = code;
	m->code_size = p->code_size;
	m->table = (uint32_t *)p->table;
	m->buf_size = p->buf_size;
	for (uint32_t i = 0; i < UB_LDRU_NBUF; i++)
		m->buf[i] = (uint8_t *)(p->bufs + i * p->buf_size);
	m->have_last = 0;
	m->last_seq = 0;
	make_table(m->table);

	m->pclk2 = spi_clock(MON_CFGR, MON_LATENCY) ? 8000000u : UB_LDRU_PCLK2;
	SYST_CTRL = 0;
	SYST_LOAD = SYST_MASK;
	SYST_VAL = 0;
	SYST_CTRL = SYST_ON;
	m->tick = SYST_VAL;

	/* PA9 TX alternate-function push-pull, PA10 RX input pulled up */
	RCC_APB2EN |= APB2_AFIO | APB2_IOPA | APB2_USART1;
	GPIOA_BSRR = 1u << 10;
	GPIOA_CRH = (GPIOA_CRH & ~0xFF0u) | 0x8B0u;
	u[U_CR1] = 0;
	u[U_CR2] = 0;
	u[U_CR3] = 0;
	set_brr(m, (m->pclk2 + baud / 2) / baud);
	m->old_brr = m->brr;
	u[U_CR1] = CR1_8E1;
	(void)u[U_SR];
	(void)u[U_DR];
}

static __attribute__((used, noinline, noreturn)) void mon_main(uint32_t code)
{
	volatile struct ub_ldru_params *p =
		(volatile struct ub_ldru_params *)(code - UB_LDRU_HEAD + 8);
	struct mon *m = (struct mon *)p->state;

	ub_ldr_mask_irqs();
	for (uint32_t i = 0; i < sizeof(*m); i++)
		((volatile uint8_t *)m)[i] = 0;
	start(m, code);
	for (;;) {
		mon_poll(m);
		run_jobs(m);
	}
}

/* The entry, first in the code: r0 = where the code is, from the PC. */
__attribute__((naked, noreturn, section(".text.entry"), used)) void
ub_ldr_uart_f1_entry(void)
{
	__asm__ volatile("mov r0, pc\n\t"
			 "subs r0, #4\n\t"
			 "b mon_main");
}
