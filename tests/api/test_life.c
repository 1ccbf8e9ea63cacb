/*
 * test_life.c — the life of a pairing through the real server on the demo
 * database (issue 4): every status change, the illegal ones answering 409
 * with nothing changed; the capacity rule; who may read and change
 * pairings, plans, activities, logs and evaluations; the due list of a
 * small programme crafted here, checked item by item on a fixed date,
 * over the API and the `bangdai due` command; the growth archive as PDF
 * (pdftotext finds the mentee's name and the section titles, pdftoppm
 * renders it) over the API and `bangdai archive`; the letters; plans,
 * activities, logs, evaluations; escalations, the red/yellow ranking,
 * projects, graduation and lineage; and /api/v1/stats reporting the
 * report's figures on the demo. Runs on SQLite, or on PostgreSQL under
 * scripts/pg-test.
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
#include "libhttpc.h"

#define API "/api/v1"
#define PW "bangdai-demo"
#define PW_NEW "bangdai-life-1"
#define TOWN "640122950" /* the crafted township of 贺兰县 */

enum who { CITY, COUNTY, COUNTY_LW, TOWNSHIP, MENTOR, MENTEE, AUDITOR, CMENTOR, CMENTEE, NWHO };
static const char *const logins[NWHO] = {"city_admin", "county_admin", "county_admin_lw",
					 "township_admin", "mentor", "mentee", "auditor",
					 "life_mentor", "life_mentee"};
static struct httpc_server srv;
static struct testdb db;
static char tokens[NWHO][64];
static json_int_t demo_mentor, demo_mentee;

/* ---- helpers ------------------------------------------------------------------ */

static json_t *call(enum who w, const char *method, const char *path, const char *body, int want)
{
	struct httpc_response r;
	assert_int_equal(httpc_request(srv.port, method, path, w < NWHO ? tokens[w] : NULL, body, &r), 0);
	if (r.status != want)
		fprintf(stderr, "%s %s as %s: %d (want %d): %.400s\n", method, path,
			w < NWHO ? logins[w] : "-", r.status, want, r.body);
	assert_int_equal(r.status, want);
	json_t *j = httpc_json(&r);
	httpc_response_release(&r);
	return j;
}

static void expect(enum who w, const char *method, const char *path, const char *body, int want)
{
	json_decref(call(w, method, path, body, want));
}

static json_int_t ji(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

static const char *js(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : "";
}

static json_t *getf(enum who w, int want, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static json_t *getf(enum who w, int want, const char *fmt, ...)
{
	char path[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	return call(w, "GET", path, NULL, want);
}

static json_t *postf(enum who w, int want, const char *body, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static json_t *postf(enum who w, int want, const char *body, const char *fmt, ...)
{
	char path[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	return call(w, "POST", path, body, want);
}

static void login(enum who w, const char *pw)
{
	char body[200];
	snprintf(body, sizeof body, "{\"login\":\"%s\",\"password\":\"%s\"}", logins[w], pw);
	struct httpc_response r;
	assert_int_equal(httpc_request(srv.port, "POST", API "/auth/login", NULL, body, &r), 0);
	assert_int_equal(r.status, 200);
	json_t *j = httpc_json(&r);
	snprintf(tokens[w], sizeof tokens[w], "%s", js(j, "token"));
	json_decref(j);
	httpc_response_release(&r);
}

static const char *bin(void)
{
	const char *b = getenv("BANGDAI_BIN");
	return b ? b : "./bangdai";
}

/* An appointed mentor of `region` with `capacity` places. */
static json_int_t new_mentor(const char *name, const char *region, int capacity)
{
	char body[512];
	snprintf(body, sizeof body,
		 "{\"name\":\"%s\",\"region\":\"%s\",\"tier\":\"township\",\"source\":\"veteran_cadre\","
		 "\"team_type\":\"experienced\",\"capacity\":%d,\"post\":\"结对测试导师\","
		 "\"domains\":[\"party_building\"]}",
		 name, region, capacity);
	json_t *m = call(CITY, "POST", API "/mentors", body, 201);
	json_int_t id = ji(m, "id");
	json_decref(m);
	const char *steps[] = {"shortlist", "file", "appoint"};
	for (int i = 0; i < 3; i++) {
		snprintf(body, sizeof body, "{\"action\":\"%s\"}", steps[i]);
		json_decref(postf(CITY, 200, body, API "/mentors/%lld/transitions", (long long)id));
	}
	return id;
}

static char category[40];

static json_int_t new_mentee(const char *name, const char *region)
{
	char body[512];
	snprintf(body, sizeof body,
		 "{\"kind\":\"person\",\"name\":\"%s\",\"category\":\"%s\",\"region\":\"%s\","
		 "\"post\":\"村党支部书记\",\"weaknesses\":[\"party_building\"]}",
		 name, category, region);
	json_t *m = call(CITY, "POST", API "/mentees", body, 201);
	json_int_t id = ji(m, "id");
	json_decref(m);
	return id;
}

/* A pairing of one mentor and one mentee, by the county admin. */
static json_int_t new_pairing(json_int_t mentor, json_int_t mentee, int want)
{
	char body[200];
	snprintf(body, sizeof body, "{\"mentors\":[%lld],\"mentees\":[%lld]}", (long long)mentor,
		 (long long)mentee);
	json_t *p = call(COUNTY, "POST", API "/pairings", body, want);
	json_int_t id = want == 201 ? ji(p, "id") : 0;
	json_decref(p);
	return id;
}

static char *pairing_text(json_int_t id)
{
	json_t *p = getf(CITY, 200, API "/pairings/%lld", (long long)id);
	char *s = json_dumps(p, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(p);
	return s;
}

/* A status change that must be refused with `want`, changing nothing. */
static void refused(enum who w, json_int_t id, const char *body, int want)
{
	char *before = pairing_text(id);
	json_decref(postf(w, want, body, API "/pairings/%lld/transitions", (long long)id));
	char *after = pairing_text(id);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static json_t *step(enum who w, json_int_t id, const char *body)
{
	return postf(w, 200, body, API "/pairings/%lld/transitions", (long long)id);
}

static void expect_status(json_t *p, const char *status)
{
	assert_string_equal(js(p, "status"), status);
	json_decref(p);
}

/* The crafted programme: a township of 贺兰县 with its own mentors and
 * mentees, and accounts for one of each. */
static json_int_t c_mentor, c_mentor2, c_mentor_full, c_mentees[8];

static void craft(void)
{
	json_t *j = getf(CITY, 200, API "/vocab?kind=category");
	snprintf(category, sizeof category, "%s", js(json_array_get(json_object_get(j, "items"), 0), "code"));
	json_decref(j);
	expect(CITY, "POST", API "/regions",
	       "{\"code\":\"" TOWN "\",\"name\":\"结对测试镇\",\"level\":3,\"parent\":\"640122\","
	       "\"lat\":38.6,\"lon\":106.3}",
	       201);
	c_mentor = new_mentor("结对测试导师甲", TOWN, 4);
	c_mentor2 = new_mentor("结对测试导师乙", TOWN, 2);
	c_mentor_full = new_mentor("结对测试导师丙", TOWN, 1);
	for (int i = 0; i < 8; i++) {
		char name[64];
		snprintf(name, sizeof name, "结对测试对象%d", i);
		c_mentees[i] = new_mentee(name, TOWN);
	}
	char body[300];
	snprintf(body, sizeof body,
		 "{\"login\":\"life_mentor\",\"role\":\"mentor\",\"mentor\":%lld,\"password\":\"" PW_NEW "\"}",
		 (long long)c_mentor);
	expect(CITY, "POST", API "/users", body, 201);
	snprintf(body, sizeof body,
		 "{\"login\":\"life_mentee\",\"role\":\"mentee\",\"mentee\":%lld,\"password\":\"" PW_NEW "\"}",
		 (long long)c_mentees[0]);
	expect(CITY, "POST", API "/users", body, 201);
	login(CMENTOR, PW_NEW);
	login(CMENTEE, PW_NEW);
}

static int setup(void **state)
{
	(void)state;
	if (testdb_create(&db, "life") != 0)
		return -1;
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s demo --db '%s' >/dev/null 2>&1", bin(), db.uri);
	if (system(cmd) != 0 || httpc_spawn_server(db.uri, &srv) != 0)
		return -1;
	for (int w = 0; w < CMENTOR; w++)
		login(w, PW);
	json_t *me = call(MENTOR, "GET", API "/auth/me", NULL, 200);
	demo_mentor = ji(me, "mentor");
	json_decref(me);
	me = call(MENTEE, "GET", API "/auth/me", NULL, 200);
	demo_mentee = ji(me, "mentee");
	json_decref(me);
	craft();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	int st = httpc_stop_server(&srv);
	testdb_drop(&db);
	return st == 0 ? 0 : -1;
}

/* ---- the status life ----------------------------------------------------------------- */

static void test_every_transition(void **state)
{
	(void)state;
	json_int_t id = new_pairing(c_mentor, c_mentees[1], 201);
	json_t *p = getf(CITY, 200, API "/pairings/%lld", (long long)id);
	assert_string_equal(js(p, "status"), "proposed");
	assert_string_equal(js(p, "origin"), "assigned");
	assert_string_equal(js(p, "mode"), "1:1");
	json_decref(p);
	/* proposed: nothing but confirm and dissolve */
	refused(COUNTY, id, "{\"action\":\"ceremony\",\"date\":\"2025-01-08\",\"place\":\"x\"}", 409);
	refused(COUNTY, id, "{\"action\":\"activate\"}", 409);
	refused(COUNTY, id, "{\"action\":\"complete\"}", 409);
	refused(COUNTY, id, "{\"action\":\"fly\"}", 409); /* no such step, from anywhere */
	refused(COUNTY, id, "{\"action\":\"\"}", 400);
	refused(COUNTY, id, "{\"action\":\"confirm\"}", 400); /* an admin names the side */
	expect_status(step(COUNTY, id, "{\"action\":\"confirm\",\"side\":\"mentor\"}"), "proposed");
	refused(COUNTY, id, "{\"action\":\"confirm\",\"side\":\"mentor\"}", 409);
	refused(COUNTY, id, "{\"action\":\"activate\"}", 409);
	p = step(COUNTY, id, "{\"action\":\"confirm\",\"side\":\"mentee\"}");
	assert_true(json_is_true(json_object_get(p, "mentor_confirmed")));
	assert_true(json_is_true(json_object_get(p, "mentee_confirmed")));
	expect_status(p, "confirmed");
	/* confirmed: only the ceremony (with date and place) or dissolve */
	refused(COUNTY, id, "{\"action\":\"confirm\",\"side\":\"mentee\"}", 409);
	refused(COUNTY, id, "{\"action\":\"activate\"}", 409);
	refused(COUNTY, id, "{\"action\":\"complete\"}", 409);
	refused(COUNTY, id, "{\"action\":\"ceremony\",\"date\":\"2025-01-08\"}", 400);
	refused(COUNTY, id, "{\"action\":\"ceremony\",\"date\":\"2025-02-30\",\"place\":\"x\"}", 400);
	p = step(COUNTY, id, "{\"action\":\"ceremony\",\"date\":\"2025-01-08\",\"place\":\"结对测试镇党群服务中心\"}");
	json_t *c = json_object_get(p, "ceremony");
	assert_string_equal(js(c, "date"), "2025-01-08");
	assert_string_equal(js(c, "place"), "结对测试镇党群服务中心");
	assert_memory_equal(js(c, "letter_no"), "YCJD-2025-", 10);
	expect_status(p, "ceremony");
	refused(COUNTY, id, "{\"action\":\"ceremony\",\"date\":\"2025-01-09\",\"place\":\"y\"}", 409);
	refused(COUNTY, id, "{\"action\":\"confirm\",\"side\":\"mentor\"}", 409);
	refused(COUNTY, id, "{\"action\":\"complete\"}", 409);
	p = step(COUNTY, id, "{\"action\":\"activate\",\"date\":\"2025-01-10\"}");
	assert_string_equal(js(p, "start_date"), "2025-01-10");
	expect_status(p, "active");
	refused(COUNTY, id, "{\"action\":\"activate\"}", 409);
	refused(COUNTY, id, "{\"action\":\"ceremony\",\"date\":\"2025-01-09\",\"place\":\"y\"}", 409);
	refused(COUNTY, id, "{\"action\":\"confirm\",\"side\":\"mentee\"}", 409);
	refused(COUNTY, id, "{\"action\":\"complete\",\"date\":\"2024-12-31\"}", 422);
	p = step(COUNTY, id, "{\"action\":\"complete\",\"date\":\"2025-12-31\"}");
	assert_string_equal(js(p, "end_date"), "2025-12-31");
	expect_status(p, "completed");
	const char *after_end[] = {"{\"action\":\"complete\"}", "{\"action\":\"activate\"}",
				   "{\"action\":\"dissolve\",\"reason\":\"x\"}",
				   "{\"action\":\"confirm\",\"side\":\"mentor\"}"};
	for (size_t i = 0; i < 4; i++)
		refused(COUNTY, id, after_end[i], 409);
	/* The history has every step. */
	json_t *h = getf(CITY, 200, API "/pairings/%lld/transitions", (long long)id);
	const char *steps[] = {"create", "confirm", "confirm", "ceremony", "activate", "complete"};
	assert_int_equal(json_array_size(json_object_get(h, "items")), 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(js(json_array_get(json_object_get(h, "items"), i), "action"), steps[i]);
	json_decref(h);
	/* Dissolving needs a reason; from dissolved nothing is legal. */
	json_int_t id2 = new_pairing(c_mentor, c_mentees[2], 201);
	refused(COUNTY, id2, "{\"action\":\"dissolve\"}", 400);
	p = step(COUNTY, id2, "{\"action\":\"dissolve\",\"reason\":\"帮带对象工作调动\"}");
	assert_string_equal(js(p, "reason"), "帮带对象工作调动");
	expect_status(p, "dissolved");
	refused(COUNTY, id2, "{\"action\":\"confirm\",\"side\":\"mentor\"}", 409);
	refused(COUNTY, id2, "{\"action\":\"dissolve\",\"reason\":\"again\"}", 409);
}

static void test_members_confirm_their_side(void **state)
{
	(void)state;
	/* The crafted mentor and mentee (with accounts) in one pairing. */
	json_int_t id = new_pairing(c_mentor, c_mentees[0], 201);
	refused(CMENTOR, id, "{\"action\":\"confirm\",\"side\":\"mentee\"}", 403);
	refused(CMENTEE, id, "{\"action\":\"ceremony\",\"date\":\"2025-01-08\",\"place\":\"x\"}", 403);
	refused(MENTOR, id, "{\"action\":\"confirm\"}", 403);  /* not its pairing */
	refused(AUDITOR, id, "{\"action\":\"confirm\"}", 403); /* read only */
	refused(COUNTY_LW, id, "{\"action\":\"confirm\",\"side\":\"mentor\"}", 403);
	expect_status(step(CMENTOR, id, "{\"action\":\"confirm\"}"), "proposed");
	refused(CMENTOR, id, "{\"action\":\"confirm\"}", 409);
	expect_status(step(CMENTEE, id, "{\"action\":\"confirm\"}"), "confirmed");
	expect_status(step(COUNTY, id, "{\"action\":\"ceremony\",\"date\":\"2025-01-08\",\"place\":\"结对测试镇\"}"),
		      "ceremony");
	/* (It starts in 2026: the due list of 2025 below is another's.) */
	expect_status(step(COUNTY, id, "{\"action\":\"activate\",\"date\":\"2026-01-10\"}"), "active");
	/* The members read it; others do not. */
	json_decref(getf(CMENTOR, 200, API "/pairings/%lld", (long long)id));
	json_decref(getf(CMENTEE, 200, API "/pairings/%lld", (long long)id));
	json_decref(getf(MENTEE, 403, API "/pairings/%lld", (long long)id));
	json_decref(getf(TOWNSHIP, 403, API "/pairings/%lld", (long long)id)); /* 习岗镇 */
	json_decref(getf(COUNTY_LW, 403, API "/pairings/%lld", (long long)id));
	json_decref(getf(AUDITOR, 200, API "/pairings/%lld", (long long)id));
	json_t *own = call(CMENTOR, "GET", API "/pairings", NULL, 200);
	assert_int_equal(ji(own, "total"), json_array_size(json_object_get(own, "items")));
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(own, "items"), i, it) {
		json_t *ms = json_object_get(it, "mentors");
		bool mine = false;
		size_t k;
		json_t *m;
		json_array_foreach(ms, k, m) mine = mine || json_integer_value(m) == c_mentor;
		assert_true(mine);
	}
	json_decref(own);
	expect(CMENTEE, "GET", API "/pairings/999999999", NULL, 404);
	expect(NWHO, "GET", API "/pairings/1", NULL, 401);
}

static void test_capacity(void **state)
{
	(void)state;
	/* 丙 has one place. */
	json_int_t a = new_pairing(c_mentor_full, c_mentees[3], 201);
	json_t *before = getf(CITY, 200, API "/pairings?limit=1");
	new_pairing(c_mentor_full, c_mentees[4], 409);
	json_t *after = getf(CITY, 200, API "/pairings?limit=1");
	assert_int_equal(ji(before, "total"), ji(after, "total"));
	json_decref(before);
	json_decref(after);
	/* A mentee in an open pairing is not paired again. */
	new_pairing(c_mentor2, c_mentees[3], 409);
	/* Nor can a full mentor come in as a substitute. */
	json_int_t b = new_pairing(c_mentor2, c_mentees[5], 201);
	char body[200];
	snprintf(body, sizeof body, "{\"old_mentor\":%lld,\"new_mentor\":%lld,\"reason\":\"调整\"}",
		 (long long)c_mentor2, (long long)c_mentor_full);
	char *pb = pairing_text(b);
	json_decref(postf(COUNTY, 409, body, API "/pairings/%lld/substitute", (long long)b));
	char *pa = pairing_text(b);
	assert_string_equal(pb, pa);
	free(pb);
	free(pa);
	/* Dissolved, the place is free again. */
	expect_status(step(COUNTY, a, "{\"action\":\"dissolve\",\"reason\":\"调整\"}"), "dissolved");
	json_int_t c2 = new_pairing(c_mentor_full, c_mentees[4], 201);
	assert_true(c2 > 0);
	/* Capacity cannot be edited below the open pairings: 2 places, 2 open,
	 * lowering to 1 is refused on the field and changes nothing. */
	char mpath[80];
	snprintf(mpath, sizeof mpath, API "/mentors/%lld", (long long)c_mentor_full);
	json_decref(call(COUNTY, "PATCH", mpath, "{\"capacity\":2}", 200));
	json_int_t c3 = new_pairing(c_mentor_full, c_mentees[7], 201);
	json_t *err = call(COUNTY, "PATCH", mpath, "{\"capacity\":1}", 409);
	assert_string_equal(json_string_value(json_object_get(json_object_get(err, "error"), "field")),
			    "capacity");
	json_decref(err);
	json_t *mm = call(COUNTY, "GET", mpath, NULL, 200);
	assert_int_equal(ji(mm, "capacity"), 2);
	json_decref(mm);
	expect_status(step(COUNTY, c3, "{\"action\":\"dissolve\",\"reason\":\"调整\"}"), "dissolved");
	json_decref(call(COUNTY, "PATCH", mpath, "{\"capacity\":1}", 200));
	/* Substitution keeps the history: 乙 hands pairing b to 甲. */
	snprintf(body, sizeof body, "{\"old_mentor\":%lld,\"new_mentor\":%lld,\"reason\":\"工作调整\"}",
		 (long long)c_mentor2, (long long)c_mentor);
	json_t *p = postf(COUNTY, 200, body, API "/pairings/%lld/substitute", (long long)b);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(p, "mentors"), 0)), c_mentor);
	int members = 0, ended = 0;
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(p, "members"), i, m) {
		members++;
		ended += json_is_string(json_object_get(m, "until"));
	}
	assert_int_equal(members, 3);
	assert_int_equal(ended, 1);
	json_decref(p);
	snprintf(body, sizeof body, "{\"old_mentor\":%lld,\"new_mentor\":%lld,\"reason\":\"x\"}",
		 (long long)c_mentor2, (long long)c_mentor);
	json_decref(postf(COUNTY, 422, body, API "/pairings/%lld/substitute", (long long)b));
	json_decref(postf(TOWNSHIP, 403, body, API "/pairings/%lld/substitute", (long long)b));
	/* A mentor cannot make pairings at all. */
	snprintf(body, sizeof body, "{\"mentors\":[%lld],\"mentees\":[%lld]}", (long long)c_mentor,
		 (long long)c_mentees[6]);
	expect(CMENTOR, "POST", API "/pairings", body, 403);
	expect(COUNTY_LW, "POST", API "/pairings", body, 403);
	snprintf(body, sizeof body, "{\"mentors\":[%lld],\"mentees\":[%lld],\"mode\":\"N:1\"}",
		 (long long)c_mentor, (long long)c_mentees[6]);
	expect(COUNTY, "POST", API "/pairings", body, 400);
}

/* ---- the due list on a fixed date -------------------------------------------------------- */

static json_int_t due_pairing;
static json_int_t due_items[4]; /* D1 done, D2 open overdue, T1 open soon, T2 later */

/*
 * The crafted pairing of 2025 (mentor 乙, mentee 6): active from
 * 2025-01-10; visits in January and March only; monthly check-ins for
 * January to March and the first quarter's symposium; a plan of four
 * items. On 2025-05-10 (horizon 14 days, so up to 2025-05-24) it owes:
 *   visit 2025-02 (due 02-28, 71 days late), visit 2025-04 (04-30, 10),
 *   monthly 2025-04 (04-30, 10), duty D2 (04-20, 20), task T1 (05-20, -10).
 * The other pairings of the township are not active (completed,
 * dissolved, proposed) or started in 2026.
 */
static void craft_due(void)
{
	char body[1024];
	snprintf(body, sizeof body, "{\"mentors\":[%lld],\"mentees\":[%lld]}", (long long)c_mentor2,
		 (long long)c_mentees[6]);
	json_t *p = call(COUNTY, "POST", API "/pairings", body, 201);
	due_pairing = ji(p, "id");
	json_decref(p);
	json_decref(step(COUNTY, due_pairing, "{\"action\":\"confirm\",\"side\":\"mentor\"}"));
	json_decref(step(COUNTY, due_pairing, "{\"action\":\"confirm\",\"side\":\"mentee\"}"));
	json_decref(step(COUNTY, due_pairing, "{\"action\":\"ceremony\",\"date\":\"2025-01-08\",\"place\":\"结对测试镇\"}"));
	json_decref(step(COUNTY, due_pairing, "{\"action\":\"activate\",\"date\":\"2025-01-10\"}"));
	const char *visits[] = {"2025-01-20", "2025-03-15"};
	for (int i = 0; i < 2; i++) {
		snprintf(body, sizeof body,
			 "{\"type\":\"supervision_visit\",\"title\":\"共同下村督导调研\",\"date\":\"%s\","
			 "\"place\":\"结对测试村\",\"trained\":2,\"pairings\":[%lld]}",
			 visits[i], (long long)due_pairing);
		expect(COUNTY, "POST", API "/activities", body, 201);
	}
	/* Another kind of activity does not count as a visit. */
	snprintf(body, sizeof body,
		 "{\"type\":\"onsite_learning\",\"title\":\"现场帮学\",\"date\":\"2025-02-10\","
		 "\"trained\":5,\"pairings\":[%lld]}",
		 (long long)due_pairing);
	expect(COUNTY, "POST", API "/activities", body, 201);
	const struct {
		const char *kind, *period, *date;
		int score;
	} evals[] = {{"monthly", "2025-01", "2025-02-02", 88},
		     {"monthly", "2025-02", "2025-03-03", 76},
		     {"monthly", "2025-03", "2025-04-02", 91},
		     {"quarterly", "2025-Q1", "2025-04-03", 85}};
	for (int i = 0; i < 4; i++) {
		snprintf(body, sizeof body,
			 "{\"kind\":\"%s\",\"period\":\"%s\",\"date\":\"%s\",\"score\":%d,\"comment\":\"ok\"}",
			 evals[i].kind, evals[i].period, evals[i].date, evals[i].score);
		json_t *v = postf(COUNTY, 201, body, API "/pairings/%lld/evaluations", (long long)due_pairing);
		assert_string_equal(js(v, "grade"), evals[i].score >= 90 ? "excellent"
						    : evals[i].score >= 75 ? "good" : "pass");
		json_decref(v);
	}
	json_t *plan = postf(COUNTY, 201, "{\"year\":2025}", API "/pairings/%lld/plans", (long long)due_pairing);
	json_int_t plan_id = ji(plan, "id");
	assert_string_equal(js(plan, "status"), "draft");
	assert_true(json_array_size(json_object_get(plan, "items")) >= 6);
	json_decref(plan);
	plan = call(COUNTY, "PATCH", API "/plans/0", NULL, 404);
	json_decref(plan);
	char path[128];
	snprintf(path, sizeof path, API "/plans/%lld", (long long)plan_id);
	plan = call(COUNTY, "PATCH", path,
		    "{\"items\":[{\"side\":\"mentor\",\"title\":\"D1 制定成长目标\",\"due\":\"2025-02-15\"},"
		    "{\"side\":\"mentor\",\"title\":\"D2 专题指导\",\"due\":\"2025-04-20\"},"
		    "{\"side\":\"mentee\",\"title\":\"T1 实践报告\",\"due\":\"2025-05-20\"},"
		    "{\"side\":\"mentee\",\"title\":\"T2 成长报告\",\"due\":\"2025-06-30\"}]}",
		    200);
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(plan, "items"), i, it) {
		assert_true(i < 4);
		due_items[i] = ji(it, "id");
	}
	json_decref(plan);
	/* Items are reported only on an approved plan. */
	snprintf(path, sizeof path, API "/plan-items/%lld", (long long)due_items[0]);
	expect(COUNTY, "PATCH", path, "{\"status\":\"done\",\"evidence\":\"记录\"}", 409);
	json_decref(postf(CMENTEE, 403, NULL, API "/plans/%lld/approve", (long long)plan_id));
	json_decref(postf(COUNTY, 200, NULL, API "/plans/%lld/approve", (long long)plan_id));
	json_decref(postf(COUNTY, 409, NULL, API "/plans/%lld/approve", (long long)plan_id));
	snprintf(path, sizeof path, API "/plans/%lld", (long long)plan_id);
	expect(COUNTY, "PATCH", path, "{\"items\":[{\"side\":\"mentor\",\"title\":\"x\",\"due\":\"2025-02-15\"}]}", 409);
	snprintf(path, sizeof path, API "/plan-items/%lld", (long long)due_items[0]);
	expect(COUNTY, "PATCH", path, "{\"status\":\"done\"}", 422); /* evidence required */
	json_t *d1 = call(COUNTY, "PATCH", path,
			  "{\"status\":\"done\",\"evidence\":\"成长目标书已签字归档\",\"completed_on\":\"2025-02-12\"}",
			  200);
	assert_string_equal(js(d1, "completed_on"), "2025-02-12");
	json_decref(d1);
}

struct want_due {
	const char *kind, *due;
	long overdue;
	const char *period;
	int item; /* index into due_items, or -1 */
};

static void check_due(json_t *items)
{
	const struct want_due want[] = {
		{"visit", "2025-02-28", 71, "2025-02", -1},
		{"duty", "2025-04-20", 20, NULL, 1},
		{"visit", "2025-04-30", 10, "2025-04", -1},
		{"monthly", "2025-04-30", 10, "2025-04", -1},
		{"task", "2025-05-20", -10, NULL, 2},
	};
	size_t n = 0, i;
	json_t *it;
	json_array_foreach(items, i, it) {
		if (ji(it, "pairing") != due_pairing)
			continue;
		assert_true(n < sizeof want / sizeof want[0]);
		const struct want_due *w = &want[n++];
		assert_string_equal(js(it, "kind"), w->kind);
		assert_string_equal(js(it, "due"), w->due);
		assert_int_equal(ji(it, "overdue_days"), w->overdue);
		if (w->period)
			assert_string_equal(js(it, "period"), w->period);
		if (w->item >= 0)
			assert_int_equal(ji(it, "item"), due_items[w->item]);
	}
	assert_int_equal(n, sizeof want / sizeof want[0]);
}

static void test_due_list(void **state)
{
	(void)state;
	craft_due();
	json_t *d = getf(COUNTY, 200, API "/due?region=" TOWN "&date=2025-05-10");
	assert_string_equal(js(d, "date"), "2025-05-10");
	/* Every item of the township is the crafted pairing's (the others
	 * are not active, or started after 2025-05-24). */
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(d, "items"), i, it)
		assert_int_equal(ji(it, "pairing"), due_pairing);
	assert_int_equal(ji(d, "total"), 5);
	assert_int_equal(ji(d, "overdue"), 4);
	check_due(json_object_get(d, "items"));
	/* One page: the same items from the offset, the totals of the whole
	 * list; past the end, no items. */
	json_t *pg = getf(COUNTY, 200, API "/due?region=" TOWN "&date=2025-05-10&limit=2&offset=1");
	assert_int_equal(json_array_size(json_object_get(pg, "items")), 2);
	for (size_t k = 0; k < 2; k++)
		assert_string_equal(js(json_array_get(json_object_get(pg, "items"), k), "code"),
				    js(json_array_get(json_object_get(d, "items"), k + 1), "code"));
	assert_int_equal(ji(pg, "total"), 5);
	assert_int_equal(ji(pg, "overdue"), 4);
	assert_int_equal(ji(pg, "limit"), 2);
	assert_int_equal(ji(pg, "offset"), 1);
	json_decref(pg);
	pg = getf(COUNTY, 200, API "/due?region=" TOWN "&date=2025-05-10&limit=3&offset=5");
	assert_int_equal(json_array_size(json_object_get(pg, "items")), 0);
	assert_int_equal(ji(pg, "total"), 5);
	json_decref(pg);
	json_decref(getf(COUNTY, 400, API "/due?region=" TOWN "&limit=-1"));
	json_decref(d);
	/* The same on the command line, as JSON lines. */
	char cmd[1024], line[4096];
	snprintf(cmd, sizeof cmd, "%s due --db '%s' --region " TOWN " --date 2025-05-10", bin(), db.uri);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	json_t *items = json_array();
	while (fgets(line, sizeof line, f)) {
		json_error_t err;
		json_t *j = json_loads(line, 0, &err);
		assert_non_null(j);
		assert_non_null(json_object_get(j, "kind"));
		assert_non_null(json_object_get(j, "pairing"));
		assert_non_null(json_object_get(j, "due"));
		assert_non_null(json_object_get(j, "overdue_days"));
		json_array_append_new(items, j);
	}
	assert_int_equal(pclose(f), 0);
	assert_int_equal(json_array_size(items), 5);
	check_due(items);
	json_decref(items);
	/* Visits fill the gaps; the list shrinks by exactly those. */
	char body[512];
	snprintf(body, sizeof body,
		 "{\"type\":\"supervision_visit\",\"title\":\"补记督导调研\",\"date\":\"2025-02-20\","
		 "\"pairings\":[%lld]}",
		 (long long)due_pairing);
	expect(COUNTY, "POST", API "/activities", body, 201);
	d = getf(COUNTY, 200, API "/due?region=" TOWN "&date=2025-05-10");
	assert_int_equal(ji(d, "total"), 4);
	json_decref(d);
	/* Who may ask. */
	expect(COUNTY_LW, "GET", API "/due?region=" TOWN "&date=2025-05-10", NULL, 403);
	expect(MENTOR, "GET", API "/due?region=" TOWN, NULL, 403);
	expect(COUNTY, "GET", API "/due?region=" TOWN "&date=2025-13-01", NULL, 400);
	d = getf(AUDITOR, 200, API "/due?region=" TOWN "&date=2025-05-10");
	assert_int_equal(ji(d, "total"), 4);
	json_decref(d);
	snprintf(cmd, sizeof cmd, "%s due --db '%s' --region nowhere >/dev/null 2>&1", bin(), db.uri);
	assert_true(system(cmd) != 0);
}

/* ---- plans, activities, logs, evaluations ------------------------------------------------------ */

static json_int_t demo_pairing(enum who w)
{
	json_t *l = call(w, "GET", API "/pairings?status=active", NULL, 200);
	json_int_t id = ji(json_array_get(json_object_get(l, "items"), 0), "id");
	json_decref(l);
	assert_true(id > 0);
	return id;
}

static void test_members_work(void **state)
{
	(void)state;
	json_int_t own = demo_pairing(MENTOR);
	/* The demo mentor and mentee share this active pairing. */
	json_t *p = getf(MENTEE, 200, API "/pairings/%lld", (long long)own);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(p, "mentees"), 0)), demo_mentee);
	json_decref(p);
	/* A year of life is there. */
	json_t *acts = getf(MENTOR, 200, API "/pairings/%lld/activities", (long long)own);
	assert_true(ji(acts, "total") >= 10);
	json_decref(acts);
	json_t *plans = getf(MENTEE, 200, API "/pairings/%lld/plans", (long long)own);
	json_t *plan = json_array_get(json_object_get(plans, "items"), 0);
	assert_string_equal(js(plan, "status"), "approved");
	json_int_t duty = 0, task = 0;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(plan, "items"), i, it) {
		if (!duty && !strcmp(js(it, "side"), "mentor"))
			duty = ji(it, "id");
		if (!task && !strcmp(js(it, "side"), "mentee"))
			task = ji(it, "id");
	}
	json_decref(plans);
	char path[128];
	/* Each member reports on its own list. */
	snprintf(path, sizeof path, API "/plan-items/%lld", (long long)duty);
	expect(MENTEE, "PATCH", path, "{\"evidence\":\"x\"}", 403);
	expect(CMENTOR, "PATCH", path, "{\"evidence\":\"x\"}", 403);
	json_t *r = call(MENTOR, "PATCH", path, "{\"evidence\":\"指导记录三份\"}", 200);
	assert_string_equal(js(r, "evidence"), "指导记录三份");
	json_decref(r);
	expect(MENTOR, "PATCH", path, "{\"status\":\"dropped\"}", 403);
	snprintf(path, sizeof path, API "/plan-items/%lld", (long long)task);
	expect(MENTOR, "PATCH", path, "{\"evidence\":\"x\"}", 403);
	json_decref(call(MENTOR, "GET", path, NULL, 200)); /* its pairing's plan: readable */
	expect(CMENTOR, "GET", path, NULL, 403);
	expect(COUNTY_LW, "GET", path, NULL, 403);
	expect(MENTEE, "PATCH", path, "{\"status\":\"done\",\"evidence\":\"实践报告已提交\"}", 200);
	/* Logs: written by members, edited by the author only. */
	json_t *lg = postf(MENTOR, 201, "{\"content\":\"与帮带对象共同走访农户。\"}",
			   API "/pairings/%lld/logs", (long long)own);
	json_int_t log_id = ji(lg, "id");
	assert_string_equal(js(lg, "side"), "mentor");
	json_decref(lg);
	json_decref(postf(CITY, 403, "{\"content\":\"x\"}", API "/pairings/%lld/logs", (long long)own));
	json_decref(postf(CMENTOR, 403, "{\"content\":\"x\"}", API "/pairings/%lld/logs", (long long)own));
	json_decref(postf(MENTEE, 201, "{\"content\":\"跟随导师学习。\"}", API "/pairings/%lld/logs", (long long)own));
	snprintf(path, sizeof path, API "/logs/%lld", (long long)log_id);
	expect(MENTEE, "PATCH", path, "{\"content\":\"改写\"}", 403);
	r = call(MENTOR, "PATCH", path, "{\"content\":\"与帮带对象共同走访农户五户。\"}", 200);
	assert_string_equal(js(r, "content"), "与帮带对象共同走访农户五户。");
	json_decref(r);
	expect(MENTOR, "PATCH", path, "{\"date\":\"2199-01-01\"}", 422);
	/* An old log (written by the demo months ago) is past the window. */
	json_t *logs = getf(MENTOR, 200, API "/pairings/%lld/logs", (long long)own);
	json_int_t old = 0;
	json_array_foreach(json_object_get(logs, "items"), i, it)
		if (!strcmp(js(it, "side"), "mentor") && ji(it, "id") != log_id)
			old = ji(it, "id");
	json_decref(logs);
	assert_true(old > 0);
	snprintf(path, sizeof path, API "/logs/%lld", (long long)old);
	expect(MENTOR, "PATCH", path, "{\"content\":\"补改\"}", 409);
	/* Activities: a mentor records its own pairings' only. */
	char body[512];
	snprintf(body, sizeof body,
		 "{\"type\":\"practice_classroom\",\"title\":\"实践课堂:矛盾调解\",\"date\":\"2025-06-01\","
		 "\"trained\":30,\"pairings\":[%lld]}",
		 (long long)own);
	json_t *a = call(MENTOR, "POST", API "/activities", body, 201);
	assert_int_equal(ji(a, "trained"), 30);
	json_decref(a);
	snprintf(body, sizeof body,
		 "{\"type\":\"practice_classroom\",\"title\":\"x\",\"date\":\"2025-06-01\",\"pairings\":[%lld]}",
		 (long long)due_pairing);
	expect(MENTOR, "POST", API "/activities", body, 403);
	expect(COUNTY_LW, "POST", API "/activities", body, 403);
	expect(AUDITOR, "POST", API "/activities", body, 403);
	snprintf(body, sizeof body,
		 "{\"type\":\"magic\",\"title\":\"x\",\"date\":\"2025-06-01\",\"pairings\":[%lld]}",
		 (long long)due_pairing);
	expect(COUNTY, "POST", API "/activities", body, 400);
	snprintf(body, sizeof body,
		 "{\"type\":\"forum\",\"title\":\"x\",\"date\":\"2199-06-01\",\"region\":\"640122\"}");
	expect(COUNTY, "POST", API "/activities", body, 422);
	expect(COUNTY, "POST", API "/activities", "{\"type\":\"forum\",\"title\":\"导师论坛\",\"date\":\"2025-06-01\",\"region\":\"640181\"}", 403);
	json_t *f = call(COUNTY, "POST", API "/activities",
			 "{\"type\":\"forum\",\"title\":\"导师论坛\",\"date\":\"2025-06-01\",\"region\":\"640122\",\"trained\":80}",
			 201);
	snprintf(path, sizeof path, API "/activities/%lld", (long long)ji(f, "id"));
	json_decref(f);
	f = call(COUNTY, "PATCH", path, "{\"summary\":\"交流徒成师经验\"}", 200);
	assert_string_equal(js(f, "summary"), "交流徒成师经验");
	json_decref(f);
	expect(COUNTY_LW, "PATCH", path, "{\"summary\":\"x\"}", 403);
	expect(COUNTY_LW, "GET", path, NULL, 403);
	/* Lists are the jurisdiction's; members have none. */
	json_t *l = getf(COUNTY, 200, API "/activities?kind=practice_classroom&limit=500");
	json_array_foreach(json_object_get(l, "items"), i, it)
		assert_memory_equal(js(it, "region"), "640122", 6);
	json_decref(l);
	expect(MENTOR, "GET", API "/activities", NULL, 403);
	expect(MENTEE, "GET", API "/logs", NULL, 403);
	expect(MENTOR, "GET", API "/evaluations", NULL, 403);
	expect(MENTEE, "GET", API "/plans", NULL, 403);
	l = getf(COUNTY_LW, 200, API "/logs?limit=500");
	json_array_foreach(json_object_get(l, "items"), i, it)
		assert_memory_equal(js(it, "region"), "640181", 6);
	json_decref(l);
	/* Evaluations: one per kind and period; the grade from the score. */
	json_t *v = postf(COUNTY, 201, "{\"kind\":\"yearly\",\"period\":\"2024\",\"score\":93}",
			  API "/pairings/%lld/evaluations", (long long)own);
	assert_string_equal(js(v, "grade"), "excellent");
	json_decref(v);
	json_decref(postf(COUNTY, 409, "{\"kind\":\"yearly\",\"period\":\"2024\",\"score\":50}",
			  API "/pairings/%lld/evaluations", (long long)own));
	json_decref(postf(COUNTY, 400, "{\"kind\":\"yearly\",\"period\":\"2024-Q1\",\"score\":50}",
			  API "/pairings/%lld/evaluations", (long long)own));
	json_decref(postf(MENTOR, 403, "{\"kind\":\"yearly\",\"period\":\"2023\",\"score\":50}",
			  API "/pairings/%lld/evaluations", (long long)own));
	json_decref(postf(COUNTY_LW, 403, "{\"kind\":\"yearly\",\"period\":\"2023\",\"score\":50}",
			  API "/pairings/%lld/evaluations", (long long)own));
	json_t *e = getf(MENTEE, 200, API "/pairings/%lld/evaluations", (long long)own);
	assert_true(ji(e, "total") >= 10);
	json_decref(e);
	/* Another's pairing is closed to a member. */
	json_decref(getf(MENTOR, 403, API "/pairings/%lld/logs", (long long)due_pairing));
	json_decref(getf(MENTEE, 403, API "/pairings/%lld/plans", (long long)due_pairing));
	json_decref(getf(COUNTY_LW, 403, API "/pairings/%lld/activities", (long long)due_pairing));
	/* Settings: the city changes the grades' words, nobody else. */
	expect(COUNTY, "PATCH", API "/life/settings/log_edit_days", "{\"value\":\"3\"}", 403);
	expect(CITY, "PATCH", API "/life/settings/log_edit_days", "{\"value\":\"x\"}", 400);
	expect(CITY, "PATCH", API "/life/settings/nothing", "{\"value\":\"1\"}", 404);
	json_t *s = call(CITY, "PATCH", API "/life/settings/log_edit_days", "{\"value\":\"10\"}", 200);
	json_decref(s);
	s = call(AUDITOR, "GET", API "/life/settings", NULL, 200);
	assert_int_equal(json_array_size(json_object_get(s, "grades")), 4);
	json_decref(s);
	/* A mentor reads them too (the web form's ten activity types and the
	 * log editing window), but may not change them. */
	s = call(MENTOR, "GET", API "/life/settings", NULL, 200);
	assert_int_equal(json_array_size(json_object_get(s, "activity_types")), 10);
	assert_int_equal(json_array_size(json_object_get(s, "evaluation_kinds")), 4);
	json_decref(s);
	expect(MENTOR, "PATCH", API "/life/settings/log_edit_days", "{\"value\":\"3\"}", 403);
}

/* ---- documents ---------------------------------------------------------------------------- */

static char *run_text(const char *cmd)
{
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	size_t cap = 1 << 16, n = 0;
	char *out = malloc(cap);
	assert_non_null(out);
	size_t got;
	while ((got = fread(out + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 == cap) {
			cap *= 2;
			out = realloc(out, cap);
			assert_non_null(out);
		}
	}
	out[n] = '\0';
	assert_int_equal(pclose(f), 0);
	return out;
}

static char tmpdir[64];

/* Fetch a PDF as `w` into FILE and return its text (pdftotext). */
static char *fetch_pdf(enum who w, const char *path, const char *file)
{
	struct httpc_response r;
	assert_int_equal(httpc_request(srv.port, "GET", path, tokens[w], NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(httpc_header(&r, "Content-Type"), "application/pdf");
	assert_memory_equal(r.body, "%PDF-", 5);
	char out[160], cmd[320];
	snprintf(out, sizeof out, "%s/%s", tmpdir, file);
	FILE *f = fopen(out, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(r.body, 1, r.body_len, f), r.body_len);
	fclose(f);
	httpc_response_release(&r);
	snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' -", out);
	return run_text(cmd);
}

static void test_documents(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/bangdai-life-pdf-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	json_t *me = getf(MENTEE, 200, API "/mentees/%lld", (long long)demo_mentee);
	char name[128];
	snprintf(name, sizeof name, "%s", js(me, "name"));
	json_decref(me);
	static const char *const sections[] = {"一人一册", "基本情况", "帮带对子与导师",
					       "年度帮带培养计划", "帮带活动", "工作日志",
					       "考评记录", "第1页"};
	char path[160];
	snprintf(path, sizeof path, API "/mentees/%lld/archive.pdf", (long long)demo_mentee);
	char *text = fetch_pdf(MENTEE, path, "archive.pdf");
	assert_non_null(strstr(text, name));
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		if (!strstr(text, sections[i]))
			fprintf(stderr, "archive text lacks %s:\n%.2000s\n", sections[i], text);
		assert_non_null(strstr(text, sections[i]));
	}
	free(text);
	/* pdftoppm renders the first page (the README's screenshot). */
	char cmd[512];
	snprintf(cmd, sizeof cmd, "pdftoppm -r 40 -png -f 1 -l 1 '%s/archive.pdf' '%s/page' && test -s '%s/page-1.png'",
		 tmpdir, tmpdir, tmpdir);
	if (system(cmd) != 0) {
		snprintf(cmd, sizeof cmd, "test -s '%s/page-01.png' || ls '%s'", tmpdir, tmpdir);
		assert_int_equal(system(cmd), 0);
	}
	/* The same from the command line. */
	snprintf(cmd, sizeof cmd, "%s archive --db '%s' --mentee %lld --out '%s/cli.pdf' && pdftotext -enc UTF-8 '%s/cli.pdf' -",
		 bin(), db.uri, (long long)demo_mentee, tmpdir, tmpdir);
	text = run_text(cmd);
	assert_non_null(strstr(text, name));
	assert_non_null(strstr(text, "考评记录"));
	free(text);
	/* Others' archives are closed; the HTML and JSON say the same. */
	snprintf(path, sizeof path, API "/mentees/%lld/archive.pdf", (long long)c_mentees[1]);
	expect(MENTEE, "GET", path, NULL, 403);
	expect(MENTOR, "GET", path, NULL, 403);
	expect(COUNTY_LW, "GET", path, NULL, 403);
	snprintf(path, sizeof path, API "/mentees/%lld/archive", (long long)demo_mentee);
	json_t *ar = call(COUNTY, "GET", path, NULL, 200);
	assert_string_equal(js(json_object_get(ar, "mentee"), "name"), name);
	assert_true(json_array_size(json_object_get(ar, "pairings")) >= 1);
	json_decref(ar);
	snprintf(path, sizeof path, API "/mentees/%lld/archive.html", (long long)demo_mentee);
	struct httpc_response r;
	assert_int_equal(httpc_request(srv.port, "GET", path, tokens[AUDITOR], NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, name));
	assert_non_null(strstr(r.body, "年度帮带培养计划"));
	httpc_response_release(&r);
	/* The appointment letter and the pairing agreement. */
	snprintf(path, sizeof path, API "/mentors/%lld/letter.pdf", (long long)demo_mentor);
	text = fetch_pdf(MENTOR, path, "letter.pdf");
	assert_non_null(strstr(text, "聘"));
	assert_non_null(strstr(text, "YCDS-"));
	free(text);
	snprintf(path, sizeof path, API "/mentors/%lld/letter.pdf", (long long)c_mentor);
	expect(MENTOR, "GET", path, NULL, 403);
	json_int_t own = demo_pairing(MENTEE);
	snprintf(path, sizeof path, API "/pairings/%lld/agreement.pdf", (long long)own);
	text = fetch_pdf(MENTEE, path, "agreement.pdf");
	assert_non_null(strstr(text, "结对协议书"));
	assert_non_null(strstr(text, "YCJD-"));
	assert_non_null(strstr(text, name));
	free(text);
	snprintf(path, sizeof path, API "/pairings/%lld/agreement.pdf", (long long)due_pairing);
	expect(MENTEE, "GET", path, NULL, 403);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	assert_int_equal(system(cmd), 0);
}

/* ---- escalations, ranking, projects, graduation and lineage ------------------------------------- */

static void test_watch_and_hand_on(void **state)
{
	(void)state;
	json_t *e = call(AUDITOR, "GET", API "/escalations", NULL, 200);
	json_t *by = json_object_get(e, "by_level");
	json_int_t all = ji(by, "township") + ji(by, "county") + ji(by, "city");
	assert_true(all >= 3);
	assert_int_equal(ji(e, "total"), all);
	json_decref(e);
	e = call(CITY, "GET", API "/escalations", NULL, 200);
	size_t i;
	json_t *it;
	json_int_t to_city = 0;
	json_array_foreach(json_object_get(e, "items"), i, it) {
		bool mine = json_is_true(json_object_get(it, "to_you"));
		assert_true(mine == !strcmp(js(it, "level"), "city"));
		to_city += mine;
		assert_true(ji(it, "silent_days") >= 30);
	}
	assert_int_equal(to_city, ji(json_object_get(e, "by_level"), "city"));
	assert_int_equal(ji(e, "to_you"), to_city);
	assert_int_equal(ji(e, "total"), all);
	json_decref(e);
	e = call(COUNTY_LW, "GET", API "/escalations", NULL, 200);
	json_array_foreach(json_object_get(e, "items"), i, it)
		assert_memory_equal(js(it, "region"), "640181", 6);
	json_decref(e);
	json_t *rk = call(CITY, "GET", API "/rankings", NULL, 200);
	assert_true(json_array_size(json_object_get(json_object_get(rk, "red"), "pairings")) > 0);
	assert_true(json_array_size(json_object_get(json_object_get(rk, "yellow"), "pairings")) > 0);
	assert_true(json_array_size(json_object_get(json_object_get(rk, "red"), "townships")) > 0);
	json_decref(rk);
	expect(MENTOR, "GET", API "/rankings", NULL, 403);
	/* Projects: 30 since 2021, the first the report's 三雁工程. */
	json_t *pj = call(CITY, "GET", API "/projects?limit=100", NULL, 200);
	assert_true(ji(pj, "total") >= 30);
	bool sanyan = false;
	json_array_foreach(json_object_get(pj, "items"), i, it)
		sanyan = sanyan || (!strcmp(js(it, "name"), "三雁工程") && !strncmp(js(it, "region"), "640121", 6));
	assert_true(sanyan);
	json_decref(pj);
	json_t *np = call(COUNTY, "POST", API "/projects",
			  "{\"name\":\"结对测试示范项目\",\"region\":\"" TOWN "\",\"year\":2025}", 201);
	json_int_t pid = ji(np, "id");
	json_decref(np);
	expect(COUNTY, "POST", API "/projects", "{\"name\":\"x\",\"region\":\"640181\",\"year\":2025}", 403);
	char body[200];
	snprintf(body, sizeof body, "{\"pairings\":[%lld]}", (long long)due_pairing);
	np = postf(COUNTY, 200, body, API "/projects/%lld/pairings", (long long)pid);
	assert_int_equal(ji(np, "pairings"), 1);
	json_decref(np);
	json_decref(postf(COUNTY_LW, 403, body, API "/projects/%lld/pairings", (long long)pid));
	/* 徒成师: the mentee of the completed crafted pairing becomes a mentor. */
	json_decref(postf(COUNTY, 400, "{}", API "/mentees/%lld/graduate", (long long)c_mentees[1]));
	json_decref(postf(COUNTY_LW, 403, "{\"source\":\"veteran_cadre\"}", API "/mentees/%lld/graduate", (long long)c_mentees[1]));
	json_t *g = postf(COUNTY, 201, "{\"source\":\"veteran_cadre\",\"team_type\":\"grassroots\"}",
			  API "/mentees/%lld/graduate", (long long)c_mentees[1]);
	json_int_t grad = ji(g, "id");
	assert_int_equal(ji(g, "from_mentee"), c_mentees[1]);
	assert_string_equal(js(g, "status"), "nominated");
	json_decref(g);
	json_decref(postf(COUNTY, 409, "{\"source\":\"veteran_cadre\"}", API "/mentees/%lld/graduate", (long long)c_mentees[1]));
	json_t *lin = getf(COUNTY, 200, API "/mentors/%lld/lineage", (long long)c_mentor);
	bool found = false;
	json_array_foreach(json_object_get(lin, "trainees"), i, it) {
		json_t *b = json_object_get(it, "became_mentor");
		if (b && ji(b, "id") == grad)
			found = true;
	}
	assert_true(found);
	assert_true(ji(lin, "generations") >= 1);
	json_decref(lin);
	lin = getf(CITY, 200, API "/mentors/%lld/lineage", (long long)grad);
	json_t *anc = json_array_get(json_object_get(lin, "ancestors"), 0);
	assert_non_null(anc);
	assert_int_equal(ji(anc, "generation"), -1);
	assert_int_equal(ji(json_array_get(json_object_get(anc, "trained_by"), 0), "id"), c_mentor);
	json_decref(lin);
	json_decref(getf(CMENTOR, 200, API "/mentors/%lld/lineage", (long long)c_mentor));
	json_decref(getf(CMENTOR, 403, API "/mentors/%lld/lineage", (long long)grad));
}

/* ---- the report's figures --------------------------------------------------------------------- */

static double jd(json_t *o, const char *k) { return json_number_value(json_object_get(o, k)); }

static void test_stats_report_figures(void **state)
{
	(void)state;
	json_t *s = call(CITY, "GET", API "/stats", NULL, 200);
	json_t *pairings = json_object_get(s, "pairings"), *out = json_object_get(s, "outcomes"),
	       *acts = json_object_get(s, "activities");
	assert_true(ji(pairings, "total") >= 410);
	json_t *by_mode = json_object_get(pairings, "by_mode");
	assert_true(ji(by_mode, "1:1") > 0 && ji(by_mode, "1:N") > 0 && ji(by_mode, "N:1") > 0);
	assert_int_equal(ji(out, "rectified"), 11);
	assert_int_equal(ji(out, "upgraded"), 20);
	double demo = jd(out, "demonstration_village_pct");
	assert_true(demo >= 67 && demo <= 73);
	double three = jd(out, "three_star_change_pct");
	assert_true(three >= 9 && three <= 11);
	assert_true(ji(out, "people_trained") > 1000);
	json_t *by_type = json_object_get(acts, "by_type");
	assert_true(ji(by_type, "practice_classroom") >= 40);
	assert_true(ji(by_type, "onsite_learning") >= 150);
	assert_true(ji(acts, "total") > 3000);
	assert_true(json_object_size(json_object_get(acts, "by_month")) >= 11);
	assert_true(json_object_size(json_object_get(json_object_get(s, "evaluations"), "by_grade")) >= 3);
	json_decref(s);
	/* A county sees its part; a date range narrows the counts. */
	s = call(COUNTY_LW, "GET", API "/stats", NULL, 200);
	assert_true(ji(json_object_get(s, "pairings"), "total") > 50);
	assert_true(ji(json_object_get(s, "pairings"), "total") < 410);
	json_decref(s);
	s = call(CITY, "GET", API "/stats?from=2000-01-01&to=2000-12-31", NULL, 200);
	assert_int_equal(ji(json_object_get(s, "activities"), "total"), 0);
	assert_int_equal(ji(json_object_get(s, "pairings"), "total"), 0);
	json_decref(s);
	expect(CITY, "GET", API "/stats?from=yesterday", NULL, 400);
	expect(CITY, "GET", API "/stats?region=640181&to=2199-01-01", NULL, 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_report_figures),
		cmocka_unit_test(test_every_transition),
		cmocka_unit_test(test_members_confirm_their_side),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_due_list),
		cmocka_unit_test(test_members_work),
		cmocka_unit_test(test_documents),
		cmocka_unit_test(test_watch_and_hand_on),
	};
	return cmocka_run_group_tests_name("life", tests, setup, teardown);
}
