/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_WIRE_H
#define VB_WIRE_H

/*
 * The product's SWD stack on the virtual board, in the test's process: a
 * GPIO wire whose lines are the board's pins (no stand-in library in
 * between), the SWD engine, the debug port and the core. Include after
 * cmocka.h; link the board's model (tests/test_vb_*.c are).
 */
#include "ub/cortexm.h"
#include "ub/err.h"
#include "vb.h"

struct vb_wire {
	struct ub_gpio g;
	struct vb *vb;
};

static const int vb_wire_pin[] = {
	[UB_LINE_SWCLK] = VB_SWCLK,
	[UB_LINE_SWDIO] = VB_SWDIO,
	[UB_LINE_NRST] = VB_NRST,
	[UB_LINE_BOOT0] = VB_BOOT0,
};

static inline struct vb *vb_wire_board(struct ub_gpio *g)
{
	return ((struct vb_wire *)g)->vb;
}

static inline void vb_wire_put(struct ub_gpio *g, int line, unsigned values)
{
	int level = !!(values & UB_BIT(line));

	if (line == UB_LINE_NRST && level)
		level = -1; /* open drain: released */
	if ((g->outputs & UB_BIT(line)) || line == UB_LINE_NRST)
		vb_drive(vb_wire_board(g), vb_wire_pin[line], level);
}

/* data before the clock, as a real wire's single call lands */
static inline int vb_wire_set(struct ub_gpio *g, unsigned mask, unsigned values)
{
	static const int order[] = {UB_LINE_SWDIO, UB_LINE_NRST, UB_LINE_BOOT0,
				    UB_LINE_SWCLK};

	for (int i = 0; i < 4; i++)
		if (mask & g->have & UB_BIT(order[i]))
			vb_wire_put(g, order[i], values);
	return 0;
}

static inline int vb_wire_get(struct ub_gpio *g, unsigned mask,
			      unsigned *values)
{
	*values = 0;
	for (int l = 0; l <= UB_LINE_BOOT0; l++)
		if ((mask & UB_BIT(l)) &&
		    vb_sense(vb_wire_board(g), vb_wire_pin[l]))
			*values |= UB_BIT(l);
	return 0;
}

static inline int vb_wire_dir(struct ub_gpio *g, unsigned mask,
			      unsigned outputs)
{
	g->outputs = (g->outputs & ~mask) | (outputs & mask);
	if ((mask & UB_BIT(UB_LINE_SWDIO)) &&
	    !(outputs & UB_BIT(UB_LINE_SWDIO)))
		vb_drive(vb_wire_board(g), VB_SWDIO, -1);
	return 0;
}

static inline void vb_wire_close(struct ub_gpio *g)
{
	(void)g;
}

static const struct ub_gpio_ops vb_wire_ops = {
	.set = vb_wire_set,
	.get = vb_wire_get,
	.dir = vb_wire_dir,
	.close = vb_wire_close,
};

/* A board and the product's stack on it, connected under reset, halted. */
struct vb_link {
	struct vb *vb;
	struct vb_wire w;
	struct ub_swd *swd;
	struct ub_dap dap;
	struct ub_cm cm;
};

static inline void vb_link_open(struct vb_link *l, const char *const *set,
				size_t nset)
{
	char err[256];
	int e;

	memset(l, 0, sizeof(*l));
	l->vb = vb_new(set, nset, NULL, err, sizeof(err));
	if (!l->vb)
		fail_msg("vb_new: %s", err);
	l->w.g.ops = &vb_wire_ops;
	l->w.g.have = UB_BIT(UB_LINE_SWCLK) | UB_BIT(UB_LINE_SWDIO) |
		      UB_BIT(UB_LINE_NRST);
	l->w.g.outputs = l->w.g.have;
	l->w.g.backend = "test";
	l->w.vb = l->vb;
	l->swd = ub_swd_new_gpio(&l->w.g, 0, &e);
	assert_non_null(l->swd);
	e = ub_cm_connect(&l->cm, &l->dap, l->swd, &l->w.g, true);
	if (e)
		fail_msg("connect: %s", ub_errmsg(e));
}

static inline void vb_link_close(struct vb_link *l)
{
	char err[256];

	ub_swd_free(l->swd);
	assert_int_equal(vb_close(l->vb, err, sizeof(err)), 0);
}

#endif
