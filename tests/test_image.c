// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Image loaders, raw binary and Intel HEX: good and bad inputs made here.
 */
#define _GNU_SOURCE /* memmem */
#include "image_test_util.h"

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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
