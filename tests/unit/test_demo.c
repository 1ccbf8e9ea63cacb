/*
 * test_demo.c — the generated Yinchuan pilot (service/demo.h): the same
 * seed gives the same data, the report's counts hold exactly for any
 * seed, every person has a valid phone and ID number, the region tree is
 * well formed, and every code used is in the vocabulary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/domain.h"
#include "service/demo.h"

static const uint64_t seeds[] = {0, 1, 42, 2021, 0xdeadbeefcafef00dULL, UINT64_MAX};
#define NSEEDS (sizeof seeds / sizeof seeds[0])

/* ---------------------------------------------------------------- helpers */

static bool streq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

static bool strv_eq(char **a, size_t na, char **b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!streq(a[i], b[i]))
			return false;
	return true;
}

/* Field-by-field equality of two generated programmes. */
static bool demo_equal(const struct demo *a, const struct demo *b)
{
	if (a->nregions != b->nregions || a->nvocab != b->nvocab || a->nmentors != b->nmentors ||
	    a->norgs != b->norgs || a->nmentor_orgs != b->nmentor_orgs ||
	    a->nmentees != b->nmentees || a->nusers != b->nusers)
		return false;
	for (size_t i = 0; i < a->nregions; i++) {
		const struct demo_region *x = &a->regions[i], *y = &b->regions[i];
		if (!streq(x->code, y->code) || !streq(x->name, y->name) || x->level != y->level ||
		    x->parent != y->parent || memcmp(&x->lat, &y->lat, sizeof x->lat) != 0 ||
		    memcmp(&x->lon, &y->lon, sizeof x->lon) != 0)
			return false;
	}
	for (size_t i = 0; i < a->nvocab; i++)
		if (!streq(a->vocab[i].kind, b->vocab[i].kind) || !streq(a->vocab[i].code, b->vocab[i].code) ||
		    !streq(a->vocab[i].name, b->vocab[i].name))
			return false;
	for (size_t i = 0; i < a->nmentors; i++) {
		const struct demo_mentor *x = &a->mentors[i], *y = &b->mentors[i];
		if (!streq(x->name, y->name) || !streq(x->gender, y->gender) || !streq(x->phone, y->phone) ||
		    !streq(x->id_number, y->id_number) || x->region != y->region ||
		    !streq(x->tier, y->tier) || !streq(x->source, y->source) ||
		    !streq(x->team_type, y->team_type) || !streq(x->post, y->post) ||
		    x->birth_year != y->birth_year || x->capacity != y->capacity ||
		    memcmp(x->scores, y->scores, sizeof x->scores) != 0 ||
		    !strv_eq(x->domains, x->ndomains, y->domains, y->ndomains) ||
		    !streq(x->status, y->status) || x->in_menu != y->in_menu)
			return false;
	}
	for (size_t i = 0; i < a->norgs; i++) {
		const struct demo_org *x = &a->orgs[i], *y = &b->orgs[i];
		if (!streq(x->name, y->name) || x->region != y->region || x->weak_lax != y->weak_lax ||
		    x->lagging != y->lagging || x->demonstration != y->demonstration ||
		    x->weak_economy != y->weak_economy || x->stars_start != y->stars_start ||
		    x->stars_now != y->stars_now || x->rectified != y->rectified || x->upgraded != y->upgraded)
			return false;
	}
	for (size_t i = 0; i < a->nmentor_orgs; i++) {
		const struct demo_mentor_org *x = &a->mentor_orgs[i], *y = &b->mentor_orgs[i];
		if (!streq(x->name, y->name) || !streq(x->kind, y->kind) || x->region != y->region ||
		    !strv_eq(x->domains, x->ndomains, y->domains, y->ndomains) || x->capacity != y->capacity)
			return false;
	}
	for (size_t i = 0; i < a->nmentees; i++) {
		const struct demo_mentee *x = &a->mentees[i], *y = &b->mentees[i];
		if (!streq(x->kind, y->kind) || !streq(x->name, y->name) || !streq(x->gender, y->gender) ||
		    !streq(x->phone, y->phone) || !streq(x->id_number, y->id_number) ||
		    x->region != y->region || x->org != y->org || !streq(x->category, y->category) ||
		    !streq(x->post, y->post) || !streq(x->talent_team, y->talent_team) ||
		    x->birth_year != y->birth_year ||
		    !strv_eq(x->weaknesses, x->nweaknesses, y->weaknesses, y->nweaknesses))
			return false;
	}
	for (size_t i = 0; i < a->nusers; i++) {
		const struct demo_user *x = &a->users[i], *y = &b->users[i];
		if (!streq(x->login, y->login) || !streq(x->role, y->role) || x->region != y->region ||
		    x->mentor != y->mentor || x->mentee != y->mentee)
			return false;
	}
	return true;
}

/* The county-level region (level 2) above or at `r`, or -1. */
static int county_of(const struct demo *d, int r)
{
	while (r >= 0 && d->regions[r].level > 2)
		r = d->regions[r].parent;
	return r >= 0 && d->regions[r].level == 2 ? r : -1;
}

static int region_by_name(const struct demo *d, const char *name)
{
	for (size_t i = 0; i < d->nregions; i++)
		if (streq(d->regions[i].name, name))
			return (int)i;
	return -1;
}

static bool vocab_has(const struct demo *d, const char *kind, const char *code)
{
	for (size_t i = 0; i < d->nvocab; i++)
		if (streq(d->vocab[i].kind, kind) && streq(d->vocab[i].code, code))
			return true;
	return false;
}

static size_t count_source(const struct demo *d, const char *src)
{
	size_t n = 0;
	for (size_t i = 0; i < d->nmentors; i++)
		n += streq(d->mentors[i].source, src);
	return n;
}

static size_t count_category(const struct demo *d, const char *cat)
{
	size_t n = 0;
	for (size_t i = 0; i < d->nmentees; i++)
		n += streq(d->mentees[i].kind, "person") && streq(d->mentees[i].category, cat);
	return n;
}

/* ---------------------------------------------------------------- tests */

static void test_deterministic(void **state)
{
	(void)state;
	struct demo *a = demo_generate(42), *b = demo_generate(42), *c = demo_generate(43);
	assert_true(demo_equal(a, b));
	assert_false(demo_equal(a, c));
	/* the mentors' names in particular move with the seed */
	size_t same = 0;
	for (size_t i = 0; i < a->nmentors; i++)
		same += streq(a->mentors[i].name, c->mentors[i].name);
	assert_true(same < a->nmentors / 4);
	demo_free(a);
	demo_free(b);
	demo_free(c);
	demo_free(NULL);
}

static void test_counts(void **state)
{
	(void)state;
	static const struct {
		const char *code;
		size_t n;
	} src[] = {
		{"veteran_cadre", 133}, {"village_secretary", 97}, {"wealth_leader", 44},
		{"model_exemplar", 74},
	}, cat[] = {
		{"new_village_secretary", 104}, {"retained_secretary", 71},
		{"township_young_cadre", 151}, {"reserve_force", 163},
	};
	for (size_t s = 0; s < NSEEDS; s++) {
		struct demo *d = demo_generate(seeds[s]);
		assert_int_equal(d->nmentors, 483);
		for (size_t i = 0; i < sizeof src / sizeof src[0]; i++)
			assert_int_equal(count_source(d, src[i].code), src[i].n);
		size_t rest = count_source(d, "first_secretary") + count_source(d, "work_team") +
			      count_source(d, "enterprise_head");
		assert_int_equal(rest, 135);
		assert_true(count_source(d, "first_secretary") > 0);
		assert_true(count_source(d, "work_team") > 0);
		assert_true(count_source(d, "enterprise_head") > 0);
		assert_int_equal(d->nmentor_orgs, 85);

		for (size_t i = 0; i < sizeof cat / sizeof cat[0]; i++)
			assert_int_equal(count_category(d, cat[i].code), cat[i].n);
		static const char *const others[] = {"new_township_cadre", "new_work_team",
						     "weak_village_secretary", "new_township_leader"};
		for (size_t i = 0; i < 4; i++) {
			size_t n = count_category(d, others[i]);
			assert_true(n >= 12 && n <= 60);
		}
		size_t nperson = 0, norg = 0;
		for (size_t i = 0; i < d->nmentees; i++) {
			nperson += streq(d->mentees[i].kind, "person");
			norg += streq(d->mentees[i].kind, "org");
		}
		assert_int_equal(nperson + norg, d->nmentees);
		assert_true(nperson >= 500 && norg >= 30);

		/* menus: 贺兰县 exactly 34, the others 15..25, all active */
		int helan = region_by_name(d, "贺兰县");
		assert_true(helan > 0);
		size_t *menu = test_calloc(d->nregions, sizeof *menu);
		for (size_t i = 0; i < d->nmentors; i++) {
			const struct demo_mentor *m = &d->mentors[i];
			if (!m->in_menu)
				continue;
			assert_string_equal(m->status, "active");
			int c = county_of(d, m->region);
			assert_true(c > 0);
			menu[c]++;
		}
		assert_int_equal(menu[helan], 34);
		for (size_t r = 0; r < d->nregions; r++)
			if (d->regions[r].level == 2 && (int)r != helan)
				assert_true(menu[r] >= 15 && menu[r] <= 25);
		test_free(menu);

		/* statuses: mostly active, a handful in each other state */
		static const char *const st[] = {"nominated", "shortlisted", "filed", "paused", "retired"};
		size_t active = 0;
		for (size_t i = 0; i < d->nmentors; i++)
			active += streq(d->mentors[i].status, "active");
		assert_true(active > 440);
		for (size_t k = 0; k < 5; k++) {
			size_t n = 0;
			for (size_t i = 0; i < d->nmentors; i++)
				n += streq(d->mentors[i].status, st[k]);
			assert_true(n >= 2 && n <= 8);
		}
		size_t tiers[3] = {0};
		for (size_t i = 0; i < d->nmentors; i++) {
			const char *t = d->mentors[i].tier;
			tiers[streq(t, "city") ? 0 : streq(t, "county") ? 1 : 2]++;
		}
		assert_true(tiers[2] > tiers[1] && tiers[1] > tiers[0] && tiers[0] > 0);

		/* the two named enterprises of 丰登镇 */
		int fd = region_by_name(d, "丰登镇");
		size_t fd_heads = 0;
		for (size_t i = 0; i < d->nmentors; i++)
			if (d->mentors[i].region == fd && streq(d->mentors[i].source, "enterprise_head") &&
			    (strstr(d->mentors[i].post, "番茄") || strstr(d->mentors[i].post, "产业园")))
				fd_heads++;
		assert_int_equal(fd_heads, 2);
		demo_free(d);
	}
}

static void test_orgs(void **state)
{
	(void)state;
	for (size_t s = 0; s < NSEEDS; s++) {
		struct demo *d = demo_generate(seeds[s]);
		size_t nvillage = 0;
		for (size_t i = 0; i < d->nregions; i++)
			nvillage += d->regions[i].level == 4;
		assert_int_equal(d->norgs, nvillage);
		size_t rect = 0, upg = 0, weak_now = 0, lag_now = 0, s3_start = 0, s3_now = 0;
		for (size_t i = 0; i < d->norgs; i++) {
			const struct demo_org *o = &d->orgs[i];
			assert_int_equal(d->regions[o->region].level, 4);
			assert_true(o->stars_start >= 1 && o->stars_start <= 5);
			assert_true(o->stars_now >= 1 && o->stars_now <= 5);
			if (o->rectified)
				assert_false(o->weak_lax);
			if (o->upgraded) {
				assert_false(o->lagging);
				assert_true(o->stars_now > o->stars_start);
			}
			if (o->demonstration)
				assert_false(o->weak_lax || o->lagging);
			rect += o->rectified;
			upg += o->upgraded;
			weak_now += o->weak_lax;
			lag_now += o->lagging;
			s3_start += o->stars_start >= 3;
			s3_now += o->stars_now >= 3;
		}
		assert_int_equal(rect, 11);
		assert_int_equal(upg, 20);
		assert_true(weak_now > 0 && weak_now < 10);
		assert_true(lag_now > 0);
		/* the >=3-star share rises by about 10 percentage points */
		double rise = ((double)s3_now - (double)s3_start) / (double)d->norgs;
		assert_true(rise > 0.09 && rise < 0.11);

		/* demonstration rate among the paired organisations: ~70% */
		size_t norg = 0, ndemo = 0;
		for (size_t i = 0; i < d->nmentees; i++) {
			const struct demo_mentee *e = &d->mentees[i];
			if (!streq(e->kind, "org"))
				continue;
			assert_true(e->org >= 0 && (size_t)e->org < d->norgs);
			const struct demo_org *o = &d->orgs[e->org];
			assert_string_equal(e->name, o->name);
			assert_int_equal(e->region, o->region);
			assert_true(o->weak_lax || o->rectified || o->lagging || o->upgraded || o->weak_economy);
			norg++;
			ndemo += o->demonstration;
		}
		size_t alldemo = 0;
		for (size_t i = 0; i < d->norgs; i++)
			alldemo += d->orgs[i].demonstration;
		assert_int_equal(alldemo, ndemo);
		double rate = (double)ndemo / (double)norg;
		assert_true(rate > 0.68 && rate < 0.72);

		size_t party = 0, ent = 0;
		for (size_t i = 0; i < d->nmentor_orgs; i++) {
			const struct demo_mentor_org *m = &d->mentor_orgs[i];
			party += streq(m->kind, "party_org");
			ent += streq(m->kind, "enterprise");
			assert_true(m->region >= 0 && (size_t)m->region < d->nregions);
			assert_true(m->ndomains >= 1 && m->ndomains <= 4);
			assert_true(m->capacity >= 1 && m->capacity <= 5);
			for (size_t j = 0; j < m->ndomains; j++)
				assert_true(vocab_has(d, "domain", m->domains[j]));
		}
		assert_int_equal(party + ent, 85);
		assert_true(party > 0 && ent > 0);
		demo_free(d);
	}
}

static void check_person(const struct demo *d, const char *phone, const char *id, int region,
			 int birth_year, const char *gender)
{
	assert_true(phone_valid(phone));
	assert_true(id_number_valid(id));
	/* the birth date in the ID number matches the birth year */
	char year[5];
	memcpy(year, id + 6, 4);
	year[4] = '\0';
	char want[16];
	snprintf(want, sizeof want, "%d", birth_year);
	assert_string_equal(year, want);
	/* the first six digits are a county code: the person's own, unless
	 * the person sits in the city library */
	int c = county_of(d, region);
	if (c >= 0) {
		assert_memory_equal(id, d->regions[c].code, 6);
	} else {
		bool found = false;
		for (size_t i = 0; i < d->nregions; i++)
			found = found || (d->regions[i].level == 2 && memcmp(id, d->regions[i].code, 6) == 0);
		assert_true(found);
	}
	/* the sequence digit is odd for men */
	int odd = (id[16] - '0') % 2;
	assert_int_equal(odd, streq(gender, "男"));
}

static void test_people_valid(void **state)
{
	(void)state;
	for (size_t s = 0; s < NSEEDS; s++) {
		struct demo *d = demo_generate(seeds[s]);
		size_t n = d->nmentors + d->nmentees;
		const char **phones = test_calloc(n, sizeof *phones);
		const char **ids = test_calloc(n, sizeof *ids);
		size_t np = 0;
		for (size_t i = 0; i < d->nmentors; i++) {
			const struct demo_mentor *m = &d->mentors[i];
			check_person(d, m->phone, m->id_number, m->region, m->birth_year, m->gender);
			assert_true(m->birth_year >= 1940 && m->birth_year <= 2000);
			assert_true(streq(m->gender, "男") || streq(m->gender, "女"));
			size_t namelen = utf8_len(m->name);
			assert_true(namelen == 2 || namelen == 3);
			assert_true(m->capacity >= 1 && m->capacity <= 5);
			for (int j = 0; j < 4; j++)
				assert_true(m->scores[j] >= 60 && m->scores[j] <= 100);
			assert_true(m->post[0] != '\0');
			assert_true(utf8_valid(m->post, strlen(m->post)));
			phones[np] = m->phone;
			ids[np++] = m->id_number;
		}
		for (size_t i = 0; i < d->nmentees; i++) {
			const struct demo_mentee *e = &d->mentees[i];
			assert_true(e->post[0] != '\0');
			if (streq(e->kind, "org")) {
				assert_string_equal(e->phone, "");
				assert_string_equal(e->id_number, "");
				assert_string_equal(e->category, "");
				continue;
			}
			assert_int_equal(e->org, -1);
			assert_int_equal(d->regions[e->region].level, 3);
			check_person(d, e->phone, e->id_number, e->region, e->birth_year, e->gender);
			assert_true(e->birth_year >= 1950 && e->birth_year <= 2003);
			phones[np] = e->phone;
			ids[np++] = e->id_number;
		}
		for (size_t i = 0; i < np; i++)
			for (size_t j = i + 1; j < np; j++) {
				assert_true(strcmp(phones[i], phones[j]) != 0);
				assert_true(strcmp(ids[i], ids[j]) != 0);
			}
		test_free(phones);
		test_free(ids);
		demo_free(d);
	}
}

static void test_regions(void **state)
{
	(void)state;
	struct demo *d = demo_generate(7);
	assert_true(d->nregions > 200);
	assert_string_equal(d->regions[0].code, "6401");
	assert_string_equal(d->regions[0].name, "银川市");
	assert_int_equal(d->regions[0].level, 1);
	assert_int_equal(d->regions[0].parent, -1);
	static const struct {
		const char *name, *code;
	} counties[] = {
		{"兴庆区", "640104"}, {"西夏区", "640105"}, {"金凤区", "640106"},
		{"永宁县", "640121"}, {"贺兰县", "640122"}, {"灵武市", "640181"},
	};
	size_t ncounty = 0;
	for (size_t i = 0; i < d->nregions; i++)
		ncounty += d->regions[i].level == 2;
	assert_int_equal(ncounty, 6);
	for (size_t k = 0; k < 6; k++) {
		int r = region_by_name(d, counties[k].name);
		assert_true(r > 0);
		assert_string_equal(d->regions[r].code, counties[k].code);
	}
	static const char *const towns[] = {"习岗镇", "金贵镇", "立岗镇", "洪广镇", "常信乡", "杨和镇",
					    "闽宁镇", "胜利乡", "郝家桥镇", "宁东镇", "掌政镇", "月牙湖乡",
					    "镇北堡镇", "兴泾镇", "良田镇", "丰登镇"};
	for (size_t k = 0; k < sizeof towns / sizeof towns[0]; k++) {
		int r = region_by_name(d, towns[k]);
		assert_true(r > 0);
		assert_int_equal(d->regions[r].level, 3);
	}
	static const size_t code_len[5] = {0, 4, 6, 9, 12};
	for (size_t i = 0; i < d->nregions; i++) {
		const struct demo_region *x = &d->regions[i];
		assert_true(x->level >= 1 && x->level <= 4);
		assert_true(code_valid(x->code));
		assert_int_equal(strlen(x->code), code_len[x->level]);
		assert_true(x->lat > 37.5 && x->lat < 39.0 && x->lon > 105.7 && x->lon < 107.0);
		if (x->level == 1)
			continue;
		assert_true(x->parent >= 0 && (size_t)x->parent < d->nregions);
		const struct demo_region *p = &d->regions[x->parent];
		assert_int_equal(p->level, x->level - 1);
		assert_memory_equal(x->code, p->code, strlen(p->code));
		if (x->level == 4) {
			/* within a few km of its township */
			assert_true(x->lat - p->lat < 0.05 && p->lat - x->lat < 0.05);
			assert_true(x->lon - p->lon < 0.05 && p->lon - x->lon < 0.05);
		}
		for (size_t j = 0; j < i; j++)
			assert_true(strcmp(d->regions[j].code, x->code) != 0);
	}
	/* every township has 4..10 villages or communities */
	for (size_t i = 0; i < d->nregions; i++) {
		if (d->regions[i].level != 3)
			continue;
		size_t n = 0;
		for (size_t j = 0; j < d->nregions; j++)
			n += d->regions[j].parent == (int)i;
		assert_true(n >= 4 && n <= 10);
	}
	demo_free(d);
}

static void test_vocab_refs(void **state)
{
	(void)state;
	for (size_t s = 0; s < NSEEDS; s++) {
		struct demo *d = demo_generate(seeds[s]);
		static const char *const kinds[] = {"source", "category", "domain", "talent_team"};
		static const size_t nkind[] = {7, 8, 12, 6};
		for (size_t k = 0; k < 4; k++) {
			size_t n = 0;
			for (size_t i = 0; i < d->nvocab; i++)
				n += streq(d->vocab[i].kind, kinds[k]);
			assert_int_equal(n, nkind[k]);
		}
		for (size_t i = 0; i < d->nvocab; i++) {
			assert_true(code_valid(d->vocab[i].code));
			for (size_t j = 0; j < i; j++)
				assert_false(streq(d->vocab[i].kind, d->vocab[j].kind) &&
					     streq(d->vocab[i].code, d->vocab[j].code));
		}
		for (size_t i = 0; i < d->nmentors; i++) {
			const struct demo_mentor *m = &d->mentors[i];
			assert_true(vocab_has(d, "source", m->source));
			assert_true(tier_parse(m->tier) != TIER_NONE);
			assert_true(team_type_parse(m->team_type) != TEAM_NONE);
			assert_true(mstatus_parse(m->status) != MSTATUS_NONE);
			assert_true(m->region >= 0 && (size_t)m->region < d->nregions);
			int lvl = d->regions[m->region].level;
			assert_int_equal(lvl, streq(m->tier, "city") ? 1 : streq(m->tier, "county") ? 2 : 3);
			assert_true(m->ndomains >= 1 && m->ndomains <= 4);
			for (size_t j = 0; j < m->ndomains; j++) {
				assert_true(vocab_has(d, "domain", m->domains[j]));
				for (size_t k = 0; k < j; k++)
					assert_false(streq(m->domains[j], m->domains[k]));
			}
		}
		for (size_t i = 0; i < d->nmentees; i++) {
			const struct demo_mentee *e = &d->mentees[i];
			if (streq(e->kind, "person"))
				assert_true(vocab_has(d, "category", e->category));
			if (e->talent_team[0])
				assert_true(vocab_has(d, "talent_team", e->talent_team));
			if (streq(e->category, "reserve_force") || streq(e->category, "new_village_secretary"))
				assert_true(e->talent_team[0] != '\0');
			assert_true(e->nweaknesses >= 1 && e->nweaknesses <= 3);
			for (size_t j = 0; j < e->nweaknesses; j++)
				assert_true(vocab_has(d, "domain", e->weaknesses[j]));
		}
		demo_free(d);
	}
}

static void test_users(void **state)
{
	(void)state;
	struct demo *d = demo_generate(2022);
	static const struct {
		const char *login, *role, *region;
	} want[] = {
		{"city_admin", "city_admin", "银川市"}, {"county_admin", "county_admin", "贺兰县"},
		{"county_admin_lw", "county_admin", "灵武市"}, {"township_admin", "township_admin", "习岗镇"},
		{"mentor", "mentor", NULL}, {"mentee", "mentee", NULL}, {"auditor", "auditor", "银川市"},
	};
	assert_int_equal(d->nusers, 7);
	int helan = region_by_name(d, "贺兰县");
	for (size_t i = 0; i < 7; i++) {
		const struct demo_user *u = &d->users[i];
		assert_string_equal(u->login, want[i].login);
		assert_string_equal(u->role, want[i].role);
		assert_true(role_parse(u->role) != ROLE_NONE);
		assert_true(u->region >= 0 && (size_t)u->region < d->nregions);
		if (want[i].region)
			assert_string_equal(d->regions[u->region].name, want[i].region);
		if (streq(u->role, "mentor")) {
			assert_true(u->mentor >= 0 && (size_t)u->mentor < d->nmentors);
			assert_int_equal(county_of(d, d->mentors[u->mentor].region), helan);
			assert_int_equal(u->region, d->mentors[u->mentor].region);
		} else {
			assert_int_equal(u->mentor, -1);
		}
		if (streq(u->role, "mentee")) {
			assert_true(u->mentee >= 0 && (size_t)u->mentee < d->nmentees);
			assert_string_equal(d->mentees[u->mentee].kind, "person");
			assert_int_equal(county_of(d, d->mentees[u->mentee].region), helan);
			assert_int_equal(u->region, d->mentees[u->mentee].region);
		} else {
			assert_int_equal(u->mentee, -1);
		}
	}
	demo_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deterministic), cmocka_unit_test(test_counts),
		cmocka_unit_test(test_orgs),          cmocka_unit_test(test_people_valid),
		cmocka_unit_test(test_regions),       cmocka_unit_test(test_vocab_refs),
		cmocka_unit_test(test_users),
	};
	return cmocka_run_group_tests_name("demo", tests, NULL, NULL);
}
