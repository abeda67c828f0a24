/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_LDR_UART_MON_H
#define UB_LDR_UART_MON_H

/*
 * The UART monitor's state and its way out (uart_f1.c includes it, after
 * ldr.h, ub/ldr_uart.h and spi_core.h): USART1's registers (uart_hw.h,
 * the first stage's too), the monitor's variables in the RAM the host
 * gave, answers sent whole, the buffers and the baud rate. Static
 * functions only.
 */

#include "uart_hw.h"

#define RCC_APB2RSTR REG(0x4002100Cu)
#define SCB_AIRCR    REG(0xE000ED0Cu)

#define TICKS_MS (UB_LDRU_SYSCLK / 1000u)

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
	uint32_t rx_over, bad, polls;
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

#endif
