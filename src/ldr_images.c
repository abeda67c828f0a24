// SPDX-License-Identifier: GPL-2.0-or-later
/* The loaders the product carries: bytes made by 'make loaders'. */
#include "ub/ldr_uart.h"
#include "ub/loader.h"

#include "loader/crc32_bin.h"
#include "loader/flash_f1_bin.h"
#include "loader/spi_f1_bin.h"
#include "loader/uart_f1_bin.h"

const struct ub_ldr_image ub_ldr_flash_f1 = {
	.name = "flash",
	.code = ub_ldr_flash_f1_code,
	.size = UB_LDR_FLASH_F1_SIZE,
	.entry = UB_LDR_FLASH_F1_ENTRY,
};

const struct ub_ldr_image ub_ldr_crc32 = {
	.name = "CRC-32",
	.code = ub_ldr_crc32_code,
	.size = UB_LDR_CRC32_SIZE,
	.entry = UB_LDR_CRC32_ENTRY,
};

const struct ub_ldr_image ub_ldr_spi_f1 = {
	.name = "SPI flash",
	.code = ub_ldr_spi_f1_code,
	.size = UB_LDR_SPI_F1_SIZE,
	.entry = UB_LDR_SPI_F1_ENTRY,
};

const struct ub_ldr_image ub_ldr_uart_f1 = {
	.name = "UART monitor",
	.code = ub_ldr_uart_f1_code,
	.size = UB_LDR_UART_F1_SIZE,
	.entry = UB_LDR_UART_F1_ENTRY,
};
