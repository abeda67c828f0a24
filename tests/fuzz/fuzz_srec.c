// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer target: the S-record parser. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_load(data, size, UB_FMT_SREC, "fuzz.srec");
	return 0;
}
