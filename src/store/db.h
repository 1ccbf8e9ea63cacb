/*
 * db.h — the programme's records in the database (layer: store).
 *
 * Typed functions over the fixed statements of src/store/db_*.c; the only
 * place that knows table and column names. They neither check permissions
 * nor validate: the service layer does both before calling. Every
 * function takes a connection from store_acquire (store.h); several calls
 * that must succeed or fail together run inside store_tx.
 *
 * Conventions: `now` is an ISO-8601 UTC timestamp from the caller; an
 * insert fills the record's `id`; a get answers ERR_NOT_FOUND when there
 * is no row; a list calls `fn` once per row of the page (the row is
 * borrowed for the call) and sets *total to the number of rows matching
 * the query without paging. Uniqueness violations are ERR_CONFLICT.
 */
#ifndef BANGDAI_STORE_DB_H
#define BANGDAI_STORE_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/model.h"
#include "store/store.h"

typedef enum err (*db_row_fn)(void *arg, const void *row);

/* --- counters (letter numbers) --- */
/* Increment counter `name` (created at 0) and return the new value. */
enum err db_counter_next(struct store_conn *c, const char *name, int64_t *out);

/* --- regions --- */
enum err db_region_insert(struct store_conn *c, struct region *r, const char *search_key,
			  const char *now);
enum err db_region_update(struct store_conn *c, const struct region *r, const char *search_key,
			  const char *now);
enum err db_region_get(struct store_conn *c, int64_t id, struct region *out);
enum err db_region_get_by_code(struct store_conn *c, const char *code, struct region *out);
/* Uses q->root_lo/hi (on path), q->q, q->level, q->parent_id. */
enum err db_region_list(struct store_conn *c, const struct list_query *q, db_row_fn fn,
			void *arg, int64_t *total);

/* --- vocabularies --- */
enum err db_vocab_insert(struct store_conn *c, struct vocab *v);
enum err db_vocab_update(struct store_conn *c, const struct vocab *v);
/* All entries of `kind` ("" = every kind) by sort, code. */
enum err db_vocab_list(struct store_conn *c, const char *kind, db_row_fn fn, void *arg);
enum err db_vocab_exists(struct store_conn *c, const char *kind, const char *code, bool *out);

/* --- mentors --- */
enum err db_mentor_insert(struct store_conn *c, struct mentor *m, const char *search_key,
			  const char *now);
/* Updates the editable fields (not status, letter, appointed_on) and
 * bumps version. */
enum err db_mentor_update(struct store_conn *c, const struct mentor *m, const char *search_key,
			  const char *now);
enum err db_mentor_set_status(struct store_conn *c, int64_t id, const char *status,
			      const char *letter_no, const char *appointed_on, const char *now);
enum err db_mentor_get(struct store_conn *c, int64_t id, struct mentor *out);
/* Filters: root, q, status, tier, source, team_type, domain, only_id;
 * sort 0 id, 1 name, 2 created_at, 3 capacity. */
enum err db_mentor_list(struct store_conn *c, const struct list_query *q, db_row_fn fn,
			void *arg, int64_t *total);
enum err db_mentor_transition_add(struct store_conn *c, struct mentor_transition *t);
enum err db_mentor_transitions(struct store_conn *c, int64_t mentor_id, db_row_fn fn, void *arg);

/* --- mentor organisations --- */
enum err db_mentor_org_insert(struct store_conn *c, struct mentor_org *o, const char *search_key,
			      const char *now);
enum err db_mentor_org_update(struct store_conn *c, const struct mentor_org *o,
			      const char *search_key, const char *now);
enum err db_mentor_org_get(struct store_conn *c, int64_t id, struct mentor_org *out);
/* Filters: root, q, kind, domain; sort 0 id, 1 name. */
enum err db_mentor_org_list(struct store_conn *c, const struct list_query *q, db_row_fn fn,
			    void *arg, int64_t *total);

/* --- menus --- */
enum err db_menu_insert(struct store_conn *c, struct menu *m, const char *now);
enum err db_menu_update(struct store_conn *c, const struct menu *m, const char *now);
enum err db_menu_get(struct store_conn *c, int64_t id, struct menu *out);
/* Filters: root; sort 0 id, 1 year. */
enum err db_menu_list(struct store_conn *c, const struct list_query *q, db_row_fn fn, void *arg,
		      int64_t *total);
/* Replace the menu's mentors with ids[0..n) in that order. */
enum err db_menu_set_items(struct store_conn *c, int64_t menu_id, const int64_t *ids, int n);
/* The menu's mentors (struct mentor rows) in menu order. */
enum err db_menu_items(struct store_conn *c, int64_t menu_id, db_row_fn fn, void *arg);

/* --- organisations --- */
enum err db_org_insert(struct store_conn *c, struct organisation *o, const char *search_key,
		       const char *now);
enum err db_org_update(struct store_conn *c, const struct organisation *o, const char *search_key,
		       const char *now);
enum err db_org_get(struct store_conn *c, int64_t id, struct organisation *out);
/* Filters: root, q, flag; sort 0 id, 1 name, 2 stars. */
enum err db_org_list(struct store_conn *c, const struct list_query *q, db_row_fn fn, void *arg,
		     int64_t *total);
enum err db_org_star_add(struct store_conn *c, struct org_star *s);
/* Star history, oldest first. */
enum err db_org_stars(struct store_conn *c, int64_t org_id, db_row_fn fn, void *arg);

/* --- mentees --- */
enum err db_mentee_insert(struct store_conn *c, struct mentee *m, const char *search_key,
			  const char *now);
enum err db_mentee_update(struct store_conn *c, const struct mentee *m, const char *search_key,
			  const char *now);
enum err db_mentee_get(struct store_conn *c, int64_t id, struct mentee *out);
/* Filters: root, q, kind, category, domain (a weakness), status, only_id;
 * sort 0 id, 1 name, 2 created_at. */
enum err db_mentee_list(struct store_conn *c, const struct list_query *q, db_row_fn fn, void *arg,
			int64_t *total);

/* --- users and sessions --- */
/* `pw_hash` is the encoded argon2id string. */
enum err db_user_insert(struct store_conn *c, struct user *u, const char *pw_hash, const char *now);
/* Also returns the password hash when pw_hash is not NULL (AUTH_HASH_BYTES). */
enum err db_user_get_by_login(struct store_conn *c, const char *login, struct user *out,
			      char *pw_hash, size_t pw_hash_size);
enum err db_user_get(struct store_conn *c, int64_t id, struct user *out);
enum err db_user_list(struct store_conn *c, const struct list_query *q, db_row_fn fn, void *arg,
		      int64_t *total);
enum err db_user_set_password(struct store_conn *c, int64_t id, const char *pw_hash,
			      const char *now);
enum err db_user_set_disabled(struct store_conn *c, int64_t id, bool disabled, const char *now);

enum err db_session_insert(struct store_conn *c, const char *token_hash, int64_t user_id,
			   const char *csrf, int64_t now);
/* The session's user and times; ERR_NOT_FOUND if none. */
enum err db_session_get(struct store_conn *c, const char *token_hash, struct user *u,
			char csrf[65], int64_t *created, int64_t *last_seen);
enum err db_session_touch(struct store_conn *c, const char *token_hash, int64_t now);
enum err db_session_delete(struct store_conn *c, const char *token_hash);
enum err db_session_delete_user(struct store_conn *c, int64_t user_id);

/* --- audit --- */
/* Hash of the newest entry, or 64 '0's for an empty log. */
enum err db_audit_last_hash(struct store_conn *c, char out[65]);
enum err db_audit_insert(struct store_conn *c, struct audit_entry *a);
/* Entries in id order from `after_id` (exclusive), at most `limit`. */
enum err db_audit_list(struct store_conn *c, int64_t after_id, int limit, db_row_fn fn, void *arg);

/* --- statistics --- */
enum db_group {
	DB_MENTORS_BY_SOURCE, DB_MENTORS_BY_TIER, DB_MENTORS_BY_TEAM, DB_MENTORS_BY_STATUS,
	DB_MENTORS_BY_COUNTY,
	DB_MENTEES_BY_CATEGORY, DB_MENTEES_BY_KIND, DB_MENTEES_BY_COUNTY,
	DB_ORGS_BY_STARS,
	DB_GROUP__MAX
};
/* Count rows in [lo, hi) grouped by the dimension `g`: calls fn(arg, key,
 * count) per group ("" key for empty values). Mentor groups count every
 * mentor but the rejected (DB_MENTORS_BY_STATUS: every mentor). */
enum err db_count_group(struct store_conn *c, enum db_group g, const char *lo, const char *hi,
			enum err (*fn)(void *arg, const char *key, int64_t n), void *arg);
/* Several groupings in one pass over the range (the nation's figures read
 * a million rows per pass): fn(arg, keys, n) per combination of the keys,
 * in no particular order; the keys are borrowed for the call.
 *   DB_MENTOR_MIX  keys status, source, tier, team_type (every mentor)
 *   DB_MENTEE_MIX  keys category, kind */
enum db_mix { DB_MENTOR_MIX, DB_MENTEE_MIX, DB_MIX__MAX };
#define DB_MIX_KEYS 4
enum err db_count_mix(struct store_conn *c, enum db_mix m, const char *lo, const char *hi,
		      enum err (*fn)(void *arg, const char *const *keys, int64_t n), void *arg);
struct db_org_totals {
	int64_t total, weak_lax, lagging, demonstration, weak_economy, rectified, upgraded,
		three_star;
	int64_t mentor_orgs, menus;
	/* Organisations that are organisation mentees, and of those the
	 * demonstration villages (the report's 示范村 rate). */
	int64_t helped, helped_demonstration;
};
enum err db_org_totals(struct store_conn *c, const char *lo, const char *hi,
		       struct db_org_totals *out);

/* --- whole tables, for copying a database (bangdai migrate-data) --- */

#define DB_COPY_MAX_COLS 32

/* One value of a row: by the column's type 'i' (i), 'd' (d) or 't' (t,
 * borrowed from the statement for the callback); `null` for SQL NULL. */
struct db_copy_value {
	bool null;
	int64_t i;
	double d;
	const char *t;
};
struct db_copy_row {
	int ncols;
	const char *types; /* static: one of "itd" per column */
	struct db_copy_value v[DB_COPY_MAX_COLS];
};

/* The tables, every one after the tables it references; db_copy_table
 * answers a static name, or NULL past the end. */
size_t db_copy_ntables(void);
const char *db_copy_table(size_t t);
/* Compare the table list with the schema the migrations create (tables,
 * columns, types, order of references). ERR_INTERNAL naming the first
 * difference in ei: the list must be brought up to date. */
enum err db_copy_check_schema(struct errinfo *ei);
/* Read at most `limit` rows of table t after *cursor (0 to start; an
 * opaque position, advanced) and call fn per row (borrowed for the call).
 * *nread = the rows read; fewer than `limit` means the table is done. */
enum err db_copy_read(struct store_conn *c, size_t t, int64_t *cursor, int limit,
		      enum err (*fn)(void *arg, const struct db_copy_row *row), void *arg,
		      int *nread);
/* Insert one row read by db_copy_read from the same table, ids included.
 * ERR_CONFLICT on a duplicate or a missing referenced row. */
enum err db_copy_insert(struct store_conn *c, size_t t, const struct db_copy_row *row);
enum err db_copy_count(struct store_conn *c, size_t t, int64_t *out);
/* After the inserts into table t: the ids handed out next start past the
 * copied ones (store_after_bulk_load). */
enum err db_copy_finish(struct store_conn *c, size_t t);

/* --- the manifest of a backup file (db_backup.c, bangdai backup) --- */
/* Create the manifest table (in a new backup file only). */
enum err db_backup_manifest_create(struct store_conn *c);
enum err db_backup_manifest_put(struct store_conn *c, const char *kind, const char *name,
				int64_t rows, const char *value);
/* Every line, ordered by kind and name; fn's error stops the walk. ERR_DB
 * if there is no manifest (not a backup file). */
enum err db_backup_manifest_read(struct store_conn *c,
				 enum err (*fn)(void *arg, const char *kind, const char *name,
						int64_t rows, const char *value),
				 void *arg);

/* --- natural keys of imports (db_import.c) --- */
/* The mentor (mentee) with this ID number and the one with this phone:
 * ids, or 0 when none ("" looks nothing up). */
enum err db_mentor_find_keys(struct store_conn *c, const char *id_number, const char *phone,
			     int64_t *by_idno, int64_t *by_phone);
enum err db_mentee_find_keys(struct store_conn *c, const char *id_number, const char *phone,
			     int64_t *by_idno, int64_t *by_phone);
/* Records called `name` directly in the region of `region_code` (person
 * mentees only): the first id (0 if none) and how many, at most 2. */
enum err db_mentor_find_name(struct store_conn *c, const char *region_code, const char *name,
			     int64_t *id, int *n);
enum err db_mentee_find_name(struct store_conn *c, const char *region_code, const char *name,
			     int64_t *id, int *n);
/* The organisation mentee of organisation org_id, or 0. */
enum err db_mentee_find_org(struct store_conn *c, int64_t org_id, int64_t *id);
/* Organisations (regions) called `name` with a path in [lo, hi): the
 * first (by id; by path) and how many, at most 2. */
enum err db_org_find_name(struct store_conn *c, const char *lo, const char *hi, const char *name,
			  int64_t *id, int *n);
enum err db_region_find_name(struct store_conn *c, const char *lo, const char *hi,
			     const char *name, char code[M_CODE], int *n);

#endif
