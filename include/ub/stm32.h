/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_STM32_H
#define UB_STM32_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The STM32 device table: what the 12-bit DEV_ID in DBGMCU_IDCODE (or the
 * bootloader's Get ID answer) tells about a chip. One row per DEV_ID, as in
 * the device table of ST's AN2606, with the reference manual each value
 * comes from named in the row's source. Sizes are in bytes and describe the
 * largest part that carries the DEV_ID; the chip's flash-size register says
 * how much a given part has.
 */

/* How a line's flash is split in banks. */
enum ub_stm32_banks {
	UB_STM32_ONE_BANK,   /* one bank */
	UB_STM32_TWO_BANKS,  /* two banks on the largest part, always */
	UB_STM32_BANK_OPTION /* an option bit chooses; the layout given is the
				factory default (see the row's comment) */
};

/*
 * The erase units of the main flash, as offsets from flash_base. Either a
 * uniform page size, or a list of sector sizes from the start of a bank in
 * which the last size repeats to the end of the bank (F2/F4/F7). A second
 * bank starts over at bank2. Smaller parts of a line are a prefix of this.
 */
struct ub_stm32_layout {
	uint32_t page;		 /* uniform erase unit; 0 when sectors */
	const uint32_t *sectors; /* sector sizes; the last one repeats */
	uint8_t nsectors;
	uint32_t bank2; /* offset of bank 2; 0 when one bank */
	enum ub_stm32_banks banks;
};

/* Which of a row's values are not confirmed by two sources (see comments). */
enum {
	UB_STM32_UNSURE_RAM = 1 << 0,	   /* ram_size */
	UB_STM32_UNSURE_BOOT_RAM = 1 << 1, /* boot_ram_end (0: unknown) */
	UB_STM32_UNSURE_PINS = 1 << 2,	   /* usart1 (NULL: unknown) */
	UB_STM32_UNSURE_LAYOUT = 1 << 3,   /* layout */
	UB_STM32_UNSURE_ADDR = 1 << 4,	   /* flash_size_reg or idcode_addr */
};

struct ub_stm32_dev {
	uint16_t dev_id;	 /* DBGMCU_IDCODE[11:0] */
	const char *name;	 /* "STM32F10xxx medium-density" */
	const char *family;	 /* "stm32f1": a family driver's name */
	uint32_t flash_base;	 /* 0x08000000 */
	uint32_t flash_max;	 /* main flash of the largest part */
	uint32_t flash_size_reg; /* u16, KiB of flash on this part */
	uint32_t idcode_addr;	 /* DBGMCU_IDCODE */
	struct ub_stm32_layout layout;
	uint32_t ram_base; /* 0x20000000 */
	uint32_t ram_size; /* SRAM from ram_base on the largest part */
	/*
	 * The ROM bootloader uses RAM from ram_base up to here; code loaded
	 * over the bootloader goes at or above it. 0 when not known.
	 */
	uint32_t boot_ram_end;
	const char *usart1; /* bootloader USART1 pins, "TX/RX"; NULL unknown */
	bool can_program;   /* unbrick has a driver that programs it */
	unsigned unsure;    /* UB_STM32_UNSURE_* */
	const char *source; /* the documents the row comes from */
};

/* The row for a DEV_ID (bits above 11 are ignored), or NULL. */
const struct ub_stm32_dev *ub_stm32_by_id(uint16_t dev_id);

/* The whole table, for listings and tests. */
const struct ub_stm32_dev *ub_stm32_devices(size_t *count);

/*
 * The erase unit (page or sector) holding flash offset `offset` (from
 * flash_base): its start offset and size. UB_ERANGE past flash_max.
 */
int ub_stm32_page_of(const struct ub_stm32_dev *d, uint32_t offset,
		     uint32_t *start, uint32_t *size);

/* The size of the erase unit holding `offset`, or 0 past flash_max. */
uint32_t ub_stm32_page_size(const struct ub_stm32_dev *d, uint32_t offset);

/*
 * 0 when unbrick can program the chip, else UB_EUNSUPPORTED with a message
 * naming it ("STM32F4 (STM32F40xxx/41xxx, DEV_ID 0x413) is not supported
 * yet: unbrick programs STM32F1 only").
 */
int ub_stm32_check_supported(const struct ub_stm32_dev *d);

/* The silicon revision for a REV_ID (DBGMCU_IDCODE[31:16]), or NULL. */
const char *ub_stm32_rev_name(const struct ub_stm32_dev *d, uint16_t rev_id);

#endif
