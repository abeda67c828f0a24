// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The peripheral models as RM0008 describes them: RCC's oscillators, PLL
 * and clock switch on the virtual clock; GPIO with BSRR/BRR, pulls and the
 * LCKR sequence; AFIO's SWJ_CFG (pins freed, SWD off); SPI frame timing and
 * flags, and the wiring to the chip (Spark Core: SPI2, CS PB9, the CC3000
 * on PB12; DSO Quad: SPI3 behind the JTAG pins, mode 3); USART1 frames at
 * BRR's rate with TXE/TC/RXNE/ORE; SysTick.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vb_test_util.h"

#define RCC_CR	    (VB_RCC_BASE + 0x00)
#define RCC_CFGR    (VB_RCC_BASE + 0x04)
#define RCC_APB2ENR (VB_RCC_BASE + 0x18)
#define RCC_APB1ENR (VB_RCC_BASE + 0x1C)
#define AFIO_MAPR   0x40010004u
#define GPIOA	    0x40010800u
#define GPIOB	    0x40010C00u
#define SPI2	    0x40003800u
#define SPI3	    0x40003C00u
#define USART1	    0x40013800u
#define US	    VB_PS_PER_US

/* A running board (NRST high; its flash is erased, so the core locks up
 * and stays out of the way). */
static struct vb *board(const char *const *set, size_t n)
{
	char err[256] = "";
	struct vb *vb = vb_new(set, n, NULL, err, sizeof(err));

	if (!vb)
		fail_msg("vb_new: %s", err);
	return vb;
}

static void rcc_oscillators_and_pll(void **state)
{
	struct vb *vb = board(NULL, 0);

	(void)state;
	assert_int_equal(vb_rcc_sysclk(vb), 8000000);
	vbt_wr(vb, RCC_CR, 4, 0x00010083); /* HSEON */
	assert_int_equal(vbt_rd(vb, RCC_CR, 4) & 0x20000, 0);
	vb_advance(vb, 2000 * US); /* tSU(HSE) 2 ms */
	assert_int_equal(vbt_rd(vb, RCC_CR, 4) & 0x20000, 0x20000);
	/* HSE x9 = 72 MHz, APB1 /2 */
	vbt_wr(vb, RCC_CFGR, 4, 0x001D0400);
	vbt_wr(vb, RCC_CR, 4, 0x01010083);   /* PLLON */
	vbt_wr(vb, RCC_CFGR, 4, 0x00050402); /* PLL settings locked now */
	assert_int_equal(vbt_rd(vb, RCC_CFGR, 4), 0x001D0402); /* SWS: HSI */
	assert_int_equal(vbt_rd(vb, RCC_CR, 4) & 0x02000000, 0);
	vb_advance(vb, 200 * US); /* tLOCK */
	assert_int_equal(vbt_rd(vb, RCC_CR, 4) & 0x02000000, 0x02000000);
	assert_int_equal(vbt_rd(vb, RCC_CFGR, 4) & 0xC, 0x8); /* SWS: PLL */
	assert_int_equal(vb_rcc_sysclk(vb), 72000000);
	assert_int_equal(vb_rcc_pclk1(vb), 36000000);
	assert_int_equal(vb_rcc_pclk2(vb), 72000000);
	vbt_wr(vb, RCC_CR, 4, 0x00000083); /* the PLL in use stays on */
	assert_int_equal(vbt_rd(vb, RCC_CR, 4) & 0x03010000, 0x03010000);
	vbt_close(vb);

	static const char *const nohse[] = {"hse_hz=0"};

	vb = board(nohse, 1);
	vbt_wr(vb, RCC_CR, 4, 0x00010083);
	vb_advance(vb, 10000 * US);
	assert_int_equal(vbt_rd(vb, RCC_CR, 4) & 0x20000, 0); /* no crystal */
	vbt_close(vb);
}

static void gpio_bsrr_pulls_and_lock(void **state)
{
	struct vb *vb = board(NULL, 0);

	(void)state;
	vbt_wr(vb, GPIOB + 0x04, 4, 0x44444444); /* no clock: lost */
	vbt_wr(vb, RCC_APB2ENR, 4, 0x0D);	 /* AFIO, IOPA, IOPB */
	vbt_wr(vb, GPIOB + 0x04, 4, 0x44444483); /* PB8 output, PB9 pull */
	vbt_wr(vb, GPIOB + 0x10, 4, 0x01000100); /* set and reset PB8 */
	assert_int_equal(vbt_rd(vb, GPIOB + 0x0C, 4), 0x100); /* set wins */
	assert_int_equal(vbt_rd(vb, GPIOB + 0x08, 4) & 0x300, 0x100);
	vbt_wr(vb, GPIOB + 0x10, 4, 0x200); /* PB9 pull-up */
	assert_int_equal(vbt_rd(vb, GPIOB + 0x08, 4) & 0x300, 0x300);
	vbt_wr(vb, GPIOB + 0x14, 4, 0x300); /* BRR */
	assert_int_equal(vbt_rd(vb, GPIOB + 0x08, 4) & 0x300, 0);
	assert_int_equal(vb_gpio_drive(vb, VB_PIN(1, 8)), 0);
	assert_int_equal(vb_gpio_drive(vb, VB_PIN(1, 9)), -1);
	/* the lock key: 1, 0, 1, read */
	vbt_wr(vb, GPIOB + 0x18, 4, 0x10100);
	vbt_wr(vb, GPIOB + 0x18, 4, 0x00100);
	vbt_wr(vb, GPIOB + 0x18, 4, 0x10100);
	vbt_rd(vb, GPIOB + 0x18, 4);
	assert_int_equal(vbt_rd(vb, GPIOB + 0x18, 4), 0x10100);
	vbt_wr(vb, GPIOB + 0x04, 4, 0x44444444); /* PB8 stays locked */
	assert_int_equal(vbt_rd(vb, GPIOB + 0x04, 4), 0x44444443);
	/* held in reset the pins let go */
	vb_drive(vb, VB_NRST, 0);
	assert_int_equal(vb_gpio_drive(vb, VB_PIN(1, 8)), -1);
	vbt_close(vb);
}

static void afio_swj_cfg(void **state)
{
	struct vb *vb = board(NULL, 0);

	(void)state;
	vbt_wr(vb, RCC_APB2ENR, 4, 0x0D);
	vbt_wr(vb, GPIOB + 0x00, 4, 0x444BB444); /* PB3, PB4 AF outputs */
	assert_false(vb_gpio_af_out(vb, VB_PIN(1, 3))); /* JTDO */
	vbt_wr(vb, AFIO_MAPR, 4, 0x02000000);		/* JTAG off, SW-DP on */
	assert_int_equal(vbt_rd(vb, AFIO_MAPR, 4), 0);
	assert_true(vb_gpio_af_out(vb, VB_PIN(1, 3)));
	assert_true(vb_gpio_af_out(vb, VB_PIN(1, 4)));
	assert_false(vb->swd_off);
	vbt_wr(vb, AFIO_MAPR, 4, 0x04000000); /* SWJ off: SWD stops */
	assert_true(vb->swd_off);
	vb_system_reset(vb); /* back at reset */
	assert_false(vb->swd_off);
	vbt_close(vb);
}

/* SPI2 as the Spark Core's loader sets it up: PB13/PB15 AF, PB14 input,
 * PB9 (flash CS) and PB12 (CC3000 CS) outputs high. */
static void spark_spi2(struct vb *vb, uint32_t cr1)
{
	vbt_wr(vb, RCC_APB2ENR, 4, 0x0D);
	vbt_wr(vb, RCC_APB1ENR, 4, 0x4000);
	vbt_wr(vb, GPIOB + 0x10, 4, 0x1200);
	vbt_wr(vb, GPIOB + 0x04, 4, 0xB4B30034);
	vbt_wr(vb, SPI2 + 0x00, 4, cr1);
}

static uint8_t xfer(struct vb *vb, uint32_t spi, uint8_t b)
{
	vbt_wr(vb, spi + 0x0C, 4, b);
	for (int i = 0; !(vbt_rd(vb, spi + 0x08, 4) & 1); i++) {
		if (i > 10000)
			fail_msg("RXNE never set");
		vb_advance(vb, US);
	}
	return (uint8_t)vbt_rd(vb, spi + 0x0C, 4);
}

static void jedec(struct vb *vb, uint32_t spi, int cs_pin, uint8_t id[3])
{
	uint32_t port = cs_pin < 16 ? GPIOA : GPIOB, bit = 1u << (cs_pin % 16);

	vbt_wr(vb, port + 0x14, 4, bit);
	xfer(vb, spi, 0x9F);
	for (int i = 0; i < 3; i++)
		id[i] = xfer(vb, spi, 0);
	vbt_wr(vb, port + 0x10, 4, bit);
}

static void spi_timing_and_flags(void **state)
{
	static const char *const set[] = {"spi_chip=sst25vf016b",
					  "spi_bus=spi2", "spi_cs=PB9",
					  "spi_other_cs=PB12"};
	struct vb *vb = board(set, 4);
	uint64_t t0;

	(void)state;
	/* master, /8 at PCLK1 8 MHz: 1 MHz, 8 us a byte; SSM with SSI */
	spark_spi2(vb, 0x0354);
	vbt_wr(vb, SPI2 + 0x0C, 4, 0x9F);
	t0 = vb->now_ps;
	assert_int_equal(vbt_rd(vb, SPI2 + 0x08, 4), 0x82); /* BSY, TXE */
	vbt_wr(vb, SPI2 + 0x0C, 4, 0x00);
	assert_int_equal(vbt_rd(vb, SPI2 + 0x08, 4), 0x80); /* TX full */
	vb_advance(vb, 8 * US - (vb->now_ps - t0));
	assert_int_equal(vbt_rd(vb, SPI2 + 0x08, 4), 0x83); /* next frame */
	vb_advance(vb, 8 * US);
	/* the second frame found RXNE still set: overrun */
	assert_int_equal(vbt_rd(vb, SPI2 + 0x08, 4), 0x43);
	vbt_rd(vb, SPI2 + 0x0C, 4);
	assert_int_equal(vbt_rd(vb, SPI2 + 0x08, 4), 0x42); /* DR, SR */
	assert_int_equal(vbt_rd(vb, SPI2 + 0x08, 4), 0x02); /* cleared */
	/* SSI low in master mode: a mode fault */
	vbt_wr(vb, SPI2 + 0x00, 4, 0x0254);
	assert_int_equal(vbt_rd(vb, SPI2 + 0x08, 4) & 0x20, 0x20);
	assert_int_equal(vbt_rd(vb, SPI2 + 0x00, 4) & 0x44, 0);
	vbt_close(vb);
}

static void spark_core_wiring(void **state)
{
	static const char *const set[] = {"spi_chip=sst25vf016b",
					  "spi_bus=spi2", "spi_cs=PB9",
					  "spi_other_cs=PB12"};
	struct vb *vb = board(set, 4);
	uint8_t id[3];

	(void)state;
	spark_spi2(vb, 0x0354);
	jedec(vb, SPI2, VB_PIN(1, 9), id);
	assert_int_equal(id[0], 0xBF);
	assert_int_equal(id[1], 0x25);
	assert_int_equal(id[2], 0x41);
	assert_int_equal(vb->st.spi_contention, 0);
	/* the CC3000 selected too: MISO is garbage */
	vbt_wr(vb, GPIOB + 0x14, 4, 0x1000);
	for (int i = 0; i < 4; i++) {
		jedec(vb, SPI2, VB_PIN(1, 9), id);
		if (id[0] != 0xBF || id[1] != 0x25 || id[2] != 0x41)
			break;
	}
	assert_false(id[0] == 0xBF && id[1] == 0x25 && id[2] == 0x41);
	assert_true(vb->st.spi_contention > 0);
	vbt_close(vb);
}

static void dso_quad_spi3_behind_jtag(void **state)
{
	static const char *const set[] = {"spi_chip=m25pe16", "spi_bus=spi3",
					  "spi_cs=PB7", "variant=vc"};
	struct vb *vb = board(set, 4);
	uint8_t id[3];

	(void)state;
	vbt_wr(vb, RCC_APB2ENR, 4, 0x0D);
	vbt_wr(vb, RCC_APB1ENR, 4, 0x8000);
	vbt_wr(vb, GPIOB + 0x10, 4, 0x80);
	vbt_wr(vb, GPIOB + 0x00, 4, 0x34B4B444); /* PB3/5 AF, PB4 in, PB7 */
	vbt_wr(vb, SPI3 + 0x00, 4, 0x0357);	 /* mode 3 */
	jedec(vb, SPI3, VB_PIN(1, 7), id);
	assert_false(id[0] == 0x20); /* PB3 is still JTDO */
	vbt_wr(vb, AFIO_MAPR, 4, 0x02000000);
	jedec(vb, SPI3, VB_PIN(1, 7), id);
	assert_int_equal(id[0], 0x20);
	assert_int_equal(id[1], 0x80);
	assert_int_equal(id[2], 0x15);
	vbt_close(vb);
}

static void usart1_frames(void **state)
{
	struct vb *vb = board(NULL, 0);
	uint8_t b = 0;
	uint64_t t0;

	(void)state;
	vbt_wr(vb, RCC_APB2ENR, 4, 0x4005);
	vbt_wr(vb, GPIOA + 0x04, 4, 0x444448B4); /* PA9 AF, PA10 input */
	vbt_wr(vb, USART1 + 0x08, 4, 0x45);	 /* 8 MHz / 69: 115942 baud */
	vbt_wr(vb, USART1 + 0x0C, 4, 0x340C);	 /* UE, M, PCE, TE, RE: 8E1 */
	assert_int_equal(vb_usart_baud(vb), 8000000 / 69);
	vbt_wr(vb, USART1 + 0x04, 4, 0x79);
	t0 = vb->now_ps;
	assert_int_equal(vbt_rd(vb, USART1, 4) & 0xC0, 0x80); /* TXE, !TC */
	assert_int_equal(vb_usart_tx(vb, &b), 0);
	vb_advance(vb, 94 * US - (vb->now_ps - t0));
	assert_int_equal(vb_usart_tx(vb, &b), 0); /* 94.875 us */
	vb_advance(vb, US);
	assert_int_equal(vb_usart_tx(vb, &b), 1);
	assert_int_equal(b, 0x79);
	assert_int_equal(vbt_rd(vb, USART1, 4) & 0xC0, 0xC0);
	/* two bytes arrive, nobody reads the first: overrun */
	vb_usart_rx(vb, 0x11);
	vb_usart_rx(vb, 0x7F);
	assert_int_equal(vbt_rd(vb, USART1, 4) & 0x20, 0);
	vb_advance(vb, 200 * US);
	assert_int_equal(vbt_rd(vb, USART1, 4) & 0x28, 0x28); /* RXNE, ORE */
	assert_int_equal(vbt_rd(vb, USART1 + 4, 4), 0x011);   /* even parity */
	assert_int_equal(vbt_rd(vb, USART1, 4) & 0x28, 0);
	assert_false(vb_usart_waiting(vb)); /* it may be about to work */
	assert_int_equal(vbt_rd(vb, USART1, 4) & 0x28, 0);
	assert_true(vb_usart_waiting(vb)); /* polled twice for nothing */
	/* a baud change: 16x slower frames */
	vbt_wr(vb, USART1 + 0x08, 4, 0x450);
	vbt_wr(vb, USART1 + 0x04, 4, 0x55);
	vb_advance(vb, 100 * US);
	assert_int_equal(vb_usart_tx(vb, &b), 0);
	vb_advance(vb, 1500 * US);
	assert_int_equal(vb_usart_tx(vb, &b), 1);
	vbt_close(vb);
}

static void systick_counts(void **state)
{
	struct vb *vb = board(NULL, 0);

	(void)state;
	vbt_wr(vb, 0xE000E014, 4, 999);
	vbt_wr(vb, 0xE000E018, 4, 0);
	vbt_wr(vb, 0xE000E010, 4, 5); /* ENABLE, core clock */
	assert_int_equal(vbt_rd(vb, 0xE000E010, 4), 5);
	vb_advance(vb, 126 * US); /* 1000 cycles at 8 MHz: 125 us */
	assert_int_equal(vbt_rd(vb, 0xE000E010, 4), 0x10005);
	assert_int_equal(vbt_rd(vb, 0xE000E010, 4), 5); /* read clears */
	assert_true(vbt_rd(vb, 0xE000E018, 4) <= 999);
	assert_int_equal(vbt_rd(vb, 0xE000E01C, 4), 0x2328);
	vbt_close(vb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rcc_oscillators_and_pll),
		cmocka_unit_test(gpio_bsrr_pulls_and_lock),
		cmocka_unit_test(afio_swj_cfg),
		cmocka_unit_test(spi_timing_and_flags),
		cmocka_unit_test(spark_core_wiring),
		cmocka_unit_test(dso_quad_spi3_behind_jtag),
		cmocka_unit_test(usart1_frames),
		cmocka_unit_test(systick_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
