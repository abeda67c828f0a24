// SPDX-License-Identifier: GPL-2.0-or-later
/* What every SWD backend shares: the switch from JTAG, clearing the engine. */
#include "ub/swd.h"

/*
 * At least 50 cycles with SWDIO high, the 16-bit JTAG-to-SWD select 0xE79E
 * (LSB first), 50 more high cycles, then idle low (ADIv5 §B5.2.1).
 */
static const uint8_t switch_seq[] = {
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, /* 56 ones: line reset */
	0x9E, 0xE7,				  /* 0xE79E */
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, /* line reset */
	0x00, 0x00,				  /* 16 idle cycles */
};

int ub_swd_switch(struct ub_swd *s)
{
	s->sticky = 0;
	return s->ops->seq(s, switch_seq, 8 * sizeof(switch_seq));
}

void ub_swd_clear(struct ub_swd *s)
{
	s->sticky = 0;
}
