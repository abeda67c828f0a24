/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_LDR_SPI_CORE_H
#define UB_LDR_SPI_CORE_H

/*
 * The SPI NOR operations on the STM32F1, over the parameter block of
 * ub/loader.h (struct ub_ldr_spi): shared by the loaders that include it
 * (spi_f1.c over SWD, the UART monitor). Static functions only: each
 * loader keeps what it calls.
 *
 *   spi_begin(x, p)   before the first job of a run (sets nothing up yet)
 *   spi_job(x, j)     one job (enum ub_ldr_spi_op); the setup is done
 *                     before the first job that needs it
 *
 * AAI word programming is in spi_aai.h, included below.
 *
 * The setup (RM0008 rev 21): the clock (§7.3.1-7.3.2: HSI on, FLASH_ACR
 * latency first (§3.3.3), the PLL configured while off, then switched to),
 * the bus clocks (§7.3.7-7.3.8), the AFIO remap (§9.4.2; SWJ_CFG is
 * write-only, so a mask covering it writes it), each pin's ODR then its
 * CNF/MODE (§9.2.1-9.2.2, ODR picking an input's pull), the SPI in master
 * mode with software NSS (§25.3.3, §25.5.1), SysTick free-running on the
 * core clock (PM0056 §4.5) for timeouts. It is redone at each run and
 * changes nothing already so. A cfg.cfgr of 0 leaves the clock alone (a
 * UART monitor whose baud hangs on it may want that).
 *
 * The bus: CS# is a GPIO, held high at least gap turns of a delay loop
 * between commands (tSHSL: 100 ns covers the table's parts; the AAI loop
 * needs none, its own instructions take longer); bytes are sent back to
 * back where nothing is received (TXE), one at a time where something is
 * (RXNE), so a slow core never loses a byte to OVR.
 *
 * Waiting for the chip: RDSR polled without pause (the end of a 10 us AAI
 * word is seen about one status byte late), SysTick bounding it to
 * timeout_us, p->beat moved every 8 polls; the clock's ready flags by a
 * count of turns (the clock is what is being set up).
 */
#include <stdint.h>

#include "crc_core.h"
#include "ldr.h"

#define SPI_HOT	   static inline __attribute__((always_inline))
#define SPI_REG(a) (*(volatile uint32_t *)(a))
#define RCC_CR	   SPI_REG(0x40021000u)
#define RCC_CFGR   SPI_REG(0x40021004u)
#define RCC_APB2EN SPI_REG(0x40021018u)
#define RCC_APB1EN SPI_REG(0x4002101Cu)
#define FLASH_ACR  SPI_REG(0x40022000u)
#define AFIO_MAPR  SPI_REG(0x40010004u)
#define SYST_CTRL  SPI_REG(0xE000E010u)
#define SYST_LOAD  SPI_REG(0xE000E014u)
#define SYST_VAL   SPI_REG(0xE000E018u)

#define CR_HSION    (1u << 0)
#define CR_HSIRDY   (1u << 1)
#define CR_PLLON    (1u << 24)
#define CR_PLLRDY   (1u << 25)
#define CFGR_SW	    3u
#define CFGR_SWS    (3u << 2)
#define ACR_LATENCY 7u

#define GPIO_BASE(port) (0x40010800u + 0x400u * (port))
#define GPIO_IDR	(0x08 / 4)
#define GPIO_BSRR	(0x10 / 4)

/* Work done while waiting for the chip (the UART monitor's look at its
 * port); a loader that has none leaves it empty. */
#ifndef SPI_IDLE
#define SPI_IDLE(x) ((void)(x))
#endif

/* SPI registers (word index) and bits */
#define SPI_CR1	 0
#define SPI_CR2	 1
#define SPI_SR	 2
#define SPI_DR	 3
#define SPI_SPE	 (1u << 6)
#define SPI_RXNE (1u << 0)
#define SPI_TXE	 (1u << 1)
#define SPI_OVR	 (1u << 6)
#define SPI_BSY	 (1u << 7)

/* SysTick: on, core clock, no interrupt; a 24-bit count */
#define SYST_ON	  5u
#define SYST_MASK 0xFFFFFFu

/* turns of a flag poll while the clock is not known: over 50 ms at 8 MHz */
#define CLOCK_TURNS 100000u

/* SPI NOR commands (JEDEC JESD216 names) */
#define NOR_WREN 0x06
#define NOR_WRDI 0x04
#define NOR_RDSR 0x05
#define NOR_READ 0x03
#define NOR_PP	 0x02
#define NOR_AAI	 0xAD
#define NOR_EBSY 0x70
#define NOR_DBSY 0x80
#define NOR_WIP	 0x01

struct spi_ctx {
	volatile struct ub_ldr_spi *p;
	volatile uint32_t *spi; /* SPIx registers */
	volatile uint32_t *cs;	/* CS#'s port */
	uint32_t cs_bit;
	uint32_t gap; /* delay loop turns of CS# high */
	uint32_t cph; /* the same between AAI words (EBSY): tCPH */
	int fast;     /* the core takes a byte in 32 cycles: reads back to
			 back */
	int ready;    /* set up in this run */
	int table;    /* CRC table made in this run */
	volatile uint32_t *so; /* MISO's port's IDR (RY/BY# after EBSY) */
	uint32_t so_bit;
	int no_so; /* the chip left SO alone after EBSY: RDSR from now on */
	/* AAI: SysTick ticks after a word's CS# rise before RDSR (lead),
	 * the least known to find the chip ready at the first look (ok),
	 * words since a lower lead was tried */
	uint32_t lead, ok, probes;
	uint32_t looks, late, to_look; /* the last poll: busy looks, when
					  the last began, the first's offset */
};

struct spi_timer {
	uint32_t last;
	uint64_t left; /* SysTick ticks */
};

SPI_HOT void spi_timer_start(struct spi_ctx *x, struct spi_timer *tm)
{
	tm->left = (uint64_t)x->p->timeout_us * x->p->cfg.ticks_per_us;
	tm->last = SYST_VAL;
}

/* Call it at least every 2^24 ticks (0.26 s at 64 MHz): polls do. */
static int spi_timer_expired(struct spi_timer *tm)
{
	uint32_t now = SYST_VAL, d = (tm->last - now) & SYST_MASK;

	tm->last = now;
	if (d >= tm->left)
		return 1;
	tm->left -= d;
	return 0;
}

SPI_HOT void spi_delay(uint32_t n)
{
	while (n--)
		__asm__ volatile("");
}

SPI_HOT void spi_cs_low(struct spi_ctx *x)
{
	x->cs[GPIO_BSRR] = x->cs_bit << 16;
}

/* CS# up, with no delay: for where the instructions up to the next CS#
 * low take longer than tSHSL anyway (the AAI loop: over 8 cycles). */
SPI_HOT void spi_cs_up(struct spi_ctx *x)
{
	x->cs[GPIO_BSRR] = x->cs_bit;
}

SPI_HOT void spi_cs_high(struct spi_ctx *x)
{
	spi_cs_up(x);
	spi_delay(x->gap);
}

/* Send a byte as soon as the TX buffer takes it. */
SPI_HOT void spi_tx(struct spi_ctx *x, uint32_t b)
{
	while (!(x->spi[SPI_SR] & SPI_TXE))
		;
	x->spi[SPI_DR] = b & 0xFF;
}

/* The last byte sent is out: CS# may rise; RXNE and OVR cleared. */
SPI_HOT void spi_tx_end(struct spi_ctx *x)
{
	while (!(x->spi[SPI_SR] & SPI_TXE))
		;
	while (x->spi[SPI_SR] & SPI_BSY)
		;
	(void)x->spi[SPI_DR];
	(void)x->spi[SPI_SR];
}

/* One byte each way (nothing in flight before). */
SPI_HOT uint8_t spi_xchg(struct spi_ctx *x, uint32_t b)
{
	x->spi[SPI_DR] = b & 0xFF;
	while (!(x->spi[SPI_SR] & SPI_RXNE))
		;
	return (uint8_t)x->spi[SPI_DR];
}

static void spi_cmd_addr(struct spi_ctx *x, uint32_t op, uint32_t addr)
{
	spi_tx(x, op);
	spi_tx(x, addr >> 16);
	spi_tx(x, addr >> 8);
	spi_tx(x, addr);
}

static void spi_cmd1(struct spi_ctx *x, uint32_t op)
{
	spi_cs_low(x);
	spi_tx(x, op);
	spi_tx_end(x);
	spi_cs_high(x);
}

/* Poll RDSR until WIP clears, at most timeout_us (the timer looked at
 * every 8 polls: the loop stays short, the AAI words wait for it); CS#
 * left up with no delay. */
SPI_HOT uint32_t spi_poll(struct spi_ctx *x, uint32_t addr)
{
	struct spi_timer tm;
	uint32_t k = 0;
	uint8_t sr;

	spi_timer_start(x, &tm);
	spi_cs_low(x);
	spi_xchg(x, NOR_RDSR);
	while ((sr = spi_xchg(x, 0xFF)) & NOR_WIP) {
		SPI_IDLE(x);
		if (++k & 7)
			continue;
		x->p->beat++;
		if (spi_timer_expired(&tm)) {
			spi_cs_up(x);
			x->p->err_addr = addr;
			x->p->err_sr = sr;
			return UB_LDR_SPI_BUSY;
		}
	}
	spi_cs_up(x);
	return UB_LDR_OK;
}

static uint32_t spi_wait_ready(struct spi_ctx *x, uint32_t addr)
{
	uint32_t st = spi_poll(x, addr);

	spi_delay(x->gap);
	return st;
}

static int spi_wait_bits(volatile uint32_t *r, uint32_t mask, uint32_t want)
{
	for (uint32_t n = 0; n < CLOCK_TURNS; n++)
		if ((*r & mask) == want)
			return 1;
	return 0;
}

/* The PLL clock cfgr names: from HSI, the PLL set up while it is off. */
static uint32_t spi_clock(uint32_t cfgr, uint32_t latency)
{
	uint32_t sws = (cfgr & CFGR_SW) << 2;

	if (!cfgr ||
	    ((RCC_CFGR & ~CFGR_SWS) == cfgr && (RCC_CFGR & CFGR_SWS) == sws))
		return UB_LDR_OK;
	RCC_CR |= CR_HSION;
	if (!spi_wait_bits(&RCC_CR, CR_HSIRDY, CR_HSIRDY))
		return UB_LDR_CLOCK;
	FLASH_ACR = (FLASH_ACR & ~ACR_LATENCY) | (latency & ACR_LATENCY);
	RCC_CFGR &= ~CFGR_SW;
	if (!spi_wait_bits(&RCC_CFGR, CFGR_SWS, 0))
		return UB_LDR_CLOCK;
	RCC_CR &= ~CR_PLLON;
	if (!spi_wait_bits(&RCC_CR, CR_PLLRDY, 0))
		return UB_LDR_CLOCK;
	RCC_CFGR = cfgr & ~CFGR_SW;
	RCC_CR |= CR_PLLON;
	if (!spi_wait_bits(&RCC_CR, CR_PLLRDY, CR_PLLRDY))
		return UB_LDR_CLOCK;
	RCC_CFGR = cfgr;
	if (!spi_wait_bits(&RCC_CFGR, CFGR_SWS, sws))
		return UB_LDR_CLOCK;
	return UB_LDR_OK;
}

static void spi_pin(const volatile struct ub_ldr_spi_pin *pin)
{
	volatile uint32_t *g = (volatile uint32_t *)GPIO_BASE(pin->port);
	volatile uint32_t *cr = &g[pin->pin >> 3];
	uint32_t bit = 1u << pin->pin, sh = (pin->pin & 7) * 4;

	g[GPIO_BSRR] = pin->level ? bit : bit << 16;
	*cr = (*cr & ~(0xFu << sh)) | (uint32_t)(pin->conf & 0xF) << sh;
}

static uint32_t spi_setup(struct spi_ctx *x)
{
	const volatile struct ub_ldr_spi_cfg *c = &x->p->cfg;
	uint32_t st, n = c->npin;

	if (!c->ticks_per_us || n > UB_LDR_SPI_PINS || c->cs_port > 4 ||
	    c->cs_pin > 15)
		return UB_LDR_BADPARAM;
	for (uint32_t i = 0; i < n; i++)
		if (c->pin[i].port > 4 || c->pin[i].pin > 15)
			return UB_LDR_BADPARAM;
	st = spi_clock(c->cfgr, c->latency);
	if (st)
		return st;
	if ((SYST_CTRL & SYST_ON) != SYST_ON || SYST_LOAD != SYST_MASK) {
		SYST_CTRL = 0;
		SYST_LOAD = SYST_MASK;
		SYST_VAL = 0;
		SYST_CTRL = SYST_ON;
	}
	RCC_APB2EN |= c->apb2enr;
	RCC_APB1EN |= c->apb1enr;
	if (c->mapr_mask)
		AFIO_MAPR = (AFIO_MAPR & ~c->mapr_mask) | c->mapr;
	/* the mode changes only with SPE clear; SCK idles as CPOL says once
	 * SPE is set, before its pin leaves the GPIO */
	if (x->spi[SPI_CR1] != (c->cr1 | SPI_SPE)) {
		x->spi[SPI_CR1] = c->cr1 & ~SPI_SPE;
		x->spi[SPI_CR2] = 0;
		x->spi[SPI_CR1] = c->cr1 | SPI_SPE;
	}
	for (uint32_t i = 0; i < n; i++)
		spi_pin(&c->pin[i]);
	(void)x->spi[SPI_DR];
	(void)x->spi[SPI_SR];
	x->ready = 1;
	return UB_LDR_OK;
}

static void spi_begin(struct spi_ctx *x, volatile struct ub_ldr_spi *p)
{
	const volatile struct ub_ldr_spi_cfg *c = &p->cfg;

	x->p = p;
	x->spi = (volatile uint32_t *)c->spi;
	x->cs = (volatile uint32_t *)GPIO_BASE(c->cs_port);
	x->cs_bit = 1u << (c->cs_pin & 15);
	x->gap = c->ticks_per_us / 20 + 1; /* >= 2 cycles a turn: 100 ns */
	/* SST25VF016B AC characteristics: tCPH (CE# high) 50 ns */
	x->cph = c->ticks_per_us / 40 + 1;
	x->fast = c->sck_hz && c->ticks_per_us * 250000u >= c->sck_hz;
	x->so = (volatile uint32_t *)GPIO_BASE(c->miso_port) + GPIO_IDR;
	x->so_bit = 1u << (c->miso_pin & 15);
	x->no_so = 0;
	x->ready = 0;
	x->table = 0;
	x->lead = x->ok = x->probes = 0;
}

/* CS# high, the SPI and SysTick off, the clock back to HSI. */
static uint32_t spi_close(struct spi_ctx *x)
{
	const volatile struct ub_ldr_spi_cfg *c = &x->p->cfg;

	x->cs[GPIO_BSRR] = x->cs_bit; /* lost if its port is off: fine */
	x->spi[SPI_CR1] = 0;
	SYST_CTRL = 0;
	if (c->cfgr && (RCC_CFGR & CFGR_SWS)) {
		RCC_CFGR &= ~CFGR_SW;
		if (!spi_wait_bits(&RCC_CFGR, CFGR_SWS, 0))
			return UB_LDR_CLOCK;
		RCC_CR &= ~CR_PLLON;
		RCC_CFGR = 0;
	}
	x->ready = 0;
	return UB_LDR_OK;
}

static uint32_t spi_xfer(struct spi_ctx *x, uint8_t *d, uint32_t ntx,
			 uint32_t nrx)
{
	spi_cs_low(x);
	for (uint32_t i = 0; i < ntx; i++)
		spi_tx(x, d[i]);
	spi_tx_end(x);
	for (uint32_t i = 0; i < nrx; i++)
		d[i] = spi_xchg(x, 0xFF);
	spi_cs_high(x);
	return UB_LDR_OK;
}

static uint32_t spi_read(struct spi_ctx *x, uint32_t addr, uint8_t *d,
			 uint32_t len)
{
	spi_cs_low(x);
	spi_cmd_addr(x, NOR_READ, addr);
	spi_tx_end(x);
	for (uint32_t i = 0; i < len; i++)
		d[i] = spi_xchg(x, 0xFF);
	spi_cs_high(x);
	return UB_LDR_OK;
}

/* Page (or byte: page 1) programming, each page polled. */
static uint32_t spi_pages(struct spi_ctx *x, uint32_t addr, const uint8_t *s,
			  uint32_t len, uint32_t page)
{
	uint32_t st = UB_LDR_OK;

	if (!page)
		return UB_LDR_BADPARAM;
	while (len && !st) {
		uint32_t n = page - addr % page;

		if (n > len)
			n = len;
		spi_cmd1(x, NOR_WREN);
		SPI_IDLE(x);
		spi_cs_low(x);
		spi_cmd_addr(x, NOR_PP, addr);
		for (uint32_t i = 0; i < n; i++) {
			spi_tx(x, s[i]);
			if ((i & 3) == 3)
				SPI_IDLE(x);
		}
		spi_tx_end(x);
		spi_cs_high(x);
		st = spi_wait_ready(x, addr);
		addr += n;
		s += n;
		len -= n;
	}
	return st;
}

#include "spi_aai.h"

static uint32_t spi_erase(struct spi_ctx *x, uint32_t arg, uint32_t addr)
{
	spi_cmd1(x, NOR_WREN);
	spi_cs_low(x);
	if (arg & UB_LDR_SPI_ADDR)
		spi_cmd_addr(x, arg, addr);
	else
		spi_tx(x, arg);
	spi_tx_end(x);
	spi_cs_high(x);
	return spi_wait_ready(x, addr);
}

/*
 * The next byte of a read whose next byte is queued while it shifts (more:
 * there is one): 0 and *b, or -1 when the SPI overran (the core took a byte
 * too late: it is lost). Every status read counts: reading DR then SR
 * clears OVR. A lost byte leaves the SPI idle with nothing received, which
 * ends the wait too.
 */
SPI_HOT int spi_rx_fast(struct spi_ctx *x, int more, uint8_t *b)
{
	uint32_t sr, seen = 0;

	if (more) {
		while (!((sr = x->spi[SPI_SR]) & SPI_TXE))
			seen |= sr;
		seen |= sr;
		x->spi[SPI_DR] = 0xFF;
	}
	while (!((sr = x->spi[SPI_SR]) & SPI_RXNE)) {
		seen |= sr;
		if ((sr & (SPI_TXE | SPI_BSY)) == SPI_TXE)
			return -1;
	}
	*b = (uint8_t)x->spi[SPI_DR];
	return (seen | sr) & SPI_OVR ? -1 : 0;
}

/* CRCs of [addr, addr + len) read in one READ, bytes back to back when
 * fast; 0, or -1 when that overran (the caller reads it again slowly). */
static int spi_crc_run(struct spi_ctx *x, const uint32_t *t, uint32_t addr,
		       uint32_t len, uint32_t block, uint32_t *out, int fast)
{
	int err = 0;

	spi_cs_low(x);
	spi_cmd_addr(x, NOR_READ, addr);
	spi_tx_end(x);
	if (fast)
		x->spi[SPI_DR] = 0xFF;
	while (len && !err) {
		uint32_t n = len < block ? len : block, crc = 0xFFFFFFFFu;
		uint8_t b = 0;

		len -= n;
		while (n-- && !err) {
			if (fast)
				err = spi_rx_fast(x, n || len, &b);
			else
				b = spi_xchg(x, 0xFF);
			crc = crc_byte(t, crc, b);
			if (!(n & 0xFF))
				x->p->beat++;
		}
		*out++ = ~crc;
	}
	spi_tx_end(x);
	spi_cs_high(x);
	return err;
}

/*
 * CRC-32 of each block of arg bytes (0: one) of the chip's range, or of the
 * first span bytes of each (span below the block): then one READ a block,
 * the rest of it not clocked at all.
 */
static uint32_t spi_crc(struct spi_ctx *x, uint32_t addr, uint32_t len,
			uint32_t block, uint32_t span, uint32_t *out)
{
	uint32_t *t = (uint32_t *)x->p->table;
	uint32_t step, n, k, b;

	if (!t || ((uint32_t)t & 3))
		return UB_LDR_BADPARAM;
	if (!x->table) {
		make_table(t);
		x->table = 1;
	}
	if (!block)
		block = len;
	if (!span || span > block)
		span = block;
	step = span < block ? block : len; /* the range a READ is in */
	while (len) {
		n = len < step ? len : step;
		k = span < block && span < n ? span : n;
		b = span < block ? k : block;
		if (!x->fast || spi_crc_run(x, t, addr, k, b, out, 1))
			spi_crc_run(x, t, addr, k, b, out, 0);
		addr += n;
		len -= n;
		out++; /* whole blocks: one pass, len is 0 now */
	}
	return UB_LDR_OK;
}

static uint32_t spi_job(struct spi_ctx *x, volatile struct ub_ldr_spi_job *j)
{
	uint32_t op = j->op, addr = j->addr, len = j->len, arg = j->arg;
	uint8_t *d = (uint8_t *)j->data;
	uint32_t st;

	if (op == UB_LDR_SPI_CLOSE)
		return spi_close(x);
	if (!x->ready) {
		st = spi_setup(x);
		if (st)
			return st;
	}
	/* no switch: its jump table would hold absolute addresses */
	if (op == UB_LDR_SPI_SETUP)
		return UB_LDR_OK;
	if (op == UB_LDR_SPI_XFER)
		return spi_xfer(x, d, len, arg);
	if (op == UB_LDR_SPI_READ)
		return spi_read(x, addr, d, len);
	if (op == UB_LDR_SPI_PAGE)
		return spi_pages(x, addr, d, len, arg);
	if (op == UB_LDR_SPI_AAI && (arg & UB_LDR_SPI_EBSY) && !x->no_so &&
	    !((addr | len) & 1) && len) {
		uint32_t done;

		st = spi_aai_so(x, addr, d, len, &done);
		return st || done == len
			       ? st
			       : spi_aai(x, addr + done, d + done, len - done);
	}
	if (op == UB_LDR_SPI_AAI)
		return spi_aai(x, addr, d, len);
	if (op == UB_LDR_SPI_ERASE)
		return spi_erase(x, arg, addr);
	if (op == UB_LDR_SPI_CRC && !((uint32_t)d & 3))
		return spi_crc(x, addr, len, arg, j->span, (uint32_t *)d);
	return UB_LDR_BADPARAM;
}

#endif
