/*
 * test_import.c — import and export of rosters (svc_import, svc_export,
 * svc_import_template) on the demo programme, and pinyin search:
 * a dry run that names every bad row and column, all-or-nothing
 * commits, re-imports that change nothing, a round trip export ->
 * import into an empty database that gives the same data back, files
 * written by LibreOffice and in GB18030, bad files that change nothing,
 * jurisdiction and masking.
 *
 * "Unchanged" is checked strongly: the city admin's CSV export of every
 * kind and the number of audit entries are the same before and after.
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

#include "../testdb.h"
#include "service/service.h"
#include "service/sheet.h"

static struct service *svc;
static struct testdb db;
static struct actor city, county, auditor;
static char tmpdir[64];

static void actor(struct actor *a, enum role role, const char *path, const char *login)
{
	memset(a, 0, sizeof *a);
	a->user_id = 1;
	a->role = role;
	snprintf(a->region_path, sizeof a->region_path, "%s", path);
	snprintf(a->login, sizeof a->login, "%s", login);
}

static int group_setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/bangdai-import-XXXXXX");
	if (!mkdtemp(tmpdir) || testdb_create(&db, "import") != 0)
		return -1;
	struct errinfo ei;
	if (service_open(db.uri, 2, &svc, &ei) || svc_demo_load(svc, 1, &ei)) {
		fprintf(stderr, "setup: %s\n", ei.message);
		return -1;
	}
	actor(&city, ROLE_CITY_ADMIN, "/6401/", "city_admin");
	actor(&county, ROLE_COUNTY_ADMIN, "/6401/640122/", "county_admin");
	actor(&auditor, ROLE_AUDITOR, "/6401/", "auditor");
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	service_close(svc);
	testdb_drop(&db);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- helpers ------------------------------------------------------------- */

/* Everything the city admin can export, and the audit log's length. */
static char *snapshot(struct service *s)
{
	static const char *const kinds[] = {"regions", "organisations", "mentors", "mentees"};
	struct buf all;
	buf_init(&all, (size_t)256 << 20);
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		struct svc_list_args la;
		memset(&la, 0, sizeof la);
		struct errinfo ei;
		assert_int_equal(svc_export(s, &city, kinds[i], "csv", &la, NULL, &all, &ei), ERR_OK);
	}
	int64_t n, bad;
	bool ok;
	struct errinfo ei;
	assert_int_equal(svc_audit_verify(s, NULL, &n, &ok, &bad, &ei), ERR_OK);
	assert_true(ok);
	buf_printf(&all, "audit entries: %lld\n", (long long)n);
	return buf_detach(&all, NULL);
}

static enum err import(const struct actor *a, const char *kind, const char *data, size_t len,
		       bool commit, json_t **report)
{
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = svc_import(svc, a, kind, data, len, commit, NULL, NULL, report, NULL, &ei);
	if (e && e != ERR_UNPROCESSABLE)
		fprintf(stderr, "import: %s (%s)\n", ei.message, err_code(e));
	return e;
}

static json_int_t rget(const json_t *r, const char *k)
{
	return json_integer_value(json_object_get(r, k));
}

static void dump_errors(const json_t *r)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(r, "errors"), i, e) {
		char *s = json_dumps(e, JSON_COMPACT);
		fprintf(stderr, "  %s\n", s);
		free(s);
	}
}

/* The report has an error at row/column naming `needle`. */
static void has_error(const json_t *r, long row, long col, const char *needle)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(r, "errors"), i, e)
		if (rget(e, "row") == row && rget(e, "column") == col &&
		    strstr(json_string_value(json_object_get(e, "message")), needle))
			return;
	fprintf(stderr, "no error at row %ld column %ld with \"%s\"; errors:\n", row, col, needle);
	dump_errors(r);
	fail();
}

static void counts(const json_t *r, json_int_t created, json_int_t updated, json_int_t unchanged,
		   json_int_t failed)
{
	if (rget(r, "created") != created || rget(r, "updated") != updated ||
	    rget(r, "unchanged") != unchanged || rget(r, "failed") != failed) {
		fprintf(stderr, "counts %lld/%lld/%lld/%lld, want %lld/%lld/%lld/%lld\n",
			(long long)rget(r, "created"), (long long)rget(r, "updated"),
			(long long)rget(r, "unchanged"), (long long)rget(r, "failed"),
			(long long)created, (long long)updated, (long long)unchanged,
			(long long)failed);
		dump_errors(r);
		fail();
	}
}

static char *export(struct service *s, const struct actor *a, const char *kind,
		    const char *format, size_t *len)
{
	struct svc_list_args la;
	memset(&la, 0, sizeof la);
	struct buf b;
	buf_init(&b, (size_t)256 << 20);
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = svc_export(s, a, kind, format, &la, NULL, &b, &ei);
	if (e)
		fprintf(stderr, "export %s: %s\n", kind, ei.message);
	assert_int_equal(e, ERR_OK);
	return buf_detach(&b, len);
}

static enum err no_row(void *arg, const void *row, bool masked)
{
	(void)arg, (void)row, (void)masked;
	return ERR_OK;
}

static int64_t mentor_total(const struct actor *a, const char *q)
{
	struct svc_list_args la;
	memset(&la, 0, sizeof la);
	snprintf(la.q, sizeof la.q, "%s", q);
	int64_t total = -1;
	struct errinfo ei;
	assert_int_equal(svc_mentor_list(svc, a, &la, no_row, NULL, &total, &ei), ERR_OK);
	return total;
}

/* ---- pinyin search -------------------------------------------------------- */

static void test_pinyin_search(void **state)
{
	(void)state;
	struct mentor m;
	memset(&m, 0, sizeof m);
	snprintf(m.name, sizeof m.name, "侯修升");
	snprintf(m.region_code, sizeof m.region_code, "640122100");
	snprintf(m.tier, sizeof m.tier, "township");
	snprintf(m.source, sizeof m.source, "veteran_cadre");
	snprintf(m.team_type, sizeof m.team_type, "experienced");
	snprintf(m.post, sizeof m.post, "拼音测试");
	struct errinfo ei;
	assert_int_equal(svc_mentor_create(svc, &city, &m, 0, &ei), ERR_OK);
	static const char *const queries[] = {"hxs", "houxiusheng", "HXS", "侯修升", "修升", "xiusheng"};
	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
		struct svc_list_args la;
		memset(&la, 0, sizeof la);
		snprintf(la.q, sizeof la.q, "%s", queries[i]);
		int64_t total = 0;
		assert_int_equal(svc_mentor_list(svc, &city, &la, no_row, NULL, &total, &ei), ERR_OK);
		if (total < 1)
			fprintf(stderr, "query %s found nothing\n", queries[i]);
		assert_true(total >= 1);
	}
	assert_int_equal(mentor_total(&city, "hxsz"), 0);
}

/* ---- the dry run: every bad row and column --------------------------------- */

static const char bad_mentors[] =
	"贺兰县导师名册(2026)\n"
	"序号,姓名,性别,手机号,身份证号,所属乡镇,导师库层级,来源类型,三型,擅长领域,帮带容量,民族\n"
	"1,甲导师,男,13800000001,64012219750101123X,习岗镇,乡镇级,老乡镇老先进,经验型,党建引领、集体经济,2,汉\n"
	"2,乙导师,男,13800000001,,习岗镇,乡镇级,老乡镇老先进,经验型,,2,汉\n"
	"3,丙导师,男,1380000000,,不存在镇,乡镇级,老乡镇老先进,经验型,,2,汉\n"
	"4,丁导师,男,13800000004,,习岗镇,乡镇级,没有这种来源,经验型,烹饪,2,汉\n"
	"5,戊导师,男,13800000005,,习岗镇,国家级,老乡镇老先进,三型,,abc,汉\n"
	"6,己导师,男,17710352503,640122198803154564,习岗镇,乡镇级,老乡镇老先进,经验型,,1,汉\n"
	"7,,男,13800000007,,习岗镇,乡镇级,老乡镇老先进,经验型,,1,汉\n"
	"8,庚导师,男,13800000008,640122197501011230,640122100,县级,致富能人,群众型,,1,汉\n"
	",,,,,,,,,,,\n"
	"10,辛导师,女,13800000010,,贺兰县/习岗镇,乡镇级,致富能人,专家型,种植技术,3,回\n";

static void test_dry_run_reports_every_error(void **state)
{
	(void)state;
	char *before = snapshot(svc);
	json_t *r;
	assert_int_equal(import(&city, "mentors", bad_mentors, strlen(bad_mentors), false, &r), ERR_OK);
	assert_int_equal(rget(r, "header_row"), 2);
	assert_true(json_is_false(json_object_get(r, "committed")));
	/* rows 3 and 12 are good; the blank row 11 is no row. */
	counts(r, 2, 0, 0, 7);
	has_error(r, 4, 4, "重复");              /* duplicate phone in the file */
	has_error(r, 5, 4, "手机号格式不正确");  /* and every bad cell of a row */
	has_error(r, 5, 6, "没有这个地区");
	has_error(r, 6, 8, "没有这种来源");
	has_error(r, 6, 10, "烹饪");
	has_error(r, 7, 7, "国家级");
	has_error(r, 7, 9, "专家型");
	has_error(r, 7, 11, "整数");
	has_error(r, 8, 4, "另一人");            /* the phone of a demo mentor */
	has_error(r, 9, 2, "必填");              /* no name */
	has_error(r, 10, 5, "身份证号不正确");   /* bad check digit */
	json_t *ign = json_object_get(r, "ignored_columns");
	assert_int_equal(json_array_size(ign), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ign, 0), "header")),
			    "民族");
	json_decref(r);

	/* The error file: the bad rows as they were, with the reasons. */
	struct buf csv;
	buf_init(&csv, 1 << 20);
	struct errinfo ei;
	assert_int_equal(svc_import(svc, &city, "mentors", bad_mentors, strlen(bad_mentors), false,
				    NULL, NULL, &r, &csv, &ei),
			 ERR_OK);
	json_decref(r);
	struct sheet *sh;
	assert_int_equal(sheet_parse(csv.data, csv.len, SHEET_CSV, &sh, &ei), ERR_OK);
	assert_int_equal(sheet_nrows(sh), 8); /* header + 7 bad rows */
	assert_string_equal(sheet_cell(sh, 0, 0), "行号");
	assert_string_equal(sheet_cell(sh, 0, 3), "姓名");
	assert_string_equal(sheet_cell(sh, 1, 0), "4");
	assert_string_equal(sheet_cell(sh, 1, 3), "乙导师");
	assert_non_null(strstr(sheet_cell(sh, 1, 1), "手机号"));
	sheet_free(sh);
	buf_release(&csv);

	char *after = snapshot(svc);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* ---- all or nothing, and re-imports that change nothing ---------------------- */

static const char good_mentors[] =
	"姓名,性别,手机号,身份证号,所属地区,导师库层级,来源类型,三型,擅长领域,帮带容量,政治素质\n"
	"导入甲,男,13900000001,64012219750101123X,640122100,乡镇级,老乡镇老先进,经验型,党建引领,2,90\n"
	"导入乙,女,13900000002,,640122100,乡镇级,致富能人,专家型,种植技术、电商销售,3,85\n"
	"导入丙,男,,,640122100,县级,先进模范,群众型,,1,80\n";

static void test_commit_all_or_none(void **state)
{
	(void)state;
	char *before = snapshot(svc);
	/* One bad row among good ones: nothing is written. */
	char bad[1024];
	snprintf(bad, sizeof bad, "%s%s", good_mentors,
		 "导入丁,男,13900000004,,640122100,省级,老乡镇老先进,经验型,,1,80\n");
	json_t *r;
	assert_int_equal(import(&city, "mentors", bad, strlen(bad), true, &r), ERR_UNPROCESSABLE);
	assert_true(json_is_false(json_object_get(r, "committed")));
	has_error(r, 5, 6, "省级");
	json_decref(r);
	char *after = snapshot(svc);
	assert_string_equal(before, after);
	free(after);

	/* Without it: all three. */
	int64_t n0 = mentor_total(&city, "");
	assert_int_equal(import(&city, "mentors", good_mentors, strlen(good_mentors), true, &r),
			 ERR_OK);
	counts(r, 3, 0, 0, 0);
	assert_true(json_is_true(json_object_get(r, "committed")));
	json_decref(r);
	assert_int_equal(mentor_total(&city, ""), n0 + 3);
	assert_int_equal(mentor_total(&city, "drj"), 1); /* 导入甲 by pinyin initials */

	/* The same file again changes nothing, not even the audit log. */
	char *once = snapshot(svc);
	assert_int_equal(import(&city, "mentors", good_mentors, strlen(good_mentors), true, &r),
			 ERR_OK);
	counts(r, 0, 0, 3, 0);
	json_decref(r);
	char *twice = snapshot(svc);
	/* Only the import's own audit entry differs. */
	assert_int_equal(strncmp(once, twice, strstr(once, "audit entries") - once), 0);
	free(once);
	free(twice);

	/* A changed cell updates that record only (found by ID number, by
	 * phone, and for 导入丙 by name in its region). */
	char changed[1024];
	snprintf(changed, sizeof changed, "%s", good_mentors);
	char *p = strstr(changed, ",2,90");
	memcpy(p, ",4,90", 5);
	assert_int_equal(import(&city, "mentors", changed, strlen(changed), true, &r), ERR_OK);
	counts(r, 0, 1, 2, 0);
	json_decref(r);
	free(before);
}

/* ---- round trip into an empty database ------------------------------------- */

static enum err copy_vocab(void *arg, const void *row, bool masked)
{
	(void)masked;
	struct vocab v = *(const struct vocab *)row;
	struct errinfo ei;
	return svc_vocab_create(arg, NULL, &v, &ei);
}

/* Compare the input columns (those the template has) of two exports. */
static void same_inputs(const char *kind, const char *a, size_t alen, const char *b, size_t blen)
{
	static const char *const output_headers[] = {"编号", "地区名称", "状态", "聘书编号",
						     "聘任日期", "原帮带对象编号", "版本",
						     "创建时间", "更新时间", "星级", "路径", NULL};
	struct sheet *x, *y;
	struct errinfo ei;
	assert_int_equal(sheet_parse(a, alen, SHEET_AUTO, &x, &ei), ERR_OK);
	assert_int_equal(sheet_parse(b, blen, SHEET_AUTO, &y, &ei), ERR_OK);
	assert_int_equal(sheet_nrows(x), sheet_nrows(y));
	assert_int_equal(sheet_ncols(x), sheet_ncols(y));
	size_t diffs = 0;
	for (unsigned c = 0; c < sheet_ncols(x); c++) {
		bool out = false;
		for (int k = 0; output_headers[k]; k++)
			out = out || !strcmp(sheet_cell(x, 0, c), output_headers[k]);
		if (out)
			continue;
		for (size_t r = 0; r < sheet_nrows(x); r++)
			if (strcmp(sheet_cell(x, r, c), sheet_cell(y, r, c)) && diffs++ < 5)
				fprintf(stderr, "%s row %zu column %s: \"%s\" != \"%s\"\n", kind, r + 1,
					sheet_cell(x, 0, c), sheet_cell(x, r, c), sheet_cell(y, r, c));
	}
	assert_int_equal(diffs, 0);
	sheet_free(x);
	sheet_free(y);
}

static void test_round_trip(void **state)
{
	(void)state;
	struct testdb db2;
	assert_int_equal(testdb_create(&db2, "import2"), 0);
	struct service *s2;
	struct errinfo ei;
	assert_int_equal(service_open(db2.uri, 1, &s2, &ei), ERR_OK);
	/* Vocabularies are configuration, not a roster: copied as they are. */
	assert_int_equal(svc_vocab_list(svc, &city, "", copy_vocab, s2, &ei), ERR_OK);
	static const struct {
		const char *kind, *format;
	} order[] = {{"regions", "xlsx"}, {"organisations", "csv"}, {"mentors", "xlsx"},
		     {"mentees", "csv"}};
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		size_t len, len2;
		char *out = export(svc, &city, order[i].kind, order[i].format, &len);
		json_t *r;
		/* The operator (no jurisdiction) may create the city itself. */
		enum err e = svc_import(s2, NULL, order[i].kind, out, len, true, NULL, NULL, &r,
					NULL, &ei);
		if (e)
			dump_errors(r);
		assert_int_equal(e, ERR_OK);
		assert_int_equal(rget(r, "failed"), 0);
		assert_int_equal(rget(r, "created"), rget(r, "rows"));
		json_decref(r);
		char *back = export(s2, &city, order[i].kind, order[i].format, &len2);
		same_inputs(order[i].kind, out, len, back, len2);
		/* And the copy's own export imports into it as unchanged. */
		assert_int_equal(svc_import(s2, NULL, order[i].kind, back, len2, false, NULL, NULL,
					    &r, NULL, &ei),
				 ERR_OK);
		assert_int_equal(rget(r, "unchanged"), rget(r, "rows"));
		json_decref(r);
		free(out);
		free(back);
	}
	service_close(s2);
	testdb_drop(&db2);
}

/* ---- files from LibreOffice and in GB18030 ---------------------------------- */

static const char lo_mentors[] =
	"姓名,手机号,身份证号,所属地区,导师库层级,来源类型,三型,出生日期\n"
	"外部甲,13700000001,640122198803154564,640122100,乡镇级,老乡镇老先进,经验型,1988-03-15\n"
	"外部乙,13700000002,640122199005051231,640122100,乡镇级,致富能人,专家型,1975/1/1\n";

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct buf b;
	buf_init(&b, (size_t)64 << 20);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		assert_int_equal(buf_append(&b, chunk, n), ERR_OK);
	fclose(f);
	return buf_detach(&b, len);
}

/* Convert `csv` to .xlsx with LibreOffice; `filter` the CSV options. */
static char *libreoffice(const char *csv, const char *filter, size_t *len)
{
	char path[128], cmd[1024];
	snprintf(path, sizeof path, "%s/in.csv", tmpdir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(csv, f);
	fclose(f);
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && rm -f in.xlsx && HOME='%s' timeout 120 soffice --headless "
		 "'--infilter=%s' --convert-to xlsx in.csv >/dev/null 2>&1",
		 tmpdir, tmpdir, filter);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof path, "%s/in.xlsx", tmpdir);
	return read_all(path, len);
}

static void test_libreoffice_and_gb18030(void **state)
{
	(void)state;
	json_t *r;
	size_t len;
	/* A careful conversion (phone and ID as text). */
	char *x = libreoffice(lo_mentors, "CSV:44,34,76,1,1/1/2/2/3/2/4/2/8/5", &len);
	assert_int_equal(import(&city, "mentors", x, len, false, &r), ERR_OK);
	assert_string_equal(json_string_value(json_object_get(r, "source")), "xlsx");
	counts(r, 2, 0, 0, 0);
	json_decref(r);
	free(x);
	/* A careless one: the ID numbers became numbers and lost digits. */
	x = libreoffice(lo_mentors, "CSV:44,34,76,1", &len);
	assert_int_equal(import(&city, "mentors", x, len, false, &r), ERR_OK);
	has_error(r, 2, 3, "存成了数字");
	json_decref(r);
	free(x);
	/* GB18030, as Excel on a Chinese Windows saves CSV. */
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	char gb[2048], *ip = (char *)lo_mentors, *op = gb;
	size_t il = strlen(lo_mentors), ol = sizeof gb;
	assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
	iconv_close(cd);
	assert_int_equal(import(&city, "mentors", gb, sizeof gb - ol, false, &r), ERR_OK);
	assert_string_equal(json_string_value(json_object_get(r, "source")), "csv gb18030");
	counts(r, 2, 0, 0, 0);
	json_decref(r);
}

/* ---- bad files change nothing --------------------------------------------- */

static char *zip_with_sheet(const char *sheet_xml, size_t *len)
{
	char path[128];
	snprintf(path, sizeof path, "%s/bad.xlsx", tmpdir);
	zipFile zf = zipOpen64(path, 0);
	const char *names[] = {"xl/workbook.xml", "xl/worksheets/sheet1.xml"};
	const char *texts[] = {"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
			       "2006/main\"><sheets><sheet name=\"S\" sheetId=\"1\"/></sheets>"
			       "</workbook>",
			       sheet_xml};
	for (int i = 0; i < 2; i++) {
		zip_fileinfo zi;
		memset(&zi, 0, sizeof zi);
		assert_int_equal(zipOpenNewFileInZip64(zf, names[i], &zi, NULL, 0, NULL, 0, NULL,
						       Z_DEFLATED, 9, 0),
				 ZIP_OK);
		assert_int_equal(zipWriteInFileInZip(zf, texts[i], (unsigned)strlen(texts[i])),
				 ZIP_OK);
		zipCloseFileInZip(zf);
	}
	zipClose(zf, NULL);
	return read_all(path, len);
}

static void test_bad_files_change_nothing(void **state)
{
	(void)state;
	char *before = snapshot(svc);
	static const struct {
		const char *kind, *data;
		enum err want;
		const char *needle; /* in the message, or in the report's first error */
	} cases[] = {
		{"mentors", "姓名,手机号\n甲,13800000000\n", ERR_UNPROCESSABLE, "缺少必需的列"},
		{"mentors", "没有,表头\n1,2\n", ERR_UNPROCESSABLE, "找不到表头"},
		{"mentors", "", ERR_INVALID, "文件为空"},
		{"mentors", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1....", ERR_INVALID, ".xls"},
		{"mentors", "姓名,姓名,所属地区\n甲,乙,640122100\n", ERR_UNPROCESSABLE, "列重复"},
		{"organisations", "组织名称,所属地区,示范村\n新村支部,640122100201,也许\n",
		 ERR_UNPROCESSABLE, "是 或 否"},
		{"regions", "地区代码,地区名称,层级,上级代码,纬度\n6401229999,测试村,村,640122100,北纬\n",
		 ERR_UNPROCESSABLE, "数字"},
		{"mentees", "姓名,人员类别,所属地区\n某人,厨师,640122100\n", ERR_UNPROCESSABLE,
		 "厨师"},
		{"pairings", "a,b\n", ERR_NOT_FOUND, "不能导入"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *r = NULL;
		struct errinfo ei;
		errinfo_clear(&ei);
		enum err e = svc_import(svc, &city, cases[i].kind, cases[i].data,
					strlen(cases[i].data), true, NULL, NULL, &r, NULL, &ei);
		const char *msg = ei.message;
		if (r && json_array_size(json_object_get(r, "errors")))
			msg = json_string_value(json_object_get(
				json_array_get(json_object_get(r, "errors"), 0), "message"));
		if (e != cases[i].want || !strstr(msg, cases[i].needle))
			fprintf(stderr, "case %zu: %s %s\n", i, err_code(e), msg);
		assert_int_equal(e, cases[i].want);
		assert_non_null(strstr(msg, cases[i].needle));
		json_decref(r);
	}
	/* Hostile workbooks. */
	static const struct {
		const char *xml, *needle;
	} xl[] = {
		{"<!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>"
		 "<worksheet>&b;</worksheet>",
		 "DOCTYPE"},
		{"<worksheet><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a>"
		 "<a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a>"
		 "<a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a>",
		 "嵌套过深"},
	};
	for (size_t i = 0; i < sizeof xl / sizeof xl[0]; i++) {
		size_t len;
		char *data = zip_with_sheet(xl[i].xml, &len);
		json_t *r = NULL;
		struct errinfo ei;
		errinfo_clear(&ei);
		assert_int_equal(svc_import(svc, &city, "mentors", data, len, true, NULL, NULL, &r,
					    NULL, &ei),
				 ERR_INVALID);
		assert_null(r);
		assert_non_null(strstr(ei.message, xl[i].needle));
		free(data);
	}
	char *after = snapshot(svc);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* ---- jurisdiction, masking, templates ---------------------------------------- */

static void test_jurisdiction_and_masking(void **state)
{
	(void)state;
	/* 灵武市 640181 is not the county admin's. */
	static const char csv[] =
		"姓名,所属地区,导师库层级,来源类型,三型\n"
		"越界甲,640181104,乡镇级,老乡镇老先进,经验型\n"
		"本县乙,640122100,乡镇级,老乡镇老先进,经验型\n";
	json_t *r;
	assert_int_equal(import(&county, "mentors", csv, strlen(csv), true, &r), ERR_UNPROCESSABLE);
	has_error(r, 2, 2, "管辖范围");
	counts(r, 1, 0, 0, 1);
	json_decref(r);
	/* Names by path, with characters whose UTF-8 holds bytes of "／"
	 * (古 is E5 8F A4). */
	static const char paths[] = "姓名,所属地区,导师库层级,来源类型,三型\n"
				    "路径甲,兴庆区/银古路街道,乡镇级,老乡镇老先进,经验型\n"
				    "路径乙,兴庆区／银古路街道,乡镇级,老乡镇老先进,经验型\n"
				    "路径丙,银古路街道,乡镇级,老乡镇老先进,经验型\n";
	assert_int_equal(import(&city, "mentors", paths, strlen(paths), false, &r), ERR_OK);
	counts(r, 3, 0, 0, 0);
	json_decref(r);
	/* A name outside the jurisdiction is not found at all. */
	static const char by_name[] = "姓名,所属地区,导师库层级,来源类型,三型\n"
				      "越界丙,马家滩镇,乡镇级,老乡镇老先进,经验型\n";
	assert_int_equal(import(&county, "mentors", by_name, strlen(by_name), false, &r), ERR_OK);
	has_error(r, 2, 2, "没有这个地区");
	json_decref(r);
	/* Exports hold the caller's rows only; the auditor's are masked. */
	size_t len;
	char *out = export(svc, &county, "mentors", "csv", &len);
	struct sheet *sh;
	struct errinfo ei;
	assert_int_equal(sheet_parse(out, len, SHEET_CSV, &sh, &ei), ERR_OK);
	assert_true(sheet_nrows(sh) > 10);
	for (size_t i = 1; i < sheet_nrows(sh); i++)
		assert_int_equal(strncmp(sheet_cell(sh, i, 6), "640122", 6), 0);
	sheet_free(sh);
	free(out);
	out = export(svc, &auditor, "mentors", "xlsx", &len);
	assert_int_equal(sheet_parse(out, len, SHEET_XLSX, &sh, &ei), ERR_OK);
	assert_non_null(strstr(sheet_cell(sh, 1, 3), "****"));
	sheet_free(sh);
	free(out);
	/* Statistics, and kinds that cannot be exported. */
	out = export(svc, &county, "stats", "csv", &len);
	assert_non_null(strstr(out, "按来源类型"));
	free(out);
	struct svc_list_args la;
	memset(&la, 0, sizeof la);
	struct buf b;
	buf_init(&b, 1 << 20);
	assert_int_equal(svc_export(svc, &county, "passwords", "csv", &la, NULL, &b, &ei), ERR_NOT_FOUND);
	assert_int_equal(svc_export(svc, &county, "mentors", "pdf", &la, NULL, &b, &ei), ERR_INVALID);
	snprintf(la.region, sizeof la.region, "640181");
	assert_int_equal(svc_export(svc, &county, "mentors", "csv", &la, NULL, &b, &ei), ERR_FORBIDDEN);
	buf_release(&b);
}

/* Text that a spreadsheet would run as a formula stays text. */
static void test_formula_text(void **state)
{
	(void)state;
	static const char csv[] = "姓名,所属地区,导师库层级,来源类型,三型,职务\n"
				  "公式甲,640122100,乡镇级,老乡镇老先进,经验型,\"=HYPERLINK(\"\"x\"\")\"\n"
				  "公式乙,640122100,乡镇级,老乡镇老先进,经验型,@SUM(A1)\n";
	json_t *r;
	assert_int_equal(import(&city, "mentors", csv, strlen(csv), true, &r), ERR_OK);
	counts(r, 2, 0, 0, 0);
	json_decref(r);
	struct svc_list_args la;
	memset(&la, 0, sizeof la);
	snprintf(la.q, sizeof la.q, "公式");
	struct errinfo ei;
	struct buf b;
	buf_init(&b, 1 << 20);
	assert_int_equal(svc_export(svc, &city, "mentors", "csv", &la, NULL, &b, &ei), ERR_OK);
	assert_non_null(strstr(b.data, "\"'=HYPERLINK(\"\"x\"\")\""));
	assert_non_null(strstr(b.data, "\"'@SUM(A1)\""));
	/* The guarded CSV imports back unchanged. */
	assert_int_equal(import(&city, "mentors", b.data, b.len, false, &r), ERR_OK);
	counts(r, 0, 0, 2, 0);
	json_decref(r);
	buf_clear(&b);
	/* In a workbook they are string cells, read back as written. */
	assert_int_equal(svc_export(svc, &city, "mentors", "xlsx", &la, NULL, &b, &ei), ERR_OK);
	struct sheet *sh;
	assert_int_equal(sheet_parse(b.data, b.len, SHEET_XLSX, &sh, &ei), ERR_OK);
	bool seen = false;
	for (size_t i = 1; i < sheet_nrows(sh); i++)
		seen = seen || !strcmp(sheet_cell(sh, i, 11), "=HYPERLINK(\"x\")");
	assert_true(seen);
	sheet_free(sh);
	buf_release(&b);
}

static void test_template(void **state)
{
	(void)state;
	static const char *const kinds[] = {"mentors", "mentees", "organisations", "regions"};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		struct buf b;
		buf_init(&b, 16 << 20);
		struct errinfo ei;
		assert_int_equal(svc_import_template(svc, &county, kinds[i], &b, &ei), ERR_OK);
		struct sheet *sh;
		assert_int_equal(sheet_parse(b.data, b.len, SHEET_XLSX, &sh, &ei), ERR_OK);
		assert_int_equal(sheet_nrows(sh), 2);
		sheet_free(sh);
		/* The template as it comes imports without an error. */
		json_t *r;
		assert_int_equal(import(&county, kinds[i], b.data, b.len, false, &r), ERR_OK);
		if (rget(r, "failed"))
			dump_errors(r);
		assert_int_equal(rget(r, "rows"), 1);
		assert_int_equal(rget(r, "failed"), 0);
		json_decref(r);
		buf_release(&b);
	}
	struct buf b;
	buf_init(&b, 1 << 20);
	struct errinfo ei;
	assert_int_equal(svc_import_template(svc, &auditor, "mentors", &b, &ei), ERR_FORBIDDEN);
	buf_release(&b);
}

/* Regions by name path, organisations, and organisation mentees by name. */
static void test_regions_orgs_mentees(void **state)
{
	(void)state;
	static const char regions[] = "地区代码,地区名称,层级,上级代码,纬度,经度\n"
				      "640122990,新设镇,乡镇,贺兰县,38.6,106.3\n"
				      "640122990201,新设一村,村,贺兰县/新设镇,,\n"
				      "640122990202,新设二村,4,640122990,,\n";
	json_t *r;
	enum err e = import(&county, "regions", regions, strlen(regions), true, &r);
	counts(r, 3, 0, 0, 0);
	assert_int_equal(e, ERR_OK);
	json_decref(r);
	static const char orgs[] = "组织名称,所属地区,软弱涣散,示范村\n"
				   "新设一村党支部,新设一村,是,否\n"
				   "新设二村党支部,640122990202,否,是\n";
	assert_int_equal(import(&county, "organisations", orgs, strlen(orgs), true, &r), ERR_OK);
	counts(r, 2, 0, 0, 0);
	json_decref(r);
	static const char mentees[] = "对象类型,姓名,所属组织,短板弱项\n"
				      "组织,新设一村党支部,新设一村党支部,集体经济、基层治理\n";
	assert_int_equal(import(&county, "mentees", mentees, strlen(mentees), true, &r), ERR_OK);
	counts(r, 1, 0, 0, 0);
	json_decref(r);
	assert_int_equal(import(&county, "mentees", mentees, strlen(mentees), true, &r), ERR_OK);
	counts(r, 0, 0, 1, 0);
	json_decref(r);
	/* Renaming a region is an update; moving it is refused. */
	static const char moved[] = "地区代码,地区名称,层级,上级代码\n"
				    "640122990,新设镇(改),乡镇,640122\n"
				    "640122990201,新设一村,村,640122100\n";
	assert_int_equal(import(&county, "regions", moved, strlen(moved), true, &r),
			 ERR_UNPROCESSABLE);
	has_error(r, 3, 4, "不可修改");
	counts(r, 0, 1, 0, 1);
	json_decref(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pinyin_search),
		cmocka_unit_test(test_dry_run_reports_every_error),
		cmocka_unit_test(test_commit_all_or_none),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_libreoffice_and_gb18030),
		cmocka_unit_test(test_bad_files_change_nothing),
		cmocka_unit_test(test_jurisdiction_and_masking),
		cmocka_unit_test(test_formula_text),
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_regions_orgs_mentees),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
