// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Proof that the SPI flash models are faithful: flashrom 1.3 (Debian's)
 * reaches the clip-path chip through the board server's serprog listener
 * (with-vboard --serprog PORT). Its probe names each of the three chips;
 * -w (with its verify), -r and -E round-trip through spi.bin, the
 * SST25VF016B's power-up block protection unlocked by flashrom itself.
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

#include "cli_util.h"

#define TIMEOUT_S 300

static char with_vboard[4200];
static char tmp_dir[] = "/tmp/ub-test-vb-flashrom-XXXXXX";

static const struct chip {
	const char *setting; /* spi_chip= */
	const char *name;    /* flashrom's -c */
	size_t size;
} chips[] = {
	{"sst25vf016b", "SST25VF016B", 2u << 20},
	{"m25pe16", "M25PE16", 2u << 20},
	{"w25q64", "W25Q64BV/W25Q64CV/W25Q64FV", 8u << 20},
};

static int setup(void **state)
{
	const char *src = getenv("UNBRICK_SRCDIR");
	char cwd[4096];

	(void)state;
	if (!getcwd(cwd, sizeof(cwd)))
		return -1;
	snprintf(with_vboard, sizeof(with_vboard),
		 "%s/tests/vboard/with-vboard", src ? src : cwd);
	if (access(with_vboard, X_OK) || access("/usr/sbin/flashrom", X_OK)) {
		fprintf(stderr, "need %s and /usr/sbin/flashrom\n",
			with_vboard);
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

/* A free TCP port on 127.0.0.1, by the process id: tests run apart. */
static const char *port(void)
{
	static char buf[8];

	snprintf(buf, sizeof(buf), "%d", 20000 + getpid() % 20000);
	return buf;
}

/* flashrom on the board of dir with chip c: args after -p and -c. */
static void flashrom(const struct chip *c, const char *dir,
		     const char *const *args, struct cli_result *r)
{
	char set[64], prog[64];
	const char *argv[24];
	int n = 0;

	snprintf(set, sizeof(set), "spi_chip=%s", c->setting);
	snprintf(prog, sizeof(prog), "serprog:ip=127.0.0.1:%s", port());
	argv[n++] = with_vboard;
	argv[n++] = "--board";
	argv[n++] = "stm32f1";
	argv[n++] = "--state";
	argv[n++] = dir;
	argv[n++] = "--set";
	argv[n++] = set;
	argv[n++] = "--serprog";
	argv[n++] = port();
	argv[n++] = "--";
	argv[n++] = "/usr/sbin/flashrom";
	argv[n++] = "-p";
	argv[n++] = prog;
	if (args && args[0] && strcmp(args[0], "--probe")) {
		argv[n++] = "-c";
		argv[n++] = c->name;
	}
	for (; args && *args; args++)
		if (strcmp(*args, "--probe"))
			argv[n++] = *args;
	argv[n] = NULL;
	assert_int_equal(cli_run(r, NULL, argv, TIMEOUT_S), 0);
}

static uint8_t *slurp(const char *path, size_t *n)
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

static void probe_names_each_chip(void **state)
{
	(void)state;
	for (size_t i = 0; i < 3; i++) {
		const char *probe[] = {"--probe", NULL};
		char dir[4300], want[128];
		struct cli_result r;

		snprintf(dir, sizeof(dir), "%s/probe-%s", tmp_dir,
			 chips[i].setting);
		flashrom(&chips[i], dir, probe, &r);
		snprintf(want, sizeof(want), "flash chip \"%s\" (%zu kB, SPI)",
			 chips[i].name, chips[i].size / 1024);
		if (!strstr(r.out, want))
			fail_msg("no '%s' in:\n%s\n%s", want, r.out, r.err);
		cli_result_free(&r);
	}
}

/* An image: 64 KB of noise at 64 KB, the rest erased. */
static uint8_t *image(size_t size)
{
	uint8_t *b = malloc(size);
	uint32_t x = 0x1234567;

	memset(b, 0xFF, size);
	for (size_t i = 0x10000; i < 0x20000; i++) {
		x = x * 1103515245 + 12345;
		b[i] = (uint8_t)(x >> 16);
	}
	return b;
}

static void write_read_erase(void **state)
{
	(void)state;
	for (size_t i = 0; i < 3; i++) {
		const struct chip *c = &chips[i];
		char dir[4300], img[4400], back[4400], spi[4400];
		const char *w[] = {"-w", img, NULL}, *rd[] = {"-r", back, NULL};
		const char *e[] = {"-E", NULL};
		uint8_t *want = image(c->size), *got;
		struct cli_result r;
		size_t n;
		FILE *f;

		snprintf(dir, sizeof(dir), "%s/rw-%s", tmp_dir, c->setting);
		snprintf(img, sizeof(img), "%s-image.bin", dir);
		snprintf(back, sizeof(back), "%s-back.bin", dir);
		snprintf(spi, sizeof(spi), "%s/spi.bin", dir);
		f = fopen(img, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(want, 1, c->size, f), c->size);
		fclose(f);

		flashrom(c, dir, w, &r); /* SST: unlocks BP2-0 first */
		if (r.status || !strstr(r.out, "VERIFIED"))
			fail_msg("%s -w: %d\n%s\n%s", c->name, r.status, r.out,
				 r.err);
		cli_result_free(&r);
		got = slurp(spi, &n);
		assert_int_equal(n, c->size);
		assert_memory_equal(got, want, c->size);
		free(got);

		flashrom(c, dir, rd, &r);
		assert_int_equal(r.status, 0);
		cli_result_free(&r);
		got = slurp(back, &n);
		assert_int_equal(n, c->size);
		assert_memory_equal(got, want, c->size);
		free(got);

		flashrom(c, dir, e, &r);
		if (r.status)
			fail_msg("%s -E: %s\n%s", c->name, r.out, r.err);
		cli_result_free(&r);
		got = slurp(spi, &n);
		memset(want, 0xFF, c->size);
		assert_memory_equal(got, want, c->size);
		free(got);
		free(want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(probe_names_each_chip),
		cmocka_unit_test(write_read_erase),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
