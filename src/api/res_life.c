/*
 * res_life.c — the life of a pairing over HTTP: pairings made by hand and
 * their status changes, substitution, plans and their items, activities,
 * work logs, evaluations, the due list, escalations, the red/yellow
 * ranking, demonstration projects, settings, the growth archive (JSON,
 * HTML, PDF), the letters as PDF, graduation and lineage. Layer: api.
 *
 * Bodies are read by the field specs of service.h (lists of ids and plan
 * items included). Writes on an existing object parse leniently (no
 * required fields) so that the service checks the caller's right to the
 * object before it judges the request: outside one's jurisdiction the
 * answer is 403, whatever the body.
 */
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"

static const char *query(struct api_ctx *x, const char *key)
{
	return x->req->query_get ? x->req->query_get(x->req->query_ctx, key) : NULL;
}

/* A query date (YYYY-MM-DD) into out ("" when absent); false after a reply. */
static bool query_date(struct api_ctx *x, const char *key, char *out, size_t n)
{
	const char *v = query(x, key);
	out[0] = '\0';
	if (!v || !v[0]) /* absent or empty: no date */
		return true;
	if (!date_valid(v) || strlen(v) >= n) {
		struct errinfo ei;
		errinfo_clear(&ei);
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, key, "日期格式应为 YYYY-MM-DD (bad date)"),
			      &ei);
		return false;
	}
	memcpy(out, v, strlen(v) + 1);
	return true;
}

static bool query_region(struct api_ctx *x, char *out, size_t n)
{
	const char *v = query(x, "region");
	out[0] = '\0';
	if (!v)
		return true;
	if (!code_valid(v) || strlen(v) >= n) {
		struct errinfo ei;
		errinfo_clear(&ei);
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "region", "代码格式不正确"), &ei);
		return false;
	}
	memcpy(out, v, strlen(v) + 1);
	return true;
}

static bool range_args(struct api_ctx *x, struct svc_life_range *r)
{
	return query_date(x, "from", r->from, sizeof r->from) &&
	       query_date(x, "to", r->to, sizeof r->to);
}

/* Read the body by `spec` into rec; an absent body is an empty object
 * when `empty_ok`. False after a reply. */
static bool body_spec(struct api_ctx *x, const struct field_spec *spec, void *rec,
		      uint64_t *present, bool create, bool empty_ok)
{
	*present = 0;
	if (!x->body && empty_ok)
		return true;
	return api_body(x, spec, rec, present, create);
}

static void list_with(struct api_ctx *x,
		      enum err (*fn)(struct service *, const struct actor *,
				     const struct svc_list_args *, const struct svc_life_range *,
				     json_t **, struct errinfo *))
{
	struct svc_list_args la;
	struct svc_life_range r;
	if (!api_list_args(x, &la) || !range_args(x, &r))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = fn(x->svc, &x->actor, &la, &r, &out, &ei);
	api_reply_result(x, e, out, &ei, 200);
}

/* Calls of the shape f(svc, actor, id, &out, &ei). */
typedef enum err (*id_fn)(struct service *, const struct actor *, int64_t, json_t **,
			  struct errinfo *);

static void by_id(struct api_ctx *x, id_fn fn, int ok)
{
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = fn(x->svc, &x->actor, x->id, &out, &ei);
	api_reply_result(x, e, out, &ei, ok);
}

/* ---- pairings ------------------------------------------------------------------- */

void api_pairing_create(struct api_ctx *x)
{
	struct svc_pairing_new in;
	memset(&in, 0, sizeof in);
	uint64_t present;
	if (!body_spec(x, &svc_pairing_new_spec, &in, &present, true, false))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = svc_pairing_create(x->svc, &x->actor, &in, &out, &ei);
	api_reply_result(x, e, out, &ei, 201);
}

void api_pairing_get(struct api_ctx *x) { by_id(x, svc_pairing_get, 200); }
void api_pairing_events(struct api_ctx *x) { by_id(x, svc_pairing_events, 200); }

void api_pairing_transition(struct api_ctx *x)
{
	struct svc_pairing_action in;
	memset(&in, 0, sizeof in);
	uint64_t present;
	if (!body_spec(x, &svc_pairing_action_spec, &in, &present, false, false))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = svc_pairing_transition(x->svc, &x->actor, x->id, &in, &out, &ei);
	api_reply_result(x, e, out, &ei, 200);
}

void api_pairing_substitute(struct api_ctx *x)
{
	struct svc_substitute in;
	memset(&in, 0, sizeof in);
	uint64_t present;
	if (!body_spec(x, &svc_substitute_spec, &in, &present, false, false))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = svc_pairing_substitute(x->svc, &x->actor, x->id, &in, &out, &ei);
	api_reply_result(x, e, out, &ei, 200);
}

void api_pairing_plans_get(struct api_ctx *x) { by_id(x, svc_pairing_plans, 200); }

void api_pairing_plan_create(struct api_ctx *x)
{
	struct svc_plan_new in;
	memset(&in, 0, sizeof in);
	uint64_t present;
	if (!body_spec(x, &svc_plan_new_spec, &in, &present, false, true))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = svc_plan_generate(x->svc, &x->actor, x->id, in.year, &out, &ei);
	api_reply_result(x, e, out, &ei, 201);
}

void api_pairing_activities(struct api_ctx *x) { by_id(x, svc_pairing_activities, 200); }
void api_pairing_logs_get(struct api_ctx *x) { by_id(x, svc_pairing_logs, 200); }
void api_pairing_evals_get(struct api_ctx *x) { by_id(x, svc_pairing_evals, 200); }

void api_pairing_log_create(struct api_ctx *x)
{
	struct svc_log in;
	memset(&in, 0, sizeof in);
	uint64_t present;
	if (!body_spec(x, &svc_log_spec, &in, &present, false, false))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = svc_log_create(x->svc, &x->actor, x->id, &in, present, &out, &ei);
	api_reply_result(x, e, out, &ei, 201);
}

void api_pairing_eval_create(struct api_ctx *x)
{
	struct svc_eval in;
	memset(&in, 0, sizeof in);
	uint64_t present;
	if (!body_spec(x, &svc_eval_spec, &in, &present, false, false))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = svc_eval_create(x->svc, &x->actor, x->id, &in, present, &out, &ei);
	api_reply_result(x, e, out, &ei, 201);
}

/* ---- plans ------------------------------------------------------------------------- */

void api_plan_list(struct api_ctx *x) { api_json_list(x, svc_plan_list); }

void api_plan_get(struct api_ctx *x) { by_id(x, svc_plan_get, 200); }
void api_plan_approve(struct api_ctx *x) { by_id(x, svc_plan_approve, 200); }

void api_plan_edit(struct api_ctx *x)
{
	struct svc_plan_edit_in *in = calloc(1, sizeof *in); /* 64 items: off the stack */
	if (!in) {
		api_reply_err(x, ERR_INTERNAL, NULL);
		return;
	}
	uint64_t present;
	if (!body_spec(x, &svc_plan_edit_in_spec, in, &present, false, false)) {
		free(in);
		return;
	}
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	/* No items given: the service answers, after its access check. */
	enum err e = svc_plan_edit(x->svc, &x->actor, x->id, present ? in->items : NULL,
				   present ? in->nitems : -1, &out, &ei);
	free(in);
	api_reply_result(x, e, out, &ei, 200);
}

void api_plan_item_get(struct api_ctx *x) { by_id(x, svc_plan_item_get, 200); }

void api_plan_item_update(struct api_ctx *x)
{
	struct svc_item_update in;
	memset(&in, 0, sizeof in);
	uint64_t present;
	if (!body_spec(x, &svc_item_update_spec, &in, &present, false, false))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = svc_plan_item_update(x->svc, &x->actor, x->id, &in, present, &out, &ei);
	api_reply_result(x, e, out, &ei, 200);
}

/* ---- activities, logs, evaluations ------------------------------------------------------ */

void api_activity_list(struct api_ctx *x) { list_with(x, svc_activity_list); }
void api_activity_get(struct api_ctx *x) { by_id(x, svc_activity_get, 200); }

void api_activity_create(struct api_ctx *x)
{
	struct svc_activity in;
	memset(&in, 0, sizeof in);
	uint64_t present;
	if (!body_spec(x, &svc_activity_new_spec, &in, &present, true, false))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = svc_activity_create(x->svc, &x->actor, &in, &out, &ei);
	api_reply_result(x, e, out, &ei, 201);
}

void api_activity_update(struct api_ctx *x)
{
	struct svc_activity in;
	memset(&in, 0, sizeof in);
	uint64_t present;
	if (!body_spec(x, &svc_activity_spec, &in, &present, false, false))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = svc_activity_update(x->svc, &x->actor, x->id, &in, present, &out, &ei);
	api_reply_result(x, e, out, &ei, 200);
}

void api_log_list(struct api_ctx *x) { list_with(x, svc_log_list); }

void api_log_update(struct api_ctx *x)
{
	struct svc_log in;
	memset(&in, 0, sizeof in);
	uint64_t present;
	if (!body_spec(x, &svc_log_spec, &in, &present, false, false))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = svc_log_update(x->svc, &x->actor, x->id, &in, present, &out, &ei);
	api_reply_result(x, e, out, &ei, 200);
}

void api_eval_list(struct api_ctx *x) { list_with(x, svc_eval_list); }

/* ---- due, escalations, rankings ------------------------------------------------------------ */

void api_due(struct api_ctx *x)
{
	char region[M_CODE], date[M_TIME];
	struct svc_list_args la; /* limit, offset: optional, no limit = every item */
	if (!query_region(x, region, sizeof region) ||
	    !query_date(x, "date", date, sizeof date) || !api_list_args(x, &la))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = svc_due_page(x->svc, &x->actor, region, date, la.limit, la.offset, &out, &ei);
	api_reply_result(x, e, out, &ei, 200);
}

void api_escalations(struct api_ctx *x)
{
	char region[M_CODE], date[M_TIME];
	if (!query_region(x, region, sizeof region) || !query_date(x, "date", date, sizeof date))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = svc_escalations(x->svc, &x->actor, region, date, &out, &ei);
	api_reply_result(x, e, out, &ei, 200);
}

void api_rankings(struct api_ctx *x)
{
	char region[M_CODE];
	struct svc_life_range r;
	if (!query_region(x, region, sizeof region) || !range_args(x, &r))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = svc_rankings(x->svc, &x->actor, region, &r, &out, &ei);
	api_reply_result(x, e, out, &ei, 200);
}

/* ---- demonstration projects ------------------------------------------------------------------ */

void api_project_list(struct api_ctx *x) { api_json_list(x, svc_project_list); }

void api_project_get(struct api_ctx *x) { by_id(x, svc_project_get, 200); }

void api_project_create(struct api_ctx *x)
{
	struct svc_project in;
	memset(&in, 0, sizeof in);
	uint64_t present;
	if (!body_spec(x, &svc_project_spec, &in, &present, true, false))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = svc_project_create(x->svc, &x->actor, &in, &out, &ei);
	api_reply_result(x, e, out, &ei, 201);
}

void api_project_update(struct api_ctx *x)
{
	struct svc_project in;
	memset(&in, 0, sizeof in);
	uint64_t present;
	if (!body_spec(x, &svc_project_spec, &in, &present, false, false))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = svc_project_update(x->svc, &x->actor, x->id, &in, present, &out, &ei);
	api_reply_result(x, e, out, &ei, 200);
}

void api_project_pairings(struct api_ctx *x)
{
	struct svc_pairing_ids in;
	memset(&in, 0, sizeof in);
	uint64_t present;
	if (!body_spec(x, &svc_pairing_ids_spec, &in, &present, true, false))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = svc_project_add_pairings(x->svc, &x->actor, x->id, in.pairings, in.npairings,
					      &out, &ei);
	api_reply_result(x, e, out, &ei, 200);
}

/* ---- settings ------------------------------------------------------------------------------- */

void api_life_settings(struct api_ctx *x)
{
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = svc_life_settings(x->svc, &x->actor, &out, &ei);
	api_reply_result(x, e, out, &ei, 200);
}

void api_life_setting_set(struct api_ctx *x)
{
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *v = x->body && json_is_object(x->body) ? json_object_get(x->body, "value") : NULL;
	if (!v || !json_is_string(v) || json_object_size(x->body) != 1) {
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "value", "应为 {\"value\": \"...\"}"), &ei);
		return;
	}
	json_t *out = NULL;
	enum err e = svc_life_setting_set(x->svc, &x->actor, x->code, json_string_value(v), &out, &ei);
	api_reply_result(x, e, out, &ei, 200);
}

/* ---- archive, letters, graduation, lineage ------------------------------------------------------ */

void api_mentee_archive(struct api_ctx *x) { by_id(x, svc_archive, 200); }

/* Reply with a document the service appended to the response body. */
static void document(struct api_ctx *x,
		     enum err (*fn)(struct service *, const struct actor *, int64_t, struct buf *,
				    struct errinfo *),
		     const char *type, const char *name)
{
	struct errinfo ei;
	errinfo_clear(&ei);
	buf_clear(&x->res->body);
	enum err e = fn(x->svc, &x->actor, x->id, &x->res->body, &ei);
	if (e) {
		api_reply_err(x, e, &ei);
		return;
	}
	x->res->status = 200;
	x->res->content_type = type;
	if (name) {
		char disp[128];
		snprintf(disp, sizeof disp, "inline; filename=\"%s-%lld.pdf\"", name, (long long)x->id);
		msg_response_header(x->res, "Content-Disposition", disp);
	}
}

void api_mentee_archive_html(struct api_ctx *x)
{
	document(x, svc_archive_html, "text/html; charset=utf-8", NULL);
}

void api_mentee_archive_pdf(struct api_ctx *x)
{
	document(x, svc_archive_pdf, "application/pdf", "archive");
}

void api_mentor_letter_pdf(struct api_ctx *x)
{
	document(x, svc_letter_pdf, "application/pdf", "letter");
}

void api_pairing_agreement_pdf(struct api_ctx *x)
{
	document(x, svc_agreement_pdf, "application/pdf", "agreement");
}

void api_mentee_graduate(struct api_ctx *x)
{
	struct svc_graduate in;
	memset(&in, 0, sizeof in);
	uint64_t present;
	if (!body_spec(x, &svc_graduate_spec, &in, &present, false, true))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	enum err e = svc_mentee_graduate(x->svc, &x->actor, x->id, &in, &out, &ei);
	api_reply_result(x, e, out, &ei, 201);
}

void api_mentor_lineage(struct api_ctx *x) { by_id(x, svc_mentor_lineage, 200); }
