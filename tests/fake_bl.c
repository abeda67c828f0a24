// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A scripted STM32F1 ROM bootloader on a pty, for the AN3155 client's unit
 * tests (fake_bl.h). Not the virtual board: no clock, no flash timing, just
 * the bytes AN3155 puts on the wire and the faults a test asks for.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "fake_bl.h"
#include "ub/err.h"

#define ACK  0x79
#define NACK 0x1F

static const uint8_t fsize_reg[4] = {FBL_FLASH_SIZE / 1024, 0, 0xFF, 0xFF};

struct fbl_run {
	struct fake_bl f;
	int master;
	volatile int stop;
	pthread_t thread;
};

/* --- the client's side: a struct ub_serial on the slave fd --- */

struct fd_serial {
	struct ub_serial s;
	int fd;
	struct fbl_run *run;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int fd_write(struct ub_serial *s, const void *buf, size_t n,
		    unsigned timeout_ms)
{
	const uint8_t *p = buf;

	(void)timeout_ms;
	while (n) {
		ssize_t w = write(((struct fd_serial *)s)->fd, p, n);

		if (w <= 0)
			return ub_fail(UB_EIO, "fake port: write failed");
		p += w;
		n -= (size_t)w;
		s->tx += (unsigned long)w;
	}
	return 0;
}

static int fd_read(struct ub_serial *s, void *buf, size_t n,
		   unsigned timeout_ms)
{
	struct pollfd pfd = {.fd = ((struct fd_serial *)s)->fd,
			     .events = POLLIN};
	double deadline = now_ms() + timeout_ms;
	size_t got = 0;

	while (got < n) {
		double left = deadline - now_ms();
		ssize_t r;

		if (left <= 0 || poll(&pfd, 1, (int)left + 1) <= 0)
			break;
		r = read(pfd.fd, (uint8_t *)buf + got, n - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	s->rx += got;
	return (int)got;
}

static int fd_flush(struct ub_serial *s)
{
	tcflush(((struct fd_serial *)s)->fd, TCIFLUSH);
	return 0;
}

static int fd_lines(struct ub_serial *s, unsigned mask, unsigned values)
{
	s->lines = (s->lines & ~mask) | (values & mask);
	return 0;
}

static void fd_close(struct ub_serial *s)
{
	close(((struct fd_serial *)s)->fd);
	free(s);
}

static const struct ub_serial_ops fd_ops = {
	.write = fd_write,
	.read = fd_read,
	.flush = fd_flush,
	.set_lines = fd_lines,
	.close = fd_close,
};

/* --- the bootloader's side --- */

static int rx(struct fbl_run *r)
{
	struct pollfd pfd = {.fd = r->master, .events = POLLIN};
	uint8_t b;

	while (!r->stop) {
		if (poll(&pfd, 1, 20) == 1 && read(r->master, &b, 1) == 1)
			return b;
	}
	return -1;
}

static void tx(struct fbl_run *r, uint8_t b)
{
	if (write(r->master, &b, 1) != 1)
		r->stop = 1;
}

/* The first byte of an answer: garbage and stray ACKs go before it. */
static void begin(struct fbl_run *r)
{
	struct fake_bl *f = &r->f;
	unsigned g = f->garbage;

	if (f->garbage_once) {
		f->garbage_once--;
		g = g ? g : 1;
	} else if (!f->garbage) {
		g = 0;
	}
	for (unsigned i = 0; i < g; i++)
		tx(r, f->garbage_byte ? f->garbage_byte : 0x5A);
	if (f->extra_ack) {
		f->extra_ack--;
		tx(r, ACK);
	}
}

static void ack(struct fbl_run *r)
{
	begin(r);
	tx(r, ACK);
}

static void nack(struct fbl_run *r)
{
	begin(r);
	tx(r, NACK);
	r->f.nacks++;
}

static bool rdp(const struct fake_bl *f)
{
	return f->option[0] != 0xA5;
}

/* The bytes at addr..addr+len, if one memory holds them all. */
static uint8_t *mem(struct fake_bl *f, uint32_t addr, uint32_t len)
{
	static uint8_t fsize[4];
	uint64_t end = (uint64_t)addr + len;

	if (addr >= FBL_FLASH && end <= FBL_FLASH + FBL_FLASH_SIZE)
		return f->flash + (addr - FBL_FLASH);
	if (addr >= FBL_RAM && end <= FBL_RAM + FBL_RAM_SIZE)
		return f->ram + (addr - FBL_RAM);
	if (addr >= 0x1FFFF7E0u && end <= 0x1FFFF7E4u) {
		memcpy(fsize, fsize_reg, 4);
		return fsize + (addr - 0x1FFFF7E0u);
	}
	if (addr >= 0x1FFFF7E8u && end <= 0x1FFFF7F4u)
		return f->uid + (addr - 0x1FFFF7E8u);
	if (addr >= 0x1FFFF800u && end <= 0x1FFFF810u)
		return f->option + (addr - 0x1FFFF800u);
	return NULL;
}

static int get_addr(struct fbl_run *r, uint32_t *addr)
{
	uint8_t b[5], x = 0;

	for (int i = 0; i < 5; i++) {
		int c = rx(r);

		if (c < 0)
			return -1;
		b[i] = (uint8_t)c;
	}
	for (int i = 0; i < 4; i++)
		x ^= b[i];
	*addr = (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
	return x == b[4] ? 0 : 1;
}

static void chip_reset(struct fake_bl *f)
{
	f->synced = false;
	f->resets++;
}

static bool wrp(const struct fake_bl *f, unsigned page)
{
	unsigned bit = page / 4;

	return !(f->option[8 + 2 * (bit / 8)] >> (bit % 8) & 1);
}

static void cmd_read(struct fbl_run *r)
{
	struct fake_bl *f = &r->f;
	uint32_t addr;
	int n, nx;
	uint8_t *p;

	if (rdp(f))
		return nack(r);
	ack(r);
	if (get_addr(r, &addr) || !mem(f, addr, 1))
		return nack(r);
	ack(r);
	n = rx(r);
	nx = rx(r);
	if (n < 0 || nx < 0 || (n ^ nx) != 0xFF ||
	    !(p = mem(f, addr, (uint32_t)n + 1)))
		return nack(r);
	ack(r);
	for (int i = 0; i <= n; i++) {
		if (i == n / 2 && f->drop_data) {
			f->drop_data--;
			continue;
		}
		if (i == n / 2 && f->flip_data) {
			f->flip_data--;
			tx(r, p[i] ^ 0x10);
			continue;
		}
		tx(r, p[i]);
	}
}

/* Halfwords as the F1's flash controller takes them: only onto erased
 * flash (or 0x0000), else PGERR. */
static bool program(struct fake_bl *f, uint32_t addr, const uint8_t *d,
		    unsigned n)
{
	uint8_t *p = mem(f, addr, n);
	bool ok = true;

	if (addr >= 0x1FFFF800u && addr < 0x1FFFF810u) {
		memcpy(p, d, n);
		chip_reset(f);
		return true;
	}
	if (addr >= FBL_RAM) {
		memcpy(p, d, n);
		return true;
	}
	for (unsigned i = 0; i < n; i += 2) {
		uint16_t old = (uint16_t)(p[i] | p[i + 1] << 8);
		uint16_t v =
			(uint16_t)(d[i] | (i + 1 < n ? d[i + 1] : 0xFF) << 8);

		if ((old != 0xFFFF && v != 0) ||
		    wrp(f, (addr + i - FBL_FLASH) / FBL_PAGE)) {
			ok = false;
			continue;
		}
		p[i] = (uint8_t)v;
		if (i + 1 < n)
			p[i + 1] = (uint8_t)(v >> 8);
	}
	return ok;
}

static void cmd_write(struct fbl_run *r)
{
	struct fake_bl *f = &r->f;
	uint8_t d[256], x;
	uint32_t addr;
	int n, c;

	if (rdp(f))
		return nack(r);
	ack(r);
	if (get_addr(r, &addr) || !mem(f, addr, 1) ||
	    (addr >= FBL_RAM && addr < FBL_RAM + 0x200))
		return nack(r);
	ack(r);
	if ((n = rx(r)) < 0)
		return;
	x = (uint8_t)n;
	for (int i = 0; i <= n; i++) {
		if ((c = rx(r)) < 0)
			return;
		d[i] = (uint8_t)c;
		x ^= d[i];
	}
	if ((c = rx(r)) < 0)
		return;
	if (c != x || !mem(f, addr, (uint32_t)n + 1))
		return nack(r);
	if (f->nack_data) {
		f->nack_data--;
		return nack(r);
	}
	if (f->write_half) {
		f->write_half--;
		program(f, addr, d, (unsigned)(n + 1) / 2 & ~3u);
		return;
	}
	if (!program(f, addr, d, (unsigned)n + 1))
		return nack(r);
	if (f->write_mute) {
		f->write_mute--;
		return;
	}
	ack(r);
}

static void erase_pages(struct fake_bl *f, const uint16_t *pg, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		memset(f->flash + pg[i] * FBL_PAGE, 0xFF, FBL_PAGE);
		if (f->nerased < 256)
			f->erased[f->nerased++] = pg[i];
	}
}

static void cmd_erase(struct fbl_run *r, bool ext)
{
	struct fake_bl *f = &r->f;
	uint16_t pg[256];
	unsigned n;
	uint8_t x = 0;
	int c, c2;

	if (rdp(f))
		return nack(r);
	ack(r);
	if ((c = rx(r)) < 0 || (ext && (c2 = rx(r)) < 0))
		return;
	n = ext ? (unsigned)(c << 8 | c2) : (unsigned)c;
	x = ext ? (uint8_t)(c ^ c2) : (uint8_t)c;
	if ((!ext && n == 0xFF) || (ext && n >= 0xFFFD)) {
		if ((c = rx(r)) < 0)
			return;
		/* 0x43: 0xFF then 0x00; 0x44: 0xFFFF then 0x00 */
		if (c != (ext ? x : 0) || n != (ext ? 0xFFFFu : 0xFFu))
			return nack(r);
		memset(f->flash, 0xFF, sizeof(f->flash));
		f->mass_erased = true;
		return ack(r);
	}
	for (unsigned i = 0; i <= n; i++) {
		if ((c = rx(r)) < 0 || (ext && (c2 = rx(r)) < 0))
			return;
		if (i < 256)
			pg[i] = ext ? (uint16_t)(c << 8 | c2) : (uint16_t)c;
		x ^= (uint8_t)c ^ (ext ? (uint8_t)c2 : 0);
	}
	if ((c = rx(r)) < 0)
		return;
	if (c != x || n >= 256)
		return nack(r);
	for (unsigned i = 0; i <= n; i++)
		if (pg[i] >= FBL_FLASH_SIZE / FBL_PAGE || wrp(f, pg[i]))
			return nack(r);
	erase_pages(f, pg, n + 1);
	ack(r);
}

static void set_wrp(struct fake_bl *f, uint32_t wrp)
{
	for (int i = 0; i < 4; i++) {
		f->option[8 + 2 * i] = (uint8_t)(wrp >> 8 * i);
		f->option[9 + 2 * i] = (uint8_t) ~(wrp >> 8 * i);
	}
}

static void cmd_option(struct fbl_run *r, uint8_t c)
{
	struct fake_bl *f = &r->f;
	uint32_t want = 0xFFFFFFFF;
	uint8_t x;
	int n, s;

	if (rdp(f) && c != 0x73 && c != 0x92)
		return nack(r);
	ack(r);
	if (c == 0x63) {
		if ((n = rx(r)) < 0)
			return;
		x = (uint8_t)n;
		f->nwp = 0;
		for (int i = 0; i <= n; i++) {
			if ((s = rx(r)) < 0)
				return;
			x ^= (uint8_t)s;
			want &= ~(1u << (s & 31));
			if (f->nwp < 64)
				f->wp_sectors[f->nwp++] = (uint8_t)s;
		}
		if ((s = rx(r)) < 0)
			return;
		if (s != x)
			return nack(r);
		set_wrp(f, want);
	} else if (c == 0x73) {
		set_wrp(f, 0xFFFFFFFF);
	} else if (c == 0x82) {
		f->option[0] = 0x00;
		f->option[1] = 0xFF;
	} else {
		memset(f->flash, 0xFF, sizeof(f->flash));
		f->option[0] = 0xA5;
		f->option[1] = 0x5A;
		set_wrp(f, 0xFFFFFFFF);
	}
	chip_reset(f); /* before the ACK: the host looks once it has it */
	tx(r, ACK);
}

static void cmd_go(struct fbl_run *r)
{
	struct fake_bl *f = &r->f;
	uint32_t addr;

	if (rdp(f))
		return nack(r);
	ack(r);
	if (get_addr(r, &addr) || !mem(f, addr, 8))
		return nack(r);
	/* noted before the ACK: the host looks as soon as it has it */
	f->go_addr = addr;
	f->synced = false;
	ack(r);
}

static void command(struct fbl_run *r, uint8_t c)
{
	static const uint8_t list[] = {0x00, 0x01, 0x02, 0x11, 0x21, 0x31,
				       0x43, 0x63, 0x73, 0x82, 0x92};
	struct fake_bl *f = &r->f;

	switch (c) {
	case 0x00:
		ack(r);
		tx(r, sizeof(list));
		tx(r, 0x22);
		for (size_t i = 0; i < sizeof(list); i++)
			tx(r, list[i] == 0x43 && f->extended ? 0x44 : list[i]);
		return tx(r, ACK);
	case 0x01:
		ack(r);
		tx(r, 0x22);
		tx(r, 0);
		tx(r, 0);
		return tx(r, ACK);
	case 0x02:
		ack(r);
		tx(r, 1);
		tx(r, (uint8_t)(f->pid >> 8));
		tx(r, (uint8_t)f->pid);
		return tx(r, ACK);
	case 0x11:
		return cmd_read(r);
	case 0x21:
		return cmd_go(r);
	case 0x31:
		return cmd_write(r);
	case 0x43:
	case 0x44:
		if ((c == 0x44) != f->extended)
			return nack(r);
		return cmd_erase(r, c == 0x44);
	case 0x63:
	case 0x73:
	case 0x82:
	case 0x92:
		return cmd_option(r, c);
	}
	nack(r);
}

static void *bootloader(void *arg)
{
	struct fbl_run *r = arg;
	struct fake_bl *f = &r->f;
	int c, x;

	while ((c = rx(r)) >= 0) {
		if (!f->synced) {
			if (c != 0x7F)
				continue;
			f->syncs++;
			if (f->mute)
				continue;
			if (f->garbage_sync) {
				f->garbage_sync--;
				tx(r, 0x55);
				continue;
			}
			ack(r);
			f->synced = true;
			continue;
		}
		if (f->mute || (x = rx(r)) < 0)
			continue;
		if ((c ^ x) != 0xFF) {
			nack(r);
			continue;
		}
		f->cmds++;
		f->last_cmd = (uint8_t)c;
		if (f->nack_cmd) {
			f->nack_cmd--;
			nack(r);
			continue;
		}
		command(r, (uint8_t)c);
	}
	return NULL;
}

void fbl_set_rdp(struct fake_bl *f, bool on)
{
	f->option[0] = on ? 0x00 : 0xA5;
	f->option[1] = on ? 0xFF : 0x5A;
}

struct fake_bl *fbl_start(struct ub_serial **ser)
{
	struct fbl_run *r = calloc(1, sizeof(*r));
	struct fd_serial *s = calloc(1, sizeof(*s));
	struct termios t;

	if (!r || !s)
		abort();
	memset(r->f.flash, 0xFF, sizeof(r->f.flash));
	fbl_set_rdp(&r->f, false);
	set_wrp(&r->f, 0xFFFFFFFF);
	for (int i = 2; i < 8; i += 2) {
		r->f.option[i] = 0xFF;
		r->f.option[i + 1] = 0x00;
	}
	for (int i = 0; i < 12; i++)
		r->f.uid[i] = (uint8_t)(0x30 + i);
	r->f.pid = 0x410;
	r->master = posix_openpt(O_RDWR | O_NOCTTY);
	if (r->master < 0 || grantpt(r->master) || unlockpt(r->master))
		abort();
	s->fd = open(ptsname(r->master), O_RDWR | O_NOCTTY);
	if (s->fd < 0 || tcgetattr(s->fd, &t))
		abort();
	cfmakeraw(&t);
	tcsetattr(s->fd, TCSANOW, &t);
	s->s.ops = &fd_ops;
	s->s.baud = 115200;
	s->run = r;
	strcpy(s->s.name, "/dev/fake");
	pthread_create(&r->thread, NULL, bootloader, r);
	*ser = &s->s;
	return &r->f;
}

void fbl_stop(struct fake_bl *f, struct ub_serial *ser)
{
	struct fbl_run *r = (struct fbl_run *)f;

	r->stop = 1;
	pthread_join(r->thread, NULL);
	close(r->master);
	ub_serial_close(ser);
	free(r);
}
