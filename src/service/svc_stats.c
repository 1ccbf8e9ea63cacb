/*
 * svc_stats.c — the programme's figures (SPEC §6) computed from the data
 * for a jurisdiction. Layer: service. Counts only: no personal data, so
 * auditors see the same numbers as admins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "service/internal.h"
#include "service/life.h"

static enum err put_count(void *arg, const char *key, int64_t n)
{
	json_object_set_new(arg, key[0] ? key : "(none)", json_integer(n));
	return ERR_OK;
}

static enum err group(struct store_conn *c, enum db_group g, const struct list_query *q,
		      json_t *parent, const char *name, int64_t *sum)
{
	json_t *o = json_object();
	enum err e = db_count_group(c, g, q->root_lo, q->root_hi, put_count, o);
	if (e) {
		json_decref(o);
		return e;
	}
	if (sum) {
		*sum = 0;
		const char *k;
		json_t *v;
		json_object_foreach(o, k, v) *sum += json_integer_value(v);
	}
	json_object_set_new(parent, name, o);
	return ERR_OK;
}

/* ---- groupings folded from one pass (db_count_mix) ---- */

static int cmp_tally(const void *a, const void *b)
{
	return strcmp(((const struct tally *)a)->key, ((const struct tally *)b)->key);
}

void fold_add(struct fold *f, const char *key, int64_t n)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->v[i].key, key)) {
			f->v[i].n += n;
			return;
		}
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 8;
		f->v = xreallocarray(f->v, f->cap, sizeof *f->v);
	}
	f->v[f->n].key = xstrdup(key);
	f->v[f->n++].n = n;
}

/* The object a grouped query ordered by its key gives ("" as "(none)");
 * *sum (optional) is the total. The fold is emptied. */
json_t *fold_json(struct fold *f, int64_t *sum)
{
	json_t *o = json_object();
	if (f->n)
		qsort(f->v, f->n, sizeof *f->v, cmp_tally);
	int64_t total = 0;
	for (size_t i = 0; i < f->n; i++) {
		json_object_set_new(o, f->v[i].key[0] ? f->v[i].key : "(none)",
				    json_integer(f->v[i].n));
		total += f->v[i].n;
	}
	if (sum)
		*sum = total;
	fold_free(f);
	return o;
}

void fold_free(struct fold *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i].key);
	free(f->v);
	memset(f, 0, sizeof *f);
}

/* Mentors: by status (everyone), by source, tier and team type (not the
 * rejected); mentees: by category and by kind. */
struct mix_arg {
	struct fold f[4];
	bool mentors;
};

static enum err fold_mix(void *arg, const char *const *keys, int64_t n)
{
	struct mix_arg *m = arg;
	if (!m->mentors) {
		fold_add(&m->f[0], keys[0], n);
		fold_add(&m->f[1], keys[1], n);
		return ERR_OK;
	}
	fold_add(&m->f[0], keys[0], n);
	if (strcmp(keys[0], "rejected"))
		for (int k = 1; k < 4; k++)
			fold_add(&m->f[k], keys[k], n);
	return ERR_OK;
}

static enum err mentor_figures(struct store_conn *c, const struct list_query *q, json_t *mentors,
			       int64_t *n_mentors)
{
	struct mix_arg m;
	memset(&m, 0, sizeof m);
	m.mentors = true;
	enum err e = db_count_mix(c, DB_MENTOR_MIX, q->root_lo, q->root_hi, fold_mix, &m);
	if (!e) {
		json_object_set_new(mentors, "by_source", fold_json(&m.f[1], n_mentors));
		json_object_set_new(mentors, "by_tier", fold_json(&m.f[2], NULL));
		json_object_set_new(mentors, "by_team_type", fold_json(&m.f[3], NULL));
		json_object_set_new(mentors, "by_status", fold_json(&m.f[0], NULL));
	}
	for (int k = 0; k < 4; k++)
		fold_free(&m.f[k]);
	return e;
}

static enum err mentee_figures(struct store_conn *c, const struct list_query *q, json_t *mentees,
			       int64_t *n_mentees)
{
	struct mix_arg m;
	memset(&m, 0, sizeof m);
	enum err e = db_count_mix(c, DB_MENTEE_MIX, q->root_lo, q->root_hi, fold_mix, &m);
	if (!e) {
		json_object_set_new(mentees, "by_category", fold_json(&m.f[0], NULL));
		json_object_set_new(mentees, "by_kind", fold_json(&m.f[1], n_mentees));
	}
	for (int k = 0; k < 2; k++)
		fold_free(&m.f[k]);
	return e;
}

enum err svc_stats(struct service *s, const struct actor *a, const char *region, json_t **out,
		   struct errinfo *ei)
{
	return svc_stats_range(s, a, region, "", "", out, ei);
}

enum err svc_stats_range(struct service *s, const struct actor *a, const char *region,
			 const char *from, const char *to, json_t **out, struct errinfo *ei)
{
	if (!role_is_admin(a->role) && a->role != ROLE_AUDITOR)
		return svc_deny(s, NULL, a, "stats", ei);
	if ((from && from[0] && !date_valid(from)) || (to && to[0] && !date_valid(to)))
		return errinfo_set(ei, ERR_INVALID, from && from[0] && !date_valid(from) ? "from" : "to",
				   "日期格式应为 YYYY-MM-DD (bad date)");
	struct svc_list_args la;
	memset(&la, 0, sizeof la);
	snprintf(la.region, sizeof la.region, "%s", region);
	struct store_conn *c = store_acquire(s->store);
	struct list_query q;
	enum err e = svc_list_scope(s, c, a, &la, NULL, &q, ei);
	if (e) {
		store_release(s->store, c);
		return e;
	}
	json_t *root = json_object(), *mentors = json_object(), *mentees = json_object(),
	       *orgs = json_object();
	json_object_set_new(root, "mentors", mentors);
	json_object_set_new(root, "mentees", mentees);
	json_object_set_new(root, "organisations", orgs);
	int64_t n_mentors = 0, n_mentees = 0, n_orgs_star = 0;
	struct db_org_totals t;
	memset(&t, 0, sizeof t);
	/* One pass over the mentors and one over the mentees for their
	 * groupings, one index range per county for the county groupings. */
	if ((e = mentor_figures(c, &q, mentors, &n_mentors)) ||
	    (e = group(c, DB_MENTORS_BY_COUNTY, &q, mentors, "by_county", NULL)) ||
	    (e = mentee_figures(c, &q, mentees, &n_mentees)) ||
	    (e = group(c, DB_MENTEES_BY_COUNTY, &q, mentees, "by_county", NULL)) ||
	    (e = group(c, DB_ORGS_BY_STARS, &q, orgs, "by_stars", &n_orgs_star)) ||
	    (e = db_org_totals(c, q.root_lo, q.root_hi, &t))) {
		json_decref(root);
		e = svc_db_fail(c, e, "stats", ei);
		store_release(s->store, c);
		return e;
	}
	store_release(s->store, c);
	json_object_set_new(mentors, "total", json_integer(n_mentors));
	json_object_set_new(mentees, "total", json_integer(n_mentees));
	json_object_set_new(orgs, "total", json_integer(t.total));
	json_object_set_new(orgs, "weak_lax", json_integer(t.weak_lax));
	json_object_set_new(orgs, "lagging", json_integer(t.lagging));
	json_object_set_new(orgs, "demonstration", json_integer(t.demonstration));
	json_object_set_new(orgs, "weak_economy", json_integer(t.weak_economy));
	json_object_set_new(orgs, "three_star_and_above", json_integer(t.three_star));
	json_object_set_new(root, "mentor_orgs", json_pack("{s:I}", "total", (json_int_t)t.mentor_orgs));
	json_object_set_new(root, "menus", json_pack("{s:I}", "total", (json_int_t)t.menus));
	json_t *outcomes = json_object();
	json_object_set_new(outcomes, "rectified", json_integer(t.rectified));
	json_object_set_new(outcomes, "upgraded", json_integer(t.upgraded));
	/* The report's 70% is over the villages that were helped (the
	 * organisation mentees), not over every village. */
	json_object_set_new(outcomes, "demonstration_village_pct",
			    json_real(t.helped ? 100.0 * (double)t.helped_demonstration /
							 (double)t.helped
					       : 0));
	json_object_set_new(outcomes, "organisations_helped", json_integer(t.helped));
	json_object_set_new(outcomes, "three_star_and_above", json_integer(t.three_star));
	json_object_set_new(root, "outcomes", outcomes);
	/* The life of the pairings: pairings, activities, evaluations,
	 * people trained, the three-star change (svc_due.c). */
	c = store_acquire(s->store);
	e = life_stats(c, q.root_lo, q.root_hi, from, to, root);
	if (e) {
		json_decref(root);
		e = svc_db_fail(c, e, "stats", ei);
		store_release(s->store, c);
		return e;
	}
	store_release(s->store, c);
	/* The root of the figures, as a path: the caller's or the asked region. */
	json_object_set_new(root, "scope", json_string(q.root_lo));
	*out = root;
	return ERR_OK;
}
