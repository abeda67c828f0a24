// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Proof that the virtual board is faithful: OpenOCD 0.12 (Debian's, with its
 * linuxgpiod adapter in SWD mode and its own stm32f1x target and flash
 * driver) works it through the stand-in libgpiod, by way of with-vboard,
 * each case on a fresh state directory. After each write, the board's
 * flash.bin holds the image. sigrok-cli's SWD decoder reads the VCD trace of
 * a session.
 */
#include <errno.h>
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

#define FLASH_SIZE (128 * 1024) /* a Blue Pill's chip, as modelled (CB) */
#define PAGE_SIZE  1024
#define IMAGE_SIZE 5222 /* five pages and a bit */
#define MAX_ARGS   48
#define TIMEOUT_S  120 /* OpenOCD is killed after this */

static char srcdir[4096];
static char with_vboard[4200];
static char tmp_dir[] = "/tmp/ub-test-vb-openocd-XXXXXX";
static char cfg[4200], image[4200];
static uint8_t image_data[IMAGE_SIZE];

static const char cfg_text[] =
	"# a Raspberry Pi's header, as boards/bluepill.conf wires it\n"
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

static const char *path_in(char *buf, size_t n, const char *dir,
			   const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
	return buf;
}

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

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc(len > 0 ? (size_t)len : 1);
	if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*n = (size_t)len;
	return buf;
}

/* A firmware image: a vector table whose reset handler spins, then noise. */
static void make_image(void)
{
	uint32_t x = 0x2545F491;
	const uint32_t sp = 0x20001000, pc = 0x08000009;

	for (size_t i = 0; i < IMAGE_SIZE; i++) {
		x = x * 1103515245 + 12345;
		image_data[i] = (uint8_t)(x >> 16);
	}
	memcpy(image_data, &sp, 4);
	memcpy(image_data + 4, &pc, 4);
	image_data[8] = 0xFE; /* b . */
	image_data[9] = 0xE7;
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
	if (access(with_vboard, X_OK) || access("/usr/bin/openocd", X_OK)) {
		fprintf(stderr, "need %s and /usr/bin/openocd\n", with_vboard);
		return -1;
	}
	if (!mkdtemp(tmp_dir))
		return -1;
	make_image();
	path_in(cfg, sizeof(cfg), tmp_dir, "vboard.cfg");
	path_in(image, sizeof(image), tmp_dir, "image.bin");
	if (write_file(cfg, cfg_text, strlen(cfg_text)) ||
	    write_file(image, image_data, IMAGE_SIZE))
		return -1;
	return 0;
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

/* A session: its state directory and what came out of OpenOCD. */
struct session {
	char dir[4200];
	char report[4300];
	char vcd[4300];
	const char *settings[4];
	size_t flash_size;
	struct cli_result r;
	bool ran;
};

static void session_new(struct session *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	path_in(s->dir, sizeof(s->dir), tmp_dir, name);
	path_in(s->report, sizeof(s->report), s->dir, "report.json");
	s->flash_size = FLASH_SIZE;
}

static void show_log(const struct cli_result *r)
{
	size_t n = r->err_len > 4000 ? r->err_len - 4000 : 0;

	fprintf(stderr, "--- OpenOCD exited with %d; its log ends:\n%s\n",
		r->status, r->err + n);
	if (r->out_len)
		fprintf(stderr, "--- stdout:\n%s\n", r->out);
}

/*
 * Run OpenOCD on the board: pre-commands before the configuration, then
 * init and cmds, then shutdown. Returns OpenOCD's exit status.
 */
static int openocd(struct session *s, const char *pre, const char *const *cmds)
{
	const char *argv[MAX_ARGS];
	char timeout[16];
	int n = 0;
	double t0 = now();

	if (s->ran)
		cli_result_free(&s->r);
	argv[n++] = with_vboard;
	argv[n++] = "--board";
	argv[n++] = "bluepill";
	argv[n++] = "--state";
	argv[n++] = s->dir;
	argv[n++] = "--report";
	argv[n++] = s->report;
	if (s->vcd[0]) {
		argv[n++] = "--vcd";
		argv[n++] = s->vcd;
	}
	for (int i = 0; i < 4 && s->settings[i]; i++) {
		argv[n++] = "--set";
		argv[n++] = s->settings[i];
	}
	snprintf(timeout, sizeof(timeout), "%d", TIMEOUT_S);
	argv[n++] = "--";
	argv[n++] = "timeout";
	argv[n++] = "-k";
	argv[n++] = "5";
	argv[n++] = timeout;
	argv[n++] = "/usr/bin/openocd";
	if (pre) {
		argv[n++] = "-c";
		argv[n++] = pre;
	}
	argv[n++] = "-f";
	argv[n++] = cfg;
	argv[n++] = "-c";
	argv[n++] = "init";
	for (int i = 0; cmds && cmds[i] && n < MAX_ARGS - 4; i++) {
		argv[n++] = "-c";
		argv[n++] = cmds[i];
	}
	argv[n++] = "-c";
	argv[n++] = "shutdown";
	argv[n] = NULL;
	if (cli_run(&s->r, NULL, argv, TIMEOUT_S + 30))
		fail_msg("cannot run %s", with_vboard);
	s->ran = true;
	fprintf(stderr, "    OpenOCD took %.1f s (%s)\n", now() - t0,
		cmds && cmds[0] ? cmds[0] : "init");
	return s->r.status;
}

static void session_end(struct session *s)
{
	if (s->ran)
		cli_result_free(&s->r);
	s->ran = false;
}

/* OpenOCD must have succeeded and said each of want. */
static void expect_ok(struct session *s, const char *const *want)
{
	bool ok = s->r.status == 0;

	for (int i = 0; ok && want && want[i]; i++)
		if (!strstr(s->r.err, want[i]) && !strstr(s->r.out, want[i])) {
			fprintf(stderr, "OpenOCD did not say '%s'\n", want[i]);
			ok = false;
		}
	if (!ok) {
		show_log(&s->r);
		session_end(s);
		fail();
	}
}

static bool said(const struct session *s, const char *what)
{
	return strstr(s->r.err, what) || strstr(s->r.out, what);
}

/* flash.bin: the image at 0 (when given), erased from `erased_from` on. */
static void expect_flash(struct session *s, const uint8_t *data, size_t n,
			 size_t erased_from, size_t erased_to)
{
	char path[4300];
	size_t len, bad = SIZE_MAX;
	uint8_t *flash = read_file(
		path_in(path, sizeof(path), s->dir, "flash.bin"), &len);

	if (!flash || len != s->flash_size) {
		free(flash);
		show_log(&s->r);
		session_end(s);
		fail_msg("flash.bin is missing or not %zu bytes",
			 s->flash_size);
	}
	for (size_t i = 0; i < len && bad == SIZE_MAX; i++) {
		int want = i >= erased_from && i < erased_to ? 0xFF
			   : i < n			     ? data[i]
							     : 0xFF;

		if (flash[i] != want)
			bad = i;
	}
	if (bad != SIZE_MAX) {
		fprintf(stderr, "flash.bin[0x%zx] = 0x%02x, want 0x%02x\n", bad,
			flash[bad],
			bad >= erased_from && bad < erased_to ? 0xFF
			: bad < n			      ? data[bad]
							      : 0xFF);
		free(flash);
		show_log(&s->r);
		session_end(s);
		fail();
	}
	free(flash);
}

/* A number in the session report ("key":N), or -1. */
static long long report_num(const struct session *s, const char *key)
{
	size_t n;
	char want[64];
	uint8_t *json = read_file(s->report, &n);
	const char *p;
	long long v = -1;

	if (!json)
		return -1;
	json = realloc(json, n + 1);
	json[n] = 0;
	snprintf(want, sizeof(want), "\"%s\":", key);
	p = strstr((char *)json, want);
	if (p)
		v = strtoll(p + strlen(want), NULL, 10);
	free(json);
	return v;
}

static char *cmd(char *buf, size_t n, const char *fmt, const char *path)
{
	snprintf(buf, n, fmt, path);
	return buf;
}

/* Examine the target, halt it under reset, read its flash size. */
static void examine_and_probe(void **state)
{
	struct session s;
	const char *cmds[] = {"reset halt", "flash probe 0", NULL};
	const char *want[] = {"target has 6 breakpoints, 4 watchpoints",
			      "halted", "flash size = 128", NULL};

	(void)state;
	session_new(&s, "probe");
	openocd(&s, NULL, cmds);
	expect_ok(&s, want);
	session_end(&s);
}

/* A high-density chip (VE: 512 KB in 2 KB pages, DEV_ID 0x414). */
static void high_density(void **state)
{
	struct session s;
	char c[4400];
	const char *cmds[] = {
		cmd(c, sizeof(c), "program %s 0x08000000 verify", image),
		"flash erase_sector 0 0 0", NULL};
	const char *want[] = {"device id = 0x10030414", "flash size = 512 KiB",
			      "Verified OK", "erased sectors 0 through 0",
			      NULL};

	(void)state;
	session_new(&s, "high-density");
	s.settings[0] = "variant=ve";
	s.flash_size = 512 * 1024;
	openocd(&s, NULL, cmds);
	expect_ok(&s, want);
	expect_flash(&s, image_data, IMAGE_SIZE, 0, 2048);
	session_end(&s);
}

/* With a work area, OpenOCD's flash algorithm runs on the virtual core. */
static void program_with_work_area(void **state)
{
	struct session s;
	char c[4400];
	const char *cmds[] = {
		cmd(c, sizeof(c), "program %s 0x08000000 verify", image), NULL};
	const char *want[] = {"Programming Finished", "Verified OK", NULL};

	(void)state;
	session_new(&s, "program-wa");
	openocd(&s, NULL, cmds);
	expect_ok(&s, want);
	if (said(&s, "falling back")) {
		show_log(&s.r);
		fail_msg("OpenOCD did not use its flash algorithm");
	}
	expect_flash(&s, image_data, IMAGE_SIZE, 0, 0);
	if (report_num(&s, "cpu_instructions") <= 0)
		fail_msg("the core ran no instructions (report %s)", s.report);
	session_end(&s);
}

/* Without one, OpenOCD writes halfword by halfword through the AP. */
static void program_without_work_area(void **state)
{
	struct session s;
	char c[4400];
	const char *cmds[] = {
		cmd(c, sizeof(c), "program %s 0x08000000 verify", image), NULL};
	const char *want[] = {"Programming Finished", "Verified OK",
			      "falling back", NULL};

	(void)state;
	session_new(&s, "program-nowa");
	openocd(&s, "set WORKAREASIZE 0", cmds);
	expect_ok(&s, want);
	expect_flash(&s, image_data, IMAGE_SIZE, 0, 0);
	session_end(&s);
}

/* Program, then erase the first two pages in another session. */
static void erase_sectors(void **state)
{
	struct session s;
	char c[4400];
	const char *prog[] = {
		cmd(c, sizeof(c), "program %s 0x08000000 verify", image), NULL};
	const char *erase[] = {"reset halt", "flash erase_sector 0 0 1", NULL};
	const char *want[] = {"erased sectors 0 through 1", NULL};

	(void)state;
	session_new(&s, "erase-sector");
	openocd(&s, NULL, prog);
	expect_ok(&s, NULL);
	openocd(&s, NULL, erase);
	expect_ok(&s, want);
	expect_flash(&s, image_data, IMAGE_SIZE, 0, 2 * PAGE_SIZE);
	session_end(&s);
}

static void mass_erase(void **state)
{
	struct session s;
	char c[4400];
	const char *prog[] = {
		cmd(c, sizeof(c), "program %s 0x08000000 verify", image), NULL};
	const char *erase[] = {"reset halt", "stm32f1x mass_erase 0", NULL};
	const char *want[] = {"stm32x mass erase complete", NULL};

	(void)state;
	session_new(&s, "mass-erase");
	openocd(&s, NULL, prog);
	expect_ok(&s, NULL);
	openocd(&s, NULL, erase);
	expect_ok(&s, want);
	expect_flash(&s, NULL, 0, 0, FLASH_SIZE);
	session_end(&s);
}

/*
 * Readout protection: after lock and a reset the debugger cannot read the
 * flash (in this process and the next); unlock mass-erases it.
 */
static void lock_and_unlock(void **state)
{
	struct session s;
	char c[4400], path[4300];
	const char *prog[] = {
		cmd(c, sizeof(c), "program %s 0x08000000 verify", image),
		"reset halt",
		"stm32f1x lock 0",
		"reset halt",
		"if {[catch {mdw 0x08000000}]} {echo READ-REFUSED} "
		"else {echo READ-ALLOWED}",
		NULL};
	const char *probe[] = {
		"reset halt",
		"if {[catch {mdw 0x08000000}]} {echo READ-REFUSED} "
		"else {echo READ-ALLOWED}",
		"stm32f1x unlock 0",
		"reset halt",
		"mdw 0x08000000 2",
		NULL};
	const char *want_locked[] = {"stm32x locked", "READ-REFUSED", NULL};
	const char *want_unlocked[] = {"READ-REFUSED", "stm32x unlocked",
				       "0x08000000: ffffffff ffffffff", NULL};
	uint8_t *opt;
	size_t n;

	(void)state;
	session_new(&s, "rdp");
	openocd(&s, NULL, prog);
	expect_ok(&s, want_locked);
	expect_flash(&s, image_data, IMAGE_SIZE, 0, 0);
	opt = read_file(path_in(path, sizeof(path), s.dir, "option.bin"), &n);
	assert_non_null(opt);
	assert_int_equal(n, 16);
	assert_int_not_equal(opt[0], 0xA5);
	free(opt);

	openocd(&s, NULL, probe);
	expect_ok(&s, want_unlocked);
	expect_flash(&s, NULL, 0, 0, FLASH_SIZE);
	opt = read_file(path, &n);
	assert_non_null(opt);
	assert_int_equal(opt[0], 0xA5);
	assert_int_equal(opt[1], 0x5A);
	free(opt);
	session_end(&s);
}

/* What OpenOCD writes, it reads back identically. */
static void dump_image_round_trip(void **state)
{
	struct session s;
	char c1[4400], c2[4400], out[4300];
	const char *cmds[] = {"reset halt",
			      cmd(c1, sizeof(c1),
				  "flash write_image erase %s 0x08000000",
				  image),
			      NULL, NULL};
	size_t n;
	uint8_t *back;

	(void)state;
	session_new(&s, "dump");
	path_in(out, sizeof(out), s.dir, "dump.bin");
	snprintf(c2, sizeof(c2), "dump_image %s 0x08000000 %d", out,
		 IMAGE_SIZE);
	cmds[2] = c2;
	openocd(&s, NULL, cmds);
	expect_ok(&s, NULL);
	back = read_file(out, &n);
	assert_non_null(back);
	assert_int_equal(n, IMAGE_SIZE);
	assert_memory_equal(back, image_data, IMAGE_SIZE);
	free(back);
	expect_flash(&s, image_data, IMAGE_SIZE, 0, 0);
	session_end(&s);
}

/* sigrok-cli's SWD decoder reads a session's trace without an error. */
static void sigrok_decodes_the_trace(void **state)
{
	struct session s;
	const char *cmds[] = {"reset halt", "mdw 0x08000000 4",
			      "mdw 0x1ffff7e0", NULL};
	char input[4400];
	const char *argv[] = {
		"/usr/bin/sigrok-cli",	       "-I", "vcd", "-i", NULL, "-P",
		"swd:swclk=swclk:swdio=swdio", "-A", "swd", NULL};
	struct cli_result r;
	unsigned oks, waits, faults, bad;

	(void)state;
	session_new(&s, "sigrok");
	path_in(s.vcd, sizeof(s.vcd), tmp_dir, "sigrok.vcd");
	openocd(&s, NULL, cmds);
	expect_ok(&s, NULL);
	session_end(&s);

	snprintf(input, sizeof(input), "%s", s.vcd);
	argv[4] = input;
	if (access(argv[0], X_OK))
		fail_msg("no %s", argv[0]);
	assert_int_equal(cli_run(&r, NULL, argv, 300), 0);
	oks = cli_count(r.out, "swd-1: OK\n");
	waits = cli_count(r.out, "swd-1: WAIT\n");
	faults = cli_count(r.out, "swd-1: FAULT\n");
	bad = cli_count(r.out, "swd-1: ERROR\n") +
	      cli_count(r.out, "swd-1: 01\n") + cli_count(r.out, "swd-1: 10\n");
	/* the decoder and the model agree on every acknowledgement */
	if (r.status || r.err_len || oks < 20 || bad ||
	    oks != report_num(&s, "ok") || waits != report_num(&s, "wait") ||
	    faults != report_num(&s, "fault") ||
	    !strstr(r.out, "swd-1: IDCODE") ||
	    !strstr(r.out, "swd-1: 0x1ba01477")) {
		size_t n = r.out_len > 3000 ? r.out_len - 3000 : 0;

		fprintf(stderr,
			"sigrok-cli: status %d, %u OK, %u WAIT, %u FAULT, %u "
			"bad (model: %lld OK, %lld WAIT, %lld FAULT)\n%s\n"
			"...%s\n",
			r.status, oks, waits, faults, bad, report_num(&s, "ok"),
			report_num(&s, "wait"), report_num(&s, "fault"), r.err,
			r.out + n);
		cli_result_free(&r);
		fail();
	}
	cli_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(examine_and_probe),
		cmocka_unit_test(program_with_work_area),
		cmocka_unit_test(program_without_work_area),
		cmocka_unit_test(erase_sectors),
		cmocka_unit_test(mass_erase),
		cmocka_unit_test(lock_and_unlock),
		cmocka_unit_test(dump_image_round_trip),
		cmocka_unit_test(high_density),
		cmocka_unit_test(sigrok_decodes_the_trace),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
