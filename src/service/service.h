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

/* Pairings visible to the caller ({items, total}); filters status. */
enum err svc_pairing_list(struct service *s, const struct actor *a,
			  const struct svc_list_args *la, json_t **out, struct errinfo *ei);

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

/* --- demo ----------------------------------------------------------- */
/* Generate the demo programme for `seed` and load it into an empty
 * database (ERR_CONFLICT if it already holds regions). */
enum err svc_demo_load(struct service *s, uint64_t seed, struct errinfo *ei);

#endif
