// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ROM bootloader's flash work (vb_boot.c), as the ROM does it: through
 * the flash controller's registers as the core (VB_CPU), keys, PG, PER,
 * MER, OPTER, OPTPG, polling BSY while the clock moves, reading SR for
 * PGERR and WRPRTERR.
 */
#include <string.h>

#include "vb_boot.h"

#define OPT_SIZE      16u
#define KEY1	      0x45670123u
#define KEY2	      0xCDEF89ABu
#define FLASH_KEYR    0x04
#define FLASH_OPTKEYR 0x08
#define FLASH_SR      0x0C
#define FLASH_CR      0x10
#define FLASH_AR      0x14
#define SR_ERR	      0x14u /* PGERR, WRPRTERR */
#define SR_W1C	      0x34u
#define CR_PG	      0x001u
#define CR_PER	      0x002u
#define CR_MER	      0x004u
#define CR_OPTPG      0x010u
#define CR_OPTER      0x020u
#define CR_STRT	      0x040u
#define CR_LOCK	      0x080u
#define CR_OPTWRE     0x200u

static uint32_t fpec_rd(struct vb *vb, uint32_t off)
{
	uint32_t v = 0;

	vb_bus_read(vb, VB_CPU, VB_FPEC_BASE + off, 4, &v);
	return v;
}

static void fpec_wr(struct vb *vb, uint32_t off, uint32_t v)
{
	vb_bus_write(vb, VB_CPU, VB_FPEC_BASE + off, 4, v);
}

/* Poll BSY: the clock moves until the flash is done. */
void vb_boot_wait_flash(struct vb *vb)
{
	uint64_t t;

	while ((t = vb_flash_busy_until(vb)) > vb->now_ps && vb->powered)
		vb_advance(vb, t - vb->now_ps);
}

/* The operation's outcome from SR: 0, or -1 on PGERR/WRPRTERR. */
static int flash_done(struct vb *vb)
{
	uint32_t sr;

	vb_boot_wait_flash(vb);
	sr = fpec_rd(vb, FLASH_SR);
	fpec_wr(vb, FLASH_SR, SR_W1C);
	return sr & SR_ERR || !vb->powered ? -1 : 0;
}

void vb_boot_unlock(struct vb *vb, bool options)
{
	if (fpec_rd(vb, FLASH_CR) & CR_LOCK) {
		fpec_wr(vb, FLASH_KEYR, KEY1);
		fpec_wr(vb, FLASH_KEYR, KEY2);
	}
	if (options && !(fpec_rd(vb, FLASH_CR) & CR_OPTWRE)) {
		fpec_wr(vb, FLASH_OPTKEYR, KEY1);
		fpec_wr(vb, FLASH_OPTKEYR, KEY2);
	}
}

void vb_boot_lock(struct vb *vb)
{
	fpec_wr(vb, FLASH_CR, CR_LOCK);
}

static int program(struct vb *vb, uint32_t addr, uint16_t hw, uint32_t cr)
{
	int r;

	vb_boot_wait_flash(vb);
	fpec_wr(vb, FLASH_CR, cr);
	r = vb_bus_write(vb, VB_CPU, addr, 2, hw);
	if (r != VB_OK)
		return -1;
	return flash_done(vb);
}

int vb_boot_erase(struct vb *vb, uint32_t cr, uint32_t addr)
{
	vb_boot_wait_flash(vb);
	fpec_wr(vb, FLASH_CR, cr);
	if (cr & CR_PER)
		fpec_wr(vb, FLASH_AR, addr);
	fpec_wr(vb, FLASH_CR, cr | CR_STRT);
	return flash_done(vb);
}

/* Erase the option bytes and program opt[] (the bytes, not complements). */
int vb_boot_write_options(struct vb *vb, const uint8_t *opt)
{
	int r;

	vb_boot_unlock(vb, true);
	r = vb_boot_erase(vb, CR_OPTER | CR_OPTWRE, 0);
	for (unsigned i = 0; !r && i < OPT_SIZE; i += 2)
		r = program(vb, VB_OPT_BASE + i, opt[i], CR_OPTPG | CR_OPTWRE);
	vb_boot_lock(vb);
	return r;
}

void vb_boot_options(struct vb *vb, uint8_t *opt)
{
	for (unsigned i = 0; i < OPT_SIZE; i += 2) {
		opt[i] = vb->option[i];
		if ((vb->option[i] ^ vb->option[i + 1]) != 0xFF)
			opt[i] = i ? 0xFF : 0x00; /* unreadable: defaults */
	}
}

/* d has room for one more byte: an odd start is padded in front. */
int vb_boot_write_flash(struct vb *vb, uint32_t a, uint8_t *d, unsigned len)
{
	int r = 0;

	vb_boot_unlock(vb, false);
	if (a & 1) { /* halfword programming: start on the pair */
		a--;
		memmove(d + 1, d, len);
		d[0] = 0xFF;
		len++;
	}
	for (unsigned i = 0; !r && i < len; i += 2) {
		uint16_t hw = d[i] | (i + 1 < len ? d[i + 1] : 0xFF) << 8;

		r = program(vb, a + i, hw, CR_PG);
	}
	vb_boot_lock(vb);
	return r;
}
