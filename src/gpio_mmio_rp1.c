// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Pi 5's RP1 GPIO bank 0 (the header, GPIO0..27), as /dev/gpiomem0
 * maps it (offset 0 is IO_BANK0, 0x400D0000 in the RP1's own map), after
 * the "RP1 Peripherals" document, §3.1-3.3:
 *
 *   IO_BANK0     0x00000  GPIOn_STATUS at 8n, GPIOn_CTRL at 8n + 4:
 *                         FUNCSEL bits 4:0, 5 = SYS_RIO (software GPIO)
 *   SYS_RIO0     0x10000  RIO_OUT 0x0, RIO_OE 0x4, RIO_SYNC_IN 0x8
 *   PADS_BANK0   0x20000  VOLTAGE_SELECT at 0, GPIOn at 4 + 4n:
 *                         OD 7 (output disable), IE 6 (input enable),
 *                         PUE 3 (pull-up), PDE 2 (pull-down)
 *
 * Every register has atomic aliases: +0x1000 XOR, +0x2000 SET (the bits
 * written become 1), +0x3000 CLR (they become 0). Outputs and directions
 * go through SET and CLR, so no read-modify-write races the kernel or
 * touches a line that is not ours.
 */
#include "ub/gpio_mmio.h"

#define IO_BANK0	0x00000
#define SYS_RIO0	0x10000
#define PADS_BANK0	0x20000
#define ALIAS_SET	0x2000
#define ALIAS_CLR	0x3000
#define GPIO_CTRL(n)	(IO_BANK0 + 8 * (n) + 4)
#define RIO_OUT		(SYS_RIO0 + 0x0)
#define RIO_OE		(SYS_RIO0 + 0x4)
#define RIO_SYNC_IN	(SYS_RIO0 + 0x8)
#define PADS_GPIO(n)	(PADS_BANK0 + 4 + 4 * (n))
#define FUNCSEL_MASK	0x1Fu
#define FUNCSEL_SYS_RIO 5u
#define PADS_OD		(1u << 7)
#define PADS_IE		(1u << 6)
#define PADS_PUE	(1u << 3)
#define PADS_PDE	(1u << 2)
#define NLINES		28

static void func(const struct ub_mmio *m, unsigned n, bool output)
{
	uint32_t ctrl = m->read32(m->ctx, GPIO_CTRL(n));

	/* the direction first, so the line never drives a stale level */
	m->write32(m->ctx, RIO_OE + (output ? ALIAS_SET : ALIAS_CLR), 1u << n);
	if ((ctrl & FUNCSEL_MASK) != FUNCSEL_SYS_RIO)
		m->write32(m->ctx, GPIO_CTRL(n),
			   (ctrl & ~FUNCSEL_MASK) | FUNCSEL_SYS_RIO);
	/* the pad: input enabled, output not disabled */
	m->write32(m->ctx, PADS_GPIO(n) + ALIAS_SET, PADS_IE);
	m->write32(m->ctx, PADS_GPIO(n) + ALIAS_CLR, PADS_OD);
}

static void pull(const struct ub_mmio *m, unsigned n, enum ub_mmio_pull p)
{
	uint32_t set = p == UB_MMIO_PULL_UP	? PADS_PUE
		       : p == UB_MMIO_PULL_DOWN ? PADS_PDE
						: 0;

	m->write32(m->ctx, PADS_GPIO(n) + ALIAS_CLR,
		   (PADS_PUE | PADS_PDE) & ~set);
	if (set)
		m->write32(m->ctx, PADS_GPIO(n) + ALIAS_SET, set);
}

static void write_lines(const struct ub_mmio *m, uint64_t set, uint64_t clr)
{
	if (clr)
		m->write32(m->ctx, RIO_OUT + ALIAS_CLR, (uint32_t)clr);
	if (set)
		m->write32(m->ctx, RIO_OUT + ALIAS_SET, (uint32_t)set);
}

static uint64_t read_lines(const struct ub_mmio *m)
{
	return m->read32(m->ctx, RIO_SYNC_IN) & ((1u << NLINES) - 1);
}

const struct ub_mmio_soc ub_mmio_rp1 = {
	.name = "rp1",
	.dev = "/dev/gpiomem0",
	.map_len = 0x30000,
	.nlines = NLINES,
	.func = func,
	.pull = pull,
	.write = write_lines,
	.read = read_lines,
};
