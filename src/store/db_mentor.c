/*
 * db_mentor.c — mentors and their pipeline history in the database.
 * Layer: store. Fixed statements only; sorting picks a variant.
 */
#include <string.h>

#include "store/db_mentor_cols.h"
#include "store/db_util.h"

/* ?1 lo, ?2 hi, ?3 like, ?4 status, ?5 tier, ?6 source, ?7 team, ?8 tag, ?9 only id */
#define MENTOR_WHERE                                                              \
	" WHERE m.region_path >= ?1 AND m.region_path < ?2"                       \
	" AND (CAST(?3 AS TEXT) IS NULL OR m.search_key LIKE ?3 ESCAPE '\\')"      \
	" AND (CAST(?4 AS TEXT) IS NULL OR m.status = ?4)"                        \
	" AND (CAST(?5 AS TEXT) IS NULL OR m.tier = ?5)"                          \
	" AND (CAST(?6 AS TEXT) IS NULL OR m.source = ?6)"                        \
	" AND (CAST(?7 AS TEXT) IS NULL OR m.team_type = ?7)"                     \
	" AND (CAST(?8 AS TEXT) IS NULL OR m.domains LIKE ?8)"                    \
	" AND (CAST(?9 AS BIGINT) IS NULL OR m.id = ?9)"

#define MENTOR_LIST(order) \
	"SELECT " MENTOR_COLS MENTOR_FROM MENTOR_WHERE " ORDER BY " order " LIMIT ?10 OFFSET ?11"

static const char *const sql_list[] = {
	MENTOR_LIST("m.id"), MENTOR_LIST("m.id DESC"),
	MENTOR_LIST("m.name, m.id"), MENTOR_LIST("m.name DESC, m.id DESC"),
	MENTOR_LIST("m.created_at, m.id"), MENTOR_LIST("m.created_at DESC, m.id DESC"),
	MENTOR_LIST("m.capacity, m.id"), MENTOR_LIST("m.capacity DESC, m.id DESC"),
};
static const char sql_count[] = "SELECT COUNT(*) FROM mentors m" MENTOR_WHERE;
static const char sql_get[] = "SELECT " MENTOR_COLS MENTOR_FROM " WHERE m.id = ?1";

static const char sql_insert[] =
	"INSERT INTO mentors (name, gender, phone, id_number, birth_year, region_id, region_path,"
	" tier, source, team_type, post, capacity, score_political, score_professional,"
	" score_style, score_reputation, domains, status, letter_no, appointed_on,"
	" from_mentee_id, search_key, version, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
	" ?18, ?19, ?20, ?21, ?22, 1, ?23, ?23) RETURNING id";

static const char sql_update[] =
	"UPDATE mentors SET name = ?1, gender = ?2, phone = ?3, id_number = ?4, birth_year = ?5,"
	" region_id = ?6, region_path = ?7, tier = ?8, source = ?9, team_type = ?10, post = ?11,"
	" capacity = ?12, score_political = ?13, score_professional = ?14, score_style = ?15,"
	" score_reputation = ?16, domains = ?17, search_key = ?18, updated_at = ?19,"
	" version = version + 1 WHERE id = ?20";

static const char sql_set_status[] =
	"UPDATE mentors SET status = ?1, letter_no = COALESCE(?2, letter_no),"
	" appointed_on = COALESCE(?3, appointed_on), updated_at = ?4, version = version + 1"
	" WHERE id = ?5";

static const char sql_tr_insert[] =
	"INSERT INTO mentor_transitions (mentor_id, from_status, to_status, action, user_id,"
	" reason, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
static const char sql_tr_list[] =
	"SELECT id, mentor_id, from_status, to_status, action, user_id, reason, at"
	" FROM mentor_transitions WHERE mentor_id = ?1 ORDER BY id";

void db_read_mentor(struct store_stmt *st, void *row)
{
	struct mentor *m = row;

	memset(m, 0, sizeof *m);
	m->id = store_col_int(st, 0);
	DB_TEXT(st, 1, m->name);
	DB_TEXT(st, 2, m->gender);
	DB_TEXT(st, 3, m->phone);
	DB_TEXT(st, 4, m->id_number);
	m->birth_year = (int)store_col_int(st, 5);
	m->region_id = store_col_int(st, 6);
	DB_TEXT(st, 7, m->region_path);
	DB_TEXT(st, 8, m->tier);
	DB_TEXT(st, 9, m->source);
	DB_TEXT(st, 10, m->team_type);
	DB_TEXT(st, 11, m->post);
	m->capacity = (int)store_col_int(st, 12);
	for (int i = 0; i < 4; i++)
		m->scores[i] = (int)store_col_int(st, 13 + i);
	DB_TEXT(st, 17, m->domains);
	DB_TEXT(st, 18, m->status);
	DB_TEXT(st, 19, m->letter_no);
	DB_TEXT(st, 20, m->appointed_on);
	m->from_mentee_id = store_col_int(st, 21);
	m->version = (int)store_col_int(st, 22);
	DB_TEXT(st, 23, m->created_at);
	DB_TEXT(st, 24, m->updated_at);
	DB_TEXT(st, 25, m->region_code);
	DB_TEXT(st, 26, m->region_name);
}

/* Bind the editable fields shared by insert and update as ?1..?17. */
static void bind_fields(struct store_stmt *st, const struct mentor *m)
{
	store_bind_text(st, 1, m->name);
	store_bind_text(st, 2, m->gender);
	db_bind_opt(st, 3, m->phone);
	db_bind_opt(st, 4, m->id_number);
	if (m->birth_year)
		store_bind_int(st, 5, m->birth_year);
	else
		store_bind_null(st, 5);
	store_bind_int(st, 6, m->region_id);
	store_bind_text(st, 7, m->region_path);
	store_bind_text(st, 8, m->tier);
	store_bind_text(st, 9, m->source);
	store_bind_text(st, 10, m->team_type);
	store_bind_text(st, 11, m->post);
	store_bind_int(st, 12, m->capacity);
	for (int i = 0; i < 4; i++)
		store_bind_int(st, 13 + i, m->scores[i]);
	store_bind_text(st, 17, m->domains);
}

enum err db_mentor_insert(struct store_conn *c, struct mentor *m, const char *search_key,
			  const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_insert, &st);
	if (e)
		return e;
	bind_fields(st, m);
	store_bind_text(st, 18, m->status);
	db_bind_opt(st, 19, m->letter_no);
	db_bind_opt(st, 20, m->appointed_on);
	if (m->from_mentee_id)
		store_bind_int(st, 21, m->from_mentee_id);
	else
		store_bind_null(st, 21);
	store_bind_text(st, 22, search_key);
	store_bind_text(st, 23, now);
	if ((e = db_one(st)))
		return e;
	m->id = store_col_int(st, 0);
	store_done(st);
	return ERR_OK;
}

enum err db_mentor_update(struct store_conn *c, const struct mentor *m, const char *search_key,
			  const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_update, &st);
	if (e)
		return e;
	bind_fields(st, m);
	store_bind_text(st, 18, search_key);
	store_bind_text(st, 19, now);
	store_bind_int(st, 20, m->id);
	return store_run(st);
}

enum err db_mentor_set_status(struct store_conn *c, int64_t id, const char *status,
			      const char *letter_no, const char *appointed_on, const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_set_status, &st);
	if (e)
		return e;
	store_bind_text(st, 1, status);
	db_bind_opt(st, 2, letter_no);
	db_bind_opt(st, 3, appointed_on);
	store_bind_text(st, 4, now);
	store_bind_int(st, 5, id);
	return store_run(st);
}

enum err db_mentor_get(struct store_conn *c, int64_t id, struct mentor *out)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_get, &st);
	if (e)
		return e;
	store_bind_int(st, 1, id);
	if ((e = db_one(st)))
		return e;
	db_read_mentor(st, out);
	store_done(st);
	return ERR_OK;
}

static void bind_where(struct store_stmt *st, const void *arg)
{
	const struct list_query *q = arg;

	store_bind_text(st, 1, q->root_lo);
	store_bind_text(st, 2, q->root_hi);
	db_bind_like(st, 3, q->q);
	db_bind_opt(st, 4, q->status);
	db_bind_opt(st, 5, q->tier);
	db_bind_opt(st, 6, q->source);
	db_bind_opt(st, 7, q->team_type);
	db_bind_tag(st, 8, q->domain);
	if (q->only_id)
		store_bind_int(st, 9, q->only_id);
	else
		store_bind_null(st, 9);
}

enum err db_mentor_list(struct store_conn *c, const struct list_query *q, db_row_fn fn,
			void *arg, int64_t *total)
{
	struct mentor row;
	const struct db_page p = {
		.count_sql = sql_count,
		.list_sql = db_variant(sql_list, DB_NVARIANTS(sql_list), q->sort, q->desc),
		.nwhere = 9,
		.bind = bind_where,
		.q = q,
		.limit = q->limit,
		.offset = q->offset,
		.read = db_read_mentor,
		.row = &row,
	};
	return db_list_page(c, &p, fn, arg, total);
}

enum err db_mentor_transition_add(struct store_conn *c, struct mentor_transition *t)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_tr_insert, &st);
	if (e)
		return e;
	store_bind_int(st, 1, t->mentor_id);
	store_bind_text(st, 2, t->from_status);
	store_bind_text(st, 3, t->to_status);
	store_bind_text(st, 4, t->action);
	if (t->user_id)
		store_bind_int(st, 5, t->user_id);
	else
		store_bind_null(st, 5);
	store_bind_text(st, 6, t->reason);
	store_bind_text(st, 7, t->at);
	if ((e = db_one(st)))
		return e;
	t->id = store_col_int(st, 0);
	store_done(st);
	return ERR_OK;
}

enum err db_mentor_transitions(struct store_conn *c, int64_t mentor_id, db_row_fn fn, void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_tr_list, &st);
	if (e)
		return e;
	store_bind_int(st, 1, mentor_id);
	bool row;
	struct mentor_transition t;
	while (!(e = store_step(st, &row)) && row) {
		memset(&t, 0, sizeof t);
		t.id = store_col_int(st, 0);
		t.mentor_id = store_col_int(st, 1);
		DB_TEXT(st, 2, t.from_status);
		DB_TEXT(st, 3, t.to_status);
		DB_TEXT(st, 4, t.action);
		t.user_id = store_col_int(st, 5);
		DB_TEXT(st, 6, t.reason);
		DB_TEXT(st, 7, t.at);
		if ((e = fn(arg, &t)))
			break;
	}
	store_done(st);
	return e;
}
