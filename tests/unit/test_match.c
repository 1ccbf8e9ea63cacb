/*
 * test_match.c — the matching engine (src/match/): stable matching against
 * a brute force, automatic assignment against an independent Bellman–Ford
 * min-cost flow, locks and bans, determinism, malformed instance files,
 * score breakdowns, candidates and explanations, team covers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/mem.h"
#include "match/match.h"

/* ---- Small helpers ------------------------------------------------------ */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	return n ? (uint32_t)(match_rng_next(&rng_state) % n) : 0;
}

static void shuffle(uint32_t *v, uint32_t n)
{
	for (uint32_t k = n; k > 1; k--) {
		uint32_t r = rnd(k), t = v[k - 1];
		v[k - 1] = v[r];
		v[r] = t;
	}
}

/* ---- HR: random instances, brute force ---------------------------------- */

struct hr_case {
	uint32_t n, m;
	uint32_t cap[8];
	uint32_t len[8];      /* mentee list lengths */
	uint32_t list[8][8];  /* mentee lists, best first */
	uint32_t mlen[8];
	uint32_t mlist[8][8]; /* mentor lists, best first */
};

static void hr_random(struct hr_case *c, uint32_t nmax, uint32_t mmax)
{
	memset(c, 0, sizeof *c);
	c->n = 1 + rnd(nmax);
	c->m = 1 + rnd(mmax);
	for (uint32_t j = 0; j < c->m; j++)
		c->cap[j] = rnd(4);
	for (uint32_t i = 0; i < c->n; i++) {
		uint32_t all[8];
		for (uint32_t j = 0; j < c->m; j++)
			all[j] = j;
		shuffle(all, c->m);
		c->len[i] = rnd(c->m + 1);
		for (uint32_t k = 0; k < c->len[i]; k++) {
			uint32_t j = all[k];
			c->list[i][k] = j;
			c->mlist[j][c->mlen[j]++] = i;
		}
	}
	for (uint32_t j = 0; j < c->m; j++)
		shuffle(c->mlist[j], c->mlen[j]);
}

static void hr_build(const struct hr_case *c, struct match_hr *hr)
{
	uint32_t eoff[9] = {0}, elist[64], moff[9] = {0}, mlist[64];
	for (uint32_t i = 0; i < c->n; i++) {
		eoff[i + 1] = eoff[i] + c->len[i];
		memcpy(elist + eoff[i], c->list[i], c->len[i] * sizeof *elist);
	}
	for (uint32_t j = 0; j < c->m; j++) {
		moff[j + 1] = moff[j] + c->mlen[j];
		memcpy(mlist + moff[j], c->mlist[j], c->mlen[j] * sizeof *mlist);
	}
	struct errinfo ei;
	assert_int_equal(match_hr_build(hr, c->n, c->m, c->cap, eoff, elist, moff,
					mlist, NULL, &ei),
			 ERR_OK);
}

static int erank(const struct hr_case *c, uint32_t i, int32_t j)
{
	if (j < 0)
		return 1000;
	for (uint32_t k = 0; k < c->len[i]; k++)
		if ((int32_t)c->list[i][k] == j)
			return (int)k;
	return -1;
}

static int mrank(const struct hr_case *c, uint32_t j, uint32_t i)
{
	for (uint32_t k = 0; k < c->mlen[j]; k++)
		if (c->mlist[j][k] == i)
			return (int)k;
	return -1;
}

/* Capacities hold and no pair (i, j) blocks. */
static int hr_stable(const struct hr_case *c, const int32_t *a)
{
	uint32_t load[8] = {0};
	for (uint32_t i = 0; i < c->n; i++)
		if (a[i] >= 0) {
			if (erank(c, i, a[i]) < 0)
				return 0;
			load[a[i]]++;
		}
	for (uint32_t j = 0; j < c->m; j++)
		if (load[j] > c->cap[j])
			return 0;
	for (uint32_t i = 0; i < c->n; i++)
		for (uint32_t k = 0; k < c->len[i]; k++) {
			uint32_t j = c->list[i][k];
			if ((int)k >= erank(c, i, a[i]))
				break;
			if (c->cap[j] == 0)
				continue;
			if (load[j] < c->cap[j])
				return 0;
			for (uint32_t t = 0; t < c->n; t++)
				if (a[t] == (int32_t)j && mrank(c, j, t) > mrank(c, j, i))
					return 0;
		}
	return 1;
}

/* Every stable matching: each mentee no better off than in `da`. */
static int hr_mentee_optimal(const struct hr_case *c, const int32_t *da)
{
	int32_t a[8];
	uint32_t idx[8] = {0};
	for (;;) {
		for (uint32_t i = 0; i < c->n; i++)
			a[i] = idx[i] == 0 ? -1 : (int32_t)c->list[i][idx[i] - 1];
		if (hr_stable(c, a))
			for (uint32_t i = 0; i < c->n; i++)
				if (erank(c, i, a[i]) < erank(c, i, da[i]))
					return 0;
		uint32_t i = 0;
		while (i < c->n && ++idx[i] > c->len[i])
			idx[i++] = 0;
		if (i == c->n)
			return 1;
	}
}

static void test_hr_random_brute_force(void **state)
{
	(void)state;
	rng_state = 42;
	for (int t = 0; t < 400; t++) {
		struct hr_case c;
		struct match_hr hr;
		int32_t a[8];
		hr_random(&c, 7, 4);
		match_hr_init(&hr);
		hr_build(&c, &hr);
		assert_int_equal(match_hr_solve(&hr, NULL, a, NULL), ERR_OK);
		assert_true(hr_stable(&c, a));
		assert_true(hr_mentee_optimal(&c, a));
		match_hr_release(&hr);
	}
}

/* Through the file format: write, parse, solve gives the same answer. */
static void test_hr_roundtrip_file(void **state)
{
	(void)state;
	rng_state = 7;
	for (int t = 0; t < 100; t++) {
		struct hr_case c;
		struct match_instance in, back;
		int32_t a[8], b[8];
		hr_random(&c, 8, 5);
		match_instance_init(&in);
		in.kind = MATCH_KIND_HR;
		hr_build(&c, &in.hr);
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		assert_int_equal(match_instance_write(&in, f), ERR_OK);
		fclose(f);
		match_instance_init(&back);
		struct errinfo ei;
		errinfo_clear(&ei);
		enum err e = match_instance_parse(&back, text, len, &ei);
		if (e)
			fail_msg("%s\n%s", ei.message, text);
		assert_int_equal(back.kind, MATCH_KIND_HR);
		assert_int_equal(match_hr_solve(&in.hr, NULL, a, NULL), ERR_OK);
		assert_int_equal(match_hr_solve(&back.hr, NULL, b, NULL), ERR_OK);
		assert_memory_equal(a, b, c.n * sizeof *a);
		free(text);
		match_instance_release(&in);
		match_instance_release(&back);
	}
}

/* Mentors that "take the score order" rank applicants by score. */
static void test_hr_score_order(void **state)
{
	(void)state;
	/* Mentor 0 (1 place) is wanted by mentees 0, 1, 2; scores 5, 9, 7. */
	uint32_t cap[1] = {1}, eoff[4] = {0, 1, 2, 3}, elist[3] = {0, 0, 0};
	int32_t score[3] = {5, 9, 7};
	struct match_hr hr;
	int32_t a[3];
	match_hr_init(&hr);
	assert_int_equal(match_hr_build(&hr, 3, 1, cap, eoff, elist, NULL, NULL, score, NULL),
			 ERR_OK);
	assert_int_equal(match_hr_solve(&hr, NULL, a, NULL), ERR_OK);
	assert_int_equal(a[0], -1);
	assert_int_equal(a[1], 0);
	assert_int_equal(a[2], -1);
	match_hr_release(&hr);
}

static void test_hr_build_rejects(void **state)
{
	(void)state;
	struct match_hr hr;
	struct errinfo ei;
	uint32_t cap[2] = {1, 1};
	uint32_t eoff[3] = {0, 1, 2}, elist[2] = {0, 1};
	uint32_t moff[3] = {0, 1, 2}, mlist_bad[2] = {1, 0}; /* swapped: no mirror */
	match_hr_init(&hr);
	assert_int_equal(match_hr_build(&hr, 2, 2, cap, eoff, elist, moff, mlist_bad, NULL, &ei),
			 ERR_INVALID);
	uint32_t elist_range[2] = {0, 5};
	assert_int_equal(match_hr_build(&hr, 2, 2, cap, eoff, elist_range, NULL, NULL, NULL, &ei),
			 ERR_INVALID);
	uint32_t eoff_dup[3] = {0, 2, 2}, elist_dup[2] = {1, 1};
	assert_int_equal(match_hr_build(&hr, 2, 2, cap, eoff_dup, elist_dup, NULL, NULL, NULL, &ei),
			 ERR_INVALID);
	match_hr_release(&hr);
}

/* Locks are honoured, bans excluded, and the rest is the DA of the
 * instance reduced by hand. */
static void test_hr_locks_bans(void **state)
{
	(void)state;
	rng_state = 99;
	int checked = 0;
	for (int t = 0; t < 300; t++) {
		struct hr_case c, r;
		hr_random(&c, 7, 4);
		struct match_pair locks[2], bans[3];
		size_t nl = 0, nb = 0;
		uint32_t used[8] = {0};
		int locked[8] = {0};
		for (int k = 0; k < 2; k++) {
			uint32_t i = rnd(c.n), j = rnd(c.m);
			if (locked[i] || used[j] >= c.cap[j])
				continue;
			locks[nl].mentee = i;
			locks[nl++].mentor = j;
			locked[i] = 1;
			used[j]++;
		}
		for (int k = 0; k < 3; k++) {
			uint32_t i = rnd(c.n);
			if (!c.len[i] || locked[i])
				continue;
			bans[nb].mentee = i;
			bans[nb++].mentor = c.list[i][rnd(c.len[i])];
		}
		/* The reduced instance. */
		r = c;
		memset(r.len, 0, sizeof r.len);
		memset(r.mlen, 0, sizeof r.mlen);
		for (uint32_t j = 0; j < c.m; j++)
			r.cap[j] = c.cap[j] - used[j];
		for (uint32_t i = 0; i < c.n; i++)
			for (uint32_t k = 0; k < c.len[i]; k++) {
				uint32_t j = c.list[i][k];
				int ban = locked[i];
				for (size_t b = 0; b < nb; b++)
					ban |= bans[b].mentee == i && bans[b].mentor == j;
				if (!ban)
					r.list[i][r.len[i]++] = j;
			}
		for (uint32_t j = 0; j < c.m; j++)
			for (uint32_t k = 0; k < c.mlen[j]; k++) {
				uint32_t i = c.mlist[j][k];
				for (uint32_t q = 0; q < r.len[i]; q++)
					if (r.list[i][q] == j)
						r.mlist[j][r.mlen[j]++] = i;
			}
		struct match_hr hc, hrr;
		int32_t a[8], b[8];
		match_hr_init(&hc);
		match_hr_init(&hrr);
		hr_build(&c, &hc);
		hr_build(&r, &hrr);
		struct match_rules rules = {locks, nl, bans, nb};
		assert_int_equal(match_hr_solve(&hc, &rules, a, NULL), ERR_OK);
		assert_int_equal(match_hr_solve(&hrr, NULL, b, NULL), ERR_OK);
		for (size_t k = 0; k < nl; k++)
			assert_int_equal(a[locks[k].mentee], (int32_t)locks[k].mentor);
		for (size_t k = 0; k < nb; k++)
			assert_int_not_equal(a[bans[k].mentee], (int32_t)bans[k].mentor);
		for (uint32_t i = 0; i < c.n; i++)
			if (!locked[i])
				assert_int_equal(a[i], b[i]);
		assert_true(hr_stable(&r, b));
		checked++;
		match_hr_release(&hc);
		match_hr_release(&hrr);
	}
	assert_true(checked > 200);
}

static void test_hr_rule_conflicts(void **state)
{
	(void)state;
	uint32_t cap[1] = {1}, eoff[3] = {0, 1, 2}, elist[2] = {0, 0};
	struct match_hr hr;
	int32_t a[2];
	struct errinfo ei;
	match_hr_init(&hr);
	assert_int_equal(match_hr_build(&hr, 2, 1, cap, eoff, elist, NULL, NULL, NULL, NULL), ERR_OK);
	struct match_pair two[2] = {{0, 0}, {1, 0}};
	struct match_rules over = {two, 2, NULL, 0};
	assert_int_equal(match_hr_solve(&hr, &over, a, &ei), ERR_CONFLICT);
	struct match_pair one[1] = {{0, 0}};
	struct match_rules both = {one, 1, one, 1};
	assert_int_equal(match_hr_solve(&hr, &both, a, &ei), ERR_CONFLICT);
	struct match_pair bad[1] = {{5, 0}};
	struct match_rules range = {bad, 1, NULL, 0};
	assert_int_equal(match_hr_solve(&hr, &range, a, &ei), ERR_INVALID);
	match_hr_release(&hr);
}

/* ---- AS: independent Bellman–Ford min-cost flow -------------------------- */

#define BF_MAXV 64
#define BF_MAXE 512

struct bf {
	int nv, ne;
	int to[BF_MAXE], cap[BF_MAXE], next[BF_MAXE];
	long cost[BF_MAXE];
	int head[BF_MAXV];
};

static void bf_init(struct bf *g, int nv)
{
	g->nv = nv;
	g->ne = 0;
	for (int v = 0; v < nv; v++)
		g->head[v] = -1;
}

static void bf_add(struct bf *g, int u, int v, int cap, long cost)
{
	assert_true(g->ne + 2 <= BF_MAXE);
	g->to[g->ne] = v, g->cap[g->ne] = cap, g->cost[g->ne] = cost;
	g->next[g->ne] = g->head[u], g->head[u] = g->ne++;
	g->to[g->ne] = u, g->cap[g->ne] = 0, g->cost[g->ne] = -cost;
	g->next[g->ne] = g->head[v], g->head[v] = g->ne++;
}

/* Successive shortest paths with Bellman–Ford: min-cost max-flow. */
static void bf_run(struct bf *g, int s, int t, long *flow, long *cost)
{
	*flow = *cost = 0;
	for (;;) {
		long d[BF_MAXV];
		int pe[BF_MAXV];
		for (int v = 0; v < g->nv; v++) {
			d[v] = LONG_MAX / 4;
			pe[v] = -1;
		}
		d[s] = 0;
		for (int it = 0; it < g->nv; it++) {
			int changed = 0;
			for (int u = 0; u < g->nv; u++)
				if (d[u] < LONG_MAX / 4)
					for (int e = g->head[u]; e >= 0; e = g->next[e])
						if (g->cap[e] > 0 && d[u] + g->cost[e] < d[g->to[e]]) {
							d[g->to[e]] = d[u] + g->cost[e];
							pe[g->to[e]] = e;
							changed = 1;
						}
			if (!changed)
				break;
		}
		if (d[t] >= LONG_MAX / 4)
			return;
		for (int v = t; v != s; v = g->to[pe[v] ^ 1]) {
			g->cap[pe[v]]--;
			g->cap[pe[v] ^ 1]++;
		}
		*flow += 1;
		*cost += d[t];
	}
}

struct as_case {
	uint32_t n, m, ng;
	uint32_t cap[8], group[8], quota[4];
	uint32_t eoff[17];
	struct match_arc arc[96];
};

static void as_random(struct as_case *c, uint32_t nmax, uint32_t mmax, int quotas)
{
	memset(c, 0, sizeof *c);
	c->n = 1 + rnd(nmax);
	c->m = 1 + rnd(mmax);
	for (uint32_t j = 0; j < c->m; j++)
		c->cap[j] = rnd(4);
	if (quotas) {
		c->ng = 1 + rnd(3);
		for (uint32_t j = 0; j < c->m; j++)
			c->group[j] = rnd(c->ng);
		for (uint32_t g = 0; g < c->ng; g++)
			c->quota[g] = rnd(5);
	}
	/* Few distinct scores make ties, which is where solvers go wrong. */
	int spread = rnd(2) ? 3 : 10000;
	for (uint32_t i = 0; i < c->n; i++) {
		uint32_t all[8];
		for (uint32_t j = 0; j < c->m; j++)
			all[j] = j;
		shuffle(all, c->m);
		uint32_t k = rnd(c->m + 1);
		c->eoff[i + 1] = c->eoff[i] + k;
		for (uint32_t q = 0; q < k; q++) {
			c->arc[c->eoff[i] + q].mentor = all[q];
			c->arc[c->eoff[i] + q].score = 1 + (int32_t)rnd((uint32_t)spread);
		}
	}
}

static void as_view(struct as_case *c, struct match_as *as)
{
	as->n_mentees = c->n;
	as->n_mentors = c->m;
	as->cap = c->cap;
	as->eoff = c->eoff;
	as->arc = c->arc;
	as->n_groups = c->ng;
	as->group = c->ng ? c->group : NULL;
	as->quota = c->ng ? c->quota : NULL;
}

/* The reference (matched, total), with locks and bans applied by hand. */
static void as_reference(const struct as_case *c, const struct match_rules *r,
			 long *matched, long *total)
{
	struct bf g;
	int ng = (int)c->ng, s = 0, t = 1, E0 = 2, M0 = E0 + (int)c->n,
	    G0 = M0 + (int)c->m;
	bf_init(&g, G0 + ng);
	int room[8], groom[4], locked[16] = {0};
	long lm = 0, lt = 0;
	for (uint32_t j = 0; j < c->m; j++)
		room[j] = (int)c->cap[j];
	for (int k = 0; k < ng; k++)
		groom[k] = (int)c->quota[k];
	for (size_t k = 0; r && k < r->n_locks; k++) {
		uint32_t i = r->locks[k].mentee, j = r->locks[k].mentor;
		locked[i] = 1;
		room[j]--;
		if (ng)
			groom[c->group[j]]--;
		lm++;
		for (uint32_t q = c->eoff[i]; q < c->eoff[i + 1]; q++)
			if (c->arc[q].mentor == j)
				lt += c->arc[q].score;
	}
	for (uint32_t i = 0; i < c->n; i++) {
		if (locked[i])
			continue;
		bf_add(&g, s, E0 + (int)i, 1, 0);
		for (uint32_t q = c->eoff[i]; q < c->eoff[i + 1]; q++) {
			int ban = 0;
			for (size_t k = 0; r && k < r->n_bans; k++)
				ban |= r->bans[k].mentee == i && r->bans[k].mentor == c->arc[q].mentor;
			if (!ban)
				bf_add(&g, E0 + (int)i, M0 + (int)c->arc[q].mentor, 1,
				       -c->arc[q].score);
		}
	}
	for (uint32_t j = 0; j < c->m; j++)
		if (ng)
			bf_add(&g, M0 + (int)j, G0 + (int)c->group[j], room[j], 0);
		else
			bf_add(&g, M0 + (int)j, t, room[j], 0);
	for (int k = 0; k < ng; k++)
		bf_add(&g, G0 + k, t, groom[k], 0);
	long f, cost;
	bf_run(&g, s, t, &f, &cost);
	*matched = f + lm;
	*total = -cost + lt;
}

/* The assignment itself is feasible and adds up to what is reported. */
static void as_check(const struct as_case *c, const struct match_rules *r,
		     const int32_t *a, const struct match_as_result *res)
{
	uint32_t load[8] = {0}, gload[4] = {0};
	uint64_t matched = 0;
	int64_t total = 0;
	for (uint32_t i = 0; i < c->n; i++) {
		if (a[i] < 0)
			continue;
		matched++;
		load[a[i]]++;
		if (c->ng)
			gload[c->group[a[i]]]++;
		int is_lock = 0, found = 0;
		for (size_t k = 0; r && k < r->n_locks; k++)
			is_lock |= r->locks[k].mentee == i && (int32_t)r->locks[k].mentor == a[i];
		for (size_t k = 0; r && k < r->n_bans; k++)
			assert_false(r->bans[k].mentee == i && (int32_t)r->bans[k].mentor == a[i]);
		for (uint32_t q = c->eoff[i]; q < c->eoff[i + 1]; q++)
			if ((int32_t)c->arc[q].mentor == a[i]) {
				total += c->arc[q].score;
				found = 1;
			}
		assert_true(found || is_lock);
	}
	for (uint32_t j = 0; j < c->m; j++)
		assert_true(load[j] <= c->cap[j]);
	for (uint32_t g = 0; g < c->ng; g++)
		assert_true(gload[g] <= c->quota[g]);
	for (size_t k = 0; r && k < r->n_locks; k++)
		assert_int_equal(a[r->locks[k].mentee], (int32_t)r->locks[k].mentor);
	assert_int_equal(matched, res->matched);
	assert_int_equal(total, res->total);
}

static void as_random_rules(const struct as_case *c, struct match_pair *locks,
			    size_t *nl, struct match_pair *bans, size_t *nb)
{
	uint32_t used[8] = {0}, gused[4] = {0};
	int locked[16] = {0};
	*nl = *nb = 0;
	for (int k = 0; k < 2; k++) {
		uint32_t i = rnd(c->n), j = rnd(c->m);
		if (locked[i] || used[j] >= c->cap[j] ||
		    (c->ng && gused[c->group[j]] >= c->quota[c->group[j]]))
			continue;
		locks[*nl].mentee = i;
		locks[(*nl)++].mentor = j;
		locked[i] = 1;
		used[j]++;
		if (c->ng)
			gused[c->group[j]]++;
	}
	for (int k = 0; k < 3; k++) {
		uint32_t i = rnd(c->n);
		if (c->eoff[i + 1] == c->eoff[i] || locked[i])
			continue;
		bans[*nb].mentee = i;
		bans[(*nb)++].mentor = c->arc[c->eoff[i] + rnd(c->eoff[i + 1] - c->eoff[i])].mentor;
	}
}

struct as_table {
	const char *name;
	enum match_as_method method;
	int quotas;
	int rules;
	uint32_t nmax, mmax;
};

static const struct as_table as_rows[] = {
	{"auction", MATCH_AS_AUCTION, 0, 0, 12, 6},
	{"auction+rules", MATCH_AS_AUCTION, 0, 1, 12, 6},
	{"ssp", MATCH_AS_SSP, 0, 0, 12, 6},
	{"ssp+rules", MATCH_AS_SSP, 0, 1, 12, 6},
	{"ssp+quotas", MATCH_AS_SSP, 1, 0, 12, 6},
	{"auto+quotas+rules", MATCH_AS_AUTO, 1, 1, 12, 6},
	{"auction-scarce", MATCH_AS_AUCTION, 0, 0, 16, 3},
	{"auction-tiny", MATCH_AS_AUCTION, 0, 1, 3, 2},
};

static void test_as_random_vs_bellman_ford(void **state)
{
	(void)state;
	for (size_t row = 0; row < sizeof as_rows / sizeof as_rows[0]; row++) {
		const struct as_table *tr = &as_rows[row];
		rng_state = 1000 + row;
		for (int t = 0; t < 400; t++) {
			struct as_case c;
			struct match_as as;
			struct match_pair locks[2], bans[3];
			size_t nl = 0, nb = 0;
			as_random(&c, tr->nmax, tr->mmax, tr->quotas);
			if (tr->rules)
				as_random_rules(&c, locks, &nl, bans, &nb);
			struct match_rules rules = {locks, nl, bans, nb};
			as_view(&c, &as);
			int32_t a[16];
			struct match_as_result res;
			struct errinfo ei;
			errinfo_clear(&ei);
			enum err e = match_as_solve(&as, tr->rules ? &rules : NULL, tr->method,
						    a, &res, &ei);
			if (e)
				fail_msg("%s: %s", tr->name, ei.message);
			long rm, rt;
			as_reference(&c, tr->rules ? &rules : NULL, &rm, &rt);
			if ((long)res.matched != rm || res.total != rt) {
				fprintf(stderr, "n=%u m=%u ng=%u caps:", c.n, c.m, c.ng);
				for (uint32_t j = 0; j < c.m; j++)
					fprintf(stderr, " %u", c.cap[j]);
				fprintf(stderr, "\n");
				for (uint32_t i = 0; i < c.n; i++)
					for (uint32_t q = c.eoff[i]; q < c.eoff[i + 1]; q++)
						fprintf(stderr, "%u %u %d\n", i, c.arc[q].mentor, c.arc[q].score);
				for (uint32_t i = 0; i < c.n; i++)
					fprintf(stderr, "a[%u]=%d\n", i, a[i]);
			}
			if ((long)res.matched != rm || res.total != rt)
				fail_msg("%s case %d: got (%lu, %ld), reference (%ld, %ld)",
					 tr->name, t, (unsigned long)res.matched,
					 (long)res.total, rm, rt);
			as_check(&c, tr->rules ? &rules : NULL, a, &res);
		}
	}
}

/* Larger random instances: the two methods agree, twice over. */
static void test_as_methods_agree_and_deterministic(void **state)
{
	(void)state;
	rng_state = 5;
	for (int t = 0; t < 20; t++) {
		uint32_t n = 300 + rnd(300), m = 20 + rnd(40);
		struct match_as as;
		match_as_init(&as);
		as.n_mentees = n;
		as.n_mentors = m;
		as.cap = xmalloc(m * sizeof *as.cap);
		for (uint32_t j = 0; j < m; j++)
			as.cap[j] = rnd(t % 2 ? 8 : 20);
		as.eoff = xcalloc(n + 1, sizeof *as.eoff);
		as.arc = xmalloc((size_t)n * 10 * sizeof *as.arc);
		for (uint32_t i = 0; i < n; i++) {
			uint32_t base = rnd(m), k = rnd(10);
			as.eoff[i + 1] = as.eoff[i] + k;
			for (uint32_t q = 0; q < k; q++) {
				as.arc[as.eoff[i] + q].mentor = (base + q * 3) % m;
				as.arc[as.eoff[i] + q].score = 1 + (int32_t)rnd(t % 3 ? 50 : 10000);
			}
		}
		/* Mentor (base + 3q) % m repeats when m divides 3q: drop dups
		 * by construction: k ≤ 10 and m ≥ 20 with gcd issues only for
		 * m = 3·x; guard anyway. */
		for (uint32_t i = 0; i < n; i++)
			for (uint32_t q = as.eoff[i]; q < as.eoff[i + 1]; q++)
				for (uint32_t r = as.eoff[i]; r < q; r++)
					if (as.arc[r].mentor == as.arc[q].mentor)
						as.arc[q].mentor = m; /* mark */
		uint32_t w = 0;
		for (uint32_t i = 0, q = 0; i < n; i++) {
			uint32_t end = as.eoff[i + 1];
			as.eoff[i] = w;
			for (; q < end; q++)
				if (as.arc[q].mentor < m)
					as.arc[w++] = as.arc[q];
		}
		as.eoff[n] = w;
		int32_t *a1 = xmalloc(n * sizeof *a1), *a2 = xmalloc(n * sizeof *a2),
			*a3 = xmalloc(n * sizeof *a3);
		struct match_as_result r1, r2, r3;
		assert_int_equal(match_as_solve(&as, NULL, MATCH_AS_AUCTION, a1, &r1, NULL), ERR_OK);
		assert_int_equal(match_as_solve(&as, NULL, MATCH_AS_SSP, a2, &r2, NULL), ERR_OK);
		assert_int_equal(match_as_solve(&as, NULL, MATCH_AS_AUCTION, a3, &r3, NULL), ERR_OK);
		assert_int_equal(r1.matched, r2.matched);
		assert_int_equal(r1.total, r2.total);
		assert_memory_equal(a1, a3, n * sizeof *a1);
		free(a1);
		free(a2);
		free(a3);
		match_as_release(&as);
	}
}

static void test_as_auction_rejects_quotas(void **state)
{
	(void)state;
	struct as_case c;
	struct match_as as;
	int32_t a[16];
	rng_state = 3;
	as_random(&c, 4, 3, 1);
	as_view(&c, &as);
	assert_int_equal(match_as_solve(&as, NULL, MATCH_AS_AUCTION, a, NULL, NULL),
			 ERR_UNPROCESSABLE);
}

/* ---- Malformed instance files ------------------------------------------- */

struct bad_file {
	const char *name;
	const char *text;
	long row;
};

static const struct bad_file bad_files[] = {
	{"empty", "", 1},
	{"unknown kind", "XX 1 1\n", 1},
	{"kind glued", "HR1 1\n", 1},
	{"missing count", "HR 2\n", 1},
	{"negative count", "HR -1 2\n", 1},
	{"huge number", "HR 99999999999999999999 1\n", 1},
	{"count over limit", "HR 20000000 1\n", 1},
	{"counts larger than input", "HR 1000000 1000000\n1 1 0\n", 1},
	{"header garbage", "HR 1 1 x\n1 1 0\n1 0\n", 1},
	{"mentee out of range", "HR 2 1\n2 2 0 5\n1 0\n1 0\n", 2},
	{"duplicate in mentor list", "HR 2 1\n2 2 0 0\n1 0\n1 0\n", 2},
	{"mentor list too short", "HR 2 1\n2 2 0\n1 0\n1 0\n", 2},
	{"mentor list too long", "HR 2 1\n2 1 0 1\n1 0\n0\n", 2},
	{"letter in number", "HR 2 1\n2 2 0 1a\n1 0\n1 0\n", 2},
	{"negative capacity", "HR 1 1\n-1 1 0\n1 0\n", 2},
	{"no mirror: count", "HR 2 2\n1 1 0\n1 1 0\n2 0 1\n1 0\n", 5},
	{"no mirror: mentor", "HR 2 2\n1 1 0\n1 1 1\n1 1\n1 0\n", 4},
	{"duplicate in mentee list", "HR 1 2\n1 1 0\n1 1 0\n2 0 0\n", 4},
	{"mentor out of range", "HR 1 1\n1 1 0\n1 3\n", 3},
	{"truncated", "HR 3 1\n3 3 0 1 2\n1 0\n1 0\n", 5},
	{"truncated mid-line", "HR 2 1\n2 2 0 1\n1 0\n1", 4},
	{"trailing garbage", "HR 1 1\n1 1 0\n1 0\nextra\n", 4},
	{"trailing number", "HR 1 1\n1 1 0\n1 0 0\n", 3},
	{"as: score zero", "AS 2 1 1\n1\n0 0 0\n", 3},
	{"as: score too big", "AS 2 1 1\n1\n0 0 10001\n", 3},
	{"as: mentee out of range", "AS 2 1 2\n1\n0 0 5\n2 0 5\n", 4},
	{"as: mentor out of range", "AS 2 1 1\n1\n0 1 5\n", 3},
	{"as: duplicate pair", "AS 2 2 3\n1 1\n0 0 5\n1 1 5\n0 0 7\n", 5},
	{"as: missing capacity", "AS 2 2 1\n1\n0 0 5\n", 2},
	{"as: extra on pair line", "AS 2 1 1\n1\n0 0 5 6\n", 3},
	{"as: truncated pairs", "AS 2 1 2\n1\n0 0 5\n", 4},
	{"as: pairs larger than input", "AS 2 1 90000000\n1\n0 0 5\n", 4},
	{"as: capacities larger than input", "AS 2 900 1\n1\n0 0 5\n", 2},
	{"as: negative score", "AS 2 1 1\n1\n0 0 -5\n", 3},
	{"as: trailing garbage", "AS 1 1 1\n1\n0 0 5\n#\n", 4},
	{"binary junk", "AS 1 1 1\n1\n0 0 5\x01\n", 3},
};

static void test_bad_files(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof bad_files / sizeof bad_files[0]; k++) {
		const struct bad_file *b = &bad_files[k];
		struct match_instance in;
		struct errinfo ei;
		match_instance_init(&in);
		errinfo_clear(&ei);
		enum err e = match_instance_parse(&in, b->text, strlen(b->text), &ei);
		if (e != ERR_INVALID || ei.row != b->row)
			fail_msg("%s: got %s row %ld (%s), want invalid row %ld", b->name,
				 err_code(e), ei.row, ei.message, b->row);
		assert_true(ei.message[0] != '\0');
		assert_int_equal(in.kind, MATCH_KIND_NONE);
		match_instance_release(&in);
	}
}

/* Every prefix of a valid file is either valid or rejected — never a crash
 * (run under ASan this also proves no read past the end). */
static void test_prefixes_never_crash(void **state)
{
	(void)state;
	const char *good[] = {
		"HR 3 2\n2 2 0 2\n1 2 1 0\n2 0 1\n1 1\n1 0\n",
		"AS 3 2 4\n1 2\n0 0 5\n1 0 7\n1 1 3\n2 1 9\n",
	};
	for (size_t g = 0; g < 2; g++) {
		size_t len = strlen(good[g]);
		for (size_t cut = 0; cut <= len; cut++) {
			char *copy = xmemdup(good[g], cut ? cut : 1);
			struct match_instance in;
			struct errinfo ei;
			match_instance_init(&in);
			enum err e = match_instance_parse(&in, copy, cut, &ei);
			assert_true(e == ERR_OK || e == ERR_INVALID);
			if (cut == len || cut == len - 1)
				assert_int_equal(e, ERR_OK);
			match_instance_release(&in);
			free(copy);
		}
	}
}

static void test_valid_edge_cases(void **state)
{
	(void)state;
	const char *ok[] = {
		"HR 0 0\n",
		"HR 0 0",
		"HR 2 1\r\n0 0\r\n0\r\n0\r\n",
		"AS 3 0 0\n\n",
		"AS 3 0 0\n",
		"AS 1 1 0\n4\n\n\n",
		"  AS\t1 1 1\n4\n0 0 10000\n",
	};
	for (size_t k = 0; k < sizeof ok / sizeof ok[0]; k++) {
		struct match_instance in;
		struct errinfo ei;
		match_instance_init(&in);
		errinfo_clear(&ei);
		enum err e = match_instance_parse(&in, ok[k], strlen(ok[k]), &ei);
		if (e)
			fail_msg("case %zu: %s", k, ei.message);
		match_instance_release(&in);
	}
}

/* match_file_run: the exact output, and errors with the line number. */
static void test_match_file_run(void **state)
{
	(void)state;
	char path[] = "/tmp/test_match_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("AS 3 2 4\n1 2\n0 0 5\n1 0 7\n1 1 3\n2 1 9\n", f);
	fclose(f);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct errinfo ei;
	errinfo_clear(&ei);
	assert_int_equal(match_file_run(path, out, &ei), ERR_OK);
	fclose(out);
	/* Mentor 0 (1 place): mentee 1 (7) beats mentee 0 (5), but placing
	 * all three is impossible, so 3 placed is not an option: 0→0 or 1→0,
	 * 1→1 or 2→1. Best: 1→0 (7) + 2→1 (9) = 16, or 0→0 (5) + 1→1 (3) +
	 * 2→... mentor 1 has 2 places: 0→0, 1→1, 2→1 = 17 with 3 placed. */
	assert_string_equal(text, "3 17\n0\n1\n1\n");
	free(text);

	f = fopen(path, "w");
	fputs("HR 1 1\n1 1 0\n1 0\n", f);
	fclose(f);
	out = open_memstream(&text, &len);
	assert_int_equal(match_file_run(path, out, &ei), ERR_OK);
	fclose(out);
	assert_string_equal(text, "0\n");
	free(text);

	f = fopen(path, "w");
	fputs("HR 1 1\n1 1 0\n1 0 7\n", f);
	fclose(f);
	out = open_memstream(&text, &len);
	assert_int_equal(match_file_run(path, out, &ei), ERR_INVALID);
	fclose(out);
	assert_int_equal(ei.row, 3);
	assert_int_equal(len, 0);
	free(text);
	unlink(path);

	out = open_memstream(&text, &len);
	assert_int_equal(match_file_run("/nonexistent/x", out, &ei), ERR_IO);
	fclose(out);
	free(text);
}

/* ---- Scores, candidates, explanations ------------------------------------ */

static void random_people(struct match_mentee_info *e, uint32_t n,
			  struct match_mentor_info *m, uint32_t nm)
{
	for (uint32_t i = 0; i < n; i++) {
		memset(&e[i], 0, sizeof e[i]);
		e[i].lat = 30 + rnd(1000) / 1000.0;
		e[i].lon = 120 + rnd(1000) / 1000.0;
		e[i].county = 1 + rnd(3);
		e[i].township = e[i].county * 10 + rnd(3);
		e[i].weak = match_rng_next(&rng_state) & 0xff;
		e[i].need = (uint8_t)rnd(101);
	}
	for (uint32_t j = 0; j < nm; j++) {
		memset(&m[j], 0, sizeof m[j]);
		m[j].lat = 30 + rnd(1000) / 1000.0;
		m[j].lon = 120 + rnd(1000) / 1000.0;
		m[j].county = 1 + rnd(3);
		m[j].township = m[j].county * 10 + rnd(3);
		m[j].domains = match_rng_next(&rng_state) & 0xff;
		m[j].strength = (uint8_t)rnd(101);
		m[j].type = (uint8_t)rnd(MATCH_TYPE__MAX);
		m[j].capacity = rnd(4);
	}
}

static void test_score_breakdown_sums(void **state)
{
	(void)state;
	struct match_params p;
	match_params_default(&p);
	rng_state = 11;
	struct match_mentee_info e[50];
	struct match_mentor_info m[50];
	random_people(e, 50, m, 50);
	for (int k = 0; k < 50; k++) {
		struct match_breakdown b;
		match_score_pair(&p, &e[k], &m[k], rnd(12), rnd(12), (int)rnd(2), &b);
		int32_t sum = 0;
		for (int q = 0; q < MATCH_P__MAX; q++) {
			assert_true(b.part[q] >= 0);
			sum += b.part[q];
		}
		assert_int_equal(sum, b.total);
		assert_true(b.total >= 0 && b.total <= MATCH_MAX_SCORE);
	}
	/* A perfect pair: full coverage, same place, ranked first, locked,
	 * strongest for the weakest — every principle at its maximum. */
	struct match_mentee_info pe = {30, 120, 1, 11, 0x3, 100};
	struct match_mentor_info pm = {30, 120, 1, 11, 0x7, 100, MATCH_TYPE_EXPERT, 1};
	struct match_breakdown b;
	match_score_pair(&p, &pe, &pm, 1, 1, 1, &b);
	assert_true(b.total >= MATCH_MAX_SCORE - MATCH_P__MAX);
	/* Nearer is more convenient; the same township beats the county. */
	struct match_mentor_info far = pm, town = pm;
	far.lat += 0.3;
	far.township = 99;
	far.county = 9;
	town.lat += 0.3;
	struct match_breakdown bf, bt;
	match_score_pair(&p, &pe, &far, 1, 1, 1, &bf);
	match_score_pair(&p, &pe, &town, 1, 1, 1, &bt);
	assert_true(bf.part[MATCH_P_CONVENIENCE] < b.part[MATCH_P_CONVENIENCE]);
	assert_true(bt.part[MATCH_P_CONVENIENCE] > bf.part[MATCH_P_CONVENIENCE]);
	assert_true(match_distance_km(30, 120, 31, 120) > 110 &&
		    match_distance_km(30, 120, 31, 120) < 112);
	assert_string_equal(match_principle_name(MATCH_P_DOMAIN), "domain");
}

static void test_candidates_and_explain(void **state)
{
	(void)state;
	struct match_params p;
	match_params_default(&p);
	p.k = 3;
	p.reach_km = 60;
	rng_state = 21;
	enum { N = 30, M = 10 };
	struct match_mentee_info e[N];
	struct match_mentor_info m[M];
	random_people(e, N, m, M);
	e[0].lat = 45; /* far from everyone */
	struct match_choice ch[2] = {{1, 7, 1, 0}, {1, 2, 2, 1}};
	struct match_pair bans[1] = {{3, 4}};
	struct match_rules rules = {NULL, 0, bans, 1};
	struct match_cands c, c2;
	match_cands_init(&c);
	match_cands_init(&c2);
	assert_int_equal(match_candidates(&p, e, N, m, M, ch, 2, &rules, &c, NULL), ERR_OK);
	assert_int_equal(match_candidates(&p, e, N, m, M, ch, 2, &rules, &c2, NULL), ERR_OK);
	assert_memory_equal(c.off, c2.off, (N + 1) * sizeof *c.off);
	assert_memory_equal(c.c, c2.c, c.off[N] * sizeof *c.c);
	assert_int_equal(c.off[1] - c.off[0], 0);
	assert_int_equal(c.n_reach[0], 0);
	for (uint32_t i = 1; i < N; i++) {
		assert_true(c.off[i + 1] - c.off[i] <= 3 + (i == 1 ? 2 : 0));
		for (uint32_t q = c.off[i]; q + 1 < c.off[i + 1]; q++)
			if (!c.c[q + 1].mentee_rank)
				assert_true(c.c[q].score.total >= c.c[q + 1].score.total);
		for (uint32_t q = c.off[i]; q < c.off[i + 1]; q++)
			assert_false(i == 3 && c.c[q].mentor == 4);
	}
	struct match_as as;
	match_as_init(&as);
	assert_int_equal(match_cands_to_as(&c, m, &as, NULL), ERR_OK);
	int32_t a[N];
	struct match_as_result res;
	assert_int_equal(match_as_solve(&as, NULL, MATCH_AS_AUTO, a, &res, NULL), ERR_OK);
	struct match_unmatched *u;
	size_t nu;
	assert_int_equal(match_explain(&c, m, a, 0, &u, &nu, NULL), ERR_OK);
	assert_int_equal(nu, N - res.matched);
	int saw_far = 0;
	for (size_t k = 0; k < nu; k++) {
		if (u[k].mentee == 0) {
			assert_int_equal(u[k].reason, MATCH_REASON_NO_CANDIDATE);
			assert_true(u[k].n_alt > 0);
			saw_far = 1;
		} else {
			assert_int_equal(u[k].reason, MATCH_REASON_FULL);
			for (uint32_t t = 0; t < u[k].n_alt; t++)
				assert_true(u[k].alt_full[t]);
		}
	}
	assert_true(saw_far);
	free(u);

	/* Menu choice: only mentee 1 ranked anyone. */
	struct match_hr hr;
	match_hr_init(&hr);
	assert_int_equal(match_cands_to_hr(&c, m, &hr, NULL), ERR_OK);
	assert_int_equal(hr.eoff[2] - hr.eoff[1], 2);
	assert_int_equal(hr.epref[hr.eoff[1]].mentor, 7);
	assert_int_equal(match_hr_solve(&hr, NULL, a, NULL), ERR_OK);
	assert_int_equal(match_explain(&c, m, a, 1, &u, &nu, NULL), ERR_OK);
	for (size_t k = 0; k < nu; k++)
		if (u[k].mentee > 1)
			assert_int_equal(u[k].reason, MATCH_REASON_NO_CHOICE);
	free(u);
	assert_string_equal(match_reason_name(MATCH_REASON_FULL), "full");
	match_hr_release(&hr);
	match_as_release(&as);
	match_cands_release(&c);
	match_cands_release(&c2);

	struct match_choice dup[2] = {{1, 7, 1, 0}, {1, 7, 2, 0}};
	assert_int_equal(match_candidates(&p, e, N, m, M, dup, 2, NULL, &c, NULL), ERR_INVALID);
	assert_int_equal(match_candidates_k(&p, 100, m, M), 3);
}

/* ---- Teams ------------------------------------------------------------ */

static void test_team_cover(void **state)
{
	(void)state;
	struct match_team_params tp;
	match_team_params_default(&tp);
	tp.max_size = MATCH_TEAM_MAX;
	rng_state = 31;
	for (int t = 0; t < 200; t++) {
		enum { M = 12 };
		struct match_mentee_info key[1];
		struct match_mentor_info m[M];
		random_people(key, 1, m, M);
		for (int j = 0; j < M; j++)
			m[j].capacity = 1 + rnd(2);
		uint64_t all = 0;
		for (int j = 0; j < M; j++)
			all |= m[j].domains;
		uint64_t need = key[0].weak;
		struct match_team team;
		assert_int_equal(match_team_cover(&tp, key, need, m, M, NULL, &team, NULL), ERR_OK);
		assert_int_equal(team.covered, need & all);
		/* No member is redundant. */
		for (uint32_t k = 0; k < team.n; k++) {
			uint64_t others = 0;
			for (uint32_t q = 0; q < team.n; q++)
				if (q != k)
					others |= m[team.member[q]].domains;
			assert_true((others & need) != (team.covered));
		}
	}
	/* Mixing types: two equal experts and one equal "mass" mentor, the
	 * need split across them: the second pick prefers the other type. */
	struct match_mentee_info key = {30, 120, 1, 11, 0x3, 50};
	struct match_mentor_info m[3] = {
		{30, 120, 1, 11, 0x1, 80, MATCH_TYPE_EXPERT, 1},
		{30, 120, 1, 11, 0x2, 80, MATCH_TYPE_EXPERT, 1},
		{30, 120, 1, 11, 0x2, 80, MATCH_TYPE_MASS, 1},
	};
	struct match_team team;
	match_team_params_default(&tp);
	assert_int_equal(match_team_cover(&tp, &key, 0x3, m, 3, NULL, &team, NULL), ERR_OK);
	assert_int_equal(team.n, 2);
	assert_int_equal(team.member[0], 0);
	assert_int_equal(team.member[1], 2);
	tp.max_size = 0;
	assert_int_equal(match_team_cover(&tp, &key, 0x3, m, 3, NULL, &team, NULL), ERR_INVALID);
}

static void test_teams_group(void **state)
{
	(void)state;
	struct match_params p;
	struct match_team_params tp;
	match_params_default(&p);
	match_team_params_default(&tp);
	rng_state = 41;
	enum { N = 40, M = 30 };
	struct match_mentee_info e[N];
	struct match_mentor_info m[M];
	random_people(e, N, m, M);
	for (int j = 0; j < M; j++)
		m[j].capacity = 1;
	struct match_group *g;
	size_t ng;
	assert_int_equal(match_teams_group(&p, &tp, e, N, m, M, &g, &ng, NULL), ERR_OK);
	uint8_t seen[N] = {0}, used[M] = {0};
	for (size_t k = 0; k < ng; k++) {
		assert_true(g[k].n_mentees >= 1 && g[k].n_mentees <= tp.group_size);
		uint64_t need = 0;
		for (uint32_t q = 0; q < g[k].n_mentees; q++) {
			assert_false(seen[g[k].mentee[q]]);
			seen[g[k].mentee[q]] = 1;
			need |= e[g[k].mentee[q]].weak;
		}
		assert_int_equal(g[k].team.need, need);
		for (uint32_t q = 0; q < g[k].team.n; q++) {
			assert_false(used[g[k].team.member[q]]);
			used[g[k].team.member[q]] = 1;
		}
	}
	for (int i = 0; i < N; i++)
		assert_true(seen[i] || e[i].weak == 0);
	free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hr_random_brute_force),
		cmocka_unit_test(test_hr_roundtrip_file),
		cmocka_unit_test(test_hr_score_order),
		cmocka_unit_test(test_hr_build_rejects),
		cmocka_unit_test(test_hr_locks_bans),
		cmocka_unit_test(test_hr_rule_conflicts),
		cmocka_unit_test(test_as_random_vs_bellman_ford),
		cmocka_unit_test(test_as_methods_agree_and_deterministic),
		cmocka_unit_test(test_as_auction_rejects_quotas),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_prefixes_never_crash),
		cmocka_unit_test(test_valid_edge_cases),
		cmocka_unit_test(test_match_file_run),
		cmocka_unit_test(test_score_breakdown_sums),
		cmocka_unit_test(test_candidates_and_explain),
		cmocka_unit_test(test_team_cover),
		cmocka_unit_test(test_teams_group),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
