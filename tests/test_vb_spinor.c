// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SPI NOR chip models (vb_spinor.c): IDs, status registers and the
 * write-enable latch, the SST25VF016B's power-up protection and AAI rules,
 * the M25PE16's page write and erase, the W25Q64's status register 2,
 * protection and SFDP, busy times, and the bit-level pins in modes 0 and 3.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vb.h"

#define US VB_PS_PER_US
#define MS VB_PS_PER_MS

static struct vb_stats st;

/* One command: CS# low, ntx bytes out, nrx in, CS# high, at time t. */
static void cmd(struct vb_nor *c, uint64_t t, const uint8_t *tx, size_t ntx,
		uint8_t *rx, size_t nrx)
{
	vb_nor_select(c, true, t);
	for (size_t i = 0; i < ntx + nrx; i++) {
		uint8_t r = vb_nor_byte(c, i < ntx ? tx[i] : 0xFF, t);

		if (i >= ntx)
			rx[i - ntx] = r;
	}
	vb_nor_select(c, false, t);
}

static void op1(struct vb_nor *c, uint64_t t, uint8_t op)
{
	cmd(c, t, &op, 1, NULL, 0);
}

static uint8_t rdsr(struct vb_nor *c, uint64_t t)
{
	uint8_t op = 0x05, sr;

	cmd(c, t, &op, 1, &sr, 1);
	return sr;
}

static void read_at(struct vb_nor *c, uint64_t t, uint32_t a, uint8_t *buf,
		    size_t n)
{
	uint8_t tx[4] = {0x03, (uint8_t)(a >> 16), (uint8_t)(a >> 8),
			 (uint8_t)a};

	cmd(c, t, tx, 4, buf, n);
}

static void addr_cmd(struct vb_nor *c, uint64_t t, uint8_t op, uint32_t a,
		     const uint8_t *data, size_t n)
{
	uint8_t tx[300] = {op, (uint8_t)(a >> 16), (uint8_t)(a >> 8),
			   (uint8_t)a};

	if (n)
		memcpy(tx + 4, data, n);
	cmd(c, t, tx, 4 + n, NULL, 0);
}

static void jedec_ids(void **state)
{
	static const uint8_t want[3][3] = {
		{0xBF, 0x25, 0x41}, {0x20, 0x80, 0x15}, {0xEF, 0x40, 0x17}};
	uint8_t op = 0x9F, id[6], tx[4] = {0x90, 0, 0, 0};

	(void)state;
	for (int p = VB_NOR_SST25VF016B; p <= VB_NOR_W25Q64; p++) {
		struct vb_nor *c = vb_nor_new((enum vb_nor_part)p, &st);

		cmd(c, 0, &op, 1, id, 3);
		assert_memory_equal(id, want[p - 1], 3);
		vb_nor_free(c);
	}
	struct vb_nor *sst = vb_nor_new(VB_NOR_SST25VF016B, &st);

	cmd(sst, 0, tx, 4, id, 2);
	assert_int_equal(id[0], 0xBF);
	assert_int_equal(id[1], 0x41);
	vb_nor_free(sst);
	struct vb_nor *w = vb_nor_new(VB_NOR_W25Q64, &st);

	cmd(w, 0, tx, 4, id, 2);
	assert_int_equal(id[0], 0xEF);
	assert_int_equal(id[1], 0x16);
	tx[0] = 0xAB;
	cmd(w, 0, tx, 4, id, 1);
	assert_int_equal(id[0], 0x16);
	assert_string_equal(vb_nor_name(VB_NOR_W25Q64), "w25q64");
	assert_int_equal(vb_nor_parse("SST25VF016B"), VB_NOR_SST25VF016B);
	assert_int_equal(vb_nor_parse("at25df"), -1);
	vb_nor_free(w);
}

static void sst_power_up_protection(void **state)
{
	struct vb_nor *c = vb_nor_new(VB_NOR_SST25VF016B, &st);
	uint8_t b = 0x12, wrsr[2] = {0x01, 0x00}, got;
	uint64_t t = 0;

	(void)state;
	assert_int_equal(rdsr(c, t), 0x1C); /* BP2-0 set at power-up */
	op1(c, t, 0x06);
	addr_cmd(c, t, 0x02, 0x1000, &b, 1); /* protected: ignored */
	read_at(c, t, 0x1000, &got, 1);
	assert_int_equal(got, 0xFF);
	assert_int_equal(rdsr(c, t) & 2, 0); /* WEL cleared anyway */
	cmd(c, t, wrsr, 2, NULL, 0);	     /* WRSR without EWSR or WREN */
	assert_int_equal(rdsr(c, t), 0x1C);
	op1(c, t, 0x50); /* EWSR, then WRSR at once */
	cmd(c, t, wrsr, 2, NULL, 0);
	assert_int_equal(rdsr(c, t), 0x00);
	op1(c, t, 0x06);
	addr_cmd(c, t, 0x02, 0x1000, &b, 1);
	assert_int_equal(rdsr(c, t) & 1, 1); /* busy for tBP */
	read_at(c, t, 0x1000, &got, 1);
	assert_int_equal(got, 0xFF); /* no reads while busy */
	t += 10 * US;
	assert_int_equal(rdsr(c, t) & 3, 0);
	read_at(c, t, 0x1000, &got, 1);
	assert_int_equal(got, 0x12);
	vb_nor_free(c);
}

static void sst_aai_rules(void **state)
{
	struct vb_nor *c = vb_nor_new(VB_NOR_SST25VF016B, &st);
	uint8_t wrsr[2] = {0x01, 0x00}, d[2] = {0xA1, 0xA2},
		next[3] = {0xAD, 0xB1, 0xB2};
	uint8_t got[6];
	uint64_t t = 0;

	(void)state;
	op1(c, t, 0x06);
	cmd(c, t, wrsr, 2, NULL, 0);
	op1(c, t, 0x06);
	addr_cmd(c, t, 0xAD, 0x101, d, 2);  /* A0 is ignored: 0x100 */
	assert_int_equal(rdsr(c, t), 0x43); /* AAI, WEL, BUSY */
	cmd(c, t, next, 3, NULL, 0);	    /* while busy: ignored */
	t += 10 * US;
	assert_int_equal(rdsr(c, t), 0x42);
	read_at(c, t, 0x100, got, 4); /* only AD, RDSR, WRDI in AAI */
	assert_int_equal(got[0], 0xFF);
	cmd(c, t, next, 3, NULL, 0);
	t += 10 * US;
	op1(c, t, 0x04); /* WRDI ends it */
	assert_int_equal(rdsr(c, t), 0x00);
	read_at(c, t, 0xFF, got, 6);
	assert_int_equal(got[0], 0xFF);
	assert_int_equal(got[1], 0xA1);
	assert_int_equal(got[2], 0xA2);
	assert_int_equal(got[3], 0xB1);
	assert_int_equal(got[4], 0xB2);
	assert_int_equal(got[5], 0xFF);
	vb_nor_free(c);
}

/* SO, with CS# low and no clock, at time t. */
static int so_at(struct vb_nor *c, uint64_t t)
{
	int so;

	vb_nor_select(c, true, t);
	so = vb_nor_miso(c, t);
	vb_nor_select(c, false, t);
	return so;
}

/* EBSY: in AAI, SO is RY/BY# while CS# is low (and only then, and only in
 * AAI); DBSY or a chip that ignores EBSY leaves SO to the commands. */
static void sst_ebsy(void **state)
{
	struct vb_nor *c = vb_nor_new(VB_NOR_SST25VF016B, &st);
	uint8_t wrsr[2] = {0x01, 0x00}, d[2] = {0x12, 0x34},
		next[3] = {0xAD, 0x56, 0x78}, got[4];
	uint64_t t = 0;

	(void)state;
	op1(c, t, 0x06);
	cmd(c, t, wrsr, 2, NULL, 0);
	assert_int_equal(so_at(c, t), -1); /* nothing driven */
	op1(c, t, 0x70);		   /* EBSY */
	assert_int_equal(so_at(c, t), -1); /* not in AAI yet */
	op1(c, t, 0x06);
	addr_cmd(c, t, 0xAD, 0x200, d, 2);
	assert_int_equal(so_at(c, t + 9 * US), 0);   /* busy */
	assert_int_equal(rdsr(c, t + 9 * US), 0x00); /* SO is RY/BY# */
	assert_int_equal(so_at(c, t + 10 * US), 1);  /* ready */
	assert_int_equal(rdsr(c, t + 10 * US), 0xFF);
	t += 10 * US;
	cmd(c, t, next, 3, NULL, 0);
	assert_int_equal(so_at(c, t + 1 * US), 0);
	t += 10 * US;
	op1(c, t, 0x04); /* WRDI */
	assert_int_equal(so_at(c, t), -1);
	op1(c, t, 0x80); /* DBSY */
	read_at(c, t, 0x200, got, 4);
	assert_int_equal(got[0], 0x12);
	assert_int_equal(got[3], 0x78);
	vb_nor_free(c);

	/* a part without it: SO is never RY/BY# */
	c = vb_nor_new(VB_NOR_SST25VF016B, &st);
	vb_nor_no_ebsy(c, true);
	t = 0;
	op1(c, t, 0x06);
	cmd(c, t, wrsr, 2, NULL, 0);
	op1(c, t, 0x70);
	op1(c, t, 0x06);
	addr_cmd(c, t, 0xAD, 0x200, d, 2);
	assert_int_equal(so_at(c, t + 1 * US), -1);
	assert_int_equal(rdsr(c, t + 1 * US), 0x43);
	vb_nor_free(c);
}

static void sst_erase_times(void **state)
{
	struct vb_nor *c = vb_nor_new(VB_NOR_SST25VF016B, &st);
	uint8_t wrsr[2] = {0x01, 0x00}, z = 0, got;
	static const struct {
		uint8_t op;
		uint32_t size;
		uint64_t busy;
	} e[] = {{0x20, 4096, 25 * MS},
		 {0x52, 32768, 25 * MS},
		 {0xD8, 65536, 25 * MS}};
	uint64_t t = 0;

	(void)state;
	/* chip erase is refused while any block is protected */
	op1(c, t, 0x06);
	op1(c, t, 0x60);
	assert_int_equal(rdsr(c, t) & 1, 0);
	op1(c, t, 0x06);
	cmd(c, t, wrsr, 2, NULL, 0);
	for (size_t i = 0; i < 3; i++) {
		op1(c, t, 0x06);
		addr_cmd(c, t, 0x02, e[i].size - 1, &z, 1);
		t += 10 * US;
		op1(c, t, 0x06);
		addr_cmd(c, t, e[i].op, e[i].size - 1, NULL, 0);
		assert_int_equal(rdsr(c, t + e[i].busy - 1) & 1, 1);
		t += e[i].busy;
		assert_int_equal(rdsr(c, t) & 1, 0);
		read_at(c, t, e[i].size - 1, &got, 1);
		assert_int_equal(got, 0xFF);
	}
	op1(c, t, 0x06);
	op1(c, t, 0xC7);
	assert_int_equal(rdsr(c, t + 50 * MS - 1) & 1, 1);
	assert_int_equal(rdsr(c, t + 50 * MS) & 1, 0);
	vb_nor_free(c);
}

static void m25pe16_pages(void **state)
{
	struct vb_nor *c = vb_nor_new(VB_NOR_M25PE16, &st);
	uint8_t f0 = 0xF0, x0f = 0x0F, ab = 0xAB, got[2], wrap[2] = {1, 2};
	uint64_t t = 0;

	(void)state;
	assert_int_equal(rdsr(c, t), 0);
	addr_cmd(c, t, 0x02, 0x200, &f0, 1); /* no WREN: nothing */
	read_at(c, t, 0x200, got, 1);
	assert_int_equal(got[0], 0xFF);
	op1(c, t, 0x06);
	addr_cmd(c, t, 0x02, 0x200, &f0, 1);
	t += 800 * US;
	op1(c, t, 0x06);
	addr_cmd(c, t, 0x02, 0x200, &x0f, 1); /* programs only clear bits */
	t += 800 * US;
	read_at(c, t, 0x200, got, 1);
	assert_int_equal(got[0], 0x00);
	op1(c, t, 0x06);
	addr_cmd(c, t, 0x0A, 0x200, &ab, 1); /* page write replaces */
	assert_int_equal(rdsr(c, t + 11 * MS - 1) & 1, 1);
	t += 11 * MS;
	read_at(c, t, 0x200, got, 2);
	assert_int_equal(got[0], 0xAB);
	assert_int_equal(got[1], 0xFF);
	op1(c, t, 0x06);
	addr_cmd(c, t, 0x02, 0x2FF, wrap, 2); /* wraps within the page */
	t += 800 * US;
	read_at(c, t, 0x200, got, 1);
	assert_int_equal(got[0], 0x02);
	op1(c, t, 0x06);
	addr_cmd(c, t, 0xDB, 0x2FF, NULL, 0); /* page erase */
	t += 10 * MS;
	read_at(c, t, 0x200, got, 1);
	assert_int_equal(got[0], 0xFF);
	op1(c, t, 0x06);
	addr_cmd(c, t, 0xD8, 0x0, NULL, 0); /* sector erase: 1 s */
	assert_int_equal(rdsr(c, t + 999 * MS) & 1, 1);
	assert_int_equal(rdsr(c, t + 1000 * MS) & 1, 0);
	op1(c, t, 0x50); /* not an M25PE16 command */
	vb_nor_free(c);
}

static void w25q64_status_and_sfdp(void **state)
{
	struct vb_nor *c = vb_nor_new(VB_NOR_W25Q64, &st);
	uint8_t op35 = 0x35, sr2, wrsr[3] = {0x01, 0x04, 0x00}, z = 0, got[4];
	uint8_t sfdp[5] = {0x5A, 0, 0, 0, 0};
	uint64_t t = 0;

	(void)state;
	op1(c, t, 0x06);
	cmd(c, t, wrsr, 3, NULL, 0);	     /* BP0: the upper 128 KB */
	assert_int_equal(rdsr(c, t) & 1, 1); /* tW 10 ms */
	t += 10 * MS;
	assert_int_equal(rdsr(c, t), 0x04);
	cmd(c, t, &op35, 1, &sr2, 1);
	assert_int_equal(sr2, 0);
	op1(c, t, 0x06);
	addr_cmd(c, t, 0x02, 0x7E0000, &z, 1); /* protected */
	op1(c, t, 0x06);
	addr_cmd(c, t, 0x02, 0x7DFFFF, &z, 1);
	assert_int_equal(rdsr(c, t) & 1, 1);
	t += 700 * US;
	read_at(c, t, 0x7DFFFF, got, 2);
	assert_int_equal(got[0], 0x00);
	assert_int_equal(got[1], 0xFF);
	/* CMP inverts: now all but the upper 128 KB */
	op1(c, t, 0x50); /* volatile: no WEL, no tW */
	wrsr[2] = 0x40;
	cmd(c, t, wrsr, 3, NULL, 0);
	cmd(c, t, &op35, 1, &sr2, 1);
	assert_int_equal(sr2, 0x40);
	assert_int_equal(rdsr(c, t) & 1, 0);
	op1(c, t, 0x06);
	addr_cmd(c, t, 0x20, 0x0, NULL, 0); /* protected now */
	assert_int_equal(rdsr(c, t) & 1, 0);
	cmd(c, t, sfdp, 5, got, 4);
	assert_memory_equal(got, "SFDP", 4);
	sfdp[3] = 0x80;
	cmd(c, t, sfdp, 5, got, 2);
	assert_int_equal(got[0], 0xE5);
	assert_int_equal(got[1], 0x20); /* 4 KB erase: 0x20 */
	vb_nor_free(c);
}

/* Bit-level RDID in mode 0 (SCK idles low) and mode 3 (idles high). */
static void pins_modes_0_and_3(void **state)
{
	(void)state;
	for (int mode = 0; mode <= 3; mode += 3) {
		struct vb_nor *c = vb_nor_new(VB_NOR_M25PE16, &st);
		uint8_t tx = 0x9F, id[3] = {0};
		bool idle = mode == 3;

		vb_nor_sck(c, idle, 0, 0);
		assert_int_equal(vb_nor_miso(c, 0), -1);
		vb_nor_select(c, true, 0);
		for (int i = 0; i < 4; i++) {
			uint8_t out = i ? 0 : tx, in = 0;

			for (int b = 7; b >= 0; b--) {
				if (idle)
					vb_nor_sck(c, false, 0, 0);
				in = (uint8_t)(in << 1 |
					       (vb_nor_miso(c, 0) > 0));
				vb_nor_sck(c, true, out >> b & 1, 0);
				if (!idle)
					vb_nor_sck(c, false, 0, 0);
			}
			if (i)
				id[i - 1] = in;
		}
		vb_nor_select(c, false, 0);
		assert_int_equal(id[0], 0x20);
		assert_int_equal(id[1], 0x80);
		assert_int_equal(id[2], 0x15);
		assert_int_equal(vb_nor_miso(c, 0), -1);
		vb_nor_free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(jedec_ids),
		cmocka_unit_test(sst_power_up_protection),
		cmocka_unit_test(sst_aai_rules),
		cmocka_unit_test(sst_ebsy),
		cmocka_unit_test(sst_erase_times),
		cmocka_unit_test(m25pe16_pages),
		cmocka_unit_test(w25q64_status_and_sfdp),
		cmocka_unit_test(pins_modes_0_and_3),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
