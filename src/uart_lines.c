// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * BOOT0 and NRST for the UART bootloader, on Pi GPIOs or on a USB-serial
 * adapter's RTS and DTR, driven by the board profile's sequences.
 */
#include <string.h>
#include <time.h>

#include "ub/err.h"
#include "ub/log.h"
#include "ub/uart_lines.h"

static const struct ub_board_pin *gpio_pin(const struct ub_uart_lines *l,
					   const char *role, int *line)
{
	const struct ub_board_pin *p = ub_board_pin(l->board, role);

	*line = l->gpio ? ub_gpio_line_of(l->board, role) : -1;
	if (!p || p->modem || *line < 0 || !(l->gpio->have & UB_BIT(*line)))
		return NULL;
	return p;
}

bool ub_uart_lines_can(const struct ub_uart_lines *l, const char *role)
{
	const struct ub_board_pin *p = ub_board_pin(l->board, role);
	int line;

	if (p && p->modem && (p->ifaces & (1u << UB_IFACE_UART)))
		return true;
	return gpio_pin(l, role, &line) != NULL;
}

int ub_uart_lines_open(struct ub_uart_lines *l, const struct ub_board *b,
		       struct ub_serial *ser, bool yes,
		       int (*ask)(const char *text, bool yes))
{
	bool any = false;
	int err = 0;

	memset(l, 0, sizeof(*l));
	l->board = b;
	l->ser = ser;
	l->yes = yes;
	l->ask = ask;
	for (unsigned i = 0; i < b->npin; i++) {
		const struct ub_board_pin *p = &b->pin[i];

		any |= p->kind == UB_PIN_LINE && p->pi && !p->modem &&
		       (p->ifaces & (1u << UB_IFACE_UART));
	}
	if (any)
		l->gpio = ub_gpio_open_board(b, UB_IFACE_UART, &err);
	return err;
}

static int set_modem(struct ub_uart_lines *l, const struct ub_board_pin *p,
		     int level)
{
	unsigned bit = p->modem == UB_MODEM_RTS ? UB_SERIAL_RTS : UB_SERIAL_DTR;
	/* straight: 0 asserts (pin low); inverted: 1 asserts */
	bool assert = level < 0 ? false : (level == 1) == p->modem_inverted;

	return ub_serial_set_lines(l->ser, bit, assert ? bit : 0);
}

int ub_uart_lines_set(struct ub_uart_lines *l, const char *role, int level)
{
	const struct ub_board_pin *p = ub_board_pin(l->board, role);
	unsigned bit;
	int line, err;

	if (p && p->modem)
		return set_modem(l, p, level);
	p = gpio_pin(l, role, &line);
	if (!p)
		return ub_fail(UB_ECONFIG, "board %s does not wire %s",
			       l->board->name, role);
	bit = UB_BIT(line);
	if (p->open_drain) /* NRST: 1 lets go */
		return ub_gpio_set(l->gpio, bit, level ? bit : 0);
	if (level < 0)
		return ub_gpio_dir(l->gpio, bit, 0);
	err = ub_gpio_set(l->gpio, bit, level ? bit : 0);
	if (!err && !(l->gpio->outputs & bit))
		err = ub_gpio_dir(l->gpio, bit, bit);
	return err;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts))
		;
}

static int say(struct ub_uart_lines *l, const char *text)
{
	return l->ask ? l->ask(text, l->yes) : 0;
}

/* BOOT0 to level, a pulse on NRST, the bootloader's (or firmware's) start:
 * what a profile without sequences gets. */
static void default_sequence(struct ub_sequence *s, int boot0)
{
	static const struct ub_step steps[] = {
		{.kind = UB_STEP_SET, .role = "boot0"},
		{.kind = UB_STEP_SET, .role = "nrst", .level = 0},
		{.kind = UB_STEP_WAIT, .ms = 20},
		{.kind = UB_STEP_SET, .role = "nrst", .level = -1},
		{.kind = UB_STEP_WAIT, .ms = 100},
	};

	memset(s, 0, sizeof(*s));
	memcpy(s->step, steps, sizeof(steps));
	s->step[0].level = boot0;
	s->nstep = sizeof(steps) / sizeof(steps[0]);
}

static const struct ub_sequence *sequence(const struct ub_uart_lines *l,
					  const char *name,
					  struct ub_sequence *def, int boot0)
{
	const struct ub_sequence *s =
		name[0] ? ub_board_sequence(l->board, name) : NULL;

	if (s)
		return s;
	default_sequence(def, boot0);
	return def;
}

/* The steps whose lines are wired; the others are left to the person. */
static int run(struct ub_uart_lines *l, const struct ub_sequence *s)
{
	int err = 0;

	for (unsigned i = 0; !err && i < s->nstep; i++) {
		const struct ub_step *st = &s->step[i];

		if (st->kind == UB_STEP_WAIT)
			sleep_ms(st->ms);
		else if (st->kind == UB_STEP_SAY)
			err = say(l, st->text);
		else if (ub_uart_lines_can(l, st->role))
			err = ub_uart_lines_set(l, st->role, st->level);
	}
	return err;
}

int ub_uart_lines_enter(struct ub_uart_lines *l)
{
	const struct ub_board_iface *f = &l->board->iface[UB_IFACE_UART];
	bool boot0 = ub_uart_lines_can(l, "boot0");
	bool nrst = ub_uart_lines_can(l, "nrst");
	struct ub_sequence def;
	int err = 0;

	if (!boot0 && !nrst)
		return say(l, "Set BOOT0 high (1: the jumper or switch) and "
			      "reset the board (its reset button, or power "
			      "off and on).");
	if (!boot0)
		err = say(l, "Set BOOT0 high (1: the jumper or switch).");
	ub_info("entering the bootloader: %s%s",
		f->enter[0] ? "sequence " : "BOOT0 high, a pulse on NRST",
		f->enter);
	if (!err)
		err = run(l, sequence(l, f->enter, &def, 1));
	if (!err && !nrst)
		err = say(l, "Reset the board now (its reset button, or "
			     "power off and on), BOOT0 held high.");
	return err;
}

int ub_uart_lines_leave(struct ub_uart_lines *l)
{
	const struct ub_board_iface *f = &l->board->iface[UB_IFACE_UART];
	struct ub_sequence def;

	if (!ub_uart_lines_can(l, "boot0") || !ub_uart_lines_can(l, "nrst"))
		return UB_EUNSUPPORTED;
	ub_info("leaving the bootloader: %s%s",
		f->leave[0] ? "sequence " : "BOOT0 low, a pulse on NRST",
		f->leave);
	return run(l, sequence(l, f->leave, &def, 0));
}

void ub_uart_lines_close(struct ub_uart_lines *l)
{
	ub_gpio_close(l->gpio);
	l->gpio = NULL;
}
