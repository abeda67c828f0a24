// SPDX-License-Identifier: GPL-2.0-or-later
/* What every part of the profile parser needs: errors with file:line,
 * bounded copies, yes/no, word lists, and where an item was defined. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "board_priv.h"
#include "ub/err.h"

int ub_bp_err(struct ub_parser *p, const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return ub_fail(UB_ECONFIG, "%s:%u: %s", p->b->file[p->file], p->line,
		       what);
}

int ub_bp_copy(struct ub_parser *p, char *dst, size_t n, const char *src,
	       const char *what)
{
	if (strlen(src) >= n)
		return ub_bp_err(p, "%s is too long (at most %zu characters)",
				 what, n - 1);
	strcpy(dst, src);
	return 0;
}

bool ub_bp_is_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_.", *s))
			return false;
	return true;
}

int ub_bp_yes_no(struct ub_parser *p, const char *v, bool *out)
{
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (!strcasecmp(v, "no") || !strcasecmp(v, "false") ||
		 !strcmp(v, "0"))
		*out = false;
	else
		return ub_bp_err(p, "'%s' should be yes or no", v);
	return 0;
}

/* Split a list on spaces and commas: calls fn for each word. */
int ub_bp_each_word(struct ub_parser *p, char *v,
		    int (*fn)(struct ub_parser *p, const char *w, void *arg),
		    void *arg)
{
	char *save = NULL;
	int err;

	for (char *w = strtok_r(v, " \t,", &save); w;
	     w = strtok_r(NULL, " \t,", &save)) {
		err = fn(p, w, arg);
		if (err)
			return err;
	}
	return 0;
}

struct ub_origin ub_bp_here(struct ub_parser *p)
{
	return (struct ub_origin){.file = p->file, .line = p->line};
}

/* An item redefined in the same file is a mistake; over a base, a change. */
int ub_bp_redefine(struct ub_parser *p, struct ub_origin *at, const char *what)
{
	if (at->line && at->file == p->file)
		return ub_bp_err(p, "%s is already defined at line %u", what,
				 at->line);
	return 0;
}
