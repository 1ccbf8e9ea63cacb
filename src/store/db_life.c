/*
 * db_life.c — the life of a pairing in the database: ceremony and status
 * history, members over time, plans and their items, activities, work
 * logs, evaluations, demonstration projects, settings and the dashboard's
 * counts. Layer: store. Fixed statements only (db_life.h is the
 * contract).
 *
 * Optional filters follow the store's portable forms: a text filter is
 * `CAST(?N AS TEXT) IS NULL OR ...` with NULL bound for "any"; an id
 * filter is `?N = 0 OR ...` with 0 bound for "any" (so that PostgreSQL
 * infers one integer type for the parameter). Rows whose reading needs a
 * second statement (an activity's pairings) are read into an array first,
 * so that one statement is stepped at a time.
 */
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "store/db_life.h"
#include "store/db_util.h"

/* "LIMIT 0" of the contract: every row. */
#define ALL_ROWS 1000000000

/* Run a prepared, bound statement and call read+fn per row. */
#define FOR_ROWS(st, rowvar, readfn, fn, arg)                            \
	do {                                                             \
		bool row_;                                               \
		while (!(e = store_step((st), &row_)) && row_) {         \
			readfn((st), &(rowvar));                         \
			if ((e = (fn)((arg), &(rowvar))))                \
				break;                                   \
		}                                                        \
		store_done(st);                                          \
	} while (0)

static void bind_range(struct store_stmt *st, const char *lo, const char *hi)
{
	store_bind_text(st, 1, lo);
	store_bind_text(st, 2, hi);
}

static int page_limit(const struct db_life_q *q)
{
	return q->limit > 0 ? q->limit : ALL_ROWS;
}

/* ---- pairings ------------------------------------------------------------ */

static const char sql_pair_ext[] =
	"SELECT COALESCE(ceremony_date, ''), ceremony_place, COALESCE(letter_no, ''),"
	" COALESCE(project_id, 0) FROM pairings WHERE id = ?1";

enum err db_life_pairing_get(struct store_conn *c, int64_t id, struct db_life_pairing *out)
{
	memset(out, 0, sizeof *out);
	enum err e = db_pairing_get(c, id, &out->p);
	if (e)
		return e;
	struct store_stmt *st;
	if ((e = store_prepare(c, sql_pair_ext, &st)))
		return e;
	store_bind_int(st, 1, id);
	if ((e = db_one(st)))
		return e;
	DB_TEXT(st, 0, out->ceremony_date);
	DB_TEXT(st, 1, out->ceremony_place);
	DB_TEXT(st, 2, out->letter_no);
	out->project_id = store_col_int(st, 3);
	store_done(st);
	return ERR_OK;
}

static const char sql_pair_change[] =
	"UPDATE pairings SET status = ?1,"
	" mentor_confirmed = CASE WHEN ?2 < 0 THEN mentor_confirmed ELSE ?2 END,"
	" mentee_confirmed = CASE WHEN ?3 < 0 THEN mentee_confirmed ELSE ?3 END,"
	" start_date = COALESCE(?4, start_date), end_date = COALESCE(?5, end_date),"
	" reason = COALESCE(?6, reason), ceremony_date = COALESCE(?7, ceremony_date),"
	" ceremony_place = COALESCE(?8, ceremony_place), letter_no = COALESCE(?9, letter_no),"
	" version = version + 1, updated_at = ?10"
	" WHERE id = ?11 AND status = ?12 AND version = ?13 RETURNING id";

enum err db_life_pairing_change(struct store_conn *c, int64_t id, const char *from, int version,
				const struct db_life_change *ch, const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_pair_change, &st);
	if (e)
		return e;
	store_bind_text(st, 1, ch->to);
	store_bind_int(st, 2, ch->mentor_confirmed);
	store_bind_int(st, 3, ch->mentee_confirmed);
	store_bind_text(st, 4, ch->start_date);
	store_bind_text(st, 5, ch->end_date);
	store_bind_text(st, 6, ch->reason);
	store_bind_text(st, 7, ch->ceremony_date);
	store_bind_text(st, 8, ch->ceremony_place);
	store_bind_text(st, 9, ch->letter_no);
	store_bind_text(st, 10, now);
	store_bind_int(st, 11, id);
	store_bind_text(st, 12, from);
	store_bind_int(st, 13, version);
	e = db_one(st);
	if (e == ERR_NOT_FOUND)
		return ERR_CONFLICT;
	if (!e)
		store_done(st);
	return e;
}

static const char sql_pair_project[] =
	"UPDATE pairings SET project_id = ?1, updated_at = ?2, version = version + 1"
	" WHERE id = ?3";

enum err db_life_pairing_set_project(struct store_conn *c, int64_t id, int64_t project_id,
				     const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_pair_project, &st);
	if (e)
		return e;
	if (project_id)
		store_bind_int(st, 1, project_id);
	else
		store_bind_null(st, 1);
	store_bind_text(st, 2, now);
	store_bind_int(st, 3, id);
	return store_run(st);
}

static const char sql_event_ins[] =
	"INSERT INTO pairing_events (pairing_id, from_status, to_status, action, detail, user_id,"
	" at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
static const char sql_events[] =
	"SELECT id, pairing_id, from_status, to_status, action, detail, COALESCE(user_id, 0), at"
	" FROM pairing_events WHERE pairing_id = ?1 ORDER BY id";

enum err db_life_event_add(struct store_conn *c, struct db_life_event *ev)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_event_ins, &st);
	if (e)
		return e;
	store_bind_int(st, 1, ev->pairing_id);
	store_bind_text(st, 2, ev->from_status);
	store_bind_text(st, 3, ev->to_status);
	store_bind_text(st, 4, ev->action);
	store_bind_text(st, 5, ev->detail);
	if (ev->user_id)
		store_bind_int(st, 6, ev->user_id);
	else
		store_bind_null(st, 6);
	store_bind_text(st, 7, ev->at);
	if ((e = db_one(st)))
		return e;
	ev->id = store_col_int(st, 0);
	store_done(st);
	return ERR_OK;
}

static void read_event(struct store_stmt *st, struct db_life_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->id = store_col_int(st, 0);
	ev->pairing_id = store_col_int(st, 1);
	DB_TEXT(st, 2, ev->from_status);
	DB_TEXT(st, 3, ev->to_status);
	DB_TEXT(st, 4, ev->action);
	DB_TEXT(st, 5, ev->detail);
	ev->user_id = store_col_int(st, 6);
	DB_TEXT(st, 7, ev->at);
}

enum err db_life_events(struct store_conn *c, int64_t pairing_id, db_row_fn fn, void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_events, &st);
	if (e)
		return e;
	store_bind_int(st, 1, pairing_id);
	struct db_life_event ev;
	FOR_ROWS(st, ev, read_event, fn, arg);
	return e;
}

/* Members with the names of the people they stand for. */
#define MEMBER_COLS                                                                         \
	"pm.pairing_id, pm.side, pm.person_id, COALESCE(m.name, e.name, ''), pm.since,"      \
	" COALESCE(pm.until_date, '')"
#define MEMBER_NAMES                                                                       \
	" LEFT JOIN mentors m ON pm.side = 'mentor' AND m.id = pm.person_id"                \
	" LEFT JOIN mentees e ON pm.side = 'mentee' AND e.id = pm.person_id"

static const char sql_members[] =
	"SELECT " MEMBER_COLS " FROM pairing_members pm" MEMBER_NAMES
	" WHERE pm.pairing_id = ?1"
	" ORDER BY CASE WHEN pm.side = 'mentor' THEN 0 ELSE 1 END, pm.since, pm.person_id";
static const char sql_member_end[] =
	"UPDATE pairing_members SET until_date = ?4 WHERE pairing_id = ?1 AND side = ?2"
	" AND person_id = ?3 AND until_date IS NULL RETURNING pairing_id";

static void read_member(struct store_stmt *st, struct db_life_member *m)
{
	memset(m, 0, sizeof *m);
	m->pairing_id = store_col_int(st, 0);
	DB_TEXT(st, 1, m->side);
	m->person_id = store_col_int(st, 2);
	DB_TEXT(st, 3, m->name);
	DB_TEXT(st, 4, m->since);
	DB_TEXT(st, 5, m->until);
}

enum err db_life_members(struct store_conn *c, int64_t pairing_id, db_row_fn fn, void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_members, &st);
	if (e)
		return e;
	store_bind_int(st, 1, pairing_id);
	struct db_life_member m;
	FOR_ROWS(st, m, read_member, fn, arg);
	return e;
}

enum err db_life_member_end(struct store_conn *c, int64_t pairing_id, const char *side,
			    int64_t person_id, const char *until)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_member_end, &st);
	if (e)
		return e;
	store_bind_int(st, 1, pairing_id);
	store_bind_text(st, 2, side);
	store_bind_int(st, 3, person_id);
	store_bind_text(st, 4, until);
	if ((e = db_one(st)))
		return e;
	store_done(st);
	return ERR_OK;
}

static const char sql_memberships[] =
	"SELECT p.id, p.status, p.mode, pm.since, COALESCE(pm.until_date, ''),"
	" COALESCE(p.start_date, ''), COALESCE(p.end_date, ''), p.region_path"
	" FROM pairing_members pm JOIN pairings p ON p.id = pm.pairing_id"
	" WHERE pm.side = ?1 AND pm.person_id = ?2 ORDER BY pm.since, p.id";

static void read_membership(struct store_stmt *st, struct db_life_membership *m)
{
	memset(m, 0, sizeof *m);
	m->pairing_id = store_col_int(st, 0);
	DB_TEXT(st, 1, m->status);
	DB_TEXT(st, 2, m->mode);
	DB_TEXT(st, 3, m->since);
	DB_TEXT(st, 4, m->until);
	DB_TEXT(st, 5, m->start_date);
	DB_TEXT(st, 6, m->end_date);
	DB_TEXT(st, 7, m->region_path);
}

enum err db_life_memberships(struct store_conn *c, const char *side, int64_t person_id,
			     db_row_fn fn, void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_memberships, &st);
	if (e)
		return e;
	store_bind_text(st, 1, side);
	store_bind_int(st, 2, person_id);
	struct db_life_membership m;
	FOR_ROWS(st, m, read_membership, fn, arg);
	return e;
}

static const char sql_actives[] =
	"SELECT p.id, p.region_path, COALESCE(p.start_date, ''), COALESCE(p.ceremony_date, ''),"
	" substr(p.created_at, 1, 10),"
	" COALESCE((SELECT MAX(a.date) FROM activity_pairings ap JOIN activities a"
	"  ON a.id = ap.activity_id WHERE ap.pairing_id = p.id), ''),"
	" COALESCE((SELECT MAX(l.date) FROM work_logs l WHERE l.pairing_id = p.id), '')"
	" FROM pairings p WHERE p.region_path >= ?1 AND p.region_path < ?2"
	" AND p.status = 'active' ORDER BY p.id";

static void read_active(struct store_stmt *st, struct db_life_active *a)
{
	memset(a, 0, sizeof *a);
	a->id = store_col_int(st, 0);
	DB_TEXT(st, 1, a->region_path);
	DB_TEXT(st, 2, a->start_date);
	DB_TEXT(st, 3, a->ceremony_date);
	DB_TEXT(st, 4, a->created_on);
	DB_TEXT(st, 5, a->last_activity);
	DB_TEXT(st, 6, a->last_log);
}

enum err db_life_actives(struct store_conn *c, const char *lo, const char *hi, db_row_fn fn,
			 void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_actives, &st);
	if (e)
		return e;
	bind_range(st, lo, hi);
	struct db_life_active a;
	FOR_ROWS(st, a, read_active, fn, arg);
	return e;
}

/* ---- plans ------------------------------------------------------------------ */

#define PLAN_COLS                                                                             \
	"pl.id, pl.pairing_id, pl.year, pl.region_path, pl.status, COALESCE(pl.approved_by, 0)," \
	" COALESCE(pl.approved_at, ''), pl.created_at, pl.updated_at,"                          \
	" (SELECT COUNT(*) FROM plan_items i WHERE i.plan_id = pl.id),"                         \
	" (SELECT COUNT(*) FROM plan_items i WHERE i.plan_id = pl.id AND i.status = 'done')"
/* ?1 lo ?2 hi ?3 status ?4 pairing */
#define PLAN_WHERE                                                   \
	" WHERE pl.region_path >= ?1 AND pl.region_path < ?2"         \
	" AND (CAST(?3 AS TEXT) IS NULL OR pl.status = ?3)"           \
	" AND (?4 = 0 OR pl.pairing_id = ?4)"

static const char sql_plan_ins[] =
	"INSERT INTO plans (pairing_id, year, region_path, status, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?5) RETURNING id";
static const char sql_plan_get[] = "SELECT " PLAN_COLS " FROM plans pl WHERE pl.id = ?1";
static const char sql_plan_count[] = "SELECT COUNT(*) FROM plans pl" PLAN_WHERE;
static const char sql_plan_list[] = "SELECT " PLAN_COLS " FROM plans pl" PLAN_WHERE
				    " ORDER BY pl.year DESC, pl.id DESC LIMIT ?5 OFFSET ?6";
static const char sql_plan_approve[] =
	"UPDATE plans SET status = 'approved', approved_by = ?2, approved_at = ?3,"
	" updated_at = ?3 WHERE id = ?1 AND status = 'draft' RETURNING id";
static const char sql_plan_touch[] = "UPDATE plans SET updated_at = ?2 WHERE id = ?1";

static void read_plan(struct store_stmt *st, void *row)
{
	struct db_life_plan *p = row;

	memset(p, 0, sizeof *p);
	p->id = store_col_int(st, 0);
	p->pairing_id = store_col_int(st, 1);
	p->year = (int)store_col_int(st, 2);
	DB_TEXT(st, 3, p->region_path);
	DB_TEXT(st, 4, p->status);
	p->approved_by = store_col_int(st, 5);
	DB_TEXT(st, 6, p->approved_at);
	DB_TEXT(st, 7, p->created_at);
	DB_TEXT(st, 8, p->updated_at);
	p->items = (int)store_col_int(st, 9);
	p->done = (int)store_col_int(st, 10);
}

enum err db_life_plan_insert(struct store_conn *c, struct db_life_plan *p, const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_plan_ins, &st);
	if (e)
		return e;
	store_bind_int(st, 1, p->pairing_id);
	store_bind_int(st, 2, p->year);
	store_bind_text(st, 3, p->region_path);
	store_bind_text(st, 4, p->status);
	store_bind_text(st, 5, now);
	if ((e = db_one(st)))
		return e;
	p->id = store_col_int(st, 0);
	store_done(st);
	return ERR_OK;
}

enum err db_life_plan_get(struct store_conn *c, int64_t id, struct db_life_plan *out)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_plan_get, &st);
	if (e)
		return e;
	store_bind_int(st, 1, id);
	if ((e = db_one(st)))
		return e;
	read_plan(st, out);
	store_done(st);
	return ERR_OK;
}

static void bind_plan_where(struct store_stmt *st, const void *arg)
{
	const struct db_life_q *q = arg;

	bind_range(st, q->lo, q->hi);
	db_bind_opt(st, 3, q->status);
	store_bind_int(st, 4, q->pairing_id);
}

enum err db_life_plan_list(struct store_conn *c, const struct db_life_q *q, db_row_fn fn,
			   void *arg, int64_t *total)
{
	struct db_life_plan row;
	const struct db_page p = {
		.count_sql = sql_plan_count,
		.list_sql = sql_plan_list,
		.nwhere = 4,
		.bind = bind_plan_where,
		.q = q,
		.limit = page_limit(q),
		.offset = q->offset,
		.read = read_plan,
		.row = &row,
	};
	return db_list_page(c, &p, fn, arg, total);
}

enum err db_life_plan_approve(struct store_conn *c, int64_t id, int64_t user_id, const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_plan_approve, &st);
	if (e)
		return e;
	store_bind_int(st, 1, id);
	if (user_id)
		store_bind_int(st, 2, user_id);
	else
		store_bind_null(st, 2);
	store_bind_text(st, 3, now);
	e = db_one(st);
	if (e == ERR_NOT_FOUND)
		return ERR_CONFLICT;
	if (!e)
		store_done(st);
	return e;
}

enum err db_life_plan_touch(struct store_conn *c, int64_t id, const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_plan_touch, &st);
	if (e)
		return e;
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, now);
	return store_run(st);
}

#define ITEM_COLS                                                                      \
	"id, plan_id, side, seq, title, domain, due_date, status, evidence,"            \
	" COALESCE(completed_on, ''), updated_at"

static const char sql_item_ins[] =
	"INSERT INTO plan_items (plan_id, side, seq, title, domain, due_date, status, evidence,"
	" completed_on, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id";
static const char sql_item_get[] = "SELECT " ITEM_COLS " FROM plan_items WHERE id = ?1";
static const char sql_item_upd[] =
	"UPDATE plan_items SET status = ?2, evidence = ?3, completed_on = ?4, updated_at = ?5"
	" WHERE id = ?1";
static const char sql_items[] =
	"SELECT " ITEM_COLS " FROM plan_items WHERE plan_id = ?1"
	" ORDER BY CASE WHEN side = 'mentor' THEN 0 ELSE 1 END, seq, id";
static const char sql_items_clear[] = "DELETE FROM plan_items WHERE plan_id = ?1";

static void read_item(struct store_stmt *st, struct db_life_item *it)
{
	memset(it, 0, sizeof *it);
	it->id = store_col_int(st, 0);
	it->plan_id = store_col_int(st, 1);
	DB_TEXT(st, 2, it->side);
	it->seq = (int)store_col_int(st, 3);
	DB_TEXT(st, 4, it->title);
	DB_TEXT(st, 5, it->domain);
	DB_TEXT(st, 6, it->due_date);
	DB_TEXT(st, 7, it->status);
	DB_TEXT(st, 8, it->evidence);
	DB_TEXT(st, 9, it->completed_on);
	DB_TEXT(st, 10, it->updated_at);
}

enum err db_life_item_insert(struct store_conn *c, struct db_life_item *it)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_item_ins, &st);
	if (e)
		return e;
	store_bind_int(st, 1, it->plan_id);
	store_bind_text(st, 2, it->side);
	store_bind_int(st, 3, it->seq);
	store_bind_text(st, 4, it->title);
	store_bind_text(st, 5, it->domain);
	store_bind_text(st, 6, it->due_date);
	store_bind_text(st, 7, it->status[0] ? it->status : "open");
	store_bind_text(st, 8, it->evidence);
	db_bind_opt(st, 9, it->completed_on);
	store_bind_text(st, 10, it->updated_at);
	if ((e = db_one(st)))
		return e;
	it->id = store_col_int(st, 0);
	store_done(st);
	return ERR_OK;
}

enum err db_life_item_get(struct store_conn *c, int64_t id, struct db_life_item *out)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_item_get, &st);
	if (e)
		return e;
	store_bind_int(st, 1, id);
	if ((e = db_one(st)))
		return e;
	read_item(st, out);
	store_done(st);
	return ERR_OK;
}

enum err db_life_item_update(struct store_conn *c, const struct db_life_item *it)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_item_upd, &st);
	if (e)
		return e;
	store_bind_int(st, 1, it->id);
	store_bind_text(st, 2, it->status);
	store_bind_text(st, 3, it->evidence);
	db_bind_opt(st, 4, it->completed_on);
	store_bind_text(st, 5, it->updated_at);
	return store_run(st);
}

enum err db_life_items(struct store_conn *c, int64_t plan_id, db_row_fn fn, void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_items, &st);
	if (e)
		return e;
	store_bind_int(st, 1, plan_id);
	struct db_life_item it;
	FOR_ROWS(st, it, read_item, fn, arg);
	return e;
}

enum err db_life_items_clear(struct store_conn *c, int64_t plan_id)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_items_clear, &st);
	if (e)
		return e;
	store_bind_int(st, 1, plan_id);
	return store_run(st);
}

static const char sql_open_items[] =
	"SELECT i.id, i.plan_id, pl.pairing_id, i.side, i.title, i.due_date"
	" FROM plan_items i JOIN plans pl ON pl.id = i.plan_id"
	" JOIN pairings p ON p.id = pl.pairing_id"
	" WHERE p.region_path >= ?1 AND p.region_path < ?2 AND p.status = 'active'"
	" AND pl.status = 'approved' AND i.status = 'open' AND i.due_date <= ?3"
	" ORDER BY pl.pairing_id, i.due_date, i.id";

static void read_due_item(struct store_stmt *st, struct db_life_due_item *d)
{
	memset(d, 0, sizeof *d);
	d->item_id = store_col_int(st, 0);
	d->plan_id = store_col_int(st, 1);
	d->pairing_id = store_col_int(st, 2);
	DB_TEXT(st, 3, d->side);
	DB_TEXT(st, 4, d->title);
	DB_TEXT(st, 5, d->due_date);
}

enum err db_life_open_items(struct store_conn *c, const char *lo, const char *hi,
			    const char *until, db_row_fn fn, void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_open_items, &st);
	if (e)
		return e;
	bind_range(st, lo, hi);
	store_bind_text(st, 3, until);
	struct db_life_due_item d;
	FOR_ROWS(st, d, read_due_item, fn, arg);
	return e;
}

/* ---- activities --------------------------------------------------------------- */

#define ACT_COLS                                                                          \
	"a.id, a.type, a.title, a.date, a.place, a.participants, a.summary, a.trained,"    \
	" a.region_id, r.code, a.region_path, COALESCE(a.project_id, 0),"                 \
	" COALESCE(a.created_by, 0), a.created_at, a.updated_at"
#define ACT_FROM " FROM activities a JOIN regions r ON r.id = a.region_id"
/* ?1 lo ?2 hi ?3 type ?4 from ?5 to ?6 pairing ?7 project */
#define ACT_WHERE                                                                          \
	" WHERE a.region_path >= ?1 AND a.region_path < ?2"                                \
	" AND (CAST(?3 AS TEXT) IS NULL OR a.type = ?3)"                                   \
	" AND (CAST(?4 AS TEXT) IS NULL OR a.date >= ?4)"                                  \
	" AND (CAST(?5 AS TEXT) IS NULL OR a.date <= ?5)"                                  \
	" AND (?6 = 0 OR EXISTS (SELECT 1 FROM activity_pairings ap"                       \
	"  WHERE ap.activity_id = a.id AND ap.pairing_id = ?6))"                            \
	" AND (?7 = 0 OR a.project_id = ?7)"

static const char sql_act_ins[] =
	"INSERT INTO activities (type, title, date, place, participants, summary, trained,"
	" region_id, region_path, project_id, created_by, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12) RETURNING id";
static const char sql_act_upd[] =
	"UPDATE activities SET type = ?2, title = ?3, date = ?4, place = ?5, participants = ?6,"
	" summary = ?7, trained = ?8, project_id = ?9, updated_at = ?10 WHERE id = ?1";
static const char sql_act_get[] = "SELECT " ACT_COLS ACT_FROM " WHERE a.id = ?1";
static const char sql_act_count[] = "SELECT COUNT(*) FROM activities a" ACT_WHERE;
static const char sql_act_list[] = "SELECT " ACT_COLS ACT_FROM ACT_WHERE
				   " ORDER BY a.date DESC, a.id DESC LIMIT ?8 OFFSET ?9";
static const char sql_act_link[] =
	"INSERT INTO activity_pairings (activity_id, pairing_id) VALUES (?1, ?2)";
static const char sql_act_pairs[] =
	"SELECT pairing_id FROM activity_pairings WHERE activity_id = ?1 ORDER BY pairing_id";

static void bind_opt_id(struct store_stmt *st, int i, int64_t v)
{
	if (v)
		store_bind_int(st, i, v);
	else
		store_bind_null(st, i);
}

static void read_activity(struct store_stmt *st, struct db_life_activity *a)
{
	memset(a, 0, sizeof *a);
	a->id = store_col_int(st, 0);
	DB_TEXT(st, 1, a->type);
	DB_TEXT(st, 2, a->title);
	DB_TEXT(st, 3, a->date);
	DB_TEXT(st, 4, a->place);
	DB_TEXT(st, 5, a->participants);
	DB_TEXT(st, 6, a->summary);
	a->trained = (int)store_col_int(st, 7);
	a->region_id = store_col_int(st, 8);
	DB_TEXT(st, 9, a->region_code);
	DB_TEXT(st, 10, a->region_path);
	a->project_id = store_col_int(st, 11);
	a->created_by = store_col_int(st, 12);
	DB_TEXT(st, 13, a->created_at);
	DB_TEXT(st, 14, a->updated_at);
}

/* Fill a->pairings ",id,...,". */
static enum err read_act_pairings(struct store_conn *c, struct db_life_activity *a)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_act_pairs, &st);
	if (e)
		return e;
	store_bind_int(st, 1, a->id);
	bool row;
	size_t n = 0;
	while (!(e = store_step(st, &row)) && row) {
		int w = snprintf(a->pairings + n, sizeof a->pairings - n, "%s%lld,", n ? "" : ",",
				 (long long)store_col_int(st, 0));
		if (w > 0 && n + (size_t)w < sizeof a->pairings)
			n += (size_t)w;
	}
	store_done(st);
	return e;
}

enum err db_life_activity_insert(struct store_conn *c, struct db_life_activity *a,
				 const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_act_ins, &st);
	if (e)
		return e;
	store_bind_text(st, 1, a->type);
	store_bind_text(st, 2, a->title);
	store_bind_text(st, 3, a->date);
	store_bind_text(st, 4, a->place);
	store_bind_text(st, 5, a->participants);
	store_bind_text(st, 6, a->summary);
	store_bind_int(st, 7, a->trained);
	store_bind_int(st, 8, a->region_id);
	store_bind_text(st, 9, a->region_path);
	bind_opt_id(st, 10, a->project_id);
	bind_opt_id(st, 11, a->created_by);
	store_bind_text(st, 12, now);
	if ((e = db_one(st)))
		return e;
	a->id = store_col_int(st, 0);
	store_done(st);
	return ERR_OK;
}

enum err db_life_activity_update(struct store_conn *c, const struct db_life_activity *a,
				 const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_act_upd, &st);
	if (e)
		return e;
	store_bind_int(st, 1, a->id);
	store_bind_text(st, 2, a->type);
	store_bind_text(st, 3, a->title);
	store_bind_text(st, 4, a->date);
	store_bind_text(st, 5, a->place);
	store_bind_text(st, 6, a->participants);
	store_bind_text(st, 7, a->summary);
	store_bind_int(st, 8, a->trained);
	bind_opt_id(st, 9, a->project_id);
	store_bind_text(st, 10, now);
	return store_run(st);
}

enum err db_life_activity_get(struct store_conn *c, int64_t id, struct db_life_activity *out)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_act_get, &st);
	if (e)
		return e;
	store_bind_int(st, 1, id);
	if ((e = db_one(st)))
		return e;
	read_activity(st, out);
	store_done(st);
	return read_act_pairings(c, out);
}

enum err db_life_activity_link(struct store_conn *c, int64_t activity_id, int64_t pairing_id)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_act_link, &st);
	if (e)
		return e;
	store_bind_int(st, 1, activity_id);
	store_bind_int(st, 2, pairing_id);
	return store_run(st);
}

static void bind_act_where(struct store_stmt *st, const void *arg)
{
	const struct db_life_q *q = arg;

	bind_range(st, q->lo, q->hi);
	db_bind_opt(st, 3, q->kind);
	db_bind_opt(st, 4, q->from);
	db_bind_opt(st, 5, q->to);
	store_bind_int(st, 6, q->pairing_id);
	store_bind_int(st, 7, q->project_id);
}

enum err db_life_activity_list(struct store_conn *c, const struct db_life_q *q, db_row_fn fn,
			       void *arg, int64_t *total)
{
	const struct db_page p = {
		.count_sql = sql_act_count,
		.list_sql = sql_act_list,
		.nwhere = 7,
		.bind = bind_act_where,
		.q = q,
		.limit = page_limit(q),
		.offset = q->offset,
	};
	struct store_stmt *st;
	enum err e = db_page_open(c, &p, total, &st);
	if (e || !st)
		return e;
	/* Rows first, their pairings after. */
	size_t n = 0, cap = 16;
	struct db_life_activity *rows = xcalloc(cap, sizeof *rows);
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		if (n == cap) {
			cap *= 2;
			rows = xreallocarray(rows, cap, sizeof *rows);
		}
		read_activity(st, &rows[n++]);
	}
	store_done(st);
	for (size_t i = 0; !e && i < n; i++)
		if (!(e = read_act_pairings(c, &rows[i])))
			e = fn(arg, &rows[i]);
	free(rows);
	return e;
}

static const char sql_visits[] =
	"SELECT ap.pairing_id, a.date FROM activity_pairings ap"
	" JOIN activities a ON a.id = ap.activity_id JOIN pairings p ON p.id = ap.pairing_id"
	" WHERE p.region_path >= ?1 AND p.region_path < ?2 AND p.status = 'active'"
	" AND a.type = 'supervision_visit' ORDER BY ap.pairing_id, a.date";

static void read_stamp(struct store_stmt *st, struct db_life_stamp *s)
{
	memset(s, 0, sizeof *s);
	s->pairing_id = store_col_int(st, 0);
	DB_TEXT(st, 1, s->date);
}

enum err db_life_visits(struct store_conn *c, const char *lo, const char *hi, db_row_fn fn,
			void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_visits, &st);
	if (e)
		return e;
	bind_range(st, lo, hi);
	struct db_life_stamp s;
	FOR_ROWS(st, s, read_stamp, fn, arg);
	return e;
}

/* ---- work logs ------------------------------------------------------------------ */

#define LOG_COLS                                                                             \
	"l.id, l.pairing_id, l.side, l.person_id, COALESCE(l.user_id, 0),"                   \
	" COALESCE(m.name, e.name, ''), l.date, l.content, l.region_path, l.created_at,"     \
	" l.updated_at"
#define LOG_FROM                                                                             \
	" FROM work_logs l LEFT JOIN mentors m ON l.side = 'mentor' AND m.id = l.person_id"  \
	" LEFT JOIN mentees e ON l.side = 'mentee' AND e.id = l.person_id"
/* ?1 lo ?2 hi ?3 pairing ?4 from ?5 to */
#define LOG_WHERE                                                              \
	" WHERE l.region_path >= ?1 AND l.region_path < ?2"                     \
	" AND (?3 = 0 OR l.pairing_id = ?3)"                                    \
	" AND (CAST(?4 AS TEXT) IS NULL OR l.date >= ?4)"                        \
	" AND (CAST(?5 AS TEXT) IS NULL OR l.date <= ?5)"

static const char sql_log_ins[] =
	"INSERT INTO work_logs (pairing_id, side, person_id, user_id, date, content, region_path,"
	" created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) RETURNING id";
static const char sql_log_get[] = "SELECT " LOG_COLS LOG_FROM " WHERE l.id = ?1";
static const char sql_log_upd[] =
	"UPDATE work_logs SET date = ?2, content = ?3, updated_at = ?4 WHERE id = ?1";
static const char sql_log_count[] = "SELECT COUNT(*) FROM work_logs l" LOG_WHERE;
static const char sql_log_list[] = "SELECT " LOG_COLS LOG_FROM LOG_WHERE
				   " ORDER BY l.date DESC, l.id DESC LIMIT ?6 OFFSET ?7";

static void read_log(struct store_stmt *st, void *row)
{
	struct db_life_log *l = row;

	memset(l, 0, sizeof *l);
	l->id = store_col_int(st, 0);
	l->pairing_id = store_col_int(st, 1);
	DB_TEXT(st, 2, l->side);
	l->person_id = store_col_int(st, 3);
	l->user_id = store_col_int(st, 4);
	DB_TEXT(st, 5, l->author);
	DB_TEXT(st, 6, l->date);
	DB_TEXT(st, 7, l->content);
	DB_TEXT(st, 8, l->region_path);
	DB_TEXT(st, 9, l->created_at);
	DB_TEXT(st, 10, l->updated_at);
}

enum err db_life_log_insert(struct store_conn *c, struct db_life_log *l, const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_log_ins, &st);
	if (e)
		return e;
	store_bind_int(st, 1, l->pairing_id);
	store_bind_text(st, 2, l->side);
	store_bind_int(st, 3, l->person_id);
	bind_opt_id(st, 4, l->user_id);
	store_bind_text(st, 5, l->date);
	store_bind_text(st, 6, l->content);
	store_bind_text(st, 7, l->region_path);
	store_bind_text(st, 8, now);
	if ((e = db_one(st)))
		return e;
	l->id = store_col_int(st, 0);
	store_done(st);
	return ERR_OK;
}

enum err db_life_log_get(struct store_conn *c, int64_t id, struct db_life_log *out)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_log_get, &st);
	if (e)
		return e;
	store_bind_int(st, 1, id);
	if ((e = db_one(st)))
		return e;
	read_log(st, out);
	store_done(st);
	return ERR_OK;
}

enum err db_life_log_update(struct store_conn *c, int64_t id, const char *date,
			    const char *content, const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_log_upd, &st);
	if (e)
		return e;
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, date);
	store_bind_text(st, 3, content);
	store_bind_text(st, 4, now);
	return store_run(st);
}

static void bind_log_where(struct store_stmt *st, const void *arg)
{
	const struct db_life_q *q = arg;

	bind_range(st, q->lo, q->hi);
	store_bind_int(st, 3, q->pairing_id);
	db_bind_opt(st, 4, q->from);
	db_bind_opt(st, 5, q->to);
}

enum err db_life_log_list(struct store_conn *c, const struct db_life_q *q, db_row_fn fn,
			  void *arg, int64_t *total)
{
	struct db_life_log row;
	const struct db_page p = {
		.count_sql = sql_log_count,
		.list_sql = sql_log_list,
		.nwhere = 5,
		.bind = bind_log_where,
		.q = q,
		.limit = page_limit(q),
		.offset = q->offset,
		.read = read_log,
		.row = &row,
	};
	return db_list_page(c, &p, fn, arg, total);
}

/* ---- evaluations ------------------------------------------------------------------ */

#define EVAL_COLS                                                                          \
	"v.id, v.pairing_id, v.kind, v.period, v.date, v.score, v.grade, v.comment,"       \
	" COALESCE(v.user_id, 0), v.region_path, v.created_at"
/* ?1 lo ?2 hi ?3 pairing ?4 kind ?5 from ?6 to */
#define EVAL_WHERE                                                             \
	" WHERE v.region_path >= ?1 AND v.region_path < ?2"                     \
	" AND (?3 = 0 OR v.pairing_id = ?3)"                                    \
	" AND (CAST(?4 AS TEXT) IS NULL OR v.kind = ?4)"                         \
	" AND (CAST(?5 AS TEXT) IS NULL OR v.date >= ?5)"                        \
	" AND (CAST(?6 AS TEXT) IS NULL OR v.date <= ?6)"

static const char sql_eval_ins[] =
	"INSERT INTO evaluations (pairing_id, kind, period, date, score, grade, comment, user_id,"
	" region_path, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id";
static const char sql_eval_count[] = "SELECT COUNT(*) FROM evaluations v" EVAL_WHERE;
static const char sql_eval_list[] = "SELECT " EVAL_COLS " FROM evaluations v" EVAL_WHERE
				    " ORDER BY v.date DESC, v.id DESC LIMIT ?7 OFFSET ?8";

static void read_eval(struct store_stmt *st, void *row)
{
	struct db_life_eval *v = row;

	memset(v, 0, sizeof *v);
	v->id = store_col_int(st, 0);
	v->pairing_id = store_col_int(st, 1);
	DB_TEXT(st, 2, v->kind);
	DB_TEXT(st, 3, v->period);
	DB_TEXT(st, 4, v->date);
	v->score = (int)store_col_int(st, 5);
	DB_TEXT(st, 6, v->grade);
	DB_TEXT(st, 7, v->comment);
	v->user_id = store_col_int(st, 8);
	DB_TEXT(st, 9, v->region_path);
	DB_TEXT(st, 10, v->created_at);
}

enum err db_life_eval_insert(struct store_conn *c, struct db_life_eval *ev)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_eval_ins, &st);
	if (e)
		return e;
	store_bind_int(st, 1, ev->pairing_id);
	store_bind_text(st, 2, ev->kind);
	store_bind_text(st, 3, ev->period);
	store_bind_text(st, 4, ev->date);
	store_bind_int(st, 5, ev->score);
	store_bind_text(st, 6, ev->grade);
	store_bind_text(st, 7, ev->comment);
	bind_opt_id(st, 8, ev->user_id);
	store_bind_text(st, 9, ev->region_path);
	store_bind_text(st, 10, ev->created_at);
	if ((e = db_one(st)))
		return e;
	ev->id = store_col_int(st, 0);
	store_done(st);
	return ERR_OK;
}

static void bind_eval_where(struct store_stmt *st, const void *arg)
{
	const struct db_life_q *q = arg;

	bind_range(st, q->lo, q->hi);
	store_bind_int(st, 3, q->pairing_id);
	db_bind_opt(st, 4, q->kind);
	db_bind_opt(st, 5, q->from);
	db_bind_opt(st, 6, q->to);
}

enum err db_life_eval_list(struct store_conn *c, const struct db_life_q *q, db_row_fn fn,
			   void *arg, int64_t *total)
{
	struct db_life_eval row;
	const struct db_page p = {
		.count_sql = sql_eval_count,
		.list_sql = sql_eval_list,
		.nwhere = 6,
		.bind = bind_eval_where,
		.q = q,
		.limit = page_limit(q),
		.offset = q->offset,
		.read = read_eval,
		.row = &row,
	};
	return db_list_page(c, &p, fn, arg, total);
}

/* ---- projects ---------------------------------------------------------------------- */

#define PROJ_COLS                                                                          \
	"j.id, j.name, j.region_id, r.code, j.region_path, j.year, j.description,"         \
	" j.created_at, j.updated_at,"                                                     \
	" (SELECT COUNT(*) FROM pairings p WHERE p.project_id = j.id),"                    \
	" (SELECT COUNT(*) FROM activities a WHERE a.project_id = j.id)"
#define PROJ_FROM " FROM projects j JOIN regions r ON r.id = j.region_id"
#define PROJ_WHERE " WHERE j.region_path >= ?1 AND j.region_path < ?2"

static const char sql_proj_ins[] =
	"INSERT INTO projects (name, region_id, region_path, year, description, created_at,"
	" updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) RETURNING id";
static const char sql_proj_upd[] =
	"UPDATE projects SET name = ?2, year = ?3, description = ?4, updated_at = ?5 WHERE id = ?1";
static const char sql_proj_get[] = "SELECT " PROJ_COLS PROJ_FROM " WHERE j.id = ?1";
static const char sql_proj_count[] = "SELECT COUNT(*) FROM projects j" PROJ_WHERE;
static const char sql_proj_list[] = "SELECT " PROJ_COLS PROJ_FROM PROJ_WHERE
				    " ORDER BY j.id DESC LIMIT ?3 OFFSET ?4";
static const char sql_proj_pairs[] =
	"SELECT id FROM pairings WHERE project_id = ?1 ORDER BY id";

static void read_project(struct store_stmt *st, void *row)
{
	struct db_life_project *p = row;

	memset(p, 0, sizeof *p);
	p->id = store_col_int(st, 0);
	DB_TEXT(st, 1, p->name);
	p->region_id = store_col_int(st, 2);
	DB_TEXT(st, 3, p->region_code);
	DB_TEXT(st, 4, p->region_path);
	p->year = (int)store_col_int(st, 5);
	DB_TEXT(st, 6, p->description);
	DB_TEXT(st, 7, p->created_at);
	DB_TEXT(st, 8, p->updated_at);
	p->pairings = (int)store_col_int(st, 9);
	p->activities = (int)store_col_int(st, 10);
}

enum err db_life_project_insert(struct store_conn *c, struct db_life_project *p,
				const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_proj_ins, &st);
	if (e)
		return e;
	store_bind_text(st, 1, p->name);
	store_bind_int(st, 2, p->region_id);
	store_bind_text(st, 3, p->region_path);
	store_bind_int(st, 4, p->year);
	store_bind_text(st, 5, p->description);
	store_bind_text(st, 6, now);
	if ((e = db_one(st)))
		return e;
	p->id = store_col_int(st, 0);
	store_done(st);
	return ERR_OK;
}

enum err db_life_project_update(struct store_conn *c, const struct db_life_project *p,
				const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_proj_upd, &st);
	if (e)
		return e;
	store_bind_int(st, 1, p->id);
	store_bind_text(st, 2, p->name);
	store_bind_int(st, 3, p->year);
	store_bind_text(st, 4, p->description);
	store_bind_text(st, 5, now);
	return store_run(st);
}

enum err db_life_project_get(struct store_conn *c, int64_t id, struct db_life_project *out)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_proj_get, &st);
	if (e)
		return e;
	store_bind_int(st, 1, id);
	if ((e = db_one(st)))
		return e;
	read_project(st, out);
	store_done(st);
	return ERR_OK;
}

static void bind_proj_where(struct store_stmt *st, const void *arg)
{
	const struct db_life_q *q = arg;

	bind_range(st, q->lo, q->hi);
}

enum err db_life_project_list(struct store_conn *c, const struct db_life_q *q, db_row_fn fn,
			      void *arg, int64_t *total)
{
	struct db_life_project row;
	const struct db_page p = {
		.count_sql = sql_proj_count,
		.list_sql = sql_proj_list,
		.nwhere = 2,
		.bind = bind_proj_where,
		.q = q,
		.limit = page_limit(q),
		.offset = q->offset,
		.read = read_project,
		.row = &row,
	};
	return db_list_page(c, &p, fn, arg, total);
}

enum err db_life_project_pairings(struct store_conn *c, int64_t project_id, db_row_fn fn,
				  void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_proj_pairs, &st);
	if (e)
		return e;
	store_bind_int(st, 1, project_id);
	size_t n = 0, cap = 16;
	int64_t *ids = xcalloc(cap, sizeof *ids);
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		if (n == cap) {
			cap *= 2;
			ids = xreallocarray(ids, cap, sizeof *ids);
		}
		ids[n++] = store_col_int(st, 0);
	}
	store_done(st);
	for (size_t i = 0; !e && i < n; i++) {
		struct db_pairing p;
		if (!(e = db_pairing_get(c, ids[i], &p)))
			e = fn(arg, &p);
	}
	free(ids);
	return e;
}

/* ---- settings and people ------------------------------------------------------------ */

static const char sql_settings[] = "SELECT name, value FROM life_settings ORDER BY name";
static const char sql_setting_set[] =
	"INSERT INTO life_settings (name, value) VALUES (?1, ?2)"
	" ON CONFLICT (name) DO UPDATE SET value = excluded.value";
static const char sql_mentee_status[] =
	"UPDATE mentees SET status = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1";

enum err db_life_settings(struct store_conn *c,
			  enum err (*fn)(void *arg, const char *name, const char *value),
			  void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_settings, &st);
	if (e)
		return e;
	bool row;
	while (!(e = store_step(st, &row)) && row)
		if ((e = fn(arg, store_col_text(st, 0), store_col_text(st, 1))))
			break;
	store_done(st);
	return e;
}

enum err db_life_setting_set(struct store_conn *c, const char *name, const char *value)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_setting_set, &st);
	if (e)
		return e;
	store_bind_text(st, 1, name);
	store_bind_text(st, 2, value);
	return store_run(st);
}

enum err db_life_mentee_set_status(struct store_conn *c, int64_t id, const char *status,
				   const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_mentee_status, &st);
	if (e)
		return e;
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, status);
	store_bind_text(st, 3, now);
	return store_run(st);
}

/* Pairings that trained someone: held their ceremony at least. */
#define TRAINED " p.status IN ('ceremony','active','completed')"

static const char sql_trainees[] =
	"SELECT pm.person_id, e.id, p.id, e.name, p.status, me.since,"
	" COALESCE(me.until_date, ''), COALESCE(g.id, 0), COALESCE(g.name, ''),"
	" COALESCE(g.status, '')"
	" FROM pairing_members pm JOIN pairings p ON p.id = pm.pairing_id"
	" JOIN pairing_members me ON me.pairing_id = p.id AND me.side = 'mentee'"
	" JOIN mentees e ON e.id = me.person_id"
	" LEFT JOIN mentors g ON g.from_mentee_id = e.id"
	" WHERE pm.side = 'mentor' AND pm.person_id = ?1 AND" TRAINED
	" ORDER BY me.since, e.id, p.id";
static const char sql_trainers[] =
	"SELECT pm.pairing_id, pm.side, pm.person_id, m.name, pm.since,"
	" COALESCE(pm.until_date, '')"
	" FROM pairing_members me JOIN pairings p ON p.id = me.pairing_id"
	" JOIN pairing_members pm ON pm.pairing_id = p.id AND pm.side = 'mentor'"
	" JOIN mentors m ON m.id = pm.person_id"
	" WHERE me.side = 'mentee' AND me.person_id = ?1 AND" TRAINED
	" ORDER BY pm.since, m.id";

static void read_trainee(struct store_stmt *st, struct db_life_trainee *t)
{
	memset(t, 0, sizeof *t);
	t->mentor_id = store_col_int(st, 0);
	t->mentee_id = store_col_int(st, 1);
	t->pairing_id = store_col_int(st, 2);
	DB_TEXT(st, 3, t->mentee_name);
	DB_TEXT(st, 4, t->status);
	DB_TEXT(st, 5, t->since);
	DB_TEXT(st, 6, t->until);
	t->graduate_id = store_col_int(st, 7);
	DB_TEXT(st, 8, t->graduate_name);
	DB_TEXT(st, 9, t->graduate_status);
}

enum err db_life_trainees(struct store_conn *c, int64_t mentor_id, db_row_fn fn, void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_trainees, &st);
	if (e)
		return e;
	store_bind_int(st, 1, mentor_id);
	struct db_life_trainee t;
	FOR_ROWS(st, t, read_trainee, fn, arg);
	return e;
}

enum err db_life_trainers(struct store_conn *c, int64_t mentee_id, db_row_fn fn, void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_trainers, &st);
	if (e)
		return e;
	store_bind_int(st, 1, mentee_id);
	struct db_life_member m;
	FOR_ROWS(st, m, read_member, fn, arg);
	return e;
}

/* ---- statistics ---------------------------------------------------------------------- */

/* ?1 lo ?2 hi ?3 from ?4 to */
#define PAIR_RANGE                                                                       \
	" FROM pairings p WHERE p.region_path >= ?1 AND p.region_path < ?2"              \
	" AND COALESCE(p.start_date, substr(p.created_at, 1, 10)) <= ?4"                 \
	" AND (p.end_date IS NULL OR p.end_date >= ?3)"
#define ACT_RANGE                                                                         \
	" FROM activities a WHERE a.region_path >= ?1 AND a.region_path < ?2"             \
	" AND a.date >= ?3 AND a.date <= ?4"
#define EVAL_RANGE                                                                        \
	" FROM evaluations v WHERE v.region_path >= ?1 AND v.region_path < ?2"            \
	" AND v.date >= ?3 AND v.date <= ?4"
#define LOG_RANGE                                                                         \
	" FROM work_logs l WHERE l.region_path >= ?1 AND l.region_path < ?2"              \
	" AND l.date >= ?3 AND l.date <= ?4"
#define ITEM_RANGE                                                                         \
	" FROM plan_items i JOIN plans pl ON pl.id = i.plan_id"                            \
	" WHERE pl.region_path >= ?1 AND pl.region_path < ?2"                              \
	" AND i.due_date >= ?3 AND i.due_date <= ?4"

#define GROUPED(key, range) "SELECT " key ", COUNT(*)" range " GROUP BY " key " ORDER BY " key

static const char *const sql_life_group[] = {
	[DB_LIFE_PAIRINGS_BY_MODE] = GROUPED("p.mode", PAIR_RANGE),
	[DB_LIFE_PAIRINGS_BY_STATUS] = GROUPED("p.status", PAIR_RANGE),
	[DB_LIFE_PAIRINGS_BY_ORIGIN] = GROUPED("p.origin", PAIR_RANGE),
	[DB_LIFE_ACTIVITIES_BY_TYPE] = GROUPED("a.type", ACT_RANGE),
	[DB_LIFE_ACTIVITIES_BY_MONTH] = GROUPED("substr(a.date, 1, 7)", ACT_RANGE),
	[DB_LIFE_TRAINED_BY_MONTH] = "SELECT substr(a.date, 1, 7), COALESCE(SUM(a.trained), 0)"
		ACT_RANGE " GROUP BY substr(a.date, 1, 7) ORDER BY substr(a.date, 1, 7)",
	[DB_LIFE_EVALS_BY_GRADE] = GROUPED("v.grade", EVAL_RANGE),
	[DB_LIFE_EVALS_BY_KIND] = GROUPED("v.kind", EVAL_RANGE),
};
_Static_assert(sizeof sql_life_group / sizeof sql_life_group[0] == DB_LIFE_GROUP__MAX,
	       "one statement per enum db_life_group value");

enum err db_life_count_group(struct store_conn *c, enum db_life_group g, const char *lo,
			     const char *hi, const char *from, const char *to,
			     enum err (*fn)(void *arg, const char *key, int64_t n), void *arg)
{
	if ((unsigned)g >= DB_LIFE_GROUP__MAX)
		return ERR_INVALID;
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_life_group[g], &st);
	if (e)
		return e;
	bind_range(st, lo, hi);
	store_bind_text(st, 3, from);
	store_bind_text(st, 4, to);
	bool row;
	while (!(e = store_step(st, &row)) && row)
		if ((e = fn(arg, store_col_text(st, 0), store_col_int(st, 1))))
			break;
	store_done(st);
	return e;
}

static const char sql_pairing_mix[] =
	"SELECT p.mode, p.status, p.origin, COUNT(*)" PAIR_RANGE
	" GROUP BY p.mode, p.status, p.origin";

enum err db_life_pairing_mix(struct store_conn *c, const char *lo, const char *hi,
			     const char *from, const char *to,
			     enum err (*fn)(void *arg, const char *const *keys, int64_t n),
			     void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_pairing_mix, &st);
	if (e)
		return e;
	bind_range(st, lo, hi);
	store_bind_text(st, 3, from);
	store_bind_text(st, 4, to);
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		const char *keys[3] = {store_col_text(st, 0), store_col_text(st, 1),
				       store_col_text(st, 2)};
		if ((e = fn(arg, keys, store_col_int(st, 3))))
			break;
	}
	store_done(st);
	return e;
}

static const char sql_life_totals[] =
	"SELECT (SELECT COUNT(*)" PAIR_RANGE "),"
	" (SELECT COUNT(*)" ACT_RANGE "),"
	" (SELECT COALESCE(SUM(a.trained), 0)" ACT_RANGE "),"
	" (SELECT COUNT(*)" EVAL_RANGE "),"
	" (SELECT COUNT(*)" LOG_RANGE "),"
	" (SELECT COUNT(*) FROM projects j WHERE j.region_path >= ?1 AND j.region_path < ?2),"
	" (SELECT COUNT(*) FROM plans pl WHERE pl.region_path >= ?1 AND pl.region_path < ?2),"
	" (SELECT COUNT(*)" ITEM_RANGE "),"
	" (SELECT COUNT(*)" ITEM_RANGE " AND i.status = 'done'),"
	" (SELECT COALESCE(AVG(v.score), 0)" EVAL_RANGE ")";

enum err db_life_totals(struct store_conn *c, const char *lo, const char *hi, const char *from,
			const char *to, struct db_life_totals *out)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_life_totals, &st);
	if (e)
		return e;
	bind_range(st, lo, hi);
	store_bind_text(st, 3, from);
	store_bind_text(st, 4, to);
	if ((e = db_one(st)))
		return e;
	memset(out, 0, sizeof *out);
	out->pairings = store_col_int(st, 0);
	out->activities = store_col_int(st, 1);
	out->trained = store_col_int(st, 2);
	out->evaluations = store_col_int(st, 3);
	out->logs = store_col_int(st, 4);
	out->projects = store_col_int(st, 5);
	out->plans = store_col_int(st, 6);
	out->plan_items = store_col_int(st, 7);
	out->plan_items_done = store_col_int(st, 8);
	out->avg_score = store_col_double(st, 9);
	store_done(st);
	return ERR_OK;
}

/* Each organisation's latest rating on or before ?3 (by date, then id):
 * the ratings with no later one, read as a set (a subquery per
 * organisation cost ~0.5 s for the nation's 72,000, docs/scale.md). */
static const char sql_three_star[] =
	"SELECT COALESCE(SUM(CASE WHEN s.stars >= 3 THEN 1 ELSE 0 END), 0), COUNT(*)"
	" FROM org_stars s JOIN organisations o ON o.id = s.org_id"
	" WHERE o.region_path >= ?1 AND o.region_path < ?2 AND s.rated_on <= ?3"
	" AND NOT EXISTS (SELECT 1 FROM org_stars n WHERE n.org_id = s.org_id"
	"  AND n.rated_on <= ?3 AND (n.rated_on > s.rated_on"
	"  OR (n.rated_on = s.rated_on AND n.id > s.id)))";

enum err db_life_three_star(struct store_conn *c, const char *lo, const char *hi,
			    const char *date, int64_t *three, int64_t *rated)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_three_star, &st);
	if (e)
		return e;
	bind_range(st, lo, hi);
	store_bind_text(st, 3, date);
	if ((e = db_one(st)))
		return e;
	*three = store_col_int(st, 0);
	*rated = store_col_int(st, 1);
	store_done(st);
	return ERR_OK;
}

static const char sql_first_rating[] =
	"SELECT COALESCE(MIN(s.rated_on), '') FROM org_stars s JOIN organisations o"
	" ON o.id = s.org_id WHERE o.region_path >= ?1 AND o.region_path < ?2";

enum err db_life_first_rating(struct store_conn *c, const char *lo, const char *hi, char *out)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_first_rating, &st);
	if (e)
		return e;
	bind_range(st, lo, hi);
	if ((e = db_one(st)))
		return e;
	snprintf(out, M_TIME, "%s", store_col_text(st, 0));
	store_done(st);
	return ERR_OK;
}
