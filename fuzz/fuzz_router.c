/*
 * fuzz_router.c — libFuzzer target: the API router and everything behind
 * it (route matching with {id}/{code}, query keys and values, session and
 * role checks, CSRF, body media type, JSON syntax and depth, the field
 * specs, the handlers and the service) on a real SQLite database.
 *
 * Input: an HTTP request as the transport (src/http/server.c) would hand
 * it over, written as text:
 *
 *   METHOD SP PATH[?QUERY] LF
 *   Name: value LF          (Authorization, Cookie, X-CSRF-Token,
 *   ...                      Content-Type; others are ignored)
 *   LF
 *   BODY                    (the rest, bytes)
 *
 * The path and the query are percent-decoded here as libmicrohttpd does,
 * and the transport's own refusals are applied first (URL over
 * LIMIT_URL_BYTES, a NUL, a path outside /api/, more than 64 or repeated
 * query keys, a repeated header, headers over LIMIT_HEADER_BYTES): such
 * inputs never reach the handler, so they are not run. $TA/$TC/$TU and
 * $CA/$CC/$CU in header values are the fixture's session and CSRF tokens
 * (fuzz_svc.h).
 *
 * Not run: routes the handler marks slow (password hashing, whole
 * matching runs: ~0.1 s each), logout and account disabling (they would
 * end the fixture's sessions; the API suites cover them).
 *
 * Checks, beyond the sanitizers:
 *   - every answer has a status the API documents (never 0 or 5xx: a
 *     500 on client input is a bug) and a body that is valid JSON with
 *     an "error" object whenever the status is 4xx;
 *   - without one of the fixture's tokens in Authorization or Cookie,
 *     only a public route (R_PUBLIC in the route table) answers 2xx;
 *   - the auditor never changes anything (no 2xx on a non-GET).
 */
#include <stdint.h>
#include <strings.h>

#include "api/internal.h"
#include "fuzz_svc.h"

#define URL_MAX 2048   /* LIMIT_URL_BYTES */
#define HDR_MAX 8192   /* LIMIT_HEADER_BYTES */
#define ARGS_MAX 64    /* HTTP_QUERY_ARGS_MAX in src/http/server.c */

struct qargs {
	int n;
	char *key[ARGS_MAX];
	char *val[ARGS_MAX];
};

static const char *q_get(void *ctx, const char *key)
{
	const struct qargs *q = ctx;
	for (int i = 0; i < q->n; i++)
		if (strcmp(q->key[i], key) == 0)
			return q->val[i];
	return NULL;
}

static void q_each(void *ctx, void (*fn)(void *arg, const char *key, const char *val), void *arg)
{
	const struct qargs *q = ctx;
	for (int i = 0; i < q->n; i++)
		fn(arg, q->key[i], q->val[i]);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode s[0..n) into a new string (owned); NULL if the result
 * would hold a NUL (the transport refuses "%00"). */
static char *pct_decode(const char *s, size_t n)
{
	char *out = malloc(n + 1);
	size_t o = 0;
	if (!out)
		abort();
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		}
		if (c == '\0') {
			free(out);
			return NULL;
		}
		out[o++] = c;
	}
	out[o] = '\0';
	return out;
}

/* Split the query into decoded key/value pairs; false if the transport
 * would refuse it. */
static bool parse_query(const char *q, size_t n, struct qargs *qa)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && q[j] != '&')
			j++;
		if (j > i) {
			if (qa->n >= ARGS_MAX)
				return false;
			const char *eq = memchr(q + i, '=', j - i);
			size_t kl = eq ? (size_t)(eq - (q + i)) : j - i;
			char *k = pct_decode(q + i, kl);
			char *v = eq ? pct_decode(eq + 1, (size_t)(q + j - eq - 1)) : strdup("");
			if (!k || !v) {
				free(k);
				free(v);
				return false;
			}
			for (int a = 0; a < qa->n; a++)
				if (strcmp(qa->key[a], k) == 0) {
					free(k);
					free(v);
					return false;
				}
			qa->key[qa->n] = k;
			qa->val[qa->n] = v;
			qa->n++;
		}
		i = j + 1;
	}
	return true;
}

static bool is_token_in(const char *hdr)
{
	if (!hdr)
		return false;
	for (int i = 0; i < FZ_NUSERS; i++)
		if (strstr(hdr, fz.users[i].token))
			return true;
	return false;
}

/* A route anyone may call (R_PUBLIC in src/api/routes.c). */
static bool is_public(const char *method, const char *path)
{
	for (int i = 0; i < api_nroutes; i++)
		if (api_routes[i].roles == R_PUBLIC && !strcmp(api_routes[i].method, method) &&
		    !strcmp(api_routes[i].pattern, path))
			return true;
	return false;
}

static bool documented_status(int s)
{
	switch (s) {
	case 200: case 201: case 204:
	case 400: case 401: case 403: case 404: case 405: case 409: case 413: case 415:
	case 422: case 429:
		return true;
	default:
		return false;
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_setup();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data, *end = in + size;
	const char *nl = memchr(in, '\n', size);
	if (!nl)
		return 0;
	/* Request line. */
	const char *sp = memchr(in, ' ', (size_t)(nl - in));
	if (!sp || sp == in || memchr(in, '\0', (size_t)(nl - in)))
		return 0;
	size_t tlen = (size_t)(nl - sp - 1);
	if (tlen > 0 && sp[1 + tlen - 1] == '\r')
		tlen--;
	if (tlen == 0 || tlen > URL_MAX)
		return 0;
	char method[32];
	if ((size_t)(sp - in) >= sizeof method)
		return 0;
	memcpy(method, in, (size_t)(sp - in));
	method[sp - in] = '\0';
	const char *target = sp + 1;
	const char *qm = memchr(target, '?', tlen);
	size_t plen = qm ? (size_t)(qm - target) : tlen;

	struct qargs qa = {0};
	char *path = NULL, *hv[4] = {NULL, NULL, NULL, NULL};
	static const char *const hn[4] = {"Authorization", "Cookie", "X-CSRF-Token",
					  "Content-Type"};
	size_t hbytes = 0;
	struct msg_response res;
	bool ran = false;

	path = pct_decode(target, plen);
	if (!path || strncmp(path, "/api/", 5) != 0)
		goto out;
	if (qm && !parse_query(qm + 1, tlen - plen - 1, &qa))
		goto out;

	/* Headers, up to an empty line. */
	const char *p = nl + 1;
	while (p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		size_t l = e ? (size_t)(e - p) : (size_t)(end - p);
		const char *next = e ? e + 1 : end;
		if (l > 0 && p[l - 1] == '\r')
			l--;
		if (l == 0) {
			p = next;
			break;
		}
		if (memchr(p, '\0', l))
			goto out;
		hbytes += l + 2;
		const char *colon = memchr(p, ':', l);
		if (colon) {
			size_t nlen = (size_t)(colon - p);
			const char *v = colon + 1;
			while (v < p + l && (*v == ' ' || *v == '\t'))
				v++;
			for (int h = 0; h < 4; h++)
				if (strlen(hn[h]) == nlen && strncasecmp(p, hn[h], nlen) == 0) {
					if (hv[h])
						goto out; /* repeated header: refused */
					hv[h] = fz_expand(v, (size_t)(p + l - v), NULL);
				}
		}
		p = next;
	}
	if (hbytes > HDR_MAX)
		goto out;

	if (fz.h->is_slow(fz.h->ctx, method, path))
		goto out;
	if (!strcmp(path, "/api/v1/auth/logout"))
		goto out;
	if (!strncmp(path, "/api/v1/users/", 14) && strstr(path + 14, "/disabled"))
		goto out;

	struct msg_request req = {
		.method = method,
		.path = path,
		.body = p < end ? p : NULL,
		.body_len = (size_t)(end - p),
		.authorization = hv[0],
		.cookie = hv[1],
		.csrf = hv[2],
		.content_type = hv[3],
		.client_addr = "127.0.0.1",
		.query_get = q_get,
		.query_each = q_each,
		.query_ctx = &qa,
	};
	fz_handle(&req, &res);
	ran = true;
	if (getenv("FZ_TRACE")) /* to see what a corpus file does */
		fprintf(stderr, "%d %s %s %.200s\n", res.status, method, path,
			res.body.data ? res.body.data : "");

	/* The answer is one the API documents, as JSON. */
	if (!documented_status(res.status)) {
		fprintf(stderr, "fuzz_router: %s %s answered %d: %s\n", method, path, res.status,
			res.body.data ? res.body.data : "");
		abort();
	}
	if (!res.content_type || !strncmp(res.content_type, "application/json", 16)) {
		json_error_t jerr;
		json_t *j = res.body.len ? json_loadb(res.body.data, res.body.len, 0, &jerr) : NULL;
		if (res.body.len && !j) {
			fprintf(stderr, "fuzz_router: %s %s: body is not JSON: %s\n", method, path,
				jerr.text);
			abort();
		}
		if (res.status >= 400 && !json_is_object(json_object_get(j, "error"))) {
			fprintf(stderr, "fuzz_router: %s %s: %d without an error object\n", method,
				path, res.status);
			abort();
		}
		json_decref(j);
	}
	/* No session, no data. */
	bool ok = res.status >= 200 && res.status < 300;
	if (ok && !is_token_in(hv[0]) && !is_token_in(hv[1]) && !is_public(method, path)) {
		fprintf(stderr, "fuzz_router: %s %s answered %d without a session\n", method, path,
			res.status);
		abort();
	}
	/* The auditor reads, never writes. Authorization wins over Cookie. */
	const char *who = hv[0] ? hv[0] : hv[1];
	if (ok && strcmp(method, "GET") != 0 && who && strstr(who, fz.users[2].token) &&
	    !strstr(who, fz.users[0].token) && !strstr(who, fz.users[1].token)) {
		fprintf(stderr, "fuzz_router: the auditor's %s %s answered %d\n", method, path,
			res.status);
		abort();
	}

out:
	if (ran)
		buf_release(&res.body);
	free(path);
	for (int h = 0; h < 4; h++)
		free(hv[h]);
	for (int i = 0; i < qa.n; i++) {
		free(qa.key[i]);
		free(qa.val[i]);
	}
	return 0;
}
