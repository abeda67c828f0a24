/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IMAGE_TEST_UTIL_H
#define IMAGE_TEST_UTIL_H

/*
 * Helpers for the image loader tests (tests/test_image*.c): HEX and
 * S-record text built record by record, a small ELF, and checks on the
 * loaded segments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "ub/crc32.h"
#include "ub/err.h"
#include "ub/image.h"

/* --- helpers --- */

/* Text of a test file, built record by record. */
struct text {
	char s[16384];
	size_t n;
};

static inline void put(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline void put(struct text *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	t->n += vsnprintf(t->s + t->n, sizeof(t->s) - t->n, fmt, ap);
	va_end(ap);
	assert_true(t->n < sizeof(t->s));
}

/* One Intel HEX record with a correct checksum, then a newline. */
static inline void ihex(struct text *t, unsigned type, unsigned off,
			const void *data, size_t n)
{
	const uint8_t *d = data;
	uint8_t sum = n + (off >> 8) + off + type;

	put(t, ":%02X%04X%02X", (unsigned)n, off & 0xffff, type);
	for (size_t i = 0; i < n; i++) {
		put(t, "%02X", d[i]);
		sum += d[i];
	}
	put(t, "%02X\n", (uint8_t)-sum);
}

static inline void ihex_eof(struct text *t)
{
	put(t, ":00000001FF\n");
}

/* An extended linear (04) or segment (02) address record. */
static inline void ihex_ext(struct text *t, unsigned type, unsigned v)
{
	uint8_t b[2] = {v >> 8, v};

	ihex(t, type, 0, b, 2);
}

/* One S-record of type (0-9) with a correct checksum, then a newline. */
static inline void srec(struct text *t, unsigned type, uint32_t addr,
			const void *data, size_t n)
{
	static const unsigned alen[10] = {2, 2, 3, 4, 0, 2, 3, 4, 3, 2};
	const uint8_t *d = data;
	uint8_t sum = n + alen[type] + 1;

	put(t, "S%u%02X", type, (unsigned)(n + alen[type] + 1));
	for (unsigned i = alen[type]; i--;) {
		put(t, "%02X", (addr >> (8 * i)) & 0xff);
		sum += addr >> (8 * i);
	}
	for (size_t i = 0; i < n; i++) {
		put(t, "%02X", d[i]);
		sum += d[i];
	}
	put(t, "%02X\n", (uint8_t)~sum);
}

static const uint8_t seq[256] = {
#define R4(i)  (i), (i) + 1, (i) + 2, (i) + 3
#define R16(i) R4(i), R4((i) + 4), R4((i) + 8), R4((i) + 12)
#define R64(i) R16(i), R16((i) + 16), R16((i) + 32), R16((i) + 48)
	R64(0), R64(64), R64(128), R64(192)};

static inline int load(struct ub_image *img, const void *buf, size_t len,
		       enum ub_image_format fmt, const char *name)
{
	ub_clear_error();
	return ub_image_load_mem(img, buf, len, fmt, UB_IMAGE_DEFAULT_BASE,
				 name);
}

static inline int load_text(struct ub_image *img, const struct text *t,
			    enum ub_image_format fmt)
{
	return load(img, t->s, t->n, fmt,
		    fmt == UB_FMT_SREC ? "t.srec" : "t.hex");
}

/* Expect error code want and a message holding every string given. */
#define expect_err(rc, want, ...) \
	check_err(__FILE__, __LINE__, rc, want, __VA_ARGS__, (char *)NULL)
static inline void check_err(const char *file, int line, int rc, int want, ...)
{
	const char *msg = ub_errmsg(rc), *s;
	va_list ap;

	if (rc != want) {
		print_error("%s:%d: returned %d, wanted %d (%s)\n", file, line,
			    rc, want, msg);
		fail();
	}
	va_start(ap, want);
	while ((s = va_arg(ap, const char *)))
		if (!strstr(msg, s)) {
			print_error("%s:%d: message \"%s\" lacks \"%s\"\n",
				    file, line, msg, s);
			fail();
		}
	va_end(ap);
}

/* One segment at addr holding n bytes of data. */
static inline void expect_seg(const struct ub_image *img, size_t i,
			      uint32_t addr, const void *data, size_t n)
{
	assert_true(i < img->nseg);
	assert_int_equal(img->seg[i].addr, addr);
	assert_int_equal(img->seg[i].size, n);
	assert_memory_equal(img->seg[i].data, data, n);
}

/* --- ELF --- */

struct ph {
	uint32_t type, off, vaddr, paddr, filesz, memsz;
};

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

#define PAYLOAD	   64
#define NPH	   4
#define PHOFF	   52
#define DATA_OFF   (PHOFF + NPH * 32)
#define ELF_LEN	   (DATA_OFF + PAYLOAD)
#define LOADED_END (DATA_OFF + 48) /* phdr 2 is a note, not loaded */

/*
 * A Cortex-M executable: .text at 0x08000000, .data running at 0x20000000
 * but stored right after it, some .bss, a note and an empty PT_LOAD.
 */
static inline void make_elf(uint8_t *b)
{
	static const struct ph ph[NPH] = {
		{1, 0, 0x08000000, 0x08000000, 32, 32},
		{1, 32, 0x20000000, 0x08000020, 16, 0x100},
		{4, 48, 0, 0, 16, 16},
		{1, 0, 0x20000100, 0x20000100, 0, 0x400},
	};

	memset(b, 0, ELF_LEN);
	memcpy(b, "\177ELF\1\1\1", 7);
	put16(b + 16, 2);	   /* ET_EXEC */
	put16(b + 18, 40);	   /* EM_ARM */
	put32(b + 20, 1);	   /* EV_CURRENT */
	put32(b + 24, 0x08000009); /* entry */
	put32(b + 28, PHOFF);
	put16(b + 40, 52);
	put16(b + 42, 32);
	put16(b + 44, NPH);
	for (int i = 0; i < NPH; i++) {
		uint8_t *p = b + PHOFF + 32 * i;

		put32(p, ph[i].type);
		put32(p + 4, ph[i].off + (ph[i].filesz ? DATA_OFF : 0));
		put32(p + 8, ph[i].vaddr);
		put32(p + 12, ph[i].paddr);
		put32(p + 16, ph[i].filesz);
		put32(p + 20, ph[i].memsz);
	}
	memcpy(b + DATA_OFF, seq + 100, PAYLOAD);
}

#endif /* IMAGE_TEST_UTIL_H */
