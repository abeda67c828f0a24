/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_GPIOD_CLIENT_H
#define VB_GPIOD_CLIENT_H

/*
 * The stand-in libgpiod in client mode (vb_gpiod_client.c): when
 * UB_VBOARD_SOCKET is set, the board lives in the board server
 * (vb_server.c) and the session's struct vb is a stand-in whose pins and
 * clock are the server's.
 */
#include <stdbool.h>
#include <stddef.h>

#include "vb.h"

/* The session should be a client: UB_VBOARD_SOCKET is set. */
bool vb_gpiod_client_wanted(void);
/* Connect: the stand-in board, or NULL with a message in err. */
struct vb *vb_gpiod_client_new(char *err, size_t errlen);
/* End the session of vb if it is a client's: true, and vb is freed. */
bool vb_gpiod_client_end(struct vb *vb);

#endif
