/*
 * test_store.c — the typed record functions of src/store/db_*.c against a
 * real SQLite database (layer under test: store).
 *
 * Every test gets a fresh database file in a temporary directory,
 * migrated by store_open and seeded with one small programme: a city
 * "/6401/" with counties K1 and K10 (the trap: "K1" is a prefix of "K10",
 * so a jurisdiction scan of K1 must use the range ["/6401/K1/",
 * "/6401/K10") and never see K10's rows), a county 640122 and a township
 * T1 under K1, and mentors, mentees, organisations with star histories,
 * mentor organisations and menus spread over them. Lists are checked by
 * table: a query, the expected total and the names of the page in order.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../testdb.h"
#include "store/db.h"
#include "store/db_life.h"
#include "store/db_util.h"
#include "store/store.h"

#define NOW "2024-05-01T00:00:00Z"
#define COPY(arr, s) snprintf((arr), sizeof(arr), "%s", (s))

/* Indices into the fixture's id arrays (0 unused, so 0 can mean "none"). */
enum { R_CITY = 1, R_K1, R_K10, R_640122, R_T1, R__N };
enum { MT_ALICE = 1, MT_BOB, MT_CAROL, MT_DAVE, MT_EVE, MT__N };
enum { ME_ZHANG = 1, ME_VILLAGE, ME_LI, ME_WANG, ME__N };
enum { O_A = 1, O_B, O_C, O_D, O__N };
enum { MO_RED = 1, MO_TOMATO, MO_PARK, MO__N };
enum { MN_K1_2024 = 1, MN_K10_2023, MN_K1_2022, MN__N };

struct fx {
	struct testdb db; /* SQLite, or PostgreSQL under scripts/pg-test */
	struct store *s;
	struct store_conn *c;
	struct region reg[R__N];
	int64_t mentor[MT__N], mentee[ME__N], org[O__N], morg[MO__N], menu[MN__N];
};

/* --- seed ------------------------------------------------------------- */

static struct fx *g_fx; /* the seed's target, for the tx callback */

static enum err seed_region(struct store_conn *c, int i, const char *code, int level,
			    int parent)
{
	struct region *r = &g_fx->reg[i];
	memset(r, 0, sizeof *r);
	COPY(r->code, code);
	COPY(r->name, code);
	r->level = level;
	if (parent) {
		char up[M_PATH];
		COPY(up, g_fx->reg[parent].path);
		r->parent_id = g_fx->reg[parent].id;
		snprintf(r->path, sizeof r->path, "%s%s/", up, code);
	} else {
		snprintf(r->path, sizeof r->path, "/%s/", code);
	}
	return db_region_insert(c, r, code, NOW);
}

static enum err seed_mentor(struct store_conn *c, int i, const char *name, int reg,
			    const char *tier, const char *source, const char *team,
			    const char *domains, const char *status, const char *phone)
{
	struct mentor m;
	memset(&m, 0, sizeof m);
	COPY(m.name, name);
	COPY(m.gender, "F");
	COPY(m.phone, phone);
	m.region_id = g_fx->reg[reg].id;
	COPY(m.region_path, g_fx->reg[reg].path);
	COPY(m.tier, tier);
	COPY(m.source, source);
	COPY(m.team_type, team);
	COPY(m.domains, domains);
	COPY(m.status, status);
	m.capacity = 2;
	enum err e = db_mentor_insert(c, &m, name, NOW);
	g_fx->mentor[i] = m.id;
	return e;
}

static void make_mentee(struct mentee *m, const char *kind, const char *name, int reg,
			const char *category, const char *weak, const char *status,
			const char *phone)
{
	memset(m, 0, sizeof *m);
	COPY(m->kind, kind);
	COPY(m->name, name);
	COPY(m->phone, phone);
	m->region_id = g_fx->reg[reg].id;
	COPY(m->region_path, g_fx->reg[reg].path);
	COPY(m->category, category);
	COPY(m->weaknesses, weak);
	COPY(m->status, status);
	COPY(m->post, "secretary");
	COPY(m->talent_team, "reserve");
	m->birth_year = 1990;
}

static enum err seed_mentee(struct store_conn *c, int i, const char *kind, const char *name,
			    int reg, const char *category, const char *weak, const char *status,
			    const char *phone, const char *now)
{
	struct mentee m;
	make_mentee(&m, kind, name, reg, category, weak, status, phone);
	enum err e = db_mentee_insert(c, &m, name, now);
	g_fx->mentee[i] = m.id;
	return e;
}

/* flags: "wlde" letters for weak_lax, lagging, demonstration,
 * weak_economy; "WL" for was_weak_lax, was_lagging. */
static enum err seed_org(struct store_conn *c, int i, const char *name, int reg, int stars,
			 const char *flags)
{
	struct organisation o;
	memset(&o, 0, sizeof o);
	COPY(o.name, name);
	o.region_id = g_fx->reg[reg].id;
	COPY(o.region_path, g_fx->reg[reg].path);
	o.stars = stars;
	o.weak_lax = strchr(flags, 'w') != NULL;
	o.lagging = strchr(flags, 'l') != NULL;
	o.demonstration = strchr(flags, 'd') != NULL;
	o.weak_economy = strchr(flags, 'e') != NULL;
	o.was_weak_lax = strchr(flags, 'W') != NULL;
	o.was_lagging = strchr(flags, 'L') != NULL;
	enum err e = db_org_insert(c, &o, name, NOW);
	g_fx->org[i] = o.id;
	return e;
}

static enum err seed_morg(struct store_conn *c, int i, const char *name, const char *kind,
			  int reg, const char *domains)
{
	struct mentor_org o;
	memset(&o, 0, sizeof o);
	COPY(o.name, name);
	COPY(o.kind, kind);
	o.region_id = g_fx->reg[reg].id;
	COPY(o.region_path, g_fx->reg[reg].path);
	o.capacity = 4;
	COPY(o.domains, domains);
	COPY(o.description, "helps");
	enum err e = db_mentor_org_insert(c, &o, name, NOW);
	g_fx->morg[i] = o.id;
	return e;
}

static enum err seed_menu(struct store_conn *c, int i, const char *name, int reg, int year)
{
	struct menu m;
	memset(&m, 0, sizeof m);
	COPY(m.name, name);
	m.region_id = g_fx->reg[reg].id;
	COPY(m.region_path, g_fx->reg[reg].path);
	m.year = year;
	m.published = true;
	enum err e = db_menu_insert(c, &m, NOW);
	g_fx->menu[i] = m.id;
	return e;
}

static enum err seed_star(struct store_conn *c, int org, int stars, const char *rated_on)
{
	struct org_star s;
	memset(&s, 0, sizeof s);
	s.org_id = g_fx->org[org];
	s.stars = stars;
	COPY(s.rated_on, rated_on);
	COPY(s.note, rated_on);
	COPY(s.at, NOW);
	return db_org_star_add(c, &s);
}

#define TRY(x)                    \
	do {                      \
		enum err e_ = (x); \
		if (e_)            \
			return e_; \
	} while (0)

static enum err seed(struct store_conn *c, void *arg)
{
	(void)arg;
	TRY(seed_region(c, R_CITY, "6401", 1, 0));
	TRY(seed_region(c, R_K1, "K1", 2, R_CITY));
	TRY(seed_region(c, R_K10, "K10", 2, R_CITY));
	TRY(seed_region(c, R_640122, "640122", 2, R_CITY));
	TRY(seed_region(c, R_T1, "T1", 3, R_K1));

	static const char *const vocab[][2] = {
		{"source", "veteran"}, {"source", "secretary"}, {"domain", "party"},
		{"domain", "economy"}, {"category", "young"},   {"category", "newsec"},
	};
	for (size_t i = 0; i < sizeof vocab / sizeof vocab[0]; i++) {
		struct vocab v = {0};
		COPY(v.kind, vocab[i][0]);
		COPY(v.code, vocab[i][1]);
		COPY(v.name, vocab[i][1]);
		v.sort = (int)i;
		TRY(db_vocab_insert(c, &v));
	}

	TRY(seed_mentor(c, MT_ALICE, "alice", R_K1, "county", "veteran", "expert",
			",party,economy,", "active", "13800000001"));
	TRY(seed_mentor(c, MT_BOB, "bob", R_T1, "township", "secretary", "grassroots",
			",economy,", "paused", "13800000002"));
	TRY(seed_mentor(c, MT_CAROL, "carol", R_K10, "county", "veteran", "experienced",
			",party,", "active", "13800000003"));
	TRY(seed_mentor(c, MT_DAVE, "dave", R_K1, "city", "veteran", "expert", ",party,",
			"rejected", "13800000004"));
	TRY(seed_mentor(c, MT_EVE, "eve", R_CITY, "city", "secretary", "expert", ",economy,",
			"active", ""));

	TRY(seed_mentee(c, ME_ZHANG, "person", "zhang", R_K1, "young", ",party,", "active",
			"13900000001", "2024-01-03T00:00:00Z"));
	TRY(seed_mentee(c, ME_VILLAGE, "org", "village", R_T1, "", ",economy,party,", "active",
			"", "2024-01-01T00:00:00Z"));
	TRY(seed_mentee(c, ME_LI, "person", "li", R_K10, "young", ",economy,", "graduated",
			"13900000003", "2024-01-04T00:00:00Z"));
	TRY(seed_mentee(c, ME_WANG, "person", "wang", R_K1, "newsec", "", "", "",
			"2024-01-02T00:00:00Z"));

	TRY(seed_org(c, O_A, "org a", R_T1, 2, "W"));   /* rectified */
	TRY(seed_org(c, O_B, "org b", R_K1, 0, "le"));  /* default 3 stars */
	TRY(seed_org(c, O_C, "org c", R_K10, 5, "dL")); /* upgraded */
	TRY(seed_org(c, O_D, "org d", R_K1, 1, "wd"));
	TRY(seed_star(c, O_A, 3, "2022-01-01"));
	TRY(seed_star(c, O_A, 4, "2023-06-01"));
	TRY(seed_star(c, O_A, 1, "2021-01-01")); /* entered late: history only */

	TRY(seed_morg(c, MO_RED, "red branch", "party_org", R_K1, ",party,"));
	TRY(seed_morg(c, MO_TOMATO, "tomato base", "enterprise", R_T1, ",economy,"));
	TRY(seed_morg(c, MO_PARK, "park co", "enterprise", R_K10, ",economy,"));

	TRY(seed_menu(c, MN_K1_2024, "k1 menu 2024", R_K1, 2024));
	TRY(seed_menu(c, MN_K10_2023, "k10 menu 2023", R_K10, 2023));
	TRY(seed_menu(c, MN_K1_2022, "k1 menu 2022", R_K1, 2022));
	int64_t items[] = {g_fx->mentor[MT_BOB], g_fx->mentor[MT_DAVE], g_fx->mentor[MT_ALICE]};
	TRY(db_menu_set_items(c, g_fx->menu[MN_K1_2024], items, 3));
	return ERR_OK;
}

static void rm_db(struct fx *f) { testdb_drop(&f->db); }

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	if (testdb_create(&f->db, "store") != 0) {
		free(f);
		return -1;
	}
	struct errinfo ei = {0};
	if (store_open(f->db.uri, 2, &f->s, &ei) != ERR_OK) {
		fprintf(stderr, "store_open: %s\n", ei.message);
		rm_db(f);
		free(f);
		return -1;
	}
	f->c = store_acquire(f->s);
	g_fx = f;
	enum err e = store_tx(f->c, seed, NULL);
	if (e) {
		fprintf(stderr, "seed: %s (%s)\n", err_code(e), store_errmsg(f->c));
		store_release(f->s, f->c);
		store_close(f->s);
		rm_db(f);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_release(f->s, f->c);
	store_close(f->s);
	rm_db(f);
	free(f);
	g_fx = NULL;
	return 0;
}

/* --- helpers ---------------------------------------------------------- */

/* The jurisdiction range of region i: [path, path with last '/' -> '0'). */
static void set_root(struct list_query *q, const struct fx *f, int reg)
{
	COPY(q->root_lo, f->reg[reg].path);
	COPY(q->root_hi, f->reg[reg].path);
	size_t n = strlen(q->root_hi);
	q->root_hi[n - 1] = '0';
}

/* Rows collected as "name" or "name@region", comma-separated. */
struct names {
	char s[1024];
	int n;
	bool with_region;
	int stop_after; /* > 0: the row fn fails after this many rows */
};

static enum err add_name(struct names *a, const char *name, const char *region)
{
	size_t len = strlen(a->s);
	snprintf(a->s + len, sizeof a->s - len, "%s%s%s%s", a->n ? "," : "", name,
		 a->with_region ? "@" : "", a->with_region ? region : "");
	a->n++;
	if (a->stop_after && a->n >= a->stop_after)
		return ERR_UNPROCESSABLE;
	return ERR_OK;
}

static enum err row_mentor(void *arg, const void *row)
{
	const struct mentor *m = row;
	return add_name(arg, m->name, m->region_code);
}
static enum err row_mentee(void *arg, const void *row)
{
	const struct mentee *m = row;
	return add_name(arg, m->name, m->region_code);
}
static enum err row_org(void *arg, const void *row)
{
	const struct organisation *o = row;
	return add_name(arg, o->name, o->region_code);
}
static enum err row_morg(void *arg, const void *row)
{
	const struct mentor_org *o = row;
	return add_name(arg, o->name, o->region_code);
}
static enum err row_menu(void *arg, const void *row)
{
	const struct menu *m = row;
	return add_name(arg, m->name, m->region_code);
}

typedef enum err (*list_fn)(struct store_conn *, const struct list_query *, db_row_fn, void *,
			    int64_t *);

/* --- get / insert round trips ----------------------------------------- */

static void test_get_roundtrip(void **state)
{
	struct fx *f = *state;

	struct mentor_org mo;
	assert_int_equal(db_mentor_org_get(f->c, f->morg[MO_TOMATO], &mo), ERR_OK);
	assert_int_equal(mo.id, f->morg[MO_TOMATO]);
	assert_string_equal(mo.name, "tomato base");
	assert_string_equal(mo.kind, "enterprise");
	assert_int_equal(mo.region_id, f->reg[R_T1].id);
	assert_string_equal(mo.region_path, "/6401/K1/T1/");
	assert_string_equal(mo.region_code, "T1");
	assert_string_equal(mo.region_name, "T1");
	assert_int_equal(mo.capacity, 4);
	assert_string_equal(mo.domains, ",economy,");
	assert_string_equal(mo.description, "helps");
	assert_string_equal(mo.created_at, NOW);
	assert_string_equal(mo.updated_at, NOW);

	struct menu mn;
	assert_int_equal(db_menu_get(f->c, f->menu[MN_K1_2024], &mn), ERR_OK);
	assert_string_equal(mn.name, "k1 menu 2024");
	assert_int_equal(mn.year, 2024);
	assert_true(mn.published);
	assert_int_equal(mn.nitems, 3);
	assert_string_equal(mn.region_code, "K1");
	assert_string_equal(mn.region_path, "/6401/K1/");
	assert_int_equal(db_menu_get(f->c, f->menu[MN_K1_2022], &mn), ERR_OK);
	assert_int_equal(mn.nitems, 0);

	struct organisation o;
	assert_int_equal(db_org_get(f->c, f->org[O_D], &o), ERR_OK);
	assert_string_equal(o.name, "org d");
	assert_int_equal(o.stars, 1);
	assert_true(o.weak_lax);
	assert_false(o.lagging);
	assert_true(o.demonstration);
	assert_false(o.weak_economy);
	assert_false(o.was_weak_lax);
	assert_false(o.was_lagging);
	assert_int_equal(o.version, 1);
	assert_string_equal(o.region_code, "K1");
	assert_int_equal(db_org_get(f->c, f->org[O_B], &o), ERR_OK);
	assert_int_equal(o.stars, 3); /* 0 on insert: the default */
	assert_true(o.lagging && o.weak_economy);

	struct mentee me;
	assert_int_equal(db_mentee_get(f->c, f->mentee[ME_ZHANG], &me), ERR_OK);
	assert_string_equal(me.kind, "person");
	assert_string_equal(me.name, "zhang");
	assert_string_equal(me.phone, "13900000001");
	assert_string_equal(me.id_number, "");
	assert_int_equal(me.birth_year, 1990);
	assert_int_equal(me.org_id, 0);
	assert_string_equal(me.category, "young");
	assert_string_equal(me.post, "secretary");
	assert_string_equal(me.talent_team, "reserve");
	assert_string_equal(me.weaknesses, ",party,");
	assert_string_equal(me.status, "active");
	assert_int_equal(me.version, 1);
	assert_string_equal(me.created_at, "2024-01-03T00:00:00Z");
	assert_string_equal(me.region_code, "K1");
	assert_int_equal(db_mentee_get(f->c, f->mentee[ME_WANG], &me), ERR_OK);
	assert_string_equal(me.status, "active"); /* "" on insert: the default */

	/* An org mentee linked to its organisation. */
	struct mentee om;
	make_mentee(&om, "org", "org a mentee", R_T1, "", ",party,", "active", "");
	om.org_id = f->org[O_A];
	assert_int_equal(db_mentee_insert(f->c, &om, "org a mentee", NOW), ERR_OK);
	assert_int_equal(db_mentee_get(f->c, om.id, &me), ERR_OK);
	assert_int_equal(me.org_id, f->org[O_A]);

	assert_int_equal(db_mentor_org_get(f->c, 9999, &mo), ERR_NOT_FOUND);
	assert_int_equal(db_menu_get(f->c, 9999, &mn), ERR_NOT_FOUND);
	assert_int_equal(db_org_get(f->c, 9999, &o), ERR_NOT_FOUND);
	assert_int_equal(db_mentee_get(f->c, 9999, &me), ERR_NOT_FOUND);
}

static void test_update(void **state)
{
	struct fx *f = *state;
	const char *later = "2024-06-01T00:00:00Z";

	struct mentor_org mo;
	assert_int_equal(db_mentor_org_get(f->c, f->morg[MO_RED], &mo), ERR_OK);
	COPY(mo.name, "red branch two");
	mo.capacity = 9;
	assert_int_equal(db_mentor_org_update(f->c, &mo, "red branch two", later), ERR_OK);
	assert_int_equal(db_mentor_org_get(f->c, f->morg[MO_RED], &mo), ERR_OK);
	assert_string_equal(mo.name, "red branch two");
	assert_int_equal(mo.capacity, 9);
	assert_string_equal(mo.created_at, NOW);
	assert_string_equal(mo.updated_at, later);

	struct menu mn;
	assert_int_equal(db_menu_get(f->c, f->menu[MN_K1_2022], &mn), ERR_OK);
	mn.published = false;
	mn.year = 2021;
	assert_int_equal(db_menu_update(f->c, &mn, later), ERR_OK);
	assert_int_equal(db_menu_get(f->c, f->menu[MN_K1_2022], &mn), ERR_OK);
	assert_false(mn.published);
	assert_int_equal(mn.year, 2021);
	assert_string_equal(mn.updated_at, later);

	/* Update never touches stars; it bumps version. */
	struct organisation o;
	assert_int_equal(db_org_get(f->c, f->org[O_A], &o), ERR_OK);
	int v = o.version;
	o.stars = 1;
	o.demonstration = true;
	assert_int_equal(db_org_update(f->c, &o, "org a", later), ERR_OK);
	assert_int_equal(db_org_get(f->c, f->org[O_A], &o), ERR_OK);
	assert_int_equal(o.stars, 4);
	assert_true(o.demonstration);
	assert_int_equal(o.version, v + 1);

	/* An empty status keeps the stored one; version is bumped. */
	struct mentee me;
	assert_int_equal(db_mentee_get(f->c, f->mentee[ME_LI], &me), ERR_OK);
	me.status[0] = '\0';
	COPY(me.post, "deputy");
	assert_int_equal(db_mentee_update(f->c, &me, "li", later), ERR_OK);
	assert_int_equal(db_mentee_get(f->c, f->mentee[ME_LI], &me), ERR_OK);
	assert_string_equal(me.status, "graduated");
	assert_string_equal(me.post, "deputy");
	assert_int_equal(me.version, 2);
	COPY(me.status, "active");
	assert_int_equal(db_mentee_update(f->c, &me, "li", later), ERR_OK);
	assert_int_equal(db_mentee_get(f->c, f->mentee[ME_LI], &me), ERR_OK);
	assert_string_equal(me.status, "active");
	assert_int_equal(me.version, 3);
}

/* --- lists ------------------------------------------------------------ */

struct list_case {
	const char *what;
	list_fn list;
	db_row_fn row;
	int root; /* region index */
	const char *q, *kind, *category, *domain, *status;
	int flag;
	int only_mentee; /* ME_* index, 0 none */
	int sort;
	bool desc;
	int limit, offset;
	int64_t total;
	const char *names;
};

static const struct list_case list_cases[] = {
	/* Jurisdiction: K1's range holds T1 below it, never K10 beside it. */
	{"mentors K1", db_mentor_list, row_mentor, R_K1, .limit = 50, .total = 3,
	 .names = "alice@K1,bob@T1,dave@K1"},
	{"mentors K10", db_mentor_list, row_mentor, R_K10, .limit = 50, .total = 1,
	 .names = "carol@K10"},
	{"mentees K1", db_mentee_list, row_mentee, R_K1, .limit = 50, .total = 3,
	 .names = "zhang@K1,village@T1,wang@K1"},
	{"orgs K1", db_org_list, row_org, R_K1, .limit = 50, .total = 3,
	 .names = "org a@T1,org b@K1,org d@K1"},
	{"morgs K1", db_mentor_org_list, row_morg, R_K1, .limit = 50, .total = 2,
	 .names = "red branch@K1,tomato base@T1"},
	{"menus K1", db_menu_list, row_menu, R_K1, .limit = 50, .total = 2,
	 .names = "k1 menu 2024@K1,k1 menu 2022@K1"},
	{"menus K10", db_menu_list, row_menu, R_K10, .limit = 50, .total = 1,
	 .names = "k10 menu 2023@K10"},
	{"menus 640122 (empty)", db_menu_list, row_menu, R_640122, .limit = 50, .total = 0,
	 .names = ""},
	{"orgs T1", db_org_list, row_org, R_T1, .limit = 50, .total = 1, .names = "org a@T1"},

	/* Mentor organisations: q, kind, domain; sorts. */
	{"morgs q", db_mentor_org_list, row_morg, R_CITY, .q = "o", .limit = 50, .total = 2,
	 .names = "tomato base@T1,park co@K10"},
	{"morgs q wildcard", db_mentor_org_list, row_morg, R_CITY, .q = "%", .limit = 50,
	 .total = 0, .names = ""},
	{"morgs kind", db_mentor_org_list, row_morg, R_CITY, .kind = "enterprise", .limit = 50,
	 .total = 2, .names = "tomato base@T1,park co@K10"},
	{"morgs domain", db_mentor_org_list, row_morg, R_CITY, .domain = "party", .limit = 50,
	 .total = 1, .names = "red branch@K1"},
	{"morgs domain part", db_mentor_org_list, row_morg, R_CITY, .domain = "econ",
	 .limit = 50, .total = 0, .names = ""},
	{"morgs by name", db_mentor_org_list, row_morg, R_CITY, .sort = 1, .limit = 50,
	 .total = 3, .names = "park co@K10,red branch@K1,tomato base@T1"},
	{"morgs by name desc", db_mentor_org_list, row_morg, R_CITY, .sort = 1, .desc = true,
	 .limit = 50, .total = 3, .names = "tomato base@T1,red branch@K1,park co@K10"},
	{"morgs by id desc", db_mentor_org_list, row_morg, R_CITY, .desc = true, .limit = 50,
	 .total = 3, .names = "park co@K10,tomato base@T1,red branch@K1"},
	{"morgs bad sort -> id", db_mentor_org_list, row_morg, R_CITY, .sort = 7, .limit = 50,
	 .total = 3, .names = "red branch@K1,tomato base@T1,park co@K10"},

	/* Menus: sorts. */
	{"menus by year", db_menu_list, row_menu, R_CITY, .sort = 1, .limit = 50, .total = 3,
	 .names = "k1 menu 2022@K1,k10 menu 2023@K10,k1 menu 2024@K1"},
	{"menus by year desc", db_menu_list, row_menu, R_CITY, .sort = 1, .desc = true,
	 .limit = 50, .total = 3, .names = "k1 menu 2024@K1,k10 menu 2023@K10,k1 menu 2022@K1"},
	{"menus page", db_menu_list, row_menu, R_CITY, .limit = 1, .offset = 1, .total = 3,
	 .names = "k10 menu 2023@K10"},

	/* Organisations: q, flags, sorts. */
	{"orgs q", db_org_list, row_org, R_CITY, .q = "org c", .limit = 50, .total = 1,
	 .names = "org c@K10"},
	{"orgs weak_lax", db_org_list, row_org, R_CITY, .flag = 1, .limit = 50, .total = 1,
	 .names = "org d@K1"},
	{"orgs lagging", db_org_list, row_org, R_CITY, .flag = 2, .limit = 50, .total = 1,
	 .names = "org b@K1"},
	{"orgs demonstration", db_org_list, row_org, R_CITY, .flag = 3, .limit = 50,
	 .total = 2, .names = "org c@K10,org d@K1"},
	{"orgs weak_economy", db_org_list, row_org, R_CITY, .flag = 4, .limit = 50, .total = 1,
	 .names = "org b@K1"},
	{"orgs demonstration K1", db_org_list, row_org, R_K1, .flag = 3, .limit = 50,
	 .total = 1, .names = "org d@K1"},
	{"orgs by stars", db_org_list, row_org, R_CITY, .sort = 2, .limit = 50, .total = 4,
	 .names = "org d@K1,org b@K1,org a@T1,org c@K10"},
	{"orgs by stars desc", db_org_list, row_org, R_CITY, .sort = 2, .desc = true,
	 .limit = 50, .total = 4, .names = "org c@K10,org a@T1,org b@K1,org d@K1"},
	{"orgs by name desc page", db_org_list, row_org, R_CITY, .sort = 1, .desc = true,
	 .limit = 2, .offset = 1, .total = 4, .names = "org c@K10,org b@K1"},

	/* Mentees: q, kind, category, domain, status, only_id; sorts; paging. */
	{"mentees q", db_mentee_list, row_mentee, R_CITY, .q = "an", .limit = 50, .total = 2,
	 .names = "zhang@K1,wang@K1"},
	{"mentees kind", db_mentee_list, row_mentee, R_CITY, .kind = "org", .limit = 50,
	 .total = 1, .names = "village@T1"},
	{"mentees category", db_mentee_list, row_mentee, R_CITY, .category = "young",
	 .limit = 50, .total = 2, .names = "zhang@K1,li@K10"},
	{"mentees domain", db_mentee_list, row_mentee, R_CITY, .domain = "economy",
	 .limit = 50, .total = 2, .names = "village@T1,li@K10"},
	{"mentees domain K1", db_mentee_list, row_mentee, R_K1, .domain = "economy",
	 .limit = 50, .total = 1, .names = "village@T1"},
	{"mentees status", db_mentee_list, row_mentee, R_CITY, .status = "graduated",
	 .limit = 50, .total = 1, .names = "li@K10"},
	{"mentees only", db_mentee_list, row_mentee, R_CITY, .only_mentee = ME_WANG,
	 .limit = 50, .total = 1, .names = "wang@K1"},
	{"mentees only outside root", db_mentee_list, row_mentee, R_K1, .only_mentee = ME_LI,
	 .limit = 50, .total = 0, .names = ""},
	{"mentees combined", db_mentee_list, row_mentee, R_CITY, .kind = "person",
	 .category = "young", .domain = "party", .status = "active", .limit = 50, .total = 1,
	 .names = "zhang@K1"},
	{"mentees by name", db_mentee_list, row_mentee, R_CITY, .sort = 1, .limit = 50,
	 .total = 4, .names = "li@K10,village@T1,wang@K1,zhang@K1"},
	{"mentees by created", db_mentee_list, row_mentee, R_CITY, .sort = 2, .limit = 50,
	 .total = 4, .names = "village@T1,wang@K1,zhang@K1,li@K10"},
	{"mentees by created desc", db_mentee_list, row_mentee, R_CITY, .sort = 2,
	 .desc = true, .limit = 50, .total = 4, .names = "li@K10,zhang@K1,wang@K1,village@T1"},
	{"mentees page", db_mentee_list, row_mentee, R_CITY, .sort = 1, .limit = 2, .offset = 1,
	 .total = 4, .names = "village@T1,wang@K1"},
	{"mentees past end", db_mentee_list, row_mentee, R_CITY, .limit = 2, .offset = 4,
	 .total = 4, .names = ""},
};

static void test_lists(void **state)
{
	struct fx *f = *state;
	for (size_t i = 0; i < sizeof list_cases / sizeof list_cases[0]; i++) {
		const struct list_case *t = &list_cases[i];
		struct list_query q;
		memset(&q, 0, sizeof q);
		set_root(&q, f, t->root);
		COPY(q.q, t->q ? t->q : "");
		COPY(q.kind, t->kind ? t->kind : "");
		COPY(q.category, t->category ? t->category : "");
		COPY(q.domain, t->domain ? t->domain : "");
		COPY(q.status, t->status ? t->status : "");
		q.flag = t->flag;
		q.only_id = t->only_mentee ? f->mentee[t->only_mentee] : 0;
		q.sort = t->sort;
		q.desc = t->desc;
		q.limit = t->limit;
		q.offset = t->offset;
		struct names got = {.with_region = true};
		int64_t total = -1;
		enum err e = t->list(f->c, &q, t->row, &got, &total);
		if (e || total != t->total || strcmp(got.s, t->names) != 0)
			print_error("case '%s': err %s total %lld names '%s'\n", t->what,
				    err_code(e), (long long)total, got.s);
		assert_int_equal(e, ERR_OK);
		assert_int_equal(total, t->total);
		assert_string_equal(got.s, t->names);
	}
}

/* A row callback's error stops the walk, is returned, and leaves the
 * statement reusable. */
static void test_list_callback_error(void **state)
{
	struct fx *f = *state;
	struct list_query q;
	memset(&q, 0, sizeof q);
	set_root(&q, f, R_CITY);
	q.limit = 50;
	int64_t total;
	static const struct {
		list_fn list;
		db_row_fn row;
	} lists[] = {
		{db_mentee_list, row_mentee},
		{db_org_list, row_org},
		{db_mentor_org_list, row_morg},
		{db_menu_list, row_menu},
	};
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		struct names a = {.stop_after = 1};
		assert_int_equal(lists[i].list(f->c, &q, lists[i].row, &a, &total),
				 ERR_UNPROCESSABLE);
		assert_int_equal(a.n, 1);
		struct names b = {0};
		assert_int_equal(lists[i].list(f->c, &q, lists[i].row, &b, &total), ERR_OK);
		assert_int_equal(b.n, total);
		assert_true(b.n >= 3);
	}
}

/* --- menu items ------------------------------------------------------- */

static void test_menu_items(void **state)
{
	struct fx *f = *state;
	int64_t menu = f->menu[MN_K1_2024];
	struct names got = {0};
	assert_int_equal(db_menu_items(f->c, menu, row_mentor, &got), ERR_OK);
	assert_string_equal(got.s, "bob,dave,alice");

	/* Items are full mentor rows. */
	struct mentor m;
	assert_int_equal(db_mentor_get(f->c, f->mentor[MT_BOB], &m), ERR_OK);
	assert_string_equal(m.region_code, "T1");
	assert_string_equal(m.domains, ",economy,");
	assert_string_equal(m.status, "paused");

	/* Replace: new order, fewer items. */
	int64_t two[] = {f->mentor[MT_ALICE], f->mentor[MT_BOB]};
	assert_int_equal(db_menu_set_items(f->c, menu, two, 2), ERR_OK);
	memset(&got, 0, sizeof got);
	assert_int_equal(db_menu_items(f->c, menu, row_mentor, &got), ERR_OK);
	assert_string_equal(got.s, "alice,bob");
	struct menu mn;
	assert_int_equal(db_menu_get(f->c, menu, &mn), ERR_OK);
	assert_int_equal(mn.nitems, 2);

	/* A repeated mentor or an unknown one is a conflict and changes
	 * nothing (the delete is rolled back with the insert). */
	int64_t dup[] = {f->mentor[MT_CAROL], f->mentor[MT_CAROL]};
	assert_int_equal(db_menu_set_items(f->c, menu, dup, 2), ERR_CONFLICT);
	int64_t unknown[] = {f->mentor[MT_EVE], 99999};
	assert_int_equal(db_menu_set_items(f->c, menu, unknown, 2), ERR_CONFLICT);
	memset(&got, 0, sizeof got);
	assert_int_equal(db_menu_items(f->c, menu, row_mentor, &got), ERR_OK);
	assert_string_equal(got.s, "alice,bob");

	/* Bad arguments are refused without touching the database. */
	assert_int_equal(db_menu_set_items(f->c, menu, NULL, 1), ERR_INVALID);
	assert_int_equal(db_menu_set_items(f->c, menu, two, -1), ERR_INVALID);

	/* Empty. */
	assert_int_equal(db_menu_set_items(f->c, menu, NULL, 0), ERR_OK);
	memset(&got, 0, sizeof got);
	assert_int_equal(db_menu_items(f->c, menu, row_mentor, &got), ERR_OK);
	assert_int_equal(got.n, 0);
	assert_int_equal(db_menu_get(f->c, menu, &mn), ERR_OK);
	assert_int_equal(mn.nitems, 0);

	/* Another menu's items are its own. */
	int64_t one[] = {f->mentor[MT_CAROL]};
	assert_int_equal(db_menu_set_items(f->c, f->menu[MN_K10_2023], one, 1), ERR_OK);
	memset(&got, 0, sizeof got);
	got.with_region = true;
	assert_int_equal(db_menu_items(f->c, f->menu[MN_K10_2023], row_mentor, &got), ERR_OK);
	assert_string_equal(got.s, "carol@K10");
	memset(&got, 0, sizeof got);
	assert_int_equal(db_menu_items(f->c, menu, row_mentor, &got), ERR_OK);
	assert_int_equal(got.n, 0);
}

/* --- star history ----------------------------------------------------- */

struct stars {
	char s[256];
	int n;
};

static enum err row_star(void *arg, const void *row)
{
	struct stars *a = arg;
	const struct org_star *s = row;
	size_t len = strlen(a->s);
	snprintf(a->s + len, sizeof a->s - len, "%s%d@%s", a->n ? "," : "", s->stars,
		 s->rated_on);
	a->n++;
	return ERR_OK;
}

static void test_stars(void **state)
{
	struct fx *f = *state;
	struct stars got = {0};
	assert_int_equal(db_org_stars(f->c, f->org[O_A], row_star, &got), ERR_OK);
	assert_string_equal(got.s, "1@2021-01-01,3@2022-01-01,4@2023-06-01");

	/* The late entry for 2021 did not replace the 2023 rating. */
	struct organisation o;
	assert_int_equal(db_org_get(f->c, f->org[O_A], &o), ERR_OK);
	assert_int_equal(o.stars, 4);

	/* A newer rating becomes current, with its id, and bumps version. */
	int v = o.version;
	struct org_star s;
	memset(&s, 0, sizeof s);
	s.org_id = f->org[O_A];
	s.stars = 5;
	s.user_id = 0;
	COPY(s.rated_on, "2024-01-01");
	COPY(s.at, "2024-06-01T00:00:00Z");
	assert_int_equal(db_org_star_add(f->c, &s), ERR_OK);
	assert_true(s.id > 0);
	assert_int_equal(db_org_get(f->c, f->org[O_A], &o), ERR_OK);
	assert_int_equal(o.stars, 5);
	assert_int_equal(o.version, v + 1);

	/* Same date again: the newest entry wins. */
	s.stars = 2;
	assert_int_equal(db_org_star_add(f->c, &s), ERR_OK);
	assert_int_equal(db_org_get(f->c, f->org[O_A], &o), ERR_OK);
	assert_int_equal(o.stars, 2);

	/* Out of range or unknown organisation: conflict, nothing recorded. */
	s.stars = 6;
	assert_int_equal(db_org_star_add(f->c, &s), ERR_CONFLICT);
	s.stars = 3;
	s.org_id = 99999;
	assert_int_equal(db_org_star_add(f->c, &s), ERR_CONFLICT);
	memset(&got, 0, sizeof got);
	assert_int_equal(db_org_stars(f->c, f->org[O_A], row_star, &got), ERR_OK);
	assert_int_equal(got.n, 5);
	assert_string_equal(got.s,
			    "1@2021-01-01,3@2022-01-01,4@2023-06-01,5@2024-01-01,2@2024-01-01");

	/* Other organisations have no history. */
	memset(&got, 0, sizeof got);
	assert_int_equal(db_org_stars(f->c, f->org[O_B], row_star, &got), ERR_OK);
	assert_int_equal(got.n, 0);
}

/* --- statistics ------------------------------------------------------- */

static enum err row_group(void *arg, const char *key, int64_t n)
{
	struct names *a = arg;
	char kv[96];
	snprintf(kv, sizeof kv, "%s=%lld", key, (long long)n);
	return add_name(a, kv, "");
}

static const struct group_case {
	enum db_group g;
	int root;
	const char *want;
} group_cases[] = {
	/* Every mentor but the rejected: dave (rejected) never counts but
	 * under BY_STATUS. */
	{DB_MENTORS_BY_SOURCE, R_CITY, "secretary=2,veteran=2"},
	{DB_MENTORS_BY_SOURCE, R_K1, "secretary=1,veteran=1"},
	{DB_MENTORS_BY_TIER, R_CITY, "city=1,county=2,township=1"},
	{DB_MENTORS_BY_TEAM, R_CITY, "experienced=1,expert=2,grassroots=1"},
	{DB_MENTORS_BY_STATUS, R_CITY, "active=3,paused=1,rejected=1"},
	{DB_MENTORS_BY_STATUS, R_K10, "active=1"},
	/* eve sits at the city itself: no county, "" key. */
	{DB_MENTORS_BY_COUNTY, R_CITY, "=1,K1=2,K10=1"},
	{DB_MENTORS_BY_COUNTY, R_K1, "K1=2"},
	{DB_MENTORS_BY_COUNTY, R_T1, "K1=1"},
	{DB_MENTORS_BY_COUNTY, R_640122, ""},
	{DB_MENTEES_BY_CATEGORY, R_CITY, "=1,newsec=1,young=2"},
	{DB_MENTEES_BY_KIND, R_CITY, "org=1,person=3"},
	{DB_MENTEES_BY_KIND, R_K10, "person=1"},
	{DB_MENTEES_BY_COUNTY, R_CITY, "K1=3,K10=1"},
	{DB_ORGS_BY_STARS, R_CITY, "1=1,3=1,4=1,5=1"},
	{DB_ORGS_BY_STARS, R_K1, "1=1,3=1,4=1"},
};

static void test_count_group(void **state)
{
	struct fx *f = *state;
	for (size_t i = 0; i < sizeof group_cases / sizeof group_cases[0]; i++) {
		const struct group_case *t = &group_cases[i];
		struct list_query q;
		memset(&q, 0, sizeof q);
		set_root(&q, f, t->root);
		struct names got = {0};
		enum err e = db_count_group(f->c, t->g, q.root_lo, q.root_hi, row_group, &got);
		if (e || strcmp(got.s, t->want) != 0)
			print_error("group case %zu: err %s got '%s'\n", i, err_code(e), got.s);
		assert_int_equal(e, ERR_OK);
		assert_string_equal(got.s, t->want);
	}
	struct names got = {0};
	assert_int_equal(db_count_group(f->c, DB_GROUP__MAX, "/", "0", row_group, &got),
			 ERR_INVALID);
	got.stop_after = 1;
	assert_int_equal(
		db_count_group(f->c, DB_MENTORS_BY_STATUS, "/6401/", "/64010", row_group, &got),
		ERR_UNPROCESSABLE);
	assert_int_equal(got.n, 1);
}

/* db_count_mix folded back into the groupings db_count_group gives (the
 * stats read the former): the same counts for every key. */
struct mix_fold {
	char key[4][8][32];
	int64_t n[4][8];
	int nk[4];
	bool mentors;
};

static void mix_add(struct mix_fold *m, int g, const char *key, int64_t n)
{
	for (int i = 0; i < m->nk[g]; i++)
		if (!strcmp(m->key[g][i], key)) {
			m->n[g][i] += n;
			return;
		}
	assert_true(m->nk[g] < 8);
	snprintf(m->key[g][m->nk[g]], 32, "%s", key);
	m->n[g][m->nk[g]++] = n;
}

static enum err row_mix(void *arg, const char *const *keys, int64_t n)
{
	struct mix_fold *m = arg;
	mix_add(m, 0, keys[0], n);
	if (!m->mentors)
		mix_add(m, 1, keys[1], n);
	else if (strcmp(keys[0], "rejected"))
		for (int g = 1; g < 4; g++)
			mix_add(m, g, keys[g], n);
	return ERR_OK;
}

/* "k=n,..." in key order. */
static void mix_str(struct mix_fold *m, int g, char *out, size_t size)
{
	out[0] = '\0';
	for (int i = 0; i < m->nk[g]; i++)
		for (int j = i + 1; j < m->nk[g]; j++)
			if (strcmp(m->key[g][j], m->key[g][i]) < 0) {
				char k[32];
				int64_t t = m->n[g][i];
				memcpy(k, m->key[g][i], 32);
				memcpy(m->key[g][i], m->key[g][j], 32);
				memcpy(m->key[g][j], k, 32);
				m->n[g][i] = m->n[g][j];
				m->n[g][j] = t;
			}
	for (int i = 0; i < m->nk[g]; i++) {
		size_t len = strlen(out);
		snprintf(out + len, size - len, "%s%s=%lld", i ? "," : "", m->key[g][i],
			 (long long)m->n[g][i]);
	}
}

static void test_count_mix(void **state)
{
	struct fx *f = *state;
	struct list_query q;
	memset(&q, 0, sizeof q);
	set_root(&q, f, R_CITY);
	struct mix_fold m;
	memset(&m, 0, sizeof m);
	m.mentors = true;
	char got[256];
	assert_int_equal(db_count_mix(f->c, DB_MENTOR_MIX, q.root_lo, q.root_hi, row_mix, &m), ERR_OK);
	mix_str(&m, 0, got, sizeof got);
	assert_string_equal(got, "active=3,paused=1,rejected=1");
	mix_str(&m, 1, got, sizeof got);
	assert_string_equal(got, "secretary=2,veteran=2");
	mix_str(&m, 2, got, sizeof got);
	assert_string_equal(got, "city=1,county=2,township=1");
	mix_str(&m, 3, got, sizeof got);
	assert_string_equal(got, "experienced=1,expert=2,grassroots=1");
	memset(&m, 0, sizeof m);
	assert_int_equal(db_count_mix(f->c, DB_MENTEE_MIX, q.root_lo, q.root_hi, row_mix, &m), ERR_OK);
	mix_str(&m, 0, got, sizeof got);
	assert_string_equal(got, "=1,newsec=1,young=2");
	mix_str(&m, 1, got, sizeof got);
	assert_string_equal(got, "org=1,person=3");
	memset(&q, 0, sizeof q);
	set_root(&q, f, R_K10);
	memset(&m, 0, sizeof m);
	assert_int_equal(db_count_mix(f->c, DB_MENTEE_MIX, q.root_lo, q.root_hi, row_mix, &m), ERR_OK);
	mix_str(&m, 1, got, sizeof got);
	assert_string_equal(got, "person=1");
	assert_int_equal(db_count_mix(f->c, DB_MIX__MAX, "/", "0", row_mix, &m), ERR_INVALID);
}

/* The three-star share on a date: each organisation's latest rating on
 * or before it (by date, then by entry), not any earlier one. */
static void test_three_star(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *date;
		int64_t three, rated;
	} want[] = {
		{"2020-12-31", 0, 0}, {"2021-06-01", 0, 1}, {"2022-01-01", 1, 1},
		{"2023-06-01", 1, 1}, {"2024-02-01", 0, 1}, /* 5 then 2 on 2024-01-01 */
	};
	struct org_star s;
	memset(&s, 0, sizeof s);
	s.org_id = f->org[O_A];
	COPY(s.rated_on, "2024-01-01");
	COPY(s.at, "2024-06-01T00:00:00Z");
	s.stars = 5;
	assert_int_equal(db_org_star_add(f->c, &s), ERR_OK);
	s.stars = 2;
	assert_int_equal(db_org_star_add(f->c, &s), ERR_OK);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		int64_t three = -1, rated = -1;
		assert_int_equal(db_life_three_star(f->c, "/6401/", "/64010", want[i].date, &three,
						    &rated),
				 ERR_OK);
		if (three != want[i].three || rated != want[i].rated)
			print_error("three-star on %s: %lld of %lld\n", want[i].date,
				    (long long)three, (long long)rated);
		assert_int_equal(three, want[i].three);
		assert_int_equal(rated, want[i].rated);
	}
	/* Outside the organisation's range: nothing rated. */
	int64_t three = -1, rated = -1;
	assert_int_equal(db_life_three_star(f->c, "/6401/640122/", "/6401/6401220", "2024-02-01",
					    &three, &rated),
			 ERR_OK);
	assert_int_equal(rated, 0);
	assert_int_equal(three, 0);
}

/* PostgreSQL sessions run with JIT off (short statements; compiling cost
 * seconds), also after the connection was lost and reopened. */
static void test_pg_session(void **state)
{
	struct fx *f = *state;
	if (!testdb_is_pg())
		return; /* a PostgreSQL setting: nothing to check on SQLite */
	for (int round = 0; round < 2; round++) {
		struct store_stmt *st;
		assert_int_equal(store_prepare(f->c, "SELECT current_setting('jit')", &st), ERR_OK);
		assert_int_equal(db_one(st), ERR_OK);
		assert_string_equal(store_col_text(st, 0), "off");
		store_done(st);
		if (round)
			break;
		/* The server drops this connection; the next statement reopens it. */
		assert_int_equal(store_prepare(f->c, "SELECT pg_terminate_backend(pg_backend_pid())",
					       &st),
				 ERR_OK);
		bool row;
		assert_int_not_equal(store_step(st, &row), ERR_OK);
		store_done(st);
	}
}

static void test_org_totals(void **state)
{
	struct fx *f = *state;
	struct db_org_totals t;
	assert_int_equal(db_org_totals(f->c, "/6401/", "/64010", &t), ERR_OK);
	assert_int_equal(t.total, 4);
	assert_int_equal(t.weak_lax, 1);
	assert_int_equal(t.lagging, 1);
	assert_int_equal(t.demonstration, 2);
	assert_int_equal(t.weak_economy, 1);
	assert_int_equal(t.rectified, 1);
	assert_int_equal(t.upgraded, 1);
	assert_int_equal(t.three_star, 3); /* a 4, b 3, c 5; d 1 */
	assert_int_equal(t.mentor_orgs, 3);
	assert_int_equal(t.menus, 3);

	assert_int_equal(db_org_totals(f->c, "/6401/K1/", "/6401/K10", &t), ERR_OK);
	assert_int_equal(t.total, 3);
	assert_int_equal(t.weak_lax, 1);
	assert_int_equal(t.lagging, 1);
	assert_int_equal(t.demonstration, 1);
	assert_int_equal(t.weak_economy, 1);
	assert_int_equal(t.rectified, 1);
	assert_int_equal(t.upgraded, 0);
	assert_int_equal(t.three_star, 2);
	assert_int_equal(t.mentor_orgs, 2);
	assert_int_equal(t.menus, 2);

	/* An empty range is all zeros, not NULLs. */
	assert_int_equal(db_org_totals(f->c, "/6401/640122/", "/6401/6401220", &t), ERR_OK);
	struct db_org_totals zero;
	memset(&zero, 0, sizeof zero);
	assert_memory_equal(&t, &zero, sizeof t);
}

/* --- uniqueness and transactions -------------------------------------- */

static void test_conflicts(void **state)
{
	struct fx *f = *state;
	struct mentee m;
	make_mentee(&m, "person", "dup", R_K1, "young", "", "active", "13900000001");
	assert_int_equal(db_mentee_insert(f->c, &m, "dup", NOW), ERR_CONFLICT);
	/* Empty phones bind NULL and never collide. */
	make_mentee(&m, "person", "nophone", R_K1, "young", "", "active", "");
	assert_int_equal(db_mentee_insert(f->c, &m, "nophone", NOW), ERR_OK);
	make_mentee(&m, "person", "nophone2", R_K1, "young", "", "active", "");
	assert_int_equal(db_mentee_insert(f->c, &m, "nophone2", NOW), ERR_OK);
	/* Updating onto another's phone conflicts too. */
	COPY(m.phone, "13900000003");
	assert_int_equal(db_mentee_update(f->c, &m, "nophone2", NOW), ERR_CONFLICT);

	/* Same for mentors (db_mentor.c, checked after its refactor). */
	struct mentor mt;
	assert_int_equal(db_mentor_get(f->c, f->mentor[MT_ALICE], &mt), ERR_OK);
	COPY(mt.name, "alice2");
	mt.id = 0;
	assert_int_equal(db_mentor_insert(f->c, &mt, "alice2", NOW), ERR_CONFLICT);

	/* CHECK constraints surface as conflicts, not crashes. */
	struct mentor_org mo;
	assert_int_equal(db_mentor_org_get(f->c, f->morg[MO_RED], &mo), ERR_OK);
	COPY(mo.kind, "club");
	assert_int_equal(db_mentor_org_insert(f->c, &mo, "x", NOW), ERR_CONFLICT);
	struct mentee bad;
	make_mentee(&bad, "robot", "r", R_K1, "", "", "", "");
	assert_int_equal(db_mentee_insert(f->c, &bad, "r", NOW), ERR_CONFLICT);
	/* A region that does not exist violates the foreign key. */
	struct menu mn;
	memset(&mn, 0, sizeof mn);
	COPY(mn.name, "ghost");
	mn.region_id = 99999;
	COPY(mn.region_path, "/x/");
	mn.year = 2024;
	assert_int_equal(db_menu_insert(f->c, &mn, NOW), ERR_CONFLICT);
}

struct tx_arg {
	struct fx *f;
	enum err fail_with; /* returned after the inserts when not ERR_OK */
	bool dup_phone;     /* make the second insert collide */
};

static enum err tx_body(struct store_conn *c, void *arg)
{
	struct tx_arg *a = arg;
	struct fx *f = a->f;
	struct mentor_org o;
	memset(&o, 0, sizeof o);
	COPY(o.name, "tx org");
	COPY(o.kind, "enterprise");
	o.region_id = f->reg[R_K1].id;
	COPY(o.region_path, f->reg[R_K1].path);
	o.capacity = 1;
	enum err e = db_mentor_org_insert(c, &o, "tx org", NOW);
	if (e)
		return e;
	struct mentee m;
	make_mentee(&m, "person", "tx one", R_K1, "", "", "active", "13700000001");
	if ((e = db_mentee_insert(c, &m, "tx one", NOW)))
		return e;
	make_mentee(&m, "person", "tx two", R_K1, "", "", "active",
		    a->dup_phone ? "13700000001" : "13700000002");
	if ((e = db_mentee_insert(c, &m, "tx two", NOW)))
		return e;
	struct org_star s = {0};
	s.org_id = f->org[O_B];
	s.stars = 5;
	COPY(s.rated_on, "2030-01-01");
	COPY(s.at, NOW);
	if ((e = db_org_star_add(c, &s))) /* joins this transaction */
		return e;
	return a->fail_with;
}

static int64_t count_rows(struct fx *f, list_fn list, db_row_fn row)
{
	struct list_query q;
	memset(&q, 0, sizeof q);
	set_root(&q, f, R_CITY);
	q.limit = 100;
	struct names a = {0};
	int64_t total = -1;
	assert_int_equal(list(f->c, &q, row, &a, &total), ERR_OK);
	return total;
}

static void test_tx(void **state)
{
	struct fx *f = *state;
	int64_t morgs = count_rows(f, db_mentor_org_list, row_morg);
	int64_t mentees = count_rows(f, db_mentee_list, row_mentee);
	struct organisation o;

	/* The function fails: nothing it did remains, the nested star add
	 * included. */
	struct tx_arg a = {f, ERR_UNPROCESSABLE, false};
	assert_int_equal(store_tx(f->c, tx_body, &a), ERR_UNPROCESSABLE);
	assert_false(store_in_tx(f->c));
	assert_int_equal(count_rows(f, db_mentor_org_list, row_morg), morgs);
	assert_int_equal(count_rows(f, db_mentee_list, row_mentee), mentees);
	assert_int_equal(db_org_get(f->c, f->org[O_B], &o), ERR_OK);
	assert_int_equal(o.stars, 3);

	/* A statement fails half-way: the earlier inserts are rolled back. */
	a = (struct tx_arg){f, ERR_OK, true};
	assert_int_equal(store_tx(f->c, tx_body, &a), ERR_CONFLICT);
	assert_int_equal(count_rows(f, db_mentor_org_list, row_morg), morgs);
	assert_int_equal(count_rows(f, db_mentee_list, row_mentee), mentees);

	/* And when it succeeds, everything is there. */
	a = (struct tx_arg){f, ERR_OK, false};
	assert_int_equal(store_tx(f->c, tx_body, &a), ERR_OK);
	assert_int_equal(count_rows(f, db_mentor_org_list, row_morg), morgs + 1);
	assert_int_equal(count_rows(f, db_mentee_list, row_mentee), mentees + 2);
	assert_int_equal(db_org_get(f->c, f->org[O_B], &o), ERR_OK);
	assert_int_equal(o.stars, 5);
}

/* The database survives a reopen: migrations do not run twice and the
 * rows are where they were. */
static void test_reopen(void **state)
{
	struct fx *f = *state;
	store_release(f->s, f->c);
	store_close(f->s);
	struct errinfo ei = {0};
	assert_int_equal(store_open(f->db.uri, 1, &f->s, &ei), ERR_OK);
	f->c = store_acquire(f->s);
	struct organisation o;
	assert_int_equal(db_org_get(f->c, f->org[O_A], &o), ERR_OK);
	assert_int_equal(o.stars, 4);
	struct names got = {0};
	assert_int_equal(db_menu_items(f->c, f->menu[MN_K1_2024], row_mentor, &got), ERR_OK);
	assert_string_equal(got.s, "bob,dave,alice");
	assert_int_equal(store_check(f->c, &ei), ERR_OK);
}

/* --- writers on several connections ---------------------------------- */

#define CHAIN_THREADS 4
#define CHAIN_APPENDS 25

struct chain_arg {
	const char *uri;
	struct store *s;
	int thread;
	enum err e;
};

static enum err chain_append_tx(struct store_conn *c, void *arg)
{
	const int *tag = arg;
	struct audit_entry a;
	memset(&a, 0, sizeof a);
	COPY(a.at, NOW);
	COPY(a.action, "test");
	enum err e = db_audit_last_hash(c, a.prev_hash);
	if (e)
		return e;
	snprintf(a.hash, sizeof a.hash, "%064x", (unsigned)*tag);
	return db_audit_insert(c, &a);
}

static void *chain_writer(void *p)
{
	struct chain_arg *a = p;
	for (int i = 0; i < CHAIN_APPENDS && !a->e; i++) {
		struct store_conn *c = store_acquire(a->s);
		int tag = a->thread * 1000 + i + 1;
		a->e = store_tx(c, chain_append_tx, &tag);
		store_release(a->s, c);
	}
	return NULL;
}

struct chain_walk {
	char prev[65];
	int n, forks;
};

static enum err chain_row(void *arg, const void *row)
{
	struct chain_walk *w = arg;
	const struct audit_entry *a = row;
	w->forks += strcmp(a->prev_hash, w->prev) != 0;
	COPY(w->prev, a->hash);
	w->n++;
	return ERR_OK;
}

/*
 * The audit chain's "read the newest hash, append the next entry" holds
 * under concurrent writers on every backend: store_tx serialises writers
 * (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock, then fresh
 * snapshots under READ COMMITTED), so no two entries share a predecessor.
 */
static void test_tx_concurrent_chain(void **state)
{
	struct fx *f = *state;
	struct errinfo ei = {0};
	struct store *s;
	assert_int_equal(store_open(f->db.uri, CHAIN_THREADS, &s, &ei), ERR_OK);
	pthread_t th[CHAIN_THREADS];
	struct chain_arg args[CHAIN_THREADS];
	for (int i = 0; i < CHAIN_THREADS; i++) {
		args[i] = (struct chain_arg){f->db.uri, s, i, ERR_OK};
		assert_int_equal(pthread_create(&th[i], NULL, chain_writer, &args[i]), 0);
	}
	for (int i = 0; i < CHAIN_THREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(args[i].e, ERR_OK);
	}
	store_close(s);
	struct chain_walk w;
	memset(&w, 0, sizeof w);
	memset(w.prev, '0', 64);
	assert_int_equal(db_audit_list(f->c, 0, 100000, chain_row, &w), ERR_OK);
	assert_int_equal(w.n, CHAIN_THREADS * CHAIN_APPENDS);
	assert_int_equal(w.forks, 0);
}

/* Appends `n` entries chained as svc_audit chains them; fails at the end
 * when `fail` (the transaction then rolls back). */
struct note_arg {
	int n;
	bool fail;
	int64_t ids[4];
	char last[65];
};

static enum err note_tx(struct store_conn *c, void *p)
{
	struct note_arg *na = p;
	char note[STORE_NOTE_BYTES];
	/* Nothing noted yet in a new transaction. */
	if (store_note_get(c, "audit", note))
		return ERR_INTERNAL;
	for (int i = 0; i < na->n; i++) {
		struct audit_entry a;
		memset(&a, 0, sizeof a);
		COPY(a.at, NOW);
		COPY(a.action, "note");
		enum err e = db_audit_last_hash(c, a.prev_hash);
		if (e)
			return e;
		snprintf(a.hash, sizeof a.hash, "%064x", (unsigned)(na->fail ? 0xdead0 + i : 0xa0 + i));
		if ((e = db_audit_insert(c, &a)))
			return e;
		na->ids[i] = a.id;
		COPY(na->last, a.hash);
	}
	return na->fail ? ERR_UNPROCESSABLE : ERR_OK;
}

/*
 * A transaction chains its audit entries to its own last one without
 * reading it back (store_note); the note dies with the transaction, so
 * one rolled back leaves nothing for the next to chain to. New ids come
 * from INSERT ... RETURNING id (on SQLite, from last_insert_rowid).
 */
static void test_audit_note(void **state)
{
	struct fx *f = *state;
	char note[STORE_NOTE_BYTES];
	store_note_put(f->c, "audit", "outside"); /* outside a transaction: ignored */
	assert_false(store_note_get(f->c, "audit", note));

	struct note_arg ok = {.n = 3};
	assert_int_equal(store_tx(f->c, note_tx, &ok), ERR_OK);
	assert_int_equal(ok.ids[1], ok.ids[0] + 1);
	assert_int_equal(ok.ids[2], ok.ids[1] + 1);
	assert_false(store_note_get(f->c, "audit", note));

	struct note_arg bad = {.n = 2, .fail = true};
	assert_int_equal(store_tx(f->c, note_tx, &bad), ERR_UNPROCESSABLE);

	struct note_arg again = {.n = 1};
	assert_int_equal(store_tx(f->c, note_tx, &again), ERR_OK);
	assert_true(again.ids[0] > ok.ids[2]); /* PostgreSQL's sequence skips the rolled back */

	/* The whole log is one chain: each entry names the one before. */
	struct chain_walk w;
	memset(&w, 0, sizeof w);
	memset(w.prev, '0', 64);
	assert_int_equal(db_audit_list(f->c, 0, 100000, chain_row, &w), ERR_OK);
	assert_int_equal(w.forks, 0);
	assert_string_equal(w.prev, again.last);
	assert_true(w.n >= 4);
}

/* migrate-data's table list matches the schema the migrations create: a
 * new table or column must be added to src/store/db_copy.c. */
static void test_copy_list_matches_schema(void **state)
{
	(void)state;
	struct errinfo ei = {0};
	enum err e = db_copy_check_schema(&ei);
	if (e)
		fprintf(stderr, "db_copy.c: %s: %s\n", ei.field, ei.message);
	assert_int_equal(e, ERR_OK);
	assert_true(db_copy_ntables() >= 14);
	assert_string_equal(db_copy_table(0), "regions");
	assert_null(db_copy_table(db_copy_ntables()));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_get_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_callback_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_menu_items, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stars, setup, teardown),
		cmocka_unit_test_setup_teardown(test_count_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_count_mix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_three_star, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pg_session, setup, teardown),
		cmocka_unit_test_setup_teardown(test_org_totals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conflicts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_concurrent_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_note, setup, teardown),
		cmocka_unit_test(test_copy_list_matches_schema),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
