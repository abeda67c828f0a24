// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A stand-in libgpiod.so.2 (the libgpiod 1.6 API, as Debian bookworm ships
 * it) whose only gpiochip is a Raspberry Pi's, with the lines a board
 * profile names wired to the virtual board. Programs load it through
 * LD_LIBRARY_PATH (tests/vboard/with-vboard) and run unchanged.
 *
 * The kernel's rules are kept: a line is requested by one holder at a time
 * (EBUSY for anyone else, who sees the consumer in the line info), values
 * only go to requested lines (EPERM), only outputs take values (EPERM), bad
 * flag combinations are refused (EINVAL). Like the BCM2835/2711 pin
 * controller, a released line goes back to being an input. Edge events are
 * not modelled (ENOTSUP).
 *
 * The board is made at the first chip open, from UB_VBOARD_BOARD,
 * UB_VBOARD_STATE, UB_VBOARD_SETTINGS, UB_VBOARD_REPORT and UB_VBOARD_VCD,
 * and the session ends when the last chip handle is closed (or at exit):
 * the state is saved, the report written, the VCD trace closed.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gpiod.h>

#include "ub/board.h"
#include "ub/err.h"
#include "ub/pi.h"
#include "vb.h"

#define VB_NLINES	54
#define VB_CHIP_NAME	"gpiochip0"
#define VB_CHIP_PATH	"/dev/gpiochip0"
#define VB_CONSUMER_MAX 32 /* the kernel's label size, with the NUL */
#define VB_MAX_SETTINGS 64

#define REQ_DRIVE                             \
	(GPIOD_LINE_REQUEST_FLAG_OPEN_DRAIN | \
	 GPIOD_LINE_REQUEST_FLAG_OPEN_SOURCE)
#define REQ_BIAS                                  \
	(GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE |   \
	 GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN | \
	 GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP)
#define REQ_ALL (REQ_DRIVE | REQ_BIAS | GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW)

/* What the kernel knows of a line, whoever holds it. */
struct kline {
	bool used;
	bool output;
	int flags; /* GPIOD_LINE_REQUEST_FLAG_*, while requested */
	int value; /* the level the output drives (before open drain/source) */
	char consumer[VB_CONSUMER_MAX];
};

struct gpiod_line {
	struct gpiod_chip *chip;
	unsigned int offset;
	bool requested; /* this handle holds the request */
	/* line info as last read from the "kernel" (gpiod_line_update) */
	bool used, output, open_drain, open_source, active_low;
	int bias;
	char consumer[VB_CONSUMER_MAX];
};

struct gpiod_chip {
	struct gpiod_line line[VB_NLINES];
};

struct gpiod_chip_iter {
	struct gpiod_chip *chip[1];
	unsigned int n, next;
};

struct gpiod_line_iter {
	struct gpiod_chip *chip;
	unsigned int next;
};

/* The session: one board for the whole process while a chip is open. */
static struct {
	struct vb *vb;
	unsigned int nchips;
	pid_t pid;		/* the process that made the board */
	int pin_of[VB_NLINES];	/* enum vb_pin, or -1 when not wired */
	int applied[VB_NLINES]; /* the drive last put on the wire */
	bool host_idle;		/* the Pi's pauses pass on the board too */
	struct kline kl[VB_NLINES];
	const char *label;
	char report[PATH_MAX];
	/* the VCD trace */
	FILE *vcd;
	uint64_t vcd_ns;
	int vcd_level[VB_NPINS];
} S;

static const char *const pin_role[VB_NPINS] = {"swclk", "swdio", "nrst",
					       "boot0"};
static const char vcd_id[VB_NPINS] = {'!', '"', '#', '%'};

__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "libgpiod (virtual board): ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int fail(int err)
{
	errno = err;
	return -1;
}

/* The VCD trace ---------------------------------------------------------- */

/* The level on the wire, as the Pi would see it; not counted as a read. */
static int wire_level(enum vb_pin pin)
{
	int level = vb_sense(S.vb, pin);

	S.vb->st.gpio_reads--;
	return level;
}

static void vcd_open(const char *path)
{
	S.vcd = fopen(path, "w");
	if (!S.vcd) {
		say("cannot write the VCD trace %s", path);
		return;
	}
	fprintf(S.vcd, "$version unbrick virtual board $end\n"
		       "$timescale 1 ns $end\n"
		       "$scope module vboard $end\n");
	for (int p = 0; p < VB_NPINS; p++)
		fprintf(S.vcd, "$var wire 1 %c %s $end\n", vcd_id[p],
			pin_role[p]);
	fprintf(S.vcd, "$upscope $end\n$enddefinitions $end\n");
	S.vcd_ns = S.vb->now_ps / VB_PS_PER_NS;
	fprintf(S.vcd, "#%llu\n", (unsigned long long)S.vcd_ns);
	for (int p = 0; p < VB_NPINS; p++) {
		S.vcd_level[p] = wire_level(p);
		fprintf(S.vcd, "%d%c\n", S.vcd_level[p], vcd_id[p]);
	}
	S.vb->vcd = S.vcd;
}

/*
 * Record what changed since the last sample. The clock is written at the
 * modelled time; data that changed along with a clock edge (the target's
 * output after a rising edge) and anything that changed at an instant
 * already written follow a nanosecond later, as on a real wire, so that a
 * decoder sampling on the edge sees the old data.
 */
static void vcd_sample(void)
{
	uint64_t t = S.vb->now_ps / VB_PS_PER_NS;
	int level[VB_NPINS];
	bool clk, other = false;

	if (!S.vcd)
		return;
	for (int p = 0; p < VB_NPINS; p++) {
		level[p] = wire_level(p);
		if (p != VB_SWCLK && level[p] != S.vcd_level[p])
			other = true;
	}
	clk = level[VB_SWCLK] != S.vcd_level[VB_SWCLK];
	if (!clk && !other)
		return;
	if (t <= S.vcd_ns)
		t = S.vcd_ns + 1;
	if (clk) {
		fprintf(S.vcd, "#%llu\n%d%c\n", (unsigned long long)t,
			level[VB_SWCLK], vcd_id[VB_SWCLK]);
		if (other)
			t++;
	}
	if (other) {
		fprintf(S.vcd, "#%llu\n", (unsigned long long)t);
		for (int p = 0; p < VB_NPINS; p++)
			if (p != VB_SWCLK && level[p] != S.vcd_level[p])
				fprintf(S.vcd, "%d%c\n", level[p], vcd_id[p]);
	}
	memcpy(S.vcd_level, level, sizeof(level));
	S.vcd_ns = t;
}

static void vcd_close(void)
{
	uint64_t t = S.vb->now_ps / VB_PS_PER_NS;

	if (!S.vcd)
		return;
	if (t > S.vcd_ns)
		fprintf(S.vcd, "#%llu\n", (unsigned long long)t);
	if (fclose(S.vcd))
		say("cannot write the VCD trace");
	S.vcd = NULL;
	S.vb->vcd = NULL;
}

/* The session ------------------------------------------------------------ */

static int wire(int role, int pi_pin)
{
	const struct ub_pi_pin *pp = ub_pi_pin(pi_pin);

	if (!pp || pp->bcm < 0 || pp->bcm >= VB_NLINES)
		return -1;
	if (S.pin_of[pp->bcm] < 0)
		S.pin_of[pp->bcm] = role;
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
	if (b->has_dev_id && b->dev_id == 0x414)
		*variant = b->flash_size >= 512 * 1024 ? "variant=ve"
						       : "variant=vc";
	ub_board_free(b);
	return 0;
}

/*
 * Settings are lines of key=value. "pi=4" or "pi=5" is the stand-in's own
 * (which Pi's gpiochip it shows); the rest go to the board.
 */
static int split_settings(char *text, const char **out, size_t *n)
{
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		while (isspace((unsigned char)*line))
			line++;
		if (!*line || *line == '#')
			continue;
		if (!strcmp(line, "pi=4")) {
			S.label = "pinctrl-bcm2711";
			continue;
		}
		if (!strcmp(line, "pi=5")) {
			S.label = "pinctrl-rp1";
			continue;
		}
		if (!strncmp(line, "pi=", 3)) {
			say("setting '%s': the Pi is 4 or 5", line);
			return -1;
		}
		if (!strncmp(line, "host_idle=", 10)) {
			if (strcmp(line + 10, "0") && strcmp(line + 10, "1")) {
				say("setting '%s': 0 or 1", line);
				return -1;
			}
			S.host_idle = line[10] == '1';
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

static int session_start(void)
{
	const char *variant = NULL, *set[VB_MAX_SETTINGS + 1];
	const char *env, *vcd = getenv("UB_VBOARD_VCD");
	char *text = NULL, err[512] = "";
	size_t n = 0;

	memset(&S, 0, sizeof(S));
	S.label = "pinctrl-bcm2711";
	S.pid = getpid();
	S.host_idle = true;
	for (int i = 0; i < VB_NLINES; i++) {
		S.pin_of[i] = -1;
		S.applied[i] = -1;
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
	S.vb = vb_new(set, n, env && *env ? env : NULL, err, sizeof(err));
	free(text);
	if (!S.vb) {
		say("%s", err);
		return fail(ENODEV);
	}
	env = getenv("UB_VBOARD_REPORT");
	if (env && *env)
		snprintf(S.report, sizeof(S.report), "%s", env);
	if (vcd && *vcd)
		vcd_open(vcd);
	return 0;
}

static void write_report(void)
{
	char tmp[PATH_MAX + 8];
	FILE *f;

	if (!S.report[0])
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", S.report);
	f = fopen(tmp, "w");
	if (!f) {
		say("cannot write the report %s", S.report);
		return;
	}
	vb_report(S.vb, f);
	if (fclose(f) || rename(tmp, S.report)) {
		say("cannot write the report %s", S.report);
		remove(tmp);
	}
}

static void session_end(void)
{
	char err[512] = "";

	if (!S.vb)
		return;
	vcd_close();
	write_report();
	if (vb_close(S.vb, err, sizeof(err)))
		say("%s", err);
	S.vb = NULL;
}

/* At exit, if the program left a chip open; not in a forked child. */
__attribute__((destructor)) static void session_at_exit(void)
{
	if (S.vb && S.pid == getpid())
		session_end();
}

struct vb *vb_gpiod_board(void)
{
	return S.vb;
}

/* Lines and pins --------------------------------------------------------- */

/* What the Pi does to the wire: 0, 1, or -1 (not driving). */
static int host_level(const struct kline *k)
{
	if (!k->output)
		return -1;
	if (k->flags & GPIOD_LINE_REQUEST_FLAG_OPEN_DRAIN)
		return k->value ? -1 : 0;
	if (k->flags & GPIOD_LINE_REQUEST_FLAG_OPEN_SOURCE)
		return k->value ? 1 : -1;
	return k->value;
}

/* A sleep of the program in this session (vb_sleep.c): the board's time
 * passes too, unless host_idle=0. */
void vb_gpiod_host_sleep(uint64_t ns)
{
	if (!S.vb || !S.host_idle || S.pid != getpid() || !ns)
		return;
	vb_advance(S.vb, ns * VB_PS_PER_NS);
	vcd_sample();
}

/*
 * Put line off's state on the wire: always for a value write (write), else
 * (a request, release or new configuration) only when the Pi's drive
 * changes.
 */
static void apply(unsigned int off, bool write)
{
	int pin = S.pin_of[off], level = host_level(&S.kl[off]);

	if (pin < 0 || !S.vb || (!write && level == S.applied[off]))
		return;
	S.applied[off] = level;
	vb_drive(S.vb, pin, level);
	vcd_sample();
}

/* Apply a set of lines: the clock last, so data is set up before its edge. */
static void apply_bulk(struct gpiod_line_bulk *bulk, bool write)
{
	int clk = -1;

	for (unsigned int i = 0; i < bulk->num_lines; i++) {
		unsigned int off = bulk->lines[i]->offset;

		if (S.pin_of[off] == VB_SWCLK)
			clk = (int)off;
		else
			apply(off, write);
	}
	if (clk >= 0)
		apply((unsigned int)clk, write);
}

/* The level on line off as the Pi reads it (before active-low). */
static int read_level(unsigned int off)
{
	const struct kline *k = &S.kl[off];
	int level = host_level(k);

	if (k->output && !(k->flags & REQ_DRIVE)) {
		S.vb->st.gpio_reads++;
		return k->value;
	}
	if (S.pin_of[off] >= 0) {
		return vb_sense(S.vb, S.pin_of[off]);
	}
	S.vb->st.gpio_reads++;
	if (level >= 0)
		return level;
	if (k->flags & GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP)
		return 1;
	if (k->flags & GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN)
		return 0;
	/* nothing on an open line: a released open drain reads its 1 */
	return k->output ? 1 : 0;
}

static void line_info(struct gpiod_line *line)
{
	const struct kline *k = &S.kl[line->offset];

	line->used = k->used;
	line->output = k->output;
	line->open_drain = k->flags & GPIOD_LINE_REQUEST_FLAG_OPEN_DRAIN;
	line->open_source = k->flags & GPIOD_LINE_REQUEST_FLAG_OPEN_SOURCE;
	line->active_low = k->flags & GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW;
	if (k->flags & GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE)
		line->bias = GPIOD_LINE_BIAS_DISABLE;
	else if (k->flags & GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP)
		line->bias = GPIOD_LINE_BIAS_PULL_UP;
	else if (k->flags & GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN)
		line->bias = GPIOD_LINE_BIAS_PULL_DOWN;
	else
		line->bias = GPIOD_LINE_BIAS_AS_IS;
	memcpy(line->consumer, k->consumer, sizeof(line->consumer));
}

/* Chips ------------------------------------------------------------------ */

static struct gpiod_chip *chip_new(void)
{
	struct gpiod_chip *chip;

	if (!S.vb && session_start())
		return NULL;
	chip = calloc(1, sizeof(*chip));
	if (!chip) {
		if (!S.nchips)
			session_end();
		errno = ENOMEM;
		return NULL;
	}
	for (unsigned int i = 0; i < VB_NLINES; i++) {
		chip->line[i].chip = chip;
		chip->line[i].offset = i;
		line_info(&chip->line[i]);
	}
	S.nchips++;
	return chip;
}

struct gpiod_chip *gpiod_chip_open(const char *path)
{
	struct stat st;

	if (!path) {
		errno = EINVAL;
		return NULL;
	}
	if (!strcmp(path, VB_CHIP_PATH))
		return chip_new();
	/* our chip is the only one; anything else that exists is not one */
	errno = !strncmp(path, "/dev/gpiochip", 13) || stat(path, &st) ? ENOENT
								       : ENOTTY;
	return NULL;
}

struct gpiod_chip *gpiod_chip_open_by_name(const char *name)
{
	char path[PATH_MAX];

	if (!name) {
		errno = EINVAL;
		return NULL;
	}
	snprintf(path, sizeof(path), "/dev/%s", name);
	return gpiod_chip_open(path);
}

struct gpiod_chip *gpiod_chip_open_by_number(unsigned int num)
{
	char path[64];

	snprintf(path, sizeof(path), "/dev/gpiochip%u", num);
	return gpiod_chip_open(path);
}

static const char *chip_label(void)
{
	/* before a session, the label a session would have */
	if (S.vb)
		return S.label;
	for (const char *s = getenv("UB_VBOARD_SETTINGS"); s && *s;) {
		if (!strncmp(s, "pi=5", 4) && (!s[4] || s[4] == '\n'))
			return "pinctrl-rp1";
		s = strchr(s, '\n');
		s = s ? s + 1 : NULL;
	}
	return "pinctrl-bcm2711";
}

struct gpiod_chip *gpiod_chip_open_by_label(const char *label)
{
	if (!label) {
		errno = EINVAL;
		return NULL;
	}
	if (strcmp(label, chip_label())) {
		errno = ENOENT;
		return NULL;
	}
	return chip_new();
}

struct gpiod_chip *gpiod_chip_open_lookup(const char *descr)
{
	size_t digits;

	if (!descr || !*descr) {
		errno = descr ? ENOENT : EINVAL;
		return NULL;
	}
	digits = strspn(descr, "0123456789");
	if (!descr[digits])
		return gpiod_chip_open_by_number(
			(unsigned int)strtoul(descr, NULL, 10));
	if (!strcmp(descr, chip_label()))
		return chip_new();
	if (!strncmp(descr, "/dev/", 5))
		return gpiod_chip_open(descr);
	return gpiod_chip_open_by_name(descr);
}

void gpiod_chip_close(struct gpiod_chip *chip)
{
	struct gpiod_line_bulk bulk = GPIOD_LINE_BULK_INITIALIZER;

	if (!chip)
		return;
	for (unsigned int i = 0; i < VB_NLINES; i++)
		if (chip->line[i].requested)
			gpiod_line_bulk_add(&bulk, &chip->line[i]);
	if (bulk.num_lines)
		gpiod_line_release_bulk(&bulk);
	free(chip);
	if (S.nchips && !--S.nchips)
		session_end();
}

const char *gpiod_chip_name(struct gpiod_chip *chip)
{
	(void)chip;
	return VB_CHIP_NAME;
}

const char *gpiod_chip_label(struct gpiod_chip *chip)
{
	(void)chip;
	return S.label;
}

unsigned int gpiod_chip_num_lines(struct gpiod_chip *chip)
{
	(void)chip;
	return VB_NLINES;
}

struct gpiod_line *gpiod_chip_get_line(struct gpiod_chip *chip,
				       unsigned int offset)
{
	if (!chip || offset >= VB_NLINES) {
		errno = EINVAL;
		return NULL;
	}
	line_info(&chip->line[offset]);
	return &chip->line[offset];
}

int gpiod_chip_get_lines(struct gpiod_chip *chip, unsigned int *offsets,
			 unsigned int num_offsets, struct gpiod_line_bulk *bulk)
{
	if (!offsets || !bulk || num_offsets > GPIOD_LINE_BULK_MAX_LINES)
		return fail(EINVAL);
	gpiod_line_bulk_init(bulk);
	for (unsigned int i = 0; i < num_offsets; i++) {
		struct gpiod_line *line = gpiod_chip_get_line(chip, offsets[i]);

		if (!line)
			return -1;
		gpiod_line_bulk_add(bulk, line);
	}
	return 0;
}

int gpiod_chip_get_all_lines(struct gpiod_chip *chip,
			     struct gpiod_line_bulk *bulk)
{
	if (!chip || !bulk)
		return fail(EINVAL);
	gpiod_line_bulk_init(bulk);
	for (unsigned int i = 0; i < VB_NLINES; i++)
		gpiod_line_bulk_add(bulk, gpiod_chip_get_line(chip, i));
	return 0;
}

/* "GPIO0".."GPIO53" */
static int offset_of_name(const char *name)
{
	char *end;
	unsigned long n;

	if (!name || strncmp(name, "GPIO", 4) ||
	    !isdigit((unsigned char)name[4]))
		return -1;
	if (name[4] == '0' && name[5])
		return -1;
	n = strtoul(name + 4, &end, 10);
	return *end || n >= VB_NLINES ? -1 : (int)n;
}

struct gpiod_line *gpiod_chip_find_line(struct gpiod_chip *chip,
					const char *name)
{
	int off = offset_of_name(name);

	if (!chip || !name) {
		errno = EINVAL;
		return NULL;
	}
	if (off < 0) {
		errno = ENOENT;
		return NULL;
	}
	return gpiod_chip_get_line(chip, (unsigned int)off);
}

int gpiod_chip_find_lines(struct gpiod_chip *chip, const char **names,
			  struct gpiod_line_bulk *bulk)
{
	if (!chip || !names || !bulk)
		return fail(EINVAL);
	gpiod_line_bulk_init(bulk);
	for (unsigned int i = 0; names[i]; i++) {
		struct gpiod_line *line;

		if (i == GPIOD_LINE_BULK_MAX_LINES)
			return fail(EINVAL);
		line = gpiod_chip_find_line(chip, names[i]);
		if (!line)
			return -1;
		gpiod_line_bulk_add(bulk, line);
	}
	return 0;
}

/* Line info -------------------------------------------------------------- */

unsigned int gpiod_line_offset(struct gpiod_line *line)
{
	return line->offset;
}

const char *gpiod_line_name(struct gpiod_line *line)
{
	static char names[VB_NLINES][8];

	if (!names[line->offset][0])
		snprintf(names[line->offset], sizeof(names[0]), "GPIO%u",
			 line->offset);
	return names[line->offset];
}

const char *gpiod_line_consumer(struct gpiod_line *line)
{
	return line->consumer[0] ? line->consumer : NULL;
}

int gpiod_line_direction(struct gpiod_line *line)
{
	return line->output ? GPIOD_LINE_DIRECTION_OUTPUT
			    : GPIOD_LINE_DIRECTION_INPUT;
}

int gpiod_line_active_state(struct gpiod_line *line)
{
	return line->active_low ? GPIOD_LINE_ACTIVE_STATE_LOW
				: GPIOD_LINE_ACTIVE_STATE_HIGH;
}

int gpiod_line_bias(struct gpiod_line *line)
{
	return line->bias;
}

bool gpiod_line_is_used(struct gpiod_line *line)
{
	return line->used;
}

bool gpiod_line_is_open_drain(struct gpiod_line *line)
{
	return line->open_drain;
}

bool gpiod_line_is_open_source(struct gpiod_line *line)
{
	return line->open_source;
}

int gpiod_line_update(struct gpiod_line *line)
{
	if (!line)
		return fail(EINVAL);
	line_info(line);
	return 0;
}

bool gpiod_line_needs_update(struct gpiod_line *line)
{
	(void)line;
	return false;
}

struct gpiod_chip *gpiod_line_get_chip(struct gpiod_line *line)
{
	return line->chip;
}

/* Requests --------------------------------------------------------------- */

static bool is_direction(int type)
{
	return type == GPIOD_LINE_REQUEST_DIRECTION_AS_IS ||
	       type == GPIOD_LINE_REQUEST_DIRECTION_INPUT ||
	       type == GPIOD_LINE_REQUEST_DIRECTION_OUTPUT;
}

/* The kernel's checks of request and config flags. */
static int check_flags(int type, int flags)
{
	int bias = flags & REQ_BIAS;

	if (flags & ~REQ_ALL)
		return fail(EINVAL);
	if ((flags & REQ_DRIVE) == REQ_DRIVE)
		return fail(EINVAL);
	if ((flags & REQ_DRIVE) && type != GPIOD_LINE_REQUEST_DIRECTION_OUTPUT)
		return fail(EINVAL);
	if (bias && (bias & (bias - 1)))
		return fail(EINVAL);
	if (bias && type == GPIOD_LINE_REQUEST_DIRECTION_AS_IS)
		return fail(EINVAL);
	return 0;
}

/* Every line there, on one chip of a live session. */
static int check_bulk(struct gpiod_line_bulk *bulk)
{
	if (!bulk || !bulk->num_lines ||
	    bulk->num_lines > GPIOD_LINE_BULK_MAX_LINES || !S.vb)
		return fail(EINVAL);
	for (unsigned int i = 0; i < bulk->num_lines; i++)
		if (!bulk->lines[i] ||
		    bulk->lines[i]->chip != bulk->lines[0]->chip)
			return fail(EINVAL);
	return 0;
}

static int all_requested(struct gpiod_line_bulk *bulk)
{
	if (check_bulk(bulk))
		return -1;
	for (unsigned int i = 0; i < bulk->num_lines; i++)
		if (!bulk->lines[i]->requested)
			return fail(EPERM);
	return 0;
}

/* Set direction, flags and values of lines; then put them on the wire. */
static void configure(struct gpiod_line_bulk *bulk, int type, int flags,
		      const int *values)
{
	for (unsigned int i = 0; i < bulk->num_lines; i++) {
		struct kline *k = &S.kl[bulk->lines[i]->offset];
		int low = !!(flags & GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW);

		k->flags = flags;
		if (type == GPIOD_LINE_REQUEST_DIRECTION_INPUT) {
			k->output = false;
		} else if (type == GPIOD_LINE_REQUEST_DIRECTION_OUTPUT) {
			k->output = true;
			k->value = (values && values[i] ? 1 : 0) ^ low;
		}
	}
	apply_bulk(bulk, false);
	for (unsigned int i = 0; i < bulk->num_lines; i++)
		line_info(bulk->lines[i]);
}

int gpiod_line_request_bulk(struct gpiod_line_bulk *bulk,
			    const struct gpiod_line_request_config *config,
			    const int *default_vals)
{
	const char *consumer;

	if (check_bulk(bulk) || !config)
		return fail(EINVAL);
	if (!is_direction(config->request_type))
		return fail(
			config->request_type > GPIOD_LINE_REQUEST_DIRECTION_OUTPUT &&
					config->request_type <=
						GPIOD_LINE_REQUEST_EVENT_BOTH_EDGES
				? ENOTSUP
				: EINVAL);
	if (check_flags(config->request_type, config->flags))
		return -1;
	for (unsigned int i = 0; i < bulk->num_lines; i++) {
		struct gpiod_line *line = bulk->lines[i];

		for (unsigned int j = 0; j < i; j++)
			if (bulk->lines[j]->offset == line->offset)
				return fail(EBUSY);
		if (line->requested || S.kl[line->offset].used)
			return fail(EBUSY);
	}
	/* the kernel labels a request without a consumer "?" */
	consumer =
		config->consumer && *config->consumer ? config->consumer : "?";
	for (unsigned int i = 0; i < bulk->num_lines; i++) {
		struct kline *k = &S.kl[bulk->lines[i]->offset];

		k->used = true;
		snprintf(k->consumer, sizeof(k->consumer), "%s", consumer);
		bulk->lines[i]->requested = true;
	}
	configure(bulk, config->request_type, config->flags, default_vals);
	return 0;
}

int gpiod_line_request(struct gpiod_line *line,
		       const struct gpiod_line_request_config *config,
		       int default_val)
{
	struct gpiod_line_bulk bulk = GPIOD_LINE_BULK_INITIALIZER;

	if (!line)
		return fail(EINVAL);
	gpiod_line_bulk_add(&bulk, line);
	return gpiod_line_request_bulk(&bulk, config, &default_val);
}

static int request_one(struct gpiod_line *line, const char *consumer, int type,
		       int flags, int value)
{
	struct gpiod_line_request_config config = {consumer, type, flags};

	return gpiod_line_request(line, &config, value);
}

static int request_many(struct gpiod_line_bulk *bulk, const char *consumer,
			int type, int flags, const int *values)
{
	struct gpiod_line_request_config config = {consumer, type, flags};

	return gpiod_line_request_bulk(bulk, &config, values);
}

int gpiod_line_request_input(struct gpiod_line *line, const char *consumer)
{
	return request_one(line, consumer, GPIOD_LINE_REQUEST_DIRECTION_INPUT,
			   0, 0);
}

int gpiod_line_request_output(struct gpiod_line *line, const char *consumer,
			      int default_val)
{
	return request_one(line, consumer, GPIOD_LINE_REQUEST_DIRECTION_OUTPUT,
			   0, default_val);
}

int gpiod_line_request_input_flags(struct gpiod_line *line,
				   const char *consumer, int flags)
{
	return request_one(line, consumer, GPIOD_LINE_REQUEST_DIRECTION_INPUT,
			   flags, 0);
}

int gpiod_line_request_output_flags(struct gpiod_line *line,
				    const char *consumer, int flags,
				    int default_val)
{
	return request_one(line, consumer, GPIOD_LINE_REQUEST_DIRECTION_OUTPUT,
			   flags, default_val);
}

int gpiod_line_request_bulk_input(struct gpiod_line_bulk *bulk,
				  const char *consumer)
{
	return request_many(bulk, consumer, GPIOD_LINE_REQUEST_DIRECTION_INPUT,
			    0, NULL);
}

int gpiod_line_request_bulk_output(struct gpiod_line_bulk *bulk,
				   const char *consumer,
				   const int *default_vals)
{
	return request_many(bulk, consumer, GPIOD_LINE_REQUEST_DIRECTION_OUTPUT,
			    0, default_vals);
}

int gpiod_line_request_bulk_input_flags(struct gpiod_line_bulk *bulk,
					const char *consumer, int flags)
{
	return request_many(bulk, consumer, GPIOD_LINE_REQUEST_DIRECTION_INPUT,
			    flags, NULL);
}

int gpiod_line_request_bulk_output_flags(struct gpiod_line_bulk *bulk,
					 const char *consumer, int flags,
					 const int *default_vals)
{
	return request_many(bulk, consumer, GPIOD_LINE_REQUEST_DIRECTION_OUTPUT,
			    flags, default_vals);
}

/* Edge events are not modelled. */
int gpiod_line_request_rising_edge_events(struct gpiod_line *line,
					  const char *consumer)
{
	(void)line;
	(void)consumer;
	return fail(ENOTSUP);
}

int gpiod_line_request_falling_edge_events(struct gpiod_line *line,
					   const char *consumer)
{
	(void)line;
	(void)consumer;
	return fail(ENOTSUP);
}

int gpiod_line_request_both_edges_events(struct gpiod_line *line,
					 const char *consumer)
{
	(void)line;
	(void)consumer;
	return fail(ENOTSUP);
}

int gpiod_line_request_rising_edge_events_flags(struct gpiod_line *line,
						const char *consumer, int flags)
{
	(void)line;
	(void)consumer;
	(void)flags;
	return fail(ENOTSUP);
}

int gpiod_line_request_falling_edge_events_flags(struct gpiod_line *line,
						 const char *consumer,
						 int flags)
{
	(void)line;
	(void)consumer;
	(void)flags;
	return fail(ENOTSUP);
}

int gpiod_line_request_both_edges_events_flags(struct gpiod_line *line,
					       const char *consumer, int flags)
{
	(void)line;
	(void)consumer;
	(void)flags;
	return fail(ENOTSUP);
}

int gpiod_line_request_bulk_rising_edge_events(struct gpiod_line_bulk *bulk,
					       const char *consumer)
{
	(void)bulk;
	(void)consumer;
	return fail(ENOTSUP);
}

int gpiod_line_request_bulk_falling_edge_events(struct gpiod_line_bulk *bulk,
						const char *consumer)
{
	(void)bulk;
	(void)consumer;
	return fail(ENOTSUP);
}

int gpiod_line_request_bulk_both_edges_events(struct gpiod_line_bulk *bulk,
					      const char *consumer)
{
	(void)bulk;
	(void)consumer;
	return fail(ENOTSUP);
}

int gpiod_line_request_bulk_rising_edge_events_flags(
	struct gpiod_line_bulk *bulk, const char *consumer, int flags)
{
	(void)bulk;
	(void)consumer;
	(void)flags;
	return fail(ENOTSUP);
}

int gpiod_line_request_bulk_falling_edge_events_flags(
	struct gpiod_line_bulk *bulk, const char *consumer, int flags)
{
	(void)bulk;
	(void)consumer;
	(void)flags;
	return fail(ENOTSUP);
}

int gpiod_line_request_bulk_both_edges_events_flags(
	struct gpiod_line_bulk *bulk, const char *consumer, int flags)
{
	(void)bulk;
	(void)consumer;
	(void)flags;
	return fail(ENOTSUP);
}

void gpiod_line_release_bulk(struct gpiod_line_bulk *bulk)
{
	struct gpiod_line_bulk mine = GPIOD_LINE_BULK_INITIALIZER;

	if (!bulk || !S.vb)
		return;
	/* the pin controller makes a freed line an input again */
	for (unsigned int i = 0; i < bulk->num_lines; i++) {
		struct gpiod_line *line = bulk->lines[i];

		if (!line || !line->requested)
			continue;
		memset(&S.kl[line->offset], 0, sizeof(struct kline));
		line->requested = false;
		gpiod_line_bulk_add(&mine, line);
	}
	if (!mine.num_lines)
		return;
	apply_bulk(&mine, false);
	for (unsigned int i = 0; i < mine.num_lines; i++)
		line_info(mine.lines[i]);
}

void gpiod_line_release(struct gpiod_line *line)
{
	struct gpiod_line_bulk bulk = GPIOD_LINE_BULK_INITIALIZER;

	if (!line)
		return;
	gpiod_line_bulk_add(&bulk, line);
	gpiod_line_release_bulk(&bulk);
}

bool gpiod_line_is_requested(struct gpiod_line *line)
{
	return line && line->requested;
}

bool gpiod_line_is_free(struct gpiod_line *line)
{
	return line && !line->requested;
}

/* Values ----------------------------------------------------------------- */

int gpiod_line_get_value_bulk(struct gpiod_line_bulk *bulk, int *values)
{
	if (!values)
		return fail(EINVAL);
	if (all_requested(bulk))
		return -1;
	for (unsigned int i = 0; i < bulk->num_lines; i++) {
		unsigned int off = bulk->lines[i]->offset;
		int low = !!(S.kl[off].flags &
			     GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW);

		values[i] = read_level(off) ^ low;
	}
	return 0;
}

int gpiod_line_get_value(struct gpiod_line *line)
{
	struct gpiod_line_bulk bulk = GPIOD_LINE_BULK_INITIALIZER;
	int value;

	if (!line)
		return fail(EINVAL);
	gpiod_line_bulk_add(&bulk, line);
	if (gpiod_line_get_value_bulk(&bulk, &value))
		return -1;
	return value;
}

int gpiod_line_set_value_bulk(struct gpiod_line_bulk *bulk, const int *values)
{
	if (all_requested(bulk))
		return -1;
	for (unsigned int i = 0; i < bulk->num_lines; i++)
		if (!S.kl[bulk->lines[i]->offset].output)
			return fail(EPERM);
	for (unsigned int i = 0; i < bulk->num_lines; i++) {
		struct kline *k = &S.kl[bulk->lines[i]->offset];
		int low = !!(k->flags & GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW);

		k->value = (values && values[i] ? 1 : 0) ^ low;
	}
	apply_bulk(bulk, true);
	return 0;
}

int gpiod_line_set_value(struct gpiod_line *line, int value)
{
	struct gpiod_line_bulk bulk = GPIOD_LINE_BULK_INITIALIZER;

	if (!line)
		return fail(EINVAL);
	gpiod_line_bulk_add(&bulk, line);
	return gpiod_line_set_value_bulk(&bulk, &value);
}

/* Reconfiguring requested lines (libgpiod >= 1.5) ------------------------ */

int gpiod_line_set_config_bulk(struct gpiod_line_bulk *bulk, int direction,
			       int flags, const int *values)
{
	if (all_requested(bulk))
		return -1;
	if (!is_direction(direction) || check_flags(direction, flags))
		return fail(EINVAL);
	configure(bulk, direction, flags, values);
	return 0;
}

int gpiod_line_set_config(struct gpiod_line *line, int direction, int flags,
			  int value)
{
	struct gpiod_line_bulk bulk = GPIOD_LINE_BULK_INITIALIZER;

	if (!line)
		return fail(EINVAL);
	gpiod_line_bulk_add(&bulk, line);
	return gpiod_line_set_config_bulk(&bulk, direction, flags, &value);
}

/* New flags, same direction; an output keeps its logical value. */
int gpiod_line_set_flags_bulk(struct gpiod_line_bulk *bulk, int flags)
{
	int values[GPIOD_LINE_BULK_MAX_LINES];
	bool output;

	if (all_requested(bulk))
		return -1;
	output = S.kl[bulk->lines[0]->offset].output;
	for (unsigned int i = 0; i < bulk->num_lines; i++) {
		const struct kline *k = &S.kl[bulk->lines[i]->offset];

		values[i] = k->value ^
			    !!(k->flags & GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW);
	}
	return gpiod_line_set_config_bulk(
		bulk,
		output ? GPIOD_LINE_REQUEST_DIRECTION_OUTPUT
		       : GPIOD_LINE_REQUEST_DIRECTION_INPUT,
		flags, values);
}

int gpiod_line_set_flags(struct gpiod_line *line, int flags)
{
	struct gpiod_line_bulk bulk = GPIOD_LINE_BULK_INITIALIZER;

	if (!line)
		return fail(EINVAL);
	gpiod_line_bulk_add(&bulk, line);
	return gpiod_line_set_flags_bulk(&bulk, flags);
}

int gpiod_line_set_direction_input_bulk(struct gpiod_line_bulk *bulk)
{
	if (all_requested(bulk))
		return -1;
	/* with its flags: an open drain cannot be an input (EINVAL) */
	return gpiod_line_set_config_bulk(
		bulk, GPIOD_LINE_REQUEST_DIRECTION_INPUT,
		S.kl[bulk->lines[0]->offset].flags, NULL);
}

int gpiod_line_set_direction_input(struct gpiod_line *line)
{
	struct gpiod_line_bulk bulk = GPIOD_LINE_BULK_INITIALIZER;

	if (!line)
		return fail(EINVAL);
	gpiod_line_bulk_add(&bulk, line);
	return gpiod_line_set_direction_input_bulk(&bulk);
}

int gpiod_line_set_direction_output_bulk(struct gpiod_line_bulk *bulk,
					 const int *values)
{
	if (all_requested(bulk))
		return -1;
	return gpiod_line_set_config_bulk(
		bulk, GPIOD_LINE_REQUEST_DIRECTION_OUTPUT,
		S.kl[bulk->lines[0]->offset].flags, values);
}

int gpiod_line_set_direction_output(struct gpiod_line *line, int value)
{
	struct gpiod_line_bulk bulk = GPIOD_LINE_BULK_INITIALIZER;

	if (!line)
		return fail(EINVAL);
	gpiod_line_bulk_add(&bulk, line);
	return gpiod_line_set_direction_output_bulk(&bulk, &value);
}

/* Events: not modelled --------------------------------------------------- */

int gpiod_line_event_wait(struct gpiod_line *line,
			  const struct timespec *timeout)
{
	(void)line;
	(void)timeout;
	return fail(ENOTSUP);
}

int gpiod_line_event_wait_bulk(struct gpiod_line_bulk *bulk,
			       const struct timespec *timeout,
			       struct gpiod_line_bulk *event_bulk)
{
	(void)bulk;
	(void)timeout;
	(void)event_bulk;
	return fail(ENOTSUP);
}

int gpiod_line_event_read(struct gpiod_line *line,
			  struct gpiod_line_event *event)
{
	(void)line;
	(void)event;
	return fail(ENOTSUP);
}

int gpiod_line_event_read_multiple(struct gpiod_line *line,
				   struct gpiod_line_event *events,
				   unsigned int num_events)
{
	(void)line;
	(void)events;
	(void)num_events;
	return fail(ENOTSUP);
}

int gpiod_line_event_get_fd(struct gpiod_line *line)
{
	(void)line;
	return fail(ENOTSUP);
}

int gpiod_line_event_read_fd(int fd, struct gpiod_line_event *event)
{
	(void)fd;
	(void)event;
	return fail(ENOTSUP);
}

int gpiod_line_event_read_fd_multiple(int fd, struct gpiod_line_event *events,
				      unsigned int num_events)
{
	(void)fd;
	(void)events;
	(void)num_events;
	return fail(ENOTSUP);
}

/* Lookups and iterators -------------------------------------------------- */

struct gpiod_line *gpiod_line_get(const char *device, unsigned int offset)
{
	struct gpiod_chip *chip = gpiod_chip_open_lookup(device);
	struct gpiod_line *line;

	if (!chip)
		return NULL;
	line = gpiod_chip_get_line(chip, offset);
	if (!line) {
		gpiod_chip_close(chip);
		errno = EINVAL;
	}
	return line;
}

struct gpiod_line *gpiod_line_find(const char *name)
{
	struct gpiod_chip *chip;
	struct gpiod_line *line;

	if (!name) {
		errno = EINVAL;
		return NULL;
	}
	if (offset_of_name(name) < 0) {
		errno = ENOENT;
		return NULL;
	}
	chip = gpiod_chip_open(VB_CHIP_PATH);
	if (!chip)
		return NULL;
	line = gpiod_chip_find_line(chip, name);
	if (!line)
		gpiod_chip_close(chip);
	return line;
}

void gpiod_line_close_chip(struct gpiod_line *line)
{
	gpiod_chip_close(line->chip);
}

struct gpiod_chip_iter *gpiod_chip_iter_new(void)
{
	struct gpiod_chip_iter *iter = calloc(1, sizeof(*iter));

	if (!iter) {
		errno = ENOMEM;
		return NULL;
	}
	iter->chip[0] = gpiod_chip_open(VB_CHIP_PATH);
	if (!iter->chip[0]) {
		free(iter);
		return NULL;
	}
	iter->n = 1;
	return iter;
}

/* Close the chips not handed out yet. */
void gpiod_chip_iter_free_noclose(struct gpiod_chip_iter *iter)
{
	if (!iter)
		return;
	for (unsigned int i = iter->next; i < iter->n; i++)
		gpiod_chip_close(iter->chip[i]);
	free(iter);
}

/* Also close the chip handed out last, if still open. */
void gpiod_chip_iter_free(struct gpiod_chip_iter *iter)
{
	if (!iter)
		return;
	if (iter->next && iter->chip[iter->next - 1])
		gpiod_chip_close(iter->chip[iter->next - 1]);
	gpiod_chip_iter_free_noclose(iter);
}

struct gpiod_chip *gpiod_chip_iter_next_noclose(struct gpiod_chip_iter *iter)
{
	return iter->next < iter->n ? iter->chip[iter->next++] : NULL;
}

struct gpiod_chip *gpiod_chip_iter_next(struct gpiod_chip_iter *iter)
{
	if (iter->next && iter->chip[iter->next - 1]) {
		gpiod_chip_close(iter->chip[iter->next - 1]);
		iter->chip[iter->next - 1] = NULL;
	}
	return gpiod_chip_iter_next_noclose(iter);
}

struct gpiod_line_iter *gpiod_line_iter_new(struct gpiod_chip *chip)
{
	struct gpiod_line_iter *iter;

	if (!chip) {
		errno = EINVAL;
		return NULL;
	}
	iter = calloc(1, sizeof(*iter));
	if (!iter) {
		errno = ENOMEM;
		return NULL;
	}
	iter->chip = chip;
	for (unsigned int i = 0; i < VB_NLINES; i++)
		line_info(&chip->line[i]);
	return iter;
}

void gpiod_line_iter_free(struct gpiod_line_iter *iter)
{
	free(iter);
}

struct gpiod_line *gpiod_line_iter_next(struct gpiod_line_iter *iter)
{
	return iter->next < VB_NLINES ? &iter->chip->line[iter->next++] : NULL;
}

/* Context-less helpers --------------------------------------------------- */

static int ctxless_flags(int cflags, bool active_low)
{
	int flags = active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;

	if (cflags & GPIOD_CTXLESS_FLAG_OPEN_DRAIN)
		flags |= GPIOD_LINE_REQUEST_FLAG_OPEN_DRAIN;
	if (cflags & GPIOD_CTXLESS_FLAG_OPEN_SOURCE)
		flags |= GPIOD_LINE_REQUEST_FLAG_OPEN_SOURCE;
	if (cflags & GPIOD_CTXLESS_FLAG_BIAS_DISABLE)
		flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE;
	if (cflags & GPIOD_CTXLESS_FLAG_BIAS_PULL_DOWN)
		flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN;
	if (cflags & GPIOD_CTXLESS_FLAG_BIAS_PULL_UP)
		flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP;
	return flags;
}

/* Open device, request the lines, do the thing, release, close. */
static int ctxless(const char *device, const unsigned int *offsets,
		   unsigned int num_lines, int type, int flags,
		   const char *consumer, int *get, const int *set,
		   gpiod_ctxless_set_value_cb cb, void *data)
{
	struct gpiod_line_bulk bulk;
	struct gpiod_chip *chip;
	int ret, err;

	if (!device || !offsets || !num_lines ||
	    num_lines > GPIOD_LINE_BULK_MAX_LINES)
		return fail(EINVAL);
	chip = gpiod_chip_open_lookup(device);
	if (!chip)
		return -1;
	ret = gpiod_chip_get_lines(chip, (unsigned int *)offsets, num_lines,
				   &bulk);
	if (!ret)
		ret = request_many(&bulk, consumer, type, flags, set);
	if (!ret && get)
		ret = gpiod_line_get_value_bulk(&bulk, get);
	if (!ret && cb)
		cb(data);
	err = errno;
	gpiod_chip_close(chip);
	errno = err;
	return ret;
}

int gpiod_ctxless_get_value_multiple_ext(const char *device,
					 const unsigned int *offsets,
					 int *values, unsigned int num_lines,
					 bool active_low, const char *consumer,
					 int flags)
{
	if (!values)
		return fail(EINVAL);
	return ctxless(device, offsets, num_lines,
		       GPIOD_LINE_REQUEST_DIRECTION_INPUT,
		       ctxless_flags(flags, active_low), consumer, values, NULL,
		       NULL, NULL);
}

int gpiod_ctxless_get_value_multiple(const char *device,
				     const unsigned int *offsets, int *values,
				     unsigned int num_lines, bool active_low,
				     const char *consumer)
{
	return gpiod_ctxless_get_value_multiple_ext(
		device, offsets, values, num_lines, active_low, consumer, 0);
}

int gpiod_ctxless_get_value_ext(const char *device, unsigned int offset,
				bool active_low, const char *consumer,
				int flags)
{
	int value, ret;

	ret = gpiod_ctxless_get_value_multiple_ext(device, &offset, &value, 1,
						   active_low, consumer, flags);
	return ret ? ret : value;
}

int gpiod_ctxless_get_value(const char *device, unsigned int offset,
			    bool active_low, const char *consumer)
{
	return gpiod_ctxless_get_value_ext(device, offset, active_low, consumer,
					   0);
}

int gpiod_ctxless_set_value_multiple_ext(
	const char *device, const unsigned int *offsets, const int *values,
	unsigned int num_lines, bool active_low, const char *consumer,
	gpiod_ctxless_set_value_cb cb, void *data, int flags)
{
	if (!values)
		return fail(EINVAL);
	return ctxless(device, offsets, num_lines,
		       GPIOD_LINE_REQUEST_DIRECTION_OUTPUT,
		       ctxless_flags(flags, active_low), consumer, NULL, values,
		       cb, data);
}

int gpiod_ctxless_set_value_multiple(const char *device,
				     const unsigned int *offsets,
				     const int *values, unsigned int num_lines,
				     bool active_low, const char *consumer,
				     gpiod_ctxless_set_value_cb cb, void *data)
{
	return gpiod_ctxless_set_value_multiple_ext(device, offsets, values,
						    num_lines, active_low,
						    consumer, cb, data, 0);
}

int gpiod_ctxless_set_value_ext(const char *device, unsigned int offset,
				int value, bool active_low,
				const char *consumer,
				gpiod_ctxless_set_value_cb cb, void *data,
				int flags)
{
	return gpiod_ctxless_set_value_multiple_ext(device, &offset, &value, 1,
						    active_low, consumer, cb,
						    data, flags);
}

int gpiod_ctxless_set_value(const char *device, unsigned int offset, int value,
			    bool active_low, const char *consumer,
			    gpiod_ctxless_set_value_cb cb, void *data)
{
	return gpiod_ctxless_set_value_ext(device, offset, value, active_low,
					   consumer, cb, data, 0);
}

int gpiod_ctxless_find_line(const char *name, char *chipname,
			    size_t chipname_size, unsigned int *offset)
{
	int off = offset_of_name(name);

	if (!name || !chipname || !offset)
		return fail(EINVAL);
	if (off < 0)
		return 0;
	snprintf(chipname, chipname_size, "%s", VB_CHIP_NAME);
	*offset = (unsigned int)off;
	return 1;
}

int gpiod_ctxless_event_loop(const char *device, unsigned int offset,
			     bool active_low, const char *consumer,
			     const struct timespec *timeout,
			     gpiod_ctxless_event_poll_cb poll_cb,
			     gpiod_ctxless_event_handle_cb event_cb, void *data)
{
	(void)device;
	(void)offset;
	(void)active_low;
	(void)consumer;
	(void)timeout;
	(void)poll_cb;
	(void)event_cb;
	(void)data;
	return fail(ENOTSUP);
}

int gpiod_ctxless_event_loop_multiple(
	const char *device, const unsigned int *offsets, unsigned int num_lines,
	bool active_low, const char *consumer, const struct timespec *timeout,
	gpiod_ctxless_event_poll_cb poll_cb,
	gpiod_ctxless_event_handle_cb event_cb, void *data)
{
	(void)device;
	(void)offsets;
	(void)num_lines;
	(void)active_low;
	(void)consumer;
	(void)timeout;
	(void)poll_cb;
	(void)event_cb;
	(void)data;
	return fail(ENOTSUP);
}

int gpiod_ctxless_event_monitor(const char *device, int event_type,
				unsigned int offset, bool active_low,
				const char *consumer,
				const struct timespec *timeout,
				gpiod_ctxless_event_poll_cb poll_cb,
				gpiod_ctxless_event_handle_cb event_cb,
				void *data)
{
	return gpiod_ctxless_event_monitor_ext(device, event_type, offset,
					       active_low, consumer, timeout,
					       poll_cb, event_cb, data, 0);
}

int gpiod_ctxless_event_monitor_ext(const char *device, int event_type,
				    unsigned int offset, bool active_low,
				    const char *consumer,
				    const struct timespec *timeout,
				    gpiod_ctxless_event_poll_cb poll_cb,
				    gpiod_ctxless_event_handle_cb event_cb,
				    void *data, int flags)
{
	return gpiod_ctxless_event_monitor_multiple_ext(
		device, event_type, &offset, 1, active_low, consumer, timeout,
		poll_cb, event_cb, data, flags);
}

int gpiod_ctxless_event_monitor_multiple(
	const char *device, int event_type, const unsigned int *offsets,
	unsigned int num_lines, bool active_low, const char *consumer,
	const struct timespec *timeout, gpiod_ctxless_event_poll_cb poll_cb,
	gpiod_ctxless_event_handle_cb event_cb, void *data)
{
	return gpiod_ctxless_event_monitor_multiple_ext(
		device, event_type, offsets, num_lines, active_low, consumer,
		timeout, poll_cb, event_cb, data, 0);
}

int gpiod_ctxless_event_monitor_multiple_ext(
	const char *device, int event_type, const unsigned int *offsets,
	unsigned int num_lines, bool active_low, const char *consumer,
	const struct timespec *timeout, gpiod_ctxless_event_poll_cb poll_cb,
	gpiod_ctxless_event_handle_cb event_cb, void *data, int flags)
{
	(void)device;
	(void)event_type;
	(void)offsets;
	(void)num_lines;
	(void)active_low;
	(void)consumer;
	(void)timeout;
	(void)poll_cb;
	(void)event_cb;
	(void)data;
	(void)flags;
	return fail(ENOTSUP);
}

const char *gpiod_version_string(void)
{
	return "1.6.3";
}
