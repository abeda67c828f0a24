// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The AN3155 commands that change the chip: Write Memory, Erase and
 * Extended Erase, and the option-byte commands that reset it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an3155_priv.h"
#include "ub/err.h"
#include "ub/log.h"

#define FRAME	    256
#define ERASE_CHUNK 32 /* pages an Erase command takes at a time */

enum stage { AT_CMD, AT_ADDR, AT_DATA };

static bool in_ram(uint32_t addr)
{
	return addr >= 0x20000000u && addr < 0x40000000u;
}

static void note_try(struct ub_an3155 *bl)
{
	if (bl->nwhy < UB_BL_WHY_MAX)
		bl->whys[bl->nwhy++] = bl->why;
}

/* One Write Memory: command, address, then N-1, the data, the checksum. */
static int send_frame(struct ub_an3155 *bl, uint32_t addr, const uint8_t *d,
		      size_t len, enum stage *at)
{
	uint8_t buf[FRAME + 2];
	unsigned us = ub_serial_byte_us(bl->ser);
	int err;

	*at = AT_CMD;
	err = ub_bl_cmd(bl, UB_BL_WRITE);
	if (err)
		return err;
	*at = AT_ADDR;
	err = ub_bl_addr(bl, addr);
	if (err)
		return err;
	*at = AT_DATA;
	buf[0] = (uint8_t)(len - 1);
	buf[len + 1] = buf[0];
	for (size_t i = 0; i < len; i++) {
		buf[1 + i] = d[i];
		buf[len + 1] ^= d[i];
	}
	err = ub_bl_send(bl, buf, len + 2);
	/* the bytes' time, then programming: 70 us a halfword at most */
	return err ? err
		   : ub_bl_ack(bl, bl->reply_ms +
					   (unsigned)((len + 2) * us / 1000) +
					   (unsigned)(len / 2 * 70 / 1000));
}

/*
 * After the data went out and no ACK came: what is in the chip now? 1 when
 * the frame is there, 0 when [*off, len) should be written (again), or an
 * error when flash holds a frame half-written.
 */
static int written(struct ub_an3155 *bl, uint32_t addr, const uint8_t *d,
		   size_t len, size_t *off)
{
	enum ub_bl_why whys[UB_BL_WHY_MAX];
	unsigned nwhy = bl->nwhy;
	uint8_t back[FRAME];
	size_t k = *off;
	int err;

	memcpy(whys, bl->whys, sizeof(whys));
	err = ub_bl_resync(bl);
	if (!err)
		err = ub_an3155_read(bl, addr + (uint32_t)k, back + k, len - k);
	memcpy(bl->whys, whys, sizeof(whys));
	bl->nwhy = nwhy;
	if (err)
		return err;
	while (k < len && back[k] == d[k])
		k++;
	if (k == len)
		return 1;
	if (in_ram(addr))
		return 0;
	k &= ~(size_t)3;
	for (size_t i = k; i < len; i++)
		if (back[i] != 0xFF)
			return ub_fail(UB_EPROTO,
				       "Write Memory at 0x%08X failed: "
				       "0x%08X holds 0x%02X, neither the data "
				       "(0x%02X) nor erased flash (not erased "
				       "first, or a write cut short); the page "
				       "must be erased and written again",
				       addr, addr + (uint32_t)i, back[i], d[i]);
	*off = k;
	return 0;
}

static int write_frame(struct ub_an3155 *bl, uint32_t addr, const uint8_t *d,
		       size_t len)
{
	bool refused = true, bad_addr = true;
	enum stage at = AT_CMD;
	size_t off = 0;
	char what[48];
	int err = 0;

	bl->nwhy = 0;
	for (unsigned i = 0; i < bl->tries; i++) {
		if (i) {
			bl->st.retries++;
			if (at != AT_DATA && (err = ub_bl_resync(bl)))
				return err;
		}
		err = send_frame(bl, addr + (uint32_t)off, d + off, len - off,
				 &at);
		if (!ub_bl_transient(err))
			return err;
		note_try(bl);
		refused &= at == AT_CMD && bl->why == UB_BL_WHY_NACK;
		bad_addr &= at == AT_ADDR && bl->why == UB_BL_WHY_NACK;
		ub_info("bootloader: Write Memory at 0x%08X: %s", addr,
			at == AT_DATA ? "no ACK after the data, reading it back"
				      : "refused before the data, again");
		if (at != AT_DATA)
			continue;
		err = written(bl, addr, d, len, &off);
		if (err)
			return err < 0 ? err : 0;
	}
	if (refused && ub_bl_protected(bl))
		return ub_fail(UB_EPROTECTED,
			       "the bootloader refuses Write Memory: readout "
			       "protection is on ('unbrick unprotect read' "
			       "removes it and erases the flash)");
	if (bad_addr)
		return ub_fail(UB_ERANGE,
			       "the bootloader refuses to write at 0x%08X: not "
			       "flash or RAM it writes (its own RAM is below "
			       "0x20000200 on the F1)",
			       addr);
	snprintf(what, sizeof(what), "Write Memory at 0x%08X", addr);
	return ub_bl_gave_up(bl, what);
}

int ub_an3155_write(struct ub_an3155 *bl, uint32_t addr, const void *buf,
		    size_t len)
{
	const uint8_t *p = buf;
	int err = 0;

	if ((addr | len) & 3)
		return ub_fail(UB_EINVAL,
			       "Write Memory at 0x%08X+%zu: not word-aligned",
			       addr, len);
	for (size_t done = 0; !err && done < len; done += FRAME)
		err = write_frame(bl, addr + (uint32_t)done, p + done,
				  len - done < FRAME ? len - done : FRAME);
	return err;
}

struct erase {
	const uint16_t *pages;
	unsigned n;
	bool ext;
	unsigned special; /* UB_BL_ERASE_*, or 0 */
	bool refused, after_list;
};

static int do_erase(struct ub_an3155 *bl, void *arg)
{
	struct erase *e = arg;
	uint8_t buf[2 * ERASE_CHUNK + 3];
	size_t n = 0;
	unsigned ms = bl->ack_ms + e->n * bl->page_ms;
	int err = ub_bl_cmd(bl, e->ext ? UB_BL_EXT_ERASE : UB_BL_ERASE);

	e->after_list = false;
	if (err && bl->why != UB_BL_WHY_NACK)
		e->refused = false;
	if (err)
		return err;
	e->refused = false;
	if (e->special && e->ext) {
		buf[n++] = (uint8_t)(e->special >> 8);
		buf[n++] = (uint8_t)e->special;
		ms = bl->mass_ms;
	} else if (e->special) {
		buf[n++] = 0xFF;
		ms = bl->mass_ms;
	} else if (e->ext) {
		buf[n++] = (uint8_t)((e->n - 1) >> 8);
		buf[n++] = (uint8_t)(e->n - 1);
		for (unsigned i = 0; i < e->n; i++) {
			buf[n++] = (uint8_t)(e->pages[i] >> 8);
			buf[n++] = (uint8_t)e->pages[i];
		}
	} else {
		buf[n++] = (uint8_t)(e->n - 1);
		for (unsigned i = 0; i < e->n; i++)
			buf[n++] = (uint8_t)e->pages[i];
	}
	buf[n] = (e->special && !e->ext) ? 0x00 : 0;
	for (size_t i = 0; i < n && !(e->special && !e->ext); i++)
		buf[n] ^= buf[i];
	n++;
	err = ub_bl_send(bl, buf, n);
	e->after_list = true;
	return err ? err : ub_bl_ack(bl, ms);
}

static int erase_run(struct ub_an3155 *bl, struct erase *e, const char *what)
{
	int err;

	e->refused = true;
	err = ub_bl_retry(bl, what, do_erase, e);
	if (err == UB_EPROTO && e->refused && ub_bl_protected(bl))
		return ub_fail(UB_EPROTECTED,
			       "the bootloader refuses Erase: readout "
			       "protection is on ('unbrick unprotect read')");
	if (err == UB_EPROTO && e->after_list && bl->why == UB_BL_WHY_NACK)
		return ub_fail(UB_EPROTECTED,
			       "the bootloader refuses to erase %s: "
			       "write-protected? ('unbrick unprotect')",
			       what + 6);
	return err;
}

int ub_an3155_erase(struct ub_an3155 *bl, const uint16_t *pages, unsigned n)
{
	bool ext = ub_an3155_has(bl, UB_BL_EXT_ERASE);
	char what[48];
	int err = 0;

	if (!ext && !ub_an3155_has(bl, UB_BL_ERASE))
		return ub_fail(UB_EUNSUPPORTED,
			       "this bootloader has no Erase command");
	for (unsigned i = 0; i < n; i++)
		if (!ext && pages[i] > 0xFF)
			return ub_fail(UB_EUNSUPPORTED,
				       "page %u cannot be erased with the "
				       "bootloader's Erase command (pages "
				       "0-255 only) and it has no Extended "
				       "Erase",
				       pages[i]);
	for (unsigned i = 0; !err && i < n; i += ERASE_CHUNK) {
		struct erase e = {
			.pages = pages + i,
			.n = n - i < ERASE_CHUNK ? n - i : ERASE_CHUNK,
			.ext = ext,
		};

		snprintf(what, sizeof(what), "Erase pages %u-%u", pages[i],
			 pages[i + e.n - 1]);
		err = erase_run(bl, &e, what);
	}
	return err;
}

int ub_an3155_erase_special(struct ub_an3155 *bl, enum ub_an3155_erase what)
{
	struct erase e = {.special = what};

	e.ext = ub_an3155_has(bl, UB_BL_EXT_ERASE);
	if (!e.ext && what != UB_BL_ERASE_ALL)
		return ub_fail(UB_EUNSUPPORTED,
			       "erasing one bank needs Extended Erase, which "
			       "this bootloader does not have");
	if (!e.ext && !ub_an3155_has(bl, UB_BL_ERASE))
		return ub_fail(UB_EUNSUPPORTED,
			       "this bootloader has no Erase command");
	return erase_run(bl, &e,
			 what == UB_BL_ERASE_ALL ? "Erase all the flash"
						 : "Erase a bank");
}

/*
 * An option-byte command: the command, its argument (Write Protect's
 * sector list), a second ACK when done (after a mass erase for Readout
 * Unprotect), then the chip resets and the bootloader is synced again.
 * Refused before it started, it is tried again; once the argument went
 * out, it is not: the caller reads the option bytes to see what happened.
 */
static int option_cmd(struct ub_an3155 *bl, uint8_t cmd, const char *name,
		      const uint8_t *arg, size_t n, unsigned done_ms)
{
	bool refused = true;
	int err = 0;

	bl->nwhy = 0;
	for (unsigned i = 0; i < bl->tries; i++) {
		if (i) {
			bl->st.retries++;
			if ((err = ub_bl_resync(bl)))
				return err;
		}
		err = ub_bl_cmd(bl, cmd);
		if (!err)
			break;
		if (!ub_bl_transient(err))
			return err;
		note_try(bl);
		refused &= bl->why == UB_BL_WHY_NACK;
	}
	if (err && refused && ub_bl_protected(bl))
		return ub_fail(UB_EPROTECTED,
			       "the bootloader refuses %s: readout protection "
			       "is on%s",
			       name,
			       cmd == UB_BL_READOUT_PROTECT ? " already"
			       : cmd == UB_BL_READOUT_UNPROTECT
				       ? "? (it should take this one)"
				       : " ('unbrick unprotect read' first)");
	if (err)
		return ub_bl_gave_up(bl, name);
	err = n ? ub_bl_send(bl, arg, n) : 0;
	if (!err)
		err = ub_bl_ack(bl, done_ms);
	if (err == UB_EPROTO && bl->why == UB_BL_WHY_NACK)
		return ub_fail(UB_EPROTO, "the bootloader refused %s%s", name,
			       n ? " (the sector list)" : "");
	if (err && !ub_bl_transient(err))
		return err;
	if (err)
		ub_info("bootloader: %s: no final ACK; syncing again to see",
			name);
	return ub_bl_resync_after_reset(bl);
}

int ub_an3155_write_protect(struct ub_an3155 *bl, const uint8_t *sectors,
			    unsigned n)
{
	uint8_t buf[258];

	if (!n || n > 256)
		return ub_fail(UB_EINVAL, "Write Protect takes 1-256 sectors");
	buf[0] = (uint8_t)(n - 1);
	buf[n + 1] = buf[0];
	for (unsigned i = 0; i < n; i++) {
		buf[1 + i] = sectors[i];
		buf[n + 1] ^= sectors[i];
	}
	return option_cmd(bl, UB_BL_WRITE_PROTECT, "Write Protect", buf, n + 2,
			  bl->ack_ms * 2);
}

int ub_an3155_write_unprotect(struct ub_an3155 *bl)
{
	return option_cmd(bl, UB_BL_WRITE_UNPROTECT, "Write Unprotect", NULL, 0,
			  bl->ack_ms * 2);
}

int ub_an3155_readout_protect(struct ub_an3155 *bl)
{
	return option_cmd(bl, UB_BL_READOUT_PROTECT, "Readout Protect", NULL, 0,
			  bl->ack_ms * 2);
}

int ub_an3155_readout_unprotect(struct ub_an3155 *bl)
{
	return option_cmd(bl, UB_BL_READOUT_UNPROTECT, "Readout Unprotect",
			  NULL, 0, bl->mass_ms);
}
