// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SPI NOR flash chips at the pin: CS#, SCK, SI and SO, modes 0 and 3
 * (sampled on the rising edge, shifted out on the falling one). Three
 * parts, each with its JEDEC ID, status register, write-enable latch and
 * busy times (typical values of their datasheets) on the virtual clock:
 *
 *   SST25VF016B  2 MB, BF 25 41. Block protection set at power-up (BP2-0),
 *                EWSR 0x50 or WREN before WRSR 0x01 (BPL too; WP# is high),
 *                byte program 0x02 (one byte), AAI word program 0xAD (A0
 *                ignored, two bytes a command, RDSR allowed, WRDI 0x04 ends
 *                it; nothing else is accepted meanwhile), EBSY 0x70 / DBSY
 *                0x80 (hardware end-of-write: in AAI mode, SO shows
 *                RY/BY# the whole time CE# is low, 0 busy, 1 ready, and
 *                the status register cannot be read), erase 4 KB 0x20,
 *                32 KB 0x52, 64 KB 0xD8, chip 0x60/0xC7; READ-ID 0x90/0xAB.
 *                tBP 10 us, tSE = tBE 25 ms, tSCE 50 ms.
 *   M25PE16      2 MB, 20 80 15. Page program 0x02 (AND), page write 0x0A
 *                (the bytes sent replace theirs), page erase 0xDB, subsector
 *                0x20, sector 0xD8, bulk 0xC7, WRSR with BP2-0.
 *                tPP 0.8 ms, tPW 11 ms, tPE 10 ms, tSSE 50 ms, tSE 1 s,
 *                tBE 17 s, tW 5 ms.
 *   W25Q64       8 MB, EF 40 17. Status registers 1 (0x05) and 2 (0x35),
 *                WRSR 0x01 with one or two bytes (WREN, or 0x50 for a
 *                volatile write), BP/TB/SEC/CMP protection, page program
 *                0x02, erase 0x20/0x52/0xD8/0x60/0xC7, SFDP 0x5A, unique
 *                ID 0x4B, 0x90 and 0xAB IDs. tPP 0.7 ms, tSE 45 ms, tBE1
 *                120 ms, tBE2 150 ms, tCE 20 s, tW 10 ms.
 *
 * All: READ 0x03, FAST READ 0x0B, RDID 0x9F, WREN 0x06, WRDI 0x04, deep
 * power-down 0xB9 and release 0xAB. While busy only RDSR is answered;
 * commands that write need WEL, end on a byte boundary, and leave
 * protected areas alone.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vb.h"

#define US VB_PS_PER_US
#define MS VB_PS_PER_MS

struct part {
	const char *name;
	uint8_t id[3];
	uint32_t size;
	uint8_t sr_init, sr_mask; /* power-up SR1; what WRSR writes */
	uint64_t t_byte, t_pp, t_pw, t_pe, t_4k, t_32k, t_64k, t_chip, t_w;
};

static const struct part parts[] = {
	[VB_NOR_SST25VF016B] = {"sst25vf016b",
				{0xBF, 0x25, 0x41},
				2u << 20,
				0x1C,
				0xBC,
				10 * US,
				0,
				0,
				0,
				25 * MS,
				25 * MS,
				25 * MS,
				50 * MS,
				0},
	[VB_NOR_M25PE16] = {"m25pe16",
			    {0x20, 0x80, 0x15},
			    2u << 20,
			    0x00,
			    0x9C,
			    0,
			    800 * US,
			    11 * MS,
			    10 * MS,
			    50 * MS,
			    0,
			    1000 * MS,
			    17000 * MS,
			    5 * MS},
	[VB_NOR_W25Q64] = {"w25q64",
			   {0xEF, 0x40, 0x17},
			   8u << 20,
			   0x00,
			   0xFC,
			   0,
			   700 * US,
			   0,
			   0,
			   45 * MS,
			   120 * MS,
			   150 * MS,
			   20000 * MS,
			   10 * MS},
};

struct vb_nor {
	enum vb_nor_part part;
	const struct part *p;
	struct vb_stats *st;
	uint8_t *mem;
	uint8_t sr1, sr2;
	bool wel, ewsr, vsr, aai, deep, ebsy, no_ebsy;
	uint32_t aai_addr;
	uint64_t busy_until;
	/* the command under way */
	bool sel, ok;
	unsigned n; /* bytes so far */
	uint8_t op, data[2];
	uint32_t addr;
	uint8_t page[256];
	uint8_t written[32]; /* page offsets sent */
	unsigned ndata;
	uint8_t next; /* what goes out during the next byte */
	bool drive;
	/* bit level */
	uint8_t in, out;
	unsigned bits;
	bool sck, out_drive;
};

/* W25Q64FV's SFDP: header, one parameter header, the basic table at 0x80 */
static const uint8_t sfdp_head[16] = {0x53, 0x46, 0x44, 0x50, 0x00, 0x01,
				      0x00, 0xFF, 0x00, 0x00, 0x01, 0x09,
				      0x80, 0x00, 0x00, 0xFF};
static const uint8_t sfdp_bfpt[36] = {
	0xE5, 0x20, 0xF1, 0xFF, 0xFF, 0xFF, 0xFF, 0x03, 0x44, 0xEB, 0x08, 0x6B,
	0x08, 0x3B, 0x42, 0xBB, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0xFF,
	0xFF, 0xFF, 0x00, 0xFF, 0x0C, 0x20, 0x0F, 0x52, 0x10, 0xD8, 0x00, 0xFF};
static const uint8_t w25_uid[8] = {0xD1, 0x63, 0x38, 0x4C,
				   0x27, 0x1A, 0x2B, 0x14};

const char *vb_nor_name(enum vb_nor_part part)
{
	return part > VB_NOR_NONE && part <= VB_NOR_W25Q64 ? parts[part].name
							   : "none";
}

int vb_nor_parse(const char *name)
{
	if (!strcasecmp(name, "none"))
		return VB_NOR_NONE;
	for (int i = VB_NOR_SST25VF016B; i <= VB_NOR_W25Q64; i++)
		if (!strcasecmp(name, parts[i].name))
			return i;
	return -1;
}

struct vb_nor *vb_nor_new(enum vb_nor_part part, struct vb_stats *st)
{
	struct vb_nor *c;

	if (part <= VB_NOR_NONE || part > VB_NOR_W25Q64)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->part = part;
	c->p = &parts[part];
	c->st = st;
	c->mem = malloc(c->p->size);
	if (!c->mem) {
		free(c);
		return NULL;
	}
	memset(c->mem, 0xFF, c->p->size);
	c->sr1 = c->p->sr_init;
	return c;
}

void vb_nor_free(struct vb_nor *nor)
{
	if (!nor)
		return;
	free(nor->mem);
	free(nor);
}

uint8_t *vb_nor_mem(struct vb_nor *nor, size_t *size)
{
	*size = nor->p->size;
	return nor->mem;
}

static bool busy(const struct vb_nor *c, uint64_t t)
{
	return t < c->busy_until;
}

uint8_t vb_nor_status(const struct vb_nor *c, uint64_t t)
{
	uint8_t sr = c->sr1 & ~3u;

	sr |= (c->wel ? 2 : 0) | (busy(c, t) ? 1 : 0);
	if (c->part == VB_NOR_SST25VF016B)
		sr = (sr & ~0x40u) | (c->aai ? 0x40 : 0);
	return sr;
}

/* The protected part of the array: [lo, hi). */
static void protected_range(const struct vb_nor *c, uint32_t *lo, uint32_t *hi)
{
	uint32_t size = c->p->size, bp = c->sr1 >> 2 & 7, len;
	bool tb = false, cmp = false;

	if (c->part != VB_NOR_W25Q64) { /* upper 1/32 ... all */
		len = bp == 0 ? 0 : bp >= 6 ? size : size >> (6 - bp);
	} else if (c->sr1 & 0x40) { /* SEC: 4-32 KB sectors */
		len = bp == 0 ? 0 : bp == 7 ? size : 2048u << (bp > 4 ? 4 : bp);
		tb = c->sr1 & 0x20;
	} else { /* upper or lower 1/64 ... all */
		len = bp == 0 ? 0 : bp == 7 ? size : size >> (7 - bp);
		tb = c->sr1 & 0x20;
	}
	if (c->part == VB_NOR_W25Q64)
		cmp = c->sr2 & 0x40;
	*lo = tb ? 0 : size - len;
	*hi = tb ? len : size;
	if (cmp) { /* the complement */
		*lo = tb ? len : 0;
		*hi = tb ? size : size - len;
	}
}

static bool is_protected(const struct vb_nor *c, uint32_t addr, uint32_t len)
{
	uint32_t lo, hi;

	protected_range(c, &lo, &hi);
	return lo < hi && addr < hi && addr + len > lo;
}

static void start_busy(struct vb_nor *c, uint64_t t, uint64_t dur)
{
	c->busy_until = t + dur;
	c->st->spi_busy_ps += dur;
}

static void erase(struct vb_nor *c, uint32_t len, uint64_t dur, uint64_t t)
{
	uint32_t a = len >= c->p->size ? 0 : c->addr & ~(len - 1);

	if (len >= c->p->size)
		len = c->p->size;
	c->wel = false;
	if (is_protected(c, a, len))
		return;
	memset(c->mem + a, 0xFF, len);
	c->st->spi_erases++;
	start_busy(c, t, dur);
}

static void program_page(struct vb_nor *c, bool replace, uint64_t dur,
			 uint64_t t)
{
	uint32_t base = c->addr & ~0xFFu;

	c->wel = false;
	if (c->n < 5 || is_protected(c, base, 256))
		return;
	for (unsigned o = 0; o < 256; o++)
		if (c->written[o / 8] >> (o % 8) & 1)
			c->mem[base + o] =
				replace ? c->page[o]
					: c->mem[base + o] & c->page[o];
	c->st->spi_programs++;
	start_busy(c, t, dur);
}

static void aai_word(struct vb_nor *c, uint64_t t)
{
	uint32_t a = c->aai_addr;

	if (a + 2 > c->p->size) {
		c->aai = false; /* past the end: it stops */
		c->wel = false;
		return;
	}
	if (!is_protected(c, a, 2)) {
		c->mem[a] &= c->data[0];
		c->mem[a + 1] &= c->data[1];
		c->st->spi_programs++;
	}
	c->aai_addr = a + 2;
	start_busy(c, t, c->p->t_byte);
}

static void write_status(struct vb_nor *c, uint64_t t)
{
	bool allowed = c->wel || c->ewsr || c->vsr;
	bool volatile_only = c->vsr && !c->wel;

	c->wel = false;
	if (!allowed || c->n < 2)
		return;
	c->sr1 = (c->sr1 & ~c->p->sr_mask) | (c->data[0] & c->p->sr_mask);
	if (c->part == VB_NOR_W25Q64 && c->n >= 3) /* SRP1, QE, CMP; LB set
						    * only */
		c->sr2 = (c->sr2 & 0x38) | (c->data[1] & 0x43) |
			 (c->data[1] & 0x38);
	if (!volatile_only && c->p->t_w)
		start_busy(c, t, c->p->t_w);
}

/* CS# rises: the command takes effect. */
static void finish(struct vb_nor *c, uint64_t t)
{
	const struct part *p = c->p;
	bool sst = c->part == VB_NOR_SST25VF016B;

	if (!c->ok || c->bits)
		return; /* refused, or not on a byte boundary */
	switch (c->op) {
	case 0x06:
		c->wel = c->n == 1 ? true : c->wel;
		break;
	case 0x04:
		if (c->n == 1) {
			c->wel = false;
			c->aai = false;
		}
		break;
	case 0x50:
		c->ewsr = sst;
		c->vsr = c->part == VB_NOR_W25Q64;
		return; /* for the next command only */
	case 0x01:
		write_status(c, t);
		break;
	case 0x02:
		if (sst && c->wel && c->n >= 5) {
			c->wel = false;
			if (!is_protected(c, c->addr, 1)) {
				c->mem[c->addr] &= c->page[c->addr & 0xFF];
				c->st->spi_programs++;
				start_busy(c, t, p->t_byte);
			}
		} else if (!sst && c->wel) {
			program_page(c, false, p->t_pp, t);
		}
		break;
	case 0x0A:
		if (c->wel)
			program_page(c, true, p->t_pw, t);
		break;
	case 0xDB:
		if (c->wel && c->n == 4)
			erase(c, 256, p->t_pe, t);
		break;
	case 0x20:
		if (c->wel && c->n == 4)
			erase(c, 4096, p->t_4k, t);
		break;
	case 0x52:
		if (c->wel && c->n == 4)
			erase(c, 32768, p->t_32k, t);
		break;
	case 0xD8:
		if (c->wel && c->n == 4)
			erase(c, 65536, p->t_64k, t);
		break;
	case 0x60:
	case 0xC7:
		if (c->wel && c->n == 1)
			erase(c, p->size, p->t_chip, t);
		break;
	case 0xAD:
		if (c->aai && c->n == 3) {
			aai_word(c, t);
		} else if (!c->aai && c->wel && c->n == 6) {
			c->aai = true;
			c->aai_addr = c->addr & ~1u;
			aai_word(c, t);
		}
		break;
	case 0x70:
	case 0x80:
		if (c->n == 1)
			c->ebsy = c->op == 0x70 && !c->no_ebsy;
		break;
	case 0xB9:
		c->deep = c->n == 1;
		break;
	case 0xAB:
		c->deep = false;
		break;
	default:
		break;
	}
	c->ewsr = false;
	c->vsr = false;
}

static bool accepted(struct vb_nor *c, uint8_t op, uint64_t t)
{
	bool sst = c->part == VB_NOR_SST25VF016B;
	bool w25 = c->part == VB_NOR_W25Q64;
	bool m25 = c->part == VB_NOR_M25PE16;

	if (c->deep)
		return op == 0xAB;
	if (op == 0x05 || (op == 0x35 && w25))
		return true;
	if (busy(c, t))
		return false;
	if (c->aai)
		return op == 0xAD || op == 0x04;
	switch (op) {
	case 0x01:
	case 0x02:
	case 0x03:
	case 0x04:
	case 0x06:
	case 0x0B:
	case 0x20:
	case 0x9F:
	case 0xAB:
	case 0xB9:
	case 0xC7:
	case 0xD8:
		return true;
	case 0x50:
	case 0x52:
	case 0x60:
	case 0x90:
		return sst || w25;
	case 0xAD:
	case 0x70:
	case 0x80:
		return sst;
	case 0x0A:
	case 0xDB:
		return m25;
	case 0x5A:
	case 0x4B:
		return w25;
	default:
		return false;
	}
}

/* The byte the chip sends as byte k of the command (k >= 1), or -1. */
static int out_byte(struct vb_nor *c, unsigned k, uint64_t t)
{
	unsigned d; /* bytes after the address (and dummies) */

	switch (c->op) {
	case 0x05:
		return vb_nor_status(c, t);
	case 0x35:
		return c->sr2;
	case 0x9F:
		if (c->part == VB_NOR_M25PE16 && k > 3)
			return k == 4 ? 0x10 : 0x00; /* CFD length, CFD */
		return c->p->id[(k - 1) % 3];
	case 0x90:
	case 0xAB:
		if (c->part == VB_NOR_M25PE16 || k < 4)
			return -1;
		if (c->op == 0xAB && c->part == VB_NOR_W25Q64)
			return 0x16;
		d = (k - 4 + (c->addr & 1)) & 1; /* A0 picks the first */
		return d ? (c->part == VB_NOR_W25Q64 ? 0x16 : 0x41)
			 : c->p->id[0];
	case 0x03:
		if (k < 4)
			return -1;
		return c->mem[(c->addr + k - 4) % c->p->size];
	case 0x0B:
		if (k < 5)
			return -1;
		return c->mem[(c->addr + k - 5) % c->p->size];
	case 0x5A:
		if (k < 5)
			return -1;
		d = (c->addr + k - 5) & 0xFFFFFF;
		if (d < sizeof(sfdp_head))
			return sfdp_head[d];
		if (d >= 0x80 && d < 0x80 + sizeof(sfdp_bfpt))
			return sfdp_bfpt[d - 0x80];
		return 0xFF;
	case 0x4B:
		return k >= 5 && k < 13 ? w25_uid[k - 5] : -1;
	default:
		return -1;
	}
}

/* Byte k of the command came in. */
static void take(struct vb_nor *c, unsigned k, uint8_t b)
{
	unsigned o;

	if (k == 0)
		return;
	switch (c->op) {
	case 0x01:
		if (k <= 2)
			c->data[k - 1] = b;
		return;
	case 0xAD:
		if (c->aai) {
			if (k <= 2)
				c->data[k - 1] = b;
			return;
		}
		if (k >= 4 && k <= 5)
			c->data[k - 4] = b;
		break;
	case 0x02:
	case 0x0A:
		if (k < 4)
			break;
		o = (c->addr + c->ndata++) & 0xFF; /* wraps in the page */
		c->page[o] = b;
		c->written[o / 8] |= (uint8_t)(1u << (o % 8));
		return;
	default:
		break;
	}
	if (k <= 3)
		c->addr = (c->addr << 8 | b) & 0xFFFFFF;
	if (k == 3)
		c->addr %= c->p->size;
}

static void feed(struct vb_nor *c, uint8_t b, uint64_t t)
{
	unsigned k = c->n++;
	int out;

	c->st->spi_bytes++;
	if (k == 0) {
		c->op = b;
		c->ok = accepted(c, b, t);
		c->addr = 0;
		c->ndata = 0;
		memset(c->written, 0, sizeof(c->written));
		memset(c->page, 0xFF, sizeof(c->page));
	}
	if (c->ok)
		take(c, k, b);
	out = c->ok ? out_byte(c, k + 1, t) : -1;
	c->drive = out >= 0;
	c->next = out >= 0 ? (uint8_t)out : 0xFF;
}

void vb_nor_select(struct vb_nor *c, bool low, uint64_t t)
{
	if (low && !c->sel) {
		c->sel = true;
		c->n = 0;
		c->bits = 0;
		c->in = 0;
		c->drive = c->out_drive = false;
		c->next = 0xFF;
	} else if (!low && c->sel) {
		c->sel = false;
		c->out_drive = false;
		if (c->n)
			finish(c, t);
	}
}

/* SO as RY/BY# (EBSY in AAI mode): 1 ready, 0 busy; -1 when it is not. */
static int ry_by(const struct vb_nor *c, uint64_t t)
{
	return c->sel && c->ebsy && c->aai ? !busy(c, t) : -1;
}

uint8_t vb_nor_byte(struct vb_nor *c, uint8_t mosi, uint64_t t)
{
	int rb = ry_by(c, t);
	uint8_t out;

	if (!c->sel)
		return 0xFF;
	out = rb >= 0 ? (uint8_t)(rb ? 0xFF : 0x00) : c->drive ? c->next : 0xFF;
	feed(c, mosi, t);
	return out;
}

void vb_nor_sck(struct vb_nor *c, bool high, bool mosi, uint64_t t)
{
	bool rise = high && !c->sck, fall = !high && c->sck;

	c->sck = high;
	if (!c->sel)
		return;
	if (rise) {
		c->in = (uint8_t)(c->in << 1 | mosi);
		if (++c->bits == 8) {
			c->bits = 0;
			feed(c, c->in, t);
		}
	} else if (fall) {
		if (c->bits == 0) { /* a byte boundary: the next byte */
			c->out = c->next;
			c->out_drive = c->drive;
		} else {
			c->out <<= 1;
		}
	}
}

void vb_nor_no_ebsy(struct vb_nor *c, bool ignore)
{
	c->no_ebsy = ignore;
}

int vb_nor_miso(const struct vb_nor *c, uint64_t t)
{
	int rb = ry_by(c, t);

	if (rb >= 0)
		return rb;
	return c->sel && c->out_drive ? c->out >> 7 : -1;
}
