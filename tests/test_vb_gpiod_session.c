// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The stand-in libgpiod (tests/vboard/vb_gpiod.c): the session, the
 * wiring a profile gives, the VCD trace; the built libgpiod.so.2 itself
 * (its exports and SONAME) and the wrapper that runs a command on it.
 */
#include "vb_gpiod_test_util.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(session_ends_with_report),
		T(host_pauses_pass),
		T(profile_wiring),
		T(profile_variant),
		T(vcd_trace),
		T(built_library_abi),
		T(wrapper_usage),
		T(wrapper_runs_command),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
