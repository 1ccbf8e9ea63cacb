/*
 * score.c — the five-principle score, candidate generation, solver inputs
 * from candidates, and the reasons an unmatched mentee is unmatched
 * (layer: match). Pure computation on plain arrays; no I/O.
 *
 * Scores are integers so that solvers and the UI see the same numbers: a
 * pair's breakdown holds the points of each principle and the total is
 * their exact sum (the UI shows the parts, the solvers use the total).
 */
#include "match/match.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

static const char *const principle_names[MATCH_P__MAX] = {
	[MATCH_P_DOMAIN] = "domain",
	[MATCH_P_CONVENIENCE] = "convenience",
	[MATCH_P_STRONG_WEAK] = "strong_weak",
	[MATCH_P_VOLUNTARY] = "voluntary",
	[MATCH_P_ORG] = "organisation",
};
_Static_assert(sizeof principle_names / sizeof principle_names[0] == MATCH_P__MAX,
	       "one name per principle");

const char *match_principle_name(enum match_principle p)
{
	if ((unsigned)p >= MATCH_P__MAX)
		return "unknown";
	return principle_names[p];
}

static const char *const reason_names[MATCH_REASON__MAX] = {
	[MATCH_REASON_MATCHED] = "matched",
	[MATCH_REASON_NO_CANDIDATE] = "no_candidate",
	[MATCH_REASON_BANNED] = "banned",
	[MATCH_REASON_NO_CHOICE] = "no_choice",
	[MATCH_REASON_FULL] = "full",
};
_Static_assert(sizeof reason_names / sizeof reason_names[0] == MATCH_REASON__MAX,
	       "one name per reason");

const char *match_reason_name(enum match_reason r)
{
	if ((unsigned)r >= MATCH_REASON__MAX)
		return "unknown";
	return reason_names[r];
}

uint64_t match_rng_next(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

void match_params_default(struct match_params *p)
{
	memset(p, 0, sizeof *p);
	p->weight[MATCH_P_DOMAIN] = 0.35;
	p->weight[MATCH_P_CONVENIENCE] = 0.20;
	p->weight[MATCH_P_STRONG_WEAK] = 0.20;
	p->weight[MATCH_P_VOLUNTARY] = 0.15;
	p->weight[MATCH_P_ORG] = 0.10;
	p->reach_km = 50;
	p->township_bonus = 0.30;
	p->county_bonus = 0.15;
	p->max_rank = 10;
	p->k = 0;
	p->seed = 1;
}

double match_distance_km(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 6371.0088, rad = M_PI / 180;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double h = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
	if (h > 1)
		h = 1;
	return 2 * r * asin(sqrt(h));
}

static double clamp01(double x)
{
	return x < 0 ? 0 : x > 1 ? 1 : x;
}

static double rank_part(uint32_t rank, uint32_t max_rank)
{
	if (rank == 0 || max_rank == 0 || rank > max_rank)
		return 0;
	return (double)(max_rank + 1 - rank) / max_rank;
}

/* The principle values c_p in [0,1] of a pair, at distance d km. */
static void principle_values(const struct match_params *p,
			     const struct match_mentee_info *e,
			     const struct match_mentor_info *m, double d,
			     uint32_t mentee_rank, uint32_t mentor_rank,
			     int locked, double c[MATCH_P__MAX])
{
	int nw = __builtin_popcountll(e->weak);
	c[MATCH_P_DOMAIN] = nw ? (double)__builtin_popcountll(e->weak & m->domains) / nw : 0;
	double conv = p->reach_km > 0 ? clamp01(1 - d / p->reach_km) : 0;
	if (e->township && e->township == m->township)
		conv += p->township_bonus;
	else if (e->county && e->county == m->county)
		conv += p->county_bonus;
	c[MATCH_P_CONVENIENCE] = clamp01(conv);
	c[MATCH_P_STRONG_WEAK] = clamp01(m->strength / 100.0) * clamp01(e->need / 100.0) *
				 (0.5 + 0.5 * c[MATCH_P_DOMAIN]);
	c[MATCH_P_VOLUNTARY] = (rank_part(mentee_rank, p->max_rank) +
				rank_part(mentor_rank, p->max_rank)) / 2;
	c[MATCH_P_ORG] = locked ? 1 : 0;
}

static void breakdown_of(const struct match_params *p,
			 const double c[MATCH_P__MAX], struct match_breakdown *out)
{
	double sum = 0;
	for (int k = 0; k < MATCH_P__MAX; k++)
		if (p->weight[k] > 0)
			sum += p->weight[k];
	out->total = 0;
	for (int k = 0; k < MATCH_P__MAX; k++) {
		double w = p->weight[k] > 0 && sum > 0 ? p->weight[k] / sum : 0;
		int32_t pts = (int32_t)floor(MATCH_MAX_SCORE * w * clamp01(c[k]));
		out->part[k] = pts;
		out->total += pts;
	}
	if (out->total > MATCH_MAX_SCORE) { /* rounding cannot, but be sure */
		out->part[MATCH_P_DOMAIN] -= out->total - MATCH_MAX_SCORE;
		out->total = MATCH_MAX_SCORE;
	}
}

void match_score_pair(const struct match_params *p,
		      const struct match_mentee_info *e,
		      const struct match_mentor_info *m, uint32_t mentee_rank,
		      uint32_t mentor_rank, int locked,
		      struct match_breakdown *out)
{
	double c[MATCH_P__MAX];
	double d = match_distance_km(e->lat, e->lon, m->lat, m->lon);
	principle_values(p, e, m, d, mentee_rank, mentor_rank, locked, c);
	breakdown_of(p, c, out);
}

/* ---- Candidates ------------------------------------------------------- */

void match_cands_init(struct match_cands *c)
{
	memset(c, 0, sizeof *c);
}

void match_cands_release(struct match_cands *c)
{
	free(c->off);
	free(c->c);
	free(c->n_reach);
	free(c->n_banned);
	free(c->far);
	match_cands_init(c);
}

uint32_t match_candidates_k(const struct match_params *p, uint32_t n_mentees,
			    const struct match_mentor_info *mentors,
			    uint32_t n_mentors)
{
	if (p->k)
		return p->k < n_mentors ? p->k : n_mentors;
	uint64_t places = 0;
	for (uint32_t j = 0; j < n_mentors; j++)
		places += mentors[j].capacity;
	uint64_t k = 20;
	if (places > 0) {
		uint64_t scarce = (20 * (uint64_t)n_mentees + places - 1) / places;
		if (scarce > k)
			k = scarce;
	}
	return k < n_mentors ? (uint32_t)k : n_mentors;
}

static int pair_cmp(const void *a, const void *b)
{
	const struct match_pair *x = a, *y = b;
	if (x->mentee != y->mentee)
		return x->mentee < y->mentee ? -1 : 1;
	return (x->mentor > y->mentor) - (x->mentor < y->mentor);
}

static int choice_cmp(const void *a, const void *b)
{
	const struct match_choice *x = a, *y = b;
	if (x->mentee != y->mentee)
		return x->mentee < y->mentee ? -1 : 1;
	return (x->mentor > y->mentor) - (x->mentor < y->mentor);
}

struct scored {
	struct match_cand c;
	uint64_t tie; /* seeded hash: reproducible order among equal scores */
	int forced;   /* ranked or locked: kept beyond K */
};

static int scored_cmp(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;
	if (x->c.score.total != y->c.score.total)
		return x->c.score.total > y->c.score.total ? -1 : 1;
	if (x->tie != y->tie)
		return x->tie < y->tie ? -1 : 1;
	return (x->c.mentor > y->c.mentor) - (x->c.mentor < y->c.mentor);
}

static uint64_t tie_hash(uint64_t seed, uint32_t mentee, uint32_t mentor)
{
	uint64_t s = seed ^ ((uint64_t)mentee << 32 | mentor);
	return match_rng_next(&s);
}

static int pair_in(const struct match_pair *v, size_t n, uint32_t i, uint32_t j)
{
	struct match_pair key = {i, j};
	return n && bsearch(&key, v, n, sizeof *v, pair_cmp) != NULL;
}

enum err match_candidates(const struct match_params *p,
			  const struct match_mentee_info *mentees,
			  uint32_t n_mentees,
			  const struct match_mentor_info *mentors,
			  uint32_t n_mentors, const struct match_choice *choices,
			  size_t n_choices, const struct match_rules *rules,
			  struct match_cands *out, struct errinfo *ei)
{
	enum err e = ERR_OK;
	struct match_choice *ch = NULL;
	struct match_pair *bans = NULL, *locks = NULL;
	size_t n_bans = rules ? rules->n_bans : 0, n_locks = rules ? rules->n_locks : 0;
	struct scored *tmp = NULL;
	uint32_t *coff = NULL;

	match_cands_release(out);
	if (n_mentees > MATCH_MAX_MENTEES || n_mentors > MATCH_MAX_MENTORS)
		return errinfo_set(ei, ERR_TOO_LARGE, "instance",
				   "at most %u mentees and %u mentors",
				   MATCH_MAX_MENTEES, MATCH_MAX_MENTORS);
	ch = xmalloc(xmul(n_choices + 1, sizeof *ch));
	if (n_choices)
		memcpy(ch, choices, n_choices * sizeof *ch);
	qsort(ch, n_choices, sizeof *ch, choice_cmp);
	for (size_t k = 0; k < n_choices; k++) {
		if (ch[k].mentee >= n_mentees || ch[k].mentor >= n_mentors) {
			e = errinfo_set(ei, ERR_INVALID, "choices",
					"choice (%u, %u) out of range", ch[k].mentee,
					ch[k].mentor);
			goto out;
		}
		if (k && !choice_cmp(&ch[k - 1], &ch[k])) {
			e = errinfo_set(ei, ERR_INVALID, "choices",
					"choice (%u, %u) given twice", ch[k].mentee,
					ch[k].mentor);
			goto out;
		}
	}
	coff = xcalloc((size_t)n_mentees + 2, sizeof *coff);
	for (size_t k = 0; k < n_choices; k++)
		coff[ch[k].mentee + 1]++;
	for (uint32_t i = 0; i < n_mentees; i++)
		coff[i + 1] += coff[i];
	bans = xmalloc(xmul(n_bans + 1, sizeof *bans));
	locks = xmalloc(xmul(n_locks + 1, sizeof *locks));
	if (n_bans)
		memcpy(bans, rules->bans, n_bans * sizeof *bans);
	if (n_locks)
		memcpy(locks, rules->locks, n_locks * sizeof *locks);
	qsort(bans, n_bans, sizeof *bans, pair_cmp);
	qsort(locks, n_locks, sizeof *locks, pair_cmp);
	for (size_t k = 0; k < n_locks; k++)
		if (locks[k].mentee >= n_mentees || locks[k].mentor >= n_mentors) {
			e = errinfo_set(ei, ERR_INVALID, "locks", "lock (%u, %u) out of range",
					locks[k].mentee, locks[k].mentor);
			goto out;
		}

	const uint32_t K = match_candidates_k(p, n_mentees, mentors, n_mentors);
	out->n_mentees = n_mentees;
	out->n_mentors = n_mentors;
	out->off = xcalloc((size_t)n_mentees + 1, sizeof *out->off);
	out->n_reach = xcalloc((size_t)n_mentees + 1, sizeof *out->n_reach);
	out->n_banned = xcalloc((size_t)n_mentees + 1, sizeof *out->n_banned);
	out->far = xmalloc(xmul((size_t)n_mentees + 1, MATCH_MAX_ALTS * sizeof *out->far));
	tmp = xmalloc(xmul((size_t)n_mentors + 1, sizeof *tmp));
	size_t cap = 0, used = 0;

	for (uint32_t i = 0; i < n_mentees; i++) {
		const struct match_mentee_info *me = &mentees[i];
		uint32_t nt = 0, nf = 0;
		struct scored far[MATCH_MAX_ALTS + 1];
		uint32_t c = coff[i];
		for (uint32_t j = 0; j < n_mentors; j++) {
			double d = match_distance_km(me->lat, me->lon, mentors[j].lat,
						     mentors[j].lon);
			int reach = d <= p->reach_km;
			uint16_t er = 0, mr = 0;
			while (c < coff[i + 1] && ch[c].mentor < j)
				c++;
			if (c < coff[i + 1] && ch[c].mentor == j) {
				er = ch[c].mentee_rank;
				mr = ch[c].mentor_rank;
			}
			int locked = pair_in(locks, n_locks, i, j);
			if (pair_in(bans, n_bans, i, j)) {
				out->n_banned[i] += reach;
				out->n_reach[i] += reach;
				continue;
			}
			out->n_reach[i] += reach;
			double cv[MATCH_P__MAX];
			struct scored s;
			memset(&s, 0, sizeof s);
			principle_values(p, me, &mentors[j], d, er, mr, locked, cv);
			breakdown_of(p, cv, &s.c.score);
			s.c.mentor = j;
			s.c.mentee_rank = er;
			s.c.mentor_rank = mr;
			s.tie = tie_hash(p->seed, i, j);
			s.forced = er > 0 || locked;
			if (reach || s.forced) {
				tmp[nt++] = s;
				continue;
			}
			/* Out of reach: keep the best few as alternatives. */
			uint32_t k = nf < MATCH_MAX_ALTS ? nf++ : MATCH_MAX_ALTS;
			far[k] = s;
			while (k > 0 && scored_cmp(&far[k], &far[k - 1]) < 0) {
				struct scored t = far[k];
				far[k] = far[k - 1];
				far[k - 1] = t;
				k--;
			}
		}
		for (uint32_t k = 0; k < MATCH_MAX_ALTS; k++)
			out->far[(size_t)i * MATCH_MAX_ALTS + k] =
				k < nf ? (int32_t)far[k].c.mentor : -1;
		qsort(tmp, nt, sizeof *tmp, scored_cmp);
		uint32_t keep = 0;
		for (uint32_t k = 0; k < nt; k++)
			if (k < K || tmp[k].forced)
				tmp[keep++] = tmp[k];
		if (used + keep > MATCH_MAX_EDGES) {
			e = errinfo_set(ei, ERR_TOO_LARGE, "candidates",
					"more than %u candidate pairs", MATCH_MAX_EDGES);
			goto out;
		}
		if (used + keep > cap) {
			cap = cap ? cap * 2 : 1024;
			if (cap < used + keep)
				cap = used + keep;
			out->c = xreallocarray(out->c, cap, sizeof *out->c);
		}
		for (uint32_t k = 0; k < keep; k++)
			out->c[used++] = tmp[k].c;
		out->off[i + 1] = (uint32_t)used;
	}
	if (!out->c)
		out->c = xmalloc(sizeof *out->c);
out:
	free(ch);
	free(coff);
	free(bans);
	free(locks);
	free(tmp);
	if (e)
		match_cands_release(out);
	return e;
}

/* ---- Solver inputs from candidates ------------------------------------- */

enum err match_cands_to_as(const struct match_cands *c,
			   const struct match_mentor_info *mentors,
			   struct match_as *out, struct errinfo *ei)
{
	match_as_release(out);
	uint32_t n = c->n_mentees, m = c->n_mentors, na = c->off[n];
	out->n_mentees = n;
	out->n_mentors = m;
	out->cap = xmalloc(xmul((size_t)m + 1, sizeof *out->cap));
	for (uint32_t j = 0; j < m; j++)
		out->cap[j] = mentors[j].capacity;
	out->eoff = xmemdup(c->off, xmul((size_t)n + 1, sizeof *c->off));
	out->arc = xmalloc(xmul((size_t)na + 1, sizeof *out->arc));
	for (uint32_t q = 0; q < na; q++) {
		out->arc[q].mentor = c->c[q].mentor;
		int32_t s = c->c[q].score.total;
		out->arc[q].score = s < MATCH_MIN_SCORE ? MATCH_MIN_SCORE : s;
	}
	return ERR_OK;
}

struct app {
	uint32_t mentor, mentee;
	uint32_t mrank; /* mentor's rank, UINT32_MAX = none */
	int32_t score;
};

static int app_cmp(const void *a, const void *b)
{
	const struct app *x = a, *y = b;
	if (x->mentor != y->mentor)
		return x->mentor < y->mentor ? -1 : 1;
	if (x->mrank != y->mrank)
		return x->mrank < y->mrank ? -1 : 1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return (x->mentee > y->mentee) - (x->mentee < y->mentee);
}

struct menu_item {
	uint16_t rank;
	int32_t score;
	uint32_t mentor;
};

static int menu_cmp(const void *a, const void *b)
{
	const struct menu_item *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return (x->mentor > y->mentor) - (x->mentor < y->mentor);
}

enum err match_cands_to_hr(const struct match_cands *c,
			   const struct match_mentor_info *mentors,
			   struct match_hr *out, struct errinfo *ei)
{
	uint32_t n = c->n_mentees, m = c->n_mentors;
	uint32_t *eoff = xcalloc((size_t)n + 1, sizeof *eoff);
	for (uint32_t i = 0; i < n; i++) {
		eoff[i + 1] = eoff[i];
		for (uint32_t q = c->off[i]; q < c->off[i + 1]; q++)
			eoff[i + 1] += c->c[q].mentee_rank > 0;
	}
	uint32_t na = eoff[n];
	uint32_t *elist = xmalloc(xmul((size_t)na + 1, sizeof *elist));
	struct app *apps = xmalloc(xmul((size_t)na + 1, sizeof *apps));
	struct menu_item *menu = xmalloc(xmul((size_t)m + 1, sizeof *menu));
	uint32_t *cap = xmalloc(xmul((size_t)m + 1, sizeof *cap));
	for (uint32_t j = 0; j < m; j++)
		cap[j] = mentors[j].capacity;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t k = 0;
		for (uint32_t q = c->off[i]; q < c->off[i + 1]; q++)
			if (c->c[q].mentee_rank > 0) {
				menu[k].rank = c->c[q].mentee_rank;
				menu[k].score = c->c[q].score.total;
				menu[k].mentor = c->c[q].mentor;
				struct app *a = &apps[eoff[i] + k];
				a->mentor = c->c[q].mentor;
				a->mentee = i;
				a->mrank = c->c[q].mentor_rank ? c->c[q].mentor_rank : UINT32_MAX;
				a->score = c->c[q].score.total;
				k++;
			}
		qsort(menu, k, sizeof *menu, menu_cmp);
		for (uint32_t r = 0; r < k; r++)
			elist[eoff[i] + r] = menu[r].mentor;
	}
	qsort(apps, na, sizeof *apps, app_cmp);
	uint32_t *moff = xcalloc((size_t)m + 1, sizeof *moff);
	uint32_t *mlist = xmalloc(xmul((size_t)na + 1, sizeof *mlist));
	for (uint32_t q = 0; q < na; q++) {
		moff[apps[q].mentor + 1]++;
		mlist[q] = apps[q].mentee;
	}
	for (uint32_t j = 0; j < m; j++)
		moff[j + 1] += moff[j];
	enum err e = match_hr_build(out, n, m, cap, eoff, elist, moff, mlist, NULL, ei);
	free(eoff);
	free(elist);
	free(apps);
	free(menu);
	free(cap);
	free(moff);
	free(mlist);
	return e;
}

/* ---- Nobody left behind ------------------------------------------------- */

enum err match_explain(const struct match_cands *c,
		       const struct match_mentor_info *mentors,
		       const int32_t *mentor_of, int menu,
		       struct match_unmatched **out, size_t *n_out,
		       struct errinfo *ei)
{
	uint32_t n = c->n_mentees, m = c->n_mentors;
	uint32_t *load = xcalloc((size_t)m + 1, sizeof *load);
	size_t nu = 0;
	*out = NULL;
	*n_out = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (mentor_of[i] == MATCH_NONE) {
			nu++;
			continue;
		}
		if (mentor_of[i] < 0 || (uint32_t)mentor_of[i] >= m) {
			free(load);
			return errinfo_set(ei, ERR_INVALID, "mentor_of",
					   "mentee %u: mentor %d out of range", i,
					   mentor_of[i]);
		}
		load[mentor_of[i]]++;
	}
	if (!nu) {
		free(load);
		return ERR_OK;
	}
	struct match_unmatched *u = xcalloc(nu, sizeof *u);
	size_t k = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (mentor_of[i] != MATCH_NONE)
			continue;
		struct match_unmatched *x = &u[k++];
		uint32_t lo = c->off[i], hi = c->off[i + 1];
		int ranked = 0;
		for (uint32_t q = lo; q < hi; q++)
			ranked |= c->c[q].mentee_rank > 0;
		x->mentee = i;
		if (hi == lo && c->n_reach[i] == 0)
			x->reason = MATCH_REASON_NO_CANDIDATE;
		else if (hi == lo && c->n_reach[i] == c->n_banned[i])
			x->reason = MATCH_REASON_BANNED;
		else if (menu && !ranked)
			x->reason = MATCH_REASON_NO_CHOICE;
		else
			x->reason = MATCH_REASON_FULL;
		if (hi > lo) {
			for (uint32_t q = lo; q < hi && x->n_alt < MATCH_MAX_ALTS; q++) {
				uint32_t j = c->c[q].mentor;
				x->alt[x->n_alt] = (int32_t)j;
				x->alt_score[x->n_alt] = c->c[q].score.total;
				x->alt_full[x->n_alt++] = load[j] >= mentors[j].capacity;
			}
		} else {
			for (uint32_t a = 0; a < MATCH_MAX_ALTS; a++) {
				int32_t j = c->far[(size_t)i * MATCH_MAX_ALTS + a];
				if (j < 0)
					break;
				x->alt[x->n_alt] = j;
				x->alt_score[x->n_alt] = 0;
				x->alt_full[x->n_alt++] = load[j] >= mentors[j].capacity;
			}
		}
	}
	free(load);
	*out = u;
	*n_out = nu;
	return ERR_OK;
}
