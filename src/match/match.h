/*
 * match.h — the matching engine's one contract (layer: match; depends on
 * core only; no SQL, no HTTP, no I/O except the instance-file reader and
 * writer, which take a pointer+length or a FILE*).
 *
 * Plain arrays in, plain arrays out. The engine knows nothing of accounts,
 * jurisdictions or storage: the service layer turns stored people into the
 * `struct match_mentee_info` / `struct match_mentor_info` arrays below,
 * calls the solvers and stores what comes back.
 *
 * What lives here (SPEC §4):
 *   - scores (score.c): the five-principle score of a pair with its
 *     per-principle breakdown, and candidate generation (best K per mentee);
 *   - menu choice (hr.c): mentee-proposing deferred acceptance with
 *     capacities, locks and bans;
 *   - automatic assignment (as.c): most mentees matched, then the largest
 *     total score, under capacities, locks, bans and group quotas;
 *   - key cultivation N:1 and small teams N:N (team.c);
 *   - why a mentee is unmatched, with the best alternatives (score.c);
 *   - the bench/FORMAT.md instance files (instance.c, matchfile.c).
 *
 * Conventions. Mentees and mentors are 0-based indices into the caller's
 * arrays. A result array `mentor_of[i]` holds the mentor of mentee i or
 * MATCH_NONE. Every solver is deterministic: the same input (and seed) gives
 * the same output, on every run and machine. Every size that comes from
 * outside is checked against the named limits below before anything is
 * allocated; allocation aborts on exhaustion (core/mem.h).
 */
#ifndef BANGDAI_MATCH_MATCH_H
#define BANGDAI_MATCH_MATCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"

/* ---- Named limits for untrusted sizes ---------------------------------- */

#define MATCH_MAX_MENTEES 10000000u   /* mentees in one instance */
#define MATCH_MAX_MENTORS 10000000u   /* mentors in one instance */
#define MATCH_MAX_EDGES 100000000u    /* candidate pairs in one instance */
#define MATCH_MAX_CAPACITY 10000000u  /* one mentor's capacity */
#define MATCH_MIN_SCORE 1             /* AS scores are 1..10000 */
#define MATCH_MAX_SCORE 10000
#define MATCH_MAX_DOMAINS 64          /* domain tags are bits of a uint64_t */
#define MATCH_MAX_ALTS 3              /* alternatives shown to an unmatched mentee */
#define MATCH_TEAM_MAX 16             /* members of one N:1 team */

#define MATCH_NONE (-1)               /* "no mentor" in mentor_of[] */

/* ---- Organisational rules shared by the solvers ------------------------ */

struct match_pair {
	uint32_t mentee;
	uint32_t mentor;
};

/*
 * Locks and bans decided by an admin. A lock puts the mentee with the mentor
 * before anything else is decided and uses one of the mentor's places (and
 * of its group's quota); the pair need not be a candidate. A ban removes the
 * pair from every list. Arrays are borrowed for the duration of the call;
 * counts may be 0 with NULL pointers. A mentee locked twice, a pair both
 * locked and banned, an index out of range, or more locks on a mentor than
 * its capacity is ERR_CONFLICT (ERR_INVALID for an index out of range).
 */
struct match_rules {
	const struct match_pair *locks;
	size_t n_locks;
	const struct match_pair *bans;
	size_t n_bans;
};

/* ---- Menu choice: stable matching with capacities (hr.c) --------------- */

struct match_hr_pref {
	uint32_t mentor; /* the mentor mentee i ranks at this position */
	uint32_t rank;   /* 0-based position of mentee i in that mentor's list */
};

/*
 * An HR instance in the form deferred acceptance wants. Both sides' lists
 * are best first and mirror each other: mentor j ranks exactly the mentees
 * whose lists contain j. All arrays are owned by the struct.
 *   cap[j]                   places of mentor j
 *   mlist[moff[j]..moff[j+1]) mentees ranked by mentor j
 *   epref[eoff[i]..eoff[i+1]) mentors ranked by mentee i, each with i's rank
 *                             in that mentor's list
 * Offsets are uint32_t: the number of pairs is at most MATCH_MAX_EDGES.
 */
struct match_hr {
	uint32_t n_mentees;
	uint32_t n_mentors;
	uint32_t *cap;
	uint32_t *moff;
	uint32_t *mlist;
	uint32_t *eoff;
	struct match_hr_pref *epref;
};

/* Empty instance (all zero); release frees what it owns and re-empties it. */
void match_hr_init(struct match_hr *hr);
void match_hr_release(struct match_hr *hr);

/*
 * Build an HR instance from the two sides' lists (all borrowed, copied).
 *   cap[n_mentors]; mentee i's mentors, best first: elist[eoff[i]..eoff[i+1]).
 *   If mlist is not NULL, mentor j's ranked mentees are
 *   mlist[moff[j]..moff[j+1]) and must mirror the mentees' lists.
 *   If mlist is NULL ("the mentor takes the score order"), each mentor ranks
 *   the mentees that listed it by escore (parallel to elist) from high to
 *   low, ties by lower mentee index; escore may then be NULL for "index
 *   order".
 * Errors: ERR_INVALID (index out of range, duplicate in a list, lists that
 * do not mirror; ei->message names the mentee or mentor), ERR_TOO_LARGE
 * (a count above the MATCH_MAX_* limits). On error *hr is left empty.
 */
enum err match_hr_build(struct match_hr *hr, uint32_t n_mentees,
			uint32_t n_mentors, const uint32_t *cap,
			const uint32_t *eoff, const uint32_t *elist,
			const uint32_t *moff, const uint32_t *mlist,
			const int32_t *escore, struct errinfo *ei);

/*
 * Mentee-proposing deferred acceptance with capacities (Gale–Shapley as
 * extended by Roth to hospitals/residents). Locked mentees are placed first
 * and use a place of their mentor; banned pairs are skipped by both sides.
 * The result is the mentee-optimal stable matching of the instance left
 * after locks and bans, which is unique: every correct solver gives the
 * same answer, whatever order proposals are made in.
 *   rules     borrowed, may be NULL.
 *   mentor_of [n_mentees] output, caller-allocated: mentor or MATCH_NONE.
 * Time O(pairs + mentees); memory 8 bytes per mentee, 12 per mentor and
 * one bit per pair (two with bans). Errors: see struct match_rules.
 */
enum err match_hr_solve(const struct match_hr *hr,
			const struct match_rules *rules, int32_t *mentor_of,
			struct errinfo *ei);

/* ---- Automatic assignment (as.c) -------------------------------------- */

struct match_arc {
	uint32_t mentor;
	int32_t score; /* MATCH_MIN_SCORE..MATCH_MAX_SCORE */
};

/*
 * An AS instance: candidate arcs of mentee i are arc[eoff[i]..eoff[i+1]),
 * at most one per (mentee, mentor). Optional group quotas: if n_groups > 0,
 * mentor j belongs to group[j] < n_groups and the mentees placed with all
 * mentors of group g together may not exceed quota[g] (a county quota).
 * All arrays are owned by the struct; group and quota are NULL when
 * n_groups is 0.
 */
struct match_as {
	uint32_t n_mentees;
	uint32_t n_mentors;
	uint32_t *cap;
	uint32_t *eoff;
	struct match_arc *arc;
	uint32_t n_groups;
	uint32_t *group;
	uint32_t *quota;
};

void match_as_init(struct match_as *as);
void match_as_release(struct match_as *as);

enum match_as_method {
	MATCH_AS_AUTO = 0, /* auction without quotas, shortest paths with */
	MATCH_AS_AUCTION,  /* ε-scaling forward/reverse auction (no quotas) */
	MATCH_AS_SSP,      /* successive shortest paths, Dijkstra + potentials */
	MATCH_AS__MAX
};

struct match_as_result {
	uint64_t matched; /* mentees placed, locked ones included */
	int64_t total;    /* sum of the scores of placed pairs (a locked pair
			     that is not a candidate counts 0) */
};

/*
 * Optimal automatic assignment: among all placements that respect the
 * capacities, quotas, locks and bans, first the most mentees placed, then
 * the largest total score — a min-cost max-flow on the sparse candidate
 * graph with cost = -score. (matched, total) is unique; the assignment
 * itself may differ between correct solvers with ties.
 *
 * Methods (chosen by measurement, see docs/bench.md):
 *   MATCH_AS_AUCTION  Bertsekas' auction with ε-scaling on the mentee side,
 *     mentors as similar objects with one price per place, a reverse
 *     auction that brings the price of every free place back to zero, and
 *     for each mentee an outside option worth -M with
 *     M = max score · min(mentees, mentors) + 1, so that one more placed
 *     mentee outweighs any change of score. Values are scaled by
 *     (mentees + 1) and the last phase has ε = 1, so ε-complementary
 *     slackness gives the exact optimum. A Hopcroft–Karp maximum matching
 *     first finds the over-demanded mentors (Dulmage–Mendelsohn), whose
 *     prices start at M so that no price war has to climb there. Time in
 *     practice near-linear in the arcs per phase, O(log(max score · mentees))
 *     phases; not available with quotas.
 *   MATCH_AS_SSP  successive shortest paths: each mentee in turn is
 *     routed along a shortest path (Dijkstra with potentials) through the
 *     residual network mentee → mentor → group → sink, with the same
 *     outside option. Handles quotas; slow when many mentees compete for
 *     the same full region.
 *   MATCH_AS_AUTO  the auction without quotas, SSP with quotas.
 *
 *   rules     borrowed, may be NULL. Locked pairs are placed as given.
 *   mentor_of [n_mentees] output (caller-allocated).
 *   res       output, may be NULL.
 * Errors: see struct match_rules; ERR_INVALID for an arc out of range or a
 * score outside 1..10000; ERR_UNPROCESSABLE for MATCH_AS_AUCTION with
 * quotas.
 */
enum err match_as_solve(const struct match_as *as,
			const struct match_rules *rules,
			enum match_as_method method, int32_t *mentor_of,
			struct match_as_result *res, struct errinfo *ei);

/* ---- Instance files: bench/FORMAT.md (instance.c) ------------------------ */

enum match_kind {
	MATCH_KIND_NONE = 0,
	MATCH_KIND_HR,
	MATCH_KIND_AS,
	MATCH_KIND__MAX
};

struct match_instance {
	enum match_kind kind;
	struct match_hr hr; /* valid when kind == MATCH_KIND_HR */
	struct match_as as; /* valid when kind == MATCH_KIND_AS */
};

void match_instance_init(struct match_instance *in);
void match_instance_release(struct match_instance *in);

/*
 * Parse an HR or AS instance file from p[0..len) (borrowed; need not be
 * NUL-terminated). The format is strict about lines: the header on line 1,
 * then one record per line; spaces, tabs and a CR before the LF separate
 * numbers; trailing blank lines are allowed, anything else after the last
 * record is not.
 * Every malformed input — an unknown kind, a count above its MATCH_MAX_*
 * limit or larger than the input could hold, an index out of range, a
 * duplicate, a mentor list that does not mirror the mentees' lists, a
 * negative or huge number, a score outside 1..10000, a missing or extra
 * number on a line, truncated input, trailing garbage — is ERR_INVALID with
 * ei->row = the 1-based line and a message that says what was expected.
 * Allocation is bounded by a small multiple of len: claimed counts are
 * checked against what len could hold before anything is allocated (an
 * HR header claiming more lines than the input could hold is reported on
 * line 1, AS capacities on line 2), and lists grow only with what is read.
 * The exception is an AS file's number of mentees, who have no lines:
 * it is bounded by MATCH_MAX_MENTEES alone (a few bytes each).
 * On success *in (which must be initialised) owns the instance; on error it
 * is left empty.
 */
enum err match_instance_parse(struct match_instance *in, const char *p,
			      size_t len, struct errinfo *ei);

/* Write an instance in FORMAT.md form. Errors: ERR_IO. */
enum err match_instance_write(const struct match_instance *in, FILE *out);

/*
 * Write a result in FORMAT.md form: for AS first "<matched> <total>", then
 * for every mentee its mentor or -1, one per line. res is used only for
 * MATCH_KIND_AS. Errors: ERR_IO.
 */
enum err match_result_write(FILE *out, enum match_kind kind,
			    uint32_t n_mentees, const int32_t *mentor_of,
			    const struct match_as_result *res);

/*
 * `bangdai match-file FILE`: read an instance from the file at
 * path_or_dash ("-" is standard input), solve it (HR: deferred acceptance;
 * AS: MATCH_AS_AUTO) and write exactly the FORMAT.md output to out —
 * nothing else. The input is read in one piece and parsed by a hand-written
 * scanner; the output goes through a large buffer.
 * Errors: ERR_IO (cannot open or read; ei->message says which), anything
 * match_instance_parse reports (ei->row set), ERR_IO when writing fails.
 * Nothing is written to out on an input error.
 */
enum err match_file_run(const char *path_or_dash, FILE *out,
			struct errinfo *ei);

/* ---- Scores and candidates (score.c) ----------------------------------- */

/* The five principles of SPEC §4, in the order the UI shows them. */
enum match_principle {
	MATCH_P_DOMAIN = 0,  /* 领域相近 domain proximity */
	MATCH_P_CONVENIENCE, /* 帮带便捷 convenience */
	MATCH_P_STRONG_WEAK, /* 以强带弱 strong helps weak */
	MATCH_P_VOLUNTARY,   /* 双向自愿 two-way voluntary */
	MATCH_P_ORG,         /* 组织统筹 organisational coordination */
	MATCH_P__MAX
};

/* Stable machine name of a principle ("domain", ...). Never NULL. */
const char *match_principle_name(enum match_principle p);

/* 三型 team types of a mentor. */
enum match_mentor_type {
	MATCH_TYPE_EXPERT = 0, /* 专家型 */
	MATCH_TYPE_EXPERIENCE, /* 经验型 */
	MATCH_TYPE_MASS,       /* 群众型 */
	MATCH_TYPE__MAX
};

struct match_mentee_info {
	double lat, lon;   /* degrees */
	uint32_t county;   /* 0 = unknown */
	uint32_t township; /* 0 = unknown; ids are unique across counties */
	uint64_t weak;     /* bit d set = weak in domain d */
	uint8_t need;      /* 0..100, 100 = weakest: first claim on strong mentors */
};

struct match_mentor_info {
	double lat, lon;
	uint32_t county;
	uint32_t township;
	uint64_t domains;  /* bit d set = expert in domain d */
	uint8_t strength;  /* 0..100 */
	uint8_t type;      /* enum match_mentor_type */
	uint32_t capacity; /* places for 1:1 and 1:N */
};

/*
 * Score parameters. match_params_default() documents the defaults:
 *   weight      domain .35, convenience .20, strong-weak .20,
 *               voluntary .15, organisation .10 (any non-negative numbers
 *               with a positive sum; they are normalised)
 *   reach_km    50: a mentor farther than this is out of reach (not a
 *               candidate) unless the pair is locked or ranked by the mentee
 *   township_bonus .30, county_bonus .15: added to the distance part of
 *               convenience for the same township / county (capped at 1)
 *   max_rank    10: ranks are 1..max_rank, 1 best
 *   k           0 = the rule of match_candidates_k()
 *   seed        breaks score ties among candidates, reproducibly
 */
struct match_params {
	double weight[MATCH_P__MAX];
	double reach_km;
	double township_bonus;
	double county_bonus;
	uint32_t max_rank;
	uint32_t k;
	uint64_t seed;
};

void match_params_default(struct match_params *p);

/*
 * A pair's score: part[p] points for each principle, summing exactly to
 * total, 0..MATCH_MAX_SCORE. part[p] = floor(10000 · w_p/Σw · c_p) for the
 * principle's value c_p in [0,1]:
 *   domain       |weak ∩ domains| / |weak| (0 if the mentee lists no weakness)
 *   convenience  max(0, 1 - d/reach_km) + township or county bonus, capped
 *                at 1; d is the haversine distance
 *   strong-weak  (strength/100) · (need/100) · (0.5 + 0.5 · domain): the
 *                product is supermodular, so maximising the total score
 *                gives the strongest mentors to the weakest mentees
 *   voluntary    mean of the two sides' rank parts, each
 *                (max_rank + 1 - rank) / max_rank, 0 where no rank is given
 *   organisation 1 for a locked pair, else 0 (bans, capacities and quotas
 *                are hard constraints applied by the solvers)
 */
struct match_breakdown {
	int32_t part[MATCH_P__MAX];
	int32_t total;
};

/* Great-circle distance in km between two points given in degrees. */
double match_distance_km(double lat1, double lon1, double lat2, double lon2);

/*
 * Score one pair. mentee_rank / mentor_rank are 1-based ranks the two sides
 * gave each other (0 = not ranked); locked is 0 or 1. All pointers
 * borrowed; out is written.
 */
void match_score_pair(const struct match_params *p,
		      const struct match_mentee_info *e,
		      const struct match_mentor_info *m, uint32_t mentee_rank,
		      uint32_t mentor_rank, int locked,
		      struct match_breakdown *out);

/* A rank that one side gave the other (both 1-based, 0 = not given). */
struct match_choice {
	uint32_t mentee;
	uint32_t mentor;
	uint16_t mentee_rank;
	uint16_t mentor_rank;
};

struct match_cand {
	uint32_t mentor;
	uint16_t mentee_rank; /* copied from the choices, 0 = none */
	uint16_t mentor_rank;
	struct match_breakdown score;
};

/*
 * The candidate graph: for mentee i, c[off[i]..off[i+1]) sorted by score
 * (best first). Also, per mentee, how many mentors were in reach and how
 * many of them were banned, and the best mentors out of reach (for the
 * "nobody left behind" round). All arrays owned.
 */
struct match_cands {
	uint32_t n_mentees;
	uint32_t n_mentors;
	uint32_t *off;
	struct match_cand *c;
	uint32_t *n_reach;   /* [n_mentees] mentors within reach_km */
	uint32_t *n_banned;  /* [n_mentees] of those, banned */
	int32_t *far;        /* [n_mentees * MATCH_MAX_ALTS] best out of reach, -1 pads */
};

void match_cands_init(struct match_cands *c);
void match_cands_release(struct match_cands *c);

/*
 * The rule for K, the candidates kept per mentee, when p->k is 0:
 * K = min(n_mentors, max(20, ceil(20 · n_mentees / total_capacity))) —
 * 20 covers the menu and the usual competition; when places are scarcer
 * than mentees each mentee needs proportionally more alternatives for the
 * assignment to find every mentee that can be placed. With p->k > 0,
 * K = min(p->k, n_mentors).
 */
uint32_t match_candidates_k(const struct match_params *p, uint32_t n_mentees,
			    const struct match_mentor_info *mentors,
			    uint32_t n_mentors);

/*
 * Generate candidates: every (mentee, mentor) pair in reach and not banned
 * is scored; each mentee keeps its best K (ties broken by a hash of the seed
 * and the mentor, so the order is reproducible), plus every pair the mentee
 * ranked and every locked pair, even beyond K or out of reach. Time
 * O(n_mentees · n_mentors) — meant for one jurisdiction's run.
 *   choices  [n_choices] borrowed, may be NULL; a mentee or mentor out of
 *            range or a pair given twice is ERR_INVALID.
 *   rules    borrowed, may be NULL; locks give the organisation part.
 *   out      initialised; filled (owned) on success, empty on error.
 */
enum err match_candidates(const struct match_params *p,
			  const struct match_mentee_info *mentees,
			  uint32_t n_mentees,
			  const struct match_mentor_info *mentors,
			  uint32_t n_mentors, const struct match_choice *choices,
			  size_t n_choices, const struct match_rules *rules,
			  struct match_cands *out, struct errinfo *ei);

/*
 * Solver inputs from candidates. match_cands_to_as: every candidate is an
 * arc with score max(1, total); capacities from mentors[].capacity; no
 * quotas (the caller may set n_groups/group/quota afterwards, allocating
 * them with core/mem.h). match_cands_to_hr: the menu — a mentee's list is
 * its ranked candidates in rank order (mentees who ranked nobody apply to
 * nobody); a mentor ranks its applicants by its own ranks first, then by
 * score. `out` must be initialised; it owns the result.
 */
enum err match_cands_to_as(const struct match_cands *c,
			   const struct match_mentor_info *mentors,
			   struct match_as *out, struct errinfo *ei);
enum err match_cands_to_hr(const struct match_cands *c,
			   const struct match_mentor_info *mentors,
			   struct match_hr *out, struct errinfo *ei);

/* ---- Nobody left behind (score.c) ---------------------------------------- */

enum match_reason {
	MATCH_REASON_MATCHED = 0,
	MATCH_REASON_NO_CANDIDATE, /* no mentor within reach */
	MATCH_REASON_BANNED,       /* every mentor within reach is banned */
	MATCH_REASON_NO_CHOICE,    /* menu choice: the mentee ranked nobody */
	MATCH_REASON_FULL,         /* every candidate's places are taken */
	MATCH_REASON__MAX
};

/* Stable machine name ("no_candidate", ...). Never NULL. */
const char *match_reason_name(enum match_reason r);

struct match_unmatched {
	uint32_t mentee;
	enum match_reason reason;
	uint32_t n_alt;
	int32_t alt[MATCH_MAX_ALTS];   /* best alternatives, best first */
	int32_t alt_score[MATCH_MAX_ALTS];
	uint8_t alt_full[MATCH_MAX_ALTS]; /* 1 = that mentor has no place left */
};

/*
 * Explain every unmatched mentee of a result computed from candidates c:
 * why (first that applies: no candidate, all banned, ranked nobody (when
 * menu is nonzero), every candidate full) and the best alternatives — the
 * best-scored candidates, or the best mentors out of reach when there are
 * none (their alt_score is 0: out of reach, the score is not kept).
 * mentor_of is the solver's output; mentors[].capacity gives the places.
 * *out is returned owned (free() it; NULL when *n_out is 0).
 * Errors: ERR_INVALID for a mentor_of entry out of range.
 */
enum err match_explain(const struct match_cands *c,
		       const struct match_mentor_info *mentors,
		       const int32_t *mentor_of, int menu,
		       struct match_unmatched **out, size_t *n_out,
		       struct errinfo *ei);

/* ---- Key cultivation N:1 and small teams N:N (team.c) ----------------- */

/*
 * Team parameters (match_team_params_default):
 *   max_size   5 members at most (≤ MATCH_TEAM_MAX)
 *   km_unit    20: each 20 km of distance adds 1 to a mentor's cost
 *   type_extra 0.25: a mentor whose type is already in the team costs 25%
 *              more — the preference for mixing the 三型 types
 *   group_size 4 mentees at most in an N:N team
 */
struct match_team_params {
	uint32_t max_size;
	double km_unit;
	double type_extra;
	uint32_t group_size;
};

void match_team_params_default(struct match_team_params *tp);

struct match_team {
	uint32_t n;
	uint32_t member[MATCH_TEAM_MAX]; /* mentor indices, in the order chosen */
	uint64_t need;      /* domains to cover */
	uint64_t covered;   /* need ∩ union of members' domains */
	double cost;        /* sum of the members' base costs */
};

/*
 * Key cultivation (多对一): choose mentors whose domains together cover
 * `need` (the key mentee's weaknesses), few, strong and near. A mentor's
 * base cost is 1 + distance/km_unit + (100 - strength)/100, so fewer, nearer
 * and stronger mentors are cheaper; mentors with no place left (capacity 0)
 * or with avail[j] == 0 are skipped (avail may be NULL).
 *
 * Method: greedy weighted set cover — repeatedly take the mentor with the
 * most newly covered domains per unit of cost, the cost raised by
 * type_extra when its type is already in the team (ties: lower index) —
 * then drop members made redundant by later ones.
 * Guarantee: if a cover exists and max_size does not stop the greedy, the
 * team's cost is at most (1 + type_extra) · H(|need|) times the cost of the
 * cheapest cover, H(n) = 1 + 1/2 + ... + 1/n ≤ 1 + ln n (Chvátal 1979;
 * the type rule changes each cost by a factor in [1, 1 + type_extra]).
 * If no cover exists, out->covered says what could be covered and the call
 * still succeeds. Errors: ERR_INVALID for max_size out of range.
 */
enum err match_team_cover(const struct match_team_params *tp,
			  const struct match_mentee_info *key, uint64_t need,
			  const struct match_mentor_info *mentors,
			  uint32_t n_mentors, const uint8_t *avail,
			  struct match_team *out, struct errinfo *ei);

struct match_group {
	uint32_t n_mentees;
	uint32_t mentee[MATCH_TEAM_MAX];
	struct match_team team; /* covers the union of the mentees' weaknesses */
};

/*
 * Small teams (多对多): mentees with similar needs are grouped and each
 * group gets a team that covers the union of its weaknesses.
 * Grouping: the mentee with the most weaknesses (ties: lower index) that
 * is not yet grouped seeds a group; the ungrouped mentees within reach_km
 * of it with the largest Jaccard similarity of weaknesses (ties: nearer,
 * then lower index) join until group_size. Each group is then covered by
 * match_team_cover() from the group's centre, and each mentor serves in at
 * most one team. Time O(n_mentees² + groups · n_mentors).
 * *out returned owned (free()); *n_out groups.
 */
enum err match_teams_group(const struct match_params *p,
			   const struct match_team_params *tp,
			   const struct match_mentee_info *mentees,
			   uint32_t n_mentees,
			   const struct match_mentor_info *mentors,
			   uint32_t n_mentors, struct match_group **out,
			   size_t *n_out, struct errinfo *ei);

/* ---- Reproducible randomness ------------------------------------------- */

/* splitmix64: the next value of the stream whose state is *s. */
uint64_t match_rng_next(uint64_t *s);

#endif
