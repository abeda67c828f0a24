// SPDX-License-Identifier: GPL-2.0-or-later
/* SKELETON: the Cortex-M3 core. To be written. */
#include <stdlib.h>

#include "vb.h"

struct vb_cpu {
	bool halted;
};

struct vb_cpu *vb_cpu_new(struct vb *vb)
{
	(void)vb;
	return calloc(1, sizeof(struct vb_cpu));
}

void vb_cpu_free(struct vb_cpu *cpu)
{
	free(cpu);
}

void vb_cpu_reset(struct vb *vb)
{
	vb->cpu->halted = false;
}

void vb_cpu_catch_up(struct vb *vb)
{
	(void)vb;
}

bool vb_cpu_halted(const struct vb *vb)
{
	return vb->cpu->halted;
}

void vb_cpu_halt(struct vb *vb, uint32_t dfsr)
{
	(void)dfsr;
	vb->cpu->halted = true;
}

void vb_cpu_resume(struct vb *vb)
{
	vb->cpu->halted = false;
}

void vb_cpu_step(struct vb *vb)
{
	(void)vb;
}

int vb_cpu_reg_read(struct vb *vb, unsigned regsel, uint32_t *val)
{
	(void)vb;
	(void)regsel;
	*val = 0;
	return 0;
}

int vb_cpu_reg_write(struct vb *vb, unsigned regsel, uint32_t val)
{
	(void)vb;
	(void)regsel;
	(void)val;
	return 0;
}

bool vb_cpu_locked(const struct vb *vb)
{
	(void)vb;
	return true;
}
