#!/bin/sh
# make demo: unbrick at work. The boards and the wiring it knows, an image
# file, then a Spark Core over SWD, played by the virtual board (the same
# program that runs on a Pi, reaching a software STM32F103 through a
# stand-in libgpiod).
set -e
ub=${1:-./unbrick}
top=$(cd "$(dirname "$0")/.." && pwd)
export UNBRICK_BOARDS="${UNBRICK_BOARDS:-$top/boards}"
sample="$top/tests/data/sample.hex"
state="$top/build/demo/spark-core"
export UNBRICK_BACKUPS="$top/build/demo/backups"
run() {
	printf '\n$ unbrick %s\n' "$*"
	"$ub" "$@"
}
board() {
	printf '\n$ unbrick %s    # on the virtual board\n' "$*"
	"$top/tests/vboard/with-vboard" --board spark-core --state "$state" \
		--report "$top/build/demo/report-$3.json" -- "$ub" "$@"
}
run --version
run boards
run boards spark-core
run wiring -B spark-core
run wiring -B dso-quad
run -B spark-core image info "$sample"
run image info --json "$sample"

rm -rf "$top/build/demo"
mkdir -p "$state"

# The restore story first: a Spark Core as shipped (bootloader pages
# write-protected, the SST's power-up block protection on) whose flashes
# were wiped, brought back from a bundle with one command. The images are
# stand-ins (the sample firmware, random bytes for the keys): the steps are
# those of the real thing.
bundle="$top/build/demo/spark-bundle"
mkdir -p "$bundle"
head -c 14000 "$top/build/samples/sample.bin" >"$bundle/bootloader.bin"
head -c 65536 "$top/build/samples/sample.bin" >"$bundle/tinker.bin"
head -c 294 /dev/urandom >"$bundle/cloud_public.der"
head -c 610 /dev/urandom >"$bundle/core_private.der"
printf '%s\n' '[bundle]' 'board = spark-core' '[regions]' \
	'bootloader = bootloader.bin' 'app = tinker.bin' \
	'server-key = cloud_public.der' 'device-key = core_private.der' \
	'factory-fw = tinker.bin' >"$bundle/manifest.txt"
blank="$state"
state="$top/build/demo/spark-shipped"
mkdir -p "$state"
printf '\245\132\377\000\377\000\377\000\360\017\377\000\377\000\377\000' \
	>"$state/option.bin"
printf '\n$ cat build/demo/spark-bundle/manifest.txt\n'
cat "$bundle/manifest.txt"
board -B spark-core restore "$bundle"
printf '\nThe restore, on the virtual clock (modeled time, not wall time):\n'
tr ',{}' '\n\n\n' <"$top/build/demo/report-restore.json" |
	grep -E '"(modeled_us|programs|page_erases|spi_programs|spi_erases)"' |
	sed 's/^/  /'
board -B spark-core probe
state="$blank"

# The same board's commands one by one, on another (blank) Spark Core.
board -B spark-core probe
board -B spark-core write "$sample"
board -B spark-core verify "$sample"
board -B spark-core read bootloader "$top/build/demo/bootloader.bin"
printf '\nThe write, on the virtual clock (modeled time, not wall time):\n'
tr ',{}' '\n\n\n' <"$top/build/demo/report-write.json" |
	grep -E '"(modeled_us|swclk_cycles|ok|wait|programs|page_erases)"' |
	sed 's/^/  /'

# The DSO Quad over its UART bootloader: BOOT0 and NRST on Pi GPIOs, the
# ROM bootloader (AN3155) on a pseudo-terminal of the virtual board's
# server, which stands for the Pi's PL011 wired to CN7.
dso="$top/build/demo/dso-quad"
mkdir -p "$dso"
dso() {
	printf '\n$ unbrick %s    # on the virtual board, over its UART\n' "$*"
	"$top/tests/vboard/with-vboard" --uart --board dso-quad --state "$dso" \
		--report "$top/build/demo/report-dso-$3.json" -- \
		"$ub" -p "$dso/tty" "$@"
}
dso -B dso-quad probe
dso -B dso-quad write "$sample"
dso -B dso-quad verify "$sample"
dso -B dso-quad read licence:4 "$top/build/demo/licence.bin"
printf '\nThe write over the UART, on the virtual clock:\n'
tr ',{}' '\n\n\n' <"$top/build/demo/report-dso-write.json" |
	grep -E '"(modeled_us|bytes_in|bytes_out|programs|page_erases)"' |
	sed 's/^/  /'
