// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libvbserial.so: LD_PRELOADed by with-vboard into the programs of a board
 * server session. Stock libserialport 0.1.1 (and stm32flash) refuse the
 * board's pty for three reasons, and this shim fakes exactly those, for
 * that pty ($UB_VBOARD_TTY) only, at the C library calls they make:
 *
 *  - the sysfs lookup: sp_get_port_by_name() reads /sys/class/tty/<dev>
 *    (lstat, readlink), and sp_list_ports() lists /sys/class/tty
 *    (opendir, readdir_r); a pty has no entry there. The shim shows one,
 *    a native port ("pts/N") on a platform device.
 *  - the modem lines: a pty has no TIOCMGET/TIOCMBIS/TIOCMBIC/TIOCMSET.
 *    The shim keeps RTS and DTR (CTS, DSR, DCD and RI read 0) and passes
 *    every change to the board server, so that RTS and DTR can be wired to
 *    BOOT0 and NRST as on a USB-serial adapter (with-vboard's rts= and
 *    dtr= settings).
 *  - the parity: a pty drops PARENB, PARODD and CMSPAR from what
 *    tcsetattr() sets (and CSIZE goes to CS8); glibc's tcsetattr() sees
 *    that and fails with EINVAL, and a program that reads its settings
 *    back sees no parity. The shim takes such a tcsetattr() as done (when
 *    nothing else differs), keeps what was asked, shows it in tcgetattr(),
 *    and tells the server the baud and parity, which it needs to decide
 *    whether the host's bytes arrive whole.
 *
 * With the setting uart_mini=1 the pty is a Raspberry Pi's mini-UART: its
 * device's driver (/sys/class/tty/pts/N/device/driver) is bcm2835-aux-uart,
 * and its frames carry no parity whatever tcsetattr() asked for.
 *
 * And one thing the server needs to keep its clock independent of how fast
 * this process runs: each write() to the pty is announced first
 * (VB_OP_EXPECT with its length) and then made whole, so that the server
 * takes the write's bytes as one unit however the pty splits them.
 *
 * Everything else reaches the pty unchanged.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <stdarg.h>
#include <poll.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>

#include "vb_server.h"

#define SYS_TTY "/sys/class/tty"
#define KEEP	(PARENB | PARODD | CMSPAR | CSIZE)

static struct {
	bool init;
	char dev[64];  /* "pts/N" */
	char sys[128]; /* "/sys/class/tty/pts/N" */
	dev_t rdev;
	int sock;
	bool mini;	/* uart_mini=1: the Pi's mini-UART */
	tcflag_t cflag; /* the bits of KEEP the program asked for */
	bool cflag_set;
	int modem;    /* TIOCM_RTS | TIOCM_DTR */
	DIR *tty_dir; /* an opendir of SYS_TTY */
	bool tty_listed;
} sh = {.sock = -1};

static void *real(const char *name)
{
	return dlsym(RTLD_NEXT, name);
}

static void init(void)
{
	const char *tty = getenv("UB_VBOARD_TTY");
	int (*xstat)(const char *, struct stat *) = real("stat");
	struct stat st;

	if (sh.init)
		return;
	sh.init = true;
	if (!tty || strncmp(tty, "/dev/", 5) || strlen(tty) >= sizeof(sh.dev))
		return;
	if (!xstat || xstat(tty, &st) || !S_ISCHR(st.st_mode))
		return;
	snprintf(sh.dev, sizeof(sh.dev), "%s", tty + 5);
	snprintf(sh.sys, sizeof(sh.sys), SYS_TTY "/%s", sh.dev);
	sh.rdev = st.st_rdev;
	tty = getenv("UB_VBOARD_SETTINGS");
	for (const char *l = tty; l && *l; l += strcspn(l, "\n"), l += !!*l)
		sh.mini |= !strncmp(l, "uart_mini=1", 11) &&
			   (l[11] == '\n' || !l[11]);
}

static bool ours(int fd)
{
	struct stat st;

	init();
	return sh.dev[0] && !fstat(fd, &st) && S_ISCHR(st.st_mode) &&
	       st.st_rdev == sh.rdev;
}

static void tell(struct vb_msg *m)
{
	if (sh.sock < 0)
		sh.sock = vb_server_connect(NULL);
	if (sh.sock >= 0 && vb_server_call(sh.sock, m)) {
		close(sh.sock);
		sh.sock = -1;
	}
}

/* sysfs ------------------------------------------------------------------ */

static bool our_sys(const char *path)
{
	init();
	return path && sh.dev[0] && !strcmp(path, sh.sys);
}

/* The mini-UART's driver link, SYS_TTY/pts/N/device/driver. */
static bool our_driver(const char *path)
{
	size_t n = strlen(sh.sys);

	init();
	return path && sh.mini && sh.dev[0] && !strncmp(path, sh.sys, n) &&
	       !strcmp(path + n, "/device/driver");
}

static int fake_link(struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFLNK | 0777;
	return 0;
}

int __lxstat(int ver, const char *path, struct stat *st)
{
	int (*fn)(int, const char *, struct stat *) = real("__lxstat");

	if (our_sys(path))
		return fake_link(st);
	return fn(ver, path, st);
}

int __lxstat64(int ver, const char *path, struct stat64 *st)
{
	int (*fn)(int, const char *, struct stat64 *) = real("__lxstat64");

	if (our_sys(path))
		return fake_link((struct stat *)st);
	return fn(ver, path, st);
}

int lstat(const char *path, struct stat *st)
{
	int (*fn)(const char *, struct stat *) = real("lstat");

	if (our_sys(path))
		return fake_link(st);
	return fn(path, st);
}

int lstat64(const char *path, struct stat64 *st)
{
	int (*fn)(const char *, struct stat64 *) = real("lstat64");

	if (our_sys(path))
		return fake_link((struct stat *)st);
	return fn(path, st);
}

ssize_t readlink(const char *path, char *buf, size_t size)
{
	ssize_t (*fn)(const char *, char *, size_t) = real("readlink");
	char target[256];
	size_t n;

	if (our_driver(path)) {
		n = (size_t)snprintf(target, sizeof(target),
				     "../../../../bus/platform/drivers/"
				     "bcm2835-aux-uart");
		if (n > size)
			n = size;
		memcpy(buf, target, n);
		return (ssize_t)n;
	}
	if (!our_sys(path))
		return fn(path, buf, size);
	/* libserialport reads the link into the buffer that names it */
	n = (size_t)snprintf(target, sizeof(target),
			     "../../devices/platform/vboard-usart1/tty/%s",
			     sh.dev);
	if (n > size)
		n = size;
	memcpy(buf, target, n);
	return (ssize_t)n;
}

DIR *opendir(const char *path)
{
	DIR *(*fn)(const char *) = real("opendir");
	DIR *d = fn(path);

	init();
	if (d && sh.dev[0] && !strcmp(path, SYS_TTY)) {
		sh.tty_dir = d;
		sh.tty_listed = false;
	}
	return d;
}

int closedir(DIR *d)
{
	int (*fn)(DIR *) = real("closedir");

	if (d == sh.tty_dir)
		sh.tty_dir = NULL;
	return fn(d);
}

/* After the real entries, ours ("pts/N": the port is /dev/pts/N). */
static bool add_ours(DIR *d, struct dirent *e)
{
	if (d != sh.tty_dir || sh.tty_listed)
		return false;
	sh.tty_listed = true;
	memset(e, 0, sizeof(*e));
	e->d_type = DT_LNK;
	snprintf(e->d_name, sizeof(e->d_name), "%s", sh.dev);
	return true;
}

int readdir_r(DIR *d, struct dirent *entry, struct dirent **result)
{
	int (*fn)(DIR *, struct dirent *, struct dirent **) = real("readdir_r");
	int r = fn(d, entry, result);

	if (!r && !*result && add_ours(d, entry))
		*result = entry;
	return r;
}

struct dirent *readdir(DIR *d)
{
	struct dirent *(*fn)(DIR *) = real("readdir");
	static struct dirent e;
	struct dirent *r = fn(d);

	if (!r && add_ours(d, &e))
		return &e;
	return r;
}

/* The kernel's struct termios2 (asm/termbits.h, which <termios.h> cannot
 * be included with): libserialport sets rates outside its table (2 Mbaud)
 * with TCSETS2 and BOTHER, which tcsetattr() never sees. */
struct kterm2 {
	unsigned int c_iflag, c_oflag, c_cflag, c_lflag;
	unsigned char c_line, c_cc[19];
	unsigned int c_ispeed, c_ospeed;
};

#define K_TCSETS2  _IOW('T', 0x2B, struct kterm2)
#define K_TCSETSW2 _IOW('T', 0x2C, struct kterm2)
#define K_TCSETSF2 _IOW('T', 0x2D, struct kterm2)
#define K_CBAUD	   0010017u
#define K_BOTHER   0010000u

static int parity_of(tcflag_t c);

/* Modem lines ------------------------------------------------------------ */

static void modem_changed(void)
{
	struct vb_msg m = {.op = VB_OP_MODEM, .a = sh.modem};

	tell(&m);
}

int ioctl(int fd, unsigned long req, ...)
{
	int (*fn)(int, unsigned long, void *) = real("ioctl");
	int *bits, want;
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if ((req == K_TCSETS2 || req == K_TCSETSW2 || req == K_TCSETSF2) &&
	    ours(fd)) {
		const struct kterm2 *k = arg;
		struct vb_msg m = {.op = VB_OP_LINE};
		int r = fn(fd, req, arg);

		if (!r && (k->c_cflag & K_CBAUD) == K_BOTHER) {
			m.a = (int)k->c_ospeed;
			m.b = sh.cflag_set ? parity_of(sh.cflag) : 0;
			tell(&m);
		}
		return r;
	}
	if ((req != TIOCMGET && req != TIOCMSET && req != TIOCMBIS &&
	     req != TIOCMBIC) ||
	    !ours(fd))
		return fn(fd, req, arg);
	bits = arg;
	if (req == TIOCMGET) {
		*bits = sh.modem;
		return 0;
	}
	want = *bits & (TIOCM_RTS | TIOCM_DTR);
	if (req == TIOCMSET)
		sh.modem = want;
	else if (req == TIOCMBIS)
		sh.modem |= want;
	else
		sh.modem &= ~want;
	modem_changed();
	return 0;
}

/* Parity ----------------------------------------------------------------- */

static int baud_of(speed_t s)
{
	static const speed_t sp[] = {
		B1200,	  B2400,    B4800,    B9600,	B19200,	  B38400,
		B57600,	  B115200,  B230400,  B460800,	B500000,  B576000,
		B921600,  B1000000, B1152000, B1500000, B2000000, B2500000,
		B3000000, B3500000, B4000000};
	static const int bd[] = {
		1200,	 2400,	  4800,	   9600,    19200,   38400,   57600,
		115200,	 230400,  460800,  500000,  576000,  921600,  1000000,
		1152000, 1500000, 2000000, 2500000, 3000000, 3500000, 4000000};

	for (size_t i = 0; i < sizeof(sp) / sizeof(sp[0]); i++)
		if (sp[i] == s)
			return bd[i];
	return 0;
}

int tcsetattr(int fd, int act, const struct termios *t)
{
	int (*fn)(int, int, const struct termios *) = real("tcsetattr");
	int (*get)(int, struct termios *) = real("tcgetattr");
	struct vb_msg m = {.op = VB_OP_LINE};
	int r = fn(fd, act, t), e = errno;
	struct termios now;

	if (!ours(fd))
		return r;
	/* glibc sees the pty drop PARENB or CSIZE and says EINVAL: the
	 * rest took effect, and the parity is kept here */
	if (r && !(e == EINVAL && !get(fd, &now) &&
		   !((now.c_cflag ^ t->c_cflag) & ~KEEP))) {
		errno = e;
		return r;
	}
	sh.cflag = t->c_cflag & KEEP;
	sh.cflag_set = true;
	m.a = baud_of(cfgetospeed(t));
	m.b = parity_of(t->c_cflag);
	tell(&m);
	return 0;
}

static int parity_of(tcflag_t c)
{
	if (!(c & PARENB) || sh.mini)
		return 'N';
	if (c & CMSPAR)
		return c & PARODD ? 'M' : 'S';
	return c & PARODD ? 'O' : 'E';
}

int tcgetattr(int fd, struct termios *t)
{
	int (*fn)(int, struct termios *) = real("tcgetattr");
	int r = fn(fd, t);

	if (!r && sh.cflag_set && ours(fd))
		t->c_cflag = (t->c_cflag & ~KEEP) | sh.cflag;
	return r;
}

/* Writes ----------------------------------------------------------------- */

ssize_t write(int fd, const void *buf, size_t n)
{
	static ssize_t (*fn)(int, const void *, size_t);
	struct vb_msg m = {.op = VB_OP_EXPECT, .u = n};
	struct pollfd p = {.fd = fd, .events = POLLOUT};
	size_t done = 0;
	ssize_t r;

	if (!fn)
		fn = real("write");
	if (!n || !ours(fd))
		return fn(fd, buf, n);
	tell(&m);
	while (done < n) {
		r = fn(fd, (const char *)buf + done, n - done);
		if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
			poll(&p, 1, 100);
			continue;
		}
		if (r <= 0)
			return done ? (ssize_t)done : r;
		done += (size_t)r;
	}
	return (ssize_t)n;
}
