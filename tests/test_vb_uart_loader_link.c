// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The UART monitor's link on the virtual board: the baud switch and its
 * fallback when the line cannot carry the rate (uart_max_baud), frames
 * damaged on the way to the core (uart_core_flip_every: retried after the
 * monitor's EFRAME), bytes lost either way (uart_drop_every: retried after
 * a timeout), and never a halfword programmed twice (the flash's program
 * count is exactly the image's). The host side in this process, as in
 * test_vb_uart_loader.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ub/crc32.h"
#include "vb_uart_host.h"

#define FLASH	 0x08000000u
#define CB_FLASH (128 * 1024)

static char server[4200];
static char tmp_dir[] = "/tmp/ub-test-vb-uart-link-XXXXXX";

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

static long set_halfwords(const uint8_t *b, size_t n)
{
	long k = 0;

	for (size_t i = 0; i < n; i += 2)
		k += b[i] != 0xFF || b[i + 1] != 0xFF;
	return k;
}

/* Program img at FLASH, read it back, check the board's flash after. */
static void program_checked(struct uh_rig *r, const uint8_t *img, size_t n)
{
	uint8_t *back = malloc(n), *flash;
	uint32_t crc;

	assert_non_null(back);
	uh_ok(ub_ldru_program(&r->m, FLASH, img, n));
	uh_ok(ub_ldru_crc32(&r->m, FLASH, (uint32_t)n, 0, &crc));
	uh_ok(ub_ldru_read(&r->m, FLASH, back, n));
	assert_memory_equal(back, img, n);
	free(back);
	uh_rig_stop(r);
	flash = uh_state_file(r, "flash.bin", CB_FLASH);
	assert_memory_equal(flash, img, n);
	free(flash);
	/* each halfword once: a repeated frame was not programmed again */
	assert_int_equal(uh_report(r, "programs"), set_halfwords(img, n));
}

/* 2 Mbaud where the line carries it; else the next rate; else the ROM's. */
static void baud_switch_falls_back(void **state)
{
	static uint8_t img[4096];
	struct uh_rig r;

	(void)state;
	uh_pattern(img, sizeof(img), 21);
	uh_rig_start(&r, server, tmp_dir, "fast", NULL);
	uh_ok(ub_ldru_speed_up(&r.m, 0));
	assert_int_equal(r.u.s.baud, 2000000);
	assert_int_equal(r.m.info.baud, 2000000);
	uh_rig_stop(&r);

	/* a line good for 1 Mbaud: 2 Mbaud fails both ways, 1 Mbaud holds */
	uh_rig_start(&r, server, tmp_dir, "mid", "uart_max_baud=1000000\n");
	uh_ok(ub_ldru_speed_up(&r.m, 0));
	assert_int_equal(r.u.s.baud, 1000000);
	assert_int_equal(r.m.info.baud, 1000000);
	program_checked(&r, img, sizeof(img));
	assert_true(uh_report(&r, "capped") > 0);

	/* only the ROM's rate gets through: the monitor stays there */
	uh_rig_start(&r, server, tmp_dir, "slow", "uart_max_baud=115200\n");
	uh_ok(ub_ldru_speed_up(&r.m, 0));
	assert_int_equal(r.u.s.baud, 115200);
	assert_int_equal(r.m.info.baud, 64000000 / 556);
	program_checked(&r, img, sizeof(img));
}

/* Frames that reach the core with a bit flipped: EFRAME, sent again. */
static void damaged_frames_are_sent_again(void **state)
{
	static uint8_t img[24576];
	struct uh_rig r;

	(void)state;
	uh_pattern(img, sizeof(img), 22);
	memset(img + 9000, 0xFF, 2000);
	uh_rig_start(&r, server, tmp_dir, "flip",
		     "uart_core_flip_every=3001\n");
	uh_ok(ub_ldru_speed_up(&r.m, 0));
	program_checked(&r, img, sizeof(img));
	assert_true(uh_report(&r, "core_flipped") >= 5);
	assert_true(r.m.st.resent > 0);
}

/* Bytes lost either way (requests and answers): timeouts, sent again. */
static void lost_bytes_are_sent_again(void **state)
{
	static uint8_t img[16384];
	struct uh_rig r;

	(void)state;
	uh_pattern(img, sizeof(img), 23);
	/* the ROM's upload too goes through the faults */
	uh_rig_start(&r, server, tmp_dir, "drop", "uart_drop_every=4001\n");
	uh_ok(ub_ldru_speed_up(&r.m, 0));
	program_checked(&r, img, sizeof(img));
	assert_true(uh_report(&r, "dropped") >= 3);
	assert_true(r.m.st.timeouts > 0);
}

/* A monitor that never gets a good frame: a clear error, not a hang. */
static void monitor_that_never_hears(void **state)
{
	struct uh_rig r;
	char all[256];
	int err;

	(void)state;
	memset(&r, 0, sizeof(r));
	snprintf(all, sizeof(all), "boot0=1\nuart_core_flip_every=1\n");
	host_start(&r.h, server, tmp_dir, "deaf", all);
	uh_open(&r.u, &r.h);
	ub_an3155_init(&r.bl, &r.u.s);
	uh_sleeping = &r.h;
	uh_ok(ub_an3155_sync(&r.bl));
	err = ub_ldru_start(&r.m, &r.bl, 0x20000000u, 20 * 1024);
	assert_int_equal(err, UB_ETIMEOUT);
	if (!strstr(ub_errmsg(err), "did not answer"))
		fail_msg("%s", ub_errmsg(err));
	assert_false(r.m.up);
	uh_rig_stop(&r);
}

/*
 * Where the time of a 128 KB write and verify goes, on a board whose flash
 * holds other data: the upload over the ROM at 115200, the handshake and
 * baud switch, the mass erase, the data (the flash's own programming time
 * and little more), the CRC verify. Printed, and each bounded by what
 * bounds it physically.
 */
static void time_split_128k(void **state)
{
	static uint8_t img[CB_FLASH], old[CB_FLASH];
	uint64_t t[6];
	uint32_t crc[128];
	struct uh_rig r;
	char path[4400];
	FILE *f;

	(void)state;
	uh_pattern(img, sizeof(img), 24);
	uh_pattern(old, sizeof(old), 25);
	snprintf(path, sizeof(path), "%s/split", tmp_dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/split/flash.bin", tmp_dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(old, 1, sizeof(old), f), sizeof(old));
	fclose(f);
	memset(&r, 0, sizeof(r));
	host_start(&r.h, server, tmp_dir, "split", "boot0=1\n");
	uh_open(&r.u, &r.h);
	ub_an3155_init(&r.bl, &r.u.s);
	uh_sleeping = &r.h;
	uh_ok(ub_an3155_sync(&r.bl));
	t[0] = uh_board_us(&r.h);
	uh_ok(ub_ldru_start(&r.m, &r.bl, 0x20000000u, 20 * 1024));
	t[1] = uh_board_us(&r.h);
	uh_ok(ub_ldru_speed_up(&r.m, 0));
	t[2] = uh_board_us(&r.h);
	uh_ok(ub_ldru_erase(&r.m, FLASH, 0, 1024));
	t[3] = uh_board_us(&r.h);
	uh_ok(ub_ldru_program(&r.m, FLASH, img, sizeof(img)));
	t[4] = uh_board_us(&r.h);
	uh_ok(ub_ldru_crc32(&r.m, FLASH, sizeof(img), 1024, crc));
	t[5] = uh_board_us(&r.h);
	for (unsigned i = 0; i < 128; i++)
		assert_int_equal(crc[i], ub_crc32(0, img + i * 1024, 1024));
	uh_rig_stop(&r);
	fprintf(stderr,
		"128 KB over UART: upload %.3f s, handshake %.3f s, mass erase "
		"%.3f s, data %.3f s (flash busy %.3f s), verify %.3f s\n",
		(t[1] - t[0]) / 1e6, (t[2] - t[1]) / 1e6, (t[3] - t[2]) / 1e6,
		(t[4] - t[3]) / 1e6,
		(uh_report(&r, "flash_busy_us") - 30000) / 1e6,
		(t[5] - t[4]) / 1e6);
	/* the code at 115200 8E1 through 256-byte Write Memory frames */
	assert_true(t[1] - t[0] < (uint64_t)(ub_ldr_uart_f1.size + 64) * 115);
	assert_true(t[2] - t[1] < 20000);
	assert_true(t[3] - t[2] < 40000);
	/* 65536 halfwords, 52.5 us each, and little more */
	assert_true(t[4] - t[3] < 65536ull * 525 / 10 * 21 / 20);
	assert_true(t[5] - t[4] < 20000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(baud_switch_falls_back),
		cmocka_unit_test(damaged_frames_are_sent_again),
		cmocka_unit_test(lost_bytes_are_sent_again),
		cmocka_unit_test(monitor_that_never_hears),
		cmocka_unit_test(time_split_128k),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
