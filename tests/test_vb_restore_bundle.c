// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unbrick restore of a bundle, as the profile's [recipe restore] says, on
 * the virtual board: a Spark Core over SWD (bootloader pages protected as
 * shipped: unprotected, written, the flags word set, protected again); the
 * DSO Quad over its ROM bootloader, keeping the unit's licence word on both
 * hardware variants, also when the first run is cut short right after the
 * licence's page was erased.
 */
#include "vb_restore_util.h"

#define CB (128 * 1024)
#define VC (256 * 1024)
#define VE (512 * 1024)

static const uint8_t shipped_opt[16] = {0xA5, 0x5A, 0xFF, 0x00, 0xFF, 0x00,
					0xFF, 0x00, 0xF0, 0x0F, 0xFF, 0x00,
					0xFF, 0x00, 0xFF, 0x00};

/* A bundle directory: manifest text and files. */
static void bundle(const char *dir, const char *manifest)
{
	char p[4400];

	mkdir(dir, 0700);
	vr_path(p, sizeof(p), dir, "manifest.txt");
	vr_write(p, manifest, strlen(manifest));
}

static void bundle_file(const char *dir, const char *name, const uint8_t *b,
			size_t n)
{
	char p[4400];

	vr_path(p, sizeof(p), dir, name);
	vr_write(p, b, n);
}

static void seed(const char *dir, const uint8_t *flash, size_t n,
		 const uint8_t *opt)
{
	char p[4400];

	vr_path(p, sizeof(p), dir, "flash.bin");
	vr_write(p, flash, n);
	if (opt) {
		vr_path(p, sizeof(p), dir, "option.bin");
		vr_write(p, opt, 16);
	}
}

static void all_ff(const uint8_t *b, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (b[i] != 0xFF)
			fail_msg("byte 0x%zX is 0x%02X, not erased", i, b[i]);
}

/*
 * Spark Core over SWD: bootloader and app from the bundle, the rest of
 * their regions erased, 0x5000 at 0x08004C04, the EEPROM and the rest of
 * the flags page kept, pages 0-15 protected again. Run twice: the second
 * changes nothing at all.
 */
static void spark_core_bundle(void **state)
{
	static uint8_t flash[CB], boot[10000], app[30000];
	struct cli_result r;
	char dir[4200], bun[4200], report[4200];
	uint8_t *now;

	(void)state;
	vr_dir(dir, sizeof(dir), "spark");
	vr_path(bun, sizeof(bun), vr.tmp, "spark-bundle");
	vr_path(report, sizeof(report), vr.tmp, "spark.json");
	vr_pattern(flash, sizeof(flash), 1);
	seed(dir, flash, sizeof(flash), shipped_opt);
	vr_pattern(boot, sizeof(boot), 2);
	vr_pattern(app, sizeof(app), 3);
	bundle(bun, "[bundle]\n"
		    "board = spark-core\n"
		    "description = bootloader and Tinker\n"
		    "[regions]\n"
		    "bootloader = bootloader.bin\n"
		    "app = tinker.bin\n"
		    "[file tinker.bin]\n"
		    "size = 30000\n");
	bundle_file(bun, "bootloader.bin", boot, sizeof(boot));
	bundle_file(bun, "tinker.bin", app, sizeof(app));

	vr_run(&r, "spark-core", dir, NULL, report, "restore", bun, NULL);
	vr_status(&r, 0);
	vr_has(r.out, "bootloader           16384  verified, written");
	vr_has(r.out, "app                 110592  verified, written");
	vr_has(r.out, "0x08004C04               2  verified, written");
	vr_has(r.out, "factory-fw               0  skipped: not in the bundle");
	vr_has(r.out, "SUCCESS");
	vr_has(r.out, "device ID " VR_DEFAULT_ID);
	vr_has(r.err, "write protection removed");
	vr_has(r.err, "bootloader write-protected again");
	cli_result_free(&r);
	now = vr_state(dir, "flash.bin", CB);
	assert_memory_equal(now, boot, sizeof(boot));
	all_ff(now, sizeof(boot), 0x4000);
	assert_memory_equal(now + 0x4000, flash + 0x4000, 0xC04);
	assert_int_equal(now[0x4C04], 0x00); /* the bootloader starts the app */
	assert_int_equal(now[0x4C05], 0x50);
	assert_memory_equal(now + 0x4C06, flash + 0x4C06, 0x5000 - 0x4C06);
	assert_memory_equal(now + 0x5000, app, sizeof(app));
	all_ff(now, 0x5000 + sizeof(app), CB);
	free(now);
	now = vr_state(dir, "option.bin", 16);
	assert_memory_equal(now, shipped_opt, 16);
	free(now);

	vr_run(&r, "spark-core", dir, NULL, report, "--no-backup", "restore",
	       bun, NULL);
	vr_status(&r, 0);
	vr_lacks(r.out, "written");
	vr_has(r.out, "verified, unchanged");
	vr_lacks(r.err, "write protection removed");
	cli_result_free(&r);
	assert_int_equal(vr_report(report, "programs"), 0);
	assert_int_equal(vr_report(report, "page_erases"), 0);
	assert_int_equal(vr_report(report, "option_erases"), 0);

	/* a file that does not fit its region is refused up front */
	bundle_file(bun, "bootloader.bin", flash, 0x4001);
	vr_run(&r, "spark-core", dir, NULL, NULL, "restore", bun, NULL);
	vr_status(&r, 1);
	vr_has(r.err, "16385 bytes: it does not fit in region bootloader");
	cli_result_free(&r);
	/* and one the manifest's checks refuse */
	bundle_file(bun, "bootloader.bin", boot, sizeof(boot));
	bundle_file(bun, "tinker.bin", app, 100);
	vr_run(&r, "spark-core", dir, NULL, NULL, "restore", bun, NULL);
	vr_status(&r, 1);
	vr_has(r.err, "tinker.bin is 100 bytes, but");
	cli_result_free(&r);
}

/* unbrick over the board server's UART, as the DSO Quad is reached. */
static void dso(struct cli_result *r, const char *board, const char *dir,
		const char *settings, const char *bun, const char *backup)
{
	char cmd[4400];

	snprintf(cmd, sizeof(cmd),
		 "exec '%s' -B %s %s --port \"$UB_VBOARD_TTY\" restore '%s'",
		 vr.unbrick, board, backup, bun);
	vr_sh(r, board, dir, settings, NULL, cmd);
}

/*
 * The licence word at lic survives a bundle whose DFU image carries
 * another one; flash is the chip's size n.
 */
static void licence_kept(const char *board, size_t n, uint32_t lic,
			 const char *name)
{
	uint8_t *flash = malloc(n), dfu[16384], sys[5000], *now;
	static const uint8_t unit[4] = {0x78, 0x56, 0x34, 0x12};
	struct cli_result r;
	char dir[4200], bun[4200], bname[64];

	vr_dir(dir, sizeof(dir), name);
	snprintf(bname, sizeof(bname), "%s-bundle", name);
	vr_path(bun, sizeof(bun), vr.tmp, bname);
	vr_pattern(flash, n, 5);
	memcpy(flash + lic, unit, 4);
	seed(dir, flash, n, NULL);
	vr_pattern(dfu, sizeof(dfu), 6); /* another unit's word at lic */
	vr_pattern(sys, sizeof(sys), 7);
	bundle(bun, "[bundle]\n"
		    "board = dso-quad\n"
		    "[regions]\n"
		    "dfu = dfu.bin\n"
		    "sys = sys.bin\n");
	if (strcmp(board, "dso-quad"))
		bundle(bun, "[bundle]\n"
			    "board = dso-quad-2.81\n"
			    "[regions]\n"
			    "dfu = dfu.bin\n"
			    "sys = sys.bin\n");
	bundle_file(bun, "dfu.bin", dfu, sizeof(dfu));
	bundle_file(bun, "sys.bin", sys, sizeof(sys));

	dso(&r, board, dir, NULL, bun, "--no-backup");
	vr_status(&r, 0);
	vr_has(r.out, "licence                  4  verified, kept");
	vr_has(r.out, "SUCCESS");
	cli_result_free(&r);
	now = vr_state(dir, "flash.bin", n);
	assert_memory_equal(now + lic, unit, 4);
	assert_memory_equal(now, dfu, lic);
	assert_memory_equal(now + lic + 4, dfu + lic + 4,
			    sizeof(dfu) - lic - 4);
	assert_memory_equal(now + 0x4000, sys, sizeof(sys));
	all_ff(now, 0x4000 + sizeof(sys), 0xC000);
	assert_memory_equal(now + 0xC000, flash + 0xC000, n - 0xC000);
	free(now);
	free(flash);
}

static void dso_quad_licence(void **state)
{
	(void)state;
	licence_kept("dso-quad", VC, 0x3804, "dso272");
}

static void dso_quad_281_licence(void **state)
{
	(void)state;
	licence_kept("dso-quad-2.81", VE, 0xFC, "dso281");
}

/*
 * Power lost once the DFU's eight pages are erased: the licence is gone
 * from the chip. The second run takes it from what the first saved before
 * it began, and then removes that.
 */
static void dso_cut_short(void **state)
{
	static uint8_t flash[VC], dfu[16384];
	static const uint8_t unit[4] = {0xEF, 0xBE, 0xAD, 0xDE};
	struct cli_result r;
	char dir[4200], bun[4200], pending[4400];
	uint8_t *now;

	(void)state;
	vr_dir(dir, sizeof(dir), "cut");
	vr_path(bun, sizeof(bun), vr.tmp, "cut-bundle");
	vr_pattern(flash, sizeof(flash), 8);
	memcpy(flash + 0x3804, unit, 4);
	seed(dir, flash, sizeof(flash), NULL);
	vr_pattern(dfu, sizeof(dfu), 9);
	bundle(bun, "[bundle]\nboard = dso-quad\n[regions]\ndfu = dfu.bin\n");
	bundle_file(bun, "dfu.bin", dfu, sizeof(dfu));

	dso(&r, "dso-quad", dir, "power_loss_after=8", bun, "");
	vr_status(&r, 1);
	vr_has(r.out, "FAILED at step 4 (write dfu)");
	vr_has(r.out, "the backup made first is in");
	cli_result_free(&r);
	now = vr_state(dir, "flash.bin", sizeof(flash));
	all_ff(now, 0, 0x4000); /* the licence's page too */
	free(now);
	vr_path(pending, sizeof(pending), vr.backups,
		"pending-dso-quad-" VR_DEFAULT_ID);
	assert_int_equal(access(pending, F_OK), 0);

	dso(&r, "dso-quad", dir, NULL, bun, "--no-backup");
	vr_status(&r, 0);
	vr_has(r.err, "finishing a restore that was cut short");
	vr_has(r.out, "verified, kept");
	cli_result_free(&r);
	now = vr_state(dir, "flash.bin", sizeof(flash));
	assert_memory_equal(now + 0x3804, unit, 4);
	assert_memory_equal(now, dfu, 0x3804);
	assert_memory_equal(now + 0x4000, flash + 0x4000,
			    sizeof(flash) - 0x4000);
	free(now);
	assert_int_equal(access(pending, F_OK), -1); /* done with */
}

static int setup(void **state)
{
	(void)state;
	return vr_setup("vb-restore-bundle");
}

static int teardown(void **state)
{
	(void)state;
	return vr_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spark_core_bundle),
		cmocka_unit_test(dso_quad_licence),
		cmocka_unit_test(dso_quad_281_licence),
		cmocka_unit_test(dso_cut_short),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
