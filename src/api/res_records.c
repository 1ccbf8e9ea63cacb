/*
 * res_records.c — mentors, mentor organisations, menus, organisations and
 * mentees: list, get, create, update, and their sub-resources.
 * Layer: api.
 */
#include <string.h>

#include "api/internal.h"

void api_mentor_list(struct api_ctx *x) { api_list(x, svc_mentor_list, &svc_mentor_spec); }
API_MASKED_GET(api_mentor_get, mentor, svc_mentor_spec, svc_mentor_get)
API_CREATE(api_mentor_create, mentor, svc_mentor_spec, svc_mentor_create)
API_UPDATE(api_mentor_update, mentor, svc_mentor_spec, svc_mentor_update)

void api_mentor_transition(struct api_ctx *x)
{
	struct mentor_transition t;
	memset(&t, 0, sizeof t);
	uint64_t present;
	if (!api_body(x, &svc_transition_spec, &t, &present, true))
		return;
	struct mentor out;
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = svc_mentor_transition(x->svc, &x->actor, x->id, t.action, t.reason, &out, &ei);
	if (e)
		api_reply_err(x, e, &ei);
	else
		api_reply_record(x, 200, &svc_mentor_spec, &out, false);
}

static enum err history_rows(struct api_ctx *x, svc_row_fn fn, void *arg, struct errinfo *ei)
{
	return svc_mentor_history(x->svc, &x->actor, x->id, fn, arg, ei);
}

void api_mentor_history(struct api_ctx *x) { api_rows(x, history_rows, &svc_transition_spec); }

void api_mentor_org_list(struct api_ctx *x)
{
	api_list(x, svc_mentor_org_list, &svc_mentor_org_spec);
}
API_GET(api_mentor_org_get, mentor_org, svc_mentor_org_spec, svc_mentor_org_get)
API_CREATE(api_mentor_org_create, mentor_org, svc_mentor_org_spec, svc_mentor_org_create)
API_UPDATE(api_mentor_org_update, mentor_org, svc_mentor_org_spec, svc_mentor_org_update)

void api_menu_list(struct api_ctx *x) { api_list(x, svc_menu_list, &svc_menu_spec); }
API_GET(api_menu_get, menu, svc_menu_spec, svc_menu_get)
API_CREATE(api_menu_create, menu, svc_menu_spec, svc_menu_create)
API_UPDATE(api_menu_update, menu, svc_menu_spec, svc_menu_update)

static enum err menu_rows(struct api_ctx *x, svc_row_fn fn, void *arg, struct errinfo *ei)
{
	return svc_menu_items(x->svc, &x->actor, x->id, fn, arg, ei);
}

void api_menu_items_get(struct api_ctx *x) { api_rows(x, menu_rows, &svc_mentor_spec); }

#define MENU_MAX_ITEMS 200

void api_menu_items_put(struct api_ctx *x)
{
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *arr = x->body ? json_object_get(x->body, "mentors") : NULL;
	if (!arr || !json_is_array(arr) || json_object_size(x->body) != 1) {
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "mentors", "应为 {\"mentors\": [id, ...]}"), &ei);
		return;
	}
	size_t n = json_array_size(arr);
	if (n > MENU_MAX_ITEMS) {
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "mentors", "最多 %d 位导师 (at most %d)",
					     MENU_MAX_ITEMS, MENU_MAX_ITEMS), &ei);
		return;
	}
	int64_t ids[MENU_MAX_ITEMS];
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_array_get(arr, i);
		if (!json_is_integer(v) || json_integer_value(v) <= 0) {
			api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "mentors",
						     "第 %zu 项应为导师编号 (item %zu must be a mentor id)", i + 1, i + 1), &ei);
			return;
		}
		ids[i] = json_integer_value(v);
	}
	enum err e = svc_menu_set_items(x->svc, &x->actor, x->id, ids, (int)n, &ei);
	if (e) {
		api_reply_err(x, e, &ei);
		return;
	}
	api_rows(x, menu_rows, &svc_mentor_spec);
}

void api_org_list(struct api_ctx *x) { api_list(x, svc_org_list, &svc_org_spec); }
API_GET(api_org_get, organisation, svc_org_spec, svc_org_get)
API_CREATE(api_org_create, organisation, svc_org_spec, svc_org_create)
API_UPDATE(api_org_update, organisation, svc_org_spec, svc_org_update)

static enum err star_rows(struct api_ctx *x, svc_row_fn fn, void *arg, struct errinfo *ei)
{
	return svc_org_stars(x->svc, &x->actor, x->id, fn, arg, ei);
}

void api_org_stars_get(struct api_ctx *x) { api_rows(x, star_rows, &svc_org_star_spec); }

void api_org_stars_add(struct api_ctx *x)
{
	struct org_star s;
	memset(&s, 0, sizeof s);
	uint64_t present;
	if (!api_body(x, &svc_org_star_spec, &s, &present, true))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = svc_org_add_stars(x->svc, &x->actor, x->id, &s, &ei);
	if (e)
		api_reply_err(x, e, &ei);
	else
		api_reply_record(x, 201, &svc_org_star_spec, &s, false);
}

void api_mentee_list(struct api_ctx *x) { api_list(x, svc_mentee_list, &svc_mentee_spec); }
API_MASKED_GET(api_mentee_get, mentee, svc_mentee_spec, svc_mentee_get)
API_CREATE(api_mentee_create, mentee, svc_mentee_spec, svc_mentee_create)
API_UPDATE(api_mentee_update, mentee, svc_mentee_spec, svc_mentee_update)
