/*
 * internal.h — what the API's files share (layer: api, internal).
 */
#ifndef BANGDAI_API_INTERNAL_H
#define BANGDAI_API_INTERNAL_H

#include <jansson.h>

#include "api/api.h"

struct api_cache;

struct api {
	struct service *svc;
	struct api_cache *cache;
	struct msg_handler handler;
	char *openapi; /* the document, rendered once */
	size_t openapi_len;
	bool cookie_secure; /* session cookie gets "Secure" (served behind HTTPS) */
};

/* Everything a handler needs about one request. */
struct api_ctx {
	struct api *api;
	struct service *svc;
	const struct msg_request *req;
	struct msg_response *res;
	const struct route *route;
	struct actor actor;
	char token[AUTH_TOKEN_BYTES];
	bool via_cookie;
	int64_t id;             /* {id} of the path, if any */
	char code[M_CODE];      /* {code} of the path, if any */
	json_t *body;           /* parsed body (owned by the router), or NULL */
};

typedef void (*api_fn)(struct api_ctx *x);

/* The GET answer cache (cache.c). */
struct api_cache *api_cache_new(void);
void api_cache_free(struct api_cache *c);
/* Build the key of x's request into *out (initialised here; release it).
 * False if the key would be too long (then do not cache). */
bool api_cache_key(const struct api_ctx *x, struct buf *out);
/* Copy a kept answer for key at generation gen into body; false on a miss. */
bool api_cache_get(struct api_cache *c, const char *key, uint64_t gen, struct buf *body);
/* Keep body (copied) as the answer for key at generation gen. */
void api_cache_put(struct api_cache *c, const char *key, uint64_t gen, const struct buf *body);

/* Role bits for the route table. */
#define R_CITY (1u << ROLE_CITY_ADMIN)
#define R_COUNTY (1u << ROLE_COUNTY_ADMIN)
#define R_TOWN (1u << ROLE_TOWNSHIP_ADMIN)
#define R_MENTOR (1u << ROLE_MENTOR)
#define R_MENTEE (1u << ROLE_MENTEE)
#define R_AUDITOR (1u << ROLE_AUDITOR)
#define R_ADMIN (R_CITY | R_COUNTY | R_TOWN)
#define R_READ (R_ADMIN | R_AUDITOR)
#define R_ANY (R_READ | R_MENTOR | R_MENTEE)
#define R_PUBLIC 0u

struct route {
	const char *method;
	const char *pattern;      /* "/api/v1/mentors/{id}" */
	unsigned roles;           /* R_* bits; R_PUBLIC = no session needed */
	const char *const *query; /* accepted query keys (NULL-terminated), or NULL */
	const struct field_spec *body;     /* request body spec, for OpenAPI */
	const struct field_spec *response; /* record in the answer, for OpenAPI */
	bool list;                /* answers {items, total} */
	bool slow;                /* run on a worker thread */
	const char *summary;
	api_fn fn;
	/* Media types of a body that is not JSON (NULL-terminated), e.g. an
	 * import's CSV or .xlsx: the router then checks Content-Type against
	 * them, hands the bytes to the handler unparsed (x->req->body), and
	 * lets the body be LIMIT_UPLOAD_BYTES. NULL: a JSON body. */
	const char *const *accept;
};

extern const struct route api_routes[];
extern const int api_nroutes;

/* Query keys shared by list routes. */
extern const char *const api_q_list[];

/* ---- replies (each sets status and body; call exactly one) ---- */
void api_reply_json(struct api_ctx *x, int status, json_t *j); /* j stolen */
/* Error reply from an error code and its details (ei may be NULL). */
void api_reply_err(struct api_ctx *x, enum err e, const struct errinfo *ei);
int api_status(enum err e);

/* ---- helpers for handlers ---- */
/* Parse the body into `rec` with `spec` (create: required fields). On
 * failure replies 400 and returns false. */
bool api_body(struct api_ctx *x, const struct field_spec *spec, void *rec, uint64_t *present,
	      bool create);
/* List arguments from the query string; false after replying 400. */
bool api_list_args(struct api_ctx *x, struct svc_list_args *la);

typedef enum err (*api_list_fn)(struct service *s, const struct actor *a,
				const struct svc_list_args *la, svc_row_fn fn, void *arg,
				int64_t *total, struct errinfo *ei);
/* Run a list call and reply {items, total, limit, offset}. */
void api_list(struct api_ctx *x, api_list_fn fn, const struct field_spec *spec);
/* Reply with the rows of a non-paged list: {items, total}. */
typedef enum err (*api_rows_fn)(struct api_ctx *x, svc_row_fn fn, void *arg,
				struct errinfo *ei);
void api_rows(struct api_ctx *x, api_rows_fn fn, const struct field_spec *spec);

/* The answer of a service call that builds its JSON: `out` with status
 * `ok`, or the error `e`; `out` is taken either way. */
void api_reply_result(struct api_ctx *x, enum err e, json_t *out, const struct errinfo *ei,
		      int ok);
/* A paged list whose service answers the JSON itself. */
typedef enum err (*api_json_list_fn)(struct service *s, const struct actor *a,
				     const struct svc_list_args *la, json_t **out,
				     struct errinfo *ei);
void api_json_list(struct api_ctx *x, api_json_list_fn fn);

/* One record as JSON (masked as told). */
void api_reply_record(struct api_ctx *x, int status, const struct field_spec *spec,
		      const void *rec, bool masked);

/* Handlers, by resource file. */
void api_login(struct api_ctx *x);
void api_logout(struct api_ctx *x);
void api_me(struct api_ctx *x);
void api_openapi_get(struct api_ctx *x);
void api_region_list(struct api_ctx *x);
void api_region_get(struct api_ctx *x);
void api_region_create(struct api_ctx *x);
void api_region_update(struct api_ctx *x);
void api_vocab_list(struct api_ctx *x);
void api_vocab_create(struct api_ctx *x);
void api_mentor_list(struct api_ctx *x);
void api_mentor_get(struct api_ctx *x);
void api_mentor_create(struct api_ctx *x);
void api_mentor_update(struct api_ctx *x);
void api_mentor_transition(struct api_ctx *x);
void api_mentor_history(struct api_ctx *x);
void api_mentor_org_list(struct api_ctx *x);
void api_mentor_org_get(struct api_ctx *x);
void api_mentor_org_create(struct api_ctx *x);
void api_mentor_org_update(struct api_ctx *x);
void api_menu_list(struct api_ctx *x);
void api_menu_get(struct api_ctx *x);
void api_menu_create(struct api_ctx *x);
void api_menu_update(struct api_ctx *x);
void api_menu_items_get(struct api_ctx *x);
void api_menu_items_put(struct api_ctx *x);
void api_org_list(struct api_ctx *x);
void api_org_get(struct api_ctx *x);
void api_org_create(struct api_ctx *x);
void api_org_update(struct api_ctx *x);
void api_org_stars_get(struct api_ctx *x);
void api_org_stars_add(struct api_ctx *x);
void api_mentee_list(struct api_ctx *x);
void api_mentee_get(struct api_ctx *x);
void api_mentee_create(struct api_ctx *x);
void api_mentee_update(struct api_ctx *x);
void api_user_list(struct api_ctx *x);
void api_user_create(struct api_ctx *x);
void api_user_password(struct api_ctx *x);
void api_user_disable(struct api_ctx *x);
void api_audit_list(struct api_ctx *x);
void api_audit_verify(struct api_ctx *x);
void api_stats(struct api_ctx *x);
void api_match_run_create(struct api_ctx *x);
void api_match_run_get(struct api_ctx *x);
void api_match_run_list(struct api_ctx *x);
void api_match_run_approve(struct api_ctx *x);
void api_match_run_discard(struct api_ctx *x);
void api_match_rule_add(struct api_ctx *x);
void api_match_rule_remove(struct api_ctx *x);
void api_match_rule_list(struct api_ctx *x);
void api_match_choices_put(struct api_ctx *x);
void api_match_choices_get(struct api_ctx *x);
void api_match_ranks_put(struct api_ctx *x);
void api_pairing_list(struct api_ctx *x);
void api_import(struct api_ctx *x);
void api_import_template(struct api_ctx *x);
void api_export(struct api_ctx *x);

/* The life of a pairing (res_life.c). */
void api_pairing_create(struct api_ctx *x);
void api_pairing_get(struct api_ctx *x);
void api_pairing_events(struct api_ctx *x);
void api_pairing_transition(struct api_ctx *x);
void api_pairing_substitute(struct api_ctx *x);
void api_pairing_plans_get(struct api_ctx *x);
void api_pairing_plan_create(struct api_ctx *x);
void api_pairing_activities(struct api_ctx *x);
void api_pairing_logs_get(struct api_ctx *x);
void api_pairing_log_create(struct api_ctx *x);
void api_pairing_evals_get(struct api_ctx *x);
void api_pairing_eval_create(struct api_ctx *x);
void api_pairing_agreement_pdf(struct api_ctx *x);
void api_plan_list(struct api_ctx *x);
void api_plan_get(struct api_ctx *x);
void api_plan_edit(struct api_ctx *x);
void api_plan_approve(struct api_ctx *x);
void api_plan_item_get(struct api_ctx *x);
void api_plan_item_update(struct api_ctx *x);
void api_activity_list(struct api_ctx *x);
void api_activity_get(struct api_ctx *x);
void api_activity_create(struct api_ctx *x);
void api_activity_update(struct api_ctx *x);
void api_log_list(struct api_ctx *x);
void api_log_update(struct api_ctx *x);
void api_eval_list(struct api_ctx *x);
void api_due(struct api_ctx *x);
void api_escalations(struct api_ctx *x);
void api_rankings(struct api_ctx *x);
void api_project_list(struct api_ctx *x);
void api_project_get(struct api_ctx *x);
void api_project_create(struct api_ctx *x);
void api_project_update(struct api_ctx *x);
void api_project_pairings(struct api_ctx *x);
void api_life_settings(struct api_ctx *x);
void api_life_setting_set(struct api_ctx *x);
void api_mentee_archive(struct api_ctx *x);
void api_mentee_archive_html(struct api_ctx *x);
void api_mentee_archive_pdf(struct api_ctx *x);
void api_mentor_letter_pdf(struct api_ctx *x);
void api_mentee_graduate(struct api_ctx *x);
void api_mentor_lineage(struct api_ctx *x);

/*
 * Handler makers for the plain record routes: the same three shapes serve
 * mentors, mentees, organisations, mentor organisations and menus.
 */
#define API_CREATE(name, T, spec, svc_fn)                                             \
	void name(struct api_ctx *x)                                                  \
	{                                                                             \
		struct T r;                                                           \
		memset(&r, 0, sizeof r);                                              \
		uint64_t present;                                                     \
		if (!api_body(x, &spec, &r, &present, true))                          \
			return;                                                       \
		struct errinfo ei;                                                    \
		errinfo_clear(&ei);                                                   \
		enum err e = svc_fn(x->svc, &x->actor, &r, present, &ei);             \
		if (e)                                                                \
			api_reply_err(x, e, &ei);                                     \
		else                                                                  \
			api_reply_record(x, 201, &spec, &r, false);                   \
	}

#define API_UPDATE(name, T, spec, svc_fn)                                             \
	void name(struct api_ctx *x)                                                  \
	{                                                                             \
		struct T in, out;                                                     \
		memset(&in, 0, sizeof in);                                            \
		uint64_t present;                                                     \
		if (!api_body(x, &spec, &in, &present, false))                        \
			return;                                                       \
		struct errinfo ei;                                                    \
		errinfo_clear(&ei);                                                   \
		enum err e = svc_fn(x->svc, &x->actor, x->id, &in, present, &out, &ei); \
		if (e)                                                                \
			api_reply_err(x, e, &ei);                                     \
		else                                                                  \
			api_reply_record(x, 200, &spec, &out, false);                 \
	}

/* GET of one record; MASKED_GET for services that say whether to mask. */
#define API_GET(name, T, spec, svc_fn)                                                \
	void name(struct api_ctx *x)                                                  \
	{                                                                             \
		struct T r;                                                           \
		struct errinfo ei;                                                    \
		errinfo_clear(&ei);                                                   \
		enum err e = svc_fn(x->svc, &x->actor, x->id, &r, &ei);               \
		if (e)                                                                \
			api_reply_err(x, e, &ei);                                     \
		else                                                                  \
			api_reply_record(x, 200, &spec, &r, false);                   \
	}

#define API_MASKED_GET(name, T, spec, svc_fn)                                         \
	void name(struct api_ctx *x)                                                  \
	{                                                                             \
		struct T r;                                                           \
		bool masked = true;                                                   \
		struct errinfo ei;                                                    \
		errinfo_clear(&ei);                                                   \
		enum err e = svc_fn(x->svc, &x->actor, x->id, &r, &masked, &ei);      \
		if (e)                                                                \
			api_reply_err(x, e, &ei);                                     \
		else                                                                  \
			api_reply_record(x, 200, &spec, &r, masked);                  \
	}

#endif
