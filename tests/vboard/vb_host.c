// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A tiny SWD host for the tests: bit-banging through vb_drive and vb_sense,
 * cycle for cycle as OpenOCD 0.12's bitbang driver over linuxgpiod.
 */
#include "vb_host.h"

/* SWDIO as an output, high: how linuxgpiod re-requests the line. */
static void drive(struct vb *vb)
{
	if (vb->host[VB_SWDIO] < 0)
		vb_drive(vb, VB_SWDIO, 1);
}

static void release(struct vb *vb)
{
	if (vb->host[VB_SWDIO] >= 0)
		vb_drive(vb, VB_SWDIO, -1);
}

/* swd_write(clk, dio): SWDIO first, then SWCLK, each only if it changes. */
static void write_pins(struct vb *vb, int clk, int dio)
{
	if (dio >= 0 && vb->host[VB_SWDIO] >= 0 && vb->host[VB_SWDIO] != dio)
		vb_drive(vb, VB_SWDIO, dio);
	if (vb->host[VB_SWCLK] != clk)
		vb_drive(vb, VB_SWCLK, clk);
}

uint8_t vb_host_request(bool apndp, bool rnw, unsigned addr)
{
	unsigned body =
		(unsigned)apndp | (unsigned)rnw << 1 | ((addr >> 2) & 3) << 2;

	return (uint8_t)(0x81 | body << 1 |
			 (unsigned)__builtin_parity(body) << 5);
}

void vb_host_bits(struct vb *vb, uint64_t bits, unsigned n)
{
	drive(vb);
	for (unsigned i = 0; i < n; i++) {
		int b = i < 64 ? (int)((bits >> i) & 1) : 0;

		write_pins(vb, 0, b);
		write_pins(vb, 1, b);
	}
}

uint64_t vb_host_sample(struct vb *vb, unsigned n)
{
	uint64_t v = 0;

	release(vb);
	for (unsigned i = 0; i < n; i++) {
		write_pins(vb, 0, -1);
		if (vb_sense(vb, VB_SWDIO) && i < 64)
			v |= 1ull << i;
		write_pins(vb, 1, -1);
	}
	return v;
}

void vb_host_idle(struct vb *vb, unsigned n)
{
	vb_host_bits(vb, 0, n);
}

void vb_host_line_reset(struct vb *vb)
{
	vb_host_bits(vb, (1ull << 56) - 1, 56);
	vb_host_idle(vb, 8);
}

void vb_host_jtag_to_swd(struct vb *vb)
{
	vb_host_bits(vb, (1ull << 56) - 1, 56);
	vb_host_bits(vb, 0xE79E, 16);
	vb_host_line_reset(vb);
}

static unsigned parity32(uint32_t v)
{
	return (unsigned)__builtin_parity(v);
}

int vb_host_xfer(struct vb *vb, uint8_t req, uint32_t *data, unsigned flags)
{
	bool rnw = req & 0x04;
	uint64_t d;
	int ack;

	vb_host_bits(vb, req, 8);
	vb_host_sample(vb, 1); /* turnaround */
	ack = (int)vb_host_sample(vb, 3);
	if (rnw) {
		if (ack == VB_ACK_OK || !(flags & VB_HOST_NO_DATA)) {
			d = vb_host_sample(vb, 33);
			if (ack == VB_ACK_OK) {
				*data = (uint32_t)d;
				if (parity32(*data) != ((d >> 32) & 1))
					ack = VB_HOST_PARITY;
			}
		}
		vb_host_sample(vb, 1); /* turnaround */
		drive(vb);
		return ack;
	}
	vb_host_sample(vb, 1); /* turnaround */
	drive(vb);
	if (ack == VB_ACK_OK || !(flags & VB_HOST_NO_DATA)) {
		d = *data | (uint64_t)parity32(*data) << 32;
		if (flags & VB_HOST_BAD_PARITY)
			d ^= 1ull << 32;
		vb_host_bits(vb, d, 33);
	}
	return ack;
}

int vb_host_read(struct vb *vb, bool apndp, unsigned addr, uint32_t *val)
{
	return vb_host_xfer(vb, vb_host_request(apndp, true, addr), val, 0);
}

int vb_host_write(struct vb *vb, bool apndp, unsigned addr, uint32_t val)
{
	return vb_host_xfer(vb, vb_host_request(apndp, false, addr), &val, 0);
}

static void clear_sticky(struct vb *vb)
{
	vb_host_write(vb, false, VB_DP_ABORT, VB_ABORT_ALL);
}

int vb_host_read_retry(struct vb *vb, bool apndp, unsigned addr, uint32_t *val)
{
	int ack = VB_ACK_WAIT;

	for (int i = 0; i < VB_HOST_WAIT_TRIES && ack == VB_ACK_WAIT; i++) {
		ack = vb_host_read(vb, apndp, addr, val);
		if (ack == VB_ACK_WAIT)
			clear_sticky(vb);
	}
	return ack;
}

int vb_host_write_retry(struct vb *vb, bool apndp, unsigned addr, uint32_t val)
{
	int ack = VB_ACK_WAIT;

	for (int i = 0; i < VB_HOST_WAIT_TRIES && ack == VB_ACK_WAIT; i++) {
		ack = vb_host_write(vb, apndp, addr, val);
		if (ack == VB_ACK_WAIT)
			clear_sticky(vb);
	}
	return ack;
}

int vb_host_connect(struct vb *vb, uint32_t *dpidr)
{
	const uint32_t pwr = VB_CSYSPWRUPREQ | VB_CDBGPWRUPREQ;
	const uint32_t acks = VB_CSYSPWRUPACK | VB_CDBGPWRUPACK;
	uint32_t id = 0, ctrl = 0;
	int ack;

	vb_host_jtag_to_swd(vb);
	ack = vb_host_read(vb, false, VB_DP_DPIDR, &id);
	if (ack != VB_ACK_OK)
		return ack;
	if (dpidr)
		*dpidr = id;
	ack = vb_host_write(vb, false, VB_DP_ABORT, VB_ABORT_ALL);
	if (ack == VB_ACK_OK)
		ack = vb_host_write(vb, false, VB_DP_CTRL, pwr);
	for (int i = 0; ack == VB_ACK_OK && (ctrl & acks) != acks; i++) {
		if (i == 100)
			return VB_ACK_WAIT;
		ack = vb_host_read(vb, false, VB_DP_CTRL, &ctrl);
	}
	if (ack == VB_ACK_OK)
		ack = vb_host_write(vb, false, VB_DP_CTRL, pwr | VB_ORUNDETECT);
	if (ack == VB_ACK_OK)
		ack = vb_host_write(vb, false, VB_DP_SELECT, 0);
	vb_host_idle(vb, 8);
	return ack;
}

/* SELECT AP 0 bank 0, CSW 32-bit single increment, TAR. */
static int mem_setup(struct vb *vb, uint32_t addr)
{
	int ack = vb_host_write_retry(vb, false, VB_DP_SELECT, 0);

	if (ack == VB_ACK_OK)
		ack = vb_host_write_retry(vb, true, VB_AP_CSW,
					  VB_CSW_DEFAULT | VB_CSW_INC_SINGLE |
						  VB_CSW_32);
	if (ack == VB_ACK_OK)
		ack = vb_host_write_retry(vb, true, VB_AP_TAR, addr);
	return ack;
}

int vb_host_mem_read32(struct vb *vb, uint32_t addr, uint32_t *val)
{
	uint32_t posted;
	int ack = mem_setup(vb, addr);

	if (ack == VB_ACK_OK)
		ack = vb_host_read_retry(vb, true, VB_AP_DRW, &posted);
	if (ack == VB_ACK_OK)
		ack = vb_host_read_retry(vb, false, VB_DP_RDBUFF, val);
	vb_host_idle(vb, 8);
	return ack;
}

int vb_host_mem_write32(struct vb *vb, uint32_t addr, uint32_t val)
{
	uint32_t ignored;
	int ack = mem_setup(vb, addr);

	if (ack == VB_ACK_OK)
		ack = vb_host_write_retry(vb, true, VB_AP_DRW, val);
	if (ack == VB_ACK_OK)
		ack = vb_host_read_retry(vb, false, VB_DP_RDBUFF, &ignored);
	vb_host_idle(vb, 8);
	return ack;
}
