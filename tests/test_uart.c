// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The UART path's parts without the virtual board: the profile syntax for
 * a USB-serial adapter's RTS/DTR, the lines and sequences on them, port
 * names, and the STM32F1 driver with the generic operations over a
 * scripted bootloader (fake_bl.c).
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

#include "fake_bl.h"
#include "ub/board.h"
#include "ub/err.h"
#include "ub/log.h"
#include "ub/ops.h"
#include "ub/serial.h"
#include "ub/stm32f1_uart.h"
#include "ub/uart_lines.h"

#define BASE                                                               \
	"[board]\nfamily = stm32f1\ninterface = uart\n[interface uart]\n"  \
	"[pin txd]\npi = GPIO14\n[pin rxd]\npi = GPIO15\n[pin gnd]\npi = " \
	"pin6\n"

static void has(const char *s, const char *what)
{
	if (!strstr(s, what))
		fail_msg("'%s' not in '%s'", what, s);
}

static struct ub_board *parse(const char *text, int want)
{
	int err = 0;
	struct ub_board *b = ub_board_parse(text, "t.conf", &err);

	assert_int_equal(err, want);
	return b;
}

static void profile_adapter_lines(void **state)
{
	struct ub_board *b;
	const struct ub_board_pin *p;

	(void)state;
	b = parse(BASE "[pin boot0]\npi = !RTS\n[pin nrst]\npi = dtr\n", 0);
	p = ub_board_pin(b, "boot0");
	assert_int_equal(p->modem, UB_MODEM_RTS);
	assert_true(p->modem_inverted);
	assert_int_equal(p->pi, 0);
	p = ub_board_pin(b, "nrst");
	assert_int_equal(p->modem, UB_MODEM_DTR);
	assert_false(p->modem_inverted);
	/* --pin moves a line onto the adapter, and back to a GPIO */
	assert_int_equal(ub_board_set_pin(b, "boot0=dtr"), 0);
	assert_int_equal(ub_board_check(b), UB_ECONFIG);
	has(ub_errmsg(UB_ECONFIG), "both on the adapter's DTR");
	assert_int_equal(ub_board_set_pin(b, "boot0=GPIO23"), 0);
	assert_int_equal(ub_board_pin(b, "boot0")->modem, UB_MODEM_NONE);
	assert_int_equal(ub_board_check(b), 0);
	assert_int_equal(ub_board_set_pin(b, "nrst=rtx"), UB_EUSAGE);
	has(ub_errmsg(UB_EUSAGE), "rts, dtr, !rts, !dtr");
	ub_board_free(b);
	b = parse(BASE "[pin swclk]\npi = rts\n", UB_ECONFIG);
	has(ub_errmsg(UB_ECONFIG), "[pin swclk] cannot be on the serial "
				   "adapter's RTS");
	assert_null(b);
	assert_string_equal(ub_modem_name(UB_MODEM_DTR, true), "inverted DTR");
}

/* A ub_serial that records its lines. */
struct rec {
	struct ub_serial s;
	unsigned hist[32];
	unsigned n;
};

static int rec_lines(struct ub_serial *s, unsigned mask, unsigned values)
{
	struct rec *r = (struct rec *)s;

	s->lines = (s->lines & ~mask) | (values & mask);
	if (r->n < 32)
		r->hist[r->n++] = s->lines;
	return 0;
}

static const struct ub_serial_ops rec_ops = {.set_lines = rec_lines};

static char asked[512];

static int ask(const char *text, bool yes)
{
	snprintf(asked + strlen(asked), sizeof(asked) - strlen(asked), "%s%s|",
		 text, yes ? " (y)" : "");
	return 0;
}

static void sequences_on_rts_dtr(void **state)
{
	struct rec r = {.s = {.ops = &rec_ops}};
	struct ub_uart_lines l;
	struct ub_board *b;

	(void)state;
	b = parse(BASE "[pin boot0]\npi = !rts\n[pin nrst]\npi = dtr\n"
		       "[sequence in]\nboot0 = 1\nnrst = 0\nwait = 1ms\n"
		       "say = now\nnrst = release\n"
		       "[interface uart]\nenter = in\n",
		  0);
	assert_int_equal(ub_uart_lines_open(&l, b, &r.s, true, ask), 0);
	assert_null(l.gpio);
	assert_true(ub_uart_lines_can(&l, "boot0"));
	assert_false(ub_uart_lines_can(&l, "k1"));
	asked[0] = '\0';
	assert_int_equal(ub_uart_lines_enter(&l), 0);
	/* BOOT0 1 through the inverter: RTS asserted; NRST 0: DTR asserted
	 * (its pin low), then released */
	assert_int_equal(r.n, 3);
	assert_int_equal(r.hist[0], UB_SERIAL_RTS);
	assert_int_equal(r.hist[1], UB_SERIAL_RTS | UB_SERIAL_DTR);
	assert_int_equal(r.hist[2], UB_SERIAL_RTS);
	assert_string_equal(asked, "now (y)|");
	/* no leave sequence named: BOOT0 low, a pulse on NRST */
	r.n = 0;
	assert_int_equal(ub_uart_lines_leave(&l), 0);
	assert_int_equal(r.hist[0], 0);
	assert_int_equal(r.hist[1], UB_SERIAL_DTR);
	assert_int_equal(r.hist[2], 0);
	ub_uart_lines_close(&l);
	ub_board_free(b);
}

static void nothing_wired_asks(void **state)
{
	struct rec r = {.s = {.ops = &rec_ops}};
	struct ub_uart_lines l;
	struct ub_board *b;

	(void)state;
	b = parse(BASE, 0);
	assert_int_equal(ub_uart_lines_open(&l, b, &r.s, false, ask), 0);
	asked[0] = '\0';
	assert_int_equal(ub_uart_lines_enter(&l), 0);
	has(asked, "Set BOOT0 high (1: the jumper or switch) and reset the "
		   "board");
	assert_int_equal(ub_uart_lines_leave(&l), UB_EUNSUPPORTED);
	assert_int_equal(r.n, 0);
	ub_board_free(b);
	/* BOOT0 wired, NRST not: BOOT0 is set, the reset is asked for */
	b = parse(BASE "[pin boot0]\npi = rts\n", 0);
	assert_int_equal(ub_uart_lines_open(&l, b, &r.s, false, ask), 0);
	asked[0] = '\0';
	assert_int_equal(ub_uart_lines_enter(&l), 0);
	has(asked, "Reset the board now");
	assert_int_equal(r.s.lines, 0); /* BOOT0 1: RTS negated */
	ub_board_free(b);
}

static void port_names(void **state)
{
	char dir[] = "/tmp/ub-test-uart-XXXXXX", a[300], b[300], out[300];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/serial0", dir);
	snprintf(b, sizeof(b), "%s/hop", dir);
	assert_int_equal(symlink("/dev/null", b), 0);
	assert_int_equal(symlink("hop", a), 0);
	assert_int_equal(ub_serial_resolve(a, out, sizeof(out)), 0);
	assert_string_equal(out, "/dev/null");
	assert_int_equal(ub_serial_resolve("null", out, sizeof(out)), 0);
	assert_string_equal(out, "/dev/null");
	unlink(b);
	assert_int_equal(symlink("/dev/ttyAMA9", b), 0);
	assert_int_equal(ub_serial_resolve(a, out, sizeof(out)), UB_ENOENT);
	has(ub_errmsg(UB_ENOENT), "which does not exist");
	assert_int_equal(ub_serial_resolve("/dev/ttyNOPE", out, sizeof(out)),
			 UB_ENOENT);
	has(ub_errmsg(UB_ENOENT), "/dev/ttyUSB0");
	unlink(a);
	unlink(b);
	rmdir(dir);
}

/* --- the F1 driver over the scripted bootloader --- */

struct drv {
	struct fake_bl *f;
	struct ub_serial *ser;
	struct ub_an3155 bl;
	struct ub_target *t;
};

static int drv_setup(void **state)
{
	struct drv *d = calloc(1, sizeof(*d));
	int err;

	ub_log_level = 0;
	d->f = fbl_start(&d->ser);
	ub_an3155_init(&d->bl, d->ser);
	d->bl.reply_ms = 100;
	d->bl.boot_ms = 5;
	assert_int_equal(ub_an3155_sync(&d->bl), 0);
	d->t = ub_stm32f1_uart(&d->bl, NULL, &err);
	assert_int_equal(err, 0);
	*state = d;
	return 0;
}

static int drv_teardown(void **state)
{
	struct drv *d = *state;

	d->t->ops->close(d->t);
	fbl_stop(d->f, d->ser);
	free(d);
	return 0;
}

static void driver_probe(void **state)
{
	struct drv *d = *state;
	const struct ub_target_info *in = &d->t->info;

	assert_int_equal(in->dev_id, 0x410);
	assert_int_equal(in->flash_size, 64 * 1024);
	assert_int_equal(in->page_size, 1024);
	assert_int_equal(in->ram_size, 20 * 1024);
	assert_memory_equal(in->uid, d->f->uid, 12);
	assert_false(in->rdp);
	assert_int_equal(in->wrp, 0xFFFFFFFF);
}

/* An Intel HEX record, checksum and all, appended to out. */
static void ihex(char *out, unsigned type, unsigned addr, const uint8_t *d,
		 unsigned n)
{
	unsigned sum = n + (addr >> 8) + (addr & 0xFF) + type;
	char *p = out + strlen(out);

	p += sprintf(p, ":%02X%04X%02X", n, addr, type);
	for (unsigned i = 0; i < n; i++) {
		p += sprintf(p, "%02X", d[i]);
		sum += d[i];
	}
	sprintf(p, "%02X\n", (0x100 - (sum & 0xFF)) & 0xFF);
}

/* Pieces of flash (offsets from 0x08000000), with gaps between them. */
static void image_of(struct ub_image *img, const unsigned *off,
		     const uint8_t *const *data, const unsigned *n,
		     unsigned pieces)
{
	static const uint8_t upper[2] = {0x08, 0x00};
	char text[1024] = "";

	ihex(text, 4, 0, upper, 2);
	for (unsigned i = 0; i < pieces; i++)
		ihex(text, 0, off[i], data[i], n[i]);
	ihex(text, 1, 0, NULL, 0);
	memset(img, 0, sizeof(*img));
	assert_int_equal(ub_image_load_mem(img, text, strlen(text), UB_FMT_IHEX,
					   0, "t.hex"),
			 0);
}

/*
 * Programming without an erase where a word is half "leave alone": the
 * halfword next to new data is already programmed, and Write Memory would
 * write 0xFFFF over it (a program error). The driver rewrites the page.
 */
static void driver_write_half_words(void **state)
{
	struct drv *d = *state;
	struct ub_write_stats st;
	struct ub_image img;
	uint8_t data[6] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66};

	memset(d->f->flash + 1024, 0xFF, 1024);
	d->f->flash[1024 + 2] = 0xAB; /* a programmed halfword at +2 */
	d->f->flash[1024 + 3] = 0xCD;
	image_of(&img, (unsigned[]){1024, 1024 + 8},
		 (const uint8_t *const[]){data, data}, (unsigned[]){2, 6}, 2);
	assert_int_equal(ub_op_write_image(d->t, &img, &st), 0);
	assert_int_equal(ub_op_verify_image(d->t, &img), 0);
	assert_int_equal(d->f->flash[1024 + 2], 0xAB);
	assert_int_equal(d->f->flash[1024 + 3], 0xCD);
	assert_memory_equal(d->f->flash + 1024, data, 2);
	assert_memory_equal(d->f->flash + 1024 + 8, data, 6);
	assert_int_equal(d->f->nacks, 0);
	assert_int_equal(d->f->nerased, 1); /* rewritten whole */
	ub_image_free(&img);
	/* on a page the driver erased, no read and no rewrite */
	memset(d->f->flash + 2048, 0, 1024);
	image_of(&img, (unsigned[]){2048}, (const uint8_t *const[]){data},
		 (unsigned[]){6}, 1);
	assert_int_equal(ub_op_write_image(d->t, &img, &st), 0);
	assert_int_equal(st.pages_erased, 1);
	assert_int_equal(d->f->nerased, 2);
	assert_int_equal(d->f->flash[2048 + 6], 0x00); /* kept */
	assert_int_equal(d->f->nacks, 0);
	ub_image_free(&img);
}

static void driver_protection(void **state)
{
	struct drv *d = *state;
	struct ub_target *t = d->t;

	assert_int_equal(t->ops->protect(t, UB_PROTECT_WRP, FBL_FLASH, 8192),
			 0);
	assert_int_equal(t->info.wrp, 0xFFFFFFFC);
	assert_int_equal(t->ops->protect(t, UB_PROTECT_WRP,
					 FBL_FLASH + 0x10000 - 1024, 1024),
			 0);
	assert_int_equal(t->info.wrp, 0xFFFF7FFC); /* both kept */
	assert_int_equal(ub_op_erase(t, FBL_FLASH, 1024), UB_EPROTECTED);
	assert_int_equal(t->ops->unprotect(t, UB_PROTECT_WRP), 0);
	assert_int_equal(t->info.wrp, 0xFFFFFFFF);
	d->f->flash[0] = 0x12;
	assert_int_equal(t->ops->protect(t, UB_PROTECT_RDP, 0, 0), 0);
	assert_true(t->info.rdp);
	has(t->info.name, "medium-density");
	assert_int_equal(t->ops->reset(t, UB_RESET_RUN), UB_EPROTECTED);
	assert_int_equal(t->ops->unprotect(t, UB_PROTECT_RDP | UB_PROTECT_WRP),
			 0);
	assert_false(t->info.rdp);
	assert_int_equal(d->f->flash[0], 0xFF);
	/* no lines: Go to the application */
	assert_int_equal(t->ops->reset(t, UB_RESET_RUN), 0);
	assert_int_equal(d->f->go_addr, FBL_FLASH);
	assert_int_equal(t->ops->reset(t, UB_RESET_HALT), UB_EUNSUPPORTED);
}

#define D(f) cmocka_unit_test_setup_teardown(f, drv_setup, drv_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(profile_adapter_lines),
		cmocka_unit_test(sequences_on_rts_dtr),
		cmocka_unit_test(nothing_wired_asks),
		cmocka_unit_test(port_names),
		D(driver_probe),
		D(driver_write_half_words),
		D(driver_protection),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
