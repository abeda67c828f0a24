// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * STM32F1 RAM by line and flash size, from the datasheets' device overview
 * tables: DS5177 (low density), DS5319 (medium), DS5792 (high), DS6014
 * (XL), DS6016 (connectivity), DS6651 and DS6656 (value lines).
 */
#include <stddef.h>

#include "ub/stm32f1.h"

static const struct {
	uint16_t dev_id, flash_kb, ram_kb; /* up to flash_kb: ram_kb */
} ram[] = {
	{0x412, 16, 6},	  {0x412, 32, 10},   {0x410, 128, 20}, {0x414, 256, 48},
	{0x414, 512, 64}, {0x430, 1024, 96}, {0x418, 256, 64}, {0x420, 32, 4},
	{0x420, 128, 8},  {0x428, 256, 24},  {0x428, 512, 32},
};

unsigned ub_f1_ram_kb(uint16_t dev_id, unsigned flash_kb)
{
	unsigned kb = 0;

	for (size_t i = 0; i < sizeof(ram) / sizeof(ram[0]); i++) {
		if (ram[i].dev_id != dev_id)
			continue;
		kb = ram[i].ram_kb;
		if (flash_kb <= ram[i].flash_kb)
			break;
	}
	return kb;
}
