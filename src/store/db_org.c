/*
 * db_org.c — organisations (village and community party organisations,
 * the organisation mentees) and their star-rating history in the
 * database. Layer: store. Fixed statements only; sorting picks a variant.
 *
 * `organisations.stars` is a cache of the newest rating in org_stars: it
 * is set on insert (the starting rating) and afterwards only by
 * db_org_star_add, never by db_org_update.
 */
#include <string.h>

#include "store/db_util.h"

#define ORG_COLS                                                                      \
	"o.id, o.name, o.region_id, o.region_path, o.stars, o.weak_lax, o.lagging,"   \
	" o.demonstration, o.weak_economy, o.was_weak_lax, o.was_lagging, o.version," \
	" o.created_at, o.updated_at, r.code, r.name"
#define ORG_FROM " FROM organisations o JOIN regions r ON r.id = o.region_id"

/* ?1 lo, ?2 hi, ?3 like, ?4 flag (0 any, 1 weak_lax, 2 lagging,
 * 3 demonstration, 4 weak_economy) */
#define ORG_WHERE                                                                 \
	" WHERE o.region_path >= ?1 AND o.region_path < ?2"                       \
	" AND (CAST(?3 AS TEXT) IS NULL OR o.search_key LIKE ?3 ESCAPE '\\')"      \
	" AND (?4 = 0 OR (?4 = 1 AND o.weak_lax = 1) OR (?4 = 2 AND o.lagging = 1)" \
	" OR (?4 = 3 AND o.demonstration = 1) OR (?4 = 4 AND o.weak_economy = 1))"

#define ORG_LIST(order) \
	"SELECT " ORG_COLS ORG_FROM ORG_WHERE " ORDER BY " order " LIMIT ?5 OFFSET ?6"

/* Sort 0 id, 1 name, 2 stars; each ascending then descending. */
static const char *const sql_list[] = {
	ORG_LIST("o.id"), ORG_LIST("o.id DESC"),
	ORG_LIST("o.name, o.id"), ORG_LIST("o.name DESC, o.id DESC"),
	ORG_LIST("o.stars, o.id"), ORG_LIST("o.stars DESC, o.id DESC"),
};
static const char sql_count[] = "SELECT COUNT(*) FROM organisations o" ORG_WHERE;
static const char sql_get[] = "SELECT " ORG_COLS ORG_FROM " WHERE o.id = ?1";

/* A zero `stars` binds NULL: the starting rating defaults to 3. */
static const char sql_insert[] =
	"INSERT INTO organisations (name, region_id, region_path, weak_lax, lagging,"
	" demonstration, weak_economy, was_weak_lax, was_lagging, search_key, stars, version,"
	" created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, COALESCE(?11, 3), 1, ?12, ?12)"
	" RETURNING id";

static const char sql_update[] =
	"UPDATE organisations SET name = ?1, region_id = ?2, region_path = ?3, weak_lax = ?4,"
	" lagging = ?5, demonstration = ?6, weak_economy = ?7, was_weak_lax = ?8,"
	" was_lagging = ?9, search_key = ?10, updated_at = ?11, version = version + 1"
	" WHERE id = ?12";

static const char sql_star_insert[] =
	"INSERT INTO org_stars (org_id, stars, rated_on, note, user_id, at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
/* The new rating becomes current unless a later-dated one exists (a
 * rating entered late for an earlier date only joins the history). */
static const char sql_star_current[] =
	"UPDATE organisations SET stars = ?1, updated_at = ?2, version = version + 1"
	" WHERE id = ?3 AND NOT EXISTS (SELECT 1 FROM org_stars s"
	" WHERE s.org_id = ?3 AND s.rated_on > ?4)";
static const char sql_stars[] =
	"SELECT id, org_id, stars, rated_on, note, user_id, at FROM org_stars"
	" WHERE org_id = ?1 ORDER BY rated_on, id";

static void read_org(struct store_stmt *st, void *row)
{
	struct organisation *o = row;

	memset(o, 0, sizeof *o);
	o->id = store_col_int(st, 0);
	DB_TEXT(st, 1, o->name);
	o->region_id = store_col_int(st, 2);
	DB_TEXT(st, 3, o->region_path);
	o->stars = (int)store_col_int(st, 4);
	o->weak_lax = store_col_int(st, 5) != 0;
	o->lagging = store_col_int(st, 6) != 0;
	o->demonstration = store_col_int(st, 7) != 0;
	o->weak_economy = store_col_int(st, 8) != 0;
	o->was_weak_lax = store_col_int(st, 9) != 0;
	o->was_lagging = store_col_int(st, 10) != 0;
	o->version = (int)store_col_int(st, 11);
	DB_TEXT(st, 12, o->created_at);
	DB_TEXT(st, 13, o->updated_at);
	DB_TEXT(st, 14, o->region_code);
	DB_TEXT(st, 15, o->region_name);
}

/* Bind the fields shared by insert and update as ?1..?10. */
static void bind_fields(struct store_stmt *st, const struct organisation *o,
			const char *search_key)
{
	store_bind_text(st, 1, o->name);
	store_bind_int(st, 2, o->region_id);
	store_bind_text(st, 3, o->region_path);
	store_bind_int(st, 4, o->weak_lax ? 1 : 0);
	store_bind_int(st, 5, o->lagging ? 1 : 0);
	store_bind_int(st, 6, o->demonstration ? 1 : 0);
	store_bind_int(st, 7, o->weak_economy ? 1 : 0);
	store_bind_int(st, 8, o->was_weak_lax ? 1 : 0);
	store_bind_int(st, 9, o->was_lagging ? 1 : 0);
	store_bind_text(st, 10, search_key);
}

enum err db_org_insert(struct store_conn *c, struct organisation *o, const char *search_key,
		       const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_insert, &st);
	if (e)
		return e;
	bind_fields(st, o, search_key);
	if (o->stars)
		store_bind_int(st, 11, o->stars);
	else
		store_bind_null(st, 11);
	store_bind_text(st, 12, now);
	if ((e = db_one(st)))
		return e;
	o->id = store_col_int(st, 0);
	store_done(st);
	return ERR_OK;
}

/* Updates the editable fields (not stars: see db_org_star_add) and bumps
 * version. */
enum err db_org_update(struct store_conn *c, const struct organisation *o, const char *search_key,
		       const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_update, &st);
	if (e)
		return e;
	bind_fields(st, o, search_key);
	store_bind_text(st, 11, now);
	store_bind_int(st, 12, o->id);
	return store_run(st);
}

enum err db_org_get(struct store_conn *c, int64_t id, struct organisation *out)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_get, &st);
	if (e)
		return e;
	store_bind_int(st, 1, id);
	if ((e = db_one(st)))
		return e;
	read_org(st, out);
	store_done(st);
	return ERR_OK;
}

static void bind_where(struct store_stmt *st, const void *arg)
{
	const struct list_query *q = arg;

	store_bind_text(st, 1, q->root_lo);
	store_bind_text(st, 2, q->root_hi);
	db_bind_like(st, 3, q->q);
	store_bind_int(st, 4, q->flag);
}

enum err db_org_list(struct store_conn *c, const struct list_query *q, db_row_fn fn, void *arg,
		     int64_t *total)
{
	struct organisation row;
	const struct db_page p = {
		.count_sql = sql_count,
		.list_sql = db_variant(sql_list, DB_NVARIANTS(sql_list), q->sort, q->desc),
		.nwhere = 4,
		.bind = bind_where,
		.q = q,
		.limit = q->limit,
		.offset = q->offset,
		.read = read_org,
		.row = &row,
	};
	return db_list_page(c, &p, fn, arg, total);
}

static enum err star_add_tx(struct store_conn *c, void *arg)
{
	struct org_star *s = arg;
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_star_insert, &st);
	if (e)
		return e;
	store_bind_int(st, 1, s->org_id);
	store_bind_int(st, 2, s->stars);
	store_bind_text(st, 3, s->rated_on);
	store_bind_text(st, 4, s->note);
	if (s->user_id)
		store_bind_int(st, 5, s->user_id);
	else
		store_bind_null(st, 5);
	store_bind_text(st, 6, s->at);
	if ((e = db_one(st)))
		return e;
	s->id = store_col_int(st, 0);
	store_done(st);

	if ((e = store_prepare(c, sql_star_current, &st)))
		return e;
	store_bind_int(st, 1, s->stars);
	store_bind_text(st, 2, s->at);
	store_bind_int(st, 3, s->org_id);
	store_bind_text(st, 4, s->rated_on);
	return store_run(st);
}

/*
 * Record a rating and make it the organisation's current stars when no
 * later-dated rating exists (on equal dates the newest entry wins). Both
 * statements run in one transaction: the caller's store_tx if there is
 * one, otherwise their own. Fills s->id. An unknown org_id or stars
 * outside 1..5 is ERR_CONFLICT.
 */
enum err db_org_star_add(struct store_conn *c, struct org_star *s)
{
	return store_tx(c, star_add_tx, s);
}

enum err db_org_stars(struct store_conn *c, int64_t org_id, db_row_fn fn, void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_stars, &st);
	if (e)
		return e;
	store_bind_int(st, 1, org_id);
	bool row;
	struct org_star s;
	while (!(e = store_step(st, &row)) && row) {
		memset(&s, 0, sizeof s);
		s.id = store_col_int(st, 0);
		s.org_id = store_col_int(st, 1);
		s.stars = (int)store_col_int(st, 2);
		DB_TEXT(st, 3, s.rated_on);
		DB_TEXT(st, 4, s.note);
		s.user_id = store_col_int(st, 5);
		DB_TEXT(st, 6, s.at);
		if ((e = fn(arg, &s)))
			break;
	}
	store_done(st);
	return e;
}
