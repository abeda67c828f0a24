// SPDX-License-Identifier: GPL-2.0-or-later
/* unbrick restore DIR|MANIFEST: a board written back, with a verdict. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ub/cli.h"
#include "ub/err.h"
#include "ub/log.h"
#include "ub/restore.h"
#include "ub/session.h"

static const char *verb_name(enum ub_rs_verb v)
{
	static const char *const names[] = {
		[UB_RS_CHECK] = "check",	  [UB_RS_BACKUP] = "backup",
		[UB_RS_UNPROTECT] = "unprotect",  [UB_RS_ERASE] = "erase",
		[UB_RS_WRITE] = "write",	  [UB_RS_SET] = "set",
		[UB_RS_PRESERVE] = "preserve",	  [UB_RS_PROTECT] = "protect",
		[UB_RS_OPTIONS] = "option bytes", [UB_RS_VERIFY] = "verify",
		[UB_RS_SEQUENCE] = "sequence",	  [UB_RS_RESET] = "reset",
	};

	return names[v];
}

/* "verified, written", "skipped: not in the bundle"... */
static void result_text(const struct ub_rs_piece *p, char *buf, size_t n)
{
	const char *res = ub_rs_result_name(p->result);

	if (p->result == UB_RS_VERIFIED)
		snprintf(buf, n, "%s, %s", res,
			 p->preserved ? "kept"
			 : p->changed ? "written"
				      : "unchanged");
	else if (p->note[0])
		snprintf(buf, n, "%s: %s", res, p->note);
	else
		snprintf(buf, n, "%s", res);
}

static void uid_hex(const struct ub_session *s, char out[25])
{
	for (int i = 0; i < 12; i++)
		snprintf(out + 2 * i, 3, "%02X", s->t->info.uid[i]);
}

static void show_json(FILE *o, const struct ub_restore *r, int err)
{
	char uid[25], res[300];
	bool first = true;

	uid_hex(r->s, uid);
	fputs("{\"board\":", o);
	ub_json_str(o, r->s->board->name);
	fputs(",\"from\":", o);
	ub_json_str(o, r->m->path);
	fprintf(o, ",\"kind\":\"%s\",\"ok\":%s,\"device_id\":\"%s\"",
		r->from_backup ? "backup" : "bundle", err ? "false" : "true",
		uid);
	fputs(",\"backup\":", o);
	ub_json_str(o, r->backup_dir);
	fputs(",\"regions\":[", o);
	for (unsigned st = 0; st < r->nstep; st++)
		for (unsigned i = 0; i < r->npiece; i++) {
			const struct ub_rs_piece *p = &r->piece[i];

			if (p->order != st)
				continue;
			result_text(p, res, sizeof(res));
			fprintf(o, "%s{\"region\":", first ? "" : ",");
			ub_json_str(o, p->name);
			fprintf(o,
				",\"space\":\"%s\",\"address\":%" PRIu32
				",\"bytes\":%" PRIu32 ",\"result\":\"%s\","
				"\"changed\":%s,\"detail\":",
				p->space == UB_SPACE_SPI ? "spi" : "mcu",
				p->addr, p->len, ub_rs_result_name(p->result),
				p->changed ? "true" : "false");
			ub_json_str(o, res);
			fputc('}', o);
			first = false;
		}
	fputs("]}\n", o);
}

/* The verdict table: region, bytes, result; then what to do. */
static void show(struct ub_ctx *ctx, const struct ub_restore *r, int err)
{
	FILE *o = ctx->out;
	unsigned ok = 0, bad = 0;
	char res[300], uid[25];

	if (ctx->json) {
		show_json(o, r, err);
		return;
	}
	fprintf(o, "\n%-16s %9s  %s\n", "region", "bytes", "result");
	for (unsigned st = 0; st < r->nstep; st++)
		for (unsigned i = 0; i < r->npiece; i++) {
			const struct ub_rs_piece *p = &r->piece[i];

			if (p->order != st)
				continue;
			result_text(p, res, sizeof(res));
			fprintf(o, "%-16s %9" PRIu32 "  %s\n", p->name, p->len,
				res);
			ok += p->result == UB_RS_VERIFIED;
			bad += p->result == UB_RS_FAILED;
		}
	for (unsigned i = 0; i < r->nwarn; i++)
		fprintf(o, "warning: %s\n", r->warnings[i]);
	if (!err) {
		fprintf(o, "restore of %s: SUCCESS, %u region%s verified\n",
			r->s->board->name, ok, ok == 1 ? "" : "s");
	} else if (r->failed_step >= 0) {
		const struct ub_rs_step *st = &r->step[r->failed_step];

		fprintf(o, "restore of %s: FAILED at step %d (%s%s%s)",
			r->s->board->name, r->failed_step + 1,
			verb_name(st->verb), st->arg[0] ? " " : "", st->arg);
		if (st->line)
			fprintf(o, ", line %u of the profile", st->line);
		fputs(".\nRun the same restore again to finish it", o);
		if (r->backup_dir[0])
			fprintf(o, "; the backup made first is in %s",
				r->backup_dir);
		fputs(".\n", o);
	} else {
		fprintf(o, "restore of %s: nothing was changed\n",
			r->s->board->name);
	}
	(void)bad;
	uid_hex(r->s, uid);
	fprintf(o, "device ID %s (the chip's UID)\n", uid);
}

/* The interface the recipe names, unless -I says otherwise. */
static void recipe_iface(struct ub_ctx *ctx, const struct ub_restore *r)
{
	if (ctx->iface < 0 && r->recipe && r->recipe->iface >= 0)
		ctx->iface = r->recipe->iface;
}

static int restore(struct ub_ctx *ctx, const struct ub_manifest *m)
{
	struct ub_restore *r = calloc(1, sizeof(*r));
	struct ub_session s;
	struct ub_board *b;
	int err;

	if (!r)
		return ub_fail(UB_ENOMEM, "out of memory");
	if (!ctx->board_name)
		ctx->board_name = m->board;
	err = ub_ctx_board(ctx, true, &b);
	if (err == UB_ENOENT && ctx->board_name == m->board)
		err = ub_fail(err,
			      "%s is for board %s, and there is no such "
			      "profile (see 'unbrick boards'): %s",
			      m->path, m->board, ub_errmsg(err));
	if (!err)
		err = ub_restore_plan(r, ctx, m, b);
	if (!err) {
		recipe_iface(ctx, r);
		err = ub_session_open(ctx, &s);
	}
	if (!err) {
		r->s = &s;
		ub_log(UB_LOG_NORMAL, "restoring %s from %s %s", b->name,
		       r->from_backup ? "the backup" : "the bundle", m->path);
		err = ub_restore_run(r);
		show(ctx, r, err);
		ub_session_close(&s, !err && !r->reset_done);
	}
	ub_restore_free(r);
	free(r);
	return err;
}

static int run(struct ub_ctx *ctx, int argc, char **argv)
{
	struct ub_manifest *m;
	int err;

	if (argc != 2)
		return ub_fail(UB_EUSAGE, "restore needs a backup's DIR or a "
					  "bundle's MANIFEST");
	m = calloc(1, sizeof(*m));
	if (!m)
		return ub_fail(UB_ENOMEM, "out of memory");
	err = ub_manifest_load(m, argv[1]);
	if (!err)
		err = restore(ctx, m);
	free(m);
	return ub_cli_failed(ctx, err);
}

const struct ub_cmd ub_cmd_restore = {
	.name = "restore",
	.args = "DIR|MANIFEST",
	.summary = "write a board back from a backup or a bundle",
	.help = "DIR: a directory made by 'unbrick backup': everything in it "
		"is\n"
		"written back (flash, companion flash, write protection).\n"
		"MANIFEST: a bundle, a manifest that maps the board's regions\n"
		"to files ([regions] app = tinker.bin); the profile's [recipe\n"
		"restore] says what is done, in order: check the chip is the\n"
		"one the bundle is for (-y overrides, with a warning), back\n"
		"up (--no-backup skips it), remove protection, write each\n"
		"region (a file shorter than its region is padded with 0xFF),\n"
		"put back the profile's preserve list (licence, keys), the\n"
		"profile's post steps, protection, verify, reset. Ends with a\n"
		"verdict: region, bytes, result, and the chip's UID. If it is\n"
		"interrupted, run it again: it finishes the job. Example:\n"
		"  unbrick restore ~/bundles/spark-core-tinker/manifest.txt\n",
	.run = run,
};
