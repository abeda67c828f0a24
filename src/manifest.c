// SPDX-License-Identifier: GPL-2.0-or-later
/* Reading a backup's or a bundle's manifest (format in ub/manifest.h). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "ub/err.h"
#include "ub/manifest.h"
#include "ub/num.h"

enum section { SEC_NONE, SEC_HEAD, SEC_REGIONS, SEC_FILE };

struct parser {
	struct ub_manifest *m;
	unsigned line;
	enum section sec;
	struct ub_mf_file *file; /* the [file NAME] being read */
	unsigned seen;		 /* header keys or file keys given, by bit */
	bool has_section[UB_MF_MAX_FILES]; /* [file NAME] seen for file[i] */
};

static const char *const space_names[] = {
	[UB_MF_MCU] = "mcu", [UB_MF_SPI] = "spi", [UB_MF_OPTION] = "option",
	[UB_MF_UID] = "uid", [UB_MF_NONE] = "",
};

const char *ub_mf_space_name(enum ub_mf_space s)
{
	return s <= UB_MF_NONE ? space_names[s] : "?";
}

static int perr(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int perr(struct parser *p, const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return ub_fail(UB_EFORMAT, "%s:%u: %s", p->m->path, p->line, what);
}

static int copy(struct parser *p, char *dst, size_t n, const char *v,
		const char *what)
{
	if (strlen(v) >= n)
		return perr(p, "%s is too long (at most %zu characters)", what,
			    n - 1);
	strcpy(dst, v);
	return 0;
}

static int hex_bytes(const char *v, uint8_t *out, size_t n)
{
	if (strlen(v) != 2 * n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned x;

		if (!isxdigit((unsigned char)v[2 * i]) ||
		    !isxdigit((unsigned char)v[2 * i + 1]) ||
		    sscanf(v + 2 * i, "%2x", &x) != 1)
			return -1;
		out[i] = (uint8_t)x;
	}
	return 0;
}

static bool is_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_.", *s))
			return false;
	return true;
}

/* The header's keys, in the order they are written. */
enum head_key {
	H_BOARD,
	H_VARIANT,
	H_DESCRIPTION,
	H_CHIP,
	H_DEV_ID,
	H_FLASH_SIZE,
	H_UID,
	H_INTERFACE,
	H_TIME,
	H_TOOL,
	H_N
};

static const char *const head_keys[H_N] = {
	"board",      "variant", "description", "chip", "dev_id",
	"flash_size", "uid",	 "interface",	"time", "tool",
};

static int head_value(struct parser *p, const char *k, const char *v)
{
	struct ub_manifest *m = p->m;
	uint32_t n;
	int key = -1;

	for (int i = 0; i < H_N; i++)
		if (!strcmp(k, head_keys[i]))
			key = i;
	if (key < 0)
		return perr(p,
			    "unknown key '%s' (known: board, variant, "
			    "description, chip, dev_id, flash_size, uid, "
			    "interface, time, tool)",
			    k);
	if (p->seen & 1u << key)
		return perr(p, "'%s' is given twice", k);
	p->seen |= 1u << key;
	switch (key) {
	case H_BOARD:
		if (!is_name(v))
			return perr(p, "'%s' is not a board name", v);
		return copy(p, m->board, sizeof(m->board), v, "the board");
	case H_VARIANT:
		return copy(p, m->variant, sizeof(m->variant), v, "variant");
	case H_DESCRIPTION:
		return copy(p, m->description, sizeof(m->description), v,
			    "description");
	case H_CHIP:
		return copy(p, m->chip, sizeof(m->chip), v, "chip");
	case H_DEV_ID:
		if (ub_parse_u32(v, &n) || n > 0xFFF)
			return perr(p, "dev_id '%s' is not a DEV_ID (0x410)",
				    v);
		m->dev_id = (uint16_t)n;
		m->has_dev_id = true;
		return 0;
	case H_FLASH_SIZE:
		if (ub_parse_size(v, &n) || !n)
			return perr(p, "flash_size '%s' is not a size (128K)",
				    v);
		m->flash_size = n;
		m->has_flash_size = true;
		return 0;
	case H_UID:
		if (hex_bytes(v, m->uid, sizeof(m->uid)))
			return perr(p, "uid '%s' is not 24 hex digits", v);
		m->has_uid = true;
		return 0;
	case H_INTERFACE:
		if (strcmp(v, "swd") && strcmp(v, "uart"))
			return perr(p, "interface '%s' is not swd or uart", v);
		return copy(p, m->iface, sizeof(m->iface), v, "interface");
	case H_TIME:
		return copy(p, m->time, sizeof(m->time), v, "time");
	default:
		return copy(p, m->tool, sizeof(m->tool), v, "tool");
	}
}

/* The file named name: found, or a new one. */
static struct ub_mf_file *file_entry(struct parser *p, const char *name,
				     int *err)
{
	struct ub_manifest *m = p->m;
	struct ub_mf_file *f;

	for (unsigned i = 0; i < m->nfile; i++)
		if (!strcmp(m->file[i].name, name))
			return &m->file[i];
	*err = 0;
	if (m->nfile == UB_MF_MAX_FILES) {
		*err = perr(p, "too many files (at most %d)", UB_MF_MAX_FILES);
		return NULL;
	}
	f = &m->file[m->nfile];
	memset(f, 0, sizeof(*f));
	f->space = UB_MF_NONE;
	f->line = p->line;
	*err = copy(p, f->name, sizeof(f->name), name, "the file name");
	if (*err)
		return NULL;
	m->nfile++;
	return f;
}

static int region_line(struct parser *p, const char *k, const char *v)
{
	struct ub_manifest *m = p->m;
	struct ub_mf_region *r;
	struct ub_mf_file *f;
	int err = 0;

	if (!is_name(k))
		return perr(p, "'%s' is not a region name", k);
	for (unsigned i = 0; i < m->nregion; i++)
		if (!strcmp(m->region[i].name, k))
			return perr(p, "region %s is given twice (line %u)", k,
				    m->region[i].line);
	if (m->nregion == UB_MF_MAX_FILES)
		return perr(p, "too many regions (at most %d)",
			    UB_MF_MAX_FILES);
	f = file_entry(p, v, &err);
	if (!f)
		return err;
	r = &m->region[m->nregion++];
	snprintf(r->name, sizeof(r->name), "%s", k);
	r->file = (unsigned)(f - m->file);
	r->line = p->line;
	return 0;
}

enum file_key { F_SPACE, F_RANGE, F_ADDRESS, F_SIZE, F_CRC32, F_SHA256, F_N };

static const char *const file_keys[F_N] = {
	"space", "range", "address", "size", "crc32", "sha256",
};

static int file_range(struct parser *p, struct ub_mf_file *f, const char *v)
{
	char lo[40], hi[40];
	const char *dash = strchr(v, '-');
	uint32_t a, b;

	if (!dash || dash - v >= (long)sizeof(lo) ||
	    strlen(dash + 1) >= sizeof(hi))
		return perr(p,
			    "range '%s' is not FIRST-LAST "
			    "(0x08000000-0x0801FFFF)",
			    v);
	snprintf(lo, sizeof(lo), "%.*s", (int)(dash - v), v);
	snprintf(hi, sizeof(hi), "%s", dash + 1);
	if (ub_parse_u32(lo, &a) || ub_parse_u32(hi, &b) || b < a ||
	    b - a == UINT32_MAX)
		return perr(p,
			    "range '%s' is not FIRST-LAST "
			    "(0x08000000-0x0801FFFF)",
			    v);
	if (f->has_size && f->size != b - a + 1)
		return perr(p, "range %s holds %u bytes, size says %u", v,
			    b - a + 1, f->size);
	f->addr = a;
	f->has_addr = true;
	f->size = b - a + 1;
	f->has_size = true;
	return 0;
}

static int file_value(struct parser *p, const char *k, const char *v)
{
	struct ub_mf_file *f = p->file;
	uint32_t n;
	int key = -1;

	for (int i = 0; i < F_N; i++)
		if (!strcmp(k, file_keys[i]))
			key = i;
	if (key < 0)
		return perr(p,
			    "unknown key '%s' in [file %s] (known: space, "
			    "range, address, size, crc32, sha256)",
			    k, f->name);
	if (p->seen & 1u << key ||
	    (key == F_RANGE && p->seen & 1u << F_ADDRESS) ||
	    (key == F_ADDRESS && p->seen & 1u << F_RANGE))
		return perr(p, "[file %s] gives its %s twice", f->name,
			    key == F_RANGE || key == F_ADDRESS ? "place" : k);
	p->seen |= 1u << key;
	switch (key) {
	case F_SPACE:
		for (int s = UB_MF_MCU; s < UB_MF_NONE; s++)
			if (!strcmp(v, space_names[s]))
				f->space = (enum ub_mf_space)s;
		if (f->space == UB_MF_NONE)
			return perr(p,
				    "space '%s' is not mcu, spi, option or "
				    "uid",
				    v);
		return 0;
	case F_RANGE:
		return file_range(p, f, v);
	case F_ADDRESS:
		if (ub_parse_u32(v, &f->addr))
			return perr(p, "address '%s' is not a number", v);
		f->has_addr = true;
		return 0;
	case F_SIZE:
		if (ub_parse_size(v, &n))
			return perr(p, "size '%s' is not a size", v);
		if (f->has_size && f->size != n)
			return perr(p, "size %u, but the range holds %u bytes",
				    n, f->size);
		f->size = n;
		f->has_size = true;
		return 0;
	case F_CRC32:
		if (ub_parse_u32(v, &f->crc32))
			return perr(p,
				    "crc32 '%s' is not a number (0x1C291CA3)",
				    v);
		f->has_crc = true;
		return 0;
	default:
		if (hex_bytes(v, f->sha256, UB_SHA256_LEN))
			return perr(p, "sha256 '%s' is not 64 hex digits", v);
		f->has_sha = true;
		return 0;
	}
}

static int section(struct parser *p, char *s)
{
	struct ub_manifest *m = p->m;
	char *end = strchr(s, ']'), *arg;
	int err = 0;

	if (!end || end[1])
		return perr(p, "a section is written [name]");
	*end = '\0';
	arg = strchr(s + 1, ' ');
	if (arg) {
		*arg++ = '\0';
		while (*arg == ' ' || *arg == '\t')
			arg++;
	}
	s++;
	p->seen = 0;
	if (p->sec == SEC_NONE) {
		if (strcmp(s, "backup") && strcmp(s, "bundle"))
			return perr(p,
				    "a manifest starts with [backup] or "
				    "[bundle], not [%s]",
				    s);
		if (arg)
			return perr(p, "[%s] takes no name", s);
		m->kind = strcmp(s, "backup") ? UB_MF_BUNDLE : UB_MF_BACKUP;
		p->sec = SEC_HEAD;
		return 0;
	}
	if (!strcmp(s, "regions") && !arg) {
		p->sec = SEC_REGIONS;
		return 0;
	}
	if (!strcmp(s, "file") && arg && *arg) {
		p->file = file_entry(p, arg, &err);
		if (!p->file)
			return err;
		if (p->has_section[p->file - m->file])
			return perr(p, "[file %s] is given twice (line %u)",
				    arg, p->file->line);
		p->has_section[p->file - m->file] = true;
		p->file->line = p->line;
		p->sec = SEC_FILE;
		return 0;
	}
	if (!strcmp(s, "file"))
		return perr(p,
			    "[file] needs the file's name: [file flash.bin]");
	return perr(p, "unknown section [%s] (known: [regions], [file NAME])",
		    s);
}

/* One line, trimmed and without its comment. */
static int line(struct parser *p, char *s)
{
	char *eq, *k, *v, *e;

	for (e = s; *e; e++) {
		if (*e == '#' && e > s && (e[-1] == ' ' || e[-1] == '\t')) {
			*e = '\0';
			break;
		}
	}
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && strchr(" \t\r", e[-1]))
		*--e = '\0';
	if (!*s || *s == '#' || *s == ';')
		return 0;
	if (*s == '[')
		return section(p, s);
	if (p->sec == SEC_NONE)
		return perr(p, "a manifest starts with [backup] or [bundle]");
	eq = strchr(s, '=');
	if (!eq)
		return perr(p, "'%s' is not 'key = value'", s);
	k = s;
	v = eq + 1;
	for (e = eq; e > k && (e[-1] == ' ' || e[-1] == '\t'); e--)
		;
	*e = '\0';
	while (*v == ' ' || *v == '\t')
		v++;
	if (!*k)
		return perr(p, "a key is missing before '='");
	if (!*v)
		return perr(p, "'%s' has no value", k);
	if (p->sec == SEC_HEAD)
		return head_value(p, k, v);
	if (p->sec == SEC_REGIONS)
		return region_line(p, k, v);
	return file_value(p, k, v);
}

/* What a manifest must say, once read whole. */
static int complete(struct parser *p)
{
	struct ub_manifest *m = p->m;

	if (p->sec == SEC_NONE)
		return perr(p, "empty: a manifest starts with [backup] or "
			       "[bundle]");
	if (!m->board[0])
		return ub_fail(UB_EFORMAT,
			       "%s: no 'board =' in [%s]: which board is it "
			       "for?",
			       m->path,
			       m->kind == UB_MF_BACKUP ? "backup" : "bundle");
	for (unsigned i = 0; i < m->nfile; i++) {
		const struct ub_mf_file *f = &m->file[i];
		bool mapped = false;

		for (unsigned r = 0; r < m->nregion; r++)
			mapped |= m->region[r].file == i;
		p->line = f->line;
		if (f->space == UB_MF_NONE && !mapped)
			return perr(p,
				    "[file %s]: where does it go? Give its "
				    "space and range, or map a region to it "
				    "in [regions]",
				    f->name);
		if (f->space != UB_MF_NONE && !f->has_addr)
			return perr(p, "[file %s]: give its range (or address)",
				    f->name);
		if (m->kind == UB_MF_BACKUP &&
		    (f->space == UB_MF_NONE || !f->has_size))
			return perr(p,
				    "[file %s]: a backup's file needs its "
				    "space and range",
				    f->name);
	}
	return 0;
}

int ub_manifest_parse(struct ub_manifest *m, const char *text, const char *path)
{
	struct parser p = {.m = m};
	char *copy_ = strdup(text), *slash;
	int err = 0;

	memset(m, 0, sizeof(*m));
	snprintf(m->path, sizeof(m->path), "%s", path);
	snprintf(m->dir, sizeof(m->dir), "%s", path);
	slash = strrchr(m->dir, '/');
	if (slash)
		*(slash == m->dir ? slash + 1 : slash) = '\0';
	else
		strcpy(m->dir, ".");
	if (!copy_)
		return ub_fail(UB_ENOMEM, "out of memory");
	for (char *s = copy_, *nl; !err && s; s = nl) {
		nl = strchr(s, '\n');
		if (nl)
			*nl++ = '\0';
		p.line++;
		err = line(&p, s);
	}
	free(copy_);
	return err ? err : complete(&p);
}

int ub_manifest_load(struct ub_manifest *m, const char *dir_or_file)
{
	char path[4200];
	struct stat st;
	FILE *f;
	char *text;
	size_t n;
	int err;

	snprintf(path, sizeof(path), "%s", dir_or_file);
	if (!stat(path, &st) && S_ISDIR(st.st_mode))
		snprintf(path, sizeof(path), "%s/%s", dir_or_file,
			 UB_MANIFEST_NAME);
	f = fopen(path, "rb");
	if (!f || fstat(fileno(f), &st)) {
		if (f)
			fclose(f);
		return ub_fail(UB_ENOENT,
			       "cannot read %s: give a backup's directory, or "
			       "a bundle's manifest file",
			       path);
	}
	if (st.st_size > 1 << 20) {
		fclose(f);
		return ub_fail(UB_EFORMAT,
			       "%s is not a manifest (%lld bytes): give a "
			       "backup's directory or a bundle's manifest",
			       path, (long long)st.st_size);
	}
	n = (size_t)st.st_size;
	text = malloc(n + 1);
	if (!text) {
		fclose(f);
		return ub_fail(UB_ENOMEM, "out of memory");
	}
	if (fread(text, 1, n, f) != n) {
		fclose(f);
		free(text);
		return ub_fail(UB_EIO, "cannot read %s", path);
	}
	fclose(f);
	text[n] = '\0';
	if (strlen(text) != n)
		err = ub_fail(UB_EFORMAT,
			      "%s is not a manifest (it holds binary data): "
			      "give a backup's directory or a bundle's "
			      "manifest",
			      path);
	else
		err = ub_manifest_parse(m, text, path);
	free(text);
	return err;
}

const struct ub_mf_file *ub_manifest_region(const struct ub_manifest *m,
					    const char *region)
{
	for (unsigned i = 0; i < m->nregion; i++)
		if (!strcmp(m->region[i].name, region))
			return &m->file[m->region[i].file];
	return NULL;
}

const struct ub_mf_file *ub_manifest_file(const struct ub_manifest *m,
					  const char *name)
{
	for (unsigned i = 0; i < m->nfile; i++)
		if (!strcmp(m->file[i].name, name))
			return &m->file[i];
	return NULL;
}
