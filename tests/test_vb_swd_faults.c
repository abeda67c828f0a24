// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The virtual board's debug port at the wire (tests/vboard/vb_swd.c): WAIT
 * while the flash is busy, each fault setting, overrun detection, and
 * targets that do not answer. One rule per test.
 */
#include "vb_swd_test_util.h"

/* A flash write while the flash is busy stalls the AP: WAIT until the
 * programming ends, then the write goes through. */
static void wait_while_flash_busy(void **state)
{
	const char *set[] = {"swclk_hz=8000000"};
	struct vb *vb = connected(set, 1);
	unsigned waits = 0;
	uint32_t v = 0;
	int ack;

	(void)state;
	assert_int_equal(vb_host_mem_write32(vb, FPEC_KEYR, KEY1), VB_ACK_OK);
	assert_int_equal(vb_host_mem_write32(vb, FPEC_KEYR, KEY2), VB_ACK_OK);
	assert_int_equal(vb_host_mem_write32(vb, FPEC_CR, CR_PG), VB_ACK_OK);
	ap_wr(vb, VB_AP_CSW, VB_CSW_DEFAULT | VB_CSW_INC_SINGLE | VB_CSW_16);
	ap_wr(vb, VB_AP_TAR, VB_FLASH_BASE);
	ap_wr(vb, VB_AP_DRW, 0x00001111);
	ap_wr(vb, VB_AP_DRW, 0x22220000); /* stalls: the flash is busy */
	assert_int_equal(vb_host_read(vb, true, VB_AP_CSW, &v), VB_ACK_WAIT);
	/* ORUNDETECT is on (connect sets it): WAIT set STICKYORUN */
	assert_int_equal(dp_rd(vb, VB_DP_CTRL) & VB_STICKYORUN, VB_STICKYORUN);
	dp_wr(vb, VB_DP_ABORT, VB_ORUNERRCLR);
	while ((ack = vb_host_read(vb, false, VB_DP_RDBUFF, &v)) ==
	       VB_ACK_WAIT) {
		dp_wr(vb, VB_DP_ABORT, VB_ORUNERRCLR);
		if (++waits > 100)
			fail_msg("still WAIT after %u tries", waits);
	}
	assert_int_equal(ack, VB_ACK_OK);
	assert_true(waits > 0);
	assert_true(vb->st.ack_wait > waits);
	assert_int_equal(ap_rd(vb, VB_AP_TAR), VB_FLASH_BASE + 4);
	while (vb_flash_busy_until(vb))
		vb_host_idle(vb, 8);
	assert_int_equal(vb->flash[0] | vb->flash[1] << 8, 0x1111);
	assert_int_equal(vb->flash[2] | vb->flash[3] << 8, 0x2222);
	assert_int_equal(vb->st.contention, 0);
	done(vb);
}

/* ABORT.DAPABORT gives up the stalled access: the AP is free at once. */
static void dapabort_cancels(void **state)
{
	const char *set[] = {"swclk_hz=8000000"};
	struct vb *vb = connected(set, 1);
	uint32_t v = 0;

	(void)state;
	assert_int_equal(vb_host_mem_write32(vb, FPEC_KEYR, KEY1), VB_ACK_OK);
	assert_int_equal(vb_host_mem_write32(vb, FPEC_KEYR, KEY2), VB_ACK_OK);
	assert_int_equal(vb_host_mem_write32(vb, FPEC_CR, CR_PG), VB_ACK_OK);
	ap_wr(vb, VB_AP_CSW, VB_CSW_DEFAULT | VB_CSW_INC_SINGLE | VB_CSW_16);
	ap_wr(vb, VB_AP_TAR, VB_FLASH_BASE);
	ap_wr(vb, VB_AP_DRW, 0x00001111);
	ap_wr(vb, VB_AP_DRW, 0x22220000);
	assert_int_equal(vb_host_read(vb, false, VB_DP_RDBUFF, &v),
			 VB_ACK_WAIT);
	dp_wr(vb, VB_DP_ABORT, VB_DAPABORT | VB_ABORT_ALL);
	assert_int_equal(ap_rd(vb, VB_AP_TAR), VB_FLASH_BASE + 2);
	while (vb_flash_busy_until(vb))
		vb_host_idle(vb, 8);
	assert_int_equal(vb->flash[2] | vb->flash[3] << 8, 0xFFFF);
	done(vb);
}

/* Without ORUNDETECT, WAIT has no data phase and sets no sticky flag. */
static void wait_without_overrun_detection(void **state)
{
	const char *set[] = {"wait_every=2", "wait_count=1"};
	struct vb *vb = connected(set, 2);
	uint8_t req = vb_host_request(true, true, VB_AP_CSW);
	uint32_t v = 0;

	(void)state;
	dp_wr(vb, VB_DP_CTRL, VB_CSYSPWRUPREQ | VB_CDBGPWRUPREQ);
	ap_rd_posted(vb, VB_AP_CSW);
	assert_int_equal(vb_host_xfer(vb, req, &v, VB_HOST_NO_DATA),
			 VB_ACK_WAIT);
	assert_int_equal(vb_host_xfer(vb, req, &v, VB_HOST_NO_DATA), VB_ACK_OK);
	assert_int_equal(v, 0x23000040u);
	assert_false(dp_rd(vb, VB_DP_CTRL) & VB_STICKYORUN);
	assert_int_equal(vb->st.contention, 0);
	done(vb);
}

/* wait_every=3 wait_count=2: the 3rd, 6th... AP access gets two WAITs,
 * then goes through. */
static void fault_setting_wait_storm(void **state)
{
	const char *set[] = {"wait_every=3", "wait_count=2"};
	struct vb *vb = connected(set, 2);
	int acks[12], n = 0;
	uint32_t v = 0;

	(void)state;
	while (n < 12) {
		acks[n] = vb_host_write(vb, true, VB_AP_TAR, SRAM(4 * n));
		if (acks[n++] == VB_ACK_WAIT)
			dp_wr(vb, VB_DP_ABORT, VB_ORUNERRCLR);
	}
	for (int i = 0; i < n; i++) {
		int want = i == 2 || i == 3 || i == 7 || i == 8 ? VB_ACK_WAIT
								: VB_ACK_OK;

		if (acks[i] != want)
			fail_msg("access %d: ACK %d, want %d", i, acks[i],
				 want);
	}
	assert_int_equal(vb->st.ack_wait, 4);
	assert_int_equal(vb_host_read_retry(vb, true, VB_AP_TAR, &v),
			 VB_ACK_OK);
	assert_int_equal(vb_host_read_retry(vb, false, VB_DP_RDBUFF, &v),
			 VB_ACK_OK);
	assert_int_equal(v, SRAM(4 * 11));
	/* a host that retries gets through every time */
	assert_int_equal(vb_host_mem_write32(vb, SRAM(0x10), 0xFEED),
			 VB_ACK_OK);
	assert_int_equal(sram32(vb, 0x10), 0xFEED);
	done(vb);
}

/* fault_every=2: every second memory access fails as a bus error. */
static void fault_setting_bus_error(void **state)
{
	const char *set[] = {"fault_every=2"};
	struct vb *vb = connected(set, 1);
	uint32_t v = 0;

	(void)state;
	ap_wr(vb, VB_AP_CSW, VB_CSW_DEFAULT | VB_CSW_INC_SINGLE | VB_CSW_32);
	ap_wr(vb, VB_AP_TAR, SRAM(0x60));
	ap_wr(vb, VB_AP_DRW, 0x61);
	ap_wr(vb, VB_AP_DRW, 0x62); /* fails */
	assert_int_equal(vb_host_write(vb, true, VB_AP_DRW, 0x63),
			 VB_ACK_FAULT);
	assert_true(dp_rd(vb, VB_DP_CTRL) & VB_STICKYERR);
	assert_int_equal(sram32(vb, 0x60), 0x61);
	assert_int_equal(sram32(vb, 0x64), 0);
	dp_wr(vb, VB_DP_ABORT, VB_ABORT_ALL);
	ap_wr(vb, VB_AP_DRW, 0x64); /* the 3rd */
	assert_int_equal(sram32(vb, 0x64), 0x64);
	ap_rd_posted(vb, VB_AP_DRW); /* the 4th fails */
	assert_int_equal(vb_host_read(vb, false, VB_DP_RDBUFF, &v),
			 VB_ACK_FAULT);
	done(vb);
}

/* parity_every=3: every third read comes with the wrong parity; RESEND
 * gives the data again. */
static void fault_setting_read_parity(void **state)
{
	const char *set[] = {"parity_every=3"};
	struct vb *vb = board(set, 1);
	uint32_t v = 0;

	(void)state;
	vb_host_jtag_to_swd(vb);
	assert_int_equal(vb_host_read(vb, false, VB_DP_DPIDR, &v), VB_ACK_OK);
	assert_int_equal(vb_host_read(vb, false, VB_DP_DPIDR, &v), VB_ACK_OK);
	assert_int_equal(vb_host_read(vb, false, VB_DP_DPIDR, &v),
			 VB_HOST_PARITY);
	assert_int_equal(v, VB_DPIDR_CM3);
	assert_int_equal(vb_host_read(vb, false, VB_DP_CTRL, &v), VB_ACK_OK);
	done(vb);
}

/* RESEND after a corrupted AP read. */
static void resend_after_bad_parity(void **state)
{
	const char *set[] = {"parity_every=2"};
	struct vb *vb = board(set, 1);
	uint32_t v = 0;

	(void)state;
	vb_host_jtag_to_swd(vb);
	assert_int_equal(vb_host_read(vb, false, VB_DP_DPIDR, &v), VB_ACK_OK);
	dp_wr(vb, VB_DP_CTRL, VB_CSYSPWRUPREQ | VB_CDBGPWRUPREQ);
	dp_wr(vb, VB_DP_SELECT, 0xF0);
	assert_int_equal(vb_host_read(vb, true, VB_AP_IDR, &v), VB_HOST_PARITY);
	assert_int_equal(vb_host_read(vb, false, VB_DP_RDBUFF, &v), VB_ACK_OK);
	assert_int_equal(v, 0x24770011u);
	assert_int_equal(vb_host_read(vb, false, VB_DP_RESEND, &v),
			 VB_HOST_PARITY);
	assert_int_equal(vb_host_read(vb, false, VB_DP_RESEND, &v), VB_ACK_OK);
	assert_int_equal(v, 0x24770011u);
	done(vb);
}

/* With overrun detection, a WAIT sets STICKYORUN: FAULT until cleared. */
static void overrun_detection(void **state)
{
	const char *set[] = {"wait_every=1", "wait_count=1"};
	struct vb *vb = connected(set, 2);
	uint32_t v = 0;

	(void)state;
	assert_int_equal(vb_host_read(vb, true, VB_AP_CSW, &v), VB_ACK_WAIT);
	assert_int_equal(vb_host_read(vb, true, VB_AP_CSW, &v), VB_ACK_FAULT);
	assert_true(dp_rd(vb, VB_DP_CTRL) & VB_STICKYORUN);
	dp_wr(vb, VB_DP_ABORT, VB_ORUNERRCLR);
	assert_int_equal(vb_host_read(vb, true, VB_AP_CSW, &v), VB_ACK_OK);
	assert_int_equal(vb->st.contention, 0);
	done(vb);
}

/* Pushed verify and compare: the AP reads and compares instead of
 * writing; STICKYCMP on a mismatch (verify) or a match (compare). */
static void pushed_operations(void **state)
{
	struct vb *vb = connected(NULL, 0);
	const uint32_t pwr = VB_CSYSPWRUPREQ | VB_CDBGPWRUPREQ;

	(void)state;
	memcpy(vb->sram + 0x200, &(uint32_t){0xCAFE0001}, 4);
	ap_wr(vb, VB_AP_CSW, VB_CSW_DEFAULT | VB_CSW_INC_SINGLE | VB_CSW_32);
	ap_wr(vb, VB_AP_TAR, SRAM(0x200));
	dp_wr(vb, VB_DP_CTRL, pwr | VB_TRNMODE(1) | VB_MASKLANE(0xF));
	ap_wr(vb, VB_AP_DRW, 0xCAFE0001);
	assert_false(dp_rd(vb, VB_DP_CTRL) & VB_STICKYCMP);
	ap_wr(vb, VB_AP_DRW, 0x12345678); /* memory at 0x204 is 0 */
	assert_true(dp_rd(vb, VB_DP_CTRL) & VB_STICKYCMP);
	assert_int_equal(sram32(vb, 0x204), 0);
	dp_wr(vb, VB_DP_ABORT, VB_STKCMPCLR);

	dp_wr(vb, VB_DP_CTRL, pwr);
	ap_wr(vb, VB_AP_TAR, SRAM(0x200));
	dp_wr(vb, VB_DP_CTRL, pwr | VB_TRNMODE(2) | VB_MASKLANE(0x3));
	ap_wr(vb, VB_AP_TAR, 0); /* pushed: compared, not written */
	assert_false(dp_rd(vb, VB_DP_CTRL) & VB_STICKYCMP);
	ap_wr(vb, VB_AP_DRW, 0xFFFF0001); /* lanes 0-1 match */
	assert_true(dp_rd(vb, VB_DP_CTRL) & VB_STICKYCMP);
	dp_wr(vb, VB_DP_ABORT, VB_STKCMPCLR);
	dp_wr(vb, VB_DP_CTRL, pwr);
	assert_int_equal(ap_rd(vb, VB_AP_TAR), SRAM(0x204));
	assert_int_equal(sram32(vb, 0x200), 0xCAFE0001);
	done(vb);
}

/* Line resets and select sequences are not transactions: no_ack counts
 * only requests that went unanswered. */
static void no_ack_accounting(void **state)
{
	const char *set[] = {"wait_every=1", "wait_count=1"};
	struct vb *vb = connected(set, 2);
	uint32_t v = 0;

	(void)state;
	for (int i = 0; i < 3; i++) {
		vb_host_line_reset(vb);
		dp_rd(vb, VB_DP_DPIDR);
	}
	vb_host_jtag_to_swd(vb);
	dp_rd(vb, VB_DP_DPIDR);
	assert_int_equal(vb->st.no_ack, 0);

	/* a host that clocks a data phase after WAIT with ORUNDETECT off
	 * (OpenOCD before it sets the bit) reads as a protocol error */
	dp_wr(vb, VB_DP_CTRL, VB_CSYSPWRUPREQ | VB_CDBGPWRUPREQ);
	assert_int_equal(vb_host_read(vb, true, VB_AP_CSW, &v), VB_ACK_WAIT);
	assert_int_equal(vb_host_read(vb, false, VB_DP_DPIDR, &v), VB_ACK_NONE);
	assert_int_equal(vb->st.no_ack, 1);
	vb_host_line_reset(vb);
	assert_int_equal(dp_rd(vb, VB_DP_DPIDR), VB_DPIDR_CM3);
	done(vb);
}

/* WCR.TURNROUND: 1 to 4 cycles of turnaround. */
static void turnaround_length(void **state)
{
	struct vb *vb = connected(NULL, 0);
	uint64_t d;
	int ack;

	(void)state;
	dp_wr(vb, VB_DP_SELECT, VB_CTRLSEL);
	dp_wr(vb, VB_DP_CTRL, 0x100); /* two cycles */
	vb_host_bits(vb, vb_host_request(false, true, VB_DP_DPIDR), 8);
	assert_int_equal(vb_host_sample(vb, 2), 3); /* nobody drives */
	ack = (int)vb_host_sample(vb, 3);
	d = vb_host_sample(vb, 33);
	vb_host_sample(vb, 2);
	assert_int_equal(ack, VB_ACK_OK);
	assert_int_equal((uint32_t)d, VB_DPIDR_CM3);

	/* back to one cycle: a write with two-cycle turnarounds */
	vb_host_bits(vb, vb_host_request(false, false, VB_DP_CTRL), 8);
	vb_host_sample(vb, 2);
	assert_int_equal(vb_host_sample(vb, 3), VB_ACK_OK);
	vb_host_sample(vb, 2);
	vb_host_bits(vb, 0x40 | 1ull << 32, 33); /* parity 1 */
	assert_int_equal(dp_rd(vb, VB_DP_CTRL), 0x40);
	assert_int_equal(vb->st.contention, 0);
	done(vb);
}

/* 0xE73C after a line reset goes back to JTAG: silent again. */
static void swd_to_jtag(void **state)
{
	struct vb *vb = connected(NULL, 0);
	uint32_t v = 0;

	(void)state;
	vb_host_bits(vb, (1ull << 56) - 1, 56);
	vb_host_bits(vb, 0xE73C, 16);
	vb_host_line_reset(vb);
	assert_int_equal(vb_host_read(vb, false, VB_DP_DPIDR, &v), VB_ACK_NONE);
	assert_int_equal(vb_host_connect(vb, &v), VB_ACK_OK);
	done(vb);
}

/* The helpers' memory round trip. */
static void host_memory_round_trip(void **state)
{
	struct vb *vb = connected(NULL, 0);
	uint32_t v = 0;

	(void)state;
	for (uint32_t a = 0; a < 64; a += 4)
		assert_int_equal(vb_host_mem_write32(vb, SRAM(0x300 + a),
						     0x01010101u * a),
				 VB_ACK_OK);
	for (uint32_t a = 0; a < 64; a += 4) {
		assert_int_equal(vb_host_mem_read32(vb, SRAM(0x300 + a), &v),
				 VB_ACK_OK);
		assert_int_equal(v, 0x01010101u * a);
	}
	assert_int_equal(vb->st.contention, 0);
	assert_int_equal(vb->st.no_ack, 0);
	done(vb);
}

/* An unpowered target: the lines read constant, nothing answers. */
static void unpowered_target(void **state)
{
	const char *set[] = {"unpowered=1"};
	struct vb *vb = board(set, 1);
	uint32_t v = 0;

	(void)state;
	assert_int_not_equal(vb_host_connect(vb, &v), VB_ACK_OK);
	assert_int_equal(vb_host_sample(vb, 64), 0);
	assert_int_equal(vb->st.ack_ok + vb->st.ack_wait + vb->st.ack_fault, 0);
	done(vb);
}

/* SWDIO and SWCLK swapped: no ACK. */
static void swapped_wires(void **state)
{
	const char *set[] = {"swapped=1"};
	struct vb *vb = board(set, 1);
	uint32_t v = 0;
	int ack = vb_host_connect(vb, &v);

	(void)state;
	assert_true(ack != VB_ACK_OK && ack != VB_ACK_WAIT &&
		    ack != VB_ACK_FAULT);
	assert_int_equal(vb->st.ack_ok + vb->st.ack_wait + vb->st.ack_fault, 0);
	done(vb);
}

/* Firmware that turned SWD off: nothing answers until NRST goes low and
 * high again (a reset gives the pins back to the debug port). */
static void swd_disabled_until_reset(void **state)
{
	struct vb *vb = connected(NULL, 0);
	uint32_t v = 0;
	uint64_t oks = vb->st.ack_ok;

	(void)state;
	vb_drive(vb, VB_NRST, 1);
	vb->swd_off = true;
	assert_int_equal(vb_host_connect(vb, &v), VB_ACK_NONE);
	assert_int_equal(vb_host_sample(vb, 40), (1ull << 40) - 1);
	assert_int_equal(vb->st.ack_ok, oks);
	vb_drive(vb, VB_NRST, 0);
	vb_drive(vb, VB_NRST, 1);
	assert_false(vb->swd_off);
	assert_int_equal(vb_host_connect(vb, &v), VB_ACK_OK);
	assert_int_equal(v, VB_DPIDR_CM3);
	done(vb);
}

/* The same with firmware that turns SWD off 2 ms after it starts: SWD
 * answers while the core runs less than that, then not until a reset. */
static void swd_disabled_by_firmware(void **state)
{
	const char *set[] = {"swd_disable_us=2000"};
	/* SP, the reset vector (Thumb), then b . */
	const uint8_t fw[] = {0x00, 0x10, 0x00, 0x20, 0x09,
			      0x00, 0x00, 0x08, 0xFE, 0xE7};
	struct vb *vb = board(set, 1);
	uint32_t v = 0;

	(void)state;
	memcpy(vb->flash, fw, sizeof(fw));
	vb_drive(vb, VB_NRST, 1); /* the firmware starts */
	assert_int_equal(vb_host_connect(vb, &v), VB_ACK_OK);
	assert_false(vb->swd_off);
	vb_host_idle(vb, 2000);
	assert_true(vb->swd_off);
	assert_int_equal(vb_host_read(vb, false, VB_DP_DPIDR, &v), VB_ACK_NONE);
	vb_drive(vb, VB_NRST, 0);
	vb_drive(vb, VB_NRST, 1);
	assert_int_equal(vb_host_connect(vb, &v), VB_ACK_OK);
	done(vb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wait_while_flash_busy),
		cmocka_unit_test(dapabort_cancels),
		cmocka_unit_test(wait_without_overrun_detection),
		cmocka_unit_test(fault_setting_wait_storm),
		cmocka_unit_test(fault_setting_bus_error),
		cmocka_unit_test(fault_setting_read_parity),
		cmocka_unit_test(resend_after_bad_parity),
		cmocka_unit_test(overrun_detection),
		cmocka_unit_test(pushed_operations),
		cmocka_unit_test(no_ack_accounting),
		cmocka_unit_test(turnaround_length),
		cmocka_unit_test(swd_to_jtag),
		cmocka_unit_test(host_memory_round_trip),
		cmocka_unit_test(unpowered_target),
		cmocka_unit_test(swapped_wires),
		cmocka_unit_test(swd_disabled_until_reset),
		cmocka_unit_test(swd_disabled_by_firmware),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
