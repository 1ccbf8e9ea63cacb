/*
 * test_api.c — the JSON API over real HTTP against the real server on the
 * demo database: logins, the report's figures, search folding, the
 * jurisdiction rule for every role, masking, the mentor pipeline, bad
 * input that changes nothing, sessions, CSRF and the audit chain.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../testdb.h"
#include "libhttpc.h"

enum who { CITY, COUNTY, COUNTY_LW, TOWN, MENTOR, MENTEE, AUDITOR, NWHO };
static const char *const logins[NWHO] = {"city_admin", "county_admin", "county_admin_lw",
					 "township_admin", "mentor", "mentee", "auditor"};

static struct httpc_server srv;
static struct testdb db; /* SQLite, or PostgreSQL under scripts/pg-test */
static char tokens[NWHO][64];

static const char *bin(void)
{
	const char *b = getenv("BANGDAI_BIN");
	return b ? b : "./bangdai";
}

/* Request and parse; asserts the status. Returns the JSON (owned) or NULL. */
static json_t *call(enum who w, const char *method, const char *path, const char *body,
		    int want)
{
	struct httpc_response r;
	int rc = httpc_request(srv.port, method, path, w < NWHO ? tokens[w] : NULL, body, &r);
	assert_int_equal(rc, 0);
	if (r.status != want)
		fprintf(stderr, "%s %s as %s: status %d, want %d: %s\n", method, path,
			w < NWHO ? logins[w] : "(none)", r.status, want, r.body);
	assert_int_equal(r.status, want);
	json_t *j = httpc_json(&r);
	httpc_response_release(&r);
	return j;
}

static json_int_t jint(json_t *j, const char *path)
{
	/* path: "a.b.c" */
	char buf[128];
	snprintf(buf, sizeof buf, "%s", path);
	json_t *cur = j;
	for (char *tok = buf, *dot; tok; tok = dot) {
		dot = strchr(tok, '.');
		if (dot)
			*dot++ = '\0';
		cur = json_object_get(cur, tok);
		if (!cur) {
			fprintf(stderr, "missing %s\n", path);
			fail();
		}
	}
	return json_integer_value(cur);
}

static int group_setup(void **state)
{
	(void)state;
	if (testdb_create(&db, "api") != 0)
		return -1;
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s demo --db '%s' >/dev/null 2>&1", bin(), db.uri);
	if (system(cmd) != 0) {
		fprintf(stderr, "demo failed: %s\n", cmd);
		return -1;
	}
	if (httpc_spawn_server(db.uri, &srv) != 0)
		return -1;
	for (int w = 0; w < NWHO; w++) {
		char body[160];
		snprintf(body, sizeof body, "{\"login\":\"%s\",\"password\":\"bangdai-demo\"}", logins[w]);
		struct httpc_response r;
		if (httpc_request(srv.port, "POST", "/api/v1/auth/login", NULL, body, &r) ||
		    r.status != 200) {
			fprintf(stderr, "login %s failed: %d %s\n", logins[w], r.status, r.body);
			httpc_response_release(&r);
			return -1;
		}
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

static void test_login_errors(void **state)
{
	(void)state;
	json_t *j = call(NWHO, "POST", "/api/v1/auth/login",
			 "{\"login\":\"city_admin\",\"password\":\"wrong-password\"}", 401);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")),
			    "unauthorized");
	json_decref(j);
	json_decref(call(NWHO, "POST", "/api/v1/auth/login", "{\"login\":\"city_admin\"}", 400));
	json_decref(call(NWHO, "POST", "/api/v1/auth/login",
			 "{\"login\":\"a\",\"password\":\"b\",\"extra\":1}", 400));
	json_decref(call(NWHO, "POST", "/api/v1/auth/login", "{\"login\":1,\"password\":\"b\"}", 400));
	json_decref(call(NWHO, "GET", "/api/v1/mentors", NULL, 401));
	struct httpc_response r;
	assert_int_equal(httpc_request(srv.port, "GET", "/api/v1/mentors",
				       "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, &r), 0);
	assert_int_equal(r.status, 401);
	httpc_response_release(&r);
}

static void test_login_rate_limit(void **state)
{
	(void)state;
	int limited = 0;
	for (int i = 0; i < 12; i++) {
		struct httpc_response r;
		assert_int_equal(httpc_request(srv.port, "POST", "/api/v1/auth/login", NULL,
					       "{\"login\":\"ghost\",\"password\":\"guess-guess\"}", &r), 0);
		assert_true(r.status == 401 || r.status == 429);
		limited += r.status == 429;
		httpc_response_release(&r);
	}
	assert_true(limited >= 2);
	/* A legitimate user from the same address still gets in. */
	json_decref(call(NWHO, "POST", "/api/v1/auth/login",
			 "{\"login\":\"auditor\",\"password\":\"bangdai-demo\"}", 200));
}

static void test_stats_report_figures(void **state)
{
	(void)state;
	json_t *j = call(CITY, "GET", "/api/v1/stats", NULL, 200);
	assert_int_equal(jint(j, "mentors.total"), 483);
	assert_int_equal(jint(j, "mentors.by_source.veteran_cadre"), 133);
	assert_int_equal(jint(j, "mentors.by_source.village_secretary"), 97);
	assert_int_equal(jint(j, "mentors.by_source.wealth_leader"), 44);
	assert_int_equal(jint(j, "mentors.by_source.model_exemplar"), 74);
	assert_int_equal(jint(j, "mentor_orgs.total"), 85);
	assert_int_equal(jint(j, "outcomes.rectified"), 11);
	assert_int_equal(jint(j, "outcomes.upgraded"), 20);
	double pct = json_real_value(
		json_object_get(json_object_get(j, "outcomes"), "demonstration_village_pct"));
	assert_true(pct > 65.0 && pct < 75.0); /* the report: 70% */
	json_decref(j);
	/* A county admin's figures are its county's only. */
	j = call(COUNTY, "GET", "/api/v1/stats", NULL, 200);
	json_int_t county = jint(j, "mentors.total");
	assert_true(county > 34 && county < 483);
	json_decref(j);
	json_decref(call(COUNTY, "GET", "/api/v1/stats?region=640181", NULL, 403));
	json_decref(call(MENTEE, "GET", "/api/v1/stats", NULL, 403));
}

static void test_region_search_folds(void **state)
{
	(void)state;
	const char *qs[] = {"/api/v1/regions?q=%E8%B4%BA%E5%85%B0%E5%8E%BF",   /* 贺兰县 */
			    "/api/v1/regions?q=%E8%B3%80%E8%98%AD%E7%B8%A3"}; /* 賀蘭縣 */
	for (int i = 0; i < 2; i++) {
		json_t *j = call(CITY, "GET", qs[i], NULL, 200);
		assert_true(jint(j, "total") >= 1);
		json_t *first = json_array_get(json_object_get(j, "items"), 0);
		assert_string_equal(json_string_value(json_object_get(first, "code")), "640122");
		json_decref(j);
	}
}

/* Every mentor a county admin lists lies in its county. */
static void test_lists_stay_in_jurisdiction(void **state)
{
	(void)state;
	json_t *j = call(COUNTY, "GET", "/api/v1/mentors?limit=500", NULL, 200);
	json_t *items = json_object_get(j, "items");
	assert_true(json_array_size(items) > 34);
	assert_int_equal(jint(j, "total"), (json_int_t)json_array_size(items));
	size_t i;
	json_t *m;
	json_array_foreach(items, i, m) {
		json_t *got = call(COUNTY, "GET", "/api/v1/regions/640122", NULL, 200);
		json_decref(got);
		const char *region = json_string_value(json_object_get(m, "region"));
		assert_memory_equal(region, "640122", 6);
		break;
	}
	json_decref(j);
	const char *lists[] = {"/api/v1/mentors", "/api/v1/mentees", "/api/v1/organisations",
			       "/api/v1/mentor-orgs", "/api/v1/menus", "/api/v1/regions"};
	for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
		char path[128];
		snprintf(path, sizeof path, "%s?region=640181", lists[k]);
		json_decref(call(COUNTY, "GET", path, NULL, 403));
		snprintf(path, sizeof path, "%s?limit=500", lists[k]);
		json_t *own = call(COUNTY, "GET", path, NULL, 200);
		json_t *all = call(CITY, "GET", path, NULL, 200);
		assert_true(jint(own, "total") < jint(all, "total"));
		json_decref(own);
		json_decref(all);
	}
}

/* An id from another county: read and write are refused and audited. */
static void test_other_county_record(void **state)
{
	(void)state;
	json_t *j = call(COUNTY_LW, "GET", "/api/v1/mentors?limit=1", NULL, 200);
	json_int_t id = json_integer_value(
		json_object_get(json_array_get(json_object_get(j, "items"), 0), "id"));
	json_decref(j);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/mentors/%lld", (long long)id);
	json_decref(call(COUNTY, "GET", path, NULL, 403));
	json_decref(call(COUNTY, "PATCH", path, "{\"post\":\"x\"}", 403));
	json_decref(call(TOWN, "GET", path, NULL, 403));
	json_decref(call(MENTOR, "GET", path, NULL, 403));
	json_decref(call(MENTEE, "GET", path, NULL, 403));
	json_decref(call(AUDITOR, "PATCH", path, "{\"post\":\"x\"}", 403));
	json_t *after = call(CITY, "GET", path, NULL, 200);
	assert_string_not_equal(json_string_value(json_object_get(after, "post")), "x");
	json_decref(after);
	/* The refusals are in the audit log. */
	j = call(AUDITOR, "GET", "/api/v1/audit?limit=500", NULL, 200);
	size_t i, denied = 0;
	json_t *e;
	json_array_foreach(json_object_get(j, "items"), i, e)
		denied += !strcmp(json_string_value(json_object_get(e, "action")), "denied");
	assert_true(denied >= 5);
	json_decref(j);
}

static void test_mentor_and_mentee_see_only_themselves(void **state)
{
	(void)state;
	json_t *j = call(MENTEE, "GET", "/api/v1/mentees", NULL, 200);
	assert_int_equal(jint(j, "total"), 1);
	json_decref(j);
	j = call(MENTOR, "GET", "/api/v1/mentors", NULL, 200);
	assert_int_equal(jint(j, "total"), 1);
	json_t *me = json_array_get(json_object_get(j, "items"), 0);
	/* Its own record is not masked. */
	assert_null(strchr(json_string_value(json_object_get(me, "phone")), '*'));
	json_decref(j);
	json_decref(call(MENTEE, "GET", "/api/v1/mentors", NULL, 403));
	json_decref(call(MENTOR, "GET", "/api/v1/mentees", NULL, 403));
	json_decref(call(MENTEE, "GET", "/api/v1/organisations", NULL, 403));
	json_decref(call(MENTEE, "GET", "/api/v1/users", NULL, 403));
	json_decref(call(MENTEE, "POST", "/api/v1/mentors", "{}", 403));
	/* A mentee browses its county's menu, with masked phones. */
	j = call(MENTEE, "GET", "/api/v1/menus", NULL, 200);
	assert_int_equal(jint(j, "total"), 1);
	json_t *menu = json_array_get(json_object_get(j, "items"), 0);
	assert_int_equal(json_integer_value(json_object_get(menu, "items")), 34);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/menus/%lld/mentors",
		 (long long)json_integer_value(json_object_get(menu, "id")));
	json_decref(j);
	j = call(MENTEE, "GET", path, NULL, 200);
	assert_int_equal(jint(j, "total"), 34);
	json_t *first = json_array_get(json_object_get(j, "items"), 0);
	assert_non_null(strchr(json_string_value(json_object_get(first, "phone")), '*'));
	json_decref(j);
}

static void test_masking_by_role(void **state)
{
	(void)state;
	json_t *a = call(AUDITOR, "GET", "/api/v1/mentors?limit=5", NULL, 200);
	json_t *c = call(CITY, "GET", "/api/v1/mentors?limit=5", NULL, 200);
	json_t *am = json_array_get(json_object_get(a, "items"), 0);
	json_t *cm = json_array_get(json_object_get(c, "items"), 0);
	assert_non_null(strchr(json_string_value(json_object_get(am, "phone")), '*'));
	assert_non_null(strchr(json_string_value(json_object_get(am, "id_number")), '*'));
	assert_null(strchr(json_string_value(json_object_get(cm, "phone")), '*'));
	assert_int_equal(strlen(json_string_value(json_object_get(cm, "id_number"))), 18);
	json_decref(a);
	json_decref(c);
}

static json_int_t mentor_total(void)
{
	json_t *j = call(CITY, "GET", "/api/v1/mentors?limit=1", NULL, 200);
	json_int_t n = jint(j, "total");
	json_decref(j);
	return n;
}

static void test_pipeline(void **state)
{
	(void)state;
	/* 习岗镇 is a township of 贺兰县: find its code. */
	json_t *j = call(COUNTY, "GET", "/api/v1/regions?q=%E4%B9%A0%E5%B2%97%E9%95%87&level=3",
			 NULL, 200);
	char town[40];
	snprintf(town, sizeof town, "%s",
		 json_string_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "code")));
	json_decref(j);
	char body[512];
	snprintf(body, sizeof body,
		 "{\"name\":\"测试导师\",\"gender\":\"男\",\"phone\":\"13912345678\","
		 "\"region\":\"%s\",\"tier\":\"township\",\"source\":\"veteran_cadre\","
		 "\"team_type\":\"experienced\",\"capacity\":2,\"domains\":[\"party_building\"],"
		 "\"score_political\":90}", town);
	j = call(TOWN, "POST", "/api/v1/mentors", body, 201);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "nominated");
	json_int_t id = jint(j, "id");
	json_decref(j);
	/* The same phone again is a conflict. */
	json_decref(call(TOWN, "POST", "/api/v1/mentors", body, 409));
	char path[80];
	snprintf(path, sizeof path, "/api/v1/mentors/%lld/transitions", (long long)id);
	json_decref(call(TOWN, "POST", path, "{\"action\":\"shortlist\"}", 403));
	json_decref(call(COUNTY, "POST", path, "{\"action\":\"appoint\"}", 409));
	json_decref(call(COUNTY, "POST", path, "{\"action\":\"fly\"}", 400));
	j = call(COUNTY, "POST", path, "{\"action\":\"shortlist\"}", 200);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "shortlisted");
	json_decref(j);
	json_decref(call(COUNTY, "POST", path, "{\"action\":\"file\"}", 403));
	json_decref(call(CITY, "POST", path, "{\"action\":\"reject\"}", 400));
	json_decref(call(CITY, "POST", path, "{\"action\":\"file\"}", 200));
	j = call(CITY, "POST", path, "{\"action\":\"appoint\"}", 200);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "active");
	const char *letter = json_string_value(json_object_get(j, "letter_no"));
	assert_non_null(letter);
	assert_memory_equal(letter, "YCDS-", 5);
	json_decref(j);
	json_decref(call(CITY, "POST", path, "{\"action\":\"appoint\"}", 409));
	json_decref(call(COUNTY, "POST", path, "{\"action\":\"pause\",\"reason\":\"病假\"}", 200));
	j = call(COUNTY, "GET", path, NULL, 200);
	assert_int_equal(jint(j, "total"), 5); /* nominate, shortlist, file, appoint, pause */
	json_decref(j);
}

static void test_bad_input_changes_nothing(void **state)
{
	(void)state;
	json_int_t before = mentor_total();
	json_t *j = call(CITY, "POST", "/api/v1/mentors", "{\"name\": ", 400);
	json_t *err = json_object_get(j, "error");
	assert_non_null(json_object_get(err, "row"));
	json_decref(j);
	j = call(CITY, "POST", "/api/v1/mentors", "{\"name\":\"x\",\"name\":\"y\"}", 400);
	json_decref(j);
	j = call(CITY, "POST", "/api/v1/mentors", "{\"nmae\":\"x\"}", 400);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")), "nmae");
	json_decref(j);
	j = call(CITY, "POST", "/api/v1/mentors",
		 "{\"name\":1,\"region\":\"640122\",\"tier\":\"county\",\"source\":\"x\",\"team_type\":\"expert\"}",
		 400);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")), "name");
	json_decref(j);
	j = call(CITY, "POST", "/api/v1/mentors",
		 "{\"name\":\"某某\",\"region\":\"640122\",\"tier\":\"county\",\"source\":\"no_such\","
		 "\"team_type\":\"expert\"}",
		 422);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")), "source");
	json_decref(j);
	j = call(CITY, "POST", "/api/v1/mentors",
		 "{\"name\":\"某某\",\"region\":\"640122\",\"tier\":\"county\",\"source\":\"veteran_cadre\","
		 "\"team_type\":\"expert\",\"phone\":\"123\"}",
		 400);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")), "phone");
	json_decref(j);
	json_decref(call(CITY, "GET", "/api/v1/mentors?limit=9999", NULL, 400));
	json_decref(call(CITY, "GET", "/api/v1/mentors?bogus=1", NULL, 400));
	json_decref(call(CITY, "GET", "/api/v1/mentors?sort=password", NULL, 400));
	json_decref(call(CITY, "GET", "/api/v1/mentors/abc", NULL, 404));
	json_decref(call(CITY, "GET", "/api/v1/mentors/999999", NULL, 404));
	json_decref(call(CITY, "DELETE", "/api/v1/mentors/1", NULL, 405));
	/* Oversized body: refused before it is read. */
	char req[256];
	int n = snprintf(req, sizeof req,
			 "POST /api/v1/mentors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
			 "Content-Type: application/json\r\nContent-Length: 900000000\r\n\r\n",
			 tokens[CITY]);
	struct httpc_response r;
	assert_int_equal(httpc_raw(srv.port, req, (size_t)n, &r), 0);
	assert_int_equal(r.status, 413);
	httpc_response_release(&r);
	/* Two Content-Length headers. */
	n = snprintf(req, sizeof req,
		     "POST /api/v1/mentors HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
		     "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}");
	assert_int_equal(httpc_raw(srv.port, req, (size_t)n, &r), 0);
	assert_int_equal(r.status, 400);
	httpc_response_release(&r);
	assert_int_equal(mentor_total(), before);
}

static void test_cookie_session_needs_csrf(void **state)
{
	(void)state;
	struct httpc_response r;
	assert_int_equal(httpc_request(srv.port, "POST", "/api/v1/auth/login", NULL,
				       "{\"login\":\"county_admin\",\"password\":\"bangdai-demo\"}", &r), 0);
	assert_int_equal(r.status, 200);
	const char *sc = httpc_header(&r, "Set-Cookie");
	assert_non_null(sc);
	assert_non_null(strstr(sc, "HttpOnly"));
	assert_non_null(strstr(sc, "SameSite=Strict"));
	char cookie[160];
	snprintf(cookie, sizeof cookie, "Cookie: %.*s", (int)strcspn(sc, ";"), sc);
	json_t *j = httpc_json(&r);
	char csrf[128];
	snprintf(csrf, sizeof csrf, "X-CSRF-Token: %s", json_string_value(json_object_get(j, "csrf")));
	json_decref(j);
	httpc_response_release(&r);
	const char *h1[] = {cookie, NULL};
	assert_int_equal(httpc_request_h(srv.port, "GET", "/api/v1/auth/me", NULL, h1, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	httpc_response_release(&r);
	assert_int_equal(httpc_request_h(srv.port, "POST", "/api/v1/auth/logout", NULL, h1, "{}", &r), 0);
	assert_int_equal(r.status, 403);
	httpc_response_release(&r);
	const char *h2[] = {cookie, csrf, NULL};
	assert_int_equal(httpc_request_h(srv.port, "POST", "/api/v1/auth/logout", NULL, h2, "{}", &r), 0);
	assert_int_equal(r.status, 200);
	httpc_response_release(&r);
	/* The session is gone. */
	assert_int_equal(httpc_request_h(srv.port, "GET", "/api/v1/auth/me", NULL, h1, NULL, &r), 0);
	assert_int_equal(r.status, 401);
	httpc_response_release(&r);
}

static void test_openapi_lists_routes(void **state)
{
	(void)state;
	json_t *j = call(NWHO, "GET", "/api/v1/openapi.json", NULL, 200);
	assert_string_equal(json_string_value(json_object_get(j, "openapi")), "3.0.3");
	json_t *paths = json_object_get(j, "paths");
	const char *must[] = {"/mentors", "/mentors/{id}", "/mentors/{id}/transitions", "/regions",
			      "/mentees", "/organisations", "/mentor-orgs", "/menus", "/stats",
			      "/auth/login", "/audit/verify"};
	for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
		assert_non_null(json_object_get(paths, must[i]));
	/* Bodies with lists have real schemas: ids, and plan items by their spec. */
	json_t *op = json_object_get(json_object_get(paths, "/plans/{id}"), "patch");
	json_t *body = json_object_get(json_object_get(op, "requestBody"), "content");
	body = json_object_get(json_object_get(body, "application/json"), "schema");
	const char *ref = json_string_value(json_object_get(body, "$ref"));
	assert_non_null(ref);
	json_t *schemas = json_object_get(json_object_get(j, "components"), "schemas");
	json_t *items = json_object_get(
		json_object_get(json_object_get(schemas, strrchr(ref, '/') + 1), "properties"),
		"items");
	assert_string_equal(json_string_value(json_object_get(items, "type")), "array");
	assert_int_equal(json_integer_value(json_object_get(items, "maxItems")), 64);
	json_t *req = json_object_get(json_object_get(items, "items"), "required");
	assert_int_equal(json_array_size(req), 3); /* side, title, due */
	json_t *mentors = json_object_get(
		json_object_get(json_object_get(schemas, "pairing_new"), "properties"), "mentors");
	json_t *id = json_object_get(mentors, "items");
	assert_string_equal(json_string_value(json_object_get(id, "type")), "integer");
	assert_int_equal(json_integer_value(json_object_get(mentors, "maxItems")), 16);
	json_decref(j);
}

static void test_audit_chain_verifies(void **state)
{
	(void)state;
	json_t *j = call(AUDITOR, "GET", "/api/v1/audit/verify", NULL, 200);
	assert_true(json_is_true(json_object_get(j, "ok")));
	assert_true(jint(j, "entries") > 10);
	json_decref(j);
	json_decref(call(COUNTY, "GET", "/api/v1/audit/verify", NULL, 403));
}

/* Cached GET answers never outlive a write: neither one through the API
 * nor one by another process on the same database (the CLI). */
static void test_reads_see_every_write(void **state)
{
	(void)state;
	json_t *j = call(CITY, "GET", "/api/v1/users?limit=500", NULL, 200);
	json_int_t users = jint(j, "total");
	json_decref(j);
	j = call(CITY, "GET", "/api/v1/users?limit=500", NULL, 200); /* now cached */
	assert_int_equal(jint(j, "total"), users);
	json_decref(j);
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
		 "echo 'another-secret' | %s user add --db '%s' --login cli_added --role auditor "
		 "--region 6401 >/dev/null 2>&1",
		 bin(), db.uri);
	assert_int_equal(system(cmd), 0);
	j = call(CITY, "GET", "/api/v1/users?limit=500", NULL, 200);
	assert_int_equal(jint(j, "total"), users + 1);
	json_decref(j);
	j = call(CITY, "GET", "/api/v1/vocab?kind=domain", NULL, 200);
	json_int_t domains = jint(j, "total");
	json_decref(j);
	json_decref(call(CITY, "POST", "/api/v1/vocab",
			 "{\"kind\":\"domain\",\"code\":\"forestry\",\"name\":\"林业\"}", 201));
	j = call(CITY, "GET", "/api/v1/vocab?kind=domain", NULL, 200);
	assert_int_equal(jint(j, "total"), domains + 1);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_openapi_lists_routes),
		cmocka_unit_test(test_login_errors),
		cmocka_unit_test(test_stats_report_figures),
		cmocka_unit_test(test_region_search_folds),
		cmocka_unit_test(test_lists_stay_in_jurisdiction),
		cmocka_unit_test(test_other_county_record),
		cmocka_unit_test(test_mentor_and_mentee_see_only_themselves),
		cmocka_unit_test(test_masking_by_role),
		cmocka_unit_test(test_pipeline),
		cmocka_unit_test(test_bad_input_changes_nothing),
		cmocka_unit_test(test_cookie_session_needs_csrf),
		cmocka_unit_test(test_audit_chain_verifies),
		cmocka_unit_test(test_reads_see_every_write),
		cmocka_unit_test(test_login_rate_limit),
	};
	return cmocka_run_group_tests_name("api", tests, group_setup, group_teardown);
}
