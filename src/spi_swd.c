// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The companion SPI flash through the MCU's SPI peripheral: the SPI loader
 * (src/loader/spi_f1.c) run over SWD by src/ldr_swd_spi.c. Every operation
 * is one run of the loader (or one stream of jobs), which sets the SPI up
 * again first: a target reset in between costs nothing but the reload.
 * The bus keeps a pointer to the target's loader state: close it before
 * the target.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ub/err.h"
#include "ub/loader.h"
#include "ub/spi.h"

#define PROG_TIMEOUT_US 100000u /* a page or word when the table says 0 */

struct swd_bus {
	struct ub_spi_bus bus;
	struct ub_ldr_swd *l;
	struct ub_ldr_spi_cfg cfg;
};

static struct swd_bus *sb(struct ub_spi_bus *b)
{
	return (struct swd_bus *)b;
}

/* How long moving n bytes over the SPI may take, with slack. */
static unsigned bytes_ms(const struct swd_bus *s, uint64_t n)
{
	uint32_t hz = s->cfg.sck_hz ? s->cfg.sck_hz : 100000;

	return (unsigned)(n * 8 * 4 * 1000 / hz) + 1;
}

static int usable(struct swd_bus *s)
{
	if (!s->l->broken)
		return 0;
	return ub_fail(UB_EUNSUPPORTED,
		       "the SPI flash is reached through a loader in the "
		       "STM32's RAM, and the loaders are off (a loader failed "
		       "earlier, or the RAM is too small): run the command "
		       "again");
}

static int call(struct swd_bus *s, struct ub_ldr_spi_call *c)
{
	int err = usable(s);

	c->cfg = &s->cfg;
	return err ? err : ub_ldr_swd_spi_call(s->l, c);
}

static int sx_xfer(struct ub_spi_bus *b, const uint8_t *tx, size_t ntx,
		   uint8_t *rx, size_t nrx)
{
	struct swd_bus *s = sb(b);
	struct ub_ldr_spi_call c = {
		.job = {.op = UB_LDR_SPI_XFER,
			.len = (uint32_t)ntx,
			.arg = (uint32_t)nrx},
		.wait_ms = bytes_ms(s, ntx + nrx),
		.in = tx,
		.nin = ntx,
		.out = rx,
		.nout = nrx,
	};

	return call(s, &c);
}

static int sx_read(struct ub_spi_bus *b, uint32_t addr, void *buf, size_t len)
{
	struct swd_bus *s = sb(b);
	int err = usable(s);

	if (err || !len)
		return err;
	return ub_ldr_swd_spi_read(s->l, &s->cfg, addr, buf, len);
}

/* AAI takes whole words: pad an odd start or end with 0xFF (programming
 * 0xFF leaves a byte as it is). */
static int program_aai(struct swd_bus *s, uint32_t ebsy, uint32_t tmo,
		       uint32_t addr, const uint8_t *buf, size_t len)
{
	uint32_t head = addr & 1, n = (uint32_t)(len + head + 1) & ~1u;
	uint8_t *w;
	int err;

	if (!((addr | len) & 1))
		return ub_ldr_swd_spi_program(s->l, &s->cfg, UB_LDR_SPI_AAI,
					      ebsy, tmo, addr, buf, len);
	w = malloc(n);
	if (!w)
		return ub_fail(UB_ENOMEM, "out of memory");
	memset(w, 0xFF, n);
	memcpy(w + head, buf, len);
	err = ub_ldr_swd_spi_program(s->l, &s->cfg, UB_LDR_SPI_AAI, ebsy, tmo,
				     addr - head, w, n);
	free(w);
	return err;
}

static int sx_program(struct ub_spi_bus *b, const struct ub_spi_prog *p,
		      uint32_t addr, const void *buf, size_t len)
{
	struct swd_bus *s = sb(b);
	uint32_t tmo = p->timeout_us ? p->timeout_us : PROG_TIMEOUT_US;
	int err = usable(s);

	if (err || !len)
		return err;
	switch (p->method) {
	case UB_SPI_PROG_AAI_WORD:
		return program_aai(s, p->ebsy ? UB_LDR_SPI_EBSY : 0, tmo, addr,
				   buf, len);
	case UB_SPI_PROG_BYTE:
		return ub_ldr_swd_spi_program(s->l, &s->cfg, UB_LDR_SPI_PAGE, 1,
					      tmo, addr, buf, len);
	case UB_SPI_PROG_PAGE:
	default:
		return ub_ldr_swd_spi_program(s->l, &s->cfg, UB_LDR_SPI_PAGE,
					      p->page_size ? p->page_size : 256,
					      tmo, addr, buf, len);
	}
}

static int sx_erase(struct ub_spi_bus *b, uint8_t op, bool has_addr,
		    uint32_t addr, unsigned timeout_ms)
{
	struct swd_bus *s = sb(b);
	unsigned ms = timeout_ms < 4000000 ? timeout_ms : 4000000;
	struct ub_ldr_spi_call c = {
		.job = {.op = UB_LDR_SPI_ERASE,
			.addr = addr,
			.arg = op | (has_addr ? UB_LDR_SPI_ADDR : 0)},
		.timeout_us = ms * 1000,
		.wait_ms = ms,
	};

	return call(s, &c);
}

static int sx_crc32(struct ub_spi_bus *b, uint32_t addr, uint32_t len,
		    uint32_t block, uint32_t span, uint32_t *crc)
{
	struct swd_bus *s = sb(b);
	uint32_t max = ub_ldr_swd_spi_room(s->l) / 4;
	int err = 0;

	if (!len) {
		if (!block)
			crc[0] = 0;
		return usable(s);
	}
	if (!block || block >= len) { /* one CRC */
		max = 1;
		block = 0;
	}
	if (span >= (block ? block : len))
		span = 0;
	while (!err && len) {
		uint32_t nb = block ? len / block + (len % block != 0) : 1;
		uint64_t range;
		struct ub_ldr_spi_call c = {.job = {.op = UB_LDR_SPI_CRC,
						    .addr = addr,
						    .arg = block,
						    .span = span}};

		if (nb > max)
			nb = max;
		range = block ? (uint64_t)nb * block : len;
		c.job.len = range < len ? (uint32_t)range : len;
		/* what the chip sends: each span with its READ command */
		c.wait_ms = bytes_ms(s, span ? (uint64_t)nb * (span + 4)
					     : c.job.len);
		c.out = crc;
		c.nout = 4 * nb;
		err = call(s, &c);
		addr += c.job.len;
		len -= c.job.len;
		crc += nb;
	}
	return err;
}

/* CS# high, the SPI off, the clock back to HSI; the pins stay as set
 * (CS# driven high) until the target is reset. */
static void sx_close(struct ub_spi_bus *b)
{
	struct swd_bus *s = sb(b);
	struct ub_ldr_spi_call c = {.job = {.op = UB_LDR_SPI_CLOSE}};

	if (!s->l->broken && call(s, &c))
		ub_clear_error(); /* nothing left to do about it */
	free(s);
}

static const struct ub_spi_bus_ops swd_ops = {
	.xfer = sx_xfer,
	.read = sx_read,
	.program = sx_program,
	.erase = sx_erase,
	.crc32 = sx_crc32,
	.close = sx_close,
};

struct ub_spi_bus *ub_spi_swd_open(struct ub_ldr_swd *l,
				   const struct ub_ldr_spi_cfg *cfg, int *err)
{
	struct swd_bus *s = calloc(1, sizeof(*s));
	struct ub_ldr_spi_call c = {.job = {.op = UB_LDR_SPI_SETUP}};

	if (!s) {
		*err = ub_fail(UB_ENOMEM, "out of memory");
		return NULL;
	}
	s->bus.ops = &swd_ops;
	s->bus.priv = s;
	s->bus.hz = cfg->sck_hz;
	snprintf(s->bus.name, sizeof(s->bus.name),
		 "SPI%u of the STM32 (loader over SWD)", cfg->spi_n);
	s->l = l;
	s->cfg = *cfg;
	*err = call(s, &c);
	if (*err) {
		free(s);
		return NULL;
	}
	return &s->bus;
}
