// SPDX-License-Identifier: GPL-2.0-or-later
/* Output helpers for the commands: JSON strings, wrapped text. */
#include <string.h>

#include <stdbool.h>

#include "ub/out.h"

void ub_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void ub_wrap(FILE *f, const char *lead, unsigned indent, const char *text)
{
	unsigned col = (unsigned)fprintf(f, "%s", lead);
	bool fresh = false; /* at the start of a continuation line */

	while (*text) {
		size_t word = strcspn(text, " ");

		if (!fresh && col > indent &&
		    col + 1 + word > UB_WRAP_COLUMNS) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
			fresh = true;
		}
		if (!fresh) {
			fputc(' ', f);
			col++;
		}
		fwrite(text, 1, word, f);
		col += (unsigned)word;
		fresh = false;
		text += word;
		while (*text == ' ')
			text++;
	}
	fputc('\n', f);
}
