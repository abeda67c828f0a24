// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The STM32F1's SPI peripherals as the SPI loader sets them up: a board
 * profile's [spi] section (bus = mcu) becomes struct ub_ldr_spi_cfg.
 *
 * Sources (RM0008 rev 21 unless named):
 *   - bases: §3.3 memory map (SPI1 0x40013000, SPI2 0x40003800, SPI3
 *     0x40003C00); clock enables: §7.3.7 APB2ENR (IOPA-E bits 2-6, AFIO
 *     bit 0, SPI1EN bit 12), §7.3.8 APB1ENR (SPI2EN 14, SPI3EN 15);
 *   - pins: the datasheets' pin definitions, DS5319 (STM32F103x8/xB:
 *     SPI1 PA5/PA6/PA7, or remapped PB3/PB4/PB5; SPI2 PB13/PB14/PB15),
 *     DS5792 (STM32F103xC/xD/xE, also SPI3 PB3/PB4/PB5; the medium
 *     density parts have no SPI3); §9.3.10 SPI1 remap (MAPR
 *     SPI1_REMAP, bit 0); SPI3 has no remap on the F103 (§9.3.11 is the
 *     connectivity line's);
 *   - JTAG pins: §9.3.5, SWJ_CFG = 010 frees PA15 (JTDI), PB3 (JTDO) and
 *     PB4 (NJTRST), the SW-DP (PA13, PA14) kept;
 *   - pin modes: §9.1.11 (SPI: SCK and MOSI alternate-function
 *     push-pull, MISO input floating or pull-up), §9.2.1 CNF/MODE;
 *   - SPI_CR1: §25.5.1; fSCK at most 18 MHz in master mode (DS5319
 *     rev 16 Table 42, DS5792 rev 8 Table 53: "SPI characteristics").
 *
 * The clock: the loader runs the core from the PLL on HSI, HSI/2 x 16 =
 * 64 MHz (§7.2.3, the most HSI gives; no crystal needed, so it works on
 * any board), AHB 64 MHz, APB1 32 MHz (at most 36), APB2 64 MHz, flash
 * latency 2 (§3.3.3). So SPI2/3 reach 16 MHz (PCLK1/2), SPI1 16 MHz
 * (PCLK2/4): the 18 MHz limit. At HSI's 8 MHz the SPI would give 4 MHz at
 * most and the core too few cycles a byte, which AAI programming feels.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ub/board.h"
#include "ub/err.h"
#include "ub/loader.h"
#include "ub/stm32f1.h"

#define SYSCLK_MHZ  64u
#define PCLK1_HZ    32000000u
#define PCLK2_HZ    64000000u
#define SPI_MAX_HZ  18000000u
#define PLL_CFGR    (0xEu << 18 | 4u << 8 | 2u) /* PLLMUL 16, PPRE1 /2, PLL */
#define PLL_LATENCY 2u

#define APB2_AFIO	(1u << 0)
#define APB2_IOP(port)	(4u << (port))
#define MAPR_SWJ_MASK	(7u << 24)
#define MAPR_SWJ_NOJTAG (2u << 24)

/* SPI_CR1 */
#define CR1_CPHA  (1u << 0)
#define CR1_CPOL  (1u << 1)
#define CR1_MSTR  (1u << 2)
#define CR1_BR(n) ((uint32_t)(n) << 3)
#define CR1_SSI	  (1u << 8)
#define CR1_SSM	  (1u << 9)

/* CNF/MODE nibbles (§9.2.1) */
#define PIN_AF_PP   0xBu /* alternate-function push-pull, 50 MHz */
#define PIN_OUT_PP  0x3u /* push-pull output, 50 MHz */
#define PIN_OUT_2M  0x2u /* push-pull output, 2 MHz (parked selects) */
#define PIN_IN_PULL 0x8u /* input with pull (ODR 1: up) */

struct f1_spi_pins {
	const char *sck, *miso, *mosi;
	uint32_t mapr, mask; /* AFIO_MAPR bits that select them */
};

struct f1_spi {
	const char *name;
	uint32_t base;
	bool apb2; /* else APB1 */
	uint32_t en;
	struct f1_spi_pins map[2]; /* map[1].sck NULL: no remap */
};

static const struct f1_spi f1_spis[] = {
	{"SPI1",
	 0x40013000u,
	 true,
	 1u << 12,
	 {{"PA5", "PA6", "PA7", 0, 1}, {"PB3", "PB4", "PB5", 1, 1}}},
	{"SPI2",
	 0x40003800u,
	 false,
	 1u << 14,
	 {{"PB13", "PB14", "PB15", 0, 0}}},
	{"SPI3", 0x40003C00u, false, 1u << 15, {{"PB3", "PB4", "PB5", 0, 0}}},
};

/* "PB13": port 1, pin 13; -1 if it is no pin of ports A-E. */
static int parse_pin(const char *s, unsigned *port, unsigned *pin)
{
	unsigned n = 0;
	const char *d = s + 2;

	if ((s[0] != 'P' && s[0] != 'p') || !s[1] ||
	    strchr("ABCDEabcde", s[1]) == NULL || !*d)
		return -1;
	for (; *d >= '0' && *d <= '9' && n < 100; d++)
		n = n * 10 + (unsigned)(*d - '0');
	if (*d || n > 15)
		return -1;
	*port = (unsigned)((s[1] | 0x20) - 'a');
	*pin = n;
	return 0;
}

static bool same_pin(const char *a, const char *b)
{
	return !strcasecmp(a, b);
}

/* PA15, PB3, PB4: JTAG's until SWJ_CFG frees them. */
static bool jtag_pin(unsigned port, unsigned pin)
{
	return (port == 0 && pin == 15) ||
	       (port == 1 && (pin == 3 || pin == 4));
}

struct build {
	const struct ub_spi_conf *c;
	struct ub_ldr_spi_cfg *cfg;
	bool nojtag;
};

static int add_pin(struct build *b, const char *what, const char *name,
		   uint8_t conf, uint8_t level)
{
	struct ub_ldr_spi_cfg *cfg = b->cfg;
	unsigned port, pin;

	if (parse_pin(name, &port, &pin))
		return ub_fail(UB_ECONFIG,
			       "[spi] (line %u of the profile): %s '%s' is no "
			       "STM32F1 pin (PA0-PE15)",
			       b->c->at.line, what, name);
	if (port == 0 && (pin == 13 || pin == 14))
		return ub_fail(UB_ECONFIG,
			       "[spi] (line %u of the profile): %s %s is an "
			       "SWD pin (PA13 SWDIO, PA14 SWCLK): the loader "
			       "cannot take it while SWD runs it",
			       b->c->at.line, what, name);
	if (jtag_pin(port, pin) && !b->nojtag)
		return ub_fail(UB_ECONFIG,
			       "[spi] (line %u of the profile): %s %s is a "
			       "JTAG pin until JTAG is turned off: add 'remap "
			       "= swj-jtag-off' (SW-DP stays)",
			       b->c->at.line, what, name);
	if (cfg->npin == UB_LDR_SPI_PINS)
		return ub_fail(UB_ECONFIG,
			       "[spi] (line %u of the profile): more than %d "
			       "pins for the loader",
			       b->c->at.line, UB_LDR_SPI_PINS);
	cfg->pin[cfg->npin++] = (struct ub_ldr_spi_pin){
		.port = (uint8_t)port,
		.pin = (uint8_t)pin,
		.conf = conf,
		.level = level,
	};
	cfg->apb2enr |= APB2_IOP(port);
	return 0;
}

/* "none", "swj-jtag-off": words separated by spaces or commas. */
static int parse_remap(struct build *b)
{
	char buf[sizeof(b->c->remap)], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", b->c->remap);
	for (char *w = strtok_r(buf, " ,", &save); w;
	     w = strtok_r(NULL, " ,", &save)) {
		if (!strcasecmp(w, "swj-jtag-off"))
			b->nojtag = true;
		else if (strcasecmp(w, "none"))
			return ub_fail(UB_ECONFIG,
				       "[spi] (line %u of the profile): remap "
				       "'%s' is unknown (none, swj-jtag-off; "
				       "SPI1's remap follows from its pins)",
				       b->c->at.line, w);
	}
	return 0;
}

static const struct f1_spi *find_spi(const struct ub_spi_conf *c)
{
	for (size_t i = 0; i < sizeof(f1_spis) / sizeof(f1_spis[0]); i++)
		if (!strcasecmp(c->peripheral, f1_spis[i].name))
			return &f1_spis[i];
	return NULL;
}

/* The pin set the profile names, or NULL. */
static const struct f1_spi_pins *find_map(const struct f1_spi *s,
					  const struct ub_spi_conf *c)
{
	for (int i = 0; i < 2 && s->map[i].sck; i++)
		if (same_pin(c->sck, s->map[i].sck) &&
		    same_pin(c->miso, s->map[i].miso) &&
		    same_pin(c->mosi, s->map[i].mosi))
			return &s->map[i];
	return NULL;
}

/* The prescaler: the fastest rate at most hz (0: the SPI's limit). */
static uint32_t prescaler(uint32_t pclk, uint32_t hz, uint32_t *got)
{
	uint32_t want = hz && hz < SPI_MAX_HZ ? hz : SPI_MAX_HZ, br = 0;

	while (br < 7 && pclk >> (br + 1) > want)
		br++;
	*got = pclk >> (br + 1);
	return br;
}

int ub_stm32f1_spi_cfg(const struct ub_spi_conf *c, uint32_t hz,
		       struct ub_ldr_spi_cfg *cfg)
{
	struct build b = {.c = c, .cfg = cfg};
	const struct f1_spi *s = find_spi(c);
	const struct f1_spi_pins *m;
	unsigned port, pin;
	uint32_t br;
	int err;

	memset(cfg, 0, sizeof(*cfg));
	if (!s)
		return ub_fail(UB_ECONFIG,
			       "[spi] (line %u of the profile): peripheral "
			       "'%s' is not an SPI of the STM32F1 (SPI1, SPI2, "
			       "SPI3)",
			       c->at.line, c->peripheral);
	m = find_map(s, c);
	if (!m)
		return ub_fail(UB_ECONFIG,
			       "[spi] (line %u of the profile): %s has no pins "
			       "sck %s, miso %s, mosi %s (its sck/miso/mosi: "
			       "%s/%s/%s%s)",
			       c->at.line, s->name, c->sck, c->miso, c->mosi,
			       s->map[0].sck, s->map[0].miso, s->map[0].mosi,
			       s->map[1].sck ? ", remapped PB3/PB4/PB5" : "");
	err = parse_remap(&b);
	if (err)
		return err;
	if (parse_pin(c->cs, &port, &pin))
		return ub_fail(UB_ECONFIG,
			       "[spi] (line %u of the profile): cs '%s' is no "
			       "STM32F1 pin (PA0-PE15)",
			       c->at.line, c->cs);
	cfg->spi = s->base;
	cfg->spi_n = (uint8_t)(s->name[3] - '0');
	cfg->cs_port = (uint8_t)port;
	cfg->cs_pin = (uint8_t)pin;
	if (s->apb2)
		cfg->apb2enr |= s->en;
	else
		cfg->apb1enr |= s->en;
	cfg->mapr = m->mapr | (b.nojtag ? MAPR_SWJ_NOJTAG : 0);
	cfg->mapr_mask = m->mask | (b.nojtag ? MAPR_SWJ_MASK : 0);
	if (cfg->mapr_mask)
		cfg->apb2enr |= APB2_AFIO;
	/* selects first (high, parked), then the bus */
	err = add_pin(&b, "cs", c->cs, PIN_OUT_PP, 1);
	for (unsigned i = 0; !err && i < c->npark; i++) {
		if (same_pin(c->park[i].pin, c->cs))
			continue;
		err = add_pin(&b, "park", c->park[i].pin, PIN_OUT_2M,
			      (uint8_t)(c->park[i].level ? 1 : 0));
	}
	if (!err)
		err = add_pin(&b, "sck", c->sck, PIN_AF_PP, 0);
	if (!err)
		err = add_pin(&b, "mosi", c->mosi, PIN_AF_PP, 0);
	if (!err)
		err = add_pin(&b, "miso", c->miso, PIN_IN_PULL, 1);
	if (err)
		return err;
	/* the last pin: MISO, read as RY/BY# in SST25 AAI (EBSY) */
	cfg->miso_port = cfg->pin[cfg->npin - 1].port;
	cfg->miso_pin = cfg->pin[cfg->npin - 1].pin;
	br = prescaler(s->apb2 ? PCLK2_HZ : PCLK1_HZ, hz, &cfg->sck_hz);
	cfg->cr1 = CR1_MSTR | CR1_SSM | CR1_SSI | CR1_BR(br) |
		   (c->mode & 2 ? CR1_CPOL : 0) | (c->mode & 1 ? CR1_CPHA : 0);
	cfg->cfgr = PLL_CFGR;
	cfg->latency = PLL_LATENCY;
	cfg->ticks_per_us = SYSCLK_MHZ;
	return 0;
}
