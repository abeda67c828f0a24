// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Time passes on a real board while the Pi sleeps: OpenOCD waits 1 ms
 * between reads of the flash status, unbrick holds NRST low for 20 ms. The
 * stand-in library defines the sleep functions, and since a program finds
 * them here before it finds libc's, each requested sleep moves the board's
 * clock by exactly what was asked, then sleeps for real. Nothing else of
 * the host's time is modelled, so modelled time does not depend on how busy
 * the machine is. Part of libgpiod.so.2 only (vb_gpiod_session.c holds the
 * session).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <time.h>
#include <unistd.h>

#include "vb.h"

static void *real(const char *name)
{
	return dlsym(RTLD_NEXT, name);
}

static uint64_t ns_of(const struct timespec *ts)
{
	if (!ts || ts->tv_sec < 0 || ts->tv_nsec < 0)
		return 0;
	return (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	int (*fn)(const struct timespec *, struct timespec *) =
		real("nanosleep");

	vb_gpiod_host_sleep(ns_of(req));
	return fn(req, rem);
}

int clock_nanosleep(clockid_t clock, int flags, const struct timespec *req,
		    struct timespec *rem)
{
	int (*fn)(clockid_t, int, const struct timespec *, struct timespec *) =
		real("clock_nanosleep");
	struct timespec now;

	if (!(flags & TIMER_ABSTIME)) {
		vb_gpiod_host_sleep(ns_of(req));
	} else if (!clock_gettime(clock, &now) && ns_of(req) > ns_of(&now)) {
		vb_gpiod_host_sleep(ns_of(req) - ns_of(&now));
	}
	return fn(clock, flags, req, rem);
}

int usleep(useconds_t us)
{
	int (*fn)(useconds_t) = real("usleep");

	vb_gpiod_host_sleep((uint64_t)us * 1000);
	return fn(us);
}

unsigned int sleep(unsigned int s)
{
	unsigned int (*fn)(unsigned int) = real("sleep");

	vb_gpiod_host_sleep((uint64_t)s * 1000000000ull);
	return fn(s);
}
