// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where things are, as the command line says it: numbers, spi:ADDR, region
 * names of a board, flash/option/spi, with :LEN; and FILE@WHERE.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ub/addr.h"
#include "ub/board.h"
#include "ub/err.h"

static struct ub_board *spark, *dso, *f1;

static struct ub_board *load(const char *name)
{
	const char *src = getenv("UNBRICK_SRCDIR");
	char path[4096];
	struct ub_board *b;
	int err = 0;

	snprintf(path, sizeof(path), "%s/boards/%s.conf", src ? src : ".",
		 name);
	b = ub_board_load(path, &err);
	if (!b)
		fprintf(stderr, "%s: %s\n", path, ub_errmsg(err));
	return b;
}

static int setup(void **state)
{
	(void)state;
	spark = load("spark-core");
	dso = load("dso-quad");
	f1 = load("stm32f1");
	return spark && dso && f1 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ub_board_free(spark);
	ub_board_free(dso);
	ub_board_free(f1);
	return 0;
}

/* s parses (with board b) to space, addr, and len when has_len. */
static void where(const char *s, const struct ub_board *b, enum ub_space space,
		  uint32_t addr, bool has_len, uint32_t len, const char *region)
{
	struct ub_where w;
	int err;

	memset(&w, 0xA5, sizeof(w));
	ub_clear_error();
	err = ub_where_parse(s, b, &w);
	if (err)
		fail_msg("'%s' refused: %s", s, ub_errmsg(err));
	if (w.space != space || w.addr != addr || w.has_len != has_len ||
	    (has_len && w.len != len))
		fail_msg("'%s': space %d addr 0x%X has_len %d len %u; want %d "
			 "0x%X %d %u",
			 s, w.space, w.addr, w.has_len, w.len, space, addr,
			 has_len, len);
	if (!has_len)
		assert_int_equal(w.len, 0);
	assert_string_equal(w.region, region);
}

/* s is refused with UB_EUSAGE and a message containing what. */
static void bad(const char *s, const struct ub_board *b, const char *what)
{
	struct ub_where w;
	int err;

	ub_clear_error();
	err = ub_where_parse(s, b, &w);
	if (err != UB_EUSAGE)
		fail_msg("'%s' gave %d, want UB_EUSAGE", s, err);
	if (!strstr(ub_errmsg(err), what))
		fail_msg("'%s': message '%s' lacks '%s'", s, ub_errmsg(err),
			 what);
	assert_null(strstr(ub_errmsg(err), "(null)"));
}

static void numbers(void **state)
{
	(void)state;
	where("0x08005000", NULL, UB_SPACE_MCU, 0x08005000, false, 0, "");
	where("0x08005000", spark, UB_SPACE_MCU, 0x08005000, false, 0, "");
	where("134238208", NULL, UB_SPACE_MCU, 0x08005000, false, 0, "");
	where("0", NULL, UB_SPACE_MCU, 0, false, 0, "");
	where("0x08005000:0x400", NULL, UB_SPACE_MCU, 0x08005000, true, 0x400,
	      "");
	where("0x08005000:2K", spark, UB_SPACE_MCU, 0x08005000, true, 2048, "");
	where("0x20000000:1M", NULL, UB_SPACE_MCU, 0x20000000, true, 1 << 20,
	      "");
	/* up to the very end of the address space */
	where("0xFFFFFF00:0x100", NULL, UB_SPACE_MCU, 0xFFFFFF00, true, 0x100,
	      "");
	where("0xFFFFFFFF", NULL, UB_SPACE_MCU, 0xFFFFFFFF, false, 0, "");
}

static void spi_addresses(void **state)
{
	(void)state;
	where("spi:0x1000", NULL, UB_SPACE_SPI, 0x1000, false, 0, "");
	where("spi:0x1000", spark, UB_SPACE_SPI, 0x1000, false, 0, "");
	where("SPI:0x1000", spark, UB_SPACE_SPI, 0x1000, false, 0, "");
	where("spi:0", spark, UB_SPACE_SPI, 0, false, 0, "");
	where("spi:0x1000:294", spark, UB_SPACE_SPI, 0x1000, true, 294, "");
	where("spi:0x20000:128K", spark, UB_SPACE_SPI, 0x20000, true,
	      128 * 1024, "");
	bad("spi:notanumber", spark, "after 'spi:' comes an address");
	bad("spi:notanumber", NULL, "spi:notanumber");
	bad("spi:app", spark, "after 'spi:' comes an address");
	bad("spi:0x1G00", spark, "spi:0x1G00");
}

static void regions(void **state)
{
	(void)state;
	where("app", spark, UB_SPACE_MCU, 0x08005000, true, 108 * 1024, "app");
	where("bootloader", spark, UB_SPACE_MCU, 0x08000000, true, 16 * 1024,
	      "bootloader");
	where("server-key", spark, UB_SPACE_SPI, 0x1000, true, 2048,
	      "server-key");
	where("device-key", spark, UB_SPACE_SPI, 0x2000, true, 1024,
	      "device-key");
	where("factory-fw", spark, UB_SPACE_SPI, 0x20000, true, 128 * 1024,
	      "factory-fw");
	where("licence", dso, UB_SPACE_MCU, 0x08003804, true, 4, "licence");
	where("fpga", dso, UB_SPACE_MCU, 0x0802C000, true, 68088, "fpga");
	/* :LEN within the region */
	where("app:1K", spark, UB_SPACE_MCU, 0x08005000, true, 1024, "app");
	where("app:108K", spark, UB_SPACE_MCU, 0x08005000, true, 108 * 1024,
	      "app");
	where("server-key:294", spark, UB_SPACE_SPI, 0x1000, true, 294,
	      "server-key");
	where("keys:0x2000", spark, UB_SPACE_SPI, 0x1000, true, 0x2000, "keys");
}

static void whole_memories(void **state)
{
	(void)state;
	/* the F1's flash; its size when the board says */
	where("flash", spark, UB_SPACE_MCU, 0x08000000, true, 128 * 1024,
	      "flash");
	where("flash", NULL, UB_SPACE_MCU, 0x08000000, false, 0, "flash");
	where("flash", dso, UB_SPACE_MCU, 0x08000000, false, 0, "flash");
	where("flash", f1, UB_SPACE_MCU, 0x08000000, false, 0, "flash");
	where("flash:64K", NULL, UB_SPACE_MCU, 0x08000000, true, 64 * 1024,
	      "flash");
	where("flash:64K", spark, UB_SPACE_MCU, 0x08000000, true, 64 * 1024,
	      "flash");
	/* the option bytes */
	where("option", NULL, UB_SPACE_MCU, 0x1FFFF800, true, 16, "option");
	where("option", spark, UB_SPACE_MCU, 0x1FFFF800, true, 16, "option");
	where("option:2", spark, UB_SPACE_MCU, 0x1FFFF800, true, 2, "option");
	/* the companion flash */
	where("spi", spark, UB_SPACE_SPI, 0, true, 2 * 1024 * 1024, "spi");
	where("spi", dso, UB_SPACE_SPI, 0, false, 0, "spi"); /* size unknown */
	where("spi", NULL, UB_SPACE_SPI, 0, false, 0, "spi");
	/* "spi:X" is always an address: a length needs one first */
	where("spi:0:1M", spark, UB_SPACE_SPI, 0, true, 1 << 20, "");
	bad("spi:1M", spark,
	    "for the first 1M of the companion flash write "
	    "spi:0:1M");
	bad("spi", f1, "board stm32f1 has no companion SPI flash");
	/* an address in a flash the board does not have */
	bad("spi:0x1000", f1, "board stm32f1 has no companion SPI flash");
	bad("spi:0x1000:4K", f1, "board stm32f1 has no companion SPI flash");
}

static void errors(void **state)
{
	(void)state;
	/* an unknown region: the message lists the board's regions */
	bad("bogus", spark,
	    "'bogus' is neither an address nor a region of spark-core "
	    "(regions: bootloader, eeprom, system-flags, app, keys, "
	    "server-key, server-address, device-key, factory-fw, backup-fw, "
	    "ota-fw; or flash, option, spi)");
	bad("bogus", f1, "(regions: none; or flash, option, spi)");
	bad("APP", spark, "'APP' is neither an address");
	/* a region name needs a board */
	bad("app", NULL, "if it is a region name, say which board with -B");
	bad("app:1K", NULL, "say which board with -B");
	/* LEN */
	bad("app:200K", spark, "app is 110592 bytes long; 204800 is more");
	bad("server-key:4K", spark, "server-key is 2048 bytes long");
	bad("option:17", spark, "option is 16 bytes long");
	bad("0x08005000:0", spark, "'0' is not a length");
	bad("0x08005000:", spark, "'' is not a length");
	bad("0x08005000:lots", spark, "'lots' is not a length");
	bad("0x08005000:-1", spark, "'-1' is not a length");
	bad("0x08005000:5G", spark, "'5G' is not a length");
	bad(":0x400", spark, "missing address before ':0x400'");
	bad("", spark, "missing address");
	bad("", NULL, "missing address");
	/* past 4 GiB */
	bad("0xFFFFFF00:0x101", NULL, "runs past 4 GiB");
	bad("0xFFFFFFFF:2", NULL, "0xFFFFFFFF + 2 runs past 4 GiB");
	bad("0x80000000:4095M", spark, "runs past 4 GiB");
	bad("0x100000000", NULL, "'0x100000000' is not an address");
	bad("spi:0x100000000", spark, "after 'spi:' comes an address");
	/* garbage */
	bad("0x0800G000", NULL, "not an address");
	bad("app:1K:2K", spark, "'app:1K' is neither an address");
	bad("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	    spark, "is too long");
}

/* arg splits into path, placed at space/addr (when placed). */
static void placed(const char *arg, const struct ub_board *b, const char *path,
		   bool is_placed, enum ub_space space, uint32_t addr)
{
	char got[256];
	struct ub_where w;
	bool pl = !is_placed;
	int err;

	memset(got, 'z', sizeof(got));
	ub_clear_error();
	err = ub_placed_file(arg, b, got, sizeof(got), &w, &pl);
	if (err)
		fail_msg("'%s' refused: %s", arg, ub_errmsg(err));
	assert_string_equal(got, path);
	if (pl != is_placed)
		fail_msg("'%s': placed %d, want %d", arg, pl, is_placed);
	if (is_placed && (w.space != space || w.addr != addr))
		fail_msg("'%s': space %d addr 0x%X, want %d 0x%X", arg, w.space,
			 w.addr, space, addr);
	if (!is_placed) {
		assert_int_equal(w.addr, 0);
		assert_false(w.has_len);
	}
	/* no message is left behind from trying the part after '@' */
	assert_string_equal(ub_errmsg(UB_EUSAGE), ub_strerror(UB_EUSAGE));
}

static void placed_files(void **state)
{
	struct ub_where w;
	char path[256];
	bool pl;

	(void)state;
	placed("fw.bin@0x08005000", NULL, "fw.bin", true, UB_SPACE_MCU,
	       0x08005000);
	placed("keys.der@spi:0x1000", NULL, "keys.der", true, UB_SPACE_SPI,
	       0x1000);
	placed("keys.der@spi:0x1000", spark, "keys.der", true, UB_SPACE_SPI,
	       0x1000);
	placed("fw.bin@app", spark, "fw.bin", true, UB_SPACE_MCU, 0x08005000);
	placed("key.der@server-key", spark, "key.der", true, UB_SPACE_SPI,
	       0x1000);
	placed("dir/fw.bin@flash", spark, "dir/fw.bin", true, UB_SPACE_MCU,
	       0x08000000);
	/* no place */
	placed("fw.bin", NULL, "fw.bin", false, 0, 0);
	placed("fw.bin", spark, "fw.bin", false, 0, 0);
	/* an '@' in the file name */
	placed("fw@2.bin", NULL, "fw@2.bin", false, 0, 0);
	placed("fw@2.bin", spark, "fw@2.bin", false, 0, 0);
	placed("releases@v1.2/fw.bin", NULL, "releases@v1.2/fw.bin", false, 0,
	       0);
	placed("fw@2.bin@0x08005000", NULL, "fw@2.bin", true, UB_SPACE_MCU,
	       0x08005000);
	placed("fw@2.bin@app", spark, "fw@2.bin", true, UB_SPACE_MCU,
	       0x08005000);

	/* with :LEN, the length comes along */
	assert_int_equal(ub_placed_file("fw.bin@app:4K", spark, path,
					sizeof(path), &w, &pl),
			 0);
	assert_true(pl);
	assert_string_equal(path, "fw.bin");
	assert_true(w.has_len);
	assert_int_equal(w.len, 4096);
	assert_string_equal(w.region, "app");
	assert_int_equal(ub_placed_file("fw.bin@app", spark, path, sizeof(path),
					&w, &pl),
			 0);
	assert_int_equal(w.len, 108 * 1024);

	/* a place that is clearly meant as one, but wrong */
	assert_int_equal(
		ub_placed_file("fw.bin@app", NULL, path, sizeof(path), &w, &pl),
		UB_EUSAGE);
	assert_non_null(strstr(ub_errmsg(UB_EUSAGE), "with -B"));
	assert_int_equal(ub_placed_file("fw.bin@bogus", spark, path,
					sizeof(path), &w, &pl),
			 UB_EUSAGE);
	assert_non_null(strstr(ub_errmsg(UB_EUSAGE), "regions: bootloader"));
	assert_int_equal(ub_placed_file("fw.bin@spi:zzz", spark, path,
					sizeof(path), &w, &pl),
			 UB_EUSAGE);
	assert_int_equal(ub_placed_file("fw.bin@spi:1.5", spark, path,
					sizeof(path), &w, &pl),
			 UB_EUSAGE);
	assert_int_equal(ub_placed_file("fw.bin@app:200K", spark, path,
					sizeof(path), &w, &pl),
			 UB_EUSAGE);
	assert_non_null(strstr(ub_errmsg(UB_EUSAGE), "110592 bytes long"));
	assert_int_equal(ub_placed_file("fw.bin@0xFFFFFFFF:2", spark, path,
					sizeof(path), &w, &pl),
			 UB_EUSAGE);
	assert_int_equal(
		ub_placed_file("fw.bin@", spark, path, sizeof(path), &w, &pl),
		UB_EUSAGE);
	assert_null(strstr(ub_errmsg(UB_EUSAGE), "(null)"));

	/* file names that do not fit, or are empty */
	assert_int_equal(ub_placed_file("firmware.bin@0x08005000", NULL, path,
					8, &w, &pl),
			 UB_EUSAGE);
	assert_non_null(strstr(ub_errmsg(UB_EUSAGE), "bad file name"));
	assert_int_equal(ub_placed_file("fw@2.bin", NULL, path, 8, &w, &pl),
			 UB_EUSAGE);
	assert_int_equal(ub_placed_file("", NULL, path, sizeof(path), &w, &pl),
			 UB_EUSAGE);
	assert_int_equal(ub_placed_file("1234567", NULL, path, 8, &w, &pl), 0);
	assert_string_equal(path, "1234567");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers), cmocka_unit_test(spi_addresses),
		cmocka_unit_test(regions), cmocka_unit_test(whole_memories),
		cmocka_unit_test(errors),  cmocka_unit_test(placed_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
