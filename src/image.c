// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Image loading: picks the format, lets its parser collect pieces of data,
 * then sorts them, rejects overlaps naming both places, and merges touching
 * pieces into segments.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "ub/err.h"
#include "ub/image.h"

/* Larger than any STM32 plus its companion flash; bounds what we read. */
#define MAX_FILE (256u << 20)

struct ub_chunk {
	uint32_t addr;
	uint32_t len;
	unsigned long loc;
	size_t off; /* into the arena */
};

struct ub_image_build {
	const char *loc_kind;
	struct ub_chunk *chunk;
	size_t nchunk, chunk_cap;
	uint8_t *arena;
	size_t arena_len, arena_cap;
};

static const struct ub_image_fmt *const formats[] = {
	&ub_image_fmt_elf, &ub_image_fmt_ihex, &ub_image_fmt_srec,
	&ub_image_fmt_bin, /* last: it takes anything */
};

static const struct {
	const char *ext;
	enum ub_image_format fmt;
} extensions[] = {
	{"bin", UB_FMT_BIN},  {"hex", UB_FMT_IHEX},  {"ihex", UB_FMT_IHEX},
	{"ihx", UB_FMT_IHEX}, {"srec", UB_FMT_SREC}, {"s19", UB_FMT_SREC},
	{"s28", UB_FMT_SREC}, {"s37", UB_FMT_SREC},  {"mot", UB_FMT_SREC},
	{"elf", UB_FMT_ELF},  {"axf", UB_FMT_ELF},
};

static const struct ub_image_fmt *fmt_ops(enum ub_image_format fmt)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (formats[i]->format == fmt)
			return formats[i];
	return NULL;
}

const char *ub_image_format_name(enum ub_image_format fmt)
{
	switch (fmt) {
	case UB_FMT_BIN:
		return "bin";
	case UB_FMT_IHEX:
		return "ihex";
	case UB_FMT_SREC:
		return "srec";
	case UB_FMT_ELF:
		return "elf";
	default:
		return "auto";
	}
}

const char *ub_image_format_desc(enum ub_image_format fmt)
{
	static const char *const desc[] = {
		[UB_FMT_AUTO] = "an image",
		[UB_FMT_BIN] = "raw binary",
		[UB_FMT_IHEX] = "Intel HEX",
		[UB_FMT_SREC] = "Motorola S-record",
		[UB_FMT_ELF] = "ELF executable",
	};

	return desc[fmt];
}

enum ub_image_format ub_image_format_from_name(const char *name)
{
	for (int f = UB_FMT_BIN; f <= UB_FMT_ELF; f++)
		if (!strcmp(name, ub_image_format_name(f)))
			return f;
	return UB_FMT_AUTO;
}

enum ub_image_format ub_image_detect(const char *path, const void *buf,
				     size_t len)
{
	const char *dot = path ? strrchr(path, '.') : NULL;

	if (dot && !strchr(dot, '/'))
		for (size_t i = 0;
		     i < sizeof(extensions) / sizeof(extensions[0]); i++)
			if (!strcasecmp(dot + 1, extensions[i].ext))
				return extensions[i].fmt;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (formats[i]->sniff(buf, len))
			return formats[i]->format;
	return UB_FMT_BIN;
}

int ub_image_add(struct ub_image *img, uint32_t addr, const uint8_t *data,
		 size_t len, unsigned long loc, const char *name)
{
	struct ub_image_build *b = img->build;
	struct ub_chunk *c;

	if (!len)
		return 0;
	if ((uint64_t)addr + len > 0x100000000ull)
		return ub_fail(
			UB_ERANGE,
			"%s: %s %lu: data at 0x%08X runs past the end of "
			"the 32-bit address space; the file is corrupt",
			name, b->loc_kind, loc, addr);
	if (b->nchunk == b->chunk_cap) {
		size_t cap = b->chunk_cap ? 2 * b->chunk_cap : 64;

		c = realloc(b->chunk, cap * sizeof(*c));
		if (!c)
			return ub_fail(UB_ENOMEM, "%s: out of memory", name);
		b->chunk = c;
		b->chunk_cap = cap;
	}
	if (b->arena_cap - b->arena_len < len) {
		size_t cap = b->arena_cap ? b->arena_cap : 4096;
		uint8_t *a;

		while (cap - b->arena_len < len)
			cap *= 2;
		a = realloc(b->arena, cap);
		if (!a)
			return ub_fail(UB_ENOMEM, "%s: out of memory", name);
		b->arena = a;
		b->arena_cap = cap;
	}
	memcpy(b->arena + b->arena_len, data, len);
	c = &b->chunk[b->nchunk++];
	c->addr = addr;
	c->len = (uint32_t)len;
	c->loc = loc;
	c->off = b->arena_len;
	b->arena_len += len;
	return 0;
}

static int chunk_cmp(const void *a, const void *b)
{
	const struct ub_chunk *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->loc < y->loc ? -1 : x->loc > y->loc;
}

/* Sort the chunks, refuse overlaps, build merged segments. */
static int finish(struct ub_image *img, const char *name)
{
	struct ub_image_build *b = img->build;
	size_t nseg = 0, i, s;
	uint64_t end = 0;
	const struct ub_chunk *far = NULL; /* the chunk that reaches `end` */

	if (b->nchunk)
		qsort(b->chunk, b->nchunk, sizeof(*b->chunk), chunk_cmp);
	for (i = 0; i < b->nchunk; i++) {
		const struct ub_chunk *c = &b->chunk[i];

		if (far && c->addr < end) {
			uint32_t lo = c->addr;
			uint64_t hi = (uint64_t)c->addr + c->len < end
					      ? (uint64_t)c->addr + c->len
					      : end;

			return ub_fail(
				UB_EOVERLAP,
				"%s: %s %lu and %s %lu both hold data for "
				"0x%08X-0x%08X; the image is inconsistent "
				"(check how it was built or merged)",
				name, b->loc_kind, far->loc, b->loc_kind,
				c->loc, lo, (uint32_t)(hi - 1));
		}
		if (!far || c->addr > end)
			nseg++;
		end = (uint64_t)c->addr + c->len;
		far = c;
	}
	img->seg = calloc(nseg ? nseg : 1, sizeof(*img->seg));
	if (!img->seg)
		return ub_fail(UB_ENOMEM, "%s: out of memory", name);
	/* First pass sizes the segments, second fills them. */
	for (i = 0, s = 0; i < b->nchunk; i++) {
		const struct ub_chunk *c = &b->chunk[i];
		struct ub_segment *g = &img->seg[s ? s - 1 : 0];

		if (s && (uint64_t)g->addr + g->size == c->addr) {
			g->size += c->len;
			continue;
		}
		img->seg[s].addr = c->addr;
		img->seg[s].size = c->len;
		s++;
	}
	img->nseg = s;
	for (s = 0; s < img->nseg; s++) {
		img->seg[s].data = malloc(img->seg[s].size);
		if (!img->seg[s].data)
			return ub_fail(UB_ENOMEM, "%s: out of memory", name);
	}
	for (i = 0, s = 0; i < b->nchunk; i++) {
		const struct ub_chunk *c = &b->chunk[i];

		while (c->addr >= img->seg[s].addr + (uint64_t)img->seg[s].size)
			s++;
		memcpy(img->seg[s].data + (c->addr - img->seg[s].addr),
		       b->arena + c->off, c->len);
	}
	return 0;
}

static void build_free(struct ub_image *img)
{
	if (!img->build)
		return;
	free(img->build->chunk);
	free(img->build->arena);
	free(img->build);
	img->build = NULL;
}

int ub_image_load_mem(struct ub_image *img, const void *buf, size_t len,
		      enum ub_image_format fmt, uint32_t base, const char *name)
{
	const struct ub_image_fmt *ops;
	int err;

	memset(img, 0, sizeof(*img));
	if (fmt == UB_FMT_AUTO)
		fmt = ub_image_detect(name, buf, len);
	ops = fmt_ops(fmt);
	if (!ops)
		return ub_fail(UB_EINVAL, "%s: unknown image format", name);
	if (!len)
		return ub_fail(UB_EFORMAT, "%s: the file is empty", name);
	img->build = calloc(1, sizeof(*img->build));
	if (!img->build)
		return ub_fail(UB_ENOMEM, "%s: out of memory", name);
	img->build->loc_kind = ops->loc_kind;
	img->format = fmt;
	err = ops->parse(img, buf, len, base, name);
	if (!err)
		err = finish(img, name);
	build_free(img);
	if (err)
		ub_image_free(img);
	return err;
}

int ub_image_load_file(struct ub_image *img, const char *path,
		       enum ub_image_format fmt, uint32_t base)
{
	struct stat st;
	uint8_t *buf;
	size_t got;
	FILE *f;
	int err;

	memset(img, 0, sizeof(*img));
	f = fopen(path, "rb");
	if (!f)
		return ub_fail(errno == ENOENT ? UB_ENOENT : UB_EIO,
			       "cannot open image %s: %s", path,
			       strerror(errno));
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		fclose(f);
		return ub_fail(UB_EIO, "%s is not a regular file", path);
	}
	if ((uint64_t)st.st_size > MAX_FILE) {
		fclose(f);
		return ub_fail(UB_ERANGE,
			       "%s is %lld bytes, more than any STM32 and its "
			       "companion flash can hold; wrong file?",
			       path, (long long)st.st_size);
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf) {
		fclose(f);
		return ub_fail(UB_ENOMEM, "%s: out of memory", path);
	}
	got = fread(buf, 1, st.st_size, f);
	if (got != (size_t)st.st_size || ferror(f)) {
		err = ub_fail(UB_EIO, "cannot read %s: %s", path,
			      strerror(errno ? errno : EIO));
		goto free_buf;
	}
	err = ub_image_load_mem(img, buf, got, fmt, base, path);
free_buf:
	free(buf);
	fclose(f);
	return err;
}

void ub_image_free(struct ub_image *img)
{
	build_free(img);
	for (size_t i = 0; i < img->nseg; i++)
		free(img->seg[i].data);
	free(img->seg);
	img->seg = NULL;
	img->nseg = 0;
}

uint64_t ub_image_size(const struct ub_image *img)
{
	uint64_t n = 0;

	for (size_t i = 0; i < img->nseg; i++)
		n += img->seg[i].size;
	return n;
}
