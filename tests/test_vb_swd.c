// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The virtual board's debug port at the wire (tests/vboard/vb_swd.c),
 * driven bit by bit through vb_host_*: the JTAG-to-SWD switch, line resets,
 * protocol errors, the DP registers, the AHB-AP and sticky errors. One
 * rule per test.
 */
#include "vb_swd_test_util.h"

/* Nothing answers in JTAG mode, even after a line reset. */
static void silent_before_switch(void **state)
{
	struct vb *vb = board(NULL, 0);
	uint32_t v = 0;

	(void)state;
	assert_int_equal(vb_host_read(vb, false, VB_DP_DPIDR, &v), VB_ACK_NONE);
	vb_host_line_reset(vb);
	vb_host_line_reset(vb);
	assert_int_equal(vb_host_read(vb, false, VB_DP_DPIDR, &v), VB_ACK_NONE);
	assert_int_equal(vb->st.ack_ok + vb->st.ack_wait + vb->st.ack_fault, 0);
	assert_int_equal(vb->st.jtag_to_swd, 0);
	assert_int_equal(vb->st.line_resets, 2);
	assert_int_equal(vb->st.contention, 0);
	done(vb);
}

/* Line reset, 0xE79E, line reset: DPIDR answers. */
static void dpidr_after_switch(void **state)
{
	struct vb *vb = board(NULL, 0);

	(void)state;
	vb_host_jtag_to_swd(vb);
	assert_int_equal(dp_rd(vb, VB_DP_DPIDR), VB_DPIDR_CM3);
	assert_int_equal(vb->st.jtag_to_swd, 1);
	assert_int_equal(vb->st.line_resets, 2);
	assert_int_equal(vb->st.ack_ok, 1);
	assert_int_equal(vb->st.contention, 0);
	done(vb);
}

/* After the select sequence, a line reset comes before the first packet;
 * a sequence short of 50 high cycles selects nothing. */
static void switch_rules(void **state)
{
	struct vb *vb = board(NULL, 0);
	uint32_t v = 0;

	(void)state;
	vb_host_bits(vb, (1ull << 49) - 1, 49);
	vb_host_bits(vb, 0xE79E, 16);
	vb_host_line_reset(vb);
	assert_int_equal(vb_host_read(vb, false, VB_DP_DPIDR, &v), VB_ACK_NONE);
	assert_int_equal(vb->st.jtag_to_swd, 0);

	vb_host_bits(vb, (1ull << 50) - 1, 50);
	vb_host_bits(vb, 0xE79E, 16);
	vb_host_idle(vb, 4);
	assert_int_equal(vb_host_read(vb, false, VB_DP_DPIDR, &v), VB_ACK_NONE);
	assert_int_equal(vb->st.jtag_to_swd, 1);
	vb_host_line_reset(vb);
	assert_int_equal(dp_rd(vb, VB_DP_DPIDR), VB_DPIDR_CM3);
	done(vb);
}

/* After a line reset the first request must be a DPIDR read; anything
 * else is a protocol error that locks the link until the next one. */
static void line_reset_dpidr_first(void **state)
{
	struct vb *vb = connected(NULL, 0);
	uint32_t v = 0;

	(void)state;
	vb_host_line_reset(vb);
	assert_int_equal(vb_host_read(vb, false, VB_DP_CTRL, &v), VB_ACK_NONE);
	assert_int_equal(vb->st.no_ack, 1);
	assert_int_equal(vb_host_read(vb, false, VB_DP_DPIDR, &v), VB_ACK_NONE);
	vb_host_line_reset(vb);
	assert_int_equal(dp_rd(vb, VB_DP_DPIDR), VB_DPIDR_CM3);
	/* the DP keeps its state across line resets */
	assert_int_equal(dp_rd(vb, VB_DP_CTRL) & 0xF0000001u, 0xF0000001u);

	/* a write is no better than a read */
	vb_host_line_reset(vb);
	assert_int_equal(vb_host_write(vb, false, VB_DP_ABORT, VB_ABORT_ALL),
			 VB_ACK_NONE);
	vb_host_line_reset(vb);
	assert_int_equal(dp_rd(vb, VB_DP_DPIDR), VB_DPIDR_CM3);
	assert_int_equal(vb->st.contention, 0);
	done(vb);
}

/* A line reset in the middle of a request starts over. */
static void line_reset_mid_packet(void **state)
{
	struct vb *vb = connected(NULL, 0);
	uint8_t req = vb_host_request(false, true, VB_DP_CTRL);

	(void)state;
	vb_host_bits(vb, req, 3);
	vb_host_line_reset(vb);
	assert_int_equal(dp_rd(vb, VB_DP_DPIDR), VB_DPIDR_CM3);
	assert_int_equal(vb->st.contention, 0);
	done(vb);
}

/* A request with the wrong parity gets no answer (the host reads the
 * pull-up), and the link recovers through a line reset. */
static void request_parity_error(void **state)
{
	struct vb *vb = connected(NULL, 0);
	uint8_t req = vb_host_request(false, true, VB_DP_DPIDR);
	uint32_t v = 0;

	(void)state;
	assert_int_equal(vb_host_xfer(vb, req ^ 0x20, &v, 0), VB_ACK_NONE);
	assert_int_equal(vb->st.no_ack, 1);
	assert_int_equal(vb_host_read(vb, false, VB_DP_DPIDR, &v), VB_ACK_NONE);
	vb_host_line_reset(vb);
	assert_int_equal(dp_rd(vb, VB_DP_DPIDR), VB_DPIDR_CM3);
	assert_int_equal(vb->st.contention, 0);
	done(vb);
}

/* A stop bit of 1 or a park bit of 0 is a protocol error too. */
static void stop_and_park_bits(void **state)
{
	struct vb *vb = connected(NULL, 0);
	uint8_t req = vb_host_request(false, true, VB_DP_DPIDR);
	uint32_t v = 0;

	(void)state;
	assert_int_equal(vb_host_xfer(vb, req | 0x40, &v, 0), VB_ACK_NONE);
	vb_host_line_reset(vb);
	assert_int_equal(dp_rd(vb, VB_DP_DPIDR), VB_DPIDR_CM3);
	assert_int_equal(vb_host_xfer(vb, req & 0x7F, &v, 0), VB_ACK_NONE);
	vb_host_line_reset(vb);
	assert_int_equal(dp_rd(vb, VB_DP_DPIDR), VB_DPIDR_CM3);
	assert_int_equal(vb->st.no_ack, 2);
	done(vb);
}

/* Idle cycles between packets are fine; so are none. */
static void idle_cycles(void **state)
{
	struct vb *vb = connected(NULL, 0);

	(void)state;
	for (unsigned n = 0; n < 40; n += 7) {
		vb_host_idle(vb, n);
		assert_int_equal(dp_rd(vb, VB_DP_DPIDR), VB_DPIDR_CM3);
	}
	done(vb);
}

/* Each cycle is one SWCLK period of modeled time: a read is 46 cycles. */
static void cycles_and_time(void **state)
{
	struct vb *vb = board(NULL, 0);
	uint64_t c0, t0;

	(void)state;
	vb_host_jtag_to_swd(vb);
	c0 = vb->st.swclk_cycles;
	t0 = vb->now_ps;
	dp_rd(vb, VB_DP_DPIDR);
	assert_int_equal(vb->st.swclk_cycles - c0, 46);
	assert_int_equal(vb->now_ps - t0, 46 * VB_PS_PER_US);
	done(vb);
}

/* CSYSPWRUPACK and CDBGPWRUPACK follow their requests; the AP refuses
 * accesses until the debug domain is powered up. */
static void power_up_handshake(void **state)
{
	struct vb *vb = board(NULL, 0);
	uint32_t v = 0;

	(void)state;
	vb_host_jtag_to_swd(vb);
	dp_rd(vb, VB_DP_DPIDR);
	assert_int_equal(dp_rd(vb, VB_DP_CTRL), 0);
	/* ORUNDETECT is off: no data phase after FAULT */
	assert_int_equal(vb_host_xfer(vb,
				      vb_host_request(true, true, VB_AP_IDR),
				      &v, VB_HOST_NO_DATA),
			 VB_ACK_FAULT);
	assert_int_equal(dp_rd(vb, VB_DP_CTRL), VB_STICKYERR);
	dp_wr(vb, VB_DP_ABORT, VB_STKERRCLR);

	dp_wr(vb, VB_DP_CTRL, VB_CDBGPWRUPREQ);
	assert_int_equal(dp_rd(vb, VB_DP_CTRL),
			 VB_CDBGPWRUPREQ | VB_CDBGPWRUPACK);
	dp_wr(vb, VB_DP_CTRL, VB_CSYSPWRUPREQ | VB_CDBGPWRUPREQ);
	assert_int_equal(dp_rd(vb, VB_DP_CTRL), 0xF0000000u);
	dp_wr(vb, VB_DP_CTRL,
	      VB_CSYSPWRUPREQ | VB_CDBGPWRUPREQ | VB_CDBGRSTREQ);
	assert_int_equal(dp_rd(vb, VB_DP_CTRL), 0xFC000000u);
	dp_wr(vb, VB_DP_SELECT, 0xF0);
	assert_int_equal(ap_rd(vb, VB_AP_IDR & 0xF), 0x24770011u);
	dp_wr(vb, VB_DP_CTRL, 0);
	assert_int_equal(dp_rd(vb, VB_DP_CTRL), VB_READOK);
	done(vb);
}

/* The sticky flags are not cleared by writing CTRL/STAT (SW-DP); the
 * writable fields read back. */
static void ctrl_stat_fields(void **state)
{
	struct vb *vb = connected(NULL, 0);
	uint32_t want = 0xF0000000u | 0x00ABC000u | VB_MASKLANE(0x5) |
			VB_TRNMODE(0) | VB_ORUNDETECT;

	(void)state;
	dp_wr(vb, VB_DP_CTRL, want | VB_STICKYERR | VB_WDATAERR | VB_READOK);
	assert_int_equal(dp_rd(vb, VB_DP_CTRL), want);
	done(vb);
}

/* SELECT.CTRLSEL puts WCR at 0x4; a line reset clears CTRLSEL. */
static void select_ctrlsel_wcr(void **state)
{
	struct vb *vb = connected(NULL, 0);

	(void)state;
	dp_wr(vb, VB_DP_SELECT, VB_CTRLSEL);
	assert_int_equal(dp_rd(vb, VB_DP_CTRL), 0x40);
	dp_wr(vb, VB_DP_CTRL, 0x3); /* PRESCALER */
	assert_int_equal(dp_rd(vb, VB_DP_CTRL), 0x43);
	dp_wr(vb, VB_DP_SELECT, 0);
	assert_int_equal(dp_rd(vb, VB_DP_CTRL) & 0xF0000000u, 0xF0000000u);
	dp_wr(vb, VB_DP_SELECT, VB_CTRLSEL);
	vb_host_line_reset(vb);
	dp_rd(vb, VB_DP_DPIDR);
	assert_int_equal(dp_rd(vb, VB_DP_CTRL) & 0xF0000000u, 0xF0000000u);
	done(vb);
}

/* APBANKSEL selects the bank: IDR, BASE, CFG; CSW's reset value; an AP
 * that does not exist reads 0. */
static void ap_identification(void **state)
{
	struct vb *vb = connected(NULL, 0);

	(void)state;
	assert_int_equal(ap_rd(vb, VB_AP_CSW), 0x23000040u);
	dp_wr(vb, VB_DP_SELECT, 0xF0);
	assert_int_equal(ap_rd(vb, VB_AP_IDR), 0x24770011u);
	assert_int_equal(ap_rd(vb, VB_AP_BASE), 0xE00FF003u);
	assert_int_equal(ap_rd(vb, VB_AP_CFG), 0);
	dp_wr(vb, VB_DP_SELECT, 0x010000F0);
	assert_int_equal(ap_rd(vb, VB_AP_IDR), 0);
	dp_wr(vb, VB_DP_SELECT, 0x01000000);
	ap_wr(vb, VB_AP_TAR, 0x20000000);
	assert_int_equal(ap_rd(vb, VB_AP_TAR), 0);
	done(vb);
}

/* An AP read returns the previous AP read's result; RDBUFF returns the
 * last one without starting another; RESEND repeats the last data. */
static void posted_reads(void **state)
{
	struct vb *vb = connected(NULL, 0);
	uint32_t w[3] = {0x11111111, 0x22222222, 0x33333333};

	(void)state;
	memcpy(vb->sram + 0x100, w, sizeof(w));
	ap_wr(vb, VB_AP_CSW, VB_CSW_DEFAULT | VB_CSW_INC_SINGLE | VB_CSW_32);
	ap_wr(vb, VB_AP_TAR, SRAM(0x100));
	ap_rd_posted(vb, VB_AP_DRW);
	assert_int_equal(ap_rd_posted(vb, VB_AP_DRW), 0x11111111);
	assert_int_equal(dp_rd(vb, VB_DP_RDBUFF), 0x22222222);
	assert_int_equal(dp_rd(vb, VB_DP_RDBUFF), 0x22222222);
	assert_int_equal(dp_rd(vb, VB_DP_RESEND), 0x22222222);
	/* RDBUFF started nothing: TAR is past the second word only */
	assert_int_equal(ap_rd_posted(vb, VB_AP_TAR), 0x22222222);
	assert_int_equal(dp_rd(vb, VB_DP_RDBUFF), SRAM(0x108));
	assert_true(dp_rd(vb, VB_DP_CTRL) & VB_READOK);
	done(vb);
}

/* TAR follows each DRW access, across 1 KB boundaries, and wraps within
 * its 4 KB block as on a Cortex-M3 AHB-AP. */
static void tar_increment_and_wrap(void **state)
{
	struct vb *vb = connected(NULL, 0);

	(void)state;
	ap_wr(vb, VB_AP_CSW, VB_CSW_DEFAULT | VB_CSW_INC_SINGLE | VB_CSW_32);
	ap_wr(vb, VB_AP_TAR, SRAM(0x7FC));
	ap_wr(vb, VB_AP_DRW, 0xB1);
	ap_wr(vb, VB_AP_DRW, 0xB2);
	assert_int_equal(sram32(vb, 0x7FC), 0xB1);
	assert_int_equal(sram32(vb, 0x800), 0xB2);

	ap_wr(vb, VB_AP_TAR, SRAM(0x1FF8));
	ap_wr(vb, VB_AP_DRW, 0xA1);
	ap_wr(vb, VB_AP_DRW, 0xA2);
	ap_wr(vb, VB_AP_DRW, 0xA3);
	assert_int_equal(ap_rd(vb, VB_AP_TAR), SRAM(0x1004));
	assert_int_equal(sram32(vb, 0x1FF8), 0xA1);
	assert_int_equal(sram32(vb, 0x1FFC), 0xA2);
	assert_int_equal(sram32(vb, 0x1000), 0xA3);
	assert_int_equal(sram32(vb, 0x2000), 0);

	/* AddrInc off: TAR stays */
	ap_wr(vb, VB_AP_CSW, VB_CSW_DEFAULT | VB_CSW_32);
	ap_wr(vb, VB_AP_TAR, SRAM(0x10));
	ap_wr(vb, VB_AP_DRW, 1);
	ap_wr(vb, VB_AP_DRW, 2);
	assert_int_equal(ap_rd(vb, VB_AP_TAR), SRAM(0x10));
	assert_int_equal(sram32(vb, 0x10), 2);
	done(vb);
}

/* 8- and 16-bit transfers use the byte lanes of their address. */
static void byte_and_halfword_lanes(void **state)
{
	struct vb *vb = connected(NULL, 0);

	(void)state;
	memset(vb->sram + 0x20, 0x55, 8);
	ap_wr(vb, VB_AP_CSW, VB_CSW_DEFAULT | VB_CSW_INC_SINGLE | VB_CSW_8);
	ap_wr(vb, VB_AP_TAR, SRAM(0x21));
	ap_wr(vb, VB_AP_DRW, 0xDDCCABEE); /* lane 1: 0xAB */
	assert_int_equal(sram32(vb, 0x20), 0x5555AB55);
	assert_int_equal(ap_rd(vb, VB_AP_TAR), SRAM(0x22));
	ap_wr(vb, VB_AP_TAR, SRAM(0x21));
	assert_int_equal(ap_rd(vb, VB_AP_DRW), 0x0000AB00);

	ap_wr(vb, VB_AP_CSW, VB_CSW_DEFAULT | VB_CSW_INC_SINGLE | VB_CSW_16);
	ap_wr(vb, VB_AP_TAR, SRAM(0x26));
	ap_wr(vb, VB_AP_DRW, 0xBEEF1234); /* lanes 2-3 */
	assert_int_equal(sram32(vb, 0x24), 0xBEEF5555);
	assert_int_equal(ap_rd(vb, VB_AP_TAR), SRAM(0x28));
	ap_wr(vb, VB_AP_TAR, SRAM(0x24));
	assert_int_equal(ap_rd(vb, VB_AP_DRW), 0x00005555);
	assert_int_equal(ap_rd(vb, VB_AP_DRW), 0xBEEF0000);

	/* a Size the AP does not have leaves Size alone */
	ap_wr(vb, VB_AP_CSW, VB_CSW_DEFAULT | VB_CSW_INC_SINGLE | 5);
	assert_int_equal(ap_rd(vb, VB_AP_CSW),
			 VB_CSW_DEFAULT | VB_CSW_DEVICEEN | VB_CSW_INC_SINGLE |
				 VB_CSW_16);
	done(vb);
}

/* Packed: one DRW access carries two halfwords or four bytes. */
static void packed_transfers(void **state)
{
	struct vb *vb = connected(NULL, 0);
	const uint8_t b[8] = {1, 2, 3, 4, 5, 6, 7, 8};

	(void)state;
	ap_wr(vb, VB_AP_CSW, VB_CSW_DEFAULT | VB_CSW_INC_PACKED | VB_CSW_16);
	ap_wr(vb, VB_AP_TAR, SRAM(0x40));
	ap_wr(vb, VB_AP_DRW, 0x22221111);
	ap_wr(vb, VB_AP_DRW, 0x44443333);
	assert_int_equal(sram32(vb, 0x40), 0x22221111);
	assert_int_equal(sram32(vb, 0x44), 0x44443333);
	assert_int_equal(ap_rd(vb, VB_AP_TAR), SRAM(0x48));

	memcpy(vb->sram + 0x50, b, 8);
	ap_wr(vb, VB_AP_CSW, VB_CSW_DEFAULT | VB_CSW_INC_PACKED | VB_CSW_8);
	ap_wr(vb, VB_AP_TAR, SRAM(0x50));
	ap_rd_posted(vb, VB_AP_DRW);
	assert_int_equal(ap_rd_posted(vb, VB_AP_DRW), 0x04030201);
	assert_int_equal(dp_rd(vb, VB_DP_RDBUFF), 0x08070605);
	assert_int_equal(ap_rd(vb, VB_AP_TAR), SRAM(0x58));
	ap_wr(vb, VB_AP_TAR, SRAM(0x50));
	ap_wr(vb, VB_AP_DRW, 0xD4C3B2A1);
	assert_int_equal(sram32(vb, 0x50), 0xD4C3B2A1);

	/* from an address that is not word aligned: lanes by address */
	ap_wr(vb, VB_AP_CSW, VB_CSW_DEFAULT | VB_CSW_INC_PACKED | VB_CSW_16);
	ap_wr(vb, VB_AP_TAR, SRAM(0x62));
	ap_wr(vb, VB_AP_DRW, 0x66665555); /* 0x6666 at 0x62, 0x5555 at 0x64 */
	assert_int_equal(sram32(vb, 0x60), 0x66660000);
	assert_int_equal(sram32(vb, 0x64), 0x00005555);
	assert_int_equal(ap_rd(vb, VB_AP_TAR), SRAM(0x66));
	done(vb);
}

/* BD0-BD3 reach the 16-byte block TAR points into, without increment. */
static void banked_data(void **state)
{
	struct vb *vb = connected(NULL, 0);
	uint32_t w[4] = {0xB0, 0xB1, 0xB2, 0xB3};

	(void)state;
	memcpy(vb->sram + 0x100, w, sizeof(w));
	ap_wr(vb, VB_AP_CSW, VB_CSW_DEFAULT | VB_CSW_INC_SINGLE | VB_CSW_32);
	ap_wr(vb, VB_AP_TAR, SRAM(0x104));
	dp_wr(vb, VB_DP_SELECT, 0x10);
	assert_int_equal(ap_rd(vb, 0x8), 0xB2); /* BD2 */
	assert_int_equal(ap_rd(vb, 0x0), 0xB0); /* BD0 */
	ap_wr(vb, 0xC, 0xC3);			/* BD3 */
	assert_int_equal(sram32(vb, 0x10C), 0xC3);
	dp_wr(vb, VB_DP_SELECT, 0);
	assert_int_equal(ap_rd(vb, VB_AP_TAR), SRAM(0x104));
	done(vb);
}

/* A bus error sets STICKYERR; the access that caused it had its OK, the
 * ones after it get FAULT -- except DPIDR and CTRL/STAT reads and ABORT --
 * until ABORT.STKERRCLR. */
static void bus_error_sticky(void **state)
{
	struct vb *vb = connected(NULL, 0);
	uint32_t bad = VB_SRAM_BASE + vb->chip.ram_size, v = 0;

	(void)state;
	ap_wr(vb, VB_AP_CSW, VB_CSW_DEFAULT | VB_CSW_INC_SINGLE | VB_CSW_32);
	ap_wr(vb, VB_AP_TAR, bad);
	ap_wr(vb, VB_AP_DRW, 0x1234);
	assert_int_equal(vb_host_write(vb, true, VB_AP_TAR, SRAM(0)),
			 VB_ACK_FAULT);
	assert_int_equal(vb_host_read(vb, false, VB_DP_RDBUFF, &v),
			 VB_ACK_FAULT);
	assert_int_equal(vb_host_write(vb, false, VB_DP_SELECT, 0),
			 VB_ACK_FAULT);
	assert_int_equal(dp_rd(vb, VB_DP_DPIDR), VB_DPIDR_CM3);
	assert_true(dp_rd(vb, VB_DP_CTRL) & VB_STICKYERR);
	dp_wr(vb, VB_DP_ABORT, VB_STKERRCLR | VB_ORUNERRCLR);
	assert_false(dp_rd(vb, VB_DP_CTRL) & (VB_STICKYERR | VB_STICKYORUN));
	/* TAR did not move past the failed access */
	assert_int_equal(ap_rd(vb, VB_AP_TAR), bad);

	/* a read: the posted read had its OK, RDBUFF gets FAULT */
	ap_rd_posted(vb, VB_AP_DRW);
	assert_int_equal(vb_host_read(vb, false, VB_DP_RDBUFF, &v),
			 VB_ACK_FAULT);
	assert_false(dp_rd(vb, VB_DP_CTRL) & VB_READOK);
	dp_wr(vb, VB_DP_ABORT, VB_ABORT_ALL);
	ap_wr(vb, VB_AP_TAR, SRAM(0));
	ap_wr(vb, VB_AP_DRW, 0x5678);
	assert_int_equal(sram32(vb, 0), 0x5678);
	done(vb);
}

/* Write data with the wrong parity: OK, then WDATAERR, the data dropped. */
static void write_parity_error(void **state)
{
	struct vb *vb = connected(NULL, 0);
	uint32_t v = 0x600DF00D;

	(void)state;
	ap_wr(vb, VB_AP_CSW, VB_CSW_DEFAULT | VB_CSW_INC_SINGLE | VB_CSW_32);
	ap_wr(vb, VB_AP_TAR, SRAM(0x30));
	assert_int_equal(vb_host_xfer(vb,
				      vb_host_request(true, false, VB_AP_DRW),
				      &v, VB_HOST_BAD_PARITY),
			 VB_ACK_OK);
	assert_int_equal(vb->st.parity_errors, 1);
	assert_int_equal(sram32(vb, 0x30), 0);
	assert_int_equal(vb_host_write(vb, true, VB_AP_DRW, 1), VB_ACK_FAULT);
	assert_true(dp_rd(vb, VB_DP_CTRL) & VB_WDATAERR);
	dp_wr(vb, VB_DP_ABORT, VB_WDERRCLR | VB_ORUNERRCLR);
	assert_false(dp_rd(vb, VB_DP_CTRL) & VB_WDATAERR);
	assert_int_equal(ap_rd(vb, VB_AP_TAR), SRAM(0x30));
	done(vb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(silent_before_switch),
		cmocka_unit_test(dpidr_after_switch),
		cmocka_unit_test(switch_rules),
		cmocka_unit_test(line_reset_dpidr_first),
		cmocka_unit_test(line_reset_mid_packet),
		cmocka_unit_test(request_parity_error),
		cmocka_unit_test(stop_and_park_bits),
		cmocka_unit_test(idle_cycles),
		cmocka_unit_test(cycles_and_time),
		cmocka_unit_test(power_up_handshake),
		cmocka_unit_test(ctrl_stat_fields),
		cmocka_unit_test(select_ctrlsel_wcr),
		cmocka_unit_test(ap_identification),
		cmocka_unit_test(posted_reads),
		cmocka_unit_test(tar_increment_and_wrap),
		cmocka_unit_test(byte_and_halfword_lanes),
		cmocka_unit_test(packed_transfers),
		cmocka_unit_test(banked_data),
		cmocka_unit_test(bus_error_sticky),
		cmocka_unit_test(write_parity_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
