// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The BCM2835/2836/2837 and BCM2711 GPIO block, as /dev/gpiomem maps it
 * (offset 0 is the block's base, 0x7E200000 on the bus), after the
 * "BCM2835 ARM Peripherals" and "BCM2711 ARM Peripherals" documents, §5.2:
 *
 *   GPFSEL0..5   0x00..0x14  3 bits a line, 10 lines a register:
 *                            000 input, 001 output
 *   GPSET0/1     0x1C/0x20   a 1 drives the line high, a 0 does nothing
 *   GPCLR0/1     0x28/0x2C   a 1 drives the line low, a 0 does nothing
 *   GPLEV0/1     0x34/0x38   the levels, lines 0..31 and 32..53
 *   GPPUD        0x94        BCM2835..7: the pull to apply (0 off,
 *   GPPUDCLK0/1  0x98/0x9C   1 down, 2 up), clocked into the lines
 *                            whose bit is set, 150 cycles each way
 *   GPIO_PUP_PDN_CNTRL_REG0..3  0xE4..0xF0  BCM2711: 2 bits a line,
 *                            16 a register: 00 none, 01 up, 10 down
 *
 * GPSET and GPCLR touch only the lines whose bit is set, so a write never
 * needs a read first and cannot disturb a line that is not ours.
 */
#include <time.h>

#include "ub/gpio_mmio.h"

#define GPFSEL(n)	(0x00 + 4 * ((n) / 10))
#define GPSET0		0x1C
#define GPCLR0		0x28
#define GPLEV0		0x34
#define GPPUD		0x94
#define GPPUDCLK0	0x98
#define GPIO_PUP_PDN(n) (0xE4 + 4 * ((n) / 16))
#define NLINES		54

static void func(const struct ub_mmio *m, unsigned n, bool output)
{
	unsigned shift = 3 * (n % 10);
	uint32_t v = m->read32(m->ctx, GPFSEL(n));

	v = (v & ~(7u << shift)) | (output ? 1u : 0u) << shift;
	m->write32(m->ctx, GPFSEL(n), v);
}

/* Each bank in one write, only when it has lines to change. */
static void write_lines(const struct ub_mmio *m, uint64_t set, uint64_t clr)
{
	if ((uint32_t)clr)
		m->write32(m->ctx, GPCLR0, (uint32_t)clr);
	if (clr >> 32)
		m->write32(m->ctx, GPCLR0 + 4, (uint32_t)(clr >> 32));
	if ((uint32_t)set)
		m->write32(m->ctx, GPSET0, (uint32_t)set);
	if (set >> 32)
		m->write32(m->ctx, GPSET0 + 4, (uint32_t)(set >> 32));
}

static uint64_t read_lines(const struct ub_mmio *m)
{
	uint64_t lo = m->read32(m->ctx, GPLEV0);
	uint64_t hi = m->read32(m->ctx, GPLEV0 + 4) & 0x3FFFFF;

	return lo | hi << 32;
}

/* At least 150 cycles of the core clock: a microsecond is plenty. */
static void settle(void)
{
	struct timespec ts = {0, 1000};

	nanosleep(&ts, NULL);
}

static void pull_2835(const struct ub_mmio *m, unsigned n, enum ub_mmio_pull p)
{
	uint32_t clk = GPPUDCLK0 + 4 * (n / 32);

	m->write32(m->ctx, GPPUD,
		   p == UB_MMIO_PULL_UP	    ? 2
		   : p == UB_MMIO_PULL_DOWN ? 1
					    : 0);
	settle();
	m->write32(m->ctx, clk, 1u << (n % 32));
	settle();
	m->write32(m->ctx, GPPUD, 0);
	m->write32(m->ctx, clk, 0);
}

static void pull_2711(const struct ub_mmio *m, unsigned n, enum ub_mmio_pull p)
{
	unsigned shift = 2 * (n % 16);
	uint32_t v = m->read32(m->ctx, GPIO_PUP_PDN(n));
	uint32_t bits = p == UB_MMIO_PULL_UP	 ? 1
			: p == UB_MMIO_PULL_DOWN ? 2
						 : 0;

	v = (v & ~(3u << shift)) | bits << shift;
	m->write32(m->ctx, GPIO_PUP_PDN(n), v);
}

const struct ub_mmio_soc ub_mmio_bcm2835 = {
	.name = "bcm2835",
	.dev = "/dev/gpiomem",
	.map_len = 4096,
	.nlines = NLINES,
	.func = func,
	.pull = pull_2835,
	.write = write_lines,
	.read = read_lines,
};

const struct ub_mmio_soc ub_mmio_bcm2711 = {
	.name = "bcm2711",
	.dev = "/dev/gpiomem",
	.map_len = 4096,
	.nlines = NLINES,
	.func = func,
	.pull = pull_2711,
	.write = write_lines,
	.read = read_lines,
};
