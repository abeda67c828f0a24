// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The stand-in libgpiod as a client of the board server. With
 * UB_VBOARD_SOCKET set (with-vboard --uart does), the board is the
 * server's: the session's struct vb only carries vb->remote, so that
 * vb_drive, vb_sense and vb_advance (the Pi's sleeps) go over the socket.
 * The wiring of lines to pins stays in the library (the profile); the
 * state, the report and the trace are the server's. BOOT0 and NRST toggles
 * are few, so a round trip each is fine; SWD through the server works, at
 * a round trip per edge.
 */
#include <stdlib.h>
#include <string.h>

#include "vb_gpiod_client.h"
#include "vb_server.h"

static int sock = -1;

static int call(struct vb *vb, struct vb_msg *m)
{
	if (sock < 0 || vb_server_call(sock, m)) {
		if (sock >= 0)
			fprintf(stderr, "libgpiod (virtual board): the board "
					"server went away\n");
		if (sock >= 0)
			close(sock);
		sock = -1;
		vb->powered = false;
		return -1;
	}
	vb->now_ps = m->u;
	return m->a;
}

static void remote_drive(struct vb *vb, enum vb_pin pin, int level)
{
	struct vb_msg m = {.op = VB_OP_DRIVE, .a = pin, .b = level};

	vb->host[pin] = level;
	call(vb, &m);
}

static int remote_sense(struct vb *vb, enum vb_pin pin)
{
	struct vb_msg m = {.op = VB_OP_SENSE, .a = pin};
	int r = call(vb, &m);

	return r < 0 ? 0 : r;
}

static void remote_advance(struct vb *vb, uint64_t ps)
{
	struct vb_msg m = {.op = VB_OP_ADVANCE, .u = ps};

	call(vb, &m);
}

static const struct vb_remote remote = {
	.drive = remote_drive,
	.sense = remote_sense,
	.advance = remote_advance,
};

bool vb_gpiod_client_wanted(void)
{
	const char *s = getenv("UB_VBOARD_SOCKET");

	return s && *s;
}

struct vb *vb_gpiod_client_new(char *err, size_t errlen)
{
	struct vb *vb;

	sock = vb_server_connect(NULL);
	if (sock < 0) {
		snprintf(err, errlen, "no board server at %s: %s",
			 getenv("UB_VBOARD_SOCKET"), strerror(errno));
		return NULL;
	}
	vb = calloc(1, sizeof(*vb));
	if (!vb) {
		close(sock);
		sock = -1;
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	vb->remote = &remote;
	vb->powered = true;
	for (int i = 0; i < VB_NPINS; i++)
		vb->host[i] = -1;
	return vb;
}

bool vb_gpiod_client_end(struct vb *vb)
{
	if (!vb || vb->remote != &remote)
		return false;
	if (sock >= 0)
		close(sock);
	sock = -1;
	free(vb);
	return true;
}
