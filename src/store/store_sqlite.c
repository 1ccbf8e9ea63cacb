/*
 * store_sqlite.c — the SQLite backend of the store interface.
 * Layer: store. Owns the sqlite3 handles; every connection runs in WAL
 * mode with synchronous=FULL, foreign keys on and a busy timeout, so an
 * acknowledged write survives a crash and concurrent writers wait rather
 * than fail.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "store/store.h"

#define BUSY_TIMEOUT_MS 5000

static enum err map_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return ERR_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return ERR_BUSY;
	case SQLITE_CONSTRAINT:
		return ERR_CONFLICT;
	case SQLITE_TOOBIG:
		return ERR_TOO_LARGE;
	default:
		return ERR_DB;
	}
}

/* SQLite's memory statistics take a global mutex on every allocation;
 * nothing reads them, and without them a 100,000-row import spends about
 * a third less CPU (docs/bench.md, Import). Must precede the library's
 * initialisation, hence the first connection. */
static pthread_once_t config_once = PTHREAD_ONCE_INIT;
static void config(void) { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

static enum err sq_connect(const char *uri, void **out, struct errinfo *ei)
{
	pthread_once(&config_once, config);
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(uri, &db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		errinfo_set(ei, ERR_DB, "db", "cannot open %s: %s", uri,
			    db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return ERR_DB;
	}
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(db, 1);
	static const char pragmas[] = "PRAGMA journal_mode=WAL;"
				      "PRAGMA synchronous=FULL;"
				      "PRAGMA foreign_keys=ON;"
				      "PRAGMA temp_store=MEMORY;"
				      "PRAGMA cache_size=-16000;";
	char *msg = NULL;
	rc = sqlite3_exec(db, pragmas, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		errinfo_set(ei, ERR_DB, "db", "cannot configure %s: %s", uri, msg ? msg : "");
		sqlite3_free(msg);
		sqlite3_close(db);
		return ERR_DB;
	}
	*out = db;
	return ERR_OK;
}

static void sq_disconnect(void *c) { sqlite3_close(c); }

static enum err sq_exec(void *c, const char *sql)
{
	return map_rc(sqlite3_exec(c, sql, NULL, NULL, NULL));
}

/* IMMEDIATE takes the write lock at once, so a transaction never fails
 * half-way on a lock upgrade. */
static enum err sq_begin(void *c) { return sq_exec(c, "BEGIN IMMEDIATE"); }
/* Reads only: in WAL mode the first read fixes the snapshot, and
 * writers on other connections go on meanwhile. */
static enum err sq_begin_snapshot(void *c) { return sq_exec(c, "BEGIN DEFERRED"); }
static enum err sq_commit(void *c) { return sq_exec(c, "COMMIT"); }
/* Nothing to do when SQLite rolled the transaction back itself (it does
 * on SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM, ...). */
static enum err sq_rollback(void *c)
{
	return sqlite3_get_autocommit(c) ? ERR_OK : sq_exec(c, "ROLLBACK");
}

/*
 * A statement. `INSERT INTO ... VALUES (...) RETURNING id` (the portable
 * way to learn a new row's id) makes SQLite open, fill and drop an
 * ephemeral table on every run — about a sixth of the CPU of a 100,000-row
 * import (docs/bench.md, Import). Such a statement is prepared without the
 * clause and its one row is made up from sqlite3_last_insert_rowid, which
 * is the id: every {{ID}} column is the table's rowid. Only single-row
 * VALUES inserts without ON CONFLICT qualify, which insert exactly one row
 * or fail.
 */
struct sq_stmt {
	sqlite3_stmt *st;
	sqlite3 *db;
	bool rowid;   /* RETURNING id answered from last_insert_rowid */
	int state;    /* rowid: 0 not run, 1 on the made-up row, 2 past it */
	int64_t id;
	char text[24]; /* the id as text, for col_text */
};

static const char returning_id[] = " RETURNING id";

static bool rowid_insert(const char *sql, size_t len)
{
	size_t rl = sizeof returning_id - 1;
	return !strncmp(sql, "INSERT INTO ", 12) && len > rl &&
	       !strcmp(sql + len - rl, returning_id) && !strstr(sql, "ON CONFLICT") &&
	       !strstr(sql, " SELECT ") && strstr(sql, ") VALUES (") && !strstr(sql, "), (");
}

static enum err sq_prepare(void *c, const char *sql, void **out)
{
	struct sq_stmt *s = xcalloc(1, sizeof *s);
	size_t len = strlen(sql);
	s->db = c;
	s->rowid = rowid_insert(sql, len);
	if (s->rowid)
		len -= sizeof returning_id - 1;
	int rc = sqlite3_prepare_v3(c, sql, (int)len, SQLITE_PREPARE_PERSISTENT, &s->st, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_finalize(s->st);
		free(s);
		return ERR_DB;
	}
	*out = s;
	return ERR_OK;
}

static void sq_finalize(void *st)
{
	struct sq_stmt *s = st;
	if (!s)
		return;
	sqlite3_finalize(s->st);
	free(s);
}
static sqlite3_stmt *raw(void *st) { return ((struct sq_stmt *)st)->st; }
static enum err sq_bind_int(void *st, int i, int64_t v) { return map_rc(sqlite3_bind_int64(raw(st), i, v)); }
static enum err sq_bind_double(void *st, int i, double v) { return map_rc(sqlite3_bind_double(raw(st), i, v)); }
static enum err sq_bind_text(void *st, int i, const char *v)
{
	return map_rc(sqlite3_bind_text(raw(st), i, v, -1, SQLITE_TRANSIENT));
}
static enum err sq_bind_null(void *st, int i) { return map_rc(sqlite3_bind_null(raw(st), i)); }

static enum err sq_step(void *st, bool *row)
{
	struct sq_stmt *s = st;
	if (s->rowid && s->state) {
		s->state = 2;
		*row = false;
		return ERR_OK;
	}
	int rc = sqlite3_step(s->st);
	*row = rc == SQLITE_ROW;
	if (s->rowid && rc == SQLITE_DONE) {
		s->id = sqlite3_last_insert_rowid(s->db);
		s->text[0] = '\0'; /* written when asked for */
		s->state = 1;
		*row = true;
	}
	return map_rc(rc);
}

static bool made_up(const struct sq_stmt *s, int i) { return s->rowid && s->state == 1 && i == 0; }
static int64_t sq_col_int(void *st, int i)
{
	struct sq_stmt *s = st;
	return made_up(s, i) ? s->id : sqlite3_column_int64(s->st, i);
}
static double sq_col_double(void *st, int i)
{
	struct sq_stmt *s = st;
	return made_up(s, i) ? (double)s->id : sqlite3_column_double(s->st, i);
}
static const char *sq_col_text(void *st, int i)
{
	struct sq_stmt *s = st;
	if (made_up(s, i)) {
		if (!s->text[0])
			snprintf(s->text, sizeof s->text, "%lld", (long long)s->id);
		return s->text;
	}
	const unsigned char *t = sqlite3_column_text(s->st, i);
	if (t)
		return (const char *)t;
	/* NULL when SQLite could not make the text (out of memory); NULL also
	 * stands for an SQL NULL and a zero-length blob: "" for those. */
	bool nomem = sqlite3_column_type(s->st, i) != SQLITE_NULL &&
		     sqlite3_errcode(s->db) == SQLITE_NOMEM;
	return nomem ? NULL : "";
}
static bool sq_col_null(void *st, int i)
{
	struct sq_stmt *s = st;
	return !made_up(s, i) && sqlite3_column_type(s->st, i) == SQLITE_NULL;
}
static void sq_reset(void *st)
{
	struct sq_stmt *s = st;
	s->state = 0;
	sqlite3_reset(s->st);
	sqlite3_clear_bindings(s->st);
}
static const char *sq_errmsg(void *c) { return sqlite3_errmsg(c); }

static enum err sq_check(void *c, struct errinfo *ei)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(c, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
		return errinfo_set(ei, ERR_DB, "db", "%s", sqlite3_errmsg(c));
	enum err e = ERR_OK;
	if (sqlite3_step(st) != SQLITE_ROW)
		e = errinfo_set(ei, ERR_DB, "db", "%s", sqlite3_errmsg(c));
	else if (strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
		e = errinfo_set(ei, ERR_DB, "db", "integrity: %s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return e;
}

/*
 * The online backup API, all pages in one step: when `c` is inside a
 * snapshot (store_snapshot) the step reads through that read
 * transaction, so the copy is exactly the snapshot; otherwise it takes
 * its own. The new file is written with a rollback journal and synced
 * (synchronous=FULL) before the handle closes.
 */
static enum err sq_backup(void *c, const char *path, struct errinfo *ei)
{
	sqlite3 *dst = NULL;
	int rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(dst, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		errinfo_set(ei, ERR_IO, "out", "cannot create %s: %s", path,
			    dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		sqlite3_close(dst);
		return ERR_IO;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", c, "main");
	if (!b) {
		errinfo_set(ei, ERR_DB, "out", "backup: %s", sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return ERR_DB;
	}
	rc = sqlite3_backup_step(b, -1);
	int fin = sqlite3_backup_finish(b);
	enum err e = ERR_OK;
	if (rc != SQLITE_DONE || fin != SQLITE_OK)
		e = errinfo_set(ei, map_rc(rc == SQLITE_DONE ? fin : rc) == ERR_BUSY ? ERR_BUSY : ERR_DB,
				"out", "backup: %s", sqlite3_errmsg(dst));
	if (sqlite3_close(dst) != SQLITE_OK && !e)
		e = errinfo_set(ei, ERR_IO, "out", "cannot close %s", path);
	return e;
}

static bool sq_readonly(void *st) { return sqlite3_stmt_readonly(raw(st)) != 0; }
/* Stepped and not reset: a made-up RETURNING row counts as one. */
static bool sq_unfinished(void *st)
{
	struct sq_stmt *s = st;
	return (s->rowid && s->state == 1) || sqlite3_stmt_busy(s->st) != 0;
}

const struct store_backend store_sqlite_backend = {
	.name = "sqlite",
	.one_writer = true,
	.connect = sq_connect,
	.disconnect = sq_disconnect,
	.exec = sq_exec,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.bind_int = sq_bind_int,
	.bind_double = sq_bind_double,
	.bind_text = sq_bind_text,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.col_int = sq_col_int,
	.col_double = sq_col_double,
	.col_text = sq_col_text,
	.col_null = sq_col_null,
	.reset = sq_reset,
	.errmsg = sq_errmsg,
	.check = sq_check,
	.data_version_sql = "PRAGMA data_version",
	.readonly = sq_readonly,
	.unfinished = sq_unfinished,
	.begin_snapshot = sq_begin_snapshot,
	.backup = sq_backup,
	.tok_id = "INTEGER PRIMARY KEY",
	.tok_blob = "BLOB",
	/* SQLite compares TEXT byte by byte (BINARY) already. */
	.tok_pathtext = "TEXT",
};
