// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The UART monitor loaded through its first stage (src/loader/
 * uart_boot_f1.c, src/ldr_uart_boot.c) on the virtual board: the ROM takes
 * the stage at 115200, the stage the monitor at 2 Mbaud, and the monitor
 * answers at 2 Mbaud at once; a line that cannot carry 2 Mbaud
 * (uart_max_baud): the stage goes back to the ROM's rate and the baud
 * switch finds the rate that works; frames damaged or lost on the way to
 * the stage (uart_core_flip_every, uart_drop_every): sent again. After
 * each load, the monitor reads and CRCs the board's flash, checked against
 * what the board holds. Times on the board's clock. And the stage's own
 * answers, loaded by hand: PING, ECMD, EPARAM, a gap, BOOT.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ub/crc32.h"
#include "vb_uart_host.h"

#define FLASH	 0x08000000u
#define SRAM	 0x20000000u
#define CB_FLASH (128 * 1024)
#define CB_RAM	 (20 * 1024)
#define BYTE_US	 (11.0 / 115200 * 1e6) /* 8E1 at the ROM's rate */

static char server[4200];
static char tmp_dir[] = "/tmp/ub-test-vb-uart-boot-XXXXXX";
static uint8_t flash[CB_FLASH];

static int setup(void **state)
{
	(void)state;
	uh_pattern(flash, sizeof(flash), 71);
	return host_setup(server, sizeof(server), tmp_dir);
}

static int teardown(void **state)
{
	(void)state;
	return host_teardown(tmp_dir);
}

/*
 * A board whose flash holds `flash`, BOOT0 high, the ROM synced; the
 * monitor loaded with ub_ldru_load(max_baud). The load's time on the
 * board's clock, in us.
 */
static uint64_t load(struct uh_rig *r, const char *name, const char *settings,
		     uint32_t max_baud)
{
	char path[4400], all[1024];
	uint64_t t0;
	FILE *f;

	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "%s/%s", tmp_dir, name);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/flash.bin", tmp_dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(flash, 1, sizeof(flash), f), sizeof(flash));
	fclose(f);
	snprintf(all, sizeof(all), "boot0=1\n%s", settings ? settings : "");
	host_start(&r->h, server, tmp_dir, name, all);
	uh_open(&r->u, &r->h);
	ub_an3155_init(&r->bl, &r->u.s);
	uh_sleeping = &r->h;
	uh_ok(ub_an3155_sync(&r->bl));
	t0 = uh_board_us(&r->h);
	uh_ok(ub_ldru_load(&r->m, &r->bl, SRAM, CB_RAM, max_baud));
	assert_true(r->m.up);
	return uh_board_us(&r->h) - t0;
}

/* The monitor works: 8 KB read, CRCs of every KB and of it all. */
static void works(struct uh_rig *r)
{
	static uint8_t back[8192];
	uint32_t crc[128], all;

	uh_ok(ub_ldru_read(&r->m, FLASH + 0x3000, back, sizeof(back)));
	assert_memory_equal(back, flash + 0x3000, sizeof(back));
	uh_ok(ub_ldru_crc32(&r->m, FLASH, CB_FLASH, 1024, crc));
	for (unsigned i = 0; i < 128; i++)
		assert_int_equal(crc[i], ub_crc32(0, flash + i * 1024, 1024));
	uh_ok(ub_ldru_crc32(&r->m, FLASH, CB_FLASH, 0, &all));
	assert_int_equal(all, ub_crc32(0, flash, CB_FLASH));
}

/* The monitor's bytes as the ROM's Write Memory takes them at 115200. */
static double rom_way_us(void)
{
	return (ub_ldr_uart_f1.size + 64) * BYTE_US;
}

/* The stage at 115200, the monitor at 2 Mbaud: talking at 2 Mbaud at
 * once, in a fraction of the ROM way's time. */
static void fast_path(void **state)
{
	struct uh_rig r;
	double stage, mon, us;

	(void)state;
	/* two of the ROM's 256-byte Write Memory blocks */
	assert_true(ub_ldr_uart_boot_f1.size + UB_LDRU_BOOT_HEAD <= 512);
	us = (double)load(&r, "fast", NULL, 0);
	assert_int_equal(r.u.s.baud, 2000000);
	assert_int_equal(r.m.info.baud, 2000000);
	assert_int_equal(r.m.st.resent, 0);
	assert_int_equal(r.m.st.timeouts, 0);
	works(&r);
	uh_rig_stop(&r);
	/* the stage through 256-byte Write Memory frames (12 bytes of
	 * command, address and ACKs each) and Go; the monitor in frames of
	 * 1 KB at 2 Mbaud, their answers, its CRC bit by bit (60 cycles a
	 * byte at 64 MHz), the PINGs and the waits between (5 ms) */
	stage = (ub_ldr_uart_boot_f1.size + UB_LDRU_BOOT_HEAD) *
			(1 + 12.0 / 256) * BYTE_US +
		20 * BYTE_US;
	mon = (ub_ldr_uart_f1.size + 64) *
		      ((1 + 40.0 / 1024) * 5.5 + 60 / 64.0) +
	      5000;
	fprintf(stderr,
		"monitor loaded in %.1f ms through a %u-byte first stage "
		"(bound %.1f ms); the ROM way: %.1f ms at least\n",
		us / 1e3, ub_ldr_uart_boot_f1.size, (stage + mon) / 1e3,
		rom_way_us() / 1e3);
	assert_true(us < stage + mon);
	assert_true(3 * us < rom_way_us());
}

/* A line good for 1 Mbaud: the stage gives up on 2 Mbaud, the monitor
 * comes at the ROM's rate, the baud switch takes 1 Mbaud. A line good
 * for the ROM's rate only: the monitor stays there. */
static void slower_line(void **state)
{
	struct uh_rig r;

	(void)state;
	load(&r, "mid", "uart_max_baud=1000000\n", 0);
	assert_int_equal(r.u.s.baud, 1000000);
	assert_int_equal(r.m.info.baud, 1000000);
	works(&r);
	uh_rig_stop(&r);
	assert_true(uh_report(&r, "capped") > 0);

	load(&r, "slow", "uart_max_baud=115200\n", 0);
	assert_int_equal(r.u.s.baud, 115200);
	assert_int_equal(r.m.info.baud, 64000000 / 556);
	works(&r);
	uh_rig_stop(&r);
	assert_true(uh_report(&r, "capped") > 0);
}

/* Frames to the stage with a bit flipped (EFRAME, sent again) or bytes
 * lost either way (a gap, or no answer: sent again): the monitor still
 * arrives whole and talks at 2 Mbaud. */
static void damaged_transfer(void **state)
{
	struct uh_rig r;

	(void)state;
	/* the stage's first frames: a PING, then the monitor's 1 KB WRITEs */
	load(&r, "flip", "uart_core_flip_every=2500\n", 0);
	assert_int_equal(r.u.s.baud, 2000000);
	assert_true(r.m.st.nak > 0);
	works(&r);
	uh_rig_stop(&r);
	assert_true(uh_report(&r, "core_flipped") >= 3);

	load(&r, "drop", "uart_drop_every=3001\n", 0);
	assert_int_equal(r.u.s.baud, 2000000);
	assert_true(r.m.st.timeouts > 0);
	works(&r);
	uh_rig_stop(&r);
	assert_true(uh_report(&r, "dropped") >= 3);
}

/* UNBRICK_UART_LOADER=rom (max_baud the ROM's): no stage, the ROM way. */
static void rom_rate_asked(void **state)
{
	struct uh_rig r;
	double us;

	(void)state;
	us = (double)load(&r, "rom", NULL, 115200);
	assert_int_equal(r.u.s.baud, 115200);
	assert_int_equal(r.m.info.baud, 64000000 / 556);
	works(&r);
	uh_rig_stop(&r);
	assert_true(us > rom_way_us());
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A request to the stage: 0 with its status in *st, or the error when no
 * answer came; the answer's word in *w. */
static int ask(struct ub_ldru *m, uint8_t cmd, const void *head, size_t nhead,
	       const void *data, size_t ndata, uint8_t *st, uint32_t *w)
{
	uint8_t got[4] = {0};
	size_t n = 0;
	int err;

	*st = 0xFF;
	err = ub_ldru_call(m, cmd, head, nhead, data, ndata, got, 4, &n, 5, st);
	ub_clear_error();
	if (err && *st == 0xFF)
		return err;
	assert_int_equal(n, 4);
	*w = get32(got);
	return 0;
}

/*
 * The stage by hand, at 2 Mbaud: PING (a word, 0), a command it does not
 * know (ECMD), WRITEs outside the image (EPARAM), a frame cut by a gap
 * (dropped: the next is answered), one too long (dropped), the image in
 * four WRITEs, BOOT with a wrong CRC (the CRC it found; it stays) and the
 * right one (it runs the image: a loop that answers nothing).
 */
static void stage_protocol(void **state)
{
	const struct ub_ldr_image *ldr = &ub_ldr_uart_boot_f1;
	static uint8_t img[2048], stage[1024];
	uint32_t dest = SRAM + 0x200, at = SRAM + 0x2000, w, size, crc;
	uint8_t a[4], st, cut[] = {UB_LDRU_REQ, 0x10, 0x00, UB_LDRU_WRITE};
	struct timespec gap = {0, (UB_LDRU_GAP_MS + 5) * 1000000L};
	struct uh_rig r;

	(void)state;
	memset(&r, 0, sizeof(r));
	host_start(&r.h, server, tmp_dir, "stage", "boot0=1\n");
	uh_open(&r.u, &r.h);
	ub_an3155_init(&r.bl, &r.u.s);
	uh_sleeping = &r.h;
	uh_ok(ub_an3155_sync(&r.bl));
	/* the image: its vector, then "b ." */
	uh_pattern(img, sizeof(img), 5);
	put32(img, SRAM + CB_RAM);
	put32(img + 4, dest + 8 + 1);
	img[8] = 0xFE;
	img[9] = 0xE7;
	crc = ub_crc32(0, img, sizeof(img));
	/* the stage: vector, parameters (2 Mbaud, 115200), code */
	size = UB_LDRU_BOOT_HEAD + ((ldr->size + 3) & ~3u);
	put32(stage, SRAM + CB_RAM);
	put32(stage + 4, at + UB_LDRU_BOOT_HEAD + ldr->entry + 1);
	put32(stage + 8, 32);
	put32(stage + 12, 556);
	put32(stage + 16, 69);
	put32(stage + 20, dest);
	put32(stage + 24, sizeof(img));
	memcpy(stage + UB_LDRU_BOOT_HEAD, ldr->code, ldr->size);
	uh_ok(ub_an3155_write(&r.bl, at, stage, size));
	uh_ok(ub_an3155_go(&r.bl, at));

	r.m.ser = &r.u.s;
	r.m.tries = 2;
	r.m.reply_ms = 100;
	uh_ok(ub_serial_set_baud(&r.u.s, 2000000));
	uh_ok(ask(&r.m, UB_LDRU_PING, NULL, 0, NULL, 0, &st, &w));
	assert_int_equal(st, UB_LDRU_OK);
	assert_int_equal(w, 0);
	uh_ok(ask(&r.m, 0x42, NULL, 0, NULL, 0, &st, &w));
	assert_int_equal(st, UB_LDRU_ECMD);
	put32(a, dest + sizeof(img) - 2);
	uh_ok(ask(&r.m, UB_LDRU_WRITE, a, 4, img, 4, &st, &w));
	assert_int_equal(st, UB_LDRU_EPARAM);
	put32(a, dest - 4);
	uh_ok(ask(&r.m, UB_LDRU_WRITE, a, 4, img, 8, &st, &w));
	assert_int_equal(st, UB_LDRU_EPARAM);
	/* a frame that stops: dropped after UB_LDRU_GAP_MS */
	uh_ok(ub_serial_write(&r.u.s, cut, sizeof(cut), 100));
	nanosleep(&gap, NULL); /* on the board's clock (uh_sleeping) */
	uh_ok(ask(&r.m, UB_LDRU_PING, NULL, 0, NULL, 0, &st, &w));
	assert_int_equal(st, UB_LDRU_OK);
	assert_int_equal(r.m.st.resent, 0);
	/* a payload over UB_LDRU_BOOT_MAX: dropped, no answer */
	r.m.tries = 1;
	put32(a, dest);
	assert_int_equal(
		ask(&r.m, UB_LDRU_WRITE, a, 4, img, UB_LDRU_BOOT_MAX, &st, &w),
		UB_ETIMEOUT);
	nanosleep(&gap, NULL);
	r.m.tries = 2;
	for (uint32_t off = 0; off < sizeof(img); off += 512) {
		put32(a, dest + off);
		uh_ok(ask(&r.m, UB_LDRU_WRITE, a, 4, img + off, 512, &st, &w));
		assert_int_equal(st, UB_LDRU_OK);
	}
	assert_int_equal(r.m.st.resent, 0);
	put32(a, crc ^ 1);
	uh_ok(ask(&r.m, UB_LDRU_BOOT, a, 4, NULL, 0, &st, &w));
	assert_int_equal(st, UB_LDRU_OK);
	assert_int_equal(w, crc);
	put32(a, crc);
	uh_ok(ask(&r.m, UB_LDRU_BOOT, a, 4, NULL, 0, &st, &w));
	assert_int_equal(st, UB_LDRU_OK);
	assert_int_equal(w, crc);
	/* gone: "b ." answers nothing */
	r.m.tries = 1;
	assert_int_equal(ask(&r.m, UB_LDRU_PING, NULL, 0, NULL, 0, &st, &w),
			 UB_ETIMEOUT);
	uh_rig_stop(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fast_path),
		cmocka_unit_test(slower_line),
		cmocka_unit_test(damaged_transfer),
		cmocka_unit_test(rom_rate_asked),
		cmocka_unit_test(stage_protocol),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
