// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The STM32F1 flash loader over SWD: programs the buffers the host fills,
 * in turn (the handshake of struct ub_ldr_flash, ub/loader.h). The
 * programming itself is in flash_core.h.
 */
#include "ldr.h"

#include "flash_core.h"

static uint32_t program(volatile struct ub_ldr_flash *p,
			volatile struct ub_ldr_buf *b)
{
	struct ldr_flash_err e;
	uint32_t st = ldr_flash_program(
		(volatile uint32_t *)p->fpec, (volatile uint16_t *)b->addr,
		(const uint16_t *)b->data, b->len / 2, &e, 0);

	if (st) {
		p->err_addr = e.addr;
		p->err_sr = e.sr;
		return st;
	}
	p->done += b->len;
	return UB_LDR_OK;
}

static uint32_t stream(volatile struct ub_ldr_flash *p)
{
	for (uint32_t n = 1;; n++) {
		volatile struct ub_ldr_buf *b = &p->buf[n & 1];
		uint32_t seq, err;

		while ((seq = b->seq) != n && seq != (UB_LDR_END | n))
			;
		if (seq != n)
			return UB_LDR_OK;
		err = (b->addr | b->len | b->data) & 1 ? UB_LDR_BADPARAM
						       : program(p, b);
		if (err)
			return err;
		p->jobs = n;
	}
}

UB_LDR_ENTRY ub_ldr_flash_f1_entry(struct ub_ldr_flash *p)
{
	uint32_t status;

	ub_ldr_mask_irqs();
	status = stream(p);
	p->status = status;
	ub_ldr_exit(status);
}
