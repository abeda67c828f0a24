// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The GPIO wire over libgpiod 2 (src/gpio_gpiod2.c), against the virtual
 * board: built with libgpiod 2's headers (build/gpiod2/sysroot), the
 * program runs itself again under tests/vboard/with-vboard, whose
 * LD_LIBRARY_PATH gives it the stand-in libgpiod.so.3. The semantics of
 * tests/test_gpio.c, with libgpiod 2's own: SWCLK and SWDIO change in one
 * call. Then the Pi 5, whose RP1 is gpiochip0 on recent kernels and
 * gpiochip4 on older ones, and unbrick itself built on libgpiod 2: probe,
 * write and verify on the board.
 */
#include <errno.h>
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <gpiod.h>

#include "cli_util.h"
#include "ub/board.h"
#include "ub/err.h"
#include "ub/gpio.h"

#define CLK  UB_BIT(UB_LINE_SWCLK)
#define DIO  UB_BIT(UB_LINE_SWDIO)
#define NRST UB_BIT(UB_LINE_NRST)

/* Spark Core: SWCLK GPIO11, SWDIO GPIO25, NRST GPIO24 */
#define BCM_SWCLK 11
#define BCM_SWDIO 25
#define BCM_NRST  24

static struct ub_board *board;

struct info {
	bool used, output, open_drain, pull_up;
	char consumer[32];
};

static struct info line_info_on(const char *path, unsigned bcm)
{
	struct gpiod_chip *chip = gpiod_chip_open(path);
	struct gpiod_line_info *l;
	struct info in = {0};
	const char *who;

	assert_non_null(chip);
	l = gpiod_chip_get_line_info(chip, bcm);
	assert_non_null(l);
	in.used = gpiod_line_info_is_used(l);
	in.output =
		gpiod_line_info_get_direction(l) == GPIOD_LINE_DIRECTION_OUTPUT;
	in.open_drain =
		gpiod_line_info_get_drive(l) == GPIOD_LINE_DRIVE_OPEN_DRAIN;
	in.pull_up = gpiod_line_info_get_bias(l) == GPIOD_LINE_BIAS_PULL_UP;
	who = gpiod_line_info_get_consumer(l);
	snprintf(in.consumer, sizeof(in.consumer), "%s", who ? who : "");
	gpiod_line_info_free(l);
	gpiod_chip_close(chip);
	return in;
}

static struct info line_info(unsigned bcm)
{
	return line_info_on("/dev/gpiochip0", bcm);
}

static long long report(const char *key)
{
	const char *path = getenv("UB_VBOARD_REPORT");
	char buf[4096], pat[64];
	const char *p;
	size_t n;
	FILE *f;

	assert_non_null(path);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(buf, pat);
	return p ? strtoll(p + strlen(pat), NULL, 10) : -1;
}

static struct ub_gpio *open_swd(void)
{
	int err = 0;
	struct ub_gpio *g = ub_gpio_open_board(board, UB_IFACE_SWD, &err);

	if (!g)
		fail_msg("open: %s", ub_errmsg(err));
	return g;
}

static int vb_setup(void **state)
{
	struct gpiod_chip *chip;
	int err;

	(void)state;
	chip = gpiod_chip_open("/dev/gpiochip0");
	if (!chip) {
		fprintf(stderr, "test_gpio2: the stand-in libgpiod.so.3 is "
				"not loaded (make vboard)\n");
		return -1;
	}
	gpiod_chip_close(chip);
	board = ub_board_load("spark-core", &err);
	return board ? 0 : -1;
}

static int vb_teardown(void **state)
{
	(void)state;
	ub_board_free(board);
	return 0;
}

static void test_open_board(void **state)
{
	struct ub_gpio *g = open_swd();
	struct info clk = line_info(BCM_SWCLK), dio = line_info(BCM_SWDIO),
		    rst = line_info(BCM_NRST);
	unsigned v = 0;

	(void)state;
	assert_string_equal(g->backend, "gpiod");
	assert_string_equal(g->detail, "libgpiod 2");
	assert_int_equal(g->have, CLK | DIO | NRST);
	assert_int_equal(g->outputs, CLK | DIO | NRST);
	assert_true(clk.used && clk.output && !clk.open_drain);
	assert_string_equal(clk.consumer, "unbrick");
	assert_true(dio.used && dio.output && dio.pull_up);
	assert_true(rst.used && rst.output && rst.open_drain);
	assert_false(line_info(23).used);
	assert_int_equal(ub_gpio_get(g, CLK | DIO | NRST, &v), 0);
	assert_int_equal(v, DIO | NRST);
	ub_gpio_close(g);
}

/* One call whatever changes: SWCLK and SWDIO together are one write. */
static void test_one_call(void **state)
{
	struct ub_gpio *g;
	long long base;

	(void)state;
	ub_gpio_close(open_swd());
	base = report("gpio_writes");
	g = open_swd();
	for (int i = 0; i < 5; i++)
		assert_int_equal(ub_gpio_set(g, CLK | DIO | NRST, DIO | NRST),
				 0);
	assert_int_equal(g->writes, 0);
	assert_int_equal(ub_gpio_set(g, CLK | DIO, CLK | DIO), 0);
	assert_int_equal(g->writes, 1);
	assert_int_equal(ub_gpio_set(g, CLK | DIO, 0), 0); /* both */
	assert_int_equal(g->writes, 2);
	assert_int_equal(ub_gpio_set(g, CLK | DIO | NRST, CLK), 0);
	assert_int_equal(g->writes, 3); /* three lines, one call */
	assert_int_equal(g->levels, CLK);
	ub_gpio_close(g);
	/* the wire saw each line that changed: 1 + 2 + 2, and NRST let go
	 * at the close */
	assert_int_equal(report("gpio_writes"), base + 6);
}

static void test_clock_reaches_board(void **state)
{
	struct ub_gpio *g = open_swd();

	(void)state;
	for (int i = 0; i < 8; i++) {
		assert_int_equal(ub_gpio_set(g, CLK | DIO, CLK | DIO), 0);
		assert_int_equal(ub_gpio_set(g, CLK | DIO, 0), 0);
	}
	ub_gpio_close(g);
	assert_int_equal(report("swclk_cycles"), 8);
}

/* SWDIO turns in place; the others keep their settings and levels. */
static void test_dir_in_place(void **state)
{
	struct ub_gpio *g = open_swd();
	struct info in;
	unsigned v = 0;

	(void)state;
	assert_int_equal(ub_gpio_set(g, NRST, 0), 0);
	assert_int_equal(ub_gpio_dir(g, DIO, 0), 0);
	assert_int_equal(g->outputs, CLK | NRST);
	in = line_info(BCM_SWDIO);
	assert_true(in.used && !in.output && in.pull_up);
	assert_string_equal(in.consumer, "unbrick");
	in = line_info(BCM_NRST);
	assert_true(in.output && in.open_drain);
	assert_int_equal(ub_gpio_get(g, NRST, &v), 0);
	assert_int_equal(v, 0); /* still held low */
	assert_int_equal(ub_gpio_set(g, DIO, 0), 0);
	assert_int_equal(g->writes, 1); /* NRST's; SWDIO waits */
	assert_int_equal(ub_gpio_dir(g, DIO, DIO), 0);
	assert_true(line_info(BCM_SWDIO).output);
	assert_int_equal(ub_gpio_get(g, DIO, &v), 0);
	assert_int_equal(v, 0);
	ub_gpio_close(g);
	assert_int_equal(report("resets"), 1);
}

static void test_busy_and_release(void **state)
{
	struct ub_gpio *g = open_swd(), *g2;
	int err = 0;

	(void)state;
	g2 = ub_gpio_open_board(board, UB_IFACE_SWD, &err);
	assert_null(g2);
	assert_int_equal(err, UB_EBUSY);
	assert_non_null(strstr(ub_errmsg(err), "is in use by 'unbrick'"));
	ub_gpio_close(g);
	for (unsigned i = 0; i < 3; i++) {
		struct info in = line_info(
			(unsigned[]){BCM_SWCLK, BCM_SWDIO, BCM_NRST}[i]);

		assert_false(in.used);
		assert_false(in.output);
	}
}

static void test_not_found(void **state)
{
	static const struct ub_gpio_req req[] = {
		{UB_LINE_NRST, 60, true, 1, true, false, false},
	};
	int err = 0;

	(void)state;
	assert_null(ub_gpio_open_gpiod(req, 1, "unbrick", &err));
	assert_int_equal(err, UB_ENOENT);
	assert_non_null(strstr(ub_errmsg(err), "no line named GPIO60"));
}

/* The Pi 5: the RP1 found by line name, as gpiochip0 or gpiochip4. */
static void pi5(const char *setting, const char *path)
{
	const char *old = getenv("UB_VBOARD_SETTINGS");
	char *saved = old ? strdup(old) : NULL;
	struct gpiod_chip *chip;
	struct gpiod_chip_info *ci;
	struct ub_gpio *g;

	setenv("UB_VBOARD_SETTINGS", setting, 1);
	g = open_swd();
	chip = gpiod_chip_open(path);
	assert_non_null(chip);
	ci = gpiod_chip_get_info(chip);
	assert_string_equal(gpiod_chip_info_get_label(ci), "pinctrl-rp1");
	gpiod_chip_info_free(ci);
	gpiod_chip_close(chip);
	assert_string_equal(line_info_on(path, BCM_SWCLK).consumer, "unbrick");
	assert_true(line_info_on(path, BCM_NRST).open_drain);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(ub_gpio_set(g, CLK, CLK), 0);
		assert_int_equal(ub_gpio_set(g, CLK, 0), 0);
	}
	ub_gpio_close(g);
	assert_int_equal(report("swclk_cycles"), 4);
	if (saved)
		setenv("UB_VBOARD_SETTINGS", saved, 1);
	else
		unsetenv("UB_VBOARD_SETTINGS");
	free(saved);
}

static void test_pi5_gpiochip0(void **state)
{
	(void)state;
	pi5("pi=5", "/dev/gpiochip0");
	assert_null(gpiod_chip_open("/dev/gpiochip4"));
}

static void test_pi5_gpiochip4(void **state)
{
	struct gpiod_chip *chip;

	(void)state;
	pi5("pi=5-old", "/dev/gpiochip4");
	/* gpiochip0 is a brcmstb chip there, without the header lines */
	setenv("UB_VBOARD_SETTINGS", "pi=5-old", 1);
	chip = gpiod_chip_open("/dev/gpiochip0");
	assert_non_null(chip);
	assert_int_equal(gpiod_chip_get_line_offset_from_name(chip, "GPIO11"),
			 -1);
	gpiod_chip_close(chip);
	unsetenv("UB_VBOARD_SETTINGS");
}

/* --- unbrick on libgpiod 2, end to end --- */

static char srcdir[4096];

static void run_unbrick(struct cli_result *r, const char *state,
			const char *const *args)
{
	char tool[4200], prog[4200];
	const char *argv[24] = {tool,  "--board", "bluepill", "--state",
				state, "--set",	  "pi=5-old", "--",
				prog,  "-B",	  "bluepill"};
	const char *env[] = {"UNBRICK_GPIO=gpiod", NULL};
	unsigned n = 11;

	snprintf(tool, sizeof(tool), "%s/tests/vboard/with-vboard", srcdir);
	snprintf(prog, sizeof(prog), "%s/build/gpiod2/san/unbrick", srcdir);
	while (*args && n < 23)
		argv[n++] = *args++;
	argv[n] = NULL;
	assert_int_equal(cli_run(r, env, argv, 120), 0);
}

static void test_unbrick_v2(void **state)
{
	char dir[] = "/tmp/ub-test-gpio2-XXXXXX", st[64], img[64], cmd[96];
	struct cli_result r;
	uint8_t data[4096];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(st, sizeof(st), "%s/state", dir);
	snprintf(img, sizeof(img), "%s/app.bin", dir);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	f = fopen(img, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, sizeof(data), f), sizeof(data));
	fclose(f);

	run_unbrick(&r, st, (const char *[]){"-v", "probe", NULL});
	if (r.status)
		fail_msg("probe: %s", r.err);
	assert_non_null(strstr(r.out, "DEV_ID 0x410"));
	assert_non_null(strstr(r.err, "libgpiod 2"));
	cli_result_free(&r);

	run_unbrick(&r, st,
		    (const char *[]){"-y", "--no-backup", "write", img, NULL});
	if (r.status)
		fail_msg("write: %s", r.err);
	cli_result_free(&r);

	run_unbrick(&r, st, (const char *[]){"verify", img, NULL});
	if (r.status)
		fail_msg("verify: %s", r.err);
	cli_result_free(&r);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* --- main --- */

static void test_no_chip(void **state)
{
	glob_t gl;
	int err = 0;

	(void)state;
	if (!glob("/dev/gpiochip*", 0, NULL, &gl)) {
		globfree(&gl);
		skip();
	}
	assert_null(ub_gpio_open_gpiod(
		(const struct ub_gpio_req[]){
			{UB_LINE_NRST, 24, true, 1, true, false, false}},
		1, "unbrick", &err));
	assert_int_equal(err, UB_ENOENT);
	assert_non_null(strstr(ub_errmsg(err), "no GPIO chip found"));
}

static int run_on_vboard(const char *self)
{
	char dir[] = "/tmp/ub-test-gpio2-XXXXXX";
	char tool[4200], state[64], rep[64], cmd[128];
	int status = -1;
	pid_t pid;

	snprintf(tool, sizeof(tool), "%s/tests/vboard/with-vboard", srcdir);
	if (!mkdtemp(dir))
		return -1;
	snprintf(state, sizeof(state), "%s/state", dir);
	snprintf(rep, sizeof(rep), "%s/report.json", dir);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		setenv("UNBRICK_GPIO", "gpiod", 1);
		execl(tool, tool, "--board", "spark-core", "--state", state,
		      "--report", rep, "--", self, (char *)NULL);
		_exit(127);
	}
	if (pid > 0 && waitpid(pid, &status, 0) == pid)
		status = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "test_gpio2: cannot remove %s\n", dir);
	return status;
}

int main(void)
{
	const struct CMUnitTest system_lib[] = {
		cmocka_unit_test(test_no_chip),
		cmocka_unit_test(test_unbrick_v2),
	};
	const struct CMUnitTest vboard[] = {
		cmocka_unit_test(test_open_board),
		cmocka_unit_test(test_one_call),
		cmocka_unit_test(test_clock_reaches_board),
		cmocka_unit_test(test_dir_in_place),
		cmocka_unit_test(test_busy_and_release),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_pi5_gpiochip0),
		cmocka_unit_test(test_pi5_gpiochip4),
	};
	const char *src = getenv("UNBRICK_SRCDIR");
	char self[4096];
	ssize_t n;
	int failed, status;

	snprintf(srcdir, sizeof(srcdir), "%s", src ? src : ".");
	if (getenv("UB_VBOARD_BOARD"))
		return cmocka_run_group_tests_name(
			"gpio on libgpiod 2, on the virtual board", vboard,
			vb_setup, vb_teardown);
	failed = cmocka_run_group_tests_name("gpio on libgpiod 2", system_lib,
					     NULL, NULL);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return 1;
	self[n] = 0;
	status = run_on_vboard(self);
	return failed || status < 0 || status;
}
