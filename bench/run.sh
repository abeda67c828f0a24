#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# unbrick against OpenOCD 0.12 on the virtual board (tests/vboard), each run
# on a fresh board, compared on the board's modelled clock. See
# bench/README.md. 'make bench' runs it and writes bench/RESULTS.md;
# 'make bench-quick' (and tests/test_bench_quick.c) runs --quick.
usage() {
	cat <<'EOF'
usage: bench/run.sh [--quick] [--out FILE] [--unbrick PATH] [--openocd PATH]
                    [--repeat N] [--timeout S] [--keep]

  --quick         one small workload per tool (8 KB write + verify); prints
                  the table, writes no results file
  --out FILE      where the results go (default bench/RESULTS.md; full run
                  only; '-' for none)
  --unbrick PATH  the unbrick to measure (default ./unbrick of this tree)
  --openocd PATH  the OpenOCD to measure (default: openocd on PATH)
  --repeat N      run every case N times and require identical modelled
                  figures (default 2; 1 with --quick)
  --timeout S     kill a tool that runs longer than S seconds (default 600)
  --keep          keep the temporary directory (state, reports, logs)

Needs: make vboard (build/vboard/libgpiod.so.2), cc, openocd.
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
	--out | --unbrick | --openocd | --repeat | --timeout)
		[ $# -ge 2 ] || {
			usage >&2
			exit 2
		}
		case $1 in
		--out) out=$2 ;;
		--unbrick) unbrick=$2 ;;
		--openocd) openocd=$2 ;;
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
case $unbrick in /*) ;; *) unbrick=$PWD/$unbrick ;; esac
[ -x "$unbrick" ] || die "no unbrick at $unbrick: run 'make'"
[ -x "$openocd" ] || die "no OpenOCD ($openocd): apt-get install openocd"
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

# --- the board and what the limits assume (DESIGN.md §5) ---
BOARD=spark-core # STM32F103CB: 128 KB of flash in 1 KB pages
FLASH_BASE=0x08000000
FLASH_SIZE=131072
PAGE=1024
SWCLK_HZ=1000000
PROG_NS=52500
PAGE_ERASE_US=30000
MASS_ERASE_US=30000
SETS=(--set "swclk_hz=$SWCLK_HZ" --set "prog_ns=$PROG_NS"
	--set "page_erase_us=$PAGE_ERASE_US" --set "mass_erase_us=$MASS_ERASE_US")

# --- the helper, built here so that the bench needs nothing made for it ---
CC=${CC:-cc}
"$CC" -std=gnu11 -O2 -Wall -o "$tmp/mkimage" "$here/mkimage.c" ||
	die "cannot build bench/mkimage.c"
mk() { "$tmp/mkimage" "$@" || die "mkimage $*"; }

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
if [ "$quick" = 1 ]; then
	mk bin 8 8192 "$D/img8k.bin"
	cp "$D/erased.bin" "$D/img8k.after"
	dd if="$D/img8k.bin" of="$D/img8k.after" conv=notrunc status=none
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
fi

# --- the cases ---
# Rows: parallel arrays, one entry per tool run.
R_WL=() R_TOOL=() R_KIND=() R_CMD=() R_US=() R_CYC=() R_OK=() R_WAIT=()
R_FAULT=() R_BUSY=() R_PE=() R_ME=() R_PROG=() R_CPU=()
WL_NAMES=() WL_LIMIT=()

# A number from a session report.
jnum() {
	sed -n "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p" "$2"
}

# A command as one would type it: paths as $TMP (the temporary directory)
# and ./ (this tree), arguments with spaces in double quotes.
shown() {
	local a line=''
	for a in "$@"; do
		a=${a//"$tmp"/\$TMP}
		a=${a//"$src/"/./}
		case $a in
		*[[:space:]]*) a="\"$a\"" ;;
		esac
		line=${line:+$line }$a
	done
	printf '%s' "$line"
}

# case WORKLOAD TOOLLABEL KIND BEFORE CHECK EXPECT -- COMMAND...
#   KIND: unbrick or openocd (who the peer is); BEFORE: flash.bin to seed
#   (or - for a factory-fresh chip); CHECK: flash (the board's flash must
#   equal EXPECT afterwards) or FILE (that file must equal EXPECT, and the
#   flash must be unchanged).
case_n=0
run_case() {
	local wl=$1 tool=$2 kind=$3 before=$4 check=$5 expect=$6
	shift 7
	local first='' r dir rep log status sig us cyc ok wait fault busy
	local pe me prog ucpu scpu
	case_n=$((case_n + 1))
	for r in $(seq 1 "$repeat"); do
		dir=$tmp/runs/$case_n-$r
		mkdir -p "$dir"
		rep=$dir/report.json log=$dir/log
		[ "$before" = - ] || cp "$before" "$dir/flash.bin"
		rm -f "$tmp/out.bin"
		local cmd=("$wvb" --board "$BOARD" --state "$dir" --report "$rep"
			"${SETS[@]}" -- "$@")
		TIMEFORMAT='%3U %3S'
		{ time UNBRICK_BACKUPS=$tmp/backups timeout -k 5 "$tlimit" \
			"${cmd[@]}" >"$log" 2>&1 </dev/null; } 2>"$dir/cpu"
		status=$?
		if [ "$status" -ne 0 ] || [ ! -s "$rep" ]; then
			tail -n 25 "$log" >&2
			fail "$wl, $tool: exit status $status (124: timed" \
				"out); its log: $log"
		fi
		case $check in
		flash)
			cmp -s "$dir/flash.bin" "$expect" ||
				fail "$wl, $tool: the board's flash does not hold" \
					"the image afterwards"
			;;
		*)
			cmp -s "$check" "$expect" ||
				fail "$wl, $tool: $check differs from the flash"
			cmp -s "$dir/flash.bin" "$before" ||
				fail "$wl, $tool: reading changed the flash"
			;;
		esac
		us=$(jnum modeled_us "$rep")
		cyc=$(jnum swclk_cycles "$rep")
		ok=$(jnum ok "$rep")
		wait=$(jnum wait "$rep")
		fault=$(jnum fault "$rep")
		busy=$(jnum flash_busy_us "$rep")
		pe=$(jnum page_erases "$rep")
		me=$(jnum mass_erases "$rep")
		prog=$(sed -n 's/.*"flash":{"programs":\([0-9][0-9]*\).*/\1/p' "$rep")
		sig="$us $cyc $ok $wait $fault $busy $pe $me $prog"
		if [ -z "$first" ]; then
			first=$sig
			read -r ucpu scpu <"$dir/cpu"
		elif [ "$sig" != "$first" ]; then
			fail "$wl, $tool: run $r gave other modelled figures" \
				"($sig) than run 1 ($first)"
		fi
	done
	R_WL+=("$wl") R_TOOL+=("$tool") R_KIND+=("$kind")
	R_CMD+=("$(shown "${cmd[@]}")")
	R_US+=("$us") R_CYC+=("$cyc") R_OK+=("$ok") R_WAIT+=("$wait")
	R_FAULT+=("$fault") R_BUSY+=("$busy") R_PE+=("$pe") R_ME+=("$me")
	R_PROG+=("$prog")
	R_CPU+=("$(awk -v u="$ucpu" -v s="$scpu" 'BEGIN { printf "%.2f", u + s }')")
}

# workload NAME BEFORE AFTER [read]: its limit, for the rows that follow.
workload() {
	local lim
	if [ "${4:-}" = read ]; then
		lim=$(mk readlimit "$FLASH_SIZE" "$SWCLK_HZ")
	else
		lim=$(mk limit "$2" "$3" "$PAGE" "$PROG_NS" "$PAGE_ERASE_US" \
			"$MASS_ERASE_US" "$SWCLK_HZ")
	fi
	WL_NAMES+=("$1")
	WL_LIMIT+=("$lim")
	printf 'bench: %s\n' "$1" >&2
}

OCD=("$openocd" -f "$tmp/vboard.cfg" -c init)
OCD_NOWA=("$openocd" -c "set WORKAREASIZE 0" -f "$tmp/vboard.cfg" -c init)
UB=("$unbrick" -B "$BOARD")

if [ "$quick" = 1 ]; then
	W="quick: write 8 KB + verify"
	workload "$W" "$D/erased.bin" "$D/img8k.after"
	run_case "$W" unbrick unbrick - flash "$D/img8k.after" -- \
		"${UB[@]}" write "$D/img8k.bin"
	run_case "$W" "openocd" openocd - flash "$D/img8k.after" -- \
		"${OCD[@]}" -c "program $D/img8k.bin $FLASH_BASE verify reset" \
		-c shutdown
else
	W="1. write 128 KB + verify"
	workload "$W" "$D/erased.bin" "$D/img.bin"
	run_case "$W" unbrick unbrick - flash "$D/img.bin" -- \
		"${UB[@]}" write "$D/img.bin"
	run_case "$W" "unbrick --no-backup" unbrick - flash "$D/img.bin" -- \
		"${UB[@]}" --no-backup write "$D/img.bin"
	run_case "$W" "openocd" openocd - flash "$D/img.bin" -- \
		"${OCD[@]}" -c "program $D/img.bin $FLASH_BASE verify reset" \
		-c shutdown
	run_case "$W" "openocd, no work area" openocd - flash "$D/img.bin" -- \
		"${OCD_NOWA[@]}" \
		-c "program $D/img.bin $FLASH_BASE verify reset" -c shutdown

	W="4a. sparse 10 x 4 KB (HEX), erased chip"
	workload "$W" "$D/erased.bin" "$D/sparse.after"
	run_case "$W" unbrick unbrick - flash "$D/sparse.after" -- \
		"${UB[@]}" write "$D/sparse.hex"
	run_case "$W" "openocd" openocd - flash "$D/sparse.after" -- \
		"${OCD[@]}" -c "program $D/sparse.hex verify reset" -c shutdown

	W="4b. sparse 10 x 4 KB (HEX) over a 128 KB image"
	workload "$W" "$D/img.bin" "$D/sparse-over.after"
	run_case "$W" unbrick unbrick "$D/img.bin" flash \
		"$D/sparse-over.after" -- "${UB[@]}" write "$D/sparse.hex"
	run_case "$W" "openocd" openocd "$D/img.bin" flash \
		"$D/sparse-over.after" -- \
		"${OCD[@]}" -c "program $D/sparse.hex verify reset" -c shutdown

	W="4c. one page changed in a 128 KB image"
	workload "$W" "$D/img.bin" "$D/img-page37.bin"
	run_case "$W" unbrick unbrick "$D/img.bin" flash \
		"$D/img-page37.bin" -- "${UB[@]}" write "$D/img-page37.bin"
	run_case "$W" "openocd" openocd "$D/img.bin" flash \
		"$D/img-page37.bin" -- "${OCD[@]}" \
		-c "program $D/img-page37.bin $FLASH_BASE verify reset" \
		-c shutdown

	W="5. read 128 KB"
	workload "$W" "$D/img.bin" "$D/img.bin" read
	run_case "$W" unbrick unbrick "$D/img.bin" "$tmp/out.bin" \
		"$D/img.bin" -- "${UB[@]}" read flash "$tmp/out.bin"
	run_case "$W" "openocd" openocd "$D/img.bin" "$tmp/out.bin" \
		"$D/img.bin" -- "${OCD[@]}" \
		-c "dump_image $tmp/out.bin $FLASH_BASE $FLASH_SIZE" -c shutdown
fi

# --- the table ---
limit_of() {
	local i
	for i in "${!WL_NAMES[@]}"; do
		if [ "${WL_NAMES[$i]}" = "$1" ]; then
			# shellcheck disable=SC2086 # seven numbers
			set -- ${WL_LIMIT[$i]}
			printf '%s' "$7"
			return
		fi
	done
}

# The peer of row i: the first row of the same workload by the other tool.
peer_of() {
	local i=$1 j
	for j in "${!R_WL[@]}"; do
		if [ "${R_WL[$j]}" = "${R_WL[$i]}" ] &&
			[ "${R_KIND[$j]}" != "${R_KIND[$i]}" ]; then
			printf '%s' "$j"
			return
		fi
	done
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'
}

secs() {
	awk -v u="$1" 'BEGIN { printf "%.3f", u / 1e6 }'
}

table() {
	local i p erases
	echo "| workload | tool | modelled s | SWCLK cycles | SWD transactions OK / WAIT | flash busy s | page erases | halfwords programmed | host CPU s | × peer | × limit |"
	echo "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
	for i in "${!R_WL[@]}"; do
		p=$(peer_of "$i")
		erases=${R_PE[$i]}
		[ "${R_ME[$i]}" = 0 ] || erases="$erases + ${R_ME[$i]} mass"
		printf '| %s | %s | %s | %s | %s / %s | %s | %s | %s | %s | %s | %s |\n' \
			"${R_WL[$i]}" "${R_TOOL[$i]}" "$(secs "${R_US[$i]}")" \
			"${R_CYC[$i]}" "${R_OK[$i]}" "${R_WAIT[$i]}" \
			"$(secs "${R_BUSY[$i]}")" "$erases" "${R_PROG[$i]}" \
			"${R_CPU[$i]}" \
			"$([ -n "$p" ] && ratio "${R_US[$i]}" "${R_US[$p]}" || echo -)" \
			"$(ratio "${R_US[$i]}" "$(limit_of "${R_WL[$i]}")")"
	done
}

limits_table() {
	local i
	echo "| workload | halfwords to program | pages to erase | bytes on the wire | programming s | erasing s | wire s | limit s |"
	echo "|---|--:|--:|--:|--:|--:|--:|--:|"
	for i in "${!WL_NAMES[@]}"; do
		# shellcheck disable=SC2086
		set -- ${WL_LIMIT[$i]}
		printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' \
			"${WL_NAMES[$i]}" "$1" "$2" "$3" "$(secs "$4")" \
			"$(secs "$5")" "$(secs "$6")" "$(secs "$7")"
	done
}

echo
table
echo
limits_table
echo

[ "$quick" = 1 ] && exit 0
[ "$out" = - ] && exit 0

# --- bench/RESULTS.md ---
conclusions() {
	local i p a b verdict work
	for i in "${!R_WL[@]}"; do
		[ "${R_TOOL[$i]}" = unbrick ] || continue
		p=$(peer_of "$i")
		[ -n "$p" ] || continue
		a=${R_US[$i]} b=${R_US[$p]}
		if [ "$a" -gt "$b" ]; then
			verdict="unbrick is **slower**: $(ratio "$a" "$b") × OpenOCD's time"
		elif [ "$a" -lt "$b" ]; then
			verdict="unbrick is faster: OpenOCD takes $(ratio "$b" "$a") × unbrick's time"
		else
			verdict="the same time"
		fi
		work=''
		if [ "${R_PROG[$i]}${R_PE[$i]}${R_ME[$i]}" != 000 ] ||
			[ "${R_PROG[$p]}${R_PE[$p]}${R_ME[$p]}" != 000 ]; then
			work="; unbrick erased ${R_PE[$i]} page(s) and programmed ${R_PROG[$i]} halfwords, OpenOCD erased ${R_PE[$p]} page(s)"
			[ "${R_ME[$p]}" = 0 ] ||
				work="$work plus ${R_ME[$p]} mass erase(s)"
			work="$work and programmed ${R_PROG[$p]} halfwords"
		fi
		printf -- '- %s: unbrick %s s, OpenOCD %s s: %s%s; the physical limit is %s s.\n' \
			"${R_WL[$i]}" "$(secs "$a")" "$(secs "$b")" "$verdict" \
			"$work" "$(secs "$(limit_of "${R_WL[$i]}")")"
	done
}

commands() {
	local i
	for i in "${!R_WL[@]}"; do
		printf -- '- %s, %s:\n\n      %s\n\n' "${R_WL[$i]}" "${R_TOOL[$i]}" \
			"${R_CMD[$i]}"
	done
}

{
	cat <<EOF
# Benchmark results

Written by \`make bench\` (bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC');
do not edit by hand: change bench/run.sh or bench/notes.md and run it again.
How the bench works, and what the columns mean: bench/README.md.

- unbrick: $("$unbrick" --version 2>&1 | head -n 1) ($(git -C "$src" describe --always --dirty 2>/dev/null || echo "no git")), $("$unbrick" --version 2>&1 | sed -n 2p)
- OpenOCD: $("$openocd" --version 2>&1 | head -n 1) ($(dpkg-query -W -f='${Version}' openocd 2>/dev/null || echo "?"))
- virtual board: tests/vboard of the same tree, Unicorn $(dpkg-query -W -f='${Version}' libunicorn2 2>/dev/null || echo "?"); board \`$BOARD\` (STM32F103CB, 128 KB in 1 KB pages); settings: SWCLK $((SWCLK_HZ / 1000)) kHz, halfword program $PROG_NS ns, page erase $PAGE_ERASE_US µs, mass erase $MASS_ERASE_US µs, host_idle=1 (a sleep the tool asks for moves the board's clock by exactly that)
- host: $(uname -srm), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
- every case ran $repeat times, each on a fresh board, with identical modelled figures each time

## Results

$(table)

Modelled times are the virtual board's clock for the whole session (from
the first open of the GPIO chip to the last close): every SWCLK edge, flash
busy time the tool waited for, CPU time of code run on the target, and the
pauses the tool asked for. "× peer" divides by the other tool's first row of
the same workload (OpenOCD with its work area for unbrick's rows, unbrick
with its backup for OpenOCD's): above 1 is slower. "× limit" divides by the
physical limit below. Host CPU seconds are user + system of the whole run,
including the virtual board itself, which runs inside the tool's process
(the stand-in libgpiod); they vary from run to run and say little about a
real Pi.

## The physical limits

$(limits_table)

Per workload, from the flash before and after (bench/mkimage.c, \`limit\`):

    limit = max(halfwords × tPROG + erases × tERASE,  ceil(bytes / 4) × 46 / fSWCLK)

- halfwords: those that must be programmed. A page the image leaves as it
  is costs nothing; a page whose old content can become the new one by
  programming alone (only erased 0xFFFF halfwords change) costs its changed
  halfwords; any other changed page costs one page erase and every
  halfword of its new content that is not 0xFFFF (DESIGN.md §5: blank data
  needs no programming). When every page needs an erase, one mass erase
  may replace them.
- tPROG = $PROG_NS ns (DS5319 typical, the board's \`prog_ns\`), tERASE =
  $PAGE_ERASE_US µs (the board's \`page_erase_us\`).
- bytes: what must cross the wire, 2 per halfword programmed (a read: every
  byte read). SWD moves a 32-bit word in about 46 SWCLK cycles with
  auto-increment (DESIGN.md §5), so at $((SWCLK_HZ / 1000)) kHz 1 KB takes 11.8 ms.
- max: a loader in RAM receives the next block while the flash programs the
  last one, so wire and programming overlap; the slower of the two bounds
  the job. Verifying is free in the limit: a CRC computed on the target.
  Connecting, resets and the tools' pauses are not in it.

## Conclusions

$(conclusions)

$(cat "$here/notes.md" 2>/dev/null)

## Not yet

- 2. UART at 115200 baud, unbrick (ROM bootloader, and with its loader) vs
  stm32flash 0.7 \`-w -v\`: not yet: needs the UART path.
- 3. SST25VF016B, 2 MB, unbrick through the MCU vs flashrom over serprog:
  not yet: needs the SPI path.
- 5. over UART: not yet: needs the UART path.

## The exact commands

\$TMP is the bench's temporary directory; paths starting with ./ are in
the source tree. Images: bench/mkimage.c, \`bin 1 131072\` (128 KB),
\`hex 3\` (10 chunks of 4 KB at offsets 0, 13 K, 26 K, … 117 K),
\`patch … $((37 * PAGE)) $PAGE 4\` (page 37 made new).
Each command runs as \`timeout -k 5 $tlimit COMMAND\`, with
UNBRICK_BACKUPS=\$TMP/backups, on the state directory of that run
(\`runs/CASE-RUN\`, new for every run, with \`flash.bin\` the image
before when the workload starts from a programmed chip). OpenOCD's
\$TMP/vboard.cfg, wired as boards/spark-core.conf:

\`\`\`
$(cat "$tmp/vboard.cfg")
\`\`\`

$(commands)
EOF
} >"$out.tmp" || die "cannot write $out.tmp"
mv "$out.tmp" "$out" || die "cannot write $out"
printf 'bench: wrote %s\n' "$out" >&2
