/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_LDR_UART_PRIV_H
#define UB_LDR_UART_PRIV_H

/*
 * What ldr_uart.c (the monitor's frames, loading it through the ROM, the
 * baud switch), ldr_uart_boot.c (loading it through the first stage) and
 * ldr_uart_ops.c (the monitor's operations) share.
 */
#include <time.h>

#include "ub/ldr_uart.h"

/* A pause of the host's (nanosleep, restarted when interrupted). */
static inline void ub_ldru_sleep_us(unsigned us)
{
	struct timespec ts = {us / 1000000, (long)(us % 1000000) * 1000};

	while (nanosleep(&ts, &ts))
		;
}

/* The host's monotonic clock, ms. */
static inline double ub_ldru_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Little-endian words, as the frames carry them. */
static inline void ub_ldru_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline uint32_t ub_ldru_get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The monitor's rates, fastest first (ub_ldru_speed_up). */
#define UB_LDRU_NRATES 2
extern const uint32_t ub_ldru_rates[UB_LDRU_NRATES];

/*
 * Set m up for the RAM [ram_base, ram_base + ram_size) (m->reply_ms kept
 * when set) and lay the monitor out in it: its parameters in *p, its image
 * as the ROM would write it at m->base (vector, parameters, code) in *img
 * (n bytes, malloc'd). UB_EUNSUPPORTED when it does not fit.
 */
int ub_ldru_prepare(struct ub_ldru *m, struct ub_an3155 *bl, uint32_t ram_base,
		    uint32_t ram_size, struct ub_ldru_params *p, uint8_t **img,
		    uint32_t *n);

/* The monitor's PING answer: this unbrick's monitor, its code intact. */
int ub_ldru_check_info(struct ub_ldru *m, const struct ub_ldru_info *in);

#endif
