// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The clip (src/spi_gpio.c) on the virtual board: SPI mode 0 bit-banged by
 * the product's GPIO layer on the stand-in libgpiod, onto each modeled
 * chip's pins (spi_bus=none: the chip is reached only by the clip). JEDEC
 * IDs, raw commands that change the chip, a long read against the chip's
 * memory, the trace decoded by sigrok-cli, the speed setting on the
 * board's clock, and a running MCU that fights the clip.
 */
#include "vb_clip_test_util.h"

#include "ub/spinor.h"

/* One SCK edge on the virtual clock: half a period at clip_hz (1 MHz). */
#define CLIP_EDGE_PS (VB_PS_PER_US / 2)

static const struct chip {
	const char *setting;
	uint8_t id[3];
} chips[] = {
	{"sst25vf016b", {0xBF, 0x25, 0x41}},
	{"m25pe16", {0x20, 0x80, 0x15}},
	{"w25q64", {0xEF, 0x40, 0x17}},
};

static uint8_t rdsr(struct clip_rig *r)
{
	uint8_t op = 0x05, sr;

	clip_xfer(r, &op, 1, &sr, 1);
	return sr;
}

static void op1(struct clip_rig *r, uint8_t op)
{
	clip_xfer(r, &op, 1, NULL, 0);
}

static void wait_ready(struct clip_rig *r)
{
	for (int i = 0; i < 2000; i++) {
		if (!(rdsr(r) & 0x01))
			return;
		usleep(100); /* the board's clock moves with the Pi's sleeps */
	}
	fail_msg("the chip stays busy");
}

static void cmd_addr(uint8_t *tx, uint8_t op, uint32_t a)
{
	tx[0] = op;
	tx[1] = (uint8_t)(a >> 16);
	tx[2] = (uint8_t)(a >> 8);
	tx[3] = (uint8_t)a;
}

static void jedec_of_each_chip(void **state)
{
	(void)state;
	for (size_t i = 0; i < 3; i++) {
		char set[64];
		struct clip_rig r;
		uint8_t op = 0x9F, id[3];

		snprintf(set, sizeof(set), "spi_chip=%s\nspi_bus=none",
			 chips[i].setting);
		clip_env(set, NULL, NULL, NULL);
		clip_open(&r, 0, true);
		clip_xfer(&r, &op, 1, id, 3);
		assert_memory_equal(id, chips[i].id, 3);
		/* a second command: CS# rose in between */
		memset(id, 0, sizeof(id));
		clip_xfer(&r, &op, 1, id, 3);
		assert_memory_equal(id, chips[i].id, 3);
		assert_int_equal(r.vb->st.spi_contention, 0);
		assert_int_equal(r.vb->io.nor_cs, 1); /* deselected */
		ub_spi_close(r.bus);
		r.bus = NULL;
		/* the lines as found: CS# high, SCK and SI low; released
		 * with the session */
		assert_int_equal(r.vb->io.clip[VB_SPI_CS], 1);
		assert_int_equal(r.vb->io.clip[VB_SPI_CLK], 0);
		assert_int_equal(r.vb->io.clip[VB_SPI_MOSI], 0);
		clip_close(&r);
	}
}

/* The SST25VF016B's power-up protection lifted, a sector erased, bytes
 * programmed and read back, all as raw transactions. */
static void raw_commands_change_the_chip(void **state)
{
	static const uint8_t data[] = {0x12, 0x34, 0x56, 0x78, 0x9A};
	const uint32_t addr = 0x3000;
	struct clip_rig r;
	uint8_t tx[8], rx[16], *mem;
	size_t size;

	(void)state;
	clip_env("spi_chip=sst25vf016b\nspi_bus=none", NULL, NULL, NULL);
	clip_open(&r, 0, true);
	mem = vb_nor_mem(r.vb->nor, &size);
	assert_int_equal(size, 2u << 20);
	memset(mem + addr, 0x00, 4096); /* not erased: the erase must work */

	assert_int_equal(rdsr(&r) & 0x1C, 0x1C); /* BP2-0 at power-up */
	op1(&r, 0x50);				 /* EWSR */
	tx[0] = 0x01;				 /* WRSR 0 */
	tx[1] = 0x00;
	clip_xfer(&r, tx, 2, NULL, 0);
	wait_ready(&r);
	assert_int_equal(rdsr(&r) & 0x1C, 0);

	op1(&r, 0x06); /* WREN, 4 KB sector erase */
	cmd_addr(tx, 0x20, addr);
	clip_xfer(&r, tx, 4, NULL, 0);
	assert_int_equal(rdsr(&r) & 0x01, 0x01);
	wait_ready(&r);
	for (size_t i = 0; i < 4096; i++)
		if (mem[addr + i] != 0xFF)
			fail_msg("0x%zx not erased", addr + i);

	for (size_t i = 0; i < sizeof(data); i++) { /* byte program */
		op1(&r, 0x06);
		cmd_addr(tx, 0x02, addr + (uint32_t)i);
		tx[4] = data[i];
		clip_xfer(&r, tx, 5, NULL, 0);
		wait_ready(&r);
	}
	assert_memory_equal(mem + addr, data, sizeof(data));

	cmd_addr(tx, 0x03, addr);
	clip_xfer(&r, tx, 4, rx, sizeof(data) + 1);
	assert_memory_equal(rx, data, sizeof(data));
	assert_int_equal(rx[sizeof(data)], 0xFF);
	assert_int_equal(r.vb->st.spi_contention, 0);
	clip_close(&r);
}

/* 64 KB in one READ: what the chip holds, at the backend's own speed
 * (libgpiod, flat out: no sleeps, so no time on the board's clock). */
static void long_read_is_the_memory(void **state)
{
	const uint32_t addr = 0x10000, len = 0x10000;
	struct clip_rig r;
	uint8_t tx[4], *buf, *mem;
	uint64_t t0, w0, r0;
	size_t size;

	(void)state;
	clip_env("spi_chip=w25q64\nspi_bus=none", NULL, NULL, NULL);
	clip_open(&r, 0, true);
	assert_int_equal(r.bus->hz, 0);
	mem = vb_nor_mem(r.vb->nor, &size);
	for (size_t i = 0; i < size; i++)
		mem[i] = (uint8_t)(i * 7 + (i >> 9));
	buf = malloc(len);
	assert_non_null(buf);
	t0 = r.vb->now_ps;
	w0 = r.g->writes;
	r0 = r.vb->st.gpio_reads;
	cmd_addr(tx, 0x03, addr);
	clip_xfer(&r, tx, 4, buf, len);
	assert_memory_equal(buf, mem + addr, len);
	/* the edges at the board's clip_hz: 16 half periods a byte */
	assert_int_equal(r.vb->now_ps - t0, (4 + len) * 16 * CLIP_EDGE_PS);
	/* a write per edge (SI rides on the falling one), a read per bit in */
	assert_true(r.g->writes - w0 <= 2 * 8 * (4 + len) + 2);
	assert_true(r.g->writes - w0 >= 2 * 8 * len);
	assert_int_equal(r.vb->st.gpio_reads - r0, 8 * len);
	print_message("64 KB read on the clip (libgpiod): %llu writes, %llu "
		      "reads\n",
		      (unsigned long long)(r.g->writes - w0),
		      (unsigned long long)(r.vb->st.gpio_reads - r0));
	free(buf);
	clip_close(&r);
}

/* A rate: every half period of SCK is a sleep (or a busy wait, above 10
 * kHz), so the board's clock moves by exactly the wire's time. */
static void speed_sets_the_half_period(void **state)
{
	struct clip_rig r;
	uint8_t op = 0x9F, id[3];
	uint64_t t0;

	(void)state;
	clip_env("spi_chip=m25pe16\nspi_bus=none", NULL, NULL, NULL);
	clip_open(&r, 5000, true);
	assert_int_equal(r.bus->hz, 5000);
	t0 = r.vb->now_ps;
	clip_xfer(&r, &op, 1, id, 3);
	assert_memory_equal(id, chips[1].id, 3);
	/* 32 bits of two half periods, one before the first bit, one after
	 * CS# rises: 66 x 100 us slept; and the 64 SCK edges themselves,
	 * half a period each at the board's clip_hz (1 MHz) */
	assert_int_equal(r.vb->now_ps - t0,
			 66 * 100 * VB_PS_PER_US + 64 * CLIP_EDGE_PS);
	clip_close(&r);

	/* 1 MHz: waited out on the host's clock, none of it a sleep; only
	 * the edges count */
	clip_open(&r, 1000000, true);
	t0 = r.vb->now_ps;
	clip_xfer(&r, &op, 1, id, 3);
	assert_memory_equal(id, chips[1].id, 3);
	assert_int_equal(r.vb->now_ps - t0, 64 * CLIP_EDGE_PS);
	clip_close(&r);
}

/*
 * The MCU out of reset with the chip's pins as outputs (SPI2's SCK PB13,
 * MOSI PB15 and CS# PB9 driven, as firmware might) fights the clip: the
 * board counts the contention, and the ID is garbage. Held in reset, the
 * same wiring answers properly.
 */
static void running_mcu_garbles_the_clip(void **state)
{
	const char *set = "spi_chip=sst25vf016b\nspi_bus=spi2\nspi_cs=PB9";
	struct clip_rig r;
	struct ub_nor n;
	uint8_t op = 0x9F, id[3];
	int err;

	(void)state;
	clip_env(set, NULL, NULL, NULL);
	clip_open(&r, 0, true);
	clip_xfer(&r, &op, 1, id, 3);
	assert_memory_equal(id, chips[0].id, 3);
	assert_int_equal(r.vb->st.spi_contention, 0);
	clip_close(&r);

	clip_open(&r, 0, false);
	/* IOPBEN; PB9, PB13, PB15 push-pull outputs at 2 MHz; PB9 and PB13
	 * high (the wires are a wired AND: SCK still toggles), PB15 low */
	assert_int_equal(vb_bus_write(r.vb, VB_DAP, 0x40021018, 4, 1u << 3),
			 VB_OK);
	assert_int_equal(vb_bus_write(r.vb, VB_DAP, 0x40010C04, 4, 0x24244424),
			 VB_OK);
	assert_int_equal(
		vb_bus_write(r.vb, VB_DAP, 0x40010C0C, 4, 1u << 9 | 1u << 13),
		VB_OK);
	assert_int_equal(vb_gpio_drive(r.vb, VB_PIN(1, 13)), 1);
	clip_xfer(&r, &op, 1, id, 3);
	assert_memory_not_equal(id, chips[0].id, 3);
	assert_true(r.vb->st.spi_contention > 0);
	/* the NOR driver finds no chip it knows there */
	err = ub_nor_probe(&n, r.bus);
	assert_true(err == UB_ENOTARGET || err == UB_EUNSUPPORTED);
	print_message("MCU running: %s\n", ub_errmsg(err));
	clip_close(&r);
}

/* The wire as a logic analyser sees it: sigrok-cli's SPI decoder with
 * spiflash stacked names the commands and their data. */
static void trace_decodes_as_flash_commands(void **state)
{
	char vcd[4300], out_path[4300], cmd[9000], *out;
	struct clip_rig r;
	uint8_t tx[4], id[3], buf[4];

	(void)state;
	snprintf(vcd, sizeof(vcd), "%s", tmp_path("clip.vcd"));
	snprintf(out_path, sizeof(out_path), "%s", tmp_path("sigrok.out"));
	clip_env("spi_chip=w25q64\nspi_bus=none", NULL, NULL, vcd);
	clip_open(&r, 0, true);
	memcpy(vb_nor_mem(r.vb->nor, &(size_t){0}) + 0x1234, "\xCA\xFE\xF0\x0D",
	       4);
	tx[0] = 0x9F;
	clip_xfer(&r, tx, 1, id, 3);
	cmd_addr(tx, 0x03, 0x1234);
	clip_xfer(&r, tx, 4, buf, 4);
	assert_memory_equal(buf, "\xCA\xFE\xF0\x0D", 4);
	clip_close(&r);

	if (system("command -v sigrok-cli >/dev/null 2>&1"))
		fail_msg("sigrok-cli is not installed: run make deps");
	snprintf(cmd, sizeof(cmd),
		 "sigrok-cli -I vcd:compress=1000 -i '%s' -P "
		 "spi:clk=spi_clk:mosi=spi_mosi:miso=spi_miso:cs=spi_cs,"
		 "spiflash -A spiflash > '%s' 2>&1",
		 vcd, out_path);
	assert_int_equal(system(cmd), 0);
	out = slurp(out_path);
	assert_non_null(out);
	if (!strstr(out, "Read identification (RDID)") ||
	    !strstr(out, "Manufacturer ID: 0xef") ||
	    !strstr(out, "Device ID: 0x17") ||
	    !strstr(out, "Read data (addr 0x001234, 4 bytes): ca fe f0 0d")) {
		print_error("sigrok-cli:\n%.2000s\n", out);
		free(out);
		fail();
	}
	free(out);
}

/* A profile without all four lines cannot have a clip. */
static void missing_line_is_named(void **state)
{
	struct ub_gpio g = {.have = UB_BIT(UB_LINE_SPI_CS) |
				    UB_BIT(UB_LINE_SPI_CLK) |
				    UB_BIT(UB_LINE_SPI_MISO)};
	int err = 0;

	(void)state;
	assert_null(ub_spi_gpio_open(&g, 0, &err));
	assert_int_equal(err, UB_ECONFIG);
	assert_non_null(strstr(ub_errmsg(err), "[pin spi_mosi]"));
}

static int no_board(void **state)
{
	(void)state;
	return vb_gpiod_board() ? -1 : 0;
}

#define TC(f) cmocka_unit_test_setup_teardown(f, no_board, no_board)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TC(jedec_of_each_chip),
		TC(raw_commands_change_the_chip),
		TC(long_read_is_the_memory),
		TC(speed_sets_the_half_period),
		TC(running_mcu_garbles_the_clip),
		TC(trace_decodes_as_flash_commands),
		TC(missing_line_is_named),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
