/*
 * db_life.h — the life of a pairing in the database (layer: store): its
 * ceremony and status history, members over time, yearly plans with
 * their duty and task items, activities, work logs, evaluations,
 * demonstration projects, settings, and the counts the dashboard and the
 * due list read. Part of the store's contract beside db.h and
 * db_match.h, with the same conventions: typed functions over fixed
 * statements, no permission checks, lists call back once per row
 * (borrowed for the call), a get answers ERR_NOT_FOUND when there is no
 * row, uniqueness violations are ERR_CONFLICT.
 *
 * Dates are "YYYY-MM-DD" text written by the caller; "" reads back for
 * SQL NULL. Paths are region paths; [lo, hi) is a jurisdiction's range.
 */
#ifndef BANGDAI_STORE_DB_LIFE_H
#define BANGDAI_STORE_DB_LIFE_H

#include "store/db.h"
#include "store/db_match.h"

#define LIFE_TITLE 256 /* bytes of a plan item's or an activity's title */

/* A range, filters and a page, for the lists of this file. */
struct db_life_q {
	char lo[M_PATH], hi[M_PATH]; /* region paths [lo, hi) */
	char kind[M_CODE];           /* activities: type; evaluations: kind */
	char status[M_SHORT];        /* plans: status */
	char from[M_TIME], to[M_TIME]; /* dates, inclusive; "" = open */
	int64_t pairing_id;          /* 0 = every pairing */
	int64_t project_id;          /* activities: 0 = any */
	int limit, offset;           /* limit 0 = every row */
};

/* --- pairings ------------------------------------------------------------ */

/* A pairing with what migration 3 added. */
struct db_life_pairing {
	struct db_pairing p;
	char ceremony_date[M_TIME];
	char ceremony_place[M_NAME];
	char letter_no[M_CODE];
	int64_t project_id;
};
enum err db_life_pairing_get(struct store_conn *c, int64_t id, struct db_life_pairing *out);

/* A change of status: fields left NULL (or -1 for the flags) keep their
 * value. */
struct db_life_change {
	const char *to;
	int mentor_confirmed, mentee_confirmed; /* 0/1, -1 keep */
	const char *start_date, *end_date, *reason;
	const char *ceremony_date, *ceremony_place, *letter_no;
};
/* Compare and set: applies `ch` only if the pairing is still in status
 * `from` at `version` (bumping the version). ERR_CONFLICT otherwise. */
enum err db_life_pairing_change(struct store_conn *c, int64_t id, const char *from, int version,
				const struct db_life_change *ch, const char *now);
/* Link to a demonstration project (0 = none). */
enum err db_life_pairing_set_project(struct store_conn *c, int64_t id, int64_t project_id,
				     const char *now);

struct db_life_event {
	int64_t id, pairing_id, user_id;
	char from_status[M_SHORT], to_status[M_SHORT], action[M_SHORT];
	char detail[M_TEXT]; /* reason, side, who was substituted */
	char at[M_TIME];
};
enum err db_life_event_add(struct store_conn *c, struct db_life_event *ev);
/* A pairing's events, oldest first. */
enum err db_life_events(struct store_conn *c, int64_t pairing_id, db_row_fn fn, void *arg);

/* Members of a pairing, past ones included. */
struct db_life_member {
	int64_t pairing_id, person_id;
	char side[M_SHORT];
	char name[M_NAME];
	char since[M_TIME], until[M_TIME]; /* until "" = current */
};
/* Mentors first, then mentees; each by since, id. */
enum err db_life_members(struct store_conn *c, int64_t pairing_id, db_row_fn fn, void *arg);
/* End a current membership on `until`; ERR_NOT_FOUND if not a current member. */
enum err db_life_member_end(struct store_conn *c, int64_t pairing_id, const char *side,
			    int64_t person_id, const char *until);

/* Every pairing a person was ever in (oldest first). */
struct db_life_membership {
	int64_t pairing_id;
	char status[M_SHORT], mode[M_SHORT];
	char since[M_TIME], until[M_TIME];
	char start_date[M_TIME], end_date[M_TIME];
	char region_path[M_PATH];
};
enum err db_life_memberships(struct store_conn *c, const char *side, int64_t person_id,
			     db_row_fn fn, void *arg);

/* Pairings in [lo, hi) with status "active", by id: what the due list,
 * the escalation and the ranking walk. Dates "" when unknown. */
struct db_life_active {
	int64_t id;
	char region_path[M_PATH];
	char start_date[M_TIME], ceremony_date[M_TIME], created_on[M_TIME];
	char last_activity[M_TIME], last_log[M_TIME];
};
enum err db_life_actives(struct store_conn *c, const char *lo, const char *hi, db_row_fn fn,
			 void *arg);

/* --- plans ----------------------------------------------------------------- */

struct db_life_plan {
	int64_t id, pairing_id;
	int year;
	char region_path[M_PATH];
	char status[M_SHORT]; /* "draft" | "approved" */
	int64_t approved_by;
	char approved_at[M_TIME], created_at[M_TIME], updated_at[M_TIME];
	int items, done;      /* counts, in gets and lists */
};
enum err db_life_plan_insert(struct store_conn *c, struct db_life_plan *p, const char *now);
enum err db_life_plan_get(struct store_conn *c, int64_t id, struct db_life_plan *out);
/* Plans in q's range (q->status, q->pairing_id filter), newest first. */
enum err db_life_plan_list(struct store_conn *c, const struct db_life_q *q, db_row_fn fn,
			   void *arg, int64_t *total);
/* draft -> approved; ERR_CONFLICT if it is not a draft. */
enum err db_life_plan_approve(struct store_conn *c, int64_t id, int64_t user_id, const char *now);
enum err db_life_plan_touch(struct store_conn *c, int64_t id, const char *now);

struct db_life_item {
	int64_t id, plan_id;
	char side[M_SHORT];   /* "mentor": duty 导师职责; "mentee": task 帮带对象任务 */
	int seq;
	char title[LIFE_TITLE];
	char domain[M_CODE];
	char due_date[M_TIME];
	char status[M_SHORT]; /* "open" | "done" | "dropped" */
	char evidence[M_TEXT];
	char completed_on[M_TIME];
	char updated_at[M_TIME];
};
enum err db_life_item_insert(struct store_conn *c, struct db_life_item *it);
enum err db_life_item_get(struct store_conn *c, int64_t id, struct db_life_item *out);
/* Writes status, evidence, completed_on and updated_at. */
enum err db_life_item_update(struct store_conn *c, const struct db_life_item *it);
/* A plan's items, duties first, by seq. */
enum err db_life_items(struct store_conn *c, int64_t plan_id, db_row_fn fn, void *arg);
enum err db_life_items_clear(struct store_conn *c, int64_t plan_id);

/* Open items of approved plans of active pairings in [lo, hi) due on or
 * before `until`, by pairing and due date (struct db_life_due_item). */
struct db_life_due_item {
	int64_t item_id, plan_id, pairing_id;
	char side[M_SHORT];
	char title[LIFE_TITLE];
	char due_date[M_TIME];
};
enum err db_life_open_items(struct store_conn *c, const char *lo, const char *hi,
			    const char *until, db_row_fn fn, void *arg);

/* --- activities ------------------------------------------------------------- */

struct db_life_activity {
	int64_t id;
	char type[M_CODE];
	char title[LIFE_TITLE];
	char date[M_TIME];
	char place[M_NAME];
	char participants[M_TEXT];
	char summary[M_TEXT];
	int trained;
	int64_t region_id;
	char region_code[M_CODE], region_path[M_PATH];
	int64_t project_id, created_by;
	char created_at[M_TIME], updated_at[M_TIME];
	char pairings[512]; /* ",id,id," in gets and lists */
};
enum err db_life_activity_insert(struct store_conn *c, struct db_life_activity *a,
				 const char *now);
/* Writes every field but region, created_*, pairings. */
enum err db_life_activity_update(struct store_conn *c, const struct db_life_activity *a,
				 const char *now);
enum err db_life_activity_get(struct store_conn *c, int64_t id, struct db_life_activity *out);
enum err db_life_activity_link(struct store_conn *c, int64_t activity_id, int64_t pairing_id);
/* Activities in q's range (q->kind = type, q->from/to on date,
 * q->pairing_id, q->project_id), newest first. */
enum err db_life_activity_list(struct store_conn *c, const struct db_life_q *q, db_row_fn fn,
			       void *arg, int64_t *total);

/* (pairing, date) of the joint supervision visits of the active pairings
 * in [lo, hi), by pairing and date (struct db_life_stamp). */
struct db_life_stamp {
	int64_t pairing_id;
	char date[M_TIME];
};
enum err db_life_visits(struct store_conn *c, const char *lo, const char *hi, db_row_fn fn,
			void *arg);

/* --- work logs -------------------------------------------------------------- */

struct db_life_log {
	int64_t id, pairing_id;
	char side[M_SHORT];
	int64_t person_id, user_id;
	char author[M_NAME];
	char date[M_TIME];
	char content[M_TEXT];
	char region_path[M_PATH];
	char created_at[M_TIME], updated_at[M_TIME];
};
enum err db_life_log_insert(struct store_conn *c, struct db_life_log *l, const char *now);
enum err db_life_log_get(struct store_conn *c, int64_t id, struct db_life_log *out);
enum err db_life_log_update(struct store_conn *c, int64_t id, const char *date,
			    const char *content, const char *now);
/* Logs in q's range (q->pairing_id, q->from/to), newest first. */
enum err db_life_log_list(struct store_conn *c, const struct db_life_q *q, db_row_fn fn,
			  void *arg, int64_t *total);

/* --- evaluations ------------------------------------------------------------ */

struct db_life_eval {
	int64_t id, pairing_id;
	char kind[M_SHORT];   /* monthly | quarterly | half_year | yearly */
	char period[M_SHORT]; /* 2026-03 | 2026-Q1 | 2026-H1 | 2026 */
	char date[M_TIME];
	int score;
	char grade[M_CODE];
	char comment[M_TEXT];
	int64_t user_id;
	char region_path[M_PATH];
	char created_at[M_TIME];
};
/* ERR_CONFLICT if the pairing has one of that kind and period already. */
enum err db_life_eval_insert(struct store_conn *c, struct db_life_eval *ev);
/* Evaluations in q's range (q->pairing_id, q->kind, q->from/to on
 * date), newest first. */
enum err db_life_eval_list(struct store_conn *c, const struct db_life_q *q, db_row_fn fn,
			   void *arg, int64_t *total);

/* --- demonstration projects ------------------------------------------------- */

struct db_life_project {
	int64_t id;
	char name[M_NAME];
	int64_t region_id;
	char region_code[M_CODE], region_path[M_PATH];
	int year;
	char description[M_TEXT];
	char created_at[M_TIME], updated_at[M_TIME];
	int pairings, activities; /* counts, in gets and lists */
};
enum err db_life_project_insert(struct store_conn *c, struct db_life_project *p,
				const char *now);
/* Writes name, year, description. */
enum err db_life_project_update(struct store_conn *c, const struct db_life_project *p,
				const char *now);
enum err db_life_project_get(struct store_conn *c, int64_t id, struct db_life_project *out);
enum err db_life_project_list(struct store_conn *c, const struct db_life_q *q, db_row_fn fn,
			      void *arg, int64_t *total);
/* Pairings of a project (struct db_pairing rows, members filled). */
enum err db_life_project_pairings(struct store_conn *c, int64_t project_id, db_row_fn fn,
				  void *arg);

/* --- settings ---------------------------------------------------------------- */

/* fn(arg, name, value) per stored override, by name. */
enum err db_life_settings(struct store_conn *c,
			  enum err (*fn)(void *arg, const char *name, const char *value),
			  void *arg);
enum err db_life_setting_set(struct store_conn *c, const char *name, const char *value);

/* --- people ----------------------------------------------------------------- */

enum err db_life_mentee_set_status(struct store_conn *c, int64_t id, const char *status,
				   const char *now);

/* Lineage: the mentees of every pairing a mentor was (or is) a mentor
 * in, and whether each became a mentor itself. */
struct db_life_trainee {
	int64_t mentor_id, mentee_id, pairing_id;
	char mentee_name[M_NAME];
	char status[M_SHORT]; /* the pairing's */
	char since[M_TIME], until[M_TIME];
	int64_t graduate_id;  /* the mentor record the mentee became, or 0 */
	char graduate_name[M_NAME], graduate_status[M_SHORT];
};
enum err db_life_trainees(struct store_conn *c, int64_t mentor_id, db_row_fn fn, void *arg);
/* The mentors of every pairing the mentee was in (struct db_life_member
 * rows with side "mentor"; pairing_id set). */
enum err db_life_trainers(struct store_conn *c, int64_t mentee_id, db_row_fn fn, void *arg);

/* --- statistics --------------------------------------------------------------- */

enum db_life_group {
	DB_LIFE_PAIRINGS_BY_MODE,
	DB_LIFE_PAIRINGS_BY_STATUS,
	DB_LIFE_PAIRINGS_BY_ORIGIN,
	DB_LIFE_ACTIVITIES_BY_TYPE,
	DB_LIFE_ACTIVITIES_BY_MONTH,
	DB_LIFE_TRAINED_BY_MONTH,
	DB_LIFE_EVALS_BY_GRADE,
	DB_LIFE_EVALS_BY_KIND,
	DB_LIFE_GROUP__MAX
};
/* Counts in [lo, hi) for dates in [from, to] (both required: pass
 * "0000-00-00" and "9999-12-31" for all time), grouped by `g`: fn(arg,
 * key, n) per group. A pairing counts when its life (start, or creation,
 * to end) meets the range; an activity or evaluation when its date is in
 * it. The key is borrowed for the call. */
enum err db_life_count_group(struct store_conn *c, enum db_life_group g, const char *lo,
			     const char *hi, const char *from, const char *to,
			     enum err (*fn)(void *arg, const char *key, int64_t n), void *arg);
/* The three pairing groupings in one pass: fn(arg, keys, n) per
 * combination of keys mode, status, origin (borrowed for the call), for
 * the pairings db_life_count_group counts. */
enum err db_life_pairing_mix(struct store_conn *c, const char *lo, const char *hi,
			     const char *from, const char *to,
			     enum err (*fn)(void *arg, const char *const *keys, int64_t n),
			     void *arg);
struct db_life_totals {
	int64_t pairings, activities, trained, evaluations, logs, projects, plans, plan_items,
		plan_items_done;
	double avg_score; /* of the evaluations, 0 if none */
};
enum err db_life_totals(struct store_conn *c, const char *lo, const char *hi, const char *from,
			const char *to, struct db_life_totals *out);
/* Organisations in [lo, hi) whose latest star rating on or before `date`
 * is 3 or more (*three), and those rated at all by then (*rated). */
enum err db_life_three_star(struct store_conn *c, const char *lo, const char *hi,
			    const char *date, int64_t *three, int64_t *rated);
/* The date of the first star rating in [lo, hi) (the pilot's start), ""
 * when there is none; out has M_TIME bytes. */
enum err db_life_first_rating(struct store_conn *c, const char *lo, const char *hi, char *out);

#endif
