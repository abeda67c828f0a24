/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * For tests that talk to the board server's pty as a raw 8E1 host: start
 * the server, stop it, bytes out and in. Include after <cmocka.h>.
 */
#ifndef UB_VB_HOST_UTIL_H
#define UB_VB_HOST_UTIL_H

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "vb_server.h"

struct host {
	pid_t pid;
	int tty, sock;
	char dir[4300], sockpath[4400];
};

/*
 * Start the board server (path server) with settings (lines) in
 * parent/name; open its pty 8E1 115200.
 */
static inline void host_start(struct host *h, const char *server,
			      const char *parent, const char *name,
			      const char *settings)
{
	static char env[4][4500];
	char link[4400], tty[256];
	struct termios t;
	ssize_t n;

	memset(h, 0, sizeof(*h));
	snprintf(h->dir, sizeof(h->dir), "%s/%s", parent, name);
	snprintf(h->sockpath, sizeof(h->sockpath), "%s/.sock", h->dir);
	mkdir(h->dir, 0755);
	snprintf(env[0], sizeof(env[0]), "UB_VBOARD_STATE=%s", h->dir);
	snprintf(env[1], sizeof(env[1]), "UB_VBOARD_SOCKET=%s", h->sockpath);
	snprintf(env[2], sizeof(env[2]), "UB_VBOARD_SETTINGS=%s", settings);
	snprintf(env[3], sizeof(env[3]), "UB_VBOARD_REPORT=%s/report.json",
		 h->dir);
	h->pid = fork();
	assert_true(h->pid >= 0);
	if (!h->pid) {
		for (int i = 0; i < 4; i++)
			putenv(env[i]);
		unsetenv("UB_VBOARD_BOARD");
		execl(server, server, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 500 && access(h->sockpath, F_OK); i++)
		usleep(10000);
	h->sock = vb_server_connect(h->sockpath);
	assert_true(h->sock >= 0);
	snprintf(link, sizeof(link), "%s/tty", h->dir);
	n = readlink(link, tty, sizeof(tty) - 1);
	assert_true(n > 0);
	tty[n] = 0;
	h->tty = open(tty, O_RDWR | O_NOCTTY);
	assert_true(h->tty >= 0);
	assert_int_equal(tcgetattr(h->tty, &t), 0);
	cfmakeraw(&t);
	t.c_cflag |= PARENB | CLOCAL | CREAD; /* a pty drops PARENB */
	cfsetspeed(&t, B115200);
	assert_int_equal(tcsetattr(h->tty, TCSANOW, &t), 0);
}

static inline void host_stop(struct host *h)
{
	int st;

	close(h->tty);
	close(h->sock);
	kill(h->pid, SIGTERM);
	assert_int_equal(waitpid(h->pid, &st, 0), h->pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static inline void put(struct host *h, const uint8_t *b, size_t n)
{
	assert_int_equal(write(h->tty, b, n), (ssize_t)n);
}

/* Up to n bytes, waiting at most ms for each: how many came. */
static inline size_t get(struct host *h, uint8_t *b, size_t n, int ms)
{
	struct pollfd p = {.fd = h->tty, .events = POLLIN};
	size_t got = 0;
	ssize_t r;

	while (got < n && poll(&p, 1, ms) == 1) {
		r = read(h->tty, b + got, n - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

static inline int get1(struct host *h)
{
	uint8_t c;

	return get(h, &c, 1, 2000) == 1 ? c : -1;
}

/* A group's setup: the board server's path (make vboard built it) and a
 * fresh directory from the mkdtemp template tmp; 0, or -1 with why. */
static inline int host_setup(char *server, size_t n, char *tmp)
{
	const char *src = getenv("UNBRICK_SRCDIR");

	snprintf(server, n, "%s/build/vboard/vboard-server", src ? src : ".");
	if (access(server, X_OK)) {
		fprintf(stderr, "need %s (make vboard)\n", server);
		return -1;
	}
	return mkdtemp(tmp) ? 0 : -1;
}

/* A group's teardown: the directory gone, unless UB_KEEP_TMP is set. */
static inline int host_teardown(const char *tmp)
{
	char cmd[4200];

	if (getenv("UB_KEEP_TMP"))
		return 0;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) ? -1 : 0;
}

#endif
