// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The stand-in libgpiod's board session. The board is made at the first
 * chip open, from UB_VBOARD_BOARD (the wiring of the lines to the pins,
 * and the chip), UB_VBOARD_STATE, UB_VBOARD_SETTINGS, UB_VBOARD_REPORT and
 * UB_VBOARD_VCD, and the session ends when the last chip handle is closed
 * (or at exit): the state is saved, the report written, the VCD trace
 * closed. The program's sleeps move the board's clock (vb_sleep.c).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ub/board.h"
#include "ub/err.h"
#include "ub/pi.h"
#include "vb_gpiod_client.h"
#include "vb_gpiod_priv.h"

struct vb_gpiod_session vb_gs;

static const char *const pin_role[VB_NPINS] = {"swclk", "swdio", "nrst",
					       "boot0"};
static const char vcd_id[VB_NPINS] = {'!', '"', '#', '%'};
static const char *const spi_role[4] = {"spi_cs", "spi_clk", "spi_mosi",
					"spi_miso"};

__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "libgpiod (virtual board): ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The VCD trace ---------------------------------------------------------- */

/* The level on the wire, as the Pi would see it; not counted as a read. */
static int wire_level(enum vb_pin pin)
{
	int level = vb_sense(vb_gs.vb, pin);

	vb_gs.vb->st.gpio_reads--;
	return level;
}

/* The last instant written to the trace, by either writer (the SPI lines'
 * changes are written by vb_spi_vcd_sample as the chip sees them). */
static uint64_t last_ns(void)
{
	const struct vb *vb = vb_gs.vb;

	if (vb->nor && vb->io.vcd_spi[0] != -2 &&
	    vb->io.vcd_spi_ns > vb_gs.vcd_ns)
		return vb->io.vcd_spi_ns;
	return vb_gs.vcd_ns;
}

static void vcd_open(const char *path)
{
	vb_gs.vcd = fopen(path, "w");
	if (!vb_gs.vcd) {
		say("cannot write the VCD trace %s", path);
		return;
	}
	fprintf(vb_gs.vcd, "$version unbrick virtual board $end\n"
			   "$timescale 1 ns $end\n"
			   "$scope module vboard $end\n");
	for (int p = 0; p < VB_NPINS; p++)
		fprintf(vb_gs.vcd, "$var wire 1 %c %s $end\n", vcd_id[p],
			pin_role[p]);
	vb_spi_vcd_header(vb_gs.vb, vb_gs.vcd); /* the chip's lines, if any */
	fprintf(vb_gs.vcd, "$upscope $end\n$enddefinitions $end\n");
	vb_gs.vcd_ns = vb_gs.vb->now_ps / VB_PS_PER_NS;
	fprintf(vb_gs.vcd, "#%llu\n", (unsigned long long)vb_gs.vcd_ns);
	for (int p = 0; p < VB_NPINS; p++) {
		vb_gs.vcd_level[p] = wire_level(p);
		fprintf(vb_gs.vcd, "%d%c\n", vb_gs.vcd_level[p], vcd_id[p]);
	}
	vb_gs.vb->vcd = vb_gs.vcd;
	/* the SPI lines' first levels, one nanosecond on (-1: none yet) */
	for (int l = 0; l < 4; l++)
		vb_gs.vb->io.vcd_spi[l] = -1;
	vb_gs.vb->io.vcd_spi_ns = vb_gs.vcd_ns;
	vb_spi_vcd_sample(vb_gs.vb);
	vb_gs.vcd_ns = last_ns();
}

/*
 * Record what changed since the last sample. The clock is written at the
 * modelled time; data that changed along with a clock edge (the target's
 * output after a rising edge) and anything that changed at an instant
 * already written follow a nanosecond later, as on a real wire, so that a
 * decoder sampling on the edge sees the old data.
 */
void vb_gpiod_vcd_sample(void)
{
	uint64_t t = vb_gs.vb->now_ps / VB_PS_PER_NS;
	int level[VB_NPINS];
	bool clk, other = false;

	if (!vb_gs.vcd)
		return;
	for (int p = 0; p < VB_NPINS; p++) {
		level[p] = wire_level(p);
		if (p != VB_SWCLK && level[p] != vb_gs.vcd_level[p])
			other = true;
	}
	clk = level[VB_SWCLK] != vb_gs.vcd_level[VB_SWCLK];
	if (!clk && !other)
		return;
	if (t <= last_ns())
		t = last_ns() + 1;
	if (clk) {
		fprintf(vb_gs.vcd, "#%llu\n%d%c\n", (unsigned long long)t,
			level[VB_SWCLK], vcd_id[VB_SWCLK]);
		if (other)
			t++;
	}
	if (other) {
		fprintf(vb_gs.vcd, "#%llu\n", (unsigned long long)t);
		for (int p = 0; p < VB_NPINS; p++)
			if (p != VB_SWCLK && level[p] != vb_gs.vcd_level[p])
				fprintf(vb_gs.vcd, "%d%c\n", level[p],
					vcd_id[p]);
	}
	memcpy(vb_gs.vcd_level, level, sizeof(level));
	vb_gs.vcd_ns = t;
	if (vb_gs.vb->io.vcd_spi[0] != -2) /* the SPI lines' writer after it */
		vb_gs.vb->io.vcd_spi_ns = t;
}

/* The clip's SCK from the Pi's GPIO: each edge takes half a period at
 * clip_hz, as SWCLK's do at swclk_hz (the lines' own cost on a Pi). */
static void clip_clock(int pin, int level)
{
	static int last = -1;
	struct vb *vb = vb_gs.vb;

	if (pin != VB_GPIOD_SPI + VB_SPI_CLK)
		return;
	if (level >= 0 && last >= 0 && level != last && vb->set.clip_hz)
		vb_advance(vb, VB_PS_PER_US * 1000000ull / vb->set.clip_hz / 2);
	last = level;
}

void vb_gpiod_wire_drive(int pin, int level)
{
	if (pin < VB_GPIOD_SPI) {
		vb_drive(vb_gs.vb, (enum vb_pin)pin, level);
	} else if (!vb_gs.vb->remote) {
		clip_clock(pin, level);
		vb_spi_clip_drive(vb_gs.vb,
				  (enum vb_spi_line)(pin - VB_GPIOD_SPI),
				  level);
	}
	vb_gpiod_vcd_sample();
}

int vb_gpiod_wire_sense(int pin)
{
	if (pin < VB_GPIOD_SPI)
		return vb_sense(vb_gs.vb, (enum vb_pin)pin);
	if (vb_gs.vb->remote || !vb_gs.vb->nor)
		return -1; /* no chip on the clip */
	vb_gs.vb->st.gpio_reads++;
	return vb_spi_clip_sense(vb_gs.vb,
				 (enum vb_spi_line)(pin - VB_GPIOD_SPI));
}

static void vcd_close(void)
{
	uint64_t t = vb_gs.vb->now_ps / VB_PS_PER_NS;

	if (!vb_gs.vcd)
		return;
	if (t > last_ns())
		fprintf(vb_gs.vcd, "#%llu\n", (unsigned long long)t);
	if (fclose(vb_gs.vcd))
		say("cannot write the VCD trace");
	vb_gs.vcd = NULL;
	vb_gs.vb->vcd = NULL;
}

/* The session ------------------------------------------------------------ */

static int wire(int role, int pi_pin)
{
	const struct ub_pi_pin *pp = ub_pi_pin(pi_pin);

	if (!pp || pp->bcm < 0 || pp->bcm >= VB_NLINES)
		return -1;
	if (vb_gs.pin_of[pp->bcm] < 0)
		vb_gs.pin_of[pp->bcm] = role;
	return 0;
}

/* The profile's wiring and the variant its chip implies. */
static int load_profile(const char *name, const char **variant)
{
	struct ub_board *b;
	int err;

	if (!name || !*name) {
		/* no profile: boards/stm32f1.conf's wiring, a CB */
		wire(VB_SWCLK, 23);
		wire(VB_SWDIO, 22);
		wire(VB_NRST, 18);
		wire(VB_BOOT0, 16);
		return 0;
	}
	b = ub_board_load(name, &err);
	if (!b) {
		say("%s", ub_errmsg(err));
		return -1;
	}
	for (int p = 0; p < VB_NPINS; p++) {
		const struct ub_board_pin *bp = ub_board_pin(b, pin_role[p]);

		if (bp && bp->pi > 0)
			wire(p, bp->pi);
	}
	for (int l = 0; l < 4; l++) { /* the clip on the SPI chip's pins */
		const struct ub_board_pin *bp = ub_board_pin(b, spi_role[l]);

		if (bp && bp->pi > 0)
			wire(VB_GPIOD_SPI + l, bp->pi);
	}
	if (b->has_dev_id && b->dev_id == 0x414)
		*variant = b->flash_size >= 512 * 1024 ? "variant=ve"
						       : "variant=vc";
	ub_board_free(b);
	return 0;
}

/* held=GPIOn:CONSUMER: another program holds the line (EBUSY for us). */
static int hold(const char *v)
{
	char *end;
	unsigned long n;

	if (strncmp(v, "GPIO", 4) || !isdigit((unsigned char)v[4]))
		return -1;
	n = strtoul(v + 4, &end, 10);
	if (n >= VB_NLINES || *end != ':')
		return -1;
	vb_gs.kl[n].used = true;
	snprintf(vb_gs.kl[n].consumer, sizeof(vb_gs.kl[n].consumer), "%s",
		 end[1] ? end + 1 : "?");
	return 0;
}

/*
 * Settings are lines of key=value. "pi=4" or "pi=5" is the stand-in's own
 * (which Pi's gpiochip it shows), as are host_idle and held; the rest go
 * to the board.
 */
static int split_settings(char *text, const char **out, size_t *n)
{
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		while (isspace((unsigned char)*line))
			line++;
		if (!*line || *line == '#')
			continue;
		if (!strcmp(line, "pi=4")) {
			vb_gs.label = "pinctrl-bcm2711";
			continue;
		}
		if (!strcmp(line, "pi=5") || !strcmp(line, "pi=5-old")) {
			/* an older Pi 5 kernel puts the RP1 on gpiochip4 */
			vb_gs.label = "pinctrl-rp1";
			vb_gs.header_chip = line[4] ? 4 : 0;
			continue;
		}
		if (!strncmp(line, "pi=", 3)) {
			say("setting '%s': the Pi is 4, 5 or 5-old", line);
			return -1;
		}
		if (!strncmp(line, "held=", 5)) {
			if (hold(line + 5)) {
				say("setting '%s': held=GPIOn:CONSUMER", line);
				return -1;
			}
			continue;
		}
		if (!strncmp(line, "host_idle=", 10)) {
			if (strcmp(line + 10, "0") && strcmp(line + 10, "1")) {
				say("setting '%s': 0 or 1", line);
				return -1;
			}
			vb_gs.host_idle = line[10] == '1';
			continue;
		}
		if (*n == VB_MAX_SETTINGS) {
			say("too many settings (%s)", line);
			return -1;
		}
		out[(*n)++] = line;
	}
	return 0;
}

int vb_gpiod_session_start(void)
{
	const char *variant = NULL, *set[VB_MAX_SETTINGS + 1];
	const char *env, *vcd = getenv("UB_VBOARD_VCD");
	char *text = NULL, err[512] = "";
	size_t n = 0;

	memset(&vb_gs, 0, sizeof(vb_gs));
	vb_gs.label = "pinctrl-bcm2711";
	vb_gs.pid = getpid();
	vb_gs.host_idle = true;
	for (int i = 0; i < VB_NLINES; i++) {
		vb_gs.pin_of[i] = -1;
		vb_gs.applied[i] = -1;
	}
	if (load_profile(getenv("UB_VBOARD_BOARD"), &variant))
		return fail(ENODEV);
	if (variant)
		set[n++] = variant;
	env = getenv("UB_VBOARD_SETTINGS");
	if (env) {
		text = strdup(env);
		if (!text)
			return fail(ENOMEM);
		if (split_settings(text, set, &n)) {
			free(text);
			return fail(EINVAL);
		}
	}
	env = getenv("UB_VBOARD_STATE");
	if (vb_gpiod_client_wanted()) /* the board server's board */
		vb_gs.vb = vb_gpiod_client_new(err, sizeof(err));
	else
		vb_gs.vb = vb_new(set, n, env && *env ? env : NULL, err,
				  sizeof(err));
	free(text);
	if (!vb_gs.vb) {
		say("%s", err);
		return fail(ENODEV);
	}
	env = getenv("UB_VBOARD_REPORT");
	if (vb_gs.vb->remote) /* the server writes them */
		env = vcd = NULL;
	if (env && *env)
		snprintf(vb_gs.report, sizeof(vb_gs.report), "%s", env);
	if (vcd && *vcd)
		vcd_open(vcd);
	return 0;
}

static void write_report(void)
{
	char tmp[PATH_MAX + 8];
	FILE *f;

	if (!vb_gs.report[0])
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", vb_gs.report);
	f = fopen(tmp, "w");
	if (!f) {
		say("cannot write the report %s", vb_gs.report);
		return;
	}
	vb_report(vb_gs.vb, f);
	if (fclose(f) || rename(tmp, vb_gs.report)) {
		say("cannot write the report %s", vb_gs.report);
		remove(tmp);
	}
}

void vb_gpiod_session_end(void)
{
	char err[512] = "";

	if (!vb_gs.vb)
		return;
	if (vb_gpiod_client_end(vb_gs.vb)) {
		vb_gs.vb = NULL;
		return;
	}
	vcd_close();
	write_report();
	if (vb_close(vb_gs.vb, err, sizeof(err)))
		say("%s", err);
	vb_gs.vb = NULL;
}

/* At exit, if the program left a chip open; not in a forked child. */
__attribute__((destructor)) static void session_at_exit(void)
{
	if (vb_gs.vb && vb_gs.pid == getpid())
		vb_gpiod_session_end();
}

struct vb *vb_gpiod_board(void)
{
	return vb_gs.vb;
}

/* A sleep of the program in this session (vb_sleep.c): the board's time
 * passes too, unless host_idle=0. */
void vb_gpiod_host_sleep(uint64_t ns)
{
	if (!vb_gs.vb || !vb_gs.host_idle || vb_gs.pid != getpid() || !ns)
		return;
	vb_advance(vb_gs.vb, ns * VB_PS_PER_NS);
	vb_gpiod_vcd_sample();
}
