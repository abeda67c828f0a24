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
 *
 * This file: chips, iterators, line info and lookups. The rest is in
 * vb_gpiod_req.c, vb_gpiod_ctxless.c and vb_gpiod_session.c
 * (vb_gpiod_priv.h).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vb_gpiod_priv.h"

struct gpiod_chip_iter {
	struct gpiod_chip *chip[1];
	unsigned int n, next;
};

struct gpiod_line_iter {
	struct gpiod_chip *chip;
	unsigned int next;
};

/* A handle's line info, from the "kernel" -------------------------------- */

void vb_gpiod_line_info(struct gpiod_line *line)
{
	const struct kline *k = &vb_gs.kl[line->offset];

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

	if (!vb_gs.vb && vb_gpiod_session_start())
		return NULL;
	chip = calloc(1, sizeof(*chip));
	if (!chip) {
		if (!vb_gs.nchips)
			vb_gpiod_session_end();
		errno = ENOMEM;
		return NULL;
	}
	for (unsigned int i = 0; i < VB_NLINES; i++) {
		chip->line[i].chip = chip;
		chip->line[i].offset = i;
		vb_gpiod_line_info(&chip->line[i]);
	}
	vb_gs.nchips++;
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
	if (vb_gs.vb)
		return vb_gs.label;
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
	if (vb_gs.nchips && !--vb_gs.nchips)
		vb_gpiod_session_end();
}

const char *gpiod_chip_name(struct gpiod_chip *chip)
{
	(void)chip;
	return VB_CHIP_NAME;
}

const char *gpiod_chip_label(struct gpiod_chip *chip)
{
	(void)chip;
	return vb_gs.label;
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
	vb_gpiod_line_info(&chip->line[offset]);
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
int vb_gpiod_offset_of_name(const char *name)
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
	int off = vb_gpiod_offset_of_name(name);

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
	vb_gpiod_line_info(line);
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
	if (vb_gpiod_offset_of_name(name) < 0) {
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
		vb_gpiod_line_info(&chip->line[i]);
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

const char *gpiod_version_string(void)
{
	return "1.6.3";
}
