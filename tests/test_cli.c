// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The command line, as a user meets it: the sanitized program ($UNBRICK) run
 * with the shipped profiles ($UNBRICK_BOARDS), its stdout, stderr and exit
 * status looked at separately.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <zlib.h>

#include "cli_util.h"

#define MAX_ARGS 32

static const char *unbrick;   /* the program */
static char srcdir[4096];     /* the repository */
static char boards_env[4200]; /* UNBRICK_BOARDS=the shipped profiles */
static char home_env[4200];   /* HOME=a directory with no profiles */
static char tmp_dir[] = "/tmp/ub-test-cli-XXXXXX";

static int setup(void **state)
{
	const char *src = getenv("UNBRICK_SRCDIR");
	const char *boards = getenv("UNBRICK_BOARDS");

	(void)state;
	if (!getcwd(srcdir, sizeof(srcdir)))
		return -1;
	if (src)
		snprintf(srcdir, sizeof(srcdir), "%s", src);
	unbrick = getenv("UNBRICK");
	if (!unbrick) {
		static char path[4200];

		snprintf(path, sizeof(path), "%s/build/san/unbrick", srcdir);
		unbrick = path;
	}
	if (access(unbrick, X_OK)) {
		fprintf(stderr, "no program at %s: set UNBRICK\n", unbrick);
		return -1;
	}
	if (!mkdtemp(tmp_dir))
		return -1;
	snprintf(boards_env, sizeof(boards_env), "UNBRICK_BOARDS=%s",
		 boards ? boards : "");
	if (!boards)
		snprintf(boards_env, sizeof(boards_env),
			 "UNBRICK_BOARDS=%s/boards", srcdir);
	snprintf(home_env, sizeof(home_env), "HOME=%s", tmp_dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[4200];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
	return system(cmd) ? -1 : 0;
}

/*
 * Run unbrick with the arguments (NULL-terminated) and the environment
 * changes in env (NULL: the shipped profiles). Sanitizer reports fail the
 * test whatever the status.
 */
static void run_env(struct cli_result *r, const char *const *env, ...)
{
	const char *argv[MAX_ARGS + 2] = {unbrick};
	const char *def[] = {boards_env, home_env, "XDG_CONFIG_HOME", NULL};
	va_list ap;
	int n = 1;

	va_start(ap, env);
	while ((argv[n] = va_arg(ap, const char *)))
		assert_true(++n <= MAX_ARGS);
	va_end(ap);
	assert_int_equal(cli_run(r, env ? env : def, argv, 60), 0);
	if (strstr(r->err, "Sanitizer") || strstr(r->err, "runtime error"))
		fail_msg("%s %s %s ...: sanitizer report:\n%s", unbrick,
			 argv[1] ? argv[1] : "",
			 argv[1] && argv[2] ? argv[2] : "", r->err);
}

#define run(r, ...) run_env(r, NULL, __VA_ARGS__, NULL)

static void has(const char *s, const char *part)
{
	if (!strstr(s, part))
		fail_msg("---\n%s---\ndoes not contain '%s'", s, part);
}

static void lacks(const char *s, const char *part)
{
	if (strstr(s, part))
		fail_msg("---\n%s---\ncontains '%s'", s, part);
}

/* part appears in s once white space is squashed (wrapped text) */
static void has_words(const char *s, const char *part)
{
	char *sq = cli_squash(s);

	assert_non_null(sq);
	if (!strstr(sq, part)) {
		free(sq);
		fail_msg("---\n%s---\ndoes not contain '%s'", s, part);
	}
	free(sq);
}

static void status(const struct cli_result *r, int want)
{
	if (r->status != want)
		fail_msg("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s",
			 r->status, want, r->out, r->err);
}

static void write_file(const char *name, const void *data, size_t n, char *path,
		       size_t pn)
{
	FILE *f;

	snprintf(path, pn, "%s/%s", tmp_dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* --- help, version, usage errors --- */

/* The command names in the "Commands:" part of the usage text. */
static void command_names(const char *usage, char *names, size_t n)
{
	const char *p = strstr(usage, "\nCommands:\n");
	const char *end;

	assert_non_null(p);
	p += strlen("\nCommands:\n");
	end = strstr(p, "\n\n");
	assert_non_null(end);
	names[0] = '\0';
	while (p < end) {
		const char *nl = strchr(p, '\n');
		size_t len;

		assert_true(!strncmp(p, "  ", 2));
		if (p[2] == ' ') { /* a long synopsis' summary, wrapped */
			p = nl ? nl + 1 : end;
			continue;
		}
		p += 2;
		len = strcspn(p, " \n");
		snprintf(names + strlen(names), n - strlen(names), "%s%.*s",
			 names[0] ? " " : "", (int)len, p);
		p = nl ? nl + 1 : end;
	}
}

/* The commands that work today, in the order --help lists them. */
#define WORKING                                                                \
	"probe read write verify erase unprotect protect reset boards wiring " \
	"image doctor backup restore"

static void help(void **state)
{
	static const char *const missing[] = {
		"flash",
		"spi",
		"run",
		"dump",
	};
	struct cli_result r;
	char names[256];

	(void)state;
	run(&r, "--help");
	status(&r, 0);
	assert_string_equal(r.err, "");
	has(r.out, "Usage: unbrick [OPTIONS] COMMAND");
	command_names(r.out, names, sizeof(names));
	/* only the commands that work are advertised */
	assert_string_equal(names, WORKING);
	for (size_t i = 0; i < sizeof(missing) / sizeof(*missing); i++) {
		char line[32];

		snprintf(line, sizeof(line), "\n  %s ", missing[i]);
		lacks(r.out, line);
	}
	has(r.out, "--board NAME|FILE");
	has(r.out, "--pin ROLE=PIN");
	has(r.out, "Exit status: 0 success, 1 the operation failed, 2 usage");
	cli_result_free(&r);

	/* -h and 'help' say the same */
	run(&r, "-h");
	status(&r, 0);
	command_names(r.out, names, sizeof(names));
	assert_string_equal(names, WORKING);
	cli_result_free(&r);
	run(&r, "help");
	status(&r, 0);
	command_names(r.out, names, sizeof(names));
	assert_string_equal(names, WORKING);
	cli_result_free(&r);

	/* help for one command */
	run(&r, "help", "wiring");
	status(&r, 0);
	has(r.out, "Usage: unbrick wiring -B BOARD");
	cli_result_free(&r);
	run(&r, "wiring", "--help");
	status(&r, 0);
	has(r.out, "Usage: unbrick wiring -B BOARD");
	cli_result_free(&r);
	run(&r, "image", "-h");
	status(&r, 0);
	has(r.out, "Usage: unbrick image info FILE[@WHERE]");
	cli_result_free(&r);
	run(&r, "help", "restore");
	status(&r, 0);
	has(r.out, "Usage: unbrick restore DIR|MANIFEST");
	cli_result_free(&r);
	run(&r, "help", "dump");
	status(&r, 2);
	has(r.err, "unknown command 'dump'");
	cli_result_free(&r);

	/* no command: the usage on stderr, status 2 */
	run(&r, "-v");
	status(&r, 2);
	assert_string_equal(r.out, "");
	has(r.err, "Usage: unbrick [OPTIONS] COMMAND");
	cli_result_free(&r);
}

static void version(void **state)
{
	struct cli_result r;

	(void)state;
	run(&r, "--version");
	status(&r, 0);
	assert_true(!strncmp(r.out, "unbrick ", 8));
	assert_in_range(r.out[8], '0', '9');
	has(r.out, "libgpiod ");
	has(r.out, "libserialport ");
	assert_string_equal(r.err, "");
	cli_result_free(&r);
	/* it wins over a command */
	run(&r, "boards", "--version");
	status(&r, 0);
	assert_true(!strncmp(r.out, "unbrick ", 8));
	cli_result_free(&r);
}

static void usage_errors(void **state)
{
	static const char *const cmds[] = {"dump", "frobnicate"};
	struct cli_result r;

	(void)state;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(*cmds); i++) {
		char want[64];

		run(&r, cmds[i]);
		status(&r, 2);
		assert_string_equal(r.out, "");
		snprintf(want, sizeof(want), "unknown command '%s'", cmds[i]);
		has(r.err, want);
		has(r.err, "Try 'unbrick --help'");
		cli_result_free(&r);
	}
	/* a command that needs a board says so */
	run(&r, "probe");
	status(&r, 2);
	has(r.err, "which board? Give -B NAME");
	cli_result_free(&r);
	run(&r, "-B", "spark-core", "write");
	status(&r, 2);
	has(r.err, "write needs FILE[@WHERE]");
	cli_result_free(&r);
	run(&r, "restore");
	status(&r, 2);
	has(r.err, "restore needs a backup's DIR or a bundle's MANIFEST");
	cli_result_free(&r);
	run(&r, "--frobnicate", "boards");
	status(&r, 2);
	has(r.err, "unknown option '--frobnicate'");
	assert_string_equal(r.out, "");
	cli_result_free(&r);
	run(&r, "boards", "-X");
	status(&r, 2);
	has(r.err, "unknown option '-X'");
	cli_result_free(&r);
	run(&r, "boards", "-B");
	status(&r, 2);
	has(r.err, "-B needs a value");
	cli_result_free(&r);
	run(&r, "-I", "jtag", "wiring", "-B", "spark-core");
	status(&r, 2);
	has(r.err, "-I jtag: the interface is swd or uart");
	cli_result_free(&r);
	run(&r, "-s", "0", "boards");
	status(&r, 2);
	has(r.err, "-s 0");
	cli_result_free(&r);
	run(&r, "-s", "fast", "boards");
	status(&r, 2);
	cli_result_free(&r);
	run(&r, "boards", "a", "b");
	status(&r, 2);
	has(r.err, "boards takes at most one NAME");
	has(r.err, "Try 'unbrick boards --help'");
	cli_result_free(&r);
	run(&r, "wiring", "extra", "-B", "spark-core");
	status(&r, 2);
	has(r.err, "wiring takes no arguments");
	cli_result_free(&r);
	run(&r, "image");
	status(&r, 2);
	has(r.err, "image takes a subcommand");
	cli_result_free(&r);
	run(&r, "image", "info");
	status(&r, 2);
	has(r.err, "image info needs a FILE");
	cli_result_free(&r);
}

/* --- boards --- */

static const char *const shipped[] = {
	"bluepill", "dso-quad", "dso-quad-2.81", "spark-core", "stm32f1",
};

static void boards_list(void **state)
{
	struct cli_result r;
	const char *p;

	(void)state;
	run(&r, "boards");
	status(&r, 0);
	assert_string_equal(r.err, "");
	assert_int_equal(cli_count(r.out, "\n"), 5);
	p = r.out;
	for (size_t i = 0; i < 5; i++) { /* sorted by name, one a line */
		size_t n = strlen(shipped[i]);

		if (strncmp(p, shipped[i], n) || p[n] != ' ')
			fail_msg("line %zu is not %s:\n%s", i + 1, shipped[i],
				 r.out);
		p = strchr(p, '\n') + 1;
	}
	has(r.out, "Spark Core (STM32F103CB");
	has(r.out, "swd,uart");
	cli_result_free(&r);

	/* -v adds the path of each */
	run(&r, "boards", "-v");
	status(&r, 0);
	has(r.out, "spark-core.conf");
	cli_result_free(&r);

	/* --json */
	run(&r, "boards", "--json");
	status(&r, 0);
	if (!cli_json_valid(r.out))
		fail_msg("not JSON:\n%s", r.out);
	assert_int_equal(r.out[0], '[');
	assert_int_equal(cli_count(r.out, "\"name\":"), 5);
	has(r.out, "{\"name\":\"spark-core\",\"description\":\"Spark Core");
	has(r.out, "\"family\":\"stm32f1\",\"interfaces\":\"uart\"");
	cli_result_free(&r);
}

static void boards_show(void **state)
{
	struct cli_result r;

	(void)state;
	run(&r, "boards", "spark-core");
	status(&r, 0);
	has(r.out, "spark-core: Spark Core");
	has(r.out, "DEV_ID 0x410, 128 KiB flash, 20 KiB RAM");
	has_words(r.out, "uart no: BOOT0 is tied to GND");
	has(r.out, "swd        yes (default)");
	has(r.out, "app            0x08005000");
	has(r.out, "server-key     spi:0x00001000");
	has(r.out, "preserved across erase: keys");
	has(r.out, "SST25VF016B, mcu SPI2 mode 0, CS PB9, 2048 KiB");
	has(r.out, "14. reset run");
	cli_result_free(&r);

	/* -B says the same */
	run(&r, "-B", "dso-quad-2.81", "boards");
	status(&r, 0);
	has(r.out, "based on dso-quad");
	has(r.out, "licence        0x080000FC");
	has(r.out, "fpga           0x0805C800");
	has(r.out, "135096");
	has(r.out, "sys            0x08004000");
	cli_result_free(&r);

	run(&r, "boards", "dso-quad", "--json");
	status(&r, 0);
	if (!cli_json_valid(r.out))
		fail_msg("not JSON:\n%s", r.out);
	has(r.out, "\"dev_id\":1044");
	has(r.out, "{\"name\":\"licence\",\"space\":\"mcu\",\"address\":"
		   "134232068,\"size\":4,");
	has(r.out, "\"preserve\":[\"licence\"]");
	cli_result_free(&r);

	run(&r, "boards", "no-such-board");
	status(&r, 1);
	has(r.err, "no board profile 'no-such-board'");
	cli_result_free(&r);
}

#define GOOD_PROFILE                                               \
	"[board]\ndescription = a good one\nfamily = stm32f1\n"    \
	"[interface swd]\n[pin swclk]\npi = GPIO11\n[pin swdio]\n" \
	"pi = GPIO25\n[pin gnd]\npi = GND\n"

static void boards_with_a_broken_profile(void **state)
{
	static const char broken[] = "[board]\nfamily = stm32f1\n"
				     "flash_size = lots\n";
	char dir[4200], path[4300], env_boards[4300], want[4400];
	const char *env[] = {env_boards, home_env, "XDG_CONFIG_HOME", NULL};
	struct cli_result r;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/profiles", tmp_dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	write_file("profiles/good.conf", GOOD_PROFILE, strlen(GOOD_PROFILE),
		   path, sizeof(path));
	write_file("profiles/broken.conf", broken, strlen(broken), path,
		   sizeof(path));
	write_file("profiles/not-a-profile.txt", "x", 1, path, sizeof(path));
	snprintf(env_boards, sizeof(env_boards), "UNBRICK_BOARDS=%s", dir);

	run_env(&r, env, "boards", NULL);
	status(&r, 1);
	has(r.out, "good ");
	has(r.out, "a good one");
	lacks(r.out, "broken");
	lacks(r.out, "not-a-profile");
	/* the broken one is named with file:line and skipped */
	snprintf(want, sizeof(want), "%s/broken.conf:3: flash_size 'lots'",
		 dir);
	has(r.err, want);
	has(r.err, "1 profile could not be read");
	cli_result_free(&r);

	/* -B with the broken file */
	snprintf(path, sizeof(path), "%s/broken.conf", dir);
	run(&r, "-B", path, "boards");
	status(&r, 1);
	snprintf(want, sizeof(want), "unbrick: %s/broken.conf:3: ", dir);
	has(r.err, want);
	assert_string_equal(r.out, "");
	cli_result_free(&r);
	run(&r, "wiring", "-B", path);
	status(&r, 1);
	has(r.err, want);
	cli_result_free(&r);

	/* a directory with no profiles at all */
	snprintf(env_boards, sizeof(env_boards), "UNBRICK_BOARDS=%s/empty",
		 tmp_dir);
	snprintf(dir, sizeof(dir), "%s/empty", tmp_dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	run_env(&r, env, "boards", NULL);
	/* the installed profiles, if any, are still found */
	if (!r.out[0]) {
		status(&r, 1);
		has(r.err, "no board profiles found");
	}
	cli_result_free(&r);
}

/* --- wiring --- */

static void wiring_spark_core(void **state)
{
	struct cli_result r;

	(void)state;
	run(&r, "wiring", "-B", "spark-core");
	status(&r, 0);
	assert_string_equal(r.err, "");
	has(r.out, "Wiring spark-core to a Raspberry Pi for SWD");
	has(r.out, "GPIO25");
	has(r.out, "D7");
	has(r.out, "open-drain");
	has(r.out, "Pi pin 22 GPIO25 <-> D7 (PA13 SWDIO)");
	has(r.out, "Pi pin 23 GPIO11 --> D6 (PA14 SWCLK)");
	has(r.out, "Pi pin 18 GPIO24 --> RST (NRST), open-drain");
	has(r.out, "Pi pin 20 GND    --- GND");
	has(r.out, "Pi pin 2  5V     --> VIN");
	cli_result_free(&r);
}

static void wiring_header_marks(void **state)
{
	struct cli_result r;

	(void)state;
	run(&r, "wiring", "-B", "spark-core");
	status(&r, 0);
	has(r.out, "3V3 17 . * 18 GPIO24 -->");
	has(r.out, "GPIO9 21 . * 22 GPIO25 <->");
	has(r.out, "GPIO11 23 * . 24 GPIO8");
	lacks(r.out, "ttyS0");
	cli_result_free(&r);
}

static void wiring_options_anywhere(void **state)
{
	struct cli_result a, b, c;

	(void)state;
	run(&a, "wiring", "-B", "spark-core");
	run(&b, "-B", "spark-core", "wiring");
	run(&c, "--board=spark-core", "wiring", "-I", "swd");
	status(&a, 0);
	status(&b, 0);
	status(&c, 0);
	assert_string_equal(a.out, b.out);
	assert_string_equal(a.out, c.out);
	cli_result_free(&a);
	cli_result_free(&b);
	cli_result_free(&c);
}

static void wiring_no_uart_on_spark_core(void **state)
{
	struct cli_result r;

	(void)state;
	run(&r, "wiring", "-B", "spark-core", "-I", "uart");
	status(&r, 1);
	assert_string_equal(r.out, "");
	has_words(r.err, "spark-core cannot be reached over uart");
	has_words(r.err, "BOOT0 is tied to GND");
	cli_result_free(&r);
	run(&r, "wiring", "-B", "dso-quad", "-I", "swd");
	status(&r, 1);
	has_words(r.err, "no SWD header");
	cli_result_free(&r);
}

static void wiring_dso_quad_uart(void **state)
{
	struct cli_result r;

	(void)state;
	run(&r, "wiring", "-B", "dso-quad");
	status(&r, 0);
	has(r.out, "for the UART bootloader");
	has(r.out, "ttyS0");
	has(r.out, "parity");
	has_words(r.out, "the mini-UART (/dev/ttyS0) has no parity");
	has_words(r.out, "Cross the data lines");
	has(r.out, "Pi pin 8  GPIO14 --> CN7 pin 4 RX");
	has(r.out, "Pi pin 10 GPIO15 <-- CN7 pin 5 TX");
	has(r.out, "Pi pin 16 GPIO23 --> CN7 pin 2 (BOOT0)");
	has(r.out, "Pi pin 6  GND    --- CN7 pin 6 GND");
	has(r.out, "(none)");
	has_words(r.out, "leave open: the DSO runs from its own battery");
	cli_result_free(&r);
	/* the Blue Pill over UART leaves out the SWD pins */
	run(&r, "wiring", "-B", "bluepill", "-I", "uart");
	status(&r, 0);
	has(r.out, "Pi pin 8  GPIO14 --> A10");
	lacks(r.out, "Pi pin 23");
	lacks(r.out, "Pi pin 22");
	cli_result_free(&r);
}

static void wiring_needs_a_board(void **state)
{
	struct cli_result r;

	(void)state;
	run(&r, "wiring");
	status(&r, 2);
	assert_string_equal(r.out, "");
	has(r.err, "which board?");
	has(r.err, "Try 'unbrick wiring --help'");
	cli_result_free(&r);
}

static void wiring_pin_override(void **state)
{
	struct cli_result r;

	(void)state;
	run(&r, "--pin", "nrst=GPIO17", "wiring", "-B", "spark-core");
	status(&r, 0);
	has(r.out, "Pi pin 11 GPIO17 --> RST (NRST), open-drain");
	lacks(r.out, "Pi pin 18");
	has(r.out, "GPIO17 11 * . 12 GPIO18");
	cli_result_free(&r);
	run(&r, "wiring", "-B", "spark-core", "--pin", "nrst=pin15", "--pin",
	    "boot0=16");
	status(&r, 0);
	has(r.out, "Pi pin 15 GPIO22 --> RST");
	has(r.out, "Pi pin 16 GPIO23 --> ");
	cli_result_free(&r);

	/* onto a pin that is taken */
	run(&r, "--pin", "nrst=GPIO25", "wiring", "-B", "spark-core");
	status(&r, 2);
	has(r.err, "with --pin:");
	has(r.err, "both on Pi pin 22");
	cli_result_free(&r);
	/* not a line, not a GPIO, not on the header, not ROLE=PIN */
	run(&r, "--pin", "gnd=pin9", "wiring", "-B", "spark-core");
	status(&r, 2);
	has(r.err, "only GPIO lines can be moved");
	cli_result_free(&r);
	run(&r, "--pin", "nrst=5V", "wiring", "-B", "spark-core");
	status(&r, 2);
	has(r.err, "power or ground pin");
	cli_result_free(&r);
	run(&r, "--pin", "nrst=GPIO28", "wiring", "-B", "spark-core");
	status(&r, 2);
	has(r.err, "--pin nrst: GPIO28 is not on the Pi's 40-pin header");
	cli_result_free(&r);
	run(&r, "--pin", "nrst", "wiring", "-B", "spark-core");
	status(&r, 2);
	has(r.err, "--pin takes ROLE=PIN");
	cli_result_free(&r);
}

static void wiring_json(void **state)
{
	struct cli_result r;

	(void)state;
	run(&r, "wiring", "-B", "spark-core", "--json");
	status(&r, 0);
	if (!cli_json_valid(r.out))
		fail_msg("not JSON:\n%s", r.out);
	assert_int_equal(cli_count(r.out, "\n"), 1);
	has(r.out, "{\"board\":\"spark-core\",\"interface\":\"swd\","
		   "\"connections\":[");
	has(r.out, "{\"role\":\"swclk\",\"pi_pin\":23,\"pi_name\":\"GPIO11\","
		   "\"pad\":\"D6\",\"signal\":\"PA14 SWCLK\","
		   "\"open_drain\":false}");
	has(r.out, "{\"role\":\"swdio\",\"pi_pin\":22,\"pi_name\":\"GPIO25\","
		   "\"pad\":\"D7\"");
	has(r.out, "{\"role\":\"nrst\",\"pi_pin\":18,\"pi_name\":\"GPIO24\","
		   "\"pad\":\"RST\",\"signal\":\"NRST\",\"open_drain\":true}");
	has(r.out, "{\"role\":\"gnd\",\"pi_pin\":20,");
	has(r.out, "{\"role\":\"power\",\"pi_pin\":2,\"pi_name\":\"5V\"");
	assert_int_equal(cli_count(r.out, "\"role\":"), 5);
	cli_result_free(&r);

	run(&r, "--json", "wiring", "-B", "dso-quad");
	status(&r, 0);
	if (!cli_json_valid(r.out))
		fail_msg("not JSON:\n%s", r.out);
	has(r.out, "\"interface\":\"uart\"");
	has(r.out, "{\"role\":\"power\",\"pi_pin\":null,\"pi_name\":null,");
	cli_result_free(&r);
}

/*
 * Messages that quote another message must not garble it: "with --pin: "
 * once, then the profile's file:line (main.c passes ub_errmsg() back into
 * ub_fail(), which overwrites what it reads).
 */
static void pin_collision_message(void **state)
{
	char want[4400], path[4300], line[256];
	struct cli_result r;
	unsigned n = 0, at = 0;
	FILE *f;

	(void)state;
	/* where spark-core.conf opens [pin nrst] */
	snprintf(path, sizeof(path), "%.*s/spark-core.conf",
		 (int)strcspn(boards_env + 15, ":"), boards_env + 15);
	f = fopen(path, "r");
	assert_non_null(f);
	while (!at && fgets(line, sizeof(line), f)) {
		n++;
		if (!strncmp(line, "[pin nrst]", 10))
			at = n;
	}
	fclose(f);
	assert_true(at > 0);
	run(&r, "--pin", "nrst=GPIO25", "wiring", "-B", "spark-core");
	status(&r, 2);
	snprintf(want, sizeof(want),
		 "unbrick: with --pin: %s:%u: [pin swdio] and [pin nrst] are "
		 "both on Pi pin 22\n",
		 path, at);
	if (strncmp(r.err, want, strlen(want)))
		fail_msg("stderr:\n%s\nwant:\n%s", r.err, want);
	cli_result_free(&r);
}

/* An unknown short option among others is named, not the program. */
static void unknown_option_in_a_bundle(void **state)
{
	struct cli_result r;

	(void)state;
	run(&r, "-Xv", "boards");
	status(&r, 2);
	has(r.err, "unknown option '-X");
	lacks(r.err, unbrick);
	cli_result_free(&r);
}

/* --- image info --- */

/* One Intel HEX record with its checksum and a newline. */
static size_t ihex(char *out, unsigned type, unsigned off, const uint8_t *d,
		   size_t n)
{
	uint8_t sum = (uint8_t)(n + (off >> 8) + off + type);
	size_t len = (size_t)sprintf(out, ":%02X%04X%02X", (unsigned)n,
				     off & 0xFFFF, type);

	for (size_t i = 0; i < n; i++) {
		len += (size_t)sprintf(out + len, "%02X", d[i]);
		sum += d[i];
	}
	return len + (size_t)sprintf(out + len, "%02X\n", (uint8_t)-sum);
}

static void image_info_hex_json(void **state)
{
	static const uint8_t upper[2] = {0x08, 0x00};
	uint8_t data[1024];
	char text[4096], path[4300], want[256], arg[4400];
	struct cli_result r;
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + (i >> 8));
	n += ihex(text + n, 4, 0, upper, 2);
	for (size_t off = 0; off < sizeof(data); off += 32)
		n += ihex(text + n, 0, (unsigned)off, data + off, 32);
	n += (size_t)sprintf(text + n, ":00000001FF\n");
	write_file("fw.hex", text, n, path, sizeof(path));

	snprintf(want, sizeof(want),
		 "{\"format\":\"ihex\",\"entry\":null,\"segments\":[{"
		 "\"address\":134217728,\"size\":1024,\"crc32\":\"0x%08lx\"}]}"
		 "\n",
		 crc32(crc32(0, NULL, 0), data, sizeof(data)));
	run(&r, "image", "info", "--json", path);
	status(&r, 0);
	assert_string_equal(r.out, want);
	assert_string_equal(r.err, "");
	assert_true(cli_json_valid(r.out));
	cli_result_free(&r);

	/* the same in words */
	run(&r, "image", "info", path);
	status(&r, 0);
	has(r.out, "fw.hex: Intel HEX\n");
	has(r.out, "0x08000000");
	has(r.out, "0x080003FF");
	snprintf(want, sizeof(want), "0x%08lx",
		 crc32(crc32(0, NULL, 0), data, sizeof(data)));
	has(r.out, want);
	has(r.out, "1024 bytes in 1 segment\n");
	cli_result_free(&r);

	/* with a board, the regions it touches */
	run(&r, "image", "info", "-B", "spark-core", path);
	status(&r, 0);
	has(r.out, "regions");
	has(r.out, "bootloader");
	cli_result_free(&r);

	/* @WHERE is for raw binaries */
	snprintf(arg, sizeof(arg), "%s@0x08005000", path);
	run(&r, "image", "info", arg);
	status(&r, 2);
	has(r.err, "carries its own addresses");
	cli_result_free(&r);
}

static void image_info_sample(void **state)
{
	char path[4200];
	struct cli_result r;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/data/sample.hex", srcdir);
	if (access(path, R_OK)) {
		skip();
		return;
	}
	run(&r, "image", "info", path);
	status(&r, 0);
	has(r.out, "sample.hex: Intel HEX");
	has(r.out, "0x08000000");
	cli_result_free(&r);
	run(&r, "image", "info", "--json", path);
	status(&r, 0);
	has(r.out, "{\"format\":\"ihex\",");
	has(r.out, "\"address\":134217728,");
	assert_true(cli_json_valid(r.out));
	cli_result_free(&r);
}

static void image_info_bin(void **state)
{
	uint8_t data[300];
	char path[4300], arg[4400], want[256];
	unsigned long crc;
	struct cli_result r;

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(255 - i);
	crc = crc32(crc32(0, NULL, 0), data, sizeof(data));
	write_file("fw.bin", data, sizeof(data), path, sizeof(path));

	/* placed with @ */
	snprintf(arg, sizeof(arg), "%s@0x08005000", path);
	run(&r, "image", "info", "--json", arg);
	status(&r, 0);
	snprintf(want, sizeof(want),
		 "{\"format\":\"bin\",\"entry\":null,\"segments\":[{"
		 "\"address\":134238208,\"size\":300,\"crc32\":\"0x%08lx\"}]}"
		 "\n",
		 crc);
	assert_string_equal(r.out, want);
	cli_result_free(&r);
	run(&r, "image", "info", arg);
	status(&r, 0);
	has(r.out, "fw.bin: raw binary");
	has(r.out, "0x08005000");
	has(r.out, "0x0800512B");
	cli_result_free(&r);

	/* not placed: the start of the flash */
	run(&r, "image", "info", "--json", path);
	status(&r, 0);
	has(r.out, "\"address\":134217728,\"size\":300,");
	cli_result_free(&r);

	/* placed at a region, and in the companion flash */
	snprintf(arg, sizeof(arg), "%s@app", path);
	run(&r, "-B", "spark-core", "image", "info", arg);
	status(&r, 0);
	has(r.out, "0x08005000");
	has(r.out, " app\n");
	cli_result_free(&r);
	snprintf(arg, sizeof(arg), "%s@server-key", path);
	run(&r, "-B", "spark-core", "image", "info", arg);
	status(&r, 0);
	has(r.out, "spi:0x00001000");
	has(r.out, "keys, server-key");
	cli_result_free(&r);
	snprintf(arg, sizeof(arg), "%s@spi:0x2000", path);
	run(&r, "image", "info", "--json", arg);
	status(&r, 0);
	has(r.out, "\"address\":8192,\"size\":300,");
	cli_result_free(&r);

	/* too big for the place */
	snprintf(arg, sizeof(arg), "%s@app:256", path);
	run(&r, "-B", "spark-core", "image", "info", arg);
	status(&r, 1);
	has(r.err, "300 bytes; it does not fit in app:256 (256 bytes)");
	cli_result_free(&r);
	/* a region without a board */
	snprintf(arg, sizeof(arg), "%s@app", path);
	run(&r, "image", "info", arg);
	status(&r, 2);
	has(r.err, "say which board with -B");
	cli_result_free(&r);
	snprintf(arg, sizeof(arg), "%s@bogus", path);
	run(&r, "-B", "spark-core", "image", "info", arg);
	status(&r, 2);
	has(r.err, "(regions: bootloader, eeprom");
	cli_result_free(&r);
}

static void image_info_errors(void **state)
{
	static const uint8_t d[4] = {1, 2, 3, 4};
	char text[512], path[4300], want[4400];
	struct cli_result r;
	size_t n = 0;

	(void)state;
	/* line 3 has a wrong checksum */
	n += ihex(text + n, 4, 0, (const uint8_t[]){0x08, 0x00}, 2);
	n += ihex(text + n, 0, 0, d, 4);
	n += ihex(text + n, 0, 4, d, 4);
	text[n - 2] ^= 1; /* the last checksum digit */
	n += (size_t)sprintf(text + n, ":00000001FF\n");
	write_file("corrupt.hex", text, n, path, sizeof(path));
	run(&r, "image", "info", path);
	status(&r, 1);
	assert_string_equal(r.out, "");
	snprintf(want, sizeof(want), "unbrick: %s: line 3: ", path);
	has(r.err, want);
	has(r.err, "checksum");
	cli_result_free(&r);

	run(&r, "image", "info", "/nonexistent/fw.hex");
	status(&r, 1);
	has(r.err, "/nonexistent/fw.hex");
	cli_result_free(&r);

	write_file("empty.bin", "", 0, path, sizeof(path));
	run(&r, "image", "info", path);
	status(&r, 1);
	has(r.err, "empty");
	cli_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(help),
		cmocka_unit_test(version),
		cmocka_unit_test(usage_errors),
		cmocka_unit_test(boards_list),
		cmocka_unit_test(boards_show),
		cmocka_unit_test(boards_with_a_broken_profile),
		cmocka_unit_test(wiring_spark_core),
		cmocka_unit_test(wiring_header_marks),
		cmocka_unit_test(wiring_options_anywhere),
		cmocka_unit_test(wiring_no_uart_on_spark_core),
		cmocka_unit_test(wiring_dso_quad_uart),
		cmocka_unit_test(wiring_needs_a_board),
		cmocka_unit_test(wiring_pin_override),
		cmocka_unit_test(wiring_json),
		cmocka_unit_test(pin_collision_message),
		cmocka_unit_test(unknown_option_in_a_bundle),
		cmocka_unit_test(image_info_hex_json),
		cmocka_unit_test(image_info_sample),
		cmocka_unit_test(image_info_bin),
		cmocka_unit_test(image_info_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
