// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The board around the chip (tests/vboard/vb_board.c): pins as the Pi
 * drives them, NRST and BOOT0, the clock that SWCLK edges move, and the
 * wiring faults.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vb.h"

static struct vb *board(const char *const *settings, size_t n)
{
	char err[256] = "";
	struct vb *vb = vb_new(settings, n, NULL, err, sizeof(err));

	if (!vb)
		fail_msg("vb_new: %s", err);
	return vb;
}

static void done(struct vb *vb)
{
	char err[256];

	assert_int_equal(vb_close(vb, err, sizeof(err)), 0);
}

/* A vector table and a reset handler that spins: firmware that runs. */
static void spinning_firmware(struct vb *vb)
{
	uint32_t sp = 0x20001000, pc = VB_FLASH_BASE + 0x100 + 1;

	memcpy(vb->flash, &sp, 4);
	memcpy(vb->flash + 4, &pc, 4);
	vb->flash[0x100] = 0xFE; /* b . */
	vb->flash[0x101] = 0xE7;
}

static void nrst_holds_and_release_resets(void **state)
{
	struct vb *vb = board(NULL, 0);
	uint64_t resets = vb->st.resets;

	(void)state;
	assert_false(vb->in_reset);
	vb_drive(vb, VB_NRST, 0);
	assert_true(vb->in_reset);
	assert_int_equal(vb_sense(vb, VB_NRST), 0);
	assert_int_equal(vb->st.resets, resets); /* held, not yet restarted */
	vb_drive(vb, VB_NRST, -1);		 /* open-drain release */
	assert_false(vb->in_reset);
	assert_int_equal(vb_sense(vb, VB_NRST), 1); /* the pull-up */
	assert_int_equal(vb->st.resets, resets + 1);
	/* driving high (push-pull) releases too, without a second reset */
	vb_drive(vb, VB_NRST, 1);
	assert_int_equal(vb->st.resets, resets + 1);
	done(vb);
}

static void boot0_is_latched_at_reset(void **state)
{
	struct vb *vb = board(NULL, 0);

	(void)state;
	assert_false(vb->boot0); /* pull-down: released reads 0 */
	vb_drive(vb, VB_BOOT0, 1);
	assert_false(vb->boot0); /* no effect until a reset */
	vb_drive(vb, VB_NRST, 0);
	vb_drive(vb, VB_NRST, -1);
	assert_true(vb->boot0);
	vb_drive(vb, VB_BOOT0, 0);
	assert_true(vb->boot0);
	vb_system_reset(vb); /* SYSRESETREQ latches it too */
	assert_false(vb->boot0);
	done(vb);
}

static void swclk_edges_move_the_clock(void **state)
{
	static const char *const set[] = {"swclk_hz=2000000"};
	struct vb *vb = board(set, 1);
	uint64_t t0 = vb->now_ps;

	(void)state;
	vb_drive(vb, VB_SWCLK, 0); /* released reads 0: no edge */
	assert_int_equal(vb->now_ps, t0);
	for (int i = 0; i < 10; i++) {
		vb_drive(vb, VB_SWCLK, 1);
		vb_drive(vb, VB_SWCLK, 0);
	}
	/* 10 cycles at 2 MHz: 5 us, half a period per edge */
	assert_int_equal(vb->now_ps - t0, 5 * VB_PS_PER_US);
	assert_int_equal(vb->st.swclk_cycles, 10);
	vb_drive(vb, VB_SWCLK, 1);
	vb_drive(vb, VB_SWCLK, 1); /* no change, no edge */
	assert_int_equal(vb->st.swclk_cycles, 11);
	done(vb);
}

static void swdio_pull_up_and_own_drive(void **state)
{
	struct vb *vb = board(NULL, 0);

	(void)state;
	assert_int_equal(vb_sense(vb, VB_SWDIO), 1); /* pull-up */
	vb_drive(vb, VB_SWDIO, 0);
	assert_int_equal(vb_sense(vb, VB_SWDIO), 0); /* what we drive */
	vb_drive(vb, VB_SWDIO, -1);
	assert_int_equal(vb_sense(vb, VB_SWDIO), 1);
	assert_int_equal(vb->st.contention, 0);
	done(vb);
}

static void unpowered_lines_read_constant(void **state)
{
	static const char *const set[] = {"unpowered=1"};
	struct vb *vb = board(set, 1);

	(void)state;
	assert_false(vb->powered);
	for (int i = 0; i < 60; i++) {
		vb_drive(vb, VB_SWCLK, 1);
		vb_drive(vb, VB_SWCLK, 0);
		assert_int_equal(vb_sense(vb, VB_SWDIO), 0);
	}
	vb_drive(vb, VB_NRST, 0);
	assert_false(vb->in_reset); /* no chip to hold in reset */
	vb_drive(vb, VB_NRST, -1);
	assert_int_equal(vb->st.resets, 0);
	assert_int_equal(vb_sense(vb, VB_NRST), 0); /* no pull-up either */
	done(vb);
}

static void swapped_lines(void **state)
{
	static const char *const set[] = {"swapped=1"};
	struct vb *vb = board(set, 1);

	(void)state;
	/* the host's "SWCLK" lands on the target's SWDIO: no clock edges */
	vb_drive(vb, VB_SWCLK, 1);
	vb_drive(vb, VB_SWCLK, 0);
	assert_int_equal(vb->st.swclk_cycles, 0);
	/* and its "SWDIO" clocks the target */
	vb_drive(vb, VB_SWDIO, 1);
	vb_drive(vb, VB_SWDIO, 0);
	assert_int_equal(vb->st.swclk_cycles, 1);
	done(vb);
}

static void nrst_not_connected(void **state)
{
	static const char *const set[] = {"nrst_nc=1"};
	struct vb *vb = board(set, 1);
	uint64_t resets = vb->st.resets;

	(void)state;
	vb_drive(vb, VB_NRST, 0);
	assert_false(vb->in_reset);
	assert_int_equal(vb_sense(vb, VB_NRST), 0); /* our own drive */
	vb_drive(vb, VB_NRST, -1);
	assert_int_equal(vb->st.resets, resets);
	assert_int_equal(vb_sense(vb, VB_NRST), 0); /* nothing pulls it up */
	done(vb);
}

static void power_loss_after_flash_operations(void **state)
{
	static const char *const set[] = {"power_loss_after=3"};
	struct vb *vb = board(set, 1);

	(void)state;
	vb_flash_op_done(vb);
	vb_flash_op_done(vb);
	assert_true(vb->powered);
	vb_flash_op_done(vb);
	assert_false(vb->powered);
	/* the SWDIO pull-up is gone with the power: the line reads low */
	assert_int_equal(vb_sense(vb, VB_SWDIO), 0);
	vb_drive(vb, VB_NRST, 0);
	assert_int_equal(vb->st.resets, 0);
	done(vb);
}

static void firmware_turns_swd_off(void **state)
{
	static const char *const set[] = {"swd_disable_us=50"};
	struct vb *vb = board(set, 1);

	(void)state;
	spinning_firmware(vb);
	vb_system_reset(vb);
	assert_false(vb_cpu_locked(vb));
	vb_advance(vb, 49 * VB_PS_PER_US);
	assert_false(vb->swd_off);
	vb_advance(vb, 2 * VB_PS_PER_US);
	assert_true(vb->swd_off);
	/* NRST held low: SWD is back at once, and while it is held the
	 * firmware does not run */
	vb_drive(vb, VB_NRST, 0);
	assert_false(vb->swd_off);
	vb_advance(vb, 100 * VB_PS_PER_US);
	assert_false(vb->swd_off);
	vb_drive(vb, VB_NRST, -1);
	assert_false(vb->swd_off);
	/* with BOOT0=1 the ROM runs, not the firmware */
	vb_drive(vb, VB_BOOT0, 1);
	vb_system_reset(vb);
	vb_advance(vb, 100 * VB_PS_PER_US);
	assert_false(vb->swd_off);
	done(vb);
}

static void erased_chip_defaults(void **state)
{
	struct vb *vb = board(NULL, 0);
	static const uint8_t opt[16] = {0xA5, 0x5A, 0xFF, 0x00, 0xFF, 0x00,
					0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00,
					0xFF, 0x00, 0xFF, 0x00};
	uint16_t kb;

	(void)state;
	assert_int_equal(vb->chip.dev_id, 0x410);
	assert_int_equal(vb->chip.flash_size, 128 * 1024);
	for (uint32_t i = 0; i < vb->chip.flash_size; i++)
		if (vb->flash[i] != 0xFF)
			fail_msg("flash[%u] = 0x%02X", i, vb->flash[i]);
	assert_memory_equal(vb->option, opt, 16);
	memcpy(&kb, vb->sysmem + (VB_FSIZE_ADDR - VB_SYSMEM_BASE), 2);
	assert_int_equal(kb, 128);
	done(vb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nrst_holds_and_release_resets),
		cmocka_unit_test(boot0_is_latched_at_reset),
		cmocka_unit_test(swclk_edges_move_the_clock),
		cmocka_unit_test(swdio_pull_up_and_own_drive),
		cmocka_unit_test(unpowered_lines_read_constant),
		cmocka_unit_test(swapped_lines),
		cmocka_unit_test(nrst_not_connected),
		cmocka_unit_test(power_loss_after_flash_operations),
		cmocka_unit_test(firmware_turns_swd_off),
		cmocka_unit_test(erased_chip_defaults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
