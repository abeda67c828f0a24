// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * How the flash loaders' hosts (ldr_swd_flash.c over SWD, ldr_uart_ops.c
 * over the UART) cut an image into jobs: halfwords left 0xFFFF on an
 * erased page need no programming (DESIGN.md §5), so a job runs from a
 * halfword that is not 0xFFFF to the last one before UB_LDR_JOB_GAP bytes
 * of 0xFF, and a new job starts after such a run.
 */
#include "ub/loader.h"

static bool blank(const uint8_t *p)
{
	return p[0] == 0xFF && p[1] == 0xFF;
}

bool ub_ldr_next_job(const uint8_t *buf, size_t len, size_t *pos, size_t max,
		     size_t *off, size_t *n)
{
	size_t i = *pos, end, last;

	while (i < len && blank(buf + i))
		i += 2;
	if (i >= len) {
		*pos = len;
		return false;
	}
	last = i + 2;
	for (end = i; end < len && end - i < max; end += 2) {
		if (!blank(buf + end))
			last = end + 2;
		else if (end + 2 - last >= UB_LDR_JOB_GAP)
			break;
	}
	*off = i;
	*n = last - i;
	*pos = last;
	return true;
}
