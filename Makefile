# unbrick: restore STM32 boards from a Raspberry Pi with jumper wires.
#   make            build ./unbrick
#   make check      build with ASan+UBSan and run every test
#   make demo       show what unbrick does, against the sample data
#   make fuzz       run each image parser's fuzzer (FUZZ_SECONDS each)
#   make deps       install missing Debian packages
#   make install    PREFIX=/usr/local DESTDIR=
VERSION := 0.1.0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/unbrick
DOCDIR ?= $(PREFIX)/share/doc/unbrick

CC ?= cc
CFLAGS ?= -O2 -g
PKGS := libgpiod libserialport
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# --- libgpiod version (issue 10): one wire backend per API, chosen here ---
# src/gpio_gpiod.c for libgpiod 1.x, src/gpio_gpiod2.c for 2.x; the other
# is left out of the build. `make check` also builds a second unbrick
# against libgpiod 2 (build/gpiod2/, see the libgpiod 2 block below).
GPIOD_VERSION := $(shell pkg-config --modversion libgpiod 2>/dev/null)
GPIOD_SKIP := $(if $(filter 2.%,$(GPIOD_VERSION)),src/gpio_gpiod.c,src/gpio_gpiod2.c)
# --- end libgpiod version ---
UB_CFLAGS = -std=gnu11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wno-missing-field-initializers -Iinclude $(PKG_CFLAGS) \
	-DUB_VERSION='"$(VERSION)"' -DUB_DATADIR='"$(DATADIR)"' -MMD -MP

SRCS := $(filter-out $(GPIOD_SKIP),$(wildcard src/*.c))
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
OBJS := $(SRCS:src/%.c=build/obj/%.o)

SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
SAN_OBJS := $(SRCS:src/%.c=build/san/%.o)
SAN_LIB_OBJS := $(LIB_SRCS:src/%.c=build/san/%.o)
TESTS := $(patsubst tests/%.c,build/san/tests/%,$(wildcard tests/test_*.c))
TEST_HELPERS := $(filter-out tests/test_%.c,$(wildcard tests/*.c))

FUZZERS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60

all: unbrick

unbrick: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

build/obj/%.o: src/%.c | pkgcheck
	@mkdir -p $(@D)
	$(CC) $(UB_CFLAGS) $(CFLAGS) -c -o $@ $<

build/san/%.o: src/%.c | pkgcheck
	@mkdir -p $(@D)
	$(CC) $(UB_CFLAGS) $(CFLAGS) $(SAN) -c -o $@ $<

build/san/unbrick: $(SAN_OBJS)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(PKG_LIBS)

build/san/tests/%: tests/%.c $(TEST_HELPERS) $(SAN_LIB_OBJS) $(wildcard tests/*.h)
	@mkdir -p $(@D)
	$(CC) $(UB_CFLAGS) -Itests $(CFLAGS) $(SAN) -o $@ $< $(TEST_HELPERS) \
		$(SAN_LIB_OBJS) $(PKG_LIBS) -lcmocka -lz

# --- samples (image tests) ---
# The same firmware as ELF, Intel HEX, S-records and raw binary, made by GNU
# binutils, for tests/test_image.c to cross-check the image loaders against.
SAMPLES := $(addprefix build/samples/sample.,elf hex srec bin)

build/samples/sample.o: tests/data/sample.S
	@mkdir -p $(@D)
	arm-none-eabi-as -mcpu=cortex-m3 -mthumb -o $@ $<

build/samples/sample.elf: build/samples/sample.o tests/data/sample.ld
	arm-none-eabi-ld -T tests/data/sample.ld -o $@ $<

build/samples/sample.hex: build/samples/sample.elf
	arm-none-eabi-objcopy -O ihex $< $@

build/samples/sample.srec: build/samples/sample.elf
	arm-none-eabi-objcopy -O srec $< $@

build/samples/sample.bin: build/samples/sample.elf
	arm-none-eabi-objcopy -O binary $< $@
# --- end samples ---

# --- vb_jedec_prog (issue 5's loader proof, tests/test_vb_jedec_loader.c) ---
# A Cortex-M3 program run from the virtual board's RAM: it reads the SPI
# flash's JEDEC ID on SPI2 and prints it on USART1. A raw binary linked at
# 0x20000200, written there over the ROM bootloader by the test.
JEDEC_PROG := build/vb_jedec_prog/jedec.bin

build/vb_jedec_prog/jedec.elf: tests/vb_jedec_prog/jedec.c \
		tests/vb_jedec_prog/jedec.ld
	@mkdir -p $(@D)
	arm-none-eabi-gcc -mcpu=cortex-m3 -mthumb -Os -ffreestanding -nostdlib \
		-fno-common -Wall -Wextra -Werror \
		-T tests/vb_jedec_prog/jedec.ld -o $@ $<

$(JEDEC_PROG): build/vb_jedec_prog/jedec.elf
	arm-none-eabi-objcopy -O binary $< $@

check: $(JEDEC_PROG)
# --- end vb_jedec_prog ---

# --- virtual board (tests/vboard: test code, never in the product) ---
# The model's parts, built with the sanitizers for the unit tests
# (tests/test_vb_*.c link them), and position-independent into the stand-in
# libgpiod.so.2 that programs load through with-vboard. The stand-in reads
# board profiles with the product's own parser; it exports only gpiod_* and
# the sleep functions.
# The board server and the libserialport shim are programs of their own
# (see below), not parts of the model.
VB_SERVER_SRCS := $(wildcard tests/vboard/vb_server*.c)
VB_SRCS := $(filter-out $(VB_SERVER_SRCS) tests/vboard/vb_serial_shim.c \
	$(wildcard tests/vboard/vb_gpiod2*.c), $(wildcard tests/vboard/vb_*.c))
# vb_gpiod*.c (the API, its requests, context-less helpers and session) and
# vb_sleep.c (sleeps that move the board's clock) belong to the library
# only: the model's unit tests keep libc's sleeps.
VB_LIB_ONLY := tests/vboard/vb_gpiod.c tests/vboard/vb_gpiod_req.c \
	tests/vboard/vb_gpiod_ctxless.c tests/vboard/vb_gpiod_session.c \
	tests/vboard/vb_sleep.c tests/vboard/vb_gpiod_client.c
VB_MODEL_SRCS := $(filter-out $(VB_LIB_ONLY),$(VB_SRCS))
VB_GPIOD_SAN := $(VB_LIB_ONLY:tests/vboard/%.c=build/san/vboard/%.o)
VB_SAN_OBJS := $(VB_MODEL_SRCS:tests/vboard/%.c=build/san/vboard/%.o)
VB_PRODUCT := src/board.c $(wildcard src/board_*.c) src/pi.c src/num.c \
	src/err.c src/family.c
VB_PIC_OBJS := $(VB_SRCS:tests/vboard/%.c=build/vboard/%.o) \
	$(VB_PRODUCT:src/%.c=build/vboard/ub_%.o)
VB_LIB := build/vboard/libgpiod.so.2
VB_CFLAGS = $(UB_CFLAGS) -Itests/vboard $(CFLAGS)

$(VB_SAN_OBJS) $(VB_GPIOD_SAN): build/san/vboard/%.o: tests/vboard/%.c | pkgcheck
	@mkdir -p $(@D)
	$(CC) $(VB_CFLAGS) $(SAN) -c -o $@ $<

$(filter build/vboard/vb_%.o,$(VB_PIC_OBJS)): build/vboard/%.o: tests/vboard/%.c | pkgcheck
	@mkdir -p $(@D)
	$(CC) $(VB_CFLAGS) -fPIC -c -o $@ $<

$(filter build/vboard/ub_%.o,$(VB_PIC_OBJS)): build/vboard/ub_%.o: src/%.c | pkgcheck
	@mkdir -p $(@D)
	$(CC) $(UB_CFLAGS) $(CFLAGS) -fPIC -c -o $@ $<

# -z defs: every symbol resolved here; -Bsymbolic: the library's own calls
# stay inside it, whatever else defines gpiod_* in the process. Linked
# beside and renamed, so that a program loading it never sees half a file.
$(VB_LIB): $(VB_PIC_OBJS) tests/vboard/gpiod.map
	$(CC) -shared -Wl,-soname,libgpiod.so.2 -Wl,-z,defs -Wl,-Bsymbolic \
		-Wl,--version-script=tests/vboard/gpiod.map -o $@.tmp \
		$(VB_PIC_OBJS) -lunicorn
	mv -f $@.tmp $@

build/san/tests/test_vb_%: tests/test_vb_%.c $(TEST_HELPERS) $(VB_SAN_OBJS) \
		$(SAN_LIB_OBJS) $(wildcard tests/*.h tests/vboard/*.h)
	@mkdir -p $(@D)
	$(CC) $(VB_CFLAGS) -Itests $(SAN) -o $@ $< $(TEST_HELPERS) \
		$(VB_SAN_OBJS) $(SAN_LIB_OBJS) $(PKG_LIBS) -lcmocka -lz -lunicorn

# The stand-in libgpiod linked into its own tests, in place of the real one
# (and into the tests of what runs on the Pi's GPIO in-process: the clip).
VB_GPIOD_TESTS := $(patsubst tests/%.c,build/san/tests/%,\
	$(wildcard tests/test_vb_gpiod.c tests/test_vb_gpiod_*.c \
		tests/test_vb_spi_gpio.c tests/test_vb_clip_*.c))
$(VB_GPIOD_TESTS): build/san/tests/%: tests/%.c $(TEST_HELPERS) \
		$(VB_SAN_OBJS) $(VB_GPIOD_SAN) $(SAN_LIB_OBJS) \
		$(wildcard tests/*.h tests/vboard/*.h)
	@mkdir -p $(@D)
	$(CC) $(VB_CFLAGS) -Itests $(SAN) -o $@ $< $(TEST_HELPERS) \
		$(VB_SAN_OBJS) $(VB_GPIOD_SAN) $(SAN_LIB_OBJS) \
		$(filter-out -lgpiod,$(PKG_LIBS)) -lcmocka -lz -lunicorn -ldl

# The board server (UART on a pty, serprog; with-vboard --uart) links the
# model and the profile parser without the library's parts; the shim is
# LD_PRELOADed into the programs of a server session (vb_serial_shim.c).
VB_SERVER := build/vboard/vboard-server
VB_SHIM := build/vboard/libvbserial.so
VB_SERVER_OBJS := $(VB_SERVER_SRCS:tests/vboard/%.c=build/vboard/%.o) \
	$(filter-out build/vboard/vb_gpiod%.o build/vboard/vb_sleep.o \
		$(VB_LIB_ONLY:tests/vboard/%.c=build/vboard/%.o), \
		$(VB_PIC_OBJS))

$(VB_SERVER_SRCS:tests/vboard/%.c=build/vboard/%.o): build/vboard/%.o: tests/vboard/%.c | pkgcheck
	@mkdir -p $(@D)
	$(CC) $(VB_CFLAGS) -c -o $@ $<

$(VB_SERVER): $(VB_SERVER_OBJS)
	$(CC) $(CFLAGS) -o $@.tmp $^ -lunicorn
	mv -f $@.tmp $@

$(VB_SHIM): tests/vboard/vb_serial_shim.c tests/vboard/vb_server.h | pkgcheck
	@mkdir -p $(@D)
	$(CC) $(VB_CFLAGS) -fPIC -shared -Wl,-z,defs -o $@.tmp $< -ldl
	mv -f $@.tmp $@

# A libserialport program for the tests (tests/test_vb_stm32flash.c).
build/vboard/sp-entry: tests/vboard/sp_entry.c | pkgcheck
	@mkdir -p $(@D)
	$(CC) $(VB_CFLAGS) -o $@ $< $(PKG_LIBS)

check: $(VB_SERVER) $(VB_SHIM) build/vboard/sp-entry

vboard: $(VB_LIB) $(VB_SERVER) $(VB_SHIM) build/vboard/sp-entry

# Rebuild the parts when vb.h (or any header they include) changes.
-include $(VB_SAN_OBJS:.o=.d) $(VB_GPIOD_SAN:.o=.d) \
	$(VB_PIC_OBJS:.o=.d) $(VB_SERVER_OBJS:.o=.d)
# --- end virtual board ---

# --- loaders (src/loader: programs run from the target's RAM) ---
# Each src/loader/NAME.c is built with arm-none-eabi-gcc for a Cortex-M3,
# linked twice (at 0 and at 0x20000000: the bytes must not differ, or the
# code is not position-independent) and turned into src/loader/NAME_bin.h,
# the bytes the product carries (committed; src/ldr_images.c includes them).
#   make loaders        rebuild them and rewrite the committed headers
#   make loaders-check  (part of make check) rebuild them into build/loader/
#                       and compare with the committed headers: byte for
#                       byte when this machine's compiler is the one that
#                       made them (the header names it), else the hash of
#                       the sources they were made from (another compiler
#                       may choose other instructions; the tests run the
#                       committed bytes on the virtual board's CPU anyway).
LDR_NAMES := flash_f1 crc32 spi_f1 uart_f1 uart_boot_f1
LDR_PREFIX := arm-none-eabi-
LDR_CFLAGS := -mcpu=cortex-m3 -mthumb -Os -ffreestanding -nostdlib \
	-fno-common -ffunction-sections -fno-pic -Wall -Wextra -Werror \
	-DUB_LDR_TARGET -Iinclude
LDR_COMMON := include/ub/loader.h include/ub/ldr_uart.h src/loader/loader.ld \
	src/loader/mkarray.sh $(sort $(filter-out %_bin.h,$(wildcard src/loader/*.h)))
LDR_BUILT := $(LDR_NAMES:%=build/loader/%_bin.h)
# What a header's bytes are made from: its source, the common files (of
# ub/loader.h and ub/ldr_uart.h the part the loaders see, before its host
# side), the flags.
ldr_hash = $$({ cat src/loader/$(1).c $(filter-out include/%,$(LDR_COMMON)); \
	sed -s '/^\#ifndef UB_LDR_TARGET/,$$d' include/ub/loader.h \
		include/ub/ldr_uart.h; \
	echo '$(LDR_CFLAGS)'; } | sha256sum | cut -c1-16)

build/loader/%.o: src/loader/%.c $(LDR_COMMON)
	@mkdir -p $(@D)
	$(LDR_PREFIX)gcc $(LDR_CFLAGS) -c -o $@ $<

build/loader/%.elf: build/loader/%.o src/loader/loader.ld
	$(LDR_PREFIX)ld -T src/loader/loader.ld --defsym LDR_BASE=0 -o $@ $<
	$(LDR_PREFIX)ld -T src/loader/loader.ld --defsym LDR_BASE=0x20000000 \
		-o $@.high $<
	$(LDR_PREFIX)objcopy -O binary $@ $@.low.bin
	$(LDR_PREFIX)objcopy -O binary $@.high $@.high.bin
	@cmp -s $@.low.bin $@.high.bin || { echo "$<: the code depends on \
	where it is loaded (not position-independent)" >&2; rm -f $@; exit 1; }

build/loader/%_bin.h: build/loader/%.elf
	LDR_PREFIX=$(LDR_PREFIX) sh src/loader/mkarray.sh $* $< \
		"$(call ldr_hash,$*)" >$@.tmp
	mv -f $@.tmp $@

loaders: $(LDR_BUILT)
	cp $(LDR_BUILT) src/loader/

loaders-check: $(LDR_BUILT)
	@for n in $(LDR_NAMES); do \
		new=build/loader/$${n}_bin.h old=src/loader/$${n}_bin.h; \
		cmp -s $$new $$old && continue; \
		cc=$$(grep '^ \* compiler:' $$new); \
		src=$$(grep '^ \* sources:' $$new); \
		if grep -qxF "$$cc" $$old; then \
			echo "$$old does not match src/loader/$$n.c: run" \
				"'make loaders' and commit it" >&2; exit 1; \
		elif grep -qxF "$$src" $$old; then \
			echo "$$old: made by another compiler; its sources" \
				"are unchanged (hash checked, bytes not)"; \
		else \
			echo "$$old is older than its sources: run 'make" \
				"loaders' and commit it" >&2; exit 1; \
		fi; \
	done

check: loaders-check

.PHONY: loaders loaders-check
# --- end loaders ---

# --- libgpiod 2 (issue 10) ---
# A second build against libgpiod 2.1 (Debian bookworm-backports'
# libgpiod-dev, fetched and unpacked into build/gpiod2/sysroot by
# scripts/gpiod2.sh, never installed), its stand-in libgpiod.so.3
# (tests/vboard/vb_gpiod2*.c, sharing the 1.6 stand-in's session and
# model) and the tests that run against both. GPIOD2=0 leaves it out.
#   build/gpiod2/unbrick      unbrick on libgpiod 2 (RUNPATH: the sysroot)
#   build/gpiod2/san/unbrick  the same with the sanitizers, for the tests
#   build/vboard/v2/libgpiod.so.3  the stand-in (with-vboard finds it)
GPIOD2 ?= 1
GPIOD2_ARCH := $(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || \
	echo x86_64-linux-gnu)
GPIOD2_ROOT := build/gpiod2/sysroot
GPIOD2_PC := $(GPIOD2_ROOT)/usr/lib/$(GPIOD2_ARCH)/pkgconfig/libgpiod.pc
GPIOD2_LIBDIR := $(CURDIR)/$(GPIOD2_ROOT)/usr/lib/$(GPIOD2_ARCH)
GPIOD2_CFLAGS := -I$(GPIOD2_ROOT)/usr/include
GPIOD2_LIBS := -L$(GPIOD2_LIBDIR) -Wl,-rpath,$(GPIOD2_LIBDIR) -lgpiod \
	$(filter-out -lgpiod,$(PKG_LIBS))
GPIOD2_OBJ := $(filter-out build/obj/gpio_gpiod.o build/obj/gpio_gpiod2.o,$(OBJS))
GPIOD2_SAN_OBJ := $(filter-out build/san/gpio_gpiod.o build/san/gpio_gpiod2.o,$(SAN_OBJS))
GPIOD2_SAN_LIB := $(filter-out build/san/main.o,$(GPIOD2_SAN_OBJ)) \
	build/gpiod2/san/gpio_gpiod2.o
VB2_LIB := build/vboard/v2/libgpiod.so.3
VB2_SRCS := $(wildcard tests/vboard/vb_gpiod2*.c)
VB2_OBJS := $(VB2_SRCS:tests/vboard/%.c=build/vboard/v2/%.o) \
	$(filter-out build/vboard/vb_gpiod.o build/vboard/vb_gpiod_req.o \
		build/vboard/vb_gpiod_ctxless.o,$(VB_PIC_OBJS))
GPIOD2_TEST_SRCS := $(wildcard tests/gpiod2/test_*.c)
GPIOD2_TESTS := $(if $(filter 1,$(GPIOD2)), \
	$(GPIOD2_TEST_SRCS:tests/gpiod2/%.c=build/gpiod2/san/tests/%))

$(GPIOD2_PC):
	scripts/gpiod2.sh $(GPIOD2_ROOT)

build/gpiod2/obj/gpio_gpiod2.o: src/gpio_gpiod2.c $(GPIOD2_PC)
	@mkdir -p $(@D)
	$(CC) $(GPIOD2_CFLAGS) $(UB_CFLAGS) $(CFLAGS) -c -o $@ $<

build/gpiod2/san/gpio_gpiod2.o: src/gpio_gpiod2.c $(GPIOD2_PC)
	@mkdir -p $(@D)
	$(CC) $(GPIOD2_CFLAGS) $(UB_CFLAGS) $(CFLAGS) $(SAN) -c -o $@ $<

build/gpiod2/unbrick: $(GPIOD2_OBJ) build/gpiod2/obj/gpio_gpiod2.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(GPIOD2_LIBS)

build/gpiod2/san/unbrick: $(GPIOD2_SAN_OBJ) build/gpiod2/san/gpio_gpiod2.o
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(GPIOD2_LIBS)

build/vboard/v2/%.o: tests/vboard/%.c $(GPIOD2_PC) | pkgcheck
	@mkdir -p $(@D)
	$(CC) $(GPIOD2_CFLAGS) $(VB_CFLAGS) -fPIC -c -o $@ $<

$(VB2_LIB): $(VB2_OBJS) tests/vboard/gpiod2.map
	$(CC) -shared -Wl,-soname,libgpiod.so.3 -Wl,-z,defs -Wl,-Bsymbolic \
		-Wl,--version-script=tests/vboard/gpiod2.map -o $@.tmp \
		$(VB2_OBJS) -lunicorn
	mv -f $@.tmp $@

build/gpiod2/san/tests/%: tests/gpiod2/%.c $(TEST_HELPERS) $(GPIOD2_SAN_LIB) \
		$(wildcard tests/*.h) $(GPIOD2_PC)
	@mkdir -p $(@D)
	$(CC) $(GPIOD2_CFLAGS) $(UB_CFLAGS) -Itests $(CFLAGS) $(SAN) -o $@ $< \
		$(TEST_HELPERS) $(GPIOD2_SAN_LIB) $(GPIOD2_LIBS) -lcmocka -lz

gpiod2: build/gpiod2/unbrick build/gpiod2/san/unbrick $(VB2_LIB)

ifeq ($(GPIOD2),1)
check: $(GPIOD2_TESTS) build/gpiod2/san/unbrick build/gpiod2/unbrick $(VB2_LIB)
vboard: $(VB2_LIB)
endif

# bench-gpio: the host CPU cost per SWD bit of each backend (bench/gpio_cost.c)
BENCH_GPIO_LIB := $(filter-out build/obj/main.o,$(OBJS))
build/bench/gpio_cost: bench/gpio_cost.c $(BENCH_GPIO_LIB)
	@mkdir -p $(@D)
	$(CC) $(UB_CFLAGS) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

build/bench/gpio_cost2: bench/gpio_cost.c $(filter-out build/obj/gpio_gpiod.o,\
		$(GPIOD2_OBJ:build/obj/main.o=)) build/gpiod2/obj/gpio_gpiod2.o
	@mkdir -p $(@D)
	$(CC) $(GPIOD2_CFLAGS) $(UB_CFLAGS) $(CFLAGS) -o $@ $^ $(GPIOD2_LIBS)

bench-gpio: build/bench/gpio_cost build/bench/gpio_cost2 $(VB_LIB) $(VB2_LIB)
	bench/gpio_cost.sh

.PHONY: gpiod2 bench-gpio
-include $(VB2_OBJS:.o=.d) build/gpiod2/san/gpio_gpiod2.d \
	build/gpiod2/obj/gpio_gpiod2.d
# --- end libgpiod 2 ---

# Tests find the sanitized program and the sample data through these.
check: deps-check build/san/unbrick $(TESTS) $(SAMPLES) $(VB_LIB)
	@UNBRICK=$(CURDIR)/build/san/unbrick UNBRICK_SRCDIR=$(CURDIR) \
	UNBRICK_BOARDS=$(CURDIR)/boards ASAN_OPTIONS=detect_leaks=1 \
	UBSAN_OPTIONS=print_stacktrace=1 tests/run.sh $(TESTS) $(GPIOD2_TESTS)

demo: deps-check unbrick $(VB_LIB) build/samples/sample.bin
	@sh scripts/demo.sh ./unbrick

build/fuzz/%: tests/fuzz/fuzz_%.c $(LIB_SRCS)
	@mkdir -p $(@D)
	clang -std=gnu11 -g -O1 -Iinclude $(PKG_CFLAGS) \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ $< $(LIB_SRCS) \
		$(PKG_LIBS)

fuzz: deps-fuzz $(FUZZERS:%=build/fuzz/%)
	@for f in $(FUZZERS); do \
		mkdir -p build/fuzz/corpus-$$f; \
		echo "fuzzing $$f for $(FUZZ_SECONDS) s"; \
		build/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
			-print_final_stats=1 build/fuzz/corpus-$$f \
			tests/fuzz/seeds/$$f 2>fuzz-$$f.log || \
			{ tail -40 fuzz-$$f.log; exit 1; }; \
		grep -E '^stat::(number_of_executed_units|peak_rss)' fuzz-$$f.log; \
		rm -f fuzz-$$f.log; \
	done

deps: deps-check
deps-build:
	@scripts/deps.sh build
deps-check:
	@scripts/deps.sh check
deps-fuzz:
	@scripts/deps.sh fuzz

pkgcheck:
	@pkg-config --exists $(PKGS) || { echo "missing libgpiod or libserialport development files: run 'make deps'" >&2; exit 1; }

FORMATTED = $(wildcard src/*.c src/*.h include/ub/*.h tests/*.c tests/*.h \
	tests/fuzz/*.c tests/vboard/*.c tests/vboard/*.h)
format:
	clang-format -i $(FORMATTED)
format-check:
	clang-format --dry-run -Werror $(FORMATTED)

install: unbrick
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/boards $(DESTDIR)$(DOCDIR)
	install -m 755 unbrick $(DESTDIR)$(BINDIR)/unbrick
	install -m 644 boards/*.conf $(DESTDIR)$(DATADIR)/boards/
	install -m 644 README.md $(DESTDIR)$(DOCDIR)/README.md
	install -m 644 boards/README.md $(DESTDIR)$(DOCDIR)/boards.md

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/unbrick
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR)

# --- benchmarks (bench/: unbrick against OpenOCD, stm32flash and flashrom
# on the virtual board) ---
# bench: every workload, each case twice on a fresh board; prints the tables
# and rewrites bench/RESULTS.md (about 10 minutes). bench-quick: one small
# workload per tool, no results file (make check runs it too, through
# tests/test_bench_quick.c). Both need the board server (make vboard).
bench: unbrick vboard
	bench/run.sh

bench-quick: unbrick vboard
	bench/run.sh --quick

.PHONY: bench bench-quick
# --- end benchmarks ---

clean:
	rm -rf build unbrick fuzz-*.log

.PHONY: all check demo fuzz deps deps-build deps-check deps-fuzz pkgcheck \
	format format-check install uninstall clean vboard
.SECONDARY:

-include $(OBJS:.o=.d) $(SAN_OBJS:.o=.d) $(VB_SAN_OBJS:.o=.d) \
	$(VB_PIC_OBJS:.o=.d)
