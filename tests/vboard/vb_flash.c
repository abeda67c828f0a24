// SPDX-License-Identifier: GPL-2.0-or-later
/* SKELETON: the flash controller. To be written. */
#include <stdlib.h>

#include "vb.h"

struct vb_flash {
	int unused;
};

struct vb_flash *vb_flash_new(struct vb *vb)
{
	(void)vb;
	return calloc(1, sizeof(struct vb_flash));
}

void vb_flash_free(struct vb_flash *fl)
{
	free(fl);
}

void vb_flash_reset(struct vb *vb)
{
	(void)vb;
}

int vb_flash_reg_read(struct vb *vb, uint32_t off, uint32_t *val)
{
	(void)vb;
	(void)off;
	*val = 0;
	return VB_OK;
}

int vb_flash_reg_write(struct vb *vb, uint32_t off, unsigned size, uint32_t val)
{
	(void)vb;
	(void)off;
	(void)size;
	(void)val;
	return VB_OK;
}

int vb_flash_read(struct vb *vb, enum vb_master m, uint32_t addr, unsigned size,
		  uint32_t *val)
{
	(void)vb;
	(void)m;
	(void)addr;
	(void)size;
	*val = 0;
	return VB_ERR;
}

int vb_flash_write(struct vb *vb, enum vb_master m, uint32_t addr,
		   unsigned size, uint32_t val)
{
	(void)vb;
	(void)m;
	(void)addr;
	(void)size;
	(void)val;
	return VB_ERR;
}

void vb_flash_tick(struct vb *vb)
{
	(void)vb;
}

uint64_t vb_flash_busy_until(const struct vb *vb)
{
	(void)vb;
	return 0;
}

bool vb_flash_rdp(const struct vb *vb)
{
	(void)vb;
	return false;
}
