// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Loading the UART monitor through its first stage (ub/ldr_uart.h, "The
 * first stage"; src/loader/uart_boot_f1.c). The F1's ROM bootloader talks
 * at 115200 baud at most (AN2606), and the monitor's 7 KB take it most of
 * a second; so the ROM takes only the stage, and the stage takes the
 * monitor in frames at the fast rate and starts it there.
 *
 * When nothing gets through at the fast rate (an adapter or wires that
 * cannot carry it), the stage goes back to the ROM's rate by itself after
 * UB_LDRU_BOOT_WAIT_MS without a good frame; the host waits that long and
 * sends the monitor at the ROM's rate, and the baud switch
 * (ub_ldru_speed_up) tries the slower rates after. No reset is needed, so
 * this works on a board whose NRST is not wired too. Frames that arrive
 * damaged are sent again, as with the monitor.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ldr_uart_priv.h"
#include "ub/an3155.h"
#include "ub/crc32.h"
#include "ub/err.h"
#include "ub/ldr_uart.h"
#include "ub/log.h"
#include "ub/serial.h"

#include "loader/uart_boot_f1_bin.h"

const struct ub_ldr_image ub_ldr_uart_boot_f1 = {
	.name = "UART first stage",
	.code = ub_ldr_uart_boot_f1_code,
	.size = UB_LDR_UART_BOOT_F1_SIZE,
	.entry = UB_LDR_UART_BOOT_F1_ENTRY,
};

#define FAST_TRIES 2 /* PINGs of the stage at the fast rate */
#define FAST_MS \
	100		/* an answer at it: a port that carries it needs
			   far less, and both tries end before the stage
			   gives up on the rate */
#define SLOW_TRIES 4	/* PINGs at the ROM's rate */
#define SETTLE_US  2000 /* after a rate change, before talking */
#define START_US   1000 /* BOOT to the monitor's first frame */
#define BOOT_TRIES 3
#define CHUNK	   (UB_LDRU_BOOT_MAX - 4)
/* the stage's CRC of the monitor, bit by bit: 50 ms at 8 MHz at worst */
#define WORK_MS 60

/* A rate above the ROM's and at most max (0: any) that the port takes,
 * and takes the ROM's back after: as ub_ldru_speed_up chooses. */
static bool port_takes(struct ub_ldru *m, uint32_t rate, uint32_t max)
{
	if ((max && rate > max) || rate <= m->rom_baud)
		return false;
	if (!ub_serial_set_baud(m->ser, rate) &&
	    !ub_serial_set_baud(m->ser, m->rom_baud))
		return true;
	ub_info("%s", ub_errmsg(UB_EUNSUPPORTED));
	ub_clear_error();
	ub_serial_set_baud(m->ser, m->rom_baud);
	return false;
}

static uint32_t fast_rate(struct ub_ldru *m, uint32_t max)
{
	for (size_t i = 0; i < UB_LDRU_NRATES; i++)
		if (port_takes(m, ub_ldru_rates[i], max))
			return ub_ldru_rates[i];
	return 0;
}

/* USART1's BRR for baud at pclk (RM0008 §27.3.4), rounded as the
 * monitor rounds it. */
static uint32_t brr(uint32_t pclk, uint32_t baud)
{
	return (pclk + baud / 2) / baud;
}

/*
 * The stage's image, in the monitor's buffers (free until it runs), its
 * stack (a frame) at the top of RAM: vector, parameters, code. NULL when
 * it does not fit (or no memory: the ROM loads the monitor then).
 */
static uint8_t *stage_image(const struct ub_ldru *m,
			    const struct ub_ldru_params *p, uint32_t n,
			    uint32_t rate, uint32_t *size)
{
	const struct ub_ldr_image *ldr = &ub_ldr_uart_boot_f1;
	struct ub_ldru_boot b;
	uint8_t *s;

	*size = UB_LDRU_BOOT_HEAD + ((ldr->size + 3) & ~3u);
	if (p->bufs + *size > p->hi - UB_LDRU_BOOT_STACK)
		return NULL;
	s = calloc(1, *size);
	if (!s)
		return NULL;
	memset(&b, 0, sizeof(b));
	b.brr_fast = brr(UB_LDRU_PCLK2, rate);
	b.brr_rom = brr(UB_LDRU_PCLK2, m->rom_baud);
	b.brr_hsi = brr(UB_LDRU_HSI, m->rom_baud);
	b.dest = m->base;
	b.len = n;
	ub_ldru_put32(s, p->hi);
	ub_ldru_put32(s + 4, p->bufs + UB_LDRU_BOOT_HEAD + ldr->entry + 1);
	memcpy(s + 8, &b, sizeof(b));
	memcpy(s + UB_LDRU_BOOT_HEAD, ldr->code, ldr->size);
	return s;
}

/* PING: 1 when the stage answers (a word), 2 when the monitor does
 * (m->info), else an error. */
static int who(struct ub_ldru *m, unsigned tries, unsigned reply_ms)
{
	uint8_t buf[sizeof(struct ub_ldru_info)];
	unsigned t = m->tries, r = m->reply_ms;
	size_t got = 0;
	int err;

	m->tries = tries;
	m->reply_ms = reply_ms;
	err = ub_ldru_call(m, UB_LDRU_PING, NULL, 0, NULL, 0, buf, sizeof(buf),
			   &got, 5, NULL);
	m->tries = t;
	m->reply_ms = r;
	if (err)
		return err;
	if (got == 4)
		return 1;
	if (got == sizeof(m->info) && ub_ldru_get32(buf) == UB_LDRU_MAGIC) {
		memcpy(&m->info, buf, got);
		return 2;
	}
	return ub_fail(UB_EPROTO,
		       "the UART loader's first stage answered, but not as "
		       "this unbrick's does: reset the board and try again");
}

static int send_monitor(struct ub_ldru *m, const uint8_t *img, uint32_t n)
{
	int err = 0;

	for (uint32_t off = 0; !err && off < n; off += CHUNK) {
		uint32_t k = n - off < CHUNK ? n - off : CHUNK;
		uint8_t a[4], w[4];

		ub_ldru_put32(a, m->base + off);
		err = ub_ldru_call(m, UB_LDRU_WRITE, a, 4, img + off, k, w, 4,
				   NULL, 1, NULL);
	}
	return err;
}

/*
 * BOOT, and PING whoever answers after it: the monitor, done; the stage,
 * which did not get BOOT, again. BOOT is sent once a time: its answer can
 * be lost while the monitor starts, and a repeat would reach the monitor.
 */
static int start_monitor(struct ub_ldru *m, uint32_t crc)
{
	unsigned t = m->tries;
	uint8_t want[4], got[4];
	int err;

	ub_ldru_put32(want, crc);
	for (unsigned i = 0; i < BOOT_TRIES; i++) {
		m->tries = 1;
		err = ub_ldru_call(m, UB_LDRU_BOOT, want, 4, NULL, 0, got, 4,
				   NULL, WORK_MS, NULL);
		m->tries = t;
		if (!err && ub_ldru_get32(got) != crc)
			return ub_fail(UB_EPROTO,
				       "the UART loader arrived damaged in RAM "
				       "(CRC 0x%08X, not 0x%08X): noise on the "
				       "TX/RX wires? Try again, or with "
				       "UNBRICK_UART_LOADER=rom",
				       ub_ldru_get32(got), crc);
		ub_clear_error();
		ub_ldru_sleep_us(START_US);
		ub_serial_flush(m->ser);
		err = who(m, m->tries, m->reply_ms);
		if (err == 2)
			return ub_ldru_check_info(m, &m->info);
		if (err < 0)
			return err;
	}
	return ub_fail(UB_EPROTO,
		       "the UART loader's first stage does not start the "
		       "loader: noise on the TX/RX wires? Reset the board "
		       "and try again, or with UNBRICK_UART_LOADER=rom");
}

/* Through the stage at rate: greet it, send the monitor (which is to talk
 * at rate), start it. */
static int through(struct ub_ldru *m, uint8_t *img, uint32_t n, uint32_t rate,
		   unsigned tries, unsigned reply_ms)
{
	double t0 = ub_ldru_now_ms();
	int err;

	ub_ldru_put32(img + 8 + offsetof(struct ub_ldru_params, baud), rate);
	err = ub_serial_set_baud(m->ser, rate);
	if (err)
		return err;
	ub_ldru_sleep_us(SETTLE_US);
	ub_serial_flush(m->ser);
	err = who(m, tries, reply_ms);
	m->st.handshake_ms += ub_ldru_now_ms() - t0;
	if (err == 2)
		return ub_fail(UB_EPROTO,
			       "the UART loader's first stage is not at %u "
			       "baud: another program's code in RAM? Reset "
			       "the board and try again",
			       rate);
	if (err < 0)
		return err;
	t0 = ub_ldru_now_ms();
	err = send_monitor(m, img, n);
	m->st.upload_ms += ub_ldru_now_ms() - t0;
	if (err)
		return err;
	t0 = ub_ldru_now_ms();
	err = start_monitor(m, ub_crc32(0, img, n));
	m->st.handshake_ms += ub_ldru_now_ms() - t0;
	return err;
}

/* The monitor at the ROM's rate (the stage went back to it): then the
 * rates below the one that failed (rate is at most the caller's limit), as
 * the baud switch does them. */
static int slow(struct ub_ldru *m, uint8_t *img, uint32_t n, uint32_t rate)
{
	bool more = false;
	int err;

	ub_serial_set_baud(m->ser, m->rom_baud);
	ub_ldru_sleep_us((UB_LDRU_BOOT_WAIT_MS + 50) * 1000);
	err = through(m, img, n, m->rom_baud, SLOW_TRIES, m->reply_ms);
	m->up = !err;
	if (err)
		return err;
	for (size_t i = 0; i < UB_LDRU_NRATES; i++)
		more |= ub_ldru_rates[i] < rate &&
			ub_ldru_rates[i] > m->rom_baud;
	if (more)
		return ub_ldru_speed_up(m, rate - 1);
	ub_warn("the UART loader stays at %u baud: %u baud did not get "
		"through both ways (long wires, or an adapter that cannot "
		"keep up?)",
		m->rom_baud, rate);
	return 0;
}

int ub_ldru_load(struct ub_ldru *m, struct ub_an3155 *bl, uint32_t ram_base,
		 uint32_t ram_size, uint32_t max_baud)
{
	struct ub_ldru_params p;
	uint8_t *img = NULL, *stage = NULL;
	uint32_t n, rate, size = 0;
	double t0 = ub_ldru_now_ms();
	int err;

	err = ub_ldru_prepare(m, bl, ram_base, ram_size, &p, &img, &n);
	if (err)
		return err;
	rate = fast_rate(m, max_baud);
	if (rate)
		stage = stage_image(m, &p, n, rate, &size);
	if (!stage) {
		free(img);
		err = ub_ldru_start(m, bl, ram_base, ram_size);
		return err ? err : ub_ldru_speed_up(m, max_baud);
	}
	ub_info("loading the UART loader: a first stage of %u bytes at "
		"0x%08X, then %u bytes at 0x%08X at %u baud",
		size, p.bufs, n, m->base, rate);
	err = ub_an3155_write(bl, p.bufs, stage, size);
	if (!err)
		err = ub_an3155_go(bl, p.bufs);
	m->st.upload_ms = ub_ldru_now_ms() - t0;
	if (err)
		goto free_images;
	err = through(m, img, n, rate, FAST_TRIES, FAST_MS);
	m->up = !err;
	if (!err) {
		ub_info("the UART loader talks at %u baud (USART1 at %u, "
			"%+.2f%% from the PLL's 64 MHz; the HSI's own error "
			"comes on top)",
			rate, m->info.baud,
			100.0 * ((double)m->info.baud - rate) / rate);
	} else if (err == UB_ETIMEOUT || err == UB_EPROTO) {
		ub_info("the UART loader's first stage at %u baud: %s; going "
			"on at %u baud",
			rate, ub_errmsg(err), m->rom_baud);
		ub_clear_error();
		err = slow(m, img, n, rate);
	}
free_images:
	free(img);
	free(stage);
	return err;
}
