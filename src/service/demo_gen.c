/*
 * demo_gen.c — builds the generated Yinchuan pilot of demo.h (layer:
 * service). Pure: no I/O, no SQL, no clock; the only input is the seed, so
 * one seed gives the same bytes on every machine. Allocation aborts on
 * exhaustion (core/mem.h), so there are no failure paths.
 *
 * The region tree is fixed (demo_places.c); only village coordinates move
 * with the seed. Everything else is drawn from a private xoshiro256**
 * generator seeded by splitmix64, one stream per section, so that adding
 * a draw to one section does not reshuffle the others.
 *
 * The report's counts are met exactly by construction (fixed lists that
 * are shuffled, never by sampling and hoping): 483 mentors with 133/97/44/
 * 74 by source and the other 135 split 62/51/22 among first secretaries,
 * work-team members and enterprise heads; 85 mentor organisations; a
 * 34-mentor menu in 贺兰县; 11 rectified weak/lax and 20 upgraded lagging
 * village organisations; the mentee categories of the report.
 *
 * Interpretations (the report is terse):
 *  - Flags of struct demo_org describe *now*: a rectified organisation has
 *    weak_lax = 0 and rectified = 1 (so weak/lax at the start = weak_lax ||
 *    rectified; the same for lagging/upgraded). weak_economy does not
 *    change within the pilot.
 *  - "三星级及以上村党组织数量较试点前增长10%" is read as the *share* of
 *    organisations with >= 3 stars rising by 10 percentage points:
 *    stars_now is adjusted until the rise is round(10% of all orgs).
 *  - "示范村创建率达到70%" is read as: of the villages that were paired as
 *    organisation mentees (weak/lax, lagging or weak-economy at the start),
 *    70% (rounded) have become demonstration villages. demonstration is
 *    only ever set on those, and never on one that is still weak/lax or
 *    lagging, so the rate is demonstration / organisation mentees.
 */
#include "service/demo.h"

#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "service/demo_places.h"

/* ---------------------------------------------------------------- PRNG */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* One independent stream per (seed, section). */
static void rng_init(struct rng *r, uint64_t seed, uint64_t section)
{
	uint64_t x = seed;
	uint64_t mix = splitmix64(&x) ^ (section * 0xd1342543de82ef95ULL);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&mix);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform in [0, n), n > 0, without modulo bias (Lemire). */
static int rng_below(struct rng *r, int n)
{
	assert(n > 0);
	uint32_t un = (uint32_t)n;
	uint64_t m = (rng_next(r) >> 32) * un;
	uint32_t l = (uint32_t)m;
	if (l < un) {
		uint32_t t = (0u - un) % un;
		while (l < t) {
			m = (rng_next(r) >> 32) * un;
			l = (uint32_t)m;
		}
	}
	return (int)(m >> 32);
}

static int rng_range(struct rng *r, int lo, int hi)
{
	assert(lo <= hi);
	return lo + rng_below(r, hi - lo + 1);
}

static bool rng_pct(struct rng *r, int pct)
{
	return rng_below(r, 100) < pct;
}

/* Uniform in [-1, 1). */
static double rng_sym(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-52 - 1.0;
}

static void shuffle(struct rng *r, int *a, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)rng_below(r, (int)i);
		int t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

/* Index into w[0..n) with probability proportional to w[i]. */
static size_t pick_w(struct rng *r, const int *w, size_t n)
{
	int total = 0;
	for (size_t i = 0; i < n; i++)
		total += w[i];
	assert(total > 0);
	int x = rng_below(r, total);
	for (size_t i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	assert(0);
	return 0;
}

static size_t pick_wl(struct rng *r, const struct demo_place_weighted *l, size_t n)
{
	int total = 0;
	for (size_t i = 0; i < n; i++)
		total += l[i].w;
	int x = rng_below(r, total);
	for (size_t i = 0; i < n; i++) {
		if (x < l[i].w)
			return i;
		x -= l[i].w;
	}
	assert(0);
	return 0;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(r, a) ((a)[rng_below((r), (int)NELEM(a))])

/* ------------------------------------------------------------ strings */

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	char b[512];
	va_list ap;
	va_start(ap, f);
	int n = vsnprintf(b, sizeof b, f, ap);
	va_end(ap);
	assert(n >= 0 && (size_t)n < sizeof b);
	(void)n;
	return xstrdup(b);
}

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && memcmp(s + a - b, suf, b) == 0;
}

/* A set of nonzero 64-bit keys (phones, ID numbers) to keep them unique. */
struct keyset {
	uint64_t *v;
	size_t cap, n;
};

static void keyset_init(struct keyset *k, size_t cap)
{
	k->v = xcalloc(cap, sizeof *k->v);
	k->cap = cap;
	k->n = 0;
}

/* False if `x` was already there. */
static bool keyset_add(struct keyset *k, uint64_t x)
{
	assert(x != 0 && 2 * (k->n + 1) < k->cap);
	size_t i = (size_t)((x * 0x9e3779b97f4a7c15ULL) >> 20) & (k->cap - 1);
	while (k->v[i]) {
		if (k->v[i] == x)
			return false;
		i = (i + 1) & (k->cap - 1);
	}
	k->v[i] = x;
	k->n++;
	return true;
}

/* ------------------------------------------------------------ state */

enum ttype { T_STREET, T_TOWN, T_XIANG };

struct town {
	int region;   /* index into d->regions */
	int county;   /* index into demo_place_counties */
	enum ttype type;
	int wine;
	int v0, nv;   /* its villages: g->vil[v0 .. v0+nv) */
};

/* Roles of a village organisation, decided before the stars. */
enum vrole { V_NONE, V_STRONG, V_WEAK, V_LAG };

struct village {
	int region;
	int town;        /* index into g->towns */
	int community;   /* 社区 rather than 村 */
	const char *orgtype; /* 党支部 | 党总支 | 党委 */
	enum vrole role;
	int econ;        /* weak collective economy */
	int mentee;      /* paired as an organisation mentee */
};

struct enterprise {
	int brand, industry, town;
	int taken;       /* its head is already a mentor */
};

struct gen {
	struct demo *d;
	uint64_t seed;
	struct town *towns;
	int ntowns;
	struct village *vil; /* index == index into d->orgs */
	int nvil;
	int county_region[DEMO_PLACE_NCOUNTIES];
	int helan;       /* index of 贺兰县 in demo_place_counties */
	int jinfeng;     /* 金凤区 */
	int fengdeng;    /* town index of 丰登镇 */
	int xigang;      /* town index of 习岗镇 */
	int *brand_order;
	int next_brand;
	struct enterprise ent[40];
	int nent;
	struct keyset phones, ids;
};

/* ------------------------------------------------------------ people */

static const char *const phone_prefixes[] = {
	"130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
	"150", "151", "152", "153", "155", "156", "157", "158", "159",
	"180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
	"173", "177", "199",
};

static char *gen_phone(struct gen *g, struct rng *r)
{
	for (;;) {
		const char *p = PICK(r, phone_prefixes);
		int rest = rng_below(r, 100000000);
		char b[16];
		snprintf(b, sizeof b, "%s%08d", p, rest);
		uint64_t v = 0;
		for (const char *c = b; *c; c++)
			v = v * 10 + (uint64_t)(*c - '0');
		if (keyset_add(&g->phones, v))
			return xstrdup(b);
	}
}

static int days_in_month(int y, int m)
{
	static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : d[m - 1];
}

/* A resident ID number: county code, birth date in `year`, a sequence
 * number odd for men and even for women, and the ISO 7064 check. */
static char *gen_id(struct gen *g, struct rng *r, const char *county, int year, bool male)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char check[] = "10X98765432";
	assert(strlen(county) == 6);
	for (;;) {
		int month = rng_range(r, 1, 12);
		int day = rng_range(r, 1, days_in_month(year, month));
		int seq = male ? 2 * rng_below(r, 500) + 1 : 2 * rng_range(r, 1, 499);
		char b[64];
		snprintf(b, sizeof b, "%.6s%04d%02d%02d%03d", county, year, month, day, seq);
		assert(strlen(b) == 17);
		int sum = 0;
		uint64_t v = 0;
		for (int i = 0; i < 17; i++) {
			sum += (b[i] - '0') * w[i];
			v = v * 10 + (uint64_t)(b[i] - '0');
		}
		b[17] = check[sum % 11];
		b[18] = '\0';
		if (keyset_add(&g->ids, v))
			return xstrdup(b);
	}
}

/* Surname by frequency, then one or two given-name characters. */
static char *gen_name(struct rng *r, bool male)
{
	const char *pool = male ? demo_place_male_chars : demo_place_female_chars;
	size_t nch = strlen(pool) / 3;
	assert(strlen(pool) % 3 == 0);
	const char *sur = demo_place_surnames[pick_wl(r, demo_place_surnames, demo_place_nsurnames)].s;
	char b[64];
	size_t len = strlen(sur);
	memcpy(b, sur, len);
	int ngiven = rng_pct(r, 28) ? 1 : 2;
	int prev = -1;
	for (int k = 0; k < ngiven; k++) {
		int i;
		do
			i = rng_below(r, (int)nch);
		while (i == prev);
		memcpy(b + len, pool + 3 * i, 3);
		len += 3;
		prev = i;
	}
	b[len] = '\0';
	return xstrdup(b);
}

/*
 * Up to `n` distinct domain codes: `first` (if not NULL) and then draws
 * from pool[0..npool) and `extra` (if not NULL). Returns owned copies.
 */
static void pick_domains(struct rng *r, const char *first, const char *const *pool, size_t npool,
			 const char *extra, int n, char ***out, size_t *nout)
{
	const char *cand[24];
	size_t nc = 0;
	for (size_t i = 0; i < npool; i++)
		cand[nc++] = pool[i];
	if (extra)
		cand[nc++] = extra;
	assert(nc <= NELEM(cand));
	const char *got[8];
	size_t ng = 0;
	if (first)
		got[ng++] = first;
	while ((int)ng < n) {
		/* the candidates not yet taken */
		const char *left[24];
		size_t nl = 0;
		for (size_t i = 0; i < nc; i++) {
			bool dup = false;
			for (size_t j = 0; j < ng; j++)
				dup = dup || strcmp(cand[i], got[j]) == 0;
			if (!dup)
				left[nl++] = cand[i];
		}
		if (nl == 0)
			break;
		got[ng++] = left[rng_below(r, (int)nl)];
	}
	*out = xcalloc(ng, sizeof **out);
	for (size_t i = 0; i < ng; i++)
		(*out)[i] = xstrdup(got[i]);
	*nout = ng;
}

/* ------------------------------------------------------------ regions */

static int add_region(struct demo *d, size_t cap, char *code, const char *name, int level,
		      int parent, double lat, double lon)
{
	assert(d->nregions < cap);
	(void)cap;
	struct demo_region *x = &d->regions[d->nregions];
	x->code = code;
	x->name = xstrdup(name);
	x->level = level;
	x->parent = parent;
	x->lat = lat;
	x->lon = lon;
	return (int)d->nregions++;
}

/* The number of space-separated words of s. */
static size_t count_words(const char *s)
{
	size_t n = 0;
	for (const char *p = s; *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		n++;
		while (*p && *p != ' ')
			p++;
	}
	return n;
}

static void gen_regions(struct gen *g)
{
	struct demo *d = g->d;
	struct rng r;
	rng_init(&r, g->seed, 1);

	size_t ntown = 0, nvil = 0;
	for (int c = 0; c < DEMO_PLACE_NCOUNTIES; c++) {
		const struct demo_place_county *pc = &demo_place_counties[c];
		ntown += pc->ntowns;
		for (size_t t = 0; t < pc->ntowns; t++)
			nvil += count_words(pc->towns[t].villages);
	}
	size_t cap = 1 + DEMO_PLACE_NCOUNTIES + ntown + nvil;
	d->regions = xcalloc(cap, sizeof *d->regions);
	g->towns = xcalloc(ntown, sizeof *g->towns);
	g->vil = xcalloc(nvil, sizeof *g->vil);
	g->fengdeng = g->xigang = g->helan = g->jinfeng = -1;

	int city = add_region(d, cap, xstrdup("6401"), "银川市", 1, -1, 38.4872, 106.2309);
	for (int c = 0; c < DEMO_PLACE_NCOUNTIES; c++) {
		const struct demo_place_county *pc = &demo_place_counties[c];
		int cr = add_region(d, cap, xstrdup(pc->code), pc->name, 2, city, pc->lat, pc->lon);
		g->county_region[c] = cr;
		if (strcmp(pc->name, "贺兰县") == 0)
			g->helan = c;
		if (strcmp(pc->name, "金凤区") == 0)
			g->jinfeng = c;
		for (size_t t = 0; t < pc->ntowns; t++) {
			const struct demo_place_town *pt = &pc->towns[t];
			int tr = add_region(d, cap, fmt("%s%s", pc->code, pt->suffix), pt->name, 3, cr,
					    pt->lat, pt->lon);
			struct town *tw = &g->towns[g->ntowns];
			tw->region = tr;
			tw->county = c;
			tw->type = ends_with(pt->name, "街道") ? T_STREET
				   : ends_with(pt->name, "乡") ? T_XIANG : T_TOWN;
			tw->wine = pt->wine;
			tw->v0 = g->nvil;
			if (strcmp(pt->name, "丰登镇") == 0)
				g->fengdeng = g->ntowns;
			if (strcmp(pt->name, "习岗镇") == 0)
				g->xigang = g->ntowns;
			/* NBS style: 社区 (居委会) 0xx, 村 (村委会) 2xx */
			int ncomm = 0, nvill = 0;
			for (const char *p = pt->villages; *p;) {
				while (*p == ' ')
					p++;
				if (!*p)
					break;
				const char *e = strchr(p, ' ');
				size_t len = e ? (size_t)(e - p) : strlen(p);
				char *name = xstrndup(p, len);
				p += len;
				bool comm = ends_with(name, "社区");
				int num = comm ? 1 + ncomm++ : 201 + nvill++;
				/* a few km around the township; tighter in town */
				double spread = comm ? 0.012 : 0.03;
				double lat = pt->lat + spread * rng_sym(&r);
				double lon = pt->lon + spread * 1.2 * rng_sym(&r);
				int vr = add_region(d, cap, fmt("%s%03d", d->regions[tr].code, num), name, 4,
						    tr, lat, lon);
				free(name);
				struct village *v = &g->vil[g->nvil++];
				v->region = vr;
				v->town = g->ntowns;
				v->community = comm;
			}
			tw->nv = g->nvil - tw->v0;
			g->ntowns++;
		}
	}
	assert(d->nregions == cap);
	assert(g->helan >= 0 && g->jinfeng >= 0 && g->fengdeng >= 0 && g->xigang >= 0);
}

static void gen_vocab(struct demo *d)
{
	d->nvocab = demo_place_nvocab;
	d->vocab = xcalloc(d->nvocab, sizeof *d->vocab);
	for (size_t i = 0; i < d->nvocab; i++) {
		d->vocab[i].kind = xstrdup(demo_place_vocab[i].kind);
		d->vocab[i].code = xstrdup(demo_place_vocab[i].code);
		d->vocab[i].name = xstrdup(demo_place_vocab[i].name);
	}
}

/* ------------------------------------------------------------ organisations */

#define N_STRONG 52      /* strong village organisations among the 85 */
#define N_ENTERPRISE 33  /* enterprises among the 85 */
#define N_WEAK 15        /* weak/lax at the start ... */
#define N_RECTIFIED 11   /* ... of which rectified (report) */
#define N_LAG 28         /* lagging at the start ... */
#define N_UPGRADED 20    /* ... of which upgraded (report) */
#define N_ECON_ONLY 22   /* weak economy, not otherwise flagged */
#define N_LAG_ECON 8     /* lagging and weak economy */
#define N_RECT_TO_3 3    /* rectified ones that reached three stars */

_Static_assert(N_STRONG + N_ENTERPRISE == 85, "the report's 85 mentor organisations");

static void gen_orgs(struct gen *g)
{
	struct demo *d = g->d;
	struct rng r;
	rng_init(&r, g->seed, 2);

	/* The 村 (not 社区) in random order take the roles in turn. */
	int *cand = xcalloc((size_t)g->nvil, sizeof *cand);
	int nc = 0;
	for (int i = 0; i < g->nvil; i++)
		if (!g->vil[i].community)
			cand[nc++] = i;
	shuffle(&r, cand, (size_t)nc);
	assert(nc >= N_STRONG + N_WEAK + N_LAG + N_ECON_ONLY);

	d->norgs = (size_t)g->nvil;
	d->orgs = xcalloc(d->norgs, sizeof *d->orgs);
	int k = 0;
	for (int i = 0; i < N_STRONG; i++)
		g->vil[cand[k++]].role = V_STRONG;
	for (int i = 0; i < N_WEAK; i++) {
		int v = cand[k++];
		g->vil[v].role = V_WEAK;
		d->orgs[v].rectified = i < N_RECTIFIED;
		d->orgs[v].weak_lax = i >= N_RECTIFIED;
	}
	for (int i = 0; i < N_LAG; i++) {
		int v = cand[k++];
		g->vil[v].role = V_LAG;
		d->orgs[v].upgraded = i < N_UPGRADED;
		d->orgs[v].lagging = i >= N_UPGRADED;
		/* every third-ish lagging village is also economically weak */
		g->vil[v].econ = i % 3 == 1 && i / 3 < N_LAG_ECON;
	}
	for (int i = 0; i < N_ECON_ONLY; i++)
		g->vil[cand[k++]].econ = 1;

	int rect = 0;
	for (int v = 0; v < g->nvil; v++) {
		struct village *vi = &g->vil[v];
		struct demo_org *o = &d->orgs[v];
		const struct town *tw = &g->towns[vi->town];
		o->region = vi->region;
		o->weak_economy = vi->econ;
		vi->mentee = vi->role == V_WEAK || vi->role == V_LAG || vi->econ;
		if (vi->role == V_STRONG)
			vi->orgtype = "党委";
		else if (vi->community)
			vi->orgtype = rng_pct(&r, 50) ? "党委" : "党支部";
		else
			vi->orgtype = rng_pct(&r, 15) ? "党总支" : "党支部";
		o->name = fmt("%s%s%s", d->regions[tw->region].name, d->regions[vi->region].name,
			      vi->orgtype);

		static const int other_w[4] = {30, 45, 20, 5}; /* 2..5 stars */
		switch (vi->role) {
		case V_STRONG:
			o->stars_start = rng_pct(&r, 45) ? 5 : 4;
			o->stars_now = o->stars_start == 4 && rng_pct(&r, 20) ? 5 : o->stars_start;
			break;
		case V_WEAK:
			o->stars_start = 1;
			o->stars_now = o->rectified ? (rect++ < N_RECT_TO_3 ? 3 : 2) : 1;
			break;
		case V_LAG:
			o->stars_start = rng_pct(&r, 40) ? 1 : 2;
			o->stars_now = o->upgraded ? 3 : o->stars_start;
			break;
		case V_NONE:
			if (vi->econ) {
				o->stars_start = rng_pct(&r, 70) ? 2 : 3;
				o->stars_now = o->stars_start == 3 && rng_pct(&r, 30) ? 4 : o->stars_start;
			} else {
				o->stars_start = 2 + (int)pick_w(&r, other_w, 4);
				o->stars_now = o->stars_start;
				/* improvements that do not cross the 3-star line */
				if (o->stars_start >= 3 && o->stars_start < 5 && rng_pct(&r, 12))
					o->stars_now++;
			}
			break;
		}
	}

	/* Lift 2-star organisations to 3 until the >=3-star share has risen
	 * by round(10%) of all organisations. */
	int target = (int)((d->norgs * 10 + 50) / 100);
	int rise = 0;
	for (size_t v = 0; v < d->norgs; v++)
		rise += (d->orgs[v].stars_now >= 3) - (d->orgs[v].stars_start >= 3);
	int *order = xcalloc(d->norgs, sizeof *order);
	for (size_t v = 0; v < d->norgs; v++)
		order[v] = (int)v;
	shuffle(&r, order, d->norgs);
	for (size_t i = 0; i < d->norgs && rise < target; i++) {
		struct demo_org *o = &d->orgs[order[i]];
		const struct village *vi = &g->vil[order[i]];
		if (vi->role == V_NONE && !vi->econ && o->stars_start == 2 && o->stars_now == 2) {
			o->stars_now = 3;
			rise++;
		}
	}
	assert(rise == target);

	/* Demonstration villages: 70% of the organisation mentees, the ones
	 * with three stars now first, never one still weak/lax or lagging. */
	int nmentee = 0, ndemo = 0;
	for (int v = 0; v < g->nvil; v++)
		nmentee += g->vil[v].mentee;
	int want = (nmentee * 7 + 5) / 10;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < d->norgs && ndemo < want; i++) {
			struct demo_org *o = &d->orgs[order[i]];
			if (!g->vil[order[i]].mentee || o->weak_lax || o->lagging || o->demonstration)
				continue;
			if (pass == 0 && o->stars_now < 3)
				continue;
			o->demonstration = 1;
			ndemo++;
		}
	assert(ndemo == want);
	free(order);

	/* Mentor organisations: the strong villages, then enterprises. */
	static const char *const party_domains[] = {
		"party_building", "grassroots_governance", "collective_economy",
		"rural_tourism", "crop_planting", "petition_mediation",
	};
	d->mentor_orgs = xcalloc(N_STRONG + N_ENTERPRISE, sizeof *d->mentor_orgs);
	for (int i = 0; i < N_STRONG; i++) {
		int v = cand[i];
		struct demo_mentor_org *m = &d->mentor_orgs[d->nmentor_orgs++];
		m->name = xstrdup(d->orgs[v].name);
		m->kind = xstrdup("party_org");
		m->region = g->vil[v].region;
		pick_domains(&r, rng_pct(&r, 70) ? "party_building" : NULL, party_domains,
			     NELEM(party_domains), NULL, rng_range(&r, 1, 3), &m->domains, &m->ndomains);
		m->capacity = rng_range(&r, 1, 3);
	}
	free(cand);

	int qw[DEMO_PLACE_NCOUNTIES];
	for (int c = 0; c < DEMO_PLACE_NCOUNTIES; c++)
		qw[c] = demo_place_counties[c].mentor_quota;
	g->brand_order = xcalloc(demo_place_nbrands, sizeof *g->brand_order);
	for (size_t i = 0; i < demo_place_nbrands; i++)
		g->brand_order[i] = (int)i;
	shuffle(&r, g->brand_order, demo_place_nbrands);
	for (int i = 0; i < N_ENTERPRISE; i++) {
		int c = (int)pick_w(&r, qw, DEMO_PLACE_NCOUNTIES);
		int towns[16], nt = 0;
		for (int t = 0; t < g->ntowns; t++)
			if (g->towns[t].county == c && g->towns[t].type != T_STREET)
				towns[nt++] = t;
		int t = towns[rng_below(&r, nt)];
		int inds[16], ni = 0;
		bool wine = g->towns[t].wine && rng_pct(&r, 60);
		for (size_t j = 0; j < demo_place_nindustries; j++)
			if (demo_place_industries[j].wine == wine)
				inds[ni++] = (int)j;
		struct enterprise *e = &g->ent[g->nent++];
		e->town = t;
		e->industry = inds[rng_below(&r, ni)];
		e->brand = g->brand_order[g->next_brand++ % (int)demo_place_nbrands];
		const struct demo_place_industry *ind = &demo_place_industries[e->industry];
		struct demo_mentor_org *m = &d->mentor_orgs[d->nmentor_orgs++];
		m->name = fmt("宁夏%s%s有限公司党支部", demo_place_brands[e->brand], ind->name);
		m->kind = xstrdup("enterprise");
		m->region = g->towns[t].region;
		const char *doms[4];
		size_t nd = 0;
		for (int j = 0; j < 3 && ind->domains[j]; j++)
			doms[nd++] = ind->domains[j];
		doms[nd++] = "collective_economy";
		pick_domains(&r, ind->domains[0], doms, nd, NULL, rng_range(&r, 1, 3), &m->domains,
			     &m->ndomains);
		m->capacity = rng_range(&r, 1, 3);
	}
}

/* ------------------------------------------------------------ mentors */

enum msrc { S_VETERAN, S_VSEC, S_WEALTH, S_MODEL, S_FIRST, S_TEAM, S_ENTERPRISE, S__MAX };

static const struct {
	const char *code;
	int count;
	int male_pct;
	int born_lo, born_hi;
	int seniority;        /* bonus towards the city and county libraries */
	int team_w[3];        /* expert, experienced, grassroots */
	int cap_lo, cap_hi;
	const char *pool[7];  /* domains that fit, NULL-padded */
} msrc_table[S__MAX] = {
	[S_VETERAN] = {"veteran_cadre", 133, 85, 1953, 1964, 300, {15, 70, 15}, 2, 4,
		       {"party_building", "grassroots_governance", "petition_mediation",
			"policy_implementation", "emergency", "project_management", NULL}},
	[S_VSEC] = {"village_secretary", 97, 85, 1963, 1982, 150, {5, 40, 55}, 1, 3,
		    {"party_building", "grassroots_governance", "collective_economy",
		     "petition_mediation", "rural_tourism", "crop_planting", NULL}},
	[S_WEALTH] = {"wealth_leader", 44, 75, 1968, 1990, 100, {30, 20, 50}, 1, 3,
		      {"collective_economy", "crop_planting", "ecommerce", "animal_husbandry",
		       "rural_tourism", NULL, NULL}},
	[S_MODEL] = {"model_exemplar", 74, 65, 1958, 1986, 350, {20, 40, 40}, 1, 3,
		     {"party_building", "grassroots_governance", "emergency", "policy_implementation",
		      "crop_planting", "petition_mediation", NULL}},
	[S_FIRST] = {"first_secretary", 62, 75, 1975, 1992, 250, {40, 50, 10}, 1, 2,
		     {"party_building", "project_management", "collective_economy",
		      "policy_implementation", "ecommerce", "grassroots_governance", NULL}},
	[S_TEAM] = {"work_team", 51, 60, 1978, 1996, 0, {20, 40, 40}, 1, 2,
		    {"policy_implementation", "grassroots_governance", "project_management",
		     "ecommerce", "emergency", NULL, NULL}},
	[S_ENTERPRISE] = {"enterprise_head", 22, 80, 1965, 1988, 200, {70, 20, 10}, 2, 5,
			  {"collective_economy", "ecommerce", "crop_planting", "project_management",
			   "rural_tourism", "animal_husbandry", NULL}},
};

#define N_MENTORS 483
#define N_CITY_TIER 20
#define N_COUNTY_TIER 90
#define HELAN_MENU 34

static size_t pool_len(const char *const *pool, size_t max)
{
	size_t n = 0;
	while (n < max && pool[n])
		n++;
	return n;
}

static const char *const team_names[3] = {"expert", "experienced", "grassroots"};

/* A random township of county c; `rural` excludes 街道. */
static int pick_town(struct gen *g, struct rng *r, int c, bool rural)
{
	int towns[16], nt = 0;
	for (int t = 0; t < g->ntowns; t++)
		if (g->towns[t].county == c && (!rural || g->towns[t].type != T_STREET))
			towns[nt++] = t;
	assert(nt > 0);
	return towns[rng_below(r, nt)];
}

static int pick_village(struct gen *g, struct rng *r, int t)
{
	const struct town *tw = &g->towns[t];
	return tw->v0 + rng_below(r, tw->nv);
}

/* A unit that dispatches first secretaries and work teams. */
static char *pick_unit(struct rng *r, int county, bool city)
{
	if (city || rng_pct(r, 45))
		return xstrdup(demo_place_city_units[rng_below(r, (int)demo_place_ncity_units)]);
	return fmt("%s%s", demo_place_counties[county].name,
		   demo_place_county_units[rng_below(r, (int)demo_place_ncounty_units)]);
}

static const char *tname(struct gen *g, int t)
{
	return g->d->regions[g->towns[t].region].name;
}

static const char *vname(struct gen *g, int v)
{
	return g->d->regions[g->vil[v].region].name;
}

struct sortkey {
	int key, idx;
};

/* Descending key, then ascending index: a total order, so qsort is stable
 * in effect and the result deterministic. */
static int sortkey_cmp(const void *a, const void *b)
{
	const struct sortkey *x = a, *y = b;
	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* The post of a mentor and the domain it most obviously brings. */
enum tier_ix { TI_CITY, TI_COUNTY, TI_TOWN };

static char *mentor_post(struct gen *g, struct rng *r, enum msrc s, enum tier_ix tier, int county, int *town, int v, bool male, const char **first)
{
	const char *cname = demo_place_counties[county].name;
	const struct town *tw = &g->towns[*town];
	*first = NULL;
	switch (s) {
	case S_VETERAN: {
		static const char *const city_posts[] = {
			"委组织部副部长", "人大常委会副主任", "政协副主席", "农业农村局局长",
			"委农办主任", "民政局局长",
		};
		static const char *const county_posts[] = {
			"委组织部副部长", "人大常委会副主任", "政协副主席", "农业农村局局长",
			"委农办主任", "信访局局长",
		};
		static const char *const zhen[] = {"党委书记", "镇长", "人大主席", "党委副书记", "组织委员", "纪委书记"};
		static const char *const xiang[] = {"党委书记", "乡长", "人大主席", "党委副书记", "组织委员", "纪委书记"};
		static const char *const street[] = {"党工委书记", "办事处主任", "党工委副书记", "组织委员"};
		if (tier == TI_CITY && rng_pct(r, 50))
			return fmt("原银川市%s", PICK(r, city_posts));
		if (tier != TI_TOWN && rng_pct(r, 50))
			return fmt("原%s%s", cname, PICK(r, county_posts));
		const char *title = tw->type == T_STREET ? PICK(r, street)
				    : tw->type == T_XIANG ? PICK(r, xiang) : PICK(r, zhen);
		return fmt("原%s%s", tname(g, *town), title);
	}
	case S_VSEC: {
		const struct village *vi = &g->vil[v];
		*first = vi->role == V_STRONG ? "collective_economy" : NULL;
		return fmt("%s%s书记%s", vname(g, v), vi->orgtype,
			   rng_pct(r, 45) ? (vi->community ? "、居委会主任" : "、村委会主任") : "");
	}
	case S_WEALTH: {
		static const int w[5] = {35, 25, 15, 15, 10};
		static const char *const crops[] = {"设施蔬菜", "水稻", "枸杞", "西甜瓜", "食用菌", "苗木花卉"};
		static const char *const animals[] = {"滩羊", "肉牛", "奶牛", "蛋鸡", "生猪"};
		static const char *const tourism[] = {"乡村民宿合作社负责人", "农家乐经营户", "休闲农庄负责人"};
		switch (pick_w(r, w, 5)) {
		case 0:
			if (tw->wine && rng_pct(r, 50)) {
				*first = "wine_making";
				return fmt("%s酿酒葡萄种植专业合作社理事长", vname(g, v));
			}
			*first = "crop_planting";
			return fmt("%s%s种植专业合作社理事长", vname(g, v), PICK(r, crops));
		case 1:
			*first = "animal_husbandry";
			return fmt("%s%s养殖专业合作社理事长", vname(g, v), PICK(r, animals));
		case 2:
			*first = "collective_economy";
			return fmt("宁夏%s农业发展有限公司总经理",
				   demo_place_brands[rng_below(r, (int)demo_place_nbrands)]);
		case 3:
			*first = "ecommerce";
			return fmt("%s%s农村电商服务站负责人", tname(g, *town), vname(g, v));
		default:
			*first = "rural_tourism";
			return fmt("%s%s", vname(g, v), PICK(r, tourism));
		}
	}
	case S_MODEL: {
		static const struct {
			const char *office; /* after the township's name */
			const char *first;
		} rural[] = {
			{"农业农村综合服务中心主任", "crop_planting"},
			{"卫生院院长", "emergency"},
			{"中心学校校长", "party_building"},
			{"派出所所长", "petition_mediation"},
			{"社会治理服务中心主任", "petition_mediation"},
			{"退役军人服务站站长", "emergency"},
		}, urban[] = {
			{"社区卫生服务中心主任", "emergency"},
			{"派出所所长", "petition_mediation"},
			{"社会治理服务中心主任", "petition_mediation"},
			{"退役军人服务站站长", "emergency"},
		};
		size_t h;
		do
			h = pick_wl(r, demo_place_honours, demo_place_nhonours);
		while (male && strstr(demo_place_honours[h].s, "三八"));
		const char *honour = demo_place_honours[h].s;
		char base[256];
		if (rng_pct(r, 40)) {
			const struct village *vi = &g->vil[v];
			*first = "grassroots_governance";
			snprintf(base, sizeof base, "%s%s副书记", vname(g, v), vi->orgtype);
		} else if (tw->type == T_STREET) {
			int i = rng_below(r, (int)NELEM(urban));
			*first = urban[i].first;
			snprintf(base, sizeof base, "%s%s", tname(g, *town), urban[i].office);
		} else {
			int i = rng_below(r, (int)NELEM(rural));
			*first = rural[i].first;
			snprintf(base, sizeof base, "%s%s", tname(g, *town), rural[i].office);
		}
		return fmt("%s（%s）", base, honour);
	}
	case S_FIRST: {
		char *unit = pick_unit(r, county, tier == TI_CITY);
		char *p = fmt("%s驻%s第一书记", unit, vname(g, v));
		free(unit);
		return p;
	}
	case S_TEAM: {
		char *unit = pick_unit(r, county, tier == TI_CITY);
		char *p = fmt("%s驻%s工作队%s", unit, vname(g, v), rng_pct(r, 30) ? "队长" : "队员");
		free(unit);
		return p;
	}
	case S_ENTERPRISE: {
		static const char *const titles[] = {"董事长", "总经理", "董事长兼总经理"};
		/* head of one of the mentor enterprises of its county, if any is
		 * left, else of a company of its own */
		for (int i = 0; i < g->nent; i++) {
			struct enterprise *e = &g->ent[i];
			if (e->taken || g->towns[e->town].county != county)
				continue;
			e->taken = 1;
			*town = e->town;
			*first = demo_place_industries[e->industry].domains[0];
			return fmt("宁夏%s%s有限公司%s", demo_place_brands[e->brand],
				   demo_place_industries[e->industry].name, PICK(r, titles));
		}
		int inds[16], ni = 0;
		bool wine = tw->wine && rng_pct(r, 50);
		for (size_t j = 0; j < demo_place_nindustries; j++)
			if (demo_place_industries[j].wine == wine)
				inds[ni++] = (int)j;
		int ind = inds[rng_below(r, ni)];
		int brand = g->brand_order[g->next_brand++ % (int)demo_place_nbrands];
		*first = demo_place_industries[ind].domains[0];
		return fmt("宁夏%s%s有限公司%s", demo_place_brands[brand],
			   demo_place_industries[ind].name, PICK(r, titles));
	}
	case S__MAX:
		break;
	}
	assert(0);
	return xstrdup("");
}

static void gen_mentors(struct gen *g)
{
	struct demo *d = g->d;
	struct rng r;
	rng_init(&r, g->seed, 3);

	int src[N_MENTORS], home[N_MENTORS], n = 0;
	for (int s = 0; s < S__MAX; s++)
		for (int i = 0; i < msrc_table[s].count; i++)
			src[n++] = s;
	assert(n == N_MENTORS);
	n = 0;
	for (int c = 0; c < DEMO_PLACE_NCOUNTIES; c++)
		for (int i = 0; i < demo_place_counties[c].mentor_quota; i++)
			home[n++] = c;
	assert(n == N_MENTORS);
	shuffle(&r, src, N_MENTORS);
	shuffle(&r, home, N_MENTORS);

	/* The heads of the tomato base and the industrial park of 丰登镇 (the
	 * report names them): the first two enterprise heads, moved to 金凤区
	 * by swapping home counties so that the quotas still hold. */
	int fixed[2], nfixed = 0;
	for (int i = 0; i < N_MENTORS && nfixed < 2; i++)
		if (src[i] == S_ENTERPRISE)
			fixed[nfixed++] = i;
	assert(nfixed == 2);
	for (int f = 0; f < 2; f++) {
		int i = fixed[f];
		if (home[i] == g->jinfeng)
			continue;
		for (int j = 0; j < N_MENTORS; j++)
			if (home[j] == g->jinfeng && j != fixed[0] && j != fixed[1]) {
				home[j] = home[i];
				home[i] = g->jinfeng;
				break;
			}
	}

	/* Tiers: the most senior-looking go to the city and county libraries. */
	struct sortkey sk[N_MENTORS];
	for (int i = 0; i < N_MENTORS; i++) {
		sk[i].idx = i;
		sk[i].key = rng_below(&r, 1000) + msrc_table[src[i]].seniority;
		if (i == fixed[0] || i == fixed[1])
			sk[i].key = -1;
	}
	qsort(sk, N_MENTORS, sizeof sk[0], sortkey_cmp);
	int tier[N_MENTORS];
	for (int k = 0; k < N_MENTORS; k++)
		tier[sk[k].idx] = k < N_CITY_TIER ? TI_CITY : k < N_CITY_TIER + N_COUNTY_TIER ? TI_COUNTY : TI_TOWN;

	/* A handful in each pipeline state other than active. */
	static const struct {
		const char *name;
		int n;
	} other_status[] = {
		{"nominated", 5}, {"shortlisted", 4}, {"filed", 4}, {"paused", 3}, {"retired", 3},
	};
	const char *status[N_MENTORS];
	int perm[N_MENTORS];
	for (int i = 0; i < N_MENTORS; i++) {
		status[i] = "active";
		perm[i] = i;
	}
	shuffle(&r, perm, N_MENTORS);
	int k = 0;
	for (size_t s = 0; s < NELEM(other_status); s++)
		for (int i = 0; i < other_status[s].n; i++)
			status[perm[k++]] = other_status[s].name;

	d->mentors = xcalloc(N_MENTORS, sizeof *d->mentors);
	d->nmentors = N_MENTORS;
	static const int ndom_w[4] = {15, 40, 30, 15};
	for (int i = 0; i < N_MENTORS; i++) {
		struct demo_mentor *m = &d->mentors[i];
		enum msrc s = (enum msrc)src[i];
		int c = home[i];
		bool male = rng_pct(&r, msrc_table[s].male_pct);
		m->gender = xstrdup(male ? "男" : "女");
		m->birth_year = rng_range(&r, msrc_table[s].born_lo, msrc_table[s].born_hi);
		m->name = gen_name(&r, male);
		m->phone = gen_phone(g, &r);
		m->id_number = gen_id(g, &r, demo_place_counties[c].code, m->birth_year, male);
		m->source = xstrdup(msrc_table[s].code);
		m->tier = xstrdup(tier[i] == TI_CITY ? "city" : tier[i] == TI_COUNTY ? "county" : "township");
		m->status = xstrdup(status[i]);

		bool rural = s == S_VSEC || s == S_WEALTH || s == S_FIRST || s == S_TEAM || s == S_ENTERPRISE;
		int t = pick_town(g, &r, c, rural);
		if (i == fixed[0] || i == fixed[1])
			t = g->fengdeng;
		int v = pick_village(g, &r, t);
		if (s == S_VSEC && rng_pct(&r, 35)) {
			/* some of the excellent secretaries lead a strong village */
			int strong[64], ns = 0;
			for (int j = 0; j < g->nvil && ns < 64; j++)
				if (g->vil[j].role == V_STRONG && g->towns[g->vil[j].town].county == c)
					strong[ns++] = j;
			if (ns) {
				v = strong[rng_below(&r, ns)];
				t = g->vil[v].town;
			}
		}

		const char *first = NULL;
		const char *extra = NULL;
		if (i == fixed[0]) {
			m->post = xstrdup("“博柿后”番茄种植基地负责人");
			first = "crop_planting";
		} else if (i == fixed[1]) {
			m->post = xstrdup("利思田园蜜语产业园区负责人");
			first = "wine_making";
			extra = "rural_tourism";
		} else {
			m->post = mentor_post(g, &r, s, (enum tier_ix)tier[i], c, &t, v, male, &first);
		}
		if (g->towns[t].wine && (s == S_VSEC || s == S_WEALTH || s == S_ENTERPRISE))
			extra = "wine_making";
		const char *const *pool = msrc_table[s].pool;
		int nd = 1 + (int)pick_w(&r, ndom_w, 4);
		if (i == fixed[0] || i == fixed[1])
			nd = 3;
		pick_domains(&r, first, pool, pool_len(pool, 7), extra, nd, &m->domains, &m->ndomains);

		m->team_type = xstrdup(team_names[pick_w(&r, msrc_table[s].team_w, 3)]);
		m->capacity = rng_range(&r, msrc_table[s].cap_lo, msrc_table[s].cap_hi);
		if (tier[i] == TI_CITY && m->capacity < 5)
			m->capacity++;
		int base = tier[i] == TI_CITY ? 91 : tier[i] == TI_COUNTY ? 86 : 81;
		for (int j = 0; j < 4; j++) {
			int x = base + rng_range(&r, -9, 9);
			m->scores[j] = x < 60 ? 60 : x > 100 ? 100 : x;
		}
		m->region = tier[i] == TI_CITY ? 0
			    : tier[i] == TI_COUNTY ? g->county_region[c] : g->towns[t].region;
	}

	/* Menus: a county's best active mentors (city tier excluded). */
	for (int c = 0; c < DEMO_PLACE_NCOUNTIES; c++) {
		int nc = 0;
		for (int i = 0; i < N_MENTORS; i++) {
			if (home[i] != c || tier[i] == TI_CITY || strcmp(status[i], "active") != 0)
				continue;
			const struct demo_mentor *m = &d->mentors[i];
			sk[nc].idx = i;
			sk[nc].key = m->scores[0] + m->scores[1] + m->scores[2] + m->scores[3];
			nc++;
		}
		qsort(sk, (size_t)nc, sizeof sk[0], sortkey_cmp);
		int want = c == g->helan ? HELAN_MENU : rng_range(&r, 15, 25);
		assert(nc >= want);
		for (int j = 0; j < want && j < nc; j++)
			d->mentors[sk[j].idx].in_menu = 1;
	}
}

/* ------------------------------------------------------------ mentees */

enum mkind { K_TCADRE_NEW, K_WORKTEAM, K_SEC_WEAK, K_TLEADER, K_SEC_NEW, K_TCADRE, K_SEC_OLD, K_RESERVE };

static const struct {
	const char *code;
	int count;
	enum mkind kind;
	int male_pct;
	int born_lo, born_hi;
	const char *pool[7];  /* typical weaknesses, NULL-padded */
} mcat_table[] = {
	{"new_township_cadre", 32, K_TCADRE_NEW, 55, 1995, 2000,
	 {"grassroots_governance", "emergency", "petition_mediation", "policy_implementation",
	  "party_building", NULL, NULL}},
	{"new_work_team", 26, K_WORKTEAM, 65, 1982, 1996,
	 {"policy_implementation", "collective_economy", "grassroots_governance", "ecommerce",
	  "petition_mediation", NULL, NULL}},
	{"weak_village_secretary", 28, K_SEC_WEAK, 85, 1965, 1985,
	 {"party_building", "grassroots_governance", "collective_economy", "petition_mediation",
	  NULL, NULL, NULL}},
	{"new_township_leader", 24, K_TLEADER, 70, 1980, 1990,
	 {"project_management", "emergency", "grassroots_governance", "policy_implementation",
	  "petition_mediation", "collective_economy", NULL}},
	{"new_village_secretary", 104, K_SEC_NEW, 75, 1972, 1992,
	 {"party_building", "grassroots_governance", "collective_economy", "petition_mediation",
	  "policy_implementation", "project_management", NULL}},
	{"township_young_cadre", 151, K_TCADRE, 55, 1990, 1999,
	 {"grassroots_governance", "emergency", "petition_mediation", "policy_implementation",
	  "party_building", "project_management", NULL}},
	{"retained_secretary", 71, K_SEC_OLD, 85, 1962, 1980,
	 {"collective_economy", "project_management", "ecommerce", "rural_tourism",
	  "grassroots_governance", "crop_planting", NULL}},
	{"reserve_force", 163, K_RESERVE, 60, 1985, 2001,
	 {"crop_planting", "ecommerce", "collective_economy", "animal_husbandry", "party_building",
	  "rural_tourism", NULL}},
};

static char *secretary_post(struct gen *g, struct rng *r, int v)
{
	const struct village *vi = &g->vil[v];
	return fmt("%s%s书记%s", vname(g, v), vi->orgtype,
		   rng_pct(r, 45) ? (vi->community ? "、居委会主任" : "、村委会主任") : "");
}

static char *cadre_post(struct gen *g, struct rng *r, int t, bool fresh)
{
	static const char *const rural_offices[] = {
		"党政办公室", "党建工作办公室", "经济发展办公室", "社会事务办公室", "农业农村服务中心",
		"综合执法办公室", "社会治理服务中心", "便民服务中心", "财政所",
	};
	static const char *const urban_offices[] = {
		"党政办公室", "党建工作办公室", "社区建设办公室", "社会事务办公室", "综合执法办公室",
		"社会治理服务中心", "便民服务中心",
	};
	static const char *const young[] = {"科员", "干事", "副主任", "工作人员"};
	static const char *const fresh_ranks[] = {"科员（选调生）", "科员（选调生）", "科员", "干事"};
	const char *office = g->towns[t].type == T_STREET ? PICK(r, urban_offices) : PICK(r, rural_offices);
	return fmt("%s%s%s", tname(g, t), office, fresh ? PICK(r, fresh_ranks) : PICK(r, young));
}

static char *leader_post(struct gen *g, struct rng *r, int t)
{
	static const char *const zhen[] = {"党委副书记", "副镇长", "组织委员", "宣传委员", "纪委书记", "人大副主席", "武装部长"};
	static const char *const xiang[] = {"党委副书记", "副乡长", "组织委员", "宣传委员", "纪委书记", "人大副主席", "武装部长"};
	static const char *const street[] = {"党工委副书记", "办事处副主任", "党工委委员", "纪工委书记", "武装部长"};
	const struct town *tw = &g->towns[t];
	const char *title = tw->type == T_STREET ? PICK(r, street) : tw->type == T_XIANG ? PICK(r, xiang) : PICK(r, zhen);
	return fmt("%s%s", tname(g, t), title);
}

/* Post and talent team of a member of the rural reserve force. */
static char *reserve_post(struct gen *g, struct rng *r, int v, const char **team)
{
	static const struct demo_place_weighted teams[] = {
		{"reserve_talent", 70}, {"returnee", 12}, {"skilled_workers", 8},
		{"wealth_leaders", 5}, {"party_members", 5},
	};
	static const char *const reserve[] = {
		"村务监督委员会委员", "团支部书记", "妇联主席", "文书", "后备干部", "网格员", "报账员",
	};
	static const char *const skilled[] = {"农技员", "农机手", "兽医防疫员"};
	static const char *const wealth[] = {"种植大户", "养殖大户", "家庭农场主"};
	*team = teams[pick_wl(r, teams, NELEM(teams))].s;
	const char *what;
	if (strcmp(*team, "returnee") == 0)
		what = "返乡创业青年";
	else if (strcmp(*team, "skilled_workers") == 0)
		what = PICK(r, skilled);
	else if (strcmp(*team, "wealth_leaders") == 0)
		what = PICK(r, wealth);
	else if (strcmp(*team, "party_members") == 0)
		what = "党小组长";
	else
		what = PICK(r, reserve);
	return fmt("%s%s", vname(g, v), what);
}

static void gen_mentees(struct gen *g)
{
	struct demo *d = g->d;
	struct rng r;
	rng_init(&r, g->seed, 4);

	size_t n = 0;
	for (size_t c = 0; c < NELEM(mcat_table); c++)
		n += (size_t)mcat_table[c].count;
	for (int v = 0; v < g->nvil; v++)
		n += (size_t)g->vil[v].mentee;
	d->mentees = xcalloc(n, sizeof *d->mentees);

	/* Villages whose secretaries are mentees: the weak and lagging ones
	 * for weak_village_secretary, then distinct others for the new and
	 * the retained secretaries. */
	int *weak = xcalloc((size_t)g->nvil, sizeof *weak);
	int *rest = xcalloc((size_t)g->nvil, sizeof *rest);
	int nweak = 0, nrest = 0;
	for (int v = 0; v < g->nvil; v++)
		if (g->vil[v].role == V_WEAK || g->vil[v].role == V_LAG)
			weak[nweak++] = v;
	shuffle(&r, weak, (size_t)nweak);
	int weak_used = 0;
	for (size_t c = 0; c < NELEM(mcat_table); c++)
		if (mcat_table[c].kind == K_SEC_WEAK)
			weak_used = mcat_table[c].count;
	assert(weak_used <= nweak);
	for (int v = 0; v < g->nvil; v++) {
		bool taken = g->vil[v].role == V_STRONG;
		for (int j = 0; j < weak_used; j++)
			taken = taken || weak[j] == v;
		if (!taken)
			rest[nrest++] = v;
	}
	shuffle(&r, rest, (size_t)nrest);
	int next_weak = 0, next_rest = 0;

	static const int nweak_w[3] = {30, 45, 25};
	for (size_t c = 0; c < NELEM(mcat_table); c++) {
		for (int i = 0; i < mcat_table[c].count; i++) {
			struct demo_mentee *e = &d->mentees[d->nmentees++];
			enum mkind kind = mcat_table[c].kind;
			bool male = rng_pct(&r, mcat_table[c].male_pct);
			e->kind = xstrdup("person");
			e->org = -1;
			e->category = xstrdup(mcat_table[c].code);
			e->gender = xstrdup(male ? "男" : "女");
			e->birth_year = rng_range(&r, mcat_table[c].born_lo, mcat_table[c].born_hi);
			e->name = gen_name(&r, male);
			e->phone = gen_phone(g, &r);

			int t, v = -1;
			const char *team = "";
			switch (kind) {
			case K_SEC_WEAK:
				v = weak[next_weak++];
				break;
			case K_SEC_NEW:
			case K_SEC_OLD:
				v = rest[next_rest++ % nrest];
				break;
			case K_WORKTEAM:
				do
					v = rng_below(&r, g->nvil);
				while (g->vil[v].community);
				break;
			case K_RESERVE:
				v = rng_below(&r, g->nvil);
				if (g->vil[v].community && rng_pct(&r, 80))
					while (g->vil[v].community)
						v = rng_below(&r, g->nvil);
				break;
			case K_TCADRE:
			case K_TCADRE_NEW:
			case K_TLEADER:
				break;
			}
			t = v >= 0 ? g->vil[v].town : rng_below(&r, g->ntowns);
			int county = g->towns[t].county;

			switch (kind) {
			case K_SEC_WEAK:
			case K_SEC_NEW:
			case K_SEC_OLD:
				e->post = secretary_post(g, &r, v);
				team = "village_cadres";
				break;
			case K_TCADRE:
			case K_TCADRE_NEW:
				e->post = cadre_post(g, &r, t, kind == K_TCADRE_NEW);
				break;
			case K_TLEADER:
				e->post = leader_post(g, &r, t);
				break;
			case K_WORKTEAM: {
				char *unit = pick_unit(&r, county, false);
				e->post = fmt("%s驻%s工作队队员", unit, vname(g, v));
				free(unit);
				break;
			}
			case K_RESERVE:
				e->post = reserve_post(g, &r, v, &team);
				break;
			}
			e->talent_team = xstrdup(team);
			e->region = g->towns[t].region;
			e->id_number = gen_id(g, &r, demo_place_counties[county].code, e->birth_year, male);
			const char *const *pool = mcat_table[c].pool;
			const char *extra = kind == K_RESERVE && g->towns[t].wine ? "wine_making" : NULL;
			pick_domains(&r, NULL, pool, pool_len(pool, 7), extra, 1 + (int)pick_w(&r, nweak_w, 3),
				     &e->weaknesses, &e->nweaknesses);
		}
	}
	free(weak);
	free(rest);

	/* Organisation mentees: weak/lax, lagging and weak-economy villages as
	 * they were at the start of the pilot. */
	for (int v = 0; v < g->nvil; v++) {
		const struct village *vi = &g->vil[v];
		if (!vi->mentee)
			continue;
		struct demo_mentee *e = &d->mentees[d->nmentees++];
		e->kind = xstrdup("org");
		e->name = xstrdup(d->orgs[v].name);
		e->gender = xstrdup("");
		e->phone = xstrdup("");
		e->id_number = xstrdup("");
		e->category = xstrdup("");
		e->talent_team = xstrdup("");
		e->region = vi->region;
		e->org = v;
		char post[256];
		snprintf(post, sizeof post, "%s%s%s党组织",
			 vi->role == V_WEAK ? "软弱涣散村" : vi->role == V_LAG ? "后进村" : "",
			 vi->role != V_NONE && vi->econ ? "、" : "", vi->econ ? "集体经济薄弱村" : "");
		e->post = xstrdup(post);
		const char *pool[6];
		size_t np = 0;
		const char *first;
		if (vi->role == V_WEAK) {
			first = "party_building";
			pool[np++] = "grassroots_governance";
			pool[np++] = "petition_mediation";
		} else if (vi->role == V_LAG) {
			first = "party_building";
			pool[np++] = "collective_economy";
			pool[np++] = "project_management";
		} else {
			first = "collective_economy";
		}
		if (vi->econ) {
			pool[np++] = "ecommerce";
			pool[np++] = "crop_planting";
			pool[np++] = "rural_tourism";
		}
		pick_domains(&r, first, pool, np, NULL, 1 + (int)pick_w(&r, nweak_w, 3), &e->weaknesses,
			     &e->nweaknesses);
	}
	assert(d->nmentees == n);
}

/* ------------------------------------------------------------ users */

static int county_of(const struct demo *d, int region)
{
	while (region >= 0 && d->regions[region].level > 2)
		region = d->regions[region].parent;
	return region >= 0 && d->regions[region].level == 2 ? region : -1;
}

static void gen_users(struct gen *g)
{
	struct demo *d = g->d;
	int helan = g->county_region[g->helan];
	int xigang = g->towns[g->xigang].region;
	/* A menu mentor and a new village secretary of 贺兰县, of 习岗镇 if
	 * there are (so that township_admin sees them too). */
	int mentor = -1, mentee = -1;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < d->nmentors && mentor < 0; i++)
			if (d->mentors[i].in_menu && county_of(d, d->mentors[i].region) == helan &&
			    (pass || d->mentors[i].region == xigang))
				mentor = (int)i;
		for (size_t i = 0; i < d->nmentees && mentee < 0; i++)
			if (strcmp(d->mentees[i].kind, "person") == 0 &&
			    strcmp(d->mentees[i].category, "new_village_secretary") == 0 &&
			    county_of(d, d->mentees[i].region) == helan && (pass || d->mentees[i].region == xigang))
				mentee = (int)i;
	}
	assert(mentor >= 0 && mentee >= 0);

	const struct {
		const char *login, *role;
		int region, mentor, mentee;
	} u[] = {
		{"city_admin", "city_admin", 0, -1, -1},
		{"county_admin", "county_admin", helan, -1, -1},
		{"county_admin_lw", "county_admin", g->county_region[DEMO_PLACE_NCOUNTIES - 1], -1, -1},
		{"township_admin", "township_admin", g->towns[g->xigang].region, -1, -1},
		{"mentor", "mentor", d->mentors[mentor].region, mentor, -1},
		{"mentee", "mentee", d->mentees[mentee].region, -1, mentee},
		{"auditor", "auditor", 0, -1, -1},
	};
	assert(strcmp(d->regions[u[2].region].name, "灵武市") == 0);
	d->nusers = NELEM(u);
	d->users = xcalloc(d->nusers, sizeof *d->users);
	for (size_t i = 0; i < d->nusers; i++) {
		d->users[i].login = xstrdup(u[i].login);
		d->users[i].role = xstrdup(u[i].role);
		d->users[i].region = u[i].region;
		d->users[i].mentor = u[i].mentor;
		d->users[i].mentee = u[i].mentee;
	}
}

/* ------------------------------------------------------------ public */

struct demo *demo_generate(uint64_t seed)
{
	struct gen g;
	memset(&g, 0, sizeof g);
	g.seed = seed;
	g.d = xcalloc(1, sizeof *g.d);
	keyset_init(&g.phones, 4096);
	keyset_init(&g.ids, 4096);

	gen_vocab(g.d);
	gen_regions(&g);
	gen_orgs(&g);
	gen_mentors(&g);
	gen_mentees(&g);
	gen_users(&g);

	free(g.towns);
	free(g.vil);
	free(g.brand_order);
	free(g.phones.v);
	free(g.ids.v);
	return g.d;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void demo_free(struct demo *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nregions; i++) {
		free(d->regions[i].code);
		free(d->regions[i].name);
	}
	for (size_t i = 0; i < d->nvocab; i++) {
		free(d->vocab[i].kind);
		free(d->vocab[i].code);
		free(d->vocab[i].name);
	}
	for (size_t i = 0; i < d->nmentors; i++) {
		struct demo_mentor *m = &d->mentors[i];
		free(m->name);
		free(m->gender);
		free(m->phone);
		free(m->id_number);
		free(m->tier);
		free(m->source);
		free(m->team_type);
		free(m->post);
		free_strv(m->domains, m->ndomains);
		free(m->status);
	}
	for (size_t i = 0; i < d->norgs; i++)
		free(d->orgs[i].name);
	for (size_t i = 0; i < d->nmentor_orgs; i++) {
		free(d->mentor_orgs[i].name);
		free(d->mentor_orgs[i].kind);
		free_strv(d->mentor_orgs[i].domains, d->mentor_orgs[i].ndomains);
	}
	for (size_t i = 0; i < d->nmentees; i++) {
		struct demo_mentee *e = &d->mentees[i];
		free(e->kind);
		free(e->name);
		free(e->gender);
		free(e->phone);
		free(e->id_number);
		free(e->category);
		free(e->post);
		free(e->talent_team);
		free_strv(e->weaknesses, e->nweaknesses);
	}
	for (size_t i = 0; i < d->nusers; i++) {
		free(d->users[i].login);
		free(d->users[i].role);
	}
	free(d->regions);
	free(d->vocab);
	free(d->mentors);
	free(d->orgs);
	free(d->mentor_orgs);
	free(d->mentees);
	free(d->users);
	free(d);
}
