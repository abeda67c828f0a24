// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The stand-in libgpiod (tests/vboard/vb_gpiod.c), linked here in place of
 * the real one: the libgpiod 1.6 API with the kernel's rules (exclusive
 * requests, open drain, bias, reconfiguration, errno).
 */
#include "vb_gpiod_test_util.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(chip_open_ways),	    T(pi5_label),
		T(handles_share_one_board), T(iterators_and_names),
		T(request_is_exclusive),    T(values_need_a_request),
		T(flags_are_checked),	    T(bias_on_an_open_line),
		T(open_drain_reset),	    T(output_drives_at_once),
		T(reconfigure_in_place),    T(bulk_requests),
		T(ctxless_helpers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
