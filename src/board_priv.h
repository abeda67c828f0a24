/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the board profile files only. The parser reads down:
 * board.c (finding files) -> board_parse.c (lines, sections) ->
 * board_keys.c, board_lists.c (section contents) -> board_syntax.c;
 * board_model.c (lookups) is below them all.
 */
#ifndef UB_BOARD_PRIV_H
#define UB_BOARD_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "ub/board.h"

/* Loads the profile `name` into b as the base of the one being read. */
typedef int (*ub_load_base_fn)(struct ub_board *b, const char *name, int depth,
			       unsigned line);

/* Parse text into b (which may already hold a base profile). */
int ub_board_parse_into(struct ub_board *b, const char *text, const char *path,
			int depth, ub_load_base_fn load_base);

/* "0x08000000" or "spi:0x1000": returns the space, or -1. */
int ub_parse_location(const char *s, uint32_t *addr);

enum ub_section {
	UB_SEC_NONE,
	UB_SEC_BOARD,
	UB_SEC_IFACE,
	UB_SEC_PIN,
	UB_SEC_REGIONS,
	UB_SEC_SEQ,
	UB_SEC_SPI,
	UB_SEC_RECIPE,
};

struct ub_parser {
	struct ub_board *b;
	unsigned char file;
	unsigned line;
	int depth;
	enum ub_section sec;
	void *cur;    /* the item the current section fills */
	bool saw_key; /* in [board]: base must come first */
	ub_load_base_fn load_base;
};

/* board_syntax.c */
int ub_bp_err(struct ub_parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int ub_bp_copy(struct ub_parser *p, char *dst, size_t n, const char *src,
	       const char *what);
#define COPY(p, field, src, what) ub_bp_copy(p, field, sizeof(field), src, what)
bool ub_bp_is_name(const char *s);
int ub_bp_yes_no(struct ub_parser *p, const char *v, bool *out);
int ub_bp_each_word(struct ub_parser *p, char *v,
		    int (*fn)(struct ub_parser *p, const char *w, void *arg),
		    void *arg);
struct ub_origin ub_bp_here(struct ub_parser *p);
int ub_bp_redefine(struct ub_parser *p, struct ub_origin *at, const char *what);

/* board_keys.c: key = value in [board], [interface], [pin], [spi] */
int ub_bp_board_key(struct ub_parser *p, const char *k, char *v);
int ub_bp_iface_key(struct ub_parser *p, const char *k, char *v);
int ub_bp_pin_key(struct ub_parser *p, const char *k, char *v);
int ub_bp_spi_key(struct ub_parser *p, const char *k, char *v);
int ub_bp_open_pin(struct ub_parser *p, const char *role);

/* board_lists.c: lines of [regions], [sequence], [recipe] */
int ub_bp_region_line(struct ub_parser *p, const char *k, char *v);
int ub_bp_seq_line(struct ub_parser *p, const char *k, char *v);
int ub_bp_recipe_key(struct ub_parser *p, const char *k, char *v);
int ub_bp_open_seq(struct ub_parser *p, const char *name);
int ub_bp_open_recipe(struct ub_parser *p, const char *name);

#endif
