/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_SHA256_H
#define UB_SHA256_H

#include <stddef.h>
#include <stdint.h>

/*
 * SHA-256 (NIST FIPS 180-4, §6.2), for the hashes in backup manifests.
 * Feed any number of pieces with ub_sha256_update, then ub_sha256_final.
 */
#define UB_SHA256_LEN 32

struct ub_sha256 {
	uint32_t h[8];
	uint64_t bytes;	   /* message length so far */
	uint8_t block[64]; /* a partial block */
	size_t fill;	   /* bytes in block */
};

void ub_sha256_init(struct ub_sha256 *c);
void ub_sha256_update(struct ub_sha256 *c, const void *buf, size_t len);
void ub_sha256_final(struct ub_sha256 *c, uint8_t out[UB_SHA256_LEN]);

/* The hash of one buffer. */
void ub_sha256(const void *buf, size_t len, uint8_t out[UB_SHA256_LEN]);

/* As 64 lower-case hex digits and a NUL. */
void ub_sha256_hex(const uint8_t sum[UB_SHA256_LEN], char out[65]);

#endif
