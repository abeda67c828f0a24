// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The STM32F1 flash loader (RM0008 §3.3.3, PM0075 §2.3.3): programs the
 * buffers the host fills, in turn, halfword by halfword, skipping 0xFFFF.
 * The handshake is in ub/loader.h (struct ub_ldr_flash). The loop between
 * two halfwords is kept short, since the flash waits for it: the error
 * flags are looked at once a buffer, and on an error the first halfword
 * that does not hold its data is the one reported.
 */
#include "ldr.h"

#define SR	    (0x0C / 4)
#define CR	    (0x10 / 4)
#define SR_BSY	    0x01u
#define SR_PGERR    0x04u
#define SR_WRPRTERR 0x10u
#define SR_EOP	    0x20u
#define CR_PG	    0x01u

static uint32_t failed(volatile struct ub_ldr_flash *p, const uint16_t *src,
		       volatile uint16_t *dst, uint32_t n, uint32_t sr)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (src[i] != 0xFFFF && dst[i] != src[i])
			break;
	p->err_addr = (uint32_t)&dst[i < n ? i : 0];
	p->err_sr = sr;
	return sr & SR_WRPRTERR ? UB_LDR_WRPRTERR : UB_LDR_PGERR;
}

static uint32_t program(volatile struct ub_ldr_flash *p,
			volatile struct ub_ldr_buf *b)
{
	volatile uint32_t *fpec = (volatile uint32_t *)p->fpec;
	const uint16_t *src = (const uint16_t *)b->data, *s = src;
	volatile uint16_t *dst = (volatile uint16_t *)b->addr, *d = dst;
	const uint16_t *end = src + b->len / 2;
	uint32_t sr;

	fpec[SR] = SR_PGERR | SR_WRPRTERR | SR_EOP; /* none left from before */
	fpec[CR] = CR_PG;
	for (; s != end; s++, d++) {
		uint16_t v = *s;

		if (v == 0xFFFF)
			continue;
		*d = v;
		while (fpec[SR] & SR_BSY)
			;
	}
	sr = fpec[SR];
	fpec[SR] = SR_PGERR | SR_WRPRTERR | SR_EOP;
	fpec[CR] = 0;
	if (sr & (SR_PGERR | SR_WRPRTERR))
		return failed(p, src, dst, b->len / 2, sr);
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
