// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The AN3155 client against a scripted bootloader on a pty (fake_bl.c):
 * every command, and every fault placed exactly where it hurts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_bl.h"
#include "ub/an3155.h"
#include "ub/err.h"
#include "ub/log.h"

struct fx {
	struct fake_bl *f;
	struct ub_serial *ser;
	struct ub_an3155 bl;
};

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));

	x->f = fbl_start(&x->ser);
	ub_log_level = getenv("TRACE") ? 3 : 0;
	ub_an3155_init(&x->bl, x->ser);
	x->bl.ack_ms = 300;
	x->bl.reply_ms = 100;
	x->bl.sync_ms = 100;
	x->bl.boot_ms = 5;
	x->bl.page_ms = 10;
	x->bl.mass_ms = 2000;
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;

	fbl_stop(x->f, x->ser);
	free(x);
	return 0;
}

static void has(const char *s, const char *what)
{
	if (!strstr(s, what))
		fail_msg("'%s' not in '%s'", what, s);
}

static struct ub_an3155 *synced(void **state)
{
	struct fx *x = *state;

	assert_int_equal(ub_an3155_sync(&x->bl), 0);
	return &x->bl;
}

static void sync_fresh_and_again(void **state)
{
	struct fx *x = *state;

	assert_int_equal(ub_an3155_sync(&x->bl), 0);
	assert_int_equal(x->f->syncs, 1);
	/* already synced: the first 0x7F waits for a complement, the
	 * second draws a NACK */
	assert_int_equal(ub_an3155_sync(&x->bl), 0);
	assert_true(x->bl.synced);
	assert_int_equal(ub_an3155_get_id(&x->bl), 0);
	assert_int_equal(x->bl.pid, 0x410);
}

static void sync_silence_and_garbage(void **state)
{
	struct fx *x = *state;

	x->f->mute = true;
	assert_int_equal(ub_an3155_sync(&x->bl), UB_ENOTARGET);
	has(ub_errmsg(UB_ENOTARGET), "nothing answers 0x7F");
	x->f->mute = false;
	x->f->garbage_sync = 100;
	assert_int_equal(ub_an3155_sync(&x->bl), UB_EPROTO);
	has(ub_errmsg(UB_EPROTO), "garbage");
	has(ub_errmsg(UB_EPROTO), "baud");
	/* a little garbage first: the sync goes through */
	x->f->garbage_sync = 2;
	assert_int_equal(ub_an3155_sync(&x->bl), 0);
}

static void get_version_id(void **state)
{
	struct ub_an3155 *bl = synced(state);

	assert_int_equal(ub_an3155_get(bl), 0);
	assert_int_equal(bl->version, 0x22);
	assert_int_equal(bl->ncmds, 11);
	assert_true(ub_an3155_has(bl, UB_BL_ERASE));
	assert_false(ub_an3155_has(bl, UB_BL_EXT_ERASE));
	assert_int_equal(ub_an3155_get_version(bl), 0);
	assert_int_equal(bl->option[0], 0);
	assert_int_equal(ub_an3155_get_id(bl), 0);
	assert_int_equal(bl->pid, 0x410);
}

static void read_memory(void **state)
{
	struct fx *x = *state;
	struct ub_an3155 *bl = synced(state);
	uint8_t buf[600];

	for (int i = 0; i < 600; i++)
		x->f->flash[100 + i] = (uint8_t)(i * 7);
	assert_int_equal(ub_an3155_read(bl, FBL_FLASH + 100, buf, 600), 0);
	assert_memory_equal(buf, x->f->flash + 100, 600);
	assert_int_equal(ub_an3155_read(bl, 0x1FFFF7E8, buf, 12), 0);
	assert_memory_equal(buf, x->f->uid, 12);
	/* outside every memory: refused after the address */
	assert_int_not_equal(ub_an3155_read(bl, 0x40000000, buf, 4), 0);
}

static void read_faults(void **state)
{
	struct fx *x = *state;
	struct ub_an3155 *bl = synced(state);
	uint8_t buf[256];

	for (int i = 0; i < 256; i++)
		x->f->flash[i] = (uint8_t)(i ^ 0x3C);
	/* a NACK storm shorter than the tries, dropped and flipped data
	 * bytes, garbage before the answers, garbage that looks like ACK */
	x->f->nack_cmd = 2;
	x->f->drop_data = 1;
	x->f->flip_data = 1;
	x->f->garbage_once = 3;
	assert_int_equal(ub_an3155_read(bl, FBL_FLASH, buf, 256), 0);
	assert_memory_equal(buf, x->f->flash, 256);
	x->f->garbage_byte = 0x79;
	x->f->garbage_once = 1;
	assert_int_equal(ub_an3155_read(bl, FBL_FLASH, buf, 256), 0);
	assert_memory_equal(buf, x->f->flash, 256);
	assert_true(bl->st.retries >= 4);
	assert_true(bl->st.disagreed >= 1);
	/* constant garbage before every answer is skipped */
	x->f->garbage_byte = 0x33;
	x->f->garbage = 4;
	assert_int_equal(ub_an3155_read(bl, FBL_FLASH, buf, 256), 0);
	assert_memory_equal(buf, x->f->flash, 256);
	x->f->garbage = 0;
	/* a storm longer than the tries: a clear error */
	x->f->nack_cmd = 50;
	x->f->extra_ack = 0;
	bl->tries = 3;
	x->f->drop_data = 10;
	assert_int_equal(ub_an3155_read(bl, FBL_FLASH, buf, 256), UB_EPROTO);
	has(ub_errmsg(UB_EPROTO), "Read Memory at 0x08000000 failed 3 times");
	has(ub_errmsg(UB_EPROTO), "NACK");
	x->f->nack_cmd = 0;
	x->f->drop_data = 10;
	assert_int_equal(ub_an3155_read(bl, FBL_FLASH, buf, 256), UB_EPROTO);
	has(ub_errmsg(UB_EPROTO), "bytes missing");
}

static void read_protected(void **state)
{
	struct fx *x = *state;
	struct ub_an3155 *bl = synced(state);
	uint8_t buf[16];

	fbl_set_rdp(x->f, true);
	assert_int_equal(ub_an3155_read(bl, FBL_FLASH, buf, 16), UB_EPROTECTED);
	has(ub_errmsg(UB_EPROTECTED), "readout protection");
	assert_int_equal(ub_an3155_write(bl, FBL_FLASH, buf, 16),
			 UB_EPROTECTED);
	assert_int_equal(ub_an3155_go(bl, FBL_FLASH), UB_EPROTECTED);
	assert_int_equal(ub_an3155_readout_protect(bl), UB_EPROTECTED);
	has(ub_errmsg(UB_EPROTECTED), "already");
	/* Readout Unprotect: a mass erase, a reset, a new sync */
	x->f->flash[5] = 0;
	assert_int_equal(ub_an3155_readout_unprotect(bl), 0);
	assert_int_equal(x->f->resets, 1);
	assert_int_equal(ub_an3155_read(bl, FBL_FLASH, buf, 16), 0);
	assert_int_equal(buf[5], 0xFF);
}

static void write_memory(void **state)
{
	struct fx *x = *state;
	struct ub_an3155 *bl = synced(state);
	uint8_t d[700];

	for (int i = 0; i < 700; i++)
		d[i] = (uint8_t)(i * 13 + 1);
	assert_int_equal(ub_an3155_write(bl, FBL_FLASH + 0x400, d, 700), 0);
	assert_memory_equal(x->f->flash + 0x400, d, 700);
	assert_int_equal(ub_an3155_write(bl, FBL_FLASH + 2, d, 4), UB_EINVAL);
	assert_int_equal(ub_an3155_write(bl, FBL_RAM + 0x400, d, 64), 0);
	assert_memory_equal(x->f->ram + 0x400, d, 64);
	/* the bootloader's own RAM */
	assert_int_equal(ub_an3155_write(bl, FBL_RAM, d, 64), UB_ERANGE);
	has(ub_errmsg(UB_ERANGE), "0x20000000");
}

static void write_faults(void **state)
{
	struct fx *x = *state;
	struct ub_an3155 *bl = synced(state);
	uint8_t d[256];

	for (int i = 0; i < 256; i++)
		d[i] = (uint8_t)(255 - i);
	/* refused before the data, NACK after it (nothing written), no ACK
	 * after a full write, no ACK after half a write: all end well */
	x->f->nack_cmd = 1;
	assert_int_equal(ub_an3155_write(bl, FBL_FLASH, d, 256), 0);
	x->f->nack_data = 2;
	assert_int_equal(ub_an3155_write(bl, FBL_FLASH + 256, d, 256), 0);
	x->f->write_mute = 1;
	assert_int_equal(ub_an3155_write(bl, FBL_FLASH + 512, d, 256), 0);
	x->f->write_half = 1;
	assert_int_equal(ub_an3155_write(bl, FBL_FLASH + 768, d, 256), 0);
	for (int i = 0; i < 4; i++)
		assert_memory_equal(x->f->flash + 256 * i, d, 256);
	/* onto programmed flash: never a silent partial write */
	d[0] ^= 0xFF;
	assert_int_equal(ub_an3155_write(bl, FBL_FLASH, d, 256), UB_EPROTO);
	has(ub_errmsg(UB_EPROTO), "neither the data");
	has(ub_errmsg(UB_EPROTO), "erased");
	/* a NACK storm after the data, nothing ever written */
	x->f->nack_data = 50;
	assert_int_equal(ub_an3155_write(bl, FBL_FLASH + 2048, d, 256),
			 UB_EPROTO);
	has(ub_errmsg(UB_EPROTO), "Write Memory at 0x08000800 failed 4 times");
	x->f->nack_data = 0;
}

static void erase(void **state)
{
	struct fx *x = *state;
	struct ub_an3155 *bl = synced(state);
	uint16_t pages[40];

	assert_int_equal(ub_an3155_get(bl), 0);
	memset(x->f->flash, 0, sizeof(x->f->flash));
	for (int i = 0; i < 40; i++)
		pages[i] = (uint16_t)(i + 3);
	x->f->nack_cmd = 1;
	assert_int_equal(ub_an3155_erase(bl, pages, 40), 0);
	assert_int_equal(x->f->nerased, 40); /* in two chunks */
	assert_int_equal(x->f->flash[3 * FBL_PAGE], 0xFF);
	assert_int_equal(x->f->flash[43 * FBL_PAGE - 1], 0xFF);
	assert_int_equal(x->f->flash[43 * FBL_PAGE], 0x00);
	assert_int_equal(x->f->flash[3 * FBL_PAGE - 1], 0x00);
	pages[0] = 300;
	assert_int_equal(ub_an3155_erase(bl, pages, 1), UB_EUNSUPPORTED);
	assert_int_equal(ub_an3155_erase_special(bl, UB_BL_ERASE_ALL), 0);
	assert_true(x->f->mass_erased);
	assert_int_equal(ub_an3155_erase_special(bl, UB_BL_ERASE_BANK2),
			 UB_EUNSUPPORTED);
	/* a write-protected page is refused */
	assert_int_equal(ub_an3155_write_protect(bl, (uint8_t[]){0}, 1), 0);
	pages[0] = 1;
	assert_int_equal(ub_an3155_erase(bl, pages, 1), UB_EPROTECTED);
	has(ub_errmsg(UB_EPROTECTED), "write-protected");
}

static void extended_erase(void **state)
{
	struct fx *x = *state;
	struct ub_an3155 *bl = synced(state);
	uint16_t pages[] = {1, 2, 60};

	x->f->extended = true;
	assert_int_equal(ub_an3155_get(bl), 0);
	assert_true(ub_an3155_has(bl, UB_BL_EXT_ERASE));
	memset(x->f->flash, 0, sizeof(x->f->flash));
	assert_int_equal(ub_an3155_erase(bl, pages, 3), 0);
	assert_int_equal(x->f->nerased, 3);
	assert_int_equal(x->f->erased[2], 60);
	assert_int_equal(x->f->flash[60 * FBL_PAGE], 0xFF);
	assert_int_equal(ub_an3155_erase_special(bl, UB_BL_ERASE_ALL), 0);
	assert_true(x->f->mass_erased);
}

static void protection_commands(void **state)
{
	struct fx *x = *state;
	struct ub_an3155 *bl = synced(state);
	uint8_t sectors[] = {0, 3, 15};
	uint8_t opt[16];

	assert_int_equal(ub_an3155_write_protect(bl, sectors, 3), 0);
	assert_int_equal(x->f->nwp, 3);
	assert_int_equal(x->f->resets, 1);
	assert_int_equal(ub_an3155_read(bl, 0x1FFFF800, opt, 16), 0);
	assert_int_equal(opt[8], 0xF6);
	assert_int_equal(opt[10], 0x7F);
	assert_int_equal(ub_an3155_write_unprotect(bl), 0);
	assert_int_equal(ub_an3155_read(bl, 0x1FFFF800, opt, 16), 0);
	assert_int_equal(opt[8], 0xFF);
	assert_int_equal(ub_an3155_readout_protect(bl), 0);
	assert_int_equal(x->f->resets, 3);
	assert_int_equal(ub_an3155_read(bl, FBL_FLASH, opt, 4), UB_EPROTECTED);
	assert_int_equal(ub_an3155_write_protect(bl, sectors, 1),
			 UB_EPROTECTED);
	assert_int_equal(ub_an3155_readout_unprotect(bl), 0);
	assert_int_equal(ub_an3155_read(bl, FBL_FLASH, opt, 4), 0);
}

static void go(void **state)
{
	struct fx *x = *state;
	struct ub_an3155 *bl = synced(state);

	assert_int_equal(ub_an3155_go(bl, 0x40000000), UB_EINVAL);
	assert_int_equal(ub_an3155_sync(bl), 0);
	x->f->nack_cmd = 1;
	assert_int_equal(ub_an3155_go(bl, FBL_FLASH), 0);
	assert_int_equal(x->f->go_addr, FBL_FLASH);
	assert_false(bl->synced);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(sync_fresh_and_again),
		T(sync_silence_and_garbage),
		T(get_version_id),
		T(read_memory),
		T(read_faults),
		T(read_protected),
		T(write_memory),
		T(write_faults),
		T(erase),
		T(extended_erase),
		T(protection_commands),
		T(go),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
