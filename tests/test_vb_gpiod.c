// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The stand-in libgpiod (tests/vboard/vb_gpiod.c), linked here in place of
 * the real one: the libgpiod 1.6 API with the kernel's rules (exclusive
 * requests, open drain, bias, reconfiguration, errno), the wiring a profile
 * gives, the session, the VCD trace; and the built libgpiod.so.2 itself
 * (its exports and SONAME).
 */
#include <dlfcn.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <gpiod.h>

#include "cli_util.h"
#include "vb.h"

/* BCM GPIO numbers of boards/bluepill.conf's wiring */
#define L_SWCLK 11
#define L_SWDIO 25
#define L_NRST	24
#define L_BOOT0 23
#define L_FREE	5 /* nothing on it */

static char srcdir[4096];
static char tmp_dir[] = "/tmp/ub-test-vb-gpiod-XXXXXX";
static char path_buf[4200];

static const char *tmp_path(const char *name)
{
	snprintf(path_buf, sizeof(path_buf), "%s/%s", tmp_dir, name);
	return path_buf;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static int setup(void **state)
{
	const char *src = getenv("UNBRICK_SRCDIR");
	char boards[4200];

	(void)state;
	if (!getcwd(srcdir, sizeof(srcdir)))
		return -1;
	if (src)
		snprintf(srcdir, sizeof(srcdir), "%s", src);
	if (!getenv("UNBRICK_BOARDS")) {
		snprintf(boards, sizeof(boards), "%s/boards", srcdir);
		setenv("UNBRICK_BOARDS", boards, 1);
	}
	return mkdtemp(tmp_dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[4200];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
	return system(cmd) ? -1 : 0;
}

/* Each test starts with a Blue Pill, no state, no report, no trace. */
static int env_reset(void **state)
{
	(void)state;
	setenv("UB_VBOARD_BOARD", "bluepill", 1);
	unsetenv("UB_VBOARD_STATE");
	/* modelled time from the wire alone, however loaded the machine */
	setenv("UB_VBOARD_SETTINGS", "host_idle=0", 1);
	unsetenv("UB_VBOARD_REPORT");
	unsetenv("UB_VBOARD_VCD");
	return 0;
}

static int no_session(void **state)
{
	(void)state;
	return vb_gpiod_board() ? -1 : 0;
}

static struct gpiod_chip *open0(void)
{
	struct gpiod_chip *chip = gpiod_chip_open_by_number(0);

	assert_non_null(chip);
	return chip;
}

static void chip_open_ways(void **state)
{
	struct gpiod_chip *chip;

	(void)state;
	chip = gpiod_chip_open("/dev/gpiochip0");
	assert_non_null(chip);
	assert_string_equal(gpiod_chip_name(chip), "gpiochip0");
	assert_string_equal(gpiod_chip_label(chip), "pinctrl-bcm2711");
	assert_int_equal(gpiod_chip_num_lines(chip), 54);
	gpiod_chip_close(chip);
	assert_null(vb_gpiod_board());

	const char *ok[] = {"0", "gpiochip0", "/dev/gpiochip0",
			    "pinctrl-bcm2711"};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		chip = gpiod_chip_open_lookup(ok[i]);
		assert_non_null(chip);
		gpiod_chip_close(chip);
	}
	chip = gpiod_chip_open_by_name("gpiochip0");
	assert_non_null(chip);
	gpiod_chip_close(chip);
	chip = gpiod_chip_open_by_label("pinctrl-bcm2711");
	assert_non_null(chip);
	gpiod_chip_close(chip);

	errno = 0;
	assert_null(gpiod_chip_open_by_number(1));
	assert_int_equal(errno, ENOENT);
	assert_null(gpiod_chip_open_by_name("gpiochip4"));
	assert_int_equal(errno, ENOENT);
	assert_null(gpiod_chip_open_by_label("pinctrl-rp1"));
	assert_int_equal(errno, ENOENT);
	assert_null(gpiod_chip_open("/dev/null"));
	assert_int_equal(errno, ENOTTY);
	assert_null(gpiod_chip_open("/nonexistent/gpiochip0"));
	assert_int_equal(errno, ENOENT);
	assert_null(gpiod_chip_open_lookup("7"));
	assert_int_equal(errno, ENOENT);
	assert_null(vb_gpiod_board());
	assert_string_equal(gpiod_version_string(), "1.6.3");
}

static void pi5_label(void **state)
{
	struct gpiod_chip *chip;

	(void)state;
	setenv("UB_VBOARD_SETTINGS", "pi=5", 1);
	chip = gpiod_chip_open_by_label("pinctrl-rp1");
	assert_non_null(chip);
	assert_string_equal(gpiod_chip_label(chip), "pinctrl-rp1");
	gpiod_chip_close(chip);
	setenv("UB_VBOARD_SETTINGS", "pi=3", 1);
	assert_null(gpiod_chip_open_by_number(0));
	assert_int_equal(errno, EINVAL);
}

static void handles_share_one_board(void **state)
{
	struct gpiod_chip *a = open0(), *b = open0();
	struct vb *vb = vb_gpiod_board();

	(void)state;
	assert_non_null(vb);
	gpiod_chip_close(a);
	assert_ptr_equal(vb_gpiod_board(), vb);
	gpiod_chip_close(b);
	assert_null(vb_gpiod_board());
}

static void iterators_and_names(void **state)
{
	struct gpiod_chip_iter *it;
	struct gpiod_line_iter *lit;
	struct gpiod_chip *chip;
	struct gpiod_line *line;
	struct gpiod_line_bulk bulk;
	const char *names[] = {"GPIO25", "GPIO11", NULL};
	const char *bad[] = {"GPIO25", "SPI_SCLK", NULL};
	unsigned int n = 0, off = 99;
	char name[16], cname[32];

	(void)state;
	it = gpiod_chip_iter_new();
	assert_non_null(it);
	gpiod_foreach_chip(it, chip)
	{
		assert_string_equal(gpiod_chip_name(chip), "gpiochip0");
		lit = gpiod_line_iter_new(chip);
		assert_non_null(lit);
		gpiod_foreach_line(lit, line)
		{
			snprintf(name, sizeof(name), "GPIO%u", n);
			assert_string_equal(gpiod_line_name(line), name);
			assert_int_equal(gpiod_line_offset(line), n);
			assert_ptr_equal(gpiod_line_get_chip(line), chip);
			n++;
		}
		gpiod_line_iter_free(lit);
	}
	gpiod_chip_iter_free(it);
	assert_int_equal(n, 54);
	assert_null(vb_gpiod_board());

	chip = open0();
	line = gpiod_chip_find_line(chip, "GPIO24");
	assert_non_null(line);
	assert_int_equal(gpiod_line_offset(line), 24);
	assert_null(gpiod_chip_find_line(chip, "GPIO54"));
	assert_int_equal(errno, ENOENT);
	assert_null(gpiod_chip_find_line(chip, "GPIO07"));
	assert_int_equal(gpiod_chip_find_lines(chip, names, &bulk), 0);
	assert_int_equal(bulk.num_lines, 2);
	assert_int_equal(gpiod_line_offset(bulk.lines[1]), 11);
	assert_int_equal(gpiod_chip_find_lines(chip, bad, &bulk), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(gpiod_chip_get_all_lines(chip, &bulk), 0);
	assert_int_equal(bulk.num_lines, 54);
	assert_null(gpiod_chip_get_line(chip, 54));
	assert_int_equal(errno, EINVAL);
	gpiod_chip_close(chip);

	line = gpiod_line_find("GPIO11");
	assert_non_null(line);
	assert_non_null(vb_gpiod_board());
	gpiod_line_close_chip(line);
	assert_null(vb_gpiod_board());
	assert_null(gpiod_line_find("NOPE"));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(
		gpiod_ctxless_find_line("GPIO23", cname, sizeof(cname), &off),
		1);
	assert_string_equal(cname, "gpiochip0");
	assert_int_equal(off, 23);
	assert_int_equal(
		gpiod_ctxless_find_line("X", cname, sizeof(cname), &off), 0);
	line = gpiod_line_get("gpiochip0", 3);
	assert_non_null(line);
	gpiod_line_close_chip(line);
	assert_null(vb_gpiod_board());
}

static void request_is_exclusive(void **state)
{
	struct gpiod_chip *a = open0(), *b = open0();
	struct gpiod_line *la = gpiod_chip_get_line(a, L_NRST);
	struct gpiod_line *lb = gpiod_chip_get_line(b, L_NRST);

	(void)state;
	assert_false(gpiod_line_is_used(lb));
	assert_null(gpiod_line_consumer(lb));
	assert_int_equal(gpiod_line_request_output(la, "unbrick", 1), 0);
	assert_true(gpiod_line_is_requested(la));
	assert_false(gpiod_line_is_free(la));
	assert_true(gpiod_line_is_used(la));
	assert_string_equal(gpiod_line_consumer(la), "unbrick");

	/* the other holder sees it after re-reading the line info */
	assert_false(gpiod_line_is_used(lb));
	assert_int_equal(gpiod_line_update(lb), 0);
	assert_true(gpiod_line_is_used(lb));
	assert_string_equal(gpiod_line_consumer(lb), "unbrick");
	assert_int_equal(gpiod_line_direction(lb), GPIOD_LINE_DIRECTION_OUTPUT);
	assert_false(gpiod_line_is_requested(lb));

	errno = 0;
	assert_int_equal(gpiod_line_request_input(lb, "openocd"), -1);
	assert_int_equal(errno, EBUSY);
	errno = 0;
	assert_int_equal(gpiod_line_request_input(la, "again"), -1);
	assert_int_equal(errno, EBUSY);

	gpiod_line_release(la);
	assert_false(gpiod_line_is_requested(la));
	assert_non_null(gpiod_chip_get_line(b, L_NRST)); /* re-reads */
	assert_false(gpiod_line_is_used(lb));
	assert_null(gpiod_line_consumer(lb));
	assert_int_equal(gpiod_line_direction(lb), GPIOD_LINE_DIRECTION_INPUT);
	assert_int_equal(gpiod_line_request_input(lb, NULL), 0);
	assert_int_equal(gpiod_line_update(la), 0);
	assert_string_equal(gpiod_line_consumer(la), "?");

	/* a long consumer is cut to the kernel's 31 characters */
	gpiod_line_release(lb);
	assert_int_equal(
		gpiod_line_request_input(
			lb, "a-consumer-name-longer-than-the-kernel-keeps"),
		0);
	assert_int_equal(strlen(gpiod_line_consumer(lb)), 31);
	gpiod_chip_close(a);
	gpiod_chip_close(b);
}

static void values_need_a_request(void **state)
{
	struct gpiod_chip *chip = open0();
	struct gpiod_line *line = gpiod_chip_get_line(chip, L_FREE);

	(void)state;
	errno = 0;
	assert_int_equal(gpiod_line_set_value(line, 1), -1);
	assert_int_equal(errno, EPERM);
	errno = 0;
	assert_int_equal(gpiod_line_get_value(line), -1);
	assert_int_equal(errno, EPERM);
	errno = 0;
	assert_int_equal(
		gpiod_line_set_config(line, GPIOD_LINE_REQUEST_DIRECTION_OUTPUT,
				      0, 1),
		-1);
	assert_int_equal(errno, EPERM);

	/* an input takes no value */
	assert_int_equal(gpiod_line_request_input(line, "t"), 0);
	errno = 0;
	assert_int_equal(gpiod_line_set_value(line, 1), -1);
	assert_int_equal(errno, EPERM);
	assert_int_equal(gpiod_line_get_value(line), 0);
	gpiod_line_release(line);

	/* an output reads back what it drives */
	assert_int_equal(gpiod_line_request_output(line, "t", 7), 0);
	assert_int_equal(gpiod_line_get_value(line), 1);
	assert_int_equal(gpiod_line_set_value(line, 0), 0);
	assert_int_equal(gpiod_line_get_value(line), 0);
	gpiod_chip_close(chip);
}

static void flags_are_checked(void **state)
{
	struct gpiod_chip *chip = open0();
	struct gpiod_line *line = gpiod_chip_get_line(chip, L_FREE);
	struct gpiod_line_request_config c = {"t", 0, 0};
	const struct {
		int type, flags, err;
	} bad[] = {
		{GPIOD_LINE_REQUEST_DIRECTION_INPUT,
		 GPIOD_LINE_REQUEST_FLAG_OPEN_DRAIN, EINVAL},
		{GPIOD_LINE_REQUEST_DIRECTION_OUTPUT,
		 GPIOD_LINE_REQUEST_FLAG_OPEN_DRAIN |
			 GPIOD_LINE_REQUEST_FLAG_OPEN_SOURCE,
		 EINVAL},
		{GPIOD_LINE_REQUEST_DIRECTION_INPUT,
		 GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP |
			 GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN,
		 EINVAL},
		{GPIOD_LINE_REQUEST_DIRECTION_AS_IS,
		 GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP, EINVAL},
		{GPIOD_LINE_REQUEST_DIRECTION_INPUT, 1 << 9, EINVAL},
		{0, 0, EINVAL},
		{GPIOD_LINE_REQUEST_EVENT_BOTH_EDGES, 0, ENOTSUP},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c.request_type = bad[i].type;
		c.flags = bad[i].flags;
		errno = 0;
		assert_int_equal(gpiod_line_request(line, &c, 0), -1);
		assert_int_equal(errno, bad[i].err);
		assert_false(gpiod_line_is_requested(line));
	}
	assert_int_equal(gpiod_line_request_both_edges_events(line, "t"), -1);
	assert_int_equal(errno, ENOTSUP);
	assert_int_equal(gpiod_line_event_get_fd(line), -1);
	gpiod_chip_close(chip);
}

static void bias_on_an_open_line(void **state)
{
	struct gpiod_chip *chip = open0();
	struct gpiod_line *line = gpiod_chip_get_line(chip, L_FREE);

	(void)state;
	assert_int_equal(gpiod_line_bias(line), GPIOD_LINE_BIAS_AS_IS);
	assert_int_equal(
		gpiod_line_request_input_flags(
			line, "t", GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP),
		0);
	assert_int_equal(gpiod_line_bias(line), GPIOD_LINE_BIAS_PULL_UP);
	assert_int_equal(gpiod_line_get_value(line), 1);
	assert_int_equal(gpiod_line_set_flags(
				 line, GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN),
			 0);
	assert_int_equal(gpiod_line_bias(line), GPIOD_LINE_BIAS_PULL_DOWN);
	assert_int_equal(gpiod_line_get_value(line), 0);
	assert_int_equal(
		gpiod_line_set_flags(
			line, GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN |
				      GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW),
		0);
	assert_int_equal(gpiod_line_active_state(line),
			 GPIOD_LINE_ACTIVE_STATE_LOW);
	assert_int_equal(gpiod_line_get_value(line), 1);
	assert_int_equal(gpiod_line_set_flags(
				 line, GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE),
			 0);
	assert_int_equal(gpiod_line_bias(line), GPIOD_LINE_BIAS_DISABLE);
	gpiod_line_release(line);
	assert_int_equal(gpiod_line_bias(line), GPIOD_LINE_BIAS_AS_IS);
	assert_int_equal(gpiod_line_active_state(line),
			 GPIOD_LINE_ACTIVE_STATE_HIGH);
	gpiod_chip_close(chip);
}

/* OpenOCD's srst: active low, open drain; 0 releases, 1 pulls NRST down. */
static void open_drain_reset(void **state)
{
	struct gpiod_chip *chip = open0();
	struct gpiod_line *line = gpiod_chip_get_line(chip, L_NRST);
	struct gpiod_line_request_config c = {
		"OpenOCD", GPIOD_LINE_REQUEST_DIRECTION_OUTPUT,
		GPIOD_LINE_REQUEST_FLAG_OPEN_DRAIN |
			GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW};
	struct vb *vb = vb_gpiod_board();
	uint64_t resets = vb->st.resets;

	(void)state;
	assert_int_equal(gpiod_line_request(line, &c, 0), 0);
	assert_true(gpiod_line_is_open_drain(line));
	assert_false(gpiod_line_is_open_source(line));
	assert_int_equal(vb->host[VB_NRST], -1);
	assert_false(vb->in_reset);
	assert_int_equal(gpiod_line_get_value(line), 0); /* pulled up */
	assert_int_equal(gpiod_line_set_value(line, 1), 0);
	assert_int_equal(vb->host[VB_NRST], 0);
	assert_true(vb->in_reset);
	assert_int_equal(gpiod_line_get_value(line), 1);
	assert_int_equal(gpiod_line_set_value(line, 0), 0);
	assert_int_equal(vb->host[VB_NRST], -1);
	assert_false(vb->in_reset);
	assert_int_equal(vb->st.resets, resets + 1);

	/* open source: 1 drives, 0 lets go */
	gpiod_line_release(line);
	assert_int_equal(
		gpiod_line_request_output_flags(
			line, "t", GPIOD_LINE_REQUEST_FLAG_OPEN_SOURCE, 0),
		0);
	assert_int_equal(vb->host[VB_NRST], -1);
	assert_int_equal(gpiod_line_set_value(line, 1), 0);
	assert_int_equal(vb->host[VB_NRST], 1);
	gpiod_chip_close(chip);
}

/* A default value is driven at once; a release lets go of the wire. */
static void output_drives_at_once(void **state)
{
	struct gpiod_chip *chip = open0();
	struct gpiod_line *clk = gpiod_chip_get_line(chip, L_SWCLK);
	struct gpiod_line *boot0 = gpiod_chip_get_line(chip, L_BOOT0);
	struct vb *vb = vb_gpiod_board();

	(void)state;
	assert_int_equal(vb->host[VB_SWCLK], -1);
	assert_int_equal(gpiod_line_request_output(clk, "t", 1), 0);
	assert_int_equal(vb->host[VB_SWCLK], 1);
	assert_int_equal(vb->st.swclk_cycles, 1);
	assert_int_equal(gpiod_line_set_value(clk, 0), 0);
	assert_int_equal(gpiod_line_set_value(clk, 1), 0);
	assert_int_equal(vb->st.swclk_cycles, 2);
	gpiod_line_release(clk);
	assert_int_equal(vb->host[VB_SWCLK], -1);
	assert_int_equal(gpiod_line_direction(clk), GPIOD_LINE_DIRECTION_INPUT);

	assert_int_equal(gpiod_line_request_output(boot0, "t", 1), 0);
	assert_int_equal(vb->host[VB_BOOT0], 1);
	gpiod_chip_close(chip);
	assert_null(vb_gpiod_board());
}

static void reconfigure_in_place(void **state)
{
	struct gpiod_chip *chip = open0();
	struct gpiod_line *dio = gpiod_chip_get_line(chip, L_SWDIO);
	struct vb *vb = vb_gpiod_board();

	(void)state;
	assert_int_equal(gpiod_line_request_input(dio, "t"), 0);
	assert_int_equal(vb->host[VB_SWDIO], -1);
	assert_int_equal(gpiod_line_get_value(dio), 1); /* PA13's pull-up */
	assert_int_equal(gpiod_line_set_direction_output(dio, 0), 0);
	assert_int_equal(gpiod_line_direction(dio),
			 GPIOD_LINE_DIRECTION_OUTPUT);
	assert_int_equal(vb->host[VB_SWDIO], 0);
	assert_int_equal(gpiod_line_get_value(dio), 0);
	assert_int_equal(
		gpiod_line_set_flags(dio, GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW),
		0);
	/* the logical value stays, the wire follows */
	assert_int_equal(gpiod_line_get_value(dio), 0);
	assert_int_equal(vb->host[VB_SWDIO], 1);
	assert_int_equal(gpiod_line_set_direction_input(dio), 0);
	assert_int_equal(vb->host[VB_SWDIO], -1);
	assert_int_equal(gpiod_line_direction(dio), GPIOD_LINE_DIRECTION_INPUT);
	assert_int_equal(
		gpiod_line_set_config(dio, GPIOD_LINE_REQUEST_DIRECTION_OUTPUT,
				      GPIOD_LINE_REQUEST_FLAG_OPEN_DRAIN, 0),
		0);
	assert_true(gpiod_line_is_open_drain(dio));
	assert_int_equal(vb->host[VB_SWDIO], 0);
	/* an open drain cannot become an input with its flags */
	errno = 0;
	assert_int_equal(gpiod_line_set_direction_input(dio), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(gpiod_line_set_config(
				 dio, GPIOD_LINE_REQUEST_DIRECTION_INPUT, 0, 0),
			 0);
	assert_false(gpiod_line_is_open_drain(dio));
	assert_int_equal(gpiod_line_set_config(dio, 9, 0, 0), -1);
	assert_int_equal(errno, EINVAL);
	gpiod_chip_close(chip);
}

static void bulk_requests(void **state)
{
	struct gpiod_chip *chip = open0(), *other = open0();
	unsigned int offs[] = {L_SWDIO, L_SWCLK, L_FREE};
	int vals[3] = {1, 1, 1}, got[3];
	struct gpiod_line_bulk bulk, mixed = GPIOD_LINE_BULK_INITIALIZER;
	struct vb *vb = vb_gpiod_board();

	(void)state;
	assert_int_equal(gpiod_chip_get_lines(chip, offs, 3, &bulk), 0);
	assert_int_equal(gpiod_line_request_bulk_output(&bulk, "t", vals), 0);
	assert_int_equal(vb->host[VB_SWDIO], 1);
	assert_int_equal(vb->host[VB_SWCLK], 1);
	assert_int_equal(gpiod_line_get_value_bulk(&bulk, got), 0);
	assert_int_equal(got[0] + got[1] + got[2], 3);
	vals[0] = 0;
	vals[1] = 0;
	assert_int_equal(gpiod_line_set_value_bulk(&bulk, vals), 0);
	assert_int_equal(vb->host[VB_SWDIO], 0);
	assert_int_equal(vb->host[VB_SWCLK], 0);
	assert_int_equal(gpiod_line_set_value_bulk(&bulk, NULL), 0);
	assert_int_equal(gpiod_line_get_value_bulk(&bulk, got), 0);
	assert_int_equal(got[0] + got[1] + got[2], 0);
	assert_int_equal(gpiod_line_set_direction_input_bulk(&bulk), 0);
	assert_int_equal(vb->host[VB_SWDIO], -1);
	assert_int_equal(gpiod_line_set_direction_output_bulk(&bulk, vals), 0);
	assert_int_equal(gpiod_line_set_config_bulk(
				 &bulk, GPIOD_LINE_REQUEST_DIRECTION_OUTPUT,
				 GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW, NULL),
			 0);
	assert_int_equal(vb->host[VB_SWCLK], 1);
	assert_int_equal(gpiod_line_set_flags_bulk(&bulk, 0), 0);
	assert_int_equal(vb->host[VB_SWCLK], 0);
	gpiod_line_release_bulk(&bulk);
	assert_false(gpiod_line_is_requested(bulk.lines[2]));

	/* lines of two handles do not make one request */
	gpiod_line_bulk_add(&mixed, gpiod_chip_get_line(chip, 1));
	gpiod_line_bulk_add(&mixed, gpiod_chip_get_line(other, 2));
	assert_int_equal(gpiod_line_request_bulk_input(&mixed, "t"), -1);
	assert_int_equal(errno, EINVAL);
	/* nor does a line twice */
	mixed.num_lines = 0;
	gpiod_line_bulk_add(&mixed, gpiod_chip_get_line(chip, 1));
	gpiod_line_bulk_add(&mixed, gpiod_chip_get_line(chip, 1));
	assert_int_equal(gpiod_line_request_bulk_input(&mixed, "t"), -1);
	assert_int_equal(errno, EBUSY);
	assert_false(gpiod_line_is_requested(mixed.lines[0]));
	gpiod_chip_close(other);
	gpiod_chip_close(chip);
}

static void ctxless_helpers(void **state)
{
	unsigned int offs[] = {L_FREE, 6};
	int vals[2] = {1, 0}, got[2] = {-1, -1};

	(void)state;
	assert_int_equal(
		gpiod_ctxless_get_value_ext("gpiochip0", L_FREE, false, "t",
					    GPIOD_CTXLESS_FLAG_BIAS_PULL_UP),
		1);
	assert_int_equal(gpiod_ctxless_get_value("0", L_FREE, true, "t"), 1);
	assert_int_equal(gpiod_ctxless_set_value_multiple("gpiochip0", offs,
							  vals, 2, false, "t",
							  NULL, NULL),
			 0);
	assert_int_equal(gpiod_ctxless_get_value_multiple("gpiochip0", offs,
							  got, 2, false, "t"),
			 0);
	assert_int_equal(got[0], 0); /* released: an input with no bias */
	assert_int_equal(gpiod_ctxless_get_value("gpiochip9", 1, false, "t"),
			 -1);
	assert_null(vb_gpiod_board());
}

/* Closing the last handle releases its lines and ends the session. */
static void session_ends_with_report(void **state)
{
	struct gpiod_chip *chip;
	struct gpiod_line *line;
	char *json;

	(void)state;
	setenv("UB_VBOARD_REPORT", tmp_path("report.json"), 1);
	unlink(tmp_path("report.json"));
	chip = open0();
	line = gpiod_chip_get_line(chip, L_SWCLK);
	assert_int_equal(gpiod_line_request_output(line, "t", 0), 0);
	for (int i = 0; i < 10; i++) {
		gpiod_line_set_value(line, 1);
		gpiod_line_set_value(line, 0);
	}
	assert_int_equal(vb_gpiod_board()->st.swclk_cycles, 10);
	assert_int_equal(vb_gpiod_board()->now_ps, 20 * 500000ull);
	gpiod_chip_close(chip);
	assert_null(vb_gpiod_board());
	json = slurp(tmp_path("report.json"));
	assert_non_null(json);
	assert_true(cli_json_valid(json));
	free(json);
}

/* A sleep of the Pi passes on the board too, exactly, unless host_idle=0. */
static void host_pauses_pass(void **state)
{
	const char *settings[] = {"host_idle=0", "host_idle=1"};

	(void)state;
	for (int i = 0; i < 2; i++) {
		struct gpiod_chip *chip;
		struct gpiod_line *line;
		uint64_t before;

		setenv("UB_VBOARD_SETTINGS", settings[i], 1);
		chip = open0();
		line = gpiod_chip_get_line(chip, L_NRST);
		assert_int_equal(gpiod_line_request_output(line, "t", 0), 0);
		before = vb_gpiod_board()->now_ps;
		usleep(20000);
		assert_int_equal(gpiod_line_set_value(line, 1), 0);
		if (i)
			assert_int_equal(vb_gpiod_board()->now_ps - before,
					 20 * VB_PS_PER_MS);
		else
			assert_int_equal(vb_gpiod_board()->now_ps, before);
		gpiod_chip_close(chip);
	}
	setenv("UB_VBOARD_SETTINGS", "host_idle=2", 1);
	assert_null(gpiod_chip_open_by_number(0));
	assert_int_equal(errno, EINVAL);
}

/* The profile's wiring: spark-core has no BOOT0 wire. */
static void profile_wiring(void **state)
{
	struct gpiod_chip *chip;
	struct gpiod_line *line;
	char path[4200];

	(void)state;
	setenv("UB_VBOARD_BOARD", "spark-core", 1);
	chip = open0();
	line = gpiod_chip_get_line(chip, L_BOOT0);
	assert_int_equal(gpiod_line_request_output(line, "t", 1), 0);
	assert_int_equal(vb_gpiod_board()->host[VB_BOOT0], -1);
	line = gpiod_chip_get_line(chip, L_NRST);
	assert_int_equal(gpiod_line_request_output(line, "t", 0), 0);
	assert_true(vb_gpiod_board()->in_reset);
	gpiod_chip_close(chip);

	/* a profile by path */
	snprintf(path, sizeof(path), "%s/boards/stm32f1.conf", srcdir);
	setenv("UB_VBOARD_BOARD", path, 1);
	chip = open0();
	line = gpiod_chip_get_line(chip, L_BOOT0);
	assert_int_equal(gpiod_line_request_output(line, "t", 1), 0);
	assert_int_equal(vb_gpiod_board()->host[VB_BOOT0], 1);
	gpiod_chip_close(chip);

	setenv("UB_VBOARD_BOARD", "no-such-board", 1);
	errno = 0;
	assert_null(gpiod_chip_open_by_number(0));
	assert_int_equal(errno, ENODEV);
	assert_null(vb_gpiod_board());
}

/* The variant follows the profile's chip, unless a setting says otherwise. */
static void profile_variant(void **state)
{
	const struct {
		const char *board, *settings;
		enum vb_variant v;
	} c[] = {
		{"bluepill", NULL, VB_CB},	   {"dso-quad", NULL, VB_VC},
		{"dso-quad-2.81", NULL, VB_VE},	   {"stm32f1", NULL, VB_CB},
		{"bluepill", "variant=ve", VB_VE},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct gpiod_chip *chip;

		setenv("UB_VBOARD_BOARD", c[i].board, 1);
		if (c[i].settings)
			setenv("UB_VBOARD_SETTINGS", c[i].settings, 1);
		else
			unsetenv("UB_VBOARD_SETTINGS");
		chip = gpiod_chip_open_by_number(0);
		if (!chip)
			fail_msg("%s: the board did not start", c[i].board);
		assert_int_equal(vb_gpiod_board()->chip.variant, c[i].v);
		gpiod_chip_close(chip);
	}
}

static int vcd_time_of(const char *vcd, const char *change, int nth)
{
	const char *p = vcd;
	long t = -1;

	while (p && *p) {
		if (*p == '#')
			t = strtol(p + 1, NULL, 10);
		else if (!strncmp(p, change, strlen(change)) &&
			 p[strlen(change)] == '\n' && !nth--)
			return (int)t;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

/*
 * The trace: header, the four wires, modelled time in ns. In a bulk set,
 * SWDIO is set up before the SWCLK edge.
 */
static void vcd_trace(void **state)
{
	struct gpiod_chip *chip;
	struct gpiod_line_bulk bulk;
	unsigned int offs[] = {L_SWCLK, L_SWDIO};
	int v[2] = {0, 0};
	char *vcd;
	int t_dio, t_clk;

	(void)state;
	setenv("UB_VBOARD_VCD", tmp_path("t.vcd"), 1);
	chip = open0();
	assert_int_equal(gpiod_chip_get_lines(chip, offs, 2, &bulk), 0);
	assert_int_equal(gpiod_line_request_bulk_output(&bulk, "t", v), 0);
	/* both rise in one call, the clock listed first */
	v[0] = 1;
	v[1] = 1;
	gpiod_line_set_value_bulk(&bulk, v);
	gpiod_chip_close(chip);

	vcd = slurp(tmp_path("t.vcd"));
	assert_non_null(vcd);
	assert_non_null(strstr(vcd, "$timescale 1 ns $end"));
	assert_non_null(strstr(vcd, "$var wire 1 ! swclk $end"));
	assert_non_null(strstr(vcd, "$var wire 1 \" swdio $end"));
	assert_non_null(strstr(vcd, "$var wire 1 # nrst $end"));
	assert_non_null(strstr(vcd, "$var wire 1 % boot0 $end"));
	/* swdio: pulled up at #0, driven 0, then 1 before the rising edge */
	t_dio = vcd_time_of(vcd, "1\"", 1);
	t_clk = vcd_time_of(vcd, "1!", 0);
	assert_int_equal(t_clk, 500); /* one SWCLK half period */
	assert_true(t_dio >= 0 && t_dio < t_clk);
	free(vcd);
}

/* The built library: libgpiod 1.6's every symbol, nothing else. */
static void built_library_abi(void **state)
{
	static const char *const names[] = {
		"gpiod_chip_close",
		"gpiod_chip_find_line",
		"gpiod_chip_find_lines",
		"gpiod_chip_get_all_lines",
		"gpiod_chip_get_line",
		"gpiod_chip_get_lines",
		"gpiod_chip_iter_free",
		"gpiod_chip_iter_free_noclose",
		"gpiod_chip_iter_new",
		"gpiod_chip_iter_next",
		"gpiod_chip_iter_next_noclose",
		"gpiod_chip_label",
		"gpiod_chip_name",
		"gpiod_chip_num_lines",
		"gpiod_chip_open",
		"gpiod_chip_open_by_label",
		"gpiod_chip_open_by_name",
		"gpiod_chip_open_by_number",
		"gpiod_chip_open_lookup",
		"gpiod_ctxless_event_loop",
		"gpiod_ctxless_event_loop_multiple",
		"gpiod_ctxless_event_monitor",
		"gpiod_ctxless_event_monitor_ext",
		"gpiod_ctxless_event_monitor_multiple",
		"gpiod_ctxless_event_monitor_multiple_ext",
		"gpiod_ctxless_find_line",
		"gpiod_ctxless_get_value",
		"gpiod_ctxless_get_value_ext",
		"gpiod_ctxless_get_value_multiple",
		"gpiod_ctxless_get_value_multiple_ext",
		"gpiod_ctxless_set_value",
		"gpiod_ctxless_set_value_ext",
		"gpiod_ctxless_set_value_multiple",
		"gpiod_ctxless_set_value_multiple_ext",
		"gpiod_line_active_state",
		"gpiod_line_bias",
		"gpiod_line_close_chip",
		"gpiod_line_consumer",
		"gpiod_line_direction",
		"gpiod_line_event_get_fd",
		"gpiod_line_event_read",
		"gpiod_line_event_read_fd",
		"gpiod_line_event_read_fd_multiple",
		"gpiod_line_event_read_multiple",
		"gpiod_line_event_wait",
		"gpiod_line_event_wait_bulk",
		"gpiod_line_find",
		"gpiod_line_get",
		"gpiod_line_get_chip",
		"gpiod_line_get_value",
		"gpiod_line_get_value_bulk",
		"gpiod_line_is_free",
		"gpiod_line_is_open_drain",
		"gpiod_line_is_open_source",
		"gpiod_line_is_requested",
		"gpiod_line_is_used",
		"gpiod_line_iter_free",
		"gpiod_line_iter_new",
		"gpiod_line_iter_next",
		"gpiod_line_name",
		"gpiod_line_needs_update",
		"gpiod_line_offset",
		"gpiod_line_release",
		"gpiod_line_release_bulk",
		"gpiod_line_request",
		"gpiod_line_request_both_edges_events",
		"gpiod_line_request_both_edges_events_flags",
		"gpiod_line_request_bulk",
		"gpiod_line_request_bulk_both_edges_events",
		"gpiod_line_request_bulk_both_edges_events_flags",
		"gpiod_line_request_bulk_falling_edge_events",
		"gpiod_line_request_bulk_falling_edge_events_flags",
		"gpiod_line_request_bulk_input",
		"gpiod_line_request_bulk_input_flags",
		"gpiod_line_request_bulk_output",
		"gpiod_line_request_bulk_output_flags",
		"gpiod_line_request_bulk_rising_edge_events",
		"gpiod_line_request_bulk_rising_edge_events_flags",
		"gpiod_line_request_falling_edge_events",
		"gpiod_line_request_falling_edge_events_flags",
		"gpiod_line_request_input",
		"gpiod_line_request_input_flags",
		"gpiod_line_request_output",
		"gpiod_line_request_output_flags",
		"gpiod_line_request_rising_edge_events",
		"gpiod_line_request_rising_edge_events_flags",
		"gpiod_line_set_config",
		"gpiod_line_set_config_bulk",
		"gpiod_line_set_direction_input",
		"gpiod_line_set_direction_input_bulk",
		"gpiod_line_set_direction_output",
		"gpiod_line_set_direction_output_bulk",
		"gpiod_line_set_flags",
		"gpiod_line_set_flags_bulk",
		"gpiod_line_set_value",
		"gpiod_line_set_value_bulk",
		"gpiod_line_update",
		"gpiod_version_string",
	};
	static const char *const sleeps[] = {"nanosleep", "clock_nanosleep",
					     "usleep", "sleep"};
	const char *(*version)(void);
	char path[4200], cmd[8600];
	struct cli_result r;
	int status, exports;
	bool soname;
	void *lib;

	(void)state;
	snprintf(path, sizeof(path), "%s/build/vboard/libgpiod.so.2", srcdir);
	lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		fail_msg("%s (make vboard)", dlerror());
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!dlsym(lib, names[i]))
			fail_msg("%s is missing", names[i]);
	assert_null(dlsym(lib, "ub_board_load"));
	assert_null(dlsym(lib, "vb_new"));
	assert_null(dlsym(lib, "vb_gpiod_board"));
	*(void **)&version = dlsym(lib, "gpiod_version_string");
	assert_string_equal(version(), "1.6.3");

	/* the sleeps that move the board's clock are exported too */
	for (size_t i = 0; i < sizeof(sleeps) / sizeof(sleeps[0]); i++)
		if (!dlsym(lib, sleeps[i]))
			fail_msg("%s is missing", sleeps[i]);
	dlclose(lib);

	/* the real 1.6 library's exports and the sleeps, and its SONAME */
	snprintf(cmd, sizeof(cmd),
		 "nm -D --defined-only '%s' | grep -c ' T ' ; "
		 "objdump -p '%s' | grep SONAME",
		 path, path);
	assert_int_equal(
		cli_run(&r, NULL,
			(const char *const[]){"/bin/sh", "-c", cmd, NULL}, 30),
		0);
	status = r.status;
	exports = atoi(r.out);
	soname = strstr(r.out, "libgpiod.so.2") != NULL;
	cli_result_free(&r);
	assert_int_equal(status, 0);
	assert_int_equal(exports, sizeof(names) / sizeof(names[0]) +
					  sizeof(sleeps) / sizeof(sleeps[0]));
	assert_true(soname);
}

static void run_wrapper(struct cli_result *r, const char *const *env,
			const char *const *args)
{
	char wrapper[4300];
	const char *argv[24] = {wrapper};
	int n = 1;

	snprintf(wrapper, sizeof(wrapper), "%s/tests/vboard/with-vboard",
		 srcdir);
	while (*args && n < 23)
		argv[n++] = *args++;
	argv[n] = NULL;
	assert_int_equal(cli_run(r, env, argv, 30), 0);
}

/* with-vboard: usage errors exit 2 and say what is wrong. */
static void wrapper_usage(void **state)
{
	const struct {
		const char *args[8];
		const char *says;
	} c[] = {
		{{NULL}, "usage: with-vboard"},
		{{"--state", "/tmp/x", "--", "true", NULL}, "--board NAME"},
		{{"--board", "bluepill", "--", "true", NULL}, "--state DIR"},
		{{"--board", "bluepill", "--state", "/tmp/x", NULL}, "COMMAND"},
		{{"--board", "bluepill", "--state", "/tmp/x", "--set", "ab",
		  "--", NULL},
		 "KEY=VALUE"},
		{{"--board", "bluepill", "--state", NULL}, "needs a value"},
		{{"--bored", "x", NULL}, "unexpected '--bored'"},
	};
	const char *nolib[] = {"UB_VBOARD_LIB=/nonexistent", NULL};
	const char *args[] = {"--board", "bluepill", "--state", "/tmp/x",
			      "--",	 "true",     NULL};
	struct cli_result r;

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		run_wrapper(&r, NULL, c[i].args);
		if (r.status != 2 || !strstr(r.err, c[i].says))
			fail_msg("case %zu: status %d, stderr '%s'", i,
				 r.status, r.err);
		cli_result_free(&r);
	}
	run_wrapper(&r, nolib, args);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "make vboard"));
	cli_result_free(&r);
}

/* with-vboard: the environment COMMAND gets, and its exit status back. */
static void wrapper_runs_command(void **state)
{
	char state_dir[4300], vcd_path[4300], want[9000];
	const char *args[] = {"--board",
			      "dso-quad",
			      "--state",
			      state_dir,
			      "--set",
			      "uid=000102030405060708090A0B",
			      "--set=swclk_hz=4M",
			      "--vcd",
			      vcd_path,
			      "--",
			      "sh",
			      "-c",
			      "printf '%s|%s|%s|%s|%s|%s' \"$UB_VBOARD_BOARD\" "
			      "\"$UB_VBOARD_STATE\" \"$UB_VBOARD_SETTINGS\" "
			      "\"$UB_VBOARD_REPORT\" \"${UB_VBOARD_VCD##*/}\" "
			      "\"${LD_LIBRARY_PATH%%:*}\"; exit 7",
			      NULL};
	struct cli_result r;

	(void)state;
	snprintf(state_dir, sizeof(state_dir), "%s/wrapped", tmp_dir);
	snprintf(vcd_path, sizeof(vcd_path), "%s/t.vcd", tmp_dir);
	run_wrapper(&r, NULL, args);
	snprintf(
		want, sizeof(want),
		"dso-quad|%s|uid=000102030405060708090A0B\nswclk_hz=4M||t.vcd|",
		state_dir);
	if (r.status != 7 || strncmp(r.out, want, strlen(want)) ||
	    !strstr(r.out, "build/vboard"))
		fail_msg("status %d, stdout '%s', stderr '%s'", r.status, r.out,
			 r.err);
	cli_result_free(&r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, env_reset, no_session)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(chip_open_ways),	    T(pi5_label),
		T(handles_share_one_board), T(iterators_and_names),
		T(request_is_exclusive),    T(values_need_a_request),
		T(flags_are_checked),	    T(bias_on_an_open_line),
		T(open_drain_reset),	    T(output_drives_at_once),
		T(reconfigure_in_place),    T(bulk_requests),
		T(ctxless_helpers),	    T(session_ends_with_report),
		T(host_pauses_pass),	    T(profile_wiring),
		T(profile_variant),	    T(vcd_trace),
		T(built_library_abi),	    T(wrapper_usage),
		T(wrapper_runs_command),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
