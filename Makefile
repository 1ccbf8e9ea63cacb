# bangdai — build, run and test. `make run` and `make test` are the two
# commands a newcomer needs; both install what is missing first.

CC      ?= gcc
PKGS    := libmicrohttpd jansson sqlite3 libsodium opencc libpq minizip expat xlsxwriter \
           cairo pangocairo fontconfig
SAN     ?=
O       := build$(if $(SAN),-$(SAN))

WARN    := -Wall -Wextra -Wpedantic -Werror -Wformat=2 -Wformat-security \
           -Wno-unused-parameter -Wstrict-prototypes -Wmissing-prototypes \
           -Wshadow -Wvla -Wnull-dereference -Wno-overlength-strings -Wno-format-truncation
HARDEN  := -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE \
           -fstack-clash-protection -fcf-protection
CFLAGS  ?= -O2 -g
ifeq ($(SAN),asan)
  CFLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
             -fno-sanitize-recover=undefined
  HARDEN  := -fPIE
  LDSAN   := -fsanitize=address,undefined
  # For every process the suites run, the servers they start included:
  # stop at the first report, look for leaks at exit (LeakSanitizer),
  # print UBSan's stack. scripts/san-run fails the run on any report, also
  # one that only a server's log shows.
  export ASAN_OPTIONS  := halt_on_error=1:detect_leaks=1:abort_on_error=0:print_summary=1
  export UBSAN_OPTIONS := halt_on_error=1:print_stacktrace=1
  export LSAN_OPTIONS  := suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
  SANRUN   = scripts/san-run $(O)/san $@
endif
ALLCFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(HARDEN) $(CFLAGS) -Isrc \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -MMD -MP
LDFLAGS += -pie -Wl,-z,relro,-z,now $(LDSAN)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

LIB_SRC  := $(sort $(wildcard src/core/*.c src/match/*.c src/store/*.c \
              src/auth/*.c src/service/*.c src/api/*.c src/http/*.c \
              src/cli/*.c))
LIB_SRC  := $(filter-out src/cli/main.c,$(LIB_SRC))
LIB_OBJ  := $(LIB_SRC:%.c=$(O)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)
API_SRC  := $(sort $(wildcard tests/api/test_*.c))
API_BIN  := $(API_SRC:tests/api/%.c=$(O)/tests/api_%)
APIH_SRC := $(sort $(wildcard tests/api/lib*.c))
APIH_OBJ := $(APIH_SRC:%.c=$(O)/%.o)

DB      ?= bangdai.db
LISTEN  ?= 127.0.0.1:8080

.PHONY: all deps run test test-bins unit api api-pg test-pg asan check-style clean bench demo
.SECONDARY:
all: deps-build $(O)/bangdai bangdai

deps-build:
	@scripts/deps build

bangdai: $(O)/bangdai
	@[ "$(SAN)" ] || cp -f $< $@

$(O)/bangdai: $(O)/src/cli/main.o $(O)/libbangdai.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(O)/libbangdai.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(ALLCFLAGS) -c -o $@ $<

$(O)/tests/test_%: tests/unit/test_%.c $(O)/libbangdai.a
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $(LDFLAGS) -o $@ $< $(O)/libbangdai.a $(LDLIBS) -lcmocka

$(O)/tests/api_test_%: tests/api/test_%.c $(APIH_OBJ) $(O)/libbangdai.a
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -Itests/api $(LDFLAGS) -o $@ $< $(APIH_OBJ) $(O)/libbangdai.a $(LDLIBS) -lcmocka

# The demo database is made once and kept; `make demo` makes it anew.
$(DB): | bangdai
	./bangdai demo --db $(DB)

demo: bangdai
	rm -f $(DB) $(DB)-wal $(DB)-shm
	./bangdai demo --db $(DB)

run: all $(DB)
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory web-assets; \
	 else echo "make run: no npm here, so the dashboard shows tables instead of charts"; fi
	./bangdai serve --db $(DB) --listen $(LISTEN)

unit: $(UNIT_BIN)
	@$(SANRUN) scripts/run-tests $(UNIT_BIN)

api: $(O)/bangdai $(API_BIN)
	@BANGDAI_BIN=$(O)/bangdai $(SANRUN) scripts/run-tests $(API_BIN)

# The suites that use a database (the API suites, and the unit tests that
# take theirs from tests/testdb.h) again on a throw-away PostgreSQL 15
# server: scripts/pg-test installs it if need be and fails, never skips,
# when it cannot.
UNIT_PG_BIN := $(patsubst tests/unit/%.c,$(O)/tests/%,$(shell grep -l testdb.h $(UNIT_SRC)))
api-pg: $(O)/bangdai $(API_BIN)
	@scripts/pg-test env BANGDAI_BIN=$(O)/bangdai scripts/run-tests $(API_BIN)
test-pg: $(O)/bangdai $(UNIT_PG_BIN) $(API_BIN)
	@scripts/pg-test env BANGDAI_BIN=$(O)/bangdai scripts/run-tests $(UNIT_PG_BIN) $(API_BIN)

check-style:
	@scripts/check-style

# Compiling uses every core (JOBS); the suites themselves run one at a
# time, since several start servers and measure.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
test-bins: $(O)/bangdai $(UNIT_BIN) $(API_BIN) $(O)/tests/crash

# Crash safety (tests/crash/crash.c, issue 8): SIGKILL the server while it
# writes, CRASH_CYCLES times (default 50) on SQLite, then on a throw-away
# PostgreSQL (where a PostgreSQL process is killed too, once); every
# acknowledged write must be there, no write in part, the integrity check
# and the audit chain must pass. The figures go to build/reliability/
# crash-*.tsv for scripts/reliability-table.
.PHONY: crash
$(O)/tests/crash: tests/crash/crash.c $(APIH_OBJ) $(O)/libbangdai.a
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -Itests/api $(LDFLAGS) -o $@ $< $(APIH_OBJ) $(O)/libbangdai.a $(LDLIBS)
crash: $(O)/bangdai $(O)/tests/crash
	@mkdir -p build/reliability
	@scripts/run-crash $(O)/tests/crash build/reliability/crash-sqlite.tsv \
	  env -u BANGDAI_TEST_DB BANGDAI_BIN=$(O)/bangdai
	@scripts/run-crash $(O)/tests/crash build/reliability/crash-pg.tsv \
	  scripts/pg-test env BANGDAI_BIN=$(O)/bangdai CRASH_MAX_MS=600

test:
	@scripts/deps all
	@rm -rf build/reliability
	@$(MAKE) --no-print-directory check-style
	@$(MAKE) --no-print-directory -j$(JOBS) all test-bins
	@$(MAKE) --no-print-directory unit api
	@$(MAKE) --no-print-directory test-pg
	@$(MAKE) --no-print-directory crash
	@$(MAKE) --no-print-directory SAN=asan -j$(JOBS) test-bins
	@$(MAKE) --no-print-directory SAN=asan unit api
	@$(MAKE) --no-print-directory -j$(JOBS) fuzz-build
	@$(MAKE) --no-print-directory fuzz-smoke
	@$(MAKE) --no-print-directory browser
	@scripts/load-run
	@scripts/reliability-table "make test"
	@scripts/test-summary

# Fuzzing (fuzz/, issue 8): one libFuzzer target per parser of untrusted
# bytes, built with clang-14 against the project sources compiled with the
# same sanitizers (plus coverage) in build-fuzz/. `make fuzz` runs each for
# FUZZ_SECONDS; `make fuzz-smoke` (part of `make test`) replays the corpora
# and runs each for FUZZ_SMOKE_SECONDS. scripts/fuzz-run prints per target
# the executions and crashes, and fails on a crash.
FUZZ_CC      ?= clang-14
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 10
FZ           := build-fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS   = -std=c11 -D_GNU_SOURCE $(filter-out -Werror,$(WARN)) -Wno-unknown-warning-option \
                -Wno-format-nonliteral \
                -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) -Isrc \
                $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -MMD -MP
FUZZ_TARGETS := $(patsubst fuzz/fuzz_%.c,%,$(sort $(wildcard fuzz/fuzz_*.c)))
FUZZ_BIN     := $(FUZZ_TARGETS:%=$(FZ)/fuzz_%)
FUZZ_OBJ     := $(patsubst %.c,$(FZ)/%.o,$(filter-out src/cli/%,$(LIB_SRC)))
.PHONY: fuzz fuzz-smoke fuzz-build

$(FZ)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC [fuzz] $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FZ)/libbangdai.a: $(FUZZ_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(FZ)/fuzz_%: fuzz/fuzz_%.c $(wildcard fuzz/*.h) $(FZ)/libbangdai.a
	@echo "  LD [fuzz] $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FZ)/libbangdai.a \
	  $(LDLIBS)

fuzz-build:
	@scripts/deps test
	@$(MAKE) --no-print-directory $(FUZZ_BIN)

fuzz: fuzz-build
	@scripts/fuzz-run $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-smoke: fuzz-build
	@scripts/fuzz-run --smoke $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

# Front end: npm packages pinned in package-lock.json; ECharts is copied
# into web/vendor/ (git-ignored) so the binary serves it: no CDN.
.PHONY: web-assets browser
web-assets: web/vendor/echarts.min.js

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

web/vendor/echarts.min.js: node_modules/.package-lock.json
	@mkdir -p web/vendor
	cp -f node_modules/echarts/dist/echarts.min.js $@

# Browser tests: playwright-core drives Debian's /usr/bin/chromium against
# the real server on a demo database.
browser: $(O)/bangdai bangdai web-assets
	@node tests/browser/run.mjs --counts build/test-counts

bench: all
	@scripts/deps bench
	@bench/run-all

clean:
	rm -rf build build-asan build-fuzz bangdai

-include $(shell find build build-asan -name '*.d' 2>/dev/null)
-include $(shell find build-fuzz -name '*.d' 2>/dev/null)
