// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ub_stm32f1_spi_cfg: a profile's [spi] section becomes the SPI loader's
 * settings (src/stm32f1_spi.c): the shipped Spark Core and DSO Quad
 * profiles, SPI1 with and without its remap, the prescaler for a rate,
 * and every profile mistake it refuses, naming the line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ub/board.h"
#include "ub/err.h"
#include "ub/loader.h"
#include "ub/stm32f1.h"

#define PORT_A 0
#define PORT_B 1
#define AF_PP  0xB
#define OUT_PP 0x3
#define OUT_2M 0x2
#define IN_PUL 0x8

static struct ub_board *load(const char *name)
{
	const char *src = getenv("UNBRICK_SRCDIR");
	char path[4096];
	struct ub_board *b;
	int err = 0;

	snprintf(path, sizeof(path), "%s/boards/%s.conf", src ? src : ".",
		 name);
	b = ub_board_load(path, &err);
	if (!b)
		fail_msg("%s: %s", path, ub_errmsg(err));
	return b;
}

static void pin_is(const struct ub_ldr_spi_cfg *c, unsigned i, unsigned port,
		   unsigned pin, unsigned conf, unsigned level)
{
	assert_true(i < c->npin);
	if (c->pin[i].port != port || c->pin[i].pin != pin ||
	    c->pin[i].conf != conf || c->pin[i].level != level)
		fail_msg("pin %u: P%c%u %X/%u, not P%c%u %X/%u", i,
			 'A' + c->pin[i].port, c->pin[i].pin, c->pin[i].conf,
			 c->pin[i].level, 'A' + port, pin, conf, level);
}

static void has(const char *s, const char *part)
{
	if (!strstr(s, part))
		fail_msg("'%s' does not contain '%s'", s, part);
}

/* Selects high (and parked) before the bus pins; SPI2 at 16 MHz. */
static void spark_core(void **state)
{
	struct ub_board *b = load("spark-core");
	struct ub_ldr_spi_cfg c;

	(void)state;
	assert_int_equal(ub_stm32f1_spi_cfg(&b->spi, 0, &c), 0);
	assert_int_equal(c.spi, 0x40003800);
	assert_int_equal(c.spi_n, 2);
	assert_int_equal(c.apb1enr, 1u << 14);
	assert_int_equal(c.apb2enr, 1u << 3); /* GPIOB, no AFIO */
	assert_int_equal(c.mapr_mask, 0);
	assert_int_equal(c.cr1, 0x304); /* MSTR, SSM, SSI, /2, mode 0 */
	assert_int_equal(c.sck_hz, 16000000);
	assert_int_equal(c.cfgr, 0x00380402); /* HSI/2 x 16, APB1 /2, PLL */
	assert_int_equal(c.latency, 2);
	assert_int_equal(c.ticks_per_us, 64);
	assert_int_equal(c.cs_port, PORT_B);
	assert_int_equal(c.cs_pin, 9);
	assert_int_equal(c.npin, 6);
	pin_is(&c, 0, PORT_B, 9, OUT_PP, 1);
	pin_is(&c, 1, PORT_B, 12, OUT_2M, 1); /* the CC3000's CS# */
	pin_is(&c, 2, PORT_B, 8, OUT_2M, 0);  /* its enable */
	pin_is(&c, 3, PORT_B, 13, AF_PP, 0);
	pin_is(&c, 4, PORT_B, 15, AF_PP, 0);
	pin_is(&c, 5, PORT_B, 14, IN_PUL, 1);
	/* a rate: the fastest at most that, down to PCLK1 / 256 */
	assert_int_equal(ub_stm32f1_spi_cfg(&b->spi, 1000000, &c), 0);
	assert_int_equal(c.sck_hz, 1000000);
	assert_int_equal(c.cr1 >> 3 & 7, 4);
	assert_int_equal(ub_stm32f1_spi_cfg(&b->spi, 5000000, &c), 0);
	assert_int_equal(c.sck_hz, 4000000);
	assert_int_equal(ub_stm32f1_spi_cfg(&b->spi, 1000, &c), 0);
	assert_int_equal(c.sck_hz, 125000);
	ub_board_free(b);
}

/* SPI3 on PB3/PB4/PB5: JTAG off (SWJ_CFG 010), mode 3. */
static void dso_quad(void **state)
{
	struct ub_board *b = load("dso-quad");
	struct ub_ldr_spi_cfg c;

	(void)state;
	assert_int_equal(ub_stm32f1_spi_cfg(&b->spi, 0, &c), 0);
	assert_int_equal(c.spi, 0x40003C00);
	assert_int_equal(c.apb1enr, 1u << 15);
	assert_int_equal(c.apb2enr, 1u << 3 | 1u); /* GPIOB, AFIO */
	assert_int_equal(c.mapr, 0x02000000);
	assert_int_equal(c.mapr_mask, 0x07000000);
	assert_int_equal(c.cr1 & 3, 3);
	pin_is(&c, 0, PORT_B, 7, OUT_PP, 1);
	pin_is(&c, 1, PORT_B, 3, AF_PP, 0);
	pin_is(&c, 2, PORT_B, 5, AF_PP, 0);
	pin_is(&c, 3, PORT_B, 4, IN_PUL, 1);
	ub_board_free(b);
}

static struct ub_spi_conf spi1(const char *sck, const char *miso,
			       const char *mosi, const char *cs,
			       const char *remap)
{
	struct ub_spi_conf s = {.present = true, .at = {0, 42}};

	snprintf(s.bus, sizeof(s.bus), "mcu");
	snprintf(s.peripheral, sizeof(s.peripheral), "spi1");
	snprintf(s.sck, sizeof(s.sck), "%s", sck);
	snprintf(s.miso, sizeof(s.miso), "%s", miso);
	snprintf(s.mosi, sizeof(s.mosi), "%s", mosi);
	snprintf(s.cs, sizeof(s.cs), "%s", cs);
	snprintf(s.remap, sizeof(s.remap), "%s", remap);
	return s;
}

/* SPI1 on APB2 (64 MHz): /4 for 16 MHz; its remap from the pins. */
static void spi1_and_its_remap(void **state)
{
	struct ub_spi_conf s = spi1("PA5", "PA6", "PA7", "PA4", "none");
	struct ub_ldr_spi_cfg c;

	(void)state;
	assert_int_equal(ub_stm32f1_spi_cfg(&s, 0, &c), 0);
	assert_int_equal(c.spi, 0x40013000);
	assert_int_equal(c.apb2enr, 1u << 12 | 1u << 2 | 1u); /* + AFIO */
	assert_int_equal(c.apb1enr, 0);
	assert_int_equal(c.cr1 >> 3 & 7, 1);
	assert_int_equal(c.sck_hz, 16000000);
	assert_int_equal(c.mapr, 0); /* SPI1_REMAP cleared */
	assert_int_equal(c.mapr_mask, 1);
	s = spi1("pb3", "pb4", "pb5", "PA15", "swj-jtag-off");
	assert_int_equal(ub_stm32f1_spi_cfg(&s, 0, &c), 0);
	assert_int_equal(c.mapr, 0x02000001);
	assert_int_equal(c.mapr_mask, 0x07000001);
	assert_int_equal(c.apb2enr, 1u << 12 | 1u << 2 | 1u << 3 | 1u);
}

static void refuse(struct ub_spi_conf *s, const char *part)
{
	struct ub_ldr_spi_cfg c;
	int err = ub_stm32f1_spi_cfg(s, 0, &c);

	assert_int_equal(err, UB_ECONFIG);
	has(ub_errmsg(err), "[spi] (line 42 of the profile)");
	has(ub_errmsg(err), part);
}

static void profile_mistakes(void **state)
{
	struct ub_spi_conf s;

	(void)state;
	s = spi1("PA5", "PA6", "PA7", "PA4", "none");
	snprintf(s.peripheral, sizeof(s.peripheral), "SPI4");
	refuse(&s, "peripheral 'SPI4' is not an SPI of the STM32F1");
	s = spi1("PB13", "PB14", "PB15", "PA4", "none");
	refuse(&s, "SPI1 has no pins sck PB13, miso PB14, mosi PB15");
	s = spi1("PB3", "PB4", "PB5", "PB6", "none");
	refuse(&s, "sck PB3 is a JTAG pin until JTAG is turned off: add "
		   "'remap = swj-jtag-off'");
	s = spi1("PA5", "PA6", "PA7", "PA15", "");
	refuse(&s, "cs PA15 is a JTAG pin");
	s = spi1("PA5", "PA6", "PA7", "PA13", "none");
	refuse(&s, "cs PA13 is an SWD pin");
	s = spi1("PA5", "PA6", "PA7", "PF3", "none");
	refuse(&s, "cs 'PF3' is no STM32F1 pin");
	s = spi1("PA5", "PA6", "PA7", "PA16", "none");
	refuse(&s, "cs 'PA16' is no STM32F1 pin");
	s = spi1("PA5", "PA6", "PA7", "PA4", "spi3-remap");
	refuse(&s, "remap 'spi3-remap' is unknown");
	s = spi1("PA5", "PA6", "PA7", "PA4", "none");
	s.npark = 1;
	snprintf(s.park[0].pin, sizeof(s.park[0].pin), "PB4");
	refuse(&s, "park PB4 is a JTAG pin");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spark_core),
		cmocka_unit_test(dso_quad),
		cmocka_unit_test(spi1_and_its_remap),
		cmocka_unit_test(profile_mistakes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
