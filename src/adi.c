// SPDX-License-Identifier: GPL-2.0-or-later
/* ARM ADIv5 debug port and AHB-AP over an SWD engine. */
#include <string.h>

#include "ub/adi.h"
#include "ub/err.h"
#include "ub/log.h"

/* CTRL/STAT */
#define CSYSPWRUPACK (1u << 31)
#define CSYSPWRUPREQ (1u << 30)
#define CDBGPWRUPACK (1u << 29)
#define CDBGPWRUPREQ (1u << 28)

/* CSW: DbgSwEnable, Prot (HPROT data, privileged), size, increment */
#define CSW_BASE     0x23000040u
#define CSW_SIZE8    0x0u
#define CSW_SIZE16   0x1u
#define CSW_SIZE32   0x2u
#define CSW_INC_SING 0x10u

#define TAR_WRAP     1024u
#define READ_RETRIES 3
#define POWER_WAIT   100

static int select_for(struct ub_dap *d, uint32_t sel)
{
	int err;

	if (d->select_ok && d->select == sel)
		return 0;
	err = ub_swd_write(d->swd, UB_SWD_DP, UB_DP_SELECT, sel);
	d->select_ok = !err;
	d->select = sel;
	return err;
}

int ub_dap_dp_read(struct ub_dap *d, unsigned reg, uint32_t *val)
{
	return ub_swd_read(d->swd, UB_SWD_DP, reg, val);
}

int ub_dap_dp_write(struct ub_dap *d, unsigned reg, uint32_t val)
{
	if (reg == UB_DP_SELECT)
		d->select_ok = 0;
	return ub_swd_write(d->swd, UB_SWD_DP, reg, val);
}

/* AP reads are posted: the value comes with the next read of RDBUFF. */
int ub_dap_ap_read(struct ub_dap *d, unsigned reg, uint32_t *val)
{
	int err = select_for(d, reg & 0xF0);

	if (!err)
		err = ub_swd_read(d->swd, UB_SWD_AP, reg & 0xC, val);
	if (!err)
		err = ub_swd_read(d->swd, UB_SWD_DP, UB_DP_RDBUFF, val);
	return err;
}

int ub_dap_ap_write(struct ub_dap *d, unsigned reg, uint32_t val)
{
	int err = select_for(d, reg & 0xF0);

	if (!err)
		err = ub_swd_write(d->swd, UB_SWD_AP, reg & 0xC, val);
	return err;
}

static int set_csw(struct ub_dap *d, uint32_t csw)
{
	int err;

	if (d->csw_ok && d->csw == csw)
		return 0;
	err = ub_dap_ap_write(d, UB_AP_CSW, csw);
	d->csw_ok = !err;
	d->csw = csw;
	return err;
}

static int diagnose(struct ub_dap *d, int err)
{
	if (err == UB_ENOTARGET)
		return ub_fail(UB_ENOTARGET,
			       "no SWD target answers: check that the board "
			       "is powered, GND is shared, and SWDIO and SWCLK "
			       "are not swapped; if its firmware turns SWD "
			       "off, connect under reset (NRST wired)");
	(void)d;
	return err;
}

int ub_dap_connect(struct ub_dap *d, struct ub_swd *swd)
{
	uint32_t ctrl = 0;
	int err;

	memset(d, 0, sizeof(*d));
	d->swd = swd;
	err = ub_swd_switch(swd);
	if (!err)
		err = ub_dap_dp_read(d, UB_DP_DPIDR, &d->dpidr);
	if (err)
		return diagnose(d, err);
	if (!d->dpidr || d->dpidr == 0xFFFFFFFF || !(d->dpidr & 1))
		return ub_fail(UB_EPROTO,
			       "the debug port's ID 0x%08X is not an ARM "
			       "one: noise on SWDIO? Check the wires and GND",
			       d->dpidr);
	ub_info("SW-DP DPIDR 0x%08X", d->dpidr);
	err = ub_dap_dp_write(d, UB_DP_ABORT, UB_ABORT_ALL);
	if (!err)
		err = ub_dap_dp_write(d, UB_DP_SELECT, 0);
	if (!err)
		err = ub_dap_dp_write(d, UB_DP_CTRL,
				      CSYSPWRUPREQ | CDBGPWRUPREQ);
	for (int i = 0; !err && i < POWER_WAIT; i++) {
		err = ub_dap_dp_read(d, UB_DP_CTRL, &ctrl);
		if ((ctrl & (CSYSPWRUPACK | CDBGPWRUPACK)) ==
		    (CSYSPWRUPACK | CDBGPWRUPACK))
			break;
	}
	if (err)
		return err;
	if ((ctrl & (CSYSPWRUPACK | CDBGPWRUPACK)) !=
	    (CSYSPWRUPACK | CDBGPWRUPACK))
		return ub_fail(UB_ENOTARGET,
			       "the debug port does not power up (CTRL/STAT "
			       "0x%08X): is the target's supply on?",
			       ctrl);
	err = ub_dap_ap_read(d, UB_AP_IDR, &d->apidr);
	if (!err && !d->apidr)
		err = ub_fail(UB_EPROTO, "no memory access port on AP 0");
	return err;
}

int ub_dap_read32(struct ub_dap *d, uint32_t addr, uint32_t *val)
{
	int err = set_csw(d, CSW_BASE | CSW_SIZE32 | CSW_INC_SING);

	if (!err)
		err = ub_dap_ap_write(d, UB_AP_TAR, addr);
	if (!err)
		err = ub_dap_ap_read(d, UB_AP_DRW, val);
	return err;
}

int ub_dap_write32(struct ub_dap *d, uint32_t addr, uint32_t val)
{
	int err = set_csw(d, CSW_BASE | CSW_SIZE32 | CSW_INC_SING);

	if (!err)
		err = ub_dap_ap_write(d, UB_AP_TAR, addr);
	if (!err)
		err = ub_dap_ap_write(d, UB_AP_DRW, val);
	return err;
}

/* Sub-word accesses put their data on the byte lanes of the address. */
static int access_small(struct ub_dap *d, uint32_t addr, unsigned size,
			uint32_t *val, int write)
{
	unsigned shift = 8 * (addr & 3);
	int err = set_csw(d, CSW_BASE | CSW_INC_SING |
				     (size == 2 ? CSW_SIZE16 : CSW_SIZE8));

	if (!err)
		err = ub_dap_ap_write(d, UB_AP_TAR, addr);
	if (err)
		return err;
	if (write)
		return ub_dap_ap_write(d, UB_AP_DRW, *val << shift);
	err = ub_dap_ap_read(d, UB_AP_DRW, val);
	*val = (*val >> shift) & (size == 2 ? 0xFFFF : 0xFF);
	return err;
}

int ub_dap_write16(struct ub_dap *d, uint32_t addr, uint16_t val)
{
	uint32_t v = val;

	return access_small(d, addr, 2, &v, 1);
}

/* Words within one 1 KB TAR window, reads pipelined through RDBUFF. */
static int read_words(struct ub_dap *d, uint32_t addr, uint8_t *buf, size_t n)
{
	uint32_t v;
	int err = set_csw(d, CSW_BASE | CSW_SIZE32 | CSW_INC_SING);

	if (!err)
		err = ub_dap_ap_write(d, UB_AP_TAR, addr);
	if (!err)
		err = select_for(d, UB_AP_DRW & 0xF0);
	if (!err)
		err = ub_swd_read(d->swd, UB_SWD_AP, UB_AP_DRW, &v);
	for (size_t i = 1; !err && i < n; i++) {
		err = ub_swd_read(d->swd, UB_SWD_AP, UB_AP_DRW, &v);
		memcpy(buf + 4 * (i - 1), &v, 4);
	}
	if (!err)
		err = ub_swd_read(d->swd, UB_SWD_DP, UB_DP_RDBUFF, &v);
	if (!err)
		memcpy(buf + 4 * (n - 1), &v, 4);
	return err;
}

static int write_words(struct ub_dap *d, uint32_t addr, const uint8_t *buf,
		       size_t n)
{
	uint32_t v;
	int err = set_csw(d, CSW_BASE | CSW_SIZE32 | CSW_INC_SING);

	if (!err)
		err = ub_dap_ap_write(d, UB_AP_TAR, addr);
	for (size_t i = 0; !err && i < n; i++) {
		memcpy(&v, buf + 4 * i, 4);
		err = ub_swd_write(d->swd, UB_SWD_AP, UB_AP_DRW, v);
	}
	return err;
}

/* Walk a range: bytes up to alignment, words per TAR window, bytes after. */
static int walk(struct ub_dap *d, uint32_t addr, uint8_t *buf, size_t len,
		int write)
{
	int err = 0;

	while (!err && len) {
		size_t room = TAR_WRAP - (addr & (TAR_WRAP - 1)), n;

		if ((addr & 3) || len < 4) {
			uint32_t v = *buf;

			err = access_small(d, addr, 1, &v, write);
			if (!write)
				*buf = (uint8_t)v;
			n = 1;
		} else {
			n = (len < room ? len : room) / 4;
			err = write ? write_words(d, addr, buf, n)
				    : read_words(d, addr, buf, n);
			/* a read can be done again: retry after a FAULT */
			for (int i = 0;
			     !write && err == UB_EPROTO && i < READ_RETRIES;
			     i++) {
				d->csw_ok = 0;
				err = read_words(d, addr, buf, n);
			}
			n *= 4;
		}
		addr += (uint32_t)n;
		buf += n;
		len -= n;
	}
	return err;
}

int ub_dap_write16_block(struct ub_dap *d, uint32_t addr, const uint16_t *v,
			 size_t n)
{
	int err = set_csw(d, CSW_BASE | CSW_SIZE16 | CSW_INC_SING);

	for (size_t i = 0; !err && i < n; i++, addr += 2) {
		if (!i || !(addr & (TAR_WRAP - 1)))
			err = ub_dap_ap_write(d, UB_AP_TAR, addr);
		if (!err)
			err = ub_swd_write(d->swd, UB_SWD_AP, UB_AP_DRW,
					   (uint32_t)v[i] << (8 * (addr & 2)));
	}
	return err;
}

int ub_dap_read(struct ub_dap *d, uint32_t addr, void *buf, size_t len)
{
	return walk(d, addr, buf, len, 0);
}

int ub_dap_write(struct ub_dap *d, uint32_t addr, const void *buf, size_t len)
{
	return walk(d, addr, (uint8_t *)buf, len, 1);
}
