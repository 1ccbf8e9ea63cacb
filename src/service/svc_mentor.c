/*
 * svc_mentor.c — the mentor library 导师库: nomination, the selection
 * pipeline with its audit trail, edits and lists. Layer: service.
 *
 * Nothing is deleted: a mentor leaves the library by "retire" or
 * "reject", and every step is kept in mentor_transitions with who, when
 * and why, besides the audit log.
 */
#include <stdio.h>
#include <string.h>

#include "service/internal.h"
#include "store/db_match.h"

static const char *const sort_names[] = {"id", "name", "created_at", "capacity", NULL};

/* Checks of a complete record, shared by create and update. */
static enum err validate(struct store_conn *c, struct mentor *m, struct region *r,
			 struct errinfo *ei)
{
	enum err e;
	if (tier_parse(m->tier) == TIER_NONE)
		return errinfo_set(ei, ERR_INVALID, "tier", "应为 city、county 或 township");
	if (team_type_parse(m->team_type) == TEAM_NONE)
		return errinfo_set(ei, ERR_INVALID, "team_type",
				   "应为 expert、experienced 或 grassroots (三型)");
	if (m->gender[0] && strcmp(m->gender, "男") != 0 && strcmp(m->gender, "女") != 0)
		return errinfo_set(ei, ERR_INVALID, "gender", "应为 男 或 女");
	if ((e = svc_region_ref(c, m->region_code, "region", r, ei)))
		return e;
	/* The library's tier must fit the region: a township-tier mentor
	 * belongs to a township (or lower), a county-tier one to a county. */
	enum tier t = tier_parse(m->tier);
	if ((t == TIER_TOWNSHIP && r->level < REGION_TOWNSHIP) ||
	    (t == TIER_COUNTY && r->level < REGION_COUNTY))
		return errinfo_set(ei, ERR_UNPROCESSABLE, "region",
				   "地区层级低于导师库层级 (region above the library tier)");
	if ((e = svc_vocab_check(c, "source", m->source, "source", ei)))
		return e;
	if ((e = svc_tags_check(c, "domain", m->domains, "domains", ei)))
		return e;
	if (m->capacity <= 0)
		m->capacity = 1;
	m->region_id = r->id;
	snprintf(m->region_path, sizeof m->region_path, "%s", r->path);
	snprintf(m->region_name, sizeof m->region_name, "%s", r->name);
	return ERR_OK;
}

static void search_key(struct service *s, const struct mentor *m, char *out, size_t n)
{
	svc_search_key(s, out, n, m->name, m->post, m->region_name);
}

struct create_arg {
	struct service *s;
	const struct actor *a;
	struct mentor *m;
	struct errinfo *ei;
};

static enum err create_tx(struct store_conn *c, void *arg)
{
	struct create_arg *ca = arg;
	struct mentor *m = ca->m;
	struct region r;
	enum err e = validate(c, m, &r, ca->ei);
	if (e)
		return e;
	if (ca->a && !auth_writable(ca->a, r.path))
		return errinfo_set(ca->ei, ERR_FORBIDDEN, "region", "无权在该地区提名 (outside your jurisdiction)");
	char now[M_TIME], key[3 * M_NAME];
	svc_now(now);
	search_key(ca->s, m, key, sizeof key);
	snprintf(m->status, sizeof m->status, "%s", mstatus_name(MSTATUS_NOMINATED));
	m->letter_no[0] = m->appointed_on[0] = '\0';
	if ((e = db_mentor_insert(c, m, key, now)))
		return e == ERR_CONFLICT
			       ? errinfo_set(ca->ei, ERR_CONFLICT, "phone",
					     "手机号或身份证号已存在 (phone or ID number already registered)")
			       : e;
	struct mentor_transition t;
	memset(&t, 0, sizeof t);
	t.mentor_id = m->id;
	t.user_id = ca->a ? ca->a->user_id : 0;
	snprintf(t.from_status, sizeof t.from_status, "%s", "");
	snprintf(t.to_status, sizeof t.to_status, "%s", m->status);
	snprintf(t.action, sizeof t.action, "%s", "nominate");
	snprintf(t.at, sizeof t.at, "%s", now);
	if ((e = db_mentor_transition_add(c, &t)))
		return e;
	if ((e = db_mentor_get(c, m->id, m)))
		return e;
	return svc_audit(c, ca->a, "create", "mentor", m->id, &svc_mentor_spec, NULL, m);
}

enum err svc_mentor_create(struct service *s, const struct actor *a, struct mentor *in,
			   uint64_t present, struct errinfo *ei)
{
	(void)present;
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "mentor create", ei);
	struct store_conn *c = store_acquire(s->store);
	struct create_arg ca = {s, a, in, ei};
	enum err e = store_tx(c, create_tx, &ca);
	if (e == ERR_FORBIDDEN)
		svc_deny(s, c, a, "mentor create", NULL);
	else if (e == ERR_DB || e == ERR_BUSY || e == ERR_INTERNAL)
		e = svc_db_fail(c, e, "mentor create", ei);
	store_release(s->store, c);
	return e;
}

enum err svc_mentor_get(struct service *s, const struct actor *a, int64_t id, struct mentor *out,
			bool *masked, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	enum err e = db_mentor_get(c, id, out);
	store_release(s->store, c);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ei, ERR_NOT_FOUND, NULL, "没有这位导师 (no such mentor)");
	if (e)
		return svc_db_fail(NULL, e, "mentor get", ei);
	if (!auth_visible(a, out->region_path, "mentor", out->id)) {
		memset(out, 0, sizeof *out);
		return svc_deny(s, NULL, a, "mentor", ei);
	}
	if (masked)
		*masked = auth_masks(a, "mentor", id);
	return ERR_OK;
}

struct update_arg {
	struct service *s;
	const struct actor *a;
	int64_t id;
	const struct mentor *in;
	uint64_t present;
	struct mentor *out;
	struct mentor before;
	struct errinfo *ei;
};

static enum err update_tx(struct store_conn *c, void *arg)
{
	struct update_arg *ua = arg;
	enum err e = db_mentor_get(c, ua->id, &ua->before);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ua->ei, ERR_NOT_FOUND, NULL, "没有这位导师 (no such mentor)");
	if (e)
		return e;
	if (!auth_writable(ua->a, ua->before.region_path))
		return ERR_FORBIDDEN;
	*ua->out = ua->before;
	fields_copy(&svc_mentor_spec, ua->out, ua->in, ua->present);
	struct region r;
	if ((e = validate(c, ua->out, &r, ua->ei)))
		return e;
	if (!auth_writable(ua->a, r.path))
		return ERR_FORBIDDEN;
	/* Capacity may not drop below the pairings the mentor already has
	 * open: the capacity rule of svc_life.c holds for edits too. */
	if (ua->out->capacity < ua->before.capacity) {
		int64_t open = 0;
		if ((e = db_pairing_open_count(c, "mentor", ua->id, &open)))
			return e;
		if (open > ua->out->capacity)
			return errinfo_set(ua->ei, ERR_CONFLICT, "capacity",
					   "帮带名额不能少于在帮人数 %lld (below the %lld open pairings)",
					   (long long)open, (long long)open);
	}
	char now[M_TIME], key[3 * M_NAME];
	svc_now(now);
	search_key(ua->s, ua->out, key, sizeof key);
	if ((e = db_mentor_update(c, ua->out, key, now)))
		return e == ERR_CONFLICT
			       ? errinfo_set(ua->ei, ERR_CONFLICT, "phone",
					     "手机号或身份证号已存在 (phone or ID number already registered)")
			       : e;
	if ((e = db_mentor_get(c, ua->id, ua->out)))
		return e;
	return svc_audit(c, ua->a, "update", "mentor", ua->id, &svc_mentor_spec, &ua->before,
			 ua->out);
}

enum err svc_mentor_update(struct service *s, const struct actor *a, int64_t id,
			   const struct mentor *in, uint64_t present, struct mentor *out,
			   struct errinfo *ei)
{
	if (!role_is_admin(a->role))
		return svc_deny(s, NULL, a, "mentor update", ei);
	struct update_arg ua = {.s = s, .a = a, .id = id, .in = in, .present = present, .out = out,
				.ei = ei};
	return svc_write_tx(s, a, "mentor update", update_tx, &ua, ei);
}

/* The bodies of create and update inside the caller's transaction (the
 * importer's): see internal.h. */
enum err svc_mentor_create_in(struct store_conn *c, struct service *s, const struct actor *a,
			      struct mentor *m, struct errinfo *ei)
{
	struct create_arg ca = {s, a, m, ei};
	return create_tx(c, &ca);
}

enum err svc_mentor_update_in(struct store_conn *c, struct service *s, const struct actor *a,
			      int64_t id, const struct mentor *in, uint64_t present,
			      struct mentor *out, struct errinfo *ei)
{
	struct update_arg ua = {.s = s, .a = a, .id = id, .in = in, .present = present, .out = out,
				.ei = ei};
	return update_tx(c, &ua);
}

struct transition_arg {
	struct service *s;
	const struct actor *a;
	int64_t id;
	enum maction action;
	const char *reason;
	struct mentor *out;
	struct errinfo *ei;
};

static enum err transition_tx(struct store_conn *c, void *arg)
{
	struct transition_arg *ta = arg;
	struct mentor before;
	enum err e = db_mentor_get(c, ta->id, &before);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ta->ei, ERR_NOT_FOUND, NULL, "没有这位导师 (no such mentor)");
	if (e)
		return e;
	if (!auth_writable(ta->a, before.region_path))
		return ERR_FORBIDDEN;
	enum mstatus from = mstatus_parse(before.status), to;
	enum role need;
	bool needs_reason;
	if (mentor_transition(from, ta->action, &to, &need, &needs_reason))
		return errinfo_set(ta->ei, ERR_CONFLICT, "action",
				   "当前状态 %s 不能执行 %s (not allowed from this status)",
				   before.status, maction_name(ta->action));
	if (!role_at_least(ta->a->role, need))
		return ERR_FORBIDDEN;
	if (needs_reason && !ta->reason[0])
		return errinfo_set(ta->ei, ERR_INVALID, "reason", "必须填写理由 (a reason is required)");
	char now[M_TIME], letter[M_CODE] = "", today[M_TIME] = "";
	svc_now(now);
	if (to == MSTATUS_ACTIVE && !before.letter_no[0]) {
		/* The appointment letter 聘书 gets the next number of its year. */
		int64_t n;
		char counter[32];
		memcpy(today, now, 10);
		today[10] = '\0';
		snprintf(counter, sizeof counter, "letter-%.4s", now);
		if ((e = db_counter_next(c, counter, &n)))
			return e;
		snprintf(letter, sizeof letter, "YCDS-%.4s-%04lld", now, (long long)n);
	}
	if ((e = db_mentor_set_status(c, ta->id, mstatus_name(to), letter, today, now)))
		return e;
	struct mentor_transition t;
	memset(&t, 0, sizeof t);
	t.mentor_id = ta->id;
	t.user_id = ta->a->user_id;
	snprintf(t.from_status, sizeof t.from_status, "%s", before.status);
	snprintf(t.to_status, sizeof t.to_status, "%s", mstatus_name(to));
	snprintf(t.action, sizeof t.action, "%s", maction_name(ta->action));
	snprintf(t.reason, sizeof t.reason, "%s", ta->reason);
	snprintf(t.at, sizeof t.at, "%s", now);
	if ((e = db_mentor_transition_add(c, &t)))
		return e;
	if ((e = db_mentor_get(c, ta->id, ta->out)))
		return e;
	return svc_audit(c, ta->a, maction_name(ta->action), "mentor", ta->id, &svc_mentor_spec,
			 &before, ta->out);
}

enum err svc_mentor_transition(struct service *s, const struct actor *a, int64_t id,
			       const char *action, const char *reason, struct mentor *out,
			       struct errinfo *ei)
{
	if (!role_is_admin(a->role))
		return svc_deny(s, NULL, a, "mentor transition", ei);
	enum maction act = maction_parse(action);
	if (act == MACTION_NONE)
		return errinfo_set(ei, ERR_INVALID, "action",
				   "未知操作 (unknown action; one of shortlist, file, appoint, pause, "
				   "resume, retire, reject)");
	struct transition_arg ta = {s, a, id, act, reason ? reason : "", out, ei};
	return svc_write_tx(s, a, "mentor transition", transition_tx, &ta, ei);
}

struct fwd {
	svc_row_fn fn;
	void *arg;
	const struct actor *a;
};

static enum err fwd_transition(void *arg, const void *row)
{
	struct fwd *f = arg;
	return f->fn(f->arg, row, false);
}

enum err svc_mentor_history(struct service *s, const struct actor *a, int64_t id, svc_row_fn fn,
			    void *arg, struct errinfo *ei)
{
	struct mentor m;
	enum err e = svc_mentor_get(s, a, id, &m, NULL, ei);
	if (e)
		return e;
	struct store_conn *c = store_acquire(s->store);
	struct fwd f = {fn, arg, a};
	e = db_mentor_transitions(c, id, fwd_transition, &f);
	if (e)
		e = svc_db_fail(c, e, "mentor history", ei);
	store_release(s->store, c);
	return e;
}

static enum err fwd_mentor(void *arg, const void *row)
{
	struct fwd *f = arg;
	const struct mentor *m = row;
	return f->fn(f->arg, row, auth_masks(f->a, "mentor", m->id));
}

enum err svc_mentor_list(struct service *s, const struct actor *a, const struct svc_list_args *la,
			 svc_row_fn fn, void *arg, int64_t *total, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	struct list_query q;
	enum err e = svc_list_scope(s, c, a, la, "mentor", &q, ei);
	if (!e)
		e = svc_sort(la, sort_names, &q, ei);
	if (!e && q.status[0] && mstatus_parse(q.status) == MSTATUS_NONE)
		e = errinfo_set(ei, ERR_INVALID, "status", "未知状态 (unknown status)");
	if (!e) {
		struct fwd f = {fn, arg, a};
		e = db_mentor_list(c, &q, fwd_mentor, &f, total);
		if (e)
			e = svc_db_fail(c, e, "mentor list", ei);
	}
	store_release(s->store, c);
	return e;
}
