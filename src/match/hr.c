/*
 * hr.c — menu choice: mentee-proposing deferred acceptance with capacities
 * (layer: match). Owns struct match_hr's lifecycle, its builder from two
 * sides' lists, and the solver. No I/O.
 *
 * The solver keeps, per mentor, a bit per position of its list ("this
 * mentee is held") and the worst held position. A mentor's threshold only
 * improves, so the worst pointer only moves towards the top of the list and
 * every proposal and every rejection is O(1) amortised: O(pairs) in all.
 */
#include "match/match.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

void match_hr_init(struct match_hr *hr)
{
	memset(hr, 0, sizeof *hr);
}

void match_hr_release(struct match_hr *hr)
{
	free(hr->cap);
	free(hr->moff);
	free(hr->mlist);
	free(hr->eoff);
	free(hr->epref);
	match_hr_init(hr);
}

/* ---- Builder ------------------------------------------------------------ */

struct applicant {
	uint32_t mentee;
	int32_t score;
};

static int applicant_cmp(const void *a, const void *b)
{
	const struct applicant *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return (x->mentee > y->mentee) - (x->mentee < y->mentee);
}

static enum err check_offsets(const uint32_t *off, uint32_t n, const char *who,
			      struct errinfo *ei)
{
	if (off[0] != 0)
		return errinfo_set(ei, ERR_INVALID, who, "%s offsets must start at 0", who);
	for (uint32_t i = 0; i < n; i++)
		if (off[i + 1] < off[i])
			return errinfo_set(ei, ERR_INVALID, who,
					   "%s offsets decrease at %u", who, i);
	if (off[n] > MATCH_MAX_EDGES)
		return errinfo_set(ei, ERR_TOO_LARGE, who, "more than %u pairs",
				   MATCH_MAX_EDGES);
	return ERR_OK;
}

enum err match_hr_build(struct match_hr *hr, uint32_t n_mentees,
			uint32_t n_mentors, const uint32_t *cap,
			const uint32_t *eoff, const uint32_t *elist,
			const uint32_t *moff, const uint32_t *mlist,
			const int32_t *escore, struct errinfo *ei)
{
	enum err e = ERR_OK;
	uint32_t *stamp = NULL, *pos = NULL, *rankof = NULL;
	struct applicant *app = NULL;

	match_hr_release(hr);
	if (n_mentees > MATCH_MAX_MENTEES || n_mentors > MATCH_MAX_MENTORS)
		return errinfo_set(ei, ERR_TOO_LARGE, "instance",
				   "at most %u mentees and %u mentors",
				   MATCH_MAX_MENTEES, MATCH_MAX_MENTORS);
	if ((e = check_offsets(eoff, n_mentees, "mentee", ei)))
		return e;
	uint32_t n_pairs = eoff[n_mentees];
	if (mlist) {
		if ((e = check_offsets(moff, n_mentors, "mentor", ei)))
			return e;
		if (moff[n_mentors] != n_pairs)
			return errinfo_set(ei, ERR_INVALID, "instance",
					   "mentors list %u pairs, mentees %u",
					   moff[n_mentors], n_pairs);
	}

	hr->n_mentees = n_mentees;
	hr->n_mentors = n_mentors;
	hr->cap = xmemdup(cap, xmul(n_mentors, sizeof *cap));
	hr->eoff = xmemdup(eoff, xmul((size_t)n_mentees + 1, sizeof *eoff));
	hr->moff = xcalloc((size_t)n_mentors + 1, sizeof *hr->moff);
	hr->mlist = xmalloc(xmul((size_t)n_pairs + 1, sizeof *hr->mlist));
	hr->epref = xmalloc(xmul((size_t)n_pairs + 1, sizeof *hr->epref));

	/* Mentee lists: ranges and duplicates. */
	stamp = xcalloc((size_t)n_mentors + (size_t)n_mentees + 1, sizeof *stamp);
	for (uint32_t i = 0; i < n_mentees; i++)
		for (uint32_t q = eoff[i]; q < eoff[i + 1]; q++) {
			uint32_t j = elist[q];
			if (j >= n_mentors) {
				e = errinfo_set(ei, ERR_INVALID, "mentee",
						"mentee %u lists mentor %u, out of range", i, j);
				goto out;
			}
			if (stamp[j] == i + 1) {
				e = errinfo_set(ei, ERR_INVALID, "mentee",
						"mentee %u lists mentor %u twice", i, j);
				goto out;
			}
			stamp[j] = i + 1;
			hr->epref[q].mentor = j;
			hr->moff[j + 1]++;
		}

	if (mlist) {
		/* Mentor lists: ranges, duplicates, mirror. rankof[q] for the
		 * mentee entry q is found through a bucket of (mentor, rank)
		 * per mentee, as in the file parser. */
		for (uint32_t j = 0; j < n_mentors; j++)
			if (moff[j + 1] - moff[j] != hr->moff[j + 1]) {
				e = errinfo_set(ei, ERR_INVALID, "mentor",
						"mentor %u ranks %u mentees, but %u mentees list it",
						j, moff[j + 1] - moff[j], hr->moff[j + 1]);
				goto out;
			}
		memcpy(hr->moff, moff, ((size_t)n_mentors + 1) * sizeof *moff);
		memset(stamp, 0, ((size_t)n_mentors + n_mentees + 1) * sizeof *stamp);
		uint32_t *mst = stamp + n_mentors; /* per mentee */
		pos = xmalloc(xmul((size_t)n_mentees + 1, sizeof *pos));
		memcpy(pos, eoff, (size_t)n_mentees * sizeof *pos);
		struct match_hr_pref *bucket = xmalloc(xmul((size_t)n_pairs + 1, sizeof *bucket));
		for (uint32_t j = 0; j < n_mentors; j++)
			for (uint32_t q = moff[j]; q < moff[j + 1]; q++) {
				uint32_t i = mlist[q];
				if (i >= n_mentees || mst[i] == j + 1 ||
				    pos[i] >= eoff[i + 1]) {
					e = errinfo_set(ei, ERR_INVALID, "mentor",
							i >= n_mentees ? "mentor %u lists mentee %u, out of range"
							: mst[i] == j + 1 ? "mentor %u lists mentee %u twice"
							: "mentor %u lists mentee %u, who does not list it",
							j, i);
					free(bucket);
					goto out;
				}
				mst[i] = j + 1;
				hr->mlist[q] = i;
				bucket[pos[i]].mentor = j;
				bucket[pos[i]++].rank = q - moff[j];
			}
		rankof = xcalloc((size_t)n_mentors + 1, sizeof *rankof);
		memset(stamp, 0, (size_t)n_mentors * sizeof *stamp);
		for (uint32_t i = 0; i < n_mentees; i++) {
			for (uint32_t q = eoff[i]; q < eoff[i + 1]; q++) {
				stamp[bucket[q].mentor] = i + 1;
				rankof[bucket[q].mentor] = bucket[q].rank;
			}
			for (uint32_t q = eoff[i]; q < eoff[i + 1]; q++) {
				uint32_t j = hr->epref[q].mentor;
				if (stamp[j] != i + 1) {
					e = errinfo_set(ei, ERR_INVALID, "mentee",
							"mentee %u lists mentor %u, who does not rank it",
							i, j);
					free(bucket);
					goto out;
				}
				hr->epref[q].rank = rankof[j];
			}
		}
		free(bucket);
	} else {
		/* Mentors take the score order: bucket the applicants, sort. */
		for (uint32_t j = 0; j < n_mentors; j++)
			hr->moff[j + 1] += hr->moff[j];
		pos = xmalloc(xmul((size_t)n_mentors + 1, sizeof *pos));
		memcpy(pos, hr->moff, (size_t)n_mentors * sizeof *pos);
		app = xmalloc(xmul((size_t)n_pairs + 1, sizeof *app));
		for (uint32_t i = 0; i < n_mentees; i++)
			for (uint32_t q = eoff[i]; q < eoff[i + 1]; q++) {
				struct applicant *a = &app[pos[elist[q]]++];
				a->mentee = i;
				a->score = escore ? escore[q] : 0;
			}
		for (uint32_t j = 0; j < n_mentors; j++) {
			uint32_t lo = hr->moff[j], n = hr->moff[j + 1] - lo;
			qsort(app + lo, n, sizeof *app, applicant_cmp);
			for (uint32_t r = 0; r < n; r++)
				hr->mlist[lo + r] = app[lo + r].mentee;
		}
		/* Each mentee entry's rank: bucket (mentor, rank) by mentee and
		 * look it up as in the mirror case. */
		struct match_hr_pref *bucket = xmalloc(xmul((size_t)n_pairs + 1, sizeof *bucket));
		uint32_t *epos = xmalloc(xmul((size_t)n_mentees + 1, sizeof *epos));
		memcpy(epos, eoff, (size_t)n_mentees * sizeof *epos);
		for (uint32_t j = 0; j < n_mentors; j++)
			for (uint32_t q = hr->moff[j]; q < hr->moff[j + 1]; q++) {
				uint32_t i = app[q].mentee;
				bucket[epos[i]].mentor = j;
				bucket[epos[i]++].rank = q - hr->moff[j];
			}
		free(epos);
		rankof = xcalloc((size_t)n_mentors + 1, sizeof *rankof);
		for (uint32_t i = 0; i < n_mentees; i++) {
			for (uint32_t q = eoff[i]; q < eoff[i + 1]; q++)
				rankof[bucket[q].mentor] = bucket[q].rank;
			for (uint32_t q = eoff[i]; q < eoff[i + 1]; q++)
				hr->epref[q].rank = rankof[hr->epref[q].mentor];
		}
		free(bucket);
	}
out:
	free(stamp);
	free(pos);
	free(rankof);
	free(app);
	if (e)
		match_hr_release(hr);
	return e;
}

/* ---- Deferred acceptance ------------------------------------------------- */

static inline void bit_set(uint64_t *b, size_t k)
{
	b[k >> 6] |= UINT64_C(1) << (k & 63);
}

static inline void bit_clear(uint64_t *b, size_t k)
{
	b[k >> 6] &= ~(UINT64_C(1) << (k & 63));
}

static inline int bit_get(const uint64_t *b, size_t k)
{
	return (int)((b[k >> 6] >> (k & 63)) & 1);
}

/* The highest set bit below position `k` (exclusive); one is known to be
 * set at or above `floor`. */
static inline size_t bit_prev(const uint64_t *b, size_t k)
{
	size_t w = (k - 1) >> 6;
	uint64_t word = b[w];
	unsigned sh = (unsigned)((k - 1) & 63);
	word &= sh == 63 ? ~UINT64_C(0) : ((UINT64_C(1) << (sh + 1)) - 1);
	while (!word)
		word = b[--w];
	return (w << 6) + 63 - (size_t)__builtin_clzll(word);
}

enum err match_hr_solve(const struct match_hr *hr,
			const struct match_rules *rules, int32_t *mentor_of,
			struct errinfo *ei)
{
	const uint32_t n = hr->n_mentees, m = hr->n_mentors;
	const uint32_t n_pairs = hr->eoff[n];
	const struct match_hr_pref *pref = hr->epref;
	enum err e = ERR_OK;

	uint32_t *room = xmalloc(xmul((size_t)m + 1, sizeof *room));
	uint32_t *worst = xcalloc((size_t)m + 1, sizeof *worst);
	uint32_t *next = xmalloc(xmul((size_t)n + 1, sizeof *next));
	uint32_t *stack = xmalloc(xmul((size_t)n + 1, sizeof *stack));
	uint64_t *held = xcalloc(((size_t)n_pairs >> 6) + 2, sizeof *held);
	uint64_t *skip = NULL;
	memcpy(room, hr->cap, (size_t)m * sizeof *room);
	for (uint32_t i = 0; i < n; i++)
		mentor_of[i] = MATCH_NONE;

	if (rules && (rules->n_locks || rules->n_bans)) {
		for (size_t k = 0; k < rules->n_locks; k++) {
			uint32_t i = rules->locks[k].mentee, j = rules->locks[k].mentor;
			if (i >= n || j >= m) {
				e = errinfo_set(ei, ERR_INVALID, "locks",
						"lock (%u, %u) out of range", i, j);
				goto out;
			}
			if (mentor_of[i] != MATCH_NONE) {
				e = errinfo_set(ei, ERR_CONFLICT, "locks",
						"mentee %u is locked twice", i);
				goto out;
			}
			if (room[j] == 0) {
				e = errinfo_set(ei, ERR_CONFLICT, "locks",
						"mentor %u has more locks than places", j);
				goto out;
			}
			room[j]--;
			mentor_of[i] = (int32_t)j;
		}
		skip = xcalloc(((size_t)n_pairs >> 6) + 2, sizeof *skip);
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
			for (uint32_t q = hr->eoff[i]; q < hr->eoff[i + 1]; q++)
				if (pref[q].mentor == j)
					bit_set(skip, q);
		}
	}

	/* Free mentees on a stack, lowest index on top (any order gives the
	 * same matching). */
	size_t sp = 0;
	for (uint32_t i = n; i-- > 0;) {
		next[i] = hr->eoff[i];
		if (mentor_of[i] == MATCH_NONE)
			stack[sp++] = i;
	}
	const uint32_t *eoff = hr->eoff, *moff = hr->moff, *mlist = hr->mlist;
	uint32_t *load = xcalloc((size_t)m + 1, sizeof *load);
	while (sp) {
		uint32_t i = stack[--sp];
		uint32_t q = next[i], end = eoff[i + 1];
		for (; q < end; q++) {
			if (skip && bit_get(skip, q))
				continue;
			uint32_t j = pref[q].mentor, r = pref[q].rank;
			if (load[j] < room[j]) {
				bit_set(held, (size_t)moff[j] + r);
				if (load[j]++ == 0 || r > worst[j])
					worst[j] = r;
				break;
			}
			if (room[j] && r < worst[j]) {
				size_t base = moff[j];
				uint32_t v = mlist[base + worst[j]];
				bit_clear(held, base + worst[j]);
				bit_set(held, base + r);
				worst[j] = (uint32_t)(bit_prev(held, base + worst[j]) - base);
				next[v]++;
				stack[sp++] = v;
				break;
			}
		}
		next[i] = q;
	}
	for (uint32_t i = 0; i < n; i++)
		if (mentor_of[i] == MATCH_NONE && next[i] < eoff[i + 1])
			mentor_of[i] = (int32_t)pref[next[i]].mentor;
	free(load);
out:
	free(room);
	free(worst);
	free(next);
	free(stack);
	free(held);
	free(skip);
	return e;
}
