# cybercell — one C11 binary, built from packaged libraries only.
#
#   make            build/cybercell (optimised) and its man pages (build/man/)
#   make install    the binary, man pages, technique rules, demo data and docs
#                   under PREFIX (/usr/local), staged under DESTDIR if given
#   make uninstall  remove what make install put there
#   make test       install deps, build with ASan+UBSan, run unit + end-to-end tests
#   make run        install deps, build, create demo.db from data/demo, show and serve it
#   make bench      benchmarks (results in bench/RESULTS.md)
#   make fuzz       build and run every fuzz target (FUZZ_SECONDS each)
#
# BUILD selects the output directory, so several builds can live side by side;
# BUILD=build/asan is the sanitizer build (its flags are the default there).

BUILD    ?= build
CC       ?= cc
PKGS     := jansson sqlite3 libmicrohttpd gnutls libcurl libsodium libhs libpcre2-8 yaml-0.1 zlib icu-uc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
# The sanitizer build used by `make test`.
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ifeq ($(BUILD),build/asan)
OPT      ?= -O1 -g $(SAN)
LDFLAGS  += $(SAN)
endif
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
# The UI's static files (ui/) and the npm package it ships (cytoscape.js,
# pinned in package-lock.json), compiled into the binary by scripts/embed-ui.
UI_FILES := $(sort $(shell find ui -type f 2>/dev/null))
UI_NPM   := node_modules/cytoscape/dist/cytoscape.esm.min.mjs node_modules/cytoscape/LICENSE
UI_EMBED := $(foreach f,$(UI_FILES),$(f:ui/%=%)=$(f)) \
	vendor/cytoscape.esm.min.js=node_modules/cytoscape/dist/cytoscape.esm.min.mjs \
	vendor/cytoscape-LICENSE.txt=node_modules/cytoscape/LICENSE
UI_OBJ   := $(BUILD)/obj/gen/ui_files.o
LIB_OBJS += $(UI_OBJ)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

# Where `make install` puts things.  DATADIR is compiled into the binary
# (where it looks for the technique rules) and DOCDIR into the man pages.
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
DATADIR  ?= $(PREFIX)/share/cybercell
MANDIR   ?= $(PREFIX)/share/man
DOCDIR   ?= $(PREFIX)/share/doc/cybercell
INSTALL  ?= install
VERSION  := $(shell sed -n 's/.*CYBERCELL_VERSION "\(.*\)".*/\1/p' src/version.h)

# One man page per docs/commands/*.md (cybercell-NAME.1) and cybercell.1
# from docs/cli.md, written by pandoc at build time.
MAN_SRCS  := $(sort $(wildcard docs/commands/*.md))
MAN_PAGES := $(BUILD)/man/cybercell.1 $(MAN_SRCS:docs/commands/%.md=$(BUILD)/man/cybercell-%.1)
# What is installed from the source tree, relative to data/ and to the top.
DATA_FILES := $(sort $(patsubst data/%,%,$(shell find data -type f)))
DOC_FILES  := README.md $(sort $(wildcard docs/*.md)) $(MAN_SRCS)

.PHONY: all test unit e2e run bench fuzz clean deps asan man install uninstall FORCE
all: $(BUILD)/cybercell man

deps:
	@scripts/install-deps

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

# npm ci installs exactly what package-lock.json pins (cytoscape.js for the
# binary, puppeteer-core for the browser tests); the registry is reached once.
# The two files are one grouped target (&:), so that under -j one npm ci makes
# both: two at once, one for each, race in node_modules and fail.
$(UI_NPM) &: package-lock.json
	@echo "  NPM     ci"
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $(UI_NPM)

$(BUILD)/gen/ui_files.c: $(UI_FILES) $(UI_NPM) scripts/embed-ui
	@echo "  EMBED   $@"
	@scripts/embed-ui $@ $(UI_EMBED)

$(UI_OBJ): $(BUILD)/gen/ui_files.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libcybercell.a: $(LIB_OBJS)
	@rm -f $@
	@ar rcs $@ $^

# The installed paths compiled in; the file changes only when they do, so
# a new PREFIX rebuilds exactly what uses them.
$(BUILD)/paths: FORCE
	@mkdir -p $(dir $@)
	@echo '$(DATADIR) $(DOCDIR)' | cmp -s - $@ || echo '$(DATADIR) $(DOCDIR)' > $@

$(BUILD)/obj/src/cmd/wargame_common.o: CPPFLAGS += -DCC_DATADIR='"$(DATADIR)"'
$(BUILD)/obj/src/cmd/wargame_common.o: $(BUILD)/paths

$(BUILD)/cybercell: $(BUILD)/obj/src/main.o $(BUILD)/libcybercell.a
	@echo "  LINK    $@"
	@$(CC) $(OPT) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(MALLOC)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libcybercell.a
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	@$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libcybercell.a $(LDFLAGS) $(LDLIBS) -lcmocka

# The man page of a command: NAME from its summary in the command table
# (src/main.c), else from the page's first sentence (scripts/manpage.lua).
summary = $(shell sed -n 's/^[[:space:]]*{ "$(1)", *cmd_[a-z_]*, *"\([^"]*\)".*/\1/p' src/main.c)
PANDOC_MAN = pandoc -f gfm -t man -s --lua-filter scripts/manpage.lua \
	-M version=$(VERSION) -M docdir=$(DOCDIR)

man: $(MAN_PAGES)

$(BUILD)/man/cybercell-%.1: docs/commands/%.md scripts/manpage.lua src/main.c src/version.h $(BUILD)/paths
	@mkdir -p $(dir $@)
	@echo "  MAN     $@"
	@$(PANDOC_MAN) -M name=cybercell-$* -M srcdir=docs/commands \
	    -M "summary=$(call summary,$*)" -o $@ $<

$(BUILD)/man/cybercell.1: docs/cli.md scripts/manpage.lua src/version.h $(BUILD)/paths
	@mkdir -p $(dir $@)
	@echo "  MAN     $@"
	@$(PANDOC_MAN) -M name=cybercell -M srcdir=docs \
	    -M "summary=threat-intelligence hub, log matcher and war games of a cyber-defence cell" \
	    -o $@ $<

install: all
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	$(INSTALL) -m 0755 $(BUILD)/cybercell $(DESTDIR)$(BINDIR)/cybercell
	$(INSTALL) -m 0644 $(MAN_PAGES) $(DESTDIR)$(MANDIR)/man1/
	@for f in $(DATA_FILES); do \
	    echo "$(INSTALL) -D -m 0644 data/$$f $(DESTDIR)$(DATADIR)/$$f"; \
	    $(INSTALL) -D -m 0644 "data/$$f" "$(DESTDIR)$(DATADIR)/$$f" || exit 1; \
	done
	@for f in $(DOC_FILES); do \
	    echo "$(INSTALL) -D -m 0644 $$f $(DESTDIR)$(DOCDIR)/$$f"; \
	    $(INSTALL) -D -m 0644 "$$f" "$(DESTDIR)$(DOCDIR)/$$f" || exit 1; \
	done

# Removes the files install wrote, then those of its directories left empty
# (deepest first; never BINDIR or MANDIR, which are not ours).
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/cybercell $(MAN_PAGES:$(BUILD)/man/%=$(DESTDIR)$(MANDIR)/man1/%)
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/,$(DATA_FILES))
	rm -f $(addprefix $(DESTDIR)$(DOCDIR)/,$(DOC_FILES))
	@for d in $$(printf '%s\n' $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR) \
	    $(patsubst %/,$(DESTDIR)$(DATADIR)/%,$(filter-out ./,$(dir $(DATA_FILES)))) \
	    $(patsubst %/,$(DESTDIR)$(DOCDIR)/%,$(filter-out ./,$(dir $(DOC_FILES)))) | sort -ru); do \
	    if [ -d "$$d" ]; then rmdir --ignore-fail-on-non-empty "$$d" || exit 1; fi; \
	done

asan:
	@$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g $(SAN)" LDFLAGS="$(SAN)" \
	    build/asan/cybercell $(UNIT_SRCS:tests/unit/%.c=build/asan/tests/%) man

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
