# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# bench/run.sh's cases, limits and tables (sourced, not run). See
# bench/README.md. Needs from run.sh: tmp, src, wvb, repeat, tlimit, mk,
# fail, SETS, SERPROG_PORT.

# Rows: parallel arrays, one entry per tool run (or per case not run yet).
R_WL=() R_TOOL=() R_KIND=() R_LINK=() R_LIM=() R_CMD=() R_NY=() R_VARY=()
R_REP=()
R_US=() R_CYC=() R_OK=() R_WAIT=() R_BUSY=() R_PE=() R_ME=() R_PROG=()
R_UIN=() R_UOUT=() R_SB=() R_SP=() R_SE=() R_SBUSY=() R_CPU=() R_WALL=()
# Limits: one per workload and link; a row names its limit by index.
L_WL=() L_LINK=() L_KIND=() L_VALS=()
cur_lim=''

# A number from a session report: jnum KEY FILE [DEFAULT], or jnum
# OBJECT.KEY FILE [DEFAULT] for a key inside one of its objects ("flash",
# "spi", "uart"). Nothing (or DEFAULT) when the report has no such key.
jnum() {
	local v
	case $1 in
	*.*)
		v=$(sed -n "s/.*\"${1%%.*}\":{\([^}]*\)}.*/\1/p" "$2" |
			sed -n "s/.*\"${1#*.}\":\([0-9][0-9]*\).*/\1/p")
		;;
	*) v=$(sed -n "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p" "$2") ;;
	esac
	printf '%s' "${v:-${3:-}}"
}

# A command as one would type it: paths as $TMP (the temporary directory)
# and ./ (this tree), arguments with spaces or quotes in single quotes.
shown() {
	local a q line=''
	for a in "$@"; do
		q=''
		case $a in
		*[[:space:]\"\$]*) q=\' ;;
		esac
		a=${a//"$tmp"/\$TMP}
		a=${a//"$src/"/./}
		line=${line:+$line }$q$a$q
	done
	printf '%s' "$line"
}

# limit_flash NAME BEFORE AFTER LINK, limit_read NAME SIZE LINK,
# limit_spi NAME BEFORE AFTER LINK: the physical limit of the rows that
# follow (bench/mkimage.c). LINK: swd:HZ, uart:BAUD, clip.
# The same workload and link again: its limit again, not a second one.
limit_add() {
	local i
	for i in "${!L_WL[@]}"; do
		if [ "${L_WL[$i]}" = "$1" ] && [ "${L_LINK[$i]}" = "$2" ]; then
			cur_lim=$i
			return
		fi
	done
	L_WL+=("$1") L_LINK+=("$2") L_KIND+=("$3") L_VALS+=("$4")
	cur_lim=$((${#L_WL[@]} - 1))
}
limit_flash() {
	limit_add "$1" "$4" flash "$(mk limit "$2" "$3" "$PAGE" "$PROG_NS" \
		"$PAGE_ERASE_US" "$MASS_ERASE_US" "$4")"
}
limit_read() {
	limit_add "$1" "$3" flash "$(mk readlimit "$2" "$3")"
}
limit_spi() {
	limit_add "$1" "$4" spi "$(mk spilimit "$2" "$3" "$SPI_HZ" "$4")"
}

# The limit's value in µs (the last of its numbers).
limit_us() {
	# shellcheck disable=SC2086 # seven numbers
	set -- ${L_VALS[$1]}
	printf '%s' "$7"
}

# A link for people: swd:1000000 -> "SWD 1 MHz".
link_name() {
	case $1 in
	swd:*) awk -v f="${1#swd:}" 'BEGIN { printf "SWD %g MHz", f / 1e6 }' ;;
	uart:*) printf 'UART %s' "${1#uart:}" ;;
	clip) printf 'clip, SPI %s MHz' "$((SPI_HZ / 1000000))" ;;
	*) printf '%s' "$1" ;;
	esac
}

row_add() { # WL TOOL KIND LINK CMD NOTYET
	R_WL+=("$1") R_TOOL+=("$2") R_KIND+=("$3") R_LINK+=("$4")
	R_LIM+=("$cur_lim") R_CMD+=("$5") R_NY+=("$6") R_VARY+=("${7:-}")
	R_REP+=("${8:-0}")
}

# not_yet WORKLOAD TOOL KIND LINK WHY: a row that says why it has no
# numbers.
not_yet() {
	row_add "$1" "$2" "$3" "$4" '' "$5"
	R_US+=('') R_CYC+=('') R_OK+=('') R_WAIT+=('') R_BUSY+=('') R_PE+=('')
	R_ME+=('') R_PROG+=('') R_UIN+=('') R_UOUT+=('') R_SB+=('') R_SP+=('')
	R_SE+=('') R_SBUSY+=('') R_CPU+=('') R_WALL+=('')
	printf 'bench: %s, %s: not yet: %s\n' "$1" "$2" "$5" >&2
}

# run_case WORKLOAD TOOL KIND LINK [OPTION]... -- COMMAND...
#   KIND: unbrick, or the peer's name (openocd, stm32flash, flashrom);
#   LINK: swd:HZ, uart:BAUD or clip, for the table. Options:
#     -b BOARD   the board profile (default $BOARD)
#     -f FILE    the MCU flash before (flash.bin; default: erased)
#     -s FILE    the SPI flash before (spi.bin; default: erased)
#     -S K=V     a board setting (repeatable)
#     -r N       run it N times, not $repeat (cases that take minutes)
#     -u         the board server, USART1 on $UB_VBOARD_TTY (--uart)
#     -p         the board server serves serprog on $SERPROG_PORT
#     -c flash=FILE | spi=FILE | out=FILE
#                afterwards the MCU flash, the SPI flash, or the file
#                $tmp/out.bin must equal FILE (repeatable); with out=, the
#                flashes must also be as they were.
run_case() {
	local wl=$1 tool=$2 kind=$3 link=$4
	shift 4
	local board=$BOARD fbefore='' sbefore='' sets=() srv=() checks=() c
	local runs=$repeat
	while [ "$1" != -- ]; do
		case $1 in
		-u) srv+=(--uart) ;;
		-p) srv+=(--serprog "$SERPROG_PORT") ;;
		-b) board=$2 ;;
		-f) fbefore=$2 ;;
		-s) sbefore=$2 ;;
		-S) sets+=(--set "$2") ;;
		-c) checks+=("$2") ;;
		-r) [ "$2" -lt "$repeat" ] && runs=$2 ;;
		*) fail "run_case: unknown option $1" ;;
		esac
		case $1 in
		-u | -p) shift ;;
		*) shift 2 ;;
		esac
	done
	shift
	local first='' r dir rep log status sig ucpu scpu t0 t1 wall=0 cmd
	local vary=''
	case_n=$((case_n + 1))
	printf 'bench: %s, %s\n' "$wl" "$tool" >&2
	for r in $(seq 1 "$runs"); do
		dir=$tmp/runs/$case_n-$r
		mkdir -p "$dir"
		rep=$dir/report.json log=$dir/log
		[ -z "$fbefore" ] || cp "$fbefore" "$dir/flash.bin"
		[ -z "$sbefore" ] || cp "$sbefore" "$dir/spi.bin"
		rm -f "$tmp/out.bin"
		cmd=("$wvb" --board "$board" --state "$dir" --report "$rep"
			"${SETS[@]}" "${sets[@]}" "${srv[@]}" -- "$@")
		TIMEFORMAT='%3U %3S'
		t0=$(date +%s.%N)
		{ time UNBRICK_BACKUPS=$tmp/backups timeout -k 5 "$tlimit" \
			"${cmd[@]}" >"$log" 2>&1 </dev/null; } 2>"$dir/cpu"
		status=$?
		t1=$(date +%s.%N)
		wall=$(awk -v w="$wall" -v a="$t0" -v b="$t1" \
			'BEGIN { printf "%.1f", w + b - a }')
		if [ "$status" -ne 0 ] || [ ! -s "$rep" ]; then
			tail -n 25 "$log" >&2
			fail "$wl, $tool: exit status $status (124: timed" \
				"out); its log: $log"
		fi
		for c in "${checks[@]}"; do
			case $c in
			flash=*)
				cmp -s "$dir/flash.bin" "${c#*=}" ||
					fail "$wl, $tool: the board's flash does" \
						"not hold the image afterwards ($dir)"
				;;
			spi=*)
				cmp -s "$dir/spi.bin" "${c#*=}" ||
					fail "$wl, $tool: the SPI flash does not" \
						"hold the image afterwards ($dir)"
				;;
			out=*)
				cmp -s "$tmp/out.bin" "${c#*=}" ||
					fail "$wl, $tool: what it read differs" \
						"from the flash ($dir)"
				if [ -n "$fbefore" ]; then
					cmp -s "$dir/flash.bin" "$fbefore" ||
						fail "$wl, $tool: reading" \
							"changed the flash"
				fi
				;;
			esac
		done
		sig="$(jnum modeled_us "$rep") $(jnum swclk_cycles "$rep")"
		sig="$sig $(jnum swd_transactions.ok "$rep")"
		sig="$sig $(jnum swd_transactions.wait "$rep")"
		sig="$sig $(jnum flash_busy_us "$rep")"
		sig="$sig $(jnum flash.page_erases "$rep")"
		sig="$sig $(jnum flash.mass_erases "$rep")"
		sig="$sig $(jnum flash.programs "$rep")"
		# no "uart" without the board server
		sig="$sig $(jnum uart.bytes_in "$rep" 0) $(jnum uart.bytes_out "$rep" 0)"
		sig="$sig $(jnum spi.bytes "$rep") $(jnum spi.programs "$rep")"
		sig="$sig $(jnum spi.erases "$rep") $(jnum spi.busy_us "$rep")"
		if [ -z "$first" ]; then
			first=$sig
			read -r ucpu scpu <"$dir/cpu"
		elif [ "$sig" != "$first" ] && [ -z "$vary" ]; then
			# a defect (the tool depends on the host's timing):
			# shown in its row, and the bench fails at the end
			vary="run $r: $(secs "${sig%% *}") s"
			printf 'bench: %s, %s: run %s gave other modelled figures (%s) than run 1 (%s)\n' \
				"$wl" "$tool" "$r" "$sig" "$first" >&2
			# shellcheck disable=SC2034 # run.sh's
			keep=1
		fi
	done
	row_add "$wl" "$tool" "$kind" "$link" "$(shown "${cmd[@]}")" '' \
		"$vary" "$runs"
	# shellcheck disable=SC2086 # the fourteen numbers
	set -- $first
	[ $# = 14 ] || fail "$wl, $tool: a report without all its figures ($rep)"
	R_US+=("$1") R_CYC+=("$2") R_OK+=("$3") R_WAIT+=("$4") R_BUSY+=("$5")
	R_PE+=("$6") R_ME+=("$7") R_PROG+=("$8") R_UIN+=("$9") R_UOUT+=("${10}")
	R_SB+=("${11}") R_SP+=("${12}") R_SE+=("${13}") R_SBUSY+=("${14}")
	R_CPU+=("$(awk -v u="$ucpu" -v s="$scpu" 'BEGIN { printf "%.2f", u + s }')")
	R_WALL+=("$wall")
}

# --- the tables ---

# The peer of row i: the first measured row of the same workload by
# another kind of tool.
peer_of() {
	local i=$1 j
	for j in "${!R_WL[@]}"; do
		if [ "${R_WL[$j]}" = "${R_WL[$i]}" ] && [ -z "${R_NY[$j]}" ] &&
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

# Row i's modelled seconds (run 1's, and another run's when they differ).
modelled() {
	secs "${R_US[$1]}"
	[ -z "${R_VARY[$1]}" ] || printf ' (**varies**: %s)' "${R_VARY[$1]}"
}

# Is row i in table T (flash: the MCU's flash; spi: the SPI flash)?
in_table() {
	[ "${L_KIND[${R_LIM[$1]}]}" = "$2" ]
}

# The columns every table ends with: host CPU s, × peer, × limit.
tail_cols() {
	local i=$1 p
	p=$(peer_of "$i")
	printf ' %s | %s | %s |\n' "${R_CPU[$i]}" \
		"$([ -n "$p" ] && ratio "${R_US[$i]}" "${R_US[$p]}" || echo -)" \
		"$(ratio "${R_US[$i]}" "$(limit_us "${R_LIM[$i]}")")"
}

# The wire: SWCLK cycles, or UART bytes to / from the board.
wire_col() {
	case ${R_LINK[$1]} in
	uart:*) printf '%s / %s B' "${R_UIN[$1]}" "${R_UOUT[$1]}" ;;
	clip) printf '%s SPI B' "${R_SB[$1]}" ;;
	*) printf '%s cycles' "${R_CYC[$1]}" ;;
	esac
}

table_flash() {
	local i erases swd
	echo "| workload | tool | link | modelled s | on the wire | SWD transactions OK / WAIT | flash busy s | page erases | halfwords programmed | host CPU s | × peer | × limit |"
	echo "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
	for i in "${!R_WL[@]}"; do
		in_table "$i" flash || continue
		printf '| %s | %s | %s |' "${R_WL[$i]}" "${R_TOOL[$i]}" \
			"$(link_name "${R_LINK[$i]}")"
		if [ -n "${R_NY[$i]}" ]; then
			printf ' not yet: %s | | | | | | | | |\n' "${R_NY[$i]}"
			continue
		fi
		erases=${R_PE[$i]}
		[ "${R_ME[$i]}" = 0 ] || erases="$erases + ${R_ME[$i]} mass"
		swd="${R_OK[$i]} / ${R_WAIT[$i]}"
		[ "${R_CYC[$i]}" != 0 ] || swd=-
		printf ' %s | %s | %s | %s | %s | %s |' "$(modelled "$i")" \
			"$(wire_col "$i")" "$swd" "$(secs "${R_BUSY[$i]}")" \
			"$erases" "${R_PROG[$i]}"
		tail_cols "$i"
	done
}

table_spi() {
	local i
	echo "| workload | tool | link | modelled s | on the link | SPI bus bytes | SPI busy s | SPI erases | AAI words programmed | host CPU s | × peer | × limit |"
	echo "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
	for i in "${!R_WL[@]}"; do
		in_table "$i" spi || continue
		printf '| %s | %s | %s |' "${R_WL[$i]}" "${R_TOOL[$i]}" \
			"$(link_name "${R_LINK[$i]}")"
		if [ -n "${R_NY[$i]}" ]; then
			printf ' not yet: %s | | | | | | | | |\n' "${R_NY[$i]}"
			continue
		fi
		printf ' %s | %s | %s | %s | %s | %s |' "$(modelled "$i")" \
			"$([ "${R_LINK[$i]}" = clip ] && echo - || wire_col "$i")" \
			"${R_SB[$i]}" "$(secs "${R_SBUSY[$i]}")" "${R_SE[$i]}" \
			"${R_SP[$i]}"
		tail_cols "$i"
	done
}

limits_table_flash() {
	local i
	echo "| workload | link | halfwords to program | pages to erase | bytes on the wire | programming s | erasing s | wire s | limit s |"
	echo "|---|---|--:|--:|--:|--:|--:|--:|--:|"
	for i in "${!L_WL[@]}"; do
		[ "${L_KIND[$i]}" = flash ] || continue
		# shellcheck disable=SC2086
		set -- ${L_VALS[$i]}
		printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
			"${L_WL[$i]}" "$(link_name "${L_LINK[$i]}")" "$1" "$2" \
			"$3" "$(secs "$4")" "$(secs "$5")" "$(secs "$6")" \
			"$(secs "$7")"
	done
}

limits_table_spi() {
	local i
	echo "| workload | link | AAI words | erasing s | programming s (tBP) | SPI bus s | bytes over the link | link s | limit s |"
	echo "|---|---|--:|--:|--:|--:|--:|--:|--:|"
	for i in "${!L_WL[@]}"; do
		[ "${L_KIND[$i]}" = spi ] || continue
		# shellcheck disable=SC2086
		set -- ${L_VALS[$i]}
		printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
			"${L_WL[$i]}" "$(link_name "${L_LINK[$i]}")" "$1" \
			"$(secs "$2")" "$(secs "$3")" "$(secs "$4")" "$5" \
			"$(secs "$6")" "$(secs "$7")"
	done
}

# Host time: wall seconds of all the runs of each workload.
host_times() {
	local i j seen n m wall
	echo "| workload | cases | runs | host wall s |"
	echo "|---|--:|--:|--:|"
	for i in "${!R_WL[@]}"; do
		seen=''
		for ((j = 0; j < i; j++)); do
			[ "${R_WL[$j]}" != "${R_WL[$i]}" ] || seen=1
		done
		[ -z "$seen" ] || continue
		n=0 m=0 wall=0
		for j in "${!R_WL[@]}"; do
			[ "${R_WL[$j]}" = "${R_WL[$i]}" ] || continue
			n=$((n + 1))
			[ -n "${R_NY[$j]}" ] && continue
			m=$((m + R_REP[j]))
			wall=$(awk -v a="$wall" -v b="${R_WALL[$j]}" \
				'BEGIN { printf "%.1f", a + b }')
		done
		printf '| %s | %d | %d | %s |\n' "${R_WL[$i]}" "$n" "$m" "$wall"
	done
	printf '| the whole bench, with its trial runs | | | %s |\n' "$SECONDS"
}

tables() {
	echo "The MCU's internal flash:"
	echo
	table_flash
	echo
	if [ -n "$(for i in "${!R_WL[@]}"; do in_table "$i" spi && echo y; done)" ]; then
		echo "The SPI flash (SST25VF016B):"
		echo
		table_spi
		echo
	fi
}
