/*
 * test_fault.c — fault injection (issue 8): allocation and write failures
 * injected after N calls in the store and import paths (src/store/fault.h)
 * must each fail cleanly, with an error and the data intact.
 *
 * For each kind of fault and each representative write — a mentor
 * created through the service (with its audit entry), a matching run
 * approved (two pairings in one transaction), a CSV import committed,
 * and for read faults an .xlsx import — a run without a fault first
 * counts the write's calls of that kind and the rows it adds; then the
 * fault is armed at call N, for every N up to the last (or 40 of them in
 * even steps), persistent (every later call fails too) and transient
 * (only call N), until the write runs past it. Each time:
 *   - the call returns an error, or, if the engine absorbed the fault,
 *     succeeds having added exactly the rows a clean write adds: never
 *     success with rows missing;
 *   - after an error, every table's row count and checksum are what they
 *     were (svc_db_checksums: the check of `bangdai migrate-data`);
 *   - the audit hash chain verifies and the integrity check passes;
 *   - disarmed, the same write then succeeds, adding the clean write's
 *     rows, on the same connection (the pool has one): no statement,
 *     transaction or error state was left behind.
 * Each sweep has a fresh database, so the checks stay cheap. The SQLite
 * kinds run on SQLite only; the store-level and read faults also on
 * PostgreSQL (`make test-pg`). The counts go to
 * build/reliability/fault.tsv (fault-pg.tsv on PostgreSQL) for
 * scripts/reliability-table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <xlsxwriter.h>

#include "../testdb.h"
#include "core/buf.h"
#include "core/log.h"
#include "service/service.h"
#include "store/fault.h"
#include "store/store.h"

static struct service *svc;
static struct testdb db;
static struct actor city;
static char tmpdir[64];
static long seq; /* makes every write's rows new */

static const char *const kind_name[FAULT__MAX] = {
	[FAULT_SQLITE_MALLOC] = "sqlite malloc",
	[FAULT_SQLITE_IOERR] = "sqlite write/sync/truncate I/O error",
	[FAULT_SQLITE_FULL] = "sqlite write: disk full",
	[FAULT_STORE_STEP] = "store statement step/exec/begin/commit",
	[FAULT_SHEET_READ] = "import file read: short read",
};
static long injected[FAULT__MAX], survived[FAULT__MAX], runs[FAULT__MAX];

/* ---- fixture ------------------------------------------------------------ */

static void region(const char *code, const char *name, int level, const char *parent)
{
	struct region r;
	struct errinfo ei;
	memset(&r, 0, sizeof r);
	snprintf(r.code, sizeof r.code, "%s", code);
	snprintf(r.name, sizeof r.name, "%s", name);
	r.level = level;
	snprintf(r.parent_code, sizeof r.parent_code, "%s", parent);
	assert_int_equal(svc_region_create(svc, NULL, &r, 0, &ei), ERR_OK);
}

static void vocab(const char *kind, const char *code, const char *name)
{
	struct vocab v;
	struct errinfo ei;
	memset(&v, 0, sizeof v);
	snprintf(v.kind, sizeof v.kind, "%s", kind);
	snprintf(v.code, sizeof v.code, "%s", code);
	snprintf(v.name, sizeof v.name, "%s", name);
	assert_int_equal(svc_vocab_create(svc, NULL, &v, &ei), ERR_OK);
}

static struct mentor mentor_rec(const char *name)
{
	struct mentor m;
	memset(&m, 0, sizeof m);
	snprintf(m.name, sizeof m.name, "%s", name);
	snprintf(m.region_code, sizeof m.region_code, "640122100");
	snprintf(m.tier, sizeof m.tier, "township");
	snprintf(m.source, sizeof m.source, "veteran_cadre");
	snprintf(m.team_type, sizeof m.team_type, "expert");
	snprintf(m.domains, sizeof m.domains, ",party_building,");
	m.capacity = 1000;
	return m;
}

/* A fresh database with the fixture, for one sweep: what is checked
 * after each fault stays small. */
static void open_fixture(void)
{
	assert_int_equal(testdb_create(&db, "fault"), 0);
	struct errinfo ei;
	/* One connection: the write after a fault runs where the fault was. */
	if (service_open(db.uri, 1, &svc, &ei))
		fail_msg("open: %s", ei.message);
	region("6401", "银川市", 1, "");
	region("640122", "贺兰县", 2, "6401");
	region("640122100", "习岗镇", 3, "640122");
	vocab("category", "young_cadre", "近2年新到乡镇工作的年轻干部");
	vocab("domain", "party_building", "党建引领");
	vocab("source", "veteran_cadre", "老乡镇老先进");
	/* Active mentors with room for every mentee the runs will place. */
	for (int i = 0; i < 3; i++) {
		char name[32];
		snprintf(name, sizeof name, "固定导师%d", i);
		struct mentor m = mentor_rec(name);
		assert_int_equal(svc_mentor_create(svc, NULL, &m, 0, &ei), ERR_OK);
		static const char *const steps[] = {"shortlist", "file", "appoint"};
		for (size_t k = 0; k < 3; k++)
			if (svc_mentor_transition(svc, &city, m.id, steps[k], "", &m, &ei))
				fail_msg("%s: %s", steps[k], ei.message);
	}
}

static void close_fixture(void)
{
	fault_disarm();
	service_close(svc);
	svc = NULL;
	testdb_drop(&db);
}

static int group_setup(void **state)
{
	(void)state;
	log_set_level(LOG_WARN); /* not a line per migration of every fixture */
	/* Before SQLite initialises: the shims go under every connection. */
	if (!fault_install()) {
		fprintf(stderr, "setup: fault_install came too late\n");
		return -1;
	}
	snprintf(tmpdir, sizeof tmpdir, "/tmp/bangdai-fault-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	/* The audit log names the user; no account is needed for that. */
	memset(&city, 0, sizeof city);
	city.user_id = 1;
	city.role = ROLE_CITY_ADMIN;
	snprintf(city.region_path, sizeof city.region_path, "/6401/");
	snprintf(city.login, sizeof city.login, "city");
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (svc)
		close_fixture();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- what "unchanged" means -------------------------------------------- */

static void add_sum(void *arg, const char *table, int64_t rows, const char *checksum)
{
	buf_printf(arg, "%s %lld %s\n", table, (long long)rows, checksum);
}

/* Every table's row count and checksum, one line each. Owned. */
static char *snapshot(void)
{
	struct buf b;
	buf_init(&b, 1u << 20);
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = svc_db_checksums(svc, add_sum, &b, &ei);
	if (e)
		buf_printf(&b, "cannot read: %s (%s)\n", ei.message, err_code(e));
	return buf_detach(&b, NULL);
}

/* The lines of a and b that differ, on stderr. */
static void print_diff(const char *a, const char *b)
{
	while (*a || *b) {
		size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
		if (la != lb || memcmp(a, b, la))
			fprintf(stderr, "    before: %.*s\n    after:  %.*s\n", (int)la, a, (int)lb, b);
		a += la + (a[la] != '\0');
		b += lb + (b[lb] != '\0');
	}
}

/* The tables whose row count differs between two snapshots, and by how
 * much ("mentors+1 audit+1 "). Owned. */
static char *count_delta(const char *a, const char *b)
{
	struct buf d;
	buf_init(&d, 1u << 16);
	char ta[64], tb[64];
	long long ra, rb;
	int na, nb;
	while (sscanf(a, "%63s %lld %*s%n", ta, &ra, &na) == 2 &&
	       sscanf(b, "%63s %lld %*s%n", tb, &rb, &nb) == 2) {
		if (strcmp(ta, tb) != 0) {
			buf_printf(&d, "tables differ: %s %s", ta, tb);
			break;
		}
		if (ra != rb)
			buf_printf(&d, "%s%+lld ", ta, rb - ra);
		a += na + (a[na] == '\n');
		b += nb + (b[nb] == '\n');
	}
	buf_puts(&d, "");
	return buf_detach(&d, NULL);
}

static bool audit_ok(void)
{
	int64_t n = 0, bad = 0;
	bool ok = false;
	struct errinfo ei;
	errinfo_clear(&ei);
	if (svc_audit_verify(svc, NULL, &n, &ok, &bad, &ei) != ERR_OK) {
		fprintf(stderr, "    audit verify: %s\n", ei.message);
		return false;
	}
	if (!ok)
		fprintf(stderr, "    audit chain broken at %lld\n", (long long)bad);
	return ok;
}

static bool integrity_ok(void)
{
	struct errinfo ei;
	errinfo_clear(&ei);
	if (svc_db_check(svc, &ei) == ERR_OK)
		return true;
	fprintf(stderr, "    integrity: %s\n", ei.message);
	return false;
}

/* ---- the writes ---------------------------------------------------------- */

/* A write under test: `prepare` (fault disarmed) readies input number i,
 * `run` does the write (fault armed) and keeps what it answered, `whole`
 * (disarmed again) checks after a success that all of the change is
 * there. */
struct op {
	const char *name;
	void (*prepare)(long i);
	enum err (*run)(long i);
	bool (*whole)(long i);
};

static int64_t made_id; /* what the write answered */

static enum err mentor_run(long i)
{
	char name[32];
	snprintf(name, sizeof name, "故障导师%ld", i);
	struct mentor m = mentor_rec(name);
	struct errinfo ei;
	errinfo_clear(&ei);
	made_id = 0;
	enum err e = svc_mentor_create(svc, &city, &m, 0, &ei);
	made_id = m.id;
	return e;
}

static bool mentor_whole(long i)
{
	char name[32];
	snprintf(name, sizeof name, "故障导师%ld", i);
	struct mentor back;
	bool masked;
	struct errinfo ei;
	return made_id > 0 && svc_mentor_get(svc, &city, made_id, &back, &masked, &ei) == ERR_OK &&
	       !strcmp(back.name, name) && !strcmp(back.status, "nominated");
}

static void nothing(long i) { (void)i; }

/* The run proposed for input i, and how many pairings it proposes. */
static int64_t run_id;
static size_t run_props;

/* Two new mentees, unpaired. */
static void add_mentees(long i)
{
	struct errinfo ei;
	for (int k = 0; k < 2; k++) {
		struct mentee m;
		memset(&m, 0, sizeof m);
		snprintf(m.kind, sizeof m.kind, "person");
		snprintf(m.name, sizeof m.name, "故障对象%ld-%d", i, k);
		snprintf(m.region_code, sizeof m.region_code, "640122100");
		snprintf(m.category, sizeof m.category, "young_cadre");
		snprintf(m.weaknesses, sizeof m.weaknesses, ",party_building,");
		if (svc_mentee_create(svc, &city, &m, 0, &ei))
			fail_msg("mentee: %s", ei.message);
	}
}

/* A matching run of the county (the engine and all its rows). */
static enum err run_create(long i)
{
	struct svc_match_request rq;
	memset(&rq, 0, sizeof rq);
	snprintf(rq.region, sizeof rq.region, "640122");
	snprintf(rq.method, sizeof rq.method, "auto");
	rq.seed = (uint64_t)i;
	json_t *out = NULL;
	struct errinfo ei;
	errinfo_clear(&ei);
	run_id = 0;
	run_props = 0;
	enum err e = svc_match_run_create(svc, &city, &rq, &out, &ei);
	if (!e) {
		run_id = (int64_t)json_integer_value(json_object_get(out, "id"));
		run_props = json_array_size(json_object_get(out, "proposals"));
	}
	json_decref(out);
	return e;
}

/* Stored, with a proposal for each of the two new mentees (the others
 * are paired). */
static bool run_whole(long i)
{
	(void)i;
	json_t *r = NULL;
	struct errinfo ei;
	if (run_id <= 0 || run_props != 2 || svc_match_run_get(svc, &city, run_id, &r, &ei))
		return false;
	bool ok = json_array_size(json_object_get(r, "proposals")) == 2;
	json_decref(r);
	return ok;
}

/* For the next run: the last run's mentees paired, two new ones. */
static void run_prepare(long i)
{
	if (run_id > 0) {
		json_t *out = NULL;
		struct errinfo ei;
		if (svc_match_run_decide(svc, &city, run_id, true, &out, &ei))
			fail_msg("approve: %s", ei.message);
		json_decref(out);
		run_id = 0;
	}
	add_mentees(i);
}

static void approve_prepare(long i)
{
	add_mentees(i);
	assert_int_equal(run_create(i), ERR_OK);
	assert_true(run_whole(i));
}

static json_int_t approved_made;
static char approved_status[16];

static enum err approve_run(long i)
{
	(void)i;
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *out = NULL;
	approved_made = -1;
	approved_status[0] = '\0';
	enum err e = svc_match_run_decide(svc, &city, run_id, true, &out, &ei);
	if (!e) {
		approved_made = json_integer_value(json_object_get(out, "pairings_created"));
		const char *st = json_string_value(json_object_get(out, "status"));
		snprintf(approved_status, sizeof approved_status, "%s", st ? st : "");
	}
	json_decref(out);
	return e;
}

/* The answer says so, and the run as read afterwards too. */
static bool approve_whole(long i)
{
	(void)i;
	if (approved_made != (json_int_t)run_props || strcmp(approved_status, "approved"))
		return false;
	json_t *r = NULL;
	struct errinfo ei;
	if (svc_match_run_get(svc, &city, run_id, &r, &ei))
		return false;
	const char *st = json_string_value(json_object_get(r, "status"));
	bool ok = st && !strcmp(st, "approved");
	json_decref(r);
	return ok;
}

/* Three new mentors, as a CSV; number i gives them new names and phones. */
static char csv[1024];
static void csv_prepare(long i)
{
	snprintf(csv, sizeof csv,
		 "姓名,性别,手机号,所属地区,导师库层级,来源类型,三型,擅长领域,帮带容量\n"
		 "导入%ld甲,男,139%08ld,640122100,乡镇级,老乡镇老先进,经验型,党建引领,2\n"
		 "导入%ld乙,女,138%08ld,640122100,乡镇级,老乡镇老先进,专家型,党建引领,3\n"
		 "导入%ld丙,男,137%08ld,640122100,县级,老乡镇老先进,群众型,,1\n",
		 i, i, i, i, i, i);
}

static json_int_t imported;

static enum err import_data(const char *data, size_t len)
{
	struct errinfo ei;
	errinfo_clear(&ei);
	json_t *r = NULL;
	imported = -1;
	enum err e = svc_import(svc, &city, "mentors", data, len, true, NULL, NULL, &r, NULL, &ei);
	if (e == ERR_OK)
		imported = json_is_true(json_object_get(r, "committed"))
				   ? json_integer_value(json_object_get(r, "created"))
				   : -1;
	json_decref(r);
	return e;
}

/* The three rows are there, found by their names, with the values of
 * the file: a read fault must not change a value unnoticed. */
static enum err add_row(void *arg, const void *row, bool masked)
{
	(void)masked;
	const struct mentor *m = row;
	buf_printf(arg, "%s/%s/%s/%s/%d;", m->name, m->gender, m->tier, m->team_type, m->capacity);
	return ERR_OK;
}

static bool import_whole(long i)
{
	if (imported != 3)
		return false;
	struct svc_list_args la;
	memset(&la, 0, sizeof la);
	snprintf(la.q, sizeof la.q, "导入%ld", i);
	snprintf(la.sort, sizeof la.sort, "name");
	struct buf got;
	buf_init(&got, 1u << 16);
	int64_t total = 0;
	struct errinfo ei;
	enum err e = svc_mentor_list(svc, &city, &la, add_row, &got, &total, &ei);
	char *rows = buf_detach(&got, NULL);
	char want[512];
	snprintf(want, sizeof want,
		 "导入%ld丙/男/county/grassroots/1;导入%ld乙/女/township/expert/3;"
		 "导入%ld甲/男/township/experienced/2;",
		 i, i, i);
	bool ok = e == ERR_OK && total == 3 && !strcmp(rows, want);
	if (!ok)
		fprintf(stderr, "    imported: %s\n    expected: %s\n", rows, want);
	free(rows);
	return ok;
}

static enum err csv_run(long i)
{
	(void)i;
	return import_data(csv, strlen(csv));
}

/* The same three rows as an .xlsx (written by libxlsxwriter). */
static char *xlsx;
static size_t xlsx_len;
static void xlsx_prepare(long i)
{
	csv_prepare(i);
	char path[128];
	snprintf(path, sizeof path, "%s/in.xlsx", tmpdir);
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
	int row = 0, col = 0;
	for (const char *p = csv; *p; row++, col = 0) {
		size_t n = strcspn(p, "\n");
		char line[256];
		snprintf(line, sizeof line, "%.*s", (int)n, p);
		for (char *c = line, *end;; c = end + 1, col++) {
			end = strchr(c, ',');
			if (end)
				*end = '\0';
			if (*c)
				worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, c, NULL);
			if (!end)
				break;
		}
		p += n + (p[n] != '\0');
	}
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	free(xlsx);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct stat st;
	assert_int_equal(fstat(fileno(f), &st), 0);
	xlsx_len = (size_t)st.st_size;
	xlsx = malloc(xlsx_len);
	assert_int_equal(fread(xlsx, 1, xlsx_len, f), xlsx_len);
	fclose(f);
}

static enum err xlsx_run(long i)
{
	(void)i;
	return import_data(xlsx, xlsx_len);
}

static const struct op op_mentor = {"mentor create", nothing, mentor_run, mentor_whole};
static const struct op op_run = {"match run create", run_prepare, run_create, run_whole};
static const struct op op_approve = {"match run approve", approve_prepare, approve_run,
				      approve_whole};
static const struct op op_csv = {"CSV import commit", csv_prepare, csv_run, import_whole};
static const struct op op_xlsx = {"xlsx import commit", xlsx_prepare, xlsx_run, import_whole};

/* ---- quiet ------------------------------------------------------------- */

/* Every fault makes the service log a line: not while a fault is swept.
 * (Not by pointing stderr elsewhere: a sanitizer's report must reach the
 * output that scripts/san-run reads.) */
static void quiet_begin(void) { log_set_level(LOG_OFF); }
static void quiet_end(void) { log_set_level(LOG_WARN); }

/* ---- the sweep --------------------------------------------------------- */

/* Faults per sweep: a write of more calls than this is swept in even
 * steps (every call of the store's statements is; SQLite allocations are
 * hundreds), so that the whole suite stays within seconds. */
#define SWEEP_POINTS 40
#define N_CAP 200000

/* A success must add the rows a write without a fault adds: `ref`. */
static bool same_change(const char *ref, const char *before, const char *after, long n)
{
	char *d = count_delta(before, after);
	bool same = !strcmp(d, ref);
	if (!same)
		fprintf(stderr, "  N=%ld: succeeded, but changed %s where a write changes %s\n", n, d, ref);
	free(d);
	return same;
}

/* Sweep one kind of fault over one write, the fault persistent or `once`. */
static void sweep(enum fault_kind kind, const struct op *op, bool once)
{
	long steps = 0, last_calls = 0, absorbed = 0, last_n = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	open_fixture();
	run_id = 0;
	/* The change a write makes when nothing fails, and its calls of the
	 * kind: the second time, as in the sweep (statements prepared). */
	long i = 0, total = 0;
	char *before = NULL, *after = NULL, *ref = NULL;
	for (int warm = 0; warm < 2; warm++) {
		i = ++seq;
		op->prepare(i);
		before = snapshot();
		fault_arm(kind, N_CAP); /* counts the calls, fires none */
		assert_int_equal(op->run(i), ERR_OK);
		total = fault_calls();
		fault_disarm();
		assert_true(op->whole(i));
		after = snapshot();
		free(ref);
		ref = count_delta(before, after);
		free(before);
		free(after);
	}
	/* Every call up to the last, or SWEEP_POINTS of them evenly; then on
	 * until a write makes fewer calls than N (a checkpoint, say, may
	 * add some to one write). */
	long stride = total <= SWEEP_POINTS ? 1 : (total + SWEEP_POINTS - 1) / SWEEP_POINTS;
	for (long n = 1;; n += n <= total ? stride : 1, steps++) {
		assert_true(n < N_CAP);
		i = ++seq;
		op->prepare(i);
		quiet_begin();
		before = snapshot();
		if (once)
			fault_arm_once(kind, n);
		else
			fault_arm(kind, n);
		enum err e = op->run(i);
		long hits = fault_hits();
		last_calls = fault_calls();
		fault_disarm();
		runs[kind]++;
		bool partial = e == ERR_OK && !op->whole(i);
		after = snapshot();
		last_n = n;
		if (hits == 0) { /* ran past the fault: the write must be whole */
			bool bad = e != ERR_OK || partial || !same_change(ref, before, after, n);
			quiet_end();
			if (bad)
				fail_msg("%s, %s: no fault at N=%ld, yet %s", kind_name[kind], op->name, n,
					 partial ? "rows missing" : err_code(e));
			free(before);
			free(after);
			break;
		}
		injected[kind]++;
		bool ok = true;
		if (e == ERR_OK && partial) {
			fprintf(stderr, "  N=%ld: succeeded with part of the change\n", n);
			ok = false;
		} else if (e == ERR_OK) {
			/* Absorbed (SQLite retries some allocations; a checkpoint
			 * after the commit may fail): the whole write is there. */
			absorbed++;
			ok = same_change(ref, before, after, n);
		} else if (strcmp(before, after) != 0) {
			fprintf(stderr, "  N=%ld: failed (%s) but changed the data:\n", n, err_code(e));
			print_diff(before, after);
			ok = false;
		}
		ok = audit_ok() && ok;
		ok = integrity_ok() && ok;
		/* Disarmed, the same write succeeds where the fault was. */
		if (e != ERR_OK) {
			enum err again = op->run(i);
			partial = again == ERR_OK && !op->whole(i);
			if (again != ERR_OK || partial) {
				fprintf(stderr, "  N=%ld: after the fault, the write fails: %s\n", n,
					partial ? "rows missing" : err_code(again));
				ok = false;
			} else {
				char *done = snapshot();
				ok = same_change(ref, before, done, n) && ok;
				free(done);
			}
		}
		if (ok)
			survived[kind]++;
		else
			fprintf(stderr, "%s, %s: fault at call %ld not survived\n", kind_name[kind],
				op->name, n);
		quiet_end();
		free(before);
		free(after);
	}
	free(ref);
	/* What the connection saw is what a new one finds: nothing failed
	 * went to the files (or the WAL) to come back on reopening. */
	before = snapshot();
	service_close(svc);
	struct errinfo ei;
	if (service_open(db.uri, 1, &svc, &ei))
		fail_msg("reopen: %s", ei.message);
	after = snapshot();
	if (strcmp(before, after) != 0) {
		print_diff(before, after);
		fail_msg("%s, %s: the database differs after reopening", kind_name[kind], op->name);
	}
	free(before);
	free(after);
	close_fixture();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("  %-40s %-4s %-18s %3ld faults (%ld absorbed), swept to N=%ld of %ld calls, %.1f s\n",
	       kind_name[kind], once ? "once" : "on", op->name, steps, absorbed, last_n, last_calls,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
}

static void write_tsv(void)
{
	mkdir("build", 0755);
	mkdir("build/reliability", 0755);
	const char *path = testdb_is_pg() ? "build/reliability/fault-pg.tsv"
					  : "build/reliability/fault.tsv";
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (int k = 0; k < FAULT__MAX; k++)
		if (runs[k])
			fprintf(f, "%s%s\t%ld\t%ld\n", testdb_is_pg() ? "postgres: " : "",
				kind_name[k], injected[k], survived[k]);
	assert_int_equal(fclose(f), 0);
}

/* ---- the tests ----------------------------------------------------------- */

/* `both`: persistent and transient (for SQLite a write or sync error
 * aborts the statement either way: persistent only). */
static void sweep_all(enum fault_kind kind, bool both)
{
	for (int once = 0; once < (both ? 2 : 1); once++) {
		sweep(kind, &op_mentor, once);
		sweep(kind, &op_run, once);
		sweep(kind, &op_approve, once);
		sweep(kind, &op_csv, once);
	}
	write_tsv();
	assert_int_equal(survived[kind], injected[kind]);
	assert_true(injected[kind] > 0);
}

static void test_sqlite_malloc(void **state)
{
	(void)state;
	sweep_all(FAULT_SQLITE_MALLOC, true);
}

static void test_sqlite_ioerr(void **state)
{
	(void)state;
	sweep_all(FAULT_SQLITE_IOERR, false);
}

static void test_sqlite_full(void **state)
{
	(void)state;
	sweep_all(FAULT_SQLITE_FULL, false);
}

static void test_store_step(void **state)
{
	(void)state;
	sweep_all(FAULT_STORE_STEP, true);
}

static void test_import_read(void **state)
{
	(void)state;
	/* A short read is a one-off: the next read may return the rest. */
	sweep(FAULT_SHEET_READ, &op_xlsx, true);
	write_tsv();
	assert_int_equal(survived[FAULT_SHEET_READ], injected[FAULT_SHEET_READ]);
	assert_true(injected[FAULT_SHEET_READ] > 0);
	free(xlsx);
	xlsx = NULL;
}

/* The check of svc_db_check that no statement is left mid-way can see
 * one (SQLite; PostgreSQL reads results whole). */
static void test_unfinished_statement(void **state)
{
	(void)state;
	struct testdb t;
	assert_int_equal(testdb_create(&t, "fault_stmt"), 0);
	struct store *s;
	struct errinfo ei;
	assert_int_equal(store_open(t.uri, 1, &s, &ei), ERR_OK);
	struct store_conn *c = store_acquire(s);
	static const char two_rows[] = "SELECT 1 UNION ALL SELECT 2";
	struct store_stmt *st;
	bool row = false;
	assert_int_equal(store_prepare(c, two_rows, &st), ERR_OK);
	assert_int_equal(store_unfinished(c), 0);
	assert_int_equal(store_step(st, &row), ERR_OK);
	assert_true(row);
	assert_int_equal(store_unfinished(c), 1);
	store_done(st);
	assert_int_equal(store_unfinished(c), 0);
	store_release(s, c);
	store_close(s);
	testdb_drop(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store_step),
		cmocka_unit_test(test_import_read),
		/* SQLite's own allocator and files: on SQLite only. */
		cmocka_unit_test(test_sqlite_malloc),
		cmocka_unit_test(test_sqlite_ioerr),
		cmocka_unit_test(test_sqlite_full),
		cmocka_unit_test(test_unfinished_statement),
	};
	size_t n = sizeof tests / sizeof tests[0];
	return _cmocka_run_group_tests("test_fault", tests, testdb_is_pg() ? 2 : n, group_setup,
				       group_teardown);
}
