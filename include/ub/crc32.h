/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_CRC32_H
#define UB_CRC32_H

#include <stddef.h>
#include <stdint.h>

/*
 * The standard CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zlib's
 * crc32()). Start with crc = 0 and feed the result back in to continue.
 */
uint32_t ub_crc32(uint32_t crc, const void *buf, size_t len);

#endif
