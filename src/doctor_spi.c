// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unbrick doctor: does the companion SPI flash answer its JEDEC ID? Through
 * the bus the session reaches it by (the MCU's SPI peripheral, the clip on
 * the chip's pins, or spidev), probed as every command probes it.
 */
#include <stdio.h>
#include <string.h>

#include "doctor.h"
#include "ub/err.h"
#include "ub/session.h"

/* Where the profile says the chip is, for the fix. */
static void where(const struct ub_dr *d, char *buf, size_t n)
{
	const struct ub_spi_conf *c = &d->b->spi;
	char cs[UB_TEXT_MAX + 64];
	size_t at;

	switch (ub_session_spi_bus(d->ctx, d->b)) {
	case UB_SPI_BUS_MCU:
		at = (size_t)snprintf(buf, n,
				      "on the MCU's %s: SCK %s, MISO %s, MOSI "
				      "%s, CS# %s",
				      c->peripheral, c->sck, c->miso, c->mosi,
				      c->cs);
		for (unsigned i = 0; i < c->npark && at < n; i++)
			at += (size_t)snprintf(buf + at, n - at, "%s%s held %s",
					       i ? ", " : "; ", c->park[i].pin,
					       c->park[i].level ? "high"
								: "low");
		break;
	case UB_SPI_BUS_CLIP:
		snprintf(buf, n, "on the clip: CS# is %s",
			 ub_dr_wire(d->b, "spi_cs", cs, sizeof(cs)));
		break;
	default:
		snprintf(buf, n, "on %s", c->device[0] ? c->device : "spidev");
		break;
	}
}

void ub_dr_spi(struct ub_dr *d, struct ub_session *s)
{
	char at[UB_DR_TEXT / 2], fix[UB_DR_TEXT];
	struct ub_nor *nor;
	int err = ub_session_spi(s, &nor);

	if (!err) {
		ub_dr_ok(d,
			 "the companion flash answers: %s (JEDEC ID %06X), "
			 "%u KB%s",
			 nor->chip.name, nor->jedec, nor->chip.size / 1024,
			 nor->protected_ ? ", its blocks write-protected "
					   "(unbrick lifts that to write)"
					 : "");
		return;
	}
	if (err == UB_EUNSUPPORTED) { /* no way to it in this build */
		ub_dr_skip(d, "the companion flash: %s", ub_errmsg(err));
		return;
	}
	where(d, at, sizeof(at));
	snprintf(fix, sizeof(fix),
		 "the profile puts the chip %s: check that it is fitted and "
		 "powered, that its CS# is the one named, and that no other "
		 "device on the bus drives MISO",
		 at);
	ub_dr_problem(d, err, fix, "the companion flash does not answer: %s",
		      ub_errmsg(err));
}
