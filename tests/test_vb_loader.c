// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The loaders (src/loader/, run by src/ldr_swd*.c) on the virtual board's
 * CPU, through the product's own SWD stack in this process: the CRC-32
 * loader against zlib, the flash loader's double-buffered programming and
 * its errors, loaders that never stop or fault, the F1 driver's choice
 * between loader and debug port, and write plus verify of 128 KB against
 * the flash's own programming time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unistd.h>
#include <zlib.h>

#include "cli_util.h"
#include "ub/loader.h"
#include "ub/ops.h"
#include "ub/stm32f1.h"
#include "vb_wire.h"

#define FLASH	 0x08000000u
#define SRAM	 0x20000000u
#define CB_FLASH (128 * 1024)
#define CB_RAM	 (20 * 1024)
#define DATA	 0x20003000u /* test data in RAM, above the loaders' */

static void pattern(uint8_t *b, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		b[i] = (uint8_t)(seed >> 16);
	}
}

static uint32_t zcrc(const uint8_t *p, size_t n)
{
	return (uint32_t)crc32(0, p, (uInt)n);
}

static void has(const char *s, const char *part)
{
	if (!strstr(s, part))
		fail_msg("'%s' does not contain '%s'", s, part);
}

static void ldr_init(struct ub_ldr_swd *l, struct vb_link *k)
{
	assert_int_equal(ub_ldr_swd_init(l, &k->cm, SRAM, CB_RAM), 0);
	assert_true(l->work + l->work_len <= SRAM + CB_RAM);
	assert_true(l->code[0] >= SRAM + UB_LDR_RAM_SKIP);
}

static void fpec_unlock(struct vb_link *k)
{
	assert_int_equal(
		ub_dap_write32(&k->dap, UB_F1_FPEC + UB_F1_KEYR, UB_F1_KEY1),
		0);
	assert_int_equal(
		ub_dap_write32(&k->dap, UB_F1_FPEC + UB_F1_KEYR, UB_F1_KEY2),
		0);
}

static bool halted(struct vb_link *k)
{
	bool h = false;

	assert_int_equal(ub_cm_is_halted(&k->cm, &h), 0);
	return h;
}

/* --- CRC-32 --- */

static void crc_matches_zlib(void **state)
{
	static uint8_t ram[4096];
	struct ub_ldr_swd l;
	struct vb_link k;
	uint32_t crc[600];

	(void)state;
	vb_link_open(&k, NULL, 0);
	ldr_init(&l, &k);
	pattern(k.vb->flash, CB_FLASH, 1);
	/* flash, 1 KB blocks */
	assert_int_equal(ub_ldr_swd_crc32(&l, FLASH, CB_FLASH, 1024, crc), 0);
	for (int b = 0; b < 128; b++)
		assert_int_equal(crc[b], zcrc(k.vb->flash + 1024 * b, 1024));
	/* more blocks than one run gives: the last one short */
	assert_int_equal(
		ub_ldr_swd_crc32(&l, FLASH + 3, CB_FLASH - 3, 256, crc), 0);
	for (int b = 0; b < 512; b++) {
		size_t n = b == 511 ? 253 : 256;

		assert_int_equal(crc[b], zcrc(k.vb->flash + 3 + 256 * b, n));
	}
	/* RAM, ragged ends, a whole range at once, nothing */
	pattern(ram, sizeof(ram), 2);
	memcpy(k.vb->sram + (DATA - SRAM), ram, sizeof(ram));
	assert_int_equal(ub_ldr_swd_crc32(&l, DATA + 1, 999, 100, crc), 0);
	for (int b = 0; b < 10; b++)
		assert_int_equal(crc[b],
				 zcrc(ram + 1 + 100 * b, b == 9 ? 99 : 100));
	assert_int_equal(ub_ldr_swd_crc32(&l, DATA + 2, 4093, 0, crc), 0);
	assert_int_equal(crc[0], zcrc(ram + 2, 4093));
	assert_int_equal(ub_ldr_swd_crc32(&l, DATA, 3, 0, crc), 0);
	assert_int_equal(crc[0], zcrc(ram, 3));
	assert_int_equal(ub_ldr_swd_crc32(&l, DATA, 0, 0, crc), 0);
	assert_int_equal(crc[0], 0);
	assert_true(halted(&k)); /* a loader leaves the core halted */
	assert_true(k.vb->st.cpu_instructions > 0);
	vb_link_close(&k);
}

/* A loader that faults is caught at once and named. */
static void crc_of_nothing_faults(void **state)
{
	struct ub_ldr_swd l;
	struct vb_link k;
	uint32_t crc;

	(void)state;
	vb_link_open(&k, NULL, 0);
	ldr_init(&l, &k);
	assert_int_equal(ub_ldr_swd_crc32(&l, 0x30000000, 64, 0, &crc),
			 UB_EPROTO);
	has(ub_errmsg(UB_EPROTO), "the CRC-32 loader faulted at 0x");
	assert_true(l.broken);
	assert_true(halted(&k));
	/* and no loader runs again */
	assert_int_equal(ub_ldr_swd_crc32(&l, FLASH, 64, 0, &crc),
			 UB_EUNSUPPORTED);
	vb_link_close(&k);
}

/* --- the flash loader --- */

/* Random halfwords with holes of 0xFFFF, short and long. */
static void holey(uint8_t *b, size_t n, uint32_t seed)
{
	pattern(b, n, seed);
	memset(b + 100, 0xFF, 6);	/* short: sent, skipped there */
	memset(b + 2000, 0xFF, 500);	/* long: not sent */
	memset(b + n - 300, 0xFF, 300); /* a blank tail */
}

static size_t set_halfwords(const uint8_t *b, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i += 2)
		c += b[i] != 0xFF || b[i + 1] != 0xFF;
	return c;
}

static void flash_loader_programs_and_skips_blank(void **state)
{
	static uint8_t img[9000];
	struct ub_ldr_swd l;
	struct vb_link k;
	uint64_t programs;

	(void)state;
	vb_link_open(&k, NULL, 0);
	ldr_init(&l, &k);
	holey(img, sizeof(img), 3);
	fpec_unlock(&k);
	programs = k.vb->st.programs;
	assert_int_equal(ub_ldr_swd_program(&l, UB_F1_FPEC, FLASH + 0x402, img,
					    sizeof(img)),
			 0);
	assert_memory_equal(k.vb->flash + 0x402, img, sizeof(img));
	for (size_t i = 0; i < 0x402; i++)
		assert_int_equal(k.vb->flash[i], 0xFF);
	/* only what is not 0xFFFF reached the flash */
	assert_int_equal(k.vb->st.programs - programs,
			 set_halfwords(img, sizeof(img)));
	assert_true(halted(&k));
	/* again, the code already loaded; then nothing at all to do */
	holey(img, 2048, 4);
	assert_int_equal(
		ub_ldr_swd_program(&l, UB_F1_FPEC, FLASH + 0x8000, img, 2048),
		0);
	assert_memory_equal(k.vb->flash + 0x8000, img, 2048);
	memset(img, 0xFF, 64);
	assert_int_equal(
		ub_ldr_swd_program(&l, UB_F1_FPEC, FLASH + 0x9000, img, 64), 0);
	vb_link_close(&k);
}

/* The wire overlaps the flash: programming is bound by the flash. */
static void flash_loader_keeps_the_flash_busy(void **state)
{
	static uint8_t img[32768];
	struct ub_ldr_swd l;
	struct vb_link k;
	uint64_t t0, busy0, took, busy;

	(void)state;
	vb_link_open(&k, NULL, 0);
	ldr_init(&l, &k);
	pattern(img, sizeof(img), 5);
	fpec_unlock(&k);
	t0 = k.vb->now_ps;
	busy0 = k.vb->st.flash_busy_ps;
	assert_int_equal(
		ub_ldr_swd_program(&l, UB_F1_FPEC, FLASH, img, sizeof(img)), 0);
	took = k.vb->now_ps - t0;
	busy = k.vb->st.flash_busy_ps - busy0;
	print_message("32 KB by the flash loader: %.3f s, flash busy %.3f s "
		      "(%.3f)\n",
		      took / 1e12, busy / 1e12, (double)took / busy);
	assert_int_equal(busy, 16384ull * 52500 * 1000);
	assert_true(took < busy * 105 / 100);
	vb_link_close(&k);
}

static void flash_error_names_the_halfword(void **state)
{
	static uint8_t img[4096];
	struct ub_ldr_swd l;
	struct vb_link k;

	(void)state;
	vb_link_open(&k, NULL, 0);
	ldr_init(&l, &k);
	pattern(img, sizeof(img), 6);
	/* not erased at 0x080014A2 */
	k.vb->flash[0x14A2] = 0x12;
	k.vb->flash[0x14A3] = 0x34;
	img[0x4A2] = 0x99;
	fpec_unlock(&k);
	assert_int_equal(ub_ldr_swd_program(&l, UB_F1_FPEC, FLASH + 0x1000, img,
					    sizeof(img)),
			 UB_EIO);
	has(ub_errmsg(UB_EIO), "programming at 0x080014A2 failed");
	has(ub_errmsg(UB_EIO), "PGERR");
	assert_false(l.broken); /* the flash's fault, not the loader's */
	assert_true(halted(&k));
	/* the FPEC is left clear: the debug port programs the next one */
	assert_int_equal(
		ub_ldr_swd_program(&l, UB_F1_FPEC, FLASH + 0x4000, img, 2048),
		0);
	assert_memory_equal(k.vb->flash + 0x4000, img, 2048);
	vb_link_close(&k);
}

static void write_protection_names_the_halfword(void **state)
{
	static uint8_t img[2048];
	struct ub_ldr_swd l;
	struct vb_link k;

	(void)state;
	vb_link_open(&k, NULL, 0);
	/* WRP0 bit 1: pages 4-7 protected, loaded at the next reset */
	k.vb->option[8] = 0xFD;
	k.vb->option[9] = 0x02;
	assert_int_equal(ub_cm_reset(&k.cm, UB_RESET_HALT), 0);
	ldr_init(&l, &k);
	pattern(img, sizeof(img), 7);
	fpec_unlock(&k);
	assert_int_equal(ub_ldr_swd_program(&l, UB_F1_FPEC, FLASH + 0x1000, img,
					    sizeof(img)),
			 UB_EPROTECTED);
	has(ub_errmsg(UB_EPROTECTED), "programming at 0x08001000 refused");
	has(ub_errmsg(UB_EPROTECTED), "write-protected");
	assert_int_equal(k.vb->flash[0x1000], 0xFF);
	vb_link_close(&k);
}

/*
 * A loader that never reaches its BKPT: the flash loader on a flash whose
 * every halfword keeps it busy for 4 s (the board's clock moves only with
 * the wire, so 100 ms of polling are far from it). The host gives up,
 * stops it, resets the target and uses no loader again.
 */
static void loader_that_never_stops(void **state)
{
	static const char *const set[] = {"prog_ns=4000000000"};
	static uint8_t img[512];
	struct ub_ldr_swd l;
	struct vb_link k;
	uint64_t resets;
	uint32_t crc;

	(void)state;
	vb_link_open(&k, set, 1);
	ldr_init(&l, &k);
	l.timeout_ms = 100;
	pattern(img, sizeof(img), 8);
	fpec_unlock(&k);
	resets = k.vb->st.resets;
	assert_int_equal(
		ub_ldr_swd_program(&l, UB_F1_FPEC, FLASH, img, sizeof(img)),
		UB_ETIMEOUT);
	has(ub_errmsg(UB_ETIMEOUT), "the flash loader did not finish within "
				    "100 ms");
	has(ub_errmsg(UB_ETIMEOUT), "target reset");
	assert_int_equal(k.vb->st.resets, resets + 1);
	assert_true(halted(&k));
	assert_true(l.broken);
	assert_int_equal(ub_ldr_swd_crc32(&l, FLASH, 4096, 0, &crc),
			 UB_EUNSUPPORTED);
	vb_link_close(&k);
}

/* --- the F1 driver and the generic operations --- */

static struct ub_target *f1(struct vb_link *k)
{
	int err;
	struct ub_target *t = ub_stm32f1_swd(&k->cm, &err);

	if (!t)
		fail_msg("probe: %s", ub_errmsg(err));
	return t;
}

static void image1(struct ub_image *img, uint32_t addr, const void *data,
		   size_t len)
{
	assert_int_equal(
		ub_image_load_mem(img, data, len, UB_FMT_BIN, addr, "t.bin"),
		0);
}

/* A little goes by the debug port, much by the loader. */
static void driver_picks_the_way(void **state)
{
	static uint8_t img[4096];
	struct ub_target *t;
	struct vb_link k;
	uint64_t cpu;

	(void)state;
	vb_link_open(&k, NULL, 0);
	t = f1(&k);
	pattern(img, sizeof(img), 9);
	cpu = k.vb->st.cpu_instructions;
	assert_int_equal(t->ops->program(t, FLASH, img, 64), 0);
	assert_int_equal(k.vb->st.cpu_instructions, cpu);
	assert_int_equal(t->ops->program(t, FLASH + 0x400, img, 2048), 0);
	assert_true(k.vb->st.cpu_instructions > cpu);
	assert_memory_equal(k.vb->flash, img, 64);
	assert_memory_equal(k.vb->flash + 0x400, img, 2048);
	t->ops->close(t);
	vb_link_close(&k);
}

/* After a loader failed, the debug port does it all. */
static void driver_goes_on_without_loaders(void **state)
{
	static uint8_t img[4096];
	struct ub_target *t;
	struct ub_image im;
	struct ub_write_stats st;
	struct vb_link k;
	uint64_t cpu;
	uint32_t crc;

	(void)state;
	vb_link_open(&k, NULL, 0);
	t = f1(&k);
	/* the CRC loader faults: a bus error in its range */
	assert_int_equal(t->ops->crc32(t, 0x30000000, 4096, 0, &crc),
			 UB_EUNSUPPORTED);
	pattern(img, sizeof(img), 10);
	image1(&im, FLASH + 0x2000, img, sizeof(img));
	cpu = k.vb->st.cpu_instructions;
	assert_int_equal(ub_op_write_image(t, &im, &st), 0);
	assert_int_equal(ub_op_verify_image(t, &im), 0);
	assert_int_equal(k.vb->st.cpu_instructions, cpu);
	assert_memory_equal(k.vb->flash + 0x2000, img, sizeof(img));
	ub_image_free(&im);
	t->ops->close(t);
	vb_link_close(&k);
}

/*
 * The bar: 128 KB of random data to an STM32F103CB at 1 MHz SWCLK,
 * write plus verify within 1.2 x the flash's own time (65,536 halfwords x
 * 52.5 us, plus erase). On an erased chip nothing needs erasing; over
 * another image, everything (one mass erase).
 */
static void write_verify_128k(void **state)
{
	static uint8_t img[CB_FLASH], old[CB_FLASH];
	static const char *const set[] = {"swclk_hz=1000000", "prog_ns=52500",
					  "mass_erase_us=30000"};
	const double prog = 65536 * 52.5e-6, erase = 30e-3;
	struct ub_write_stats st;
	struct ub_target *t;
	struct ub_image im;
	struct vb_link k;
	uint64_t t0, cyc0;
	double took;

	(void)state;
	vb_link_open(&k, set, 3);
	t = f1(&k);
	pattern(img, sizeof(img), 11);
	image1(&im, FLASH, img, sizeof(img));
	t0 = k.vb->now_ps;
	assert_int_equal(ub_op_write_image(t, &im, &st), 0);
	assert_int_equal(ub_op_verify_image(t, &im), 0);
	took = (k.vb->now_ps - t0) / 1e12;
	print_message("128 KB write + verify, erased chip: %.3f s, %.3f x "
		      "the flash's %.3f s\n",
		      took, took / prog, prog);
	assert_memory_equal(k.vb->flash, img, sizeof(img));
	assert_int_equal(st.pages_erased, 0);
	assert_true(took <= 1.2 * prog);
	ub_image_free(&im);

	/* another image over it */
	memcpy(old, img, sizeof(old));
	pattern(img, sizeof(img), 12);
	image1(&im, FLASH, img, sizeof(img));
	t0 = k.vb->now_ps;
	assert_int_equal(ub_op_write_image(t, &im, &st), 0);
	assert_int_equal(ub_op_verify_image(t, &im), 0);
	took = (k.vb->now_ps - t0) / 1e12;
	print_message("128 KB write + verify over another: %.3f s, %.3f x "
		      "the flash's %.3f s\n",
		      took, took / (prog + erase), prog + erase);
	assert_memory_equal(k.vb->flash, img, sizeof(img));
	assert_int_equal(k.vb->st.mass_erases, 1);
	assert_true(took <= 1.2 * (prog + erase));

	/* the same again: nothing to do, and little on the wire */
	cyc0 = k.vb->st.swclk_cycles;
	assert_int_equal(ub_op_write_image(t, &im, &st), 0);
	assert_int_equal(st.pages_unchanged, 128);
	assert_int_equal(st.bytes_programmed, 0);
	assert_true(k.vb->st.swclk_cycles - cyc0 < CB_FLASH / 4 * 48 / 10);
	ub_image_free(&im);
	t->ops->close(t);
	vb_link_close(&k);
}

/* Verify by CRC reads back only the block that differs. */
static void verify_narrows_to_the_block(void **state)
{
	static uint8_t img[CB_FLASH];
	struct ub_target *t;
	struct ub_image im;
	struct vb_link k;
	uint64_t cyc0;

	(void)state;
	vb_link_open(&k, NULL, 0);
	t = f1(&k);
	pattern(img, sizeof(img), 13);
	memcpy(k.vb->flash, img, sizeof(img));
	image1(&im, FLASH, img, sizeof(img));
	cyc0 = k.vb->st.swclk_cycles;
	assert_int_equal(ub_op_verify_image(t, &im), 0);
	/* reading it all would be about 48 cycles a word */
	assert_true(k.vb->st.swclk_cycles - cyc0 < CB_FLASH / 4 * 48 / 10);
	k.vb->flash[70000] ^= 0x10;
	assert_int_equal(ub_op_verify_image(t, &im), UB_EVERIFY);
	has(ub_errmsg(UB_EVERIFY), "verify failed at 0x08011170");
	ub_image_free(&im);
	t->ops->close(t);
	vb_link_close(&k);
}

/*
 * The same through the program on the board (as 'make bench' runs it):
 * the session's modelled time, connecting and resets included.
 */
static void unbrick_write_128k_report(void **state)
{
	static uint8_t img[CB_FLASH];
	const char *src = getenv("UNBRICK_SRCDIR"), *bin = getenv("UNBRICK");
	char dir[] = "/tmp/ub-test-vb-loader-XXXXXX", wvb[4200], state_dir[64],
	     file[64], rep[64], cmd[256];
	const double prog = 65536 * 52.5e-6;
	struct cli_result r;
	unsigned long long us = 0;
	const char *m;
	FILE *f;

	(void)state;
	if (!src || !bin)
		skip();
	assert_non_null(mkdtemp(dir));
	snprintf(wvb, sizeof(wvb), "%s/tests/vboard/with-vboard", src);
	snprintf(state_dir, sizeof(state_dir), "%s/board", dir);
	snprintf(file, sizeof(file), "%s/img.bin", dir);
	snprintf(rep, sizeof(rep), "%s/report.json", dir);
	pattern(img, sizeof(img), 14);
	f = fopen(file, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(img, 1, sizeof(img), f), sizeof(img));
	fclose(f);
	{
		const char *argv[] = {
			wvb,	      "--board",     "spark-core",
			"--state",    state_dir,     "--report",
			rep,	      "--set",	     "swclk_hz=1000000",
			"--",	      bin,	     "-B",
			"spark-core", "--no-backup", "write",
			file,	      NULL};

		assert_int_equal(cli_run(&r, NULL, argv, 300), 0);
	}
	if (r.status)
		fail_msg("unbrick write: status %d\n%s", r.status, r.err);
	cli_result_free(&r);
	f = fopen(rep, "r");
	assert_non_null(f);
	{
		char json[2048] = "";

		assert_true(fread(json, 1, sizeof(json) - 1, f) > 0);
		m = strstr(json, "\"modeled_us\":");
		assert_non_null(m);
		us = strtoull(m + 13, NULL, 10);
	}
	fclose(f);
	print_message("unbrick --no-backup write 128 KB (with-vboard "
		      "--report): %.3f s modelled, %.3f x the flash's %.3f s\n",
		      us / 1e6, us / 1e6 / prog, prog);
	assert_true(us / 1e6 <= 1.2 * prog);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (!getenv("UB_KEEP_TMP"))
		assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(crc_matches_zlib),
		cmocka_unit_test(crc_of_nothing_faults),
		cmocka_unit_test(flash_loader_programs_and_skips_blank),
		cmocka_unit_test(flash_loader_keeps_the_flash_busy),
		cmocka_unit_test(flash_error_names_the_halfword),
		cmocka_unit_test(write_protection_names_the_halfword),
		cmocka_unit_test(loader_that_never_stops),
		cmocka_unit_test(driver_picks_the_way),
		cmocka_unit_test(driver_goes_on_without_loaders),
		cmocka_unit_test(write_verify_128k),
		cmocka_unit_test(verify_narrows_to_the_block),
		cmocka_unit_test(unbrick_write_128k_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
