// SPDX-License-Identifier: GPL-2.0-or-later
/* A backup of the chip before anything destructive. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ub/backup.h"
#include "ub/err.h"
#include "ub/ops.h"

static int mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(path, 0700) && errno != EEXIST ? -1 : 0;
}

static int save(const char *dir, const char *name, const void *buf, size_t len)
{
	char path[4200], tmp[4300];
	int fd;
	ssize_t w;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return ub_fail(UB_EIO, "cannot write the backup %s: %s", tmp,
			       strerror(errno));
	w = write(fd, buf, len);
	if (w != (ssize_t)len || fsync(fd)) {
		close(fd);
		unlink(tmp);
		return ub_fail(UB_EIO, "cannot write the backup %s: %s", tmp,
			       w < 0 ? strerror(errno) : "disk full?");
	}
	close(fd);
	if (rename(tmp, path))
		return ub_fail(UB_EIO, "cannot write the backup %s: %s", path,
			       strerror(errno));
	return 0;
}

static void base_dir(char *buf, size_t n)
{
	const char *env = getenv("UNBRICK_BACKUPS");
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");

	if (env && *env)
		snprintf(buf, n, "%s", env);
	else if (xdg && *xdg)
		snprintf(buf, n, "%s/unbrick/backups", xdg);
	else
		snprintf(buf, n, "%s/.local/state/unbrick/backups",
			 home && *home ? home : "/tmp");
}

int ub_backup_chip(struct ub_target *t, const struct ub_board *b, char *dir,
		   size_t n)
{
	const struct ub_target_info *in = &t->info;
	char base[3800], uid[25], stamp[32], info[1024];
	time_t now = time(NULL);
	uint8_t *flash = NULL;
	int err = 0;

	for (int i = 0; i < 12; i++)
		snprintf(uid + 2 * i, 3, "%02X", in->uid[i]);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&now));
	base_dir(base, sizeof(base));
	snprintf(dir, n, "%s/%s-%s-%s", base, b->name, uid, stamp);
	if (mkdirs(dir))
		return ub_fail(UB_EIO,
			       "cannot create the backup directory %s: "
			       "%s",
			       dir, strerror(errno));
	if (!in->rdp) {
		flash = malloc(in->flash_size);
		if (!flash)
			return ub_fail(UB_ENOMEM, "out of memory");
		err = ub_op_read(t, in->flash_base, flash, in->flash_size);
		if (!err)
			err = save(dir, "flash.bin", flash, in->flash_size);
		free(flash);
	}
	if (!err)
		err = save(dir, "option.bin", in->option, sizeof(in->option));
	snprintf(info, sizeof(info),
		 "board %s\nchip %s\ndev_id 0x%03X\nrev_id 0x%04X\nuid %s\n"
		 "flash 0x%08X %u\noption 0x%08X 16\nreadout_protected %s\n"
		 "time %s\n",
		 b->name, in->name, in->dev_id, in->rev_id, uid, in->flash_base,
		 in->flash_size, in->option_base, in->rdp ? "yes" : "no",
		 stamp);
	if (!err)
		err = save(dir, "info.txt", info, strlen(info));
	return err;
}
