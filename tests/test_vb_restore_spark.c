// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Spark Core restore of issue 8, on the virtual board over SWD: a
 * blank chip with its bootloader pages write-protected and the SST25VF016B's
 * power-up block protection set; a bundle with the bootloader, Tinker, the
 * cloud's public key, a device key and the factory image. It must end with
 * the internal flash and the SST holding what the bundle says (confirmed by
 * OpenOCD for the one and flashrom for the other), the flags word right and
 * a verdict of success. Then: backup, erase both flashes, restore gives the
 * same bytes back (spi.bin too).
 */
#include "vb_restore_util.h"

#include "ub/manifest.h"

#define CB  (128 * 1024)
#define SST (2 * 1024 * 1024)

static const uint8_t shipped_opt[16] = {0xA5, 0x5A, 0xFF, 0x00, 0xFF, 0x00,
					0xFF, 0x00, 0xF0, 0x0F, 0xFF, 0x00,
					0xFF, 0x00, 0xFF, 0x00};

static uint8_t boot[14000], tinker[40000], pub[294], key[610];

static void put(const char *dir, const char *name, const void *b, size_t n)
{
	char p[4400];

	vr_path(p, sizeof(p), dir, name);
	vr_write(p, b, n);
}

/* What the bundle says the two flashes hold in the end. */
static void expected(uint8_t *flash, uint8_t *spi)
{
	memset(flash, 0xFF, CB);
	memcpy(flash, boot, sizeof(boot));
	flash[0x4C04] = 0x00;
	flash[0x4C05] = 0x50;
	memcpy(flash + 0x5000, tinker, sizeof(tinker));
	memset(spi, 0xFF, SST);
	memcpy(spi + 0x1000, pub, sizeof(pub));
	memcpy(spi + 0x2000, key, sizeof(key));
	memcpy(spi + 0x20000, tinker, sizeof(tinker));
}

/* OpenOCD on the Pi's header as boards/spark-core.conf wires it. */
static const char openocd_cfg[] =
	"adapter driver linuxgpiod\n"
	"gdb_port disabled\ntelnet_port disabled\ntcl_port disabled\n"
	"adapter gpio swclk 11 -chip 0\n"
	"adapter gpio swdio 25 -chip 0\n"
	"adapter gpio srst 24 -chip 0\n"
	"transport select swd\n"
	"source [find target/stm32f1x.cfg]\n"
	"reset_config srst_only srst_nogate srst_open_drain "
	"connect_assert_srst\n";

static const char bundle_text[] =
	"[bundle]\nboard = spark-core\n[regions]\n"
	"bootloader = bootloader.bin\napp = tinker.bin\n"
	"server-key = cloud_public.der\n"
	"device-key = core_private.der\nfactory-fw = tinker.bin\n";

/* OpenOCD dumps the internal flash; flashrom reads the SST (the clip). */
static void peers_agree(const char *dir, const uint8_t *flash,
			const uint8_t *spi)
{
	char cfg[4400], dump[4400], rd[4400], cmd[4600], prog[64], port[8];
	struct cli_result r;
	uint8_t *got;
	size_t n;

	vr_path(cfg, sizeof(cfg), vr.tmp, "spark.cfg");
	vr_path(dump, sizeof(dump), vr.tmp, "openocd-flash.bin");
	vr_path(rd, sizeof(rd), vr.tmp, "flashrom-spi.bin");
	put(vr.tmp, "spark.cfg", openocd_cfg, strlen(openocd_cfg));
	snprintf(cmd, sizeof(cmd),
		 "exec timeout -k 5 200 /usr/bin/openocd -f '%s' -c init -c "
		 "'reset halt' -c 'dump_image %s 0x08000000 0x20000' -c "
		 "shutdown",
		 cfg, dump);
	vr_sh(&r, "spark-core", dir, NULL, NULL, cmd);
	vr_status(&r, 0);
	cli_result_free(&r);
	got = vr_read(dump, &n);
	assert_int_equal(n, CB);
	assert_memory_equal(got, flash, CB);
	free(got);

	snprintf(port, sizeof(port), "%d", 20000 + getpid() % 20000);
	snprintf(prog, sizeof(prog), "serprog:ip=127.0.0.1:%s", port);
	snprintf(cmd, sizeof(cmd),
		 "exec /usr/sbin/flashrom -p %s -c SST25VF016B -r '%s'", prog,
		 rd);
	{
		const char *argv[] = {vr.with_vboard, "--board", "spark-core",
				      "--state",      dir,	 "--serprog",
				      port,	      "--",	 "sh",
				      "-c",	      cmd,	 NULL};

		assert_int_equal(cli_run(&r, NULL, argv, VR_TIMEOUT_S), 0);
	}
	vr_status(&r, 0);
	cli_result_free(&r);
	got = vr_read(rd, &n);
	assert_int_equal(n, SST);
	assert_memory_equal(got, spi, SST);
	free(got);
}

static void spark_core_restore(void **state)
{
	static uint8_t flash[CB], spi[SST];
	struct cli_result r;
	char dir[4200], bun[4200], p[4400];
	uint8_t *now;

	(void)state;
	vr_dir(dir, sizeof(dir), "spark");
	vr_dir(bun, sizeof(bun), "spark-bundle");
	put(dir, "option.bin", shipped_opt, 16); /* blank, pages 0-15 WRP */
	vr_pattern(boot, sizeof(boot), 1);
	vr_pattern(tinker, sizeof(tinker), 2);
	vr_pattern(pub, sizeof(pub), 3);
	vr_pattern(key, sizeof(key), 4);
	put(bun, "bootloader.bin", boot, sizeof(boot));
	put(bun, "tinker.bin", tinker, sizeof(tinker));
	put(bun, "cloud_public.der", pub, sizeof(pub));
	put(bun, "core_private.der", key, sizeof(key));
	vr_path(p, sizeof(p), bun, "manifest.txt");
	vr_write(p, bundle_text, strlen(bundle_text));
	/* the backup first is left out: a 2 MB read (spark_core_round_trip
	 * has one) */
	vr_run(&r, "spark-core", dir, NULL, NULL, "--no-backup", "restore", bun,
	       NULL);
	vr_status(&r, 0);
	vr_has(r.out, "server-key            2048  verified, written");
	vr_has(r.out, "factory-fw          131072  verified, written");
	vr_has(r.out, "keys                     0  skipped: blank on the chip, "
		      "nothing");
	vr_has(r.out, "SUCCESS");
	vr_has(r.out, "device ID " VR_DEFAULT_ID);
	cli_result_free(&r);
	expected(flash, spi);
	now = vr_state(dir, "flash.bin", CB);
	assert_memory_equal(now, flash, CB);
	free(now);
	now = vr_state(dir, "spi.bin", SST);
	assert_memory_equal(now, spi, SST);
	free(now);
	now = vr_state(dir, "option.bin", 16);
	assert_memory_equal(now, shipped_opt, 16);
	free(now);
	peers_agree(dir, flash, spi);
}

/* backup (with spi.bin), both flashes erased, restore: the same again. */
static void spark_core_round_trip(void **state)
{
	static uint8_t flash[CB], spi[SST];
	struct cli_result r;
	char dir[4200], bk[4200], p[4400];
	struct ub_manifest m;
	uint8_t *now;

	(void)state;
	vr_dir(dir, sizeof(dir), "round");
	vr_path(bk, sizeof(bk), vr.tmp, "round-backup");
	/* a Core in use: firmware, keys, the factory image; the rest blank */
	vr_pattern(flash, sizeof(flash), 7);
	memset(spi, 0xFF, sizeof(spi));
	vr_pattern(spi + 0x1000, 0x2400 - 0x1000, 8);
	vr_pattern(spi + 0x20000, 0x10000, 9);
	put(dir, "flash.bin", flash, CB);
	put(dir, "spi.bin", spi, SST);
	vr_run(&r, "spark-core", dir, NULL, NULL, "-B", "spark-core", "backup",
	       bk, NULL);
	vr_status(&r, 0);
	vr_has(r.out, "spi.bin");
	cli_result_free(&r);
	assert_int_equal(ub_manifest_load(&m, bk), 0);
	assert_non_null(ub_manifest_file(&m, "spi.bin"));
	assert_int_equal(ub_manifest_file(&m, "spi.bin")->size, SST);

	/* both erased: the board's state files gone is a blank board */
	vr_path(p, sizeof(p), dir, "flash.bin");
	unlink(p);
	vr_path(p, sizeof(p), dir, "spi.bin");
	unlink(p);
	vr_run(&r, "spark-core", dir, NULL, NULL, "--no-backup", "restore", bk,
	       NULL);
	vr_status(&r, 0);
	vr_has(r.out, "spi.bin");
	vr_has(r.out, "SUCCESS");
	cli_result_free(&r);
	now = vr_state(dir, "flash.bin", CB);
	assert_memory_equal(now, flash, CB);
	free(now);
	now = vr_state(dir, "spi.bin", SST);
	assert_memory_equal(now, spi, SST);
	free(now);
}

static int setup(void **state)
{
	(void)state;
	return vr_setup("vb-restore-spark");
}

static int teardown(void **state)
{
	(void)state;
	return vr_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spark_core_restore),
		cmocka_unit_test(spark_core_round_trip),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
