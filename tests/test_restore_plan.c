// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The plan of a restore, made before any chip is touched: the Spark Core's
 * recipe with a bundle (steps in the order, files padded to their
 * regions, what the bundle lacks shown as skipped, its other regions and
 * placed files written after the recipe's writes), a backup's plan, and
 * every bundle that must be refused up front.
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

#include "ub/err.h"
#include "ub/restore.h"

static char tmp[] = "/tmp/ub-test-restore-plan-XXXXXX";
static struct ub_board *spark;

static void put(const char *name, const void *b, size_t n)
{
	char p[200];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", tmp, name);
	f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	fclose(f);
}

/* Plan the bundle text (written as manifest.txt beside the files). */
static int plan(struct ub_restore *r, struct ub_ctx *ctx, struct ub_manifest *m,
		const char *text)
{
	char p[200];
	int err;

	put("manifest.txt", text, strlen(text));
	snprintf(p, sizeof(p), "%s/manifest.txt", tmp);
	err = ub_manifest_load(m, p);
	if (err)
		fail_msg("%s", ub_errmsg(err));
	return ub_restore_plan(r, ctx, m, spark);
}

/* The steps as "verb arg" words, for comparing. */
static void steps(const struct ub_restore *r, char *buf, size_t n)
{
	static const char *const verbs[] = {
		"check",   "backup", "unprotect", "erase",
		"write",   "set",    "preserve",  "protect",
		"options", "verify", "sequence",  "reset",
	};
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < r->nstep; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s%s%s",
					i ? ", " : "", verbs[r->step[i].verb],
					r->step[i].arg[0] ? " " : "",
					r->step[i].arg);
}

static const struct ub_rs_piece *piece(const struct ub_restore *r,
				       const char *name)
{
	for (unsigned i = 0; i < r->npiece; i++)
		if (!strcmp(r->piece[i].name, name))
			return &r->piece[i];
	fail_msg("no piece %s", name);
	return NULL;
}

static void spark_core_recipe(void **state)
{
	static uint8_t app[3000], key[294], extra[100];
	struct ub_ctx ctx = {.iface = -1};
	struct ub_manifest m;
	struct ub_restore r;
	const struct ub_rs_piece *p;
	char list[2000];

	(void)state;
	memset(app, 0xA5, sizeof(app));
	memset(key, 0x30, sizeof(key));
	put("tinker.bin", app, sizeof(app));
	put("cloud.der", key, sizeof(key));
	put("extra.bin", extra, sizeof(extra));
	put("ee.bin", extra, sizeof(extra));
	assert_int_equal(plan(&r, &ctx, &m,
			      "[bundle]\nboard = spark-core\n[regions]\n"
			      "app = tinker.bin\nserver-key = cloud.der\n"
			      "eeprom = ee.bin\n"
			      "[file extra.bin]\nspace = spi\n"
			      "address = 0x70000\n"),
			 0);
	steps(&r, list, sizeof(list));
	assert_string_equal(
		list, "check, backup, unprotect wrp, write bootloader, "
		      "write app, set 0x08004C04 u16 0x5000, unprotect spi, "
		      "write server-key, write device-key, write factory-fw, "
		      "write eeprom, write extra.bin, preserve, "
		      "protect bootloader, verify, reset run");
	/* a region the bundle lacks: a row saying so */
	p = piece(&r, "bootloader");
	assert_int_equal(p->len, 0);
	assert_int_equal(p->result, UB_RS_SKIPPED);
	assert_string_equal(p->note, "not in the bundle");
	/* a file padded with 0xFF to its region's end */
	p = piece(&r, "app");
	assert_int_equal(p->space, UB_SPACE_MCU);
	assert_int_equal(p->addr, 0x08005000);
	assert_int_equal(p->len, 108 * 1024);
	assert_memory_equal(p->data, app, sizeof(app));
	for (uint32_t i = sizeof(app); i < p->len; i++)
		assert_int_equal(p->data[i], 0xFF);
	assert_string_equal(p->file, "tinker.bin");
	p = piece(&r, "server-key");
	assert_int_equal(p->space, UB_SPACE_SPI);
	assert_int_equal(p->addr, 0x1000);
	assert_int_equal(p->len, 2048);
	assert_int_equal(p->data[293], 0x30);
	assert_int_equal(p->data[294], 0xFF);
	/* the flags word, little-endian */
	p = piece(&r, "0x08004C04");
	assert_int_equal(p->len, 2);
	assert_int_equal(p->data[0], 0x00);
	assert_int_equal(p->data[1], 0x50);
	/* a placed file at its own address */
	p = piece(&r, "extra.bin");
	assert_int_equal(p->space, UB_SPACE_SPI);
	assert_int_equal(p->addr, 0x70000);
	assert_int_equal(p->len, sizeof(extra));
	/* every piece knows its step */
	for (unsigned i = 0; i < r.npiece; i++)
		assert_int_equal(r.step[r.piece[i].order].piece, (int)i);
	ub_restore_free(&r);
}

static void backup_plan(void **state)
{
	static uint8_t flash[1024], opt[16], uid[12];
	struct ub_ctx ctx = {.iface = -1};
	struct ub_manifest m = {.kind = UB_MF_BACKUP};
	struct ub_restore r;
	char list[2000];

	(void)state;
	snprintf(m.dir, sizeof(m.dir), "%s", tmp);
	snprintf(m.board, sizeof(m.board), "spark-core");
	assert_int_equal(ub_manifest_add(&m, "flash.bin", NULL, UB_MF_MCU,
					 0x08000000, flash, sizeof(flash)),
			 0);
	assert_int_equal(ub_manifest_add(&m, "option.bin", NULL, UB_MF_OPTION,
					 0x1FFFF800, opt, sizeof(opt)),
			 0);
	assert_int_equal(ub_manifest_add(&m, "uid.bin", NULL, UB_MF_UID,
					 0x1FFFF7E8, uid, sizeof(uid)),
			 0);
	assert_int_equal(ub_manifest_add(&m, "spi.bin", NULL, UB_MF_SPI, 0,
					 flash, sizeof(flash)),
			 0);
	assert_int_equal(ub_restore_plan(&r, &ctx, &m, spark), 0);
	steps(&r, list, sizeof(list));
	assert_string_equal(list, "check, backup, unprotect wrp, unprotect "
				  "spi, write flash.bin, write spi.bin, "
				  "options, verify, reset run");
	assert_true(r.has_option);
	assert_true(piece(&r, "option bytes")->options);
	ub_restore_free(&r);
}

static void refused(struct ub_ctx *ctx, const char *text, int want,
		    const char *msg)
{
	struct ub_manifest m;
	struct ub_restore r;
	int err = plan(&r, ctx, &m, text);

	ub_restore_free(&r);
	if (err != want)
		fail_msg("gave %d (%s), want %d", err, ub_errmsg(err), want);
	if (!strstr(ub_errmsg(err), msg))
		fail_msg("'%s' lacks '%s'", ub_errmsg(err), msg);
	ub_clear_error();
}

static void refused_up_front(void **state)
{
	static uint8_t big[16385];
	struct ub_ctx ctx = {.iface = -1};
	struct ub_manifest m;
	struct ub_restore r;

	(void)state;
	put("big.bin", big, sizeof(big));
	refused(&ctx,
		"[bundle]\nboard = spark-core\n[regions]\n"
		"bootloader = big.bin\n",
		UB_ERANGE, "16385 bytes: it does not fit in region bootloader");
	refused(&ctx,
		"[bundle]\nboard = spark-core\n[regions]\ndfu = big.bin\n",
		UB_ECONFIG,
		"region 'dfu', which board spark-core does not "
		"have");
	refused(&ctx,
		"[bundle]\nboard = spark-core\n[regions]\napp = none.bin\n",
		UB_ENOENT, "none.bin");
	refused(&ctx,
		"[bundle]\nboard = spark-core\n[regions]\napp = big.bin\n"
		"[file big.bin]\nsize = 100\n",
		UB_EFORMAT, "16385 bytes, but");
	refused(&ctx, "[bundle]\nboard = dso-quad\n[regions]\ndfu = big.bin\n",
		UB_EWRONGCHIP,
		"made for board dso-quad, and this is spark-core");
	put("o.bin", big, 16);
	refused(&ctx,
		"[bundle]\nboard = spark-core\n[file o.bin]\nspace = option\n"
		"address = 0x1FFFF800\n",
		UB_EUNSUPPORTED, "cannot set the option bytes");
	/* -y: another board's bundle is planned, with a warning kept */
	ctx.yes = true;
	assert_int_equal(plan(&r, &ctx, &m,
			      "[bundle]\nboard = bluepill\n[regions]\n"
			      "app = big.bin\n"),
			 0);
	assert_int_equal(r.nwarn, 1);
	assert_non_null(strstr(r.warnings[0], "board bluepill"));
	ub_restore_free(&r);
}

static int setup(void **state)
{
	int err;

	(void)state;
	if (!mkdtemp(tmp))
		return -1;
	spark = ub_board_load("spark-core", &err);
	if (!spark)
		fprintf(stderr, "spark-core: %s (UNBRICK_BOARDS?)\n",
			ub_errmsg(err));
	return spark ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[100];

	(void)state;
	ub_board_free(spark);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spark_core_recipe),
		cmocka_unit_test(backup_plan),
		cmocka_unit_test(refused_up_front),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
