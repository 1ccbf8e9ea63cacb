/*
 * life.h — what the files of the pairing life share (layer: service,
 * internal): svc_life.c (pairings, projects, settings), svc_plan.c
 * (plans, activities, logs, evaluations), svc_due.c (due list,
 * escalation, red/yellow ranking, outcomes), svc_archive.c (growth
 * archive, letters, graduation, lineage) and demo_life.c. Not a contract
 * for other layers: they use service.h.
 */
#ifndef BANGDAI_SERVICE_LIFE_H
#define BANGDAI_SERVICE_LIFE_H

#include "service/internal.h"
#include "store/db_life.h"

/* ---- dates ("YYYY-MM-DD") ------------------------------------------------ */

/* Days since 1970-01-01 of a valid date; false if `s` is not one. */
bool life_days(const char *s, long *out);
/* The date of day number `d` into out (M_TIME bytes). */
void life_date(long d, char *out);
/* Last day of the month of `s` ("2026-02-11" -> "2026-02-28"). */
void life_month_end(int year, int month, char *out);
/* The day number (as life_days) of year-month-day. */
long life_civil(int year, int month, int day);
/* A date's year and month (no checks: the date is valid). */
void life_ym(const char *s, int *year, int *month);

/* ---- settings -------------------------------------------------------------- */

#define LIFE_MAX_GRADES 8
struct life_grade {
	char code[M_CODE];
	char name[M_NAME];
	int min;                /* lowest score of the grade */
};
struct life_settings {
	int log_edit_days;      /* a log is editable by its author this long */
	int silent_days;        /* no activity or log this long: flagged */
	int escalate_days;      /* each further this long: county, then city */
	int due_horizon_days;   /* the due list shows what falls due this soon */
	char letter_prefix[M_CODE]; /* of the pairing agreement numbers */
	char baseline_date[M_TIME]; /* "" = the first star rating */
	struct life_grade grades[LIFE_MAX_GRADES]; /* best first */
	int ngrades;
};
/* The defaults overlaid with the stored overrides. */
enum err life_settings_load(struct store_conn *c, struct life_settings *out);
/* The grade of a score; "" if no grade covers it. */
const char *life_grade_of(const struct life_settings *ls, int score);
bool life_grade_known(const struct life_settings *ls, const char *code);
const char *life_grade_name(const struct life_settings *ls, const char *code);

/* ---- pairings ---------------------------------------------------------------- */

/*
 * Load pairing `id` and check that `a` may read it (write false) or
 * change it as an admin (write true). Admins and auditors by region;
 * mentors and mentees when they are current members (`*member_side` is
 * then "mentor" or "mentee", else ""). ERR_NOT_FOUND (ei filled),
 * ERR_FORBIDDEN (not audited: the caller denies), or a storage error.
 */
enum err life_pairing_access(struct store_conn *c, const struct actor *a, int64_t id, bool write,
			     struct db_life_pairing *out, const char **member_side,
			     struct errinfo *ei);
/* True if ",id," is in the list ",a,b,". */
bool life_in_list(const char *list, int64_t id);
/* JSON array of the ids of ",a,b," (returned owned). */
json_t *life_ids_json(const char *list);
/* The code of a region path: its last segment. out has M_CODE bytes. */
void life_path_code(const char *path, char *out);
/* The pairing as JSON with its members (returned owned). */
enum err life_pairing_json(struct store_conn *c, const struct db_life_pairing *p, json_t **out);

/* The demonstration project `project` exists, `a` sees it and `path`
 * lies in its region: else ERR_UNPROCESSABLE (ei) or ERR_FORBIDDEN. */
enum err life_check_project(struct store_conn *c, const struct actor *a, int64_t project,
			    const char *path, struct errinfo *ei);
/* JSON string, or null for "". */
json_t *life_str(const char *v);

/* A tx result to the caller: deny, log storage failures. */
enum err life_finish(struct service *s, struct store_conn *c, const struct actor *a,
		     enum err e, const char *what, struct errinfo *ei);
/* Reads record `id` as the JSON answer to a change; ei on failure. */
typedef enum err life_answer_fn(struct store_conn *c, int64_t id, json_t **out, struct errinfo *ei);
/* store_tx(fn, arg), then answer(*id) inside the same transaction, then
 * life_finish. *out is set only on success (owned by the caller). */
enum err life_tx_answer(struct service *s, struct store_conn *c, const struct actor *a,
			const char *what, enum err (*fn)(struct store_conn *c, void *arg), void *arg,
			const int64_t *id, life_answer_fn *answer, json_t **out, struct errinfo *ei);

/* ---- names of the vocabularies of this part ----------------------------------- */

/* Activity types (SPEC section 5), code and Chinese name. */
struct life_kind {
	const char *code, *name;
};
extern const struct life_kind life_activity_types[];
extern const int life_nactivity_types;
extern const struct life_kind life_eval_kinds[];
extern const int life_neval_kinds;
const char *life_kind_name(const struct life_kind *k, int n, const char *code);

/* ---- the due list ---------------------------------------------------------------- */

struct life_due {
	char kind[M_SHORT];     /* visit | duty | task | monthly | quarterly | half_year | yearly */
	int64_t pairing_id;
	char region_path[M_PATH];
	char due[M_TIME];
	long overdue_days;      /* date - due: > 0 overdue, <= 0 not yet */
	char period[M_SHORT];   /* visits and evaluations */
	int64_t item_id;        /* duty and task */
	char title[LIFE_TITLE];
	int rank;               /* the kind's place in the list's order (svc_due.c) */
};
/* Every item due on or before date + horizon for the active pairings in
 * [lo, hi), by pairing then due date. *out is owned (free), *n items. */
enum err life_due_compute(struct store_conn *c, const char *lo, const char *hi,
			  const char *date, const struct life_settings *ls, struct life_due **out,
			  size_t *n);

/* A grouping folded in C from a query over several keys (svc_stats.c):
 * fold_add sums n under key; fold_json gives the object a grouped query
 * ordered by key would ("" as "(none)"), *sum (optional) the total, and
 * empties the fold; fold_free empties it. */
struct tally {
	char *key;
	int64_t n;
};
struct fold {
	struct tally *v;
	size_t n, cap;
};
void fold_add(struct fold *f, const char *key, int64_t n);
json_t *fold_json(struct fold *f, int64_t *sum);
void fold_free(struct fold *f);

/* Add the pairing-life figures of SPEC section 6 for [lo, hi) and the
 * dates [from, to] ("" = open) to the stats object `root` (its
 * "outcomes" object is extended, or made). */
enum err life_stats(struct store_conn *c, const char *lo, const char *hi, const char *from,
		    const char *to, json_t *root);

/* ---- the demo ------------------------------------------------------------------ */

struct demo;
/* Grow the freshly loaded demo with the life of its pairings (demo_life.c):
 * regions, mentor_ids, org_ids and mentee_ids are the loader's, by demo
 * index; `today` anchors the year of activities. Inside the loader's
 * transaction. */
enum err demo_life_load(struct service *s, struct store_conn *c, const struct demo *d,
			const struct region *regions, const int64_t *mentor_ids,
			const int64_t *mentee_ids, const char *today, const char *now);

#endif
