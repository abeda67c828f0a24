// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SPI NOR driver (src/spinor*.c) against the virtual board's chip
 * models (vb_spinor.c), in process: a bus whose xfer is a command on the
 * clip (vb_spi_clip_xfer, mode 0 at 4 MHz), and the driver's sleeps moving
 * the board's clock. Each modelled chip is probed, unprotected (the
 * SST25VF016B's BP bits set at power-up, the W25Q64's BP and CMP), erased,
 * written and verified, with the modelled busy times; the figures are
 * printed (modelled time against the chip's own busy time).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "../src/spinor_priv.h"
#include "ub/err.h"
#include "ub/spinor.h"
#include "vb_test_util.h"

#define K(n)	    ((n)*1024u)
#define M(n)	    ((n)*1024u * 1024u)
#define CLIP_HZ	    4000000u
#define MS	    VB_PS_PER_MS
#define SECONDS(ps) ((double)(ps) / 1e12)

static struct vb *cur;

/* The driver's sleeps pass on the board's clock (as vb_sleep.c does for
 * a program under with-vboard), without sleeping for real. */
int nanosleep(const struct timespec *req, struct timespec *rem)
{
	(void)rem;
	if (cur)
		vb_advance(cur, ((uint64_t)req->tv_sec * 1000000000ull +
				 (uint64_t)req->tv_nsec) *
					VB_PS_PER_NS);
	return 0;
}

struct clip_bus {
	struct ub_spi_bus bus;
	struct vb *vb;
};

static int clip_xfer(struct ub_spi_bus *b, const uint8_t *tx, size_t ntx,
		     uint8_t *rx, size_t nrx)
{
	uint8_t none;

	vb_spi_clip_xfer(((struct clip_bus *)b)->vb, tx, ntx, rx ? rx : &none,
			 nrx, b->hz);
	return 0;
}

static const struct ub_spi_bus_ops clip_ops = {.xfer = clip_xfer};

static struct vb *board(const char *chip, struct clip_bus *b)
{
	char set[48];
	const char *s[2] = {set, "spi_bus=none"};
	struct vb *vb;

	snprintf(set, sizeof(set), "spi_chip=%s", chip);
	vb = vbt_board(s, 2);
	memset(b, 0, sizeof(*b));
	b->bus.ops = &clip_ops;
	b->bus.hz = CLIP_HZ;
	snprintf(b->bus.name, sizeof(b->bus.name), "the clip (virtual %s)",
		 chip);
	b->vb = vb;
	cur = vb;
	return vb;
}

static void done(struct vb *vb)
{
	cur = NULL;
	vbt_close(vb);
}

static void fill_random(uint8_t *p, size_t len, unsigned seed)
{
	srand(seed);
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)rand();
}

static uint8_t raw_sr(struct vb *vb, uint8_t op)
{
	uint8_t sr;

	vb_spi_clip_xfer(vb, &op, 1, &sr, 1, CLIP_HZ);
	return sr;
}

static void sst25vf016b(void **state)
{
	struct clip_bus b;
	struct vb *vb = board("sst25vf016b", &b);
	struct ub_nor n = {0};
	struct ub_nor_stats st;
	uint8_t *data = malloc(M(2)), *mem;
	uint64_t t0, busy0;
	size_t size;
	char d[160];

	(void)state;
	mem = vb_nor_mem(vb->nor, &size);
	assert_int_equal(ub_nor_probe(&n, &b.bus), 0);
	ub_nor_describe(&n, d, sizeof(d));
	assert_string_equal(d, "SST25VF016B (BF2541), 2 MB, 4 KB/32 KB/64 KB "
			       "erase; protected: BP0-2 set");
	/* one 64 KB erase: tBE 25 ms on the board's clock, waited for with
	 * 1 ms naps */
	memset(mem, 0x00, size);
	assert_int_equal(ub_nor_unprotect(&n), 0);
	assert_int_equal(vb_nor_status(vb->nor, vb->now_ps) & 0x3C, 0);
	t0 = vb->now_ps;
	assert_int_equal(ub_nor_erase(&n, K(64), K(64)), 0);
	assert_true(vb->now_ps - t0 >= 25 * MS);
	assert_true(vb->now_ps - t0 <= 26 * MS + MS / 5);
	print_message("SST25VF016B: 64 KB erase %.3f ms modeled (tBE 25 ms)\n",
		      SECONDS(vb->now_ps - t0) * 1e3);
	assert_int_equal(mem[K(64) - 1], 0x00);
	assert_int_equal(mem[K(64)], 0xFF);
	assert_int_equal(mem[K(128)], 0x00);

	/* protected again, then 256 KB at an odd address: unprotect, erase
	 * around, AAI with single bytes at the odd ends */
	assert_int_equal(ub_nor_protect(&n), 0);
	assert_int_equal(vb_nor_status(vb->nor, vb->now_ps) & 0x3C, 0x3C);
	fill_random(data, K(256), 1);
	assert_int_equal(ub_nor_write(&n, K(60) + 3, data, K(256) - 6, &st), 0);
	assert_memory_equal(mem + K(60) + 3, data, K(256) - 6);
	assert_int_equal(mem[K(60) + 2], 0x00);
	assert_int_equal(mem[K(316) - 3], 0x00);
	assert_int_equal(ub_nor_verify(&n, K(60) + 3, data, K(256) - 6), 0);

	/* the whole chip, from all 0x00: one chip erase, then AAI */
	memset(mem, 0x00, size);
	fill_random(data, M(2), 2);
	t0 = vb->now_ps;
	busy0 = vb->st.spi_busy_ps;
	assert_int_equal(ub_nor_write(&n, 0, data, M(2), &st), 0);
	assert_int_equal(st.erase_ops, 1);
	print_message("SST25VF016B: 2 MB random over the clip at %u MHz: "
		      "%.3f s modeled, the chip busy %.3f s (chip erase + "
		      "AAI), x%.2f\n",
		      CLIP_HZ / 1000000, SECONDS(vb->now_ps - t0),
		      SECONDS(vb->st.spi_busy_ps - busy0),
		      (double)(vb->now_ps - t0) /
			      (double)(vb->st.spi_busy_ps - busy0));
	assert_memory_equal(mem, data, M(2));
	t0 = vb->now_ps;
	assert_int_equal(ub_nor_verify(&n, 0, data, M(2)), 0);
	print_message("SST25VF016B: verify 2 MB by reading back: %.3f s "
		      "modeled\n",
		      SECONDS(vb->now_ps - t0));
	/* written again: nothing to do but read */
	busy0 = vb->st.spi_busy_ps;
	assert_int_equal(ub_nor_write(&n, 0, data, M(2), &st), 0);
	assert_int_equal(st.sectors_unchanged, 512);
	assert_int_equal(vb->st.spi_busy_ps, busy0);
	free(data);
	done(vb);
}

static void m25pe16(void **state)
{
	struct clip_bus b;
	struct vb *vb = board("m25pe16", &b);
	struct ub_nor n = {0};
	struct ub_nor_stats st;
	uint8_t data[1000], *mem;
	uint64_t t0, busy0, erases0;
	size_t size;

	(void)state;
	mem = vb_nor_mem(vb->nor, &size);
	fill_random(mem, size, 3);
	assert_int_equal(ub_nor_probe(&n, &b.bus), 0);
	assert_string_equal(n.chip.name, "M25PE16");
	assert_false(n.protected_);
	fill_random(data, sizeof(data), 4);
	t0 = vb->now_ps;
	busy0 = vb->st.spi_busy_ps;
	erases0 = vb->st.spi_erases;
	assert_int_equal(ub_nor_write(&n, 0x1F0F0, data, sizeof(data), &st), 0);
	/* 0x1F0F0-0x1F4D8: five 256-byte pages, each a page erase (tPE
	 * 10 ms) and a program (tPP 0.8 ms) */
	assert_int_equal(st.sectors_touched, 5);
	assert_int_equal(st.erase_ops, 5);
	assert_int_equal(vb->st.spi_erases - erases0, 5);
	assert_memory_equal(mem + 0x1F0F0, data, sizeof(data));
	assert_int_equal(ub_nor_verify(&n, 0x1F0F0, data, sizeof(data)), 0);
	/* the chip's busy time, 1 ms naps, the pages read and written on
	 * the wire (about 2.6 ms at 4 MHz) */
	print_message("M25PE16: 1000 bytes over 5 pages: %.3f ms modeled, "
		      "the chip busy %.3f ms (5 x (tPE 10 + tPP 0.8))\n",
		      SECONDS(vb->now_ps - t0) * 1e3,
		      SECONDS(vb->st.spi_busy_ps - busy0) * 1e3);
	assert_true(vb->now_ps - t0 <
		    vb->st.spi_busy_ps - busy0 + 5 * MS + 4 * MS);
	/* a 64 KB sector: one 0xD8 (tSE 1 s) */
	t0 = vb->now_ps;
	assert_int_equal(ub_nor_erase(&n, K(128), K(64)), 0);
	assert_true(vb->now_ps - t0 >= 1000 * MS &&
		    vb->now_ps - t0 < 1002 * MS);
	assert_int_equal(mem[K(128)], 0xFF);
	assert_int_equal(mem[K(192) - 1], 0xFF);
	/* protected: WREN + WRSR clears BP */
	assert_int_equal(ub_nor_protect(&n), 0);
	assert_int_equal(vb_nor_status(vb->nor, vb->now_ps) & 0x1C, 0x1C);
	assert_int_equal(ub_nor_write(&n, 0, data, 10, NULL), 0);
	assert_int_equal(vb_nor_status(vb->nor, vb->now_ps) & 0x1C, 0);
	assert_memory_equal(mem, data, 10);
	done(vb);
}

static void w25q64(void **state)
{
	static const uint8_t wren = 0x06, wrsr[3] = {0x01, 0x00, 0x40};
	struct clip_bus b;
	struct vb *vb = board("w25q64", &b);
	struct ub_nor n = {0};
	struct ub_nor_chip sfdp;
	const struct ub_nor_chip *row = ub_nor_chip_by_name("W25Q64");
	uint8_t *data = malloc(K(300)), *mem;
	uint64_t t0, busy0;
	size_t size;

	(void)state;
	mem = vb_nor_mem(vb->nor, &size);
	/* CMP with no BP bits: all of it protected */
	vb_spi_clip_xfer(vb, &wren, 1, NULL, 0, CLIP_HZ);
	vb_spi_clip_xfer(vb, wrsr, 3, NULL, 0, CLIP_HZ);
	vb_advance(vb, 20 * MS);
	assert_int_equal(raw_sr(vb, 0x35) & 0x40, 0x40);
	assert_int_equal(ub_nor_probe(&n, &b.bus), 0);
	assert_string_equal(n.chip.name, "W25Q64");
	assert_true(n.protected_);

	/* the model's SFDP (the W25Q64FV's) describes what the row says */
	assert_int_equal(ub_nor_sfdp(&n, &sfdp), 0);
	assert_int_equal(sfdp.size, row->size);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(sfdp.erase[i].size, row->erase[i].size);
		assert_int_equal(sfdp.erase[i].op, row->erase[i].op);
	}

	fill_random(data, K(300), 5);
	t0 = vb->now_ps;
	busy0 = vb->st.spi_busy_ps;
	assert_int_equal(ub_nor_write(&n, K(4), data, K(300), NULL), 0);
	assert_int_equal(raw_sr(vb, 0x35) & 0x40, 0); /* CMP cleared */
	assert_memory_equal(mem + K(4), data, K(300));
	assert_int_equal(ub_nor_verify(&n, K(4), data, K(300)), 0);
	print_message("W25Q64: 300 KB random to blank: %.3f s modeled, the "
		      "chip busy %.3f s (tPP 0.7 ms x 1200), x%.2f\n",
		      SECONDS(vb->now_ps - t0),
		      SECONDS(vb->st.spi_busy_ps - busy0),
		      (double)(vb->now_ps - t0) /
			      (double)(vb->st.spi_busy_ps - busy0));

	/* over old data: 4 KB, 32 KB and 64 KB erases (45/120/150 ms) */
	fill_random(data, K(300), 6);
	t0 = vb->now_ps;
	busy0 = vb->st.spi_busy_ps;
	assert_int_equal(ub_nor_write(&n, K(4), data, K(300), NULL), 0);
	assert_memory_equal(mem + K(4), data, K(300));
	print_message("W25Q64: 300 KB random over old data: %.3f s modeled, "
		      "the chip busy %.3f s, x%.2f\n",
		      SECONDS(vb->now_ps - t0),
		      SECONDS(vb->st.spi_busy_ps - busy0),
		      (double)(vb->now_ps - t0) /
			      (double)(vb->st.spi_busy_ps - busy0));
	assert_int_equal(mem[K(4) - 1], 0xFF);

	/* BP bits: the chip's power-up protection of some parts */
	assert_int_equal(ub_nor_protect(&n), 0);
	assert_int_equal(vb_nor_status(vb->nor, vb->now_ps) & 0x1C, 0x1C);
	assert_int_equal(ub_nor_erase(&n, 0, M(8)), 0);
	assert_int_equal(mem[M(8) - 1], 0xFF);
	assert_int_equal(mem[K(4)], 0xFF);
	free(data);
	done(vb);
}

static void no_chip(void **state)
{
	struct clip_bus b;
	struct vb *vb = board("none", &b);
	struct ub_nor n = {0};

	(void)state;
	assert_int_equal(ub_nor_probe(&n, &b.bus), UB_ENOTARGET);
	assert_non_null(strstr(ub_errmsg(UB_ENOTARGET), "JEDEC ID reads FF FF "
							"FF"));
	assert_non_null(strstr(ub_errmsg(UB_ENOTARGET), "virtual none"));
	done(vb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sst25vf016b),
		cmocka_unit_test(m25pe16),
		cmocka_unit_test(w25q64),
		cmocka_unit_test(no_chip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
