// SPDX-License-Identifier: GPL-2.0-or-later
/* SKELETON: the memory map. SRAM only so far. */
#include <string.h>

#include "vb.h"

int vb_bus_read(struct vb *vb, enum vb_master m, uint32_t addr, unsigned size,
		uint32_t *val)
{
	(void)m;
	*val = 0;
	if (addr >= VB_SRAM_BASE &&
	    addr - VB_SRAM_BASE + size <= vb->chip.ram_size) {
		memcpy(val, vb->sram + (addr - VB_SRAM_BASE), size);
		return VB_OK;
	}
	return VB_ERR;
}

int vb_bus_write(struct vb *vb, enum vb_master m, uint32_t addr, unsigned size,
		 uint32_t val)
{
	(void)m;
	if (addr >= VB_SRAM_BASE &&
	    addr - VB_SRAM_BASE + size <= vb->chip.ram_size) {
		memcpy(vb->sram + (addr - VB_SRAM_BASE), &val, size);
		return VB_OK;
	}
	return VB_ERR;
}
