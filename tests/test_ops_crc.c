// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The generic operations (src/ops.c, src/ops_verify.c) against a target in
 * memory that computes CRCs "on the target" as a loader would: which pages
 * are read, erased and programmed when the CRCs tell what the chip holds,
 * the mass erase when every page needs one, verify reading back only the
 * block that differs, and the fall back to reading.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ub/crc32.h"
#include "ub/err.h"
#include "ub/ops.h"

#define PAGE  1024u
#define PAGES 32u
#define BASE  0x08000000u

struct fake {
	struct ub_target t;
	uint8_t flash[PAGE * PAGES];
	unsigned erases, programs, mass_erases, crcs;
	uint32_t bytes_read;
	bool no_crc;	  /* the target cannot (UB_EUNSUPPORTED) */
	int fail_program; /* the next program call fails so, once */
};

static struct fake *fk(struct ub_target *t)
{
	return (struct fake *)t;
}

static int f_read(struct ub_target *t, uint32_t addr, void *buf, size_t len)
{
	memcpy(buf, fk(t)->flash + (addr - BASE), len);
	fk(t)->bytes_read += (uint32_t)len;
	return 0;
}

static int f_erase(struct ub_target *t, uint32_t addr, size_t len)
{
	memset(fk(t)->flash + (addr - BASE), 0xFF, len);
	fk(t)->erases += (unsigned)(len / PAGE);
	return 0;
}

static int f_mass_erase(struct ub_target *t)
{
	memset(fk(t)->flash, 0xFF, sizeof(fk(t)->flash));
	fk(t)->mass_erases++;
	return 0;
}

static int f_program(struct ub_target *t, uint32_t addr, const void *buf,
		     size_t len)
{
	const uint8_t *p = buf;
	uint8_t *f = fk(t)->flash + (addr - BASE);
	int err = fk(t)->fail_program;

	fk(t)->programs++;
	fk(t)->fail_program = 0;
	/* a failure half way: the first half is programmed */
	for (size_t i = 0; i < (err ? len / 2 : len); i += 2) {
		if (p[i] == 0xFF && p[i + 1] == 0xFF)
			continue;
		if (f[i] != 0xFF || f[i + 1] != 0xFF)
			fail_msg("programming 0x%08zX, which is not erased",
				 addr + i);
		f[i] = p[i];
		f[i + 1] = p[i + 1];
	}
	return err ? ub_fail(err, "the wire failed") : 0;
}

static int f_crc32(struct ub_target *t, uint32_t addr, uint32_t len,
		   uint32_t block, uint32_t *crc)
{
	const uint8_t *p = fk(t)->flash + (addr - BASE);

	if (fk(t)->no_crc)
		return ub_fail(UB_EUNSUPPORTED, "no CRC here");
	fk(t)->crcs++;
	for (uint32_t off = 0; off < len; off += block, crc++)
		*crc = ub_crc32(0, p + off,
				len - off < block ? len - off : block);
	return 0;
}

static const struct ub_target_ops fake_ops = {
	.read = f_read,
	.erase = f_erase,
	.mass_erase = f_mass_erase,
	.program = f_program,
	.crc32 = f_crc32,
};

static struct fake *fake_new(void)
{
	struct fake *f = calloc(1, sizeof(*f));

	f->t.ops = &fake_ops;
	f->t.info.flash_base = BASE;
	f->t.info.flash_size = PAGE * PAGES;
	f->t.info.page_size = PAGE;
	f->t.info.wrp = 0xFFFFFFFF;
	f->t.info.wrp_pages = 4;
	memset(f->flash, 0xFF, sizeof(f->flash));
	return f;
}

static void image1(struct ub_image *img, uint32_t addr, const void *data,
		   size_t len)
{
	assert_int_equal(
		ub_image_load_mem(img, data, len, UB_FMT_BIN, addr, "t.bin"),
		0);
}

static void pattern(uint8_t *b, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(i * 7 + seed + i / 251);
}

/* Blank pages (their CRC says so) are programmed without a read. */
static void blank_pages_are_not_read(void **state)
{
	static uint8_t data[PAGE * 5 + 100];
	struct fake *f = fake_new();
	struct ub_write_stats st;
	struct ub_image img;

	(void)state;
	pattern(data, sizeof(data), 1);
	image1(&img, BASE + 2 * PAGE + 6, data, sizeof(data));
	assert_int_equal(ub_op_write_image(&f->t, &img, &st), 0);
	assert_int_equal(f->bytes_read, 0);
	assert_int_equal(f->erases + f->mass_erases, 0);
	assert_int_equal(st.pages_touched, 6);
	assert_memory_equal(f->flash + 2 * PAGE + 6, data, sizeof(data));
	assert_int_equal(f->flash[2 * PAGE + 5], 0xFF);
	assert_int_equal(f->flash[2 * PAGE + 6 + sizeof(data)], 0xFF);
	assert_int_equal(f->programs, 1); /* one run of pages */
	/* verify: by CRC, nothing read */
	assert_int_equal(ub_op_verify_image(&f->t, &img), 0);
	assert_int_equal(f->bytes_read, 0);
	ub_image_free(&img);
	free(f);
}

/* Pages that hold the image already: neither read nor touched. */
static void same_pages_are_not_read(void **state)
{
	static uint8_t data[PAGE * 8];
	struct fake *f = fake_new();
	struct ub_write_stats st;
	struct ub_image img;

	(void)state;
	pattern(data, sizeof(data), 2);
	memcpy(f->flash + 4 * PAGE, data, sizeof(data));
	data[3 * PAGE + 17] ^= 0x40; /* one page differs */
	image1(&img, BASE + 4 * PAGE, data, sizeof(data));
	assert_int_equal(ub_op_write_image(&f->t, &img, &st), 0);
	assert_int_equal(st.pages_unchanged, 7);
	assert_int_equal(f->bytes_read, PAGE); /* the one that differs */
	assert_int_equal(f->erases, 1);
	assert_int_equal(f->programs, 1);
	assert_memory_equal(f->flash + 4 * PAGE, data, sizeof(data));
	ub_image_free(&img);
	free(f);
}

/* A partial page that is not blank is read: what the image leaves out of
 * it is kept. */
static void partial_pages_keep_the_rest(void **state)
{
	static uint8_t old[PAGE * PAGES], data[300];
	struct fake *f = fake_new();
	struct ub_write_stats st;
	struct ub_image img;

	(void)state;
	pattern(old, sizeof(old), 3);
	memcpy(f->flash, old, sizeof(old));
	pattern(data, sizeof(data), 4);
	image1(&img, BASE + 9 * PAGE + 500, data, sizeof(data));
	assert_int_equal(ub_op_write_image(&f->t, &img, &st), 0);
	assert_int_equal(f->bytes_read, PAGE);
	assert_int_equal(f->erases, 1);
	assert_memory_equal(f->flash, old, 9 * PAGE + 500);
	assert_memory_equal(f->flash + 9 * PAGE + 500, data, sizeof(data));
	assert_memory_equal(f->flash + 9 * PAGE + 800, old + 9 * PAGE + 800,
			    sizeof(old) - 9 * PAGE - 800);
	ub_image_free(&img);
	free(f);
}

/* The whole flash, every page different: one mass erase, nothing read. */
static void whole_flash_is_mass_erased(void **state)
{
	static uint8_t data[PAGE * PAGES];
	struct fake *f = fake_new();
	struct ub_write_stats st;
	struct ub_image img;

	(void)state;
	pattern(f->flash, sizeof(f->flash), 5);
	pattern(data, sizeof(data), 6);
	image1(&img, BASE, data, sizeof(data));
	assert_int_equal(ub_op_write_image(&f->t, &img, &st), 0);
	assert_int_equal(f->mass_erases, 1);
	assert_int_equal(f->erases, 0);
	assert_int_equal(f->bytes_read, 0);
	assert_int_equal(st.pages_erased, PAGES);
	assert_memory_equal(f->flash, data, sizeof(data));
	ub_image_free(&img);
	/* not when one page holds its data already: page erases */
	pattern(data, sizeof(data), 7);
	memcpy(f->flash + 5 * PAGE, data + 5 * PAGE, PAGE);
	image1(&img, BASE, data, sizeof(data));
	assert_int_equal(ub_op_write_image(&f->t, &img, &st), 0);
	assert_int_equal(f->mass_erases, 1);
	assert_int_equal(f->erases, PAGES - 1);
	assert_memory_equal(f->flash, data, sizeof(data));
	ub_image_free(&img);
	free(f);
}

/* A wire failure in a batch: the batch is looked at again and finished. */
static void failed_batch_is_done_again(void **state)
{
	static uint8_t data[PAGE * 6];
	struct fake *f = fake_new();
	struct ub_write_stats st;
	struct ub_image img;

	(void)state;
	pattern(data, sizeof(data), 8);
	image1(&img, BASE, data, sizeof(data));
	f->fail_program = UB_ETIMEOUT;
	assert_int_equal(ub_op_write_image(&f->t, &img, &st), 0);
	assert_int_equal(st.retries, 1);
	assert_int_equal(f->erases, 0); /* what was done is kept */
	assert_memory_equal(f->flash, data, sizeof(data));
	ub_image_free(&img);
	free(f);
}

/* Without CRCs from the target, every page is read, as before. */
static void without_crcs_pages_are_read(void **state)
{
	static uint8_t data[PAGE * 3];
	struct fake *f = fake_new();
	struct ub_write_stats st;
	struct ub_image img;

	(void)state;
	f->no_crc = true;
	pattern(data, sizeof(data), 9);
	image1(&img, BASE, data, sizeof(data));
	assert_int_equal(ub_op_write_image(&f->t, &img, &st), 0);
	assert_int_equal(f->bytes_read, 3 * PAGE);
	assert_int_equal(ub_op_verify_image(&f->t, &img), 0);
	assert_int_equal(f->bytes_read, 6 * PAGE);
	assert_memory_equal(f->flash, data, sizeof(data));
	ub_image_free(&img);
	free(f);
}

/* Verify by CRC: the bad block alone is read back, its first byte named. */
static void verify_reads_only_the_bad_block(void **state)
{
	static uint8_t data[PAGE * 20];
	struct fake *f = fake_new();
	struct ub_image img;

	(void)state;
	pattern(data, sizeof(data), 10);
	memcpy(f->flash + 3, data, sizeof(data));
	f->flash[3 + 7 * 1024 + 555] ^= 0x01;
	f->flash[3 + 7 * 1024 + 600] ^= 0x01;
	image1(&img, BASE + 3, data, sizeof(data));
	assert_int_equal(ub_op_verify_image(&f->t, &img), UB_EVERIFY);
	assert_non_null(
		strstr(ub_errmsg(UB_EVERIFY), "verify failed at 0x08001E2E"));
	assert_int_equal(f->bytes_read, 1024);
	ub_image_free(&img);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(blank_pages_are_not_read),
		cmocka_unit_test(same_pages_are_not_read),
		cmocka_unit_test(partial_pages_keep_the_rest),
		cmocka_unit_test(whole_flash_is_mass_erased),
		cmocka_unit_test(failed_batch_is_done_again),
		cmocka_unit_test(without_crcs_pages_are_read),
		cmocka_unit_test(verify_reads_only_the_bad_block),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
