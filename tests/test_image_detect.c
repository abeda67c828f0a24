// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Image format detection, CRC-32, and a cross-check against GNU binutils
 * on the same firmware in all four formats (build/samples/).
 */
#define _GNU_SOURCE /* memmem */
#include "image_test_util.h"

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
		cmocka_unit_test(detect_by_extension),
		cmocka_unit_test(detect_by_content),
		cmocka_unit_test(detect_load_auto),
		cmocka_unit_test(crc_check_value),
		cmocka_unit_test(crc_segments_vs_zlib),
		cmocka_unit_test(samples_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
