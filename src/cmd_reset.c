// SPDX-License-Identifier: GPL-2.0-or-later
/* unbrick reset [run|halt|bootloader|SEQUENCE]: restart the chip. */
#include <string.h>

#include "ub/cli.h"
#include "ub/err.h"
#include "ub/log.h"
#include "ub/session.h"

enum how { RUN, HALT, BOOTLOADER };

/* Into the ROM bootloader, and left there for another tool. */
static int to_bootloader(struct ub_ctx *ctx)
{
	struct ub_session s;
	int err;

	if (ctx->iface == UB_IFACE_SWD)
		return ub_fail(UB_EUSAGE,
			       "the ROM bootloader is entered with BOOT0 "
			       "high at reset: 'reset bootloader' works "
			       "with -I uart");
	ctx->iface = UB_IFACE_UART;
	err = ub_session_open(ctx, &s);
	if (err)
		return err;
	err = ub_session_to_bootloader(&s);
	if (!err)
		ub_log(UB_LOG_NORMAL,
		       "reset: the chip waits in its ROM bootloader on %s "
		       "(for example: stm32flash -b %u %s)",
		       s.ser->name, s.ser->baud, s.ser->name);
	ub_session_close(&s, false);
	return err;
}

/*
 * A named sequence of the profile ([sequence dfu]: MODE held through a
 * reset), on the board's lines alone: the chip is not connected, so that
 * nothing of a debug session is left behind for its firmware to meet.
 */
static int named(struct ub_ctx *ctx, const char *name)
{
	struct ub_session s = {.ctx = ctx};
	struct ub_board *b;
	int err;

	err = ub_ctx_board(ctx, true, &b);
	if (err)
		return err;
	if (!ub_board_sequence(b, name))
		return ub_fail(UB_EUSAGE,
			       "reset takes 'run' (the default), 'halt', "
			       "'bootloader' or a sequence of board %s's "
			       "profile; it has no [sequence %s]",
			       b->name, name);
	s.board = b;
	s.gpio = ub_gpio_open_board(b, ub_ctx_iface(ctx, b), &err);
	if (!s.gpio)
		return err;
	err = ub_session_sequence(&s, name);
	if (!err)
		ub_log(UB_LOG_NORMAL, "reset: sequence %s done", name);
	ub_gpio_close(s.gpio);
	return err;
}

static int run(struct ub_ctx *ctx, int argc, char **argv)
{
	static const char *const words[] = {"run", "halt", "bootloader"};
	enum how how = RUN;
	struct ub_session s;
	int err;

	for (unsigned i = 0; argc == 2 && i < 3; i++)
		if (!strcmp(argv[1], words[i]))
			how = (enum how)i;
	if (argc > 2)
		return ub_fail(UB_EUSAGE, "reset takes one word: 'run' (the "
					  "default), 'halt', 'bootloader' or "
					  "a sequence of the board's profile");
	if (argc == 2 && strcmp(argv[1], words[how]))
		return named(ctx, argv[1]);
	if (how == BOOTLOADER)
		return to_bootloader(ctx);
	err = ub_session_open(ctx, &s);
	if (err)
		return err;
	err = s.t->ops->reset(s.t, how == HALT ? UB_RESET_HALT : UB_RESET_RUN);
	if (!err)
		ub_log(UB_LOG_NORMAL, "reset: the chip %s",
		       how == HALT ? "is halted at its first instruction"
				   : "runs its firmware");
	ub_session_close(&s, false);
	return err;
}

const struct ub_cmd ub_cmd_reset = {
	.name = "reset",
	.args = "[run|halt|bootloader|SEQUENCE]",
	.summary = "restart the chip: its firmware, halted, or its bootloader",
	.help = "run (the default): the firmware runs. Over SWD by NRST when\n"
		"the board wires it, else by SYSRESETREQ; over the UART by "
		"the\n"
		"board's leave sequence (BOOT0 low, a pulse on NRST), or by "
		"Go\n"
		"when they are not wired.\n"
		"halt: stopped at its first instruction (SWD only).\n"
		"bootloader: BOOT0 high and a reset, then the chip is left in\n"
		"its ROM bootloader, not yet synced, for other tools:\n"
		"  unbrick -B dso-quad reset bootloader && stm32flash ...\n"
		"SEQUENCE: a named sequence of the board's profile, on its\n"
		"lines alone, such as a dfu sequence that holds the Spark "
		"Core's\n"
		"MODE through a reset (when MODE is wired: "
		"boards/spark-core.conf\n"
		"says how) for dfu-util to take over:\n"
		"  unbrick -B my-spark.conf reset dfu && dfu-util -l\n",
	.run = run,
};
