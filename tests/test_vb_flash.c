// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The virtual board's flash controller and option bytes (vb_flash.c),
 * rule by rule, as RM0008 §3 and PM0075 state them, reached through the
 * bus as a debugger reaches them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "vb_test_util.h"

#define PAGE_CB 1024u
#define PAGE_HD 2048u

static struct vb *cb(void)
{
	return vbt_board(NULL, 0);
}

static uint16_t flash16(struct vb *vb, uint32_t addr)
{
	return (uint16_t)vbt_rd(vb, addr, 2);
}

/* --- unlock ------------------------------------------------------------ */

static void locked_after_reset(void **state)
{
	struct vb *vb = cb();

	(void)state;
	assert_int_equal(vbt_rd(vb, FPEC_CR, 4), CR_LOCK);
	assert_int_equal(vbt_sr(vb), 0);
	/* CR cannot be changed while locked */
	vbt_wr(vb, FPEC_CR, 4, CR_PG);
	assert_int_equal(vbt_rd(vb, FPEC_CR, 4), CR_LOCK);
	vbt_close(vb);
}

static void unlock_and_relock(void **state)
{
	struct vb *vb = cb();

	(void)state;
	vbt_wr(vb, FPEC_KEYR, 4, KEY1);
	assert_true(vbt_rd(vb, FPEC_CR, 4) & CR_LOCK);
	vbt_wr(vb, FPEC_KEYR, 4, KEY2);
	assert_int_equal(vbt_rd(vb, FPEC_CR, 4), 0);
	vbt_wr(vb, FPEC_CR, 4, CR_PG);
	assert_int_equal(vbt_rd(vb, FPEC_CR, 4), CR_PG);
	/* LOCK=1 relocks (and the write's other bits apply first) */
	vbt_wr(vb, FPEC_CR, 4, CR_LOCK);
	assert_int_equal(vbt_rd(vb, FPEC_CR, 4), CR_LOCK);
	vbt_unlock(vb);
	vbt_close(vb);
}

static void wrong_key_locks_until_reset(void **state)
{
	struct vb *vb = cb();
	uint32_t cr;

	(void)state;
	vbt_wr(vb, FPEC_KEYR, 4, KEY1);
	/* the wrong second key is a bus error (RM0008) */
	assert_int_equal(vb_bus_write(vb, VB_DAP, FPEC_KEYR, 4, 0x12345678),
			 VB_ERR);
	/* the right sequence no longer works, each key a bus error */
	assert_int_equal(vb_bus_write(vb, VB_DAP, FPEC_KEYR, 4, KEY1), VB_ERR);
	assert_int_equal(vb_bus_write(vb, VB_DAP, FPEC_KEYR, 4, KEY2), VB_ERR);
	cr = vbt_rd(vb, FPEC_CR, 4);
	assert_true(cr & CR_LOCK);
	vb_system_reset(vb);
	vbt_unlock(vb);
	vbt_close(vb);
}

static void wrong_key_order_locks(void **state)
{
	struct vb *vb = cb();

	(void)state;
	assert_int_equal(vb_bus_write(vb, VB_DAP, FPEC_KEYR, 4, KEY2), VB_ERR);
	assert_int_equal(vb_bus_write(vb, VB_DAP, FPEC_KEYR, 4, KEY1), VB_ERR);
	assert_true(vbt_rd(vb, FPEC_CR, 4) & CR_LOCK);
	/* a halfword key write is no key either */
	vb_system_reset(vb);
	assert_int_equal(vb_bus_write(vb, VB_DAP, FPEC_KEYR, 2, 0x0123),
			 VB_ERR);
	assert_true(vbt_rd(vb, FPEC_CR, 4) & CR_LOCK);
	/* a pin reset (NRST pulse) clears the lockout too */
	vb_drive(vb, VB_NRST, 1);
	vb_drive(vb, VB_NRST, 0);
	vbt_unlock(vb);
	vbt_close(vb);
}

static void keys_while_unlocked_are_ignored(void **state)
{
	struct vb *vb = cb();

	(void)state;
	/* OpenOCD writes the keys again without looking at LOCK */
	vbt_unlock(vb);
	vbt_unlock(vb);
	vbt_wr(vb, FPEC_KEYR, 4, 0xDEADBEEF);
	assert_int_equal(vbt_rd(vb, FPEC_CR, 4), 0);
	vbt_close(vb);
}

static void option_keys_need_unlocked_fpec(void **state)
{
	struct vb *vb = cb();

	(void)state;
	vbt_wr(vb, FPEC_OPTKEYR, 4, KEY1);
	vbt_wr(vb, FPEC_OPTKEYR, 4, KEY2);
	assert_false(vbt_rd(vb, FPEC_CR, 4) & CR_OPTWRE);
	vbt_unlock(vb);
	/* a wrong option key only restarts the option key sequence */
	vbt_wr(vb, FPEC_OPTKEYR, 4, KEY1);
	vbt_wr(vb, FPEC_OPTKEYR, 4, KEY1);
	assert_false(vbt_rd(vb, FPEC_CR, 4) & CR_OPTWRE);
	vbt_wr(vb, FPEC_OPTKEYR, 4, KEY1);
	vbt_wr(vb, FPEC_OPTKEYR, 4, KEY2);
	assert_true(vbt_rd(vb, FPEC_CR, 4) & CR_OPTWRE);
	/* software may clear OPTWRE, not set it */
	vbt_wr(vb, FPEC_CR, 4, 0);
	assert_false(vbt_rd(vb, FPEC_CR, 4) & CR_OPTWRE);
	vbt_wr(vb, FPEC_CR, 4, CR_OPTWRE);
	assert_false(vbt_rd(vb, FPEC_CR, 4) & CR_OPTWRE);
	vbt_close(vb);
}

/* --- programming ------------------------------------------------------- */

static void program_busy_for_prog_ns(void **state)
{
	static const char *const set[] = {"prog_ns=40000"};
	struct vb *vb = vbt_board(set, 1);
	uint64_t t = 40000 * VB_PS_PER_NS;
	uint32_t v;

	(void)state;
	vbt_unlock(vb);
	vbt_wr(vb, FPEC_CR, 4, CR_PG);
	vbt_wr(vb, VB_FLASH_BASE + 0x100, 2, 0x1234);
	assert_int_equal(vbt_sr(vb), SR_BSY);
	assert_int_equal(vb_flash_busy_until(vb), vb->now_ps + t);
	/* the flash stalls, the registers answer */
	assert_int_equal(vb_bus_read(vb, VB_DAP, VB_FLASH_BASE, 4, &v),
			 VB_STALL);
	assert_int_equal(vb_bus_read(vb, VB_CPU, VB_FLASH_BASE, 4, &v),
			 VB_STALL);
	assert_int_equal(vb_bus_write(vb, VB_DAP, VB_FLASH_BASE + 2, 2, 0),
			 VB_STALL);
	assert_int_equal(vbt_rd(vb, FPEC_CR, 4), CR_PG);
	vb_advance(vb, t - 1);
	assert_int_equal(vbt_sr(vb), SR_BSY);
	vb_advance(vb, 1);
	assert_int_equal(vbt_sr(vb), SR_EOP);
	assert_int_equal(vb_flash_busy_until(vb), 0);
	assert_int_equal(flash16(vb, VB_FLASH_BASE + 0x100), 0x1234);
	assert_int_equal(vbt_rd(vb, FPEC_AR, 4), VB_FLASH_BASE + 0x100);
	assert_int_equal(vb->st.programs, 1);
	assert_int_equal(vb->st.flash_busy_ps, t);
	/* EOP is cleared by writing 1 */
	vbt_wr(vb, FPEC_SR, 4, SR_EOP);
	assert_int_equal(vbt_sr(vb), 0);
	vbt_close(vb);
}

static void program_not_erased_is_pgerr(void **state)
{
	struct vb *vb = cb();

	(void)state;
	vbt_unlock(vb);
	assert_int_equal(vbt_program(vb, VB_FLASH_BASE + 8, 0x1234), SR_EOP);
	/* at once, without BSY, and nothing written */
	vbt_wr(vb, FPEC_CR, 4, CR_PG);
	vbt_wr(vb, VB_FLASH_BASE + 8, 2, 0x1230);
	assert_int_equal(vbt_sr(vb), SR_PGERR);
	assert_int_equal(flash16(vb, VB_FLASH_BASE + 8), 0x1234);
	vbt_wr(vb, FPEC_SR, 4, SR_PGERR);
	assert_int_equal(vbt_sr(vb), 0);
	/* even 0xFFFF over a programmed halfword */
	assert_int_equal(vbt_program(vb, VB_FLASH_BASE + 8, 0xFFFF), SR_PGERR);
	/* 0x0000 may always be written */
	assert_int_equal(vbt_program(vb, VB_FLASH_BASE + 8, 0x0000), SR_EOP);
	assert_int_equal(flash16(vb, VB_FLASH_BASE + 8), 0);
	assert_int_equal(vb->st.programs, 2);
	vbt_close(vb);
}

static void program_needs_halfwords_and_pg(void **state)
{
	struct vb *vb = cb();

	(void)state;
	vbt_unlock(vb);
	vbt_wr(vb, FPEC_CR, 4, CR_PG);
	assert_int_equal(vb_bus_write(vb, VB_DAP, VB_FLASH_BASE, 1, 0x12),
			 VB_ERR);
	assert_int_equal(vb_bus_write(vb, VB_DAP, VB_FLASH_BASE, 4, 0x12345678),
			 VB_ERR);
	assert_int_equal(vbt_sr(vb), 0);
	assert_int_equal(vbt_rd(vb, VB_FLASH_BASE, 4), 0xFFFFFFFF);
	/* without PG */
	vbt_wr(vb, FPEC_CR, 4, 0);
	assert_int_equal(vb_bus_write(vb, VB_DAP, VB_FLASH_BASE, 2, 0x1234),
			 VB_ERR);
	/* locked, even with PG left on */
	vbt_wr(vb, FPEC_CR, 4, CR_PG);
	vbt_wr(vb, FPEC_CR, 4, CR_PG | CR_LOCK);
	assert_int_equal(vb_bus_write(vb, VB_DAP, VB_FLASH_BASE, 2, 0x1234),
			 VB_ERR);
	assert_int_equal(vbt_rd(vb, VB_FLASH_BASE, 4), 0xFFFFFFFF);
	assert_int_equal(vb->st.programs, 0);
	vbt_close(vb);
}

static void program_by_core_and_through_alias(void **state)
{
	struct vb *vb = cb();

	(void)state;
	vbt_unlock(vb);
	vbt_wr(vb, FPEC_CR, 4, CR_PG);
	assert_int_equal(vb_bus_write(vb, VB_CPU, VB_FLASH_BASE + 4, 2, 0xA5A5),
			 VB_OK);
	vbt_wait(vb);
	/* the boot alias at 0 is the same flash */
	vbt_wr(vb, 6, 2, 0x5A5A);
	vbt_wait(vb);
	assert_int_equal(vbt_rd(vb, VB_FLASH_BASE + 4, 4), 0x5A5AA5A5);
	assert_int_equal(vbt_rd(vb, 4, 4), 0x5A5AA5A5);
	vbt_close(vb);
}

/* --- erase ------------------------------------------------------------- */

static void page_erase_cb(void **state)
{
	static const char *const set[] = {"page_erase_us=21000"};
	struct vb *vb = vbt_board(set, 1);
	uint32_t p4 = VB_FLASH_BASE + 4 * PAGE_CB;

	(void)state;
	vbt_unlock(vb);
	for (unsigned i = 0; i < 3; i++) {
		vbt_program(vb, p4 + i * PAGE_CB, 0x1111);
		vbt_program(vb, p4 + i * PAGE_CB + PAGE_CB - 2, 0x2222);
	}
	vbt_wr(vb, FPEC_CR, 4, CR_PER);
	vbt_wr(vb, FPEC_AR, 4, p4 + PAGE_CB + 0x155); /* inside page 5 */
	vbt_wr(vb, FPEC_CR, 4, CR_PER | CR_STRT);
	assert_int_equal(vbt_sr(vb), SR_BSY);
	assert_true(vbt_rd(vb, FPEC_CR, 4) & CR_STRT);
	/* AR cannot change while busy */
	vbt_wr(vb, FPEC_AR, 4, VB_FLASH_BASE);
	assert_int_equal(vbt_rd(vb, FPEC_AR, 4), p4 + PAGE_CB + 0x155);
	assert_int_equal(vbt_wait(vb), 21000 * VB_PS_PER_US);
	assert_int_equal(vbt_sr(vb), SR_EOP);
	assert_int_equal(vbt_rd(vb, FPEC_CR, 4), CR_PER); /* STRT cleared */
	assert_int_equal(flash16(vb, p4 + PAGE_CB), 0xFFFF);
	assert_int_equal(flash16(vb, p4 + 2 * PAGE_CB - 2), 0xFFFF);
	assert_int_equal(flash16(vb, p4), 0x1111);
	assert_int_equal(flash16(vb, p4 + PAGE_CB - 2), 0x2222);
	assert_int_equal(flash16(vb, p4 + 2 * PAGE_CB), 0x1111);
	assert_int_equal(vb->st.page_erases, 1);
	vbt_close(vb);
}

static void page_erase_vc_is_2k(void **state)
{
	static const char *const set[] = {"variant=vc"};
	struct vb *vb = vbt_board(set, 1);
	uint32_t p2 = VB_FLASH_BASE + 2 * PAGE_HD;

	(void)state;
	vbt_unlock(vb);
	vbt_program(vb, p2 - 2, 0x1111);
	vbt_program(vb, p2, 0x2222);
	vbt_program(vb, p2 + PAGE_HD - 2, 0x3333);
	vbt_program(vb, p2 + PAGE_HD, 0x4444);
	assert_int_equal(vbt_page_erase(vb, p2 + 0x400), SR_EOP);
	assert_int_equal(flash16(vb, p2 - 2), 0x1111);
	assert_int_equal(flash16(vb, p2), 0xFFFF);
	assert_int_equal(flash16(vb, p2 + PAGE_HD - 2), 0xFFFF);
	assert_int_equal(flash16(vb, p2 + PAGE_HD), 0x4444);
	/* an address outside main flash erases nothing */
	assert_int_equal(vbt_page_erase(vb, VB_FLASH_BASE + 256 * 1024),
			 SR_PGERR);
	assert_int_equal(vb->st.page_erases, 1);
	vbt_close(vb);
}

static void mass_erase(void **state)
{
	static const char *const set[] = {"variant=ve", "mass_erase_us=25000"};
	struct vb *vb = vbt_board(set, 2);

	(void)state;
	vbt_unlock(vb);
	vbt_program(vb, VB_FLASH_BASE, 0x1234);
	vbt_program(vb, VB_FLASH_BASE + 512 * 1024 - 2, 0x5678);
	vbt_wr(vb, FPEC_CR, 4, CR_MER);
	vbt_wr(vb, FPEC_CR, 4, CR_MER | CR_STRT);
	assert_int_equal(vbt_sr(vb), SR_BSY);
	assert_int_equal(vbt_wait(vb), 25000 * VB_PS_PER_US);
	assert_int_equal(vbt_sr(vb), SR_EOP);
	for (uint32_t off = 0; off < 512 * 1024; off += 4)
		if (vb->flash[off] != 0xFF)
			fail_msg("0x%X not erased", off);
	assert_int_equal(flash16(vb, VB_FLASH_BASE + 512 * 1024 - 2), 0xFFFF);
	assert_int_equal(vb->st.mass_erases, 1);
	vbt_close(vb);
}

static void stall_while_erasing(void **state)
{
	struct vb *vb = cb();
	uint32_t v;

	(void)state;
	vbt_unlock(vb);
	vbt_wr(vb, FPEC_CR, 4, CR_MER);
	vbt_wr(vb, FPEC_CR, 4, CR_MER | CR_STRT);
	assert_int_equal(vb_bus_read(vb, VB_DAP, 0x1FFFF800, 4, &v), VB_STALL);
	assert_int_equal(vb_bus_read(vb, VB_DAP, 0, 4, &v), VB_STALL);
	/* SRAM and system memory do not wait for the flash */
	assert_int_equal(vb_bus_read(vb, VB_DAP, VB_SRAM_BASE, 4, &v), VB_OK);
	assert_int_equal(vb_bus_read(vb, VB_DAP, VB_FSIZE_ADDR, 2, &v), VB_OK);
	/* a second STRT while busy starts nothing */
	vbt_wr(vb, FPEC_CR, 4, CR_MER | CR_STRT);
	vbt_wait(vb);
	assert_int_equal(vb->st.mass_erases, 1);
	vbt_close(vb);
}

static void reset_completes_operation(void **state)
{
	struct vb *vb = cb();

	(void)state;
	vbt_unlock(vb);
	vbt_program(vb, VB_FLASH_BASE + 0x800, 0x1234);
	vbt_wr(vb, FPEC_CR, 4, CR_PER);
	vbt_wr(vb, FPEC_AR, 4, VB_FLASH_BASE + 0x800);
	vbt_wr(vb, FPEC_CR, 4, CR_PER | CR_STRT);
	vb_advance(vb, 1000 * VB_PS_PER_US);
	vb_system_reset(vb);
	assert_int_equal(vbt_sr(vb), 0);
	assert_int_equal(vbt_rd(vb, FPEC_CR, 4), CR_LOCK);
	assert_int_equal(flash16(vb, VB_FLASH_BASE + 0x800), 0xFFFF);
	assert_int_equal(vb->st.page_erases, 1);
	vbt_close(vb);
}

/* --- option bytes ------------------------------------------------------ */

static void option_erase_and_program(void **state)
{
	static const char *const set[] = {"page_erase_us=22000",
					  "prog_ns=60000"};
	struct vb *vb = vbt_board(set, 2);
	uint32_t v;

	(void)state;
	/* factory: RDP 0xA5, the rest 0xFF, each with its complement */
	assert_int_equal(vbt_rd(vb, VB_OPT_BASE, 4), 0x00FF5AA5);
	assert_int_equal(vbt_rd(vb, VB_OPT_BASE + 12, 4), 0x00FF00FF);
	vbt_opt_unlock(vb);
	vbt_wr(vb, FPEC_CR, 4, CR_OPTER | CR_OPTWRE);
	vbt_wr(vb, FPEC_CR, 4, CR_OPTER | CR_STRT | CR_OPTWRE);
	assert_int_equal(vbt_sr(vb), SR_BSY);
	assert_int_equal(vbt_wait(vb), 22000 * VB_PS_PER_US);
	assert_int_equal(vbt_sr(vb), SR_EOP);
	for (unsigned i = 0; i < 16; i += 4)
		assert_int_equal(vbt_rd(vb, VB_OPT_BASE + i, 4), 0xFFFFFFFF);
	assert_int_equal(vb->st.opt_erases, 1);
	vbt_wr(vb, FPEC_SR, 4, SR_EOP);

	/* the low byte is written, the hardware adds the complement */
	vbt_wr(vb, FPEC_CR, 4, CR_OPTPG | CR_OPTWRE);
	vbt_wr(vb, VB_OPT_BASE + 2, 2, 0x12FB);
	assert_int_equal(vbt_sr(vb), SR_BSY);
	assert_int_equal(vbt_wait(vb), 60000 * VB_PS_PER_NS);
	assert_int_equal(vbt_rd(vb, VB_OPT_BASE + 2, 2), 0x04FB);
	assert_int_equal(vb->st.opt_programs, 1);
	vbt_wr(vb, FPEC_SR, 4, SR_EOP);
	/* a programmed option byte is not erased: PGERR */
	assert_int_equal(vbt_opt_program(vb, 1, 0xFF), SR_PGERR);
	assert_int_equal(vbt_rd(vb, VB_OPT_BASE + 2, 2), 0x04FB);
	/* byte and word writes are bus errors */
	vbt_wr(vb, FPEC_CR, 4, CR_OPTPG | CR_OPTWRE);
	assert_int_equal(vb_bus_write(vb, VB_DAP, VB_OPT_BASE + 4, 1, 0x11),
			 VB_ERR);
	assert_int_equal(vb_bus_write(vb, VB_DAP, VB_OPT_BASE + 4, 4, 0x11),
			 VB_ERR);
	/* without OPTPG too */
	vbt_wr(vb, FPEC_CR, 4, CR_OPTWRE);
	assert_int_equal(vb_bus_write(vb, VB_DAP, VB_OPT_BASE + 4, 2, 0x11),
			 VB_ERR);
	/* without OPTWRE: WRPRTERR, nothing written or erased */
	vbt_wr(vb, FPEC_CR, 4, CR_OPTPG);
	vbt_wr(vb, VB_OPT_BASE + 4, 2, 0x11);
	assert_int_equal(vbt_sr(vb), SR_WRPRTERR);
	vbt_wr(vb, FPEC_SR, 4, SR_WRPRTERR);
	vbt_wr(vb, FPEC_CR, 4, CR_OPTER);
	vbt_wr(vb, FPEC_CR, 4, CR_OPTER | CR_STRT);
	assert_int_equal(vbt_sr(vb), SR_WRPRTERR);
	assert_int_equal(vb_bus_read(vb, VB_DAP, VB_OPT_BASE + 4, 2, &v),
			 VB_OK);
	assert_int_equal(v, 0xFFFF);
	assert_int_equal(vbt_rd(vb, VB_OPT_BASE + 2, 2), 0x04FB);
	vbt_close(vb);
}

static void obr_wrpr_reload_only_at_reset(void **state)
{
	struct vb *vb = cb();

	(void)state;
	assert_int_equal(vbt_rd(vb, FPEC_OBR, 4), 0x03FFFFFC);
	assert_int_equal(vbt_rd(vb, FPEC_WRPR, 4), 0xFFFFFFFF);
	vbt_opt_unlock(vb);
	assert_int_equal(vbt_opt_erase(vb), SR_EOP);
	assert_int_equal(vbt_opt_program(vb, 0, 0xA5), SR_EOP);
	assert_int_equal(vbt_opt_program(vb, 1, 0xFE), SR_EOP);
	assert_int_equal(vbt_opt_program(vb, 2, 0x12), SR_EOP);
	assert_int_equal(vbt_opt_program(vb, 3, 0x34), SR_EOP);
	assert_int_equal(vbt_opt_program(vb, 4, 0xF0), SR_EOP);
	assert_int_equal(vbt_opt_program(vb, 5, 0xFF), SR_EOP);
	assert_int_equal(vbt_opt_program(vb, 6, 0xFF), SR_EOP);
	assert_int_equal(vbt_opt_program(vb, 7, 0x7F), SR_EOP);
	/* nothing changes before a reset */
	assert_int_equal(vbt_rd(vb, FPEC_OBR, 4), 0x03FFFFFC);
	assert_int_equal(vbt_rd(vb, FPEC_WRPR, 4), 0xFFFFFFFF);
	assert_int_equal(vbt_program(vb, VB_FLASH_BASE, 0x1234), SR_EOP);
	vb_system_reset(vb);
	assert_int_equal(vbt_rd(vb, FPEC_OBR, 4),
			 0x34u << 18 | 0x12u << 10 | 0xFEu << 2);
	assert_int_equal(vbt_rd(vb, FPEC_WRPR, 4), 0x7FFFFFF0);
	vbt_close(vb);
}

static void opterr_on_bad_complement(void **state)
{
	struct vb *vb = cb();

	(void)state;
	vb->option[2] = 0xFE; /* USER with a wrong complement */
	vb->option[3] = 0x00;
	vb->option[8] = 0x00; /* WRP0 0x00 would protect everything... */
	vb->option[9] = 0x00; /* ...but its complement is wrong */
	vb_system_reset(vb);
	assert_int_equal(vbt_rd(vb, FPEC_OBR, 4), 0x03FFFFFD);
	assert_int_equal(vbt_rd(vb, FPEC_WRPR, 4), 0xFFFFFFFF);
	assert_false(vb_flash_rdp(vb));
	/* a bad RDP complement reads as 0xFF: protected */
	vb->option[1] = 0x5B;
	vb_system_reset(vb);
	assert_int_equal(vbt_rd(vb, FPEC_OBR, 4), 0x03FFFFFF);
	assert_true(vb_flash_rdp(vb));
	vbt_close(vb);
}

static void erased_options_protect(void **state)
{
	struct vb *vb = cb();
	uint32_t v;

	(void)state;
	vbt_opt_unlock(vb);
	vbt_opt_erase(vb);
	vb_system_reset(vb);
	/* an erased pair mismatches (OPTERR) and reads 0xFF: RDP on */
	assert_int_equal(vbt_rd(vb, FPEC_OBR, 4), 0x03FFFFFF);
	assert_int_equal(vb_bus_read(vb, VB_DAP, VB_FLASH_BASE, 4, &v), VB_ERR);
	vbt_close(vb);
}

/* --- readout protection ------------------------------------------------ */

/* Set RDP as OpenOCD's "stm32f1x lock" does, and reset. */
static void rdp_lock(struct vb *vb)
{
	vbt_opt_unlock(vb);
	assert_int_equal(vbt_opt_erase(vb), SR_EOP);
	assert_int_equal(vbt_opt_program(vb, 0, 0x00), SR_EOP);
	for (unsigned i = 1; i < 8; i++)
		assert_int_equal(vbt_opt_program(vb, i, 0xFF), SR_EOP);
	vbt_wr(vb, FPEC_CR, 4, CR_LOCK);
	vb_system_reset(vb);
}

static void rdp_blocks_debugger_reads(void **state)
{
	struct vb *vb = cb();
	uint32_t v;

	(void)state;
	vbt_unlock(vb);
	vbt_program(vb, VB_FLASH_BASE + 0x2000, 0xCAFE);
	rdp_lock(vb);
	assert_true(vb_flash_rdp(vb));
	assert_int_equal(vbt_rd(vb, FPEC_OBR, 4) & 3, 2);
	assert_int_equal(vb_bus_read(vb, VB_DAP, VB_FLASH_BASE + 0x2000, 2, &v),
			 VB_ERR);
	assert_int_equal(vb_bus_read(vb, VB_DAP, 0x2000, 2, &v), VB_ERR);
	/* the core reads it */
	assert_int_equal(vb_bus_read(vb, VB_CPU, VB_FLASH_BASE + 0x2000, 2, &v),
			 VB_OK);
	assert_int_equal(v, 0xCAFE);
	/* the option bytes stay readable */
	assert_int_equal(vbt_rd(vb, VB_OPT_BASE, 4), 0x00FFFF00);
	vbt_close(vb);
}

static void rdp_protects_first_4k(void **state)
{
	static const char *const set[] = {"variant=vc"};
	struct vb *vb = cb();
	struct vb *vc = vbt_board(set, 1);

	(void)state;
	rdp_lock(vb);
	vbt_unlock(vb);
	for (uint32_t a = 0; a < 4096; a += PAGE_CB) {
		assert_int_equal(vbt_program(vb, VB_FLASH_BASE + a, 0),
				 SR_WRPRTERR);
		assert_int_equal(vbt_page_erase(vb, VB_FLASH_BASE + a),
				 SR_WRPRTERR);
	}
	assert_int_equal(vbt_program(vb, VB_FLASH_BASE + 4096, 0), SR_EOP);
	assert_int_equal(vbt_page_erase(vb, VB_FLASH_BASE + 4096), SR_EOP);
	/* a mass erase is not stopped by it, and erases the first 4 KB */
	vb->flash[0x10] = 0;
	vbt_wr(vb, FPEC_CR, 4, CR_MER);
	vbt_wr(vb, FPEC_CR, 4, CR_MER | CR_STRT);
	vbt_wait(vb);
	assert_int_equal(vbt_sr(vb), SR_EOP);
	assert_int_equal(vb->flash[0x10], 0xFF);
	vbt_close(vb);

	rdp_lock(vc); /* 2 KB pages: pages 0 and 1 */
	vbt_unlock(vc);
	assert_int_equal(vbt_page_erase(vc, VB_FLASH_BASE + PAGE_HD),
			 SR_WRPRTERR);
	assert_int_equal(vbt_page_erase(vc, VB_FLASH_BASE + 2 * PAGE_HD),
			 SR_EOP);
	vbt_close(vc);
}

static void rdp_removal_mass_erases(void **state)
{
	static const char *const set[] = {"mass_erase_us=24000",
					  "prog_ns=50000"};
	struct vb *vb = vbt_board(set, 2);
	uint32_t v;

	(void)state;
	vbt_unlock(vb);
	vbt_program(vb, VB_FLASH_BASE + 0x8000, 0xBEEF);
	rdp_lock(vb);
	vbt_opt_unlock(vb);
	/* erasing the option bytes alone keeps the flash (PM0075) */
	assert_int_equal(vbt_opt_erase(vb), SR_EOP);
	assert_int_equal(vb->flash[0x8000], 0xEF);
	/* programming RDP = 0xA5 mass-erases first */
	vbt_wr(vb, FPEC_CR, 4, CR_OPTPG | CR_OPTWRE);
	vbt_wr(vb, VB_OPT_BASE, 2, 0x00A5);
	assert_int_equal(vbt_wait(vb),
			 24000 * VB_PS_PER_US + 50000 * VB_PS_PER_NS);
	assert_int_equal(vbt_sr(vb), SR_EOP);
	assert_int_equal(vb->flash[0x8000], 0xFF);
	assert_int_equal(vb->flash[0x8001], 0xFF);
	assert_int_equal(vb->st.mass_erases, 1);
	assert_int_equal(vbt_rd(vb, VB_OPT_BASE, 2), 0x5AA5);
	/* still protected until a reset */
	assert_int_equal(vb_bus_read(vb, VB_DAP, VB_FLASH_BASE, 4, &v), VB_ERR);
	vb_system_reset(vb);
	assert_false(vb_flash_rdp(vb));
	assert_int_equal(vbt_rd(vb, VB_FLASH_BASE + 0x8000, 2), 0xFFFF);
	vbt_close(vb);
}

static void rdp_a5_without_protection_keeps_flash(void **state)
{
	struct vb *vb = cb();

	(void)state;
	vbt_unlock(vb);
	vbt_program(vb, VB_FLASH_BASE + 0x100, 0x1234);
	vbt_opt_unlock(vb);
	vbt_opt_erase(vb);
	assert_int_equal(vbt_opt_program(vb, 0, 0xA5), SR_EOP);
	assert_int_equal(vbt_rd(vb, VB_FLASH_BASE + 0x100, 2), 0x1234);
	assert_int_equal(vb->st.mass_erases, 0);
	vbt_close(vb);
}

/* --- write protection -------------------------------------------------- */

/* Protect by WRP bit (0 = protected) and reset. */
static void set_wrp(struct vb *vb, uint32_t wrp)
{
	vbt_opt_unlock(vb);
	vbt_opt_erase(vb);
	vbt_opt_program(vb, 0, 0xA5);
	for (unsigned i = 0; i < 4; i++)
		vbt_opt_program(vb, 4 + i, (uint8_t)(wrp >> (8 * i)));
	vb_system_reset(vb);
	assert_int_equal(vbt_rd(vb, FPEC_WRPR, 4), wrp);
	vbt_unlock(vb);
}

static bool erase_refused(struct vb *vb, uint32_t page, uint32_t page_size)
{
	uint32_t sr = vbt_page_erase(vb, VB_FLASH_BASE + page * page_size);

	return sr == SR_WRPRTERR;
}

static void wrp_bits_cb(void **state)
{
	struct vb *vb = cb();

	(void)state;
	set_wrp(vb, ~(1u << 0 | 1u << 7 | 1u << 31));
	for (uint32_t p = 0; p < 4; p++)
		assert_true(erase_refused(vb, p, PAGE_CB));
	assert_false(erase_refused(vb, 4, PAGE_CB));
	assert_false(erase_refused(vb, 27, PAGE_CB));
	for (uint32_t p = 28; p < 32; p++)
		assert_true(erase_refused(vb, p, PAGE_CB));
	assert_false(erase_refused(vb, 32, PAGE_CB));
	assert_false(erase_refused(vb, 123, PAGE_CB));
	for (uint32_t p = 124; p < 128; p++)
		assert_true(erase_refused(vb, p, PAGE_CB));
	/* programming a protected page: WRPRTERR, nothing written */
	assert_int_equal(vbt_program(vb, VB_FLASH_BASE + 29 * PAGE_CB, 0x1234),
			 SR_WRPRTERR);
	assert_int_equal(vbt_rd(vb, VB_FLASH_BASE + 29 * PAGE_CB, 2), 0xFFFF);
	assert_int_equal(vbt_program(vb, VB_FLASH_BASE + 32 * PAGE_CB, 0x1234),
			 SR_EOP);
	vbt_close(vb);
}

static void wrp_bits_ve(void **state)
{
	static const char *const set[] = {"variant=ve"};
	struct vb *vb = vbt_board(set, 1);

	(void)state;
	set_wrp(vb, ~(1u << 0 | 1u << 30 | 1u << 31));
	assert_true(erase_refused(vb, 0, PAGE_HD));
	assert_true(erase_refused(vb, 1, PAGE_HD));
	assert_false(erase_refused(vb, 2, PAGE_HD));
	assert_false(erase_refused(vb, 59, PAGE_HD));
	assert_true(erase_refused(vb, 60, PAGE_HD));
	assert_true(erase_refused(vb, 61, PAGE_HD));
	/* bit 31: page 62 to the end */
	assert_true(erase_refused(vb, 62, PAGE_HD));
	assert_true(erase_refused(vb, 200, PAGE_HD));
	assert_true(erase_refused(vb, 255, PAGE_HD));
	vbt_close(vb);

	vb = vbt_board(set, 1);
	set_wrp(vb, ~(1u << 29));
	assert_false(erase_refused(vb, 57, PAGE_HD));
	assert_true(erase_refused(vb, 58, PAGE_HD));
	assert_true(erase_refused(vb, 59, PAGE_HD));
	assert_false(erase_refused(vb, 60, PAGE_HD));
	assert_false(erase_refused(vb, 62, PAGE_HD));
	vbt_close(vb);
}

static void mass_erase_refused_when_protected(void **state)
{
	struct vb *vb = cb();

	(void)state;
	vbt_unlock(vb);
	vbt_program(vb, VB_FLASH_BASE + 0x10000, 0x1234);
	set_wrp(vb, ~(1u << 3));
	vbt_wr(vb, FPEC_CR, 4, CR_MER);
	vbt_wr(vb, FPEC_CR, 4, CR_MER | CR_STRT);
	assert_int_equal(vbt_sr(vb), SR_WRPRTERR);
	assert_int_equal(vbt_rd(vb, VB_FLASH_BASE + 0x10000, 2), 0x1234);
	assert_int_equal(vb->st.mass_erases, 0);
	vbt_close(vb);
}

/* --- faults ------------------------------------------------------------ */

static void bad_page_keeps_contents(void **state)
{
	static const char *const set[] = {"bad_page=0x08002000"};
	struct vb *vb = vbt_board(set, 1);

	(void)state;
	vbt_unlock(vb);
	vbt_program(vb, VB_FLASH_BASE + 0x2010, 0x1234);
	vbt_program(vb, VB_FLASH_BASE + 0x2400, 0x5678);
	/* the erase "completes", with its time and EOP */
	assert_int_equal(vbt_page_erase(vb, VB_FLASH_BASE + 0x2000), SR_EOP);
	assert_int_equal(vbt_rd(vb, VB_FLASH_BASE + 0x2010, 2), 0x1234);
	assert_int_equal(vbt_page_erase(vb, VB_FLASH_BASE + 0x2400), SR_EOP);
	assert_int_equal(vbt_rd(vb, VB_FLASH_BASE + 0x2400, 2), 0xFFFF);
	/* a mass erase does not reach it either */
	vbt_wr(vb, FPEC_CR, 4, CR_MER);
	vbt_wr(vb, FPEC_CR, 4, CR_MER | CR_STRT);
	vbt_wait(vb);
	assert_int_equal(vbt_rd(vb, VB_FLASH_BASE + 0x2010, 2), 0x1234);
	assert_int_equal(vb->st.page_erases, 2);
	vbt_close(vb);
}

static void power_loss_after_n_operations(void **state)
{
	static const char *const set[] = {"power_loss_after=3"};
	struct vb *vb = vbt_board(set, 1);
	uint32_t v;

	(void)state;
	vbt_unlock(vb);
	vbt_program(vb, VB_FLASH_BASE, 0x1111);
	vbt_program(vb, VB_FLASH_BASE + 2, 0x2222);
	assert_true(vb->powered);
	vbt_wr(vb, FPEC_CR, 4, CR_PG);
	vbt_wr(vb, VB_FLASH_BASE + 4, 2, 0x3333);
	vb_advance(vb, 100 * VB_PS_PER_US);
	assert_false(vb->powered);
	/* nothing answers any more; what was written stays */
	assert_int_equal(vb_bus_read(vb, VB_DAP, FPEC_SR, 4, &v), VB_ERR);
	assert_int_equal(vb->flash[4], 0x33);
	assert_int_equal(vb->st.programs, 3);
	vbt_close(vb);
}

static void power_loss_mid_operation_loses_it(void **state)
{
	struct vb *vb = cb();

	(void)state;
	vbt_unlock(vb);
	vbt_wr(vb, FPEC_CR, 4, CR_PG);
	vbt_wr(vb, VB_FLASH_BASE, 2, 0x1234);
	vb_power_loss(vb);
	vb_advance(vb, 1000 * VB_PS_PER_US);
	assert_int_equal(vb->flash[0], 0xFF);
	assert_int_equal(vb->st.programs, 0);
	vbt_close(vb);
}

static void acr_and_reserved(void **state)
{
	struct vb *vb = cb();

	(void)state;
	assert_int_equal(vbt_rd(vb, FPEC_ACR, 4), 0x30);
	vbt_wr(vb, FPEC_ACR, 4, 0x12);
	assert_int_equal(vbt_rd(vb, FPEC_ACR, 4), 0x32);
	vbt_wr(vb, FPEC_ACR, 4, 0x02);
	assert_int_equal(vbt_rd(vb, FPEC_ACR, 4), 0x02);
	assert_int_equal(vbt_rd(vb, FPEC_KEYR, 4), 0);
	assert_int_equal(vbt_rd(vb, VB_FPEC_BASE + 0x18, 4), 0);
	/* OBR and WRPR are read-only */
	vbt_wr(vb, FPEC_OBR, 4, 0);
	vbt_wr(vb, FPEC_WRPR, 4, 0);
	assert_int_equal(vbt_rd(vb, FPEC_OBR, 4), 0x03FFFFFC);
	assert_int_equal(vbt_rd(vb, FPEC_WRPR, 4), 0xFFFFFFFF);
	/* byte reads of a register */
	assert_int_equal(vbt_rd(vb, FPEC_OBR + 3, 1), 0x03);
	assert_int_equal(vbt_rd(vb, FPEC_OBR + 2, 2), 0x03FF);
	vbt_close(vb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(locked_after_reset),
		cmocka_unit_test(unlock_and_relock),
		cmocka_unit_test(wrong_key_locks_until_reset),
		cmocka_unit_test(wrong_key_order_locks),
		cmocka_unit_test(keys_while_unlocked_are_ignored),
		cmocka_unit_test(option_keys_need_unlocked_fpec),
		cmocka_unit_test(program_busy_for_prog_ns),
		cmocka_unit_test(program_not_erased_is_pgerr),
		cmocka_unit_test(program_needs_halfwords_and_pg),
		cmocka_unit_test(program_by_core_and_through_alias),
		cmocka_unit_test(page_erase_cb),
		cmocka_unit_test(page_erase_vc_is_2k),
		cmocka_unit_test(mass_erase),
		cmocka_unit_test(stall_while_erasing),
		cmocka_unit_test(reset_completes_operation),
		cmocka_unit_test(option_erase_and_program),
		cmocka_unit_test(obr_wrpr_reload_only_at_reset),
		cmocka_unit_test(opterr_on_bad_complement),
		cmocka_unit_test(erased_options_protect),
		cmocka_unit_test(rdp_blocks_debugger_reads),
		cmocka_unit_test(rdp_protects_first_4k),
		cmocka_unit_test(rdp_removal_mass_erases),
		cmocka_unit_test(rdp_a5_without_protection_keeps_flash),
		cmocka_unit_test(wrp_bits_cb),
		cmocka_unit_test(wrp_bits_ve),
		cmocka_unit_test(mass_erase_refused_when_protected),
		cmocka_unit_test(bad_page_keeps_contents),
		cmocka_unit_test(power_loss_after_n_operations),
		cmocka_unit_test(power_loss_mid_operation_loses_it),
		cmocka_unit_test(acr_and_reserved),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
