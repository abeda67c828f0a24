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

static int run(struct ub_ctx *ctx, int argc, char **argv)
{
	const char *where = argc == 3 ? argv[1] : "flash";
	struct ub_session s;
	struct ub_where w;
	uint8_t *buf;
	int err;

	if (argc < 2 || argc > 3)
		return ub_fail(UB_EUSAGE, "read takes [WHERE[:LEN]] FILE");
	err = ub_session_open(ctx, &s);
	if (err)
		return err;
	err = ub_where_parse(where, s.board, &w);
	if (!err && w.space != UB_SPACE_MCU)
		err = ub_fail(UB_EUNSUPPORTED, "reading the companion flash "
					       "is not supported yet");
	if (!err && !w.has_len) {
		if (!strcmp(w.region, "flash"))
			w.len = s.t->info.flash_size;
		else
			err = ub_fail(UB_EUSAGE, "how much? Give WHERE:LEN, "
						 "such as 0x08000000:1K");
	}
	buf = err ? NULL : malloc(w.len);
	if (!err && !buf)
		err = ub_fail(UB_ENOMEM, "out of memory");
	if (!err)
		err = ub_op_read(s.t, w.addr, buf, w.len);
	if (!err)
		err = save(argv[argc - 1], buf, w.len);
	if (!err)
		ub_log(UB_LOG_NORMAL, "read %u bytes from 0x%08X into %s",
		       w.len, w.addr, argv[argc - 1]);
	free(buf);
	ub_session_close(&s, true);
	return err;
}

const struct ub_cmd ub_cmd_read = {
	.name = "read",
	.args = "[WHERE[:LEN]] FILE",
	.summary = "save memory (the whole flash by default) to a file",
	.help = "WHERE is an address, a region of the board (bootloader, app)\n"
		"or flash, option; :LEN gives a length. Examples:\n"
		"  unbrick -B spark-core read dump.bin\n"
		"  unbrick -B spark-core read bootloader boot.bin\n"
		"  unbrick -B stm32f1 read 0x08000000:4K head.bin\n",
	.run = run,
};
