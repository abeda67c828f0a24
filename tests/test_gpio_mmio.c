// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Memory-mapped GPIO at register level, without a Pi: the backends reach
 * their registers only through struct ub_mmio's read32/write32, so here
 * they reach a model of each register block instead. The BCM2835/2711
 * model keeps GPFSEL, the output latch behind GPSET/GPCLR, GPLEV and the
 * pull registers; the RP1 model keeps IO_BANK0's CTRL, SYS_RIO and
 * PADS_BANK0 with their SET/CLR/XOR aliases. Both log every access, so the
 * tests see the sequencing, the function selection and the masks; and the
 * wire on top (ub_gpio_mmio_wrap) is checked for its order on the wire
 * and for leaving the slow lines to libgpiod.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ub/err.h"
#include "ub/gpio_mmio.h"

#define CLK  UB_BIT(UB_LINE_SWCLK)
#define DIO  UB_BIT(UB_LINE_SWDIO)
#define NRST UB_BIT(UB_LINE_NRST)

/* --- a register block model --- */

#define NREGS	0x30000
#define LOG_MAX 256

struct access {
	char rw;
	uint32_t off, val;
};

struct model {
	bool rp1;
	uint32_t reg[NREGS / 4];
	uint64_t ext; /* levels the outside world puts on inputs */
	struct access log[LOG_MAX];
	unsigned nlog;
};

static void log_access(struct model *m, char rw, uint32_t off, uint32_t val)
{
	if (m->nlog < LOG_MAX)
		m->log[m->nlog++] = (struct access){rw, off, val};
}

/* BCM: GPFSEL says which lines are outputs. */
static bool bcm_output(const struct model *m, unsigned n)
{
	return (m->reg[n / 10] >> (3 * (n % 10)) & 7) == 1;
}

static uint64_t bcm_latch(const struct model *m)
{
	return m->reg[0x1C / 4] | (uint64_t)m->reg[0x20 / 4] << 32;
}

static uint32_t model_read(void *ctx, uint32_t off)
{
	struct model *m = ctx;
	uint32_t v;

	assert_true(off < NREGS && off % 4 == 0);
	if (!m->rp1 && (off == 0x34 || off == 0x38)) {
		uint64_t lev = 0;

		for (unsigned n = 0; n < 54; n++) {
			bool out = bcm_output(m, n);
			uint64_t b = 1ull << n;

			lev |= (out ? bcm_latch(m) : m->ext) & b;
		}
		v = off == 0x34 ? (uint32_t)lev : (uint32_t)(lev >> 32);
	} else if (m->rp1 && off == 0x10008) {
		uint32_t oe = m->reg[0x10004 / 4], out = m->reg[0x10000 / 4];

		v = (out & oe) | ((uint32_t)m->ext & ~oe);
	} else if (!m->rp1 &&
		   (off == 0x1C || off == 0x20 || off == 0x28 || off == 0x2C)) {
		v = 0; /* write-only */
	} else {
		v = m->reg[off / 4];
	}
	log_access(m, 'r', off, v);
	return v;
}

static void model_write(void *ctx, uint32_t off, uint32_t val)
{
	struct model *m = ctx;

	assert_true(off < NREGS && off % 4 == 0);
	log_access(m, 'w', off, val);
	if (!m->rp1) {
		/* GPSETn/GPCLRn act on the output latch (kept at GPSETn) */
		if (off == 0x1C || off == 0x20)
			m->reg[off / 4] |= val;
		else if (off == 0x28 || off == 0x2C)
			m->reg[(off - 0xC) / 4] &= ~val;
		else
			m->reg[off / 4] = val;
		return;
	}
	switch (off & 0x3000) {
	case 0x1000:
		m->reg[(off - 0x1000) / 4] ^= val;
		break;
	case 0x2000:
		m->reg[(off - 0x2000) / 4] |= val;
		break;
	case 0x3000:
		m->reg[(off - 0x3000) / 4] &= ~val;
		break;
	default:
		m->reg[off / 4] = val;
	}
}

static struct model *model_new(bool rp1, struct ub_mmio *bus)
{
	struct model *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	m->rp1 = rp1;
	*bus = (struct ub_mmio){model_read, model_write, m};
	return m;
}

/* The index in the log of the first write to off at or after from. */
static int find_write(const struct model *m, unsigned from, uint32_t off)
{
	for (unsigned i = from; i < m->nlog; i++)
		if (m->log[i].rw == 'w' && m->log[i].off == off)
			return (int)i;
	return -1;
}

static unsigned writes(const struct model *m)
{
	unsigned n = 0;

	for (unsigned i = 0; i < m->nlog; i++)
		n += m->log[i].rw == 'w';
	return n;
}

/* --- which SoC --- */

static void test_soc_of(void **state)
{
	static const char pi4[] = "raspberrypi,4-model-b\0brcm,bcm2711";
	static const char pi3[] = "raspberrypi,3-model-b-plus\0brcm,bcm2837";
	static const char zero[] = "raspberrypi,model-zero-w\0brcm,bcm2835";
	static const char pi5[] = "raspberrypi,5-model-b\0brcm,bcm2712";
	static const char x86[] = "qemu,virt\0linux,dummy-virt";

	(void)state;
	assert_ptr_equal(ub_mmio_soc_of(pi4, sizeof(pi4)), &ub_mmio_bcm2711);
	assert_ptr_equal(ub_mmio_soc_of(pi3, sizeof(pi3)), &ub_mmio_bcm2835);
	assert_ptr_equal(ub_mmio_soc_of(zero, sizeof(zero)), &ub_mmio_bcm2835);
	assert_ptr_equal(ub_mmio_soc_of(pi5, sizeof(pi5)), &ub_mmio_rp1);
	assert_null(ub_mmio_soc_of(x86, sizeof(x86)));
	/* a prefix is no match */
	assert_null(ub_mmio_soc_of("brcm,bcm271", 11));
	assert_string_equal(ub_mmio_bcm2711.dev, "/dev/gpiomem");
	assert_string_equal(ub_mmio_rp1.dev, "/dev/gpiomem0");
	assert_int_equal(ub_mmio_bcm2711.nlines, 54);
	assert_int_equal(ub_mmio_rp1.nlines, 28);
}

/* --- BCM2835/2711 --- */

static void test_bcm_fsel(void **state)
{
	struct ub_mmio bus;
	struct model *m = model_new(false, &bus);

	(void)state;
	m->reg[1] = 0x3FFFFFFF; /* GPFSEL1: every line alt 3 (111) */
	ub_mmio_bcm2711.func(&bus, 11, true);
	/* FSEL11 at bits 5:3 of GPFSEL1 = 001, the others untouched */
	assert_int_equal(m->reg[1], (0x3FFFFFFFu & ~(7u << 3)) | 1u << 3);
	ub_mmio_bcm2711.func(&bus, 11, false);
	assert_int_equal(m->reg[1], 0x3FFFFFFFu & ~(7u << 3));
	/* read, modify, write: one read and one write of GPFSEL1 */
	assert_int_equal(m->nlog, 4);
	assert_int_equal(m->log[0].rw, 'r');
	assert_int_equal(m->log[0].off, 0x04);
	assert_int_equal(m->log[1].off, 0x04);
	/* line 53: GPFSEL5, bits 11:9 */
	ub_mmio_bcm2711.func(&bus, 53, true);
	assert_int_equal(m->reg[5], 1u << 9);
	ub_mmio_bcm2835.func(&bus, 0, true);
	assert_int_equal(m->reg[0], 1);
	free(m);
}

static void test_bcm_set_clear_masks(void **state)
{
	struct ub_mmio bus;
	struct model *m = model_new(false, &bus);

	(void)state;
	ub_mmio_bcm2711.write(&bus, 1ull << 11 | 1ull << 40, 1ull << 25);
	/* GPCLR0 for 25, GPSET0 for 11, GPSET1 for 40; no GPCLR1 */
	assert_int_equal(writes(m), 3);
	assert_int_equal(m->log[0].off, 0x28);
	assert_int_equal(m->log[0].val, 1u << 25);
	assert_int_equal(m->log[1].off, 0x1C);
	assert_int_equal(m->log[1].val, 1u << 11);
	assert_int_equal(m->log[2].off, 0x20);
	assert_int_equal(m->log[2].val, 1u << 8);
	assert_int_equal(find_write(m, 0, 0x2C), -1);
	/* no read: GPSET/GPCLR touch only the lines written */
	for (unsigned i = 0; i < m->nlog; i++)
		assert_int_equal(m->log[i].rw, 'w');
	m->nlog = 0;
	ub_mmio_bcm2711.write(&bus, 0, 1ull << 53);
	assert_int_equal(writes(m), 1);
	assert_int_equal(m->log[0].off, 0x2C);
	assert_int_equal(m->log[0].val, 1u << 21);
	free(m);
}

static void test_bcm_levels(void **state)
{
	struct ub_mmio bus;
	struct model *m = model_new(false, &bus);

	(void)state;
	m->ext = 1ull << 25 | 1ull << 45 | 1ull << 53;
	ub_mmio_bcm2711.func(&bus, 11, true);
	ub_mmio_bcm2711.write(&bus, 1ull << 11, 0);
	assert_int_equal(ub_mmio_bcm2711.read(&bus),
			 1ull << 11 | 1ull << 25 | 1ull << 45 | 1ull << 53);
	ub_mmio_bcm2711.write(&bus, 0, 1ull << 11);
	assert_int_equal(ub_mmio_bcm2711.read(&bus),
			 1ull << 25 | 1ull << 45 | 1ull << 53);
	free(m);
}

static void test_bcm2711_pull(void **state)
{
	struct ub_mmio bus;
	struct model *m = model_new(false, &bus);

	(void)state;
	m->reg[0xE8 / 4] = 0xAAAAAAAA; /* REG1 (lines 16..31): all down */
	ub_mmio_bcm2711.pull(&bus, 25, UB_MMIO_PULL_UP);
	/* line 25: bits 19:18 of GPIO_PUP_PDN_CNTRL_REG1 = 01 */
	assert_int_equal(m->reg[0xE8 / 4],
			 (0xAAAAAAAAu & ~(3u << 18)) | 1u << 18);
	ub_mmio_bcm2711.pull(&bus, 25, UB_MMIO_PULL_NONE);
	assert_int_equal(m->reg[0xE8 / 4], 0xAAAAAAAAu & ~(3u << 18));
	ub_mmio_bcm2711.pull(&bus, 50, UB_MMIO_PULL_DOWN);
	assert_int_equal(m->reg[0xF0 / 4], 2u << 4);
	/* never the older GPPUD registers */
	assert_int_equal(find_write(m, 0, 0x94), -1);
	free(m);
}

static void test_bcm2835_pull_sequence(void **state)
{
	struct ub_mmio bus;
	struct model *m = model_new(false, &bus);
	int pud, clk, off, clkoff;

	(void)state;
	ub_mmio_bcm2835.pull(&bus, 40, UB_MMIO_PULL_UP);
	/* GPPUD = 2 (up), clock it into line 40 (GPPUDCLK1 bit 8), then
	 * both back to 0: in that order */
	pud = find_write(m, 0, 0x94);
	clk = find_write(m, 0, 0x9C);
	off = find_write(m, (unsigned)clk + 1, 0x94);
	clkoff = find_write(m, (unsigned)off + 1, 0x9C);
	assert_true(pud >= 0 && clk > pud && off > clk && clkoff > off);
	assert_int_equal(m->log[pud].val, 2);
	assert_int_equal(m->log[clk].val, 1u << 8);
	assert_int_equal(m->log[off].val, 0);
	assert_int_equal(m->log[clkoff].val, 0);
	assert_int_equal(find_write(m, 0, 0x98), -1);
	assert_int_equal(writes(m), 4);
	m->nlog = 0;
	ub_mmio_bcm2835.pull(&bus, 3, UB_MMIO_PULL_DOWN);
	assert_int_equal(m->log[0].val, 1);
	assert_int_equal(m->log[1].off, 0x98);
	assert_int_equal(m->log[1].val, 1u << 3);
	free(m);
}

/* --- RP1 --- */

#define RP1_CTRL(n) (8 * (n) + 4)
#define RP1_OUT	    0x10000
#define RP1_OE	    0x10004
#define RP1_PAD(n)  (0x20000 + 4 + 4 * (n))

static void test_rp1_func(void **state)
{
	struct ub_mmio bus;
	struct model *m = model_new(true, &bus);

	(void)state;
	m->reg[RP1_CTRL(11) / 4] = 0x00003000 | 0x1F; /* NULL function */
	m->reg[RP1_PAD(11) / 4] = 0x80 | 0x10;	      /* OD, drive 4 mA */
	ub_mmio_rp1.func(&bus, 11, true);
	/* FUNCSEL = 5 (SYS_RIO), the other CTRL bits kept */
	assert_int_equal(m->reg[RP1_CTRL(11) / 4], 0x00003000 | 5);
	assert_int_equal(m->reg[RP1_OE / 4], 1u << 11);
	/* pad: input enabled, output no longer disabled, drive kept */
	assert_int_equal(m->reg[RP1_PAD(11) / 4], 0x40 | 0x10);
	/* OE through its SET alias, not a read-modify-write */
	assert_true(find_write(m, 0, RP1_OE + 0x2000) >= 0);
	assert_int_equal(find_write(m, 0, RP1_OE), -1);
	ub_mmio_rp1.func(&bus, 11, false);
	assert_int_equal(m->reg[RP1_OE / 4], 0);
	assert_true(find_write(m, 0, RP1_OE + 0x3000) >= 0);
	free(m);
}

static void test_rp1_out_in_pull(void **state)
{
	struct ub_mmio bus;
	struct model *m = model_new(true, &bus);

	(void)state;
	m->reg[RP1_OUT / 4] = 1u << 3; /* a line not ours, high */
	ub_mmio_rp1.func(&bus, 11, true);
	m->nlog = 0;
	ub_mmio_rp1.write(&bus, 1ull << 11, 1ull << 25);
	assert_int_equal(m->nlog, 2);
	assert_int_equal(m->log[0].off, RP1_OUT + 0x3000);
	assert_int_equal(m->log[0].val, 1u << 25);
	assert_int_equal(m->log[1].off, RP1_OUT + 0x2000);
	assert_int_equal(m->log[1].val, 1u << 11);
	assert_int_equal(m->reg[RP1_OUT / 4], 1u << 3 | 1u << 11);
	m->ext = 1u << 25;
	assert_int_equal(ub_mmio_rp1.read(&bus), 1u << 11 | 1u << 25);
	ub_mmio_rp1.pull(&bus, 25, UB_MMIO_PULL_UP);
	assert_int_equal(m->reg[RP1_PAD(25) / 4] & 0x0C, 0x08);
	ub_mmio_rp1.pull(&bus, 25, UB_MMIO_PULL_DOWN);
	assert_int_equal(m->reg[RP1_PAD(25) / 4] & 0x0C, 0x04);
	ub_mmio_rp1.pull(&bus, 25, UB_MMIO_PULL_NONE);
	assert_int_equal(m->reg[RP1_PAD(25) / 4] & 0x0C, 0);
	free(m);
}

/* --- the wire over a libgpiod session --- */

struct fake {
	struct ub_gpio g;
	unsigned sets, dirs, closed;
	unsigned last_mask;
};

static int fake_set(struct ub_gpio *g, unsigned mask, unsigned values)
{
	struct fake *f = (struct fake *)g;

	f->sets++;
	f->last_mask = mask;
	g->levels = (g->levels & ~mask) | (values & mask);
	return 0;
}

static int fake_get(struct ub_gpio *g, unsigned mask, unsigned *values)
{
	*values = g->levels & mask;
	return 0;
}

static int fake_dir(struct ub_gpio *g, unsigned mask, unsigned outputs)
{
	struct fake *f = (struct fake *)g;

	f->dirs++;
	f->last_mask = mask;
	g->outputs = (g->outputs & ~mask) | (outputs & mask);
	return 0;
}

static void fake_close(struct ub_gpio *g)
{
	((struct fake *)g)->closed++;
}

static const struct ub_gpio_ops fake_ops = {fake_set, fake_get, fake_dir,
					    fake_close};

static const struct ub_gpio_req swd_req[] = {
	{UB_LINE_SWCLK, 11, true, 0, false, false, false},
	{UB_LINE_SWDIO, 25, true, 1, false, true, true},
	{UB_LINE_NRST, 24, true, 1, true, false, false},
};

static struct ub_gpio *wire_on(const struct ub_mmio_soc *soc,
			       struct ub_mmio *bus, struct fake *f)
{
	struct ub_gpio *g;
	int err = 0;

	memset(f, 0, sizeof(*f));
	f->g.ops = &fake_ops;
	f->g.have = CLK | DIO | NRST;
	f->g.outputs = CLK | DIO | NRST;
	f->g.levels = DIO | NRST;
	f->g.backend = "gpiod";
	g = ub_gpio_mmio_wrap(&f->g, soc, bus, swd_req, 3, CLK | DIO, &err);
	assert_non_null(g);
	assert_int_equal(err, 0);
	return g;
}

static void test_wire_setup(void **state)
{
	struct ub_mmio bus;
	struct model *m = model_new(false, &bus);
	struct fake f;
	struct ub_gpio *g = wire_on(&ub_mmio_bcm2711, &bus, &f);

	(void)state;
	assert_string_equal(g->backend, "mmio");
	assert_int_equal(g->default_hz, UB_MMIO_DEFAULT_HZ);
	assert_true(bcm_output(m, 11) && bcm_output(m, 25));
	assert_false(bcm_output(m, 24)); /* NRST stays with libgpiod */
	/* SWDIO: its pull-up, and high before it drives */
	assert_int_equal(m->reg[0xE8 / 4] >> 18 & 3, 1);
	assert_int_equal(bcm_latch(m), 1ull << 25);
	assert_true(find_write(m, 0, 0x1C) < find_write(m, 0, 0x08));
	ub_gpio_close(g);
	assert_int_equal(f.closed, 1);
	assert_false(bcm_output(m, 11) || bcm_output(m, 25));
	free(m);
}

/* A falling clock before its data; data before a rising clock. */
static void test_wire_order(void **state)
{
	struct ub_mmio bus;
	struct model *m = model_new(false, &bus);
	struct fake f;
	struct ub_gpio *g = wire_on(&ub_mmio_bcm2711, &bus, &f);
	int a, b;

	(void)state;
	assert_int_equal(ub_gpio_set(g, CLK, CLK), 0);
	m->nlog = 0;
	/* clock falls, data falls: GPCLR clock, then GPCLR data */
	assert_int_equal(ub_gpio_set(g, CLK | DIO, 0), 0);
	assert_int_equal(writes(m), 2);
	assert_int_equal(m->log[0].val, 1u << 11);
	assert_int_equal(m->log[1].val, 1u << 25);
	m->nlog = 0;
	/* data rises, then the clock */
	assert_int_equal(ub_gpio_set(g, CLK | DIO, CLK | DIO), 0);
	a = find_write(m, 0, 0x1C);
	b = find_write(m, (unsigned)a + 1, 0x1C);
	assert_true(a >= 0 && b > a);
	assert_int_equal(m->log[a].val, 1u << 25);
	assert_int_equal(m->log[b].val, 1u << 11);
	/* unchanged lines are not written */
	m->nlog = 0;
	assert_int_equal(ub_gpio_set(g, CLK | DIO, CLK | DIO), 0);
	assert_int_equal(m->nlog, 0);
	assert_int_equal(g->levels, CLK | DIO | NRST);
	/* NRST goes to libgpiod, and the registers do not see it */
	assert_int_equal(ub_gpio_set(g, NRST, 0), 0);
	assert_int_equal(f.sets, 1);
	assert_int_equal(f.last_mask, NRST);
	assert_int_equal(m->nlog, 0);
	assert_int_equal(g->levels, CLK | DIO);
	ub_gpio_close(g);
	free(m);
}

static void test_wire_dir_get(void **state)
{
	struct ub_mmio bus;
	struct model *m = model_new(true, &bus);
	struct fake f;
	struct ub_gpio *g = wire_on(&ub_mmio_rp1, &bus, &f);
	unsigned v = 0;

	(void)state;
	assert_int_equal(m->reg[RP1_CTRL(25) / 4] & 0x1F, 5);
	assert_int_equal(m->reg[RP1_PAD(25) / 4] & 0x08, 0x08); /* pull-up */
	assert_int_equal(m->reg[RP1_OE / 4], 1u << 11 | 1u << 25);
	/* SWDIO turns in place: its OE only; libgpiod not asked */
	assert_int_equal(ub_gpio_dir(g, DIO, 0), 0);
	assert_int_equal(m->reg[RP1_OE / 4], 1u << 11);
	assert_int_equal(f.dirs, 0);
	assert_int_equal(g->outputs, CLK | NRST);
	m->ext = 0; /* the target pulls SWDIO low */
	assert_int_equal(ub_gpio_get(g, DIO | CLK, &v), 0);
	assert_int_equal(v, 0);
	m->ext = 1u << 25;
	assert_int_equal(ub_gpio_get(g, DIO | NRST, &v), 0);
	assert_int_equal(v, DIO | NRST);
	/* a level set while an input is driven when it turns */
	assert_int_equal(ub_gpio_set(g, DIO, 0), 0);
	assert_int_equal(m->reg[RP1_OUT / 4] & 1u << 25, 1u << 25);
	assert_int_equal(ub_gpio_dir(g, DIO, DIO), 0);
	assert_int_equal(m->reg[RP1_OUT / 4] & 1u << 25, 0);
	assert_int_equal(m->reg[RP1_OE / 4], 1u << 11 | 1u << 25);
	ub_gpio_close(g);
	assert_int_equal(m->reg[RP1_OE / 4], 0);
	assert_int_equal(f.closed, 1);
	free(m);
}

/* The RP1's bank 0 is the header: a fast line beyond it is refused. */
static void test_wire_beyond(void **state)
{
	static const struct ub_gpio_req req[] = {
		{UB_LINE_SWCLK, 40, true, 0, false, false, false},
	};
	struct ub_mmio bus;
	struct model *m = model_new(true, &bus);
	struct fake f = {.g = {.ops = &fake_ops, .have = CLK}};
	int err = 0;

	(void)state;
	assert_null(
		ub_gpio_mmio_wrap(&f.g, &ub_mmio_rp1, &bus, req, 1, CLK, &err));
	assert_int_equal(err, UB_EUNSUPPORTED);
	assert_int_equal(f.closed, 1);
	assert_int_equal(m->nlog, 0);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_soc_of),
		cmocka_unit_test(test_bcm_fsel),
		cmocka_unit_test(test_bcm_set_clear_masks),
		cmocka_unit_test(test_bcm_levels),
		cmocka_unit_test(test_bcm2711_pull),
		cmocka_unit_test(test_bcm2835_pull_sequence),
		cmocka_unit_test(test_rp1_func),
		cmocka_unit_test(test_rp1_out_in_pull),
		cmocka_unit_test(test_wire_setup),
		cmocka_unit_test(test_wire_order),
		cmocka_unit_test(test_wire_dir_get),
		cmocka_unit_test(test_wire_beyond),
	};

	return cmocka_run_group_tests_name("memory-mapped GPIO", tests, NULL,
					   NULL);
}
