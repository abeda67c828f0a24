// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The flash memory interface of an STM32F103: the program/erase controller
 * (FPEC) at 0x40022000, the main flash behind it and the option bytes at
 * 0x1FFFF800, as RM0008 §3 and PM0075 describe them, with the busy times of
 * the datasheets (DS5319, DS5792) on the virtual clock.
 *
 * Where the manuals leave a choice, the model decides so:
 *  - A wrong key, or KEY2 first, is a bus error and locks the FPEC until the
 *    next reset; every later key write until then is a bus error too. Key
 *    writes while the FPEC is unlocked are ignored: OpenOCD writes the keys
 *    again without checking LOCK, and works on real chips.
 *  - A wrong option key only restarts the option key sequence.
 *  - Option erase or program without OPTWRE: WRPRTERR, nothing changes.
 *  - Readout protection removal (PM0075 §2.4.1, "Unprotection"): erasing
 *    the option bytes leaves main flash alone; programming RDP = 0xA5 while
 *    protection is active (as loaded at the last reset) mass-erases the
 *    main flash first, whatever the write protection, and takes the time
 *    of a mass erase plus a program.
 *  - Mass erase is refused with WRPRTERR when any WRP bit is 0; the
 *    implicit protection of the first 4 KB under RDP does not stop it.
 *  - A page erase whose AR is outside main flash: PGERR. AR takes both
 *    0x08xxxxxx and boot alias addresses.
 *  - STRT with PER and MER both set: the mass erase wins.
 *  - Errors (PGERR, WRPRTERR) are flagged at once, without BSY.
 *  - The change to memory happens when the operation ends; a system reset
 *    during an operation completes it at once; a power loss loses it.
 *  - An erased option byte pair (0xFF, 0xFF) does not match its complement:
 *    OPTERR, read as 0xFF (so RDP is active).
 *  - RDP blocks debugger (VB_DAP) reads of main flash; the core reads it
 *    normally, whatever it boots from.
 */
#include <stdlib.h>
#include <string.h>

#include "vb.h"

#define FLASH_ACR     0x00
#define FLASH_KEYR    0x04
#define FLASH_OPTKEYR 0x08
#define FLASH_SR      0x0C
#define FLASH_CR      0x10
#define FLASH_AR      0x14
#define FLASH_OBR     0x1C
#define FLASH_WRPR    0x20

#define SR_BSY	    (1u << 0)
#define SR_PGERR    (1u << 2)
#define SR_WRPRTERR (1u << 4)
#define SR_EOP	    (1u << 5)
#define SR_W1C	    (SR_PGERR | SR_WRPRTERR | SR_EOP)

#define CR_PG	  (1u << 0)
#define CR_PER	  (1u << 1)
#define CR_MER	  (1u << 2)
#define CR_OPTPG  (1u << 4)
#define CR_OPTER  (1u << 5)
#define CR_STRT	  (1u << 6)
#define CR_LOCK	  (1u << 7)
#define CR_OPTWRE (1u << 9)
#define CR_ERRIE  (1u << 10)
#define CR_EOPIE  (1u << 12)
#define CR_RW \
	(CR_PG | CR_PER | CR_MER | CR_OPTPG | CR_OPTER | CR_ERRIE | CR_EOPIE)

#define OBR_OPTERR (1u << 0)
#define OBR_RDPRT  (1u << 1)

#define ACR_RW	   0x1Fu     /* LATENCY, HLFCYA, PRFTBE */
#define ACR_PRFTBS (1u << 5) /* follows PRFTBE */

#define KEY1	    0x45670123u
#define KEY2	    0xCDEF89ABu
#define RDP_NONE    0xA5
#define RDP_4K_PROT 4096u /* RDP write-protects the first 4 KB */

enum op {
	OP_NONE,
	OP_PROGRAM,
	OP_PAGE_ERASE,
	OP_MASS_ERASE,
	OP_OPT_ERASE,
	OP_OPT_PROGRAM,
};

struct vb_flash {
	uint32_t acr, sr, cr, ar, obr, wrpr;
	unsigned key;	 /* keys seen of the unlock sequence: 0 or 1 */
	unsigned optkey; /* the same for OPTKEYR */
	bool dead;	 /* wrong key: locked until reset */
	bool rdp;	 /* readout protection, as loaded at reset */

	/* the operation under way */
	enum op op;
	uint32_t op_off;   /* offset in main flash or the option bytes */
	uint16_t op_val;   /* halfword to program */
	bool op_unprotect; /* RDP removal: mass erase first */
	uint64_t op_start, op_end;
};

struct vb_flash *vb_flash_new(struct vb *vb)
{
	struct vb_flash *fl = calloc(1, sizeof(*fl));

	(void)vb;
	if (fl)
		fl->cr = CR_LOCK;
	return fl;
}

void vb_flash_free(struct vb_flash *fl)
{
	free(fl);
}

/* WRP bit that covers a page (RM0008 §2.3 "Write protection"). */
static unsigned wrp_bit(const struct vb *vb, uint32_t page)
{
	if (vb->chip.page_size == 1024)
		return page / 4;	      /* medium density: 4 KB a bit */
	return page / 2 < 31 ? page / 2 : 31; /* high: bit 31 is the rest */
}

static bool page_protected(const struct vb *vb, uint32_t page)
{
	const struct vb_flash *fl = vb->fl;

	if (fl->rdp && page * vb->chip.page_size < RDP_4K_PROT)
		return true;
	return !(fl->wrpr & (1u << wrp_bit(vb, page)));
}

static bool bad_page(const struct vb *vb, uint32_t page)
{
	uint32_t addr = vb->set.bad_page;

	if (!vb->set.has_bad_page)
		return false;
	if (addr >= VB_FLASH_BASE)
		addr -= VB_FLASH_BASE;
	return addr / vb->chip.page_size == page;
}

static void erase_page(struct vb *vb, uint32_t page)
{
	if (bad_page(vb, page))
		return; /* "erases" and keeps its contents */
	memset(vb->flash + page * vb->chip.page_size, 0xFF, vb->chip.page_size);
}

static void erase_all(struct vb *vb)
{
	for (uint32_t p = 0; p < vb->chip.flash_size / vb->chip.page_size; p++)
		erase_page(vb, p);
}

static void start(struct vb *vb, enum op op, uint32_t off, uint64_t ps)
{
	struct vb_flash *fl = vb->fl;

	fl->op = op;
	fl->op_off = off;
	fl->op_start = vb_io_now(vb); /* the core's time, when it started it */
	fl->op_end = fl->op_start + ps;
	fl->sr |= SR_BSY;
}

/* The operation ends: memory changes, BSY off, EOP on. */
static void finish(struct vb *vb)
{
	struct vb_flash *fl = vb->fl;
	uint64_t end = fl->op_end < vb->now_ps ? fl->op_end : vb->now_ps;

	switch (fl->op) {
	case OP_PROGRAM:
		vb->flash[fl->op_off] = (uint8_t)fl->op_val;
		vb->flash[fl->op_off + 1] = (uint8_t)(fl->op_val >> 8);
		vb->st.programs++;
		break;
	case OP_PAGE_ERASE:
		erase_page(vb, fl->op_off / vb->chip.page_size);
		vb->st.page_erases++;
		break;
	case OP_MASS_ERASE:
		erase_all(vb);
		vb->st.mass_erases++;
		break;
	case OP_OPT_ERASE:
		memset(vb->option, 0xFF, sizeof(vb->option));
		vb->st.opt_erases++;
		break;
	case OP_OPT_PROGRAM:
		if (fl->op_unprotect) {
			erase_all(vb);
			vb->st.mass_erases++;
		}
		vb->option[fl->op_off] = (uint8_t)fl->op_val;
		vb->option[fl->op_off + 1] = (uint8_t)~fl->op_val;
		vb->st.opt_programs++;
		break;
	case OP_NONE:
		return;
	}
	vb->st.flash_busy_ps += end - fl->op_start;
	fl->op = OP_NONE;
	fl->op_unprotect = false;
	fl->sr = (fl->sr & ~SR_BSY) | SR_EOP;
	fl->cr &= ~CR_STRT;
	vb_flash_op_done(vb);
}

/* Called as the board's clock moves: an operation the running core has
 * not caught up with yet ends when the core gets there (vb_flash_settle
 * from vb_cpu_run.c), the rest now. */
void vb_flash_tick(struct vb *vb)
{
	uint64_t t = vb->now_ps, core = vb_cpu_time(vb);

	if (core && core < t)
		t = core;
	if (vb->fl->op != OP_NONE && vb->fl->op_end <= t)
		finish(vb);
}

void vb_flash_settle(struct vb *vb, uint64_t t)
{
	if (vb->fl->op != OP_NONE && vb->fl->op_end <= t && t <= vb->now_ps)
		finish(vb);
}

uint64_t vb_flash_busy_until(const struct vb *vb)
{
	return vb->fl->op != OP_NONE ? vb->fl->op_end : 0;
}

bool vb_flash_rdp(const struct vb *vb)
{
	return vb->fl->rdp;
}

/* One option byte as the loader reads it: 0xFF when its complement is
 * wrong (and OPTERR). */
static uint32_t load_option(struct vb *vb, unsigned i)
{
	uint8_t b = vb->option[2 * i], nb = vb->option[2 * i + 1];

	if ((uint8_t)(b ^ nb) == 0xFF)
		return b;
	vb->fl->obr |= OBR_OPTERR;
	return 0xFF;
}

void vb_flash_reset(struct vb *vb)
{
	struct vb_flash *fl = vb->fl;
	uint32_t rdp, user, d0, d1;

	if (fl->op != OP_NONE)
		finish(vb); /* an interrupted operation completes at once */
	fl->acr = ACR_PRFTBS | 0x10; /* PRFTBE on after reset */
	fl->sr = 0;
	fl->cr = CR_LOCK;
	fl->ar = 0;
	fl->key = 0;
	fl->optkey = 0;
	fl->dead = false;
	fl->obr = 0;
	rdp = load_option(vb, 0);
	user = load_option(vb, 1);
	d0 = load_option(vb, 2);
	d1 = load_option(vb, 3);
	fl->wrpr = 0;
	for (unsigned i = 0; i < 4; i++)
		fl->wrpr |= load_option(vb, 4 + i) << (8 * i);
	fl->rdp = rdp != RDP_NONE;
	fl->obr |= (fl->rdp ? OBR_RDPRT : 0) | user << 2 | d0 << 10 | d1 << 18;
}

int vb_flash_reg_read(struct vb *vb, uint32_t off, uint32_t *val)
{
	struct vb_flash *fl = vb->fl;

	vb_flash_settle(vb, vb_io_now(vb));
	switch (off & ~3u) {
	case FLASH_ACR:
		*val = fl->acr;
		break;
	case FLASH_SR:
		*val = fl->sr;
		break;
	case FLASH_CR:
		*val = fl->cr;
		break;
	case FLASH_AR:
		*val = fl->ar;
		break;
	case FLASH_OBR:
		*val = fl->obr;
		break;
	case FLASH_WRPR:
		*val = fl->wrpr;
		break;
	default: /* KEYR, OPTKEYR and the reserved words read 0 */
		*val = 0;
		break;
	}
	return VB_OK;
}

static int write_key(struct vb *vb, uint32_t v, bool whole)
{
	struct vb_flash *fl = vb->fl;

	if (!(fl->cr & CR_LOCK))
		return VB_OK;
	if (fl->dead)
		return VB_ERR;
	if (whole && fl->key == 0 && v == KEY1) {
		fl->key = 1;
	} else if (whole && fl->key == 1 && v == KEY2) {
		fl->key = 0;
		fl->cr &= ~CR_LOCK;
	} else {
		fl->key = 0;
		fl->dead = true;
		return VB_ERR;
	}
	return VB_OK;
}

static void write_optkey(struct vb *vb, uint32_t v, bool whole)
{
	struct vb_flash *fl = vb->fl;

	if (fl->cr & CR_LOCK || fl->cr & CR_OPTWRE)
		return;
	if (whole && fl->optkey == 0 && v == KEY1) {
		fl->optkey = 1;
	} else if (whole && fl->optkey == 1 && v == KEY2) {
		fl->optkey = 0;
		fl->cr |= CR_OPTWRE;
	} else {
		fl->optkey = 0;
	}
}

/* Offset of a main flash address (bus or boot alias form), or -1. */
static int64_t flash_off(const struct vb *vb, uint32_t addr)
{
	if (addr >= VB_FLASH_BASE)
		addr -= VB_FLASH_BASE;
	if (addr >= vb->chip.flash_size)
		return -1;
	return addr;
}

static void start_erase(struct vb *vb)
{
	struct vb_flash *fl = vb->fl;
	uint64_t ps;
	int64_t off;

	if (fl->cr & CR_MER) {
		if (fl->wrpr != 0xFFFFFFFFu) {
			fl->sr |= SR_WRPRTERR;
			return;
		}
		fl->cr |= CR_STRT;
		start(vb, OP_MASS_ERASE, 0,
		      vb->set.mass_erase_us * VB_PS_PER_US);
	} else if (fl->cr & CR_PER) {
		off = flash_off(vb, fl->ar);
		if (off < 0) {
			fl->sr |= SR_PGERR;
			return;
		}
		if (page_protected(vb, (uint32_t)off / vb->chip.page_size)) {
			fl->sr |= SR_WRPRTERR;
			return;
		}
		fl->cr |= CR_STRT;
		ps = vb->set.page_erase_us * VB_PS_PER_US;
		start(vb, OP_PAGE_ERASE, (uint32_t)off, ps);
	} else if (fl->cr & CR_OPTER) {
		if (!(fl->cr & CR_OPTWRE)) {
			fl->sr |= SR_WRPRTERR;
			return;
		}
		fl->cr |= CR_STRT;
		start(vb, OP_OPT_ERASE, 0,
		      vb->set.page_erase_us * VB_PS_PER_US);
	}
}

static void write_cr(struct vb *vb, uint32_t v, uint32_t mask)
{
	struct vb_flash *fl = vb->fl;
	uint32_t nv = (fl->cr & ~mask) | (v & mask);

	if (fl->cr & CR_LOCK)
		return;
	fl->cr = (fl->cr & ~CR_RW) | (nv & CR_RW);
	if ((mask & CR_OPTWRE) && !(nv & CR_OPTWRE))
		fl->cr &= ~CR_OPTWRE; /* software may only clear it */
	if ((mask & CR_STRT) && (nv & CR_STRT) && !(fl->sr & SR_BSY))
		start_erase(vb);
	if ((mask & CR_LOCK) && (nv & CR_LOCK)) {
		fl->cr |= CR_LOCK;
		fl->key = 0;
	}
}

int vb_flash_reg_write(struct vb *vb, uint32_t off, unsigned size, uint32_t val)
{
	struct vb_flash *fl = vb->fl;
	unsigned shift = (off & 3) * 8;
	uint32_t mask = size >= 4 ? 0xFFFFFFFFu : ((1u << (8 * size)) - 1);
	uint32_t v = val << shift;

	vb_flash_settle(vb, vb_io_now(vb));
	mask <<= shift;
	v &= mask;
	switch (off & ~3u) {
	case FLASH_ACR:
		fl->acr = (fl->acr & ~(mask & ACR_RW)) | (v & ACR_RW);
		fl->acr = (fl->acr & ~ACR_PRFTBS) |
			  (fl->acr & 0x10 ? ACR_PRFTBS : 0);
		break;
	case FLASH_KEYR:
		return write_key(vb, v, size == 4);
	case FLASH_OPTKEYR:
		write_optkey(vb, v, size == 4);
		break;
	case FLASH_SR:
		fl->sr &= ~(v & SR_W1C);
		break;
	case FLASH_CR:
		write_cr(vb, v, mask);
		break;
	case FLASH_AR:
		if (!(fl->sr & SR_BSY))
			fl->ar = (fl->ar & ~mask) | v;
		break;
	default: /* OBR, WRPR are read-only; the rest is reserved */
		break;
	}
	return VB_OK;
}

static bool in_option(uint32_t addr, unsigned size)
{
	return addr >= VB_OPT_BASE && addr - VB_OPT_BASE + size <= 16;
}

int vb_flash_read(struct vb *vb, enum vb_master m, uint32_t addr, unsigned size,
		  uint32_t *val)
{
	struct vb_flash *fl = vb->fl;
	bool opt = in_option(addr, size);
	int64_t off = addr >= VB_FLASH_BASE ? flash_off(vb, addr) : -1;

	*val = 0;
	if (!opt && (off < 0 || (uint64_t)off + size > vb->chip.flash_size))
		return VB_ERR;
	vb_flash_settle(vb, vb_io_now(vb));
	if (fl->op != OP_NONE)
		return VB_STALL;
	if (opt) {
		memcpy(val, vb->option + (addr - VB_OPT_BASE), size);
		return VB_OK;
	}
	if (fl->rdp && m == VB_DAP)
		return VB_ERR;
	memcpy(val, vb->flash + off, size);
	return VB_OK;
}

static int program_option(struct vb *vb, uint32_t addr, uint32_t val)
{
	struct vb_flash *fl = vb->fl;
	uint32_t off = addr - VB_OPT_BASE;
	uint64_t ps = vb->set.prog_ns * VB_PS_PER_NS;
	uint8_t b = (uint8_t)val; /* the hardware writes the complement */

	if (!(fl->cr & CR_OPTPG) || fl->cr & CR_LOCK)
		return VB_ERR;
	fl->ar = addr;
	if (!(fl->cr & CR_OPTWRE)) {
		fl->sr |= SR_WRPRTERR;
		return VB_OK;
	}
	if (vb->option[off] != 0xFF || vb->option[off + 1] != 0xFF) {
		fl->sr |= SR_PGERR;
		return VB_OK;
	}
	fl->op_unprotect = off == 0 && b == RDP_NONE && fl->rdp;
	if (fl->op_unprotect)
		ps += vb->set.mass_erase_us * VB_PS_PER_US;
	start(vb, OP_OPT_PROGRAM, off, ps);
	fl->op_val = b;
	return VB_OK;
}

int vb_flash_write(struct vb *vb, enum vb_master m, uint32_t addr,
		   unsigned size, uint32_t val)
{
	struct vb_flash *fl = vb->fl;
	bool opt = in_option(addr, 1);
	int64_t off = addr >= VB_FLASH_BASE ? flash_off(vb, addr) : -1;
	uint16_t old;

	(void)m;
	if (!opt && off < 0)
		return VB_ERR;
	vb_flash_settle(vb, vb_io_now(vb));
	if (fl->op != OP_NONE)
		return VB_STALL;
	/* "any attempt to write data that are not half-word long results
	 * in a bus error" (RM0008 §3.3.3) */
	if (size != 2 || addr & 1)
		return VB_ERR;
	if (opt)
		return program_option(vb, addr, val);
	if (!(fl->cr & CR_PG) || fl->cr & CR_LOCK)
		return VB_ERR;
	fl->ar = addr;
	if (page_protected(vb, (uint32_t)off / vb->chip.page_size)) {
		fl->sr |= SR_WRPRTERR;
		return VB_OK;
	}
	old = (uint16_t)(vb->flash[off] | vb->flash[off + 1] << 8);
	if (old != 0xFFFF && (uint16_t)val != 0) {
		fl->sr |= SR_PGERR;
		return VB_OK;
	}
	start(vb, OP_PROGRAM, (uint32_t)off, vb->set.prog_ns * VB_PS_PER_NS);
	fl->op_val = (uint16_t)val;
	return VB_OK;
}
