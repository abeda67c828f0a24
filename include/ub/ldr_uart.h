/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_LDR_UART_H
#define UB_LDR_UART_H

/*
 * The UART monitor: a loader in the STM32F1's RAM that owns USART1 once
 * the ROM bootloader (AN3155) has started it, and does the flash work
 * (src/loader/uart_f1.c) for the host (src/ldr_uart.c, ldr_uart_ops.c).
 * This header is both sides' (the monitor is built with UB_LDR_TARGET and
 * sees the protocol only).
 *
 * Loading: with Write Memory the host puts, from ram_base + UB_LDRU_BASE
 * (above the ROM's own RAM), the vector Go takes (initial SP, entry | 1),
 * the parameter block (struct ub_ldru_params) and, UB_LDRU_HEAD bytes
 * from the start, the code; then Go there. The monitor masks interrupts,
 * runs the core from the PLL on the HSI (HSI/2 x 16 = 64 MHz: AHB and APB2
 * 64 MHz, APB1 32 MHz, flash latency 2; RM0008 rev 21 §7.2, §3.3.3; the
 * HSI, which the flash controller needs, stays on, and no crystal is
 * assumed), sets USART1 (PA9, PA10) to 8E1 at the host's rate
 * (params.baud) and answers frames. USART1 runs at PCLK2 / BRR (RM0008
 * §27.3.4): BRR in 16ths, so 1 and 2 Mbaud divide exactly (64, 32) and
 * 115200 is 0.08% slow (556); what remains is the HSI's own error (DS5319
 * Table 24: +-1% at 25 C, -2 to +2.5% over -40..105 C), on both rates.
 *
 * A frame, either way:
 *   sync     UB_LDRU_REQ from the host, UB_LDRU_RSP from the monitor
 *   len      2 bytes, little-endian: the payload's length
 *   code     a command (enum ub_ldru_cmd) or a status (enum ub_ldru_status)
 *   seq      the request's number; its answer repeats it
 *   hchk     0xFF ^ len0 ^ len1 ^ code ^ seq
 *   payload  len bytes (at most the monitor's buf_size)
 *   crc      CRC-32 (ub_crc32) of len..payload, 4 bytes little-endian
 * Every request whose header is good is answered: UB_LDRU_EFRAME when its
 * CRC is not (send it again). A header that is not good, or bytes that
 * stop for UB_LDRU_GAP_MS in the middle of a frame, are dropped without a
 * word: the host's timeout sends it again.
 *
 * Repeats: the host numbers each new request (seq + 1) and sends a request
 * again with its number when the answer does not come. A request that
 * changes something (FLASH, ERASE, WRITE, SPI_PROG, SPI_ERASE, GO, RESET)
 * that comes again with the number of the last one is not done again: its
 * answer is sent again (a job still waiting for room: not at all, the
 * answer comes when it has room). So no halfword is programmed twice.
 *
 * Jobs (FLASH, ERASE, SPI_PROG, SPI_ERASE) are queued, UB_LDRU_JOBS at
 * most, and done in order while the next frames come in: the answer says
 * the job was taken, and comes once there is room for another (the
 * UB_LDRU_NBUF buffers: one being programmed, one waiting, one receiving).
 * STATUS says what is left and the first failure; after a failure the
 * queue is emptied and new jobs are refused (UB_LDRU_EJOB) until a STATUS
 * with UB_LDRU_CLEAR.
 *
 * The baud switch: BAUD is answered at the old rate, then USART1 changes;
 * the first good frame at the new rate confirms it. Until then a byte that
 * is not the start of a good frame, or UB_LDRU_REVERT_MS without one,
 * takes the monitor back to the old rate.
 */
#include <stdint.h>

#include "ub/loader.h"

#define UB_LDRU_MAGIC	  0x554D4255u /* "UBMU" */
#define UB_LDRU_VERSION	  1u
#define UB_LDRU_REQ	  0x5Au
#define UB_LDRU_RSP	  0xA5u
#define UB_LDRU_HDR	  6u	 /* sync, len (2), code, seq, hchk */
#define UB_LDRU_BASE	  0x200u /* from RAM's start: the ROM's RAM before */
#define UB_LDRU_HEAD	  64u	 /* vector and parameters before the code */
#define UB_LDRU_NBUF	  3u
#define UB_LDRU_JOBS	  2u
#define UB_LDRU_BUF_MAX	  2048u /* payload bytes of a frame at most */
#define UB_LDRU_BUF_MIN	  256u
#define UB_LDRU_STATE	  320u /* RAM for the monitor's own variables */
#define UB_LDRU_STACK	  1024u
#define UB_LDRU_GAP_MS	  20u
#define UB_LDRU_REVERT_MS 300u
#define UB_LDRU_SYSCLK	  64000000u
#define UB_LDRU_PCLK2	  64000000u
#define UB_LDRU_PCLK1	  32000000u

enum ub_ldru_cmd {
	UB_LDRU_PING = 0x01,   /* -> struct ub_ldru_info */
	UB_LDRU_BAUD = 0x02,   /* u32 baud -> u32 the rate set; then it is */
	UB_LDRU_BOOT = 0x03,   /* the first stage's only (below): u32 crc ->
				  u32 the CRC of the monitor in RAM; then
				  it runs if they agree */
	UB_LDRU_READ = 0x10,   /* u32 addr, u32 len -> len bytes of memory */
	UB_LDRU_WRITE = 0x11,  /* u32 addr, bytes: RAM outside the monitor */
	UB_LDRU_CRC = 0x12,    /* u32 addr, len, block -> a u32 CRC a block
				  (block 0: one for the range) */
	UB_LDRU_FLASH = 0x20,  /* u32 addr, halfwords (0xFFFF skipped): job */
	UB_LDRU_ERASE = 0x21,  /* u32 addr, u32 pages, u32 page size (pages
				  0: mass erase): job */
	UB_LDRU_STATUS = 0x22, /* u32 flags -> struct ub_ldru_state */
	UB_LDRU_GO = 0x30,     /* u32 vector table: answered, then run */
	UB_LDRU_RESET = 0x31,  /* answered, then a system reset */
	/* the companion SPI flash, through spi_core.h */
	UB_LDRU_SPI_SETUP = 0x40, /* u32 timeout_us, struct ub_ldr_spi_cfg
				     (cfgr 0: the monitor keeps its clock) */
	UB_LDRU_SPI_XFER = 0x41,  /* u32 nrx, tx bytes -> nrx bytes */
	UB_LDRU_SPI_READ = 0x42,  /* u32 addr, u32 len -> len bytes */
	UB_LDRU_SPI_PROG = 0x43,  /* u32 addr, u32 page (0: AAI words, or
				     UB_LDR_SPI_EBSY: AAI words seen done
				     on SO; 1: bytes), data: job */
	UB_LDRU_SPI_ERASE = 0x44, /* u32 op | UB_LDR_SPI_ADDR, u32 addr, u32
				     timeout_us (0: the setup's): job */
	UB_LDRU_SPI_CRC = 0x45,	  /* u32 addr, len, block [, span] -> u32
				     per block; span (16-byte payload):
				     of each block's first span bytes only
				     (0 or >= block: all of it, as with the
				     12-byte payload) */
	UB_LDRU_SPI_CLOSE = 0x46, /* CS# high, the SPI off */
};

enum ub_ldru_status {
	UB_LDRU_OK = 0,
	UB_LDRU_EFRAME = 1, /* the request's CRC was wrong: send it again */
	UB_LDRU_ECMD = 2,   /* no such command */
	UB_LDRU_EPARAM = 3, /* a length, address or alignment it refuses */
	UB_LDRU_EJOB = 4,   /* a job failed: STATUS says how */
	UB_LDRU_ELOCK = 5,  /* the flash controller stayed locked */
	UB_LDRU_ESPI = 6,   /* the SPI is not set up, or its setup failed */
};

#define UB_LDRU_CLEAR 1u /* STATUS: forget the failure after telling it */

/* Written by the host, UB_LDRU_HEAD - 8 bytes before the code. */
struct ub_ldru_params {
	uint32_t magic;	    /* UB_LDRU_MAGIC */
	uint32_t baud;	    /* the rate the host talks at (the ROM's) */
	uint32_t code_size; /* bytes of code, for the PING's CRC */
	uint32_t state;	    /* RAM: UB_LDRU_STATE bytes */
	uint32_t table;	    /* RAM: UB_LDR_CRC_TABLE bytes */
	uint32_t spi;	    /* RAM: a struct ub_ldr_spi */
	uint32_t bufs;	    /* RAM: UB_LDRU_NBUF buffers of buf_size */
	uint32_t buf_size;  /* payload bytes, a multiple of 8 */
	uint32_t lo, hi;    /* the RAM the monitor uses: WRITE stays out */
};

/* PING's answer. */
struct ub_ldru_info {
	uint32_t magic;	   /* UB_LDRU_MAGIC */
	uint32_t version;  /* UB_LDRU_VERSION */
	uint32_t buf_size; /* payload bytes of a frame at most */
	uint32_t pclk2;	   /* USART1's clock, Hz */
	uint32_t baud;	   /* PCLK2 / BRR now */
	uint32_t code_crc; /* CRC-32 of its code as it is in RAM */
	uint32_t rx_over;  /* bytes USART1 lost (ORE) since it started */
	uint32_t bad;	   /* frames dropped: header, CRC, gap */
};

/* STATUS's answer. */
struct ub_ldru_state {
	uint32_t pending;  /* jobs queued or being done */
	uint32_t done;	   /* jobs done since the start */
	uint32_t status;   /* enum ub_ldr_status of the first failure */
	uint32_t err_addr; /* where (a flash or SPI chip address) */
	uint32_t err_sr;   /* FLASH_SR, or the SPI chip's status */
	uint32_t cmd;	   /* the failed job's command */
};

/*
 * The first stage (src/loader/uart_boot_f1.c, host side ldr_uart_boot.c),
 * so that the monitor's own bytes need not come at the ROM's rate: the
 * ROM's Write Memory puts it in the RAM the monitor's buffers will take
 * (vector, struct ub_ldru_boot, and from UB_LDRU_BOOT_HEAD the code; its
 * stack, UB_LDRU_BOOT_STACK bytes, at the top of RAM) and Go starts it.
 * Small, for each of its bytes comes at the ROM's rate. It runs the core
 * from the monitor's PLL, sets USART1 to 8E1 at the fast rate and serves
 * frames as the monitor does (the same framing; EFRAME for a bad CRC; a
 * gap drops a frame, and so does a payload over UB_LDRU_BOOT_MAX; the
 * header's hchk is left to the CRC, so that a damaged header is answered
 * EFRAME, or dropped), each answer with a u32: PING (-> 0; the monitor's
 * answer is its info), WRITE (u32 addr, data: into [dest, dest + len)
 * only, else EPARAM; -> 0) and BOOT (u32 crc -> the CRC of [dest, dest +
 * len), len not 0; when it is crc, the stage starts the monitor from its
 * vector at dest once the answer is out). Other commands: ECMD. The host
 * writes the rate it talks to the stage at into the monitor's
 * params.baud, so the monitor talks at it at once.
 *
 * At the fast rate, UB_LDRU_BOOT_WAIT_MS without a good frame (in gaps:
 * UB_LDRU_GAP_MS without a byte) take it to the ROM's rate for good (a
 * line or an adapter that cannot carry the fast rate: the host, hearing
 * nothing, waits that long and goes on at the ROM's rate). A chip whose
 * PLL does not start is at the ROM's rate at once, on the HSI.
 */
#define UB_LDRU_BOOT_HEAD    28u /* vector and parameters first */
#define UB_LDRU_BOOT_MAX     1024u
#define UB_LDRU_BOOT_STACK   (UB_LDRU_BOOT_MAX + 64u) /* a frame, a bit */
#define UB_LDRU_BOOT_WAIT_MS 300u
#define UB_LDRU_HSI	     8000000u /* SYSCLK and PCLK2 without the PLL */

/* Written by the host, 8 bytes into the first stage's image. USART1's
 * BRR (RM0008 §27.3.4) for each rate, so that the stage divides nothing. */
struct ub_ldru_boot {
	uint32_t brr_fast;  /* the fast rate at UB_LDRU_PCLK2: the PLL runs */
	uint32_t brr_rom;   /* the ROM's rate at UB_LDRU_PCLK2: the way back */
	uint32_t brr_hsi;   /* the ROM's rate at UB_LDRU_HSI: no PLL */
	uint32_t dest, len; /* the monitor's image: vector, params, code */
};

_Static_assert(UB_LDRU_BOOT_HEAD == 8 + sizeof(struct ub_ldru_boot),
	       "the first stage's code follows its parameters");

#ifndef UB_LDR_TARGET /* the host's side --------------------------------- */

#include <stdbool.h>
#include <stddef.h>

struct ub_an3155;
struct ub_serial;

extern const struct ub_ldr_image ub_ldr_uart_f1; /* src/loader/uart_f1.c */
/* the first stage: src/loader/uart_boot_f1.c */
extern const struct ub_ldr_image ub_ldr_uart_boot_f1;

/* Where the time went (modeled or not: the host's clock), for -v. */
struct ub_ldru_stats {
	double upload_ms, handshake_ms; /* ROM upload + Go; PING and BAUD */
	unsigned long requests, resent, timeouts, nak, garbage;
	unsigned long bytes_out, bytes_in;
};

struct ub_ldru {
	struct ub_serial *ser;
	struct ub_an3155 *bl;
	uint32_t rom_baud; /* the ROM's rate, the monitor's first */
	uint32_t ram_base, ram_size;
	uint32_t base;	   /* the vector, then parameters and code */
	uint32_t buf_size; /* payload bytes of a frame at most */
	uint32_t frame;	   /* what the link takes now: buf_size (0), halved
			      each time a request had to be sent again */
	uint32_t fpec;	   /* the flash controller the jobs use */
	uint8_t seq;
	unsigned tries;	   /* attempts per request: 6 */
	unsigned reply_ms; /* an answer's time on top of its bytes: 1000 */
	bool up;	   /* loaded and answering */
	bool spi_ready;	   /* SPI_SETUP done */
	struct ub_ldru_info info;
	struct ub_ldru_stats st;
};

/* Payload bytes a frame should carry now: buf_size, less on a link that
 * lost frames (ub_ldru_call halves it at each request sent again, down to
 * UB_LDRU_BUF_MIN, for the rest of the session). */
static inline uint32_t ub_ldru_frame(const struct ub_ldru *m)
{
	return m->frame && m->frame < m->buf_size ? m->frame : m->buf_size;
}

/*
 * Load the monitor over the ROM bootloader (Write Memory, Go) into the RAM
 * [ram_base, ram_base + ram_size) and greet it at the ROM's rate. The ROM
 * is gone afterwards (until a reset). UB_EUNSUPPORTED when the RAM is too
 * small, UB_EPROTECTED when readout protection refuses Write Memory or Go,
 * UB_ETIMEOUT or UB_EPROTO when the monitor does not answer as it should
 * (it may be running: reset the chip before using the ROM again).
 */
int ub_ldru_start(struct ub_ldru *m, struct ub_an3155 *bl, uint32_t ram_base,
		  uint32_t ram_size);

/*
 * Load the monitor and have it talk as fast as it can, at most max_baud (0:
 * no limit; the ROM's rate: stay there). When the port takes a faster rate
 * (as ub_ldru_speed_up checks), through the first stage: the ROM loads the
 * stage, which takes the monitor at that rate; when nothing gets through at
 * it, the stage goes back to the ROM's rate (UB_LDRU_BOOT_WAIT_MS) and the
 * monitor comes at that, then ub_ldru_speed_up tries the slower rates.
 * Otherwise ub_ldru_start, then ub_ldru_speed_up. The errors as theirs
 * (UB_ETIMEOUT or UB_EPROTO: something may be running; reset the chip).
 */
int ub_ldru_load(struct ub_ldru *m, struct ub_an3155 *bl, uint32_t ram_base,
		 uint32_t ram_size, uint32_t max_baud);

/*
 * Talk faster: the first rate of 2000000, 1000000 (at most max_baud) that
 * the host's port takes and both sides confirm with a PING; back to the
 * ROM's rate when none does (a warning, not an error).
 */
int ub_ldru_speed_up(struct ub_ldru *m, uint32_t max_baud);

/*
 * One request and its answer: cmd with a payload of head (nhead bytes)
 * then data (ndata), the answer's payload into rsp (at most nrsp bytes,
 * *got of them; got may be NULL when the length must be nrsp). work_ms is
 * what the monitor may spend on it. Repeated as the protocol allows; a
 * status other than UB_LDRU_OK is an error here (UB_EPROTO, UB_EINVAL for
 * EPARAM), UB_LDRU_EJOB excepted, given in *status when status is not
 * NULL.
 */
int ub_ldru_call(struct ub_ldru *m, uint8_t cmd, const void *head, size_t nhead,
		 const void *data, size_t ndata, void *rsp, size_t nrsp,
		 size_t *got, unsigned work_ms, uint8_t *status);

/* Memory as the core sees it (flash, RAM, system memory, options). */
int ub_ldru_read(struct ub_ldru *m, uint32_t addr, void *buf, size_t len);

/* RAM outside the monitor's own. */
int ub_ldru_write_ram(struct ub_ldru *m, uint32_t addr, const void *buf,
		      size_t len);

/* CRC-32 of each block of [addr, addr + len) (block 0: one). */
int ub_ldru_crc32(struct ub_ldru *m, uint32_t addr, uint32_t len,
		  uint32_t block, uint32_t *crc);

/*
 * Program erased flash: len bytes at addr (both even), halfwords 0xFFFF
 * not programmed and long runs of them not sent; the wire fills one
 * buffer while the flash takes another. Returns once all is programmed.
 * Flash errors: UB_EIO (PGERR) or UB_EPROTECTED (WRPRTERR), naming the
 * halfword.
 */
int ub_ldru_program(struct ub_ldru *m, uint32_t addr, const uint8_t *buf,
		    size_t len);

/* Erase pages (page_size each) from addr; pages 0: the whole flash. */
int ub_ldru_erase(struct ub_ldru *m, uint32_t addr, uint32_t pages,
		  uint32_t page_size);

/*
 * Wait until the monitor's jobs are done (STATUS, with sleeps between of
 * about poll_us, at most timeout_ms in all), the first failure in *st
 * (cleared on the monitor). UB_ETIMEOUT when they are not done in time.
 */
int ub_ldru_wait(struct ub_ldru *m, unsigned poll_us, unsigned timeout_ms,
		 struct ub_ldru_state *st);

/* Start the code whose vector table is at addr (clocks back to reset
 * state first); the monitor is gone. */
int ub_ldru_go(struct ub_ldru *m, uint32_t addr);

/* A system reset (the chip starts as BOOT0 says); the monitor is gone. */
int ub_ldru_reset(struct ub_ldru *m);

/*
 * The companion SPI flash through the monitor (src/spi_uart.c): the MCU's
 * SPI set up as cfg says (its cfgr is ignored: the monitor keeps its own
 * clock, which is the one ub_stm32f1_spi_cfg counts with). Programs
 * stream: the chip takes one buffer while the next arrives.
 */
struct ub_spi_bus *ub_spi_uart_open(struct ub_ldru *m,
				    const struct ub_ldr_spi_cfg *cfg, int *err);

#endif /* UB_LDR_TARGET */

#endif
