// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The clip cross-checked with flashrom (issue 7): on one board (one state
 * directory), unbrick's NOR driver (src/spinor*.c) on the clip
 * (src/spi_gpio.c, in-process on the stand-in libgpiod) writes, and
 * flashrom 1.3 through the board server's serprog reads it back identical;
 * flashrom writes, and our driver reads identical. For each modeled chip:
 * the SST25VF016B (power-up protection, AAI), the M25PE16, the W25Q64.
 */
#include "vb_clip_test_util.h"

#include <sys/stat.h>

#include "ub/spinor.h"

#define TIMEOUT_S 300

static const struct chip {
	const char *setting;  /* spi_chip= */
	const char *flashrom; /* flashrom's -c */
	const char *ours;     /* our table's name */
	uint32_t size;
} chips[] = {
	{"sst25vf016b", "SST25VF016B", "SST25VF016B", 2u << 20},
	{"m25pe16", "M25PE16", "M25PE16", 2u << 20},
	{"w25q64", "W25Q64BV/W25Q64CV/W25Q64FV", "W25Q64", 8u << 20},
};

/* Ours writes at an odd address; flashrom writes its own image there. */
#define OURS_AT	   0x10123u
#define OURS_LEN   40000u
#define THEIRS_AT  0x30000u
#define THEIRS_LEN 0x10000u
#define WINDOW	   0x50000u /* what our driver reads back */

static uint8_t *noise(size_t n, uint32_t seed)
{
	uint8_t *b = malloc(n);

	assert_non_null(b);
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245 + 12345;
		b[i] = (uint8_t)(seed >> 16);
	}
	return b;
}

static uint8_t *load(const char *path, size_t *n)
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

static void save(const char *path, const uint8_t *b, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* flashrom -p serprog on the board of dir, with an operation. */
static void flashrom(const struct chip *c, const char *dir, const char *op,
		     const char *file)
{
	/* the child's board is with-vboard's, not this process's */
	static const char *const env[] = {
		"UB_VBOARD_BOARD",  "UB_VBOARD_STATE", "UB_VBOARD_SETTINGS",
		"UB_VBOARD_REPORT", "UB_VBOARD_VCD",   NULL};
	char wv[4400], set[64], port[8], prog[64];
	const char *argv[20];
	struct cli_result r;
	int n = 0;

	snprintf(wv, sizeof(wv), "%s/tests/vboard/with-vboard", srcdir);
	snprintf(set, sizeof(set), "spi_chip=%s", c->setting);
	snprintf(port, sizeof(port), "%d", 20000 + (getpid() + 7) % 20000);
	snprintf(prog, sizeof(prog), "serprog:ip=127.0.0.1:%s", port);
	argv[n++] = wv;
	argv[n++] = "--board";
	argv[n++] = "stm32f1";
	argv[n++] = "--state";
	argv[n++] = dir;
	argv[n++] = "--set";
	argv[n++] = set;
	argv[n++] = "--serprog";
	argv[n++] = port;
	argv[n++] = "--";
	argv[n++] = "/usr/sbin/flashrom";
	argv[n++] = "-p";
	argv[n++] = prog;
	argv[n++] = "-c";
	argv[n++] = c->flashrom;
	argv[n++] = op;
	argv[n++] = file;
	argv[n] = NULL;
	assert_int_equal(cli_run(&r, env, argv, TIMEOUT_S), 0);
	if (r.status || (!strcmp(op, "-w") && !strstr(r.out, "VERIFIED")))
		fail_msg("flashrom %s %s: %d\n%s\n%s", op, c->flashrom,
			 r.status, r.out, r.err);
	cli_result_free(&r);
}

/* Our driver on the clip, on the board of dir: probed, the chip named. */
static void ours_open(struct clip_rig *r, struct ub_nor *n,
		      const struct chip *c, const char *dir)
{
	char set[64];
	int err;

	snprintf(set, sizeof(set), "spi_chip=%s\nspi_bus=none", c->setting);
	clip_env(set, dir, NULL, NULL);
	clip_open(r, 0, true);
	memset(n, 0, sizeof(*n));
	/* the wire's time at 1 MHz on the board's clock (clip_timed) */
	err = ub_nor_probe(n, clip_timed(r, 1000000));
	if (err)
		fail_msg("probe on the clip: %s", ub_errmsg(err));
	assert_string_equal(n->chip.name, c->ours);
	assert_int_equal(n->chip.size, c->size);
}

static void ours_write_flashrom_reads(const struct chip *c, const char *dir)
{
	char back[4400];
	struct ub_nor_stats st;
	struct clip_rig r;
	struct ub_nor n;
	uint8_t *data = noise(OURS_LEN, 0xC0FFEE), *got;
	size_t len;
	int err;

	ours_open(&r, &n, c, dir);
	memset(&st, 0, sizeof(st));
	err = ub_nor_write(&n, OURS_AT, data, OURS_LEN, &st);
	if (!err)
		err = ub_nor_verify(&n, OURS_AT, data, OURS_LEN);
	if (err)
		fail_msg("%s on the clip: %s", c->ours, ub_errmsg(err));
	print_message("%s: ours wrote %llu bytes, %u erases\n", c->ours,
		      (unsigned long long)st.bytes_programmed, st.erase_ops);
	clip_close(&r); /* the session ends: spi.bin saved */

	snprintf(back, sizeof(back), "%s-flashrom.bin", dir);
	flashrom(c, dir, "-r", back);
	got = load(back, &len);
	assert_non_null(got);
	assert_int_equal(len, c->size);
	assert_memory_equal(got + OURS_AT, data, OURS_LEN);
	for (size_t i = 0; i < len; i++)
		if ((i < OURS_AT || i >= OURS_AT + OURS_LEN) && got[i] != 0xFF)
			fail_msg("%s: flashrom reads 0x%02X at 0x%zx, erased "
				 "expected",
				 c->ours, got[i], i);
	free(got);
	free(data);
}

static void flashrom_writes_ours_reads(const struct chip *c, const char *dir)
{
	char img[4400];
	struct clip_rig r;
	struct ub_nor n;
	uint8_t *want = malloc(c->size), *data = noise(THEIRS_LEN, 0xBEEF);
	uint8_t *got = malloc(WINDOW);
	int err;

	assert_non_null(want);
	assert_non_null(got);
	memset(want, 0xFF, c->size);
	memcpy(want + THEIRS_AT, data, THEIRS_LEN);
	snprintf(img, sizeof(img), "%s-image.bin", dir);
	save(img, want, c->size);
	flashrom(c, dir, "-w", img); /* also erases what we wrote */

	ours_open(&r, &n, c, dir);
	err = ub_nor_read(&n, 0, got, WINDOW);
	if (err)
		fail_msg("read on the clip: %s", ub_errmsg(err));
	assert_memory_equal(got, want, WINDOW);
	err = ub_nor_verify(&n, THEIRS_AT, data, THEIRS_LEN);
	if (err)
		fail_msg("verify on the clip: %s", ub_errmsg(err));
	clip_close(&r);
	free(got);
	free(data);
	free(want);
}

static void ours_and_flashrom_agree(void **state)
{
	(void)state;
	if (access("/usr/sbin/flashrom", X_OK))
		fail_msg("flashrom is not installed: run make deps");
	for (size_t i = 0; i < 3; i++) {
		char dir[4300];

		snprintf(dir, sizeof(dir), "%s/%s", tmp_dir, chips[i].setting);
		ours_write_flashrom_reads(&chips[i], dir);
		flashrom_writes_ours_reads(&chips[i], dir);
	}
}

static int no_board(void **state)
{
	(void)state;
	return vb_gpiod_board() ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(ours_and_flashrom_agree,
						no_board, no_board),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
