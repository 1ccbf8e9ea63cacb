/*
 * test_xfer.c — imports, templates and exports over real HTTP against
 * the real server on the demo database: uploads of CSV and .xlsx bodies
 * (media types, the larger upload limit, 413 past it), the dry run and
 * the all-or-nothing commit, the error file, templates, exports with
 * list filters and jurisdiction, and pinyin search through the API.
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

#include "../testdb.h"
#include "core/buf.h"
#include "libhttpc.h"

#define XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

enum who { CITY, COUNTY, AUDITOR, MENTOR, NWHO };
static const char *const logins[NWHO] = {"city_admin", "county_admin", "auditor", "mentor"};
static struct httpc_server srv;
static struct testdb db;
static char tokens[NWHO][64];

static const char *bin(void)
{
	const char *b = getenv("BANGDAI_BIN");
	return b ? b : "./bangdai";
}

static int group_setup(void **state)
{
	(void)state;
	if (testdb_create(&db, "xfer") != 0)
		return -1;
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s demo --db '%s' >/dev/null 2>&1", bin(), db.uri);
	if (system(cmd) != 0 || httpc_spawn_server(db.uri, &srv) != 0)
		return -1;
	for (int w = 0; w < NWHO; w++) {
		char body[160];
		snprintf(body, sizeof body, "{\"login\":\"%s\",\"password\":\"bangdai-demo\"}", logins[w]);
		struct httpc_response r;
		if (httpc_request(srv.port, "POST", "/api/v1/auth/login", NULL, body, &r) ||
		    r.status != 200)
			return -1;
		json_t *j = httpc_json(&r);
		snprintf(tokens[w], sizeof tokens[w], "%s", json_string_value(json_object_get(j, "token")));
		json_decref(j);
		httpc_response_release(&r);
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	int st = httpc_stop_server(&srv);
	testdb_drop(&db);
	return st == 0 ? 0 : -1;
}

/* Send a body of `len` bytes with content type `ct` (NULL: none). A
 * `claim` > 0 declares that Content-Length and sends no body. */
static void upload(enum who w, const char *path, const char *ct, const char *body, size_t len,
		   size_t claim, struct httpc_response *out)
{
	struct buf req;
	buf_init(&req, (size_t)128 << 20);
	buf_printf(&req, "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n", path,
		   tokens[w]);
	if (ct)
		buf_printf(&req, "Content-Type: %s\r\n", ct);
	buf_printf(&req, "Content-Length: %zu\r\nConnection: close\r\n\r\n", claim ? claim : len);
	if (!claim)
		buf_append(&req, body, len);
	if (httpc_raw(srv.port, req.data, req.len, out) != 0)
		fprintf(stderr, "no answer to POST %s (%s, %zu bytes)\n", path, ct ? ct : "-", len);
	assert_int_equal(out->status > 0, 1);
	buf_release(&req);
}

static json_t *get_json(enum who w, const char *path, int want)
{
	struct httpc_response r;
	assert_int_equal(httpc_request(srv.port, "GET", path, tokens[w], NULL, &r), 0);
	if (r.status != want)
		fprintf(stderr, "GET %s: %d %s\n", path, r.status, r.body);
	assert_int_equal(r.status, want);
	json_t *j = httpc_json(&r);
	httpc_response_release(&r);
	return j;
}

static json_int_t total(enum who w, const char *path)
{
	json_t *j = get_json(w, path, 200);
	json_int_t n = json_integer_value(json_object_get(j, "total"));
	json_decref(j);
	return n;
}

static const char mentors_csv[] =
	"姓名,性别,手机号,所属地区,导师库层级,来源类型,三型,擅长领域\n"
	"侯修升,男,13600000001,习岗镇,乡镇级,老乡镇老先进,经验型,党建引领、集体经济\n"
	"接口乙,女,13600000002,640122100,乡镇级,致富能人,专家型,种植技术\n";

static void test_import_dry_run_and_commit(void **state)
{
	(void)state;
	json_int_t n0 = total(CITY, "/api/v1/mentors?limit=1");
	struct httpc_response r;
	/* Dry run (the default): a report, nothing written. */
	upload(COUNTY, "/api/v1/imports/mentors", "text/csv", mentors_csv, strlen(mentors_csv), 0,
	       &r);
	assert_int_equal(r.status, 200);
	json_t *j = httpc_json(&r);
	assert_true(json_is_true(json_object_get(j, "dry_run")));
	assert_int_equal(json_integer_value(json_object_get(j, "created")), 2);
	json_decref(j);
	httpc_response_release(&r);
	assert_int_equal(total(CITY, "/api/v1/mentors?limit=1"), n0);

	/* A commit with one bad row: 422, nothing written, the report says why. */
	char bad[1024];
	snprintf(bad, sizeof bad, "%s%s", mentors_csv, "坏行,男,12,习岗镇,乡镇级,老乡镇老先进,经验型,\n");
	upload(COUNTY, "/api/v1/imports/mentors?dry_run=false", "text/csv; charset=utf-8", bad,
	       strlen(bad), 0, &r);
	assert_int_equal(r.status, 422);
	j = httpc_json(&r);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")),
			    "unprocessable");
	json_t *e0 = json_array_get(json_object_get(json_object_get(j, "report"), "errors"), 0);
	assert_int_equal(json_integer_value(json_object_get(e0, "row")), 4);
	assert_int_equal(json_integer_value(json_object_get(e0, "column")), 3);
	json_decref(j);
	httpc_response_release(&r);
	assert_int_equal(total(CITY, "/api/v1/mentors?limit=1"), n0);

	/* The error file to download. */
	upload(COUNTY, "/api/v1/imports/mentors?errors=csv", "text/csv", bad, strlen(bad), 0, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(httpc_header(&r, "Content-Type"), "text/csv"));
	assert_non_null(strstr(httpc_header(&r, "Content-Disposition"), "mentors-errors.csv"));
	assert_non_null(strstr(r.body, "行号"));
	assert_non_null(strstr(r.body, "坏行"));
	httpc_response_release(&r);

	/* The good file: all rows; again: nothing changes. */
	for (int round = 0; round < 2; round++) {
		upload(COUNTY, "/api/v1/imports/mentors?dry_run=false", "text/csv", mentors_csv,
		       strlen(mentors_csv), 0, &r);
		assert_int_equal(r.status, 200);
		j = httpc_json(&r);
		assert_true(json_is_true(json_object_get(j, "committed")));
		assert_int_equal(json_integer_value(json_object_get(j, round ? "unchanged" : "created")),
				 2);
		json_decref(j);
		httpc_response_release(&r);
	}
	assert_int_equal(total(CITY, "/api/v1/mentors?limit=1"), n0 + 2);
	/* Pinyin search through the API. */
	assert_int_equal(total(COUNTY, "/api/v1/mentors?q=hxs"), 1);
	assert_int_equal(total(COUNTY, "/api/v1/mentors?q=houxiusheng"), 1);
}

static void test_upload_rules(void **state)
{
	(void)state;
	struct httpc_response r;
	/* JSON is not a spreadsheet. */
	upload(COUNTY, "/api/v1/imports/mentors", "application/json", "{}", 2, 0, &r);
	assert_int_equal(r.status, 415);
	httpc_response_release(&r);
	/* No body. */
	upload(COUNTY, "/api/v1/imports/mentors", "text/csv", "", 0, 0, &r);
	assert_int_equal(r.status, 400);
	httpc_response_release(&r);
	/* Roles: auditors and mentors may not import. */
	upload(AUDITOR, "/api/v1/imports/mentors", "text/csv", mentors_csv, strlen(mentors_csv), 0,
	       &r);
	assert_int_equal(r.status, 403);
	httpc_response_release(&r);
	/* Bad query values. */
	upload(COUNTY, "/api/v1/imports/mentors?dry_run=maybe", "text/csv", mentors_csv,
	       strlen(mentors_csv), 0, &r);
	assert_int_equal(r.status, 400);
	httpc_response_release(&r);
	/* An upload may pass the 1 MiB JSON limit: 3 MB, in 100 rows with
	 * long remarks (a column every import ignores). */
	struct buf big;
	buf_init(&big, (size_t)8 << 20);
	buf_puts(&big, "姓名,手机号,所属地区,导师库层级,来源类型,三型,备注\n");
	char remark[30001];
	memset(remark, 'x', sizeof remark - 1);
	remark[sizeof remark - 1] = '\0';
	for (int i = 0; i < 100; i++)
		buf_printf(&big, "大文件%d,1%010d,640122100,乡镇级,老乡镇老先进,经验型,%s\n", i, i,
			   remark);
	assert_true(big.len > ((size_t)2 << 20));
	upload(COUNTY, "/api/v1/imports/mentors", "text/csv", big.data, big.len, 0, &r);
	assert_int_equal(r.status, 200);
	json_t *j = httpc_json(&r);
	assert_int_equal(json_integer_value(json_object_get(j, "rows")), 100);
	assert_int_equal(json_integer_value(json_object_get(j, "failed")), 0);
	json_decref(j);
	httpc_response_release(&r);
	buf_release(&big);
	/* ...but a JSON body may not, and nothing may pass the upload limit. */
	upload(COUNTY, "/api/v1/mentors", "application/json", NULL, 0, (size_t)2 << 20, &r);
	assert_int_equal(r.status, 413);
	httpc_response_release(&r);
	upload(COUNTY, "/api/v1/imports/mentors", "text/csv", NULL, 0, (size_t)65 << 20, &r);
	assert_int_equal(r.status, 413);
	httpc_response_release(&r);
	/* A file that is no spreadsheet: a clear 400. */
	upload(COUNTY, "/api/v1/imports/mentors", XLSX, "PK\x03\x04nonsense", 12, 0, &r);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "xlsx"));
	httpc_response_release(&r);
}

static void test_templates_and_exports(void **state)
{
	(void)state;
	struct httpc_response r;
	assert_int_equal(httpc_request(srv.port, "GET", "/api/v1/imports/mentees/template.xlsx",
				       tokens[COUNTY], NULL, &r),
			 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(httpc_header(&r, "Content-Type"), XLSX);
	assert_int_equal(memcmp(r.body, "PK\x03\x04", 4), 0);
	/* The template uploads back as a valid dry run. */
	struct httpc_response r2;
	upload(COUNTY, "/api/v1/imports/mentees", XLSX, r.body, r.body_len, 0, &r2);
	assert_int_equal(r2.status, 200);
	json_t *j = httpc_json(&r2);
	assert_int_equal(json_integer_value(json_object_get(j, "failed")), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "rows")), 1);
	json_decref(j);
	httpc_response_release(&r2);
	httpc_response_release(&r);

	/* Exports: CSV with BOM and Chinese headers, filtered. */
	assert_int_equal(httpc_request(srv.port, "GET",
				       "/api/v1/exports/mentors.csv?q=hxs", tokens[COUNTY], NULL, &r),
			 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(memcmp(r.body, "\xEF\xBB\xBF编号,姓名", strlen("\xEF\xBB\xBF编号,姓名")), 0);
	assert_non_null(strstr(r.body, "侯修升"));
	assert_null(strstr(r.body, "接口乙"));
	httpc_response_release(&r);
	assert_int_equal(httpc_request(srv.port, "GET", "/api/v1/exports/organisations.xlsx",
				       tokens[AUDITOR], NULL, &r),
			 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(httpc_header(&r, "Content-Type"), XLSX);
	httpc_response_release(&r);
	assert_int_equal(httpc_request(srv.port, "GET", "/api/v1/exports/stats.csv?region=640122",
				       tokens[COUNTY], NULL, &r),
			 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "导师"));
	httpc_response_release(&r);
	/* The lists the service answers as JSON: pairings, due list, 红黄榜. */
	static const char *const json_lists[] = {"/api/v1/exports/pairings.csv",
						 "/api/v1/exports/due.xlsx?date=2026-01-31",
						 "/api/v1/exports/rankings.csv?from=2025-01-01"};
	for (size_t i = 0; i < sizeof json_lists / sizeof json_lists[0]; i++) {
		assert_int_equal(httpc_request(srv.port, "GET", json_lists[i], tokens[COUNTY], NULL,
					       &r),
				 0);
		if (r.status != 200)
			fprintf(stderr, "GET %s: %d %s\n", json_lists[i], r.status, r.body);
		assert_int_equal(r.status, 200);
		assert_true(r.body_len > 10);
		httpc_response_release(&r);
	}
	json_decref(get_json(COUNTY, "/api/v1/exports/due.csv?date=31.1.2026", 400));
	/* Outside the jurisdiction, another role, unknown paging keys. */
	json_decref(get_json(COUNTY, "/api/v1/exports/mentors.csv?region=640181", 403));
	json_decref(get_json(MENTOR, "/api/v1/exports/mentors.csv", 403));
	json_decref(get_json(COUNTY, "/api/v1/exports/mentors.csv?limit=5", 400));
	json_decref(get_json(COUNTY, "/api/v1/exports/passwords.csv", 404));
}

static void test_openapi(void **state)
{
	(void)state;
	json_t *doc = get_json(CITY, "/api/v1/openapi.json", 200);
	json_t *op = json_object_get(json_object_get(json_object_get(doc, "paths"),
						     "/imports/mentors"),
				     "post");
	assert_non_null(op);
	json_t *content = json_object_get(json_object_get(op, "requestBody"), "content");
	assert_non_null(json_object_get(content, "text/csv"));
	assert_non_null(json_object_get(content, XLSX));
	json_t *ex = json_object_get(json_object_get(json_object_get(doc, "paths"),
						     "/exports/mentors.xlsx"),
				     "get");
	assert_non_null(json_object_get(
		json_object_get(json_object_get(json_object_get(ex, "responses"), "200"), "content"),
		XLSX));
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_dry_run_and_commit),
		cmocka_unit_test(test_upload_rules),
		cmocka_unit_test(test_templates_and_exports),
		cmocka_unit_test(test_openapi),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
