/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_LDR_H
#define UB_LDR_H

/*
 * What every loader needs on the target's side (Cortex-M3, Thumb-2, no
 * libc): the entry point and the way back to the host. Built with
 * -DUB_LDR_TARGET, so that ub/loader.h gives the parameter blocks only.
 */
#include <stdint.h>

#include "ub/loader.h"

/* The entry: first in the image (loader.ld puts .text.entry first). */
#define UB_LDR_ENTRY \
	__attribute__((section(".text.entry"), used, noreturn)) void

/* Stop at BKPT #0 with status in r0; resumed, it stops again. */
static inline __attribute__((noreturn)) void ub_ldr_exit(uint32_t status)
{
	register uint32_t r0 __asm__("r0") = status;

	for (;;)
		__asm__ volatile("bkpt #0" : : "r"(r0) : "memory");
}

/* Interrupts the firmware left enabled stay out of the loader's way. */
static inline void ub_ldr_mask_irqs(void)
{
	__asm__ volatile("cpsid i" : : : "memory");
}

#endif
