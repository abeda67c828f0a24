/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef BOARD_TEST_UTIL_H
#define BOARD_TEST_UTIL_H

/*
 * Helpers for the board profile tests (tests/test_board*.c): the shipped
 * profiles, a temporary directory for broken ones, and checks on what
 * loads and what is refused.
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

#include "ub/board.h"
#include "ub/err.h"
#include "ub/pi.h"

/* --- helpers --- */

static char boards_dir[4096]; /* the shipped profiles */
static char tmp_dir[] = "/tmp/ub-test-board-XXXXXX";

static inline int setup(void **state)
{
	const char *src = getenv("UNBRICK_SRCDIR");
	const char *env = getenv("UNBRICK_BOARDS");

	(void)state;
	snprintf(boards_dir, sizeof(boards_dir), "%s/boards", src ? src : ".");
	/* bases are found through the search path */
	if (!env || !*env)
		setenv("UNBRICK_BOARDS", boards_dir, 1);
	if (!mkdtemp(tmp_dir))
		return -1;
	return 0;
}

static inline int teardown(void **state)
{
	char cmd[4200];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
	return system(cmd) ? -1 : 0;
}

/* Write text to tmp_dir/name; the path goes into path. */
static inline void write_tmp(const char *name, const char *text, char *path,
			     size_t n)
{
	FILE *f;

	snprintf(path, n, "%s/%s", tmp_dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

static inline struct ub_board *shipped(const char *name)
{
	char path[4200];
	struct ub_board *b;
	int err = 1;

	snprintf(path, sizeof(path), "%s/%s.conf", boards_dir, name);
	ub_clear_error();
	b = ub_board_load(path, &err);
	if (!b)
		fail_msg("%s: %s", path, ub_errmsg(err));
	assert_int_equal(err, 0);
	assert_string_equal(b->name, name);
	assert_string_equal(b->file[0], path);
	return b;
}

/* The line of text (1-based) that starts with prefix, after blanks. */
static inline unsigned line_of(const char *path, const char *prefix)
{
	char buf[1024];
	unsigned line = 0, found = 0;
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	while (fgets(buf, sizeof(buf), f)) {
		const char *s = buf + strspn(buf, " \t");

		line++;
		if (!strncmp(s, prefix, strlen(prefix))) {
			found = line;
			break;
		}
	}
	fclose(f);
	if (!found)
		fail_msg("%s has no line starting with '%s'", path, prefix);
	return found;
}

static inline const struct ub_region *region(const struct ub_board *b,
					     const char *name,
					     enum ub_space space, uint32_t addr,
					     uint32_t size)
{
	const struct ub_region *r = ub_board_region(b, name);

	if (!r)
		fail_msg("%s: no region '%s'", b->name, name);
	assert_string_equal(r->name, name);
	assert_int_equal(r->space, space);
	if (r->addr != addr || r->size != size)
		fail_msg("%s: region %s at 0x%X size %u, want 0x%X size %u",
			 b->name, name, r->addr, r->size, addr, size);
	return r;
}

static inline const struct ub_board_pin *pin(const struct ub_board *b,
					     const char *role, int pi)
{
	const struct ub_board_pin *p = ub_board_pin(b, role);

	if (!p)
		fail_msg("%s: no [pin %s]", b->name, role);
	if (p->pi != pi)
		fail_msg("%s: [pin %s] on Pi pin %d, want %d", b->name, role,
			 p->pi, pi);
	return p;
}

static inline void has(const char *s, const char *part)
{
	if (!strstr(s, part))
		fail_msg("'%s' does not contain '%s'", s, part);
}

/*
 * A broken profile: ub_board_parse of the text and ub_board_load of the same
 * text in a file both fail with UB_ECONFIG and "PATH:LINE: ..." containing
 * what: every error names a line.
 */
static inline void expect_bad(const char *text, unsigned line, const char *what)
{
	char path[4200], prefix[4300];
	struct ub_board *b;
	const char *msg;
	int err = 0;

	ub_clear_error();
	b = ub_board_parse(text, "t.conf", &err);
	msg = ub_errmsg(err);
	if (b || err != UB_ECONFIG)
		fail_msg("accepted (err %d, '%s'):\n%s", err, msg, text);
	snprintf(prefix, sizeof(prefix), "t.conf:%u: ", line);
	if (strncmp(msg, prefix, strlen(prefix)) || !strstr(msg, what))
		fail_msg("message '%s', want '%s...%s...'", msg, prefix, what);

	write_tmp("bad.conf", text, path, sizeof(path));
	ub_clear_error();
	err = 0;
	b = ub_board_load(path, &err);
	msg = ub_errmsg(err);
	if (b || err != UB_ECONFIG)
		fail_msg("%s accepted (err %d, '%s')", path, err, msg);
	snprintf(prefix, sizeof(prefix), "%s:%u: ", path, line);
	if (strncmp(msg, prefix, strlen(prefix)) || !strstr(msg, what))
		fail_msg("message '%s', want '%s...%s...'", msg, prefix, what);
}

static inline struct ub_board *expect_good(const char *text)
{
	struct ub_board *b;
	int err = 1;

	ub_clear_error();
	b = ub_board_parse(text, "t.conf", &err);
	if (!b)
		fail_msg("refused: %s\n%s", ub_errmsg(err), text);
	assert_int_equal(err, 0);
	return b;
}

/* A minimal good profile: SWD on three pins; 9 lines. */
#define GOOD                 \
	"[board]\n"          \
	"family = stm32f1\n" \
	"[interface swd]\n"  \
	"[pin swclk]\n"      \
	"pi = GPIO11\n"      \
	"[pin swdio]\n"      \
	"pi = GPIO25\n"      \
	"[pin gnd]\n"        \
	"pi = GND\n"

#endif /* BOARD_TEST_UTIL_H */
