/*
 * svc_plan.c — what a pairing does in its year (SPEC §5): the yearly plan
 * 年度帮带培养计划 with the mentor's duty list 导师职责清单 and the
 * mentee's task list 帮带对象任务清单, activities of every type, work logs
 * 工作日志 and the evaluation cycle 考评机制. Layer: service.
 *
 * Who may do what: admins of the pairing's region generate, edit and
 * approve plans, record activities and evaluations; a mentor records
 * activities of its own pairings and reports on its duties; a mentee
 * reports on its tasks; both write their own logs, editable by the
 * author only for `log_edit_days` (a setting). Auditors read. Every
 * refusal is audited (life_finish).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "service/life.h"

#define NF(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define BIG 9007199254740991.0

/* ---- field specs -------------------------------------------------------------------- */

static const struct field plan_item_in_fields[] = {
	FIELD(svc_plan_item_in, side, "side", F_STR, F_REQUIRED | F_NONEMPTY, 0, 0),
	FIELD(svc_plan_item_in, title, "title", F_STR, F_REQUIRED | F_NONEMPTY, 0, 80),
	FIELD(svc_plan_item_in, domain, "domain", F_STR, F_CODE, 0, 0),
	FIELD(svc_plan_item_in, due, "due", F_STR, F_REQUIRED | F_DATE, 0, 0),
};
const struct field_spec svc_plan_item_in_spec = {"plan_item_in", plan_item_in_fields,
						 NF(plan_item_in_fields)};

static const struct field item_update_fields[] = {
	FIELD(svc_item_update, status, "status", F_STR, F_NONEMPTY, 0, 0),
	FIELD(svc_item_update, evidence, "evidence", F_STR, 0, 0, 1000),
	FIELD(svc_item_update, completed_on, "completed_on", F_STR, F_DATE, 0, 0),
};
const struct field_spec svc_item_update_spec = {"plan_item_update", item_update_fields,
						NF(item_update_fields)};

static const struct field activity_fields[] = {
	FIELD(svc_activity, type, "type", F_STR, F_REQUIRED | F_NONEMPTY | F_CODE, 0, 0),
	FIELD(svc_activity, title, "title", F_STR, F_REQUIRED | F_NONEMPTY, 0, 80),
	FIELD(svc_activity, date, "date", F_STR, F_REQUIRED | F_DATE, 0, 0),
	FIELD(svc_activity, place, "place", F_STR, 0, 0, 40),
	FIELD(svc_activity, participants, "participants", F_STR, 0, 0, 1000),
	FIELD(svc_activity, summary, "summary", F_STR, 0, 0, 1000),
	FIELD(svc_activity, trained, "trained", F_INT, 0, 0, 100000),
	FIELD(svc_activity, region, "region", F_STR, F_CODE, 0, 0),
	FIELD(svc_activity, project, "project", F_I64, F_NULLZERO, 0, BIG),
	FIELD_IDS(svc_activity, pairings, npairings, "pairings", 0), /* last: create only */
};
const struct field_spec svc_activity_spec = {"activity", activity_fields,
					     NF(activity_fields) - 1};
const struct field_spec svc_activity_new_spec = {"activity_new", activity_fields,
						 NF(activity_fields)};

static const struct field log_fields[] = {
	FIELD(svc_log, date, "date", F_STR, F_DATE, 0, 0),
	FIELD(svc_log, content, "content", F_STR, F_REQUIRED | F_NONEMPTY, 0, 1000),
};
const struct field_spec svc_log_spec = {"work_log", log_fields, NF(log_fields)};

static const struct field eval_fields[] = {
	FIELD(svc_eval, kind, "kind", F_STR, F_REQUIRED | F_NONEMPTY, 0, 0),
	FIELD(svc_eval, period, "period", F_STR, F_REQUIRED | F_NONEMPTY, 0, 0),
	FIELD(svc_eval, date, "date", F_STR, F_DATE, 0, 0),
	FIELD(svc_eval, score, "score", F_INT, F_REQUIRED, 0, 100),
	FIELD(svc_eval, grade, "grade", F_STR, F_CODE, 0, 0),
	FIELD(svc_eval, comment, "comment", F_STR, 0, 0, 1000),
};
const struct field_spec svc_eval_spec = {"evaluation", eval_fields, NF(eval_fields)};

static bool given(const struct field_spec *spec, uint64_t present, const char *name)
{
	int i = fields_find(spec, name);
	return i >= 0 && (present >> i & 1);
}

/* ERR_INVALID naming the first required field of `spec` not present. */
static enum err required(const struct field_spec *spec, uint64_t present, struct errinfo *ei)
{
	for (int i = 0; i < spec->n; i++)
		if ((spec->fields[i].flags & F_REQUIRED) && !(present >> i & 1))
			return errinfo_set(ei, ERR_INVALID, spec->fields[i].name, "必填 (required)");
	return ERR_OK;
}

/* ---- plans -------------------------------------------------------------------------- */

static json_t *plan_json(const struct db_life_plan *p)
{
	char code[M_CODE];
	life_path_code(p->region_path, code);
	return json_pack("{s:I, s:I, s:i, s:s, s:s, s:o, s:o, s:i, s:i, s:s, s:s}", "id",
			 (json_int_t)p->id, "pairing", (json_int_t)p->pairing_id, "year", p->year,
			 "region", code, "status", p->status, "approved_by",
			 p->approved_by ? json_integer(p->approved_by) : json_null(), "approved_at",
			 life_str(p->approved_at), "items_total", p->items, "items_done", p->done,
			 "created_at", p->created_at, "updated_at", p->updated_at);
}

static json_t *item_json(const struct db_life_item *it)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:i, s:s, s:o, s:s, s:s, s:s, s:o, s:s}", "id",
			 (json_int_t)it->id, "plan", (json_int_t)it->plan_id, "side", it->side, "list",
			 strcmp(it->side, "mentor") ? "task" : "duty", "seq", it->seq, "title",
			 it->title, "domain", life_str(it->domain), "due", it->due_date, "status",
			 it->status, "evidence", it->evidence, "completed_on",
			 life_str(it->completed_on), "updated_at", it->updated_at);
}

static enum err add_item(void *arg, const void *row)
{
	json_array_append_new(arg, item_json(row));
	return ERR_OK;
}

/* The plan with its items. */
static enum err plan_detail(struct store_conn *c, int64_t id, json_t **out)
{
	struct db_life_plan p;
	enum err e = db_life_plan_get(c, id, &p);
	if (e)
		return e;
	json_t *items = json_array();
	if ((e = db_life_items(c, id, add_item, items))) {
		json_decref(items);
		return e;
	}
	json_t *j = plan_json(&p);
	json_object_set_new(j, "items", items);
	*out = j;
	return ERR_OK;
}

static enum err answer_plan(struct store_conn *c, int64_t id, json_t **out, struct errinfo *ei)
{
	enum err e = plan_detail(c, id, out);
	return e ? svc_db_fail(c, e, "plan", ei) : ERR_OK;
}

/* Vocabulary names of the domains, for the generated titles. */
struct domain_names {
	struct vocab v[64];
	int n;
};

static enum err add_domain_name(void *arg, const void *row)
{
	struct domain_names *d = arg;
	if (d->n < NF(d->v))
		d->v[d->n++] = *(const struct vocab *)row;
	return ERR_OK;
}

static const char *domain_name(const struct domain_names *d, const char *code)
{
	for (int i = 0; i < d->n; i++)
		if (!strcmp(d->v[i].code, code))
			return d->v[i].name;
	return code;
}

struct gen_arg {
	const struct actor *a;
	int64_t pairing_id;
	int year;
	int64_t id;
	struct errinfo *ei;
};

static void month_due(int year, int month, char *out)
{
	if (month > 12)
		month = 12;
	life_month_end(year, month, out);
}

/* Append an item to the draft. */
static enum err put_item(struct store_conn *c, int64_t plan, const char *side, int *seq,
			 const char *title, const char *domain, const char *due, const char *now)
{
	struct db_life_item it;
	memset(&it, 0, sizeof it);
	it.plan_id = plan;
	snprintf(it.side, sizeof it.side, "%s", side);
	it.seq = ++*seq;
	snprintf(it.title, sizeof it.title, "%s", title);
	snprintf(it.domain, sizeof it.domain, "%s", domain ? domain : "");
	snprintf(it.due_date, sizeof it.due_date, "%s", due);
	snprintf(it.status, sizeof it.status, "%s", "open");
	snprintf(it.updated_at, sizeof it.updated_at, "%s", now);
	return db_life_item_insert(c, &it);
}

/*
 * The draft: from the month the pairing starts (or January), duties of
 * the mentor and tasks of the mentee for every weakness of every mentee,
 * the monthly joint visit, and the year's summaries.
 */
static enum err generate_items(struct store_conn *c, const struct db_life_pairing *lp,
			       int64_t plan, int year, const char *now)
{
	struct domain_names dn;
	dn.n = 0;
	enum err e = db_vocab_list(c, "domain", add_domain_name, &dn);
	if (e)
		return e;
	int base = 1, y, m;
	const char *start = lp->p.start_date[0] ? lp->p.start_date : lp->p.created_at;
	life_ym(start, &y, &m);
	if (y == year)
		base = m;
	int sd = 0, st = 0;
	char due[M_TIME], title[LIFE_TITLE], year_end[M_TIME];
	snprintf(year_end, sizeof year_end, "%04d-12-31", year);
	month_due(year, base + 1, due);
	if ((e = put_item(c, plan, "mentor", &sd, "与帮带对象共同制定年度成长目标和帮带措施", NULL,
			  due, now)) ||
	    (e = put_item(c, plan, "mentor", &sd, "每月至少开展一次共同下村督导调研", NULL,
			  year_end, now)))
		return e;
	/* Each mentee's post and weaknesses. */
	const char *p = lp->p.mentees;
	int k = 0;
	while (*p && !e) {
		if (*p < '0' || *p > '9') {
			p++;
			continue;
		}
		long long id = 0;
		while (*p >= '0' && *p <= '9')
			id = id * 10 + (*p++ - '0');
		struct mentee me;
		if ((e = db_mentee_get(c, id, &me)))
			return e;
		snprintf(title, sizeof title, "结合%s岗位,梳理本人短板清单和改进计划",
			 me.post[0] ? me.post : "本职");
		month_due(year, base + 1, due);
		if ((e = put_item(c, plan, "mentee", &st, title, NULL, due, now)))
			return e;
		const char *w = me.weaknesses;
		while (*w && !e && k < 6) {
			if (*w == ',') {
				w++;
				continue;
			}
			size_t n = strcspn(w, ",");
			char code[M_CODE];
			snprintf(code, sizeof code, "%.*s", (int)(n < sizeof code ? n : sizeof code - 1), w);
			w += n;
			const char *name = domain_name(&dn, code);
			month_due(year, base + 2 + 2 * k, due);
			snprintf(title, sizeof title, "围绕「%s」开展专题指导,每季度不少于一次", name);
			if ((e = put_item(c, plan, "mentor", &sd, title, code, due, now)))
				return e;
			month_due(year, base + 3 + 2 * k, due);
			snprintf(title, sizeof title, "补齐「%s」短板:完成专题学习并提交实践报告", name);
			if ((e = put_item(c, plan, "mentee", &st, title, code, due, now)))
				return e;
			k++;
		}
	}
	if (e)
		return e;
	month_due(year, base + 6, due);
	if ((e = put_item(c, plan, "mentee", &st, "参加实践课堂、现场帮学活动不少于6次", NULL, due,
			  now)) ||
	    (e = put_item(c, plan, "mentee", &st, "撰写年度成长报告", NULL, year_end, now)) ||
	    (e = put_item(c, plan, "mentor", &sd, "作出年度帮带总结和考核意见", NULL, year_end, now)))
		return e;
	return ERR_OK;
}

static enum err find_plan(void *arg, const void *row)
{
	const struct db_life_plan *p = row;
	struct gen_arg *ga = arg;
	if (p->year == ga->year)
		ga->id = p->id;
	return ERR_OK;
}

static enum err gen_tx(struct store_conn *c, void *arg)
{
	struct gen_arg *ga = arg;
	struct db_life_pairing lp;
	enum err e = life_pairing_access(c, ga->a, ga->pairing_id, true, &lp, NULL, ga->ei);
	if (e)
		return e;
	if (!strcmp(lp.p.status, "completed") || !strcmp(lp.p.status, "dissolved"))
		return errinfo_set(ga->ei, ERR_CONFLICT, NULL, "帮带对子已结束 (the pairing is %s)",
				   lp.p.status);
	struct db_life_q q;
	memset(&q, 0, sizeof q);
	snprintf(q.lo, sizeof q.lo, "/");
	snprintf(q.hi, sizeof q.hi, "0");
	q.pairing_id = lp.p.id;
	int64_t total;
	ga->id = 0;
	if ((e = db_life_plan_list(c, &q, find_plan, ga, &total)))
		return e;
	if (ga->id)
		return errinfo_set(ga->ei, ERR_CONFLICT, "year", "%d 年度计划已存在 (plan exists: %lld)",
				   ga->year, (long long)ga->id);
	char now[M_TIME];
	svc_now(now);
	struct db_life_plan p;
	memset(&p, 0, sizeof p);
	p.pairing_id = lp.p.id;
	p.year = ga->year;
	snprintf(p.region_path, sizeof p.region_path, "%s", lp.p.region_path);
	snprintf(p.status, sizeof p.status, "%s", "draft");
	if ((e = db_life_plan_insert(c, &p, now)) || (e = generate_items(c, &lp, p.id, ga->year, now)))
		return e;
	ga->id = p.id;
	return svc_audit(c, ga->a, "generate", "plan", p.id, NULL, NULL, NULL);
}

enum err svc_plan_generate(struct service *s, const struct actor *a, int64_t pairing_id,
			   int year, json_t **out, struct errinfo *ei)
{
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "plan generate", ei);
	if (year == 0) {
		char today[M_TIME];
		svc_today(today);
		int m;
		life_ym(today, &year, &m);
	}
	if (year < 2000 || year > 2100)
		return errinfo_set(ei, ERR_INVALID, "year", "应在 2000 到 2100 之间");
	struct store_conn *c = store_acquire(s->store);
	struct gen_arg ga = {a, pairing_id, year, 0, ei};
	enum err e = life_tx_answer(s, c, a, "plan generate", gen_tx, &ga, &ga.id,
				    answer_plan, out, ei);
	store_release(s->store, c);
	return e;
}

/* Load plan `id` and check access through its pairing. */
static enum err plan_access(struct store_conn *c, const struct actor *a, int64_t id, bool write,
			    struct db_life_plan *p, struct db_life_pairing *lp, const char **side,
			    struct errinfo *ei)
{
	enum err e = db_life_plan_get(c, id, p);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ei, ERR_NOT_FOUND, NULL, "没有这份计划 (no such plan)");
	if (e)
		return e;
	e = life_pairing_access(c, a, p->pairing_id, write, lp, side, ei);
	return e == ERR_NOT_FOUND ? ERR_INTERNAL : e;
}

enum err svc_plan_get(struct service *s, const struct actor *a, int64_t id, json_t **out,
		      struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	struct db_life_plan p;
	struct db_life_pairing lp;
	enum err e = life_finish(s, c, a, plan_access(c, a, id, false, &p, &lp, NULL, ei), "plan", ei);
	if (!e && (e = plan_detail(c, id, out)))
		e = svc_db_fail(c, e, "plan", ei);
	store_release(s->store, c);
	return e;
}

struct plans_out {
	struct store_conn *c;
	json_t *items;
	bool detail;
};

static enum err add_plan(void *arg, const void *row)
{
	struct plans_out *po = arg;
	json_array_append_new(po->items, plan_json(row));
	return ERR_OK;
}

/* {items, total} of a list of plans (with their items when detail). */
static enum err plans_answer(struct store_conn *c, const struct db_life_q *q, bool detail,
			     json_t **out)
{
	struct plans_out po = {c, json_array(), detail};
	int64_t total = 0;
	enum err e = db_life_plan_list(c, q, add_plan, &po, &total);
	for (size_t i = 0; !e && detail && i < json_array_size(po.items); i++) {
		json_t *p = json_array_get(po.items, i);
		json_t *items = json_array();
		e = db_life_items(c, json_integer_value(json_object_get(p, "id")), add_item, items);
		json_object_set_new(p, "items", items);
	}
	if (e) {
		json_decref(po.items);
		return e;
	}
	*out = json_pack("{s:o, s:I}", "items", po.items, "total", (json_int_t)total);
	if (q->limit) {
		json_object_set_new(*out, "limit", json_integer(q->limit));
		json_object_set_new(*out, "offset", json_integer(q->offset));
	}
	return ERR_OK;
}

static void whole_range(struct db_life_q *q)
{
	memset(q, 0, sizeof *q);
	snprintf(q->lo, sizeof q->lo, "/");
	snprintf(q->hi, sizeof q->hi, "0");
}

enum err svc_pairing_plans(struct service *s, const struct actor *a, int64_t pairing_id,
			   json_t **out, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	struct db_life_pairing lp;
	enum err e = life_finish(s, c, a, life_pairing_access(c, a, pairing_id, false, &lp, NULL, ei),
				 "pairing plans", ei);
	if (!e) {
		struct db_life_q q;
		whole_range(&q);
		q.pairing_id = pairing_id;
		if ((e = plans_answer(c, &q, true, out)))
			e = svc_db_fail(c, e, "pairing plans", ei);
	}
	store_release(s->store, c);
	return e;
}

/* The jurisdiction of a list as a db_life_q (admins and auditors only). */
static enum err life_scope(struct service *s, struct store_conn *c, const struct actor *a,
			   const struct svc_list_args *la, const struct svc_life_range *r,
			   struct db_life_q *q, struct errinfo *ei)
{
	struct list_query lq;
	enum err e = svc_list_scope(s, c, a, la, NULL, &lq, ei);
	if (e)
		return e;
	memset(q, 0, sizeof *q);
	snprintf(q->lo, sizeof q->lo, "%s", lq.root_lo);
	snprintf(q->hi, sizeof q->hi, "%s", lq.root_hi);
	snprintf(q->status, sizeof q->status, "%s", la->status);
	snprintf(q->kind, sizeof q->kind, "%s", la->kind);
	if (r) {
		snprintf(q->from, sizeof q->from, "%s", r->from);
		snprintf(q->to, sizeof q->to, "%s", r->to);
	}
	q->limit = lq.limit;
	q->offset = lq.offset;
	return ERR_OK;
}

enum err svc_plan_list(struct service *s, const struct actor *a, const struct svc_list_args *la,
		       json_t **out, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	struct db_life_q q;
	enum err e = life_scope(s, c, a, la, NULL, &q, ei);
	if (!e && q.status[0] && strcmp(q.status, "draft") && strcmp(q.status, "approved"))
		e = errinfo_set(ei, ERR_INVALID, "status", "应为 draft 或 approved");
	if (!e && (e = plans_answer(c, &q, false, out)))
		e = svc_db_fail(c, e, "plans", ei);
	store_release(s->store, c);
	return e;
}

struct edit_arg {
	const struct actor *a;
	int64_t id;
	const struct svc_plan_item_in *items;
	int n;
	struct errinfo *ei;
};

static enum err edit_tx(struct store_conn *c, void *arg)
{
	struct edit_arg *ea = arg;
	struct db_life_plan p;
	struct db_life_pairing lp;
	enum err e = plan_access(c, ea->a, ea->id, true, &p, &lp, NULL, ea->ei);
	if (e)
		return e;
	if (ea->n < 1 || ea->n > SVC_LIFE_MAX_ITEMS)
		return errinfo_set(ea->ei, ERR_INVALID, "items", "应有 1 到 %d 项", SVC_LIFE_MAX_ITEMS);
	for (int i = 0; i < ea->n; i++) {
		if (strcmp(ea->items[i].side, "mentor") && strcmp(ea->items[i].side, "mentee"))
			return errinfo_set(ea->ei, ERR_INVALID, "items",
					   "第 %d 项: side 应为 mentor 或 mentee", i + 1);
		if (!ea->items[i].title[0] || !date_valid(ea->items[i].due))
			return errinfo_set(ea->ei, ERR_INVALID, "items",
					   "第 %d 项: 须有标题和截止日期", i + 1);
	}
	if (strcmp(p.status, "draft"))
		return errinfo_set(ea->ei, ERR_CONFLICT, "status",
				   "计划已审定,不能再改 (approved plans are not edited)");
	char now[M_TIME];
	svc_now(now);
	if ((e = db_life_items_clear(c, p.id)))
		return e;
	int sd = 0, st = 0;
	for (int i = 0; i < ea->n; i++) {
		const struct svc_plan_item_in *it = &ea->items[i];
		bool mentor = !strcmp(it->side, "mentor");
		if ((e = put_item(c, p.id, it->side, mentor ? &sd : &st, it->title, it->domain, it->due,
				  now)))
			return e;
	}
	if ((e = db_life_plan_touch(c, p.id, now)))
		return e;
	return svc_audit(c, ea->a, "edit", "plan", p.id, NULL, NULL, NULL);
}

enum err svc_plan_edit(struct service *s, const struct actor *a, int64_t id,
		       const struct svc_plan_item_in *items, int n, json_t **out,
		       struct errinfo *ei)
{
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "plan edit", ei);
	struct store_conn *c = store_acquire(s->store);
	struct edit_arg ea = {a, id, items, n, ei};
	enum err e = life_tx_answer(s, c, a, "plan edit", edit_tx, &ea, &id,
				    answer_plan, out, ei);
	store_release(s->store, c);
	return e;
}

struct approve_arg {
	const struct actor *a;
	int64_t id;
	struct errinfo *ei;
};

static enum err approve_tx(struct store_conn *c, void *arg)
{
	struct approve_arg *aa = arg;
	struct db_life_plan p;
	struct db_life_pairing lp;
	enum err e = plan_access(c, aa->a, aa->id, true, &p, &lp, NULL, aa->ei);
	if (e)
		return e;
	if (p.items == 0)
		return errinfo_set(aa->ei, ERR_UNPROCESSABLE, "items", "计划没有任何事项 (no items)");
	char now[M_TIME];
	svc_now(now);
	e = db_life_plan_approve(c, p.id, aa->a ? aa->a->user_id : 0, now);
	if (e == ERR_CONFLICT)
		return errinfo_set(aa->ei, ERR_CONFLICT, "status", "计划已审定 (approved already)");
	if (e)
		return e;
	return svc_audit(c, aa->a, "approve", "plan", p.id, NULL, NULL, NULL);
}

enum err svc_plan_approve(struct service *s, const struct actor *a, int64_t id, json_t **out,
			  struct errinfo *ei)
{
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "plan approve", ei);
	struct store_conn *c = store_acquire(s->store);
	struct approve_arg aa = {a, id, ei};
	enum err e = life_tx_answer(s, c, a, "plan approve", approve_tx, &aa, &id,
				    answer_plan, out, ei);
	store_release(s->store, c);
	return e;
}

enum err svc_plan_item_get(struct service *s, const struct actor *a, int64_t id, json_t **out,
			   struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	struct db_life_item it;
	struct db_life_plan p;
	struct db_life_pairing lp;
	enum err e = db_life_item_get(c, id, &it);
	if (e == ERR_NOT_FOUND)
		e = errinfo_set(ei, ERR_NOT_FOUND, NULL, "没有这个事项 (no such plan item)");
	else if (!e)
		e = plan_access(c, a, it.plan_id, false, &p, &lp, NULL, ei);
	e = life_finish(s, c, a, e, "plan item", ei);
	if (!e)
		*out = item_json(&it);
	store_release(s->store, c);
	return e;
}

struct item_arg {
	const struct actor *a;
	int64_t id;
	const struct svc_item_update *in;
	uint64_t present;
	struct db_life_item it;
	struct errinfo *ei;
};

static enum err item_tx(struct store_conn *c, void *arg)
{
	struct item_arg *ia = arg;
	enum err e = db_life_item_get(c, ia->id, &ia->it);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ia->ei, ERR_NOT_FOUND, NULL, "没有这个事项 (no such plan item)");
	if (e)
		return e;
	bool admin = !ia->a || role_is_admin(ia->a->role);
	struct db_life_plan p;
	struct db_life_pairing lp;
	const char *side = "";
	if ((e = plan_access(c, ia->a, ia->it.plan_id, admin, &p, &lp, &side, ia->ei)))
		return e;
	/* A member reports on its own list only. */
	if (!admin && strcmp(side, ia->it.side))
		return ERR_FORBIDDEN;
	if (!ia->present)
		return errinfo_set(ia->ei, ERR_INVALID, NULL, "没有要修改的内容 (nothing to change)");
	if (strcmp(p.status, "approved"))
		return errinfo_set(ia->ei, ERR_CONFLICT, "status",
				   "计划尚未审定 (the plan is not approved yet)");
	if (strcmp(lp.p.status, "active") && strcmp(lp.p.status, "ceremony"))
		return errinfo_set(ia->ei, ERR_CONFLICT, NULL, "帮带对子不在帮带中 (pairing is %s)",
				   lp.p.status);
	struct db_life_item it = ia->it;
	const struct svc_item_update *in = ia->in;
	if (given(&svc_item_update_spec, ia->present, "status")) {
		if (strcmp(in->status, "open") && strcmp(in->status, "done") &&
		    strcmp(in->status, "dropped"))
			return errinfo_set(ia->ei, ERR_INVALID, "status", "应为 open、done 或 dropped");
		if (!strcmp(in->status, "dropped") && !admin)
			return ERR_FORBIDDEN; /* only the office drops an item */
		snprintf(it.status, sizeof it.status, "%s", in->status);
	}
	if (given(&svc_item_update_spec, ia->present, "evidence"))
		snprintf(it.evidence, sizeof it.evidence, "%s", in->evidence);
	char now[M_TIME], today[M_TIME];
	svc_now(now);
	svc_today(today);
	if (!strcmp(it.status, "done")) {
		if (!it.evidence[0])
			return errinfo_set(ia->ei, ERR_UNPROCESSABLE, "evidence",
					   "完成须附佐证材料 (evidence is required)");
		if (given(&svc_item_update_spec, ia->present, "completed_on"))
			snprintf(it.completed_on, sizeof it.completed_on, "%s", in->completed_on);
		else if (!it.completed_on[0])
			snprintf(it.completed_on, sizeof it.completed_on, "%s", today);
		if (strcmp(it.completed_on, today) > 0)
			return errinfo_set(ia->ei, ERR_UNPROCESSABLE, "completed_on",
					   "完成日期不能晚于今天 (in the future)");
	} else {
		it.completed_on[0] = '\0';
	}
	snprintf(it.updated_at, sizeof it.updated_at, "%s", now);
	if ((e = db_life_item_update(c, &it)) || (e = db_life_plan_touch(c, p.id, now)))
		return e;
	ia->it = it;
	return svc_audit(c, ia->a, "report", "plan_item", it.id, NULL, NULL, NULL);
}

enum err svc_plan_item_update(struct service *s, const struct actor *a, int64_t id,
			      const struct svc_item_update *in, uint64_t present, json_t **out,
			      struct errinfo *ei)
{
	if (a && !role_is_admin(a->role) && a->role != ROLE_MENTOR && a->role != ROLE_MENTEE)
		return svc_deny(s, NULL, a, "plan item", ei);
	struct store_conn *c = store_acquire(s->store);
	struct item_arg ia = {.a = a, .id = id, .in = in, .present = present, .ei = ei};
	enum err e = life_finish(s, c, a, store_tx(c, item_tx, &ia), "plan item", ei);
	if (!e)
		*out = item_json(&ia.it);
	store_release(s->store, c);
	return e;
}

/* ---- activities -------------------------------------------------------------------- */

static json_t *activity_json(const struct db_life_activity *a)
{
	const char *tn = life_kind_name(life_activity_types, life_nactivity_types, a->type);
	json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:o, s:o, s:o,"
			      " s:s, s:s}",
			      "id", (json_int_t)a->id, "type", a->type, "type_name", tn ? tn : a->type,
			      "title", a->title, "date", a->date, "place", a->place, "participants",
			      a->participants, "summary", a->summary, "trained", a->trained, "region",
			      a->region_code, "project",
			      a->project_id ? json_integer(a->project_id) : json_null(), "pairings",
			      life_ids_json(a->pairings), "created_by",
			      a->created_by ? json_integer(a->created_by) : json_null(), "created_at",
			      a->created_at, "updated_at", a->updated_at);
	return j;
}

static enum err add_activity(void *arg, const void *row)
{
	json_array_append_new(arg, activity_json(row));
	return ERR_OK;
}

struct act_arg {
	const struct actor *a;
	int64_t id;
	const struct svc_activity *in;
	uint64_t present;
	struct errinfo *ei;
};

static bool type_known(const char *t)
{
	return life_kind_name(life_activity_types, life_nactivity_types, t) != NULL;
}

static enum err act_create_tx(struct store_conn *c, void *arg)
{
	struct act_arg *aa = arg;
	const struct svc_activity *in = aa->in;
	bool admin = !aa->a || role_is_admin(aa->a->role);
	enum err e;
	struct db_life_pairing first;
	memset(&first, 0, sizeof first);
	for (int i = 0; i < in->npairings; i++) {
		struct db_life_pairing lp;
		const char *side = "";
		e = life_pairing_access(c, aa->a, in->pairings[i], admin, &lp, &side, aa->ei);
		if (e == ERR_NOT_FOUND)
			return errinfo_set(aa->ei, ERR_UNPROCESSABLE, "pairings",
					   "没有帮带对子 %lld (no such pairing)",
					   (long long)in->pairings[i]);
		if (e)
			return e;
		if (!admin && strcmp(side, "mentor"))
			return ERR_FORBIDDEN; /* a mentor records its own pairings' activities */
		if (!strcmp(lp.p.status, "dissolved") || !strcmp(lp.p.status, "proposed"))
			return errinfo_set(aa->ei, ERR_CONFLICT, "pairings",
					   "帮带对子 %lld 未结对或已解除 (pairing is %s)",
					   (long long)lp.p.id, lp.p.status);
		if (i == 0)
			first = lp;
	}
	struct db_life_activity act;
	memset(&act, 0, sizeof act);
	if (in->region[0]) {
		struct region r;
		if ((e = svc_region_ref(c, in->region, "region", &r, aa->ei)))
			return e;
		if (admin && aa->a && !auth_writable(aa->a, r.path))
			return ERR_FORBIDDEN;
		if (!admin && strcmp(r.path, first.p.region_path))
			return errinfo_set(aa->ei, ERR_UNPROCESSABLE, "region",
					   "应为帮带对子所在地区 (the pairing's region)");
		act.region_id = r.id;
		snprintf(act.region_path, sizeof act.region_path, "%s", r.path);
	} else if (in->npairings) {
		act.region_id = first.p.region_id;
		snprintf(act.region_path, sizeof act.region_path, "%s", first.p.region_path);
	} else {
		return errinfo_set(aa->ei, ERR_INVALID, "region",
				   "无帮带对子时须指明地区 (region or pairings required)");
	}
	if (in->project && (e = life_check_project(c, aa->a, in->project, act.region_path, aa->ei)))
		return e;
	snprintf(act.type, sizeof act.type, "%s", in->type);
	snprintf(act.title, sizeof act.title, "%s", in->title);
	snprintf(act.date, sizeof act.date, "%s", in->date);
	snprintf(act.place, sizeof act.place, "%s", in->place);
	snprintf(act.participants, sizeof act.participants, "%s", in->participants);
	snprintf(act.summary, sizeof act.summary, "%s", in->summary);
	act.trained = in->trained;
	act.project_id = in->project;
	act.created_by = aa->a ? aa->a->user_id : 0;
	char now[M_TIME];
	svc_now(now);
	if ((e = db_life_activity_insert(c, &act, now)))
		return e;
	for (int i = 0; i < in->npairings; i++)
		if ((e = db_life_activity_link(c, act.id, in->pairings[i])))
			return e;
	aa->id = act.id;
	return svc_audit(c, aa->a, "create", "activity", act.id, NULL, NULL, NULL);
}

static enum err answer_activity(struct store_conn *c, int64_t id, json_t **out,
				struct errinfo *ei)
{
	struct db_life_activity act;
	enum err e = db_life_activity_get(c, id, &act);
	if (e)
		return svc_db_fail(c, e, "activity", ei);
	*out = activity_json(&act);
	return ERR_OK;
}

enum err svc_activity_create(struct service *s, const struct actor *a,
			     const struct svc_activity *in, json_t **out, struct errinfo *ei)
{
	if (a && !role_is_admin(a->role) && a->role != ROLE_MENTOR)
		return svc_deny(s, NULL, a, "activity create", ei);
	if (!type_known(in->type))
		return errinfo_set(ei, ERR_INVALID, "type", "未知的活动类型 (unknown activity type)");
	if (in->npairings < 0 || in->npairings > SVC_LIFE_MAX_PAIRINGS)
		return errinfo_set(ei, ERR_INVALID, "pairings", "最多 %d 个帮带对子",
				   SVC_LIFE_MAX_PAIRINGS);
	if (a && a->role == ROLE_MENTOR && in->npairings == 0)
		return errinfo_set(ei, ERR_INVALID, "pairings", "须指明帮带对子 (pairings required)");
	for (int i = 0; i < in->npairings; i++)
		for (int k = 0; k < i; k++)
			if (in->pairings[k] == in->pairings[i])
				return errinfo_set(ei, ERR_INVALID, "pairings", "重复的帮带对子 %lld",
						   (long long)in->pairings[i]);
	char today[M_TIME];
	svc_today(today);
	if (strcmp(in->date, today) > 0)
		return errinfo_set(ei, ERR_UNPROCESSABLE, "date", "活动日期不能晚于今天 (in the future)");
	struct store_conn *c = store_acquire(s->store);
	struct act_arg aa = {a, 0, in, 0, ei};
	enum err e = life_tx_answer(s, c, a, "activity create", act_create_tx, &aa, &aa.id,
				    answer_activity, out, ei);
	store_release(s->store, c);
	return e;
}

/* Load activity id; admins and auditors by region, a member when one of
 * its pairings is the member's (reads only). */
static enum err activity_access(struct store_conn *c, const struct actor *a, int64_t id,
				bool write, struct db_life_activity *act, struct errinfo *ei)
{
	enum err e = db_life_activity_get(c, id, act);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ei, ERR_NOT_FOUND, NULL, "没有这项活动 (no such activity)");
	if (e || !a)
		return e;
	if (role_is_admin(a->role) || a->role == ROLE_AUDITOR) {
		bool ok = write ? auth_writable(a, act->region_path)
				: auth_visible(a, act->region_path, NULL, 0);
		return ok ? ERR_OK : ERR_FORBIDDEN;
	}
	return ERR_FORBIDDEN;
}

enum err svc_activity_get(struct service *s, const struct actor *a, int64_t id, json_t **out,
			  struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	struct db_life_activity act;
	enum err e = life_finish(s, c, a, activity_access(c, a, id, false, &act, ei), "activity", ei);
	if (!e)
		*out = activity_json(&act);
	store_release(s->store, c);
	return e;
}

static enum err act_update_tx(struct store_conn *c, void *arg)
{
	struct act_arg *aa = arg;
	struct db_life_activity act;
	enum err e = activity_access(c, aa->a, aa->id, true, &act, aa->ei);
	if (e)
		return e;
	const struct svc_activity *in = aa->in;
	const struct field_spec *sp = &svc_activity_spec;
	if (!aa->present)
		return errinfo_set(aa->ei, ERR_INVALID, NULL, "没有要修改的内容 (nothing to change)");
	if (given(sp, aa->present, "region") && strcmp(in->region, act.region_code))
		return errinfo_set(aa->ei, ERR_UNPROCESSABLE, "region",
				   "活动的地区不能修改 (the region cannot change)");
	if (given(sp, aa->present, "type")) {
		if (!type_known(in->type))
			return errinfo_set(aa->ei, ERR_INVALID, "type", "未知的活动类型");
		snprintf(act.type, sizeof act.type, "%s", in->type);
	}
	if (given(sp, aa->present, "title"))
		snprintf(act.title, sizeof act.title, "%s", in->title);
	if (given(sp, aa->present, "date"))
		snprintf(act.date, sizeof act.date, "%s", in->date);
	if (given(sp, aa->present, "place"))
		snprintf(act.place, sizeof act.place, "%s", in->place);
	if (given(sp, aa->present, "participants"))
		snprintf(act.participants, sizeof act.participants, "%s", in->participants);
	if (given(sp, aa->present, "summary"))
		snprintf(act.summary, sizeof act.summary, "%s", in->summary);
	if (given(sp, aa->present, "trained"))
		act.trained = in->trained;
	if (given(sp, aa->present, "project")) {
		if (in->project &&
		    (e = life_check_project(c, aa->a, in->project, act.region_path, aa->ei)))
			return e;
		act.project_id = in->project;
	}
	char now[M_TIME], today[M_TIME];
	svc_now(now);
	svc_today(today);
	if (strcmp(act.date, today) > 0)
		return errinfo_set(aa->ei, ERR_UNPROCESSABLE, "date", "活动日期不能晚于今天 (in the future)");
	if ((e = db_life_activity_update(c, &act, now)))
		return e;
	return svc_audit(c, aa->a, "update", "activity", act.id, NULL, NULL, NULL);
}

enum err svc_activity_update(struct service *s, const struct actor *a, int64_t id,
			     const struct svc_activity *in, uint64_t present, json_t **out,
			     struct errinfo *ei)
{
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "activity update", ei);
	struct store_conn *c = store_acquire(s->store);
	struct act_arg aa = {a, id, in, present, ei};
	enum err e = life_tx_answer(s, c, a, "activity update", act_update_tx, &aa, &id,
				    answer_activity, out, ei);
	store_release(s->store, c);
	return e;
}

static enum err check_range(const struct svc_life_range *r, struct errinfo *ei)
{
	if (r && r->from[0] && !date_valid(r->from))
		return errinfo_set(ei, ERR_INVALID, "from", "日期格式应为 YYYY-MM-DD");
	if (r && r->to[0] && !date_valid(r->to))
		return errinfo_set(ei, ERR_INVALID, "to", "日期格式应为 YYYY-MM-DD");
	return ERR_OK;
}

/* {items, total, limit, offset} of a paged list. */
static json_t *page_json(json_t *items, int64_t total, const struct db_life_q *q)
{
	return json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total, "limit",
			 q->limit, "offset", q->offset);
}

enum err svc_activity_list(struct service *s, const struct actor *a,
			   const struct svc_list_args *la, const struct svc_life_range *r,
			   json_t **out, struct errinfo *ei)
{
	enum err e = check_range(r, ei);
	if (e)
		return e;
	if (la->kind[0] && !type_known(la->kind))
		return errinfo_set(ei, ERR_INVALID, "kind", "未知的活动类型 (unknown activity type)");
	struct store_conn *c = store_acquire(s->store);
	struct db_life_q q;
	if (!(e = life_scope(s, c, a, la, r, &q, ei))) {
		json_t *items = json_array();
		int64_t total = 0;
		if ((e = db_life_activity_list(c, &q, add_activity, items, &total))) {
			json_decref(items);
			e = svc_db_fail(c, e, "activities", ei);
		} else {
			*out = page_json(items, total, &q);
		}
	}
	store_release(s->store, c);
	return e;
}

/* A pairing's rows of one kind, after the pairing's read check. */
typedef enum err (*pairing_rows_fn)(struct store_conn *c, const struct db_life_q *q,
				    db_row_fn fn, void *arg, int64_t *total);

static enum err pairing_rows(struct service *s, const struct actor *a, int64_t pairing_id,
			     pairing_rows_fn list, db_row_fn add, const char *what, json_t **out,
			     struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	struct db_life_pairing lp;
	enum err e = life_finish(s, c, a, life_pairing_access(c, a, pairing_id, false, &lp, NULL, ei),
				 what, ei);
	if (!e) {
		struct db_life_q q;
		whole_range(&q);
		q.pairing_id = pairing_id;
		json_t *items = json_array();
		int64_t total = 0;
		if ((e = list(c, &q, add, items, &total))) {
			json_decref(items);
			e = svc_db_fail(c, e, what, ei);
		} else {
			*out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total);
		}
	}
	store_release(s->store, c);
	return e;
}

enum err svc_pairing_activities(struct service *s, const struct actor *a, int64_t pairing_id,
				json_t **out, struct errinfo *ei)
{
	return pairing_rows(s, a, pairing_id, db_life_activity_list, add_activity,
			    "pairing activities", out, ei);
}

/* ---- work logs ---------------------------------------------------------------------------- */

static json_t *log_json(const struct db_life_log *l)
{
	char code[M_CODE];
	life_path_code(l->region_path, code);
	return json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
			 (json_int_t)l->id, "pairing", (json_int_t)l->pairing_id, "side", l->side,
			 "author", (json_int_t)l->person_id, "author_name", l->author, "date",
			 l->date, "content", l->content, "region", code, "created_at", l->created_at,
			 "updated_at", l->updated_at);
}

static enum err add_log(void *arg, const void *row)
{
	json_array_append_new(arg, log_json(row));
	return ERR_OK;
}

struct log_arg {
	const struct actor *a;
	int64_t id;
	const struct svc_log *in;
	uint64_t present; /* of the request's fields */
	struct db_life_log log;
	struct errinfo *ei;
};

static enum err log_create_tx(struct store_conn *c, void *arg)
{
	struct log_arg *la = arg;
	struct db_life_pairing lp;
	const char *side = "";
	enum err e = life_pairing_access(c, la->a, la->id, false, &lp, &side, la->ei);
	if (e)
		return e;
	if (!side[0])
		return ERR_FORBIDDEN; /* logs are the members' own */
	if ((e = required(&svc_log_spec, la->present, la->ei)))
		return e;
	if (!strcmp(lp.p.status, "proposed") || !strcmp(lp.p.status, "completed") ||
	    !strcmp(lp.p.status, "dissolved"))
		return errinfo_set(la->ei, ERR_CONFLICT, NULL, "帮带对子不在帮带中 (pairing is %s)",
				   lp.p.status);
	char now[M_TIME], today[M_TIME];
	svc_now(now);
	svc_today(today);
	struct db_life_log *l = &la->log;
	memset(l, 0, sizeof *l);
	l->pairing_id = lp.p.id;
	snprintf(l->side, sizeof l->side, "%s", side);
	l->person_id = !strcmp(side, "mentor") ? la->a->mentor_id : la->a->mentee_id;
	l->user_id = la->a->user_id;
	snprintf(l->date, sizeof l->date, "%s", la->in->date[0] ? la->in->date : today);
	if (strcmp(l->date, today) > 0)
		return errinfo_set(la->ei, ERR_UNPROCESSABLE, "date", "日志日期不能晚于今天 (in the future)");
	snprintf(l->content, sizeof l->content, "%s", la->in->content);
	snprintf(l->region_path, sizeof l->region_path, "%s", lp.p.region_path);
	if ((e = db_life_log_insert(c, l, now)))
		return e;
	if ((e = db_life_log_get(c, l->id, l)))
		return e;
	return svc_audit(c, la->a, "create", "work_log", l->id, NULL, NULL, NULL);
}

enum err svc_log_create(struct service *s, const struct actor *a, int64_t pairing_id,
			const struct svc_log *in, uint64_t present, json_t **out,
			struct errinfo *ei)
{
	if (!a || (a->role != ROLE_MENTOR && a->role != ROLE_MENTEE))
		return a ? svc_deny(s, NULL, a, "log create", ei)
			 : errinfo_set(ei, ERR_INVALID, NULL, "日志由导师或帮带对象本人填写");
	struct store_conn *c = store_acquire(s->store);
	struct log_arg la = {.a = a, .id = pairing_id, .in = in, .present = present, .ei = ei};
	enum err e = life_finish(s, c, a, store_tx(c, log_create_tx, &la), "log create", ei);
	if (!e)
		*out = log_json(&la.log);
	store_release(s->store, c);
	return e;
}

static enum err log_update_tx(struct store_conn *c, void *arg)
{
	struct log_arg *la = arg;
	struct db_life_log *l = &la->log;
	enum err e = db_life_log_get(c, la->id, l);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(la->ei, ERR_NOT_FOUND, NULL, "没有这条日志 (no such log)");
	if (e)
		return e;
	int64_t own = !strcmp(l->side, "mentor") ? la->a->mentor_id : la->a->mentee_id;
	const char *role_side = la->a->role == ROLE_MENTOR ? "mentor" : "mentee";
	if (strcmp(l->side, role_side) || !own || own != l->person_id)
		return ERR_FORBIDDEN; /* the author only */
	if (!la->present)
		return errinfo_set(la->ei, ERR_INVALID, NULL, "没有要修改的内容 (nothing to change)");
	struct life_settings ls;
	if ((e = life_settings_load(c, &ls)))
		return e;
	char now[M_TIME], today[M_TIME], written[M_TIME];
	svc_now(now);
	svc_today(today);
	snprintf(written, sizeof written, "%.10s", l->created_at);
	long dt, dw;
	if (life_days(today, &dt) && life_days(written, &dw) && dt - dw > ls.log_edit_days)
		return errinfo_set(la->ei, ERR_CONFLICT, NULL,
				   "日志写成已超过 %d 天,不能再改 (editable for %d days)",
				   ls.log_edit_days, ls.log_edit_days);
	if (given(&svc_log_spec, la->present, "date"))
		snprintf(l->date, sizeof l->date, "%s", la->in->date);
	if (given(&svc_log_spec, la->present, "content"))
		snprintf(l->content, sizeof l->content, "%s", la->in->content);
	if (strcmp(l->date, today) > 0)
		return errinfo_set(la->ei, ERR_UNPROCESSABLE, "date", "日志日期不能晚于今天 (in the future)");
	if ((e = db_life_log_update(c, l->id, l->date, l->content, now)) ||
	    (e = db_life_log_get(c, l->id, l)))
		return e;
	return svc_audit(c, la->a, "update", "work_log", l->id, NULL, NULL, NULL);
}

enum err svc_log_update(struct service *s, const struct actor *a, int64_t id,
			const struct svc_log *in, uint64_t present, json_t **out,
			struct errinfo *ei)
{
	if (!a || (a->role != ROLE_MENTOR && a->role != ROLE_MENTEE))
		return a ? svc_deny(s, NULL, a, "log update", ei)
			 : errinfo_set(ei, ERR_INVALID, NULL, "日志由作者本人修改");
	struct store_conn *c = store_acquire(s->store);
	struct log_arg la = {.a = a, .id = id, .in = in, .present = present, .ei = ei};
	enum err e = life_finish(s, c, a, store_tx(c, log_update_tx, &la), "log update", ei);
	if (!e)
		*out = log_json(&la.log);
	store_release(s->store, c);
	return e;
}

enum err svc_log_list(struct service *s, const struct actor *a, const struct svc_list_args *la,
		      const struct svc_life_range *r, json_t **out, struct errinfo *ei)
{
	enum err e = check_range(r, ei);
	if (e)
		return e;
	struct store_conn *c = store_acquire(s->store);
	struct db_life_q q;
	if (!(e = life_scope(s, c, a, la, r, &q, ei))) {
		json_t *items = json_array();
		int64_t total = 0;
		if ((e = db_life_log_list(c, &q, add_log, items, &total))) {
			json_decref(items);
			e = svc_db_fail(c, e, "logs", ei);
		} else {
			*out = page_json(items, total, &q);
		}
	}
	store_release(s->store, c);
	return e;
}

enum err svc_pairing_logs(struct service *s, const struct actor *a, int64_t pairing_id,
			  json_t **out, struct errinfo *ei)
{
	return pairing_rows(s, a, pairing_id, db_life_log_list, add_log, "pairing logs", out, ei);
}

/* ---- evaluations -------------------------------------------------------------------------- */

static json_t *eval_json(const struct db_life_eval *v, const struct life_settings *ls)
{
	char code[M_CODE];
	life_path_code(v->region_path, code);
	const char *kn = life_kind_name(life_eval_kinds, life_neval_kinds, v->kind);
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:o, s:s}", "id",
			 (json_int_t)v->id, "pairing", (json_int_t)v->pairing_id, "kind", v->kind,
			 "kind_name", kn ? kn : v->kind, "period", v->period, "date", v->date,
			 "score", v->score, "grade", v->grade, "grade_name",
			 ls ? life_grade_name(ls, v->grade) : v->grade, "comment", v->comment,
			 "region", code, "user", v->user_id ? json_integer(v->user_id) : json_null(),
			 "created_at", v->created_at);
}

struct evals_out {
	json_t *items;
	const struct life_settings *ls;
};

static enum err add_eval(void *arg, const void *row)
{
	struct evals_out *eo = arg;
	json_array_append_new(eo->items, eval_json(row, eo->ls));
	return ERR_OK;
}

static bool two_digits(const char *s, int lo, int hi)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[2])
		return false;
	int v = (s[0] - '0') * 10 + (s[1] - '0');
	return v >= lo && v <= hi;
}

/* The period format of each kind of evaluation. */
static bool period_valid(const char *kind, const char *p)
{
	size_t n = strlen(p);
	for (int i = 0; i < 4; i++)
		if (n < 4 || p[i] < '0' || p[i] > '9')
			return false;
	if (!strcmp(kind, "yearly"))
		return n == 4;
	if (n < 5 || p[4] != '-')
		return false;
	if (!strcmp(kind, "monthly"))
		return two_digits(p + 5, 1, 12);
	if (!strcmp(kind, "quarterly"))
		return n == 7 && p[5] == 'Q' && p[6] >= '1' && p[6] <= '4';
	if (!strcmp(kind, "half_year"))
		return n == 7 && p[5] == 'H' && (p[6] == '1' || p[6] == '2');
	return false;
}

struct eval_arg {
	const struct actor *a;
	int64_t id;
	const struct svc_eval *in;
	uint64_t present;
	struct db_life_eval ev;
	struct life_settings ls;
	struct errinfo *ei;
};

static enum err eval_tx(struct store_conn *c, void *arg)
{
	struct eval_arg *ea = arg;
	struct db_life_pairing lp;
	enum err e = life_pairing_access(c, ea->a, ea->id, true, &lp, NULL, ea->ei);
	if (e)
		return e;
	const struct svc_eval *in = ea->in;
	if ((e = required(&svc_eval_spec, ea->present, ea->ei)))
		return e;
	if (!life_kind_name(life_eval_kinds, life_neval_kinds, in->kind))
		return errinfo_set(ea->ei, ERR_INVALID, "kind",
				   "应为 monthly、quarterly、half_year 或 yearly");
	if (!period_valid(in->kind, in->period))
		return errinfo_set(ea->ei, ERR_INVALID, "period",
				   "格式应为 2026-03、2026-Q1、2026-H1 或 2026 (by kind)");
	if (strcmp(lp.p.status, "active") && strcmp(lp.p.status, "completed"))
		return errinfo_set(ea->ei, ERR_CONFLICT, NULL,
				   "只考评帮带中或已结业的对子 (pairing is %s)", lp.p.status);
	if ((e = life_settings_load(c, &ea->ls)))
		return e;
	if (in->grade[0] && !life_grade_known(&ea->ls, in->grade))
		return errinfo_set(ea->ei, ERR_UNPROCESSABLE, "grade", "未配置的等次 (unknown grade)");
	char now[M_TIME], today[M_TIME];
	svc_now(now);
	svc_today(today);
	struct db_life_eval *v = &ea->ev;
	memset(v, 0, sizeof *v);
	v->pairing_id = lp.p.id;
	snprintf(v->kind, sizeof v->kind, "%s", in->kind);
	snprintf(v->period, sizeof v->period, "%s", in->period);
	snprintf(v->date, sizeof v->date, "%s", in->date[0] ? in->date : today);
	if (strcmp(v->date, today) > 0)
		return errinfo_set(ea->ei, ERR_UNPROCESSABLE, "date", "考评日期不能晚于今天 (in the future)");
	v->score = in->score;
	snprintf(v->grade, sizeof v->grade, "%s",
		 in->grade[0] ? in->grade : life_grade_of(&ea->ls, in->score));
	snprintf(v->comment, sizeof v->comment, "%s", in->comment);
	v->user_id = ea->a ? ea->a->user_id : 0;
	snprintf(v->region_path, sizeof v->region_path, "%s", lp.p.region_path);
	snprintf(v->created_at, sizeof v->created_at, "%s", now);
	/* One per kind and period (the unique key says so). */
	e = db_life_eval_insert(c, v);
	if (e == ERR_CONFLICT)
		return errinfo_set(ea->ei, ERR_CONFLICT, "period", "该期已考评 (evaluated already: %s %s)",
				   in->kind, in->period);
	if (e)
		return e;
	return svc_audit(c, ea->a, "create", "evaluation", v->id, NULL, NULL, NULL);
}

enum err svc_eval_create(struct service *s, const struct actor *a, int64_t pairing_id,
			 const struct svc_eval *in, uint64_t present, json_t **out,
			 struct errinfo *ei)
{
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "evaluation create", ei);
	if (in->score < 0 || in->score > 100)
		return errinfo_set(ei, ERR_INVALID, "score", "应在 0 到 100 之间");
	struct store_conn *c = store_acquire(s->store);
	struct eval_arg ea = {.a = a, .id = pairing_id, .in = in, .present = present, .ei = ei};
	enum err e = life_finish(s, c, a, store_tx(c, eval_tx, &ea), "evaluation create", ei);
	if (!e)
		*out = eval_json(&ea.ev, &ea.ls);
	store_release(s->store, c);
	return e;
}

enum err svc_eval_list(struct service *s, const struct actor *a, const struct svc_list_args *la,
		       const struct svc_life_range *r, json_t **out, struct errinfo *ei)
{
	enum err e = check_range(r, ei);
	if (e)
		return e;
	if (la->kind[0] && !life_kind_name(life_eval_kinds, life_neval_kinds, la->kind))
		return errinfo_set(ei, ERR_INVALID, "kind", "应为 monthly、quarterly、half_year 或 yearly");
	struct store_conn *c = store_acquire(s->store);
	struct db_life_q q;
	struct life_settings ls;
	if (!(e = life_scope(s, c, a, la, r, &q, ei))) {
		struct evals_out eo = {json_array(), &ls};
		int64_t total = 0;
		if ((e = life_settings_load(c, &ls)) ||
		    (e = db_life_eval_list(c, &q, add_eval, &eo, &total))) {
			json_decref(eo.items);
			e = svc_db_fail(c, e, "evaluations", ei);
		} else {
			*out = page_json(eo.items, total, &q);
		}
	}
	store_release(s->store, c);
	return e;
}

enum err svc_pairing_evals(struct service *s, const struct actor *a, int64_t pairing_id,
			   json_t **out, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	struct db_life_pairing lp;
	struct life_settings ls;
	enum err e = life_finish(s, c, a, life_pairing_access(c, a, pairing_id, false, &lp, NULL, ei),
				 "pairing evaluations", ei);
	if (!e) {
		struct db_life_q q;
		whole_range(&q);
		q.pairing_id = pairing_id;
		struct evals_out eo = {json_array(), &ls};
		int64_t total = 0;
		if ((e = life_settings_load(c, &ls)) ||
		    (e = db_life_eval_list(c, &q, add_eval, &eo, &total))) {
			json_decref(eo.items);
			e = svc_db_fail(c, e, "pairing evaluations", ei);
		} else {
			*out = json_pack("{s:o, s:I}", "items", eo.items, "total", (json_int_t)total);
		}
	}
	store_release(s->store, c);
	return e;
}
