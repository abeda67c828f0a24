// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writing a manifest and the files it lists (each atomically, mode 0600:
 * they may hold private keys), and reading a listed file back with its
 * checks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ub/crc32.h"
#include "ub/err.h"
#include "ub/manifest.h"

/* Make the rename of a file in dir durable. */
static void sync_dir(const char *path)
{
	char dir[4200], *slash;
	int fd;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		strcpy(dir, ".");
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int ub_write_file_atomic(const char *path, const void *buf, size_t len,
			 unsigned mode)
{
	const uint8_t *p = buf;
	char tmp[4300];
	size_t done = 0;
	int fd, e = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return ub_fail(UB_EIO, "cannot write %s: %s", tmp,
			       strerror(errno));
	if (fchmod(fd, mode))
		e = errno;
	while (!e && done < len) {
		ssize_t w = write(fd, p + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			e = w < 0 ? errno : ENOSPC;
		else
			done += (size_t)w;
	}
	if (!e && fsync(fd))
		e = errno;
	if (close(fd) && !e)
		e = errno;
	if (!e && rename(tmp, path))
		e = errno;
	if (e) {
		unlink(tmp);
		return ub_fail(UB_EIO, "cannot write %s: %s (disk full?)", path,
			       strerror(e));
	}
	sync_dir(path);
	return 0;
}

static void file_path(const struct ub_manifest *m, const char *name, char *buf,
		      size_t n)
{
	if (name[0] == '/')
		snprintf(buf, n, "%s", name);
	else
		snprintf(buf, n, "%s/%s", m->dir, name);
}

int ub_manifest_add(struct ub_manifest *m, const char *name, const char *region,
		    enum ub_mf_space space, uint32_t addr, const void *buf,
		    size_t len)
{
	struct ub_mf_file *f;
	char path[4300];
	int err;

	if (m->nfile == UB_MF_MAX_FILES ||
	    (region && m->nregion == UB_MF_MAX_FILES))
		return ub_fail(UB_ERANGE, "too many files in one manifest");
	if (strlen(name) >= UB_MF_NAME_MAX ||
	    (region && strlen(region) >= UB_NAME_MAX))
		return ub_fail(UB_EINVAL, "file name %s is too long", name);
	file_path(m, name, path, sizeof(path));
	err = ub_write_file_atomic(path, buf, len, 0600);
	if (err)
		return err;
	f = &m->file[m->nfile];
	memset(f, 0, sizeof(*f));
	strcpy(f->name, name);
	f->space = space;
	f->addr = addr;
	f->size = (uint32_t)len;
	f->crc32 = ub_crc32(0, buf, len);
	ub_sha256(buf, len, f->sha256);
	f->has_addr = f->has_size = f->has_crc = f->has_sha = true;
	if (region) {
		struct ub_mf_region *r = &m->region[m->nregion++];

		strcpy(r->name, region);
		r->file = m->nfile;
	}
	m->nfile++;
	return 0;
}

/* A growing text. */
struct text {
	char *s;
	size_t len, cap;
	bool oom;
};

static void put(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->s ? t->s + t->len : NULL,
			      t->s ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0 || t->oom)
			return;
		if (t->s && t->len + (size_t)n < t->cap) {
			t->len += (size_t)n;
			return;
		}
		t->cap = (t->cap + (size_t)n + 1) * 2;
		char *s = realloc(t->s, t->cap);

		if (!s) {
			t->oom = true;
			return;
		}
		t->s = s;
	}
}

/* key = value, for a value that must stay on its line. */
static void put_str(struct text *t, const char *key, const char *v)
{
	char buf[UB_TEXT_MAX + 8];

	if (!v[0])
		return;
	snprintf(buf, sizeof(buf), "%s", v);
	for (char *c = buf; *c; c++)
		if (*c == '\n' || *c == '\r' || (*c == '#' && c > buf))
			*c = ' ';
	put(t, "%s = %s\n", key, buf);
}

static void put_file(struct text *t, const struct ub_mf_file *f)
{
	put(t, "\n[file %s]\n", f->name);
	if (f->space != UB_MF_NONE)
		put(t, "space = %s\n", ub_mf_space_name(f->space));
	if (f->has_addr && f->has_size && f->size)
		put(t, "range = 0x%08X-0x%08X\n", f->addr,
		    f->addr + f->size - 1);
	else if (f->has_addr)
		put(t, "address = 0x%08X\n", f->addr);
	if (f->has_size)
		put(t, "size = %u\n", f->size);
	if (f->has_crc)
		put(t, "crc32 = 0x%08X\n", f->crc32);
	if (f->has_sha) {
		char hex[65];

		ub_sha256_hex(f->sha256, hex);
		put(t, "sha256 = %s\n", hex);
	}
}

char *ub_manifest_format(const struct ub_manifest *m)
{
	struct text t = {0};
	bool backup = m->kind == UB_MF_BACKUP;

	if (backup)
		put(&t, "# unbrick backup: what the board held, and how to "
			"check it.\n# Put it back with: unbrick restore "
			"DIRECTORY\n");
	put(&t, "[%s]\n", backup ? "backup" : "bundle");
	put_str(&t, "board", m->board);
	put_str(&t, "variant", m->variant);
	put_str(&t, "description", m->description);
	put_str(&t, "chip", m->chip);
	if (m->has_dev_id)
		put(&t, "dev_id = 0x%03X\n", m->dev_id);
	if (m->has_flash_size && m->flash_size % 1024)
		put(&t, "flash_size = %u\n", m->flash_size);
	else if (m->has_flash_size)
		put(&t, "flash_size = %uK\n", m->flash_size / 1024);
	if (m->has_uid) {
		put(&t, "uid = ");
		for (int i = 0; i < 12; i++)
			put(&t, "%02X", m->uid[i]);
		put(&t, "\n");
	}
	put_str(&t, "interface", m->iface);
	put_str(&t, "time", m->time);
	put_str(&t, "tool", m->tool);
	if (m->nregion)
		put(&t, "\n[regions]\n");
	for (unsigned i = 0; i < m->nregion; i++)
		put(&t, "%s = %s\n", m->region[i].name,
		    m->file[m->region[i].file].name);
	for (unsigned i = 0; i < m->nfile; i++) {
		const struct ub_mf_file *f = &m->file[i];

		if (f->space != UB_MF_NONE || f->has_size || f->has_crc ||
		    f->has_sha)
			put_file(&t, f);
	}
	if (t.oom) {
		free(t.s);
		return NULL;
	}
	return t.s;
}

int ub_manifest_save(const struct ub_manifest *m)
{
	char path[4300], *text = ub_manifest_format(m);
	int err;

	if (!text)
		return ub_fail(UB_ENOMEM, "out of memory");
	snprintf(path, sizeof(path), "%s/%s", m->dir, UB_MANIFEST_NAME);
	err = ub_write_file_atomic(path, text, strlen(text), 0600);
	free(text);
	return err;
}

static int check(const struct ub_manifest *m, const struct ub_mf_file *f,
		 const char *path, const uint8_t *buf, size_t len)
{
	uint8_t sum[UB_SHA256_LEN];

	if (f->has_size && len != f->size)
		return ub_fail(UB_EFORMAT,
			       "%s is %zu bytes, but %s:%u says %u: the wrong "
			       "file, or a damaged one",
			       path, len, m->path, f->line, f->size);
	if (f->has_crc && ub_crc32(0, buf, len) != f->crc32)
		return ub_fail(UB_EFORMAT,
			       "%s: its CRC-32 is 0x%08X, but %s:%u says "
			       "0x%08X: the file was changed or damaged",
			       path, ub_crc32(0, buf, len), m->path, f->line,
			       f->crc32);
	if (f->has_sha) {
		ub_sha256(buf, len, sum);
		if (memcmp(sum, f->sha256, sizeof(sum)))
			return ub_fail(UB_EFORMAT,
				       "%s: its SHA-256 differs from the one "
				       "in %s:%u: the file was changed or "
				       "damaged",
				       path, m->path, f->line);
	}
	return 0;
}

int ub_manifest_read(const struct ub_manifest *m, const struct ub_mf_file *f,
		     uint8_t **buf, size_t *len)
{
	char path[4300];
	struct stat st;
	FILE *fp;
	int err;

	*buf = NULL;
	*len = 0;
	file_path(m, f->name, path, sizeof(path));
	fp = fopen(path, "rb");
	if (!fp || fstat(fileno(fp), &st) || !S_ISREG(st.st_mode)) {
		err = ub_fail(UB_ENOENT, "cannot read %s (named in %s:%u): %s",
			      path, m->path, f->line,
			      fp ? "not a file" : strerror(errno));
		if (fp)
			fclose(fp);
		return err;
	}
	if (st.st_size > 64 << 20) {
		fclose(fp);
		return ub_fail(UB_ERANGE,
			       "%s is %lld bytes: too big for "
			       "any board unbrick knows",
			       path, (long long)st.st_size);
	}
	*len = (size_t)st.st_size;
	*buf = malloc(*len ? *len : 1);
	if (!*buf) {
		fclose(fp);
		return ub_fail(UB_ENOMEM, "out of memory");
	}
	if (fread(*buf, 1, *len, fp) != *len)
		err = ub_fail(UB_EIO, "cannot read %s", path);
	else
		err = check(m, f, path, *buf, *len);
	fclose(fp);
	if (err) {
		free(*buf);
		*buf = NULL;
	}
	return err;
}
