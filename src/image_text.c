// SPDX-License-Identifier: GPL-2.0-or-later
/* Reading the line-based image formats: lines, hex digits, messages. */
#include <stdio.h>
#include <string.h>

#include "image_text.h"

bool ub_text_blank(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

int ub_text_hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

const char *ub_text_show(uint8_t c, char out[16])
{
	if (c > ' ' && c < 0x7f)
		snprintf(out, 16, "'%c'", c);
	else
		snprintf(out, 16, "byte 0x%02X", c);
	return out;
}

size_t ub_text_skip_bom(const uint8_t *buf, size_t len)
{
	return len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF
		       ? 3
		       : 0;
}

bool ub_text_next_line(const uint8_t *buf, size_t len, size_t *pos,
		       struct ub_text_line *l)
{
	size_t s = *pos, e, start = *pos;
	const uint8_t *nl;

	if (s >= len)
		return false;
	nl = memchr(buf + s, '\n', len - s);
	e = nl ? (size_t)(nl - buf) : len;
	*pos = nl ? e + 1 : len;
	l->no++;
	l->cut = !nl;
	while (s < e && ub_text_blank(buf[s]))
		s++;
	while (e > s && ub_text_blank(buf[e - 1]))
		e--;
	l->p = buf + s;
	l->n = e - s;
	l->col = s - start + 1;
	return true;
}
