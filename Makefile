# distconf: embedding distances to confidence scores, as Unix filters.
# Every program is cmd/NAME.c; everything else is the static library lib/.

# The version is written once, in lib/common/version.h; the man pages get it
# at build time (their .Os line), the programs through --version.
VERSION := $(shell sed -n 's/^\#define DISTCONF_VERSION "\(.*\)"/\1/p' lib/common/version.h)

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
MAN1DIR ?= $(MANDIR)/man1
MAN7DIR ?= $(MANDIR)/man7
DOCDIR  ?= $(PREFIX)/share/doc/distconf
INSTALL ?= install
INSTALL_PROGRAM ?= $(INSTALL) -m 755
INSTALL_DATA ?= $(INSTALL) -m 644

CC      ?= cc
CFLAGS  ?= -O2 -g
# Required flags, kept apart from the user's CFLAGS.
WARN     = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wvla -Wno-unused-parameter
# -pthread: the fit splits its passes over two threads.  -ffp-contract=off:
# a * b + c stays two roundings, as in Python and DeepFace (clang would fuse
# it into an FMA on a CPU that has one, and change the last bits).
DC_CFLAGS = -std=c11 -pthread -ffp-contract=off $(WARN)
DC_CPPFLAGS = -Ilib -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -MMD -MP
LDLIBS  = -lyaml -lz -lm -pthread

# Where objects go: build/ optimised, build-san/ with sanitizers.
B ?= build

PROGS   := $(patsubst cmd/%.c,%,$(wildcard cmd/*.c))
LIBSRC  := $(wildcard lib/*/*.c)
LIBOBJ  := $(LIBSRC:lib/%.c=$(B)/lib/%.o)
UNITSRC := $(wildcard tests/unit/test_*.c)
UNITS   := $(UNITSRC:tests/unit/%.c=$(B)/tests/%)
MAN1    := $(wildcard man/*.1)
MAN7    := $(wildcard man/*.7)
# The pages as installed: man/X with the version on its .Os line.
MANPAGES := $(MAN1:%=$(B)/%) $(MAN7:%=$(B)/%)
# Installed under $(DOCDIR)/examples, with the README beside them.
EXAMPLES := $(filter-out examples/%.sh examples/%.py,$(wildcard examples/*))
EXAMPLE_SCRIPTS := $(wildcard examples/*.sh examples/*.py)

SAN_CFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=all

.PHONY: all have-deps deps fuzz-deps have-fuzz-deps check check-valgrind demo docs bench fuzz fuzz-smoke install uninstall clean

all: have-deps $(PROGS:%=$(B)/bin/%) $(UNITS) $(MANPAGES)

# Plain `make` and `make install` never install anything: a missing package
# stops the build with the one command that installs it.
have-deps:
	@sh tests/deps.sh -n build

# Checks for (and as root installs) the Debian packages the build needs;
# `make demo` and `make check` do the same for what they need.
deps:
	@sh tests/deps.sh build

# lib/ and cmd/ alike: build/lib/fit/fit.o from lib/fit/fit.c.
$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(DC_CPPFLAGS) $(CPPFLAGS) $(DC_CFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/tests/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(DC_CPPFLAGS) -Itests/unit $(CPPFLAGS) $(DC_CFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/libdistconf.a: $(LIBOBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/bin/%: $(B)/cmd/%.o $(B)/libdistconf.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/%: $(B)/tests/%.o $(B)/libdistconf.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/man/%: man/% lib/common/version.h
	@mkdir -p $(@D)
	sed 's/^\.Os distconf$$/.Os distconf $(VERSION)/' $< > $@

-include $(wildcard $(B)/*/*.d $(B)/lib/*/*.d)

# Keep the objects of programs and unit tests: they are not throwaway.
.SECONDARY:

# The whole suite, optimised and then under AddressSanitizer and UBSan,
# then the man pages; ends with "check: N passed, N failed".
check:
	@sh tests/deps.sh check
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory all B=build-san CFLAGS='$(SAN_CFLAGS)' LDFLAGS='$(SAN_CFLAGS)'
	@bash tests/check.sh build build-san

# libFuzzer targets for each parser (clang): make fuzz [FUZZ_SECONDS=60]
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = ids model emb tsv names counts
FUZZ_FLAGS = -std=c11 -D_GNU_SOURCE -O1 -g -fsanitize=fuzzer,address,undefined \
             -fno-sanitize-recover=undefined $(DC_CPPFLAGS)
FUZZ_BINS = $(FUZZ_TARGETS:%=build-fuzz/fuzz_%)

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(LIBSRC) $(wildcard lib/*/*.h)
	@mkdir -p $(@D)
	clang $(FUZZ_FLAGS) -o $@ $< $(LIBSRC) $(LDLIBS)

fuzz: have-deps have-fuzz-deps $(FUZZ_BINS)
	@bash tests/fuzz/run.sh $(FUZZ_SECONDS)

# `make fuzz-deps` installs clang (as root); `make fuzz` only checks for it.
fuzz-deps:
	@sh tests/deps.sh fuzz

have-fuzz-deps:
	@sh tests/deps.sh -n fuzz

# What CI runs: about 20 seconds a target.
fuzz-smoke: have-deps have-fuzz-deps $(FUZZ_BINS)
	@bash tests/fuzz/run.sh 20

# The bats suite under valgrind: no leak, no invalid access.
check-valgrind: all
	@bash tests/valgrind.sh $(B)

demo:
	@sh tests/deps.sh build
	@$(MAKE) --no-print-directory all
	@bash examples/article.sh $(B)/bin $(B)/demo

# The README's picture: the article's plot, from the demo's run.
docs: all
	@bash examples/article.sh $(B)/bin $(B)/demo > $(B)/demo.log 2>&1 || { cat $(B)/demo.log; exit 1; }
	@mkdir -p docs
	cp $(B)/demo/article.svg docs/article.svg

# The benchmarks (bench/run.sh): each program against its peers and the
# limits (wc -l, cat) on the same files, medians of several runs, ending with
# the markdown summary that README's Speed section shows.  One bench:
# BENCH=confmap make bench; small files: ROWS=100000 make bench; runs of
# each: BENCH_RUNS, BENCH_PEER_RUNS, BENCH_SLOW_RUNS (bench/common.sh).
bench: all
	@bash bench/run.sh $(B)/bin

install: all $(MANPAGES)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MAN1DIR) $(DESTDIR)$(MAN7DIR) \
	    $(DESTDIR)$(DOCDIR)/examples
	$(INSTALL_PROGRAM) $(PROGS:%=$(B)/bin/%) $(DESTDIR)$(BINDIR)
	$(INSTALL_DATA) $(MAN1:%=$(B)/%) $(DESTDIR)$(MAN1DIR)
	$(INSTALL_DATA) $(MAN7:%=$(B)/%) $(DESTDIR)$(MAN7DIR)
	$(INSTALL_DATA) README.md $(DESTDIR)$(DOCDIR)
	$(INSTALL_DATA) $(EXAMPLES) $(DESTDIR)$(DOCDIR)/examples
	$(INSTALL_PROGRAM) $(EXAMPLE_SCRIPTS) $(DESTDIR)$(DOCDIR)/examples

uninstall:
	rm -f $(PROGS:%=$(DESTDIR)$(BINDIR)/%)
	rm -f $(MAN1:man/%=$(DESTDIR)$(MAN1DIR)/%) $(MAN7:man/%=$(DESTDIR)$(MAN7DIR)/%)
	rm -f $(DESTDIR)$(DOCDIR)/README.md $(EXAMPLES:%=$(DESTDIR)$(DOCDIR)/%) \
	    $(EXAMPLE_SCRIPTS:%=$(DESTDIR)$(DOCDIR)/%)
	rmdir $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null || true

clean:
	rm -rf build build-san build-fuzz $(B)
