// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Board profiles: --pin moves lines, pin names, the Pi header table.
 */
#include "board_test_util.h"

static void set_pin(void **state)
{
	struct ub_board *b = shipped("spark-core");
	const struct ub_board_pin *p;

	(void)state;
	/* --pin nrst=GPIO17: RST moves to physical pin 11 */
	assert_int_equal(ub_board_set_pin(b, "nrst=GPIO17"), 0);
	p = pin(b, "nrst", 11);
	assert_true(p->open_drain);
	assert_string_equal(p->pad, "RST"); /* the rest stays */
	assert_int_equal(ub_board_check(b), 0);
	assert_int_equal(ub_board_set_pin(b, "nrst=pin15"), 0);
	pin(b, "nrst", 15);
	assert_int_equal(ub_board_set_pin(b, "swclk=13"), 0);
	pin(b, "swclk", 13);
	assert_int_equal(ub_board_check(b), 0);

	/* a new line: a board button or boot0 */
	assert_int_equal(ub_board_set_pin(b, "boot0=pin16"), 0);
	p = pin(b, "boot0", 16);
	assert_int_equal(p->kind, UB_PIN_LINE);
	assert_false(p->open_drain);
	has(p->note, "--pin");
	assert_int_equal(ub_board_check(b), 0);

	/* onto a pin already used: set, but the check refuses it */
	assert_int_equal(ub_board_set_pin(b, "boot0=GPIO25"), 0);
	assert_int_equal(ub_board_check(b), UB_ECONFIG);
	has(ub_errmsg(UB_ECONFIG), "both on Pi pin 22");
	assert_int_equal(ub_board_set_pin(b, "boot0=GPIO23"), 0);
	assert_int_equal(ub_board_check(b), 0);

	/* refused, and nothing changes */
	assert_int_equal(ub_board_set_pin(b, "nrst"), UB_EUSAGE);
	has(ub_errmsg(UB_EUSAGE), "--pin takes ROLE=PIN");
	assert_int_equal(ub_board_set_pin(b, "=GPIO17"), UB_EUSAGE);
	assert_int_equal(ub_board_set_pin(b, "gnd=pin6"), UB_EUSAGE);
	has(ub_errmsg(UB_EUSAGE), "only GPIO lines can be moved");
	assert_int_equal(ub_board_set_pin(b, "txd=GPIO14"), UB_EUSAGE);
	assert_int_equal(ub_board_set_pin(b, "power=3V3"), UB_EUSAGE);
	assert_int_equal(ub_board_set_pin(b, "nrst=3V3"), UB_EUSAGE);
	has(ub_errmsg(UB_EUSAGE), "pin 1 is a power or ground pin");
	assert_int_equal(ub_board_set_pin(b, "nrst=pin6"), UB_EUSAGE);
	has(ub_errmsg(UB_EUSAGE), "pin 6 is a power or ground pin");
	assert_int_equal(ub_board_set_pin(b, "nrst=GND"), UB_EUSAGE);
	assert_int_equal(ub_board_set_pin(b, "nrst=GPIO28"), UB_EUSAGE);
	has(ub_errmsg(UB_EUSAGE), "--pin nrst: GPIO28 is not on the Pi's");
	assert_int_equal(ub_board_set_pin(b, "nrst=GPIO"), UB_EUSAGE);
	assert_int_equal(ub_board_set_pin(b, "nrst="), UB_EUSAGE);
	assert_int_equal(ub_board_set_pin(b, "nrst=pin41"), UB_EUSAGE);
	assert_int_equal(
		ub_board_set_pin(b, "a-role-name-longer-than-31-chars=GPIO5"),
		UB_EUSAGE);
	pin(b, "nrst", 15);
	pin(b, "gnd", 20);

	/* the table has room for UB_MAX_PINS */
	for (unsigned i = b->npin, gpio = 2; i < UB_MAX_PINS; i++, gpio++) {
		char a[32];

		while (ub_pi_pin_of_gpio(gpio) == 15 ||
		       ub_pi_pin_of_gpio(gpio) == 13 ||
		       ub_pi_pin_of_gpio(gpio) == 16 ||
		       ub_pi_pin_of_gpio(gpio) == 22)
			gpio++;
		snprintf(a, sizeof(a), "k%u=GPIO%u", i, gpio);
		assert_int_equal(ub_board_set_pin(b, a), 0);
	}
	assert_int_equal(b->npin, UB_MAX_PINS);
	assert_int_equal(ub_board_set_pin(b, "k99=5"), UB_EUSAGE);
	has(ub_errmsg(UB_EUSAGE), "too many pins");
	/* moving one that exists still works */
	assert_int_equal(ub_board_set_pin(b, "nrst=GPIO27"), 0);
	pin(b, "nrst", 13);
	ub_board_free(b);
}

/* --- small helpers and the Pi header --- */

static void names(void **state)
{
	struct ub_board *b = shipped("dso-quad-2.81");
	char buf[300], want[300];

	(void)state;
	assert_int_equal(ub_iface_parse("swd"), UB_IFACE_SWD);
	assert_int_equal(ub_iface_parse("UART"), UB_IFACE_UART);
	assert_int_equal(ub_iface_parse("jtag"), -1);
	assert_int_equal(ub_iface_parse(""), -1);
	assert_string_equal(ub_iface_name(UB_IFACE_SWD), "swd");
	assert_string_equal(ub_iface_name(UB_IFACE_UART), "uart");
	assert_string_equal(ub_iface_name(-1), "?");
	assert_string_equal(ub_iface_name(UB_IFACE_N), "?");
	assert_int_equal(ub_pin_kind_of("txd"), UB_PIN_UART);
	assert_int_equal(ub_pin_kind_of("rxd"), UB_PIN_UART);
	assert_int_equal(ub_pin_kind_of("gnd"), UB_PIN_GND);
	assert_int_equal(ub_pin_kind_of("power"), UB_PIN_POWER);
	assert_int_equal(ub_pin_kind_of("nrst"), UB_PIN_LINE);
	assert_int_equal(ub_pin_kind_of("k1"), UB_PIN_LINE);

	snprintf(want, sizeof(want), "%s:%u", b->file[1],
		 ub_board_region(b, "sys")->at.line);
	ub_board_where(b, ub_board_region(b, "sys")->at, buf, sizeof(buf));
	assert_string_equal(buf, want);
	/* an origin from no known file: the profile's own */
	snprintf(want, sizeof(want), "%s:7", b->file[0]);
	ub_board_where(b, (struct ub_origin){.file = 9, .line = 7}, buf,
		       sizeof(buf));
	assert_string_equal(buf, want);
	/* cut to the buffer */
	snprintf(want, 5, "%s", b->file[b->region[0].at.file]);
	assert_string_equal(ub_board_where(b, b->region[0].at, buf, 5), want);
	ub_board_free(b);
}

static void pi_pin_parse(void **state)
{
	static const struct {
		const char *name;
		int pin;
	} good[] = {
		{"GPIO24", 18}, {"gpio24", 18}, {"pin18", 18},	{"PIN18", 18},
		{"18", 18},	{"TXD", 8},	{"rxd", 10},	{"GND", 6},
		{"gnd", 6},	{"3V3", 1},	{"3.3V", 1},	{"5V", 2},
		{"GPIO0", 27},	{"GPIO27", 13}, {"GPIO2", 3},	{"1", 1},
		{"pin40", 40},	{"GPIO11", 23}, {"GPIO25", 22},
	};
	static const char *const bad[] = {
		"",	  "GPIO",    "GPIOx",	    "GPIO-1", "GPIO 24",
		"pin",	  "pin0",    "pin41",	    "41",     "0",
		"18a",	  "-3",	     "SDA",	    "P18",    "G24",
		"pin 18", "GPIO24x", "99999999999", "3V",     "GND1",
	};
	int n;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		n = ub_pi_pin_parse(good[i].name);
		if (n != good[i].pin)
			fail_msg("'%s' gave %d, want %d", good[i].name, n,
				 good[i].pin);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ub_clear_error();
		n = ub_pi_pin_parse(bad[i]);
		if (n != UB_ENOENT)
			fail_msg("'%s' gave %d, want UB_ENOENT", bad[i], n);
		has(ub_errmsg(n), "is not a Pi header pin");
	}
	/* on the SoC but not on the header */
	n = ub_pi_pin_parse("GPIO28");
	assert_int_equal(n, UB_ENOENT);
	has(ub_errmsg(n), "GPIO28 is not on the Pi's 40-pin header");
	assert_int_equal(ub_pi_pin_parse("GPIO45"), UB_ENOENT);
}

static void pi_header(void **state)
{
	int kinds[4] = {0}, seen[28] = {0};
	char name[16];

	(void)state;
	assert_null(ub_pi_pin(0));
	assert_null(ub_pi_pin(41));
	assert_null(ub_pi_pin(-1));
	assert_string_equal(ub_pi_pin_name(0, name, sizeof(name)), "?");
	assert_string_equal(ub_pi_pin_name(18, name, sizeof(name)), "GPIO24");
	assert_string_equal(ub_pi_pin_name(6, name, sizeof(name)), "GND");
	assert_string_equal(ub_pi_pin_name(1, name, sizeof(name)), "3V3");
	assert_string_equal(ub_pi_pin_name(4, name, sizeof(name)), "5V");
	assert_int_equal(ub_pi_pin_of_gpio(24), 18);
	assert_int_equal(ub_pi_pin_of_gpio(14), 8);
	assert_int_equal(ub_pi_pin_of_gpio(28), -1);
	assert_int_equal(ub_pi_pin_of_gpio(-1), -1);
	has(ub_pi_pin(8)->func, "TXD");
	has(ub_pi_pin(10)->func, "RXD");

	for (int pin = 1; pin <= UB_PI_PINS; pin++) {
		const struct ub_pi_pin *p = ub_pi_pin(pin);

		assert_non_null(p);
		kinds[p->kind]++;
		/* every name parses back to its pin (the first of a kind) */
		ub_pi_pin_name(pin, name, sizeof(name));
		if (p->kind == UB_PI_GPIO) {
			assert_in_range(p->bcm, 0, 27);
			seen[p->bcm]++;
			assert_int_equal(ub_pi_pin_of_gpio(p->bcm), pin);
			assert_int_equal(ub_pi_pin_parse(name), pin);
		} else {
			assert_int_equal(p->bcm, -1);
			assert_int_equal(ub_pi_pin(ub_pi_pin_parse(name))->kind,
					 p->kind);
		}
	}
	assert_int_equal(kinds[UB_PI_GPIO], 28);
	assert_int_equal(kinds[UB_PI_GND], 8);
	assert_int_equal(kinds[UB_PI_3V3], 2);
	assert_int_equal(kinds[UB_PI_5V], 2);
	for (int i = 0; i < 28; i++)
		assert_int_equal(seen[i], 1);
	/* the grounds are where every pinout shows them */
	for (int pin = 1; pin <= UB_PI_PINS; pin++)
		assert_int_equal(ub_pi_pin(pin)->kind == UB_PI_GND,
				 pin == 6 || pin == 9 || pin == 14 ||
					 pin == 20 || pin == 25 || pin == 30 ||
					 pin == 34 || pin == 39);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(set_pin),
		cmocka_unit_test(names),
		cmocka_unit_test(pi_pin_parse),
		cmocka_unit_test(pi_header),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
