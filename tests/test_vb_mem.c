// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The virtual board's memory map (vb_mem.c): the boot alias and BOOT0,
 * system memory with the flash size and UID, SRAM, the peripherals'
 * dispatch (their rules: test_vb_periph.c), bus errors for what nobody answers and for misaligned
 * accesses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vb_test_util.h"

static int rd_ret(struct vb *vb, uint32_t addr, unsigned size)
{
	uint32_t v;

	return vb_bus_read(vb, VB_DAP, addr, size, &v);
}

static void boot_alias_follows_boot0_at_reset(void **state)
{
	struct vb *vb = vbt_board(NULL, 0);

	(void)state;
	vbt_unlock(vb);
	vbt_program(vb, VB_FLASH_BASE, 0xBEEF);
	assert_false(vb->boot0);
	assert_int_equal(vbt_rd(vb, 0, 2), 0xBEEF);
	/* the alias is as big as the flash */
	assert_int_equal(vbt_rd(vb, 128 * 1024 - 4, 4), 0xFFFFFFFF);
	assert_int_equal(rd_ret(vb, 128 * 1024, 4), VB_ERR);
	/* BOOT0 counts only when latched by a reset */
	vb_drive(vb, VB_BOOT0, 1);
	assert_int_equal(vbt_rd(vb, 0, 2), 0xBEEF);
	vb_drive(vb, VB_NRST, 1);
	vb_drive(vb, VB_NRST, 0);
	assert_true(vb->boot0);
	/* now system memory: its vector table, 2 KB, read-only */
	assert_int_equal(vbt_rd(vb, 0, 4), vbt_rd(vb, VB_SYSMEM_BASE, 4));
	assert_int_equal(vbt_rd(vb, 4, 4), vbt_rd(vb, VB_SYSMEM_BASE + 4, 4));
	assert_int_equal(vbt_rd(vb, 0x7FC, 4),
			 vbt_rd(vb, VB_SYSMEM_BASE + 0x7FC, 4));
	assert_int_equal(rd_ret(vb, 0x800, 4), VB_ERR);
	assert_int_equal(vb_bus_write(vb, VB_DAP, 0, 2, 0), VB_ERR);
	/* flash is still at 0x08000000 */
	assert_int_equal(vbt_rd(vb, VB_FLASH_BASE, 2), 0xBEEF);
	vb_drive(vb, VB_BOOT0, 0);
	vb_system_reset(vb);
	assert_int_equal(vbt_rd(vb, 0, 2), 0xBEEF);
	vbt_close(vb);
}

static void flash_size_register(void **state)
{
	static const char *const vc[] = {"variant=vc"};
	static const char *const ve[] = {"variant=ve"};
	struct vb *vb;

	(void)state;
	vb = vbt_board(NULL, 0);
	assert_int_equal(vbt_rd(vb, VB_FSIZE_ADDR, 2), 128);
	vbt_close(vb);
	vb = vbt_board(vc, 1);
	assert_int_equal(vbt_rd(vb, VB_FSIZE_ADDR, 2), 256);
	assert_int_equal(rd_ret(vb, VB_FLASH_BASE + 256 * 1024, 4), VB_ERR);
	assert_int_equal(vbt_rd(vb, VB_FLASH_BASE + 256 * 1024 - 4, 4),
			 0xFFFFFFFF);
	vbt_close(vb);
	vb = vbt_board(ve, 1);
	assert_int_equal(vbt_rd(vb, VB_FSIZE_ADDR, 2), 512);
	vbt_close(vb);
}

static void uid_bytes(void **state)
{
	static const char *const set[] = {"uid=00112233445566778899AABB"};
	static const uint8_t def[12] = {0x34, 0xFF, 0x6D, 0x06, 0x4D, 0x4B,
					0x31, 0x34, 0x32, 0x42, 0x20, 0x43};
	struct vb *vb;

	(void)state;
	vb = vbt_board(NULL, 0);
	for (unsigned i = 0; i < 12; i++)
		assert_int_equal(vbt_rd(vb, VB_UID_ADDR + i, 1), def[i]);
	vbt_close(vb);
	vb = vbt_board(set, 1);
	assert_int_equal(vbt_rd(vb, VB_UID_ADDR, 4), 0x33221100);
	assert_int_equal(vbt_rd(vb, VB_UID_ADDR + 4, 4), 0x77665544);
	assert_int_equal(vbt_rd(vb, VB_UID_ADDR + 8, 4), 0xBBAA9988);
	assert_int_equal(vbt_rd(vb, VB_UID_ADDR + 4, 2), 0x5544);
	/* system memory is read-only */
	assert_int_equal(vb_bus_write(vb, VB_DAP, VB_UID_ADDR, 4, 0), VB_ERR);
	assert_int_equal(vbt_rd(vb, VB_UID_ADDR, 4), 0x33221100);
	vbt_close(vb);
}

static void sram_little_endian_and_bounded(void **state)
{
	struct vb *vb = vbt_board(NULL, 0);
	uint32_t end = VB_SRAM_BASE + 20 * 1024;

	(void)state;
	vbt_wr(vb, VB_SRAM_BASE, 4, 0x11223344);
	assert_int_equal(vbt_rd(vb, VB_SRAM_BASE, 1), 0x44);
	assert_int_equal(vbt_rd(vb, VB_SRAM_BASE + 2, 2), 0x1122);
	vbt_wr(vb, VB_SRAM_BASE + 1, 1, 0xAA);
	assert_int_equal(vbt_rd(vb, VB_SRAM_BASE, 4), 0x1122AA44);
	assert_int_equal(vb_bus_write(vb, VB_CPU, end - 4, 4, 0x55), VB_OK);
	assert_int_equal(rd_ret(vb, end, 4), VB_ERR);
	assert_int_equal(vb_bus_write(vb, VB_DAP, end, 1, 0), VB_ERR);
	vbt_close(vb);
}

static void sram_bit_band(void **state)
{
	struct vb *vb = vbt_board(NULL, 0);
	uint32_t bb = 0x22000000 + 0x10 * 32; /* byte 0x20000010 */

	(void)state;
	vbt_wr(vb, VB_SRAM_BASE + 0x10, 4, 0);
	vbt_wr(vb, bb + 3 * 4, 4, 1);
	vbt_wr(vb, bb + 9 * 4, 4, 1); /* bit 1 of the next byte */
	assert_int_equal(vbt_rd(vb, VB_SRAM_BASE + 0x10, 4), 0x0208);
	assert_int_equal(vbt_rd(vb, bb + 3 * 4, 4), 1);
	assert_int_equal(vbt_rd(vb, bb + 4 * 4, 4), 0);
	vbt_wr(vb, bb + 3 * 4, 4, 0);
	assert_int_equal(vbt_rd(vb, VB_SRAM_BASE + 0x10, 4), 0x0200);
	vbt_close(vb);
}

static void unmapped_is_bus_error(void **state)
{
	static const uint32_t addr[] = {
		0x08000000 + 128 * 1024,
		0x1FFEFFFC,
		0x1FFFF810,
		0x1FFFFFFC,
		0x30000000,
		0x40000000,
		0x40024000,
		0x50000000,
		0x60000000,
		0xA0000000,
		0xE0100000,
		0xFFFFFFFC,
	};
	struct vb *vb = vbt_board(NULL, 0);

	(void)state;
	for (unsigned i = 0; i < sizeof(addr) / sizeof(addr[0]); i++) {
		if (rd_ret(vb, addr[i], 4) != VB_ERR)
			fail_msg("read of 0x%08X answered", addr[i]);
		if (vb_bus_write(vb, VB_DAP, addr[i], 4, 0) != VB_ERR)
			fail_msg("write of 0x%08X answered", addr[i]);
	}
	vbt_close(vb);
}

static void misaligned_is_bus_error(void **state)
{
	struct vb *vb = vbt_board(NULL, 0);

	(void)state;
	assert_int_equal(rd_ret(vb, VB_SRAM_BASE + 1, 2), VB_ERR);
	assert_int_equal(rd_ret(vb, VB_SRAM_BASE + 2, 4), VB_ERR);
	assert_int_equal(rd_ret(vb, VB_FLASH_BASE + 1, 2), VB_ERR);
	assert_int_equal(rd_ret(vb, VB_UID_ADDR + 2, 4), VB_ERR);
	assert_int_equal(rd_ret(vb, FPEC_SR + 1, 2), VB_ERR);
	assert_int_equal(vb_bus_write(vb, VB_DAP, VB_SRAM_BASE + 3, 4, 0),
			 VB_ERR);
	assert_int_equal(rd_ret(vb, VB_SRAM_BASE, 3), VB_ERR);
	assert_int_equal(rd_ret(vb, VB_SRAM_BASE, 8), VB_ERR);
	vbt_close(vb);
}

static void peripherals_are_modeled(void **state)
{
	struct vb *vb = vbt_board(NULL, 0);

	(void)state;
	/* RCC_CR: HSI on and ready */
	assert_int_equal(vbt_rd(vb, VB_RCC_BASE, 4) & 3, 3);
	/* a port without its clock: reads 0, writes are lost */
	assert_int_equal(vbt_rd(vb, 0x40010C00, 4), 0);
	vbt_wr(vb, VB_RCC_BASE + 0x18, 4, 0x7D); /* AFIO, IOPA-E */
	assert_int_equal(vbt_rd(vb, 0x40010C00, 4), 0x44444444);
	vbt_wr(vb, 0x40010C04, 4, 0x34444444);
	vbt_wr(vb, 0x40010C10, 2, 0x0200); /* BSRR: set PB9 */
	assert_int_equal(vbt_rd(vb, 0x40010C04, 4), 0x34444444);
	assert_int_equal(vbt_rd(vb, 0x40010C10, 4), 0); /* write-only */
	assert_int_equal(vbt_rd(vb, 0x40010C0C, 4), 0x200);
	vbt_wr(vb, 0x40010C0D, 1, 0x12); /* ODR, a byte */
	assert_int_equal(vbt_rd(vb, 0x40010C0C, 4), 0x1200);
	/* MAPR's SWJ_CFG is write-only */
	vbt_wr(vb, 0x40010004, 4, 0x02000001);
	assert_int_equal(vbt_rd(vb, 0x40010004, 4), 1);
	/* the others answer with their reset values, once clocked */
	vbt_wr(vb, VB_RCC_BASE + 0x18, 4, 0x507D);	    /* + SPI1, USART1 */
	vbt_wr(vb, VB_RCC_BASE + 0x1C, 4, 0xC000);	    /* SPI2, SPI3 */
	assert_int_equal(vbt_rd(vb, 0x40013000 + 8, 4), 2); /* SPI1_SR */
	assert_int_equal(vbt_rd(vb, 0x40003800 + 8, 4), 2); /* SPI2_SR */
	assert_int_equal(vbt_rd(vb, 0x40003C00 + 8, 4), 2); /* SPI3_SR */
	assert_int_equal(vbt_rd(vb, 0x40013800, 4), 0xC0);  /* USART1_SR */
	assert_int_equal(vbt_rd(vb, 0x40011800 + 4, 4), 0x44444444); /* E */
	/* a system reset brings the reset values back */
	vb_system_reset(vb);
	assert_int_equal(vbt_rd(vb, VB_RCC_BASE + 0x18, 4), 0);
	vbt_wr(vb, VB_RCC_BASE + 0x18, 4, 0x7D);
	assert_int_equal(vbt_rd(vb, 0x40010C04, 4), 0x44444444);
	assert_int_equal(vbt_rd(vb, 0x40010004, 4), 0);
	assert_int_equal(vbt_rd(vb, VB_RCC_BASE, 4), 0x83);
	vbt_close(vb);
}

static void peripheral_bit_band(void **state)
{
	struct vb *vb = vbt_board(NULL, 0);
	/* GPIOB_ODR (0x40010C0C) bit 9 */
	uint32_t bb = 0x42000000 + (0x10C0C + 1) * 32 + 1 * 4;

	(void)state;
	vbt_wr(vb, VB_RCC_BASE + 0x18, 4, 0x08); /* IOPBEN */
	vbt_wr(vb, bb, 4, 1);
	assert_int_equal(vbt_rd(vb, 0x40010C0C, 4), 0x200);
	assert_int_equal(vbt_rd(vb, bb, 4), 1);
	vbt_close(vb);
}

static void unpowered_answers_nothing(void **state)
{
	static const char *const set[] = {"unpowered=1"};
	struct vb *vb = vbt_board(set, 1);

	(void)state;
	assert_int_equal(rd_ret(vb, VB_SRAM_BASE, 4), VB_ERR);
	assert_int_equal(vb_bus_write(vb, VB_DAP, VB_SRAM_BASE, 4, 0), VB_ERR);
	vbt_close(vb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(boot_alias_follows_boot0_at_reset),
		cmocka_unit_test(flash_size_register),
		cmocka_unit_test(uid_bytes),
		cmocka_unit_test(sram_little_endian_and_bounded),
		cmocka_unit_test(sram_bit_band),
		cmocka_unit_test(unmapped_is_bus_error),
		cmocka_unit_test(misaligned_is_bus_error),
		cmocka_unit_test(peripherals_are_modeled),
		cmocka_unit_test(peripheral_bit_band),
		cmocka_unit_test(unpowered_answers_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
