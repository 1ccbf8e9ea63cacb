/*
 * sheet_xlsx.c — our own small reader of Excel .xlsx workbooks, on
 * minizip (the zip container, read from memory) and expat (the XML
 * parts, streamed). Layer: service. Debian has no C library for this.
 *
 * Read: xl/workbook.xml (the first sheet and the 1904 date system), its
 * relationships (where that sheet, the shared strings and the styles
 * are), xl/styles.xml (which cell formats are dates), the shared strings
 * (rich-text runs joined, phonetic guides <rPh> left out) and the sheet
 * itself (cells, then <mergeCells>). Nothing else of a workbook matters
 * to an import.
 *
 * Defences, each refused with a message that says what was wrong:
 *   - a zip with more than SHEET_ZIP_MAX_ENTRIES entries, an encrypted
 *     entry, a bad CRC;
 *   - a part whose declared or actual uncompressed size passes
 *     SHEET_XML_MAX_BYTES (all parts together), or whose ratio passes
 *     SHEET_ZIP_MAX_RATIO (zip bombs; the actual bytes are counted as
 *     they are inflated, so a lying header does not help);
 *   - any DOCTYPE (so no entity is ever declared or expanded: billion
 *     laughs and external entities are impossible), and elements nested
 *     deeper than SHEET_XML_MAX_DEPTH.
 */
#include <expat.h>
#include <math.h>
#include <minizip/unzip.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "service/sheet.h"
#include "store/fault.h"

#define CHUNK 65536
#define MAX_XF 65536
#define MAX_NUMFMT 4096

/* ---- the zip container, from memory ---------------------------------- */

struct memzip {
	const char *data;
	size_t len, pos;
};

static voidpf ZCALLBACK mz_open(voidpf opaque, const void *name, int mode)
{
	(void)name;
	(void)mode;
	struct memzip *m = opaque;
	m->pos = 0;
	return m;
}

static uLong ZCALLBACK mz_read(voidpf opaque, voidpf stream, void *buf, uLong size)
{
	(void)opaque;
	struct memzip *m = stream;
	size_t n = m->len - m->pos < size ? m->len - m->pos : size;
	if (fault_fire(FAULT_SHEET_READ))
		n /= 2; /* a short read, as from a failing disk or a cut upload */
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	return (uLong)n;
}

static uLong ZCALLBACK mz_write(voidpf opaque, voidpf stream, const void *buf, uLong size)
{
	(void)opaque;
	(void)stream;
	(void)buf;
	(void)size;
	return 0;
}

static ZPOS64_T ZCALLBACK mz_tell(voidpf opaque, voidpf stream)
{
	(void)opaque;
	return ((struct memzip *)stream)->pos;
}

static long ZCALLBACK mz_seek(voidpf opaque, voidpf stream, ZPOS64_T off, int origin)
{
	(void)opaque;
	struct memzip *m = stream;
	uint64_t base = origin == ZLIB_FILEFUNC_SEEK_SET ? 0
			: origin == ZLIB_FILEFUNC_SEEK_CUR ? m->pos
							   : m->len;
	if (off > m->len || base + off > m->len)
		return -1;
	m->pos = (size_t)(base + off);
	return 0;
}

static int ZCALLBACK mz_close(voidpf opaque, voidpf stream)
{
	(void)opaque;
	(void)stream;
	return 0;
}

static int ZCALLBACK mz_error(voidpf opaque, voidpf stream)
{
	(void)opaque;
	(void)stream;
	return 0;
}

/* ---- the reader's state ------------------------------------------------ */

struct xlsx {
	unzFile uf;
	struct errinfo *ei;
	enum err err;          /* set by a handler to stop */
	size_t total;          /* uncompressed bytes of every part read */
	bool date1904;
	/* workbook and relationships */
	char sheet_rid[64];
	char sheet_path[256], sst_path[256], styles_path[256];
	/* styles: which cell formats (index of cellXfs) show dates */
	bool *date_xf;
	size_t nxf;
	int custom_date[MAX_NUMFMT];
	size_t ncustom;
	bool in_cellxfs;
	/* shared strings */
	char *sst;             /* texts, NUL-separated */
	size_t sst_len, sst_cap;
	size_t *sst_off;
	size_t nsst, cap_sst;
	/* text being collected (<v>, <t>) */
	char *text;
	size_t tlen;
	bool collecting, too_long;
	int in_rph;            /* inside a phonetic guide */
	bool in_si, in_is;
	/* sheet */
	struct sheet *sh;
	long row, last_row;
	unsigned col;
	int next_col;
	char ctype[16];
	long style;
	bool in_sheetdata;
};

/*
 * Local name of an element or attribute name: "x:c" -> "c". The parts are
 * parsed without namespace processing, which cost expat a fifth of its
 * time on a 100,000-row sheet (docs/bench.md, Import); SpreadsheetML's
 * names are told apart by their local names alone.
 */
static const char *local(const char *name)
{
	const char *colon = strrchr(name, ':');
	return colon ? colon + 1 : name;
}

/* A namespace declaration ("xmlns", "xmlns:r") is not an attribute. */
static const char *attr(const char **atts, const char *name)
{
	for (int i = 0; atts[i]; i += 2)
		if (strncmp(atts[i], "xmlns", 5) || (atts[i][5] && atts[i][5] != ':'))
			if (!strcmp(local(atts[i]), name))
				return atts[i + 1];
	return NULL;
}

static void fail(struct xlsx *x, enum err e, const char *msg, const char *part)
{
	if (x->err)
		return;
	x->err = e;
	errinfo_set(x->ei, e, NULL, "%s (%s)", msg, part ? part : "xlsx");
}

/* ---- one XML part, streamed ------------------------------------------ */

struct part_run {
	struct xlsx *x;
	XML_Parser p;
	const char *name;
	int depth;
	void (*start)(struct xlsx *x, const char *el, const char **atts);
	void (*end)(struct xlsx *x, const char *el);
};

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct part_run *r = ud;
	if (++r->depth > SHEET_XML_MAX_DEPTH) {
		fail(r->x, ERR_INVALID, "XML 嵌套过深 (XML nested too deeply)", r->name);
		XML_StopParser(r->p, XML_FALSE);
		return;
	}
	r->start(r->x, local(name), atts);
	if (r->x->err)
		XML_StopParser(r->p, XML_FALSE);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	struct part_run *r = ud;
	r->depth--;
	if (r->end)
		r->end(r->x, local(name));
	if (r->x->err)
		XML_StopParser(r->p, XML_FALSE);
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	struct part_run *r = ud;
	struct xlsx *x = r->x;
	if (!x->collecting || x->in_rph || len <= 0)
		return;
	if (x->tlen + (size_t)len > SHEET_MAX_CELL_BYTES) {
		x->too_long = true;
		return;
	}
	memcpy(x->text + x->tlen, s, (size_t)len);
	x->tlen += (size_t)len;
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal;
	struct part_run *r = ud;
	fail(r->x, ERR_INVALID,
	     "XML 含有 DOCTYPE 声明,已拒绝 (a DOCTYPE is not allowed: entities are refused)",
	     r->name);
	XML_StopParser(r->p, XML_FALSE);
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int is_param,
			      const XML_Char *value, int value_length, const XML_Char *base,
			      const XML_Char *sysid, const XML_Char *pubid, const XML_Char *notation)
{
	(void)name, (void)is_param, (void)value, (void)value_length, (void)base, (void)sysid;
	(void)pubid, (void)notation;
	struct part_run *r = ud;
	fail(r->x, ERR_INVALID, "XML 含有实体声明,已拒绝 (entity declarations are refused)", r->name);
	XML_StopParser(r->p, XML_FALSE);
}

/* Read part `name` through the handlers. ERR_NOT_FOUND (nothing set in
 * ei) when the zip has no such entry. */
static enum err read_part(struct xlsx *x, const char *name,
			  void (*start)(struct xlsx *, const char *, const char **),
			  void (*end)(struct xlsx *, const char *))
{
	/* Only a finished search means "no such part": a read error on the
	 * way must not make a present part (styles, shared strings) absent. */
	int found = unzLocateFile(x->uf, name, 1);
	if (found == UNZ_END_OF_LIST_OF_FILE)
		return ERR_NOT_FOUND;
	if (found != UNZ_OK) {
		fail(x, ERR_INVALID, "压缩包损坏 (damaged zip)", name);
		return x->err;
	}
	unz_file_info64 fi;
	if (unzGetCurrentFileInfo64(x->uf, &fi, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK) {
		fail(x, ERR_INVALID, "压缩包损坏 (damaged zip)", name);
		return x->err;
	}
	if (fi.flag & 1) {
		fail(x, ERR_INVALID, "工作簿已加密,请先取消密码 (the workbook is encrypted)", name);
		return x->err;
	}
	if (fi.uncompressed_size > SHEET_XML_MAX_BYTES - x->total ||
	    (fi.uncompressed_size > ((uint64_t)1 << 20) &&
	     fi.uncompressed_size / SHEET_ZIP_MAX_RATIO > fi.compressed_size)) {
		fail(x, ERR_TOO_LARGE,
		     "解压后过大或压缩比异常,疑似压缩炸弹 (uncompressed size or ratio too large: zip bomb?)",
		     name);
		return x->err;
	}
	if (unzOpenCurrentFile(x->uf) != UNZ_OK) {
		fail(x, ERR_INVALID, "无法读取压缩内容 (cannot read a zip entry)", name);
		return x->err;
	}
	XML_Parser p = XML_ParserCreate(NULL);
	struct part_run r = {x, p, name, 0, start, end};
	XML_SetUserData(p, &r);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_text);
	XML_SetStartDoctypeDeclHandler(p, on_doctype);
	XML_SetEntityDeclHandler(p, on_entity);
	XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
	char *buf = xmalloc(CHUNK);
	uint64_t got = 0;
	for (;;) {
		int n = unzReadCurrentFile(x->uf, buf, CHUNK);
		if (n < 0) {
			fail(x, ERR_INVALID, "压缩数据损坏 (damaged compressed data)", name);
			break;
		}
		got += (uint64_t)n;
		x->total += (size_t)n;
		if (x->total > SHEET_XML_MAX_BYTES ||
		    (got > ((uint64_t)1 << 20) && got / SHEET_ZIP_MAX_RATIO > fi.compressed_size)) {
			fail(x, ERR_TOO_LARGE,
			     "解压后过大或压缩比异常,疑似压缩炸弹 (uncompressed size or ratio too large: "
			     "zip bomb?)",
			     name);
			break;
		}
		if (XML_Parse(p, buf, n, n == 0) != XML_STATUS_OK) {
			if (!x->err) {
				char msg[200];
				snprintf(msg, sizeof msg, "XML 格式错误,第 %lu 行: %s (malformed XML)",
					 (unsigned long)XML_GetCurrentLineNumber(p),
					 XML_ErrorString(XML_GetErrorCode(p)));
				fail(x, ERR_INVALID, msg, name);
			}
			break;
		}
		if (n == 0)
			break;
	}
	free(buf);
	XML_ParserFree(p);
	if (unzCloseCurrentFile(x->uf) == UNZ_CRCERROR && !x->err)
		fail(x, ERR_INVALID, "CRC 校验失败,文件已损坏 (CRC error: damaged file)", name);
	return x->err;
}

/* ---- workbook and relationships ---------------------------------------- */

static void wb_start(struct xlsx *x, const char *el, const char **atts)
{
	if (!strcmp(el, "workbookPr")) {
		const char *d = attr(atts, "date1904");
		x->date1904 = d && (!strcmp(d, "1") || !strcmp(d, "true"));
	} else if (!strcmp(el, "sheet") && !x->sheet_rid[0]) {
		const char *id = attr(atts, "id");
		if (id)
			snprintf(x->sheet_rid, sizeof x->sheet_rid, "%s", id);
	}
}

/* "worksheets/sheet1.xml" relative to xl/, or "/xl/..." absolute. */
static void resolve(const char *target, char *out, size_t n)
{
	if (target[0] == '/')
		snprintf(out, n, "%s", target + 1);
	else
		snprintf(out, n, "xl/%s", target);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

static void rels_start(struct xlsx *x, const char *el, const char **atts)
{
	if (strcmp(el, "Relationship"))
		return;
	const char *id = attr(atts, "Id"), *type = attr(atts, "Type"),
		   *target = attr(atts, "Target");
	if (!target || !type)
		return;
	if (id && !strcmp(id, x->sheet_rid))
		resolve(target, x->sheet_path, sizeof x->sheet_path);
	else if (ends_with(type, "/sharedStrings"))
		resolve(target, x->sst_path, sizeof x->sst_path);
	else if (ends_with(type, "/styles"))
		resolve(target, x->styles_path, sizeof x->styles_path);
}

/* ---- styles ---------------------------------------------------------- */

/* A number format code that shows a date: y or d (or 年/月/日) outside
 * quotes, brackets and escapes. */
static bool date_code(const char *c)
{
	bool q = false;
	for (const char *p = c; *p; p++) {
		if (*p == '"') {
			q = !q;
			continue;
		}
		if (q)
			continue;
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p == '[') {
			const char *e = strchr(p, ']');
			if (!e)
				break;
			p = e;
			continue;
		}
		if (*p == 'y' || *p == 'Y' || *p == 'd' || *p == 'D')
			return true;
		if (!strncmp(p, "年", 3) || !strncmp(p, "月", 3) || !strncmp(p, "日", 3))
			return true;
	}
	return false;
}

static bool date_fmt(const struct xlsx *x, long id)
{
	/* Built-in date formats, with those of the Chinese locales. */
	if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58))
		return true;
	for (size_t i = 0; i < x->ncustom; i++)
		if (x->custom_date[i] == id)
			return true;
	return false;
}

static void styles_start(struct xlsx *x, const char *el, const char **atts)
{
	if (!strcmp(el, "numFmt")) {
		const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
		if (id && code && date_code(code) && x->ncustom < MAX_NUMFMT)
			x->custom_date[x->ncustom++] = (int)strtol(id, NULL, 10);
	} else if (!strcmp(el, "cellXfs")) {
		x->in_cellxfs = true;
	} else if (!strcmp(el, "xf") && x->in_cellxfs) {
		if (x->nxf >= MAX_XF) {
			fail(x, ERR_TOO_LARGE, "单元格格式过多 (too many cell formats)", "styles");
			return;
		}
		if (x->nxf % 256 == 0)
			x->date_xf = xreallocarray(x->date_xf, x->nxf + 256, sizeof *x->date_xf);
		const char *id = attr(atts, "numFmtId");
		x->date_xf[x->nxf++] = id && date_fmt(x, strtol(id, NULL, 10));
	}
}

static void styles_end(struct xlsx *x, const char *el)
{
	if (!strcmp(el, "cellXfs"))
		x->in_cellxfs = false;
}

/* ---- shared strings ---------------------------------------------------- */

static void text_begin(struct xlsx *x)
{
	x->collecting = true;
}

static void sst_start(struct xlsx *x, const char *el, const char **atts)
{
	(void)atts;
	if (!strcmp(el, "si")) {
		x->in_si = true;
		x->tlen = 0;
		x->too_long = false;
	} else if (!strcmp(el, "rPh")) {
		x->in_rph++;
	} else if (!strcmp(el, "t") && x->in_si) {
		text_begin(x);
	}
}

static void sst_end(struct xlsx *x, const char *el)
{
	if (!strcmp(el, "t")) {
		x->collecting = false;
	} else if (!strcmp(el, "rPh")) {
		x->in_rph--;
	} else if (!strcmp(el, "si")) {
		x->in_si = false;
		if (x->nsst >= SHEET_MAX_STRINGS) {
			fail(x, ERR_TOO_LARGE, "共享字符串过多 (too many shared strings)", "sharedStrings");
			return;
		}
		size_t n = x->too_long ? 0 : x->tlen;
		if (x->sst_len + n + 1 > x->sst_cap) {
			size_t cap = x->sst_cap ? x->sst_cap : 65536;
			while (cap < x->sst_len + n + 1)
				cap *= 2;
			x->sst = xreallocarray(x->sst, cap, 1);
			x->sst_cap = cap;
		}
		if (x->nsst == x->cap_sst) {
			x->cap_sst = x->cap_sst ? x->cap_sst * 2 : 1024;
			x->sst_off = xreallocarray(x->sst_off, x->cap_sst, sizeof *x->sst_off);
		}
		x->sst_off[x->nsst++] = x->sst_len;
		memcpy(x->sst + x->sst_len, x->text, n);
		x->sst[x->sst_len + n] = '\0';
		x->sst_len += n + 1;
	}
}

/* ---- the sheet ---------------------------------------------------------- */

/* "AB12" -> column 27 (0-based), row 12. False if malformed. */
static bool parse_ref(const char *ref, unsigned *col, long *row)
{
	const char *p = ref;
	unsigned c = 0;
	int letters = 0;
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
		if (++letters > 3)
			return false;
		c = c * 26 + (unsigned)((*p | 0x20) - 'a' + 1);
		p++;
	}
	long r = 0;
	int digits = 0;
	while (*p >= '0' && *p <= '9') {
		if (++digits > 7)
			return false;
		r = r * 10 + (*p - '0');
		p++;
	}
	if (*p || (!letters && !digits))
		return false;
	if (col)
		*col = letters ? c - 1 : (unsigned)-1;
	if (row)
		*row = digits ? r : -1;
	return true;
}

/* Days since 1970-01-01 -> "YYYY-MM-DD" (H. Hinnant's civil_from_days). */
static void civil(long z, char out[16])
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp < 10 ? mp + 3 : mp - 9;
	snprintf(out, 16, "%04ld-%02ld-%02ld", y + (m <= 2), m, d);
}

/* An Excel serial date -> "YYYY-MM-DD"; false if out of range. */
static bool serial_date(double v, bool d1904, char out[16])
{
	if (!isfinite(v) || v < 0 || v >= 2958466)
		return false;
	long days = (long)floor(v);
	/* 1900 system: serial 1 is 1900-01-01 and the fictitious 1900-02-29
	 * (serial 60) is kept for Lotus' sake; 25569 is 1970-01-01. */
	if (d1904)
		days += 1462;
	else if (days < 60)
		days += 1;
	civil(days - 25569, out);
	return true;
}

static void sheet_start(struct xlsx *x, const char *el, const char **atts)
{
	if (!strcmp(el, "sheetData")) {
		x->in_sheetdata = true;
	} else if (!strcmp(el, "row") && x->in_sheetdata) {
		const char *r = attr(atts, "r");
		long num = x->last_row + 1;
		if (r) {
			char *end;
			num = strtol(r, &end, 10);
			if (*end || num <= 0) {
				fail(x, ERR_INVALID, "行号无效 (bad row number)", "sheet");
				return;
			}
		}
		enum err e = sheet_row_begin(x->sh, num, x->ei);
		if (e) {
			x->err = e;
			return;
		}
		x->row = x->last_row = num;
		x->next_col = 0;
	} else if (!strcmp(el, "c") && x->in_sheetdata) {
		const char *r = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
		unsigned col = (unsigned)x->next_col;
		if (r) {
			long rr;
			if (!parse_ref(r, &col, &rr) || col == (unsigned)-1 || col >= 16384) {
				fail(x, ERR_INVALID, "单元格引用无效 (bad cell reference)", "sheet");
				return;
			}
		}
		x->col = col;
		x->next_col = (int)col + 1;
		snprintf(x->ctype, sizeof x->ctype, "%s", t ? t : "n");
		x->style = s ? strtol(s, NULL, 10) : -1;
		x->tlen = 0;
		x->too_long = false;
		x->in_is = false;
	} else if (!strcmp(el, "v") && x->in_sheetdata) {
		x->tlen = 0;
		text_begin(x);
	} else if (!strcmp(el, "is")) {
		x->in_is = true;
	} else if (!strcmp(el, "rPh")) {
		x->in_rph++;
	} else if (!strcmp(el, "t") && x->in_is) {
		text_begin(x);
	} else if (!strcmp(el, "mergeCell")) {
		const char *ref = attr(atts, "ref");
		const char *colon = ref ? strchr(ref, ':') : NULL;
		char a[16], b[16];
		unsigned c1, c2;
		long r1, r2;
		if (!colon || (size_t)(colon - ref) >= sizeof a || strlen(colon + 1) >= sizeof b)
			return; /* a single-cell "range": nothing to fill */
		snprintf(a, sizeof a, "%.*s", (int)(colon - ref), ref);
		snprintf(b, sizeof b, "%s", colon + 1);
		if (!parse_ref(a, &c1, &r1) || !parse_ref(b, &c2, &r2) || c1 == (unsigned)-1 ||
		    c2 == (unsigned)-1 || r1 < 1 || r2 < 1)
			return;
		enum err e = sheet_merge(x->sh, r1, c1, r2, c2, x->ei);
		if (e)
			x->err = e;
	}
}

static void put_value(struct xlsx *x)
{
	char num[64];
	const char *v = x->text;
	size_t n = x->tlen;
	x->text[n] = '\0';
	if (x->too_long) {
		char cn[8];
		sheet_col_name(x->col, cn, sizeof cn);
		errinfo_set(x->ei, ERR_TOO_LARGE, NULL, "单元格 %s%ld 过长 (cell longer than 32767 bytes)",
			    cn, x->row);
		if (x->ei)
			x->ei->row = x->row;
		x->err = ERR_TOO_LARGE;
		return;
	}
	if (!strcmp(x->ctype, "s")) {
		char *end;
		unsigned long i = strtoul(x->text, &end, 10);
		if (*end || end == x->text || i >= x->nsst) {
			fail(x, ERR_INVALID, "共享字符串编号无效 (bad shared string index)", "sheet");
			return;
		}
		v = x->sst + x->sst_off[i];
		n = strlen(v);
	} else if (!strcmp(x->ctype, "b")) {
		v = !strcmp(x->text, "1") ? "TRUE" : "FALSE";
		n = strlen(v);
	} else if (!strcmp(x->ctype, "d")) {
		if (n > 10 && x->text[10] == 'T')
			n = 10;
	} else if (!strcmp(x->ctype, "n") && n > 0) {
		char *end;
		double d = strtod(x->text, &end);
		if (*end == '\0' && x->style >= 0 && (size_t)x->style < x->nxf &&
		    x->date_xf[x->style] && serial_date(d, x->date1904, num)) {
			v = num;
			n = strlen(num);
		} else if (*end == '\0' && strpbrk(x->text, "eE") && isfinite(d) && fabs(d) < 1e15 &&
			   d == floor(d)) {
			/* 1.3800138E10 -> 13800138000; larger numbers lost
			 * digits already and stay as written. */
			snprintf(num, sizeof num, "%.0f", d);
			v = num;
			n = strlen(num);
		}
	}
	enum err e = sheet_put(x->sh, x->col, v, n, x->ei);
	if (e)
		x->err = e;
}

static void sheet_end(struct xlsx *x, const char *el)
{
	if (!strcmp(el, "v") || !strcmp(el, "t")) {
		x->collecting = false;
	} else if (!strcmp(el, "rPh")) {
		x->in_rph--;
	} else if (!strcmp(el, "is")) {
		x->in_is = false;
	} else if (!strcmp(el, "c") && x->in_sheetdata) {
		if (x->tlen > 0 || !strcmp(x->ctype, "inlineStr"))
			put_value(x);
	} else if (!strcmp(el, "row") && x->in_sheetdata) {
		sheet_row_end(x->sh);
	} else if (!strcmp(el, "sheetData")) {
		x->in_sheetdata = false;
	}
}

/* ---- the workbook ------------------------------------------------------ */

enum err sheet_parse_xlsx(const char *data, size_t len, struct sheet **out, struct errinfo *ei)
{
	*out = NULL;
	struct memzip mz = {data, len, 0};
	zlib_filefunc64_def ff = {mz_open, mz_read, mz_write, mz_tell, mz_seek,
				  mz_close, mz_error, &mz};
	struct xlsx x;
	memset(&x, 0, sizeof x);
	x.ei = ei;
	x.text = xmalloc(SHEET_MAX_CELL_BYTES + 1);
	x.uf = unzOpen2_64("memory", &ff);
	enum err e;
	if (!x.uf) {
		e = errinfo_set(ei, ERR_INVALID, NULL, "不是有效的 .xlsx 文件:压缩包无法打开 (not a valid zip)");
		goto out;
	}
	unz_global_info64 gi;
	if (unzGetGlobalInfo64(x.uf, &gi) != UNZ_OK) {
		e = errinfo_set(ei, ERR_INVALID, NULL, "压缩包损坏 (damaged zip)");
		goto out;
	}
	if (gi.number_entry > SHEET_ZIP_MAX_ENTRIES) {
		e = errinfo_set(ei, ERR_TOO_LARGE, NULL, "压缩包内文件过多 (more than %d entries)",
				SHEET_ZIP_MAX_ENTRIES);
		goto out;
	}
	e = read_part(&x, "xl/workbook.xml", wb_start, NULL);
	if (e == ERR_NOT_FOUND) {
		e = errinfo_set(ei, ERR_INVALID, NULL,
				"不是 Excel 工作簿:缺少 xl/workbook.xml (not an .xlsx workbook)");
		goto out;
	}
	if (e)
		goto out;
	e = read_part(&x, "xl/_rels/workbook.xml.rels", rels_start, NULL);
	if (e && e != ERR_NOT_FOUND)
		goto out;
	if (!x.sheet_path[0])
		snprintf(x.sheet_path, sizeof x.sheet_path, "%s", "xl/worksheets/sheet1.xml");
	if (!x.sst_path[0])
		snprintf(x.sst_path, sizeof x.sst_path, "%s", "xl/sharedStrings.xml");
	if (!x.styles_path[0])
		snprintf(x.styles_path, sizeof x.styles_path, "%s", "xl/styles.xml");
	if ((e = read_part(&x, x.styles_path, styles_start, styles_end)) && e != ERR_NOT_FOUND)
		goto out;
	if ((e = read_part(&x, x.sst_path, sst_start, sst_end)) && e != ERR_NOT_FOUND)
		goto out;
	x.sh = sheet_new("xlsx");
	x.collecting = false;
	x.in_rph = 0;
	e = read_part(&x, x.sheet_path, sheet_start, sheet_end);
	if (e == ERR_NOT_FOUND)
		e = errinfo_set(ei, ERR_INVALID, NULL, "工作簿中没有工作表 (the workbook has no sheet)");
	if (!e) {
		sheet_row_end(x.sh);
		*out = x.sh;
		x.sh = NULL;
	}
out:
	if (x.uf)
		unzClose(x.uf);
	sheet_free(x.sh);
	free(x.text);
	free(x.date_xf);
	free(x.sst);
	free(x.sst_off);
	return e;
}
