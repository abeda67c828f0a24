// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Image loaders, S-records and ELF: good and bad inputs made here.
 */
#define _GNU_SOURCE /* memmem */
#include "image_test_util.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
