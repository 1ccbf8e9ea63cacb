/*
 * sheet.c — the table of text cells that both spreadsheet parsers fill,
 * and the CSV parser (RFC 4180) with its encoding detection. Layer:
 * service. The .xlsx parser is sheet_xlsx.c.
 *
 * Memory: cell text lives in an arena of 1 MiB blocks (no copy when it
 * grows), cells and rows in two arrays; a 100,000-row roster of 20
 * columns takes about 40 MB.
 */
#include "service/sheet.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain.h"
#include "core/mem.h"

#define ARENA_BLOCK ((size_t)1 << 20)

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	char data[];
};

struct cell {
	unsigned col;
	const char *text; /* in the arena, NUL-terminated */
};

struct row {
	long num;
	size_t first; /* index of its first cell */
	unsigned n;
};

struct merge {
	long r1, r2;
	unsigned c1, c2;
};

struct sheet {
	const char *source;
	struct arena_block *arena;
	struct cell *cells;
	size_t ncells, cap_cells;
	struct row *rows;
	size_t nrows, cap_rows;
	struct merge *merges;
	size_t nmerges;
	unsigned ncols;
	bool open;      /* a row is begun */
	bool unsorted;  /* the open row got a column out of order */
	long last_num;
};

/* ---- the table ---------------------------------------------------------- */

struct sheet *sheet_new(const char *source)
{
	struct sheet *s = xcalloc(1, sizeof *s);
	s->source = source;
	return s;
}

void sheet_free(struct sheet *s)
{
	if (!s)
		return;
	for (struct arena_block *b = s->arena, *n; b; b = n) {
		n = b->next;
		free(b);
	}
	free(s->cells);
	free(s->rows);
	free(s->merges);
	free(s);
}

static const char *arena_copy(struct sheet *s, const char *p, size_t len)
{
	struct arena_block *b = s->arena;
	if (!b || b->cap - b->used < len + 1) {
		size_t cap = len + 1 > ARENA_BLOCK ? len + 1 : ARENA_BLOCK;
		b = xmalloc(sizeof *b + cap);
		b->used = 0;
		b->cap = cap;
		b->next = s->arena;
		s->arena = b;
	}
	char *out = b->data + b->used;
	memcpy(out, p, len);
	out[len] = '\0';
	b->used += len + 1;
	return out;
}

enum err sheet_row_begin(struct sheet *s, long num, struct errinfo *ei)
{
	if (s->open)
		sheet_row_end(s);
	if (num <= s->last_num)
		return errinfo_set(ei, ERR_INVALID, NULL, "第 %ld 行重复或顺序错误 (row %ld out of order)",
				   num, num);
	if (num > SHEET_MAX_ROWS) {
		errinfo_set(ei, ERR_TOO_LARGE, NULL, "行数超过 %d (more than %d rows)", SHEET_MAX_ROWS,
			    SHEET_MAX_ROWS);
		if (ei)
			ei->row = num;
		return ERR_TOO_LARGE;
	}
	if (s->nrows == s->cap_rows) {
		s->cap_rows = s->cap_rows ? s->cap_rows * 2 : 256;
		s->rows = xreallocarray(s->rows, s->cap_rows, sizeof *s->rows);
	}
	struct row *r = &s->rows[s->nrows];
	r->num = num;
	r->first = s->ncells;
	r->n = 0;
	s->open = true;
	s->unsorted = false;
	s->last_num = num;
	return ERR_OK;
}

enum err sheet_put(struct sheet *s, unsigned col, const char *text, size_t len,
		   struct errinfo *ei)
{
	if (len == 0 || !s->open)
		return ERR_OK;
	struct row *r = &s->rows[s->nrows];
	if (len > SHEET_MAX_CELL_BYTES || col >= SHEET_MAX_COLS) {
		char cn[8];
		sheet_col_name(col, cn, sizeof cn);
		if (len > SHEET_MAX_CELL_BYTES)
			errinfo_set(ei, ERR_TOO_LARGE, NULL,
				    "第 %ld 行 %s 列的内容过长 (cell %s%ld longer than 32767 bytes)",
				    r->num, cn, cn, r->num);
		else
			errinfo_set(ei, ERR_TOO_LARGE, NULL,
				    "第 %ld 行超过 %d 列 (row %ld has more than %d columns)", r->num,
				    SHEET_MAX_COLS, r->num, SHEET_MAX_COLS);
		if (ei) {
			ei->row = r->num;
			ei->column = (long)col + 1;
		}
		return ERR_TOO_LARGE;
	}
	if (r->n && s->cells[s->ncells - 1].col >= col)
		s->unsorted = true;
	if (s->ncells == s->cap_cells) {
		s->cap_cells = s->cap_cells ? s->cap_cells * 2 : 1024;
		s->cells = xreallocarray(s->cells, s->cap_cells, sizeof *s->cells);
	}
	s->cells[s->ncells].col = col;
	s->cells[s->ncells].text = arena_copy(s, text, len);
	s->ncells++;
	r->n++;
	if (col + 1 > s->ncols)
		s->ncols = col + 1;
	return ERR_OK;
}

static int cell_cmp(const void *a, const void *b)
{
	const struct cell *x = a, *y = b;
	return x->col < y->col ? -1 : x->col > y->col;
}

void sheet_row_end(struct sheet *s)
{
	if (!s->open)
		return;
	s->open = false;
	struct row *r = &s->rows[s->nrows];
	if (r->n == 0)
		return;
	if (s->unsorted) {
		/* Stable order is not needed: a repeated column keeps the one
		 * sorted last, which is as good as any for a malformed file. */
		qsort(s->cells + r->first, r->n, sizeof *s->cells, cell_cmp);
		unsigned o = 0;
		for (unsigned i = 0; i < r->n; i++) {
			if (o && s->cells[r->first + o - 1].col == s->cells[r->first + i].col)
				o--;
			s->cells[r->first + o++] = s->cells[r->first + i];
		}
		s->ncells -= r->n - o;
		r->n = o;
	}
	s->nrows++;
}

enum err sheet_merge(struct sheet *s, long r1, unsigned c1, long r2, unsigned c2,
		     struct errinfo *ei)
{
	if (s->nmerges >= SHEET_MAX_MERGES)
		return errinfo_set(ei, ERR_TOO_LARGE, NULL, "合并单元格超过 %d 处 (more than %d merged ranges)",
				   SHEET_MAX_MERGES, SHEET_MAX_MERGES);
	if (r2 < r1 || c2 < c1)
		return ERR_OK;
	if (s->nmerges % 64 == 0)
		s->merges = xreallocarray(s->merges, s->nmerges + 64, sizeof *s->merges);
	s->merges[s->nmerges++] = (struct merge){r1, r2, c1, c2};
	return ERR_OK;
}

size_t sheet_nrows(const struct sheet *s) { return s->nrows; }
long sheet_rownum(const struct sheet *s, size_t i) { return i < s->nrows ? s->rows[i].num : 0; }
unsigned sheet_ncols(const struct sheet *s) { return s->ncols; }
const char *sheet_source(const struct sheet *s) { return s->source; }

static const char *row_cell(const struct sheet *s, const struct row *r, unsigned col)
{
	size_t lo = 0, hi = r->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct cell *c = &s->cells[r->first + mid];
		if (c->col == col)
			return c->text;
		if (c->col < col)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const struct row *row_by_num(const struct sheet *s, long num)
{
	size_t lo = 0, hi = s->nrows;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->rows[mid].num == num)
			return &s->rows[mid];
		if (s->rows[mid].num < num)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *sheet_cell(const struct sheet *s, size_t i, unsigned col)
{
	if (i >= s->nrows || col >= s->ncols)
		return "";
	const struct row *r = &s->rows[i];
	const char *t = row_cell(s, r, col);
	if (t)
		return t;
	for (size_t k = 0; k < s->nmerges; k++) {
		const struct merge *m = &s->merges[k];
		if (r->num < m->r1 || r->num > m->r2 || col < m->c1 || col > m->c2)
			continue;
		const struct row *top = row_by_num(s, m->r1);
		const char *v = top ? row_cell(s, top, m->c1) : NULL;
		return v ? v : "";
	}
	return "";
}

void sheet_col_name(unsigned col, char *out, size_t n)
{
	char tmp[8];
	int k = 0;
	unsigned c = col + 1;
	while (c > 0 && k < (int)sizeof tmp) {
		tmp[k++] = (char)('A' + (c - 1) % 26);
		c = (c - 1) / 26;
	}
	size_t o = 0;
	while (k > 0 && o + 1 < n)
		out[o++] = tmp[--k];
	if (n)
		out[o] = '\0';
}

/* ---- encodings ------------------------------------------------------------ */

/* Convert in[0..len) from `from` to UTF-8 into a new buffer (owned).
 * ERR_INVALID if the bytes are not valid in `from`. */
static enum err convert(const char *in, size_t len, const char *from, char **out, size_t *olen,
			size_t *bad_at)
{
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return ERR_INTERNAL;
	size_t cap = xmul(len, 2) + 16;
	char *buf = xmalloc(cap);
	char *ip = (char *)in, *op = buf;
	size_t il = len, ol = cap - 1;
	enum err e = ERR_OK;
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 ||
	    iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1) {
		*bad_at = (size_t)(ip - in);
		e = ERR_INVALID;
	}
	iconv_close(cd);
	if (e) {
		free(buf);
		return e;
	}
	*op = '\0';
	*out = buf;
	*olen = (size_t)(op - buf);
	return ERR_OK;
}

/* ---- CSV -------------------------------------------------------------- */

static char pick_delimiter(const char *p, size_t n)
{
	size_t commas = 0, tabs = 0, semis = 0;
	bool quoted = false;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (c == '"')
			quoted = !quoted;
		else if (!quoted && (c == '\n' || c == '\r'))
			break;
		else if (!quoted)
			commas += c == ',', tabs += c == '\t', semis += c == ';';
	}
	if (tabs > commas && tabs >= semis)
		return '\t';
	if (semis > commas)
		return ';';
	return ',';
}

static enum err csv_error(struct errinfo *ei, enum err e, long rec, const char *what)
{
	errinfo_set(ei, e, NULL, "CSV 第 %ld 行: %s", rec, what);
	if (ei)
		ei->row = rec;
	return e;
}

static enum err parse_csv_text(struct sheet *s, const char *p, size_t n, struct errinfo *ei)
{
	char delim = pick_delimiter(p, n);
	char *tmp = xmalloc(SHEET_MAX_CELL_BYTES + 1);
	size_t i = 0;
	long rec = 0;
	enum err e = ERR_OK;
	while (i < n) {
		if ((e = sheet_row_begin(s, ++rec, ei)))
			goto out;
		unsigned col = 0;
		for (;;) {
			const char *text;
			size_t tlen, j;
			if (p[i] == '"') {
				j = i + 1;
				tlen = 0;
				for (;;) {
					if (j >= n) {
						e = csv_error(ei, ERR_INVALID, rec,
							      "引号没有闭合 (unterminated quoted cell)");
						goto out;
					}
					char c = p[j];
					if (c == '"' && j + 1 < n && p[j + 1] == '"') {
						c = '"';
						j += 2;
					} else if (c == '"') {
						j++;
						break;
					} else {
						j++;
					}
					if (tlen >= SHEET_MAX_CELL_BYTES) {
						e = csv_error(ei, ERR_TOO_LARGE, rec,
							      "单元格过长 (cell longer than 32767 bytes)");
						goto out;
					}
					tmp[tlen++] = c;
				}
				if (j < n && p[j] != delim && p[j] != '\r' && p[j] != '\n') {
					e = csv_error(ei, ERR_INVALID, rec,
						      "引号后有多余字符 (characters after a closing quote)");
					goto out;
				}
				text = tmp;
			} else {
				j = i;
				while (j < n && p[j] != delim && p[j] != '\r' && p[j] != '\n')
					j++;
				text = p + i;
				tlen = j - i;
			}
			if (col >= SHEET_MAX_COLS && tlen == 0) {
				/* trailing empty cells past the limit do no harm */
			} else if ((e = sheet_put(s, col, text, tlen, ei))) {
				goto out;
			}
			col++;
			if (j >= n) {
				i = n;
				break;
			}
			if (p[j] == delim) {
				i = j + 1;
				if (i >= n) /* "a,b," at the very end */
					break;
				continue;
			}
			if (p[j] == '\r' && j + 1 < n && p[j + 1] == '\n')
				j++;
			i = j + 1;
			break;
		}
		sheet_row_end(s);
	}
out:
	free(tmp);
	return e;
}

static enum err parse_csv(const char *data, size_t len, struct sheet **out, struct errinfo *ei)
{
	const unsigned char *u = (const unsigned char *)data;
	const char *source;
	char *conv = NULL;
	const char *text = data;
	size_t tlen = len, bad = 0;
	enum err e;
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		source = "csv utf-8 bom";
		text += 3;
		tlen -= 3;
	} else if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
		source = "csv utf-16";
		if ((e = convert(data + 2, len - 2, u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE", &conv,
				 &tlen, &bad)))
			return errinfo_set(ei, ERR_INVALID, NULL,
					   "UTF-16 文本在第 %zu 字节处无效 (invalid UTF-16 at byte %zu)",
					   bad + 2, bad + 2);
		text = conv;
	} else {
		source = "csv utf-8";
	}
	if (!conv && !utf8_valid(text, tlen)) {
		/* Not UTF-8: what Excel on a Chinese Windows writes is GB18030
		 * (a superset of GBK and GB2312). */
		if (memchr(text, '\0', tlen))
			return errinfo_set(ei, ERR_INVALID, NULL,
					   "文件含有空字节,不是文本 (NUL bytes: not a CSV text file)");
		if (convert(text, tlen, "GB18030", &conv, &tlen, &bad))
			return errinfo_set(ei, ERR_INVALID, NULL,
					   "无法识别的文字编码:既不是 UTF-8 也不是 GB18030 (第 %zu 字节) "
					   "(unknown encoding: neither UTF-8 nor GB18030, byte %zu)",
					   bad, bad);
		source = "csv gb18030";
		text = conv;
	}
	if (conv && !utf8_valid(text, tlen)) {
		free(conv);
		return errinfo_set(ei, ERR_INVALID, NULL, "文件含有空字节或无效字符 (NUL or invalid characters)");
	}
	struct sheet *s = sheet_new(source);
	e = parse_csv_text(s, text, tlen, ei);
	free(conv);
	if (e) {
		sheet_free(s);
		return e;
	}
	*out = s;
	return ERR_OK;
}

enum err sheet_parse(const char *data, size_t len, enum sheet_format fmt, struct sheet **out,
		     struct errinfo *ei)
{
	*out = NULL;
	bool zip = len >= 4 && data[0] == 'P' && data[1] == 'K' &&
		   ((data[2] == 3 && data[3] == 4) || (data[2] == 5 && data[3] == 6));
	static const unsigned char ole[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	if (len >= sizeof ole && memcmp(data, ole, sizeof ole) == 0)
		return errinfo_set(ei, ERR_INVALID, NULL,
				   "不支持旧版 .xls 文件,请另存为 .xlsx 或 CSV "
				   "(old .xls workbooks are not supported: save as .xlsx or CSV)");
	if (fmt == SHEET_XLSX || (fmt == SHEET_AUTO && zip)) {
		if (!zip)
			return errinfo_set(ei, ERR_INVALID, NULL, "不是 .xlsx 文件 (not an .xlsx workbook)");
		return sheet_parse_xlsx(data, len, out, ei);
	}
	if (len == 0)
		return errinfo_set(ei, ERR_INVALID, NULL, "文件为空 (empty file)");
	return parse_csv(data, len, out, ei);
}
