/*
 * svc_matching.c — matching runs in the system (SPEC §4): the inputs are
 * read from the store for one jurisdiction, the engine (src/match) solves,
 * the proposal is stored with its parameters, seed and per-principle
 * explanation, and only an admin's approval turns it into pairings.
 * Layer: service.
 *
 * Indices given to the engine follow the order of ids, and the seed is
 * stored, so the same data and seed give the same run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "match/match.h"
#include "service/internal.h"
#include "core/vec.h"
#include "store/db_match.h"

typedef VEC(struct db_match_mentee) mentee_vec;
typedef VEC(struct db_match_mentor) mentor_vec;
typedef VEC(struct db_match_rank) rank_vec;
typedef VEC(struct db_match_rule) rule_vec;

static enum err push_mentee(void *arg, const void *row)
{
	VEC_PUSH(*(mentee_vec *)arg, *(const struct db_match_mentee *)row);
	return ERR_OK;
}
static enum err push_mentor(void *arg, const void *row)
{
	VEC_PUSH(*(mentor_vec *)arg, *(const struct db_match_mentor *)row);
	return ERR_OK;
}
static enum err push_rank(void *arg, const void *row)
{
	VEC_PUSH(*(rank_vec *)arg, *(const struct db_match_rank *)row);
	return ERR_OK;
}
static enum err push_rule(void *arg, const void *row)
{
	VEC_PUSH(*(rule_vec *)arg, *(const struct db_match_rule *)row);
	return ERR_OK;
}

/* Index of `key` in an array of n records of `size` bytes sorted by id,
 * whose first member is the int64_t id; -1 if absent. */
static long find_id(const void *base, size_t n, size_t size, int64_t key)
{
	long lo = 0, hi = (long)n - 1;
	while (lo <= hi) {
		long mid = (lo + hi) / 2;
		int64_t id;
		memcpy(&id, (const char *)base + (size_t)mid * size, sizeof id);
		if (id == key)
			return mid;
		if (id < key)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

#define FIND_ID(vec, key) find_id((vec).v, (vec).n, sizeof *(vec).v, (key))

/* ---- from records to the engine's view ------------------------------------ */

struct domain_bits {
	char code[MATCH_MAX_DOMAINS][M_CODE];
	int n;
};

static enum err add_domain(void *arg, const void *row)
{
	struct domain_bits *d = arg;
	if (d->n < MATCH_MAX_DOMAINS) /* past 64 domains a tag is not scored */
		snprintf(d->code[d->n++], M_CODE, "%s", ((const struct vocab *)row)->code);
	return ERR_OK;
}

static uint64_t tag_bits(const struct domain_bits *d, const char *tags)
{
	uint64_t bits = 0;
	for (int i = 0; i < d->n; i++) {
		char probe[M_CODE + 2];
		snprintf(probe, sizeof probe, ",%s,", d->code[i]);
		if (strstr(tags, probe))
			bits |= 1ull << i;
	}
	return bits;
}

/* Small ids for the county and township of a path ("/c/k/t/v/"): the
 * engine only compares them for equality. */
struct seg_ids {
	char seg[512][M_PATH];
	int n;
};

static uint32_t seg_id(struct seg_ids *s, const char *path, int depth)
{
	const char *p = path;
	for (int i = 0; i < depth && p; i++)
		p = strchr(p + 1, '/');
	if (!p)
		return 0;
	size_t len = (size_t)(p - path) + 1;
	char key[M_PATH];
	if (len >= sizeof key)
		return 0;
	memcpy(key, path, len);
	key[len] = '\0';
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->seg[i], key))
			return (uint32_t)i + 1;
	if (s->n == (int)(sizeof s->seg / sizeof s->seg[0]))
		return 0; /* too many to tell apart: counts as "unknown" */
	snprintf(s->seg[s->n], M_PATH, "%s", key);
	return (uint32_t)++s->n;
}

/* How weak a mentee is (0..100): the weakest get first claim on the
 * strongest mentors (以强带弱). */
static uint8_t mentee_need(const struct db_match_mentee *m)
{
	static const struct {
		const char *category;
		int need;
	} by_category[] = {
		{"weak_village_secretary", 85}, {"new_village_secretary", 70},
		{"new_township_leader", 60},    {"new_township_cadre", 60},
		{"new_work_team", 60},          {"township_young_cadre", 55},
		{"retained_secretary", 50},     {"reserve_force", 45},
	};
	int need = 50;
	if (!strcmp(m->kind, "org"))
		need = m->weak_lax ? 100 : m->lagging ? 90 : m->weak_economy ? 80 : 70;
	else
		for (size_t i = 0; i < sizeof by_category / sizeof by_category[0]; i++)
			if (!strcmp(m->category, by_category[i].category))
				need = by_category[i].need;
	int tags = 0;
	for (const char *p = m->weaknesses; *p; p++)
		tags += *p == ',';
	need += tags > 1 ? 3 * (tags - 1) : 0;
	return (uint8_t)(need > 100 ? 100 : need);
}

static uint8_t team_of(const char *t)
{
	if (!strcmp(t, "expert"))
		return MATCH_TYPE_EXPERT;
	if (!strcmp(t, "experienced"))
		return MATCH_TYPE_EXPERIENCE;
	return MATCH_TYPE_MASS;
}

/* ---- one run ---------------------------------------------------------------- */

struct run_ctx {
	struct service *s;
	const struct actor *a;
	const struct svc_match_request *rq;
	struct errinfo *ei;
	struct region scope;       /* the run's region */
	char mentor_lo[M_PATH], mentor_hi[M_PATH];
	mentee_vec mentees;
	mentor_vec mentors;
	rank_vec choices, ranks;
	rule_vec rules;
	struct domain_bits domains;
	struct db_match_run run;
	int64_t run_id;
	json_t *out; /* the run as stored, read in the transaction */
};

static void range_of(const char *lo, char *hi, size_t n)
{
	snprintf(hi, n, "%s", lo);
	size_t len = strlen(hi);
	if (len && hi[len - 1] == '/')
		hi[len - 1] = '0';
}

static void params_json(const struct svc_match_request *rq, const struct match_params *p,
			char *out, size_t n)
{
	json_t *j = json_pack("{s:s, s:[f,f,f,f,f], s:f, s:i, s:I, s:b}", "method", rq->method,
			      "weights", p->weight[0], p->weight[1], p->weight[2], p->weight[3],
			      p->weight[4], "reach_km", p->reach_km, "k", (int)p->k, "seed",
			      (json_int_t)p->seed, "wider", rq->wider);
	if (rq->n_quotas) {
		json_t *qo = json_object();
		for (int i = 0; i < rq->n_quotas; i++)
			json_object_set_new(qo, rq->quotas[i].county, json_integer(rq->quotas[i].quota));
		json_object_set_new(j, "quotas", qo);
	}
	if (rq->n_key) {
		json_t *k = json_array();
		for (int i = 0; i < rq->n_key; i++)
			json_array_append_new(k, json_integer(rq->key_mentees[i]));
		json_object_set_new(j, "key_mentees", k);
	}
	char *txt = json_dumps(j, JSON_COMPACT);
	snprintf(out, n, "%s", txt ? txt : "{}");
	free(txt);
	json_decref(j);
}

static void parts_text(const struct match_breakdown *b, char *out, size_t n)
{
	snprintf(out, n, "%d,%d,%d,%d,%d", b->part[0], b->part[1], b->part[2], b->part[3],
		 b->part[4]);
}

/* Store one proposed pair. */
static enum err put_pair(struct store_conn *c, struct run_ctx *r, int team, uint32_t e,
			 uint32_t m, const struct match_breakdown *b, bool locked)
{
	struct db_match_proposal p;
	memset(&p, 0, sizeof p);
	p.run_id = r->run_id;
	p.team = team;
	p.mentee_id = r->mentees.v[e].id;
	p.mentor_id = r->mentors.v[m].id;
	p.score = b->total;
	parts_text(b, p.parts, sizeof p.parts);
	p.locked = locked;
	return db_match_proposal_insert(c, &p);
}

/* County quotas for the assignment: one group per county path of the
 * mentors; a county without a quota is bounded only by its places. */
static void county_quotas(struct run_ctx *r, struct match_as *as)
{
	size_t nm = r->mentors.n;
	char (*paths)[M_PATH] = xcalloc(nm + 1, M_PATH);
	uint32_t ng = 0;
	as->group = xcalloc(nm + 1, sizeof *as->group);
	as->quota = xcalloc(nm + 1, sizeof *as->quota);
	for (size_t j = 0; j < nm; j++) {
		/* "/city/county/..." -> "/city/county/" */
		const char *p = r->mentors.v[j].region_path, *q = p;
		for (int k = 0; k < 2 && q; k++)
			q = strchr(q + 1, '/');
		size_t len = q ? (size_t)(q - p) + 1 : strlen(p);
		char key[M_PATH];
		snprintf(key, sizeof key, "%.*s", (int)len, p);
		uint32_t g = 0;
		while (g < ng && strcmp(paths[g], key))
			g++;
		if (g == ng) {
			snprintf(paths[ng], M_PATH, "%s", key);
			as->quota[ng] = UINT32_MAX / 2;
			for (int k = 0; k < r->rq->n_quotas; k++) {
				char seg[M_PATH];
				snprintf(seg, sizeof seg, "/%s/", r->rq->quotas[k].county);
				if (strstr(key, seg))
					as->quota[ng] = r->rq->quotas[k].quota;
			}
			ng++;
		}
		as->group[j] = g;
	}
	as->n_groups = ng;
	free(paths);
}

static enum err run_engine(struct store_conn *c, struct run_ctx *r, int *matched, int64_t *total)
{
	size_t ne = r->mentees.n, nm = r->mentors.n;
	struct match_mentee_info *ei = xcalloc(ne + 1, sizeof *ei);
	struct match_mentor_info *mi = xcalloc(nm + 1, sizeof *mi);
	struct seg_ids *segs = xcalloc(1, sizeof *segs);
	for (size_t i = 0; i < ne; i++) {
		const struct db_match_mentee *m = &r->mentees.v[i];
		ei[i].lat = m->lat;
		ei[i].lon = m->lon;
		ei[i].county = seg_id(segs, m->region_path, 2);
		ei[i].township = seg_id(segs, m->region_path, 3);
		ei[i].weak = tag_bits(&r->domains, m->weaknesses);
		ei[i].need = mentee_need(m);
	}
	for (size_t j = 0; j < nm; j++) {
		const struct db_match_mentor *m = &r->mentors.v[j];
		mi[j].lat = m->lat;
		mi[j].lon = m->lon;
		mi[j].county = seg_id(segs, m->region_path, 2);
		mi[j].township = seg_id(segs, m->region_path, 3);
		mi[j].domains = tag_bits(&r->domains, m->domains);
		mi[j].strength = (uint8_t)((m->scores[0] + m->scores[1] + m->scores[2] + m->scores[3]) / 4);
		mi[j].type = team_of(m->team_type);
		mi[j].capacity = m->capacity > m->open ? (uint32_t)(m->capacity - m->open) : 0;
	}
	free(segs);

	struct match_params p;
	match_params_default(&p);
	for (int k = 0; k < 5; k++)
		if (r->rq->has_weight[k])
			p.weight[k] = r->rq->weight[k];
	if (r->rq->reach_km > 0)
		p.reach_km = r->rq->reach_km;
	p.k = r->rq->k;
	p.seed = r->rq->seed;
	params_json(r->rq, &p, r->run.params, sizeof r->run.params);

	/* Choices, ranks and rules as the engine's indices; those that name
	 * someone outside the run are not part of it. */
	struct match_choice *ch = xcalloc(r->choices.n + r->ranks.n + 1, sizeof *ch);
	size_t nch = 0;
	for (size_t i = 0; i < r->choices.n; i++) {
		long e = FIND_ID(r->mentees, r->choices.v[i].mentee_id);
		long m = FIND_ID(r->mentors, r->choices.v[i].mentor_id);
		if (e < 0 || m < 0)
			continue;
		ch[nch++] = (struct match_choice){(uint32_t)e, (uint32_t)m,
						  (uint16_t)r->choices.v[i].rank, 0};
	}
	for (size_t i = 0; i < r->ranks.n; i++) {
		long e = FIND_ID(r->mentees, r->ranks.v[i].mentee_id);
		long m = FIND_ID(r->mentors, r->ranks.v[i].mentor_id);
		if (e < 0 || m < 0)
			continue;
		size_t k = 0;
		while (k < nch && !(ch[k].mentee == (uint32_t)e && ch[k].mentor == (uint32_t)m))
			k++;
		if (k < nch)
			ch[k].mentor_rank = (uint16_t)(r->ranks.v[i].rank > 65535 ? 65535 : r->ranks.v[i].rank);
	}
	struct match_pair *locks = xcalloc(r->rules.n + 1, sizeof *locks);
	struct match_pair *bans = xcalloc(r->rules.n + 1, sizeof *bans);
	size_t nl = 0, nb = 0;
	for (size_t i = 0; i < r->rules.n; i++) {
		long e = FIND_ID(r->mentees, r->rules.v[i].mentee_id);
		long m = FIND_ID(r->mentors, r->rules.v[i].mentor_id);
		if (e < 0 || m < 0)
			continue;
		struct match_pair pr = {(uint32_t)e, (uint32_t)m};
		if (!strcmp(r->rules.v[i].kind, "lock"))
			locks[nl++] = pr;
		else
			bans[nb++] = pr;
	}
	struct match_rules rules = {locks, nl, bans, nb};
	struct errinfo *info = r->ei;
	enum err e = ERR_OK;
	*matched = 0;
	*total = 0;
	const char *method = r->rq->method;

	if (!strcmp(method, "auto") || !strcmp(method, "menu")) {
		bool menu = !strcmp(method, "menu");
		struct match_cands cands;
		match_cands_init(&cands);
		int32_t *mentor_of = xcalloc(ne + 1, sizeof *mentor_of);
		struct match_unmatched *un = NULL;
		size_t nun = 0;
		if ((e = match_candidates(&p, ei, (uint32_t)ne, mi, (uint32_t)nm, ch, nch, &rules,
					  &cands, info)))
			goto out_pairs;
		if (menu) {
			struct match_hr hr;
			match_hr_init(&hr);
			e = match_cands_to_hr(&cands, mi, &hr, info);
			if (!e)
				e = match_hr_solve(&hr, &rules, mentor_of, info);
			match_hr_release(&hr);
		} else {
			struct match_as as;
			match_as_init(&as);
			e = match_cands_to_as(&cands, mi, &as, info);
			if (!e && r->rq->n_quotas)
				county_quotas(r, &as);
			if (!e)
				e = match_as_solve(&as, &rules, MATCH_AS_AUTO, mentor_of, NULL, info);
			match_as_release(&as);
		}
		if (e)
			goto out_pairs;
		for (size_t i = 0; i < ne && !e; i++) {
			if (mentor_of[i] == MATCH_NONE)
				continue;
			uint32_t m = (uint32_t)mentor_of[i];
			struct match_breakdown b;
			bool found = false, locked = false;
			for (uint32_t k = cands.off[i]; k < cands.off[i + 1]; k++)
				if (cands.c[k].mentor == m) {
					b = cands.c[k].score;
					found = true;
				}
			for (size_t k = 0; k < nl; k++)
				locked = locked || (locks[k].mentee == i && locks[k].mentor == m);
			if (!found)
				match_score_pair(&p, &ei[i], &mi[m], 0, 0, locked, &b);
			e = put_pair(c, r, 0, (uint32_t)i, m, &b, locked);
			(*matched)++;
			*total += b.total;
		}
		if (!e && !(e = match_explain(&cands, mi, mentor_of, menu, &un, &nun, info)))
			for (size_t u = 0; u < nun && !e; u++) {
				struct db_match_unmatched row;
				memset(&row, 0, sizeof row);
				row.run_id = r->run_id;
				row.mentee_id = r->mentees.v[un[u].mentee].id;
				snprintf(row.reason, sizeof row.reason, "%s", match_reason_name(un[u].reason));
				size_t o = 0;
				for (uint32_t k = 0; k < un[u].n_alt && un[u].alt[k] >= 0; k++) {
					int w = snprintf(row.alternatives + o, sizeof row.alternatives - o,
							 "%s%lld:%d:%d", o ? "," : "",
							 (long long)r->mentors.v[un[u].alt[k]].id,
							 un[u].alt_score[k], un[u].alt_full[k]);
					if (w < 0 || (size_t)w >= sizeof row.alternatives - o)
						break;
					o += (size_t)w;
				}
				e = db_match_unmatched_insert(c, &row);
			}
	out_pairs:
		free(un);
		free(mentor_of);
		match_cands_release(&cands);
	} else if (!strcmp(method, "team")) {
		/* Key cultivation: the neediest key mentee picks first. */
		struct match_team_params tp;
		match_team_params_default(&tp);
		uint8_t *avail = xcalloc(nm + 1, 1);
		uint32_t *left = xcalloc(nm + 1, sizeof *left);
		for (size_t j = 0; j < nm; j++) {
			left[j] = mi[j].capacity;
			avail[j] = left[j] > 0;
		}
		uint32_t *order = xcalloc(ne + 1, sizeof *order);
		for (size_t i = 0; i < ne; i++)
			order[i] = (uint32_t)i;
		for (size_t i = 1; i < ne; i++) /* stable insertion sort by need */
			for (size_t k = i; k > 0 && ei[order[k]].need > ei[order[k - 1]].need; k--) {
				uint32_t t = order[k];
				order[k] = order[k - 1];
				order[k - 1] = t;
			}
		for (size_t t = 0; t < ne && !e; t++) {
			uint32_t i = order[t];
			struct match_team team;
			if ((e = match_team_cover(&tp, &ei[i], ei[i].weak, mi, (uint32_t)nm, avail, &team,
						  info)))
				break;
			if (team.n == 0) {
				struct db_match_unmatched row;
				memset(&row, 0, sizeof row);
				row.run_id = r->run_id;
				row.mentee_id = r->mentees.v[i].id;
				snprintf(row.reason, sizeof row.reason, "%s",
					 ei[i].weak ? "no_candidate" : "no_weakness");
				e = db_match_unmatched_insert(c, &row);
				continue;
			}
			for (uint32_t k = 0; k < team.n && !e; k++) {
				uint32_t m = team.member[k];
				struct match_breakdown b;
				match_score_pair(&p, &ei[i], &mi[m], 0, 0, 0, &b);
				e = put_pair(c, r, (int)t + 1, i, m, &b, false);
				*total += b.total;
				if (--left[m] == 0)
					avail[m] = 0;
			}
			(*matched)++;
		}
		free(order);
		free(left);
		free(avail);
	} else { /* groups */
		struct match_team_params tp;
		match_team_params_default(&tp);
		struct match_group *g = NULL;
		size_t ng = 0;
		if (!(e = match_teams_group(&p, &tp, ei, (uint32_t)ne, mi, (uint32_t)nm, &g, &ng, info)))
			for (size_t t = 0; t < ng && !e; t++)
				for (uint32_t x = 0; x < g[t].n_mentees && !e; x++) {
					uint32_t i = g[t].mentee[x];
					for (uint32_t k = 0; k < g[t].team.n && !e; k++) {
						struct match_breakdown b;
						match_score_pair(&p, &ei[i], &mi[g[t].team.member[k]], 0, 0, 0,
								 &b);
						e = put_pair(c, r, (int)t + 1, i, g[t].team.member[k], &b, false);
						*total += b.total;
					}
					if (g[t].team.n)
						(*matched)++;
				}
		free(g);
	}
	free(ch);
	free(locks);
	free(bans);
	free(ei);
	free(mi);
	return e;
}

static bool method_valid(const char *m)
{
	return !strcmp(m, "auto") || !strcmp(m, "menu") || !strcmp(m, "team") || !strcmp(m, "groups");
}

typedef VEC(int64_t) id_vec;

static enum err push_unmatched_id(void *arg, const void *row)
{
	VEC_PUSH(*(id_vec *)arg, ((const struct db_match_unmatched *)row)->mentee_id);
	return ERR_OK;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* A follow-up round takes only the parent's unmatched mentees. */
static enum err keep_unmatched_of(struct store_conn *c, struct run_ctx *r, int64_t parent)
{
	struct db_match_run pr;
	enum err e = db_match_run_get(c, parent, &pr);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(r->ei, ERR_UNPROCESSABLE, "parent", "没有这次匹配 (no such run)");
	if (e)
		return e;
	if (r->a && !auth_writable(r->a, pr.region_path))
		return ERR_FORBIDDEN;
	r->run.round = pr.round + 1;
	r->run.parent_id = parent;
	id_vec ids = {0};
	if ((e = db_match_unmatched_list(c, parent, push_unmatched_id, &ids))) {
		free(ids.v);
		return e;
	}
	if (ids.n)
		qsort(ids.v, ids.n, sizeof *ids.v, cmp_id);
	size_t o = 0;
	for (size_t i = 0; i < r->mentees.n; i++)
		if (ids.n && bsearch(&r->mentees.v[i].id, ids.v, ids.n, sizeof *ids.v, cmp_id))
			r->mentees.v[o++] = r->mentees.v[i];
	r->mentees.n = o;
	free(ids.v);
	return ERR_OK;
}

static enum err keep_key_mentees(struct run_ctx *r)
{
	size_t o = 0;
	for (size_t i = 0; i < r->mentees.n; i++) {
		const struct db_match_mentee *m = &r->mentees.v[i];
		bool keep = false;
		if (r->rq->n_key) {
			for (int k = 0; k < r->rq->n_key && !keep; k++)
				keep = r->rq->key_mentees[k] == m->id;
		} else {
			keep = !strcmp(m->kind, "org");
		}
		if (keep)
			r->mentees.v[o++] = *m;
	}
	r->mentees.n = o;
	return ERR_OK;
}

static enum err run_detail(struct store_conn *c, int64_t id, json_t **out);

static enum err run_tx(struct store_conn *c, void *arg)
{
	struct run_ctx *r = arg;
	enum err e;
	r->mentees.n = r->mentors.n = r->choices.n = r->ranks.n = r->rules.n = 0;
	r->domains.n = 0;
	char lo[M_PATH], hi[M_PATH];
	snprintf(lo, sizeof lo, "%s", r->scope.path);
	range_of(lo, hi, sizeof hi);
	if ((e = db_vocab_list(c, "domain", add_domain, &r->domains)) ||
	    (e = db_match_mentees(c, lo, hi, push_mentee, &r->mentees)) ||
	    (e = db_match_mentors(c, r->mentor_lo, r->mentor_hi, push_mentor, &r->mentors)) ||
	    (e = db_match_choices(c, lo, hi, push_rank, &r->choices)) ||
	    (e = db_match_ranks(c, r->mentor_lo, r->mentor_hi, push_rank, &r->ranks)) ||
	    (e = db_match_rules(c, lo, hi, push_rule, &r->rules)))
		return e;
	memset(&r->run, 0, sizeof r->run);
	r->run.round = 1;
	if (r->rq->parent_run && (e = keep_unmatched_of(c, r, r->rq->parent_run)))
		return e;
	if (!strcmp(r->rq->method, "team"))
		keep_key_mentees(r);
	r->run.region_id = r->scope.id;
	snprintf(r->run.region_path, sizeof r->run.region_path, "%s", r->scope.path);
	snprintf(r->run.method, sizeof r->run.method, "%s", r->rq->method);
	snprintf(r->run.status, sizeof r->run.status, "%s", "proposed");
	r->run.seed = (int64_t)r->rq->seed;
	r->run.n_mentees = (int)r->mentees.n;
	r->run.n_mentors = (int)r->mentors.n;
	r->run.created_by = r->a ? r->a->user_id : 0;
	svc_now(r->run.created_at);
	snprintf(r->run.params, sizeof r->run.params, "{}");
	if ((e = db_match_run_insert(c, &r->run)))
		return e;
	r->run_id = r->run.id;
	int matched = 0;
	int64_t total = 0;
	if ((e = run_engine(c, r, &matched, &total)))
		return e == ERR_INVALID || e == ERR_CONFLICT ? ERR_UNPROCESSABLE : e;
	/* The results and the parameters the engine actually used. */
	r->run.matched = matched;
	r->run.total_score = total;
	if ((e = db_match_run_finish(c, r->run_id, r->run.params, matched, total)))
		return e;
	if ((e = svc_audit(c, r->a, "match_run", "match_run", r->run_id, NULL, NULL, NULL)))
		return e;
	/* Read back before the commit, as svc_match_run_decide does. */
	json_decref(r->out);
	r->out = NULL;
	return run_detail(c, r->run_id, &r->out);
}

/* ---- reading a run back ------------------------------------------------------- */

static json_t *run_summary(const struct db_match_run *r)
{
	json_t *params = json_loads(r->params, 0, NULL);
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:I, s:i, s:o, s:s, s:i, s:i, s:i, s:I, s:s, s:o}",
			 "id", (json_int_t)r->id, "region", r->region_code, "region_name",
			 r->region_name, "method", r->method, "params", params ? params : json_object(),
			 "seed", (json_int_t)r->seed, "round", r->round, "parent",
			 r->parent_id ? json_integer(r->parent_id) : json_null(), "status", r->status,
			 "mentees", r->n_mentees, "mentors", r->n_mentors, "matched", r->matched,
			 "total_score", (json_int_t)r->total_score, "created_at", r->created_at,
			 "decided_at", r->decided_at[0] ? json_string(r->decided_at) : json_null());
}

static enum err add_proposal(void *arg, const void *row)
{
	const struct db_match_proposal *p = row;
	int part[5] = {0};
	if (sscanf(p->parts, "%d,%d,%d,%d,%d", &part[0], &part[1], &part[2], &part[3], &part[4]) != 5)
		memset(part, 0, sizeof part);
	json_t *why = json_object();
	for (int k = 0; k < MATCH_P__MAX; k++)
		json_object_set_new(why, match_principle_name((enum match_principle)k),
				    json_integer(part[k]));
	json_array_append_new(arg, json_pack("{s:i, s:I, s:s, s:I, s:s, s:i, s:o, s:b}", "team",
					     p->team, "mentee", (json_int_t)p->mentee_id,
					     "mentee_name", p->mentee_name, "mentor",
					     (json_int_t)p->mentor_id, "mentor_name", p->mentor_name,
					     "score", p->score, "why", why, "locked", p->locked));
	return ERR_OK;
}

static enum err add_unmatched(void *arg, const void *row)
{
	const struct db_match_unmatched *u = row;
	json_t *alts = json_array();
	const char *p = u->alternatives;
	while (*p) {
		long long id;
		int score, full, used = 0;
		if (sscanf(p, "%lld:%d:%d%n", &id, &score, &full, &used) != 3 || used <= 0)
			break;
		json_array_append_new(alts, json_pack("{s:I, s:i, s:b}", "mentor", (json_int_t)id,
						      "score", score, "full", full));
		p += used;
		if (*p == ',')
			p++;
	}
	json_array_append_new(arg, json_pack("{s:I, s:s, s:s, s:o}", "mentee",
					     (json_int_t)u->mentee_id, "mentee_name", u->mentee_name,
					     "reason", u->reason, "alternatives", alts));
	return ERR_OK;
}

/* The run with its proposals, unmatched mentees and earlier rounds. */
static enum err run_detail(struct store_conn *c, int64_t id, json_t **out)
{
	struct db_match_run r;
	enum err e = db_match_run_get(c, id, &r);
	if (e)
		return e;
	json_t *j = run_summary(&r);
	json_t *props = json_array(), *unm = json_array(), *rounds = json_array();
	json_object_set_new(j, "proposals", props);
	json_object_set_new(j, "unmatched", unm);
	json_object_set_new(j, "rounds", rounds);
	if ((e = db_match_proposals(c, id, add_proposal, props)) ||
	    (e = db_match_unmatched_list(c, id, add_unmatched, unm))) {
		json_decref(j);
		return e;
	}
	/* The history of rounds: this run's ancestors, oldest first. */
	int64_t parent = r.parent_id;
	for (int guard = 0; parent && guard < 100; guard++) {
		struct db_match_run pr;
		if ((e = db_match_run_get(c, parent, &pr))) {
			json_decref(j);
			return e;
		}
		json_array_insert_new(rounds, 0, run_summary(&pr));
		parent = pr.parent_id;
	}
	*out = j;
	return ERR_OK;
}

/* ---- the public calls -------------------------------------------------------- */

static enum err scope_of(struct service *s, struct store_conn *c, const struct actor *a,
			 const char *code, struct region *out, struct errinfo *ei)
{
	if (a && !role_is_admin(a->role))
		return svc_deny(s, c, a, "match", ei);
	enum err e;
	if (code && code[0]) {
		e = svc_region_ref(c, code, "region", out, ei);
	} else {
		/* The caller's own root: the region whose path it is. */
		if (!a)
			return errinfo_set(ei, ERR_INVALID, "region", "必填 (required)");
		const char *p = a->region_path;
		size_t n = strlen(p);
		char code2[M_CODE] = "";
		if (n >= 2) {
			const char *start = p + n - 2;
			while (start > p && *start != '/')
				start--;
			snprintf(code2, sizeof code2, "%.*s", (int)(p + n - 1 - start - 1), start + 1);
		}
		e = svc_region_ref(c, code2, "region", out, ei);
	}
	if (e)
		return e;
	if (a && !auth_writable(a, out->path))
		return svc_deny(s, c, a, "match", ei);
	return ERR_OK;
}

enum err svc_match_run_create(struct service *s, const struct actor *a,
			      const struct svc_match_request *rq, json_t **out, struct errinfo *ei)
{
	if (!method_valid(rq->method))
		return errinfo_set(ei, ERR_INVALID, "method", "应为 auto、menu、team 或 groups");
	if (rq->n_quotas && strcmp(rq->method, "auto"))
		return errinfo_set(ei, ERR_INVALID, "quotas", "名额限制仅用于自动匹配 (quotas apply to auto runs)");
	for (int k = 0; k < 5; k++)
		if (rq->has_weight[k] && !(rq->weight[k] >= 0 && rq->weight[k] <= 100))
			return errinfo_set(ei, ERR_INVALID, "weights", "权重应在 0 到 100 之间");
	if (rq->reach_km < 0 || rq->reach_km > 5000)
		return errinfo_set(ei, ERR_INVALID, "reach_km", "应在 0 到 5000 之间");
	struct store_conn *c = store_acquire(s->store);
	struct run_ctx r;
	memset(&r, 0, sizeof r);
	r.s = s;
	r.a = a;
	r.rq = rq;
	r.ei = ei;
	enum err e = scope_of(s, c, a, rq->region, &r.scope, ei);
	if (e)
		goto out;
	/* Mentors come from the run's region, or, for a widened follow-up,
	 * from the caller's whole jurisdiction (other counties' menus). */
	snprintf(r.mentor_lo, sizeof r.mentor_lo, "%s",
		 rq->wider && a ? a->region_path : rq->wider ? "/" : r.scope.path);
	range_of(r.mentor_lo, r.mentor_hi, sizeof r.mentor_hi);
	e = store_tx(c, run_tx, &r);
	if (e == ERR_FORBIDDEN)
		e = svc_deny(s, c, a, "match", ei);
	else if (e == ERR_UNPROCESSABLE && !ei->code)
		e = errinfo_set(ei, ERR_UNPROCESSABLE, NULL, "匹配参数无效");
	else if (e == ERR_DB || e == ERR_BUSY || e == ERR_INTERNAL)
		e = svc_db_fail(c, e, "match run", ei);
	if (!e) {
		*out = r.out;
		r.out = NULL;
	}
out:
	json_decref(r.out);
	free(r.mentees.v);
	free(r.mentors.v);
	free(r.choices.v);
	free(r.ranks.v);
	free(r.rules.v);
	store_release(s->store, c);
	return e;
}

enum err svc_match_run_get(struct service *s, const struct actor *a, int64_t id, json_t **out,
			   struct errinfo *ei)
{
	if (!role_is_admin(a->role) && a->role != ROLE_AUDITOR)
		return svc_deny(s, NULL, a, "match", ei);
	struct store_conn *c = store_acquire(s->store);
	struct db_match_run r;
	enum err e = db_match_run_get(c, id, &r);
	if (e == ERR_NOT_FOUND)
		e = errinfo_set(ei, ERR_NOT_FOUND, NULL, "没有这次匹配 (no such run)");
	else if (e)
		e = svc_db_fail(c, e, "match get", ei);
	else if (!auth_visible(a, r.region_path, NULL, 0))
		e = svc_deny(s, c, a, "match", ei);
	else if ((e = run_detail(c, id, out)))
		e = svc_db_fail(c, e, "match get", ei);
	store_release(s->store, c);
	return e;
}

static enum err add_run(void *arg, const void *row)
{
	json_array_append_new(arg, run_summary(row));
	return ERR_OK;
}

enum err svc_match_run_list(struct service *s, const struct actor *a,
			    const struct svc_list_args *la, json_t **out, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	struct list_query q;
	enum err e = svc_list_scope(s, c, a, la, NULL, &q, ei);
	if (!e) {
		json_t *items = json_array();
		int64_t total = 0;
		if ((e = db_match_run_list(c, &q, add_run, items, &total))) {
			json_decref(items);
			e = svc_db_fail(c, e, "match list", ei);
		} else {
			*out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total);
		}
	}
	store_release(s->store, c);
	return e;
}

struct decide_arg {
	const struct actor *a;
	int64_t id;
	bool approve;
	int64_t pairings;
	json_t *out; /* the run as decided, read in the transaction */
	struct errinfo *ei;
};

typedef VEC(struct db_match_proposal) prop_vec;

static enum err push_prop(void *arg, const void *row)
{
	VEC_PUSH(*(prop_vec *)arg, *(const struct db_match_proposal *)row);
	return ERR_OK;
}

/* Create the pairing of proposals v[from..to) (one team, or one pair). */
static enum err make_pairing(struct store_conn *c, struct decide_arg *d,
			     const struct db_match_run *run, const struct db_match_proposal *v,
			     size_t n, const char *now)
{
	/* Members: distinct mentees and mentors of the group. */
	int64_t mentees[MATCH_TEAM_MAX * 2] = {0}, mentors[MATCH_TEAM_MAX * 2] = {0};
	size_t ne = 0, nm = 0;
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t k = 0; k < ne; k++)
			seen = seen || mentees[k] == v[i].mentee_id;
		if (!seen && ne < sizeof mentees / sizeof mentees[0])
			mentees[ne++] = v[i].mentee_id;
		seen = false;
		for (size_t k = 0; k < nm; k++)
			seen = seen || mentors[k] == v[i].mentor_id;
		if (!seen && nm < sizeof mentors / sizeof mentors[0])
			mentors[nm++] = v[i].mentor_id;
	}
	enum err e;
	for (size_t k = 0; k < ne; k++) {
		int64_t open = 0;
		if ((e = db_pairing_open_count(c, "mentee", mentees[k], &open)))
			return e;
		if (open)
			return errinfo_set(d->ei, ERR_CONFLICT, "mentees",
					   "帮带对象 %lld 已有帮带对子,请重新匹配 (mentee already paired: run again)",
					   (long long)mentees[k]);
	}
	for (size_t k = 0; k < nm; k++) {
		struct mentor m;
		int64_t open = 0;
		if ((e = db_mentor_get(c, mentors[k], &m)) ||
		    (e = db_pairing_open_count(c, "mentor", mentors[k], &open)))
			return e;
		if (strcmp(m.status, "active") || open >= m.capacity)
			return errinfo_set(d->ei, ERR_CONFLICT, "mentors",
					   "导师 %lld 已满或不在岗,请重新匹配 (mentor full or inactive: run again)",
					   (long long)mentors[k]);
	}
	struct mentee first;
	if ((e = db_mentee_get(c, mentees[0], &first)))
		return e;
	struct db_pairing p;
	memset(&p, 0, sizeof p);
	snprintf(p.mode, sizeof p.mode, "%s",
		 ne > 1 && nm > 1 ? "N:N" : nm > 1 ? "N:1" : ne > 1 ? "1:N" : "1:1");
	snprintf(p.origin, sizeof p.origin, "%s",
		 !strcmp(run->method, "menu") ? "menu" : !strcmp(run->method, "auto") ? "auto" : "team");
	p.run_id = run->id;
	p.region_id = first.region_id;
	snprintf(p.region_path, sizeof p.region_path, "%s", first.region_path);
	snprintf(p.status, sizeof p.status, "%s", "proposed");
	if ((e = db_pairing_insert(c, &p, now)))
		return e;
	for (size_t k = 0; k < nm; k++)
		if ((e = db_pairing_member_add(c, p.id, "mentor", mentors[k], now)))
			return e;
	for (size_t k = 0; k < ne; k++)
		if ((e = db_pairing_member_add(c, p.id, "mentee", mentees[k], now)))
			return e;
	d->pairings++;
	return ERR_OK;
}

static enum err decide_tx(struct store_conn *c, void *arg)
{
	struct decide_arg *d = arg;
	struct db_match_run run;
	enum err e = db_match_run_get(c, d->id, &run);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(d->ei, ERR_NOT_FOUND, NULL, "没有这次匹配 (no such run)");
	if (e)
		return e;
	if (d->a && !auth_writable(d->a, run.region_path))
		return ERR_FORBIDDEN;
	char now[M_TIME];
	svc_now(now);
	e = db_match_run_decide(c, d->id, d->approve ? "approved" : "discarded",
				d->a ? d->a->user_id : 0, now);
	if (e == ERR_CONFLICT)
		return errinfo_set(d->ei, ERR_CONFLICT, "status", "该匹配已处理 (decided already: %s)",
				   run.status);
	if (e)
		return e;
	d->pairings = 0;
	if (d->approve) {
		prop_vec props = {0};
		if ((e = db_match_proposals(c, d->id, push_prop, &props))) {
			free(props.v);
			return e;
		}
		/* Proposals come ordered by team: a team (team > 0) is one
		 * pairing; each pair of team 0 is its own 1:1 pairing. */
		for (size_t i = 0; i < props.n && !e;) {
			size_t j = i + 1;
			if (props.v[i].team > 0)
				while (j < props.n && props.v[j].team == props.v[i].team)
					j++;
			e = make_pairing(c, d, &run, &props.v[i], j - i, now);
			i = j;
		}
		free(props.v);
		if (e)
			return e;
	}
	if ((e = svc_audit(c, d->a, d->approve ? "approve" : "discard", "match_run", d->id, NULL,
			   NULL, NULL)))
		return e;
	/* Read back before the commit: a read failing after it would report
	 * an error for a decision that was made. */
	json_decref(d->out); /* from an attempt that was retried */
	d->out = NULL;
	if ((e = run_detail(c, d->id, &d->out)))
		return e;
	json_object_set_new(d->out, "pairings_created", json_integer(d->pairings));
	return ERR_OK;
}

enum err svc_match_run_decide(struct service *s, const struct actor *a, int64_t id,
			      bool approve, json_t **out, struct errinfo *ei)
{
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "match decide", ei);
	struct store_conn *c = store_acquire(s->store);
	struct decide_arg d = {a, id, approve, 0, NULL, ei};
	enum err e = store_tx(c, decide_tx, &d);
	if (e == ERR_FORBIDDEN)
		e = svc_deny(s, c, a, "match decide", ei);
	else if (e == ERR_DB || e == ERR_BUSY || e == ERR_INTERNAL)
		e = svc_db_fail(c, e, "match decide", ei);
	if (!e) {
		*out = d.out;
		d.out = NULL;
	}
	json_decref(d.out);
	store_release(s->store, c);
	return e;
}

/* ---- locks and bans ------------------------------------------------------------ */

struct rule_arg {
	const struct actor *a;
	struct db_match_rule *r;
	struct errinfo *ei;
};

static enum err rule_tx(struct store_conn *c, void *arg)
{
	struct rule_arg *ra = arg;
	struct mentee e;
	struct mentor m;
	enum err err = db_mentee_get(c, ra->r->mentee_id, &e);
	if (err == ERR_NOT_FOUND)
		return errinfo_set(ra->ei, ERR_UNPROCESSABLE, "mentee", "没有这位帮带对象 (no such mentee)");
	if (err)
		return err;
	if ((err = db_mentor_get(c, ra->r->mentor_id, &m)) == ERR_NOT_FOUND)
		return errinfo_set(ra->ei, ERR_UNPROCESSABLE, "mentor", "没有这位导师 (no such mentor)");
	if (err)
		return err;
	if (ra->a && (!auth_writable(ra->a, e.region_path) || !auth_visible(ra->a, m.region_path, NULL, 0)))
		return ERR_FORBIDDEN;
	/* One rule per pair: a lock and a ban together mean nothing. */
	int64_t existing = 0;
	if ((err = db_match_rule_count(c, ra->r->mentee_id, ra->r->mentor_id, &existing)))
		return err;
	if (existing)
		return errinfo_set(ra->ei, ERR_CONFLICT, "mentor",
				   "该配对已有锁定或禁止规则,请先撤销 (the pair has a rule already)");
	/* The rule belongs where the mentee is: runs of that region see it. */
	snprintf(ra->r->region_path, sizeof ra->r->region_path, "%s", e.region_path);
	svc_now(ra->r->created_at);
	if ((err = db_match_rule_insert(c, ra->r)))
		return err;
	if ((err = svc_audit(c, ra->a, ra->r->kind, "match_rule", ra->r->id, NULL, NULL, NULL)))
		return err;
	/* Read back before the commit: no error after a rule was made. */
	return db_match_rule_get(c, ra->r->id, ra->r);
}

static json_t *rule_json(const struct db_match_rule *r)
{
	return json_pack("{s:I, s:s, s:I, s:s, s:I, s:s, s:s, s:s}", "id", (json_int_t)r->id, "kind",
			 r->kind, "mentee", (json_int_t)r->mentee_id, "mentee_name", r->mentee_name,
			 "mentor", (json_int_t)r->mentor_id, "mentor_name", r->mentor_name, "reason",
			 r->reason, "created_at", r->created_at);
}

enum err svc_match_rule_add(struct service *s, const struct actor *a, const char *kind,
			    int64_t mentee, int64_t mentor, const char *reason, json_t **out,
			    struct errinfo *ei)
{
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "match rule", ei);
	if (strcmp(kind, "lock") && strcmp(kind, "ban"))
		return errinfo_set(ei, ERR_INVALID, "kind", "应为 lock 或 ban");
	if (!strcmp(kind, "ban") && !reason[0])
		return errinfo_set(ei, ERR_INVALID, "reason", "禁止配对须说明理由 (a ban needs a reason)");
	if (strlen(reason) > 1000)
		return errinfo_set(ei, ERR_INVALID, "reason", "过长 (too long)");
	struct db_match_rule r;
	memset(&r, 0, sizeof r);
	snprintf(r.kind, sizeof r.kind, "%s", kind);
	r.mentee_id = mentee;
	r.mentor_id = mentor;
	snprintf(r.reason, sizeof r.reason, "%s", reason);
	r.user_id = a ? a->user_id : 0;
	struct store_conn *c = store_acquire(s->store);
	struct rule_arg ra = {a, &r, ei};
	enum err e = store_tx(c, rule_tx, &ra);
	if (e == ERR_FORBIDDEN)
		e = svc_deny(s, c, a, "match rule", ei);
	else if (e == ERR_DB || e == ERR_BUSY || e == ERR_INTERNAL)
		e = svc_db_fail(c, e, "match rule", ei);
	if (!e)
		*out = rule_json(&r);
	store_release(s->store, c);
	return e;
}

struct rule_rm {
	const struct actor *a;
	int64_t id;
	struct errinfo *ei;
};

static enum err rule_rm_tx(struct store_conn *c, void *arg)
{
	struct rule_rm *rr = arg;
	struct db_match_rule r;
	enum err e = db_match_rule_get(c, rr->id, &r);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(rr->ei, ERR_NOT_FOUND, NULL, "没有这条规则 (no such rule)");
	if (e)
		return e;
	if (rr->a && !auth_writable(rr->a, r.region_path))
		return ERR_FORBIDDEN;
	if ((e = db_match_rule_deactivate(c, rr->id)))
		return e;
	return svc_audit(c, rr->a, "remove", "match_rule", rr->id, NULL, NULL, NULL);
}

enum err svc_match_rule_remove(struct service *s, const struct actor *a, int64_t id,
			       struct errinfo *ei)
{
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "match rule", ei);
	struct rule_rm rr = {a, id, ei};
	return svc_write_tx(s, a, "match rule", rule_rm_tx, &rr, ei);
}

static enum err add_rule(void *arg, const void *row)
{
	json_array_append_new(arg, rule_json(row));
	return ERR_OK;
}

enum err svc_match_rule_list(struct service *s, const struct actor *a, const char *region,
			     json_t **out, struct errinfo *ei)
{
	if (!role_is_admin(a->role) && a->role != ROLE_AUDITOR)
		return svc_deny(s, NULL, a, "match rule", ei);
	struct svc_list_args la;
	memset(&la, 0, sizeof la);
	snprintf(la.region, sizeof la.region, "%s", region ? region : "");
	struct store_conn *c = store_acquire(s->store);
	struct list_query q;
	enum err e = svc_list_scope(s, c, a, &la, NULL, &q, ei);
	if (!e) {
		json_t *items = json_array();
		if ((e = db_match_rules(c, q.root_lo, q.root_hi, add_rule, items))) {
			json_decref(items);
			e = svc_db_fail(c, e, "match rules", ei);
		} else {
			*out = json_pack("{s:o, s:I}", "items", items, "total",
					 (json_int_t)json_array_size(items));
		}
	}
	store_release(s->store, c);
	return e;
}

/* ---- menu choices and ranks ------------------------------------------------------ */

struct choose_arg {
	const struct actor *a;
	int64_t mentee_id, menu_id;
	const int64_t *ids;
	int n;
	struct errinfo *ei;
};

typedef VEC(int64_t) menu_ids;

static enum err push_menu_mentor(void *arg, const void *row)
{
	VEC_PUSH(*(menu_ids *)arg, ((const struct mentor *)row)->id);
	return ERR_OK;
}

static enum err choose_tx(struct store_conn *c, void *arg)
{
	struct choose_arg *ca = arg;
	struct mentee me;
	enum err e = db_mentee_get(c, ca->mentee_id, &me);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ca->ei, ERR_NOT_FOUND, "mentee", "没有这位帮带对象 (no such mentee)");
	if (e)
		return e;
	if (ca->a && !(ca->a->role == ROLE_MENTEE ? ca->a->mentee_id == me.id
						   : auth_writable(ca->a, me.region_path)))
		return ERR_FORBIDDEN;
	struct menu menu;
	if ((e = db_menu_get(c, ca->menu_id, &menu)) == ERR_NOT_FOUND)
		return errinfo_set(ca->ei, ERR_UNPROCESSABLE, "menu", "没有这个菜单 (no such menu)");
	if (e)
		return e;
	if (!menu.published || !path_within(me.region_path, menu.region_path))
		return errinfo_set(ca->ei, ERR_UNPROCESSABLE, "menu",
				   "只能从本县已发布的菜单中选择 (only a published menu of your county)");
	menu_ids on = {0};
	if ((e = db_menu_items(c, ca->menu_id, push_menu_mentor, &on))) {
		free(on.v);
		return e;
	}
	for (int i = 0; i < ca->n && !e; i++) {
		bool found = false;
		for (size_t k = 0; k < on.n; k++)
			found = found || on.v[k] == ca->ids[i];
		for (int k = 0; k < i; k++)
			if (ca->ids[k] == ca->ids[i])
				e = errinfo_set(ca->ei, ERR_INVALID, "mentors", "重复的导师 (mentor %lld twice)",
						(long long)ca->ids[i]);
		if (!found && !e)
			e = errinfo_set(ca->ei, ERR_UNPROCESSABLE, "mentors",
					"导师 %lld 不在该菜单中 (not on the menu)", (long long)ca->ids[i]);
	}
	free(on.v);
	if (e)
		return e;
	char now[M_TIME];
	svc_now(now);
	if ((e = db_match_choices_set(c, me.id, ca->menu_id, ca->ids, ca->n, now)))
		return e;
	return svc_audit(c, ca->a, "choose", "mentee", me.id, NULL, NULL, NULL);
}

enum err svc_match_choose(struct service *s, const struct actor *a, int64_t mentee_id,
			  int64_t menu_id, const int64_t *mentor_ids, int n, struct errinfo *ei)
{
	if (a && a->role == ROLE_MENTEE) {
		if (mentee_id && mentee_id != a->mentee_id)
			return svc_deny(s, NULL, a, "match choose", ei);
		mentee_id = a->mentee_id;
	} else if (a && !role_is_admin(a->role)) {
		return svc_deny(s, NULL, a, "match choose", ei);
	}
	if (!mentee_id)
		return errinfo_set(ei, ERR_INVALID, "mentee", "必填 (required)");
	if (n < 0 || n > SVC_MAX_CHOICES)
		return errinfo_set(ei, ERR_INVALID, "mentors", "最多选择 %d 位导师 (at most %d)",
				   SVC_MAX_CHOICES, SVC_MAX_CHOICES);
	struct choose_arg ca = {a, mentee_id, menu_id, mentor_ids, n, ei};
	return svc_write_tx(s, a, "match choose", choose_tx, &ca, ei);
}

struct choices_out {
	int64_t mentee;
	json_t *items;
};

static enum err add_choice(void *arg, const void *row)
{
	struct choices_out *co = arg;
	const struct db_match_rank *r = row;
	if (r->mentee_id == co->mentee)
		json_array_append_new(co->items, json_pack("{s:I, s:i, s:I}", "mentor",
							   (json_int_t)r->mentor_id, "rank", r->rank,
							   "menu", (json_int_t)r->menu_id));
	return ERR_OK;
}

enum err svc_match_choices_get(struct service *s, const struct actor *a, int64_t mentee_id,
			       json_t **out, struct errinfo *ei)
{
	if (a->role == ROLE_MENTEE && !mentee_id)
		mentee_id = a->mentee_id;
	if (!mentee_id)
		return errinfo_set(ei, ERR_INVALID, "mentee", "必填 (required)");
	struct mentee me;
	bool masked;
	enum err e = svc_mentee_get(s, a, mentee_id, &me, &masked, ei);
	if (e)
		return e;
	struct store_conn *c = store_acquire(s->store);
	char hi[M_PATH];
	range_of(me.region_path, hi, sizeof hi);
	struct choices_out co = {me.id, json_array()};
	if ((e = db_match_choices(c, me.region_path, hi, add_choice, &co))) {
		json_decref(co.items);
		e = svc_db_fail(c, e, "choices", ei);
	} else {
		*out = json_pack("{s:I, s:o}", "mentee", (json_int_t)me.id, "items", co.items);
	}
	store_release(s->store, c);
	return e;
}

struct rank_arg {
	const struct actor *a;
	const int64_t *ids;
	int n;
	struct errinfo *ei;
};

static enum err rank_tx(struct store_conn *c, void *arg)
{
	struct rank_arg *ra = arg;
	enum err e;
	for (int i = 0; i < ra->n; i++) {
		struct mentee me;
		if ((e = db_mentee_get(c, ra->ids[i], &me)) == ERR_NOT_FOUND)
			return errinfo_set(ra->ei, ERR_UNPROCESSABLE, "mentees",
					   "帮带对象 %lld 没有选择您 (did not choose you)", (long long)ra->ids[i]);
		if (e)
			return e;
		/* A mentor ranks its applicants: those who chose it. */
		bool chose = false;
		if ((e = db_match_chose(c, ra->ids[i], ra->a->mentor_id, &chose)))
			return e;
		if (!chose)
			return errinfo_set(ra->ei, ERR_UNPROCESSABLE, "mentees",
					   "帮带对象 %lld 没有选择您 (did not choose you)", (long long)ra->ids[i]);
		for (int k = 0; k < i; k++)
			if (ra->ids[k] == ra->ids[i])
				return errinfo_set(ra->ei, ERR_INVALID, "mentees", "重复 (mentee %lld twice)",
						   (long long)ra->ids[i]);
	}
	char now[M_TIME];
	svc_now(now);
	if ((e = db_match_ranks_set(c, ra->a->mentor_id, ra->ids, ra->n, now)))
		return e;
	return svc_audit(c, ra->a, "rank", "mentor", ra->a->mentor_id, NULL, NULL, NULL);
}

enum err svc_match_rank(struct service *s, const struct actor *a, const int64_t *mentee_ids,
			int n, struct errinfo *ei)
{
	if (a->role != ROLE_MENTOR || !a->mentor_id)
		return svc_deny(s, NULL, a, "match rank", ei);
	if (n < 0 || n > 1000)
		return errinfo_set(ei, ERR_INVALID, "mentees", "最多 1000 位 (at most 1000)");
	struct store_conn *c = store_acquire(s->store);
	struct rank_arg ra = {a, mentee_ids, n, ei};
	enum err e = store_tx(c, rank_tx, &ra);
	if (e == ERR_DB || e == ERR_BUSY || e == ERR_INTERNAL)
		e = svc_db_fail(c, e, "match rank", ei);
	store_release(s->store, c);
	return e;
}

/* ---- pairings --------------------------------------------------------------------- */

static json_t *ids_json(const char *list)
{
	json_t *a = json_array();
	const char *p = list;
	while (*p) {
		char *end;
		long long v = strtoll(p, &end, 10);
		if (end == p) {
			p++;
			continue;
		}
		json_array_append_new(a, json_integer(v));
		p = end;
	}
	return a;
}

static enum err add_pairing(void *arg, const void *row)
{
	const struct db_pairing *p = row;
	json_array_append_new(
		arg, json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:o, s:o, s:b, s:b, s:s, s:i}", "id",
			       (json_int_t)p->id, "mode", p->mode, "origin", p->origin, "run",
			       p->run_id ? json_integer(p->run_id) : json_null(), "region",
			       p->region_code, "status", p->status, "mentors", ids_json(p->mentors),
			       "mentees", ids_json(p->mentees), "mentor_confirmed",
			       p->mentor_confirmed, "mentee_confirmed", p->mentee_confirmed,
			       "created_at", p->created_at, "version", p->version));
	return ERR_OK;
}

enum err svc_pairing_list(struct service *s, const struct actor *a,
			  const struct svc_list_args *la, json_t **out, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	struct list_query q;
	enum err e;
	if (a->role == ROLE_MENTOR || a->role == ROLE_MENTEE) {
		/* Their own pairings, wherever they are; a region asked for
		 * still filters them. */
		struct svc_list_args own = *la;
		struct actor wide = *a;
		wide.role = ROLE_AUDITOR;
		snprintf(wide.region_path, sizeof wide.region_path, "/");
		e = svc_list_scope(s, c, &wide, &own, NULL, &q, ei);
		q.only_id = a->role == ROLE_MENTOR ? a->mentor_id : a->mentee_id;
		snprintf(q.kind, sizeof q.kind, "%s", a->role == ROLE_MENTOR ? "mentor" : "mentee");
	} else {
		e = svc_list_scope(s, c, a, la, NULL, &q, ei);
		q.kind[0] = '\0';
		q.only_id = 0;
	}
	if (!e) {
		json_t *items = json_array();
		int64_t total = 0;
		if ((e = db_pairing_list(c, &q, add_pairing, items, &total))) {
			json_decref(items);
			e = svc_db_fail(c, e, "pairings", ei);
		} else {
			*out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total);
		}
	}
	store_release(s->store, c);
	return e;
}
