/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_IMAGE_H
#define UB_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Firmware image files: raw binary, Intel HEX, Motorola S-records and ELF32
 * ARM executables all load into one sorted list of non-overlapping segments.
 */

enum ub_image_format {
	UB_FMT_AUTO = 0, /* decide from the extension, then the contents */
	UB_FMT_BIN,
	UB_FMT_IHEX,
	UB_FMT_SREC,
	UB_FMT_ELF,
};

/* Where a raw binary goes when the user does not say (the STM32 flash). */
#define UB_IMAGE_DEFAULT_BASE 0x08000000u

struct ub_segment {
	uint32_t addr;
	uint32_t size; /* > 0; addr + size never wraps past 4 GiB */
	uint8_t *data;
};

struct ub_image {
	enum ub_image_format format;
	bool has_entry;
	uint32_t entry; /* start address from the file, when it has one */
	struct ub_segment *seg; /* sorted by address, disjoint, not adjacent */
	size_t nseg;
	struct ub_image_build *build; /* private: only while loading */
};

/*
 * Load a file. fmt = UB_FMT_AUTO picks the format; base places a raw binary
 * (other formats carry their own addresses and ignore it). The image must be
 * zero-initialised or freed before. Returns 0 or a negative ub_err, with a
 * message naming the file and the line or offset at fault.
 */
int ub_image_load_file(struct ub_image *img, const char *path,
		       enum ub_image_format fmt, uint32_t base);

/* The same from memory; name is used in messages. */
int ub_image_load_mem(struct ub_image *img, const void *buf, size_t len,
		      enum ub_image_format fmt, uint32_t base,
		      const char *name);

void ub_image_free(struct ub_image *img);

/* Total number of data bytes over all segments. */
uint64_t ub_image_size(const struct ub_image *img);

/* "bin", "ihex", "srec", "elf" (the names --json uses). */
const char *ub_image_format_name(enum ub_image_format fmt);

/* "Intel HEX", "raw binary"... for people. */
const char *ub_image_format_desc(enum ub_image_format fmt);

/* Format from a name as above, or UB_FMT_AUTO when unknown. */
enum ub_image_format ub_image_format_from_name(const char *name);

/* Guess a format: extension first (path may be NULL), then contents. */
enum ub_image_format ub_image_detect(const char *path, const void *buf,
				     size_t len);

/*
 * For the format parsers (src/image_*.c) only.
 *
 * A parser hands each piece of data it finds to ub_image_add() with a
 * location number (a line number, an offset, a program header index) that
 * names the place in messages; ub_image_load_*() then sorts the pieces,
 * rejects overlaps naming both places, and merges touching pieces into
 * segments.
 */
struct ub_image_fmt {
	enum ub_image_format format;
	const char *loc_kind; /* what the location numbers count */
	/* True when the contents look like this format. */
	bool (*sniff)(const uint8_t *buf, size_t len);
	/* Parse; name is for messages. */
	int (*parse)(struct ub_image *img, const uint8_t *buf, size_t len,
		     uint32_t base, const char *name);
};

extern const struct ub_image_fmt ub_image_fmt_bin;
extern const struct ub_image_fmt ub_image_fmt_ihex;
extern const struct ub_image_fmt ub_image_fmt_srec;
extern const struct ub_image_fmt ub_image_fmt_elf;

/*
 * Add len bytes at addr, copied from data, found at location loc. Fails with
 * UB_ERANGE (message naming the file and location) when addr + len passes
 * 4 GiB, UB_ENOMEM when memory runs out. len 0 is accepted and ignored.
 */
int ub_image_add(struct ub_image *img, uint32_t addr, const uint8_t *data,
		 size_t len, unsigned long loc, const char *name);

#endif
