/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_LOADER_H
#define UB_LOADER_H

/*
 * Loaders: small programs run from the target's RAM (src/loader/, built
 * into byte arrays by 'make loaders'). This header is shared by both sides:
 * the loaders include it for the parameter blocks (built freestanding for
 * Cortex-M3), the host for those and for the functions that run them.
 *
 * The calling convention, one for every loader and every link:
 *   - the code sits anywhere in RAM (it is position-independent), word
 *     aligned; the host starts it at its entry with r0 = the address of its
 *     parameter block in RAM and sp = the top of a stack of UB_LDR_STACK
 *     bytes, interrupts masked by the loader itself;
 *   - it ends with BKPT #0 and a status in r0 (enum ub_ldr_status), its
 *     results in the parameter block.
 * Over SWD the host halts the core, writes code and parameters by the debug
 * port and resumes the core at the entry. Over UART a monitor loaded by
 * the ROM bootloader's Write Memory and started with Go (ub/ldr_uart.h,
 * src/loader/uart_f1.c) runs the same code (flash_core.h, crc_core.h,
 * spi_core.h) with parameters that arrived in frames. The SPI NOR loader
 * takes its own parameter block the same way.
 */
#include <stddef.h>
#include <stdint.h>

#define UB_LDR_STACK 256 /* bytes of stack every loader fits in */

enum ub_ldr_status {
	UB_LDR_OK = 0,
	UB_LDR_PGERR = 1,    /* flash not erased where it was programmed */
	UB_LDR_WRPRTERR = 2, /* flash write-protected where programmed */
	UB_LDR_BADPARAM = 3, /* a parameter block it cannot use */
	UB_LDR_SPI_BUSY = 4, /* the SPI flash stayed busy past timeout_us */
	UB_LDR_CLOCK = 5,    /* the clock (HSI, PLL) did not become ready */
};

/*
 * The flash loader (STM32F1 FPEC, RM0008 §3): programs the jobs the host
 * puts in two RAM buffers in turn, so that the host fills one while the
 * target programs the other. Halfwords 0xFFFF are skipped (an erased page
 * holds them already). Jobs are numbered from 1, job n in buf[n & 1]:
 *   - the host writes a job's data, addr, len and data, then seq = n, and
 *     may reuse the buffer once jobs >= n (it reads jobs to know);
 *   - the target waits until buf[n & 1].seq is n, programs it, then sets
 *     jobs = n; seq = UB_LDR_END | n instead tells it to stop there.
 * Every word has one writer, and writing one again changes nothing, so the
 * host may repeat any write whose acknowledgement the wire lost. The
 * loader unlocks nothing (the host unlocks the FPEC first) and leaves CR
 * clear; it stops at the first flash error, status and err_* telling it.
 */
#define UB_LDR_NBUF 2
#define UB_LDR_END  0x80000000u

struct ub_ldr_buf {
	uint32_t addr; /* flash address, even */
	uint32_t len;  /* bytes, even */
	uint32_t data; /* RAM address of the data, word aligned */
	uint32_t seq;  /* the job it holds: written last */
};

struct ub_ldr_flash {
	uint32_t fpec;	   /* flash controller base (0x40022000) */
	uint32_t jobs;	   /* out: the last job done */
	uint32_t status;   /* out: enum ub_ldr_status once it stopped */
	uint32_t done;	   /* out: bytes of the jobs done */
	uint32_t err_addr; /* out: the halfword that failed */
	uint32_t err_sr;   /* out: FLASH_SR then */
	struct ub_ldr_buf buf[UB_LDR_NBUF];
};

/*
 * The CRC-32 loader: the standard CRC-32 (ub_crc32, as zlib's crc32()) of
 * each block of [addr, addr + len), every block started afresh; the last
 * block may be short, block 0 means one CRC of the whole range. It reads
 * memory as the core sees it (flash, RAM...). table is 1 KB of RAM for its
 * lookup table, out gets one word per block.
 */
struct ub_ldr_crc {
	uint32_t addr, len, block;
	uint32_t out;	/* RAM address: a CRC per block */
	uint32_t table; /* RAM address: 1 KB, word aligned */
};

#define UB_LDR_CRC_TABLE 1024

/*
 * The SPI NOR loader (src/loader/spi_f1.c over SWD; its operations are in
 * src/loader/spi_core.h, which the UART monitor shares). Each run first
 * sets the STM32F1 up as cfg says: the clock, the bus clocks, a remap, the
 * pins (the chip select high, other devices' selects parked) and the SPI
 * peripheral; doing it again changes nothing. cfg is computed by the host
 * from the board profile (ub_stm32f1_spi_cfg). It then does the jobs the
 * host puts in job[], with the flash loader's handshake (job n in
 * job[n & 1], seq written last, UB_LDR_END | n ends the run). One
 * operation is job 1 with job[1].seq = UB_LDR_END | 2 written before the
 * start; reads and programs stream, the wire emptying or filling one
 * buffer while the chip works on the other. The chip's busy polls (RDSR
 * bit 0) give up after timeout_us (SysTick, at cfg.ticks_per_us): status
 * UB_LDR_SPI_BUSY, err_addr and err_sr saying where. beat moves while it
 * polls or computes CRCs: an erase may take a minute, and the host tells
 * a loader at work from one that hangs by it.
 */
enum ub_ldr_spi_op {
	UB_LDR_SPI_SETUP = 1, /* nothing but the setup */
	UB_LDR_SPI_XFER,      /* CS# low, len bytes out from data, then arg
				 bytes in to data, CS# high */
	UB_LDR_SPI_READ,      /* READ 0x03 addr: len bytes into data */
	UB_LDR_SPI_PAGE,      /* program len bytes at addr from data: per
				 page of arg bytes WREN, 0x02 addr data,
				 poll (arg 1: byte program) */
	UB_LDR_SPI_AAI,	      /* SST25 AAI word program (addr and len even):
				 WREN, 0xAD addr d d, poll, 0xAD d d, poll...,
				 WRDI; arg UB_LDR_SPI_EBSY: EBSY first, the
				 end of each word seen on MISO, DBSY last */
	UB_LDR_SPI_ERASE,     /* WREN, opcode arg & 0xFF with a 3-byte addr
				 when arg & UB_LDR_SPI_ADDR, poll */
	UB_LDR_SPI_CRC,	      /* CRC-32 (ub_crc32) of each block of arg bytes
				 of [addr, addr + len) in the chip, a word
				 each into data (arg 0: one block); span
				 below the block: of its first span bytes
				 only, one READ per block */
	UB_LDR_SPI_CLOSE,     /* CS# high, the SPI off, the clock back to
				 HSI (reset state); no setup before it */
};

#define UB_LDR_SPI_ADDR 0x100u /* UB_LDR_SPI_ERASE: the opcode takes addr */
/* UB_LDR_SPI_AAI: hardware end-of-write (SST25VF016B datasheet, "End-of-
 * Write Detection": after EBSY 0x70, SO is RY/BY# while CE# is low in AAI
 * mode), read on cfg.miso_port/pin; when SO is not low at the first look
 * after the first word (no chip drives it: MISO's pull-up), RDSR polling */
#define UB_LDR_SPI_EBSY 0x80000000u
#define UB_LDR_SPI_PINS 12

/* A pin as the loader sets it: ODR first, then its CNF/MODE nibble. */
struct ub_ldr_spi_pin {
	uint8_t port;  /* 0 = GPIOA ... 4 = GPIOE */
	uint8_t pin;   /* 0-15 */
	uint8_t conf;  /* CNF[1:0] MODE[1:0] (RM0008 §9.2.1) */
	uint8_t level; /* ODR: an output's level, an input's pull (1 up) */
};

struct ub_ldr_spi_cfg {
	uint32_t spi;		   /* SPIx base */
	uint32_t cr1;		   /* SPI_CR1 but SPE */
	uint32_t apb1enr, apb2enr; /* RCC bits to set: SPI, GPIO, AFIO */
	uint32_t mapr, mapr_mask;  /* AFIO_MAPR bits to set; mask 0: none */
	uint32_t cfgr;		   /* RCC_CFGR of the PLL clock; 0: keep */
	uint32_t latency;	   /* FLASH_ACR LATENCY for that clock */
	uint32_t ticks_per_us;	   /* the core clock, MHz (SysTick) */
	uint32_t sck_hz;	   /* what cr1 gives (the host's, for timing) */
	uint8_t cs_port, cs_pin;   /* the flash's CS# */
	uint8_t npin;		   /* pin[] used */
	uint8_t spi_n;		   /* SPI1-3, for messages */
	uint8_t miso_port, miso_pin; /* MISO's pin, read in IDR (EBSY) */
	uint8_t pad[2];
	struct ub_ldr_spi_pin pin[UB_LDR_SPI_PINS];
};

struct ub_ldr_spi_job {
	uint32_t op;   /* enum ub_ldr_spi_op */
	uint32_t addr; /* in the flash chip */
	uint32_t len;  /* bytes */
	uint32_t arg;
	uint32_t data; /* RAM address, word aligned */
	uint32_t span; /* UB_LDR_SPI_CRC: bytes of each block (0: all) */
	uint32_t seq;  /* the job it holds: written last */
};

struct ub_ldr_spi {
	struct ub_ldr_spi_cfg cfg;
	uint32_t timeout_us; /* the longest a page, word or erase may take */
	uint32_t table;	     /* RAM address: 1 KB for UB_LDR_SPI_CRC */
	uint32_t jobs;	     /* out: the last job done */
	uint32_t status;     /* out: enum ub_ldr_status once it stopped */
	uint32_t beat;	     /* out: moves while it works */
	uint32_t err_addr;   /* out: the chip address it stopped at */
	uint32_t err_sr;     /* out: the chip's status then */
	struct ub_ldr_spi_job job[UB_LDR_NBUF];
};

#ifndef UB_LDR_TARGET /* the host's side --------------------------------- */

#include <stdbool.h>

/* A loader as built: its code and where to start it. */
struct ub_ldr_image {
	const char *name;
	const uint8_t *code;
	uint32_t size;
	uint32_t entry; /* offset of the entry point in code */
};

extern const struct ub_ldr_image ub_ldr_flash_f1; /* src/loader/flash_f1.c */
extern const struct ub_ldr_image ub_ldr_crc32;	  /* src/loader/crc32.c */
extern const struct ub_ldr_image ub_ldr_spi_f1;	  /* src/loader/spi_f1.c */

/*
 * The next flash job of buf (len even, halfwords) from *pos: from its
 * first halfword that is not 0xFFFF to the last one before
 * UB_LDR_JOB_GAP bytes of 0xFF, at most max bytes; its offset and length
 * in *off and *n, *pos past it. False when nothing is left to program.
 */
#define UB_LDR_JOB_GAP 48u
bool ub_ldr_next_job(const uint8_t *buf, size_t len, size_t *pos, size_t max,
		     size_t *off, size_t *n);

struct ub_cm;

/*
 * Loaders on a Cortex-M over SWD (src/ldr_swd.c, src/ldr_swd_flash.c). RAM
 * from ram_base is laid out as UB_LDR_RAM_SKIP bytes left alone (where the
 * ROM bootloader keeps its data, so that the UART side can use the same
 * layout), the code of each loader, the parameter block, the stack, and
 * the work area: the CRC table and results, or the flash loader's buffers.
 * The core must be halted; a loader leaves it halted.
 */
#define UB_LDR_RAM_SKIP	  0x200u
#define UB_LDR_PARAMS	  256u
#define UB_LDR_TIMEOUT_MS 2000u /* a loader silent this long is stopped */

enum ub_ldr_slot { UB_LDR_FLASH, UB_LDR_CRC, UB_LDR_SPI, UB_LDR_NSLOTS };

struct ub_ldr_swd {
	struct ub_cm *cm;
	uint32_t code[UB_LDR_NSLOTS]; /* where each loader goes */
	uint32_t params;	      /* the parameter block */
	uint32_t stack;		      /* top of the stack */
	uint32_t work, work_len;      /* the work area */
	unsigned loaded;	      /* bit per slot: its code is in RAM */
	unsigned timeout_ms;
	bool broken; /* a loader failed: do without them from now on */
};

/* Lay out RAM; UB_EUNSUPPORTED when the loaders do not fit in it. */
int ub_ldr_swd_init(struct ub_ldr_swd *l, struct ub_cm *cm, uint32_t ram_base,
		    uint32_t ram_size);

/* The target was reset, or its RAM changed: load the code again. */
static inline void ub_ldr_swd_forget(struct ub_ldr_swd *l)
{
	l->loaded = 0;
}

/* Write the parameter block (n bytes), load the loader of slot s unless it
 * is there already, and start it. */
int ub_ldr_swd_start(struct ub_ldr_swd *l, enum ub_ldr_slot s,
		     const void *params, size_t n);

/*
 * Wait until the running loader of slot s reaches its BKPT, and take its
 * status. One that runs past timeout_ms is halted and the target reset
 * (UB_ETIMEOUT), one that faults is reported with where it stopped
 * (UB_EPROTO); either way the loaders are not used again (l->broken).
 */
int ub_ldr_swd_wait(struct ub_ldr_swd *l, enum ub_ldr_slot s,
		    unsigned timeout_ms, uint32_t *status);

/* The same for a loader that shows it works by changing the word at
 * beat_addr: it is stopped once that stays still for timeout_ms. */
int ub_ldr_swd_wait_beat(struct ub_ldr_swd *l, enum ub_ldr_slot s,
			 unsigned timeout_ms, uint32_t beat_addr,
			 uint32_t *status);

/* Memory by the debug port, an access the wire lost to a FAULT done again
 * (everything a loader run does is safe to repeat). */
int ub_ldr_swd_mem(struct ub_ldr_swd *l, uint32_t addr, void *buf, size_t n,
		   bool write);

/* Has the core stopped (at the BKPT, or on a fault)? */
int ub_ldr_swd_stopped(struct ub_ldr_swd *l, bool *stopped);

/* Halt a running loader where it is (the wire failed while it ran); its
 * code is loaded again next time. */
void ub_ldr_swd_stop(struct ub_ldr_swd *l);

/* Give up on a loader that went wrong: halt it, reset the target (halted),
 * warn, and use no loader again. */
void ub_ldr_swd_abandon(struct ub_ldr_swd *l);

/*
 * CRC-32 of each block of [addr, addr + len) computed on the target, into
 * crc[] (one per block; block 0: one for the whole range).
 */
int ub_ldr_swd_crc32(struct ub_ldr_swd *l, uint32_t addr, uint32_t len,
		     uint32_t block, uint32_t *crc);

/*
 * Program len bytes at addr (both even) with the double-buffered flash
 * loader of the FPEC at fpec, which the caller has unlocked; the flash
 * there must be erased wherever buf is not 0xFFFF. Long runs of 0xFFFF are
 * not sent. Flash errors come back as UB_EIO (PGERR) or UB_EPROTECTED
 * (WRPRTERR), naming the halfword.
 */
int ub_ldr_swd_program(struct ub_ldr_swd *l, uint32_t fpec, uint32_t addr,
		       const uint8_t *buf, size_t len);

/*
 * The SPI loader over SWD (src/ldr_swd_spi.c), with the settings in cfg.
 * One job: its input (nin bytes) goes to the data buffer first, its output
 * (nout bytes) is read from there after; wait_ms bounds the run. Chip
 * errors come back as UB_ETIMEOUT naming what (an erase, a page...).
 */
struct ub_ldr_spi_call {
	const struct ub_ldr_spi_cfg *cfg;
	struct ub_ldr_spi_job job; /* data and seq are filled in */
	uint32_t timeout_us;	   /* the chip's busy polls */
	unsigned wait_ms;	   /* the whole run, on top of l->timeout_ms */
	const void *in;
	size_t nin;
	void *out;
	size_t nout;
};

int ub_ldr_swd_spi_call(struct ub_ldr_swd *l, const struct ub_ldr_spi_call *c);

/* Bytes of data one job can take (the work area, less what it needs). */
uint32_t ub_ldr_swd_spi_room(const struct ub_ldr_swd *l);

/* READ len bytes at addr into buf, streamed in jobs. */
int ub_ldr_swd_spi_read(struct ub_ldr_swd *l, const struct ub_ldr_spi_cfg *cfg,
			uint32_t addr, void *buf, size_t len);

/*
 * Program buf at addr with jobs of op UB_LDR_SPI_PAGE (arg: the page size,
 * 1 for byte programming) or UB_LDR_SPI_AAI (addr and len even), busy
 * polled up to timeout_us each. Units (pages, words, bytes) wholly 0xFF
 * are not sent when a run of them is long enough to be worth a new job.
 */
int ub_ldr_swd_spi_program(struct ub_ldr_swd *l,
			   const struct ub_ldr_spi_cfg *cfg, uint32_t op,
			   uint32_t arg, uint32_t timeout_us, uint32_t addr,
			   const uint8_t *buf, size_t len);

#endif /* UB_LDR_TARGET */

#endif
