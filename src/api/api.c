/*
 * api.c — the router and the reply helpers of the JSON API. Layer: api.
 *
 * Order of checks for every request: route (404/405), query keys (400),
 * session (401), role (403, audited), CSRF for cookie sessions (403),
 * body media type (JSON, or what the route accepts: 415) and JSON syntax
 * (400); only then the handler runs,
 * and the service checks jurisdiction on the data itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "core/log.h"
#include "core/mem.h"

#define SESSION_COOKIE "bd_session"

static const int status_of[ERR__MAX] = {
	[ERR_OK] = 200,
	[ERR_INVALID] = 400,
	[ERR_UNAUTH] = 401,
	[ERR_FORBIDDEN] = 403,
	[ERR_NOT_FOUND] = 404,
	[ERR_CONFLICT] = 409,
	[ERR_TOO_LARGE] = 413,
	[ERR_UNPROCESSABLE] = 422,
	[ERR_RATE_LIMIT] = 429,
	[ERR_DB] = 500,
	[ERR_IO] = 500,
	[ERR_BUSY] = 503,
	[ERR_INTERNAL] = 500,
};
_Static_assert(sizeof status_of / sizeof status_of[0] == ERR__MAX, "a status per error");

int api_status(enum err e)
{
	return (unsigned)e < ERR__MAX ? status_of[e] : 500;
}

/* ---- replies ------------------------------------------------------------- */

static int dump_cb(const char *buffer, size_t size, void *data)
{
	return buf_append(data, buffer, size) ? -1 : 0;
}

void api_reply_json(struct api_ctx *x, int status, json_t *j)
{
	x->res->status = status;
	buf_clear(&x->res->body);
	if (json_dump_callback(j, dump_cb, &x->res->body, JSON_COMPACT | JSON_REAL_PRECISION(10)) != 0) {
		buf_clear(&x->res->body);
		x->res->status = 500;
		buf_puts(&x->res->body,
			 "{\"error\":{\"code\":\"too_large\",\"message\":\"response too large\",\"field\":null}}");
	}
	json_decref(j);
}

void api_reply_err(struct api_ctx *x, enum err e, const struct errinfo *ei)
{
	if (e == ERR_OK)
		e = ERR_INTERNAL;
	json_t *err = json_object();
	json_object_set_new(err, "code", json_string(err_code(e)));
	const char *msg = ei && ei->message[0] ? ei->message : NULL;
	if (!msg) {
		static const char *const defaults[ERR__MAX] = {
			[ERR_INVALID] = "请求无效 (invalid request)",
			[ERR_UNAUTH] = "请先登录 (authentication required)",
			[ERR_FORBIDDEN] = "无权访问 (forbidden)",
			[ERR_NOT_FOUND] = "未找到 (not found)",
			[ERR_CONFLICT] = "冲突 (conflict)",
			[ERR_TOO_LARGE] = "请求过大 (too large)",
			[ERR_UNPROCESSABLE] = "无法处理 (unprocessable)",
			[ERR_RATE_LIMIT] = "请求过多 (too many requests)",
			[ERR_BUSY] = "系统繁忙,请重试 (busy, retry)",
		};
		msg = (unsigned)e < ERR__MAX && defaults[e] ? defaults[e] : "内部错误 (internal error)";
	}
	json_object_set_new(err, "message", json_string(msg));
	json_object_set_new(err, "field",
			    ei && ei->field[0] ? json_string(ei->field) : json_null());
	if (ei && ei->row)
		json_object_set_new(err, "row", json_integer(ei->row));
	if (ei && ei->column)
		json_object_set_new(err, "column", json_integer(ei->column));
	json_t *j = json_object();
	json_object_set_new(j, "error", err);
	api_reply_json(x, api_status(e), j);
	if (e == ERR_UNAUTH)
		msg_response_header(x->res, "WWW-Authenticate", "Bearer");
}

void api_reply_record(struct api_ctx *x, int status, const struct field_spec *spec,
		      const void *rec, bool masked)
{
	api_reply_json(x, status, fields_to_json(spec, rec, masked));
}

/* ---- request helpers ------------------------------------------------------ */

bool api_body(struct api_ctx *x, const struct field_spec *spec, void *rec, uint64_t *present,
	      bool create)
{
	struct errinfo ei;
	errinfo_clear(&ei);
	if (!x->body) {
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, NULL, "缺少请求体 (a JSON body is required)"),
			      &ei);
		return false;
	}
	enum err e = fields_from_json(spec, x->body, rec, present, create, &ei);
	if (e) {
		api_reply_err(x, e, &ei);
		return false;
	}
	return true;
}

/* Parse a non-negative decimal integer of at most `max`. */
static bool parse_uint(const char *s, long long max, long long *out)
{
	if (!s[0] || strlen(s) > 18)
		return false;
	long long v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (*p - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

struct qarg {
	struct svc_list_args *la;
	struct errinfo *ei;
	bool bad;
};

static void set_text(struct qarg *qa, const char *key, const char *val, char *dst, size_t n)
{
	if (strlen(val) >= n || !utf8_valid(val, strlen(val))) {
		errinfo_set(qa->ei, ERR_INVALID, key, "参数过长或无效 (parameter too long or invalid)");
		qa->bad = true;
		return;
	}
	memcpy(dst, val, strlen(val) + 1);
}

static void set_int(struct qarg *qa, const char *key, const char *val, long long max, int *dst)
{
	long long v;
	if (!parse_uint(val, max, &v)) {
		errinfo_set(qa->ei, ERR_INVALID, key, "应为 0 到 %lld 的整数 (integer 0..%lld)", max, max);
		qa->bad = true;
		return;
	}
	*dst = (int)v;
}

static void one_query(void *arg, const char *key, const char *val)
{
	struct qarg *qa = arg;
	struct svc_list_args *la = qa->la;
	if (qa->bad)
		return;
	if (!val)
		val = "";
	if (!strcmp(key, "region")) set_text(qa, key, val, la->region, sizeof la->region);
	else if (!strcmp(key, "q")) set_text(qa, key, val, la->q, sizeof la->q);
	else if (!strcmp(key, "status")) set_text(qa, key, val, la->status, sizeof la->status);
	else if (!strcmp(key, "tier")) set_text(qa, key, val, la->tier, sizeof la->tier);
	else if (!strcmp(key, "source")) set_text(qa, key, val, la->source, sizeof la->source);
	else if (!strcmp(key, "team_type")) set_text(qa, key, val, la->team_type, sizeof la->team_type);
	else if (!strcmp(key, "category")) set_text(qa, key, val, la->category, sizeof la->category);
	else if (!strcmp(key, "domain")) set_text(qa, key, val, la->domain, sizeof la->domain);
	else if (!strcmp(key, "kind")) set_text(qa, key, val, la->kind, sizeof la->kind);
	else if (!strcmp(key, "parent")) set_text(qa, key, val, la->parent, sizeof la->parent);
	else if (!strcmp(key, "sort")) set_text(qa, key, val, la->sort, sizeof la->sort);
	else if (!strcmp(key, "level")) set_int(qa, key, val, 4, &la->level);
	else if (!strcmp(key, "flag")) set_int(qa, key, val, 4, &la->flag);
	else if (!strcmp(key, "limit")) set_int(qa, key, val, LIMIT_PAGE_SIZE, &la->limit);
	else if (!strcmp(key, "offset")) set_int(qa, key, val, 1000000000, &la->offset);
	else if (!strcmp(key, "order")) {
		if (!strcmp(val, "asc") || !strcmp(val, "desc")) {
			la->desc = !strcmp(val, "desc");
		} else {
			errinfo_set(qa->ei, ERR_INVALID, key, "应为 asc 或 desc");
			qa->bad = true;
		}
	}
	/* Other keys were refused by the router already. */
}

bool api_list_args(struct api_ctx *x, struct svc_list_args *la)
{
	memset(la, 0, sizeof *la);
	struct errinfo ei;
	errinfo_clear(&ei);
	struct qarg qa = {la, &ei, false};
	if (x->req->query_each)
		x->req->query_each(x->req->query_ctx, one_query, &qa);
	if (qa.bad) {
		api_reply_err(x, ERR_INVALID, &ei);
		return false;
	}
	return true;
}

struct rows_arg {
	json_t *items;
	const struct field_spec *spec;
};

static enum err add_row(void *arg, const void *row, bool masked)
{
	struct rows_arg *ra = arg;
	json_array_append_new(ra->items, fields_to_json(ra->spec, row, masked));
	return ERR_OK;
}

void api_reply_result(struct api_ctx *x, enum err e, json_t *out, const struct errinfo *ei,
		      int ok)
{
	if (e) {
		json_decref(out); /* taken either way; NULL is fine */
		api_reply_err(x, e, ei);
	} else {
		api_reply_json(x, ok, out);
	}
}

void api_json_list(struct api_ctx *x, api_json_list_fn fn)
{
	struct svc_list_args la;
	if (!api_list_args(x, &la))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = fn(x->svc, &x->actor, &la, &out, &ei);
	api_reply_result(x, e, out, &ei, 200);
}

void api_list(struct api_ctx *x, api_list_fn fn, const struct field_spec *spec)
{
	struct svc_list_args la;
	if (!api_list_args(x, &la))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	struct rows_arg ra = {json_array(), spec};
	int64_t total = 0;
	enum err e = fn(x->svc, &x->actor, &la, add_row, &ra, &total, &ei);
	if (e) {
		json_decref(ra.items);
		api_reply_err(x, e, &ei);
		return;
	}
	json_t *j = json_object();
	json_object_set_new(j, "items", ra.items);
	json_object_set_new(j, "total", json_integer(total));
	json_object_set_new(j, "limit", json_integer(la.limit > 0 ? la.limit : LIMIT_PAGE_DEFAULT));
	json_object_set_new(j, "offset", json_integer(la.offset));
	api_reply_json(x, 200, j);
}

void api_rows(struct api_ctx *x, api_rows_fn fn, const struct field_spec *spec)
{
	struct errinfo ei;
	errinfo_clear(&ei);
	struct rows_arg ra = {json_array(), spec};
	enum err e = fn(x, add_row, &ra, &ei);
	if (e) {
		json_decref(ra.items);
		api_reply_err(x, e, &ei);
		return;
	}
	json_t *j = json_object();
	json_object_set_new(j, "total", json_integer((json_int_t)json_array_size(ra.items)));
	json_object_set_new(j, "items", ra.items);
	api_reply_json(x, 200, j);
}

/* ---- routing -------------------------------------------------------------- */

/* Match `path` against `pattern`; fill {id} / {code}. */
static bool match(const char *pattern, const char *path, struct api_ctx *x, bool *bad_id)
{
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			const char *se = strchr(s, '/');
			size_t n = se ? (size_t)(se - s) : strlen(s);
			if (n == 0 || !pe)
				return false;
			char seg[40];
			if (n >= sizeof seg) {
				*bad_id = true;
				return false;
			}
			memcpy(seg, s, n);
			seg[n] = '\0';
			if (!strncmp(p, "{id}", 4)) {
				long long v;
				if (!parse_uint(seg, (long long)9007199254740991LL, &v) || v == 0) {
					*bad_id = true;
					return false;
				}
				x->id = v;
			} else {
				if (!code_valid(seg)) {
					*bad_id = true;
					return false;
				}
				memcpy(x->code, seg, n + 1);
			}
			p = pe + 1;
			s += n;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	return *p == '\0' && *s == '\0';
}

static const struct route *find_route(const char *method, const char *path, struct api_ctx *x,
				      bool *method_mismatch, bool *bad_id)
{
	*method_mismatch = false;
	for (int i = 0; i < api_nroutes; i++) {
		const struct route *r = &api_routes[i];
		bool bad = false;
		if (!match(r->pattern, path, x, &bad)) {
			*bad_id = *bad_id || bad;
			continue;
		}
		if (strcmp(r->method, method) == 0)
			return r;
		*method_mismatch = true;
	}
	return NULL;
}

struct qcheck {
	const char *const *allowed;
	char bad[64];
};

static void check_key(void *arg, const char *key, const char *val)
{
	struct qcheck *qc = arg;
	(void)val;
	if (qc->bad[0])
		return;
	if (qc->allowed)
		for (int i = 0; qc->allowed[i]; i++)
			if (!strcmp(qc->allowed[i], key))
				return;
	snprintf(qc->bad, sizeof qc->bad, "%s", key);
}

/* The session token: "Authorization: Bearer T" or the session cookie. */
static bool find_token(const struct msg_request *req, char out[AUTH_TOKEN_BYTES], bool *cookie)
{
	*cookie = false;
	if (req->authorization) {
		const char *a = req->authorization;
		if (strncasecmp(a, "Bearer ", 7) != 0)
			return false;
		a += 7;
		while (*a == ' ')
			a++;
		if (strlen(a) != AUTH_TOKEN_BYTES - 1)
			return false;
		memcpy(out, a, AUTH_TOKEN_BYTES);
		return true;
	}
	if (req->cookie) {
		const char *c = req->cookie;
		while ((c = strstr(c, SESSION_COOKIE "="))) {
			if (c == req->cookie || c[-1] == ' ' || c[-1] == ';') {
				c += strlen(SESSION_COOKIE) + 1;
				size_t n = strcspn(c, "; ");
				if (n != AUTH_TOKEN_BYTES - 1)
					return false;
				memcpy(out, c, n);
				out[n] = '\0';
				*cookie = true;
				return true;
			}
			c++;
		}
	}
	return false;
}

static int json_depth(const json_t *j)
{
	int d = 0;
	if (json_is_object(j)) {
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)j, k, v) {
			int e = json_depth(v);
			if (e > d)
				d = e;
		}
		return d + 1;
	}
	if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v) {
			int e = json_depth(v);
			if (e > d)
				d = e;
		}
		return d + 1;
	}
	return 0;
}

static bool is_type(const char *ct, const char *type)
{
	if (!ct)
		return false;
	size_t n = strlen(type);
	return strncasecmp(ct, type, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static bool is_json_type(const char *ct) { return is_type(ct, "application/json"); }

/* Is Content-Type ct one of the route's accepted media types? */
static bool accepted(const struct route *r, const char *ct)
{
	for (int i = 0; r->accept[i]; i++)
		if (is_type(ct, r->accept[i]))
			return true;
	return false;
}

static void handle(void *ctx, const struct msg_request *req, struct msg_response *res)
{
	struct api *api = ctx;
	struct api_ctx x;
	memset(&x, 0, sizeof x);
	x.api = api;
	x.svc = api->svc;
	x.req = req;
	x.res = res;
	struct errinfo ei;
	errinfo_clear(&ei);
	bool mm = false, bad_id = false;
	const struct route *r = find_route(req->method, req->path, &x, &mm, &bad_id);
	if (!r) {
		if (mm) {
			api_reply_err(&x, errinfo_set(&ei, ERR_INVALID, NULL, "不支持的方法 (method not allowed)"), &ei);
			res->status = 405; /* the error map has no 405: set after */
		} else {
			api_reply_err(&x, ERR_NOT_FOUND, NULL);
		}
		return;
	}
	x.route = r;
	struct qcheck qc = {r->query, ""};
	if (req->query_each)
		req->query_each(req->query_ctx, check_key, &qc);
	if (qc.bad[0]) {
		api_reply_err(&x, errinfo_set(&ei, ERR_INVALID, qc.bad, "未知参数 (unknown query parameter)"), &ei);
		return;
	}
	snprintf(x.actor.client, sizeof x.actor.client, "%s", req->client_addr ? req->client_addr : "");
	uint64_t gen = 0;
	if (r->roles != R_PUBLIC) {
		char csrf[65] = "";
		if (!find_token(req, x.token, &x.via_cookie) ||
		    service_authenticate(x.svc, x.token, req->client_addr, &x.actor, csrf, &gen) !=
			    ERR_OK) {
			api_reply_err(&x, ERR_UNAUTH, NULL);
			return;
		}
		if (!(r->roles & (1u << x.actor.role))) {
			char what[96];
			snprintf(what, sizeof what, "%s %s", r->method, r->pattern);
			service_audit_denied(x.svc, &x.actor, what);
			api_reply_err(&x, ERR_FORBIDDEN, NULL);
			return;
		}
		bool unsafe = strcmp(req->method, "GET") && strcmp(req->method, "HEAD");
		if (x.via_cookie && unsafe && (!req->csrf || !auth_equal(req->csrf, csrf))) {
			service_audit_denied(x.svc, &x.actor, "csrf");
			api_reply_err(&x, errinfo_set(&ei, ERR_FORBIDDEN, "X-CSRF-Token",
						      "缺少或错误的 CSRF 令牌 (missing or wrong CSRF token)"), &ei);
			return;
		}
	}
	if (req->body && req->body_len > 0) {
		if (!strcmp(req->method, "GET") || !strcmp(req->method, "DELETE")) {
			api_reply_err(&x, errinfo_set(&ei, ERR_INVALID, NULL, "此方法不接受请求体 (no body allowed)"), &ei);
			return;
		}
		if (r->accept) {
			/* Raw bytes (an upload): the handler reads req->body. */
			if (!accepted(r, req->content_type)) {
				char types[256] = "";
				for (int i = 0; r->accept[i]; i++)
					snprintf(types + strlen(types), sizeof types - strlen(types),
						 "%s%s", i ? ", " : "", r->accept[i]);
				api_reply_err(&x, errinfo_set(&ei, ERR_INVALID, "Content-Type",
							      "请求体类型应为 %s", types), &ei);
				res->status = 415;
				return;
			}
		} else if (!is_json_type(req->content_type)) {
			api_reply_err(&x, errinfo_set(&ei, ERR_INVALID, "Content-Type",
						      "请求体应为 application/json"), &ei);
			res->status = 415;
			return;
		}
		json_error_t jerr;
		if (!r->accept)
			x.body = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
		if (!r->accept && !x.body) {
			errinfo_set(&ei, ERR_INVALID, NULL, "JSON 格式错误: %s (line %d, column %d)", jerr.text,
				    jerr.line, jerr.column);
			ei.row = jerr.line;
			ei.column = jerr.column;
			api_reply_err(&x, ERR_INVALID, &ei);
			return;
		}
		if (x.body && json_depth(x.body) > LIMIT_JSON_DEPTH) {
			json_decref(x.body);
			api_reply_err(&x, errinfo_set(&ei, ERR_INVALID, NULL, "JSON 嵌套过深 (too deeply nested)"), &ei);
			return;
		}
	}
	/* A GET answer depends only on the data, the caller's scope and the
	 * request: serve it again while the data generation holds. */
	struct buf key;
	bool cacheable = gen && !strcmp(req->method, "GET") && !x.body && api_cache_key(&x, &key);
	if (cacheable && api_cache_get(api->cache, key.data, gen, &res->body)) {
		res->status = 200;
		buf_release(&key);
		return;
	}
	r->fn(&x);
	json_decref(x.body);
	if (cacheable) {
		if (res->status == 200 && !res->nheaders)
			api_cache_put(api->cache, key.data, gen, &res->body);
		buf_release(&key);
	}
	if (res->status >= 500)
		log_event(LOG_WARN, "request failed", "\"path\":\"%s\",\"status\":%d", r->pattern,
			  res->status);
}

static bool is_slow(void *ctx, const char *method, const char *path)
{
	(void)ctx;
	struct api_ctx x;
	memset(&x, 0, sizeof x);
	bool mm, bad = false;
	const struct route *r = find_route(method, path, &x, &mm, &bad);
	return r && r->slow;
}

/* Routes that take an upload may carry LIMIT_UPLOAD_BYTES. */
static size_t max_body(void *ctx, const char *method, const char *path)
{
	(void)ctx;
	struct api_ctx x;
	memset(&x, 0, sizeof x);
	bool mm, bad = false;
	const struct route *r = find_route(method, path, &x, &mm, &bad);
	return r && r->accept ? LIMIT_UPLOAD_BYTES : 0;
}

static int dump_plain(const char *buffer, size_t size, void *data)
{
	struct buf *b = data;
	return buf_append(b, buffer, size) ? -1 : 0;
}

void api_set_cookie_secure(struct api *a, bool on)
{
	a->cookie_secure = on;
}

struct api *api_new(struct service *svc)
{
	struct api *a = xcalloc(1, sizeof *a);
	a->svc = svc;
	a->handler.is_slow = is_slow;
	a->handler.max_body = max_body;
	a->handler.handle = handle;
	a->handler.ctx = a;
	a->cache = api_cache_new();
	json_t *doc = api_openapi();
	struct buf b;
	buf_init(&b, 16u << 20);
	if (json_dump_callback(doc, dump_plain, &b, JSON_INDENT(1)) == 0)
		a->openapi = buf_detach(&b, &a->openapi_len);
	else
		buf_release(&b);
	json_decref(doc);
	return a;
}

void api_free(struct api *a)
{
	if (!a)
		return;
	free(a->openapi);
	api_cache_free(a->cache);
	free(a);
}

const struct msg_handler *api_handler(struct api *a) { return &a->handler; }

void api_openapi_get(struct api_ctx *x)
{
	x->res->status = 200;
	if (x->api->openapi)
		buf_append(&x->res->body, x->api->openapi, x->api->openapi_len);
	else
		api_reply_err(x, ERR_INTERNAL, NULL);
}
