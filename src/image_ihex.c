// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Intel HEX: one record per line, ":" then hex digits for a byte count, a
 * 16-bit offset, a record type, the data and a checksum that makes all the
 * bytes add up to zero. Types 00 (data), 01 (end of file), 02 (extended
 * segment address), 03 (start segment address), 04 (extended linear address)
 * and 05 (start linear address), as Intel's specification defines them.
 *
 * A file without 02 or 04 records is addressed as segment 0: data wraps
 * inside the first 64 KB, as in the original 16-bit format.
 */
#include <stdio.h>
#include <string.h>

#include "ub/err.h"
#include "ub/image.h"
#include "image_text.h"

#define REC_MAX (255 + 5) /* count, offset (2), type, data, checksum */

enum {
	T_DATA = 0,
	T_EOF = 1,
	T_EXT_SEG = 2,
	T_START_SEG = 3,
	T_EXT_LIN = 4,
	T_START_LIN = 5,
};

/* Check the syntax of a record line and decode its bytes into rec. */
static int decode(const struct ub_text_line *l, uint8_t *rec, size_t *nrec,
		  const char *name)
{
	size_t nd = l->n - 1, i, want = 0;
	uint8_t sum = 0;
	char c[16];

	for (i = 1; i < l->n; i++)
		if (ub_text_hexval(l->p[i]) < 0)
			return ub_fail(
				UB_EFORMAT,
				"%s: line %lu: %s at column %zu is not a "
				"hex digit; the file is corrupt or not "
				"Intel HEX",
				name, l->no, ub_text_show(l->p[i], c),
				l->col + i);
	if (nd >= 2)
		want = 2 * (5 + (size_t)(ub_text_hexval(l->p[1]) << 4 |
					 ub_text_hexval(l->p[2])));
	if (l->cut && (nd % 2 || nd < 10 || nd < want))
		return ub_fail(
			UB_EFORMAT,
			"%s: line %lu: the record stops in the middle at "
			"the end of the file; the file is truncated "
			"(copy or export it again)",
			name, l->no);
	if (nd % 2)
		return ub_fail(
			UB_EFORMAT,
			"%s: line %lu: odd number of hex digits (%zu); "
			"a digit is missing or extra, the file is corrupt",
			name, l->no, nd);
	if (nd < 10)
		return ub_fail(UB_EFORMAT,
			       "%s: line %lu: the record has %zu bytes, fewer "
			       "than the 5 every record needs; the file is "
			       "corrupt",
			       name, l->no, nd / 2);
	if (nd != want)
		return ub_fail(UB_EFORMAT,
			       "%s: line %lu: the byte count says %zu data "
			       "bytes but the line holds %zu; the file is "
			       "corrupt",
			       name, l->no, want / 2 - 5, nd / 2 - 5);
	*nrec = nd / 2;
	for (i = 0; i < *nrec; i++) {
		rec[i] = ub_text_hexval(l->p[1 + 2 * i]) << 4 |
			 ub_text_hexval(l->p[2 + 2 * i]);
		if (i + 1 < *nrec)
			sum += rec[i];
	}
	if ((uint8_t)(sum + rec[*nrec - 1]))
		return ub_fail(
			UB_EFORMAT,
			"%s: line %lu: checksum is 0x%02X but the record "
			"needs 0x%02X; the file is corrupt (re-download "
			"or re-export it)",
			name, l->no, rec[*nrec - 1], (uint8_t)-sum);
	return 0;
}

static const char *const type_name[] = {
	"00 (data)",
	"01 (end of file)",
	"02 (extended segment address)",
	"03 (start segment address)",
	"04 (extended linear address)",
	"05 (start linear address)",
};

static const uint8_t type_len[] = {0, 0, 2, 4, 2, 4};

struct ihex {
	uint32_t base; /* from 02 or 04 */
	bool wrap;     /* 02 (or none): offsets wrap inside 64 KB */
	unsigned long entry_line;
	uint64_t nbytes; /* data bytes so far */
};

static int set_entry(struct ub_image *img, struct ihex *h, uint32_t entry,
		     const struct ub_text_line *l, const char *name)
{
	if (img->has_entry && img->entry != entry)
		return ub_fail(UB_EFORMAT,
			       "%s: line %lu: start address 0x%08X differs "
			       "from 0x%08X on line %lu; the file is "
			       "inconsistent (check how it was merged)",
			       name, l->no, entry, img->entry, h->entry_line);
	img->has_entry = true;
	img->entry = entry;
	h->entry_line = l->no;
	return 0;
}

static int record(struct ub_image *img, struct ihex *h, const uint8_t *rec,
		  const struct ub_text_line *l, const char *name)
{
	uint32_t off = (uint32_t)rec[1] << 8 | rec[2];
	const uint8_t *d = rec + 4;
	uint8_t type = rec[3], n = rec[0];
	uint32_t first;
	int err;

	if (type > T_START_LIN)
		return ub_fail(
			UB_EFORMAT,
			"%s: line %lu: record type 0x%02X is not an Intel "
			"HEX type (00 to 05); the file is corrupt or not "
			"Intel HEX",
			name, l->no, type);
	if (type != T_DATA && n != type_len[type])
		return ub_fail(UB_EFORMAT,
			       "%s: line %lu: a type %s record needs %u data "
			       "bytes, this one has %u; the file is corrupt",
			       name, l->no, type_name[type], type_len[type], n);
	switch (type) {
	case T_DATA:
		h->nbytes += n;
		if (!h->wrap)
			return ub_image_add(img, h->base + off, d, n, l->no,
					    name);
		first = n < 0x10000 - off ? n : 0x10000 - off;
		err = ub_image_add(img, h->base + off, d, first, l->no, name);
		if (!err)
			err = ub_image_add(img, h->base, d + first, n - first,
					   l->no, name);
		return err;
	case T_EXT_SEG:
		h->base = ((uint32_t)d[0] << 8 | d[1]) << 4;
		h->wrap = true;
		return 0;
	case T_EXT_LIN:
		h->base = ((uint32_t)d[0] << 8 | d[1]) << 16;
		h->wrap = false;
		return 0;
	case T_START_SEG:
		return set_entry(img, h,
				 ((uint32_t)d[0] << 8 | d[1]) * 16 +
					 ((uint32_t)d[2] << 8 | d[3]),
				 l, name);
	case T_START_LIN:
		return set_entry(img, h,
				 (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
					 (uint32_t)d[2] << 8 | d[3],
				 l, name);
	}
	return 0; /* T_EOF: the caller handles it */
}

static int ihex_parse(struct ub_image *img, const uint8_t *buf, size_t len,
		      uint32_t base, const char *name)
{
	struct ihex h = {.wrap = true};
	struct ub_text_line l = {0};
	size_t pos = ub_text_skip_bom(buf, len), nrec;
	unsigned long eof = 0;
	uint8_t rec[REC_MAX];
	char c[16];
	int err;

	(void)base;
	while (ub_text_next_line(buf, len, &pos, &l)) {
		if (!l.n)
			continue;
		if (eof)
			return ub_fail(
				UB_EFORMAT,
				"%s: line %lu: more data after the "
				"end-of-file record on line %lu; the file "
				"was damaged or two files were joined "
				"(remove what follows line %lu)",
				name, l.no, eof, eof);
		if (l.p[0] != ':')
			return ub_fail(
				UB_EFORMAT,
				"%s: line %lu: starts with %s, not the ':' "
				"of an Intel HEX record; the file is "
				"corrupt or not Intel HEX",
				name, l.no, ub_text_show(l.p[0], c));
		err = decode(&l, rec, &nrec, name);
		if (!err)
			err = record(img, &h, rec, &l, name);
		if (err)
			return err;
		if (rec[3] == T_EOF)
			eof = l.no;
	}
	if (!eof)
		return ub_fail(UB_EFORMAT,
			       "%s: line %lu: the file ends without an "
			       "end-of-file record (:00000001FF); it is "
			       "truncated (copy or export it again)",
			       name, l.no);
	if (!h.nbytes)
		return ub_fail(UB_EFORMAT,
			       "%s: line %lu: the file holds no data, so there "
			       "is nothing to flash; wrong file?",
			       name, eof);
	return 0;
}

/* The first thing that is not blank is ':' and two hex digits. */
static bool ihex_sniff(const uint8_t *buf, size_t len)
{
	size_t i = ub_text_skip_bom(buf, len);

	while (i < len && (ub_text_blank(buf[i]) || buf[i] == '\n'))
		i++;
	return len - i >= 3 && buf[i] == ':' &&
	       ub_text_hexval(buf[i + 1]) >= 0 &&
	       ub_text_hexval(buf[i + 2]) >= 0;
}

const struct ub_image_fmt ub_image_fmt_ihex = {
	.format = UB_FMT_IHEX,
	.loc_kind = "line",
	.sniff = ihex_sniff,
	.parse = ihex_parse,
};
