// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unbrick itself over SWD, through the stand-in libgpiod, on the virtual
 * board: every command, every bad input, every fault of the board, and
 * cross-checks with OpenOCD on the same board.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli_util.h"

#define FLASH	   (128 * 1024)
#define TIMEOUT_S  120
#define DEFAULT_ID "34FF6D064D4B313432422043"

static char srcdir[4096], with_vboard[4200], unbrick[4200];
static char tmp_dir[] = "/tmp/ub-test-vb-unbrick-XXXXXX";

static void path_in(char *buf, size_t n, const char *dir, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
}

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static uint8_t *read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long len;

	if (!f)
		fail_msg("cannot read %s", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc(len ? len : 1);
	assert_int_equal(fread(buf, 1, len, f), (size_t)len);
	fclose(f);
	*n = (size_t)len;
	return buf;
}

static void pattern(uint8_t *b, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		b[i] = (uint8_t)(seed >> 16);
	}
}

/* A state directory of its own for each test. */
static void state_dir(char *dir, size_t n, const char *name)
{
	path_in(dir, n, tmp_dir, name);
	mkdir(dir, 0700);
}

/* Seed a state: flash.bin and/or option.bin. */
static void seed(const char *dir, const uint8_t *flash, const uint8_t *opt)
{
	char p[4400];

	if (flash) {
		path_in(p, sizeof(p), dir, "flash.bin");
		write_file(p, flash, FLASH);
	}
	if (opt) {
		path_in(p, sizeof(p), dir, "option.bin");
		write_file(p, opt, 16);
	}
}

static uint8_t *state_flash(const char *dir)
{
	char p[4400];
	size_t n;
	uint8_t *f;

	path_in(p, sizeof(p), dir, "flash.bin");
	f = read_file(p, &n);
	assert_int_equal(n, FLASH);
	return f;
}

static void state_option(const char *dir, uint8_t opt[16])
{
	char p[4400];
	size_t n;
	uint8_t *o;

	path_in(p, sizeof(p), dir, "option.bin");
	o = read_file(p, &n);
	assert_int_equal(n, 16);
	memcpy(opt, o, 16);
	free(o);
}

static const uint8_t factory_opt[16] = {0xA5, 0x5A, 0xFF, 0x00, 0xFF, 0x00,
					0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00,
					0xFF, 0x00, 0xFF, 0x00};

/*
 * Run unbrick on the board in dir: settings is a comma-separated list of
 * --set values (or NULL), then unbrick's arguments.
 */
static void ub(struct cli_result *r, const char *dir, const char *settings, ...)
{
	static char env_backups[4500];
	const char *argv[64], *env[2];
	char sets[8][128], backups[4400];
	unsigned n = 0, ns = 0;
	va_list ap;

	argv[n++] = with_vboard;
	argv[n++] = "--board";
	argv[n++] = "spark-core";
	argv[n++] = "--state";
	argv[n++] = dir;
	for (const char *s = settings; s && *s && ns < 8;) {
		size_t len = strcspn(s, ",");

		snprintf(sets[ns], sizeof(sets[ns]), "%.*s", (int)len, s);
		argv[n++] = "--set";
		argv[n++] = sets[ns++];
		s += len + (s[len] == ',');
	}
	argv[n++] = "--";
	argv[n++] = unbrick;
	argv[n++] = "-B";
	argv[n++] = "spark-core";
	va_start(ap, settings);
	for (const char *a = va_arg(ap, const char *); a && n < 62;
	     a = va_arg(ap, const char *))
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	path_in(backups, sizeof(backups), tmp_dir, "backups");
	snprintf(env_backups, sizeof(env_backups), "UNBRICK_BACKUPS=%s",
		 backups);
	env[0] = env_backups;
	env[1] = NULL;
	assert_int_equal(cli_run(r, env, argv, TIMEOUT_S), 0);
	if (strstr(r->err, "Sanitizer") || strstr(r->err, "runtime error"))
		fail_msg("sanitizer report:\n%s", r->err);
}

static void status(const struct cli_result *r, int want)
{
	if (r->status != want)
		fail_msg("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s",
			 r->status, want, r->out, r->err);
}

static void has(const char *s, const char *part)
{
	if (!strstr(s, part))
		fail_msg("---\n%s---\ndoes not contain '%s'", s, part);
}

static int setup(void **state)
{
	const char *src = getenv("UNBRICK_SRCDIR"), *bin = getenv("UNBRICK");

	(void)state;
	if (!src || !bin) {
		fprintf(stderr, "run through make check (UNBRICK_SRCDIR)\n");
		return -1;
	}
	snprintf(srcdir, sizeof(srcdir), "%s", src);
	snprintf(unbrick, sizeof(unbrick), "%s", bin);
	snprintf(with_vboard, sizeof(with_vboard),
		 "%s/tests/vboard/with-vboard", srcdir);
	return mkdtemp(tmp_dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[4200];

	(void)state;
	if (getenv("UB_KEEP_TMP"))
		return 0;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
	return system(cmd) ? -1 : 0;
}

/* --- commands --- */

static void probe_blank_chip(void **state)
{
	struct cli_result r;
	char dir[4200];

	(void)state;
	state_dir(dir, sizeof(dir), "probe");
	ub(&r, dir, NULL, "probe", NULL);
	status(&r, 0);
	has(r.out, "STM32F10xxx medium-density (DEV_ID 0x410");
	has(r.out, "128 KB in 1024-byte pages");
	has(r.out, "20 KB");
	has(r.out, DEFAULT_ID);
	has(r.out, "not protected");
	has(r.out, "under reset");
	cli_result_free(&r);
	ub(&r, dir, NULL, "probe", "--json", NULL);
	status(&r, 0);
	assert_true(cli_json_valid(r.out));
	has(r.out, "\"dev_id\":1040");
	cli_result_free(&r);
}

static void write_verify_read(void **state)
{
	static uint8_t img[20000];
	struct cli_result r;
	char dir[4200], file[4400], out[4400];
	uint8_t *f, *back;
	size_t n;

	(void)state;
	state_dir(dir, sizeof(dir), "write");
	pattern(img, sizeof(img), 7);
	path_in(file, sizeof(file), dir, "img.bin");
	write_file(file, img, sizeof(img));
	ub(&r, dir, NULL, "write", file, NULL);
	status(&r, 0);
	has(r.err, "backup saved in");
	has(r.err, "verified");
	cli_result_free(&r);
	f = state_flash(dir);
	assert_memory_equal(f, img, sizeof(img));
	for (size_t i = sizeof(img); i < FLASH; i++)
		if (f[i] != 0xFF)
			fail_msg("flash[%zu] = 0x%02X after the image", i,
				 f[i]);
	free(f);
	ub(&r, dir, NULL, "verify", file, NULL);
	status(&r, 0);
	cli_result_free(&r);
	path_in(out, sizeof(out), dir, "dump.bin");
	ub(&r, dir, NULL, "read", "0x08000000:20000", out, NULL);
	status(&r, 0);
	cli_result_free(&r);
	back = read_file(out, &n);
	assert_int_equal(n, sizeof(img));
	assert_memory_equal(back, img, n);
	free(back);
}

static void write_region_keeps_the_rest(void **state)
{
	static uint8_t flash[FLASH], app[5000];
	struct cli_result r;
	char dir[4200], file[4400], arg[4500];
	uint8_t *f;

	(void)state;
	state_dir(dir, sizeof(dir), "region");
	pattern(flash, sizeof(flash), 11);
	seed(dir, flash, factory_opt);
	pattern(app, sizeof(app), 12);
	path_in(file, sizeof(file), dir, "app.bin");
	write_file(file, app, sizeof(app));
	snprintf(arg, sizeof(arg), "%s@app", file);
	ub(&r, dir, NULL, "write", arg, NULL);
	status(&r, 0);
	cli_result_free(&r);
	f = state_flash(dir);
	assert_memory_equal(f, flash, 0x5000);
	assert_memory_equal(f + 0x5000, app, sizeof(app));
	/* the rest of the last page the app touched is kept too */
	assert_memory_equal(f + 0x5000 + sizeof(app),
			    flash + 0x5000 + sizeof(app),
			    FLASH - 0x5000 - sizeof(app));
	free(f);
}

static void verify_names_a_difference(void **state)
{
	static uint8_t flash[FLASH];
	struct cli_result r;
	char dir[4200], file[4400];

	(void)state;
	state_dir(dir, sizeof(dir), "verify");
	pattern(flash, sizeof(flash), 3);
	path_in(file, sizeof(file), dir, "img.bin");
	write_file(file, flash, 4096);
	flash[100] ^= 0xFF;
	seed(dir, flash, factory_opt);
	ub(&r, dir, NULL, "verify", file, NULL);
	status(&r, 1);
	has(r.err, "verify failed at 0x08000064");
	cli_result_free(&r);
}

static void erase_a_region(void **state)
{
	static uint8_t flash[FLASH];
	struct cli_result r;
	char dir[4200];
	uint8_t *f;

	(void)state;
	state_dir(dir, sizeof(dir), "erase");
	pattern(flash, sizeof(flash), 5);
	seed(dir, flash, factory_opt);
	ub(&r, dir, NULL, "erase", "system-flags", NULL);
	status(&r, 0);
	cli_result_free(&r);
	f = state_flash(dir);
	assert_memory_equal(f, flash, 0x4C00);
	for (int i = 0x4C00; i < 0x5000; i++)
		assert_int_equal(f[i], 0xFF);
	assert_memory_equal(f + 0x5000, flash + 0x5000, FLASH - 0x5000);
	free(f);
	ub(&r, dir, NULL, "--no-backup", "erase", NULL);
	status(&r, 0);
	cli_result_free(&r);
	f = state_flash(dir);
	for (int i = 0; i < FLASH; i++)
		assert_int_equal(f[i], 0xFF);
	free(f);
}

static void write_protection(void **state)
{
	static uint8_t flash[FLASH], img[1024];
	uint8_t opt[16];
	struct cli_result r;
	char dir[4200], file[4400];
	uint8_t *f;

	(void)state;
	state_dir(dir, sizeof(dir), "wrp");
	pattern(flash, sizeof(flash), 8);
	memcpy(opt, factory_opt, 16);
	opt[8] = 0xF0; /* WRP0: pages 0-15 protected, as shipped Cores */
	opt[9] = 0x0F;
	seed(dir, flash, opt);
	pattern(img, sizeof(img), 9);
	path_in(file, sizeof(file), dir, "boot.bin");
	write_file(file, img, sizeof(img));
	ub(&r, dir, NULL, "probe", NULL);
	status(&r, 0);
	has(r.out, "pages 0-15 (0x08000000-0x08003FFF)");
	cli_result_free(&r);
	ub(&r, dir, NULL, "write", file, NULL);
	status(&r, 1);
	has(r.err, "0x08000000 is write-protected");
	has(r.err, "unprotect");
	cli_result_free(&r);
	ub(&r, dir, NULL, "unprotect", NULL);
	status(&r, 0);
	cli_result_free(&r);
	state_option(dir, opt);
	assert_memory_equal(opt, factory_opt, 16);
	f = state_flash(dir);
	assert_memory_equal(f, flash, FLASH); /* no mass erase */
	free(f);
	ub(&r, dir, NULL, "write", file, NULL);
	status(&r, 0);
	cli_result_free(&r);
}

static void readout_protection(void **state)
{
	static uint8_t flash[FLASH], img[1024];
	uint8_t opt[16];
	struct cli_result r;
	char dir[4200], file[4400];
	uint8_t *f;

	(void)state;
	state_dir(dir, sizeof(dir), "rdp");
	pattern(flash, sizeof(flash), 4);
	memcpy(opt, factory_opt, 16);
	opt[0] = 0x00; /* RDP on */
	opt[1] = 0xFF;
	seed(dir, flash, opt);
	pattern(img, sizeof(img), 2);
	path_in(file, sizeof(file), dir, "img.bin");
	write_file(file, img, sizeof(img));
	ub(&r, dir, NULL, "probe", NULL);
	status(&r, 0);
	has(r.out, "PROTECTED");
	cli_result_free(&r);
	ub(&r, dir, NULL, "write", file, NULL);
	status(&r, 1);
	has(r.err, "readout protection is on");
	has(r.err, "unprotect read");
	cli_result_free(&r);
	ub(&r, dir, NULL, "unprotect", "read", NULL);
	status(&r, 2); /* no terminal to ask: -y needed */
	has(r.err, "give -y");
	cli_result_free(&r);
	f = state_flash(dir);
	assert_memory_equal(f, flash, FLASH); /* nothing happened */
	free(f);
	ub(&r, dir, NULL, "-y", "unprotect", "read", NULL);
	status(&r, 0);
	has(r.err, "ERASES THE WHOLE FLASH");
	cli_result_free(&r);
	state_option(dir, opt);
	assert_int_equal(opt[0], 0xA5);
	f = state_flash(dir);
	for (int i = 0; i < FLASH; i++)
		assert_int_equal(f[i], 0xFF);
	free(f);
}

/* Protection put back: the bootloader's pages, then readout. */
static void protect_and_unprotect(void **state)
{
	static uint8_t img[1024];
	struct cli_result r;
	char dir[4200], file[4400];
	uint8_t opt[16];

	(void)state;
	state_dir(dir, sizeof(dir), "protect");
	seed(dir, NULL, factory_opt);
	pattern(img, sizeof(img), 51);
	path_in(file, sizeof(file), dir, "img.bin");
	write_file(file, img, sizeof(img));
	ub(&r, dir, NULL, "protect", "write", "bootloader", NULL);
	status(&r, 0);
	cli_result_free(&r);
	state_option(dir, opt);
	assert_int_equal(opt[8], 0xF0); /* WRP0: pages 0-15 */
	assert_int_equal(opt[9], 0x0F);
	assert_int_equal(opt[10], 0xFF);
	assert_int_equal(opt[0], 0xA5); /* readout still open */
	ub(&r, dir, NULL, "probe", NULL);
	has(r.out, "pages 0-15 (0x08000000-0x08003FFF)");
	cli_result_free(&r);
	ub(&r, dir, NULL, "write", file, NULL);
	status(&r, 1);
	has(r.err, "write-protected");
	cli_result_free(&r);
	ub(&r, dir, NULL, "protect", "read", NULL);
	status(&r, 2); /* asks, and there is no terminal */
	cli_result_free(&r);
	ub(&r, dir, NULL, "-y", "protect", "read", NULL);
	status(&r, 0);
	cli_result_free(&r);
	ub(&r, dir, NULL, "probe", NULL);
	has(r.out, "PROTECTED");
	cli_result_free(&r);
	ub(&r, dir, NULL, "-y", "unprotect", "read", NULL);
	status(&r, 0);
	cli_result_free(&r);
	state_option(dir, opt);
	assert_memory_equal(opt, factory_opt, 16);
	ub(&r, dir, NULL, "write", file, NULL);
	status(&r, 0);
	cli_result_free(&r);
}

static void bad_images_touch_nothing(void **state)
{
	static uint8_t flash[FLASH];
	static uint8_t big[FLASH + 1024];
	struct cli_result r;
	char dir[4200], file[4400], arg[4500];
	uint8_t *f;

	(void)state;
	state_dir(dir, sizeof(dir), "bad");
	pattern(flash, sizeof(flash), 6);
	seed(dir, flash, factory_opt);
	path_in(file, sizeof(file), dir, "big.bin");
	write_file(file, big, sizeof(big));
	ub(&r, dir, NULL, "write", file, NULL);
	status(&r, 1);
	has(r.err, "outside the 128 KB flash");
	cli_result_free(&r);
	snprintf(arg, sizeof(arg), "%s@0x20000000", file);
	ub(&r, dir, NULL, "write", arg, NULL);
	status(&r, 1);
	cli_result_free(&r);
	path_in(file, sizeof(file), dir, "bad.hex");
	write_file(file, ":020000040800F2\n:0400000001020304F3\n", 36);
	ub(&r, dir, NULL, "write", file, NULL);
	status(&r, 1);
	has(r.err, "line 2");
	cli_result_free(&r);
	f = state_flash(dir);
	assert_memory_equal(f, flash, FLASH);
	free(f);
}

static void reset_run_and_halt(void **state)
{
	struct cli_result r;
	char dir[4200];

	(void)state;
	state_dir(dir, sizeof(dir), "reset");
	ub(&r, dir, NULL, "reset", NULL);
	status(&r, 0);
	has(r.err, "runs its firmware");
	cli_result_free(&r);
	ub(&r, dir, NULL, "reset", "halt", NULL);
	status(&r, 0);
	has(r.err, "halted");
	cli_result_free(&r);
	ub(&r, dir, NULL, "reset", "sideways", NULL);
	status(&r, 2);
	cli_result_free(&r);
}

/* --- faults of the board --- */

static void no_target(void **state)
{
	struct cli_result r;
	char dir[4200];

	(void)state;
	state_dir(dir, sizeof(dir), "unpowered");
	ub(&r, dir, "unpowered=1", "probe", NULL);
	status(&r, 1);
	has(r.err, "no SWD target answers");
	has(r.err, "powered");
	cli_result_free(&r);
}

static void swapped_wires(void **state)
{
	struct cli_result r;
	char dir[4200];

	(void)state;
	state_dir(dir, sizeof(dir), "swapped");
	ub(&r, dir, "swapped=1", "probe", NULL);
	status(&r, 1);
	has(r.err, "SWDIO and SWCLK swapped");
	has(r.err, "pin 22 and pin 23");
	cli_result_free(&r);
}

static void nrst_not_connected(void **state)
{
	struct cli_result r;
	char dir[4200];

	(void)state;
	state_dir(dir, sizeof(dir), "nrst");
	ub(&r, dir, "nrst_nc=1", "probe", NULL);
	status(&r, 0); /* it still works, halting without a reset */
	has(r.err, "NRST had no effect");
	cli_result_free(&r);
	/* and a reset falls back to SYSRESETREQ, which works */
	ub(&r, dir, "nrst_nc=1", "reset", "halt", NULL);
	status(&r, 0);
	has(r.err, "Resetting by SYSRESETREQ instead");
	has(r.err, "halted");
	cli_result_free(&r);
}

/* Firmware that spins, and turns SWD off 100 us after it starts. */
static void firmware_disables_swd(void **state)
{
	static uint8_t flash[FLASH];
	uint32_t sp = 0x20001000, pc = 0x08000101;
	struct cli_result r;
	char dir[4200];

	(void)state;
	state_dir(dir, sizeof(dir), "swdoff");
	memset(flash, 0xFF, sizeof(flash));
	memcpy(flash, &sp, 4);
	memcpy(flash + 4, &pc, 4);
	flash[0x100] = 0xFE;
	flash[0x101] = 0xE7;
	seed(dir, flash, factory_opt);
	/* under reset (NRST wired): the firmware never gets to run */
	ub(&r, dir, "swd_disable_us=100", "probe", NULL);
	status(&r, 0);
	has(r.out, "under reset");
	cli_result_free(&r);
	/* without NRST there is no way in, and it says why */
	ub(&r, dir, "swd_disable_us=100,nrst_nc=1", "probe", NULL);
	status(&r, 1);
	has(r.err, "firmware turns SWD off");
	cli_result_free(&r);
}

static void wire_faults_are_retried(void **state)
{
	static uint8_t img[8192];
	struct cli_result r;
	char dir[4200], file[4400];
	uint8_t *f;

	(void)state;
	state_dir(dir, sizeof(dir), "storm");
	pattern(img, sizeof(img), 21);
	path_in(file, sizeof(file), dir, "img.bin");
	write_file(file, img, sizeof(img));
	ub(&r, dir, "wait_every=7,wait_count=20,parity_every=13", "write", file,
	   NULL);
	status(&r, 0);
	cli_result_free(&r);
	f = state_flash(dir);
	assert_memory_equal(f, img, sizeof(img));
	free(f);
}

/* A FAULT now and then: reads are done again, pages are re-read and
 * finished. */
static void faults_mid_write_are_retried(void **state)
{
	static uint8_t img[8192];
	struct cli_result r;
	char dir[4200], file[4400];
	uint8_t *f;

	(void)state;
	state_dir(dir, sizeof(dir), "fault");
	pattern(img, sizeof(img), 22);
	path_in(file, sizeof(file), dir, "img.bin");
	write_file(file, img, sizeof(img));
	ub(&r, dir, "fault_every=500", "write", file, NULL);
	status(&r, 0);
	cli_result_free(&r);
	f = state_flash(dir);
	assert_memory_equal(f, img, sizeof(img));
	free(f);
}

static void power_loss_mid_write(void **state)
{
	static uint8_t img[8192];
	struct cli_result r;
	char dir[4200], file[4400];

	(void)state;
	state_dir(dir, sizeof(dir), "power");
	pattern(img, sizeof(img), 23);
	path_in(file, sizeof(file), dir, "img.bin");
	write_file(file, img, sizeof(img));
	ub(&r, dir, "power_loss_after=100", "write", file, NULL);
	status(&r, 1);
	has(r.err, "the backup made before is in");
	cli_result_free(&r);
	/* power back: writing again finishes the job */
	ub(&r, dir, NULL, "write", file, NULL);
	status(&r, 0);
	cli_result_free(&r);
}

/* The child's log says the backup is saved (it may not exist yet). */
static bool backup_said(const char *log)
{
	char text[8192];
	FILE *f = fopen(log, "r");
	size_t n;

	if (!f)
		return false;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	return strstr(text, "backup saved in");
}

/* Ctrl-C mid-write: as a terminal does, to the whole process group. */
static void ctrl_c_mid_write(void **state)
{
	static uint8_t img[FLASH];
	struct cli_result r;
	char dir[4200], file[4400], log[4400], backups[4400], env[4500];
	int wstatus, fd;
	size_t n;
	uint8_t *f, *err_text;
	pid_t pid;

	(void)state;
	state_dir(dir, sizeof(dir), "ctrl-c");
	pattern(img, sizeof(img), 41);
	path_in(file, sizeof(file), dir, "img.bin");
	write_file(file, img, sizeof(img));
	path_in(log, sizeof(log), dir, "stderr.txt");
	path_in(backups, sizeof(backups), tmp_dir, "backups");
	snprintf(env, sizeof(env), "UNBRICK_BACKUPS=%s", backups);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		setpgid(0, 0);
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 2);
		putenv(env);
		execl(with_vboard, with_vboard, "--board", "spark-core",
		      "--state", dir, "--", unbrick, "-B", "spark-core",
		      "write", file, (char *)NULL);
		_exit(127);
	}
	/* once the backup is saved the write begins: interrupt it then */
	for (int i = 0; i < 3000 && !backup_said(log); i++)
		usleep(10 * 1000);
	kill(-pid, SIGINT);
	assert_int_equal(waitpid(pid, &wstatus, 0), pid);
	err_text = read_file(log, &n);
	err_text = realloc(err_text, n + 1);
	err_text[n] = 0;
	if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 1)
		fail_msg("status 0x%x, want exit 1:\n%s", wstatus, err_text);
	has((char *)err_text, "interrupted");
	has((char *)err_text, "run the same write again");
	free(err_text);
	/* every page is either as it was (erased) or the image's: no half
	 * pages */
	f = state_flash(dir);
	for (int p = 0; p < FLASH; p += 1024) {
		bool blank = true;

		for (int i = p; i < p + 1024; i++)
			blank &= f[i] == 0xFF;
		if (!blank && memcmp(f + p, img + p, 1024))
			fail_msg("page 0x%08X is half written", 0x08000000 + p);
	}
	free(f);
	ub(&r, dir, NULL, "write", file, NULL);
	status(&r, 0);
	cli_result_free(&r);
	f = state_flash(dir);
	assert_memory_equal(f, img, FLASH);
	free(f);
}

/* --- cross-checks with OpenOCD on the same board --- */

static const char openocd_cfg[] =
	"adapter driver linuxgpiod\n"
	"gdb_port disabled\n"
	"telnet_port disabled\n"
	"tcl_port disabled\n"
	"adapter gpio swclk 11 -chip 0\n"
	"adapter gpio swdio 25 -chip 0\n"
	"adapter gpio srst 24 -chip 0\n"
	"transport select swd\n"
	"source [find target/stm32f1x.cfg]\n"
	"reset_config srst_only srst_nogate srst_open_drain "
	"connect_assert_srst\n";

/* OpenOCD on the board in dir (spark-core wires it as bluepill does). */
static void openocd(struct cli_result *r, const char *dir, const char *cmd)
{
	char cfg[4400];
	const char *argv[] = {with_vboard,
			      "--board",
			      "spark-core",
			      "--state",
			      dir,
			      "--",
			      "/usr/bin/openocd",
			      "-f",
			      cfg,
			      "-c",
			      "init",
			      "-c",
			      cmd,
			      "-c",
			      "shutdown",
			      NULL};

	path_in(cfg, sizeof(cfg), tmp_dir, "openocd.cfg");
	write_file(cfg, openocd_cfg, strlen(openocd_cfg));
	assert_int_equal(cli_run(r, NULL, argv, TIMEOUT_S), 0);
	if (r->status)
		fail_msg("openocd %s failed:\n%s", cmd, r->err);
}

static void openocd_reads_what_unbrick_writes(void **state)
{
	static uint8_t img[24 * 1024];
	struct cli_result r;
	char dir[4200], file[4400], dump[4400], cmd[9000];
	uint8_t *back;
	size_t n;

	(void)state;
	state_dir(dir, sizeof(dir), "x-unbrick");
	pattern(img, sizeof(img), 31);
	path_in(file, sizeof(file), dir, "img.bin");
	write_file(file, img, sizeof(img));
	ub(&r, dir, NULL, "write", file, NULL);
	status(&r, 0);
	cli_result_free(&r);
	path_in(dump, sizeof(dump), dir, "openocd-dump.bin");
	snprintf(cmd, sizeof(cmd), "reset halt; dump_image %s 0x08000000 %zu",
		 dump, sizeof(img));
	openocd(&r, dir, cmd);
	cli_result_free(&r);
	back = read_file(dump, &n);
	assert_int_equal(n, sizeof(img));
	assert_memory_equal(back, img, n);
	free(back);
}

static void unbrick_verifies_what_openocd_writes(void **state)
{
	static uint8_t img[24 * 1024];
	struct cli_result r;
	char dir[4200], file[4400], cmd[9000], arg[4500];

	(void)state;
	state_dir(dir, sizeof(dir), "x-openocd");
	pattern(img, sizeof(img), 32);
	path_in(file, sizeof(file), dir, "img.bin");
	write_file(file, img, sizeof(img));
	snprintf(cmd, sizeof(cmd), "program %s 0x08004000 verify", file);
	openocd(&r, dir, cmd);
	cli_result_free(&r);
	snprintf(arg, sizeof(arg), "%s@0x08004000", file);
	ub(&r, dir, NULL, "verify", arg, NULL);
	status(&r, 0);
	has(r.err, "verified");
	cli_result_free(&r);
	/* and a byte changed behind its back is seen */
	img[1000] ^= 1;
	write_file(file, img, sizeof(img));
	ub(&r, dir, NULL, "verify", arg, NULL);
	status(&r, 1);
	has(r.err, "verify failed at 0x080043E8");
	cli_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(probe_blank_chip),
		cmocka_unit_test(write_verify_read),
		cmocka_unit_test(write_region_keeps_the_rest),
		cmocka_unit_test(verify_names_a_difference),
		cmocka_unit_test(erase_a_region),
		cmocka_unit_test(write_protection),
		cmocka_unit_test(readout_protection),
		cmocka_unit_test(protect_and_unprotect),
		cmocka_unit_test(bad_images_touch_nothing),
		cmocka_unit_test(reset_run_and_halt),
		cmocka_unit_test(no_target),
		cmocka_unit_test(swapped_wires),
		cmocka_unit_test(nrst_not_connected),
		cmocka_unit_test(firmware_disables_swd),
		cmocka_unit_test(wire_faults_are_retried),
		cmocka_unit_test(faults_mid_write_are_retried),
		cmocka_unit_test(power_loss_mid_write),
		cmocka_unit_test(ctrl_c_mid_write),
		cmocka_unit_test(openocd_reads_what_unbrick_writes),
		cmocka_unit_test(unbrick_verifies_what_openocd_writes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
