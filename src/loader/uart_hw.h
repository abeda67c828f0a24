/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_LDR_UART_HW_H
#define UB_LDR_UART_HW_H

/*
 * USART1 and the core's clock as the UART monitor (uart_mon.h) and its
 * first stage (uart_boot_f1.c) both set them, so that the monitor finds
 * them as the stage left them. RM0008 rev 21: USART §27.6, GPIO §9.2, RCC
 * §7.3 (the clock itself: ub/ldr_uart.h).
 */
#include <stdint.h>

#define REG(a) (*(volatile uint32_t *)(a))

#define GPIOA_CRH  REG(0x40010804u)
#define GPIOA_BSRR REG(0x40010810u)

#define USART1 0x40013800u
#define U_SR   0
#define U_DR   1
#define U_BRR  2
#define U_CR1  3
#define U_CR2  4
#define U_CR3  5

#define SR_ORE	(1u << 3)
#define SR_RXNE (1u << 5)
#define SR_TC	(1u << 6)
#define SR_TXE	(1u << 7)
/* UE, M (9 bits: 8 and parity), PCE (even), TE, RE: 8E1 as the ROM */
#define CR1_8E1 (1u << 13 | 1u << 12 | 1u << 10 | 1u << 3 | 1u << 2)

#define APB2_AFIO   (1u << 0)
#define APB2_IOPA   (1u << 2)
#define APB2_USART1 (1u << 14)

/* PA9 TX alternate-function push-pull 50 MHz, PA10 RX input with pull
 * (up: BSRR bit 10) */
#define GPIOA_CRH_MASK 0xFF0u
#define GPIOA_CRH_UART 0x8B0u

/* HSI/2 x 16 = 64 MHz (PLLMUL 14), APB1 / 2, SYSCLK from the PLL */
#define MON_CFGR    (0xEu << 18 | 4u << 8 | 2u)
#define MON_LATENCY 2u

#endif
