#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# unbrick against OpenOCD 0.12, stm32flash 0.7 and flashrom on the virtual
# board (tests/vboard), each run on a fresh board, compared on the board's
# modelled clock. See bench/README.md. 'make bench' runs it and writes
# bench/RESULTS.md; 'make bench-quick' (and tests/test_bench_quick.c) runs
# --quick.
usage() {
	cat <<'EOF'
usage: bench/run.sh [--quick] [--out FILE] [--unbrick PATH] [--openocd PATH]
                    [--stm32flash PATH] [--flashrom PATH] [--repeat N]
                    [--timeout S] [--keep]

  --quick         one small workload per tool (8 KB over SWD and over the
                  UART, 64 KB of SPI flash); prints the table, writes no
                  results file
  --out FILE      where the results go (default bench/RESULTS.md; full run
                  only; '-' for none)
  --unbrick PATH  the unbrick to measure (default ./unbrick of this tree)
  --openocd PATH, --stm32flash PATH, --flashrom PATH
                  the peers (default: on PATH)
  --repeat N      run every case N times and require identical modelled
                  figures (default 2; 1 with --quick)
  --timeout S     kill a tool that runs longer than S seconds (default 600)
  --keep          keep the temporary directory (state, reports, logs)

Needs: make vboard (build/vboard), cc, openocd, stm32flash, flashrom.
EOF
}

set -u
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd) || exit 2
src=$(cd "$here/.." && pwd) || exit 2
quick=0
out=$src/bench/RESULTS.md
unbrick=$src/unbrick
openocd=$(command -v openocd || echo /usr/bin/openocd)
stm32flash=$(command -v stm32flash || echo /usr/bin/stm32flash)
flashrom=$(PATH=$PATH:/usr/sbin command -v flashrom || echo /usr/sbin/flashrom)
repeat=''
tlimit=600
keep=${UB_KEEP_TMP:+1}
keep=${keep:-0}

die() {
	printf 'bench: %s\n' "$*" >&2
	exit 1
}

# A case went wrong: keep what it left for a look.
fail() {
	keep=1
	die "$@"
}

while [ $# -gt 0 ]; do
	case $1 in
	-h | --help)
		usage
		exit 0
		;;
	--quick) quick=1 ;;
	--keep) keep=1 ;;
	--out | --unbrick | --openocd | --stm32flash | --flashrom | --repeat | \
		--timeout)
		[ $# -ge 2 ] || {
			usage >&2
			exit 2
		}
		case $1 in
		--out) out=$2 ;;
		--unbrick) unbrick=$2 ;;
		--openocd) openocd=$2 ;;
		--stm32flash) stm32flash=$2 ;;
		--flashrom) flashrom=$2 ;;
		--repeat) repeat=$2 ;;
		--timeout) tlimit=$2 ;;
		esac
		shift
		;;
	*)
		usage >&2
		exit 2
		;;
	esac
	shift
done
[ -n "$repeat" ] || repeat=$((quick ? 1 : 2))
case $repeat$tlimit in
*[!0-9]*) die "--repeat and --timeout take whole numbers" ;;
esac
[ "$repeat" -ge 1 ] || die "--repeat must be at least 1"

wvb=$src/tests/vboard/with-vboard
vblib=${UB_VBOARD_LIB:-$src/build/vboard/libgpiod.so.2}
[ -d "$vblib" ] && vblib=$vblib/libgpiod.so.2
[ -x "$wvb" ] || die "no $wvb"
[ -f "$vblib" ] || die "no virtual board library $vblib: run 'make vboard'"
[ -x "$(dirname "$vblib")/vboard-server" ] ||
	die "no board server beside $vblib: run 'make vboard'"
case $unbrick in /*) ;; *) unbrick=$PWD/$unbrick ;; esac
[ -x "$unbrick" ] || die "no unbrick at $unbrick: run 'make'"
[ -x "$openocd" ] || die "no OpenOCD ($openocd): apt-get install openocd"
[ -x "$stm32flash" ] ||
	die "no stm32flash ($stm32flash): apt-get install stm32flash"
[ -x "$flashrom" ] || die "no flashrom ($flashrom): apt-get install flashrom"
command -v timeout >/dev/null || die "needs timeout (coreutils)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ub-bench-XXXXXX") || die "mktemp failed"
cleanup() {
	if [ "$keep" = 1 ]; then
		printf 'bench: kept %s\n' "$tmp" >&2
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# --- the boards and what the limits assume (DESIGN.md §5) ---
BOARD=spark-core # STM32F103CB: 128 KB of flash in 1 KB pages, over SWD
UBOARD=stm32f1   # the same chip over its ROM bootloader (USART1, BOOT0)
SBOARD=$here/spark-core-bench.conf # SST25VF016B on SPI2; SWD and UART
FLASH_BASE=0x08000000
FLASH_SIZE=131072
SPI_SIZE=2097152
PAGE=1024
SWCLK_HZ=1000000
BAUD=115200
SPI_HZ=16000000 # unbrick's SPI2 at its fastest (PCLK1 / 2); flashrom's too
PROG_NS=52500
PAGE_ERASE_US=30000
MASS_ERASE_US=30000
SETS=(--set "swclk_hz=$SWCLK_HZ" --set "prog_ns=$PROG_NS"
	--set "page_erase_us=$PAGE_ERASE_US" --set "mass_erase_us=$MASS_ERASE_US")
SERPROG_PORT=$((40000 + $$ % 20000))
SWD=swd:$SWCLK_HZ
UART=uart:$BAUD

# --- the helper, built here so that the bench needs nothing made for it ---
CC=${CC:-cc}
"$CC" -std=gnu11 -O2 -Wall -o "$tmp/mkimage" "$here/mkimage.c" ||
	die "cannot build bench/mkimage.c"
mk() { "$tmp/mkimage" "$@" || die "mkimage $*"; }

# shellcheck source=bench/lib.sh
. "$here/lib.sh"

cat >"$tmp/vboard.cfg" <<'EOF'
# A Raspberry Pi's header wired as boards/spark-core.conf (and bluepill.conf)
adapter driver linuxgpiod
gdb_port disabled
telnet_port disabled
tcl_port disabled
adapter gpio swclk 11 -chip 0
adapter gpio swdio 25 -chip 0
adapter gpio srst 24 -chip 0
transport select swd
source [find target/stm32f1x.cfg]
reset_config srst_only srst_nogate srst_open_drain connect_assert_srst
EOF

mkdir -p "$tmp/data" "$tmp/runs" "$tmp/backups"
D=$tmp/data
mk blank "$FLASH_SIZE" "$D/erased.bin"
mk blank "$SPI_SIZE" "$D/spi-erased.bin"
if [ "$quick" = 1 ]; then
	mk bin 8 8192 "$D/img8k.bin"
	cp "$D/erased.bin" "$D/img8k.after"
	dd if="$D/img8k.bin" of="$D/img8k.after" conv=notrunc status=none
	mk bin 9 65536 "$D/spi64k.bin"
	cp "$D/spi-erased.bin" "$D/spi64k.after"
	dd if="$D/spi64k.bin" of="$D/spi64k.after" conv=notrunc status=none
	printf '00000000:0000ffff quick\n' >"$D/spi64k.layout"
else
	mk bin 1 "$FLASH_SIZE" "$D/img.bin"
	# 10 chunks of 4 KB, one every 13 KB: 40 KB spread over the flash
	chunks=''
	for i in 0 1 2 3 4 5 6 7 8 9; do
		chunks="$chunks $((i * 13 * 1024)):4096"
	done
	# shellcheck disable=SC2086
	mk hex 3 "$FLASH_BASE" "$D/erased.bin" "$D/sparse.hex" \
		"$D/sparse.after" $chunks
	# shellcheck disable=SC2086
	mk hex 3 "$FLASH_BASE" "$D/img.bin" "$D/sparse.hex" \
		"$D/sparse-over.after" $chunks
	# the same image with page 37 (0x08009400) made new
	mk patch "$D/img.bin" $((37 * PAGE)) "$PAGE" 4 "$D/img-page37.bin"
	# the SPI flash: 2 MB of old data, and 2 MB of new
	mk bin 5 "$SPI_SIZE" "$D/spi-old.bin"
	mk bin 6 "$SPI_SIZE" "$D/spi-new.bin"
fi

# --- what unbrick can do yet ---
# A command on a fresh board (with spi.bin SPI_BEFORE, when given):
# nothing when it works, else the last line it said (for a "not yet" row);
# all it said in $tmp/try.log.
TRY_S=60
case_n=0
ub_try() { # WHAT [-s SPI_BEFORE] WITH-VBOARD-OPTIONS... -- COMMAND...
	local what=$1 dir msg status
	dir=$(mktemp -d "$tmp/runs/try-XXXX") || die "mktemp failed"
	shift
	if [ "$1" = -s ]; then
		cp "$2" "$dir/spi.bin"
		shift 2
	fi
	msg=$(UNBRICK_BACKUPS=$tmp/backups timeout -k 5 "$TRY_S" "$wvb" \
		--state "$dir" "$@" 2>&1 </dev/null)
	status=$?
	printf '%s\n' "$msg" >"$tmp/try.log"
	[ "$status" = 0 ] && return 0
	if [ "$status" = 124 ]; then
		printf 'hangs: %s still ran after %s s' "$what" "$TRY_S"
		return
	fi
	# its last word: why it gave up
	printf '%s' "$msg" | grep -v '^unbrick: warning' | tail -n 1 |
		sed 's/^unbrick: //; s/|/\\|/g'
	[ -n "$msg" ] || printf 'failed without a word'
}
UB=("$unbrick" -B "$BOARD")
UBS=("$unbrick" -B "$SBOARD")
# unbrick and stm32flash take the board server's pty as the last argument
# shellcheck disable=SC2016 # expanded by that sh
TTY=(sh -c 'exec "$@" "$UB_VBOARD_TTY"' sh)
UBU=("${TTY[@]}" "$unbrick" -B "$UBOARD" -I uart)
UBSU=("${TTY[@]}" "$unbrick" -B "$SBOARD" -I uart)
# The companion flash through the MCU, over SWD and over the UART: write
# 64 KB over other data (an erase, then programming).
mk bin 7 65536 "$D/try64k.bin"
mk bin 5 "$SPI_SIZE" "$D/try-old.bin"
spi_swd_why=$(ub_try "64 KB written over other data" \
	-s "$D/try-old.bin" --board "$SBOARD" -- \
	"${UBS[@]}" --no-backup write "$D/try64k.bin@spi:0")
spi_uart_why=''
[ "$quick" = 1 ] ||
	spi_uart_why=$(ub_try "64 KB written over other data" \
		-s "$D/try-old.bin" --board "$SBOARD" --uart -- \
		"${UBSU[@]}" --no-backup write "$D/try64k.bin@spi:0" --port)
# unbrick's UART loader (UNBRICK_UART_LOADER=off: the ROM bootloader
# alone): whether it works, and the baud it switches to (-v says
# "UART loader running at N baud").
UBU_ROM=(env UNBRICK_UART_LOADER=off "${UBU[@]}")
LDR_BAUD=$BAUD
ldr_uart_why=$(ub_try "a 1 KB read" --board "$UBOARD" --uart -- \
	"${UBU[@]}" -v read 0x08000000:1K "$tmp/try.bin" --port)
if [ -z "$ldr_uart_why" ]; then
	LDR_BAUD=$(sed -n 's/.*UART loader running at \([0-9]*\) baud.*/\1/p' \
		"$tmp/try.log" | head -n 1)
	[ -n "$LDR_BAUD" ] || ldr_uart_why='unbrick has no UART loader yet'
	LDR_BAUD=${LDR_BAUD:-$BAUD}
fi
SF=("${TTY[@]}" "$stm32flash" -b "$BAUD")
FR=("$flashrom" -p "serprog:ip=127.0.0.1:$SERPROG_PORT,spispeed=$((SPI_HZ / 1000000))M"
	-c SST25VF016B)
OCD=("$openocd" -f "$tmp/vboard.cfg" -c init)
OCD_NOWA=("$openocd" -c "set WORKAREASIZE 0" -f "$tmp/vboard.cfg" -c init)

# The cases: the quick ones here, the full bench in bench/cases.sh.
if [ "$quick" = 1 ]; then
	W="quick: write 8 KB + verify"
	limit_flash "$W" "$D/erased.bin" "$D/img8k.after" "$SWD"
	run_case "$W" unbrick unbrick "$SWD" -c flash="$D/img8k.after" -- \
		"${UB[@]}" write "$D/img8k.bin"
	run_case "$W" openocd openocd "$SWD" -c flash="$D/img8k.after" -- \
		"${OCD[@]}" -c "program $D/img8k.bin $FLASH_BASE verify reset" \
		-c shutdown

	W="quick: write 8 KB + verify over UART"
	limit_flash "$W" "$D/erased.bin" "$D/img8k.after" "$UART"
	run_case "$W" "unbrick, ROM bootloader" unbrick "$UART" -b "$UBOARD" \
		-u -c flash="$D/img8k.after" -- \
		"${UBU_ROM[@]}" write "$D/img8k.bin" --port
	if [ -z "$ldr_uart_why" ]; then
		limit_flash "$W" "$D/erased.bin" "$D/img8k.after" \
			"uart:$LDR_BAUD"
		run_case "$W" "unbrick, loader" unbrick "uart:$LDR_BAUD" \
			-b "$UBOARD" -u -c flash="$D/img8k.after" -- \
			"${UBU[@]}" write "$D/img8k.bin" --port
		limit_flash "$W" "$D/erased.bin" "$D/img8k.after" "$UART"
	else
		not_yet "$W" "unbrick, loader" unbrick "$UART" "$ldr_uart_why"
	fi
	run_case "$W" stm32flash stm32flash "$UART" -b "$UBOARD" -u \
		-S boot0=1 -c flash="$D/img8k.after" -- \
		"${SF[@]}" -w "$D/img8k.bin" -v

	W="quick: SPI flash, write 64 KB + verify"
	limit_spi "$W" "$D/spi-erased.bin" "$D/spi64k.after" "$SWD"
	if [ -z "$spi_swd_why" ]; then
		# (its backup would read all 2 MB)
		run_case "$W" "unbrick --no-backup" unbrick "$SWD" -b "$SBOARD" \
			-c spi="$D/spi64k.after" -- "${UBS[@]}" --no-backup \
			--spi-speed "$SPI_HZ" write "$D/spi64k.bin@spi:0"
	else
		not_yet "$W" "unbrick --no-backup" unbrick "$SWD" "$spi_swd_why"
	fi
	limit_spi "$W" "$D/spi-erased.bin" "$D/spi64k.after" clip
	run_case "$W" flashrom flashrom clip -b "$SBOARD" -p \
		-c spi="$D/spi64k.after" -- \
		"${FR[@]}" -l "$D/spi64k.layout" -i quick -w "$D/spi64k.after"
else
	# shellcheck source=bench/cases.sh
	. "$here/cases.sh"
fi

echo
tables
echo "Physical limits:"
echo
limits_table_flash
echo
limits_table_spi
echo
echo "Host time:"
echo
host_times
echo

# Cases whose runs gave different modelled figures: a defect to fix.
varied=''
for i in "${!R_WL[@]}"; do
	[ -z "${R_VARY[$i]}" ] || varied="$varied; ${R_WL[$i]}, ${R_TOOL[$i]}"
done
if [ "$quick" != 1 ] && [ "$out" != - ]; then
	# shellcheck source=bench/results.sh
	. "$here/results.sh"
fi
[ -z "$varied" ] ||
	die "modelled figures varied from run to run (${varied#; })"
exit 0
