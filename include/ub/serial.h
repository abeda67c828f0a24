/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_SERIAL_H
#define UB_SERIAL_H

#include <stddef.h>
#include <stdint.h>

#include "ub/err.h"

/*
 * The serial wire: a port set to 8E1 (what the STM32 ROM bootloader speaks),
 * raw bytes with deadlines, and the adapter's RTS and DTR lines. One backend
 * per file behind one ops table: libserialport (src/serial.c) on a Pi or a
 * USB-serial adapter.
 */
enum ub_serial_line {
	UB_SERIAL_RTS = 1u << 0,
	UB_SERIAL_DTR = 1u << 1,
};

struct ub_serial;

struct ub_serial_ops {
	/* Send all of buf, waiting up to timeout_ms for it to leave. */
	int (*write)(struct ub_serial *s, const void *buf, size_t n,
		     unsigned timeout_ms);
	/* Receive up to n bytes, waiting until all n came or timeout_ms
	 * passed: the count (short on timeout), or a negative ub_err. */
	int (*read)(struct ub_serial *s, void *buf, size_t n,
		    unsigned timeout_ms);
	/* Forget what was received and not read yet. */
	int (*flush)(struct ub_serial *s);
	/* Assert (1) or negate (0) the lines in mask (UB_SERIAL_RTS/DTR).
	 * Asserted lines are electrically low on a TTL adapter's pins. */
	int (*set_lines)(struct ub_serial *s, unsigned mask, unsigned values);
	void (*close)(struct ub_serial *s);
	/* Optional: another baud rate, the framing kept (UB_EUNSUPPORTED
	 * when the port cannot take it: nothing changed then). */
	int (*set_baud)(struct ub_serial *s, uint32_t baud);
};

struct ub_serial {
	const struct ub_serial_ops *ops;
	char name[256]; /* the device, symlinks resolved: /dev/ttyAMA0 */
	uint32_t baud;
	unsigned lines;	      /* what set_lines last asserted */
	unsigned long tx, rx; /* bytes sent and received, for -v */
};

/*
 * Open a serial port for the ROM bootloader: the name's symlinks resolved
 * first (/dev/serial0 -> /dev/ttyAMA0, which libserialport's own lookup
 * needs), locked against every other user (a second unbrick, or any other
 * program, gets "port busy" naming the port and, when it can be seen, the
 * program holding it), 8 data bits, even parity, one stop bit, no flow
 * control, baud as given. A port that refuses even parity, such as the
 * Raspberry Pi's mini-UART, is refused with how to switch to the PL011.
 * NULL and *err, with the message, on failure.
 */
struct ub_serial *ub_serial_open(const char *port, uint32_t baud, int *err);

/*
 * The device a port name leads to, following symlinks (relative ones from
 * the link's directory): "/dev/serial0" gives "/dev/ttyAMA0". A name with no
 * '/' is taken in /dev. UB_ENOENT with a message when it leads nowhere.
 */
int ub_serial_resolve(const char *port, char *buf, size_t n);

/* How to get the PL011 on GPIO14/15 instead of the mini-UART: a sentence. */
extern const char ub_serial_pl011_hint[];

/* Byte time at s->baud in microseconds (8E1: 11 bits), at least 1. */
unsigned ub_serial_byte_us(const struct ub_serial *s);

static inline int ub_serial_write(struct ub_serial *s, const void *buf,
				  size_t n, unsigned timeout_ms)
{
	return s->ops->write(s, buf, n, timeout_ms);
}

static inline int ub_serial_read(struct ub_serial *s, void *buf, size_t n,
				 unsigned timeout_ms)
{
	return s->ops->read(s, buf, n, timeout_ms);
}

static inline int ub_serial_flush(struct ub_serial *s)
{
	return s->ops->flush(s);
}

static inline int ub_serial_set_lines(struct ub_serial *s, unsigned mask,
				      unsigned values)
{
	return s->ops->set_lines(s, mask, values);
}

static inline int ub_serial_set_baud(struct ub_serial *s, uint32_t baud)
{
	if (!s->ops->set_baud)
		return UB_EUNSUPPORTED;
	return s->ops->set_baud(s, baud);
}

static inline void ub_serial_close(struct ub_serial *s)
{
	if (s)
		s->ops->close(s);
}

#endif
