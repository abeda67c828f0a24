// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Settings ("key=value"), the state directory that makes a virtual board
 * persist across processes, and the session report.
 *
 * A state directory holds:
 *   flash.bin    the main flash, raw, exactly the chip's flash size
 *   option.bin   the 16 option bytes as at 0x1FFFF800
 *   board.json   {"variant":"cb","chip":"STM32F103CB","uid":"<24 hex>"}
 *   .lock        flock()ed by the process that has the board open
 * Every file is optional when loading (a directory seeded with a flash.bin
 * alone is fine); saving writes all three, each to a temporary in the same
 * directory that is synced and renamed over the old one.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ub/num.h"
#include "vb.h"

void vb_settings_default(struct vb_settings *s)
{
	static const uint8_t uid[12] = {0x34, 0xFF, 0x6D, 0x06, 0x4D, 0x4B,
					0x31, 0x34, 0x32, 0x42, 0x20, 0x43};

	memset(s, 0, sizeof(*s));
	s->variant = VB_CB;
	s->swclk_hz = 1000000;
	s->clip_hz = 1000000;
	s->cpu_hz = 8000000;
	s->prog_ns = 52500;
	s->page_erase_us = 30000;
	s->mass_erase_us = 30000;
	s->hse_hz = 8000000;
	/* unset: from the profile (vb_spi_board_new), else none */
	s->spi_chip = s->spi_bus = -1;
	s->spi_cs = s->spi_other_cs = -2;
	memcpy(s->uid, uid, sizeof(uid));
}

static const char *const variant_name[] = {
	[VB_CB] = "cb",
	[VB_VC] = "vc",
	[VB_VE] = "ve",
};

static int parse_variant(const char *v, enum vb_variant *out)
{
	for (unsigned i = 0; i < 3; i++)
		if (!strcasecmp(v, variant_name[i])) {
			*out = (enum vb_variant)i;
			return 0;
		}
	return -1;
}

static int parse_uid(const char *v, uint8_t *uid)
{
	uint8_t b[12];

	if (strlen(v) != 24)
		return -1;
	for (int i = 0; i < 24; i++)
		if (!isxdigit((unsigned char)v[i]))
			return -1;
	for (int i = 0; i < 12; i++) {
		char hex[3] = {v[2 * i], v[2 * i + 1], 0};

		b[i] = (uint8_t)strtoul(hex, NULL, 16);
	}
	memcpy(uid, b, sizeof(b));
	return 0;
}

static int parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "1") || !strcasecmp(v, "yes") ||
	    !strcasecmp(v, "true")) {
		*out = true;
	} else if (!strcmp(v, "0") || !strcasecmp(v, "no") ||
		   !strcasecmp(v, "false")) {
		*out = false;
	} else {
		return -1;
	}
	return 0;
}

/* "nrst:1": a wire held at a level (a short to 3V3 or GND). */
static int parse_stuck(const char *v, struct vb_settings *s)
{
	static const char *const pins[VB_NPINS] = {"swclk", "swdio", "nrst",
						   "boot0"};
	const char *colon = strchr(v, ':');

	if (!colon || (strcmp(colon + 1, "0") && strcmp(colon + 1, "1")))
		return -1;
	for (int p = 0; p < VB_NPINS; p++)
		if (strlen(pins[p]) == (size_t)(colon - v) &&
		    !strncmp(v, pins[p], (size_t)(colon - v))) {
			s->stuck = true;
			s->stuck_pin = (enum vb_pin)p;
			s->stuck_level = colon[1] == '1';
			return 0;
		}
	return -1;
}

enum kind { K_U32, K_HZ, K_BOOL, K_U64 };

static const struct {
	const char *key;
	enum kind kind;
	size_t off;
} plain[] = {
	{"swclk_hz", K_HZ, offsetof(struct vb_settings, swclk_hz)},
	{"clip_hz", K_HZ, offsetof(struct vb_settings, clip_hz)},
	{"cpu_hz", K_HZ, offsetof(struct vb_settings, cpu_hz)},
	{"prog_ns", K_U32, offsetof(struct vb_settings, prog_ns)},
	{"page_erase_us", K_U32, offsetof(struct vb_settings, page_erase_us)},
	{"mass_erase_us", K_U32, offsetof(struct vb_settings, mass_erase_us)},
	{"wait_every", K_U32, offsetof(struct vb_settings, wait_every)},
	{"wait_count", K_U32, offsetof(struct vb_settings, wait_count)},
	{"fault_every", K_U32, offsetof(struct vb_settings, fault_every)},
	{"parity_every", K_U32, offsetof(struct vb_settings, parity_every)},
	{"unpowered", K_BOOL, offsetof(struct vb_settings, unpowered)},
	{"swapped", K_BOOL, offsetof(struct vb_settings, swapped)},
	{"nrst_nc", K_BOOL, offsetof(struct vb_settings, nrst_nc)},
	{"boot0_nc", K_BOOL, offsetof(struct vb_settings, boot0_nc)},
	{"power_loss_after", K_U64,
	 offsetof(struct vb_settings, power_loss_after)},
	{"swd_disable_us", K_U32, offsetof(struct vb_settings, swd_disable_us)},
};

static const char known[] =
	"variant, uid, swclk_hz, clip_hz, cpu_hz, prog_ns, page_erase_us, "
	"mass_erase_us, wait_every, wait_count, fault_every, parity_every, "
	"unpowered, swapped, nrst_nc, boot0_nc, stuck, power_loss_after, "
	"bad_page, "
	"swd_disable_us, " VB_SPI_KEYS;

static int set_plain(struct vb_settings *s, enum kind kind, size_t off,
		     const char *v)
{
	char *p = (char *)s + off;
	uint32_t u = 0;
	bool b;

	switch (kind) {
	case K_BOOL:
		if (parse_bool(v, &b))
			return -1;
		memcpy(p, &b, sizeof(b));
		return 0;
	case K_HZ:
		if (ub_parse_hz(v, &u) || !u)
			return -1;
		break;
	case K_U32:
	case K_U64:
		if (ub_parse_u32(v, &u))
			return -1;
		break;
	}
	if (kind == K_U64) {
		uint64_t u64 = u;

		memcpy(p, &u64, sizeof(u64));
	} else {
		memcpy(p, &u, sizeof(u));
	}
	return 0;
}

static const char *expected(enum kind kind)
{
	switch (kind) {
	case K_BOOL:
		return "0 or 1";
	case K_HZ:
		return "a frequency above 0 (1000000, 4M, 400kHz)";
	default:
		return "a number (decimal or 0x hex)";
	}
}

int vb_setting(struct vb_settings *s, const char *kv, char *err, size_t errlen)
{
	const char *eq = strchr(kv, '=');
	const char *v;
	char key[32];
	size_t n;
	uint32_t u;

	if (!eq || eq == kv) {
		snprintf(err, errlen, "setting '%s' is not key=value", kv);
		return -1;
	}
	n = (size_t)(eq - kv);
	if (n >= sizeof(key))
		n = sizeof(key) - 1;
	memcpy(key, kv, n);
	key[n] = 0;
	v = eq + 1;
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		if (strcmp(key, plain[i].key))
			continue;
		if (!set_plain(s, plain[i].kind, plain[i].off, v))
			return 0;
		snprintf(err, errlen, "setting %s: '%s' is not %s", key, v,
			 expected(plain[i].kind));
		return -1;
	}
	if (!strcmp(key, "variant")) {
		if (!parse_variant(v, &s->variant))
			return 0;
		snprintf(err, errlen,
			 "setting variant: '%s' is not cb, vc or ve", v);
		return -1;
	}
	if (!strcmp(key, "uid")) {
		if (!parse_uid(v, s->uid)) {
			s->uid_set = true;
			return 0;
		}
		snprintf(err, errlen,
			 "setting uid: '%s' is not 24 hex digits (12 bytes in "
			 "memory order)",
			 v);
		return -1;
	}
	if (!strcmp(key, "stuck")) {
		if (!parse_stuck(v, s))
			return 0;
		snprintf(err, errlen,
			 "setting stuck: '%s' is not PIN:LEVEL (PIN swclk, "
			 "swdio, nrst or boot0; LEVEL 0 or 1)",
			 v);
		return -1;
	}
	if (!strcmp(key, "bad_page")) {
		/* an address in main flash, or an offset into it */
		if (!ub_parse_size(v, &u) &&
		    (u < 512 * 1024 ||
		     (u >= VB_FLASH_BASE && u < VB_FLASH_BASE + 512 * 1024))) {
			s->bad_page = u < VB_FLASH_BASE ? VB_FLASH_BASE + u : u;
			s->has_bad_page = true;
			return 0;
		}
		snprintf(err, errlen,
			 "setting bad_page: '%s' is not an address in main "
			 "flash (0x08000000-0x0807FFFF, or an offset)",
			 v);
		return -1;
	}
	n = (size_t)vb_spi_setting(s, key, v, err, errlen);
	if (n != 1)
		return (int)n;
	snprintf(err, errlen, "unknown setting '%s' (known: %s)", key, known);
	return -1;
}

void vb_chip_init(struct vb *vb)
{
	static const struct vb_chip chips[] = {
		[VB_CB] = {VB_CB, "STM32F103CB", 0x410, 0x2003, 128 * 1024,
			   1024, 20 * 1024},
		[VB_VC] = {VB_VC, "STM32F103VC", 0x414, 0x1003, 256 * 1024,
			   2048, 48 * 1024},
		[VB_VE] = {VB_VE, "STM32F103VE", 0x414, 0x1003, 512 * 1024,
			   2048, 64 * 1024},
	};

	vb->chip = chips[vb->set.variant];
}

/* --- files ------------------------------------------------------------- */

static int mkdir_p(const char *dir, char *err, size_t errlen)
{
	char path[sizeof(((struct vb *)0)->state_dir)];
	size_t n = strlen(dir);

	memcpy(path, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i])
			continue;
		path[i] = 0;
		if (mkdir(path, 0777) && errno != EEXIST) {
			snprintf(err, errlen, "cannot create %s: %s", path,
				 strerror(errno));
			return -1;
		}
		path[i] = dir[i];
	}
	return 0;
}

/*
 * Read a whole file of at most max bytes into buf. 0 with *len, 1 when it
 * does not exist, -1 with a message.
 */
static int read_file(const char *dir, const char *name, void *buf, size_t max,
		     size_t *len, char *err, size_t errlen)
{
	char path[600];
	ssize_t r;
	size_t got = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 1;
	if (fd < 0)
		goto fail;
	for (;;) {
		char extra;

		r = got < max ? read(fd, (char *)buf + got, max - got)
			      : read(fd, &extra, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail_fd;
		if (r == 0)
			break;
		if (got == max) { /* longer than max */
			got = max + 1;
			break;
		}
		got += (size_t)r;
	}
	close(fd);
	*len = got;
	return 0;
fail_fd:
	close(fd);
fail:
	snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
	return -1;
}

/* The string value of "key" in a flat JSON object, or -1. */
static int json_string(const char *json, const char *key, char *out,
		       size_t outlen)
{
	char pat[40];
	const char *p;
	size_t n = 0;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	p = strstr(json, pat);
	if (!p)
		return -1;
	p += strlen(pat);
	while (isspace((unsigned char)*p))
		p++;
	if (*p++ != ':')
		return -1;
	while (isspace((unsigned char)*p))
		p++;
	if (*p++ != '"')
		return -1;
	while (*p && *p != '"' && n + 1 < outlen)
		out[n++] = *p++;
	out[n] = 0;
	return *p == '"' ? 0 : -1;
}

static int load_json(struct vb *vb, const char *dir, char *err, size_t errlen)
{
	char json[4096], val[64];
	enum vb_variant var;
	size_t len;
	uint8_t uid[12];
	int ret;

	ret = read_file(dir, "board.json", json, sizeof(json) - 1, &len, err,
			errlen);
	if (ret)
		return ret < 0 ? -1 : 0;
	if (len >= sizeof(json)) {
		snprintf(err, errlen, "%s/board.json: too long", dir);
		return -1;
	}
	json[len] = 0;
	if (json_string(json, "variant", val, sizeof(val)) ||
	    parse_variant(val, &var)) {
		snprintf(err, errlen,
			 "%s/board.json: no \"variant\" of cb, vc or ve", dir);
		return -1;
	}
	if (var != vb->set.variant) {
		snprintf(err, errlen,
			 "state directory %s holds an STM32F103%c%c board, "
			 "not the %s asked for: use another directory or "
			 "variant=%s",
			 dir, toupper(val[0]), toupper(val[1]), vb->chip.name,
			 variant_name[var]);
		return -1;
	}
	if (json_string(json, "uid", val, sizeof(val)) == 0) {
		if (parse_uid(val, uid)) {
			snprintf(err, errlen,
				 "%s/board.json: uid '%s' is not 24 hex "
				 "digits",
				 dir, val);
			return -1;
		}
		if (!vb->set.uid_set)
			memcpy(vb->set.uid, uid, sizeof(uid));
	}
	return 0;
}

static int load_files(struct vb *vb, const char *dir, char *err, size_t errlen)
{
	char path[600];
	struct stat sb;
	uint8_t opt[16];
	size_t len;
	int ret;

	if (load_json(vb, dir, err, errlen))
		return -1;
	snprintf(path, sizeof(path), "%s/flash.bin", dir);
	if (stat(path, &sb) == 0 && sb.st_size != (off_t)vb->chip.flash_size) {
		snprintf(err, errlen,
			 "%s has %lld bytes, but the %s has %u bytes of flash",
			 path, (long long)sb.st_size, vb->chip.name,
			 vb->chip.flash_size);
		return -1;
	}
	ret = read_file(dir, "flash.bin", vb->flash, vb->chip.flash_size, &len,
			err, errlen);
	if (ret < 0)
		return -1;
	if (ret == 0 && len != vb->chip.flash_size) {
		snprintf(err, errlen, "%s changed size while being read", path);
		return -1;
	}
	ret = read_file(dir, "option.bin", opt, sizeof(opt), &len, err, errlen);
	if (ret < 0)
		return -1;
	if (ret == 0 && len != sizeof(opt)) {
		snprintf(err, errlen,
			 "%s/option.bin must hold exactly 16 bytes (RDP, USER, "
			 "Data0, Data1, WRP0-3 with complements)",
			 dir);
		return -1;
	}
	if (ret == 0)
		memcpy(vb->option, opt, sizeof(opt));
	return vb_spi_state_load(vb, dir, err, errlen);
}

int vb_state_load(struct vb *vb, const char *dir, char *err, size_t errlen)
{
	char path[600];
	int fd;

	if (!*dir || strlen(dir) >= sizeof(vb->state_dir)) {
		snprintf(err, errlen, "state directory name '%s' is %s", dir,
			 *dir ? "too long" : "empty");
		return -1;
	}
	if (mkdir_p(dir, err, errlen))
		return -1;
	snprintf(path, sizeof(path), "%s/.lock", dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path,
			 strerror(errno));
		return -1;
	}
	/* one process at a time: the next one waits for this one to end */
	while (flock(fd, LOCK_EX)) {
		if (errno == EINTR)
			continue;
		snprintf(err, errlen, "cannot lock %s: %s", path,
			 strerror(errno));
		close(fd);
		return -1;
	}
	if (load_files(vb, dir, err, errlen)) {
		close(fd);
		return -1;
	}
	strcpy(vb->state_dir, dir);
	vb->state_fd = fd;
	return 0;
}

/* Write name in dir through a synced temporary renamed over it. */
static int write_atomic(const char *dir, const char *name, const void *buf,
			size_t len, char *err, size_t errlen)
{
	char tmp[600], path[600];
	const char *p = buf;
	ssize_t w;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create a temporary for %s: %s",
			 path, strerror(errno));
		return -1;
	}
	while (len) {
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			goto fail;
		p += w;
		len -= (size_t)w;
	}
	if (fchmod(fd, 0644) || fsync(fd))
		goto fail;
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path))
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

int vb_state_save(struct vb *vb, char *err, size_t errlen)
{
	const char *dir = vb->state_dir;
	char json[256], uid[25];
	const uint8_t *spi;
	size_t spi_len;
	int ret = -1, dfd;

	if (!*dir)
		return 0;
	for (int i = 0; i < 12; i++)
		snprintf(uid + 2 * i, 3, "%02X", vb->set.uid[i]);
	snprintf(json, sizeof(json),
		 "{\"variant\":\"%s\",\"chip\":\"%s\",\"uid\":\"%s\","
		 "\"flash_size\":%u,\"page_size\":%u}\n",
		 variant_name[vb->chip.variant], vb->chip.name, uid,
		 vb->chip.flash_size, vb->chip.page_size);
	if (write_atomic(dir, "flash.bin", vb->flash, vb->chip.flash_size, err,
			 errlen) ||
	    write_atomic(dir, "option.bin", vb->option, sizeof(vb->option), err,
			 errlen) ||
	    write_atomic(dir, "board.json", json, strlen(json), err, errlen))
		goto unlock;
	spi = vb_spi_state_data(vb, &spi_len);
	if (spi && write_atomic(dir, "spi.bin", spi, spi_len, err, errlen))
		goto unlock;
	/* the renames themselves */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	ret = 0;
unlock:
	close(vb->state_fd); /* releases the lock */
	vb->state_fd = -1;
	vb->state_dir[0] = 0;
	return ret;
}

/* --- report ------------------------------------------------------------ */

void vb_report(const struct vb *vb, FILE *f)
{
	const struct vb_stats *st = &vb->st;

	fprintf(f,
		"{\"chip\":\"%s\",\"modeled_us\":%llu,\"swclk_hz\":%u,"
		"\"swclk_cycles\":%llu,\"gpio_writes\":%llu,"
		"\"gpio_reads\":%llu,\"line_resets\":%llu,"
		"\"jtag_to_swd\":%llu,",
		vb->chip.name, (unsigned long long)(vb->now_ps / VB_PS_PER_US),
		vb->set.swclk_hz, (unsigned long long)st->swclk_cycles,
		(unsigned long long)st->gpio_writes,
		(unsigned long long)st->gpio_reads,
		(unsigned long long)st->line_resets,
		(unsigned long long)st->jtag_to_swd);
	fprintf(f,
		"\"swd_transactions\":{\"ok\":%llu,\"wait\":%llu,"
		"\"fault\":%llu,\"no_ack\":%llu},\"parity_errors\":%llu,"
		"\"contention\":%llu,\"flash_busy_us\":%llu,",
		(unsigned long long)st->ack_ok,
		(unsigned long long)st->ack_wait,
		(unsigned long long)st->ack_fault,
		(unsigned long long)st->no_ack,
		(unsigned long long)st->parity_errors,
		(unsigned long long)st->contention,
		(unsigned long long)(st->flash_busy_ps / VB_PS_PER_US));
	fprintf(f,
		"\"flash\":{\"programs\":%llu,\"page_erases\":%llu,"
		"\"mass_erases\":%llu,\"option_erases\":%llu,"
		"\"option_programs\":%llu},\"cpu_instructions\":%llu,"
		"\"resets\":%llu,\"spi\":{\"bytes\":%llu,\"programs\":%llu,"
		"\"erases\":%llu,\"busy_us\":%llu,\"contention\":%llu},"
		"\"powered\":%s}\n",
		(unsigned long long)st->programs,
		(unsigned long long)st->page_erases,
		(unsigned long long)st->mass_erases,
		(unsigned long long)st->opt_erases,
		(unsigned long long)st->opt_programs,
		(unsigned long long)st->cpu_instructions,
		(unsigned long long)st->resets,
		(unsigned long long)st->spi_bytes,
		(unsigned long long)st->spi_programs,
		(unsigned long long)st->spi_erases,
		(unsigned long long)(st->spi_busy_ps / VB_PS_PER_US),
		(unsigned long long)st->spi_contention,
		vb->powered ? "true" : "false");
}
