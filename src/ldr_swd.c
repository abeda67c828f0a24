// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Running loaders on a Cortex-M over SWD: the RAM layout, loading, starting
 * at the entry with r0 = the parameter block, waiting for the BKPT, and the
 * CRC-32 loader's host side. The calling convention is in ub/loader.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ub/cortexm.h"
#include "ub/err.h"
#include "ub/loader.h"
#include "ub/log.h"

/* ARMv7-M ARM C1.6: the bits of the debug registers used here */
#define S_HALT	    (1u << 17)
#define VC_HARDERR  (1u << 10)
#define DFSR_BKPT   (1u << 1)
#define DFSR_VCATCH (1u << 3)
#define XPSR_THUMB  0x01000000u

#define TRIES	 4     /* accesses lost to a FAULT are done again */
#define WORK_MIN 2048u /* the CRC table and results, two small buffers */
#define CRC_MAX	 256u  /* CRCs one call gives at most */
/* a CRC's pace at the least: 4 cycles a byte at 8 MHz would be 2000 */
#define CRC_BYTES_PER_MS 256u

_Static_assert(sizeof(struct ub_ldr_flash) <= UB_LDR_PARAMS &&
		       sizeof(struct ub_ldr_crc) <= UB_LDR_PARAMS &&
		       sizeof(struct ub_ldr_spi) <= UB_LDR_PARAMS,
	       "the parameter blocks fit their room");

static const struct ub_ldr_image *const images[UB_LDR_NSLOTS] = {
	[UB_LDR_FLASH] = &ub_ldr_flash_f1,
	[UB_LDR_CRC] = &ub_ldr_crc32,
	[UB_LDR_SPI] = &ub_ldr_spi_f1,
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The explanation of a loader's failure, also as a warning: the caller may
 * go on without loaders and succeed. */
static int say(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int say(int err, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ub_warn("%s", msg);
	return ub_fail(err, "%s", msg);
}

static uint32_t align8(uint32_t v)
{
	return (v + 7) & ~7u;
}

int ub_ldr_swd_init(struct ub_ldr_swd *l, struct ub_cm *cm, uint32_t ram_base,
		    uint32_t ram_size)
{
	uint32_t at = ram_base + UB_LDR_RAM_SKIP, end = ram_base + ram_size;

	memset(l, 0, sizeof(*l));
	l->cm = cm;
	l->timeout_ms = UB_LDR_TIMEOUT_MS;
	for (int s = 0; s < UB_LDR_NSLOTS; s++) {
		l->code[s] = at;
		at = align8(at + images[s]->size);
	}
	l->params = at;
	l->stack = l->params + UB_LDR_PARAMS + UB_LDR_STACK;
	l->work = l->stack;
	if (end < l->work + WORK_MIN) {
		l->broken = true;
		return ub_fail(UB_EUNSUPPORTED,
			       "%u bytes of RAM are too few for the loaders",
			       ram_size);
	}
	l->work_len = end - l->work;
	return 0;
}

/*
 * The wire may lose an access to a FAULT (reported on that access or the
 * next one). Everything a loader run does by the debug port is safe to do
 * again, so these repeat an access that failed so.
 */
int ub_ldr_swd_mem(struct ub_ldr_swd *l, uint32_t addr, void *buf, size_t n,
		   bool write)
{
	int err = 0;

	for (int i = 0; i < TRIES; i++) {
		err = write ? ub_dap_write(l->cm->dap, addr, buf, n)
			    : ub_dap_read(l->cm->dap, addr, buf, n);
		if (err != UB_EPROTO)
			break;
	}
	return err;
}

static int rd32(struct ub_ldr_swd *l, uint32_t addr, uint32_t *v)
{
	return ub_ldr_swd_mem(l, addr, v, 4, false);
}

static int wr32(struct ub_ldr_swd *l, uint32_t addr, uint32_t v)
{
	return ub_ldr_swd_mem(l, addr, &v, 4, true);
}

static int reg_write(struct ub_ldr_swd *l, unsigned reg, uint32_t v)
{
	int err = 0;

	for (int i = 0; i < TRIES; i++) {
		err = ub_cm_reg_write(l->cm, reg, v);
		if (err != UB_EPROTO)
			break;
	}
	return err;
}

static int reg_read(struct ub_ldr_swd *l, unsigned reg, uint32_t *v)
{
	int err = 0;

	for (int i = 0; i < TRIES; i++) {
		err = ub_cm_reg_read(l->cm, reg, v);
		if (err != UB_EPROTO)
			break;
	}
	return err;
}

static int load(struct ub_ldr_swd *l, enum ub_ldr_slot s)
{
	const struct ub_ldr_image *img = images[s];
	int err;

	if (l->loaded & (1u << s))
		return 0;
	ub_info("%s loader: %u bytes at 0x%08X", img->name, img->size,
		l->code[s]);
	err = ub_ldr_swd_mem(l, l->code[s], (void *)img->code, img->size, true);
	if (!err)
		l->loaded |= 1u << s;
	return err;
}

/* Let the core run; make sure it does (the write that resumes it may be
 * lost on the wire): halted and not at a BKPT or fault is not running. */
static int resume(struct ub_ldr_swd *l)
{
	uint32_t dhcsr = 0, dfsr = 0;
	int err = 0;

	for (int i = 0; i < TRIES; i++) {
		err = ub_cm_resume(l->cm);
		if (err && err != UB_EPROTO)
			return err;
		err = rd32(l, UB_DHCSR, &dhcsr);
		if (!err && (dhcsr & S_HALT))
			err = rd32(l, UB_DFSR, &dfsr);
		if (err || !(dhcsr & S_HALT) ||
		    (dfsr & (DFSR_BKPT | DFSR_VCATCH)))
			return err;
	}
	return ub_fail(UB_EPROTO, "the core does not resume (DHCSR 0x%08X)",
		       dhcsr);
}

int ub_ldr_swd_start(struct ub_ldr_swd *l, enum ub_ldr_slot s,
		     const void *params, size_t n)
{
	int err;

	if (l->broken)
		return ub_fail(UB_EUNSUPPORTED, "the loaders are not used "
						"after one failed");
	err = load(l, s);
	if (!err)
		err = ub_ldr_swd_mem(l, l->params, (void *)params, n, true);
	if (!err)
		err = reg_write(l, UB_REG_R0, l->params);
	if (!err)
		err = reg_write(l, UB_REG_SP, l->stack);
	if (!err)
		err = reg_write(l, UB_REG_PC,
				(l->code[s] + images[s]->entry) | 1);
	if (!err)
		err = reg_write(l, UB_REG_XPSR, XPSR_THUMB);
	/* a fault halts the core at once instead of locking it up */
	if (!err)
		err = wr32(l, UB_DEMCR, VC_HARDERR);
	if (!err)
		err = resume(l);
	return err;
}

int ub_ldr_swd_stopped(struct ub_ldr_swd *l, bool *stopped)
{
	uint32_t v = 0;
	int err = rd32(l, UB_DHCSR, &v);

	*stopped = !err && (v & S_HALT);
	return err;
}

void ub_ldr_swd_stop(struct ub_ldr_swd *l)
{
	ub_cm_halt(l->cm);
	wr32(l, UB_DEMCR, 0);
	l->loaded = 0;
}

void ub_ldr_swd_abandon(struct ub_ldr_swd *l)
{
	ub_ldr_swd_stop(l);
	ub_cm_reset(l->cm, UB_RESET_HALT);
	l->broken = true;
}

/* The core halted: at the loader's BKPT, or somewhere else. */
static int stopped_where(struct ub_ldr_swd *l, enum ub_ldr_slot s,
			 uint32_t *status)
{
	uint32_t dfsr = 0, pc = 0;
	int err = rd32(l, UB_DFSR, &dfsr);

	if (!err)
		err = wr32(l, UB_DEMCR, 0);
	if (!err && (dfsr & DFSR_BKPT))
		return reg_read(l, UB_REG_R0, status);
	if (err)
		return err;
	reg_read(l, UB_REG_PC, &pc);
	l->loaded = 0;
	l->broken = true;
	return say(UB_EPROTO,
		   "the %s loader %s at 0x%08X (its offset 0x%X) instead of "
		   "finishing: a range the chip does not have, or its code "
		   "damaged in RAM? Going on without loaders",
		   images[s]->name, dfsr & DFSR_VCATCH ? "faulted" : "stopped",
		   pc, pc - l->code[s]);
}

int ub_ldr_swd_wait_beat(struct ub_ldr_swd *l, enum ub_ldr_slot s,
			 unsigned timeout_ms, uint32_t beat_addr,
			 uint32_t *status)
{
	double deadline = now_ms() + timeout_ms;
	uint32_t beat = 0, b;
	bool stopped = false;
	int err;

	for (;;) {
		err = ub_ldr_swd_stopped(l, &stopped);
		if (err || stopped)
			break;
		if (beat_addr && !rd32(l, beat_addr, &b) && b != beat) {
			beat = b; /* at work: the time starts again */
			deadline = now_ms() + timeout_ms;
		}
		if (now_ms() > deadline) {
			ub_ldr_swd_abandon(l);
			return say(UB_ETIMEOUT,
				   "the %s loader %s %u ms: it was stopped "
				   "and the target reset; going on without "
				   "loaders",
				   images[s]->name,
				   beat_addr ? "showed no progress for"
					     : "did not finish within",
				   timeout_ms);
		}
	}
	if (err) { /* the wire failed: stop it where it is, if it can be */
		ub_ldr_swd_stop(l);
		return err;
	}
	return stopped_where(l, s, status);
}

int ub_ldr_swd_wait(struct ub_ldr_swd *l, enum ub_ldr_slot s,
		    unsigned timeout_ms, uint32_t *status)
{
	return ub_ldr_swd_wait_beat(l, s, timeout_ms, 0, status);
}

/* How long a CRC over len bytes may take, at the least core clock. */
static unsigned crc_timeout(const struct ub_ldr_swd *l, uint32_t len)
{
	return l->timeout_ms + len / CRC_BYTES_PER_MS;
}

/* One run of the CRC loader: at most CRC_MAX blocks. */
static int crc_run(struct ub_ldr_swd *l, uint32_t addr, uint32_t len,
		   uint32_t block, uint32_t nout, uint32_t *crc)
{
	struct ub_ldr_crc p = {
		.addr = addr,
		.len = len,
		.block = block,
		.table = l->work,
		.out = l->work + UB_LDR_CRC_TABLE,
	};
	uint32_t status = 0;
	int err = ub_ldr_swd_start(l, UB_LDR_CRC, &p, sizeof(p));

	if (!err)
		err = ub_ldr_swd_wait(l, UB_LDR_CRC, crc_timeout(l, len),
				      &status);
	if (!err && status != UB_LDR_OK)
		err = ub_fail(UB_EPROTO,
			      "the CRC-32 loader refused its parameters "
			      "(status %u)",
			      status);
	if (!err)
		err = ub_ldr_swd_mem(l, p.out, crc, 4 * nout, false);
	return err;
}

int ub_ldr_swd_crc32(struct ub_ldr_swd *l, uint32_t addr, uint32_t len,
		     uint32_t block, uint32_t *crc)
{
	uint32_t room = (l->work_len - UB_LDR_CRC_TABLE) / 4;
	uint32_t max = room < CRC_MAX ? room : CRC_MAX;
	int err = 0;

	if (!block || !len)
		return crc_run(l, addr, len, 0, 1, crc);
	while (!err && len) {
		uint32_t nb = len / block + (len % block != 0);
		uint64_t span;
		uint32_t n;

		if (nb > max)
			nb = max;
		span = (uint64_t)nb * block;
		n = span < len ? (uint32_t)span : len;
		err = crc_run(l, addr, n, block, nb, crc);
		addr += n;
		len -= n;
		crc += nb;
	}
	return err;
}
