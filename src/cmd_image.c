// SPDX-License-Identifier: GPL-2.0-or-later
/* unbrick image info FILE[@WHERE]...: what an image file holds. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ub/addr.h"
#include "ub/cli.h"
#include "ub/crc32.h"
#include "ub/err.h"
#include "ub/image.h"

/* The regions of the board a segment touches, for the human listing. */
static void regions_of(const struct ub_board *b, const struct ub_segment *s,
		       enum ub_space space, char *buf, size_t n)
{
	uint64_t end = (uint64_t)s->addr + s->size;

	buf[0] = '\0';
	for (unsigned i = 0; b && i < b->nregion; i++) {
		const struct ub_region *r = &b->region[i];

		if (r->space == space && r->addr < end &&
		    s->addr < (uint64_t)r->addr + r->size)
			snprintf(buf + strlen(buf), n - strlen(buf), "%s%s",
				 buf[0] ? ", " : "", r->name);
	}
}

static void show_text(struct ub_ctx *ctx, const char *path,
		      const struct ub_image *img, const struct ub_board *b,
		      enum ub_space space)
{
	FILE *o = ctx->out;
	char regions[160];

	fprintf(o, "%s: %s", path, ub_image_format_desc(img->format));
	if (img->has_entry)
		fprintf(o, ", entry 0x%08" PRIX32, img->entry);
	fputc('\n', o);
	fprintf(o, "  %-14s %-14s %10s  %s\n", "start", "end", "size",
		b ? "crc32       regions" : "crc32");
	for (size_t i = 0; i < img->nseg; i++) {
		const struct ub_segment *s = &img->seg[i];

		const char *pre = space == UB_SPACE_SPI ? "spi:" : "";
		char start[24], end[24];

		regions_of(b, s, space, regions, sizeof(regions));
		snprintf(start, sizeof(start), "%s0x%08" PRIX32, pre, s->addr);
		snprintf(end, sizeof(end), "%s0x%08" PRIX32, pre,
			 (uint32_t)(s->addr + s->size - 1));
		fprintf(o, "  %-14s %-14s %10" PRIu32 "  0x%08" PRIx32 "%s%s\n",
			start, end, s->size, ub_crc32(0, s->data, s->size),
			regions[0] ? "  " : "", regions);
	}
	fprintf(o, "  %" PRIu64 " bytes in %zu segment%s\n", ub_image_size(img),
		img->nseg, img->nseg == 1 ? "" : "s");
}

static void show_json(struct ub_ctx *ctx, const struct ub_image *img)
{
	FILE *o = ctx->out;

	fprintf(o, "{\"format\":\"%s\",\"entry\":",
		ub_image_format_name(img->format));
	if (img->has_entry)
		fprintf(o, "%" PRIu32, img->entry);
	else
		fputs("null", o);
	fputs(",\"segments\":[", o);
	for (size_t i = 0; i < img->nseg; i++)
		fprintf(o,
			"%s{\"address\":%" PRIu32 ",\"size\":%" PRIu32
			",\"crc32\":\"0x%08" PRIx32 "\"}",
			i ? "," : "", img->seg[i].addr, img->seg[i].size,
			ub_crc32(0, img->seg[i].data, img->seg[i].size));
	fputs("]}\n", o);
}

static int info_one(struct ub_ctx *ctx, const struct ub_board *b,
		    const char *arg)
{
	struct ub_image img;
	struct ub_where w;
	char name[4096];
	bool placed;
	int err;

	err = ub_cli_load_image(b, arg, &img, &w, &placed);
	if (err)
		return err;
	/* the file's name, without the @WHERE that placed it */
	snprintf(name, sizeof(name), "%.*s",
		 placed ? (int)(strrchr(arg, '@') - arg) : (int)strlen(arg),
		 arg);
	if (ctx->json)
		show_json(ctx, &img);
	else
		show_text(ctx, name, &img, b, placed ? w.space : UB_SPACE_MCU);
	ub_image_free(&img);
	return 0;
}

static int run(struct ub_ctx *ctx, int argc, char **argv)
{
	struct ub_board *b;
	int err;

	if (argc < 2 || strcmp(argv[1], "info"))
		return ub_fail(UB_EUSAGE, "image takes a subcommand: "
					  "'unbrick image info FILE'");
	if (argc < 3)
		return ub_fail(UB_EUSAGE, "image info needs a FILE");
	err = ub_ctx_board(ctx, false, &b);
	if (err)
		return err;
	for (int i = 2; i < argc; i++) {
		err = info_one(ctx, b, argv[i]);
		if (err)
			return err;
	}
	return 0;
}

const struct ub_cmd ub_cmd_image = {
	.name = "image",
	.args = "info FILE[@WHERE]...",
	.summary = "show what an image file holds: format, entry, segments",
	.help = "Reads raw binary, Intel HEX, Motorola S-records and ELF32 "
		"ARM\n"
		"executables (placed at their load addresses, as a flash\n"
		"programmer writes them). The format comes from the extension\n"
		"(.bin .hex .srec .s19 .elf ...) or else from the contents.\n"
		"A raw binary goes to 0x08000000 unless placed: "
		"fw.bin@0x08005000,\n"
		"keys.der@spi:0x1000, or fw.bin@app with -B BOARD.\n"
		"\nFor each segment: start, end, size and CRC-32 (as zlib), "
		"and\n"
		"with -B the board regions it touches. --json prints one "
		"line:\n"
		"{\"format\":\"ihex\",\"entry\":null,\"segments\":[{"
		"\"address\":"
		"134217728,\n\"size\":1024,\"crc32\":\"0x1c291ca3\"}]}\n",
	.run = run,
};
