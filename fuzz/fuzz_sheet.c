/*
 * fuzz_sheet.c — libFuzzer target: the spreadsheet readers of imports
 * (src/service/sheet.c and sheet_xlsx.c: CSV with its encodings, .xlsx
 * through minizip and expat) and the pinyin words of search
 * (src/core/pinyin.c), on the raw bytes of an uploaded file.
 *
 * Checks, beyond the sanitizers:
 *   - sheet_parse either refuses with a message or returns a table whose
 *     row numbers rise strictly, whose every cell is valid UTF-8 without
 *     NUL and at most SHEET_MAX_CELL_BYTES long, and whose column count
 *     bounds every cell with a value;
 *   - pinyin_words writes within its buffer, NUL-terminated, only ASCII
 *     letters, digits and spaces.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain.h"
#include "core/pinyin.h"
#include "service/sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *why)
{
	fprintf(stderr, "fuzz_sheet: %s\n", why);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sheet *sh = NULL;
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = sheet_parse((const char *)data, size, SHEET_AUTO, &sh, &ei);
	if (e) {
		if (sh || !ei.message[0])
			fail("a refusal without a message, or with a table");
		return 0;
	}
	long prev = 0;
	for (size_t r = 0; r < sheet_nrows(sh); r++) {
		if (sheet_rownum(sh, r) <= prev)
			fail("row numbers do not rise");
		prev = sheet_rownum(sh, r);
		for (unsigned c = 0; c <= sheet_ncols(sh); c++) {
			const char *t = sheet_cell(sh, r, c);
			size_t n = strlen(t);
			if (n > SHEET_MAX_CELL_BYTES || !utf8_valid(t, n))
				fail("a cell is too long or not UTF-8");
			if (c == sheet_ncols(sh) && n)
				fail("a value past the column count");
			char py[64];
			size_t k = pinyin_words(t, n, py, sizeof py);
			if (k >= sizeof py || strlen(py) != k || strspn(py, "abcdefghijklmnopqrstuvwxyz0123456789 ") != k)
				fail("pinyin words out of bounds or not ASCII");
		}
	}
	sheet_free(sh);
	return 0;
}
