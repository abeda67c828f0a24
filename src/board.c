// SPDX-License-Identifier: GPL-2.0-or-later
/* Finding, loading and querying board profiles. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "board_priv.h"
#include "ub/err.h"
#include "ub/num.h"
#include "ub/pi.h"

#ifndef UB_DATADIR
#define UB_DATADIR "/usr/local/share/unbrick"
#endif

/* Search path */

static int exe_dir(char *buf, size_t n)
{
	ssize_t len = readlink("/proc/self/exe", buf, n - 1);
	char *slash;

	if (len <= 0)
		return -1;
	buf[len] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	return 0;
}

static int try_dir(const char *dir, int (*fn)(const char *, void *), void *arg)
{
	struct stat st;

	if (!*dir || stat(dir, &st) || !S_ISDIR(st.st_mode))
		return 0;
	return fn(dir, arg);
}

int ub_board_dirs(int (*fn)(const char *dir, void *arg), void *arg)
{
	const char *env = getenv("UNBRICK_BOARDS"), *home = getenv("HOME");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	char path[PATH_MAX], exe[PATH_MAX - 32];
	int ret;

	if (env && *env) {
		char copy[PATH_MAX], *save = NULL;

		snprintf(copy, sizeof(copy), "%s", env);
		for (char *d = strtok_r(copy, ":", &save); d;
		     d = strtok_r(NULL, ":", &save))
			if ((ret = try_dir(d, fn, arg)))
				return ret;
	}
	if (xdg && *xdg)
		snprintf(path, sizeof(path), "%s/unbrick/boards", xdg);
	else
		snprintf(path, sizeof(path), "%s/.config/unbrick/boards",
			 home ? home : "/nonexistent");
	if ((ret = try_dir(path, fn, arg)))
		return ret;
	if (!exe_dir(exe, sizeof(exe))) {
		snprintf(path, sizeof(path), "%s/boards", exe);
		if ((ret = try_dir(path, fn, arg)))
			return ret;
		snprintf(path, sizeof(path), "%s/../share/unbrick/boards", exe);
		if ((ret = try_dir(path, fn, arg)))
			return ret;
	}
	return try_dir(UB_DATADIR "/boards", fn, arg);
}

struct lookup {
	const char *name;
	char path[PATH_MAX];
};

static int find_in(const char *dir, void *arg)
{
	struct lookup *l = arg;
	struct stat st;

	snprintf(l->path, sizeof(l->path), "%s/%s.conf", dir, l->name);
	return !stat(l->path, &st) && S_ISREG(st.st_mode);
}

static char *read_text(const char *path, int *err)
{
	struct stat st;
	char *buf = NULL;
	FILE *f = fopen(path, "r");

	if (!f) {
		*err = ub_fail(errno == ENOENT ? UB_ENOENT : UB_EIO,
			       "cannot open board profile %s: %s", path,
			       strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) ||
	    st.st_size > 256 * 1024) {
		*err = ub_fail(UB_ECONFIG,
			       "%s: not a board profile (not a "
			       "regular file, or over 256 KiB)",
			       path);
		goto close_file;
	}
	buf = malloc(st.st_size + 1);
	if (!buf) {
		*err = ub_fail(UB_ENOMEM, "out of memory");
		goto close_file;
	}
	if (fread(buf, 1, st.st_size, f) != (size_t)st.st_size) {
		*err = ub_fail(UB_EIO, "cannot read %s", path);
		goto free_buf;
	}
	buf[st.st_size] = '\0';
	if (strlen(buf) != (size_t)st.st_size) {
		*err = ub_fail(UB_ECONFIG, "%s: not a text file", path);
		goto free_buf;
	}
	fclose(f);
	return buf;
free_buf:
	free(buf);
	buf = NULL;
close_file:
	fclose(f);
	return NULL;
}

static bool is_path(const char *s)
{
	size_t n = strlen(s);

	return strchr(s, '/') || (n > 5 && !strcmp(s + n - 5, ".conf"));
}

/* The profile's name is its file name without .conf. */
static void name_from_path(struct ub_board *b, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".conf"))
		n -= 5;
	if (n >= sizeof(b->name))
		n = sizeof(b->name) - 1;
	memcpy(b->name, base, n);
	b->name[n] = '\0';
}

static int load_base_file(struct ub_board *b, const char *name, int depth,
			  unsigned line);

static int parse_file(struct ub_board *b, const char *path, int depth)
{
	int err = 0;
	char *text = read_text(path, &err);

	if (!text)
		return err;
	err = ub_board_parse_into(b, text, path, depth, load_base_file);
	free(text);
	return err;
}

static int load_base_file(struct ub_board *b, const char *name, int depth,
			  unsigned line)
{
	struct lookup l = {.name = name};

	/* 'base' is the first key, so the file saying it is the last read */
	if (!ub_board_dirs(find_in, &l))
		return ub_fail(UB_ECONFIG,
			       "%s:%u: base profile '%s' not found "
			       "(see 'unbrick boards')",
			       b->file[b->nfile - 1], line, name);
	if (depth == 1) /* the direct base, not the base's base */
		snprintf(b->base, sizeof(b->base), "%s", name);
	return parse_file(b, l.path, depth);
}

static struct ub_board *board_new(const char *path)
{
	struct ub_board *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->default_iface = -1;
	b->at.line = 1; /* a profile without [board]: blame its first line */
	name_from_path(b, path);
	return b;
}

struct ub_board *ub_board_parse(const char *text, const char *path, int *err)
{
	struct ub_board *b = board_new(path);

	if (!b) {
		*err = ub_fail(UB_ENOMEM, "out of memory");
		return NULL;
	}
	*err = ub_board_parse_into(b, text, path, 0, load_base_file);
	if (!*err)
		*err = ub_board_check(b);
	if (*err) {
		free(b);
		return NULL;
	}
	return b;
}

struct ub_board *ub_board_load(const char *name, int *err)
{
	struct lookup l = {.name = name};
	struct ub_board *b;
	char *text;

	if (!is_path(name)) {
		if (!ub_board_dirs(find_in, &l)) {
			*err = ub_fail(UB_ENOENT,
				       "no board profile '%s': see "
				       "'unbrick boards' for the known ones, "
				       "or give the path of a .conf file",
				       name);
			return NULL;
		}
		name = l.path;
	}
	text = read_text(name, err);
	if (!text)
		return NULL;
	b = ub_board_parse(text, name, err);
	free(text);
	return b;
}

void ub_board_free(struct ub_board *b)
{
	free(b);
}

int ub_board_set_pin(struct ub_board *b, const char *assignment)
{
	const char *eq = strchr(assignment, '=');
	char role[UB_NAME_MAX];
	struct ub_board_pin *pin;
	size_t n = eq ? (size_t)(eq - assignment) : 0;
	int pi, modem = UB_MODEM_NONE;
	bool inverted = false;

	if (!eq || !n || n >= sizeof(role))
		return ub_fail(UB_EUSAGE,
			       "--pin takes ROLE=PIN, for example "
			       "--pin nrst=GPIO24 or --pin boot0=pin16");
	memcpy(role, assignment, n);
	role[n] = '\0';
	if (ub_pin_kind_of(role) != UB_PIN_LINE)
		return ub_fail(UB_EUSAGE,
			       "--pin %s: only GPIO lines can be "
			       "moved (swclk, swdio, nrst, boot0, spi_*, or a "
			       "board button)",
			       role);
	if (ub_modem_parse(eq + 1, &modem, &inverted) == 0)
		pi = 0;
	else if ((pi = ub_pi_pin_parse(eq + 1)) < 0)
		return ub_fail(UB_EUSAGE,
			       "--pin %s: %s (or rts, dtr, !rts, "
			       "!dtr: a USB-serial adapter's line)",
			       role, ub_errmsg(pi));
	else if (ub_pi_pin(pi)->kind != UB_PI_GPIO)
		return ub_fail(UB_EUSAGE,
			       "--pin %s: pin %d is a power or "
			       "ground pin, not a GPIO",
			       role, pi);
	pin = (struct ub_board_pin *)ub_board_pin(b, role);
	if (!pin) {
		if (b->npin == UB_MAX_PINS)
			return ub_fail(UB_EUSAGE, "too many pins");
		pin = &b->pin[b->npin++];
		memset(pin, 0, sizeof(*pin));
		strcpy(pin->role, role);
		pin->kind = UB_PIN_LINE;
		pin->ifaces = (1u << UB_IFACE_N) - 1;
		pin->open_drain = !strcmp(role, "nrst");
		snprintf(pin->note, sizeof(pin->note), "set with --pin");
	}
	pin->pi = pi;
	pin->modem = modem;
	pin->modem_inverted = inverted;
	return 0;
}

int ub_modem_parse(const char *s, int *line, bool *inverted)
{
	*inverted = *s == '!';
	s += *inverted;
	if (!strcasecmp(s, "rts"))
		*line = UB_MODEM_RTS;
	else if (!strcasecmp(s, "dtr"))
		*line = UB_MODEM_DTR;
	else
		return -1;
	return 0;
}

const char *ub_modem_name(int line, bool inverted)
{
	if (line == UB_MODEM_RTS)
		return inverted ? "inverted RTS" : "RTS";
	if (line == UB_MODEM_DTR)
		return inverted ? "inverted DTR" : "DTR";
	return "none";
}
