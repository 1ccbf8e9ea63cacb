/*
 * store.h — the storage interface (layer: store).
 *
 * A `struct store` is a pool of connections to one database; a thread
 * takes a `struct store_conn` with store_acquire, uses it alone, and gives
 * it back. SQL lives only in src/store/: the files beside this one hold
 * fixed statements with `?` placeholders and call them through this
 * interface; each backend (store_sqlite.c, store_pg.c) implements the
 * `struct store_backend` table at the bottom.
 *
 * Portable SQL rules for every statement in src/store/: `?` placeholders
 * only; no SQLite-only syntax (no `INSERT OR`, no `REPLACE`, no
 * `||`-free string tricks, no `rowid`); `INSERT ... RETURNING id`;
 * `ON CONFLICT (...) DO ...`; dates and times are ISO-8601 TEXT written by
 * the caller; booleans are INTEGER 0/1. Placeholders are numbered `?N`
 * or plain `?` (SQLite's numbering); the PostgreSQL backend rewrites
 * them. Migrations may use the tokens `{{ID}}` (auto-increment primary
 * key), `{{BLOB}}` and `{{PATHTEXT}}` (a region path: TEXT compared byte
 * by byte whatever the server's collation, so that the path range scans
 * hold), which each backend replaces.
 */
#ifndef BANGDAI_STORE_STORE_H
#define BANGDAI_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct store;
struct store_conn;
struct store_stmt;

/*
 * Open the database named by `uri`: a file path (SQLite) or a libpq URI
 * "postgres://..." / "postgresql://..." (PostgreSQL). `pool` is the
 * number of connections (>= 1). Runs pending migrations. On success
 * *out is owned by the caller (store_close).
 * Errors: ERR_INVALID (unknown scheme), ERR_DB (cannot open or migrate;
 * message in ei).
 */
enum err store_open(const char *uri, unsigned pool, struct store **out, struct errinfo *ei);
void store_close(struct store *s); /* NULL is a no-op */

/* "sqlite" or "postgres". */
const char *store_backend_name(const struct store *s);

/* Take a connection (blocks while all are in use) and give it back. */
struct store_conn *store_acquire(struct store *s);
void store_release(struct store *s, struct store_conn *c);

/*
 * Run `fn` inside one write transaction, retrying (a bounded number of
 * times, with back-off) while the backend reports busy or a serialisation
 * failure. `fn` must only touch the database through `c` and must not
 * send anything anywhere: it may run more than once. Commits if `fn`
 * returns ERR_OK, rolls back otherwise and returns fn's error.
 */
enum err store_tx(struct store_conn *c, enum err (*fn)(struct store_conn *c, void *arg),
		  void *arg);

/*
 * Run `fn` inside one read-only transaction that sees a single committed
 * state of the whole database while writers go on (SQLite: a deferred
 * transaction, in WAL mode a snapshot taken by its first read;
 * PostgreSQL: REPEATABLE READ READ ONLY). For online backups. `fn` must
 * not write. Returns fn's error, else that of ending the transaction.
 */
enum err store_snapshot(struct store_conn *c, enum err (*fn)(struct store_conn *c, void *arg),
			void *arg);

/*
 * Copy the whole database of `c` page by page into a new SQLite file
 * `path` (SQLite's online backup API). Inside store_snapshot it copies
 * that snapshot. ERR_INVALID if the backend cannot (PostgreSQL: copy
 * the tables instead), ERR_IO / ERR_DB otherwise (message in ei).
 */
enum err store_backup_file(struct store_conn *c, const char *path, struct errinfo *ei);

/*
 * Open an existing database as store_open does, but without migrating:
 * ERR_CONFLICT (ei) if its schema is not the one this binary's
 * migrations make, ERR_DB if it holds no bangdai schema. For reading
 * a backup file as it is.
 */
enum err store_open_existing(const char *uri, unsigned pool, struct store **out,
			     struct errinfo *ei);

/* True while `c` is inside store_tx (statements then need no own tx). */
bool store_in_tx(const struct store_conn *c);

/*
 * A note the current write transaction keeps with its connection: what it
 * last wrote somewhere, so that it need not read it back (the newest audit
 * hash, which every write appends to). Writers run one at a time on both
 * backends, so nobody else can change it meanwhile. `key` is the address
 * of a static object naming the note (one note at a time); the text is
 * cut to STORE_NOTE_BYTES - 1 bytes. Forgotten when the transaction ends
 * (commit, rollback, retry); outside a transaction nothing is kept and
 * store_note_get answers false.
 */
#define STORE_NOTE_BYTES 80
void store_note_put(struct store_conn *c, const void *key, const char *text);
bool store_note_get(const struct store_conn *c, const void *key, char out[STORE_NOTE_BYTES]);

/*
 * Prepared statements. `sql` must be a string with static storage: the
 * connection caches the prepared statement under its address. The
 * returned statement is borrowed; call store_done when finished with it
 * (resets it and clears bindings). Indices of bind are 1-based, of
 * columns 0-based.
 */
enum err store_prepare(struct store_conn *c, const char *sql, struct store_stmt **out);
enum err store_bind_int(struct store_stmt *st, int i, int64_t v);
enum err store_bind_double(struct store_stmt *st, int i, double v);
/* `v` is copied; NULL binds SQL NULL. */
enum err store_bind_text(struct store_stmt *st, int i, const char *v);
enum err store_bind_null(struct store_stmt *st, int i);
/* Advance: *row is true if a row is available. ERR_CONFLICT on a
 * uniqueness/foreign-key violation, ERR_BUSY on busy, ERR_DB otherwise;
 * the error of a bind that failed since the statement was prepared (so a
 * statement never runs with a parameter missing). */
enum err store_step(struct store_stmt *st, bool *row);
int64_t store_col_int(struct store_stmt *st, int i);
double store_col_double(struct store_stmt *st, int i);
/* Borrowed until the next step/done; "" for NULL. */
const char *store_col_text(struct store_stmt *st, int i);
bool store_col_null(struct store_stmt *st, int i);
void store_done(struct store_stmt *st);

/* Run a statement that returns no rows (or ignore them). */
enum err store_run(struct store_stmt *st);
/* Execute several ';'-separated statements without parameters
 * (migrations, maintenance). */
enum err store_exec(struct store_conn *c, const char *sql);
/* The last error text of the connection, for logs. */
const char *store_errmsg(struct store_conn *c);

/*
 * The data generation: a number that changes whenever any committed write
 * (from this process or another) may have changed the database since the
 * last call on any connection. Read caches key their entries by it.
 * Returns 0 when the backend cannot tell (then nothing may be cached).
 */
uint64_t store_generation(struct store_conn *c);

/* Integrity check of the whole database (SQLite: PRAGMA integrity_check;
 * PostgreSQL: schema present, no invalid index). */
enum err store_check(struct store_conn *c, struct errinfo *ei);

/* Cached statements of `c` left mid-way (stepped, never store_done): each
 * holds a read snapshot and locks. 0 where the backend reads results
 * whole (PostgreSQL). For tests of the error paths. */
int store_unfinished(struct store_conn *c);

/*
 * Tell the backend that rows with explicit ids were just inserted into
 * `table` (static, one of the store's own table names, with an `id`
 * column of {{ID}} type), so the ids it hands out next start past the
 * largest one. A no-op where the backend needs nothing (SQLite).
 * Errors: ERR_DB.
 */
enum err store_after_bulk_load(struct store_conn *c, const char *table);

/* --- backend table --------------------------------------------------- */

struct store_backend {
	const char *name;
	/* One writer at a time per database, so store_tx queues a process's
	 * writers on a mutex (in order) rather than leaving them to poll the
	 * backend's lock (SQLite's busy handler sleeps up to 100 ms a try,
	 * which made the tail of concurrent writes ~0.5-1.5 s). */
	bool one_writer;
	/* Open one connection to `uri`; returns backend-private handle. */
	enum err (*connect)(const char *uri, void **conn, struct errinfo *ei);
	void (*disconnect)(void *conn);
	enum err (*exec)(void *conn, const char *sql);
	enum err (*begin)(void *conn);
	enum err (*commit)(void *conn);
	enum err (*rollback)(void *conn);
	enum err (*prepare)(void *conn, const char *sql, void **stmt);
	void (*finalize)(void *stmt);
	enum err (*bind_int)(void *stmt, int i, int64_t v);
	enum err (*bind_double)(void *stmt, int i, double v);
	enum err (*bind_text)(void *stmt, int i, const char *v);
	enum err (*bind_null)(void *stmt, int i);
	enum err (*step)(void *stmt, bool *row);
	int64_t (*col_int)(void *stmt, int i);
	double (*col_double)(void *stmt, int i);
	const char *(*col_text)(void *stmt, int i); /* "" for NULL; NULL: cannot */
	bool (*col_null)(void *stmt, int i);
	void (*reset)(void *stmt);
	const char *(*errmsg)(void *conn);
	enum err (*check)(void *conn, struct errinfo *ei);
	/* A statement answering one integer that changes when *another*
	 * connection commits (SQLite's PRAGMA data_version), or NULL if the
	 * backend cannot tell. Static storage: it is prepared once and cached. */
	const char *data_version_sql;
	/* True if the statement cannot change the database. */
	bool (*readonly)(void *stmt);
	/* Optional: true if the statement was stepped and not reset. */
	bool (*unfinished)(void *stmt);
	/* Start the read-only snapshot transaction of store_snapshot. */
	enum err (*begin_snapshot)(void *conn);
	/* Optional (NULL = cannot): see store_backup_file. */
	enum err (*backup)(void *conn, const char *path, struct errinfo *ei);
	/* Optional (NULL = nothing to do): see store_after_bulk_load. */
	enum err (*after_bulk_load)(void *conn, const char *table);
	/* Replacement for the migration tokens {{ID}}, {{BLOB}}, {{PATHTEXT}}. */
	const char *tok_id, *tok_blob, *tok_pathtext;
};

extern const struct store_backend store_sqlite_backend;
extern const struct store_backend store_pg_backend;

#endif
