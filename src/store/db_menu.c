/*
 * db_menu.c — menus (菜单: a county's published list of its best mentors,
 * from which mentees choose) and their ordered items in the database.
 * Layer: store. Fixed statements only; sorting picks a variant. A menu's
 * items are mentor rows, read with the mentor column list of
 * db_mentor_cols.h and db_read_mentor, so they look exactly like
 * db_mentor_get's.
 */
#include <string.h>

#include "store/db_mentor_cols.h"
#include "store/db_util.h"

#define MENU_COLS                                                                  \
	"m.id, m.region_id, m.region_path, m.name, m.year, m.published,"           \
	" (SELECT COUNT(*) FROM menu_items i WHERE i.menu_id = m.id),"             \
	" m.created_at, m.updated_at, r.code, r.name"
#define MENU_FROM " FROM menus m JOIN regions r ON r.id = m.region_id"

/* ?1 lo, ?2 hi */
#define MENU_WHERE " WHERE m.region_path >= ?1 AND m.region_path < ?2"

#define MENU_LIST(order) \
	"SELECT " MENU_COLS MENU_FROM MENU_WHERE " ORDER BY " order " LIMIT ?3 OFFSET ?4"

/* Sort 0 id, 1 year; each ascending then descending. */
static const char *const sql_list[] = {
	MENU_LIST("m.id"), MENU_LIST("m.id DESC"),
	MENU_LIST("m.year, m.id"), MENU_LIST("m.year DESC, m.id DESC"),
};
static const char sql_count[] = "SELECT COUNT(*) FROM menus m" MENU_WHERE;
static const char sql_get[] = "SELECT " MENU_COLS MENU_FROM " WHERE m.id = ?1";

static const char sql_insert[] =
	"INSERT INTO menus (region_id, region_path, name, year, published, created_at,"
	" updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) RETURNING id";
static const char sql_update[] =
	"UPDATE menus SET region_id = ?1, region_path = ?2, name = ?3, year = ?4,"
	" published = ?5, updated_at = ?6 WHERE id = ?7";

static const char sql_items_clear[] = "DELETE FROM menu_items WHERE menu_id = ?1";
static const char sql_item_insert[] =
	"INSERT INTO menu_items (menu_id, mentor_id, sort) VALUES (?1, ?2, ?3)";
static const char sql_items[] =
	"SELECT " MENTOR_COLS MENTOR_FROM " JOIN menu_items i ON i.mentor_id = m.id"
	" WHERE i.menu_id = ?1 ORDER BY i.sort, m.id";

static void read_menu(struct store_stmt *st, void *row)
{
	struct menu *m = row;

	memset(m, 0, sizeof *m);
	m->id = store_col_int(st, 0);
	m->region_id = store_col_int(st, 1);
	DB_TEXT(st, 2, m->region_path);
	DB_TEXT(st, 3, m->name);
	m->year = (int)store_col_int(st, 4);
	m->published = store_col_int(st, 5) != 0;
	m->nitems = (int)store_col_int(st, 6);
	DB_TEXT(st, 7, m->created_at);
	DB_TEXT(st, 8, m->updated_at);
	DB_TEXT(st, 9, m->region_code);
	DB_TEXT(st, 10, m->region_name);
}

/* Bind the fields shared by insert and update as ?1..?6. */
static void bind_fields(struct store_stmt *st, const struct menu *m, const char *now)
{
	store_bind_int(st, 1, m->region_id);
	store_bind_text(st, 2, m->region_path);
	store_bind_text(st, 3, m->name);
	store_bind_int(st, 4, m->year);
	store_bind_int(st, 5, m->published ? 1 : 0);
	store_bind_text(st, 6, now);
}

enum err db_menu_insert(struct store_conn *c, struct menu *m, const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_insert, &st);
	if (e)
		return e;
	bind_fields(st, m, now);
	if ((e = db_one(st)))
		return e;
	m->id = store_col_int(st, 0);
	store_done(st);
	return ERR_OK;
}

enum err db_menu_update(struct store_conn *c, const struct menu *m, const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_update, &st);
	if (e)
		return e;
	bind_fields(st, m, now);
	store_bind_int(st, 7, m->id);
	return store_run(st);
}

enum err db_menu_get(struct store_conn *c, int64_t id, struct menu *out)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_get, &st);
	if (e)
		return e;
	store_bind_int(st, 1, id);
	if ((e = db_one(st)))
		return e;
	read_menu(st, out);
	store_done(st);
	return ERR_OK;
}

static void bind_where(struct store_stmt *st, const void *arg)
{
	const struct list_query *q = arg;

	store_bind_text(st, 1, q->root_lo);
	store_bind_text(st, 2, q->root_hi);
}

enum err db_menu_list(struct store_conn *c, const struct list_query *q, db_row_fn fn, void *arg,
		      int64_t *total)
{
	struct menu row;
	const struct db_page p = {
		.count_sql = sql_count,
		.list_sql = db_variant(sql_list, DB_NVARIANTS(sql_list), q->sort, q->desc),
		.nwhere = 2,
		.bind = bind_where,
		.q = q,
		.limit = q->limit,
		.offset = q->offset,
		.read = read_menu,
		.row = &row,
	};
	return db_list_page(c, &p, fn, arg, total);
}

struct set_items {
	int64_t menu_id;
	const int64_t *ids;
	int n;
};

static enum err set_items_tx(struct store_conn *c, void *arg)
{
	const struct set_items *a = arg;
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_items_clear, &st);
	if (e)
		return e;
	store_bind_int(st, 1, a->menu_id);
	if ((e = store_run(st)))
		return e;
	if ((e = store_prepare(c, sql_item_insert, &st)))
		return e;
	for (int i = 0; i < a->n; i++) {
		store_bind_int(st, 1, a->menu_id);
		store_bind_int(st, 2, a->ids[i]);
		store_bind_int(st, 3, i);
		/* store_run resets the statement, so it is ready for the next id. */
		if ((e = store_run(st)))
			return e;
	}
	return ERR_OK;
}

/*
 * The delete and the inserts succeed or fail together: inside the
 * caller's store_tx they join it, otherwise they get their own. A
 * repeated id or an unknown mentor is ERR_CONFLICT (and nothing changes).
 */
enum err db_menu_set_items(struct store_conn *c, int64_t menu_id, const int64_t *ids, int n)
{
	if (n < 0 || (n > 0 && !ids))
		return ERR_INVALID;
	struct set_items a = {menu_id, ids, n};
	return store_tx(c, set_items_tx, &a);
}

enum err db_menu_items(struct store_conn *c, int64_t menu_id, db_row_fn fn, void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_items, &st);
	if (e)
		return e;
	store_bind_int(st, 1, menu_id);
	bool row;
	struct mentor m;
	while (!(e = store_step(st, &row)) && row) {
		db_read_mentor(st, &m);
		if ((e = fn(arg, &m)))
			break;
	}
	store_done(st);
	return e;
}
