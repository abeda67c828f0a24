/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_GPIO_MMIO_H
#define UB_GPIO_MMIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ub/gpio.h"

/*
 * Memory-mapped GPIO (src/gpio_mmio*.c): the SoC's GPIO registers, mapped
 * from /dev/gpiomem (BCM2835/6/7/2711) or /dev/gpiomem0 (the Pi 5's RP1),
 * drive the fast lines (SWD, the SPI clip) while a libgpiod session holds
 * every line for the kernel and drives the slow ones (NRST, BOOT0,
 * buttons). Registers are reached through one accessor pair only, so that
 * tests can put a model of each register block behind it.
 */
struct ub_mmio {
	uint32_t (*read32)(void *ctx, uint32_t off);
	void (*write32)(void *ctx, uint32_t off, uint32_t val);
	void *ctx;
};

enum ub_mmio_pull { UB_MMIO_PULL_NONE, UB_MMIO_PULL_UP, UB_MMIO_PULL_DOWN };

/* One SoC's GPIO block: where it is and how its registers work. */
struct ub_mmio_soc {
	const char *name; /* "bcm2835", "bcm2711", "rp1" */
	const char *dev;  /* the node to map: "/dev/gpiomem" */
	size_t map_len;	  /* bytes to map from offset 0 */
	unsigned nlines;  /* lines this backend drives (54, or 28 on RP1) */
	/* Make line n a GPIO, output or input (function select). */
	void (*func)(const struct ub_mmio *m, unsigned n, bool output);
	void (*pull)(const struct ub_mmio *m, unsigned n, enum ub_mmio_pull p);
	/* Drive the lines in set high and those in clr low (bit n: line n):
	 * no other line is touched. */
	void (*write)(const struct ub_mmio *m, uint64_t set, uint64_t clr);
	/* The levels of every line (bit n: line n). */
	uint64_t (*read)(const struct ub_mmio *m);
};

extern const struct ub_mmio_soc ub_mmio_bcm2835; /* Pi 1, 2, 3, Zero */
extern const struct ub_mmio_soc ub_mmio_bcm2711; /* Pi 4, 400, CM4 */
extern const struct ub_mmio_soc ub_mmio_rp1;	 /* Pi 5, 500, CM5 */

/* The SoC a device-tree compatible list names (NUL-separated strings, as
 * /proc/device-tree/compatible holds them), or NULL. */
const struct ub_mmio_soc *ub_mmio_soc_of(const char *compat, size_t len);
/* This machine's, from /proc/device-tree/compatible, or NULL; model gets
 * its first compatible string ("raspberrypi,4-model-b") when not NULL. */
const struct ub_mmio_soc *ub_mmio_detect(char *model, size_t len);

/* The SWCLK rate mmio runs at when -s is not given. */
#define UB_MMIO_DEFAULT_HZ 1000000u

/*
 * The lines in fast (UB_BIT() of roles, from req) of base driven through
 * the registers m of soc; the rest, and the release at close, stay with
 * base, which the new wire owns and closes. NULL and *err (base closed)
 * when a fast line is beyond what soc drives.
 */
struct ub_gpio *ub_gpio_mmio_wrap(struct ub_gpio *base,
				  const struct ub_mmio_soc *soc,
				  const struct ub_mmio *m,
				  const struct ub_gpio_req *req, unsigned n,
				  unsigned fast, int *err);

/*
 * The same over this machine's own registers: the SoC detected, its node
 * mapped. NULL and *err (base left open) when there is no known SoC or the
 * node does not open; base is then still the caller's.
 */
struct ub_gpio *ub_gpio_open_mmio(struct ub_gpio *base,
				  const struct ub_gpio_req *req, unsigned n,
				  unsigned fast, int *err);

#endif
