/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_SWD_TEST_UTIL_H
#define VB_SWD_TEST_UTIL_H

/*
 * Helpers for the virtual board's debug port tests (tests/test_vb_swd*.c;
 * include after cmocka.h): a board, and DP/AP accesses bit by bit
 * through vb_host_*.
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
static inline struct vb *board(const char *const *set, size_t n)
{
	char err[256] = "";
	struct vb *vb = vb_new(set, n, NULL, err, sizeof(err));

	if (!vb)
		fail_msg("vb_new: %s", err);
	vb_drive(vb, VB_NRST, 0);
	return vb;
}

static inline void done(struct vb *vb)
{
	char err[256] = "";

	if (vb_close(vb, err, sizeof(err)))
		fail_msg("vb_close: %s", err);
}

static inline struct vb *connected(const char *const *set, size_t n)
{
	struct vb *vb = board(set, n);
	uint32_t id = 0;

	assert_int_equal(vb_host_connect(vb, &id), VB_ACK_OK);
	assert_int_equal(id, VB_DPIDR_CM3);
	return vb;
}

static inline void dp_wr(struct vb *vb, unsigned addr, uint32_t v)
{
	assert_int_equal(vb_host_write(vb, false, addr, v), VB_ACK_OK);
}

static inline uint32_t dp_rd(struct vb *vb, unsigned addr)
{
	uint32_t v = 0;

	assert_int_equal(vb_host_read(vb, false, addr, &v), VB_ACK_OK);
	return v;
}

static inline void ap_wr(struct vb *vb, unsigned reg, uint32_t v)
{
	assert_int_equal(vb_host_write(vb, true, reg, v), VB_ACK_OK);
}

/* An AP read: what it returns (the previous AP read's result). */
static inline uint32_t ap_rd_posted(struct vb *vb, unsigned reg)
{
	uint32_t v = 0;

	assert_int_equal(vb_host_read(vb, true, reg, &v), VB_ACK_OK);
	return v;
}

/* An AP read and the RDBUFF read that fetches its result. */
static inline uint32_t ap_rd(struct vb *vb, unsigned reg)
{
	ap_rd_posted(vb, reg);
	return dp_rd(vb, VB_DP_RDBUFF);
}

static inline uint32_t sram32(struct vb *vb, uint32_t off)
{
	uint32_t v;

	memcpy(&v, vb->sram + off, 4);
	return v;
}

#endif /* VB_SWD_TEST_UTIL_H */
