/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_H
#define VB_H

/*
 * The virtual board: an STM32F103 (medium density CB, high density VC/VE) as
 * a debugger and a Raspberry Pi see it, at the wire. Test code only: it lives
 * under tests/ and is reached by the real program through a stand-in
 * libgpiod (vb_gpiod*.c), so the product runs unchanged.
 *
 * One struct vb holds what the parts share: the memories, the pins, the
 * virtual clock, the settings and the counters. Each part keeps its own
 * state behind an opaque pointer:
 *
 *   vb_board.c   pins, NRST/BOOT0, resets, the clock (vb_advance), power
 *   vb_state.c   settings, the state directory, the JSON report
 *   vb_mem.c     the memory map: who answers which address
 *   vb_flash.c   flash memory controller (FPEC), option bytes, timings
 *   vb_cpu*.c    Cortex-M3 core on Unicorn: run, halt, step, registers
 *   vb_scs*.c    debug registers (DHCSR, DCRSR, DEMCR, AIRCR...), and the
 *                ROM table, DWT, FPB, ITM/TPIU identification, DBGMCU
 *   vb_swd.c     the SW-DP at the wire: line reset, packets, DP
 *   vb_ahbap.c   its AHB-AP
 *   vb_gpiod*.c  libgpiod 1.6 API (libgpiod.so.2) wired to the pins; VCD
 *   vb_sleep.c   the program's sleeps move the board's clock
 *
 * Time is in picoseconds (uint64_t: 213 days).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define VB_PS_PER_NS 1000ull
#define VB_PS_PER_US 1000000ull
#define VB_PS_PER_MS 1000000000ull

/* Memory map (RM0008 §3.3, PM0056 §2.2, ARM DDI0337) */
#define VB_FLASH_BASE  0x08000000u
#define VB_SYSMEM_BASE 0x1FFFF000u /* 2 KB system memory (ROM bootloader) */
#define VB_FSIZE_ADDR  0x1FFFF7E0u /* u16: flash size in KB */
#define VB_UID_ADDR    0x1FFFF7E8u /* 12 bytes */
#define VB_OPT_BASE    0x1FFFF800u /* 16 bytes: RDP, USER, Data0/1, WRP0-3 */
#define VB_SRAM_BASE   0x20000000u
#define VB_FPEC_BASE   0x40022000u
#define VB_RCC_BASE    0x40021000u
#define VB_DBGMCU_BASE 0xE0042000u
#define VB_PPB_BASE    0xE0000000u /* ITM, DWT, FPB, SCS, TPIU, ROM table */

enum vb_variant {
	VB_CB, /* STM32F103CB: 128 KB flash, 1 KB pages, 20 KB RAM, 0x410 */
	VB_VC, /* STM32F103VC: 256 KB flash, 2 KB pages, 48 KB RAM, 0x414 */
	VB_VE, /* STM32F103VE: 512 KB flash, 2 KB pages, 64 KB RAM, 0x414 */
};

struct vb_chip {
	enum vb_variant variant;
	const char *name;
	uint16_t dev_id, rev_id;
	uint32_t flash_size, page_size, ram_size;
};

/* Who is on the bus: the debugger's AHB-AP or the core. */
enum vb_master { VB_DAP, VB_CPU };

/* What a bus access returns. */
enum vb_bus {
	VB_OK = 0,
	VB_ERR = -1,   /* bus error: the AP sets STICKYERR, the core faults */
	VB_STALL = -2, /* flash busy: try again later (the AP answers WAIT) */
};

/* Peripheral blocks vb_mem.c keeps as plain registers (1 KB each). */
#define VB_NPERIPH     11
#define VB_PERIPH_SIZE 0x400u
/* vb->periph[] blocks, in this order */
enum {
	VB_P_AFIO,
	VB_P_GPIOA, /* ...to VB_P_GPIOE: ports A-E */
	VB_P_GPIOB,
	VB_P_GPIOC,
	VB_P_GPIOD,
	VB_P_GPIOE,
	VB_P_SPI1,
	VB_P_USART1,
	VB_P_SPI2,
	VB_P_SPI3,
	VB_P_RCC,
};

enum vb_pin { VB_SWCLK, VB_SWDIO, VB_NRST, VB_BOOT0, VB_NPINS };

struct vb_settings {
	enum vb_variant variant;
	uint32_t swclk_hz;	/* SWCLK rate the model assumes: 1 MHz */
	uint32_t clip_hz;	/* the clip's SCK rate from Pi GPIO: 1 MHz */
	uint32_t cpu_hz;	/* core clock: 8 MHz (HSI after reset) */
	uint32_t prog_ns;	/* halfword program: 52500 (DS5319 tPROG typ) */
	uint32_t page_erase_us; /* 20000-40000 (DS5319 tERASE): 30000 */
	uint32_t mass_erase_us; /* 20000-40000 (DS5319 tME): 30000 */
	uint8_t uid[12];
	bool uid_set;
	/* faults on demand (tests/vboard/README.md) */
	unsigned wait_every;   /* every Nth AP access is answered WAIT... */
	unsigned wait_count;   /* ...this many times in a row (a storm) */
	unsigned fault_every;  /* every Nth AP access fails: FAULT after it */
	unsigned parity_every; /* every Nth read's data parity is wrong */
	bool unpowered;	       /* target off: lines read constant */
	bool swapped;	       /* SWDIO and SWCLK wired the wrong way round */
	bool nrst_nc;	       /* NRST not connected */
	bool boot0_nc;	       /* BOOT0 not connected: its pull-down wins */
	bool stuck;	       /* a wire held at a level whatever drives it: */
	enum vb_pin stuck_pin; /* ...this one (a short, a stronger driver) */
	int stuck_level;       /* ...at this level */
	uint64_t power_loss_after; /* flash operations, then power is lost */
	bool has_bad_page;
	uint32_t bad_page; /* address of a page that will not erase */
	uint32_t hse_hz;   /* the crystal on OSC_IN/OUT: 8 MHz; 0 = none */
	/* the SPI NOR chip and its wiring (vb_spi_wire.c) */
	int spi_chip;	  /* enum vb_nor_part */
	int spi_bus;	  /* 1-3: on the MCU's SPIn; 0: only on the clip */
	int spi_cs;	  /* MCU pin of its CS (port * 16 + pin), -1 */
	int spi_other_cs; /* another device's CS on the bus, -1 */
	bool spi_no_ebsy; /* the SST25 ignores EBSY: SO never shows RY/BY# */
	uint32_t swd_disable_us; /* firmware turns SWD off this long after
				    it starts running (0: never) */
};

struct vb_stats {
	uint64_t swclk_cycles;
	uint64_t gpio_writes, gpio_reads;
	uint64_t line_resets, jtag_to_swd;
	uint64_t ack_ok, ack_wait, ack_fault, no_ack; /* SWD transactions */
	uint64_t parity_errors;			      /* host's parity wrong */
	uint64_t contention; /* host and target drove SWDIO together */
	uint64_t flash_busy_ps;
	uint64_t programs, page_erases, mass_erases, opt_erases, opt_programs;
	uint64_t cpu_instructions;
	uint64_t resets;
	uint64_t spi_bytes;	 /* bytes the SPI NOR chip saw */
	uint64_t spi_contention; /* MISO driven by two devices */
	uint64_t spi_busy_ps;	 /* the chip's programs and erases */
	uint64_t spi_programs, spi_erases;
	uint64_t usart_rx, usart_tx, usart_overruns;
};

struct vb_flash;
struct vb_cpu;
struct vb_swd;
struct vb_scs;
struct vb_boot;
struct vb_remote;
struct vb_nor;

/*
 * The peripheral models (RM0008) keep their registers in vb->periph[] and
 * the rest here; vb_mem_reset puts both to their reset state.
 */
struct vb_spi_io {
	uint16_t txbuf, shift, rxbuf;
	bool tx_full, busy, rxne, ovr, modf, ovr_dr_read;
	uint64_t end_ps; /* the frame on the wire ends then */
};

#define VB_USART_QSIZE 4096u /* bytes on the RX wire: a host's write */

struct vb_usart_io {
	uint8_t rxq[VB_USART_QSIZE]; /* bytes on the RX wire, not yet
					received */
	unsigned rxq_head, rxq_n;
	uint64_t rx_at; /* the first of them is received then */
	uint16_t rdr, tdr, tsr;
	bool rxne, ore, tdr_full, shifting, tc, waiting, ore_sr_read;
	unsigned idle_polls; /* status reads in a row that found nothing to
				do, no other peripheral touched between */
	uint64_t tx_end;     /* the frame being sent ends then */
	uint8_t txq[VB_USART_QSIZE];	   /* bytes sent, for vb_usart_tx */
	uint32_t txq_baud[VB_USART_QSIZE]; /* the rate each went out at */
	uint32_t tx_baud;		   /* that of vb_usart_tx's last */
	unsigned txq_head, txq_n;
};

struct vb_io {
	uint64_t last_ps; /* the time of the latest access: time never goes
			     back for the peripherals */
	uint64_t hsi_on, hse_on, pll_on; /* when each was switched on */
	uint32_t swj_cfg;		 /* AFIO_MAPR[26:24] as written */
	uint16_t gpio_lock[5];		 /* LCKR: locked pins, once LCKK */
	uint8_t lck_seq[5];
	uint32_t lck_val[5];
	struct vb_spi_io spi[3];
	struct vb_usart_io usart;
	uint64_t systick_t0; /* VAL was reload/start then */
	uint32_t systick_val0;
	uint32_t systick_reg[2]; /* CTRL, LOAD */
	bool systick_flag;
	int nor_cs;	     /* the chip's CS as it last saw it (1 high) */
	int nor_clk;	     /* its SCK as it last saw it */
	int clip[4];	     /* what the clip drives: enum vb_spi_line */
	int vcd_spi[4];	     /* the SPI lines as last written to the VCD */
	uint64_t vcd_spi_ns; /* time of the last SPI change written */
	uint32_t lfsr;	     /* garbage on a contended MISO */
};

struct vb {
	struct vb_chip chip;
	struct vb_settings set;
	struct vb_stats st;
	uint64_t now_ps;

	uint8_t *flash;	      /* chip.flash_size bytes, erased = 0xFF */
	uint8_t option[16];   /* as at 0x1FFFF800 */
	uint8_t *sram;	      /* chip.ram_size bytes */
	uint8_t sysmem[2048]; /* 0x1FFFF000: a stand-in ROM (part 2 adds the
				 bootloader behind USART1) */

	/* pins, as the host drives them: 0, 1, or -1 (not driven) */
	int host[VB_NPINS];
	bool powered;	    /* false after a power loss or when unpowered */
	bool in_reset;	    /* NRST low: the system is held in reset */
	bool boot0;	    /* BOOT0 as latched at the last reset */
	bool swd_off;	    /* the firmware has turned SWD off */
	uint64_t fw_run_ps; /* how long the firmware has run since reset */
	uint64_t flash_ops; /* programs and erases, for power_loss_after */

	struct vb_flash *fl;
	struct vb_cpu *cpu;
	struct vb_swd *swd;
	struct vb_scs *scs;
	struct vb_nor *nor;   /* the SPI NOR chip, or NULL (vb_spinor.c) */
	struct vb_boot *boot; /* vb_boot.c: the ROM bootloader on USART1 */
	/* a board in another process (vb_gpiod_client.c): vb_drive, vb_sense
	 * and vb_advance go there; NULL for a board of this process */
	const struct vb_remote *remote;

	FILE *vcd; /* optional trace of the pins */
	char state_dir[512];
	int state_fd; /* vb_state.c: the lock on state_dir, while it is set */

	/* vb_mem.c: plain register storage for the peripherals a loader
	 * touches (RCC, AFIO, GPIOA-E, SPI1-3, USART1) until they are
	 * modeled; reset by vb_mem_reset */
	uint32_t periph[VB_NPERIPH][VB_PERIPH_SIZE / 4];
	struct vb_io io; /* the peripheral models' state beyond registers */
};

/* vb_board.c ------------------------------------------------------------ */

/*
 * A powered board. settings are "key=value" strings (tests/vboard/README.md);
 * dir is the state directory or NULL (an erased chip, nothing saved).
 * NULL with a message in err on failure.
 */
struct vb *vb_new(const char *const *settings, size_t nsettings,
		  const char *dir, char *err, size_t errlen);

/* Save the state (when dir was given) and free everything. */
int vb_close(struct vb *vb, char *err, size_t errlen);

/* Move the clock: run the core, finish flash operations, fire timers. */
void vb_advance(struct vb *vb, uint64_t ps);

/* The host drives a pin (0, 1, -1 = releases it). SWCLK edges clock the
 * SW-DP and advance time by half an SWCLK period each. */
void vb_drive(struct vb *vb, enum vb_pin pin, int level);

/* What the host reads on a pin. */
int vb_sense(struct vb *vb, enum vb_pin pin);

/* System reset (NRST released, SYSRESETREQ): everything but the debug
 * logic; the core restarts from the boot memory BOOT0 selects. */
void vb_system_reset(struct vb *vb);

/* Lose power now (a fault): nothing answers any more. */
void vb_power_loss(struct vb *vb);

/* Count a flash operation; loses power when the setting says so. */
void vb_flash_op_done(struct vb *vb);

/* vb_state.c ------------------------------------------------------------ */

void vb_settings_default(struct vb_settings *s);

/* Apply one "key=value"; -1 with a message for an unknown key or value. */
int vb_setting(struct vb_settings *s, const char *kv, char *err, size_t errlen);

/* Fill vb->chip from vb->set.variant. */
void vb_chip_init(struct vb *vb);

/*
 * Load the state of dir into vb (memories already allocated for the
 * variant): flash.bin, option.bin, board.json (variant, UID). A missing or
 * empty dir starts as an erased chip with default option bytes. A dir made
 * for another variant is an error. Takes an exclusive lock on dir, held
 * until vb_state_save.
 */
int vb_state_load(struct vb *vb, const char *dir, char *err, size_t errlen);

/* Save atomically (write temporaries, fsync, rename) and unlock. */
int vb_state_save(struct vb *vb, char *err, size_t errlen);

/* The session report: modeled time, cycles, transactions, busy time... */
void vb_report(const struct vb *vb, FILE *f);

/* vb_mem.c -------------------------------------------------------------- */

/* One access of 1, 2 or 4 bytes (aligned) by master; returns enum vb_bus. */
int vb_bus_read(struct vb *vb, enum vb_master m, uint32_t addr, unsigned size,
		uint32_t *val);
int vb_bus_write(struct vb *vb, enum vb_master m, uint32_t addr, unsigned size,
		 uint32_t val);
/* Peripheral registers to their reset values (called by vb_flash_reset at
 * every system reset until vb_system_reset calls it itself). */
void vb_mem_reset(struct vb *vb);

/* vb_flash.c ------------------------------------------------------------ */

struct vb_flash *vb_flash_new(struct vb *vb);
void vb_flash_free(struct vb_flash *fl);
/* System reset: lock the FPEC, reload OBR and WRPR from the option bytes. */
void vb_flash_reset(struct vb *vb);
/* FPEC registers, offset from VB_FPEC_BASE. */
int vb_flash_reg_read(struct vb *vb, uint32_t off, uint32_t *val);
int vb_flash_reg_write(struct vb *vb, uint32_t off, unsigned size,
		       uint32_t val);
/* Main flash (addr from VB_FLASH_BASE) and option bytes (VB_OPT_BASE):
 * addr is the bus address (0x08xxxxxx, 0x1FFFF80x), the boot alias
 * already translated. */
int vb_flash_read(struct vb *vb, enum vb_master m, uint32_t addr, unsigned size,
		  uint32_t *val);
int vb_flash_write(struct vb *vb, enum vb_master m, uint32_t addr,
		   unsigned size, uint32_t val);
/* Finish what is due by vb->now_ps. */
void vb_flash_tick(struct vb *vb);
/* The same at time t (the core's, not after the board's now): what ended
 * by t is done. */
void vb_flash_settle(struct vb *vb, uint64_t t);
/* The time the current operation ends, or 0 when idle. */
uint64_t vb_flash_busy_until(const struct vb *vb);
/* Readout protection as loaded at the last reset. */
bool vb_flash_rdp(const struct vb *vb);

/* vb_cpu.c -------------------------------------------------------------- */

struct vb_cpu *vb_cpu_new(struct vb *vb);
void vb_cpu_free(struct vb_cpu *cpu);
/* Core reset: SP and PC from the vector table at 0 (the boot alias). */
void vb_cpu_reset(struct vb *vb);
/* Run until the core's time reaches vb->now_ps, unless halted or held. */
void vb_cpu_catch_up(struct vb *vb);
bool vb_cpu_halted(const struct vb *vb);
/* Halt (reason: DFSR bits), resume, single step. */
void vb_cpu_halt(struct vb *vb, uint32_t dfsr);
void vb_cpu_resume(struct vb *vb);
void vb_cpu_step(struct vb *vb);
/* Core register by DCRSR.REGSEL number (ARMv7-M ARM C1.6.3). */
int vb_cpu_reg_read(struct vb *vb, unsigned regsel, uint32_t *val);
int vb_cpu_reg_write(struct vb *vb, unsigned regsel, uint32_t val);
/* The core locked up (no valid vector table, double fault). */
bool vb_cpu_locked(const struct vb *vb);
/* The core sleeps (WFI) until a debugger halts it. */
bool vb_cpu_sleeping(const struct vb *vb);
/* AIRCR asks for a reset: the system (SYSRESETREQ) or the core alone
 * (VECTRESET). Done once the current instruction completes when the core
 * wrote it, at once otherwise. */
void vb_cpu_reset_request(struct vb *vb, bool system);

/* vb_scs.c -------------------------------------------------------------- */

struct vb_scs *vb_scs_new(struct vb *vb);
void vb_scs_free(struct vb_scs *scs);
/* Power-on reset of the debug logic (DHCSR, DEMCR...). */
void vb_scs_power_on(struct vb *vb);
/* A system reset happened: S_RESET_ST, and halt if VC_CORERESET. */
void vb_scs_system_reset(struct vb *vb);
/* 0xE0000000-0xE00FFFFF and DBGMCU. */
int vb_scs_read(struct vb *vb, enum vb_master m, uint32_t addr, unsigned size,
		uint32_t *val);
int vb_scs_write(struct vb *vb, enum vb_master m, uint32_t addr, unsigned size,
		 uint32_t val);
/* The debugger enabled halting debug (DHCSR.C_DEBUGEN). */
bool vb_scs_debugen(const struct vb *vb);
/* The core hit BKPT: halt if C_DEBUGEN, else it is a HardFault (lock up). */
void vb_scs_bkpt(struct vb *vb);

/* DFSR bits: why the core halted */
#define VB_DFSR_HALTED 0x01u
#define VB_DFSR_BKPT   0x02u
#define VB_DFSR_VCATCH 0x08u

/* The core entered Debug state (vb_cpu_halt): DFSR |= dfsr, C_HALT set. */
void vb_scs_halted(struct vb *vb, uint32_t dfsr);
/* The core faulted: halt (DFSR.VCATCH) if C_DEBUGEN and DEMCR.VC_HARDERR,
 * else it locks up. */
void vb_scs_hardfault(struct vb *vb);
/* An enabled FPB comparator breaks on the instruction at addr. */
bool vb_scs_fpb_match(const struct vb *vb, uint32_t addr);

/* vb_swd.c -------------------------------------------------------------- */

struct vb_swd *vb_swd_new(struct vb *vb);
void vb_swd_free(struct vb_swd *swd);
/* Power-on: JTAG mode, DP powered down, no sticky errors. */
void vb_swd_power_on(struct vb *vb);
/* A rising SWCLK edge; swdio is the level on the line before the edge. */
void vb_swd_clock(struct vb *vb, int swdio);
/* What the target drives on SWDIO now: 0, 1, or -1 (not driving). */
int vb_swd_output(const struct vb *vb);

/* vb_boot.c ------------------------------------------------------------- */

/*
 * The F1's ROM bootloader (v2.2, AN3155) as a model in C: with BOOT0 high at
 * a reset it owns USART1 (8E1) until Go hands the core a program. The board
 * server (vb_server.c) moves the pty's bytes through it.
 */
struct vb_boot *vb_boot_new(struct vb *vb);
void vb_boot_free(struct vb_boot *boot);
/* System reset: back to waiting for 0x7F when BOOT0 was high. */
void vb_boot_reset(struct vb *vb);
/* The bootloader owns USART1 now (powered, out of reset, booted from
 * system memory, no Go since). */
bool vb_boot_active(const struct vb *vb);
/* A byte from the host, as USART1 received it at baud: byte, or -1 for a
 * frame with a parity or framing error. May take time (flash work). */
void vb_boot_rx(struct vb *vb, int byte, uint32_t baud);
/* 1 and the next byte the bootloader sends, 0 when it has none. */
int vb_boot_tx(struct vb *vb, uint8_t *byte);
/* The baud the bootloader took from the 0x7F (0 before it synced). */
uint32_t vb_boot_baud(const struct vb *vb);
/* Faults: answer each command delay_ps late; never answer (mute). */
void vb_boot_faults(struct vb *vb, uint64_t delay_ps, bool mute);

/* vb_usart.c (the peripheral helper's model of USART1) ----------------- */

/* A byte arrives on USART1's RX (PA10) from the host. */
void vb_usart_rx(struct vb *vb, uint8_t byte);
/* 1 and the byte USART1 sent on TX (PA9), 0 when none is ready. */
int vb_usart_tx(struct vb *vb, uint8_t *byte);
/* The baud rate the byte vb_usart_tx gave last was sent at (BRR may have
 * changed since). */
uint32_t vb_usart_tx_baud(const struct vb *vb);
/* The baud USART1 runs at (BRR and its clock), 0 while it is disabled. */
uint32_t vb_usart_baud(const struct vb *vb);
/* The core read USART1's status twice in a row (no other peripheral but
 * SysTick touched between) with nothing received, nothing on the wire to
 * it and nothing left to send: it waits for the host (the server stops
 * running it). A core busy with the flash or SPI between its polls of
 * USART1 does not wait. */
bool vb_usart_waiting(const struct vb *vb);
/* Another peripheral was touched (vb_mem.c): the core is not just
 * waiting. */
void vb_usart_other_access(struct vb *vb);
/* USART1 has sent everything it was given (no frame on the wire, TDR
 * empty, nothing left for vb_usart_tx). */
bool vb_usart_tx_idle(struct vb *vb);
/* Room on the RX wire for more vb_usart_rx bytes. */
unsigned vb_usart_room(struct vb *vb);
/* USART1's frame as CR1/CR2 set it: data bits (the parity bit not
 * counted), parity 'N', 'E' or 'O', stop bits (0.5 and 1.5 rounded up). */
void vb_usart_framing(const struct vb *vb, unsigned *data, char *parity,
		      unsigned *stop);

/* vb_cpu.c: the ROM's Go - the core leaves reset, sleep, halt or lockup
 * and runs from pc with MSP = sp (pc without its Thumb bit locks up). */
void vb_cpu_go(struct vb *vb, uint32_t sp, uint32_t pc);

/* A board in another process (the board server): the stand-in libgpiod in
 * client mode gives a struct vb with these, and nothing else of it. */
struct vb_remote {
	void (*drive)(struct vb *vb, enum vb_pin pin, int level);
	int (*sense)(struct vb *vb, enum vb_pin pin);
	void (*advance)(struct vb *vb, uint64_t ps);
};

/* Peripherals (RM0008): vb_rcc.c, vb_gpio.c (GPIO, AFIO), vb_spi.c,
 * vb_usart.c, vb_systick.c; vb_mem.c dispatches to them. ----------------- */

/* The core's time on the bus while it runs, else vb->now_ps. */
uint64_t vb_cpu_now(const struct vb *vb);
/* How far a core that runs has got (0: it does not run now: halted,
 * asleep, locked up, in reset). */
uint64_t vb_cpu_time(const struct vb *vb);
/* The time of a peripheral access (the core's, never before the last). */
uint64_t vb_io_now(struct vb *vb);
/* All peripheral models to their reset state (from vb_mem_reset). */
void vb_io_reset(struct vb *vb);

/* A block's registers: off is word aligned; a write's val sits in its byte
 * lanes and mask names the lanes written. Return enum vb_bus. */
int vb_rcc_read(struct vb *vb, unsigned unit, uint32_t off, uint32_t *val);
int vb_rcc_write(struct vb *vb, unsigned unit, uint32_t off, uint32_t val,
		 uint32_t mask);
int vb_gpio_read(struct vb *vb, unsigned port, uint32_t off, uint32_t *val);
int vb_gpio_write(struct vb *vb, unsigned port, uint32_t off, uint32_t val,
		  uint32_t mask);
int vb_afio_read(struct vb *vb, unsigned unit, uint32_t off, uint32_t *val);
int vb_afio_write(struct vb *vb, unsigned unit, uint32_t off, uint32_t val,
		  uint32_t mask);
int vb_spi_read(struct vb *vb, unsigned n, uint32_t off, uint32_t *val);
int vb_spi_write(struct vb *vb, unsigned n, uint32_t off, uint32_t val,
		 uint32_t mask);
int vb_usart_read(struct vb *vb, unsigned unit, uint32_t off, uint32_t *val);
int vb_usart_write(struct vb *vb, unsigned unit, uint32_t off, uint32_t val,
		   uint32_t mask);
/* SysTick at 0xE000E010-0xE000E01F (size 4 accesses). */
#define VB_SYSTICK_BASE 0xE000E010u
int vb_systick_read(struct vb *vb, uint32_t addr, uint32_t *val);
int vb_systick_write(struct vb *vb, uint32_t addr, uint32_t val);

/* Clocks as RCC sets them, in Hz. The core runs at set.cpu_hz while HCLK is
 * the HSI's 8 MHz, in proportion to HCLK after that (vb_rcc_core_hz);
 * vb_cpu_clock_changed (vb_cpu_run.c) hears of every change. */
uint32_t vb_rcc_sysclk(struct vb *vb);
uint32_t vb_rcc_hclk(struct vb *vb);
uint32_t vb_rcc_core_hz(struct vb *vb);
void vb_cpu_clock_changed(struct vb *vb);
uint32_t vb_rcc_pclk1(struct vb *vb);
uint32_t vb_rcc_pclk2(struct vb *vb);
/* A peripheral's clock enable: VB_APB1(bit) or VB_APB2(bit) of RCC. */
#define VB_APB2(bit) (bit)
#define VB_APB1(bit) (32 + (bit))
bool vb_rcc_enabled(struct vb *vb, unsigned clk);

/* MCU pins: port * 16 + pin (PA0 = 0, PB9 = 25). */
#define VB_PIN(port, n) ((port)*16 + (n))
/* What the MCU drives on a pin: 0, 1, or -1 (an input, released, or held
 * in reset); the debug port keeps its pins (AFIO SWJ_CFG). */
int vb_gpio_drive(struct vb *vb, int pin);
/* The level on a pin: the MCU's drive, else what drives it from outside
 * (the SPI chip's MISO), else its pull; a floating pin reads 0. */
int vb_gpio_level(struct vb *vb, int pin);
/* The pin is an alternate-function output free of the debug port; an
 * input (floating or pulled). */
bool vb_gpio_af_out(struct vb *vb, int pin);
bool vb_gpio_is_input(struct vb *vb, int pin);
/* "PB9" and back; -1 when it is not a pin of ports A-E. */
int vb_pin_parse(const char *s);

/* Finish the SPI frames that end by the current time. */
void vb_spi_sync(struct vb *vb);
/* SPIn's (0-2) pins as AFIO maps them: NSS, SCK, MISO, MOSI. */
void vb_spi_pins(struct vb *vb, unsigned n, int pins[4]);
/* What drives an MCU pin from outside (the chip's MISO): 0, 1, -1. */
int vb_spi_wire_ext(struct vb *vb, int pin);

/* vb_spinor.c: SPI NOR flash chips -------------------------------------- */

enum vb_nor_part {
	VB_NOR_NONE,
	VB_NOR_SST25VF016B, /* BF 25 41, 2 MB, power-up protection, AAI */
	VB_NOR_M25PE16,	    /* 20 80 15, 2 MB, page write/erase */
	VB_NOR_W25Q64,	    /* EF 40 17, 8 MB, SR1-2, SFDP */
};

/* A chip fresh from power-up (erased unless its memory is loaded); its
 * operations are counted in st. */
struct vb_nor *vb_nor_new(enum vb_nor_part part, struct vb_stats *st);
void vb_nor_free(struct vb_nor *nor);
const char *vb_nor_name(enum vb_nor_part part);
int vb_nor_parse(const char *name); /* enum vb_nor_part, or -1 */
uint8_t *vb_nor_mem(struct vb_nor *nor, size_t *size);
/* CS# falls (low) or rises at time t (ps): a rise ends the command. */
void vb_nor_select(struct vb_nor *nor, bool low, uint64_t t);
/* One byte while selected: returns what the chip shifted out during it
 * (0xFF where it does not drive). */
uint8_t vb_nor_byte(struct vb_nor *nor, uint8_t mosi, uint64_t t);
/* Bit level (the clip path): an SCK edge, with MOSI as it is; MISO is 0,
 * 1, or -1 while the chip does not drive it. */
void vb_nor_sck(struct vb_nor *nor, bool high, bool mosi, uint64_t t);
int vb_nor_miso(const struct vb_nor *nor, uint64_t t);
/* The chip ignores EBSY (0x70), as a part without hardware end-of-write. */
void vb_nor_no_ebsy(struct vb_nor *nor, bool ignore);
/* Status register 1 as RDSR would read it at t. */
uint8_t vb_nor_status(const struct vb_nor *nor, uint64_t t);

/* vb_spi_wire.c: where the chip is wired ------------------------------- */

/* Make vb->nor from the settings (from vb_new); -1 with a message. */
int vb_spi_board_new(struct vb *vb, char *err, size_t errlen);
/* spi_chip, spi_bus, spi_cs, spi_other_cs, hse_hz: 0 when taken, 1 when
 * key is not one of them, -1 with a message for a bad value. */
int vb_spi_setting(struct vb_settings *s, const char *key, const char *v,
		   char *err, size_t errlen);
#define VB_SPI_KEYS \
	"spi_chip, spi_bus, spi_cs, spi_other_cs, spi_no_ebsy, hse_hz"
/* Settings a board profile implies ([spi] section): up to max of them into
 * out[i] ("spi_chip=sst25vf016b"...); returns how many. */
struct ub_board;
size_t vb_spi_profile(const struct ub_board *b, char (*out)[48], size_t max);
/* spi.bin in the state directory: load (missing: erased) and save. */
int vb_spi_state_load(struct vb *vb, const char *dir, char *err, size_t errlen);
const uint8_t *vb_spi_state_data(struct vb *vb, size_t *len);
/* A GPIO changed: the chip sees its CS as the MCU and the clip drive it. */
void vb_spi_wire_update(struct vb *vb);
/* A frame of bits on SPIn (1-3) ends at t: what the MCU receives. */
uint16_t vb_spi_mcu_frame(struct vb *vb, unsigned n, uint16_t tx, unsigned bits,
			  bool lsb_first, bool mode_ok, uint64_t t);

/* The clip path: a programmer on the chip's pins (the Pi's GPIO lines,
 * the serprog server). Levels 0, 1, -1 (released). */
enum vb_spi_line { VB_SPI_CS, VB_SPI_CLK, VB_SPI_MOSI, VB_SPI_MISO };
void vb_spi_clip_drive(struct vb *vb, enum vb_spi_line l, int level);
int vb_spi_clip_sense(struct vb *vb, enum vb_spi_line l);
/* One command on the clip: CS low, ntx bytes out, nrx bytes in, CS high,
 * bit by bit at hz (mode 0), time moving half a period an edge. */
void vb_spi_clip_xfer(struct vb *vb, const uint8_t *tx, size_t ntx, uint8_t *rx,
		      size_t nrx, uint32_t hz);
/* The SPI lines in the VCD: declare them (ids "()*+") and write changes. */
void vb_spi_vcd_header(struct vb *vb, FILE *f);
void vb_spi_vcd_sample(struct vb *vb);

/* vb_serprog.c: flashrom's serprog protocol on the clip path ------------ */

struct vb_serprog;
struct vb_serprog *vb_serprog_new(struct vb *vb);
void vb_serprog_free(struct vb_serprog *sp);
/* Bytes from the host; answers go to emit. Commands may span calls. */
void vb_serprog_feed(struct vb_serprog *sp, const uint8_t *in, size_t n,
		     void (*emit)(void *arg, const uint8_t *p, size_t n),
		     void *arg);

/* vb_gpiod.c ------------------------------------------------------------ */

/* The board of the session the stand-in libgpiod holds open, or NULL (for
 * tests that link vb_gpiod.c; not exported from libgpiod.so.2). */
struct vb *vb_gpiod_board(void);

/* The program sleeps for ns: the board's clock moves as much (vb_sleep.c
 * calls it from the interposed sleep functions). */
void vb_gpiod_host_sleep(uint64_t ns);

#endif
