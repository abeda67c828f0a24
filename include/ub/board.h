/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_BOARD_H
#define UB_BOARD_H

#include <stdbool.h>
#include <stdint.h>

#include "ub/family.h"

/*
 * A board profile (boards/NAME.conf, format in boards/README.md): which MCU,
 * how a Pi reaches it, where things live in its memories, what must survive
 * an erase, and how to restore it. Fixed-size tables keep it simple; a
 * profile that outgrows them gets a clear error.
 */
#define UB_NAME_MAX	32
#define UB_TEXT_MAX	200
#define UB_MAX_PINS	20
#define UB_MAX_REGIONS	40
#define UB_MAX_SEQS	10
#define UB_MAX_STEPS	24
#define UB_MAX_RECIPES	6
#define UB_MAX_RSTEPS	32
#define UB_MAX_NOTES	8
#define UB_MAX_PRESERVE 8
#define UB_MAX_CHIPS	4
#define UB_MAX_PARKS	6
#define UB_MAX_FILES	4 /* a profile and its bases */

enum ub_iface { UB_IFACE_SWD, UB_IFACE_UART, UB_IFACE_N };

enum ub_space { UB_SPACE_MCU, UB_SPACE_SPI };

/* Where an item was defined: board->file[file], line. */
struct ub_origin {
	unsigned char file;
	unsigned line;
};

struct ub_board_iface {
	bool declared;
	bool available;
	char reason[UB_TEXT_MAX]; /* why not available */
	char enter[UB_NAME_MAX];  /* sequence that reaches the link */
	char leave[UB_NAME_MAX];  /* sequence that runs the application */
	char port[64];		  /* uart: serial device */
	uint32_t baud;		  /* uart: ROM bootloader rate */
	uint32_t speed;		  /* swd: SWCLK in Hz */
	char notes[UB_MAX_NOTES][UB_TEXT_MAX];
	unsigned nnotes;
	struct ub_origin at;
};

/* What a pin role is, decided by its name. */
enum ub_pin_kind {
	UB_PIN_LINE,  /* a GPIO line unbrick drives or reads */
	UB_PIN_UART,  /* the Pi's serial TXD or RXD */
	UB_PIN_GND,   /* common ground */
	UB_PIN_POWER, /* supply from the Pi, or "none" */
};

/* A USB-serial adapter's modem line, for a pin wired to it instead of to a
 * Pi GPIO ('pi = rts', 'pi = !dtr'). */
enum ub_modem_line {
	UB_MODEM_NONE,
	UB_MODEM_RTS,
	UB_MODEM_DTR,
};

struct ub_board_pin {
	char role[UB_NAME_MAX]; /* swclk, swdio, nrst, boot0, txd, rxd,
				   spi_cs, spi_clk, spi_mosi, spi_miso, gnd,
				   power, or a board button (mode, k1) */
	enum ub_pin_kind kind;
	int pi;		       /* physical header pin, 0 = not connected */
	int modem;	       /* or enum ub_modem_line (then pi is 0) */
	bool modem_inverted;   /* through an inverter: asserted drives 1 */
	char pad[UB_TEXT_MAX]; /* where it lands on the board */
	char signal[64];       /* the MCU signal: "PA13 (SWDIO)" */
	char note[UB_TEXT_MAX];
	unsigned ifaces; /* bit (1 << enum ub_iface) per interface */
	bool open_drain;
	struct ub_origin at;
};

struct ub_region {
	char name[UB_NAME_MAX];
	enum ub_space space;
	uint32_t addr, size;
	char desc[UB_TEXT_MAX];
	struct ub_origin at;
};

enum ub_step_kind {
	UB_STEP_SET,  /* drive a line: level 0, 1, or -1 = release */
	UB_STEP_WAIT, /* ms */
	UB_STEP_SAY,  /* ask the person at the bench to do something */
};

struct ub_step {
	enum ub_step_kind kind;
	char role[UB_NAME_MAX];
	int level;
	unsigned ms;
	char text[UB_TEXT_MAX];
	unsigned line; /* in the file of its sequence */
};

struct ub_sequence {
	char name[UB_NAME_MAX];
	struct ub_step step[UB_MAX_STEPS];
	unsigned nstep;
	struct ub_origin at;
};

struct ub_park {
	char pin[8]; /* MCU pin, "PB12" */
	int level;
};

struct ub_spi_conf {
	bool present;
	char bus[16];	    /* "mcu": through the MCU's SPI peripheral */
	char device[64];    /* bus = spidev: "/dev/spidev0.0" */
	char peripheral[8]; /* "SPI2" */
	char sck[8], miso[8], mosi[8], cs[8];
	int mode;	/* SPI mode 0-3 */
	char remap[32]; /* "none", "swj-jtag-off" */
	struct ub_park park[UB_MAX_PARKS];
	unsigned npark;
	char chip[UB_MAX_CHIPS][UB_NAME_MAX]; /* expected parts, or "any" */
	unsigned nchip;
	uint32_t size; /* bytes, 0 when unknown */
	char note[UB_TEXT_MAX];
	struct ub_origin at;
};

struct ub_recipe_step {
	char verb[16];
	char args[160];
	struct ub_origin at;
};

struct ub_recipe {
	char name[UB_NAME_MAX];
	char desc[UB_TEXT_MAX];
	int iface; /* enum ub_iface */
	struct ub_recipe_step step[UB_MAX_RSTEPS];
	unsigned nstep;
	struct ub_origin at;
};

struct ub_board {
	char file[UB_MAX_FILES][256]; /* file[0] is the profile itself */
	unsigned nfile;
	char name[UB_NAME_MAX];
	char base[UB_NAME_MAX];
	char desc[UB_TEXT_MAX];
	char family_name[16];
	const struct ub_family *family;
	bool has_dev_id;
	uint32_t dev_id;
	uint32_t flash_size, ram_size; /* bytes, 0 when unknown */
	int default_iface;
	struct ub_origin at;	   /* the [board] section */
	struct ub_origin iface_at; /* its 'interface =' line */
	char notes[UB_MAX_NOTES][UB_TEXT_MAX];
	unsigned nnotes;
	char preserve[UB_MAX_PRESERVE][UB_NAME_MAX];
	unsigned npreserve;
	struct ub_origin preserve_at;
	struct ub_board_iface iface[UB_IFACE_N];
	struct ub_board_pin pin[UB_MAX_PINS];
	unsigned npin;
	struct ub_region region[UB_MAX_REGIONS];
	unsigned nregion;
	struct ub_sequence seq[UB_MAX_SEQS];
	unsigned nseq;
	struct ub_spi_conf spi;
	struct ub_recipe recipe[UB_MAX_RECIPES];
	unsigned nrecipe;
};

/*
 * Load a profile by name (searched in ub_board_dirs()) or by path (anything
 * with a '/' or ending in .conf). Returns NULL with a message "file:line:
 * what is wrong" on error, err set to the code.
 */
struct ub_board *ub_board_load(const char *name_or_path, int *err);
void ub_board_free(struct ub_board *b);

/* Parse a profile from memory (for tests and fuzzing); path is for messages. */
struct ub_board *ub_board_parse(const char *text, const char *path, int *err);

/*
 * The directories searched for profiles, in order: $UNBRICK_BOARDS (colon-
 * separated), ~/.config/unbrick/boards, boards/ beside the program, the
 * installed data directory. Calls fn for each existing one; stops when fn
 * returns non-zero and returns that.
 */
int ub_board_dirs(int (*fn)(const char *dir, void *arg), void *arg);

/* Lookups; NULL when absent. */
const struct ub_region *ub_board_region(const struct ub_board *b,
					const char *name);
const struct ub_board_pin *ub_board_pin(const struct ub_board *b,
					const char *role);
const struct ub_sequence *ub_board_sequence(const struct ub_board *b,
					    const char *name);
const struct ub_recipe *ub_board_recipe(const struct ub_board *b,
					const char *name);

/* --pin ROLE=PIN: override or add a GPIO line role. */
int ub_board_set_pin(struct ub_board *b, const char *assignment);

/*
 * "rts", "dtr", "!rts", "!dtr" (any case): the adapter line and whether it
 * is inverted. -1 (no message) for anything else.
 */
int ub_modem_parse(const char *s, int *line, bool *inverted);

/* "RTS", "DTR", "inverted RTS"... */
const char *ub_modem_name(int line, bool inverted);

/* "swd"/"uart" and back; parse returns -1 (no message) when unknown. */
const char *ub_iface_name(int iface);
int ub_iface_parse(const char *s);

/* Role names and their kinds. */
enum ub_pin_kind ub_pin_kind_of(const char *role);

/* "file:line" of an item, for messages. */
const char *ub_board_where(const struct ub_board *b, struct ub_origin at,
			   char *buf, unsigned n);

/* Check a parsed profile for consistency (done by load and parse). */
int ub_board_check(const struct ub_board *b);

#endif
