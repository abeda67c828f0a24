// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SPI NOR driver's erase planner and planned write against a fake chip
 * (spinor_fake.c): the largest erase that fits, the chip erase, the data
 * around a write kept, unchanged units left alone, program-only units not
 * erased; SST AAI with odd ends; verify naming the address; the bus's bulk
 * operations used when it has them; a chip that stays busy; Ctrl-C.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "spinor_fake.h"
#include "ub/err.h"
#include "ub/progress.h"
#include "ub/spinor.h"

#define K(n) ((n)*1024u)
#define M(n) ((n)*1024u * 1024u)

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

static void fill_random(uint8_t *p, size_t len, unsigned seed)
{
	srand(seed);
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(rand() |
				 1); /* never 0: 0x00 old needs erase */
}

/* A W25Q64 (or what shape() made) with fill everywhere, probed. */
static void open_chip(uint8_t fill)
{
	snf_init(&c, &b, fill);
	memset(&n, 0, sizeof(n));
	assert_int_equal(ub_nor_probe(&n, &b.bus), 0);
	snf_clear_log(&c);
}

static void w25q64(uint8_t fill)
{
	snf_w25q(&c, 0xEF4017, M(8), 0x1C, true);
	open_chip(fill);
}

/* The erase commands logged, in order, as "op@addr ..." */
static void erase_log(char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = 0;
	for (size_t i = 0; i < c.nlog && o < len; i++) {
		uint8_t op = c.log[i].op;

		if (op == 0x20 || op == 0x52 || op == 0xD8 || op == 0xDB ||
		    op == 0xC7 || op == 0x60)
			o += (size_t)snprintf(buf + o, len - o, "%s%02X@%X",
					      o ? " " : "", op, c.log[i].addr);
	}
}

static void planner_largest_fit(void **state)
{
	char log[512];

	(void)state;
	w25q64(0x00);
	assert_int_equal(ub_nor_erase(&n, 0x1000, 0x1F000), 0);
	erase_log(log, sizeof(log));
	assert_string_equal(log, "20@1000 20@2000 20@3000 20@4000 20@5000 "
				 "20@6000 20@7000 52@8000 D8@10000");
	assert_true(c.slept_ns > 0); /* erases are waited for asleep */
	assert_int_equal(c.mem[0xFFF], 0x00);
	assert_int_equal(c.mem[0x1000], 0xFF);
	assert_int_equal(c.mem[0x1FFFF], 0xFF);
	assert_int_equal(c.mem[0x20000], 0x00);
	snf_clear_log(&c);
	assert_int_equal(ub_nor_erase(&n, 0x10000, 0x18000), 0);
	erase_log(log, sizeof(log));
	assert_string_equal(log, "D8@10000 52@20000");
	assert_int_equal(ub_nor_erase(&n, 0x1001, 0x1000), UB_EINVAL);
	assert_int_equal(ub_nor_erase(&n, M(8) - K(4), K(8)), UB_ERANGE);
	snf_clear_log(&c);
	assert_int_equal(ub_nor_erase(&n, 0, M(8)), 0);
	erase_log(log, sizeof(log));
	assert_string_equal(log, "C7@0");
	snf_free(&c);
}

static void write_keeps_data_around(void **state)
{
	static uint8_t old[K(8)], data[100];
	struct ub_nor_stats st;

	(void)state;
	w25q64(0x00);
	fill_random(old, sizeof(old), 1);
	memcpy(c.mem, old, sizeof(old));
	fill_random(data, sizeof(data), 2);
	assert_int_equal(ub_nor_write(&n, 0x1234, data, sizeof(data), &st), 0);
	assert_memory_equal(c.mem, old, 0x1234);
	assert_memory_equal(c.mem + 0x1234, data, sizeof(data));
	assert_memory_equal(c.mem + 0x1234 + 100, old + 0x1234 + 100,
			    sizeof(old) - 0x1234 - 100);
	assert_int_equal(st.sectors_touched, 1);
	assert_int_equal(st.sectors_erased, 1);
	assert_int_equal(st.erase_ops, 1);
	assert_int_equal(snf_count(&c, 0x20, 0x1000), 1);
	assert_int_equal(ub_nor_verify(&n, 0, c.mem, sizeof(old)), 0);
	snf_free(&c);
}

static void write_plans_largest_erases(void **state)
{
	uint32_t len = K(200), at = 0x3000;
	uint8_t *data = malloc(len);
	struct ub_nor_stats st;
	char log[1024];

	(void)state;
	w25q64(0x00);
	fill_random(data, len, 3);
	assert_int_equal(ub_nor_write(&n, at, data, len, &st), 0);
	assert_memory_equal(c.mem + at, data, len);
	assert_int_equal(c.mem[at - 1], 0x00);
	assert_int_equal(c.mem[at + len], 0x00);
	erase_log(log, sizeof(log));
	assert_string_equal(log, "20@3000 20@4000 20@5000 20@6000 20@7000 "
				 "52@8000 D8@10000 D8@20000 20@30000 "
				 "20@31000 20@32000 20@33000 20@34000");
	assert_int_equal(st.erase_ops, 13);
	assert_int_equal(st.sectors_erased, 50);
	assert_int_equal(st.sectors_touched, 50);
	assert_true(c.max_prog_sleep_ns <= 16000); /* one poll at 1 MHz */
	free(data);
	snf_free(&c);
}

static void unchanged_and_program_only(void **state)
{
	static uint8_t data[K(12)];
	struct ub_nor_stats st;

	(void)state;
	w25q64(0xFF);
	fill_random(data, sizeof(data), 4);
	data[K(8) + 5] = 0x0F;
	/* blank: programmed, not erased */
	assert_int_equal(ub_nor_write(&n, K(4), data, sizeof(data), &st), 0);
	assert_int_equal(st.erase_ops, 0);
	assert_int_equal(st.sectors_unchanged, 0);
	assert_true(st.bytes_programmed > sizeof(data) - 256 &&
		    st.bytes_programmed <= sizeof(data));
	assert_memory_equal(c.mem + K(4), data, sizeof(data));
	/* the same again: nothing sent but reads */
	snf_clear_log(&c);
	assert_int_equal(ub_nor_write(&n, K(4), data, sizeof(data), &st), 0);
	assert_int_equal(st.sectors_touched, 3);
	assert_int_equal(st.sectors_unchanged, 3);
	assert_int_equal(st.bytes_programmed, 0);
	assert_int_equal(snf_count(&c, 0x02, ~0u) + snf_count(&c, 0x20, ~0u) +
				 snf_count(&c, 0x06, ~0u),
			 0);
	/* one unit unchanged, one 1 -> 0 only, one needing an erase */
	memset(data + K(4), 0, K(4)); /* clears bits only */
	data[K(8) + 5] = 0xF0;	      /* sets bits: 0x0F -> 0xF0 */
	snf_clear_log(&c);
	assert_int_equal(ub_nor_write(&n, K(4), data, sizeof(data), &st), 0);
	assert_int_equal(st.sectors_unchanged, 1);
	assert_int_equal(st.erase_ops, 1);
	assert_int_equal(snf_count(&c, 0x20, K(12)), 1);
	assert_memory_equal(c.mem + K(4), data, sizeof(data));
	/* the program-only unit: programmed, not erased */
	assert_true(snf_count(&c, 0x02, K(8)) >= 1);
	assert_int_equal(snf_count(&c, 0x02, K(4)), 0);
	snf_free(&c);
}

static void whole_chip_is_one_erase(void **state)
{
	uint8_t *data = malloc(M(2));
	struct ub_nor_stats st;
	char log[64];

	(void)state;
	snf_w25q(&c, 0xEF4015, M(2), 0x1C, true);
	open_chip(0x00);
	fill_random(data, M(2), 5);
	assert_int_equal(ub_nor_write(&n, 0, data, M(2), &st), 0);
	erase_log(log, sizeof(log));
	assert_string_equal(log, "C7@0");
	assert_int_equal(st.erase_ops, 1);
	assert_int_equal(st.sectors_erased, 512);
	assert_memory_equal(c.mem, data, M(2));
	/* not when a unit already holds its data */
	memset(c.mem + K(64), 0x00, M(2) - K(64));
	snf_clear_log(&c);
	assert_int_equal(ub_nor_write(&n, 0, data, M(2), &st), 0);
	assert_int_equal(snf_count(&c, 0xC7, ~0u), 0);
	assert_int_equal(st.sectors_unchanged, 16);
	assert_int_equal(st.erase_ops, 31);
	assert_memory_equal(c.mem, data, M(2));
	free(data);
	snf_free(&c);
}

static void aai_odd_start_and_end(void **state)
{
	static const uint8_t d[8] = {0x11, 0x22, 0x33, 0x44,
				     0x55, 0x66, 0x77, 0x88};
	static uint8_t big[1024];
	unsigned with_addr = 0;

	(void)state;
	snf_sst25(&c, 0xBF2541, M(2)); /* BP bits set at power-up */
	open_chip(0xFF);
	assert_true(n.protected_);
	assert_int_equal(ub_nor_write(&n, 0x101, d, sizeof(d), NULL), 0);
	assert_memory_equal(c.mem + 0x101, d, sizeof(d));
	assert_int_equal(c.mem[0x100], 0xFF);
	assert_int_equal(c.mem[0x109], 0xFF);
	assert_int_equal(snf_count(&c, 0x50, ~0u), 1); /* EWSR, WRSR */
	assert_int_equal(snf_count(&c, 0x02, 0x101), 1);
	assert_int_equal(snf_count(&c, 0x02, 0x108), 1);
	assert_int_equal(snf_count(&c, 0x02, ~0u), 2);
	assert_int_equal(snf_count(&c, 0xAD, 0x102), 1);
	assert_int_equal(snf_count(&c, 0xAD, ~0u), 3);
	assert_int_equal(snf_count(&c, 0x04, ~0u), 1); /* WRDI */
	assert_false(c.aai);
	/* blank 256-byte steps are skipped: two AAI runs */
	memset(big, 0x5A, sizeof(big));
	memset(big + 256, 0xFF, 512);
	snf_clear_log(&c);
	assert_int_equal(ub_nor_write(&n, K(8), big, sizeof(big), NULL), 0);
	for (size_t i = 0; i < c.nlog; i++)
		with_addr += c.log[i].op == 0xAD && c.log[i].len == 2;
	assert_int_equal(with_addr, 2);
	assert_int_equal(snf_count(&c, 0xAD, ~0u), 256);
	assert_memory_equal(c.mem + K(8), big, sizeof(big));
	assert_int_equal(c.sleeps_while_programming, 0);
	snf_free(&c);
}

static void verify_names_address(void **state)
{
	static uint8_t data[K(10)];

	(void)state;
	for (int crc = 0; crc < 2; crc++) {
		snf_w25q(&c, 0xEF4017, M(8), 0x1C, true);
		c.bulk_crc = crc;
		c.bulk_read = crc;
		open_chip(0xFF);
		fill_random(data, sizeof(data), 6);
		assert_int_equal(
			ub_nor_write(&n, 0x1000, data, sizeof(data), NULL), 0);
		assert_int_equal(ub_nor_verify(&n, 0x1000, data, sizeof(data)),
				 0);
		c.mem[0x2235] ^= 0x10;
		snf_clear_log(&c);
		assert_int_equal(ub_nor_verify(&n, 0x1000, data, sizeof(data)),
				 UB_EVERIFY);
		char want[64];

		snprintf(want, sizeof(want),
			 "spi:0x002235 reads 0x%02X, expected 0x%02X",
			 c.mem[0x2235], data[0x1235]);
		assert_string_equal(ub_errmsg(UB_EVERIFY), want);
		if (crc) { /* only the bad block was read */
			assert_int_equal(c.n_crc, 1);
			assert_int_equal(c.n_read, 1);
		}
		snf_free(&c);
	}
}

static void bulk_operations_used(void **state)
{
	uint32_t len = K(64);
	uint8_t *data = malloc(len);
	struct ub_nor_stats st;

	(void)state;
	snf_sst25(&c, 0xBF2541, M(2));
	c.bulk_read = c.bulk_program = c.bulk_erase = c.bulk_crc = true;
	open_chip(0xFF);
	fill_random(data, len, 7);
	/* blank: CRCs say so, nothing read, nothing erased */
	assert_int_equal(ub_nor_write(&n, K(64), data, len, &st), 0);
	assert_int_equal(c.n_read, 0);
	assert_int_equal(c.n_erase, 0);
	assert_true(c.n_program >= 1);
	assert_int_equal(snf_count(&c, 0xAD, ~0u), 0);
	assert_int_equal(snf_count(&c, 0x02, ~0u), 0);
	assert_memory_equal(c.mem + K(64), data, len);
	/* unchanged: CRCs only (the units' samples, then the units) */
	snf_clear_log(&c);
	assert_int_equal(ub_nor_write(&n, K(64), data, len, &st), 0);
	assert_int_equal(c.n_read + c.n_program + c.n_erase, 0);
	assert_int_equal(c.n_crc, 2);
	assert_int_equal(st.sectors_unchanged, 16);
	/* changed everywhere: erased (one 64 KB erase) without reading */
	fill_random(data, len, 8);
	snf_clear_log(&c);
	assert_int_equal(ub_nor_write(&n, K(64), data, len, &st), 0);
	assert_int_equal(c.n_read, 0);
	assert_int_equal(c.n_erase, 1);
	assert_int_equal(snf_count(&c, 0xD8, K(64)), 1);
	assert_memory_equal(c.mem + K(64), data, len);
	/* a partial unit is read to keep what is around the data */
	snf_clear_log(&c);
	assert_int_equal(ub_nor_write(&n, K(64) + 10, data, 100, &st), 0);
	assert_int_equal(c.n_read, 1);
	assert_int_equal(ub_nor_verify(&n, K(64) + 10, data, 100), 0);
	assert_int_equal(c.n_read, 1);
	free(data);
	snf_free(&c);
}

static int ff_xfer(struct ub_spi_bus *bus, const uint8_t *tx, size_t ntx,
		   uint8_t *rx, size_t nrx)
{
	(void)bus;
	(void)tx;
	(void)ntx;
	if (nrx)
		memset(rx, 0xFF, nrx);
	snf_current->now_ns += 16000;
	return 0;
}

static void busy_timeout(void **state)
{
	static const uint8_t d[4] = {1, 2, 3, 4};
	const char *m;
	unsigned ms;

	(void)state;
	w25q64(0xFF);
	c.stuck = true;
	assert_int_equal(ub_nor_erase(&n, K(4), K(4)), UB_ETIMEOUT);
	m = ub_errmsg(UB_ETIMEOUT);
	assert_int_equal(sscanf(m, "the SPI flash stayed busy for %u ms", &ms),
			 1);
	assert_true(ms >= 800 && ms <= 850); /* twice tSE max, 400 ms */
	assert_non_null(strstr(m, "after erasing 4 KB at spi:0x001000"));
	/* a stuck program is polled at the wire's pace: naps of one poll
	 * (16 us at 1 MHz) until twice tPP max (3 ms) */
	c.busy_until = 0;
	c.slept_ns = 0;
	c.max_prog_sleep_ns = 0;
	assert_int_equal(ub_nor_write(&n, 0, d, 4, NULL), UB_ETIMEOUT);
	m = ub_errmsg(UB_ETIMEOUT);
	assert_non_null(strstr(m, "stayed busy for 6 ms after programming "
				  "spi:0x000000"));
	assert_true(c.slept_ns >= 6000000 && c.slept_ns < 6100000);
	assert_int_equal(c.max_prog_sleep_ns, 16000);
	/* MISO gone: the status reads 0xFF */
	c.busy_until = 0;
	c.stuck = false;
	b.ops.xfer = ff_xfer;
	assert_int_equal(ub_nor_erase(&n, K(8), K(4)), UB_ETIMEOUT);
	assert_non_null(strstr(ub_errmsg(UB_ETIMEOUT), "status reads 0xFF"));
	snf_free(&c);
}

static void m25pe16_page_units(void **state)
{
	static uint8_t data[600];
	struct ub_nor_stats st;

	(void)state;
	snf_m25p(&c, 0x208015, M(2), true);
	open_chip(0x00);
	fill_random(data, sizeof(data), 9);
	assert_int_equal(ub_nor_write(&n, 0x10080, data, sizeof(data), &st), 0);
	assert_int_equal(st.sectors_touched, 3);
	assert_int_equal(snf_count(&c, 0xDB, ~0u), 3); /* 256 B erases */
	assert_int_equal(snf_count(&c, 0x20, ~0u), 0);
	assert_memory_equal(c.mem + 0x10080, data, sizeof(data));
	assert_int_equal(c.mem[0x1007F], 0);
	assert_int_equal(c.mem[0x10080 + sizeof(data)], 0);
	snf_free(&c);
}

static void progress_reported(void **state)
{
	static uint8_t data[K(128)];
	struct ub_progress p;
	char *out = NULL;
	size_t olen = 0;
	FILE *f = open_memstream(&out, &olen);

	(void)state;
	w25q64(0xFF);
	ub_progress_init(&p, UB_PROGRESS_JSON, f);
	n.progress = &p;
	fill_random(data, sizeof(data), 10);
	assert_int_equal(ub_nor_write(&n, 0, data, sizeof(data), NULL), 0);
	assert_int_equal(ub_nor_verify(&n, 0, data, sizeof(data)), 0);
	fclose(f);
	assert_non_null(strstr(out, "{\"progress\":\"write\",\"done\":131072,"
				    "\"total\":131072"));
	assert_non_null(strstr(out, "{\"progress\":\"verify\""));
	free(out);
	snf_free(&c);
}

static struct ub_progress *hook;

/* The progress clock: it asks to stop once the first 64 KB are written. */
static double stop_after_64k(void)
{
	if (!strcmp(hook->what, "write") && hook->done >= K(64))
		ub_request_stop();
	return 0;
}

/* Last: the stop request cannot be taken back. Ctrl-C stops a write
 * between windows (the data before is written, the rest as it was), and
 * the survey before anything is changed. */
static void ctrl_c_stops(void **state)
{
	static uint8_t data[K(256)];
	struct ub_progress p;
	char *out = NULL;
	size_t olen = 0;
	FILE *f = open_memstream(&out, &olen);

	(void)state;
	w25q64(0x00);
	fill_random(data, sizeof(data), 11);
	ub_progress_init(&p, UB_PROGRESS_JSON, f);
	p.now = stop_after_64k;
	hook = &p;
	n.progress = &p;
	assert_int_equal(ub_nor_write(&n, 0, data, sizeof(data), NULL),
			 UB_EINTR);
	assert_non_null(
		strstr(ub_errmsg(UB_EINTR), "interrupted before spi:0x010000"));
	assert_non_null(strstr(ub_errmsg(UB_EINTR), "run the same write"));
	assert_memory_equal(c.mem, data, K(64));
	assert_int_equal(c.mem[K(64)], 0x00);
	assert_int_equal(c.mem[K(256) - 1], 0x00);
	snf_clear_log(&c);
	n.progress = NULL;
	assert_int_equal(ub_nor_write(&n, 0, data, sizeof(data), NULL),
			 UB_EINTR);
	assert_non_null(strstr(ub_errmsg(UB_EINTR), "nothing was changed"));
	assert_int_equal(c.erases + c.programs, 0);
	assert_int_equal(ub_nor_erase(&n, 0, K(128)), UB_EINTR);
	assert_int_equal(c.erases, 0);
	fclose(f);
	free(out);
	snf_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(planner_largest_fit),
		cmocka_unit_test(write_keeps_data_around),
		cmocka_unit_test(write_plans_largest_erases),
		cmocka_unit_test(unchanged_and_program_only),
		cmocka_unit_test(whole_chip_is_one_erase),
		cmocka_unit_test(aai_odd_start_and_end),
		cmocka_unit_test(verify_names_address),
		cmocka_unit_test(bulk_operations_used),
		cmocka_unit_test(busy_timeout),
		cmocka_unit_test(m25pe16_page_units),
		cmocka_unit_test(progress_reported),
		cmocka_unit_test(ctrl_c_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
