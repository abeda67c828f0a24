#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The host CPU cost per SWD bit of each GPIO backend on this machine
# (bench/gpio_cost.c; built by 'make bench-gpio'): memory-mapped GPIO over
# plain memory, and libgpiod 1.6 and 2 on the virtual board's stand-ins.
# On a Pi, libgpiod adds one ioctl per call (a few µs); mmio adds the bus
# accesses (tens of ns each). Usage: bench/gpio_cost.sh [BITS]
here=$(cd "$(dirname "$0")/.." && pwd) || exit 2
bits=${1:-}
state=$(mktemp -d /tmp/ub-gpio-cost-XXXXXX) || exit 2
trap 'rm -rf "$state"' EXIT
printf '%-6s %-16s %8s %8s\n' backend library "ns/bit out" "ns/bit in"
"$here/build/bench/gpio_cost" mmio $bits
for prog in "$here/build/bench/gpio_cost" "$here/build/bench/gpio_cost2"; do
	[ -x "$prog" ] || continue
	"$here/tests/vboard/with-vboard" --board bluepill --state "$state" \
		--set host_idle=0 -- "$prog" gpiod $bits
done
