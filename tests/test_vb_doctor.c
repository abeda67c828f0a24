// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unbrick doctor -B BOARD on the virtual board: each finding is produced by
 * the board fault that causes it, and by nothing else (one problem per
 * fault), with the Pi pin and the board pad of the profile; a sound board
 * gives a clean verdict and exit status 0. Over SWD (spark-core, in the
 * stand-in libgpiod) and over the UART bootloader (dso-quad, in the board
 * server).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "uart_util.h"

#define CORE	  "spark-core"
#define DSO	  "dso-quad"
#define DSO_FLASH (256 * 1024)
#define ALL_WELL  "Verdict: all is well"

static char with_vboard[4200], unbrick[4200];

static int setup(void **state)
{
	const char *src = getenv("UNBRICK_SRCDIR"), *bin = getenv("UNBRICK");

	(void)state;
	if (!src || !bin)
		return -1;
	snprintf(with_vboard, sizeof(with_vboard),
		 "%s/tests/vboard/with-vboard", src);
	snprintf(unbrick, sizeof(unbrick), "%s", bin);
	return uu_setup("test-vb-doctor");
}

static int teardown(void **state)
{
	(void)state;
	uu_teardown();
	return 0;
}

/*
 * unbrick -B CORE ARGS... on the board in dir over SWD (the stand-in
 * libgpiod in the process, no board server), settings "k=v,k=v" or NULL.
 */
static void swd(struct cli_result *r, const char *dir, const char *settings,
		...)
{
	const char *argv[64];
	char sets[8][128], report[4400];
	unsigned n = 0, ns = 0;
	va_list ap;

	argv[n++] = with_vboard;
	argv[n++] = "--board";
	argv[n++] = CORE;
	argv[n++] = "--state";
	argv[n++] = dir;
	uu_path(report, sizeof(report), dir, "report.json");
	argv[n++] = "--report";
	argv[n++] = report;
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
	argv[n++] = CORE;
	va_start(ap, settings);
	for (const char *a = va_arg(ap, const char *); a && n < 62;
	     a = va_arg(ap, const char *))
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	assert_int_equal(cli_run(r, NULL, argv, UU_TIMEOUT_S), 0);
	if (strstr(r->err, "Sanitizer") || strstr(r->err, "runtime error"))
		fail_msg("sanitizer report:\n%s", r->err);
}

/* Exactly one finding, containing each of the parts; exit status 1. */
static void one_problem(const struct cli_result *r, const char *const *part)
{
	uu_status(r, 1);
	if (cli_count(r->out, "  PROBLEM ") != 1)
		fail_msg("want one finding:\n%s", r->out);
	for (; *part; part++)
		uu_has(r->out, *part);
	uu_has(r->out, "Verdict: 1 problem. Fix the first one");
	uu_has(r->err, "doctor found 1 problem with board");
	uu_lacks(r->out, ALL_WELL);
}

/* A fault on a fresh board over SWD: its one finding. */
static void swd_fault(const char *name, const char *settings,
		      const char *const *part)
{
	struct cli_result r;
	char dir[4200];

	uu_dir(dir, sizeof(dir), name);
	swd(&r, dir, settings, "doctor", NULL);
	one_problem(&r, part);
	cli_result_free(&r);
}

/* --- over SWD --- */

static void swd_all_well(void **state)
{
	struct cli_result r;
	char dir[4200];

	(void)state;
	uu_dir(dir, sizeof(dir), "swd-well");
	swd(&r, dir, NULL, "doctor", NULL);
	uu_status(&r, 0);
	uu_has(r.out, "Board spark-core over swd");
	uu_has(r.out, "SWCLK, SWDIO, NRST follow what the Pi drives");
	uu_has(r.out, "the debug port answers (DPIDR 0x1BA01477), under reset");
	uu_has(r.out, "the chip: STM32F10xxx medium-density (DEV_ID 0x410)");
	uu_has(r.out, "NRST resets the chip");
	uu_has(r.out, "the companion flash answers: SST25VF016B (JEDEC ID "
		      "BF2541), 2048 KB");
	uu_has(r.out, ALL_WELL);
	uu_lacks(r.out, "PROBLEM");
	/* the checks drove the lines, and reset the chip */
	assert_true(uu_report(dir, "gpio_writes") > 0);
	assert_true(uu_report(dir, "resets") > 0);
	cli_result_free(&r);
}

/* Without a board, doctor describes the machine and touches no line. */
static void no_board_touches_nothing(void **state)
{
	struct cli_result r;
	char dir[4200];
	const char *argv[] = {with_vboard, "--board",  CORE, "--state",
			      dir,	   "--report", NULL, "--",
			      unbrick,	   "doctor",   NULL};
	char report[4400];

	(void)state;
	uu_dir(dir, sizeof(dir), "machine");
	uu_path(report, sizeof(report), dir, "report.json");
	argv[6] = report;
	assert_int_equal(cli_run(&r, NULL, argv, UU_TIMEOUT_S), 0);
	uu_status(&r, 0);
	uu_has(r.out, "GPIO chips");
	uu_has(r.out, "pinctrl-bcm2711");
	uu_lacks(r.out, "Board ");
	uu_lacks(r.out, "Verdict");
	assert_int_equal(uu_report(dir, "gpio_writes"), 0);
	assert_int_equal(uu_report(dir, "gpio_reads"), 0);
	cli_result_free(&r);
	swd(&r, dir, NULL, "doctor", "now", NULL);
	uu_status(&r, 2);
	uu_has(r.err, "doctor takes no arguments");
	cli_result_free(&r);
}

static void swd_swapped(void **state)
{
	static const char *const part[] = {"SWDIO and SWCLK are swapped",
					   "SWDIO is Pi pin 22 (GPIO25) to D7",
					   "SWCLK is Pi pin 23 (GPIO11) to D6",
					   NULL};

	(void)state;
	swd_fault("swapped", "swapped=1", part);
}

static void swd_unpowered(void **state)
{
	static const char *const part[] = {
		"the target seems unpowered: nothing answers on SWD, and SWDIO "
		"and NRST read low",
		"power the board and share its ground with the Pi's (GND: Pi "
		"pin 20 (GND) to GND)",
		NULL};

	(void)state;
	swd_fault("unpowered", "unpowered=1", part);
}

static void swd_nrst_no_effect(void **state)
{
	static const char *const part[] = {
		"NRST has no effect: pulling it low does not reset the chip",
		"it reads low when let go",
		"put the NRST wire (Pi pin 18 (GPIO24) to RST) on the board's "
		"reset pin",
		NULL};

	(void)state;
	swd_fault("nrst-nc", "nrst_nc=1", part);
}

static void swd_lines_that_do_not_move(void **state)
{
	static const char *const nrst[] = {
		"NRST stays high when the Pi pulls it low (Pi pin 18 (GPIO24) "
		"to RST): it is shorted to 3V3, or another output drives it "
		"high",
		"--pin nrst=GPIOn", "skipped the link", NULL};
	static const char *const clk[] = {
		"SWCLK stays low whatever the Pi drives (Pi pin 23 (GPIO11) to "
		"D6): it is shorted to GND",
		"SWDIO, NRST follow what the Pi drives", NULL};
	static const char *const dio[] = {
		"SWDIO stays high whatever the Pi drives (Pi pin 22 (GPIO25) "
		"to D7): it is shorted to 3V3",
		NULL};

	(void)state;
	swd_fault("stuck-nrst", "stuck=nrst:1", nrst);
	swd_fault("stuck-clk", "stuck=swclk:0", clk);
	swd_fault("stuck-dio", "stuck=swdio:1", dio);
}

static void swd_line_held(void **state)
{
	static const char *const part[] = {
		"GPIO24 is in use by 'openocd': stop it, or move the line with "
		"--pin",
		"skipped the lines, the link, the chip", NULL};

	(void)state;
	swd_fault("held", "held=GPIO24:openocd", part);
}

/* The last layer: the MCU answers, its companion flash does not. */
static void swd_no_flash(void **state)
{
	static const char *const part[] = {
		"NRST resets the chip", "the companion flash does not answer: ",
		"JEDEC ID reads FF FF FF",
		"the profile puts the chip on the MCU's SPI2: SCK PB13, MISO "
		"PB14, MOSI PB15, CS# PB9; PB12 held high",
		NULL};

	(void)state;
	swd_fault("no-flash", "spi_chip=none", part);
}

/* --- over the UART bootloader --- */

/* doctor over -I uart on the DSO Quad, port = the board server's pty. */
static void uart(struct cli_result *r, const char *dir, const char *settings)
{
	uu_unbrick(r, dir, DSO, settings, "doctor", NULL);
}

static void uart_fault(const char *name, const char *settings,
		       const char *const *part)
{
	struct cli_result r;
	char dir[4200];

	uu_dir(dir, sizeof(dir), name);
	uart(&r, dir, settings);
	one_problem(&r, part);
	cli_result_free(&r);
}

/*
 * A firmware that says "hello\r\n" on USART1 (PA9, 115200 8E1 from the
 * 8 MHz HSI) at every start, then sleeps:
 *	.word 0x20001000, reset + 1
 * reset:	ldr r0, =0x40021018	@ RCC_APB2ENR
 *	ldr r1, =0x4004		@ USART1EN | IOPAEN
 *	str r1, [r0]
 *	ldr r0, =0x40010804	@ GPIOA_CRH
 *	ldr r1, =0x444444B4	@ PA9 alternate push-pull
 *	str r1, [r0]
 *	ldr r0, =0x40013800	@ USART1
 *	movs r1, #69		@ BRR
 *	str r1, [r0, #8]
 *	ldr r1, =0x340C		@ CR1: UE M PCE TE RE
 *	str r1, [r0, #12]
 *	adr r2, msg
 * next:	ldrb r1, [r2], #1
 *	cbz r1, done
 * wait:	ldr r3, [r0]
 *	lsls r3, r3, #24	@ TXE
 *	bpl wait
 *	str r1, [r0, #4]
 *	b next
 * done:	wfi
 *	b done
 * msg:	.asciz "hello\r\n"
 */
static const uint8_t hello_fw[] = {
	0x00, 0x10, 0x00, 0x20, 0x09, 0x00, 0x00, 0x08, 0x0d, 0x48, 0x44, 0xf2,
	0x04, 0x01, 0x01, 0x60, 0x0c, 0x48, 0x0d, 0x49, 0x01, 0x60, 0x0d, 0x48,
	0x45, 0x21, 0x81, 0x60, 0x43, 0xf2, 0x0c, 0x41, 0xc1, 0x60, 0x05, 0xa2,
	0x12, 0xf8, 0x01, 0x1b, 0x21, 0xb1, 0x03, 0x68, 0x1b, 0x06, 0xfc, 0xd5,
	0x41, 0x60, 0xf7, 0xe7, 0x30, 0xbf, 0xfd, 0xe7, 0x68, 0x65, 0x6c, 0x6c,
	0x6f, 0x0d, 0x0a, 0x00, 0x18, 0x10, 0x02, 0x40, 0x04, 0x08, 0x01, 0x40,
	0xb4, 0x44, 0x44, 0x44, 0x00, 0x38, 0x01, 0x40};

static void seed_hello(const char *dir)
{
	static uint8_t flash[DSO_FLASH];

	memset(flash, 0xFF, sizeof(flash));
	memcpy(flash, hello_fw, sizeof(hello_fw));
	uu_seed(dir, flash, sizeof(flash), uu_factory_opt);
}

static void uart_all_well(void **state)
{
	struct cli_result r;
	char dir[4200];

	(void)state;
	uu_dir(dir, sizeof(dir), "uart-well");
	seed_hello(dir); /* a firmware that talks is no problem */
	uart(&r, dir, NULL);
	uu_status(&r, 0);
	uu_has(r.out, "Board dso-quad over uart");
	uu_has(r.out, "BOOT0, NRST follow what the Pi drives");
	uu_has(r.out, "opens, 8E1 at 115200 baud, and nobody else has it");
	uu_has(r.out, "the ROM bootloader answers 0x7F");
	uu_has(r.out, "the chip: STM32F10xxx high-density (DEV_ID 0x414)");
	uu_has(r.out, ALL_WELL);
	uu_lacks(r.out, "PROBLEM");
	cli_result_free(&r);
}

/* BOOT0 does not reach the chip: its firmware runs, and says so. */
static void uart_boot0_no_effect(void **state)
{
	static const char *const part[] = {
		"BOOT0 has no effect: after BOOT0 high and a reset the chip "
		"sent 7 bytes of its own (68 65 6C 6C 6F 0D 0A)",
		"check the BOOT0 wire (Pi pin 16 (GPIO23) to CN7 pin 2)", NULL};
	static const char *const silent[] = {"TX and RX are likely not crossed",
					     "a firmware that says nothing "
					     "looks the same",
					     NULL};
	struct cli_result r;
	char dir[4200];

	(void)state;
	uu_dir(dir, sizeof(dir), "boot0-nc");
	seed_hello(dir);
	uart(&r, dir, "boot0_nc=1");
	one_problem(&r, part);
	cli_result_free(&r);
	/* a blank chip says nothing: no way to tell it from TX/RX, and
	 * doctor says so rather than guess */
	uart_fault("boot0-nc-blank", "boot0_nc=1", silent);
}

static void uart_not_crossed(void **state)
{
	static const char *const part[] = {
		"nothing answers 0x7F on /dev/pts/",
		"TX and RX are likely not crossed",
		"TXD: Pi pin 8 (GPIO14) to CN7 pin 4 RX; RXD: Pi pin 10 "
		"(GPIO15) to CN7 pin 5 TX",
		NULL};
	struct cli_result r;
	char dir[4200];

	(void)state;
	uu_dir(dir, sizeof(dir), "uncrossed");
	seed_hello(dir); /* its words go nowhere either */
	uart(&r, dir, "uart_uncrossed=1");
	one_problem(&r, part);
	cli_result_free(&r);
}

static void uart_mini(void **state)
{
	static const char *const part[] = {
		"is the Raspberry Pi's mini-UART (its driver is "
		"bcm2835-aux-uart): it has no parity",
		"dtoverlay=disable-bt", "skipped the chip", NULL};

	(void)state;
	uart_fault("mini", "uart_mini=1", part);
}

static void uart_unpowered(void **state)
{
	static const char *const part[] = {
		"NRST reads low when let go: the board seems unpowered",
		"(GND: Pi pin 6 (GND) to CN7 pin 6 GND)", NULL};

	(void)state;
	uart_fault("uart-unpowered", "unpowered=1", part);
}

static void uart_boot0_stuck(void **state)
{
	static const char *const part[] = {
		"BOOT0 stays low whatever the Pi drives (Pi pin 16 (GPIO23) to "
		"CN7 pin 2)",
		NULL};

	(void)state;
	uart_fault("boot0-stuck", "stuck=boot0:0", part);
}

/* Another program on the port, or on a line. */
static void uart_held(void **state)
{
	static const char *const line[] = {"GPIO23 is in use by 'stm32flash'",
					   NULL};
	static const char *const port[] = {"port busy: /dev/pts/",
					   "in use by sleep (pid", NULL};
	struct cli_result r;
	char dir[4200];

	(void)state;
	uart_fault("held-line", "held=GPIO23:stm32flash", line);
	uu_dir(dir, sizeof(dir), "held-port");
	uu_shell(&r, dir, DSO, NULL,
		 "sleep 5 <\"$TTY\" & p=$!; sleep 0.3; "
		 "\"$UNBRICK\" -B " DSO " -p \"$TTY\" doctor; s=$?; kill $p; "
		 "exit $s");
	one_problem(&r, port);
	cli_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(swd_all_well),
		cmocka_unit_test(no_board_touches_nothing),
		cmocka_unit_test(swd_swapped),
		cmocka_unit_test(swd_unpowered),
		cmocka_unit_test(swd_nrst_no_effect),
		cmocka_unit_test(swd_lines_that_do_not_move),
		cmocka_unit_test(swd_line_held),
		cmocka_unit_test(swd_no_flash),
		cmocka_unit_test(uart_all_well),
		cmocka_unit_test(uart_boot0_no_effect),
		cmocka_unit_test(uart_not_crossed),
		cmocka_unit_test(uart_mini),
		cmocka_unit_test(uart_unpowered),
		cmocka_unit_test(uart_boot0_stuck),
		cmocka_unit_test(uart_held),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
