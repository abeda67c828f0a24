// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The virtual board's debug port at the wire (tests/vboard/vb_swd.c),
 * driven bit by bit through vb_host_*: the JTAG-to-SWD switch, line resets,
 * protocol errors, the DP registers, the AHB-AP, sticky errors, WAIT while
 * the flash is busy, and each fault setting. One rule per test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vb.h"
#include "vb_host.h"

#define SRAM(off) (VB_SRAM_BASE + (off))

#define FPEC_KEYR (VB_FPEC_BASE + 0x04)
#define FPEC_CR	  (VB_FPEC_BASE + 0x10)
#define CR_PG	  0x001u
#define KEY1	  0x45670123u
#define KEY2	  0xCDEF89ABu

/* A powered board held in reset (NRST low), so the core stays still. */
static struct vb *board(const char *const *set, size_t n)
{
	char err[256] = "";
	struct vb *vb = vb_new(set, n, NULL, err, sizeof(err));

	if (!vb)
		fail_msg("vb_new: %s", err);
	vb_drive(vb, VB_NRST, 0);
	return vb;
}

static void done(struct vb *vb)
{
	char err[256] = "";

	if (vb_close(vb, err, sizeof(err)))
		fail_msg("vb_close: %s", err);
}

static struct vb *connected(const char *const *set, size_t n)
{
	struct vb *vb = board(set, n);
	uint32_t id = 0;

	assert_int_equal(vb_host_connect(vb, &id), VB_ACK_OK);
	assert_int_equal(id, VB_DPIDR_CM3);
	return vb;
}

static void dp_wr(struct vb *vb, unsigned addr, uint32_t v)
{
	assert_int_equal(vb_host_write(vb, false, addr, v), VB_ACK_OK);
}

static uint32_t dp_rd(struct vb *vb, unsigned addr)
{
	uint32_t v = 0;

	assert_int_equal(vb_host_read(vb, false, addr, &v), VB_ACK_OK);
	return v;
}

static void ap_wr(struct vb *vb, unsigned reg, uint32_t v)
{
	assert_int_equal(vb_host_write(vb, true, reg, v), VB_ACK_OK);
}

/* An AP read: what it returns (the previous AP read's result). */
static uint32_t ap_rd_posted(struct vb *vb, unsigned reg)
{
	uint32_t v = 0;

	assert_int_equal(vb_host_read(vb, true, reg, &v), VB_ACK_OK);
	return v;
}

/* An AP read and the RDBUFF read that fetches its result. */
static uint32_t ap_rd(struct vb *vb, unsigned reg)
{
	ap_rd_posted(vb, reg);
	return dp_rd(vb, VB_DP_RDBUFF);
}

static uint32_t sram32(struct vb *vb, uint32_t off)
{
	uint32_t v;

	memcpy(&v, vb->sram + off, 4);
	return v;
}

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
