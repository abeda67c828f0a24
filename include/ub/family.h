/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_FAMILY_H
#define UB_FAMILY_H

#include <stdint.h>

/*
 * What a board profile may name as its MCU family, and the fixed addresses
 * that command-line names (flash, option) resolve to. The full device table
 * by DEV_ID comes with the target drivers.
 */
struct ub_family {
	const char *name; /* "stm32f1" */
	const char *desc;
	uint32_t flash_base;
	uint32_t flash_size_reg; /* u16, KiB */
	uint32_t uid_addr;
	uint32_t option_base;
	uint32_t option_size;
	uint32_t ram_base;
	uint32_t bootloader_ram_end; /* the ROM bootloader's RAM ends here */
	const char *source;
};

/* NULL when unknown. */
const struct ub_family *ub_family_find(const char *name);

/* For messages: "stm32f1" (comma-separated list of known names). */
const char *ub_family_names(void);

#endif
