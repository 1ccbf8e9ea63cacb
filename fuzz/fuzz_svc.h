/*
 * fuzz_svc.h — the fixture the API fuzz targets share (fuzz_router.c,
 * fuzz_session.c): a real service on a fresh, demo-less SQLite database
 * in a private temporary folder, the API handler on top of it, and three
 * logged-in users whose session tokens and CSRF tokens the inputs can
 * name by placeholder. Header-only so that each target stays one .c file.
 *
 * Placeholders (replaced in header values before the request is made, so
 * that the fuzzer can reach the code behind authentication without
 * guessing 256-bit tokens; the dictionaries carry them):
 *   $TA $CA  session and CSRF token of "fz_city"    (city_admin, 6401)
 *   $TC $CC  session and CSRF token of "fz_county"  (county_admin, 640122)
 *   $TU $CU  session and CSRF token of "fz_audit"   (auditor, 6401)
 *
 * The database lives under $TMPDIR, else under /dev/shm when it exists:
 * SQLite syncs every commit, and on a disk that would bound the fuzzer to
 * a few hundred requests a second (scripts/fuzz-run points TMPDIR at a
 * folder in /dev/shm that it removes, since a crash skips atexit).
 * Everything is removed at exit.
 *
 * Test code: it may use src/ internals (api/internal.h), never the other
 * way round.
 */
#ifndef BANGDAI_FUZZ_SVC_H
#define BANGDAI_FUZZ_SVC_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/msg.h"
#include "service/service.h"

#define FZ_PW "fuzz-password-1"
#define FZ_NUSERS 3

struct fz_user {
	const char *login, *role, *region;
	const char *tok_ph, *csrf_ph; /* placeholders */
	char token[AUTH_TOKEN_BYTES];
	char csrf[65];
};

static struct fz_fixture {
	char dir[96];
	char db[160];
	struct service *svc;
	struct api *api;
	const struct msg_handler *h;
	struct fz_user users[FZ_NUSERS];
} fz = {
	.users = {
		{"fz_city", "city_admin", "6401", "$TA", "$CA", "", ""},
		{"fz_county", "county_admin", "640122", "$TC", "$CC", "", ""},
		{"fz_audit", "auditor", "6401", "$TU", "$CU", "", ""},
	},
};

static void fz_die(const char *what, const struct errinfo *ei)
{
	fprintf(stderr, "fuzz fixture: %s failed: %s (%s)\n", what, ei ? ei->message : "",
		ei ? ei->field : "");
	abort();
}

static void fz_teardown(void)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	api_free(fz.api);
	fz.api = NULL;
	service_close(fz.svc);
	fz.svc = NULL;
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		char p[200];
		snprintf(p, sizeof p, "%s%s", fz.db, suffix[i]);
		unlink(p);
	}
	if (fz.dir[0])
		rmdir(fz.dir);
}

/* One request through the handler; the caller releases res->body. */
static void fz_handle(const struct msg_request *req, struct msg_response *res)
{
	memset(res, 0, sizeof *res);
	buf_init(&res->body, (size_t)64 << 20);
	fz.h->handle(fz.h->ctx, req, res);
}

/* A fixed setup request: POST/PATCH `body` to `path` as city admin; the
 * status must be `want`. */
static void fz_setup_call(const char *method, const char *path, const char *body, int want)
{
	char auth[80];
	snprintf(auth, sizeof auth, "Bearer %s", fz.users[0].token);
	struct msg_request req = {
		.method = method, .path = path, .body = body, .body_len = body ? strlen(body) : 0,
		.authorization = auth, .content_type = "application/json",
		.client_addr = "127.0.0.1",
	};
	struct msg_response res;
	fz_handle(&req, &res);
	if (res.status != want) {
		fprintf(stderr, "fuzz fixture: %s %s: status %d, want %d: %s\n", method, path,
			res.status, want, res.body.data ? res.body.data : "");
		abort();
	}
	buf_release(&res.body);
}

static void fz_region(const char *code, const char *name, int level, const char *parent)
{
	struct region r;
	struct errinfo ei;
	memset(&r, 0, sizeof r);
	errinfo_clear(&ei);
	snprintf(r.code, sizeof r.code, "%s", code);
	snprintf(r.name, sizeof r.name, "%s", name);
	r.level = level;
	snprintf(r.parent_code, sizeof r.parent_code, "%s", parent);
	if (svc_region_create(fz.svc, NULL, &r, 0, &ei))
		fz_die("region", &ei);
}

static void fz_vocab(const char *kind, const char *code, const char *name)
{
	struct vocab v;
	struct errinfo ei;
	memset(&v, 0, sizeof v);
	errinfo_clear(&ei);
	snprintf(v.kind, sizeof v.kind, "%s", kind);
	snprintf(v.code, sizeof v.code, "%s", code);
	snprintf(v.name, sizeof v.name, "%s", name);
	if (svc_vocab_create(fz.svc, NULL, &v, &ei))
		fz_die("vocab", &ei);
}

/* Build the fixture once per process (LLVMFuzzerInitialize). */
static void fz_setup(void)
{
	struct errinfo ei;
	struct stat st;
	errinfo_clear(&ei);
	log_set_level(LOG_ERROR);
	const char *base = getenv("TMPDIR");
	if (!base || !*base)
		base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
				       access("/dev/shm", W_OK) == 0
			       ? "/dev/shm"
			       : "/tmp";
	snprintf(fz.dir, sizeof fz.dir, "%s/bangdai-fuzz-XXXXXX", base);
	if (!mkdtemp(fz.dir))
		fz_die("mkdtemp", NULL);
	snprintf(fz.db, sizeof fz.db, "%s/fuzz.db", fz.dir);
	atexit(fz_teardown);
	if (service_open(fz.db, 2, &fz.svc, &ei))
		fz_die("service_open", &ei);

	fz_region("6401", "银川市", 1, "");
	fz_region("640122", "贺兰县", 2, "6401");
	fz_region("640181", "灵武市", 2, "6401");
	/* K1 is a prefix of K10 as a string, never as a path. */
	fz_region("K1", "习岗镇", 3, "640122");
	fz_region("K10", "金贵镇", 3, "640122");
	fz_region("V1", "新平村", 4, "K1");
	fz_region("T81", "宁东镇", 3, "640181");
	fz_vocab("source", "veteran_cadre", "老乡镇老先进");
	fz_vocab("category", "young_cadre", "年轻干部");
	fz_vocab("domain", "party_building", "党建");
	fz_vocab("talent_team", "tech", "科技");

	for (int i = 0; i < FZ_NUSERS; i++) {
		struct fz_user *u = &fz.users[i];
		struct user rec;
		struct actor who;
		memset(&rec, 0, sizeof rec);
		snprintf(rec.login, sizeof rec.login, "%s", u->login);
		snprintf(rec.role, sizeof rec.role, "%s", u->role);
		snprintf(rec.region_code, sizeof rec.region_code, "%s", u->region);
		if (svc_user_create(fz.svc, NULL, &rec, FZ_PW, strlen(FZ_PW), &ei))
			fz_die("user", &ei);
		if (service_login(fz.svc, u->login, FZ_PW, strlen(FZ_PW), "127.0.0.1", u->token,
				  u->csrf, &who, &ei))
			fz_die("login", &ei);
	}
	fz.api = api_new(fz.svc);
	fz.h = api_handler(fz.api);

	/* A few records, so that paths with an {id} find something. */
	fz_setup_call("POST", "/api/v1/mentors",
		      "{\"name\":\"测试导师\",\"gender\":\"男\",\"phone\":\"13912345678\","
		      "\"region\":\"K1\",\"tier\":\"township\",\"source\":\"veteran_cadre\","
		      "\"team_type\":\"experienced\",\"capacity\":2,\"domains\":[\"party_building\"]}",
		      201);
	fz_setup_call("POST", "/api/v1/organisations", "{\"name\":\"新平村党支部\",\"region\":\"V1\"}",
		      201);
	fz_setup_call("POST", "/api/v1/mentees",
		      "{\"kind\":\"person\",\"name\":\"张三\",\"region\":\"K1\","
		      "\"category\":\"young_cadre\",\"weaknesses\":[\"party_building\"]}",
		      201);
	fz_setup_call("POST", "/api/v1/mentor-orgs",
		      "{\"name\":\"帮带组织\",\"kind\":\"party_org\",\"region\":\"640122\"}", 201);
	fz_setup_call("POST", "/api/v1/menus",
		      "{\"region\":\"640122\",\"name\":\"菜单\",\"year\":2030}", 201);
}

/* Index of the user whose session token is exactly `tok` (NUL-terminated),
 * or -1. */
static inline int fz_user_of_token(const char *tok)
{
	for (int i = 0; i < FZ_NUSERS; i++)
		if (strcmp(tok, fz.users[i].token) == 0)
			return i;
	return -1;
}

/*
 * Copy in[0..n) to a new NUL-terminated string (returned owned), with the
 * placeholders replaced by the fixture's tokens. NULs in the input stay
 * (the caller decides whether a NUL makes the input unusable).
 * *out_len gets the length.
 */
static char *fz_expand(const char *in, size_t n, size_t *out_len)
{
	size_t cap = n * (AUTH_TOKEN_BYTES + 65) / 3 + 1 + 64 + 65;
	char *out = malloc(cap);
	size_t o = 0;
	if (!out)
		abort();
	for (size_t i = 0; i < n;) {
		bool done = false;
		if (in[i] == '$' && i + 3 <= n) {
			for (int u = 0; u < FZ_NUSERS && !done; u++) {
				const char *val = NULL;
				if (memcmp(in + i, fz.users[u].tok_ph, 3) == 0)
					val = fz.users[u].token;
				else if (memcmp(in + i, fz.users[u].csrf_ph, 3) == 0)
					val = fz.users[u].csrf;
				if (val) {
					size_t l = strlen(val);
					memcpy(out + o, val, l);
					o += l;
					i += 3;
					done = true;
				}
			}
		}
		if (!done)
			out[o++] = in[i++];
	}
	out[o] = '\0';
	if (out_len)
		*out_len = o;
	return out;
}

#endif
