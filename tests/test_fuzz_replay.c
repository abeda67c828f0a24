// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Replay the fuzzers' seed corpora (tests/fuzz/seeds/<fuzzer>/) through every
 * image parser and format detection, under ASan and UBSan: each load returns
 * 0 with a well-formed image, or a negative code with a message of its own.
 * Crashes the fuzzers found are kept as seeds, so this guards against them
 * coming back.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "ub/err.h"
#include "ub/image.h"

static const enum ub_image_format formats[] = {
	UB_FMT_BIN, UB_FMT_IHEX, UB_FMT_SREC, UB_FMT_ELF, UB_FMT_AUTO,
};

static uint8_t *read_all(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	FILE *f;

	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fstat(fileno(f), &st), 0);
	buf = malloc(st.st_size ? st.st_size : 1);
	assert_non_null(buf);
	*len = fread(buf, 1, st.st_size, f);
	assert_int_equal(*len, (size_t)st.st_size);
	fclose(f);
	return buf;
}

static void check_one(const char *path, const uint8_t *buf, size_t len,
		      enum ub_image_format fmt)
{
	struct ub_image img;
	int err;

	ub_clear_error();
	err = ub_image_load_mem(&img, buf, len, fmt, UB_IMAGE_DEFAULT_BASE,
				path);
	if (err) {
		const char *msg = ub_errmsg(err);

		if (err > 0 || !*msg || !strcmp(msg, ub_strerror(err))) {
			print_error("%s as %s: returned %d without a message\n",
				    path, ub_image_format_name(fmt), err);
			fail();
		}
		assert_int_equal(img.nseg, 0);
		assert_null(img.seg);
		return;
	}
	assert_true(img.nseg > 0);
	for (size_t i = 0; i < img.nseg; i++) {
		const struct ub_segment *g = &img.seg[i];

		assert_true(g->size > 0);
		assert_non_null(g->data);
		assert_true((uint64_t)g->addr + g->size <= 0x100000000ull);
		if (i)
			assert_true((uint64_t)img.seg[i - 1].addr +
					    img.seg[i - 1].size <
				    g->addr);
	}
	ub_image_free(&img);
}

/* Every regular file in every directory under seeds, in all formats. */
static void replay_seeds(void **state)
{
	const char *src = getenv("UNBRICK_SRCDIR");
	char seeds[4096], dir[4096 + 256], path[4096 + 512];
	struct dirent *d, *e;
	unsigned nfiles = 0, ndirs = 0;
	DIR *top, *sub;

	(void)state;
	snprintf(seeds, sizeof(seeds), "%s/tests/fuzz/seeds", src ? src : ".");
	top = opendir(seeds);
	if (!top) {
		print_error("cannot open %s (set UNBRICK_SRCDIR)\n", seeds);
		fail();
	}
	while ((d = readdir(top))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", seeds, d->d_name);
		sub = opendir(dir);
		if (!sub)
			continue;
		ndirs++;
		while ((e = readdir(sub))) {
			struct stat st;
			uint8_t *buf;
			size_t len;

			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			if (stat(path, &st) || !S_ISREG(st.st_mode))
				continue;
			buf = read_all(path, &len);
			for (size_t i = 0;
			     i < sizeof(formats) / sizeof(formats[0]); i++)
				check_one(path, buf, len, formats[i]);
			free(buf);
			nfiles++;
		}
		closedir(sub);
	}
	closedir(top);
	print_message("replayed %u seed files from %u corpora\n", nfiles,
		      ndirs);
	assert_true(ndirs >= 4);
	assert_true(nfiles >= 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replay_seeds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
