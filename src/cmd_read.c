// SPDX-License-Identifier: GPL-2.0-or-later
/* unbrick read [WHERE[:LEN]] FILE: save memory to a raw binary file. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ub/cli.h"
#include "ub/err.h"
#include "ub/log.h"
#include "ub/ops.h"
#include "ub/session.h"

static int save(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t w;

	if (fd < 0)
		return ub_fail(UB_EIO, "cannot create %s: %s", path,
			       strerror(errno));
	w = write(fd, buf, len);
	if (close(fd) || w != (ssize_t)len)
		return ub_fail(UB_EIO, "cannot write %s: %s", path,
			       w < 0 ? strerror(errno) : "disk full?");
	return 0;
}

/* The length when WHERE gave none: the whole flash, or the whole chip. */
static int whole(const struct ub_session *s, struct ub_where *w)
{
	bool spi = w->space == UB_SPACE_SPI;

	if (w->has_len)
		return 0;
	if (!spi && !strcmp(w->region, "flash")) {
		w->len = s->t->info.flash_size;
		return 0;
	}
	if (spi && !strcmp(w->region, "spi")) {
		w->len = s->nor.chip.size;
		return 0;
	}
	return ub_fail(UB_EUSAGE, "how much? Give WHERE:LEN, such as %s",
		       spi ? "spi:0x1000:4K" : "0x08000000:1K");
}

static int run(struct ub_ctx *ctx, int argc, char **argv)
{
	const char *where = argc == 3 ? argv[1] : "flash";
	struct ub_session s;
	struct ub_board *b;
	struct ub_where w;
	struct ub_nor *nor;
	uint8_t *buf = NULL;
	int err;

	if (argc < 2 || argc > 3)
		return ub_fail(UB_EUSAGE, "read takes [WHERE[:LEN]] FILE");
	err = ub_ctx_board(ctx, true, &b);
	if (!err)
		err = ub_where_parse(where, b, &w);
	if (!err)
		err = ub_cli_open(ctx, &s,
				  w.space == UB_SPACE_SPI ? UB_SPACES_SPI
							  : UB_SPACES_MCU,
				  &nor);
	if (err)
		return err;
	err = whole(&s, &w);
	if (!err && w.space == UB_SPACE_SPI &&
	    (uint64_t)w.addr + w.len > nor->chip.size)
		err = ub_fail(UB_ERANGE,
			      "spi:0x%X:%u goes past the end of the %s (%u KB)",
			      w.addr, w.len, nor->chip.name,
			      nor->chip.size / 1024);
	buf = err ? NULL : malloc(w.len ? w.len : 1);
	if (!err && !buf)
		err = ub_fail(UB_ENOMEM, "out of memory");
	if (!err)
		err = w.space == UB_SPACE_SPI
			      ? ub_nor_read(nor, w.addr, buf, w.len)
			      : ub_op_read(s.t, w.addr, buf, w.len);
	if (!err)
		err = save(argv[argc - 1], buf, w.len);
	if (!err)
		ub_log(UB_LOG_NORMAL, "read %u bytes from %s0x%08X into %s",
		       w.len, w.space == UB_SPACE_SPI ? "spi:" : "", w.addr,
		       argv[argc - 1]);
	free(buf);
	ub_session_close(&s, true);
	return err;
}

const struct ub_cmd ub_cmd_read = {
	.name = "read",
	.args = "[WHERE[:LEN]] FILE",
	.summary = "save memory (the whole flash by default) to a file",
	.help = "WHERE is an address (0x08000000, spi:0x1000), a region of\n"
		"the board (bootloader, app, server-key) or flash, option, "
		"spi\n"
		"(the whole companion flash); :LEN gives a length. Examples:\n"
		"  unbrick -B spark-core read dump.bin\n"
		"  unbrick -B spark-core read bootloader boot.bin\n"
		"  unbrick -B stm32f1 read 0x08000000:4K head.bin\n"
		"  unbrick -B spark-core read spi spi.bin\n"
		"  unbrick -B spark-core read server-key key.der\n",
	.run = run,
};
