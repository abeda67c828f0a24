// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The UART monitor (src/loader/uart_f1.c) on the virtual board's CPU,
 * driven by the product's host side (src/ldr_uart*.c) in this process
 * through the board server's pty: loaded with the ROM's Write Memory and
 * Go, then every request of its protocol against the model (reads, RAM
 * writes, CRCs against zlib, flash programs and erases, their errors,
 * STATUS, GO, RESET back to the ROM). The baud switch, its fallback and
 * the line's faults are in test_vb_uart_loader_link.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <zlib.h>

#include "vb_uart_host.h"

#define FLASH	 0x08000000u
#define SRAM	 0x20000000u
#define CB_FLASH (128 * 1024)
#define CB_RAM	 (20 * 1024)

static char server[4200];
static char tmp_dir[] = "/tmp/ub-test-vb-uart-loader-XXXXXX";
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

#define ok	 uh_ok
#define pattern	 uh_pattern
#define rig	 uh_rig
#define rig_stop uh_rig_stop
#define report	 uh_report

static void rig_start(struct rig *r, const char *name, const char *settings)
{
	uh_rig_start(r, server, tmp_dir, name, settings);
}

static uint8_t *saved_flash(struct rig *r)
{
	return uh_state_file(r, "flash.bin", CB_FLASH);
}

/* --- the tests --- */

static void greets_and_reads(void **state)
{
	static uint8_t ram[3000], back[3000];
	struct rig r;
	uint8_t opt[16], uid[12];

	(void)state;
	rig_start(&r, "greet", NULL);
	assert_int_equal(r.m.info.magic, UB_LDRU_MAGIC);
	assert_int_equal(r.m.info.pclk2, 64000000);
	assert_int_equal(r.m.info.baud, 64000000 / 556);
	assert_int_equal(r.m.buf_size, UB_LDRU_BUF_MAX);
	/* memory as the core sees it */
	assert_int_equal(ub_ldru_read(&r.m, 0x1FFFF800, opt, 16), 0);
	assert_int_equal(opt[0], 0xA5);
	assert_int_equal(opt[1], 0x5A);
	assert_int_equal(ub_ldru_read(&r.m, 0x1FFFF7E8, uid, 12), 0);
	assert_int_equal(uid[0], 0x34);
	/* RAM written and read back, more than a frame */
	pattern(ram, sizeof(ram), 1);
	assert_int_equal(ub_ldru_write_ram(&r.m, SRAM + 0x10, ram, 100), 0);
	assert_int_equal(ub_ldru_read(&r.m, SRAM + 0x10, back, 100), 0);
	assert_memory_equal(back, ram, 100);
	/* its own RAM and the stack are refused */
	assert_int_equal(ub_ldru_write_ram(&r.m, SRAM + 0x300, ram, 16),
			 UB_EINVAL);
	rig_stop(&r);
}

static void crcs_match_zlib(void **state)
{
	static uint8_t img[12288], flash[12288];
	uint32_t crc[40];
	struct rig r;

	(void)state;
	pattern(img, sizeof(img), 2);
	rig_start(&r, "crc", NULL);
	ok(ub_ldru_program(&r.m, FLASH, img, sizeof(img)));
	ok(ub_ldru_read(&r.m, FLASH, flash, sizeof(flash)));
	assert_memory_equal(flash, img, sizeof(img));
	/* one CRC, blocks with a short last one, an odd start */
	assert_int_equal(ub_ldru_crc32(&r.m, FLASH, sizeof(img), 0, crc), 0);
	assert_int_equal(crc[0], zcrc(img, sizeof(img)));
	assert_int_equal(ub_ldru_crc32(&r.m, FLASH + 3, 5000, 1024, crc), 0);
	for (unsigned b = 0; b < 5; b++)
		assert_int_equal(crc[b],
				 zcrc(img + 3 + b * 1024, b < 4 ? 1024 : 904));
	rig_stop(&r);
}

static void fast_program(void **state)
{
	static uint8_t img[16384], flash[16384];
	struct rig r;
	uint64_t t0, t;

	(void)state;
	pattern(img, sizeof(img), 3);
	rig_start(&r, "fast", NULL);
	ok(ub_ldru_speed_up(&r.m, 0));
	assert_int_equal(r.u.s.baud, 2000000);
	t0 = uh_board_us(&r.h);
	ok(ub_ldru_program(&r.m, FLASH, img, sizeof(img)));
	t = uh_board_us(&r.h) - t0;
	ok(ub_ldru_read(&r.m, FLASH, flash, sizeof(flash)));
	assert_memory_equal(flash, img, sizeof(img));
	assert_int_equal(r.m.st.resent, 0);
	rig_stop(&r);
	/* the wire fills a buffer while the flash programs another: the
	 * flash's own time (8192 halfwords, 52.5 us each) and little more */
	fprintf(stderr,
		"16 KB programmed at 2 Mbaud in %llu us, flash busy "
		"%ld us\n",
		(unsigned long long)t, report(&r, "flash_busy_us"));
	assert_int_equal(report(&r, "programs"), 8192);
	assert_true(t < (uint64_t)report(&r, "flash_busy_us") * 21 / 20);
}

/* Programs with blank halfwords skipped, a program error, erases. */
static void programs_and_erases(void **state)
{
	static uint8_t img[8192], f2[4096];
	struct ub_ldru_state st;
	uint8_t *flash;
	long want = 0;
	struct rig r;

	(void)state;
	pattern(img, sizeof(img), 4);
	memset(img + 1000, 0xFF, 3000); /* a hole: not sent, not programmed */
	for (size_t i = 0; i < sizeof(img); i += 2)
		want += img[i] != 0xFF || img[i + 1] != 0xFF;
	pattern(f2, sizeof(f2), 5);
	rig_start(&r, "prog", NULL);
	ok(ub_ldru_program(&r.m, FLASH + 0x2000, img, sizeof(img)));
	/* over programmed flash: PGERR, the halfword named */
	assert_int_equal(ub_ldru_program(&r.m, FLASH + 0x2000, f2, 64), UB_EIO);
	if (!strstr(ub_errmsg(UB_EIO), "failed at 0x08002000"))
		fail_msg("%s", ub_errmsg(UB_EIO));
	/* the failure was cleared: jobs are taken again */
	ok(ub_ldru_wait(&r.m, 1000, 1000, &st));
	assert_int_equal(st.pending, 0);
	/* two pages erased, then the page at 0 by itself */
	ok(ub_ldru_erase(&r.m, FLASH + 0x2000, 2, 1024));
	ok(ub_ldru_program(&r.m, FLASH, f2, sizeof(f2)));
	rig_stop(&r);
	flash = saved_flash(&r);
	assert_memory_equal(flash, f2, sizeof(f2));
	for (size_t i = 0x2000; i < 0x2800; i++)
		assert_int_equal(flash[i], 0xFF);
	assert_memory_equal(flash + 0x2800, img + 0x800, sizeof(img) - 0x800);
	free(flash);
	/* every halfword programmed once: none twice, no blank one */
	assert_int_equal(report(&r, "programs"), want + 2048);
	assert_int_equal(report(&r, "page_erases"), 2);

	/* mass erase */
	rig_start(&r, "prog", NULL);
	ok(ub_ldru_erase(&r.m, FLASH, 0, 1024));
	rig_stop(&r);
	flash = saved_flash(&r);
	for (size_t i = 0; i < CB_FLASH; i++)
		assert_int_equal(flash[i], 0xFF);
	free(flash);
}

/* WRP on the first 4 KB: the program there fails, saying why. */
static void write_protected(void **state)
{
	static const uint8_t opt[16] = {0xA5, 0x5A, 0xFF, 0x00, 0xFF, 0x00,
					0xFF, 0x00, 0xFE, 0x01, 0xFF, 0x00,
					0xFF, 0x00, 0xFF, 0x00};
	uint8_t img[256];
	char path[4400];
	struct rig r;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/wrp", tmp_dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/wrp/option.bin", tmp_dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(opt, 1, 16, f), 16);
	fclose(f);
	pattern(img, sizeof(img), 6);
	rig_start(&r, "wrp", NULL);
	assert_int_equal(ub_ldru_program(&r.m, FLASH + 0x100, img, 256),
			 UB_EPROTECTED);
	if (!strstr(ub_errmsg(0), "0x08000100 is write-protected"))
		fail_msg("%s", ub_errmsg(0));
	ok(ub_ldru_program(&r.m, FLASH + 0x1000, img, 256));
	rig_stop(&r);
}

/* A tiny firmware: USART1 8E1 at 115200 from the HSI, sends 'G'. */
static const uint8_t go_fw[] = {
	0x00, 0x10, 0x00, 0x20, 0x09, 0x00, 0x00, 0x08, 0x0a, 0x48, 0x01,
	0x68, 0x44, 0xf2, 0x05, 0x02, 0x11, 0x43, 0x01, 0x60, 0x08, 0x48,
	0x01, 0x68, 0x21, 0xf0, 0xf0, 0x01, 0x41, 0xf0, 0xb0, 0x01, 0x01,
	0x60, 0x06, 0x48, 0x45, 0x21, 0x81, 0x60, 0x43, 0xf2, 0x0c, 0x41,
	0xc1, 0x60, 0x47, 0x21, 0x41, 0x60, 0xfe, 0xe7, 0x18, 0x10, 0x02,
	0x40, 0x04, 0x08, 0x01, 0x40, 0x00, 0x38, 0x01, 0x40};

/* RESET gives the ROM back; GO runs the firmware, clocks as at reset. */
static void reset_and_go(void **state)
{
	struct rig r;
	uint8_t c = 0;

	(void)state;
	rig_start(&r, "go", NULL);
	ok(ub_ldru_speed_up(&r.m, 0));
	ok(ub_ldru_program(&r.m, FLASH, go_fw, sizeof(go_fw)));
	ok(ub_ldru_reset(&r.m));
	assert_int_equal(r.u.s.baud, 115200);
	r.bl.synced = false;
	ok(ub_an3155_sync(&r.bl));
	ok(ub_an3155_get_id(&r.bl));
	assert_int_equal(r.bl.pid, 0x410);
	/* the monitor again, at the ROM's rate, and Go */
	ok(ub_ldru_start(&r.m, &r.bl, SRAM, CB_RAM));
	ok(ub_ldru_go(&r.m, FLASH));
	/* the host waits a moment (the board's clock runs meanwhile) */
	nanosleep(&(struct timespec){0, 1000000}, NULL);
	assert_int_equal(get(&r.h, &c, 1, 2000), 1);
	assert_int_equal(c, 'G');
	rig_stop(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(greets_and_reads),
		cmocka_unit_test(crcs_match_zlib),
		cmocka_unit_test(fast_program),
		cmocka_unit_test(programs_and_erases),
		cmocka_unit_test(write_protected),
		cmocka_unit_test(reset_and_go),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
