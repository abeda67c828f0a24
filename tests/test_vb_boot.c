// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ROM bootloader of the virtual board (vb_boot.c) through the board
 * server's pty, as a host sees it: a raw 8E1 terminal at 115200 baud. Each
 * case starts build/vboard/vboard-server on a fresh state directory, talks
 * AN3155 to it, stops it (the state is saved) and looks at the files.
 */
#include <errno.h>
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

static char server[4200];
static char tmp_dir[] = "/tmp/ub-test-vb-boot-XXXXXX";

static int setup(void **state)
{
	(void)state;
	return host_setup(server, sizeof(server), tmp_dir);
}

static int teardown(void **state)
{
	(void)state;
	return host_teardown(tmp_dir);
}

static void start(struct host *h, const char *name, const char *settings)
{
	host_start(h, server, tmp_dir, name, settings);
}

static void stop(struct host *h)
{
	host_stop(h);
}

static uint64_t now_ps(struct host *h)
{
	struct vb_msg m = {.op = VB_OP_NOW};

	assert_int_equal(vb_server_call(h->sock, &m), 0);
	return m.u;
}

static void tell(struct host *h, uint32_t op, int a, int b)
{
	struct vb_msg m = {.op = op, .a = a, .b = b};

	assert_int_equal(vb_server_call(h->sock, &m), 0);
	assert_int_equal(m.a, 0);
}

static void put1(struct host *h, uint8_t c)
{
	put(h, &c, 1);
}

/* Nothing comes back within 300 ms. */
static void silence(struct host *h)
{
	uint8_t c;

	assert_int_equal(get(h, &c, 1, 300), 0);
}

static void sync_ok(struct host *h)
{
	put1(h, 0x7F);
	assert_int_equal(get1(h), ACK);
}

static void cmd(struct host *h, uint8_t c, int expect)
{
	uint8_t b[2] = {c, (uint8_t)~c};

	put(h, b, 2);
	assert_int_equal(get1(h), expect);
}

static void addr(struct host *h, uint32_t a, int expect)
{
	uint8_t b[5] = {a >> 24, a >> 16, a >> 8, a};

	b[4] = b[0] ^ b[1] ^ b[2] ^ b[3];
	put(h, b, 5);
	assert_int_equal(get1(h), expect);
}

static void write_mem(struct host *h, uint32_t a, const uint8_t *d, size_t n,
		      int expect)
{
	uint8_t b[300], x = (uint8_t)(n - 1);

	cmd(h, 0x31, ACK);
	addr(h, a, ACK);
	b[0] = (uint8_t)(n - 1);
	memcpy(b + 1, d, n);
	for (size_t i = 0; i < n; i++)
		x ^= d[i];
	b[n + 1] = x;
	put(h, b, n + 2);
	assert_int_equal(get1(h), expect);
}

static void read_mem(struct host *h, uint32_t a, uint8_t *d, size_t n)
{
	uint8_t b[2] = {(uint8_t)(n - 1), (uint8_t) ~(n - 1)};

	cmd(h, 0x11, ACK);
	addr(h, a, ACK);
	put(h, b, 2);
	assert_int_equal(get1(h), ACK);
	assert_int_equal(get(h, d, n, 2000), n);
}

static uint8_t *state_file(struct host *h, const char *name, size_t *n)
{
	char path[4500];
	FILE *f;
	static uint8_t buf[512 * 1024];

	snprintf(path, sizeof(path), "%s/%s", h->dir, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	*n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return buf;
}

/* Get, Get Version, Get ID; a wrong complement and an unknown command. */
static void identifies(void **state)
{
	static const uint8_t get_ans[] = {ACK,	0x0B, 0x22, 0x00, 0x01,
					  0x02, 0x11, 0x21, 0x31, 0x43,
					  0x63, 0x73, 0x82, 0x92, ACK};
	static const uint8_t ver[] = {ACK, 0x22, 0x00, 0x00, ACK};
	static const uint8_t id[] = {ACK, 0x01, 0x04, 0x10, ACK};
	uint8_t b[32], bad[2] = {0x00, 0x00};
	struct host h;
	uint64_t t0;

	(void)state;
	start(&h, "id", "boot0=1");
	sync_ok(&h);
	put(&h, (const uint8_t[]){0x00, 0xFF}, 2);
	assert_int_equal(get(&h, b, sizeof(get_ans), 2000), sizeof(get_ans));
	assert_memory_equal(b, get_ans, sizeof(get_ans));
	/* 2 bytes in, 5 out: 7 frames of 11 bits at 115200 baud */
	t0 = now_ps(&h);
	put(&h, (const uint8_t[]){0x01, 0xFE}, 2);
	assert_int_equal(get(&h, b, sizeof(ver), 2000), sizeof(ver));
	assert_memory_equal(b, ver, sizeof(ver));
	assert_int_equal((now_ps(&h) - t0) / 1000000,
			 7 * 11 * 1000000 / 115200);
	put(&h, (const uint8_t[]){0x02, 0xFD}, 2);
	assert_int_equal(get(&h, b, sizeof(id), 2000), sizeof(id));
	assert_memory_equal(b, id, sizeof(id));
	put(&h, bad, 2);
	assert_int_equal(get1(&h), NACK);
	cmd(&h, 0x44, NACK); /* Extended Erase: not on the F1's v2.2 */
	stop(&h);
}

/* With BOOT0 low the application runs: nobody answers 0x7F. */
static void boot0_low_is_silent(void **state)
{
	struct host h;
	uint8_t c;

	(void)state;
	start(&h, "silent", "");
	put1(&h, 0x7F);
	assert_int_equal(get(&h, &c, 1, 300), 0);
	stop(&h);
}

/* Write and Read Memory, flash and RAM, with their NACKs. */
static void writes_and_reads(void **state)
{
	uint8_t d[256], r[256], b[8];
	struct host h;
	size_t n;
	uint8_t *flash;

	(void)state;
	for (int i = 0; i < 256; i++)
		d[i] = (uint8_t)(i * 7 + 3);
	start(&h, "rw", "boot0=1");
	sync_ok(&h);
	write_mem(&h, 0x08000400, d, 256, ACK);
	read_mem(&h, 0x08000400, r, 256);
	assert_memory_equal(r, d, 256);
	write_mem(&h, 0x20000200, d, 16, ACK); /* RAM above the ROM's */
	read_mem(&h, 0x20000200, r, 16);
	assert_memory_equal(r, d, 16);
	cmd(&h, 0x31, ACK);
	addr(&h, 0x20000100, NACK); /* the bootloader's own RAM */
	cmd(&h, 0x31, ACK);
	addr(&h, 0x1FFFF000, NACK); /* system memory */
	cmd(&h, 0x11, ACK);
	addr(&h, 0x30000000, NACK);
	cmd(&h, 0x11, ACK);
	put(&h, (const uint8_t[]){0x08, 0, 0, 0, 0x09}, 5); /* bad XOR */
	assert_int_equal(get1(&h), NACK);
	cmd(&h, 0x11, ACK);
	addr(&h, 0x08000000, ACK);
	put(&h, (const uint8_t[]){0x0F, 0x0F}, 2); /* N without ~N */
	assert_int_equal(get1(&h), NACK);
	/* a bad data checksum: nothing written */
	cmd(&h, 0x31, ACK);
	addr(&h, 0x08000800, ACK);
	put(&h, (const uint8_t[]){0x03, 1, 2, 3, 4, 0x55}, 6);
	assert_int_equal(get1(&h), NACK);
	/* the system memory reads: the flash size register */
	read_mem(&h, 0x1FFFF7E0, b, 2);
	assert_int_equal(b[0] | b[1] << 8, 128);
	stop(&h);
	flash = state_file(&h, "flash.bin", &n);
	assert_int_equal(n, 128 * 1024);
	assert_memory_equal(flash + 0x400, d, 256);
	assert_int_equal(flash[0x800], 0xFF);
}

/* Erase: a page list, then the global erase. */
static void erases(void **state)
{
	uint8_t d[4] = {1, 2, 3, 4}, list[4] = {0x01, 0x02, 0x05, 0x06};
	struct host h;
	uint8_t *flash;
	size_t n;

	(void)state;
	start(&h, "erase", "boot0=1");
	sync_ok(&h);
	write_mem(&h, 0x08000000, d, 4, ACK);
	write_mem(&h, 0x08000800, d, 4, ACK);
	write_mem(&h, 0x08001400, d, 4, ACK);
	cmd(&h, 0x43, ACK); /* pages 2 and 5; checksum 1^2^5 */
	put(&h, list, 4);
	assert_int_equal(get1(&h), ACK);
	cmd(&h, 0x43, ACK); /* a page past the end */
	put(&h, (const uint8_t[]){0x00, 0x80, 0x80}, 3);
	assert_int_equal(get1(&h), NACK);
	stop(&h);
	flash = state_file(&h, "flash.bin", &n);
	assert_memory_equal(flash, d, 4);
	assert_int_equal(flash[0x800], 0xFF);
	assert_int_equal(flash[0x1400], 0xFF);

	start(&h, "erase", "boot0=1");
	sync_ok(&h);
	cmd(&h, 0x43, ACK);
	put(&h, (const uint8_t[]){0xFF, 0x00}, 2);
	assert_int_equal(get1(&h), ACK);
	stop(&h);
	flash = state_file(&h, "flash.bin", &n);
	assert_int_equal(flash[0], 0xFF);
}

/* Readout Protect resets the chip; RDP blocks reads, writes, erase and
 * Go; Readout Unprotect mass-erases and resets. */
static void readout_protection(void **state)
{
	uint8_t d[4] = {0xDE, 0xAD, 0xBE, 0xEF}, *opt, *flash;
	struct host h;
	size_t n;

	(void)state;
	start(&h, "rdp", "boot0=1");
	sync_ok(&h);
	write_mem(&h, 0x08000000, d, 4, ACK);
	cmd(&h, 0x82, ACK);
	assert_int_equal(get1(&h), ACK);
	put(&h, (const uint8_t[]){0x00, 0xFF}, 2);
	silence(&h); /* reset: it waits for 0x7F again */
	sync_ok(&h);
	cmd(&h, 0x11, NACK);
	cmd(&h, 0x31, NACK);
	cmd(&h, 0x21, NACK);
	cmd(&h, 0x43, NACK);
	cmd(&h, 0x82, NACK); /* already protected */
	stop(&h);
	opt = state_file(&h, "option.bin", &n);
	assert_int_equal(opt[0], 0x00);

	start(&h, "rdp", "boot0=1");
	sync_ok(&h);
	cmd(&h, 0x92, ACK);
	assert_int_equal(get1(&h), ACK);
	sync_ok(&h);
	read_mem(&h, 0x08000000, d, 4);
	assert_int_equal(d[0], 0xFF);
	stop(&h);
	opt = state_file(&h, "option.bin", &n);
	assert_int_equal(opt[0], 0xA5);
	assert_int_equal(opt[1], 0x5A);
	flash = state_file(&h, "flash.bin", &n);
	assert_int_equal(flash[0], 0xFF);
}

/* Write Protect the first two sectors; writes there fail; Write
 * Unprotect clears it. Both reset the chip. */
static void write_protection(void **state)
{
	uint8_t d[4] = {1, 2, 3, 4}, *opt;
	struct host h;
	size_t n;

	(void)state;
	start(&h, "wrp", "boot0=1");
	sync_ok(&h);
	cmd(&h, 0x63, ACK);
	put(&h, (const uint8_t[]){0x01, 0x00, 0x01, 0x00}, 4);
	assert_int_equal(get1(&h), ACK);
	sync_ok(&h);
	write_mem(&h, 0x08000000, d, 4, NACK);
	write_mem(&h, 0x08002000, d, 4, ACK);
	stop(&h);
	opt = state_file(&h, "option.bin", &n);
	assert_int_equal(opt[8], 0xFC);
	assert_int_equal(opt[0], 0xA5);

	start(&h, "wrp", "boot0=1");
	sync_ok(&h);
	cmd(&h, 0x73, ACK);
	assert_int_equal(get1(&h), ACK);
	sync_ok(&h);
	write_mem(&h, 0x08000000, d, 4, ACK);
	stop(&h);
	opt = state_file(&h, "option.bin", &n);
	assert_int_equal(opt[8], 0xFF);
}

/* Go runs a program written to RAM: it leaves the ROM, USART1 is the
 * core's and the ROM no longer answers. */
static void go_runs_a_loader(void **state)
{
	/* vector table at 0x20000400: SP, PC; code: movs r0,#1; wfi; b . */
	uint8_t prog[16] = {0x00, 0x10, 0x00, 0x20, 0x09, 0x04, 0x00, 0x20,
			    0x01, 0x20, 0x30, 0xBF, 0xFE, 0xE7, 0x00, 0x00};
	struct host h;
	size_t n;
	char *rep;
	uint8_t c;

	(void)state;
	start(&h, "go", "boot0=1");
	sync_ok(&h);
	write_mem(&h, 0x20000400, prog, sizeof(prog), ACK);
	cmd(&h, 0x21, ACK);
	addr(&h, 0x20000400, ACK);
	put1(&h, 0x7F);
	assert_int_equal(get(&h, &c, 1, 300), 0);
	stop(&h);
	rep = (char *)state_file(&h, "report.json", &n);
	rep[n] = 0;
	assert_non_null(strstr(rep, "\"cpu_instructions\":3"));
}

/* Faults: garbage before an answer, a slow and a mute bootloader,
 * dropped and flipped bytes, the wrong parity on the host. */
static void faults(void **state)
{
	uint8_t b[8];
	struct host h;
	uint64_t t0;

	(void)state;
	start(&h, "garbage", "boot0=1\nuart_garbage=2");
	put1(&h, 0x7F);
	assert_int_equal(get(&h, b, 3, 2000), 3);
	assert_int_equal(b[2], ACK);
	assert_int_not_equal(b[0], ACK);
	stop(&h);

	start(&h, "slow", "boot0=1\nboot_delay_us=50000");
	t0 = now_ps(&h);
	sync_ok(&h);
	assert_true(now_ps(&h) - t0 >= 50 * VB_PS_PER_MS);
	stop(&h);

	start(&h, "mute", "boot0=1\nboot_mute=1");
	put1(&h, 0x7F);
	assert_int_equal(get(&h, b, 1, 300), 0);
	stop(&h);

	start(&h, "drop", "boot0=1\nuart_drop_every=2");
	put1(&h, 0x7F); /* byte 1 in; its ACK (byte 2) is lost */
	assert_int_equal(get(&h, b, 1, 300), 0);
	stop(&h);

	start(&h, "flip", "boot0=1\nuart_flip_every=3");
	sync_ok(&h);	     /* bytes 1, 2 */
	cmd(&h, 0x01, NACK); /* 0x01 goes in flipped: no complement */
	stop(&h);

	/* an 8N1 host: the 0x7F still passes (its stop bit is the parity
	 * the board expects), a 0x00 does not */
	start(&h, "parity", "boot0=1");
	tell(&h, VB_OP_LINE, 0, 'N');
	sync_ok(&h);
	cmd(&h, 0x00, NACK);
	stop(&h);
	/* an odd-parity host: even the 0x7F arrives garbled */
	start(&h, "odd", "boot0=1");
	tell(&h, VB_OP_LINE, 0, 'O');
	put1(&h, 0x7F);
	assert_int_equal(get(&h, b, 1, 300), 0);
	stop(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(identifies),
		cmocka_unit_test(boot0_low_is_silent),
		cmocka_unit_test(writes_and_reads),
		cmocka_unit_test(erases),
		cmocka_unit_test(readout_protection),
		cmocka_unit_test(write_protection),
		cmocka_unit_test(go_runs_a_loader),
		cmocka_unit_test(faults),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
