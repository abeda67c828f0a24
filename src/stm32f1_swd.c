// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The STM32F1 over SWD: the flash memory controller (FPEC) driven through
 * the debug port, as RM0008 §3 and PM0075 describe it.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ub/err.h"
#include "ub/log.h"
#include "ub/stm32.h"
#include "ub/stm32f1.h"
#include "ub/target.h"

struct f1 {
	struct ub_target t;
	struct ub_cm *cm;
};

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

/* Runs of halfwords that are not 0xFFFF: erased flash needs nothing else. */
static int f1_program(struct ub_target *t, uint32_t addr, const void *buf,
		      size_t len)
{
	const uint8_t *p = buf;
	size_t n = len / 2, i = 0, j;
	uint16_t *hw = malloc(n * 2 + 2);
	int err;

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
	return ub_cm_reset(((struct f1 *)t)->cm, how);
}

static void f1_close(struct ub_target *t)
{
	free(t);
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
	return 0;
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
