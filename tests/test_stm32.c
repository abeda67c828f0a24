// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The STM32 device table: every row is complete and consistent, DEV_IDs are
 * unique, the F1 rows match RM0008/RM0041 and AN2606 exactly, sector
 * layouts add up, page lookups are right at the boundaries, unknown DEV_IDs
 * give NULL and unsupported families a message naming the chip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ub/err.h"
#include "ub/stm32.h"

#define K(n) ((n)*1024u)
#define M(n) ((n)*1024u * 1024u)

static const struct ub_stm32_dev *dev(uint16_t id)
{
	const struct ub_stm32_dev *d = ub_stm32_by_id(id);

	if (!d)
		fail_msg("DEV_ID 0x%03X is missing", id);
	return d;
}

static int pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

static void every_row_is_complete(void **state)
{
	size_t n;
	const struct ub_stm32_dev *t = ub_stm32_devices(&n);

	(void)state;
	assert_true(n >= 60);
	for (size_t i = 0; i < n; i++) {
		const struct ub_stm32_dev *d = &t[i];
		const struct ub_stm32_layout *l = &d->layout;
		uint32_t ram_end = d->ram_base + d->ram_size;

		if (d->dev_id == 0 || d->dev_id > 0xFFF)
			fail_msg("row %zu: DEV_ID 0x%X", i, d->dev_id);
		if (!d->name || strncmp(d->name, "STM32", 5))
			fail_msg("0x%03X: name '%s'", d->dev_id,
				 d->name ? d->name : "(null)");
		if (!d->family || strncmp(d->family, "stm32", 5) ||
		    strlen(d->family) < 7)
			fail_msg("0x%03X: family", d->dev_id);
		if (!d->source || !strstr(d->source, "AN2606") ||
		    !strstr(d->source, "RM0"))
			fail_msg("0x%03X: source '%s'", d->dev_id,
				 d->source ? d->source : "(null)");
		if (d->flash_base != 0x08000000)
			fail_msg("0x%03X: flash base", d->dev_id);
		if (d->flash_max < K(16) || d->flash_max > M(4) ||
		    d->flash_max % K(16))
			fail_msg("0x%03X: flash %u", d->dev_id, d->flash_max);
		if (d->flash_size_reg < 0x08000000 ||
		    (d->flash_size_reg >= d->flash_base &&
		     d->flash_size_reg < d->flash_base + d->flash_max) ||
		    d->flash_size_reg & 1)
			fail_msg("0x%03X: flash size register 0x%08X",
				 d->dev_id, d->flash_size_reg);
		if (d->idcode_addr != 0xE0042000 &&
		    d->idcode_addr != 0x40015800 &&
		    d->idcode_addr != 0x5C001000 &&
		    d->idcode_addr != 0xE0044000)
			fail_msg("0x%03X: IDCODE at 0x%08X", d->dev_id,
				 d->idcode_addr);
		if (d->ram_base != 0x20000000 || d->ram_size < K(2) ||
		    d->ram_size > M(4) || d->ram_size % K(1))
			fail_msg("0x%03X: RAM %u", d->dev_id, d->ram_size);
		if (d->boot_ram_end) {
			if (d->boot_ram_end <= d->ram_base ||
			    d->boot_ram_end > ram_end)
				fail_msg("0x%03X: bootloader RAM end 0x%08X",
					 d->dev_id, d->boot_ram_end);
		} else if (!(d->unsure & UB_STM32_UNSURE_BOOT_RAM)) {
			fail_msg("0x%03X: unknown bootloader RAM not marked",
				 d->dev_id);
		}
		if (d->usart1) {
			if (!strchr(d->usart1, '/'))
				fail_msg("0x%03X: pins '%s'", d->dev_id,
					 d->usart1);
		} else if (!(d->unsure & UB_STM32_UNSURE_PINS)) {
			fail_msg("0x%03X: unknown pins not marked", d->dev_id);
		}
		if (d->can_program != !strcmp(d->family, "stm32f1"))
			fail_msg("0x%03X: can_program", d->dev_id);

		/* exactly one kind of layout */
		if (!l->page == !l->sectors)
			fail_msg("0x%03X: page and sectors", d->dev_id);
		if (l->page &&
		    (!pow2(l->page) || l->page < 128 || d->flash_max % l->page))
			fail_msg("0x%03X: page %u", d->dev_id, l->page);
		if (l->sectors && !l->nsectors)
			fail_msg("0x%03X: empty sector list", d->dev_id);
		for (unsigned s = 0; l->sectors && s < l->nsectors; s++)
			if (!pow2(l->sectors[s]))
				fail_msg("0x%03X: sector %u", d->dev_id, s);
		if (l->bank2 >= d->flash_max || l->bank2 % K(1))
			fail_msg("0x%03X: bank 2 at 0x%X", d->dev_id, l->bank2);
		if (l->banks == UB_STM32_TWO_BANKS && !l->bank2)
			fail_msg("0x%03X: two banks, no bank 2", d->dev_id);
		if (l->banks == UB_STM32_ONE_BANK && l->bank2)
			fail_msg("0x%03X: one bank, bank 2 given", d->dev_id);
	}
}

static void dev_ids_are_unique(void **state)
{
	size_t n;
	const struct ub_stm32_dev *t = ub_stm32_devices(&n);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n; j++)
			if (t[i].dev_id == t[j].dev_id)
				fail_msg("DEV_ID 0x%03X twice", t[i].dev_id);
		assert_ptr_equal(ub_stm32_by_id(t[i].dev_id), &t[i]);
	}
}

/* Walking the erase units from 0 covers the flash exactly, bank by bank. */
static void layouts_add_up(void **state)
{
	size_t n;
	const struct ub_stm32_dev *t = ub_stm32_devices(&n);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		const struct ub_stm32_dev *d = &t[i];
		uint32_t pos = 0, start, size;
		int saw_bank2 = !d->layout.bank2;

		while (pos < d->flash_max) {
			if (ub_stm32_page_of(d, pos, &start, &size))
				fail_msg("0x%03X: no page at 0x%X", d->dev_id,
					 pos);
			if (start != pos || !size)
				fail_msg("0x%03X: page at 0x%X starts at 0x%X",
					 d->dev_id, pos, start);
			/* the last byte is in the same unit */
			if (ub_stm32_page_size(d, pos + size - 1) != size)
				fail_msg("0x%03X: unit at 0x%X", d->dev_id,
					 pos);
			if (pos == d->layout.bank2)
				saw_bank2 = 1;
			pos += size;
		}
		if (pos != d->flash_max)
			fail_msg("0x%03X: units end at 0x%X, flash at 0x%X",
				 d->dev_id, pos, d->flash_max);
		if (!saw_bank2)
			fail_msg("0x%03X: no unit starts bank 2", d->dev_id);
		assert_int_equal(
			ub_stm32_page_of(d, d->flash_max, &start, &size),
			UB_ERANGE);
		assert_int_equal(ub_stm32_page_size(d, d->flash_max), 0);
	}
}

static void f1_rows_exact(void **state)
{
	static const struct {
		uint16_t id;
		const char *name;
		uint32_t flash, page, ram, boot_end, bank2;
	} want[] = {
		/* RM0008 §3.3.3 and the datasheets; AN2606's F1 sections */
		{0x412, "STM32F10xxx low-density", K(32), K(1), K(10),
		 0x20000200, 0},
		{0x410, "STM32F10xxx medium-density", K(128), K(1), K(20),
		 0x20000200, 0},
		{0x414, "STM32F10xxx high-density", K(512), K(2), K(64),
		 0x20000200, 0},
		{0x430, "STM32F10xxx XL-density", M(1), K(2), K(96), 0x20000800,
		 K(512)},
		{0x418, "STM32F105xx/107xx connectivity line", K(256), K(2),
		 K(64), 0x20001000, 0},
		{0x420, "STM32F100xx low/medium-density value line", K(128),
		 K(1), K(8), 0x20000200, 0},
		{0x428, "STM32F100xx high-density value line", K(512), K(2),
		 K(32), 0x20000200, 0},
	};
	size_t n, nf1 = 0;
	const struct ub_stm32_dev *t = ub_stm32_devices(&n);

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct ub_stm32_dev *d = dev(want[i].id);

		assert_string_equal(d->name, want[i].name);
		assert_string_equal(d->family, "stm32f1");
		assert_int_equal(d->flash_base, 0x08000000);
		assert_int_equal(d->flash_max, want[i].flash);
		assert_int_equal(d->flash_size_reg, 0x1FFFF7E0);
		assert_int_equal(d->idcode_addr, 0xE0042000);
		assert_int_equal(d->layout.page, want[i].page);
		assert_null(d->layout.sectors);
		assert_int_equal(d->layout.bank2, want[i].bank2);
		assert_int_equal(d->layout.banks, want[i].bank2
							  ? UB_STM32_TWO_BANKS
							  : UB_STM32_ONE_BANK);
		assert_int_equal(d->ram_base, 0x20000000);
		assert_int_equal(d->ram_size, want[i].ram);
		assert_int_equal(d->boot_ram_end, want[i].boot_end);
		assert_string_equal(d->usart1, "PA9/PA10");
		assert_true(d->can_program);
		assert_int_equal(d->unsure, 0);
		assert_non_null(strstr(d->source, "AN2606"));
		assert_non_null(strstr(
			d->source, want[i].id == 0x420 || want[i].id == 0x428
					   ? "RM0041"
					   : "RM0008"));
	}
	/* and no other row claims to be an F1 */
	for (size_t i = 0; i < n; i++)
		nf1 += !strcmp(t[i].family, "stm32f1");
	assert_int_equal(nf1, sizeof(want) / sizeof(want[0]));
}

/* offset -> the start and size of its erase unit */
static void unit(uint16_t id, uint32_t offset, uint32_t start, uint32_t size)
{
	const struct ub_stm32_dev *d = dev(id);
	uint32_t s = 0xDEAD, z = 0xBEEF;

	if (ub_stm32_page_of(d, offset, &s, &z))
		fail_msg("0x%03X: 0x%X refused: %s", id, offset,
			 ub_errmsg(UB_ERANGE));
	if (s != start || z != size)
		fail_msg("0x%03X: 0x%X is in 0x%X+%u, want 0x%X+%u", id, offset,
			 s, z, start, size);
	assert_int_equal(ub_stm32_page_size(d, offset), size);
}

static void uniform_pages_at_boundaries(void **state)
{
	const struct ub_stm32_dev *md = dev(0x410);

	(void)state;
	unit(0x410, 0, 0, K(1));
	unit(0x410, 0x3FF, 0, K(1));
	unit(0x410, 0x400, 0x400, K(1));
	unit(0x410, 0x1FFFF, 0x1FC00, K(1));
	ub_clear_error();
	assert_int_equal(ub_stm32_page_of(md, 0x20000, NULL, NULL), UB_ERANGE);
	assert_non_null(strstr(ub_errmsg(UB_ERANGE), "128 KB"));
	assert_int_equal(ub_stm32_page_size(md, 0x20000), 0);
	assert_int_equal(ub_stm32_page_size(md, UINT32_MAX), 0);

	unit(0x414, 0x7FF, 0, K(2));
	unit(0x414, 0x800, 0x800, K(2));
	unit(0x414, 0x7FFFF, 0x7F800, K(2));
	/* XL: bank 2 at 512 KB, same pages */
	unit(0x430, 0x7FFFF, 0x7F800, K(2));
	unit(0x430, 0x80000, 0x80000, K(2));
	unit(0x430, 0xFFFFF, 0xFF800, K(2));
	/* L0: 128-byte pages; L1: 256 */
	unit(0x417, 0x17F, 0x100, 128);
	unit(0x437, 0x40101, 0x40100, 256);
	/* H7: 128 KB sectors in two banks */
	unit(0x450, 0x100000, 0x100000, K(128));
	unit(0x450, 0x1FFFFF, 0x1E0000, K(128));

	assert_int_equal(ub_stm32_page_of(NULL, 0, NULL, NULL), UB_EINVAL);
	assert_int_equal(ub_stm32_page_size(NULL, 0), 0);
}

static void sector_layouts(void **state)
{
	const struct ub_stm32_dev *f4 = dev(0x413);
	uint32_t pos = 0, start, size, sizes[16];
	unsigned n = 0;

	(void)state;
	/* F4 1 MB = 4 x 16 + 64 + 7 x 128 KB */
	while (pos < f4->flash_max && n < 16) {
		assert_int_equal(ub_stm32_page_of(f4, pos, &start, &size), 0);
		sizes[n++] = size;
		pos += size;
	}
	assert_int_equal(n, 12);
	assert_int_equal(pos, M(1));
	for (unsigned i = 0; i < 12; i++)
		assert_int_equal(sizes[i], i < 4    ? K(16)
					   : i == 4 ? K(64)
						    : K(128));

	unit(0x413, 0, 0, K(16));
	unit(0x413, 0x3FFF, 0, K(16));
	unit(0x413, 0x4000, 0x4000, K(16));
	unit(0x413, 0xFFFF, 0xC000, K(16));
	unit(0x413, 0x10000, 0x10000, K(64));
	unit(0x413, 0x1FFFF, 0x10000, K(64));
	unit(0x413, 0x20000, 0x20000, K(128));
	unit(0x413, 0x3FFFF, 0x20000, K(128));
	unit(0x413, 0x40000, 0x40000, K(128));
	unit(0x413, 0xFFFFF, 0xE0000, K(128));
	assert_int_equal(ub_stm32_page_of(f4, M(1), &start, &size), UB_ERANGE);

	/* F42x 2 MB: bank 2 at 1 MB starts over with 16 KB sectors */
	unit(0x419, 0xFFFFF, 0xE0000, K(128));
	unit(0x419, 0x100000, 0x100000, K(16));
	unit(0x419, 0x10C000, 0x10C000, K(16));
	unit(0x419, 0x110000, 0x110000, K(64));
	unit(0x419, 0x120000, 0x120000, K(128));
	unit(0x419, 0x1FFFFF, 0x1E0000, K(128));

	/* F2 like F4; F413 1.5 MB: 11 sectors of 128 KB after the 64 */
	unit(0x411, 0xC000, 0xC000, K(16));
	unit(0x463, 0x17FFFF, 0x160000, K(128));

	/* F74x: 4 x 32 + 128 + 256 KB */
	unit(0x449, 0x7FFF, 0, K(32));
	unit(0x449, 0x18000, 0x18000, K(32));
	unit(0x449, 0x20000, 0x20000, K(128));
	unit(0x449, 0x40000, 0x40000, K(256));
	unit(0x449, 0xFFFFF, 0xC0000, K(256));
	/* F72x uses the F4 sizes */
	unit(0x452, 0x10000, 0x10000, K(64));
}

static void unknown_dev_id(void **state)
{
	(void)state;
	assert_null(ub_stm32_by_id(0x000));
	assert_null(ub_stm32_by_id(0xFFF));
	assert_null(ub_stm32_by_id(0x641)); /* not an AN2606 DEV_ID */
	assert_null(ub_stm32_by_id(0x9A8));
	/* only DEV_ID[11:0] counts */
	assert_ptr_equal(ub_stm32_by_id(0x2410), ub_stm32_by_id(0x410));
}

static void unsupported_family(void **state)
{
	const char *msg;

	(void)state;
	ub_clear_error();
	assert_int_equal(ub_stm32_check_supported(dev(0x410)), 0);
	assert_int_equal(ub_stm32_check_supported(dev(0x430)), 0);

	assert_int_equal(ub_stm32_check_supported(dev(0x413)), UB_EUNSUPPORTED);
	msg = ub_errmsg(UB_EUNSUPPORTED);
	assert_string_equal(msg, "STM32F4 (STM32F40xxx/41xxx, DEV_ID 0x413) "
				 "is not supported yet: unbrick programs "
				 "STM32F1 only");

	assert_int_equal(ub_stm32_check_supported(dev(0x4B0)), UB_EUNSUPPORTED);
	msg = ub_errmsg(UB_EUNSUPPORTED);
	assert_non_null(strstr(msg, "STM32WBA ("));
	assert_non_null(strstr(msg, "DEV_ID 0x4B0"));

	/* every other family is refused, naming itself */
	size_t n;
	const struct ub_stm32_dev *t = ub_stm32_devices(&n);

	for (size_t i = 0; i < n; i++) {
		if (t[i].can_program)
			continue;
		assert_int_equal(ub_stm32_check_supported(&t[i]),
				 UB_EUNSUPPORTED);
		assert_non_null(strstr(ub_errmsg(UB_EUNSUPPORTED), t[i].name));
	}
	assert_int_equal(ub_stm32_check_supported(NULL), UB_EUNSUPPORTED);
}

static void revisions(void **state)
{
	(void)state;
	assert_string_equal(ub_stm32_rev_name(dev(0x410), 0x0000), "A");
	assert_string_equal(ub_stm32_rev_name(dev(0x410), 0x2000), "B");
	assert_string_equal(ub_stm32_rev_name(dev(0x410), 0x2003),
			    "1, 2, 3, X or Y");
	assert_string_equal(ub_stm32_rev_name(dev(0x414), 0x1001), "Z");
	assert_string_equal(ub_stm32_rev_name(dev(0x418), 0x1000), "A");
	assert_null(ub_stm32_rev_name(dev(0x410), 0x1000));
	assert_null(ub_stm32_rev_name(dev(0x413), 0x1000));
	assert_null(ub_stm32_rev_name(NULL, 0x1000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_row_is_complete),
		cmocka_unit_test(dev_ids_are_unique),
		cmocka_unit_test(layouts_add_up),
		cmocka_unit_test(f1_rows_exact),
		cmocka_unit_test(uniform_pages_at_boundaries),
		cmocka_unit_test(sector_layouts),
		cmocka_unit_test(unknown_dev_id),
		cmocka_unit_test(unsupported_family),
		cmocka_unit_test(revisions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
