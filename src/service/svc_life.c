/*
 * svc_life.c — the life of a pairing (SPEC §5): creation by hand, the
 * status life (proposed → confirmed by both sides → ceremony → active →
 * completed | dissolved), substitution of a mentor, demonstration
 * projects, and the settings of this part; plus the helpers the other
 * life files share (life.h): dates, settings, access to a pairing.
 * Layer: service.
 *
 * The status life is a table (`transitions` below): an action is legal
 * from the statuses it names, and only then is anything written, as one
 * compare-and-set on the pairing's status and version, so an illegal or
 * concurrent change answers ERR_CONFLICT and leaves the pairing as it
 * was. A mentor's open pairings never exceed its capacity: checked when
 * a pairing is made and when a mentor is substituted (the matching
 * engine checks the same when a run is approved).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "service/life.h"

#define NF(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define BIG 9007199254740991.0

_Static_assert(SVC_LIFE_TITLE == LIFE_TITLE, "one title size for service and store");

/* ---- field specs of the requests -------------------------------------------- */

static const struct field pairing_action_fields[] = {
	FIELD(svc_pairing_action, action, "action", F_STR, F_REQUIRED | F_NONEMPTY | F_CODE, 0, 0),
	FIELD(svc_pairing_action, side, "side", F_STR, 0, 0, 0),
	FIELD(svc_pairing_action, date, "date", F_STR, F_DATE, 0, 0),
	FIELD(svc_pairing_action, place, "place", F_STR, 0, 0, 40),
	FIELD(svc_pairing_action, reason, "reason", F_STR, 0, 0, 1000),
};
const struct field_spec svc_pairing_action_spec = {"pairing_action", pairing_action_fields,
						   NF(pairing_action_fields)};

static const struct field substitute_fields[] = {
	FIELD(svc_substitute, old_mentor, "old_mentor", F_I64, F_REQUIRED, 1, BIG),
	FIELD(svc_substitute, new_mentor, "new_mentor", F_I64, F_REQUIRED, 1, BIG),
	FIELD(svc_substitute, reason, "reason", F_STR, F_REQUIRED | F_NONEMPTY, 0, 1000),
};
const struct field_spec svc_substitute_spec = {"substitute", substitute_fields,
					       NF(substitute_fields)};

static const struct field project_fields[] = {
	FIELD(svc_project, name, "name", F_STR, F_REQUIRED | F_NONEMPTY, 0, 40),
	FIELD(svc_project, region, "region", F_STR, F_REQUIRED | F_NONEMPTY | F_CODE, 0, 0),
	FIELD(svc_project, year, "year", F_INT, F_REQUIRED, 2000, 2100),
	FIELD(svc_project, description, "description", F_STR, 0, 0, 1000),
};
const struct field_spec svc_project_spec = {"project", project_fields, NF(project_fields)};

/* ---- dates --------------------------------------------------------------------- */

/* Days from civil (H. Hinnant's algorithm): 1970-01-01 is day 0. */
static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

void life_ym(const char *s, int *year, int *month)
{
	*year = digits(s, 4);
	*month = digits(s + 5, 2);
}

bool life_days(const char *s, long *out)
{
	if (!s || !date_valid(s))
		return false;
	*out = days_from_civil(digits(s, 4), digits(s + 5, 2), digits(s + 8, 2));
	return true;
}

void life_date(long z, char *out)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp + (mp < 10 ? 3 : -9);
	snprintf(out, M_TIME, "%04ld-%02ld-%02ld", y + (m <= 2), m, d);
}

long life_civil(int year, int month, int day)
{
	return days_from_civil(year, month, day);
}

void life_month_end(int year, int month, char *out)
{
	int ny = month == 12 ? year + 1 : year, nm = month == 12 ? 1 : month + 1;
	life_date(days_from_civil(ny, nm, 1) - 1, out);
}

/* ---- settings ---------------------------------------------------------------------- */

static const struct {
	const char *name, *value, *help;
} setting_defaults[] = {
	{"log_edit_days", "7", "工作日志可由作者修改的天数 (days a log stays editable)"},
	{"silent_days", "30", "无活动无日志多少天提醒乡镇 (silent days before the township is told)"},
	{"escalate_days", "15", "再过多少天升级到县、市 (more days before county, then city)"},
	{"due_horizon_days", "14", "待办清单提前天数 (the due list looks this far ahead)"},
	{"letter_prefix", "YCJD", "结对协议书编号前缀 (prefix of agreement numbers)"},
	{"baseline_date", "", "三星级对比基准日 (baseline of the three-star change; empty: the first rating)"},
	{"grades", "excellent:优秀:90,good:良好:75,pass:合格:60,fail:不合格:0",
	 "考评等次 code:名称:最低分 (grades, best first)"},
};

/* Parse "code:name:min,..." (best first, min strictly falling, the
 * last 0). False if malformed. */
static bool parse_grades(const char *v, struct life_settings *ls)
{
	int n = 0, last = 101;
	const char *p = v;
	while (*p) {
		if (n == LIFE_MAX_GRADES)
			return false;
		const char *c1 = strchr(p, ':');
		const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c1 || !c2)
			return false;
		const char *end = strchr(c2 + 1, ',');
		if (!end)
			end = c2 + 1 + strlen(c2 + 1);
		struct life_grade *g = &ls->grades[n];
		size_t lc = (size_t)(c1 - p), ln = (size_t)(c2 - c1 - 1), lm = (size_t)(end - c2 - 1);
		if (!lc || lc >= sizeof g->code || !ln || ln >= sizeof g->name || !lm || lm > 3)
			return false;
		memcpy(g->code, p, lc);
		g->code[lc] = '\0';
		if (!code_valid(g->code))
			return false;
		memcpy(g->name, c1 + 1, ln);
		g->name[ln] = '\0';
		g->min = 0;
		for (size_t i = 0; i < lm; i++) {
			char ch = c2[1 + i];
			if (ch < '0' || ch > '9')
				return false;
			g->min = g->min * 10 + (ch - '0');
		}
		if (g->min >= last || g->min > 100)
			return false;
		last = g->min;
		n++;
		p = *end ? end + 1 : end;
	}
	if (n == 0 || last != 0)
		return false;
	ls->ngrades = n;
	return true;
}

static bool parse_small(const char *v, int lo, int hi, int *out)
{
	if (!v[0] || strlen(v) > 4)
		return false;
	int n = 0;
	for (const char *p = v; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		n = n * 10 + (*p - '0');
	}
	if (n < lo || n > hi)
		return false;
	*out = n;
	return true;
}

/* Apply one setting; false if the value is not valid for it. */
static bool apply_setting(struct life_settings *ls, const char *name, const char *v)
{
	if (!strcmp(name, "log_edit_days"))
		return parse_small(v, 0, 366, &ls->log_edit_days);
	if (!strcmp(name, "silent_days"))
		return parse_small(v, 1, 366, &ls->silent_days);
	if (!strcmp(name, "escalate_days"))
		return parse_small(v, 1, 366, &ls->escalate_days);
	if (!strcmp(name, "due_horizon_days"))
		return parse_small(v, 0, 366, &ls->due_horizon_days);
	if (!strcmp(name, "letter_prefix")) {
		if (!v[0] || strlen(v) > 12 || !code_valid(v))
			return false;
		snprintf(ls->letter_prefix, sizeof ls->letter_prefix, "%s", v);
		return true;
	}
	if (!strcmp(name, "baseline_date")) {
		if (v[0] && !date_valid(v))
			return false;
		snprintf(ls->baseline_date, sizeof ls->baseline_date, "%s", v);
		return true;
	}
	if (!strcmp(name, "grades")) {
		struct life_settings t = *ls;
		if (!parse_grades(v, &t))
			return false;
		*ls = t;
		return true;
	}
	return false;
}

static enum err apply_stored(void *arg, const char *name, const char *value)
{
	/* A stored value was valid when written; a name retired since is ignored. */
	apply_setting(arg, name, value);
	return ERR_OK;
}

enum err life_settings_load(struct store_conn *c, struct life_settings *out)
{
	memset(out, 0, sizeof *out);
	for (int i = 0; i < NF(setting_defaults); i++)
		apply_setting(out, setting_defaults[i].name, setting_defaults[i].value);
	return c ? db_life_settings(c, apply_stored, out) : ERR_OK;
}

const char *life_grade_of(const struct life_settings *ls, int score)
{
	for (int i = 0; i < ls->ngrades; i++)
		if (score >= ls->grades[i].min)
			return ls->grades[i].code;
	return "";
}

bool life_grade_known(const struct life_settings *ls, const char *code)
{
	for (int i = 0; i < ls->ngrades; i++)
		if (!strcmp(ls->grades[i].code, code))
			return true;
	return false;
}

const char *life_grade_name(const struct life_settings *ls, const char *code)
{
	for (int i = 0; i < ls->ngrades; i++)
		if (!strcmp(ls->grades[i].code, code))
			return ls->grades[i].name;
	return code;
}

/* ---- vocabularies of this part --------------------------------------------------------- */

const struct life_kind life_activity_types[] = {
	{"supervision_visit", "共同下村督导调研"}, {"emergency", "联合应急处置"},
	{"joint_event", "共同组织活动会议"},       {"practice_classroom", "实践课堂"},
	{"onsite_learning", "现场帮学"},           {"studio", "导师工作室"},
	{"forum", "导师论坛"},                     {"secondment", "跟班挂职"},
	{"observation", "实地观摩"},               {"training", "实战实训"},
};
const int life_nactivity_types = NF(life_activity_types);

const struct life_kind life_eval_kinds[] = {
	{"monthly", "月了解"},
	{"quarterly", "季座谈"},
	{"half_year", "半年评议"},
	{"yearly", "全年考核"},
};
const int life_neval_kinds = NF(life_eval_kinds);

const char *life_kind_name(const struct life_kind *k, int n, const char *code)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(k[i].code, code))
			return k[i].name;
	return NULL;
}

static json_t *kinds_json(const struct life_kind *k, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "code", k[i].code, "name", k[i].name));
	return a;
}

static bool may_configure(const struct actor *a)
{
	return !a || a->role == ROLE_CITY_ADMIN;
}

static json_t *settings_json(const struct life_settings *ls, struct store_conn *c)
{
	json_t *items = json_array();
	for (int i = 0; i < NF(setting_defaults); i++) {
		/* The effective value, in the words it is written in. */
		char v[512];
		const char *n = setting_defaults[i].name;
		if (!strcmp(n, "log_edit_days"))
			snprintf(v, sizeof v, "%d", ls->log_edit_days);
		else if (!strcmp(n, "silent_days"))
			snprintf(v, sizeof v, "%d", ls->silent_days);
		else if (!strcmp(n, "escalate_days"))
			snprintf(v, sizeof v, "%d", ls->escalate_days);
		else if (!strcmp(n, "due_horizon_days"))
			snprintf(v, sizeof v, "%d", ls->due_horizon_days);
		else if (!strcmp(n, "letter_prefix"))
			snprintf(v, sizeof v, "%s", ls->letter_prefix);
		else if (!strcmp(n, "baseline_date"))
			snprintf(v, sizeof v, "%s", ls->baseline_date);
		else {
			size_t o = 0;
			v[0] = '\0';
			for (int g = 0; g < ls->ngrades && o < sizeof v; g++)
				o += (size_t)snprintf(v + o, sizeof v - o, "%s%s:%s:%d", g ? "," : "",
						      ls->grades[g].code, ls->grades[g].name,
						      ls->grades[g].min);
		}
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s}", "code", n, "value", v,
						       "default", setting_defaults[i].value, "help",
						       setting_defaults[i].help));
	}
	json_t *grades = json_array();
	for (int g = 0; g < ls->ngrades; g++)
		json_array_append_new(grades, json_pack("{s:s, s:s, s:i}", "code", ls->grades[g].code,
							"name", ls->grades[g].name, "min",
							ls->grades[g].min));
	(void)c;
	return json_pack("{s:o, s:I, s:o, s:o, s:o}", "items", items, "total",
			 (json_int_t)NF(setting_defaults), "grades", grades, "activity_types",
			 kinds_json(life_activity_types, life_nactivity_types), "evaluation_kinds",
			 kinds_json(life_eval_kinds, life_neval_kinds));
}

/* Everyone signed in reads them: members need the activity types, the
 * grades' words and how long a log stays editable; nothing here is
 * personal. */
enum err svc_life_settings(struct service *s, const struct actor *a, json_t **out,
			   struct errinfo *ei)
{
	(void)a;
	struct store_conn *c = store_acquire(s->store);
	struct life_settings ls;
	enum err e = life_settings_load(c, &ls);
	if (e)
		e = svc_db_fail(c, e, "life settings", ei);
	else
		*out = settings_json(&ls, c);
	store_release(s->store, c);
	return e;
}

struct setting_arg {
	const struct actor *a;
	const char *name, *value;
	struct life_settings ls;
	struct errinfo *ei;
};

static enum err setting_tx(struct store_conn *c, void *arg)
{
	struct setting_arg *sa = arg;
	enum err e = life_settings_load(c, &sa->ls);
	if (e)
		return e;
	if (!apply_setting(&sa->ls, sa->name, sa->value))
		return errinfo_set(sa->ei, ERR_INVALID, "value", "取值无效 (invalid value for %s)",
				   sa->name);
	if ((e = db_life_setting_set(c, sa->name, sa->value)))
		return e;
	return svc_audit(c, sa->a, "set", "life_setting", 0, NULL, NULL, NULL);
}

enum err svc_life_setting_set(struct service *s, const struct actor *a, const char *name,
			      const char *value, json_t **out, struct errinfo *ei)
{
	if (!may_configure(a))
		return svc_deny(s, NULL, a, "life settings", ei);
	bool known = false;
	for (int i = 0; i < NF(setting_defaults); i++)
		known = known || !strcmp(setting_defaults[i].name, name);
	if (!known)
		return errinfo_set(ei, ERR_NOT_FOUND, NULL, "没有这项设置 (no such setting)");
	if (strlen(value) > 400)
		return errinfo_set(ei, ERR_INVALID, "value", "过长 (too long)");
	struct store_conn *c = store_acquire(s->store);
	struct setting_arg sa = {a, name, value, {0}, ei};
	enum err e = store_tx(c, setting_tx, &sa);
	if (e == ERR_DB || e == ERR_BUSY || e == ERR_INTERNAL)
		e = svc_db_fail(c, e, "life setting", ei);
	if (!e)
		*out = settings_json(&sa.ls, c);
	store_release(s->store, c);
	return e;
}

/* ---- shared helpers ------------------------------------------------------------------ */

bool life_in_list(const char *list, int64_t id)
{
	char probe[32];
	snprintf(probe, sizeof probe, ",%lld,", (long long)id);
	return strstr(list, probe) != NULL;
}

json_t *life_ids_json(const char *list)
{
	json_t *a = json_array();
	const char *p = list;
	while (*p) {
		if (*p < '0' || *p > '9') {
			p++;
			continue;
		}
		long long v = 0;
		while (*p >= '0' && *p <= '9')
			v = v * 10 + (*p++ - '0');
		json_array_append_new(a, json_integer(v));
	}
	return a;
}

void life_path_code(const char *path, char *out)
{
	size_t n = strlen(path);
	out[0] = '\0';
	if (n < 2)
		return;
	size_t end = n - 1, start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	snprintf(out, M_CODE, "%.*s", (int)(end - start), path + start);
}

enum err life_finish(struct service *s, struct store_conn *c, const struct actor *a,
		     enum err e, const char *what, struct errinfo *ei)
{
	if (e == ERR_FORBIDDEN)
		return svc_deny(s, c, a, what, ei);
	if (e == ERR_DB || e == ERR_BUSY || e == ERR_INTERNAL)
		return svc_db_fail(c, e, what, ei);
	return e;
}

/* The change and the read of its answer in one transaction: once the
 * change has committed, a failing read cannot report an error for it (and
 * a client that retries would make it twice). */
struct answered {
	enum err (*fn)(struct store_conn *c, void *arg);
	void *arg;
	const int64_t *id;
	life_answer_fn *answer;
	json_t **out;
	struct errinfo *ei;
};

static enum err answered_tx(struct store_conn *c, void *arg)
{
	struct answered *w = arg;
	json_decref(*w->out); /* a retried attempt starts afresh */
	*w->out = NULL;
	enum err e = w->fn(c, w->arg);
	return e ? e : w->answer(c, *w->id, w->out, w->ei);
}

enum err life_tx_answer(struct service *s, struct store_conn *c, const struct actor *a,
			const char *what, enum err (*fn)(struct store_conn *c, void *arg), void *arg,
			const int64_t *id, life_answer_fn *answer, json_t **out, struct errinfo *ei)
{
	*out = NULL;
	struct answered w = {fn, arg, id, answer, out, ei};
	enum err e = life_finish(s, c, a, store_tx(c, answered_tx, &w), what, ei);
	if (e) {
		json_decref(*out);
		*out = NULL;
	}
	return e;
}

json_t *life_str(const char *v)
{
	return v && v[0] ? json_string(v) : json_null();
}

enum err life_pairing_access(struct store_conn *c, const struct actor *a, int64_t id, bool write,
			     struct db_life_pairing *out, const char **member_side,
			     struct errinfo *ei)
{
	static const char none[] = "";
	if (member_side)
		*member_side = none;
	enum err e = db_life_pairing_get(c, id, out);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ei, ERR_NOT_FOUND, NULL, "没有这个帮带对子 (no such pairing)");
	if (e || !a)
		return e;
	if (role_is_admin(a->role) || a->role == ROLE_AUDITOR) {
		bool ok = write ? auth_writable(a, out->p.region_path)
				: auth_visible(a, out->p.region_path, NULL, 0);
		return ok ? ERR_OK : ERR_FORBIDDEN;
	}
	if (write)
		return ERR_FORBIDDEN;
	if (a->role == ROLE_MENTOR && a->mentor_id && life_in_list(out->p.mentors, a->mentor_id)) {
		if (member_side)
			*member_side = "mentor";
		return ERR_OK;
	}
	if (a->role == ROLE_MENTEE && a->mentee_id && life_in_list(out->p.mentees, a->mentee_id)) {
		if (member_side)
			*member_side = "mentee";
		return ERR_OK;
	}
	return ERR_FORBIDDEN;
}

static enum err add_member_json(void *arg, const void *row)
{
	const struct db_life_member *m = row;
	json_array_append_new(arg, json_pack("{s:s, s:I, s:s, s:s, s:o}", "side", m->side, "id",
					     (json_int_t)m->person_id, "name", m->name, "since",
					     m->since, "until", life_str(m->until)));
	return ERR_OK;
}

enum err life_pairing_json(struct store_conn *c, const struct db_life_pairing *lp, json_t **out)
{
	const struct db_pairing *p = &lp->p;
	json_t *members = json_array();
	enum err e = db_life_members(c, p->id, add_member_json, members);
	if (e) {
		json_decref(members);
		return e;
	}
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(p->id));
	json_object_set_new(j, "mode", json_string(p->mode));
	json_object_set_new(j, "origin", json_string(p->origin));
	json_object_set_new(j, "run", p->run_id ? json_integer(p->run_id) : json_null());
	json_object_set_new(j, "region", json_string(p->region_code));
	json_object_set_new(j, "status", json_string(p->status));
	json_object_set_new(j, "mentor_confirmed", json_boolean(p->mentor_confirmed));
	json_object_set_new(j, "mentee_confirmed", json_boolean(p->mentee_confirmed));
	json_object_set_new(j, "mentors", life_ids_json(p->mentors));
	json_object_set_new(j, "mentees", life_ids_json(p->mentees));
	json_object_set_new(j, "members", members);
	json_object_set_new(j, "ceremony",
			    json_pack("{s:o, s:o, s:o}", "date", life_str(lp->ceremony_date),
				      "place", life_str(lp->ceremony_place), "letter_no",
				      life_str(lp->letter_no)));
	json_object_set_new(j, "start_date", life_str(p->start_date));
	json_object_set_new(j, "end_date", life_str(p->end_date));
	json_object_set_new(j, "reason", json_string(p->reason));
	json_object_set_new(j, "project", lp->project_id ? json_integer(lp->project_id) : json_null());
	json_object_set_new(j, "version", json_integer(p->version));
	json_object_set_new(j, "created_at", json_string(p->created_at));
	json_object_set_new(j, "updated_at", json_string(p->updated_at));
	*out = j;
	return ERR_OK;
}

/* Answer pairing `id` as JSON after a change (inside its transaction). */
static enum err answer_pairing(struct store_conn *c, int64_t id, json_t **out,
			       struct errinfo *ei)
{
	struct db_life_pairing p;
	enum err e = db_life_pairing_get(c, id, &p);
	if (!e)
		e = life_pairing_json(c, &p, out);
	return e ? svc_db_fail(c, e, "pairing answer", ei) : ERR_OK;
}

static enum err add_event(struct store_conn *c, const struct actor *a, int64_t pairing,
			  const char *from, const char *to, const char *action, const char *detail,
			  const char *now)
{
	struct db_life_event ev;
	memset(&ev, 0, sizeof ev);
	ev.pairing_id = pairing;
	ev.user_id = a ? a->user_id : 0;
	snprintf(ev.from_status, sizeof ev.from_status, "%s", from);
	snprintf(ev.to_status, sizeof ev.to_status, "%s", to);
	snprintf(ev.action, sizeof ev.action, "%s", action);
	snprintf(ev.detail, sizeof ev.detail, "%s", detail ? detail : "");
	snprintf(ev.at, sizeof ev.at, "%s", now);
	return db_life_event_add(c, &ev);
}

/* Can mentor `id` take one more pairing? ERR_CONFLICT (ei) if not. */
static enum err mentor_has_room(struct store_conn *c, const struct actor *a, int64_t id,
				const char *field, struct errinfo *ei)
{
	struct mentor m;
	enum err e = db_mentor_get(c, id, &m);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ei, ERR_UNPROCESSABLE, field, "没有导师 %lld (no such mentor)",
				   (long long)id);
	if (e)
		return e;
	if (a && !auth_visible(a, m.region_path, NULL, 0))
		return ERR_FORBIDDEN;
	if (strcmp(m.status, "active"))
		return errinfo_set(ei, ERR_CONFLICT, field, "导师 %s 不在岗 (mentor not active: %s)",
				   m.name, m.status);
	int64_t open = 0;
	if ((e = db_pairing_open_count(c, "mentor", id, &open)))
		return e;
	if (open >= m.capacity)
		return errinfo_set(ei, ERR_CONFLICT, field,
				   "导师 %s 帮带名额已满 (%lld/%d) (mentor at capacity)", m.name,
				   (long long)open, m.capacity);
	return ERR_OK;
}

/* ---- creating a pairing by hand ------------------------------------------------------- */

struct create_arg {
	const struct actor *a;
	const struct svc_pairing_new *in;
	int64_t id;
	struct errinfo *ei;
};

enum err life_check_project(struct store_conn *c, const struct actor *a, int64_t project,
			    const char *path, struct errinfo *ei)
{
	struct db_life_project pj;
	enum err e = db_life_project_get(c, project, &pj);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ei, ERR_UNPROCESSABLE, "project", "没有这个示范项目 (no such project)");
	if (e)
		return e;
	if (a && !auth_visible(a, pj.region_path, NULL, 0))
		return ERR_FORBIDDEN;
	if (!path_within(path, pj.region_path))
		return errinfo_set(ei, ERR_UNPROCESSABLE, "project",
				   "帮带对子不在示范项目的地区内 (pairing outside the project's region)");
	return ERR_OK;
}

static enum err create_tx(struct store_conn *c, void *arg)
{
	struct create_arg *ca = arg;
	const struct svc_pairing_new *in = ca->in;
	enum err e;
	struct mentee first;
	memset(&first, 0, sizeof first);
	for (int i = 0; i < in->nmentees; i++) {
		struct mentee me;
		if ((e = db_mentee_get(c, in->mentees[i], &me)) == ERR_NOT_FOUND)
			return errinfo_set(ca->ei, ERR_UNPROCESSABLE, "mentees",
					   "没有帮带对象 %lld (no such mentee)",
					   (long long)in->mentees[i]);
		if (e)
			return e;
		if (ca->a && !auth_writable(ca->a, me.region_path))
			return ERR_FORBIDDEN;
		if (i == 0)
			first = me;
		if (strcmp(me.status, "active"))
			return errinfo_set(ca->ei, ERR_CONFLICT, "mentees",
					   "帮带对象 %s 不在帮带中 (mentee not active: %s)", me.name,
					   me.status);
		int64_t open = 0;
		if ((e = db_pairing_open_count(c, "mentee", me.id, &open)))
			return e;
		if (open)
			return errinfo_set(ca->ei, ERR_CONFLICT, "mentees",
					   "帮带对象 %s 已有帮带对子 (mentee already paired)", me.name);
	}
	for (int i = 0; i < in->nmentors; i++)
		if ((e = mentor_has_room(c, ca->a, in->mentors[i], "mentors", ca->ei)))
			return e;
	if (in->project && (e = life_check_project(c, ca->a, in->project, first.region_path, ca->ei)))
		return e;
	char now[M_TIME], today[M_TIME];
	svc_now(now);
	svc_today(today);
	struct db_pairing p;
	memset(&p, 0, sizeof p);
	int nm = in->nmentors, ne = in->nmentees;
	snprintf(p.mode, sizeof p.mode, "%s",
		 ne > 1 && nm > 1 ? "N:N" : nm > 1 ? "N:1" : ne > 1 ? "1:N" : "1:1");
	snprintf(p.origin, sizeof p.origin, "%s", "assigned");
	p.region_id = first.region_id;
	snprintf(p.region_path, sizeof p.region_path, "%s", first.region_path);
	snprintf(p.status, sizeof p.status, "%s", "proposed");
	if ((e = db_pairing_insert(c, &p, now)))
		return e;
	for (int i = 0; i < nm; i++)
		if ((e = db_pairing_member_add(c, p.id, "mentor", in->mentors[i], today)))
			return e;
	for (int i = 0; i < ne; i++)
		if ((e = db_pairing_member_add(c, p.id, "mentee", in->mentees[i], today)))
			return e;
	if (in->project && (e = db_life_pairing_set_project(c, p.id, in->project, now)))
		return e;
	if ((e = add_event(c, ca->a, p.id, "", "proposed", "create", "assigned", now)))
		return e;
	ca->id = p.id;
	return svc_audit(c, ca->a, "create", "pairing", p.id, NULL, NULL, NULL);
}

static enum err distinct_ids(const int64_t *ids, int n, const char *field, struct errinfo *ei)
{
	for (int i = 0; i < n; i++)
		for (int k = 0; k < i; k++)
			if (ids[k] == ids[i])
				return errinfo_set(ei, ERR_INVALID, field, "重复的编号 (id %lld twice)",
						   (long long)ids[i]);
	return ERR_OK;
}

enum err svc_pairing_create(struct service *s, const struct actor *a,
			    const struct svc_pairing_new *in, json_t **out, struct errinfo *ei)
{
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "pairing create", ei);
	if (in->nmentors < 1 || in->nmentors > SVC_LIFE_MAX_MEMBERS)
		return errinfo_set(ei, ERR_INVALID, "mentors", "应有 1 到 %d 位导师", SVC_LIFE_MAX_MEMBERS);
	if (in->nmentees < 1 || in->nmentees > SVC_LIFE_MAX_MEMBERS)
		return errinfo_set(ei, ERR_INVALID, "mentees", "应有 1 到 %d 位帮带对象",
				   SVC_LIFE_MAX_MEMBERS);
	enum err e;
	if ((e = distinct_ids(in->mentors, in->nmentors, "mentors", ei)) ||
	    (e = distinct_ids(in->mentees, in->nmentees, "mentees", ei)))
		return e;
	if (in->mode[0]) {
		const char *m = in->nmentees > 1 && in->nmentors > 1 ? "N:N"
				: in->nmentors > 1			 ? "N:1"
				: in->nmentees > 1			 ? "1:N"
									 : "1:1";
		if (strcmp(in->mode, m))
			return errinfo_set(ei, ERR_INVALID, "mode",
					   "与人数不符: %d 位导师、%d 位对象是 %s (mode does not fit the members)",
					   in->nmentors, in->nmentees, m);
	}
	struct store_conn *c = store_acquire(s->store);
	struct create_arg ca = {a, in, 0, ei};
	e = life_tx_answer(s, c, a, "pairing create", create_tx, &ca, &ca.id, answer_pairing, out,
			   ei);
	store_release(s->store, c);
	return e;
}

enum err svc_pairing_get(struct service *s, const struct actor *a, int64_t id, json_t **out,
			 struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	struct db_life_pairing p;
	enum err e = life_pairing_access(c, a, id, false, &p, NULL, ei);
	if (!e && (e = life_pairing_json(c, &p, out)))
		e = svc_db_fail(c, e, "pairing get", ei);
	else if (e)
		e = life_finish(s, c, a, e, "pairing", ei);
	store_release(s->store, c);
	return e;
}

/* ---- the status life ------------------------------------------------------------------- */

static const struct transition {
	const char *action;
	const char *from; /* ",status,...," it is legal from */
	const char *to;   /* NULL: confirm decides */
	bool admin_only;
} transitions[] = {
	{"confirm", ",proposed,", NULL, false},
	{"ceremony", ",confirmed,", "ceremony", true},
	{"activate", ",ceremony,", "active", true},
	{"complete", ",active,", "completed", true},
	{"dissolve", ",proposed,confirmed,ceremony,active,", "dissolved", true},
};

struct trans_arg {
	const struct actor *a;
	int64_t id;
	const struct svc_pairing_action *in;
	struct errinfo *ei;
};

static bool legal_from(const struct transition *t, const char *status)
{
	char probe[M_SHORT + 2];
	snprintf(probe, sizeof probe, ",%s,", status);
	return strstr(t->from, probe) != NULL;
}

static enum err trans_tx(struct store_conn *c, void *arg)
{
	struct trans_arg *ta = arg;
	const struct svc_pairing_action *in = ta->in;
	bool admin = !ta->a || role_is_admin(ta->a->role);
	struct db_life_pairing lp;
	const char *side = "";
	enum err e = life_pairing_access(c, ta->a, ta->id, admin, &lp, &side, ta->ei);
	if (e)
		return e;
	const struct db_pairing *p = &lp.p;
	const struct transition *t = NULL;
	for (int i = 0; i < NF(transitions); i++)
		if (!strcmp(transitions[i].action, in->action))
			t = &transitions[i];
	if (!in->action[0])
		return errinfo_set(ta->ei, ERR_INVALID, "action", "必填 (required)");
	/* A word the table does not know is legal from no status. */
	if (!t)
		return errinfo_set(ta->ei, ERR_CONFLICT, "action",
				   "帮带对子没有 %s 这一步 (not a step of a pairing's life: confirm, "
				   "ceremony, activate, complete, dissolve)",
				   in->action);
	if (t->admin_only && !admin)
		return ERR_FORBIDDEN;
	if (!legal_from(t, p->status))
		return errinfo_set(ta->ei, ERR_CONFLICT, "action",
				   "当前状态 %s 不能执行 %s (not allowed from %s)", p->status,
				   in->action, p->status);
	char now[M_TIME], today[M_TIME], detail[M_TEXT + 64] = "";
	svc_now(now);
	svc_today(today);
	struct db_life_change ch = {.to = t->to, .mentor_confirmed = -1, .mentee_confirmed = -1};
	char letter[M_CODE];
	if (!strcmp(in->action, "confirm")) {
		const char *who = admin ? in->side : side;
		if (!admin && in->side[0] && strcmp(in->side, side))
			return ERR_FORBIDDEN; /* a member confirms its own side only */
		if (strcmp(who, "mentor") && strcmp(who, "mentee"))
			return errinfo_set(ta->ei, ERR_INVALID, "side", "应为 mentor 或 mentee");
		bool mentor = !strcmp(who, "mentor");
		if (mentor ? p->mentor_confirmed : p->mentee_confirmed)
			return errinfo_set(ta->ei, ERR_CONFLICT, "side", "%s 一方已确认 (already confirmed)",
					   mentor ? "导师" : "帮带对象");
		bool both = mentor ? p->mentee_confirmed : p->mentor_confirmed;
		ch.to = both ? "confirmed" : "proposed";
		if (mentor)
			ch.mentor_confirmed = 1;
		else
			ch.mentee_confirmed = 1;
		snprintf(detail, sizeof detail, "side=%s", who);
	} else if (!strcmp(in->action, "ceremony")) {
		if (!in->date[0])
			return errinfo_set(ta->ei, ERR_INVALID, "date", "结对仪式日期必填 (required)");
		if (!in->place[0])
			return errinfo_set(ta->ei, ERR_INVALID, "place", "结对仪式地点必填 (required)");
		struct life_settings ls;
		if ((e = life_settings_load(c, &ls)))
			return e;
		char counter[M_CODE];
		int64_t n = 0;
		snprintf(counter, sizeof counter, "agreement-%.4s", in->date);
		if ((e = db_counter_next(c, counter, &n)))
			return e;
		snprintf(letter, sizeof letter, "%s-%.4s-%04lld", ls.letter_prefix, in->date,
			 (long long)n);
		ch.ceremony_date = in->date;
		ch.ceremony_place = in->place;
		ch.letter_no = letter;
		snprintf(detail, sizeof detail, "%s %s %s", in->date, in->place, letter);
	} else if (!strcmp(in->action, "activate")) {
		ch.start_date = in->date[0] ? in->date : lp.ceremony_date[0] ? lp.ceremony_date : today;
		snprintf(detail, sizeof detail, "start=%s", ch.start_date);
	} else if (!strcmp(in->action, "complete")) {
		ch.end_date = in->date[0] ? in->date : today;
		if (p->start_date[0] && strcmp(ch.end_date, p->start_date) < 0)
			return errinfo_set(ta->ei, ERR_UNPROCESSABLE, "date",
					   "结束日期早于开始日期 (ends before it started)");
		snprintf(detail, sizeof detail, "end=%s", ch.end_date);
	} else { /* dissolve */
		if (!in->reason[0])
			return errinfo_set(ta->ei, ERR_INVALID, "reason", "解除须说明理由 (a reason is required)");
		ch.end_date = in->date[0] ? in->date : today;
		ch.reason = in->reason;
		snprintf(detail, sizeof detail, "%s", in->reason);
	}
	if ((e = db_life_pairing_change(c, p->id, p->status, p->version, &ch, now)) == ERR_CONFLICT)
		return errinfo_set(ta->ei, ERR_CONFLICT, NULL, "帮带对子已被修改,请重试 (changed meanwhile)");
	if (e)
		return e;
	if ((e = add_event(c, ta->a, p->id, p->status, ch.to, in->action, detail, now)))
		return e;
	return svc_audit(c, ta->a, in->action, "pairing", p->id, NULL, NULL, NULL);
}

enum err svc_pairing_transition(struct service *s, const struct actor *a, int64_t id,
				const struct svc_pairing_action *in, json_t **out,
				struct errinfo *ei)
{
	if (a && !role_is_admin(a->role) && a->role != ROLE_MENTOR && a->role != ROLE_MENTEE)
		return svc_deny(s, NULL, a, "pairing transition", ei);
	struct store_conn *c = store_acquire(s->store);
	struct trans_arg ta = {a, id, in, ei};
	enum err e = life_tx_answer(s, c, a, "pairing transition", trans_tx, &ta, &id,
				    answer_pairing, out, ei);
	store_release(s->store, c);
	return e;
}

static enum err add_event_json(void *arg, const void *row)
{
	const struct db_life_event *ev = row;
	json_array_append_new(arg, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s}", "id",
					     (json_int_t)ev->id, "action", ev->action, "from",
					     ev->from_status, "to", ev->to_status, "detail", ev->detail,
					     "user", ev->user_id ? json_integer(ev->user_id) : json_null(),
					     "at", ev->at));
	return ERR_OK;
}

enum err svc_pairing_events(struct service *s, const struct actor *a, int64_t id, json_t **out,
			    struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	struct db_life_pairing p;
	enum err e = life_pairing_access(c, a, id, false, &p, NULL, ei);
	if (!e) {
		json_t *items = json_array();
		if ((e = db_life_events(c, id, add_event_json, items))) {
			json_decref(items);
			e = svc_db_fail(c, e, "pairing events", ei);
		} else {
			*out = json_pack("{s:o, s:I}", "items", items, "total",
					 (json_int_t)json_array_size(items));
		}
	} else {
		e = life_finish(s, c, a, e, "pairing", ei);
	}
	store_release(s->store, c);
	return e;
}

/* ---- substitution ----------------------------------------------------------------------- */

struct subst_arg {
	const struct actor *a;
	int64_t id;
	const struct svc_substitute *in;
	struct errinfo *ei;
};

static enum err subst_tx(struct store_conn *c, void *arg)
{
	struct subst_arg *sa = arg;
	struct db_life_pairing lp;
	enum err e = life_pairing_access(c, sa->a, sa->id, true, &lp, NULL, sa->ei);
	if (e)
		return e;
	const struct db_pairing *p = &lp.p;
	if (!strcmp(p->status, "completed") || !strcmp(p->status, "dissolved"))
		return errinfo_set(sa->ei, ERR_CONFLICT, NULL,
				   "帮带对子已结束 (the pairing is %s)", p->status);
	if (!life_in_list(p->mentors, sa->in->old_mentor))
		return errinfo_set(sa->ei, ERR_UNPROCESSABLE, "old_mentor",
				   "不是该对子的导师 (not a mentor of this pairing)");
	if (life_in_list(p->mentors, sa->in->new_mentor))
		return errinfo_set(sa->ei, ERR_CONFLICT, "new_mentor",
				   "已是该对子的导师 (already a mentor of this pairing)");
	if ((e = mentor_has_room(c, sa->a, sa->in->new_mentor, "new_mentor", sa->ei)))
		return e;
	char now[M_TIME], today[M_TIME], detail[M_TEXT + 64];
	svc_now(now);
	svc_today(today);
	if ((e = db_life_member_end(c, p->id, "mentor", sa->in->old_mentor, today)))
		return e == ERR_NOT_FOUND ? ERR_CONFLICT : e;
	e = db_pairing_member_add(c, p->id, "mentor", sa->in->new_mentor, today);
	if (e == ERR_CONFLICT)
		return errinfo_set(sa->ei, ERR_CONFLICT, "new_mentor",
				   "该导师曾在本对子中,不能再次替补 (was a mentor of this pairing before)");
	if (e)
		return e;
	struct db_life_change ch = {.to = p->status, .mentor_confirmed = -1, .mentee_confirmed = -1};
	if ((e = db_life_pairing_change(c, p->id, p->status, p->version, &ch, now)))
		return e;
	snprintf(detail, sizeof detail, "mentor %lld -> %lld: %s", (long long)sa->in->old_mentor,
		 (long long)sa->in->new_mentor, sa->in->reason);
	if ((e = add_event(c, sa->a, p->id, p->status, p->status, "substitute", detail, now)))
		return e;
	return svc_audit(c, sa->a, "substitute", "pairing", p->id, NULL, NULL, NULL);
}

enum err svc_pairing_substitute(struct service *s, const struct actor *a, int64_t id,
				const struct svc_substitute *in, json_t **out,
				struct errinfo *ei)
{
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "pairing substitute", ei);
	struct store_conn *c = store_acquire(s->store);
	struct subst_arg sa = {a, id, in, ei};
	enum err e = life_tx_answer(s, c, a, "pairing substitute", subst_tx, &sa, &id,
				    answer_pairing, out, ei);
	store_release(s->store, c);
	return e;
}

/* ---- demonstration projects ---------------------------------------------------------------- */

static json_t *project_json(const struct db_life_project *p)
{
	return json_pack("{s:I, s:s, s:s, s:i, s:s, s:i, s:i, s:s, s:s}", "id", (json_int_t)p->id,
			 "name", p->name, "region", p->region_code, "year", p->year, "description",
			 p->description, "pairings", p->pairings, "activities", p->activities,
			 "created_at", p->created_at, "updated_at", p->updated_at);
}

static enum err add_project(void *arg, const void *row)
{
	json_array_append_new(arg, project_json(row));
	return ERR_OK;
}

struct project_arg {
	const struct actor *a;
	int64_t id;
	const struct svc_project *in;
	uint64_t present;
	const int64_t *pairings;
	int n;
	struct errinfo *ei;
};

static enum err project_create_tx(struct store_conn *c, void *arg)
{
	struct project_arg *pa = arg;
	struct region r;
	enum err e = svc_region_ref(c, pa->in->region, "region", &r, pa->ei);
	if (e)
		return e;
	if (pa->a && !auth_writable(pa->a, r.path))
		return ERR_FORBIDDEN;
	struct db_life_project p;
	memset(&p, 0, sizeof p);
	snprintf(p.name, sizeof p.name, "%s", pa->in->name);
	p.region_id = r.id;
	snprintf(p.region_path, sizeof p.region_path, "%s", r.path);
	p.year = pa->in->year;
	snprintf(p.description, sizeof p.description, "%s", pa->in->description);
	char now[M_TIME];
	svc_now(now);
	if ((e = db_life_project_insert(c, &p, now)))
		return e;
	pa->id = p.id;
	return svc_audit(c, pa->a, "create", "project", p.id, NULL, NULL, NULL);
}

static enum err add_project_pairing(void *arg, const void *row)
{
	json_array_append_new(arg, json_integer(((const struct db_pairing *)row)->id));
	return ERR_OK;
}

static enum err answer_project(struct store_conn *c, int64_t id, json_t **out,
			       struct errinfo *ei)
{
	struct db_life_project p;
	enum err e = db_life_project_get(c, id, &p);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ei, ERR_NOT_FOUND, NULL, "没有这个示范项目 (no such project)");
	if (e)
		return svc_db_fail(c, e, "project", ei);
	json_t *pairs = json_array();
	if ((e = db_life_project_pairings(c, id, add_project_pairing, pairs))) {
		json_decref(pairs);
		return svc_db_fail(c, e, "project", ei);
	}
	json_t *j = project_json(&p);
	json_object_set_new(j, "pairing_ids", pairs);
	*out = j;
	return ERR_OK;
}

enum err svc_project_create(struct service *s, const struct actor *a,
			    const struct svc_project *in, json_t **out, struct errinfo *ei)
{
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "project create", ei);
	struct store_conn *c = store_acquire(s->store);
	struct project_arg pa = {a, 0, in, 0, NULL, 0, ei};
	enum err e = life_tx_answer(s, c, a, "project create", project_create_tx, &pa, &pa.id,
				    answer_project, out, ei);
	store_release(s->store, c);
	return e;
}

/* Load project id and check the caller may read (write: change) it. */
static enum err project_access(struct store_conn *c, const struct actor *a, int64_t id,
			       bool write, struct db_life_project *p, struct errinfo *ei)
{
	enum err e = db_life_project_get(c, id, p);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ei, ERR_NOT_FOUND, NULL, "没有这个示范项目 (no such project)");
	if (e || !a)
		return e;
	bool ok = write ? auth_writable(a, p->region_path) : auth_visible(a, p->region_path, NULL, 0);
	return ok ? ERR_OK : ERR_FORBIDDEN;
}

enum err svc_project_get(struct service *s, const struct actor *a, int64_t id, json_t **out,
			 struct errinfo *ei)
{
	if (a && !role_is_admin(a->role) && a->role != ROLE_AUDITOR)
		return svc_deny(s, NULL, a, "project", ei);
	struct store_conn *c = store_acquire(s->store);
	struct db_life_project p;
	enum err e = life_finish(s, c, a, project_access(c, a, id, false, &p, ei), "project", ei);
	if (!e)
		e = answer_project(c, id, out, ei);
	store_release(s->store, c);
	return e;
}

static enum err project_update_tx(struct store_conn *c, void *arg)
{
	struct project_arg *pa = arg;
	struct db_life_project p;
	enum err e = project_access(c, pa->a, pa->id, true, &p, pa->ei);
	if (e)
		return e;
	int i;
	if ((i = fields_find(&svc_project_spec, "region")) >= 0 && (pa->present >> i & 1) &&
	    strcmp(pa->in->region, p.region_code))
		return errinfo_set(pa->ei, ERR_UNPROCESSABLE, "region",
				   "示范项目的地区不能修改 (the region cannot change)");
	if ((i = fields_find(&svc_project_spec, "name")) >= 0 && (pa->present >> i & 1))
		snprintf(p.name, sizeof p.name, "%s", pa->in->name);
	if ((i = fields_find(&svc_project_spec, "year")) >= 0 && (pa->present >> i & 1))
		p.year = pa->in->year;
	if ((i = fields_find(&svc_project_spec, "description")) >= 0 && (pa->present >> i & 1))
		snprintf(p.description, sizeof p.description, "%s", pa->in->description);
	char now[M_TIME];
	svc_now(now);
	if ((e = db_life_project_update(c, &p, now)))
		return e;
	return svc_audit(c, pa->a, "update", "project", p.id, NULL, NULL, NULL);
}

enum err svc_project_update(struct service *s, const struct actor *a, int64_t id,
			    const struct svc_project *in, uint64_t present, json_t **out,
			    struct errinfo *ei)
{
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "project update", ei);
	struct store_conn *c = store_acquire(s->store);
	struct project_arg pa = {a, id, in, present, NULL, 0, ei};
	enum err e = life_tx_answer(s, c, a, "project update", project_update_tx, &pa, &id,
				    answer_project, out, ei);
	store_release(s->store, c);
	return e;
}

enum err svc_project_list(struct service *s, const struct actor *a,
			  const struct svc_list_args *la, json_t **out, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	struct list_query lq;
	enum err e = svc_list_scope(s, c, a, la, NULL, &lq, ei);
	if (!e) {
		struct db_life_q q;
		memset(&q, 0, sizeof q);
		snprintf(q.lo, sizeof q.lo, "%s", lq.root_lo);
		snprintf(q.hi, sizeof q.hi, "%s", lq.root_hi);
		q.limit = lq.limit;
		q.offset = lq.offset;
		json_t *items = json_array();
		int64_t total = 0;
		if ((e = db_life_project_list(c, &q, add_project, items, &total))) {
			json_decref(items);
			e = svc_db_fail(c, e, "projects", ei);
		} else {
			*out = json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total",
					 (json_int_t)total, "limit", q.limit, "offset", q.offset);
		}
	}
	store_release(s->store, c);
	return e;
}

static enum err project_pairings_tx(struct store_conn *c, void *arg)
{
	struct project_arg *pa = arg;
	struct db_life_project pj;
	enum err e = project_access(c, pa->a, pa->id, true, &pj, pa->ei);
	if (e)
		return e;
	char now[M_TIME];
	svc_now(now);
	for (int i = 0; i < pa->n; i++) {
		struct db_life_pairing lp;
		if ((e = life_pairing_access(c, pa->a, pa->pairings[i], true, &lp, NULL, pa->ei)) ==
		    ERR_NOT_FOUND)
			return errinfo_set(pa->ei, ERR_UNPROCESSABLE, "pairings",
					   "没有帮带对子 %lld (no such pairing)",
					   (long long)pa->pairings[i]);
		if (e)
			return e;
		if (!path_within(lp.p.region_path, pj.region_path))
			return errinfo_set(pa->ei, ERR_UNPROCESSABLE, "pairings",
					   "帮带对子 %lld 不在示范项目的地区内 (outside the project's region)",
					   (long long)pa->pairings[i]);
		if ((e = db_life_pairing_set_project(c, lp.p.id, pj.id, now)))
			return e;
	}
	return svc_audit(c, pa->a, "add_pairings", "project", pj.id, NULL, NULL, NULL);
}

enum err svc_project_add_pairings(struct service *s, const struct actor *a, int64_t id,
				  const int64_t *pairings, int n, json_t **out,
				  struct errinfo *ei)
{
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "project pairings", ei);
	if (n < 1 || n > SVC_LIFE_MAX_PAIRINGS)
		return errinfo_set(ei, ERR_INVALID, "pairings", "应有 1 到 %d 个帮带对子",
				   SVC_LIFE_MAX_PAIRINGS);
	struct store_conn *c = store_acquire(s->store);
	struct project_arg pa = {a, id, NULL, 0, pairings, n, ei};
	enum err e = life_tx_answer(s, c, a, "project pairings", project_pairings_tx, &pa, &id,
				    answer_project, out, ei);
	store_release(s->store, c);
	return e;
}
