/*
 * test_migrate.c — `bangdai migrate-data` end to end: the demo programme
 * goes from a SQLite file to the run's backend (PostgreSQL under
 * scripts/pg-test, else another SQLite file) and back into a third file;
 * every table's rows and checksum are the same at each step; the copy
 * serves requests, its audit chain verifies and new records get new ids
 * (the identity sequences were moved past the copied ids); a non-empty
 * target and a missing source are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../testdb.h"
#include "libhttpc.h"

static struct testdb src, mid, back; /* SQLite, the run's backend, SQLite */
static char outdir[64];

static const char *bin(void)
{
	const char *b = getenv("BANGDAI_BIN");
	return b ? b : "./bangdai";
}

/* Run `bangdai ARGS`, standard output to outdir/NAME; the exit status. */
static int bangdai(const char *name, const char *args)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "%s %s >%s/%s 2>%s/%s.err", bin(), args, outdir, name, outdir,
		 name);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* The output file NAME, owned (free), or NULL. */
static char *slurp(const char *name)
{
	char path[160];
	snprintf(path, sizeof path, "%s/%s", outdir, name);
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	static char b[1 << 16];
	size_t n = fread(b, 1, sizeof b - 1, f);
	fclose(f);
	b[n] = '\0';
	return strdup(b);
}

static int group_setup(void **state)
{
	(void)state;
	snprintf(outdir, sizeof outdir, "/tmp/bangdai-migrate-XXXXXX");
	if (!mkdtemp(outdir))
		return -1;
	if (testdb_create_on(&src, "migsrc", false) || testdb_create(&mid, "migmid") ||
	    testdb_create_on(&back, "migback", false))
		return -1;
	char args[700];
	snprintf(args, sizeof args, "demo --db '%s'", src.uri);
	return bangdai("demo", args) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	testdb_drop(&src);
	testdb_drop(&mid);
	testdb_drop(&back);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", outdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_round_trip(void **state)
{
	(void)state;
	char args[1400];
	snprintf(args, sizeof args, "migrate-data --from '%s' --to '%s'", src.uri, mid.uri);
	assert_int_equal(bangdai("there", args), 0);
	snprintf(args, sizeof args, "migrate-data --from '%s' --to '%s'", mid.uri, back.uri);
	assert_int_equal(bangdai("back", args), 0);
	char *there = slurp("there"), *again = slurp("back");
	assert_non_null(there);
	assert_non_null(again);
	/* One line per table, then the summary; the demo fills these. */
	assert_non_null(strstr(there, "\nmentors "));
	assert_non_null(strstr(there, "\naudit "));
	assert_non_null(strstr(there, "counts and checksums verified"));
	if (strcmp(there, again) != 0)
		fprintf(stderr, "to %s:\n%s\nback:\n%s\n", testdb_is_pg() ? "postgres" : "sqlite",
			there, again);
	assert_string_equal(there, again);
	free(there);
	free(again);
}

/* The copy is a working programme: logins, the audit chain, new ids. */
static void test_copy_serves(void **state)
{
	(void)state;
	struct httpc_server s;
	assert_int_equal(httpc_spawn_server(mid.uri, &s), 0);
	struct httpc_response r;
	assert_int_equal(httpc_request(s.port, "POST", "/api/v1/auth/login", NULL,
				       "{\"login\":\"city_admin\",\"password\":\"bangdai-demo\"}", &r),
			 0);
	assert_int_equal(r.status, 200);
	json_t *j = httpc_json(&r);
	char tok[128];
	snprintf(tok, sizeof tok, "%s", json_string_value(json_object_get(j, "token")));
	json_decref(j);
	httpc_response_release(&r);

	/* A new vocabulary entry: a fresh id for it and for its audit entry. */
	assert_int_equal(httpc_request(s.port, "POST", "/api/v1/vocab", tok,
				       "{\"kind\":\"domain\",\"code\":\"migrated\",\"name\":\"迁移\"}",
				       &r),
			 0);
	if (r.status != 201)
		httpc_dump_log(&s);
	assert_int_equal(r.status, 201);
	httpc_response_release(&r);

	assert_int_equal(httpc_request(s.port, "POST", "/api/v1/auth/login", NULL,
				       "{\"login\":\"auditor\",\"password\":\"bangdai-demo\"}", &r),
			 0);
	j = httpc_json(&r);
	snprintf(tok, sizeof tok, "%s", json_string_value(json_object_get(j, "token")));
	json_decref(j);
	httpc_response_release(&r);
	assert_int_equal(httpc_request(s.port, "GET", "/api/v1/audit/verify", tok, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	j = httpc_json(&r);
	assert_true(json_is_true(json_object_get(j, "ok")));
	assert_true(json_integer_value(json_object_get(j, "entries")) >= 3);
	json_decref(j);
	httpc_response_release(&r);
	assert_int_equal(httpc_stop_server(&s), 0);
}

static void test_refusals(void **state)
{
	(void)state;
	char args[1400];
	/* The target already holds a programme: nothing is copied. */
	snprintf(args, sizeof args, "migrate-data --from '%s' --to '%s'", src.uri, mid.uri);
	assert_int_equal(bangdai("again", args), 1);
	char *err = slurp("again.err");
	assert_non_null(strstr(err, "not empty"));
	free(err);
	/* A missing source file is not created. */
	char missing[128];
	snprintf(missing, sizeof missing, "%s/missing.db", outdir);
	snprintf(args, sizeof args, "migrate-data --from '%s' --to '%s/x.db'", missing, outdir);
	assert_int_equal(bangdai("missing", args), 1);
	assert_int_not_equal(access(missing, F_OK), 0);
	assert_int_equal(bangdai("usage", "migrate-data --from x.db"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_copy_serves),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests_name("migrate", tests, group_setup, group_teardown);
}
