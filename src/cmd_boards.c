// SPDX-License-Identifier: GPL-2.0-or-later
/* unbrick boards [NAME]: the known board profiles, or one in detail. */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ub/cli.h"
#include "ub/err.h"
#include "ub/pi.h"

#define MAX_LISTED 128

struct listing {
	struct entry {
		char name[UB_NAME_MAX];
		char path[512];
	} e[MAX_LISTED];
	unsigned n;
};

static int collect(const char *dir, void *arg)
{
	struct listing *l = arg;
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	while ((e = readdir(d)) && l->n < MAX_LISTED) {
		size_t n = strlen(e->d_name);
		unsigned i;

		if (n <= 5 || n - 5 >= UB_NAME_MAX ||
		    strcmp(e->d_name + n - 5, ".conf"))
			continue;
		/* the first directory in the search path wins */
		for (i = 0; i < l->n; i++)
			if (!strncmp(l->e[i].name, e->d_name, n - 5) &&
			    !l->e[i].name[n - 5])
				break;
		if (i < l->n)
			continue;
		memcpy(l->e[l->n].name, e->d_name, n - 5);
		l->e[l->n].name[n - 5] = '\0';
		snprintf(l->e[l->n].path, sizeof(l->e[0].path), "%s/%s", dir,
			 e->d_name);
		l->n++;
	}
	closedir(d);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void ifaces_text(const struct ub_board *b, char *buf, size_t n)
{
	buf[0] = '\0';
	for (int i = 0; i < UB_IFACE_N; i++)
		if (b->iface[i].available)
			snprintf(buf + strlen(buf), n - strlen(buf), "%s%s",
				 buf[0] ? "," : "", ub_iface_name(i));
}

static int list(struct ub_ctx *ctx)
{
	struct listing *l = calloc(1, sizeof(*l));
	int bad = 0, err = 0;
	char ifs[32];

	if (!l)
		return ub_fail(UB_ENOMEM, "out of memory");
	ub_board_dirs(collect, l);
	qsort(l->e, l->n, sizeof(l->e[0]), by_name);
	if (ctx->json)
		fputc('[', ctx->out);
	for (unsigned i = 0; i < l->n; i++) {
		struct ub_board *b = ub_board_load(l->e[i].path, &err);

		if (!b) {
			fprintf(stderr, "unbrick: skipped %s\n",
				ub_errmsg(err));
			bad++;
			continue;
		}
		ifaces_text(b, ifs, sizeof(ifs));
		if (ctx->json) {
			fprintf(ctx->out, "%s{\"name\":", i - bad ? "," : "");
			ub_json_str(ctx->out, b->name);
			fputs(",\"description\":", ctx->out);
			ub_json_str(ctx->out, b->desc);
			fprintf(ctx->out, ",\"family\":\"%s\",\"interfaces\":",
				b->family_name);
			ub_json_str(ctx->out, ifs);
			fputs(",\"path\":", ctx->out);
			ub_json_str(ctx->out, l->e[i].path);
			fputc('}', ctx->out);
		} else {
			fprintf(ctx->out, "%-16s %-9s %-9s %s\n", b->name,
				b->family_name, ifs, b->desc);
			if (ctx->verbosity > 1)
				fprintf(ctx->out, "%16s %s\n", "",
					l->e[i].path);
		}
		ub_board_free(b);
	}
	if (ctx->json)
		fputs("]\n", ctx->out);
	if (!l->n)
		err = ub_fail(UB_ENOENT,
			      "no board profiles found; set "
			      "UNBRICK_BOARDS to the boards/ directory");
	else if (bad)
		err = ub_fail(UB_ECONFIG,
			      "%d profile%s could not be read (see "
			      "above)",
			      bad, bad > 1 ? "s" : "");
	else
		err = 0;
	free(l);
	return err;
}

static const char *space_prefix(enum ub_space s)
{
	return s == UB_SPACE_SPI ? "spi:" : "";
}

static void show_board(struct ub_ctx *ctx, const struct ub_board *b)
{
	FILE *o = ctx->out;
	char pin[16];

	fprintf(o, "%s: %s\n", b->name, b->desc);
	fprintf(o, "  profile    %s%s%s\n", b->file[0],
		b->base[0] ? ", based on " : "", b->base);
	fprintf(o, "  MCU        %s", b->family->desc);
	if (b->has_dev_id)
		fprintf(o, ", DEV_ID 0x%03" PRIX32, b->dev_id);
	if (b->flash_size)
		fprintf(o, ", %" PRIu32 " KiB flash", b->flash_size / 1024);
	if (b->ram_size)
		fprintf(o, ", %" PRIu32 " KiB RAM", b->ram_size / 1024);
	fputc('\n', o);
	for (int i = 0; i < UB_IFACE_N; i++) {
		const struct ub_board_iface *f = &b->iface[i];

		char lead[32], text[UB_TEXT_MAX + 16];

		snprintf(lead, sizeof(lead), "  %-10s", ub_iface_name(i));
		snprintf(text, sizeof(text), "%s%s%s",
			 f->available ? "yes" : "no",
			 !f->available && f->reason[0] ? ": " : "",
			 f->available
				 ? (i == ub_ctx_iface(ctx, b) ? " (default)"
							      : "")
				 : f->reason);
		ub_wrap(o, lead, 13, text);
	}
	if (b->nregion)
		fprintf(o, "\n  %-14s %-16s %10s  %s\n", "region", "address",
			"size", "contents");
	for (unsigned i = 0; i < b->nregion; i++) {
		const struct ub_region *r = &b->region[i];
		char addr[24];

		snprintf(addr, sizeof(addr), "%s0x%08" PRIX32,
			 space_prefix(r->space), r->addr);
		fprintf(o, "  %-14s %-16s %10" PRIu32 "  %s\n", r->name, addr,
			r->size, r->desc);
	}
	if (b->npreserve) {
		fputs("\n  preserved across erase:", o);
		for (unsigned i = 0; i < b->npreserve; i++)
			fprintf(o, " %s", b->preserve[i]);
		fputc('\n', o);
	}
	if (b->spi.present) {
		fprintf(o, "\n  companion flash: %s", b->spi.chip[0]);
		for (unsigned i = 1; i < b->spi.nchip; i++)
			fprintf(o, " or %s", b->spi.chip[i]);
		fprintf(o, ", %s %s mode %d, CS %s", b->spi.bus,
			b->spi.peripheral, b->spi.mode, b->spi.cs);
		if (b->spi.size)
			fprintf(o, ", %" PRIu32 " KiB", b->spi.size / 1024);
		fputc('\n', o);
	}
	if (b->nseq)
		fputs("\n  sequences:", o);
	for (unsigned i = 0; i < b->nseq; i++)
		fprintf(o, " %s", b->seq[i].name);
	if (b->nseq)
		fputc('\n', o);
	for (unsigned i = 0; i < b->nrecipe; i++) {
		const struct ub_recipe *r = &b->recipe[i];

		fprintf(o, "\n  recipe %s (over %s): %s\n", r->name,
			ub_iface_name(r->iface >= 0 ? r->iface
						    : ub_ctx_iface(ctx, b)),
			r->desc);
		for (unsigned j = 0; j < r->nstep; j++)
			fprintf(o, "    %2u. %s%s%s\n", j + 1, r->step[j].verb,
				r->step[j].args[0] ? " " : "", r->step[j].args);
	}
	fputs("\n  wiring: 'unbrick wiring -B ", o);
	fprintf(o, "%s'; pins:", b->name);
	for (unsigned i = 0; i < b->npin; i++)
		if (b->pin[i].kind == UB_PIN_LINE)
			fprintf(o, " %s=%s", b->pin[i].role,
				b->pin[i].modem
					? ub_modem_name(
						  b->pin[i].modem,
						  b->pin[i].modem_inverted)
					: ub_pi_pin_name(b->pin[i].pi, pin,
							 sizeof(pin)));
	fputc('\n', o);
}

static void show_json(struct ub_ctx *ctx, const struct ub_board *b)
{
	FILE *o = ctx->out;

	fputs("{\"name\":", o);
	ub_json_str(o, b->name);
	fputs(",\"description\":", o);
	ub_json_str(o, b->desc);
	fprintf(o, ",\"family\":\"%s\",\"dev_id\":", b->family_name);
	if (b->has_dev_id)
		fprintf(o, "%" PRIu32, b->dev_id);
	else
		fputs("null", o);
	fprintf(o, ",\"flash_size\":%" PRIu32 ",\"regions\":[", b->flash_size);
	for (unsigned i = 0; i < b->nregion; i++) {
		const struct ub_region *r = &b->region[i];

		fprintf(o, "%s{\"name\":", i ? "," : "");
		ub_json_str(o, r->name);
		fprintf(o,
			",\"space\":\"%s\",\"address\":%" PRIu32
			",\"size\":%" PRIu32 ",\"description\":",
			r->space == UB_SPACE_SPI ? "spi" : "mcu", r->addr,
			r->size);
		ub_json_str(o, r->desc);
		fputc('}', o);
	}
	fputs("],\"preserve\":[", o);
	for (unsigned i = 0; i < b->npreserve; i++) {
		fputs(i ? "," : "", o);
		ub_json_str(o, b->preserve[i]);
	}
	fputs("]}\n", o);
}

static int run(struct ub_ctx *ctx, int argc, char **argv)
{
	struct ub_board *b;
	int err;

	if (argc > 2)
		return ub_fail(UB_EUSAGE, "boards takes at most one NAME");
	if (argc == 1 && !ctx->board_name)
		return list(ctx);
	if (argc == 2)
		ctx->board_name = argv[1];
	err = ub_ctx_board(ctx, true, &b);
	if (err)
		return err;
	if (ctx->json)
		show_json(ctx, b);
	else
		show_board(ctx, b);
	return 0;
}

const struct ub_cmd ub_cmd_boards = {
	.name = "boards",
	.args = "[NAME|FILE]",
	.summary = "list the board profiles, or show one in detail",
	.help = "Without NAME: one line per profile found in $UNBRICK_BOARDS,\n"
		"~/.config/unbrick/boards, boards/ beside the program and the\n"
		"installed boards directory (the first one found wins). A "
		"profile\n"
		"with an error is reported with file:line and skipped (exit "
		"1).\n"
		"With NAME: the MCU, interfaces, regions, what survives an "
		"erase,\n"
		"the companion flash, sequences and restore recipes.\n",
	.run = run,
};
