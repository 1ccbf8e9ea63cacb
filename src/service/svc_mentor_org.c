/*
 * svc_mentor_org.c — mentor organisations 帮带党组织: strong party
 * organisations and enterprises that mentor weak organisations
 * (村企互帮). Layer: service.
 *
 * Kind is "party_org" or "enterprise"; domains are tags of the "domain"
 * vocabulary, like a mentor's; capacity (how many organisations it helps
 * at once) defaults to 1. Visible to admins and auditors in their
 * subtree; mentors and mentees are refused for now.
 */
#include <stdio.h>
#include <string.h>

#include "service/internal.h"

static const char *const sort_names[] = {"id", "name", NULL};

static bool kind_valid(const char *k)
{
	return strcmp(k, "party_org") == 0 || strcmp(k, "enterprise") == 0;
}

/* Checks of a complete record, shared by create and update. */
static enum err validate(struct store_conn *c, struct mentor_org *o, struct region *r,
			 struct errinfo *ei)
{
	enum err e;
	if (!o->name[0])
		return errinfo_set(ei, ERR_INVALID, "name", "必填 (required)");
	if (!kind_valid(o->kind))
		return errinfo_set(ei, ERR_INVALID, "kind", "应为 party_org 或 enterprise");
	if ((e = svc_region_ref(c, o->region_code, "region", r, ei)))
		return e;
	if ((e = svc_tags_check(c, "domain", o->domains, "domains", ei)))
		return e;
	if (o->capacity <= 0)
		o->capacity = 1;
	o->region_id = r->id;
	snprintf(o->region_path, sizeof o->region_path, "%s", r->path);
	snprintf(o->region_name, sizeof o->region_name, "%s", r->name);
	return ERR_OK;
}

static void search_key(struct service *s, const struct mentor_org *o, char *out, size_t n)
{
	svc_search_key(s, out, n, o->name, o->region_name, NULL);
}

struct create_arg {
	struct service *s;
	const struct actor *a;
	struct mentor_org *o;
	struct errinfo *ei;
};

static enum err create_tx(struct store_conn *c, void *arg)
{
	struct create_arg *ca = arg;
	struct mentor_org *o = ca->o;
	struct region r;
	enum err e = validate(c, o, &r, ca->ei);
	if (e)
		return e;
	if (ca->a && !auth_writable(ca->a, r.path))
		return ERR_FORBIDDEN;
	char now[M_TIME], key[3 * M_NAME];
	svc_now(now);
	search_key(ca->s, o, key, sizeof key);
	if ((e = db_mentor_org_insert(c, o, key, now)))
		return e;
	if ((e = db_mentor_org_get(c, o->id, o)))
		return e;
	return svc_audit(c, ca->a, "create", "mentor_org", o->id, &svc_mentor_org_spec, NULL, o);
}

enum err svc_mentor_org_create(struct service *s, const struct actor *a, struct mentor_org *in,
			       uint64_t present, struct errinfo *ei)
{
	(void)present;
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "mentor_org create", ei);
	struct create_arg ca = {s, a, in, ei};
	return svc_write_tx(s, a, "mentor_org create", create_tx, &ca, ei);
}

enum err svc_mentor_org_get(struct service *s, const struct actor *a, int64_t id,
			    struct mentor_org *out, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	enum err e = db_mentor_org_get(c, id, out);
	store_release(s->store, c);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ei, ERR_NOT_FOUND, NULL,
				   "没有这个帮带党组织 (no such mentor organisation)");
	if (e)
		return svc_db_fail(NULL, e, "mentor_org get", ei);
	if (!auth_visible(a, out->region_path, NULL, 0)) {
		memset(out, 0, sizeof *out);
		return svc_deny(s, NULL, a, "mentor_org", ei);
	}
	return ERR_OK;
}

struct update_arg {
	struct service *s;
	const struct actor *a;
	int64_t id;
	const struct mentor_org *in;
	uint64_t present;
	struct mentor_org *out;
	struct mentor_org before;
	struct errinfo *ei;
};

static enum err update_tx(struct store_conn *c, void *arg)
{
	struct update_arg *ua = arg;
	enum err e = db_mentor_org_get(c, ua->id, &ua->before);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ua->ei, ERR_NOT_FOUND, NULL,
				   "没有这个帮带党组织 (no such mentor organisation)");
	if (e)
		return e;
	if (!auth_writable(ua->a, ua->before.region_path))
		return ERR_FORBIDDEN;
	*ua->out = ua->before;
	fields_copy(&svc_mentor_org_spec, ua->out, ua->in, ua->present);
	struct region r;
	if ((e = validate(c, ua->out, &r, ua->ei)))
		return e;
	/* Moving it elsewhere needs the right over the destination too. */
	if (!auth_writable(ua->a, r.path))
		return ERR_FORBIDDEN;
	char now[M_TIME], key[3 * M_NAME];
	svc_now(now);
	search_key(ua->s, ua->out, key, sizeof key);
	if ((e = db_mentor_org_update(c, ua->out, key, now)))
		return e;
	if ((e = db_mentor_org_get(c, ua->id, ua->out)))
		return e;
	return svc_audit(c, ua->a, "update", "mentor_org", ua->id, &svc_mentor_org_spec,
			 &ua->before, ua->out);
}

enum err svc_mentor_org_update(struct service *s, const struct actor *a, int64_t id,
			       const struct mentor_org *in, uint64_t present,
			       struct mentor_org *out, struct errinfo *ei)
{
	if (!role_is_admin(a->role))
		return svc_deny(s, NULL, a, "mentor_org update", ei);
	struct update_arg ua = {.s = s, .a = a, .id = id, .in = in, .present = present, .out = out,
				.ei = ei};
	return svc_write_tx(s, a, "mentor_org update", update_tx, &ua, ei);
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

enum err svc_mentor_org_list(struct service *s, const struct actor *a,
			     const struct svc_list_args *la, svc_row_fn fn, void *arg,
			     int64_t *total, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	struct list_query q;
	enum err e = svc_list_scope(s, c, a, la, NULL, &q, ei);
	if (!e)
		e = svc_sort(la, sort_names, &q, ei);
	if (!e && q.kind[0] && !kind_valid(q.kind))
		e = errinfo_set(ei, ERR_INVALID, "kind", "应为 party_org 或 enterprise");
	if (!e) {
		struct fwd f = {fn, arg};
		e = db_mentor_org_list(c, &q, fwd_row, &f, total);
		if (e)
			e = svc_db_fail(c, e, "mentor_org list", ei);
	}
	store_release(s->store, c);
	return e;
}
