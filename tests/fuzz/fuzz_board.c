// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the board profile parser and checker. A profile that
 * loads must keep the promises of ub/board.h (counts within the tables,
 * names terminated); one that fails must say why.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ub/board.h"
#include "ub/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_board(const struct ub_board *b)
{
	if (!b->family || b->nfile < 1 || b->nfile > UB_MAX_FILES ||
	    b->npin > UB_MAX_PINS || b->nregion > UB_MAX_REGIONS ||
	    b->nseq > UB_MAX_SEQS || b->nrecipe > UB_MAX_RECIPES ||
	    b->npreserve > UB_MAX_PRESERVE || b->nnotes > UB_MAX_NOTES ||
	    b->spi.npark > UB_MAX_PARKS || b->spi.nchip > UB_MAX_CHIPS)
		abort();
	for (unsigned i = 0; i < b->nregion; i++) {
		const struct ub_region *r = &b->region[i];

		if (strnlen(r->name, UB_NAME_MAX) == UB_NAME_MAX || !r->size ||
		    (uint64_t)r->addr + r->size > 0x100000000ull ||
		    ub_board_region(b, r->name) != r)
			abort();
	}
	for (unsigned i = 0; i < b->npin; i++) {
		const struct ub_board_pin *p = &b->pin[i];

		if (strnlen(p->role, UB_NAME_MAX) == UB_NAME_MAX || p->pi < 0 ||
		    p->pi > 40 || ub_board_pin(b, p->role) != p)
			abort();
	}
	for (unsigned i = 0; i < b->nseq; i++)
		if (b->seq[i].nstep > UB_MAX_STEPS)
			abort();
	for (unsigned i = 0; i < b->nrecipe; i++)
		if (b->recipe[i].nstep > UB_MAX_RSTEPS)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct ub_board *b;
	int err = 0;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	ub_clear_error();
	b = ub_board_parse(text, "fuzz.conf", &err);
	if (b) {
		if (err)
			abort();
		check_board(b);
		ub_board_free(b);
	} else if (err >= 0 || !strcmp(ub_errmsg(err), ub_strerror(err))) {
		abort();
	}
	free(text);
	return 0;
}
