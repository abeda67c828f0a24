/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the text image formats (Intel HEX, S-records) only. */
#ifndef UB_IMAGE_TEXT_H
#define UB_IMAGE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ub_text_line {
	const uint8_t *p; /* the line without surrounding blanks */
	size_t n;
	size_t col; /* column of p[0], from 1 */
	unsigned long no;
	bool cut; /* the last line, without a newline after it */
};

bool ub_text_blank(uint8_t c);

/* 0-15, or -1 for anything but a hex digit. */
int ub_text_hexval(uint8_t c);

/* A character for a message: 'x' when printable, else its code. */
const char *ub_text_show(uint8_t c, char out[16]);

/* Skip a UTF-8 byte order mark some Windows editors put at the start. */
size_t ub_text_skip_bom(const uint8_t *buf, size_t len);

/* The next line from *pos on, blanks trimmed, counted in l->no. */
bool ub_text_next_line(const uint8_t *buf, size_t len, size_t *pos,
		       struct ub_text_line *l);

#endif
