// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The product's SWD engine, debug port and Cortex-M layers (src/swd_gpio.c,
 * src/adi.c, src/cortexm.c) driving the virtual board directly: a GPIO wire
 * whose lines are the board's pins, without the stand-in library in
 * between.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ub/cortexm.h"
#include "ub/err.h"
#include "vb.h"

struct wire {
	struct ub_gpio g;
	struct vb *vb;
};

static const int pin_of[] = {
	[UB_LINE_SWCLK] = VB_SWCLK,
	[UB_LINE_SWDIO] = VB_SWDIO,
	[UB_LINE_NRST] = VB_NRST,
	[UB_LINE_BOOT0] = VB_BOOT0,
};

static struct vb *vb_of(struct ub_gpio *g)
{
	return ((struct wire *)g)->vb;
}

static void put(struct ub_gpio *g, int line, unsigned values)
{
	int level = !!(values & UB_BIT(line));

	if (line == UB_LINE_NRST && level)
		level = -1; /* open-drain: released */
	if ((g->outputs & UB_BIT(line)) || line == UB_LINE_NRST)
		vb_drive(vb_of(g), pin_of[line], level);
}

/* data before the clock, as a real wire's single call lands */
static int w_set(struct ub_gpio *g, unsigned mask, unsigned values)
{
	static const int order[] = {UB_LINE_SWDIO, UB_LINE_NRST, UB_LINE_BOOT0,
				    UB_LINE_SWCLK};

	for (int i = 0; i < 4; i++)
		if (mask & g->have & UB_BIT(order[i]))
			put(g, order[i], values);
	return 0;
}

static int w_get(struct ub_gpio *g, unsigned mask, unsigned *values)
{
	*values = 0;
	for (int l = 0; l <= UB_LINE_BOOT0; l++)
		if ((mask & UB_BIT(l)) && vb_sense(vb_of(g), pin_of[l]))
			*values |= UB_BIT(l);
	return 0;
}

static int w_dir(struct ub_gpio *g, unsigned mask, unsigned outputs)
{
	g->outputs = (g->outputs & ~mask) | (outputs & mask);
	if ((mask & UB_BIT(UB_LINE_SWDIO)) &&
	    !(outputs & UB_BIT(UB_LINE_SWDIO)))
		vb_drive(vb_of(g), VB_SWDIO, -1);
	return 0;
}

static void w_close(struct ub_gpio *g)
{
	(void)g;
}

static const struct ub_gpio_ops wire_ops = {
	.set = w_set,
	.get = w_get,
	.dir = w_dir,
	.close = w_close,
};

struct link {
	struct vb *vb;
	struct wire w;
	struct ub_swd *swd;
	struct ub_dap dap;
	struct ub_cm cm;
};

static void link_open_with(struct link *l, bool nrst, const char *const *set,
			   size_t nset)
{
	char err[256];
	int e;

	memset(l, 0, sizeof(*l));
	l->vb = vb_new(set, nset, NULL, err, sizeof(err));
	if (!l->vb)
		fail_msg("vb_new: %s", err);
	l->w.g.ops = &wire_ops;
	l->w.g.have = UB_BIT(UB_LINE_SWCLK) | UB_BIT(UB_LINE_SWDIO) |
		      (nrst ? UB_BIT(UB_LINE_NRST) : 0);
	l->w.g.outputs = l->w.g.have;
	l->w.g.backend = "test";
	l->w.vb = l->vb;
	l->swd = ub_swd_new_gpio(&l->w.g, 0, &e);
	assert_non_null(l->swd);
}

static void link_open(struct link *l, bool nrst)
{
	link_open_with(l, nrst, NULL, 0);
}

static void link_close(struct link *l)
{
	char err[256];

	ub_swd_free(l->swd);
	assert_int_equal(vb_close(l->vb, err, sizeof(err)), 0);
}

static void dap_identity(void **state)
{
	struct link l;

	(void)state;
	link_open(&l, false);
	assert_int_equal(ub_dap_connect(&l.dap, l.swd), 0);
	assert_int_equal(l.dap.dpidr, 0x1BA01477);
	assert_int_equal(l.dap.apidr, 0x24770011);
	link_close(&l);
}

/* Blocks across the 1 KB TAR window, with ragged ends. */
static void block_transfers(void **state)
{
	static uint8_t out[5000], in[5000];
	struct link l;

	(void)state;
	link_open(&l, false);
	assert_int_equal(ub_dap_connect(&l.dap, l.swd), 0);
	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (uint8_t)(i * 13 + 7);
	assert_int_equal(ub_dap_write(&l.dap, 0x20000003, out, sizeof(out)), 0);
	assert_memory_equal(l.vb->sram + 3, out, sizeof(out));
	assert_int_equal(ub_dap_read(&l.dap, 0x20000003, in, sizeof(in)), 0);
	assert_memory_equal(in, out, sizeof(in));
	/* halfwords */
	assert_int_equal(ub_dap_write16(&l.dap, 0x20000102, 0xBEEF), 0);
	assert_int_equal(l.vb->sram[0x102], 0xEF);
	assert_int_equal(l.vb->sram[0x103], 0xBE);
	link_close(&l);
}

static void bus_error_is_explained(void **state)
{
	struct link l;
	uint32_t v;

	(void)state;
	link_open(&l, false);
	assert_int_equal(ub_dap_connect(&l.dap, l.swd), 0);
	assert_int_equal(ub_dap_read32(&l.dap, 0x30000000, &v), UB_EPROTO);
	assert_non_null(strstr(ub_errmsg(UB_EPROTO), "FAULT"));
	/* the link goes on */
	assert_int_equal(ub_dap_read32(&l.dap, 0x20000000, &v), 0);
	link_close(&l);
}

/* Thumb code in SRAM: r0 = r0 + r1; bkpt */
static const uint16_t add_bkpt[] = {0x1840, 0xBE00};
static const uint16_t spin[] = {0xE7FE};      /* b . */
static const uint16_t undefined[] = {0xDE00}; /* udf #0 */

static void load(struct link *l, const uint16_t *code, size_t n)
{
	assert_int_equal(ub_dap_write(&l->dap, 0x20000400, code, 2 * n), 0);
}

static void run_to_breakpoint(void **state)
{
	static const uint32_t args[4] = {40, 2, 0, 0};
	struct link l;
	uint32_t r0 = 0, v;

	(void)state;
	link_open(&l, true);
	assert_int_equal(ub_cm_connect(&l.cm, &l.dap, l.swd, &l.w.g, true), 0);
	load(&l, add_bkpt, 2);
	assert_int_equal(
		ub_cm_run(&l.cm, 0x20000400, 0x20001000, args, 1000, &r0), 0);
	assert_int_equal(r0, 42);
	assert_int_equal(ub_cm_reg_read(&l.cm, UB_REG_PC, &v), 0);
	assert_int_equal(v & ~1u, 0x20000402); /* on the BKPT */
	link_close(&l);
}

static void run_times_out_and_faults(void **state)
{
	static const uint32_t args[4];
	struct link l;
	uint32_t r0;
	bool halted;

	(void)state;
	link_open(&l, true);
	assert_int_equal(ub_cm_connect(&l.cm, &l.dap, l.swd, &l.w.g, true), 0);
	load(&l, spin, 1);
	assert_int_equal(
		ub_cm_run(&l.cm, 0x20000400, 0x20001000, args, 50, &r0),
		UB_ETIMEOUT);
	assert_int_equal(ub_cm_is_halted(&l.cm, &halted), 0);
	assert_true(halted); /* stopped, not left running */
	load(&l, undefined, 1);
	assert_int_equal(
		ub_cm_run(&l.cm, 0x20000400, 0x20001000, args, 1000, &r0),
		UB_EPROTO);
	assert_non_null(strstr(ub_errmsg(UB_EPROTO), "faulted at 0x20000400"));
	link_close(&l);
}

static void halt_step_registers(void **state)
{
	static const uint16_t adds[] = {0x3001, 0x3001,
					0x3001}; /* adds r0, #1 */
	struct link l;
	uint32_t v;

	(void)state;
	link_open(&l, true);
	assert_int_equal(ub_cm_connect(&l.cm, &l.dap, l.swd, &l.w.g, true), 0);
	assert_int_equal(l.cm.cpuid, 0x411FC231);
	load(&l, adds, 3);
	assert_int_equal(ub_cm_reg_write(&l.cm, UB_REG_R0, 7), 0);
	assert_int_equal(ub_cm_reg_write(&l.cm, UB_REG_PC, 0x20000401), 0);
	assert_int_equal(ub_cm_step(&l.cm), 0);
	assert_int_equal(ub_cm_step(&l.cm), 0);
	assert_int_equal(ub_cm_reg_read(&l.cm, UB_REG_R0, &v), 0);
	assert_int_equal(v, 9);
	assert_int_equal(ub_cm_reg_read(&l.cm, UB_REG_PC, &v), 0);
	assert_int_equal(v & ~1u, 0x20000404);
	link_close(&l);
}

/* Without NRST: halt where it runs, reset by SYSRESETREQ. */
static void reset_without_nrst(void **state)
{
	struct link l;
	uint64_t resets;
	bool halted;

	(void)state;
	link_open(&l, false);
	assert_int_equal(ub_cm_connect(&l.cm, &l.dap, l.swd, &l.w.g, false), 0);
	resets = l.vb->st.resets;
	assert_int_equal(ub_cm_reset(&l.cm, UB_RESET_HALT), 0);
	assert_int_equal(l.vb->st.resets, resets + 1);
	assert_int_equal(ub_cm_is_halted(&l.cm, &halted), 0);
	assert_true(halted);
	assert_int_equal(ub_cm_reset(&l.cm, UB_RESET_RUN), 0);
	assert_int_equal(l.vb->st.resets, resets + 2);
	assert_int_equal(ub_cm_is_halted(&l.cm, &halted), 0);
	assert_false(halted);
	link_close(&l);
}

/* The engine's own counters see the board's WAIT storm. */
static void wait_storm_is_absorbed(void **state)
{
	static const char *const set[] = {"wait_every=3", "wait_count=4"};
	static uint8_t out[2048], in[2048];
	struct link l;

	(void)state;
	link_open_with(&l, false, set, 2);
	assert_int_equal(ub_dap_connect(&l.dap, l.swd), 0);
	memset(out, 0x5A, sizeof(out));
	assert_int_equal(ub_dap_write(&l.dap, 0x20000000, out, sizeof(out)), 0);
	assert_int_equal(ub_dap_read(&l.dap, 0x20000000, in, sizeof(in)), 0);
	assert_memory_equal(in, out, sizeof(in));
	assert_true(l.swd->st.waits > 100);
	assert_int_equal(l.swd->st.waits, l.vb->st.ack_wait);
	link_close(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dap_identity),
		cmocka_unit_test(block_transfers),
		cmocka_unit_test(bus_error_is_explained),
		cmocka_unit_test(run_to_breakpoint),
		cmocka_unit_test(run_times_out_and_faults),
		cmocka_unit_test(halt_step_registers),
		cmocka_unit_test(reset_without_nrst),
		cmocka_unit_test(wait_storm_is_absorbed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
