// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SPI NOR loader's host side over SWD: one job per run (xfer, erase,
 * CRC...), or a stream of jobs through the two buffers (read, program):
 * while the chip works on one buffer the debug port fills or empties the
 * other. The jobs start small and double, so that the chip (or the wire)
 * starts early. The handshake is in ub/loader.h (struct ub_ldr_spi).
 *
 * Work area: the CRC table (1 KB), then the two buffers.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ub/err.h"
#include "ub/loader.h"

#define BUF_MAX	  4096u /* bytes per buffer */
#define FIRST_JOB 256u	/* bytes in the first job of a stream */
#define SET_TRIES 4

struct stream {
	struct ub_ldr_swd *l;
	struct ub_ldr_spi p;		 /* as started */
	struct ub_ldr_spi_job job[2];	 /* the last two handed over */
	uint32_t buf_len, sent, unit_ms; /* unit_ms: a unit's longest */
	uint8_t pad[BUF_MAX];
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

uint32_t ub_ldr_swd_spi_room(const struct ub_ldr_swd *l)
{
	uint32_t n = l->work_len > UB_LDR_CRC_TABLE
			     ? (l->work_len - UB_LDR_CRC_TABLE) / 2 & ~3u
			     : 0;

	return n < BUF_MAX ? n : BUF_MAX;
}

static uint32_t buf_at(const struct ub_ldr_swd *l, uint32_t job)
{
	return l->work + UB_LDR_CRC_TABLE + (job & 1) * ub_ldr_swd_spi_room(l);
}

static uint32_t job_at(const struct ub_ldr_swd *l, uint32_t job)
{
	return l->params + offsetof(struct ub_ldr_spi, job) +
	       (job & 1) * sizeof(struct ub_ldr_spi_job);
}

static uint32_t beat_at(const struct ub_ldr_swd *l)
{
	return l->params + offsetof(struct ub_ldr_spi, beat);
}

static void params(struct ub_ldr_spi *p, const struct ub_ldr_swd *l,
		   const struct ub_ldr_spi_cfg *cfg, uint32_t timeout_us)
{
	memset(p, 0, sizeof(*p));
	p->cfg = *cfg;
	p->timeout_us = timeout_us;
	p->table = l->work;
}

/* What the job that stopped was doing, for messages. */
static void what(const struct ub_ldr_spi_job *j, uint32_t at, char *buf,
		 size_t len)
{
	switch (j->op) {
	case UB_LDR_SPI_ERASE:
		if (j->arg & UB_LDR_SPI_ADDR)
			snprintf(buf, len, "erase 0x%02X at 0x%06X",
				 j->arg & 0xFF, at);
		else
			snprintf(buf, len, "chip erase 0x%02X", j->arg & 0xFF);
		break;
	case UB_LDR_SPI_PAGE:
		snprintf(buf, len, "%s program at 0x%06X",
			 j->arg == 1 ? "byte" : "page", at);
		break;
	case UB_LDR_SPI_AAI:
		snprintf(buf, len, "AAI word program at 0x%06X", at);
		break;
	default:
		snprintf(buf, len, "SPI operation %u at 0x%06X", j->op, at);
		break;
	}
}

static void duration(uint32_t us, char *buf, size_t len)
{
	if (us >= 10000)
		snprintf(buf, len, "%u ms", us / 1000);
	else
		snprintf(buf, len, "%u us", us);
}

/* The loader stopped with status: say why. */
static int failed(const struct ub_ldr_spi *p, const struct ub_ldr_spi_job *j,
		  uint32_t status)
{
	char op[64], t[32];

	switch (status) {
	case UB_LDR_SPI_BUSY:
		what(j, p->err_addr, op, sizeof(op));
		duration(p->timeout_us, t, sizeof(t));
		return ub_fail(UB_ETIMEOUT,
			       "%s: the SPI flash was still busy after %s "
			       "(status 0x%02X): a chip slower than its table "
			       "says, or a failing one; power it off and on",
			       op, t, p->err_sr & 0xFF);
	case UB_LDR_CLOCK:
		return ub_fail(UB_EPROTO,
			       "the STM32's clock did not start for the SPI "
			       "loader (HSI or PLL never ready): reset the "
			       "target and try again");
	case UB_LDR_BADPARAM:
		return ub_fail(UB_EPROTO,
			       "the SPI loader refused its parameters (job %u, "
			       "op %u): a bug, please report it",
			       p->jobs + 1, j->op);
	default:
		return ub_fail(UB_EPROTO,
			       "the SPI loader stopped with status %u", status);
	}
}

/* Read back the loader's results once it stopped with status. */
static int result(struct ub_ldr_swd *l, struct ub_ldr_spi *p,
		  const struct ub_ldr_spi_job *j, uint32_t status)
{
	int err;

	if (status == UB_LDR_OK)
		return 0;
	err = ub_ldr_swd_mem(l, l->params, p, offsetof(struct ub_ldr_spi, job),
			     false);
	return err ? err : failed(p, j, status);
}

/* Write n bytes to RAM at addr, padded to words. */
static int put(struct ub_ldr_swd *l, uint32_t addr, const void *src, size_t n,
	       uint8_t *pad)
{
	size_t words = (n + 3) & ~(size_t)3;

	memcpy(pad, src, n);
	memset(pad + n, 0xFF, words - n);
	return ub_ldr_swd_mem(l, addr, pad, words, true);
}

int ub_ldr_swd_spi_call(struct ub_ldr_swd *l, const struct ub_ldr_spi_call *c)
{
	uint8_t pad[BUF_MAX];
	struct ub_ldr_spi p;
	uint32_t status = 0, room = ub_ldr_swd_spi_room(l);
	int err;

	if (c->nin > room || c->nout > room)
		return ub_fail(UB_EINVAL,
			       "an SPI transfer of %zu bytes is more than the "
			       "loader's buffer (%u)",
			       c->nin > c->nout ? c->nin : c->nout, room);
	params(&p, l, c->cfg, c->timeout_us);
	p.job[1] = c->job;
	p.job[1].data = buf_at(l, 1);
	p.job[1].seq = 1;
	p.job[0].seq = UB_LDR_END | 2;
	err = c->nin ? put(l, p.job[1].data, c->in, c->nin, pad) : 0;
	if (!err)
		err = ub_ldr_swd_start(l, UB_LDR_SPI, &p, sizeof(p));
	if (!err)
		err = ub_ldr_swd_wait_beat(l, UB_LDR_SPI,
					   l->timeout_ms + c->wait_ms,
					   beat_at(l), &status);
	if (!err)
		err = result(l, &p, &c->job, status);
	if (!err && c->nout)
		err = ub_ldr_swd_mem(l, p.job[1].data, c->out, c->nout, false);
	return err;
}

/* --- streams --- */

/* Set the seq word of job's buffer and read it back: the one write the
 * loader waits for must not be lost. */
static int set_seq(struct stream *s, uint32_t job, uint32_t seq)
{
	uint32_t at = job_at(s->l, job) + offsetof(struct ub_ldr_spi_job, seq);
	uint32_t back = 0;
	int err = 0;

	for (int i = 0; i < SET_TRIES; i++) {
		err = ub_ldr_swd_mem(s->l, at, &seq, 4, true);
		if (!err)
			err = ub_ldr_swd_mem(s->l, at, &back, 4, false);
		if (!err && back == seq)
			return 0;
	}
	return err ? err
		   : ub_fail(UB_EPROTO,
			     "the SPI loader's parameters do not keep what is "
			     "written to them (0x%08X, then 0x%08X)",
			     seq, back);
}

static int stream_start(struct stream *s, struct ub_ldr_swd *l,
			const struct ub_ldr_spi_cfg *cfg, uint32_t timeout_us)
{
	s->l = l;
	s->sent = 0;
	s->buf_len = ub_ldr_swd_spi_room(l);
	s->unit_ms = timeout_us / 1000 + 1;
	params(&s->p, l, cfg, timeout_us);
	if (s->buf_len < 64)
		return ub_fail(UB_EUNSUPPORTED,
			       "too little RAM for the SPI loader's buffers");
	return ub_ldr_swd_start(l, UB_LDR_SPI, &s->p, sizeof(s->p));
}

/*
 * Wait until the loader has done job n, or stopped: *stopped when its
 * status says so, the core halted, or it shows no progress (jobs, beat)
 * for too long (ms more than l->timeout_ms; ub_ldr_swd_wait_beat then
 * times it out).
 */
static int stream_wait(struct stream *s, uint32_t n, unsigned ms, bool *stopped)
{
	struct ub_ldr_swd *l = s->l;
	double deadline = now_ms() + l->timeout_ms + ms;
	uint32_t v[3], last[2] = {0, 0}; /* jobs, status, beat */
	int err;

	*stopped = false;
	for (unsigned k = 1;; k++) {
		err = ub_ldr_swd_mem(
			l, l->params + offsetof(struct ub_ldr_spi, jobs), v,
			sizeof(v), false);
		if (err || v[1] || v[0] >= n) {
			*stopped = !err && v[1];
			return err;
		}
		if (v[0] != last[0] || v[2] != last[1]) {
			last[0] = v[0];
			last[1] = v[2];
			deadline = now_ms() + l->timeout_ms + ms;
		}
		if (k % 32 == 0) {
			err = ub_ldr_swd_stopped(l, stopped);
			if (err || *stopped)
				return err;
		}
		if (now_ms() > deadline) {
			*stopped = true;
			return 0;
		}
	}
}

/* Hand the next job over (data: len bytes to write first, or NULL). */
static int stream_send(struct stream *s, struct ub_ldr_spi_job *j,
		       const uint8_t *data)
{
	uint32_t n = ++s->sent;
	int err = 0;

	j->data = buf_at(s->l, n);
	j->seq = n;
	s->job[n & 1] = *j;
	if (data)
		err = put(s->l, j->data, data, j->len, s->pad);
	if (!err)
		err = ub_ldr_swd_mem(s->l, job_at(s->l, n), j,
				     offsetof(struct ub_ldr_spi_job, seq),
				     true);
	return err ? err : set_seq(s, n, n);
}

/* End the run (after the jobs sent) and take its status. */
static int stream_end(struct stream *s, int err, bool stopped, unsigned ms)
{
	uint32_t status = 0;

	if (err) { /* the wire failed: stop the loader where it is */
		ub_ldr_swd_stop(s->l);
		return err;
	}
	if (!stopped)
		err = set_seq(s, s->sent + 1, UB_LDR_END | (s->sent + 1));
	if (!err)
		err = ub_ldr_swd_wait_beat(s->l, UB_LDR_SPI,
					   s->l->timeout_ms + ms, beat_at(s->l),
					   &status);
	if (err)
		return err;
	if (status == UB_LDR_OK)
		return 0;
	err = ub_ldr_swd_mem(s->l, s->l->params, &s->p,
			     offsetof(struct ub_ldr_spi, job), false);
	return err ? err : failed(&s->p, &s->job[(s->p.jobs + 1) & 1], status);
}

/* How long reading n bytes may take on the chip's side. */
static unsigned read_ms(const struct ub_ldr_spi_cfg *cfg, uint64_t n)
{
	uint32_t hz = cfg->sck_hz ? cfg->sck_hz : 100000;

	return (unsigned)(n * 8 * 4 * 1000 / hz) + 1; /* 4: CPU and slack */
}

int ub_ldr_swd_spi_read(struct ub_ldr_swd *l, const struct ub_ldr_spi_cfg *cfg,
			uint32_t addr, void *buf, size_t len)
{
	struct stream s;
	uint8_t *out = buf;
	uint32_t got = 0, max = FIRST_JOB, lens[2] = {0, 0};
	size_t pos = 0, at = 0;
	bool stopped = false;
	int err = stream_start(&s, l, cfg, 0);

	if (err)
		return err;
	while (!err && !stopped && (pos < len || got < s.sent)) {
		/* two jobs in flight: the chip reads one, the wire the other */
		while (!err && pos < len && s.sent - got < 2) {
			uint32_t n =
				len - pos < max ? (uint32_t)(len - pos) : max;
			struct ub_ldr_spi_job j = {.op = UB_LDR_SPI_READ,
						   .addr = addr + (uint32_t)pos,
						   .len = n};

			err = stream_send(&s, &j, NULL);
			lens[s.sent & 1] = n;
			pos += n;
			max = 2 * max < s.buf_len ? 2 * max : s.buf_len;
		}
		if (!err)
			err = stream_wait(&s, got + 1,
					  read_ms(cfg, lens[(got + 1) & 1]),
					  &stopped);
		if (err || stopped)
			break;
		got++;
		err = ub_ldr_swd_mem(l, buf_at(l, got), out + at, lens[got & 1],
				     false);
		at += lens[got & 1];
	}
	return stream_end(&s, err, stopped, 0);
}

/* --- programming --- */

static bool blank(const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (p[i] != 0xFF)
			return false;
	return true;
}

/*
 * The next job from *pos: from the first unit that is not blank to the
 * last one before a gap of blank units worth a new job, at most max bytes
 * (whole units, and a page job never crosses more pages than it fits).
 * Units are aligned to the chip's addresses (addr + offset). False when
 * nothing is left.
 */
static bool next_job(const uint8_t *buf, size_t len, uint32_t addr,
		     uint32_t unit, uint32_t gap, size_t *pos, uint32_t max,
		     size_t *off, uint32_t *n)
{
	size_t i = *pos, end, last;

	for (;;) { /* the first unit with data: from i to its end */
		size_t e = i + unit - (addr + i) % unit;

		if (i >= len) {
			*pos = len;
			return false;
		}
		if (e > len)
			e = len;
		if (!blank(buf + i, (uint32_t)(e - i)))
			break;
		i = e;
	}
	last = i;
	for (end = i; end < len;) {
		size_t e = end + unit - (addr + end) % unit;

		if (e > len)
			e = len;
		if (e - i > max)
			break;
		if (!blank(buf + end, (uint32_t)(e - end)))
			last = e;
		else if (e - last >= gap)
			break;
		end = e;
	}
	if (last == i) { /* a unit longer than max: the unit alone */
		last = i + unit - (addr + i) % unit;
		last = last < len ? last : len;
	}
	*off = i;
	*n = (uint32_t)(last - i);
	*pos = last;
	return true;
}

int ub_ldr_swd_spi_program(struct ub_ldr_swd *l,
			   const struct ub_ldr_spi_cfg *cfg, uint32_t op,
			   uint32_t arg, uint32_t timeout_us, uint32_t addr,
			   const uint8_t *buf, size_t len)
{
	struct stream s;
	bool aai = op == UB_LDR_SPI_AAI, stopped = false;
	uint32_t unit = aai ? 2 : arg, max, n;
	/* blank bytes worth a new job (an AAI word costs the chip 10 us) */
	uint32_t gap = aai ? 32 : unit >= 16 ? unit : 16;
	size_t pos = 0, off;
	int err;

	if (!unit || (aai && ((addr | len) & 1)) ||
	    (!aai && op != UB_LDR_SPI_PAGE))
		return ub_fail(UB_EINVAL, "bad SPI program request");
	if (unit > ub_ldr_swd_spi_room(l))
		return ub_fail(UB_EUNSUPPORTED,
			       "a %u-byte page is more than the SPI loader's "
			       "buffer",
			       unit);
	max = unit > FIRST_JOB ? unit : FIRST_JOB;
	err = stream_start(&s, l, cfg, timeout_us);
	if (err)
		return err;
	while (!err &&
	       next_job(buf, len, addr, unit, gap, &pos, max, &off, &n)) {
		struct ub_ldr_spi_job j = {.op = op,
					   .addr = addr + (uint32_t)off,
					   .len = n,
					   .arg = arg};
		unsigned ms = (unsigned)((uint64_t)(n / unit + 1) * s.unit_ms);

		/* its buffer held job sent - 1: done? */
		if (s.sent >= 2)
			err = stream_wait(&s, s.sent - 1, ms, &stopped);
		if (err || stopped)
			break;
		err = stream_send(&s, &j, buf + off);
		max = 2 * max < s.buf_len ? 2 * max : s.buf_len;
	}
	if (!err && !stopped && s.sent >= 1)
		err = stream_wait(&s, s.sent,
				  (unsigned)((uint64_t)(s.buf_len / unit + 1) *
					     s.unit_ms),
				  &stopped);
	return stream_end(&s, err, stopped, s.unit_ms);
}
