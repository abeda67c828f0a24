# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# bench/RESULTS.md from the rows of a full run (sourced by bench/run.sh).

peer_name() {
	case $1 in
	openocd) printf 'OpenOCD' ;;
	*) printf '%s' "$1" ;;
	esac
}

pkg() {
	dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "?"
}

# One line per unbrick row that has a peer: who is faster, and the work
# each did.
conclusions() {
	local i p a b peer verdict work
	for i in "${!R_WL[@]}"; do
		[ "${R_KIND[$i]}" = unbrick ] && [ -z "${R_NY[$i]}" ] || continue
		p=$(peer_of "$i")
		[ -n "$p" ] || continue
		a=${R_US[$i]} b=${R_US[$p]} peer=$(peer_name "${R_KIND[$p]}")
		if [ "$a" -gt "$b" ]; then
			verdict="unbrick is **slower**: $(ratio "$a" "$b") × $peer's time"
		elif [ "$a" -lt "$b" ]; then
			verdict="unbrick is faster: $peer takes $(ratio "$b" "$a") × unbrick's time"
		else
			verdict="the same time"
		fi
		work=''
		if in_table "$i" spi; then
			work="; unbrick erased ${R_SE[$i]} time(s) and programmed ${R_SP[$i]} AAI words, $peer erased ${R_SE[$p]} time(s) and programmed ${R_SP[$p]}"
		elif [ "${R_PROG[$i]}${R_PE[$i]}${R_ME[$i]}" != 000 ] ||
			[ "${R_PROG[$p]}${R_PE[$p]}${R_ME[$p]}" != 000 ]; then
			work="; unbrick erased ${R_PE[$i]} page(s) and programmed ${R_PROG[$i]} halfwords, $peer erased ${R_PE[$p]} page(s)"
			[ "${R_ME[$p]}" = 0 ] ||
				work="$work plus ${R_ME[$p]} mass erase(s)"
			work="$work and programmed ${R_PROG[$p]} halfwords"
		fi
		printf -- '- %s, %s (%s): unbrick %s s, %s %s s: %s%s; the physical limit is %s s.\n' \
			"${R_WL[$i]}" "${R_TOOL[$i]}" "$(link_name "${R_LINK[$i]}")" \
			"$(secs "$a")" "$peer" "$(secs "$b")" "$verdict" "$work" \
			"$(secs "$(limit_us "${R_LIM[$i]}")")"
	done
}

# The cases that ran fewer times than the others.
once() {
	local i list=''
	for i in "${!R_WL[@]}"; do
		[ -z "${R_NY[$i]}" ] && [ "${R_REP[$i]}" -lt "$repeat" ] || continue
		list="$list; ${R_WL[$i]%%:*} ${R_TOOL[$i]} ($(link_name "${R_LINK[$i]}"))"
	done
	[ -z "$list" ] ||
		printf ' (once, for minutes of host time each: %s)' "${list#; }"
}

not_yet_list() {
	local i any=''
	for i in "${!R_WL[@]}"; do
		if [ -n "${R_NY[$i]}" ]; then
			any=1
			printf -- '- %s, %s (%s): not yet: %s\n' "${R_WL[$i]}" \
				"${R_TOOL[$i]}" "$(link_name "${R_LINK[$i]}")" \
				"${R_NY[$i]}"
		elif [ -n "${R_VARY[$i]}" ]; then
			any=1
			printf -- '- %s, %s (%s): its modelled figures vary from run to run (run 1: %s s, %s): it depends on the host'"'"'s timing on the virtual board\n' \
				"${R_WL[$i]}" "${R_TOOL[$i]}" \
				"$(link_name "${R_LINK[$i]}")" \
				"$(secs "${R_US[$i]}")" "${R_VARY[$i]}"
		fi
	done
	[ -n "$any" ] || echo "Nothing: every workload ran with every tool."
}

commands() {
	local i
	for i in "${!R_WL[@]}"; do
		[ -z "${R_NY[$i]}" ] || continue
		printf -- '- %s, %s:\n\n      %s\n\n' "${R_WL[$i]}" "${R_TOOL[$i]}" \
			"${R_CMD[$i]}"
	done
}

{
	cat <<EOF
# Benchmark results

Written by \`make bench\` (bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC');
do not edit by hand: change bench/run.sh, bench/cases.sh or bench/notes.md
and run it again. How the bench works, and what the columns mean:
bench/README.md.

- unbrick: $("$unbrick" --version 2>&1 | head -n 1) ($(git -C "$src" describe --always --dirty 2>/dev/null || echo "no git")), $("$unbrick" --version 2>&1 | sed -n 2p)
- OpenOCD: $("$openocd" --version 2>&1 | head -n 1) ($(pkg openocd))
- stm32flash: $(pkg stm32flash) (Debian); flashrom: $(pkg flashrom) (Debian), its serprog programmer
- virtual board: tests/vboard of the same tree, Unicorn $(pkg libunicorn2); boards \`$BOARD\` (SWD) and \`$UBOARD\` (UART), both an STM32F103CB (128 KB in 1 KB pages), and bench/spark-core-bench.conf for the SPI flash (a Spark Core's SST25VF016B on SPI2, reachable over SWD and the UART); settings: SWCLK $((SWCLK_HZ / 1000)) kHz, UART $BAUD baud 8E1, SPI clock $((SPI_HZ / 1000000)) MHz (unbrick's \`--spi-speed\` and flashrom's \`spispeed\`), halfword program $PROG_NS ns, page erase $PAGE_ERASE_US µs, mass erase $MASS_ERASE_US µs, SST25VF016B AAI word 10 µs, sector/block erase 25 ms, chip erase 50 ms, host_idle=1 (a sleep the tool asks for moves the board's clock by exactly that)
- host: $(uname -srm), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
- every case ran $repeat times$(once), each on a fresh board, $([ -z "$varied" ] && echo "with identical modelled figures each time" || echo "with identical modelled figures each time except those marked **varies** (a defect: see \"Not yet\")")

## Results

$(tables)

Modelled times are the virtual board's clock for the whole session (from
the first open of the GPIO chip or the serial port to the last close):
every SWCLK edge and UART frame, flash busy time the tool waited for, CPU
time of code run on the target, the SPI clock, and the pauses the tool
asked for. "On the wire": SWCLK cycles over SWD; over the UART, the bytes
to the board / from it. "× peer" divides by the other tool's first row of
the same workload (OpenOCD with its work area, stm32flash or flashrom for
unbrick's rows, unbrick's first row for theirs): above 1 is slower. "×
limit" divides by the physical limit of the row's link, below. Host CPU
seconds are user + system of the whole run, including the virtual board
(inside the tool's process over SWD, the board server over the UART and
serprog); they vary from run to run and say little about a real Pi.

## The physical limits

The MCU's flash:

$(limits_table_flash)

The SPI flash:

$(limits_table_spi)

Per workload and link, from the memory before and after
(bench/mkimage.c, \`limit\`, \`readlimit\` and \`spilimit\`):

    flash:  limit = max(halfwords × tPROG + erases × tERASE,  wire)
    SPI:    limit = max(erase + words × (tBP + 24 / fSCK) + words × 16 / fSCK,  link)

- halfwords: those that must be programmed. A page the image leaves as it
  is costs nothing; a page whose old content can become the new one by
  programming alone (only erased 0xFFFF halfwords change) costs its changed
  halfwords; any other changed page costs one page erase and every
  halfword of its new content that is not 0xFFFF (DESIGN.md §5: blank data
  needs no programming). When every page needs an erase, one mass erase
  may replace them. tPROG = $PROG_NS ns (DS5319 typical, the board's
  \`prog_ns\`), tERASE = $PAGE_ERASE_US µs (\`page_erase_us\`).
- wire: 2 bytes per halfword programmed (a read: every byte read). SWD
  moves a 32-bit word in about 46 SWCLK cycles with auto-increment, so at
  $((SWCLK_HZ / 1000)) kHz 1 KB takes 11.8 ms; the UART moves a byte in 11 bit times (8E1),
  so at $BAUD baud at most 10.47 KB/s, 1 KB in 97.8 ms (DESIGN.md §5).
- words: the SST25VF016B's AAI words (2 bytes) to program, by 64 KB block
  as for the MCU's pages, or all of them after one chip erase when that is
  cheaper; erase: 25 ms a block, 50 ms the chip; tBP = 10 µs a word
  (DESIGN.md §5, the SST25VF016B datasheet). On the SPI bus each word is a
  command of 24 bits (0xAD and two data bytes), and verifying reads every
  written byte back once (16 bits a word), at fSCK = $((SPI_HZ / 1000000)) MHz.
- link: how the host reaches the chip: the 2 bytes of each word over SWD
  or the UART to a loader in the MCU's RAM; on the clip the SPI bus is
  the only wire (serprog's own link, TCP here, is not modelled: an ideal
  programmer).
- max: a loader in RAM receives the next block while the flash programs the
  last one, so wire and programming overlap; the slower of the two bounds
  the job. Verifying the MCU's flash is free in the limit: a CRC computed
  on the target. Connecting, resets, backups and the tools' pauses are not
  in it.

## Conclusions

$(conclusions)

$(cat "$here/notes.md" 2>/dev/null)

## Not yet

$(not_yet_list)

## Host time

Wall-clock seconds on this host, all runs of each workload together,
board included (the host was shared with other work; its load varies):

$(host_times)

## The exact commands

\$TMP is the bench's temporary directory; paths starting with ./ are in
the source tree. Images: bench/mkimage.c, \`bin 1 131072\` (128 KB),
\`hex 3\` (10 chunks of 4 KB at offsets 0, 13 K, 26 K, … 117 K),
\`patch … $((37 * PAGE)) $PAGE 4\` (page 37 made new), \`bin 5 2097152\`
(the SPI flash before, in \`spi.bin\`) and \`bin 6 2097152\` (written).
Each command runs as \`timeout -k 5 $tlimit COMMAND\`, with
UNBRICK_BACKUPS=\$TMP/backups, on the state directory of that run
(\`runs/CASE-RUN\`, new for every run, with \`flash.bin\` and \`spi.bin\`
the memories before when the workload starts from programmed ones).
OpenOCD's \$TMP/vboard.cfg, wired as boards/spark-core.conf:

\`\`\`
$(cat "$tmp/vboard.cfg")
\`\`\`

$(commands)
EOF
} >"$out.tmp" || die "cannot write $out.tmp"
mv "$out.tmp" "$out" || die "cannot write $out"
printf 'bench: wrote %s\n' "$out" >&2
