// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SPI NOR driver against a fake chip (spinor_fake.c): every row of the
 * chip table is probed, unlocked its own way, erased with the right
 * opcodes and written; the SFDP fallback; the faults a beginner meets
 * (JEDEC ID all 0xFF or 0x00, an unknown chip, WP# held low, a status
 * register that ignores writes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "spinor_fake.h"
#include "ub/err.h"
#include "ub/spinor.h"

#define K(n) ((n)*1024u)
#define M(n) ((n)*1024u * 1024u)

/* The driver's sleeps move the fake chip's clock, at once. */
int nanosleep(const struct timespec *req, struct timespec *rem)
{
	(void)rem;
	snf_sleep((uint64_t)req->tv_sec * 1000000000ull +
		  (uint64_t)req->tv_nsec);
	return 0;
}

enum fam { SST25, SST26, M25P, M25PE, W25Q, MX25, GD25 };

/* What each row must be, from the data sheets (not from the table). */
static const struct want {
	const char *name;
	uint32_t id, size;
	enum fam fam;
	uint8_t small_op; /* smallest erase */
	uint32_t small;
	uint8_t big_op; /* 64 KB */
	uint8_t chip_op;
	uint8_t unlock_op; /* EWSR, ULBPR or WREN */
} rows[] = {
	{"SST25VF016B", 0xBF2541, M(2), SST25, 0x20, K(4), 0xD8, 0x60, 0x50},
	{"SST25VF032B", 0xBF254A, M(4), SST25, 0x20, K(4), 0xD8, 0x60, 0x50},
	{"SST26VF016B", 0xBF2641, M(2), SST26, 0x20, K(4), 0xD8, 0xC7, 0x98},
	{"M25P16", 0x202015, M(2), M25P, 0xD8, K(64), 0xD8, 0xC7, 0x06},
	{"M25PE16", 0x208015, M(2), M25PE, 0xDB, 256, 0xD8, 0xC7, 0x06},
	{"W25Q16", 0xEF4015, M(2), W25Q, 0x20, K(4), 0xD8, 0xC7, 0x06},
	{"W25Q32", 0xEF4016, M(4), W25Q, 0x20, K(4), 0xD8, 0xC7, 0x06},
	{"W25Q64", 0xEF4017, M(8), W25Q, 0x20, K(4), 0xD8, 0xC7, 0x06},
	{"W25Q128", 0xEF4018, M(16), W25Q, 0x20, K(4), 0xD8, 0xC7, 0x06},
	{"MX25L1606E", 0xC22015, M(2), MX25, 0x20, K(4), 0xD8, 0xC7, 0x06},
	{"MX25L3206E", 0xC22016, M(4), MX25, 0x20, K(4), 0xD8, 0xC7, 0x06},
	{"MX25L6406E", 0xC22017, M(8), MX25, 0x20, K(4), 0xD8, 0xC7, 0x06},
	{"GD25Q16", 0xC84015, M(2), GD25, 0x20, K(4), 0xD8, 0xC7, 0x06},
	{"GD25Q32", 0xC84016, M(4), GD25, 0x20, K(4), 0xD8, 0xC7, 0x06},
	{"GD25Q64", 0xC84017, M(8), GD25, 0x20, K(4), 0xD8, 0xC7, 0x06},
};

static void shape(struct snf_chip *c, const struct want *w)
{
	switch (w->fam) {
	case SST25:
		snf_sst25(c, w->id, w->size);
		break;
	case SST26:
		snf_sst26(c, w->id, w->size);
		break;
	case M25P:
	case M25PE:
		snf_m25p(c, w->id, w->size, w->fam == M25PE);
		break;
	case W25Q:
		snf_w25q(c, w->id, w->size, 0x1C, true);
		break;
	case MX25:
		snf_mx25(c, w->id, w->size);
		break;
	case GD25:
		snf_w25q(c, w->id, w->size, 0x7C, false);
		break;
	}
}

static void table_is_sane(void **state)
{
	(void)state;
	assert_int_equal(ub_nor_nchips, sizeof(rows) / sizeof(rows[0]));
	for (size_t i = 0; i < ub_nor_nchips; i++) {
		const struct ub_nor_chip *c = &ub_nor_chips[i];

		assert_ptr_equal(ub_nor_chip_by_id(c->jedec), c);
		assert_ptr_equal(ub_nor_chip_by_name(c->name), c);
		assert_non_null(c->source);
		assert_true(strlen(c->source) > 40);
		assert_true(c->erase[0].size >= 256);
		for (int e = 1; e < UB_NOR_MAX_ERASE && c->erase[e].size; e++)
			assert_true(c->erase[e].size > c->erase[e - 1].size);
		for (int e = 0; e < UB_NOR_MAX_ERASE && c->erase[e].size; e++)
			assert_true(c->erase[e].max_ms > 0);
		assert_true(c->chip_erase_ms > 0 && c->prog.timeout_us > 0);
	}
	assert_null(ub_nor_chip_by_id(0x123456));
	assert_non_null(ub_nor_chip_by_name("w25q64"));
}

/* Probe, unlock, erase (planned and whole), write and verify one row. */
static void one_row(const struct want *w)
{
	static uint8_t data[300];
	uint32_t s = w->small, lo, hi;
	struct snf_chip c;
	struct snf_bus b;
	struct ub_nor n = {0};
	char desc[160];

	shape(&c, w);
	if (w->fam != SST25 && w->fam != SST26)
		c.sr = c.bp_mask; /* protected, as the SST25 at power-up */
	snf_init(&c, &b, 0x00);
	assert_int_equal(ub_nor_probe(&n, &b.bus), 0);
	assert_string_equal(n.chip.name, w->name);
	assert_int_equal(n.jedec, w->id);
	assert_int_equal(n.chip.size, w->size);
	assert_false(n.from_sfdp);
	assert_true(n.protected_);
	ub_nor_describe(&n, desc, sizeof(desc));
	assert_non_null(strstr(desc, w->name));
	assert_non_null(strstr(desc, "protected:"));

	/* unlock, the chip's way */
	snf_clear_log(&c);
	assert_int_equal(ub_nor_unprotect(&n), 0);
	assert_false(n.protected_);
	assert_true(snf_count(&c, w->unlock_op, ~0u) >= 1);
	if (w->fam == SST26) {
		assert_int_equal(snf_count(&c, 0x98, ~0u), 1);
		assert_int_equal(snf_count(&c, 0x01, ~0u), 0);
	} else {
		assert_int_equal(snf_count(&c, 0x01, ~0u), 1);
		assert_int_equal(c.sr & c.bp_mask, 0);
	}
	assert_int_equal(snf_count(&c, w->fam == SST25 ? 0x06 : 0x50, ~0u), 0);

	/* the largest erase that fits: small, 64 KB, small */
	lo = s < K(64) ? K(64) - s : 0;
	hi = s < K(64) ? K(128) + s : K(192);
	snf_clear_log(&c);
	assert_int_equal(ub_nor_erase(&n, lo, hi - lo), 0);
	assert_int_equal(snf_count(&c, w->small_op, lo), 1);
	assert_int_equal(snf_count(&c, w->big_op, K(64)), 1);
	assert_int_equal(snf_count(&c, w->small_op, K(128)), 1);
	assert_int_equal(c.erases, 3);
	assert_int_equal(c.mem[lo - (lo ? 1 : 0)], lo ? 0x00 : 0xFF);
	assert_int_equal(c.mem[lo], 0xFF);
	assert_int_equal(c.mem[hi - 1], 0xFF);
	assert_int_equal(c.mem[hi], 0x00);

	/* the whole chip: one chip erase */
	snf_clear_log(&c);
	assert_int_equal(ub_nor_erase(&n, 0, w->size), 0);
	assert_int_equal(snf_count(&c, w->chip_op, ~0u), 1);
	assert_int_equal(c.erases, 1);
	assert_int_equal(c.mem[w->size - 1], 0xFF);

	/* a write at an odd address, across a page end */
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	snf_clear_log(&c);
	assert_int_equal(ub_nor_write(&n, 0x1001, data, sizeof(data), NULL), 0);
	assert_memory_equal(c.mem + 0x1001, data, sizeof(data));
	assert_int_equal(c.erases, 0); /* it was blank */
	assert_int_equal(ub_nor_verify(&n, 0x1001, data, sizeof(data)), 0);
	if (w->fam == SST25) {
		assert_true(snf_count(&c, 0xAD, ~0u) >= 1);
		assert_int_equal(snf_count(&c, 0x04, ~0u), 1); /* WRDI */
	} else {
		assert_int_equal(snf_count(&c, 0xAD, ~0u), 0);
		for (size_t i = 0; i < c.nlog; i++)
			if (c.log[i].op == 0x02)
				assert_true(c.log[i].addr % 256 +
						    c.log[i].len <=
					    256);
	}
	/* programs are polled at the wire's pace, never napped on for
	 * milliseconds; an AAI word is done before the first nap */
	assert_true(c.max_prog_sleep_ns <= 16000);
	if (w->fam == SST25)
		assert_int_equal(c.sleeps_while_programming, 0);
	snf_free(&c);
}

static void every_row(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		print_message("%s\n", rows[i].name);
		one_row(&rows[i]);
	}
}

static void sst26_planner_keeps_to_uniform_blocks(void **state)
{
	struct snf_chip c;
	struct snf_bus b;
	struct ub_nor n = {0};

	(void)state;
	snf_sst26(&c, 0xBF2641, M(2));
	snf_init(&c, &b, 0x00);
	assert_int_equal(ub_nor_probe(&n, &b.bus), 0);
	assert_int_equal(ub_nor_erase(&n, 0, K(64)), 0);
	/* 0xD8 at 0 would erase only 8 KB: sixteen 4 KB erases instead */
	assert_int_equal(snf_count(&c, 0x20, ~0u), 16);
	assert_int_equal(snf_count(&c, 0xD8, ~0u), 0);
	snf_clear_log(&c);
	assert_int_equal(ub_nor_erase(&n, M(2) - K(64), K(64)), 0);
	assert_int_equal(snf_count(&c, 0xD8, ~0u), 0);
	for (uint32_t a = 0; a < K(64); a++)
		assert_int_equal(c.mem[a], 0xFF);
	assert_int_equal(c.mem[K(64)], 0x00);
	/* protect: every block write-locked again, none read-locked */
	assert_int_equal(ub_nor_protect(&n), 0);
	assert_true(n.protected_);
	assert_int_equal(c.bpr[0], 0x55);
	assert_int_equal(c.bpr[5], 0xFF);
	snf_free(&c);
}

static void describe_and_protect(void **state)
{
	struct snf_chip c;
	struct snf_bus b;
	struct ub_nor n = {0};
	char d[160];

	(void)state;
	snf_sst25(&c, 0xBF2541, M(2));
	snf_init(&c, &b, 0xFF);
	assert_int_equal(ub_nor_probe(&n, &b.bus), 0);
	ub_nor_describe(&n, d, sizeof(d));
	assert_string_equal(d, "SST25VF016B (BF2541), 2 MB, 4 KB/32 KB/64 KB "
			       "erase; protected: BP0-2 set");
	assert_int_equal(ub_nor_unprotect(&n), 0);
	ub_nor_describe(&n, d, sizeof(d));
	assert_non_null(strstr(d, "; not protected"));
	assert_int_equal(ub_nor_protect(&n), 0);
	assert_int_equal(c.sr & 0x3C, 0x3C);
	assert_int_equal(c.sr & 0x80, 0); /* BPL left alone */
	assert_true(n.protected_);
	snf_free(&c);
}

static void jedec_ff_and_00(void **state)
{
	static const uint8_t ids[2] = {0xFF, 0x00};

	(void)state;
	for (int i = 0; i < 2; i++) {
		struct snf_chip c;
		struct snf_bus b;
		struct ub_nor n = {0};
		char want[64];

		snf_w25q(&c, 0, M(2), 0x1C, true);
		memset(c.id, ids[i], 3);
		snf_init(&c, &b, 0xFF);
		ub_clear_error();
		assert_int_equal(ub_nor_probe(&n, &b.bus), UB_ENOTARGET);
		snprintf(want, sizeof(want), "JEDEC ID reads %02X %02X %02X",
			 ids[i], ids[i], ids[i]);
		assert_non_null(strstr(ub_errmsg(UB_ENOTARGET), want));
		assert_non_null(
			strstr(ub_errmsg(UB_ENOTARGET),
			       "no chip answers on the test's SPI bus"));
		assert_non_null(strstr(ub_errmsg(UB_ENOTARGET), "wrong CS#"));
		assert_non_null(strstr(ub_errmsg(UB_ENOTARGET), "MISO"));
		snf_free(&c);
	}
}

static void unknown_without_sfdp(void **state)
{
	struct snf_chip c;
	struct snf_bus b;
	struct ub_nor n = {0};

	(void)state;
	snf_w25q(&c, 0x1F4401, M(2), 0x1C, false);
	snf_init(&c, &b, 0xFF);
	assert_int_equal(ub_nor_probe(&n, &b.bus), UB_EUNSUPPORTED);
	assert_non_null(strstr(ub_errmsg(UB_EUNSUPPORTED), "1F4401"));
	assert_non_null(strstr(ub_errmsg(UB_EUNSUPPORTED), "SFDP"));
	snf_free(&c);
}

/* An SFDP area: header, one parameter header, the basic table at 0x80. */
static size_t make_sfdp(uint8_t *s, size_t len, const uint32_t *dw,
			unsigned ndw)
{
	memset(s, 0xFF, len);
	memcpy(s, "SFDP", 4);
	s[4] = 6; /* JESD216B */
	s[5] = 1;
	s[6] = 0; /* one parameter header */
	s[8] = 0x00;
	s[9] = 6;
	s[10] = 1;
	s[11] = (uint8_t)ndw;
	s[12] = 0x80;
	s[13] = s[14] = 0;
	s[15] = 0xFF;
	for (unsigned i = 0; i < ndw; i++)
		for (int k = 0; k < 4; k++)
			s[0x80 + 4 * i + k] = (uint8_t)(dw[i] >> (8 * k));
	return 0x80 + 4 * ndw;
}

static void sfdp_fallback(void **state)
{
	/* a 4 MB part of JESD216B: 4 KB 0x20, 32 KB 0x52, 64 KB 0xD8; erase
	 * typ 4 KB 48 ms (count 2, unit 16 ms), multiplier 2 * (2 + 1);
	 * page 256, page program typ 8 * (7 + 1) = 64 us (multiplier 4),
	 * chip erase typ 256 ms * 8 */
	static const uint32_t dw[16] = {
		0xFFF120E5,
		0x01FFFFFF,
		0,
		0,
		0,
		0,
		0,
		0x520F200C,
		0xFF00D810,
		(2u << 30) | (1u << 18) | (1u << 16) | (2u << 11) | (1u << 9) |
			(2u << 4) | 2,
		(1u << 29) | (7u << 24) | (7u << 8) | (8u << 4) | 1};
	static uint8_t sfdp[0x100];
	static uint8_t data[5000];
	struct snf_chip c;
	struct snf_bus b;
	struct ub_nor n = {0};
	char d[160];

	(void)state;
	snf_w25q(&c, 0x9D6016, M(4), 0x1C, false);
	c.sfdp = sfdp;
	c.sfdp_len = make_sfdp(sfdp, sizeof(sfdp), dw, 16);
	c.prog_busy_us = 50; /* within the 256 us the table allows */
	snf_init(&c, &b, 0xFF);
	assert_int_equal(ub_nor_probe(&n, &b.bus), 0);
	assert_true(n.from_sfdp);
	assert_int_equal(n.chip.size, M(4));
	assert_int_equal(n.chip.jedec, 0x9D6016);
	assert_int_equal(n.chip.erase[0].size, K(4));
	assert_int_equal(n.chip.erase[0].op, 0x20);
	assert_int_equal(n.chip.erase[0].max_ms, 6 * 48);
	assert_int_equal(n.chip.erase[1].size, K(32));
	assert_int_equal(n.chip.erase[1].op, 0x52);
	assert_int_equal(n.chip.erase[2].size, K(64));
	assert_int_equal(n.chip.erase[2].op, 0xD8);
	assert_int_equal(n.chip.erase[3].size, 0);
	assert_int_equal(n.chip.prog.method, UB_SPI_PROG_PAGE);
	assert_int_equal(n.chip.prog.page_size, 256);
	assert_int_equal(n.chip.prog.timeout_us, 4 * 64);
	assert_int_equal(n.chip.chip_erase_ms, 6 * 8 * 256);
	ub_nor_describe(&n, d, sizeof(d));
	assert_non_null(strstr(d, "9D6016"));
	assert_non_null(strstr(d, "SFDP"));
	assert_non_null(strstr(d, "4 MB"));
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i ^ 0x5A);
	assert_int_equal(ub_nor_write(&n, K(60) + 3, data, sizeof(data), NULL),
			 0);
	assert_int_equal(ub_nor_verify(&n, K(60) + 3, data, sizeof(data)), 0);
	snf_free(&c);

	/* JESD216 v1.0 (the W25Q64FV's): nine dwords, default times */
	static const uint32_t v1[9] = {0xFFF120E5, 0x03FFFFFF, 0, 0, 0, 0, 0,
				       0x520F200C, 0xFF00D810};

	snf_w25q(&c, 0x9D6017, M(8), 0x1C, false);
	c.sfdp = sfdp;
	c.sfdp_len = make_sfdp(sfdp, sizeof(sfdp), v1, 9);
	snf_init(&c, &b, 0xFF);
	assert_int_equal(ub_nor_probe(&n, &b.bus), 0);
	assert_int_equal(n.chip.size, M(8));
	assert_int_equal(n.chip.erase[2].op, 0xD8);
	assert_true(n.chip.erase[0].max_ms >= 400);
	assert_int_equal(n.chip.prog.page_size, 256);
	snf_free(&c);
}

static void wp_held_low(void **state)
{
	struct snf_chip c;
	struct snf_bus b;
	struct ub_nor n = {0};

	(void)state;
	/* W25Q: SRP0 + BP set, WP# low */
	snf_w25q(&c, 0xEF4017, M(8), 0x1C, true);
	c.sr = 0x9C;
	c.wp_low = true;
	snf_init(&c, &b, 0xFF);
	assert_int_equal(ub_nor_probe(&n, &b.bus), 0);
	assert_true(n.wp_locked);
	assert_int_equal(ub_nor_unprotect(&n), UB_EPROTECTED);
	assert_non_null(
		strstr(ub_errmsg(UB_EPROTECTED), "WP# pin is held low"));
	assert_non_null(strstr(ub_errmsg(UB_EPROTECTED), "Tie WP# high"));
	assert_non_null(strstr(ub_errmsg(UB_EPROTECTED), "SRWD"));
	/* what a write says: the same, nothing written */
	static const uint8_t d[4] = {1, 2, 3, 4};

	assert_int_equal(ub_nor_write(&n, 0, d, 4, NULL), UB_EPROTECTED);
	assert_int_equal(c.mem[0], 0xFF);
	c.wp_low = false; /* tied high: it works */
	assert_int_equal(ub_nor_unprotect(&n), 0);
	assert_int_equal(c.sr, 0);
	snf_free(&c);

	/* SST25: BPL set, WP# low */
	snf_sst25(&c, 0xBF2541, M(2));
	c.sr = 0x9C;
	c.wp_low = true;
	snf_init(&c, &b, 0xFF);
	assert_int_equal(ub_nor_probe(&n, &b.bus), 0);
	assert_int_equal(ub_nor_unprotect(&n), UB_EPROTECTED);
	assert_non_null(strstr(ub_errmsg(UB_EPROTECTED), "BPL"));
	c.wp_low = false; /* WP# high: BPL does not matter */
	assert_int_equal(ub_nor_unprotect(&n), 0);
	snf_free(&c);

	/* SST26: WPEN set, WP# low: ULBPR is ignored */
	snf_sst26(&c, 0xBF2641, M(2));
	c.cr = 0x80;
	c.wp_low = true;
	snf_init(&c, &b, 0xFF);
	assert_int_equal(ub_nor_probe(&n, &b.bus), 0);
	assert_int_equal(ub_nor_unprotect(&n), UB_EPROTECTED);
	assert_non_null(strstr(ub_errmsg(UB_EPROTECTED), "WPEN"));
	assert_non_null(strstr(ub_errmsg(UB_EPROTECTED), "WP#"));
	snf_free(&c);
}

static void status_ignores_write(void **state)
{
	struct snf_chip c;
	struct snf_bus b;
	struct ub_nor n = {0};

	(void)state;
	snf_mx25(&c, 0xC22016, M(4));
	c.sr = 0x1C;
	c.sr_mask = 0; /* nothing changes it */
	snf_init(&c, &b, 0xFF);
	assert_int_equal(ub_nor_probe(&n, &b.bus), 0);
	assert_false(n.wp_locked);
	assert_int_equal(ub_nor_unprotect(&n), UB_EPROTECTED);
	assert_non_null(strstr(ub_errmsg(UB_EPROTECTED), "ignored"));
	assert_null(strstr(ub_errmsg(UB_EPROTECTED), "WP# pin"));
	snf_free(&c);
}

static void w25q_cmp_cleared(void **state)
{
	struct snf_chip c;
	struct snf_bus b;
	struct ub_nor n = {0};

	(void)state;
	snf_w25q(&c, 0xEF4016, M(4), 0x1C, true);
	c.sr2 = 0x42; /* CMP with no BP bits: all protected; QE set */
	snf_init(&c, &b, 0xFF);
	assert_int_equal(ub_nor_probe(&n, &b.bus), 0);
	assert_true(n.protected_);
	assert_int_equal(ub_nor_unprotect(&n), 0);
	assert_int_equal(c.sr2, 0x02); /* CMP cleared, QE kept */
	snf_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_is_sane),
		cmocka_unit_test(every_row),
		cmocka_unit_test(sst26_planner_keeps_to_uniform_blocks),
		cmocka_unit_test(describe_and_protect),
		cmocka_unit_test(jedec_ff_and_00),
		cmocka_unit_test(unknown_without_sfdp),
		cmocka_unit_test(sfdp_fallback),
		cmocka_unit_test(wp_held_low),
		cmocka_unit_test(status_ignores_write),
		cmocka_unit_test(w25q_cmp_cleared),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
