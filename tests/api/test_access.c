/*
 * test_access.c — the authorisation matrix over real HTTP against the real
 * server on the demo database (issue 2 "an access test walks every endpoint
 * for every role", issue 8 "authorisation matrix").
 *
 * The routes come from GET /api/v1/openapi.json, so a new route is walked
 * without editing this file. Every route is tried by every session (the
 * seven demo logins, a township admin of a township whose code is a prefix
 * of its sibling's, and no session at all) on objects inside and outside
 * the caller's jurisdiction, found through the city admin's lists:
 *
 *   city  another county of the city (neither 贺兰县 nor 灵武市)
 *   hl    贺兰县 640122 outside the townships below
 *   xg    习岗镇 640122100 (the demo township admin's own)
 *   sib   金贵镇 640122101, a sibling township of 习岗镇
 *   lw    灵武市 640181 (the other county admin's own)
 *   t1    township 640122901, created here, with its own township admin
 *   t10   township 6401229010, created here: its code starts with t1's
 *   self  the demo mentor's and mentee's own records
 *
 * Accounts are tried on "victim" logins made here (acc_v_*), never on the
 * sessions'. A resource with no object to find yet is tried on a missing
 * id (roles only; a note says so). ACCESS_VERBOSE=1 prints the targets,
 * cases and time per route, and the 403 answers per session.
 *
 * Matching (/match/..., /pairings): the set-up pairs the demo mentor and
 * mentee (a lock, a run of 习岗镇 approved, the lock lifted), then makes,
 * as the city admin, runs never decided in hl, xg, sib, lw, t1 and t10
 * and a ban in force in hl, xg, lw, t1 and t10; a rule is where its
 * mentee is. Deciding a run or lifting a rule uses it up: at home such a
 * write is tried on a fresh one made for the purpose, abroad on the
 * shared one, which must stay as it was (a run "proposed"). Choices are
 * tried per mentee target (a mentee its own only, 403 for another's),
 * ranks by the mentor only; pairings of a mentor or mentee are exactly
 * those that name it. Admins also name a neighbour's object in a write
 * at home (a parent run, a mentor, another county's menu): refused.
 * Reads run first, then writes.
 *
 * What is asserted, case by case: no session → 401 (public routes
 * excepted); a role the route table does not name → 403; a read outside
 * the caller's jurisdiction → 403 or 404 and never 2xx; a read inside →
 * 200; a write outside (a valid-looking body) → refused and never 2xx, and
 * the object is byte-for-byte unchanged afterwards as the city admin sees
 * it; a write inside → its success status (a harmless write: same value).
 * Then: list endpoints return exactly the rows of the caller's subtree,
 * every 403 answered is in the audit log as "denied", and the audit hash
 * chain verifies. Prints `access matrix: N cases, M denials audited, L leaks`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "../testdb.h"
#include "libhttpc.h"

#define API "/api/v1"
#define PW_DEMO "bangdai-demo"
#define PW_VICTIM "bangdai-victim-1"
#define PW_T1 "bangdai-demo-t1"
#define MARK "ACCESS-LEAK"

#define CODE_CITY "6401"
#define CODE_HL "640122"
#define CODE_XG "640122100"
#define CODE_SIB "640122101"
#define CODE_LW "640181"
#define CODE_T1 "640122901"
#define CODE_T10 "6401229010"

/* ---- sessions ------------------------------------------------------------ */

enum who { CITY, COUNTY, COUNTY_LW, TOWN, MENTOR, MENTEE, AUDITOR, T1ADM, NSESS };
#define ANON NSESS

struct sess {
	const char *login, *password;
	char token[64];
	char role[24];
	char path[160];      /* region_path of /auth/me */
	json_int_t mentor;   /* own mentor / mentee record, or 0 */
	json_int_t mentee;
	char home[160];      /* mentor, mentee: the region path of its record */
	int n403;            /* 403 answers since the audit baseline */
};

#define SESS(l, p) {.login = l, .password = p}
static struct sess S[NSESS] = {
	SESS("city_admin", PW_DEMO),     SESS("county_admin", PW_DEMO),
	SESS("county_admin_lw", PW_DEMO), SESS("township_admin", PW_DEMO),
	SESS("mentor", PW_DEMO),         SESS("mentee", PW_DEMO),
	SESS("auditor", PW_DEMO),        SESS("acc_t1_admin", PW_T1),
};

static struct httpc_server srv;
static struct testdb db; /* SQLite, or PostgreSQL under scripts/pg-test */

static const char *who_name(int w) { return w < NSESS ? S[w].login : "(anonymous)"; }

static bool is_member(int w)
{
	return w < NSESS && (!strcmp(S[w].role, "mentor") || !strcmp(S[w].role, "mentee"));
}

static int rank(const char *role)
{
	if (!strcmp(role, "city_admin"))
		return 3;
	if (!strcmp(role, "county_admin"))
		return 2;
	if (!strcmp(role, "township_admin"))
		return 1;
	return 0;
}

/* A path within a root, both "/a/b/": whole segments only. */
static bool within(const char *path, const char *root)
{
	size_t n = strlen(root);
	return n >= 2 && root[0] == '/' && root[n - 1] == '/' && strncmp(path, root, n) == 0;
}

/* ---- HTTP ----------------------------------------------------------------- */

struct resp {
	int status;
	char *body;
	json_t *j;
};

static bool counting;        /* count 403 answers per session */
static long n_requests;

static void request_tok(int w, const char *token, const char *method, const char *path,
			const char *body, struct resp *out)
{
	struct httpc_response r;
	memset(out, 0, sizeof *out);
	if (httpc_request(srv.port, method, path, token, body, &r) != 0) {
		fprintf(stderr, "no answer to %s %s as %s\n", method, path, who_name(w));
		httpc_response_release(&r);
		httpc_dump_log(&srv);
		fail();
	}
	n_requests++;
	out->status = r.status;
	out->body = strdup(r.body ? r.body : "");
	out->j = httpc_json(&r);
	httpc_response_release(&r);
	if (counting && w < NSESS && out->status == 403)
		S[w].n403++;
}

static void request(int w, const char *method, const char *path, const char *body,
		    struct resp *out)
{
	request_tok(w, w < NSESS ? S[w].token : NULL, method, path, body, out);
}

static void resp_free(struct resp *r)
{
	free(r->body);
	json_decref(r->j);
	memset(r, 0, sizeof *r);
}

/* A request that must answer `want`; returns the JSON (owned, may be NULL). */
static json_t *call(int w, const char *method, const char *path, const char *body, int want)
{
	struct resp r;
	request(w, method, path, body, &r);
	if (r.status != want) {
		fprintf(stderr, "%s %s as %s: status %d, want %d: %s\n", method, path, who_name(w),
			r.status, want, r.body);
		resp_free(&r);
		fail();
	}
	json_t *j = r.j ? json_incref(r.j) : NULL;
	resp_free(&r);
	return j;
}

static json_t *get_ok(int w, const char *path) { return call(w, "GET", path, NULL, 200); }
static json_int_t create(const char *rel, const char *body);

static const char *js(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static json_int_t ji(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

static bool list_paged(const char *rel);

/* Every row of a list, paged 500 at a time (a list that takes no paging,
 * such as /match/rules, in one answer); *total from the answer. */
static json_t *fetch_all(int w, const char *rel, json_int_t *total)
{
	json_t *all = json_array();
	json_int_t tot = 0;
	bool paged = list_paged(rel);
	for (long off = 0;; off += 500) {
		char path[512];
		if (paged)
			snprintf(path, sizeof path, API "%s%climit=500&offset=%ld", rel,
				 strchr(rel, '?') ? '&' : '?', off);
		else
			snprintf(path, sizeof path, API "%s", rel);
		json_t *j = get_ok(w, path);
		json_t *items = json_object_get(j, "items");
		tot = ji(j, "total");
		size_t got = json_array_size(items);
		json_array_extend(all, items);
		json_decref(j);
		if (!paged || got == 0 || (json_int_t)json_array_size(all) >= tot)
			break;
	}
	if (total)
		*total = tot;
	return all;
}

/* ---- regions --------------------------------------------------------------- */

struct region {
	char code[40];
	char path[160];
	int level;
};
static struct region *regs;
static size_t nregs, capregs;

static const struct region *region_add(json_t *it)
{
	if (nregs == capregs) {
		capregs = capregs ? 2 * capregs : 512;
		regs = realloc(regs, capregs * sizeof *regs);
		assert_non_null(regs);
	}
	struct region *r = &regs[nregs++];
	snprintf(r->code, sizeof r->code, "%s", js(it, "code") ? js(it, "code") : "");
	snprintf(r->path, sizeof r->path, "%s", js(it, "path") ? js(it, "path") : "");
	r->level = (int)ji(it, "level");
	return r;
}

static void load_regions(void)
{
	nregs = 0;
	json_t *all = fetch_all(CITY, "/regions", NULL);
	size_t i;
	json_t *it;
	json_array_foreach(all, i, it) region_add(it);
	json_decref(all);
}

/* A region by code, asking the server (as the city admin) if unknown. */
static const struct region *region_find(const char *code)
{
	for (size_t i = 0; i < nregs; i++)
		if (!strcmp(regs[i].code, code))
			return &regs[i];
	char path[128];
	snprintf(path, sizeof path, API "/regions/%s", code);
	json_t *j = get_ok(CITY, path);
	const struct region *r = region_add(j);
	json_decref(j);
	return r;
}

/* The region code of mentee `id`, as the city admin sees it (cached). */
static const char *mentee_code(json_int_t id)
{
	static struct {
		json_int_t id;
		char code[40];
	} cache[64];
	static size_t n;
	for (size_t i = 0; i < n; i++)
		if (cache[i].id == id)
			return cache[i].code;
	char path[128];
	snprintf(path, sizeof path, API "/mentees/%lld", (long long)id);
	json_t *j = get_ok(CITY, path);
	size_t k = n < sizeof cache / sizeof cache[0] ? n++ : 0;
	cache[k].id = id;
	snprintf(cache[k].code, sizeof cache[k].code, "%s", js(j, "region") ? js(j, "region") : "");
	json_decref(j);
	return cache[k].code;
}

/* The region code of a list row: regions carry a path, most rows name a
 * region, and a lock or ban (/match/rules) belongs where its mentee is. */
static const char *item_code(json_t *it)
{
	const char *p = js(it, "path");
	if (p && p[0] == '/')
		return js(it, "code");
	if (js(it, "region"))
		return js(it, "region");
	json_t *m = json_object_get(it, "mentee");
	if (json_is_integer(m) && js(it, "kind") && !json_object_get(it, "login"))
		return mentee_code(json_integer_value(m));
	return NULL;
}

/* The region path of a list row. */
static const char *item_path(json_t *it)
{
	const char *p = js(it, "path");
	if (p && p[0] == '/')
		return p;
	const char *code = item_code(it);
	return code && code[0] ? region_find(code)->path : NULL;
}

/* The key that names a row: its id, else its code, else its login. */
static void item_key(json_t *it, char *out, size_t n)
{
	json_t *id = json_object_get(it, "id");
	if (json_is_integer(id))
		snprintf(out, n, "%lld", (long long)json_integer_value(id));
	else if (js(it, "code"))
		snprintf(out, n, "%s", js(it, "code"));
	else
		snprintf(out, n, "%s", js(it, "login") ? js(it, "login") : "?");
}

/* ---- labels and targets -------------------------------------------------- */

enum label { L_CITY, L_HL, L_XG, L_SIB, L_LW, L_T1, L_T10, L_SELF, L_NONE, NLABEL };
static const char *const label_names[NLABEL] = {"city", "hl",  "xg",   "sib", "lw",
						"t1",   "t10", "self", "none"};
static const char *const label_codes[L_SELF] = {CODE_CITY, CODE_HL, CODE_XG, CODE_SIB,
						CODE_LW,   CODE_T1, CODE_T10};
static char label_path[L_SELF][160];

static int label_of(const char *path)
{
	static const int order[] = {L_XG, L_SIB, L_T1, L_T10, L_LW, L_HL, L_CITY};
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		if (within(path, label_path[order[i]]))
			return order[i];
	return -1;
}

struct target {
	char kind[32];     /* first path segment: "mentors", "users", ... */
	int label;
	char value[64];    /* the path parameter */
	char path[160];    /* region path of the object */
	char code[40];     /* region code of the object */
	int level;         /* level of that region */
	json_int_t id;
	bool published;    /* menus */
	char urole[24];    /* users: the account's role */
	json_int_t mentee; /* match/rules: the pair it binds */
	json_int_t mentor;
};
#define MAXT 256
static struct target tg[MAXT];
static int ntg;

/* ---- the route table, from the OpenAPI document ----------------------- */

struct route {
	char method[8];
	char rel[128];      /* "/mentors/{id}/transitions" */
	char kind[32];      /* "mentors" */
	char param[16];     /* "id", "code" or "" */
	bool pub;           /* no session needed */
	bool roles[NSESS];  /* the route table lets this session's role in */
	bool region_q;      /* accepts ?region= */
	bool paged;         /* accepts ?limit= and ?offset= */
	json_t *op;         /* borrowed from `openapi` */
};
#define MAXR 128
static struct route rt[MAXR];
static int nrt;
static json_t *openapi;

static bool has_query(json_t *op, const char *name)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(op, "parameters"), i, p)
		if (!strcmp(js(p, "in") ? js(p, "in") : "", "query") &&
		    !strcmp(js(p, "name") ? js(p, "name") : "", name))
			return true;
	return false;
}

static void load_routes(void)
{
	openapi = call(ANON, "GET", API "/openapi.json", NULL, 200);
	assert_non_null(openapi);
	const char *path;
	json_t *item;
	nrt = 0;
	json_object_foreach(json_object_get(openapi, "paths"), path, item) {
		const char *m;
		json_t *op;
		json_object_foreach(item, m, op) {
			assert_true(nrt < MAXR);
			struct route *r = &rt[nrt++];
			memset(r, 0, sizeof *r);
			for (size_t k = 0; m[k] && k + 1 < sizeof r->method; k++)
				r->method[k] = (char)(m[k] >= 'a' && m[k] <= 'z' ? m[k] - 32 : m[k]);
			snprintf(r->rel, sizeof r->rel, "%s", path);
			/* The collection: the path up to its parameter, else the
			 * whole path ("mentors", "match/runs", "match/choices"). */
			const char *b = strchr(path, '{');
			size_t n = b ? (size_t)(b - path) - 2 : strlen(path) - 1;
			snprintf(r->kind, sizeof r->kind, "%.*s", (int)n, path + 1);
			if (b)
				snprintf(r->param, sizeof r->param, "%.*s", (int)strcspn(b + 1, "}"),
					 b + 1);
			json_t *sec = json_object_get(op, "security");
			json_t *roles = json_object_get(op, "x-roles");
			r->pub = json_is_array(sec) && json_array_size(sec) == 0;
			for (int w = 0; w < NSESS; w++) {
				size_t i;
				json_t *v;
				json_array_foreach(roles, i, v)
					if (json_is_string(v) && !strcmp(json_string_value(v), S[w].role))
						r->roles[w] = true;
			}
			r->region_q = has_query(op, "region");
			r->paged = has_query(op, "limit") && has_query(op, "offset");
			r->op = op;
		}
	}
	assert_true(nrt > 10);
}

static void subst(const char *rel, const char *value, char *out, size_t n)
{
	const char *b = strchr(rel, '{'), *e = b ? strchr(b, '}') : NULL;
	if (!b || !e)
		snprintf(out, n, API "%s", rel);
	else
		snprintf(out, n, API "%.*s%s%s", (int)(b - rel), rel, value, e + 1);
}

static const struct route *route_find(const char *method, const char *rel)
{
	for (int i = 0; i < nrt; i++)
		if (!strcmp(rt[i].method, method) && !strcmp(rt[i].rel, rel))
			return &rt[i];
	return NULL;
}

/* Does the list at rel (query aside) take ?limit and ?offset? Unknown
 * routes (before the route table is loaded) are taken to. */
static bool list_paged(const char *rel)
{
	char base[128];
	snprintf(base, sizeof base, "%.*s", (int)strcspn(rel, "?"), rel);
	const struct route *r = route_find("GET", base);
	return !r || r->paged;
}

/* ---- target discovery -------------------------------------------------- */

static bool is_session_login(const char *login)
{
	for (int w = 0; w < NSESS; w++)
		if (login && !strcmp(login, S[w].login))
			return true;
	return false;
}

static void target_from(const char *kind, const char *param, int label, json_t *it)
{
	assert_true(ntg < MAXT);
	struct target *t = &tg[ntg++];
	memset(t, 0, sizeof *t);
	snprintf(t->kind, sizeof t->kind, "%s", kind);
	t->label = label;
	t->id = ji(it, "id");
	if (!strcmp(param, "id"))
		snprintf(t->value, sizeof t->value, "%lld", (long long)t->id);
	else
		snprintf(t->value, sizeof t->value, "%s",
			 js(it, "code") ? js(it, "code") : js(it, "login") ? js(it, "login") : "");
	snprintf(t->path, sizeof t->path, "%s", item_path(it));
	snprintf(t->code, sizeof t->code, "%s", item_code(it));
	const struct region *r = region_find(t->code);
	t->level = r->level;
	t->published = json_is_true(json_object_get(it, "published"));
	t->mentee = json_is_integer(json_object_get(it, "mentee")) ? ji(it, "mentee") : 0;
	t->mentor = json_is_integer(json_object_get(it, "mentor")) ? ji(it, "mentor") : 0;
	snprintf(t->urole, sizeof t->urole, "%s", js(it, "role") ? js(it, "role") : "");
}

/*
 * A kind with no object to try (a new resource the demo does not fill
 * yet): a non-existent one stands in, so that roles and sessions are
 * still checked and nothing answers 2xx; jurisdiction waits for data.
 */
static void placeholder(const char *kind, const char *param, const char *why)
{
	fprintf(stderr, "note: no %s objects to try (%s): their jurisdiction is untested\n", kind,
		why);
	assert_true(ntg < MAXT);
	struct target *t = &tg[ntg++];
	memset(t, 0, sizeof *t);
	snprintf(t->kind, sizeof t->kind, "%s", kind);
	t->label = L_NONE;
	snprintf(t->value, sizeof t->value, "%s", strcmp(param, "id") ? "no-such-object" : "999999999");
}

static json_int_t self_id(const char *kind)
{
	if (!strcmp(kind, "mentors"))
		return S[MENTOR].mentor;
	if (!strcmp(kind, "mentees"))
		return S[MENTEE].mentee;
	return 0;
}

/*
 * Targets of a kind from the city admin's list: per label the first row
 * (an active one if rows have a status), per label and level for
 * regions, every account but the sessions' for users; plus "self".
 */
static void discover(const char *kind, const char *param)
{
	for (int i = 0; i < ntg; i++)
		if (!strcmp(tg[i].kind, kind))
			return;
	char rel[64];
	snprintf(rel, sizeof rel, "/%s", kind);
	if (!route_find("GET", rel)) {
		placeholder(kind, param, "no list route to find them");
		return;
	}
	json_t *rows = fetch_all(CITY, rel, NULL);
	bool regions = !strcmp(kind, "regions"), users = !strcmp(kind, "users");
	bool seen[NLABEL][5];
	memset(seen, 0, sizeof seen);
	json_int_t self = self_id(kind);
	for (int pass = 0; pass < 2; pass++) {
		size_t i;
		json_t *it;
		json_array_foreach(rows, i, it) {
			const char *p = item_path(it);
			int l = p ? label_of(p) : -1;
			if (l < 0)
				continue;
			if (users) {
				if (pass == 0 && !is_session_login(js(it, "login")))
					target_from(kind, param, l, it);
				continue;
			}
			if (self && ji(it, "id") == self)
				continue;
			/* First pass: live rows (active records, proposed runs). */
			const char *st = js(it, "status");
			if (pass == 0 && st && strcmp(st, "active") && strcmp(st, "proposed"))
				continue;
			int lv = regions ? (int)ji(it, "level") : 0;
			if (lv < 0 || lv > 4 || seen[l][lv])
				continue;
			seen[l][lv] = true;
			target_from(kind, param, l, it);
		}
	}
	json_decref(rows);
	if (self) {
		char path[128];
		snprintf(path, sizeof path, API "/%s/%lld", kind, (long long)self);
		json_t *it = get_ok(CITY, path);
		target_from(kind, param, L_SELF, it);
		json_decref(it);
	}
	/* The matrix needs, at least, an object at home and one abroad. */
	bool home = false, abroad = false, any = false;
	for (int i = 0; i < ntg; i++)
		if (!strcmp(tg[i].kind, kind)) {
			any = true;
			home = home || tg[i].label == L_XG || tg[i].label == L_HL;
			abroad = abroad || tg[i].label == L_LW;
		}
	if (!any) {
		placeholder(kind, param, "the city admin lists none");
		return;
	}
	if (!home || !abroad) {
		fprintf(stderr, "kind %s: no object found in 640122 (%d) or 640181 (%d)\n", kind, home,
			abroad);
		fail();
	}
}

/* The first region target of a label whose level is in [lo, hi]. */
static const struct target *region_target(int label, int lo, int hi)
{
	for (int i = 0; i < ntg; i++)
		if (!strcmp(tg[i].kind, "regions") && tg[i].label == label && tg[i].level >= lo &&
		    tg[i].level <= hi)
			return &tg[i];
	return NULL;
}

/* ---- the model: who may read and write what ---------------------------- */

static void county_of(const char *path, char *out, size_t n)
{
	int slashes = 0;
	size_t i = 0;
	for (; path[i]; i++)
		if (path[i] == '/' && ++slashes == 3)
			break;
	snprintf(out, n, "%.*s", slashes == 3 ? (int)i + 1 : 0, path);
}

static bool may_read(int w, const char *kind, const char *path, json_int_t id, bool published)
{
	const struct sess *s = &S[w];
	if (!strcmp(kind, "vocab"))
		return true;
	if (is_member(w)) {
		if (!strcmp(kind, "regions"))
			return true; /* place names are public to every session */
		if (!strcmp(kind, "menus"))
			return published && within(s->home, path);
		if (!strcmp(kind, "mentors"))
			return !strcmp(s->role, "mentor") && id == s->mentor;
		if (!strcmp(kind, "mentees"))
			return !strcmp(s->role, "mentee") && id == s->mentee;
		return false;
	}
	return s->path[0] && within(path, s->path);
}

static bool may_write(int w, const struct target *t)
{
	if (w >= NSESS || rank(S[w].role) == 0 || !within(t->path, S[w].path))
		return false;
	/* Accounts of admins: only a higher-ranking admin. */
	return strcmp(t->kind, "users") != 0 || rank(t->urole) < rank(S[w].role);
}

enum verdict { DENY, ALLOW, EITHER };

/* Does id appear in the array it[key]? */
static bool has_id(json_t *it, const char *key, json_int_t id)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(it, key), i, v)
		if (json_integer_value(v) == id)
			return true;
	return false;
}

/* May session w see this row of list `kind`? Pairings are a member's
 * only when it is one of the pair; other rows by their region. */
static bool may_read_row(int w, const char *kind, json_t *it, const char *path)
{
	if (!strcmp(kind, "pairings") && is_member(w))
		return !strcmp(S[w].role, "mentor") ? has_id(it, "mentors", S[w].mentor)
						     : has_id(it, "mentees", S[w].mentee);
	return may_read(w, kind, path, ji(it, "id"), json_is_true(json_object_get(it, "published")));
}

/*
 * May a member (mentor, mentee) list `kind`, filtered by `reg` if any?
 * Its own kind filtered by a region that does not hold its record may
 * answer 403 or an empty 200: either way nothing of another shows.
 * Pairings: its own, wherever they are (a filter may answer 403 too).
 */
static enum verdict member_may_list(int w, const char *kind, const struct target *reg)
{
	/* Programme-wide words and settings: every signed-in role reads them. */
	if (!strncmp(kind, "auth/", 5) || !strcmp(kind, "vocab") || !strcmp(kind, "regions") ||
	    !strcmp(kind, "life/settings"))
		return ALLOW;
	if (!strcmp(kind, "pairings"))
		return reg ? EITHER : ALLOW;
	bool own = !strcmp(kind, "mentors") ? !strcmp(S[w].role, "mentor")
		 : !strcmp(kind, "mentees") ? !strcmp(S[w].role, "mentee")
					    : false;
	if (own)
		return !reg || within(S[w].home, reg->path) ? ALLOW : EITHER;
	if (!strcmp(kind, "menus")) {
		char county[160];
		county_of(S[w].home, county, sizeof county);
		return !reg || within(reg->path, county) ? ALLOW : DENY;
	}
	return DENY;
}

/* ---- bookkeeping ---------------------------------------------------------- */

static int n_cases, n_leaks, n_bad, n_notes, n_denied_audited;

enum want { W_STATUS, W_HIDDEN, W_REFUSED, W_REJECT, W_ANY };

static const char *want_text(enum want k, int status, char *buf, size_t n)
{
	switch (k) {
	case W_STATUS: snprintf(buf, n, "%d", status); break;
	case W_HIDDEN: snprintf(buf, n, "403 or 404"); break;
	case W_REFUSED: snprintf(buf, n, "403 (or 400/404/409/422), never 2xx"); break;
	case W_REJECT: snprintf(buf, n, "403/400/404/409/422, never 2xx"); break;
	case W_ANY: snprintf(buf, n, "not 401/403/5xx"); break;
	}
	return buf;
}

/* Judge one answer. A 2xx where a refusal was due is a leak. */
static void judge(const char *method, const char *path, int w, const char *label,
		  const struct resp *r, enum want k, int status)
{
	n_cases++;
	int s = r->status;
	bool ok, leak = false;
	switch (k) {
	case W_STATUS:
		ok = s == status;
		leak = !ok && s >= 200 && s < 300 && (status == 401 || status == 403);
		break;
	case W_HIDDEN:
		ok = s == 403 || s == 404;
		leak = s >= 200 && s < 300;
		break;
	case W_REFUSED:
	case W_REJECT:
		ok = s == 403 || s == 400 || s == 404 || s == 409 || s == 422;
		leak = s >= 200 && s < 300;
		if (ok && s != 403 && strcmp(label, "none") && k == W_REFUSED) {
			n_notes++;
			fprintf(stderr, "note: %s %s as %s [%s]: refused with %d, not 403: %.200s\n",
				method, path, who_name(w), label, s, r->body);
		}
		break;
	case W_ANY:
	default:
		ok = s != 401 && s != 403 && s < 500;
		break;
	}
	if (ok)
		return;
	char buf[64];
	if (leak)
		n_leaks++;
	else
		n_bad++;
	fprintf(stderr, "%s: %s %s as %s [%s]: got %d, want %s: %.300s\n", leak ? "LEAK" : "FAIL",
		method, path, who_name(w), label, s, want_text(k, status, buf, sizeof buf), r->body);
}

#define SNAP_GONE "(not in the city admin's list)"

/* Everything the city admin sees of a target: its GET routes, or its row. */
static char *snapshot(const struct target *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	int gets = 0;
	for (int i = 0; i < nrt; i++) {
		if (strcmp(rt[i].method, "GET") || !rt[i].param[0] || strcmp(rt[i].kind, t->kind))
			continue;
		char path[256];
		subst(rt[i].rel, t->value, path, sizeof path);
		struct resp r;
		request(CITY, "GET", path, NULL, &r);
		fprintf(f, "%s %d %s\n", path, r.status, r.body);
		resp_free(&r);
		gets++;
	}
	char rel[64];
	snprintf(rel, sizeof rel, "/%s", t->kind);
	if (!gets && !route_find("GET", rel)) {
		fprintf(f, "(no route to read a %s)\n", t->kind); /* a placeholder */
	} else if (!gets) {
		json_t *rows = fetch_all(CITY, rel, NULL);
		size_t i;
		json_t *it;
		int found = 0;
		json_array_foreach(rows, i, it) {
			char key[64];
			item_key(it, key, sizeof key);
			const char *login = js(it, "login");
			if (!strcmp(key, t->value) || (login && !strcmp(login, t->value))) {
				char *d = json_dumps(it, JSON_SORT_KEYS | JSON_COMPACT);
				fprintf(f, "%s\n", d);
				free(d);
				found++;
			}
		}
		if (!found)
			fprintf(f, SNAP_GONE "\n");
		json_decref(rows);
	}
	fclose(f);
	return buf;
}

/* The city admin's total of a kind's list, or -1 if it has none. */
static json_int_t city_total(const char *kind)
{
	char rel[64], path[128];
	snprintf(rel, sizeof rel, "/%s", kind);
	const struct route *r = route_find("GET", rel);
	if (!r)
		return -1;
	snprintf(path, sizeof path, API "%s%s", rel, r->paged ? "?limit=1" : "");
	json_t *j = get_ok(CITY, path);
	json_int_t n = ji(j, "total");
	json_decref(j);
	return n;
}

/* ---- bodies ------------------------------------------------------------- */

/* The request body schema's properties of an operation, or NULL. */
static json_t *body_props(json_t *op)
{
	json_t *s = json_object_get(
		json_object_get(json_object_get(json_object_get(op, "requestBody"), "content"),
				"application/json"),
		"schema");
	const char *ref = js(s, "$ref");
	if (!ref || strncmp(ref, "#/components/schemas/", 21) != 0)
		return NULL;
	return json_object_get(
		json_object_get(json_object_get(json_object_get(openapi, "components"), "schemas"),
				ref + 21),
		"properties");
}

static void dump_into(json_t *j, char *out, size_t n)
{
	char *d = json_dumps(j, JSON_COMPACT);
	snprintf(out, n, "%s", d ? d : "{}");
	free(d);
	json_decref(j);
}

/*
 * The body of a write on an existing object: at home the same value again
 * (harmless), abroad a visible change marked MARK. Sets *want to the
 * status a write at home answers. False for a route this file does not
 * know (the body is then "{}").
 */
static bool write_body(const struct route *r, const struct target *t, bool home, char *out,
		       size_t n, int *want)
{
	char path[256];
	subst(r->rel, t->value, path, sizeof path);
	const char *tail = strchr(strchr(r->rel, '}') ? strchr(r->rel, '}') : r->rel, '/');
	*want = 200;
	if (!strcmp(r->method, "POST") && tail && !strcmp(tail, "/transitions")) {
		/* appoint is never legal from active or nominated: 409 after
		 * the jurisdiction check. */
		*want = 409;
		snprintf(out, n, home ? "{\"action\":\"appoint\"}"
				      : "{\"action\":\"retire\",\"reason\":\"" MARK "\"}");
		return true;
	}
	if (!strcmp(r->kind, "match/runs") && !strcmp(r->method, "POST") && tail &&
	    (!strcmp(tail, "/approve") || !strcmp(tail, "/discard"))) {
		snprintf(out, n, "{}"); /* the path is the decision */
		return true;
	}
	if (!strcmp(r->kind, "match/rules") && !strcmp(r->method, "DELETE")) {
		out[0] = '\0'; /* no body: a DELETE with one is refused */
		return true;
	}
	if (!strcmp(r->method, "POST") && tail && !strcmp(tail, "/stars")) {
		*want = 201;
		snprintf(out, n,
			 home ? "{\"stars\":3,\"rated_on\":\"2001-01-01\",\"note\":\"access-own\"}"
			      : "{\"stars\":1,\"rated_on\":\"2001-01-02\",\"note\":\"" MARK "\"}");
		return true;
	}
	if (!strcmp(r->method, "PUT") && !strcmp(r->rel, "/menus/{id}/mentors")) {
		json_t *ids = json_array();
		if (home) {
			json_t *j = get_ok(CITY, path);
			size_t i;
			json_t *it;
			json_array_foreach(json_object_get(j, "items"), i, it)
				json_array_append_new(ids, json_integer(ji(it, "id")));
			json_decref(j);
		}
		dump_into(json_pack("{s:o}", "mentors", ids), out, n);
		return true;
	}
	if (!strcmp(r->method, "PUT") && !strcmp(r->rel, "/users/{code}/password")) {
		snprintf(out, n, "{\"password\":\"%s\"}", home ? PW_VICTIM : MARK "-pw");
		return true;
	}
	if (!strcmp(r->method, "PUT") && !strcmp(r->rel, "/users/{code}/disabled")) {
		snprintf(out, n, "{\"disabled\":%s}", home ? "false" : "true");
		return true;
	}
	if (!strcmp(r->method, "PATCH") && !tail) {
		/* A free-text field of the record's schema; else a flag. */
		json_t *props = body_props(r->op);
		static const char *const texts[] = {"post", "description", "name"};
		json_t *cur = home ? get_ok(CITY, path) : json_object();
		for (size_t i = 0; props && i < sizeof texts / sizeof texts[0]; i++) {
			json_t *p = json_object_get(props, texts[i]);
			if (!p || json_is_true(json_object_get(p, "readOnly")))
				continue;
			const char *v = js(cur, texts[i]);
			dump_into(json_pack("{s:s}", texts[i], home ? (v ? v : "") : MARK), out, n);
			json_decref(cur);
			return true;
		}
		const char *k;
		json_t *p;
		json_object_foreach(props, k, p) {
			if (strcmp(js(p, "type") ? js(p, "type") : "", "boolean") ||
			    json_is_true(json_object_get(p, "readOnly")))
				continue;
			bool v = json_is_true(json_object_get(cur, k));
			dump_into(json_pack("{s:b}", k, home ? v : !v), out, n);
			json_decref(cur);
			return true;
		}
		json_decref(cur);
	}
	snprintf(out, n, "{}");
	return false;
}

/* Levels of the region a create of `kind` may name. */
static void create_levels(const char *kind, int *lo, int *hi)
{
	*lo = 1;
	*hi = 4;
	if (!strcmp(kind, "regions"))
		*hi = 3; /* the child is one level down, at most a village */
	else if (!strcmp(kind, "menus"))
		*lo = *hi = 2; /* a menu belongs to a county */
	else if (!strcmp(kind, "organisations"))
		*lo = 3; /* a township or village organisation */
}

static int seq;
static bool probing; /* create_uses_region: no look-ups */

/* The last code of a region path: "/6401/640122/" -> "640122". */
static void path_code(const char *path, char *out, size_t n)
{
	size_t len = strlen(path);
	const char *end = len && path[len - 1] == '/' ? path + len - 1 : path + len;
	const char *start = end;
	while (start > path && start[-1] != '/')
		start--;
	snprintf(out, n, "%.*s", (int)(end - start), start);
}

/* The first record of `kind` (an active one if any) in the subtree of
 * region `code` and of its label (not in a labelled region below it), as
 * the city admin lists it, not the demo logins'; 0 if none. Cached. */
static json_int_t first_in(const char *kind, const char *code)
{
	static struct {
		char key[96];
		json_int_t id;
	} cache[32];
	static size_t ncache;
	char key[96];
	snprintf(key, sizeof key, "%s?%s", kind, code);
	for (size_t i = 0; i < ncache; i++)
		if (!strcmp(cache[i].key, key))
			return cache[i].id;
	char rel[128];
	snprintf(rel, sizeof rel, "/%s?region=%s", kind, code);
	json_t *rows = fetch_all(CITY, rel, NULL);
	int label = label_of(region_find(code)->path);
	json_int_t id = 0, any = 0, self = self_id(kind);
	size_t i;
	json_t *it;
	json_array_foreach(rows, i, it) {
		const char *p = item_path(it);
		if (ji(it, "id") == self || !p || label_of(p) != label)
			continue;
		const char *st = js(it, "status");
		if (!any)
			any = ji(it, "id");
		if (!id && (!st || !strcmp(st, "active")))
			id = ji(it, "id");
	}
	json_decref(rows);
	id = id ? id : any;
	if (ncache < sizeof cache / sizeof cache[0]) {
		snprintf(cache[ncache].key, sizeof cache[ncache].key, "%s", key);
		cache[ncache++].id = id;
	}
	return id;
}

/* A mentor for a rule on a mentee of region `code`: one of its subtree,
 * else of the nearest region above it, up to its county. */
static json_int_t mentor_near(const char *code)
{
	char path[160], c[40];
	snprintf(path, sizeof path, "%s", region_find(code)->path);
	for (;;) {
		path_code(path, c, sizeof c);
		json_int_t id = first_in("mentors", c);
		if (id)
			return id;
		int segs = 0;
		for (const char *q = path; *q; q++)
			segs += *q == '/';
		if (segs <= 3) /* "/6401/640122/": a county, or the city */
			return 0;
		path[strlen(path) - 1] = '\0';
		*(strrchr(path, '/') + 1) = '\0';
	}
}

/* A valid body creating a `kind` in region `reg`; false if unknown. */
static bool create_body(const char *kind, const struct target *reg, char *out, size_t n)
{
	static char category[40];
	int k = ++seq;
	if (!strcmp(kind, "vocab")) {
		snprintf(out, n, "{\"kind\":\"domain\",\"code\":\"access_%d\",\"name\":\"访问测试%d\"}",
			 k, k);
		return true;
	}
	if (!reg) {
		snprintf(out, n, "{}");
		return false;
	}
	if (!strcmp(kind, "regions")) {
		snprintf(out, n,
			 "{\"code\":\"%s97%03d\",\"name\":\"访问测试地区%d\",\"level\":%d,\"parent\":\"%s\"}",
			 reg->code, k, k, reg->level + 1, reg->code);
	} else if (!strcmp(kind, "mentors")) {
		const char *tier = reg->level == 1 ? "city" : reg->level == 2 ? "county" : "township";
		snprintf(out, n,
			 "{\"name\":\"访问测试导师\",\"region\":\"%s\",\"tier\":\"%s\","
			 "\"source\":\"veteran_cadre\",\"team_type\":\"expert\",\"post\":\"access-%d\"}",
			 reg->code, tier, k);
	} else if (!strcmp(kind, "mentees")) {
		if (!category[0]) {
			json_t *j = get_ok(CITY, API "/vocab?kind=category");
			snprintf(category, sizeof category, "%s",
				 js(json_array_get(json_object_get(j, "items"), 0), "code"));
			json_decref(j);
		}
		snprintf(out, n,
			 "{\"kind\":\"person\",\"name\":\"访问测试对象\",\"category\":\"%s\","
			 "\"region\":\"%s\",\"post\":\"access-%d\"}",
			 category, reg->code, k);
	} else if (!strcmp(kind, "mentor-orgs")) {
		snprintf(out, n, "{\"name\":\"访问测试帮带组织%d\",\"kind\":\"party_org\",\"region\":\"%s\"}",
			 k, reg->code);
	} else if (!strcmp(kind, "organisations")) {
		snprintf(out, n, "{\"name\":\"访问测试党支部%d\",\"region\":\"%s\"}", k, reg->code);
	} else if (!strcmp(kind, "menus")) {
		snprintf(out, n, "{\"region\":\"%s\",\"name\":\"访问测试菜单%d\",\"year\":2030}",
			 reg->code, k);
	} else if (!strcmp(kind, "users")) {
		snprintf(out, n,
			 "{\"login\":\"access_%d\",\"role\":\"auditor\",\"region\":\"%s\","
			 "\"password\":\"" PW_VICTIM "\"}",
			 k, reg->code);
	} else if (!strcmp(kind, "match/runs")) {
		snprintf(out, n, "{\"method\":\"auto\",\"region\":\"%s\"}", reg->code);
	} else if (!strcmp(kind, "match/rules")) {
		/* A ban on a mentee of the region and a mentor near it. */
		json_int_t mentee = probing ? 1 : first_in("mentees", reg->code);
		json_int_t mentor = probing ? 1 : mentor_near(reg->code);
		if (!mentee || !mentor) {
			snprintf(out, n, "{}");
			return false;
		}
		snprintf(out, n,
			 "{\"kind\":\"ban\",\"mentee\":%lld,\"mentor\":%lld,"
			 "\"reason\":\"access-%d\"}",
			 (long long)mentee, (long long)mentor, k);
	} else {
		snprintf(out, n, "{}");
		return false;
	}
	return true;
}

static bool create_uses_region(const char *kind)
{
	char probe[512];
	struct target t;
	memset(&t, 0, sizeof t);
	snprintf(t.code, sizeof t.code, "x");
	int saved = seq;
	probing = true;
	bool known = create_body(kind, &t, probe, sizeof probe);
	probing = false;
	seq = saved;
	return known && strcmp(kind, "vocab") != 0;
}

/* ---- the matrix ----------------------------------------------------------- */

static void public_route(const struct route *r)
{
	for (int w = 0; w <= NSESS; w++) {
		char path[256];
		subst(r->rel, "x", path, sizeof path);
		bool get = !strcmp(r->method, "GET");
		struct resp res;
		/* login with an empty body: 400 for anyone, never 401/403 */
		request(w, r->method, path, get ? NULL : "{}", &res);
		if (get)
			judge(r->method, path, w, "-", &res, W_STATUS, 200);
		else if (!strcmp(r->rel, "/auth/login"))
			judge(r->method, path, w, "-", &res, W_STATUS, 400);
		else
			judge(r->method, path, w, "-", &res, W_ANY, 0);
		resp_free(&res);
	}
}

static void login(int w, char *token, size_t n)
{
	char body[200];
	snprintf(body, sizeof body, "{\"login\":\"%s\",\"password\":\"%s\"}", S[w].login, S[w].password);
	json_t *j = call(ANON, "POST", API "/auth/login", body, 200);
	snprintf(token, n, "%s", js(j, "token"));
	json_decref(j);
}

/* Logging out ends the session: each session logs out a second one. */
static void logout_route(const struct route *r)
{
	char path[256];
	subst(r->rel, "", path, sizeof path);
	struct resp res;
	request(ANON, r->method, path, "{}", &res);
	judge(r->method, path, ANON, "-", &res, W_STATUS, 401);
	resp_free(&res);
	for (int w = 0; w < NSESS; w++) {
		char tok[64];
		login(w, tok, sizeof tok);
		request_tok(w, tok, r->method, path, "{}", &res);
		judge(r->method, path, w, "own session", &res, W_STATUS, r->roles[w] ? 200 : 403);
		resp_free(&res);
		request_tok(w, tok, "GET", API "/auth/me", NULL, &res);
		judge("GET", API "/auth/me", w, "after logout", &res, W_STATUS, r->roles[w] ? 401 : 200);
		resp_free(&res);
		request(w, "GET", API "/auth/me", NULL, &res);
		judge("GET", API "/auth/me", w, "other session", &res, W_STATUS, 200);
		resp_free(&res);
	}
}

static void item_read(const struct route *r, const struct target *t)
{
	char path[256];
	subst(r->rel, t->value, path, sizeof path);
	for (int w = 0; w <= NSESS; w++) {
		struct resp res;
		request(w, "GET", path, NULL, &res);
		const char *lab = label_names[t->label];
		if (w == ANON)
			judge("GET", path, w, lab, &res, W_STATUS, 401);
		else if (!r->roles[w])
			judge("GET", path, w, lab, &res, W_STATUS, 403);
		else if (may_read(w, t->kind, t->path, t->id, t->published))
			judge("GET", path, w, lab, &res, W_STATUS, 200);
		else
			judge("GET", path, w, lab, &res, W_HIDDEN, 0);
		resp_free(&res);
	}
}

/*
 * Writes that use their object up (approve or discard a run, lift a lock
 * or ban): at home they are tried on a fresh object made for the purpose
 * by the city admin in the target's region, so that the shared targets
 * stay as they are for every other case.
 */
static bool consumes(const struct route *r)
{
	return (!strcmp(r->kind, "match/runs") && !strcmp(r->method, "POST") && r->param[0]) ||
	       (!strcmp(r->kind, "match/rules") && !strcmp(r->method, "DELETE"));
}

/* The row of the city admin's list of `kind` whose key is `value`, or NULL. */
static json_t *city_row(const char *kind, const char *value)
{
	char rel[64];
	snprintf(rel, sizeof rel, "/%s", kind);
	json_t *rows = fetch_all(CITY, rel, NULL), *row = NULL;
	size_t i;
	json_t *it;
	json_array_foreach(rows, i, it) {
		char key[64];
		item_key(it, key, sizeof key);
		if (!row && !strcmp(key, value))
			row = json_incref(it);
	}
	json_decref(rows);
	return row;
}

static void fresh_like(const struct target *t, struct target *out)
{
	*out = *t;
	char body[512];
	if (!strcmp(t->kind, "match/runs")) {
		snprintf(body, sizeof body, "{\"method\":\"auto\",\"region\":\"%s\"}", t->code);
		out->id = create("/match/runs", body);
	} else {
		/* A pair has one rule at most: the fresh one binds the same
		 * mentee to another mentor, one the pair has no rule with (a
		 * rule belongs where its mentee is, so the mentor's place does
		 * not change who may lift it). */
		json_t *list = get_ok(CITY, API "/mentors?limit=50");
		size_t i;
		json_t *m;
		out->id = 0;
		json_array_foreach(json_object_get(list, "items"), i, m) {
			if (ji(m, "id") == t->mentor)
				continue;
			snprintf(body, sizeof body,
				 "{\"kind\":\"ban\",\"mentee\":%lld,\"mentor\":%lld,"
				 "\"reason\":\"access: made to be lifted\"}",
				 (long long)t->mentee, (long long)ji(m, "id"));
			struct resp r;
			request(CITY, "POST", API "/match/rules", body, &r);
			if (r.status == 201) {
				out->id = ji(r.j, "id");
				out->mentor = ji(m, "id");
			}
			resp_free(&r);
			if (out->id)
				break;
		}
		json_decref(list);
		if (!out->id) {
			fprintf(stderr, "no free pair for a fresh rule of mentee %lld\n", (long long)t->mentee);
			fail();
		}
	}
	snprintf(out->value, sizeof out->value, "%lld", (long long)out->id);
}

/* A run's status as the city admin sees it. */
static void run_status(const char *id, char *out, size_t n)
{
	char path[128];
	snprintf(path, sizeof path, API "/match/runs/%s", id);
	json_t *j = get_ok(CITY, path);
	snprintf(out, n, "%s", js(j, "status") ? js(j, "status") : "?");
	json_decref(j);
}

/* After a write at home on a fresh object: did it take? */
static void check_consumed(const struct route *r, const struct target *t, int w)
{
	if (!strcmp(t->kind, "match/runs")) {
		const char *want = !strcmp(strrchr(r->rel, '/'), "/approve") ? "approved" : "discarded";
		char st[32];
		run_status(t->value, st, sizeof st);
		if (strcmp(st, want)) {
			n_bad++;
			fprintf(stderr, "FAIL: %s %s as %s: run %s is %s, want %s\n", r->method, r->rel,
				who_name(w), t->value, st, want);
		}
	} else {
		json_t *row = city_row(t->kind, t->value);
		if (row) {
			n_bad++;
			fprintf(stderr, "FAIL: %s %s as %s: rule %s still in force\n", r->method, r->rel,
				who_name(w), t->value);
		}
		json_decref(row);
	}
}

static void item_write(const struct route *r, const struct target *shared)
{
	const char *lab = label_names[shared->label];
	for (int w = 0; w <= NSESS; w++) {
		bool let_in = w < NSESS && r->roles[w];
		bool home = let_in && may_write(w, shared);
		struct target fresh;
		const struct target *t = shared;
		if (home && consumes(r)) {
			fresh_like(shared, &fresh);
			t = &fresh;
		}
		char path[256];
		subst(r->rel, t->value, path, sizeof path);
		char body[8192];
		int want;
		bool known = write_body(r, t, home, body, sizeof body, &want);
		if (!known && w == 0)
			fprintf(stderr, "note: no body for %s %s: sending {} (extend write_body)\n",
				r->method, r->rel);
		char *before = home ? NULL : snapshot(t);
		if (before && t->label != L_NONE && strstr(before, SNAP_GONE)) {
			n_bad++;
			fprintf(stderr, "FAIL: %s %s [%s]: the target is gone before the case\n",
				r->method, path, lab);
		}
		struct resp res;
		request(w, r->method, path, body[0] ? body : NULL, &res);
		if (w == ANON)
			judge(r->method, path, w, lab, &res, W_STATUS, 401);
		else if (!let_in)
			judge(r->method, path, w, lab, &res, W_STATUS, 403);
		else if (home && res.status == 409 && !strcmp(r->kind, "plans") &&
			 strstr(path, "/approve"))
			; /* a shared plan is approved once: the next admin's try conflicts */
		else if (home)
			judge(r->method, path, w, lab, &res, known ? W_STATUS : W_ANY, want);
		else
			judge(r->method, path, w, lab, &res, W_REFUSED, 0);
		resp_free(&res);
		if (home && consumes(r))
			check_consumed(r, t, w);
		if (before && !strcmp(t->kind, "match/runs")) {
			char st[32];
			run_status(t->value, st, sizeof st);
			if (strcmp(st, "proposed")) {
				n_leaks++;
				fprintf(stderr, "LEAK: %s %s as %s [%s]: the run is now %s\n", r->method,
					path, who_name(w), lab, st);
			}
		}
		if (before) {
			char *after = snapshot(t);
			if (strcmp(before, after) != 0) {
				n_leaks++;
				fprintf(stderr,
					"LEAK: %s %s as %s [%s] with %s changed the object:\n"
					"  before: %.600s\n  after:  %.600s\n",
					r->method, path, who_name(w), lab, body[0] ? body : "no body",
					before, after);
			}
			free(after);
			free(before);
		}
	}
}

/* A list (a GET without path parameter), optionally ?region=reg. */
static void list_read(const struct route *r, const struct target *reg)
{
	char path[256];
	subst(r->rel, "", path, sizeof path);
	if (reg) {
		size_t len = strlen(path);
		snprintf(path + len, sizeof path - len, "?region=%s", reg->code);
	}
	const char *lab = reg ? label_names[reg->label] : "-";
	for (int w = 0; w <= NSESS; w++) {
		struct resp res;
		request(w, "GET", path, NULL, &res);
		enum verdict ok;
		if (w == ANON) {
			judge("GET", path, w, lab, &res, W_STATUS, 401);
			resp_free(&res);
			continue;
		}
		if (!r->roles[w]) {
			judge("GET", path, w, lab, &res, W_STATUS, 403);
			resp_free(&res);
			continue;
		}
		if (is_member(w))
			ok = member_may_list(w, r->kind, reg);
		else
			ok = !reg || within(reg->path, S[w].path) ? ALLOW : DENY;
		if (ok == DENY || (ok == EITHER && res.status == 403)) {
			judge("GET", path, w, lab, &res, W_STATUS, 403);
			resp_free(&res);
			continue;
		}
		judge("GET", path, w, lab, &res, W_STATUS, 200);
		/* Every row answered must be one the caller may read. */
		size_t i;
		json_t *it;
		json_array_foreach(json_object_get(res.j, "items"), i, it) {
			const char *p = item_path(it);
			if (!p)
				continue;
			char key[64];
			item_key(it, key, sizeof key);
			if (!may_read_row(w, r->kind, it, p)) {
				n_leaks++;
				fprintf(stderr, "LEAK: GET %s as %s [%s]: row %s in %s is not theirs\n", path,
					who_name(w), lab, key, p);
			} else if (reg && !within(p, reg->path)) {
				n_bad++;
				fprintf(stderr, "FAIL: GET %s as %s: row %s in %s is not in the filter\n", path,
					who_name(w), key, p);
			}
		}
		resp_free(&res);
	}
}

static void create_route(const struct route *r)
{
	char path[256];
	subst(r->rel, "", path, sizeof path);
	const struct target *wheres[L_SELF];
	int nw = 0;
	if (create_uses_region(r->kind)) {
		int lo, hi;
		create_levels(r->kind, &lo, &hi);
		for (int l = 0; l < L_SELF; l++) {
			const struct target *reg = region_target(l, lo, hi);
			if (reg)
				wheres[nw++] = reg;
		}
	} else {
		wheres[nw++] = NULL;
	}
	for (int i = 0; i < nw; i++) {
		const struct target *reg = wheres[i];
		const char *lab = reg ? label_names[reg->label] : "-";
		for (int w = 0; w <= NSESS; w++) {
			bool let_in = w < NSESS && r->roles[w];
			bool home = let_in && rank(S[w].role) > 0 &&
				    (!reg || within(reg->path, S[w].path));
			char body[1024];
			bool known = create_body(r->kind, reg, body, sizeof body);
			if (!known && w == 0)
				fprintf(stderr, "note: no body for POST %s: sending {}\n", r->rel);
			json_int_t before = home ? -1 : city_total(r->kind);
			struct resp res;
			request(w, "POST", path, body, &res);
			if (w == ANON)
				judge("POST", path, w, lab, &res, W_STATUS, 401);
			else if (!let_in)
				judge("POST", path, w, lab, &res, W_STATUS, 403);
			else if (home && res.status == 409 && !strcmp(r->kind, "match/rules"))
				; /* the pair has its rule already: one rule per pair */
			else if (home)
				judge("POST", path, w, lab, &res, known ? W_STATUS : W_ANY, 201);
			else
				judge("POST", path, w, lab, &res, W_REFUSED, 0);
			resp_free(&res);
			if (before >= 0 && city_total(r->kind) != before) {
				n_leaks++;
				fprintf(stderr, "LEAK: POST %s as %s [%s] with %s created a row\n", path,
					who_name(w), lab, body);
			}
		}
	}
}

/* ---- menu choices and mentors' ranks ------------------------------------- */

/* The published menu of the county holding `path` (0 if none) and the
 * ids of its mentors, into *mentors (new). */
static json_int_t county_menu(const char *path, json_t **mentors)
{
	char county[160], code[40], rel[96];
	county_of(path, county, sizeof county);
	path_code(county, code, sizeof code);
	snprintf(rel, sizeof rel, "/menus?region=%s", code);
	json_t *rows = fetch_all(CITY, rel, NULL);
	json_int_t menu = 0;
	size_t i;
	json_t *it;
	json_array_foreach(rows, i, it)
		if (!menu && json_is_true(json_object_get(it, "published")) &&
		    !strcmp(js(it, "region") ? js(it, "region") : "", code))
			menu = ji(it, "id");
	json_decref(rows);
	*mentors = json_array();
	if (menu) {
		char p[96];
		snprintf(p, sizeof p, API "/menus/%lld/mentors", (long long)menu);
		json_t *j = get_ok(CITY, p);
		json_array_foreach(json_object_get(j, "items"), i, it)
			json_array_append_new(*mentors, json_integer(ji(it, "id")));
		json_decref(j);
	}
	return menu;
}

/* A mentee's choices as the city admin sees them: the answer, and the
 * chosen mentors in rank order and their menu. */
static char *choices_of(json_int_t mentee, json_t **ids, json_int_t *menu)
{
	char p[96];
	snprintf(p, sizeof p, API "/match/choices?mentee=%lld", (long long)mentee);
	json_t *j = get_ok(CITY, p);
	char *d = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	if (ids) {
		*ids = json_array();
		*menu = 0;
		json_t *items = json_object_get(j, "items");
		for (json_int_t rk = 1; rk <= (json_int_t)json_array_size(items); rk++) {
			size_t i;
			json_t *it;
			json_array_foreach(items, i, it)
				if (ji(it, "rank") == rk) {
					json_array_append_new(*ids, json_integer(ji(it, "mentor")));
					*menu = ji(it, "menu");
				}
		}
	}
	json_decref(j);
	return d;
}

static json_t *first_n(json_t *a, size_t n, bool reverse)
{
	json_t *out = json_array();
	size_t m = json_array_size(a) < n ? json_array_size(a) : n;
	for (size_t i = 0; i < m; i++)
		json_array_append(out, json_array_get(a, reverse ? m - 1 - i : i));
	return out;
}

/* GET /match/choices?mentee=ID: a mentee its own only (403 for
 * another's), admins and the auditor as they may read the mentee. */
static void choices_get_route(const struct route *r)
{
	char path[192];
	subst(r->rel, "", path, sizeof path);
	/* Without ?mentee=: a mentee's own; the others must name one. */
	for (int w = 0; w <= NSESS; w++) {
		struct resp res;
		request(w, "GET", path, NULL, &res);
		bool mentee = w < NSESS && !strcmp(S[w].role, "mentee");
		if (w == ANON)
			judge("GET", path, w, "-", &res, W_STATUS, 401);
		else if (!r->roles[w])
			judge("GET", path, w, "-", &res, W_STATUS, 403);
		else if (mentee)
			judge("GET", path, w, "self", &res, W_STATUS, 200);
		else
			judge("GET", path, w, "-", &res, W_STATUS, 400);
		if (mentee && res.status == 200 && ji(res.j, "mentee") != S[w].mentee) {
			n_leaks++;
			fprintf(stderr, "LEAK: GET %s as %s answers mentee %lld, not its own\n", path,
				who_name(w), (long long)ji(res.j, "mentee"));
		}
		resp_free(&res);
	}
	for (int k = 0; k < ntg; k++) {
		const struct target *t = &tg[k];
		if (strcmp(t->kind, "mentees"))
			continue;
		char p[192];
		snprintf(p, sizeof p, "%s?mentee=%lld", path, (long long)t->id);
		const char *lab = label_names[t->label];
		for (int w = 0; w <= NSESS; w++) {
			struct resp res;
			request(w, "GET", p, NULL, &res);
			bool ok = false;
			if (w == ANON) {
				judge("GET", p, w, lab, &res, W_STATUS, 401);
			} else if (!r->roles[w]) {
				judge("GET", p, w, lab, &res, W_STATUS, 403);
			} else if (!strcmp(S[w].role, "mentee")) {
				ok = t->id == S[w].mentee;
				judge("GET", p, w, lab, &res, W_STATUS, ok ? 200 : 403);
			} else {
				ok = may_read(w, "mentees", t->path, t->id, false);
				judge("GET", p, w, lab, &res, ok ? W_STATUS : W_HIDDEN, 200);
			}
			if (ok && res.status == 200 && ji(res.j, "mentee") != t->id) {
				n_bad++;
				fprintf(stderr, "FAIL: GET %s as %s answers mentee %lld\n", p, who_name(w),
					(long long)ji(res.j, "mentee"));
			}
			resp_free(&res);
		}
	}
}

/*
 * PUT /match/choices {menu, mentors, mentee?}: a mentee sets its own (no
 * "mentee" key), admins those of mentees in their jurisdiction. At home
 * the mentee's choices again (or, if it has none, the first mentors of
 * its county's menu: then they must read back so); abroad another valid
 * ranking of the same menu, refused, the choices unchanged.
 */
static void choices_put_route(const struct route *r)
{
	char path[192];
	subst(r->rel, "", path, sizeof path);
	for (int k = 0; k < ntg; k++) {
		const struct target *t = &tg[k];
		if (strcmp(t->kind, "mentees"))
			continue;
		const char *lab = label_names[t->label];
		json_t *menu_mentors, *cur;
		json_int_t menu = county_menu(t->path, &menu_mentors), cur_menu;
		free(choices_of(t->id, &cur, &cur_menu));
		bool known = menu && json_array_size(menu_mentors) >= 2;
		if (!known)
			fprintf(stderr, "note: no published menu of two mentors for mentee %lld (%s)\n",
				(long long)t->id, t->path);
		json_t *same = json_array_size(cur) ? json_incref(cur) : first_n(menu_mentors, 3, false);
		json_int_t same_menu = json_array_size(cur) ? cur_menu : menu;
		json_t *other = first_n(menu_mentors, 3, true);
		if (json_equal(other, same)) {
			json_decref(other);
			other = first_n(menu_mentors, 1, true);
		}
		for (int w = 0; w <= NSESS; w++) {
			bool let_in = w < NSESS && r->roles[w];
			bool self = let_in && !strcmp(S[w].role, "mentee") && t->id == S[w].mentee;
			bool home = let_in && (self || may_write(w, t));
			json_t *b = json_pack("{s:I, s:O}", "menu", home ? same_menu : menu, "mentors",
					      home ? same : other);
			if (!self)
				json_object_set_new(b, "mentee", json_integer(t->id));
			char *body = json_dumps(b, JSON_COMPACT);
			json_decref(b);
			char *before = home ? NULL : choices_of(t->id, NULL, NULL);
			struct resp res;
			request(w, "PUT", path, body, &res);
			if (w == ANON)
				judge("PUT", path, w, lab, &res, W_STATUS, 401);
			else if (!let_in)
				judge("PUT", path, w, lab, &res, W_STATUS, 403);
			else if (home)
				judge("PUT", path, w, lab, &res, known ? W_STATUS : W_ANY, 200);
			else if (!strcmp(S[w].role, "mentee"))
				judge("PUT", path, w, lab, &res, W_STATUS, 403);
			else
				judge("PUT", path, w, lab, &res, W_REFUSED, 0);
			resp_free(&res);
			if (home && known) {
				json_t *now;
				json_int_t now_menu;
				free(choices_of(t->id, &now, &now_menu));
				if (!json_equal(now, same) || now_menu != same_menu) {
					n_bad++;
					fprintf(stderr, "FAIL: PUT %s as %s with %s: the choices do not read back\n",
						path, who_name(w), body);
				}
				json_decref(now);
			}
			if (before) {
				char *after = choices_of(t->id, NULL, NULL);
				if (strcmp(before, after)) {
					n_leaks++;
					fprintf(stderr,
						"LEAK: PUT %s as %s [%s] with %s changed the choices:\n"
						"  before: %.400s\n  after:  %.400s\n",
						path, who_name(w), lab, body, before, after);
				}
				free(after);
				free(before);
			}
			free(body);
		}
		json_decref(same);
		json_decref(other);
		json_decref(cur);
		json_decref(menu_mentors);
	}
}

/*
 * PUT /match/ranks {mentees}: a mentor ranks its own applicants, nobody
 * else ranks anything. The demo has no ranks: the mentor ranks the demo
 * mentee, then puts its ranks back to none.
 */
static void ranks_route(const struct route *r)
{
	char path[192], body[128];
	subst(r->rel, "", path, sizeof path);
	/* A mentor ranks only its applicants: the empty ranking is always
	 * its own to set. */
	snprintf(body, sizeof body, "{\"mentees\":[]}");
	for (int w = 0; w <= NSESS; w++) {
		bool let_in = w < NSESS && r->roles[w];
		bool mentor = let_in && !strcmp(S[w].role, "mentor");
		struct resp res;
		request(w, "PUT", path, body, &res);
		if (w == ANON)
			judge("PUT", path, w, "-", &res, W_STATUS, 401);
		else if (!let_in)
			judge("PUT", path, w, "-", &res, W_STATUS, 403);
		else if (mentor)
			judge("PUT", path, w, "self", &res, W_STATUS, 200);
		else
			judge("PUT", path, w, "-", &res, W_REFUSED, 0);
		resp_free(&res);
		if (!mentor)
			continue;
		/* A mentee of another county: not the mentor's to rank? */
		for (int k = 0; k < ntg; k++) {
			if (strcmp(tg[k].kind, "mentees") || tg[k].label != L_LW)
				continue;
			char b2[128];
			snprintf(b2, sizeof b2, "{\"mentees\":[%lld]}", (long long)tg[k].id);
			request(w, "PUT", path, b2, &res);
			if (res.status >= 200 && res.status < 300) {
				n_notes++;
				fprintf(stderr,
					"note: PUT %s as %s with %s (a mentee of %s): %d: a mentor ranks a "
					"mentee outside its county\n",
					path, who_name(w), b2, tg[k].path, res.status);
			}
			resp_free(&res);
			break;
		}
		/* No such mentee: 422 (an error answer must not leak memory
		 * either: the sanitizer build stops the server and checks). */
		request(w, "PUT", path, "{\"mentees\":[999999999]}", &res);
		judge("PUT", path, w, "none", &res, W_STATUS, 422);
		resp_free(&res);
		request(w, "PUT", path, "{\"mentees\":[]}", &res);
		judge("PUT", path, w, "restore", &res, W_STATUS, 200);
		resp_free(&res);
	}
}

/* ---- writes at home that name an object abroad ---------------------------- */

/* The target of a kind and label; there must be one. */
static const struct target *target_of(const char *kind, int label)
{
	for (int i = 0; i < ntg; i++)
		if (!strcmp(tg[i].kind, kind) && tg[i].label == label)
			return &tg[i];
	fprintf(stderr, "no %s target [%s]\n", kind, label_names[label]);
	fail();
	abort(); /* not reached */
}

/* One such write: refused (403, or 422 for a reference the rules do not
 * allow anyway), never 2xx, and nothing made or changed. */
static void ref_case(int w, const char *method, const char *rel, const char *lab, const char *body,
		     const char *count_kind, json_int_t choices_of_mentee)
{
	char path[192];
	snprintf(path, sizeof path, API "%s", rel);
	json_int_t before = count_kind ? city_total(count_kind) : -1;
	char *snap = choices_of_mentee ? choices_of(choices_of_mentee, NULL, NULL) : NULL;
	struct resp res;
	request(w, method, path, body, &res);
	judge(method, path, w, lab, &res, W_REJECT, 0);
	if (res.status >= 200 && res.status < 300)
		fprintf(stderr, "  (the body was %s)\n", body);
	else if (getenv("ACCESS_VERBOSE"))
		fprintf(stderr, "reference: %s %s as %s with %s: %d\n", method, path, who_name(w), body,
			res.status);
	resp_free(&res);
	if (before >= 0 && city_total(count_kind) != before) {
		n_leaks++;
		fprintf(stderr, "LEAK: %s %s as %s with %s made a row\n", method, path, who_name(w),
			body);
	}
	if (snap) {
		char *after = choices_of(choices_of_mentee, NULL, NULL);
		if (strcmp(snap, after)) {
			n_leaks++;
			fprintf(stderr, "LEAK: %s %s as %s with %s changed the choices\n", method, path,
				who_name(w), body);
		}
		free(after);
		free(snap);
	}
}

/*
 * Each admin at home, naming in the body an object of a neighbour: a
 * follow-up run whose parent is the neighbour's run, a ban on its own
 * mentee and the neighbour's mentor; and choices from another county's
 * menu, by the mentee itself and by its county admin.
 */
static void cross_refs(const struct route *r)
{
	static const struct {
		int w, home, abroad;
	} pairs[] = {{COUNTY, L_HL, L_LW}, {COUNTY_LW, L_LW, L_HL}, {TOWN, L_XG, L_SIB},
		     {T1ADM, L_T1, L_T10}};
	char body[512];
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		int w = pairs[i].w;
		const char *lab = label_names[pairs[i].abroad];
		if (!strcmp(r->kind, "match/runs")) {
			const struct target *run = target_of("match/runs", pairs[i].abroad);
			snprintf(body, sizeof body,
				 "{\"method\":\"auto\",\"region\":\"%s\",\"parent\":%lld}",
				 label_codes[pairs[i].home], (long long)run->id);
			ref_case(w, "POST", r->rel, lab, body, "match/runs", 0);
		} else if (!strcmp(r->kind, "match/rules")) {
			const struct target *me = target_of("mentees", pairs[i].home);
			const struct target *mo = target_of("mentors", pairs[i].abroad);
			snprintf(body, sizeof body,
				 "{\"kind\":\"ban\",\"mentee\":%lld,\"mentor\":%lld,"
				 "\"reason\":\"" MARK "\"}",
				 (long long)me->id, (long long)mo->id);
			ref_case(w, "POST", r->rel, lab, body, "match/rules", 0);
		}
	}
	if (strcmp(r->kind, "match/choices"))
		return;
	const struct target *lw = target_of("mentees", L_LW);
	const struct target *self = target_of("mentees", L_SELF);
	json_t *mentors;
	json_int_t menu = county_menu(lw->path, &mentors);
	json_t *two = first_n(mentors, 2, false);
	char *ids = json_dumps(two, JSON_COMPACT);
	snprintf(body, sizeof body, "{\"menu\":%lld,\"mentors\":%s}", (long long)menu, ids);
	ref_case(MENTEE, "PUT", r->rel, "lw", body, NULL, self->id);
	snprintf(body, sizeof body, "{\"mentee\":%lld,\"menu\":%lld,\"mentors\":%s}",
		 (long long)self->id, (long long)menu, ids);
	ref_case(COUNTY, "PUT", r->rel, "lw", body, NULL, self->id);
	free(ids);
	json_decref(two);
	json_decref(mentors);
}

/* A write route this file has no model of: roles only. */
static void other_write_route(const struct route *r)
{
	char path[192];
	subst(r->rel, "", path, sizeof path);
	fprintf(stderr, "note: no model for %s %s: roles only\n", r->method, r->rel);
	n_notes++;
	for (int w = 0; w <= NSESS; w++) {
		struct resp res;
		request(w, r->method, path, "{}", &res);
		if (w == ANON)
			judge(r->method, path, w, "-", &res, W_STATUS, 401);
		else if (!r->roles[w])
			judge(r->method, path, w, "-", &res, W_STATUS, 403);
		else
			judge(r->method, path, w, "-", &res, W_ANY, 0);
		resp_free(&res);
	}
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Every session on one route, on the objects of its kind. */
static void matrix_route(const struct route *r)
{
	int before = n_cases;
	double t0 = now_s();
	if (r->pub) {
		public_route(r);
	} else if (!strcmp(r->rel, "/auth/logout")) {
		logout_route(r);
	} else if (!strcmp(r->kind, "match/choices")) {
		if (!strcmp(r->method, "GET")) {
			choices_get_route(r);
		} else {
			choices_put_route(r);
			cross_refs(r);
		}
	} else if (!strcmp(r->kind, "match/ranks")) {
		ranks_route(r);
	} else if (r->param[0]) {
		int found = 0;
		for (int k = 0; k < ntg; k++) {
			if (strcmp(tg[k].kind, r->kind))
				continue;
			found++;
			if (!strcmp(r->method, "GET"))
				item_read(r, &tg[k]);
			else
				item_write(r, &tg[k]);
		}
		if (!found) {
			n_bad++;
			fprintf(stderr, "FAIL: %s %s: no targets of kind %s\n", r->method, r->rel,
				r->kind);
		}
	} else if (!strcmp(r->method, "GET")) {
		list_read(r, NULL);
		if (r->region_q)
			for (int l = 0; l < L_SELF; l++) {
				const struct target *reg = region_target(l, 1, 4);
				if (reg)
					list_read(r, reg);
			}
	} else if (!strcmp(r->method, "POST")) {
		create_route(r);
		cross_refs(r);
	} else {
		other_write_route(r);
	}
	if (getenv("ACCESS_VERBOSE"))
		fprintf(stderr, "%-6s %-28s %4d cases %6.2f s\n", r->method, r->rel,
			n_cases - before, now_s() - t0);
}

static void test_matrix(void **state)
{
	(void)state;
	/* Reads first, on the objects as set up; then writes. */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < nrt; i++)
			if (!strcmp(rt[i].method, "GET") == (pass == 0))
				matrix_route(&rt[i]);
	/* The shared runs were never decided: abroad refused, at home a
	 * fresh run stood in. */
	for (int k = 0; k < ntg; k++) {
		if (strcmp(tg[k].kind, "match/runs"))
			continue;
		char st[32];
		run_status(tg[k].value, st, sizeof st);
		if (strcmp(st, "proposed")) {
			n_leaks++;
			fprintf(stderr, "LEAK: shared run %s [%s] is %s after the matrix\n", tg[k].value,
				label_names[tg[k].label], st);
		}
	}
	/* Passwords written at home were set to the same value; abroad,
	 * never: every victim account still logs in with its own. */
	for (int k = 0; k < ntg; k++) {
		if (strcmp(tg[k].kind, "users") || strncmp(tg[k].value, "acc_v_", 6))
			continue;
		char body[200];
		snprintf(body, sizeof body, "{\"login\":\"%s\",\"password\":\"" PW_VICTIM "\"}",
			 tg[k].value);
		struct resp res;
		request(ANON, "POST", API "/auth/login", body, &res);
		if (res.status != 200) {
			n_leaks++;
			fprintf(stderr, "LEAK: account %s no longer logs in with its password: %d %s\n",
				tg[k].value, res.status, res.body);
		}
		resp_free(&res);
	}
	fprintf(stderr,
		"matrix: %d routes, %d targets, %d cases, %ld requests, %d leaks, %d other "
		"failures, %d notes\n",
		nrt, ntg, n_cases, n_requests, n_leaks, n_bad, n_notes);
	assert_int_equal(n_leaks, 0);
	assert_int_equal(n_bad, 0);
}

/* ---- lists return exactly the rows of the subtree ---------------------- */

static bool code_prefix_session(int w, char *code, size_t n)
{
	/* The demo's codes are hierarchical: a county admin's rows all carry
	 * codes that start with the county's. */
	if (w != COUNTY && w != COUNTY_LW && w != TOWN)
		return false;
	const char *p = S[w].path;
	size_t len = strlen(p);
	const char *start = p + len - 1;
	while (start > p && start[-1] != '/')
		start--;
	snprintf(code, n, "%.*s", (int)(p + len - 1 - start), start);
	return true;
}

/* A mentor's or mentee's pairings: exactly the city admin's rows that
 * name it, and there is one at least (the set-up made it). */
static void check_member_pairings(const struct route *r, int w, json_t *city)
{
	bool mentor = !strcmp(S[w].role, "mentor");
	const char *key = mentor ? "mentors" : "mentees";
	json_int_t self = mentor ? S[w].mentor : S[w].mentee, n;
	json_t *want = json_object();
	size_t k;
	json_t *it;
	json_array_foreach(city, k, it)
		if (has_id(it, key, self)) {
			char id[32];
			item_key(it, id, sizeof id);
			json_object_set(want, id, it);
		}
	json_t *rows = fetch_all(w, r->rel, &n);
	json_int_t nwant = (json_int_t)json_object_size(want);
	if (nwant < 1 || n != nwant || (json_int_t)json_array_size(rows) != nwant) {
		n_leaks += n > nwant;
		n_bad += n <= nwant;
		fprintf(stderr, "%s: GET %s as %s: total %lld, rows %zu, want its own %lld (>= 1)\n",
			n > nwant ? "LEAK" : "FAIL", r->rel, S[w].login, (long long)n,
			json_array_size(rows), (long long)nwant);
	}
	json_array_foreach(rows, k, it) {
		char id[32];
		item_key(it, id, sizeof id);
		if (!json_object_get(want, id)) {
			n_leaks++;
			fprintf(stderr, "LEAK: GET %s as %s lists pairing %s, not its own\n", r->rel,
				S[w].login, id);
		}
	}
	json_decref(want);
	json_decref(rows);
}

/* A mentor's or mentee's list of its own kind: exactly itself. */
static void check_member_list(const struct route *r, int w)
{
	bool mentor = !strcmp(S[w].role, "mentor");
	if (strcmp(r->kind, mentor ? "mentors" : "mentees"))
		return; /* other kinds: judged row by row in the matrix */
	json_int_t self = mentor ? S[w].mentor : S[w].mentee, n;
	json_t *rows = fetch_all(w, r->rel, &n);
	if (n != 1 || json_array_size(rows) != 1 || ji(json_array_get(rows, 0), "id") != self) {
		n_leaks++;
		fprintf(stderr, "LEAK: GET %s as %s: total %lld, want exactly itself (%lld)\n",
			r->rel, S[w].login, (long long)n, (long long)self);
	}
	json_decref(rows);
}

/* An admin's or auditor's list: the city admin's rows in its subtree. */
static void check_admin_list(const struct route *r, int w, json_t *city)
{
	json_int_t n;
	json_t *rows = fetch_all(w, r->rel, &n);
	json_t *want = json_object();
	size_t k;
	json_t *it;
	json_array_foreach(city, k, it) {
		const char *p = item_path(it);
		char key[64];
		item_key(it, key, sizeof key);
		if (!p || within(p, S[w].path))
			json_object_set(want, key, it);
	}
	json_int_t nwant = (json_int_t)json_object_size(want);
	if (n != (json_int_t)json_array_size(rows) || n != nwant) {
		n_leaks += n > nwant;
		n_bad += n <= nwant;
		fprintf(stderr, "%s: GET %s as %s: total %lld, rows %zu, city rows in %s: %lld\n",
			n > nwant ? "LEAK" : "FAIL", r->rel, S[w].login, (long long)n,
			json_array_size(rows), S[w].path, (long long)nwant);
	}
	char prefix[40];
	bool by_code = code_prefix_session(w, prefix, sizeof prefix);
	json_array_foreach(rows, k, it) {
		char key[64];
		item_key(it, key, sizeof key);
		const char *code = item_code(it);
		if (!json_object_get(want, key)) {
			n_leaks++;
			fprintf(stderr, "LEAK: GET %s as %s lists %s (region %s) outside %s\n", r->rel,
				S[w].login, key, code ? code : "-", S[w].path);
		} else if (by_code && code && strncmp(code, prefix, strlen(prefix))) {
			n_leaks++;
			fprintf(stderr, "LEAK: GET %s as %s lists %s of region %s, not %s...\n", r->rel,
				S[w].login, key, code, prefix);
		}
	}
	json_decref(want);
	json_decref(rows);
}

static void test_lists_exact(void **state)
{
	(void)state;
	int lists = 0, before_leaks = n_leaks, before_bad = n_bad;
	load_regions();
	for (int i = 0; i < nrt; i++) {
		const struct route *r = &rt[i];
		if (strcmp(r->method, "GET") || r->param[0] || r->pub)
			continue;
		if (!r->paged) {
			/* An unpaged list by region (/match/rules), not figures. */
			char path[192];
			subst(r->rel, "", path, sizeof path);
			json_t *j = r->region_q ? get_ok(CITY, path) : NULL;
			bool items = json_is_array(json_object_get(j, "items"));
			json_decref(j);
			if (!items)
				continue;
		}
		lists++;
		json_int_t city_n;
		json_t *city = fetch_all(CITY, r->rel, &city_n);
		assert_int_equal((json_int_t)json_array_size(city), city_n);
		for (int w = 0; w < NSESS; w++) {
			if (!r->roles[w])
				continue;
			if (is_member(w) && !strcmp(r->kind, "pairings"))
				check_member_pairings(r, w, city);
			else if (is_member(w))
				check_member_list(r, w);
			else
				check_admin_list(r, w, city);
		}
		json_decref(city);
	}
	assert_true(lists >= 6);
	assert_int_equal(n_leaks - before_leaks, 0);
	assert_int_equal(n_bad - before_bad, 0);
}

/* ---- the prefix sibling, spelled out --------------------------------------- */

static json_int_t t1_org, t10_org;

static void test_prefix_sibling_hidden(void **state)
{
	(void)state;
	int before_leaks = n_leaks, before_bad = n_bad;
	/* 6401229010 starts with 640122901: a code compared as text would
	 * hand t10 to t1's admin. */
	assert_memory_equal(CODE_T10, CODE_T1, strlen(CODE_T1));
	char p1[96], p10[96];
	snprintf(p1, sizeof p1, API "/organisations/%lld", (long long)t1_org);
	snprintf(p10, sizeof p10, API "/organisations/%lld", (long long)t10_org);
	json_decref(get_ok(T1ADM, p1));
	json_decref(get_ok(COUNTY, p10));
	struct resp r;
	const char *hidden[] = {p10, API "/regions/" CODE_T10, API "/organisations?region=" CODE_T10,
				API "/mentors?region=" CODE_T10, API "/users?region=" CODE_T10};
	for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++) {
		request(T1ADM, "GET", hidden[i], NULL, &r);
		judge("GET", hidden[i], T1ADM, "t10", &r, W_HIDDEN, 0);
		resp_free(&r);
	}
	char *before = NULL;
	{
		json_t *j = get_ok(CITY, p10);
		before = json_dumps(j, JSON_SORT_KEYS);
		json_decref(j);
	}
	request(T1ADM, "PATCH", p10, "{\"name\":\"" MARK "\"}", &r);
	judge("PATCH", p10, T1ADM, "t10", &r, W_STATUS, 403);
	resp_free(&r);
	json_t *j = get_ok(CITY, p10);
	char *after = json_dumps(j, JSON_SORT_KEYS);
	json_decref(j);
	assert_string_equal(before, after);
	free(before);
	free(after);
	/* t1's admin lists its organisation and not t10's. */
	json_t *rows = fetch_all(T1ADM, "/organisations", NULL);
	bool has1 = false, has10 = false;
	size_t i;
	json_t *it;
	json_array_foreach(rows, i, it) {
		has1 = has1 || ji(it, "id") == t1_org;
		has10 = has10 || ji(it, "id") == t10_org;
	}
	json_decref(rows);
	assert_true(has1);
	assert_false(has10);
	/* and 习岗镇's admin sees neither */
	request(TOWN, "GET", p1, NULL, &r);
	judge("GET", p1, TOWN, "t1", &r, W_HIDDEN, 0);
	resp_free(&r);
	assert_int_equal(n_leaks - before_leaks, 0);
	assert_int_equal(n_bad - before_bad, 0);
}

/* ---- the audit log --------------------------------------------------------- */

static json_int_t audit_baseline;

/* Walk the audit log after `after` as the auditor; count "denied" per
 * session login; return the last id. */
static json_int_t audit_walk(json_int_t after, int denied[NSESS], int *denied_all)
{
	json_int_t last = after;
	for (;;) {
		char path[128];
		snprintf(path, sizeof path, API "/audit?after=%lld&limit=500", (long long)last);
		json_t *j = get_ok(AUDITOR, path);
		json_t *items = json_object_get(j, "items");
		size_t i;
		json_t *e;
		json_array_foreach(items, i, e) {
			last = ji(e, "id");
			if (strcmp(js(e, "action") ? js(e, "action") : "", "denied"))
				continue;
			if (denied_all)
				(*denied_all)++;
			for (int w = 0; denied && w < NSESS; w++)
				if (!strcmp(js(e, "login") ? js(e, "login") : "", S[w].login))
					denied[w]++;
		}
		size_t n = json_array_size(items);
		json_decref(j);
		if (n < 500)
			break;
	}
	return last;
}

static void test_denials_audited(void **state)
{
	(void)state;
	counting = false;
	int denied[NSESS] = {0}, all = 0, answered = 0;
	audit_walk(audit_baseline, denied, &all);
	bool missing = false;
	for (int w = 0; w < NSESS; w++) {
		answered += S[w].n403;
		if (denied[w] < S[w].n403) {
			missing = true;
			fprintf(stderr, "MISSING AUDIT: %s got %d answers 403, the log has %d denials\n",
				S[w].login, S[w].n403, denied[w]);
		} else if (getenv("ACCESS_VERBOSE")) {
			fprintf(stderr, "audit: %-16s %4d answers 403, %4d denials logged\n", S[w].login,
				S[w].n403, denied[w]);
		}
	}
	n_denied_audited = all;
	fprintf(stderr, "audit: %d answers 403, %d denials logged\n", answered, all);
	assert_true(answered > 100);
	assert_false(missing);
	assert_true(all >= answered);
}

static void test_audit_chain_verifies(void **state)
{
	(void)state;
	json_t *j = get_ok(AUDITOR, API "/audit/verify");
	bool ok = json_is_true(json_object_get(j, "ok"));
	json_decref(j);
	printf("access matrix: %d cases, %d denials audited, %d leaks\n", n_cases, n_denied_audited,
	       n_leaks);
	fflush(stdout);
	assert_true(ok);
	assert_int_equal(n_leaks, 0);
}

/* ---- set-up ------------------------------------------------------------------ */

static const char *bin(void)
{
	const char *b = getenv("BANGDAI_BIN");
	return b ? b : "./bangdai";
}

static json_int_t create(const char *rel, const char *body)
{
	char path[128];
	snprintf(path, sizeof path, API "%s", rel);
	json_t *j = call(CITY, "POST", path, body, 201);
	json_int_t id = ji(j, "id");
	json_decref(j);
	return id;
}

static void me(int w)
{
	json_t *j = get_ok(w, API "/auth/me");
	snprintf(S[w].role, sizeof S[w].role, "%s", js(j, "role"));
	snprintf(S[w].path, sizeof S[w].path, "%s", js(j, "region_path") ? js(j, "region_path") : "");
	S[w].mentor = ji(j, "mentor");
	S[w].mentee = ji(j, "mentee");
	json_decref(j);
}

/* A mentee of region `code` other than the demo mentee login's. */
static json_int_t mentee_in(const char *code)
{
	char path[128];
	snprintf(path, sizeof path, API "/mentees?region=%s&limit=5", code);
	json_t *j = get_ok(CITY, path);
	json_int_t id = 0;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(j, "items"), i, it)
		if (!id && ji(it, "id") != S[MENTEE].mentee)
			id = ji(it, "id");
	json_decref(j);
	assert_true(id > 0);
	return id;
}

static void fixtures(void)
{
	char body[1024];
	json_t *j = get_ok(CITY, API "/vocab?kind=category");
	char category[40];
	snprintf(category, sizeof category, "%s",
		 js(json_array_get(json_object_get(j, "items"), 0), "code"));
	json_decref(j);
	/* Two townships of 贺兰县 whose codes share a prefix, each with one
	 * object of every kind. */
	const char *codes[] = {CODE_T1, CODE_T10};
	json_int_t t_mentee[2];
	for (int i = 0; i < 2; i++) {
		snprintf(body, sizeof body,
			 "{\"code\":\"%s\",\"name\":\"前缀测试%s镇\",\"level\":3,\"parent\":\"" CODE_HL "\","
			 "\"lat\":38.55,\"lon\":106.35}",
			 codes[i], i ? "十" : "一");
		create("/regions", body);
		snprintf(body, sizeof body, "{\"name\":\"前缀测试%d村党支部\",\"region\":\"%s\"}", i, codes[i]);
		json_int_t org = create("/organisations", body);
		if (i)
			t10_org = org;
		else
			t1_org = org;
		snprintf(body, sizeof body,
			 "{\"name\":\"前缀测试导师\",\"region\":\"%s\",\"tier\":\"township\","
			 "\"source\":\"veteran_cadre\",\"team_type\":\"expert\",\"post\":\"前缀测试\"}",
			 codes[i]);
		create("/mentors", body);
		snprintf(body, sizeof body,
			 "{\"kind\":\"person\",\"name\":\"前缀测试对象\",\"category\":\"%s\","
			 "\"region\":\"%s\",\"post\":\"前缀测试\"}",
			 category, codes[i]);
		t_mentee[i] = create("/mentees", body);
		snprintf(body, sizeof body,
			 "{\"name\":\"前缀测试帮带组织%d\",\"kind\":\"party_org\",\"region\":\"%s\","
			 "\"description\":\"前缀测试\"}",
			 i, codes[i]);
		create("/mentor-orgs", body);
	}
	/* Victim accounts: written by the matrix, never by the sessions. */
	struct {
		const char *login;
		json_int_t mentee;
	} victims[] = {
		{"acc_v_xg", mentee_in(CODE_XG)}, {"acc_v_sib", mentee_in(CODE_SIB)},
		{"acc_v_lw", mentee_in(CODE_LW)}, {"acc_v_t1", t_mentee[0]},
		{"acc_v_t10", t_mentee[1]},
	};
	for (size_t i = 0; i < sizeof victims / sizeof victims[0]; i++) {
		snprintf(body, sizeof body,
			 "{\"login\":\"%s\",\"role\":\"mentee\",\"mentee\":%lld,"
			 "\"password\":\"" PW_VICTIM "\"}",
			 victims[i].login, (long long)victims[i].mentee);
		create("/users", body);
	}
	create("/users", "{\"login\":\"acc_v_sibadm\",\"role\":\"township_admin\",\"region\":\"" CODE_SIB
			 "\",\"password\":\"" PW_VICTIM "\"}");
	create("/users", "{\"login\":\"acc_t1_admin\",\"role\":\"township_admin\",\"region\":\"" CODE_T1
			 "\",\"password\":\"" PW_T1 "\"}");
}

/* A mentee of `label` (in its region, in no labelled region below it). */
static json_int_t mentee_of_label(int label)
{
	char rel[96];
	snprintf(rel, sizeof rel, "/mentees?region=%s", label_codes[label]);
	json_t *rows = fetch_all(CITY, rel, NULL);
	json_int_t id = 0;
	size_t i;
	json_t *it;
	json_array_foreach(rows, i, it)
		if (!id && ji(it, "id") != S[MENTEE].mentee && label_of(item_path(it)) == label)
			id = ji(it, "id");
	json_decref(rows);
	assert_true(id > 0);
	return id;
}

static json_int_t shared_runs[8];

/*
 * Matching objects, made by the city admin: the demo mentor and mentee
 * paired with each other (a lock makes the run of 习岗镇 pair them; the
 * run is approved, the lock lifted), so that their own pairings are
 * there to see among others'; then runs never decided, and a ban in
 * force, in each place the matrix tries.
 */
static void match_fixtures(void)
{
	char body[512], path[128];
	snprintf(body, sizeof body,
		 "{\"kind\":\"lock\",\"mentee\":%lld,\"mentor\":%lld,"
		 "\"reason\":\"access: pair the demo logins\"}",
		 (long long)S[MENTEE].mentee, (long long)S[MENTOR].mentor);
	json_int_t lock = create("/match/rules", body);
	json_int_t run = create("/match/runs", "{\"method\":\"auto\",\"region\":\"" CODE_XG "\"}");
	snprintf(path, sizeof path, API "/match/runs/%lld/approve", (long long)run);
	json_t *j = call(CITY, "POST", path, "{}", 200);
	assert_true(ji(j, "pairings_created") > 1);
	json_decref(j);
	snprintf(path, sizeof path, API "/match/rules/%lld", (long long)lock);
	json_decref(call(CITY, "DELETE", path, NULL, 200));

	const char *where[] = {CODE_HL, CODE_XG, CODE_SIB, CODE_LW, CODE_T1, CODE_T10};
	for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
		snprintf(body, sizeof body, "{\"method\":\"auto\",\"region\":\"%s\"}", where[i]);
		shared_runs[i] = create("/match/runs", body);
	}
	const int labels[] = {L_HL, L_XG, L_LW, L_T1, L_T10};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
		json_int_t mentee = mentee_of_label(labels[i]);
		json_int_t mentor = mentor_near(mentee_code(mentee));
		assert_true(mentor > 0);
		snprintf(body, sizeof body,
			 "{\"kind\":\"ban\",\"mentee\":%lld,\"mentor\":%lld,"
			 "\"reason\":\"access: a ban in %s\"}",
			 (long long)mentee, (long long)mentor, label_names[labels[i]]);
		create("/match/rules", body);
	}
}

static int group_setup(void **state)
{
	(void)state;
	if (testdb_create(&db, "access") != 0)
		return -1;
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s demo --db '%s' >/dev/null 2>&1", bin(), db.uri);
	if (system(cmd) != 0) {
		fprintf(stderr, "demo failed: %s\n", cmd);
		return -1;
	}
	if (httpc_spawn_server(db.uri, &srv) != 0)
		return -1;
	for (int w = 0; w < T1ADM; w++) {
		login(w, S[w].token, sizeof S[w].token);
		me(w);
	}
	fixtures();
	login(T1ADM, S[T1ADM].token, sizeof S[T1ADM].token);
	me(T1ADM);
	load_regions();
	for (int l = 0; l < L_SELF; l++)
		snprintf(label_path[l], sizeof label_path[l], "%s", region_find(label_codes[l])->path);
	/* The record a mentor or mentee login stands for, and where it is. */
	for (int w = 0; w < NSESS; w++) {
		if (!is_member(w))
			continue;
		char path[128];
		bool mentor = !strcmp(S[w].role, "mentor");
		snprintf(path, sizeof path, API "/%s/%lld", mentor ? "mentors" : "mentees",
			 (long long)(mentor ? S[w].mentor : S[w].mentee));
		json_t *j = get_ok(w, path);
		snprintf(S[w].home, sizeof S[w].home, "%s", region_find(js(j, "region"))->path);
		json_decref(j);
	}
	if (strcmp(S[T1ADM].path, label_path[L_T1]) || strcmp(S[TOWN].path, label_path[L_XG]) ||
	    strcmp(S[COUNTY].path, label_path[L_HL]) || strcmp(S[COUNTY_LW].path, label_path[L_LW])) {
		fprintf(stderr, "the demo logins are not where this test expects them\n");
		return -1;
	}
	load_routes();
	match_fixtures();
	discover("regions", "code");
	for (int i = 0; i < nrt; i++)
		if (rt[i].param[0])
			discover(rt[i].kind, rt[i].param);
	if (getenv("ACCESS_VERBOSE"))
		for (int i = 0; i < ntg; i++)
			fprintf(stderr, "target %-14s %-5s %-16s %s\n", tg[i].kind,
				label_names[tg[i].label], tg[i].value, tg[i].path);
	audit_baseline = audit_walk(0, NULL, NULL);
	counting = true;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	int st = httpc_stop_server(&srv);
	testdb_drop(&db);
	json_decref(openapi);
	free(regs);
	return st == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_lists_exact),
		cmocka_unit_test(test_prefix_sibling_hidden),
		cmocka_unit_test(test_denials_audited),
		cmocka_unit_test(test_audit_chain_verifies),
	};
	return cmocka_run_group_tests_name("access", tests, group_setup, group_teardown);
}
