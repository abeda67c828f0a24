/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_STM32F1_UART_H
#define UB_STM32F1_UART_H

#include "ub/an3155.h"
#include "ub/target.h"
#include "ub/uart_lines.h"

/*
 * The STM32F1 over its ROM bootloader (src/stm32f1_uart.c), synced on bl;
 * lines (may be NULL) restart it into its application. Identification from
 * Get ID; flash size, UID and option bytes read from the chip unless
 * readout protection forbids it (then rdp is set and they are unknown).
 */
struct ub_target *ub_stm32f1_uart(struct ub_an3155 *bl,
				  struct ub_uart_lines *lines, int *err);

#endif
