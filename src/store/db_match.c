/*
 * db_match.c — inputs and results of matching runs, locks and bans, menu
 * choices, and pairings, in the database. Layer: store.
 */
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

#include "store/db_match.h"
#include "store/db_util.h"

#define OPEN_STATUSES "('proposed','confirmed','ceremony','active')"

static void bind_opt_id(struct store_stmt *st, int i, int64_t v)
{
	if (v)
		store_bind_int(st, i, v);
	else
		store_bind_null(st, i);
}

/* Run a prepared, bound statement and call read+fn per row. */
#define FOR_ROWS(st, rowvar, readfn, fn, arg)                                   \
	do {                                                                    \
		bool row_;                                                      \
		while (!(e = store_step((st), &row_)) && row_) {                \
			readfn((st), &(rowvar));                                \
			if ((e = (fn)((arg), &(rowvar))))                       \
				break;                                          \
		}                                                               \
		store_done(st);                                                 \
	} while (0)

/* ---- engine inputs ------------------------------------------------------ */

static const char sql_mentees[] =
	"SELECT e.id, e.kind, e.name, e.region_path, r.lat, r.lon, e.category, e.weaknesses,"
	" COALESCE(o.weak_lax, 0), COALESCE(o.lagging, 0), COALESCE(o.weak_economy, 0)"
	" FROM mentees e JOIN regions r ON r.id = e.region_id"
	" LEFT JOIN organisations o ON o.id = e.org_id"
	" WHERE e.region_path >= ?1 AND e.region_path < ?2 AND e.status = 'active'"
	" AND NOT EXISTS (SELECT 1 FROM pairing_members pm JOIN pairings p ON p.id = pm.pairing_id"
	"  WHERE pm.side = 'mentee' AND pm.person_id = e.id AND pm.until_date IS NULL"
	"  AND p.status IN " OPEN_STATUSES ")"
	" ORDER BY e.id";

static void read_mentee(struct store_stmt *st, struct db_match_mentee *m)
{
	memset(m, 0, sizeof *m);
	m->id = store_col_int(st, 0);
	DB_TEXT(st, 1, m->kind);
	DB_TEXT(st, 2, m->name);
	DB_TEXT(st, 3, m->region_path);
	m->lat = store_col_double(st, 4);
	m->lon = store_col_double(st, 5);
	DB_TEXT(st, 6, m->category);
	DB_TEXT(st, 7, m->weaknesses);
	m->weak_lax = store_col_int(st, 8) != 0;
	m->lagging = store_col_int(st, 9) != 0;
	m->weak_economy = store_col_int(st, 10) != 0;
}

enum err db_match_mentees(struct store_conn *c, const char *lo, const char *hi, db_row_fn fn,
			  void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_mentees, &st);
	if (e)
		return e;
	store_bind_text(st, 1, lo);
	store_bind_text(st, 2, hi);
	struct db_match_mentee m;
	FOR_ROWS(st, m, read_mentee, fn, arg);
	return e;
}

static const char sql_mentors[] =
	"SELECT m.id, m.name, m.region_path, r.lat, r.lon, m.domains, m.team_type,"
	" m.score_political, m.score_professional, m.score_style, m.score_reputation, m.capacity,"
	" (SELECT COUNT(*) FROM pairing_members pm JOIN pairings p ON p.id = pm.pairing_id"
	"  WHERE pm.side = 'mentor' AND pm.person_id = m.id AND pm.until_date IS NULL"
	"  AND p.status IN " OPEN_STATUSES ")"
	" FROM mentors m JOIN regions r ON r.id = m.region_id"
	" WHERE m.region_path >= ?1 AND m.region_path < ?2 AND m.status = 'active'"
	" ORDER BY m.id";

static void read_mentor(struct store_stmt *st, struct db_match_mentor *m)
{
	memset(m, 0, sizeof *m);
	m->id = store_col_int(st, 0);
	DB_TEXT(st, 1, m->name);
	DB_TEXT(st, 2, m->region_path);
	m->lat = store_col_double(st, 3);
	m->lon = store_col_double(st, 4);
	DB_TEXT(st, 5, m->domains);
	DB_TEXT(st, 6, m->team_type);
	for (int i = 0; i < 4; i++)
		m->scores[i] = (int)store_col_int(st, 7 + i);
	m->capacity = (int)store_col_int(st, 11);
	m->open = (int)store_col_int(st, 12);
}

enum err db_match_mentors(struct store_conn *c, const char *lo, const char *hi, db_row_fn fn,
			  void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_mentors, &st);
	if (e)
		return e;
	store_bind_text(st, 1, lo);
	store_bind_text(st, 2, hi);
	struct db_match_mentor m;
	FOR_ROWS(st, m, read_mentor, fn, arg);
	return e;
}

/* ---- choices and ranks -------------------------------------------------- */

static const char sql_choices[] =
	"SELECT ch.mentee_id, ch.mentor_id, ch.rank, COALESCE(ch.menu_id, 0)"
	" FROM match_choices ch JOIN mentees e ON e.id = ch.mentee_id"
	" WHERE e.region_path >= ?1 AND e.region_path < ?2 ORDER BY ch.mentee_id, ch.rank";
static const char sql_ranks[] =
	"SELECT mr.mentee_id, mr.mentor_id, mr.rank, 0"
	" FROM match_mentor_ranks mr JOIN mentors m ON m.id = mr.mentor_id"
	" WHERE m.region_path >= ?1 AND m.region_path < ?2 ORDER BY mr.mentor_id, mr.rank";
static const char sql_choices_del[] = "DELETE FROM match_choices WHERE mentee_id = ?1";
static const char sql_choice_ins[] =
	"INSERT INTO match_choices (mentee_id, mentor_id, menu_id, rank, created_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_ranks_del[] = "DELETE FROM match_mentor_ranks WHERE mentor_id = ?1";
static const char sql_rank_ins[] =
	"INSERT INTO match_mentor_ranks (mentor_id, mentee_id, rank, created_at)"
	" VALUES (?1, ?2, ?3, ?4)";

static void read_rank(struct store_stmt *st, struct db_match_rank *r)
{
	r->mentee_id = store_col_int(st, 0);
	r->mentor_id = store_col_int(st, 1);
	r->rank = (int)store_col_int(st, 2);
	r->menu_id = store_col_int(st, 3);
}

static enum err list_ranks(struct store_conn *c, const char *sql, const char *lo,
			   const char *hi, db_row_fn fn, void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql, &st);
	if (e)
		return e;
	store_bind_text(st, 1, lo);
	store_bind_text(st, 2, hi);
	struct db_match_rank r;
	FOR_ROWS(st, r, read_rank, fn, arg);
	return e;
}

enum err db_match_choices(struct store_conn *c, const char *lo, const char *hi, db_row_fn fn,
			  void *arg)
{
	return list_ranks(c, sql_choices, lo, hi, fn, arg);
}

enum err db_match_ranks(struct store_conn *c, const char *lo, const char *hi, db_row_fn fn,
			void *arg)
{
	return list_ranks(c, sql_ranks, lo, hi, fn, arg);
}

/* Delete one owner's list, then insert the ids in rank order. */
static enum err replace_list(struct store_conn *c, const char *del, const char *ins,
			     int64_t owner, int64_t menu_id, const int64_t *ids, int n,
			     const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, del, &st);
	if (e)
		return e;
	store_bind_int(st, 1, owner);
	if ((e = store_run(st)))
		return e;
	for (int i = 0; i < n; i++) {
		if ((e = store_prepare(c, ins, &st)))
			return e;
		store_bind_int(st, 1, owner);
		store_bind_int(st, 2, ids[i]);
		if (ins == sql_choice_ins) {
			bind_opt_id(st, 3, menu_id);
			store_bind_int(st, 4, i + 1);
			store_bind_text(st, 5, now);
		} else {
			store_bind_int(st, 3, i + 1);
			store_bind_text(st, 4, now);
		}
		if ((e = store_run(st)))
			return e;
	}
	return ERR_OK;
}

enum err db_match_choices_set(struct store_conn *c, int64_t mentee_id, int64_t menu_id,
			      const int64_t *mentor_ids, int n, const char *now)
{
	return replace_list(c, sql_choices_del, sql_choice_ins, mentee_id, menu_id, mentor_ids, n,
			    now);
}

enum err db_match_ranks_set(struct store_conn *c, int64_t mentor_id, const int64_t *mentee_ids,
			    int n, const char *now)
{
	return replace_list(c, sql_ranks_del, sql_rank_ins, mentor_id, 0, mentee_ids, n, now);
}

/* ---- rules --------------------------------------------------------------- */

#define RULE_COLS                                                                   \
	"u.id, u.kind, u.mentee_id, u.mentor_id, e.name, m.name, u.region_path, u.reason," \
	" COALESCE(u.user_id, 0), u.created_at"
#define RULE_FROM \
	" FROM match_rules u JOIN mentees e ON e.id = u.mentee_id JOIN mentors m ON m.id = u.mentor_id"

static const char sql_rule_ins[] =
	"INSERT INTO match_rules (kind, mentee_id, mentor_id, region_path, reason, user_id, active,"
	" created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7) RETURNING id";
static const char sql_rule_get[] = "SELECT " RULE_COLS RULE_FROM " WHERE u.id = ?1 AND u.active = 1";
static const char sql_rule_off[] = "UPDATE match_rules SET active = 0 WHERE id = ?1 AND active = 1";
static const char sql_rules[] = "SELECT " RULE_COLS RULE_FROM
				" WHERE u.active = 1 AND u.region_path >= ?1 AND u.region_path < ?2"
				" ORDER BY u.id";

static void read_rule(struct store_stmt *st, struct db_match_rule *r)
{
	memset(r, 0, sizeof *r);
	r->id = store_col_int(st, 0);
	DB_TEXT(st, 1, r->kind);
	r->mentee_id = store_col_int(st, 2);
	r->mentor_id = store_col_int(st, 3);
	DB_TEXT(st, 4, r->mentee_name);
	DB_TEXT(st, 5, r->mentor_name);
	DB_TEXT(st, 6, r->region_path);
	DB_TEXT(st, 7, r->reason);
	r->user_id = store_col_int(st, 8);
	DB_TEXT(st, 9, r->created_at);
}

enum err db_match_rule_insert(struct store_conn *c, struct db_match_rule *r)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_rule_ins, &st);
	if (e)
		return e;
	store_bind_text(st, 1, r->kind);
	store_bind_int(st, 2, r->mentee_id);
	store_bind_int(st, 3, r->mentor_id);
	store_bind_text(st, 4, r->region_path);
	store_bind_text(st, 5, r->reason);
	bind_opt_id(st, 6, r->user_id);
	store_bind_text(st, 7, r->created_at);
	if ((e = db_one(st)))
		return e;
	r->id = store_col_int(st, 0);
	store_done(st);
	return ERR_OK;
}

enum err db_match_rule_get(struct store_conn *c, int64_t id, struct db_match_rule *out)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_rule_get, &st);
	if (e)
		return e;
	store_bind_int(st, 1, id);
	if ((e = db_one(st)))
		return e;
	read_rule(st, out);
	store_done(st);
	return ERR_OK;
}

enum err db_match_rule_deactivate(struct store_conn *c, int64_t id)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_rule_off, &st);
	if (e)
		return e;
	store_bind_int(st, 1, id);
	return store_run(st);
}

static const char sql_rule_count[] =
	"SELECT COUNT(*) FROM match_rules WHERE mentee_id = ?1 AND mentor_id = ?2 AND active = 1";
static const char sql_chose[] =
	"SELECT COUNT(*) FROM match_choices WHERE mentee_id = ?1 AND mentor_id = ?2";

static enum err count_pair(struct store_conn *c, const char *sql, int64_t a, int64_t b,
			   int64_t *out)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql, &st);
	if (e)
		return e;
	store_bind_int(st, 1, a);
	store_bind_int(st, 2, b);
	return db_count(st, out);
}

enum err db_match_rule_count(struct store_conn *c, int64_t mentee_id, int64_t mentor_id,
			     int64_t *out)
{
	return count_pair(c, sql_rule_count, mentee_id, mentor_id, out);
}

enum err db_match_chose(struct store_conn *c, int64_t mentee_id, int64_t mentor_id, bool *out)
{
	int64_t n = 0;
	enum err e = count_pair(c, sql_chose, mentee_id, mentor_id, &n);
	*out = n > 0;
	return e;
}

enum err db_match_rules(struct store_conn *c, const char *lo, const char *hi, db_row_fn fn,
			void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_rules, &st);
	if (e)
		return e;
	store_bind_text(st, 1, lo);
	store_bind_text(st, 2, hi);
	struct db_match_rule r;
	FOR_ROWS(st, r, read_rule, fn, arg);
	return e;
}

/* ---- runs ------------------------------------------------------------------ */

#define RUN_COLS                                                                       \
	"x.id, x.region_id, r.code, r.name, x.region_path, x.method, x.params, x.seed,"   \
	" x.round, COALESCE(x.parent_id, 0), x.status, x.n_mentees, x.n_mentors, x.matched," \
	" x.total_score, COALESCE(x.created_by, 0), COALESCE(x.decided_by, 0), x.created_at," \
	" COALESCE(x.decided_at, '')"
#define RUN_FROM " FROM match_runs x JOIN regions r ON r.id = x.region_id"

static const char sql_run_ins[] =
	"INSERT INTO match_runs (region_id, region_path, method, params, seed, round, parent_id,"
	" status, n_mentees, n_mentors, matched, total_score, created_by, created_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id";
static const char sql_run_finish[] =
	"UPDATE match_runs SET params = ?1, matched = ?2, total_score = ?3 WHERE id = ?4";
static const char sql_run_get[] = "SELECT " RUN_COLS RUN_FROM " WHERE x.id = ?1";
static const char sql_run_decide[] =
	"UPDATE match_runs SET status = ?1, decided_by = ?2, decided_at = ?3"
	" WHERE id = ?4 AND status = 'proposed' RETURNING id";
static const char sql_run_count[] =
	"SELECT COUNT(*) FROM match_runs x WHERE x.region_path >= ?1 AND x.region_path < ?2";
static const char sql_run_list[] = "SELECT " RUN_COLS RUN_FROM
				   " WHERE x.region_path >= ?1 AND x.region_path < ?2"
				   " ORDER BY x.id DESC LIMIT ?3 OFFSET ?4";

static void read_run(struct store_stmt *st, void *row)
{
	struct db_match_run *r = row;

	memset(r, 0, sizeof *r);
	r->id = store_col_int(st, 0);
	r->region_id = store_col_int(st, 1);
	DB_TEXT(st, 2, r->region_code);
	DB_TEXT(st, 3, r->region_name);
	DB_TEXT(st, 4, r->region_path);
	DB_TEXT(st, 5, r->method);
	DB_TEXT(st, 6, r->params);
	r->seed = store_col_int(st, 7);
	r->round = (int)store_col_int(st, 8);
	r->parent_id = store_col_int(st, 9);
	DB_TEXT(st, 10, r->status);
	r->n_mentees = (int)store_col_int(st, 11);
	r->n_mentors = (int)store_col_int(st, 12);
	r->matched = (int)store_col_int(st, 13);
	r->total_score = store_col_int(st, 14);
	r->created_by = store_col_int(st, 15);
	r->decided_by = store_col_int(st, 16);
	DB_TEXT(st, 17, r->created_at);
	DB_TEXT(st, 18, r->decided_at);
}

enum err db_match_run_insert(struct store_conn *c, struct db_match_run *r)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_run_ins, &st);
	if (e)
		return e;
	store_bind_int(st, 1, r->region_id);
	store_bind_text(st, 2, r->region_path);
	store_bind_text(st, 3, r->method);
	store_bind_text(st, 4, r->params);
	store_bind_int(st, 5, r->seed);
	store_bind_int(st, 6, r->round);
	bind_opt_id(st, 7, r->parent_id);
	store_bind_text(st, 8, r->status);
	store_bind_int(st, 9, r->n_mentees);
	store_bind_int(st, 10, r->n_mentors);
	store_bind_int(st, 11, r->matched);
	store_bind_int(st, 12, r->total_score);
	bind_opt_id(st, 13, r->created_by);
	store_bind_text(st, 14, r->created_at);
	if ((e = db_one(st)))
		return e;
	r->id = store_col_int(st, 0);
	store_done(st);
	return ERR_OK;
}

enum err db_match_run_finish(struct store_conn *c, int64_t id, const char *params, int matched,
			     int64_t total)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_run_finish, &st);
	if (e)
		return e;
	store_bind_text(st, 1, params);
	store_bind_int(st, 2, matched);
	store_bind_int(st, 3, total);
	store_bind_int(st, 4, id);
	return store_run(st);
}

enum err db_match_run_get(struct store_conn *c, int64_t id, struct db_match_run *out)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_run_get, &st);
	if (e)
		return e;
	store_bind_int(st, 1, id);
	if ((e = db_one(st)))
		return e;
	read_run(st, out);
	store_done(st);
	return ERR_OK;
}

enum err db_match_run_decide(struct store_conn *c, int64_t id, const char *status,
			     int64_t user_id, const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_run_decide, &st);
	if (e)
		return e;
	store_bind_text(st, 1, status);
	bind_opt_id(st, 2, user_id);
	store_bind_text(st, 3, now);
	store_bind_int(st, 4, id);
	e = db_one(st);
	if (e == ERR_NOT_FOUND)
		return ERR_CONFLICT; /* decided already */
	if (e)
		return e;
	store_done(st);
	return ERR_OK;
}

static void bind_root(struct store_stmt *st, const void *arg)
{
	const struct list_query *q = arg;

	store_bind_text(st, 1, q->root_lo);
	store_bind_text(st, 2, q->root_hi);
}

enum err db_match_run_list(struct store_conn *c, const struct list_query *q, db_row_fn fn,
			   void *arg, int64_t *total)
{
	struct db_match_run row;
	const struct db_page p = {
		.count_sql = sql_run_count,
		.list_sql = sql_run_list,
		.nwhere = 2,
		.bind = bind_root,
		.q = q,
		.limit = q->limit,
		.offset = q->offset,
		.read = read_run,
		.row = &row,
	};
	return db_list_page(c, &p, fn, arg, total);
}

static const char sql_prop_ins[] =
	"INSERT INTO match_proposals (run_id, team, mentee_id, mentor_id, score, parts, locked)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char sql_props[] =
	"SELECT p.run_id, p.team, p.mentee_id, p.mentor_id, e.name, m.name, p.score, p.parts,"
	" p.locked FROM match_proposals p JOIN mentees e ON e.id = p.mentee_id"
	" JOIN mentors m ON m.id = p.mentor_id WHERE p.run_id = ?1"
	" ORDER BY p.team, p.mentee_id, p.mentor_id";

static void read_prop(struct store_stmt *st, struct db_match_proposal *p)
{
	memset(p, 0, sizeof *p);
	p->run_id = store_col_int(st, 0);
	p->team = (int)store_col_int(st, 1);
	p->mentee_id = store_col_int(st, 2);
	p->mentor_id = store_col_int(st, 3);
	DB_TEXT(st, 4, p->mentee_name);
	DB_TEXT(st, 5, p->mentor_name);
	p->score = (int)store_col_int(st, 6);
	DB_TEXT(st, 7, p->parts);
	p->locked = store_col_int(st, 8) != 0;
}

enum err db_match_proposal_insert(struct store_conn *c, const struct db_match_proposal *p)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_prop_ins, &st);
	if (e)
		return e;
	store_bind_int(st, 1, p->run_id);
	store_bind_int(st, 2, p->team);
	store_bind_int(st, 3, p->mentee_id);
	store_bind_int(st, 4, p->mentor_id);
	store_bind_int(st, 5, p->score);
	store_bind_text(st, 6, p->parts);
	store_bind_int(st, 7, p->locked ? 1 : 0);
	return store_run(st);
}

enum err db_match_proposals(struct store_conn *c, int64_t run_id, db_row_fn fn, void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_props, &st);
	if (e)
		return e;
	store_bind_int(st, 1, run_id);
	struct db_match_proposal p;
	FOR_ROWS(st, p, read_prop, fn, arg);
	return e;
}

static const char sql_unm_ins[] =
	"INSERT INTO match_unmatched (run_id, mentee_id, reason, alternatives) VALUES (?1, ?2, ?3, ?4)";
static const char sql_unm[] =
	"SELECT u.run_id, u.mentee_id, e.name, u.reason, u.alternatives FROM match_unmatched u"
	" JOIN mentees e ON e.id = u.mentee_id WHERE u.run_id = ?1 ORDER BY u.mentee_id";

static void read_unm(struct store_stmt *st, struct db_match_unmatched *u)
{
	memset(u, 0, sizeof *u);
	u->run_id = store_col_int(st, 0);
	u->mentee_id = store_col_int(st, 1);
	DB_TEXT(st, 2, u->mentee_name);
	DB_TEXT(st, 3, u->reason);
	DB_TEXT(st, 4, u->alternatives);
}

enum err db_match_unmatched_insert(struct store_conn *c, const struct db_match_unmatched *u)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_unm_ins, &st);
	if (e)
		return e;
	store_bind_int(st, 1, u->run_id);
	store_bind_int(st, 2, u->mentee_id);
	store_bind_text(st, 3, u->reason);
	store_bind_text(st, 4, u->alternatives);
	return store_run(st);
}

enum err db_match_unmatched_list(struct store_conn *c, int64_t run_id, db_row_fn fn, void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_unm, &st);
	if (e)
		return e;
	store_bind_int(st, 1, run_id);
	struct db_match_unmatched u;
	FOR_ROWS(st, u, read_unm, fn, arg);
	return e;
}

/* ---- pairings ---------------------------------------------------------------- */

#define PAIRING_COLS                                                                      \
	"p.id, p.mode, p.origin, COALESCE(p.run_id, 0), p.region_id, r.code, p.region_path," \
	" p.status, p.mentor_confirmed, p.mentee_confirmed, COALESCE(p.start_date, ''),"     \
	" COALESCE(p.end_date, ''), p.reason, p.version, p.created_at, p.updated_at"
#define PAIRING_FROM " FROM pairings p JOIN regions r ON r.id = p.region_id"
/* ?1 lo ?2 hi ?3 status ?4 side ?5 person */
#define PAIRING_WHERE                                                                  \
	" WHERE p.region_path >= ?1 AND p.region_path < ?2"                             \
	" AND (CAST(?3 AS TEXT) IS NULL OR p.status = ?3)"                              \
	" AND (CAST(?4 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM pairing_members pm"     \
	"  WHERE pm.pairing_id = p.id AND pm.side = ?4 AND pm.person_id = ?5))"

static const char sql_pair_ins[] =
	"INSERT INTO pairings (mode, origin, run_id, region_id, region_path, status,"
	" mentor_confirmed, mentee_confirmed, start_date, end_date, reason, version, created_at,"
	" updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, 0, ?7, ?8, '', 1, ?9, ?9) RETURNING id";
static const char sql_member_ins[] =
	"INSERT INTO pairing_members (pairing_id, side, person_id, since) VALUES (?1, ?2, ?3, ?4)";
static const char sql_open_count[] =
	"SELECT COUNT(*) FROM pairing_members pm JOIN pairings p ON p.id = pm.pairing_id"
	" WHERE pm.side = ?1 AND pm.person_id = ?2 AND pm.until_date IS NULL"
	" AND p.status IN " OPEN_STATUSES;
static const char sql_pair_get[] = "SELECT " PAIRING_COLS PAIRING_FROM " WHERE p.id = ?1";
static const char sql_pair_count[] = "SELECT COUNT(*) FROM pairings p" PAIRING_WHERE;
static const char sql_pair_list[] = "SELECT " PAIRING_COLS PAIRING_FROM PAIRING_WHERE
				    " ORDER BY p.id DESC LIMIT ?6 OFFSET ?7";
static const char sql_members[] =
	"SELECT side, person_id FROM pairing_members WHERE pairing_id = ?1 AND until_date IS NULL"
	" ORDER BY side, person_id";

static void read_pairing(struct store_stmt *st, struct db_pairing *p)
{
	memset(p, 0, sizeof *p);
	p->id = store_col_int(st, 0);
	DB_TEXT(st, 1, p->mode);
	DB_TEXT(st, 2, p->origin);
	p->run_id = store_col_int(st, 3);
	p->region_id = store_col_int(st, 4);
	DB_TEXT(st, 5, p->region_code);
	DB_TEXT(st, 6, p->region_path);
	DB_TEXT(st, 7, p->status);
	p->mentor_confirmed = store_col_int(st, 8) != 0;
	p->mentee_confirmed = store_col_int(st, 9) != 0;
	DB_TEXT(st, 10, p->start_date);
	DB_TEXT(st, 11, p->end_date);
	DB_TEXT(st, 12, p->reason);
	p->version = (int)store_col_int(st, 13);
	DB_TEXT(st, 14, p->created_at);
	DB_TEXT(st, 15, p->updated_at);
}

/* Fill mentors/mentees ",id,...," of a pairing. */
static enum err read_members(struct store_conn *c, struct db_pairing *p)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_members, &st);
	if (e)
		return e;
	store_bind_int(st, 1, p->id);
	bool row;
	size_t nm = 0, ne = 0;
	while (!(e = store_step(st, &row)) && row) {
		bool mentor = strcmp(store_col_text(st, 0), "mentor") == 0;
		char *dst = mentor ? p->mentors : p->mentees;
		size_t *n = mentor ? &nm : &ne;
		int w = snprintf(dst + *n, sizeof p->mentors - *n, "%s%lld,", *n ? "" : ",",
				 (long long)store_col_int(st, 1));
		if (w > 0 && *n + (size_t)w < sizeof p->mentors)
			*n += (size_t)w;
	}
	store_done(st);
	return e;
}

enum err db_pairing_insert(struct store_conn *c, struct db_pairing *p, const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_pair_ins, &st);
	if (e)
		return e;
	store_bind_text(st, 1, p->mode);
	store_bind_text(st, 2, p->origin);
	bind_opt_id(st, 3, p->run_id);
	store_bind_int(st, 4, p->region_id);
	store_bind_text(st, 5, p->region_path);
	store_bind_text(st, 6, p->status);
	db_bind_opt(st, 7, p->start_date);
	db_bind_opt(st, 8, p->end_date);
	store_bind_text(st, 9, now);
	if ((e = db_one(st)))
		return e;
	p->id = store_col_int(st, 0);
	store_done(st);
	return ERR_OK;
}

enum err db_pairing_member_add(struct store_conn *c, int64_t pairing_id, const char *side,
			       int64_t person_id, const char *since)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_member_ins, &st);
	if (e)
		return e;
	store_bind_int(st, 1, pairing_id);
	store_bind_text(st, 2, side);
	store_bind_int(st, 3, person_id);
	store_bind_text(st, 4, since);
	return store_run(st);
}

enum err db_pairing_open_count(struct store_conn *c, const char *side, int64_t person_id,
			       int64_t *out)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_open_count, &st);
	if (e)
		return e;
	store_bind_text(st, 1, side);
	store_bind_int(st, 2, person_id);
	return db_count(st, out);
}

enum err db_pairing_get(struct store_conn *c, int64_t id, struct db_pairing *out)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_pair_get, &st);
	if (e)
		return e;
	store_bind_int(st, 1, id);
	if ((e = db_one(st)))
		return e;
	read_pairing(st, out);
	store_done(st);
	return read_members(c, out);
}

static void bind_pair_where(struct store_stmt *st, const void *arg)
{
	const struct list_query *q = arg;

	store_bind_text(st, 1, q->root_lo);
	store_bind_text(st, 2, q->root_hi);
	db_bind_opt(st, 3, q->status);
	if (q->only_id && q->kind[0]) {
		store_bind_text(st, 4, q->kind);
		store_bind_int(st, 5, q->only_id);
	} else {
		store_bind_null(st, 4);
		store_bind_null(st, 5);
	}
}

enum err db_pairing_list(struct store_conn *c, const struct list_query *q, db_row_fn fn,
			 void *arg, int64_t *total)
{
	const struct db_page p = {
		.count_sql = sql_pair_count,
		.list_sql = sql_pair_list,
		.nwhere = 5,
		.bind = bind_pair_where,
		.q = q,
		.limit = q->limit,
		.offset = q->offset,
	};
	struct store_stmt *st;
	enum err e = db_page_open(c, &p, total, &st);
	if (e || !st)
		return e;
	/* Rows first, members after: one statement is read at a time. */
	int n = 0;
	struct db_pairing *rows = xcalloc((size_t)q->limit + 1, sizeof *rows);
	bool row;
	while (!(e = store_step(st, &row)) && row && n < q->limit)
		read_pairing(st, &rows[n++]);
	store_done(st);
	for (int i = 0; !e && i < n; i++)
		if (!(e = read_members(c, &rows[i])))
			e = fn(arg, &rows[i]);
	free(rows);
	return e;
}
