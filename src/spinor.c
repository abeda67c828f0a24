// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SPI NOR flash: the wire commands, busy polling, probe, status and
 * protection. Erase, program, read and verify are in spinor_io.c, the
 * planned write in spinor_write.c, SFDP in spinor_sfdp.c, the chips in
 * spinor_chips.c.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ub/err.h"
#include "spinor_priv.h"

/* SST26 (DS20005262): configuration register bit 7 WPEN: with WP# low the
 * block-protection register cannot be changed. */
#define SST26_WPEN 0x80

int ub_nor_cmd(struct ub_nor *n, const uint8_t *tx, size_t ntx, uint8_t *rx,
	       size_t nrx)
{
	return ub_spi_xfer(n->bus, tx, ntx, rx, nrx);
}

int ub_nor_op(struct ub_nor *n, uint8_t op)
{
	return ub_nor_cmd(n, &op, 1, NULL, 0);
}

int ub_nor_op_addr(struct ub_nor *n, uint8_t op, uint32_t addr,
		   const uint8_t *data, size_t len)
{
	uint8_t tx[4 + 256 + 4];

	if (len > sizeof(tx) - 4)
		return ub_fail(UB_EINVAL, "SPI command of %zu bytes", len);
	tx[0] = op;
	tx[1] = (uint8_t)(addr >> 16);
	tx[2] = (uint8_t)(addr >> 8);
	tx[3] = (uint8_t)addr;
	if (len)
		memcpy(tx + 4, data, len);
	return ub_nor_cmd(n, tx, 4 + len, NULL, 0);
}

int ub_nor_rdsr(struct ub_nor *n, uint8_t op, uint8_t *sr)
{
	return ub_nor_cmd(n, &op, 1, sr, 1);
}

/* How long one status poll takes on the wire at least: 16 bits. */
static uint64_t poll_us(const struct ub_nor *n)
{
	uint32_t hz = n->bus->hz ? n->bus->hz : 1000000;
	uint64_t us = (16ull * 1000000 + hz - 1) / hz;

	return us ? us : 1;
}

static void nap(uint64_t us)
{
	struct timespec ts = {
		.tv_sec = (time_t)(us / 1000000),
		.tv_nsec = (long)(us % 1000000) * 1000,
	};

	nanosleep(&ts, NULL);
}

int ub_nor_wait(struct ub_nor *n, uint64_t max_us, bool sleep, const char *what)
{
	uint64_t limit = 2 * max_us, slept = 0, per = poll_us(n);
	uint64_t nap_us = max_us / 1000 < 1000 ? 1000 : max_us / 1000;
	uint8_t sr = 0xFF;

	for (unsigned polls = 1;; polls++) {
		int err = ub_nor_rdsr(n, NOR_RDSR, &sr);
		uint64_t us = sleep ? nap_us : per;

		if (err)
			return err;
		if (!(sr & NOR_SR_WIP))
			return 0;
		if (slept >= limit && polls >= 3)
			break;
		/* Erases nap between polls. A page or an AAI word is polled
		 * back to back at first (done within a few polls), then with
		 * a nap of one poll's wire time so that a fast bus does not
		 * spin. Only naps count towards the limit: what passes on the
		 * wire may not pass on every clock (a bus that busy-waits). */
		if (!sleep && polls < NOR_SPIN_POLLS)
			continue;
		nap(us);
		slept += us;
	}
	if (sr == 0xFF)
		return ub_fail(UB_ETIMEOUT,
			       "the SPI flash stayed busy for %llu ms after "
			       "%s: its status reads 0xFF, as when MISO is "
			       "not connected or HOLD# is low; check those "
			       "wires and the chip's power",
			       (unsigned long long)(slept / 1000), what);
	return ub_fail(UB_ETIMEOUT,
		       "the SPI flash stayed busy for %llu ms after %s "
		       "(status 0x%02X; the data sheet allows %llu ms): the "
		       "chip may be worn out or its supply too weak; "
		       "power-cycle it and try again",
		       (unsigned long long)(slept / 1000), what, sr,
		       (unsigned long long)((max_us + 999) / 1000));
}

static bool id_blank(const uint8_t id[3], uint8_t v)
{
	return id[0] == v && id[1] == v && id[2] == v;
}

int ub_nor_probe(struct ub_nor *n, struct ub_spi_bus *bus)
{
	struct ub_progress *progress = n->progress;
	const struct ub_nor_chip *row;
	uint8_t op = NOR_RDID, id[3];
	int err;

	memset(n, 0, sizeof(*n));
	n->bus = bus;
	n->progress = progress;
	err = ub_nor_cmd(n, &op, 1, id, 3);
	if (err)
		return err;
	n->jedec = (uint32_t)id[0] << 16 | (uint32_t)id[1] << 8 | id[2];
	if (id_blank(id, 0xFF) || id_blank(id, 0x00))
		return ub_fail(UB_ENOTARGET,
			       "no chip answers on %s: JEDEC ID reads %02X "
			       "%02X %02X - no chip, no power, wrong CS#, or "
			       "MISO not connected%s",
			       bus->name, id[0], id[1], id[2],
			       id[0] ? "" : " (or held low)");
	row = ub_nor_chip_by_id(n->jedec);
	if (row) {
		n->chip = *row;
	} else {
		err = ub_nor_sfdp(n, &n->chip);
		if (err == UB_EUNSUPPORTED)
			return ub_fail(UB_EUNSUPPORTED,
				       "the SPI flash on %s has JEDEC ID "
				       "%06X, which is not in the chip table, "
				       "and it has no SFDP table to describe "
				       "it: its data sheet can make a row of "
				       "src/spinor_chips.c",
				       bus->name, n->jedec);
		if (err)
			return err;
		n->chip.jedec = n->jedec;
		n->from_sfdp = true;
	}
	return ub_nor_read_status(n);
}

static unsigned bit_index(uint8_t mask)
{
	unsigned i = 0;

	while (mask && !(mask & 1)) {
		mask >>= 1;
		i++;
	}
	return i;
}

/* "BP0-2", "BP0, BP2" (bit 2 is BP0). */
static void bp_names(uint8_t bits, uint8_t mask, char *buf, size_t len)
{
	unsigned base = bit_index(mask), first = 8, last = 0, n = 0;
	size_t o = 0;

	buf[0] = 0;
	for (unsigned b = 0; b < 8; b++)
		if (bits >> b & 1) {
			first = first > b ? b : first;
			last = b;
			n++;
		}
	if (!n)
		return;
	if (n > 1 && last - first + 1 == n) {
		snprintf(buf, len, "BP%u-%u", first - base, last - base);
		return;
	}
	for (unsigned b = first; b <= last && o < len; b++)
		if (bits >> b & 1)
			o += (size_t)snprintf(buf + o, len - o, "%sBP%u",
					      o ? ", " : "", b - base);
}

static void size_str(uint32_t v, char *buf, size_t len)
{
	if (v >= 1024 * 1024 && !(v % (1024 * 1024)))
		snprintf(buf, len, "%u MB", v >> 20);
	else if (v >= 1024 && !(v % 1024))
		snprintf(buf, len, "%u KB", v >> 10);
	else
		snprintf(buf, len, "%u B", v);
}

void ub_nor_describe(const struct ub_nor *n, char *buf, size_t len)
{
	const struct ub_nor_chip *c = &n->chip;
	char sz[16], es[64] = "", prot[64];
	size_t o = 0;

	size_str(c->size, sz, sizeof(sz));
	for (int i = 0; i < UB_NOR_MAX_ERASE && c->erase[i].size; i++) {
		char one[16];

		size_str(c->erase[i].size, one, sizeof(one));
		o += (size_t)snprintf(es + o, sizeof(es) - o, "%s%s",
				      i ? "/" : "", one);
		if (o >= sizeof(es))
			break;
	}
	if (c->unlock == UB_NOR_UNLOCK_ULBPR)
		snprintf(prot, sizeof(prot), "%s",
			 n->protected_ ? "protected: blocks locked (BPR)"
				       : "not protected");
	else if (n->protected_ && (n->status & c->bp_mask)) {
		char bp[32];

		bp_names(n->status & c->bp_mask, c->bp_mask, bp, sizeof(bp));
		snprintf(prot, sizeof(prot), "protected: %s set", bp);
	} else
		snprintf(prot, sizeof(prot), "%s",
			 n->protected_ ? "protected: CMP set"
				       : "not protected");
	snprintf(buf, len, "%s (%06X)%s, %s, %s erase; %s%s",
		 n->from_sfdp ? "unknown chip" : c->name, n->jedec,
		 n->from_sfdp ? " described by SFDP" : "", sz, es, prot,
		 n->wp_locked ? "; status register locked while WP# is low"
			      : "");
}

/* SST26: any block write- or read-locked in the block-protection register
 * (one bit per 64 KB block, two per 8 KB parameter block: size/64K + 16
 * bits). */
static int sst26_status(struct ub_nor *n)
{
	uint8_t op = NOR_RDBPR, bpr[32], cr;
	size_t nb = ((n->chip.size >> 16) + 16 + 7) / 8;
	int err;

	if (nb > sizeof(bpr))
		nb = sizeof(bpr);
	err = ub_nor_cmd(n, &op, 1, bpr, nb);
	if (!err)
		err = ub_nor_rdsr(n, NOR_RDSR2, &cr);
	if (err)
		return err;
	n->protected_ = false;
	for (size_t i = 0; i < nb; i++)
		n->protected_ |= bpr[i] != 0;
	n->wp_locked = cr & SST26_WPEN;
	return 0;
}

int ub_nor_read_status(struct ub_nor *n)
{
	const struct ub_nor_chip *c = &n->chip;
	uint8_t sr2 = 0;
	int err = ub_nor_rdsr(n, NOR_RDSR, &n->status);

	if (err)
		return err;
	if (c->unlock == UB_NOR_UNLOCK_ULBPR)
		return sst26_status(n);
	if (c->sr2_cmp) {
		err = ub_nor_rdsr(n, NOR_RDSR2, &sr2);
		if (err)
			return err;
	}
	n->protected_ = (n->status & c->bp_mask) || (sr2 & c->sr2_cmp);
	n->wp_locked = c->srwd && (n->status & c->srwd);
	return 0;
}

/* WRSR with sr1 (and sr2 where the chip has CMP), the chip's way. */
static int write_status(struct ub_nor *n, uint8_t sr1, bool clear_cmp)
{
	const struct ub_nor_chip *c = &n->chip;
	uint8_t tx[3] = {NOR_WRSR, sr1, 0};
	size_t ntx = 2;
	int err;

	if (c->sr2_cmp) {
		err = ub_nor_rdsr(n, NOR_RDSR2, &tx[2]);
		if (err)
			return err;
		if (clear_cmp)
			tx[2] &= (uint8_t)~c->sr2_cmp;
		ntx = 3;
	}
	err = ub_nor_op(n,
			c->unlock == UB_NOR_UNLOCK_EWSR ? NOR_EWSR : NOR_WREN);
	if (!err)
		err = ub_nor_cmd(n, tx, ntx, NULL, 0);
	if (!err)
		err = ub_nor_wait(n, NOR_SR_WRITE_MS * 1000ull, true,
				  "writing the status register");
	return err;
}

int ub_nor_unprotect(struct ub_nor *n)
{
	const struct ub_nor_chip *c = &n->chip;
	uint8_t before;
	int err = ub_nor_read_status(n);

	if (err || !n->protected_)
		return err;
	before = n->status;
	if (c->unlock == UB_NOR_UNLOCK_ULBPR) {
		err = ub_nor_op(n, NOR_WREN);
		if (!err)
			err = ub_nor_op(n, NOR_ULBPR);
		if (!err)
			err = ub_nor_wait(n, NOR_SR_WRITE_MS * 1000ull, true,
					  "the global block unlock (ULBPR)");
	} else {
		err = write_status(
			n, before & (uint8_t) ~(c->bp_mask | c->srwd | 0x03),
			true);
	}
	if (!err)
		err = ub_nor_read_status(n);
	if (err || !n->protected_)
		return err;
	if (n->wp_locked)
		return ub_fail(UB_EPROTECTED,
			       "the %s's WP# pin is held low, so its %s "
			       "cannot be written (%s is set): its blocks "
			       "stay write-protected. Tie WP# high (to VCC) "
			       "and try again",
			       c->name,
			       c->unlock == UB_NOR_UNLOCK_ULBPR
				       ? "block-protection register"
				       : "status register",
			       c->unlock == UB_NOR_UNLOCK_ULBPR	 ? "WPEN"
			       : c->unlock == UB_NOR_UNLOCK_EWSR ? "BPL"
								 : "SRWD");
	if (c->unlock == UB_NOR_UNLOCK_ULBPR)
		return ub_fail(UB_EPROTECTED,
			       "the %s ignored the global unlock (ULBPR): "
			       "some blocks stay locked, as after a "
			       "permanent lock-down (LBPR); such a chip "
			       "cannot be unlocked, only replaced",
			       c->name);
	return ub_fail(UB_EPROTECTED,
		       "the %s's status register ignored the write that "
		       "clears its block protection (status 0x%02X before "
		       "and after, no SRWD): the chip may not be the one "
		       "its JEDEC ID names, or its protection is locked "
		       "until the next power cycle; power-cycle it and try "
		       "again",
		       c->name, before);
}

/* SST26 (DS20005262, block-protection register): every write-lock bit
 * set, no read lock (the 8 KB blocks' bits alternate read/write lock). */
static int sst26_protect(struct ub_nor *n)
{
	size_t nb = ((n->chip.size >> 16) + 16 + 7) / 8;
	uint8_t tx[1 + 32] = {NOR_WBPR};
	int err;

	if (nb > sizeof(tx) - 1)
		nb = sizeof(tx) - 1;
	memset(tx + 1, 0xFF, nb);
	tx[1] = tx[2] = 0x55;
	err = ub_nor_op(n, NOR_WREN);
	if (!err)
		err = ub_nor_cmd(n, tx, 1 + nb, NULL, 0);
	if (!err)
		err = ub_nor_wait(n, NOR_SR_WRITE_MS * 1000ull, true,
				  "writing the block-protection register");
	return err;
}

int ub_nor_protect(struct ub_nor *n)
{
	const struct ub_nor_chip *c = &n->chip;
	int err = ub_nor_read_status(n);

	if (err)
		return err;
	if (c->unlock == UB_NOR_UNLOCK_ULBPR)
		err = sst26_protect(n);
	else
		err = write_status(n, (n->status & (uint8_t)~0x03) | c->bp_mask,
				   false);
	if (!err)
		err = ub_nor_read_status(n);
	if (!err && !n->protected_)
		return ub_fail(UB_EPROTECTED,
			       "the %s ignored the write that sets its block "
			       "protection: WP# may be low with %s set; tie "
			       "WP# high and try again",
			       c->name,
			       c->unlock == UB_NOR_UNLOCK_ULBPR ? "WPEN"
								: "SRWD");
	return err;
}
