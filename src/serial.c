// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The serial wire over libserialport: a port opened for the STM32 ROM
 * bootloader (8E1, locked, raw bytes with deadlines, RTS and DTR).
 */
#include <dirent.h>
#include <errno.h>
#include <libserialport.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include "ub/err.h"
#include "ub/log.h"
#include "ub/serial.h"

const char ub_serial_pl011_hint[] =
	"use the PL011 UART: on a Pi 3 or 4 put enable_uart=1 and "
	"dtoverlay=disable-bt in /boot/firmware/config.txt, on a Pi 5 "
	"dtparam=uart0=on, remove console=serial0,115200 from cmdline.txt, "
	"reboot, and use /dev/serial0 (/dev/ttyAMA0)";

struct sp_serial {
	struct ub_serial s;
	struct sp_port *port;
	int fd;
};

static struct sp_port *port_of(struct ub_serial *s)
{
	return ((struct sp_serial *)s)->port;
}

int ub_serial_resolve(const char *port, char *buf, size_t n)
{
	char name[PATH_MAX], real[PATH_MAX];
	ssize_t len;

	snprintf(name, sizeof(name), "%s%s", strchr(port, '/') ? "" : "/dev/",
		 port);
	if (realpath(name, real)) {
		if (strlen(real) >= n)
			return ub_fail(UB_ERANGE, "port name too long: %s",
				       real);
		strcpy(buf, real);
		return 0;
	}
	len = readlink(name, real, sizeof(real) - 1);
	if (len > 0) {
		real[len] = '\0';
		return ub_fail(UB_ENOENT,
			       "serial port %s leads to %s, which does not "
			       "exist: is the UART enabled? (%s)",
			       name, real, ub_serial_pl011_hint);
	}
	return ub_fail(UB_ENOENT,
		       "serial port %s does not exist: give the right one "
		       "with -p (a USB adapter is /dev/ttyUSB0 or "
		       "/dev/ttyACM0; on a Pi, /dev/serial0 needs "
		       "enable_uart=1)",
		       name);
}

unsigned ub_serial_byte_us(const struct ub_serial *s)
{
	unsigned us = s->baud ? (unsigned)(11000000ull / s->baud) : 0;

	return us ? us : 1;
}

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

static bool file_has(const char *path, const char *what)
{
	char buf[256] = "";
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, what) != NULL;
}

/* The Pi's mini-UART: the bcm2835-aux driver, or ttyS0 on a Pi. It has no
 * parity, and the kernel does not say so when asked for it. */
static bool pi_mini_uart(const char *dev)
{
	const char *name = base_name(dev);
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	if (strncmp(name, "ttyS", 4))
		return false;
	snprintf(path, sizeof(path), "/sys/class/tty/%s/device/driver", name);
	n = readlink(path, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		if (strstr(link, "bcm2835-aux"))
			return true;
	}
	return !strcmp(name, "ttyS0") &&
	       file_has("/proc/device-tree/model", "Raspberry Pi");
}

/* Does process pid have the device rdev open? *master: it also holds a
 * pseudo-terminal master. */
static bool holds(long pid, dev_t rdev, bool *master)
{
	char path[300], link[64];
	struct dirent *f;
	struct stat st;
	bool has = false;
	DIR *fds;

	snprintf(path, sizeof(path), "/proc/%ld/fd", pid);
	fds = opendir(path);
	*master = false;
	while (fds && (f = readdir(fds))) {
		ssize_t l;

		snprintf(path, sizeof(path), "/proc/%ld/fd/%s", pid, f->d_name);
		l = readlink(path, link, sizeof(link) - 1);
		if (l > 0) {
			link[l] = '\0';
			*master |= !strcmp(link, "/dev/ptmx");
		}
		if (!stat(path, &st) && S_ISCHR(st.st_mode) &&
		    st.st_rdev == rdev)
			has = true;
	}
	if (fds)
		closedir(fds);
	return has;
}

/*
 * Another process that has rdev open, named in buf ("agetty (pid 612)").
 * For a pseudo-terminal, the process on its master side is the other end
 * of the wire, not a rival.
 */
static bool holder(dev_t rdev, char *buf, size_t n)
{
	bool pty = major(rdev) >= 136 && major(rdev) <= 143;
	DIR *proc = opendir("/proc");
	struct dirent *p;
	bool found = false;

	while (proc && !found && (p = readdir(proc))) {
		long pid = strtol(p->d_name, NULL, 10);
		char path[64], comm[64] = "?";
		bool master;
		FILE *c;

		if (pid <= 0 || pid == getpid() || !holds(pid, rdev, &master) ||
		    (pty && master))
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
		c = fopen(path, "r");
		if (c) {
			if (fgets(comm, sizeof(comm), c))
				comm[strcspn(comm, "\n")] = '\0';
			fclose(c);
		}
		snprintf(buf, n, "%s (pid %ld)", comm, pid);
		found = true;
	}
	if (proc)
		closedir(proc);
	return found;
}

static int busy(const char *dev, const char *who)
{
	return ub_fail(UB_EBUSY,
		       "port busy: %s is in use by %s; stop it first (a "
		       "login console on the port: raspi-config, Interface "
		       "Options, Serial Port, login shell 'no')",
		       dev, who);
}

/* Only us: an exclusive lock for other unbricks, TIOCEXCL for any other
 * program (root passes it), and nobody else holding the port already. */
static int lock_port(struct sp_serial *p)
{
	const char *dev = p->s.name;
	struct stat st;
	char who[128];

	if (flock(p->fd, LOCK_EX | LOCK_NB))
		return busy(dev, errno == EWOULDBLOCK
					 ? "another unbrick (or a program "
					   "that locks it)"
					 : "a program that locks it");
	ioctl(p->fd, TIOCEXCL);
	if (!fstat(p->fd, &st) && holder(st.st_rdev, who, sizeof(who)))
		return busy(dev, who);
	return 0;
}

static int open_failed(const char *dev, int e)
{
	if (e == EACCES || e == EPERM)
		return ub_fail(UB_EPERM,
			       "no permission to open %s: add yourself to the "
			       "dialout group ('sudo adduser $USER dialout', "
			       "then log in again)",
			       dev);
	if (e == EBUSY)
		return busy(dev, "another program (it holds the port "
				 "exclusively)");
	return ub_fail(UB_EIO, "cannot open %s: %s", dev, strerror(e));
}

static int sp_failed(const char *what, const char *dev)
{
	char *msg = sp_last_error_message();
	int err = ub_fail(UB_EIO, "%s on %s failed: %s", what, dev,
			  msg ? msg : "unknown error");

	sp_free_error_message(msg);
	return err;
}

/* 8E1 at baud, no flow control; then parity errors drop the byte (so that
 * they show as lost bytes, which the protocol notices), and closing leaves
 * RTS and DTR as the last sequence set them. */
static int configure(struct sp_serial *p, uint32_t baud)
{
	struct sp_port *port = p->port;
	const char *dev = p->s.name;
	struct sp_port_config *cfg;
	enum sp_parity parity = SP_PARITY_INVALID;
	struct termios t;
	int err = 0;

	if (pi_mini_uart(dev))
		return ub_fail(UB_EUNSUPPORTED,
			       "%s is the Raspberry Pi's mini-UART, which "
			       "has no parity; the STM32 bootloader needs 8E1: "
			       "%s",
			       dev, ub_serial_pl011_hint);
	if (sp_set_baudrate(port, (int)baud) != SP_OK)
		return ub_fail(UB_EUNSUPPORTED,
			       "%s does not take %u baud: try -s 115200", dev,
			       baud);
	if (sp_set_bits(port, 8) != SP_OK ||
	    sp_set_parity(port, SP_PARITY_EVEN) != SP_OK ||
	    sp_set_stopbits(port, 1) != SP_OK ||
	    sp_set_flowcontrol(port, SP_FLOWCONTROL_NONE) != SP_OK)
		return sp_failed("setting 8E1", dev);
	if (sp_new_config(&cfg) != SP_OK)
		return ub_fail(UB_ENOMEM, "out of memory");
	if (sp_get_config(port, cfg) != SP_OK ||
	    sp_get_config_parity(cfg, &parity) != SP_OK ||
	    parity != SP_PARITY_EVEN)
		err = ub_fail(UB_EUNSUPPORTED,
			      "%s does not keep even parity, which the STM32 "
			      "bootloader needs (8E1): a mini-UART? %s",
			      dev, ub_serial_pl011_hint);
	sp_free_config(cfg);
	if (!err && !tcgetattr(p->fd, &t)) {
		t.c_iflag |= INPCK | IGNPAR;
		t.c_cflag &= ~(tcflag_t)HUPCL;
		tcsetattr(p->fd, TCSANOW, &t);
	}
	return err;
}

static int sp_write_all(struct ub_serial *s, const void *buf, size_t n,
			unsigned timeout_ms)
{
	int r = sp_blocking_write(port_of(s), buf, n,
				  timeout_ms ? timeout_ms : 1);

	if (r < 0)
		return sp_failed("writing", s->name);
	s->tx += (unsigned)r;
	if ((size_t)r < n)
		return ub_fail(UB_ETIMEOUT,
			       "writing to %s stalled (%d of %zu bytes sent "
			       "in %u ms): flow control on the adapter?",
			       s->name, r, n, timeout_ms);
	return 0;
}

static int sp_read_some(struct ub_serial *s, void *buf, size_t n,
			unsigned timeout_ms)
{
	int r = sp_blocking_read(port_of(s), buf, n,
				 timeout_ms ? timeout_ms : 1);

	if (r < 0)
		return sp_failed("reading", s->name);
	s->rx += (unsigned)r;
	return r;
}

static int sp_flush_input(struct ub_serial *s)
{
	return sp_flush(port_of(s), SP_BUF_INPUT) == SP_OK
		       ? 0
		       : sp_failed("flushing", s->name);
}

static int sp_lines(struct ub_serial *s, unsigned mask, unsigned values)
{
	struct sp_port *port = port_of(s);

	if ((mask & UB_SERIAL_RTS) &&
	    sp_set_rts(port, values & UB_SERIAL_RTS ? SP_RTS_ON : SP_RTS_OFF) !=
		    SP_OK)
		return sp_failed("setting RTS", s->name);
	if ((mask & UB_SERIAL_DTR) &&
	    sp_set_dtr(port, values & UB_SERIAL_DTR ? SP_DTR_ON : SP_DTR_OFF) !=
		    SP_OK)
		return sp_failed("setting DTR", s->name);
	s->lines = (s->lines & ~mask) | (values & mask);
	return 0;
}

/* Another rate, for a loader that talks faster than the ROM. */
static int sp_baud(struct ub_serial *s, uint32_t baud)
{
	if (sp_set_baudrate(port_of(s), (int)baud) != SP_OK)
		return ub_fail(UB_EUNSUPPORTED, "%s does not take %u baud",
			       s->name, baud);
	s->baud = baud;
	return 0;
}

static void sp_close_port(struct ub_serial *s)
{
	struct sp_serial *p = (struct sp_serial *)s;

	if (p->port) {
		sp_close(p->port);
		sp_free_port(p->port);
	}
	free(p);
}

static const struct ub_serial_ops sp_ops = {
	.write = sp_write_all,
	.read = sp_read_some,
	.flush = sp_flush_input,
	.set_lines = sp_lines,
	.close = sp_close_port,
	.set_baud = sp_baud,
};

struct ub_serial *ub_serial_open(const char *port, uint32_t baud, int *err)
{
	struct sp_serial *p = calloc(1, sizeof(*p));

	if (!p) {
		*err = ub_fail(UB_ENOMEM, "out of memory");
		return NULL;
	}
	p->s.ops = &sp_ops;
	p->s.baud = baud;
	p->fd = -1;
	*err = ub_serial_resolve(port, p->s.name, sizeof(p->s.name));
	if (*err)
		goto fail;
	if (sp_get_port_by_name(p->s.name, &p->port) != SP_OK) {
		p->port = NULL;
		*err = ub_fail(UB_ENOENT,
			       "%s is not a serial port (the kernel lists no "
			       "tty device by that name): give the right one "
			       "with -p",
			       p->s.name);
		goto fail;
	}
	if (sp_open(p->port, SP_MODE_READ_WRITE) != SP_OK) {
		*err = open_failed(p->s.name, sp_last_error_code());
		sp_free_port(p->port);
		p->port = NULL;
		goto fail;
	}
	sp_get_port_handle(p->port, &p->fd);
	*err = lock_port(p);
	if (!*err)
		*err = configure(p, baud);
	if (!*err)
		*err = sp_flush_input(&p->s);
	if (*err)
		goto fail;
	ub_info("serial port %s%s%s at %u baud, 8E1", port,
		strcmp(port, p->s.name) ? " -> " : "",
		strcmp(port, p->s.name) ? p->s.name : "", baud);
	return &p->s;
fail:
	sp_close_port(&p->s);
	return NULL;
}
