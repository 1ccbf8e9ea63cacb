/*
 * test_match_api.c — matching runs through the real server on the demo
 * database: every proposal explained, reproducible runs, locks and bans,
 * menu choice, approval into pairings, follow-up rounds, access rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libhttpc.h"
#include "../testdb.h"

enum who { CITY, COUNTY, COUNTY_LW, MENTEE, MENTOR, NWHO };
static const char *const logins[NWHO] = {"city_admin", "county_admin", "county_admin_lw",
					 "mentee", "mentor"};
static struct httpc_server srv;
static struct testdb db; /* SQLite, or PostgreSQL under scripts/pg-test */
static char tokens[NWHO][64];

static json_t *call(enum who w, const char *method, const char *path, const char *body, int want)
{
	struct httpc_response r;
	assert_int_equal(httpc_request(srv.port, method, path, tokens[w], body, &r), 0);
	if (r.status != want)
		fprintf(stderr, "%s %s as %s: %d (want %d): %.400s\n", method, path, logins[w],
			r.status, want, r.body);
	assert_int_equal(r.status, want);
	json_t *j = httpc_json(&r);
	httpc_response_release(&r);
	return j;
}

static json_int_t geti(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

static int setup(void **state)
{
	(void)state;
	if (testdb_create(&db, "match") != 0)
		return -1;
	const char *bin = getenv("BANGDAI_BIN") ? getenv("BANGDAI_BIN") : "./bangdai";
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s demo --db '%s' >/dev/null 2>&1", bin, db.uri);
	if (system(cmd) != 0 || httpc_spawn_server(db.uri, &srv) != 0)
		return -1;
	for (int w = 0; w < NWHO; w++) {
		char body[160];
		snprintf(body, sizeof body, "{\"login\":\"%s\",\"password\":\"bangdai-demo\"}", logins[w]);
		struct httpc_response r;
		if (httpc_request(srv.port, "POST", "/api/v1/auth/login", NULL, body, &r) || r.status != 200)
			return -1;
		json_t *j = httpc_json(&r);
		snprintf(tokens[w], sizeof tokens[w], "%s", json_string_value(json_object_get(j, "token")));
		json_decref(j);
		httpc_response_release(&r);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	int st = httpc_stop_server(&srv);
	testdb_drop(&db);
	return st == 0 ? 0 : -1;
}

/* Every proposal's parts sum to its score; every unmatched has a reason. */
static void check_explained(json_t *run)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(run, "proposals"), i, p) {
		json_t *why = json_object_get(p, "why");
		assert_int_equal(json_object_size(why), 5);
		json_int_t sum = 0;
		const char *k;
		json_t *v;
		json_object_foreach(why, k, v) sum += json_integer_value(v);
		assert_int_equal(sum, geti(p, "score"));
	}
	json_array_foreach(json_object_get(run, "unmatched"), i, p)
		assert_true(strlen(json_string_value(json_object_get(p, "reason"))) > 0);
}

static void test_auto_run_explained_and_reproducible(void **state)
{
	(void)state;
	const char *body = "{\"method\":\"auto\",\"region\":\"640122\",\"seed\":7}";
	json_t *a = call(COUNTY, "POST", "/api/v1/match/runs", body, 201);
	json_t *b = call(COUNTY, "POST", "/api/v1/match/runs", body, 201);
	assert_string_equal(json_string_value(json_object_get(a, "status")), "proposed");
	assert_true(geti(a, "matched") > 50);
	assert_int_equal(geti(a, "matched") + (json_int_t)json_array_size(json_object_get(a, "unmatched")),
			 geti(a, "mentees"));
	check_explained(a);
	/* Same data, same seed: the same proposal. */
	assert_true(json_equal(json_object_get(a, "proposals"), json_object_get(b, "proposals")));
	assert_int_equal(geti(a, "total_score"), geti(b, "total_score"));
	/* A mentor never gets more mentees than its places. */
	json_t *counts = json_object();
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(a, "proposals"), i, p) {
		char k[32];
		snprintf(k, sizeof k, "%lld", (long long)geti(p, "mentor"));
		json_object_set_new(counts, k, json_integer(geti(counts, k) + 1));
	}
	const char *k;
	json_t *v;
	json_object_foreach(counts, k, v) {
		char path[64];
		snprintf(path, sizeof path, "/api/v1/mentors/%s", k);
		json_t *m = call(COUNTY, "GET", path, NULL, 200);
		assert_true(json_integer_value(v) <= geti(m, "capacity"));
		json_decref(m);
	}
	json_decref(counts);
	json_decref(a);
	json_decref(b);
}

static void test_menu_run_respects_choices(void **state)
{
	(void)state;
	json_t *r = call(COUNTY, "POST", "/api/v1/match/runs", "{\"method\":\"menu\",\"region\":\"640122\"}", 201);
	assert_true(geti(r, "matched") > 10);
	check_explained(r);
	size_t i;
	json_t *p;
	int checked = 0;
	json_array_foreach(json_object_get(r, "proposals"), i, p) {
		if (checked++ > 10)
			break;
		char path[80];
		snprintf(path, sizeof path, "/api/v1/match/choices?mentee=%lld", (long long)geti(p, "mentee"));
		json_t *ch = call(COUNTY, "GET", path, NULL, 200);
		bool chosen = false;
		size_t k;
		json_t *c;
		json_array_foreach(json_object_get(ch, "items"), k, c)
			chosen = chosen || geti(c, "mentor") == geti(p, "mentor");
		assert_true(chosen);
		/* The voluntary part reflects the mentee's rank. */
		assert_true(geti(json_object_get(p, "why"), "voluntary") > 0);
		json_decref(ch);
	}
	json_decref(r);
}

static void test_ban_and_lock(void **state)
{
	(void)state;
	json_t *r = call(COUNTY, "POST", "/api/v1/match/runs", "{\"method\":\"auto\",\"region\":\"640122\"}", 201);
	json_t *first = json_array_get(json_object_get(r, "proposals"), 0);
	json_int_t mentee = geti(first, "mentee"), mentor = geti(first, "mentor");
	json_decref(r);
	char body[200];
	snprintf(body, sizeof body, "{\"kind\":\"ban\",\"mentee\":%lld,\"mentor\":%lld}", (long long)mentee, (long long)mentor);
	json_decref(call(COUNTY, "POST", "/api/v1/match/rules", body, 400)); /* a ban needs a reason */
	snprintf(body, sizeof body, "{\"kind\":\"ban\",\"mentee\":%lld,\"mentor\":%lld,\"reason\":\"亲属回避\"}",
		 (long long)mentee, (long long)mentor);
	json_t *rule = call(COUNTY, "POST", "/api/v1/match/rules", body, 201);
	r = call(COUNTY, "POST", "/api/v1/match/runs", "{\"method\":\"auto\",\"region\":\"640122\"}", 201);
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(r, "proposals"), i, p)
		assert_false(geti(p, "mentee") == mentee && geti(p, "mentor") == mentor);
	json_decref(r);
	/* Lift the ban, lock the pair instead: it is proposed, marked locked. */
	char path[64];
	snprintf(path, sizeof path, "/api/v1/match/rules/%lld", (long long)geti(rule, "id"));
	json_decref(call(COUNTY, "DELETE", path, NULL, 200));
	json_decref(rule);
	snprintf(body, sizeof body, "{\"kind\":\"lock\",\"mentee\":%lld,\"mentor\":%lld,\"reason\":\"组织安排\"}",
		 (long long)mentee, (long long)mentor);
	rule = call(COUNTY, "POST", "/api/v1/match/rules", body, 201);
	r = call(COUNTY, "POST", "/api/v1/match/runs", "{\"method\":\"auto\",\"region\":\"640122\"}", 201);
	bool found = false;
	json_array_foreach(json_object_get(r, "proposals"), i, p)
		if (geti(p, "mentee") == mentee && geti(p, "mentor") == mentor) {
			found = true;
			assert_true(json_is_true(json_object_get(p, "locked")));
		}
	assert_true(found);
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/match/rules/%lld", (long long)geti(rule, "id"));
	json_decref(call(COUNTY, "DELETE", path, NULL, 200));
	json_decref(rule);
}

static void test_approve_makes_pairings_and_follow_up(void **state)
{
	(void)state;
	json_t *before = call(COUNTY, "GET", "/api/v1/pairings?limit=1", NULL, 200);
	json_t *r = call(COUNTY, "POST", "/api/v1/match/runs", "{\"method\":\"auto\",\"region\":\"640122\",\"reach_km\":2}", 201);
	json_int_t id = geti(r, "id");
	size_t props = json_array_size(json_object_get(r, "proposals"));
	size_t unmatched = json_array_size(json_object_get(r, "unmatched"));
	assert_true(unmatched > 0);
	json_decref(r);
	char path[80];
	snprintf(path, sizeof path, "/api/v1/match/runs/%lld/approve", (long long)id);
	json_decref(call(MENTEE, "POST", path, NULL, 403));
	json_decref(call(COUNTY_LW, "POST", path, NULL, 403));
	r = call(COUNTY, "POST", path, NULL, 200);
	assert_int_equal(geti(r, "pairings_created"), (json_int_t)props);
	assert_string_equal(json_string_value(json_object_get(r, "status")), "approved");
	json_decref(r);
	json_decref(call(COUNTY, "POST", path, NULL, 409)); /* decided already */
	json_t *after = call(COUNTY, "GET", "/api/v1/pairings?limit=1", NULL, 200);
	assert_int_equal(geti(after, "total"), geti(before, "total") + (json_int_t)props);
	json_t *pr = json_array_get(json_object_get(after, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(pr, "status")), "proposed");
	json_decref(before);
	json_decref(after);
	/* Nobody left behind: a second round takes the unmatched, wider. */
	char body[160];
	snprintf(body, sizeof body, "{\"method\":\"auto\",\"region\":\"640122\",\"parent\":%lld,\"reach_km\":300}",
		 (long long)id);
	r = call(COUNTY, "POST", "/api/v1/match/runs", body, 201);
	assert_int_equal(geti(r, "round"), 2);
	assert_int_equal(geti(r, "mentees"), (json_int_t)unmatched);
	assert_int_equal(json_array_size(json_object_get(r, "rounds")), 1);
	assert_true(geti(r, "matched") > 0);
	json_decref(r);
	/* The already paired are not proposed again. */
	r = call(COUNTY, "POST", "/api/v1/match/runs", "{\"method\":\"auto\",\"region\":\"640122\",\"reach_km\":2}", 201);
	assert_true(geti(r, "mentees") <= (json_int_t)unmatched);
	json_decref(r);
}

/* A county quota bounds the mentees placed with that county's mentors. */
static void test_county_quota(void **state)
{
	(void)state;
	json_t *free_run = call(CITY, "POST", "/api/v1/match/runs", "{\"method\":\"auto\",\"region\":\"6401\"}", 201);
	json_t *r = call(CITY, "POST", "/api/v1/match/runs",
			 "{\"method\":\"auto\",\"region\":\"6401\",\"quotas\":{\"640122\":10}}", 201);
	int in_county = 0;
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(r, "proposals"), i, p) {
		char path[64];
		snprintf(path, sizeof path, "/api/v1/mentors/%lld", (long long)geti(p, "mentor"));
		json_t *m = call(CITY, "GET", path, NULL, 200);
		in_county += !strncmp(json_string_value(json_object_get(m, "region")), "640122", 6);
		json_decref(m);
	}
	assert_true(in_county <= 10);
	assert_true(geti(r, "matched") <= geti(free_run, "matched"));
	json_decref(r);
	json_decref(free_run);
	json_decref(call(CITY, "POST", "/api/v1/match/runs", "{\"method\":\"menu\",\"quotas\":{\"640122\":1}}", 400));
}

static void test_team_run_covers(void **state)
{
	(void)state;
	json_t *r = call(CITY, "POST", "/api/v1/match/runs", "{\"method\":\"team\",\"region\":\"640181\"}", 201);
	assert_true(geti(r, "matched") > 0);
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(r, "proposals"), i, p)
		assert_true(geti(p, "team") > 0);
	check_explained(r);
	json_decref(r);
}

static void test_access_and_bad_input(void **state)
{
	(void)state;
	json_decref(call(COUNTY, "POST", "/api/v1/match/runs", "{\"method\":\"auto\",\"region\":\"640181\"}", 403));
	json_decref(call(MENTEE, "POST", "/api/v1/match/runs", "{\"method\":\"auto\"}", 403));
	json_decref(call(COUNTY, "POST", "/api/v1/match/runs", "{\"method\":\"magic\"}", 400));
	json_decref(call(COUNTY, "POST", "/api/v1/match/runs", "{\"method\":\"auto\",\"bogus\":1}", 400));
	json_decref(call(COUNTY, "POST", "/api/v1/match/runs", "{\"method\":\"auto\",\"weights\":{\"luck\":1}}", 400));
	json_decref(call(COUNTY, "POST", "/api/v1/match/runs", "{\"method\":\"auto\",\"reach_km\":-3}", 400));
	json_decref(call(COUNTY, "GET", "/api/v1/match/runs/999999", NULL, 404));
	/* A mentee ranks mentors of its county's menu, and only those. */
	json_t *menus = call(MENTEE, "GET", "/api/v1/menus", NULL, 200);
	json_int_t menu = geti(json_array_get(json_object_get(menus, "items"), 0), "id");
	json_decref(menus);
	char path[64], body[200];
	snprintf(path, sizeof path, "/api/v1/menus/%lld/mentors", (long long)menu);
	json_t *items = call(MENTEE, "GET", path, NULL, 200);
	json_int_t m1 = geti(json_array_get(json_object_get(items, "items"), 0), "id");
	json_int_t m2 = geti(json_array_get(json_object_get(items, "items"), 1), "id");
	json_decref(items);
	snprintf(body, sizeof body, "{\"menu\":%lld,\"mentors\":[%lld,%lld]}", (long long)menu, (long long)m2, (long long)m1);
	json_t *ch = call(MENTEE, "PUT", "/api/v1/match/choices", body, 200);
	assert_int_equal(json_array_size(json_object_get(ch, "items")), 2);
	assert_int_equal(geti(json_array_get(json_object_get(ch, "items"), 0), "mentor"), m2);
	json_decref(ch);
	snprintf(body, sizeof body, "{\"menu\":%lld,\"mentors\":[%lld,%lld]}", (long long)menu, (long long)m1, (long long)m1);
	json_decref(call(MENTEE, "PUT", "/api/v1/match/choices", body, 400));
	snprintf(body, sizeof body, "{\"menu\":%lld,\"mentors\":[1,2,3,4,5,6]}", (long long)menu);
	json_decref(call(MENTEE, "PUT", "/api/v1/match/choices", body, 400));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auto_run_explained_and_reproducible),
		cmocka_unit_test(test_menu_run_respects_choices),
		cmocka_unit_test(test_ban_and_lock),
		cmocka_unit_test(test_team_run_covers),
		cmocka_unit_test(test_county_quota),
		cmocka_unit_test(test_access_and_bad_input),
		cmocka_unit_test(test_approve_makes_pairings_and_follow_up),
	};
	return cmocka_run_group_tests_name("match_api", tests, setup, teardown);
}
