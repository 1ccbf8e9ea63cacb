/*
 * as.c — automatic assignment (layer: match): most mentees placed, then the
 * largest total score, under capacities, locks, bans and group quotas.
 * Owns struct match_as's lifecycle and two exact solvers of this
 * bipartite min-cost max-flow; no I/O.
 *
 * Shape of the problem: mentees have one unit each and ~20 arcs, mentors
 * have capacities, scores are small integers. The general solvers (network
 * simplex, cost scaling) pay for generality; here:
 *
 *   auction   (no quotas) Bertsekas' auction with ε-scaling. Mentees bid
 *             for places; a mentor is a set of "similar objects", one price
 *             per place, kept as a min-heap so a bid takes the cheapest
 *             place. Every mentee also has an outside option of value -M
 *             (never priced), which makes every subproblem feasible and
 *             puts "more mentees placed" before any score. Between phases
 *             only the mentees that violate the tighter ε-CS are unassigned,
 *             and a reverse auction brings every free place back to price 0
 *             (the condition that makes the asymmetric problem optimal).
 *   ssp       successive shortest paths with Dijkstra and potentials on the
 *             residual network mentee → mentor → group → sink, one mentee
 *             at a time, same outside option. Used with quotas.
 *
 * Both are exact; tests check (matched, total) against an independent
 * Bellman–Ford min-cost flow on many random instances.
 */
#include "match/match.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

void match_as_init(struct match_as *as)
{
	memset(as, 0, sizeof *as);
}

void match_as_release(struct match_as *as)
{
	free(as->cap);
	free(as->eoff);
	free(as->arc);
	free(as->group);
	free(as->quota);
	match_as_init(as);
}

/* ---- The problem after locks, bans and capacity clamping ---------------- */

struct prep {
	uint32_t n, m, g;      /* persons, mentors, groups (0 = no quotas) */
	uint32_t *who;         /* [n] the mentee of each person */
	uint32_t *room;        /* [m] places left, clamped to the mentor's arcs */
	uint32_t *groom;       /* [g] quota left */
	const uint32_t *group; /* [m] borrowed, or NULL */
	uint32_t *aoff;        /* [n+1] active arcs of each person */
	uint32_t *amentor;
	int32_t *ascore;
	uint32_t n_persons;    /* = n: mentees with at least one active arc */
	int32_t max_score;
	uint64_t matched;      /* from locks */
	int64_t total;
};

static void prep_release(struct prep *pp)
{
	free(pp->room);
	free(pp->groom);
	free(pp->aoff);
	free(pp->who);
	free(pp->amentor);
	free(pp->ascore);
	memset(pp, 0, sizeof *pp);
}

static enum err prep_build(struct prep *pp, const struct match_as *as,
			   const struct match_rules *rules, int32_t *mentor_of,
			   struct errinfo *ei)
{
	const uint32_t n = as->n_mentees, m = as->n_mentors, G = as->n_groups;
	const uint32_t n_arcs = as->eoff[n];
	enum err e = ERR_OK;
	uint64_t *banned = NULL;

	memset(pp, 0, sizeof *pp);
	pp->m = m;
	pp->g = G;
	pp->group = G ? as->group : NULL;
	pp->room = xmalloc(xmul((size_t)m + 1, sizeof *pp->room));
	memcpy(pp->room, as->cap, (size_t)m * sizeof *pp->room);
	if (G) {
		pp->groom = xmalloc(xmul(G, sizeof *pp->groom));
		memcpy(pp->groom, as->quota, (size_t)G * sizeof *pp->groom);
		for (uint32_t j = 0; j < m; j++)
			if (as->group[j] >= G)
				return errinfo_set(ei, ERR_INVALID, "group",
						   "mentor %u in group %u, out of range",
						   j, as->group[j]);
	}
	for (uint32_t i = 0; i < n; i++)
		mentor_of[i] = MATCH_NONE;
	for (uint32_t q = 0; q < n_arcs; q++)
		if (as->arc[q].mentor >= m || as->arc[q].score < MATCH_MIN_SCORE ||
		    as->arc[q].score > MATCH_MAX_SCORE)
			return errinfo_set(ei, ERR_INVALID, "arc",
					   "arc %u: mentor %u or score %d out of range",
					   q, as->arc[q].mentor, as->arc[q].score);

	if (rules) {
		for (size_t k = 0; k < rules->n_locks; k++) {
			uint32_t i = rules->locks[k].mentee, j = rules->locks[k].mentor;
			if (i >= n || j >= m)
				return errinfo_set(ei, ERR_INVALID, "locks",
						   "lock (%u, %u) out of range", i, j);
			if (mentor_of[i] != MATCH_NONE)
				return errinfo_set(ei, ERR_CONFLICT, "locks",
						   "mentee %u is locked twice", i);
			if (pp->room[j] == 0)
				return errinfo_set(ei, ERR_CONFLICT, "locks",
						   "mentor %u has more locks than places", j);
			if (G && pp->groom[as->group[j]] == 0)
				return errinfo_set(ei, ERR_CONFLICT, "locks",
						   "group %u has more locks than its quota",
						   as->group[j]);
			pp->room[j]--;
			if (G)
				pp->groom[as->group[j]]--;
			mentor_of[i] = (int32_t)j;
			pp->matched++;
			for (uint32_t q = as->eoff[i]; q < as->eoff[i + 1]; q++)
				if (as->arc[q].mentor == j)
					pp->total += as->arc[q].score;
		}
		if (rules->n_bans)
			banned = xcalloc(((size_t)n_arcs >> 6) + 1, sizeof *banned);
		for (size_t k = 0; k < rules->n_bans; k++) {
			uint32_t i = rules->bans[k].mentee, j = rules->bans[k].mentor;
			if (i >= n || j >= m) {
				e = errinfo_set(ei, ERR_INVALID, "bans",
						"ban (%u, %u) out of range", i, j);
				goto out;
			}
			if (mentor_of[i] == (int32_t)j) {
				e = errinfo_set(ei, ERR_CONFLICT, "bans",
						"pair (%u, %u) is both locked and banned", i, j);
				goto out;
			}
			for (uint32_t q = as->eoff[i]; q < as->eoff[i + 1]; q++)
				if (as->arc[q].mentor == j)
					banned[q >> 6] |= UINT64_C(1) << (q & 63);
		}
	}

	/* Active arcs: mentee free, pair not banned, mentor (and group) with
	 * room. The solvers see only "persons", the mentees with an active
	 * arc (who[] maps them back), so arrays scale with the arcs actually
	 * given and not with a claimed number of mentees. Then clamp each
	 * mentor's room to its number of active arcs. */
	uint32_t *deg = xcalloc((size_t)m + 1, sizeof *deg);
	uint32_t na = 0, np = 0;
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			pp->aoff = xmalloc(xmul((size_t)np + 1, sizeof *pp->aoff));
			pp->who = xmalloc(xmul((size_t)np + 1, sizeof *pp->who));
			pp->amentor = xmalloc(xmul((size_t)na + 1, sizeof *pp->amentor));
			pp->ascore = xmalloc(xmul((size_t)na + 1, sizeof *pp->ascore));
			na = np = 0;
		}
		for (uint32_t i = 0; i < n; i++) {
			if (mentor_of[i] != MATCH_NONE)
				continue;
			uint32_t before = na;
			for (uint32_t q = as->eoff[i]; q < as->eoff[i + 1]; q++) {
				uint32_t j = as->arc[q].mentor;
				if (banned && (banned[q >> 6] >> (q & 63) & 1))
					continue;
				if (!pp->room[j] || (G && !pp->groom[as->group[j]]))
					continue;
				if (pass == 1) {
					pp->amentor[na] = j;
					pp->ascore[na] = as->arc[q].score;
					if (as->arc[q].score > pp->max_score)
						pp->max_score = as->arc[q].score;
					deg[j]++;
				}
				na++;
			}
			if (na > before) {
				if (pass == 1) {
					pp->aoff[np] = before;
					pp->who[np] = i;
				}
				np++;
			}
		}
	}
	pp->aoff[np] = na;
	pp->n = np;
	pp->n_persons = np;

	/* Number the persons by the mentor of their first arc (a stable
	 * counting sort): with candidate lists from locality, a mentor's
	 * mentees then sit close together, and the solvers' per-person arrays
	 * are read with far fewer cache misses at the national size. */
	uint32_t *first = xcalloc((size_t)m + 2, sizeof *first);
	for (uint32_t p2 = 0; p2 < np; p2++)
		first[pp->amentor[pp->aoff[p2]] + 2]++;
	for (uint32_t j = 0; j < m; j++)
		first[j + 2] += first[j + 1];
	uint32_t *ord = xmalloc(xmul((size_t)np + 1, sizeof *ord));
	for (uint32_t p2 = 0; p2 < np; p2++)
		ord[first[pp->amentor[pp->aoff[p2]] + 1]++] = p2;
	free(first);
	uint32_t *aoff2 = xmalloc(xmul((size_t)np + 1, sizeof *aoff2));
	uint32_t *who2 = xmalloc(xmul((size_t)np + 1, sizeof *who2));
	uint32_t *am2 = xmalloc(xmul((size_t)na + 1, sizeof *am2));
	int32_t *as2 = xmalloc(xmul((size_t)na + 1, sizeof *as2));
	uint32_t w = 0;
	for (uint32_t k = 0; k < np; k++) {
		uint32_t p2 = ord[k];
		aoff2[k] = w;
		who2[k] = pp->who[p2];
		for (uint32_t q = pp->aoff[p2]; q < pp->aoff[p2 + 1]; q++) {
			am2[w] = pp->amentor[q];
			as2[w++] = pp->ascore[q];
		}
	}
	aoff2[np] = w;
	free(ord);
	free(pp->aoff);
	free(pp->who);
	free(pp->amentor);
	free(pp->ascore);
	pp->aoff = aoff2;
	pp->who = who2;
	pp->amentor = am2;
	pp->ascore = as2;
	for (uint32_t j = 0; j < m; j++)
		if (pp->room[j] > deg[j])
			pp->room[j] = deg[j];
	free(deg);
out:
	free(banned);
	return e;
}

/* ---- Auction ------------------------------------------------------------ */

#define UNASSIGNED (-1)
#define OUTSIDE (-2)

struct auction {
	const struct prep *pp;
	int64_t K;        /* value scale: mentees + 1 */
	int64_t out;      /* value of the outside option, -M·K */
	int64_t eps;
	uint32_t *soff;   /* [m+1] places of mentor j: soff[j]..soff[j+1] */
	uint32_t *smentor; /* per place: its mentor */
	int64_t *price;   /* per place, a min-heap within each mentor */
	int32_t *holder;  /* per place: mentee or -1 */
	int32_t *pslot;   /* per mentee: place, UNASSIGNED or OUTSIDE */
	int32_t *pscore;  /* per mentee: score of its place's arc */
	int64_t *pprof;   /* per mentee: its profit, see profit() */
	uint32_t *toff;   /* [m+1] mentor → mentee arcs, for the reverse auction */
	uint32_t *tmentee;
	int32_t *tscore;
	uint32_t *queue;  /* FIFO of unassigned mentees */
	size_t qhead, qlen, qcap;
	uint32_t *rq;     /* stack of mentors that may hold a free place with price > 0 */
	size_t rlen;
	uint8_t *inrq;
};

static inline void place_set(struct auction *a, uint32_t s, int64_t price,
			     int32_t holder)
{
	a->price[s] = price;
	a->holder[s] = holder;
	if (holder >= 0)
		a->pslot[holder] = (int32_t)s;
}

/* Heap order: cheaper first; at equal price a free place first, so that a
 * bid fills a free place rather than evicting someone. */
static inline bool place_less_v(int64_t p1, int32_t h1, int64_t p2, int32_t h2)
{
	return p1 < p2 || (p1 == p2 && h1 < 0 && h2 >= 0);
}

static inline bool place_less(const struct auction *a, uint32_t s, uint32_t t)
{
	return place_less_v(a->price[s], a->holder[s], a->price[t], a->holder[t]);
}

/* Restore the heap of mentor j after place `s` got more expensive. */
static void heap_down(struct auction *a, uint32_t j, uint32_t s)
{
	uint32_t base = a->soff[j], size = a->soff[j + 1] - base;
	uint32_t k = s - base;
	int64_t pr = a->price[s];
	int32_t ho = a->holder[s];
	for (;;) {
		uint32_t c = 2 * k + 1;
		if (c >= size)
			break;
		if (c + 1 < size && place_less(a, base + c + 1, base + c))
			c++;
		if (!place_less_v(a->price[base + c], a->holder[base + c], pr, ho))
			break;
		place_set(a, base + k, a->price[base + c], a->holder[base + c]);
		k = c;
	}
	place_set(a, base + k, pr, ho);
}

/* ... after place `s` got cheaper. */
static void heap_up(struct auction *a, uint32_t j, uint32_t s)
{
	uint32_t base = a->soff[j];
	uint32_t k = s - base;
	int64_t pr = a->price[s];
	int32_t ho = a->holder[s];
	while (k) {
		uint32_t par = (k - 1) / 2;
		if (!place_less_v(pr, ho, a->price[base + par], a->holder[base + par]))
			break;
		place_set(a, base + k, a->price[base + par], a->holder[base + par]);
		k = par;
	}
	place_set(a, base + k, pr, ho);
}

static inline void q_push(struct auction *a, uint32_t i)
{
	size_t t = a->qhead + a->qlen;
	if (t >= a->qcap)
		t -= a->qcap;
	a->queue[t] = i;
	a->qlen++;
}

static inline uint32_t q_pop(struct auction *a)
{
	uint32_t i = a->queue[a->qhead];
	if (++a->qhead == a->qcap)
		a->qhead = 0;
	a->qlen--;
	return i;
}

static inline void rq_push(struct auction *a, uint32_t j)
{
	if (!a->inrq[j]) {
		a->inrq[j] = 1;
		a->rq[a->rlen++] = j;
	}
}

/* The profit of an assigned mentee (score·K minus its place's price, or
 * the outside value). Cached in pprof: the reverse auction reads it for
 * every arc of a mentor, and a place's price changes only where its
 * holder's cache is set (bids, reverse steps, the phase-start repricing). */
static inline int64_t profit(const struct auction *a, uint32_t i)
{
	return a->pprof[i];
}

/*
 * Free place s of mentor j. Its price drops to the mentor's lowest: that
 * changes no mentee's best value (the minimum is unchanged), so ε-CS still
 * holds, and the free place is the next to be taken — which leaves far
 * fewer free places with a positive price for the reverse auction.
 */
static void free_place(struct auction *a, uint32_t j, uint32_t s)
{
	a->holder[s] = -1;
	a->price[s] = a->price[a->soff[j]];
	heap_up(a, j, s);
	if (a->price[a->soff[j]] > 0)
		rq_push(a, j);
}

/* Take mentee i off its place. */
static void unassign(struct auction *a, uint32_t i, uint32_t j)
{
	int32_t s = a->pslot[i];
	a->pslot[i] = UNASSIGNED;
	if (s >= 0)
		free_place(a, j, (uint32_t)s);
}

/* One forward bid of unassigned mentee i. */
static void bid(struct auction *a, uint32_t i)
{
	const struct prep *pp = a->pp;
	const int64_t K = a->K;
	int64_t v1 = a->out, v2 = INT64_MIN / 4;
	int64_t j1 = -1;
	int32_t w1 = 0;
	for (uint32_t q = pp->aoff[i]; q < pp->aoff[i + 1]; q++) {
		uint32_t j = pp->amentor[q];
		int64_t v = (int64_t)pp->ascore[q] * K - a->price[a->soff[j]];
		if (v > v1) {
			v2 = v1;
			v1 = v;
			j1 = j;
			w1 = pp->ascore[q];
		} else if (v > v2) {
			v2 = v;
		}
	}
	if (j1 < 0) {
		a->pslot[i] = OUTSIDE;
		a->pprof[i] = a->out;
		return;
	}
	uint32_t base = a->soff[j1], size = a->soff[j1 + 1] - base;
	if (size >= 2) {
		int64_t p2 = a->price[base + 1];
		if (size >= 3 && a->price[base + 2] < p2)
			p2 = a->price[base + 2];
		int64_t v = (int64_t)w1 * K - p2;
		if (v > v2)
			v2 = v;
	}
	int32_t h = a->holder[base];
	if (h >= 0) {
		a->pslot[h] = UNASSIGNED;
		q_push(a, (uint32_t)h);
	}
	a->pscore[i] = w1;
	a->pprof[i] = v2 - a->eps;
	place_set(a, base, a->price[base] + (v1 - v2) + a->eps, (int32_t)i);
	heap_down(a, (uint32_t)j1, base);
}

/* Reverse auction on mentor j: every free place with a positive price is
 * offered to the mentees that would pay most for it, or its price drops to
 * 0. Nobody becomes unassigned; a mentee that moves frees its old place. */

/* ε shrinks by this factor per phase: 4 measured best of 2, 3, 4, 8, 16 on
 * the bench instances (docs/bench.md). */
#define AUCTION_ALPHA 4

/* The first ε is AUCTION_TOP · max score · K / AUCTION_ALPHA: prices of
 * over-demanded mentors start at M·K (over_demanded()), the others at 0,
 * so no price needs to climb more than a few max scores. 1 measured better
 * than 4; starting at (M + max score)·K, without the warm start, was 2–3×
 * slower on instances where nearly everyone can be placed. */
#ifndef AUCTION_TOP
#define AUCTION_TOP 1
#endif

/* How many free places one scan of a mentor's arcs serves at most. */
#define REVERSE_BATCH 16

/* A free place of mentor j with a positive price, or UINT32_MAX. */
static uint32_t free_priced(const struct auction *a, uint32_t j)
{
	for (uint32_t t = a->soff[j]; t < a->soff[j + 1]; t++)
		if (a->holder[t] < 0 && a->price[t] > 0)
			return t;
	return UINT32_MAX;
}

/*
 * Reverse auction on mentor j (Bertsekas' reverse step for similar
 * objects): its f free places with a positive price go to the f mentees
 * that would pay most for them, at the price max(0, v_{f+1} - ε) where
 * v_{f+1} is the next best offer; a place nobody values above ε drops to
 * price 0. A mentee that moves frees its old place; a mentee that already
 * holds a place of j just gets that place's price lowered. Every mentee
 * touched gains at least ε, so this terminates; ε-CS is kept for all.
 */
static void reverse_mentor(struct auction *a, uint32_t j)
{
	const int64_t K = a->K;
	int64_t tv[REVERSE_BATCH + 1];
	uint32_t ti[REVERSE_BATCH + 1];
	int32_t tw[REVERSE_BATCH + 1];
	for (;;) {
		uint32_t f = 0;
		for (uint32_t t = a->soff[j]; t < a->soff[j + 1]; t++)
			f += a->holder[t] < 0 && a->price[t] > 0;
		if (f == 0)
			return;
		if (f > REVERSE_BATCH)
			f = REVERSE_BATCH;
		/* The best f + 1 offers, sorted descending. */
		uint32_t nt = 0;
		for (uint32_t q = a->toff[j]; q < a->toff[j + 1]; q++) {
			uint32_t i = a->tmentee[q];
			int64_t v = (int64_t)a->tscore[q] * K - profit(a, i);
			if (nt == f + 1 && v <= tv[f])
				continue;
			uint32_t k = nt < f + 1 ? nt++ : f;
			while (k > 0 && tv[k - 1] < v) {
				tv[k] = tv[k - 1];
				ti[k] = ti[k - 1];
				tw[k] = tw[k - 1];
				k--;
			}
			tv[k] = v;
			ti[k] = i;
			tw[k] = a->tscore[q];
		}
		int64_t np = nt == f + 1 ? tv[f] - a->eps : 0;
		if (np < 0)
			np = 0;
		for (uint32_t r = 0; r < f; r++) {
			uint32_t s = free_priced(a, j);
			if (s == UINT32_MAX)
				break;
			if (r >= nt || tv[r] - a->eps <= 0) {
				a->price[s] = 0;
				heap_up(a, j, s);
				continue;
			}
			uint32_t i = ti[r];
			int32_t old = a->pslot[i];
			if (old >= 0 && a->smentor[old] == j) {
				a->price[old] = np;
				a->pprof[i] = (int64_t)a->pscore[i] * K - np;
				heap_up(a, j, (uint32_t)old);
				continue;
			}
			a->pscore[i] = tw[r];
			a->pprof[i] = (int64_t)tw[r] * K - np;
			place_set(a, s, np, (int32_t)i);
			heap_up(a, j, s);
			if (old >= 0)
				free_place(a, a->smentor[old], (uint32_t)old);
		}
	}
}

/*
 * Over-demanded mentors, by a maximum-cardinality matching
 * (Hopcroft–Karp, mentors with capacities): a mentor reachable by an
 * alternating path from a mentee left unmatched is full in every maximum
 * matching (Dulmage–Mendelsohn), and in the optimum its places cost about
 * M·K, the value of the outside option. Marking them lets the auction start
 * there instead of climbing from 0 in a price war. Sets over[j] = 1 for
 * those mentors. Used only to choose starting prices: the auction is exact
 * from any prices.
 */
static void over_demanded(const struct prep *pp, uint8_t *over)
{
	const uint32_t n = pp->n, m = pp->m;
	const uint32_t INF = UINT32_MAX;
	int32_t *pm = xmalloc(xmul((size_t)n + 1, sizeof *pm));
	uint32_t *dist = xmalloc(xmul((size_t)n + 1, sizeof *dist));
	uint32_t *queue = xmalloc(xmul((size_t)n + 1, sizeof *queue));
	uint32_t *moff = xmalloc(xmul((size_t)m + 1, sizeof *moff));
	uint32_t *mload = xcalloc((size_t)m + 1, sizeof *mload);
	uint32_t *mvis = xcalloc((size_t)m + 1, sizeof *mvis);
	uint32_t S = 0;
	for (uint32_t j = 0; j < m; j++) {
		moff[j] = S;
		S += pp->room[j];
	}
	uint32_t *memb = xmalloc(xmul((size_t)S + 1, sizeof *memb));
	uint32_t *mpos = xmalloc(xmul((size_t)n + 1, sizeof *mpos));
	struct frame {
		uint32_t u, q, k;
	} *st = xmalloc(xmul((size_t)n + 1, sizeof *st));
	uint32_t *oldpos = xmalloc(xmul((size_t)n + 1, sizeof *oldpos));

	/* Greedy start. */
	for (uint32_t i = 0; i < n; i++) {
		pm[i] = -1;
		for (uint32_t q = pp->aoff[i]; q < pp->aoff[i + 1]; q++) {
			uint32_t j = pp->amentor[q];
			if (mload[j] < pp->room[j]) {
				pm[i] = (int32_t)j;
				mpos[i] = moff[j] + mload[j];
				memb[moff[j] + mload[j]++] = i;
				break;
			}
		}
	}
	for (uint32_t stamp = 1;; stamp++) {
		/* BFS layers from the free mentees up to the first free place. */
		size_t qh = 0, qt = 0;
		for (uint32_t i = 0; i < n; i++) {
			dist[i] = INF;
			if (pm[i] < 0 && pp->aoff[i + 1] > pp->aoff[i]) {
				dist[i] = 0;
				queue[qt++] = i;
			}
		}
		uint32_t limit = INF;
		while (qh < qt) {
			uint32_t u = queue[qh++];
			if (dist[u] + 1 >= limit)
				break;
			for (uint32_t q = pp->aoff[u]; q < pp->aoff[u + 1]; q++) {
				uint32_t j = pp->amentor[q];
				if ((int32_t)j == pm[u] || mvis[j] == stamp)
					continue;
				mvis[j] = stamp;
				if (mload[j] < pp->room[j]) {
					limit = dist[u] + 1;
					continue;
				}
				for (uint32_t k = 0; k < mload[j]; k++) {
					uint32_t v = memb[moff[j] + k];
					if (dist[v] == INF) {
						dist[v] = dist[u] + 1;
						queue[qt++] = v;
					}
				}
			}
		}
		if (limit == INF)
			break;
		/* DFS along the layers, iteratively. */
		for (uint32_t s = 0; s < n; s++) {
			if (pm[s] >= 0 || dist[s] != 0)
				continue;
			size_t sp = 0;
			st[sp].u = s;
			st[sp].q = pp->aoff[s];
			st[sp++].k = 0;
			int done = 0;
			while (sp && !done) {
				struct frame *f = &st[sp - 1];
				uint32_t u = f->u;
				int pushed = 0;
				for (; f->q < pp->aoff[u + 1]; f->q++, f->k = 0) {
					uint32_t j = pp->amentor[f->q];
					if ((int32_t)j == pm[u])
						continue;
					if (mload[j] < pp->room[j]) {
						done = 1;
						break;
					}
					while (f->k < mload[j]) {
						uint32_t v = memb[moff[j] + f->k++];
						if (dist[v] == dist[u] + 1) {
							st[sp].u = v;
							st[sp].q = pp->aoff[v];
							st[sp++].k = 0;
							pushed = 1;
							break;
						}
					}
					if (pushed)
						break;
				}
				if (done || pushed)
					continue;
				dist[u] = INF; /* dead end for this phase */
				sp--;
			}
			if (!done)
				continue;
			/* Augment: the top mentee takes the free place, each one
			 * below takes the place of the one above it. */
			for (size_t t = sp; t-- > 0;) {
				uint32_t u = st[t].u, j = pp->amentor[st[t].q];
				oldpos[t] = pm[u] >= 0 ? mpos[u] : 0;
				uint32_t pos = t == sp - 1 ? moff[j] + mload[j]++ : oldpos[t + 1];
				memb[pos] = u;
				mpos[u] = pos;
				pm[u] = (int32_t)j;
				dist[u] = INF;
			}
		}
	}
	/* Alternating reachability from the mentees left unmatched. */
	size_t qh = 0, qt = 0;
	for (uint32_t i = 0; i < n; i++) {
		dist[i] = 0;
		if (pm[i] < 0 && pp->aoff[i + 1] > pp->aoff[i]) {
			dist[i] = 1;
			queue[qt++] = i;
		}
	}
	while (qh < qt) {
		uint32_t u = queue[qh++];
		for (uint32_t q = pp->aoff[u]; q < pp->aoff[u + 1]; q++) {
			uint32_t j = pp->amentor[q];
			if (over[j])
				continue;
			over[j] = 1;
			for (uint32_t k = 0; k < mload[j]; k++) {
				uint32_t v = memb[moff[j] + k];
				if (!dist[v]) {
					dist[v] = 1;
					queue[qt++] = v;
				}
			}
		}
	}
	free(pm);
	free(dist);
	free(queue);
	free(moff);
	free(mload);
	free(mvis);
	free(memb);
	free(mpos);
	free(st);
	free(oldpos);
}

static void auction_run(const struct prep *pp, int32_t *mentor_of,
			struct match_as_result *res)
{
	const uint32_t n = pp->n, m = pp->m;
	struct auction A, *a = &A;
	memset(a, 0, sizeof *a);
	a->pp = pp;
	a->K = (int64_t)pp->n_persons + 1;
	uint32_t m_active = 0;
	for (uint32_t j = 0; j < m; j++)
		m_active += pp->room[j] > 0;
	int64_t M = (int64_t)pp->max_score *
			    (int64_t)(pp->n_persons < m_active ? pp->n_persons : m_active) +
		    1;
	a->out = -M * a->K;

	a->soff = xmalloc(xmul((size_t)m + 1, sizeof *a->soff));
	uint32_t S = 0;
	for (uint32_t j = 0; j < m; j++) {
		a->soff[j] = S;
		S += pp->room[j];
	}
	a->soff[m] = S;
	a->smentor = xmalloc(xmul((size_t)S + 1, sizeof *a->smentor));
	for (uint32_t j = 0; j < m; j++)
		for (uint32_t s = a->soff[j]; s < a->soff[j + 1]; s++)
			a->smentor[s] = j;
	a->price = xcalloc((size_t)S + 1, sizeof *a->price);
	a->holder = xmalloc(xmul((size_t)S + 1, sizeof *a->holder));
	memset(a->holder, 0xff, ((size_t)S + 1) * sizeof *a->holder);
	a->pslot = xmalloc(xmul((size_t)n + 1, sizeof *a->pslot));
	a->pscore = xcalloc((size_t)n + 1, sizeof *a->pscore);
	a->pprof = xcalloc((size_t)n + 1, sizeof *a->pprof);
	a->qcap = (size_t)n + 1;
	a->queue = xmalloc(xmul(a->qcap, sizeof *a->queue));
	a->rq = xmalloc(xmul((size_t)m + 1, sizeof *a->rq));
	a->inrq = xcalloc((size_t)m + 1, 1);

	/* Mentor → mentee arcs (only to mentors with places). */
	const uint32_t na = pp->aoff[n];
	a->toff = xcalloc((size_t)m + 2, sizeof *a->toff);
	for (uint32_t q = 0; q < na; q++)
		a->toff[pp->amentor[q] + 2]++;
	for (uint32_t j = 0; j < m; j++)
		a->toff[j + 2] += a->toff[j + 1];
	a->tmentee = xmalloc(xmul((size_t)na + 1, sizeof *a->tmentee));
	a->tscore = xmalloc(xmul((size_t)na + 1, sizeof *a->tscore));
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t q = pp->aoff[i]; q < pp->aoff[i + 1]; q++) {
			uint32_t t = a->toff[pp->amentor[q] + 1]++;
			a->tmentee[t] = i;
			a->tscore[t] = pp->ascore[q];
		}

	/* ε-scaling: from about the largest value down to 1 (exact, since
	 * values are scaled by K = persons + 1). */
	const int64_t alpha = AUCTION_ALPHA;
	uint8_t *over = xcalloc((size_t)m + 1, 1);
	over_demanded(pp, over);
	for (uint32_t j = 0; j < m; j++)
		if (over[j])
			for (uint32_t s = a->soff[j]; s < a->soff[j + 1]; s++)
				a->price[s] = M * a->K;
	free(over);
	int64_t top = (int64_t)pp->max_score * a->K * AUCTION_TOP;
	a->eps = top / alpha > 1 ? top / alpha : 1;
	for (uint32_t i = 0; i < n; i++) {
		a->pslot[i] = UNASSIGNED;
		q_push(a, i); /* every person has an arc (prep_build) */
	}
	for (bool first = true;; first = false) {
		if (!first) {
			for (uint32_t i = 0; i < n; i++) {
				int64_t v1 = a->out;
				for (uint32_t q = pp->aoff[i]; q < pp->aoff[i + 1]; q++) {
					uint32_t j = pp->amentor[q];
					int64_t v = (int64_t)pp->ascore[q] * a->K -
						    a->price[a->soff[j]];
					if (v > v1)
						v1 = v;
				}
				if (profit(a, i) >= v1 - a->eps)
					continue;
				int32_t s = a->pslot[i];
				if (s >= 0) {
					/* If i only lost ε-CS to the spread of its
					 * mentor's place prices, lower its price within
					 * the spread: nobody's best value changes. */
					uint32_t j = a->smentor[s];
					int64_t t = (int64_t)a->pscore[i] * a->K - v1 + a->eps;
					if ((uint32_t)s != a->soff[j] && t >= a->price[a->soff[j]]) {
						a->price[s] = t;
						a->pprof[i] = v1 - a->eps;
						heap_up(a, j, (uint32_t)s);
						continue;
					}
				}
				unassign(a, i, s >= 0 ? a->smentor[s] : 0);
				q_push(a, i);
			}
		}
		while (a->qlen)
			bid(a, q_pop(a));
		while (a->rlen) {
			uint32_t j = a->rq[--a->rlen];
			a->inrq[j] = 0;
			reverse_mentor(a, j);
		}
		if (a->eps == 1)
			break;
		a->eps = a->eps / alpha > 1 ? a->eps / alpha : 1;
	}

	for (uint32_t j = 0; j < m; j++)
		for (uint32_t s = a->soff[j]; s < a->soff[j + 1]; s++)
			if (a->holder[s] >= 0) {
				mentor_of[pp->who[a->holder[s]]] = (int32_t)j;
				res->matched++;
				res->total += a->pscore[a->holder[s]];
			}

	free(a->soff);
	free(a->smentor);
	free(a->price);
	free(a->holder);
	free(a->pslot);
	free(a->pscore);
	free(a->pprof);
	free(a->queue);
	free(a->rq);
	free(a->inrq);
	free(a->toff);
	free(a->tmentee);
	free(a->tscore);
}

/* ---- Successive shortest paths ----------------------------------------- */

struct hnode {
	int64_t d;
	uint32_t v;
};

struct heap {
	struct hnode *h;
	size_t len, cap;
};

static void heap_push(struct heap *hp, int64_t d, uint32_t v)
{
	if (hp->len == hp->cap) {
		hp->cap = hp->cap ? hp->cap * 2 : 256;
		hp->h = xreallocarray(hp->h, hp->cap, sizeof *hp->h);
	}
	size_t k = hp->len++;
	while (k) {
		size_t p = (k - 1) / 2;
		if (hp->h[p].d < d || (hp->h[p].d == d && hp->h[p].v <= v))
			break;
		hp->h[k] = hp->h[p];
		k = p;
	}
	hp->h[k].d = d;
	hp->h[k].v = v;
}

static struct hnode heap_pop(struct heap *hp)
{
	struct hnode top = hp->h[0], last = hp->h[--hp->len];
	size_t k = 0;
	for (;;) {
		size_t c = 2 * k + 1;
		if (c >= hp->len)
			break;
		if (c + 1 < hp->len &&
		    (hp->h[c + 1].d < hp->h[c].d ||
		     (hp->h[c + 1].d == hp->h[c].d && hp->h[c + 1].v < hp->h[c].v)))
			c++;
		if (last.d < hp->h[c].d || (last.d == hp->h[c].d && last.v <= hp->h[c].v))
			break;
		hp->h[k] = hp->h[c];
		k = c;
	}
	if (hp->len)
		hp->h[k] = last;
	return top;
}

static void ssp_run(const struct prep *pp, int32_t *mentor_of,
		    struct match_as_result *res)
{
	const uint32_t n = pp->n, m = pp->m, G = pp->g;
	/* Nodes: mentees [0,n), mentors [n,n+m), groups [n+m,n+m+G), sink. */
	const uint32_t N = n + m + G + 1, T = N - 1;
	uint32_t m_active = 0;
	for (uint32_t j = 0; j < m; j++)
		m_active += pp->room[j] > 0;
	const int64_t M = (int64_t)pp->max_score *
				  (int64_t)(pp->n_persons < m_active ? pp->n_persons : m_active) +
			  1;
	const int64_t INF = INT64_MAX / 4;

	int64_t *pot = xcalloc(N, sizeof *pot);
	int64_t *dist = xmalloc(xmul(N, sizeof *dist));
	uint32_t *pred = xmalloc(xmul(N, sizeof *pred));
	int32_t *pw = xcalloc(N, sizeof *pw);  /* score of the arc into a mentor */
	uint32_t *seen = xcalloc(N, sizeof *seen); /* run stamp: dist valid */
	uint8_t *done = xcalloc(N, 1);
	uint32_t *touched = xmalloc(xmul(N, sizeof *touched));
	uint32_t *path = xmalloc(xmul((size_t)N + 1, sizeof *path));
	/* Members of each mentor, in place arrays. */
	uint32_t *moff = xmalloc(xmul((size_t)m + 1, sizeof *moff));
	uint32_t S = 0;
	for (uint32_t j = 0; j < m; j++) {
		moff[j] = S;
		S += pp->room[j];
	}
	moff[m] = S;
	uint32_t *memb = xmalloc(xmul((size_t)S + 1, sizeof *memb));
	uint32_t *nmemb = xcalloc((size_t)m + 1, sizeof *nmemb);
	uint32_t *mpos = xmalloc(xmul((size_t)n + 1, sizeof *mpos));
	int32_t *score_of = xcalloc((size_t)n + 1, sizeof *score_of);
	int8_t *outside = xcalloc((size_t)n + 1, 1);
	int32_t *pm = xmalloc(xmul((size_t)n + 1, sizeof *pm)); /* person's mentor */
	for (uint32_t i = 0; i < n; i++)
		pm[i] = MATCH_NONE;
	uint32_t *gload = xcalloc((size_t)G + 1, sizeof *gload);
	uint32_t *goff = NULL, *gmem = NULL;
	if (G) {
		goff = xcalloc((size_t)G + 2, sizeof *goff);
		for (uint32_t j = 0; j < m; j++)
			goff[pp->group[j] + 2]++;
		for (uint32_t g = 0; g < G; g++)
			goff[g + 2] += goff[g + 1];
		gmem = xmalloc(xmul((size_t)m + 1, sizeof *gmem));
		for (uint32_t j = 0; j < m; j++)
			gmem[goff[pp->group[j] + 1]++] = j;
	}
	struct heap hp = {0};
	uint32_t stampv = 0;

	for (uint32_t src = 0; src < n; src++) {
		if (pp->aoff[src + 1] == pp->aoff[src])
			continue;
		/* Potential of the new source: every arc out of it non-negative. */
		int64_t ps = pot[T] - M;
		for (uint32_t q = pp->aoff[src]; q < pp->aoff[src + 1]; q++) {
			int64_t v = pot[n + pp->amentor[q]] + pp->ascore[q];
			if (v > ps)
				ps = v;
		}
		pot[src] = ps;
		stampv++;
		size_t nt = 0;
		hp.len = 0;
		dist[src] = 0;
		seen[src] = stampv;
		touched[nt++] = src;
		heap_push(&hp, 0, src);
		int64_t dT = INF;
#define RELAX(u, v, c, w)                                                     \
	do {                                                                  \
		int64_t nd_ = du + (c) + pot[u] - pot[v];                     \
		if (seen[v] != stampv) {                                      \
			seen[v] = stampv;                                     \
			done[v] = 0;                                          \
			touched[nt++] = v;                                    \
			dist[v] = INF;                                        \
		}                                                             \
		if (!done[v] && nd_ < dist[v]) {                              \
			dist[v] = nd_;                                        \
			pred[v] = u;                                          \
			pw[v] = (w);                                          \
			heap_push(&hp, nd_, v);                               \
		}                                                             \
	} while (0)
		done[src] = 0;
		while (hp.len) {
			struct hnode top = heap_pop(&hp);
			uint32_t u = top.v;
			if (done[u] || top.d != dist[u])
				continue;
			done[u] = 1;
			int64_t du = top.d;
			if (u == T) {
				dT = du;
				break;
			}
			if (u < n) {
				/* mentee: to its other mentors, or outside */
				int32_t cur = pm[u];
				for (uint32_t q = pp->aoff[u]; q < pp->aoff[u + 1]; q++) {
					uint32_t j = pp->amentor[q];
					if ((int32_t)j == cur)
						continue;
					RELAX(u, n + j, -(int64_t)pp->ascore[q], pp->ascore[q]);
				}
				if (!outside[u])
					RELAX(u, T, M, 0);
			} else if (u < n + m) {
				uint32_t j = u - n;
				for (uint32_t k = moff[j]; k < moff[j] + nmemb[j]; k++) {
					uint32_t i = memb[k];
					RELAX(u, i, (int64_t)score_of[i], 0);
				}
				if (nmemb[j] < pp->room[j]) {
					if (G)
						RELAX(u, n + m + pp->group[j], 0, 0);
					else
						RELAX(u, T, 0, 0);
				}
			} else {
				uint32_t g = u - n - m;
				if (gload[g] < pp->groom[g])
					RELAX(u, T, 0, 0);
				for (uint32_t k = goff[g]; k < goff[g + 1]; k++) {
					uint32_t j = gmem[k];
					if (nmemb[j] > 0)
						RELAX(u, n + j, 0, 0);
				}
			}
		}
#undef RELAX
		/* Potentials: settled nodes move by d(v) - d(T). */
		for (size_t k = 0; k < nt; k++) {
			uint32_t v = touched[k];
			if (done[v] && dist[v] <= dT)
				pot[v] += dist[v] - dT;
		}
		/* Augment along the path, applied from the source on, so that a
		 * mentee leaves its old mentor before it joins the next. */
		size_t len = 0;
		for (uint32_t v = T; v != src; v = pred[v])
			path[len++] = v;
		path[len] = src;
		for (size_t k = len; k-- > 0;) {
			uint32_t v = path[k], u = path[k + 1];
			if (v == T) {
				if (u < n) {
					outside[u] = 1;
					pm[u] = MATCH_NONE;
				} else if (u >= n + m) {
					gload[u - n - m]++;
				}
				/* mentor → sink: the mentor's new member joined */
			} else if (v >= n + m) {
				/* mentor → group: likewise */
			} else if (v >= n) {
				uint32_t j = v - n;
				if (u < n) {
					pm[u] = (int32_t)j;
					score_of[u] = pw[v];
					uint32_t w = k ? path[k - 1] : T;
					if (w < n) {
						/* j → w next: u takes w's place */
						mpos[u] = mpos[w];
						memb[mpos[w]] = u;
						pm[w] = MATCH_NONE;
						k--;
					} else {
						mpos[u] = moff[j] + nmemb[j];
						memb[moff[j] + nmemb[j]++] = u;
					}
				}
				/* group → mentor (backward): j's member leaves next */
			} else {
				/* mentor u → mentee v (backward): v leaves u */
				uint32_t j = u - n;
				uint32_t at = mpos[v], last = moff[j] + --nmemb[j];
				memb[at] = memb[last];
				mpos[memb[at]] = at;
				pm[v] = MATCH_NONE;
			}
		}
	}
	for (uint32_t i = 0; i < n; i++)
		if (pm[i] != MATCH_NONE && !outside[i]) {
			mentor_of[pp->who[i]] = pm[i];
			res->matched++;
			res->total += score_of[i];
		}
	free(hp.h);
	free(pot);
	free(dist);
	free(pred);
	free(pw);
	free(seen);
	free(done);
	free(touched);
	free(path);
	free(moff);
	free(memb);
	free(nmemb);
	free(mpos);
	free(score_of);
	free(outside);
	free(pm);
	free(gload);
	free(goff);
	free(gmem);
}

/* ---- Entry point --------------------------------------------------------- */

enum err match_as_solve(const struct match_as *as,
			const struct match_rules *rules,
			enum match_as_method method, int32_t *mentor_of,
			struct match_as_result *res, struct errinfo *ei)
{
	struct match_as_result r = {0, 0};
	struct prep pp;
	enum err e;

	if ((unsigned)method >= MATCH_AS__MAX)
		return errinfo_set(ei, ERR_INVALID, "method", "unknown method %d",
				   (int)method);
	if (as->n_mentees > MATCH_MAX_MENTEES || as->n_mentors > MATCH_MAX_MENTORS ||
	    as->eoff[as->n_mentees] > MATCH_MAX_EDGES)
		return errinfo_set(ei, ERR_TOO_LARGE, "instance",
				   "instance above the MATCH_MAX_* limits");
	if (method == MATCH_AS_AUCTION && as->n_groups)
		return errinfo_set(ei, ERR_UNPROCESSABLE, "method",
				   "the auction does not handle quotas");
	if ((e = prep_build(&pp, as, rules, mentor_of, ei))) {
		prep_release(&pp);
		return e;
	}
	r.matched = pp.matched;
	r.total = pp.total;
	if (method == MATCH_AS_SSP || (method == MATCH_AS_AUTO && as->n_groups))
		ssp_run(&pp, mentor_of, &r);
	else
		auction_run(&pp, mentor_of, &r);
	prep_release(&pp);
	if (res)
		*res = r;
	return ERR_OK;
}
