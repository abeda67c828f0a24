// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The STM32F1 over SWD: the flash memory controller (FPEC) driven through
 * the debug port, as RM0008 §3 and PM0075 describe it.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ub/err.h"
#include "ub/loader.h"
#include "ub/log.h"
#include "ub/spi.h"
#include "ub/stm32.h"
#include "ub/stm32f1.h"
#include "ub/target.h"

/*
 * Below these sizes the debug port alone is quicker than a loader, whose
 * run costs about 120 SWD transactions besides the data (5.8 ms at 1 MHz
 * SWCLK; 2.8 ms more to load its code the first time). Measured in
 * modeled time at 1 MHz SWCLK: 512 halfwords take 33.4 ms by the debug port
 * (65 us each: the next write waits for the flash), 34.2 ms by the loader
 * (37.0 ms the first time), 1024 take 66.0 and 61.8 ms; reading 1 KB takes
 * 12.4 ms, its CRC by the loader 5.3 ms (8.4 ms the first time).
 */
#define LDR_MIN_HALFWORDS 640
#define LDR_MIN_CRC_BYTES 1024

struct f1 {
	struct ub_target t;
	struct ub_cm *cm;
	struct ub_ldr_swd ldr;
};

static struct f1 *f1_of(struct ub_target *t)
{
	return (struct f1 *)t;
}

static struct ub_dap *dap(struct ub_target *t)
{
	return ((struct f1 *)t)->cm->dap;
}

static int fpec_read(struct ub_target *t, uint32_t off, uint32_t *v)
{
	return ub_dap_read32(dap(t), UB_F1_FPEC + off, v);
}

static int fpec_write(struct ub_target *t, uint32_t off, uint32_t v)
{
	return ub_dap_write32(dap(t), UB_F1_FPEC + off, v);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Wait for BSY to clear, then report and clear PGERR/WRPRTERR. */
static int wait_done(struct ub_target *t, unsigned timeout_ms, const char *what,
		     uint32_t addr)
{
	double deadline = now_ms() + timeout_ms;
	uint32_t sr;
	int err;

	do {
		err = fpec_read(t, UB_F1_SR, &sr);
		if (err)
			return err;
		if (!(sr & UB_F1_SR_BSY))
			break;
	} while (now_ms() < deadline);
	if (sr & UB_F1_SR_BSY)
		return ub_fail(UB_ETIMEOUT,
			       "%s at 0x%08X did not finish in %u "
			       "ms (flash busy)",
			       what, addr, timeout_ms);
	err = fpec_write(t, UB_F1_SR,
			 UB_F1_SR_EOP | UB_F1_SR_PGERR | UB_F1_SR_WRPRTERR);
	if (err)
		return err;
	if (sr & UB_F1_SR_WRPRTERR)
		return ub_fail(UB_EPROTECTED,
			       "%s at 0x%08X refused: the page "
			       "is write-protected (run 'unbrick unprotect')",
			       what, addr);
	if (sr & UB_F1_SR_PGERR)
		return ub_fail(UB_EIO,
			       "%s at 0x%08X failed: the flash there "
			       "was not erased (PGERR)",
			       what, addr);
	return 0;
}

static int unlock(struct ub_target *t)
{
	uint32_t cr;
	int err = fpec_read(t, UB_F1_CR, &cr);

	if (err || !(cr & UB_F1_CR_LOCK))
		return err;
	err = fpec_write(t, UB_F1_KEYR, UB_F1_KEY1);
	if (!err)
		err = fpec_write(t, UB_F1_KEYR, UB_F1_KEY2);
	if (!err)
		err = fpec_read(t, UB_F1_CR, &cr);
	if (!err && (cr & UB_F1_CR_LOCK))
		return ub_fail(UB_EPROTO,
			       "the flash controller stays locked: "
			       "a wrong key was written since the last reset "
			       "('unbrick reset' and try again)");
	return err;
}

static int lock(struct ub_target *t)
{
	return fpec_write(t, UB_F1_CR, UB_F1_CR_LOCK);
}

static int f1_read(struct ub_target *t, uint32_t addr, void *buf, size_t len)
{
	int err = ub_dap_read(dap(t), addr, buf, len);

	if (err && t->info.rdp && addr >= t->info.flash_base &&
	    addr < t->info.flash_base + t->info.flash_size)
		return ub_fail(UB_EPROTECTED,
			       "the flash cannot be read: readout protection "
			       "is on. 'unbrick unprotect read' removes it, "
			       "which ERASES the whole flash");
	return err;
}

static int page_op(struct ub_target *t, uint32_t cr, uint32_t addr,
		   unsigned timeout_ms, const char *what)
{
	int err = fpec_write(t, UB_F1_CR, cr);

	if (!err && (cr & UB_F1_CR_PER))
		err = fpec_write(t, UB_F1_AR, addr);
	if (!err)
		err = fpec_write(t, UB_F1_CR, cr | UB_F1_CR_STRT);
	if (!err)
		err = wait_done(t, timeout_ms, what, addr);
	return err;
}

static int f1_erase(struct ub_target *t, uint32_t addr, size_t len)
{
	uint32_t ps = t->info.page_size;
	int err = unlock(t);

	for (size_t done = 0; !err && done < len; done += ps) {
		err = page_op(t, UB_F1_CR_PER, addr + (uint32_t)done,
			      UB_F1_ERASE_MS, "page erase");
	}
	if (!err)
		err = fpec_write(t, UB_F1_CR, 0);
	lock(t);
	return err;
}

static int f1_mass_erase(struct ub_target *t)
{
	int err = unlock(t);

	if (!err)
		err = page_op(t, UB_F1_CR_MER, t->info.flash_base,
			      UB_F1_ERASE_MS, "mass erase");
	if (!err)
		err = fpec_write(t, UB_F1_CR, 0);
	lock(t);
	return err;
}

static size_t count_set(const uint8_t *p, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		n += p[i] != 0xFF || p[i + 1] != 0xFF;
	return n;
}

/* The flash loader: the wire fills one RAM buffer while the flash
 * programs the other. */
static int program_by_loader(struct ub_target *t, uint32_t addr,
			     const uint8_t *buf, size_t len)
{
	int err = unlock(t);

	if (!err)
		err = ub_ldr_swd_program(&f1_of(t)->ldr, UB_F1_FPEC, addr, buf,
					 len);
	lock(t);
	return err;
}

/*
 * Runs of halfwords that are not 0xFFFF: erased flash needs nothing else.
 * Big enough jobs go through the flash loader; small ones, and all when a
 * loader failed, through the debug port halfword by halfword.
 */
static int f1_program(struct ub_target *t, uint32_t addr, const void *buf,
		      size_t len)
{
	const uint8_t *p = buf;
	size_t n = len / 2, i = 0, j;
	uint16_t *hw;
	int err;

	if (!f1_of(t)->ldr.broken && count_set(p, len) >= LDR_MIN_HALFWORDS)
		return program_by_loader(t, addr, p, len);
	hw = malloc(n * 2 + 2);
	if (!hw)
		return ub_fail(UB_ENOMEM, "out of memory");
	memcpy(hw, p, n * 2);
	err = unlock(t);
	if (!err)
		err = fpec_write(t, UB_F1_CR, UB_F1_CR_PG);
	while (!err && i < n) {
		for (; i < n && hw[i] == 0xFFFF; i++)
			;
		for (j = i; j < n && hw[j] != 0xFFFF && j - i < 512; j++)
			;
		if (j > i)
			err = ub_dap_write16_block(dap(t), addr + 2 * i, hw + i,
						   j - i);
		if (!err && j > i)
			err = wait_done(t, UB_F1_PROG_MS, "programming",
					addr + 2 * (uint32_t)i);
		i = j;
	}
	if (!err)
		err = fpec_write(t, UB_F1_CR, 0);
	lock(t);
	free(hw);
	return err;
}

static int opt_unlock(struct ub_target *t)
{
	uint32_t cr;
	int err = unlock(t);

	if (!err)
		err = fpec_write(t, UB_F1_OPTKEYR, UB_F1_KEY1);
	if (!err)
		err = fpec_write(t, UB_F1_OPTKEYR, UB_F1_KEY2);
	if (!err)
		err = fpec_read(t, UB_F1_CR, &cr);
	if (!err && !(cr & UB_F1_CR_OPTWRE))
		return ub_fail(UB_EPROTO, "the option bytes stay locked "
					  "(OPTWRE did not set)");
	return err;
}

static int opt_program(struct ub_target *t, unsigned idx, uint8_t val)
{
	uint32_t addr = t->info.option_base + 2 * idx;
	int err = fpec_write(t, UB_F1_CR, UB_F1_CR_OPTPG | UB_F1_CR_OPTWRE);

	if (!err)
		err = ub_dap_write16(dap(t), addr, val);
	if (!err)
		err = wait_done(t, UB_F1_PROG_MS, "option byte programming",
				addr);
	return err;
}

/*
 * Erase the option bytes and program all eight with want[] (an erased pair
 * has no valid complement, so 0xFF bytes are programmed too). Removing
 * readout protection this way mass-erases the flash: the chip does it.
 * The new values load at reset, so the chip is reset and probed again.
 */
static int rewrite_options(struct ub_target *t, const uint8_t want[8])
{
	int err = opt_unlock(t);

	if (!err)
		err = fpec_write(t, UB_F1_CR, UB_F1_CR_OPTER | UB_F1_CR_OPTWRE);
	if (!err)
		err = fpec_write(t, UB_F1_CR,
				 UB_F1_CR_OPTER | UB_F1_CR_OPTWRE |
					 UB_F1_CR_STRT);
	if (!err)
		err = wait_done(t, 2 * UB_F1_ERASE_MS, "option byte erase",
				t->info.option_base);
	for (unsigned i = 0; !err && i < 8; i++)
		err = opt_program(t, i, want[i]);
	if (!err)
		err = fpec_write(t, UB_F1_CR, 0);
	lock(t);
	if (!err)
		err = ub_cm_reset(((struct f1 *)t)->cm, UB_RESET_HALT);
	if (!err)
		err = t->ops->probe(t);
	return err;
}

static void current_options(const struct ub_target *t, uint8_t opt[8])
{
	for (int i = 0; i < 8; i++)
		opt[i] = t->info.option[2 * i];
}

/* RDP open; USER and the data bytes kept; WRP gone when asked. */
static int f1_unprotect(struct ub_target *t, unsigned what)
{
	uint8_t want[8];

	current_options(t, want);
	want[0] = UB_F1_RDP_OPEN;
	if (what & UB_PROTECT_WRP)
		memset(want + 4, 0xFF, 4);
	return rewrite_options(t, want);
}

/* Write-protect the pages of [addr, addr + len), or turn readout
 * protection on (level 1: any value but 0xA5). */
static int f1_protect(struct ub_target *t, unsigned what, uint32_t addr,
		      uint32_t len)
{
	const struct ub_target_info *in = &t->info;
	uint8_t want[8];

	current_options(t, want);
	if (what & UB_PROTECT_RDP)
		want[0] = 0x00;
	for (uint64_t a = addr;
	     (what & UB_PROTECT_WRP) && a < (uint64_t)addr + len;
	     a += in->page_size) {
		uint32_t bit = (uint32_t)(a - in->flash_base) / in->page_size /
			       in->wrp_pages;

		if (bit > 31)
			bit = 31;
		want[4 + bit / 8] &= (uint8_t) ~(1u << bit % 8);
	}
	return rewrite_options(t, want);
}

static int f1_reset(struct ub_target *t, enum ub_reset how)
{
	ub_ldr_swd_forget(&f1_of(t)->ldr);
	return ub_cm_reset(f1_of(t)->cm, how);
}

/* CRC-32 by the loader; reading is cheaper for little, and the only way
 * once a loader failed. */
static int f1_crc32(struct ub_target *t, uint32_t addr, uint32_t len,
		    uint32_t block, uint32_t *crc)
{
	struct ub_ldr_swd *l = &f1_of(t)->ldr;
	int err;

	if (l->broken || t->info.rdp || len < LDR_MIN_CRC_BYTES)
		return ub_fail(UB_EUNSUPPORTED, "no CRC on the target here");
	err = ub_ldr_swd_crc32(l, addr, len, block, crc);
	if (err && l->broken)
		err = ub_fail(UB_EUNSUPPORTED, "no CRC loader any more");
	return err;
}

/* The companion flash through the MCU's SPI: the SPI loader does it. */
static struct ub_spi_bus *f1_spi_open(struct ub_target *t,
				      const struct ub_spi_conf *c, uint32_t hz,
				      int *err)
{
	struct ub_ldr_spi_cfg cfg;

	*err = ub_stm32f1_spi_cfg(c, hz, &cfg);
	return *err ? NULL : ub_spi_swd_open(&f1_of(t)->ldr, &cfg, err);
}

static void f1_close(struct ub_target *t)
{
	free(t);
}

/* Lay out RAM for the loaders (again after a reset: nothing is loaded).
 * Too little RAM is no error: the debug port does it all then. */
static int init_loaders(struct ub_target *t)
{
	struct f1 *f = f1_of(t);
	bool broken = f->ldr.broken;

	if (ub_ldr_swd_init(&f->ldr, f->cm, t->info.ram_base, t->info.ram_size))
		ub_clear_error();
	f->ldr.broken |= broken;
	return 0;
}

static int f1_probe(struct ub_target *t)
{
	struct ub_target_info *in = &t->info;
	const struct ub_stm32_dev *dev;
	uint32_t id, fsize, obr, wrpr;
	int err;

	err = ub_dap_read32(dap(t), UB_F1_DBGMCU_IDCODE, &id);
	if (err)
		return err;
	in->dev_id = id & 0xFFF;
	in->rev_id = (uint16_t)(id >> 16);
	dev = ub_stm32_by_id(in->dev_id);
	if (!dev)
		return ub_fail(UB_EUNSUPPORTED,
			       "DEV_ID 0x%03X is no STM32 unbrick knows: noise "
			       "on the wires, or a clone? (IDCODE 0x%08X)",
			       in->dev_id, id);
	err = ub_stm32_check_supported(dev);
	if (err)
		return err;
	snprintf(in->name, sizeof(in->name), "%s", dev->name);
	err = ub_dap_read32(dap(t), UB_F1_FLASH_SIZE, &fsize);
	if (!err)
		err = ub_dap_read(dap(t), UB_F1_UID, in->uid, 12);
	if (!err)
		err = ub_dap_read(dap(t), UB_F1_OPTION, in->option, 16);
	if (!err)
		err = fpec_read(t, UB_F1_OBR, &obr);
	if (!err)
		err = fpec_read(t, UB_F1_WRPR, &wrpr);
	if (err)
		return err;
	fsize &= 0xFFFF;
	in->flash_base = dev->flash_base;
	in->flash_size =
		fsize && fsize != 0xFFFF ? fsize * 1024 : dev->flash_max;
	in->page_size = dev->layout.page;
	in->ram_base = dev->ram_base;
	in->ram_size = ub_f1_ram_kb(in->dev_id, in->flash_size / 1024) * 1024;
	if (!in->ram_size)
		in->ram_size = dev->ram_size;
	in->option_base = UB_F1_OPTION;
	in->rdp = obr & UB_F1_OBR_RDPRT;
	in->wrp = wrpr;
	in->wrp_pages = 4096 / in->page_size;
	return init_loaders(t);
}

static const struct ub_target_ops f1_ops = {
	.probe = f1_probe,
	.read = f1_read,
	.erase = f1_erase,
	.mass_erase = f1_mass_erase,
	.program = f1_program,
	.unprotect = f1_unprotect,
	.protect = f1_protect,
	.reset = f1_reset,
	.close = f1_close,
	.crc32 = f1_crc32,
	.spi_open = f1_spi_open,
};

struct ub_target *ub_stm32f1_swd(struct ub_cm *cm, int *err)
{
	struct f1 *f = calloc(1, sizeof(*f));

	if (!f) {
		*err = ub_fail(UB_ENOMEM, "out of memory");
		return NULL;
	}
	f->t.ops = &f1_ops;
	f->cm = cm;
	*err = f1_probe(&f->t);
	if (*err) {
		free(f);
		return NULL;
	}
	return &f->t;
}
