// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Motorola S-records: one record per line, "S", a type digit, then hex digits
 * for a byte count, an address, the data and a checksum (the ones' complement
 * of the low byte of the sum of count, address and data).
 *
 *   S0        header, ignored
 *   S1 S2 S3  data at a 16-, 24- or 32-bit address
 *   S5 S6     the number of S1-S3 records so far (16 or 24 bits)
 *   S7 S8 S9  the end, with the entry address (32, 24 or 16 bits)
 */
#include <stdio.h>
#include <string.h>

#include "ub/err.h"
#include "ub/image.h"
#include "image_text.h"

#define REC_MAX (1 + 255) /* count, then count bytes */

/* Address bytes per record type; 0 for the reserved S4. */
static const uint8_t addr_len[10] = {2, 2, 3, 4, 0, 2, 3, 4, 3, 2};

/* Check the syntax of a record line (after "Sn") and decode it into rec. */
static int decode(const struct ub_text_line *l, uint8_t *rec, size_t *nrec,
		  const char *name)
{
	size_t nd = l->n - 2, i, want = 0, alen = addr_len[l->p[1] - '0'];
	uint8_t sum = 0, need;
	char c[16];

	for (i = 2; i < l->n; i++)
		if (ub_text_hexval(l->p[i]) < 0)
			return ub_fail(
				UB_EFORMAT,
				"%s: line %lu: %s at column %zu is not a "
				"hex digit; the file is corrupt",
				name, l->no, ub_text_show(l->p[i], c),
				l->col + i);
	if (nd >= 2)
		want = 2 * (1 + (size_t)(ub_text_hexval(l->p[2]) << 4 |
					 ub_text_hexval(l->p[3])));
	if (l->cut && (nd % 2 || nd < 2 * (alen + 2) || nd < want))
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
	if (nd < 2)
		return ub_fail(
			UB_EFORMAT,
			"%s: line %lu: the S%c record has no byte count; "
			"the file is corrupt",
			name, l->no, l->p[1]);
	if (nd != want)
		return ub_fail(UB_EFORMAT,
			       "%s: line %lu: the byte count says %zu bytes "
			       "follow but the line holds %zu; the file is "
			       "corrupt",
			       name, l->no, want / 2 - 1, nd / 2 - 1);
	if (nd / 2 < alen + 2)
		return ub_fail(UB_EFORMAT,
			       "%s: line %lu: the byte count %zu is too small "
			       "for an S%c record's %zu address bytes and "
			       "checksum; the file is corrupt",
			       name, l->no, nd / 2 - 1, l->p[1], alen);
	*nrec = nd / 2;
	for (i = 0; i < *nrec; i++) {
		rec[i] = ub_text_hexval(l->p[2 + 2 * i]) << 4 |
			 ub_text_hexval(l->p[3 + 2 * i]);
		if (i + 1 < *nrec)
			sum += rec[i];
	}
	need = ~sum;
	if (need != rec[*nrec - 1])
		return ub_fail(
			UB_EFORMAT,
			"%s: line %lu: checksum is 0x%02X but the record "
			"needs 0x%02X; the file is corrupt (re-download "
			"or re-export it)",
			name, l->no, rec[*nrec - 1], need);
	return 0;
}

struct srec {
	unsigned long ndata; /* S1-S3 records so far */
	unsigned long end;   /* line of the S7-S9 record */
	uint64_t nbytes;     /* data bytes so far */
};

static int record(struct ub_image *img, struct srec *s, const uint8_t *rec,
		  size_t nrec, const struct ub_text_line *l, const char *name)
{
	unsigned type = l->p[1] - '0';
	size_t alen = addr_len[type], i;
	uint32_t addr = 0;

	for (i = 0; i < alen; i++)
		addr = addr << 8 | rec[1 + i];
	if (type >= 5 && nrec != alen + 2)
		return ub_fail(UB_EFORMAT,
			       "%s: line %lu: an S%u record carries no data, "
			       "but this one has %zu bytes of it; the file is "
			       "corrupt",
			       name, l->no, type, nrec - alen - 2);
	switch (type) {
	case 1:
	case 2:
	case 3:
		s->ndata++;
		s->nbytes += nrec - alen - 2;
		return ub_image_add(img, addr, rec + 1 + alen, nrec - alen - 2,
				    l->no, name);
	case 5:
	case 6:
		if (addr != s->ndata)
			return ub_fail(
				UB_EFORMAT,
				"%s: line %lu: the S%u record counts %u "
				"data records but %lu came before it; %s",
				name, l->no, type, addr, s->ndata,
				addr > s->ndata
					? "records were lost (the file is "
					  "incomplete, copy it again)"
					: "records were added (files were "
					  "joined or damaged)");
		return 0;
	case 7:
	case 8:
	case 9:
		img->has_entry = true;
		img->entry = addr;
		s->end = l->no;
		return 0;
	}
	return 0; /* S0: a header for people, nothing to load */
}

static int srec_parse(struct ub_image *img, const uint8_t *buf, size_t len,
		      uint32_t base, const char *name)
{
	struct ub_text_line l = {0};
	struct srec s = {0};
	size_t pos = ub_text_skip_bom(buf, len), nrec = 0;
	uint8_t rec[REC_MAX];
	char c[16];
	int err;

	(void)base;
	while (ub_text_next_line(buf, len, &pos, &l)) {
		if (!l.n)
			continue;
		if (s.end)
			return ub_fail(
				UB_EFORMAT,
				"%s: line %lu: more data after the "
				"termination record on line %lu; the file "
				"was damaged or two files were joined "
				"(remove what follows line %lu)",
				name, l.no, s.end, s.end);
		if (l.p[0] != 'S')
			return ub_fail(
				UB_EFORMAT,
				"%s: line %lu: starts with %s, not the 'S' "
				"of an S-record; the file is corrupt or "
				"not a Motorola S-record file",
				name, l.no, ub_text_show(l.p[0], c));
		if (l.n < 2 && l.cut)
			return ub_fail(
				UB_EFORMAT,
				"%s: line %lu: the record stops in the "
				"middle at the end of the file; the file "
				"is truncated (copy or export it again)",
				name, l.no);
		if (l.n < 2 || l.p[1] < '0' || l.p[1] > '9')
			return ub_fail(
				UB_EFORMAT,
				"%s: line %lu: 'S' is followed by %s, not "
				"a record type digit; the file is corrupt",
				name, l.no,
				l.n < 2 ? "nothing" : ub_text_show(l.p[1], c));
		if (l.p[1] == '4')
			return ub_fail(UB_EFORMAT,
				       "%s: line %lu: S4 is a reserved record "
				       "type that no tool writes; the file is "
				       "corrupt",
				       name, l.no);
		err = decode(&l, rec, &nrec, name);
		if (!err)
			err = record(img, &s, rec, nrec, &l, name);
		if (err)
			return err;
	}
	if (!s.end)
		return ub_fail(UB_EFORMAT,
			       "%s: line %lu: the file ends without a "
			       "termination record (S7, S8 or S9); it is "
			       "truncated (copy or export it again)",
			       name, l.no);
	if (!s.nbytes)
		return ub_fail(UB_EFORMAT,
			       "%s: line %lu: the file holds no data, so there "
			       "is nothing to flash; wrong file?",
			       name, s.end);
	return 0;
}

/* The first thing that is not blank is 'S' and a digit. */
static bool srec_sniff(const uint8_t *buf, size_t len)
{
	size_t i = ub_text_skip_bom(buf, len);

	while (i < len && (ub_text_blank(buf[i]) || buf[i] == '\n'))
		i++;
	return len - i >= 2 && buf[i] == 'S' && buf[i + 1] >= '0' &&
	       buf[i + 1] <= '9';
}

const struct ub_image_fmt ub_image_fmt_srec = {
	.format = UB_FMT_SREC,
	.loc_kind = "line",
	.sniff = srec_sniff,
	.parse = srec_parse,
};
