// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SPI NOR loader over SWD: sets the STM32F1's SPI up and does the jobs
 * the host puts in the two buffers of its parameter block, in turn, until
 * it finds UB_LDR_END (the handshake of struct ub_ldr_spi, ub/loader.h).
 * The operations themselves are in spi_core.h.
 */
#include "spi_core.h"

static uint32_t stream(struct spi_ctx *x, volatile struct ub_ldr_spi *p)
{
	for (uint32_t n = 1;; n++) {
		volatile struct ub_ldr_spi_job *j = &p->job[n & 1];
		uint32_t seq, err;

		while ((seq = j->seq) != n && seq != (UB_LDR_END | n))
			;
		if (seq != n)
			return UB_LDR_OK;
		err = spi_job(x, j);
		if (err)
			return err;
		p->jobs = n;
	}
}

UB_LDR_ENTRY ub_ldr_spi_f1_entry(volatile struct ub_ldr_spi *p)
{
	struct spi_ctx x;
	uint32_t status;

	ub_ldr_mask_irqs();
	spi_begin(&x, p);
	status = stream(&x, p);
	p->status = status;
	ub_ldr_exit(status);
}
