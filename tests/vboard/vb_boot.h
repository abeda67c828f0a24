/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_BOOT_H
#define VB_BOOT_H

/* The ROM bootloader's parts: vb_boot.c (the protocol), vb_boot_flash.c
 * (its flash work through the FPEC). */
#include "vb.h"

/* Poll BSY: the clock moves until the flash is done. */
void vb_boot_wait_flash(struct vb *vb);
void vb_boot_unlock(struct vb *vb, bool options);
void vb_boot_lock(struct vb *vb);
/* Erase: cr is CR_MER or CR_PER (with addr); 0 or -1 on an error. */
int vb_boot_erase(struct vb *vb, uint32_t cr, uint32_t addr);
/* The 8 option bytes' values (not complements), an unreadable one as its
 * default. */
void vb_boot_options(struct vb *vb, uint8_t *opt);
/* Erase the option bytes and program opt[] (values at even offsets). */
int vb_boot_write_options(struct vb *vb, const uint8_t *opt);
/* Program len bytes at a by halfwords; d has room for one more byte (an
 * odd start is padded in front with 0xFF). 0 or -1 on an error. */
int vb_boot_write_flash(struct vb *vb, uint32_t a, uint8_t *d, unsigned len);

#define VB_BOOT_CR_PER 0x002u
#define VB_BOOT_CR_MER 0x004u

#endif
