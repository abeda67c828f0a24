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
struct spi_ctx;
static void mon_poll(struct mon *m);
static inline __attribute__((always_inline)) void
mon_spi_idle(struct spi_ctx *x);
#define LDR_IDLE(ctx) mon_poll((struct mon *)(ctx))
#define SPI_IDLE(x)   mon_spi_idle(x)

#include "crc_core.h"
#include "flash_core.h"
#include "spi_core.h"

#include "uart_mon.h"
#include "uart_mon_req.h"

/* Receive ------------------------------------------------------------------ */

static void rx_byte(struct mon *m, uint32_t b)
{
	uint8_t *h = m->hdr;
	struct job r;

	m->gap = 0;
	if (m->rx_state == RX_DATA) { /* the most frequent: first */
		if (m->rx_buf != SINK)
			m->buf[m->rx_buf][m->rx_pos] = (uint8_t)b;
		m->rx_crc = crc_byte(m->table, m->rx_crc, (uint8_t)b);
		if (++m->rx_pos == m->rx_len) {
			m->rx_state = RX_CRC;
			m->rx_pos = 0;
		}
		return;
	}
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

/*
 * A look at USART1, and now and then at the clock. It runs between any two
 * steps of the flash or the SPI chip, so a byte costs little: the clock is
 * read on one look in 8 that finds nothing (its 24 bits last 0.26 s).
 */
static void mon_poll(struct mon *m)
{
	uint32_t sr = m->u[U_SR], d;

	if (sr & (SR_RXNE | SR_ORE)) {
		uint32_t b = m->u[U_DR] & 0xFF;

		if (sr & SR_ORE)
			m->rx_over++;
		rx_byte(m, b);
		return;
	}
	if (++m->polls & 7)
		return;
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

/* The SPI chip's waits look at USART1 too (spi_core.h's SPI_IDLE): a
 * call to mon_poll, no more, on the AAI word's hot path. */
static inline void mon_spi_idle(struct spi_ctx *x)
{
	mon_poll((struct mon *)((uint8_t *)x - __builtin_offsetof(struct mon,
								  spi)));
}

/* Jobs --------------------------------------------------------------------- */

/* Page (or byte: page 1) programming, or SST25 AAI words (page 0, or
 * UB_LDR_SPI_EBSY: the end of a word seen on SO, spi_core.h). */
static uint32_t spi_prog(struct mon *m, uint32_t addr, const uint8_t *s,
			 uint32_t len, uint32_t page)
{
	struct spi_ctx *x = &m->spi;
	uint32_t st = UB_LDR_OK, i, done;

	if (page == UB_LDR_SPI_EBSY && len && !x->no_so) {
		st = spi_aai_so(x, addr, s, len, &done);
		mon_poll(m);
		if (st || done == len)
			return st;
		addr += done;
		s += done;
		len -= done;
	}
	if (!(page & ~UB_LDR_SPI_EBSY) && len) {
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
			st = spi_wait_ready(x, addr + i);
		}
		spi_cmd1(x, NOR_WRDI);
		mon_poll(m);
		return st;
	}
	return spi_pages(x, addr, s, len, page);
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
		st = spi_erase(&m->spi, j->arg, j->addr);
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
