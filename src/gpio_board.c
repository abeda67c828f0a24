// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The lines a board profile wires, by role, opened with the backend chosen
 * (--gpio: libgpiod, or memory-mapped registers for the fast lines); what
 * the libgpiod backends share (names, checks, messages); and the list of
 * open sessions, so that every exit path can close them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ub/err.h"
#include "ub/gpio.h"
#include "ub/gpio_mmio.h"
#include "ub/log.h"
#include "ub/pi.h"

/* The lines memory-mapped GPIO drives: SWD and the SPI clip. */
#define FAST_LINES                                          \
	(UB_BIT(UB_LINE_SWCLK) | UB_BIT(UB_LINE_SWDIO) |    \
	 UB_BIT(UB_LINE_SPI_CS) | UB_BIT(UB_LINE_SPI_CLK) | \
	 UB_BIT(UB_LINE_SPI_MOSI) | UB_BIT(UB_LINE_SPI_MISO))

static const char *const fixed[UB_LINE_BOARD0] = {
	[UB_LINE_SWCLK] = "swclk",	 [UB_LINE_SWDIO] = "swdio",
	[UB_LINE_NRST] = "nrst",	 [UB_LINE_BOOT0] = "boot0",
	[UB_LINE_SPI_CS] = "spi_cs",	 [UB_LINE_SPI_CLK] = "spi_clk",
	[UB_LINE_SPI_MOSI] = "spi_mosi", [UB_LINE_SPI_MISO] = "spi_miso",
};

/* The line of a profile pin, -1 when it is no GPIO role. */
static int line_of_pin(const struct ub_board *b, const struct ub_board_pin *p)
{
	int board = UB_LINE_BOARD0;

	if (p->kind != UB_PIN_LINE)
		return -1;
	for (int i = 0; i < UB_LINE_BOARD0; i++)
		if (!strcmp(p->role, fixed[i]))
			return i;
	/* a board line: its rank among the board lines, in profile order */
	for (const struct ub_board_pin *q = b->pin; q < p; q++) {
		bool is_fixed = false;

		for (int i = 0; i < UB_LINE_BOARD0; i++)
			is_fixed |= !strcmp(q->role, fixed[i]);
		if (q->kind == UB_PIN_LINE && !is_fixed)
			board++;
	}
	return board < UB_LINE_MAX ? board : -1;
}

int ub_gpio_line_of(const struct ub_board *b, const char *role)
{
	const struct ub_board_pin *p = ub_board_pin(b, role);

	return p ? line_of_pin(b, p) : -1;
}

/* --- what the libgpiod backends share --- */

struct ub_gpio *ub_gpiod_open(const struct ub_gpiod_backend *be,
			      const struct ub_gpio_req *req, unsigned n,
			      const char *consumer, int *err)
{
	struct ub_gpio *g;

	*err = ub_gpio_check_reqs(req, n);
	if (*err)
		return NULL;
	g = calloc(1, be->size);
	if (!g) {
		*err = ub_fail(UB_ENOMEM, "out of memory for the GPIO lines");
		return NULL;
	}
	g->ops = be->ops;
	g->backend = "gpiod";
	g->detail = be->detail;
	*err = be->setup(g, req, n, consumer ? consumer : "unbrick");
	if (*err) {
		be->teardown(g);
		free(g);
		return NULL;
	}
	ub_gpio_track(g);
	return g;
}

unsigned ub_gpio_line_names(int bcm, const char *names[2], char *buf,
			    unsigned len)
{
	const struct ub_pi_pin *p = ub_pi_pin(ub_pi_pin_of_gpio(bcm));

	snprintf(buf, len, "GPIO%d", bcm);
	names[0] = buf;
	if (p && p->dt_name && strcmp(p->dt_name, buf)) {
		names[1] = p->dt_name;
		return 2;
	}
	return 1;
}

/* The first /dev/gpiochip* that we may not open, for the message. */
void ub_gpio_denied_chip(char *path, size_t len)
{
	DIR *d = opendir("/dev");
	struct dirent *e;
	int fd;

	snprintf(path, len, "/dev/gpiochip*");
	if (!d)
		return;
	while ((e = readdir(d))) {
		char p[300];

		if (strncmp(e->d_name, "gpiochip", 8))
			continue;
		snprintf(p, sizeof(p), "/dev/%s", e->d_name);
		fd = open(p, O_RDWR | O_CLOEXEC);
		if (fd >= 0) {
			close(fd);
		} else if (errno == EACCES || errno == EPERM) {
			snprintf(path, len, "%s", p);
			break;
		}
	}
	closedir(d);
}

int ub_gpio_no_permission(const char *path)
{
	return ub_fail(UB_EPERM,
		       "no permission for %s: add yourself to the gpio group "
		       "(sudo adduser $USER gpio, then log in again) or add a "
		       "udev rule",
		       path);
}

int ub_gpio_check_reqs(const struct ub_gpio_req *req, unsigned n)
{
	unsigned seen = 0;

	if (!n || n > UB_LINE_MAX)
		return ub_fail(UB_EINVAL, "%u GPIO lines asked for (1 to %d)",
			       n, UB_LINE_MAX);
	for (unsigned i = 0; i < n; i++) {
		if ((unsigned)req[i].line >= UB_LINE_MAX ||
		    seen & UB_BIT(req[i].line))
			return ub_fail(UB_EINVAL,
				       "GPIO line role %d asked for twice or "
				       "out of range",
				       (int)req[i].line);
		if (req[i].bcm < 0)
			return ub_fail(UB_EINVAL, "GPIO%d is not a GPIO",
				       req[i].bcm);
		for (unsigned k = 0; k < i; k++)
			if (req[k].bcm == req[i].bcm)
				return ub_fail(UB_EINVAL,
					       "GPIO%d is asked for twice "
					       "(two roles on one line)",
					       req[i].bcm);
		seen |= UB_BIT(req[i].line);
	}
	return 0;
}

int ub_gpio_not_found(int bcm, const char *chips)
{
	const char *names[2];
	char buf[16];
	unsigned n = ub_gpio_line_names(bcm, names, buf, sizeof(buf));

	return ub_fail(UB_ENOENT,
		       "no line named %s%s%s on any gpiochip (%s): is this a "
		       "Raspberry Pi? check the pin in the board profile or "
		       "move the line with --pin",
		       names[0], n > 1 ? " or " : "", n > 1 ? names[1] : "",
		       chips);
}

/* How a role starts (include/ub/gpio.h, ub_gpio_open_board). */
static void setup_req(struct ub_gpio_req *r, const struct ub_board_pin *p)
{
	r->open_drain = p->open_drain;
	r->output = true;
	r->initial = 0;
	switch (r->line) {
	case UB_LINE_SWDIO:
		r->initial = 1; /* an SWD host starts driving */
		r->pull_up = true;
		r->turns = true;
		break;
	case UB_LINE_SPI_CS:
		r->initial = 1;
		break;
	case UB_LINE_SPI_MISO:
		r->output = false;
		r->pull_up = true;
		break;
	case UB_LINE_SWCLK:
	case UB_LINE_SPI_CLK:
	case UB_LINE_SPI_MOSI:
		break;
	default: /* NRST, BOOT0, board lines: may be released */
		r->turns = !p->open_drain;
		if (r->line >= UB_LINE_BOARD0 && !p->open_drain)
			r->output = false; /* not touched until told */
		break;
	}
	if (p->open_drain) {
		r->output = true;
		r->initial = 1; /* released */
		r->pull_up = false;
	}
}

/* --- the backend --- */

static int chosen = -1; /* --gpio, else UNBRICK_GPIO, else auto */

int ub_gpio_parse_backend(const char *s)
{
	if (!s)
		return -1;
	if (!strcmp(s, "auto"))
		return UB_GPIO_AUTO;
	if (!strcmp(s, "gpiod"))
		return UB_GPIO_GPIOD;
	if (!strcmp(s, "mmio"))
		return UB_GPIO_MMIO;
	return -1;
}

void ub_gpio_choose(enum ub_gpio_backend b)
{
	chosen = (int)b;
}

enum ub_gpio_backend ub_gpio_chosen(void)
{
	int env;

	if (chosen >= 0)
		return (enum ub_gpio_backend)chosen;
	env = ub_gpio_parse_backend(getenv("UNBRICK_GPIO"));
	return env >= 0 ? (enum ub_gpio_backend)env : UB_GPIO_AUTO;
}

/* libgpiod for every line; the fast ones through the registers when
 * chosen, or by default where the SoC is known and its node opens. */
static struct ub_gpio *open_backend(const struct ub_gpio_req *req, unsigned n,
				    int *err)
{
	enum ub_gpio_backend b = ub_gpio_chosen();
	struct ub_gpio *g = ub_gpio_open_gpiod(req, n, "unbrick", err), *m;
	unsigned fast = 0;

	for (unsigned i = 0; i < n; i++)
		fast |= UB_BIT(req[i].line) & FAST_LINES;
	if (!g || b == UB_GPIO_GPIOD || !fast)
		return g;
	m = ub_gpio_open_mmio(g, req, n, fast, err);
	if (m)
		return m;
	if (b == UB_GPIO_MMIO) {
		ub_gpio_close(g);
		return NULL;
	}
	ub_info("every line on libgpiod: %s", ub_errmsg(*err));
	*err = 0;
	return g;
}

static int none_wired(const struct ub_board *b, int iface, const char *what)
{
	const char *name = ub_iface_name(iface);

	return ub_fail(UB_ECONFIG,
		       "board %s wires no %s line for %s: add a [pin %s] "
		       "section to its profile, or give the pin with --pin "
		       "%s=GPIOn",
		       b->name, what, name, what, what);
}

struct ub_gpio *ub_gpio_open_board(const struct ub_board *b, int iface,
				   int *err)
{
	struct ub_gpio_req req[UB_LINE_MAX];
	unsigned n = 0, have = 0;

	for (unsigned i = 0; i < b->npin; i++) {
		const struct ub_board_pin *p = &b->pin[i];
		const struct ub_pi_pin *pi = ub_pi_pin(p->pi);
		int line = line_of_pin(b, p);

		if (p->kind != UB_PIN_LINE || !(p->ifaces & (1u << iface)) ||
		    !pi || pi->kind != UB_PI_GPIO)
			continue;
		if (line < 0) {
			*err = ub_fail(UB_ECONFIG,
				       "board %s has more board lines than "
				       "unbrick can drive (%d): drop '%s' from "
				       "its profile",
				       b->name, UB_LINE_MAX - UB_LINE_BOARD0,
				       p->role);
			return NULL;
		}
		memset(&req[n], 0, sizeof(req[n]));
		req[n].line = (enum ub_line)line;
		req[n].bcm = pi->bcm;
		setup_req(&req[n], p);
		have |= UB_BIT(line);
		n++;
	}
	if (iface == UB_IFACE_SWD && !(have & UB_BIT(UB_LINE_SWCLK)))
		*err = none_wired(b, iface, "swclk");
	else if (iface == UB_IFACE_SWD && !(have & UB_BIT(UB_LINE_SWDIO)))
		*err = none_wired(b, iface, "swdio");
	else if (!n)
		*err = ub_fail(UB_ECONFIG,
			       "board %s wires no GPIO line for %s: add [pin "
			       "nrst] and [pin boot0] sections to its profile, "
			       "or give them with --pin nrst=GPIOn --pin "
			       "boot0=GPIOn",
			       b->name, ub_iface_name(iface));
	else
		return open_backend(req, n, err);
	return NULL;
}

/* --- open sessions --- */

#define MAX_OPEN 8 /* sessions at once: one per board, in practice */

static struct ub_gpio *open_list[MAX_OPEN];

void ub_gpio_track(struct ub_gpio *g)
{
	for (int i = 0; i < MAX_OPEN; i++)
		if (!open_list[i]) {
			open_list[i] = g;
			return;
		}
}

void ub_gpio_untrack(struct ub_gpio *g)
{
	for (int i = 0; i < MAX_OPEN; i++)
		if (open_list[i] == g)
			open_list[i] = NULL;
}

void ub_gpio_close_all(void)
{
	for (int i = 0; i < MAX_OPEN; i++)
		if (open_list[i])
			ub_gpio_close(open_list[i]); /* untracks it */
}
