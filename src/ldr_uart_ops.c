// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the host asks of the UART monitor (ub/ldr_uart.h): memory reads,
 * CRCs, RAM writes, flash programs and erases as queued jobs, waiting for
 * them, leaving. The frames and their repeats are in ldr_uart.c.
 */
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "ldr_uart_priv.h"
#include "ub/err.h"
#include "ub/ldr_uart.h"
#include "ub/serial.h"

#define FIRST_JOB 256u /* bytes of the first flash job: the flash starts */
#define PROG_US	  70u  /* a halfword at most (DS5319 tPROG) */
#define PAGE_MS	  40u  /* a page or mass erase at most (tERASE, tME) */
#define CRC_KB_MS 1u   /* the monitor's CRC: over 1 KB a ms */

int ub_ldru_read(struct ub_ldru *m, uint32_t addr, void *buf, size_t len)
{
	uint8_t *p = buf, arg[8];
	int err = 0;

	for (size_t off = 0, n; !err && off < len; off += n) {
		n = len - off < ub_ldru_frame(m) ? len - off : ub_ldru_frame(m);

		ub_ldru_put32(arg, addr + (uint32_t)off);
		ub_ldru_put32(arg + 4, (uint32_t)n);
		err = ub_ldru_call(m, UB_LDRU_READ, arg, 8, NULL, 0, p + off, n,
				   NULL, 1, NULL);
	}
	return err;
}

int ub_ldru_write_ram(struct ub_ldru *m, uint32_t addr, const void *buf,
		      size_t len)
{
	const uint8_t *p = buf;
	uint8_t arg[4];
	int err = 0;

	for (size_t off = 0, n; !err && off < len; off += n) {
		n = len - off < ub_ldru_frame(m) - 4 ? len - off
						     : ub_ldru_frame(m) - 4;

		ub_ldru_put32(arg, addr + (uint32_t)off);
		err = ub_ldru_call(m, UB_LDRU_WRITE, arg, 4, p + off, n, NULL,
				   0, NULL, 1, NULL);
	}
	return err;
}

int ub_ldru_crc32(struct ub_ldru *m, uint32_t addr, uint32_t len,
		  uint32_t block, uint32_t *crc)
{
	uint32_t per = block ? m->buf_size / 4 * block : len;
	uint8_t arg[12];
	int err = 0;

	for (uint32_t off = 0; !err && off < len; off += per) {
		uint32_t n = len - off < per ? len - off : per;
		uint32_t k = block ? (n + block - 1) / block : 1;

		ub_ldru_put32(arg, addr + off);
		ub_ldru_put32(arg + 4, n);
		ub_ldru_put32(arg + 8, block);
		err = ub_ldru_call(m, UB_LDRU_CRC, arg, 12, NULL, 0, crc, k * 4,
				   NULL, 5 + n / 1024 / CRC_KB_MS, NULL);
		crc += k;
	}
	return err;
}

/* A failed job, as the monitor told it. */
static int job_error(const struct ub_ldru_state *s)
{
	if (s->status == UB_LDR_WRPRTERR)
		return ub_fail(UB_EPROTECTED,
			       "the flash at 0x%08X is write-protected "
			       "(FLASH_SR 0x%02X): 'unbrick unprotect' first",
			       s->err_addr, s->err_sr);
	if (s->cmd == UB_LDRU_ERASE)
		return ub_fail(UB_EIO,
			       "erasing the flash page at 0x%08X failed "
			       "(FLASH_SR 0x%02X)",
			       s->err_addr, s->err_sr);
	if (s->cmd == UB_LDRU_FLASH)
		return ub_fail(UB_EIO,
			       "programming the flash failed at 0x%08X "
			       "(FLASH_SR 0x%02X): it was not erased",
			       s->err_addr, s->err_sr);
	if (s->status == UB_LDR_SPI_BUSY)
		return ub_fail(UB_ETIMEOUT,
			       "the SPI flash stayed busy at 0x%06X (status "
			       "0x%02X): a chip that hangs, or no chip",
			       s->err_addr, s->err_sr);
	return ub_fail(UB_EIO, "the UART loader's job 0x%02X failed (%u)",
		       s->cmd, s->status);
}

int ub_ldru_wait(struct ub_ldru *m, unsigned poll_us, unsigned timeout_ms,
		 struct ub_ldru_state *st)
{
	uint8_t arg[4];
	uint64_t slept = 0;
	int err;

	ub_ldru_put32(arg, UB_LDRU_CLEAR);
	for (;;) {
		err = ub_ldru_call(m, UB_LDRU_STATUS, arg, 4, NULL, 0, st,
				   sizeof(*st), NULL, 1, NULL);
		if (err || !st->pending)
			break;
		if (slept / 1000 > timeout_ms)
			return ub_fail(UB_ETIMEOUT,
				       "the UART loader is still busy after "
				       "%u ms (%u jobs left)",
				       timeout_ms, st->pending);
		ub_ldru_sleep_us(poll_us);
		slept += poll_us;
	}
	if (!err && st->status)
		err = job_error(st);
	return err;
}

/* A job, or the failure of an earlier one. */
static int job(struct ub_ldru *m, uint8_t cmd, const void *head, size_t nhead,
	       const void *data, size_t ndata, unsigned work_ms)
{
	struct ub_ldru_state st;
	uint8_t status = 0;
	int err = ub_ldru_call(m, cmd, head, nhead, data, ndata, NULL, 0, NULL,
			       work_ms, &status);

	if (!err && status == UB_LDRU_EJOB) {
		err = ub_ldru_wait(m, 1000, 1000, &st);
		if (!err) /* refused, yet nothing failed: cannot be */
			err = ub_fail(UB_EPROTO, "the UART loader refused a "
						 "job for no reason it says");
	}
	return err;
}

int ub_ldru_program(struct ub_ldru *m, uint32_t addr, const uint8_t *buf,
		    size_t len)
{
	size_t pos = 0, off, n, max = FIRST_JOB, full = m->buf_size - 4;
	struct ub_ldru_state st;
	uint8_t arg[4];
	int err = 0;

	if ((addr | len) & 1)
		return ub_fail(UB_EINVAL, "odd flash address or length");
	while (!err && ub_ldr_next_job(buf, len, &pos, max, &off, &n)) {
		ub_ldru_put32(arg, addr + (uint32_t)off);
		/* its answer may wait for the two jobs before it */
		err = job(m, UB_LDRU_FLASH, arg, 4, buf + off, n,
			  (unsigned)(full * PROG_US / 1000 + 1));
		/* grow to what the link takes (less after frames lost) */
		max = max * 2 < ub_ldru_frame(m) - 4 ? max * 2
						     : ub_ldru_frame(m) - 4;
	}
	if (!err)
		err = ub_ldru_wait(m, 1000,
				   1000 + (unsigned)(len / 2) * PROG_US / 1000,
				   &st);
	return err;
}

int ub_ldru_erase(struct ub_ldru *m, uint32_t addr, uint32_t pages,
		  uint32_t page_size)
{
	struct ub_ldru_state st;
	uint8_t arg[12];
	int err;

	ub_ldru_put32(arg, addr);
	ub_ldru_put32(arg + 4, pages);
	ub_ldru_put32(arg + 8, page_size);
	err = job(m, UB_LDRU_ERASE, arg, 12, NULL, 0, 1);
	if (!err)
		err = ub_ldru_wait(m, 5000,
				   1000 + (pages ? pages : 1) * PAGE_MS, &st);
	return err;
}

int ub_ldru_go(struct ub_ldru *m, uint32_t addr)
{
	uint8_t arg[4];
	int err;

	ub_ldru_put32(arg, addr);
	err = ub_ldru_call(m, UB_LDRU_GO, arg, 4, NULL, 0, NULL, 0, NULL, 1,
			   NULL);
	m->up = false;
	if (!err && m->ser->baud != m->rom_baud)
		err = ub_serial_set_baud(m->ser, m->rom_baud);
	return err;
}

int ub_ldru_reset(struct ub_ldru *m)
{
	int err = ub_ldru_call(m, UB_LDRU_RESET, NULL, 0, NULL, 0, NULL, 0,
			       NULL, 1, NULL);

	m->up = false;
	if (!err && m->ser->baud != m->rom_baud)
		err = ub_serial_set_baud(m->ser, m->rom_baud);
	return err;
}
