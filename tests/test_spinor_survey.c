// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The planned write's survey on a bus with CRCs (src/spinor_write.c)
 * against the fake chip (spinor_fake.c), which counts the bytes its CRCs
 * read: the first SAMPLE bytes of each 4 KB unit first, the whole unit
 * only where the sample cannot decide. A unit whose sample matches but
 * whose later bytes differ is still written; one whose sample differs is
 * erased without being read further; a blank sample over old data later
 * in the unit means an erase, not programming; the same image again
 * changes nothing; other data all over costs a sixteenth of a read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "spinor_fake.h"
#include "ub/err.h"
#include "ub/spinor.h"

#define K(n)   ((n)*1024u)
#define M(n)   ((n)*1024u * 1024u)
#define UNIT   K(4)
#define SAMPLE 64u /* what spinor_write.c samples of a unit */

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	(void)rem;
	snf_sleep((uint64_t)req->tv_sec * 1000000000ull +
		  (uint64_t)req->tv_nsec);
	return 0;
}

static struct snf_chip c;
static struct snf_bus b;
static struct ub_nor n;

/* Random bytes, never 0x00 nor 0xFF: old 0x00 needs an erase under any
 * of them, and none of them is blank. */
static void fill_random(uint8_t *p, size_t len, unsigned seed)
{
	srand(seed);
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(rand() % 254 + 1);
}

/* A W25Q of size bytes (4 KB units) with fill everywhere, the bus with
 * CRCs and nothing else bulk, probed, the log clear. */
static void open_chip(uint32_t size, uint8_t fill)
{
	snf_w25q(&c, size == M(2) ? 0xEF4015 : 0xEF4017, size, 0x1C, true);
	c.bulk_crc = true;
	snf_init(&c, &b, fill);
	memset(&n, 0, sizeof(n));
	assert_int_equal(ub_nor_probe(&n, &b.bus), 0);
	snf_clear_log(&c);
}

static unsigned erases(void)
{
	return snf_count(&c, 0x20, ~0u) + snf_count(&c, 0x52, ~0u) +
	       snf_count(&c, 0xD8, ~0u) + snf_count(&c, 0xC7, ~0u) +
	       snf_count(&c, 0x60, ~0u);
}

/* Page programs inside [a, a + len). */
static unsigned programs_in(uint32_t a, uint32_t len)
{
	unsigned k = 0;

	for (size_t i = 0; i < c.nlog; i++)
		k += c.log[i].op == 0x02 && c.log[i].addr >= a &&
		     c.log[i].addr < a + len;
	return k;
}

/* (a) The sample equal, a byte later in the unit not: the unit is found
 * by its full CRC and written; the others are left alone. */
static void sample_equal_later_byte_differs(void **state)
{
	static uint8_t data[K(64)];
	struct ub_nor_stats st;
	uint32_t at = K(128), u3 = at + 3 * UNIT;

	(void)state;
	open_chip(M(8), 0x00);
	fill_random(data, sizeof(data), 1);
	memcpy(c.mem + at, data, sizeof(data));
	c.mem[u3 + 3000] = 0x00; /* past the sample; needs an erase */
	assert_int_equal(ub_nor_write(&n, at, data, sizeof(data), &st), 0);
	assert_memory_equal(c.mem + at, data, sizeof(data));
	assert_int_equal(st.sectors_touched, 16);
	assert_int_equal(st.sectors_unchanged, 15);
	assert_int_equal(st.sectors_erased, 1);
	assert_int_equal(erases(), 1);
	assert_int_equal(snf_count(&c, 0x20, u3), 1);
	assert_int_equal(programs_in(u3, UNIT), UNIT / 256);
	assert_int_equal(programs_in(0, M(8)), UNIT / 256);
	/* every sample, then every unit whole: all samples matched */
	assert_int_equal(c.crc_bytes, 16 * SAMPLE + 16 * UNIT);
	snf_free(&c);
}

/* (b) The sample differs: erased and written without its full CRC; the
 * partial first and last units are read and compared as before. */
static void sample_differs_erased_unread(void **state)
{
	static uint8_t data[K(32) - 200], old[K(32)];
	struct ub_nor_stats st;
	uint32_t at = K(64) + 100, u2 = K(64) + 2 * UNIT;

	(void)state;
	open_chip(M(8), 0x00);
	fill_random(data, sizeof(data), 2);
	fill_random(old, sizeof(old), 3);
	memcpy(c.mem + at, data, sizeof(data)); /* the data, but... */
	memcpy(c.mem + u2, old, 10);		/* ...unit 2's sample */
	memcpy(c.mem + K(64), old, 100);	/* before the data */
	assert_int_equal(ub_nor_write(&n, at, data, sizeof(data), &st), 0);
	assert_memory_equal(c.mem + at, data, sizeof(data));
	assert_memory_equal(c.mem + K(64), old, 100); /* kept */
	assert_int_equal(c.mem[at + sizeof(data)], 0x00);
	assert_int_equal(st.sectors_touched, 8);
	assert_int_equal(st.sectors_unchanged, 7);
	assert_int_equal(snf_count(&c, 0x20, u2), 1);
	assert_int_equal(erases(), 1);
	assert_int_equal(programs_in(u2, UNIT), UNIT / 256);
	/* 8 samples; 5 whole units asked for in full (not unit 2); the two
	 * partial units read (READ 0x03 at their starts) */
	assert_int_equal(c.crc_bytes, 8 * SAMPLE + 5 * UNIT);
	assert_int_equal(snf_count(&c, 0x03, K(64)), 1);
	assert_int_equal(snf_count(&c, 0x03, K(64) + 7 * UNIT), 1);
	assert_int_equal(snf_count(&c, 0x03, ~0u), 4); /* 2 KB a READ */
	snf_free(&c);
}

/* (c) A blank sample, old data later in the unit: an erase, not
 * "program-only" (which would AND the old bits into the new). */
static void blank_sample_old_data_later(void **state)
{
	static uint8_t data[K(16)];
	struct ub_nor_stats st;
	uint32_t u2 = 2 * UNIT;

	(void)state;
	open_chip(M(8), 0xFF);
	fill_random(data, sizeof(data), 4);
	c.mem[u2 + 2000] = 0x00;
	c.mem[u2 + UNIT - 1] = 0x12;
	assert_int_equal(ub_nor_write(&n, 0, data, sizeof(data), &st), 0);
	assert_memory_equal(c.mem, data, sizeof(data));
	assert_int_equal(st.sectors_unchanged, 0);
	assert_int_equal(st.sectors_erased, 1);
	assert_int_equal(erases(), 1);
	assert_int_equal(snf_count(&c, 0x20, u2), 1);
	/* the blank units programmed, not erased */
	assert_int_equal(programs_in(0, sizeof(data)), 4 * UNIT / 256);
	assert_int_equal(c.crc_bytes, 4 * SAMPLE + 4 * UNIT);
	snf_free(&c);
}

/* (d) The same image again: nothing erased, programmed, or enabled. */
static void identical_image_untouched(void **state)
{
	static uint8_t data[K(64)];
	struct ub_nor_stats st;

	(void)state;
	open_chip(M(8), 0xFF);
	fill_random(data, sizeof(data), 5);
	memset(data + K(20), 0xFF, K(8)); /* two blank units too */
	memcpy(c.mem + K(64), data, sizeof(data));
	assert_int_equal(ub_nor_write(&n, K(64), data, sizeof(data), &st), 0);
	assert_int_equal(st.sectors_unchanged, 16);
	assert_int_equal(st.erase_ops, 0);
	assert_int_equal(st.bytes_programmed, 0);
	assert_int_equal(erases() + snf_count(&c, 0x02, ~0u) +
				 snf_count(&c, 0x06, ~0u),
			 0);
	assert_int_equal(c.erases + c.programs, 0);
	assert_int_equal(c.crc_bytes, 16 * SAMPLE + 16 * UNIT);
	assert_memory_equal(c.mem + K(64), data, sizeof(data));
	snf_free(&c);
}

/* (e) 2 MB of random data over other random data: the survey reads the
 * samples alone, a 64th of the chip, and it all is one chip erase. */
static void random_over_random_sampled(void **state)
{
	uint8_t *data = malloc(M(2));
	struct ub_nor_stats st;

	(void)state;
	assert_non_null(data);
	open_chip(M(2), 0x00);
	fill_random(c.mem, M(2), 6);
	fill_random(data, M(2), 7);
	assert_int_equal(ub_nor_write(&n, 0, data, M(2), &st), 0);
	assert_int_equal(c.crc_bytes, 512 * SAMPLE);
	assert_int_equal(c.crc_bytes, M(2) / 64);
	assert_int_equal(c.n_crc, 2); /* 256 units a request */
	assert_int_equal(snf_count(&c, 0xC7, ~0u) + snf_count(&c, 0x60, ~0u),
			 1);
	assert_int_equal(erases(), 1);
	assert_int_equal(st.sectors_erased, 512);
	assert_int_equal(st.sectors_unchanged, 0);
	assert_memory_equal(c.mem, data, M(2));
	/* and the same again: everything checked whole, nothing written */
	snf_clear_log(&c);
	assert_int_equal(ub_nor_write(&n, 0, data, M(2), &st), 0);
	assert_int_equal(st.sectors_unchanged, 512);
	assert_int_equal(c.crc_bytes, M(2) + M(2) / 64);
	assert_int_equal(erases() + snf_count(&c, 0x02, ~0u), 0);
	free(data);
	snf_free(&c);
}

static int no_crc(struct ub_spi_bus *bus, uint32_t addr, uint32_t len,
		  uint32_t block, uint32_t span, uint32_t *crc)
{
	(void)bus;
	(void)addr;
	(void)len;
	(void)block;
	(void)span;
	(void)crc;
	return UB_EUNSUPPORTED;
}

/* A bus whose CRC op turns out to have no CRCs (its loader is off):
 * the survey reads instead, and the result is the same. */
static void crc_unsupported_reads(void **state)
{
	static uint8_t data[K(16)];
	struct ub_nor_stats st;

	(void)state;
	open_chip(M(8), 0x00);
	b.ops.crc32 = no_crc;
	fill_random(data, sizeof(data), 8);
	memcpy(c.mem + UNIT, data + UNIT, UNIT); /* unit 1 unchanged */
	assert_int_equal(ub_nor_write(&n, 0, data, sizeof(data), &st), 0);
	assert_memory_equal(c.mem, data, sizeof(data));
	assert_int_equal(st.sectors_unchanged, 1);
	for (uint32_t a = 0; a < sizeof(data); a += UNIT) /* each read */
		assert_int_equal(snf_count(&c, 0x03, a), 1);
	assert_int_equal(snf_count(&c, 0x20, UNIT), 0);
	snf_free(&c);
}

/* Units of 256 bytes (M25PE16 page erase): no sample pass, as before. */
static void small_units_not_sampled(void **state)
{
	static uint8_t data[K(4)];
	struct ub_nor_stats st;

	(void)state;
	snf_m25p(&c, 0x208015, M(2), true);
	c.bulk_crc = true;
	snf_init(&c, &b, 0x00);
	memset(&n, 0, sizeof(n));
	assert_int_equal(ub_nor_probe(&n, &b.bus), 0);
	snf_clear_log(&c);
	fill_random(data, sizeof(data), 9);
	assert_int_equal(ub_nor_write(&n, 0, data, sizeof(data), &st), 0);
	assert_memory_equal(c.mem, data, sizeof(data));
	assert_int_equal(c.crc_bytes, sizeof(data));
	assert_int_equal(c.n_crc, 1);
	assert_int_equal(st.sectors_erased, 16);
	snf_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sample_equal_later_byte_differs),
		cmocka_unit_test(sample_differs_erased_unread),
		cmocka_unit_test(blank_sample_old_data_later),
		cmocka_unit_test(identical_image_untouched),
		cmocka_unit_test(random_over_random_sampled),
		cmocka_unit_test(crc_unsupported_reads),
		cmocka_unit_test(small_units_not_sampled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
