/*
 * fuzz_instance.c — libFuzzer target: the HR/AS instance files of
 * bench/FORMAT.md (match_instance_parse, src/match/instance.c), and the
 * solvers on what it accepts.
 *
 * Input: the file's bytes, as `bangdai match-file` would read them.
 *
 * Checks, beyond the sanitizers:
 *   - a refusal is ERR_INVALID with the line number set, and leaves the
 *     instance empty;
 *   - an accepted instance written out (match_instance_write) parses
 *     again and writes out the same bytes;
 *   - a small accepted instance is solved: HR by deferred acceptance,
 *     whose answer must respect capacities, use only listed pairs and be
 *     stable; AS by both the auction and successive shortest paths, which
 *     must agree on (matched, total) and give feasible assignments whose
 *     count and score are what they report.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/match.h"

#define SOLVE_MAX 2000 /* solve only instances this small (per side) */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *why)
{
	fprintf(stderr, "fuzz_instance: %s\n", why);
	abort();
}

/* The instance in FORMAT.md form, returned owned in *out / *len. */
static void write_out(const struct match_instance *in, char **out, size_t *len)
{
	FILE *f = open_memstream(out, len);
	if (!f)
		abort();
	if (match_instance_write(in, f) != ERR_OK)
		fail("match_instance_write failed on a memory stream");
	fclose(f);
}

static void check_hr(const struct match_hr *hr)
{
	uint32_t nm = hr->n_mentees, nt = hr->n_mentors;
	int32_t *mentor_of = calloc((size_t)nm + 1, sizeof *mentor_of);
	uint32_t *load = calloc((size_t)nt + 1, sizeof *load);
	uint32_t *worst = calloc((size_t)nt + 1, sizeof *worst); /* worst rank held */
	struct errinfo ei;
	if (!mentor_of || !load || !worst)
		abort();
	errinfo_clear(&ei);
	if (match_hr_solve(hr, NULL, mentor_of, &ei) != ERR_OK)
		fail("match_hr_solve refused an instance the parser accepted");
	/* The rank of mentee i in mentor j's list, through i's own list. */
	for (uint32_t i = 0; i < nm; i++) {
		if (mentor_of[i] == MATCH_NONE)
			continue;
		if (mentor_of[i] < 0 || (uint32_t)mentor_of[i] >= nt)
			fail("HR: mentor out of range");
		uint32_t j = (uint32_t)mentor_of[i];
		bool listed = false;
		for (uint32_t q = hr->eoff[i]; q < hr->eoff[i + 1]; q++)
			if (hr->epref[q].mentor == j) {
				listed = true;
				if (load[j] == 0 || hr->epref[q].rank > worst[j])
					worst[j] = hr->epref[q].rank;
			}
		if (!listed)
			fail("HR: a pair that neither listed");
		if (++load[j] > hr->cap[j])
			fail("HR: over capacity");
	}
	/* Stability: no mentee prefers a mentor that has room for it or
	 * ranks it above someone it holds. */
	for (uint32_t i = 0; i < nm; i++)
		for (uint32_t q = hr->eoff[i]; q < hr->eoff[i + 1]; q++) {
			uint32_t j = hr->epref[q].mentor;
			if (mentor_of[i] == (int32_t)j)
				break; /* the rest are worse than what i has */
			if (load[j] < hr->cap[j] || (load[j] > 0 && hr->epref[q].rank < worst[j]))
				fail("HR: the matching is not stable");
		}
	free(mentor_of);
	free(load);
	free(worst);
}

/* Solve with one method; check feasibility; return (matched, total). */
static struct match_as_result solve_as(const struct match_as *as, enum match_as_method m)
{
	uint32_t nm = as->n_mentees, nt = as->n_mentors;
	int32_t *mentor_of = calloc((size_t)nm + 1, sizeof *mentor_of);
	uint32_t *load = calloc((size_t)nt + 1, sizeof *load);
	struct match_as_result res = {0, 0};
	struct errinfo ei;
	if (!mentor_of || !load)
		abort();
	errinfo_clear(&ei);
	if (match_as_solve(as, NULL, m, mentor_of, &res, &ei) != ERR_OK)
		fail("match_as_solve refused an instance the parser accepted");
	uint64_t matched = 0;
	int64_t total = 0;
	for (uint32_t i = 0; i < nm; i++) {
		if (mentor_of[i] == MATCH_NONE)
			continue;
		if (mentor_of[i] < 0 || (uint32_t)mentor_of[i] >= nt)
			fail("AS: mentor out of range");
		uint32_t j = (uint32_t)mentor_of[i];
		int32_t score = -1;
		for (uint32_t q = as->eoff[i]; q < as->eoff[i + 1]; q++)
			if (as->arc[q].mentor == j)
				score = as->arc[q].score;
		if (score < 0)
			fail("AS: a pair that is not a candidate");
		if (++load[j] > as->cap[j])
			fail("AS: over capacity");
		matched++;
		total += score;
	}
	if (matched != res.matched || total != res.total)
		fail("AS: the reported (matched, total) is not the assignment's");
	free(mentor_of);
	free(load);
	return res;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct match_instance in, again;
	struct errinfo ei;
	match_instance_init(&in);
	match_instance_init(&again);
	errinfo_clear(&ei);
	enum err e = match_instance_parse(&in, (const char *)data, size, &ei);
	if (e != ERR_OK) {
		if (e != ERR_INVALID || ei.row < 1 || !ei.message[0])
			fail("a refusal without ERR_INVALID, a line and a message");
		if (in.kind != MATCH_KIND_NONE)
			fail("a refused instance is not left empty");
		match_instance_release(&in);
		return 0;
	}

	char *w1 = NULL, *w2 = NULL;
	size_t l1 = 0, l2 = 0;
	write_out(&in, &w1, &l1);
	if (match_instance_parse(&again, w1, l1, &ei) != ERR_OK) {
		fprintf(stderr, "fuzz_instance: reparse: %s\n", ei.message);
		fail("what match_instance_write wrote does not parse");
	}
	write_out(&again, &w2, &l2);
	if (l1 != l2 || memcmp(w1, w2, l1) != 0)
		fail("write, parse, write does not give the same bytes");
	free(w1);
	free(w2);
	match_instance_release(&again);

	if (in.kind == MATCH_KIND_HR && in.hr.n_mentees <= SOLVE_MAX &&
	    in.hr.n_mentors <= SOLVE_MAX)
		check_hr(&in.hr);
	if (in.kind == MATCH_KIND_AS && in.as.n_mentees <= SOLVE_MAX &&
	    in.as.n_mentors <= SOLVE_MAX) {
		struct match_as_result a = solve_as(&in.as, MATCH_AS_AUCTION);
		struct match_as_result b = solve_as(&in.as, MATCH_AS_SSP);
		if (a.matched != b.matched || a.total != b.total) {
			fprintf(stderr, "fuzz_instance: auction (%llu, %lld), SSP (%llu, %lld)\n",
				(unsigned long long)a.matched, (long long)a.total,
				(unsigned long long)b.matched, (long long)b.total);
			fail("the two AS solvers disagree on the optimum");
		}
	}
	match_instance_release(&in);
	return 0;
}
