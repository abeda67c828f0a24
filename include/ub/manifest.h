/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_MANIFEST_H
#define UB_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ub/board.h"
#include "ub/sha256.h"

/*
 * The manifest of a backup or of a bundle: a small text file a person can
 * read and edit, in the board profiles' syntax (INI-like, '#' comments).
 *
 * A backup, written by 'unbrick backup', describes every file beside it:
 *
 *     [backup]
 *     board = spark-core
 *     variant = Spark Core (STM32F103CB, CC3000 Wi-Fi, 2 MB SST25VF016B)
 *     chip = STM32F10xxx medium-density
 *     dev_id = 0x410
 *     flash_size = 128K
 *     uid = 34FF6D064D4B313432422043
 *     interface = swd
 *     time = 2024-05-01T12:00:00Z
 *     tool = unbrick 0.1.0
 *
 *     [file flash.bin]
 *     space = mcu
 *     range = 0x08000000-0x0801FFFF
 *     size = 131072
 *     crc32 = 0x1C291CA3
 *     sha256 = 5f70bf18a086...
 *
 * A bundle, written by a person, maps the board's regions to files and
 * may leave out every check:
 *
 *     [bundle]
 *     board = spark-core
 *     description = Tinker, with the public cloud's key
 *
 *     [regions]
 *     app = tinker.bin
 *     server-key = cloud_public.der
 *
 * and a [file NAME] section may add checks (size, crc32, sha256) to a
 * file of a bundle. File names are relative to the manifest's directory.
 */
#define UB_MANIFEST_NAME "manifest.txt"
#define UB_MF_MAX_FILES	 32
#define UB_MF_NAME_MAX	 128

enum ub_mf_kind { UB_MF_BACKUP, UB_MF_BUNDLE };

/* Where a file's bytes belong. */
enum ub_mf_space {
	UB_MF_MCU,    /* the MCU's memory (its flash) */
	UB_MF_SPI,    /* the companion SPI flash */
	UB_MF_OPTION, /* the option bytes, as stored */
	UB_MF_UID,    /* the unique ID: read only, for checks */
	UB_MF_NONE,   /* not said: a bundle's region says it */
};

struct ub_mf_file {
	char name[UB_MF_NAME_MAX];
	enum ub_mf_space space;
	bool has_addr, has_size, has_crc, has_sha;
	uint32_t addr, size, crc32;
	uint8_t sha256[UB_SHA256_LEN];
	unsigned line; /* where it was defined, for messages */
};

/* A [regions] line: region = file. */
struct ub_mf_region {
	char name[UB_NAME_MAX];
	unsigned file; /* index in file[] */
	unsigned line;
};

struct ub_manifest {
	enum ub_mf_kind kind;
	char path[4096]; /* the manifest file, for messages */
	char dir[4096];	 /* its directory: file names are relative to it */
	char board[UB_NAME_MAX];
	char variant[UB_TEXT_MAX];
	char description[UB_TEXT_MAX];
	char chip[48];
	bool has_dev_id, has_flash_size, has_uid;
	uint16_t dev_id;
	uint32_t flash_size; /* bytes */
	uint8_t uid[12];
	char iface[8]; /* "swd", "uart" or "" */
	char time[32]; /* UTC, ISO 8601 */
	char tool[32];
	struct ub_mf_file file[UB_MF_MAX_FILES];
	unsigned nfile;
	struct ub_mf_region region[UB_MF_MAX_FILES]; /* [regions] */
	unsigned nregion;
};

const char *ub_mf_space_name(enum ub_mf_space s);

/*
 * Parse a manifest's text; path names it in messages ("path:line: what is
 * wrong", UB_EFORMAT) and gives m->dir.
 */
int ub_manifest_parse(struct ub_manifest *m, const char *text,
		      const char *path);

/* Read DIR/manifest.txt, or the manifest file given. */
int ub_manifest_load(struct ub_manifest *m, const char *dir_or_file);

/* The file of a region (a [regions] line), or NULL. */
const struct ub_mf_file *ub_manifest_region(const struct ub_manifest *m,
					    const char *region);

/* The file named name, or NULL. */
const struct ub_mf_file *ub_manifest_file(const struct ub_manifest *m,
					  const char *name);

/*
 * Write buf into m->dir/name (mode 0600) and add it to m with its range,
 * size, CRC-32 and SHA-256; region, when not NULL, maps that region to
 * it. The file is written beside, synced and renamed.
 */
int ub_manifest_add(struct ub_manifest *m, const char *name, const char *region,
		    enum ub_mf_space space, uint32_t addr, const void *buf,
		    size_t len);

/* The manifest's text (free it). */
char *ub_manifest_format(const struct ub_manifest *m);

/*
 * Write m into m->dir/manifest.txt, last and atomically: a temporary file,
 * fsync, rename, fsync of the directory. Mode 0600.
 */
int ub_manifest_save(const struct ub_manifest *m);

/*
 * A file of the manifest, read whole into *buf (free it) and checked
 * against every check the manifest gives for it: size, CRC-32, SHA-256.
 */
int ub_manifest_read(const struct ub_manifest *m, const struct ub_mf_file *f,
		     uint8_t **buf, size_t *len);

/* Write a file in one go, atomically (temporary, fsync, rename), mode. */
int ub_write_file_atomic(const char *path, const void *buf, size_t len,
			 unsigned mode);

#endif
