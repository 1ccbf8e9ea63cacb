/*
 * svc_demo.c — loads the generated Yinchuan pilot (demo.h) into an empty
 * database, in one transaction: all or nothing. Layer: service.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/log.h"
#include "service/demo.h"
#include "service/internal.h"
#include "service/life.h"
#include "store/db_match.h"

struct load {
	struct service *s;
	const struct demo *d;
	struct region *regions; /* as stored, by demo index */
	int64_t *mentor_ids, *org_ids, *mentee_ids;
	const char *pw_hash;
	struct errinfo *ei;
};

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static enum err load_regions(struct store_conn *c, struct load *l, const char *now)
{
	for (size_t i = 0; i < l->d->nregions; i++) {
		const struct demo_region *dr = &l->d->regions[i];
		struct region *r = &l->regions[i];
		memset(r, 0, sizeof *r);
		copy(r->code, sizeof r->code, dr->code);
		copy(r->name, sizeof r->name, dr->name);
		r->level = dr->level;
		r->lat = dr->lat;
		r->lon = dr->lon;
		r->has_coords = true;
		if (dr->parent < 0) {
			snprintf(r->path, sizeof r->path, "/%s/", r->code);
		} else {
			/* Parents come before their children in the demo. */
			const struct region *p = &l->regions[dr->parent];
			if ((size_t)dr->parent >= i || !p->id)
				return errinfo_set(l->ei, ERR_INTERNAL, NULL, "demo region order");
			r->parent_id = p->id;
			snprintf(r->path, sizeof r->path, "%s%s/", p->path, r->code);
		}
		char key[3 * M_NAME];
		svc_search_key(l->s, key, sizeof key, r->name, r->code, NULL);
		enum err e = db_region_insert(c, r, key, now);
		if (e)
			return e;
	}
	return ERR_OK;
}

static void tags(char *dst, size_t n, char **codes, size_t k)
{
	size_t o = 0;
	dst[0] = '\0';
	for (size_t i = 0; i < k && o + strlen(codes[i]) + 3 < n; i++)
		o += (size_t)snprintf(dst + o, n - o, "%s%s,", o ? "" : ",", codes[i]);
}

static enum err add_transition(struct store_conn *c, int64_t id, const char *from, const char *to,
			       const char *action, const char *at)
{
	struct mentor_transition t;
	memset(&t, 0, sizeof t);
	t.mentor_id = id;
	copy(t.from_status, sizeof t.from_status, from);
	copy(t.to_status, sizeof t.to_status, to);
	copy(t.action, sizeof t.action, action);
	copy(t.at, sizeof t.at, at);
	return db_mentor_transition_add(c, &t);
}

/* The pipeline steps that lead to `status`, so that every demo mentor has
 * the history a real one would. */
static enum err mentor_history(struct store_conn *c, int64_t id, const char *status)
{
	static const struct {
		const char *from, *to, *action, *at;
	} steps[] = {
		{"", "nominated", "nominate", "2021-03-01T02:00:00Z"},
		{"nominated", "shortlisted", "shortlist", "2021-03-20T02:00:00Z"},
		{"shortlisted", "filed", "file", "2021-04-10T02:00:00Z"},
		{"filed", "active", "appoint", "2021-04-28T02:00:00Z"},
	};
	enum err e;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		if ((e = add_transition(c, id, steps[i].from, steps[i].to, steps[i].action, steps[i].at)))
			return e;
		if (!strcmp(steps[i].to, status))
			return ERR_OK;
	}
	if (!strcmp(status, "paused"))
		return add_transition(c, id, "active", "paused", "pause", "2025-06-01T02:00:00Z");
	if (!strcmp(status, "retired"))
		return add_transition(c, id, "active", "retired", "retire", "2025-12-01T02:00:00Z");
	return ERR_OK;
}

static enum err load_mentors(struct store_conn *c, struct load *l, const char *now)
{
	int letter = 0;
	for (size_t i = 0; i < l->d->nmentors; i++) {
		const struct demo_mentor *dm = &l->d->mentors[i];
		const struct region *r = &l->regions[dm->region];
		struct mentor m;
		memset(&m, 0, sizeof m);
		copy(m.name, sizeof m.name, dm->name);
		copy(m.gender, sizeof m.gender, dm->gender);
		copy(m.phone, sizeof m.phone, dm->phone);
		copy(m.id_number, sizeof m.id_number, dm->id_number);
		m.birth_year = dm->birth_year;
		m.region_id = r->id;
		copy(m.region_path, sizeof m.region_path, r->path);
		copy(m.tier, sizeof m.tier, dm->tier);
		copy(m.source, sizeof m.source, dm->source);
		copy(m.team_type, sizeof m.team_type, dm->team_type);
		copy(m.post, sizeof m.post, dm->post);
		m.capacity = dm->capacity;
		for (int k = 0; k < 4; k++)
			m.scores[k] = dm->scores[k];
		tags(m.domains, sizeof m.domains, dm->domains, dm->ndomains);
		copy(m.status, sizeof m.status, dm->status);
		bool appointed = !strcmp(m.status, "active") || !strcmp(m.status, "paused") ||
				 !strcmp(m.status, "retired");
		if (appointed) {
			snprintf(m.letter_no, sizeof m.letter_no, "YCDS-2021-%04d", ++letter);
			copy(m.appointed_on, sizeof m.appointed_on, "2021-04-28");
		}
		char key[3 * M_NAME];
		svc_search_key(l->s, key, sizeof key, m.name, m.post, r->name);
		enum err e = db_mentor_insert(c, &m, key, now);
		if (!e)
			e = mentor_history(c, m.id, m.status);
		if (e)
			return e;
		l->mentor_ids[i] = m.id;
	}
	int64_t n;
	for (int k = 0; k < letter; k++) /* the 2021 letter counter continues from here */
		if (db_counter_next(c, "letter-2021", &n))
			return ERR_DB;
	return ERR_OK;
}

static enum err add_star(struct store_conn *c, int64_t org, int stars, const char *on,
			 const char *note, const char *now)
{
	struct org_star s;
	memset(&s, 0, sizeof s);
	s.org_id = org;
	s.stars = stars;
	copy(s.rated_on, sizeof s.rated_on, on);
	copy(s.note, sizeof s.note, note);
	copy(s.at, sizeof s.at, now);
	return db_org_star_add(c, &s);
}

static enum err load_orgs(struct store_conn *c, struct load *l, const char *now)
{
	for (size_t i = 0; i < l->d->norgs; i++) {
		const struct demo_org *dorg = &l->d->orgs[i];
		const struct region *r = &l->regions[dorg->region];
		struct organisation o;
		memset(&o, 0, sizeof o);
		copy(o.name, sizeof o.name, dorg->name);
		o.region_id = r->id;
		copy(o.region_path, sizeof o.region_path, r->path);
		o.stars = dorg->stars_start;
		o.weak_lax = dorg->weak_lax;
		o.lagging = dorg->lagging;
		o.demonstration = dorg->demonstration;
		o.weak_economy = dorg->weak_economy;
		o.was_weak_lax = dorg->weak_lax || dorg->rectified;
		o.was_lagging = dorg->lagging || dorg->upgraded;
		char key[3 * M_NAME];
		svc_search_key(l->s, key, sizeof key, o.name, r->name, NULL);
		enum err e = db_org_insert(c, &o, key, now);
		if (!e)
			e = add_star(c, o.id, dorg->stars_start, "2021-01-15", "试点启动时评定", now);
		if (!e && dorg->stars_now != dorg->stars_start)
			e = add_star(c, o.id, dorg->stars_now, "2025-12-20", "年度评星", now);
		if (e)
			return e;
		l->org_ids[i] = o.id;
	}
	for (size_t i = 0; i < l->d->nmentor_orgs; i++) {
		const struct demo_mentor_org *dm = &l->d->mentor_orgs[i];
		const struct region *r = &l->regions[dm->region];
		struct mentor_org o;
		memset(&o, 0, sizeof o);
		copy(o.name, sizeof o.name, dm->name);
		copy(o.kind, sizeof o.kind, dm->kind);
		o.region_id = r->id;
		copy(o.region_path, sizeof o.region_path, r->path);
		o.capacity = dm->capacity;
		tags(o.domains, sizeof o.domains, dm->domains, dm->ndomains);
		char key[3 * M_NAME];
		svc_search_key(l->s, key, sizeof key, o.name, r->name, NULL);
		enum err e = db_mentor_org_insert(c, &o, key, now);
		if (e)
			return e;
	}
	return ERR_OK;
}

static enum err load_mentees(struct store_conn *c, struct load *l, const char *now)
{
	for (size_t i = 0; i < l->d->nmentees; i++) {
		const struct demo_mentee *dm = &l->d->mentees[i];
		const struct region *r = &l->regions[dm->region];
		struct mentee m;
		memset(&m, 0, sizeof m);
		copy(m.kind, sizeof m.kind, dm->kind);
		copy(m.name, sizeof m.name, dm->name);
		copy(m.gender, sizeof m.gender, dm->gender);
		copy(m.phone, sizeof m.phone, dm->phone);
		copy(m.id_number, sizeof m.id_number, dm->id_number);
		m.birth_year = dm->birth_year;
		m.region_id = r->id;
		copy(m.region_path, sizeof m.region_path, r->path);
		m.org_id = dm->org >= 0 ? l->org_ids[dm->org] : 0;
		copy(m.category, sizeof m.category, dm->category);
		copy(m.post, sizeof m.post, dm->post);
		copy(m.talent_team, sizeof m.talent_team, dm->talent_team);
		tags(m.weaknesses, sizeof m.weaknesses, dm->weaknesses, dm->nweaknesses);
		copy(m.status, sizeof m.status, "active");
		char key[3 * M_NAME];
		svc_search_key(l->s, key, sizeof key, m.name, m.post, r->name);
		enum err e = db_mentee_insert(c, &m, key, now);
		if (e)
			return e;
		l->mentee_ids[i] = m.id;
	}
	return ERR_OK;
}

static uint64_t mix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

/* Seven in ten person mentees of the county rank three mentors of its
 * menu ("你来点单"), picked among the six nearest to them. */
static enum err demo_choices(struct store_conn *c, struct load *l, const struct region *county,
			     int64_t menu_id, const int64_t *ids, int n, const char *now)
{
	if (n < 3)
		return ERR_OK;
	int *idx = xcalloc((size_t)n, sizeof *idx);
	double *dist = xcalloc((size_t)n, sizeof *dist);
	enum err e = ERR_OK;
	for (size_t i = 0; i < l->d->nmentees && !e; i++) {
		const struct demo_mentee *dm = &l->d->mentees[i];
		const struct region *r = &l->regions[dm->region];
		if (strcmp(dm->kind, "person") || !path_within(r->path, county->path) ||
		    mix(l->mentee_ids[i]) % 10 >= 7)
			continue;
		/* Nearest menu mentors (by the plain coordinate difference:
		 * enough to rank neighbours inside one county). */
		for (int k = 0; k < n; k++) {
			idx[k] = k;
			size_t mi = 0;
			while (mi < l->d->nmentors && l->mentor_ids[mi] != ids[k])
				mi++;
			const struct region *mr = &l->regions[l->d->mentors[mi].region];
			double dy = mr->lat - r->lat, dx = mr->lon - r->lon;
			dist[k] = dx * dx + dy * dy;
		}
		for (int a = 1; a < n; a++)
			for (int b = a; b > 0 && dist[idx[b]] < dist[idx[b - 1]]; b--) {
				int t = idx[b];
				idx[b] = idx[b - 1];
				idx[b - 1] = t;
			}
		int64_t pick[3];
		int np = 0, pool = n < 6 ? n : 6;
		uint64_t h = mix(l->mentee_ids[i] * 31 + 7);
		while (np < 3) {
			int64_t cand = ids[idx[h % (uint64_t)pool]];
			h = mix(h);
			bool dup = false;
			for (int q = 0; q < np; q++)
				dup = dup || pick[q] == cand;
			if (!dup)
				pick[np++] = cand;
		}
		e = db_match_choices_set(c, l->mentee_ids[i], menu_id, pick, 3, now);
	}
	free(idx);
	free(dist);
	return e;
}

/* One published menu per county, listing its in_menu mentors. */
static enum err load_menus(struct store_conn *c, struct load *l, const char *now)
{
	int64_t *ids = xcalloc(l->d->nmentors ? l->d->nmentors : 1, sizeof *ids);
	enum err e = ERR_OK;
	for (size_t k = 0; k < l->d->nregions && !e; k++) {
		const struct region *county = &l->regions[k];
		if (county->level != REGION_COUNTY)
			continue;
		int n = 0;
		for (size_t i = 0; i < l->d->nmentors; i++)
			if (l->d->mentors[i].in_menu &&
			    path_within(l->regions[l->d->mentors[i].region].path, county->path))
				ids[n++] = l->mentor_ids[i];
		if (n == 0)
			continue;
		struct menu m;
		memset(&m, 0, sizeof m);
		m.region_id = county->id;
		copy(m.region_path, sizeof m.region_path, county->path);
		snprintf(m.name, sizeof m.name, "%s导师帮带菜单", county->name);
		m.year = 2026;
		m.published = true;
		if (!(e = db_menu_insert(c, &m, now)))
			e = db_menu_set_items(c, m.id, ids, n);
		if (!e)
			e = demo_choices(c, l, county, m.id, ids, n, now);
	}
	free(ids);
	return e;
}

static enum err load_users(struct store_conn *c, struct load *l, const char *now)
{
	for (size_t i = 0; i < l->d->nusers; i++) {
		const struct demo_user *du = &l->d->users[i];
		struct user u;
		memset(&u, 0, sizeof u);
		copy(u.login, sizeof u.login, du->login);
		copy(u.role, sizeof u.role, du->role);
		u.region_id = du->region >= 0 ? l->regions[du->region].id : 0;
		u.mentor_id = du->mentor >= 0 ? l->mentor_ids[du->mentor] : 0;
		u.mentee_id = du->mentee >= 0 ? l->mentee_ids[du->mentee] : 0;
		if (u.mentor_id)
			u.region_id = l->regions[l->d->mentors[du->mentor].region].id;
		if (u.mentee_id)
			u.region_id = l->regions[l->d->mentees[du->mentee].region].id;
		enum err e = db_user_insert(c, &u, l->pw_hash, now);
		if (e)
			return e;
	}
	return ERR_OK;
}

static enum err load_tx(struct store_conn *c, void *arg)
{
	struct load *l = arg;
	char now[M_TIME];
	svc_now(now);
	struct region existing;
	enum err e = db_region_get_by_code(c, l->d->regions[0].code, &existing);
	if (e == ERR_OK)
		return errinfo_set(l->ei, ERR_CONFLICT, "db", "数据库已有数据 (the database is not empty)");
	if (e != ERR_NOT_FOUND)
		return e;
	for (size_t i = 0; i < l->d->nvocab; i++) {
		struct vocab v;
		memset(&v, 0, sizeof v);
		copy(v.kind, sizeof v.kind, l->d->vocab[i].kind);
		copy(v.code, sizeof v.code, l->d->vocab[i].code);
		copy(v.name, sizeof v.name, l->d->vocab[i].name);
		v.sort = (int)i;
		if ((e = db_vocab_insert(c, &v)))
			return e;
	}
	if ((e = load_regions(c, l, now)) || (e = load_mentors(c, l, now)) ||
	    (e = load_orgs(c, l, now)) || (e = load_mentees(c, l, now)) ||
	    (e = load_menus(c, l, now)) || (e = load_users(c, l, now)))
		return e;
	/* The pairings and a year of their life (demo_life.c). */
	char today[M_TIME];
	svc_today(today);
	if ((e = demo_life_load(l->s, c, l->d, l->regions, l->mentor_ids, l->mentee_ids, today, now)))
		return e;
	return svc_audit(c, NULL, "demo_load", "programme", 0, NULL, NULL, NULL);
}

enum err svc_demo_load(struct service *s, uint64_t seed, struct errinfo *ei)
{
	struct demo *d = demo_generate(seed);
	char hash[AUTH_HASH_BYTES];
	enum err e = auth_hash_password(DEMO_PASSWORD, strlen(DEMO_PASSWORD), hash);
	if (e) {
		demo_free(d);
		return errinfo_set(ei, e, NULL, "password hashing failed");
	}
	struct load l = {s, d, NULL, NULL, NULL, NULL, hash, ei};
	l.regions = xcalloc(d->nregions + 1, sizeof *l.regions);
	l.mentor_ids = xcalloc(d->nmentors + 1, sizeof *l.mentor_ids);
	l.org_ids = xcalloc(d->norgs + 1, sizeof *l.org_ids);
	l.mentee_ids = xcalloc(d->nmentees + 1, sizeof *l.mentee_ids);
	struct store_conn *c = store_acquire(s->store);
	e = store_tx(c, load_tx, &l);
	if (e && e != ERR_CONFLICT && e != ERR_INTERNAL)
		e = svc_db_fail(c, e, "demo load", ei);
	store_release(s->store, c);
	free(l.regions);
	free(l.mentor_ids);
	free(l.org_ids);
	free(l.mentee_ids);
	demo_free(d);
	if (!e)
		log_event(LOG_INFO, "demo loaded", "\"seed\":%llu", (unsigned long long)seed);
	return e;
}
