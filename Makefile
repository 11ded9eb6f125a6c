# cybercell — one C11 binary, built from packaged libraries only.
#
#   make            build/cybercell (optimised)
#   make test       install deps, build with ASan+UBSan, run unit + end-to-end tests
#   make run        install deps, build, create demo.db from data/demo, show and serve it
#   make bench      benchmarks (results in bench/RESULTS.md)
#   make fuzz       build and run every fuzz target (FUZZ_SECONDS each)
#
# BUILD selects the output directory, so several builds can live side by side.

BUILD    ?= build
CC       ?= cc
PKGS     := jansson sqlite3 libmicrohttpd gnutls libcurl libsodium libhs libpcre2-8 yaml-0.1 zlib icu-uc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
OPT      ?= -O2 -g
CFLAGS   ?=
CPPFLAGS += -D_GNU_SOURCE -Isrc
ALL_CFLAGS = -std=c11 $(WARN) $(OPT) $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS) -MMD -MP
LDLIBS   += $(PKG_LIBS) -lpthread -lm
# The release binary allocates through jemalloc (as redis does): import and the
# TAXII server parse JSON on several threads and free it on others, which
# glibc's malloc serves slowly.  Sanitizer builds keep the C library's malloc.
MALLOC   ?= $(if $(findstring -fsanitize,$(OPT) $(LDFLAGS)),,$(shell pkg-config --libs jemalloc 2>/dev/null))

SRCS     := $(shell find src -name '*.c' | sort)
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
OBJS     := $(SRCS:%.c=$(BUILD)/obj/%.o)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all test unit e2e run bench fuzz clean deps asan
all: $(BUILD)/cybercell

deps:
	@scripts/install-deps

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libcybercell.a: $(LIB_OBJS)
	@rm -f $@
	@ar rcs $@ $^

$(BUILD)/cybercell: $(BUILD)/obj/src/main.o $(BUILD)/libcybercell.a
	@echo "  LINK    $@"
	@$(CC) $(OPT) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(MALLOC)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libcybercell.a
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	@$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libcybercell.a $(LDFLAGS) $(LDLIBS) -lcmocka

# The sanitizer build used by `make test`.
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
asan:
	@$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g $(SAN)" LDFLAGS="$(SAN)" \
	    build/asan/cybercell $(UNIT_SRCS:tests/unit/%.c=build/asan/tests/%)

test: deps
	@$(MAKE) --no-print-directory -j2 asan
	@tests/run-all build/asan

unit: asan
	@tests/run-all build/asan unit

e2e: asan
	@tests/run-all build/asan e2e

run: deps
	@$(MAKE) --no-print-directory -j2 all
	@scripts/demo

bench: deps
	@$(MAKE) --no-print-directory -j2 all
	@bench/run-all

fuzz: deps
	@tests/fuzz/run-all $(FUZZ_SECONDS)

clean:
	rm -rf build

-include $(OBJS:.o=.d) $(LIB_OBJS:.o=.d) $(wildcard $(BUILD)/tests/*.d)
