/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_LDR_FLASH_CORE_H
#define UB_LDR_FLASH_CORE_H

/*
 * The STM32F1 flash controller (FPEC, RM0008 rev 21 §3.3.3-3.3.5, PM0075
 * §2.3.3-2.3.5) on the target: programming halfword by halfword (0xFFFF
 * skipped), page and mass erase, unlocking. Shared by the loaders that
 * include it: flash_f1.c over SWD and the UART monitor uart_f1.c. Static
 * functions only; each loader keeps what it calls.
 *
 * The busy waits call LDR_IDLE(ctx) between two looks at FLASH_SR, so a
 * loader that has other work (the monitor receiving the next frame) does
 * it while the flash is busy; defined empty unless the loader defines it
 * before including this. The loop between two halfwords is kept short,
 * since the flash waits for it: the error flags are looked at once a
 * buffer, and on an error the first halfword that does not hold its data
 * is the one reported.
 */
#include <stdint.h>

#ifndef LDR_IDLE
#define LDR_IDLE(ctx) ((void)(ctx))
#endif

/* FPEC registers (word index from its base) and bits */
#define FPEC_KEYR	 (0x04 / 4)
#define FPEC_SR		 (0x0C / 4)
#define FPEC_CR		 (0x10 / 4)
#define FPEC_AR		 (0x14 / 4)
#define FPEC_SR_BSY	 0x01u
#define FPEC_SR_PGERR	 0x04u
#define FPEC_SR_WRPRTERR 0x10u
#define FPEC_SR_EOP	 0x20u
#define FPEC_SR_ERR	 (FPEC_SR_PGERR | FPEC_SR_WRPRTERR)
#define FPEC_CR_PG	 0x01u
#define FPEC_CR_PER	 0x02u
#define FPEC_CR_MER	 0x04u
#define FPEC_CR_STRT	 0x40u
#define FPEC_CR_LOCK	 0x80u
#define FPEC_KEY1	 0x45670123u
#define FPEC_KEY2	 0xCDEF89ABu

/* Where a flash operation failed. */
struct ldr_flash_err {
	uint32_t addr; /* the halfword or page */
	uint32_t sr;   /* FLASH_SR then */
};

/* Unlock the FPEC (the key sequence); 0 when it stays locked. */
__attribute__((unused)) static int ldr_flash_unlock(volatile uint32_t *fpec)
{
	if (fpec[FPEC_CR] & FPEC_CR_LOCK) {
		fpec[FPEC_KEYR] = FPEC_KEY1;
		fpec[FPEC_KEYR] = FPEC_KEY2;
	}
	return !(fpec[FPEC_CR] & FPEC_CR_LOCK);
}

static uint32_t ldr_flash_failed(const uint16_t *src, volatile uint16_t *dst,
				 uint32_t n, uint32_t sr,
				 struct ldr_flash_err *e)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (src[i] != 0xFFFF && dst[i] != src[i])
			break;
	e->addr = (uint32_t)&dst[i < n ? i : 0];
	e->sr = sr;
	return sr & FPEC_SR_WRPRTERR ? UB_LDR_WRPRTERR : UB_LDR_PGERR;
}

/*
 * Program n halfwords from src at dst (erased flash), skipping 0xFFFF: a
 * status (enum ub_ldr_status), *e saying where when it failed.
 */
__attribute__((unused)) static uint32_t
ldr_flash_program(volatile uint32_t *fpec, volatile uint16_t *dst,
		  const uint16_t *src, uint32_t n, struct ldr_flash_err *e,
		  void *ctx)
{
	const uint16_t *s = src, *end = src + n;
	volatile uint16_t *d = dst;
	uint32_t sr;

	(void)ctx;
	fpec[FPEC_SR] = FPEC_SR_ERR | FPEC_SR_EOP; /* none left from before */
	fpec[FPEC_CR] = FPEC_CR_PG;
	for (; s != end; s++, d++) {
		uint16_t v = *s;

		if (v == 0xFFFF)
			continue;
		*d = v;
		while (fpec[FPEC_SR] & FPEC_SR_BSY)
			LDR_IDLE(ctx);
	}
	sr = fpec[FPEC_SR];
	fpec[FPEC_SR] = FPEC_SR_ERR | FPEC_SR_EOP;
	fpec[FPEC_CR] = 0;
	if (sr & FPEC_SR_ERR)
		return ldr_flash_failed(src, dst, n, sr, e);
	return UB_LDR_OK;
}

/*
 * Erase the page holding addr, or the whole flash (mass: addr unused):
 * a status, *e saying where when it failed (a protected page).
 */
__attribute__((unused)) static uint32_t ldr_flash_erase(volatile uint32_t *fpec,
							uint32_t addr, int mass,
							struct ldr_flash_err *e,
							void *ctx)
{
	uint32_t cr = mass ? FPEC_CR_MER : FPEC_CR_PER, sr;

	(void)ctx;
	fpec[FPEC_SR] = FPEC_SR_ERR | FPEC_SR_EOP;
	fpec[FPEC_CR] = cr;
	if (!mass)
		fpec[FPEC_AR] = addr;
	fpec[FPEC_CR] = cr | FPEC_CR_STRT;
	while (fpec[FPEC_SR] & FPEC_SR_BSY)
		LDR_IDLE(ctx);
	sr = fpec[FPEC_SR];
	fpec[FPEC_SR] = FPEC_SR_ERR | FPEC_SR_EOP;
	fpec[FPEC_CR] = 0;
	if (!(sr & FPEC_SR_ERR))
		return UB_LDR_OK;
	e->addr = addr;
	e->sr = sr;
	return sr & FPEC_SR_WRPRTERR ? UB_LDR_WRPRTERR : UB_LDR_PGERR;
}

#endif
