// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The board around the chip: pins as the Pi drives them, NRST and BOOT0,
 * resets, power, and the virtual clock that ties the parts together.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vb.h"

/* The stand-in ROM: a vector table whose reset handler sleeps (wfi; b .-2):
 * the ROM bootloader itself is vb_boot.c, which owns USART1 meanwhile. */
static void sysmem_init(struct vb *vb)
{
	uint32_t sp = VB_SRAM_BASE + 0x200, pc = VB_SYSMEM_BASE + 0x100 + 1;
	uint16_t kb = (uint16_t)(vb->chip.flash_size / 1024);

	memset(vb->sysmem, 0xFF, sizeof(vb->sysmem));
	memcpy(vb->sysmem, &sp, 4);
	memcpy(vb->sysmem + 4, &pc, 4);
	vb->sysmem[0x100] = 0x30; /* 0xBF30: wfi */
	vb->sysmem[0x101] = 0xBF;
	vb->sysmem[0x102] = 0xFD; /* 0xE7FD: b .-2 */
	vb->sysmem[0x103] = 0xE7;
	memcpy(vb->sysmem + (VB_FSIZE_ADDR - VB_SYSMEM_BASE), &kb, 2);
	memcpy(vb->sysmem + (VB_UID_ADDR - VB_SYSMEM_BASE), vb->set.uid, 12);
}

/* Factory option bytes: RDP 0xA5 (no protection), everything else 0xFF. */
static void option_default(uint8_t *o)
{
	for (int i = 0; i < 16; i += 2) {
		o[i] = i ? 0xFF : 0xA5;
		o[i + 1] = (uint8_t)~o[i];
	}
}

/* The level of a wire held whatever drives it (stuck=), or -1. */
static int held(const struct vb *vb, enum vb_pin pin)
{
	return vb->set.stuck && vb->set.stuck_pin == pin ? vb->set.stuck_level
							 : -1;
}

static void power_on(struct vb *vb)
{
	vb->powered = !vb->set.unpowered;
	vb->in_reset = false;
	vb_scs_power_on(vb);
	vb_swd_power_on(vb);
	vb_system_reset(vb);
	/* NRST held low by a short: the chip stays in reset */
	vb->in_reset = held(vb, VB_NRST) == 0;
	vb->st.resets = 0; /* power-on is not counted */
}

struct vb *vb_new(const char *const *settings, size_t nsettings,
		  const char *dir, char *err, size_t errlen)
{
	struct vb *vb = calloc(1, sizeof(*vb));

	if (!vb) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	vb_settings_default(&vb->set);
	for (size_t i = 0; i < nsettings; i++)
		if (vb_setting(&vb->set, settings[i], err, errlen))
			goto free_vb;
	vb_chip_init(vb);
	vb->flash = malloc(vb->chip.flash_size);
	vb->sram = calloc(1, vb->chip.ram_size);
	if (!vb->flash || !vb->sram) {
		snprintf(err, errlen, "out of memory");
		goto free_mem;
	}
	memset(vb->flash, 0xFF, vb->chip.flash_size);
	option_default(vb->option);
	for (int i = 0; i < VB_NPINS; i++)
		vb->host[i] = -1;
	if (vb_spi_board_new(vb, err, errlen))
		goto free_mem;
	if (dir && vb_state_load(vb, dir, err, errlen))
		goto free_mem;
	sysmem_init(vb);
	vb->fl = vb_flash_new(vb);
	vb->scs = vb_scs_new(vb);
	vb->cpu = vb_cpu_new(vb);
	vb->swd = vb_swd_new(vb);
	vb->boot = vb_boot_new(vb);
	if (!vb->fl || !vb->scs || !vb->cpu || !vb->swd || !vb->boot) {
		snprintf(err, errlen, "cannot create the board's parts");
		goto free_parts;
	}
	power_on(vb);
	return vb;
free_parts:
	vb_boot_free(vb->boot);
	vb_swd_free(vb->swd);
	vb_cpu_free(vb->cpu);
	vb_scs_free(vb->scs);
	vb_flash_free(vb->fl);
free_mem:
	if (vb->state_dir[0])
		close(vb->state_fd); /* the state's lock */
	vb_nor_free(vb->nor);
	free(vb->flash);
	free(vb->sram);
free_vb:
	free(vb);
	return NULL;
}

int vb_close(struct vb *vb, char *err, size_t errlen)
{
	int ret = 0;

	if (vb->state_dir[0])
		ret = vb_state_save(vb, err, errlen);
	vb_boot_free(vb->boot);
	vb_swd_free(vb->swd);
	vb_cpu_free(vb->cpu);
	vb_scs_free(vb->scs);
	vb_flash_free(vb->fl);
	vb_nor_free(vb->nor);
	free(vb->flash);
	free(vb->sram);
	free(vb);
	return ret;
}

/* Firmware that turns the SWD pins into GPIOs, as the DSO Quad's does. */
static void firmware_timer(struct vb *vb, uint64_t ps)
{
	if (!vb->set.swd_disable_us || vb->swd_off || vb->in_reset ||
	    vb->boot0 || vb_cpu_halted(vb) || vb_cpu_locked(vb))
		return;
	vb->fw_run_ps += ps;
	if (vb->fw_run_ps >= vb->set.swd_disable_us * VB_PS_PER_US)
		vb->swd_off = true;
}

void vb_advance(struct vb *vb, uint64_t ps)
{
	if (vb->remote) {
		vb->remote->advance(vb, ps);
		return;
	}
	vb->now_ps += ps;
	if (!vb->powered)
		return;
	vb_flash_tick(vb);
	if (!vb->in_reset)
		vb_cpu_catch_up(vb);
	vb_flash_tick(vb);
	firmware_timer(vb, ps);
}

/* The level on SWDIO: the target's, else the host's, else the pull-up. */
static int swdio_level(struct vb *vb)
{
	int t = vb->powered && !vb->swd_off ? vb_swd_output(vb) : -1;

	if (held(vb, VB_SWDIO) >= 0)
		return held(vb, VB_SWDIO);

	if (t >= 0)
		return t;
	if (vb->host[VB_SWDIO] >= 0)
		return vb->host[VB_SWDIO];
	return vb->powered ? 1 : 0; /* PA13's pull-up needs power */
}

static void clock_edge(struct vb *vb, int old, int level)
{
	uint64_t half = VB_PS_PER_US * 1000000ull / vb->set.swclk_hz / 2;

	/* SWCLK has a pull-down on the target (PA14): released reads 0 */
	old = old > 0;
	level = level > 0;
	if (old == level)
		return;
	vb_advance(vb, half);
	if (!level)
		return;
	vb->st.swclk_cycles++;
	if (vb->powered && !vb->swd_off)
		vb_swd_clock(vb, swdio_level(vb));
}

void vb_drive(struct vb *vb, enum vb_pin pin, int level)
{
	int old;

	if (vb->remote) {
		vb->remote->drive(vb, pin, level);
		return;
	}
	vb->st.gpio_writes++;
	if (vb->set.swapped && (pin == VB_SWCLK || pin == VB_SWDIO))
		pin = pin == VB_SWCLK ? VB_SWDIO : VB_SWCLK;
	old = vb->host[pin];
	vb->host[pin] = level;
	if (held(vb, pin) >= 0)
		return; /* the wire does not move */
	switch (pin) {
	case VB_SWCLK:
		clock_edge(vb, old, level);
		break;
	case VB_SWDIO:
		if (level >= 0 && vb->powered && !vb->swd_off &&
		    vb_swd_output(vb) >= 0)
			vb->st.contention++;
		break;
	case VB_NRST:
		/* open-drain or not, released means the pull-up: high */
		if (vb->set.nrst_nc || !vb->powered)
			break;
		if (level == 0 && !vb->in_reset) {
			/* in reset the pins are back to their reset
			 * function: SWD answers (connect under reset) */
			vb->in_reset = true;
			vb->swd_off = false;
		} else if (level != 0 && vb->in_reset) {
			vb->in_reset = false;
			vb_system_reset(vb);
		}
		break;
	default:
		break;
	}
}

int vb_sense(struct vb *vb, enum vb_pin pin)
{
	if (vb->remote)
		return vb->remote->sense(vb, pin);
	vb->st.gpio_reads++;
	if (vb->set.swapped && (pin == VB_SWCLK || pin == VB_SWDIO))
		pin = pin == VB_SWCLK ? VB_SWDIO : VB_SWCLK;
	if (held(vb, pin) >= 0)
		return held(vb, pin);
	switch (pin) {
	case VB_SWDIO:
		return swdio_level(vb);
	case VB_NRST:
		if (vb->host[VB_NRST] == 0)
			return 0;
		return vb->powered && !vb->set.nrst_nc ? 1
						       : vb->host[VB_NRST] > 0;
	default:
		return vb->host[pin] > 0;
	}
}

void vb_system_reset(struct vb *vb)
{
	vb->st.resets++;
	/* BOOT0 has a pull-down: not connected, or released, it is 0 */
	vb->boot0 = held(vb, VB_BOOT0) >= 0
			    ? held(vb, VB_BOOT0) > 0
			    : !vb->set.boot0_nc && vb->host[VB_BOOT0] > 0;
	vb->swd_off = false;
	vb->fw_run_ps = 0;
	vb_mem_reset(vb);
	vb_flash_reset(vb);
	vb_cpu_reset(vb);
	vb_scs_system_reset(vb);
	vb_boot_reset(vb);
}

void vb_power_loss(struct vb *vb)
{
	vb->powered = false;
	vb->in_reset = true;
}

void vb_flash_op_done(struct vb *vb)
{
	vb->flash_ops++;
	if (vb->set.power_loss_after &&
	    vb->flash_ops >= vb->set.power_loss_after)
		vb_power_loss(vb);
}
