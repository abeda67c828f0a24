// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The flash loader's host side over SWD: the data goes in jobs (a run of
 * halfwords that are not 0xFFFF, at most a buffer long) into the two
 * buffers in turn; while the target programs one, the debug port fills the
 * other, so the wire and the flash work at the same time. The jobs start
 * small and double, so that the flash starts early. The handshake is in
 * ub/loader.h (struct ub_ldr_flash).
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "ub/cortexm.h"
#include "ub/err.h"
#include "ub/loader.h"

#define BUF_MAX	  1024u /* bytes per buffer */
#define FIRST_JOB 64u	/* bytes in the first job */

struct stream {
	struct ub_ldr_swd *l;
	uint32_t buf_len;
	uint8_t pad[BUF_MAX];
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static uint32_t buf_at(const struct ub_ldr_swd *l, uint32_t job)
{
	return l->params + offsetof(struct ub_ldr_flash, buf) +
	       (job & 1) * sizeof(struct ub_ldr_buf);
}

/*
 * Wait until the loader has done job n, or stopped: *stopped when its
 * status says it did, the core halted, or it takes too long (then
 * ub_ldr_swd_wait times it out).
 */
static int wait_jobs(struct stream *s, uint32_t n, bool *stopped)
{
	struct ub_ldr_swd *l = s->l;
	double deadline = now_ms() + l->timeout_ms;
	uint32_t v[2]; /* jobs, status */
	int err;

	*stopped = false;
	for (unsigned k = 1;; k++) {
		err = ub_ldr_swd_mem(
			l, l->params + offsetof(struct ub_ldr_flash, jobs), v,
			sizeof(v), false);
		if (err || v[1] || v[0] >= n) {
			*stopped = !err && v[1];
			return err;
		}
		if (k % 32 == 0) {
			err = ub_ldr_swd_stopped(l, stopped);
			if (err || *stopped)
				return err;
		}
		if (now_ms() > deadline) {
			*stopped = true;
			return 0;
		}
	}
}

/* Set the seq word of job's buffer, and read it back: the one write the
 * loader waits for must not be lost. */
static int set_seq(struct stream *s, uint32_t job, uint32_t seq)
{
	uint32_t at = buf_at(s->l, job) + offsetof(struct ub_ldr_buf, seq);
	uint32_t back = 0;
	int err = 0;

	for (int i = 0; i < 4; i++) {
		err = ub_ldr_swd_mem(s->l, at, &seq, 4, true);
		if (!err)
			err = ub_ldr_swd_mem(s->l, at, &back, 4, false);
		if (!err && back == seq)
			return 0;
	}
	return err ? err
		   : ub_fail(UB_EPROTO,
			     "the flash loader's buffer does not keep what "
			     "is written to it (0x%08X, then 0x%08X)",
			     seq, back);
}

/* Hand job n, len bytes for addr, to the target. */
static int send(struct stream *s, uint32_t n, uint32_t addr,
		const uint8_t *data, uint32_t len)
{
	struct ub_ldr_swd *l = s->l;
	struct ub_ldr_buf b = {
		.addr = addr,
		.len = len,
		.data = l->work + (n & 1) * s->buf_len,
	};
	uint32_t words = (len + 3) & ~3u;
	int err;

	memcpy(s->pad, data, len);
	memset(s->pad + len, 0xFF, words - len);
	err = ub_ldr_swd_mem(l, b.data, s->pad, words, true);
	if (!err)
		err = ub_ldr_swd_mem(l, buf_at(l, n), &b,
				     offsetof(struct ub_ldr_buf, seq), true);
	return err ? err : set_seq(s, n, n);
}

/* What the loader said when it stopped. */
static int result(struct stream *s, uint32_t status, uint32_t jobs,
		  uint32_t sent)
{
	struct ub_ldr_flash p;
	int err = ub_ldr_swd_mem(s->l, s->l->params, &p,
				 offsetof(struct ub_ldr_flash, buf), false);

	if (err)
		return err;
	switch (status) {
	case UB_LDR_OK:
		if (p.done == sent && p.jobs == jobs)
			return 0;
		return ub_fail(UB_EPROTO,
			       "the flash loader did %u jobs, %u bytes, of %u "
			       "jobs, %u bytes",
			       p.jobs, p.done, jobs, sent);
	case UB_LDR_WRPRTERR:
		return ub_fail(UB_EPROTECTED,
			       "programming at 0x%08X refused: the page is "
			       "write-protected (run 'unbrick unprotect')",
			       p.err_addr);
	case UB_LDR_PGERR:
		return ub_fail(UB_EIO,
			       "programming at 0x%08X failed: the flash there "
			       "was not erased (PGERR)",
			       p.err_addr);
	default:
		return ub_fail(UB_EPROTO,
			       "the flash loader stopped with status %u",
			       status);
	}
}

/* Send every job of buf; the number of the last in *jobs. */
static int stream(struct stream *s, uint32_t addr, const uint8_t *buf,
		  size_t len, uint32_t *jobs, uint32_t *sent, bool *stopped)
{
	uint32_t max = FIRST_JOB, job = 0;
	size_t pos = 0, off, n;
	int err = 0;

	*stopped = false;
	while (!err && ub_ldr_next_job(buf, len, &pos, max, &off, &n)) {
		/* its buffer held job - 1: done? */
		if (job >= 2)
			err = wait_jobs(s, job - 1, stopped);
		if (err || *stopped)
			break;
		err = send(s, ++job, addr + (uint32_t)off, buf + off,
			   (uint32_t)n);
		*sent += (uint32_t)n;
		max = 2 * max < s->buf_len ? 2 * max : s->buf_len;
	}
	*jobs = job;
	if (!err && !*stopped && job >= 1)
		err = wait_jobs(s, job - 1, stopped);
	if (!err && !*stopped)
		err = set_seq(s, job + 1, UB_LDR_END | (job + 1));
	return err;
}

int ub_ldr_swd_program(struct ub_ldr_swd *l, uint32_t fpec, uint32_t addr,
		       const uint8_t *buf, size_t len)
{
	struct stream s = {.l = l};
	struct ub_ldr_flash p = {.fpec = fpec};
	uint32_t status = 0, jobs = 0, sent = 0;
	bool stopped;
	int err;

	s.buf_len =
		l->work_len / 2 < BUF_MAX ? (l->work_len / 2) & ~3u : BUF_MAX;
	if ((addr | len) & 1)
		return ub_fail(UB_EINVAL, "flash is programmed by halfwords");
	err = ub_ldr_swd_start(l, UB_LDR_FLASH, &p, sizeof(p));
	if (err)
		return err;
	err = stream(&s, addr, buf, len, &jobs, &sent, &stopped);
	if (err) { /* the wire failed: stop the loader where it is */
		ub_ldr_swd_stop(l);
		return err;
	}
	err = ub_ldr_swd_wait(l, UB_LDR_FLASH, l->timeout_ms, &status);
	return err ? err : result(&s, status, jobs, sent);
}
