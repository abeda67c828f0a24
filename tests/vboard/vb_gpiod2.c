// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A stand-in libgpiod.so.3 (the libgpiod 2 API, as Debian's libgpiod3 2.1
 * exports it) whose gpiochips are a Raspberry Pi's, with the header lines
 * wired to the virtual board as the 1.6 stand-in wires them: the same
 * session (vb_gpiod_session.c), settings, state, report and VCD trace.
 * Programs built against libgpiod 2 load it through LD_LIBRARY_PATH
 * (tests/vboard/with-vboard puts build/vboard/v2 there too; the SONAMEs
 * differ, so each program finds its own).
 *
 * The chips follow the settings: pi=4 (the default) is one chip,
 * gpiochip0 "pinctrl-bcm2711"; pi=5 is a Pi 5 on a recent kernel, the RP1
 * ("pinctrl-rp1") on gpiochip0 and the BCM2712's four brcmstb chips on
 * gpiochip10..13; pi=5-old is a Pi 5 on an older kernel, the brcmstb chips
 * on gpiochip0..3 and the RP1 on gpiochip4. The header lines are named
 * GPIO0..GPIO27 (GPIO0..GPIO53 on the Pi 4's chip); the others have the Pi
 * 5's own names, so that a lookup by name has to search every chip.
 *
 * This file: chips, chip and line info. Requests are in vb_gpiod2_req.c,
 * events (not modelled) in vb_gpiod2_event.c.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vb_gpiod2_priv.h"

/* The RP1's lines above the header (a Pi 5's device tree). */
static const char *const rp1_names[VB_NLINES] = {
	[28] = "PCIE_RP1_WAKE",	  [29] = "FAN_TACH",
	[30] = "HOST_SDA",	  [31] = "HOST_SCL",
	[32] = "ETH_RST_N",	  [34] = "CD0_IO0_MICCLK",
	[35] = "CD0_IO0_MICDAT0", [36] = "RP1_PCIE_CLKREQ_N",
	[38] = "CD0_SDA",	  [39] = "CD0_SCL",
	[40] = "CD1_SDA",	  [41] = "CD1_SCL",
	[42] = "USB_VBUS_EN",	  [43] = "USB_OC_N",
	[44] = "RP1_STAT_LED",	  [45] = "FAN_PWM",
	[46] = "CD0_IO1_MICCLK",  [47] = "2712_WAKE",
	[48] = "CD1_IO1_MICCLK",  [49] = "EN_MAX_USB_CUR",
};

static const char *const aon0_names[32] = {
	[1] = "2712_BOOT_CS_N", [2] = "2712_BOOT_MISO", [3] = "2712_BOOT_MOSI",
	[4] = "2712_BOOT_SCLK", [20] = "PWR_GPIO",	[21] = "2712_G21_FS",
	[28] = "PMIC_INT",
};

static const char *const aon1_names[17] = {
	[0] = "RP1_SDA",      [1] = "RP1_SCL",	   [2] = "RP1_RUN",
	[3] = "SD_IOVDD_SEL", [4] = "SD_PWR_ON",   [5] = "SD_CDET_N",
	[6] = "SD_FLG_N",     [8] = "2712_WAKE",   [9] = "2712_STAT_LED",
	[12] = "PMIC_INT",    [13] = "UART_TX_FS", [14] = "UART_RX_FS",
};

static const char *const none_names[6] = {[0] = "HDMI0_SCL", [1] = "HDMI0_SDA"};

static const struct vb2_chip_desc pi4[] = {
	{0, "pinctrl-bcm2711", VB_NLINES, true, NULL},
};

/* Linux 6.6 and later on a Pi 5 */
static const struct vb2_chip_desc pi5[] = {
	{0, "pinctrl-rp1", VB_NLINES, true, rp1_names},
	{10, "gpio-brcmstb@107d508500", 32, false, aon0_names},
	{11, "gpio-brcmstb@107d508520", 4, false, NULL},
	{12, "gpio-brcmstb@107d517c00", 17, false, aon1_names},
	{13, "gpio-brcmstb@107d517c20", 6, false, none_names},
};

/* Linux 6.1 on a Pi 5 (Raspberry Pi OS bookworm as first released) */
static const struct vb2_chip_desc pi5_old[] = {
	{0, "gpio-brcmstb@107d508500", 32, false, aon0_names},
	{1, "gpio-brcmstb@107d508520", 4, false, NULL},
	{2, "gpio-brcmstb@107d517c00", 17, false, aon1_names},
	{3, "gpio-brcmstb@107d517c20", 6, false, none_names},
	{4, "pinctrl-rp1", VB_NLINES, true, rp1_names},
};

/* The last pi= setting, before a session exists. */
static const char *pi_setting(void)
{
	const char *pi = "4";

	for (const char *s = getenv("UB_VBOARD_SETTINGS"); s && *s;) {
		size_t n = strcspn(s, "\n");

		while (n && (*s == ' ' || *s == '\t'))
			s++, n--;
		if (n == 4 && !strncmp(s, "pi=5", 4))
			pi = "5";
		else if (n == 8 && !strncmp(s, "pi=5-old", 8))
			pi = "5-old";
		else if (n == 4 && !strncmp(s, "pi=4", 4))
			pi = "4";
		s += n;
		if (*s)
			s++;
	}
	return pi;
}

unsigned int vb2_chips(const struct vb2_chip_desc **out)
{
	bool rp1, old;

	if (vb_gs.vb) {
		rp1 = !strcmp(vb_gs.label, "pinctrl-rp1");
		old = vb_gs.header_chip == 4;
	} else {
		const char *pi = pi_setting();

		rp1 = pi[0] == '5';
		old = pi[1] == '-';
	}
	if (!rp1) {
		*out = pi4;
		return 1;
	}
	*out = old ? pi5_old : pi5;
	return 5;
}

const char *vb2_line_name(const struct vb2_chip_desc *d, unsigned int off,
			  char *buf, size_t len)
{
	if (off >= d->lines)
		return "";
	if (d->header && (!d->names || off < 28)) {
		snprintf(buf, len, "GPIO%u", off);
		return buf;
	}
	return d->names && d->names[off] ? d->names[off] : "";
}

/* The chip at path, or NULL. */
static const struct vb2_chip_desc *chip_at(const char *path)
{
	const struct vb2_chip_desc *d;
	unsigned int n = vb2_chips(&d);
	char want[32];

	for (unsigned int i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "/dev/gpiochip%u", d[i].num);
		if (!strcmp(path, want))
			return &d[i];
	}
	return NULL;
}

/* Chips ------------------------------------------------------------------ */

bool gpiod_is_gpiochip_device(const char *path)
{
	return path && chip_at(path);
}

struct gpiod_chip *gpiod_chip_open(const char *path)
{
	const struct vb2_chip_desc *d;
	struct gpiod_chip *chip;
	struct stat st;

	if (!path) {
		errno = EINVAL;
		return NULL;
	}
	d = chip_at(path);
	if (!d) {
		/* as libgpiod: missing, or there but no gpiochip */
		errno = stat(path, &st) ? ENOENT : ENODEV;
		return NULL;
	}
	if (!vb_gs.vb && vb_gpiod_session_start())
		return NULL;
	d = chip_at(path); /* the session's own view */
	chip = calloc(1, sizeof(*chip));
	if (!chip || !d) {
		free(chip);
		if (!vb_gs.nchips)
			vb_gpiod_session_end();
		errno = chip ? ENOENT : ENOMEM;
		return NULL;
	}
	chip->d = d;
	snprintf(chip->path, sizeof(chip->path), "%s", path);
	chip->fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	vb_gs.nchips++;
	return chip;
}

void vb2_session_put(void)
{
	if (vb_gs.nchips && !--vb_gs.nchips)
		vb_gpiod_session_end();
}

void gpiod_chip_close(struct gpiod_chip *chip)
{
	if (!chip)
		return;
	if (chip->fd >= 0)
		close(chip->fd);
	free(chip);
	vb2_session_put();
}

const char *gpiod_chip_get_path(struct gpiod_chip *chip)
{
	return chip->path;
}

int gpiod_chip_get_fd(struct gpiod_chip *chip)
{
	return chip->fd;
}

struct gpiod_chip_info {
	char name[32];
	char label[32];
	size_t lines;
};

struct gpiod_chip_info *gpiod_chip_get_info(struct gpiod_chip *chip)
{
	struct gpiod_chip_info *info = calloc(1, sizeof(*info));

	if (!info) {
		errno = ENOMEM;
		return NULL;
	}
	snprintf(info->name, sizeof(info->name), "gpiochip%u", chip->d->num);
	snprintf(info->label, sizeof(info->label), "%s", chip->d->label);
	info->lines = chip->d->lines;
	return info;
}

void gpiod_chip_info_free(struct gpiod_chip_info *info)
{
	free(info);
}

const char *gpiod_chip_info_get_name(struct gpiod_chip_info *info)
{
	return info->name;
}

const char *gpiod_chip_info_get_label(struct gpiod_chip_info *info)
{
	return info->label;
}

size_t gpiod_chip_info_get_num_lines(struct gpiod_chip_info *info)
{
	return info->lines;
}

int gpiod_chip_get_line_offset_from_name(struct gpiod_chip *chip,
					 const char *name)
{
	char buf[16];

	if (!chip || !name)
		return fail(EINVAL);
	for (unsigned int i = 0; i < chip->d->lines; i++)
		if (!strcmp(vb2_line_name(chip->d, i, buf, sizeof(buf)), name))
			return (int)i;
	return fail(ENOENT);
}

/* Line info -------------------------------------------------------------- */

struct gpiod_line_info {
	unsigned int offset;
	char name[32];
	bool used;
	char consumer[VB_CONSUMER_MAX];
	enum gpiod_line_direction direction;
	enum gpiod_line_bias bias;
	enum gpiod_line_drive drive;
	bool active_low;
};

struct gpiod_line_info *gpiod_chip_get_line_info(struct gpiod_chip *chip,
						 unsigned int offset)
{
	struct gpiod_line_info *info;
	const struct kline *k;
	char buf[16];

	if (!chip || offset >= chip->d->lines) {
		errno = EINVAL;
		return NULL;
	}
	info = calloc(1, sizeof(*info));
	if (!info) {
		errno = ENOMEM;
		return NULL;
	}
	info->offset = offset;
	snprintf(info->name, sizeof(info->name), "%s",
		 vb2_line_name(chip->d, offset, buf, sizeof(buf)));
	info->direction = GPIOD_LINE_DIRECTION_INPUT;
	info->bias = GPIOD_LINE_BIAS_UNKNOWN;
	info->drive = GPIOD_LINE_DRIVE_PUSH_PULL;
	if (!chip->d->header)
		return info;
	k = &vb_gs.kl[offset];
	info->used = k->used;
	memcpy(info->consumer, k->consumer, sizeof(info->consumer));
	info->direction = k->output ? GPIOD_LINE_DIRECTION_OUTPUT
				    : GPIOD_LINE_DIRECTION_INPUT;
	info->active_low = k->flags & VB1_ACTIVE_LOW;
	if (k->flags & VB1_OPEN_DRAIN)
		info->drive = GPIOD_LINE_DRIVE_OPEN_DRAIN;
	else if (k->flags & VB1_OPEN_SOURCE)
		info->drive = GPIOD_LINE_DRIVE_OPEN_SOURCE;
	if (k->flags & VB1_PULL_UP)
		info->bias = GPIOD_LINE_BIAS_PULL_UP;
	else if (k->flags & VB1_PULL_DOWN)
		info->bias = GPIOD_LINE_BIAS_PULL_DOWN;
	else if (k->flags & VB1_BIAS_OFF)
		info->bias = GPIOD_LINE_BIAS_DISABLED;
	return info;
}

struct gpiod_line_info *gpiod_chip_watch_line_info(struct gpiod_chip *chip,
						   unsigned int offset)
{
	return gpiod_chip_get_line_info(chip, offset);
}

int gpiod_chip_unwatch_line_info(struct gpiod_chip *chip, unsigned int offset)
{
	if (!chip || offset >= chip->d->lines)
		return fail(EINVAL);
	return 0;
}

void gpiod_line_info_free(struct gpiod_line_info *info)
{
	free(info);
}

struct gpiod_line_info *gpiod_line_info_copy(struct gpiod_line_info *info)
{
	struct gpiod_line_info *copy = malloc(sizeof(*copy));

	if (!copy) {
		errno = ENOMEM;
		return NULL;
	}
	memcpy(copy, info, sizeof(*copy));
	return copy;
}

unsigned int gpiod_line_info_get_offset(struct gpiod_line_info *info)
{
	return info->offset;
}

const char *gpiod_line_info_get_name(struct gpiod_line_info *info)
{
	return info->name[0] ? info->name : NULL;
}

bool gpiod_line_info_is_used(struct gpiod_line_info *info)
{
	return info->used;
}

const char *gpiod_line_info_get_consumer(struct gpiod_line_info *info)
{
	return info->consumer[0] ? info->consumer : NULL;
}

enum gpiod_line_direction
gpiod_line_info_get_direction(struct gpiod_line_info *info)
{
	return info->direction;
}

enum gpiod_line_edge
gpiod_line_info_get_edge_detection(struct gpiod_line_info *info)
{
	(void)info;
	return GPIOD_LINE_EDGE_NONE;
}

enum gpiod_line_bias gpiod_line_info_get_bias(struct gpiod_line_info *info)
{
	return info->bias;
}

enum gpiod_line_drive gpiod_line_info_get_drive(struct gpiod_line_info *info)
{
	return info->drive;
}

bool gpiod_line_info_is_active_low(struct gpiod_line_info *info)
{
	return info->active_low;
}

bool gpiod_line_info_is_debounced(struct gpiod_line_info *info)
{
	(void)info;
	return false;
}

unsigned long
gpiod_line_info_get_debounce_period_us(struct gpiod_line_info *info)
{
	(void)info;
	return 0;
}

enum gpiod_line_clock
gpiod_line_info_get_event_clock(struct gpiod_line_info *info)
{
	(void)info;
	return GPIOD_LINE_CLOCK_MONOTONIC;
}

const char *gpiod_api_version(void)
{
	return "2.1.3";
}
