// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Board profiles: broken ones are refused with "file:line: what" naming
 * the right line, from memory and from a file; the syntax.
 */
#include "board_test_util.h"

/* --- broken profiles --- */

static void bad_structure(void **state)
{
	(void)state;
	expect_bad(GOOD "[bogus]\n", 10, "unknown section [bogus]");
	expect_bad(GOOD "[pin]\n", 10, "[pin] needs a name");
	expect_bad(GOOD "[board extra]\n", 10, "[board] takes no name");
	expect_bad(GOOD "[pin a b]\n", 10, "a section header reads");
	expect_bad(GOOD "[pin nrst\n", 10, "must end with ']'");
	expect_bad(GOOD "[interface jtag]\n", 10, "unknown interface 'jtag'");
	expect_bad(GOOD "[sequence a/b]\n", 10, "not a valid name");
	expect_bad("[board]\nfamily = stm32f1\ncolour = red\n", 3,
		   "unknown key 'colour' in [board]");
	expect_bad(GOOD "[pin nrst]\npi = GPIO17\ncolour = red\n", 12,
		   "unknown key 'colour' in [pin]");
	expect_bad(GOOD "[interface swd]\nclock = 1M\n", 11,
		   "unknown key 'clock' in [interface]");
	expect_bad(GOOD "[spi]\nspeed = 1M\n", 11,
		   "unknown key 'speed' in [spi]");
	expect_bad(GOOD "[recipe r]\nsteps = check\n", 11,
		   "unknown key 'steps' in [recipe]");
	expect_bad("# a profile\n\nfamily = stm32f1\n[board]\n", 3,
		   "'family' comes before any [section]");
	expect_bad(GOOD "[regions]\napp 0x08005000 1K\n", 11,
		   "expected 'key = value'");
	expect_bad(GOOD "[board]\n= stm32f1\n", 11, "the key is missing");
}

static void bad_values(void **state)
{
	(void)state;
	expect_bad("[board]\nfamily = stm32f1\ndev_id = 0x4G0\n", 3,
		   "dev_id '0x4G0'");
	expect_bad("[board]\nfamily = stm32f1\ndev_id = 0x1000\n", 3, "12-bit");
	expect_bad("[board]\nfamily = stm32f1\nflash_size = lots\n", 3,
		   "flash_size 'lots'");
	expect_bad("[board]\nfamily = stm32f1\nflash_size = 8192M\n", 3,
		   "flash_size '8192M'");
	expect_bad("[board]\nfamily = stm33f1\n", 2,
		   "unknown MCU family 'stm33f1' (known: stm32f1)");
	expect_bad("[board]\nfamily = stm32f1\ninterface = jtag\n", 3,
		   "unknown interface 'jtag'");
	expect_bad(GOOD "[interface uart]\nbaud = fast\n", 11, "baud 'fast'");
	expect_bad(GOOD "[interface swd]\nspeed = 0\n", 11, "speed '0'");
	expect_bad(GOOD "[interface swd]\navailable = maybe\n", 11,
		   "'maybe' should be yes or no");
	expect_bad(GOOD "[pin nrst]\npi = GPIO99\n", 11,
		   "GPIO99 is not on the Pi's 40-pin header");
	expect_bad(GOOD "[pin nrst]\npi = pin41\n", 11,
		   "'pin41' is not a Pi header pin");
	expect_bad(GOOD "[pin nrst]\npi = GPIO17\ndrive = strong\n", 12,
		   "drive 'strong'");
	expect_bad(GOOD "[pin nrst]\npi = GPIO17\nfor = jtag\n", 12,
		   "unknown interface 'jtag' in 'for'");
	expect_bad(GOOD "[regions]\napp = 0x0800G000 1K\n", 11,
		   "'0x0800G000' is not an address");
	expect_bad(GOOD "[regions]\napp = 0x08005000 12Q\n", 11,
		   "'12Q' is not a size");
	expect_bad(GOOD "[regions]\napp = 0x08005000 0\n", 11,
		   "'0' is not a size");
	expect_bad(GOOD "[regions]\napp = 0xFFFFF000 8K\n", 11,
		   "runs past 4 GiB");
	expect_bad(GOOD "[regions]\na/b = 0x08005000 1K\n", 11,
		   "not a region name");
	expect_bad(GOOD "[sequence s]\nwait = soon\n", 11, "wait 'soon'");
	expect_bad(GOOD "[sequence s]\nswclk = 2\n", 11,
		   "'swclk = 2': a line is set to 0, 1 or release");
	expect_bad(GOOD "[spi]\nmode = 4\n", 11, "SPI mode '4'");
	expect_bad(GOOD "[spi]\npark = PB12\n", 11,
		   "park 'PB12' should read like PB12=1");
	expect_bad(GOOD "[spi]\npark = PB12=2\n", 11, "park 'PB12=2'");
	expect_bad(GOOD "[spi]\nsize = big\n", 11, "size 'big'");
	expect_bad(GOOD "[spi]\nperipheral = SPI2-remapped\n", 11,
		   "peripheral is too long");
	expect_bad(GOOD "[recipe r]\ninterface = jtag\n", 11,
		   "unknown interface 'jtag'");
}

static void bad_regions(void **state)
{
	(void)state;
	expect_bad(GOOD "[regions]\napp = 0x08005000\n", 11,
		   "region 'app' needs an address and a size");
	expect_bad(GOOD "[regions]\napp =\n", 11,
		   "region 'app' needs an address and a size");
	/* 64K from 0x08000000 ends at 0x08010000 */
	expect_bad("[board]\nfamily = stm32f1\nflash_size = 64K\n"
		   "[interface swd]\n[pin swclk]\npi = GPIO11\n"
		   "[pin swdio]\npi = GPIO25\n[pin gnd]\npi = GND\n"
		   "[regions]\nboot = 0x08000000 16K\n"
		   "app = 0x08005000 108K application\n",
		   13,
		   "region 'app' ends at 0x08020000, past the end of the "
		   "64 KiB flash");
	expect_bad(GOOD "[regions]\nkeys = spi:0x1000 8K\n", 11,
		   "region 'keys' is in the companion flash, but the profile "
		   "has no [spi] section");
	expect_bad(GOOD "[spi]\nsize = 2M\n[regions]\nfw = spi:0x1F0000 128K\n",
		   13, "region 'fw' ends at spi:0x210000, past the end");
	expect_bad(GOOD "[regions]\napp = 0x08005000 1K\n"
			"app = 0x08006000 1K\n",
		   12, "region is already defined at line 11");
	expect_bad(GOOD "[regions]\n"
			"a-name-of-thirty-two-characters2 = 0x08005000 1K\n",
		   11, "not a region name");
}

static void bad_pins(void **state)
{
	(void)state;
	expect_bad(GOOD "[pin swclk]\npi = GPIO17\n", 10,
		   "this pin is already defined at line 4");
	expect_bad(
		GOOD "[pin nrst]\npi = 3V3\n", 10,
		"[pin nrst] is on Pi pin 1 (3V3): a signal needs a GPIO pin");
	expect_bad(GOOD "[pin nrst]\npi = pin2\n", 10,
		   "[pin nrst] is on Pi pin 2 (5V)");
	expect_bad(GOOD "[pin txd]\npi = pin9\n", 10,
		   "[pin txd] is on Pi pin 9 (GND)");
	expect_bad(GOOD "[pin nrst]\npi = GPIO11\n", 10,
		   "[pin swclk] and [pin nrst] are both on Pi pin 23");
	expect_bad(GOOD "[pin nrst]\npi = 22\n", 10,
		   "[pin swdio] and [pin nrst] are both on Pi pin 22");
	expect_bad("[board]\nfamily = stm32f1\n[interface swd]\n"
		   "[pin swclk]\npi = GPIO11\n[pin swdio]\npi = GPIO25\n"
		   "[pin gnd]\npi = pin11\n",
		   8,
		   "[pin gnd] is on Pi pin 11 (GPIO17), which is not a "
		   "ground pin");
	expect_bad(GOOD "[pin power]\npi = GPIO17\n", 10,
		   "[pin power] must be a 3V3 or 5V pin");
	expect_bad(GOOD "[pin nrst]\npad = RST\n", 10,
		   "[pin nrst] needs 'pi = '");
}

static void bad_references(void **state)
{
	(void)state;
	/* the step at fault is named, not the start of its sequence */
	expect_bad(GOOD "[sequence run]\nswclk = 0\nboot0 = 1\n", 12,
		   "sequence 'run' sets 'boot0', which is not a [pin] GPIO "
		   "line");
	expect_bad(GOOD "[sequence run]\ngnd = 0\n", 11,
		   "sequence 'run' sets 'gnd'");
	expect_bad(GOOD "[sequence s]\nwait = 1ms\n[sequence s]\n", 12,
		   "this sequence is already defined at line 10");
	expect_bad("[board]\nfamily = stm32f1\npreserve = keys\n"
		   "[interface swd]\n[pin swclk]\npi = GPIO11\n"
		   "[pin swdio]\npi = GPIO25\n[pin gnd]\npi = GND\n",
		   3, "preserve names 'keys', which is not in [regions]");
	expect_bad(GOOD "[board]\npreserve = app, keys\n[regions]\n"
			"app = 0x08005000 1K\n",
		   11, "preserve names 'keys'");
	expect_bad("[board]\nfamily = stm32f1\n[interface uart]\n"
		   "[pin gnd]\npi = GND\n",
		   3,
		   "interface uart is available but no [pin txd] is wired "
		   "for it");
	expect_bad("[board]\nfamily = stm32f1\n[interface uart]\n"
		   "[pin gnd]\npi = GND\n[pin txd]\npi = TXD\n"
		   "[pin rxd]\npi = RXD\nfor = swd\n",
		   3, "interface uart is available but no [pin rxd]");
	expect_bad("[board]\nfamily = stm32f1\n[interface swd]\n"
		   "[pin swclk]\npi = GPIO11\n",
		   3, "no [pin swdio]");
	expect_bad("[board]\nfamily = stm32f1\n[interface swd]\n"
		   "enter = reset-into-dfu\n[pin swclk]\npi = GPIO11\n"
		   "[pin swdio]\npi = GPIO25\n[pin gnd]\npi = GND\n",
		   3,
		   "enter = reset-into-dfu, but there is no [sequence "
		   "reset-into-dfu]");
	expect_bad(GOOD "[interface swd]\nleave = run\n", 10,
		   "leave = run, but there is no [sequence run]");
	expect_bad(GOOD "[recipe r]\nstep = check\nstep = frobnicate app\n", 12,
		   "unknown step 'frobnicate' in recipe 'r'");
	expect_bad(GOOD "[recipe r]\nstep = write app\n", 11,
		   "step 'write app': no region 'app' in [regions]");
	expect_bad(GOOD "[recipe r]\nstep = erase spi\n", 11,
		   "no region 'spi'");
	expect_bad(GOOD "[recipe r]\nstep = unprotect everything\n", 11,
		   "step 'unprotect' takes one of: wrp rdp spi");
	expect_bad(GOOD "[recipe r]\nstep = unprotect\n", 11,
		   "step 'unprotect' takes one of");
	expect_bad(GOOD "[recipe r]\nstep = reset\n", 11,
		   "step 'reset' takes one of");
	expect_bad(GOOD "[recipe r]\nstep = reset ru\n", 11,
		   "step 'reset' takes one of");
	expect_bad(GOOD "[recipe r]\nstep = unprotect wrp rdp\n", 11,
		   "step 'unprotect' takes one of");
	expect_bad(GOOD "[recipe r]\nstep = reset run halt\n", 11,
		   "step 'reset' takes one of");
	expect_bad(GOOD "[recipe r]\nstep = backup now\n", 11,
		   "step 'backup' takes no arguments");
	expect_bad(GOOD "[recipe r]\nstep = set 0x08004C04 u64 1\n", 11,
		   "step 'set' reads");
	expect_bad(GOOD "[recipe r]\nstep = set 0x08004C04 u16\n", 11,
		   "step 'set' reads");
	expect_bad(GOOD "[recipe r]\nstep = sequence enter\n", 11,
		   "no [sequence enter]");
	expect_bad(GOOD "[recipe r]\ninterface = uart\n", 10,
		   "recipe 'r' uses uart, which this board does not have");
}

static void bad_base_and_limits(void **state)
{
	char text[2048];
	size_t n;

	(void)state;
	expect_bad("[board]\nfamily = stm32f1\nbase = stm32f1\n", 3,
		   "'base' must be the first key");
	expect_bad("# mine\n[board]\nbase = no-such-board\n", 3,
		   "base profile 'no-such-board' not found");
	/* line 11 is 600 characters */
	n = (size_t)snprintf(text, sizeof(text), GOOD "[board]\nnote = ");
	memset(text + n, 'x', 600 - 7);
	strcpy(text + n + 600 - 7, "\n[bogus]\n");
	expect_bad(text, 11, "line longer than 511 characters");
	/* what is missing is blamed on [board], or line 1 without one */
	expect_bad("[board]\ndescription = x\n[interface swd]\n", 1,
		   "[board] needs 'family = ' (stm32f1)");
	expect_bad("# a comment\n[board]\nfamily = stm32f1\n", 2,
		   "no [interface swd] or [interface uart] is available");
	expect_bad("[board]\nfamily = stm32f1\n[interface swd]\n"
		   "available = no\n",
		   1, "no [interface swd] or [interface uart]");
	expect_bad(GOOD "[board]\ninterface = uart\n", 11,
		   "the default interface uart is not available");
	expect_bad("", 1, "needs 'family = '");

	/* tables have limits, said at the line that passes them */
	n = (size_t)snprintf(text, sizeof(text), GOOD "[regions]\n");
	for (int i = 0; i <= UB_MAX_REGIONS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "r%d = 0x%08X 1K\n", i,
				      0x08000000 + 1024 * i);
	expect_bad(text, 11 + UB_MAX_REGIONS, "more than 40 regions");
	n = (size_t)snprintf(text, sizeof(text), GOOD "[sequence s]\n");
	for (int i = 0; i <= UB_MAX_STEPS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "wait = 1ms\n");
	expect_bad(text, 11 + UB_MAX_STEPS, "more than 24 steps");
	expect_bad(GOOD "[board]\ndescription = "
			"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
		   11, "the description is too long (at most 199 characters)");
}

static void not_a_text_file(void **state)
{
	static const char bin[] = "[board]\nfamily = stm32f1\0\n";
	char path[4200];
	struct ub_board *b;
	FILE *f;
	int err = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/nul.conf", tmp_dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fwrite(bin, 1, sizeof(bin) - 1, f);
	fclose(f);
	b = ub_board_load(path, &err);
	assert_null(b);
	assert_int_equal(err, UB_ECONFIG);
	has(ub_errmsg(err), "not a text file");
	/* a directory is not a profile */
	b = ub_board_load(tmp_dir, &err);
	assert_null(b);
	assert_int_equal(err, UB_ECONFIG);
	has(ub_errmsg(err), "not a board profile");
}

/* --- what the parser accepts --- */

static void syntax(void **state)
{
	struct ub_board *b;
	const struct ub_board_pin *p;
	const struct ub_region *r;

	(void)state;
	/* comments, blanks, CRLF, a '#' inside a value, release/z/high/low */
	b = expect_good("# comment\r\n; another\r\n\r\n  [board]  \r\n"
			"family=stm32f1   # trailing comment\r\n"
			"dev_id = ANY\r\n"
			"description = board #1 of a#b\r\n"
			"[interface swd]\r\nspeed = 400kHz\r\n"
			"[pin swclk]\r\npi = gpio11\r\npad = D6 # left\r\n"
			"[pin swdio]\r\npi = pin22\r\n"
			"[pin gnd]\r\npi = 39\r\n"
			"[pin nrst]\r\npi = GPIO24\r\ndrive = push-pull\r\n"
			"for = swd, uart\r\n"
			"[sequence s]\r\nnrst = low\r\nwait = 1.5s\r\n"
			"nrst = Z\r\nsay = press the button\r\nnrst = high\r\n"
			"[regions]\r\n"
			"app = 0x08005000 0x400   the app   # not this\r\n"
			"nodesc = 0x08006000 1K\r\n");
	assert_false(b->has_dev_id);
	assert_string_equal(b->desc, "board");
	assert_int_equal(b->iface[UB_IFACE_SWD].speed, 400000);
	p = pin(b, "swclk", 23);
	assert_string_equal(p->pad, "D6");
	pin(b, "swdio", 22);
	pin(b, "gnd", 39);
	p = pin(b, "nrst", 18);
	assert_false(p->open_drain);
	assert_int_equal(p->ifaces, 3);
	assert_int_equal(b->seq[0].nstep, 5);
	assert_int_equal(b->seq[0].step[0].level, 0);
	assert_int_equal(b->seq[0].step[1].ms, 1500);
	assert_int_equal(b->seq[0].step[2].level, -1);
	assert_int_equal(b->seq[0].step[3].kind, UB_STEP_SAY);
	assert_string_equal(b->seq[0].step[3].text, "press the button");
	assert_int_equal(b->seq[0].step[4].level, 1);
	r = region(b, "app", UB_SPACE_MCU, 0x08005000, 0x400);
	assert_string_equal(r->desc, "the app");
	assert_int_equal(r->at.line, 28);
	r = region(b, "nodesc", UB_SPACE_MCU, 0x08006000, 1024);
	assert_string_equal(r->desc, "");
	ub_board_free(b);

	/* a region name may have 31 characters */
	b = expect_good(GOOD "[regions]\n"
			     "a-name-of-thirty-one-characters = 0x08005000 "
			     "1K\n");
	region(b, "a-name-of-thirty-one-characters", UB_SPACE_MCU, 0x08005000,
	       1024);
	ub_board_free(b);

	/* a '#' that does not follow a blank is part of the value */
	b = expect_good(GOOD "[board]\ndescription = board#1\n");
	assert_string_equal(b->desc, "board#1");
	ub_board_free(b);

	/* a name from the path; the last line needs no newline */
	b = ub_board_parse(GOOD "[board]\nnote = n", "some/dir/my-board.conf",
			   &(int){0});
	assert_non_null(b);
	assert_string_equal(b->name, "my-board");
	assert_int_equal(b->nnotes, 1);
	assert_string_equal(b->notes[0], "n");
	ub_board_free(b);

	/* a redefinition in the same file is an error, over a base a change;
	   preserve and chip lists replace the earlier ones */
	b = expect_good(GOOD "[spi]\nchip = A B C\nchip = D\n"
			     "park = PA1=1\npark = PB2=0,PB3=1\n"
			     "[board]\npreserve = a\npreserve = b\n"
			     "[regions]\na = spi:0 1K\nb = spi:0x400 1K\n");
	assert_int_equal(b->spi.nchip, 1);
	assert_string_equal(b->spi.chip[0], "D");
	assert_int_equal(b->spi.npark, 2);
	assert_string_equal(b->spi.park[1].pin, "PB3");
	assert_int_equal(b->npreserve, 1);
	assert_string_equal(b->preserve[0], "b");
	ub_board_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_structure),
		cmocka_unit_test(bad_values),
		cmocka_unit_test(bad_regions),
		cmocka_unit_test(bad_pins),
		cmocka_unit_test(bad_references),
		cmocka_unit_test(bad_base_and_limits),
		cmocka_unit_test(not_a_text_file),
		cmocka_unit_test(syntax),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
