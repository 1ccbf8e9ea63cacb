/*
 * test_backup.c — `bangdai backup` and `bangdai restore` end to end, on
 * the run's backend (PostgreSQL under scripts/pg-test, else SQLite): the
 * demo programme is served while a client keeps creating mentors; a
 * backup is taken meanwhile and restored into a fresh database, which
 * must hold every mentor acknowledged before the backup started, each
 * with its audit entry (one consistent state), pass the integrity check,
 * verify its audit chain and serve. Refused: a target that is not empty,
 * an existing backup file, a damaged backup (a row changed), one of
 * another schema version, a missing file, a database that is no backup.
 */
#include <pthread.h>
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../testdb.h"
#include "libhttpc.h"

static struct testdb src, dst, spare; /* the run's backend; spare: SQLite */
static char outdir[64], backup[128];

static const char *bin(void)
{
	const char *b = getenv("BANGDAI_BIN");
	return b ? b : "./bangdai";
}

/* Run `bangdai ARGS`, output to outdir/NAME(.err); the exit status. */
static int bangdai(const char *name, const char *args)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "%s %s >%s/%s 2>%s/%s.err", bin(), args, outdir, name, outdir,
		 name);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static char *slurp(const char *name)
{
	char path[160];
	snprintf(path, sizeof path, "%s/%s", outdir, name);
	FILE *f = fopen(path, "r");
	if (!f)
		return strdup("");
	static char b[1 << 16];
	size_t n = fread(b, 1, sizeof b - 1, f);
	fclose(f);
	b[n] = '\0';
	return strdup(b);
}

/* --- the database, read directly ---------------------------------------- */

/* The first column of the first row of `sql` on database `uri` as an
 * integer; -1 if the query failed. */
static int64_t scalar(const char *uri, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	int64_t v = -1;
	if (strncmp(uri, "postgres", 8) == 0) {
		PGconn *pg = PQconnectdb(uri);
		PGresult *r = PQexec(pg, sql);
		if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0)
			v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		else
			fprintf(stderr, "%s: %s", sql, PQerrorMessage(pg));
		PQclear(r);
		PQfinish(pg);
		return v;
	}
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_type(st, 0) == SQLITE_TEXT &&
				    !strcmp((const char *)sqlite3_column_text(st, 0), "ok")
			    ? 0
			    : sqlite3_column_int64(st, 0);
	else
		fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* 0 if the database passes its integrity check. */
static int64_t integrity(const char *uri)
{
	if (strncmp(uri, "postgres", 8) != 0) {
		if (scalar(uri, "PRAGMA integrity_check") != 0)
			return -1;
		return scalar(uri, "SELECT COUNT(*) FROM pragma_foreign_key_check");
	}
	/* Every B-tree index against its table (amcheck), no invalid index. */
	PGconn *pg = PQconnectdb(uri);
	PGresult *r = PQexec(pg, "CREATE EXTENSION IF NOT EXISTS amcheck");
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	PQfinish(pg);
	if (!ok)
		return -1;
	int64_t checked = scalar(uri,
		"SELECT COUNT(*) FROM (SELECT bt_index_check(i.indexrelid, true)"
		" FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
		" JOIN pg_am am ON am.oid = c.relam"
		" WHERE am.amname = 'btree' AND c.relnamespace = current_schema()::regnamespace) x");
	if (checked < 10)
		return -1;
	return scalar(uri, "SELECT COUNT(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
			   " WHERE c.relnamespace = current_schema()::regnamespace"
			   " AND NOT (i.indisvalid AND i.indisready)");
}

/* --- a client that keeps writing ------------------------------------------ */

/* What the reliability table shows (scripts/reliability-table): written
 * to build/reliability/backup-BACKEND.tsv when run from the checkout. */
static int64_t rel_before, rel_during, rel_missing = -1;
static bool rel_chain, rel_integrity, rel_damaged_refused;

static void write_reliability(void)
{
	struct stat st;
	if (stat("build", &st) != 0 || !S_ISDIR(st.st_mode))
		return;
	mkdir("build/reliability", 0755);
	char path[96];
	snprintf(path, sizeof path, "build/reliability/backup-%s.tsv", testdb_is_pg() ? "pg" : "sqlite");
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "backend\tbefore\tduring\tmissing\tintegrity\tchain\tdamaged_refused\n");
	fprintf(f, "%s\t%lld\t%lld\t%lld\t%s\t%s\t%s\n", testdb_is_pg() ? "postgres" : "sqlite",
		(long long)rel_before, (long long)rel_during, (long long)rel_missing,
		rel_integrity ? "ok" : "FAIL", rel_chain ? "ok" : "FAIL",
		rel_damaged_refused ? "yes" : "no");
	fclose(f);
}

static uint16_t port;
static char token[128];
static _Atomic int acked;    /* mentors 0..acked-1 were answered 201 */
static _Atomic int stop;

static void *writer(void *arg)
{
	(void)arg;
	for (int n = 0; !stop; n++) {
		char body[512];
		snprintf(body, sizeof body,
			 "{\"name\":\"备份%d\",\"gender\":\"女\",\"phone\":\"136%08d\","
			 "\"region\":\"640122100\",\"tier\":\"township\",\"source\":\"veteran_cadre\","
			 "\"team_type\":\"experienced\",\"capacity\":2,\"domains\":[\"party_building\"]}",
			 n, n);
		struct httpc_response r;
		int rc = httpc_request(port, "POST", "/api/v1/mentors", token, body, &r);
		int st = r.status;
		httpc_response_release(&r);
		if (rc != 0 || st != 201) {
			fprintf(stderr, "writer: mentor %d: %d\n", n, st);
			break;
		}
		acked = n + 1;
	}
	return NULL;
}

static int login(const char *who, char out[128])
{
	struct httpc_response r;
	char body[128];
	snprintf(body, sizeof body, "{\"login\":\"%s\",\"password\":\"bangdai-demo\"}", who);
	if (httpc_request(port, "POST", "/api/v1/auth/login", NULL, body, &r) != 0 ||
	    r.status != 200) {
		httpc_response_release(&r);
		return -1;
	}
	json_t *j = httpc_json(&r);
	snprintf(out, 128, "%s", json_string_value(json_object_get(j, "token")));
	json_decref(j);
	httpc_response_release(&r);
	return 0;
}

static int group_setup(void **state)
{
	(void)state;
	snprintf(outdir, sizeof outdir, "/tmp/bangdai-backup-XXXXXX");
	if (!mkdtemp(outdir))
		return -1;
	snprintf(backup, sizeof backup, "%s/programme.bangdai", outdir);
	if (testdb_create(&src, "bksrc") || testdb_create(&dst, "bkdst") ||
	    testdb_create_on(&spare, "bkspare", false))
		return -1;
	char args[700];
	snprintf(args, sizeof args, "demo --db '%s'", src.uri);
	return bangdai("demo", args) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	write_reliability();
	testdb_drop(&src);
	testdb_drop(&dst);
	testdb_drop(&spare);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", outdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_online_backup_and_restore(void **state)
{
	(void)state;
	struct httpc_server s;
	assert_int_equal(httpc_spawn_server(src.uri, &s), 0);
	port = s.port;
	assert_int_equal(login("city_admin", token), 0);
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, writer, NULL), 0);
	while (acked < 10)
		usleep(10000);
	int before = acked;
	char args[1400];
	snprintf(args, sizeof args, "backup --db '%s' --out '%s'", src.uri, backup);
	int rc = bangdai("backup", args);
	int after = acked;
	/* The writes go on once the backup is done: the server was not
	 * stopped or wedged by it. */
	while (acked < after + 5 && acked > 0)
		usleep(10000);
	stop = 1;
	pthread_join(th, NULL);
	if (rc != 0) {
		char *err = slurp("backup.err");
		fprintf(stderr, "backup: %s\n", err);
		free(err);
	}
	assert_int_equal(rc, 0);
	assert_true(acked >= after + 5);
	printf("backup: %d mentors acknowledged before it, %d during it, %d in all\n", before,
	       after - before, (int)acked);
	assert_int_equal(httpc_stop_server(&s), 0);

	char *out = slurp("backup");
	assert_non_null(strstr(out, "\nmentors "));
	assert_non_null(strstr(out, "counts and checksums verified"));
	free(out);
	assert_int_not_equal(access(backup, R_OK), -1);

	snprintf(args, sizeof args, "restore --from '%s' --db '%s'", backup, dst.uri);
	rc = bangdai("restore", args);
	if (rc != 0) {
		char *err = slurp("restore.err");
		fprintf(stderr, "restore: %s\n", err);
		free(err);
	}
	assert_int_equal(rc, 0);

	/* Every mentor acknowledged before the backup started is there, and
	 * nothing is there in part: each of them with its audit entry. */
	int64_t there = scalar(dst.uri, "SELECT COUNT(*) FROM mentors WHERE name LIKE '备份%%'");
	assert_true(there >= before);
	assert_true(there <= acked);
	rel_before = before;
	rel_during = after - before;
	rel_missing = 0;
	for (int n = 0; n < before; n++)
		rel_missing += scalar(dst.uri, "SELECT COUNT(*) FROM mentors WHERE name = '备份%d'", n) != 1;
	assert_int_equal(rel_missing, 0);
	assert_int_equal(scalar(dst.uri, "SELECT COUNT(*) FROM mentors m WHERE m.name LIKE '备份%%'"
					 " AND NOT EXISTS (SELECT 1 FROM audit a WHERE a.object = 'mentor'"
					 " AND a.action = 'create' AND a.object_id = CAST(m.id AS TEXT))"),
			 0);
	assert_int_equal(scalar(dst.uri, "SELECT COUNT(*) FROM mentors"),
			 scalar(backup, "SELECT rows FROM backup_manifest WHERE kind = 'table'"
					" AND name = 'mentors'"));
	assert_int_equal(integrity(dst.uri), 0);
	assert_int_equal(integrity(backup), 0);
	rel_integrity = true;

	/* The restored programme serves; its audit chain verifies; new ids
	 * follow the restored ones. */
	assert_int_equal(httpc_spawn_server(dst.uri, &s), 0);
	port = s.port;
	char tok[128];
	assert_int_equal(login("auditor", tok), 0);
	struct httpc_response r;
	assert_int_equal(httpc_request(port, "GET", "/api/v1/audit/verify", tok, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	json_t *j = httpc_json(&r);
	assert_true(json_is_true(json_object_get(j, "ok")));
	rel_chain = true;
	json_decref(j);
	httpc_response_release(&r);
	assert_int_equal(login("city_admin", token), 0);
	stop = 0;
	acked = 0;
	assert_int_equal(httpc_request(port, "POST", "/api/v1/mentors", token,
				       "{\"name\":\"恢复后\",\"gender\":\"男\",\"phone\":\"13599999999\","
				       "\"region\":\"640122100\",\"tier\":\"township\","
				       "\"source\":\"veteran_cadre\",\"team_type\":\"experienced\","
				       "\"capacity\":2,\"domains\":[\"party_building\"]}",
				       &r),
			 0);
	if (r.status != 201)
		httpc_dump_log(&s);
	assert_int_equal(r.status, 201);
	httpc_response_release(&r);
	assert_int_equal(httpc_stop_server(&s), 0);
}

static void test_refusals(void **state)
{
	(void)state;
	char args[1400];
	/* The target already holds a programme. */
	snprintf(args, sizeof args, "restore --from '%s' --db '%s'", backup, dst.uri);
	assert_int_equal(bangdai("again", args), 1);
	char *err = slurp("again.err");
	assert_non_null(strstr(err, "not empty"));
	free(err);
	/* A backup never overwrites a file. */
	snprintf(args, sizeof args, "backup --db '%s' --out '%s'", src.uri, backup);
	assert_int_equal(bangdai("exists", args), 1);
	err = slurp("exists.err");
	assert_non_null(strstr(err, "exists"));
	free(err);
	/* A damaged backup (one row changed) is refused before anything is
	 * written. */
	char bad[160];
	snprintf(bad, sizeof bad, "%s/damaged.bangdai", outdir);
	snprintf(args, sizeof args, "cp '%s' '%s'", backup, bad);
	assert_int_equal(system(args), 0);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(bad, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE mentors SET phone = '13000000000' WHERE id = 1",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_changes(db), 1);
	sqlite3_close(db);
	snprintf(args, sizeof args, "restore --from '%s' --db '%s'", bad, spare.uri);
	assert_int_equal(bangdai("damaged", args), 1);
	err = slurp("damaged.err");
	assert_non_null(strstr(err, "damaged"));
	assert_non_null(strstr(err, "mentors"));
	free(err);
	assert_int_not_equal(access(spare.uri, F_OK), 0);
	rel_damaged_refused = true;
	/* A backup of another schema version is refused, not migrated. */
	snprintf(bad, sizeof bad, "%s/newer.bangdai", outdir);
	snprintf(args, sizeof args, "cp '%s' '%s'", backup, bad);
	assert_int_equal(system(args), 0);
	assert_int_equal(sqlite3_open(bad, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO schema_version (version, applied_at)"
					  " VALUES (9999, '2030-01-01T00:00:00Z')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	snprintf(args, sizeof args, "restore --from '%s' --db '%s'", bad, spare.uri);
	assert_int_equal(bangdai("newer", args), 1);
	err = slurp("newer.err");
	assert_non_null(strstr(err, "schema version 9999"));
	free(err);
	assert_int_not_equal(access(spare.uri, F_OK), 0);
	/* A missing file; a programme database is not a backup. */
	snprintf(args, sizeof args, "restore --from '%s/none.bangdai' --db '%s'", outdir, spare.uri);
	assert_int_equal(bangdai("missing", args), 1);
	snprintf(args, sizeof args, "restore --from '%s' --db '%s'", src.uri, spare.uri);
	assert_int_equal(bangdai("notbackup", args), 1);
	assert_int_not_equal(access(spare.uri, F_OK), 0);
	assert_int_equal(bangdai("usage", "backup --db x.db"), 2);
	assert_int_equal(bangdai("usage2", "restore --db x.db"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_online_backup_and_restore),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests_name("backup", tests, group_setup, group_teardown);
}
