// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Manifests: a backup's and a bundle's read back as written, every mistake
 * refused with file:line, files written 0600 and atomically, and a changed
 * file caught by its size, CRC-32 or SHA-256.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "ub/crc32.h"
#include "ub/err.h"
#include "ub/manifest.h"

static char tmp[] = "/tmp/ub-test-manifest-XXXXXX";

static const char backup_text[] =
	"# a comment\n"
	"[backup]\n"
	"board = spark-core\n"
	"variant = Spark Core (STM32F103CB) # trailing comment\n"
	"chip = STM32F10xxx medium-density\n"
	"dev_id = 0x410\n"
	"flash_size = 128K\n"
	"uid = 34FF6D064D4B313432422043\n"
	"interface = swd\n"
	"time = 2024-05-01T12:00:00Z\n"
	"tool = unbrick 0.1.0\n"
	"\n"
	"[file flash.bin]\n"
	"space = mcu\n"
	"range = 0x08000000-0x0801FFFF\n"
	"size = 131072\n"
	"crc32 = 0x1C291CA3\n"
	"sha256 = "
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
	"\n"
	"[file spi.bin]\n"
	"space = spi\n"
	"range = 0-0x1FFFFF\n";

static void reads_a_backup(void **state)
{
	struct ub_manifest m;
	const struct ub_mf_file *f;

	(void)state;
	assert_int_equal(ub_manifest_parse(&m, backup_text, "/b/manifest.txt"),
			 0);
	assert_int_equal(m.kind, UB_MF_BACKUP);
	assert_string_equal(m.board, "spark-core");
	assert_string_equal(m.variant, "Spark Core (STM32F103CB)");
	assert_string_equal(m.dir, "/b");
	assert_true(m.has_dev_id);
	assert_int_equal(m.dev_id, 0x410);
	assert_int_equal(m.flash_size, 128 * 1024);
	assert_true(m.has_uid);
	assert_int_equal(m.uid[0], 0x34);
	assert_int_equal(m.uid[11], 0x43);
	assert_string_equal(m.iface, "swd");
	assert_int_equal(m.nfile, 2);
	f = ub_manifest_file(&m, "flash.bin");
	assert_non_null(f);
	assert_int_equal(f->space, UB_MF_MCU);
	assert_int_equal(f->addr, 0x08000000);
	assert_int_equal(f->size, 131072);
	assert_true(f->has_crc);
	assert_int_equal(f->crc32, 0x1C291CA3);
	assert_true(f->has_sha);
	assert_int_equal(f->sha256[0], 0xe3);
	assert_int_equal(f->line, 13);
	f = ub_manifest_file(&m, "spi.bin");
	assert_int_equal(f->space, UB_MF_SPI);
	assert_int_equal(f->size, 2 * 1024 * 1024);
	assert_false(f->has_crc);
	assert_null(ub_manifest_file(&m, "nothing.bin"));
}

static void reads_a_bundle(void **state)
{
	static const char text[] = "[bundle]\n"
				   "board = spark-core\n"
				   "description = Tinker with the cloud key\n"
				   "[regions]\n"
				   "app = tinker.bin\n"
				   "factory-fw = tinker.bin\n"
				   "server-key=cloud_public.der\n"
				   "[file tinker.bin]\n"
				   "size = 4K\n";
	struct ub_manifest m;
	const struct ub_mf_file *a, *b;

	(void)state;
	assert_int_equal(ub_manifest_parse(&m, text, "bundle.txt"), 0);
	assert_int_equal(m.kind, UB_MF_BUNDLE);
	assert_string_equal(m.dir, ".");
	assert_false(m.has_dev_id);
	assert_int_equal(m.nregion, 3);
	assert_int_equal(m.nfile, 2);
	a = ub_manifest_region(&m, "app");
	b = ub_manifest_region(&m, "factory-fw");
	assert_ptr_equal(a, b); /* one file, two regions */
	assert_string_equal(a->name, "tinker.bin");
	assert_int_equal(a->space, UB_MF_NONE);
	assert_true(a->has_size);
	assert_int_equal(a->size, 4096);
	assert_string_equal(ub_manifest_region(&m, "server-key")->name,
			    "cloud_public.der");
	assert_null(ub_manifest_region(&m, "bootloader"));
}

/* text is refused, with a message that has every part of want. */
static void refused(const char *text, const char *want1, const char *want2)
{
	struct ub_manifest m;
	int err = ub_manifest_parse(&m, text, "x/manifest.txt");
	const char *msg = ub_errmsg(err);

	if (err != UB_EFORMAT)
		fail_msg("accepted (%d):\n%s", err, text);
	if (!strstr(msg, want1) || (want2 && !strstr(msg, want2)))
		fail_msg("message '%s' lacks '%s' or '%s'", msg, want1,
			 want2 ? want2 : "");
	ub_clear_error();
}

static void mistakes_named_by_line(void **state)
{
	(void)state;
	refused("", "empty", NULL);
	refused("board = x\n", "x/manifest.txt:1:", "starts with [backup]");
	refused("[regions]\n", "x/manifest.txt:1:", "starts with");
	refused("[backup]\nboard = a\nboard = b\n", "manifest.txt:3:", "twice");
	refused("[backup]\nboard = a\ncolour = red\n",
		"manifest.txt:3:", "unknown key 'colour'");
	refused("[backup]\nboard = a\ndev_id = 0x10000\n", ":3:", "DEV_ID");
	refused("[backup]\nboard = a\nuid = 1234\n", ":3:", "24 hex");
	refused("[backup]\nboard = a\ninterface = jtag\n", ":3:", "swd");
	refused("[backup]\nboard = a\nflash_size = big\n", ":3:", "size");
	refused("[backup]\nboard = a\n[file a.bin]\nspace = eeprom\n",
		":4:", "space 'eeprom'");
	refused("[backup]\nboard = a\n[file a.bin]\nspace = mcu\n"
		"range = 0x10-0x0F\n",
		":5:", "FIRST-LAST");
	refused("[backup]\nboard = a\n[file a.bin]\nspace = mcu\n"
		"range = 0-0xF\nsize = 17\n",
		":6:", "range holds 16");
	refused("[backup]\nboard = a\n[file a.bin]\nspace = mcu\n"
		"range = 0-0xF\naddress = 0\n",
		":6:", "twice");
	refused("[backup]\nboard = a\n[file a.bin]\nsha256 = 12\n",
		":4:", "64 hex");
	refused("[backup]\nboard = a\n[file a.bin]\ncrc32 = x\n",
		":4:", "crc32");
	refused("[backup]\nboard = a\n[file a.bin]\nspace = mcu\n"
		"address = 0x08000000\n",
		":3:", "needs its space and range");
	refused("[bundle]\nboard = a\n[file a.bin]\nsize = 4\n",
		":3:", "where does it go");
	refused("[bundle]\nboard = a\n[file a.bin]\nspace = mcu\n",
		":3:", "give its range");
	refused("[bundle]\nboard = a\n[regions]\napp = a.bin\napp = b.bin\n",
		":5:", "region app is given twice (line 4)");
	refused("[bundle]\nboard = a\n[regions]\nmy app = a.bin\n",
		":4:", "not a region name");
	refused("[bundle]\nboard = a\n[file a.bin]\n[file a.bin]\n",
		":4:", "given twice");
	refused("[bundle]\nboard = a\n[file]\n", ":3:", "needs the file's");
	refused("[bundle]\nboard = a\n[extras]\n", ":3:", "unknown section");
	refused("[bundle]\nboard = a\n[bundle]\n", ":3:", "unknown section");
	refused("[bundle]\nboard = a\njust words\n", ":3:", "key = value");
	refused("[bundle]\nboard = a\nboard =\n", ":3:", "no value");
	refused("[bundle]\nboard = a\n[regions\n", ":3:", "[name]");
	refused("[bundle]\ndescription = x\n", "no 'board ='", NULL);
	refused("[bundle]\nboard = no/slash\n", "not a board name", NULL);
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len + 1);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	*n = (size_t)len;
	return buf;
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

/* A backup written, saved, loaded by its directory, and its files read. */
static void written_and_read_back(void **state)
{
	static uint8_t flash[4096], opt[16];
	struct ub_manifest m = {.kind = UB_MF_BACKUP}, back;
	char dir[3000], path[4300], *text;
	const struct ub_mf_file *f;
	uint8_t *buf;
	size_t n;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/written", tmp);
	assert_int_equal(mkdir(dir, 0700), 0);
	for (size_t i = 0; i < sizeof(flash); i++)
		flash[i] = (uint8_t)(i * 7);
	memset(opt, 0xA5, sizeof(opt));
	snprintf(m.dir, sizeof(m.dir), "%s", dir);
	snprintf(m.board, sizeof(m.board), "bluepill");
	snprintf(m.variant, sizeof(m.variant), "Blue # Pill\nsecond line");
	m.has_dev_id = m.has_uid = m.has_flash_size = true;
	m.dev_id = 0x410;
	m.flash_size = 4096;
	m.uid[3] = 0xAB;
	snprintf(m.iface, sizeof(m.iface), "swd");
	assert_int_equal(ub_manifest_add(&m, "flash.bin", NULL, UB_MF_MCU,
					 0x08000000, flash, sizeof(flash)),
			 0);
	assert_int_equal(ub_manifest_add(&m, "licence.bin", "licence",
					 UB_MF_MCU, 0x08000800, flash + 0x800,
					 4),
			 0);
	assert_int_equal(ub_manifest_add(&m, "option.bin", NULL, UB_MF_OPTION,
					 0x1FFFF800, opt, sizeof(opt)),
			 0);
	assert_int_equal(ub_manifest_save(&m), 0);
	snprintf(path, sizeof(path), "%s/manifest.txt", dir);
	assert_int_equal(mode_of(path), 0600);
	snprintf(path, sizeof(path), "%s/flash.bin", dir);
	assert_int_equal(mode_of(path), 0600);
	snprintf(path, sizeof(path), "%s/flash.bin.tmp", dir);
	assert_int_equal(access(path, F_OK), -1); /* renamed, not left */
	snprintf(path, sizeof(path), "%s/manifest.txt", dir);
	text = slurp(path, &n);
	assert_non_null(strstr(text, "range = 0x08000000-0x08000FFF\n"));
	assert_non_null(strstr(text, "crc32 = 0x"));
	assert_non_null(strstr(text, "uid = 000000AB0000000000000000\n"));
	assert_non_null(strstr(text, "licence = licence.bin\n"));
	free(text);

	assert_int_equal(ub_manifest_load(&back, dir), 0);
	assert_string_equal(back.board, "bluepill");
	/* what would break the line or start a comment is gone */
	assert_string_equal(back.variant, "Blue   Pill second line");
	assert_int_equal(back.nfile, 3);
	assert_int_equal(back.flash_size, 4096);
	f = ub_manifest_region(&back, "licence");
	assert_non_null(f);
	assert_int_equal(f->addr, 0x08000800);
	assert_int_equal(ub_manifest_read(&back, f, &buf, &n), 0);
	assert_int_equal(n, 4);
	assert_memory_equal(buf, flash + 0x800, 4);
	free(buf);
	/* by the manifest's own path too */
	assert_int_equal(ub_manifest_load(&back, path), 0);
	f = ub_manifest_file(&back, "flash.bin");
	assert_int_equal(ub_manifest_read(&back, f, &buf, &n), 0);
	assert_int_equal(n, sizeof(flash));
	assert_memory_equal(buf, flash, n);
	assert_int_equal(ub_crc32(0, buf, n), f->crc32);
	free(buf);
}

static void changed_files_caught(void **state)
{
	static uint8_t data[1000];
	struct ub_manifest m = {.kind = UB_MF_BACKUP}, back;
	struct ub_mf_file *f;
	char dir[3000], path[4300];
	uint8_t *buf;
	size_t n;
	FILE *fp;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/changed", tmp);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(m.dir, sizeof(m.dir), "%s", dir);
	snprintf(m.board, sizeof(m.board), "stm32f1");
	assert_int_equal(ub_manifest_add(&m, "a.bin", NULL, UB_MF_MCU,
					 0x08000000, data, sizeof(data)),
			 0);
	assert_int_equal(ub_manifest_save(&m), 0);
	assert_int_equal(ub_manifest_load(&back, dir), 0);
	f = &back.file[0];
	/* one byte changed: the CRC says so */
	snprintf(path, sizeof(path), "%s/a.bin", dir);
	fp = fopen(path, "r+b");
	fputc(1, fp);
	fclose(fp);
	assert_int_equal(ub_manifest_read(&back, f, &buf, &n), UB_EFORMAT);
	assert_non_null(strstr(ub_errmsg(UB_EFORMAT), "CRC-32"));
	assert_null(buf);
	/* without the CRC, the SHA-256 */
	f->has_crc = false;
	assert_int_equal(ub_manifest_read(&back, f, &buf, &n), UB_EFORMAT);
	assert_non_null(strstr(ub_errmsg(UB_EFORMAT), "SHA-256"));
	assert_non_null(strstr(ub_errmsg(UB_EFORMAT), "manifest.txt:"));
	/* a longer file: its size */
	fp = fopen(path, "ab");
	fputc(1, fp);
	fclose(fp);
	assert_int_equal(ub_manifest_read(&back, f, &buf, &n), UB_EFORMAT);
	assert_non_null(strstr(ub_errmsg(UB_EFORMAT), "1001 bytes"));
	/* and a missing one */
	unlink(path);
	assert_int_equal(ub_manifest_read(&back, f, &buf, &n), UB_ENOENT);
	ub_clear_error();
	/* no manifest at all */
	snprintf(path, sizeof(path), "%s/none", tmp);
	assert_int_equal(ub_manifest_load(&back, path), UB_ENOENT);
	/* a binary file given as the manifest */
	snprintf(path, sizeof(path), "%s/bin", tmp);
	fp = fopen(path, "wb");
	fwrite("\0\1\2", 1, 3, fp);
	fclose(fp);
	assert_int_equal(ub_manifest_load(&back, path), UB_EFORMAT);
	ub_clear_error();
}

static void bundle_round_trip(void **state)
{
	static const char text[] = "[bundle]\n"
				   "board = dso-quad\n"
				   "dev_id = 0x414\n"
				   "[regions]\n"
				   "dfu = dfu.bin\n"
				   "sys = sys.bin\n"
				   "[file sys.bin]\n"
				   "sha256 = "
				   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4"
				   "649b934ca495991b7852b855\n";
	struct ub_manifest m, again;
	char *out;

	(void)state;
	assert_int_equal(ub_manifest_parse(&m, text, "q/b.txt"), 0);
	out = ub_manifest_format(&m);
	assert_non_null(out);
	assert_int_equal(ub_manifest_parse(&again, out, "q/b.txt"), 0);
	free(out);
	assert_int_equal(again.kind, UB_MF_BUNDLE);
	assert_int_equal(again.nregion, 2);
	assert_int_equal(again.nfile, 2);
	assert_true(ub_manifest_region(&again, "sys")->has_sha);
	assert_false(ub_manifest_region(&again, "dfu")->has_sha);
	assert_memory_equal(ub_manifest_region(&again, "sys")->sha256,
			    ub_manifest_region(&m, "sys")->sha256,
			    UB_SHA256_LEN);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[200];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_a_backup),
		cmocka_unit_test(reads_a_bundle),
		cmocka_unit_test(mistakes_named_by_line),
		cmocka_unit_test(written_and_read_back),
		cmocka_unit_test(changed_files_caught),
		cmocka_unit_test(bundle_round_trip),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
