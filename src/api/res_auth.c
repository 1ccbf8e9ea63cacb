/*
 * res_auth.c — sessions, accounts, the audit log and statistics.
 * Layer: api.
 */
#include <stdio.h>
#include <string.h>

#include "api/internal.h"

/* A body with exactly the string fields `names` (all required). */
static bool string_fields(struct api_ctx *x, const char *const *names, const char **out,
			  size_t *lens)
{
	struct errinfo ei;
	errinfo_clear(&ei);
	if (!json_is_object(x->body)) {
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, NULL, "请求体应为 JSON 对象 (body must be a JSON object)"), &ei);
		return false;
	}
	const char *key;
	json_t *v;
	json_object_foreach(x->body, key, v) {
		int i = 0;
		while (names[i] && strcmp(names[i], key))
			i++;
		if (!names[i]) {
			api_reply_err(x, errinfo_set(&ei, ERR_INVALID, key, "未知字段 (unknown field)"), &ei);
			return false;
		}
	}
	for (int i = 0; names[i]; i++) {
		json_t *s = json_object_get(x->body, names[i]);
		if (!s || !json_is_string(s)) {
			api_reply_err(x, errinfo_set(&ei, ERR_INVALID, names[i], "必填字符串 (required string)"), &ei);
			return false;
		}
		out[i] = json_string_value(s);
		lens[i] = json_string_length(s);
	}
	return true;
}

static json_t *actor_json(const struct actor *a)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(a->user_id));
	json_object_set_new(j, "login", json_string(a->login));
	json_object_set_new(j, "role", json_string(role_name(a->role) ? role_name(a->role) : ""));
	json_object_set_new(j, "region_path", json_string(a->region_path));
	json_object_set_new(j, "mentor", a->mentor_id ? json_integer(a->mentor_id) : json_null());
	json_object_set_new(j, "mentee", a->mentee_id ? json_integer(a->mentee_id) : json_null());
	return j;
}

void api_login(struct api_ctx *x)
{
	static const char *const names[] = {"login", "password", NULL};
	const char *v[2];
	size_t len[2];
	struct errinfo ei;
	errinfo_clear(&ei);
	if (!x->body) {
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, NULL, "缺少请求体 (a JSON body is required)"), &ei);
		return;
	}
	if (!string_fields(x, names, v, len))
		return;
	if (len[0] == 0 || len[0] > LIMIT_LOGIN_BYTES || len[0] != strlen(v[0])) {
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "login", "登录名无效 (bad login)"), &ei);
		return;
	}
	if (len[1] > LIMIT_PASSWORD_BYTES) {
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "password", "密码过长 (password too long)"), &ei);
		return;
	}
	char token[AUTH_TOKEN_BYTES], csrf[65];
	struct actor who;
	enum err e = service_login(x->svc, v[0], v[1], len[1], x->req->client_addr, token, csrf, &who,
				   &ei);
	if (e) {
		api_reply_err(x, e, &ei);
		return;
	}
	char cookie[160];
	snprintf(cookie, sizeof cookie,
		 "bd_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", token,
		 SESSION_ABSOLUTE_SECONDS, x->api->cookie_secure ? "; Secure" : "");
	msg_response_header(x->res, "Set-Cookie", cookie);
	json_t *j = json_object();
	json_object_set_new(j, "token", json_string(token));
	json_object_set_new(j, "csrf", json_string(csrf));
	json_object_set_new(j, "user", actor_json(&who));
	api_reply_json(x, 200, j);
}

void api_logout(struct api_ctx *x)
{
	enum err e = service_logout(x->svc, &x->actor, x->token);
	if (e) {
		api_reply_err(x, e, NULL);
		return;
	}
	msg_response_header(x->res, "Set-Cookie",
			    x->api->cookie_secure
				    ? "bd_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure"
				    : "bd_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	api_reply_json(x, 200, json_pack("{s:b}", "ok", 1));
}

void api_me(struct api_ctx *x)
{
	api_reply_json(x, 200, actor_json(&x->actor));
}

void api_user_list(struct api_ctx *x)
{
	api_list(x, svc_user_list, &svc_user_spec);
}

void api_user_create(struct api_ctx *x)
{
	struct errinfo ei;
	errinfo_clear(&ei);
	if (!x->body || !json_is_object(x->body)) {
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, NULL, "请求体应为 JSON 对象"), &ei);
		return;
	}
	/* The password travels beside the record's fields, never in it. */
	json_t *body = json_deep_copy(x->body);
	json_t *pw = json_object_get(body, "password");
	if (!pw || !json_is_string(pw)) {
		json_decref(body);
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "password", "必填 (required)"), &ei);
		return;
	}
	char password[LIMIT_PASSWORD_BYTES + 1];
	size_t pwlen = json_string_length(pw);
	if (pwlen > LIMIT_PASSWORD_BYTES) {
		json_decref(body);
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "password", "密码过长"), &ei);
		return;
	}
	memcpy(password, json_string_value(pw), pwlen + 1);
	json_object_del(body, "password");
	struct user u;
	memset(&u, 0, sizeof u);
	uint64_t present;
	enum err e = fields_from_json(&svc_user_spec, body, &u, &present, 1, &ei);
	json_decref(body);
	if (!e)
		e = svc_user_create(x->svc, &x->actor, &u, password, pwlen, &ei);
	memset(password, 0, sizeof password);
	if (e) {
		api_reply_err(x, e, &ei);
		return;
	}
	api_reply_record(x, 201, &svc_user_spec, &u, false);
}

void api_user_password(struct api_ctx *x)
{
	static const char *const names[] = {"password", NULL};
	const char *v[1];
	size_t len[1];
	struct errinfo ei;
	errinfo_clear(&ei);
	if (!x->body) {
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, NULL, "缺少请求体"), &ei);
		return;
	}
	if (!string_fields(x, names, v, len))
		return;
	enum err e = svc_user_set_password(x->svc, &x->actor, x->code, v[0], len[0], &ei);
	if (e) {
		api_reply_err(x, e, &ei);
		return;
	}
	api_reply_json(x, 200, json_pack("{s:b}", "ok", 1));
}

void api_user_disable(struct api_ctx *x)
{
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *d = x->body ? json_object_get(x->body, "disabled") : NULL;
	if (!d || !json_is_boolean(d) || json_object_size(x->body) != 1) {
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "disabled", "应为 {\"disabled\": true|false}"), &ei);
		return;
	}
	enum err e = svc_user_set_disabled(x->svc, &x->actor, x->code, json_is_true(d), &ei);
	if (e) {
		api_reply_err(x, e, &ei);
		return;
	}
	api_reply_json(x, 200, json_pack("{s:b}", "ok", 1));
}

static enum err audit_row(void *arg, const void *row, bool masked)
{
	(void)masked;
	const struct audit_entry *a = row;
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(a->id));
	json_object_set_new(j, "at", json_string(a->at));
	json_object_set_new(j, "user", a->user_id ? json_integer(a->user_id) : json_null());
	json_object_set_new(j, "login", json_string(a->login));
	json_object_set_new(j, "client", json_string(a->client));
	json_object_set_new(j, "action", json_string(a->action));
	json_object_set_new(j, "object", json_string(a->object));
	json_object_set_new(j, "object_id", json_string(a->object_id));
	json_t *before = a->before_json[0] ? json_loads(a->before_json, 0, NULL) : NULL;
	json_t *after = a->after_json[0] ? json_loads(a->after_json, 0, NULL) : NULL;
	json_object_set_new(j, "before", before ? before : json_null());
	json_object_set_new(j, "after", after ? after : json_null());
	json_object_set_new(j, "hash", json_string(a->hash));
	json_array_append_new(arg, j);
	return ERR_OK;
}

void api_audit_list(struct api_ctx *x)
{
	const char *after = x->req->query_get ? x->req->query_get(x->req->query_ctx, "after") : NULL;
	const char *limit = x->req->query_get ? x->req->query_get(x->req->query_ctx, "limit") : NULL;
	struct errinfo ei;
	errinfo_clear(&ei);
	char *end = NULL;
	long long a = after ? strtoll(after, &end, 10) : 0;
	if (after && (end == after || *end || a < 0)) {
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "after", "应为整数"), &ei);
		return;
	}
	long long l = limit ? strtoll(limit, &end, 10) : 100;
	if (limit && (end == limit || *end || l <= 0 || l > LIMIT_PAGE_SIZE)) {
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "limit", "应为 1 到 %d", LIMIT_PAGE_SIZE), &ei);
		return;
	}
	json_t *items = json_array();
	enum err e = svc_audit_list(x->svc, &x->actor, a, (int)l, audit_row, items, &ei);
	if (e) {
		json_decref(items);
		api_reply_err(x, e, &ei);
		return;
	}
	json_t *j = json_object();
	json_object_set_new(j, "total", json_integer((json_int_t)json_array_size(items)));
	json_object_set_new(j, "items", items);
	api_reply_json(x, 200, j);
}

void api_audit_verify(struct api_ctx *x)
{
	int64_t count = 0, bad = 0;
	bool ok = false;
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = svc_audit_verify(x->svc, &x->actor, &count, &ok, &bad, &ei);
	if (e) {
		api_reply_err(x, e, &ei);
		return;
	}
	json_t *j = json_object();
	json_object_set_new(j, "ok", json_boolean(ok));
	json_object_set_new(j, "entries", json_integer(count));
	json_object_set_new(j, "first_bad", bad ? json_integer(bad) : json_null());
	api_reply_json(x, 200, j);
}

void api_stats(struct api_ctx *x)
{
	const char *region = x->req->query_get ? x->req->query_get(x->req->query_ctx, "region") : NULL;
	struct errinfo ei;
	errinfo_clear(&ei);
	if (region && !code_valid(region)) {
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "region", "代码格式不正确"), &ei);
		return;
	}
	const char *from = x->req->query_get ? x->req->query_get(x->req->query_ctx, "from") : NULL;
	const char *to = x->req->query_get ? x->req->query_get(x->req->query_ctx, "to") : NULL;
	json_t *out = NULL;
	enum err e = svc_stats_range(x->svc, &x->actor, region ? region : "", from ? from : "",
				     to ? to : "", &out, &ei);
	if (e) {
		api_reply_err(x, e, &ei);
		return;
	}
	api_reply_json(x, 200, out);
}
