// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Board profiles: the shipped ones load with the facts of BOARDS.md; broken
 * ones are refused with "file:line: what" naming the right line, from memory
 * and from a file; --pin moves lines; the Pi header table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "ub/board.h"
#include "ub/err.h"
#include "ub/pi.h"

/* --- helpers --- */

static char boards_dir[4096]; /* the shipped profiles */
static char tmp_dir[] = "/tmp/ub-test-board-XXXXXX";

static int setup(void **state)
{
	const char *src = getenv("UNBRICK_SRCDIR");
	const char *env = getenv("UNBRICK_BOARDS");

	(void)state;
	snprintf(boards_dir, sizeof(boards_dir), "%s/boards", src ? src : ".");
	/* bases are found through the search path */
	if (!env || !*env)
		setenv("UNBRICK_BOARDS", boards_dir, 1);
	if (!mkdtemp(tmp_dir))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	char cmd[4200];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
	return system(cmd) ? -1 : 0;
}

/* Write text to tmp_dir/name; the path goes into path. */
static void write_tmp(const char *name, const char *text, char *path, size_t n)
{
	FILE *f;

	snprintf(path, n, "%s/%s", tmp_dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

static struct ub_board *shipped(const char *name)
{
	char path[4200];
	struct ub_board *b;
	int err = 1;

	snprintf(path, sizeof(path), "%s/%s.conf", boards_dir, name);
	ub_clear_error();
	b = ub_board_load(path, &err);
	if (!b)
		fail_msg("%s: %s", path, ub_errmsg(err));
	assert_int_equal(err, 0);
	assert_string_equal(b->name, name);
	assert_string_equal(b->file[0], path);
	return b;
}

/* The line of text (1-based) that starts with prefix, after blanks. */
static unsigned line_of(const char *path, const char *prefix)
{
	char buf[1024];
	unsigned line = 0, found = 0;
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	while (fgets(buf, sizeof(buf), f)) {
		const char *s = buf + strspn(buf, " \t");

		line++;
		if (!strncmp(s, prefix, strlen(prefix))) {
			found = line;
			break;
		}
	}
	fclose(f);
	if (!found)
		fail_msg("%s has no line starting with '%s'", path, prefix);
	return found;
}

static const struct ub_region *region(const struct ub_board *b,
				      const char *name, enum ub_space space,
				      uint32_t addr, uint32_t size)
{
	const struct ub_region *r = ub_board_region(b, name);

	if (!r)
		fail_msg("%s: no region '%s'", b->name, name);
	assert_string_equal(r->name, name);
	assert_int_equal(r->space, space);
	if (r->addr != addr || r->size != size)
		fail_msg("%s: region %s at 0x%X size %u, want 0x%X size %u",
			 b->name, name, r->addr, r->size, addr, size);
	return r;
}

static const struct ub_board_pin *pin(const struct ub_board *b,
				      const char *role, int pi)
{
	const struct ub_board_pin *p = ub_board_pin(b, role);

	if (!p)
		fail_msg("%s: no [pin %s]", b->name, role);
	if (p->pi != pi)
		fail_msg("%s: [pin %s] on Pi pin %d, want %d", b->name, role,
			 p->pi, pi);
	return p;
}

static void has(const char *s, const char *part)
{
	if (!strstr(s, part))
		fail_msg("'%s' does not contain '%s'", s, part);
}

/*
 * A broken profile: ub_board_parse of the text and ub_board_load of the same
 * text in a file both fail with UB_ECONFIG and "PATH:LINE: ..." containing
 * what: every error names a line.
 */
static void expect_bad(const char *text, unsigned line, const char *what)
{
	char path[4200], prefix[4300];
	struct ub_board *b;
	const char *msg;
	int err = 0;

	ub_clear_error();
	b = ub_board_parse(text, "t.conf", &err);
	msg = ub_errmsg(err);
	if (b || err != UB_ECONFIG)
		fail_msg("accepted (err %d, '%s'):\n%s", err, msg, text);
	snprintf(prefix, sizeof(prefix), "t.conf:%u: ", line);
	if (strncmp(msg, prefix, strlen(prefix)) || !strstr(msg, what))
		fail_msg("message '%s', want '%s...%s...'", msg, prefix, what);

	write_tmp("bad.conf", text, path, sizeof(path));
	ub_clear_error();
	err = 0;
	b = ub_board_load(path, &err);
	msg = ub_errmsg(err);
	if (b || err != UB_ECONFIG)
		fail_msg("%s accepted (err %d, '%s')", path, err, msg);
	snprintf(prefix, sizeof(prefix), "%s:%u: ", path, line);
	if (strncmp(msg, prefix, strlen(prefix)) || !strstr(msg, what))
		fail_msg("message '%s', want '%s...%s...'", msg, prefix, what);
}

static struct ub_board *expect_good(const char *text)
{
	struct ub_board *b;
	int err = 1;

	ub_clear_error();
	b = ub_board_parse(text, "t.conf", &err);
	if (!b)
		fail_msg("refused: %s\n%s", ub_errmsg(err), text);
	assert_int_equal(err, 0);
	return b;
}

/* A minimal good profile: SWD on three pins; 9 lines. */
#define GOOD                 \
	"[board]\n"          \
	"family = stm32f1\n" \
	"[interface swd]\n"  \
	"[pin swclk]\n"      \
	"pi = GPIO11\n"      \
	"[pin swdio]\n"      \
	"pi = GPIO25\n"      \
	"[pin gnd]\n"        \
	"pi = GND\n"
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
		cmocka_unit_test(spark_core),
		cmocka_unit_test(dso_quad),
		cmocka_unit_test(dso_quad_281_inherits),
		cmocka_unit_test(bluepill_inherits_stm32f1),
		cmocka_unit_test(load_by_name),
		cmocka_unit_test(chains_of_bases),
		cmocka_unit_test(bad_structure),
		cmocka_unit_test(bad_values),
		cmocka_unit_test(bad_regions),
		cmocka_unit_test(bad_pins),
		cmocka_unit_test(bad_references),
		cmocka_unit_test(bad_base_and_limits),
		cmocka_unit_test(not_a_text_file),
		cmocka_unit_test(syntax),
		cmocka_unit_test(set_pin),
		cmocka_unit_test(names),
		cmocka_unit_test(pi_pin_parse),
		cmocka_unit_test(pi_header),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
