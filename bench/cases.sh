# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# The full bench's cases (sourced by bench/run.sh; bench/README.md).
# Each workload: its physical limit for a link (limit_*), then one
# run_case per tool, or a not_yet row saying what unbrick still lacks.

W="1. write 128 KB + verify"
limit_flash "$W" "$D/erased.bin" "$D/img.bin" "$SWD"
run_case "$W" unbrick unbrick "$SWD" -c flash="$D/img.bin" -- \
	"${UB[@]}" write "$D/img.bin"
run_case "$W" "unbrick --no-backup" unbrick "$SWD" -c flash="$D/img.bin" -- \
	"${UB[@]}" --no-backup write "$D/img.bin"
run_case "$W" openocd openocd "$SWD" -c flash="$D/img.bin" -- \
	"${OCD[@]}" -c "program $D/img.bin $FLASH_BASE verify reset" \
	-c shutdown
run_case "$W" "openocd, no work area" openocd "$SWD" -c flash="$D/img.bin" -- \
	"${OCD_NOWA[@]}" -c "program $D/img.bin $FLASH_BASE verify reset" \
	-c shutdown

W="2. write 128 KB + verify over UART"
limit_flash "$W" "$D/erased.bin" "$D/img.bin" "$UART"
run_case "$W" "unbrick, ROM bootloader" unbrick "$UART" -b "$UBOARD" -u \
	-c flash="$D/img.bin" -- \
	"${UBU_ROM[@]}" write "$D/img.bin" --port
run_case "$W" "unbrick --no-backup, ROM bootloader" unbrick "$UART" \
	-b "$UBOARD" -u -c flash="$D/img.bin" -- \
	"${UBU_ROM[@]}" --no-backup write "$D/img.bin" --port
if [ -n "$ldr_uart_why" ]; then
	not_yet "$W" "unbrick, loader" unbrick "$UART" "$ldr_uart_why"
else
	limit_flash "$W" "$D/erased.bin" "$D/img.bin" "uart:$LDR_BAUD"
	run_case "$W" "unbrick, loader" unbrick "uart:$LDR_BAUD" \
		-b "$UBOARD" -u -c flash="$D/img.bin" -- \
		"${UBU[@]}" write "$D/img.bin" --port
	run_case "$W" "unbrick --no-backup, loader" unbrick "uart:$LDR_BAUD" \
		-b "$UBOARD" -u -c flash="$D/img.bin" -- \
		"${UBU[@]}" --no-backup write "$D/img.bin" --port
	limit_flash "$W" "$D/erased.bin" "$D/img.bin" "$UART"
fi
run_case "$W" stm32flash stm32flash "$UART" -b "$UBOARD" -u -S boot0=1 \
	-c flash="$D/img.bin" -- "${SF[@]}" -w "$D/img.bin" -v

# 2 MB through the emulated MCU and over serprog take minutes of host time
# a run: these cases run once (-r 1).
W="3. SST25VF016B: write 2 MB + verify"
limit_spi "$W" "$D/spi-old.bin" "$D/spi-new.bin" "$SWD"
if [ -z "$spi_swd_why" ]; then
	run_case "$W" unbrick unbrick "$SWD" -b "$SBOARD" -r 1 \
		-s "$D/spi-old.bin" -c spi="$D/spi-new.bin" -- \
		"${UBS[@]}" --spi-speed "$SPI_HZ" write "$D/spi-new.bin@spi:0"
	run_case "$W" "unbrick --no-backup" unbrick "$SWD" -b "$SBOARD" -r 1 \
		-s "$D/spi-old.bin" -c spi="$D/spi-new.bin" -- \
		"${UBS[@]}" --spi-speed "$SPI_HZ" --no-backup \
		write "$D/spi-new.bin@spi:0"
	# a faster SWCLK (4 MHz: memory-mapped GPIO, DESIGN.md §5, not
	# libgpiod): the chip, not the wire, bounds it
	limit_spi "$W" "$D/spi-old.bin" "$D/spi-new.bin" swd:4000000
	run_case "$W" "unbrick --no-backup" unbrick swd:4000000 \
		-b "$SBOARD" -r 1 -S swclk_hz=4000000 \
		-s "$D/spi-old.bin" -c spi="$D/spi-new.bin" -- \
		"${UBS[@]}" --spi-speed "$SPI_HZ" --no-backup \
		write "$D/spi-new.bin@spi:0"
else
	not_yet "$W" unbrick unbrick "$SWD" "$spi_swd_why"
fi
if [ -z "$spi_uart_why" ]; then
	limit_spi "$W" "$D/spi-old.bin" "$D/spi-new.bin" "uart:$LDR_BAUD"
	run_case "$W" "unbrick --no-backup" unbrick "uart:$LDR_BAUD" \
		-b "$SBOARD" -u -r 1 -s "$D/spi-old.bin" \
		-c spi="$D/spi-new.bin" -- \
		"${UBSU[@]}" --spi-speed "$SPI_HZ" --no-backup \
		write "$D/spi-new.bin@spi:0" --port
	# at 1 Mbaud the wire, not the chip, bounds it
	limit_spi "$W" "$D/spi-old.bin" "$D/spi-new.bin" "uart:1000000"
	run_case "$W" "unbrick --no-backup" unbrick "uart:1000000" \
		-b "$SBOARD" -u -r 1 -s "$D/spi-old.bin" \
		-c spi="$D/spi-new.bin" -- \
		"${TTY[@]}" env UNBRICK_UART_LOADER=1000000 "$unbrick" \
		-B "$SBOARD" -I uart --spi-speed "$SPI_HZ" --no-backup \
		write "$D/spi-new.bin@spi:0" --port
else
	limit_spi "$W" "$D/spi-old.bin" "$D/spi-new.bin" "$UART"
	not_yet "$W" unbrick unbrick "$UART" "$spi_uart_why"
fi
limit_spi "$W" "$D/spi-old.bin" "$D/spi-new.bin" clip
run_case "$W" flashrom flashrom clip -b "$SBOARD" -p -r 1 \
	-s "$D/spi-old.bin" -c spi="$D/spi-new.bin" -- \
	"${FR[@]}" -w "$D/spi-new.bin"

W="4a. sparse 10 x 4 KB (HEX), erased chip"
limit_flash "$W" "$D/erased.bin" "$D/sparse.after" "$SWD"
run_case "$W" unbrick unbrick "$SWD" -c flash="$D/sparse.after" -- \
	"${UB[@]}" write "$D/sparse.hex"
run_case "$W" openocd openocd "$SWD" -c flash="$D/sparse.after" -- \
	"${OCD[@]}" -c "program $D/sparse.hex verify reset" -c shutdown

W="4b. sparse 10 x 4 KB (HEX) over a 128 KB image"
limit_flash "$W" "$D/img.bin" "$D/sparse-over.after" "$SWD"
run_case "$W" unbrick unbrick "$SWD" -f "$D/img.bin" \
	-c flash="$D/sparse-over.after" -- "${UB[@]}" write "$D/sparse.hex"
run_case "$W" openocd openocd "$SWD" -f "$D/img.bin" \
	-c flash="$D/sparse-over.after" -- \
	"${OCD[@]}" -c "program $D/sparse.hex verify reset" -c shutdown

W="4c. one page changed in a 128 KB image"
limit_flash "$W" "$D/img.bin" "$D/img-page37.bin" "$SWD"
run_case "$W" unbrick unbrick "$SWD" -f "$D/img.bin" \
	-c flash="$D/img-page37.bin" -- "${UB[@]}" write "$D/img-page37.bin"
run_case "$W" openocd openocd "$SWD" -f "$D/img.bin" \
	-c flash="$D/img-page37.bin" -- "${OCD[@]}" \
	-c "program $D/img-page37.bin $FLASH_BASE verify reset" -c shutdown

W="5. read 128 KB"
limit_read "$W" "$FLASH_SIZE" "$SWD"
run_case "$W" unbrick unbrick "$SWD" -f "$D/img.bin" -c out="$D/img.bin" -- \
	"${UB[@]}" read flash "$tmp/out.bin"
run_case "$W" openocd openocd "$SWD" -f "$D/img.bin" -c out="$D/img.bin" -- \
	"${OCD[@]}" -c "dump_image $tmp/out.bin $FLASH_BASE $FLASH_SIZE" \
	-c shutdown

W="5. read 128 KB over UART"
limit_read "$W" "$FLASH_SIZE" "$UART"
run_case "$W" "unbrick, ROM bootloader" unbrick "$UART" -b "$UBOARD" -u \
	-f "$D/img.bin" -c out="$D/img.bin" -- \
	"${UBU_ROM[@]}" read flash "$tmp/out.bin" --port
if [ -n "$ldr_uart_why" ]; then
	not_yet "$W" "unbrick, loader" unbrick "$UART" "$ldr_uart_why"
else
	limit_read "$W" "$FLASH_SIZE" "uart:$LDR_BAUD"
	run_case "$W" "unbrick, loader" unbrick "uart:$LDR_BAUD" -b "$UBOARD" \
		-u -f "$D/img.bin" -c out="$D/img.bin" -- \
		"${UBU[@]}" read flash "$tmp/out.bin" --port
	limit_read "$W" "$FLASH_SIZE" "$UART"
fi
run_case "$W" stm32flash stm32flash "$UART" -b "$UBOARD" -u -S boot0=1 \
	-f "$D/img.bin" -c out="$D/img.bin" -- "${SF[@]}" -r "$tmp/out.bin"
