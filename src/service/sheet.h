/*
 * sheet.h — spreadsheets in: CSV and Excel .xlsx read into one table of
 * text cells (layer: service, because the .xlsx half uses minizip and
 * expat; the CSV half needs only libc and glibc's iconv).
 *
 * Both parsers take untrusted bytes as pointer and length and refuse,
 * with a clear message, anything past the named limits below: a zip
 * bomb (declared or actual uncompressed size, compression ratio, entry
 * count), an XML file with a DOCTYPE (so no entity can be declared, let
 * alone expanded: billion laughs), XML nested too deeply, too many rows,
 * columns, characters in a cell or merged ranges.
 *
 * What comes out is text: a CSV in UTF-8 (with or without BOM), UTF-16
 * with BOM, or GB18030 (what Excel on a Chinese Windows writes; used when
 * the bytes are not valid UTF-8) is converted to UTF-8; an .xlsx cell
 * becomes its shared or inline string, its number as written (integral
 * values without exponent, e.g. a phone number typed as a number), a
 * date-formatted number as YYYY-MM-DD, a boolean as TRUE/FALSE, a
 * formula as its cached result. A merged range reads as its top-left
 * value in every cell it covers (merged header cells, a township name
 * merged down its rows).
 *
 *   struct sheet *sh;
 *   if (sheet_parse(data, len, SHEET_AUTO, &sh, &ei)) ...;
 *   for (size_t r = 0; r < sheet_nrows(sh); r++)
 *           use(sheet_rownum(sh, r), sheet_cell(sh, r, 0));
 *   sheet_free(sh);
 */
#ifndef BANGDAI_SERVICE_SHEET_H
#define BANGDAI_SERVICE_SHEET_H

#include <stddef.h>

#include "core/err.h"

#define SHEET_MAX_ROWS 1048576           /* Excel's own limit */
#define SHEET_MAX_COLS 1024              /* columns with a value */
#define SHEET_MAX_CELL_BYTES 32767       /* Excel's own limit on a cell's text */
#define SHEET_MAX_MERGES 4096            /* merged ranges */
#define SHEET_ZIP_MAX_ENTRIES 4096       /* files inside an .xlsx */
#define SHEET_XML_MAX_BYTES ((size_t)256 << 20) /* one part, uncompressed */
#define SHEET_ZIP_MAX_RATIO 200          /* uncompressed : compressed, past 1 MiB */
#define SHEET_XML_MAX_DEPTH 64           /* element nesting */
#define SHEET_MAX_STRINGS 4000000        /* shared strings */

enum sheet_format { SHEET_AUTO, SHEET_CSV, SHEET_XLSX };

struct sheet;

/*
 * Parse data[0..len) (borrowed) as `fmt`; SHEET_AUTO takes a zip (an
 * .xlsx) by its signature and anything else as CSV. The first worksheet
 * of a workbook is read. On success *out is owned by the caller
 * (sheet_free). Errors, with the reason in ei (ei->row the file's row
 * where there is one): ERR_INVALID (not a spreadsheet, malformed CSV or
 * XML, an unknown encoding, an encrypted workbook), ERR_TOO_LARGE (a
 * limit above).
 */
enum err sheet_parse(const char *data, size_t len, enum sheet_format fmt, struct sheet **out,
		     struct errinfo *ei);
void sheet_free(struct sheet *s); /* NULL is a no-op */

/* Rows that have at least one cell, in file order. */
size_t sheet_nrows(const struct sheet *s);
/* The 1-based row number in the file of row i (what Excel shows; for a
 * CSV the record number, which differs from the line number when a
 * quoted cell holds a line break). */
long sheet_rownum(const struct sheet *s, size_t i);
/* One more than the largest column index with a value. */
unsigned sheet_ncols(const struct sheet *s);
/* The text of row i, column col (0-based), borrowed from s, never NULL:
 * "" for an empty cell. */
const char *sheet_cell(const struct sheet *s, size_t i, unsigned col);
/* How the bytes were read: "xlsx", "csv utf-8", "csv utf-8 bom",
 * "csv gb18030", "csv utf-16". Static. */
const char *sheet_source(const struct sheet *s);

/* Column letters of a 0-based index ("A", "AB") into out (>= 4 bytes). */
void sheet_col_name(unsigned col, char *out, size_t n);

/* --- for the two parsers (sheet.c, sheet_xlsx.c) ----------------------- */

struct sheet *sheet_new(const char *source);
/* Start row number `num` (must be larger than the previous one). */
enum err sheet_row_begin(struct sheet *s, long num, struct errinfo *ei);
/* Add text[0..len) at column col of the current row (empty text is
 * dropped). Columns may come in any order; a repeated one replaces. */
enum err sheet_put(struct sheet *s, unsigned col, const char *text, size_t len,
		   struct errinfo *ei);
/* Finish the current row (a row without cells is dropped). */
void sheet_row_end(struct sheet *s);
/* Record a merged range, rows r1..r2 (file numbers), columns c1..c2. */
enum err sheet_merge(struct sheet *s, long r1, unsigned c1, long r2, unsigned c2,
		     struct errinfo *ei);
enum err sheet_parse_xlsx(const char *data, size_t len, struct sheet **out, struct errinfo *ei);

#endif
