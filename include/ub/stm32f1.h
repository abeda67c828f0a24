/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_STM32F1_H
#define UB_STM32F1_H

#include <stdint.h>

/* STM32F1 addresses and the flash controller (RM0008 rev 21 §3, §30). */
#define UB_F1_DBGMCU_IDCODE 0xE0042000u
#define UB_F1_FLASH_SIZE    0x1FFFF7E0u /* u16, KB */
#define UB_F1_UID	    0x1FFFF7E8u /* 12 bytes */
#define UB_F1_OPTION	    0x1FFFF800u /* 16 bytes */

#define UB_F1_FPEC    0x40022000u
#define UB_F1_KEYR    0x04u
#define UB_F1_OPTKEYR 0x08u
#define UB_F1_SR      0x0Cu
#define UB_F1_CR      0x10u
#define UB_F1_AR      0x14u
#define UB_F1_OBR     0x1Cu
#define UB_F1_WRPR    0x20u

#define UB_F1_KEY1 0x45670123u
#define UB_F1_KEY2 0xCDEF89ABu

#define UB_F1_SR_BSY	  (1u << 0)
#define UB_F1_SR_PGERR	  (1u << 2)
#define UB_F1_SR_WRPRTERR (1u << 4)
#define UB_F1_SR_EOP	  (1u << 5)

#define UB_F1_CR_PG	(1u << 0)
#define UB_F1_CR_PER	(1u << 1)
#define UB_F1_CR_MER	(1u << 2)
#define UB_F1_CR_OPTPG	(1u << 4)
#define UB_F1_CR_OPTER	(1u << 5)
#define UB_F1_CR_STRT	(1u << 6)
#define UB_F1_CR_LOCK	(1u << 7)
#define UB_F1_CR_OPTWRE (1u << 9)

#define UB_F1_OBR_RDPRT (1u << 1)
#define UB_F1_RDP_OPEN	0xA5

/* Timeouts well past the datasheet's maxima (DS5319: 70 us, 40 ms). */
#define UB_F1_PROG_MS  20
#define UB_F1_ERASE_MS 200

/*
 * RAM of an F1 part, in KB, from its line (DEV_ID) and flash size: the
 * device table gives only the largest part's (an STM32F103VC has 48 KB, the
 * VE 64 KB). 0 when unknown.
 */
unsigned ub_f1_ram_kb(uint16_t dev_id, unsigned flash_kb);

/*
 * The SPI loader's settings for a profile's [spi] section (bus = mcu):
 * peripheral, pins, remap, parked selects, mode, and the prescaler for an
 * SCK of at most hz (0: the SPI's 18 MHz) at the clock the loader sets
 * (PLL on HSI, 64 MHz; src/stm32f1_spi.c). UB_ECONFIG naming the profile's
 * line for what the F1 does not have.
 */
struct ub_spi_conf;
struct ub_ldr_spi_cfg;
int ub_stm32f1_spi_cfg(const struct ub_spi_conf *c, uint32_t hz,
		       struct ub_ldr_spi_cfg *cfg);

#endif
