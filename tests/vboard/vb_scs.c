// SPDX-License-Identifier: GPL-2.0-or-later
/* SKELETON: debug registers. To be written. */
#include <stdlib.h>

#include "vb.h"

struct vb_scs {
	int unused;
};

struct vb_scs *vb_scs_new(struct vb *vb)
{
	(void)vb;
	return calloc(1, sizeof(struct vb_scs));
}

void vb_scs_free(struct vb_scs *scs)
{
	free(scs);
}

void vb_scs_power_on(struct vb *vb)
{
	(void)vb;
}

void vb_scs_system_reset(struct vb *vb)
{
	(void)vb;
}

int vb_scs_read(struct vb *vb, enum vb_master m, uint32_t addr, unsigned size,
		uint32_t *val)
{
	(void)vb;
	(void)m;
	(void)addr;
	(void)size;
	*val = 0;
	return VB_ERR;
}

int vb_scs_write(struct vb *vb, enum vb_master m, uint32_t addr, unsigned size,
		 uint32_t val)
{
	(void)vb;
	(void)m;
	(void)addr;
	(void)size;
	(void)val;
	return VB_ERR;
}

bool vb_scs_debugen(const struct vb *vb)
{
	(void)vb;
	return false;
}

void vb_scs_bkpt(struct vb *vb)
{
	vb_cpu_halt(vb, 2);
}
