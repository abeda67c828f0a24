/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_ERR_H
#define UB_ERR_H

/*
 * Every function that can fail returns 0 (or a count) on success and one of
 * these negative codes on failure, after leaving a one-line explanation with
 * ub_fail(): what failed, the likely cause, what to try.
 */
enum ub_err {
	UB_OK = 0,
	UB_EINVAL = -1,	     /* a bad argument */
	UB_EUSAGE = -2,	     /* the command line is wrong (exit status 2) */
	UB_ENOMEM = -3,	     /* out of memory */
	UB_EIO = -4,	     /* the operating system refused a read or write */
	UB_ENOENT = -5,	     /* no such file, board, region or line */
	UB_EFORMAT = -6,     /* a malformed image or input file */
	UB_ERANGE = -7,	     /* an address or size out of range */
	UB_EOVERLAP = -8,    /* two pieces of an image claim the same bytes */
	UB_ECONFIG = -9,     /* a board profile is wrong */
	UB_ETIMEOUT = -10,   /* the target did not answer in time */
	UB_ENOTARGET = -11,  /* nothing answers on the wire */
	UB_EPROTO = -12,     /* the target answered nonsense */
	UB_EPROTECTED = -13, /* read or write protection is in the way */
	UB_EVERIFY = -14,    /* read-back differs from what was written */
	UB_EBUSY = -15,	     /* a line or port is used by someone else */
	UB_EPERM = -16,	     /* no permission for a device */
	UB_EUNSUPPORTED = -17, /* a chip or feature we cannot handle (yet) */
	UB_EINTR = -18,	       /* interrupted by the user */
	UB_EWRONGCHIP = -19,   /* the target is not what the board says */
};

/* A short name for an error code ("malformed input"). */
const char *ub_strerror(int err);

/*
 * Leave the one-line explanation for the user and return err, so that
 * "return ub_fail(UB_EFORMAT, "...", ...);" reads naturally.
 */
int ub_fail(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The last explanation, or ub_strerror(err) when none was left. */
const char *ub_errmsg(int err);

/* Forget the last explanation. */
void ub_clear_error(void);

/*
 * Ctrl-C: the command line's SIGINT/SIGTERM handler calls ub_request_stop()
 * (async-signal-safe); long operations look at ub_stop_requested() between
 * steps that leave the chip in a known state, and return UB_EINTR.
 */
void ub_request_stop(void);
int ub_stop_requested(void);

#endif
