// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The debug port of the STM32F103 at the wire: the SW-DP of its SWJ-DP
 * (Cortex-M3 r1p1, DPIDR 0x1BA01477, DP architecture version 1, SWD
 * protocol version 1) and the one access port behind it, the AHB-AP, whose
 * registers and memory accesses are in vb_ahbap.c. Written from the ARM
 * Debug Interface v5 Architecture Specification (IHI 0031), the Cortex-M3
 * TRM (DDI 0337) and RM0008 §31; all the rules are described here.
 *
 * Wire timing. The target samples SWDIO at each rising SWCLK edge
 * (vb_swd_clock gets the level before the edge) and changes what it drives
 * right after a rising edge, so a host that reads while SWCLK is low (as
 * OpenOCD's bitbang driver does) sees it. With a one-cycle turnaround:
 *
 *   read:  8 header bits (host), trn, ACK x3, data x32, parity, trn
 *   write: 8 header bits (host), trn, ACK x3, trn, data x32, parity (host)
 *
 * Line state. After power-on the SWJ-DP is in JTAG mode and answers nothing
 * on SWD. 50 or more cycles with SWDIO high followed by the 16-bit select
 * sequence 0xE79E (LSB first) switch it to SWD (st.jtag_to_swd counts each
 * select sequence seen); ≥50 high cycles then 0xE73C switch it back to
 * JTAG. Every run of 50 high cycles the host drives is a line reset
 * (st.line_resets counts them, in either mode); in SWD mode it puts the DP
 * in the reset state and clears SELECT.CTRLSEL, and the first high cycle
 * after a low one starts a packet. In the reset state the only valid request
 * is a read of DPIDR, which makes the link active (ADIv5 "connection and
 * line reset sequence"). A protocol error -- a request with the wrong
 * parity, a stop bit of 1, a park bit of 0, or in the reset state anything
 * but a DPIDR read -- gets no answer at all: the target does not drive the
 * line (the host reads the pull-up, ACK 0b111) and locks out until the next
 * line reset (ADIv5 "protocol error response": the host must then perform a
 * line reset). st.no_ack counts them, except the high cycles of a line
 * reset and the bits of a select sequence read as a request.
 * After the switch to SWD a line reset is needed before the first packet.
 *
 * Responses, in this order of precedence:
 *   - a sticky flag (STICKYERR, STICKYCMP, STICKYORUN, WDATAERR) set: FAULT
 *     to everything but reads of DPIDR and CTRL/STAT and writes of ABORT;
 *   - the AP busy with a memory access that stalled (the flash is busy): the
 *     access is retried at every request; while it still stalls, AP
 *     accesses and RDBUFF reads get WAIT (CSW.TrInProg reads 1);
 *   - an AP access while CDBGPWRUPACK is 0 (debug domain not powered up):
 *     FAULT, and STICKYERR is set so that CTRL/STAT says why;
 *   - the WAIT storm setting (below): WAIT;
 *   - otherwise OK.
 * With CTRL/STAT.ORUNDETECT set, a WAIT or FAULT also sets STICKYORUN and is
 * followed by a data phase (33 cycles the target ignores), as ADIv5 requires;
 * that is what OpenOCD's bitbang driver clocks after every ACK. With it
 * clear there is no data phase: after the turnaround the next request may
 * start at once, and a host that clocks a data phase anyway with the line
 * released makes the pull-up read as a request of all ones: a protocol
 * error. Only AP accesses and RDBUFF reads are ever answered WAIT.
 *
 * A write's data is taken at its parity bit: wrong parity sets WDATAERR
 * (st.parity_errors) and the write is dropped; the ACK was already OK.
 *
 * DP registers: DPIDR (read 0x0), ABORT (write 0x0: DAPABORT cancels a
 * stalled AP access, STKCMPCLR, STKERRCLR, WDERRCLR, ORUNERRCLR), CTRL/STAT
 * (0x4, CTRLSEL 0: the power-up and debug-reset ACKs follow their requests
 * at once; sticky flags are cleared only through ABORT, as on any SW-DP;
 * TRNCNT and MASKLANE are stored; TRNMODE 1 and 2 are pushed verify and
 * pushed compare), WCR (0x4, CTRLSEL 1: reads 0x40 after power-on, PRESCALER
 * and TURNROUND writable, TURNROUND sets the turnaround to 1-4 cycles),
 * RESEND (read 0x8: the data last returned by an AP read or RDBUFF read),
 * SELECT (write 0x8: APSEL, APBANKSEL, CTRLSEL), RDBUFF (read 0xC; writes
 * are ignored). Power-on resets all of it; NRST and SYSRESETREQ do not.
 *
 * AHB-AP (APSEL 0; any other APSEL reads 0 and ignores writes): CSW (reset
 * 0x23000040 as a Cortex-M3/M4 AHB-AP reads; Size 8/16/32 -- other values
 * leave Size unchanged; AddrInc off/single/packed -- 3 leaves it unchanged;
 * DeviceEn reads 1; TrInProg; Mode, Prot, MasterType and bit 31 stored),
 * TAR, DRW, BD0-BD3 (TAR[31:4] + 4n, with TAR[1:0] for the byte lanes, no
 * increment), CFG 0 (little-endian), BASE 0xE00FF003, IDR 0x24770011.
 * AP reads are posted: an AP read returns the result of the previous AP
 * read and starts its own; RDBUFF returns the last result and starts
 * nothing. Memory accesses go through vb_bus_read/vb_bus_write as VB_DAP,
 * aligned down to the transfer size; 8- and 16-bit transfers use the byte
 * lanes of their address in DRW (other lanes of a read are 0). After each
 * DRW transfer with AddrInc on, TAR[11:0] advances by the size and wraps
 * within its 4 KB block (TAR[31:12] never changes): the Cortex-M3 and M4
 * AHB-AP increment over 4 KB, and OpenOCD relies on it for them (it sets
 * TAR again only at 4 KB boundaries); ADIv5 itself guarantees 1 KB, which
 * is what a careful host assumes. A packed DRW access makes 2 halfword or 4
 * byte transfers, each in the byte lanes of its own address (so from TAR 2,
 * halfwords at 2 and 4 in lanes 2-3 and 0-1), as OpenOCD packs them. A bus
 * error sets STICKYERR (and clears READOK), ends the DRW access without
 * advancing TAR, and the transaction that started it has already had its
 * OK. Pushed verify/compare: an AP write reads the register (DRW and BDn:
 * the memory, with the usual increment) instead of writing it and compares
 * the byte lanes MASKLANE selects; a mismatch (verify) or a match (compare)
 * sets STICKYCMP.
 *
 * Faults on demand (struct vb_settings; 0 turns each off):
 *   wait_every N, wait_count C: AP accesses (APnDP=1 requests that would
 *     otherwise be answered OK) are counted; the Nth, 2Nth... is answered
 *     WAIT C times in a row, and the next attempt of it is accepted without
 *     being counted again. Both must be non-zero.
 *   fault_every N: memory accesses the AP starts (each DRW or BDn access,
 *     read or write, a packed one counting once) are counted; the Nth,
 *     2Nth... fails as a bus error without reaching memory: STICKYERR, so
 *     the following AP accesses get FAULT until ABORT.STKERRCLR.
 *   parity_every N: read transactions answered OK (DP and AP) are counted;
 *     the Nth, 2Nth... is sent with the wrong data parity bit. RESEND gives
 *     the data again (with the right parity unless it is itself an Nth).
 */
#include <stdlib.h>
#include <string.h>

#include "vb_ahbap.h"

#define DPIDR_VALUE 0x1BA01477u
#define WCR_RESET   0x00000040u

#define ACK_OK	  1u
#define ACK_WAIT  2u
#define ACK_FAULT 4u

/* CTRL/STAT */
#define ORUNDETECT   (1u << 0)
#define STICKYORUN   (1u << 1)
#define TRNMODE	     (3u << 2)
#define STICKYCMP    (1u << 4)
#define STICKYERR    (1u << 5)
#define READOK	     (1u << 6)
#define WDATAERR     (1u << 7)
#define CDBGRSTREQ   (1u << 26)
#define CDBGPWRUPREQ (1u << 28)
#define CSYSPWRUPREQ (1u << 30)
#define CTRL_RW	     0x54FFFF0Du /* requests, TRNCNT, MASKLANE, TRNMODE, ORUN */
#define STICKY	     (STICKYORUN | STICKYCMP | STICKYERR | WDATAERR)

/* ABORT */
#define DAPABORT   (1u << 0)
#define STKCMPCLR  (1u << 1)
#define STKERRCLR  (1u << 2)
#define WDERRCLR   (1u << 3)
#define ORUNERRCLR (1u << 4)

#define CTRLSEL	  1u
#define SELECT_RW 0xFF0000F1u
#define WCR_RW	  0x00000307u

#define LINE_RESET_CYCLES 50u
#define SEQ_JTAG_TO_SWD	  0xE79Eu
#define SEQ_SWD_TO_JTAG	  0xE73Cu

enum mode { MODE_JTAG, MODE_SWD };
enum link { LINK_RESET, LINK_ACTIVE, LINK_LOCKOUT };

enum phase {
	PH_IDLE,    /* waiting for a start bit */
	PH_HEADER,  /* APnDP, RnW, A[2:3], parity, stop, park */
	PH_TRN_ACK, /* turnaround before the ACK */
	PH_ACK,	    /* the target drives the ACK */
	PH_RDATA,   /* the target drives data and parity */
	PH_WDATA,   /* the host drives data and parity */
	PH_SKIP,    /* cycles to ignore, then phase 'after' */
};

struct vb_swd {
	enum mode mode;
	enum link link;
	enum phase phase, after;
	unsigned bit;  /* bits of the phase so far */
	unsigned skip; /* PH_SKIP: cycles left */
	int out;       /* what the target drives: 0, 1, -1 */

	unsigned ones; /* consecutive high cycles the host drove */
	bool seq_armed;
	/* a protocol error that may be part of a line reset (an all-ones
	 * request) or of a select sequence: counted once it is not */
	bool no_ack_pending, pending_ones;
	unsigned seq_n;
	uint32_t seq;

	uint8_t req; /* APnDP, RnW, A2, A3, parity, stop, park */
	unsigned ack;
	uint64_t data; /* the data phase: 32 bits and parity */

	uint32_t ctrl, select, wcr;
	uint32_t resend; /* the data last returned by an AP/RDBUFF read */
	struct vb_ahbap ap;

	uint64_t ap_count, read_count;
	unsigned storm_left;
	bool storm_owed;
};

static unsigned parity32(uint32_t v)
{
	return (unsigned)__builtin_parity(v);
}

static unsigned trn(const struct vb_swd *s)
{
	return ((s->wcr >> 8) & 3) + 1;
}

static bool req_ap(const struct vb_swd *s)
{
	return s->req & 1;
}

static bool req_read(const struct vb_swd *s)
{
	return s->req & 2;
}

static unsigned req_addr(const struct vb_swd *s)
{
	return (s->req & 0xC) >> 2; /* A[3:2] */
}

static unsigned ap_reg(const struct vb_swd *s)
{
	return (s->select & 0xF0) | req_addr(s) << 2;
}

static unsigned ap_sel(const struct vb_swd *s)
{
	return s->select >> 24;
}

struct vb_swd *vb_swd_new(struct vb *vb)
{
	(void)vb;
	return calloc(1, sizeof(struct vb_swd));
}

void vb_swd_free(struct vb_swd *swd)
{
	free(swd);
}

void vb_swd_power_on(struct vb *vb)
{
	struct vb_swd *s = vb->swd;

	if (!s)
		return;
	memset(s, 0, sizeof(*s));
	s->mode = MODE_JTAG;
	s->link = LINK_LOCKOUT;
	s->phase = PH_IDLE;
	s->out = -1;
	s->wcr = WCR_RESET;
	vb_ahbap_reset(&s->ap);
}

int vb_swd_output(const struct vb *vb)
{
	const struct vb_swd *s = vb->swd;

	if (!s || !vb->powered || vb->swd_off || s->mode != MODE_SWD)
		return -1;
	return s->out;
}

/* ---- the DP ---------------------------------------------------------- */

static uint32_t ctrl_value(const struct vb_swd *s)
{
	uint32_t v = s->ctrl;

	/* CSYSPWRUPACK, CDBGPWRUPACK, CDBGRSTACK follow their requests */
	return v | (v & (CSYSPWRUPREQ | CDBGPWRUPREQ | CDBGRSTREQ)) << 1;
}

static void dp_write(struct vb_swd *s, uint32_t v)
{
	switch (req_addr(s)) {
	case 0: /* ABORT */
		if (v & DAPABORT)
			vb_ahbap_abort(&s->ap);
		if (v & STKCMPCLR)
			s->ctrl &= ~STICKYCMP;
		if (v & STKERRCLR)
			s->ctrl &= ~STICKYERR;
		if (v & WDERRCLR)
			s->ctrl &= ~WDATAERR;
		if (v & ORUNERRCLR)
			s->ctrl &= ~STICKYORUN;
		break;
	case 1:
		if (s->select & CTRLSEL)
			s->wcr = WCR_RESET | (v & WCR_RW);
		else
			s->ctrl = (s->ctrl & ~CTRL_RW) | (v & CTRL_RW);
		break;
	case 2:
		s->select = v & SELECT_RW;
		break;
	default: /* RDBUFF: writes are ignored */
		break;
	}
}

static uint32_t dp_read(struct vb_swd *s)
{
	switch (req_addr(s)) {
	case 0:
		return DPIDR_VALUE;
	case 1:
		return s->select & CTRLSEL ? s->wcr : ctrl_value(s);
	case 2:
		return s->resend;
	default:
		s->ctrl |= READOK;
		return s->resend = s->ap.rdbuff;
	}
}

/* Fold what the AP did into CTRL/STAT. */
static void ap_events(struct vb_swd *s)
{
	if (s->ap.events & VB_AP_EV_BUSERR)
		s->ctrl = (s->ctrl | STICKYERR) & ~READOK;
	if (s->ap.events & VB_AP_EV_CMP)
		s->ctrl |= STICKYCMP;
	s->ap.events = 0;
}

static uint32_t masklane_bits(const struct vb_swd *s)
{
	uint32_t m = 0;

	for (unsigned i = 0; i < 4; i++)
		if (s->ctrl & (1u << (8 + i)))
			m |= 0xFFu << (8 * i);
	return m;
}

/* An AP read: start it; the previous one's result is in ap.rdbuff. */
static void ap_read(struct vb *vb, struct vb_swd *s)
{
	if (ap_sel(s) != 0)
		s->ap.rdbuff = 0; /* no such AP */
	else
		vb_ahbap_read(vb, &s->ap, ap_reg(s));
	ap_events(s);
}

static void ap_write(struct vb *vb, struct vb_swd *s, uint32_t v)
{
	if (ap_sel(s) != 0)
		return;
	vb_ahbap_write(vb, &s->ap, ap_reg(s), v, (s->ctrl & TRNMODE) >> 2,
		       masklane_bits(s));
	ap_events(s);
}

/* The WAIT storm: true while this AP access is to be answered WAIT. */
static bool storm(struct vb *vb, struct vb_swd *s)
{
	if (!s->storm_left && !s->storm_owed) {
		s->ap_count++;
		if (vb->set.wait_every && vb->set.wait_count &&
		    s->ap_count % vb->set.wait_every == 0)
			s->storm_left = vb->set.wait_count;
	}
	if (s->storm_left) {
		s->storm_left--;
		s->storm_owed = true;
		return true;
	}
	s->storm_owed = false;
	return false;
}

static unsigned refuse(struct vb_swd *s, unsigned ack)
{
	if (s->ctrl & ORUNDETECT)
		s->ctrl |= STICKYORUN;
	if (req_ap(s) ? req_read(s) : req_read(s) && req_addr(s) == 3)
		s->ctrl &= ~READOK;
	return ack;
}

/* The answer to a valid request; a read's data goes to s->data. */
static unsigned respond(struct vb *vb, struct vb_swd *s)
{
	bool ap = req_ap(s), rd = req_read(s);
	unsigned a = req_addr(s);
	bool exempt = !ap && ((rd && a == 0) || (!rd && a == 0) ||
			      (rd && a == 1 && !(s->select & CTRLSEL)));
	uint32_t v;

	if (vb_ahbap_busy(&s->ap)) {
		vb_ahbap_retry(vb, &s->ap); /* the stalled access */
		ap_events(s);
	}
	if ((s->ctrl & STICKY) && !exempt)
		return refuse(s, ACK_FAULT);
	if ((ap || (rd && a == 3)) && vb_ahbap_busy(&s->ap))
		return refuse(s, ACK_WAIT);
	if (ap && !(s->ctrl & CDBGPWRUPREQ)) {
		s->ctrl |= STICKYERR;
		return refuse(s, ACK_FAULT);
	}
	if (ap && storm(vb, s))
		return refuse(s, ACK_WAIT);
	if (!rd)
		return ACK_OK;
	if (ap) {
		v = s->resend = s->ap.rdbuff;
		s->ctrl |= READOK;
		ap_read(vb, s);
	} else {
		v = dp_read(s);
	}
	s->data = v | (uint64_t)parity32(v) << 32;
	s->read_count++;
	if (vb->set.parity_every && s->read_count % vb->set.parity_every == 0)
		s->data ^= 1ull << 32;
	return ACK_OK;
}

/* ---- the wire -------------------------------------------------------- */

static void skip(struct vb_swd *s, unsigned n, enum phase after)
{
	s->phase = PH_SKIP;
	s->skip = n;
	s->after = after;
}

static void protocol_error(struct vb *vb, struct vb_swd *s)
{
	s->pending_ones = s->req == 0x7F;
	if (s->seq_armed || s->pending_ones)
		s->no_ack_pending = true;
	else
		vb->st.no_ack++;
	s->link = LINK_LOCKOUT;
	s->phase = PH_IDLE;
	s->out = -1;
}

/* The park bit is in: check the request and choose the answer. */
static void decode(struct vb *vb, struct vb_swd *s)
{
	unsigned par = (s->req >> 4) & 1, stop = (s->req >> 5) & 1;
	unsigned park = (s->req >> 6) & 1;

	if (par != (unsigned)__builtin_parity(s->req & 0xF) || stop || !park) {
		protocol_error(vb, s);
		return;
	}
	if (s->link == LINK_RESET) {
		if (req_ap(s) || !req_read(s) || req_addr(s) != 0) {
			protocol_error(vb, s);
			return;
		}
		s->link = LINK_ACTIVE;
	}
	s->ack = respond(vb, s);
	if (s->ack == ACK_OK)
		vb->st.ack_ok++;
	else if (s->ack == ACK_WAIT)
		vb->st.ack_wait++;
	else
		vb->st.ack_fault++;
	s->phase = PH_TRN_ACK;
	s->bit = 0;
}

/* The write's data and parity are in. */
static void write_done(struct vb *vb, struct vb_swd *s)
{
	uint32_t v = (uint32_t)s->data;

	if (parity32(v) != ((s->data >> 32) & 1)) {
		s->ctrl |= WDATAERR;
		vb->st.parity_errors++;
		return;
	}
	if (req_ap(s))
		ap_write(vb, s, v);
	else
		dp_write(s, v);
}

static void line_reset(struct vb_swd *s)
{
	s->link = LINK_RESET;
	s->phase = PH_IDLE;
	s->out = -1;
	s->select &= ~CTRLSEL;
}

/* Stop watching for a select sequence; seq: one was seen. */
static void disarm(struct vb *vb, struct vb_swd *s, bool seq)
{
	if (s->no_ack_pending && !s->pending_ones) {
		if (!seq)
			vb->st.no_ack++;
		s->no_ack_pending = false;
	}
	s->seq_armed = false;
}

/*
 * Line resets and select sequences, from the cycles the host drives.
 * True while the line is in a line reset (50 or more high cycles).
 */
static bool line_events(struct vb *vb, struct vb_swd *s, int bit)
{
	if (bit) {
		if (s->ones < LINE_RESET_CYCLES &&
		    ++s->ones == LINE_RESET_CYCLES) {
			vb->st.line_resets++;
			s->seq_armed = false;
			s->no_ack_pending = false;
			s->pending_ones = false;
			if (s->mode == MODE_SWD)
				line_reset(s);
		}
	} else {
		if (s->pending_ones && s->no_ack_pending) {
			vb->st.no_ack++; /* it was no line reset */
			s->no_ack_pending = false;
		}
		s->pending_ones = false;
		if (s->ones >= LINE_RESET_CYCLES) {
			s->seq_armed = true;
			s->seq = 0;
			s->seq_n = 0;
		}
		s->ones = 0;
	}
	if (s->seq_armed) {
		s->seq |= (uint32_t)bit << s->seq_n;
		if (++s->seq_n == 16) {
			disarm(vb, s,
			       s->seq == SEQ_JTAG_TO_SWD ||
				       s->seq == SEQ_SWD_TO_JTAG);
			if (s->seq == SEQ_JTAG_TO_SWD) {
				vb->st.jtag_to_swd++;
				if (s->mode == MODE_JTAG) {
					s->mode = MODE_SWD;
					s->link = LINK_LOCKOUT;
				}
			} else if (s->seq == SEQ_SWD_TO_JTAG &&
				   s->mode == MODE_SWD) {
				s->mode = MODE_JTAG;
				s->phase = PH_IDLE;
				s->out = -1;
			}
		}
	}
	return s->ones >= LINE_RESET_CYCLES;
}

static void packet_edge(struct vb *vb, struct vb_swd *s, int bit)
{
	switch (s->phase) {
	case PH_IDLE:
		if (bit) {
			s->phase = PH_HEADER;
			s->bit = 0;
			s->req = 0;
		}
		break;
	case PH_HEADER:
		s->req |= (uint8_t)(bit << s->bit);
		if (++s->bit == 7)
			decode(vb, s);
		break;
	case PH_TRN_ACK:
		if (++s->bit == trn(s)) {
			s->phase = PH_ACK;
			s->out = s->ack & 1;
			s->bit = 1;
		}
		break;
	case PH_ACK:
		if (s->bit < 3) {
			s->out = (s->ack >> s->bit++) & 1;
		} else if (s->ack == ACK_OK && req_read(s)) {
			s->phase = PH_RDATA;
			s->out = s->data & 1;
			s->bit = 1;
		} else {
			s->out = -1;
			s->data = 0;
			s->bit = 0;
			if (s->ack == ACK_OK)
				skip(s, trn(s), PH_WDATA);
			else if (s->ctrl & ORUNDETECT)
				skip(s, trn(s) + 33, PH_IDLE);
			else
				skip(s, trn(s), PH_IDLE);
		}
		break;
	case PH_RDATA:
		if (s->bit < 33) {
			s->out = (s->data >> s->bit++) & 1;
		} else {
			s->out = -1;
			skip(s, trn(s), PH_IDLE);
		}
		break;
	case PH_WDATA:
		s->data |= (uint64_t)bit << s->bit;
		if (++s->bit == 33) {
			write_done(vb, s);
			s->phase = PH_IDLE;
		}
		break;
	case PH_SKIP:
		if (--s->skip == 0)
			s->phase = s->after;
		break;
	}
}

void vb_swd_clock(struct vb *vb, int swdio)
{
	struct vb_swd *s = vb->swd;
	int bit = swdio > 0;

	if (!s || !vb->powered || vb->swd_off)
		return;
	if (s->mode == MODE_SWD && s->out >= 0) {
		/* the target drives this cycle: no sequence can be in it */
		s->ones = 0;
		disarm(vb, s, false);
	} else if (line_events(vb, s, bit)) {
		return;
	}
	if (s->mode != MODE_SWD || s->link == LINK_LOCKOUT)
		return;
	packet_edge(vb, s, bit);
}
