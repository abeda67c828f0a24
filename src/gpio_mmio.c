// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Memory-mapped GPIO for the fast lines: which SoC this is, mapping its
 * GPIO block, and a wire whose SWD and SPI lines are driven through the
 * registers (src/gpio_mmio_bcm.c, src/gpio_mmio_rp1.c) while a libgpiod
 * session holds every line: the kernel sees them in use (another program
 * gets EBUSY, and we get its name), drives NRST, BOOT0 and the buttons,
 * and puts every line back as an input at the end.
 *
 * Order on the wire, as with libgpiod: a falling clock first, then data;
 * data first, then a rising clock, so the data is set up before the edge
 * the target samples on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ub/err.h"
#include "ub/gpio_mmio.h"

#define CLOCKS	      (UB_BIT(UB_LINE_SWCLK) | UB_BIT(UB_LINE_SPI_CLK))
#define DT_COMPATIBLE "/proc/device-tree/compatible"

struct mwire {
	struct ub_gpio g;
	struct ub_gpio *base;
	const struct ub_mmio_soc *soc;
	struct ub_mmio m;
	unsigned fast;		    /* roles driven through the registers */
	uint64_t bit[UB_LINE_MAX];  /* their line's bit, by role */
	unsigned line[UB_LINE_MAX]; /* their line, by role */
	char detail[48];	    /* "bcm2711, /dev/gpiomem" */
	void *map;		    /* the mapping, when ours */
	size_t map_len;
	int fd;
};

static const struct ub_gpio_ops mmio_ops;

/* --- which SoC --- */

const struct ub_mmio_soc *ub_mmio_soc_of(const char *compat, size_t len)
{
	static const struct {
		const char *compat;
		const struct ub_mmio_soc *soc;
	} known[] = {
		{"brcm,bcm2835", &ub_mmio_bcm2835},
		{"brcm,bcm2836", &ub_mmio_bcm2835},
		{"brcm,bcm2837", &ub_mmio_bcm2835},
		{"brcm,bcm2711", &ub_mmio_bcm2711},
		{"brcm,bcm2712", &ub_mmio_rp1}, /* the Pi 5: GPIO on its RP1 */
	};

	for (size_t at = 0; at < len;) {
		const char *s = compat + at;
		size_t n = strnlen(s, len - at);

		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (n == strlen(known[i].compat) &&
			    !memcmp(s, known[i].compat, n))
				return known[i].soc;
		at += n + 1;
	}
	return NULL;
}

const struct ub_mmio_soc *ub_mmio_detect(char *model, size_t len)
{
	char buf[512];
	size_t n = 0;
	FILE *f = fopen(DT_COMPATIBLE, "r");

	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = 0;
	if (model && len)
		snprintf(model, len, "%s", buf);
	return ub_mmio_soc_of(buf, n);
}

/* --- the wire --- */

static struct mwire *mwire_of(struct ub_gpio *g)
{
	return (struct mwire *)g;
}

/* The line bits of the roles in mask that are to be high and low. */
static void line_bits(const struct mwire *w, unsigned mask, unsigned levels,
		      uint64_t *set, uint64_t *clr)
{
	*set = 0;
	*clr = 0;
	for (unsigned r = 0; mask >> r; r++)
		if (mask >> r & 1) {
			if (levels >> r & 1)
				*set |= w->bit[r];
			else
				*clr |= w->bit[r];
		}
}

/* Keep our view of the slow lines as base has it. */
static void sync_slow(struct mwire *w)
{
	unsigned slow = ~w->fast;

	w->g.levels = (w->g.levels & w->fast) | (w->base->levels & slow);
	w->g.outputs = (w->g.outputs & w->fast) | (w->base->outputs & slow);
}

static int mmio_set(struct ub_gpio *g, unsigned mask, unsigned values)
{
	struct mwire *w = mwire_of(g);
	unsigned fm = mask & w->fast, slow = mask & ~w->fast;
	unsigned want = (g->levels & ~fm) | (values & fm);
	unsigned change = (want ^ g->levels) & fm & g->outputs;
	uint64_t set, clr;
	int err;

	if (mask & ~g->have)
		return ub_fail(UB_EINVAL,
			       "GPIO line role %d was not requested in this "
			       "session",
			       __builtin_ctz(mask & ~g->have));
	if (slow) {
		err = ub_gpio_set(w->base, slow, values);
		sync_slow(w);
		if (err)
			return err;
	}
	g->levels = (g->levels & ~fm) | (want & fm);
	if (!change)
		return 0;
	g->writes++;
	if (change & CLOCKS & ~want) {
		/* a falling clock: the clock, then the data */
		line_bits(w, change & CLOCKS, want, &set, &clr);
		w->soc->write(&w->m, set, clr);
		change &= ~CLOCKS;
	}
	line_bits(w, change & ~CLOCKS, want, &set, &clr);
	if (set | clr)
		w->soc->write(&w->m, set, clr);
	line_bits(w, change & CLOCKS, want, &set, &clr);
	if (set | clr)
		w->soc->write(&w->m, set, clr);
	return 0;
}

static int mmio_get(struct ub_gpio *g, unsigned mask, unsigned *values)
{
	struct mwire *w = mwire_of(g);
	unsigned fm = mask & w->fast, slow = mask & ~w->fast, v = 0;
	uint64_t lev;
	int err;

	if (mask & ~g->have)
		return ub_fail(UB_EINVAL,
			       "GPIO line role %d was not requested in this "
			       "session",
			       __builtin_ctz(mask & ~g->have));
	if (slow) {
		err = ub_gpio_get(w->base, slow, &v);
		if (err)
			return err;
	}
	if (fm) {
		lev = w->soc->read(&w->m);
		for (unsigned r = 0; fm >> r; r++)
			if (fm >> r & 1 && lev & w->bit[r])
				v |= UB_BIT(r);
	}
	*values = v & mask;
	return 0;
}

/* Turn role r, in place: an output drives its remembered level at once. */
static void turn(struct mwire *w, unsigned r, bool output)
{
	uint64_t set, clr;

	if (output) {
		line_bits(w, UB_BIT(r), w->g.levels, &set, &clr);
		w->soc->write(&w->m, set, clr);
	}
	w->soc->func(&w->m, w->line[r], output);
}

static int mmio_dir(struct ub_gpio *g, unsigned mask, unsigned outputs)
{
	struct mwire *w = mwire_of(g);
	unsigned fm = mask & w->fast, slow = mask & ~w->fast;
	unsigned change = ((outputs & fm) ^ g->outputs) & fm;
	int err;

	if (mask & ~g->have)
		return ub_fail(UB_EINVAL,
			       "GPIO line role %d was not requested in this "
			       "session",
			       __builtin_ctz(mask & ~g->have));
	if (slow) {
		err = ub_gpio_dir(w->base, slow, outputs);
		sync_slow(w);
		if (err)
			return err;
	}
	for (unsigned r = 0; change >> r; r++)
		if (change >> r & 1)
			turn(w, r, outputs >> r & 1);
	g->outputs = (g->outputs & ~fm) | (outputs & fm);
	return 0;
}

static void mmio_close(struct ub_gpio *g)
{
	struct mwire *w = mwire_of(g);

	ub_gpio_untrack(g);
	/* back to inputs, as before we came; base then lets go */
	for (unsigned r = 0; w->fast >> r; r++)
		if (w->fast >> r & 1)
			w->soc->func(&w->m, w->line[r], false);
	ub_gpio_close(w->base);
	if (w->map)
		munmap(w->map, w->map_len);
	if (w->fd >= 0)
		close(w->fd);
	free(w);
}

static const struct ub_gpio_ops mmio_ops = {
	.set = mmio_set,
	.get = mmio_get,
	.dir = mmio_dir,
	.close = mmio_close,
};

static struct mwire *wrap(struct ub_gpio *base, const struct ub_mmio_soc *soc,
			  const struct ub_mmio *m,
			  const struct ub_gpio_req *req, unsigned n,
			  unsigned fast, int *err)
{
	struct mwire *w;

	for (unsigned i = 0; i < n; i++)
		if (fast & UB_BIT(req[i].line) &&
		    (unsigned)req[i].bcm >= soc->nlines) {
			*err = ub_fail(UB_EUNSUPPORTED,
				       "GPIO%d is beyond the %u lines that "
				       "memory-mapped GPIO drives on the %s: "
				       "use --gpio gpiod",
				       req[i].bcm, soc->nlines, soc->name);
			return NULL;
		}
	w = calloc(1, sizeof(*w));
	if (!w) {
		*err = ub_fail(UB_ENOMEM, "out of memory for the GPIO lines");
		return NULL;
	}
	w->g = *base;
	w->g.ops = &mmio_ops;
	w->g.backend = "mmio";
	snprintf(w->detail, sizeof(w->detail), "%s, %s", soc->name, soc->dev);
	w->g.detail = w->detail;
	w->g.default_hz = UB_MMIO_DEFAULT_HZ;
	w->g.writes = 0;
	w->base = base;
	w->soc = soc;
	w->m = *m;
	w->fd = -1;
	for (unsigned i = 0; i < n; i++) {
		const struct ub_gpio_req *r = &req[i];

		if (!(fast & UB_BIT(r->line)) ||
		    !(base->have & UB_BIT(r->line)))
			continue;
		w->fast |= UB_BIT(r->line);
		w->line[r->line] = (unsigned)r->bcm;
		w->bit[r->line] = 1ull << r->bcm;
	}
	/* the pull, then the level, then the direction */
	for (unsigned i = 0; i < n; i++) {
		const struct ub_gpio_req *r = &req[i];

		if (!(w->fast & UB_BIT(r->line)))
			continue;
		soc->pull(&w->m, (unsigned)r->bcm,
			  r->pull_up ? UB_MMIO_PULL_UP : UB_MMIO_PULL_NONE);
		turn(w, r->line, w->g.outputs & UB_BIT(r->line));
	}
	ub_gpio_untrack(base);
	ub_gpio_track(&w->g);
	return w;
}

struct ub_gpio *ub_gpio_mmio_wrap(struct ub_gpio *base,
				  const struct ub_mmio_soc *soc,
				  const struct ub_mmio *m,
				  const struct ub_gpio_req *req, unsigned n,
				  unsigned fast, int *err)
{
	struct mwire *w = wrap(base, soc, m, req, n, fast, err);

	if (!w) {
		ub_gpio_close(base);
		return NULL;
	}
	return &w->g;
}

/* --- this machine's registers --- */

static uint32_t mem_read32(void *ctx, uint32_t off)
{
	return *(volatile uint32_t *)((char *)ctx + off);
}

static void mem_write32(void *ctx, uint32_t off, uint32_t val)
{
	*(volatile uint32_t *)((char *)ctx + off) = val;
}

struct ub_gpio *ub_gpio_open_mmio(struct ub_gpio *base,
				  const struct ub_gpio_req *req, unsigned n,
				  unsigned fast, int *err)
{
	const struct ub_mmio_soc *soc = ub_mmio_detect(NULL, 0);
	struct ub_mmio m = {mem_read32, mem_write32, NULL};
	struct mwire *w;
	void *map;
	int fd, e;

	if (!soc) {
		*err = ub_fail(UB_EUNSUPPORTED,
			       "no memory-mapped GPIO here: %s names no "
			       "BCM2835, 2836, 2837, 2711 or 2712 (use --gpio "
			       "gpiod)",
			       DT_COMPATIBLE);
		return NULL;
	}
	fd = open(soc->dev, O_RDWR | O_SYNC | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		if (e == EACCES || e == EPERM)
			*err = ub_fail(UB_EPERM,
				       "no permission for %s: add yourself to "
				       "the gpio group (sudo adduser $USER "
				       "gpio, then log in again), or use "
				       "--gpio gpiod",
				       soc->dev);
		else
			*err = ub_fail(UB_ENOENT,
				       "cannot open %s for the %s's GPIO: %s "
				       "(use --gpio gpiod)",
				       soc->dev, soc->name, strerror(e));
		return NULL;
	}
	map = mmap(NULL, soc->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   0);
	if (map == MAP_FAILED) {
		*err = ub_fail(UB_EIO, "cannot map %s: %s (use --gpio gpiod)",
			       soc->dev, strerror(errno));
		close(fd);
		return NULL;
	}
	m.ctx = map;
	w = wrap(base, soc, &m, req, n, fast, err);
	if (!w) {
		munmap(map, soc->map_len);
		close(fd);
		return NULL;
	}
	w->map = map;
	w->map_len = soc->map_len;
	w->fd = fd;
	return &w->g;
}
