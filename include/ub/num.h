/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_NUM_H
#define UB_NUM_H

#include <stdint.h>

/*
 * Numbers as people write them on a command line or in a profile. All return
 * 0 or UB_EINVAL, leaving no message: the caller knows what the number was
 * for and says so.
 */

/* 0x08005000, 4096, 0b101, 0755-style octal is NOT taken (decimal). */
int ub_parse_u32(const char *s, uint32_t *v);

/* A size: a number with an optional K/KB/KiB or M/MB/MiB suffix (x1024). */
int ub_parse_size(const char *s, uint32_t *v);

/* A frequency: 1000000, 1M, 1MHz, 400k, 400kHz. */
int ub_parse_hz(const char *s, uint32_t *v);

/* A duration in milliseconds: 10ms, 1s, 1.5s, 250 (ms), 500us (rounded up). */
int ub_parse_ms(const char *s, uint32_t *ms);

#endif
