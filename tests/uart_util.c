// SPDX-License-Identifier: GPL-2.0-or-later
/* Helpers for the end-to-end UART tests (uart_util.h). */
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

#include "uart_util.h"

#define COMMAND_TIMEOUT "100"

static char unbrick[4200], with_vboard[4200];
static char tmp_dir[256];

const uint8_t uu_factory_opt[16] = {0xA5, 0x5A, 0xFF, 0x00, 0xFF, 0x00,
				    0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00,
				    0xFF, 0x00, 0xFF, 0x00};

int uu_setup(const char *name)
{
	const char *src = getenv("UNBRICK_SRCDIR"), *bin = getenv("UNBRICK");

	if (!src || !bin) {
		fprintf(stderr, "run through make check (UNBRICK_SRCDIR)\n");
		return -1;
	}
	snprintf(unbrick, sizeof(unbrick), "%s", bin);
	snprintf(with_vboard, sizeof(with_vboard),
		 "%s/tests/vboard/with-vboard", src);
	snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/ub-%s-XXXXXX", name);
	return mkdtemp(tmp_dir) ? 0 : -1;
}

void uu_teardown(void)
{
	char cmd[512];

	if (getenv("UB_KEEP_TMP") || !tmp_dir[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", tmp_dir);
}

void uu_path(char *out, size_t n, const char *dir, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

void uu_dir(char *dir, size_t n, const char *name)
{
	uu_path(dir, n, tmp_dir, name);
	mkdir(dir, 0700);
}

void uu_write(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

uint8_t *uu_read(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long len;

	if (!f)
		fail_msg("cannot read %s", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc(len > 0 ? (size_t)len + 1 : 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	buf[len] = 0;
	*n = (size_t)len;
	return buf;
}

void uu_pattern(uint8_t *b, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		b[i] = (uint8_t)(seed >> 16);
	}
}

void uu_seed(const char *dir, const uint8_t *flash, size_t n,
	     const uint8_t opt[16])
{
	char p[4400];

	if (flash) {
		uu_path(p, sizeof(p), dir, "flash.bin");
		uu_write(p, flash, n);
	}
	if (opt) {
		uu_path(p, sizeof(p), dir, "option.bin");
		uu_write(p, opt, 16);
	}
}

uint8_t *uu_flash(const char *dir, size_t want)
{
	char p[4400];
	size_t n;
	uint8_t *f;

	uu_path(p, sizeof(p), dir, "flash.bin");
	f = uu_read(p, &n);
	assert_int_equal(n, want);
	return f;
}

void uu_option(const char *dir, uint8_t opt[16])
{
	char p[4400];
	size_t n;
	uint8_t *o;

	uu_path(p, sizeof(p), dir, "option.bin");
	o = uu_read(p, &n);
	assert_int_equal(n, 16);
	memcpy(opt, o, 16);
	free(o);
}

/* with-vboard --uart --board B --state DIR --report DIR/report.json
 * --set...: the start of argv; returns how many. */
static unsigned session(const char **argv, char sets[][128], char *report,
			const char *dir, const char *board,
			const char *settings)
{
	unsigned n = 0, ns = 0;

	argv[n++] = with_vboard;
	argv[n++] = "--uart";
	argv[n++] = "--board";
	argv[n++] = board;
	argv[n++] = "--state";
	argv[n++] = dir;
	snprintf(report, 4400, "%s/report.json", dir);
	argv[n++] = "--report";
	argv[n++] = report;
	for (const char *s = settings; s && *s && ns < 8;) {
		size_t len = strcspn(s, ",");

		snprintf(sets[ns], 128, "%.*s", (int)len, s);
		argv[n++] = "--set";
		argv[n++] = sets[ns++];
		s += len + (s[len] == ',');
	}
	argv[n++] = "--";
	/* the command's own time limit, shorter than cli_run's: killed
	 * inside the session, so that with-vboard still stops its server
	 * (which holds our pipes) */
	argv[n++] = "timeout";
	argv[n++] = COMMAND_TIMEOUT;
	return n;
}

static void run(struct cli_result *r, const char **argv)
{
	static char env_backups[4500], env_unbrick[4300];
	const char *env[3];

	snprintf(env_backups, sizeof(env_backups), "UNBRICK_BACKUPS=%s/backups",
		 tmp_dir);
	snprintf(env_unbrick, sizeof(env_unbrick), "UNBRICK=%s", unbrick);
	env[0] = env_backups;
	env[1] = env_unbrick;
	env[2] = NULL;
	assert_int_equal(cli_run(r, env, argv, UU_TIMEOUT_S), 0);
	if (strstr(r->err, "Sanitizer") || strstr(r->err, "runtime error"))
		fail_msg("sanitizer report:\n%s", r->err);
}

void uu_unbrick(struct cli_result *r, const char *dir, const char *board,
		const char *settings, ...)
{
	const char *argv[64];
	char sets[8][128], report[4400], tty[4400];
	unsigned n = session(argv, sets, report, dir, board, settings);
	va_list ap;

	uu_path(tty, sizeof(tty), dir, "tty");
	argv[n++] = unbrick;
	argv[n++] = "-B";
	argv[n++] = board;
	argv[n++] = "-I";
	argv[n++] = "uart";
	argv[n++] = "-p";
	argv[n++] = tty;
	va_start(ap, settings);
	for (const char *a = va_arg(ap, const char *); a && n < 62;
	     a = va_arg(ap, const char *))
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	run(r, argv);
}

void uu_shell(struct cli_result *r, const char *dir, const char *board,
	      const char *settings, const char *script)
{
	const char *argv[64];
	char sets[8][128], report[4400], full[8192];
	unsigned n = session(argv, sets, report, dir, board, settings);

	snprintf(full, sizeof(full),
		 "TTY=$UB_VBOARD_TTY; STM32FLASH='stm32flash -b 115200'; %s",
		 script);
	argv[n++] = "sh";
	argv[n++] = "-c";
	argv[n++] = full;
	argv[n] = NULL;
	run(r, argv);
}

void uu_status(const struct cli_result *r, int want)
{
	if (r->status != want)
		fail_msg("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s",
			 r->status, want, r->out, r->err);
}

void uu_has(const char *s, const char *part)
{
	char *sq = cli_squash(s);
	bool ok = strstr(s, part) || strstr(sq, part);

	free(sq);
	if (!ok)
		fail_msg("---\n%s---\ndoes not contain '%s'", s, part);
}

void uu_lacks(const char *s, const char *part)
{
	if (strstr(s, part))
		fail_msg("---\n%s---\ncontains '%s'", s, part);
}

long uu_report(const char *dir, const char *key)
{
	char path[4400], obj[64], name[64];
	const char *dot = strchr(key, '.'), *p;
	uint8_t *rep;
	size_t n;
	long v;

	uu_path(path, sizeof(path), dir, "report.json");
	rep = uu_read(path, &n);
	p = (const char *)rep;
	if (dot) {
		snprintf(obj, sizeof(obj), "\"%.*s\":{", (int)(dot - key), key);
		p = strstr(p, obj);
		key = dot + 1;
	}
	snprintf(name, sizeof(name), "\"%s\":", key);
	p = p ? strstr(p, name) : NULL;
	if (!p)
		fail_msg("no %s in %s", key, (char *)rep);
	v = strtol(p + strlen(name), NULL, 10);
	free(rep);
	return v;
}
