// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The STM32 ROM bootloader's USART protocol (ST AN3155): sync, the
 * exchanges every command shares, getting back in step after a fault, and
 * the commands that identify, read and start code. Write Memory, Erase and
 * the option-byte commands are in an3155_mem.c.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "an3155_priv.h"
#include "ub/err.h"
#include "ub/log.h"

/* A byte that no command can take as the end of a valid frame (an even
 * count of it XORs to 0, and its complement is not itself): see resync. */
#define FILLER		 0x02
#define FILL_ROUNDS	 20
#define READ_AGREE_TRIES 4
#define GAP_MS		 30

void ub_an3155_init(struct ub_an3155 *bl, struct ub_serial *ser)
{
	memset(bl, 0, sizeof(*bl));
	bl->ser = ser;
	bl->tries = 4;
	bl->ack_ms = 1000;
	bl->reply_ms = 200;
	bl->sync_ms = 300;
	bl->sync_tries = 6;
	bl->page_ms = 100;
	bl->mass_ms = 30000;
	bl->boot_ms = 100;
	bl->confirm = true;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void record(struct ub_an3155 *bl, enum ub_bl_why why)
{
	bl->why = why;
	if (why == UB_BL_WHY_NACK)
		bl->st.nacks++;
	else if (why == UB_BL_WHY_SILENT)
		bl->st.timeouts++;
}

int ub_bl_send(struct ub_an3155 *bl, const void *buf, size_t n)
{
	return ub_serial_write(
		bl->ser, buf, n,
		bl->ack_ms + (unsigned)(n * ub_serial_byte_us(bl->ser) / 1000));
}

int ub_bl_ack(struct ub_an3155 *bl, unsigned timeout_ms)
{
	double deadline = now_ms() + timeout_ms;
	unsigned garbage = 0;

	for (;;) {
		double left = deadline - now_ms();
		uint8_t b;
		int r;

		if (left < 1)
			left = 1;
		r = ub_serial_read(bl->ser, &b, 1, (unsigned)left);
		if (r < 0)
			return r;
		if (r == 1 && b == UB_AN3155_ACK)
			return 0;
		if (r == 1 && b == UB_AN3155_NACK) {
			record(bl, UB_BL_WHY_NACK);
			return UB_EPROTO;
		}
		if (r == 1) {
			garbage++;
			bl->st.garbage++;
			ub_trace("bootloader: garbage byte 0x%02X", b);
		}
		if (now_ms() >= deadline)
			break;
	}
	record(bl, garbage ? UB_BL_WHY_GARBAGE : UB_BL_WHY_SILENT);
	return garbage ? UB_EPROTO : UB_ETIMEOUT;
}

int ub_bl_cmd(struct ub_an3155 *bl, uint8_t cmd)
{
	uint8_t b[2] = {cmd, (uint8_t)~cmd};
	int err = ub_serial_flush(bl->ser);

	if (!err)
		err = ub_bl_send(bl, b, 2);
	return err ? err : ub_bl_ack(bl, bl->reply_ms);
}

int ub_bl_addr(struct ub_an3155 *bl, uint32_t addr)
{
	uint8_t b[5] = {addr >> 24, addr >> 16, addr >> 8, addr};
	int err;

	b[4] = b[0] ^ b[1] ^ b[2] ^ b[3];
	err = ub_bl_send(bl, b, 5);
	return err ? err : ub_bl_ack(bl, bl->reply_ms);
}

/* Bytes after a complete answer mean it was misread (garbage taken for
 * its ACK): the exchange is not trusted. On a Pi's UART they would follow
 * at once; a USB adapter's latency hides them, and then the second read
 * of every block (confirm) is what catches a misread. */
static int tail_clean(struct ub_an3155 *bl)
{
	unsigned ms = 1 + 2 * ub_serial_byte_us(bl->ser) / 1000;
	uint8_t b;
	int r = ub_serial_read(bl->ser, &b, 1, ms);

	if (r <= 0)
		return r;
	bl->st.garbage++;
	record(bl, UB_BL_WHY_GARBAGE);
	return UB_EPROTO;
}

/*
 * Read n bytes of an answer: the first within reply_ms, the others as they
 * come. A byte lost on the way shows as a pause of GAP_MS (a USB adapter
 * may hold bytes back for 16 ms), not as the whole timeout.
 */
static int answer(struct ub_an3155 *bl, uint8_t *buf, size_t n)
{
	unsigned us = ub_serial_byte_us(bl->ser);
	size_t got = 0;
	int r = ub_serial_read(bl->ser, buf, 1, bl->reply_ms);

	while (r > 0 && (got += (size_t)r) < n)
		r = ub_serial_read(bl->ser, buf + got, n - got,
				   GAP_MS + (unsigned)((n - got) * us / 1000));
	if (r < 0)
		return r;
	if (got < n) {
		record(bl, got ? UB_BL_WHY_SHORT : UB_BL_WHY_SILENT);
		return UB_ETIMEOUT;
	}
	return 0;
}

int ub_an3155_sync(struct ub_an3155 *bl)
{
	static const uint8_t sync = UB_AN3155_SYNC;
	bool answered = false;
	int err = ub_serial_flush(bl->ser);

	for (unsigned i = 0; !err && i < bl->sync_tries; i++) {
		err = ub_serial_write(bl->ser, &sync, 1, bl->ack_ms);
		if (!err)
			err = ub_bl_ack(bl, bl->sync_ms);
		/* a NACK: it was synced and took 0x7F for a command */
		if (!err || (err == UB_EPROTO && bl->why == UB_BL_WHY_NACK)) {
			ub_trace("bootloader: synced%s",
				 err ? " already (NACK to 0x7F)" : "");
			bl->synced = true;
			return 0;
		}
		answered |= bl->why == UB_BL_WHY_GARBAGE;
		if (err == UB_EPROTO || err == UB_ETIMEOUT)
			err = 0;
	}
	if (err)
		return err;
	if (answered)
		return ub_fail(
			UB_EPROTO,
			"the bootloader answers 0x7F with garbage on %s: "
			"a wrong baud rate (try -s 57600), no even "
			"parity, or noise on the RX wire",
			bl->ser->name);
	return ub_fail(UB_ENOTARGET, "nothing answers 0x7F on %s",
		       bl->ser->name);
}

/* After the chip reset itself: the bootloader starts over and measures the
 * baud rate again; a NACK means the reset has not happened yet. */
int ub_bl_resync_after_reset(struct ub_an3155 *bl)
{
	static const uint8_t sync = UB_AN3155_SYNC;
	int err = 0;

	bl->synced = false;
	for (unsigned i = 0; !err && i < bl->sync_tries * 2; i++) {
		struct timespec ts = {0, (long)bl->boot_ms * 1000000L};

		nanosleep(&ts, NULL);
		err = ub_serial_flush(bl->ser);
		if (!err)
			err = ub_serial_write(bl->ser, &sync, 1, bl->ack_ms);
		if (!err)
			err = ub_bl_ack(bl, bl->sync_ms);
		if (!err) {
			bl->synced = true;
			bl->st.resyncs++;
			return 0;
		}
		if (err == UB_EPROTO || err == UB_ETIMEOUT)
			err = 0;
	}
	return err ? err
		   : ub_fail(UB_ENOTARGET,
			     "the bootloader did not come back after the "
			     "chip reset itself: is BOOT0 still high? (NRST "
			     "or BOOT0 glitching, or the board lost power)");
}

/*
 * One byte at a time until the bootloader answers NACK: a byte that cannot
 * complete a command. At the command stage with nothing pending it waits
 * for a second one; with one byte pending, it takes this one as its
 * complement and refuses. Either way it ends at the command stage with
 * nothing pending. 0 when a NACK came.
 */
static int align(struct ub_an3155 *bl, uint8_t byte)
{
	unsigned short_ms = 10 + 4 * ub_serial_byte_us(bl->ser) / 1000;
	unsigned long nacks = bl->st.nacks;
	int err = 0;

	for (unsigned i = 0; i < 3; i++) {
		err = ub_bl_send(bl, &byte, 1);
		if (!err)
			err = ub_bl_ack(bl, i ? bl->sync_ms : short_ms);
		if (err == UB_EPROTO && bl->why == UB_BL_WHY_NACK) {
			bl->st.nacks = nacks; /* the one asked for */
			return 0;
		}
		if (!err)
			err = UB_EPROTO; /* an ACK to nonsense */
		if (err != UB_ETIMEOUT)
			break;
	}
	return err;
}

/*
 * Back to the command stage after an exchange went wrong, whatever the
 * bootloader was waiting for: filler bytes complete (and spoil) any frame
 * it is in, until it answers; then align. A chip that reset meanwhile
 * wants 0x7F again.
 */
int ub_bl_resync(struct ub_an3155 *bl)
{
	uint8_t fill[64], junk[64];
	unsigned us = ub_serial_byte_us(bl->ser);
	int err = 0, r = 0;

	bl->st.resyncs++;
	memset(fill, FILLER, sizeof(fill));
	for (unsigned i = 0; !err && i < FILL_ROUNDS; i++) {
		err = ub_serial_flush(bl->ser);
		if (!err)
			err = ub_bl_send(bl, fill, i ? sizeof(fill) : 2);
		if (!err)
			r = ub_serial_read(
				bl->ser, junk, 1,
				20 + (unsigned)(sizeof(fill) * us / 1000));
		if (r < 0)
			err = r;
		if (r > 0)
			break;
	}
	/* let the NACKs to the rest of the filler arrive, then drop them */
	while (!err && r > 0)
		r = ub_serial_read(bl->ser, junk, sizeof(junk),
				   5 + (unsigned)(sizeof(fill) * us / 1000));
	if (!err && r < 0)
		err = r;
	if (!err)
		err = align(bl, FILLER);
	if (err != UB_EPROTO && err != UB_ETIMEOUT)
		return err;
	/* maybe the chip reset: it wants 0x7F again */
	bl->synced = false;
	return ub_an3155_sync(bl);
}

static const char *why_name(enum ub_bl_why w)
{
	switch (w) {
	case UB_BL_WHY_NACK:
		return "NACK";
	case UB_BL_WHY_SILENT:
		return "no answer";
	case UB_BL_WHY_GARBAGE:
		return "garbage";
	case UB_BL_WHY_SHORT:
		return "bytes missing";
	}
	return "?";
}

int ub_bl_gave_up(struct ub_an3155 *bl, const char *what)
{
	char list[128] = "";
	size_t n = 0;

	for (unsigned i = 0; i < bl->nwhy && n < sizeof(list) - 20; i++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s",
				      i ? ", " : "", why_name(bl->whys[i]));
	return ub_fail(UB_EPROTO,
		       "%s failed %u times (%s): noise on the TX/RX wires, "
		       "a loose GND, or a baud rate the chip cannot follow? "
		       "Try shorter wires, a common GND, a lower -s",
		       what, bl->nwhy ? bl->nwhy : bl->tries, list);
}

bool ub_bl_protected(struct ub_an3155 *bl)
{
	enum ub_bl_why whys[UB_BL_WHY_MAX];
	unsigned nwhy = bl->nwhy, tries = bl->tries;
	uint16_t pid = bl->pid;
	int err;

	memcpy(whys, bl->whys, sizeof(whys));
	bl->tries = 2;
	err = ub_bl_resync(bl);
	if (!err)
		err = ub_an3155_get_id(bl);
	bl->tries = tries;
	bl->pid = pid;
	memcpy(bl->whys, whys, sizeof(whys));
	bl->nwhy = nwhy;
	return !err;
}

bool ub_bl_transient(int err)
{
	return err == UB_EPROTO || err == UB_ETIMEOUT;
}

int ub_bl_retry(struct ub_an3155 *bl, const char *what,
		int (*fn)(struct ub_an3155 *bl, void *arg), void *arg)
{
	int err = 0;

	bl->nwhy = 0;
	for (unsigned i = 0; i < bl->tries; i++) {
		if (i) {
			bl->st.retries++;
			err = ub_bl_resync(bl);
			if (err)
				return err;
		}
		err = fn(bl, arg);
		if (!ub_bl_transient(err))
			return err;
		if (bl->nwhy < UB_BL_WHY_MAX)
			bl->whys[bl->nwhy++] = bl->why;
		ub_info("bootloader: %s: %s, trying again", what,
			why_name(bl->why));
	}
	return ub_bl_gave_up(bl, what);
}

bool ub_an3155_has(const struct ub_an3155 *bl, uint8_t cmd)
{
	for (unsigned i = 0; i < bl->ncmds; i++)
		if (bl->cmds[i] == cmd)
			return true;
	return false;
}

static int do_get(struct ub_an3155 *bl, void *arg)
{
	uint8_t n, buf[256];
	int err = ub_bl_cmd(bl, UB_BL_GET);

	(void)arg;
	if (!err)
		err = answer(bl, &n, 1);
	if (!err)
		err = answer(bl, buf, (size_t)n + 1);
	if (!err)
		err = ub_bl_ack(bl, bl->reply_ms);
	if (!err)
		err = tail_clean(bl);
	if (err)
		return err;
	bl->version = buf[0];
	bl->ncmds = n < sizeof(bl->cmds) ? n : sizeof(bl->cmds);
	memcpy(bl->cmds, buf + 1, bl->ncmds);
	return 0;
}

int ub_an3155_get(struct ub_an3155 *bl)
{
	return ub_bl_retry(bl, "Get", do_get, NULL);
}

static int do_get_version(struct ub_an3155 *bl, void *arg)
{
	uint8_t buf[3];
	int err = ub_bl_cmd(bl, UB_BL_GET_VERSION);

	(void)arg;
	if (!err)
		err = answer(bl, buf, 3);
	if (!err)
		err = ub_bl_ack(bl, bl->reply_ms);
	if (!err)
		err = tail_clean(bl);
	if (!err) {
		bl->version = buf[0];
		memcpy(bl->option, buf + 1, 2);
	}
	return err;
}

int ub_an3155_get_version(struct ub_an3155 *bl)
{
	return ub_bl_retry(bl, "Get Version", do_get_version, NULL);
}

static int do_get_id(struct ub_an3155 *bl, void *arg)
{
	uint8_t n, buf[256];
	int err = ub_bl_cmd(bl, UB_BL_GET_ID);

	(void)arg;
	if (!err)
		err = answer(bl, &n, 1);
	if (!err)
		err = answer(bl, buf, (size_t)n + 1);
	if (!err)
		err = ub_bl_ack(bl, bl->reply_ms);
	if (!err)
		err = tail_clean(bl);
	if (!err && n < 1) {
		record(bl, UB_BL_WHY_GARBAGE);
		err = UB_EPROTO;
	}
	if (!err)
		bl->pid = (uint16_t)(buf[0] << 8 | buf[1]);
	return err;
}

int ub_an3155_get_id(struct ub_an3155 *bl)
{
	return ub_bl_retry(bl, "Get ID", do_get_id, NULL);
}

struct xfer {
	uint32_t addr;
	uint8_t *buf;
	size_t len;
	bool refused; /* NACK to the command itself, every time so far */
	bool again;   /* a second read, to compare: no need to wait for a
			 tail (a misaligned answer would not agree) */
};

static int do_read(struct ub_an3155 *bl, void *arg)
{
	struct xfer *x = arg;
	uint8_t n[2] = {(uint8_t)(x->len - 1), (uint8_t) ~(x->len - 1)};
	int err = ub_bl_cmd(bl, UB_BL_READ);

	if (err != UB_EPROTO || bl->why != UB_BL_WHY_NACK)
		x->refused = false;
	if (!err)
		err = ub_bl_addr(bl, x->addr);
	if (!err)
		err = ub_bl_send(bl, n, 2);
	if (!err)
		err = ub_bl_ack(bl, bl->reply_ms);
	if (!err)
		err = answer(bl, x->buf, x->len);
	if (!err && !x->again)
		err = tail_clean(bl);
	return err;
}

static int read_once(struct ub_an3155 *bl, uint32_t addr, uint8_t *buf,
		     size_t len, bool again)
{
	struct xfer x = {.addr = addr,
			 .buf = buf,
			 .len = len,
			 .refused = true,
			 .again = again};
	char what[48];
	int err;

	snprintf(what, sizeof(what), "Read Memory at 0x%08X", addr);
	err = ub_bl_retry(bl, what, do_read, &x);
	if (err == UB_EPROTO && x.refused && !ub_bl_protected(bl))
		return ub_bl_gave_up(bl, what);
	if (err == UB_EPROTO && x.refused)
		return ub_fail(UB_EPROTECTED,
			       "the bootloader refuses to read 0x%08X: "
			       "readout protection is on, or the address is "
			       "outside its memories",
			       addr);
	return err;
}

/* Read Memory's data has no checksum: a block counts when two reads of it
 * agree. */
static int read_block(struct ub_an3155 *bl, uint32_t addr, uint8_t *buf,
		      size_t len)
{
	uint8_t again[256];
	int err = read_once(bl, addr, buf, len, false);

	for (unsigned i = 0; !err && bl->confirm && i < READ_AGREE_TRIES; i++) {
		err = read_once(bl, addr, again, len, i == 0);
		if (err || !memcmp(again, buf, len))
			return err;
		bl->st.disagreed++;
		ub_info("bootloader: two reads of 0x%08X differ, reading again",
			addr);
		memcpy(buf, again, len);
	}
	return err ? err
		   : ub_fail(UB_EPROTO,
			     "reads of 0x%08X never agree twice in %u tries: "
			     "bytes are corrupted on the way (noise on the "
			     "RX wire, a loose GND?)",
			     addr, READ_AGREE_TRIES + 1);
}

int ub_an3155_read(struct ub_an3155 *bl, uint32_t addr, void *buf, size_t len)
{
	int err = 0;

	for (size_t done = 0; !err && done < len; done += 256)
		err = read_block(bl, addr + (uint32_t)done,
				 (uint8_t *)buf + done,
				 len - done < 256 ? len - done : 256);
	return err;
}

int ub_an3155_go(struct ub_an3155 *bl, uint32_t addr)
{
	bool refused = true;
	int err = 0;

	bl->nwhy = 0;
	for (unsigned i = 0; i < bl->tries; i++) {
		if (i && (err = ub_bl_resync(bl)))
			return err;
		err = ub_bl_cmd(bl, UB_BL_GO);
		if (!err)
			break;
		if (!ub_bl_transient(err))
			return err;
		if (bl->nwhy < UB_BL_WHY_MAX)
			bl->whys[bl->nwhy++] = bl->why;
	}
	for (unsigned i = 0; err && i < bl->nwhy; i++)
		refused &= bl->whys[i] == UB_BL_WHY_NACK;
	if (err && refused && ub_bl_protected(bl))
		return ub_fail(UB_EPROTECTED,
			       "the bootloader refuses Go: readout protection "
			       "is on");
	if (err)
		return ub_bl_gave_up(bl, "Go");
	/* the address is not retried: once taken, the code runs */
	err = ub_bl_addr(bl, addr);
	bl->synced = false;
	if (err == UB_EPROTO && bl->why == UB_BL_WHY_NACK)
		return ub_fail(UB_EINVAL,
			       "the bootloader refuses Go 0x%08X: not an "
			       "address it can jump to",
			       addr);
	if (err == UB_ETIMEOUT || err == UB_EPROTO)
		return ub_fail(err,
			       "Go 0x%08X: the bootloader did not confirm "
			       "(%s); the code may or may not run",
			       addr, why_name(bl->why));
	return err;
}
