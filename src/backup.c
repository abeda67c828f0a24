// SPDX-License-Identifier: GPL-2.0-or-later
/* A backup of the board before anything destructive (ub/backup.h). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ub/backup.h"
#include "ub/err.h"
#include "ub/manifest.h"
#include "ub/ops.h"
#include "ub/spinor.h"
#include "ub/stm32f1.h"

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

int ub_backup_base(char *buf, size_t n)
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
	if (mkdirs(buf))
		return ub_fail(UB_EIO,
			       "cannot create the backup directory %s: %s "
			       "(set UNBRICK_BACKUPS to put backups elsewhere)",
			       buf, strerror(errno));
	return 0;
}

/* Can the UID be trusted? Over the ROM bootloader, readout protection
 * hides it (the driver leaves zeros). */
/* A session with the companion flash alone (a clip) knows no chip. */
static const struct ub_target_info no_chip = {.name = "not connected"};

static const struct ub_target_info *info_of(const struct ub_backup_src *src)
{
	return src->t ? &src->t->info : &no_chip;
}

static bool uid_known(const struct ub_target_info *in)
{
	if (in == &no_chip)
		return false;
	for (int i = 0; i < 12; i++)
		if (in->uid[i])
			return true;
	return !in->rdp;
}

/* A new directory under the base: BOARD-UID-TIME, -2, -3... when two
 * backups fall in the same second. */
static int new_dir(const struct ub_backup_src *src, char *out, size_t n)
{
	const struct ub_target_info *in = info_of(src);
	char base[3800], uid[25] = "no-uid", stamp[32], path[4096];
	time_t now = time(NULL);
	struct tm tm;

	if (uid_known(in))
		for (int i = 0; i < 12; i++)
			snprintf(uid + 2 * i, 3, "%02X", in->uid[i]);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime_r(&now, &tm));
	if (ub_backup_base(base, sizeof(base)))
		return UB_EIO;
	for (int i = 1; i < 100; i++) {
		if (i == 1)
			snprintf(path, sizeof(path), "%s/%s-%s-%s", base,
				 src->b->name, uid, stamp);
		else
			snprintf(path, sizeof(path), "%s/%s-%s-%s-%d", base,
				 src->b->name, uid, stamp, i);
		if (!mkdir(path, 0700)) {
			snprintf(out, n, "%s", path);
			return 0;
		}
		if (errno != EEXIST)
			break;
	}
	return ub_fail(UB_EIO, "cannot create a backup directory in %s: %s",
		       base, strerror(errno));
}

/* A directory the user named: made when missing, refused when it holds
 * anything (it would mix two backups). */
static int given_dir(const char *dir, char *out, size_t n)
{
	char path[4096];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "%s", dir);
	if (mkdirs(path))
		return ub_fail(UB_EIO, "cannot create %s: %s", dir,
			       strerror(errno));
	d = opendir(path);
	if (!d)
		return ub_fail(UB_EIO, "cannot open %s: %s", dir,
			       strerror(errno));
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			break;
	closedir(d);
	if (e)
		return ub_fail(UB_EUSAGE,
			       "%s is not empty: give a new directory, so that "
			       "no earlier backup is overwritten",
			       dir);
	chmod(path, 0700); /* it will hold keys */
	snprintf(out, n, "%s", path);
	return 0;
}

static void header(struct ub_manifest *m, const struct ub_backup_src *src)
{
	const struct ub_target_info *in = info_of(src);
	time_t now = time(NULL);
	struct tm tm;

	m->kind = UB_MF_BACKUP;
	snprintf(m->board, sizeof(m->board), "%s", src->b->name);
	snprintf(m->variant, sizeof(m->variant), "%s", src->b->desc);
	snprintf(m->chip, sizeof(m->chip), "%s", in->name);
	m->has_dev_id = src->t != NULL;
	m->dev_id = in->dev_id;
	m->has_flash_size = src->t != NULL;
	m->flash_size = in->flash_size;
	m->has_uid = uid_known(in);
	memcpy(m->uid, in->uid, sizeof(m->uid));
	if (src->iface >= 0)
		snprintf(m->iface, sizeof(m->iface), "%s",
			 ub_iface_name(src->iface));
	strftime(m->time, sizeof(m->time), "%Y-%m-%dT%H:%M:%SZ",
		 gmtime_r(&now, &tm));
	snprintf(m->tool, sizeof(m->tool), "unbrick %s", UB_VERSION);
}

static int save_flash(struct ub_manifest *m, struct ub_target *t)
{
	const struct ub_target_info *in = &t->info;
	uint8_t *buf;
	int err;

	if (in->rdp)
		return 0; /* nothing can be read: option.bin says why */
	buf = malloc(in->flash_size);
	if (!buf)
		return ub_fail(UB_ENOMEM, "out of memory");
	err = ub_op_read(t, in->flash_base, buf, in->flash_size);
	if (!err)
		err = ub_manifest_add(m, "flash.bin", NULL, UB_MF_MCU,
				      in->flash_base, buf, in->flash_size);
	free(buf);
	return err;
}

static int save_spi(struct ub_manifest *m, struct ub_nor *nor)
{
	uint32_t size = nor->chip.size;
	uint8_t *buf = malloc(size ? size : 1);
	int err;

	if (!buf)
		return ub_fail(UB_ENOMEM, "out of memory");
	err = ub_nor_read(nor, 0, buf, size);
	if (err)
		err = ub_fail(err, "reading the companion flash %s: %s",
			      nor->chip.name, ub_errmsg(err));
	if (!err)
		err = ub_manifest_add(m, "spi.bin", NULL, UB_MF_SPI, 0, buf,
				      size);
	free(buf);
	return err;
}

int ub_backup_save(const struct ub_backup_src *src, const char *dir, char *out,
		   size_t n)
{
	const struct ub_target_info *in = info_of(src);
	struct ub_manifest *m = calloc(1, sizeof(*m));
	int err;

	if (!m)
		return ub_fail(UB_ENOMEM, "out of memory");
	err = dir && *dir ? given_dir(dir, out, n) : new_dir(src, out, n);
	if (err)
		goto free_manifest;
	snprintf(m->dir, sizeof(m->dir), "%s", out);
	header(m, src);
	err = src->t ? save_flash(m, src->t) : 0;
	if (!err && src->t)
		err = ub_manifest_add(m, "option.bin", NULL, UB_MF_OPTION,
				      in->option_base, in->option,
				      sizeof(in->option));
	if (!err && m->has_uid)
		err = ub_manifest_add(m, "uid.bin", NULL, UB_MF_UID, UB_F1_UID,
				      in->uid, sizeof(in->uid));
	if (!err && src->nor)
		err = save_spi(m, src->nor);
	if (!err)
		err = ub_manifest_save(m);
free_manifest:
	free(m);
	return err;
}

int ub_backup_chip(struct ub_target *t, const struct ub_board *b, char *dir,
		   size_t n)
{
	struct ub_backup_src src = {.t = t, .b = b, .iface = -1};

	return ub_backup_save(&src, NULL, dir, n);
}
