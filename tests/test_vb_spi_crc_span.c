// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SPI loader's CRC of the first span bytes of each block (ub/spi.h
 * crc32, UB_LDR_SPI_CRC with span), run over SWD on the virtual board's
 * CPU against the Spark Core's SST25VF016B: each CRC equals zlib's over
 * the same bytes, the bytes past each span are not clocked at all, on a
 * fast core and on one too slow for back-to-back reads; and the NOR
 * driver's sampled survey writing over other data ends with the chip
 * holding the image.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ub/spinor.h"
#include "vb_spi_rig.h"

#define SPARK_SET                                             \
	"spi_chip=sst25vf016b", "spi_bus=spi2", "spi_cs=PB9", \
		"spi_other_cs=PB12", "swclk_hz=4M"

#define NSET(a) (sizeof(a) / sizeof((a)[0]))
#define NOR	(2u << 20)

/* The CRCs of [addr, addr + len) in blocks, of span bytes of each, match
 * zlib's; the chip saw a READ (4 bytes) and the span of each block, no
 * more. */
static void spans_match(struct spi_rig *r, const uint8_t *chip, uint32_t addr,
			uint32_t len, uint32_t block, uint32_t span)
{
	static uint32_t crc[2048];
	uint32_t b = block ? block : len;
	uint32_t nb = (len + b - 1) / b, want = 0;
	uint64_t bytes = r->k.vb->st.spi_bytes;

	assert_true(nb <= 2048);
	assert_int_equal(
		r->bus->ops->crc32(r->bus, addr, len, block, span, crc), 0);
	for (uint32_t i = 0; i < nb; i++) {
		uint32_t off = i * b, n = len - off < b ? len - off : b;

		if (span && span < n)
			n = span;
		want += 4 + n;
		if (crc[i] != rig_zcrc(chip + addr + off, n))
			fail_msg("block %u (%u, span %u) at 0x%X: CRC 0x%08X, "
				 "zlib 0x%08X",
				 i, block, span, addr, crc[i],
				 rig_zcrc(chip + addr + off, n));
	}
	if (span && span < b)
		assert_int_equal(r->k.vb->st.spi_bytes - bytes, want);
}

static void span_crcs(const char *const *set, size_t nset)
{
	struct spi_rig r;
	uint8_t *chip;
	double t0, t1, t2;

	rig_start(&r, "spark-core", set, nset, true);
	chip = rig_chip(&r, NULL);
	rig_pattern(chip, NOR, 21);
	/* 64 of each 1 KB over 2 MB: more blocks than one job's buffer */
	spans_match(&r, chip, 0, NOR, 1024, 64);
	/* 256 of each 4 KB against all of them: the time follows */
	t0 = rig_s(&r);
	spans_match(&r, chip, 0x40000, 0x40000, 4096, 256);
	t1 = rig_s(&r);
	spans_match(&r, chip, 0x40000, 0x40000, 4096, 0);
	t2 = rig_s(&r);
	print_message("256 KB: CRCs of 256 B a 4 KB block %.2f ms, of it all "
		      "%.2f ms, modelled\n",
		      (t1 - t0) * 1e3, (t2 - t1) * 1e3);
	assert_true((t1 - t0) * 8 < t2 - t1);
	/* odd address, odd span, a short last block longer than the span,
	 * then one shorter than it */
	spans_match(&r, chip, 0x12345, 5500, 1000, 333);
	spans_match(&r, chip, 0x12345, 5050, 1000, 333);
	/* block 0: the first span bytes of the range; span >= block: all */
	spans_match(&r, chip, 0x777, 9000, 0, 100);
	spans_match(&r, chip, 0x777, 9000, 1000, 1000);
	spans_match(&r, chip, 0x777, 9000, 1000, 5000);
	rig_stop(&r);
}

static void span_crcs_fast_core(void **state)
{
	static const char *const set[] = {SPARK_SET};

	(void)state;
	span_crcs(set, NSET(set));
}

/* A core too slow for back-to-back bytes: each span read byte by byte
 * (the READ that overran done again), the CRCs the same. */
static void span_crcs_slow_core(void **state)
{
	static const char *const set[] = {SPARK_SET, "cpu_hz=1M"};
	struct spi_rig r;
	uint8_t *chip;
	uint32_t crc[8];

	(void)state;
	rig_start(&r, "spark-core", set, NSET(set), true);
	chip = rig_chip(&r, NULL);
	rig_pattern(chip, 65536, 22);
	assert_int_equal(
		r.bus->ops->crc32(r.bus, 0x100, 8 * 4096, 4096, 256, crc), 0);
	for (uint32_t i = 0; i < 8; i++)
		assert_int_equal(crc[i],
				 rig_zcrc(chip + 0x100 + i * 4096, 256));
	rig_stop(&r);
}

/* The NOR driver over this bus: an image over other data, some units
 * already holding theirs, one differing only past its sample, one blank
 * at its sample with old data after: the chip ends as the image. */
static void write_over_other_data(void **state)
{
	static const char *const set[] = {SPARK_SET};
	static uint8_t img[64 * 4096 + 300];
	struct ub_nor_stats st;
	struct ub_nor n = {0};
	struct spi_rig r;
	uint32_t at = 0x40000 - 100;
	uint8_t *chip;
	int err;

	(void)state;
	rig_start(&r, "spark-core", set, NSET(set), true);
	chip = rig_chip(&r, NULL);
	rig_pattern(chip, NOR, 23);
	rig_pattern(img, sizeof(img), 24);
	/* units 8-15 of the image's range hold it already */
	memcpy(chip + 0x48000, img + 0x48000 - at, 8 * 4096);
	/* unit 20: its sample right, a byte later wrong */
	memcpy(chip + 0x54000, img + 0x54000 - at, 4096);
	chip[0x54000 + 3000] ^= 0x81;
	/* unit 30: a blank sample, then old data */
	memset(img + 0x5E000 - at, 0xFF, 4096);
	memset(chip + 0x5E000, 0xFF, 256);
	err = ub_nor_probe(&n, r.bus);
	if (err)
		fail_msg("probe: %s", ub_errmsg(err));
	err = ub_nor_write(&n, at, img, sizeof(img), &st);
	if (err)
		fail_msg("write: %s", ub_errmsg(err));
	assert_memory_equal(chip + at, img, sizeof(img));
	assert_int_equal(st.sectors_touched, 66);
	assert_int_equal(st.sectors_unchanged, 8);
	assert_int_equal(st.sectors_erased, 58);
	assert_int_equal(ub_nor_verify(&n, at, img, sizeof(img)), 0);
	/* the same again: nothing to do */
	err = ub_nor_write(&n, at, img, sizeof(img), &st);
	assert_int_equal(err, 0);
	assert_int_equal(st.sectors_unchanged, 66);
	assert_int_equal(st.erase_ops, 0);
	rig_stop(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(span_crcs_fast_core),
		cmocka_unit_test(span_crcs_slow_core),
		cmocka_unit_test(write_over_other_data),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
