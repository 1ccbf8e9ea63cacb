/*
 * db_mentor_org.c — mentor organisations (帮带党组织: strong party
 * organisations and enterprises that mentor weak ones) in the database.
 * Layer: store. Fixed statements only; sorting picks a variant. It does
 * not validate (the service does): a bad `kind` fails the table's CHECK
 * and comes back as ERR_CONFLICT.
 */
#include <string.h>

#include "store/db_util.h"

#define MORG_COLS                                                                   \
	"o.id, o.name, o.kind, o.region_id, o.region_path, o.capacity, o.domains,"  \
	" o.description, o.created_at, o.updated_at, r.code, r.name"
#define MORG_FROM " FROM mentor_orgs o JOIN regions r ON r.id = o.region_id"

/* ?1 lo, ?2 hi, ?3 like, ?4 kind, ?5 tag */
#define MORG_WHERE                                                              \
	" WHERE o.region_path >= ?1 AND o.region_path < ?2"                     \
	" AND (CAST(?3 AS TEXT) IS NULL OR o.search_key LIKE ?3 ESCAPE '\\')"    \
	" AND (CAST(?4 AS TEXT) IS NULL OR o.kind = ?4)"                        \
	" AND (CAST(?5 AS TEXT) IS NULL OR o.domains LIKE ?5)"

#define MORG_LIST(order) \
	"SELECT " MORG_COLS MORG_FROM MORG_WHERE " ORDER BY " order " LIMIT ?6 OFFSET ?7"

/* Sort 0 id, 1 name; each ascending then descending. */
static const char *const sql_list[] = {
	MORG_LIST("o.id"), MORG_LIST("o.id DESC"),
	MORG_LIST("o.name, o.id"), MORG_LIST("o.name DESC, o.id DESC"),
};
static const char sql_count[] = "SELECT COUNT(*) FROM mentor_orgs o" MORG_WHERE;
static const char sql_get[] = "SELECT " MORG_COLS MORG_FROM " WHERE o.id = ?1";

static const char sql_insert[] =
	"INSERT INTO mentor_orgs (name, kind, region_id, region_path, capacity, domains,"
	" description, search_key, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) RETURNING id";

static const char sql_update[] =
	"UPDATE mentor_orgs SET name = ?1, kind = ?2, region_id = ?3, region_path = ?4,"
	" capacity = ?5, domains = ?6, description = ?7, search_key = ?8, updated_at = ?9"
	" WHERE id = ?10";

static void read_morg(struct store_stmt *st, void *row)
{
	struct mentor_org *o = row;

	memset(o, 0, sizeof *o);
	o->id = store_col_int(st, 0);
	DB_TEXT(st, 1, o->name);
	DB_TEXT(st, 2, o->kind);
	o->region_id = store_col_int(st, 3);
	DB_TEXT(st, 4, o->region_path);
	o->capacity = (int)store_col_int(st, 5);
	DB_TEXT(st, 6, o->domains);
	DB_TEXT(st, 7, o->description);
	DB_TEXT(st, 8, o->created_at);
	DB_TEXT(st, 9, o->updated_at);
	DB_TEXT(st, 10, o->region_code);
	DB_TEXT(st, 11, o->region_name);
}

/* Bind the fields shared by insert and update as ?1..?9. */
static void bind_fields(struct store_stmt *st, const struct mentor_org *o,
			const char *search_key, const char *now)
{
	store_bind_text(st, 1, o->name);
	store_bind_text(st, 2, o->kind);
	store_bind_int(st, 3, o->region_id);
	store_bind_text(st, 4, o->region_path);
	store_bind_int(st, 5, o->capacity);
	store_bind_text(st, 6, o->domains);
	store_bind_text(st, 7, o->description);
	store_bind_text(st, 8, search_key);
	store_bind_text(st, 9, now);
}

enum err db_mentor_org_insert(struct store_conn *c, struct mentor_org *o, const char *search_key,
			      const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_insert, &st);
	if (e)
		return e;
	bind_fields(st, o, search_key, now);
	if ((e = db_one(st)))
		return e;
	o->id = store_col_int(st, 0);
	store_done(st);
	return ERR_OK;
}

enum err db_mentor_org_update(struct store_conn *c, const struct mentor_org *o,
			      const char *search_key, const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_update, &st);
	if (e)
		return e;
	bind_fields(st, o, search_key, now);
	store_bind_int(st, 10, o->id);
	return store_run(st);
}

enum err db_mentor_org_get(struct store_conn *c, int64_t id, struct mentor_org *out)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_get, &st);
	if (e)
		return e;
	store_bind_int(st, 1, id);
	if ((e = db_one(st)))
		return e;
	read_morg(st, out);
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
	db_bind_tag(st, 5, q->domain);
}

enum err db_mentor_org_list(struct store_conn *c, const struct list_query *q, db_row_fn fn,
			    void *arg, int64_t *total)
{
	struct mentor_org row;
	const struct db_page p = {
		.count_sql = sql_count,
		.list_sql = db_variant(sql_list, DB_NVARIANTS(sql_list), q->sort, q->desc),
		.nwhere = 5,
		.bind = bind_where,
		.q = q,
		.limit = q->limit,
		.offset = q->offset,
		.read = read_morg,
		.row = &row,
	};
	return db_list_page(c, &p, fn, arg, total);
}
