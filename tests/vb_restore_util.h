/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_TEST_VB_RESTORE_UTIL_H
#define UB_TEST_VB_RESTORE_UTIL_H

/*
 * For the backup and restore tests: unbrick run on a virtual board (through
 * tests/vboard/with-vboard), state directories, files. Every function is
 * static inline: each test file includes this once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli_util.h"

#define VR_TIMEOUT_S  300
#define VR_DEFAULT_ID "34FF6D064D4B313432422043"

struct vr {
	char srcdir[4096], with_vboard[4200], unbrick[4200];
	char tmp[64];
	char backups[4200]; /* UNBRICK_BACKUPS for every run */
};

static struct vr vr;

static inline void vr_path(char *buf, size_t n, const char *dir,
			   const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
}

static inline void vr_write(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		fail_msg("cannot write %s", path);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static inline uint8_t *vr_read(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long len;

	if (!f)
		fail_msg("cannot read %s", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc(len ? (size_t)len : 1);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*n = (size_t)len;
	return buf;
}

static inline void vr_pattern(uint8_t *b, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		b[i] = (uint8_t)(seed >> 16);
	}
}

/* A directory of its own under the test's temporary directory. */
static inline void vr_dir(char *dir, size_t n, const char *name)
{
	vr_path(dir, n, vr.tmp, name);
	mkdir(dir, 0700);
}

/* The state's file name, exactly n bytes long. */
static inline uint8_t *vr_state(const char *dir, const char *name, size_t n)
{
	char p[4400];
	size_t len;
	uint8_t *b;

	vr_path(p, sizeof(p), dir, name);
	b = vr_read(p, &len);
	if (len != n)
		fail_msg("%s is %zu bytes, want %zu", p, len, n);
	return b;
}

static inline void vr_same_file(const char *a, const char *b)
{
	size_t na, nb;
	uint8_t *x = vr_read(a, &na), *y = vr_read(b, &nb);

	if (na != nb || memcmp(x, y, na)) {
		size_t i = 0;

		while (i < na && i < nb && x[i] == y[i])
			i++;
		fail_msg("%s and %s differ at byte %zu (sizes %zu, %zu)", a, b,
			 i, na, nb);
	}
	free(x);
	free(y);
}

/*
 * Run a program on a virtual board: the profile board, the state dir, the
 * settings (comma-separated --set values, or NULL), report (a file for the
 * board's report, or NULL), then the program and its arguments (prog).
 */
static inline void vr_exec(struct cli_result *r, const char *board,
			   const char *dir, const char *settings,
			   const char *report, const char *const *prog)
{
	static char env_backups[4500];
	const char *argv[64], *env[2];
	char sets[8][128];
	unsigned n = 0, ns = 0;

	argv[n++] = vr.with_vboard;
	argv[n++] = "--board";
	argv[n++] = board;
	argv[n++] = "--state";
	argv[n++] = dir;
	if (report) {
		argv[n++] = "--report";
		argv[n++] = report;
	}
	for (const char *s = settings; s && *s && ns < 8;) {
		size_t len = strcspn(s, ",");

		snprintf(sets[ns], sizeof(sets[ns]), "%.*s", (int)len, s);
		argv[n++] = "--set";
		argv[n++] = sets[ns++];
		s += len + (s[len] == ',');
	}
	argv[n++] = "--";
	for (; *prog && n < 62; prog++)
		argv[n++] = *prog;
	argv[n] = NULL;
	snprintf(env_backups, sizeof(env_backups), "UNBRICK_BACKUPS=%s",
		 vr.backups);
	env[0] = env_backups;
	env[1] = NULL;
	assert_int_equal(cli_run(r, env, argv, VR_TIMEOUT_S), 0);
	if (strstr(r->err, "Sanitizer") || strstr(r->err, "runtime error"))
		fail_msg("sanitizer report:\n%s", r->err);
}

/* unbrick and its arguments (NULL-terminated) on a virtual board. */
static inline void vr_run(struct cli_result *r, const char *board,
			  const char *dir, const char *settings,
			  const char *report, ...)
{
	const char *prog[48];
	unsigned n = 0;
	va_list ap;

	prog[n++] = vr.unbrick;
	va_start(ap, report);
	for (const char *a = va_arg(ap, const char *); a && n < 47;
	     a = va_arg(ap, const char *))
		prog[n++] = a;
	va_end(ap);
	prog[n] = NULL;
	vr_exec(r, board, dir, settings, report, prog);
}

/* A shell command line on a virtual board ($UB_VBOARD_TTY and the like). */
static inline void vr_sh(struct cli_result *r, const char *board,
			 const char *dir, const char *settings,
			 const char *report, const char *cmd)
{
	const char *prog[] = {"sh", "-c", cmd, NULL};

	vr_exec(r, board, dir, settings, report, prog);
}

static inline void vr_status(const struct cli_result *r, int want)
{
	if (r->status != want)
		fail_msg("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s",
			 r->status, want, r->out, r->err);
}

static inline void vr_has(const char *s, const char *part)
{
	if (!strstr(s, part))
		fail_msg("---\n%s---\ndoes not contain '%s'", s, part);
}

static inline void vr_lacks(const char *s, const char *part)
{
	if (strstr(s, part))
		fail_msg("---\n%s---\ncontains '%s'", s, part);
}

/* A number from the board's JSON report: "key":N (the first one). */
static inline long vr_report(const char *path, const char *key)
{
	char pat[64], *at;
	size_t n;
	uint8_t *text = vr_read(path, &n);
	long v;

	text = realloc(text, n + 1);
	text[n] = '\0';
	snprintf(pat, sizeof(pat), "\"%s\":", key);
	at = strstr((char *)text, pat);
	if (!at)
		fail_msg("no %s in the report %s", key, (char *)text);
	v = strtol(at + strlen(pat), NULL, 10);
	free(text);
	return v;
}

static inline int vr_setup(const char *name)
{
	const char *src = getenv("UNBRICK_SRCDIR"), *bin = getenv("UNBRICK");

	if (!src || !bin) {
		fprintf(stderr, "run through make check (UNBRICK_SRCDIR and "
				"UNBRICK)\n");
		return -1;
	}
	snprintf(vr.srcdir, sizeof(vr.srcdir), "%s", src);
	snprintf(vr.unbrick, sizeof(vr.unbrick), "%s", bin);
	snprintf(vr.with_vboard, sizeof(vr.with_vboard),
		 "%s/tests/vboard/with-vboard", vr.srcdir);
	snprintf(vr.tmp, sizeof(vr.tmp), "/tmp/ub-test-%s-XXXXXX", name);
	if (!mkdtemp(vr.tmp))
		return -1;
	vr_path(vr.backups, sizeof(vr.backups), vr.tmp, "backups");
	return 0;
}

static inline int vr_teardown(void)
{
	char cmd[200];

	if (getenv("UB_KEEP_TMP"))
		return 0;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", vr.tmp);
	return system(cmd) ? -1 : 0;
}

#endif
