// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A Cortex-M3 program for the virtual board (tests/test_vb_jedec_loader.c):
 * written to RAM over the ROM bootloader and started with Go, it wires
 * SPI2 as the Spark Core does (PB13 SCK, PB14 MISO, PB15 MOSI, CS# PB9,
 * the CC3000's CS# PB12 held high, its enable PB8 low), reads the SPI
 * flash's JEDEC ID (0x9F) and prints "JEDEC XXXXXX\r\n" on USART1 (PA9,
 * 115200 8E1 from the 8 MHz HSI: the bootloader's framing), then sleeps.
 */
#include <stdint.h>

#define REG(a) (*(volatile uint32_t *)(a))

#define RCC_APB2ENR REG(0x40021018)
#define RCC_APB1ENR REG(0x4002101C)

#define GPIOA	     0x40010800
#define GPIOB	     0x40010C00
#define GPIO_CRH(p)  REG((p) + 0x04)
#define GPIO_BSRR(p) REG((p) + 0x10)
#define GPIO_BRR(p)  REG((p) + 0x14)

#define SPI2_CR1 REG(0x40003800)
#define SPI2_SR	 REG(0x40003808)
#define SPI2_DR	 REG(0x4000380C)

#define USART1_SR  REG(0x40013800)
#define USART1_DR  REG(0x40013804)
#define USART1_BRR REG(0x40013808)
#define USART1_CR1 REG(0x4001380C)

/* CNF/MODE nibbles (RM0008 9.2.2) */
#define OUT_PP 0x3u /* general-purpose push-pull, 50 MHz */
#define AF_PP  0xBu /* alternate-function push-pull, 50 MHz */
#define IN_FLT 0x4u /* floating input */

extern uint32_t _estack;
void jedec_main(void);

__attribute__((section(".vectors"), used)) static const uint32_t vectors[2] = {
	(uint32_t)&_estack,
	(uint32_t)&jedec_main,
};

static void crh(uint32_t port, unsigned pin, uint32_t cfg)
{
	unsigned sh = (pin - 8) * 4;

	GPIO_CRH(port) = (GPIO_CRH(port) & ~(0xFu << sh)) | cfg << sh;
}

static uint8_t spi_xfer(uint8_t b)
{
	while (!(SPI2_SR & 2)) /* TXE */
		;
	SPI2_DR = b;
	while (!(SPI2_SR & 1)) /* RXNE */
		;
	return (uint8_t)SPI2_DR;
}

static void putc1(char c)
{
	while (!(USART1_SR & (1u << 7))) /* TXE */
		;
	USART1_DR = (uint8_t)c;
}

static void puthex(uint8_t b)
{
	putc1("0123456789ABCDEF"[b >> 4]);
	putc1("0123456789ABCDEF"[b & 15]);
}

void jedec_main(void)
{
	uint8_t id[3];

	/* AFIO, GPIOA, GPIOB, USART1 on APB2; SPI2 on APB1 */
	RCC_APB2ENR |= 1u << 0 | 1u << 2 | 1u << 3 | 1u << 14;
	RCC_APB1ENR |= 1u << 14;

	/* CS# lines high and the CC3000 off before they become outputs */
	GPIO_BSRR(GPIOB) = 1u << 9 | 1u << 12 | 1u << (16 + 8);
	crh(GPIOB, 8, OUT_PP);
	crh(GPIOB, 9, OUT_PP);
	crh(GPIOB, 12, OUT_PP);
	crh(GPIOB, 13, AF_PP);
	crh(GPIOB, 14, IN_FLT);
	crh(GPIOB, 15, AF_PP);
	crh(GPIOA, 9, AF_PP);

	/* 115200 baud from 8 MHz (69.44), 9 bits with even parity, TX on */
	USART1_BRR = 69;
	USART1_CR1 = 1u << 13 | 1u << 12 | 1u << 10 | 1u << 3;

	/* master, mode 0, MSB first, PCLK1 / 4, software NSS high */
	SPI2_CR1 = 1u << 9 | 1u << 8 | 1u << 2 | 1u << 3;
	SPI2_CR1 |= 1u << 6;

	GPIO_BRR(GPIOB) = 1u << 9;
	spi_xfer(0x9F);
	for (int i = 0; i < 3; i++)
		id[i] = spi_xfer(0);
	GPIO_BSRR(GPIOB) = 1u << 9;

	putc1('J');
	putc1('E');
	putc1('D');
	putc1('E');
	putc1('C');
	putc1(' ');
	for (int i = 0; i < 3; i++)
		puthex(id[i]);
	putc1('\r');
	putc1('\n');
	while (!(USART1_SR & (1u << 6))) /* TC */
		;
	for (;;)
		__asm__ volatile("wfi");
}
