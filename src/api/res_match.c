/*
 * res_match.c — matching runs, locks and bans, menu choices, mentors'
 * ranks, and pairings. Layer: api.
 */
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"

/* Check that the body has only the keys in `allowed`. */
static bool only_keys(struct api_ctx *x, const char *const *allowed, struct errinfo *ei)
{
	if (!x->body || !json_is_object(x->body)) {
		api_reply_err(x, errinfo_set(ei, ERR_INVALID, NULL, "请求体应为 JSON 对象 (body must be a JSON object)"), ei);
		return false;
	}
	const char *k;
	json_t *v;
	json_object_foreach(x->body, k, v) {
		int i = 0;
		while (allowed[i] && strcmp(allowed[i], k))
			i++;
		if (!allowed[i]) {
			api_reply_err(x, errinfo_set(ei, ERR_INVALID, k, "未知字段 (unknown field)"), ei);
			return false;
		}
	}
	return true;
}

/* An array of positive ids at body[key] into ids[max]; false after a reply. */
static bool id_array(struct api_ctx *x, const char *key, int64_t *ids, int max, int *n,
		     bool required, struct errinfo *ei)
{
	json_t *a = json_object_get(x->body, key);
	*n = 0;
	if (!a) {
		if (!required)
			return true;
		api_reply_err(x, errinfo_set(ei, ERR_INVALID, key, "必填 (required)"), ei);
		return false;
	}
	if (!json_is_array(a) || json_array_size(a) > (size_t)max) {
		api_reply_err(x, errinfo_set(ei, ERR_INVALID, key, "应为最多 %d 个编号的数组 (array of at most %d ids)", max, max), ei);
		return false;
	}
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0) {
			api_reply_err(x, errinfo_set(ei, ERR_INVALID, key, "第 %zu 项应为编号 (item %zu must be an id)", i + 1, i + 1), ei);
			return false;
		}
		ids[(*n)++] = json_integer_value(v);
	}
	return true;
}

static bool opt_id(struct api_ctx *x, const char *key, int64_t *out, bool required,
		   struct errinfo *ei)
{
	json_t *v = json_object_get(x->body, key);
	*out = 0;
	if (!v && !required)
		return true;
	if (!v || !json_is_integer(v) || json_integer_value(v) <= 0) {
		api_reply_err(x, errinfo_set(ei, ERR_INVALID, key, "应为编号 (must be an id)"), ei);
		return false;
	}
	*out = json_integer_value(v);
	return true;
}

static bool opt_text(struct api_ctx *x, const char *key, char *out, size_t n, struct errinfo *ei)
{
	json_t *v = json_object_get(x->body, key);
	out[0] = '\0';
	if (!v)
		return true;
	if (!json_is_string(v) || json_string_length(v) >= n ||
	    strlen(json_string_value(v)) != json_string_length(v)) {
		api_reply_err(x, errinfo_set(ei, ERR_INVALID, key, "应为较短的字符串 (must be a short string)"), ei);
		return false;
	}
	memcpy(out, json_string_value(v), json_string_length(v) + 1);
	return true;
}

void api_match_run_create(struct api_ctx *x)
{
	static const char *const keys[] = {"region", "method", "weights", "reach_km", "k", "seed",
					   "parent", "wider", "mentees", "quotas", NULL};
	static const char *const wnames[] = {"domain", "convenience", "strong_weak", "voluntary",
					     "org"};
	struct errinfo ei;
	errinfo_clear(&ei);
	if (!only_keys(x, keys, &ei))
		return;
	struct svc_match_request rq;
	memset(&rq, 0, sizeof rq);
	rq.seed = 1;
	if (!opt_text(x, "region", rq.region, sizeof rq.region, &ei) ||
	    !opt_text(x, "method", rq.method, sizeof rq.method, &ei) ||
	    !opt_id(x, "parent", &rq.parent_run, false, &ei) ||
	    !id_array(x, "mentees", rq.key_mentees, 64, &rq.n_key, false, &ei))
		return;
	if (!rq.method[0]) {
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "method", "必填 (required)"), &ei);
		return;
	}
	json_t *w = json_object_get(x->body, "weights");
	if (w) {
		if (!json_is_object(w)) {
			api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "weights", "应为对象 (must be an object)"), &ei);
			return;
		}
		const char *k;
		json_t *v;
		json_object_foreach(w, k, v) {
			int i = 0;
			while (i < 5 && strcmp(wnames[i], k))
				i++;
			if (i == 5 || !json_is_number(v)) {
				api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "weights", "未知权重或非数字: %s", k), &ei);
				return;
			}
			rq.weight[i] = json_number_value(v);
			rq.has_weight[i] = true;
		}
	}
	json_t *v;
	if ((v = json_object_get(x->body, "reach_km"))) {
		if (!json_is_number(v)) {
			api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "reach_km", "应为数字"), &ei);
			return;
		}
		rq.reach_km = json_number_value(v);
	}
	if ((v = json_object_get(x->body, "k"))) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000) {
			api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "k", "应为 0 到 1000 的整数"), &ei);
			return;
		}
		rq.k = (unsigned)json_integer_value(v);
	}
	if ((v = json_object_get(x->body, "seed"))) {
		if (!json_is_integer(v) || json_integer_value(v) < 0) {
			api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "seed", "应为非负整数"), &ei);
			return;
		}
		rq.seed = (uint64_t)json_integer_value(v);
	}
	if ((v = json_object_get(x->body, "quotas"))) {
		const char *code;
		json_t *q;
		if (!json_is_object(v) || json_object_size(v) > 16) {
			api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "quotas", "应为 {县代码: 名额} (at most 16)"), &ei);
			return;
		}
		json_object_foreach(v, code, q) {
			if (!code_valid(code) || !json_is_integer(q) || json_integer_value(q) < 0 ||
			    json_integer_value(q) > 1000000) {
				api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "quotas", "名额无效: %s", code), &ei);
				return;
			}
			snprintf(rq.quotas[rq.n_quotas].county, M_CODE, "%s", code);
			rq.quotas[rq.n_quotas++].quota = (unsigned)json_integer_value(q);
		}
	}
	if ((v = json_object_get(x->body, "wider"))) {
		if (!json_is_boolean(v)) {
			api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "wider", "应为 true 或 false"), &ei);
			return;
		}
		rq.wider = json_is_true(v);
	}
	json_t *out = NULL;
	enum err e = svc_match_run_create(x->svc, &x->actor, &rq, &out, &ei);
	api_reply_result(x, e, out, &ei, 201);
}

void api_match_run_get(struct api_ctx *x)
{
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = svc_match_run_get(x->svc, &x->actor, x->id, &out, &ei);
	api_reply_result(x, e, out, &ei, 200);
}

void api_match_run_list(struct api_ctx *x) { api_json_list(x, svc_match_run_list); }

static void decide(struct api_ctx *x, bool approve)
{
	struct errinfo ei;
	errinfo_clear(&ei);
	if (x->body && (!json_is_object(x->body) || json_object_size(x->body))) {
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, NULL, "无需请求体 (no body expected)"), &ei);
		return;
	}
	json_t *out = NULL;
	enum err e = svc_match_run_decide(x->svc, &x->actor, x->id, approve, &out, &ei);
	api_reply_result(x, e, out, &ei, 200);
}

void api_match_run_approve(struct api_ctx *x) { decide(x, true); }
void api_match_run_discard(struct api_ctx *x) { decide(x, false); }

void api_match_rule_add(struct api_ctx *x)
{
	struct svc_match_rule_in in;
	memset(&in, 0, sizeof in);
	uint64_t present;
	if (!api_body(x, &svc_match_rule_in_spec, &in, &present, true))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = svc_match_rule_add(x->svc, &x->actor, in.kind, in.mentee, in.mentor,
					in.reason, &out, &ei);
	api_reply_result(x, e, out, &ei, 201);
}

void api_match_rule_remove(struct api_ctx *x)
{
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = svc_match_rule_remove(x->svc, &x->actor, x->id, &ei);
	api_reply_result(x, e, e ? NULL : json_pack("{s:b}", "ok", 1), &ei, 200);
}

void api_match_rule_list(struct api_ctx *x)
{
	const char *region = x->req->query_get ? x->req->query_get(x->req->query_ctx, "region") : NULL;
	struct errinfo ei;
	errinfo_clear(&ei);
	if (region && !code_valid(region)) {
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "region", "代码格式不正确"), &ei);
		return;
	}
	json_t *out = NULL;
	enum err e = svc_match_rule_list(x->svc, &x->actor, region, &out, &ei);
	api_reply_result(x, e, out, &ei, 200);
}

void api_match_choices_put(struct api_ctx *x)
{
	struct svc_choices_in in;
	memset(&in, 0, sizeof in);
	uint64_t present;
	if (!api_body(x, &svc_choices_in_spec, &in, &present, true))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = svc_match_choose(x->svc, &x->actor, in.mentee, in.menu, in.mentors,
				      in.nmentors, &ei);
	if (e) {
		api_reply_err(x, e, &ei);
		return;
	}
	json_t *out = NULL;
	e = svc_match_choices_get(x->svc, &x->actor, in.mentee ? in.mentee : x->actor.mentee_id,
				  &out, &ei);
	api_reply_result(x, e, out, &ei, 200);
}

void api_match_choices_get(struct api_ctx *x)
{
	const char *m = x->req->query_get ? x->req->query_get(x->req->query_ctx, "mentee") : NULL;
	struct errinfo ei;
	errinfo_clear(&ei);
	char *end = NULL;
	long long id = m ? strtoll(m, &end, 10) : 0;
	if (m && (end == m || *end || id <= 0)) {
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "mentee", "应为编号"), &ei);
		return;
	}
	json_t *out = NULL;
	enum err e = svc_match_choices_get(x->svc, &x->actor, id, &out, &ei);
	api_reply_result(x, e, out, &ei, 200);
}

void api_match_ranks_put(struct api_ctx *x)
{
	struct svc_ranks_in in;
	memset(&in, 0, sizeof in);
	uint64_t present;
	if (!api_body(x, &svc_ranks_in_spec, &in, &present, true))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = svc_match_rank(x->svc, &x->actor, in.mentees, in.nmentees, &ei);
	api_reply_result(x, e, e ? NULL : json_pack("{s:b, s:i}", "ok", 1, "ranked", in.nmentees), &ei, 200);
}

void api_pairing_list(struct api_ctx *x) { api_json_list(x, svc_pairing_list); }
