/*
 * store.c — the backend-independent half of the store: the connection
 * pool, the per-connection statement cache, the transaction helper with
 * retry, and migrations. Layer: store. It holds no SQL of the domain.
 */
#include "store/store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"
#include "store/fault.h"
#include "store/migrations.h"

#define STMT_CACHE 512 /* open-addressing slots per connection (power of 2) */
#define TX_RETRIES 20

struct store_stmt {
	const struct store_backend *be;
	void *h;
	struct store *owner;
	struct store_conn *conn;
	/* The first bind or text column that failed since the statement was
	 * prepared (SQLite copies text both ways, which can fail for memory):
	 * store_step reports it, so that a caller that does not look at every
	 * bind never runs the statement with a parameter left NULL, and one
	 * reading rows in a loop never takes "" for a value it could not
	 * read. */
	enum err bind_err;
};

struct cache_slot {
	const char *sql; /* key: the address of a static string */
	struct store_stmt st;
};

struct store_conn {
	const struct store_backend *be;
	void *h;
	struct store *owner;
	int64_t data_version; /* last seen; -2 = never looked */
	bool in_tx;
	/* A ROLLBACK failed (e.g. SQLite could not allocate for it): the
	 * backend may still be inside the transaction, holding its locks and
	 * refusing the next BEGIN. Rolled back before the connection's next
	 * use (settle). */
	bool tx_stale;
	bool busy; /* taken from the pool */
	const void *note_key; /* store_note_put; NULL: none */
	char note[STORE_NOTE_BYTES];
	struct cache_slot cache[STMT_CACHE];
};

struct store {
	const struct store_backend *be;
	_Atomic uint64_t generation; /* bumped by every write this process sees */
	unsigned n;
	struct store_conn **conns;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_mutex_t writer; /* be->one_writer: held around store_tx */
};

/* The store whose writer mutex this thread holds: a thread that writes on
 * a second connection meanwhile must not wait for itself (the backend's
 * own lock then decides, as before). */
static _Thread_local const struct store *writer_held;

static enum err migrate(struct store_conn *c, struct errinfo *ei);

static const struct store_backend *backend_for(const char *uri)
{
	if (strncmp(uri, "postgres://", 11) == 0 || strncmp(uri, "postgresql://", 13) == 0)
		return &store_pg_backend;
	return &store_sqlite_backend;
}

static void conn_free(struct store_conn *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < STMT_CACHE; i++)
		if (c->cache[i].sql)
			c->be->finalize(c->cache[i].st.h);
	c->be->disconnect(c->h);
	free(c);
}

static enum err open_pool(const char *uri, unsigned pool, bool migrating, struct store **out,
			  struct errinfo *ei);

enum err store_open(const char *uri, unsigned pool, struct store **out, struct errinfo *ei)
{
	return open_pool(uri, pool, true, out, ei);
}

enum err store_open_existing(const char *uri, unsigned pool, struct store **out,
			     struct errinfo *ei)
{
	return open_pool(uri, pool, false, out, ei);
}

static enum err read_version(struct store_conn *c, int64_t *out);

/* The schema of `c` must be the newest this binary knows. */
static enum err same_schema(struct store_conn *c, struct errinfo *ei)
{
	int64_t have = 0, want = migrations_count ? migrations[migrations_count - 1].version : 0;
	if (read_version(c, &have))
		return errinfo_set(ei, ERR_DB, "db", "not a bangdai database (no schema version): %s",
				   store_errmsg(c));
	if (have != want)
		return errinfo_set(ei, ERR_CONFLICT, "db",
				   "schema version %lld, this bangdai has %lld: use the bangdai that "
				   "made it",
				   (long long)have, (long long)want);
	return ERR_OK;
}

static enum err open_pool(const char *uri, unsigned pool, bool migrating, struct store **out,
			  struct errinfo *ei)
{
	const struct store_backend *be = backend_for(uri);
	if (!be)
		return errinfo_set(ei, ERR_INVALID, "db", "unsupported database URI");
	if (pool == 0)
		pool = 1;
	struct store *s = xcalloc(1, sizeof *s);
	s->be = be;
	s->generation = 1;
	s->conns = xcalloc(pool, sizeof *s->conns);
	pthread_mutex_init(&s->mu, NULL);
	pthread_mutex_init(&s->writer, NULL);
	pthread_cond_init(&s->cv, NULL);
	enum err e = ERR_OK;
	for (unsigned i = 0; i < pool; i++) {
		struct store_conn *c = xcalloc(1, sizeof *c);
		c->be = be;
		c->owner = s;
		c->data_version = -2;
		e = be->connect(uri, &c->h, ei);
		if (e) {
			free(c);
			goto out;
		}
		s->conns[s->n++] = c;
		if (i == 0 && (e = migrating ? migrate(c, ei) : same_schema(c, ei)))
			goto out;
	}
	*out = s;
	return ERR_OK;
out:
	store_close(s);
	return e;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < s->n; i++)
		conn_free(s->conns[i]);
	free(s->conns);
	pthread_mutex_destroy(&s->mu);
	pthread_mutex_destroy(&s->writer);
	pthread_cond_destroy(&s->cv);
	free(s);
}

const char *store_backend_name(const struct store *s) { return s->be->name; }

struct store_conn *store_acquire(struct store *s)
{
	pthread_mutex_lock(&s->mu);
	for (;;) {
		for (unsigned i = 0; i < s->n; i++) {
			if (!s->conns[i]->busy) {
				s->conns[i]->busy = true;
				pthread_mutex_unlock(&s->mu);
				return s->conns[i];
			}
		}
		pthread_cond_wait(&s->cv, &s->mu);
	}
}

/* Roll back a transaction a failed ROLLBACK may have left open. */
static enum err settle(struct store_conn *c)
{
	if (!c->tx_stale)
		return ERR_OK;
	enum err e = c->be->rollback(c->h);
	if (!e)
		c->tx_stale = false;
	return e;
}

static void rollback(struct store_conn *c)
{
	if (c->be->rollback(c->h)) {
		log_event(LOG_WARN, "rollback failed", "\"error\":\"%s\"", c->be->errmsg(c->h));
		c->tx_stale = true;
	}
}

void store_release(struct store *s, struct store_conn *c)
{
	if (!c)
		return;
	if (c->in_tx) { /* a caller forgot: never hand out an open tx */
		rollback(c);
		c->in_tx = false;
	}
	settle(c);
	pthread_mutex_lock(&s->mu);
	c->busy = false;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

static void backoff(int attempt)
{
	struct timespec ts = {0, (long)(1 + attempt * attempt) * 1000000L};
	nanosleep(&ts, NULL);
}

static enum err tx_run(struct store_conn *c, enum err (*fn)(struct store_conn *, void *),
		       void *arg);

enum err store_tx(struct store_conn *c, enum err (*fn)(struct store_conn *, void *), void *arg)
{
	if (c->in_tx) /* nested: join the outer transaction */
		return fn(c, arg);
	struct store *s = c->owner;
	if (!c->be->one_writer || writer_held == s)
		return tx_run(c, fn, arg);
	pthread_mutex_lock(&s->writer);
	writer_held = s;
	enum err e = tx_run(c, fn, arg);
	writer_held = NULL;
	pthread_mutex_unlock(&s->writer);
	return e;
}

static enum err tx_run(struct store_conn *c, enum err (*fn)(struct store_conn *, void *),
		       void *arg)
{
	enum err e = ERR_BUSY;
	for (int attempt = 0; attempt < TX_RETRIES; attempt++) {
		if (attempt)
			backoff(attempt);
		if ((e = settle(c)))
			return e;
		e = fault_fire(FAULT_STORE_STEP) ? ERR_DB : c->be->begin(c->h);
		if (e == ERR_BUSY)
			continue;
		if (e)
			return e;
		c->in_tx = true;
		c->note_key = NULL;
		e = fn(c, arg);
		c->note_key = NULL;
		if (!e)
			e = fault_fire(FAULT_STORE_STEP) ? ERR_DB : c->be->commit(c->h);
		/* After the commit, so that a reader who saw the old number
		 * cannot cache what it read before the commit under the new. */
		c->owner->generation++;
		if (e)
			rollback(c);
		c->in_tx = false;
		if (e != ERR_BUSY)
			return e;
	}
	log_event(LOG_WARN, "transaction gave up after retries", NULL);
	return e;
}

bool store_in_tx(const struct store_conn *c) { return c->in_tx; }

enum err store_snapshot(struct store_conn *c, enum err (*fn)(struct store_conn *, void *),
			void *arg)
{
	if (c->in_tx)
		return ERR_INTERNAL; /* a snapshot inside a write tx would not be one */
	enum err e = c->be->begin_snapshot(c->h);
	if (e)
		return e;
	c->in_tx = true;
	e = fn(c, arg);
	/* Nothing was written: ending it either way releases the snapshot. */
	enum err end = e ? c->be->rollback(c->h) : c->be->commit(c->h);
	c->in_tx = false;
	return e ? e : end;
}

enum err store_backup_file(struct store_conn *c, const char *path, struct errinfo *ei)
{
	if (!c->be->backup)
		return errinfo_set(ei, ERR_INVALID, "db", "%s has no page-level backup",
				   c->be->name);
	return c->be->backup(c->h, path, ei);
}

void store_note_put(struct store_conn *c, const void *key, const char *text)
{
	if (!c->in_tx)
		return;
	c->note_key = key;
	snprintf(c->note, sizeof c->note, "%s", text);
}

bool store_note_get(const struct store_conn *c, const void *key, char out[STORE_NOTE_BYTES])
{
	if (!c->in_tx || c->note_key != key)
		return false;
	memcpy(out, c->note, STORE_NOTE_BYTES);
	return true;
}

enum err store_prepare(struct store_conn *c, const char *sql, struct store_stmt **out)
{
	size_t h = ((uintptr_t)sql >> 3) * 0x9E3779B97F4A7C15ull;
	for (size_t i = 0; i < STMT_CACHE; i++) {
		struct cache_slot *slot = &c->cache[(h + i) & (STMT_CACHE - 1)];
		if (slot->sql == sql) {
			slot->st.bind_err = ERR_OK; /* a new use: a caller may have left without store_done */
			*out = &slot->st;
			return ERR_OK;
		}
		if (!slot->sql) {
			void *st;
			enum err e = c->be->prepare(c->h, sql, &st);
			if (e) {
				log_event(LOG_ERROR, "prepare failed", "\"error\":\"%s\"",
					  c->be->errmsg(c->h));
				return e;
			}
			slot->sql = sql;
			slot->st.be = c->be;
			slot->st.h = st;
			slot->st.owner = c->owner;
			slot->st.conn = c;
			*out = &slot->st;
			return ERR_OK;
		}
	}
	return ERR_INTERNAL; /* more distinct statements than cache slots */
}

static enum err bound(struct store_stmt *st, enum err e)
{
	if (e && !st->bind_err)
		st->bind_err = e;
	return e;
}
enum err store_bind_int(struct store_stmt *st, int i, int64_t v)
{
	return bound(st, st->be->bind_int(st->h, i, v));
}
enum err store_bind_double(struct store_stmt *st, int i, double v)
{
	return bound(st, st->be->bind_double(st->h, i, v));
}
enum err store_bind_text(struct store_stmt *st, int i, const char *v)
{
	return bound(st, v ? st->be->bind_text(st->h, i, v) : st->be->bind_null(st->h, i));
}
enum err store_bind_null(struct store_stmt *st, int i) { return bound(st, st->be->bind_null(st->h, i)); }
enum err store_step(struct store_stmt *st, bool *row)
{
	*row = false;
	/* Outside a transaction, never run inside one left open. */
	if (st->conn->tx_stale && !st->conn->in_tx && settle(st->conn))
		return ERR_DB;
	if (st->bind_err)
		return st->bind_err;
	if (fault_fire(FAULT_STORE_STEP))
		return ERR_DB;
	enum err e = st->be->step(st->h, row);
	/* A write that ran (done, or returning rows) moves the generation. */
	if (!e && st->be->readonly && !st->be->readonly(st->h))
		st->owner->generation++;
	return e;
}
int64_t store_col_int(struct store_stmt *st, int i) { return st->be->col_int(st->h, i); }
double store_col_double(struct store_stmt *st, int i) { return st->be->col_double(st->h, i); }
const char *store_col_text(struct store_stmt *st, int i)
{
	const char *t = st->be->col_text(st->h, i);
	if (t)
		return t;
	bound(st, ERR_DB);
	return "";
}
bool store_col_null(struct store_stmt *st, int i) { return st->be->col_null(st->h, i); }
void store_done(struct store_stmt *st)
{
	st->be->reset(st->h);
	st->bind_err = ERR_OK;
}

enum err store_run(struct store_stmt *st)
{
	bool row;
	enum err e;
	do
		e = store_step(st, &row);
	while (!e && row);
	store_done(st);
	return e;
}

enum err store_exec(struct store_conn *c, const char *sql)
{
	c->owner->generation++;
	if (c->tx_stale && !c->in_tx && settle(c))
		return ERR_DB;
	return fault_fire(FAULT_STORE_STEP) ? ERR_DB : c->be->exec(c->h, sql);
}

uint64_t store_generation(struct store_conn *c)
{
	struct store_stmt *st;
	bool row = false;
	if (!c->be->data_version_sql || store_prepare(c, c->be->data_version_sql, &st))
		return 0;
	/* Straight to the backend: this read must not count as a write. */
	if (c->be->step(st->h, &row) != ERR_OK || !row) {
		store_done(st);
		return 0;
	}
	int64_t v = store_col_int(st, 0);
	store_done(st);
	if (v != c->data_version) {
		/* Another connection committed since this one last looked. */
		if (c->data_version != -2)
			c->owner->generation++;
		c->data_version = v;
	}
	/* Commits of this process were counted as they ran; a commit is
	 * counted again here, which only costs a cache miss. */
	return c->owner->generation;
}
const char *store_errmsg(struct store_conn *c) { return c->be->errmsg(c->h); }
enum err store_check(struct store_conn *c, struct errinfo *ei) { return c->be->check(c->h, ei); }

int store_unfinished(struct store_conn *c)
{
	int n = 0;
	for (size_t i = 0; c->be->unfinished && i < STMT_CACHE; i++)
		n += c->cache[i].sql && c->be->unfinished(c->cache[i].st.h);
	return n;
}

enum err store_after_bulk_load(struct store_conn *c, const char *table)
{
	return c->be->after_bulk_load ? c->be->after_bulk_load(c->h, table) : ERR_OK;
}

/* Replace the migration tokens with the backend's spelling. */
static char *expand_tokens(const struct store_backend *be, const char *sql)
{
	struct buf b;
	buf_init(&b, 1u << 24);
	const char *p = sql;
	while (*p) {
		const char *q = strstr(p, "{{");
		if (!q) {
			if (buf_puts(&b, p))
				goto fail;
			break;
		}
		if (buf_append(&b, p, (size_t)(q - p)))
			goto fail;
		if (strncmp(q, "{{ID}}", 6) == 0) {
			if (buf_puts(&b, be->tok_id))
				goto fail;
			p = q + 6;
		} else if (strncmp(q, "{{BLOB}}", 8) == 0) {
			if (buf_puts(&b, be->tok_blob))
				goto fail;
			p = q + 8;
		} else if (strncmp(q, "{{PATHTEXT}}", 12) == 0) {
			if (buf_puts(&b, be->tok_pathtext))
				goto fail;
			p = q + 12;
		} else {
			if (buf_puts(&b, "{{"))
				goto fail;
			p = q + 2;
		}
	}
	return buf_detach(&b, NULL);
fail:
	buf_release(&b);
	return NULL;
}

static const char sql_version_table[] =
	"CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)";
static const char sql_version_get[] = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
static const char sql_version_put[] = "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)";

/* The newest applied migration, 0 for none. */
static enum err read_version(struct store_conn *c, int64_t *out)
{
	struct store_stmt *st;
	bool row = false;
	enum err e = store_prepare(c, sql_version_get, &st);
	if (e)
		return e;
	if (!(e = store_step(st, &row)) && row)
		*out = store_col_int(st, 0);
	store_done(st);
	return e ? e : row ? ERR_OK : ERR_DB;
}

struct mig_arg {
	const struct migration *m;
};

static enum err apply_one(struct store_conn *c, void *arg)
{
	const struct migration *m = ((struct mig_arg *)arg)->m;
	/* Another process may have applied it since we looked: ask again,
	 * now inside the write transaction that serialises migrations. */
	int64_t have_now = 0;
	enum err e = read_version(c, &have_now);
	if (e)
		return e;
	if (have_now >= m->version)
		return ERR_OK;
	char *sql = expand_tokens(c->be, m->sql);
	if (!sql)
		return ERR_INTERNAL;
	e = store_exec(c, sql);
	free(sql);
	if (e)
		return e;
	struct store_stmt *st;
	if ((e = store_prepare(c, sql_version_put, &st)))
		return e;
	char now[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
	store_bind_int(st, 1, m->version);
	store_bind_text(st, 2, now);
	return store_run(st);
}

static enum err migrate(struct store_conn *c, struct errinfo *ei)
{
	enum err e = store_exec(c, sql_version_table);
	if (e)
		return errinfo_set(ei, e, "db", "cannot create schema_version: %s", store_errmsg(c));
	struct store_stmt *st = NULL;
	bool row = false;
	if ((e = store_prepare(c, sql_version_get, &st)) || (e = store_step(st, &row)) || !row) {
		errinfo_set(ei, ERR_DB, "db", "cannot read schema version: %s", store_errmsg(c));
		if (st)
			store_done(st);
		return ERR_DB;
	}
	int64_t have = store_col_int(st, 0);
	store_done(st);
	for (size_t i = 0; i < migrations_count; i++) {
		const struct migration *m = &migrations[i];
		if (m->version <= have)
			continue;
		struct mig_arg a = {m};
		e = store_tx(c, apply_one, &a);
		if (e)
			return errinfo_set(ei, ERR_DB, "db", "migration %d failed: %s", m->version,
					   store_errmsg(c));
		log_event(LOG_INFO, "migrated", "\"version\":%d", m->version);
	}
	return ERR_OK;
}
