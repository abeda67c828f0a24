// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Issue 5's loader proof on the virtual board: a program of our own
 * (tests/vb_jedec_prog/jedec.c, built by make check into
 * build/vb_jedec_prog/jedec.bin) is written to RAM over the ROM
 * bootloader (AN3155 Write Memory at 0x20000200) and started with Go. It
 * wires SPI2 as the Spark Core does (SST25VF016B on PB13-15, CS# PB9, the
 * CC3000's CS# PB12 high), reads the flash's JEDEC ID and prints it on
 * USART1, which this test reads from the board server's pty (8E1 115200,
 * as for the bootloader).
 */
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <cmocka.h>

#include "vb_host_util.h"

#define ACK  0x79
#define NACK 0x1F
#define BASE 0x20000200u

static char server[4200], prog[4200];
static char tmp_dir[] = "/tmp/ub-test-vb-jedec-XXXXXX";

static int setup(void **state)
{
	const char *src = getenv("UNBRICK_SRCDIR");

	(void)state;
	snprintf(server, sizeof(server), "%s/build/vboard/vboard-server",
		 src ? src : ".");
	snprintf(prog, sizeof(prog), "%s/build/vb_jedec_prog/jedec.bin",
		 src ? src : ".");
	if (access(server, X_OK) || access(prog, R_OK)) {
		fprintf(stderr, "need %s and %s (make check)\n", server, prog);
		return -1;
	}
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

static void start(struct host *h, const char *name, const char *settings)
{
	host_start(h, server, tmp_dir, name, settings);
}

static void stop(struct host *h)
{
	host_stop(h);
}

static void cmd(struct host *h, uint8_t c)
{
	uint8_t b[2] = {c, (uint8_t)~c};

	put(h, b, 2);
	assert_int_equal(get1(h), ACK);
}

static void addr(struct host *h, uint32_t a)
{
	uint8_t b[5] = {a >> 24, a >> 16, a >> 8, a};

	b[4] = b[0] ^ b[1] ^ b[2] ^ b[3];
	put(h, b, 5);
	assert_int_equal(get1(h), ACK);
}

static void write_mem(struct host *h, uint32_t a, const uint8_t *d, size_t n)
{
	uint8_t b[300], x = (uint8_t)(n - 1);

	cmd(h, 0x31);
	addr(h, a);
	b[0] = (uint8_t)(n - 1);
	memcpy(b + 1, d, n);
	for (size_t i = 0; i < n; i++)
		x ^= d[i];
	b[n + 1] = x;
	put(h, b, n + 2);
	assert_int_equal(get1(h), ACK);
}

static uint8_t *slurp(const char *path, size_t *n)
{
	static uint8_t buf[64 * 1024];
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	*n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return buf;
}

/* Write the program in blocks of 256, Go, read what it prints. */
static void run(struct host *h, char *out, size_t len)
{
	size_t n, got;
	uint8_t *p = slurp(prog, &n);

	assert_true(n > 8 && n < 4096);
	put(h, (const uint8_t[]){0x7F}, 1);
	assert_int_equal(get1(h), ACK);
	for (size_t off = 0; off < n; off += 256)
		write_mem(h, BASE + (uint32_t)off, p + off,
			  n - off < 256 ? n - off : 256);
	cmd(h, 0x21);
	addr(h, BASE);
	got = get(h, (uint8_t *)out, len - 1, 2000);
	out[got] = 0;
}

/* The SST25VF016B on SPI2, CS# PB9, as on the Spark Core: BF 25 41. */
static void reads_the_jedec_id(void **state)
{
	struct host h;
	char out[64];

	(void)state;
	start(&h, "sst",
	      "boot0=1\nspi_chip=sst25vf016b\nspi_bus=spi2\n"
	      "spi_cs=PB9\nspi_other_cs=PB12");
	run(&h, out, sizeof(out));
	stop(&h);
	assert_string_equal(out, "JEDEC BF2541\r\n");
}

/* The same program on a board with no SPI flash reads MISO's idle level:
 * the ID it prints comes from the chip, not from the program. */
static void no_chip_no_id(void **state)
{
	struct host h;
	char out[64];

	(void)state;
	start(&h, "none", "boot0=1\nspi_chip=none");
	run(&h, out, sizeof(out));
	stop(&h);
	assert_int_equal(strncmp(out, "JEDEC ", 6), 0);
	assert_int_equal(strlen(out), 14);
	assert_string_not_equal(out, "JEDEC BF2541\r\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_the_jedec_id),
		cmocka_unit_test(no_chip_no_id),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
