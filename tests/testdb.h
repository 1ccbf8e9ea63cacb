/*
 * testdb.h — a fresh, empty database for a test, on the backend the run
 * asks for (shared by tests/unit and tests/api; header-only, so each test
 * binary stays one .c file).
 *
 * Without BANGDAI_TEST_DB, or with it naming anything but a postgres://
 * or postgresql:// URI, a database is a SQLite file in a new temporary
 * folder. With BANGDAI_TEST_DB=postgres://USER@HOST:PORT/DB (what
 * scripts/pg-test exports), a database is a new PostgreSQL database on
 * that server, created and dropped through DB with libpq; suites running
 * at the same time do not see each other's data.
 *
 *   struct testdb db;
 *   if (testdb_create(&db, "api") != 0) ...;   // db.uri: --db / store_open
 *   ...
 *   testdb_drop(&db);
 */
#ifndef BANGDAI_TESTS_TESTDB_H
#define BANGDAI_TESTS_TESTDB_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct testdb {
	char uri[512];   /* the database: a file path or a postgres:// URI */
	char dir[96];    /* SQLite: the temporary folder; "" otherwise */
	char name[64];   /* PostgreSQL: the database created; "" otherwise */
};

/* The server URI from BANGDAI_TEST_DB when it is PostgreSQL, else NULL. */
static inline const char *testdb_pg_server(void)
{
	const char *u = getenv("BANGDAI_TEST_DB");
	if (u && (strncmp(u, "postgres://", 11) == 0 || strncmp(u, "postgresql://", 13) == 0))
		return u;
	return NULL;
}

static inline bool testdb_is_pg(void) { return testdb_pg_server() != NULL; }

/* Run one statement on the server's administration database (the one
 * BANGDAI_TEST_DB names). 0 or -1 (printed). */
static inline int testdb_admin(const char *sql)
{
	PGconn *pg = PQconnectdb(testdb_pg_server());
	int rc = -1;
	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "testdb: cannot connect: %s", PQerrorMessage(pg));
	} else {
		PGresult *r = PQexec(pg, sql);
		if (PQresultStatus(r) == PGRES_COMMAND_OK)
			rc = 0;
		else
			fprintf(stderr, "testdb: %s: %s", sql, PQresultErrorMessage(r));
		PQclear(r);
	}
	PQfinish(pg);
	return rc;
}

/*
 * Make a fresh, empty database; `tag` (a short [a-z_] word) names it.
 * `pg`: on the PostgreSQL server of BANGDAI_TEST_DB (which must be set),
 * else a SQLite file. Fills *t and returns 0, or returns -1 after
 * printing why.
 */
static inline int testdb_create_on(struct testdb *t, const char *tag, bool pg)
{
	static unsigned seq;
	memset(t, 0, sizeof *t);
	const char *server = testdb_pg_server();
	if (pg && !server) {
		fprintf(stderr, "testdb: BANGDAI_TEST_DB is not a postgres:// URI\n");
		return -1;
	}
	if (!pg) {
		snprintf(t->dir, sizeof t->dir, "/tmp/bangdai-%s-XXXXXX", tag);
		if (!mkdtemp(t->dir)) {
			perror("testdb: mkdtemp");
			t->dir[0] = '\0';
			return -1;
		}
		snprintf(t->uri, sizeof t->uri, "%s/%s.db", t->dir, tag);
		return 0;
	}
	snprintf(t->name, sizeof t->name, "bangdai_%s_%ld_%u", tag, (long)getpid(), ++seq);
	/* The same server and options, another database: replace the path
	 * of the URI (between the authority and any '?'). */
	const char *auth = strstr(server, "://") + 3;
	const char *path = strchr(auth, '/');
	const char *query = strchr(auth, '?');
	if (!path || (query && query < path))
		path = query ? query : auth + strlen(auth);
	snprintf(t->uri, sizeof t->uri, "%.*s/%s%s", (int)(path - server), server, t->name,
		 query ? query : "");
	char sql[128];
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", t->name);
	if (testdb_admin(sql) != 0) {
		t->name[0] = '\0';
		return -1;
	}
	return 0;
}

/* A fresh database on the backend the run asks for. */
static inline int testdb_create(struct testdb *t, const char *tag)
{
	return testdb_create_on(t, tag, testdb_is_pg());
}

/* Remove the database (after every connection to it is closed; a
 * PostgreSQL database is dropped even if one is left over). */
static inline void testdb_drop(struct testdb *t)
{
	if (t->name[0]) {
		char sql[128];
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", t->name);
		testdb_admin(sql);
		t->name[0] = '\0';
	}
	if (t->dir[0]) {
		static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
		char p[600];
		for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
			snprintf(p, sizeof p, "%s%s", t->uri, suffix[i]);
			unlink(p);
		}
		rmdir(t->dir);
		t->dir[0] = '\0';
	}
}

#endif
