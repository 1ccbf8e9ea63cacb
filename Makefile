# bangdai — build, run and test. `make run` and `make test` are the two
# commands a newcomer needs; both install what is missing first.

CC      ?= gcc
PKGS    := libmicrohttpd jansson sqlite3 libsodium opencc
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

.PHONY: all deps run test unit api asan check-style clean bench demo
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
	./bangdai serve --db $(DB) --listen $(LISTEN)

unit: $(UNIT_BIN)
	@scripts/run-tests $(UNIT_BIN)

api: $(O)/bangdai $(API_BIN)
	@BANGDAI_BIN=$(O)/bangdai scripts/run-tests $(API_BIN)

check-style:
	@scripts/check-style

test:
	@scripts/deps all
	@$(MAKE) --no-print-directory check-style
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory unit api
	@$(MAKE) --no-print-directory SAN=asan unit api
	@scripts/test-summary

bench: all
	@scripts/deps bench
	@bench/run-all

clean:
	rm -rf build build-asan bangdai

-include $(shell find build build-asan -name '*.d' 2>/dev/null)
