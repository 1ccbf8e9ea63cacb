/*
 * db_region.c — the region tree and the vocabularies in the database.
 * Layer: store.
 */
#include <string.h>

#include "store/db_util.h"

#define REGION_COLS                                                                    \
	"r.id, r.code, r.name, r.level, r.parent_id, r.path, r.lat, r.lon, r.created_at," \
	" r.updated_at, p.code"
#define REGION_FROM " FROM regions r LEFT JOIN regions p ON p.id = r.parent_id"
/* ?1 lo ?2 hi ?3 like ?4 level ?5 parent */
#define REGION_WHERE                                                              \
	" WHERE r.path >= ?1 AND r.path < ?2"                                      \
	" AND (CAST(?3 AS TEXT) IS NULL OR r.search_key LIKE ?3 ESCAPE '\\')"       \
	" AND (CAST(?4 AS INTEGER) IS NULL OR r.level = ?4)"                       \
	" AND (CAST(?5 AS BIGINT) IS NULL OR r.parent_id = ?5)"
#define REGION_LIST(order) \
	"SELECT " REGION_COLS REGION_FROM REGION_WHERE " ORDER BY " order " LIMIT ?6 OFFSET ?7"

static const char *const sql_list[] = {
	REGION_LIST("r.path"), REGION_LIST("r.path DESC"),
	REGION_LIST("r.name, r.id"), REGION_LIST("r.name DESC, r.id DESC"),
	REGION_LIST("r.code"), REGION_LIST("r.code DESC"),
};
static const char sql_count[] = "SELECT COUNT(*) FROM regions r" REGION_WHERE;
static const char sql_get[] = "SELECT " REGION_COLS REGION_FROM " WHERE r.id = ?1";
static const char sql_get_code[] = "SELECT " REGION_COLS REGION_FROM " WHERE r.code = ?1";
static const char sql_insert[] =
	"INSERT INTO regions (code, name, level, parent_id, path, lat, lon, search_key,"
	" created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) RETURNING id";
static const char sql_update[] =
	"UPDATE regions SET name = ?1, lat = ?2, lon = ?3, search_key = ?4, updated_at = ?5"
	" WHERE id = ?6";

static void read_region(struct store_stmt *st, void *row)
{
	struct region *r = row;

	memset(r, 0, sizeof *r);
	r->id = store_col_int(st, 0);
	DB_TEXT(st, 1, r->code);
	DB_TEXT(st, 2, r->name);
	r->level = (int)store_col_int(st, 3);
	r->parent_id = store_col_int(st, 4);
	DB_TEXT(st, 5, r->path);
	r->has_coords = !store_col_null(st, 6);
	r->lat = store_col_double(st, 6);
	r->lon = store_col_double(st, 7);
	DB_TEXT(st, 8, r->created_at);
	DB_TEXT(st, 9, r->updated_at);
	DB_TEXT(st, 10, r->parent_code);
}

static void bind_coords(struct store_stmt *st, int i, const struct region *r)
{
	if (r->has_coords) {
		store_bind_double(st, i, r->lat);
		store_bind_double(st, i + 1, r->lon);
	} else {
		store_bind_null(st, i);
		store_bind_null(st, i + 1);
	}
}

enum err db_region_insert(struct store_conn *c, struct region *r, const char *search_key,
			  const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_insert, &st);
	if (e)
		return e;
	store_bind_text(st, 1, r->code);
	store_bind_text(st, 2, r->name);
	store_bind_int(st, 3, r->level);
	if (r->parent_id)
		store_bind_int(st, 4, r->parent_id);
	else
		store_bind_null(st, 4);
	store_bind_text(st, 5, r->path);
	bind_coords(st, 6, r);
	store_bind_text(st, 8, search_key);
	store_bind_text(st, 9, now);
	if ((e = db_one(st)))
		return e;
	r->id = store_col_int(st, 0);
	store_done(st);
	return ERR_OK;
}

enum err db_region_update(struct store_conn *c, const struct region *r, const char *search_key,
			  const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_update, &st);
	if (e)
		return e;
	store_bind_text(st, 1, r->name);
	bind_coords(st, 2, r);
	store_bind_text(st, 4, search_key);
	store_bind_text(st, 5, now);
	store_bind_int(st, 6, r->id);
	return store_run(st);
}

static enum err get_one(struct store_conn *c, const char *sql, int64_t id, const char *code,
			struct region *out)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql, &st);
	if (e)
		return e;
	if (code)
		store_bind_text(st, 1, code);
	else
		store_bind_int(st, 1, id);
	if ((e = db_one(st)))
		return e;
	read_region(st, out);
	store_done(st);
	return ERR_OK;
}

enum err db_region_get(struct store_conn *c, int64_t id, struct region *out)
{
	return get_one(c, sql_get, id, NULL, out);
}

enum err db_region_get_by_code(struct store_conn *c, const char *code, struct region *out)
{
	return get_one(c, sql_get_code, 0, code, out);
}

static void bind_where(struct store_stmt *st, const void *arg)
{
	const struct list_query *q = arg;

	store_bind_text(st, 1, q->root_lo);
	store_bind_text(st, 2, q->root_hi);
	db_bind_like(st, 3, q->q);
	if (q->level)
		store_bind_int(st, 4, q->level);
	else
		store_bind_null(st, 4);
	if (q->parent_id)
		store_bind_int(st, 5, q->parent_id);
	else
		store_bind_null(st, 5);
}

enum err db_region_list(struct store_conn *c, const struct list_query *q, db_row_fn fn,
			void *arg, int64_t *total)
{
	struct region row;
	const struct db_page p = {
		.count_sql = sql_count,
		.list_sql = db_variant(sql_list, DB_NVARIANTS(sql_list), q->sort, q->desc),
		.nwhere = 5,
		.bind = bind_where,
		.q = q,
		.limit = q->limit,
		.offset = q->offset,
		.read = read_region,
		.row = &row,
	};
	return db_list_page(c, &p, fn, arg, total);
}

/* --- vocabularies --- */

static const char sql_vocab_insert[] =
	"INSERT INTO vocab (kind, code, name, sort) VALUES (?1, ?2, ?3, ?4) RETURNING id";
static const char sql_vocab_update[] =
	"UPDATE vocab SET name = ?1, sort = ?2 WHERE kind = ?3 AND code = ?4";
static const char sql_vocab_list[] =
	"SELECT id, kind, code, name, sort FROM vocab"
	" WHERE (CAST(?1 AS TEXT) IS NULL OR kind = ?1) ORDER BY kind, sort, code";
static const char sql_vocab_exists[] = "SELECT COUNT(*) FROM vocab WHERE kind = ?1 AND code = ?2";

enum err db_vocab_insert(struct store_conn *c, struct vocab *v)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_vocab_insert, &st);
	if (e)
		return e;
	store_bind_text(st, 1, v->kind);
	store_bind_text(st, 2, v->code);
	store_bind_text(st, 3, v->name);
	store_bind_int(st, 4, v->sort);
	if ((e = db_one(st)))
		return e;
	v->id = store_col_int(st, 0);
	store_done(st);
	return ERR_OK;
}

enum err db_vocab_update(struct store_conn *c, const struct vocab *v)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_vocab_update, &st);
	if (e)
		return e;
	store_bind_text(st, 1, v->name);
	store_bind_int(st, 2, v->sort);
	store_bind_text(st, 3, v->kind);
	store_bind_text(st, 4, v->code);
	return store_run(st);
}

enum err db_vocab_list(struct store_conn *c, const char *kind, db_row_fn fn, void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_vocab_list, &st);
	if (e)
		return e;
	db_bind_opt(st, 1, kind);
	bool row;
	struct vocab v;
	while (!(e = store_step(st, &row)) && row) {
		memset(&v, 0, sizeof v);
		v.id = store_col_int(st, 0);
		DB_TEXT(st, 1, v.kind);
		DB_TEXT(st, 2, v.code);
		DB_TEXT(st, 3, v.name);
		v.sort = (int)store_col_int(st, 4);
		if ((e = fn(arg, &v)))
			break;
	}
	store_done(st);
	return e;
}

enum err db_vocab_exists(struct store_conn *c, const char *kind, const char *code, bool *out)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_vocab_exists, &st);
	if (e)
		return e;
	store_bind_text(st, 1, kind);
	store_bind_text(st, 2, code);
	int64_t n = 0;
	e = db_count(st, &n);
	*out = n > 0;
	return e;
}

/* --- counters --- */

static const char sql_counter_upsert[] =
	"INSERT INTO counters (name, value) VALUES (?1, 1)"
	" ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value";

enum err db_counter_next(struct store_conn *c, const char *name, int64_t *out)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_counter_upsert, &st);
	if (e)
		return e;
	store_bind_text(st, 1, name);
	if ((e = db_one(st)))
		return e;
	*out = store_col_int(st, 0);
	store_done(st);
	return ERR_OK;
}
