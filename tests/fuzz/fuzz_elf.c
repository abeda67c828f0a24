// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer target: the ELF parser. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_load(data, size, UB_FMT_ELF, "fuzz.elf");
	return 0;
}
