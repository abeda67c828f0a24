// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Linux spidev (src/spi_spidev.c) against a spidev stand-in
 * (tests/vb_spidev_shim.h) wired to the virtual board's SPI flash: the
 * setup ioctls, transactions longer than spidev's buffer with CS held low
 * throughout (the chip would take a new command otherwise), reads split
 * into commands, and what the user is told when the device is missing,
 * forbidden, busy or not spidev at all.
 */
#include "vb_spidev_shim.h" /* first: it wants _GNU_SOURCE */

#include <setjmp.h>
#include <stdio.h>
#include <cmocka.h>

#include "ub/err.h"
#include "ub/spi.h"
#include "ub/spinor.h"

#define DEV "/dev/spidev0.0"

static struct vb *board(const char *chip)
{
	char set[64], err[256] = "";
	const char *s[2] = {set, "spi_bus=none"};
	struct vb *vb;

	unsetenv("UB_VBOARD_BOARD");
	snprintf(set, sizeof(set), "spi_chip=%s", chip);
	vb = vb_new(s, 2, NULL, err, sizeof(err));
	if (!vb)
		fail_msg("vb_new: %s", err);
	shim_reset(vb, DEV);
	return vb;
}

static void board_free(struct vb *vb)
{
	char err[256] = "";

	assert_int_equal(shim.fd, -1); /* the bus closed its device */
	assert_int_equal(vb_close(vb, err, sizeof(err)), 0);
}

static struct ub_spi_bus *open_ok(uint32_t hz, int mode)
{
	int err = 0;
	struct ub_spi_bus *b = ub_spi_spidev_open(DEV, hz, mode, &err);

	if (!b)
		fail_msg("ub_spi_spidev_open: %s", ub_errmsg(err));
	return b;
}

static void xfer_ok(struct ub_spi_bus *b, const uint8_t *tx, size_t ntx,
		    uint8_t *rx, size_t nrx)
{
	int err = ub_spi_xfer(b, tx, ntx, rx, nrx);

	if (err)
		fail_msg("xfer: %s", ub_errmsg(err));
}

static void fill(struct vb *vb)
{
	size_t size;
	uint8_t *mem = vb_nor_mem(vb->nor, &size);

	for (size_t i = 0; i < size; i++)
		mem[i] = (uint8_t)(i * 13 + (i >> 8) + (i >> 16));
}

static void setup_ioctls_are_issued(void **state)
{
	static const uint8_t w25q64[3] = {0xEF, 0x40, 0x17};
	struct vb *vb = board("w25q64");
	struct ub_spi_bus *b;
	uint8_t op = 0x9F, id[3];

	(void)state;
	b = open_ok(1000000, 0);
	assert_int_equal(shim.open_flags & O_ACCMODE, O_RDWR);
	assert_int_equal(shim.mode, 0);
	assert_int_equal(shim.bits, 8);
	assert_int_equal(shim.speed, 1000000);
	assert_int_equal(b->hz, 1000000);
	assert_non_null(strstr(b->name, DEV));
	xfer_ok(b, &op, 1, id, 3);
	assert_memory_equal(id, w25q64, 3);
	assert_int_equal(shim.messages, 1); /* [tx, rx] in one message */
	assert_int_equal(shim.transfers, 2);
	assert_int_equal(shim.cs_falls, 1);
	assert_int_equal(shim.cs_rises, 1);
	assert_int_equal(shim.last_speed, 1000000);
	ub_spi_close(b);

	/* no rate given: 2 MHz; mode 3 reads the same */
	b = open_ok(0, 3);
	assert_int_equal(shim.speed, 2000000);
	assert_int_equal(b->hz, 2000000);
	assert_int_equal(shim.mode, 3);
	xfer_ok(b, &op, 1, id, 3);
	assert_memory_equal(id, w25q64, 3);
	ub_spi_close(b);

	/* mode 1 samples on the wrong edge: the mode set is the one used */
	b = open_ok(0, 1);
	xfer_ok(b, &op, 1, id, 3);
	assert_memory_not_equal(id, w25q64, 3);
	ub_spi_close(b);
	board_free(vb);
}

/* A 64 KB READ as one transaction: several messages (spidev's buffer is
 * 4096 bytes, then 1000), CS low from the command to the last byte. */
static void long_xfer_keeps_cs_low(void **state)
{
	static const char *const sizes[] = {NULL, "1000\n"};
	static const unsigned messages[] = {16, 74}; /* 4096, 896 a piece */
	const uint32_t addr = 0x20000, len = 0x10000;
	struct vb *vb = board("w25q64");
	uint8_t tx[4] = {0x03, (uint8_t)(addr >> 16), (uint8_t)(addr >> 8),
			 (uint8_t)addr};
	uint8_t *buf, *mem;
	size_t size;

	(void)state;
	fill(vb);
	mem = vb_nor_mem(vb->nor, &size);
	buf = malloc(len);
	assert_non_null(buf);
	for (int i = 0; i < 2; i++) {
		struct ub_spi_bus *b;
		uint64_t t0;

		shim.bufsiz = sizes[i];
		b = open_ok(0, 0);
		shim.messages = shim.cs_falls = shim.cs_rises = 0;
		shim.max_rx = shim.max_tx = 0;
		memset(buf, 0, len);
		t0 = vb->now_ps;
		xfer_ok(b, tx, 4, buf, len);
		assert_memory_equal(buf, mem + addr, len);
		assert_int_equal(shim.cs_falls, 1);
		assert_int_equal(shim.cs_rises, 1);
		assert_int_equal(shim.messages, messages[i]);
		assert_true(shim.max_rx <= (i ? 1000u : 4096u));
		/* the wire's time at 2 MHz: 4 us a byte */
		assert_int_equal(vb->now_ps - t0, (4 + len) * 4 * VB_PS_PER_US);
		ub_spi_close(b);
	}
	free(buf);
	board_free(vb);
}

/* A page program longer than a message (a 128-byte buffer): the command
 * goes out in pieces with CS held, and the page is written. */
static void long_tx_keeps_cs_low(void **state)
{
	struct vb *vb = board("w25q64");
	struct ub_spi_bus *b;
	uint8_t tx[4 + 256], op, sr, *mem;
	size_t size;

	(void)state;
	shim.bufsiz = "128";
	mem = vb_nor_mem(vb->nor, &size);
	b = open_ok(0, 0);
	op = 0x06; /* WREN */
	xfer_ok(b, &op, 1, NULL, 0);
	tx[0] = 0x02;
	tx[1] = 0x00;
	tx[2] = 0x42;
	tx[3] = 0x00;
	for (int i = 0; i < 256; i++)
		tx[4 + i] = (uint8_t)(255 - i);
	shim.messages = shim.cs_falls = shim.cs_rises = 0;
	xfer_ok(b, tx, sizeof(tx), NULL, 0);
	assert_int_equal(shim.messages, 3);
	assert_int_equal(shim.cs_falls, 1);
	assert_int_equal(shim.cs_rises, 1);
	op = 0x05;
	for (int i = 0; i < 1000; i++) {
		xfer_ok(b, &op, 1, &sr, 1);
		if (!(sr & 1))
			break;
		vb_advance(vb, 100 * VB_PS_PER_US);
	}
	assert_int_equal(sr & 1, 0);
	assert_memory_equal(mem + 0x4200, tx + 4, 256);
	ub_spi_close(b);
	board_free(vb);
}

/* The bus's read op: READ commands of one buffer each, from any address. */
static void read_op_splits_into_commands(void **state)
{
	const uint32_t addr = 0x12345, len = 0x10000 + 77;
	struct vb *vb = board("m25pe16");
	struct ub_spi_bus *b;
	uint8_t *buf, *mem;
	size_t size;

	(void)state;
	fill(vb);
	mem = vb_nor_mem(vb->nor, &size);
	buf = malloc(len);
	assert_non_null(buf);
	b = open_ok(0, 0);
	assert_non_null(b->ops->read);
	shim.messages = shim.cs_falls = shim.cs_rises = 0;
	assert_int_equal(b->ops->read(b, addr, buf, len), 0);
	assert_memory_equal(buf, mem + addr, len);
	assert_int_equal(shim.messages, 17);
	assert_int_equal(shim.cs_falls, 17);
	assert_int_equal(shim.cs_rises, 17);
	assert_true(shim.max_rx <= 4096);
	ub_spi_close(b);
	free(buf);
	board_free(vb);
}

/* The NOR driver over spidev: each modeled chip probed, written (the SST's
 * power-up protection lifted, AAI), verified, and the chip holds it. */
static void nor_driver_on_spidev(void **state)
{
	static const char *const chip[] = {"sst25vf016b", "m25pe16", "w25q64"};
	const uint32_t addr = 0x2345, len = 9000;
	uint8_t data[9000], *mem;
	size_t size;

	(void)state;
	for (size_t i = 0; i < len; i++)
		data[i] = (uint8_t)(i * 29 + 3);
	for (int c = 0; c < 3; c++) {
		struct vb *vb = board(chip[c]);
		struct ub_spi_bus *b = open_ok(0, 0);
		struct ub_nor_stats st;
		struct ub_nor n;
		int err;

		memset(&n, 0, sizeof(n));
		memset(&st, 0, sizeof(st));
		err = ub_nor_probe(&n, b);
		if (!err)
			err = ub_nor_write(&n, addr, data, len, &st);
		if (!err)
			err = ub_nor_verify(&n, addr, data, len);
		if (err)
			fail_msg("%s on spidev: %s", chip[c], ub_errmsg(err));
		mem = vb_nor_mem(vb->nor, &size);
		assert_memory_equal(mem + addr, data, len);
		assert_int_equal(mem[addr - 1], 0xFF);
		assert_int_equal(mem[addr + len], 0xFF);
		ub_spi_close(b);
		board_free(vb);
	}
}

static void open_fails(int want, const char *says)
{
	int err = 0;

	assert_null(ub_spi_spidev_open(DEV, 0, 0, &err));
	assert_int_equal(err, want);
	if (!strstr(ub_errmsg(err), says))
		fail_msg("'%s' does not say '%s'", ub_errmsg(err), says);
	assert_int_equal(shim.fd, -1);
}

static void errors_say_what_to_do(void **state)
{
	struct vb *vb = board("w25q64");

	(void)state;
	shim.path = NULL;
	open_fails(UB_ENOENT, "dtparam=spi=on");
	shim.path = DEV;
	shim.open_errno = EACCES;
	open_fails(UB_EPERM, "spi group");
	shim.open_errno = EBUSY;
	open_fails(UB_EBUSY, "busy");
	shim.open_errno = 0;
	shim.fail_req = SPI_IOC_WR_MODE;
	shim.fail_errno = ENOTTY;
	open_fails(UB_EINVAL, "spidev device");
	shim.fail_req = SPI_IOC_WR_MAX_SPEED_HZ;
	shim.fail_errno = EINVAL;
	open_fails(UB_EUNSUPPORTED, "clock rate");
	shim.fail_req = 0;
	{
		int err = 0;

		assert_null(ub_spi_spidev_open(DEV, 0, 4, &err));
		assert_int_equal(err, UB_EINVAL);
	}
	/* a buffer smaller than the DMA alignment: every message refused */
	shim.bufsiz = "64";
	{
		struct ub_spi_bus *b = open_ok(0, 0);
		uint8_t op = 0x9F, id[3];
		int err = ub_spi_xfer(b, &op, 1, id, 3);

		assert_int_equal(err, UB_EIO);
		assert_non_null(strstr(ub_errmsg(err), "spidev.bufsiz"));
		ub_spi_close(b);
	}
	board_free(vb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(setup_ioctls_are_issued),
		cmocka_unit_test(long_xfer_keeps_cs_low),
		cmocka_unit_test(long_tx_keeps_cs_low),
		cmocka_unit_test(read_op_splits_into_commands),
		cmocka_unit_test(nor_driver_on_spidev),
		cmocka_unit_test(errors_say_what_to_do),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
