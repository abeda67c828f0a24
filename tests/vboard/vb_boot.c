// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The STM32F1's ROM bootloader on USART1 (AN2606, AN3155; version 2.2), as
 * a model in C rather than ARM code. With BOOT0 high at a reset the core
 * sleeps in system memory and this model owns USART1: it waits for 0x7F
 * (8E1, the baud taken from it), answers ACK and serves the command set.
 * Flash work goes through the flash controller as the core would do it
 * (vb_bus_write as VB_CPU: keys, PG/PER/MER/OPTPG/OPTER, busy times).
 *
 * Where AN3155 leaves a choice, the model decides so:
 *  - Read Memory, Go, Write Memory, Erase and Write Protect answer NACK to
 *    the command while readout protection is active; Get, Get Version,
 *    Get ID, Write Unprotect, Readout Unprotect always work; Readout
 *    Protect answers NACK when protection is already active.
 *  - Read Memory: the address must be in flash, system memory, the option
 *    bytes or RAM (else NACK after the address); the block must end there
 *    too (else NACK after the length).
 *  - Write Memory: flash, the option bytes or RAM above the bootloader's
 *    own 0x20000000-0x200001FF (else NACK after the address). Flash is
 *    programmed by halfwords (an odd tail padded with 0xFF); a program
 *    error (PGERR, WRPRTERR) answers NACK at the end. Writing the option
 *    bytes erases them all first and resets the chip after the ACK.
 *  - Go: to flash, RAM or system memory: MSP from the word at the address,
 *    PC from the next one.
 *  - Erase 0x43: 0xFF then 0x00 is the global (mass) erase; else N, N+1
 *    page numbers and the XOR of all of them. A page number past the end,
 *    or a protected page, answers NACK.
 *  - Write Protect takes sector codes (WRP bits: 4 KB on a CB, 4 KB up to
 *    bit 30 and the rest in bit 31 on a VC/VE) and protects exactly those;
 *    Write Unprotect clears all WRP bits; both keep RDP and USER. Readout
 *    Protect writes RDP = 0x00 and keeps WRP. Readout Unprotect writes the
 *    factory option bytes (the flash controller mass-erases main flash on
 *    the way). All four reset the chip after their last ACK: the host must
 *    send 0x7F again.
 *  - A byte that arrives with a parity or framing error (-1) is ignored
 *    while waiting for 0x7F and answered NACK inside a command.
 */
#include <stdlib.h>
#include <string.h>

#include "vb_boot.h"

#define ACK  0x79
#define NACK 0x1F

#define BOOT_VERSION 0x22
#define BOOT_RAM_END 0x20000200u /* RAM the bootloader uses itself */
#define SYSMEM_END   0x1FFFF800u
#define OPT_SIZE     16u
#define OUT_SIZE     1024u

static const uint8_t commands[] = {0x00, 0x01, 0x02, 0x11, 0x21, 0x31,
				   0x43, 0x63, 0x73, 0x82, 0x92};

enum state {
	ST_SYNC, /* waiting for 0x7F */
	ST_CMD,	 /* waiting for a command byte */
	ST_XCMD, /* waiting for its complement */
	ST_ADDR, /* 4 address bytes and their XOR */
	ST_RLEN, /* Read Memory: N and ~N */
	ST_WLEN, /* Write Memory: N */
	ST_WDATA,
	ST_WSUM,
	ST_ELEN, /* Erase, Write Protect: N */
	ST_ELIST,
	ST_ESUM,
};

struct vb_boot {
	enum state st;
	bool running;	  /* booted from system memory, no Go since */
	bool reset_after; /* reset once the answer has gone out */
	uint32_t baud;
	uint8_t cmd;
	uint8_t buf[260];
	unsigned n, need;
	uint8_t sum;
	uint32_t addr;
	uint8_t out[OUT_SIZE];
	unsigned head, len;
	uint64_t delay_ps;
	bool mute;
};

struct vb_boot *vb_boot_new(struct vb *vb)
{
	(void)vb;
	return calloc(1, sizeof(struct vb_boot));
}

void vb_boot_free(struct vb_boot *boot)
{
	free(boot);
}

void vb_boot_faults(struct vb *vb, uint64_t delay_ps, bool mute)
{
	vb->boot->delay_ps = delay_ps;
	vb->boot->mute = mute;
}

void vb_boot_reset(struct vb *vb)
{
	struct vb_boot *b = vb->boot;

	if (!b)
		return;
	b->st = ST_SYNC;
	b->running = vb->boot0;
	b->reset_after = false;
	b->baud = 0;
	b->head = b->len = 0;
}

bool vb_boot_active(const struct vb *vb)
{
	return vb->boot && vb->boot->running && vb->powered && !vb->in_reset;
}

uint32_t vb_boot_baud(const struct vb *vb)
{
	return vb->boot ? vb->boot->baud : 0;
}

static void put(struct vb_boot *b, uint8_t c)
{
	if (b->len < OUT_SIZE)
		b->out[(b->head + b->len++) % OUT_SIZE] = c;
}

/* The first byte of an answer: the bootloader takes its time (a fault). */
static void answer(struct vb *vb, uint8_t c)
{
	if (vb->boot->delay_ps)
		vb_advance(vb, vb->boot->delay_ps);
	put(vb->boot, c);
}

int vb_boot_tx(struct vb *vb, uint8_t *byte)
{
	struct vb_boot *b = vb->boot;

	if (!b || !b->len)
		return 0;
	*byte = b->out[b->head];
	b->head = (b->head + 1) % OUT_SIZE;
	if (!--b->len && b->reset_after) {
		b->reset_after = false;
		vb_system_reset(vb); /* vb_boot_reset: back to ST_SYNC */
	}
	return 1;
}

/* Addresses -------------------------------------------------------------- */

enum area { A_NONE, A_FLASH, A_SYSMEM, A_OPT, A_RAM };

static enum area area_of(const struct vb *vb, uint32_t a, uint32_t *end)
{
	if (a - VB_FLASH_BASE < vb->chip.flash_size) {
		*end = VB_FLASH_BASE + vb->chip.flash_size;
		return A_FLASH;
	}
	if (a >= VB_SYSMEM_BASE && a < SYSMEM_END) {
		*end = SYSMEM_END;
		return A_SYSMEM;
	}
	if (a - VB_OPT_BASE < OPT_SIZE) {
		*end = VB_OPT_BASE + OPT_SIZE;
		return A_OPT;
	}
	if (a - VB_SRAM_BASE < vb->chip.ram_size) {
		*end = VB_SRAM_BASE + vb->chip.ram_size;
		return A_RAM;
	}
	return A_NONE;
}

static bool addr_ok(const struct vb *vb, uint8_t cmd, uint32_t a)
{
	uint32_t end;
	enum area ar = area_of(vb, a, &end);

	switch (cmd) {
	case 0x11:
		return ar != A_NONE;
	case 0x21:
		return ar == A_FLASH || ar == A_RAM || ar == A_SYSMEM;
	default: /* 0x31 */
		return ar == A_FLASH || ar == A_OPT ||
		       (ar == A_RAM && a >= BOOT_RAM_END);
	}
}

static uint8_t read_byte(struct vb *vb, uint32_t a)
{
	uint32_t v = 0;

	vb_boot_wait_flash(vb);
	vb_bus_read(vb, VB_CPU, a, 1, &v);
	return (uint8_t)v;
}

/* Commands --------------------------------------------------------------- */

static void reset_after(struct vb *vb)
{
	vb->boot->reset_after = true;
}

static void cmd_start(struct vb *vb, uint8_t c)
{
	struct vb_boot *b = vb->boot;
	bool rdp = vb_flash_rdp(vb);

	b->st = ST_CMD;
	switch (c) {
	case 0x00:
		answer(vb, ACK);
		put(b, sizeof(commands));
		put(b, BOOT_VERSION);
		for (unsigned i = 0; i < sizeof(commands); i++)
			put(b, commands[i]);
		put(b, ACK);
		return;
	case 0x01:
		answer(vb, ACK);
		put(b, BOOT_VERSION);
		put(b, 0x00); /* option bytes 1 and 2: 0 on the F1 */
		put(b, 0x00);
		put(b, ACK);
		return;
	case 0x02:
		answer(vb, ACK);
		put(b, 1);
		put(b, (uint8_t)(vb->chip.dev_id >> 8));
		put(b, (uint8_t)vb->chip.dev_id);
		put(b, ACK);
		return;
	case 0x11:
	case 0x21:
	case 0x31:
		if (rdp)
			break;
		answer(vb, ACK);
		b->st = ST_ADDR;
		b->n = 0;
		return;
	case 0x43:
	case 0x63:
		if (rdp)
			break;
		answer(vb, ACK);
		b->st = ST_ELEN;
		return;
	case 0x73: {
		uint8_t opt[OPT_SIZE];

		answer(vb, ACK);
		vb_boot_options(vb, opt);
		for (unsigned i = 8; i < OPT_SIZE; i += 2)
			opt[i] = 0xFF;
		put(b, vb_boot_write_options(vb, opt) ? NACK : ACK);
		reset_after(vb);
		return;
	}
	case 0x82: {
		uint8_t opt[OPT_SIZE];

		if (rdp)
			break;
		answer(vb, ACK);
		vb_boot_options(vb, opt);
		opt[0] = 0x00;
		put(b, vb_boot_write_options(vb, opt) ? NACK : ACK);
		reset_after(vb);
		return;
	}
	case 0x92: {
		uint8_t opt[OPT_SIZE];

		answer(vb, ACK);
		memset(opt, 0xFF, sizeof(opt));
		opt[0] = 0xA5;
		put(b, vb_boot_write_options(vb, opt) ? NACK : ACK);
		reset_after(vb);
		return;
	}
	default:
		break;
	}
	answer(vb, NACK);
}

static void go(struct vb *vb, uint32_t a)
{
	uint32_t sp = 0, pc = 0;

	vb_boot_wait_flash(vb);
	vb_bus_read(vb, VB_CPU, a, 4, &sp);
	vb_bus_read(vb, VB_CPU, a + 4, 4, &pc);
	vb->boot->running = false;
	vb_cpu_go(vb, sp, pc);
}

static void got_addr(struct vb *vb)
{
	struct vb_boot *b = vb->boot;
	uint8_t x = b->buf[0] ^ b->buf[1] ^ b->buf[2] ^ b->buf[3];

	b->addr = (uint32_t)b->buf[0] << 24 | (uint32_t)b->buf[1] << 16 |
		  (uint32_t)b->buf[2] << 8 | b->buf[3];
	if (x != b->buf[4] || !addr_ok(vb, b->cmd, b->addr)) {
		answer(vb, NACK);
		b->st = ST_CMD;
		return;
	}
	answer(vb, ACK);
	b->n = 0;
	switch (b->cmd) {
	case 0x11:
		b->st = ST_RLEN;
		break;
	case 0x21:
		b->st = ST_CMD;
		go(vb, b->addr);
		break;
	default:
		b->st = ST_WLEN;
		break;
	}
}

static void read_memory(struct vb *vb)
{
	struct vb_boot *b = vb->boot;
	unsigned len = b->buf[0] + 1u;
	uint32_t end = 0;

	b->st = ST_CMD;
	area_of(vb, b->addr, &end);
	if ((b->buf[0] ^ b->buf[1]) != 0xFF || end - b->addr < len) {
		answer(vb, NACK);
		return;
	}
	answer(vb, ACK);
	for (unsigned i = 0; i < len; i++)
		put(b, read_byte(vb, b->addr + i));
}

static void write_memory(struct vb *vb)
{
	struct vb_boot *b = vb->boot;
	unsigned len = b->buf[0] + 1u;
	uint8_t x = 0;
	uint8_t opt[OPT_SIZE];
	uint32_t end;
	int r = 0;

	b->st = ST_CMD;
	for (unsigned i = 0; i <= len; i++)
		x ^= b->buf[i];
	if (x != b->sum || area_of(vb, b->addr, &end) == A_NONE ||
	    end - b->addr < len) {
		answer(vb, NACK);
		return;
	}
	switch (area_of(vb, b->addr, &end)) {
	case A_FLASH:
		r = vb_boot_write_flash(vb, b->addr, b->buf + 1, len);
		break;
	case A_OPT:
		vb_boot_options(vb, opt);
		for (unsigned i = 0; i < len; i++)
			if (!((b->addr - VB_OPT_BASE + i) & 1))
				opt[b->addr - VB_OPT_BASE + i] = b->buf[1 + i];
		r = vb_boot_write_options(vb, opt);
		reset_after(vb);
		break;
	default:
		for (unsigned i = 0; i < len; i++)
			vb_bus_write(vb, VB_CPU, b->addr + i, 1, b->buf[1 + i]);
		break;
	}
	answer(vb, r ? NACK : ACK);
}

/* Erase (0x43) or Write Protect (0x63), list and checksum received. */
static void erase_or_protect(struct vb *vb)
{
	struct vb_boot *b = vb->boot;
	unsigned npages = vb->chip.flash_size / vb->chip.page_size;
	uint8_t x = 0, opt[OPT_SIZE];
	int r = 0;

	b->st = ST_CMD;
	for (unsigned i = 0; i < b->n; i++)
		x ^= b->buf[i];
	if (x != b->sum) {
		answer(vb, NACK);
		return;
	}
	if (b->cmd == 0x63) {
		uint32_t wrp = 0xFFFFFFFFu;

		for (unsigned i = 1; i < b->n; i++)
			wrp &= ~(1u << (b->buf[i] & 31));
		vb_boot_options(vb, opt);
		for (unsigned i = 0; i < 4; i++)
			opt[8 + 2 * i] = (uint8_t)(wrp >> (8 * i));
		answer(vb, vb_boot_write_options(vb, opt) ? NACK : ACK);
		reset_after(vb);
		return;
	}
	for (unsigned i = 1; i < b->n; i++)
		if (b->buf[i] >= npages) {
			answer(vb, NACK);
			return;
		}
	vb_boot_unlock(vb, false);
	if (b->n == 1 && b->buf[0] == 0xFF)
		r = vb_boot_erase(vb, VB_BOOT_CR_MER, 0);
	for (unsigned i = 1; !r && i < b->n; i++)
		r = vb_boot_erase(vb, VB_BOOT_CR_PER,
				  VB_FLASH_BASE +
					  b->buf[i] * vb->chip.page_size);
	vb_boot_lock(vb);
	answer(vb, r ? NACK : ACK);
}

static void byte_in(struct vb *vb, int c)
{
	struct vb_boot *b = vb->boot;

	if (c < 0 && b->st != ST_SYNC) {
		answer(vb, NACK); /* a garbled byte: the command fails */
		b->st = ST_CMD;
		return;
	}
	switch (b->st) {
	case ST_SYNC:
		break;
	case ST_CMD:
		b->cmd = (uint8_t)c;
		b->st = ST_XCMD;
		break;
	case ST_XCMD:
		if ((uint8_t)(b->cmd ^ c) != 0xFF) {
			answer(vb, NACK);
			b->st = ST_CMD;
			break;
		}
		cmd_start(vb, b->cmd);
		break;
	case ST_ADDR:
		b->buf[b->n++] = (uint8_t)c;
		if (b->n == 5)
			got_addr(vb);
		break;
	case ST_RLEN:
		b->buf[b->n++] = (uint8_t)c;
		if (b->n == 2)
			read_memory(vb);
		break;
	case ST_WLEN:
		b->buf[0] = (uint8_t)c;
		b->n = 1;
		b->need = c + 2u; /* N, N+1 data */
		b->st = ST_WDATA;
		break;
	case ST_WDATA:
		b->buf[b->n++] = (uint8_t)c;
		if (b->n == b->need)
			b->st = ST_WSUM;
		break;
	case ST_WSUM:
		b->sum = (uint8_t)c;
		write_memory(vb);
		break;
	case ST_ELEN:
		b->buf[0] = (uint8_t)c;
		b->n = 1;
		/* 0xFF is the global erase: the checksum follows */
		b->need = c == 0xFF && b->cmd == 0x43 ? 1 : c + 2u;
		b->st = b->need == 1 ? ST_ESUM : ST_ELIST;
		break;
	case ST_ELIST:
		b->buf[b->n++] = (uint8_t)c;
		if (b->n == b->need)
			b->st = ST_ESUM;
		break;
	case ST_ESUM:
		/* the global erase's "checksum" is 0x00, not 0xFF */
		b->sum = (uint8_t)(b->need == 1 ? (c ? 0x00 : 0xFF) : c);
		erase_or_protect(vb);
		break;
	}
}

void vb_boot_rx(struct vb *vb, int byte, uint32_t baud)
{
	struct vb_boot *b = vb->boot;

	if (!vb_boot_active(vb) || b->mute)
		return;
	if (b->st == ST_SYNC) {
		if (byte != 0x7F)
			return;
		b->baud = baud; /* autobaud: measured on the 0x7F */
		answer(vb, ACK);
		b->st = ST_CMD;
		return;
	}
	byte_in(vb, byte);
}
