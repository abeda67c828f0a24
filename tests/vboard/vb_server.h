/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_SERVER_H
#define VB_SERVER_H

/*
 * The board server (build/vboard/vboard-server, vb_server*.c): one process
 * owns the board and serves it to the others - the stand-in libgpiod in
 * client mode (vb_gpiod_client.c), the libserialport shim
 * (vb_serial_shim.c), tests - over a UNIX socket ($UB_VBOARD_SOCKET), and
 * USART1 on a pseudo-terminal ($UB_VBOARD_TTY).
 *
 * The protocol: a client writes one struct vb_msg, the server answers with
 * one struct vb_msg (a = result, u = the board's time after the request),
 * in order. Everything is host byte order: both ends are on one machine.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "vb.h"

enum vb_op {
	VB_OP_DRIVE = 1, /* a = enum vb_pin, b = 0, 1, -1: a = 0 */
	VB_OP_SENSE,	 /* a = enum vb_pin: a = the level */
	VB_OP_ADVANCE,	 /* u = ps the host slept: a = 0 */
	VB_OP_LINE,	 /* the host's serial settings: a = baud (0: from the
			    pty), b = parity 'N', 'E', 'O', 'M' or 'S' */
	VB_OP_MODEM,	 /* a = the host's TIOCM_RTS | TIOCM_DTR bits */
	VB_OP_NOW,	 /* a = 0, u = the board's time (ps) */
	VB_OP_EXPECT,	 /* u = bytes the host is about to write to the pty
			    in one write(): the server takes them together
			    (vb_uart_expect): a = 0 */
};

struct vb_msg {
	uint32_t op;
	int32_t a, b;
	uint32_t pad;
	uint64_t u;
};

/* One request and its answer on a connected socket: 0, or -1 with errno. */
static inline int vb_server_call(int fd, struct vb_msg *m)
{
	size_t n = 0;
	ssize_t r;

	while (n < sizeof(*m)) {
		r = write(fd, (char *)m + n, sizeof(*m) - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		n += (size_t)r;
	}
	for (n = 0; n < sizeof(*m);) {
		r = read(fd, (char *)m + n, sizeof(*m) - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			errno = r ? errno : ECONNRESET;
			return -1;
		}
		n += (size_t)r;
	}
	return 0;
}

/* Connect to path, else $UB_VBOARD_SOCKET: the socket, or -1. */
static inline int vb_server_connect(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int fd;

	if (!path)
		path = getenv("UB_VBOARD_SOCKET");
	if (!path || !*path || strlen(path) >= sizeof(a.sun_path)) {
		errno = ENOENT;
		return -1;
	}
	memcpy(a.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Inside the server ------------------------------------------------------ */

/*
 * A hook for other listeners in the server (serprog, vb_server_serprog.c):
 * watch fd for events; cb runs in the server's loop, between UART bytes,
 * with the board. vb_server_del_fd stops watching (before closing fd).
 */
typedef void (*vb_server_cb)(struct vb *vb, int fd, short revents, void *arg);
int vb_server_add_fd(int fd, short events, vb_server_cb cb, void *arg);
void vb_server_del_fd(int fd);

/*
 * Optional (weak): started when $UB_VBOARD_SERPROG names a TCP port on
 * 127.0.0.1 (with-vboard --serprog PORT); 0 or -1 with a message on stderr.
 */
int vb_serprog_start(struct vb *vb, const char *port) __attribute__((weak));

/* vb_server_uart.c: the pty side */
struct vb_uart_set {
	unsigned drop_every, flip_every, garbage;
	unsigned core_flip_every; /* host bytes to the core's USART1 */
	unsigned max_baud;	  /* faster frames are lost (0: any) */
	uint64_t idle_ps;     /* how long the core may run with the host idle */
	int rts_pin, dtr_pin; /* enum vb_pin, or -1 when not wired */
	bool rts_inv, dtr_inv;
	bool uncrossed; /* TX to TX, RX to RX: no byte reaches either side */
};

int vb_uart_setting(struct vb_uart_set *s, const char *kv, bool *mine,
		    char *err, size_t errlen);
int vb_uart_open(struct vb *vb, const struct vb_uart_set *s, const char *dir,
		 char *err, size_t errlen);
int vb_uart_fd(void);
const char *vb_uart_path(void);
/* The pty is readable: take the host's bytes. */
void vb_uart_input(struct vb *vb);
/* Deliver what the board sends, run the core while it works alone. */
void vb_uart_work(struct vb *vb);
/* The host announced a write of n bytes (VB_OP_EXPECT). */
void vb_uart_expect(struct vb *vb, uint64_t n);
void vb_uart_line(struct vb *vb, int baud, int parity);
void vb_uart_modem(struct vb *vb, int bits);
void vb_uart_report(FILE *f);
void vb_uart_close(void);

/* vb_server.c: the VCD trace's uart_rx (host to board) or uart_tx wire: n
 * bits of bit_ps each from start (ps). */
void vb_server_vcd_wire(bool tx, uint64_t start, uint64_t bit_ps,
			const int *bits, unsigned n);

#endif
