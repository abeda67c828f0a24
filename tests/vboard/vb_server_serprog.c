// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The board server's serprog listener (with-vboard --serprog PORT): TCP on
 * 127.0.0.1:PORT, one programmer session per connection, each byte handed
 * to vb_serprog.c in the server's loop.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>

#include "vb_server.h"

static void emit(void *arg, const uint8_t *p, size_t n)
{
	int fd = *(int *)arg;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* the peer went away: its read ends it */
		p += w;
		n -= (size_t)w;
	}
}

struct conn {
	int fd;
	struct vb_serprog *sp;
};

static void on_data(struct vb *vb, int fd, short revents, void *arg)
{
	struct conn *c = arg;
	uint8_t buf[65536];
	ssize_t r;

	(void)vb;
	(void)revents;
	r = read(fd, buf, sizeof(buf));
	if (r < 0 && errno == EINTR)
		return;
	if (r <= 0) {
		vb_server_del_fd(fd);
		close(fd);
		vb_serprog_free(c->sp);
		free(c);
		return;
	}
	vb_serprog_feed(c->sp, buf, (size_t)r, emit, &c->fd);
}

static void on_accept(struct vb *vb, int lfd, short revents, void *arg)
{
	struct conn *c;
	int fd, one = 1;

	(void)revents;
	(void)arg;
	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c = calloc(1, sizeof(*c));
	if (!c || !(c->sp = vb_serprog_new(vb)) ||
	    vb_server_add_fd(fd, POLLIN, on_data, c)) {
		if (c)
			vb_serprog_free(c->sp);
		free(c);
		close(fd);
		return;
	}
	c->fd = fd;
}

int vb_serprog_start(struct vb *vb, const char *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	char *end;
	long p = strtol(port, &end, 10);
	int fd, one = 1;

	if (*end || p <= 0 || p > 65535) {
		fprintf(stderr, "vboard-server: serprog port '%s'?\n", port);
		return -1;
	}
	a.sin_port = htons((uint16_t)p);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 4) ||
	    vb_server_add_fd(fd, POLLIN, on_accept, vb)) {
		fprintf(stderr,
			"vboard-server: cannot serve serprog on "
			"127.0.0.1:%ld: %s\n",
			p, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return 0;
}
