/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_SPI_H
#define UB_SPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * How bytes reach a companion SPI NOR flash (DESIGN.md §2, "spi bus"). One
 * backend per file:
 *   src/spi_swd.c     through the MCU's SPI, the SPI loader run over SWD
 *   src/spi_uart.c    through the MCU's SPI, the UART loader's SPI calls
 *   src/spi_gpio.c    Pi GPIO bit-banged (a clip on the chip, MCU in reset)
 *   src/spi_spidev.c  Linux spidev (/dev/spidevB.C)
 * The NOR driver (src/spinor.c) needs only xfer; the bulk operations are
 * optional and exist where the bus can do them faster than byte by byte
 * from the host (through the MCU, where the loader polls the chip itself).
 */
struct ub_spi_bus;

/* How a range is programmed (the chip table's program method). */
enum ub_spi_prog_method {
	UB_SPI_PROG_PAGE,     /* WREN, 0x02 addr data (up to a page), poll */
	UB_SPI_PROG_AAI_WORD, /* SST25: WREN, 0xAD addr d0 d1, 0xAD d d..., WRDI */
	UB_SPI_PROG_BYTE,     /* WREN, 0x02 addr d0, poll: one byte at a time */
};

struct ub_spi_prog {
	enum ub_spi_prog_method method;
	uint32_t page_size;  /* UB_SPI_PROG_PAGE: bytes per page (256) */
	unsigned timeout_us; /* the longest a page, AAI word or byte takes */
	bool ebsy; /* AAI: EBSY 0x70 makes SO show busy while CS# is low, so
		      a bus that can read the pin sees a word's end there */
};

struct ub_spi_bus_ops {
	/* One transaction with CS# held low throughout: send tx[0..ntx),
	 * then clock in nrx bytes into rx (what came in while sending is
	 * dropped). */
	int (*xfer)(struct ub_spi_bus *b, const uint8_t *tx, size_t ntx,
		    uint8_t *rx, size_t nrx);
	/* Optional (NULL: the driver does it with xfer). 0x03 READ with a
	 * 3-byte address. */
	int (*read)(struct ub_spi_bus *b, uint32_t addr, void *buf, size_t len);
	/* Optional: program erased flash, busy polled after each page, AAI
	 * word or byte; pages wholly 0xFF are not sent. The chip's write
	 * protection is already off. */
	int (*program)(struct ub_spi_bus *b, const struct ub_spi_prog *p,
		       uint32_t addr, const void *buf, size_t len);
	/* Optional: WREN, then op with a 3-byte address (has_addr) or none
	 * (chip erase), then poll the status until WIP clears, at most
	 * timeout_ms (UB_ETIMEOUT: the chip stayed busy). */
	int (*erase)(struct ub_spi_bus *b, uint8_t op, bool has_addr,
		     uint32_t addr, unsigned timeout_ms);
	/* Optional: CRC-32 (ub_crc32) of each block of [addr, addr + len),
	 * block 0 meaning one CRC of the whole range, computed next to the
	 * chip; of only the first span bytes of each block when span is
	 * less than the block (0: the whole block; the rest is not read). */
	int (*crc32)(struct ub_spi_bus *b, uint32_t addr, uint32_t len,
		     uint32_t block, uint32_t span, uint32_t *crc);
	/* Release the bus (chip selects high, lines back as found). */
	void (*close)(struct ub_spi_bus *b);
};

struct ub_spi_bus {
	const struct ub_spi_bus_ops *ops;
	char name[64]; /* for messages: "SPI2 of the STM32 (loader over SWD)" */
	uint32_t hz;   /* SCK rate, 0 when unknown */
	void *priv;
};

/* The backends' constructors; NULL and *err on failure (with ub_fail). */
struct ub_gpio;
struct ub_ldr_swd;
struct ub_ldr_spi_cfg;

/* Bit-banged on the Pi's UB_LINE_SPI_* lines (already requested in g, MCU
 * held in reset by the caller), mode 0, at about hz. */
struct ub_spi_bus *ub_spi_gpio_open(struct ub_gpio *g, uint32_t hz, int *err);

/* Linux spidev, "/dev/spidev0.0", at hz in SPI mode (0-3). */
struct ub_spi_bus *ub_spi_spidev_open(const char *path, uint32_t hz, int mode,
				      int *err);

/* Through the MCU: the SPI loader over SWD (src/spi_swd.c), the pins,
 * remap and SPI settings in cfg (made by the family driver). */
struct ub_spi_bus *ub_spi_swd_open(struct ub_ldr_swd *l,
				   const struct ub_ldr_spi_cfg *cfg, int *err);

static inline int ub_spi_xfer(struct ub_spi_bus *b, const uint8_t *tx,
			      size_t ntx, uint8_t *rx, size_t nrx)
{
	return b->ops->xfer(b, tx, ntx, rx, nrx);
}

static inline void ub_spi_close(struct ub_spi_bus *b)
{
	if (b && b->ops->close)
		b->ops->close(b);
}

#endif
