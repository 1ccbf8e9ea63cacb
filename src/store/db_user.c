/*
 * db_user.c — accounts, sessions and the audit log in the database.
 * Layer: store. Sessions are keyed by the hash of their token; the token
 * itself is never stored.
 */
#include <string.h>

#include "store/db_util.h"

#define USER_COLS                                                                  \
	"u.id, u.login, u.role, u.region_id, u.mentor_id, u.mentee_id, u.disabled,"   \
	" u.created_at, r.code, r.path"
#define USER_FROM " FROM users u LEFT JOIN regions r ON r.id = u.region_id"

static const char sql_insert[] =
	"INSERT INTO users (login, pw_hash, role, region_id, mentor_id, mentee_id, disabled,"
	" created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?7) RETURNING id";
static const char sql_get_login[] = "SELECT " USER_COLS ", u.pw_hash" USER_FROM " WHERE u.login = ?1";
static const char sql_get[] = "SELECT " USER_COLS ", u.pw_hash" USER_FROM " WHERE u.id = ?1";
/* ?1 lo ?2 hi ?3 like(login) ; users without a region are listed for the city root only via ?4 */
#define USER_WHERE                                                                   \
	" WHERE ((r.path >= ?1 AND r.path < ?2) OR (u.region_id IS NULL AND ?4 = 1))"   \
	" AND (CAST(?3 AS TEXT) IS NULL OR u.login LIKE ?3 ESCAPE '\\')"
static const char sql_list[] =
	"SELECT " USER_COLS USER_FROM USER_WHERE " ORDER BY u.id LIMIT ?5 OFFSET ?6";
static const char sql_count[] = "SELECT COUNT(*)" USER_FROM USER_WHERE;
static const char sql_set_pw[] = "UPDATE users SET pw_hash = ?1, updated_at = ?2 WHERE id = ?3";
static const char sql_set_disabled[] =
	"UPDATE users SET disabled = ?1, updated_at = ?2 WHERE id = ?3";

static void read_user(struct store_stmt *st, void *row)
{
	struct user *u = row;

	memset(u, 0, sizeof *u);
	u->id = store_col_int(st, 0);
	DB_TEXT(st, 1, u->login);
	DB_TEXT(st, 2, u->role);
	u->region_id = store_col_int(st, 3);
	u->mentor_id = store_col_int(st, 4);
	u->mentee_id = store_col_int(st, 5);
	u->disabled = store_col_int(st, 6) != 0;
	DB_TEXT(st, 7, u->created_at);
	DB_TEXT(st, 8, u->region_code);
	DB_TEXT(st, 9, u->region_path);
}

static void bind_opt_id(struct store_stmt *st, int i, int64_t v)
{
	if (v)
		store_bind_int(st, i, v);
	else
		store_bind_null(st, i);
}

enum err db_user_insert(struct store_conn *c, struct user *u, const char *pw_hash, const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_insert, &st);
	if (e)
		return e;
	store_bind_text(st, 1, u->login);
	store_bind_text(st, 2, pw_hash);
	store_bind_text(st, 3, u->role);
	bind_opt_id(st, 4, u->region_id);
	bind_opt_id(st, 5, u->mentor_id);
	bind_opt_id(st, 6, u->mentee_id);
	store_bind_text(st, 7, now);
	if ((e = db_one(st)))
		return e;
	u->id = store_col_int(st, 0);
	store_done(st);
	return ERR_OK;
}

static enum err get_user(struct store_conn *c, const char *sql, const char *login, int64_t id,
			 struct user *out, char *pw_hash, size_t pw_hash_size)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql, &st);
	if (e)
		return e;
	if (login)
		store_bind_text(st, 1, login);
	else
		store_bind_int(st, 1, id);
	if ((e = db_one(st)))
		return e;
	read_user(st, out);
	if (pw_hash)
		snprintf(pw_hash, pw_hash_size, "%s", store_col_text(st, 10));
	store_done(st);
	return ERR_OK;
}

enum err db_user_get_by_login(struct store_conn *c, const char *login, struct user *out,
			      char *pw_hash, size_t pw_hash_size)
{
	return get_user(c, sql_get_login, login, 0, out, pw_hash, pw_hash_size);
}

enum err db_user_get(struct store_conn *c, int64_t id, struct user *out)
{
	return get_user(c, sql_get, NULL, id, out, NULL, 0);
}

static void bind_where(struct store_stmt *st, const void *arg)
{
	const struct list_query *q = arg;

	store_bind_text(st, 1, q->root_lo);
	store_bind_text(st, 2, q->root_hi);
	db_bind_like(st, 3, q->q);
	/* Region-less accounts belong to the whole city: only a root of
	 * depth one ("/6401/") lists them. */
	int slashes = 0;
	for (const char *p = q->root_lo; *p; p++)
		slashes += *p == '/';
	store_bind_int(st, 4, slashes == 2 ? 1 : 0);
}

enum err db_user_list(struct store_conn *c, const struct list_query *q, db_row_fn fn, void *arg,
		      int64_t *total)
{
	struct user row;
	const struct db_page p = {
		.count_sql = sql_count,
		.list_sql = sql_list,
		.nwhere = 4,
		.bind = bind_where,
		.q = q,
		.limit = q->limit,
		.offset = q->offset,
		.read = read_user,
		.row = &row,
	};
	return db_list_page(c, &p, fn, arg, total);
}

enum err db_user_set_password(struct store_conn *c, int64_t id, const char *pw_hash,
			      const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_set_pw, &st);
	if (e)
		return e;
	store_bind_text(st, 1, pw_hash);
	store_bind_text(st, 2, now);
	store_bind_int(st, 3, id);
	return store_run(st);
}

enum err db_user_set_disabled(struct store_conn *c, int64_t id, bool disabled, const char *now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_set_disabled, &st);
	if (e)
		return e;
	store_bind_int(st, 1, disabled ? 1 : 0);
	store_bind_text(st, 2, now);
	store_bind_int(st, 3, id);
	return store_run(st);
}

/* --- sessions --- */

static const char sql_sess_insert[] =
	"INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen)"
	" VALUES (?1, ?2, ?3, ?4, ?4)";
static const char sql_sess_get[] =
	"SELECT " USER_COLS ", s.csrf, s.created_at, s.last_seen FROM sessions s"
	" JOIN users u ON u.id = s.user_id LEFT JOIN regions r ON r.id = u.region_id"
	" WHERE s.token_hash = ?1";
static const char sql_sess_touch[] = "UPDATE sessions SET last_seen = ?1 WHERE token_hash = ?2";
static const char sql_sess_delete[] = "DELETE FROM sessions WHERE token_hash = ?1";
static const char sql_sess_delete_user[] = "DELETE FROM sessions WHERE user_id = ?1";

enum err db_session_insert(struct store_conn *c, const char *token_hash, int64_t user_id,
			   const char *csrf, int64_t now)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_sess_insert, &st);
	if (e)
		return e;
	store_bind_text(st, 1, token_hash);
	store_bind_int(st, 2, user_id);
	store_bind_text(st, 3, csrf);
	store_bind_int(st, 4, now);
	return store_run(st);
}

enum err db_session_get(struct store_conn *c, const char *token_hash, struct user *u,
			char csrf[65], int64_t *created, int64_t *last_seen)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_sess_get, &st);
	if (e)
		return e;
	store_bind_text(st, 1, token_hash);
	if ((e = db_one(st)))
		return e;
	read_user(st, u);
	snprintf(csrf, 65, "%s", store_col_text(st, 10));
	*created = store_col_int(st, 11);
	*last_seen = store_col_int(st, 12);
	store_done(st);
	return ERR_OK;
}

static enum err run_text_int(struct store_conn *c, const char *sql, int64_t v, const char *t)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql, &st);
	if (e)
		return e;
	if (t) {
		store_bind_int(st, 1, v);
		store_bind_text(st, 2, t);
	} else {
		store_bind_int(st, 1, v);
	}
	return store_run(st);
}

enum err db_session_touch(struct store_conn *c, const char *token_hash, int64_t now)
{
	return run_text_int(c, sql_sess_touch, now, token_hash);
}

enum err db_session_delete(struct store_conn *c, const char *token_hash)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_sess_delete, &st);
	if (e)
		return e;
	store_bind_text(st, 1, token_hash);
	return store_run(st);
}

enum err db_session_delete_user(struct store_conn *c, int64_t user_id)
{
	return run_text_int(c, sql_sess_delete_user, user_id, NULL);
}

/* --- audit --- */

static const char sql_audit_last[] = "SELECT hash FROM audit ORDER BY id DESC LIMIT 1";
static const char sql_audit_insert[] =
	"INSERT INTO audit (at, user_id, login, client, action, object, object_id, before_json,"
	" after_json, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
	" RETURNING id";
static const char sql_audit_list[] =
	"SELECT id, at, user_id, login, client, action, object, object_id, before_json,"
	" after_json, prev_hash, hash FROM audit WHERE id > ?1 ORDER BY id LIMIT ?2";

enum err db_audit_last_hash(struct store_conn *c, char out[65])
{
	struct store_stmt *st;
	char note[STORE_NOTE_BYTES];
	if (store_note_get(c, sql_audit_last, note)) { /* this transaction wrote it */
		snprintf(out, 65, "%s", note);
		return ERR_OK;
	}
	enum err e = store_prepare(c, sql_audit_last, &st);
	if (e)
		return e;
	e = db_one(st);
	if (e == ERR_NOT_FOUND) {
		memset(out, '0', 64);
		out[64] = '\0';
		return ERR_OK;
	}
	if (e)
		return e;
	snprintf(out, 65, "%s", store_col_text(st, 0));
	store_done(st);
	return ERR_OK;
}

enum err db_audit_insert(struct store_conn *c, struct audit_entry *a)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_audit_insert, &st);
	if (e)
		return e;
	store_bind_text(st, 1, a->at);
	bind_opt_id(st, 2, a->user_id);
	store_bind_text(st, 3, a->login);
	store_bind_text(st, 4, a->client);
	store_bind_text(st, 5, a->action);
	store_bind_text(st, 6, a->object);
	store_bind_text(st, 7, a->object_id);
	store_bind_text(st, 8, a->before_json ? a->before_json : "");
	store_bind_text(st, 9, a->after_json ? a->after_json : "");
	store_bind_text(st, 10, a->prev_hash);
	store_bind_text(st, 11, a->hash);
	if ((e = db_one(st)))
		return e;
	a->id = store_col_int(st, 0);
	store_done(st);
	/* The next entry of this transaction chains to this one. */
	store_note_put(c, sql_audit_last, a->hash);
	return ERR_OK;
}

enum err db_audit_list(struct store_conn *c, int64_t after_id, int limit, db_row_fn fn, void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_audit_list, &st);
	if (e)
		return e;
	store_bind_int(st, 1, after_id);
	store_bind_int(st, 2, limit);
	bool row;
	struct audit_entry a;
	while (!(e = store_step(st, &row)) && row) {
		memset(&a, 0, sizeof a);
		a.id = store_col_int(st, 0);
		DB_TEXT(st, 1, a.at);
		a.user_id = store_col_int(st, 2);
		DB_TEXT(st, 3, a.login);
		DB_TEXT(st, 4, a.client);
		DB_TEXT(st, 5, a.action);
		DB_TEXT(st, 6, a.object);
		DB_TEXT(st, 7, a.object_id);
		/* Borrowed from the statement for the duration of the callback. */
		a.before_json = (char *)store_col_text(st, 8);
		a.after_json = (char *)store_col_text(st, 9);
		DB_TEXT(st, 10, a.prev_hash);
		DB_TEXT(st, 11, a.hash);
		if ((e = fn(arg, &a)))
			break;
	}
	store_done(st);
	return e;
}
