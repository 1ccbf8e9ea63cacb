/*
 * demo_life.c — the life of the demo pilot's pairings (layer: service):
 * 410+ pairings in the four modes — a completed cohort of last year and
 * this year's, mostly active, a few still being confirmed or dissolved —
 * each active one with an approved plan, a year of joint supervision
 * visits, work logs and the evaluation cycle; the programme's shared
 * activities (48 practice classrooms, 168 on-site sessions, forums,
 * studios, ...); 30 demonstration projects since 2021, the first the
 * 永宁县胜利乡 "三雁工程" of the report; a few substituted mentors, a few
 * silent pairs escalating, a few missed visits and evaluations, so that
 * the due list, the escalations and the red/yellow ranking have something
 * to show. Called by the demo loader inside its transaction.
 *
 * Dates are anchored to the day the demo is loaded (`today`): this
 * year's cohort held its ceremonies about eleven months ago, last year's
 * a year before and completed. Everything else comes from the seed, so
 * the same seed on the same day gives the same data; the counts do not
 * depend on the day. 贺兰县 keeps most of its mentees unpaired — its
 * 2026 menu round (the mentees' choices) is waiting to be matched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "service/demo.h"
#include "service/life.h"

#define N_CLASSROOMS 48 /* 实践课堂 (report: 40+) */
#define N_ONSITE 168    /* 现场帮学 (report: 150+) */
#define N_PROJECTS 30   /* 示范项目 since 2021 (report: 30) */

struct dl_pair {
	int64_t id;
	int mentors[3], nm;
	int mentees[3], ne;
	const char *status;
	long start, end;        /* day numbers; end 0 = open */
	int town;               /* region index of the township, or -1 */
	int quality;            /* mean evaluation score */
	int gap_month;          /* a month without a visit (-1 none) */
	int silent;             /* days without contact before today (0 none) */
};

struct dl {
	struct service *s;
	struct store_conn *c;
	const struct demo *d;
	const struct region *regions;
	const int64_t *mentor_ids, *mentee_ids;
	const char *now;
	long today;
	uint64_t rng;
	int *open;              /* open pairings per mentor */
	int *town_of_mentor, *town_of_mentee, *county_of_mentor, *county_of_mentee;
	struct dl_pair *p;
	size_t np, cap;
	struct life_settings ls;
	int64_t *town_project;  /* project id per region index, or 0 */
};

static uint64_t next(struct dl *l)
{
	uint64_t z = (l->rng += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static int pick(struct dl *l, int n) { return n > 0 ? (int)(next(l) % (uint64_t)n) : 0; }

static int ancestor(const struct demo *d, int r, int level)
{
	while (r >= 0 && d->regions[r].level > level)
		r = d->regions[r].parent;
	return r >= 0 && d->regions[r].level == level ? r : -1;
}

static void day_s(long day, char *out) { life_date(day, out); }

/* ---- pairings ------------------------------------------------------------------ */

static bool mentor_ok(struct dl *l, int i, bool open)
{
	const struct demo_mentor *m = &l->d->mentors[i];
	return !strcmp(m->status, "active") && (!open || l->open[i] < m->capacity);
}

/* A mentor for mentee e: the same township first, then the county, then
 * the city's own tier; `avoid` is not taken. -1 if none has room. */
static int find_mentor(struct dl *l, int e, bool open, int avoid)
{
	const struct demo *d = l->d;
	int n = (int)d->nmentors, off = pick(l, n);
	for (int pass = 0; pass < 3; pass++)
		for (int k = 0; k < n; k++) {
			int i = (off + k) % n;
			if (i == avoid || !mentor_ok(l, i, open))
				continue;
			bool same = pass == 0 ? l->town_of_mentor[i] >= 0 &&
							l->town_of_mentor[i] == l->town_of_mentee[e]
				    : pass == 1 ? l->county_of_mentor[i] == l->county_of_mentee[e]
						: true;
			if (same)
				return i;
		}
	return -1;
}

static enum err event(struct dl *l, int64_t id, const char *from, const char *to,
		      const char *action, const char *detail, long day)
{
	struct db_life_event ev;
	memset(&ev, 0, sizeof ev);
	ev.pairing_id = id;
	snprintf(ev.from_status, sizeof ev.from_status, "%s", from);
	snprintf(ev.to_status, sizeof ev.to_status, "%s", to);
	snprintf(ev.action, sizeof ev.action, "%s", action);
	snprintf(ev.detail, sizeof ev.detail, "%s", detail);
	day_s(day, ev.at);
	snprintf(ev.at + 10, sizeof ev.at - 10, "T02:00:00Z");
	return db_life_event_add(l->c, &ev);
}

static const char *const places[] = {"党群服务中心", "村委会会议室", "新时代文明实践站",
				     "乡村振兴工作站", "产业园区"};

/* Insert pairing `p` (mentors, mentees, status, dates set) with its
 * members, ceremony and history. */
static enum err put_pairing(struct dl *l, struct dl_pair *p)
{
	const struct demo *d = l->d;
	const struct demo_mentee *e0 = &d->mentees[p->mentees[0]];
	const struct region *r = &l->regions[e0->region];
	struct db_pairing dp;
	memset(&dp, 0, sizeof dp);
	snprintf(dp.mode, sizeof dp.mode, "%s",
		 p->ne > 1 && p->nm > 1 ? "N:N" : p->nm > 1 ? "N:1" : p->ne > 1 ? "1:N" : "1:1");
	snprintf(dp.origin, sizeof dp.origin, "%s", pick(l, 3) == 0 ? "menu" : "auto");
	dp.region_id = r->id;
	snprintf(dp.region_path, sizeof dp.region_path, "%s", r->path);
	snprintf(dp.status, sizeof dp.status, "%s", p->status);
	bool held = strcmp(p->status, "proposed") && strcmp(p->status, "confirmed");
	bool started = held && strcmp(p->status, "ceremony");
	long created = p->start - 25;
	if (started)
		day_s(p->start, dp.start_date);
	if (p->end)
		day_s(p->end, dp.end_date);
	enum err e = db_pairing_insert(l->c, &dp, l->now);
	if (e)
		return e;
	p->id = dp.id;
	char since[M_TIME];
	day_s(created, since);
	for (int i = 0; i < p->nm; i++)
		if ((e = db_pairing_member_add(l->c, dp.id, "mentor", l->mentor_ids[p->mentors[i]], since)))
			return e;
	for (int i = 0; i < p->ne; i++)
		if ((e = db_pairing_member_add(l->c, dp.id, "mentee", l->mentee_ids[p->mentees[i]], since)))
			return e;
	/* The history a real pairing has. */
	char cdate[M_TIME], place[M_NAME], letter[M_CODE], detail[M_NAME * 2];
	if ((e = event(l, dp.id, "", "proposed", "create", "auto", created)))
		return e;
	bool mc = strcmp(p->status, "proposed") || pick(l, 2), ec = strcmp(p->status, "proposed") != 0;
	if (mc && (e = event(l, dp.id, "proposed", "proposed", "confirm", "side=mentor", created + 3)))
		return e;
	if (ec && (e = event(l, dp.id, "proposed", "confirmed", "confirm", "side=mentee", created + 5)))
		return e;
	struct db_life_change ch = {.to = p->status, .mentor_confirmed = mc, .mentee_confirmed = ec};
	long cday = p->start;
	if (held) {
		int town = ancestor(d, e0->region, REGION_TOWNSHIP);
		snprintf(place, sizeof place, "%s%s", town >= 0 ? d->regions[town].name : r->name,
			 places[pick(l, 3)]);
		day_s(cday, cdate);
		int64_t n = 0;
		char counter[M_CODE];
		snprintf(counter, sizeof counter, "agreement-%.4s", cdate);
		if ((e = db_counter_next(l->c, counter, &n)))
			return e;
		snprintf(letter, sizeof letter, "%s-%.4s-%04lld", l->ls.letter_prefix, cdate, (long long)n);
		ch.ceremony_date = cdate;
		ch.ceremony_place = place;
		ch.letter_no = letter;
		snprintf(detail, sizeof detail, "%s %s %s", cdate, place, letter);
		if ((e = event(l, dp.id, "confirmed", "ceremony", "ceremony", detail, cday)))
			return e;
	}
	if (started && (e = event(l, dp.id, "ceremony", "active", "activate", "", cday)))
		return e;
	if (!strcmp(p->status, "completed") &&
	    (e = event(l, dp.id, "active", "completed", "complete", "", p->end)))
		return e;
	static const char *const reasons[] = {"帮带对象工作调动", "导师因病无法继续帮带",
					      "帮带对象考入上级机关"};
	if (!strcmp(p->status, "dissolved")) {
		ch.reason = reasons[pick(l, 3)];
		if ((e = event(l, dp.id, "active", "dissolved", "dissolve", ch.reason, p->end)))
			return e;
	}
	return db_life_pairing_change(l->c, dp.id, p->status, 1, &ch, l->now);
}

static struct dl_pair *new_pair(struct dl *l)
{
	if (l->np == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->p = xreallocarray(l->p, l->cap, sizeof *l->p);
	}
	struct dl_pair *p = &l->p[l->np++];
	memset(p, 0, sizeof *p);
	p->gap_month = -1;
	return p;
}

/* Form the pairings of one county: `n_open` of this year's cohort and
 * `n_done` of last year's, from its mentees in `order`. */
static enum err county_pairings(struct dl *l, int county, const int *order, int norder,
				int n_open, int n_done, bool *used)
{
	const struct demo *d = l->d;
	int made_open = 0, made_done = 0, k = 0;
	enum err e;
	while (k < norder && (made_open < n_open || made_done < n_done)) {
		int e0 = order[k++];
		if (used[e0] || l->county_of_mentee[e0] != county)
			continue;
		bool open = made_open < n_open;
		bool org = !strcmp(d->mentees[e0].kind, "org");
		struct dl_pair *p = new_pair(l);
		p->mentees[p->ne++] = e0;
		used[e0] = true;
		int kind = pick(l, 20);
		/* 1:N: a second mentee of the same township, for one mentor. */
		if (!org && (kind == 0 || kind == 1)) {
			for (int j = k; j < norder; j++) {
				int e1 = order[j];
				if (!used[e1] && strcmp(d->mentees[e1].kind, "org") &&
				    l->town_of_mentee[e1] == l->town_of_mentee[e0]) {
					p->mentees[p->ne++] = e1;
					used[e1] = true;
					break;
				}
			}
		}
		/* N:1 key cultivation for organisations, now and then N:N. */
		int want = org ? 2 + (kind % 2) : kind == 1 && p->ne > 1 ? 2 : 1;
		for (int m = 0; m < want; m++) {
			int i = find_mentor(l, e0, open, m ? p->mentors[0] : -1);
			if (i < 0 || (m && (i == p->mentors[0] || (p->nm > 1 && i == p->mentors[1]))))
				break;
			p->mentors[p->nm++] = i;
			if (open)
				l->open[i]++;
		}
		if (!p->nm) { /* nobody has room: leave the mentee unpaired */
			for (int j = 0; j < p->ne; j++)
				used[p->mentees[j]] = false;
			l->np--;
			continue;
		}
		p->town = ancestor(d, d->mentees[e0].region, REGION_TOWNSHIP);
		p->quality = 72 + pick(l, 22);
		if (open) {
			made_open++;
			p->status = "active";
			p->start = l->today - 330 - pick(l, 20);
			/* A few still at an earlier step, a few dissolved. */
			int step = made_open % 45;
			if (step == 7 || step == 29) {
				p->status = step == 7 ? "proposed" : "confirmed";
				p->start = l->today - 6 - pick(l, 10);
			} else if (step == 18) {
				p->status = "ceremony";
				p->start = l->today - 4;
			} else if (step == 40) {
				p->status = "dissolved";
				p->end = p->start + 120 + pick(l, 80);
				for (int m = 0; m < p->nm; m++)
					l->open[p->mentors[m]]--;
			}
			if (made_open % 23 == 11)
				p->quality = 48 + pick(l, 12); /* the yellow list's */
			if (made_open % 17 == 5)
				p->gap_month = 2 + pick(l, 6);
			if (made_open % 31 == 3)
				p->silent = 35 + pick(l, 40);
		} else {
			made_done++;
			p->status = "completed";
			p->start = l->today - 700 - pick(l, 30);
			p->end = p->start + 360 + pick(l, 10);
		}
		if ((e = put_pairing(l, p)))
			return e;
	}
	return ERR_OK;
}

/* ---- what a pairing does in its year -------------------------------------------------- */

static const char *const duty_titles[] = {
	"与帮带对象共同制定年度成长目标和帮带措施", "每月至少开展一次共同下村督导调研",
	"围绕短板弱项开展专题指导,每季度不少于一次", "指导帮带对象处置一次复杂矛盾纠纷",
	"作出年度帮带总结和考核意见"};
static const char *const task_titles[] = {
	"梳理本人短板清单和改进计划", "参加实践课堂、现场帮学活动不少于6次",
	"补齐短板:完成专题学习并提交实践报告", "牵头推进一项村级重点工作",
	"撰写年度成长报告"};
static const int item_month[] = {1, 12, 4, 7, 12};

static enum err put_plan(struct dl *l, const struct dl_pair *p)
{
	char y[M_TIME], now[M_TIME];
	day_s(p->start, y);
	struct db_life_plan plan;
	memset(&plan, 0, sizeof plan);
	plan.pairing_id = p->id;
	plan.year = (y[0] - '0') * 1000 + (y[1] - '0') * 100 + (y[2] - '0') * 10 + (y[3] - '0');
	snprintf(plan.region_path, sizeof plan.region_path, "%s",
		 l->regions[l->d->mentees[p->mentees[0]].region].path);
	snprintf(plan.status, sizeof plan.status, "%s", "draft");
	enum err e = db_life_plan_insert(l->c, &plan, l->now);
	if (e)
		return e;
	day_s(p->start + 20, now);
	snprintf(now + 10, sizeof now - 10, "T02:00:00Z");
	if ((e = db_life_plan_approve(l->c, plan.id, 0, now)))
		return e;
	for (int side = 0; side < 2; side++)
		for (int i = 0; i < 5; i++) {
			struct db_life_item it;
			memset(&it, 0, sizeof it);
			it.plan_id = plan.id;
			snprintf(it.side, sizeof it.side, "%s", side ? "mentee" : "mentor");
			it.seq = i + 1;
			snprintf(it.title, sizeof it.title, "%s", side ? task_titles[i] : duty_titles[i]);
			long due = p->start + 30L * item_month[i] + (side ? 10 : 0);
			day_s(due, it.due_date);
			/* Done when due well before today, but the weak pairs leave one open. */
			bool done = due < l->today - 7 && !(p->quality < 60 && i == 2);
			if (!strcmp(p->status, "completed"))
				done = true;
			snprintf(it.status, sizeof it.status, "%s", done ? "done" : "open");
			if (done) {
				snprintf(it.evidence, sizeof it.evidence, "%s",
					 side ? "成长报告及学习笔记已归档" : "指导记录、会议纪要及照片已归档");
				day_s(due - 3 - pick(l, 10), it.completed_on);
			}
			snprintf(it.updated_at, sizeof it.updated_at, "%s", l->now);
			if ((e = db_life_item_insert(l->c, &it)))
				return e;
		}
	return ERR_OK;
}

static const char *const visit_topics[] = {
	"人居环境整治", "集体经济项目推进", "矛盾纠纷排查化解", "党支部“三会一课”落实",
	"产业发展规划", "防汛安全检查", "乡村治理积分制推行", "葡萄种植技术指导"};
static const char *const log_mentor[] = {
	"与帮带对象一起走访农户,听取群众对村级事务的意见,指导其梳理问题清单。",
	"指导帮带对象召开支部委员会,规范会议程序和记录。",
	"带领帮带对象到产业园区调研,研究村集体经济增收路子。",
	"针对信访矛盾,和帮带对象一起制定化解方案并跟进落实。"};
static const char *const log_mentee[] = {
	"跟随导师下村督导,学习做群众工作的方法,记录了三条改进措施。",
	"在导师指导下独立主持村民议事会,会后复盘不足。",
	"参加实践课堂,学习了集体经济发展的典型经验。",
	"按照导师要求完成调研报告初稿,明确下一步工作重点。"};

static enum err put_activity(struct dl *l, const char *type, const char *title, long day,
			     int region, const char *place, const char *summary, int trained,
			     const int64_t *pairs, int npairs, int64_t project)
{
	struct db_life_activity a;
	memset(&a, 0, sizeof a);
	snprintf(a.type, sizeof a.type, "%s", type);
	snprintf(a.title, sizeof a.title, "%s", title);
	day_s(day, a.date);
	snprintf(a.place, sizeof a.place, "%s", place);
	snprintf(a.summary, sizeof a.summary, "%s", summary);
	a.trained = trained;
	a.region_id = l->regions[region].id;
	snprintf(a.region_path, sizeof a.region_path, "%s", l->regions[region].path);
	a.project_id = project;
	enum err e = db_life_activity_insert(l->c, &a, l->now);
	for (int i = 0; !e && i < npairs; i++)
		e = db_life_activity_link(l->c, a.id, pairs[i]);
	return e;
}

static enum err put_log(struct dl *l, const struct dl_pair *p, bool mentor, long day)
{
	struct db_life_log g;
	memset(&g, 0, sizeof g);
	g.pairing_id = p->id;
	snprintf(g.side, sizeof g.side, "%s", mentor ? "mentor" : "mentee");
	g.person_id = mentor ? l->mentor_ids[p->mentors[0]] : l->mentee_ids[p->mentees[0]];
	day_s(day, g.date);
	snprintf(g.content, sizeof g.content, "%s",
		 mentor ? log_mentor[pick(l, 4)] : log_mentee[pick(l, 4)]);
	snprintf(g.region_path, sizeof g.region_path, "%s",
		 l->regions[l->d->mentees[p->mentees[0]].region].path);
	char at[M_TIME];
	day_s(day, at);
	snprintf(at + 10, sizeof at - 10, "T12:00:00Z");
	return db_life_log_insert(l->c, &g, at);
}

static enum err put_eval(struct dl *l, const struct dl_pair *p, const char *kind,
			 const char *period, long day)
{
	static const char *const comments[] = {"帮带措施具体,成效明显", "按计划推进,需加强短板弱项",
					       "对接频次不足,需改进", "带出了成效,群众认可度高"};
	struct db_life_eval v;
	memset(&v, 0, sizeof v);
	v.pairing_id = p->id;
	snprintf(v.kind, sizeof v.kind, "%s", kind);
	snprintf(v.period, sizeof v.period, "%s", period);
	day_s(day, v.date);
	int score = p->quality - 6 + pick(l, 13);
	v.score = score < 0 ? 0 : score > 100 ? 100 : score;
	snprintf(v.grade, sizeof v.grade, "%s", life_grade_of(&l->ls, v.score));
	snprintf(v.comment, sizeof v.comment, "%s",
		 comments[v.score >= 85 ? 3 : v.score >= 70 ? pick(l, 2) : 2]);
	snprintf(v.region_path, sizeof v.region_path, "%s",
		 l->regions[l->d->mentees[p->mentees[0]].region].path);
	snprintf(v.created_at, sizeof v.created_at, "%s", l->now);
	return db_life_eval_insert(l->c, &v);
}

/* Visits, logs and evaluations of a pairing, month by month. */
static enum err pairing_year(struct dl *l, const struct dl_pair *p)
{
	bool done = !strcmp(p->status, "completed"), dissolved = !strcmp(p->status, "dissolved");
	long last = done || dissolved ? p->end : l->today;
	char s[M_TIME];
	day_s(p->start, s);
	int y, m;
	life_ym(s, &y, &m);
	int town = p->town >= 0 ? p->town : l->d->mentees[p->mentees[0]].region;
	enum err e = ERR_OK;
	for (int k = 0; !e; k++) {
		char first[M_TIME], end[M_TIME], period[M_SHORT];
		snprintf(first, sizeof first, "%04d-%02d-01", y, m);
		life_month_end(y, m, end);
		long f, me;
		life_days(first, &f);
		life_days(end, &me);
		if (f > last)
			break;
		/* A silent pair has had no contact for p->silent days. */
		long hush = p->silent ? l->today - p->silent : last + 1;
		/* The joint supervision visit of the month (completed pairs:
		 * recorded quarterly only, to keep the demo small). */
		long vday = f + 7 + pick(l, 18);
		if (vday < p->start && p->start + 3 <= me)
			vday = p->start + 1 + pick(l, 3);
		if (vday >= p->start && vday <= last && k != p->gap_month && vday < hush &&
		    (!done || k % 3 == 0)) {
			char title[LIFE_TITLE], place[M_NAME];
			snprintf(title, sizeof title, "共同下村督导调研:%s", visit_topics[pick(l, 8)]);
			snprintf(place, sizeof place, "%s", l->regions[l->d->mentees[p->mentees[0]].region].name);
			e = put_activity(l, "supervision_visit", title, vday, town, place,
					 "导师与帮带对象共同下村,现场查看、听取汇报、提出改进意见。",
					 1 + pick(l, 3), &p->id, 1, 0);
		}
		long lday = f + 2 + pick(l, 25);
		if (!e && !done && lday >= p->start && lday <= last && lday < hush)
			e = put_log(l, p, true, lday);
		if (!e && !done && k % 2 == 1 && lday + 1 <= last && lday + 1 < hush)
			e = put_log(l, p, false, lday + 1);
		/* The cycle: evaluated a few days after a period ends. */
		long eday = me + 2 + pick(l, 4);
		if (!e && me >= p->start && eday <= last && eday <= l->today) {
			snprintf(period, sizeof period, "%04d-%02d", y, m);
			if (!done && !(p->gap_month >= 0 && k == p->gap_month + 1))
				e = put_eval(l, p, "monthly", period, eday);
			if (!e && m % 3 == 0) {
				snprintf(period, sizeof period, "%04d-Q%d", y, m / 3);
				e = put_eval(l, p, "quarterly", period, eday);
			}
			if (!e && m % 6 == 0) {
				snprintf(period, sizeof period, "%04d-H%d", y, m / 6);
				e = put_eval(l, p, "half_year", period, eday);
			}
			if (!e && m == 12 && done) {
				snprintf(period, sizeof period, "%04d", y);
				e = put_eval(l, p, "yearly", period, eday);
			}
		}
		if (++m > 12) {
			m = 1;
			y++;
		}
	}
	return e;
}

/* ---- the programme's shared activities ------------------------------------------------- */

/* The active pairings of a township (region index), up to max; the
 * silent ones are left out of everything. */
static int town_pairs(struct dl *l, int town, int64_t *out, int max, int skip)
{
	int n = 0;
	for (size_t i = 0; i < l->np && n < max; i++)
		if (l->p[i].town == town && !strcmp(l->p[i].status, "active") && !l->p[i].silent &&
		    skip-- <= 0)
			out[n++] = l->p[i].id;
	return n;
}

static enum err shared_activities(struct dl *l, const int *towns, int ntowns)
{
	static const struct {
		const char *type, *title, *summary;
		int count, per, trained_lo, trained_hi, level;
	} kinds[] = {
		{"practice_classroom", "实践课堂:村级集体经济发展路径",
		 "导师结合亲身经历讲授,帮带对象现场提问交流。", N_CLASSROOMS, 5, 20, 60, 3},
		{"onsite_learning", "现场帮学:到先进村学做群众工作",
		 "在示范村现场观摩学习,导师逐项讲解做法。", N_ONSITE, 2, 4, 15, 3},
		{"emergency", "联合应急处置:防汛抢险", "导师带领帮带对象参与应急值守和转移群众。", 12, 3,
		 3, 12, 3},
		{"joint_event", "共同组织:村民议事会", "导师指导帮带对象组织召开议事会。", 30, 2, 10, 40, 3},
		{"studio", "导师工作室:基层治理案例研讨", "工作室导师集中研讨典型案例。", 10, 6, 8, 25, 2},
		{"forum", "导师论坛:徒成师经验交流", "优秀导师和帮带对象交流心得。", 6, 10, 40, 120, 2},
		{"secondment", "跟班挂职:到县直部门跟班学习", "帮带对象跟班学习一个月。", 15, 1, 1, 1, 3},
		{"observation", "实地观摩:乡村振兴示范点", "组织到示范点实地观摩。", 20, 8, 20, 60, 2},
		{"training", "实战实训:项目申报与管理", "围绕项目申报开展实战演练。", 24, 4, 10, 35, 3},
	};
	enum err e = ERR_OK;
	int64_t pairs[16];
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0] && !e; k++) {
		for (int i = 0; i < kinds[k].count && !e; i++) {
			int town = towns[(i * 7 + (int)k) % ntowns];
			int region = kinds[k].level == 2 ? ancestor(l->d, town, REGION_COUNTY) : town;
			int n = town_pairs(l, town, pairs, kinds[k].per, pick(l, 3));
			long day = l->today - 300 + pick(l, 295);
			char place[M_NAME];
			snprintf(place, sizeof place, "%s%s", l->d->regions[region].name, places[pick(l, 5)]);
			int trained = kinds[k].trained_lo +
				      pick(l, kinds[k].trained_hi - kinds[k].trained_lo + 1);
			int64_t project = strcmp(kinds[k].type, "practice_classroom") ? 0 : l->town_project[town];
			e = put_activity(l, kinds[k].type, kinds[k].title, day, region, place,
					 kinds[k].summary, trained, pairs, n, project);
		}
	}
	return e;
}

/* ---- demonstration projects ------------------------------------------------------------- */

static enum err projects(struct dl *l, const int *towns, int ntowns)
{
	static const char *const themes[] = {"头雁领航工程", "强村富民行动", "村企共建示范",
					     "红色引擎工程", "乡村治理示范带", "葡萄酒产业人才孵化",
					     "青年干部成长营", "文旅融合示范点", "民生服务提升行动",
					     "组织振兴示范村"};
	const struct demo *d = l->d;
	int first = -1;
	for (size_t i = 0; i < d->nregions && first < 0; i++)
		if (d->regions[i].level == REGION_TOWNSHIP && !strcmp(d->regions[i].name, "胜利乡"))
			first = (int)i;
	char y[M_TIME];
	day_s(l->today, y);
	int this_year = (y[0] - '0') * 1000 + (y[1] - '0') * 100 + (y[2] - '0') * 10 + (y[3] - '0');
	enum err e = ERR_OK;
	for (int k = 0; k < N_PROJECTS && !e; k++) {
		int town = k == 0 && first >= 0 ? first : towns[(k * 5 + 3) % ntowns];
		if (k && town == first)
			town = towns[(k * 5 + 4) % ntowns];
		struct db_life_project p;
		memset(&p, 0, sizeof p);
		if (k == 0 && first >= 0)
			snprintf(p.name, sizeof p.name, "%s", "三雁工程");
		else
			snprintf(p.name, sizeof p.name, "%s%s", d->regions[town].name,
				 themes[k % (int)(sizeof themes / sizeof themes[0])]);
		p.region_id = l->regions[town].id;
		snprintf(p.region_path, sizeof p.region_path, "%s", l->regions[town].path);
		p.year = 2021 + k % 5;
		if (p.year > this_year)
			p.year = this_year;
		snprintf(p.description, sizeof p.description, "%s",
			 k == 0 ? "以“头雁”“归雁”“鸿雁”培育村级带头人、返乡人才和后备力量,导师结对帮带,"
				  "师带徒、徒成师。"
				: "以导师帮带为抓手,集中力量打造示范,带动周边村整体提升。");
		if ((e = db_life_project_insert(l->c, &p, l->now)))
			break;
		if (!l->town_project[town])
			l->town_project[town] = p.id;
		int64_t pairs[6];
		int n = town_pairs(l, town, pairs, 6, 0);
		for (int i = 0; i < n && !e; i++)
			e = db_life_pairing_set_project(l->c, pairs[i], p.id, l->now);
	}
	return e;
}

/* ---- substitution -------------------------------------------------------------------- */

/* A few active pairings had their mentor replaced mid-year. */
static enum err substitutions(struct dl *l)
{
	enum err e = ERR_OK;
	int done = 0;
	for (size_t i = 7; i < l->np && done < 3 && !e; i += 37) {
		struct dl_pair *p = &l->p[i];
		if (strcmp(p->status, "active") || p->nm != 1)
			continue;
		int old = p->mentors[0];
		int neu = find_mentor(l, p->mentees[0], true, old);
		if (neu < 0)
			continue;
		char on[M_TIME], detail[M_NAME * 2];
		long day = p->start + 150;
		day_s(day, on);
		if ((e = db_life_member_end(l->c, p->id, "mentor", l->mentor_ids[old], on)) ||
		    (e = db_pairing_member_add(l->c, p->id, "mentor", l->mentor_ids[neu], on)))
			break;
		snprintf(detail, sizeof detail, "mentor %lld -> %lld: 原导师工作调整",
			 (long long)l->mentor_ids[old], (long long)l->mentor_ids[neu]);
		e = event(l, p->id, "active", "active", "substitute", detail, day);
		l->open[old]--;
		l->open[neu]++;
		p->mentors[0] = neu;
		done++;
	}
	return e;
}

/* ---- the whole ------------------------------------------------------------------------ */

/* Pairings per county (its code): this year's open cohort and last
 * year's completed one. 贺兰县 waits for its menu round. */
static void county_targets(const char *code, int nmentees, int *n_open, int *n_done)
{
	if (!strcmp(code, "640122")) {
		*n_open = 20;
		*n_done = 25;
		return;
	}
	*n_open = (nmentees * 47 + 50) / 100;
	*n_done = (nmentees * 21 + 50) / 100;
}

enum err demo_life_load(struct service *s, struct store_conn *c, const struct demo *d,
			const struct region *regions, const int64_t *mentor_ids,
			const int64_t *mentee_ids, const char *today, const char *now)
{
	struct dl l;
	memset(&l, 0, sizeof l);
	l.s = s;
	l.c = c;
	l.d = d;
	l.regions = regions;
	l.mentor_ids = mentor_ids;
	l.mentee_ids = mentee_ids;
	l.now = now;
	l.rng = 0x62616e6764616931ull; /* "bangdai1" */
	if (!life_days(today, &l.today))
		return ERR_INTERNAL;
	enum err e = life_settings_load(c, &l.ls);
	if (e)
		return e;
	size_t nm = d->nmentors, ne = d->nmentees, nr = d->nregions;
	l.open = xcalloc(nm + 1, sizeof *l.open);
	l.town_of_mentor = xcalloc(nm + 1, sizeof *l.town_of_mentor);
	l.county_of_mentor = xcalloc(nm + 1, sizeof *l.county_of_mentor);
	l.town_of_mentee = xcalloc(ne + 1, sizeof *l.town_of_mentee);
	l.county_of_mentee = xcalloc(ne + 1, sizeof *l.county_of_mentee);
	l.town_project = xcalloc(nr + 1, sizeof *l.town_project);
	bool *used = xcalloc(ne + 1, sizeof *used);
	int *order = xcalloc(ne + 1, sizeof *order);
	int *towns = xcalloc(nr + 1, sizeof *towns);
	int ntowns = 0;
	for (size_t i = 0; i < nm; i++) {
		l.town_of_mentor[i] = ancestor(d, d->mentors[i].region, REGION_TOWNSHIP);
		l.county_of_mentor[i] = ancestor(d, d->mentors[i].region, REGION_COUNTY);
	}
	for (size_t i = 0; i < ne; i++) {
		l.town_of_mentee[i] = ancestor(d, d->mentees[i].region, REGION_TOWNSHIP);
		l.county_of_mentee[i] = ancestor(d, d->mentees[i].region, REGION_COUNTY);
		order[i] = (int)i;
	}
	/* A fixed shuffle of the mentees. */
	for (size_t i = ne; i > 1; i--) {
		size_t j = (size_t)pick(&l, (int)i);
		int t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	/* The demo logins first: the mentee with the mentor, active (and
	 * with the lowest ids, so that lists show other pairings first). */
	int lm = -1, le = -1;
	for (size_t i = 0; i < d->nusers; i++) {
		if (d->users[i].mentor >= 0)
			lm = d->users[i].mentor;
		if (d->users[i].mentee >= 0)
			le = d->users[i].mentee;
	}
	if (lm >= 0 && le >= 0 && mentor_ok(&l, lm, true)) {
		struct dl_pair *p = new_pair(&l);
		p->mentors[p->nm++] = lm;
		p->mentees[p->ne++] = le;
		l.open[lm]++;
		used[le] = true;
		p->status = "active";
		p->start = l.today - 335;
		p->town = ancestor(d, d->mentees[le].region, REGION_TOWNSHIP);
		p->quality = 88;
		if ((e = put_pairing(&l, p)))
			goto out;
	}
	for (size_t r = 0; r < nr && !e; r++) {
		if (d->regions[r].level != REGION_COUNTY)
			continue;
		int n = 0;
		for (size_t i = 0; i < ne; i++)
			n += l.county_of_mentee[i] == (int)r;
		int n_open, n_done;
		county_targets(d->regions[r].code, n, &n_open, &n_done);
		if (lm >= 0 && le >= 0 && l.county_of_mentee[le] == (int)r)
			n_open--;
		e = county_pairings(&l, (int)r, order, (int)ne, n_open, n_done, used);
	}
	if (e || (e = substitutions(&l)))
		goto out;
	for (size_t i = 0; i < l.np && !e; i++) {
		const struct dl_pair *p = &l.p[i];
		bool started = !strcmp(p->status, "active") || !strcmp(p->status, "completed") ||
			       !strcmp(p->status, "dissolved");
		if (started && strcmp(p->status, "dissolved"))
			e = put_plan(&l, p);
		if (!e && started)
			e = pairing_year(&l, p);
	}
	for (size_t r = 0; r < nr; r++) {
		bool has = false;
		for (size_t i = 0; i < l.np && !has; i++)
			has = l.p[i].town == (int)r && !strcmp(l.p[i].status, "active");
		if (has)
			towns[ntowns++] = (int)r;
	}
	if (!e && ntowns && !(e = projects(&l, towns, ntowns)))
		e = shared_activities(&l, towns, ntowns);
out:
	free(l.open);
	free(l.town_of_mentor);
	free(l.county_of_mentor);
	free(l.town_of_mentee);
	free(l.county_of_mentee);
	free(l.town_project);
	free(l.p);
	free(used);
	free(order);
	free(towns);
	return e;
}
