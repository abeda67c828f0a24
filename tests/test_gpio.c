// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The GPIO wire over libgpiod 1.6, against the virtual board: the program
 * runs itself again under tests/vboard/with-vboard, so that the dynamic
 * linker gives it the stand-in libgpiod.so.2 (a Pi 4's gpiochip wired to a
 * Spark Core) in place of the system's. Lines are looked at through the
 * same libgpiod API, and the board's session report (gpio_writes, resets,
 * swclk_cycles) says what reached the wires. Before that, with the system's
 * libgpiod, a machine without /dev/gpiochip* gives the "no GPIO chip" error.
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
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <gpiod.h>

#include "ub/board.h"
#include "ub/err.h"
#include "ub/gpio.h"

#define CLK  UB_BIT(UB_LINE_SWCLK)
#define DIO  UB_BIT(UB_LINE_SWDIO)
#define NRST UB_BIT(UB_LINE_NRST)
#define SCS  UB_BIT(UB_LINE_SPI_CS)
#define SCK  UB_BIT(UB_LINE_SPI_CLK)
#define MOSI UB_BIT(UB_LINE_SPI_MOSI)
#define MISO UB_BIT(UB_LINE_SPI_MISO)
#define MODE UB_BIT(UB_LINE_BOARD0)
#define K1   UB_BIT(UB_LINE_BOARD0 + 1)

/* Spark Core: SWCLK GPIO11 (SPI_SCLK on a Pi 3/4), SWDIO GPIO25, NRST 24 */
#define BCM_SWCLK 11
#define BCM_SWDIO 25
#define BCM_NRST  24

static struct ub_board *board;

/* --- looking at the lines through libgpiod --- */

struct info {
	bool used, output, open_drain;
	char consumer[32];
};

static struct info line_info(unsigned bcm)
{
	struct gpiod_chip *chip = gpiod_chip_open("/dev/gpiochip0");
	struct gpiod_line *l;
	struct info in = {0};
	const char *who;

	assert_non_null(chip);
	l = gpiod_chip_get_line(chip, bcm);
	assert_non_null(l);
	assert_int_equal(gpiod_line_update(l), 0);
	in.used = gpiod_line_is_used(l);
	in.output = gpiod_line_direction(l) == GPIOD_LINE_DIRECTION_OUTPUT;
	in.open_drain = gpiod_line_is_open_drain(l);
	who = gpiod_line_consumer(l);
	snprintf(in.consumer, sizeof(in.consumer), "%s", who ? who : "");
	gpiod_chip_close(chip);
	return in;
}

/* A number from the last session report ("key":N), -1 when absent. */
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
	assert_int_equal(err, 0);
	return g;
}

/* SPI lines on GPIO8, 21, 10 and 9, away from the Spark Core's. */
static struct ub_gpio *open_spi(int *err)
{
	static const struct ub_gpio_req req[] = {
		{UB_LINE_SPI_CS, 8, true, 1, false, false, false},
		{UB_LINE_SPI_CLK, 21, true, 0, false, false, false},
		{UB_LINE_SPI_MOSI, 10, true, 0, false, false, false},
		{UB_LINE_SPI_MISO, 9, false, 0, false, true, false},
	};

	return ub_gpio_open_gpiod(req, 4, "unbrick", err);
}

/* --- the virtual board's group --- */

static int vb_setup(void **state)
{
	struct gpiod_chip *chip;
	int err;

	(void)state;
	/* the stand-in, not the system's library (no chip here) */
	chip = gpiod_chip_open("/dev/gpiochip0");
	if (!chip || strcmp(gpiod_chip_label(chip), "pinctrl-bcm2711")) {
		fprintf(stderr, "test_gpio: the stand-in libgpiod is not "
				"loaded (make vboard)\n");
		return -1;
	}
	gpiod_chip_close(chip);
	board = ub_board_load("spark-core", &err);
	if (!board) {
		fprintf(stderr, "test_gpio: %s\n", ub_errmsg(err));
		return -1;
	}
	return 0;
}

static int vb_teardown(void **state)
{
	(void)state;
	ub_board_free(board);
	return 0;
}

/* Found by name, requested as unbrick, set up as the profile says. */
static void test_open_board(void **state)
{
	struct ub_gpio *g = open_swd();
	struct info clk = line_info(BCM_SWCLK), dio = line_info(BCM_SWDIO),
		    rst = line_info(BCM_NRST);
	unsigned v = 0;

	(void)state;
	assert_string_equal(g->backend, "gpiod");
	assert_int_equal(g->have, CLK | DIO | NRST);
	assert_int_equal(g->outputs, CLK | DIO | NRST);
	assert_int_equal(g->levels, DIO | NRST);
	assert_true(clk.used && clk.output && !clk.open_drain);
	assert_string_equal(clk.consumer, "unbrick");
	assert_true(dio.used && dio.output);
	assert_string_equal(dio.consumer, "unbrick");
	assert_true(rst.used && rst.output && rst.open_drain);
	assert_false(line_info(23).used); /* no boot0 on a Spark Core */
	/* SWCLK low, SWDIO high, NRST released (the board's pull-up) */
	assert_int_equal(ub_gpio_get(g, CLK | DIO | NRST, &v), 0);
	assert_int_equal(v, DIO | NRST);
	ub_gpio_close(g);
}

/* A Pi 5: the header lines on the RP1's chip, found by the same names. */
static void test_open_pi5(void **state)
{
	const char *old = getenv("UB_VBOARD_SETTINGS");
	char *saved = old ? strdup(old) : NULL;
	struct gpiod_chip *chip;
	struct ub_gpio *g;

	(void)state;
	setenv("UB_VBOARD_SETTINGS", "pi=5", 1);
	g = open_swd();
	chip = gpiod_chip_open("/dev/gpiochip0");
	assert_non_null(chip);
	assert_string_equal(gpiod_chip_label(chip), "pinctrl-rp1");
	gpiod_chip_close(chip);
	assert_string_equal(line_info(BCM_SWCLK).consumer, "unbrick");
	ub_gpio_close(g);
	if (saved)
		setenv("UB_VBOARD_SETTINGS", saved, 1);
	else
		unsetenv("UB_VBOARD_SETTINGS");
	free(saved);
}

/* The names looked for: GPIOn, then the Pi 3/4 device-tree name. */
static void test_line_names(void **state)
{
	const char *names[2];
	char buf[16];

	(void)state;
	assert_int_equal(ub_gpio_line_names(11, names, buf, sizeof(buf)), 2);
	assert_string_equal(names[0], "GPIO11");
	assert_string_equal(names[1], "SPI_SCLK");
	assert_int_equal(ub_gpio_line_names(24, names, buf, sizeof(buf)), 1);
	assert_string_equal(names[0], "GPIO24");
	assert_int_equal(ub_gpio_line_names(14, names, buf, sizeof(buf)), 2);
	assert_string_equal(names[1], "TXD1");
	assert_int_equal(ub_gpio_line_names(8, names, buf, sizeof(buf)), 2);
	assert_string_equal(names[1], "SPI_CE0_N");
	/* not on the header: only its GPIO name */
	assert_int_equal(ub_gpio_line_names(40, names, buf, sizeof(buf)), 1);
	assert_string_equal(names[0], "GPIO40");
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
	assert_non_null(strstr(ub_errmsg(err), "no line named GPIO60 on any "
					       "gpiochip"));
	assert_non_null(strstr(ub_errmsg(err), "pinctrl-bcm2711"));
}

/* Only the lines whose level changes are written; one call per request. */
static void test_set_skips_unchanged(void **state)
{
	struct ub_gpio *g;
	long long base, wires;

	(void)state;
	/* a session that writes nothing: what opening and closing cost */
	ub_gpio_close(open_swd());
	base = report("gpio_writes");
	assert_true(base > 0);

	g = open_swd();
	assert_int_equal(g->writes, 0);
	/* already there: SWCLK low, SWDIO high, NRST released */
	for (int i = 0; i < 10; i++) {
		assert_int_equal(ub_gpio_set(g, CLK | DIO, DIO), 0);
		assert_int_equal(ub_gpio_set(g, NRST, NRST), 0);
	}
	assert_int_equal(g->writes, 0);
	ub_gpio_close(g);
	assert_int_equal(report("gpio_writes"), base);

	g = open_swd();
	assert_int_equal(ub_gpio_set(g, CLK | DIO, CLK | DIO), 0); /* SWCLK */
	assert_int_equal(g->writes, 1);
	assert_int_equal(ub_gpio_set(g, CLK | DIO, CLK), 0); /* SWDIO */
	assert_int_equal(g->writes, 2);
	assert_int_equal(ub_gpio_set(g, CLK | DIO, DIO), 0); /* both */
	assert_int_equal(g->writes, 4);
	assert_int_equal(g->levels, DIO | NRST);
	ub_gpio_close(g);
	wires = report("gpio_writes");
	assert_int_equal(wires, base + 4);
}

/* Clock pulses reach the board's SWCLK, one cycle each. */
static void test_clock_reaches_board(void **state)
{
	struct ub_gpio *g = open_swd();

	(void)state;
	for (int i = 0; i < 8; i++) {
		assert_int_equal(ub_gpio_set(g, CLK, CLK), 0);
		assert_int_equal(ub_gpio_set(g, CLK, 0), 0);
	}
	ub_gpio_close(g);
	assert_int_equal(report("swclk_cycles"), 8);
}

/* Lines of one configuration share a request: one write for all of them. */
static void test_one_request(void **state)
{
	int err = 0;
	struct ub_gpio *g = open_spi(&err);
	unsigned v = 0;

	(void)state;
	assert_non_null(g);
	assert_int_equal(g->outputs, SCS | SCK | MOSI);
	assert_int_equal(ub_gpio_set(g, SCS | SCK | MOSI, MOSI), 0);
	assert_int_equal(g->writes, 1);
	assert_int_equal(ub_gpio_set(g, SCK | MOSI, SCK), 0);
	assert_int_equal(g->writes, 2);
	assert_int_equal(ub_gpio_get(g, SCS | SCK | MOSI | MISO, &v), 0);
	assert_int_equal(v, SCK | MISO); /* MISO: its pull-up */
	/* a line that shares its request cannot turn alone */
	assert_int_equal(ub_gpio_dir(g, SCK, 0), UB_EINVAL);
	assert_non_null(strstr(ub_errmsg(UB_EINVAL), "GPIO21 cannot turn"));
	assert_int_equal(g->outputs, SCS | SCK | MOSI);
	assert_true(line_info(21).output);
	/* the whole request can */
	assert_int_equal(ub_gpio_dir(g, SCS | SCK | MOSI, 0), 0);
	assert_false(line_info(21).output);
	assert_false(line_info(8).output);
	assert_true(line_info(8).used);
	ub_gpio_close(g);
}

/* Busy: a second session, and another program, are named. */
static void test_busy(void **state)
{
	struct ub_gpio *g = open_swd(), *g2;
	struct gpiod_chip *chip;
	int err = 0;

	(void)state;
	g2 = ub_gpio_open_board(board, UB_IFACE_SWD, &err);
	assert_null(g2);
	assert_int_equal(err, UB_EBUSY);
	assert_non_null(
		strstr(ub_errmsg(err), "GPIO11 is in use by 'unbrick'"));
	ub_gpio_close(g);

	chip = gpiod_chip_open("/dev/gpiochip0");
	assert_non_null(chip);
	assert_int_equal(
		gpiod_line_request_output(gpiod_chip_get_line(chip, BCM_SWDIO),
					  "openocd", 0),
		0);
	g2 = ub_gpio_open_board(board, UB_IFACE_SWD, &err);
	assert_null(g2);
	assert_int_equal(err, UB_EBUSY);
	assert_non_null(
		strstr(ub_errmsg(err), "GPIO25 is in use by 'openocd': stop"));
	/* nothing of ours is left behind by the failed open */
	assert_false(line_info(BCM_SWCLK).used);
	assert_false(line_info(BCM_NRST).used);
	gpiod_chip_close(chip);
	g2 = open_swd();
	ub_gpio_close(g2);
}

/* SWDIO turns in place: still ours, never released in between. */
static void test_dir_in_place(void **state)
{
	struct ub_gpio *g = open_swd();
	struct info in;
	unsigned v = 0;

	(void)state;
	assert_int_equal(ub_gpio_dir(g, DIO, 0), 0);
	assert_int_equal(g->outputs, CLK | NRST);
	in = line_info(BCM_SWDIO);
	assert_true(in.used);
	assert_false(in.output);
	assert_string_equal(in.consumer, "unbrick");
	assert_true(line_info(BCM_SWCLK).output); /* the others stay */
	assert_int_equal(ub_gpio_get(g, DIO, &v), 0);
	assert_int_equal(v, DIO); /* PA13's pull-up */
	/* a level for an input waits until it turns */
	assert_int_equal(ub_gpio_set(g, DIO, 0), 0);
	assert_int_equal(g->writes, 0);
	assert_int_equal(ub_gpio_dir(g, DIO, DIO), 0);
	assert_true(line_info(BCM_SWDIO).output);
	assert_int_equal(ub_gpio_get(g, DIO, &v), 0);
	assert_int_equal(v, 0);
	ub_gpio_close(g);
}

/* Closing releases every line, as inputs: a new session gets them. */
static void test_close_releases(void **state)
{
	struct ub_gpio *g = open_swd();
	struct info in;

	(void)state;
	assert_int_equal(ub_gpio_set(g, NRST, 0), 0);
	ub_gpio_close(g);
	for (unsigned i = 0; i < 3; i++) {
		in = line_info((unsigned[]){BCM_SWCLK, BCM_SWDIO, BCM_NRST}[i]);
		assert_false(in.used);
		assert_false(in.output);
	}
	g = open_swd();
	ub_gpio_close(g);
}

/* NRST: open drain, pulled low holds the chip, released lets it go. */
static void test_nrst_open_drain(void **state)
{
	struct ub_gpio *g = open_swd();
	unsigned v = 0;

	(void)state;
	assert_true(line_info(BCM_NRST).open_drain);
	assert_int_equal(ub_gpio_set(g, NRST, 0), 0);
	assert_int_equal(ub_gpio_get(g, NRST, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(ub_gpio_set(g, NRST, NRST), 0);
	assert_int_equal(ub_gpio_get(g, NRST, &v), 0);
	assert_int_equal(v, NRST); /* the board's pull-up */
	ub_gpio_close(g);
	assert_int_equal(report("resets"), 1);
}

/* ub_gpio_close_all: every session still open, once. */
static void test_close_all(void **state)
{
	int err = 0;
	struct ub_gpio *a = open_swd(), *b = open_spi(&err);

	(void)state;
	assert_non_null(b);
	assert_true(line_info(BCM_SWDIO).used);
	assert_true(line_info(21).used);
	ub_gpio_close_all();
	assert_false(line_info(BCM_SWDIO).used);
	assert_false(line_info(21).used);
	ub_gpio_close_all(); /* nothing left: nothing done */
	a = open_swd();
	ub_gpio_close(a);
}

/* Profile roles and their lines; a profile without the SWD lines. */
static void test_board_lines(void **state)
{
	static const char text[] = "[board]\n"
				   "family = stm32f1\n"
				   "interface = uart\n"
				   "[interface uart]\n"
				   "[pin nrst]\n"
				   "pi = GPIO24\n"
				   "[pin txd]\n"
				   "pi = TXD\n"
				   "[pin rxd]\n"
				   "pi = RXD\n"
				   "[pin gnd]\n"
				   "pi = GND\n"
				   "[pin mode]\n"
				   "pi = GPIO5\n"
				   "drive = open-drain\n"
				   "[pin k1]\n"
				   "pi = GPIO6\n";
	struct ub_board *b;
	struct ub_gpio *g;
	int err = 0;

	(void)state;
	assert_int_equal(ub_gpio_line_of(board, "swclk"), UB_LINE_SWCLK);
	assert_int_equal(ub_gpio_line_of(board, "nrst"), UB_LINE_NRST);
	assert_int_equal(ub_gpio_line_of(board, "gnd"), -1);
	assert_int_equal(ub_gpio_line_of(board, "boot0"), -1);
	b = ub_board_parse(text, "test.conf", &err);
	if (!b)
		fail_msg("parse: %s", ub_errmsg(err));
	assert_int_equal(ub_gpio_line_of(b, "mode"), UB_LINE_BOARD0);
	assert_int_equal(ub_gpio_line_of(b, "k1"), UB_LINE_BOARD0 + 1);
	assert_null(ub_gpio_open_board(b, UB_IFACE_SWD, &err));
	assert_int_equal(err, UB_ECONFIG);
	assert_non_null(strstr(ub_errmsg(err), "wires no swclk line for swd"));

	/* a button: open drain released; a push-pull one left an input */
	g = ub_gpio_open_board(b, UB_IFACE_UART, &err);
	if (!g)
		fail_msg("open: %s", ub_errmsg(err));
	assert_int_equal(g->have, NRST | MODE | K1);
	assert_int_equal(g->outputs, NRST | MODE);
	assert_true(line_info(5).open_drain);
	assert_true(line_info(6).used);
	assert_false(line_info(6).output);
	assert_int_equal(ub_gpio_set(g, K1, 0), 0);
	assert_int_equal(ub_gpio_dir(g, K1, K1), 0); /* alone: it turns */
	assert_true(line_info(6).output);
	ub_gpio_close(g);
	ub_board_free(b);
}

/* A profile pin that is no Pi GPIO (3V3 here) is left out. */
static void test_board_not_gpio(void **state)
{
	struct ub_board *b = malloc(sizeof(*b));
	struct ub_gpio *g;
	int err = 0;

	(void)state;
	assert_non_null(b);
	memcpy(b, board, sizeof(*b));
	((struct ub_board_pin *)ub_board_pin(b, "nrst"))->pi = 1;
	g = ub_gpio_open_board(b, UB_IFACE_SWD, &err);
	if (!g)
		fail_msg("open: %s", ub_errmsg(err));
	assert_int_equal(g->have, CLK | DIO);
	assert_false(line_info(BCM_NRST).used);
	ub_gpio_close(g);
	free(b);
}

/* --- main: with the system's libgpiod, then again on the stand-in --- */

static void test_no_chip(void **state)
{
	struct ub_gpio *g;
	glob_t gl;
	int err = 0;

	(void)state;
	if (!glob("/dev/gpiochip*", 0, NULL, &gl)) {
		globfree(&gl);
		skip(); /* a machine with GPIO chips */
	}
	g = ub_gpio_open_gpiod(
		(const struct ub_gpio_req[]){
			{UB_LINE_NRST, 24, true, 1, true, false, false}},
		1, "unbrick", &err);
	assert_null(g);
	assert_int_equal(err, UB_ENOENT);
	assert_string_equal(ub_errmsg(err), "no GPIO chip found: is this a "
					    "Raspberry Pi? /dev/gpiochip* is "
					    "missing");
}

/* Run this program under with-vboard; its exit status, or -1. */
static int run_on_vboard(const char *self)
{
	const char *src = getenv("UNBRICK_SRCDIR");
	char dir[] = "/tmp/ub-test-gpio-XXXXXX";
	char tool[4096], state[64], rep[64], cmd[128];
	int status = -1;
	pid_t pid;

	snprintf(tool, sizeof(tool), "%s/tests/vboard/with-vboard",
		 src ? src : ".");
	if (!mkdtemp(dir))
		return -1;
	snprintf(state, sizeof(state), "%s/state", dir);
	snprintf(rep, sizeof(rep), "%s/report.json", dir);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execl(tool, tool, "--board", "spark-core", "--state", state,
		      "--report", rep, "--", self, (char *)NULL);
		fprintf(stderr, "test_gpio: cannot run %s: %s\n", tool,
			strerror(errno));
		_exit(127);
	}
	if (pid > 0 && waitpid(pid, &status, 0) == pid)
		status = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "test_gpio: cannot remove %s\n", dir);
	return status;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest system_lib[] = {
		cmocka_unit_test(test_no_chip),
		cmocka_unit_test(test_line_names),
	};
	const struct CMUnitTest vboard[] = {
		cmocka_unit_test(test_open_board),
		cmocka_unit_test(test_open_pi5),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_set_skips_unchanged),
		cmocka_unit_test(test_clock_reaches_board),
		cmocka_unit_test(test_one_request),
		cmocka_unit_test(test_busy),
		cmocka_unit_test(test_dir_in_place),
		cmocka_unit_test(test_close_releases),
		cmocka_unit_test(test_nrst_open_drain),
		cmocka_unit_test(test_close_all),
		cmocka_unit_test(test_board_lines),
		cmocka_unit_test(test_board_not_gpio),
	};
	char self[4096];
	ssize_t n;
	int failed, status;

	(void)argc;
	if (getenv("UB_VBOARD_BOARD"))
		return cmocka_run_group_tests_name("gpio on the virtual board",
						   vboard, vb_setup,
						   vb_teardown);
	(void)argv;
	failed = cmocka_run_group_tests_name("gpio, system libgpiod",
					     system_lib, NULL, NULL);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return 1;
	self[n] = 0;
	status = run_on_vboard(self);
	if (status < 0)
		return 1;
	return failed || status;
}
