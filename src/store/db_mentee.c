/*
 * db_mentee.c — mentees (帮带对象: people and organisations to be
 * mentored) in the database. Layer: store. Fixed statements only;
 * sorting picks a variant. `weaknesses` is a ",a,b," tag list like a
 * mentor's domains, so the domain filter is one LIKE.
 */
#include <string.h>

#include "store/db_util.h"

#define MENTEE_COLS                                                                    \
	"e.id, e.kind, e.name, e.gender, e.phone, e.id_number, e.birth_year,"          \
	" e.region_id, e.region_path, e.org_id, e.category, e.post, e.talent_team,"    \
	" e.weaknesses, e.status, e.version, e.created_at, e.updated_at, r.code, r.name"
#define MENTEE_FROM " FROM mentees e JOIN regions r ON r.id = e.region_id"

/* ?1 lo, ?2 hi, ?3 like, ?4 kind, ?5 category, ?6 tag, ?7 status, ?8 only id */
#define MENTEE_WHERE                                                              \
	" WHERE e.region_path >= ?1 AND e.region_path < ?2"                       \
	" AND (CAST(?3 AS TEXT) IS NULL OR e.search_key LIKE ?3 ESCAPE '\\')"      \
	" AND (CAST(?4 AS TEXT) IS NULL OR e.kind = ?4)"                          \
	" AND (CAST(?5 AS TEXT) IS NULL OR e.category = ?5)"                      \
	" AND (CAST(?6 AS TEXT) IS NULL OR e.weaknesses LIKE ?6)"                 \
	" AND (CAST(?7 AS TEXT) IS NULL OR e.status = ?7)"                        \
	" AND (CAST(?8 AS BIGINT) IS NULL OR e.id = ?8)"

#define MENTEE_LIST(order) \
	"SELECT " MENTEE_COLS MENTEE_FROM MENTEE_WHERE " ORDER BY " order " LIMIT ?9 OFFSET ?10"

/* Sort 0 id, 1 name, 2 created_at; each ascending then descending. */
static const char *const sql_list[] = {
	MENTEE_LIST("e.id"), MENTEE_LIST("e.id DESC"),
	MENTEE_LIST("e.name, e.id"), MENTEE_LIST("e.name DESC, e.id DESC"),
	MENTEE_LIST("e.created_at, e.id"), MENTEE_LIST("e.created_at DESC, e.id DESC"),
};
static const char sql_count[] = "SELECT COUNT(*) FROM mentees e" MENTEE_WHERE;
static const char sql_get[] = "SELECT " MENTEE_COLS MENTEE_FROM " WHERE e.id = ?1";

/* An empty status binds NULL: a new mentee is 'active'. */
static const char sql_insert[] =
	"INSERT INTO mentees (kind, name, gender, phone, id_number, birth_year, region_id,"
	" region_path, org_id, category, post, talent_team, weaknesses, status, search_key,"
	" version, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, COALESCE(?14, 'active'),"
	" ?15, 1, ?16, ?16) RETURNING id";

/* An empty status binds NULL: the status is kept. */
static const char sql_update[] =
	"UPDATE mentees SET kind = ?1, name = ?2, gender = ?3, phone = ?4, id_number = ?5,"
	" birth_year = ?6, region_id = ?7, region_path = ?8, org_id = ?9, category = ?10,"
	" post = ?11, talent_team = ?12, weaknesses = ?13, status = COALESCE(?14, status),"
	" search_key = ?15, updated_at = ?16, version = version + 1 WHERE id = ?17";

static void read_mentee(struct store_stmt *st, void *row)
{
	struct mentee *m = row;

	memset(m, 0, sizeof *m);
	m->id = store_col_int(st, 0);
	DB_TEXT(st, 1, m->kind);
	DB_TEXT(st, 2, m->name);
	DB_TEXT(st, 3, m->gender);
	DB_TEXT(st, 4, m->phone);
	DB_TEXT(st, 5, m->id_number);
	m->birth_year = (int)store_col_int(st, 6);
	m->region_id = store_col_int(st, 7);
	DB_TEXT(st, 8, m->region_path);
	m->org_id = store_col_int(st, 9);
	DB_TEXT(st, 10, m->category);
	DB_TEXT(st, 11, m->post);
	DB_TEXT(st, 12, m->talent_team);
	DB_TEXT(st, 13, m->weaknesses);
	DB_TEXT(st, 14, m->status);
	m->version = (int)store_col_int(st, 15);
	DB_TEXT(st, 16, m->created_at);
	DB_TEXT(st, 17, m->updated_at);
	DB_TEXT(st, 18, m->region_code);
	DB_TEXT(st, 19, m->region_name);
}

/* Bind the fields shared by insert and update as ?1..?16. Empty phone and
 * ID number bind NULL, so the unique indexes ignore them. */
static void bind_fields(struct store_stmt *st, const struct mentee *m, const char *search_key,
			const char *now)
{
	store_bind_text(st, 1, m->kind);
	store_bind_text(st, 2, m->name);
	store_bind_text(st, 3, m->gender);
	db_bind_opt(st, 4, m->phone);
	db_bind_opt(st, 5, m->id_number);
	if (m->birth_year)
		store_bind_int(st, 6, m->birth_year);
	else
		store_bind_null(st, 6);
	store_bind_int(st, 7, m->region_id);
	store_bind_text(st, 8, m->region_path);
	if (m->org_id)
		store_bind_int(st, 9, m->org_id);
	else
		store_bind_null(st, 9);
	store_bind_text(st, 10, m->category);
	store_bind_text(st, 11, m->post);
	store_bind_text(st, 12, m->talent_team);
	store_bind_text(st, 13, m->weaknesses);
	db_bind_opt(st, 14, m->status);
	store_bind_text(st, 15, search_key);
	store_bind_text(st, 16, now);
}

enum err db_mentee_insert(struct store_conn *c, struct mentee *m, const char *search_key,
			  const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_insert, &st);
	if (e)
		return e;
	bind_fields(st, m, search_key, now);
	if ((e = db_one(st)))
		return e;
	m->id = store_col_int(st, 0);
	store_done(st);
	return ERR_OK;
}

/* Updates every field (an empty status keeps the stored one) and bumps
 * version. */
enum err db_mentee_update(struct store_conn *c, const struct mentee *m, const char *search_key,
			  const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_update, &st);
	if (e)
		return e;
	bind_fields(st, m, search_key, now);
	store_bind_int(st, 17, m->id);
	return store_run(st);
}

enum err db_mentee_get(struct store_conn *c, int64_t id, struct mentee *out)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_get, &st);
	if (e)
		return e;
	store_bind_int(st, 1, id);
	if ((e = db_one(st)))
		return e;
	read_mentee(st, out);
	store_done(st);
	return ERR_OK;
}

static void bind_where(struct store_stmt *st, const void *arg)
{
	const struct list_query *q = arg;

	store_bind_text(st, 1, q->root_lo);
	store_bind_text(st, 2, q->root_hi);
	db_bind_like(st, 3, q->q);
	db_bind_opt(st, 4, q->kind);
	db_bind_opt(st, 5, q->category);
	db_bind_tag(st, 6, q->domain);
	db_bind_opt(st, 7, q->status);
	if (q->only_id)
		store_bind_int(st, 8, q->only_id);
	else
		store_bind_null(st, 8);
}

enum err db_mentee_list(struct store_conn *c, const struct list_query *q, db_row_fn fn, void *arg,
			int64_t *total)
{
	struct mentee row;
	const struct db_page p = {
		.count_sql = sql_count,
		.list_sql = db_variant(sql_list, DB_NVARIANTS(sql_list), q->sort, q->desc),
		.nwhere = 8,
		.bind = bind_where,
		.q = q,
		.limit = q->limit,
		.offset = q->offset,
		.read = read_mentee,
		.row = &row,
	};
	return db_list_page(c, &p, fn, arg, total);
}
