/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_TARGET_H
#define UB_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ub/cortexm.h"
#include "ub/progress.h"

struct ub_spi_bus;
struct ub_spi_conf;

/*
 * A chip family driver over a link (stm32f1 over SWD now; over the UART
 * bootloader next). The generic operations (ops.c) plan erases, keep what
 * an image does not cover, skip blank data and verify; drivers see aligned
 * whole pages and halfwords only.
 */
enum ub_protect {
	UB_PROTECT_WRP = 1, /* write protection of flash pages */
	UB_PROTECT_RDP = 2, /* readout protection (removing it erases all) */
};

struct ub_target_info {
	char name[48]; /* "STM32F103 medium density" */
	uint16_t dev_id, rev_id;
	uint32_t flash_base, flash_size, page_size;
	uint32_t ram_base, ram_size;
	uint32_t option_base;
	uint8_t option[16]; /* the option bytes as stored */
	uint8_t uid[12];
	bool rdp;	    /* readout protection active (as loaded) */
	uint32_t wrp;	    /* FLASH_WRPR: a 0 bit protects its pages */
	uint32_t wrp_pages; /* pages per WRP bit */
};

struct ub_target;

struct ub_target_ops {
	int (*probe)(struct ub_target *t);
	int (*read)(struct ub_target *t, uint32_t addr, void *buf, size_t len);
	/* Erase whole pages from addr (page-aligned), len a page multiple. */
	int (*erase)(struct ub_target *t, uint32_t addr, size_t len);
	int (*mass_erase)(struct ub_target *t);
	/* Program erased flash; addr and len even. Halfwords 0xFFFF are
	 * skipped by the driver. */
	int (*program)(struct ub_target *t, uint32_t addr, const void *buf,
		       size_t len);
	/* Remove protection (UB_PROTECT_*); the chip resets afterwards. */
	int (*unprotect)(struct ub_target *t, unsigned what);
	/* Write-protect the pages of [addr, addr + len) (UB_PROTECT_WRP), or
	 * turn readout protection on (UB_PROTECT_RDP); the chip resets. */
	int (*protect)(struct ub_target *t, unsigned what, uint32_t addr,
		       uint32_t len);
	int (*reset)(struct ub_target *t, enum ub_reset how);
	void (*close)(struct ub_target *t);
	/* Optional: the CRC-32 (ub_crc32) of each block of [addr, addr +
	 * len) into crc[] (the last block may be short), computed on the
	 * target; UB_EUNSUPPORTED when reading the range would cost less, or
	 * it cannot be done there: the caller then reads. */
	int (*crc32)(struct ub_target *t, uint32_t addr, uint32_t len,
		     uint32_t block, uint32_t *crc);
	/* Optional: the companion SPI flash through the MCU's SPI
	 * peripheral, wired as the profile's [spi] section says (a loader
	 * on the target does the work); hz is the SCK rate wanted (0: the
	 * fastest the chip allows). NULL with *err when it cannot. */
	struct ub_spi_bus *(*spi_open)(struct ub_target *t,
				       const struct ub_spi_conf *c, uint32_t hz,
				       int *err);
};

struct ub_target {
	const struct ub_target_ops *ops;
	struct ub_target_info info;
	struct ub_progress *progress;
};

/* Is the page holding addr write-protected? */
bool ub_target_page_protected(const struct ub_target *t, uint32_t addr);

/* The STM32F1 over an SWD connection (src/stm32f1_swd.c). */
struct ub_target *ub_stm32f1_swd(struct ub_cm *cm, int *err);

#endif
