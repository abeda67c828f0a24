// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ELF executables for ARM Cortex-M: 32-bit, little-endian, EM_ARM, ET_EXEC.
 *
 * The bytes of each PT_LOAD program header go to its physical address
 * p_paddr, the load address (LMA): initialised data that runs in RAM is
 * stored in flash, where the startup code copies it from. Memory beyond the
 * file size (.bss) is not loaded.
 */
#include <stdio.h>
#include <string.h>

#include "ub/err.h"
#include "ub/image.h"

#define EHDR_SIZE 52
#define PHDR_SIZE 32
#define ET_REL	  1
#define ET_EXEC	  2
#define ET_DYN	  3
#define ET_CORE	  4
#define EM_ARM	  40
#define PT_LOAD	  1
#define PN_XNUM	  0xffff

static uint16_t rd16(const uint8_t *p, bool big)
{
	return big ? (uint16_t)(p[0] << 8 | p[1])
		   : (uint16_t)(p[1] << 8 | p[0]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

static const struct {
	uint16_t id;
	const char *name;
} machines[] = {
	{2, "SPARC"},		{3, "x86 (i386)"},  {8, "MIPS"},
	{20, "PowerPC"},	{21, "PowerPC64"},  {22, "S/390"},
	{40, "32-bit ARM"},	{42, "SuperH"},	    {43, "SPARC V9"},
	{50, "IA-64"},		{62, "x86-64"},	    {83, "AVR"},
	{94, "Xtensa (ESP32)"}, {105, "MSP430"},    {183, "AArch64"},
	{243, "RISC-V"},	{258, "LoongArch"},
};

static const char *machine_name(uint16_t id, char *buf, size_t size)
{
	for (size_t i = 0; i < sizeof(machines) / sizeof(machines[0]); i++)
		if (machines[i].id == id)
			return machines[i].name;
	snprintf(buf, size, "machine %u", id);
	return buf;
}

/* Refuse what is not a 32-bit little-endian ARM executable, saying why. */
static int check_header(const uint8_t *b, size_t len, const char *name)
{
	char mbuf[32];
	const char *mach;
	uint16_t type;
	bool big;

	if (len < 20)
		return ub_fail(
			UB_EFORMAT,
			"%s: offset %zu: the file ends inside the ELF "
			"header (%zu of %d bytes); it is truncated (copy "
			"it again)",
			name, len, len, EHDR_SIZE);
	big = b[5] == 2;
	mach = machine_name(rd16(b + 18, big), mbuf, sizeof(mbuf));
	if (b[4] == 2)
		return ub_fail(UB_EFORMAT,
			       "%s: a 64-bit ELF for %s, not a 32-bit ARM "
			       "Cortex-M executable; wrong build output or "
			       "toolchain?",
			       name, mach);
	if (b[4] != 1)
		return ub_fail(UB_EFORMAT,
			       "%s: offset 4: ELF class %u is neither 32 nor "
			       "64-bit; the file is corrupt",
			       name, b[4]);
	if (big)
		return ub_fail(UB_EFORMAT,
			       "%s: a big-endian ELF for %s; Cortex-M firmware "
			       "is little-endian (wrong toolchain or flags?)",
			       name, mach);
	if (b[5] != 1)
		return ub_fail(UB_EFORMAT,
			       "%s: offset 5: ELF data encoding %u is neither "
			       "little- nor big-endian; the file is corrupt",
			       name, b[5]);
	if (rd16(b + 18, false) != EM_ARM)
		return ub_fail(UB_EFORMAT,
			       "%s: an ELF for %s, not an ARM Cortex-M; wrong "
			       "build output or toolchain?",
			       name, mach);
	if (len < EHDR_SIZE)
		return ub_fail(
			UB_EFORMAT,
			"%s: offset %zu: the file ends inside the ELF "
			"header (%zu of %d bytes); it is truncated (copy "
			"it again)",
			name, len, len, EHDR_SIZE);
	type = rd16(b + 16, false);
	if (type == ET_REL)
		return ub_fail(UB_EFORMAT,
			       "%s: an object file, not a linked executable; "
			       "give the .elf the link step makes, not a .o",
			       name);
	if (type == ET_DYN)
		return ub_fail(UB_EFORMAT,
			       "%s: a shared library or position-independent "
			       "executable, not firmware linked to fixed "
			       "addresses",
			       name);
	if (type == ET_CORE)
		return ub_fail(UB_EFORMAT, "%s: a core dump, not an executable",
			       name);
	if (type != ET_EXEC)
		return ub_fail(UB_EFORMAT,
			       "%s: offset 16: ELF type %u is not an "
			       "executable (ET_EXEC); the file is corrupt",
			       name, type);
	return 0;
}

static int load_phdr(struct ub_image *img, const uint8_t *buf, size_t len,
		     const uint8_t *ph, unsigned long i, const char *name,
		     bool *loaded)
{
	uint32_t off = rd32(ph + 4), paddr = rd32(ph + 12);
	uint32_t filesz = rd32(ph + 16), memsz = rd32(ph + 20);

	if (rd32(ph) != PT_LOAD || !filesz)
		return 0;
	if ((uint64_t)off + filesz > len)
		return ub_fail(UB_EFORMAT,
			       "%s: program header %lu: its %u bytes at offset "
			       "0x%X run past the end of the file (%zu bytes); "
			       "the file is truncated or corrupt",
			       name, i, filesz, off, len);
	if (filesz > memsz)
		return ub_fail(UB_EFORMAT,
			       "%s: program header %lu: file size 0x%X is "
			       "larger than memory size 0x%X; the ELF is "
			       "corrupt",
			       name, i, filesz, memsz);
	*loaded = true;
	return ub_image_add(img, paddr, buf + off, filesz, i, name);
}

static int elf_parse(struct ub_image *img, const uint8_t *buf, size_t len,
		     uint32_t base, const char *name)
{
	uint32_t phoff;
	uint16_t phentsize, phnum;
	bool loaded = false;
	int err;

	(void)base;
	if (memcmp(buf, "\177ELF", len < 4 ? len : 4))
		return ub_fail(
			UB_EFORMAT,
			"%s: offset 0: no ELF signature (\\177ELF); this "
			"is not an ELF file, whatever its name says",
			name);
	err = check_header(buf, len, name);
	if (err)
		return err;
	/* From here on the 52-byte header is in the buffer. */
	phoff = rd32(buf + 28);
	phentsize = rd16(buf + 42, false);
	phnum = rd16(buf + 44, false);
	if (phnum == PN_XNUM)
		return ub_fail(
			UB_EFORMAT,
			"%s: offset 44: the ELF keeps its program header "
			"count elsewhere (PN_XNUM, 65535 or more); no "
			"firmware has that many, the file is corrupt",
			name);
	if (!phnum)
		return ub_fail(UB_EFORMAT,
			       "%s: offset 44: the ELF has no program headers, "
			       "so nothing says what to load; was it linked?",
			       name);
	if (phentsize < PHDR_SIZE)
		return ub_fail(UB_EFORMAT,
			       "%s: offset 42: program headers of %u bytes are "
			       "smaller than the %d an ELF32 one needs; the "
			       "file is corrupt",
			       name, phentsize, PHDR_SIZE);
	if ((uint64_t)phoff + (uint64_t)phnum * phentsize > len)
		return ub_fail(UB_EFORMAT,
			       "%s: offset 28: the %u program headers at "
			       "offset 0x%X run past the end of the file (%zu "
			       "bytes); it is truncated or corrupt",
			       name, phnum, phoff, len);
	for (unsigned long i = 0; i < phnum && !err; i++)
		err = load_phdr(img, buf, len, buf + phoff + i * phentsize, i,
				name, &loaded);
	if (err)
		return err;
	if (!loaded)
		return ub_fail(UB_EFORMAT,
			       "%s: no program header loads any bytes (PT_LOAD "
			       "with file data), so there is nothing to flash; "
			       "wrong file?",
			       name);
	img->has_entry = true;
	img->entry = rd32(buf + 24);
	return 0;
}

/* ELF files start with a signature nothing else does. */
static bool elf_sniff(const uint8_t *buf, size_t len)
{
	return len >= 4 && !memcmp(buf, "\177ELF", 4);
}

const struct ub_image_fmt ub_image_fmt_elf = {
	.format = UB_FMT_ELF,
	.loc_kind = "program header",
	.sniff = elf_sniff,
	.parse = elf_parse,
};
