// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The clip path through the stand-in libgpiod (issue 5): a companion
 * SST25VF016B wired to four Pi GPIO lines (tests/data/clip.conf), reached
 * by bit-banging SPI mode 0 from the Pi while NRST holds the MCU in reset;
 * then sigrok-cli's SPI decoder, with spiflash stacked, reads the VCD trace
 * the session wrote.
 */
#define _GNU_SOURCE /* strcasestr */
#include "vb_gpiod_test_util.h"

/* tests/data/clip.conf's wiring (BCM GPIO numbers) */
#define L_CS   16
#define L_CLK  21
#define L_MOSI 20
#define L_MISO 19

struct clip {
	struct gpiod_chip *chip;
	struct gpiod_line *cs, *clk, *mosi, *miso, *nrst;
};

static void half_period(void)
{
	usleep(1); /* the board's clock moves with the Pi's sleeps */
}

static uint8_t xfer_byte(struct clip *c, uint8_t out)
{
	uint8_t in = 0;

	for (int bit = 7; bit >= 0; bit--) {
		int v;

		assert_int_equal(gpiod_line_set_value(c->mosi, out >> bit & 1),
				 0);
		half_period();
		v = gpiod_line_get_value(c->miso);
		assert_true(v == 0 || v == 1);
		in = (uint8_t)(in << 1 | v);
		assert_int_equal(gpiod_line_set_value(c->clk, 1), 0);
		half_period();
		assert_int_equal(gpiod_line_set_value(c->clk, 0), 0);
	}
	return in;
}

/* CS# low, tx out, nrx bytes in, CS# high. */
static void cmd(struct clip *c, const uint8_t *tx, size_t ntx, uint8_t *rx,
		size_t nrx)
{
	assert_int_equal(gpiod_line_set_value(c->cs, 0), 0);
	half_period();
	for (size_t i = 0; i < ntx; i++)
		xfer_byte(c, tx[i]);
	for (size_t i = 0; i < nrx; i++)
		rx[i] = xfer_byte(c, 0xFF);
	half_period();
	assert_int_equal(gpiod_line_set_value(c->cs, 1), 0);
	half_period();
}

static uint8_t rdsr(struct clip *c)
{
	uint8_t op = 0x05, sr;

	cmd(c, &op, 1, &sr, 1);
	return sr;
}

static void wren(struct clip *c)
{
	uint8_t op = 0x06;

	cmd(c, &op, 1, NULL, 0);
}

static void wait_ready(struct clip *c)
{
	for (int i = 0; i < 1000; i++) {
		if (!(rdsr(c) & 0x01))
			return;
		usleep(100);
	}
	fail_msg("the chip stays busy");
}

static struct gpiod_line *line_out(struct clip *c, unsigned int off, int v,
				   int flags)
{
	struct gpiod_line *l = gpiod_chip_get_line(c->chip, off);

	assert_non_null(l);
	assert_int_equal(gpiod_line_request_output_flags(l, "test", flags, v),
			 0);
	return l;
}

static void clip_open(struct clip *c)
{
	c->chip = open0();
	/* the MCU held in reset: its pins leave the chip alone */
	c->nrst = line_out(c, L_NRST, 0, GPIOD_LINE_REQUEST_FLAG_OPEN_DRAIN);
	c->cs = line_out(c, L_CS, 1, 0);
	c->clk = line_out(c, L_CLK, 0, 0);
	c->mosi = line_out(c, L_MOSI, 0, 0);
	c->miso = gpiod_chip_get_line(c->chip, L_MISO);
	assert_non_null(c->miso);
	assert_int_equal(gpiod_line_request_input(c->miso, "test"), 0);
}

static void clip_program_and_decode(void **state)
{
	static const uint8_t data[] = {0xDE, 0xAD, 0xBE, 0xEF, 0x42};
	const uint32_t addr = 0x1000;
	char conf[4300], vcd[4300], cmdline[9000], *out;
	struct clip c;
	uint8_t tx[8], rx[8];
	struct vb *vb;

	(void)state;
	snprintf(conf, sizeof(conf), "%s/tests/data/clip.conf", srcdir);
	snprintf(vcd, sizeof(vcd), "%s", tmp_path("clip.vcd"));
	setenv("UB_VBOARD_BOARD", conf, 1);
	setenv("UB_VBOARD_STATE", tmp_path("clip-state"), 1);
	setenv("UB_VBOARD_VCD", vcd, 1);
	unsetenv("UB_VBOARD_SETTINGS"); /* the Pi's sleeps move the board */
	clip_open(&c);
	vb = vb_gpiod_board();
	assert_non_null(vb);
	assert_non_null(vb->nor);

	tx[0] = 0x9F; /* JEDEC ID */
	cmd(&c, tx, 1, rx, 3);
	assert_int_equal(rx[0], 0xBF);
	assert_int_equal(rx[1], 0x25);
	assert_int_equal(rx[2], 0x41);

	/* BP2-0 set at power-up; WREN, then WRSR clears them */
	assert_int_equal(rdsr(&c) & 0x1C, 0x1C);
	wren(&c);
	assert_int_equal(rdsr(&c) & 0x02, 0x02);
	tx[0] = 0x01;
	tx[1] = 0x00;
	cmd(&c, tx, 2, NULL, 0);
	wait_ready(&c);
	assert_int_equal(rdsr(&c) & 0x1C, 0);

	/* a 4 KB sector erase */
	wren(&c);
	tx[0] = 0x20;
	tx[1] = (uint8_t)(addr >> 16);
	tx[2] = (uint8_t)(addr >> 8);
	tx[3] = (uint8_t)addr;
	cmd(&c, tx, 4, NULL, 0);
	assert_int_equal(rdsr(&c) & 0x01, 0x01); /* busy */
	wait_ready(&c);

	/* byte program, one WREN each */
	for (size_t i = 0; i < sizeof(data); i++) {
		uint32_t a = addr + (uint32_t)i;

		wren(&c);
		tx[0] = 0x02;
		tx[1] = (uint8_t)(a >> 16);
		tx[2] = (uint8_t)(a >> 8);
		tx[3] = (uint8_t)a;
		tx[4] = data[i];
		cmd(&c, tx, 5, NULL, 0);
		wait_ready(&c);
	}

	/* read back, and one byte past: still erased */
	tx[0] = 0x03;
	tx[1] = (uint8_t)(addr >> 16);
	tx[2] = (uint8_t)(addr >> 8);
	tx[3] = (uint8_t)addr;
	cmd(&c, tx, 4, rx, sizeof(data) + 1);
	assert_memory_equal(rx, data, sizeof(data));
	assert_int_equal(rx[sizeof(data)], 0xFF);
	assert_int_equal(vb->st.spi_contention, 0);
	gpiod_chip_close(c.chip);
	assert_null(vb_gpiod_board());

	/* the trace: the SPI lines, decoded as flash commands */
	out = slurp(vcd);
	assert_non_null(out);
	assert_non_null(strstr(out, "$var wire 1 ) spi_clk $end"));
	free(out);
	/* a peer is not optional: CI installs it (scripts/deps.sh) */
	if (system("command -v sigrok-cli >/dev/null 2>&1"))
		fail_msg("sigrok-cli is not installed: run make deps");
	snprintf(cmdline, sizeof(cmdline),
		 "sigrok-cli -I vcd:compress=1000 -i '%s' -P "
		 "spi:clk=spi_clk:mosi=spi_mosi:miso=spi_miso:cs=spi_cs,"
		 "spiflash -A spiflash > '%s' 2>&1",
		 vcd, tmp_path("sigrok.out"));
	assert_int_equal(system(cmdline), 0);
	out = slurp(tmp_path("sigrok.out"));
	assert_non_null(out);
	/* spiflash names the JEDEC ID read RDID */
	if (!strstr(out, "Read identification (RDID)") ||
	    !strstr(out, "Manufacturer ID: 0xbf") ||
	    !strstr(out, "Memory type: 0x25") ||
	    !strstr(out, "Device ID: 0x41") ||
	    !strstr(out, "Write status register (WRSR)") ||
	    !strstr(out, "Erase sector 4096 (0x001000)") ||
	    !strstr(out,
		    "Read data (addr 0x001000, 6 bytes): de ad be ef 42 ff") ||
	    strcasestr(out, "error") || strcasestr(out, "warning")) {
		print_error("sigrok-cli:\n%.2000s\n", out);
		free(out);
		fail();
	}
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(clip_program_and_decode),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
