// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer target: the Intel HEX parser. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_load(data, size, UB_FMT_IHEX, "fuzz.hex");
	return 0;
}
