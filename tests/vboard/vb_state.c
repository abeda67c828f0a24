// SPDX-License-Identifier: GPL-2.0-or-later
/* SKELETON: settings, state directory, report. To be written. */
#include <string.h>

#include "vb.h"

void vb_settings_default(struct vb_settings *s)
{
	static const uint8_t uid[12] = {0x34, 0xFF, 0x6D, 0x06, 0x4D, 0x4B,
					0x31, 0x34, 0x32, 0x42, 0x20, 0x43};

	memset(s, 0, sizeof(*s));
	s->variant = VB_CB;
	s->swclk_hz = 1000000;
	s->cpu_hz = 8000000;
	s->prog_ns = 52500;
	s->page_erase_us = 30000;
	s->mass_erase_us = 30000;
	memcpy(s->uid, uid, sizeof(uid));
}

int vb_setting(struct vb_settings *s, const char *kv, char *err, size_t errlen)
{
	(void)s;
	snprintf(err, errlen, "unknown setting '%s'", kv);
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

int vb_state_load(struct vb *vb, const char *dir, char *err, size_t errlen)
{
	(void)vb;
	(void)dir;
	snprintf(err, errlen, "state directories are not written yet");
	return -1;
}

int vb_state_save(struct vb *vb, char *err, size_t errlen)
{
	(void)vb;
	(void)err;
	(void)errlen;
	return 0;
}

void vb_report(const struct vb *vb, FILE *f)
{
	fprintf(f, "{\"modeled_us\":%llu}\n",
		(unsigned long long)(vb->now_ps / VB_PS_PER_US));
}
