// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Error codes and the one-line explanation that goes with a failure.
 *
 * Any layer may leave a message with ub_fail(); only main.c prints it.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ub/err.h"

static _Thread_local char msg[512];
static volatile sig_atomic_t stop;

static const char *const names[] = {
	[-UB_OK] = "success",
	[-UB_EINVAL] = "invalid argument",
	[-UB_EUSAGE] = "usage error",
	[-UB_ENOMEM] = "out of memory",
	[-UB_EIO] = "input/output error",
	[-UB_ENOENT] = "not found",
	[-UB_EFORMAT] = "malformed input",
	[-UB_ERANGE] = "out of range",
	[-UB_EOVERLAP] = "overlapping data",
	[-UB_ECONFIG] = "bad board profile",
	[-UB_ETIMEOUT] = "timed out",
	[-UB_ENOTARGET] = "no target answers",
	[-UB_EPROTO] = "protocol error",
	[-UB_EPROTECTED] = "protected",
	[-UB_EVERIFY] = "verify failed",
	[-UB_EBUSY] = "busy",
	[-UB_EPERM] = "permission denied",
	[-UB_EUNSUPPORTED] = "not supported",
	[-UB_EINTR] = "interrupted",
	[-UB_EWRONGCHIP] = "wrong chip or board",
};

const char *ub_strerror(int err)
{
	if (err > 0 || -err >= (int)(sizeof(names) / sizeof(names[0])) ||
	    !names[-err])
		return "unknown error";
	return names[-err];
}

int ub_fail(int err, const char *fmt, ...)
{
	char tmp[sizeof(msg)];
	va_list ap;

	/* via tmp: callers may pass ub_errmsg() to add context to it */
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	memcpy(msg, tmp, sizeof(msg));
	return err;
}

const char *ub_errmsg(int err)
{
	return msg[0] ? msg : ub_strerror(err);
}

void ub_clear_error(void)
{
	msg[0] = '\0';
}

void ub_request_stop(void)
{
	stop = 1;
}

int ub_stop_requested(void)
{
	return stop;
}
