// SPDX-License-Identifier: GPL-2.0-or-later
/* SKELETON: the SW-DP. To be written. */
#include <stdlib.h>

#include "vb.h"

struct vb_swd {
	int unused;
};

struct vb_swd *vb_swd_new(struct vb *vb)
{
	(void)vb;
	return calloc(1, sizeof(struct vb_swd));
}

void vb_swd_free(struct vb_swd *swd)
{
	free(swd);
}

void vb_swd_power_on(struct vb *vb)
{
	(void)vb;
}

void vb_swd_clock(struct vb *vb, int swdio)
{
	(void)vb;
	(void)swdio;
}

int vb_swd_output(const struct vb *vb)
{
	(void)vb;
	return -1;
}
