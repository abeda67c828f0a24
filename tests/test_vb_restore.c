// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unbrick backup and unbrick restore of a backup, on the virtual board over
 * SWD: what a backup holds and how it is kept (modes, manifest, hashes);
 * backup, erase everything, restore gives the same flash and option bytes
 * back; a restore cut short by a power loss is finished by running it
 * again; a backup or bundle made for another board or chip is refused.
 */
#include "vb_restore_util.h"

#include "ub/manifest.h"
#include "ub/sha256.h"

#define FLASH (128 * 1024)

static const uint8_t factory_opt[16] = {0xA5, 0x5A, 0xFF, 0x00, 0xFF, 0x00,
					0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00,
					0xFF, 0x00, 0xFF, 0x00};

/* WRP0 0xF0: pages 0-15 write-protected, as shipped Spark Cores. */
static void shipped_opt(uint8_t opt[16])
{
	memcpy(opt, factory_opt, 16);
	opt[8] = 0xF0;
	opt[9] = 0x0F;
}

/* A board with random flash and these option bytes; its flash in *flash. */
static void seed(const char *dir, uint8_t *flash, const uint8_t opt[16],
		 uint32_t s)
{
	char p[4400];

	vr_pattern(flash, FLASH, s);
	vr_path(p, sizeof(p), dir, "flash.bin");
	vr_write(p, flash, FLASH);
	vr_path(p, sizeof(p), dir, "option.bin");
	vr_write(p, opt, 16);
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		fail_msg("no %s", path);
	return st.st_mode & 07777;
}

/* The backup's files: 0600 in a 0700 directory, listed in a manifest whose
 * hashes are the files'. */
static void check_backup_dir(const char *bk, const uint8_t *flash,
			     const uint8_t opt[16])
{
	static const char *const files[] = {"flash.bin", "option.bin",
					    "uid.bin", "manifest.txt"};
	struct ub_manifest m;
	const struct ub_mf_file *f;
	uint8_t sum[UB_SHA256_LEN];
	char p[4400];

	assert_int_equal(mode_of(bk), 0700);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		vr_path(p, sizeof(p), bk, files[i]);
		if (mode_of(p) != 0600)
			fail_msg("%s has mode %o", p, mode_of(p));
	}
	assert_int_equal(ub_manifest_load(&m, bk), 0);
	assert_int_equal(m.kind, UB_MF_BACKUP);
	assert_string_equal(m.board, "bluepill");
	assert_int_equal(m.dev_id, 0x410);
	assert_int_equal(m.flash_size, FLASH);
	assert_string_equal(m.iface, "swd");
	assert_true(m.has_uid);
	assert_int_equal(m.uid[0], 0x34);
	assert_int_equal(m.uid[11], 0x43);
	f = ub_manifest_file(&m, "flash.bin");
	assert_non_null(f);
	assert_int_equal(f->space, UB_MF_MCU);
	assert_int_equal(f->addr, 0x08000000);
	assert_int_equal(f->size, FLASH);
	ub_sha256(flash, FLASH, sum);
	assert_memory_equal(f->sha256, sum, sizeof(sum));
	f = ub_manifest_file(&m, "option.bin");
	assert_int_equal(f->space, UB_MF_OPTION);
	assert_int_equal(f->addr, 0x1FFFF800);
	ub_sha256(opt, 16, sum);
	assert_memory_equal(f->sha256, sum, sizeof(sum));
	f = ub_manifest_file(&m, "uid.bin");
	assert_int_equal(f->space, UB_MF_UID);
	assert_int_equal(f->addr, 0x1FFFF7E8);
}

/* backup, erase everything, restore: the same chip again. */
static void backup_erase_restore(void **state)
{
	static uint8_t flash[FLASH];
	uint8_t opt[16], *now;
	struct cli_result r;
	char dir[4200], bk[4200], report[4200];

	(void)state;
	vr_dir(dir, sizeof(dir), "round");
	vr_path(bk, sizeof(bk), vr.tmp, "round-backup");
	vr_path(report, sizeof(report), vr.tmp, "round.json");
	shipped_opt(opt);
	seed(dir, flash, opt, 21);
	vr_run(&r, "bluepill", dir, NULL, NULL, "-B", "bluepill", "backup", bk,
	       NULL);
	vr_status(&r, 0);
	vr_has(r.out, "flash.bin");
	vr_has(r.out, "0x08000000-0x0801FFFF");
	cli_result_free(&r);
	check_backup_dir(bk, flash, opt);
	/* the same directory twice would mix two backups */
	vr_run(&r, "bluepill", dir, NULL, NULL, "-B", "bluepill", "backup", bk,
	       NULL);
	vr_status(&r, 2);
	vr_has(r.err, "not empty");
	cli_result_free(&r);

	/* everything gone: protection, then the whole flash */
	vr_run(&r, "bluepill", dir, NULL, NULL, "-B", "bluepill", "--no-backup",
	       "unprotect", NULL);
	vr_status(&r, 0);
	cli_result_free(&r);
	vr_run(&r, "bluepill", dir, NULL, NULL, "-B", "bluepill", "--no-backup",
	       "erase", "0x08000000:128K", NULL);
	vr_status(&r, 0);
	cli_result_free(&r);
	now = vr_state(dir, "option.bin", 16);
	assert_memory_equal(now, factory_opt, 16);
	free(now);
	now = vr_state(dir, "flash.bin", FLASH);
	for (size_t i = 0; i < FLASH; i++)
		if (now[i] != 0xFF)
			fail_msg("flash[%zu] not erased", i);
	free(now);

	/* no -B: the manifest names the board */
	vr_run(&r, "bluepill", dir, NULL, NULL, "restore", bk, NULL);
	vr_status(&r, 0);
	vr_has(r.out, "flash.bin");
	vr_has(r.out, "verified, written");
	vr_has(r.out, "SUCCESS");
	vr_has(r.out, "device ID " VR_DEFAULT_ID);
	vr_has(r.err, "backup saved in");
	cli_result_free(&r);
	now = vr_state(dir, "flash.bin", FLASH);
	assert_memory_equal(now, flash, FLASH);
	free(now);
	now = vr_state(dir, "option.bin", 16);
	assert_memory_equal(now, opt, 16); /* pages 0-15 protected again */
	free(now);

	/* again: nothing left to do, and nothing is done */
	vr_run(&r, "bluepill", dir, NULL, report, "--no-backup", "restore", bk,
	       NULL);
	vr_status(&r, 0);
	vr_has(r.out, "verified, unchanged");
	vr_lacks(r.out, "written");
	cli_result_free(&r);
	assert_int_equal(vr_report(report, "programs"), 0);
	assert_int_equal(vr_report(report, "page_erases"), 0);
	assert_int_equal(vr_report(report, "option_erases"), 0);

	/* --json: the same verdict for programs */
	vr_run(&r, "bluepill", dir, NULL, NULL, "--no-backup", "--json",
	       "restore", bk, NULL);
	vr_status(&r, 0);
	assert_true(cli_json_valid(r.out));
	vr_has(r.out, "\"ok\":true");
	vr_has(r.out, "\"device_id\":\"" VR_DEFAULT_ID "\"");
	vr_has(r.out, "\"region\":\"flash.bin\"");
	cli_result_free(&r);
}

/* A power loss half-way: the second run finishes the job. */
static void interrupted_restore_finishes(void **state)
{
	static uint8_t flash[FLASH];
	uint8_t opt[16], *now;
	struct cli_result r;
	char dir[4200], bk[4200];

	(void)state;
	vr_dir(dir, sizeof(dir), "cut");
	vr_path(bk, sizeof(bk), vr.tmp, "cut-backup");
	shipped_opt(opt);
	seed(dir, flash, opt, 33);
	vr_run(&r, "bluepill", dir, NULL, NULL, "-B", "bluepill", "backup", bk,
	       NULL);
	vr_status(&r, 0);
	cli_result_free(&r);
	vr_run(&r, "bluepill", dir, NULL, NULL, "-B", "bluepill", "--no-backup",
	       "unprotect", NULL);
	cli_result_free(&r);
	vr_run(&r, "bluepill", dir, NULL, NULL, "-B", "bluepill", "--no-backup",
	       "erase", "0x08000000:128K", NULL);
	vr_status(&r, 0);
	cli_result_free(&r);

	/* about half of the 65536 halfwords, then the power goes */
	vr_run(&r, "bluepill", dir, "power_loss_after=30000", NULL, "restore",
	       bk, NULL);
	vr_status(&r, 1);
	vr_has(r.out, "FAILED at step");
	vr_has(r.out, "Run the same restore again");
	vr_has(r.out, "not reached");
	cli_result_free(&r);
	now = vr_state(dir, "flash.bin", FLASH);
	assert_memory_not_equal(now, flash, FLASH);
	assert_memory_equal(now, flash, 1024); /* it had begun */
	free(now);

	vr_run(&r, "bluepill", dir, NULL, NULL, "restore", bk, NULL);
	vr_status(&r, 0);
	vr_has(r.out, "SUCCESS");
	cli_result_free(&r);
	now = vr_state(dir, "flash.bin", FLASH);
	assert_memory_equal(now, flash, FLASH);
	free(now);
	now = vr_state(dir, "option.bin", 16);
	assert_memory_equal(now, opt, 16);
	free(now);
}

/* Readout protection on the chip: removing it erases the flash, so the
 * restore asks first (-y answers), then writes everything back. */
static void readout_protected_chip(void **state)
{
	static uint8_t flash[FLASH];
	uint8_t opt[16], *now;
	struct cli_result r;
	char dir[4200], bk[4200];

	(void)state;
	vr_dir(dir, sizeof(dir), "rdp");
	vr_path(bk, sizeof(bk), vr.tmp, "rdp-backup");
	memcpy(opt, factory_opt, 16);
	seed(dir, flash, opt, 55);
	vr_run(&r, "bluepill", dir, NULL, NULL, "-B", "bluepill", "backup", bk,
	       NULL);
	vr_status(&r, 0);
	cli_result_free(&r);
	vr_run(&r, "bluepill", dir, NULL, NULL, "-B", "bluepill", "-y",
	       "protect", "read", NULL);
	vr_status(&r, 0);
	cli_result_free(&r);

	vr_run(&r, "bluepill", dir, NULL, NULL, "restore", bk, NULL);
	vr_status(&r, 2); /* no terminal to ask */
	vr_has(r.err, "ERASES THE WHOLE FLASH");
	vr_has(r.err, "give -y");
	cli_result_free(&r);
	now = vr_state(dir, "option.bin", 16);
	assert_int_equal(now[0], 0x00); /* still protected: nothing done */
	free(now);

	vr_run(&r, "bluepill", dir, NULL, NULL, "-y", "restore", bk, NULL);
	vr_status(&r, 0);
	vr_has(r.err, "readout protection removed");
	vr_has(r.out, "SUCCESS");
	cli_result_free(&r);
	now = vr_state(dir, "flash.bin", FLASH);
	assert_memory_equal(now, flash, FLASH);
	free(now);
	now = vr_state(dir, "option.bin", 16);
	assert_memory_equal(now, factory_opt, 16);
	free(now);
}

/* Change one header line of a manifest. */
static void edit_manifest(const char *bk, const char *from, const char *to)
{
	char p[4400], *at, *out;
	size_t n;
	uint8_t *text;

	vr_path(p, sizeof(p), bk, "manifest.txt");
	text = vr_read(p, &n);
	text = realloc(text, n + 1);
	text[n] = '\0';
	at = strstr((char *)text, from);
	if (!at)
		fail_msg("no '%s' in %s", from, p);
	out = malloc(n + strlen(to) + 1);
	sprintf(out, "%.*s%s%s", (int)(at - (char *)text), (char *)text, to,
		at + strlen(from));
	vr_write(p, out, strlen(out));
	free(out);
	free(text);
}

/* Made for another board or chip: refused, nothing touched; -y warns. */
static void wrong_board_refused(void **state)
{
	static uint8_t flash[FLASH], other[FLASH];
	uint8_t *now;
	struct cli_result r;
	char dir[4200], dir2[4200], bk[4200], bun[4200], p[4400];

	(void)state;
	vr_dir(dir, sizeof(dir), "wrong");
	vr_dir(dir2, sizeof(dir2), "wrong-other");
	vr_path(bk, sizeof(bk), vr.tmp, "wrong-backup");
	seed(dir, flash, factory_opt, 41);
	seed(dir2, other, factory_opt, 42);
	vr_run(&r, "bluepill", dir, NULL, NULL, "-B", "bluepill", "backup", bk,
	       NULL);
	vr_status(&r, 0);
	cli_result_free(&r);

	/* a Blue Pill's backup onto a Spark Core */
	vr_run(&r, "spark-core", dir2, NULL, NULL, "-B", "spark-core",
	       "restore", bk, NULL);
	vr_status(&r, 1);
	vr_has(r.err, "made for board bluepill, and this is spark-core");
	vr_has(r.err, "-y");
	cli_result_free(&r);
	now = vr_state(dir2, "flash.bin", FLASH);
	assert_memory_equal(now, other, FLASH);
	free(now);

	/* another chip (DEV_ID), then another flash size */
	edit_manifest(bk, "dev_id = 0x410", "dev_id = 0x414");
	vr_run(&r, "bluepill", dir2, NULL, NULL, "restore", bk, NULL);
	vr_status(&r, 1);
	vr_has(r.err, "DEV_ID 0x414");
	vr_has(r.err, "Nothing was changed");
	cli_result_free(&r);
	edit_manifest(bk, "dev_id = 0x414", "dev_id = 0x410");
	edit_manifest(bk, "flash_size = 128K", "flash_size = 256K");
	vr_run(&r, "bluepill", dir2, NULL, NULL, "restore", bk, NULL);
	vr_status(&r, 1);
	vr_has(r.err, "256 KB of flash, and this one has 128 KB");
	cli_result_free(&r);
	now = vr_state(dir2, "flash.bin", FLASH);
	assert_memory_equal(now, other, FLASH);
	free(now);

	/* -y: done, with the warning in the verdict; another chip's UID is
	 * said too */
	vr_run(&r, "bluepill", dir2, "uid=0102030405060708090A0B0C", NULL, "-y",
	       "restore", bk, NULL);
	vr_status(&r, 0);
	vr_has(r.err, "going on because of -y");
	vr_has(r.out, "warning: it was made for a chip with 256 KB");
	vr_has(r.out, "another chip (UID " VR_DEFAULT_ID);
	cli_result_free(&r);
	now = vr_state(dir2, "flash.bin", FLASH);
	assert_memory_equal(now, flash, FLASH);
	free(now);

	/* a DSO Quad bundle never goes onto a Spark Core */
	vr_dir(bun, sizeof(bun), "wrong-bundle");
	vr_path(p, sizeof(p), bun, "manifest.txt");
	vr_write(p, "[bundle]\nboard = dso-quad\n[regions]\ndfu = dfu.bin\n",
		 49);
	vr_path(p, sizeof(p), bun, "dfu.bin");
	vr_write(p, other, 16384);
	vr_run(&r, "spark-core", dir2, NULL, NULL, "-B", "spark-core",
	       "restore", bun, NULL);
	vr_status(&r, 1);
	vr_has(r.err, "made for board dso-quad, and this is spark-core");
	cli_result_free(&r);
	now = vr_state(dir2, "flash.bin", FLASH);
	assert_memory_equal(now, flash, FLASH);
	free(now);

	/* and a damaged backup is refused before the chip is touched */
	vr_path(p, sizeof(p), bk, "flash.bin");
	vr_write(p, other, FLASH);
	vr_run(&r, "bluepill", dir2, NULL, NULL, "-y", "restore", bk, NULL);
	vr_status(&r, 1);
	vr_has(r.err, "changed or damaged");
	cli_result_free(&r);
	now = vr_state(dir2, "flash.bin", FLASH);
	assert_memory_equal(now, flash, FLASH);
	free(now);
}

static int setup(void **state)
{
	(void)state;
	return vr_setup("vb-restore");
}

static int teardown(void **state)
{
	(void)state;
	return vr_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(backup_erase_restore),
		cmocka_unit_test(interrupted_restore_finishes),
		cmocka_unit_test(readout_protected_chip),
		cmocka_unit_test(wrong_board_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
