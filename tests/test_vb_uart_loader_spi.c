// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The companion SPI flash through the UART monitor (src/spi_uart.c and the
 * monitor's SPI requests), in this process on the board server's pty: an
 * SST25VF016B on SPI2 as on a Blue Pill with the chip wired to PB13-PB15,
 * CS# PB12, and the DSO Quad's M25PE16 on SPI3 behind the JTAG remap.
 * JEDEC ID, erase, AAI and page programming streamed, read, CRC, a chip
 * that stays busy, and the time against the wire's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <zlib.h>

#include "ub/board.h"
#include "ub/spi.h"
#include "ub/stm32f1.h"
#include "vb_uart_host.h"

#define SST "spi_chip=sst25vf016b\nspi_bus=spi2\nspi_cs=PB12\n"
#define M25 "spi_chip=m25pe16\nspi_bus=spi3\nspi_cs=PB7\n"
#define NOR (2 * 1024 * 1024)

static char server[4200];
static char tmp_dir[] = "/tmp/ub-test-vb-uart-spi-XXXXXX";

static int setup(void **state)
{
	(void)state;
	return host_setup(server, sizeof(server), tmp_dir);
}

static int teardown(void **state)
{
	(void)state;
	return host_teardown(tmp_dir);
}

/* The [spi] section of a profile: SPI2 on PB13-15, or the DSO Quad's. */
static void conf(struct ub_spi_conf *c, bool dso)
{
	memset(c, 0, sizeof(*c));
	c->present = true;
	strcpy(c->bus, "mcu");
	strcpy(c->peripheral, dso ? "SPI3" : "SPI2");
	strcpy(c->sck, dso ? "PB3" : "PB13");
	strcpy(c->miso, dso ? "PB4" : "PB14");
	strcpy(c->mosi, dso ? "PB5" : "PB15");
	strcpy(c->cs, dso ? "PB7" : "PB12");
	strcpy(c->remap, dso ? "swj-jtag-off" : "none");
	c->mode = dso ? 3 : 0;
}

static struct ub_spi_bus *bus(struct uh_rig *r, bool dso)
{
	struct ub_spi_conf c;
	struct ub_ldr_spi_cfg cfg;
	struct ub_spi_bus *b;
	int err;

	conf(&c, dso);
	uh_ok(ub_stm32f1_spi_cfg(&c, 0, &cfg));
	b = ub_spi_uart_open(&r->m, &cfg, &err);
	if (!b)
		uh_ok(err);
	return b;
}

static void jedec(struct ub_spi_bus *b, uint8_t id[3])
{
	static const uint8_t rdid = 0x9F;

	uh_ok(ub_spi_xfer(b, &rdid, 1, id, 3));
}

/* SST25VF016B: BP bits set at power-up; EWSR, then WRSR 0 */
static void sst_unlock(struct ub_spi_bus *b)
{
	static const uint8_t ewsr = 0x50, wrsr[2] = {0x01, 0x00};
	static const uint8_t rdsr = 0x05;
	uint8_t sr = 0xFF;

	uh_ok(ub_spi_xfer(b, &ewsr, 1, NULL, 0));
	uh_ok(ub_spi_xfer(b, wrsr, 2, NULL, 0));
	uh_ok(ub_spi_xfer(b, &rdsr, 1, &sr, 1));
	assert_int_equal(sr & 0x1C, 0);
}

static uint8_t sst_status(struct ub_spi_bus *b)
{
	static const uint8_t rdsr = 0x05;
	uint8_t sr = 0xFF;

	uh_ok(ub_spi_xfer(b, &rdsr, 1, &sr, 1));
	return sr;
}

/* 64 KB of AAI words streamed, the end of each word seen on SO (EBSY)
 * or by RDSR polling: the time the program took, board microseconds. */
static uint64_t aai_streams(bool ebsy)
{
	const struct ub_spi_prog aai = {UB_SPI_PROG_AAI_WORD, 0, 100, ebsy};
	static uint8_t img[65536], back[65536];
	struct ub_ldru_info in;
	struct uh_rig r;
	struct ub_spi_bus *b;
	uint32_t crc[64];
	uint64_t t0, t1;
	uint8_t id[3];
	uint8_t *nor;

	uh_pattern(img, sizeof(img), 11);
	memset(img + 5000, 0xFF, 9000); /* a run of blank: not sent */
	uh_rig_start(&r, server, tmp_dir, "sst", SST);
	uh_ok(ub_ldru_speed_up(&r.m, 0));
	b = bus(&r, false);
	jedec(b, id);
	assert_int_equal(id[0], 0xBF);
	assert_int_equal(id[1], 0x25);
	assert_int_equal(id[2], 0x41);
	sst_unlock(b);
	/* a 64 KB block erase, then 64 KB of AAI words, the odd start padded */
	uh_ok(b->ops->erase(b, 0xD8, true, 0, 1000));
	t0 = uh_board_us(&r.h);
	uh_ok(b->ops->program(b, &aai, 0, img, sizeof(img)));
	sst_status(b); /* waits for the last jobs */
	t1 = uh_board_us(&r.h);
	/* the monitor lost no byte while the chip worked */
	uh_ok(ub_ldru_call(&r.m, UB_LDRU_PING, NULL, 0, NULL, 0, &in,
			   sizeof(in), NULL, 5, NULL));
	assert_int_equal(in.rx_over, 0);
	assert_int_equal(in.bad, 0);
	assert_int_equal(r.m.st.resent, 0);
	uh_ok(b->ops->read(b, 0, back, sizeof(back)));
	assert_memory_equal(back, img, sizeof(img));
	uh_ok(b->ops->crc32(b, 0, sizeof(img), 4096, 0, crc));
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(crc[i],
				 (uint32_t)crc32(0, img + i * 4096, 4096));
	/* the wire at 2 Mbaud (8E1: 5.5 us a byte) and the chip (10 us per
	 * AAI word, and the command's bytes) overlap: within 1.3x of the
	 * wire */
	fprintf(stderr, "64 KB AAI over UART (%s): %llu us (wire %u us)\n",
		ebsy ? "EBSY" : "RDSR", (unsigned long long)(t1 - t0),
		(unsigned)(65536 * 11 / 2));
	assert_true(t1 - t0 < 65536u * 11 / 2 * 13 / 10);
	ub_spi_close(b);
	uh_rig_stop(&r);
	nor = uh_state_file(&r, "spi.bin", NOR);
	assert_memory_equal(nor, img, sizeof(img));
	free(nor);
	return t1 - t0;
}

/* Both ways right; the end of a word on SO is seen sooner than by status
 * reads, and the monitor still loses no byte of the wire meanwhile. */
static void sst_aai_streams(void **state)
{
	uint64_t hw = aai_streams(true), sw = aai_streams(false);

	(void)state;
	assert_true(hw < sw);
}

static void m25pe16_pages(void **state)
{
	static const struct ub_spi_prog pp = {UB_SPI_PROG_PAGE, 256, 5000};
	static uint8_t img[20000], back[20000];
	struct uh_rig r;
	struct ub_spi_bus *b;
	uint8_t id[3];

	(void)state;
	uh_pattern(img, sizeof(img), 12);
	uh_rig_start(&r, server, tmp_dir, "m25", M25);
	uh_ok(ub_ldru_speed_up(&r.m, 0));
	b = bus(&r, true);
	jedec(b, id);
	assert_int_equal(id[0], 0x20);
	assert_int_equal(id[1], 0x80);
	assert_int_equal(id[2], 0x15);
	uh_ok(b->ops->program(b, &pp, 0x10080, img, sizeof(img)));
	uh_ok(b->ops->read(b, 0x10080, back, sizeof(back)));
	assert_memory_equal(back, img, sizeof(img));
	ub_spi_close(b);
	uh_rig_stop(&r);
}

/* An erase that never ends in time: the monitor gives up and says where. */
static void chip_stays_busy(void **state)
{
	struct uh_rig r;
	struct ub_spi_bus *b;
	int err;

	(void)state;
	uh_rig_start(&r, server, tmp_dir, "busy", SST);
	b = bus(&r, false);
	sst_unlock(b);
	/* a chip erase (50 ms) given 5 ms */
	err = b->ops->erase(b, 0x60, false, 0, 5);
	assert_int_equal(err, UB_ETIMEOUT);
	if (!strstr(ub_errmsg(err), "stayed busy"))
		fail_msg("%s", ub_errmsg(err));
	ub_spi_close(b);
	uh_rig_stop(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sst_aai_streams),
		cmocka_unit_test(m25pe16_pages),
		cmocka_unit_test(chip_stays_busy),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
