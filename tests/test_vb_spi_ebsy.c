// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SST25 AAI with hardware end-of-write (EBSY: SO shows RY/BY# while CS# is
 * low) through the SPI loader over SWD, on the virtual board: the chip
 * holds what was written, the end of each word is read on MISO (no status
 * commands: fewer SPI bytes, less time than with RDSR polling), a chip that
 * ignores EBSY is noticed at the first word and written with RDSR polling,
 * and a word that does not end in time is reported.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vb_spi_rig.h"

#define SPARK_SET                                             \
	"spi_chip=sst25vf016b", "spi_bus=spi2", "spi_cs=PB9", \
		"spi_other_cs=PB12", "swclk_hz=4M"

struct aai_run {
	double s;	/* modelled seconds of the program call */
	uint64_t bytes; /* SPI bytes the chip saw */
	int err;
};

static struct aai_run aai(bool ebsy, bool chip_has_it, unsigned tmo_us,
			  uint32_t addr, size_t len, uint32_t seed)
{
	const char *const set[] = {SPARK_SET, chip_has_it ? "spi_no_ebsy=0"
							  : "spi_no_ebsy=1"};
	const struct ub_spi_prog p = {UB_SPI_PROG_AAI_WORD, 0, tmo_us, ebsy};
	uint8_t *img = malloc(len), *chip;
	struct aai_run x;
	struct spi_rig r;
	double t0;
	uint64_t b0;

	assert_non_null(img);
	rig_start(&r, "spark-core", set, sizeof(set) / sizeof(set[0]), true);
	chip = rig_chip(&r, NULL);
	rig_pattern(img, len, seed);
	rig_sst_unlock(r.bus);
	t0 = rig_s(&r);
	b0 = r.k.vb->st.spi_bytes;
	x.err = r.bus->ops->program(r.bus, &p, addr, img, len);
	if (x.err)
		print_message("program: %s\n", ub_errmsg(x.err));
	x.s = rig_s(&r) - t0;
	x.bytes = r.k.vb->st.spi_bytes - b0;
	if (!x.err)
		assert_memory_equal(chip + addr, img, len);
	else
		x.err = ub_errmsg(x.err) &&
					strstr(ub_errmsg(x.err), "still busy")
				? x.err
				: 1;
	/* the chip has left AAI mode and shows its status again */
	if (!x.err)
		assert_int_equal(rig_status(r.bus) & 0x41, 0);
	free(img);
	rig_stop(&r);
	return x;
}

static void ebsy_is_faster_and_right(void **state)
{
	struct aai_run hw = aai(true, true, 100, 0x1000, 16384, 1);
	struct aai_run sw = aai(false, true, 100, 0x1000, 16384, 1);
	struct aai_run big = aai(true, true, 100, 0x1000, 65536, 1);
	double word = (big.s - hw.s) / ((65536 - 16384) / 2);

	(void)state;
	assert_int_equal(hw.err, 0);
	assert_int_equal(sw.err, 0);
	assert_int_equal(big.err, 0);
	print_message("16 KB AAI: EBSY %.4f s, %llu SPI bytes; RDSR %.4f s, "
		      "%llu bytes; a word in a long run %.2f us\n",
		      hw.s, (unsigned long long)hw.bytes, sw.s,
		      (unsigned long long)sw.bytes, word * 1e6);
	/* 3 bytes a word and the few commands around it, no status reads */
	assert_true(hw.bytes < 16384 / 2 * 3 + 64);
	assert_true(sw.bytes > hw.bytes);
	assert_true(hw.s < sw.s);
	/* tBP 10 us + the 1.5 us command at 16 MHz: within 5% of that */
	assert_true(word < 11.5e-6 * 1.05);
}

static void chip_without_ebsy_falls_back(void **state)
{
	struct aai_run x = aai(true, false, 100, 0x2002, 4094, 2);

	(void)state;
	assert_int_equal(x.err, 0); /* written, with RDSR polling */
	assert_true(x.bytes > 4094 / 2 * 4);
}

/* An odd start and end go through the same path (padded with 0xFF). */
static void odd_ends(void **state)
{
	struct aai_run x = aai(true, true, 100, 0x3001, 999, 3);

	(void)state;
	assert_int_equal(x.err, 0);
}

/* A word that does not end within the timeout (5 us < tBP 10 us). */
static void word_too_slow(void **state)
{
	struct aai_run x = aai(true, true, 5, 0x4000, 64, 4);

	(void)state;
	assert_int_equal(x.err, UB_ETIMEOUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ebsy_is_faster_and_right),
		cmocka_unit_test(chip_without_ebsy_falls_back),
		cmocka_unit_test(odd_ends),
		cmocka_unit_test(word_too_slow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
