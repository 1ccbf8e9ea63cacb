/*
 * fuzz_session.c — libFuzzer target: the session token on its way in.
 * Covers the router's reading of "Authorization: Bearer T" and of the
 * bd_session cookie, the CSRF check for cookie sessions (src/api/api.c),
 * and service_authenticate (src/service/session.c) with arbitrary bytes.
 *
 * Input: lines, each starting with a tag byte:
 *   A<value>   the Authorization header
 *   C<value>   the Cookie header
 *   X<value>   the X-CSRF-Token header
 *   M<method>  "GET" asks GET /api/v1/auth/me; anything else asks
 *              PATCH /api/v1/regions/NOPE (an unsafe method that needs
 *              the CSRF token, and changes nothing: 404 after the checks)
 *   T<bytes>   handed to service_authenticate as the token
 * A header given twice is refused by the transport: such inputs are not
 * run. $TA/$TC/$TU and $CA/$CC/$CU are the fixture's session and CSRF
 * tokens (fuzz_svc.h).
 *
 * Checks, beyond the sanitizers:
 *   - service_authenticate accepts exactly the fixture's tokens;
 *   - a request that gets past authentication carries the token of the
 *     user it was answered for, in Authorization if that header is given
 *     (it wins), else in the cookie; /auth/me names that user;
 *   - an unsafe request on a cookie session gets past the CSRF check only
 *     with that session's CSRF token, exactly.
 */
#include <stdint.h>

#include "fuzz_svc.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_setup();
	return 0;
}

/* The user whose token appears in s, or -1. */
static int user_in(const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; i < FZ_NUSERS; i++)
		if (strstr(s, fz.users[i].token))
			return i;
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data, *end = in + size;
	char *hv[3] = {NULL, NULL, NULL}; /* Authorization, Cookie, X-CSRF-Token */
	char *tok = NULL;
	bool get = true;
	struct msg_response res;
	bool ran = false;

	for (const char *p = in; p < end;) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		size_t l = e ? (size_t)(e - p) : (size_t)(end - p);
		const char *next = e ? e + 1 : end;
		if (l > 0) {
			int h = p[0] == 'A' ? 0 : p[0] == 'C' ? 1 : p[0] == 'X' ? 2 : -1;
			if (h >= 0) {
				if (hv[h] || memchr(p, '\0', l))
					goto out; /* refused by the transport */
				hv[h] = fz_expand(p + 1, l - 1, NULL);
			} else if (p[0] == 'M') {
				get = l == 4 && !memcmp(p + 1, "GET", 3);
			} else if (p[0] == 'T' && !tok) {
				tok = fz_expand(p + 1, l - 1, NULL);
			}
		}
		p = next;
	}

	/* The service alone: only a live token names a caller. */
	if (tok) {
		struct actor who;
		char csrf[65];
		uint64_t gen;
		memset(&who, 0, sizeof who);
		enum err e = service_authenticate(fz.svc, tok, "127.0.0.1", &who, csrf, &gen);
		int u = fz_user_of_token(tok);
		if ((e == ERR_OK) != (u >= 0) ||
		    (e == ERR_OK && (strcmp(who.login, fz.users[u].login) != 0 ||
				     strcmp(csrf, fz.users[u].csrf) != 0))) {
			fprintf(stderr, "fuzz_session: service_authenticate(\"%s\") = %d\n", tok, e);
			abort();
		}
	}

	struct msg_request req = {
		.method = get ? "GET" : "PATCH",
		.path = get ? "/api/v1/auth/me" : "/api/v1/regions/NOPE",
		.body = get ? NULL : "{}",
		.body_len = get ? 0 : 2,
		.authorization = hv[0],
		.cookie = hv[1],
		.csrf = hv[2],
		.content_type = get ? NULL : "application/json",
		.client_addr = "127.0.0.1",
	};
	fz_handle(&req, &res);
	ran = true;

	/* Authorization wins over Cookie, whatever it holds. */
	const char *carrier = hv[0] ? hv[0] : hv[1];
	bool authed = res.status != 401;
	if (authed && user_in(carrier) < 0) {
		fprintf(stderr, "fuzz_session: %s answered %d without a token\n", req.path,
			res.status);
		abort();
	}
	if (get && res.status == 200) {
		json_t *j = json_loadb(res.body.data, res.body.len, 0, NULL);
		const char *login = json_string_value(json_object_get(j, "login"));
		int k = -1;
		for (int i = 0; login && i < FZ_NUSERS; i++)
			if (!strcmp(login, fz.users[i].login))
				k = i;
		if (k < 0 || !strstr(carrier, fz.users[k].token)) {
			fprintf(stderr, "fuzz_session: /auth/me answered for %s without its token\n",
				login ? login : "(none)");
			abort();
		}
		json_decref(j);
	}
	if (!get && authed && !hv[0] && res.status != 403) {
		bool match = false;
		for (int i = 0; hv[2] && i < FZ_NUSERS; i++)
			match |= strstr(hv[1], fz.users[i].token) && !strcmp(hv[2], fz.users[i].csrf);
		if (!match) {
			fprintf(stderr, "fuzz_session: cookie session passed CSRF with \"%s\": %d\n",
				hv[2] ? hv[2] : "(none)", res.status);
			abort();
		}
	}

out:
	if (ran)
		buf_release(&res.body);
	for (int h = 0; h < 3; h++)
		free(hv[h]);
	free(tok);
	return 0;
}
