// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Proof that the virtual board's ROM bootloader is faithful: stm32flash
 * (Debian's 0.7) works it on $UB_VBOARD_TTY through with-vboard --uart,
 * each case on a fresh state directory: write with verify, read, erase,
 * write unprotect, readout protect and unprotect, go. What it writes is in
 * flash.bin and what it reads equals flash.bin. A libserialport program
 * (build/vboard/sp-entry) enters the bootloader with RTS and DTR through
 * the shim.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli_util.h"

#define FLASH_SIZE (128 * 1024)
#define IMAGE_SIZE 9000
#define TIMEOUT_S  60

static char srcdir[4096];
static char with_vboard[4200], sp_entry[4200];
static char tmp_dir[] = "/tmp/ub-test-vb-stm32flash-XXXXXX";
static char image[4200];
static uint8_t image_data[IMAGE_SIZE];

static int write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -1;
	if (fwrite(data, 1, n, f) != n) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

static uint8_t *read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long len;

	*n = 0;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc(len > 0 ? (size_t)len + 1 : 1);
	if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[len] = 0;
		*n = (size_t)len;
	}
	return buf;
}

/* A firmware: its reset handler sets r0 and sleeps (movs r0,#1; wfi;
 * b .), then noise. */
static void make_image(void)
{
	uint32_t x = 0x1234567;
	const uint32_t sp = 0x20001000, pc = 0x08000009;
	static const uint8_t code[] = {0x01, 0x20, 0x30, 0xBF, 0xFE, 0xE7};

	for (size_t i = 0; i < IMAGE_SIZE; i++) {
		x = x * 1103515245 + 12345;
		image_data[i] = (uint8_t)(x >> 16);
	}
	memcpy(image_data, &sp, 4);
	memcpy(image_data + 4, &pc, 4);
	memcpy(image_data + 8, code, sizeof(code));
}

static int setup(void **state)
{
	const char *src = getenv("UNBRICK_SRCDIR");

	(void)state;
	if (!getcwd(srcdir, sizeof(srcdir)))
		return -1;
	if (src)
		snprintf(srcdir, sizeof(srcdir), "%s", src);
	snprintf(with_vboard, sizeof(with_vboard),
		 "%s/tests/vboard/with-vboard", srcdir);
	snprintf(sp_entry, sizeof(sp_entry), "%s/build/vboard/sp-entry",
		 srcdir);
	if (access("/usr/bin/stm32flash", X_OK) || access(sp_entry, X_OK)) {
		fprintf(stderr,
			"need /usr/bin/stm32flash (make deps) and %s "
			"(make vboard)\n",
			sp_entry);
		return -1;
	}
	if (!mkdtemp(tmp_dir))
		return -1;
	make_image();
	snprintf(image, sizeof(image), "%s/image.bin", tmp_dir);
	return write_file(image, image_data, IMAGE_SIZE);
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

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct session {
	char dir[4300], report[4400], path[4400];
	struct cli_result r;
	bool ran;
};

static void session_new(struct session *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "%s/%s", tmp_dir, name);
	snprintf(s->report, sizeof(s->report), "%s/report.json", s->dir);
}

static const char *in(struct session *s, const char *name)
{
	snprintf(s->path, sizeof(s->path), "%s/%s", s->dir, name);
	return s->path;
}

/* stm32flash ARGS... $UB_VBOARD_TTY on the board (BOOT0 jumper on):
 * its exit status. */
static int stm32flash(struct session *s, ...)
{
	const char *argv[32];
	int n = 0;
	double t0 = now();
	va_list ap;

	if (s->ran)
		cli_result_free(&s->r);
	argv[n++] = with_vboard;
	argv[n++] = "--board";
	argv[n++] = "bluepill";
	argv[n++] = "--state";
	argv[n++] = s->dir;
	argv[n++] = "--report";
	argv[n++] = s->report;
	argv[n++] = "--uart";
	argv[n++] = "--set";
	argv[n++] = "boot0=1";
	argv[n++] = "--";
	argv[n++] = "sh";
	argv[n++] = "-c";
	argv[n++] = "exec stm32flash -b 115200 \"$@\" \"$UB_VBOARD_TTY\"";
	argv[n++] = "sh";
	va_start(ap, s);
	for (const char *a; (a = va_arg(ap, const char *)) && n < 31;)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	assert_int_equal(cli_run(&s->r, NULL, argv, TIMEOUT_S), 0);
	s->ran = true;
	fprintf(stderr, "  stm32flash %s: %.2f s\n", argv[15], now() - t0);
	if (s->r.status)
		fprintf(stderr, "--- stm32flash exited with %d:\n%s\n%s\n",
			s->r.status, s->r.out, s->r.err);
	return s->r.status;
}

static void session_end(struct session *s)
{
	if (s->ran)
		cli_result_free(&s->r);
}

static uint8_t *state(struct session *s, const char *name, size_t *n)
{
	uint8_t *b = read_file(in(s, name), n);

	assert_non_null(b);
	return b;
}

/* -w with -v, then -r: flash.bin has the image, the dump is flash.bin. */
static void write_verify_read(void **st)
{
	struct session s;
	uint8_t *flash, *dump;
	size_t n, m;

	(void)st;
	session_new(&s, "write");
	assert_int_equal(stm32flash(&s, "-w", image, "-v", NULL), 0);
	assert_non_null(strstr(s.r.out, "Wrote and verified"));
	flash = state(&s, "flash.bin", &n);
	assert_int_equal(n, FLASH_SIZE);
	assert_memory_equal(flash, image_data, IMAGE_SIZE);
	assert_int_equal(flash[IMAGE_SIZE + 1024], 0xFF);
	assert_int_equal(stm32flash(&s, "-r", in(&s, "dump.bin"), NULL), 0);
	dump = state(&s, "dump.bin", &m);
	assert_int_equal(m, FLASH_SIZE);
	assert_memory_equal(dump, flash, FLASH_SIZE);
	free(flash);
	free(dump);
	session_end(&s);
}

/* -o (erase only) leaves the flash erased. */
static void erase(void **st)
{
	struct session s;
	uint8_t *flash;
	size_t n;

	(void)st;
	session_new(&s, "erase");
	assert_int_equal(stm32flash(&s, "-w", image, NULL), 0);
	assert_int_equal(stm32flash(&s, "-o", NULL), 0);
	flash = state(&s, "flash.bin", &n);
	for (size_t i = 0; i < n; i++)
		if (flash[i] != 0xFF)
			fail_msg("flash[0x%zx] = 0x%02X after -o", i, flash[i]);
	free(flash);
	session_end(&s);
}

/* -j sets readout protection (reads then fail), -k removes it and the
 * flash is mass-erased; -u clears write protection. */
static void protection(void **st)
{
	static const uint8_t wrp[16] = {0xA5, 0x5A, 0xFF, 0x00, 0xFF, 0x00,
					0xFF, 0x00, 0xF0, 0x0F, 0xFF, 0x00,
					0xFF, 0x00, 0xFF, 0x00};
	struct session s;
	uint8_t *opt, *flash;
	size_t n;

	(void)st;
	session_new(&s, "protect");
	assert_int_equal(stm32flash(&s, "-w", image, NULL), 0);
	assert_int_equal(stm32flash(&s, "-j", NULL), 0);
	opt = state(&s, "option.bin", &n);
	assert_int_equal(opt[0], 0x00);
	free(opt);
	assert_int_not_equal(stm32flash(&s, "-r", in(&s, "no.bin"), NULL), 0);
	assert_int_equal(stm32flash(&s, "-k", NULL), 0);
	opt = state(&s, "option.bin", &n);
	assert_int_equal(opt[0], 0xA5);
	free(opt);
	flash = state(&s, "flash.bin", &n);
	assert_int_equal(flash[0], 0xFF);
	assert_int_equal(flash[IMAGE_SIZE - 1], 0xFF);
	free(flash);

	assert_int_equal(write_file(in(&s, "option.bin"), wrp, 16), 0);
	assert_int_equal(stm32flash(&s, "-u", NULL), 0);
	opt = state(&s, "option.bin", &n);
	assert_int_equal(opt[8], 0xFF);
	assert_int_equal(opt[9], 0x00);
	assert_int_equal(opt[0], 0xA5);
	free(opt);
	session_end(&s);
}

/* -g starts the firmware: the core runs its three instructions. */
static void go(void **st)
{
	struct session s;
	uint8_t *rep;
	size_t n;

	(void)st;
	session_new(&s, "go");
	assert_int_equal(stm32flash(&s, "-w", image, NULL), 0);
	assert_int_equal(stm32flash(&s, "-g", "0x08000000", NULL), 0);
	rep = state(&s, "report.json", &n);
	assert_non_null(strstr((char *)rep, "\"cpu_instructions\":3,"));
	free(rep);
	session_end(&s);
}

/* A host that asks for 8N1 (the shim tells the board): stm32flash cannot
 * talk to the bootloader. */
static void wrong_parity(void **st)
{
	struct session s;

	(void)st;
	session_new(&s, "parity");
	assert_int_not_equal(stm32flash(&s, "-m", "8n1", NULL), 0);
	session_end(&s);
}

/* libserialport through the shim: the pty is a port, its parity reads
 * back, and RTS/DTR wired to BOOT0/NRST enter the bootloader. */
static void rts_dtr_entry(void **st)
{
	const char *argv[] = {with_vboard, "--board",  "bluepill", "--state",
			      NULL,	   "--uart",   "--set",	   "rts=!boot0",
			      "--set",	   "dtr=nrst", "--",	   "sh",
			      "-c",	   NULL,       NULL};
	char cmd[4300];
	struct session s;

	(void)st;
	session_new(&s, "entry");
	argv[4] = s.dir;
	snprintf(cmd, sizeof(cmd), "exec '%s' \"$UB_VBOARD_TTY\"", sp_entry);
	argv[13] = cmd;
	assert_int_equal(cli_run(&s.r, NULL, argv, TIMEOUT_S), 0);
	s.ran = true;
	if (s.r.status)
		fprintf(stderr, "%s\n%s\n", s.r.out, s.r.err);
	assert_int_equal(s.r.status, 0);
	assert_non_null(strstr(s.r.out, "listed 1\n"));
	assert_non_null(strstr(s.r.out, "description pts/"));
	assert_non_null(strstr(s.r.out, "parity even\n"));
	assert_non_null(strstr(s.r.out, "id 0x0410\n"));
	session_end(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(write_verify_read),
		cmocka_unit_test(erase),
		cmocka_unit_test(protection),
		cmocka_unit_test(go),
		cmocka_unit_test(wrong_parity),
		cmocka_unit_test(rts_dtr_entry),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
