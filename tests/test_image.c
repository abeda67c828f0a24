// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Image loaders: raw binary, Intel HEX, S-records and ELF, good and bad
 * inputs made here, format detection, CRC-32, and a cross-check against GNU
 * binutils on the same firmware in all four formats (build/samples/).
 */
#define _GNU_SOURCE /* memmem */
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

static void put(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	t->n += vsnprintf(t->s + t->n, sizeof(t->s) - t->n, fmt, ap);
	va_end(ap);
	assert_true(t->n < sizeof(t->s));
}

/* One Intel HEX record with a correct checksum, then a newline. */
static void ihex(struct text *t, unsigned type, unsigned off, const void *data,
		 size_t n)
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

static void ihex_eof(struct text *t)
{
	put(t, ":00000001FF\n");
}

/* An extended linear (04) or segment (02) address record. */
static void ihex_ext(struct text *t, unsigned type, unsigned v)
{
	uint8_t b[2] = {v >> 8, v};

	ihex(t, type, 0, b, 2);
}

/* One S-record of type (0-9) with a correct checksum, then a newline. */
static void srec(struct text *t, unsigned type, uint32_t addr, const void *data,
		 size_t n)
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

static int load(struct ub_image *img, const void *buf, size_t len,
		enum ub_image_format fmt, const char *name)
{
	ub_clear_error();
	return ub_image_load_mem(img, buf, len, fmt, UB_IMAGE_DEFAULT_BASE,
				 name);
}

static int load_text(struct ub_image *img, const struct text *t,
		     enum ub_image_format fmt)
{
	return load(img, t->s, t->n, fmt,
		    fmt == UB_FMT_SREC ? "t.srec" : "t.hex");
}

/* Expect error code want and a message holding every string given. */
#define expect_err(rc, want, ...) \
	check_err(__FILE__, __LINE__, rc, want, __VA_ARGS__, (char *)NULL)
static void check_err(const char *file, int line, int rc, int want, ...)
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
static void expect_seg(const struct ub_image *img, size_t i, uint32_t addr,
		       const void *data, size_t n)
{
	assert_true(i < img->nseg);
	assert_int_equal(img->seg[i].addr, addr);
	assert_int_equal(img->seg[i].size, n);
	assert_memory_equal(img->seg[i].data, data, n);
}

/* --- raw binary --- */

static void bin_at_base(void **state)
{
	struct ub_image img;

	(void)state;
	assert_int_equal(load(&img, seq, 100, UB_FMT_BIN, "fw.bin"), 0);
	assert_int_equal(img.format, UB_FMT_BIN);
	assert_int_equal(img.nseg, 1);
	expect_seg(&img, 0, UB_IMAGE_DEFAULT_BASE, seq, 100);
	assert_false(img.has_entry);
	assert_int_equal(ub_image_size(&img), 100);
	ub_image_free(&img);

	assert_int_equal(ub_image_load_mem(&img, seq, 256, UB_FMT_BIN,
					   0x20001000, "fw.bin"),
			 0);
	expect_seg(&img, 0, 0x20001000, seq, 256);
	ub_image_free(&img);

	/* Up to the very last byte of the address space is fine. */
	assert_int_equal(ub_image_load_mem(&img, seq, 16, UB_FMT_BIN,
					   0xFFFFFFF0, "fw.bin"),
			 0);
	expect_seg(&img, 0, 0xFFFFFFF0, seq, 16);
	ub_image_free(&img);
}

static void bin_past_4g(void **state)
{
	struct ub_image img;
	int rc;

	(void)state;
	rc = ub_image_load_mem(&img, seq, 17, UB_FMT_BIN, 0xFFFFFFF0, "fw.bin");
	expect_err(rc, UB_ERANGE, "fw.bin", "0xFFFFFFF0", "base address");
	assert_int_equal(img.nseg, 0);
}

static void bin_empty(void **state)
{
	struct ub_image img;

	(void)state;
	expect_err(load(&img, "", 0, UB_FMT_BIN, "e.bin"), UB_EFORMAT, "e.bin",
		   "empty");
}

/* --- Intel HEX --- */

static void ihex_simple(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	ihex(&t, 0, 0x0100, seq, 16);
	ihex(&t, 0, 0x0110, seq + 16, 16);
	ihex(&t, 0, 0x0200, seq, 4);
	ihex_eof(&t);
	assert_int_equal(load_text(&img, &t, UB_FMT_IHEX), 0);
	assert_int_equal(img.format, UB_FMT_IHEX);
	assert_int_equal(img.nseg, 2);
	expect_seg(&img, 0, 0x100, seq, 32);
	expect_seg(&img, 1, 0x200, seq, 4);
	assert_false(img.has_entry);
	ub_image_free(&img);
}

/* Lowercase, CRLF, a BOM, blank lines, blanks around records. */
static void ihex_lenient_text(void **state)
{
	static const char f[] = "\xEF\xBB\xBF\r\n"
				":0400100001020304e2\r\n"
				"\r\n"
				"   \t\n"
				":0400140005060708ce  \r\n"
				":00000001ff\r\n"
				"\r\n  \n";
	static const uint8_t want[] = {1, 2, 3, 4, 5, 6, 7, 8};
	struct ub_image img;

	(void)state;
	assert_int_equal(load(&img, f, sizeof(f) - 1, UB_FMT_IHEX, "a.hex"), 0);
	assert_int_equal(img.nseg, 1);
	expect_seg(&img, 0, 0x10, want, 8);
	ub_image_free(&img);

	/* No newline at all after the end-of-file record. */
	assert_int_equal(load(&img, ":0100000055AA\n:00000001FF", 25,
			      UB_FMT_IHEX, "b.hex"),
			 0);
	expect_seg(&img, 0, 0, "\x55", 1);
	ub_image_free(&img);
}

/* Type 04 records: one run of data over 0x0800FFF0-0x0801000F. */
static void ihex_cross_64k(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	ihex_ext(&t, 4, 0x0800);
	ihex(&t, 0, 0xFFF0, seq, 16);
	ihex_ext(&t, 4, 0x0801);
	ihex(&t, 0, 0x0000, seq + 16, 16);
	ihex(&t, 0, 0x0100, seq, 2);
	ihex(&t, 5, 0, "\x08\x00\x01\x41", 4);
	ihex_eof(&t);
	assert_int_equal(load_text(&img, &t, UB_FMT_IHEX), 0);
	assert_int_equal(img.nseg, 2);
	expect_seg(&img, 0, 0x0800FFF0, seq, 32);
	expect_seg(&img, 1, 0x08010100, seq, 2);
	assert_true(img.has_entry);
	assert_int_equal(img.entry, 0x08000141);
	ub_image_free(&img);
}

/* With a linear address one record may run on past the 64 KB boundary. */
static void ihex_linear_no_wrap(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	ihex_ext(&t, 4, 0x0800);
	ihex(&t, 0, 0xFFF8, seq, 16);
	ihex_eof(&t);
	assert_int_equal(load_text(&img, &t, UB_FMT_IHEX), 0);
	assert_int_equal(img.nseg, 1);
	expect_seg(&img, 0, 0x0800FFF8, seq, 16);
	ub_image_free(&img);
}

/* Type 02: address = segment * 16 + offset, wrapping inside 64 KB. */
static void ihex_segment(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	ihex_ext(&t, 2, 0x1000);
	ihex(&t, 0, 0x0010, seq, 16);
	ihex(&t, 0, 0xFFF8, seq + 100, 16);
	ihex_ext(&t, 2, 0x2345);
	ihex(&t, 0, 0x0001, seq + 50, 3);
	ihex(&t, 3, 0, "\x12\x34\x56\x78", 4);
	ihex_eof(&t);
	assert_int_equal(load_text(&img, &t, UB_FMT_IHEX), 0);
	assert_int_equal(img.nseg, 4);
	expect_seg(&img, 0, 0x10000, seq + 108, 8); /* the wrapped half */
	expect_seg(&img, 1, 0x10010, seq, 16);
	expect_seg(&img, 2, 0x1FFF8, seq + 100, 8);
	expect_seg(&img, 3, 0x23451, seq + 50, 3);
	assert_true(img.has_entry);
	assert_int_equal(img.entry, 0x12340 + 0x5678);
	ub_image_free(&img);
}

/* Without 02 or 04 records the file is segment 0. */
static void ihex_plain_16bit_wraps(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	ihex(&t, 0, 0xFFFE, seq, 4);
	ihex_eof(&t);
	assert_int_equal(load_text(&img, &t, UB_FMT_IHEX), 0);
	assert_int_equal(img.nseg, 2);
	expect_seg(&img, 0, 0, seq + 2, 2);
	expect_seg(&img, 1, 0xFFFE, seq, 2);
	ub_image_free(&img);
}

static void ihex_start_linear(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	ihex(&t, 0, 0, seq, 4);
	ihex(&t, 5, 0, "\xDE\xAD\xBE\xEF", 4);
	ihex(&t, 5, 0, "\xDE\xAD\xBE\xEF", 4); /* the same again is fine */
	ihex_eof(&t);
	assert_int_equal(load_text(&img, &t, UB_FMT_IHEX), 0);
	assert_true(img.has_entry);
	assert_int_equal(img.entry, 0xDEADBEEF);
	ub_image_free(&img);
}

static void ihex_entry_conflict(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	ihex(&t, 0, 0, seq, 4);
	ihex(&t, 5, 0, "\x08\x00\x01\x41", 4);
	ihex(&t, 3, 0, "\x00\x00\x01\x00", 4);
	ihex_eof(&t);
	expect_err(load_text(&img, &t, UB_FMT_IHEX), UB_EFORMAT,
		   "t.hex: line 3:", "0x00000100", "0x08000141", "line 2");
}

static void ihex_overlap(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	ihex_ext(&t, 4, 0x0800);
	ihex(&t, 0, 0x0000, seq, 16);
	ihex(&t, 0, 0x0010, seq, 16);
	ihex(&t, 0, 0x0008, seq, 4);
	ihex_eof(&t);
	expect_err(load_text(&img, &t, UB_FMT_IHEX), UB_EOVERLAP,
		   "line 2 and line 4", "0x08000008-0x0800000B");
	assert_int_equal(img.nseg, 0);
}

static void ihex_no_eof(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	ihex(&t, 0, 0, seq, 16);
	ihex(&t, 0, 16, seq, 16);
	put(&t, "\n");
	expect_err(load_text(&img, &t, UB_FMT_IHEX), UB_EFORMAT,
		   "t.hex: line 3:", "end-of-file record", "truncated");
}

/* Cut at every byte of the last record but the newline: truncated. */
static void ihex_cut_mid_line(void **state)
{
	struct ub_image img;
	struct text t = {0};
	size_t full;

	(void)state;
	ihex(&t, 0, 0, seq, 16);
	ihex(&t, 0, 16, seq, 16);
	full = t.n;
	ihex_eof(&t);
	for (size_t cut = full + 1; cut < t.n - 1; cut++) {
		expect_err(load(&img, t.s, cut, UB_FMT_IHEX, "c.hex"),
			   UB_EFORMAT, "c.hex: line 3:", "truncated");
	}
	for (size_t cut = 46; cut < full - 1; cut++) {
		expect_err(load(&img, t.s, cut, UB_FMT_IHEX, "c.hex"),
			   UB_EFORMAT, "c.hex: line 2:", "truncated");
	}
}

static void ihex_after_eof(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	ihex(&t, 0, 0, seq, 4);
	ihex_eof(&t);
	put(&t, "\n");
	ihex(&t, 0, 4, seq, 4);
	expect_err(load_text(&img, &t, UB_FMT_IHEX), UB_EFORMAT,
		   "t.hex: line 4:", "after the end-of-file record on line 2");

	t.n = 0;
	ihex_eof(&t);
	ihex_eof(&t);
	expect_err(load_text(&img, &t, UB_FMT_IHEX), UB_EFORMAT,
		   "t.hex: line 2:", "end-of-file");
}

static void ihex_bad_checksum(void **state)
{
	static const char f[] = ":0400000001020304F2\n"
				":0400040005060708DB\n"
				":00000001FF\n";
	struct ub_image img;

	(void)state;
	expect_err(load(&img, f, sizeof(f) - 1, UB_FMT_IHEX, "fw.hex"),
		   UB_EFORMAT,
		   "fw.hex: line 2: checksum is 0xDB but the record needs "
		   "0xDE",
		   "corrupt");
}

static void ihex_bad_digit(void **state)
{
	static const char f[] = ":0400000001020304F2\n"
				":04000400050G0708DA\n"
				":00000001FF\n";
	struct ub_image img;

	(void)state;
	expect_err(load(&img, f, sizeof(f) - 1, UB_FMT_IHEX, "fw.hex"),
		   UB_EFORMAT, "fw.hex: line 2:", "'G' at column 13",
		   "not a hex digit");
	expect_err(load(&img, ":04\x01", 4, UB_FMT_IHEX, "fw.hex"), UB_EFORMAT,
		   "line 1:", "byte 0x01");
}

static void ihex_odd_length(void **state)
{
	static const char f[] = ":0400000001020304F2\n"
				":040004000506070DA\n"
				":00000001FF\n";
	struct ub_image img;

	(void)state;
	expect_err(load(&img, f, sizeof(f) - 1, UB_FMT_IHEX, "fw.hex"),
		   UB_EFORMAT, "fw.hex: line 2:", "odd number of hex digits");
}

static void ihex_wrong_count(void **state)
{
	static const char f[] = ":0400000001020304F2\n"
				":05000400050607080E\n"
				":00000001FF\n";
	static const char g[] = ":03000000010203F7\n"
				":0000FF\n";
	struct ub_image img;

	(void)state;
	expect_err(load(&img, f, sizeof(f) - 1, UB_FMT_IHEX, "fw.hex"),
		   UB_EFORMAT, "fw.hex: line 2:", "says 5 data bytes",
		   "holds 4");
	expect_err(load(&img, g, sizeof(g) - 1, UB_FMT_IHEX, "fw.hex"),
		   UB_EFORMAT, "fw.hex: line 2:", "fewer than the 5");
}

/* Each special record type has its own fixed length. */
static void ihex_type_lengths(void **state)
{
	static const struct {
		unsigned type, n;
	} bad[] = {{1, 1}, {2, 1}, {2, 4}, {3, 2},
		   {4, 3}, {4, 0}, {5, 2}, {5, 5}};
	struct ub_image img;
	char want[16];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct text t = {0};

		ihex(&t, 0, 0, seq, 4);
		ihex(&t, bad[i].type, 0, seq, bad[i].n);
		ihex_eof(&t);
		snprintf(want, sizeof(want), "type 0%u", bad[i].type);
		expect_err(load_text(&img, &t, UB_FMT_IHEX), UB_EFORMAT,
			   "t.hex: line 2:", want, "data bytes");
	}
}

static void ihex_unknown_type(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	ihex(&t, 0, 0, seq, 4);
	ihex(&t, 6, 0, seq, 4);
	ihex_eof(&t);
	expect_err(load_text(&img, &t, UB_FMT_IHEX), UB_EFORMAT,
		   "t.hex: line 2:", "record type 0x06");
}

static void ihex_not_a_record(void **state)
{
	static const char f[] = ":0400000001020304F2\n"
				"; a comment\n"
				":00000001FF\n";
	struct ub_image img;

	(void)state;
	expect_err(load(&img, f, sizeof(f) - 1, UB_FMT_IHEX, "fw.hex"),
		   UB_EFORMAT, "fw.hex: line 2:", "starts with ';'");
}

static void ihex_past_4g(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	ihex_ext(&t, 4, 0xFFFF);
	ihex(&t, 0, 0xFFF0, seq, 16); /* ends exactly at 4 GiB: fine */
	ihex_eof(&t);
	assert_int_equal(load_text(&img, &t, UB_FMT_IHEX), 0);
	expect_seg(&img, 0, 0xFFFFFFF0, seq, 16);
	ub_image_free(&img);

	t.n = 0;
	ihex_ext(&t, 4, 0xFFFF);
	ihex(&t, 0, 0xFFF8, seq, 16);
	ihex_eof(&t);
	expect_err(load_text(&img, &t, UB_FMT_IHEX), UB_ERANGE,
		   "t.hex: line 2:", "0xFFFFFFF8", "32-bit address space");
}

static void ihex_no_data(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	ihex_ext(&t, 4, 0x0800);
	ihex_eof(&t);
	expect_err(load_text(&img, &t, UB_FMT_IHEX), UB_EFORMAT,
		   "t.hex: line 2:", "holds no data");
	expect_err(load(&img, "\n\n", 2, UB_FMT_IHEX, "b.hex"), UB_EFORMAT,
		   "b.hex: line 2:", "end-of-file record");

	/* Data records without data hold nothing either. */
	t.n = 0;
	ihex(&t, 0, 0x100, NULL, 0);
	ihex_eof(&t);
	expect_err(load_text(&img, &t, UB_FMT_IHEX), UB_EFORMAT,
		   "t.hex: line 2:", "holds no data");
}

/* --- Motorola S-records --- */

static void srec_s1(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	srec(&t, 0, 0, "HDR", 3);
	srec(&t, 1, 0x1000, seq, 16);
	srec(&t, 1, 0x1010, seq + 16, 16);
	srec(&t, 1, 0xFFF0, seq, 16);
	srec(&t, 5, 3, NULL, 0);
	srec(&t, 9, 0x1004, NULL, 0);
	assert_int_equal(load_text(&img, &t, UB_FMT_SREC), 0);
	assert_int_equal(img.format, UB_FMT_SREC);
	assert_int_equal(img.nseg, 2);
	expect_seg(&img, 0, 0x1000, seq, 32);
	expect_seg(&img, 1, 0xFFF0, seq, 16);
	assert_true(img.has_entry);
	assert_int_equal(img.entry, 0x1004);
	ub_image_free(&img);
}

static void srec_s2(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	srec(&t, 2, 0x0FFFF0, seq, 32);
	srec(&t, 2, 0x123456, seq + 40, 8);
	srec(&t, 8, 0x0FFFF1, NULL, 0);
	assert_int_equal(load_text(&img, &t, UB_FMT_SREC), 0);
	assert_int_equal(img.nseg, 2);
	expect_seg(&img, 0, 0x0FFFF0, seq, 32);
	expect_seg(&img, 1, 0x123456, seq + 40, 8);
	assert_int_equal(img.entry, 0x0FFFF1);
	ub_image_free(&img);
}

/* S3 across 64 KB, S5 and S6 counts, lowercase, CRLF, blank lines. */
static void srec_s3(void **state)
{
	struct ub_image img;
	struct text t = {0}, u = {0};

	(void)state;
	srec(&t, 0, 0, NULL, 0);
	srec(&t, 3, 0x0800FFF0, seq, 16);
	srec(&t, 3, 0x08010000, seq + 16, 16);
	srec(&t, 5, 2, NULL, 0);
	srec(&t, 3, 0x20000000, seq, 1);
	srec(&t, 6, 3, NULL, 0);
	srec(&t, 7, 0x08000141, NULL, 0);
	/* Make it lowercase with CRLF line ends and some blank lines. */
	for (size_t i = 0, nl = 0; i < t.n; i++) {
		char c = t.s[i];

		if (c == '\n')
			put(&u, "\r\n%s", ++nl == 2 ? "\r\n  \r\n" : "");
		else
			put(&u, "%c", c >= 'A' && c <= 'F' ? c + 32 : c);
	}
	put(&u, "\r\n\r\n");
	assert_int_equal(load_text(&img, &u, UB_FMT_SREC), 0);
	assert_int_equal(img.nseg, 2);
	expect_seg(&img, 0, 0x0800FFF0, seq, 32);
	expect_seg(&img, 1, 0x20000000, seq, 1);
	assert_true(img.has_entry);
	assert_int_equal(img.entry, 0x08000141);
	ub_image_free(&img);
}

static void srec_count_mismatch(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	srec(&t, 0, 0, NULL, 0);
	srec(&t, 1, 0x0000, seq, 16);
	srec(&t, 1, 0x0020, seq, 16);
	srec(&t, 5, 3, NULL, 0);
	srec(&t, 9, 0, NULL, 0);
	expect_err(load_text(&img, &t, UB_FMT_SREC), UB_EFORMAT,
		   "t.srec: line 4:", "counts 3 data records but 2",
		   "records were lost");

	t.n = 0;
	srec(&t, 3, 0x08000000, seq, 16);
	srec(&t, 6, 0x010000, NULL, 0);
	srec(&t, 7, 0, NULL, 0);
	expect_err(load_text(&img, &t, UB_FMT_SREC), UB_EFORMAT,
		   "t.srec: line 2:", "S6", "counts 65536", "lost");

	t.n = 0;
	srec(&t, 1, 0x0000, seq, 16);
	srec(&t, 1, 0x0020, seq, 16);
	srec(&t, 5, 1, NULL, 0);
	srec(&t, 9, 0, NULL, 0);
	expect_err(load_text(&img, &t, UB_FMT_SREC), UB_EFORMAT,
		   "t.srec: line 3:", "counts 1 data records but 2",
		   "records were added");
}

static void srec_s4_reserved(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	srec(&t, 1, 0, seq, 4);
	put(&t, "S4030000FC\n");
	srec(&t, 9, 0, NULL, 0);
	expect_err(load_text(&img, &t, UB_FMT_SREC), UB_EFORMAT,
		   "t.srec: line 2:", "S4", "reserved");
}

static void srec_no_end(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	srec(&t, 0, 0, NULL, 0);
	srec(&t, 1, 0, seq, 16);
	srec(&t, 5, 1, NULL, 0);
	expect_err(load_text(&img, &t, UB_FMT_SREC), UB_EFORMAT,
		   "t.srec: line 3:", "termination record", "truncated");
}

static void srec_cut_mid_line(void **state)
{
	struct ub_image img;
	struct text t = {0};
	size_t full;

	(void)state;
	srec(&t, 1, 0, seq, 16);
	full = t.n;
	srec(&t, 9, 0, NULL, 0);
	for (size_t cut = full + 1; cut < t.n - 1; cut++)
		expect_err(load(&img, t.s, cut, UB_FMT_SREC, "c.srec"),
			   UB_EFORMAT, "c.srec: line 2:", "truncated");
	for (size_t cut = 1; cut < full - 1; cut++)
		expect_err(load(&img, t.s, cut, UB_FMT_SREC, "c.srec"),
			   UB_EFORMAT, "c.srec: line 1:");
}

static void srec_after_end(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	srec(&t, 1, 0, seq, 16);
	srec(&t, 9, 0, NULL, 0);
	srec(&t, 1, 0x100, seq, 16);
	expect_err(load_text(&img, &t, UB_FMT_SREC), UB_EFORMAT,
		   "t.srec: line 3:", "after the termination record on line 2");

	t.n = 0;
	srec(&t, 1, 0, seq, 16);
	srec(&t, 9, 0, NULL, 0);
	put(&t, "\n\ngarbage\n");
	expect_err(load_text(&img, &t, UB_FMT_SREC), UB_EFORMAT,
		   "t.srec: line 5:", "termination record on line 2");
}

static void srec_bad_checksum(void **state)
{
	static const char f[] = "S107000001020304EE\n"
				"S107000405060708ED\n"
				"S9030000FC\n";
	struct ub_image img;

	(void)state;
	expect_err(load(&img, f, sizeof(f) - 1, UB_FMT_SREC, "fw.s19"),
		   UB_EFORMAT,
		   "fw.s19: line 2: checksum is 0xED but the record needs "
		   "0xDA",
		   "corrupt");
}

static void srec_bad_syntax(void **state)
{
	static const char digit[] = "S107000001020304EE\n"
				    "S10700040506X708DB\n"
				    "S9030000FC\n";
	static const char odd[] = "S107000001020304EE\n"
				  "S10700040506078DB\n"
				  "S9030000FC\n";
	static const char count[] = "S107000001020304EE\n"
				    "S108000405060708000000\n"
				    "S9030000FC\n";
	static const char small[] = "S107000001020304EE\n"
				    "S304000000FB\n"
				    "S9030000FC\n";
	static const char nos[] = "S107000001020304EE\n"
				  "X1070000010203040E\n";
	static const char notype[] = "S107000001020304EE\n"
				     "SX070000010203040E\n";
	struct ub_image img;

	(void)state;
	expect_err(load(&img, digit, sizeof(digit) - 1, UB_FMT_SREC, "f.s19"),
		   UB_EFORMAT, "f.s19: line 2:", "'X' at column 13",
		   "hex digit");
	expect_err(load(&img, odd, sizeof(odd) - 1, UB_FMT_SREC, "f.s19"),
		   UB_EFORMAT, "f.s19: line 2:", "odd number");
	expect_err(load(&img, count, sizeof(count) - 1, UB_FMT_SREC, "f.s19"),
		   UB_EFORMAT, "f.s19: line 2:", "says 8 bytes", "holds 9");
	expect_err(load(&img, small, sizeof(small) - 1, UB_FMT_SREC, "f.s19"),
		   UB_EFORMAT, "f.s19: line 2:", "too small", "S3");
	expect_err(load(&img, nos, sizeof(nos) - 1, UB_FMT_SREC, "f.s19"),
		   UB_EFORMAT, "f.s19: line 2:", "starts with 'X'");
	expect_err(load(&img, notype, sizeof(notype) - 1, UB_FMT_SREC, "f.s19"),
		   UB_EFORMAT, "f.s19: line 2:", "followed by 'X'");
	expect_err(load(&img, "S\n", 2, UB_FMT_SREC, "f.s19"), UB_EFORMAT,
		   "f.s19: line 1:", "followed by nothing");
}

static void srec_end_with_data(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	srec(&t, 1, 0, seq, 4);
	srec(&t, 9, 0, seq, 2);
	expect_err(load_text(&img, &t, UB_FMT_SREC), UB_EFORMAT,
		   "t.srec: line 2:", "S9", "carries no data");
}

static void srec_overlap(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	srec(&t, 3, 0x08000000, seq, 32);
	srec(&t, 3, 0x08000100, seq, 32);
	srec(&t, 3, 0x08000010, seq, 32);
	srec(&t, 7, 0x08000000, NULL, 0);
	expect_err(load_text(&img, &t, UB_FMT_SREC), UB_EOVERLAP,
		   "line 1 and line 3", "0x08000010-0x0800001F");
}

static void srec_past_4g(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	srec(&t, 3, 0xFFFFFFF8, seq, 16);
	srec(&t, 7, 0, NULL, 0);
	expect_err(load_text(&img, &t, UB_FMT_SREC), UB_ERANGE,
		   "t.srec: line 1:", "0xFFFFFFF8");
}

static void srec_no_data(void **state)
{
	struct ub_image img;
	struct text t = {0};

	(void)state;
	srec(&t, 0, 0, "x", 1);
	srec(&t, 9, 0, NULL, 0);
	expect_err(load_text(&img, &t, UB_FMT_SREC), UB_EFORMAT,
		   "t.srec: line 2:", "holds no data");

	/* S1 records without data: counted by S5, but nothing to load. */
	t.n = 0;
	srec(&t, 1, 0x100, NULL, 0);
	srec(&t, 3, 0x200, NULL, 0);
	srec(&t, 5, 2, NULL, 0);
	srec(&t, 9, 0, NULL, 0);
	expect_err(load_text(&img, &t, UB_FMT_SREC), UB_EFORMAT,
		   "t.srec: line 4:", "holds no data");

	/* One empty S1 among others is fine. */
	t.n = 0;
	srec(&t, 1, 0x100, NULL, 0);
	srec(&t, 1, 0x100, seq, 4);
	srec(&t, 5, 2, NULL, 0);
	srec(&t, 9, 0, NULL, 0);
	assert_int_equal(load_text(&img, &t, UB_FMT_SREC), 0);
	expect_seg(&img, 0, 0x100, seq, 4);
	ub_image_free(&img);
}

/* --- ELF --- */

struct ph {
	uint32_t type, off, vaddr, paddr, filesz, memsz;
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
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
static void make_elf(uint8_t *b)
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

static void elf_good(void **state)
{
	uint8_t b[ELF_LEN];
	struct ub_image img;

	(void)state;
	make_elf(b);
	assert_int_equal(load(&img, b, sizeof(b), UB_FMT_ELF, "fw.elf"), 0);
	assert_int_equal(img.format, UB_FMT_ELF);
	/* .data lands in flash after .text; nothing at 0x20000000. */
	assert_int_equal(img.nseg, 1);
	expect_seg(&img, 0, 0x08000000, seq + 100, 48);
	assert_true(img.has_entry);
	assert_int_equal(img.entry, 0x08000009);
	ub_image_free(&img);
}

/* Program headers larger than 32 bytes, and somewhere else in the file. */
static void elf_big_phentsize(void **state)
{
	uint8_t b[ELF_LEN + 2 * 48], *ph;
	struct ub_image img;

	(void)state;
	make_elf(b);
	ph = b + ELF_LEN;
	memset(ph, 0xEE, 2 * 48);
	memcpy(ph, b + PHOFF, 32);
	memcpy(ph + 48, b + PHOFF + 32, 32);
	put32(b + 28, ELF_LEN);
	put16(b + 42, 48);
	put16(b + 44, 2);
	assert_int_equal(load(&img, b, sizeof(b), UB_FMT_ELF, "fw.elf"), 0);
	expect_seg(&img, 0, 0x08000000, seq + 100, 48);
	ub_image_free(&img);
}

/* Every cut of the file fails, naming what it cut, until the data is in. */
static void elf_truncated(void **state)
{
	uint8_t b[ELF_LEN];
	struct ub_image img;

	(void)state;
	make_elf(b);
	for (size_t len = 1; len < ELF_LEN; len++) {
		int rc = load(&img, b, len, UB_FMT_ELF, "cut.elf");

		if (len >= LOADED_END) {
			assert_int_equal(rc, 0);
			ub_image_free(&img);
		} else if (len < 52) {
			expect_err(rc, UB_EFORMAT, "cut.elf", "ELF header",
				   "truncated");
		} else if (len < DATA_OFF) {
			expect_err(rc, UB_EFORMAT, "cut.elf", "program headers",
				   "truncated");
		} else {
			expect_err(rc, UB_EFORMAT, "cut.elf: program header ",
				   len < DATA_OFF + 32 ? "header 0"
						       : "header 1",
				   "truncated");
		}
	}
}

static void elf_phdr_out_of_bounds(void **state)
{
	uint8_t b[ELF_LEN];
	struct ub_image img;

	(void)state;
	make_elf(b);
	put32(b + 28, 0xFFFFFFF0); /* e_phoff: wraps in 32 bits */
	expect_err(load(&img, b, sizeof(b), UB_FMT_ELF, "x.elf"), UB_EFORMAT,
		   "x.elf", "program headers at offset 0xFFFFFFF0",
		   "past the end");

	make_elf(b);
	put16(b + 44, 200); /* e_phnum */
	expect_err(load(&img, b, sizeof(b), UB_FMT_ELF, "x.elf"), UB_EFORMAT,
		   "200 program headers", "past the end");

	make_elf(b);
	put32(b + PHOFF + 32 + 4, 0xFFFFFFF8); /* p_offset + p_filesz wraps */
	expect_err(load(&img, b, sizeof(b), UB_FMT_ELF, "x.elf"), UB_EFORMAT,
		   "x.elf: program header 1:", "offset 0xFFFFFFF8",
		   "past the end");

	make_elf(b);
	put32(b + PHOFF + 16, 0xFFFFFFFF); /* p_filesz */
	expect_err(load(&img, b, sizeof(b), UB_FMT_ELF, "x.elf"), UB_EFORMAT,
		   "x.elf: program header 0:", "past the end");

	make_elf(b);
	put16(b + 42, 31); /* e_phentsize */
	expect_err(load(&img, b, sizeof(b), UB_FMT_ELF, "x.elf"), UB_EFORMAT,
		   "x.elf: offset 42:", "31 bytes");

	make_elf(b);
	put16(b + 44, 0xFFFF); /* PN_XNUM */
	expect_err(load(&img, b, sizeof(b), UB_FMT_ELF, "x.elf"), UB_EFORMAT,
		   "x.elf: offset 44:", "PN_XNUM");

	make_elf(b);
	put16(b + 44, 0);
	expect_err(load(&img, b, sizeof(b), UB_FMT_ELF, "x.elf"), UB_EFORMAT,
		   "x.elf: offset 44:", "no program headers");
}

static void elf_phdr_bad(void **state)
{
	uint8_t b[ELF_LEN];
	struct ub_image img;

	(void)state;
	make_elf(b);
	put32(b + PHOFF + 32 + 20, 8); /* memsz < filesz */
	expect_err(load(&img, b, sizeof(b), UB_FMT_ELF, "x.elf"), UB_EFORMAT,
		   "x.elf: program header 1:", "larger than memory size");

	make_elf(b);
	put32(b + PHOFF + 32 + 12, 0x08000010); /* overlaps phdr 0 */
	expect_err(load(&img, b, sizeof(b), UB_FMT_ELF, "x.elf"), UB_EOVERLAP,
		   "program header 0 and program header 1",
		   "0x08000010-0x0800001F");

	make_elf(b);
	put32(b + PHOFF + 32 + 12, 0xFFFFFFF8); /* past 4 GiB */
	expect_err(load(&img, b, sizeof(b), UB_FMT_ELF, "x.elf"), UB_ERANGE,
		   "x.elf: program header 1:", "0xFFFFFFF8");

	make_elf(b);
	put32(b + PHOFF, 6);	  /* PT_PHDR */
	put32(b + PHOFF + 32, 0); /* PT_NULL */
	expect_err(load(&img, b, sizeof(b), UB_FMT_ELF, "x.elf"), UB_EFORMAT,
		   "x.elf", "nothing to flash");
}

static void elf_wrong_kind(void **state)
{
	uint8_t b[ELF_LEN];
	struct ub_image img;

	(void)state;
	make_elf(b);
	b[4] = 2; /* ELFCLASS64 */
	put16(b + 18, 62);
	expect_err(load(&img, b, sizeof(b), UB_FMT_ELF, "x.elf"), UB_EFORMAT,
		   "x.elf: a 64-bit ELF for x86-64", "32-bit ARM Cortex-M");

	make_elf(b);
	b[5] = 2; /* ELFDATA2MSB */
	b[18] = 0;
	b[19] = 40;
	expect_err(load(&img, b, sizeof(b), UB_FMT_ELF, "x.elf"), UB_EFORMAT,
		   "x.elf: a big-endian ELF for 32-bit ARM", "little-endian");

	make_elf(b);
	put16(b + 18, 62);
	expect_err(load(&img, b, sizeof(b), UB_FMT_ELF, "x.elf"), UB_EFORMAT,
		   "x.elf: an ELF for x86-64, not an ARM Cortex-M");

	make_elf(b);
	put16(b + 18, 4242);
	expect_err(load(&img, b, sizeof(b), UB_FMT_ELF, "x.elf"), UB_EFORMAT,
		   "an ELF for machine 4242");

	make_elf(b);
	put16(b + 16, 1); /* ET_REL */
	expect_err(load(&img, b, sizeof(b), UB_FMT_ELF, "x.elf"), UB_EFORMAT,
		   "x.elf: an object file, not a linked executable");

	make_elf(b);
	put16(b + 16, 3); /* ET_DYN */
	expect_err(load(&img, b, sizeof(b), UB_FMT_ELF, "x.elf"), UB_EFORMAT,
		   "x.elf:", "shared library");

	make_elf(b);
	put16(b + 16, 0x1234);
	expect_err(load(&img, b, sizeof(b), UB_FMT_ELF, "x.elf"), UB_EFORMAT,
		   "x.elf: offset 16:", "not an executable");

	make_elf(b);
	b[4] = 3;
	expect_err(load(&img, b, sizeof(b), UB_FMT_ELF, "x.elf"), UB_EFORMAT,
		   "x.elf: offset 4:", "class 3");

	make_elf(b);
	b[5] = 0;
	expect_err(load(&img, b, sizeof(b), UB_FMT_ELF, "x.elf"), UB_EFORMAT,
		   "x.elf: offset 5:", "encoding 0");

	make_elf(b);
	b[1] = 'e';
	expect_err(load(&img, b, sizeof(b), UB_FMT_ELF, "x.elf"), UB_EFORMAT,
		   "x.elf: offset 0:", "not an ELF file");
}

/* --- detection --- */

static void detect_by_extension(void **state)
{
	static const struct {
		const char *path;
		enum ub_image_format fmt;
	} t[] = {
		{"fw.bin", UB_FMT_BIN},	     {"fw.hex", UB_FMT_IHEX},
		{"dir/FW.HEX", UB_FMT_IHEX}, {"fw.ihx", UB_FMT_IHEX},
		{"fw.srec", UB_FMT_SREC},    {"fw.s19", UB_FMT_SREC},
		{"fw.S28", UB_FMT_SREC},     {"fw.s37", UB_FMT_SREC},
		{"fw.mot", UB_FMT_SREC},     {"fw.elf", UB_FMT_ELF},
		{"a.b/fw.axf", UB_FMT_ELF},
	};

	(void)state;
	/* The extension wins over contents that look like another format. */
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(ub_image_detect(t[i].path, "\177ELF", 4),
				 t[i].fmt);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(ub_image_detect(t[i].path, ":00", 3),
				 t[i].fmt);
}

static void detect_by_content(void **state)
{
	(void)state;
	assert_int_equal(ub_image_detect(NULL, ":00000001FF", 11), UB_FMT_IHEX);
	assert_int_equal(ub_image_detect("fw", "\xEF\xBB\xBF\r\n :10", 9),
			 UB_FMT_IHEX);
	assert_int_equal(ub_image_detect("fw.txt", "\n\nS00600", 8),
			 UB_FMT_SREC);
	assert_int_equal(ub_image_detect("a.d/fw", "\177ELF\1\1", 6),
			 UB_FMT_ELF);
	assert_int_equal(ub_image_detect(NULL, "\x00\x50\x00\x20", 4),
			 UB_FMT_BIN);
	assert_int_equal(ub_image_detect(NULL, ":x", 2), UB_FMT_BIN);
	assert_int_equal(ub_image_detect(NULL, ":", 1), UB_FMT_BIN);
	assert_int_equal(ub_image_detect(NULL, "Sx", 2), UB_FMT_BIN);
	assert_int_equal(ub_image_detect(NULL, "S", 1), UB_FMT_BIN);
	assert_int_equal(ub_image_detect(NULL, "\177EL", 3), UB_FMT_BIN);
	assert_int_equal(ub_image_detect(NULL, "", 0), UB_FMT_BIN);
}

/* Loading with UB_FMT_AUTO runs the parser the detection picks. */
static void detect_load_auto(void **state)
{
	struct ub_image img;
	struct text h = {0}, s = {0};
	uint8_t e[ELF_LEN];

	(void)state;
	ihex(&h, 0, 0x10, seq, 8);
	ihex_eof(&h);
	srec(&s, 1, 0x10, seq, 8);
	srec(&s, 9, 0, NULL, 0);
	make_elf(e);

	assert_int_equal(load(&img, h.s, h.n, UB_FMT_AUTO, "noext"), 0);
	assert_int_equal(img.format, UB_FMT_IHEX);
	expect_seg(&img, 0, 0x10, seq, 8);
	ub_image_free(&img);

	assert_int_equal(load(&img, s.s, s.n, UB_FMT_AUTO, "noext"), 0);
	assert_int_equal(img.format, UB_FMT_SREC);
	expect_seg(&img, 0, 0x10, seq, 8);
	ub_image_free(&img);

	assert_int_equal(load(&img, e, sizeof(e), UB_FMT_AUTO, "noext"), 0);
	assert_int_equal(img.format, UB_FMT_ELF);
	ub_image_free(&img);

	/* A .bin that happens to start with ':' stays a binary. */
	assert_int_equal(load(&img, h.s, h.n, UB_FMT_AUTO, "fw.bin"), 0);
	assert_int_equal(img.format, UB_FMT_BIN);
	expect_seg(&img, 0, UB_IMAGE_DEFAULT_BASE, h.s, h.n);
	ub_image_free(&img);

	/* A .hex that is not Intel HEX fails as Intel HEX. */
	expect_err(load(&img, e, sizeof(e), UB_FMT_AUTO, "fw.hex"), UB_EFORMAT,
		   "fw.hex: line 1:", "not Intel HEX");

	assert_int_equal(load(&img, seq, 64, UB_FMT_AUTO, "noext"), 0);
	assert_int_equal(img.format, UB_FMT_BIN);
	ub_image_free(&img);
}

/* --- CRC-32 --- */

static void crc_check_value(void **state)
{
	(void)state;
	assert_int_equal(ub_crc32(0, "123456789", 9), 0xCBF43926);
	assert_int_equal(ub_crc32(0, "", 0), 0);
	/* Feeding the result back in continues the CRC. */
	assert_int_equal(ub_crc32(ub_crc32(0, "12345", 5), "6789", 4),
			 0xCBF43926);
}

static void crc_segments_vs_zlib(void **state)
{
	struct ub_image img;
	struct text t = {0};
	uint32_t all = 0;
	uLong zall = crc32(0, Z_NULL, 0);

	(void)state;
	ihex_ext(&t, 4, 0x0800);
	for (unsigned i = 0; i < 40; i++)
		ihex(&t, 0, 0xF000 + 32 * i, seq + (i * 37) % 200, 32);
	ihex(&t, 0, 0x4000, seq + 3, 200);
	ihex_eof(&t);
	assert_int_equal(load_text(&img, &t, UB_FMT_IHEX), 0);
	assert_int_equal(img.nseg, 2);
	for (size_t i = 0; i < img.nseg; i++) {
		const struct ub_segment *g = &img.seg[i];

		assert_int_equal(ub_crc32(0, g->data, g->size),
				 crc32(0, g->data, g->size));
		all = ub_crc32(all, g->data, g->size);
		zall = crc32(zall, g->data, g->size);
	}
	assert_int_equal(all, zall);
	ub_image_free(&img);
}

/* --- cross-check against GNU binutils --- */

static char *sample_path(const char *file)
{
	const char *dir = getenv("UNBRICK_SRCDIR");
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : ".", file);
	return path;
}

static void load_sample(struct ub_image *img, const char *file)
{
	int rc = ub_image_load_file(img, sample_path(file), UB_FMT_AUTO,
				    UB_IMAGE_DEFAULT_BASE);

	if (rc) {
		print_error("%s: %s (built by 'make check')\n", file,
			    ub_errmsg(rc));
		fail();
	}
}

/* Same address -> byte content: the segment lists are canonical. */
static void expect_same(const struct ub_image *a, const struct ub_image *b,
			const char *what)
{
	if (a->nseg != b->nseg)
		print_error("%s: %zu segments vs %zu\n", what, a->nseg,
			    b->nseg);
	assert_int_equal(a->nseg, b->nseg);
	for (size_t i = 0; i < a->nseg; i++) {
		if (a->seg[i].addr != b->seg[i].addr ||
		    a->seg[i].size != b->seg[i].size)
			print_error("%s: segment %zu is %u bytes at 0x%08X "
				    "vs %u at 0x%08X\n",
				    what, i, a->seg[i].size, a->seg[i].addr,
				    b->seg[i].size, b->seg[i].addr);
		assert_int_equal(a->seg[i].addr, b->seg[i].addr);
		assert_int_equal(a->seg[i].size, b->seg[i].size);
		assert_memory_equal(a->seg[i].data, b->seg[i].data,
				    a->seg[i].size);
	}
}

static void samples_agree(void **state)
{
	/* The start of .data in tests/data/sample.S. */
	static const uint8_t data[] = {0x01, 0xEE, 0xFF, 0xC0, 0x78, 0x56,
				       0x34, 0x12, 0xEF, 0xBE, 0xAD, 0xDE,
				       0x0D, 0xF0, 0xAD, 0x0B, 'u',  'n'};
	struct ub_image elf, hex, srec, bin, committed;
	const struct ub_segment *g;
	const uint8_t *at;

	(void)state;
	load_sample(&elf, "build/samples/sample.elf");
	load_sample(&hex, "build/samples/sample.hex");
	load_sample(&srec, "build/samples/sample.srec");
	load_sample(&bin, "build/samples/sample.bin");
	load_sample(&committed, "tests/data/sample.hex");
	assert_int_equal(elf.format, UB_FMT_ELF);
	assert_int_equal(hex.format, UB_FMT_IHEX);
	assert_int_equal(srec.format, UB_FMT_SREC);
	assert_int_equal(bin.format, UB_FMT_BIN);

	/* One run of flash from 0x08000000 over 64 KB, nothing in RAM. */
	assert_int_equal(elf.nseg, 1);
	g = &elf.seg[0];
	assert_int_equal(g->addr, 0x08000000);
	assert_true(g->size > 0x10000 && g->size < 80 * 1024);
	/* .data is the last thing in flash: at its LMA, after .rodata. */
	at = memmem(g->data, g->size, data, sizeof(data));
	assert_non_null(at);
	assert_true(g->size - (at - g->data) < 128);
	assert_int_equal(ub_crc32(0, g->data, g->size),
			 crc32(0, g->data, g->size));

	expect_same(&elf, &bin, "elf vs bin");
	expect_same(&elf, &hex, "elf vs hex");
	expect_same(&elf, &srec, "elf vs srec");
	expect_same(&hex, &committed, "tests/data/sample.hex is out of date");

	assert_true(elf.has_entry);
	assert_int_equal(elf.entry & ~1u, 0x08000040); /* Reset_Handler */
	assert_true(hex.has_entry && srec.has_entry);
	assert_int_equal(hex.entry, elf.entry);
	assert_int_equal(srec.entry, elf.entry);
	assert_false(bin.has_entry);

	ub_image_free(&elf);
	ub_image_free(&hex);
	ub_image_free(&srec);
	ub_image_free(&bin);
	ub_image_free(&committed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bin_at_base),
		cmocka_unit_test(bin_past_4g),
		cmocka_unit_test(bin_empty),
		cmocka_unit_test(ihex_simple),
		cmocka_unit_test(ihex_lenient_text),
		cmocka_unit_test(ihex_cross_64k),
		cmocka_unit_test(ihex_linear_no_wrap),
		cmocka_unit_test(ihex_segment),
		cmocka_unit_test(ihex_plain_16bit_wraps),
		cmocka_unit_test(ihex_start_linear),
		cmocka_unit_test(ihex_entry_conflict),
		cmocka_unit_test(ihex_overlap),
		cmocka_unit_test(ihex_no_eof),
		cmocka_unit_test(ihex_cut_mid_line),
		cmocka_unit_test(ihex_after_eof),
		cmocka_unit_test(ihex_bad_checksum),
		cmocka_unit_test(ihex_bad_digit),
		cmocka_unit_test(ihex_odd_length),
		cmocka_unit_test(ihex_wrong_count),
		cmocka_unit_test(ihex_type_lengths),
		cmocka_unit_test(ihex_unknown_type),
		cmocka_unit_test(ihex_not_a_record),
		cmocka_unit_test(ihex_past_4g),
		cmocka_unit_test(ihex_no_data),
		cmocka_unit_test(srec_s1),
		cmocka_unit_test(srec_s2),
		cmocka_unit_test(srec_s3),
		cmocka_unit_test(srec_count_mismatch),
		cmocka_unit_test(srec_s4_reserved),
		cmocka_unit_test(srec_no_end),
		cmocka_unit_test(srec_cut_mid_line),
		cmocka_unit_test(srec_after_end),
		cmocka_unit_test(srec_bad_checksum),
		cmocka_unit_test(srec_bad_syntax),
		cmocka_unit_test(srec_end_with_data),
		cmocka_unit_test(srec_overlap),
		cmocka_unit_test(srec_past_4g),
		cmocka_unit_test(srec_no_data),
		cmocka_unit_test(elf_good),
		cmocka_unit_test(elf_big_phentsize),
		cmocka_unit_test(elf_truncated),
		cmocka_unit_test(elf_phdr_out_of_bounds),
		cmocka_unit_test(elf_phdr_bad),
		cmocka_unit_test(elf_wrong_kind),
		cmocka_unit_test(detect_by_extension),
		cmocka_unit_test(detect_by_content),
		cmocka_unit_test(detect_load_auto),
		cmocka_unit_test(crc_check_value),
		cmocka_unit_test(crc_segments_vs_zlib),
		cmocka_unit_test(samples_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
