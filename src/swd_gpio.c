// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SWD bit-banged on two GPIO lines, as ADIv5 §B4.2 draws it: the host sets
 * SWDIO while SWCLK is low and the target samples it on the rising edge; the
 * target changes SWDIO after a rising edge and the host reads it while SWCLK
 * is low. SWCLK and SWDIO change in one call; SWDIO turns around in place.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "ub/err.h"
#include "ub/log.h"
#include "ub/swd.h"

#define CLK UB_BIT(UB_LINE_SWCLK)
#define DIO UB_BIT(UB_LINE_SWDIO)

enum { ACK_OK = 1, ACK_WAIT = 2, ACK_FAULT = 4 };

#define WAIT_MIN_TRIES 1000
#define WAIT_MAX_TRIES 200000
#define WAIT_SECONDS   1.0
#define RESEND_TRIES   3

struct swd_gpio {
	struct ub_swd s;
	struct ub_gpio *g;
	long half_ns;	 /* half a period of SWCLK, 0 for flat out */
	uint64_t due_ns; /* when the current half period ends */
	bool driving;	 /* SWDIO is an output */
};

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * A busy wait to the end of the half period (sleeping is far coarser than
 * one). The deadline moves on by half a period each time, so the time the
 * wire itself takes is counted in: -s HZ gives HZ whenever the wire can go
 * that fast. Late by more than a period (preempted): start again from now.
 */
static void half_period(struct swd_gpio *w)
{
	uint64_t t;

	if (!w->half_ns)
		return;
	t = now_ns();
	if (!w->due_ns || t > w->due_ns + 2 * (uint64_t)w->half_ns)
		w->due_ns = t;
	w->due_ns += (uint64_t)w->half_ns;
	while (t < w->due_ns)
		t = now_ns();
}

static int drive(struct swd_gpio *w, bool on)
{
	int err;

	if (w->driving == on)
		return 0;
	err = ub_gpio_dir(w->g, DIO, on ? DIO : 0);
	if (!err)
		w->driving = on;
	return err;
}

/* n bits from the host, LSB first. */
static int put_bits(struct swd_gpio *w, uint64_t bits, unsigned n)
{
	int err;

	for (unsigned i = 0; i < n; i++, bits >>= 1) {
		err = ub_gpio_set(w->g, CLK | DIO, bits & 1 ? DIO : 0);
		if (!err) {
			half_period(w);
			err = ub_gpio_set(w->g, CLK, CLK);
		}
		if (err)
			return err;
		half_period(w);
	}
	return 0;
}

/* n bits from the target, LSB first. */
static int get_bits(struct swd_gpio *w, unsigned n, uint64_t *out)
{
	unsigned v;
	int err;

	*out = 0;
	for (unsigned i = 0; i < n; i++) {
		err = ub_gpio_set(w->g, CLK, 0);
		if (!err) {
			half_period(w);
			err = ub_gpio_get(w->g, DIO, &v);
		}
		if (!err)
			err = ub_gpio_set(w->g, CLK, CLK);
		if (err)
			return err;
		half_period(w);
		if (v & DIO)
			*out |= 1ull << i;
	}
	return 0;
}

/* One cycle in which neither side drives. */
static int turnaround(struct swd_gpio *w)
{
	uint64_t ignored;

	return get_bits(w, 1, &ignored);
}

static unsigned parity32(uint32_t v)
{
	return (unsigned)__builtin_parity(v);
}

static uint8_t request(int port, bool rnw, unsigned addr)
{
	unsigned body =
		(unsigned)port | (unsigned)rnw << 1 | (addr >> 2 & 3) << 2;

	return (uint8_t)(0x81 | body << 1 |
			 (unsigned)__builtin_parity(body) << 5);
}

/* One request and its ACK; the data phase when the ACK is OK. */
static int packet(struct swd_gpio *w, int port, unsigned addr, bool rnw,
		  uint32_t *val, unsigned *ack, bool *parity_ok)
{
	uint64_t a, d;
	int err;

	err = drive(w, true);
	if (!err)
		err = put_bits(w, request(port, rnw, addr), 8);
	if (!err)
		err = drive(w, false);
	if (!err)
		err = turnaround(w);
	if (!err)
		err = get_bits(w, 3, &a);
	if (err)
		return err;
	*ack = (unsigned)a;
	*parity_ok = true;
	if (*ack == ACK_OK && rnw) {
		err = get_bits(w, 33, &d);
		if (!err)
			err = turnaround(w);
		*val = (uint32_t)d;
		*parity_ok = parity32(*val) == (unsigned)(d >> 32 & 1);
	} else {
		/* WAIT and FAULT have no data phase (overrun detection off) */
		err = turnaround(w);
	}
	if (!err)
		err = drive(w, true);
	if (!err && *ack == ACK_OK && !rnw)
		err = put_bits(w, *val | (uint64_t)parity32(*val) << 32, 33);
	/* idle cycles let a posted write complete before the next request */
	if (!err)
		err = put_bits(w, 0, 2);
	return err;
}

static int fail_dead(struct swd_gpio *w, unsigned ack)
{
	w->s.st.no_acks++;
	w->s.sticky = ub_fail(UB_ENOTARGET,
			      "no answer on SWD (ACK bits %u%u%u): check "
			      "power, GND and the SWDIO/SWCLK wires",
			      ack & 1, ack >> 1 & 1, ack >> 2 & 1);
	return w->s.sticky;
}

static int transfer(struct swd_gpio *w, int port, unsigned addr, bool rnw,
		    uint32_t *val);

/* After FAULT: say why, and clear the sticky flags so the link goes on. */
static int fault(struct swd_gpio *w)
{
	uint32_t ctrl = 0;
	int err;

	w->s.st.faults++;
	err = transfer(w, UB_SWD_DP, UB_DP_CTRL, true, &ctrl);
	if (!err)
		err = transfer(w, UB_SWD_DP, UB_DP_ABORT, false,
			       &(uint32_t){UB_ABORT_ALL});
	if (err)
		return err;
	return ub_fail(UB_EPROTO,
		       "the debug port answered FAULT (CTRL/STAT 0x%08X: %s); "
		       "the access was refused by the target's bus",
		       ctrl,
		       ctrl & 0x80   ? "write data parity error"
		       : ctrl & 0x20 ? "bus error on the last access"
				     : "sticky error");
}

static int transfer(struct swd_gpio *w, int port, unsigned addr, bool rnw,
		    uint32_t *val)
{
	double start = 0;
	unsigned ack, tries = 0;
	bool parity_ok;
	int err;

	for (;;) {
		w->s.st.transfers++;
		err = packet(w, port, addr, rnw, val, &ack, &parity_ok);
		if (err)
			return w->s.sticky = err;
		if (ack == ACK_OK)
			break;
		if (ack == ACK_FAULT)
			return fault(w);
		if (ack != ACK_WAIT)
			return fail_dead(w, ack);
		w->s.st.waits++;
		if (!tries++)
			start = seconds();
		if (tries > WAIT_MAX_TRIES ||
		    (tries > WAIT_MIN_TRIES &&
		     seconds() - start > WAIT_SECONDS))
			return ub_fail(UB_ETIMEOUT,
				       "the target kept answering WAIT (%u "
				       "times): it is stuck on a bus access",
				       tries);
	}
	/* a corrupted read: the DP keeps the last data for RESEND */
	for (unsigned i = 0; !parity_ok && i < RESEND_TRIES; i++) {
		w->s.st.parity_retries++;
		err = packet(w, UB_SWD_DP, UB_DP_RESEND, true, val, &ack,
			     &parity_ok);
		if (err)
			return w->s.sticky = err;
		if (ack != ACK_OK)
			return ack == ACK_FAULT ? fault(w) : fail_dead(w, ack);
	}
	if (!parity_ok)
		return ub_fail(UB_EPROTO,
			       "SWD read data kept failing its parity check: "
			       "noisy wires? Shorten them or lower -s");
	return 0;
}

static int gpio_read(struct ub_swd *s, int port, unsigned addr, uint32_t *val)
{
	return transfer((struct swd_gpio *)s, port, addr, true, val);
}

static int gpio_write(struct ub_swd *s, int port, unsigned addr, uint32_t val)
{
	return transfer((struct swd_gpio *)s, port, addr, false, &val);
}

static int gpio_seq(struct ub_swd *s, const uint8_t *bits, unsigned n)
{
	struct swd_gpio *w = (struct swd_gpio *)s;
	int err = drive(w, true);

	for (unsigned i = 0; !err && i < n; i += 8)
		err = put_bits(w, bits[i / 8], n - i < 8 ? n - i : 8);
	return err;
}

static void gpio_free(struct ub_swd *s)
{
	free(s);
}

static const struct ub_swd_ops gpio_ops = {
	.read = gpio_read,
	.write = gpio_write,
	.seq = gpio_seq,
	.free = gpio_free,
};

struct ub_swd *ub_swd_new_gpio(struct ub_gpio *g, uint32_t hz, int *err)
{
	struct swd_gpio *w;

	if ((g->have & (CLK | DIO)) != (CLK | DIO)) {
		*err = ub_fail(UB_ECONFIG,
			       "SWD needs the swclk and swdio "
			       "lines: the board profile does not wire them");
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		*err = ub_fail(UB_ENOMEM, "out of memory");
		return NULL;
	}
	w->s.ops = &gpio_ops;
	w->g = g;
	if (!hz)
		hz = g->default_hz;
	w->half_ns = hz ? 500000000L / (long)hz : 0;
	w->driving = g->outputs & DIO;
	if (hz)
		ub_info("SWD on %s GPIO (%s), SWCLK %u.%03u MHz (a calibrated "
			"delay%s)",
			g->backend, g->detail ? g->detail : "?", hz / 1000000,
			hz / 1000 % 1000,
			g->default_hz == hz ? ", -s to change" : "");
	else
		ub_info("SWD on %s GPIO (%s), SWCLK as fast as the wire goes "
			"(-s to limit)",
			g->backend, g->detail ? g->detail : "?");
	return &w->s;
}
