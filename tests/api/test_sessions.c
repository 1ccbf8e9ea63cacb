/*
 * test_sessions.c — sessions over real HTTP (issue 8, "sessions"): idle
 * and absolute expiry, revocation when a user is disabled (through the
 * API and by `bangdai user disable` from another process), logout, the
 * cookie's attributes, CSRF for cookie sessions only, and the security
 * headers on every kind of response.
 *
 * The server runs with BANGDAI_SESSION_IDLE=2 and
 * BANGDAI_SESSION_ABSOLUTE=4 (seconds) and --secure-cookie, so every
 * test logs in afresh. tests/api/test_api.c covers the cookie logout
 * with and without the CSRF header; this suite does not repeat it.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "../testdb.h"
#include "core/limits.h"
#include "libhttpc.h"

#define IDLE 2
#define ABSOLUTE 4

static struct httpc_server srv;
static struct testdb db;
static pthread_t expiry_thread; /* see test_expiry_start */
static bool expiry_started;

static const char *bin(void)
{
	const char *b = getenv("BANGDAI_BIN");
	return b ? b : "./bangdai";
}

static void sleep_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000};
	nanosleep(&t, NULL);
}

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

struct session {
	char token[64];
	char cookie[128]; /* "Cookie: bd_session=..." */
	char csrf[128];   /* "X-CSRF-Token: ..." */
	char set_cookie[256];
};

static void login(const char *who, const char *pw, struct session *s)
{
	char body[160];
	snprintf(body, sizeof body, "{\"login\":\"%s\",\"password\":\"%s\"}", who, pw);
	struct httpc_response r;
	assert_int_equal(httpc_request(srv.port, "POST", "/api/v1/auth/login", NULL, body, &r), 0);
	if (r.status != 200)
		fprintf(stderr, "login %s: %d %s\n", who, r.status, r.body);
	assert_int_equal(r.status, 200);
	const char *sc = httpc_header(&r, "Set-Cookie");
	assert_non_null(sc);
	snprintf(s->set_cookie, sizeof s->set_cookie, "%s", sc);
	snprintf(s->cookie, sizeof s->cookie, "Cookie: %.*s", (int)strcspn(sc, ";"), sc);
	json_t *j = httpc_json(&r);
	snprintf(s->token, sizeof s->token, "%s", json_string_value(json_object_get(j, "token")));
	snprintf(s->csrf, sizeof s->csrf, "X-CSRF-Token: %s",
		 json_string_value(json_object_get(j, "csrf")));
	json_decref(j);
	httpc_response_release(&r);
}

static int get_status(const char *path, const char *token)
{
	struct httpc_response r;
	assert_int_equal(httpc_request(srv.port, "GET", path, token, NULL, &r), 0);
	int st = r.status;
	httpc_response_release(&r);
	return st;
}

static int send_status(const char *method, const char *path, const char *token,
		       const char *const *headers, const char *body)
{
	struct httpc_response r;
	assert_int_equal(httpc_request_h(srv.port, method, path, token, headers, body, &r), 0);
	int st = r.status;
	httpc_response_release(&r);
	return st;
}

static int group_setup(void **state)
{
	(void)state;
	if (testdb_create(&db, "sessions") != 0)
		return -1;
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s demo --db '%s' >/dev/null 2>&1", bin(), db.uri);
	if (system(cmd) != 0) {
		fprintf(stderr, "demo failed: %s\n", cmd);
		return -1;
	}
	setenv("BANGDAI_SESSION_IDLE", "2", 1);
	setenv("BANGDAI_SESSION_ABSOLUTE", "4", 1);
	struct stat st;
	const char *with_web[] = {"--secure-cookie", "--web", "web", NULL};
	const char *without[] = {"--secure-cookie", NULL};
	int rc = httpc_spawn_server_args(db.uri, stat("web/index.html", &st) == 0 ? with_web : without,
					 &srv);
	unsetenv("BANGDAI_SESSION_IDLE");
	unsetenv("BANGDAI_SESSION_ABSOLUTE");
	return rc;
}

static int group_teardown(void **state)
{
	(void)state;
	if (expiry_started)
		pthread_join(expiry_thread, NULL);
	int st = httpc_stop_server(&srv);
	testdb_drop(&db);
	return st == 0 ? 0 : -1;
}

/* Idle and absolute expiry run in a thread beside the other tests, so
 * that the suite does not wait for the clock: test_expiry_start logs in
 * two sessions and starts the schedule below, test_expiry_checked (the
 * last test) waits for it and checks every answer. A session in use
 * lives past the idle time but not past the absolute one; an unused one
 * ends after the idle time. */
struct expiry_step {
	long at_ms;       /* after t0 */
	int used;         /* 1: the used session, 0: the unused one */
	bool cookie;      /* send the cookie instead of the token */
	int want;         /* 0: any (a use that keeps it from idling) */
	const char *what;
	int got;
};
static struct expiry_step steps[] = {
	{0, 1, false, 200, "used at 0 s", 0},
	{0, 0, false, 200, "unused at 0 s", 0},
	{1000, 1, false, 200, "used at 1 s", 0},
	{2000, 1, false, 200, "used at 2 s", 0},
	{3000, 1, false, 200, "used at 3 s", 0},
	/* Idle > 2 s in whole seconds: 3 s after its last use. */
	{3200, 0, false, 401, "unused, idle at 3.2 s", 0},
	{3200, 0, true, 401, "unused (cookie), idle at 3.2 s", 0},
	{4000, 1, false, 0, "used at 4 s", 0},
	/* Older than 4 s in whole seconds: 5 s after login. */
	{(ABSOLUTE + 1) * 1000L + 300, 1, false, 401, "used, past the absolute limit", 0},
	{(ABSOLUTE + 1) * 1000L + 300, 1, true, 401, "used (cookie), past the absolute limit", 0},
};
#define NSTEPS (sizeof steps / sizeof steps[0])
static struct session expiry[2]; /* [0] unused, [1] used */
static void *expiry_main(void *arg)
{
	long t0 = *(long *)arg;
	for (size_t i = 0; i < NSTEPS; i++) {
		long wait = t0 + steps[i].at_ms - now_ms();
		if (wait > 0)
			sleep_ms(wait);
		const struct session *s = &expiry[steps[i].used];
		const char *h[] = {s->cookie, NULL};
		struct httpc_response r;
		int rc = httpc_request_h(srv.port, "GET", "/api/v1/auth/me",
					 steps[i].cookie ? NULL : s->token,
					 steps[i].cookie ? h : NULL, NULL, &r);
		steps[i].got = rc == 0 ? r.status : -1;
		httpc_response_release(&r);
	}
	return NULL;
}

static void test_expiry_start(void **state)
{
	(void)state;
	static long t0;
	/* `used` last, so that its age is known from t0 (a login takes an
	 * argon2id run, which may be slow on a busy machine). */
	login("county_admin", "bangdai-demo", &expiry[0]);
	login("county_admin", "bangdai-demo", &expiry[1]);
	t0 = now_ms();
	assert_int_equal(pthread_create(&expiry_thread, NULL, expiry_main, &t0), 0);
	expiry_started = true;
}

static void test_expiry_checked(void **state)
{
	(void)state;
	assert_true(expiry_started);
	pthread_join(expiry_thread, NULL);
	expiry_started = false;
	int bad = 0;
	for (size_t i = 0; i < NSTEPS; i++)
		if (steps[i].want && steps[i].got != steps[i].want) {
			fprintf(stderr, "%s: %d, want %d\n", steps[i].what, steps[i].got,
				steps[i].want);
			bad++;
		}
	assert_int_equal(bad, 0);
	/* An expired session stays expired. */
	assert_int_equal(get_status("/api/v1/stats", expiry[1].token), 401);
}

static void create_user(const struct session *admin, const char *login_name)
{
	char body[256];
	snprintf(body, sizeof body,
		 "{\"login\":\"%s\",\"role\":\"auditor\",\"region\":\"6401\","
		 "\"password\":\"victim-pass-1\"}",
		 login_name);
	struct httpc_response r;
	assert_int_equal(httpc_request(srv.port, "POST", "/api/v1/users", admin->token, body, &r), 0);
	if (r.status != 201)
		fprintf(stderr, "create user: %d %s\n", r.status, r.body);
	assert_int_equal(r.status, 201);
	httpc_response_release(&r);
}

/* Disabling a user ends its open sessions at once, through the API and
 * from the CLI (another process on the same database). */
static void test_disable_revokes(void **state)
{
	(void)state;
	struct session admin, victim;
	login("city_admin", "bangdai-demo", &admin);
	create_user(&admin, "victim_api");
	login("victim_api", "victim-pass-1", &victim);
	assert_int_equal(get_status("/api/v1/auth/me", victim.token), 200);
	assert_int_equal(get_status("/api/v1/stats", victim.token), 200); /* now cached */
	assert_int_equal(send_status("PUT", "/api/v1/users/victim_api/disabled", admin.token, NULL,
				     "{\"disabled\":true}"),
			 200);
	assert_int_equal(get_status("/api/v1/stats", victim.token), 401);
	assert_int_equal(get_status("/api/v1/auth/me", victim.token), 401);
	/* Nor can it log in again. */
	struct httpc_response r;
	assert_int_equal(httpc_request(srv.port, "POST", "/api/v1/auth/login", NULL,
				       "{\"login\":\"victim_api\",\"password\":\"victim-pass-1\"}", &r),
			 0);
	assert_int_equal(r.status, 401);
	httpc_response_release(&r);

	create_user(&admin, "victim_cli");
	login("victim_cli", "victim-pass-1", &victim);
	assert_int_equal(get_status("/api/v1/stats", victim.token), 200);
	assert_int_equal(get_status("/api/v1/stats", victim.token), 200);
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s user disable --login victim_cli --db '%s' >/dev/null 2>&1",
		 bin(), db.uri);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(get_status("/api/v1/stats", victim.token), 401);
	/* Enabled again, the old session stays dead: a new login is needed. */
	snprintf(cmd, sizeof cmd, "%s user enable --login victim_cli --db '%s' >/dev/null 2>&1",
		 bin(), db.uri);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(get_status("/api/v1/stats", victim.token), 401);
	login("victim_cli", "victim-pass-1", &victim);
	assert_int_equal(get_status("/api/v1/stats", victim.token), 200);
}

/* Logout with a bearer token needs no CSRF header and ends the session
 * for its token and its cookie alike. */
static void test_logout_revokes(void **state)
{
	(void)state;
	struct session s;
	login("auditor", "bangdai-demo", &s);
	assert_int_equal(get_status("/api/v1/stats", s.token), 200);
	struct httpc_response r;
	assert_int_equal(httpc_request(srv.port, "POST", "/api/v1/auth/logout", s.token, "{}", &r), 0);
	assert_int_equal(r.status, 200);
	const char *sc = httpc_header(&r, "Set-Cookie");
	assert_non_null(sc);
	assert_non_null(strstr(sc, "Max-Age=0"));
	assert_non_null(strstr(sc, "HttpOnly"));
	assert_non_null(strstr(sc, "Secure"));
	httpc_response_release(&r);
	assert_int_equal(get_status("/api/v1/stats", s.token), 401);
	const char *h[] = {s.cookie, NULL};
	assert_int_equal(send_status("GET", "/api/v1/stats", NULL, h, NULL), 401);
}

static bool has_attr(const char *set_cookie, const char *attr)
{
	size_t n = strlen(attr);
	for (const char *p = strchr(set_cookie, ';'); p; p = strchr(p + 1, ';')) {
		const char *a = p + 1;
		while (*a == ' ')
			a++;
		if (strncasecmp(a, attr, n) == 0 && (a[n] == ';' || a[n] == '\0' || a[n] == '='))
			return true;
	}
	return false;
}

static void test_cookie_attributes(void **state)
{
	(void)state;
	struct session s;
	login("mentor", "bangdai-demo", &s);
	assert_true(strncmp(s.set_cookie, "bd_session=", 11) == 0);
	assert_true(has_attr(s.set_cookie, "HttpOnly"));
	assert_true(has_attr(s.set_cookie, "SameSite=Strict"));
	assert_true(has_attr(s.set_cookie, "Secure")); /* --secure-cookie */
	assert_true(has_attr(s.set_cookie, "Path=/"));
	/* The token in the cookie is the session's token. */
	assert_non_null(strstr(s.set_cookie, s.token));
}

/* Count audit entries "denied" for object `what` by `login`. */
static int denials(const char *admin_token, const char *login_name, const char *what)
{
	int n = 0;
	json_int_t after = 0;
	for (;;) {
		char path[128];
		snprintf(path, sizeof path, "/api/v1/audit?after=%lld&limit=500", (long long)after);
		struct httpc_response r;
		assert_int_equal(httpc_request(srv.port, "GET", path, admin_token, NULL, &r), 0);
		assert_int_equal(r.status, 200);
		json_t *j = httpc_json(&r);
		httpc_response_release(&r);
		json_t *items = json_object_get(j, "items"), *it;
		size_t i;
		json_array_foreach(items, i, it) {
			after = json_integer_value(json_object_get(it, "id"));
			n += !strcmp(json_string_value(json_object_get(it, "action")), "denied") &&
			     !strcmp(json_string_value(json_object_get(it, "object")), what) &&
			     !strcmp(json_string_value(json_object_get(it, "login")), login_name);
		}
		size_t cnt = json_array_size(items);
		json_decref(j);
		if (cnt < 500)
			return n;
	}
}

/* A cookie session must send its CSRF token with every write: without
 * it or with a wrong one the write is refused (403) and audited, with it
 * the write is done. Reads need none, and bearer tokens need none. */
static void test_csrf(void **state)
{
	(void)state;
	struct session s;
	login("city_admin", "bangdai-demo", &s);
	int before = denials(s.token, "city_admin", "csrf");
	const char *no_csrf[] = {s.cookie, NULL};
	const char *wrong[] = {s.cookie,
			       "X-CSRF-Token: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL};
	const char *right[] = {s.cookie, s.csrf, NULL};
	assert_int_equal(send_status("POST", "/api/v1/vocab", NULL, no_csrf,
				     "{\"kind\":\"domain\",\"code\":\"csrf_a\",\"name\":\"甲\"}"),
			 403);
	assert_int_equal(send_status("POST", "/api/v1/vocab", NULL, wrong,
				     "{\"kind\":\"domain\",\"code\":\"csrf_a\",\"name\":\"甲\"}"),
			 403);
	assert_int_equal(denials(s.token, "city_admin", "csrf"), before + 2);
	/* Nothing was written. */
	struct httpc_response r;
	assert_int_equal(httpc_request(srv.port, "GET", "/api/v1/vocab?kind=domain", s.token, NULL, &r),
			 0);
	assert_null(strstr(r.body, "csrf_a"));
	httpc_response_release(&r);
	assert_int_equal(send_status("GET", "/api/v1/vocab?kind=domain", NULL, no_csrf, NULL), 200);
	assert_int_equal(send_status("POST", "/api/v1/vocab", NULL, right,
				     "{\"kind\":\"domain\",\"code\":\"csrf_a\",\"name\":\"甲\"}"),
			 201);
	/* Bearer: no CSRF header needed. */
	assert_int_equal(send_status("POST", "/api/v1/vocab", s.token, NULL,
				     "{\"kind\":\"domain\",\"code\":\"csrf_b\",\"name\":\"乙\"}"),
			 201);
	/* A session's CSRF token does not serve another session. */
	struct session other;
	login("city_admin", "bangdai-demo", &other);
	const char *crossed[] = {other.cookie, s.csrf, NULL};
	assert_int_equal(send_status("POST", "/api/v1/vocab", NULL, crossed,
				     "{\"kind\":\"domain\",\"code\":\"csrf_c\",\"name\":\"丙\"}"),
			 403);
}

/* ---- security headers ------------------------------------------------- */

static void check_security_headers(const struct httpc_response *r, const char *what)
{
	const char *csp = httpc_header(r, "Content-Security-Policy");
	const char *xcto = httpc_header(r, "X-Content-Type-Options");
	const char *xfo = httpc_header(r, "X-Frame-Options");
	const char *rp = httpc_header(r, "Referrer-Policy");
	if (!csp || !xcto || !rp)
		fprintf(stderr, "%s (%d): a security header is missing\n", what, r->status);
	assert_non_null(csp);
	assert_non_null(xcto);
	assert_non_null(rp);
	assert_string_equal(xcto, "nosniff");
	/* Scripts only from our origin: no inline script, no eval. */
	const char *ss = strstr(csp, "script-src ");
	if (!ss)
		ss = strstr(csp, "default-src ");
	assert_non_null(ss);
	size_t n = strcspn(ss, ";");
	char dir[256];
	snprintf(dir, sizeof dir, "%.*s", (int)n, ss);
	assert_null(strstr(dir, "'unsafe-inline'"));
	assert_null(strstr(dir, "'unsafe-eval'"));
	assert_null(strstr(dir, "*"));
	/* Not framed by anyone. */
	assert_true((xfo && !strcasecmp(xfo, "DENY")) || strstr(csp, "frame-ancestors 'none'"));
}

static void test_security_headers(void **state)
{
	(void)state;
	struct session s;
	login("city_admin", "bangdai-demo", &s);
	struct {
		const char *what;
		const char *method, *path, *body;
		bool auth;
		int status;
	} reqs[] = {
		{"API read", "GET", "/api/v1/stats", NULL, true, 200},
		{"API write", "POST", "/api/v1/vocab",
		 "{\"kind\":\"domain\",\"code\":\"hdr_a\",\"name\":\"丁\"}", true, 201},
		{"API 401", "GET", "/api/v1/stats", NULL, false, 401},
		{"API 404", "GET", "/api/v1/nothing-here", NULL, true, 404},
		{"API 400", "POST", "/api/v1/vocab", "{\"kind\":", true, 400},
		{"API 405", "DELETE", "/api/v1/stats", NULL, true, 405},
		{"static 404", "GET", "/no-such-file.js", NULL, false, 404},
		{"static 405", "POST", "/index.html", "{}", false, 405},
	};
	for (size_t i = 0; i < sizeof reqs / sizeof reqs[0]; i++) {
		struct httpc_response r;
		assert_int_equal(httpc_request(srv.port, reqs[i].method, reqs[i].path,
					       reqs[i].auth ? s.token : NULL, reqs[i].body, &r),
				 0);
		if (r.status != reqs[i].status)
			fprintf(stderr, "%s: %d %s\n", reqs[i].what, r.status, r.body);
		assert_int_equal(r.status, reqs[i].status);
		check_security_headers(&r, reqs[i].what);
		httpc_response_release(&r);
	}
	/* Static files, when the server has a web root. */
	struct stat st;
	if (stat("web/index.html", &st) == 0) {
		const char *files[] = {"/", "/index.html"};
		for (size_t i = 0; i < 2; i++) {
			struct httpc_response r;
			assert_int_equal(httpc_request(srv.port, "GET", files[i], NULL, NULL, &r), 0);
			assert_int_equal(r.status, 200);
			check_security_headers(&r, files[i]);
			httpc_response_release(&r);
		}
	}
	/* Errors of the transport, before any handler: 413, 400, 414, 431. */
	char req[4096];
	const char *raw[4];
	snprintf(req, sizeof req,
		 "POST /api/v1/vocab HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
		 "Content-Length: %u\r\n\r\n",
		 LIMIT_BODY_BYTES + 1);
	raw[0] = strdup(req);
	raw[1] = "POST /api/v1/vocab HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
		 "Transfer-Encoding: chunked\r\n\r\n{}";
	char *url = malloc(LIMIT_URL_BYTES + 200);
	assert_non_null(url);
	int n = sprintf(url, "GET /api/v1/stats?q=");
	memset(url + n, 'u', LIMIT_URL_BYTES);
	sprintf(url + n + LIMIT_URL_BYTES, " HTTP/1.1\r\nHost: x\r\n\r\n");
	raw[2] = url;
	char *big = malloc(LIMIT_HEADER_BYTES + 200);
	assert_non_null(big);
	n = sprintf(big, "GET /api/v1/stats HTTP/1.1\r\nHost: x\r\nX-Big: ");
	memset(big + n, 'h', LIMIT_HEADER_BYTES);
	sprintf(big + n + LIMIT_HEADER_BYTES, "\r\n\r\n");
	raw[3] = big;
	int want[] = {413, 400, 414, 431};
	for (int i = 0; i < 4; i++) {
		struct httpc_response r;
		assert_int_equal(httpc_raw(srv.port, raw[i], strlen(raw[i]), &r), 0);
		assert_int_equal(r.status, want[i]);
		check_security_headers(&r, "transport error");
		httpc_response_release(&r);
	}
	free((void *)raw[0]);
	free(url);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expiry_start),
		cmocka_unit_test(test_cookie_attributes),
		cmocka_unit_test(test_csrf),
		cmocka_unit_test(test_logout_revokes),
		cmocka_unit_test(test_disable_revokes),
		cmocka_unit_test(test_security_headers),
		cmocka_unit_test(test_expiry_checked),
	};
	return cmocka_run_group_tests_name("sessions", tests, group_setup, group_teardown);
}
