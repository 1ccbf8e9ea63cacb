/*
 * store_pg.c — the PostgreSQL backend of the store interface, on libpq.
 * Layer: store. Owns the PGconn and PGresult handles; must not hold SQL of
 * the domain (that is in db_*.c) beyond what a backend needs: the
 * transaction verbs, the check, and the identity-sequence fix after a bulk
 * load.
 *
 * Statements: the portable `?N` / `?` placeholders are rewritten to `$N`
 * and prepared once per connection (PQprepare, a unique name per
 * connection). Every parameter travels as text (paramFormats 0): ints and
 * doubles are formatted here, SQL NULL is a NULL pointer; the server
 * infers each parameter's type from the statement. Results come back as
 * text too and are converted on read (strtoll / strtod). A statement's
 * whole result is one PGresult, fetched by the first step; later steps
 * walk its rows; reset and finalize PQclear it.
 *
 * Transactions (see pg_begin for why): READ COMMITTED, and every write
 * transaction first takes one transaction-scoped advisory lock, so the
 * store's writers run one at a time as they do on SQLite (BEGIN
 * IMMEDIATE). That is what the audit chain needs — every write appends an
 * entry chained to the hash of the previous one — and it makes
 * serialisation failures between bangdai's own writers impossible; the
 * ones that remain (deadlocks with single-statement writes, or an engine
 * that runs everything SERIALIZABLE) map to ERR_BUSY and store_tx retries.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/mem.h"
#include "store/store.h"

#define PG_MAX_PARAMS 999    /* more than any fixed statement binds */
#define PG_MAX_SQL (1u << 24) /* rewritten statement text */

/*
 * The advisory-lock key of the store's writers: the bytes "bangdai" as a
 * big-endian integer, so it does not collide with another application's
 * small integer keys in a shared database.
 */
#define PG_WRITER_LOCK "27691674526572905"

/*
 * The store's data generation (store_generation) on PostgreSQL: a 64-bit
 * digest of the current snapshot ("xmin:xmax:in-progress xids"). Every
 * transaction that wrote, from any client, either leaves the in-progress
 * list or moves xmax when it ends, and neither ever goes back, so the text
 * changes at every commit and never repeats; read-only work leaves it
 * alone. It also changes when a writer starts or aborts, which only costs
 * a cache miss.
 */
#define PG_DATA_VERSION \
	"SELECT ('x' || substr(md5(pg_current_snapshot()::text), 1, 16))::bit(64)::bigint"

struct pg_conn {
	PGconn *pg;      /* owned: PQfinish */
	unsigned next;   /* statement names s1, s2, ... on this connection */
	unsigned gen;    /* bumped by every PQreset: statements prepared in an
			  * older generation are prepared again */
	bool in_tx;      /* between begin and commit/rollback: never reset */
	char err[512];   /* the last error, for store_errmsg */
};

struct pg_param {
	char *heap;      /* owned copy of a text value, or NULL */
	char small[32];  /* formatted int or double */
	const char *v;   /* NULL = SQL NULL; else heap or small */
};

struct pg_stmt {
	struct pg_conn *c; /* borrowed: the connection outlives its statements */
	char name[16];
	char *sql;         /* owned: the rewritten text, kept for re-preparing */
	unsigned gen;      /* connection generation it was prepared in */
	int nparams;
	struct pg_param *params; /* owned, nparams entries */
	PGresult *res;     /* owned until reset/finalize (PQclear) */
	int nrows, row;    /* row: the current row, -1 before the first */
	bool done;         /* executed since the last reset */
	bool readonly;     /* a SELECT: cannot change the database */
};

static void quiet_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg; /* NOTICEs (IF NOT EXISTS, CASCADE) are not errors */
}

static void set_err(struct pg_conn *c, const char *msg)
{
	snprintf(c->err, sizeof c->err, "%s", msg && msg[0] ? msg : "unknown PostgreSQL error");
	size_t n = strlen(c->err);
	while (n && (c->err[n - 1] == '\n' || c->err[n - 1] == ' '))
		c->err[--n] = '\0';
}

/*
 * The store's error for a failed result. Integrity violations (class 23:
 * unique, foreign key, check, not null — SQLite reports all of them as
 * SQLITE_CONSTRAINT) are conflicts; serialisation failure, deadlock and
 * lock-not-available are transient; everything else is ERR_DB.
 */
static enum err map_result(struct pg_conn *c, const PGresult *r)
{
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY)
		return ERR_OK;
	set_err(c, r ? PQresultErrorMessage(r) : PQerrorMessage(c->pg));
	const char *code = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (!code)
		return ERR_DB;
	if (strncmp(code, "23", 2) == 0)
		return ERR_CONFLICT;
	if (!strcmp(code, "40001") || !strcmp(code, "40P01") || !strcmp(code, "55P03"))
		return ERR_BUSY;
	if (!strcmp(code, "54000"))
		return ERR_TOO_LARGE;
	return ERR_DB;
}

/* The session's settings, on every (re)connection. Text is UTF-8
 * everywhere in bangdai; `ESCAPE '\'` in the statements needs standard
 * strings. JIT off: the store's statements are short index scans whose
 * cost the planner overestimates (a county's stats, ~1 ms of work, spent
 * 1.5 s compiling; docs/scale.md). */
static bool pg_configure(PGconn *pg, struct errinfo *ei)
{
	PGresult *r = PQexec(pg, "SET client_encoding = 'UTF8';"
				 "SET standard_conforming_strings = on;"
				 "SET client_min_messages = warning;"
				 "SET jit = off");
	bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok && ei)
		errinfo_set(ei, ERR_DB, "db", "cannot configure the session: %s",
			    r ? PQresultErrorMessage(r) : PQerrorMessage(pg));
	PQclear(r);
	return ok;
}

/* A dropped connection (server restart, network) is reopened before the
 * next statement; the statements then prepare themselves again. Never
 * inside a transaction: its statements would silently run outside it;
 * they fail instead, and store_tx rolls back. */
static void revive(struct pg_conn *c)
{
	if (c->in_tx || PQstatus(c->pg) != CONNECTION_BAD)
		return;
	PQreset(c->pg);
	if (PQstatus(c->pg) == CONNECTION_OK) {
		(void)pg_configure(c->pg, NULL); /* else the next statement fails */
		c->gen++;
	}
}

static enum err pg_connect(const char *uri, void **out, struct errinfo *ei)
{
	PGconn *pg = PQconnectdb(uri);
	if (!pg)
		return errinfo_set(ei, ERR_DB, "db", "cannot connect: out of memory");
	if (PQstatus(pg) != CONNECTION_OK) {
		errinfo_set(ei, ERR_DB, "db", "cannot connect to PostgreSQL: %s", PQerrorMessage(pg));
		PQfinish(pg);
		return ERR_DB;
	}
	PQsetNoticeProcessor(pg, quiet_notice, NULL);
	if (!pg_configure(pg, ei)) {
		PQfinish(pg);
		return ERR_DB;
	}
	struct pg_conn *c = xcalloc(1, sizeof *c);
	c->pg = pg;
	*out = c;
	return ERR_OK;
}

/* The server drops the connection's prepared statements with it. */
static void pg_disconnect(void *conn)
{
	struct pg_conn *c = conn;
	if (!c)
		return;
	PQfinish(c->pg);
	free(c);
}

static enum err pg_exec(void *conn, const char *sql)
{
	struct pg_conn *c = conn;
	revive(c);
	/* PQexec runs ';'-separated statements and returns the last result,
	 * or the first error. */
	PGresult *r = PQexec(c->pg, sql);
	enum err e = map_result(c, r);
	PQclear(r);
	return e;
}

/*
 * Why READ COMMITTED and an advisory lock rather than SERIALIZABLE alone:
 * nearly every write transaction ends with "read the newest audit hash,
 * insert the next entry", so two concurrent writers always collide. Under
 * SERIALIZABLE one of them fails and retries, under load most of the time;
 * under REPEATABLE READ both would succeed and fork the chain. Taking
 * pg_advisory_xact_lock first makes writers wait for each other instead.
 * The lock must be taken under READ COMMITTED: a REPEATABLE READ or
 * SERIALIZABLE transaction's snapshot is taken by its first statement,
 * i.e. before the lock is granted, so it would not see what the previous
 * holder committed; under READ COMMITTED every later statement takes a
 * fresh snapshot, and with the other writers shut out that is as good as
 * serial. The lock is released by COMMIT or ROLLBACK. Both commands go in
 * one round trip.
 */
static enum err pg_begin(void *conn)
{
	struct pg_conn *c = conn;
	enum err e = pg_exec(c, "BEGIN ISOLATION LEVEL READ COMMITTED;"
				"SELECT pg_advisory_xact_lock(" PG_WRITER_LOCK ")");
	/* Even a failed BEGIN may have opened the block: store_tx then does
	 * not roll back, so do it here. */
	if (e && PQtransactionStatus(c->pg) != PQTRANS_IDLE) {
		PGresult *r = PQexec(c->pg, "ROLLBACK");
		PQclear(r);
	}
	c->in_tx = !e;
	return e;
}

/* A read-only snapshot (store_snapshot): one consistent state for every
 * statement, no advisory lock, so the store's writers go on. */
static enum err pg_begin_snapshot(void *conn)
{
	struct pg_conn *c = conn;
	enum err e = pg_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	if (e && PQtransactionStatus(c->pg) != PQTRANS_IDLE) {
		PGresult *r = PQexec(c->pg, "ROLLBACK");
		PQclear(r);
	}
	c->in_tx = !e;
	return e;
}

/* COMMIT of a transaction that an error has aborted answers "ROLLBACK"
 * without failing: that is reported, never taken for success. */
static enum err pg_commit(void *conn)
{
	struct pg_conn *c = conn;
	PGresult *r = PQexec(c->pg, "COMMIT");
	c->in_tx = false;
	enum err e = map_result(c, r);
	if (!e && strcmp(PQcmdStatus(r), "COMMIT") != 0) {
		set_err(c, "transaction was aborted by an earlier error and rolled back");
		e = ERR_DB;
	}
	PQclear(r);
	return e;
}

static enum err pg_rollback(void *conn)
{
	struct pg_conn *c = conn;
	c->in_tx = false;
	if (PQstatus(c->pg) == CONNECTION_BAD)
		return ERR_OK; /* the server already dropped the transaction */
	PGresult *r = PQexec(c->pg, "ROLLBACK");
	enum err e = map_result(c, r);
	PQclear(r);
	return e;
}

/*
 * Rewrite the portable placeholders: `?N` becomes `$N`; a plain `?`
 * becomes `$k` with k one more than the largest index so far (SQLite's
 * rule). Nothing is rewritten inside '...' literals or "..." identifiers
 * (a doubled quote stays inside). Returns the new text owned and the
 * number of parameters in *nparams, or NULL if an index is out of range.
 */
static char *rewrite(const char *sql, int *nparams)
{
	struct buf b;
	buf_init(&b, PG_MAX_SQL);
	int max = 0;
	char quote = 0;
	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0; /* a doubled quote re-enters on the next char */
			if (buf_putc(&b, *p))
				goto fail;
			continue;
		}
		if (*p == '\'' || *p == '"') {
			quote = *p;
			if (buf_putc(&b, *p))
				goto fail;
			continue;
		}
		if (*p != '?') {
			if (buf_putc(&b, *p))
				goto fail;
			continue;
		}
		int n = 0;
		if (p[1] >= '0' && p[1] <= '9') {
			while (p[1] >= '0' && p[1] <= '9') {
				n = n * 10 + (p[1] - '0');
				if (n > PG_MAX_PARAMS)
					goto fail;
				p++;
			}
			if (n == 0)
				goto fail;
		} else {
			n = max + 1;
		}
		if (n > PG_MAX_PARAMS)
			goto fail;
		if (n > max)
			max = n;
		if (buf_printf(&b, "$%d", n))
			goto fail;
	}
	*nparams = max;
	return buf_detach(&b, NULL);
fail:
	buf_release(&b);
	return NULL;
}

static enum err stmt_prepare(struct pg_stmt *st)
{
	struct pg_conn *c = st->c;
	PGresult *r = PQprepare(c->pg, st->name, st->sql, st->nparams, NULL);
	enum err e = map_result(c, r);
	PQclear(r);
	if (!e)
		st->gen = c->gen;
	return e;
}

static void pg_finalize(void *stmt);

static enum err pg_prepare(void *conn, const char *sql, void **out)
{
	struct pg_conn *c = conn;
	revive(c);
	int n = 0;
	char *text = rewrite(sql, &n);
	if (!text) {
		set_err(c, "statement has an invalid or too large placeholder");
		return ERR_DB;
	}
	struct pg_stmt *st = xcalloc(1, sizeof *st);
	st->c = c;
	st->sql = text;
	st->nparams = n;
	st->params = xcalloc(n ? (size_t)n : 1, sizeof *st->params);
	st->row = -1;
	snprintf(st->name, sizeof st->name, "s%u", ++c->next);
	/* The store's statements that can write start with INSERT, UPDATE,
	 * DELETE (or WITH); a plain SELECT cannot. */
	const char *k = sql + strspn(sql, " \t\n(");
	st->readonly = strncasecmp(k, "SELECT", 6) == 0;
	enum err e = stmt_prepare(st);
	if (e) {
		pg_finalize(st);
		return e;
	}
	*out = st;
	return ERR_OK;
}

static void param_clear(struct pg_param *p)
{
	free(p->heap);
	p->heap = NULL;
	p->v = NULL;
}

/* Frees the client side; the server-side statement lives until the
 * connection closes (store.c finalizes only right before disconnecting). */
static void pg_finalize(void *stmt)
{
	struct pg_stmt *st = stmt;
	if (!st)
		return;
	PQclear(st->res);
	for (int i = 0; i < st->nparams; i++)
		param_clear(&st->params[i]);
	free(st->params);
	free(st->sql);
	free(st);
}

static struct pg_param *param_at(struct pg_stmt *st, int i)
{
	if (i < 1 || i > st->nparams) {
		set_err(st->c, "bind index out of range");
		return NULL;
	}
	struct pg_param *p = &st->params[i - 1];
	param_clear(p);
	return p;
}

static enum err pg_bind_int(void *stmt, int i, int64_t v)
{
	struct pg_param *p = param_at(stmt, i);
	if (!p)
		return ERR_DB;
	snprintf(p->small, sizeof p->small, "%lld", (long long)v);
	p->v = p->small;
	return ERR_OK;
}

/* %.17g round-trips every finite double exactly. */
static enum err pg_bind_double(void *stmt, int i, double v)
{
	struct pg_param *p = param_at(stmt, i);
	if (!p)
		return ERR_DB;
	snprintf(p->small, sizeof p->small, "%.17g", v);
	p->v = p->small;
	return ERR_OK;
}

static enum err pg_bind_text(void *stmt, int i, const char *v)
{
	struct pg_param *p = param_at(stmt, i);
	if (!p)
		return ERR_DB;
	p->heap = xstrdup(v);
	p->v = p->heap;
	return ERR_OK;
}

static enum err pg_bind_null(void *stmt, int i)
{
	return param_at(stmt, i) ? ERR_OK : ERR_DB;
}

/* Run the statement: the whole result arrives as one PGresult. */
static enum err stmt_run(struct pg_stmt *st)
{
	struct pg_conn *c = st->c;
	enum err e;
	for (int attempt = 0;; attempt++) {
		revive(c);
		if (st->gen != c->gen && (e = stmt_prepare(st)))
			return e;
		const char *small[16];
		const char **vals =
			st->nparams <= 16 ? small : xcalloc((size_t)st->nparams, sizeof *vals);
		for (int i = 0; i < st->nparams; i++)
			vals[i] = st->params[i].v;
		/* All parameters and results as text (formats 0). */
		PGresult *r = PQexecPrepared(c->pg, st->name, st->nparams, vals, NULL, NULL, 0);
		if (vals != small)
			free(vals);
		e = map_result(c, r);
		if (!e) {
			st->res = r; /* owned by the statement now */
			st->nrows = PQresultStatus(r) == PGRES_TUPLES_OK ? PQntuples(r) : 0;
			st->row = -1;
			st->done = true;
			return ERR_OK;
		}
		PQclear(r);
		/* A read that found the connection gone is run once more on a
		 * new one; a write is not (it may have committed before the
		 * answer was lost), nor anything inside a transaction. */
		if (attempt || !st->readonly || c->in_tx || PQstatus(c->pg) != CONNECTION_BAD)
			return e;
	}
}

static enum err pg_step(void *stmt, bool *row)
{
	struct pg_stmt *st = stmt;
	*row = false;
	if (!st->done) {
		enum err e = stmt_run(st);
		if (e)
			return e;
	}
	if (st->row < st->nrows)
		st->row++;
	*row = st->row < st->nrows;
	return ERR_OK;
}

/* The current row's column i as text; "" when there is no row or column
 * (libpq itself answers "" for NULL). Borrowed from st->res. */
static const char *cell(struct pg_stmt *st, int i)
{
	if (!st->res || st->row < 0 || st->row >= st->nrows || i < 0 || i >= PQnfields(st->res))
		return "";
	return PQgetvalue(st->res, st->row, i);
}

static int64_t pg_col_int(void *stmt, int i)
{
	const char *s = cell(stmt, i);
	return s[0] ? (int64_t)strtoll(s, NULL, 10) : 0;
}

static double pg_col_double(void *stmt, int i)
{
	const char *s = cell(stmt, i);
	return s[0] ? strtod(s, NULL) : 0.0;
}

static const char *pg_col_text(void *stmt, int i) { return cell(stmt, i); }

static bool pg_col_null(void *stmt, int i)
{
	struct pg_stmt *st = stmt;
	if (!st->res || st->row < 0 || st->row >= st->nrows || i < 0 || i >= PQnfields(st->res))
		return true;
	return PQgetisnull(st->res, st->row, i) != 0;
}

/* Drops the result (PQclear) and the bound values (unbound = NULL). */
static void pg_reset(void *stmt)
{
	struct pg_stmt *st = stmt;
	PQclear(st->res);
	st->res = NULL;
	st->nrows = 0;
	st->row = -1;
	st->done = false;
	for (int i = 0; i < st->nparams; i++)
		param_clear(&st->params[i]);
}

static bool pg_readonly(void *stmt) { return ((struct pg_stmt *)stmt)->readonly; }

static const char *pg_errmsg(void *conn)
{
	struct pg_conn *c = conn;
	return c->err[0] ? c->err : PQerrorMessage(c->pg);
}

/*
 * PostgreSQL has no integrity_check: verify the connection answers, that
 * the schema is there, and that no index is invalid or unready (what a
 * failed CREATE INDEX CONCURRENTLY or a crash of a REINDEX leaves).
 */
static enum err pg_check(void *conn, struct errinfo *ei)
{
	struct pg_conn *c = conn;
	revive(c);
	PGresult *r = PQexec(c->pg, "SELECT 1,"
				    " (SELECT COUNT(*) FROM schema_version),"
				    " (SELECT COUNT(*) FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
				    "  JOIN pg_namespace n ON n.oid = t.relnamespace"
				    "  WHERE n.nspname = current_schema()"
				    "  AND NOT (i.indisvalid AND i.indisready))");
	enum err e = map_result(c, r);
	if (e) {
		errinfo_set(ei, ERR_DB, "db", "%s", c->err);
	} else if (PQntuples(r) != 1 || strcmp(PQgetvalue(r, 0, 0), "1") != 0 ||
		   strtoll(PQgetvalue(r, 0, 1), NULL, 10) < 1) {
		e = errinfo_set(ei, ERR_DB, "db", "integrity: no schema version recorded");
	} else if (strcmp(PQgetvalue(r, 0, 2), "0") != 0) {
		e = errinfo_set(ei, ERR_DB, "db", "integrity: %s invalid index(es)",
				PQgetvalue(r, 0, 2));
	}
	PQclear(r);
	return e;
}

/*
 * After rows were inserted with explicit ids, move the table's identity
 * sequence past the largest id, so the next default id does not collide.
 * `table` comes from the store's fixed table list; it is still checked to
 * be a plain lower-case identifier before it goes into the text.
 */
static enum err pg_after_bulk_load(void *conn, const char *table)
{
	struct pg_conn *c = conn;
	size_t n = strspn(table, "abcdefghijklmnopqrstuvwxyz_0123456789");
	if (n == 0 || n > 63 || table[n]) {
		set_err(c, "not a table name");
		return ERR_INTERNAL;
	}
	char sql[256];
	snprintf(sql, sizeof sql,
		 "SELECT setval(pg_get_serial_sequence('%s', 'id'), COALESCE(MAX(id), 0) + 1, false)"
		 " FROM %s",
		 table, table);
	return pg_exec(c, sql);
}

const struct store_backend store_pg_backend = {
	.name = "postgres",
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.exec = pg_exec,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.bind_int = pg_bind_int,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.col_int = pg_col_int,
	.col_double = pg_col_double,
	.col_text = pg_col_text,
	.col_null = pg_col_null,
	.reset = pg_reset,
	.errmsg = pg_errmsg,
	.check = pg_check,
	.data_version_sql = PG_DATA_VERSION,
	.readonly = pg_readonly,
	.after_bulk_load = pg_after_bulk_load,
	.begin_snapshot = pg_begin_snapshot,
	.tok_id = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
	.tok_blob = "BYTEA",
	.tok_pathtext = "TEXT COLLATE \"C\"",
};
