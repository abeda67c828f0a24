// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Numbers as people write them: plain u32 in decimal, hex and binary; sizes
 * with K/M suffixes; frequencies; durations. Overflow and garbage are refused
 * and leave the output alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ub/err.h"
#include "ub/num.h"

typedef int (*parse_fn)(const char *s, uint32_t *v);

/* s parses to want. */
static void ok(parse_fn fn, const char *s, uint32_t want)
{
	uint32_t v = 0xDEADBEEF;

	if (fn(s, &v) != 0)
		fail_msg("'%s' was refused", s);
	if (v != want)
		fail_msg("'%s' gave %u (0x%X), want %u (0x%X)", s, v, v, want,
			 want);
}

/* s is refused with UB_EINVAL and the output is not touched. */
static void bad(parse_fn fn, const char *s)
{
	uint32_t v = 0xDEADBEEF;
	int err = fn(s, &v);

	if (err != UB_EINVAL)
		fail_msg("'%s' gave %d (value %u), want UB_EINVAL", s, err, v);
	assert_int_equal(v, 0xDEADBEEF);
}

static void u32_decimal_hex_binary(void **state)
{
	(void)state;
	ok(ub_parse_u32, "0", 0);
	ok(ub_parse_u32, "4096", 4096);
	ok(ub_parse_u32, "0x08005000", 0x08005000);
	ok(ub_parse_u32, "0X08005000", 0x08005000);
	ok(ub_parse_u32, "0xabcDEF", 0xABCDEF);
	ok(ub_parse_u32, "0b101", 5);
	ok(ub_parse_u32, "0B11111111", 255);
	ok(ub_parse_u32, "4294967295", UINT32_MAX);
	ok(ub_parse_u32, "0xFFFFFFFF", UINT32_MAX);
	ok(ub_parse_u32, "0x000000000000000010", 16);
	ok(ub_parse_u32, "0x0b1", 0xB1); /* hex digits, not a prefix */
	/* 0755 is decimal, not octal */
	ok(ub_parse_u32, "0755", 755);
	ok(ub_parse_u32, "010", 10);
}

static void u32_overflow(void **state)
{
	(void)state;
	bad(ub_parse_u32, "4294967296");
	bad(ub_parse_u32, "0x100000000");
	bad(ub_parse_u32, "0b100000000000000000000000000000000");
	bad(ub_parse_u32, "99999999999999999999999999");
	bad(ub_parse_u32, "0xFFFFFFFFFFFFFFFFFFFF");
}

static void u32_garbage(void **state)
{
	(void)state;
	bad(ub_parse_u32, "");
	bad(ub_parse_u32, " 1");
	bad(ub_parse_u32, "1 ");
	bad(ub_parse_u32, "+1");
	bad(ub_parse_u32, "-1");
	bad(ub_parse_u32, "0x");
	bad(ub_parse_u32, "0x-1");
	bad(ub_parse_u32, "0x 1");
	bad(ub_parse_u32, "0xG");
	bad(ub_parse_u32, "0x1G");
	bad(ub_parse_u32, "0x0x10");
	bad(ub_parse_u32, "0b");
	bad(ub_parse_u32, "0b2");
	bad(ub_parse_u32, "0b12");
	bad(ub_parse_u32, "12abc");
	bad(ub_parse_u32, "abc");
	bad(ub_parse_u32, "1K"); /* a plain number has no suffix */
	bad(ub_parse_u32, "1.5");
	bad(ub_parse_u32, "1e3");
}

static void size_suffixes(void **state)
{
	(void)state;
	ok(ub_parse_size, "294", 294);
	ok(ub_parse_size, "0x4000", 0x4000);
	ok(ub_parse_size, "16K", 16 * 1024);
	ok(ub_parse_size, "108K", 108 * 1024);
	ok(ub_parse_size, "2k", 2048);
	ok(ub_parse_size, "2KB", 2048);
	ok(ub_parse_size, "2kb", 2048);
	ok(ub_parse_size, "2KiB", 2048);
	ok(ub_parse_size, "1M", 1 << 20);
	ok(ub_parse_size, "2MB", 2 << 20);
	ok(ub_parse_size, "2MiB", 2 << 20);
	ok(ub_parse_size, "0x10K", 16 * 1024);
	ok(ub_parse_size, "4095M", 4095u << 20);
	ok(ub_parse_size, "4194303K", 4194303u * 1024);
	ok(ub_parse_size, "0K", 0);
}

static void size_bad(void **state)
{
	(void)state;
	bad(ub_parse_size, "4096M");	/* exactly 4 GiB */
	bad(ub_parse_size, "4194304K"); /* exactly 4 GiB */
	bad(ub_parse_size, "99999999999M");
	bad(ub_parse_size, "1G");
	bad(ub_parse_size, "1 K");
	bad(ub_parse_size, "1KK");
	bad(ub_parse_size, "1Kib2");
	bad(ub_parse_size, "K");
	bad(ub_parse_size, "");
	bad(ub_parse_size, "1.5K");
	bad(ub_parse_size, "-1K");
	bad(ub_parse_size, "4294967296");
}

static void hz(void **state)
{
	(void)state;
	ok(ub_parse_hz, "1000000", 1000000);
	ok(ub_parse_hz, "115200", 115200);
	ok(ub_parse_hz, "1M", 1000000);
	ok(ub_parse_hz, "1MHz", 1000000);
	ok(ub_parse_hz, "4mhz", 4000000);
	ok(ub_parse_hz, "400k", 400000);
	ok(ub_parse_hz, "400kHz", 400000);
	ok(ub_parse_hz, "400K", 400000);
	ok(ub_parse_hz, "50Hz", 50);
	ok(ub_parse_hz, "4294M", 4294000000u);
	ok(ub_parse_hz, "0", 0);
	bad(ub_parse_hz, "4295M");
	bad(ub_parse_hz, "4294968k");
	bad(ub_parse_hz, "1G");
	bad(ub_parse_hz, "1.5M");
	bad(ub_parse_hz, "fast");
	bad(ub_parse_hz, "1 MHz");
	bad(ub_parse_hz, "MHz");
	bad(ub_parse_hz, "");
}

static void ms(void **state)
{
	(void)state;
	ok(ub_parse_ms, "250", 250);
	ok(ub_parse_ms, "0", 0);
	ok(ub_parse_ms, "10ms", 10);
	ok(ub_parse_ms, "10MS", 10);
	ok(ub_parse_ms, "1s", 1000);
	ok(ub_parse_ms, "1.5s", 1500);
	ok(ub_parse_ms, "0.25s", 250);
	ok(ub_parse_ms, "500us", 1);  /* rounded up */
	ok(ub_parse_ms, "1500us", 2); /* rounded up */
	ok(ub_parse_ms, "1000us", 1);
	ok(ub_parse_ms, "2.5", 3); /* rounded up */
	ok(ub_parse_ms, "3600s", 3600000);
	bad(ub_parse_ms, "3601s"); /* over an hour */
	bad(ub_parse_ms, "1e400");
	bad(ub_parse_ms, "");
	bad(ub_parse_ms, "s");
	bad(ub_parse_ms, "ms");
	bad(ub_parse_ms, "-1");
	bad(ub_parse_ms, ".5s");
	bad(ub_parse_ms, "10 ms");
	bad(ub_parse_ms, "10min");
	bad(ub_parse_ms, "1h");
	bad(ub_parse_ms, "nan");
	bad(ub_parse_ms, "inf");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(u32_decimal_hex_binary),
		cmocka_unit_test(u32_overflow),
		cmocka_unit_test(u32_garbage),
		cmocka_unit_test(size_suffixes),
		cmocka_unit_test(size_bad),
		cmocka_unit_test(hz),
		cmocka_unit_test(ms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
