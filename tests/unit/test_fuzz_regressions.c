/*
 * test_fuzz_regressions.c — every crash the fuzz targets (fuzz/) found,
 * kept as a unit test so that it stays fixed in the ordinary build and
 * under `make SAN=asan unit`, where the fuzzers do not run.
 *
 * One table per parser; each row is the input the fuzzer reduced, the
 * result the parser must give, and where the bug was. Inputs are passed
 * at their exact length in a heap buffer of that size (no NUL after), as
 * libFuzzer passes them, so that ASan sees a read past the end. Leaks
 * show under `make SAN=asan unit`, where LeakSanitizer checks at exit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/msg.h"
#include "http/static.h"
#include "match/match.h"
#include "service/service.h"

/* A heap copy of exactly n bytes (owned). */
static char *exact(const char *s, size_t n)
{
	char *p = malloc(n ? n : 1);
	assert_non_null(p);
	memcpy(p, s, n);
	return p;
}

/* ---- match_instance_parse (src/match/instance.c) ------------------------ */

static const struct {
	const char *name;
	const char *input;
	enum err want;
	long row; /* line of the error, when want != ERR_OK */
} instance_cases[] = {
	/* fuzz_instance: a first mentor line with an empty list computed
	 * hr->mlist + 0 while mlist was still NULL (undefined behaviour,
	 * reported by clang's UBSan as "applying zero offset to null
	 * pointer"; gcc's does not see it, so the input is also in
	 * fuzz/corpus/instance/regress-empty-first-list, which
	 * `make fuzz-smoke` replays under clang). */
	{"empty first mentor list, then garbage", "HR 1 1\n1 0 -0\n", ERR_INVALID, 2},
	{"empty first mentor list, valid", "HR 1 1\n1 0\n0\n", ERR_OK, 0},
	{"empty lists before a non-empty one", "HR 2 2\n1 0\n1 1 1\n0\n1 1\n", ERR_OK, 0},
};

static void test_instance_regressions(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof instance_cases / sizeof instance_cases[0]; c++) {
		size_t n = strlen(instance_cases[c].input);
		char *in = exact(instance_cases[c].input, n);
		struct match_instance inst;
		struct errinfo ei;
		match_instance_init(&inst);
		errinfo_clear(&ei);
		enum err e = match_instance_parse(&inst, in, n, &ei);
		if (e != instance_cases[c].want)
			fail_msg("%s: got %d (%s), want %d", instance_cases[c].name, e, ei.message,
				 instance_cases[c].want);
		if (e != ERR_OK)
			assert_int_equal(ei.row, instance_cases[c].row);
		else
			assert_int_equal(inst.kind, MATCH_KIND_HR);
		match_instance_release(&inst);
		free(in);
	}
}

/* ---- http_static_open (src/http/static.c) ------------------------------- */

static const struct {
	const char *name;
	const char *path;
	size_t len; /* 0: strlen(path) */
	enum err want;
} static_cases[] = {
	/* fuzz_static_path: the path (pointer and length by contract) was
	 * formatted with "%s", reading past its last byte to find a NUL —
	 * a heap-buffer-overflow when nothing follows the bytes. */
	{"a file, no NUL after the path", "/app.js", 0, ERR_OK},
	{"the index, no NUL after the path", "/", 0, ERR_OK},
	{"a prefix of a real name", "/app.jsx", 7, ERR_OK},
	{"a missing file", "/nope.js", 0, ERR_NOT_FOUND},
	{"a NUL inside the length", "/app.js\0.png", 12, ERR_NOT_FOUND},
};

static void test_static_regressions(void **state)
{
	(void)state;
	char top[] = "/tmp/bangdai-fuzzreg-XXXXXX";
	char p[160];
	assert_non_null(mkdtemp(top));
	snprintf(p, sizeof p, "%s/index.html", top);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs("<!doctype html>", f);
	fclose(f);
	snprintf(p, sizeof p, "%s/app.js", top);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("export {};", f);
	fclose(f);
	char *root = NULL;
	assert_int_equal(http_static_root(top, &root), ERR_OK);

	for (size_t c = 0; c < sizeof static_cases / sizeof static_cases[0]; c++) {
		size_t n = static_cases[c].len ? static_cases[c].len : strlen(static_cases[c].path);
		char *path = exact(static_cases[c].path, n);
		struct http_static_file sf;
		memset(&sf, 0, sizeof sf);
		enum err e = http_static_open(root, path, n, &sf);
		if (e != static_cases[c].want)
			fail_msg("%s: got %d, want %d", static_cases[c].name, e, static_cases[c].want);
		if (e == ERR_OK)
			close(sf.fd);
		free(path);
	}

	free(root);
	snprintf(p, sizeof p, "%s/index.html", top);
	unlink(p);
	snprintf(p, sizeof p, "%s/app.js", top);
	unlink(p);
	rmdir(top);
}

/* ---- the API's refusals (src/api/res_match.c) --------------------------- */

static const struct {
	const char *method, *path;
	int want;
} refusal_cases[] = {
	/* fuzz_router (corpus/router/delete-rule-missing) and the access
	 * suite's server under LeakSanitizer: reply() dropped the answer it
	 * was handed when the service refused, so every refused DELETE of a
	 * rule leaked a JSON object. */
	{"DELETE", "/api/v1/match/rules/999", 404},
	{"POST", "/api/v1/match/runs/999/discard", 404},
	{"POST", "/api/v1/match/runs/999/approve", 404},
};

static void test_api_refusals_free_their_answer(void **state)
{
	(void)state;
	char dir[] = "/tmp/bangdai-fuzzreg-XXXXXX";
	char db[96], auth[80], token[AUTH_TOKEN_BYTES], csrf[65];
	static const char pw[] = "regression-pw-1";
	struct service *svc = NULL;
	struct errinfo ei;
	struct region r;
	struct user u;
	struct actor who;
	errinfo_clear(&ei);
	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/reg.db", dir);
	assert_int_equal(service_open(db, 1, &svc, &ei), ERR_OK);
	memset(&r, 0, sizeof r);
	snprintf(r.code, sizeof r.code, "6401");
	snprintf(r.name, sizeof r.name, "银川市");
	r.level = 1;
	assert_int_equal(svc_region_create(svc, NULL, &r, 0, &ei), ERR_OK);
	memset(&u, 0, sizeof u);
	snprintf(u.login, sizeof u.login, "reg_city");
	snprintf(u.role, sizeof u.role, "city_admin");
	snprintf(u.region_code, sizeof u.region_code, "6401");
	assert_int_equal(svc_user_create(svc, NULL, &u, pw, strlen(pw), &ei), ERR_OK);
	assert_int_equal(service_login(svc, "reg_city", pw, strlen(pw), "127.0.0.1", token, csrf,
				       &who, &ei),
			 ERR_OK);
	snprintf(auth, sizeof auth, "Bearer %s", token);
	struct api *api = api_new(svc);
	const struct msg_handler *h = api_handler(api);

	for (size_t c = 0; c < sizeof refusal_cases / sizeof refusal_cases[0]; c++) {
		struct msg_request req = {
			.method = refusal_cases[c].method, .path = refusal_cases[c].path,
			.authorization = auth, .client_addr = "127.0.0.1",
		};
		struct msg_response res;
		memset(&res, 0, sizeof res);
		buf_init(&res.body, 1u << 20);
		h->handle(h->ctx, &req, &res);
		if (res.status != refusal_cases[c].want)
			fail_msg("%s %s: %d, want %d", refusal_cases[c].method, refusal_cases[c].path,
				 res.status, refusal_cases[c].want);
		buf_release(&res.body);
	}

	api_free(api);
	service_close(svc);
	static const char *const suffix[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < 3; i++) {
		char p[128];
		snprintf(p, sizeof p, "%s%s", db, suffix[i]);
		unlink(p);
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_instance_regressions),
		cmocka_unit_test(test_static_regressions),
		cmocka_unit_test(test_api_refusals_free_their_answer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
