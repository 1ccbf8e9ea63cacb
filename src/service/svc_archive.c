/*
 * svc_archive.c — what is printed and what is handed on (SPEC §5, §7): the
 * growth archive 一人一册 of a mentee (JSON, HTML, PDF), the appointment
 * letter 聘书 of a mentor and the pairing agreement 结对协议书 (PDF),
 * graduation 徒成师 (a mentee nominated into the mentor library) and the
 * lineage of who trained whom. Layer: service.
 *
 * The archive is assembled once as JSON (svc_archive) and the HTML page
 * and the PDF are drawn from that JSON, so the three always agree. No
 * phone or ID number is printed. Documents carry the day they were made,
 * nothing finer, so the same data gives the same bytes on one day.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "service/life.h"
#include "service/pdf.h"

#define NF(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct field graduate_fields[] = {
	FIELD(svc_graduate, tier, "tier", F_STR, 0, 0, 0),
	FIELD(svc_graduate, source, "source", F_STR, F_CODE, 0, 0),
	FIELD(svc_graduate, team_type, "team_type", F_STR, 0, 0, 0),
	FIELD(svc_graduate, domains, "domains", F_TAGS, 0, 0, LIMIT_TAGS),
	FIELD(svc_graduate, capacity, "capacity", F_INT, 0, 1, LIMIT_CAPACITY),
};
const struct field_spec svc_graduate_spec = {"graduate", graduate_fields, NF(graduate_fields)};

/* ---- small helpers ------------------------------------------------------------------- */

static const char *js(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : "";
}

static json_int_t ji(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

struct vocab_names {
	struct vocab v[128];
	int n;
};

static enum err add_vocab(void *arg, const void *row)
{
	struct vocab_names *vn = arg;
	if (vn->n < NF(vn->v))
		vn->v[vn->n++] = *(const struct vocab *)row;
	return ERR_OK;
}

static const char *vocab_name(const struct vocab_names *vn, const char *kind, const char *code)
{
	for (int i = 0; i < vn->n; i++)
		if (!strcmp(vn->v[i].kind, kind) && !strcmp(vn->v[i].code, code))
			return vn->v[i].name;
	return code;
}

/* Tags ",a,b," as [{code, name}]. */
static json_t *tags_json(const struct vocab_names *vn, const char *kind, const char *tags)
{
	json_t *a = json_array();
	const char *p = tags;
	while (*p) {
		if (*p == ',') {
			p++;
			continue;
		}
		size_t n = strcspn(p, ",");
		char code[M_CODE];
		snprintf(code, sizeof code, "%.*s", (int)(n < sizeof code ? n : sizeof code - 1), p);
		p += n;
		json_array_append_new(a, json_pack("{s:s, s:s}", "code", code, "name",
						   vocab_name(vn, kind, code)));
	}
	return a;
}

static const char *status_zh(const char *s)
{
	static const struct {
		const char *code, *zh;
	} map[] = {{"proposed", "待确认"},   {"confirmed", "双方已确认"}, {"ceremony", "已举行结对仪式"},
		   {"active", "帮带中"},     {"completed", "已结业"},     {"dissolved", "已解除"},
		   {"draft", "草拟"},        {"approved", "已审定"},      {"open", "未完成"},
		   {"done", "已完成"},       {"dropped", "已取消"},       {"nominated", "乡镇推选"},
		   {"shortlisted", "县遴初选"}, {"filed", "市级备案"},     {"paused", "暂停"},
		   {"retired", "退出"},       {"rejected", "未通过"},      {"graduated", "已徒成师"}};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(map[i].code, s))
			return map[i].zh;
	return s;
}

static const char *tier_zh(const char *t)
{
	return !strcmp(t, "city") ? "市级" : !strcmp(t, "county") ? "县级" : "乡级";
}

/* ---- the archive as JSON ------------------------------------------------------------- */

struct rows {
	json_t *items;
};

static enum err put_activity(void *arg, const void *row)
{
	const struct db_life_activity *a = row;
	const char *tn = life_kind_name(life_activity_types, life_nactivity_types, a->type);
	json_array_append_new(arg, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i}", "id",
					     (json_int_t)a->id, "date", a->date, "type", a->type,
					     "type_name", tn ? tn : a->type, "title", a->title,
					     "place", a->place, "trained", a->trained));
	json_object_set_new(json_array_get(arg, json_array_size(arg) - 1), "summary",
			    json_string(a->summary));
	return ERR_OK;
}

static enum err put_log(void *arg, const void *row)
{
	const struct db_life_log *l = row;
	json_array_append_new(arg, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)l->id,
					     "date", l->date, "side", l->side, "author", l->author,
					     "content", l->content));
	return ERR_OK;
}

struct eval_rows {
	json_t *items;
	const struct life_settings *ls;
};

static enum err put_eval(void *arg, const void *row)
{
	const struct db_life_eval *v = row;
	struct eval_rows *er = arg;
	const char *kn = life_kind_name(life_eval_kinds, life_neval_kinds, v->kind);
	json_array_append_new(er->items,
			      json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:s}", "date", v->date,
					"kind", v->kind, "kind_name", kn ? kn : v->kind, "period",
					v->period, "score", v->score, "grade_name",
					life_grade_name(er->ls, v->grade), "comment", v->comment));
	return ERR_OK;
}

static enum err put_item(void *arg, const void *row)
{
	const struct db_life_item *it = row;
	json_array_append_new(arg, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "side", it->side,
					     "title", it->title, "due", it->due_date, "status",
					     it->status, "evidence", it->evidence, "completed_on",
					     life_str(it->completed_on)));
	return ERR_OK;
}

static enum err put_plan(void *arg, const void *row)
{
	const struct db_life_plan *p = row;
	json_array_append_new(arg, json_pack("{s:I, s:i, s:s}", "id", (json_int_t)p->id, "year",
					     p->year, "status", p->status));
	return ERR_OK;
}

static enum err put_star(void *arg, const void *row)
{
	const struct org_star *s = row;
	json_array_append_new(arg, json_pack("{s:i, s:s, s:s}", "stars", s->stars, "rated_on",
					     s->rated_on, "note", s->note));
	return ERR_OK;
}

static enum err put_membership(void *arg, const void *row)
{
	const struct db_life_membership *m = row;
	json_array_append_new(arg, json_pack("{s:I}", "id", (json_int_t)m->pairing_id));
	return ERR_OK;
}

struct member_rows {
	struct store_conn *c;
	json_t *mentors;
	json_t *mentees;
};

static enum err put_member(void *arg, const void *row)
{
	const struct db_life_member *m = row;
	struct member_rows *mr = arg;
	json_t *j = json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)m->person_id, "name", m->name,
			      "since", m->since, "until", life_str(m->until));
	if (!strcmp(m->side, "mentor"))
		json_array_append_new(mr->mentors, j);
	else
		json_array_append_new(mr->mentees, j);
	return ERR_OK;
}

/* One pairing of the archive with everything it holds. */
static enum err archive_pairing(struct store_conn *c, int64_t id, const struct life_settings *ls,
				json_t **out)
{
	struct db_life_pairing lp;
	enum err e = db_life_pairing_get(c, id, &lp);
	if (e)
		return e;
	struct member_rows mr = {c, json_array(), json_array()};
	json_t *plans = json_array(), *acts = json_array(), *logs = json_array();
	struct eval_rows er = {json_array(), ls};
	json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
			      " s:o, s:o}",
			      "id", (json_int_t)id, "mode", lp.p.mode, "status", lp.p.status,
			      "status_name", status_zh(lp.p.status), "region", lp.p.region_code,
			      "start_date", life_str(lp.p.start_date), "end_date",
			      life_str(lp.p.end_date), "ceremony_date", life_str(lp.ceremony_date),
			      "ceremony_place", life_str(lp.ceremony_place), "letter_no",
			      life_str(lp.letter_no), "mentors", mr.mentors, "mentees", mr.mentees,
			      "plans", plans, "activities", acts, "logs", logs);
	json_object_set_new(j, "evaluations", er.items);
	struct db_life_q q;
	memset(&q, 0, sizeof q);
	snprintf(q.lo, sizeof q.lo, "/");
	snprintf(q.hi, sizeof q.hi, "0");
	q.pairing_id = id;
	int64_t total;
	if ((e = db_life_members(c, id, put_member, &mr)) ||
	    (e = db_life_plan_list(c, &q, put_plan, plans, &total)) ||
	    (e = db_life_activity_list(c, &q, put_activity, acts, &total)) ||
	    (e = db_life_log_list(c, &q, put_log, logs, &total)) ||
	    (e = db_life_eval_list(c, &q, put_eval, &er, &total))) {
		json_decref(j);
		return e;
	}
	/* The mentors' posts, and each plan's items. */
	size_t i;
	json_t *m;
	json_array_foreach(mr.mentors, i, m) {
		struct mentor mt;
		if (db_mentor_get(c, ji(m, "id"), &mt) == ERR_OK) {
			json_object_set_new(m, "post", json_string(mt.post));
			json_object_set_new(m, "region_name", json_string(mt.region_name));
		}
	}
	json_array_foreach(plans, i, m) {
		json_t *items = json_array();
		if ((e = db_life_items(c, ji(m, "id"), put_item, items))) {
			json_decref(items);
			json_decref(j);
			return e;
		}
		json_object_set_new(m, "items", items);
	}
	*out = j;
	return ERR_OK;
}

/* The mentee `id` as the caller may see it: ERR_FORBIDDEN (not
 * audited), ERR_NOT_FOUND (ei). */
static enum err mentee_access(struct store_conn *c, const struct actor *a, int64_t id,
			      struct mentee *me, struct errinfo *ei)
{
	enum err e = db_mentee_get(c, id, me);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ei, ERR_NOT_FOUND, NULL, "没有这位帮带对象 (no such mentee)");
	if (e || !a)
		return e;
	return auth_visible(a, me->region_path, "mentee", me->id) ? ERR_OK : ERR_FORBIDDEN;
}

static enum err archive_build(struct store_conn *c, const struct mentee *me, json_t **out)
{
	struct vocab_names vn;
	vn.n = 0;
	struct life_settings ls;
	enum err e;
	if ((e = db_vocab_list(c, "", add_vocab, &vn)) || (e = life_settings_load(c, &ls)))
		return e;
	char today[M_TIME];
	svc_today(today);
	json_t *profile = json_pack(
		"{s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s}", "id",
		(json_int_t)me->id, "kind", me->kind, "name", me->name, "gender", me->gender,
		"birth_year", me->birth_year ? json_integer(me->birth_year) : json_null(), "region",
		me->region_code, "region_name", me->region_name, "category", me->category,
		"category_name", me->category[0] ? vocab_name(&vn, "category", me->category) : "",
		"post", me->post, "weaknesses", tags_json(&vn, "domain", me->weaknesses),
		"talent_team", me->talent_team[0] ? vocab_name(&vn, "talent_team", me->talent_team) : "",
		"status", me->status, "status_name", status_zh(me->status));
	json_t *root = json_pack("{s:s, s:o}", "generated_on", today, "mentee", profile);
	if (me->org_id) {
		struct organisation o;
		json_t *stars = json_array();
		if ((e = db_org_get(c, me->org_id, &o)) ||
		    (e = db_org_stars(c, me->org_id, put_star, stars))) {
			json_decref(stars);
			json_decref(root);
			return e;
		}
		json_object_set_new(root, "organisation",
				    json_pack("{s:I, s:s, s:i, s:b, s:b, s:b, s:b, s:b, s:b, s:o}",
					      "id", (json_int_t)o.id, "name", o.name, "stars", o.stars,
					      "weak_lax", o.weak_lax, "lagging", o.lagging,
					      "demonstration", o.demonstration, "weak_economy",
					      o.weak_economy, "was_weak_lax", o.was_weak_lax,
					      "was_lagging", o.was_lagging, "star_history", stars));
	}
	json_t *ids = json_array(), *pairings = json_array();
	json_object_set_new(root, "pairings", pairings);
	if ((e = db_life_memberships(c, "mentee", me->id, put_membership, ids))) {
		json_decref(ids);
		json_decref(root);
		return e;
	}
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v) {
		json_t *p = NULL;
		if ((e = archive_pairing(c, ji(v, "id"), &ls, &p))) {
			json_decref(ids);
			json_decref(root);
			return e;
		}
		json_array_append_new(pairings, p);
	}
	json_decref(ids);
	*out = root;
	return ERR_OK;
}

enum err svc_archive(struct service *s, const struct actor *a, int64_t mentee_id, json_t **out,
		     struct errinfo *ei)
{
	if (a && a->role == ROLE_MENTOR)
		return svc_deny(s, NULL, a, "archive", ei);
	struct store_conn *c = store_acquire(s->store);
	struct mentee me;
	enum err e = life_finish(s, c, a, mentee_access(c, a, mentee_id, &me, ei), "archive", ei);
	if (!e && (e = archive_build(c, &me, out)))
		e = svc_db_fail(c, e, "archive", ei);
	store_release(s->store, c);
	return e;
}

/* ---- the archive as HTML ------------------------------------------------------------- */

static void esc(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_putc(b, *s);
		}
	}
}

static void tag(struct buf *b, const char *t, const char *text)
{
	buf_printf(b, "<%s>", t);
	esc(b, text);
	buf_printf(b, "</%s>\n", t);
}

static void kv_row(struct buf *b, const char *k, const char *v)
{
	buf_puts(b, "<tr><th>");
	esc(b, k);
	buf_puts(b, "</th><td>");
	esc(b, v);
	buf_puts(b, "</td></tr>\n");
}

/* The words of the archive, shared by HTML and PDF. */
#define T_TITLE "一人一册 · 成长档案"
#define T_PROFILE "基本情况"
#define T_ORG "党组织星级评定"
#define T_PAIRINGS "帮带对子与导师"
#define T_PLANS "年度帮带培养计划"
#define T_ACTIVITIES "帮带活动"
#define T_LOGS "工作日志"
#define T_EVALS "考评记录"

/* "一、基本情况": sections are numbered as they come (an organisation's
 * star history only appears for organisation mentees). */
static const char *numbered(int *n, const char *title, char *out, size_t size)
{
	static const char *const zh[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
	int i = (*n)++;
	snprintf(out, size, "%s、%s", zh[i < 10 ? i : 9], title);
	return out;
}

static void names_of(json_t *arr, char *out, size_t n)
{
	size_t o = 0;
	out[0] = '\0';
	size_t i;
	json_t *m;
	json_array_foreach(arr, i, m) {
		int w = snprintf(out + o, n - o, "%s%s%s", o ? "、" : "", js(m, "name"),
				 json_is_string(json_object_get(m, "until")) ? "(已替换)" : "");
		if (w < 0 || o + (size_t)w >= n)
			break;
		o += (size_t)w;
	}
}

static void weak_text(json_t *mentee, char *out, size_t n)
{
	size_t o = 0;
	out[0] = '\0';
	size_t i;
	json_t *w;
	json_array_foreach(json_object_get(mentee, "weaknesses"), i, w) {
		int k = snprintf(out + o, n - o, "%s%s", o ? "、" : "", js(w, "name"));
		if (k < 0 || o + (size_t)k >= n)
			break;
		o += (size_t)k;
	}
}

static enum err archive_html(json_t *ar, struct buf *b)
{
	json_t *me = json_object_get(ar, "mentee");
	char tmp[1024];
	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n<title>");
	esc(b, js(me, "name"));
	buf_puts(b, " " T_TITLE "</title>\n<link rel=\"stylesheet\" href=\"/style.css\"></head>\n"
		    "<body class=\"archive\">\n");
	snprintf(tmp, sizeof tmp, "%s %s", js(me, "name"), T_TITLE);
	tag(b, "h1", tmp);
	snprintf(tmp, sizeof tmp, "%s · 生成日期 %s", js(me, "region_name"), js(ar, "generated_on"));
	tag(b, "p", tmp);
	int sec = 0;
	char head[128];
	tag(b, "h2", numbered(&sec, T_PROFILE, head, sizeof head));
	buf_puts(b, "<table>\n");
	kv_row(b, "姓名", js(me, "name"));
	kv_row(b, "类别", !strcmp(js(me, "kind"), "org") ? "组织" : js(me, "category_name"));
	kv_row(b, "性别", js(me, "gender"));
	if (json_is_integer(json_object_get(me, "birth_year"))) {
		snprintf(tmp, sizeof tmp, "%lld", (long long)ji(me, "birth_year"));
		kv_row(b, "出生年份", tmp);
	}
	kv_row(b, "所在地", js(me, "region_name"));
	kv_row(b, "职务", js(me, "post"));
	weak_text(me, tmp, sizeof tmp);
	kv_row(b, "短板弱项", tmp);
	kv_row(b, "人才队伍", js(me, "talent_team"));
	kv_row(b, "状态", js(me, "status_name"));
	buf_puts(b, "</table>\n");
	json_t *org = json_object_get(ar, "organisation");
	if (org) {
		tag(b, "h2", numbered(&sec, T_ORG, head, sizeof head));
		snprintf(tmp, sizeof tmp, "%s · 现为 %lld 星", js(org, "name"), (long long)ji(org, "stars"));
		tag(b, "p", tmp);
		buf_puts(b, "<table><tr><th>评定日期</th><th>星级</th><th>说明</th></tr>\n");
		size_t i;
		json_t *s;
		json_array_foreach(json_object_get(org, "star_history"), i, s) {
			buf_puts(b, "<tr><td>");
			esc(b, js(s, "rated_on"));
			buf_printf(b, "</td><td>%lld</td><td>", (long long)ji(s, "stars"));
			esc(b, js(s, "note"));
			buf_puts(b, "</td></tr>\n");
		}
		buf_puts(b, "</table>\n");
	}
	const char *sections[] = {T_PAIRINGS, T_PLANS, T_ACTIVITIES, T_LOGS, T_EVALS};
	json_t *pairings = json_object_get(ar, "pairings");
	for (int s = 0; s < 5; s++) {
		tag(b, "h2", numbered(&sec, sections[s], head, sizeof head));
		if (!json_array_size(pairings))
			tag(b, "p", "暂无 (none yet)");
		size_t i;
		json_t *p;
		json_array_foreach(pairings, i, p) {
			char mentors[512];
			names_of(json_object_get(p, "mentors"), mentors, sizeof mentors);
			if (s == 0) {
				snprintf(tmp, sizeof tmp, "帮带对子 %lld(%s,%s):导师 %s;结对 %s %s;编号 %s",
					 (long long)ji(p, "id"), js(p, "mode"), js(p, "status_name"),
					 mentors, js(p, "ceremony_date"), js(p, "ceremony_place"),
					 js(p, "letter_no"));
				tag(b, "p", tmp);
				continue;
			}
			const char *key = s == 1 ? "plans" : s == 2 ? "activities" : s == 3 ? "logs" : "evaluations";
			size_t k;
			json_t *r;
			buf_puts(b, "<table>\n");
			json_array_foreach(json_object_get(p, key), k, r) {
				if (s == 1) {
					size_t m;
					json_t *it;
					json_array_foreach(json_object_get(r, "items"), m, it) {
						snprintf(tmp, sizeof tmp, "%lld 年 %s", (long long)ji(r, "year"),
							 strcmp(js(it, "side"), "mentor") ? "任务" : "职责");
						buf_puts(b, "<tr><td>");
						esc(b, tmp);
						buf_puts(b, "</td><td>");
						esc(b, js(it, "title"));
						buf_puts(b, "</td><td>");
						esc(b, js(it, "due"));
						buf_puts(b, "</td><td>");
						esc(b, status_zh(js(it, "status")));
						buf_puts(b, "</td><td>");
						esc(b, js(it, "evidence"));
						buf_puts(b, "</td></tr>\n");
					}
					continue;
				}
				buf_puts(b, "<tr><td>");
				esc(b, js(r, "date"));
				buf_puts(b, "</td><td>");
				if (s == 2) {
					esc(b, js(r, "type_name"));
					buf_puts(b, "</td><td>");
					esc(b, js(r, "title"));
					buf_puts(b, "</td><td>");
					esc(b, js(r, "summary"));
				} else if (s == 3) {
					esc(b, js(r, "author"));
					buf_puts(b, "</td><td>");
					esc(b, js(r, "content"));
				} else {
					snprintf(tmp, sizeof tmp, "%s %s", js(r, "kind_name"), js(r, "period"));
					esc(b, tmp);
					buf_printf(b, "</td><td>%lld</td><td>", (long long)ji(r, "score"));
					esc(b, js(r, "grade_name"));
					buf_puts(b, "</td><td>");
					esc(b, js(r, "comment"));
				}
				buf_puts(b, "</td></tr>\n");
			}
			buf_puts(b, "</table>\n");
		}
	}
	return buf_puts(b, "</body></html>\n");
}

enum err svc_archive_html(struct service *s, const struct actor *a, int64_t mentee_id,
			  struct buf *out, struct errinfo *ei)
{
	json_t *ar = NULL;
	enum err e = svc_archive(s, a, mentee_id, &ar, ei);
	if (e)
		return e;
	e = archive_html(ar, out);
	json_decref(ar);
	return e ? errinfo_set(ei, e, NULL, "文档过大 (document too large)") : ERR_OK;
}

/* ---- the archive as PDF ---------------------------------------------------------------- */

/* Rows of `key` over every pairing of the archive. */
static size_t count_rows(json_t *pairings, const char *key)
{
	size_t n = 0, i;
	json_t *p;
	json_array_foreach(pairings, i, p) n += json_array_size(json_object_get(p, key));
	return n;
}

static void archive_pdf_doc(json_t *ar, struct pdf_doc *d)
{
	json_t *me = json_object_get(ar, "mentee");
	char tmp[1024];
	snprintf(tmp, sizeof tmp, "%s %s", js(me, "name"), T_TITLE);
	pdf_title(d, tmp);
	snprintf(tmp, sizeof tmp, "%s · 生成日期 %s", js(me, "region_name"), js(ar, "generated_on"));
	pdf_subtitle(d, tmp);
	int sec = 0;
	char head[128];
	pdf_heading(d, numbered(&sec, T_PROFILE, head, sizeof head));
	pdf_kv(d, "姓名", js(me, "name"));
	pdf_kv(d, "类别", !strcmp(js(me, "kind"), "org") ? "组织" : js(me, "category_name"));
	if (js(me, "gender")[0])
		pdf_kv(d, "性别", js(me, "gender"));
	if (json_is_integer(json_object_get(me, "birth_year"))) {
		snprintf(tmp, sizeof tmp, "%lld 年", (long long)ji(me, "birth_year"));
		pdf_kv(d, "出生年份", tmp);
	}
	pdf_kv(d, "所在地", js(me, "region_name"));
	pdf_kv(d, "职务", js(me, "post"));
	weak_text(me, tmp, sizeof tmp);
	pdf_kv(d, "短板弱项", tmp);
	if (js(me, "talent_team")[0])
		pdf_kv(d, "人才队伍", js(me, "talent_team"));
	pdf_kv(d, "状态", js(me, "status_name"));
	json_t *org = json_object_get(ar, "organisation");
	if (org) {
		pdf_heading(d, numbered(&sec, T_ORG, head, sizeof head));
		snprintf(tmp, sizeof tmp, "%s,现为 %lld 星%s%s。", js(org, "name"),
			 (long long)ji(org, "stars"),
			 json_is_true(json_object_get(org, "demonstration")) ? ",已创建为示范村" : "",
			 json_is_true(json_object_get(org, "was_weak_lax")) &&
					 !json_is_true(json_object_get(org, "weak_lax"))
				 ? ",软弱涣散已整顿"
				 : "");
		pdf_para(d, tmp);
		const char *cols[] = {"评定日期", "星级", "说明"};
		const double w[] = {0.25, 0.15, 0.6};
		pdf_table(d, 3, cols, w);
		size_t i;
		json_t *s;
		json_array_foreach(json_object_get(org, "star_history"), i, s) {
			char st[16];
			snprintf(st, sizeof st, "%lld 星", (long long)ji(s, "stars"));
			const char *row[] = {js(s, "rated_on"), st, js(s, "note")};
			pdf_row(d, row);
		}
	}
	json_t *pairings = json_object_get(ar, "pairings");
	size_t i;
	json_t *p;
	pdf_heading(d, numbered(&sec, T_PAIRINGS, head, sizeof head));
	if (!json_array_size(pairings))
		pdf_para(d, "暂无帮带对子。");
	json_array_foreach(pairings, i, p) {
		char mentors[512];
		names_of(json_object_get(p, "mentors"), mentors, sizeof mentors);
		snprintf(tmp, sizeof tmp, "帮带对子 %lld · %s · %s", (long long)ji(p, "id"), js(p, "mode"),
			 js(p, "status_name"));
		pdf_kv(d, "对子", tmp);
		pdf_kv(d, "导师", mentors);
		size_t k;
		json_t *m;
		json_array_foreach(json_object_get(p, "mentors"), k, m) if (js(m, "post")[0]) {
			snprintf(tmp, sizeof tmp, "%s:%s(%s)", js(m, "name"), js(m, "post"),
				 js(m, "region_name"));
			pdf_kv(d, "", tmp);
		}
		if (js(p, "ceremony_date")[0]) {
			snprintf(tmp, sizeof tmp, "%s 于%s,协议编号 %s", js(p, "ceremony_date"),
				 js(p, "ceremony_place"), js(p, "letter_no"));
			pdf_kv(d, "结对仪式", tmp);
		}
		snprintf(tmp, sizeof tmp, "%s 至 %s", js(p, "start_date")[0] ? js(p, "start_date") : "—",
			 js(p, "end_date")[0] ? js(p, "end_date") : "今");
		pdf_kv(d, "帮带期", tmp);
		pdf_space(d, 4);
	}
	pdf_heading(d, numbered(&sec, T_PLANS, head, sizeof head));
	if (!count_rows(pairings, "plans"))
		pdf_para(d, "暂无年度计划。");
	json_array_foreach(pairings, i, p) {
		size_t k;
		json_t *pl;
		json_array_foreach(json_object_get(p, "plans"), k, pl) {
			snprintf(tmp, sizeof tmp, "%lld 年度计划(帮带对子 %lld,%s)", (long long)ji(pl, "year"),
				 (long long)ji(p, "id"), status_zh(js(pl, "status")));
			pdf_para(d, tmp);
			const char *cols[] = {"清单", "事项", "截止", "状态", "佐证材料"};
			const double w[] = {0.09, 0.37, 0.14, 0.1, 0.3};
			pdf_table(d, 5, cols, w);
			size_t m;
			json_t *it;
			json_array_foreach(json_object_get(pl, "items"), m, it) {
				const char *row[] = {strcmp(js(it, "side"), "mentor") ? "任务" : "职责",
						     js(it, "title"), js(it, "due"),
						     status_zh(js(it, "status")), js(it, "evidence")};
				pdf_row(d, row);
			}
		}
	}
	pdf_heading(d, numbered(&sec, T_ACTIVITIES, head, sizeof head));
	if (!count_rows(pairings, "activities"))
		pdf_para(d, "暂无记录。");
	else {
		const char *cols[] = {"日期", "类型", "活动", "培训人数"};
		const double w[] = {0.16, 0.18, 0.54, 0.12};
		pdf_table(d, 4, cols, w);
		json_array_foreach(pairings, i, p) {
			size_t k;
			json_t *a;
			json_array_foreach(json_object_get(p, "activities"), k, a) {
				char n[16];
				snprintf(n, sizeof n, "%lld", (long long)ji(a, "trained"));
				char what[1200];
				snprintf(what, sizeof what, "%s%s%s", js(a, "title"),
					 js(a, "place")[0] ? " · " : "", js(a, "place"));
				const char *row[] = {js(a, "date"), js(a, "type_name"), what, n};
				pdf_row(d, row);
			}
		}
	}
	pdf_heading(d, numbered(&sec, T_LOGS, head, sizeof head));
	if (!count_rows(pairings, "logs"))
		pdf_para(d, "暂无记录。");
	else {
		const char *cols[] = {"日期", "记录人", "内容"};
		const double w[] = {0.16, 0.14, 0.7};
		pdf_table(d, 3, cols, w);
		json_array_foreach(pairings, i, p) {
			size_t k;
			json_t *l;
			json_array_foreach(json_object_get(p, "logs"), k, l) {
				const char *row[] = {js(l, "date"), js(l, "author"), js(l, "content")};
				pdf_row(d, row);
			}
		}
	}
	pdf_heading(d, numbered(&sec, T_EVALS, head, sizeof head));
	if (!count_rows(pairings, "evaluations"))
		pdf_para(d, "暂无记录。");
	else {
		const char *cols[] = {"日期", "考评", "期次", "得分", "等次", "意见"};
		const double w[] = {0.15, 0.14, 0.12, 0.08, 0.1, 0.41};
		pdf_table(d, 6, cols, w);
		json_array_foreach(pairings, i, p) {
			size_t k;
			json_t *v;
			json_array_foreach(json_object_get(p, "evaluations"), k, v) {
				char sc[16];
				snprintf(sc, sizeof sc, "%lld", (long long)ji(v, "score"));
				const char *row[] = {js(v, "date"), js(v, "kind_name"), js(v, "period"),
						     sc, js(v, "grade_name"), js(v, "comment")};
				pdf_row(d, row);
			}
		}
	}
}

enum err svc_archive_pdf(struct service *s, const struct actor *a, int64_t mentee_id,
			 struct buf *out, struct errinfo *ei)
{
	json_t *ar = NULL;
	enum err e = svc_archive(s, a, mentee_id, &ar, ei);
	if (e)
		return e;
	char title[256];
	snprintf(title, sizeof title, "%s · %s", T_TITLE, js(json_object_get(ar, "mentee"), "name"));
	struct pdf_doc *d = pdf_new(title, js(ar, "generated_on"));
	archive_pdf_doc(ar, d);
	e = pdf_render(d, out, ei);
	pdf_free(d);
	json_decref(ar);
	return e;
}

/* ---- letters --------------------------------------------------------------------------- */

/* The name of the city (the root of a path) for the issuer's line. */
static void city_name(struct store_conn *c, const char *path, char *out, size_t n)
{
	char code[M_CODE];
	size_t len = strcspn(path + 1, "/");
	snprintf(code, sizeof code, "%.*s", (int)(len < sizeof code ? len : sizeof code - 1), path + 1);
	struct region r;
	snprintf(out, n, "%s", db_region_get_by_code(c, code, &r) ? "" : r.name);
}

enum err svc_letter_pdf(struct service *s, const struct actor *a, int64_t mentor_id,
			struct buf *out, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	struct mentor m;
	enum err e = db_mentor_get(c, mentor_id, &m);
	if (e == ERR_NOT_FOUND) {
		store_release(s->store, c);
		return errinfo_set(ei, ERR_NOT_FOUND, NULL, "没有这位导师 (no such mentor)");
	}
	if (!e && a && !auth_visible(a, m.region_path, "mentor", m.id))
		e = ERR_FORBIDDEN;
	char city[M_NAME], today[M_TIME];
	svc_today(today);
	if (!e)
		city_name(c, m.region_path, city, sizeof city);
	e = life_finish(s, c, a, e, "letter", ei);
	store_release(s->store, c);
	if (e)
		return e;
	bool appointed = m.letter_no[0] != '\0';
	struct pdf_doc *d = pdf_new("聘书", appointed ? m.appointed_on : today);
	pdf_frame(d, true, appointed ? NULL : "草稿 未颁发");
	char tmp[1024];
	pdf_space(d, 60);
	pdf_center(d, "聘  书", 42, true, true);
	pdf_space(d, 18);
	snprintf(tmp, sizeof tmp, "编号:%s", appointed ? m.letter_no : "(尚未颁发)");
	pdf_center(d, tmp, 12, false, false);
	pdf_space(d, 40);
	snprintf(tmp, sizeof tmp,
		 "兹聘请 %s 同志为%s%s导师库导师(%s),聘期三年。", m.name, m.region_name,
		 tier_zh(m.tier), !strcmp(m.team_type, "expert") ? "专家型"
				 : !strcmp(m.team_type, "experienced") ? "经验型"
								       : "群众型");
	pdf_center(d, tmp, 16, true, false);
	pdf_space(d, 16);
	pdf_center(d, "望坚持师带徒、育良才、徒成师、代代传,", 14, true, false);
	pdf_center(d, "在导师帮带工作中言传身教、倾囊相授。", 14, true, false);
	pdf_space(d, 90);
	snprintf(tmp, sizeof tmp, "中共%s委员会组织部", city[0] ? city : "");
	pdf_right(d, tmp);
	snprintf(tmp, sizeof tmp, "%s", appointed ? m.appointed_on : "    年  月  日");
	pdf_right(d, tmp);
	e = pdf_render(d, out, ei);
	pdf_free(d);
	return e;
}

struct agreement_data {
	json_t *duties, *tasks;
};

static enum err put_duty(void *arg, const void *row)
{
	const struct db_life_item *it = row;
	struct agreement_data *ad = arg;
	json_array_append_new(strcmp(it->side, "mentor") ? ad->tasks : ad->duties,
			      json_string(it->title));
	return ERR_OK;
}

static enum err first_plan(void *arg, const void *row)
{
	int64_t *id = arg;
	if (!*id)
		*id = ((const struct db_life_plan *)row)->id;
	return ERR_OK;
}

enum err svc_agreement_pdf(struct service *s, const struct actor *a, int64_t pairing_id,
			   struct buf *out, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	struct db_life_pairing lp;
	enum err e = life_pairing_access(c, a, pairing_id, false, &lp, NULL, ei);
	struct member_rows mr = {c, json_array(), json_array()};
	struct agreement_data ad = {json_array(), json_array()};
	char city[M_NAME] = "", today[M_TIME];
	svc_today(today);
	if (!e) {
		struct db_life_q q;
		memset(&q, 0, sizeof q);
		snprintf(q.lo, sizeof q.lo, "/");
		snprintf(q.hi, sizeof q.hi, "0");
		q.pairing_id = pairing_id;
		int64_t total, plan = 0;
		if ((e = db_life_members(c, pairing_id, put_member, &mr)) ||
		    (e = db_life_plan_list(c, &q, first_plan, &plan, &total)) ||
		    (plan && (e = db_life_items(c, plan, put_duty, &ad))))
			e = svc_db_fail(c, e, "agreement", ei);
		city_name(c, lp.p.region_path, city, sizeof city);
	} else {
		e = life_finish(s, c, a, e, "agreement", ei);
	}
	store_release(s->store, c);
	if (e) {
		json_decref(mr.mentors);
		json_decref(mr.mentees);
		json_decref(ad.duties);
		json_decref(ad.tasks);
		return e;
	}
	bool held = lp.letter_no[0] != '\0';
	struct pdf_doc *d = pdf_new("导师帮带结对协议书", held ? lp.ceremony_date : today);
	pdf_frame(d, false, NULL);
	char tmp[1024], names[512];
	pdf_title(d, "导师帮带结对协议书");
	snprintf(tmp, sizeof tmp, "编号:%s", held ? lp.letter_no : "(结对仪式后编号 · 草稿)");
	pdf_subtitle(d, tmp);
	names_of(mr.mentors, names, sizeof names);
	pdf_kv(d, "甲方(导师)", names);
	names_of(mr.mentees, names, sizeof names);
	pdf_kv(d, "乙方(帮带对象)", names);
	snprintf(tmp, sizeof tmp, "%s(%s)", lp.p.mode,
		 !strcmp(lp.p.mode, "1:1")   ? "一对一定向培养"
		 : !strcmp(lp.p.mode, "1:N") ? "一对多多点培养"
		 : !strcmp(lp.p.mode, "N:1") ? "多对一重点培养"
					     : "多对多小团队培养");
	pdf_kv(d, "帮带方式", tmp);
	snprintf(tmp, sizeof tmp, "自 %s 起,为期一年",
		 lp.p.start_date[0] ? lp.p.start_date : lp.ceremony_date[0] ? lp.ceremony_date : "结对之日");
	pdf_kv(d, "帮带期限", tmp);
	if (lp.ceremony_date[0]) {
		snprintf(tmp, sizeof tmp, "%s,%s", lp.ceremony_date, lp.ceremony_place);
		pdf_kv(d, "结对仪式", tmp);
	}
	pdf_heading(d, "一、甲方职责(导师职责清单)");
	size_t i;
	json_t *v;
	if (!json_array_size(ad.duties))
		pdf_para(d, "1. 每月至少开展一次共同下村督导调研;2. 围绕乙方短板弱项开展专题指导;"
			    "3. 作出年度帮带总结和考核意见。");
	json_array_foreach(ad.duties, i, v) {
		snprintf(tmp, sizeof tmp, "%zu. %s", i + 1, json_string_value(v));
		pdf_para(d, tmp);
	}
	pdf_heading(d, "二、乙方任务(帮带对象任务清单)");
	if (!json_array_size(ad.tasks))
		pdf_para(d, "1. 虚心学习,主动请教;2. 按计划补齐短板弱项;3. 撰写年度成长报告。");
	json_array_foreach(ad.tasks, i, v) {
		snprintf(tmp, sizeof tmp, "%zu. %s", i + 1, json_string_value(v));
		pdf_para(d, tmp);
	}
	pdf_heading(d, "三、考评");
	pdf_para(d, "实行月了解、季座谈、半年评议、全年考核,考评结果记入乙方成长档案(一人一册),"
		    "作为评先评优、选拔任用的重要参考。");
	pdf_space(d, 30);
	pdf_kv(d, "甲方签字", "____________________");
	pdf_kv(d, "乙方签字", "____________________");
	snprintf(tmp, sizeof tmp, "中共%s委员会组织部(盖章)", city);
	pdf_space(d, 20);
	pdf_right(d, tmp);
	pdf_right(d, held ? lp.ceremony_date : "    年  月  日");
	e = pdf_render(d, out, ei);
	pdf_free(d);
	json_decref(mr.mentors);
	json_decref(mr.mentees);
	json_decref(ad.duties);
	json_decref(ad.tasks);
	return e;
}

/* ---- graduation ---------------------------------------------------------------------------- */

struct grad_arg {
	struct service *s;
	const struct actor *a;
	int64_t id;
	const struct svc_graduate *in;
	struct mentor m;
	struct errinfo *ei;
};

static enum err grad_tx(struct store_conn *c, void *arg)
{
	struct grad_arg *ga = arg;
	struct mentee me;
	enum err e = db_mentee_get(c, ga->id, &me);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ga->ei, ERR_NOT_FOUND, NULL, "没有这位帮带对象 (no such mentee)");
	if (e)
		return e;
	if (ga->a && !auth_writable(ga->a, me.region_path))
		return ERR_FORBIDDEN;
	const struct svc_graduate *in = ga->in;
	if (strcmp(me.kind, "person"))
		return errinfo_set(ga->ei, ERR_UNPROCESSABLE, NULL,
				   "组织类帮带对象不能成为导师 (only a person)");
	if (!strcmp(me.status, "graduated"))
		return errinfo_set(ga->ei, ERR_CONFLICT, NULL, "已推荐为导师 (graduated already)");
	if (!in->source[0])
		return errinfo_set(ga->ei, ERR_INVALID, "source", "必填 (required)");
	if ((e = svc_vocab_check(c, "source", in->source, "source", ga->ei)) ||
	    (in->domains[0] && (e = svc_tags_check(c, "domain", in->domains, "domains", ga->ei))))
		return e;
	const char *tier = in->tier[0] ? in->tier : "township";
	const char *team = in->team_type[0] ? in->team_type : "grassroots";
	if (tier_parse(tier) == TIER_NONE)
		return errinfo_set(ga->ei, ERR_INVALID, "tier", "应为 city、county 或 township");
	if (team_type_parse(team) == TEAM_NONE)
		return errinfo_set(ga->ei, ERR_INVALID, "team_type", "应为 expert、experienced 或 grassroots");
	struct mentor *m = &ga->m;
	memset(m, 0, sizeof *m);
	snprintf(m->name, sizeof m->name, "%s", me.name);
	snprintf(m->gender, sizeof m->gender, "%s", me.gender);
	snprintf(m->phone, sizeof m->phone, "%s", me.phone);
	snprintf(m->id_number, sizeof m->id_number, "%s", me.id_number);
	m->birth_year = me.birth_year;
	m->region_id = me.region_id;
	snprintf(m->region_path, sizeof m->region_path, "%s", me.region_path);
	snprintf(m->tier, sizeof m->tier, "%s", tier);
	snprintf(m->source, sizeof m->source, "%s", in->source);
	snprintf(m->team_type, sizeof m->team_type, "%s", team);
	snprintf(m->post, sizeof m->post, "%s", me.post);
	m->capacity = in->capacity > 0 ? in->capacity : 1;
	snprintf(m->domains, sizeof m->domains, "%s", in->domains);
	snprintf(m->status, sizeof m->status, "%s", "nominated");
	m->from_mentee_id = me.id;
	char now[M_TIME], key[3 * M_NAME];
	svc_now(now);
	svc_search_key(ga->s, key, sizeof key, m->name, m->post, me.region_name);
	e = db_mentor_insert(c, m, key, now);
	if (e == ERR_CONFLICT)
		return errinfo_set(ga->ei, ERR_CONFLICT, "phone",
				   "手机号或身份证号已在导师库中 (phone or ID number already a mentor's)");
	if (e)
		return e;
	struct mentor_transition t;
	memset(&t, 0, sizeof t);
	t.mentor_id = m->id;
	t.user_id = ga->a ? ga->a->user_id : 0;
	snprintf(t.to_status, sizeof t.to_status, "%s", "nominated");
	snprintf(t.action, sizeof t.action, "%s", "nominate");
	snprintf(t.reason, sizeof t.reason, "徒成师:由帮带对象 %lld 推荐入库", (long long)me.id);
	snprintf(t.at, sizeof t.at, "%s", now);
	if ((e = db_mentor_transition_add(c, &t)) ||
	    (e = db_life_mentee_set_status(c, me.id, "graduated", now)) ||
	    (e = db_mentor_get(c, m->id, m)))
		return e;
	return svc_audit(c, ga->a, "graduate", "mentee", me.id, &svc_mentor_spec, NULL, m);
}

enum err svc_mentee_graduate(struct service *s, const struct actor *a, int64_t mentee_id,
			     const struct svc_graduate *in, json_t **out, struct errinfo *ei)
{
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "graduate", ei);
	struct store_conn *c = store_acquire(s->store);
	struct grad_arg ga = {.s = s, .a = a, .id = mentee_id, .in = in, .ei = ei};
	enum err e = life_finish(s, c, a, store_tx(c, grad_tx, &ga), "graduate", ei);
	if (!e)
		*out = fields_to_json(&svc_mentor_spec, &ga.m, 0);
	store_release(s->store, c);
	return e;
}

/* ---- lineage ------------------------------------------------------------------------------ */

#define LINEAGE_DEPTH 8

typedef struct {
	struct db_life_trainee *v;
	size_t n, cap;
} trainee_vec;

static enum err push_trainee(void *arg, const void *row)
{
	trainee_vec *tv = arg;
	if (tv->n == tv->cap) {
		tv->cap = tv->cap ? 2 * tv->cap : 16;
		tv->v = xreallocarray(tv->v, tv->cap, sizeof *tv->v);
	}
	tv->v[tv->n++] = *(const struct db_life_trainee *)row;
	return ERR_OK;
}

/* The trainees of mentor_id, and theirs through those who became mentors. */
static enum err descend(struct store_conn *c, int64_t mentor_id, int depth, int *deepest,
			json_t **out)
{
	trainee_vec tv = {0};
	enum err e = db_life_trainees(c, mentor_id, push_trainee, &tv);
	json_t *a = json_array();
	if (depth > *deepest && tv.n)
		*deepest = depth;
	for (size_t i = 0; !e && i < tv.n; i++) {
		const struct db_life_trainee *t = &tv.v[i];
		json_t *j = json_pack("{s:i, s:I, s:s, s:I, s:s, s:s, s:o}", "generation", depth,
				      "mentee", (json_int_t)t->mentee_id, "name", t->mentee_name,
				      "pairing", (json_int_t)t->pairing_id, "status", t->status,
				      "since", t->since, "until", life_str(t->until));
		if (t->graduate_id) {
			json_t *sub = NULL;
			if (depth < LINEAGE_DEPTH && t->graduate_id != mentor_id)
				e = descend(c, t->graduate_id, depth + 1, deepest, &sub);
			json_object_set_new(j, "became_mentor",
					    json_pack("{s:I, s:s, s:s, s:o}", "id",
						      (json_int_t)t->graduate_id, "name",
						      t->graduate_name, "status", t->graduate_status,
						      "trainees", sub ? sub : json_array()));
		}
		json_array_append_new(a, j);
	}
	free(tv.v);
	if (e) {
		json_decref(a);
		return e;
	}
	*out = a;
	return ERR_OK;
}

typedef struct {
	struct db_life_member *v;
	size_t n, cap;
} member_vec;

static enum err push_member(void *arg, const void *row)
{
	member_vec *mv = arg;
	if (mv->n == mv->cap) {
		mv->cap = mv->cap ? 2 * mv->cap : 8;
		mv->v = xreallocarray(mv->v, mv->cap, sizeof *mv->v);
	}
	mv->v[mv->n++] = *(const struct db_life_member *)row;
	return ERR_OK;
}

/* Up the generations: who trained the mentee a mentor once was. */
static enum err ascend(struct store_conn *c, const struct mentor *m, json_t *out)
{
	struct mentor cur = *m;
	for (int gen = 1; gen <= LINEAGE_DEPTH && cur.from_mentee_id; gen++) {
		member_vec mv = {0};
		enum err e = db_life_trainers(c, cur.from_mentee_id, push_member, &mv);
		if (e) {
			free(mv.v);
			return e;
		}
		if (!mv.n) {
			free(mv.v);
			break;
		}
		json_t *names = json_array();
		for (size_t i = 0; i < mv.n; i++)
			json_array_append_new(names, json_pack("{s:I, s:s, s:I}", "id",
							       (json_int_t)mv.v[i].person_id, "name",
							       mv.v[i].name, "pairing",
							       (json_int_t)mv.v[i].pairing_id));
		json_array_append_new(out, json_pack("{s:i, s:I, s:o}", "generation", -gen,
						     "as_mentee", (json_int_t)cur.from_mentee_id,
						     "trained_by", names));
		struct mentor next;
		e = db_mentor_get(c, mv.v[0].person_id, &next);
		free(mv.v);
		if (e)
			return e;
		if (next.id == m->id)
			break;
		cur = next;
	}
	return ERR_OK;
}

enum err svc_mentor_lineage(struct service *s, const struct actor *a, int64_t mentor_id,
			    json_t **out, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	struct mentor m;
	enum err e = db_mentor_get(c, mentor_id, &m);
	if (e == ERR_NOT_FOUND)
		e = errinfo_set(ei, ERR_NOT_FOUND, NULL, "没有这位导师 (no such mentor)");
	else if (!e && a && !auth_visible(a, m.region_path, "mentor", m.id))
		e = ERR_FORBIDDEN;
	e = life_finish(s, c, a, e, "lineage", ei);
	json_t *trainees = NULL, *ancestors = json_array();
	int deepest = 0;
	if (!e && ((e = descend(c, m.id, 1, &deepest, &trainees)) || (e = ascend(c, &m, ancestors))))
		e = svc_db_fail(c, e, "lineage", ei);
	store_release(s->store, c);
	if (e) {
		json_decref(ancestors);
		json_decref(trainees);
		return e;
	}
	*out = json_pack("{s:{s:I, s:s, s:s, s:s, s:o}, s:o, s:o, s:i}", "mentor", "id",
			 (json_int_t)m.id, "name", m.name, "region", m.region_code, "status",
			 m.status, "from_mentee",
			 m.from_mentee_id ? json_integer(m.from_mentee_id) : json_null(),
			 "ancestors", ancestors, "trainees", trainees, "generations",
			 deepest + (int)json_array_size(ancestors));
	return ERR_OK;
}
