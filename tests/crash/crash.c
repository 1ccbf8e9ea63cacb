/*
 * crash.c — crash safety (issue 8): write through the real server over
 * HTTP while killing it with SIGKILL at random moments, many times, and
 * after every kill look at the database itself:
 *
 *   - every acknowledged write (a 2xx answer arrived) is there;
 *   - no write is there in part: a mentor or mentee without its audit
 *     entry (or the reverse), an import batch of 3 rows with fewer than 3,
 *     a pairing without its members, status event or audit entry, a
 *     mentor pipeline step without its audit entry;
 *   - the database passes its integrity check (SQLite: PRAGMA quick_check
 *     and foreign_key_check after each kill, integrity_check at the end;
 *     PostgreSQL: amcheck's bt_index_check on every index after each
 *     kill, with heapallindexed and verify_heapam on every table at the
 *     end);
 *   - and, once the server is up again, the audit hash chain verifies
 *     (GET /api/v1/audit/verify).
 *
 * The database is the demo programme on the run's backend: a SQLite file
 * (WAL, synchronous=FULL, as the store opens it), or with BANGDAI_TEST_DB
 * set (scripts/pg-test) a fresh PostgreSQL database on that server, made
 * to commit synchronously (scripts/pg-test turns it off server-wide).
 *
 * Each cycle starts the server, runs CRASH_WRITERS (3) writer threads
 * that each cycle through: create a mentor; commit an import of 3
 * mentors; create a mentee, give it a pairing with a mentor the writer
 * created and appointed (3 pipeline steps) itself. After a random delay
 * (CRASH_MIN_MS..CRASH_MAX_MS) the server gets SIGKILL. Every name and
 * phone is new, so what a write left behind can be found by its name.
 * On PostgreSQL, half-way through, a PostgreSQL server process is killed
 * too (SIGKILL: the postmaster recovers from its WAL as after a crash),
 * unless CRASH_NO_PG_KILL is set.
 *
 * Usage: crash [--tsv FILE]. Environment: BANGDAI_BIN (the binary),
 * BANGDAI_TEST_DB, CRASH_CYCLES (default 50), CRASH_SEED, CRASH_KEEP (keep
 * the database), CRASH_MIN_MS, CRASH_MAX_MS. Prints one line
 * per cycle and a summary; writes the TSV (header line, then: backend,
 * cycles, acknowledged writes, lost, half-writes, integrity ok|FAIL,
 * audit chain ok|FAIL, unacknowledged writes found committed, seconds,
 * PostgreSQL crashes).
 * Exits 0 only if nothing was lost or half-written and every check passed.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "../testdb.h"
#include "libhttpc.h"

#define MAX_WRITERS 8
#define REGION "640122100" /* 习岗镇, a township of 贺兰县 in the demo */
#define IMPORT_ROWS 3

/* --- the writes and what became of them ----------------------------------- */

enum kind { K_MENTOR, K_IMPORT, K_MENTEE, K_PAIRING, K_STEP };
static const char *const kind_name[] = {"mentor", "import", "mentee", "pairing", "step"};

struct item {
	enum kind kind;
	char key[64];   /* the name (mentor, mentee, import batch prefix) */
	int64_t id;     /* pairing / step: the pairing or mentor id */
	bool acked;     /* a 2xx answer arrived */
	int cycle;
};

static struct item *items;
static size_t nitems, capitems;
static pthread_mutex_t items_mu = PTHREAD_MUTEX_INITIALIZER;

static size_t item_add(enum kind k, const char *key, int64_t id, int cycle)
{
	pthread_mutex_lock(&items_mu);
	if (nitems == capitems) {
		capitems = capitems ? capitems * 2 : 1024;
		items = realloc(items, capitems * sizeof *items);
		if (!items) {
			perror("crash: realloc");
			exit(2);
		}
	}
	size_t i = nitems++;
	memset(&items[i], 0, sizeof items[i]);
	items[i].kind = k;
	snprintf(items[i].key, sizeof items[i].key, "%s", key);
	items[i].id = id;
	items[i].cycle = cycle;
	pthread_mutex_unlock(&items_mu);
	return i;
}

static void item_ack(size_t i)
{
	pthread_mutex_lock(&items_mu);
	items[i].acked = true;
	pthread_mutex_unlock(&items_mu);
}

/* --- the database, read directly ------------------------------------------- */

static struct testdb db;
static sqlite3 *sq;
static PGconn *pg;

static int db_open(void)
{
	if (testdb_is_pg()) {
		pg = PQconnectdb(db.uri);
		if (PQstatus(pg) != CONNECTION_OK) {
			fprintf(stderr, "crash: cannot connect: %s", PQerrorMessage(pg));
			PQfinish(pg);
			pg = NULL;
			return -1;
		}
		return 0;
	}
	if (sqlite3_open_v2(db.uri, &sq, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		fprintf(stderr, "crash: cannot open %s: %s\n", db.uri, sqlite3_errmsg(sq));
		sqlite3_close(sq);
		sq = NULL;
		return -1;
	}
	sqlite3_busy_timeout(sq, 5000);
	return 0;
}

static void db_close(void)
{
	if (pg)
		PQfinish(pg);
	if (sq)
		sqlite3_close(sq);
	pg = NULL;
	sq = NULL;
}

/* The first column of the first row of a query as an integer (0 if no
 * row), or -1 with a message if it failed. */
static int64_t scalar(const char *fmt, ...)
{
	char sql[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	int64_t v = 0;
	if (pg) {
		PGresult *r = PQexec(pg, sql);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			fprintf(stderr, "crash: %s: %s", sql, PQresultErrorMessage(r));
			v = -1;
		} else if (PQntuples(r) > 0) {
			v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		}
		PQclear(r);
		return v;
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(sq, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "crash: %s: %s\n", sql, sqlite3_errmsg(sq));
		return -1;
	}
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE) {
		fprintf(stderr, "crash: %s: %s\n", sql, sqlite3_errmsg(sq));
		v = -1;
	}
	sqlite3_finalize(st);
	return v;
}

/* The text of the first row of a query into out ("" if no row); -1 on
 * failure. */
static int text1(const char *sql, char *out, size_t n)
{
	out[0] = '\0';
	if (pg) {
		PGresult *r = PQexec(pg, sql);
		int rc = PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK
				 ? 0
				 : -1;
		if (rc)
			snprintf(out, n, "%s", PQresultErrorMessage(r));
		else if (PQntuples(r) > 0)
			snprintf(out, n, "%s", PQgetvalue(r, 0, 0));
		PQclear(r);
		return rc;
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(sq, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(out, n, "%s", sqlite3_errmsg(sq));
		return -1;
	}
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* The integrity check of the whole database: true if it passes. `full`:
 * also every index entry against its row (SQLite integrity_check rather
 * than quick_check; amcheck's heapallindexed and verify_heapam), which
 * is slower: after every kill the quick one, at the end the full one
 * (damage does not go away, so the last look sees what any kill did). */
static bool integrity_ok(bool full)
{
	char out[1024];
	if (sq) {
		const char *sql = full ? "PRAGMA integrity_check" : "PRAGMA quick_check";
		if (text1(sql, out, sizeof out) || strcmp(out, "ok") != 0) {
			fprintf(stderr, "crash: %s: %s\n", sql, out);
			return false;
		}
		int64_t fk = scalar("SELECT COUNT(*) FROM pragma_foreign_key_check");
		if (fk != 0) {
			fprintf(stderr, "crash: foreign_key_check: %" PRId64 "\n", fk);
			return false;
		}
		return true;
	}
	/* Every B-tree index against its table, every table's heap pages,
	 * no invalid index. */
	int64_t bad = scalar(
		"SELECT COUNT(*) FROM (SELECT bt_index_check(i.indexrelid, %s)"
		" FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
		" JOIN pg_am am ON am.oid = c.relam"
		" WHERE am.amname = 'btree' AND c.relnamespace = current_schema()::regnamespace) x"
		" WHERE false",
		full ? "true" : "false");
	int64_t heap = full ? scalar("SELECT COUNT(*) FROM pg_class c, LATERAL verify_heapam(c.oid) v"
				     " WHERE c.relkind = 'r'"
				     " AND c.relnamespace = current_schema()::regnamespace")
			    : 0;
	int64_t invalid = scalar("SELECT COUNT(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
				 " WHERE c.relnamespace = current_schema()::regnamespace"
				 " AND NOT (i.indisvalid AND i.indisready)");
	if (bad != 0 || heap != 0 || invalid != 0) {
		fprintf(stderr, "crash: amcheck: index check %" PRId64 ", heap %" PRId64
				", invalid indexes %" PRId64 "\n",
			bad, heap, invalid);
		return false;
	}
	return true;
}

/* Ids before the test: the half-write checks look only above them. */
static int64_t base_audit, base_mentor, base_mentee, base_pairing;

/* After each cycle the half-write checks look only at the rows since
 * the previous one (rows are never deleted: an orphan stays one and is
 * found when it appears; a row and its audit entry are written by one
 * transaction, so both are after the same kill); at the end at all of
 * the test's rows. */
static void bases_now(void)
{
	base_audit = scalar("SELECT COALESCE(MAX(id), 0) FROM audit");
	base_mentor = scalar("SELECT COALESCE(MAX(id), 0) FROM mentors");
	base_mentee = scalar("SELECT COALESCE(MAX(id), 0) FROM mentees");
	base_pairing = scalar("SELECT COALESCE(MAX(id), 0) FROM pairings");
}

/*
 * Rows that belong to a write of which not all is there. Each query
 * counts one kind of orphan among the rows the test's writes made.
 */
static bool quiet; /* the self-check plants half-writes: no messages */

static int64_t half_writes(void)
{
	int64_t n = 0, v;
#define ADD(...)                                          \
	do {                                                  \
		v = scalar(__VA_ARGS__);                          \
		if (v != 0 && !quiet)                             \
			fprintf(stderr, "crash: %" PRId64 " half-writes (query at line %d)\n", v, __LINE__); \
		n += v < 0 ? 1 : v;                               \
	} while (0)
	/* A mentor or mentee made by POST without its audit entry (a mentor
	 * also without its first pipeline step), or the reverse. (NOT IN an
	 * uncorrelated list: both engines hash it once; the audit has no
	 * index on object_id.) */
	ADD("SELECT COUNT(*) FROM mentors m WHERE m.id > %" PRId64 " AND m.name LIKE '崩溃%%'"
	    " AND m.name NOT LIKE '崩溃I%%' AND NOT EXISTS (SELECT 1 FROM mentor_transitions t"
	    " WHERE t.mentor_id = m.id AND t.action = 'nominate')",
	    base_mentor);
	ADD("SELECT COUNT(*) FROM mentors m WHERE m.id > %" PRId64 " AND m.name LIKE '崩溃M%%'"
	    " AND CAST(m.id AS TEXT) NOT IN (SELECT a.object_id FROM audit a WHERE a.id > %" PRId64
	    " AND a.object = 'mentor' AND a.action = 'create')",
	    base_mentor, base_audit);
	ADD("SELECT COUNT(*) FROM audit a WHERE a.id > %" PRId64 " AND a.object = 'mentor'"
	    " AND a.action = 'create' AND a.object_id NOT IN (SELECT CAST(id AS TEXT) FROM mentors)",
	    base_audit);
	ADD("SELECT COUNT(*) FROM mentees m WHERE m.id > %" PRId64 " AND m.name LIKE '崩溃E%%'"
	    " AND CAST(m.id AS TEXT) NOT IN (SELECT a.object_id FROM audit a WHERE a.id > %" PRId64
	    " AND a.object = 'mentee' AND a.action = 'create')",
	    base_mentee, base_audit);
	ADD("SELECT COUNT(*) FROM audit a WHERE a.id > %" PRId64 " AND a.object = 'mentee'"
	    " AND a.action = 'create' AND a.object_id NOT IN (SELECT CAST(id AS TEXT) FROM mentees)",
	    base_audit);
	/* An import batch: all 3 rows or none, one audit entry per batch. */
	ADD("SELECT COUNT(*) FROM (SELECT substr(name, 1, length(name) - 1) AS batch, COUNT(*) AS n"
	    " FROM mentors WHERE id > %" PRId64 " AND name LIKE '崩溃I%%'"
	    " GROUP BY substr(name, 1, length(name) - 1)) b WHERE b.n <> %d",
	    base_mentor, IMPORT_ROWS);
	v = scalar("SELECT COUNT(*) FROM mentors WHERE id > %" PRId64 " AND name LIKE '崩溃I%%'",
		   base_mentor);
	int64_t audits = scalar("SELECT COUNT(*) FROM audit WHERE id > %" PRId64
				" AND action = 'import'",
				base_audit);
	if (v < 0 || audits < 0 || v != audits * IMPORT_ROWS) {
		if (!quiet)
			fprintf(stderr, "crash: half-writes: %" PRId64 " imported rows, %" PRId64
				" import audit entries\n",
			v, audits);
		n++;
	}
	/* A pairing: its members on both sides, its first event, its audit
	 * entry; and no audit entry without its pairing. */
	ADD("SELECT COUNT(*) FROM pairings p WHERE p.id > %" PRId64 " AND ("
	    " NOT EXISTS (SELECT 1 FROM pairing_members pm WHERE pm.pairing_id = p.id"
	    "  AND pm.side = 'mentor')"
	    " OR NOT EXISTS (SELECT 1 FROM pairing_members pm WHERE pm.pairing_id = p.id"
	    "  AND pm.side = 'mentee')"
	    " OR NOT EXISTS (SELECT 1 FROM pairing_events e WHERE e.pairing_id = p.id"
	    "  AND e.action = 'create')"
	    " OR CAST(p.id AS TEXT) NOT IN (SELECT a.object_id FROM audit a WHERE a.id > %" PRId64
	    "  AND a.object = 'pairing' AND a.action = 'create'))",
	    base_pairing, base_audit);
	ADD("SELECT COUNT(*) FROM audit a WHERE a.id > %" PRId64 " AND a.object = 'pairing'"
	    " AND a.action = 'create' AND a.object_id NOT IN (SELECT CAST(id AS TEXT) FROM pairings)",
	    base_audit);
	/* Pipeline steps of the test's mentors: one audit entry each, and the
	 * mentor's status where the last step left it. */
	v = scalar("SELECT COUNT(*) FROM mentor_transitions t JOIN mentors m ON m.id = t.mentor_id"
		   " WHERE m.id > %" PRId64 " AND m.name LIKE '崩溃P%%' AND t.action <> 'nominate'",
		   base_mentor);
	audits = scalar("SELECT COUNT(*) FROM audit a WHERE a.id > %" PRId64 " AND a.object = 'mentor'"
			" AND a.action IN ('shortlist', 'file', 'appoint')",
			base_audit);
	if (v < 0 || audits < 0 || v != audits) {
		if (!quiet)
			fprintf(stderr, "crash: half-writes: %" PRId64 " pipeline steps, %" PRId64
				" audit entries for them\n",
			v, audits);
		n++;
	}
	ADD("SELECT COUNT(*) FROM mentors m WHERE m.id > %" PRId64 " AND m.name LIKE '崩溃P%%'"
	    " AND m.status <> CASE (SELECT COUNT(*) FROM mentor_transitions t WHERE t.mentor_id = m.id"
	    "  AND t.action <> 'nominate')"
	    " WHEN 0 THEN 'nominated' WHEN 1 THEN 'shortlisted' WHEN 2 THEN 'filed' ELSE 'active' END",
	    base_mentor);
#undef ADD
	return n;
}

/* The checks can fail: with one row of an import batch moved out of it
 * and one mentee's audit entry taken away (in a transaction rolled back after), they must
 * count at least 2 half-writes. */
static bool checks_can_fail(void)
{
	char out[256];
	int64_t before = half_writes();
	if (text1("BEGIN", out, sizeof out) != 0)
		return false;
	if (text1("UPDATE mentors SET name = 'x' || name WHERE id = (SELECT MAX(id) FROM mentors"
		  " WHERE name LIKE '崩溃I%')",
		  out, sizeof out) ||
	    text1("DELETE FROM audit WHERE id = (SELECT MAX(id) FROM audit WHERE object = 'mentee'"
		  " AND action = 'create')",
		  out, sizeof out))
		fprintf(stderr, "crash: cannot plant a half-write: %s\n", out);
	quiet = true;
	int64_t after = half_writes();
	quiet = false;
	text1("ROLLBACK", out, sizeof out);
	return before == 0 && after >= 2 && half_writes() == 0;
}

/* What the test's writes left, as sorted keys ("m:" mentor name, "e:"
 * mentee name, "p:" pairing id, "t:" mentor id ":" status of a pipeline
 * step), read with one query per kind: looking items up one query each
 * costs a table scan per item. */
struct keys {
	char **v;
	size_t n, cap;
	bool failed;
};

static void keys_add(struct keys *k, const char *prefix, const char *value)
{
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 4096;
		k->v = realloc(k->v, k->cap * sizeof *k->v);
		if (!k->v) {
			perror("crash: realloc");
			exit(2);
		}
	}
	size_t len = strlen(prefix) + strlen(value) + 1;
	k->v[k->n] = malloc(len);
	if (!k->v[k->n]) {
		perror("crash: malloc");
		exit(2);
	}
	snprintf(k->v[k->n++], len, "%s%s", prefix, value);
}

/* Add the first column of every row of the query, after `prefix`. */
static void keys_load(struct keys *k, const char *prefix, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	if (pg) {
		PGresult *r = PQexec(pg, sql);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			fprintf(stderr, "crash: %s: %s", sql, PQresultErrorMessage(r));
			k->failed = true;
		} else {
			for (int i = 0; i < PQntuples(r); i++)
				keys_add(k, prefix, PQgetvalue(r, i, 0));
		}
		PQclear(r);
		return;
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(sq, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "crash: %s: %s\n", sql, sqlite3_errmsg(sq));
		k->failed = true;
		return;
	}
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		keys_add(k, prefix, (const char *)sqlite3_column_text(st, 0));
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "crash: %s: %s\n", sql, sqlite3_errmsg(sq));
		k->failed = true;
	}
	sqlite3_finalize(st);
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The rows made since the bases (the previous kill, or the start). */
static void keys_read(struct keys *k)
{
	memset(k, 0, sizeof *k);
	keys_load(k, "m:", "SELECT name FROM mentors WHERE id > %" PRId64, base_mentor);
	keys_load(k, "e:", "SELECT name FROM mentees WHERE id > %" PRId64, base_mentee);
	keys_load(k, "p:", "SELECT CAST(id AS TEXT) FROM pairings WHERE id > %" PRId64, base_pairing);
	keys_load(k, "t:",
		  "SELECT CAST(mentor_id AS TEXT) || ':' || to_status FROM mentor_transitions"
		  " WHERE mentor_id > %" PRId64,
		  base_mentor);
	qsort(k->v, k->n, sizeof *k->v, cmp_key);
}

static void keys_free(struct keys *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i]);
	free(k->v);
	memset(k, 0, sizeof *k);
}

/* How many keys start with `prefix` (all of the key if `whole`). */
static size_t keys_count(const struct keys *k, const char *prefix, bool whole)
{
	size_t lo = 0, hi = k->n, len = strlen(prefix), n = 0;
	while (lo < hi) { /* the first key >= prefix */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(k->v[mid], prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < k->n && strncmp(k->v[i], prefix, len) == 0; i++)
		n += !whole || k->v[i][len] == '\0';
	return n;
}

/* Is the item there? 1 yes, 0 no, -1 an import batch in part or the
 * rows could not be read. */
static int present(const struct keys *k, const struct item *it)
{
	char key[128];
	if (k->failed)
		return -1;
	switch (it->kind) {
	case K_MENTOR:
		snprintf(key, sizeof key, "m:%s", it->key);
		return keys_count(k, key, true) > 0;
	case K_MENTEE:
		snprintf(key, sizeof key, "e:%s", it->key);
		return keys_count(k, key, true) > 0;
	case K_IMPORT: {
		snprintf(key, sizeof key, "m:%s", it->key);
		size_t n = keys_count(k, key, false);
		return n == 0 ? 0 : n == IMPORT_ROWS ? 1 : -1;
	}
	case K_PAIRING:
		snprintf(key, sizeof key, "p:%" PRId64, it->id);
		return keys_count(k, key, true) > 0;
	case K_STEP:
		snprintf(key, sizeof key, "t:%" PRId64 ":%s", it->id, it->key);
		return keys_count(k, key, true) > 0;
	}
	return -1;
}

/* --- the writers --------------------------------------------------------- */

static uint16_t port;
static char token[128];
static _Atomic bool pg_down; /* PostgreSQL was killed this cycle: 5xx expected */
static char category[64];
static int cycle_no;
static _Atomic unsigned serial; /* makes every name and phone new */

struct writer {
	int w;
	int64_t mentor;    /* an appointed mentor of this writer, or 0 */
	int mentor_room;   /* pairings it may still take */
	int requests;
};

/* POST body to path; 2xx: the answer as JSON (owned; may be NULL) in *out
 * and 1; an answer that is not 2xx: 0; no answer (the server died): -1. */
static int post(const char *path, const char *ctype, const char *body, json_t **out)
{
	struct httpc_response r;
	int rc;
	*out = NULL;
	if (!ctype) {
		rc = httpc_request(port, "POST", path, token, body, &r);
	} else {
		char head[1024];
		size_t blen = strlen(body);
		int n = snprintf(head, sizeof head,
				 "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
				 "Content-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
				 path, token, ctype, blen);
		char *req = malloc((size_t)n + blen);
		if (!req)
			return -1;
		memcpy(req, head, (size_t)n);
		memcpy(req + n, body, blen);
		rc = httpc_raw(port, req, (size_t)n + blen, &r);
		free(req);
	}
	if (rc != 0 || r.status == 0) {
		httpc_response_release(&r);
		return -1;
	}
	int ok = r.status >= 200 && r.status < 300;
	if (ok)
		*out = httpc_json(&r);
	else if (r.status >= 500 && !pg_down)
		fprintf(stderr, "crash: POST %s: %d %s\n", path, r.status, r.body ? r.body : "");
	httpc_response_release(&r);
	return ok;
}

static int64_t jid(json_t *j)
{
	return (int64_t)json_integer_value(json_object_get(j, "id"));
}

/* One mentor by POST; its id, 0 if refused, -1 if the server died. */
static int64_t new_mentor(struct writer *wr, const char *prefix, int capacity, enum kind kind)
{
	unsigned s = ++serial;
	char name[64], body[768];
	snprintf(name, sizeof name, "崩溃%s%uw%d", prefix, s, wr->w);
	snprintf(body, sizeof body,
		 "{\"name\":\"%s\",\"gender\":\"男\",\"phone\":\"137%08u\",\"region\":\"" REGION "\","
		 "\"tier\":\"township\",\"source\":\"veteran_cadre\",\"team_type\":\"experienced\","
		 "\"capacity\":%d,\"domains\":[\"party_building\"]}",
		 name, s, capacity);
	size_t it = item_add(kind, name, 0, cycle_no);
	json_t *j;
	int rc = post("/api/v1/mentors", NULL, body, &j);
	int64_t id = rc == 1 ? jid(j) : rc;
	json_decref(j);
	if (rc == 1)
		item_ack(it);
	return id;
}

static int op_mentor(struct writer *wr)
{
	return new_mentor(wr, "M", 2, K_MENTOR) < 0 ? -1 : 0;
}

static int op_import(struct writer *wr)
{
	unsigned s = ++serial;
	char batch[48], csv[2048];
	snprintf(batch, sizeof batch, "崩溃I%uw%dr", s, wr->w);
	int n = snprintf(csv, sizeof csv, "姓名,性别,手机号,所属地区,导师库层级,来源类型,三型,擅长领域\n");
	for (int i = 0; i < IMPORT_ROWS; i++)
		n += snprintf(csv + n, sizeof csv - (size_t)n,
			      "%s%d,女,138%07u%d,%s,乡镇级,致富能人,专家型,种植技术\n", batch, i, s, i,
			      REGION);
	size_t it = item_add(K_IMPORT, batch, 0, cycle_no);
	json_t *j;
	int rc = post("/api/v1/imports/mentors?dry_run=false", "text/csv", csv, &j);
	if (rc == 1 && json_integer_value(json_object_get(j, "created")) == IMPORT_ROWS)
		item_ack(it);
	else if (rc == 1)
		fprintf(stderr, "crash: import answered 2xx without creating %d rows\n", IMPORT_ROWS);
	json_decref(j);
	return rc < 0 ? -1 : 0;
}

static int op_pairing(struct writer *wr)
{
	json_t *j;
	int rc;
	char path[96], body[256];
	if (!wr->mentor || wr->mentor_room <= 0) {
		int64_t id = new_mentor(wr, "P", 3, K_MENTOR);
		if (id <= 0)
			return (int)id;
		static const char *const steps[][2] = {
			{"shortlist", "shortlisted"}, {"file", "filed"}, {"appoint", "active"}};
		snprintf(path, sizeof path, "/api/v1/mentors/%" PRId64 "/transitions", id);
		for (int i = 0; i < 3; i++) {
			snprintf(body, sizeof body, "{\"action\":\"%s\"}", steps[i][0]);
			size_t it = item_add(K_STEP, steps[i][1], id, cycle_no);
			rc = post(path, NULL, body, &j);
			json_decref(j);
			if (rc != 1)
				return rc < 0 ? -1 : 0;
			item_ack(it);
		}
		wr->mentor = id;
		wr->mentor_room = 3;
	}
	unsigned s = ++serial;
	char name[64];
	snprintf(name, sizeof name, "崩溃E%uw%d", s, wr->w);
	snprintf(body, sizeof body,
		 "{\"kind\":\"person\",\"name\":\"%s\",\"category\":\"%s\",\"region\":\"" REGION "\","
		 "\"post\":\"村党支部书记\",\"weaknesses\":[\"party_building\"]}",
		 name, category);
	size_t it = item_add(K_MENTEE, name, 0, cycle_no);
	rc = post("/api/v1/mentees", NULL, body, &j);
	int64_t mentee = rc == 1 ? jid(j) : 0;
	json_decref(j);
	if (rc != 1)
		return rc < 0 ? -1 : 0;
	item_ack(it);
	snprintf(body, sizeof body, "{\"mentors\":[%" PRId64 "],\"mentees\":[%" PRId64 "]}",
		 wr->mentor, mentee);
	wr->mentor_room--;
	rc = post("/api/v1/pairings", NULL, body, &j);
	if (rc == 1)
		item_ack(item_add(K_PAIRING, "", jid(j), cycle_no));
	else if (rc == 0 && !pg_down)
		fprintf(stderr, "crash: a pairing was refused\n");
	json_decref(j);
	/* A pairing that was sent but not answered cannot be looked for
	 * by id: the half-write checks cover it. */
	return rc < 0 ? -1 : 0;
}

static void *writer_main(void *arg)
{
	struct writer *wr = arg;
	int (*const ops[])(struct writer *) = {op_mentor, op_import, op_pairing};
	/* Stop at the first request without an answer: the server is dead. */
	for (unsigned k = (unsigned)wr->w;; k++) {
		wr->requests++;
		if (ops[k % 3](wr) < 0)
			break;
	}
	return NULL;
}

/* --- the run ----------------------------------------------------------- */

static uint64_t rng;
static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000};
	nanosleep(&t, NULL);
}

static const char *bin(void)
{
	const char *b = getenv("BANGDAI_BIN");
	return b ? b : "./bangdai";
}

static long env_long(const char *name, long dflt)
{
	const char *v = getenv(name);
	return v && *v ? strtol(v, NULL, 10) : dflt;
}

static json_t *get(const char *path)
{
	struct httpc_response r;
	json_t *j = NULL;
	if (httpc_request(port, "GET", path, token, NULL, &r) == 0 && r.status == 200)
		j = httpc_json(&r);
	else
		fprintf(stderr, "crash: GET %s: %d %s\n", path, r.status, r.body ? r.body : "");
	httpc_response_release(&r);
	return j;
}

static int login(void)
{
	struct httpc_response r;
	if (httpc_request(port, "POST", "/api/v1/auth/login", NULL,
			  "{\"login\":\"city_admin\",\"password\":\"bangdai-demo\"}", &r) != 0 ||
	    r.status != 200) {
		fprintf(stderr, "crash: login: %d %s\n", r.status, r.body ? r.body : "");
		httpc_response_release(&r);
		return -1;
	}
	json_t *j = httpc_json(&r);
	snprintf(token, sizeof token, "%s", json_string_value(json_object_get(j, "token")));
	json_decref(j);
	httpc_response_release(&r);
	return 0;
}

/* The audit chain as the server sees it: true if it verifies. */
static bool chain_ok(void)
{
	json_t *j = get("/api/v1/audit/verify");
	bool ok = j && json_is_true(json_object_get(j, "ok"));
	if (!ok) {
		char *s = j ? json_dumps(j, 0) : NULL;
		fprintf(stderr, "crash: audit chain: %s\n", s ? s : "no answer");
		free(s);
	}
	json_decref(j);
	return ok;
}

struct totals {
	long acked, lost, half, committed_unacked;
	bool integrity, chain;
};

/* After a kill: what was acknowledged in items [from, nitems) is there,
 * nothing is there in part, the database is sound. `next_bases`: the
 * next half-write check starts after the rows there now. */
static void check_db(size_t from, struct totals *t, const char *when, bool next_bases)
{
	if (db_open() != 0) {
		t->integrity = false;
		return;
	}
	if (!integrity_ok(!next_bases)) {
		fprintf(stderr, "crash: %s: integrity check failed\n", when);
		t->integrity = false;
	}
	long h = (long)half_writes();
	t->half += h;
	struct keys k;
	keys_read(&k);
	if (next_bases)
		bases_now();
	for (size_t i = from; i < nitems; i++) {
		int p = present(&k, &items[i]);
		if (p == 1 && !items[i].acked)
			t->committed_unacked++;
		if (p < 0) {
			fprintf(stderr, "crash: %s: %s %s %" PRId64 " is there in part\n", when,
				kind_name[items[i].kind], items[i].key, items[i].id);
			t->half++;
		} else if (items[i].acked && !p) {
			fprintf(stderr, "crash: %s: acknowledged %s %s %" PRId64 " is lost\n", when,
				kind_name[items[i].kind], items[i].key, items[i].id);
			t->lost++;
		}
	}
	keys_free(&k);
	db_close();
}

/* Start the server; log in the first time only: the session is stored,
 * so the token outlives the kills (and a login costs a password hash). */
/*
 * PostgreSQL crashes: SIGKILL one server process of this database's
 * connections (bangdai's), which makes the postmaster end every other one
 * and recover from the WAL, as after a crash of the whole server (the
 * postmaster then restarts them: restart_after_crash). Waits until the
 * database answers again. scripts/pg-test turns fsync off, which a process
 * crash does not matter for (what was written is in the page cache).
 */
static PGconn *pg_admin;
static int pg_crashes;

static int pg_crash(void)
{
	PGresult *r = PQexec(pg_admin, "SELECT pid FROM pg_stat_activity WHERE datname ="
				       " current_database() AND pid <> pg_backend_pid()"
				       " AND backend_type = 'client backend' LIMIT 1");
	pid_t pid = 0;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		pid = (pid_t)strtol(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	if (pid <= 0 || kill(pid, SIGKILL) != 0) {
		fprintf(stderr, "crash: no PostgreSQL process to kill (%d)\n", (int)pid);
		return -1;
	}
	/* Wait for the crash to be noticed, then for the recovery. */
	for (int i = 0; i < 300; i++) {
		sleep_ms(100);
		PQfinish(pg_admin);
		pg_admin = PQconnectdb(db.uri);
		if (i >= 5 && PQstatus(pg_admin) == CONNECTION_OK) {
			PGresult *q = PQexec(pg_admin, "SELECT 1");
			bool up = PQresultStatus(q) == PGRES_TUPLES_OK;
			PQclear(q);
			if (up) {
				printf("crash: killed PostgreSQL process %d; the server recovered\n",
				       (int)pid);
				return 0;
			}
		}
	}
	fprintf(stderr, "crash: PostgreSQL did not come back after the kill\n");
	return -1;
}

static int start(struct httpc_server *s)
{
	if (httpc_spawn_server(db.uri, s) != 0)
		return -1;
	port = s->port;
	return token[0] ? 0 : login();
}

int main(int argc, char **argv)
{
	const char *tsv = NULL;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--tsv") && i + 1 < argc)
			tsv = argv[++i];
	signal(SIGPIPE, SIG_IGN);
	long cycles = env_long("CRASH_CYCLES", 50);
	int nwriters = (int)env_long("CRASH_WRITERS", 3);
	long min_ms = env_long("CRASH_MIN_MS", 20), max_ms = env_long("CRASH_MAX_MS", 400);
	if (nwriters < 1 || nwriters > MAX_WRITERS || cycles < 1 || max_ms <= min_ms) {
		fprintf(stderr, "crash: bad CRASH_* settings\n");
		return 2;
	}
	rng = (uint64_t)env_long("CRASH_SEED", (long)time(NULL) ^ (long)getpid());
	if (!rng)
		rng = 1;
	const char *backend = testdb_is_pg() ? "postgres" : "sqlite";
	printf("crash (%s): %ld cycles, %d writers, kill after %ld..%ld ms, seed %" PRIu64 "\n",
	       backend, cycles, nwriters, min_ms, max_ms, rng);
	long t0 = now_ms();

	if (testdb_create(&db, "crash") != 0)
		return 2;
	int rc = 1;
	struct totals t = {0, 0, 0, 0, true, true};
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s demo --db '%s' >/dev/null 2>&1", bin(), db.uri);
	if (system(cmd) != 0) {
		fprintf(stderr, "crash: %s failed\n", cmd);
		goto out;
	}
	if (testdb_is_pg()) {
		/* scripts/pg-test runs the server with synchronous_commit off;
		 * this database commits as a production one does, and amcheck
		 * is there for the integrity check. */
		char sql[256];
		snprintf(sql, sizeof sql, "ALTER DATABASE %s SET synchronous_commit = on", db.name);
		if (testdb_admin(sql) != 0 || db_open() != 0)
			goto out;
		char err[512];
		if (text1("CREATE EXTENSION IF NOT EXISTS amcheck; SELECT 1", err, sizeof err)) {
			fprintf(stderr, "crash: amcheck: %s\n", err);
			db_close();
			goto out;
		}
		db_close();
	}
	if (db_open() != 0)
		goto out;
	bases_now();
	int64_t start_bases[4] = {base_audit, base_mentor, base_mentee, base_pairing};
	db_close();

	struct httpc_server srv;
	if (start(&srv) != 0)
		goto out;
	json_t *j = get("/api/v1/vocab?kind=category");
	snprintf(category, sizeof category, "%s",
		 j ? json_string_value(json_object_get(json_array_get(json_object_get(j, "items"), 0),
							"code"))
		   : "");
	json_decref(j);
	httpc_stop_server(&srv);
	if (!category[0])
		goto out;

	if (testdb_is_pg() && !getenv("CRASH_NO_PG_KILL")) {
		pg_admin = PQconnectdb(db.uri);
		if (PQstatus(pg_admin) != CONNECTION_OK)
			goto out;
	}
	long requests = 0;
	for (cycle_no = 1; cycle_no <= cycles; cycle_no++) {
		long c0 = now_ms();
		if (start(&srv) != 0) {
			t.integrity = false;
			break;
		}
		long c1 = now_ms();
		/* What the last kill left must still chain. */
		if (!chain_ok())
			t.chain = false;
		long c2 = now_ms();
		size_t from = nitems;
		pthread_t th[MAX_WRITERS];
		struct writer wr[MAX_WRITERS];
		memset(wr, 0, sizeof wr);
		httpc_quiet = 1; /* the kill leaves requests without an answer */
		for (int w = 0; w < nwriters; w++) {
			wr[w].w = w;
			pthread_create(&th[w], NULL, writer_main, &wr[w]);
		}
		long delay = min_ms + (long)rnd((unsigned)(max_ms - min_ms));
		sleep_ms(delay);
		/* Once, half-way: PostgreSQL crashes too (see pg_crash). */
		if (pg_admin && cycle_no == (cycles + 1) / 2) {
			pg_down = true;
			if (pg_crash() == 0)
				pg_crashes++;
			else
				t.integrity = false;
		}
		kill(srv.pid, SIGKILL);
		for (int w = 0; w < nwriters; w++) {
			pthread_join(th[w], NULL);
			requests += wr[w].requests;
		}
		httpc_quiet = 0;
		pg_down = false;
		int st = httpc_stop_server(&srv);
		if (st != 128 + SIGKILL)
			fprintf(stderr, "crash: cycle %d: the server ended with %d, not SIGKILL\n",
				cycle_no, st);
		long acked = 0;
		for (size_t i = from; i < nitems; i++)
			acked += items[i].acked;
		t.acked += acked;
		char when[32];
		snprintf(when, sizeof when, "cycle %d", cycle_no);
		long lost0 = t.lost, half0 = t.half;
		long c3 = now_ms();
		check_db(from, &t, when, true);
		if (getenv("CRASH_TIMES"))
			fprintf(stderr, "start %ld, chain %ld, writes %ld, check %ld ms\n", c1 - c0,
				c2 - c1, c3 - c2, now_ms() - c3);
		printf("cycle %3d: killed after %3ld ms, %3zu writes (%ld acknowledged), lost %ld, "
		       "half %ld\n",
		       cycle_no, delay, nitems - from, acked, t.lost - lost0, t.half - half0);
		fflush(stdout);
	}
	/* Once more: the chain, and every acknowledged write of the run. */
	if (start(&srv) == 0) {
		if (!chain_ok())
			t.chain = false;
		httpc_stop_server(&srv);
	} else {
		t.integrity = false;
	}
	/* A write lost or half there stays so: the last look counts them
	 * all; the cycles' sums only if they saw more (they count an
	 * orphan again at every later kill). */
	struct totals fin = {0, 0, 0, 0, true, true};
	base_audit = start_bases[0];
	base_mentor = start_bases[1];
	base_mentee = start_bases[2];
	base_pairing = start_bases[3];
	long f0 = now_ms();
	check_db(0, &fin, "at the end", false);
	if (getenv("CRASH_TIMES"))
		fprintf(stderr, "final check %ld ms\n", now_ms() - f0);
	t.integrity = t.integrity && fin.integrity;
	t.lost = fin.lost > t.lost ? fin.lost : t.lost;
	t.half = fin.half > t.half ? fin.half : t.half;
	bool self_ok = false;
	t.committed_unacked = fin.committed_unacked;
	if (db_open() == 0) {
		self_ok = t.half > 0 || checks_can_fail();
		db_close();
	}
	if (!self_ok)
		fprintf(stderr, "crash: the half-write checks did not see a planted half-write\n");
	double secs = (double)(now_ms() - t0) / 1000.0;
	printf("crash (%s): %ld cycles, %ld requests, %ld acknowledged writes, %ld lost, "
	       "%ld half-writes, %ld unacknowledged found committed, integrity %s, audit chain %s, "
	       "database server killed %d times (%.1f s)\n",
	       backend, cycles, requests, t.acked, t.lost, t.half, t.committed_unacked,
	       t.integrity ? "ok" : "FAIL", t.chain ? "ok" : "FAIL", pg_crashes, secs);
	bool pg_kill = pg_admin != NULL;
	if (pg_admin)
		PQfinish(pg_admin);
	pg_admin = NULL;
	rc = (pg_kill && pg_crashes != 1) || t.lost || t.half || !self_ok || !t.integrity || !t.chain || cycle_no <= cycles || t.acked == 0;
	if (tsv) {
		FILE *f = fopen(tsv, "w");
		if (f) {
			fprintf(f, "backend\tcycles\tacked\tlost\thalf\tintegrity\tchain\tunacked_committed"
				   "\tseconds\tdb_server_kills\n");
			fprintf(f, "%s\t%d\t%ld\t%ld\t%ld\t%s\t%s\t%ld\t%.1f\t%d\n", backend,
				cycle_no - 1, t.acked, t.lost, t.half, t.integrity ? "ok" : "FAIL",
				t.chain ? "ok" : "FAIL", t.committed_unacked, secs, pg_crashes);
			fclose(f);
		} else {
			perror(tsv);
			rc = 1;
		}
	}
out:
	if (getenv("CRASH_KEEP"))
		printf("crash: kept the database %s\n", db.uri);
	else
		testdb_drop(&db);
	free(items);
	return rc;
}
