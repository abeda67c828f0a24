/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_LOG_H
#define UB_LOG_H

/*
 * Diagnostics on stderr, by level: -q shows only errors, the default adds
 * warnings and notes, -v adds what is being done, -vv protocol traces.
 */
enum ub_log_level {
	UB_LOG_QUIET = 0,
	UB_LOG_NORMAL = 1,
	UB_LOG_VERBOSE = 2,
	UB_LOG_TRACE = 3,
};

extern int ub_log_level;

void ub_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define ub_warn(...)  ub_log(UB_LOG_NORMAL, "warning: " __VA_ARGS__)
#define ub_info(...)  ub_log(UB_LOG_VERBOSE, __VA_ARGS__)
#define ub_trace(...) ub_log(UB_LOG_TRACE, __VA_ARGS__)

#endif
