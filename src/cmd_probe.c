// SPDX-License-Identifier: GPL-2.0-or-later
/* unbrick probe: identify the chip and say what protects it. */
#include <stdio.h>

#include "ub/cli.h"
#include "ub/err.h"
#include "ub/session.h"

/* Print the write-protected pages as ranges. */
static void protected_ranges(FILE *o, const struct ub_target *t)
{
	const struct ub_target_info *in = &t->info;
	uint32_t pages = in->flash_size / in->page_size, start = 0;
	int any = 0;

	for (uint32_t p = 0; p <= pages; p++) {
		uint32_t addr = in->flash_base + p * in->page_size;
		int prot = p < pages && ub_target_page_protected(t, addr);

		if (prot &&
		    (!p || !ub_target_page_protected(t, addr - in->page_size)))
			start = p;
		if (!prot && p &&
		    ub_target_page_protected(t, addr - in->page_size)) {
			fprintf(o, "%s pages %u-%u (0x%08X-0x%08X)",
				any++ ? "," : "", start, p - 1,
				in->flash_base + start * in->page_size,
				addr - 1);
		}
	}
	fputs(any ? "\n" : " none\n", o);
}

static void show_text(FILE *o, const struct ub_session *s)
{
	const struct ub_target_info *in = &s->t->info;

	if (s->ser)
		fprintf(o, "%s: %s (DEV_ID 0x%03X)\n", s->board->name, in->name,
			in->dev_id);
	else
		fprintf(o, "%s: %s (DEV_ID 0x%03X, revision 0x%04X)\n",
			s->board->name, in->name, in->dev_id, in->rev_id);
	fprintf(o, "  flash      %u KB in %u-byte pages at 0x%08X\n",
		in->flash_size / 1024, in->page_size, in->flash_base);
	fprintf(o, "  RAM        %u KB at 0x%08X\n", in->ram_size / 1024,
		in->ram_base);
	fputs("  UID        ", o);
	for (int i = 0; i < 12 && !(s->ser && in->rdp); i++)
		fprintf(o, "%02X", in->uid[i]);
	if (s->ser && in->rdp)
		fputs("unknown (readout protection)", o);
	fprintf(o, "\n  readout    %s\n",
		in->rdp ? "PROTECTED (RDP): the flash cannot be read"
			: "not protected");
	fputs("  write-protected:", o);
	if (s->ser && in->rdp)
		fputs(" unknown (readout protection)\n", o);
	else
		protected_ranges(o, s->t);
	if (s->ser)
		fprintf(o,
			"  connected  over the UART bootloader v%u.%u, %s at "
			"%u baud\n",
			s->bl.version >> 4, s->bl.version & 15, s->ser->name,
			s->ser->baud);
	else
		fprintf(o, "  connected  over SWD%s\n",
			s->under_reset ? ", under reset" : "");
}

static void show_json(FILE *o, const struct ub_session *s)
{
	const struct ub_target_info *in = &s->t->info;

	fputs("{\"board\":", o);
	ub_json_str(o, s->board->name);
	fputs(",\"chip\":", o);
	ub_json_str(o, in->name);
	fprintf(o,
		",\"dev_id\":%u,\"rev_id\":%u,\"flash_base\":%u,"
		"\"flash_size\":%u,\"page_size\":%u,\"ram_size\":%u,\"uid\":\"",
		in->dev_id, in->rev_id, in->flash_base, in->flash_size,
		in->page_size, in->ram_size);
	for (int i = 0; i < 12; i++)
		fprintf(o, "%02X", in->uid[i]);
	fprintf(o, "\",\"rdp\":%s,\"wrpr\":%u,\"under_reset\":%s",
		in->rdp ? "true" : "false", in->wrp,
		s->under_reset ? "true" : "false");
	fprintf(o, ",\"interface\":\"%s\"", ub_iface_name(s->iface));
	if (s->ser) {
		fputs(",\"port\":", o);
		ub_json_str(o, s->ser->name);
		fprintf(o, ",\"baud\":%u,\"bootloader\":%u", s->ser->baud,
			s->bl.version);
	}
}

/* The companion flash, when the board has one: found, or why not. */
static int probe_spi(struct ub_session *s, char *line, size_t n)
{
	struct ub_nor *nor;
	int err;

	if (!s->board->spi.present && !s->ctx->spi_bus)
		return 1;
	err = ub_session_spi(s, &nor);
	if (err)
		snprintf(line, n, "%s", ub_errmsg(err));
	else
		ub_nor_describe(nor, line, n);
	ub_clear_error();
	return err;
}

static void show_spi(struct ub_ctx *ctx, struct ub_session *s)
{
	char line[256];
	int err = probe_spi(s, line, sizeof(line));

	if (err > 0)
		return;
	if (!ctx->json) {
		fprintf(ctx->out, "  spi flash  %s%s\n",
			err ? "NOT FOUND: " : "", line);
		return;
	}
	fputs(",\"spi\":{", ctx->out);
	if (err) {
		fputs("\"error\":", ctx->out);
		ub_json_str(ctx->out, line);
	} else {
		fputs("\"chip\":", ctx->out);
		ub_json_str(ctx->out, s->nor.chip.name);
		fprintf(ctx->out,
			",\"jedec\":\"%06X\",\"size\":%u,\"status\":%u,"
			"\"protected\":%s,\"wp_locked\":%s,\"sfdp\":%s",
			s->nor.jedec, s->nor.chip.size, s->nor.status,
			s->nor.protected_ ? "true" : "false",
			s->nor.wp_locked ? "true" : "false",
			s->nor.from_sfdp ? "true" : "false");
		fputs(",\"description\":", ctx->out);
		ub_json_str(ctx->out, line);
	}
	fputc('}', ctx->out);
}

static int run(struct ub_ctx *ctx, int argc, char **argv)
{
	struct ub_session s;
	int err;

	(void)argv;
	if (argc > 1)
		return ub_fail(UB_EUSAGE, "probe takes no arguments");
	err = ub_session_open(ctx, &s);
	if (err)
		return err;
	if (ctx->json)
		show_json(ctx->out, &s);
	else
		show_text(ctx->out, &s);
	show_spi(ctx, &s);
	if (ctx->json)
		fputs("}\n", ctx->out);
	ub_session_close(&s, true);
	return 0;
}

const struct ub_cmd ub_cmd_probe = {
	.name = "probe",
	.args = "-B BOARD",
	.summary = "identify the chip: name, flash, RAM, UID, protection",
	.help = "Connects (over SWD under reset when NRST is wired; over\n"
		"the UART after BOOT0 high and a reset), reads the chip's\n"
		"identity and protection, and leaves it running. When\n"
		"nothing answers it says which wiring mistake is likely.\n"
		"On a board with a companion SPI flash it also reads the\n"
		"flash's JEDEC ID: chip, size and block protection.\n",
	.run = run,
};
