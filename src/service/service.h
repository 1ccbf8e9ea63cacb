/*
 * service.h — the use cases of the programme office (layer: service).
 *
 * The only layer that combines storage, authorisation and the matching
 * engine. Every function takes the caller (`struct actor`) and checks
 * role and jurisdiction itself, with one rule (auth_visible /
 * auth_writable), on every read and write; a refusal is written to the
 * audit log. Every change is one transaction together with its audit
 * entry, so a failed request changes nothing.
 *
 * Records cross this boundary as the plain structs of core/model.h, with
 * a bit set of the fields the caller supplied (`present`, bit i = field i
 * of the record's field spec below). Lists call back once per row; the
 * row is borrowed for the call and `masked` says whether phone and ID
 * numbers must be shown masked to this caller.
 *
 * Errors: ERR_INVALID / ERR_UNPROCESSABLE (bad input, field in ei),
 * ERR_UNAUTH, ERR_FORBIDDEN, ERR_NOT_FOUND, ERR_CONFLICT (duplicate,
 * illegal transition), ERR_DB (logged here).
 */
#ifndef BANGDAI_SERVICE_SERVICE_H
#define BANGDAI_SERVICE_SERVICE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "auth/auth.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fields.h"
#include "core/model.h"

struct service;

/* Open the database (path or URI) with `pool` connections; runs
 * migrations. *out is owned (service_close). */
enum err service_open(const char *db, unsigned pool, struct service **out, struct errinfo *ei);
void service_close(struct service *s);

/* Field specs of the records (shared with the API and importers). */
extern const struct field_spec svc_region_spec, svc_mentor_spec, svc_mentor_org_spec,
	svc_menu_spec, svc_mentee_spec, svc_org_spec, svc_user_spec, svc_vocab_spec,
	svc_transition_spec, svc_org_star_spec;

typedef enum err (*svc_row_fn)(void *arg, const void *row, bool masked);

/* --- sessions ---------------------------------------------------------- */

/*
 * Check a password and open a session. On success `token` (give it to the
 * client; never stored) and `csrf` are filled and *who describes the user.
 * Slow (argon2id): call it off the I/O threads. Every refusal is audited.
 * Errors: ERR_UNAUTH (unknown login, wrong password, disabled),
 * ERR_RATE_LIMIT (too many failures for this login from this address).
 */
enum err service_login(struct service *s, const char *login, const char *pw, size_t pwlen,
		       const char *client, char token[AUTH_TOKEN_BYTES], char csrf[65],
		       struct actor *who, struct errinfo *ei);
/* Resolve a session token into the caller. ERR_UNAUTH if unknown,
 * expired (idle or absolute) or the user is disabled. *csrf (may be NULL)
 * receives the session's CSRF token; *gen (may be NULL) the data
 * generation seen before anything was read (0: the backend cannot tell),
 * for read caches: an answer computed after this call may be reused for
 * as long as the generation stays the same. */
enum err service_authenticate(struct service *s, const char *token, const char *client,
			      struct actor *who, char csrf[65], uint64_t *gen);
enum err service_logout(struct service *s, const struct actor *who, const char *token);

/* Record a refused access (403) in the audit log. Never fails loudly. */
void service_audit_denied(struct service *s, const struct actor *who, const char *what);

/* --- list arguments, as the API receives them --------------------------- */

struct svc_list_args {
	char region[M_CODE];  /* subtree root code; "" = the caller's own root */
	char q[M_NAME];       /* search text (simplified or traditional) */
	char status[M_SHORT], tier[M_SHORT], source[M_CODE], team_type[M_SHORT];
	char category[M_CODE], domain[M_CODE], kind[M_SHORT], parent[M_CODE];
	int level, flag;
	char sort[M_SHORT];   /* resource-specific names, e.g. "name" */
	bool desc;
	int limit, offset;
};

/* --- regions ---------------------------------------------------------- */
enum err svc_region_list(struct service *s, const struct actor *a, const struct svc_list_args *la,
			 svc_row_fn fn, void *arg, int64_t *total, struct errinfo *ei);
enum err svc_region_get(struct service *s, const struct actor *a, const char *code,
			struct region *out, struct errinfo *ei);
/* in->parent_code names the parent (required unless the first, city node). */
enum err svc_region_create(struct service *s, const struct actor *a, struct region *in,
			   uint64_t present, struct errinfo *ei);
enum err svc_region_update(struct service *s, const struct actor *a, const char *code,
			   const struct region *in, uint64_t present, struct region *out,
			   struct errinfo *ei);

/* --- vocabularies --------------------------------------------------- */
enum err svc_vocab_list(struct service *s, const struct actor *a, const char *kind,
			svc_row_fn fn, void *arg, struct errinfo *ei);
/* City admins only; kind must be one of source, category, domain, talent_team. */
enum err svc_vocab_create(struct service *s, const struct actor *a, struct vocab *in,
			  struct errinfo *ei);

/* --- mentors ---------------------------------------------------------- */
enum err svc_mentor_list(struct service *s, const struct actor *a, const struct svc_list_args *la,
			 svc_row_fn fn, void *arg, int64_t *total, struct errinfo *ei);
enum err svc_mentor_get(struct service *s, const struct actor *a, int64_t id, struct mentor *out,
			bool *masked, struct errinfo *ei);
/* Nominates a new mentor (status "nominated"). in->region_code names its region. */
enum err svc_mentor_create(struct service *s, const struct actor *a, struct mentor *in,
			   uint64_t present, struct errinfo *ei);
enum err svc_mentor_update(struct service *s, const struct actor *a, int64_t id,
			   const struct mentor *in, uint64_t present, struct mentor *out,
			   struct errinfo *ei);
/* Take a pipeline action ("shortlist", "file", "appoint", "pause", "resume",
 * "retire", "reject"); `reason` is required for reject, pause, retire.
 * ERR_CONFLICT if the action is not allowed from the current status. */
enum err svc_mentor_transition(struct service *s, const struct actor *a, int64_t id,
			       const char *action, const char *reason, struct mentor *out,
			       struct errinfo *ei);
enum err svc_mentor_history(struct service *s, const struct actor *a, int64_t id, svc_row_fn fn,
			    void *arg, struct errinfo *ei);

/* --- mentor organisations ------------------------------------------- */
enum err svc_mentor_org_list(struct service *s, const struct actor *a,
			     const struct svc_list_args *la, svc_row_fn fn, void *arg,
			     int64_t *total, struct errinfo *ei);
enum err svc_mentor_org_get(struct service *s, const struct actor *a, int64_t id,
			    struct mentor_org *out, struct errinfo *ei);
enum err svc_mentor_org_create(struct service *s, const struct actor *a, struct mentor_org *in,
			       uint64_t present, struct errinfo *ei);
enum err svc_mentor_org_update(struct service *s, const struct actor *a, int64_t id,
			       const struct mentor_org *in, uint64_t present,
			       struct mentor_org *out, struct errinfo *ei);

/* --- menus ---------------------------------------------------------- */
/* Mentees see the published menus of their county. */
enum err svc_menu_list(struct service *s, const struct actor *a, const struct svc_list_args *la,
		       svc_row_fn fn, void *arg, int64_t *total, struct errinfo *ei);
enum err svc_menu_get(struct service *s, const struct actor *a, int64_t id, struct menu *out,
		      struct errinfo *ei);
enum err svc_menu_create(struct service *s, const struct actor *a, struct menu *in,
			 uint64_t present, struct errinfo *ei);
enum err svc_menu_update(struct service *s, const struct actor *a, int64_t id,
			 const struct menu *in, uint64_t present, struct menu *out,
			 struct errinfo *ei);
/* Replace the menu's mentors; each must be an active mentor of the menu's county. */
enum err svc_menu_set_items(struct service *s, const struct actor *a, int64_t id,
			    const int64_t *mentor_ids, int n, struct errinfo *ei);
/* The menu's mentors as struct mentor rows (masked for mentees). */
enum err svc_menu_items(struct service *s, const struct actor *a, int64_t id, svc_row_fn fn,
			void *arg, struct errinfo *ei);

/* --- organisations -------------------------------------------------- */
enum err svc_org_list(struct service *s, const struct actor *a, const struct svc_list_args *la,
		      svc_row_fn fn, void *arg, int64_t *total, struct errinfo *ei);
enum err svc_org_get(struct service *s, const struct actor *a, int64_t id,
		     struct organisation *out, struct errinfo *ei);
enum err svc_org_create(struct service *s, const struct actor *a, struct organisation *in,
			uint64_t present, struct errinfo *ei);
enum err svc_org_update(struct service *s, const struct actor *a, int64_t id,
			const struct organisation *in, uint64_t present, struct organisation *out,
			struct errinfo *ei);
/* Add a star rating (becomes the organisation's current stars). */
enum err svc_org_add_stars(struct service *s, const struct actor *a, int64_t id,
			   struct org_star *in, struct errinfo *ei);
enum err svc_org_stars(struct service *s, const struct actor *a, int64_t id, svc_row_fn fn,
		       void *arg, struct errinfo *ei);

/* --- mentees -------------------------------------------------------- */
enum err svc_mentee_list(struct service *s, const struct actor *a, const struct svc_list_args *la,
			 svc_row_fn fn, void *arg, int64_t *total, struct errinfo *ei);
enum err svc_mentee_get(struct service *s, const struct actor *a, int64_t id, struct mentee *out,
			bool *masked, struct errinfo *ei);
enum err svc_mentee_create(struct service *s, const struct actor *a, struct mentee *in,
			   uint64_t present, struct errinfo *ei);
enum err svc_mentee_update(struct service *s, const struct actor *a, int64_t id,
			   const struct mentee *in, uint64_t present, struct mentee *out,
			   struct errinfo *ei);

/* --- users ---------------------------------------------------------- */
/* Admins create accounts within their jurisdiction and of lower rank
 * (the CLI passes a NULL actor: the operator of the machine). The password
 * is hashed here (slow). */
enum err svc_user_create(struct service *s, const struct actor *a, struct user *in,
			 const char *password, size_t pwlen, struct errinfo *ei);
enum err svc_user_list(struct service *s, const struct actor *a, const struct svc_list_args *la,
		       svc_row_fn fn, void *arg, int64_t *total, struct errinfo *ei);
/* Set a password (NULL actor: CLI). Ends the user's sessions. */
enum err svc_user_set_password(struct service *s, const struct actor *a, const char *login,
			       const char *password, size_t pwlen, struct errinfo *ei);
/* Disable or enable an account; disabling ends its sessions. */
enum err svc_user_set_disabled(struct service *s, const struct actor *a, const char *login,
			       bool disabled, struct errinfo *ei);

/* --- audit ---------------------------------------------------------- */
/* City admins and auditors: entries after `after_id`, at most `limit`,
 * as struct audit_entry rows. */
enum err svc_audit_list(struct service *s, const struct actor *a, int64_t after_id, int limit,
			svc_row_fn fn, void *arg, struct errinfo *ei);
/* Walk the hash chain. *ok false and *bad_id set at the first broken entry. */
enum err svc_audit_verify(struct service *s, const struct actor *a, int64_t *count, bool *ok,
			  int64_t *bad_id, struct errinfo *ei);

/* --- statistics ----------------------------------------------------- */
/* The figures of SPEC §6 that exist so far, for `region` ("" = caller's
 * root), as a new JSON object (returned owned). */
enum err svc_stats(struct service *s, const struct actor *a, const char *region, json_t **out,
		   struct errinfo *ei);
/* The same over the dates [from, to] ("" = open): the pairings whose
 * life meets the range, the activities and evaluations in it, the
 * three-star change from `from` (else the baseline) to `to` (else
 * today). ERR_INVALID for a malformed date. */
enum err svc_stats_range(struct service *s, const struct actor *a, const char *region,
			 const char *from, const char *to, json_t **out, struct errinfo *ei);

/* --- matching runs (SPEC §4) ------------------------------------------ */

/*
 * A request for a matching run. Methods: "auto" (most mentees matched,
 * then the largest total score), "menu" (mentee-proposing deferred
 * acceptance over the mentees' menu choices), "team" (N:1 key cultivation:
 * a team of mentors covering each key mentee's weaknesses) and "groups"
 * (N:N small teams). A follow-up round names its parent run: it takes the
 * parent's unmatched mentees, and `wider` lets it use mentors from the
 * caller's whole jurisdiction (other counties' menus) as well.
 */
struct svc_match_request {
	char region[M_CODE];     /* scope; "" = the caller's root */
	char method[M_SHORT];
	double weight[5];        /* domain, convenience, strong_weak, voluntary, org */
	bool has_weight[5];
	double reach_km;         /* 0 = default */
	unsigned k;              /* candidates per mentee; 0 = the documented rule */
	uint64_t seed;
	int64_t parent_run;
	bool wider;
	int64_t key_mentees[64]; /* team: the key mentees (0 of them = every
				    organisation mentee in scope) */
	int n_key;
	/* auto: county quotas — at most `quota` mentees placed with the
	 * mentors of county `county` (组织统筹). */
	struct {
		char county[M_CODE];
		unsigned quota;
	} quotas[16];
	int n_quotas;
};

/* Run the engine and store the proposal (status "proposed"); *out is the
 * run with its proposals, explanations and unmatched mentees (owned). */
enum err svc_match_run_create(struct service *s, const struct actor *a,
			      const struct svc_match_request *rq, json_t **out, struct errinfo *ei);
enum err svc_match_run_get(struct service *s, const struct actor *a, int64_t id, json_t **out,
			   struct errinfo *ei);
/* {items, total}: the runs of the caller's jurisdiction, newest first. */
enum err svc_match_run_list(struct service *s, const struct actor *a,
			    const struct svc_list_args *la, json_t **out, struct errinfo *ei);
/* Approve (pairings are created, status "proposed", waiting for both
 * sides) or discard a proposed run. ERR_CONFLICT if it was decided
 * already or the data changed under it (a mentee paired since, a mentor
 * full): run it again. */
enum err svc_match_run_decide(struct service *s, const struct actor *a, int64_t id,
			      bool approve, json_t **out, struct errinfo *ei);

/* Locks and bans (组织统筹). kind "lock" | "ban"; a ban needs a reason. */
enum err svc_match_rule_add(struct service *s, const struct actor *a, const char *kind,
			    int64_t mentee, int64_t mentor, const char *reason, json_t **out,
			    struct errinfo *ei);
enum err svc_match_rule_remove(struct service *s, const struct actor *a, int64_t id,
			       struct errinfo *ei);
enum err svc_match_rule_list(struct service *s, const struct actor *a, const char *region,
			     json_t **out, struct errinfo *ei);

/* Menu choice ("你来点单"): a mentee ranks up to SVC_MAX_CHOICES mentors of
 * a published menu of its county (mentee_id 0 = the caller's own record;
 * admins may enter choices for a mentee of their jurisdiction). */
#define SVC_MAX_CHOICES 5
enum err svc_match_choose(struct service *s, const struct actor *a, int64_t mentee_id,
			  int64_t menu_id, const int64_t *mentor_ids, int n, struct errinfo *ei);
enum err svc_match_choices_get(struct service *s, const struct actor *a, int64_t mentee_id,
			       json_t **out, struct errinfo *ei);
/* A mentor ranks the mentees who chose it (best first). */
enum err svc_match_rank(struct service *s, const struct actor *a, const int64_t *mentee_ids,
			int n, struct errinfo *ei);

/* Request bodies of the calls above (specs in specs.c). */
#define SVC_MAX_RANKS 1000
struct svc_match_rule_in {
	char kind[M_SHORT];
	int64_t mentee, mentor;
	char reason[1024];
};
struct svc_choices_in {
	int64_t mentee, menu; /* mentee 0 = the caller's own record */
	int64_t mentors[SVC_MAX_CHOICES];
	int nmentors;
};
struct svc_ranks_in {
	int64_t mentees[SVC_MAX_RANKS];
	int nmentees;
};
extern const struct field_spec svc_match_rule_in_spec, svc_choices_in_spec, svc_ranks_in_spec;

/* Pairings visible to the caller ({items, total}); filters status. */
enum err svc_pairing_list(struct service *s, const struct actor *a,
			  const struct svc_list_args *la, json_t **out, struct errinfo *ei);

/* --- the life of a pairing (SPEC §5, issue 4) ------------------------------
 *
 * Pairings after a match (or made by hand): both sides confirm, the
 * ceremony is recorded, the pairing is active, then completed or
 * dissolved; yearly plans with the mentor's duties and the mentee's tasks;
 * activities, work logs and the evaluation cycle; what is due and overdue;
 * silent pairs escalating; demonstration projects; the growth archive and
 * the printable letters; graduation and lineage. Admins act in their
 * subtree; a mentor or mentee reads its own pairings (and what belongs to
 * them), confirms its side, writes its logs and reports on its plan items;
 * auditors read. A NULL actor is the operator at the machine (CLI).
 * Answers are JSON objects returned owned. Errors as above; an illegal
 * status change is ERR_CONFLICT and changes nothing.
 */

#define SVC_LIFE_MAX_MEMBERS 16   /* mentors or mentees of one pairing */
#define SVC_LIFE_MAX_PAIRINGS 64  /* pairings of one activity or request */
#define SVC_LIFE_MAX_ITEMS 64     /* items of one plan */
#define SVC_LIFE_TITLE 256        /* bytes of a title */

struct svc_pairing_new {
	char mode[M_SHORT];       /* "" = from the numbers of members */
	int64_t mentors[SVC_LIFE_MAX_MEMBERS], mentees[SVC_LIFE_MAX_MEMBERS];
	int nmentors, nmentees;
	int64_t project;          /* a demonstration project, or 0 */
};
/* Create a pairing by hand (origin "assigned", status "proposed") in the
 * first mentee's region. Every mentor must be active with a free place
 * and every mentee in no open pairing: ERR_CONFLICT otherwise. */
enum err svc_pairing_create(struct service *s, const struct actor *a,
			    const struct svc_pairing_new *in, json_t **out, struct errinfo *ei);
/* One pairing with its members (past ones too), ceremony and project. */
enum err svc_pairing_get(struct service *s, const struct actor *a, int64_t id, json_t **out,
			 struct errinfo *ei);

/* A status change: confirm (a member its own side; an admin names
 * `side`), ceremony (date, place: the agreement number is issued),
 * activate (date = start, default the ceremony's), complete (date = end,
 * default today), dissolve (reason required). An action that is not
 * legal from the current status (a word that is no step at all
 * included) is ERR_CONFLICT. */
struct svc_pairing_action {
	char action[M_SHORT];
	char side[M_SHORT];
	char date[M_TIME];
	char place[M_NAME];
	char reason[M_TEXT];
};
extern const struct field_spec svc_pairing_action_spec;
enum err svc_pairing_transition(struct service *s, const struct actor *a, int64_t id,
				const struct svc_pairing_action *in, json_t **out,
				struct errinfo *ei);
/* {items}: the pairing's status history, oldest first. */
enum err svc_pairing_events(struct service *s, const struct actor *a, int64_t id, json_t **out,
			    struct errinfo *ei);
/* Replace mentor `old_mentor` of an open pairing by `new_mentor` (active,
 * with a free place); the history stays with the pairing. */
struct svc_substitute {
	int64_t old_mentor, new_mentor;
	char reason[M_TEXT];
};
extern const struct field_spec svc_substitute_spec;
enum err svc_pairing_substitute(struct service *s, const struct actor *a, int64_t id,
				const struct svc_substitute *in, json_t **out,
				struct errinfo *ei);

/* Yearly plans. generate: a draft for `year` (0 = this year) built from
 * the mentee's post and weaknesses; edit: replace a draft's items;
 * approve: draft -> approved (then tracked); item update: status,
 * evidence, completed_on, by an admin or the member whose item it is
 * (the mentor its duties, the mentee its tasks), approved plans only. */
struct svc_plan_item_in {
	char side[M_SHORT];
	char title[SVC_LIFE_TITLE];
	char domain[M_CODE];
	char due[M_TIME];
};
extern const struct field_spec svc_plan_item_in_spec;
struct svc_item_update {
	char status[M_SHORT];     /* open | done | dropped */
	char evidence[M_TEXT];
	char completed_on[M_TIME];
};
extern const struct field_spec svc_item_update_spec;
/* Bodies of plan generate ({year?}) and edit ({items?}), and of a
 * project's pairings ({pairings}) (specs in specs.c). */
struct svc_plan_new {
	int year;
};
struct svc_plan_edit_in {
	struct svc_plan_item_in items[SVC_LIFE_MAX_ITEMS];
	int nitems;
};
struct svc_pairing_ids {
	int64_t pairings[SVC_LIFE_MAX_PAIRINGS];
	int npairings;
};
extern const struct field_spec svc_plan_new_spec, svc_plan_edit_in_spec, svc_pairing_ids_spec,
	svc_pairing_new_spec;
enum err svc_plan_generate(struct service *s, const struct actor *a, int64_t pairing_id,
			   int year, json_t **out, struct errinfo *ei);
enum err svc_plan_get(struct service *s, const struct actor *a, int64_t id, json_t **out,
		      struct errinfo *ei);
enum err svc_pairing_plans(struct service *s, const struct actor *a, int64_t pairing_id,
			   json_t **out, struct errinfo *ei);
/* {items, total}: plans of the jurisdiction (la: region, status, paging). */
enum err svc_plan_list(struct service *s, const struct actor *a, const struct svc_list_args *la,
		       json_t **out, struct errinfo *ei);
/* n < 0: no items were given (ERR_INVALID, after the access check). */
enum err svc_plan_edit(struct service *s, const struct actor *a, int64_t id,
		       const struct svc_plan_item_in *items, int n, json_t **out,
		       struct errinfo *ei);
enum err svc_plan_approve(struct service *s, const struct actor *a, int64_t id, json_t **out,
			  struct errinfo *ei);
/* One plan item (readable as its plan is). */
enum err svc_plan_item_get(struct service *s, const struct actor *a, int64_t id, json_t **out,
			   struct errinfo *ei);
enum err svc_plan_item_update(struct service *s, const struct actor *a, int64_t id,
			      const struct svc_item_update *in, uint64_t present, json_t **out,
			      struct errinfo *ei);

/* Activities (types in GET /api/v1/life/settings): by an admin of the
 * region, or a mentor of every pairing named. */
struct svc_activity {
	char type[M_CODE];
	char title[SVC_LIFE_TITLE];
	char date[M_TIME];
	char place[M_NAME];
	char participants[M_TEXT];
	char summary[M_TEXT];
	int trained;              /* head count of people trained */
	char region[M_CODE];      /* "" = the first pairing's region */
	int64_t project;
	int64_t pairings[SVC_LIFE_MAX_PAIRINGS]; /* on create only */
	int npairings;
};
/* svc_activity_new_spec: the create's, with "pairings"; the update's
 * has the same fields (same bits) but that one. */
extern const struct field_spec svc_activity_spec, svc_activity_new_spec;
/* Date filters of the life lists ("" = open). */
struct svc_life_range {
	char from[M_TIME], to[M_TIME];
};
enum err svc_activity_create(struct service *s, const struct actor *a,
			     const struct svc_activity *in, json_t **out, struct errinfo *ei);
enum err svc_activity_get(struct service *s, const struct actor *a, int64_t id, json_t **out,
			  struct errinfo *ei);
enum err svc_activity_update(struct service *s, const struct actor *a, int64_t id,
			     const struct svc_activity *in, uint64_t present, json_t **out,
			     struct errinfo *ei);
/* la->kind filters the type. */
enum err svc_activity_list(struct service *s, const struct actor *a,
			   const struct svc_list_args *la, const struct svc_life_range *r,
			   json_t **out, struct errinfo *ei);

/* Work logs: written by a member about its pairing, editable by its
 * author for `log_edit_days` (a setting). */
struct svc_log {
	char date[M_TIME];
	char content[M_TEXT];
};
extern const struct field_spec svc_log_spec;
/* `present` as the spec reads it: the required fields are checked after
 * the caller's right to the pairing (so a stranger gets 403 whatever it
 * sends). */
enum err svc_log_create(struct service *s, const struct actor *a, int64_t pairing_id,
			const struct svc_log *in, uint64_t present, json_t **out,
			struct errinfo *ei);
enum err svc_log_update(struct service *s, const struct actor *a, int64_t id,
			const struct svc_log *in, uint64_t present, json_t **out,
			struct errinfo *ei);
enum err svc_log_list(struct service *s, const struct actor *a, const struct svc_list_args *la,
		      const struct svc_life_range *r, json_t **out, struct errinfo *ei);

/* Evaluations: kind monthly | quarterly | half_year | yearly, period
 * 2026-03 | 2026-Q1 | 2026-H1 | 2026, score 0..100, grade from the score
 * unless given (a configured grade). One per pairing, kind and period. */
struct svc_eval {
	char kind[M_SHORT];
	char period[M_SHORT];
	char date[M_TIME];
	int score;
	char grade[M_CODE];
	char comment[M_TEXT];
};
extern const struct field_spec svc_eval_spec;
enum err svc_eval_create(struct service *s, const struct actor *a, int64_t pairing_id,
			 const struct svc_eval *in, uint64_t present, json_t **out,
			 struct errinfo *ei);
enum err svc_eval_list(struct service *s, const struct actor *a, const struct svc_list_args *la,
		       const struct svc_life_range *r, json_t **out, struct errinfo *ei);

/* A pairing's activities, logs or evaluations: {items, total}. */
enum err svc_pairing_activities(struct service *s, const struct actor *a, int64_t pairing_id,
				json_t **out, struct errinfo *ei);
enum err svc_pairing_logs(struct service *s, const struct actor *a, int64_t pairing_id,
			  json_t **out, struct errinfo *ei);
enum err svc_pairing_evals(struct service *s, const struct actor *a, int64_t pairing_id,
			   json_t **out, struct errinfo *ei);

/* What is due and overdue on `date` (YYYY-MM-DD; "" = today) for the
 * active pairings of `region` ("" = the caller's root): {date, items,
 * total}, each item {kind, pairing, due, overdue_days, ...}; kinds
 * visit (the monthly joint supervision visit), duty, task (plan items),
 * monthly, quarterly, half_year, yearly (evaluations). */
enum err svc_due_list(struct service *s, const struct actor *a, const char *region,
		      const char *date, json_t **out, struct errinfo *ei);
/* The same, one page: items [offset, offset + limit) of the list (limit 0:
 * to the end), with total and overdue still over the whole list and
 * {limit, offset} added when either is set. */
enum err svc_due_page(struct service *s, const struct actor *a, const char *region,
		      const char *date, int limit, int offset, json_t **out,
		      struct errinfo *ei);
/* Silent pairs on `date`: no activity or log for silent_days, flagged to
 * the township, then (each escalate_days more) the county and the city:
 * every silent pair of the jurisdiction with its `level`, and `to_you`
 * true on those that have reached the caller's own level. */
enum err svc_escalations(struct service *s, const struct actor *a, const char *region,
			 const char *date, json_t **out, struct errinfo *ei);
/* 红黄榜: pairings and townships by their evaluations in [from, to] and
 * overdue items on `to`: {red: {pairings, townships}, yellow: {...}}. */
enum err svc_rankings(struct service *s, const struct actor *a, const char *region,
		      const struct svc_life_range *r, json_t **out, struct errinfo *ei);

/* Demonstration projects 示范项目. */
struct svc_project {
	char name[M_NAME];
	char region[M_CODE];
	int year;
	char description[M_TEXT];
};
extern const struct field_spec svc_project_spec;
enum err svc_project_create(struct service *s, const struct actor *a,
			    const struct svc_project *in, json_t **out, struct errinfo *ei);
enum err svc_project_get(struct service *s, const struct actor *a, int64_t id, json_t **out,
			 struct errinfo *ei);
enum err svc_project_update(struct service *s, const struct actor *a, int64_t id,
			    const struct svc_project *in, uint64_t present, json_t **out,
			    struct errinfo *ei);
enum err svc_project_list(struct service *s, const struct actor *a,
			  const struct svc_list_args *la, json_t **out, struct errinfo *ei);
/* Put pairings (of the project's region) into the project. */
enum err svc_project_add_pairings(struct service *s, const struct actor *a, int64_t id,
				  const int64_t *pairings, int n, json_t **out,
				  struct errinfo *ei);

/* Growth archive 一人一册 of a mentee (admins of its region, the mentee
 * itself, auditors): JSON, or a printable HTML page or A4 PDF appended
 * to `out`. */
enum err svc_archive(struct service *s, const struct actor *a, int64_t mentee_id, json_t **out,
		     struct errinfo *ei);
enum err svc_archive_html(struct service *s, const struct actor *a, int64_t mentee_id,
			  struct buf *out, struct errinfo *ei);
enum err svc_archive_pdf(struct service *s, const struct actor *a, int64_t mentee_id,
			 struct buf *out, struct errinfo *ei);
/* 聘书: a mentor's appointment letter (a draft until appointed). */
enum err svc_letter_pdf(struct service *s, const struct actor *a, int64_t mentor_id,
			struct buf *out, struct errinfo *ei);
/* 结对协议书: the pairing agreement (a draft until the ceremony). */
enum err svc_agreement_pdf(struct service *s, const struct actor *a, int64_t pairing_id,
			   struct buf *out, struct errinfo *ei);

/* 徒成师: nominate a person mentee into the mentor library (a new
 * mentor, status "nominated", from_mentee set; the mentee's status
 * becomes "graduated"); answers the new mentor. */
struct svc_graduate {
	char tier[M_SHORT];
	char source[M_CODE];
	char team_type[M_SHORT];
	char domains[M_TAGS];
	int capacity;
};
extern const struct field_spec svc_graduate_spec;
enum err svc_mentee_graduate(struct service *s, const struct actor *a, int64_t mentee_id,
			     const struct svc_graduate *in, json_t **out, struct errinfo *ei);
/* Who trained whom: the mentor's trainers (up the generations) and
 * trainees (down, through those who became mentors). */
enum err svc_mentor_lineage(struct service *s, const struct actor *a, int64_t mentor_id,
			    json_t **out, struct errinfo *ei);

/* Settings of this part (log_edit_days, silent_days, escalate_days,
 * due_horizon_days, letter_prefix, baseline_date, grades) with the
 * activity types and evaluation kinds; city admins change them. */
enum err svc_life_settings(struct service *s, const struct actor *a, json_t **out,
			   struct errinfo *ei);
enum err svc_life_setting_set(struct service *s, const struct actor *a, const char *name,
			      const char *value, json_t **out, struct errinfo *ei);

/* --- matching instance files ------------------------------------------ */
/* Solve an HR or AS instance file (bench/FORMAT.md) from `path` ("-" =
 * standard input) and write exactly the format's answer to `out`.
 * ERR_INVALID with the line number in ei->row for a malformed file. */
enum err svc_match_file(const char *path, FILE *out, struct errinfo *ei);

/* --- moving a programme between databases ----------------------------- */
/* Called once per table after it was copied and verified; `checksum` (64
 * hex characters) does not depend on the backend. All borrowed. */
typedef void (*svc_migrate_fn)(void *arg, const char *table, int64_t rows,
			       const char *checksum);
/*
 * Copy every table of database `from` into the empty database `to` (paths
 * or postgres:// URIs; `to` is created and migrated if need be), ids
 * included, and verify each table by row count and checksum; `fn` (may be
 * NULL) hears of each table. The source's writers are held off while it
 * runs. Not audited: the operator of the machine runs it (CLI).
 * Errors: ERR_NOT_FOUND (no source file), ERR_INVALID (same database),
 * ERR_CONFLICT (the target is not empty, or a row does not fit it),
 * ERR_DB (storage, or a verification failed: table in ei->field),
 * ERR_INTERNAL (the copy's table list is behind the schema).
 * On failure the target may hold some tables: drop it before retrying.
 */
enum err svc_migrate_data(const char *from, const char *to, svc_migrate_fn fn, void *arg,
			  struct errinfo *ei);
/* The row count and checksum of every table of `s`'s database, computed
 * as svc_migrate_data verifies a copy (the same on either backend); `fn`
 * hears each table. For checks that a failed write changed nothing.
 * Errors: ERR_DB. */
enum err svc_db_checksums(struct service *s, svc_migrate_fn fn, void *arg, struct errinfo *ei);
/* The database's integrity check (store_check), and that the connection
 * it runs on (the first free one) holds no statement left mid-way.
 * Errors: ERR_DB, why in ei. */
enum err svc_db_check(struct service *s, struct errinfo *ei);

/*
 * Online backup (svc_backup.c): a consistent copy of database `from`
 * while its server goes on writing, into the new SQLite file `out`
 * (refused if it exists; written as OUT.partial and renamed when
 * complete). SQLite: a snapshot copied page by page; PostgreSQL: a
 * REPEATABLE READ snapshot copied table by table. The file carries a
 * manifest: per table its rows and checksum (as migrate-data computes
 * them, read from the source's snapshot), verified against the file
 * before it is kept; `fn` hears of each table.
 * Errors: ERR_NOT_FOUND (no source file), ERR_CONFLICT (out exists),
 * ERR_IO, ERR_DB (a check failed: table in ei->field), ERR_INTERNAL.
 */
enum err svc_backup(const char *from, const char *out, svc_migrate_fn fn, void *arg,
		    struct errinfo *ei);
/*
 * Restore backup file `from` into the empty database `to` (path or
 * postgres:// URI): checks the file (integrity, manifest digest, every
 * table against its manifest line; the schema version must be this
 * binary's), copies it with migrate-data's copy and verification, and
 * checks the target's integrity. `fn` hears of each table.
 * Errors: ERR_NOT_FOUND (no file), ERR_CONFLICT (target not empty, or
 * another schema version), ERR_DB (not a backup, or damaged: table in
 * ei->field), ERR_INTERNAL. On failure the target may hold some tables.
 */
enum err svc_restore(const char *from, const char *to, svc_migrate_fn fn, void *arg,
		     struct errinfo *ei);

/* --- demo ----------------------------------------------------------- */
/* Generate the demo programme for `seed` and load it into an empty
 * database (ERR_CONFLICT if it already holds regions). */
enum err svc_demo_load(struct service *s, uint64_t seed, struct errinfo *ei);

/* --- import and export (SPEC §7) ------------------------------------ */

/* Progress of a long import: `done` of `total` rows so far. */
typedef void (*svc_progress_fn)(void *arg, size_t done, size_t total);

/*
 * Import a spreadsheet of `kind` ("mentors", "mentees", "organisations",
 * "regions"): data[0..len) (borrowed) is a CSV (UTF-8 with or without
 * BOM, UTF-16, GB18030) or an .xlsx; headers are Chinese (姓名, 手机号,
 * 所属地区, ...) or the JSON field names, values codes or names. Every
 * row goes through the same validation and jurisdiction rules as the
 * API's create and update, all in one transaction: a dry run
 * (commit = false) rolls it back and reports what a commit would do;
 * a commit keeps it only if no row has an error. A row is matched to an
 * existing record by its natural key (ID number, else phone, else name
 * in its region; organisations by name in their region; regions by
 * code): an unchanged record is left alone, so importing the same file
 * twice changes nothing. `progress` (may be NULL) hears every 1000 rows.
 * `a` NULL is the operator of the machine (CLI): no jurisdiction.
 *
 * *report (returned owned) is {kind, dry_run, committed, source,
 * header_row, rows, created, updated, unchanged, failed, columns,
 * ignored_columns, errors: [{row, column, header, field, code,
 * message}]}: every bad row with its row number in the file and the
 * 1-based column. With errors_csv non-NULL (initialised by the caller)
 * the error file is appended to it: a CSV (UTF-8 with BOM) of the bad
 * rows as they were, with the row number and the reasons in front, that
 * imports again once corrected.
 *
 * Returns ERR_OK with the report (a dry run with errors included),
 * ERR_UNPROCESSABLE with the report when a commit was refused because of
 * bad rows (nothing written), or without a report: ERR_NOT_FOUND
 * (unknown kind), ERR_FORBIDDEN, ERR_INVALID / ERR_TOO_LARGE (not a
 * readable spreadsheet: why in ei), ERR_DB.
 */
enum err svc_import(struct service *s, const struct actor *a, const char *kind, const char *data,
		    size_t len, bool commit, svc_progress_fn progress, void *progress_arg,
		    json_t **report, struct buf *errors_csv, struct errinfo *ei);

/* An .xlsx template for importing `kind`, appended to `out`: the header
 * row, one example row (with a region of the caller's), lists to pick
 * values from (data validation) and a sheet that explains each column.
 * Errors: ERR_NOT_FOUND, ERR_FORBIDDEN, ERR_TOO_LARGE (out is full),
 * ERR_IO. */
enum err svc_import_template(struct service *s, const struct actor *a, const char *kind,
			     struct buf *out, struct errinfo *ei);

/* Dates of the exports that take them ("" = the list's default). */
struct svc_export_range {
	char date[M_TIME];     /* due: the day */
	char from[M_TIME], to[M_TIME]; /* rankings */
};

/* Export every row of a list view the caller may see, filtered as that
 * list is by `la` (paging ignored), with phone and ID numbers masked as
 * the list masks them, as `format` "xlsx" or "csv" (UTF-8 with BOM)
 * appended to `out`. Kinds: the importable ones, "mentor-orgs", "menus",
 * "users", "pairings", "due" (the due list on range->date), "rankings"
 * (红黄榜 over range->from..to) and "stats" (the figures of svc_stats for
 * la->region). `range` may be NULL. Text is written as text, never as a
 * formula. Errors: those of the list, ERR_NOT_FOUND (kind), ERR_INVALID
 * (format), ERR_TOO_LARGE, ERR_IO. */
enum err svc_export(struct service *s, const struct actor *a, const char *kind,
		    const char *format, const struct svc_list_args *la,
		    const struct svc_export_range *range, struct buf *out, struct errinfo *ei);

#endif
