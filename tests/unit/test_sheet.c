/*
 * test_sheet.c — the spreadsheet readers (service/sheet.h) and the pinyin
 * words of search (core/pinyin.h), table-driven where the cases are
 * alike: CSV (RFC 4180 quoting, BOM, CRLF, tabs), the encodings (UTF-8,
 * GB18030, UTF-16), real .xlsx files written by libxlsxwriter and by
 * LibreOffice, and crafted bad files that must be refused with a clear
 * message: a zip bomb (declared, and one whose header lies), billion
 * laughs, deep XML, too many entries, an old .xls, garbage.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <iconv.h>
#include <minizip/zip.h>
#include <xlsxwriter.h>
#include <zlib.h>

#include "core/buf.h"
#include "core/pinyin.h"
#include "service/sheet.h"

static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/bangdai-sheet-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = malloc((size_t)n + 1);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

static struct sheet *parse_ok(const char *data, size_t len)
{
	struct sheet *sh = NULL;
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = sheet_parse(data, len, SHEET_AUTO, &sh, &ei);
	if (e)
		fprintf(stderr, "parse failed: %s\n", ei.message);
	assert_int_equal(e, ERR_OK);
	return sh;
}

/* Parse and expect `want`, with `needle` in the message. */
static void parse_bad(const char *data, size_t len, enum err want, const char *needle)
{
	struct sheet *sh = NULL;
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = sheet_parse(data, len, SHEET_AUTO, &sh, &ei);
	if (e != want || !strstr(ei.message, needle))
		fprintf(stderr, "got %d \"%s\", want %d with \"%s\"\n", e, ei.message, want, needle);
	assert_int_equal(e, want);
	assert_non_null(strstr(ei.message, needle));
	assert_null(sh);
}

/* ---- CSV ------------------------------------------------------------------ */

static void test_csv_rfc4180(void **state)
{
	(void)state;
	static const char csv[] = "\xEF\xBB\xBF"
				  "姓名,备注,数量\r\n"
				  "\"王,五\",\"他说\"\"好\"\"\",3\r\n"
				  "\"两\n行\",,\r\n"
				  "\r\n"
				  "末行,无换行,9";
	struct sheet *sh = parse_ok(csv, sizeof csv - 1);
	assert_string_equal(sheet_source(sh), "csv utf-8 bom");
	assert_int_equal(sheet_nrows(sh), 4); /* the empty line is no row */
	assert_string_equal(sheet_cell(sh, 0, 0), "姓名");
	assert_string_equal(sheet_cell(sh, 1, 0), "王,五");
	assert_string_equal(sheet_cell(sh, 1, 1), "他说\"好\"");
	assert_string_equal(sheet_cell(sh, 2, 0), "两\n行");
	assert_string_equal(sheet_cell(sh, 2, 1), "");
	assert_int_equal(sheet_rownum(sh, 2), 3);
	assert_int_equal(sheet_rownum(sh, 3), 5); /* record numbers, blank line counted */
	assert_string_equal(sheet_cell(sh, 3, 2), "9");
	assert_string_equal(sheet_cell(sh, 3, 99), "");
	assert_int_equal(sheet_ncols(sh), 3);
	sheet_free(sh);

	/* Tab-separated (Excel's "Unicode text"). */
	static const char tsv[] = "a\tb\n1\t2\n";
	sh = parse_ok(tsv, sizeof tsv - 1);
	assert_string_equal(sheet_cell(sh, 1, 1), "2");
	sheet_free(sh);
}

static void test_csv_errors(void **state)
{
	(void)state;
	static const struct {
		const char *data;
		enum err want;
		const char *needle;
	} cases[] = {
		{"a,b\n\"open,1\n", ERR_INVALID, "引号没有闭合"},
		{"a,b\n\"x\"y,1\n", ERR_INVALID, "引号后有多余字符"},
		{"", ERR_INVALID, "文件为空"},
		{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", ERR_INVALID, ".xls"},
		{"PK\x03\x04garbage", ERR_INVALID, "不是有效的 .xlsx"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		parse_bad(cases[i].data, strlen(cases[i].data) ? strlen(cases[i].data) : 0,
			  cases[i].want, cases[i].needle);
	/* Bytes that are neither UTF-8 nor GB18030 (0xFF never starts a
	 * GB18030 character). */
	parse_bad("a,b\n\xFF\xFF\xFF,1\n", 10, ERR_INVALID, "GB18030");
	/* A NUL byte: not text. */
	parse_bad("a,b\n\0,1\n", 8, ERR_INVALID, "空字节");
	/* A cell longer than Excel allows. */
	size_t n = SHEET_MAX_CELL_BYTES + 10;
	char *big = malloc(n);
	memset(big, 'x', n);
	parse_bad(big, n, ERR_TOO_LARGE, "过长");
	free(big);
}

static char *iconv_to(const char *to, const char *in, size_t *outlen)
{
	iconv_t cd = iconv_open(to, "UTF-8");
	assert_true(cd != (iconv_t)-1);
	size_t cap = strlen(in) * 4 + 4, il = strlen(in), ol = cap;
	char *out = malloc(cap), *ip = (char *)in, *op = out;
	assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
	iconv_close(cd);
	*outlen = cap - ol;
	return out;
}

static void test_csv_encodings(void **state)
{
	(void)state;
	const char *text = "姓名,所属乡镇\n侯修升,习岗镇\n䶮龘,𠀀\n";
	static const struct {
		const char *to;
		const char *bom;
		size_t bomlen;
		const char *source;
	} cases[] = {
		{"GB18030", "", 0, "csv gb18030"},
		{"UTF-16LE", "\xFF\xFE", 2, "csv utf-16"},
		{"UTF-16BE", "\xFE\xFF", 2, "csv utf-16"},
		{"UTF-8", "", 0, "csv utf-8"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n;
		char *enc = iconv_to(cases[i].to, text, &n);
		char *data = malloc(n + cases[i].bomlen);
		memcpy(data, cases[i].bom, cases[i].bomlen);
		memcpy(data + cases[i].bomlen, enc, n);
		struct sheet *sh = parse_ok(data, n + cases[i].bomlen);
		assert_string_equal(sheet_source(sh), cases[i].source);
		assert_string_equal(sheet_cell(sh, 1, 0), "侯修升");
		assert_string_equal(sheet_cell(sh, 1, 1), "习岗镇");
		assert_string_equal(sheet_cell(sh, 2, 0), "䶮龘");
		assert_string_equal(sheet_cell(sh, 2, 1), "𠀀");
		sheet_free(sh);
		free(data);
		free(enc);
	}
}

/* ---- .xlsx written by libxlsxwriter --------------------------------------- */

static void test_xlsx_libxlsxwriter(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof path, "%s/w.xlsx", tmpdir);
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "导师");
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date, "yyyy-mm-dd");
	lxw_format *cn_date = workbook_add_format(wb);
	format_set_num_format(cn_date, "yyyy\"年\"m\"月\"d\"日\"");
	/* A title merged over the columns, a two-row header with a merged
	 * group over the scores, and data. */
	worksheet_merge_range(ws, 0, 0, 0, 4, "贺兰县导师名册", NULL);
	worksheet_merge_range(ws, 1, 0, 2, 0, "姓名", NULL);
	worksheet_merge_range(ws, 1, 1, 1, 2, "四有评分", NULL);
	worksheet_write_string(ws, 2, 1, "政治素质", NULL);
	worksheet_write_string(ws, 2, 2, "业务能力", NULL);
	worksheet_write_string(ws, 1, 3, "手机号", NULL);
	worksheet_write_string(ws, 1, 4, "出生日期", NULL);
	worksheet_write_string(ws, 3, 0, "侯修升", NULL);
	worksheet_write_number(ws, 3, 1, 90, NULL);
	worksheet_write_number(ws, 3, 2, 88.5, NULL);
	worksheet_write_number(ws, 3, 3, 13800138000.0, NULL);
	lxw_datetime dt = {1975, 3, 1, 0, 0, 0};
	worksheet_write_datetime(ws, 3, 4, &dt, date);
	worksheet_write_string(ws, 4, 0, "=1+1", NULL); /* text, not a formula */
	worksheet_write_formula_num(ws, 4, 1, "=40+45", NULL, 85);
	worksheet_write_boolean(ws, 4, 2, 1, NULL);
	lxw_datetime d2 = {1900, 1, 1, 0, 0, 0};
	worksheet_write_datetime(ws, 4, 4, &d2, cn_date);
	lxw_datetime d3 = {2024, 2, 29, 0, 0, 0};
	worksheet_write_datetime(ws, 5, 4, &d3, date);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

	size_t len;
	char *data = slurp(path, &len);
	struct sheet *sh = parse_ok(data, len);
	assert_string_equal(sheet_source(sh), "xlsx");
	assert_int_equal(sheet_rownum(sh, 0), 1);
	assert_string_equal(sheet_cell(sh, 0, 3), "贺兰县导师名册"); /* merged title */
	assert_string_equal(sheet_cell(sh, 2, 0), "姓名");             /* merged down */
	assert_string_equal(sheet_cell(sh, 1, 2), "四有评分");         /* merged across */
	assert_string_equal(sheet_cell(sh, 2, 1), "政治素质");
	assert_string_equal(sheet_cell(sh, 3, 0), "侯修升");
	assert_string_equal(sheet_cell(sh, 3, 1), "90");
	assert_string_equal(sheet_cell(sh, 3, 2), "88.5");
	assert_string_equal(sheet_cell(sh, 3, 3), "13800138000");
	assert_string_equal(sheet_cell(sh, 3, 4), "1975-03-01");
	assert_string_equal(sheet_cell(sh, 4, 0), "=1+1");
	assert_string_equal(sheet_cell(sh, 4, 1), "85");
	assert_string_equal(sheet_cell(sh, 4, 2), "TRUE");
	assert_string_equal(sheet_cell(sh, 4, 4), "1900-01-01");
	assert_string_equal(sheet_cell(sh, 5, 4), "2024-02-29");
	assert_int_equal(sheet_rownum(sh, 5), 6);
	sheet_free(sh);
	free(data);
}

/* ---- .xlsx written by LibreOffice ------------------------------------------ */

static void test_xlsx_libreoffice(void **state)
{
	(void)state;
	char csv[128], cmd[1024];
	snprintf(csv, sizeof csv, "%s/lo.csv", tmpdir);
	FILE *f = fopen(csv, "w");
	assert_non_null(f);
	fputs("姓名,手机号,身份证号,出生日期,容量\n"
	      "侯修升,13800138000,64012219750101123X,1975-03-01,3\n"
	      "\"王,五\",13900139000,640122198803154564,1988/3/15,2\n",
	      f);
	fclose(f);
	/* UTF-8 input (76); columns 2 and 3 as text (2), the date as a date
	 * (5 = YMD), as a careful office would set the import dialog. */
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && HOME='%s' timeout 120 soffice --headless "
		 "'--infilter=CSV:44,34,76,1,1/1/2/2/3/2/4/5/5/1' --convert-to xlsx lo.csv "
		 ">/dev/null 2>&1",
		 tmpdir, tmpdir);
	assert_int_equal(system(cmd), 0);
	char path[128];
	snprintf(path, sizeof path, "%s/lo.xlsx", tmpdir);
	size_t len;
	char *data = slurp(path, &len);
	struct sheet *sh = parse_ok(data, len);
	assert_int_equal(sheet_nrows(sh), 3);
	assert_string_equal(sheet_cell(sh, 0, 2), "身份证号");
	assert_string_equal(sheet_cell(sh, 1, 0), "侯修升");
	assert_string_equal(sheet_cell(sh, 1, 1), "13800138000");
	assert_string_equal(sheet_cell(sh, 1, 2), "64012219750101123X");
	assert_string_equal(sheet_cell(sh, 1, 3), "1975-03-01");
	assert_string_equal(sheet_cell(sh, 1, 4), "3");
	assert_string_equal(sheet_cell(sh, 2, 0), "王,五");
	assert_string_equal(sheet_cell(sh, 2, 2), "640122198803154564");
	assert_string_equal(sheet_cell(sh, 2, 3), "1988-03-15");
	sheet_free(sh);
	free(data);
}

/* ---- crafted bad workbooks ---------------------------------------------- */

struct part {
	const char *name;
	const char *text; /* NULL: `fill` bytes of `byte` */
	size_t fill;
	char byte;
	bool lie;         /* declare 1000 bytes uncompressed */
};

static const char wb_xml[] =
	"<?xml version=\"1.0\"?><workbook "
	"xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	"<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char rels_xml[] =
	"<?xml version=\"1.0\"?><Relationships "
	"xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" "
	"Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
	"Target=\"worksheets/sheet1.xml\"/></Relationships>";

/* Write a zip of `parts` (each deflated; a lying one raw, with a false
 * size) and return its bytes. */
static char *make_zip(const struct part *parts, size_t n, size_t *len)
{
	char path[128];
	snprintf(path, sizeof path, "%s/crafted.xlsx", tmpdir);
	zipFile zf = zipOpen64(path, 0);
	assert_non_null(zf);
	for (size_t i = 0; i < n; i++) {
		const struct part *p = &parts[i];
		size_t sz = p->text ? strlen(p->text) : p->fill;
		char *buf = malloc(sz ? sz : 1);
		if (p->text)
			memcpy(buf, p->text, sz);
		else
			memset(buf, p->byte, sz);
		zip_fileinfo zi;
		memset(&zi, 0, sizeof zi);
		if (!p->lie) {
			assert_int_equal(zipOpenNewFileInZip64(zf, p->name, &zi, NULL, 0, NULL, 0, NULL,
							       Z_DEFLATED, 9, 1),
					 ZIP_OK);
			assert_int_equal(zipWriteInFileInZip(zf, buf, (unsigned)sz), ZIP_OK);
			assert_int_equal(zipCloseFileInZip(zf), ZIP_OK);
		} else {
			/* Raw deflate done here, so that the header can lie. */
			z_stream s;
			memset(&s, 0, sizeof s);
			assert_int_equal(deflateInit2(&s, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY),
					 Z_OK);
			size_t cap = deflateBound(&s, sz);
			unsigned char *out = malloc(cap);
			s.next_in = (unsigned char *)buf;
			s.avail_in = (uInt)sz;
			s.next_out = out;
			s.avail_out = (uInt)cap;
			assert_int_equal(deflate(&s, Z_FINISH), Z_STREAM_END);
			size_t clen = cap - s.avail_out;
			deflateEnd(&s);
			assert_int_equal(zipOpenNewFileInZip2_64(zf, p->name, &zi, NULL, 0, NULL, 0,
								 NULL, Z_DEFLATED, 9, 1, 0),
					 ZIP_OK);
			assert_int_equal(zipWriteInFileInZip(zf, out, (unsigned)clen), ZIP_OK);
			assert_int_equal(zipCloseFileInZipRaw64(zf, 1000,
								crc32(0, (unsigned char *)buf, (uInt)sz)),
					 ZIP_OK);
			free(out);
		}
		free(buf);
	}
	assert_int_equal(zipClose(zf, NULL), ZIP_OK);
	return slurp(path, len);
}

static void check_workbook(const struct part *sheet, enum err want, const char *needle)
{
	struct part parts[] = {
		{"xl/workbook.xml", wb_xml, 0, 0, false},
		{"xl/_rels/workbook.xml.rels", rels_xml, 0, 0, false},
		*sheet,
	};
	size_t len;
	char *data = make_zip(parts, 3, &len);
	if (want == ERR_OK) {
		struct sheet *sh = parse_ok(data, len);
		assert_string_equal(sheet_cell(sh, 0, 0), "姓名");
		assert_string_equal(sheet_cell(sh, 0, 27), "x"); /* AB1 */
		sheet_free(sh);
	} else {
		parse_bad(data, len, want, needle);
	}
	free(data);
}

static char *repeat(const char *head, const char *unit, size_t times, const char *tail)
{
	size_t h = strlen(head), u = strlen(unit), t = strlen(tail);
	char *p = malloc(h + u * times + t + 1), *o = p;
	memcpy(o, head, h);
	o += h;
	for (size_t i = 0; i < times; i++, o += u)
		memcpy(o, unit, u);
	memcpy(o, tail, t + 1);
	return p;
}

static void test_xlsx_crafted(void **state)
{
	(void)state;
	const char *sheet_head = "<?xml version=\"1.0\"?><worksheet "
				 "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">";
	/* A good one, with an inline string and a phonetic guide left out. */
	char good[1024];
	snprintf(good, sizeof good,
		 "%s<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><r><t>姓</t></r>"
		 "<r><t>名</t></r><rPh sb=\"0\" eb=\"1\"><t>xing</t></rPh></is></c>"
		 "<c r=\"AB1\" t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData></worksheet>",
		 sheet_head);
	struct part p = {"xl/worksheets/sheet1.xml", good, 0, 0, false};
	check_workbook(&p, ERR_OK, "");

	/* The same with prefixed names, and namespace declarations (read
	 * without namespace processing) ahead of the attributes that share
	 * their local names. */
	p.text = "<?xml version=\"1.0\"?><x:worksheet "
		 "xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		 "<x:sheetData><x:row xmlns:r=\"urn:r\" r=\"1\">"
		 "<x:c xmlns:t=\"urn:t\" xmlns=\"urn:d\" r=\"A1\" t=\"inlineStr\"><x:is><x:t>姓名</x:t>"
		 "</x:is></x:c><x:c r=\"AB1\" t=\"inlineStr\"><x:is><x:t>x</x:t></x:is></x:c>"
		 "</x:row></x:sheetData></x:worksheet>";
	check_workbook(&p, ERR_OK, "");

	/* Billion laughs: refused at the DOCTYPE, before any entity. */
	char laughs[2048];
	snprintf(laughs, sizeof laughs,
		 "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
		 "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
		 "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
		 "<!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">]>"
		 "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&lol9;</t></is></c></row>"
		 "</sheetData></worksheet>");
	p.text = laughs;
	check_workbook(&p, ERR_INVALID, "DOCTYPE");

	/* An external entity (XXE): the same refusal. */
	p.text = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
		 "<worksheet>&e;</worksheet>";
	check_workbook(&p, ERR_INVALID, "DOCTYPE");

	/* Deep XML. */
	char *deep = repeat(sheet_head, "<a>", 200, "");
	p.text = deep;
	check_workbook(&p, ERR_INVALID, "嵌套过深");
	free(deep);

	/* Malformed XML: the part and line are named. */
	p.text = "<worksheet><sheetData><row></sheetData></worksheet>";
	check_workbook(&p, ERR_INVALID, "XML 格式错误");

	/* A zip bomb that declares its size: 300 MiB of blanks. */
	p.text = NULL;
	p.fill = (size_t)300 << 20;
	p.byte = ' ';
	check_workbook(&p, ERR_TOO_LARGE, "压缩炸弹");

	/* One that lies about its size (1000 bytes declared): minizip stops
	 * inflating at the declared size, our own count would stop it at
	 * the limit; either way it is refused at once. */
	p.fill = (size_t)64 << 20;
	p.lie = true;
	check_workbook(&p, ERR_INVALID, "XML");

	/* A bad shared string index. */
	p.lie = false;
	char badsst[512];
	snprintf(badsst, sizeof badsst,
		 "%s<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>7</v></c></row></sheetData>"
		 "</worksheet>",
		 sheet_head);
	p.text = badsst;
	check_workbook(&p, ERR_INVALID, "共享字符串");

	/* Rows out of order. */
	char order[512];
	snprintf(order, sizeof order,
		 "%s<sheetData><row r=\"3\"/><row r=\"2\"/></sheetData></worksheet>", sheet_head);
	p.text = order;
	check_workbook(&p, ERR_INVALID, "顺序");
}

static void test_xlsx_entries_and_missing(void **state)
{
	(void)state;
	/* Too many entries. */
	size_t n = SHEET_ZIP_MAX_ENTRIES + 5;
	struct part *parts = calloc(n, sizeof *parts);
	char (*names)[32] = calloc(n, 32);
	for (size_t i = 0; i < n; i++) {
		snprintf(names[i], 32, "f%zu", i);
		parts[i] = (struct part){names[i], "x", 0, 0, false};
	}
	size_t len;
	char *data = make_zip(parts, n, &len);
	parse_bad(data, len, ERR_TOO_LARGE, "文件过多");
	free(data);
	free(parts);
	free(names);

	/* A zip that is not a workbook. */
	struct part one = {"readme.txt", "hello", 0, 0, false};
	data = make_zip(&one, 1, &len);
	parse_bad(data, len, ERR_INVALID, "xl/workbook.xml");
	free(data);
}

/* ---- pinyin -------------------------------------------------------------- */

static void test_pinyin(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} cases[] = {
		{"侯修升", "houxiusheng hxs"},
		{"曾国藩", "cengguofan cgf zengguofan zgf"},
		{"贺兰县", "helanxian hlx"},
		{"第1村", "di1cun d1c"},
		{"abc", ""},
		{"", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[128];
		pinyin_words(cases[i].in, strlen(cases[i].in), out, sizeof out);
		assert_string_equal(out, cases[i].want);
	}
	assert_string_equal(pinyin_of(0x4FAF), "hou"); /* 侯 */
	assert_null(pinyin_of('a'));
	/* A word that does not fit is left out whole. */
	char small[8];
	pinyin_words("侯修升", strlen("侯修升"), small, sizeof small);
	assert_string_equal(small, "");
	char mid[16];
	pinyin_words("侯修升", strlen("侯修升"), mid, sizeof mid);
	assert_string_equal(mid, "houxiusheng hxs");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_rfc4180),
		cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_csv_encodings),
		cmocka_unit_test(test_xlsx_libxlsxwriter),
		cmocka_unit_test(test_xlsx_libreoffice),
		cmocka_unit_test(test_xlsx_crafted),
		cmocka_unit_test(test_xlsx_entries_and_missing),
		cmocka_unit_test(test_pinyin),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
