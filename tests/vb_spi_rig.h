/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_SPI_RIG_H
#define VB_SPI_RIG_H

/*
 * The companion flash through the MCU on the virtual board, in the test's
 * process: a board (vb_wire.h) with an SPI NOR chip wired as the settings
 * say, the product's SWD stack, its loader state and the SPI bus made from
 * a shipped profile's [spi] section (ub_stm32f1_spi_cfg, ub_spi_swd_open).
 * Include after cmocka.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "ub/board.h"
#include "ub/loader.h"
#include "ub/spi.h"
#include "ub/stm32f1.h"
#include "vb_wire.h"

#define RIG_SRAM 0x20000000u

struct spi_rig {
	struct vb_link k;
	struct ub_ldr_swd l;
	struct ub_board *board;
	struct ub_ldr_spi_cfg cfg;
	struct ub_spi_bus *bus;
};

static inline struct ub_board *rig_profile(const char *name)
{
	const char *src = getenv("UNBRICK_SRCDIR");
	char path[4096];
	struct ub_board *b;
	int err = 0;

	snprintf(path, sizeof(path), "%s/boards/%s.conf", src ? src : ".",
		 name);
	b = ub_board_load(path, &err);
	if (!b)
		fail_msg("%s: %s", path, ub_errmsg(err));
	return b;
}

/* The board and the loader state; the bus only when open_bus. */
static inline void rig_start(struct spi_rig *r, const char *profile,
			     const char *const *set, size_t nset, bool open_bus)
{
	int err = 0;

	memset(r, 0, sizeof(*r));
	vb_link_open(&r->k, set, nset);
	r->board = rig_profile(profile);
	assert_int_equal(ub_ldr_swd_init(&r->l, &r->k.cm, RIG_SRAM,
					 r->k.vb->chip.ram_size),
			 0);
	err = ub_stm32f1_spi_cfg(&r->board->spi, 0, &r->cfg);
	if (err)
		fail_msg("spi cfg: %s", ub_errmsg(err));
	if (!open_bus)
		return;
	r->bus = ub_spi_swd_open(&r->l, &r->cfg, &err);
	if (!r->bus)
		fail_msg("spi open: %s", ub_errmsg(err));
}

static inline void rig_stop(struct spi_rig *r)
{
	ub_spi_close(r->bus);
	ub_board_free(r->board);
	vb_link_close(&r->k);
}

static inline uint8_t *rig_chip(struct spi_rig *r, size_t *size)
{
	size_t n;
	uint8_t *m = vb_nor_mem(r->k.vb->nor, size ? size : &n);

	assert_non_null(m);
	return m;
}

static inline double rig_s(const struct spi_rig *r)
{
	return r->k.vb->now_ps / 1e12;
}

static inline void rig_pattern(uint8_t *b, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		b[i] = (uint8_t)(seed >> 16);
	}
}

static inline uint32_t rig_zcrc(const uint8_t *p, size_t n)
{
	return (uint32_t)crc32(0, p, (uInt)n);
}

static inline void rig_jedec(struct ub_spi_bus *b, uint8_t id[3])
{
	const uint8_t op = 0x9F;

	assert_int_equal(ub_spi_xfer(b, &op, 1, id, 3), 0);
}

static inline uint8_t rig_status(struct ub_spi_bus *b)
{
	const uint8_t op = 0x05;
	uint8_t sr = 0;

	assert_int_equal(ub_spi_xfer(b, &op, 1, &sr, 1), 0);
	return sr;
}

/* The SST25's block protection off: EWSR, then WRSR 0. */
static inline void rig_sst_unlock(struct ub_spi_bus *b)
{
	const uint8_t ewsr = 0x50, wrsr[2] = {0x01, 0x00};

	assert_int_equal(ub_spi_xfer(b, &ewsr, 1, NULL, 0), 0);
	assert_int_equal(ub_spi_xfer(b, wrsr, 2, NULL, 0), 0);
	assert_int_equal(rig_status(b) & 0x1C, 0);
}

static inline void rig_has(const char *s, const char *part)
{
	if (!strstr(s, part))
		fail_msg("'%s' does not contain '%s'", s, part);
}

#endif
