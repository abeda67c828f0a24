/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_SPIDEV_SHIM_H
#define VB_SPIDEV_SHIM_H

/*
 * A Linux spidev device in-process, for tests/test_vb_spidev.c: open(),
 * ioctl() and close() are defined here, so the program (src/spi_spidev.c
 * included) finds them before the C library's. One device node exists,
 * shim.path, wired to the chip of a virtual board (shim.vb, the clip's
 * lines); /sys/module/spidev/parameters/bufsiz reads shim.bufsiz. Every
 * other path and descriptor goes to the C library.
 *
 * The ioctls are checked as drivers/spi/spidev.c does: SPI_IOC_MESSAGE(N)
 * with each transfer's length rounded up to ARCH_DMA_MINALIGN (128, arm64)
 * and the totals per direction at most bufsiz (EMSGSIZE), no tx_buf
 * sends zeros; and run as the SPI core does (spi_transfer_one_message):
 * CS asserted for the message, cs_change on a transfer that is not the last
 * deselects between it and the next, cs_change on the last keeps the chip
 * selected after the message. Include it in one file only.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/spi/spidev.h>

#include "vb.h"

#define SHIM_PARAM "/sys/module/spidev/parameters/bufsiz"
#define SHIM_ALIGN 128u

struct spidev_shim {
	/* set by the test */
	struct vb *vb;	    /* the board whose chip is on the bus */
	const char *path;   /* the device node there is, NULL: none */
	int open_errno;	    /* open fails so (EACCES, EBUSY), 0: opens */
	const char *bufsiz; /* the parameter's text, NULL: no spidev module */
	unsigned long fail_req; /* this ioctl fails with fail_errno */
	int fail_errno;
	/* seen */
	int fd;			      /* the device open, -1 */
	int open_flags;		      /* as opened */
	int mode, bits;		      /* as set, -1 before */
	long speed;		      /* SPI_IOC_WR_MAX_SPEED_HZ, -1 before */
	unsigned messages, transfers; /* SPI_IOC_MESSAGE calls, transfers */
	unsigned cs_falls, cs_rises;  /* CS edges on the chip */
	uint32_t max_tx, max_rx;      /* largest totals in one message */
	uint32_t last_speed;	      /* of the last transfer */
	bool selected;		      /* CS low */
};

static struct spidev_shim shim = {.fd = -1};

static inline void shim_reset(struct vb *vb, const char *path)
{
	memset(&shim, 0, sizeof(shim));
	shim.vb = vb;
	shim.path = path;
	shim.fd = -1;
	shim.mode = shim.bits = -1;
	shim.speed = -1;
}

static void *shim_real(const char *name)
{
	return dlsym(RTLD_NEXT, name);
}

static void shim_cs(bool low)
{
	if (low == shim.selected)
		return;
	shim.selected = low;
	if (low)
		shim.cs_falls++;
	else
		shim.cs_rises++;
	vb_spi_clip_drive(shim.vb, VB_SPI_CS, low ? 0 : 1);
}

static uint32_t shim_bufsiz(void)
{
	unsigned long v = shim.bufsiz ? strtoul(shim.bufsiz, NULL, 10) : 0;

	return v ? (uint32_t)v : 4096;
}

static int shim_fail(int e)
{
	errno = e;
	return -1;
}

int open(const char *path, int flags, ...)
{
	int (*real)(const char *, int, ...) = shim_real("open");
	mode_t m = 0;
	int p[2];

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;

		va_start(ap, flags);
		m = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (!strcmp(path, SHIM_PARAM)) {
		if (!shim.bufsiz)
			return shim_fail(ENOENT);
		if (pipe(p))
			return -1;
		if (write(p[1], shim.bufsiz, strlen(shim.bufsiz)) < 0)
			return -1;
		((int (*)(int))shim_real("close"))(p[1]);
		return p[0];
	}
	if (strncmp(path, "/dev/spidev", 11))
		return real(path, flags, m);
	if (!shim.path || strcmp(path, shim.path))
		return shim_fail(ENOENT);
	if (shim.open_errno)
		return shim_fail(shim.open_errno);
	if (shim.fd >= 0)
		return shim_fail(EBUSY); /* one user at a time, here */
	shim.fd = real("/dev/null", O_RDWR | O_CLOEXEC);
	shim.open_flags = flags;
	vb_spi_clip_drive(shim.vb, VB_SPI_CLK, 0);
	vb_spi_clip_drive(shim.vb, VB_SPI_MOSI, 0);
	vb_spi_clip_drive(shim.vb, VB_SPI_CS, 1);
	return shim.fd;
}

int close(int fd)
{
	int (*real)(int) = shim_real("close");

	if (fd >= 0 && fd == shim.fd) {
		shim_cs(false);
		for (int l = VB_SPI_CS; l <= VB_SPI_MOSI; l++)
			vb_spi_clip_drive(shim.vb, (enum vb_spi_line)l, -1);
		shim.fd = -1;
	}
	return real(fd);
}

/* One transfer: bytes through the chip at speed (a mode that samples on
 * the other edge reads every bit one late). */
static void shim_transfer(const struct spi_ioc_transfer *t)
{
	const uint8_t *tx = (const uint8_t *)(uintptr_t)t->tx_buf;
	uint8_t *rx = (uint8_t *)(uintptr_t)t->rx_buf;
	uint32_t hz = t->speed_hz ? t->speed_hz : (uint32_t)shim.speed;
	uint64_t byte_ps = 8 * 1000000000000ull / (hz ? hz : 1);

	shim.last_speed = hz;
	for (uint32_t i = 0; i < t->len; i++) {
		uint8_t r = vb_nor_byte(shim.vb->nor, tx ? tx[i] : 0,
					shim.vb->now_ps);

		if (shim.mode == 1 || shim.mode == 2)
			r = (uint8_t)(r >> 1 | 0x80);
		if (rx)
			rx[i] = r;
		vb_advance(shim.vb, byte_ps);
	}
}

static int shim_message(const struct spi_ioc_transfer *t, unsigned n)
{
	uint32_t bufsiz = shim_bufsiz(), txt = 0, rxt = 0, total = 0;

	for (unsigned i = 0; i < n; i++) {
		uint32_t a =
			(t[i].len + SHIM_ALIGN - 1) / SHIM_ALIGN * SHIM_ALIGN;

		if (t[i].bits_per_word && t[i].bits_per_word != 8)
			return shim_fail(EINVAL);
		if (t[i].rx_buf && (rxt += a) > bufsiz)
			return shim_fail(EMSGSIZE);
		if (t[i].tx_buf && (txt += a) > bufsiz)
			return shim_fail(EMSGSIZE);
		total += t[i].len;
	}
	shim.messages++;
	shim.transfers += n;
	shim.max_tx = txt > shim.max_tx ? txt : shim.max_tx;
	shim.max_rx = rxt > shim.max_rx ? rxt : shim.max_rx;
	shim_cs(true);
	for (unsigned i = 0; i < n; i++) {
		shim_transfer(&t[i]);
		if (t[i].cs_change && i + 1 < n) {
			shim_cs(false);
			shim_cs(true);
		}
	}
	if (!t[n - 1].cs_change)
		shim_cs(false);
	return (int)total;
}

int ioctl(int fd, unsigned long req, ...)
{
	int (*real)(int, unsigned long, ...) = shim_real("ioctl");
	void *arg;
	va_list ap;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd < 0 || fd != shim.fd)
		return real(fd, req, arg);
	if (shim.fail_req && req == shim.fail_req)
		return shim_fail(shim.fail_errno);
	switch (req) {
	case SPI_IOC_WR_MODE:
		shim.mode = *(uint8_t *)arg;
		return 0;
	case SPI_IOC_RD_MODE:
		*(uint8_t *)arg = (uint8_t)(shim.mode < 0 ? 0 : shim.mode);
		return 0;
	case SPI_IOC_WR_BITS_PER_WORD:
		shim.bits = *(uint8_t *)arg;
		return 0;
	case SPI_IOC_WR_MAX_SPEED_HZ:
		shim.speed = *(uint32_t *)arg;
		return 0;
	case SPI_IOC_RD_MAX_SPEED_HZ:
		*(uint32_t *)arg = (uint32_t)(shim.speed < 0 ? 0 : shim.speed);
		return 0;
	default:
		break;
	}
	if (_IOC_TYPE(req) == SPI_IOC_MAGIC && _IOC_NR(req) == 0 &&
	    _IOC_DIR(req) == _IOC_WRITE) {
		unsigned size = _IOC_SIZE(req);

		if (size % sizeof(struct spi_ioc_transfer))
			return shim_fail(EINVAL);
		if (!size)
			return 0;
		return shim_message(arg,
				    size / sizeof(struct spi_ioc_transfer));
	}
	return shim_fail(ENOTTY);
}

#endif /* VB_SPIDEV_SHIM_H */
