// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unbrick doctor: what this machine is, which GPIO backend and SWCLK rate a
 * command would use, the gpiochips and lines it sees, its serial ports
 * (and whether the header UART is the PL011), and what this user may open.
 * That part changes nothing and touches no line. With a board (-B), the
 * wiring and the target are checked too (src/doctor*.c): one finding per
 * problem, with its fix, and a verdict.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "doctor.h"
#include "ub/cli.h"
#include "ub/err.h"
#include "ub/gpio.h"
#include "ub/gpio_mmio.h"

#define GPIOD_HZ_NOTE "a few hundred kHz at most: one ioctl per edge"

static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, len - 1, f);
		fclose(f);
	}
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
}

/* The PRETTY_NAME of /etc/os-release, unquoted. */
static void os_name(char *buf, size_t len)
{
	char line[256];
	FILE *f = fopen("/etc/os-release", "r");

	snprintf(buf, len, "unknown");
	while (f && fgets(line, sizeof(line), f)) {
		char *v;

		if (strncmp(line, "PRETTY_NAME=", 12))
			continue;
		v = line + 12;
		v[strcspn(v, "\n")] = 0;
		if (*v == '"') {
			v++;
			v[strcspn(v, "\"")] = 0;
		}
		snprintf(buf, len, "%s", v);
	}
	if (f)
		fclose(f);
}

/* "yes", or why not. */
static const char *may_open(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd >= 0) {
		close(fd);
		return "yes";
	}
	snprintf(buf, len, "no (%s)", strerror(errno));
	return buf;
}

struct chips {
	FILE *out;
	unsigned n;
	bool header;
};

static void one_chip(void *arg, const char *path, const char *label,
		     unsigned lines)
{
	struct chips *c = arg;
	bool pi = !strcmp(label, "pinctrl-bcm2835") ||
		  !strcmp(label, "pinctrl-bcm2711") ||
		  !strcmp(label, "pinctrl-rp1");

	fprintf(c->out, "  %-18s %-26s %3u lines%s\n", path, label, lines,
		pi ? "  <- the header's GPIOs" : "");
	c->header |= pi;
	c->n++;
}

static void machine(struct ub_ctx *ctx, const struct ub_mmio_soc **soc)
{
	char model[256], compat[256], os[256];
	struct utsname u;

	read_line("/proc/device-tree/model", model, sizeof(model));
	*soc = ub_mmio_detect(compat, sizeof(compat));
	uname(&u);
	os_name(os, sizeof(os));
	fprintf(ctx->out,
		"Machine\n  %s (%s)\n  SoC GPIO: %s\n  %s, Linux %s "
		"(%s)\n",
		model[0] ? model : "not a Raspberry Pi (no device-tree model)",
		compat[0] ? compat : u.machine,
		*soc ? (*soc)->name : "not one unbrick maps (libgpiod only)",
		os, u.release, u.machine);
}

static void backend(struct ub_ctx *ctx, const struct ub_mmio_soc *soc)
{
	enum ub_gpio_backend b = ub_gpio_chosen();
	char why[128] = "";
	const char *can = soc ? may_open(soc->dev, why, sizeof(why)) : "no";
	bool mmio = b != UB_GPIO_GPIOD && soc && !strcmp(can, "yes");

	fprintf(ctx->out, "\nGPIO\n  libgpiod %s (built for the %s API)\n",
		ub_gpiod_version(), ub_gpiod_api() == 2 ? "2.x" : "1.6");
	fprintf(ctx->out, "  --gpio %s: ",
		b == UB_GPIO_MMIO    ? "mmio"
		: b == UB_GPIO_GPIOD ? "gpiod"
				     : "auto");
	if (mmio)
		fprintf(ctx->out,
			"SWD and SPI through %s (%s), NRST and BOOT0 through "
			"libgpiod\n",
			soc->dev, soc->name);
	else if (b == UB_GPIO_MMIO)
		fprintf(ctx->out,
			"mmio asked for, but %s: commands will "
			"fail\n",
			soc ? "its device does not open" : "no known SoC");
	else
		fprintf(ctx->out, "every line through libgpiod%s%s%s\n",
			soc ? " (" : "", soc ? soc->dev : "",
			soc ? (b == UB_GPIO_GPIOD ? " not used)"
						  : " does not open)")
			    : "");
	if (ctx->speed)
		fprintf(ctx->out, "  SWCLK: %u Hz (-s), a calibrated delay%s\n",
			ctx->speed,
			mmio ? "" : "; libgpiod reaches " GPIOD_HZ_NOTE);
	else if (mmio)
		fprintf(ctx->out,
			"  SWCLK: %u Hz by default, a calibrated "
			"delay (-s to change)\n",
			UB_MMIO_DEFAULT_HZ);
	else
		fprintf(ctx->out,
			"  SWCLK: as fast as libgpiod goes (" GPIOD_HZ_NOTE
			")\n");
	if (soc)
		fprintf(ctx->out, "  %s: may open: %s\n", soc->dev, can);
}

static void chips(struct ub_ctx *ctx)
{
	struct chips c = {.out = ctx->out};
	int err;

	fprintf(ctx->out, "\nGPIO chips\n");
	err = ub_gpiod_list_chips(one_chip, &c);
	if (err)
		fprintf(ctx->out, "  %s\n", ub_errmsg(err));
	else if (!c.header)
		fprintf(ctx->out, "  none is a Raspberry Pi's pin controller: "
				  "lines are looked for by name\n");
}

static void serial(struct ub_ctx *ctx, bool pi)
{
	static const char *const ports[] = {"/dev/serial0", "/dev/serial1",
					    "/dev/ttyAMA0", "/dev/ttyS0",
					    "/dev/ttyUSB0", "/dev/ttyACM0"};
	char target[PATH_MAX], why[128];
	unsigned seen = 0;

	fprintf(ctx->out, "\nSerial ports\n");
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		const char *p = ports[i], *name;
		ssize_t n = readlink(p, target, sizeof(target) - 1);

		if (access(p, F_OK))
			continue;
		seen++;
		target[n > 0 ? n : 0] = 0;
		name = n > 0 ? strrchr(target, '/') ? strrchr(target, '/') + 1
						    : target
			     : strrchr(p, '/') + 1;
		fprintf(ctx->out, "  %-13s %s%-9s %s; may open: %s\n", p,
			n > 0 ? "-> " : "   ", name,
			!strncmp(name, "ttyAMA", 6) ? "PL011 UART"
			: !strcmp(name, "ttyS0") && pi
				? "mini UART (no parity: the ROM "
				  "bootloader needs the PL011, "
				  "dtoverlay=disable-bt)"
			: !strncmp(name, "ttyUSB", 6) ||
					!strncmp(name, "ttyACM", 6)
				? "USB serial adapter"
				: "serial port",
			may_open(p, why, sizeof(why)));
	}
	if (!seen)
		fprintf(ctx->out, "  none of /dev/serial0, ttyAMA0, ttyS0, "
				  "ttyUSB0: enable_uart=1 in config.txt\n");
}

/* One entry of the board checks, as it comes. */
static void emit(struct ub_dr *d, const struct ub_dr_entry *e)
{
	static const char *const lead[] = {
		[UB_DR_OK] = "  ok     ",
		[UB_DR_PROBLEM] = "  PROBLEM",
		[UB_DR_SKIPPED] = "  skipped",
	};
	FILE *o = d->ctx->out;

	ub_wrap(o, lead[e->kind], 10, e->what);
	if (e->fix[0])
		ub_wrap(o, "          fix:", 15, e->fix);
	fflush(o);
}

/* The wiring and the target: findings, then the verdict. */
static int board(struct ub_ctx *ctx, const struct ub_board *b)
{
	struct ub_dr d = {.ctx = ctx, .b = b, .emit = emit};
	const struct ub_board_iface *f;

	d.iface = ub_ctx_iface(ctx, b);
	f = &b->iface[d.iface];
	fprintf(ctx->out,
		"\nBoard %s over %s ('unbrick -B %s -I %s wiring' draws the "
		"wiring)\n",
		b->name, ub_iface_name(d.iface), b->name,
		ub_iface_name(d.iface));
	if (!f->available)
		ub_dr_problem(&d, UB_EUNSUPPORTED,
			      "choose the other interface with -I",
			      "%s cannot be reached over %s: %s", b->name,
			      ub_iface_name(d.iface), f->reason);
	else if (d.iface == UB_IFACE_UART)
		ub_dr_uart(&d);
	else
		ub_dr_swd(&d);
	if (!d.problems) {
		fprintf(ctx->out,
			"\nVerdict: all is well: the wiring and the target "
			"check out over %s.\n",
			ub_iface_name(d.iface));
		return 0;
	}
	fprintf(ctx->out,
		"\nVerdict: %u problem%s. Fix the first one, then run 'unbrick "
		"-B %s -I %s doctor' again.\n",
		d.problems, d.problems == 1 ? "" : "s", b->name,
		ub_iface_name(d.iface));
	return ub_fail(d.first_err ? d.first_err : UB_ENOTARGET,
		       "doctor found %u problem%s with board %s; the first: %s",
		       d.problems, d.problems == 1 ? "" : "s", b->name,
		       d.first);
}

static int run(struct ub_ctx *ctx, int argc, char **argv)
{
	const struct ub_mmio_soc *soc;
	struct ub_board *b;
	int err;

	(void)argv;
	if (argc > 1)
		return ub_fail(UB_EUSAGE, "doctor takes no arguments");
	err = ub_ctx_board(ctx, false, &b);
	if (err)
		return err;
	machine(ctx, &soc);
	backend(ctx, soc);
	chips(ctx);
	serial(ctx, soc != NULL);
	fprintf(ctx->out, "\nPermissions: the gpio group opens /dev/gpiochip* "
			  "and /dev/gpiomem*, dialout the serial ports (sudo "
			  "adduser $USER gpio dialout).\n");
	return b ? board(ctx, b) : 0;
}

const struct ub_cmd ub_cmd_doctor = {
	.name = "doctor",
	.args = "",
	.summary = "what this machine offers; with -B, what is wrong with the "
		   "wiring",
	.help = "Says what this machine is, which GPIO backend (--gpio) and "
		"SWCLK rate (-s)\ncommands would use, the gpiochips it sees, "
		"its serial ports and whether\nthis user may open them. "
		"Changes nothing.\n\n"
		"With a board (-B, and -I swd|uart), it then checks the wiring "
		"and the target,\nlayer by layer: the lines are free and move "
		"when driven (read back), the\ntarget answers (SWDIO and SWCLK "
		"swapped? no power?), NRST resets it, BOOT0\nreaches it, TX "
		"and RX are crossed, the port is not the mini-UART nor held "
		"by\nanother program, the companion flash answers. Each "
		"problem is said with its\nfix, Pi pin and board pad. This "
		"resets the board; it writes nothing.\nExit status 1 when "
		"something is wrong.\n",
	.run = run,
};
