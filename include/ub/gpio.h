/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_GPIO_H
#define UB_GPIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ub/board.h"

/*
 * The GPIO wire: the Pi's lines by role. One backend per file, all behind
 * one ops table: libgpiod 1.6 (src/gpio_gpiod.c) or 2.x (src/gpio_gpiod2.c),
 * whichever the build found, and memory-mapped registers for the fast lines
 * (src/gpio_mmio*.c, over a libgpiod session that holds every line).
 * Lines are named by role bits so that SWCLK and SWDIO change in one call.
 *
 * Releasing a line: an open-drain line (NRST) is released by setting it to
 * 1; any other line by making it an input with dir().
 */
enum ub_line {
	UB_LINE_SWCLK,
	UB_LINE_SWDIO,
	UB_LINE_NRST,
	UB_LINE_BOOT0,
	UB_LINE_SPI_CS,
	UB_LINE_SPI_CLK,
	UB_LINE_SPI_MOSI,
	UB_LINE_SPI_MISO,
	UB_LINE_BOARD0, /* board lines (buttons: mode, k1...) from here */
	UB_LINE_MAX = 16,
};

#define UB_BIT(line) (1u << (line))

struct ub_gpio;

struct ub_gpio_ops {
	/* Drive the lines in mask to the levels in values (one call; on
	 * libgpiod 1.6 one ioctl per request whose lines change, a falling
	 * clock first and a rising clock last); lines already at their level
	 * are not written. For an open-drain line 1 means released. For an
	 * input the level is remembered and driven when it turns output. */
	int (*set)(struct ub_gpio *g, unsigned mask, unsigned values);
	/* Read the levels of the lines in mask. */
	int (*get)(struct ub_gpio *g, unsigned mask, unsigned *values);
	/* Make the lines in mask outputs (bit set in outputs) or inputs,
	 * in place: never by releasing and requesting again. */
	int (*dir)(struct ub_gpio *g, unsigned mask, unsigned outputs);
	/* Release every line (inputs, as before we came). */
	void (*close)(struct ub_gpio *g);
};

/* What to request for one role. */
struct ub_gpio_req {
	enum ub_line line;
	int bcm;	 /* BCM GPIO number (the Pi header's GPIOn) */
	bool output;	 /* start as an output... */
	int initial;	 /* ...driving this level */
	bool open_drain; /* NRST: pull low or let go */
	bool pull_up;	 /* bias for an input (SWDIO) */
	bool turns;	 /* changes direction during the session (SWDIO,
			    a push-pull line that is released): requested
			    alone, see gpio_gpiod.c */
};

struct ub_gpio {
	const struct ub_gpio_ops *ops;
	unsigned have;	      /* UB_BIT() of every line requested */
	unsigned outputs;     /* the lines that are outputs now */
	unsigned levels;      /* what was last driven (to skip unchanged) */
	const char *backend;  /* "gpiod", "gpiod2", "mmio", for -v and doctor */
	const char *detail;   /* "libgpiod 1.6.3", "bcm2711 /dev/gpiomem"... */
	uint32_t default_hz;  /* SWCLK when -s is not given, 0: flat out */
	unsigned long writes; /* value writes sent to the kernel (-v, tests) */
};

/* Which backend ub_gpio_open_board uses (--gpio). */
enum ub_gpio_backend {
	UB_GPIO_AUTO,  /* mmio where the SoC is known and its node opens */
	UB_GPIO_GPIOD, /* libgpiod only */
	UB_GPIO_MMIO,  /* mmio for the SWD and SPI lines, or fail */
};

/* "auto", "gpiod", "mmio": the backend, or -1. */
int ub_gpio_parse_backend(const char *s);
void ub_gpio_choose(enum ub_gpio_backend b);
enum ub_gpio_backend ub_gpio_chosen(void);

/* The libgpiod this program was built against: 1 or 2. */
int ub_gpiod_api(void);
/* Its version string at run time ("1.6.3", "2.1.3"). */
const char *ub_gpiod_version(void);

/*
 * The gpiochips this machine has, for doctor: calls fn for each, with its
 * path, label and number of lines. 0, or a negative ub_err with a message
 * (no permission...).
 */
int ub_gpiod_list_chips(void (*fn)(void *arg, const char *path,
				   const char *label, unsigned lines),
			void *arg);

/*
 * libgpiod 1.6 (src/gpio_gpiod.c): find each line by name ("GPIO24", and the
 * Pi 3/4 aliases such as "SPI_SCLK" for GPIO11) across every gpiochip, then
 * by offset on the Pi 3/4 pin controller; request them as consumer, set up
 * as asked: one request per chip and configuration, and one of its own for a
 * line that turns (the v1 kernel interface applies a reconfiguration and a
 * write to every line of a request). NULL and *err on failure, with a
 * message that says which line and why: no chip, line busy (naming its
 * consumer), no permission (how to fix it).
 */
struct ub_gpio *ub_gpio_open_gpiod(const struct ub_gpio_req *req, unsigned n,
				   const char *consumer, int *err);

/*
 * For the libgpiod backends (src/gpio_board.c): what ub_gpio_open_gpiod
 * needs of one. A session is size bytes, its struct ub_gpio first; setup
 * requests the lines (consumer never NULL), teardown releases whatever
 * setup got, even after it failed.
 */
struct ub_gpiod_backend {
	size_t size;
	const struct ub_gpio_ops *ops;
	const char *detail; /* "libgpiod 1.6"... */
	int (*setup)(struct ub_gpio *g, const struct ub_gpio_req *req,
		     unsigned n, const char *consumer);
	void (*teardown)(struct ub_gpio *g);
};

/*
 * Check the requests, allocate a zeroed session and set it up with be,
 * consumer "unbrick" when NULL, and track it. NULL and *err on failure.
 */
struct ub_gpio *ub_gpiod_open(const struct ub_gpiod_backend *be,
			      const struct ub_gpio_req *req, unsigned n,
			      const char *consumer, int *err);

/* For the backends (src/gpio_board.c): the checks and messages they share. */
int ub_gpio_check_reqs(const struct ub_gpio_req *req, unsigned n);
int ub_gpio_no_permission(const char *path);
/* The first /dev/gpiochip* this user may not open, or "/dev/gpiochip*". */
void ub_gpio_denied_chip(char *path, size_t len);
/* "no line named GPIOn...": chips lists the chips' labels. */
int ub_gpio_not_found(int bcm, const char *chips);

/*
 * The names GPIO bcm may have on a Pi, in the order they are looked for:
 * "GPIOn", then the Pi 3/4 device-tree name when it differs ("SPI_SCLK" for
 * GPIO11). Returns how many (1 or 2); buf (16 bytes do) holds names[0].
 */
unsigned ub_gpio_line_names(int bcm, const char *names[2], char *buf,
			    unsigned len);

/*
 * The lines a board profile wires for an interface (SWCLK, SWDIO, NRST
 * open-drain released, BOOT0 low...), opened with the default backend.
 * SWCLK starts low, SWDIO high (the host drives), NRST released, BOOT0 low,
 * SPI_CS high, SPI_CLK and SPI_MOSI low, SPI_MISO an input with a pull-up;
 * a board line (button) open-drain released, or an input when push-pull.
 * Pins that are not a Pi GPIO are skipped. NULL and *err, with a message,
 * when the board wires none of the lines the interface needs.
 */
struct ub_gpio *ub_gpio_open_board(const struct ub_board *b, int iface,
				   int *err);

/*
 * The line a board role is on: UB_LINE_SWCLK for "swclk"..., and for a board
 * line (a button: "mode", "k1") UB_LINE_BOARD0 + its rank among the board
 * lines of the profile. -1 when the profile has no such GPIO role.
 */
int ub_gpio_line_of(const struct ub_board *b, const char *role);

/*
 * Close every session still open, so that the lines go back to inputs;
 * nothing when none is. For the command layer's exit paths: after an error,
 * and after SIGINT or SIGTERM once the handler has set its flag and the work
 * has stopped (UB_EINTR). It frees memory and is not async-signal-safe: never
 * call it inside a signal handler. A handler that must end the process at
 * once calls _exit(); the kernel then releases the lines itself.
 */
void ub_gpio_close_all(void);

/* For backends: a session opened, and one closed (for ub_gpio_close_all). */
void ub_gpio_track(struct ub_gpio *g);
void ub_gpio_untrack(struct ub_gpio *g);

static inline int ub_gpio_set(struct ub_gpio *g, unsigned mask, unsigned values)
{
	return g->ops->set(g, mask, values);
}

static inline int ub_gpio_get(struct ub_gpio *g, unsigned mask,
			      unsigned *values)
{
	return g->ops->get(g, mask, values);
}

static inline int ub_gpio_dir(struct ub_gpio *g, unsigned mask,
			      unsigned outputs)
{
	return g->ops->dir(g, mask, outputs);
}

static inline void ub_gpio_close(struct ub_gpio *g)
{
	if (g)
		g->ops->close(g);
}

#endif
