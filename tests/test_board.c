// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Board profiles: the shipped ones load with the facts of BOARDS.md,
 * by name and through chains of bases.
 */
#include "board_test_util.h"

/* GOOD's lines are 1-9: what follows it starts at line 10. */

/* --- the shipped profiles --- */

static void spark_core(void **state)
{
	struct ub_board *b = shipped("spark-core");
	const struct ub_board_pin *p;
	const struct ub_recipe *rc;
	const struct ub_sequence *s;
	const struct ub_region *r;

	(void)state;
	assert_int_equal(b->nfile, 1);
	assert_string_equal(b->base, "");
	assert_string_equal(b->family_name, "stm32f1");
	assert_non_null(b->family);
	assert_int_equal(b->family->flash_base, 0x08000000);
	assert_true(b->has_dev_id);
	assert_int_equal(b->dev_id, 0x410);
	assert_int_equal(b->flash_size, 128 * 1024);
	assert_int_equal(b->ram_size, 20 * 1024);
	assert_int_equal(b->default_iface, UB_IFACE_SWD);
	has(b->desc, "Spark Core");

	/* memories */
	region(b, "bootloader", UB_SPACE_MCU, 0x08000000, 16 * 1024);
	region(b, "eeprom", UB_SPACE_MCU, 0x08004000, 2 * 1024);
	region(b, "system-flags", UB_SPACE_MCU, 0x08004C00, 1024);
	r = region(b, "app", UB_SPACE_MCU, 0x08005000, 108 * 1024);
	assert_int_equal(r->at.file, 0);
	assert_int_equal(r->at.line, line_of(b->file[0], "app "));
	has(r->desc, "application");
	region(b, "keys", UB_SPACE_SPI, 0x1000, 8 * 1024);
	r = region(b, "server-key", UB_SPACE_SPI, 0x1000, 2 * 1024);
	assert_int_equal(r->at.line, line_of(b->file[0], "server-key "));
	region(b, "server-address", UB_SPACE_SPI, 0x1180, 128);
	region(b, "device-key", UB_SPACE_SPI, 0x2000, 1024);
	region(b, "factory-fw", UB_SPACE_SPI, 0x20000, 128 * 1024);
	region(b, "backup-fw", UB_SPACE_SPI, 0x40000, 128 * 1024);
	region(b, "ota-fw", UB_SPACE_SPI, 0x60000, 128 * 1024);
	assert_int_equal(b->nregion, 11);
	assert_null(ub_board_region(b, "licence"));
	assert_null(ub_board_region(b, "App")); /* names are exact */

	assert_int_equal(b->npreserve, 1);
	assert_string_equal(b->preserve[0], "keys");
	assert_int_equal(b->preserve_at.line, line_of(b->file[0], "preserve "));

	/* the companion flash, through the MCU's SPI2 */
	assert_true(b->spi.present);
	assert_string_equal(b->spi.bus, "mcu");
	assert_string_equal(b->spi.peripheral, "SPI2");
	assert_string_equal(b->spi.sck, "PB13");
	assert_string_equal(b->spi.miso, "PB14");
	assert_string_equal(b->spi.mosi, "PB15");
	assert_string_equal(b->spi.cs, "PB9");
	assert_int_equal(b->spi.mode, 0);
	assert_string_equal(b->spi.remap, "none");
	assert_int_equal(b->spi.npark, 2);
	assert_string_equal(b->spi.park[0].pin, "PB12");
	assert_int_equal(b->spi.park[0].level, 1);
	assert_string_equal(b->spi.park[1].pin, "PB8");
	assert_int_equal(b->spi.park[1].level, 0);
	assert_int_equal(b->spi.nchip, 1);
	assert_string_equal(b->spi.chip[0], "SST25VF016B");
	assert_int_equal(b->spi.size, 2 * 1024 * 1024);

	/* SWD yes, the UART bootloader no, and why */
	assert_true(b->iface[UB_IFACE_SWD].declared);
	assert_true(b->iface[UB_IFACE_SWD].available);
	assert_int_equal(b->iface[UB_IFACE_SWD].speed, 1000000);
	assert_string_equal(b->iface[UB_IFACE_SWD].leave, "run");
	assert_true(b->iface[UB_IFACE_UART].declared);
	assert_false(b->iface[UB_IFACE_UART].available);
	has(b->iface[UB_IFACE_UART].reason, "BOOT0 is tied to GND");

	/* pins */
	p = pin(b, "swclk", 23);
	assert_string_equal(p->pad, "D6");
	assert_int_equal(p->kind, UB_PIN_LINE);
	assert_false(p->open_drain);
	p = pin(b, "swdio", 22);
	assert_string_equal(p->pad, "D7");
	has(p->signal, "PA13");
	p = pin(b, "nrst", 18);
	assert_true(p->open_drain);
	assert_string_equal(p->pad, "RST");
	assert_int_equal(p->ifaces,
			 (1u << UB_IFACE_SWD) | (1u << UB_IFACE_UART));
	p = pin(b, "gnd", 20);
	assert_int_equal(p->kind, UB_PIN_GND);
	p = pin(b, "power", 2); /* the first 5V pin */
	assert_int_equal(p->kind, UB_PIN_POWER);
	assert_string_equal(p->pad, "VIN");
	assert_null(ub_board_pin(b, "boot0"));
	assert_null(ub_board_pin(b, "txd"));

	/* the run sequence */
	s = ub_board_sequence(b, "run");
	assert_non_null(s);
	assert_int_equal(s->nstep, 4);
	assert_int_equal(s->step[0].kind, UB_STEP_SET);
	assert_string_equal(s->step[0].role, "nrst");
	assert_int_equal(s->step[0].level, 0);
	assert_int_equal(s->step[1].kind, UB_STEP_WAIT);
	assert_int_equal(s->step[1].ms, 20);
	assert_int_equal(s->step[2].kind, UB_STEP_SET);
	assert_int_equal(s->step[2].level, -1);
	assert_int_equal(s->step[3].ms, 100);
	assert_null(ub_board_sequence(b, "enter-bootloader"));

	/* the restore recipe */
	rc = ub_board_recipe(b, "restore");
	assert_non_null(rc);
	assert_int_equal(rc->iface, UB_IFACE_SWD);
	assert_int_equal(rc->nstep, 14);
	assert_string_equal(rc->step[0].verb, "check");
	assert_string_equal(rc->step[0].args, "");
	assert_string_equal(rc->step[5].verb, "set");
	assert_string_equal(rc->step[5].args, "0x08004C04 u16 0x5000");
	assert_string_equal(rc->step[13].verb, "reset");
	assert_string_equal(rc->step[13].args, "run");
	assert_int_equal(rc->step[5].at.line,
			 line_of(b->file[0], "step = set "));
	assert_null(ub_board_recipe(b, "factory"));
	ub_board_free(b);
}

static void dso_quad(void **state)
{
	struct ub_board *b = shipped("dso-quad");
	const struct ub_board_iface *u;
	const struct ub_sequence *s;
	const struct ub_board_pin *p;

	(void)state;
	assert_int_equal(b->nfile, 1);
	assert_true(b->has_dev_id);
	assert_int_equal(b->dev_id, 0x414);
	assert_int_equal(b->flash_size, 0); /* VC or VE: not known */
	assert_int_equal(b->ram_size, 48 * 1024);
	assert_int_equal(b->default_iface, UB_IFACE_UART);

	region(b, "dfu", UB_SPACE_MCU, 0x08000000, 16 * 1024);
	region(b, "licence", UB_SPACE_MCU, 0x08003804, 4);
	region(b, "sys", UB_SPACE_MCU, 0x08004000, 32 * 1024);
	region(b, "app1", UB_SPACE_MCU, 0x0800C000, 32 * 1024);
	region(b, "app4", UB_SPACE_MCU, 0x08024000, 32 * 1024);
	region(b, "fpga", UB_SPACE_MCU, 0x0802C000, 68088);
	region(b, "logo", UB_SPACE_MCU, 0x0803D800, 10 * 1024);
	assert_int_equal(b->nregion, 10);
	assert_int_equal(b->npreserve, 1);
	assert_string_equal(b->preserve[0], "licence");

	u = &b->iface[UB_IFACE_UART];
	assert_true(u->available);
	assert_int_equal(u->baud, 115200);
	assert_string_equal(u->port, "/dev/serial0");
	assert_string_equal(u->enter, "enter-bootloader");
	assert_string_equal(u->leave, "run");
	assert_false(b->iface[UB_IFACE_SWD].available);
	assert_true(b->iface[UB_IFACE_SWD].declared);
	has(b->iface[UB_IFACE_SWD].reason, "no SWD header");

	p = pin(b, "boot0", 16);
	assert_int_equal(p->ifaces, 1u << UB_IFACE_UART);
	p = pin(b, "nrst", 18);
	assert_true(p->open_drain);
	p = pin(b, "txd", 8);
	assert_int_equal(p->kind, UB_PIN_UART);
	assert_string_equal(p->pad, "CN7 pin 4 RX");
	pin(b, "rxd", 10);
	pin(b, "gnd", 6);
	p = pin(b, "power", 0);
	assert_int_equal(p->kind, UB_PIN_POWER);

	s = ub_board_sequence(b, "enter-bootloader");
	assert_non_null(s);
	assert_int_equal(s->nstep, 5);
	assert_string_equal(s->step[0].role, "boot0");
	assert_int_equal(s->step[0].level, 1);
	assert_non_null(ub_board_sequence(b, "run"));

	assert_true(b->spi.present);
	assert_string_equal(b->spi.peripheral, "SPI3");
	assert_string_equal(b->spi.cs, "PB7");
	assert_int_equal(b->spi.mode, 3);
	assert_string_equal(b->spi.remap, "swj-jtag-off");
	assert_int_equal(b->spi.nchip, 2);
	assert_string_equal(b->spi.chip[0], "M25PE16");
	assert_string_equal(b->spi.chip[1], "W25Q64");
	assert_int_equal(b->spi.npark, 0);

	assert_int_equal(b->nnotes, 2);
	assert_int_equal(ub_board_recipe(b, "restore")->iface, UB_IFACE_UART);
	ub_board_free(b);
}

static void dso_quad_281_inherits(void **state)
{
	struct ub_board *b = shipped("dso-quad-2.81");
	const struct ub_region *r;

	(void)state;
	assert_string_equal(b->base, "dso-quad");
	assert_int_equal(b->nfile, 2);
	assert_non_null(strstr(b->file[1], "dso-quad.conf"));
	has(b->desc, "2.81");
	assert_int_equal(b->dev_id, 0x414); /* from the base */
	assert_int_equal(b->flash_size, 512 * 1024);
	assert_int_equal(b->ram_size, 64 * 1024);
	assert_int_equal(b->default_iface, UB_IFACE_UART);

	/* the licence word and the FPGA moved */
	r = region(b, "licence", UB_SPACE_MCU, 0x080000FC, 4);
	assert_int_equal(r->at.file, 0);
	assert_int_equal(r->at.line, line_of(b->file[0], "licence "));
	r = region(b, "fpga", UB_SPACE_MCU, 0x0805C800, 135096);
	assert_int_equal(r->at.file, 0);
	/* the rest is the base's */
	r = region(b, "sys", UB_SPACE_MCU, 0x08004000, 32 * 1024);
	assert_int_equal(r->at.file, 1);
	assert_int_equal(r->at.line, line_of(b->file[1], "sys "));
	region(b, "dfu", UB_SPACE_MCU, 0x08000000, 16 * 1024);
	region(b, "logo", UB_SPACE_MCU, 0x0803D800, 10 * 1024);
	assert_int_equal(b->nregion, 10); /* redefined in place */
	assert_int_equal(b->npreserve, 1);
	assert_string_equal(b->preserve[0], "licence");

	/* the UART and its pins, from the base */
	assert_true(b->iface[UB_IFACE_UART].available);
	assert_false(b->iface[UB_IFACE_SWD].available);
	assert_string_equal(b->iface[UB_IFACE_UART].enter, "enter-bootloader");
	pin(b, "txd", 8);
	pin(b, "rxd", 10);
	pin(b, "boot0", 16);
	assert_int_equal(pin(b, "nrst", 18)->at.file, 1);
	assert_non_null(ub_board_sequence(b, "enter-bootloader"));

	/* the companion flash: chip unknown, the rest as the base */
	assert_true(b->spi.present);
	assert_int_equal(b->spi.nchip, 1);
	assert_string_equal(b->spi.chip[0], "any");
	assert_string_equal(b->spi.peripheral, "SPI3");
	assert_string_equal(b->spi.cs, "PB7");
	has(b->spi.note, "8 MB");
	ub_board_free(b);
}

static void bluepill_inherits_stm32f1(void **state)
{
	struct ub_board *b = shipped("bluepill");
	struct ub_board *f1 = shipped("stm32f1");
	const struct ub_board_pin *p;

	(void)state;
	assert_string_equal(b->base, "stm32f1");
	assert_int_equal(b->nfile, 2);
	assert_true(b->has_dev_id);
	assert_int_equal(b->dev_id, 0x410);
	assert_int_equal(b->flash_size, 64 * 1024);
	assert_int_equal(b->ram_size, 20 * 1024);
	assert_int_equal(b->default_iface, UB_IFACE_SWD);
	assert_true(b->iface[UB_IFACE_SWD].available);
	assert_true(b->iface[UB_IFACE_UART].available);
	assert_int_equal(b->iface[UB_IFACE_UART].baud, 115200);
	assert_int_equal(b->nnotes, f1->nnotes + 1);

	/* the same lines as stm32f1, with the Blue Pill's pads */
	for (unsigned i = 0; i < f1->npin; i++) {
		const struct ub_board_pin *q = &f1->pin[i];

		p = pin(b, q->role, q->pi);
		assert_int_equal(p->kind, q->kind);
		assert_int_equal(p->ifaces, q->ifaces);
	}
	p = pin(b, "swclk", 23);
	assert_string_equal(p->pad, "SWD header CLK");
	assert_int_equal(p->at.file, 0);
	p = pin(b, "gnd", 20); /* not redefined: the base's */
	assert_int_equal(p->at.file, 1);
	assert_string_equal(p->pad, "GND");
	pin(b, "nrst", 18);
	pin(b, "boot0", 16);
	pin(b, "txd", 8);
	pin(b, "rxd", 10);
	p = pin(b, "power", 1); /* 3V3 */
	assert_int_equal(p->kind, UB_PIN_POWER);
	assert_int_equal(b->npin, f1->npin + 1);
	assert_non_null(ub_board_sequence(b, "enter-bootloader"));

	/* stm32f1 itself: any DEV_ID, sizes from the chip */
	assert_false(f1->has_dev_id);
	assert_int_equal(f1->flash_size, 0);
	assert_string_equal(f1->base, "");
	assert_int_equal(f1->nregion, 0);
	assert_false(f1->spi.present);
	ub_board_free(f1);
	ub_board_free(b);
}

static void load_by_name(void **state)
{
	struct ub_board *b;
	int err = 1;

	(void)state;
	/* a name is looked up in the search path ($UNBRICK_BOARDS) */
	b = ub_board_load("spark-core", &err);
	assert_non_null(b);
	assert_int_equal(err, 0);
	assert_string_equal(b->name, "spark-core");
	assert_non_null(strstr(b->file[0], "spark-core.conf"));
	ub_board_free(b);

	ub_clear_error();
	b = ub_board_load("no-such-board", &err);
	assert_null(b);
	assert_int_equal(err, UB_ENOENT);
	has(ub_errmsg(err), "no board profile 'no-such-board'");
	has(ub_errmsg(err), "unbrick boards");

	b = ub_board_load("/nonexistent/x.conf", &err);
	assert_null(b);
	assert_int_equal(err, UB_ENOENT);
	has(ub_errmsg(err), "/nonexistent/x.conf");
}

static void chains_of_bases(void **state)
{
	char path[4200], env[8400];
	const char *old = getenv("UNBRICK_BOARDS");
	struct ub_board *b;
	int err = 0;

	(void)state;
	/* mine -> bluepill -> stm32f1 */
	snprintf(env, sizeof(env), "%s:%s", tmp_dir, old ? old : boards_dir);
	setenv("UNBRICK_BOARDS", env, 1);
	write_tmp("mine.conf",
		  "[board]\nbase = bluepill\ndescription = mine\n"
		  "[pin nrst]\npi = GPIO17\n",
		  path, sizeof(path));
	b = ub_board_load(path, &err);
	if (!b)
		fail_msg("%s", ub_errmsg(err));
	assert_int_equal(b->nfile, 3);
	assert_string_equal(b->base, "bluepill"); /* the direct base */
	assert_string_equal(b->desc, "mine");
	assert_int_equal(b->flash_size, 64 * 1024);
	pin(b, "nrst", 11);
	pin(b, "swclk", 23);
	pin(b, "gnd", 20);
	ub_board_free(b);

	/* a broken base is reported at its own file and line */
	write_tmp("broken-base.conf",
		  "[board]\nfamily = stm32f1\nfrobnicate = yes\n", path,
		  sizeof(path));
	write_tmp("child.conf", "[board]\nbase = broken-base\n", path,
		  sizeof(path));
	ub_clear_error();
	b = ub_board_load(path, &err);
	assert_null(b);
	assert_int_equal(err, UB_ECONFIG);
	snprintf(path, sizeof(path), "%s/broken-base.conf:3: ", tmp_dir);
	if (strncmp(ub_errmsg(err), path, strlen(path)))
		fail_msg("'%s' should start with '%s'", ub_errmsg(err), path);
	has(ub_errmsg(err), "frobnicate");

	/* a base whose base is missing: the message names the base's file */
	write_tmp("orphan-base.conf",
		  "# the base\n[board]\nbase = no-such-profile\n", path,
		  sizeof(path));
	write_tmp("orphan.conf", "[board]\nbase = orphan-base\n", path,
		  sizeof(path));
	ub_clear_error();
	b = ub_board_load(path, &err);
	assert_null(b);
	assert_int_equal(err, UB_ECONFIG);
	snprintf(path, sizeof(path), "%s/orphan-base.conf:3: ", tmp_dir);
	if (strncmp(ub_errmsg(err), path, strlen(path)))
		fail_msg("'%s' should start with '%s'", ub_errmsg(err), path);
	has(ub_errmsg(err), "base profile 'no-such-profile' not found");

	/* a loop ends at the limit on files */
	write_tmp("loop.conf", "[board]\nbase = loop\nfamily = stm32f1\n", path,
		  sizeof(path));
	ub_clear_error();
	b = ub_board_load(path, &err);
	assert_null(b);
	assert_int_equal(err, UB_ECONFIG);
	has(ub_errmsg(err), "based on each other more than");

	if (old)
		setenv("UNBRICK_BOARDS", old, 1);
	else
		unsetenv("UNBRICK_BOARDS");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spark_core),
		cmocka_unit_test(dso_quad),
		cmocka_unit_test(dso_quad_281_inherits),
		cmocka_unit_test(bluepill_inherits_stm32f1),
		cmocka_unit_test(load_by_name),
		cmocka_unit_test(chains_of_bases),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
