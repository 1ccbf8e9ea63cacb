/*
 * svc_due.c — what the programme office watches (SPEC §5–6): the due list
 * (what is due and overdue on a date, per jurisdiction), silent pairs
 * escalating from the township to the county and the city, the red/yellow
 * ranking 红黄榜 of pairings and townships, and the pairing-life figures of
 * /api/v1/stats. Layer: service. Reads only.
 *
 * The due list of an active pairing, from when it started (start date,
 * else ceremony, else creation) to date + due_horizon_days, for every
 * period the pairing lived through at least half of:
 *   visit      a month without a joint supervision visit 共同下村督导调研
 *              (the report's rule: at least one a month per pair), due at
 *              the month's end;
 *   monthly, quarterly, half_year, yearly
 *              an evaluation of the cycle 月了解/季座谈/半年评议/全年考核
 *              not recorded, due at the end of its calendar period;
 *   duty, task an open item of the approved plan (the mentor's duty, the
 *              mentee's task), due on its date.
 * overdue_days is date − due (so ≤ 0 means not late yet).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/vec.h"
#include "service/life.h"

typedef VEC(struct db_life_active) active_vec;
typedef VEC(struct db_life_stamp) stamp_vec;
typedef VEC(struct db_life_due_item) item_vec;
typedef VEC(struct life_due) due_vec;

/* An evaluation done: pairing, kind and period. */
struct done_eval {
	int64_t pairing_id;
	char kind[M_SHORT], period[M_SHORT];
	int score;
	char date[M_TIME];
};
typedef VEC(struct done_eval) eval_vec;

static enum err push_active(void *arg, const void *row)
{
	VEC_PUSH(*(active_vec *)arg, *(const struct db_life_active *)row);
	return ERR_OK;
}
static enum err push_stamp(void *arg, const void *row)
{
	VEC_PUSH(*(stamp_vec *)arg, *(const struct db_life_stamp *)row);
	return ERR_OK;
}
static enum err push_item(void *arg, const void *row)
{
	VEC_PUSH(*(item_vec *)arg, *(const struct db_life_due_item *)row);
	return ERR_OK;
}
static enum err push_eval(void *arg, const void *row)
{
	const struct db_life_eval *v = row;
	struct done_eval d;
	memset(&d, 0, sizeof d);
	d.pairing_id = v->pairing_id;
	snprintf(d.kind, sizeof d.kind, "%s", v->kind);
	snprintf(d.period, sizeof d.period, "%s", v->period);
	snprintf(d.date, sizeof d.date, "%s", v->date);
	d.score = v->score;
	VEC_PUSH(*(eval_vec *)arg, d);
	return ERR_OK;
}

static int cmp_eval(const void *a, const void *b)
{
	const struct done_eval *x = a, *y = b;
	if (x->pairing_id != y->pairing_id)
		return x->pairing_id < y->pairing_id ? -1 : 1;
	int c = strcmp(x->kind, y->kind);
	return c ? c : strcmp(x->period, y->period);
}

static bool eval_done(const eval_vec *ev, int64_t pairing, const char *kind, const char *period)
{
	if (!ev->n)
		return false;
	struct done_eval key;
	memset(&key, 0, sizeof key);
	key.pairing_id = pairing;
	snprintf(key.kind, sizeof key.kind, "%s", kind);
	snprintf(key.period, sizeof key.period, "%s", period);
	return ev->n && bsearch(&key, ev->v, ev->n, sizeof *ev->v, cmp_eval) != NULL;
}

/* Every evaluation recorded for pairings in [lo, hi), sorted for lookup. */
static enum err load_evals(struct store_conn *c, const char *lo, const char *hi,
			   const char *from, const char *to, eval_vec *out)
{
	struct db_life_q q;
	memset(&q, 0, sizeof q);
	snprintf(q.lo, sizeof q.lo, "%s", lo);
	snprintf(q.hi, sizeof q.hi, "%s", hi);
	snprintf(q.from, sizeof q.from, "%s", from ? from : "");
	snprintf(q.to, sizeof q.to, "%s", to ? to : "");
	int64_t total;
	enum err e = db_life_eval_list(c, &q, push_eval, out, &total);
	if (!e && out->n)
		qsort(out->v, out->n, sizeof *out->v, cmp_eval);
	return e;
}

/* The order of the kinds on one pairing's day (rank = index). */
static const char *const kind_order[] = {"visit", "monthly", "quarterly", "half_year",
					 "yearly", "duty", "task"};
enum { K_VISIT, K_MONTHLY, K_QUARTERLY, K_HALF_YEAR, K_YEARLY, K_DUTY, K_TASK };

/* Bounded copy without formatting (the list makes ~10 items a pairing). */
static void copy(char *dst, size_t n, const char *src)
{
	size_t len = src ? strlen(src) : 0;
	if (len >= n)
		len = n - 1;
	memcpy(dst, src ? src : "", len);
	dst[len] = '\0';
}

static void add_due(due_vec *out, int rank, const struct db_life_active *p, const char *due,
		    long due_day, long today, const char *period, int64_t item,
		    const char *title)
{
	struct life_due d;
	memset(&d, 0, sizeof d);
	copy(d.kind, sizeof d.kind, kind_order[rank]);
	d.rank = rank;
	d.pairing_id = p->id;
	copy(d.region_path, sizeof d.region_path, p->region_path);
	copy(d.due, sizeof d.due, due);
	d.overdue_days = today - due_day;
	copy(d.period, sizeof d.period, period);
	d.item_id = item;
	copy(d.title, sizeof d.title, title);
	VEC_PUSH(*out, d);
}

/* By pairing, due date, kind (kind_order), item. */
static int cmp_due(const void *a, const void *b)
{
	const struct life_due *x = a, *y = b;
	if (x->pairing_id != y->pairing_id)
		return x->pairing_id < y->pairing_id ? -1 : 1;
	int c = strcmp(x->due, y->due);
	if (c)
		return c;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->item_id < y->item_id ? -1 : x->item_id > y->item_id;
}

/* Day number of the first of month m of year y (m may run past 12). */
static long month_start(int y, int m)
{
	while (m > 12) {
		m -= 12;
		y++;
	}
	return life_civil(y, m, 1);
}

/* Did a pairing that started on day `start` live through at least half
 * of the period of `months` months from (y, m)? Only then is the period's
 * visit or evaluation owed: a pairing that began on 20 December owes no
 * check-in for December, nor an assessment of that year. */
static bool owes(long start, int y, int m, int months)
{
	long f = month_start(y, m), l = month_start(y, m + months) - 1;
	return start <= f + (l - f + 1) / 2;
}

/* The due items of one active pairing, unsorted, up to day `until` (of
 * year uy, month um). Dates are day numbers; text is made only for the
 * items. */
static void pairing_due(const struct db_life_active *p, const stamp_vec *visits, size_t *vi,
			const eval_vec *evals, long today, long until, int uy, int um,
			due_vec *out)
{
	const char *start = p->start_date[0] ? p->start_date
			    : p->ceremony_date[0] ? p->ceremony_date
						  : p->created_on;
	int sy, sm;
	long sday;
	if (!life_days(start, &sday))
		return;
	life_ym(start, &sy, &sm);
	/* This pairing's visits: the list is sorted by pairing, then date. */
	while (*vi < visits->n && visits->v[*vi].pairing_id < p->id)
		(*vi)++;
	size_t v0 = *vi;
	char due[M_TIME], period[M_SHORT];
	/* From the start of the first year (a half-year or a year may have
	 * begun before the pairing): what is owed is decided by owes(). */
	for (int y = sy, m = 1; y < uy || (y == uy && m <= um);) {
		long dday = month_start(y, m + 1) - 1; /* the month's end */
		if (dday <= until) {
			life_date(dday, due);
			if (owes(sday, y, m, 1)) {
				snprintf(period, sizeof period, "%04d-%02d", y, m);
				bool visited = false;
				for (size_t k = v0; k < visits->n && visits->v[k].pairing_id == p->id;
				     k++)
					visited = visited || !strncmp(visits->v[k].date, period, 7);
				if (!visited)
					add_due(out, K_VISIT, p, due, dday, today, period, 0,
						"共同下村督导调研");
				if (!eval_done(evals, p->id, "monthly", period))
					add_due(out, K_MONTHLY, p, due, dday, today, period, 0, "月了解");
			}
			if (m % 3 == 0 && owes(sday, y, m - 2, 3)) {
				snprintf(period, sizeof period, "%04d-Q%d", y, m / 3);
				if (!eval_done(evals, p->id, "quarterly", period))
					add_due(out, K_QUARTERLY, p, due, dday, today, period, 0,
						"季座谈");
			}
			if (m % 6 == 0 && owes(sday, y, m - 5, 6)) {
				snprintf(period, sizeof period, "%04d-H%d", y, m / 6);
				if (!eval_done(evals, p->id, "half_year", period))
					add_due(out, K_HALF_YEAR, p, due, dday, today, period, 0,
						"半年评议");
			}
			if (m == 12 && owes(sday, y, 1, 12)) {
				snprintf(period, sizeof period, "%04d", y);
				if (!eval_done(evals, p->id, "yearly", period))
					add_due(out, K_YEARLY, p, due, dday, today, period, 0, "全年考核");
			}
		}
		if (++m > 12) {
			m = 1;
			y++;
		}
	}
}

/* Called with every due item in list order (pairing, due date, kind,
 * item); the item is borrowed for the call. */
typedef enum err (*due_fn)(void *arg, const struct life_due *d);

/* The due list streamed: four range queries (active pairings, their
 * visits, evaluations and open plan items), then one pairing at a time,
 * so only one pairing's items are ever held and sorted. */
static enum err due_walk(struct store_conn *c, const char *lo, const char *hi, const char *date,
			 const struct life_settings *ls, due_fn fn, void *arg)
{
	long today;
	if (!life_days(date, &today))
		return ERR_INVALID;
	long until = today + ls->due_horizon_days;
	char until_s[M_TIME];
	life_date(until, until_s);
	int uy, um;
	life_ym(until_s, &uy, &um);
	active_vec actives = {0};
	stamp_vec visits = {0};
	item_vec items = {0};
	eval_vec evals = {0};
	due_vec one = {0};
	enum err e;
	if ((e = db_life_actives(c, lo, hi, push_active, &actives)) ||
	    (e = db_life_visits(c, lo, hi, push_stamp, &visits)) ||
	    (e = load_evals(c, lo, hi, NULL, NULL, &evals)) ||
	    (e = db_life_open_items(c, lo, hi, until_s, push_item, &items)))
		goto out;
	size_t vi = 0, ii = 0;
	for (size_t i = 0; i < actives.n && !e; i++) {
		const struct db_life_active *p = &actives.v[i];
		one.n = 0;
		pairing_due(p, &visits, &vi, &evals, today, until, uy, um, &one);
		while (ii < items.n && items.v[ii].pairing_id < p->id)
			ii++;
		for (; ii < items.n && items.v[ii].pairing_id == p->id; ii++) {
			const struct db_life_due_item *it = &items.v[ii];
			long dd = 0;
			life_days(it->due_date, &dd);
			add_due(&one, strcmp(it->side, "mentor") ? K_TASK : K_DUTY, p, it->due_date,
				dd, today, NULL, it->item_id, it->title);
		}
		if (one.n > 1)
			qsort(one.v, one.n, sizeof *one.v, cmp_due);
		for (size_t k = 0; k < one.n && !e; k++)
			e = fn(arg, &one.v[k]);
	}
out:
	free(actives.v);
	free(visits.v);
	free(items.v);
	free(evals.v);
	free(one.v);
	return e;
}

static enum err collect_due(void *arg, const struct life_due *d)
{
	VEC_PUSH(*(due_vec *)arg, *d);
	return ERR_OK;
}

enum err life_due_compute(struct store_conn *c, const char *lo, const char *hi,
			  const char *date, const struct life_settings *ls, struct life_due **out,
			  size_t *n)
{
	due_vec due = {0};
	enum err e = due_walk(c, lo, hi, date, ls, collect_due, &due);
	if (e) {
		free(due.v);
		due.v = NULL;
		due.n = 0;
	}
	*out = due.v;
	*n = due.n;
	return e;
}

/* The scope of a region-and-date report: the range and the date. */
static enum err report_scope(struct service *s, struct store_conn *c, const struct actor *a,
			     const char *region, char *lo, char *hi, struct errinfo *ei)
{
	struct svc_list_args la;
	memset(&la, 0, sizeof la);
	snprintf(la.region, sizeof la.region, "%s", region ? region : "");
	if (!a) {
		/* The operator: a region is required. */
		struct region r;
		enum err e = svc_region_ref(c, la.region, "region", &r, ei);
		if (e)
			return e == ERR_UNPROCESSABLE ? ERR_NOT_FOUND : e;
		snprintf(lo, M_PATH, "%s", r.path);
		snprintf(hi, M_PATH, "%s", r.path);
		size_t len = strlen(hi);
		if (len)
			hi[len - 1] = '0';
		return ERR_OK;
	}
	struct list_query q;
	enum err e = svc_list_scope(s, c, a, &la, NULL, &q, ei);
	if (e)
		return e;
	snprintf(lo, M_PATH, "%s", q.root_lo);
	snprintf(hi, M_PATH, "%s", q.root_hi);
	return ERR_OK;
}

static json_t *due_json(const struct life_due *d)
{
	char code[M_CODE];
	life_path_code(d->region_path, code);
	/* A stable key of the item: what it is, whose, of which period. */
	char key[M_NAME];
	if (d->item_id)
		snprintf(key, sizeof key, "%s-%lld-%lld", d->kind, (long long)d->pairing_id,
			 (long long)d->item_id);
	else
		snprintf(key, sizeof key, "%s-%lld-%s", d->kind, (long long)d->pairing_id, d->period);
	/* A county's list has ~10,000 items: the keys and the ASCII values
	 * made here skip jansson's format parsing and UTF-8 checks; the
	 * region code and the title (stored text) keep them. */
	json_t *j = json_object();
	json_object_set_new_nocheck(j, "code", json_string_nocheck(key));
	json_object_set_new_nocheck(j, "kind", json_string_nocheck(d->kind));
	json_object_set_new_nocheck(j, "pairing", json_integer(d->pairing_id));
	json_object_set_new_nocheck(j, "due", json_string_nocheck(d->due));
	json_object_set_new_nocheck(j, "overdue_days", json_integer(d->overdue_days));
	json_object_set_new_nocheck(j, "region", json_string(code));
	if (d->period[0])
		json_object_set_new_nocheck(j, "period", json_string_nocheck(d->period));
	if (d->item_id)
		json_object_set_new_nocheck(j, "item", json_integer(d->item_id));
	if (d->title[0])
		json_object_set_new_nocheck(j, "title", json_string(d->title));
	return j;
}

/* Counts every item, keeps the JSON of those in [first, end). */
struct page_arg {
	size_t i, first, end;
	long overdue;
	json_t *items;
};

static enum err page_item(void *arg, const struct life_due *d)
{
	struct page_arg *pa = arg;
	pa->overdue += d->overdue_days > 0;
	if (pa->i >= pa->first && pa->i < pa->end)
		json_array_append_new(pa->items, due_json(d));
	pa->i++;
	return ERR_OK;
}

enum err svc_due_list(struct service *s, const struct actor *a, const char *region,
		      const char *date, json_t **out, struct errinfo *ei)
{
	return svc_due_page(s, a, region, date, 0, 0, out, ei);
}

enum err svc_due_page(struct service *s, const struct actor *a, const char *region,
		      const char *date, int limit, int offset, json_t **out,
		      struct errinfo *ei)
{
	if (a && !role_is_admin(a->role) && a->role != ROLE_AUDITOR)
		return svc_deny(s, NULL, a, "due", ei);
	char day[M_TIME];
	if (date && date[0]) {
		if (!date_valid(date))
			return errinfo_set(ei, ERR_INVALID, "date", "日期格式应为 YYYY-MM-DD");
		snprintf(day, sizeof day, "%s", date);
	} else {
		svc_today(day);
	}
	if (limit < 0 || offset < 0)
		return errinfo_set(ei, ERR_INVALID, limit < 0 ? "limit" : "offset", "应为非负整数");
	struct store_conn *c = store_acquire(s->store);
	char lo[M_PATH], hi[M_PATH];
	struct life_settings ls;
	/* Totals over the whole list; JSON for the page only (every item
	 * without a limit, as before paging existed). */
	struct page_arg pa = {0, (size_t)offset, limit > 0 ? (size_t)offset + (size_t)limit : SIZE_MAX,
			      0, json_array()};
	enum err e = report_scope(s, c, a, region, lo, hi, ei);
	if (!e && ((e = life_settings_load(c, &ls)) ||
		   (e = due_walk(c, lo, hi, day, &ls, page_item, &pa))))
		e = svc_db_fail(c, e, "due", ei);
	store_release(s->store, c);
	if (e) {
		json_decref(pa.items);
		return e;
	}
	*out = json_pack("{s:s, s:i, s:o, s:I, s:I}", "date", day, "horizon_days",
			 ls.due_horizon_days, "items", pa.items, "total", (json_int_t)pa.i,
			 "overdue", (json_int_t)pa.overdue);
	if (limit > 0 || offset > 0) {
		json_object_set_new(*out, "limit", json_integer(limit));
		json_object_set_new(*out, "offset", json_integer(offset));
	}
	return ERR_OK;
}

/* ---- silent pairs ---------------------------------------------------------------------- */

static const char *const level_names[] = {"township", "county", "city"};
static const char *const level_zh[] = {"乡镇", "县(市、区)", "市"};

/* The escalation level an admin answers for: township admins the
 * township's flags, county admins what reached the county, the city what
 * reached the city; -1 for auditors and the operator. */
static int own_level(const struct actor *a)
{
	if (!a)
		return -1;
	switch (a->role) {
	case ROLE_TOWNSHIP_ADMIN: return 0;
	case ROLE_COUNTY_ADMIN: return 1;
	case ROLE_CITY_ADMIN: return 2;
	default: return -1;
	}
}

enum err svc_escalations(struct service *s, const struct actor *a, const char *region,
			 const char *date, json_t **out, struct errinfo *ei)
{
	if (a && !role_is_admin(a->role) && a->role != ROLE_AUDITOR)
		return svc_deny(s, NULL, a, "escalations", ei);
	char day[M_TIME];
	if (date && date[0]) {
		if (!date_valid(date))
			return errinfo_set(ei, ERR_INVALID, "date", "日期格式应为 YYYY-MM-DD");
		snprintf(day, sizeof day, "%s", date);
	} else {
		svc_today(day);
	}
	struct store_conn *c = store_acquire(s->store);
	char lo[M_PATH], hi[M_PATH];
	struct life_settings ls;
	active_vec actives = {0};
	enum err e = report_scope(s, c, a, region, lo, hi, ei);
	if (!e && ((e = life_settings_load(c, &ls)) ||
		   (e = db_life_actives(c, lo, hi, push_active, &actives))))
		e = svc_db_fail(c, e, "escalations", ei);
	if (!e) {
		long today = 0;
		life_days(day, &today);
		int mine = own_level(a), n_mine = 0;
		json_t *items = json_array();
		int counts[3] = {0, 0, 0};
		for (size_t i = 0; i < actives.n; i++) {
			const struct db_life_active *p = &actives.v[i];
			const char *last = strcmp(p->last_activity, p->last_log) > 0 ? p->last_activity
										     : p->last_log;
			if (!last[0])
				last = p->start_date[0] ? p->start_date
				       : p->ceremony_date[0] ? p->ceremony_date
							     : p->created_on;
			long ld;
			if (!life_days(last, &ld))
				continue;
			long silent = today - ld;
			if (silent < ls.silent_days)
				continue;
			int level = (int)((silent - ls.silent_days) / ls.escalate_days);
			if (level > 2)
				level = 2;
			counts[level]++;
			n_mine += level == mine;
			char code[M_CODE], key[M_CODE];
			life_path_code(p->region_path, code);
			snprintf(key, sizeof key, "silent-%lld", (long long)p->id);
			json_array_append_new(
				items, json_pack("{s:s, s:I, s:s, s:s, s:I, s:s, s:s, s:b}", "code", key,
						 "pairing", (json_int_t)p->id, "region", code, "last_contact", last,
						 "silent_days", (json_int_t)silent, "level",
						 level_names[level], "level_name", level_zh[level], "to_you",
						 level == mine));
		}
		*out = json_pack("{s:s, s:i, s:i, s:o, s:I, s:i, s:{s:i, s:i, s:i}}", "date", day,
				 "silent_days", ls.silent_days, "escalate_days", ls.escalate_days,
				 "items", items, "total", (json_int_t)json_array_size(items),
				 "to_you", n_mine, "by_level", "township", counts[0], "county",
				 counts[1], "city", counts[2]);
	}
	free(actives.v);
	store_release(s->store, c);
	return e;
}

/* ---- red/yellow ranking ------------------------------------------------------------------ */

struct rank_row {
	int64_t id;              /* pairing id, or 0 for a township */
	char path[M_PATH];       /* pairing's region, or the township's path */
	double sum;
	int n;                   /* evaluations (pairings: of the range) */
	int overdue;
	double score;            /* average minus 2 per overdue item */
};
typedef VEC(struct rank_row) rank_vec;

static int cmp_rank_desc(const void *a, const void *b)
{
	const struct rank_row *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* "/c/k/t/v/" -> "/c/k/t/" (false above a township). */
static bool township_of(const char *path, char *out)
{
	int slashes = 0;
	for (size_t i = 0; path[i]; i++)
		if (path[i] == '/' && ++slashes == 4) {
			snprintf(out, M_PATH, "%.*s", (int)i + 1, path);
			return true;
		}
	return false;
}

struct names_arg {
	char text[512];
	size_t n;
	char last_side[M_SHORT];
};

/* "导师甲、导师乙 → 对象丙" of the current members. */
static enum err add_name(void *arg, const void *row)
{
	const struct db_life_member *m = row;
	struct names_arg *na = arg;
	if (m->until[0] || na->n >= sizeof na->text - 1)
		return ERR_OK;
	const char *sep = !na->n ? "" : strcmp(na->last_side, m->side) ? " → " : "、";
	int w = snprintf(na->text + na->n, sizeof na->text - na->n, "%s%s", sep, m->name);
	if (w > 0 && na->n + (size_t)w < sizeof na->text)
		na->n += (size_t)w;
	snprintf(na->last_side, sizeof na->last_side, "%s", m->side);
	return ERR_OK;
}

static json_t *rank_json(struct store_conn *c, const struct rank_row *r, int rank, bool township)
{
	char code[M_CODE];
	life_path_code(r->path, code);
	json_t *j = json_pack("{s:i, s:s, s:f, s:i, s:i, s:f}", "rank", rank, "region", code,
			      "average_score", r->n ? r->sum / r->n : 0.0, "evaluations", r->n,
			      "overdue", r->overdue, "score", r->score);
	if (township) {
		struct region reg;
		json_object_set_new(j, "name",
				    json_string(db_region_get_by_code(c, code, &reg) ? code : reg.name));
	} else {
		struct names_arg na;
		memset(&na, 0, sizeof na);
		db_life_members(c, r->id, add_name, &na);
		json_object_set_new(j, "pairing", json_integer(r->id));
		json_object_set_new(j, "name", json_string(na.text));
	}
	return j;
}

#define RANK_TOP 10

/* Red: the best (evaluated) first; yellow: below the pass grade or with
 * three overdue items or more, the worst first. */
static void rank_lists(struct store_conn *c, rank_vec *rows, int pass, bool township, int top,
		       json_t **red, json_t **yellow)
{
	*red = json_array();
	*yellow = json_array();
	if (!rows->n)
		return;
	qsort(rows->v, rows->n, sizeof *rows->v, cmp_rank_desc);
	int nr = 0;
	for (size_t i = 0; i < rows->n && nr < top; i++) {
		const struct rank_row *r = &rows->v[i];
		if (!r->n || r->sum / r->n < pass || r->overdue >= 3)
			continue;
		json_array_append_new(*red, rank_json(c, r, ++nr, township));
	}
	int ny = 0;
	for (size_t i = rows->n; i-- > 0 && ny < top;) {
		const struct rank_row *r = &rows->v[i];
		bool weak = (r->n && r->sum / r->n < pass) || r->overdue >= 3;
		if (weak)
			json_array_append_new(*yellow, rank_json(c, r, ++ny, township));
	}
}

static struct rank_row *rank_find(rank_vec *v, int64_t id, const char *path)
{
	for (size_t i = 0; i < v->n; i++)
		if (id ? v->v[i].id == id : !strcmp(v->v[i].path, path))
			return &v->v[i];
	struct rank_row r;
	memset(&r, 0, sizeof r);
	r.id = id;
	snprintf(r.path, sizeof r.path, "%s", path);
	VEC_PUSH(*v, r);
	return &v->v[v->n - 1];
}

enum err svc_rankings(struct service *s, const struct actor *a, const char *region,
		      const struct svc_life_range *range, json_t **out, struct errinfo *ei)
{
	if (a && !role_is_admin(a->role) && a->role != ROLE_AUDITOR)
		return svc_deny(s, NULL, a, "rankings", ei);
	char from[M_TIME], to[M_TIME];
	if (range && range->to[0]) {
		if (!date_valid(range->to))
			return errinfo_set(ei, ERR_INVALID, "to", "日期格式应为 YYYY-MM-DD");
		snprintf(to, sizeof to, "%s", range->to);
	} else {
		svc_today(to);
	}
	long tday = 0;
	life_days(to, &tday);
	if (range && range->from[0]) {
		if (!date_valid(range->from))
			return errinfo_set(ei, ERR_INVALID, "from", "日期格式应为 YYYY-MM-DD");
		snprintf(from, sizeof from, "%s", range->from);
	} else {
		life_date(tday - 365, from);
	}
	struct store_conn *c = store_acquire(s->store);
	char lo[M_PATH], hi[M_PATH];
	struct life_settings ls;
	eval_vec evals = {0};
	rank_vec pairs = {0}, towns = {0};
	struct life_due *due = NULL;
	size_t ndue = 0;
	enum err e = report_scope(s, c, a, region, lo, hi, ei);
	if (!e) {
		struct life_settings l0;
		if ((e = life_settings_load(c, &ls)))
			goto fail;
		/* Overdue on `to`, not what falls due after it. */
		l0 = ls;
		l0.due_horizon_days = 0;
		if ((e = load_evals(c, lo, hi, from, to, &evals)) ||
		    (e = life_due_compute(c, lo, hi, to, &l0, &due, &ndue)))
			goto fail;
		/* Pairing paths come with the due items and, for evaluations,
		 * from the pairing itself. */
		for (size_t i = 0; i < evals.n; i++) {
			struct db_life_pairing lp;
			struct rank_row *r = NULL;
			for (size_t k = 0; k < pairs.n && !r; k++)
				if (pairs.v[k].id == evals.v[i].pairing_id)
					r = &pairs.v[k];
			if (!r) {
				if ((e = db_life_pairing_get(c, evals.v[i].pairing_id, &lp)))
					goto fail;
				r = rank_find(&pairs, lp.p.id, lp.p.region_path);
			}
			r->sum += evals.v[i].score;
			r->n++;
		}
		for (size_t i = 0; i < ndue; i++)
			if (due[i].overdue_days > 0)
				rank_find(&pairs, due[i].pairing_id, due[i].region_path)->overdue++;
		for (size_t i = 0; i < pairs.n; i++) {
			struct rank_row *r = &pairs.v[i];
			r->score = (r->n ? r->sum / r->n : 0) - 2.0 * r->overdue;
			char town[M_PATH];
			if (!township_of(r->path, town))
				continue;
			struct rank_row *t = rank_find(&towns, 0, town);
			t->sum += r->n ? r->sum / r->n : 0;
			t->n += r->n ? 1 : 0;
			t->overdue += r->overdue;
			t->id = 0;
		}
		for (size_t i = 0; i < towns.n; i++) {
			struct rank_row *t = &towns.v[i];
			t->score = (t->n ? t->sum / t->n : 0) - 2.0 * t->overdue / (t->n ? t->n : 1);
		}
		int pass = 60;
		for (int g = 0; g < ls.ngrades; g++)
			if (!strcmp(ls.grades[g].code, "pass"))
				pass = ls.grades[g].min;
		json_t *rp, *yp, *rt, *yt;
		rank_lists(c, &pairs, pass, false, RANK_TOP, &rp, &yp);
		rank_lists(c, &towns, pass, true, RANK_TOP / 2, &rt, &yt);
		*out = json_pack("{s:s, s:s, s:{s:o, s:o}, s:{s:o, s:o}, s:I, s:I}", "from", from,
				 "to", to, "red", "pairings", rp, "townships", rt, "yellow",
				 "pairings", yp, "townships", yt, "pairings_ranked",
				 (json_int_t)pairs.n, "townships_ranked", (json_int_t)towns.n);
	}
	goto out;
fail:
	e = svc_db_fail(c, e, "rankings", ei);
out:
	free(evals.v);
	free(pairs.v);
	free(towns.v);
	free(due);
	store_release(s->store, c);
	return e;
}

/* ---- the figures of /api/v1/stats ---------------------------------------------------------- */

static enum err put_count(void *arg, const char *key, int64_t n)
{
	json_object_set_new(arg, key[0] ? key : "(none)", json_integer(n));
	return ERR_OK;
}

static enum err group(struct store_conn *c, enum db_life_group g, const char *lo,
		      const char *hi, const char *from, const char *to, json_t *parent,
		      const char *name)
{
	json_t *o = json_object();
	enum err e = db_life_count_group(c, g, lo, hi, from, to, put_count, o);
	if (e) {
		json_decref(o);
		return e;
	}
	json_object_set_new(parent, name, o);
	return ERR_OK;
}

static enum err fold_pairing(void *arg, const char *const *keys, int64_t n)
{
	struct fold *f = arg;
	for (int k = 0; k < 3; k++)
		fold_add(&f[k], keys[k], n);
	return ERR_OK;
}

/* by_mode, by_status, by_origin of the pairings from one pass. */
static enum err pairing_groups(struct store_conn *c, const char *lo, const char *hi,
			       const char *from, const char *to, json_t *pairings)
{
	struct fold f[3];
	memset(f, 0, sizeof f);
	enum err e = db_life_pairing_mix(c, lo, hi, from, to, fold_pairing, f);
	if (!e) {
		json_object_set_new(pairings, "by_mode", fold_json(&f[0], NULL));
		json_object_set_new(pairings, "by_status", fold_json(&f[1], NULL));
		json_object_set_new(pairings, "by_origin", fold_json(&f[2], NULL));
	}
	for (int k = 0; k < 3; k++)
		fold_free(&f[k]);
	return e;
}

enum err life_stats(struct store_conn *c, const char *lo, const char *hi, const char *from,
		    const char *to, json_t *root)
{
	char f[M_TIME], t[M_TIME], today[M_TIME];
	svc_today(today);
	snprintf(f, sizeof f, "%s", from && from[0] ? from : "0000-01-01");
	snprintf(t, sizeof t, "%s", to && to[0] ? to : "9999-12-31");
	json_t *pairings = json_object(), *acts = json_object(), *evals = json_object(),
	       *plans = json_object();
	json_object_set_new(root, "pairings", pairings);
	json_object_set_new(root, "activities", acts);
	json_object_set_new(root, "evaluations", evals);
	json_object_set_new(root, "plans", plans);
	struct db_life_totals tot;
	struct life_settings ls;
	enum err e;
	if ((e = life_settings_load(c, &ls)) ||
	    (e = pairing_groups(c, lo, hi, f, t, pairings)) ||
	    (e = group(c, DB_LIFE_ACTIVITIES_BY_TYPE, lo, hi, f, t, acts, "by_type")) ||
	    (e = group(c, DB_LIFE_ACTIVITIES_BY_MONTH, lo, hi, f, t, acts, "by_month")) ||
	    (e = group(c, DB_LIFE_TRAINED_BY_MONTH, lo, hi, f, t, acts, "trained_by_month")) ||
	    (e = group(c, DB_LIFE_EVALS_BY_GRADE, lo, hi, f, t, evals, "by_grade")) ||
	    (e = group(c, DB_LIFE_EVALS_BY_KIND, lo, hi, f, t, evals, "by_kind")) ||
	    (e = db_life_totals(c, lo, hi, f, t, &tot)))
		return e;
	json_object_set_new(pairings, "total", json_integer(tot.pairings));
	json_object_set_new(acts, "total", json_integer(tot.activities));
	json_object_set_new(acts, "people_trained", json_integer(tot.trained));
	json_object_set_new(evals, "total", json_integer(tot.evaluations));
	json_object_set_new(evals, "average_score", json_real(tot.avg_score));
	json_t *names = json_object();
	for (int g = 0; g < ls.ngrades; g++)
		json_object_set_new(names, ls.grades[g].code, json_string(ls.grades[g].name));
	json_object_set_new(evals, "grade_names", names);
	json_object_set_new(plans, "total", json_integer(tot.plans));
	json_object_set_new(plans, "items", json_integer(tot.plan_items));
	json_object_set_new(plans, "items_done", json_integer(tot.plan_items_done));
	json_object_set_new(root, "work_logs", json_pack("{s:I}", "total", (json_int_t)tot.logs));
	json_object_set_new(root, "projects", json_pack("{s:I}", "total", (json_int_t)tot.projects));
	/* Three-star-and-above organisations: their share on the end date
	 * against the baseline (from, else the setting, else the pilot's
	 * first rating), in percentage points. */
	char base[M_TIME], end[M_TIME];
	if (from && from[0])
		snprintf(base, sizeof base, "%s", from);
	else if (ls.baseline_date[0])
		snprintf(base, sizeof base, "%s", ls.baseline_date);
	else if ((e = db_life_first_rating(c, lo, hi, base)))
		return e;
	snprintf(end, sizeof end, "%s", to && to[0] ? to : today);
	int64_t three0 = 0, rated0 = 0, three1 = 0, rated1 = 0;
	if (base[0] && (e = db_life_three_star(c, lo, hi, base, &three0, &rated0)))
		return e;
	if ((e = db_life_three_star(c, lo, hi, end, &three1, &rated1)))
		return e;
	double share0 = rated0 ? 100.0 * (double)three0 / (double)rated0 : 0;
	double share1 = rated1 ? 100.0 * (double)three1 / (double)rated1 : 0;
	json_t *outcomes = json_object_get(root, "outcomes");
	if (!outcomes) {
		outcomes = json_object();
		json_object_set_new(root, "outcomes", outcomes);
	}
	json_object_set_new(outcomes, "people_trained", json_integer(tot.trained));
	json_object_set_new(outcomes, "three_star_change_pct",
			    json_real(rated0 && rated1 ? share1 - share0 : 0));
	json_object_set_new(outcomes, "three_star",
			    json_pack("{s:o, s:s, s:I, s:I, s:I, s:I, s:f, s:f}", "baseline_date",
				      life_str(base), "date", end, "baseline", (json_int_t)three0,
				      "baseline_rated", (json_int_t)rated0, "now", (json_int_t)three1,
				      "now_rated", (json_int_t)rated1, "baseline_pct", share0,
				      "now_pct", share1));
	json_object_set_new(root, "range",
			    json_pack("{s:o, s:o}", "from", life_str(from), "to", life_str(to)));
	return ERR_OK;
}
