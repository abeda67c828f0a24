/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_OUT_H
#define UB_OUT_H

#include <stdio.h>

/* JSON string, quoted and escaped. */
void ub_json_str(FILE *f, const char *s);

/*
 * Print lead, then text wrapped at UB_WRAP_COLUMNS with continuation lines
 * indented by indent columns (lead is usually that wide).
 */
#define UB_WRAP_COLUMNS 78
void ub_wrap(FILE *f, const char *lead, unsigned indent, const char *text);

#endif
