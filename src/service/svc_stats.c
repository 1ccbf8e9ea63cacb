/*
 * svc_stats.c — the programme's figures (SPEC §6) computed from the data
 * for a jurisdiction. Layer: service. Counts only: no personal data, so
 * auditors see the same numbers as admins.
 */
#include <stdio.h>
#include <string.h>

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
	if ((e = group(c, DB_MENTORS_BY_SOURCE, &q, mentors, "by_source", &n_mentors)) ||
	    (e = group(c, DB_MENTORS_BY_TIER, &q, mentors, "by_tier", NULL)) ||
	    (e = group(c, DB_MENTORS_BY_TEAM, &q, mentors, "by_team_type", NULL)) ||
	    (e = group(c, DB_MENTORS_BY_STATUS, &q, mentors, "by_status", NULL)) ||
	    (e = group(c, DB_MENTORS_BY_COUNTY, &q, mentors, "by_county", NULL)) ||
	    (e = group(c, DB_MENTEES_BY_CATEGORY, &q, mentees, "by_category", NULL)) ||
	    (e = group(c, DB_MENTEES_BY_KIND, &q, mentees, "by_kind", &n_mentees)) ||
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
