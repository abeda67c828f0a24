// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * USART1 of the board server on a pseudo-terminal. The host opens the
 * slave ($UB_VBOARD_TTY); the server holds the master.
 *
 * A byte takes its time on the virtual clock: its frame (start, 8 data,
 * parity, stop bits) at the sender's baud, 11 bits for 8E1. Each byte is
 * carried as a waveform: the sender's frame at its baud and framing,
 * sampled by the receiver at its own, so a wrong baud or parity garbles
 * bytes as on a wire. The host's baud and stop bits are read from the pty
 * (the master sees the slave's termios); its parity cannot be - a pty
 * drops PARENB - so it is what the host's tcsetattr asked, as the shim
 * (vb_serial_shim.c) reports it, and even until something is reported.
 * The bootloader receives at the baud it took from the 0x7F, in 8E1; the
 * core's USART1 at vb_usart_baud(), in the framing its CR1 and CR2 set.
 *
 * The clock, and why it does not depend on the host's speed: it moves
 * only (1) by the bytes' frames - a host byte ends max(now, the line's
 * last byte end) + its frame, and what the board sends goes out byte by
 * byte, each frame after the last; (2) by the host's sleeps (the stand-in
 * libgpiod forwards them); (3) by flash work and the bootloader's own
 * delays; (4) when the core runs a program after Go (or from flash after
 * a reset) and a host byte reached it, Go happened or the chip was reset:
 * then the server runs the core in steps of 10 us until it waits for the
 * host (it read USART1 with nothing received), sleeps, halts or locks up,
 * or uart_idle_us has passed, delivering what it sends on the way; and,
 * once it has answered (sent bytes since the host's last ones, and its
 * transmitter is idle), until the host does something again: a host
 * takes no modeled time to react, so what it sends next starts at once,
 * while the core is still at work (a loader programming one buffer while
 * the next arrives). That run happens before any further host byte is
 * read, so it is the same whenever the host's next bytes come.
 *
 * The unit of host input is one write() of the host: the serial shim
 * (vb_serial_shim.c) announces each one (vb_uart_expect) before making
 * it, and the server takes all of its bytes before the core runs on, so
 * how the pty splits them does not matter. Bytes for the ROM are taken one
 * by one as before; bytes for the core's USART1 are all put on its RX
 * wire, one frame after the other, and the core runs while they arrive.
 * A host without the shim (a raw test host) is taken as its bytes come.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "vb_server.h"

#define PS_PER_S  1000000000000ull
#define STEP_PS	  (10 * VB_PS_PER_US)
#define MAX_FRAME 13

/* A frame's shape: data bits, parity ('N', 'E', 'O', 'M', 'S'), stops. */
struct frame {
	uint32_t baud;
	unsigned data, stop;
	char parity;
};

static struct {
	struct vb_uart_set set;
	int master, slave;
	char path[PATH_MAX], link[PATH_MAX];
	char parity;	    /* what the host asked for */
	uint32_t line_baud; /* from the shim, when the pty has none */
	uint64_t rx_free, tx_free;
	uint64_t last_tx; /* when the board's last byte went out */
	uint64_t nbytes;  /* bytes either way, for the faults */
	uint64_t ncore;	  /* host bytes to the core's USART1 */
	uint64_t expect;  /* bytes the host announced, not yet taken */
	bool answering;	  /* the board has started an answer */
	bool answered;	  /* the core sent bytes since the host's last */
	bool run_due;	  /* the core should run (see above) */
	uint64_t resets;
	bool boot_was;
	int modem;
	struct {
		uint64_t in, out, garbled_in, garbled_out, dropped, flipped,
			garbage, core_flipped, capped;
	} st;
} u = {.master = -1, .slave = -1, .parity = 'E'};

/* Settings --------------------------------------------------------------- */

static int parse_u64(const char *v, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(v, &end, 0);
	return errno || end == v || *end ? -1 : 0;
}

static int parse_pin(const char *v, int *pin, bool *inv)
{
	*inv = *v == '!';
	v += *inv;
	if (!strcmp(v, "boot0"))
		*pin = VB_BOOT0;
	else if (!strcmp(v, "nrst"))
		*pin = VB_NRST;
	else if (!strcmp(v, "none") && !*inv)
		*pin = -1;
	else
		return -1;
	return 0;
}

int vb_uart_setting(struct vb_uart_set *s, const char *kv, bool *mine,
		    char *err, size_t errlen)
{
	const char *v = strchr(kv, '=');
	size_t k = v ? (size_t)(v - kv) : 0;
	uint64_t n = 0;
	int r = 0;

	*mine = true;
	if (!v) {
		*mine = false;
		return 0;
	}
	v++;
#define KEY(name) (k == strlen(name) && !strncmp(kv, name, k))
	if (KEY("rts")) {
		r = parse_pin(v, &s->rts_pin, &s->rts_inv);
	} else if (KEY("dtr")) {
		r = parse_pin(v, &s->dtr_pin, &s->dtr_inv);
	} else if (KEY("uart_uncrossed")) {
		r = parse_u64(v, &n) || n > 1;
		s->uncrossed = n;
	} else if (KEY("uart_mini")) {
		r = strcmp(v, "0") && strcmp(v, "1"); /* the shim's */
	} else if (KEY("uart_drop_every") || KEY("uart_flip_every") ||
		   KEY("uart_garbage") || KEY("uart_idle_us") ||
		   KEY("uart_core_flip_every") || KEY("uart_max_baud")) {
		r = parse_u64(v, &n);
		if (!r && n > UINT32_MAX)
			r = -1;
		if (KEY("uart_drop_every"))
			s->drop_every = (unsigned)n;
		else if (KEY("uart_flip_every"))
			s->flip_every = (unsigned)n;
		else if (KEY("uart_garbage"))
			s->garbage = (unsigned)n;
		else if (KEY("uart_core_flip_every"))
			s->core_flip_every = (unsigned)n;
		else if (KEY("uart_max_baud"))
			s->max_baud = (unsigned)n;
		else
			s->idle_ps = n * VB_PS_PER_US;
	} else {
		*mine = false;
	}
#undef KEY
	if (r)
		snprintf(err, errlen, "setting '%s': bad value", kv);
	return r;
}

/* The pty ---------------------------------------------------------------- */

int vb_uart_open(struct vb *vb, const struct vb_uart_set *s, const char *dir,
		 char *err, size_t errlen)
{
	struct termios t;
	const char *name;

	u.set = *s;
	u.master = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (u.master < 0 || grantpt(u.master) || unlockpt(u.master) ||
	    !(name = ptsname(u.master))) {
		snprintf(err, errlen, "cannot make a pty: %s", strerror(errno));
		return -1;
	}
	snprintf(u.path, sizeof(u.path), "%s", name);
	/* held open so that the master never hangs up between hosts */
	u.slave = open(u.path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (u.slave < 0 || tcgetattr(u.slave, &t)) {
		snprintf(err, errlen, "cannot open %s: %s", u.path,
			 strerror(errno));
		return -1;
	}
	/* a serial port's defaults: raw, 9600 8N1, no echo */
	cfmakeraw(&t);
	t.c_cflag |= CLOCAL | CREAD;
	cfsetspeed(&t, B9600);
	tcsetattr(u.slave, TCSANOW, &t);
	u.resets = vb->st.resets;
	u.boot_was = vb_boot_active(vb);
	if (dir) {
		snprintf(u.link, sizeof(u.link), "%s/tty", dir);
		unlink(u.link);
		if (symlink(u.path, u.link)) {
			snprintf(err, errlen, "cannot link %s: %s", u.link,
				 strerror(errno));
			u.link[0] = 0;
			return -1;
		}
	}
	vb_uart_modem(vb, 0);
	return 0;
}

int vb_uart_fd(void)
{
	return u.master;
}

const char *vb_uart_path(void)
{
	return u.path;
}

void vb_uart_close(void)
{
	if (u.link[0])
		unlink(u.link);
	if (u.slave >= 0)
		close(u.slave);
	if (u.master >= 0)
		close(u.master);
	u.master = u.slave = -1;
}

static uint32_t speed_of(speed_t s)
{
	static const struct {
		speed_t s;
		uint32_t b;
	} tab[] = {
		{B50, 50},	     {B75, 75},		  {B110, 110},
		{B134, 134},	     {B150, 150},	  {B200, 200},
		{B300, 300},	     {B600, 600},	  {B1200, 1200},
		{B1800, 1800},	     {B2400, 2400},	  {B4800, 4800},
		{B9600, 9600},	     {B19200, 19200},	  {B38400, 38400},
		{B57600, 57600},     {B115200, 115200},	  {B230400, 230400},
		{B460800, 460800},   {B500000, 500000},	  {B576000, 576000},
		{B921600, 921600},   {B1000000, 1000000}, {B1152000, 1152000},
		{B1500000, 1500000}, {B2000000, 2000000},
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (tab[i].s == s)
			return tab[i].b;
	return 0;
}

/* The host's side of the line now. */
static struct frame host_frame(void)
{
	struct frame f = {9600, 8, 1, u.parity};
	struct termios t;

	if (!tcgetattr(u.master, &t)) {
		f.baud = speed_of(cfgetospeed(&t));
		f.stop = t.c_cflag & CSTOPB ? 2 : 1;
	}
	if (!f.baud)
		f.baud = u.line_baud ? u.line_baud : 9600;
	return f;
}

static struct frame board_frame(struct vb *vb, const struct frame *host)
{
	struct frame f = {0, 8, 1, 'E'};

	if (vb_boot_active(vb)) {
		f.baud = vb_boot_baud(vb);
	} else {
		f.baud = vb_usart_baud(vb);
		vb_usart_framing(vb, &f.data, &f.parity, &f.stop);
	}
	if (!f.baud) /* before the autobaud: it measures the host's */
		f.baud = host->baud;
	return f;
}

static unsigned frame_bits(const struct frame *f)
{
	return 1 + f->data + (f->parity != 'N') + f->stop;
}

static uint64_t frame_ps(const struct frame *f)
{
	return frame_bits(f) * PS_PER_S / f->baud;
}

static int parity_bit(unsigned v, char p)
{
	int ones = __builtin_popcount(v);

	switch (p) {
	case 'E':
		return ones & 1;
	case 'O':
		return !(ones & 1);
	case 'M':
		return 1;
	default:
		return 0;
	}
}

/* The frame of c in f, bit by bit from the start bit: how many. */
static unsigned frame_of(int c, const struct frame *f, int *bits)
{
	unsigned n = 0;

	bits[n++] = 0;
	for (unsigned i = 0; i < f->data; i++)
		bits[n++] = (c >> i) & 1;
	if (f->parity != 'N')
		bits[n++] = parity_bit((unsigned)c & ((1u << f->data) - 1),
				       f->parity);
	for (unsigned i = 0; i < f->stop; i++)
		bits[n++] = 1;
	return n;
}

enum { RX_OK, RX_PARITY, RX_FRAMING };

/* Send c in frame tx, receive it in frame rx: *data and how it went. */
static int carry(int c, const struct frame *tx, const struct frame *rx,
		 int *data)
{
	int bits[MAX_FRAME], got[MAX_FRAME], v = 0;
	unsigned nrx = frame_bits(rx), ntx = frame_of(c, tx, bits);

	for (unsigned i = 0; i < nrx; i++) {
		/* the middle of the receiver's bit i, in the sender's bits */
		uint64_t k = (2 * i + 1) * (uint64_t)tx->baud /
			     (2 * (uint64_t)rx->baud);

		got[i] = k < ntx ? bits[k] : 1; /* idle after the frame */
	}
	for (unsigned i = 0; i < rx->data; i++)
		v |= got[1 + i] << i;
	*data = v;
	if (got[0] || !got[nrx - 1])
		return RX_FRAMING;
	if (rx->parity != 'N' &&
	    got[1 + rx->data] != parity_bit((unsigned)v, rx->parity))
		return RX_PARITY;
	return RX_OK;
}

/* Faults: drop or flip every Nth byte either way, and a line too slow
 * for the baud (uart_max_baud: the byte is lost). -1: dropped. */
static int fault(int c, uint32_t baud)
{
	u.nbytes++;
	if (u.set.max_baud && baud > u.set.max_baud) {
		u.st.capped++;
		return -1;
	}
	if (u.set.drop_every && u.nbytes % u.set.drop_every == 0) {
		u.st.dropped++;
		return -1;
	}
	if (u.set.flip_every && u.nbytes % u.set.flip_every == 0) {
		u.st.flipped++;
		return c ^ (1 << (u.nbytes / u.set.flip_every % 8));
	}
	return c;
}

/* The clock to t (never back). */
static void until(struct vb *vb, uint64_t t)
{
	if (t > vb->now_ps)
		vb_advance(vb, t - vb->now_ps);
}

/* The frame on the VCD trace's uart_rx (host to board) or uart_tx. */
static void trace(bool tx, uint64_t start, const struct frame *f, int c)
{
	int bits[MAX_FRAME];
	unsigned n = frame_of(c, f, bits);

	vb_server_vcd_wire(tx, start, PS_PER_S / f->baud, bits, n);
}

/*
 * A byte the board sends, out on the wire to the host: the bootloader's
 * (timed: its frame starts now or after the last one), or USART1's (its
 * frame has just ended: vb_usart.c keeps the core's frames).
 */
static void send_byte(struct vb *vb, int c, bool timed)
{
	struct frame h = host_frame(), b = board_frame(vb, &h);
	struct termios t;
	uint64_t start = vb->now_ps > u.tx_free ? vb->now_ps : u.tx_free;
	uint8_t out[3];
	size_t n = 0;
	int v, how;

	if (!timed) { /* USART1's: at the rate it went out at */
		if (vb_usart_tx_baud(vb))
			b.baud = vb_usart_tx_baud(vb);
		start = vb->now_ps > frame_ps(&b) ? vb->now_ps - frame_ps(&b)
						  : 0;
	}
	u.tx_free = start + frame_ps(&b);
	until(vb, u.tx_free);
	u.st.out++;
	u.last_tx = vb->now_ps;
	if (u.set.uncrossed) /* onto the host's TX pin: nobody hears it */
		return;
	c = fault(c, b.baud);
	if (c < 0)
		return;
	trace(true, start, &b, c);
	how = carry(c, &b, &h, &v);
	if (how != RX_OK)
		u.st.garbled_out++;
	tcgetattr(u.master, &t);
	/* what the host's line discipline makes of an error (termios(3)) */
	if (how == RX_FRAMING || (how == RX_PARITY && t.c_iflag & INPCK)) {
		if (t.c_iflag & IGNPAR) {
			return;
		} else if (t.c_iflag & PARMRK) {
			out[n++] = 0xFF;
			out[n++] = 0;
			v = 0;
		} else {
			v = 0;
		}
	}
	out[n++] = (uint8_t)v;
	if (write(u.master, out, n) < 0 && errno != EAGAIN)
		perror("vboard-server: pty");
}

/* The next byte the board sends: 1 from the ROM, 2 from USART1, or 0. */
static int board_next(struct vb *vb, uint8_t *c)
{
	/* USART1's bytes are on the wire already, even those sent just
	 * before a reset that gave USART1 to the ROM */
	if (vb_usart_tx(vb, c))
		return 2;
	return vb_boot_tx(vb, c) ? 1 : 0;
}

/* Deliver everything the board has to send. */
static void drain(struct vb *vb)
{
	uint8_t c;
	int from;

	while ((from = board_next(vb, &c))) {
		if (!u.answering && u.set.garbage) {
			for (unsigned i = 0; i < u.set.garbage; i++) {
				u.st.garbage++;
				send_byte(vb, (0xA5 ^ (i * 0x3B)) & 0xFF, true);
			}
		}
		u.answering = true;
		u.answered |= from == 2;
		send_byte(vb, c, from == 1);
	}
}

/* Has the core something to do on its own (see the top)? */
static void note_events(struct vb *vb)
{
	bool boot = vb_boot_active(vb);

	if (vb->st.resets != u.resets || (u.boot_was && !boot)) {
		u.run_due = true;
		u.answered = false;
	}
	u.resets = vb->st.resets;
	u.boot_was = boot;
}

static bool core_runs(struct vb *vb)
{
	return vb->powered && !vb->in_reset && !vb_boot_active(vb) &&
	       !vb_cpu_halted(vb) && !vb_cpu_locked(vb) && !vb_cpu_sleeping(vb);
}

void vb_uart_work(struct vb *vb)
{
	uint64_t end, idle;

	drain(vb);
	note_events(vb);
	if (!u.run_due)
		return;
	u.run_due = false;
	idle = u.set.idle_ps ? u.set.idle_ps : 100000 * VB_PS_PER_US;
	/* idle: from the end of the host's last byte on the wire, or of
	 * the board's last (a long answer is no idleness) */
	end = (vb->now_ps > u.rx_free ? vb->now_ps : u.rx_free) + idle;
	while (core_runs(vb) &&
	       (vb->now_ps < end || vb->now_ps < u.last_tx + idle)) {
		vb_advance(vb, STEP_PS);
		drain(vb);
		if (vb_usart_waiting(vb) ||
		    (u.answered && vb_usart_tx_idle(vb)))
			break;
	}
	note_events(vb);
	u.run_due = false;
	drain(vb);
}

/* One byte from the host onto the wire to USART1. */
static void receive_byte(struct vb *vb, uint8_t c0)
{
	struct frame h = host_frame(), b = board_frame(vb, &h);
	uint64_t start = vb->now_ps > u.rx_free ? vb->now_ps : u.rx_free;
	bool boot = vb_boot_active(vb);
	int c, v, how;

	/* the ROM reads a byte once its frame is in; USART1 (vb_usart.c)
	 * takes it as its frame starts and times it itself */
	u.rx_free = start + frame_ps(&h);
	if (boot)
		until(vb, u.rx_free);
	u.st.in++;
	if (u.set.uncrossed) /* onto the board's TX pin: lost */
		return;
	u.answering = false;
	u.answered = false;
	c = fault(c0, h.baud);
	if (c >= 0 && !boot && u.set.core_flip_every &&
	    ++u.ncore % u.set.core_flip_every == 0) {
		u.st.core_flipped++;
		c ^= 1 << (u.ncore / u.set.core_flip_every % 8);
	}
	if (c < 0)
		return;
	trace(false, start, &h, c);
	how = carry(c, &h, &b, &v);
	if (how != RX_OK)
		u.st.garbled_in++;
	if (boot) {
		vb_boot_rx(vb, how == RX_OK ? v : -1, h.baud);
	} else if (vb->powered && !vb->in_reset) {
		/* USART1's PE and FE are not modelled: the data goes in */
		vb_usart_rx(vb, (uint8_t)v);
		u.run_due = true;
	}
}

/* A host byte for the core's USART1 (not the ROM): on its RX wire behind
 * the others; when the wire is full, the core runs until there is room. */
static bool to_core(struct vb *vb)
{
	return !vb_boot_active(vb) && vb->powered && !vb->in_reset;
}

static void queue_byte(struct vb *vb, uint8_t c)
{
	for (int i = 0; i < 1000000 && !vb_usart_room(vb); i++) {
		vb_advance(vb, STEP_PS);
		drain(vb);
	}
	receive_byte(vb, c);
}

/* Wait up to ms for the pty to have bytes. */
static bool readable(int ms)
{
	struct pollfd p = {.fd = u.master, .events = POLLIN};

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

void vb_uart_input(struct vb *vb)
{
	uint8_t buf[4096];
	ssize_t n;

	vb_uart_work(vb);
	for (;;) {
		n = read(u.master, buf, sizeof(buf));
		if (n <= 0) {
			/* the rest of an announced write is on its way */
			if (u.expect && readable(2000))
				continue;
			u.expect = 0;
			break;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (to_core(vb)) {
				queue_byte(vb, buf[i]);
				if (!u.expect)
					vb_uart_work(vb);
			} else {
				receive_byte(vb, buf[i]);
				vb_uart_work(vb);
			}
		}
		u.expect = (uint64_t)n < u.expect ? u.expect - (uint64_t)n : 0;
		if (!u.expect)
			break;
	}
	vb_uart_work(vb);
}

void vb_uart_expect(struct vb *vb, uint64_t n)
{
	(void)vb;
	u.expect += n;
}

void vb_uart_line(struct vb *vb, int baud, int parity)
{
	(void)vb;
	if (baud > 0)
		u.line_baud = (uint32_t)baud;
	if (parity == 'N' || parity == 'E' || parity == 'O' || parity == 'M' ||
	    parity == 'S')
		u.parity = (char)parity;
}

/* A USB-serial adapter's RTS and DTR outputs are low while asserted. */
static void modem_pin(struct vb *vb, int pin, bool inv, bool asserted)
{
	if (pin >= 0)
		vb_drive(vb, pin, asserted == inv);
}

void vb_uart_modem(struct vb *vb, int bits)
{
	u.modem = bits;
	modem_pin(vb, u.set.rts_pin, u.set.rts_inv, bits & TIOCM_RTS);
	modem_pin(vb, u.set.dtr_pin, u.set.dtr_inv, bits & TIOCM_DTR);
	note_events(vb);
}

void vb_uart_report(FILE *f)
{
	fprintf(f,
		"\"uart\":{\"bytes_in\":%llu,\"bytes_out\":%llu,"
		"\"garbled_in\":%llu,\"garbled_out\":%llu,\"dropped\":%llu,"
		"\"flipped\":%llu,\"garbage\":%llu,\"core_flipped\":%llu,"
		"\"capped\":%llu}",
		(unsigned long long)u.st.in, (unsigned long long)u.st.out,
		(unsigned long long)u.st.garbled_in,
		(unsigned long long)u.st.garbled_out,
		(unsigned long long)u.st.dropped,
		(unsigned long long)u.st.flipped,
		(unsigned long long)u.st.garbage,
		(unsigned long long)u.st.core_flipped,
		(unsigned long long)u.st.capped);
}
