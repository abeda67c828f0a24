// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A fake SPI NOR chip behind a fake SPI bus (spinor_fake.h), for the NOR
 * driver's tests. Its rules follow the chips' data sheets closely enough
 * that a driver which forgets WREN, does not split a page program at the
 * page end, sends the wrong unlock or erase command, or does not wait for
 * the chip, gets the wrong content back.
 */
#include <stdlib.h>
#include <string.h>

#include "spinor_fake.h"
#include "ub/crc32.h"

#define K(n) ((n)*1024u)

struct snf_chip *snf_current;

static bool busy(const struct snf_chip *c)
{
	return c->now_ns < c->busy_until;
}

static void start(struct snf_chip *c, uint32_t us, bool programming)
{
	c->busy_until = c->stuck ? UINT64_MAX : c->now_ns + us * 1000ull;
	c->programming = programming;
}

static bool is_protected(const struct snf_chip *c)
{
	if (c->sst26) {
		for (size_t i = 0; i < sizeof(c->bpr); i++)
			if (c->bpr[i])
				return true;
		return false;
	}
	return (c->sr & c->bp_mask) || (c->cmp && (c->sr2 & c->cmp));
}

static uint32_t addr3(const uint8_t *tx)
{
	return (uint32_t)tx[1] << 16 | (uint32_t)tx[2] << 8 | tx[3];
}

void snf_sleep(uint64_t ns)
{
	struct snf_chip *c = snf_current;

	if (!c)
		return;
	if (busy(c) && c->programming) {
		c->sleeps_while_programming++;
		if (ns > c->max_prog_sleep_ns)
			c->max_prog_sleep_ns = ns;
	}
	c->now_ns += ns;
	c->slept_ns += ns;
}

/* SST26 0xD8: four 8 KB and one 32 KB block at each end, 64 KB between. */
static uint32_t sst26_block(const struct snf_chip *c, uint32_t a)
{
	if (a < K(32) || a >= c->size - K(32))
		return K(8);
	if (a < K(64) || a >= c->size - K(64))
		return K(32);
	return K(64);
}

static void erase_at(struct snf_chip *c, uint32_t a, uint32_t size, uint32_t us)
{
	c->wel = false;
	if (is_protected(c))
		return;
	a &= ~(size - 1);
	memset(c->mem + a, 0xFF, size);
	c->erases++;
	start(c, us, false);
}

static void prog_byte(struct snf_chip *c, uint32_t a, uint8_t d)
{
	c->mem[a % c->size] &= d;
}

static void cmd_erase(struct snf_chip *c, const uint8_t *tx, size_t ntx)
{
	uint8_t op = tx[0];

	if (!c->wel)
		return;
	if (ntx == 1 && (op == c->chip_op[0] || op == c->chip_op[1]) && op) {
		erase_at(c, 0, c->size, c->chip_busy_us);
		return;
	}
	for (int i = 0; ntx == 4 && c->erase[i].size; i++) {
		uint32_t size = c->erase[i].size;

		if (op != c->erase[i].op)
			continue;
		if (c->sst26 && op == 0xD8)
			size = sst26_block(c, addr3(tx));
		erase_at(c, addr3(tx), size, c->erase[i].busy_us);
		return;
	}
}

static void cmd_program(struct snf_chip *c, const uint8_t *tx, size_t ntx)
{
	uint32_t a = addr3(tx);

	if (!c->wel || ntx < 5)
		return;
	c->wel = false;
	if (is_protected(c))
		return;
	if (c->prog == SNF_PAGE) { /* wraps at the page end */
		uint32_t base = a - a % c->page;

		for (size_t i = 0; i < ntx - 4; i++)
			prog_byte(c, base + (a + (uint32_t)i) % c->page,
				  tx[4 + i]);
	} else {
		prog_byte(c, a, tx[4]); /* one byte, the rest ignored */
	}
	c->programs++;
	start(c, c->prog_busy_us, true);
}

static void cmd_aai(struct snf_chip *c, const uint8_t *tx, size_t ntx)
{
	if (c->prog != SNF_AAI)
		return;
	if (!c->aai && c->wel && ntx == 6) {
		c->aai = true;
		c->aai_addr = addr3(tx) & ~1u;
		tx += 3;
	} else if (!(c->aai && ntx == 3)) {
		return;
	}
	if (!is_protected(c)) {
		prog_byte(c, c->aai_addr, tx[1]);
		prog_byte(c, c->aai_addr + 1, tx[2]);
		c->programs++;
	}
	c->aai_addr += 2;
	start(c, c->prog_busy_us, true);
}

static void cmd_wrsr(struct snf_chip *c, const uint8_t *tx, size_t ntx,
		     bool armed)
{
	bool allowed = c->wel || armed;

	c->wel = false;
	if (!allowed || ntx < 2)
		return;
	if (c->srwd && (c->sr & c->srwd) && c->wp_low)
		return;
	c->sr = (uint8_t)((c->sr & ~c->sr_mask) | (tx[1] & c->sr_mask));
	if (c->has_sr2 && ntx >= 3)
		c->sr2 = (uint8_t)((c->sr2 & ~c->sr2_mask) |
				   (tx[2] & c->sr2_mask));
	start(c, 5000, false);
}

static void cmd_sst26(struct snf_chip *c, const uint8_t *tx, size_t ntx,
		      uint8_t *rx, size_t nrx)
{
	bool locked = (c->cr & 0x80) && c->wp_low;

	switch (tx[0]) {
	case 0x72:
		for (size_t i = 0; i < nrx && i < sizeof(c->bpr); i++)
			rx[i] = c->bpr[i];
		break;
	case 0x98:
		if (c->wel && !locked)
			memset(c->bpr, 0, sizeof(c->bpr));
		c->wel = false;
		break;
	case 0x42:
		if (c->wel && !locked && ntx == 1 + sizeof(c->bpr))
			memcpy(c->bpr, tx + 1, sizeof(c->bpr));
		c->wel = false;
		break;
	}
}

static void log_cmd(struct snf_chip *c, const uint8_t *tx, size_t ntx)
{
	struct snf_cmd *l;

	if (c->nlog >= SNF_LOG || tx[0] == 0x05)
		return;
	l = &c->log[c->nlog++];
	l->op = tx[0];
	l->addr = ntx >= 4 ? addr3(tx) : 0;
	l->len = ntx > 4 ? (uint32_t)(ntx - 4) : 0;
}

static int fake_xfer(struct ub_spi_bus *b, const uint8_t *tx, size_t ntx,
		     uint8_t *rx, size_t nrx)
{
	struct snf_chip *c = ((struct snf_bus *)b)->c;
	bool armed = c->ewsr_armed;
	uint8_t op;

	c->now_ns += (ntx + nrx) * 8 * 1000000000ull / c->hz;
	if (nrx)
		memset(rx, 0xFF, nrx);
	if (!ntx)
		return 0;
	op = tx[0];
	log_cmd(c, tx, ntx);
	c->ewsr_armed = false;
	if (op == 0x05) {
		c->rdsr++;
		for (size_t i = 0; i < nrx; i++)
			rx[i] = (uint8_t)((c->sr & ~0x43u) | (c->wel ? 2 : 0) |
					  (busy(c) ? 1 : 0) |
					  (c->aai ? 0x40 : 0));
		return 0;
	}
	if (op == 0x35 && nrx && (c->sst26 || c->has_sr2)) {
		rx[0] = c->sst26 ? c->cr : c->sr2;
		return 0;
	}
	if (busy(c) || (c->aai && op != 0xAD && op != 0x04))
		return 0; /* ignored */
	switch (op) {
	case 0x9F:
		for (size_t i = 0; i < nrx && i < 3; i++)
			rx[i] = c->id[i];
		break;
	case 0x06:
		c->wel = true;
		break;
	case 0x04:
		c->wel = false;
		c->aai = false;
		break;
	case 0x50:
		c->ewsr_armed = c->ewsr;
		break;
	case 0x01:
		cmd_wrsr(c, tx, ntx, armed);
		break;
	case 0x03:
		for (size_t i = 0; ntx >= 4 && i < nrx; i++)
			rx[i] = c->mem[(addr3(tx) + i) % c->size];
		break;
	case 0x5A:
		for (size_t i = 0; c->sfdp && ntx >= 5 && i < nrx; i++)
			if (addr3(tx) + i < c->sfdp_len)
				rx[i] = c->sfdp[addr3(tx) + i];
		break;
	case 0x02:
		cmd_program(c, tx, ntx);
		break;
	case 0xAD:
		cmd_aai(c, tx, ntx);
		break;
	case 0x72:
	case 0x98:
	case 0x42:
		if (c->sst26)
			cmd_sst26(c, tx, ntx, rx, nrx);
		break;
	default:
		cmd_erase(c, tx, ntx);
		break;
	}
	return 0;
}

/* The bulk operations a loader in the MCU would offer. */
static int fake_read(struct ub_spi_bus *b, uint32_t addr, void *buf, size_t len)
{
	struct snf_chip *c = ((struct snf_bus *)b)->c;

	c->n_read++;
	memcpy(buf, c->mem + addr, len);
	return 0;
}

static int fake_program(struct ub_spi_bus *b, const struct ub_spi_prog *p,
			uint32_t addr, const void *buf, size_t len)
{
	struct snf_chip *c = ((struct snf_bus *)b)->c;
	const uint8_t *d = buf;

	(void)p;
	c->n_program++;
	if (is_protected(c))
		return 0;
	for (size_t i = 0; i < len; i++)
		prog_byte(c, addr + (uint32_t)i, d[i]);
	return 0;
}

static int fake_erase(struct ub_spi_bus *b, uint8_t op, bool has_addr,
		      uint32_t addr, unsigned timeout_ms)
{
	struct snf_chip *c = ((struct snf_bus *)b)->c;
	uint8_t tx[4] = {op, (uint8_t)(addr >> 16), (uint8_t)(addr >> 8),
			 (uint8_t)addr};

	(void)timeout_ms;
	c->n_erase++;
	c->wel = true;
	log_cmd(c, tx, has_addr ? 4 : 1);
	cmd_erase(c, tx, has_addr ? 4 : 1);
	c->busy_until = 0;
	return 0;
}

static int fake_crc32(struct ub_spi_bus *b, uint32_t addr, uint32_t len,
		      uint32_t block, uint32_t span, uint32_t *crc)
{
	struct snf_chip *c = ((struct snf_bus *)b)->c;

	c->n_crc++;
	if (!block)
		block = len;
	if (!span || span > block)
		span = block;
	for (uint32_t o = 0, i = 0; o < len; o += block, i++) {
		uint32_t n = len - o < span ? len - o : span;

		crc[i] = ub_crc32(0, c->mem + addr + o, n);
		c->crc_bytes += n;
	}
	return 0;
}

void snf_init(struct snf_chip *c, struct snf_bus *b, uint8_t fill)
{
	c->mem = malloc(c->size);
	c->log = malloc(SNF_LOG * sizeof(*c->log));
	memset(c->mem, fill, c->size);
	if (!c->hz)
		c->hz = 1000000;
	memset(b, 0, sizeof(*b));
	b->c = c;
	b->ops.xfer = fake_xfer;
	b->ops.read = c->bulk_read ? fake_read : NULL;
	b->ops.program = c->bulk_program ? fake_program : NULL;
	b->ops.erase = c->bulk_erase ? fake_erase : NULL;
	b->ops.crc32 = c->bulk_crc ? fake_crc32 : NULL;
	b->bus.ops = &b->ops;
	b->bus.hz = c->hz;
	strcpy(b->bus.name, "the test's SPI bus");
	snf_current = c;
}

void snf_free(struct snf_chip *c)
{
	free(c->mem);
	free(c->log);
	c->mem = NULL;
	c->log = NULL;
	if (snf_current == c)
		snf_current = NULL;
}

unsigned snf_count(const struct snf_chip *c, uint8_t op, uint32_t addr)
{
	unsigned n = 0;

	for (size_t i = 0; i < c->nlog; i++)
		n += c->log[i].op == op &&
		     (addr == ~0u || c->log[i].addr == addr);
	return n;
}

void snf_clear_log(struct snf_chip *c)
{
	c->nlog = 0;
	c->rdsr = c->programs = c->erases = 0;
	c->n_read = c->n_program = c->n_erase = c->n_crc = 0;
	c->crc_bytes = 0;
	c->sleeps_while_programming = 0;
	c->max_prog_sleep_ns = 0;
	c->slept_ns = 0;
}

static void ident(struct snf_chip *c, uint32_t jedec, uint32_t size)
{
	memset(c, 0, sizeof(*c));
	c->id[0] = (uint8_t)(jedec >> 16);
	c->id[1] = (uint8_t)(jedec >> 8);
	c->id[2] = (uint8_t)jedec;
	c->size = size;
	c->prog = SNF_PAGE;
	c->page = 256;
	c->prog_busy_us = 700;
	c->chip_busy_us = 200000;
	c->srwd = 0x80;
}

/* SST25VF016B/032B (S71271): BP2-0 set at power-up, EWSR, AAI, 4/32/64 KB,
 * chip erase 0x60/0xC7; tBP 10 us, tSE 18 ms typ. */
void snf_sst25(struct snf_chip *c, uint32_t jedec, uint32_t size)
{
	ident(c, jedec, size);
	c->erase[0] = (struct snf_erase){K(4), 0x20, 18000};
	c->erase[1] = (struct snf_erase){K(32), 0x52, 18000};
	c->erase[2] = (struct snf_erase){K(64), 0xD8, 18000};
	c->chip_op[0] = 0x60;
	c->chip_op[1] = 0xC7;
	c->chip_busy_us = 35000;
	c->prog = SNF_AAI;
	c->prog_busy_us = 7;
	c->sr_mask = 0xBC;
	c->bp_mask = 0x3C;
	c->ewsr = true;
	c->sr = 0x1C;
}

/* SST26VF016B (DS20005262): every block write-locked at power-up. */
void snf_sst26(struct snf_chip *c, uint32_t jedec, uint32_t size)
{
	static const uint8_t bpr[6] = {0x55, 0x55, 0xFF, 0xFF, 0xFF, 0xFF};

	ident(c, jedec, size);
	c->erase[0] = (struct snf_erase){K(4), 0x20, 18000};
	c->erase[1] = (struct snf_erase){K(64), 0xD8, 18000};
	c->chip_op[0] = 0xC7;
	c->chip_busy_us = 35000;
	c->sst26 = true;
	c->srwd = 0;
	memcpy(c->bpr, bpr, sizeof(bpr));
}

/* M25P16 (64 KB sectors only), M25PE16 (256 B pages, 4 KB, 64 KB). */
void snf_m25p(struct snf_chip *c, uint32_t jedec, uint32_t size,
	      bool page_erase)
{
	ident(c, jedec, size);
	if (page_erase) {
		c->erase[0] = (struct snf_erase){256, 0xDB, 10000};
		c->erase[1] = (struct snf_erase){K(4), 0x20, 50000};
		c->erase[2] = (struct snf_erase){K(64), 0xD8, 600000};
	} else {
		c->erase[0] = (struct snf_erase){K(64), 0xD8, 600000};
	}
	c->chip_op[0] = 0xC7;
	c->sr_mask = 0x9C;
	c->bp_mask = 0x1C;
}

/* W25Q (bp 0x1C, SR2 with CMP) and GD25Q (bp 0x7C). */
void snf_w25q(struct snf_chip *c, uint32_t jedec, uint32_t size,
	      uint8_t bp_mask, bool sr2)
{
	ident(c, jedec, size);
	c->erase[0] = (struct snf_erase){K(4), 0x20, 45000};
	c->erase[1] = (struct snf_erase){K(32), 0x52, 120000};
	c->erase[2] = (struct snf_erase){K(64), 0xD8, 150000};
	c->chip_op[0] = 0xC7;
	c->chip_op[1] = 0x60;
	c->sr_mask = 0xFC;
	c->bp_mask = bp_mask;
	c->has_sr2 = sr2;
	c->sr2_mask = 0x43;
	c->cmp = sr2 ? 0x40 : 0;
}

/* MX25Lxx06E: 4 KB 0x20, 64 KB 0xD8 (and 0x52: 64 KB too). */
void snf_mx25(struct snf_chip *c, uint32_t jedec, uint32_t size)
{
	ident(c, jedec, size);
	c->erase[0] = (struct snf_erase){K(4), 0x20, 60000};
	c->erase[1] = (struct snf_erase){K(64), 0xD8, 700000};
	c->erase[2] = (struct snf_erase){K(64), 0x52, 700000};
	c->chip_op[0] = 0xC7;
	c->chip_op[1] = 0x60;
	c->sr_mask = 0xBC;
	c->bp_mask = 0x3C;
}
