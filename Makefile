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
UB_CFLAGS = -std=gnu11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wno-missing-field-initializers -Iinclude $(PKG_CFLAGS) \
	-DUB_VERSION='"$(VERSION)"' -DUB_DATADIR='"$(DATADIR)"' -MMD -MP

SRCS := $(wildcard src/*.c)
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

# --- virtual board (tests/vboard: test code, never in the product) ---
# The model's parts, built with the sanitizers for the unit tests
# (tests/test_vb_*.c link them), and position-independent into the stand-in
# libgpiod.so.2 that programs load through with-vboard. The stand-in reads
# board profiles with the product's own parser; it exports only gpiod_* and
# the sleep functions.
VB_SRCS := $(wildcard tests/vboard/vb_*.c)
# vb_gpiod*.c (the API, its requests, context-less helpers and session) and
# vb_sleep.c (sleeps that move the board's clock) belong to the library
# only: the model's unit tests keep libc's sleeps.
VB_LIB_ONLY := tests/vboard/vb_gpiod.c tests/vboard/vb_gpiod_req.c \
	tests/vboard/vb_gpiod_ctxless.c tests/vboard/vb_gpiod_session.c \
	tests/vboard/vb_sleep.c
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

# The stand-in libgpiod linked into its own test, in place of the real one.
build/san/tests/test_vb_gpiod: tests/test_vb_gpiod.c $(TEST_HELPERS) \
		$(VB_SAN_OBJS) $(VB_GPIOD_SAN) $(SAN_LIB_OBJS) \
		$(wildcard tests/*.h tests/vboard/*.h)
	@mkdir -p $(@D)
	$(CC) $(VB_CFLAGS) -Itests $(SAN) -o $@ $< $(TEST_HELPERS) \
		$(VB_SAN_OBJS) $(VB_GPIOD_SAN) $(SAN_LIB_OBJS) \
		$(filter-out -lgpiod,$(PKG_LIBS)) -lcmocka -lz -lunicorn -ldl

vboard: $(VB_LIB)

# Rebuild the parts when vb.h (or any header they include) changes.
-include $(VB_SAN_OBJS:.o=.d) $(VB_GPIOD_SAN:.o=.d) \
	$(VB_PIC_OBJS:.o=.d)
# --- end virtual board ---

# Tests find the sanitized program and the sample data through these.
check: deps-check build/san/unbrick $(TESTS) $(SAMPLES) $(VB_LIB)
	@UNBRICK=$(CURDIR)/build/san/unbrick UNBRICK_SRCDIR=$(CURDIR) \
	UNBRICK_BOARDS=$(CURDIR)/boards ASAN_OPTIONS=detect_leaks=1 \
	UBSAN_OPTIONS=print_stacktrace=1 tests/run.sh $(TESTS)

demo: deps-check unbrick $(VB_LIB)
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

# --- benchmarks (bench/: unbrick against OpenOCD on the virtual board) ---
# bench: every workload, each case twice on a fresh board; prints the table
# and rewrites bench/RESULTS.md (a minute or so). bench-quick: one 8 KB
# write per tool, no results file (make check runs it too, through
# tests/test_bench_quick.c).
bench: unbrick $(VB_LIB)
	bench/run.sh

bench-quick: unbrick $(VB_LIB)
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
