/*
 * team.c — key cultivation (N:1) and small teams (N:N) (layer: match).
 * Greedy weighted set cover of weakness domains by mentors, and the
 * grouping of mentees with similar needs. Plain arrays; no I/O.
 */
#include "match/match.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

void match_team_params_default(struct match_team_params *tp)
{
	tp->max_size = 5;
	tp->km_unit = 20;
	tp->type_extra = 0.25;
	tp->group_size = 4;
}

static double base_cost(const struct match_team_params *tp, double lat, double lon,
			const struct match_mentor_info *m)
{
	double d = match_distance_km(lat, lon, m->lat, m->lon);
	double unit = tp->km_unit > 0 ? tp->km_unit : 20;
	return 1 + d / unit + (100 - (m->strength > 100 ? 100 : m->strength)) / 100.0;
}

/* Cover `need` from (lat, lon); the worker of both entry points. */
static enum err cover(const struct match_team_params *tp, double lat, double lon,
		      uint64_t need, const struct match_mentor_info *mentors,
		      uint32_t n_mentors, const uint8_t *avail,
		      struct match_team *out, struct errinfo *ei)
{
	memset(out, 0, sizeof *out);
	out->need = need;
	if (tp->max_size == 0 || tp->max_size > MATCH_TEAM_MAX)
		return errinfo_set(ei, ERR_INVALID, "max_size",
				   "team size must be 1..%d", MATCH_TEAM_MAX);
	uint64_t left = need;
	unsigned types = 0; /* bit t: type t already in the team */
	while (left && out->n < tp->max_size) {
		int64_t best = -1;
		double best_ratio = 0;
		for (uint32_t j = 0; j < n_mentors; j++) {
			const struct match_mentor_info *m = &mentors[j];
			if (m->capacity == 0 || (avail && !avail[j]))
				continue;
			int gain = __builtin_popcountll(m->domains & left);
			if (!gain)
				continue;
			double cost = base_cost(tp, lat, lon, m);
			if (m->type < MATCH_TYPE__MAX && (types >> m->type & 1))
				cost *= 1 + tp->type_extra;
			double ratio = gain / cost;
			if (best < 0 || ratio > best_ratio) {
				best = j;
				best_ratio = ratio;
			}
		}
		if (best < 0)
			break;
		const struct match_mentor_info *m = &mentors[best];
		out->member[out->n++] = (uint32_t)best;
		left &= ~m->domains;
		if (m->type < MATCH_TYPE__MAX)
			types |= 1u << m->type;
	}
	/* Drop members whose covered domains the others also cover, latest
	 * first (they were chosen for what remained). */
	for (uint32_t k = out->n; k-- > 0;) {
		uint64_t others = 0, all = 0;
		for (uint32_t t = 0; t < out->n; t++) {
			all |= mentors[out->member[t]].domains;
			if (t != k)
				others |= mentors[out->member[t]].domains;
		}
		if ((others & need) == (all & need)) {
			memmove(&out->member[k], &out->member[k + 1],
				(out->n - k - 1) * sizeof out->member[0]);
			out->n--;
		}
	}
	for (uint32_t t = 0; t < out->n; t++) {
		const struct match_mentor_info *m = &mentors[out->member[t]];
		out->covered |= m->domains & need;
		out->cost += base_cost(tp, lat, lon, m);
	}
	return ERR_OK;
}

enum err match_team_cover(const struct match_team_params *tp,
			  const struct match_mentee_info *key, uint64_t need,
			  const struct match_mentor_info *mentors,
			  uint32_t n_mentors, const uint8_t *avail,
			  struct match_team *out, struct errinfo *ei)
{
	return cover(tp, key->lat, key->lon, need, mentors, n_mentors, avail, out, ei);
}

static double jaccard(uint64_t a, uint64_t b)
{
	int u = __builtin_popcountll(a | b);
	return u ? (double)__builtin_popcountll(a & b) / u : 0;
}

struct order {
	uint32_t i;
	int nw;
};

static int order_cmp(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	if (x->nw != y->nw)
		return x->nw > y->nw ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

struct mate {
	double sim, d;
	uint32_t i;
};

static int mate_cmp(const void *a, const void *b)
{
	const struct mate *x = a, *y = b;
	if (x->sim != y->sim)
		return x->sim > y->sim ? -1 : 1;
	if (x->d != y->d)
		return x->d < y->d ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

enum err match_teams_group(const struct match_params *p,
			   const struct match_team_params *tp,
			   const struct match_mentee_info *mentees,
			   uint32_t n_mentees,
			   const struct match_mentor_info *mentors,
			   uint32_t n_mentors, struct match_group **out,
			   size_t *n_out, struct errinfo *ei)
{
	*out = NULL;
	*n_out = 0;
	if (tp->group_size == 0 || tp->group_size > MATCH_TEAM_MAX)
		return errinfo_set(ei, ERR_INVALID, "group_size",
				   "group size must be 1..%d", MATCH_TEAM_MAX);
	if (n_mentees > MATCH_MAX_MENTEES || n_mentors > MATCH_MAX_MENTORS)
		return errinfo_set(ei, ERR_TOO_LARGE, "instance", "too many people");
	struct order *ord = xmalloc(xmul((size_t)n_mentees + 1, sizeof *ord));
	struct mate *cand = xmalloc(xmul((size_t)n_mentees + 1, sizeof *cand));
	uint8_t *grouped = xcalloc((size_t)n_mentees + 1, 1);
	uint8_t *avail = xmalloc((size_t)n_mentors + 1);
	memset(avail, 1, (size_t)n_mentors + 1);
	uint32_t no = 0;
	for (uint32_t i = 0; i < n_mentees; i++)
		if (mentees[i].weak) {
			ord[no].i = i;
			ord[no++].nw = __builtin_popcountll(mentees[i].weak);
		}
	qsort(ord, no, sizeof *ord, order_cmp);
	struct match_group *g = NULL;
	size_t ng = 0, gcap = 0;
	enum err e = ERR_OK;
	for (uint32_t k = 0; k < no; k++) {
		uint32_t s = ord[k].i;
		if (grouped[s])
			continue;
		const struct match_mentee_info *ms = &mentees[s];
		uint32_t nc = 0;
		for (uint32_t t = 0; t < n_mentees; t++) {
			if (t == s || grouped[t] || !mentees[t].weak)
				continue;
			double d = match_distance_km(ms->lat, ms->lon, mentees[t].lat,
						     mentees[t].lon);
			double sim = jaccard(ms->weak, mentees[t].weak);
			if (d > p->reach_km || sim <= 0)
				continue;
			cand[nc].sim = sim;
			cand[nc].d = d;
			cand[nc++].i = t;
		}
		qsort(cand, nc, sizeof *cand, mate_cmp);
		if (ng == gcap) {
			gcap = gcap ? gcap * 2 : 16;
			g = xreallocarray(g, gcap, sizeof *g);
		}
		struct match_group *x = &g[ng++];
		memset(x, 0, sizeof *x);
		x->mentee[x->n_mentees++] = s;
		grouped[s] = 1;
		for (uint32_t c = 0; c < nc && x->n_mentees < tp->group_size; c++) {
			x->mentee[x->n_mentees++] = cand[c].i;
			grouped[cand[c].i] = 1;
		}
		double lat = 0, lon = 0;
		uint64_t need = 0;
		for (uint32_t c = 0; c < x->n_mentees; c++) {
			lat += mentees[x->mentee[c]].lat;
			lon += mentees[x->mentee[c]].lon;
			need |= mentees[x->mentee[c]].weak;
		}
		lat /= x->n_mentees;
		lon /= x->n_mentees;
		if ((e = cover(tp, lat, lon, need, mentors, n_mentors, avail, &x->team, ei)))
			break;
		for (uint32_t c = 0; c < x->team.n; c++)
			avail[x->team.member[c]] = 0;
	}
	free(ord);
	free(cand);
	free(grouped);
	free(avail);
	if (e) {
		free(g);
		return e;
	}
	*out = g;
	*n_out = ng;
	return ERR_OK;
}
