/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_OPS_H
#define UB_OPS_H

#include <stddef.h>
#include <stdint.h>

#include "ub/image.h"
#include "ub/target.h"

/*
 * Operations written once against the target interface: they plan the
 * erase (only the pages an image touches, keeping what it does not cover on
 * them), skip pages that already hold the right bytes, program without an
 * erase where only 1 bits turn to 0 on blank halfwords, and verify.
 */
struct ub_write_stats {
	uint32_t pages_touched, pages_unchanged, pages_erased;
	uint64_t bytes_programmed;
	uint32_t retries; /* pages done again after a wire fault */
};

/* Refuse, before touching the chip, an image that does not fit the flash
 * or that protection stands in the way of. */
int ub_op_check_image(const struct ub_target *t, const struct ub_image *img);

int ub_op_write_image(struct ub_target *t, const struct ub_image *img,
		      struct ub_write_stats *st);

/* Compare every segment with the chip; UB_EVERIFY names the first
 * difference. */
int ub_op_verify_image(struct ub_target *t, const struct ub_image *img);

/* Erase the pages covering [addr, addr + len). */
int ub_op_erase(struct ub_target *t, uint32_t addr, uint32_t len);

int ub_op_read(struct ub_target *t, uint32_t addr, void *buf, size_t len);

#endif
