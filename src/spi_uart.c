// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The companion SPI flash through the MCU's SPI peripheral, with the UART
 * monitor (ub/ldr_uart.h) doing the work on the target: its SPI requests
 * run spi_core.h there. Programming streams as the flash's does: each
 * buffer is a job the monitor takes while the next frame arrives, its busy
 * polls serving the wire. The bus keeps a pointer to the target's monitor:
 * close it before the target.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ub/err.h"
#include "ub/ldr_uart.h"
#include "ub/spi.h"

#define PROG_TIMEOUT_US 100000u /* a page or word when the table says 0 */
#define FIRST_JOB	256u	/* bytes of the first job: the chip starts */
#define GAP		64u	/* this many bytes of 0xFF end a job */
#define POLL_US		1000u	/* between STATUS while an erase runs */
#define CRC_READ	131072u /* bytes of the chip read for one CRC request */

struct uart_bus {
	struct ub_spi_bus bus;
	struct ub_ldru *m;
	uint32_t timeout_us;
	/* programming left running: the next program goes on streaming,
	 * anything else waits for it first (settle) */
	bool pending;
	unsigned pending_ms; /* how long what is queued may take */
	size_t max;	     /* the next job's size at most */
};

static struct uart_bus *ub(struct ub_spi_bus *b)
{
	return (struct uart_bus *)b;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* How long moving n bytes over the SPI may take, with slack, in ms. */
static unsigned bytes_ms(const struct uart_bus *s, uint64_t n)
{
	uint32_t hz = s->bus.hz ? s->bus.hz : 100000;

	return (unsigned)(n * 8 * 4 * 1000 / hz) + 1;
}

/* Wait until the programming left running is done; its errors now. */
static int settle(struct uart_bus *s)
{
	struct ub_ldru_state st;

	if (!s->pending)
		return 0;
	s->pending = false;
	s->max = FIRST_JOB;
	return ub_ldru_wait(s->m, POLL_US, 1000 + s->pending_ms, &st);
}

static int usable(struct uart_bus *s)
{
	if (s->m->up && s->m->spi_ready)
		return settle(s);
	return ub_fail(UB_EUNSUPPORTED,
		       "the SPI flash is reached through the UART loader, and "
		       "it is not running any more (the chip was reset): run "
		       "the command again");
}

static int su_xfer(struct ub_spi_bus *b, const uint8_t *tx, size_t ntx,
		   uint8_t *rx, size_t nrx)
{
	struct uart_bus *s = ub(b);
	uint8_t arg[4];
	size_t got = 0;
	int err = usable(s);

	if (err)
		return err;
	if (ntx + 4 > s->m->buf_size || nrx + 4 > s->m->buf_size)
		return ub_fail(UB_EINVAL,
			       "one SPI transaction of %zu bytes: more than "
			       "the UART loader's %u",
			       ntx + nrx, s->m->buf_size - 4);
	put32(arg, (uint32_t)nrx);
	err = ub_ldru_call(s->m, UB_LDRU_SPI_XFER, arg, 4, tx, ntx, rx, nrx,
			   &got, bytes_ms(s, ntx + nrx), NULL);
	if (!err && got != nrx)
		err = ub_fail(UB_EPROTO,
			      "the UART loader gave %zu of %zu "
			      "bytes of an SPI transaction",
			      got, nrx);
	return err;
}

static int su_read(struct ub_spi_bus *b, uint32_t addr, void *buf, size_t len)
{
	struct uart_bus *s = ub(b);
	uint8_t *p = buf, arg[8];
	uint32_t n;
	int err = usable(s);

	for (size_t off = 0; !err && off < len; off += n) {
		n = (uint32_t)(len - off < ub_ldru_frame(s->m)
				       ? len - off
				       : ub_ldru_frame(s->m));

		put32(arg, addr + (uint32_t)off);
		put32(arg + 4, n);
		err = ub_ldru_call(s->m, UB_LDRU_SPI_READ, arg, 8, NULL, 0,
				   p + off, n, NULL, bytes_ms(s, n), NULL);
	}
	return err;
}

/* A job, or what failed before it. */
static int job(struct uart_bus *s, uint8_t cmd, const uint8_t *head,
	       size_t nhead, const void *data, size_t ndata, unsigned work_ms)
{
	struct ub_ldru_state st;
	uint8_t status = 0;
	int err = ub_ldru_call(s->m, cmd, head, nhead, data, ndata, NULL, 0,
			       NULL, work_ms, &status);

	if (!err && status == UB_LDRU_EJOB) {
		err = ub_ldru_wait(s->m, POLL_US, 1000, &st);
		if (!err)
			err = ub_fail(UB_EPROTO, "the UART loader refused an "
						 "SPI job for no reason it "
						 "says");
	}
	return err;
}

/* The next job from *pos: from the first byte that is not 0xFF to the
 * last before GAP of them, at most max bytes, whole units of unit. */
static bool next_job(const uint8_t *buf, size_t len, size_t *pos, size_t max,
		     size_t unit, size_t *off, size_t *n)
{
	size_t i = *pos, end, last;

	while (i < len && buf[i] == 0xFF)
		i++;
	i -= i % unit;
	if (i >= len) {
		*pos = len;
		return false;
	}
	last = i + 1;
	for (end = i; end < len && end - i < max; end++) {
		if (buf[end] != 0xFF)
			last = end + 1;
		else if (end + 1 - last >= GAP)
			break;
	}
	last += (unit - last % unit) % unit;
	if (last > len)
		last = len;
	*off = i;
	*n = last - i;
	*pos = last;
	return true;
}

/*
 * Jobs of up to a buffer, cut where the data is 0xFF for a while; page 0
 * is AAI (whole words: addr and len even), 1 bytes, else a page size (jobs
 * of whole pages but at the ends, the monitor cutting at page ends). The
 * last jobs are left running: the next program streams on behind them,
 * anything else waits (settle).
 */
static int stream(struct uart_bus *s, uint32_t page, uint32_t ebsy,
		  uint32_t tmo, uint32_t addr, const uint8_t *buf, size_t len)
{
	size_t pos = 0, off, n, unit = page ? 1 : 2, full;
	size_t max = s->max ? s->max : FIRST_JOB;
	uint8_t arg[8];
	int err = 0;

	put32(arg + 4, page | ebsy);
	if (max > ub_ldru_frame(s->m) - 8)
		max = ub_ldru_frame(s->m) - 8;
	while (!err && next_job(buf, len, &pos, max, unit, &off, &n)) {
		put32(arg, addr + (uint32_t)off);
		/* its answer may wait for the two jobs before it */
		err = job(s, UB_LDRU_SPI_PROG, arg, 8, buf + off, n,
			  (unsigned)(2 * (n / (page > 1 ? page : 2) + 1) *
				     (tmo / 1000 + 1)));
		/* grow to what the link takes (less after frames lost) */
		full = ub_ldru_frame(s->m) - 8;
		max = max * 2 < full ? max * 2 : full;
		s->pending = true;
		/* two jobs queued at most, a buffer each */
		s->pending_ms =
			(unsigned)(2 * (full / (page > 1 ? page : 2) + 1) *
				   (tmo / 1000 + 1));
	}
	s->max = max;
	if (err) /* what failed before it is told: the rest is dropped */
		s->pending = false;
	return err;
}

static int su_program(struct ub_spi_bus *b, const struct ub_spi_prog *p,
		      uint32_t addr, const void *buf, size_t len)
{
	struct uart_bus *s = ub(b);
	uint32_t tmo = p->timeout_us ? p->timeout_us : PROG_TIMEOUT_US;
	uint32_t head = addr & 1, n, ebsy = p->ebsy ? UB_LDR_SPI_EBSY : 0;
	uint8_t *w;
	int err = s->m->up && s->m->spi_ready ? 0 : usable(s);

	if (err || !len)
		return err;
	if (p->method == UB_SPI_PROG_BYTE)
		return stream(s, 1, 0, tmo, addr, buf, len);
	if (p->method != UB_SPI_PROG_AAI_WORD)
		return stream(s, p->page_size ? p->page_size : 256, 0, tmo,
			      addr, buf, len);
	if (!((addr | len) & 1))
		return stream(s, 0, ebsy, tmo, addr, buf, len);
	/* AAI takes whole words: 0xFF pads an odd end (it changes nothing) */
	n = (uint32_t)(len + head + 1) & ~1u;
	w = malloc(n);
	if (!w)
		return ub_fail(UB_ENOMEM, "out of memory");
	memset(w, 0xFF, n);
	memcpy(w + head, buf, len);
	err = stream(s, 0, ebsy, tmo, addr - head, w, n);
	free(w);
	return err;
}

static int su_erase(struct ub_spi_bus *b, uint8_t op, bool has_addr,
		    uint32_t addr, unsigned timeout_ms)
{
	struct uart_bus *s = ub(b);
	unsigned ms = timeout_ms < 4000000 ? timeout_ms : 4000000;
	struct ub_ldru_state st;
	uint8_t arg[12];
	int err = usable(s);

	if (err)
		return err;
	put32(arg, op | (has_addr ? UB_LDR_SPI_ADDR : 0));
	put32(arg + 4, addr);
	put32(arg + 8, ms * 1000);
	err = job(s, UB_LDRU_SPI_ERASE, arg, 12, NULL, 0, 1);
	if (!err)
		err = ub_ldru_wait(s->m, POLL_US, ms + 1000, &st);
	return err;
}

static int su_crc32(struct ub_spi_bus *b, uint32_t addr, uint32_t len,
		    uint32_t block, uint32_t span, uint32_t *crc)
{
	struct uart_bus *s = ub(b);
	uint32_t per, nb;
	uint8_t arg[16];
	int err = usable(s);

	if (err || !len) {
		if (!err && !block)
			crc[0] = 0;
		return err;
	}
	if (!block || block >= len)
		block = 0;
	if (span >= (block ? block : len))
		span = 0; /* the whole block: the 12-byte request */
	per = block ? s->m->buf_size / 4 * block : len;
	/* a request reads about CRC_READ of the chip at most, so that its
	 * answer comes in a fraction of a second: no long silence on the
	 * link */
	if (block) {
		uint32_t most = CRC_READ / (span ? span + 4 : block);

		if (most && per > most * block)
			per = most * block;
		else if (!most)
			per = block;
	}
	for (uint32_t off = 0; !err && off < len; off += per) {
		uint32_t n = len - off < per ? len - off : per;

		nb = block ? (n + block - 1) / block : 1;
		put32(arg, addr + off);
		put32(arg + 4, n);
		put32(arg + 8, block);
		put32(arg + 12, span);
		err = ub_ldru_call(
			s->m, UB_LDRU_SPI_CRC, arg, span ? 16 : 12, NULL, 0,
			crc, nb * 4, NULL,
			bytes_ms(s, span ? (uint64_t)nb * (span + 4) : n),
			NULL);
		crc += nb;
	}
	return err;
}

/* CS# high, the SPI off; the monitor runs on. */
static void su_close(struct ub_spi_bus *b)
{
	struct uart_bus *s = ub(b);

	if (s->m->up && s->m->spi_ready &&
	    (settle(s) || ub_ldru_call(s->m, UB_LDRU_SPI_CLOSE, NULL, 0, NULL,
				       0, NULL, 0, NULL, 1, NULL)))
		ub_clear_error(); /* nothing left to do about it */
	s->m->spi_ready = false;
	free(s);
}

static const struct ub_spi_bus_ops uart_ops = {
	.xfer = su_xfer,
	.read = su_read,
	.program = su_program,
	.erase = su_erase,
	.crc32 = su_crc32,
	.close = su_close,
};

struct ub_spi_bus *ub_spi_uart_open(struct ub_ldru *m,
				    const struct ub_ldr_spi_cfg *cfg, int *err)
{
	struct uart_bus *s = calloc(1, sizeof(*s));
	struct ub_ldr_spi_cfg c = *cfg;
	uint8_t arg[4], st[4] = {0};
	size_t got = 0;

	if (!s) {
		*err = ub_fail(UB_ENOMEM, "out of memory");
		return NULL;
	}
	s->bus.ops = &uart_ops;
	s->bus.priv = s;
	s->bus.hz = cfg->sck_hz;
	snprintf(s->bus.name, sizeof(s->bus.name),
		 "SPI%u of the STM32 (loader over UART)", cfg->spi_n);
	s->m = m;
	s->timeout_us = PROG_TIMEOUT_US;
	c.cfgr = 0; /* the monitor's clock stays: the same 64 MHz */
	put32(arg, s->timeout_us);
	*err = ub_ldru_call(m, UB_LDRU_SPI_SETUP, arg, 4, &c, sizeof(c), st,
			    sizeof(st), &got, 5, NULL);
	if (*err) {
		if (got == 4)
			*err = ub_fail(UB_EIO,
				       "the UART loader could not set SPI%u up "
				       "(loader status %u): check the board "
				       "profile's [spi] section",
				       cfg->spi_n, st[0]);
		free(s);
		return NULL;
	}
	m->spi_ready = true;
	return &s->bus;
}
