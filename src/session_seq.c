// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A profile's named sequence ([sequence dfu]: lines driven, waits, words
 * for the person at the bench) on a session's lines: its GPIO, or the
 * UART's lines (RTS/DTR) in a UART session.
 */
#include <time.h>

#include "ub/err.h"
#include "ub/log.h"
#include "ub/session.h"

static void wait_ms(unsigned ms)
{
	struct timespec ts = {.tv_sec = ms / 1000,
			      .tv_nsec = (long)(ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

/* A line of a sequence, on the session's GPIO or the UART's lines. */
static int drive(struct ub_session *s, const char *role, int level)
{
	const struct ub_board_pin *pin = ub_board_pin(s->board, role);
	int line = ub_gpio_line_of(s->board, role);
	unsigned bit;

	if (s->ser)
		return ub_uart_lines_set(&s->lines, role, level);
	if (line < 0 || !s->gpio || !(s->gpio->have & UB_BIT(line)))
		return ub_fail(UB_ECONFIG,
			       "the sequence drives %s, which is not wired to "
			       "the Pi on board %s: add a [pin %s] section, or "
			       "give it with --pin %s=GPIOn",
			       role, s->board->name, role, role);
	bit = UB_BIT(line);
	if (level < 0 && pin && pin->open_drain)
		return ub_gpio_set(s->gpio, bit, bit);
	if (level < 0)
		return ub_gpio_dir(s->gpio, bit, 0);
	if (!(s->gpio->outputs & bit)) {
		int err = ub_gpio_dir(s->gpio, bit, bit);

		if (err)
			return err;
	}
	return ub_gpio_set(s->gpio, bit, level ? bit : 0);
}

int ub_session_sequence(struct ub_session *s, const char *name)
{
	const struct ub_sequence *q = ub_board_sequence(s->board, name);
	int err = 0;

	if (!q)
		return ub_fail(UB_ECONFIG, "board %s has no [sequence %s]",
			       s->board->name, name);
	for (unsigned i = 0; !err && i < q->nstep; i++) {
		const struct ub_step *st = &q->step[i];

		if (st->kind == UB_STEP_WAIT)
			wait_ms(st->ms);
		else if (st->kind == UB_STEP_SAY)
			ub_log(UB_LOG_NORMAL, "%s", st->text);
		else
			err = drive(s, st->role, st->level);
	}
	return err;
}
