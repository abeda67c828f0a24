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

/*
 * Let the driver load the UART monitor (ub/ldr_uart.h) when a read, CRC or
 * program needs it, and talk to it at up to max_baud (0: as fast as it
 * goes; the ROM's rate: no switch). Off until called. A monitor that will
 * not start is given up on with a warning: the ROM does the work.
 */
void ub_stm32f1_uart_loader(struct ub_target *t, bool on, uint32_t max_baud);

/* The monitor, loaded now if allowed (NULL when it cannot be). */
struct ub_ldru;
struct ub_ldru *ub_stm32f1_uart_monitor(struct ub_target *t);

#endif
