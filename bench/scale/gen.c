/*
 * bench/scale/gen.c — scale generator and read benchmark (issue 6).
 *
 *   gen load  URI COUNTIES TOWNSHIPS_PER_COUNTY VILLAGES_PER_TOWNSHIP
 *             MENTEES MENTORS [PAIRINGS]
 *   gen bench URI RUNS
 *
 * `load` fills an empty database THROUGH THE STORE: the service is opened
 * with one connection (service_open -> store_open(uri, 1), migrations
 * included) and every row goes in with the db_* functions of
 * src/store/db.h inside store_tx batches of BATCH rows, so SQLite and
 * PostgreSQL are loaded by the same code. Region tree: one root "CN"
 * (level 1), COUNTIES counties (level 2, "K0001"), townships (level 3,
 * "K0001T01"), villages (level 4, "K0001T01V01"), one village party
 * organisation per village. Mentors sit in townships, mentees in
 * villages, spread round-robin so every county has the same share.
 * Deterministic: no randomness but a fixed hash of the row number.
 *
 * `bench` times the four heaviest reads through the service functions
 * (the same code the HTTP handlers call), RUNS times each, and prints the
 * median in ms:
 *   (a) svc_stats of the whole nation (city admin on the root),
 *   (b) svc_stats of county K0001,
 *   (c) svc_mentor_list q=<a surname> in county K0001,
 *   (d) svc_due_list of county K0001 (date 2026-06-30), every item, and
 *       its first page of 100 (svc_due_page, GET /due?limit=100).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "service/internal.h"
#include "store/db_match.h"

#define BATCH 5000
#define NOW "2026-01-01T00:00:00Z"

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵",
				       "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
				       "何", "高", "林", "罗"};
static const char *const given[] = {"建国", "志强", "秀英", "海燕", "国华", "文静", "晓东",
				    "春梅", "立新", "红霞", "德明", "玉兰", "永平", "丽娟",
				    "长江", "金凤", "宏伟", "淑珍", "振华", "桂英", "子涵",
				    "俊杰", "欣怡", "浩然", "雨萱"};
#define NS (sizeof surnames / sizeof *surnames)
#define NG (sizeof given / sizeof *given)

static uint64_t mix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

struct gen {
	struct service *s;
	long counties, tps, vpt, mentees, mentors, pairings;
	long ntown, nvill;
	int64_t root_id;
	int64_t *county_id, *town_id, *vill_id, *org_id, *mentor_id, *mentee_id;
	/* the batch being loaded: rows [from, to) of the current table */
	int table;
	long from, to;
	long rows;
};

static void town_code(const struct gen *g, long t, char *out, size_t n)
{
	snprintf(out, n, "K%04ldT%02ld", t / g->tps + 1, t % g->tps + 1);
}
static void vill_code(const struct gen *g, long v, char *out, size_t n)
{
	long t = v / g->vpt;
	char tc[32];
	town_code(g, t, tc, sizeof tc);
	snprintf(out, n, "%sV%02ld", tc, v % g->vpt + 1);
}

static enum err ins_region(struct gen *g, struct store_conn *c, const char *code, const char *name,
			   int level, int64_t parent, const char *ppath, int64_t *id)
{
	struct region r;
	memset(&r, 0, sizeof r);
	snprintf(r.code, sizeof r.code, "%s", code);
	snprintf(r.name, sizeof r.name, "%s", name);
	r.level = level;
	r.parent_id = parent;
	snprintf(r.path, sizeof r.path, "%s%s/", ppath ? ppath : "/", code);
	char key[3 * M_NAME];
	svc_search_key(g->s, key, sizeof key, r.name, r.code, NULL);
	enum err e = db_region_insert(c, &r, key, NOW);
	*id = r.id;
	return e;
}

static void county_path(long k, char *out, size_t n)
{
	snprintf(out, n, "/CN/K%04ld/", k + 1);
}
static void town_path(const struct gen *g, long t, char *out, size_t n)
{
	char tc[32];
	town_code(g, t, tc, sizeof tc);
	snprintf(out, n, "/CN/K%04ld/%s/", t / g->tps + 1, tc);
}
static void vill_path(const struct gen *g, long v, char *out, size_t n)
{
	char vc[40], tp[96];
	vill_code(g, v, vc, sizeof vc);
	town_path(g, v / g->vpt, tp, sizeof tp);
	snprintf(out, n, "%s%s/", tp, vc);
}

static void person_name(long i, uint64_t salt, char *out, size_t n)
{
	uint64_t h = mix((uint64_t)i ^ salt);
	snprintf(out, n, "%s%s", surnames[h % NS], given[(h >> 20) % NG]);
}

/* The village of mentee i: round robin over counties, then within. */
static long mentee_village(const struct gen *g, long i)
{
	long k = i % g->counties, j = i / g->counties;
	long per = g->tps * g->vpt;
	return k * per + j % per;
}
static long mentor_township(const struct gen *g, long i)
{
	long k = i % g->counties, j = i / g->counties;
	return k * g->tps + j % g->tps;
}

static enum err batch(struct store_conn *c, void *arg)
{
	struct gen *g = arg;
	enum err e = ERR_OK;
	char code[48], name[64], path[M_PATH], key[3 * M_NAME];
	for (long i = g->from; i < g->to && !e; i++) {
		switch (g->table) {
		case 0: /* counties */
			snprintf(code, sizeof code, "K%04ld", i + 1);
			snprintf(name, sizeof name, "第%ld县", i + 1);
			e = ins_region(g, c, code, name, 2, g->root_id, "/CN/", &g->county_id[i]);
			break;
		case 1: /* townships */
			town_code(g, i, code, sizeof code);
			snprintf(name, sizeof name, "第%ld县第%ld镇", i / g->tps + 1, i % g->tps + 1);
			county_path(i / g->tps, path, sizeof path);
			e = ins_region(g, c, code, name, 3, g->county_id[i / g->tps], path,
				       &g->town_id[i]);
			break;
		case 2: { /* villages and their party organisation */
			vill_code(g, i, code, sizeof code);
			snprintf(name, sizeof name, "%s村", code);
			town_path(g, i / g->vpt, path, sizeof path);
			e = ins_region(g, c, code, name, 4, g->town_id[i / g->vpt], path,
				       &g->vill_id[i]);
			if (e)
				break;
			struct organisation o;
			memset(&o, 0, sizeof o);
			snprintf(o.name, sizeof o.name, "%s党支部", name);
			o.region_id = g->vill_id[i];
			snprintf(o.region_path, sizeof o.region_path, "%s%s/", path, code);
			uint64_t h = mix((uint64_t)i);
			o.stars = 1 + (int)(h % 5);
			o.weak_lax = o.was_weak_lax = h % 23 == 0;
			o.lagging = o.was_lagging = h % 17 == 0;
			o.demonstration = h % 11 == 0;
			o.weak_economy = h % 13 == 0;
			svc_search_key(g->s, key, sizeof key, o.name, name, NULL);
			e = db_org_insert(c, &o, key, NOW);
			g->org_id[i] = o.id;
			break;
		}
		case 3: { /* mentors */
			static const char *const tiers[] = {"city", "county", "township"};
			static const char *const teams[] = {"expert", "experienced", "grassroots"};
			static const char *const sources[] = {"party", "gov", "enterprise",
							      "school", "retired"};
			static const char *const statuses[] = {"active", "active", "active",
							       "active", "nominated", "filed",
							       "paused", "retired"};
			uint64_t h = mix((uint64_t)i + 7777);
			struct mentor m;
			memset(&m, 0, sizeof m);
			person_name(i, 0x51, m.name, sizeof m.name);
			snprintf(m.gender, sizeof m.gender, "%s", h & 1 ? "男" : "女");
			snprintf(m.phone, sizeof m.phone, "138%08ld", i);
			snprintf(m.id_number, sizeof m.id_number, "64010019%02d0101%04ld",
				 60 + (int)(h % 30), i % 10000);
			/* unique: the row number in the last 4 + a block digit */
			snprintf(m.id_number, sizeof m.id_number, "6401%010ld%04d", i,
				 (int)(h % 10000));
			m.birth_year = 1960 + (int)(h % 35);
			long t = mentor_township(g, i);
			m.region_id = g->town_id[t];
			town_path(g, t, m.region_path, sizeof m.region_path);
			snprintf(m.tier, sizeof m.tier, "%s", tiers[(h >> 8) % 3]);
			snprintf(m.source, sizeof m.source, "%s", sources[(h >> 12) % 5]);
			snprintf(m.team_type, sizeof m.team_type, "%s", teams[(h >> 16) % 3]);
			snprintf(m.post, sizeof m.post, "农技员");
			m.capacity = 1 + (int)((h >> 20) % 3);
			for (int k = 0; k < 4; k++)
				m.scores[k] = 60 + (int)((h >> (24 + 4 * k)) % 40);
			snprintf(m.domains, sizeof m.domains, ",%s,", (h >> 40) & 1 ? "agri" : "gov");
			snprintf(m.status, sizeof m.status, "%s", statuses[(h >> 44) % 8]);
			svc_search_key(g->s, key, sizeof key, m.name, m.post, "镇");
			e = db_mentor_insert(c, &m, key, NOW);
			g->mentor_id[i] = m.id;
			break;
		}
		case 4: { /* mentees */
			static const char *const cats[] = {"village_cadre", "reserve", "youth",
							   "returnee", "farmer"};
			uint64_t h = mix((uint64_t)i + 99991);
			struct mentee m;
			memset(&m, 0, sizeof m);
			long v = mentee_village(g, i);
			snprintf(m.kind, sizeof m.kind, "person");
			person_name(i, 0xEE, m.name, sizeof m.name);
			snprintf(m.gender, sizeof m.gender, "%s", h & 1 ? "男" : "女");
			snprintf(m.phone, sizeof m.phone, "139%08ld", i);
			snprintf(m.id_number, sizeof m.id_number, "6402%010ld%04d", i,
				 (int)(h % 10000));
			m.birth_year = 1970 + (int)(h % 35);
			m.region_id = g->vill_id[v];
			vill_path(g, v, m.region_path, sizeof m.region_path);
			m.org_id = g->org_id[v];
			snprintf(m.category, sizeof m.category, "%s", cats[(h >> 8) % 5]);
			snprintf(m.post, sizeof m.post, "村委委员");
			snprintf(m.weaknesses, sizeof m.weaknesses, ",%s,",
				 (h >> 12) & 1 ? "agri" : "gov");
			snprintf(m.status, sizeof m.status, "active");
			svc_search_key(g->s, key, sizeof key, m.name, m.post, "村");
			e = db_mentee_insert(c, &m, key, NOW);
			g->mentee_id[i] = m.id;
			break;
		}
		case 5: { /* 1:1 active pairings: mentee i with a mentor of its county */
			long mi = i * (g->mentees / g->pairings);
			long k = mi % g->counties;
			long per_county = g->mentors / g->counties;
			long mo = k + g->counties * ((mi / g->counties) % (per_county ? per_county : 1));
			long v = mentee_village(g, mi);
			struct db_pairing p;
			memset(&p, 0, sizeof p);
			snprintf(p.mode, sizeof p.mode, "1:1");
			snprintf(p.origin, sizeof p.origin, "assigned");
			p.region_id = g->county_id[k];
			county_path(k, p.region_path, sizeof p.region_path);
			(void)v;
			snprintf(p.status, sizeof p.status, "active");
			p.mentor_confirmed = p.mentee_confirmed = true;
			snprintf(p.start_date, sizeof p.start_date, "2026-0%d-15",
				 1 + (int)(mix((uint64_t)i) % 5));
			e = db_pairing_insert(c, &p, NOW);
			if (!e)
				e = db_pairing_member_add(c, p.id, "mentor", g->mentor_id[mo],
							  p.start_date);
			if (!e)
				e = db_pairing_member_add(c, p.id, "mentee", g->mentee_id[mi],
							  p.start_date);
			break;
		}
		}
	}
	return e;
}

static int load_table(struct gen *g, struct store_conn *c, int table, const char *what, long n)
{
	double t0 = now_ms();
	g->table = table;
	for (long i = 0; i < n; i += BATCH) {
		g->from = i;
		g->to = i + BATCH < n ? i + BATCH : n;
		enum err e = store_tx(c, batch, g);
		if (e) {
			fprintf(stderr, "gen: loading %s rows %ld..%ld: %s (%s)\n", what, g->from,
				g->to, err_code(e), store_errmsg(c));
			return 1;
		}
	}
	double ms = now_ms() - t0;
	fprintf(stderr, "gen: %-10s %9ld rows %8.1f s %9.0f rows/s\n", what, n, ms / 1e3,
		n / (ms / 1e3));
	g->rows += n;
	return 0;
}

static int cmd_load(int argc, char **argv)
{
	if (argc < 8)
		return 2;
	struct gen g;
	memset(&g, 0, sizeof g);
	g.counties = atol(argv[3]);
	g.tps = atol(argv[4]);
	g.vpt = atol(argv[5]);
	g.mentees = atol(argv[6]);
	g.mentors = atol(argv[7]);
	g.pairings = argc > 8 ? atol(argv[8]) : 0;
	if (g.counties < 1 || g.counties > 9999 || g.tps < 1 || g.tps > 99 || g.vpt < 1 ||
	    g.vpt > 99 || g.mentees < 1 || g.mentors < g.counties || g.pairings > g.mentees) {
		fprintf(stderr, "gen: bad sizes\n");
		return 2;
	}
	g.ntown = g.counties * g.tps;
	g.nvill = g.ntown * g.vpt;
	struct errinfo ei = {0};
	if (service_open(argv[2], 1, &g.s, &ei)) {
		fprintf(stderr, "gen: cannot open %s: %s\n", argv[2], ei.message);
		return 1;
	}
	g.county_id = calloc((size_t)g.counties, sizeof(int64_t));
	g.town_id = calloc((size_t)g.ntown, sizeof(int64_t));
	g.vill_id = calloc((size_t)g.nvill, sizeof(int64_t));
	g.org_id = calloc((size_t)g.nvill, sizeof(int64_t));
	g.mentor_id = calloc((size_t)g.mentors, sizeof(int64_t));
	g.mentee_id = calloc((size_t)g.mentees, sizeof(int64_t));
	struct store_conn *c = store_acquire(g.s->store);
	double t0 = now_ms();
	int rc = 0;
	g.table = -1;
	{
		struct region r;
		memset(&r, 0, sizeof r);
		snprintf(r.code, sizeof r.code, "CN");
		snprintf(r.name, sizeof r.name, "全国");
		r.level = 1;
		snprintf(r.path, sizeof r.path, "/CN/");
		char key[3 * M_NAME];
		svc_search_key(g.s, key, sizeof key, r.name, r.code, NULL);
		if (db_region_insert(c, &r, key, NOW)) {
			fprintf(stderr, "gen: root: %s (is the database empty?)\n", store_errmsg(c));
			rc = 1;
		}
		g.root_id = r.id;
	}
	if (!rc)
		rc = load_table(&g, c, 0, "counties", g.counties) ||
		     load_table(&g, c, 1, "townships", g.ntown) ||
		     load_table(&g, c, 2, "villages", g.nvill) ||
		     load_table(&g, c, 3, "mentors", g.mentors) ||
		     load_table(&g, c, 4, "mentees", g.mentees) ||
		     (g.pairings && load_table(&g, c, 5, "pairings", g.pairings));
	double s = (now_ms() - t0) / 1e3;
	/* villages carry an organisation, pairings two members: count rows written */
	long written = 1 + g.counties + g.ntown + 2 * g.nvill + g.mentors + g.mentees +
		       3 * g.pairings;
	if (!rc)
		printf("load %s: backend %s, %ld counties, %ld townships, %ld villages (+%ld "
		       "organisations), %ld mentors, %ld mentees, %ld pairings; %ld rows in "
		       "%.1f s = %.0f rows/s\n",
		       store_backend_name(g.s->store), store_backend_name(g.s->store), g.counties,
		       g.ntown, g.nvill, g.nvill, g.mentors, g.mentees, g.pairings, written, s,
		       written / s);
	store_release(g.s->store, c);
	service_close(g.s);
	return rc;
}

/* ------------------------------------------------------------- bench */

static enum err count_row(void *arg, const void *row, bool masked)
{
	(void)row;
	(void)masked;
	(*(long *)arg)++;
	return ERR_OK;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int cmd_bench(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	int runs = atoi(argv[3]);
	if (runs < 1 || runs > 99)
		runs = 5;
	struct service *s;
	struct errinfo ei = {0};
	if (service_open(argv[2], 2, &s, &ei)) {
		fprintf(stderr, "gen: cannot open %s: %s\n", argv[2], ei.message);
		return 1;
	}
	struct actor a;
	memset(&a, 0, sizeof a);
	a.user_id = 0;
	a.role = ROLE_CITY_ADMIN;
	snprintf(a.login, sizeof a.login, "bench");
	snprintf(a.region_path, sizeof a.region_path, "/CN/");
	snprintf(a.client, sizeof a.client, "127.0.0.1");
	const char *names[5] = {"stats nation", "stats county", "mentor search county",
				"due list county", "due list county p1"};
	static const int order[5] = {1, 2, 3, 4, 0}; /* the slow one last */
	for (int oi = 0; oi < 5; oi++) {
		int which = order[oi];
		double t[99];
		long rows = 0;
		int runs_this = runs;
		for (int r = 0; r < runs; r++) {
			json_t *out = NULL;
			long n = 0;
			int64_t total = 0;
			enum err e = ERR_OK;
			double t0 = now_ms();
			if (which == 0) {
				e = svc_stats(s, &a, "", &out, &ei);
			} else if (which == 1) {
				e = svc_stats(s, &a, "K0001", &out, &ei);
			} else if (which == 2) {
				struct svc_list_args la;
				memset(&la, 0, sizeof la);
				snprintf(la.region, sizeof la.region, "K0001");
				snprintf(la.q, sizeof la.q, "王");
				la.limit = 20;
				e = svc_mentor_list(s, &a, &la, count_row, &n, &total, &ei);
				rows = (long)total;
			} else if (which == 3) {
				e = svc_due_list(s, &a, "K0001", "2026-06-30", &out, &ei);
			} else {
				/* the first page, as GET /due?limit=100 */
				e = svc_due_page(s, &a, "K0001", "2026-06-30", 100, 0, &out, &ei);
			}
			t[r] = now_ms() - t0;
			if (e) {
				fprintf(stderr, "gen: %s: %s %s\n", names[which], err_code(e), ei.message);
				service_close(s);
				return 1;
			}
			if (which == 0 && r == 0 && t[0] > 10000 && runs > 1) {
				/* too slow to repeat inside the time box: one run */
				fprintf(stderr, "gen: %s took %.0f ms: 1 run only\n", names[which], t[0]);
				json_decref(out);
				runs_this = 1;
				break;
			}
			if (which >= 3 && out)
				rows = (long)json_integer_value(json_object_get(out, "total"));
			if (which == 0 && out && r == 0) {
				char *d = json_dumps(out, JSON_COMPACT);
				fprintf(stderr, "gen: nation stats (first 300 bytes): %.300s\n", d);
				free(d);
			}
			json_decref(out);
		}
		double sorted[99];
		memcpy(sorted, t, sizeof(double) * (size_t)runs_this);
		qsort(sorted, (size_t)runs_this, sizeof(double), cmp_d);
		printf("bench %-8s %-22s median %9.1f ms  (runs:", store_backend_name(s->store),
		       names[which], sorted[runs_this / 2]);
		for (int r = 0; r < runs_this; r++)
			printf(" %.1f", t[r]);
		printf(")");
		if (which >= 2)
			printf("  total=%ld", rows);
		printf("\n");
		fflush(stdout);
	}
	service_close(s);
	return 0;
}

int main(int argc, char **argv)
{
	int rc = 2;
	if (argc > 1 && !strcmp(argv[1], "load"))
		rc = cmd_load(argc, argv);
	else if (argc > 1 && !strcmp(argv[1], "bench"))
		rc = cmd_bench(argc, argv);
	if (rc == 2)
		fprintf(stderr, "usage: gen load URI COUNTIES TOWNSHIPS_PER_COUNTY "
				"VILLAGES_PER_TOWNSHIP MENTEES MENTORS [PAIRINGS]\n"
				"       gen bench URI RUNS\n");
	return rc;
}
