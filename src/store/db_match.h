/*
 * db_match.h — matching and pairings in the database (layer: store).
 * Part of the store's contract beside db.h, with the same conventions:
 * typed functions over fixed statements, no permission checks, lists call
 * back once per row (borrowed for the call).
 */
#ifndef BANGDAI_STORE_DB_MATCH_H
#define BANGDAI_STORE_DB_MATCH_H

#include "store/db.h"

/* What the engine needs of a mentee in [lo, hi) that is active and in no
 * open pairing (proposed, confirmed, ceremony, active). */
struct db_match_mentee {
	int64_t id;
	char kind[M_SHORT];
	char name[M_NAME];
	char region_path[M_PATH];
	double lat, lon;
	char category[M_CODE];
	char weaknesses[M_TAGS];
	bool weak_lax, lagging, weak_economy; /* of its organisation, for kind org */
};
/* An active mentor in [lo, hi) with the number of its open pairings. */
struct db_match_mentor {
	int64_t id;
	char name[M_NAME];
	char region_path[M_PATH];
	double lat, lon;
	char domains[M_TAGS];
	char team_type[M_SHORT];
	int scores[4];
	int capacity, open;
};
enum err db_match_mentees(struct store_conn *c, const char *lo, const char *hi, db_row_fn fn,
			  void *arg);
enum err db_match_mentors(struct store_conn *c, const char *lo, const char *hi, db_row_fn fn,
			  void *arg);

/* Menu choices and mentors' ranks of applicants. */
struct db_match_rank {
	int64_t mentee_id, mentor_id;
	int rank;
	int64_t menu_id;
};
/* Choices of the mentees in [lo, hi), by mentee then rank. */
enum err db_match_choices(struct store_conn *c, const char *lo, const char *hi, db_row_fn fn,
			  void *arg);
/* Replace one mentee's choices (mentor_ids in rank order). */
enum err db_match_choices_set(struct store_conn *c, int64_t mentee_id, int64_t menu_id,
			      const int64_t *mentor_ids, int n, const char *now);
/* Ranks given by the mentors in [lo, hi), by mentor then rank. */
enum err db_match_ranks(struct store_conn *c, const char *lo, const char *hi, db_row_fn fn,
			void *arg);
enum err db_match_ranks_set(struct store_conn *c, int64_t mentor_id, const int64_t *mentee_ids,
			    int n, const char *now);

/* Locks and bans. */
struct db_match_rule {
	int64_t id;
	char kind[M_SHORT]; /* "lock" | "ban" */
	int64_t mentee_id, mentor_id;
	char mentee_name[M_NAME], mentor_name[M_NAME];
	char region_path[M_PATH];
	char reason[M_TEXT];
	int64_t user_id;
	char created_at[M_TIME];
};
enum err db_match_rule_insert(struct store_conn *c, struct db_match_rule *r);
enum err db_match_rule_get(struct store_conn *c, int64_t id, struct db_match_rule *out);
enum err db_match_rule_deactivate(struct store_conn *c, int64_t id);
/* Number of active rules (of any kind) on the pair. */
enum err db_match_rule_count(struct store_conn *c, int64_t mentee_id, int64_t mentor_id,
			     int64_t *out);
/* True if the mentee ranked the mentor among its menu choices. */
enum err db_match_chose(struct store_conn *c, int64_t mentee_id, int64_t mentor_id, bool *out);
/* Active rules whose region_path is in [lo, hi). */
enum err db_match_rules(struct store_conn *c, const char *lo, const char *hi, db_row_fn fn,
			void *arg);

/* Runs. */
struct db_match_run {
	int64_t id;
	int64_t region_id;
	char region_code[M_CODE], region_name[M_NAME], region_path[M_PATH];
	char method[M_SHORT];
	char params[M_TEXT];   /* JSON of the parameters */
	int64_t seed;
	int round;
	int64_t parent_id;
	char status[M_SHORT];  /* "proposed" | "approved" | "discarded" */
	int n_mentees, n_mentors, matched;
	int64_t total_score;
	int64_t created_by, decided_by;
	char created_at[M_TIME], decided_at[M_TIME];
};
enum err db_match_run_insert(struct store_conn *c, struct db_match_run *r);
enum err db_match_run_get(struct store_conn *c, int64_t id, struct db_match_run *out);
/* Record the engine's result and the parameters it used. */
enum err db_match_run_finish(struct store_conn *c, int64_t id, const char *params, int matched,
			     int64_t total);
/* Status change only if the run is still "proposed": ERR_CONFLICT otherwise. */
enum err db_match_run_decide(struct store_conn *c, int64_t id, const char *status,
			     int64_t user_id, const char *now);
/* Runs in [lo, hi), newest first, paged by q->limit/offset. */
enum err db_match_run_list(struct store_conn *c, const struct list_query *q, db_row_fn fn,
			   void *arg, int64_t *total);

struct db_match_proposal {
	int64_t run_id;
	int team;
	int64_t mentee_id, mentor_id;
	char mentee_name[M_NAME], mentor_name[M_NAME];
	int score;
	char parts[64];  /* "domain,convenience,strong_weak,voluntary,org" points */
	bool locked;
};
enum err db_match_proposal_insert(struct store_conn *c, const struct db_match_proposal *p);
enum err db_match_proposals(struct store_conn *c, int64_t run_id, db_row_fn fn, void *arg);

struct db_match_unmatched {
	int64_t run_id, mentee_id;
	char mentee_name[M_NAME];
	char reason[M_SHORT];
	char alternatives[256]; /* "mentor:score:full,..." */
};
enum err db_match_unmatched_insert(struct store_conn *c, const struct db_match_unmatched *u);
enum err db_match_unmatched_list(struct store_conn *c, int64_t run_id, db_row_fn fn, void *arg);

/* Pairings (the life of a pairing is issue 4; here: creation and lists). */
struct db_pairing {
	int64_t id;
	char mode[M_SHORT], origin[M_SHORT];
	int64_t run_id, region_id;
	char region_code[M_CODE], region_path[M_PATH];
	char status[M_SHORT];
	bool mentor_confirmed, mentee_confirmed;
	char start_date[M_TIME], end_date[M_TIME];
	char reason[M_TEXT];
	int version;
	char created_at[M_TIME], updated_at[M_TIME];
	char mentors[256], mentees[256]; /* ",id,id," of the current members */
};
enum err db_pairing_insert(struct store_conn *c, struct db_pairing *p, const char *now);
enum err db_pairing_member_add(struct store_conn *c, int64_t pairing_id, const char *side,
			       int64_t person_id, const char *since);
/* Open pairings (not completed/dissolved) that `side` person belongs to. */
enum err db_pairing_open_count(struct store_conn *c, const char *side, int64_t person_id,
			       int64_t *out);
enum err db_pairing_get(struct store_conn *c, int64_t id, struct db_pairing *out);
/* Pairings in [lo, hi); q->only_id with q->kind "mentor"/"mentee" restricts
 * to that person's pairings; q->status filters. Newest first. */
enum err db_pairing_list(struct store_conn *c, const struct list_query *q, db_row_fn fn,
			 void *arg, int64_t *total);

#endif
