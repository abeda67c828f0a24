// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SPI NOR loader (src/loader/spi_f1.c, spi_core.h) run over SWD by the
 * product's own stack (src/ldr_swd_spi.c, src/spi_swd.c) on the virtual
 * board's CPU, against its SPI flash models, wired as the shipped
 * profiles say: the Spark Core's SST25VF016B on SPI2 with the CC3000's
 * select parked (and garbage without the park), the DSO Quad's M25PE16 and
 * W25Q64 on SPI3 behind the JTAG pins in mode 3. JEDEC and SFDP by xfer,
 * reads, erases, page and AAI programming, CRCs against zlib, a chip that
 * stays busy, a loader that never stops, a target reset in between, close.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ub/spinor.h"
#include "ub/target.h"
#include "vb_spi_rig.h"

#define SPARK_SET                                             \
	"spi_chip=sst25vf016b", "spi_bus=spi2", "spi_cs=PB9", \
		"spi_other_cs=PB12", "swclk_hz=4M"
#define DSO_SET                                                          \
	"variant=vc", "spi_bus=spi3", "spi_cs=PB7", "spi_other_cs=none", \
		"swclk_hz=4M"

#define NSET(a) (sizeof(a) / sizeof((a)[0]))

#define RCC_CFGR  0x40021004u
#define FLASH_ACR 0x40022000u
#define GPIOB_ODR 0x40010C0Cu
#define SPI2_CR1  0x40003800u
#define SPI3_CR1  0x40003C00u

static const struct ub_spi_prog sst_prog = {UB_SPI_PROG_AAI_WORD, 0, 50};
static const struct ub_spi_prog m25pe_prog = {UB_SPI_PROG_PAGE, 256, 5000};
static const struct ub_spi_prog w25q_prog = {UB_SPI_PROG_PAGE, 256, 3000};

static uint32_t rd32(struct spi_rig *r, uint32_t addr)
{
	uint32_t v = 0;

	assert_int_equal(ub_dap_read32(&r->k.dap, addr, &v), 0);
	return v;
}

static void id_is(struct ub_spi_bus *b, uint8_t m, uint8_t t, uint8_t c)
{
	uint8_t id[3];

	rig_jedec(b, id);
	if (id[0] != m || id[1] != t || id[2] != c)
		fail_msg("JEDEC %02X %02X %02X, not %02X %02X %02X", id[0],
			 id[1], id[2], m, t, c);
}

static void erase(struct ub_spi_bus *b, uint8_t op, bool addr, uint32_t at,
		  unsigned ms)
{
	int err = b->ops->erase(b, op, addr, at, ms);

	if (err)
		fail_msg("erase 0x%02X: %s", op, ub_errmsg(err));
}

static void crcs_match(struct ub_spi_bus *b, const uint8_t *chip, uint32_t addr,
		       uint32_t len, uint32_t block)
{
	static uint32_t crc[1024];
	uint32_t nb = block ? (len + block - 1) / block : 1;

	assert_true(nb <= 1024);
	assert_int_equal(b->ops->crc32(b, addr, len, block, 0, crc), 0);
	for (uint32_t i = 0; i < nb; i++) {
		uint32_t off = i * block, n = block && len - off < block
						      ? len - off
					      : block ? block
						      : len;

		if (crc[i] != rig_zcrc(chip + addr + off, n))
			fail_msg("block %u of 0x%X at 0x%X: CRC 0x%08X, zlib "
				 "0x%08X",
				 i, block, addr, crc[i],
				 rig_zcrc(chip + addr + off, n));
	}
}

/* --- Spark Core: SST25VF016B on SPI2, the CC3000 parked --- */

static void spark_jedec_and_read(void **state)
{
	static const char *const set[] = {SPARK_SET};
	static uint8_t buf[65536 + 3];
	struct spi_rig r;
	uint64_t bytes;
	uint8_t *chip;
	double t0;

	(void)state;
	rig_start(&r, "spark-core", set, NSET(set), true);
	assert_int_equal(r.bus->hz, 16000000); /* PCLK1 32 MHz / 2 */
	rig_has(r.bus->name, "SPI2");
	/* the loader's clock: PLL on HSI, 64 MHz, flash latency 2 */
	assert_int_equal(rd32(&r, RCC_CFGR) & 0xC, 0x8);
	assert_int_equal(rd32(&r, FLASH_ACR) & 7, 2);
	/* CS# high, the CC3000's CS# high and its enable low */
	assert_int_equal(vb_gpio_drive(r.k.vb, VB_PIN(1, 9)), 1);
	assert_int_equal(vb_gpio_drive(r.k.vb, VB_PIN(1, 12)), 1);
	assert_int_equal(vb_gpio_drive(r.k.vb, VB_PIN(1, 8)), 0);
	id_is(r.bus, 0xBF, 0x25, 0x41);
	chip = rig_chip(&r, NULL);
	rig_pattern(chip, 2u << 20, 1);
	/* more than two buffers, from an odd address, an odd length */
	assert_int_equal(r.bus->ops->read(r.bus, 0x12345, buf, sizeof(buf)), 0);
	assert_memory_equal(buf, chip + 0x12345, sizeof(buf));
	assert_int_equal(r.bus->ops->read(r.bus, 7, buf, 5), 0);
	assert_memory_equal(buf, chip + 7, 5);
	assert_int_equal(r.k.vb->st.spi_contention, 0);
	/* one READ, its bytes back to back: 0.5 us each at 16 MHz */
	bytes = r.k.vb->st.spi_bytes;
	t0 = rig_s(&r);
	crcs_match(r.bus, chip, 0, 65536, 4096);
	assert_int_equal(r.k.vb->st.spi_bytes - bytes, 4 + 65536);
	print_message("CRC of 64 KB in the chip: %.1f ms modelled\n",
		      (rig_s(&r) - t0) * 1e3);
	rig_stop(&r);
}

/* Without the park the CC3000's CS# floats low: it drives MISO too. */
static void spark_without_the_park_reads_garbage(void **state)
{
	static const char *const set[] = {SPARK_SET};
	static uint8_t buf[4096];
	struct spi_rig r;
	uint8_t *chip;
	int err;

	(void)state;
	rig_start(&r, "spark-core", set, NSET(set), false);
	r.board->spi.npark = 0;
	assert_int_equal(ub_stm32f1_spi_cfg(&r.board->spi, 0, &r.cfg), 0);
	r.bus = ub_spi_swd_open(&r.l, &r.cfg, &err);
	assert_non_null(r.bus);
	chip = rig_chip(&r, NULL);
	rig_pattern(chip, sizeof(buf), 2);
	assert_int_equal(r.bus->ops->read(r.bus, 0, buf, sizeof(buf)), 0);
	assert_memory_not_equal(buf, chip, sizeof(buf));
	assert_true(r.k.vb->st.spi_contention > 0);
	rig_stop(&r);
}

static void sst_erase_aai_and_crc(void **state)
{
	static const char *const set[] = {SPARK_SET};
	static uint8_t img[16384 + 1];
	struct spi_rig r;
	uint64_t progs;
	uint8_t *chip;
	size_t words = 0;

	(void)state;
	rig_start(&r, "spark-core", set, NSET(set), true);
	chip = rig_chip(&r, NULL);
	memset(chip, 0x5A, 2u << 20);
	rig_sst_unlock(r.bus);
	/* 50 ms of chip erase, far longer in real time here than the 20 ms
	 * a loader may stay silent: its beat keeps the host waiting */
	r.l.timeout_ms = 20;
	erase(r.bus, 0x60, false, 0, 200);
	assert_false(r.l.broken);
	r.l.timeout_ms = UB_LDR_TIMEOUT_MS;
	for (size_t i = 0; i < (2u << 20); i++)
		if (chip[i] != 0xFF)
			fail_msg("0x%zX not erased", i);
	/* an odd start and end (padded with 0xFF), a long blank hole */
	rig_pattern(img, sizeof(img), 3);
	memset(img + 9001, 0xFF, 3000);
	for (size_t i = 1; i + 1 < sizeof(img); i += 2)
		words += img[i] != 0xFF || img[i + 1] != 0xFF;
	progs = r.k.vb->st.spi_programs;
	assert_int_equal(r.bus->ops->program(r.bus, &sst_prog, 0x20001, img,
					     sizeof(img)),
			 0);
	assert_memory_equal(chip + 0x20001, img, sizeof(img));
	assert_int_equal(chip[0x20000], 0xFF);
	assert_int_equal(chip[0x20001 + sizeof(img)], 0xFF);
	/* the hole was skipped: fewer words than the image has */
	assert_true(r.k.vb->st.spi_programs - progs < sizeof(img) / 2 + 1);
	assert_true(r.k.vb->st.spi_programs - progs >= words);
	/* AAI is over: WEL and AAI clear, the chip idle */
	assert_int_equal(rig_status(r.bus) & 0x43, 0);
	crcs_match(r.bus, chip, 0x20001, sizeof(img), 4096);
	crcs_match(r.bus, chip, 0x20001, sizeof(img), 1000);
	crcs_match(r.bus, chip, 0x1FFF0, 20000, 0);
	/* a sector erase: that 4 KB only */
	erase(r.bus, 0x20, true, 0x21000, 100);
	for (size_t i = 0; i < 4096; i++)
		assert_int_equal(chip[0x21000 + i], 0xFF);
	assert_memory_equal(chip + 0x20001, img, 0x21000 - 0x20001);
	assert_memory_equal(chip + 0x22000, img + 0x22000 - 0x20001,
			    0x20001 + sizeof(img) - 0x22000);
	rig_stop(&r);
}

/* --- DSO Quad: SPI3 on PB3/PB4/PB5 (JTAG off), mode 3 --- */

static void page_chip(const char *chip_set, uint8_t m, uint8_t t, uint8_t c,
		      const struct ub_spi_prog *prog)
{
	const char *const set[] = {DSO_SET, chip_set};
	static uint8_t img[65536 + 77];
	struct spi_rig r;
	uint8_t *chip;

	rig_start(&r, "dso-quad", set, NSET(set), true);
	assert_int_equal(r.cfg.cr1 & 3, 3); /* CPOL, CPHA */
	rig_has(r.bus->name, "SPI3");
	assert_int_equal(r.k.vb->io.swj_cfg, 2); /* JTAG off, SW-DP on */
	id_is(r.bus, m, t, c);
	chip = rig_chip(&r, NULL);
	/* pages from the middle of one to the middle of another, blank ones
	 * among them */
	rig_pattern(img, sizeof(img), 4);
	memset(img + 1000, 0xFF, 1024);
	assert_int_equal(
		r.bus->ops->program(r.bus, prog, 0x10080, img, sizeof(img)), 0);
	assert_memory_equal(chip + 0x10080, img, sizeof(img));
	assert_int_equal(chip[0x1007F], 0xFF);
	crcs_match(r.bus, chip, 0x10080, sizeof(img), 2048);
	memset(img, 0, 64);
	assert_int_equal(r.bus->ops->read(r.bus, 0x10080, img, 64), 0);
	assert_memory_equal(img, chip + 0x10080, 64);
	/* a 4 KB erase at 0x11000 leaves the rest */
	erase(r.bus, 0x20, true, 0x11000, 300);
	for (size_t i = 0; i < 4096; i++)
		if (chip[0x11000 + i] != 0xFF)
			fail_msg("0x%zX not erased", 0x11000 + i);
	assert_int_equal(chip[0x10FFF], img[0x10FFF - 0x10080]);
	assert_int_equal(chip[0x12000], img[0x12000 - 0x10080]);
	rig_stop(&r);
}

static void dso_m25pe16(void **state)
{
	(void)state;
	page_chip("spi_chip=m25pe16", 0x20, 0x80, 0x15, &m25pe_prog);
}

static void dso_w25q64(void **state)
{
	const char *const set[] = {DSO_SET, "spi_chip=w25q64"};
	const uint8_t sfdp[5] = {0x5A, 0, 0, 0, 0};
	uint8_t sig[4];
	struct spi_rig r;

	(void)state;
	page_chip("spi_chip=w25q64", 0xEF, 0x40, 0x17, &w25q_prog);
	/* SFDP: the command, a 3-byte address, a dummy byte */
	rig_start(&r, "dso-quad", set, NSET(set), true);
	assert_int_equal(ub_spi_xfer(r.bus, sfdp, 5, sig, 4), 0);
	assert_memory_equal(sig, "SFDP", 4);
	rig_stop(&r);
}

/* CRCs read the chip's bytes back to back, counting on a 64 MHz core; a
 * core that is slower loses bytes (OVR), and the job is read again one
 * byte at a time: the CRCs still match. */
static void crc_on_a_slow_core(void **state)
{
	static const char *const set[] = {SPARK_SET, "cpu_hz=1M"};
	struct spi_rig r;
	uint64_t bytes;
	uint8_t *chip;

	(void)state;
	rig_start(&r, "spark-core", set, NSET(set), true);
	chip = rig_chip(&r, NULL);
	rig_pattern(chip, 65536, 8);
	bytes = r.k.vb->st.spi_bytes;
	crcs_match(r.bus, chip, 0x100, 8192, 1024);
	/* a READ that overran, then another one */
	assert_true(r.k.vb->st.spi_bytes - bytes > 4 + 8192 + 4);
	crcs_match(r.bus, chip, 0x3, 5000, 0);
	rig_stop(&r);
}

/* --- faults --- */

static void chip_stays_busy(void **state)
{
	const char *const set[] = {DSO_SET, "spi_chip=m25pe16"};
	static const struct ub_spi_prog fast = {UB_SPI_PROG_PAGE, 256, 100};
	static uint8_t img[512];
	struct spi_rig r;
	int err;

	(void)state;
	rig_start(&r, "dso-quad", set, NSET(set), true);
	/* a bulk erase takes 17 s: the loader gives up after 100 ms */
	err = r.bus->ops->erase(r.bus, 0xC7, false, 0, 100);
	assert_int_equal(err, UB_ETIMEOUT);
	rig_has(ub_errmsg(err), "chip erase 0xC7: the SPI flash was still "
				"busy after 100 ms (status 0x01)");
	assert_false(r.l.broken); /* the chip's fault, not the loader's */
	assert_int_equal(rig_status(r.bus) & 1, 1);
	/* wait it out (17 s); then a page program (0.8 ms) given 100 us */
	vb_advance(r.k.vb, 17000 * VB_PS_PER_MS);
	assert_int_equal(rig_status(r.bus) & 1, 0);
	rig_pattern(img, sizeof(img), 5);
	err = r.bus->ops->program(r.bus, &fast, 0x300, img, sizeof(img));
	assert_int_equal(err, UB_ETIMEOUT);
	rig_has(ub_errmsg(err), "page program at 0x000300: the SPI flash was "
				"still busy after 100 us");
	rig_stop(&r);
}

/* The loader hangs (its SPI has no clock: TXE never sets): the host gives
 * up, resets the target, and uses no loader again. */
static void loader_that_never_stops(void **state)
{
	static const char *const set[] = {SPARK_SET};
	struct spi_rig r;
	uint64_t resets;
	uint8_t id[3];
	int err;

	(void)state;
	rig_start(&r, "spark-core", set, NSET(set), false);
	r.cfg.apb1enr = 0;
	r.l.timeout_ms = 100;
	r.bus = ub_spi_swd_open(&r.l, &r.cfg, &err);
	assert_non_null(r.bus);
	resets = r.k.vb->st.resets;
	err = ub_spi_xfer(r.bus, (const uint8_t *)"\x9F", 1, id, 3);
	assert_int_equal(err, UB_ETIMEOUT);
	rig_has(ub_errmsg(err), "the SPI flash loader showed no progress "
				"for 101 ms");
	rig_has(ub_errmsg(err), "target reset");
	assert_int_equal(r.k.vb->st.resets, resets + 1);
	assert_true(r.l.broken);
	err = ub_spi_xfer(r.bus, (const uint8_t *)"\x9F", 1, id, 3);
	assert_int_equal(err, UB_EUNSUPPORTED);
	rig_has(ub_errmsg(err), "a loader failed earlier");
	rig_stop(&r);
}

static void too_long_a_transfer(void **state)
{
	static const char *const set[] = {SPARK_SET};
	static uint8_t big[8192];
	struct spi_rig r;
	int err;

	(void)state;
	rig_start(&r, "spark-core", set, NSET(set), true);
	err = ub_spi_xfer(r.bus, big, 1, big, sizeof(big));
	assert_int_equal(err, UB_EINVAL);
	rig_has(ub_errmsg(err), "more than the loader's buffer");
	id_is(r.bus, 0xBF, 0x25, 0x41); /* nothing broken */
	rig_stop(&r);
}

/* --- the target around it --- */

/* A reset in between: the loader is loaded and the SPI set up again. */
static void target_reset_between(void **state)
{
	static const char *const set[] = {SPARK_SET};
	struct spi_rig r;

	(void)state;
	rig_start(&r, "spark-core", set, NSET(set), true);
	id_is(r.bus, 0xBF, 0x25, 0x41);
	assert_int_equal(ub_cm_reset(&r.k.cm, UB_RESET_HALT), 0);
	ub_ldr_swd_forget(&r.l);
	assert_int_equal(rd32(&r, RCC_CFGR) & 0xC, 0); /* HSI again */
	id_is(r.bus, 0xBF, 0x25, 0x41);
	assert_int_equal(rd32(&r, RCC_CFGR) & 0xC, 0x8);
	rig_stop(&r);
}

/* Close: CS# high, the SPI off, the clock back to HSI. */
static void close_puts_it_back(void **state)
{
	const char *const set[] = {DSO_SET, "spi_chip=m25pe16"};
	struct spi_rig r;

	(void)state;
	rig_start(&r, "dso-quad", set, NSET(set), true);
	id_is(r.bus, 0x20, 0x80, 0x15);
	assert_int_equal(rd32(&r, SPI3_CR1) & 0x40, 0x40);
	ub_spi_close(r.bus);
	r.bus = NULL;
	assert_int_equal(rd32(&r, SPI3_CR1), 0);
	assert_int_equal(rd32(&r, RCC_CFGR), 0);
	assert_int_equal(rd32(&r, GPIOB_ODR) & (1u << 7), 1u << 7);
	assert_true(r.k.vb->st.cpu_instructions > 0);
	rig_stop(&r);
}

/* The F1 driver's spi_open: the profile's [spi] section, over its own
 * loader state. */
static void target_spi_open(void **state)
{
	static const char *const set[] = {SPARK_SET};
	struct ub_spi_bus *bus;
	struct ub_target *t;
	struct spi_rig r;
	int err;

	(void)state;
	rig_start(&r, "spark-core", set, NSET(set), false);
	t = ub_stm32f1_swd(&r.k.cm, &err);
	assert_non_null(t);
	assert_non_null(t->ops->spi_open);
	bus = t->ops->spi_open(t, &r.board->spi, 4000000, &err);
	if (!bus)
		fail_msg("spi_open: %s", ub_errmsg(err));
	assert_int_equal(bus->hz, 4000000); /* 32 MHz / 8 */
	id_is(bus, 0xBF, 0x25, 0x41);
	ub_spi_close(bus);
	/* a profile the F1 cannot do */
	snprintf(r.board->spi.peripheral, sizeof(r.board->spi.peripheral),
		 "SPI4");
	assert_null(t->ops->spi_open(t, &r.board->spi, 0, &err));
	assert_int_equal(err, UB_ECONFIG);
	t->ops->close(t);
	rig_stop(&r);
}

/* The NOR driver (src/spinor*.c) over this bus: probe, unprotect, erase
 * planning, AAI, and verify by the loader's CRCs. */
static void nor_driver_end_to_end(void **state)
{
	static const char *const set[] = {SPARK_SET};
	static uint8_t img[20000];
	struct ub_nor_stats st;
	struct ub_nor n = {0};
	struct spi_rig r;
	uint8_t *chip;
	char desc[160];
	int err;

	(void)state;
	rig_start(&r, "spark-core", set, NSET(set), true);
	chip = rig_chip(&r, NULL);
	rig_pattern(chip, 2u << 20, 6); /* old data all over */
	err = ub_nor_probe(&n, r.bus);
	if (err)
		fail_msg("probe: %s", ub_errmsg(err));
	ub_nor_describe(&n, desc, sizeof(desc));
	rig_has(desc, "SST25VF016B");
	assert_true(n.protected_); /* BP bits set at power-up */
	rig_pattern(img, sizeof(img), 7);
	memset(img + 5000, 0xFF, 6000);
	err = ub_nor_write(&n, 0x3100, img, sizeof(img), &st);
	if (err)
		fail_msg("write: %s", ub_errmsg(err));
	assert_memory_equal(chip + 0x3100, img, sizeof(img));
	assert_int_equal(ub_nor_verify(&n, 0x3100, img, sizeof(img)), 0);
	chip[0x3100 + 12345] ^= 0x04;
	err = ub_nor_verify(&n, 0x3100, img, sizeof(img));
	assert_int_equal(err, UB_EVERIFY);
	rig_has(ub_errmsg(err), "0x006139");
	rig_stop(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spark_jedec_and_read),
		cmocka_unit_test(spark_without_the_park_reads_garbage),
		cmocka_unit_test(sst_erase_aai_and_crc),
		cmocka_unit_test(dso_m25pe16),
		cmocka_unit_test(dso_w25q64),
		cmocka_unit_test(crc_on_a_slow_core),
		cmocka_unit_test(chip_stays_busy),
		cmocka_unit_test(loader_that_never_stops),
		cmocka_unit_test(too_long_a_transfer),
		cmocka_unit_test(target_reset_between),
		cmocka_unit_test(close_puts_it_back),
		cmocka_unit_test(target_spi_open),
		cmocka_unit_test(nor_driver_end_to_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
