// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SPI through Linux spidev (/dev/spidevB.C, Documentation/spi/spidev.rst):
 * the Pi's SPI controller on the header's SPI pins (SPI0: MOSI GPIO10,
 * MISO GPIO9, SCLK GPIO11, CE0 GPIO8 for spidev0.0), the MCU held in reset
 * by the caller as for the clip.
 *
 * A transaction is one SPI_IOC_MESSAGE: the command written, then the
 * answer read, CS held low between the two. spidev copies each message
 * through a buffer of bufsiz bytes per direction (a module parameter, 4096
 * unless changed), each transfer's length rounded up to the DMA alignment
 * first, and refuses more (EMSGSIZE). A longer transaction goes out as
 * several messages, each with cs_change set on its last transfer: for the
 * last transfer of a message that tells the kernel to leave the chip
 * selected until the next message. Reads of the flash (the bus's read op)
 * are instead split into READ commands of at most one buffer each, which
 * does not depend on that.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/spi/spidev.h>

#include "ub/err.h"
#include "ub/log.h"
#include "ub/spi.h"

#define BUFSIZ_PARAM   "/sys/module/spidev/parameters/bufsiz"
#define DEFAULT_BUFSIZ 4096u
/* Rate when none is given: safe on a clip's wires, and under every
 * supported chip's limit for the plain READ command. */
#define DEFAULT_HZ 2000000u
/* spidev rounds each transfer up to ARCH_DMA_MINALIGN (128 on arm64) before
 * counting it against bufsiz. */
#define DMA_ALIGN 128u

struct spidev {
	struct ub_spi_bus b;
	int fd;
	uint32_t bufsiz; /* bytes per direction in one message */
	size_t chunk;	 /* the longest transfer we put in a message */
	char path[64];
};

/* The spidev module's buffer size, or the kernel's default. */
static uint32_t read_bufsiz(void)
{
	char buf[32];
	unsigned long v = 0;
	ssize_t n;
	int fd = open(BUFSIZ_PARAM, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return DEFAULT_BUFSIZ;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n > 0) {
		buf[n] = 0;
		v = strtoul(buf, NULL, 10);
	}
	return v && v <= 1u << 30 ? (uint32_t)v : DEFAULT_BUFSIZ;
}

static int message(struct spidev *d, struct spi_ioc_transfer *t, unsigned n)
{
	size_t len = t[0].len + (n > 1 ? t[1].len : 0);
	int e;

	for (unsigned i = 0; i < n; i++) {
		t[i].speed_hz = d->b.hz;
		t[i].bits_per_word = 8;
	}
	if (ioctl(d->fd, n > 1 ? SPI_IOC_MESSAGE(2) : SPI_IOC_MESSAGE(1), t) >=
	    0)
		return 0;
	e = errno;
	if (e == EMSGSIZE)
		return ub_fail(UB_EIO,
			       "spidev refused a %zu-byte SPI message on %s "
			       "(its buffer is %u bytes): raise it with "
			       "spidev.bufsiz=4096 on the kernel command line",
			       len, d->path, d->bufsiz);
	return ub_fail(UB_EIO, "SPI transfer on %s failed: %s", d->path,
		       strerror(e));
}

/*
 * tx, then rx, in messages of at most one chunk per direction: [tx] or
 * [tx, rx] or [rx]. CS stays low from the first to the last.
 */
static int spidev_xfer(struct ub_spi_bus *b, const uint8_t *tx, size_t ntx,
		       uint8_t *rx, size_t nrx)
{
	struct spidev *d = b->priv;
	size_t txoff = 0, rxoff = 0;
	int err = 0;

	while (!err && (txoff < ntx || rxoff < nrx)) {
		struct spi_ioc_transfer t[2];
		unsigned n = 0;
		size_t len;

		memset(t, 0, sizeof(t));
		if (txoff < ntx) {
			len = ntx - txoff < d->chunk ? ntx - txoff : d->chunk;
			t[n].tx_buf = (uintptr_t)(tx + txoff);
			t[n++].len = (uint32_t)len;
			txoff += len;
		}
		if (txoff == ntx && rxoff < nrx) {
			len = nrx - rxoff < d->chunk ? nrx - rxoff : d->chunk;
			t[n].rx_buf = (uintptr_t)(rx + rxoff);
			t[n++].len = (uint32_t)len;
			rxoff += len;
		}
		/* more to come: keep the chip selected after this message */
		t[n - 1].cs_change = txoff < ntx || rxoff < nrx;
		err = message(d, t, n);
	}
	return err;
}

/* READ (0x03) in commands of one chunk each. */
static int spidev_read(struct ub_spi_bus *b, uint32_t addr, void *buf,
		       size_t len)
{
	struct spidev *d = b->priv;
	uint8_t *p = buf;
	int err = 0;

	while (!err && len) {
		size_t n = len < d->chunk ? len : d->chunk;
		uint8_t cmd[4] = {0x03, (uint8_t)(addr >> 16),
				  (uint8_t)(addr >> 8), (uint8_t)addr};

		err = spidev_xfer(b, cmd, sizeof(cmd), p, n);
		addr += (uint32_t)n;
		p += n;
		len -= n;
	}
	return err;
}

static void spidev_close(struct ub_spi_bus *b)
{
	struct spidev *d = b->priv;

	close(d->fd);
	free(d);
}

static const struct ub_spi_bus_ops spidev_ops = {
	.xfer = spidev_xfer,
	.read = spidev_read,
	.close = spidev_close,
};

static int open_failed(const char *path, int e)
{
	if (e == ENOENT || e == ENODEV || e == ENXIO)
		return ub_fail(
			UB_ENOENT,
			"no %s: enable SPI with dtparam=spi=on in "
			"config.txt (raspi-config: Interface Options, "
			"SPI; SPI1 needs dtoverlay=spi1-1cs) and reboot, "
			"or give the device with --spi spidev:/dev/"
			"spidevB.C",
			path);
	if (e == EACCES || e == EPERM)
		return ub_fail(
			UB_EPERM,
			"no permission to open %s: add yourself to the "
			"spi group ('sudo adduser $USER spi', then log in "
			"again)",
			path);
	if (e == EBUSY)
		return ub_fail(UB_EBUSY,
			       "%s is busy: another program or a kernel driver "
			       "holds it; stop it first",
			       path);
	return ub_fail(UB_EIO, "cannot open %s: %s", path, strerror(e));
}

/* An ioctl that sets the device up; what failed and why. */
static int setup(struct spidev *d, unsigned long req, void *arg,
		 const char *what)
{
	int e;

	if (ioctl(d->fd, req, arg) >= 0)
		return 0;
	e = errno;
	if (e == ENOTTY || e == EINVAL)
		return ub_fail(e == ENOTTY ? UB_EINVAL : UB_EUNSUPPORTED,
			       "%s refused %s (%s): %s", d->path, what,
			       strerror(e),
			       e == ENOTTY ? "is it a spidev device?"
					   : "the SPI controller cannot do it");
	return ub_fail(UB_EIO, "cannot set %s on %s: %s", what, d->path,
		       strerror(e));
}

struct ub_spi_bus *ub_spi_spidev_open(const char *path, uint32_t hz, int mode,
				      int *err)
{
	struct spidev *d;
	uint8_t m = (uint8_t)mode, bits = 8;
	uint32_t speed;

	if (mode < 0 || mode > 3) {
		*err = ub_fail(UB_EINVAL, "SPI mode %d: the mode is 0 to 3",
			       mode);
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		*err = ub_fail(UB_ENOMEM, "out of memory");
		return NULL;
	}
	snprintf(d->path, sizeof(d->path), "%s", path);
	d->fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->fd < 0) {
		*err = open_failed(d->path, errno);
		goto free_d;
	}
	speed = hz ? hz : DEFAULT_HZ;
	*err = setup(d, SPI_IOC_WR_MODE, &m, "the SPI mode");
	if (!*err)
		*err = setup(d, SPI_IOC_WR_BITS_PER_WORD, &bits,
			     "8 bits per word");
	if (!*err)
		*err = setup(d, SPI_IOC_WR_MAX_SPEED_HZ, &speed,
			     "the SPI clock rate");
	if (*err)
		goto close_fd;
	d->bufsiz = read_bufsiz();
	d->chunk = d->bufsiz >= DMA_ALIGN ? d->bufsiz / DMA_ALIGN * DMA_ALIGN
					  : d->bufsiz;
	d->b.ops = &spidev_ops;
	d->b.priv = d;
	d->b.hz = speed;
	snprintf(d->b.name, sizeof(d->b.name), "Linux spidev %.50s", d->path);
	ub_info("SPI on %s, mode %d, %u.%03u MHz, %u-byte messages", d->path,
		mode, speed / 1000000, speed / 1000 % 1000, d->bufsiz);
	return &d->b;

close_fd:
	close(d->fd);
free_d:
	free(d);
	return NULL;
}
