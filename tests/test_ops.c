// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The generic operations (src/ops.c) against a target in memory that
 * behaves like STM32F1 flash: erase sets a page to 0xFF, programming only
 * writes blank halfwords, and it counts what it was asked to do.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ub/err.h"
#include "ub/ops.h"

#define PAGE  1024u
#define PAGES 16u
#define BASE  0x08000000u

struct fake {
	struct ub_target t;
	uint8_t flash[PAGE * PAGES];
	unsigned erases, programs, mass_erases;
	uint32_t programmed_bytes; /* halfwords not 0xFFFF, times 2 */
};

static struct fake *fk(struct ub_target *t)
{
	return (struct fake *)t;
}

static int f_read(struct ub_target *t, uint32_t addr, void *buf, size_t len)
{
	memcpy(buf, fk(t)->flash + (addr - BASE), len);
	return 0;
}

static int f_erase(struct ub_target *t, uint32_t addr, size_t len)
{
	assert_int_equal((addr - BASE) % PAGE, 0);
	assert_int_equal(len % PAGE, 0);
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

	fk(t)->programs++;
	for (size_t i = 0; i < len; i += 2) {
		if (p[i] == 0xFF && p[i + 1] == 0xFF)
			continue;
		/* real flash refuses a halfword that is not blank */
		if (f[i] != 0xFF || f[i + 1] != 0xFF)
			fail_msg("programming 0x%08zX, which is not erased",
				 addr + i);
		f[i] = p[i];
		f[i + 1] = p[i + 1];
		fk(t)->programmed_bytes += 2;
	}
	return 0;
}

static const struct ub_target_ops fake_ops = {
	.read = f_read,
	.erase = f_erase,
	.mass_erase = f_mass_erase,
	.program = f_program,
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

/* An image of one segment. */
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
		b[i] = (uint8_t)(i * 7 + seed);
}

static void blank_chip_programs_without_erase(void **state)
{
	struct fake *f = fake_new();
	struct ub_write_stats st;
	struct ub_image img;
	uint8_t data[3000];

	(void)state;
	pattern(data, sizeof(data), 1);
	image1(&img, BASE + PAGE, data, sizeof(data));
	assert_int_equal(ub_op_write_image(&f->t, &img, &st), 0);
	assert_int_equal(st.pages_touched, 3);
	assert_int_equal(st.pages_erased, 0); /* already blank */
	assert_int_equal(f->erases, 0);
	assert_memory_equal(f->flash + PAGE, data, sizeof(data));
	assert_int_equal(ub_op_verify_image(&f->t, &img), 0);
	ub_image_free(&img);
	free(f);
}

static void keeps_what_the_image_does_not_cover(void **state)
{
	struct fake *f = fake_new();
	struct ub_write_stats st;
	struct ub_image img;
	uint8_t old[PAGE * PAGES], data[100];

	(void)state;
	pattern(old, sizeof(old), 3);
	memcpy(f->flash, old, sizeof(old));
	pattern(data, sizeof(data), 9);
	image1(&img, BASE + 2 * PAGE + 200, data, sizeof(data));
	assert_int_equal(ub_op_write_image(&f->t, &img, &st), 0);
	assert_int_equal(f->erases, 1); /* one page, not the chip */
	assert_int_equal(st.pages_erased, 1);
	/* the rest of the page and every other page are as they were */
	assert_memory_equal(f->flash, old, 2 * PAGE + 200);
	assert_memory_equal(f->flash + 2 * PAGE + 200, data, sizeof(data));
	assert_memory_equal(f->flash + 2 * PAGE + 300, old + 2 * PAGE + 300,
			    sizeof(old) - 2 * PAGE - 300);
	ub_image_free(&img);
	free(f);
}

static void unchanged_pages_are_skipped(void **state)
{
	struct fake *f = fake_new();
	struct ub_write_stats st;
	struct ub_image img;
	uint8_t data[PAGE * 4];

	(void)state;
	pattern(data, sizeof(data), 5);
	memcpy(f->flash, data, sizeof(data));
	data[PAGE + 10] ^= 0x55; /* a one-page change */
	image1(&img, BASE, data, sizeof(data));
	assert_int_equal(ub_op_write_image(&f->t, &img, &st), 0);
	assert_int_equal(st.pages_touched, 4);
	assert_int_equal(st.pages_unchanged, 3);
	assert_int_equal(f->erases, 1);
	assert_int_equal(f->programs, 1);
	assert_memory_equal(f->flash, data, sizeof(data));
	ub_image_free(&img);
	free(f);
}

static void only_differing_halfwords_are_programmed(void **state)
{
	struct fake *f = fake_new();
	struct ub_write_stats st;
	struct ub_image img;
	uint8_t data[PAGE];

	(void)state;
	memset(data, 0xFF, sizeof(data));
	memcpy(data + 100, "\x12\x34\x56\x78", 4); /* mostly blank image */
	image1(&img, BASE, data, sizeof(data));
	assert_int_equal(ub_op_write_image(&f->t, &img, &st), 0);
	assert_int_equal(f->programmed_bytes, 4);
	assert_int_equal(st.bytes_programmed, 4);
	ub_image_free(&img);
	free(f);
}

static void refuses_before_touching_the_chip(void **state)
{
	struct fake *f = fake_new();
	struct ub_write_stats st;
	struct ub_image img;
	uint8_t data[64] = {1};

	(void)state;
	/* past the end of the flash */
	image1(&img, BASE + PAGE * PAGES - 32, data, sizeof(data));
	assert_int_equal(ub_op_write_image(&f->t, &img, &st), UB_ERANGE);
	assert_non_null(strstr(ub_errmsg(UB_ERANGE), "outside the 16 KB"));
	ub_image_free(&img);
	/* below the flash */
	image1(&img, 0x20000000, data, sizeof(data));
	assert_int_equal(ub_op_write_image(&f->t, &img, &st), UB_ERANGE);
	ub_image_free(&img);
	/* readout protection */
	f->t.info.rdp = true;
	image1(&img, BASE, data, sizeof(data));
	assert_int_equal(ub_op_write_image(&f->t, &img, &st), UB_EPROTECTED);
	assert_non_null(strstr(ub_errmsg(UB_EPROTECTED), "unprotect read"));
	ub_image_free(&img);
	assert_int_equal(f->erases + f->programs + f->mass_erases, 0);
	free(f);
}

static void protected_page_is_named(void **state)
{
	struct fake *f = fake_new();
	struct ub_write_stats st;
	struct ub_image img;
	uint8_t data[16] = {0};

	(void)state;
	f->t.info.wrp = 0xFFFFFFFE;	    /* pages 0-3 */
	memset(f->flash + 5 * PAGE, 0, 16); /* page 5 needs an erase: fine */
	image1(&img, BASE + 5 * PAGE, data, sizeof(data));
	assert_int_equal(ub_op_write_image(&f->t, &img, &st), 0);
	ub_image_free(&img);
	image1(&img, BASE + 3 * PAGE, data, sizeof(data));
	assert_int_equal(ub_op_write_image(&f->t, &img, &st), UB_EPROTECTED);
	assert_non_null(strstr(ub_errmsg(UB_EPROTECTED), "0x08000C00"));
	assert_non_null(strstr(ub_errmsg(UB_EPROTECTED), "unprotect"));
	ub_image_free(&img);
	free(f);
}

static void verify_names_the_first_difference(void **state)
{
	struct fake *f = fake_new();
	struct ub_image img;
	uint8_t data[64];

	(void)state;
	pattern(data, sizeof(data), 2);
	memcpy(f->flash + 8, data, sizeof(data));
	f->flash[8 + 40] ^= 1;
	image1(&img, BASE + 8, data, sizeof(data));
	assert_int_equal(ub_op_verify_image(&f->t, &img), UB_EVERIFY);
	assert_non_null(strstr(ub_errmsg(UB_EVERIFY), "0x08000030"));
	ub_image_free(&img);
	free(f);
}

static void erase_rounds_to_pages_and_uses_mass_erase(void **state)
{
	struct fake *f = fake_new();

	(void)state;
	memset(f->flash, 0, sizeof(f->flash));
	assert_int_equal(ub_op_erase(&f->t, BASE + PAGE + 10, 20), 0);
	assert_int_equal(f->erases, 1);
	assert_int_equal(f->flash[PAGE], 0xFF);
	assert_int_equal(f->flash[2 * PAGE - 1], 0xFF);
	assert_int_equal(f->flash[2 * PAGE], 0);
	assert_int_equal(ub_op_erase(&f->t, BASE + 2 * PAGE - 1, 2), 0);
	assert_int_equal(f->erases, 3); /* straddles two pages */
	assert_int_equal(ub_op_erase(&f->t, BASE, PAGE * PAGES), 0);
	assert_int_equal(f->mass_erases, 1);
	assert_int_equal(ub_op_erase(&f->t, BASE + PAGE * PAGES, 4), UB_ERANGE);
	f->t.info.wrp = 0xFFFFFFFD; /* pages 4-7 */
	assert_int_equal(ub_op_erase(&f->t, BASE + 6 * PAGE, 1), UB_EPROTECTED);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(blank_chip_programs_without_erase),
		cmocka_unit_test(keeps_what_the_image_does_not_cover),
		cmocka_unit_test(unchanged_pages_are_skipped),
		cmocka_unit_test(only_differing_halfwords_are_programmed),
		cmocka_unit_test(refuses_before_touching_the_chip),
		cmocka_unit_test(protected_page_is_named),
		cmocka_unit_test(verify_names_the_first_difference),
		cmocka_unit_test(erase_rounds_to_pages_and_uses_mass_erase),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
