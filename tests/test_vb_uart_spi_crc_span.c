// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The UART monitor's SPI CRC with a span (UB_LDRU_SPI_CRC's optional 4th
 * word: of the first span bytes of each block), through src/spi_uart.c on
 * the board server's pty, an SST25VF016B on SPI2 (PB13-PB15, CS# PB12)
 * holding data from before: each CRC equals zlib's over the same bytes,
 * the 12-byte request still means whole blocks, and the NOR driver's
 * sampled survey writing over other data ends with the chip holding the
 * image.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <zlib.h>

#include "ub/board.h"
#include "ub/spi.h"
#include "ub/spinor.h"
#include "ub/stm32f1.h"
#include "vb_uart_host.h"

#define SST "spi_chip=sst25vf016b\nspi_bus=spi2\nspi_cs=PB12\n"
#define NOR (2 * 1024 * 1024)

static char server[4200];
static char tmp_dir[] = "/tmp/ub-test-vb-uart-span-XXXXXX";

static int setup(void **state)
{
	(void)state;
	return host_setup(server, sizeof(server), tmp_dir);
}

static int teardown(void **state)
{
	(void)state;
	return host_teardown(tmp_dir);
}

static uint32_t zcrc(const uint8_t *p, size_t n)
{
	return (uint32_t)crc32(0, p, (uInt)n);
}

/* The chip's content before the board starts: spi.bin in its state. */
static void seed(const char *name, const uint8_t *nor)
{
	char path[4400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmp_dir, name);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/spi.bin", tmp_dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(nor, 1, NOR, f), NOR);
	assert_int_equal(fclose(f), 0);
}

/* SPI2 on PB13-15, CS# PB12 (a Blue Pill with the chip wired on). */
static struct ub_spi_bus *bus(struct uh_rig *r)
{
	struct ub_spi_conf c;
	struct ub_ldr_spi_cfg cfg;
	struct ub_spi_bus *b;
	int err;

	memset(&c, 0, sizeof(c));
	c.present = true;
	strcpy(c.bus, "mcu");
	strcpy(c.peripheral, "SPI2");
	strcpy(c.sck, "PB13");
	strcpy(c.miso, "PB14");
	strcpy(c.mosi, "PB15");
	strcpy(c.cs, "PB12");
	strcpy(c.remap, "none");
	uh_ok(ub_stm32f1_spi_cfg(&c, 0, &cfg));
	b = ub_spi_uart_open(&r->m, &cfg, &err);
	if (!b)
		uh_ok(err);
	return b;
}

static void spans_match(struct ub_spi_bus *b, const uint8_t *nor, uint32_t addr,
			uint32_t len, uint32_t block, uint32_t span)
{
	static uint32_t crc[4096];
	uint32_t bl = block ? block : len, nb = (len + bl - 1) / bl;

	assert_true(nb <= 4096);
	uh_ok(b->ops->crc32(b, addr, len, block, span, crc));
	for (uint32_t i = 0; i < nb; i++) {
		uint32_t off = i * bl, n = len - off < bl ? len - off : bl;

		if (span && span < n)
			n = span;
		if (crc[i] != zcrc(nor + addr + off, n))
			fail_msg("block %u (%u, span %u) at 0x%X: CRC 0x%08X, "
				 "zlib 0x%08X",
				 i, block, span, addr, crc[i],
				 zcrc(nor + addr + off, n));
	}
}

static void span_crcs(void **state)
{
	uint8_t *nor = malloc(NOR);
	struct uh_rig r;
	struct ub_spi_bus *b;
	uint64_t t0, t1, t2;
	uint8_t arg[16] = {0};
	uint32_t got[2];

	(void)state;
	assert_non_null(nor);
	uh_pattern(nor, NOR, 31);
	seed("crc", nor);
	uh_rig_start(&r, server, tmp_dir, "crc", SST);
	uh_ok(ub_ldru_speed_up(&r.m, 0));
	b = bus(&r);
	/* 256 of each 4 KB over the whole chip: more than a frame's CRCs */
	t0 = uh_board_us(&r.h);
	spans_match(b, nor, 0, NOR, 4096, 256);
	t1 = uh_board_us(&r.h);
	spans_match(b, nor, 0, 256 * 4096, 4096, 0);
	t2 = uh_board_us(&r.h);
	print_message("CRCs of 256 B of each 4 KB, 2 MB: %llu us; of 1 MB "
		      "whole: %llu us (modelled)\n",
		      (unsigned long long)(t1 - t0),
		      (unsigned long long)(t2 - t1));
	assert_true((t1 - t0) * 4 < t2 - t1);
	/* odd address and span, short last blocks, block 0, span >= block */
	spans_match(b, nor, 0x12345, 5500, 1000, 333);
	spans_match(b, nor, 0x12345, 5050, 1000, 333);
	spans_match(b, nor, 0x777, 9000, 0, 100);
	spans_match(b, nor, 0x777, 9000, 1000, 1000);
	spans_match(b, nor, 0x777, 9000, 1000, 5000);
	/* the monitor itself: 16 bytes with span, 12 the whole block */
	arg[1] = 0x10;	/* addr 0x1000 */
	arg[5] = 0x20;	/* len 0x2000 */
	arg[9] = 0x10;	/* block 0x1000 */
	arg[12] = 0x40; /* span 0x40 */
	uh_ok(ub_ldru_call(&r.m, UB_LDRU_SPI_CRC, arg, 16, NULL, 0, got,
			   sizeof(got), NULL, 100, NULL));
	assert_int_equal(got[0], zcrc(nor + 0x1000, 0x40));
	assert_int_equal(got[1], zcrc(nor + 0x2000, 0x40));
	uh_ok(ub_ldru_call(&r.m, UB_LDRU_SPI_CRC, arg, 12, NULL, 0, got,
			   sizeof(got), NULL, 100, NULL));
	assert_int_equal(got[0], zcrc(nor + 0x1000, 0x1000));
	assert_int_equal(got[1], zcrc(nor + 0x2000, 0x1000));
	ub_spi_close(b);
	uh_rig_stop(&r);
	free(nor);
}

/* The NOR driver over the monitor: an image over other data, some units
 * holding theirs already, one differing past its sample, one whose blank
 * sample hides old data: the chip ends as the image. */
static void write_over_other_data(void **state)
{
	static uint8_t img[32 * 4096 + 300];
	uint8_t *nor = malloc(NOR), *after;
	struct ub_nor_stats st;
	struct ub_nor n = {0};
	struct ub_spi_bus *b;
	struct uh_rig r;
	uint32_t at = 0x40000 - 100;
	int err;

	(void)state;
	assert_non_null(nor);
	uh_pattern(nor, NOR, 32);
	uh_pattern(img, sizeof(img), 33);
	memcpy(nor + 0x44000, img + 0x44000 - at, 4 * 4096); /* held */
	memcpy(nor + 0x4A000, img + 0x4A000 - at, 4096);
	nor[0x4A000 + 2000] ^= 0x24; /* past the sample */
	memset(img + 0x50000 - at, 0xFF, 4096);
	memset(nor + 0x50000, 0xFF, 256); /* a blank sample, old after */
	seed("write", nor);
	uh_rig_start(&r, server, tmp_dir, "write", SST);
	uh_ok(ub_ldru_speed_up(&r.m, 0));
	b = bus(&r);
	uh_ok(ub_nor_probe(&n, b));
	err = ub_nor_write(&n, at, img, sizeof(img), &st);
	if (err)
		fail_msg("write: %s", ub_errmsg(err));
	assert_int_equal(st.sectors_touched, 34);
	assert_int_equal(st.sectors_unchanged, 4);
	assert_int_equal(st.sectors_erased, 30);
	uh_ok(ub_nor_verify(&n, at, img, sizeof(img)));
	ub_spi_close(b);
	uh_rig_stop(&r);
	after = uh_state_file(&r, "spi.bin", NOR);
	assert_memory_equal(after + at, img, sizeof(img));
	assert_memory_equal(after, nor, at);
	free(after);
	free(nor);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(span_crcs),
		cmocka_unit_test(write_over_other_data),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
