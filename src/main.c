// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unbrick: restore STM32 boards from a Raspberry Pi with jumper wires.
 *
 * The command line: global options (accepted before or after the command),
 * then a command from the table below. The only place that prints errors
 * and decides the exit status: 0 success, 1 the operation failed, 2 usage.
 */
#include <getopt.h>
#include <signal.h>
#include <libserialport.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ub/cli.h"
#include "ub/err.h"
#include "ub/gpio.h"
#include "ub/log.h"
#include "ub/num.h"

#define EXIT_USAGE 2

static const struct ub_cmd *const commands[] = {
	&ub_cmd_probe,	&ub_cmd_read,	   &ub_cmd_write,   &ub_cmd_verify,
	&ub_cmd_erase,	&ub_cmd_unprotect, &ub_cmd_protect, &ub_cmd_reset,
	&ub_cmd_boards, &ub_cmd_wiring,	   &ub_cmd_image,   &ub_cmd_doctor,
	&ub_cmd_backup, &ub_cmd_restore,
};

enum {
	OPT_PIN = 256,
	OPT_NO_BACKUP,
	OPT_JSON,
	OPT_VERSION,
	OPT_GPIO,
	OPT_SPI,
	OPT_SPI_SPEED,
};

static const struct option long_opts[] = {
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{"board", required_argument, NULL, 'B'},
	{"interface", required_argument, NULL, 'I'},
	{"port", required_argument, NULL, 'p'},
	{"speed", required_argument, NULL, 's'},
	{"pin", required_argument, NULL, OPT_PIN},
	{"gpio", required_argument, NULL, OPT_GPIO},
	{"spi", required_argument, NULL, OPT_SPI},
	{"spi-speed", required_argument, NULL, OPT_SPI_SPEED},
	{"yes", no_argument, NULL, 'y'},
	{"no-backup", no_argument, NULL, OPT_NO_BACKUP},
	{"verbose", no_argument, NULL, 'v'},
	{"quiet", no_argument, NULL, 'q'},
	{"json", no_argument, NULL, OPT_JSON},
	{0},
};

static void usage(FILE *f)
{
	fprintf(f,
		"unbrick %s - bring STM32 boards back from a Raspberry Pi, "
		"with "
		"jumper wires\n\n"
		"Usage: unbrick [OPTIONS] COMMAND [ARGS]\n\nCommands:\n",
		UB_VERSION);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		char syn[64];

		snprintf(syn, sizeof(syn), "%s %s", commands[i]->name,
			 commands[i]->args);
		if (strlen(syn) <= 24)
			fprintf(f, "  %-24s %s\n", syn, commands[i]->summary);
		else
			fprintf(f, "  %s\n  %24s %s\n", syn, "",
				commands[i]->summary);
	}
	fputs("\nOptions (before or after the command):\n"
	      "  -B, --board NAME|FILE    board profile (see 'unbrick "
	      "boards')\n"
	      "  -I, --interface swd|uart how to reach the chip (default: the "
	      "board's)\n"
	      "  -p, --port DEV           serial port for uart (default: the "
	      "board's, /dev/serial0)\n"
	      "  -s, --speed HZ           SWD clock or baud rate (1M, 400k, "
	      "115200)\n"
	      "      --pin ROLE=PIN       move a line: --pin nrst=GPIO24, "
	      "--pin boot0=pin16\n"
	      "                           (or onto a USB adapter: "
	      "--pin boot0=!rts)\n"
	      "      --gpio mmio|gpiod    GPIO backend for SWD and SPI "
	      "(default: mmio on a\n"
	      "                           known Pi, else libgpiod; "
	      "UNBRICK_GPIO sets it too)\n"
	      "      --spi mcu|clip|spidev[:DEV]  how to reach the companion "
	      "SPI flash: through\n"
	      "                           the MCU, a clip on the Pi's GPIO "
	      "(MCU held in reset)\n"
	      "                           or Linux spidev (default: the "
	      "board's [spi] bus)\n"
	      "      --spi-speed HZ       SPI clock (default: the bus's "
	      "fastest safe rate)\n"
	      "  -y, --yes                do not ask before destructive steps\n"
	      "      --no-backup          skip the backup before destructive "
	      "steps\n"
	      "  -v, --verbose            say more; -vv traces the protocol\n"
	      "  -q, --quiet              only errors\n"
	      "      --json               machine-readable output\n"
	      "  -h, --help               this help; 'unbrick COMMAND -h' for "
	      "a command\n"
	      "      --version            version and library versions\n"
	      "\nAddresses: 0x08005000 (MCU), spi:0x1000 (companion flash), a "
	      "region name\nfrom the board profile (app, server-key...), or "
	      "flash, option, spi; add :LEN\nfor a length (app:1K). "
	      "FILE@WHERE places a raw binary.\n"
	      "\nExit status: 0 success, 1 the operation failed, 2 usage "
	      "error.\n",
	      f);
}

static const struct ub_cmd *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
}

static void command_help(const struct ub_cmd *c)
{
	printf("Usage: unbrick %s %s\n\n%s\n\n%s", c->name, c->args, c->summary,
	       c->help);
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "unbrick: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'unbrick --help'.\n");
	return EXIT_USAGE;
}

static void version(void)
{
	printf("unbrick %s\nlibgpiod %s, libserialport %s\n", UB_VERSION,
	       ub_gpiod_version(), sp_get_lib_version_string());
}

/* The option getopt complained about: "--board", or "-X" in a bundle. */
static const char *culprit(char **argv)
{
	static char buf[3] = "-";
	const char *arg = argv[optind - 1];

	if (!strncmp(arg, "--", 2) || !optopt)
		return arg;
	buf[1] = (char)optopt;
	return buf;
}

static int parse_options(struct ub_ctx *ctx, int argc, char **argv, bool *help)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hB:I:p:s:yvq", long_opts,
				NULL)) != -1) {
		switch (c) {
		case 'h':
			*help = true;
			break;
		case OPT_VERSION:
			version();
			exit(0);
		case 'B':
			ctx->board_name = optarg;
			break;
		case 'I':
			ctx->iface = ub_iface_parse(optarg);
			if (ctx->iface < 0)
				return usage_error("-I %s: the interface is "
						   "swd or uart",
						   optarg);
			break;
		case 'p':
			ctx->port = optarg;
			break;
		case 's':
			if (ub_parse_hz(optarg, &ctx->speed) || !ctx->speed)
				return usage_error("-s %s: give a rate such as "
						   "1M, 400k or 115200",
						   optarg);
			break;
		case OPT_GPIO:
			if (ub_gpio_parse_backend(optarg) < 0)
				return usage_error(
					"--gpio %s: the GPIO backend "
					"is mmio, gpiod or auto",
					optarg);
			ctx->gpio = ub_gpio_parse_backend(optarg);
			ub_gpio_choose((enum ub_gpio_backend)ctx->gpio);
			break;
		case OPT_SPI:
			if (strcmp(optarg, "mcu") && strcmp(optarg, "clip") &&
			    strncmp(optarg, "spidev", 6))
				return usage_error("--spi %s: the companion "
						   "flash's bus is mcu, clip "
						   "or spidev[:/dev/spidevB.C]",
						   optarg);
			ctx->spi_bus = optarg;
			break;
		case OPT_SPI_SPEED:
			if (ub_parse_hz(optarg, &ctx->spi_hz) || !ctx->spi_hz)
				return usage_error(
					"--spi-speed %s: give a rate "
					"such as 8M or 500k",
					optarg);
			break;
		case OPT_PIN:
			if (ctx->npins == UB_MAX_PINS)
				return usage_error("%s: too many --pin", "");
			ctx->pins[ctx->npins++] = optarg;
			break;
		case 'y':
			ctx->yes = true;
			break;
		case OPT_NO_BACKUP:
			ctx->no_backup = true;
			break;
		case 'v':
			ctx->verbosity++;
			break;
		case 'q':
			ctx->verbosity = 0;
			break;
		case OPT_JSON:
			ctx->json = true;
			break;
		case ':':
			return usage_error("%s needs a value", culprit(argv));
		default:
			return usage_error("unknown option '%s'",
					   culprit(argv));
		}
	}
	return 0;
}

/* The first Ctrl-C stops at the next safe point; a second one kills. */
static void on_signal(int sig)
{
	ub_request_stop();
	signal(sig, SIG_DFL);
}

static void catch_signals(void)
{
	struct sigaction sa = {.sa_handler = on_signal};

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int main(int argc, char **argv)
{
	struct ub_ctx ctx = {
		.iface = -1, .gpio = -1, .verbosity = 1, .out = stdout};
	const struct ub_cmd *cmd;
	bool help = false;
	int err;

	err = parse_options(&ctx, argc, argv, &help);
	if (err)
		return err;
	ub_log_level = ctx.verbosity > 3 ? 3 : ctx.verbosity;
	ub_progress_init(&ctx.progress,
			 ub_progress_mode_for(stderr, !ctx.verbosity, ctx.json),
			 stderr);
	argc -= optind;
	argv += optind;
	if (!argc) {
		usage(help ? stdout : stderr);
		return help ? 0 : EXIT_USAGE;
	}
	if (!strcmp(argv[0], "help")) {
		if (argc < 2) {
			usage(stdout);
			return 0;
		}
		argv++;
		argc--;
		help = true;
	}
	cmd = find_command(argv[0]);
	if (!cmd)
		return usage_error("unknown command '%s'", argv[0]);
	if (help) {
		command_help(cmd);
		return 0;
	}
	catch_signals();
	err = cmd->run(&ctx, argc, argv);
	ub_board_free(ctx.board);
	fflush(stdout);
	if (!err)
		return 0;
	fprintf(stderr, "unbrick: %s\n", ub_errmsg(err));
	if (err == UB_EUSAGE) {
		fprintf(stderr, "Try 'unbrick %s --help'.\n", cmd->name);
		return EXIT_USAGE;
	}
	return 1;
}
