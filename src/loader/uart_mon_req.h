/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_LDR_UART_REQ_H
#define UB_LDR_UART_REQ_H

/*
 * The UART monitor's requests (uart_f1.c includes it, after uart_mon.h):
 * each good frame is a repeat answered again, a job queued, or a request
 * done at once (or, during a job, once the queue is empty). Static
 * functions only.
 */

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
		ok = ok && m->spi_ok &&
		     ((r->arg & ~UB_LDR_SPI_EBSY) || !((r->addr | r->len) & 1));
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

/* CRCs of blocks of memory, or of the SPI chip (of the first span bytes
 * of each block, when a 4th word says so), into the request's own
 * buffer. */
static void do_crc(struct mon *m, const struct job *r)
{
	uint8_t *d = m->buf[r->buf];
	uint32_t a = word(d), n = word(d + 4), block = word(d + 8), k, st;
	int spi = r->cmd == UB_LDRU_SPI_CRC;
	uint32_t span = spi && r->len == 16 ? word(d + 12) : 0;
	uint32_t *out = (uint32_t *)d;
	int ok = r->len == 12 || (spi && r->len == 16);

	k = block ? n / block + (n % block != 0) : 1;
	st = ok && n && k * 4 <= m->buf_size ? UB_LDRU_OK : UB_LDRU_EPARAM;
	if (!st && spi) {
		struct ub_ldr_spi_job j = {.op = UB_LDR_SPI_CRC,
					   .addr = a,
					   .len = n,
					   .arg = block,
					   .data = (uint32_t)out,
					   .span = span};

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
	struct ub_ldr_spi_job j = {0, 0, 0, 0, (uint32_t)d, 0, 0};
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

#endif
