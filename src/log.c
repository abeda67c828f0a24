// SPDX-License-Identifier: GPL-2.0-or-later
/* Diagnostics on stderr, filtered by the -q/-v level. */
#include <stdarg.h>
#include <stdio.h>

#include "ub/log.h"

int ub_log_level = UB_LOG_NORMAL;

void ub_log(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > ub_log_level)
		return;
	va_start(ap, fmt);
	fputs("unbrick: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
