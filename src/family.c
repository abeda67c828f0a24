// SPDX-License-Identifier: GPL-2.0-or-later
/* MCU families a board profile may name. Chip knowledge, as data. */
#include <string.h>

#include "ub/family.h"

static const struct ub_family families[] = {
	{
		.name = "stm32f1",
		.desc = "STM32F1 (Cortex-M3)",
		.flash_base = 0x08000000,
		.flash_size_reg = 0x1FFFF7E0,
		.uid_addr = 0x1FFFF7E8,
		.option_base = 0x1FFFF800,
		.option_size = 16,
		.ram_base = 0x20000000,
		.bootloader_ram_end = 0x20000200,
		.source = "RM0008 rev 21 §3.3, §4, §30.1-30.2; AN2606 §4",
	},
};

const struct ub_family *ub_family_find(const char *name)
{
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (!strcmp(families[i].name, name))
			return &families[i];
	return NULL;
}

const char *ub_family_names(void)
{
	return "stm32f1";
}
