// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SHA-256 against the examples NIST publishes for FIPS 180-4 (the one-,
 * two- and four-block messages, a million 'a'), and against coreutils'
 * sha256sum for every length around the padding boundaries, fed whole and
 * in pieces.
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

#include "ub/sha256.h"

static void hash_is(const void *buf, size_t len, const char *want)
{
	uint8_t sum[UB_SHA256_LEN];
	char hex[65];

	ub_sha256(buf, len, sum);
	ub_sha256_hex(sum, hex);
	if (strcmp(hex, want))
		fail_msg("SHA-256 of %zu bytes is %s, want %s", len, hex, want);
}

static void nist_examples(void **state)
{
	(void)state;
	hash_is("", 0,
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8"
		"55");
	hash_is("abc", 3,
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015"
		"ad");
	hash_is("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06"
		"c1");
	hash_is("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		112,
		"cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9"
		"d1");
}

static void million_a_in_pieces(void **state)
{
	static char a[1000000];
	struct ub_sha256 c;
	uint8_t sum[UB_SHA256_LEN];
	char hex[65];
	size_t done = 0, step = 1;

	(void)state;
	memset(a, 'a', sizeof(a));
	hash_is(a, sizeof(a),
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112c"
		"d0");
	/* the same in uneven pieces: 1, 2, 3... bytes, crossing blocks */
	ub_sha256_init(&c);
	while (done < sizeof(a)) {
		size_t n = sizeof(a) - done < step ? sizeof(a) - done : step;

		ub_sha256_update(&c, a + done, n);
		done += n;
		step = step % 200 + 1;
	}
	ub_sha256_final(&c, sum);
	ub_sha256_hex(sum, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a4972"
				 "00e046d39ccc7112cd0");
}

/* What sha256sum says of buf. */
static void sha256sum(const uint8_t *buf, size_t len, char out[65])
{
	char path[] = "/tmp/ub-test-sha256-XXXXXX", cmd[128];
	int fd = mkstemp(path);
	FILE *p;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
	snprintf(cmd, sizeof(cmd), "sha256sum %s", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (fscanf(p, "%64s", out) != 1)
		fail_msg("sha256sum printed nothing: is coreutils installed?");
	assert_int_equal(pclose(p), 0);
	unlink(path);
}

static void lengths_against_sha256sum(void **state)
{
	static const size_t lens[] = {1,   54,	 55,   56,   57,   63,
				      64,  65,	 119,  120,  127,  128,
				      129, 1000, 4095, 4096, 65537};
	static uint8_t buf[65537];
	uint32_t seed = 1;

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (uint8_t)(seed >> 16);
	}
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct ub_sha256 c;
		uint8_t sum[UB_SHA256_LEN];
		char want[65], hex[65];
		size_t half = lens[i] / 3;

		sha256sum(buf, lens[i], want);
		hash_is(buf, lens[i], want);
		ub_sha256_init(&c);
		ub_sha256_update(&c, buf, half);
		ub_sha256_update(&c, buf + half, 0);
		ub_sha256_update(&c, buf + half, lens[i] - half);
		ub_sha256_final(&c, sum);
		ub_sha256_hex(sum, hex);
		assert_string_equal(hex, want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nist_examples),
		cmocka_unit_test(million_a_in_pieces),
		cmocka_unit_test(lengths_against_sha256sum),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
