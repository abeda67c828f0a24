/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The product's UART side in the test's process, on the board server's pty
 * (vb_host_util.h starts the server): a struct ub_serial over the pty that
 * announces each write to the server as the serial shim does
 * (VB_OP_EXPECT), changes its baud rate in place, and reads the board's
 * modeled clock. Include after <cmocka.h> and vb_host_util.h.
 */
#ifndef UB_VB_UART_HOST_H
#define UB_VB_UART_HOST_H

#include <poll.h>
#include <termios.h>
#include <time.h>

#include <sys/syscall.h>

#include "ub/an3155.h"
#include "ub/err.h"
#include "ub/ldr_uart.h"
#include "ub/serial.h"
#include "vb_host_util.h"

struct uh_serial {
	struct ub_serial s;
	struct host *h;
};

static inline double uh_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static inline struct host *uh_host(struct ub_serial *s)
{
	return ((struct uh_serial *)s)->h;
}

static inline int uh_write(struct ub_serial *s, const void *buf, size_t n,
			   unsigned timeout_ms)
{
	struct vb_msg m = {.op = VB_OP_EXPECT, .u = n};
	const uint8_t *p = buf;

	(void)timeout_ms;
	assert_int_equal(vb_server_call(uh_host(s)->sock, &m), 0);
	while (n) {
		ssize_t w = write(uh_host(s)->tty, p, n);

		assert_true(w > 0);
		p += w;
		n -= (size_t)w;
		s->tx += (unsigned long)w;
	}
	return 0;
}

static inline int uh_read(struct ub_serial *s, void *buf, size_t n,
			  unsigned timeout_ms)
{
	struct pollfd pfd = {.fd = uh_host(s)->tty, .events = POLLIN};
	double deadline = uh_now_ms() + timeout_ms;
	size_t got = 0;

	while (got < n) {
		double left = deadline - uh_now_ms();
		ssize_t r;

		if (left <= 0 || poll(&pfd, 1, (int)left + 1) <= 0)
			break;
		r = read(pfd.fd, (uint8_t *)buf + got, n - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	s->rx += got;
	return (int)got;
}

static inline int uh_flush(struct ub_serial *s)
{
	tcflush(uh_host(s)->tty, TCIFLUSH);
	return 0;
}

static inline int uh_lines(struct ub_serial *s, unsigned mask, unsigned values)
{
	s->lines = (s->lines & ~mask) | (values & mask);
	return 0;
}

static inline speed_t uh_speed(uint32_t baud)
{
	switch (baud) {
	case 57600:
		return B57600;
	case 115200:
		return B115200;
	case 230400:
		return B230400;
	case 460800:
		return B460800;
	case 921600:
		return B921600;
	case 1000000:
		return B1000000;
	case 2000000:
		return B2000000;
	default:
		return 0;
	}
}

static inline int uh_baud(struct ub_serial *s, uint32_t baud)
{
	struct termios t;
	speed_t sp = uh_speed(baud);

	if (!sp)
		return UB_EUNSUPPORTED;
	assert_int_equal(tcgetattr(uh_host(s)->tty, &t), 0);
	cfsetspeed(&t, sp);
	t.c_cflag |= PARENB; /* a pty drops it: the server assumes even */
	tcsetattr(uh_host(s)->tty, TCSANOW, &t);
	s->baud = baud;
	return 0;
}

static inline void uh_close(struct ub_serial *s)
{
	(void)s;
}

static const struct ub_serial_ops uh_ops = {
	.write = uh_write,
	.read = uh_read,
	.flush = uh_flush,
	.set_lines = uh_lines,
	.close = uh_close,
	.set_baud = uh_baud,
};

/* The pty of h as a struct ub_serial at 115200 8E1. */
static inline void uh_open(struct uh_serial *u, struct host *h)
{
	memset(u, 0, sizeof(*u));
	u->s.ops = &uh_ops;
	u->h = h;
	snprintf(u->s.name, sizeof(u->s.name), "%.200s/tty", h->dir);
	u->s.baud = 115200;
}

/* The board's modeled time, in us. */
static inline uint64_t uh_board_us(struct host *h)
{
	struct vb_msg m = {.op = VB_OP_NOW};

	assert_int_equal(vb_server_call(h->sock, &m), 0);
	return m.u / VB_PS_PER_US;
}

/* The board server whose clock the product's sleeps move (uh_rig). */
static struct host *uh_sleeping;

/* The product's sleeps (retries, polls) move the board's clock, as the
 * stand-in libgpiod's do for a program under with-vboard. */
int nanosleep(const struct timespec *req, struct timespec *rem)
{
	struct vb_msg m = {.op = VB_OP_ADVANCE};

	if (!uh_sleeping)
		return (int)syscall(SYS_nanosleep, req, rem);
	m.u = ((uint64_t)req->tv_sec * 1000000000u + (uint64_t)req->tv_nsec) *
	      VB_PS_PER_NS;
	return vb_server_call(uh_sleeping->sock, &m);
}

static inline void uh_ok(int err)
{
	if (err)
		fail_msg("error %d: %s", err, ub_errmsg(err));
}

/* A board with BOOT0 high, its ROM synced, the monitor loaded. */
struct uh_rig {
	struct host h;
	struct uh_serial u;
	struct ub_an3155 bl;
	struct ub_ldru m;
};

static inline void uh_rig_start(struct uh_rig *r, const char *server,
				const char *parent, const char *name,
				const char *settings)
{
	char all[1024];

	memset(r, 0, sizeof(*r));
	snprintf(all, sizeof(all), "boot0=1\n%s", settings ? settings : "");
	host_start(&r->h, server, parent, name, all);
	uh_open(&r->u, &r->h);
	ub_an3155_init(&r->bl, &r->u.s);
	uh_sleeping = &r->h;
	uh_ok(ub_an3155_sync(&r->bl));
	uh_ok(ub_ldru_start(&r->m, &r->bl, 0x20000000u, 20 * 1024));
}

static inline void uh_rig_stop(struct uh_rig *r)
{
	uh_sleeping = NULL;
	host_stop(&r->h);
}

/* A file of the board's state directory, n bytes of it (malloc'd). */
static inline uint8_t *uh_state_file(struct uh_rig *r, const char *name,
				     size_t n)
{
	char path[4400];
	uint8_t *f = malloc(n);
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", r->h.dir, name);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_non_null(f);
	assert_int_equal(fread(f, 1, n, fp), n);
	fclose(fp);
	return f;
}

/* A number from the session's report: "programs", "core_flipped"... */
static inline long uh_report(struct uh_rig *r, const char *key)
{
	char path[4400], buf[8192], name[64], *p;
	FILE *fp;
	size_t n;

	snprintf(path, sizeof(path), "%s/report.json", r->h.dir);
	fp = fopen(path, "r");
	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = 0;
	snprintf(name, sizeof(name), "\"%s\":", key);
	p = strstr(buf, name);
	if (!p)
		fail_msg("no %s in %s", key, buf);
	return strtol(p + strlen(name), NULL, 10);
}

static inline void uh_pattern(uint8_t *b, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		b[i] = (uint8_t)(seed >> 16);
	}
}

#endif
