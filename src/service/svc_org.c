/*
 * svc_org.c — organisations: the village and community (or township)
 * party organisations that organisation mentees point at, with their
 * flags (weak/lax 软弱涣散, lagging 后进, demonstration village 示范村, weak
 * collective economy) and their star-rating history. Layer: service.
 *
 * Stars are output-only on the record: a new organisation starts at the
 * store's default of 3 stars with an empty history, and afterwards only
 * svc_org_add_stars changes them (the store makes the newest-dated
 * rating current). An organisation's region is fixed at creation: its
 * organisation mentees live in that region too.
 *
 * Visible to admins and auditors in their subtree; mentors and mentees
 * are refused for now.
 */
#include <stdio.h>
#include <string.h>

#include "service/internal.h"

static const char *const sort_names[] = {"id", "name", "stars", NULL};

static bool is_db_error(enum err e)
{
	return e == ERR_DB || e == ERR_BUSY || e == ERR_INTERNAL;
}

/* Checks of a complete record, shared by create and update. */
static enum err validate(struct store_conn *c, struct organisation *o, struct region *r,
			 struct errinfo *ei)
{
	if (!o->name[0])
		return errinfo_set(ei, ERR_INVALID, "name", "必填 (required)");
	enum err e = svc_region_ref(c, o->region_code, "region", r, ei);
	if (e)
		return e;
	if (r->level != REGION_TOWNSHIP && r->level != REGION_VILLAGE)
		return errinfo_set(ei, ERR_UNPROCESSABLE, "region",
				   "应为乡镇或村(社区) (must be a township or village)");
	o->region_id = r->id;
	snprintf(o->region_path, sizeof o->region_path, "%s", r->path);
	snprintf(o->region_name, sizeof o->region_name, "%s", r->name);
	return ERR_OK;
}

static void search_key(struct service *s, const struct organisation *o, char *out, size_t n)
{
	svc_search_key(s, out, n, o->name, o->region_name, NULL);
}

struct create_arg {
	struct service *s;
	const struct actor *a;
	struct organisation *o;
	struct errinfo *ei;
};

static enum err create_tx(struct store_conn *c, void *arg)
{
	struct create_arg *ca = arg;
	struct organisation *o = ca->o;
	struct region r;
	enum err e = validate(c, o, &r, ca->ei);
	if (e)
		return e;
	if (ca->a && !auth_writable(ca->a, r.path))
		return ERR_FORBIDDEN;
	char now[M_TIME], key[3 * M_NAME];
	svc_now(now);
	search_key(ca->s, o, key, sizeof key);
	o->stars = 0; /* output-only: the store's default applies */
	if ((e = db_org_insert(c, o, key, now)))
		return e;
	if ((e = db_org_get(c, o->id, o)))
		return e;
	return svc_audit(c, ca->a, "create", "organisation", o->id, &svc_org_spec, NULL, o);
}

enum err svc_org_create(struct service *s, const struct actor *a, struct organisation *in,
			uint64_t present, struct errinfo *ei)
{
	(void)present;
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "organisation create", ei);
	struct create_arg ca = {s, a, in, ei};
	return svc_write_tx(s, a, "organisation create", create_tx, &ca, ei);
}

enum err svc_org_get(struct service *s, const struct actor *a, int64_t id,
		     struct organisation *out, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	enum err e = db_org_get(c, id, out);
	store_release(s->store, c);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ei, ERR_NOT_FOUND, NULL, "没有这个组织 (no such organisation)");
	if (e)
		return svc_db_fail(NULL, e, "organisation get", ei);
	if (!auth_visible(a, out->region_path, NULL, 0)) {
		memset(out, 0, sizeof *out);
		return svc_deny(s, NULL, a, "organisation", ei);
	}
	return ERR_OK;
}

struct update_arg {
	struct service *s;
	const struct actor *a;
	int64_t id;
	const struct organisation *in;
	uint64_t present;
	struct organisation *out;
	struct organisation before;
	struct errinfo *ei;
};

static enum err update_tx(struct store_conn *c, void *arg)
{
	struct update_arg *ua = arg;
	enum err e = db_org_get(c, ua->id, &ua->before);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ua->ei, ERR_NOT_FOUND, NULL, "没有这个组织 (no such organisation)");
	if (e)
		return e;
	if (!auth_writable(ua->a, ua->before.region_path))
		return ERR_FORBIDDEN;
	uint64_t region_bit = 1ull << fields_find(&svc_org_spec, "region");
	if ((ua->present & region_bit) &&
	    strcmp(ua->in->region_code, ua->before.region_code) != 0)
		return errinfo_set(ua->ei, ERR_UNPROCESSABLE, "region",
				   "组织所在地区不可修改 (an organisation's region cannot be changed)");
	*ua->out = ua->before;
	fields_copy(&svc_org_spec, ua->out, ua->in, ua->present);
	ua->out->stars = ua->before.stars;
	struct region r;
	if ((e = validate(c, ua->out, &r, ua->ei)))
		return e;
	char now[M_TIME], key[3 * M_NAME];
	svc_now(now);
	search_key(ua->s, ua->out, key, sizeof key);
	if ((e = db_org_update(c, ua->out, key, now)))
		return e;
	if ((e = db_org_get(c, ua->id, ua->out)))
		return e;
	return svc_audit(c, ua->a, "update", "organisation", ua->id, &svc_org_spec, &ua->before,
			 ua->out);
}

enum err svc_org_update(struct service *s, const struct actor *a, int64_t id,
			const struct organisation *in, uint64_t present, struct organisation *out,
			struct errinfo *ei)
{
	if (!role_is_admin(a->role))
		return svc_deny(s, NULL, a, "organisation update", ei);
	struct update_arg ua = {.s = s, .a = a, .id = id, .in = in, .present = present, .out = out,
				.ei = ei};
	return svc_write_tx(s, a, "organisation update", update_tx, &ua, ei);
}

/* The bodies of create and update inside the caller's transaction (the
 * importer's): see internal.h. */
enum err svc_org_create_in(struct store_conn *c, struct service *s, const struct actor *a,
			   struct organisation *o, struct errinfo *ei)
{
	struct create_arg ca = {s, a, o, ei};
	return create_tx(c, &ca);
}

enum err svc_org_update_in(struct store_conn *c, struct service *s, const struct actor *a,
			   int64_t id, const struct organisation *in, uint64_t present,
			   struct organisation *out, struct errinfo *ei)
{
	struct update_arg ua = {.s = s, .a = a, .id = id, .in = in, .present = present, .out = out,
				.ei = ei};
	return update_tx(c, &ua);
}

/* ---- star ratings ------------------------------------------------------ */

struct star_arg {
	const struct actor *a;
	int64_t id;
	struct org_star *in;
	struct errinfo *ei;
};

static enum err star_tx(struct store_conn *c, void *arg)
{
	struct star_arg *sa = arg;
	struct organisation o;
	enum err e = db_org_get(c, sa->id, &o);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(sa->ei, ERR_NOT_FOUND, NULL, "没有这个组织 (no such organisation)");
	if (e)
		return e;
	if (sa->a && !auth_writable(sa->a, o.region_path))
		return ERR_FORBIDDEN;
	struct org_star *st = sa->in;
	st->org_id = sa->id;
	st->user_id = sa->a ? sa->a->user_id : 0;
	svc_now(st->at);
	if ((e = db_org_star_add(c, st)))
		return e;
	/* One entry: the rating itself (the current stars follow from it). */
	return svc_audit(c, sa->a, "rate", "organisation", sa->id, &svc_org_star_spec, NULL, st);
}

enum err svc_org_add_stars(struct service *s, const struct actor *a, int64_t id,
			   struct org_star *in, struct errinfo *ei)
{
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "organisation stars", ei);
	if (in->stars < 1 || in->stars > 5)
		return errinfo_set(ei, ERR_INVALID, "stars", "应为 1 到 5 (1..5)");
	if (!date_valid(in->rated_on))
		return errinfo_set(ei, ERR_INVALID, "rated_on", "日期格式应为 YYYY-MM-DD");
	char today[M_TIME];
	svc_today(today);
	if (strcmp(in->rated_on, today) > 0)
		return errinfo_set(ei, ERR_UNPROCESSABLE, "rated_on",
				   "评定日期不能晚于今天 (a rating cannot be dated in the future)");
	struct store_conn *c = store_acquire(s->store);
	struct star_arg sa = {a, id, in, ei};
	enum err e = store_tx(c, star_tx, &sa);
	if (e == ERR_FORBIDDEN)
		e = svc_deny(s, c, a, "organisation stars", ei);
	else if (is_db_error(e) || e == ERR_CONFLICT)
		e = svc_db_fail(c, e == ERR_CONFLICT ? ERR_DB : e, "organisation stars", ei);
	store_release(s->store, c);
	return e;
}

struct fwd {
	svc_row_fn fn;
	void *arg;
};

static enum err fwd_row(void *arg, const void *row)
{
	struct fwd *f = arg;
	return f->fn(f->arg, row, false);
}

enum err svc_org_stars(struct service *s, const struct actor *a, int64_t id, svc_row_fn fn,
		       void *arg, struct errinfo *ei)
{
	struct organisation o;
	enum err e = svc_org_get(s, a, id, &o, ei);
	if (e)
		return e;
	struct store_conn *c = store_acquire(s->store);
	struct fwd f = {fn, arg};
	e = db_org_stars(c, id, fwd_row, &f);
	if (e)
		e = svc_db_fail(c, e, "organisation stars", ei);
	store_release(s->store, c);
	return e;
}

enum err svc_org_list(struct service *s, const struct actor *a, const struct svc_list_args *la,
		      svc_row_fn fn, void *arg, int64_t *total, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	struct list_query q;
	enum err e = svc_list_scope(s, c, a, la, NULL, &q, ei);
	if (!e)
		e = svc_sort(la, sort_names, &q, ei);
	if (!e && (q.flag < 0 || q.flag > 4))
		e = errinfo_set(ei, ERR_INVALID, "flag",
				"应为 1 软弱涣散、2 后进、3 示范村 或 4 集体经济薄弱");
	if (!e) {
		struct fwd f = {fn, arg};
		e = db_org_list(c, &q, fwd_row, &f, total);
		if (e)
			e = svc_db_fail(c, e, "organisation list", ei);
	}
	store_release(s->store, c);
	return e;
}
