// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unbrick over the UART bootloader when things are not right: nothing
 * answers, the wrong port, a busy port, every UART fault of the virtual
 * board (lost, flipped and garbage bytes, a slow bootloader); and the
 * other ways in: a USB-serial adapter's RTS and DTR, and BOOT0 by hand.
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

#define DSO   "dso-quad"
#define FLASH (256 * 1024)
#define CB    (128 * 1024)

static int setup(void **state)
{
	(void)state;
	return uu_setup("test-vb-uart-faults");
}

static int teardown(void **state)
{
	(void)state;
	uu_teardown();
	return 0;
}

/* A profile file in dir: its path in out. */
static void profile(char *out, size_t n, const char *dir, const char *text)
{
	uu_path(out, n, dir, "board.conf");
	uu_write(out, text, strlen(text));
}

static void nothing_answers(void **state)
{
	struct cli_result r;
	char dir[4200];

	(void)state;
	uu_dir(dir, sizeof(dir), "mute");
	uu_unbrick(&r, dir, DSO, "boot_mute=1", "probe", NULL);
	uu_status(&r, 1);
	uu_has(r.err, "nothing answers 0x7F on /dev/pts/");
	uu_has(r.err, "at 115200 baud");
	uu_has(r.err, "1. BOOT0 not high at reset (Pi GPIO23 to CN7 pin 2)");
	uu_has(r.err, "2. TX/RX not crossed (Pi TXD pin 8 to CN7 pin 4 RX, "
		      "RXD pin 10 to CN7 pin 5 TX)");
	uu_has(r.err, "3. the Pi's mini-UART");
	uu_has(r.err, "4. the wrong port (-p)");
	uu_has(r.err, "5. the board unpowered");
	cli_result_free(&r);
}

static void wrong_ports(void **state)
{
	struct cli_result r;
	char dir[4200], file[4400], link[4400];

	(void)state;
	uu_dir(dir, sizeof(dir), "ports");
	uu_unbrick(&r, dir, DSO, NULL, "-p", "/dev/ttyNOPE9", "probe", NULL);
	uu_status(&r, 1);
	uu_has(r.err, "serial port /dev/ttyNOPE9 does not exist");
	cli_result_free(&r);
	uu_path(file, sizeof(file), dir, "plain");
	uu_write(file, "x", 1);
	uu_unbrick(&r, dir, DSO, NULL, "-p", file, "probe", NULL);
	uu_status(&r, 1);
	uu_has(r.err, "is not a serial port");
	cli_result_free(&r);
	uu_path(link, sizeof(link), dir, "serial0");
	assert_int_equal(symlink("/dev/ttyAMA9", link), 0);
	uu_unbrick(&r, dir, DSO, NULL, "-p", link, "probe", NULL);
	uu_status(&r, 1);
	uu_has(r.err, "leads to /dev/ttyAMA9, which does not exist");
	uu_has(r.err, "enable_uart=1");
	cli_result_free(&r);
}

static void bad_commands(void **state)
{
	struct cli_result r;
	char dir[4200];

	(void)state;
	uu_dir(dir, sizeof(dir), "bad");
	uu_unbrick(&r, dir, DSO, NULL, "reset", "later", NULL);
	uu_status(&r, 2);
	uu_has(r.err, "reset takes 'run' (the default), 'halt', "
		      "'bootloader' or a sequence of board dso-quad's "
		      "profile; it has no [sequence later]");
	cli_result_free(&r);
	uu_dir(dir, sizeof(dir), "bad-core");
	uu_unbrick(&r, dir, "spark-core", NULL, "probe", NULL);
	uu_status(&r, 1);
	uu_has(r.err, "spark-core cannot be reached over uart: ");
	cli_result_free(&r);
	uu_dir(dir, sizeof(dir), "bad");
	uu_unbrick(&r, dir, DSO, NULL, "-s", "1M", "probe", NULL);
	uu_status(&r, 2);
	uu_has(r.err, "-s 1000000: the ROM bootloader takes 1200 to 115200 "
		      "baud");
	cli_result_free(&r);
}

/* Another program holding the port, or a lock on it: "port busy". */
static void port_busy(void **state)
{
	struct cli_result r;
	char dir[4200];

	(void)state;
	uu_dir(dir, sizeof(dir), "busy");
	uu_shell(&r, dir, DSO, NULL,
		 "sleep 5 <\"$TTY\" & p=$!; sleep 0.3; "
		 "\"$UNBRICK\" -B " DSO " -p \"$TTY\" probe; s=$?; kill $p; "
		 "exit $s");
	uu_status(&r, 1);
	uu_has(r.err, "port busy: /dev/pts/");
	uu_has(r.err, "in use by sleep (pid");
	cli_result_free(&r);
	uu_shell(&r, dir, DSO, NULL,
		 "exec 3<\"$TTY\"; flock 3; "
		 "\"$UNBRICK\" -B " DSO " -p \"$TTY\" probe");
	uu_status(&r, 1);
	uu_has(r.err, "port busy");
	uu_has(r.err, "another unbrick");
	cli_result_free(&r);
}

/*
 * The board's UART faults, each alone: every Nth byte lost or with a bit
 * flipped, noise before every answer, a slow bootloader. The write ends
 * verified, the flash holds the image; when the faults are too many, a
 * clear error and never a silent partial write.
 */
static void faults_are_retried(void **state)
{
	static const char *const faults[] = {
		"uart_drop_every=2000",
		"uart_flip_every=1500",
		"uart_garbage=3",
		"boot_delay_us=20000",
	};
	static uint8_t img[6000];
	struct cli_result r;
	char dir[4200], name[64], file[4400];

	(void)state;
	uu_pattern(img, sizeof(img), 41);
	for (size_t i = 0; i < sizeof(faults) / sizeof(*faults); i++) {
		uint8_t *f;

		snprintf(name, sizeof(name), "fault%zu", i);
		uu_dir(dir, sizeof(dir), name);
		uu_path(file, sizeof(file), dir, "img.bin");
		uu_write(file, img, sizeof(img));
		uu_unbrick(&r, dir, DSO, faults[i], "-v", "--no-backup",
			   "write", file, NULL);
		if (r.status)
			fail_msg("%s: status %d\n%s", faults[i], r.status,
				 r.err);
		uu_has(r.err, "verified");
		cli_result_free(&r);
		f = uu_flash(dir, FLASH);
		assert_memory_equal(f, img, sizeof(img));
		free(f);
	}
	assert_true(uu_report(dir, "uart.bytes_out") > 0);
}

static void too_many_faults(void **state)
{
	static uint8_t img[6000];
	struct cli_result r;
	char dir[4200], file[4400];

	(void)state;
	uu_dir(dir, sizeof(dir), "storm");
	uu_pattern(img, sizeof(img), 42);
	uu_path(file, sizeof(file), dir, "img.bin");
	uu_write(file, img, sizeof(img));
	uu_unbrick(&r, dir, DSO, "uart_drop_every=40", "--no-backup", "write",
		   file, NULL);
	uu_status(&r, 1);
	uu_has(r.err, "failed");
	uu_has(r.err, "times (");
	uu_has(r.err, "noise on the TX/RX wires");
	uu_lacks(r.err, "verified");
	cli_result_free(&r);
}

/* A USB-serial adapter: BOOT0 on RTS through an inverter, NRST on DTR. */
static void rts_dtr_entry(void **state)
{
	static uint8_t img[3000];
	struct cli_result r;
	char dir[4200], conf[4400], file[4400], arg[4500];
	uint8_t *f;

	(void)state;
	uu_dir(dir, sizeof(dir), "rtsdtr");
	profile(conf, sizeof(conf), dir,
		"[board]\nbase = stm32f1\ninterface = uart\n"
		"[pin boot0]\npi = !rts\npad = BOOT0\nfor = uart\n"
		"[pin nrst]\npi = dtr\npad = NRST\n");
	uu_pattern(img, sizeof(img), 43);
	uu_path(file, sizeof(file), dir, "img.bin");
	uu_write(file, img, sizeof(img));
	snprintf(arg, sizeof(arg), "%s@0x08001000", file);
	uu_unbrick(&r, dir, conf, "rts=!boot0,dtr=nrst", "-v", "--no-backup",
		   "write", arg, NULL);
	uu_status(&r, 0);
	uu_has(r.err, "entering the bootloader");
	uu_has(r.err, "leaving the bootloader");
	cli_result_free(&r);
	f = uu_flash(dir, CB);
	assert_memory_equal(f + 0x1000, img, sizeof(img));
	free(f);
	assert_true(uu_report(dir, "resets") >= 2);
	/* the same wiring the other way round does not reach the ROM */
	uu_unbrick(&r, dir, conf, "rts=boot0,dtr=nrst", "probe", NULL);
	uu_status(&r, 1);
	uu_has(r.err, "BOOT0 not high at reset (the adapter's inverted RTS "
		      "to BOOT0)");
	cli_result_free(&r);
	uu_unbrick(&r, dir, conf, NULL, "-I", "uart", "wiring", NULL);
	uu_status(&r, 0);
	uu_has(r.out, "adapter inverted RTS --> BOOT0");
	uu_has(r.out, "adapter DTR");
	cli_result_free(&r);
}

/* Only TX, RX and GND wired: BOOT0 and the reset are the person's job. */
static void boot0_by_hand(void **state)
{
	struct cli_result r;
	char dir[4200], conf[4400];

	(void)state;
	uu_dir(dir, sizeof(dir), "byhand");
	profile(conf, sizeof(conf), dir,
		"[board]\ndescription = TX RX GND only\nfamily = stm32f1\n"
		"interface = uart\n[interface uart]\nbaud = 115200\n"
		"[pin txd]\npi = GPIO14\n[pin rxd]\npi = GPIO15\n"
		"[pin gnd]\npi = pin6\n");
	uu_unbrick(&r, dir, conf, "boot0=1", "-y", "probe", NULL);
	uu_status(&r, 0);
	uu_has(r.err, "Set BOOT0 high (1: the jumper or switch) and reset "
		      "the board");
	uu_has(r.err, "(-y: going on)");
	uu_has(r.out, "DEV_ID 0x410");
	/* no BOOT0 to lower: the firmware is started with Go */
	uu_has(r.err, "started with Go");
	uu_has(r.err, "set it low (0) by hand");
	cli_result_free(&r);
	/* without -y it waits for Enter (here: end of input) */
	uu_unbrick(&r, dir, conf, "boot0=1", "probe", NULL);
	uu_status(&r, 0);
	uu_has(r.err, "Press Enter when done");
	cli_result_free(&r);
	/* BOOT0 left low: nothing answers, and BOOT0 is named first */
	uu_unbrick(&r, dir, conf, "boot0=0", "-y", "probe", NULL);
	uu_status(&r, 1);
	uu_has(r.err, "1. BOOT0 not high at reset (set by hand)");
	cli_result_free(&r);
	/* reset bootloader cannot reset it: it says so */
	uu_unbrick(&r, dir, conf, "boot0=1", "-y", "reset", "bootloader", NULL);
	uu_status(&r, 0);
	uu_has(r.err, "stays synced at 115200 baud");
	cli_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nothing_answers),
		cmocka_unit_test(wrong_ports),
		cmocka_unit_test(bad_commands),
		cmocka_unit_test(port_busy),
		cmocka_unit_test(faults_are_retried),
		cmocka_unit_test(too_many_faults),
		cmocka_unit_test(rts_dtr_entry),
		cmocka_unit_test(boot0_by_hand),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
