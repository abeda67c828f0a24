// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Step 1 of a restore: is this chip, on this board, the one the bundle or
 * backup was made for? A DSO Quad image never goes onto a Spark Core: a
 * different board, DEV_ID or flash size is refused, unless -y (then it is
 * said, loudly). What cannot fit is refused even then.
 */
#include <stdio.h>
#include <string.h>

#include "ub/err.h"
#include "ub/log.h"
#include "ub/restore.h"

static void remember(struct ub_restore *r, const char *text)
{
	if (r->nwarn < sizeof(r->warnings) / sizeof(r->warnings[0]))
		snprintf(r->warnings[r->nwarn++], sizeof(r->warnings[0]), "%s",
			 text);
}

/* A mismatch: refused, or with -y a warning. */
int ub_restore_mismatch(struct ub_restore *r, const char *what)
{
	const char *kind = r->from_backup ? "backup" : "bundle";

	if (!r->ctx->yes)
		return ub_fail(UB_EWRONGCHIP,
			       "%s: this %s does not belong on this chip: %s. "
			       "Nothing was changed (-y overrides, if you are "
			       "sure)",
			       r->m->path, kind, what);
	ub_warn("%s (going on because of -y)", what);
	remember(r, what);
	return 0;
}

static void uid_hex(const uint8_t uid[12], char out[25])
{
	for (int i = 0; i < 12; i++)
		snprintf(out + 2 * i, 3, "%02X", uid[i]);
}

/* Every piece inside the memory it goes to. */
static int fits(const struct ub_restore *r)
{
	const struct ub_target_info *in = &r->s->t->info;
	uint64_t end = (uint64_t)in->flash_base + in->flash_size;

	for (unsigned i = 0; i < r->npiece; i++) {
		const struct ub_rs_piece *p = &r->piece[i];

		if (p->space != UB_SPACE_MCU || !p->len || p->options)
			continue;
		if (p->addr < in->flash_base ||
		    p->addr + (uint64_t)p->len > end)
			return ub_fail(UB_ERANGE,
				       "%s goes to 0x%08X-0x%08X, outside this "
				       "chip's %u KB flash (0x%08X-0x%08X): a "
				       "bundle for a bigger chip?",
				       p->name, p->addr, p->addr + p->len - 1,
				       in->flash_size / 1024, in->flash_base,
				       (uint32_t)(end - 1));
	}
	return 0;
}

int ub_restore_check(struct ub_restore *r)
{
	const struct ub_manifest *m = r->m;
	const struct ub_target_info *in = &r->s->t->info;
	char what[300], a[25], c[25];
	int err = 0;

	/* the board's name was compared when the plan was made */
	if (m->has_dev_id && m->dev_id != in->dev_id) {
		snprintf(what, sizeof(what),
			 "it was made for a chip with DEV_ID 0x%03X%s%s, and "
			 "this one is %s (DEV_ID 0x%03X)",
			 m->dev_id, m->chip[0] ? ", " : "", m->chip, in->name,
			 in->dev_id);
		err = ub_restore_mismatch(r, what);
	}
	if (!err && m->has_flash_size && m->flash_size != in->flash_size) {
		snprintf(what, sizeof(what),
			 "it was made for a chip with %u KB of flash, and this "
			 "one has %u KB",
			 m->flash_size / 1024, in->flash_size / 1024);
		err = ub_restore_mismatch(r, what);
	}
	if (!err)
		err = fits(r);
	if (!err && r->from_backup && m->has_uid &&
	    memcmp(m->uid, in->uid, sizeof(m->uid)) &&
	    !(in->rdp && !in->uid[0])) {
		uid_hex(m->uid, a);
		uid_hex(in->uid, c);
		snprintf(what, sizeof(what),
			 "this backup was made from another chip (UID %s; this "
			 "one is %s): what is unique to that unit (keys, "
			 "licence) comes with it",
			 a, c);
		ub_warn("%s", what);
		remember(r, what);
	}
	return err;
}
