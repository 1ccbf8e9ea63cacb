/*
 * test_service.c — the service layer (service/service.h) on a real
 * temporary SQLite database: the jurisdiction rule for every role on
 * mentees, organisations, mentor organisations and menus (including the
 * K1/K10 prefix trap), masking, input that is refused without changing
 * anything, menu items, star history, the mentor pipeline and the audit
 * chain.
 *
 * One database is built by the group setup (regions, vocabularies,
 * accounts logged in as real sessions); each test adds the records it
 * needs and compares list totals before and after.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../testdb.h"
#include "service/internal.h"
#include "service/service.h"

#define PW "password-123"

static struct service *svc;
static struct testdb db; /* SQLite, or PostgreSQL under scripts/pg-test */

/* Logged-in callers. */
static struct actor city, c22, c81, k1, aud, mentee_a, mentor_a;
/* Mentee of the mentee_a account, active mentors of 640122 and 640181. */
static int64_t own_mentee, active22[3], active81, nominated22;

/* ---------------------------------------------------------------- helpers */

static uint64_t bit(const struct field_spec *sp, const char *name)
{
	int i = fields_find(sp, name);
	assert_true(i >= 0);
	return 1ull << i;
}

static void region(const char *code, const char *name, int level, const char *parent)
{
	struct region r;
	struct errinfo ei;
	memset(&r, 0, sizeof r);
	snprintf(r.code, sizeof r.code, "%s", code);
	snprintf(r.name, sizeof r.name, "%s", name);
	r.level = level;
	snprintf(r.parent_code, sizeof r.parent_code, "%s", parent);
	assert_int_equal(svc_region_create(svc, NULL, &r, 0, &ei), ERR_OK);
}

static void vocab(const char *kind, const char *code, const char *name)
{
	struct vocab v;
	struct errinfo ei;
	memset(&v, 0, sizeof v);
	snprintf(v.kind, sizeof v.kind, "%s", kind);
	snprintf(v.code, sizeof v.code, "%s", code);
	snprintf(v.name, sizeof v.name, "%s", name);
	assert_int_equal(svc_vocab_create(svc, NULL, &v, &ei), ERR_OK);
}

static void user(const char *login, const char *role, const char *region_code, int64_t mentor,
		 int64_t mentee)
{
	struct user u;
	struct errinfo ei;
	memset(&u, 0, sizeof u);
	snprintf(u.login, sizeof u.login, "%s", login);
	snprintf(u.role, sizeof u.role, "%s", role);
	snprintf(u.region_code, sizeof u.region_code, "%s", region_code);
	u.mentor_id = mentor;
	u.mentee_id = mentee;
	enum err e = svc_user_create(svc, NULL, &u, PW, strlen(PW), &ei);
	if (e)
		fail_msg("user %s: %s (%s)", login, ei.message, ei.field);
}

static void login(const char *name, struct actor *out)
{
	char token[AUTH_TOKEN_BYTES], csrf[65];
	struct errinfo ei;
	assert_int_equal(service_login(svc, name, PW, strlen(PW), "127.0.0.1", token, csrf, out, &ei),
			 ERR_OK);
}

static struct mentee person(const char *name, const char *region_code, const char *category)
{
	struct mentee m;
	memset(&m, 0, sizeof m);
	snprintf(m.kind, sizeof m.kind, "person");
	snprintf(m.name, sizeof m.name, "%s", name);
	snprintf(m.region_code, sizeof m.region_code, "%s", region_code);
	snprintf(m.category, sizeof m.category, "%s", category);
	snprintf(m.weaknesses, sizeof m.weaknesses, ",party_building,");
	return m;
}

static int64_t add_person(const struct actor *a, const char *name, const char *region_code)
{
	struct mentee m = person(name, region_code, "young_cadre");
	struct errinfo ei;
	enum err e = svc_mentee_create(svc, a, &m, 0, &ei);
	if (e)
		fail_msg("mentee %s: %s (%s)", name, ei.message, ei.field);
	return m.id;
}

static struct mentor mentor_rec(const char *name, const char *region_code)
{
	struct mentor m;
	memset(&m, 0, sizeof m);
	snprintf(m.name, sizeof m.name, "%s", name);
	snprintf(m.region_code, sizeof m.region_code, "%s", region_code);
	snprintf(m.tier, sizeof m.tier, "township");
	snprintf(m.source, sizeof m.source, "veteran");
	snprintf(m.team_type, sizeof m.team_type, "expert");
	snprintf(m.domains, sizeof m.domains, ",party_building,rural_tourism,");
	return m;
}

static int64_t add_mentor(const char *name, const char *region_code, bool activate)
{
	struct mentor m = mentor_rec(name, region_code);
	struct errinfo ei;
	assert_int_equal(svc_mentor_create(svc, NULL, &m, 0, &ei), ERR_OK);
	if (activate) {
		static const char *const steps[] = {"shortlist", "file", "appoint"};
		for (size_t i = 0; i < 3; i++)
			assert_int_equal(svc_mentor_transition(svc, &city, m.id, steps[i], "", &m, &ei),
					 ERR_OK);
		assert_string_equal(m.status, "active");
	}
	return m.id;
}

static struct organisation org_rec(const char *name, const char *region_code)
{
	struct organisation o;
	memset(&o, 0, sizeof o);
	snprintf(o.name, sizeof o.name, "%s", name);
	snprintf(o.region_code, sizeof o.region_code, "%s", region_code);
	return o;
}

/* A list's rows as seen by the callback. */
struct rows {
	int n;
	int64_t ids[64];
	char paths[64][M_PATH];
	int masked, unmasked;
	bool published_only, all_published;
};

static enum err collect_mentee(void *arg, const void *row, bool masked)
{
	struct rows *r = arg;
	const struct mentee *m = row;
	if (r->n < 64) {
		r->ids[r->n] = m->id;
		snprintf(r->paths[r->n], M_PATH, "%s", m->region_path);
	}
	r->n++;
	masked ? r->masked++ : r->unmasked++;
	return ERR_OK;
}

static enum err collect_org(void *arg, const void *row, bool masked)
{
	struct rows *r = arg;
	const struct organisation *o = row;
	if (r->n < 64) {
		r->ids[r->n] = o->id;
		snprintf(r->paths[r->n], M_PATH, "%s", o->region_path);
	}
	r->n++;
	masked ? r->masked++ : r->unmasked++;
	return ERR_OK;
}

static enum err collect_morg(void *arg, const void *row, bool masked)
{
	struct rows *r = arg;
	const struct mentor_org *o = row;
	if (r->n < 64) {
		r->ids[r->n] = o->id;
		snprintf(r->paths[r->n], M_PATH, "%s", o->region_path);
	}
	r->n++;
	masked ? r->masked++ : r->unmasked++;
	return ERR_OK;
}

static enum err collect_menu(void *arg, const void *row, bool masked)
{
	struct rows *r = arg;
	const struct menu *m = row;
	if (r->n < 64) {
		r->ids[r->n] = m->id;
		snprintf(r->paths[r->n], M_PATH, "%s", m->region_path);
	}
	if (r->n == 0)
		r->all_published = true;
	r->all_published = r->all_published && m->published;
	r->n++;
	masked ? r->masked++ : r->unmasked++;
	return ERR_OK;
}

static enum err collect_mentor(void *arg, const void *row, bool masked)
{
	struct rows *r = arg;
	const struct mentor *m = row;
	if (r->n < 64)
		r->ids[r->n] = m->id;
	r->n++;
	masked ? r->masked++ : r->unmasked++;
	return ERR_OK;
}

static enum err collect_star(void *arg, const void *row, bool masked)
{
	struct rows *r = arg;
	const struct org_star *s = row;
	if (r->n < 64) {
		r->ids[r->n] = s->stars;
		snprintf(r->paths[r->n], M_PATH, "%s", s->rated_on);
	}
	r->n++;
	(void)masked;
	return ERR_OK;
}

static enum err count_row(void *arg, const void *row, bool masked)
{
	(void)row;
	(void)masked;
	((struct rows *)arg)->n++;
	return ERR_OK;
}

static struct svc_list_args args(const char *region_code)
{
	struct svc_list_args la;
	memset(&la, 0, sizeof la);
	snprintf(la.region, sizeof la.region, "%s", region_code ? region_code : "");
	la.limit = LIMIT_PAGE_SIZE;
	return la;
}

static int64_t mentee_total(const struct actor *a)
{
	struct svc_list_args la = args(NULL);
	struct rows r = {0};
	int64_t total = -1;
	struct errinfo ei;
	assert_int_equal(svc_mentee_list(svc, a, &la, collect_mentee, &r, &total, &ei), ERR_OK);
	assert_int_equal(total, r.n);
	return total;
}

static int64_t org_total(void)
{
	struct svc_list_args la = args(NULL);
	struct rows r = {0};
	int64_t total = -1;
	struct errinfo ei;
	assert_int_equal(svc_org_list(svc, &city, &la, collect_org, &r, &total, &ei), ERR_OK);
	return total;
}

static int64_t morg_total(void)
{
	struct svc_list_args la = args(NULL);
	struct rows r = {0};
	int64_t total = -1;
	struct errinfo ei;
	assert_int_equal(svc_mentor_org_list(svc, &city, &la, collect_morg, &r, &total, &ei), ERR_OK);
	return total;
}

static int64_t menu_total(const struct actor *a)
{
	struct svc_list_args la = args(NULL);
	struct rows r = {0};
	int64_t total = -1;
	struct errinfo ei;
	assert_int_equal(svc_menu_list(svc, a, &la, collect_menu, &r, &total, &ei), ERR_OK);
	return total;
}

static int64_t audit_count(void)
{
	int64_t n = 0, bad = 0;
	bool ok = false;
	struct errinfo ei;
	assert_int_equal(svc_audit_verify(svc, NULL, &n, &ok, &bad, &ei), ERR_OK);
	assert_true(ok);
	return n;
}

/* ---------------------------------------------------------------- fixture */

static int setup(void **state)
{
	(void)state;
	if (testdb_create(&db, "service") != 0)
		return -1;
	struct errinfo ei;
	if (service_open(db.uri, 2, &svc, &ei))
		return -1;

	region("6401", "银川市", 1, "");
	region("640122", "贺兰县", 2, "6401");
	region("640181", "灵武市", 2, "6401");
	/* The trap: K1 is a prefix of K10 as a string, never as a path. */
	region("K1", "习岗镇", 3, "640122");
	region("K10", "金贵镇", 3, "640122");
	region("V1", "新平村", 4, "K1");
	region("V10", "银河村", 4, "K10");
	region("T81", "宁东镇", 3, "640181");
	region("V81", "杜木桥村", 4, "T81");

	vocab("category", "young_cadre", "近2年新到乡镇工作的年轻干部");
	vocab("category", "new_secretary", "新任职村(社区)党组织书记");
	vocab("domain", "party_building", "党建");
	vocab("domain", "rural_tourism", "乡村旅游");
	vocab("talent_team", "tt_farm", "农业生产经营人才");
	vocab("source", "veteran", "老乡镇老先进");

	user("city", "city_admin", "6401", 0, 0);
	user("c22", "county_admin", "640122", 0, 0);
	user("c81", "county_admin", "640181", 0, 0);
	user("k1", "township_admin", "K1", 0, 0);
	user("aud", "auditor", "6401", 0, 0);
	login("city", &city);
	login("c22", &c22);
	login("c81", &c81);
	login("k1", &k1);
	login("aud", &aud);

	own_mentee = add_person(NULL, "王小明", "K1");
	user("stu", "mentee", "", 0, own_mentee);
	login("stu", &mentee_a);

	for (int i = 0; i < 3; i++)
		active22[i] = add_mentor(i == 0 ? "张导师" : i == 1 ? "李导师" : "赵导师",
					 i == 2 ? "K10" : "K1", true);
	active81 = add_mentor("马导师", "T81", true);
	nominated22 = add_mentor("刘导师", "K1", false);
	user("teach", "mentor", "", active22[0], 0);
	login("teach", &mentor_a);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	service_close(svc);
	testdb_drop(&db);
	return 0;
}

/* ---------------------------------------------------------------- mentees */

static void test_mentee_county_admin(void **state)
{
	(void)state;
	struct errinfo ei;
	struct mentee m = person("陈晓", "K10", "new_secretary"), out;
	snprintf(m.gender, sizeof m.gender, "女");
	snprintf(m.talent_team, sizeof m.talent_team, "tt_farm");
	assert_int_equal(svc_mentee_create(svc, &c22, &m, 0, &ei), ERR_OK);
	assert_true(m.id > 0);
	assert_string_equal(m.status, "active");
	assert_string_equal(m.region_path, "/6401/640122/K10/");

	bool masked = true;
	assert_int_equal(svc_mentee_get(svc, &c22, m.id, &out, &masked, &ei), ERR_OK);
	assert_false(masked);
	assert_string_equal(out.name, "陈晓");

	struct mentee in;
	memset(&in, 0, sizeof in);
	snprintf(in.post, sizeof in.post, "村党支部书记");
	assert_int_equal(svc_mentee_update(svc, &c22, m.id, &in, bit(&svc_mentee_spec, "post"), &out,
					   &ei),
			 ERR_OK);
	assert_string_equal(out.post, "村党支部书记");
	assert_string_equal(out.name, "陈晓"); /* untouched fields kept */
	assert_int_equal(out.version, m.version + 1);

	/* The other county is out of reach, for writes and reads alike. */
	int64_t before = mentee_total(&city);
	struct mentee far = person("周某", "T81", "young_cadre");
	assert_int_equal(svc_mentee_create(svc, &c22, &far, 0, &ei), ERR_FORBIDDEN);
	assert_int_equal(mentee_total(&city), before);

	int64_t far_id = add_person(&c81, "周某", "T81");
	assert_int_equal(svc_mentee_get(svc, &c22, far_id, &out, NULL, &ei), ERR_FORBIDDEN);
	assert_int_equal(svc_mentee_update(svc, &c22, far_id, &in, bit(&svc_mentee_spec, "post"),
					   &out, &ei),
			 ERR_FORBIDDEN);
	assert_int_equal(svc_mentee_get(svc, &c81, far_id, &out, NULL, &ei), ERR_OK);
	assert_string_equal(out.post, "");
	assert_int_equal(out.version, 1);

	/* Moving one's own mentee into the other county is refused too. */
	struct mentee mv;
	memset(&mv, 0, sizeof mv);
	snprintf(mv.region_code, sizeof mv.region_code, "T81");
	assert_int_equal(svc_mentee_update(svc, &c22, m.id, &mv, bit(&svc_mentee_spec, "region"),
					   &out, &ei),
			 ERR_FORBIDDEN);

	/* Lists of c22 never hold 640181 rows; asking for them is refused. */
	struct svc_list_args la = args(NULL);
	struct rows r = {0};
	int64_t total;
	assert_int_equal(svc_mentee_list(svc, &c22, &la, collect_mentee, &r, &total, &ei), ERR_OK);
	for (int i = 0; i < r.n; i++)
		assert_non_null(strstr(r.paths[i], "/6401/640122/"));
	la = args("640181");
	assert_int_equal(svc_mentee_list(svc, &c22, &la, collect_mentee, &r, &total, &ei),
			 ERR_FORBIDDEN);

	/* Search covers name, post and region name, in either script. */
	static const char *const queries[] = {"陳曉", "陈晓", "村党支部書記"};
	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
		la = args(NULL);
		snprintf(la.q, sizeof la.q, "%s", queries[i]);
		memset(&r, 0, sizeof r);
		assert_int_equal(svc_mentee_list(svc, &c22, &la, collect_mentee, &r, &total, &ei),
				 ERR_OK);
		assert_int_equal(total, 1);
		assert_int_equal(r.ids[0], m.id);
	}
	la = args(NULL);
	snprintf(la.q, sizeof la.q, "金貴鎮");
	memset(&r, 0, sizeof r);
	assert_int_equal(svc_mentee_list(svc, &c22, &la, collect_mentee, &r, &total, &ei), ERR_OK);
	assert_true(total >= 1);
	for (int i = 0; i < r.n; i++)
		assert_non_null(strstr(r.paths[i], "/K10/"));
}

static void test_township_prefix_trap(void **state)
{
	(void)state;
	struct errinfo ei;
	add_person(NULL, "一号", "K1");
	int64_t k10 = add_person(NULL, "十号", "K10");
	struct organisation o1 = org_rec("新平村党支部", "V1"), o10 = org_rec("银河村党支部", "V10");
	assert_int_equal(svc_org_create(svc, NULL, &o1, 0, &ei), ERR_OK);
	assert_int_equal(svc_org_create(svc, NULL, &o10, 0, &ei), ERR_OK);

	struct svc_list_args la = args(NULL);
	struct rows r = {0};
	int64_t total;
	assert_int_equal(svc_mentee_list(svc, &k1, &la, collect_mentee, &r, &total, &ei), ERR_OK);
	assert_true(r.n >= 2);
	for (int i = 0; i < r.n; i++) {
		assert_non_null(strstr(r.paths[i], "/K1/"));
		assert_null(strstr(r.paths[i], "/K10/"));
		assert_int_not_equal(r.ids[i], k10);
	}
	memset(&r, 0, sizeof r);
	assert_int_equal(svc_org_list(svc, &k1, &la, collect_org, &r, &total, &ei), ERR_OK);
	assert_true(r.n >= 1);
	for (int i = 0; i < r.n; i++)
		assert_null(strstr(r.paths[i], "/K10/"));

	struct mentee out;
	assert_int_equal(svc_mentee_get(svc, &k1, k10, &out, NULL, &ei), ERR_FORBIDDEN);
	struct organisation oo;
	assert_int_equal(svc_org_get(svc, &k1, o10.id, &oo, &ei), ERR_FORBIDDEN);
	assert_int_equal(svc_org_get(svc, &k1, o1.id, &oo, &ei), ERR_OK);
	la = args("K10");
	assert_int_equal(svc_mentee_list(svc, &k1, &la, collect_mentee, &r, &total, &ei),
			 ERR_FORBIDDEN);
	/* A township admin cannot write in the sibling either. */
	struct mentee m = person("越界", "K10", "young_cadre");
	assert_int_equal(svc_mentee_create(svc, &k1, &m, 0, &ei), ERR_FORBIDDEN);
}

static void test_mentee_sees_only_itself(void **state)
{
	(void)state;
	struct errinfo ei;
	struct svc_list_args la = args(NULL);
	struct rows r = {0};
	int64_t total;
	assert_int_equal(svc_mentee_list(svc, &mentee_a, &la, collect_mentee, &r, &total, &ei),
			 ERR_OK);
	assert_int_equal(total, 1);
	assert_int_equal(r.ids[0], own_mentee);
	assert_int_equal(r.unmasked, 1);

	struct mentee out;
	bool masked = true;
	assert_int_equal(svc_mentee_get(svc, &mentee_a, own_mentee, &out, &masked, &ei), ERR_OK);
	assert_false(masked);
	int64_t other = add_person(NULL, "邻居", "K1");
	assert_int_equal(svc_mentee_get(svc, &mentee_a, other, &out, NULL, &ei), ERR_FORBIDDEN);

	/* Nothing else: organisations, mentor organisations, writes. */
	assert_int_equal(svc_org_list(svc, &mentee_a, &la, collect_org, &r, &total, &ei),
			 ERR_FORBIDDEN);
	assert_int_equal(svc_mentor_org_list(svc, &mentee_a, &la, collect_morg, &r, &total, &ei),
			 ERR_FORBIDDEN);
	struct mentee m = person("自建", "K1", "young_cadre");
	assert_int_equal(svc_mentee_create(svc, &mentee_a, &m, 0, &ei), ERR_FORBIDDEN);
	struct mentee in;
	memset(&in, 0, sizeof in);
	snprintf(in.post, sizeof in.post, "x");
	assert_int_equal(svc_mentee_update(svc, &mentee_a, own_mentee, &in,
					   bit(&svc_mentee_spec, "post"), &out, &ei),
			 ERR_FORBIDDEN);

	/* A mentor sees no mentee records in this issue. */
	assert_int_equal(svc_mentee_list(svc, &mentor_a, &la, collect_mentee, &r, &total, &ei),
			 ERR_FORBIDDEN);
	assert_int_equal(svc_mentee_get(svc, &mentor_a, own_mentee, &out, NULL, &ei),
			 ERR_FORBIDDEN);
}

static void test_auditor_reads_masked_writes_nothing(void **state)
{
	(void)state;
	struct errinfo ei;
	struct mentee m = person("手机号", "K1", "young_cadre");
	snprintf(m.phone, sizeof m.phone, "13800000011");
	snprintf(m.id_number, sizeof m.id_number, "11010519491231002X");
	assert_int_equal(svc_mentee_create(svc, &c22, &m, 0, &ei), ERR_OK);

	struct svc_list_args la = args(NULL);
	struct rows r = {0};
	int64_t total;
	assert_int_equal(svc_mentee_list(svc, &aud, &la, collect_mentee, &r, &total, &ei), ERR_OK);
	assert_true(r.n > 0);
	assert_int_equal(r.masked, r.n);
	struct mentee out;
	bool masked = false;
	assert_int_equal(svc_mentee_get(svc, &aud, m.id, &out, &masked, &ei), ERR_OK);
	assert_true(masked);
	/* Admins see them in full. */
	memset(&r, 0, sizeof r);
	assert_int_equal(svc_mentee_list(svc, &c22, &la, collect_mentee, &r, &total, &ei), ERR_OK);
	assert_int_equal(r.unmasked, r.n);

	int64_t mentees = mentee_total(&city), orgs = org_total(), morgs = morg_total(),
		menus = menu_total(&city);
	struct mentee nm = person("审计", "K1", "young_cadre");
	assert_int_equal(svc_mentee_create(svc, &aud, &nm, 0, &ei), ERR_FORBIDDEN);
	struct mentee in;
	memset(&in, 0, sizeof in);
	snprintf(in.post, sizeof in.post, "x");
	assert_int_equal(svc_mentee_update(svc, &aud, m.id, &in, bit(&svc_mentee_spec, "post"), &out,
					   &ei),
			 ERR_FORBIDDEN);
	struct organisation o = org_rec("审计村", "V1");
	assert_int_equal(svc_org_create(svc, &aud, &o, 0, &ei), ERR_FORBIDDEN);
	struct mentor_org mo;
	memset(&mo, 0, sizeof mo);
	snprintf(mo.name, sizeof mo.name, "审计企业");
	snprintf(mo.kind, sizeof mo.kind, "enterprise");
	snprintf(mo.region_code, sizeof mo.region_code, "640122");
	assert_int_equal(svc_mentor_org_create(svc, &aud, &mo, 0, &ei), ERR_FORBIDDEN);
	struct menu mn;
	memset(&mn, 0, sizeof mn);
	snprintf(mn.name, sizeof mn.name, "审计菜单");
	snprintf(mn.region_code, sizeof mn.region_code, "640122");
	mn.year = 2024;
	assert_int_equal(svc_menu_create(svc, &aud, &mn, 0, &ei), ERR_FORBIDDEN);
	assert_int_equal(mentee_total(&city), mentees);
	assert_int_equal(org_total(), orgs);
	assert_int_equal(morg_total(), morgs);
	assert_int_equal(menu_total(&city), menus);
	assert_int_equal(svc_mentee_get(svc, &city, m.id, &out, NULL, &ei), ERR_OK);
	assert_string_equal(out.post, "");

	/* Every refusal above is in the audit log, and the chain holds. */
	audit_count();
}

static void test_mentee_invalid_changes_nothing(void **state)
{
	(void)state;
	struct errinfo ei;
	int64_t before = mentee_total(&city), audits = audit_count();
	/* Table of bad inputs: each is a person mentee in K1 with one defect. */
	enum { UNKNOWN_CAT, NO_CAT, BAD_KIND, BAD_TAG, BAD_TALENT, BAD_GENDER, ORG_ON_PERSON,
	       NO_REGION, NCASES };
	static const struct {
		enum err want;
		const char *field;
	} want[NCASES] = {
		[UNKNOWN_CAT] = {ERR_UNPROCESSABLE, "category"},
		[NO_CAT] = {ERR_INVALID, "category"},
		[BAD_KIND] = {ERR_INVALID, "kind"},
		[BAD_TAG] = {ERR_UNPROCESSABLE, "weaknesses"},
		[BAD_TALENT] = {ERR_UNPROCESSABLE, "talent_team"},
		[BAD_GENDER] = {ERR_INVALID, "gender"},
		[ORG_ON_PERSON] = {ERR_INVALID, "organisation"},
		[NO_REGION] = {ERR_UNPROCESSABLE, "region"},
	};
	for (int i = 0; i < NCASES; i++) {
		struct mentee m = person("坏数据", "K1", "young_cadre");
		switch (i) {
		case UNKNOWN_CAT: snprintf(m.category, sizeof m.category, "no_such"); break;
		case NO_CAT: m.category[0] = '\0'; break;
		case BAD_KIND: snprintf(m.kind, sizeof m.kind, "robot"); break;
		case BAD_TAG: snprintf(m.weaknesses, sizeof m.weaknesses, ",party_building,nope,"); break;
		case BAD_TALENT: snprintf(m.talent_team, sizeof m.talent_team, "nope"); break;
		case BAD_GENDER: snprintf(m.gender, sizeof m.gender, "X"); break;
		case ORG_ON_PERSON: m.org_id = 1; break;
		case NO_REGION: snprintf(m.region_code, sizeof m.region_code, "ZZ9"); break;
		}
		errinfo_clear(&ei);
		enum err e = svc_mentee_create(svc, &c22, &m, 0, &ei);
		if (e != want[i].want || strcmp(ei.field, want[i].field) != 0)
			fail_msg("case %d: got %d field '%s', want %d '%s'", i, e, ei.field,
				 want[i].want, want[i].field);
	}
	assert_int_equal(mentee_total(&city), before);
	assert_int_equal(audit_count(), audits);

	/* A bad update leaves the record as it was. */
	int64_t id = add_person(&c22, "好数据", "K1");
	struct mentee orig, in, out;
	assert_int_equal(svc_mentee_get(svc, &city, id, &orig, NULL, &ei), ERR_OK);
	memset(&in, 0, sizeof in);
	snprintf(in.category, sizeof in.category, "no_such");
	snprintf(in.post, sizeof in.post, "新岗位");
	assert_int_equal(svc_mentee_update(svc, &c22, id, &in,
					   bit(&svc_mentee_spec, "category") |
						   bit(&svc_mentee_spec, "post"),
					   &out, &ei),
			 ERR_UNPROCESSABLE);
	assert_string_equal(ei.field, "category");
	assert_int_equal(svc_mentee_get(svc, &city, id, &out, NULL, &ei), ERR_OK);
	assert_int_equal(out.version, orig.version);
	assert_string_equal(out.post, orig.post);
	assert_int_equal(svc_mentee_update(svc, &c22, 999999, &in, bit(&svc_mentee_spec, "post"),
					   &out, &ei),
			 ERR_NOT_FOUND);
}

static void test_mentee_unique_phone(void **state)
{
	(void)state;
	struct errinfo ei;
	struct mentee a = person("甲", "K1", "young_cadre"), b = person("乙", "K1", "young_cadre");
	snprintf(a.phone, sizeof a.phone, "13900000001");
	snprintf(b.phone, sizeof b.phone, "13900000001");
	assert_int_equal(svc_mentee_create(svc, &c22, &a, 0, &ei), ERR_OK);
	int64_t before = mentee_total(&city);
	assert_int_equal(svc_mentee_create(svc, &c22, &b, 0, &ei), ERR_CONFLICT);
	assert_string_equal(ei.field, "phone");
	assert_int_equal(mentee_total(&city), before);
	/* Two mentees without phone numbers do not collide. */
	add_person(&c22, "丙", "K1");
	add_person(&c22, "丁", "K1");
}

static void test_org_mentee(void **state)
{
	(void)state;
	struct errinfo ei;
	struct organisation o = org_rec("新平村第二党支部", "V1");
	o.weak_lax = true;
	assert_int_equal(svc_org_create(svc, &c22, &o, 0, &ei), ERR_OK);

	struct mentee m;
	memset(&m, 0, sizeof m);
	snprintf(m.kind, sizeof m.kind, "org");
	snprintf(m.name, sizeof m.name, "%s", o.name);
	snprintf(m.region_code, sizeof m.region_code, "V1");
	snprintf(m.weaknesses, sizeof m.weaknesses, ",party_building,");
	int64_t before = mentee_total(&city);

	struct mentee bad = m;
	assert_int_equal(svc_mentee_create(svc, &c22, &bad, 0, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "organisation");
	bad = m;
	bad.org_id = 987654;
	assert_int_equal(svc_mentee_create(svc, &c22, &bad, 0, &ei), ERR_UNPROCESSABLE);
	assert_string_equal(ei.field, "organisation");
	bad = m;
	bad.org_id = o.id;
	snprintf(bad.region_code, sizeof bad.region_code, "K1");
	assert_int_equal(svc_mentee_create(svc, &c22, &bad, 0, &ei), ERR_UNPROCESSABLE);
	assert_string_equal(ei.field, "region");
	bad = m;
	bad.org_id = o.id;
	snprintf(bad.phone, sizeof bad.phone, "13900000002");
	assert_int_equal(svc_mentee_create(svc, &c22, &bad, 0, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "phone");
	bad = m;
	bad.org_id = o.id;
	snprintf(bad.category, sizeof bad.category, "young_cadre");
	assert_int_equal(svc_mentee_create(svc, &c22, &bad, 0, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "category");
	assert_int_equal(mentee_total(&city), before);

	m.org_id = o.id;
	assert_int_equal(svc_mentee_create(svc, &c22, &m, 0, &ei), ERR_OK);
	assert_string_equal(m.region_path, "/6401/640122/K1/V1/");
	assert_int_equal(m.org_id, o.id);
	/* Another county cannot attach its mentee to this organisation. */
	struct mentee far = m;
	far.id = 0;
	assert_int_equal(svc_mentee_create(svc, &c81, &far, 0, &ei), ERR_FORBIDDEN);
	assert_int_equal(mentee_total(&city), before + 1);
}

/* ---------------------------------------------------------------- organisations */

static void test_org_crud_and_stars(void **state)
{
	(void)state;
	struct errinfo ei;
	int64_t before = org_total();
	struct organisation o = org_rec("县里", "640122");
	assert_int_equal(svc_org_create(svc, &c22, &o, 0, &ei), ERR_UNPROCESSABLE);
	assert_string_equal(ei.field, "region");
	o = org_rec("灵武村", "V81");
	assert_int_equal(svc_org_create(svc, &c22, &o, 0, &ei), ERR_FORBIDDEN);
	assert_int_equal(org_total(), before);

	o = org_rec("习岗镇党委", "K1");
	o.lagging = true;
	assert_int_equal(svc_org_create(svc, &c22, &o, 0, &ei), ERR_OK);
	assert_int_equal(o.stars, 3); /* the store's default; no history yet */
	assert_int_equal(org_total(), before + 1);

	struct rows r = {0};
	assert_int_equal(svc_org_stars(svc, &c22, o.id, collect_star, &r, &ei), ERR_OK);
	assert_int_equal(r.n, 0);

	/* Ratings entered out of order come back oldest first; the latest
	 * date is the current rating. */
	static const struct {
		int stars;
		const char *on;
	} rates[] = {{4, "2024-01-01"}, {2, "2023-06-01"}, {5, "2025-03-01"}};
	for (size_t i = 0; i < 3; i++) {
		struct org_star st;
		memset(&st, 0, sizeof st);
		st.stars = rates[i].stars;
		snprintf(st.rated_on, sizeof st.rated_on, "%s", rates[i].on);
		assert_int_equal(svc_org_add_stars(svc, &c22, o.id, &st, &ei), ERR_OK);
		assert_true(st.id > 0);
		assert_int_equal(st.user_id, c22.user_id);
		assert_true(st.at[0]);
	}
	memset(&r, 0, sizeof r);
	assert_int_equal(svc_org_stars(svc, &aud, o.id, collect_star, &r, &ei), ERR_OK);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.paths[0], "2023-06-01");
	assert_string_equal(r.paths[1], "2024-01-01");
	assert_string_equal(r.paths[2], "2025-03-01");
	assert_int_equal(r.ids[0], 2);
	assert_int_equal(r.ids[2], 5);
	struct organisation got;
	assert_int_equal(svc_org_get(svc, &c22, o.id, &got, &ei), ERR_OK);
	assert_int_equal(got.stars, 5);

	/* Bad ratings change nothing. */
	struct org_star bad;
	memset(&bad, 0, sizeof bad);
	bad.stars = 6;
	snprintf(bad.rated_on, sizeof bad.rated_on, "2024-01-02");
	assert_int_equal(svc_org_add_stars(svc, &c22, o.id, &bad, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "stars");
	bad.stars = 1;
	snprintf(bad.rated_on, sizeof bad.rated_on, "2099-01-01");
	assert_int_equal(svc_org_add_stars(svc, &c22, o.id, &bad, &ei), ERR_UNPROCESSABLE);
	assert_string_equal(ei.field, "rated_on");
	snprintf(bad.rated_on, sizeof bad.rated_on, "2024-02-30");
	assert_int_equal(svc_org_add_stars(svc, &c22, o.id, &bad, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "rated_on");
	snprintf(bad.rated_on, sizeof bad.rated_on, "2024-02-01");
	assert_int_equal(svc_org_add_stars(svc, &c81, o.id, &bad, &ei), ERR_FORBIDDEN);
	assert_int_equal(svc_org_add_stars(svc, &aud, o.id, &bad, &ei), ERR_FORBIDDEN);
	memset(&r, 0, sizeof r);
	assert_int_equal(svc_org_stars(svc, &city, o.id, collect_star, &r, &ei), ERR_OK);
	assert_int_equal(r.n, 3);
	assert_int_equal(svc_org_stars(svc, &c81, o.id, collect_star, &r, &ei), ERR_FORBIDDEN);

	/* Update: flags change, stars and region do not. */
	struct organisation in, out;
	memset(&in, 0, sizeof in);
	in.demonstration = true;
	in.stars = 1;
	assert_int_equal(svc_org_update(svc, &c22, o.id, &in,
					bit(&svc_org_spec, "demonstration") |
						bit(&svc_org_spec, "stars"),
					&out, &ei),
			 ERR_OK);
	assert_true(out.demonstration);
	assert_true(out.lagging);
	assert_int_equal(out.stars, 5);
	snprintf(in.region_code, sizeof in.region_code, "K10");
	assert_int_equal(svc_org_update(svc, &c22, o.id, &in, bit(&svc_org_spec, "region"), &out,
					&ei),
			 ERR_UNPROCESSABLE);
	assert_int_equal(svc_org_update(svc, &c81, o.id, &in, bit(&svc_org_spec, "demonstration"),
					&out, &ei),
			 ERR_FORBIDDEN);
	assert_int_equal(svc_org_update(svc, &aud, o.id, &in, bit(&svc_org_spec, "demonstration"),
					&out, &ei),
			 ERR_FORBIDDEN);

	/* Auditors read, mentors are refused. */
	assert_int_equal(svc_org_get(svc, &aud, o.id, &got, &ei), ERR_OK);
	assert_int_equal(svc_org_get(svc, &mentor_a, o.id, &got, &ei), ERR_FORBIDDEN);
	assert_int_equal(svc_org_get(svc, &c81, o.id, &got, &ei), ERR_FORBIDDEN);
	struct svc_list_args la = args(NULL);
	la.flag = 9;
	int64_t total;
	assert_int_equal(svc_org_list(svc, &city, &la, collect_org, &r, &total, &ei), ERR_INVALID);
	la.flag = 2; /* lagging */
	memset(&r, 0, sizeof r);
	assert_int_equal(svc_org_list(svc, &city, &la, collect_org, &r, &total, &ei), ERR_OK);
	assert_true(total >= 1);
}

static void test_mentor_org(void **state)
{
	(void)state;
	struct errinfo ei;
	int64_t before = morg_total();
	struct mentor_org o;
	memset(&o, 0, sizeof o);
	snprintf(o.name, sizeof o.name, "丰登镇番茄基地");
	snprintf(o.kind, sizeof o.kind, "enterprise");
	snprintf(o.region_code, sizeof o.region_code, "K1");
	snprintf(o.domains, sizeof o.domains, ",rural_tourism,");

	struct mentor_org bad = o;
	snprintf(bad.kind, sizeof bad.kind, "club");
	assert_int_equal(svc_mentor_org_create(svc, &c22, &bad, 0, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "kind");
	bad = o;
	snprintf(bad.domains, sizeof bad.domains, ",nope,");
	assert_int_equal(svc_mentor_org_create(svc, &c22, &bad, 0, &ei), ERR_UNPROCESSABLE);
	assert_string_equal(ei.field, "domains");
	bad = o;
	snprintf(bad.region_code, sizeof bad.region_code, "T81");
	assert_int_equal(svc_mentor_org_create(svc, &c22, &bad, 0, &ei), ERR_FORBIDDEN);
	assert_int_equal(morg_total(), before);

	assert_int_equal(svc_mentor_org_create(svc, &c22, &o, 0, &ei), ERR_OK);
	assert_int_equal(o.capacity, 1);
	assert_string_equal(o.region_path, "/6401/640122/K1/");
	struct mentor_org in, out;
	memset(&in, 0, sizeof in);
	in.capacity = 3;
	snprintf(in.kind, sizeof in.kind, "party_org");
	assert_int_equal(svc_mentor_org_update(svc, &c22, o.id, &in,
					       bit(&svc_mentor_org_spec, "capacity") |
						       bit(&svc_mentor_org_spec, "kind"),
					       &out, &ei),
			 ERR_OK);
	assert_int_equal(out.capacity, 3);
	assert_string_equal(out.kind, "party_org");
	assert_string_equal(out.name, o.name);
	snprintf(in.region_code, sizeof in.region_code, "T81");
	assert_int_equal(svc_mentor_org_update(svc, &c22, o.id, &in,
					       bit(&svc_mentor_org_spec, "region"), &out, &ei),
			 ERR_FORBIDDEN);
	assert_int_equal(svc_mentor_org_update(svc, &k1, o.id, &in,
					       bit(&svc_mentor_org_spec, "capacity"), &out, &ei),
			 ERR_OK); /* K1 is the township admin's own */
	assert_int_equal(svc_mentor_org_get(svc, &c81, o.id, &out, &ei), ERR_FORBIDDEN);
	assert_int_equal(svc_mentor_org_get(svc, &aud, o.id, &out, &ei), ERR_OK);
	assert_int_equal(svc_mentor_org_get(svc, &mentee_a, o.id, &out, &ei), ERR_FORBIDDEN);

	struct svc_list_args la = args(NULL);
	struct rows r = {0};
	int64_t total;
	assert_int_equal(svc_mentor_org_list(svc, &c81, &la, collect_morg, &r, &total, &ei), ERR_OK);
	for (int i = 0; i < r.n; i++)
		assert_non_null(strstr(r.paths[i], "/640181/"));
	assert_int_equal(svc_mentor_org_list(svc, &mentor_a, &la, collect_morg, &r, &total, &ei),
			 ERR_FORBIDDEN);
}

/* ---------------------------------------------------------------- menus */

struct last_audit {
	int64_t seen, last_id;
	char before[512], after[512];
};

static enum err find_set_items(void *arg, const void *row, bool masked)
{
	struct last_audit *l = arg;
	const struct audit_entry *e = row;
	(void)masked;
	l->seen++;
	l->last_id = e->id;
	if (strcmp(e->action, "set_items") == 0) {
		snprintf(l->before, sizeof l->before, "%s", e->before_json ? e->before_json : "");
		snprintf(l->after, sizeof l->after, "%s", e->after_json ? e->after_json : "");
	}
	return ERR_OK;
}

static void test_menu(void **state)
{
	(void)state;
	struct errinfo ei;
	struct menu m;
	memset(&m, 0, sizeof m);
	snprintf(m.name, sizeof m.name, "贺兰县导师菜单");
	snprintf(m.region_code, sizeof m.region_code, "640122");
	m.year = 2024;

	int64_t before = menu_total(&city);
	struct menu bad = m;
	snprintf(bad.region_code, sizeof bad.region_code, "K1");
	assert_int_equal(svc_menu_create(svc, &c22, &bad, 0, &ei), ERR_UNPROCESSABLE);
	assert_string_equal(ei.field, "region");
	bad = m;
	assert_int_equal(svc_menu_create(svc, &k1, &bad, 0, &ei), ERR_FORBIDDEN);
	bad = m;
	assert_int_equal(svc_menu_create(svc, &c81, &bad, 0, &ei), ERR_FORBIDDEN);
	assert_int_equal(menu_total(&city), before);

	assert_int_equal(svc_menu_create(svc, &c22, &m, 0, &ei), ERR_OK);
	assert_false(m.published);
	struct menu far;
	memset(&far, 0, sizeof far);
	snprintf(far.name, sizeof far.name, "灵武市导师菜单");
	snprintf(far.region_code, sizeof far.region_code, "640181");
	far.year = 2024;
	far.published = true;
	assert_int_equal(svc_menu_create(svc, &c81, &far, 0, &ei), ERR_OK);

	/* Items: active mentors of the county only, no repeats, bounded. */
	int64_t ids[201];
	ids[0] = active22[0];
	ids[1] = nominated22;
	assert_int_equal(svc_menu_set_items(svc, &c22, m.id, ids, 2, &ei), ERR_UNPROCESSABLE);
	assert_string_equal(ei.field, "mentors");
	char want[32];
	snprintf(want, sizeof want, "%lld", (long long)nominated22);
	assert_non_null(strstr(ei.message, want));
	ids[1] = active81;
	assert_int_equal(svc_menu_set_items(svc, &c22, m.id, ids, 2, &ei), ERR_UNPROCESSABLE);
	snprintf(want, sizeof want, "%lld", (long long)active81);
	assert_non_null(strstr(ei.message, want));
	ids[1] = 888888;
	assert_int_equal(svc_menu_set_items(svc, &c22, m.id, ids, 2, &ei), ERR_UNPROCESSABLE);
	assert_string_equal(ei.field, "mentors");
	ids[1] = active22[0];
	assert_int_equal(svc_menu_set_items(svc, &c22, m.id, ids, 2, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "mentors");
	for (int i = 0; i < 201; i++)
		ids[i] = i + 1;
	assert_int_equal(svc_menu_set_items(svc, &c22, m.id, ids, 201, &ei), ERR_INVALID);
	ids[0] = active22[2];
	ids[1] = active22[0];
	ids[2] = active22[1];
	assert_int_equal(svc_menu_set_items(svc, &aud, m.id, ids, 3, &ei), ERR_FORBIDDEN);
	assert_int_equal(svc_menu_set_items(svc, &c81, m.id, ids, 3, &ei), ERR_FORBIDDEN);
	assert_int_equal(svc_menu_set_items(svc, &k1, m.id, ids, 3, &ei), ERR_FORBIDDEN);
	struct menu got;
	assert_int_equal(svc_menu_get(svc, &c22, m.id, &got, &ei), ERR_OK);
	assert_int_equal(got.nitems, 0);

	assert_int_equal(svc_menu_set_items(svc, &c22, m.id, ids, 3, &ei), ERR_OK);
	/* The audit entry names the old and new items. */
	struct last_audit la0 = {0};
	for (int64_t after = 0;;) {
		int64_t seen = la0.seen;
		assert_int_equal(svc_audit_list(svc, &city, after, 0, find_set_items, &la0, &ei),
				 ERR_OK);
		if (la0.seen == seen)
			break;
		after = la0.last_id;
	}
	char items_json[128];
	snprintf(items_json, sizeof items_json, "\"mentors\":[\"%lld\",\"%lld\",\"%lld\"]",
		 (long long)active22[2], (long long)active22[0], (long long)active22[1]);
	assert_non_null(strstr(la0.after, items_json));
	assert_non_null(strstr(la0.before, "\"mentors\":[]"));

	struct rows r = {0};
	assert_int_equal(svc_menu_items(svc, &c22, m.id, collect_mentor, &r, &ei), ERR_OK);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.ids[0], active22[2]); /* menu order kept */
	assert_int_equal(r.ids[1], active22[0]);
	assert_int_equal(r.ids[2], active22[1]);
	assert_int_equal(r.unmasked, 3);
	memset(&r, 0, sizeof r);
	assert_int_equal(svc_menu_items(svc, &aud, m.id, collect_mentor, &r, &ei), ERR_OK);
	assert_int_equal(r.masked, 3);

	/* Unpublished: invisible to mentees and mentors. */
	assert_int_equal(menu_total(&mentee_a), 0);
	assert_int_equal(menu_total(&mentor_a), 0);
	assert_int_equal(svc_menu_get(svc, &mentee_a, m.id, &got, &ei), ERR_FORBIDDEN);
	assert_int_equal(svc_menu_items(svc, &mentee_a, m.id, collect_mentor, &r, &ei),
			 ERR_FORBIDDEN);

	struct menu in, out;
	memset(&in, 0, sizeof in);
	in.published = true;
	assert_int_equal(svc_menu_update(svc, &c81, m.id, &in, bit(&svc_menu_spec, "published"),
					 &out, &ei),
			 ERR_FORBIDDEN);
	assert_int_equal(svc_menu_update(svc, &c22, m.id, &in, bit(&svc_menu_spec, "published"),
					 &out, &ei),
			 ERR_OK);
	assert_true(out.published);
	assert_int_equal(out.nitems, 3);
	snprintf(in.region_code, sizeof in.region_code, "640181");
	assert_int_equal(svc_menu_update(svc, &c22, m.id, &in, bit(&svc_menu_spec, "region"), &out,
					 &ei),
			 ERR_UNPROCESSABLE);

	/* Published: the mentee of 640122 sees this menu and not 640181's. */
	struct svc_list_args la = args(NULL);
	memset(&r, 0, sizeof r);
	int64_t total;
	assert_int_equal(svc_menu_list(svc, &mentee_a, &la, collect_menu, &r, &total, &ei), ERR_OK);
	assert_int_equal(total, 1);
	assert_int_equal(r.ids[0], m.id);
	assert_true(r.all_published);
	assert_int_equal(svc_menu_get(svc, &mentee_a, m.id, &got, &ei), ERR_OK);
	assert_int_equal(svc_menu_get(svc, &mentee_a, far.id, &got, &ei), ERR_FORBIDDEN);
	memset(&r, 0, sizeof r);
	assert_int_equal(svc_menu_items(svc, &mentee_a, m.id, collect_mentor, &r, &ei), ERR_OK);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.masked, 3);
	la = args("640181");
	assert_int_equal(svc_menu_list(svc, &mentee_a, &la, collect_menu, &r, &total, &ei),
			 ERR_FORBIDDEN);
	/* So does a mentor of the county (its own record unmasked). */
	assert_int_equal(menu_total(&mentor_a), 1);
	memset(&r, 0, sizeof r);
	assert_int_equal(svc_menu_items(svc, &mentor_a, m.id, collect_mentor, &r, &ei), ERR_OK);
	assert_int_equal(r.masked, 2);
	assert_int_equal(r.unmasked, 1);

	/* Admins see their subtree; the county admin of 640181 not ours. */
	la = args(NULL);
	memset(&r, 0, sizeof r);
	assert_int_equal(svc_menu_list(svc, &c81, &la, collect_menu, &r, &total, &ei), ERR_OK);
	for (int i = 0; i < r.n; i++)
		assert_non_null(strstr(r.paths[i], "/640181/"));
	assert_int_equal(svc_menu_get(svc, &c81, m.id, &got, &ei), ERR_FORBIDDEN);
	assert_int_equal(svc_menu_items(svc, &c81, m.id, collect_mentor, &r, &ei), ERR_FORBIDDEN);
	assert_int_equal(svc_menu_get(svc, &aud, m.id, &got, &ei), ERR_OK);

	/* The published-only list pages like any other: an unpublished
	 * menu in between is neither counted nor shown. */
	struct menu hidden = m, second = m;
	hidden.id = second.id = 0;
	hidden.published = false;
	second.year = 2025;
	second.published = true;
	assert_int_equal(svc_menu_create(svc, &c22, &hidden, 0, &ei), ERR_OK);
	assert_int_equal(svc_menu_create(svc, &c22, &second, 0, &ei), ERR_OK);
	la = args(NULL);
	la.limit = 1;
	la.offset = 1;
	memset(&r, 0, sizeof r);
	assert_int_equal(svc_menu_list(svc, &mentee_a, &la, collect_menu, &r, &total, &ei), ERR_OK);
	assert_int_equal(total, 2);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.ids[0], second.id);
	assert_int_equal(menu_total(&c22), 3);

	/* Emptying a menu is allowed. */
	assert_int_equal(svc_menu_set_items(svc, &city, m.id, NULL, 0, &ei), ERR_OK);
	assert_int_equal(svc_menu_get(svc, &c22, m.id, &got, &ei), ERR_OK);
	assert_int_equal(got.nitems, 0);
}

/* ---------------------------------------------------------------- mentors */

static void test_mentor_pipeline(void **state)
{
	(void)state;
	struct errinfo ei;
	struct mentor m = mentor_rec("孙导师", "K1"), out;
	assert_int_equal(svc_mentor_create(svc, &c22, &m, 0, &ei), ERR_OK);
	assert_string_equal(m.status, "nominated");
	struct mentor far = mentor_rec("钱导师", "T81");
	assert_int_equal(svc_mentor_create(svc, &c22, &far, 0, &ei), ERR_FORBIDDEN);

	/* Illegal: appoint straight from nominated. */
	assert_int_equal(svc_mentor_transition(svc, &city, m.id, "appoint", "", &out, &ei),
			 ERR_CONFLICT);
	bool masked;
	assert_int_equal(svc_mentor_get(svc, &c22, m.id, &out, &masked, &ei), ERR_OK);
	assert_string_equal(out.status, "nominated");
	assert_int_equal(svc_mentor_transition(svc, &c22, m.id, "fly", "", &out, &ei), ERR_INVALID);

	assert_int_equal(svc_mentor_transition(svc, &c22, m.id, "shortlist", "", &out, &ei), ERR_OK);
	assert_string_equal(out.status, "shortlisted");
	/* Filing is the city's step. */
	assert_int_equal(svc_mentor_transition(svc, &c22, m.id, "file", "", &out, &ei),
			 ERR_FORBIDDEN);
	assert_int_equal(svc_mentor_transition(svc, &city, m.id, "file", "", &out, &ei), ERR_OK);
	assert_int_equal(svc_mentor_transition(svc, &city, m.id, "appoint", "", &out, &ei), ERR_OK);
	assert_string_equal(out.status, "active");
	assert_true(out.letter_no[0]);
	assert_non_null(strstr(out.letter_no, "YCDS-"));
	assert_true(out.appointed_on[0]);

	struct rows r = {0};
	assert_int_equal(svc_mentor_history(svc, &c22, m.id, count_row, &r, &ei), ERR_OK);
	assert_int_equal(r.n, 4); /* nominate, shortlist, file, appoint */

	/* Reject needs a reason. */
	struct mentor x = mentor_rec("吴导师", "K1");
	assert_int_equal(svc_mentor_create(svc, &c22, &x, 0, &ei), ERR_OK);
	assert_int_equal(svc_mentor_transition(svc, &c22, x.id, "reject", "", &out, &ei),
			 ERR_INVALID);
	assert_string_equal(ei.field, "reason");
	assert_int_equal(svc_mentor_get(svc, &c22, x.id, &out, NULL, &ei), ERR_OK);
	assert_string_equal(out.status, "nominated");
	assert_int_equal(svc_mentor_transition(svc, &c22, x.id, "reject", "群众口碑不足", &out, &ei),
			 ERR_OK);
	assert_string_equal(out.status, "rejected");
	assert_int_equal(svc_mentor_transition(svc, &c22, x.id, "shortlist", "", &out, &ei),
			 ERR_CONFLICT);
	/* Other counties and auditors cannot act. */
	assert_int_equal(svc_mentor_transition(svc, &c81, m.id, "pause", "休假", &out, &ei),
			 ERR_FORBIDDEN);
	assert_int_equal(svc_mentor_transition(svc, &aud, m.id, "pause", "休假", &out, &ei),
			 ERR_FORBIDDEN);
}

static void test_audit_chain(void **state)
{
	(void)state;
	struct errinfo ei;
	int64_t n = 0, bad = 0;
	bool ok = false;
	assert_int_equal(svc_audit_verify(svc, &city, &n, &ok, &bad, &ei), ERR_OK);
	assert_true(ok);
	assert_true(n > 0);
	assert_int_equal(svc_audit_verify(svc, &aud, &n, &ok, &bad, &ei), ERR_OK);
	assert_int_equal(svc_audit_verify(svc, &c22, &n, &ok, &bad, &ei), ERR_FORBIDDEN);
}

/* ------------------------------------------------ audit text, search keys */

/* Fill every field of a record of `spec` from `seed`: strings with quotes,
 * backslashes, control characters, Chinese text and (when bad) bytes
 * that are not UTF-8; tags with an empty item; numbers, zeros, booleans. */
static void fill(const struct field_spec *spec, void *rec, int seed, bool bad)
{
	static const char *const text[] = {
		"侯修升", "a\"b\\c/d", "tab\there\nline\r\b\f", "\x01\x1f\x7f end", "",
		"ＡＢＣ 乾隆 著急", "\xe2\x80\xa8 sep", "x",
	};
	for (int i = 0; i < spec->n; i++) {
		const struct field *f = &spec->fields[i];
		char *p = (char *)rec + f->off;
		int k = seed + i;
		switch (f->type) {
		case F_STR:
			snprintf(p, f->size, "%s", bad && k % 5 == 0 ? "ok\xff\xfe" : text[k % 8]);
			break;
		case F_TAGS:
			snprintf(p, f->size, "%s", bad && k % 2 ? ",a,\xc3,b\"," : k % 3 ? ",a,b\\," : "");
			break;
		case F_INT:
			*(int *)(void *)p = k % 4 == 0 ? 0 : (k % 2 ? -2147483647 - 1 : 123 * k);
			break;
		case F_I64:
			*(int64_t *)(void *)p = k % 4 == 0 ? 0 : (k % 2 ? INT64_MIN : (int64_t)1 << 40);
			break;
		case F_NUM:
			*(double *)(void *)p = k % 3 == 0 ? 0.0 : k % 3 == 1 ? 38.4872 : 1e22;
			break;
		case F_BOOL:
			*(bool *)(void *)p = k % 2;
			break;
		case F_IDS:
		case F_OBJS: {
			int n = k % 3 < (int)f->max ? k % 3 : (int)f->max;
			*(int *)(void *)((char *)rec + f->count_off) = n;
			for (int j = 0; j < n; j++)
				if (f->type == F_IDS)
					((int64_t *)(void *)p)[j] = j ? (int64_t)1 << 50 : 7;
				else
					fill(f->sub, p + (size_t)j * f->elem, k + j, bad);
			break;
		}
		}
	}
}

/* The audit log writes records with fields_to_json_text: the very bytes
 * json_dumps of fields_to_json gives, so entries read the same as
 * before and as the API's. */
static void test_audit_text_is_jansson(void **state)
{
	(void)state;
	const struct field_spec *specs[] = {&svc_region_spec, &svc_mentor_spec, &svc_mentee_spec,
					    &svc_org_spec,    &svc_menu_spec,   &svc_mentor_org_spec,
					    &svc_vocab_spec,  &svc_user_spec,
					    /* arrays of ids and of objects */
					    &svc_pairing_new_spec, &svc_plan_edit_in_spec,
					    &svc_activity_new_spec};
	static char rec[1 << 16];
	for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
		for (int seed = 0; seed < 12; seed++)
			for (int mask = 0; mask < 2; mask++) {
				memset(rec, 0, sizeof rec);
				fill(specs[i], rec, seed, seed >= 6);
				json_t *j = fields_to_json(specs[i], rec, mask);
				char *want = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
				json_decref(j);
				struct buf b;
				buf_init(&b, 1 << 20);
				assert_int_equal(fields_to_json_text(specs[i], rec, mask, &b), ERR_OK);
				assert_non_null(want);
				assert_string_equal(b.data, want);
				free(want);
				buf_release(&b);
			}
	/* Past the buffer's limit: refused, the buffer unchanged. */
	struct buf b;
	buf_init(&b, 64);
	buf_puts(&b, "keep");
	memset(rec, 0, sizeof rec);
	fill(&svc_mentor_spec, rec, 1, false);
	assert_int_equal(fields_to_json_text(&svc_mentor_spec, rec, 0, &b), ERR_TOO_LARGE);
	assert_string_equal(b.data, "keep");
	buf_release(&b);
}

/* A search key is folded part by part (through a memo, and ahead in
 * batches by an import): the same text as folding "a | b | c" whole,
 * phrases that convert as a whole included. */
static void test_search_key_parts(void **state)
{
	(void)state;
	static const char *const parts[][3] = {
		{"乾隆皇帝", "著名專家", "頭髮長"}, {"著急", "村黨支部書記", "乾燥"},
		{"後來者", "理髮師", NULL},       {"發展", "", "鍾書"},
		{"侯修升", "Village HEAD", "於是"}, {"著作權", "麵條", "瞭解"},
		{"", NULL, NULL},
	};
	const char *ahead[] = {"發展", "著急", "後來者", "乾隆皇帝", "皇后"};
	for (int round = 0; round < 3; round++) {
		if (round == 2)
			svc_fold_prefetch(svc, ahead, sizeof ahead / sizeof ahead[0]);
		for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
			char joined[512], whole[512], key[3 * M_NAME];
			snprintf(joined, sizeof joined, "%s | %s | %s", parts[i][0],
				 parts[i][1] ? parts[i][1] : "", parts[i][2] ? parts[i][2] : "");
			svc_fold(svc, joined, whole, sizeof whole);
			svc_search_key(svc, key, sizeof key, parts[i][0], parts[i][1], parts[i][2]);
			size_t n = strlen(whole);
			assert_int_equal(strncmp(key, whole, n), 0);
			assert_true(key[n] == '\0' || !strncmp(key + n, " | ", 3));
		}
	}
	char key[3 * M_NAME];
	svc_search_key(svc, key, sizeof key, "乾隆皇帝", "著名專家", NULL);
	assert_int_equal(strncmp(key, "乾隆皇帝 | 著名专家 | ", strlen("乾隆皇帝 | 著名专家 | ")), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mentee_county_admin),
		cmocka_unit_test(test_township_prefix_trap),
		cmocka_unit_test(test_mentee_sees_only_itself),
		cmocka_unit_test(test_auditor_reads_masked_writes_nothing),
		cmocka_unit_test(test_mentee_invalid_changes_nothing),
		cmocka_unit_test(test_mentee_unique_phone),
		cmocka_unit_test(test_org_mentee),
		cmocka_unit_test(test_org_crud_and_stars),
		cmocka_unit_test(test_mentor_org),
		cmocka_unit_test(test_menu),
		cmocka_unit_test(test_mentor_pipeline),
		cmocka_unit_test(test_audit_chain),
		cmocka_unit_test(test_audit_text_is_jansson),
		cmocka_unit_test(test_search_key_parts),
	};
	return cmocka_run_group_tests_name("service", tests, setup, teardown);
}
