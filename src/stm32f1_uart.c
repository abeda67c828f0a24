// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The STM32F1 over its ROM bootloader (AN3155 v2.2 on USART1, AN2606): the
 * same target operations as over SWD, with the bootloader's commands for
 * erase and protection. When allowed (ub_stm32f1_uart_loader), the UART
 * monitor (ub/ldr_uart.h) is loaded on the first read, CRC or program that
 * it makes faster, and does those and the erases from then on; the option
 * bytes, which only the ROM writes, bring the ROM back with a reset.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ub/an3155.h"
#include "ub/err.h"
#include "ub/ldr_uart.h"
#include "ub/log.h"
#include "ub/stm32.h"
#include "ub/stm32f1.h"
#include "ub/stm32f1_uart.h"

#define FRAME	  256
#define MAX_PAGES 1024
#define MON_READ  1024 /* reads this long load the monitor */

struct f1u {
	struct ub_target t;
	struct ub_an3155 *bl;
	struct ub_uart_lines *lines;
	/* pages known erased since this driver erased them */
	uint8_t blank[MAX_PAGES / 8];
	/* the UART monitor: allowed, given up on, its fastest rate */
	bool use_mon, mon_failed;
	uint32_t mon_baud;
	struct ub_ldru mon;
};

static struct f1u *f1u(struct ub_target *t)
{
	return (struct f1u *)t;
}

static uint32_t page_no(const struct ub_target *t, uint32_t addr)
{
	return (addr - t->info.flash_base) / t->info.page_size;
}

static void mark_blank(struct ub_target *t, uint32_t page, bool blank)
{
	uint8_t *b = f1u(t)->blank;

	if (page >= MAX_PAGES)
		return;
	if (blank)
		b[page / 8] |= (uint8_t)(1u << page % 8);
	else
		b[page / 8] &= (uint8_t) ~(1u << page % 8);
}

static bool is_blank(struct ub_target *t, uint32_t page)
{
	return page < MAX_PAGES && (f1u(t)->blank[page / 8] >> page % 8 & 1);
}

static bool in_flash(const struct ub_target *t, uint32_t addr)
{
	return addr >= t->info.flash_base &&
	       addr - t->info.flash_base < t->info.flash_size;
}

/* The chip is in an unknown state: back to its ROM bootloader. */
static int rom_again(struct f1u *f)
{
	int err = UB_EUNSUPPORTED;

	f->bl->synced = false;
	if (f->lines && ub_uart_lines_can(f->lines, "nrst"))
		err = ub_uart_lines_enter(f->lines);
	if (!err)
		err = ub_an3155_sync(f->bl);
	if (err == UB_EUNSUPPORTED)
		return ub_fail(UB_ENOTARGET,
			       "the UART loader does not answer, and NRST is "
			       "not wired: reset the board by hand (BOOT0 "
			       "high) and run unbrick again with "
			       "UNBRICK_UART_LOADER=0");
	return err;
}

/* The monitor, loaded now if it is allowed and not loaded yet; NULL when
 * it cannot be (the ROM does the work then). */
static struct ub_ldru *mon(struct ub_target *t)
{
	struct f1u *f = f1u(t);
	int err;

	if (f->mon.up)
		return &f->mon;
	if (!f->use_mon || f->mon_failed || t->info.rdp)
		return NULL;
	err = ub_ldru_load(&f->mon, f->bl, t->info.ram_base, t->info.ram_size,
			   f->mon_baud);
	if (!err) {
		ub_info("UART loader running at %u baud (loaded in %.0f ms, "
			"greeted in %.0f ms)",
			f->mon.ser->baud, f->mon.st.upload_ms,
			f->mon.st.handshake_ms);
		return &f->mon;
	}
	f->mon_failed = true;
	ub_warn("the UART loader could not start (%s): going on with the ROM "
		"bootloader, slower",
		ub_errmsg(err));
	ub_clear_error();
	if (f->mon.up || err == UB_ETIMEOUT || err == UB_EPROTO) {
		f->mon.up = false;
		ub_serial_set_baud(f->bl->ser, f->mon.rom_baud);
		if (rom_again(f))
			return NULL; /* the ROM path fails with its message */
	}
	return NULL;
}

/* Before what only the ROM does: leave the monitor by a reset. */
static int rom(struct ub_target *t)
{
	struct f1u *f = f1u(t);
	int err;

	if (!f->mon.up)
		return 0;
	err = ub_ldru_reset(&f->mon);
	if (!err) {
		struct timespec ts = {0, (long)f->bl->boot_ms * 1000000L};

		nanosleep(&ts, NULL);
		f->bl->synced = false;
		err = ub_an3155_sync(f->bl);
	}
	return err ? rom_again(f) : 0;
}

static int f1u_read(struct ub_target *t, uint32_t addr, void *buf, size_t len)
{
	struct ub_ldru *m = f1u(t)->mon.up || len >= MON_READ ? mon(t) : NULL;
	int err = m ? ub_ldru_read(m, addr, buf, len)
		    : ub_an3155_read(f1u(t)->bl, addr, buf, len);

	if (err == UB_EPROTECTED && t->info.rdp && in_flash(t, addr))
		return ub_fail(UB_EPROTECTED,
			       "the flash cannot be read: readout protection "
			       "is on. 'unbrick unprotect read' removes it, "
			       "which ERASES the whole flash");
	return err;
}

static int f1u_erase(struct ub_target *t, uint32_t addr, size_t len)
{
	uint32_t ps = t->info.page_size, first = page_no(t, addr);
	unsigned n = (unsigned)(len / ps);
	uint16_t *pages = calloc(n + 1, sizeof(*pages));
	int err;

	if (!pages)
		return ub_fail(UB_ENOMEM, "out of memory");
	for (unsigned i = 0; i < n; i++) {
		pages[i] = (uint16_t)(first + i);
		mark_blank(t, first + i, false);
	}
	if (f1u(t)->mon.up)
		err = ub_ldru_erase(&f1u(t)->mon, addr, n, ps);
	else
		err = ub_an3155_erase(f1u(t)->bl, pages, n);
	for (unsigned i = 0; !err && i < n; i++)
		mark_blank(t, first + i, true);
	free(pages);
	return err;
}

static int f1u_mass_erase(struct ub_target *t)
{
	uint32_t pages = t->info.flash_size / t->info.page_size;
	int err;

	memset(f1u(t)->blank, 0, sizeof(f1u(t)->blank));
	if (f1u(t)->mon.up)
		err = ub_ldru_erase(&f1u(t)->mon, t->info.flash_base, 0,
				    t->info.page_size);
	else
		err = ub_an3155_erase_special(f1u(t)->bl, UB_BL_ERASE_ALL);
	for (uint32_t p = 0; !err && p < pages; p++)
		mark_blank(t, p, true);
	return err;
}

static bool hw_set(const uint8_t *b, size_t i)
{
	return b[i] != 0xFF || b[i + 1] != 0xFF;
}

/*
 * Write Memory takes whole words, so a word that is half data and half
 * "leave alone" (0xFFFF) writes 0xFFFF over the other half: harmless on
 * erased flash, a program error on a programmed halfword. On a page this
 * driver has not erased, such words are checked against the flash; if one
 * cannot be written, the page is erased and written whole.
 */
static int word_clash(struct ub_target *t, uint32_t addr, const uint8_t *buf,
		      size_t len, uint8_t *cur, bool *clash)
{
	bool mixed = false;
	int err;

	*clash = false;
	for (size_t i = 0; i < len; i += 4)
		mixed |= hw_set(buf, i) != hw_set(buf, i + 2);
	if (!mixed)
		return 0;
	err = ub_an3155_read(f1u(t)->bl, addr, cur, len);
	for (size_t i = 0; !err && i < len; i += 2)
		if (!hw_set(buf, i) && hw_set(buf, i ^ 2) && hw_set(cur, i))
			*clash = true;
	return err;
}

/* Frames of up to 256 bytes, from the first to the last word with data. */
static int write_frames(struct ub_target *t, uint32_t addr, const uint8_t *buf,
			size_t len)
{
	int err = 0;

	for (size_t f = 0; !err && f < len; f += FRAME) {
		size_t end = len - f < FRAME ? len - f : FRAME, lo = 0, hi = 0;

		for (size_t i = 0; i < end; i += 2)
			if (hw_set(buf + f, i)) {
				if (hi == 0)
					lo = i & ~(size_t)3;
				hi = (i + 4) & ~(size_t)3;
			}
		if (hi)
			err = ub_an3155_write(f1u(t)->bl,
					      addr + (uint32_t)(f + lo),
					      buf + f + lo, hi - lo);
	}
	return err;
}

static int rewrite_page(struct ub_target *t, uint32_t addr, const uint8_t *buf,
			uint8_t *cur, size_t len)
{
	int err = ub_an3155_read(f1u(t)->bl, addr, cur, len);

	ub_info("page 0x%08X: erased and written whole (a word there is half "
		"programmed)",
		addr);
	for (size_t i = 0; i < len; i += 2)
		if (hw_set(buf, i))
			memcpy(cur + i, buf + i, 2);
	if (!err)
		err = f1u_erase(t, addr, len);
	if (!err)
		err = write_frames(t, addr, cur, len);
	return err;
}

static int f1u_program(struct ub_target *t, uint32_t addr, const void *buf,
		       size_t len)
{
	uint32_t ps = t->info.page_size;
	struct ub_ldru *m = mon(t);
	int err = 0;
	uint8_t *cur;

	/* the monitor programs halfwords: no word to clash */
	if (m) {
		for (size_t off = 0; off < len; off += ps)
			mark_blank(t, page_no(t, addr + (uint32_t)off), false);
		return ub_ldru_program(m, addr, buf, len);
	}
	cur = malloc(ps);
	if (!cur)
		return ub_fail(UB_ENOMEM, "out of memory");
	/* the generic layer hands whole pages */
	for (size_t off = 0; !err && off < len; off += ps) {
		uint32_t a = addr + (uint32_t)off, page = page_no(t, a);
		const uint8_t *p = (const uint8_t *)buf + off;
		size_t n = len - off < ps ? len - off : ps;
		bool clash = false;

		if (!is_blank(t, page))
			err = word_clash(t, a, p, n, cur, &clash);
		mark_blank(t, page, false);
		if (!err && clash)
			err = rewrite_page(t, a, p, cur, n);
		else if (!err)
			err = write_frames(t, a, p, n);
	}
	free(cur);
	return err;
}

/* After a command that reset the chip and a new probe: did it take? */
static int took(struct ub_target *t, const char *what, bool ok)
{
	if (ok)
		return 0;
	return ub_fail(UB_EPROTO,
		       "%s: the bootloader said yes, but the chip does not "
		       "show it after its reset (RDP %s, WRP 0x%08X)",
		       what, t->info.rdp ? "on" : "off", t->info.wrp);
}

static int f1u_unprotect(struct ub_target *t, unsigned what)
{
	struct ub_an3155 *bl = f1u(t)->bl;
	int err = rom(t);

	if (!err && (what & UB_PROTECT_RDP) && t->info.rdp) {
		/* the chip mass-erases, and its option bytes go back to the
		 * factory's: no write protection either */
		err = ub_an3155_readout_unprotect(bl);
		if (!err)
			err = t->ops->probe(t);
		if (!err)
			err = took(t, "Readout Unprotect", !t->info.rdp);
		for (uint32_t p = 0;
		     !err && p < t->info.flash_size / t->info.page_size; p++)
			mark_blank(t, p, true);
	}
	if (!err && (what & UB_PROTECT_WRP) && t->info.wrp != 0xFFFFFFFF) {
		err = ub_an3155_write_unprotect(bl);
		if (!err)
			err = t->ops->probe(t);
		if (!err)
			err = took(t, "Write Unprotect",
				   t->info.wrp == 0xFFFFFFFF);
	}
	return err;
}

/* The WRP bits of [addr, addr + len) and those already set: Write Protect
 * protects exactly the sectors it is given. */
static int protect_pages(struct ub_target *t, uint32_t addr, uint32_t len)
{
	const struct ub_target_info *in = &t->info;
	uint32_t want = in->wrp;
	uint8_t sectors[32];
	unsigned n = 0;
	int err;

	for (uint64_t a = addr; a < (uint64_t)addr + len; a += in->page_size) {
		uint32_t bit = page_no(t, (uint32_t)a) / in->wrp_pages;

		want &= ~(1u << (bit > 31 ? 31 : bit));
	}
	for (unsigned bit = 0; bit < 32; bit++)
		if (!(want >> bit & 1))
			sectors[n++] = (uint8_t)bit;
	err = ub_an3155_write_protect(f1u(t)->bl, sectors, n);
	if (!err)
		err = t->ops->probe(t);
	return err ? err : took(t, "Write Protect", t->info.wrp == want);
}

static int f1u_protect(struct ub_target *t, unsigned what, uint32_t addr,
		       uint32_t len)
{
	int err = rom(t);

	if (!err && (what & UB_PROTECT_WRP))
		err = protect_pages(t, addr, len);
	if (!err && (what & UB_PROTECT_RDP)) {
		err = ub_an3155_readout_protect(f1u(t)->bl);
		if (!err)
			err = t->ops->probe(t);
		if (!err)
			err = took(t, "Readout Protect", t->info.rdp);
	}
	return err;
}

/*
 * Run: the leave sequence when BOOT0 and NRST are wired; else Go to the
 * application's vector table, which runs it now but leaves BOOT0 as it is
 * for the next reset. Halting needs a debugger.
 */
static int f1u_reset(struct ub_target *t, enum ub_reset how)
{
	struct f1u *f = f1u(t);
	int err;

	if (how == UB_RESET_HALT)
		return ub_fail(UB_EUNSUPPORTED,
			       "the ROM bootloader cannot halt the core: "
			       "'reset halt' needs SWD (-I swd)");
	err = f->lines ? ub_uart_lines_leave(f->lines) : UB_EUNSUPPORTED;
	if (err != UB_EUNSUPPORTED) {
		f->bl->synced = false;
		if (f->mon.up) { /* gone with the reset */
			f->mon.up = false;
			ub_serial_set_baud(f->bl->ser, f->mon.rom_baud);
		}
		return err;
	}
	if (t->info.rdp)
		return ub_fail(UB_EPROTECTED,
			       "the application cannot be started: readout "
			       "protection stops Go, and BOOT0 or NRST is not "
			       "wired. Set BOOT0 low and reset the board");
	if (f->mon.up)
		err = ub_ldru_go(&f->mon, t->info.flash_base);
	else
		err = ub_an3155_go(f->bl, t->info.flash_base);
	if (!err)
		ub_warn("the application was started with Go; BOOT0 is not "
			"wired, so set it low (0) by hand, or the next reset "
			"starts the bootloader again");
	return err;
}

static void f1u_close(struct ub_target *t)
{
	struct ub_ldru *m = &f1u(t)->mon;

	if (m->up) {
		char msg[512];
		bool had;

		ub_info("UART loader: %lu requests, %lu sent again (%lu "
			"unanswered, %lu refused as damaged), %lu bytes out, "
			"%lu in",
			m->st.requests, m->st.resent, m->st.timeouts, m->st.nak,
			m->st.bytes_out, m->st.bytes_in);
		/* leave the ROM bootloader, as without the monitor; the
		 * message of what failed before stays */
		snprintf(msg, sizeof(msg), "%s", ub_errmsg(1));
		had = strcmp(msg, ub_strerror(1)) != 0;
		m->tries = 2;
		if (ub_ldru_reset(m))
			ub_warn("the UART loader did not take its reset: "
				"reset the board before using its ROM "
				"bootloader again");
		ub_clear_error();
		if (had)
			ub_fail(UB_EIO, "%s", msg);
	}
	free(t);
}

/* The companion flash through the MCU's SPI: the monitor does it. */
static struct ub_spi_bus *f1u_spi_open(struct ub_target *t,
				       const struct ub_spi_conf *c, uint32_t hz,
				       int *err)
{
	struct ub_ldr_spi_cfg cfg;
	struct ub_ldru *m;

	*err = ub_stm32f1_spi_cfg(c, hz, &cfg);
	if (*err)
		return NULL;
	m = mon(t);
	if (!m) {
		*err = ub_fail(UB_EUNSUPPORTED,
			       "the companion flash is reached through the "
			       "UART loader, which cannot run here (%s): try "
			       "--spi clip, or -I swd",
			       t->info.rdp ? "readout protection is on"
					   : "see the warning above");
		return NULL;
	}
	return ub_spi_uart_open(m, &cfg, err);
}

/* CRCs by the monitor; UB_EUNSUPPORTED when it cannot run (the caller
 * reads instead). */
static int f1u_crc32(struct ub_target *t, uint32_t addr, uint32_t len,
		     uint32_t block, uint32_t *crc)
{
	struct ub_ldru *m = mon(t);

	if (!m)
		return UB_EUNSUPPORTED;
	return ub_ldru_crc32(m, addr, len, block, crc);
}

static int f1u_probe(struct ub_target *t)
{
	struct ub_target_info *in = &t->info;
	struct ub_an3155 *bl = f1u(t)->bl;
	const struct ub_stm32_dev *dev;
	uint8_t fsize[4];
	int err = rom(t);

	if (!err)
		err = ub_an3155_get(bl);

	if (!err)
		err = ub_an3155_get_id(bl);
	if (err)
		return err;
	in->dev_id = bl->pid & 0xFFF;
	in->rev_id = 0; /* DBGMCU_IDCODE is not readable through the ROM */
	dev = ub_stm32_by_id(in->dev_id);
	if (!dev)
		return ub_fail(UB_EUNSUPPORTED,
			       "the bootloader says PID 0x%03X, no STM32 "
			       "unbrick knows",
			       bl->pid);
	err = ub_stm32_check_supported(dev);
	if (err)
		return err;
	snprintf(in->name, sizeof(in->name), "%s", dev->name);
	in->flash_base = dev->flash_base;
	in->flash_size = dev->flash_max;
	in->page_size = dev->layout.page;
	in->ram_base = dev->ram_base;
	in->option_base = UB_F1_OPTION;
	in->wrp_pages = 4096 / in->page_size;
	/* readout protection refuses every Read Memory */
	err = ub_an3155_read(bl, UB_F1_FLASH_SIZE, fsize, 4);
	in->rdp = err == UB_EPROTECTED;
	if (in->rdp) {
		ub_clear_error();
		memset(in->uid, 0, sizeof(in->uid));
		memset(in->option, 0xFF, sizeof(in->option));
		in->option[0] = 0x00;
		in->wrp = 0xFFFFFFFF; /* unknown; the bootloader cannot say */
		err = 0;
	} else if (!err) {
		uint32_t kb = fsize[0] | fsize[1] << 8;

		if (kb && kb != 0xFFFF)
			in->flash_size = kb * 1024;
		err = ub_an3155_read(bl, UB_F1_UID, in->uid, 12);
		if (!err)
			err = ub_an3155_read(bl, UB_F1_OPTION, in->option, 16);
		in->wrp = in->option[8] | in->option[10] << 8 |
			  in->option[12] << 16 | (uint32_t)in->option[14] << 24;
	}
	in->ram_size = ub_f1_ram_kb(in->dev_id, in->flash_size / 1024) * 1024;
	if (!in->ram_size)
		in->ram_size = dev->ram_size;
	return err;
}

static const struct ub_target_ops f1u_ops = {
	.probe = f1u_probe,
	.read = f1u_read,
	.erase = f1u_erase,
	.mass_erase = f1u_mass_erase,
	.program = f1u_program,
	.unprotect = f1u_unprotect,
	.protect = f1u_protect,
	.reset = f1u_reset,
	.close = f1u_close,
	.crc32 = f1u_crc32,
	.spi_open = f1u_spi_open,
};

struct ub_target *ub_stm32f1_uart(struct ub_an3155 *bl,
				  struct ub_uart_lines *lines, int *err)
{
	struct f1u *f = calloc(1, sizeof(*f));

	if (!f) {
		*err = ub_fail(UB_ENOMEM, "out of memory");
		return NULL;
	}
	f->t.ops = &f1u_ops;
	f->bl = bl;
	f->lines = lines;
	*err = f1u_probe(&f->t);
	if (*err) {
		free(f);
		return NULL;
	}
	return &f->t;
}

void ub_stm32f1_uart_loader(struct ub_target *t, bool on, uint32_t max_baud)
{
	f1u(t)->use_mon = on;
	f1u(t)->mon_baud = max_baud;
}

struct ub_ldru *ub_stm32f1_uart_monitor(struct ub_target *t)
{
	return mon(t);
}
