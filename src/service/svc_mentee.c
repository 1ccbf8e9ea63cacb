/*
 * svc_mentee.c — mentees 帮带对象: the people (six configurable
 * categories) and organisations (weak/lax, lagging, weak-economy village
 * party organisations) to be mentored. Layer: service.
 *
 * A person mentee carries its category, gender, phone, ID number and
 * talent team; an organisation mentee points at its row in
 * `organisations` and lives where that organisation lives (its region is
 * the organisation's), with no personal data. Both record their post and
 * weaknesses 短板弱项 (domain tags, like a mentor's expertise).
 *
 * Visibility: admins and auditors in their subtree; a mentee only itself;
 * a mentor sees no mentee records until pairings exist.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "service/internal.h"

static const char *const sort_names[] = {"id", "name", "created_at", NULL};

static const char *const conflict_msg =
	"手机号或身份证号已存在 (phone or ID number already registered)";

/* Checks of a complete record, shared by create and update. For an
 * organisation mentee an empty region takes the organisation's. */
static enum err validate(struct store_conn *c, struct mentee *m, struct region *r,
			 struct errinfo *ei)
{
	enum err e;
	if (!m->name[0])
		return errinfo_set(ei, ERR_INVALID, "name", "必填 (required)");
	bool person = strcmp(m->kind, "person") == 0;
	if (!person && strcmp(m->kind, "org") != 0)
		return errinfo_set(ei, ERR_INVALID, "kind", "应为 person 或 org");
	if (person) {
		if (m->org_id)
			return errinfo_set(ei, ERR_INVALID, "organisation",
					   "仅用于组织类帮带对象 (only for kind org)");
		if (m->gender[0] && strcmp(m->gender, "男") != 0 && strcmp(m->gender, "女") != 0)
			return errinfo_set(ei, ERR_INVALID, "gender", "应为 男 或 女");
		if (!m->category[0])
			return errinfo_set(ei, ERR_INVALID, "category", "必填 (required)");
		if ((e = svc_vocab_check(c, "category", m->category, "category", ei)))
			return e;
		if ((e = svc_region_ref(c, m->region_code, "region", r, ei)))
			return e;
	} else {
		/* An organisation has no personal data and no person category. */
		static const struct {
			size_t off;
			const char *field;
		} personal[] = {
			{offsetof(struct mentee, gender), "gender"},
			{offsetof(struct mentee, phone), "phone"},
			{offsetof(struct mentee, id_number), "id_number"},
			{offsetof(struct mentee, category), "category"},
		};
		for (size_t i = 0; i < sizeof personal / sizeof personal[0]; i++)
			if (((const char *)m)[personal[i].off])
				return errinfo_set(ei, ERR_INVALID, personal[i].field,
						   "组织类帮带对象不填此项 (not for kind org)");
		if (m->birth_year)
			return errinfo_set(ei, ERR_INVALID, "birth_year",
					   "组织类帮带对象不填此项 (not for kind org)");
		if (!m->org_id)
			return errinfo_set(ei, ERR_INVALID, "organisation", "必填 (required)");
		struct organisation o;
		e = db_org_get(c, m->org_id, &o);
		if (e == ERR_NOT_FOUND)
			return errinfo_set(ei, ERR_UNPROCESSABLE, "organisation",
					   "没有这个组织 (no such organisation: %lld)",
					   (long long)m->org_id);
		if (e)
			return e;
		if (!m->region_code[0])
			snprintf(m->region_code, sizeof m->region_code, "%s", o.region_code);
		if (strcmp(m->region_code, o.region_code) != 0)
			return errinfo_set(ei, ERR_UNPROCESSABLE, "region",
					   "应为该组织所在地区 %s (must be the organisation's region)",
					   o.region_code);
		if ((e = svc_region_ref(c, m->region_code, "region", r, ei)))
			return e;
	}
	if (m->talent_team[0] &&
	    (e = svc_vocab_check(c, "talent_team", m->talent_team, "talent_team", ei)))
		return e;
	if ((e = svc_tags_check(c, "domain", m->weaknesses, "weaknesses", ei)))
		return e;
	m->region_id = r->id;
	snprintf(m->region_path, sizeof m->region_path, "%s", r->path);
	snprintf(m->region_name, sizeof m->region_name, "%s", r->name);
	return ERR_OK;
}

static void search_key(struct service *s, const struct mentee *m, char *out, size_t n)
{
	svc_search_key(s, out, n, m->name, m->post, m->region_name);
}

struct create_arg {
	struct service *s;
	const struct actor *a;
	struct mentee *m;
	struct errinfo *ei;
};

static enum err create_tx(struct store_conn *c, void *arg)
{
	struct create_arg *ca = arg;
	struct mentee *m = ca->m;
	struct region r;
	enum err e = validate(c, m, &r, ca->ei);
	if (e)
		return e;
	if (ca->a && !auth_writable(ca->a, r.path))
		return ERR_FORBIDDEN;
	char now[M_TIME], key[3 * M_NAME];
	svc_now(now);
	search_key(ca->s, m, key, sizeof key);
	snprintf(m->status, sizeof m->status, "%s", "active");
	if ((e = db_mentee_insert(c, m, key, now)))
		return e == ERR_CONFLICT ? errinfo_set(ca->ei, ERR_CONFLICT, "phone", "%s", conflict_msg)
					 : e;
	if ((e = db_mentee_get(c, m->id, m)))
		return e;
	return svc_audit(c, ca->a, "create", "mentee", m->id, &svc_mentee_spec, NULL, m);
}

enum err svc_mentee_create(struct service *s, const struct actor *a, struct mentee *in,
			   uint64_t present, struct errinfo *ei)
{
	(void)present;
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "mentee create", ei);
	struct create_arg ca = {s, a, in, ei};
	return svc_write_tx(s, a, "mentee create", create_tx, &ca, ei);
}

enum err svc_mentee_get(struct service *s, const struct actor *a, int64_t id, struct mentee *out,
			bool *masked, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	enum err e = db_mentee_get(c, id, out);
	store_release(s->store, c);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ei, ERR_NOT_FOUND, NULL, "没有这个帮带对象 (no such mentee)");
	if (e)
		return svc_db_fail(NULL, e, "mentee get", ei);
	if (!auth_visible(a, out->region_path, "mentee", out->id)) {
		memset(out, 0, sizeof *out);
		return svc_deny(s, NULL, a, "mentee", ei);
	}
	if (masked)
		*masked = auth_masks(a, "mentee", id);
	return ERR_OK;
}

struct update_arg {
	struct service *s;
	const struct actor *a;
	int64_t id;
	const struct mentee *in;
	uint64_t present;
	struct mentee *out;
	struct mentee before;
	struct errinfo *ei;
};

static enum err update_tx(struct store_conn *c, void *arg)
{
	struct update_arg *ua = arg;
	enum err e = db_mentee_get(c, ua->id, &ua->before);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ua->ei, ERR_NOT_FOUND, NULL, "没有这个帮带对象 (no such mentee)");
	if (e)
		return e;
	if (!auth_writable(ua->a, ua->before.region_path))
		return ERR_FORBIDDEN;
	*ua->out = ua->before;
	fields_copy(&svc_mentee_spec, ua->out, ua->in, ua->present);
	/* Moving an organisation mentee to another organisation moves it to
	 * that organisation's region unless a region is given as well. */
	uint64_t org_bit = 1ull << fields_find(&svc_mentee_spec, "organisation");
	uint64_t region_bit = 1ull << fields_find(&svc_mentee_spec, "region");
	if ((ua->present & org_bit) && !(ua->present & region_bit))
		ua->out->region_code[0] = '\0';
	struct region r;
	if ((e = validate(c, ua->out, &r, ua->ei)))
		return e;
	if (!auth_writable(ua->a, r.path))
		return ERR_FORBIDDEN;
	char now[M_TIME], key[3 * M_NAME];
	svc_now(now);
	search_key(ua->s, ua->out, key, sizeof key);
	if ((e = db_mentee_update(c, ua->out, key, now)))
		return e == ERR_CONFLICT ? errinfo_set(ua->ei, ERR_CONFLICT, "phone", "%s", conflict_msg)
					 : e;
	if ((e = db_mentee_get(c, ua->id, ua->out)))
		return e;
	return svc_audit(c, ua->a, "update", "mentee", ua->id, &svc_mentee_spec, &ua->before,
			 ua->out);
}

enum err svc_mentee_update(struct service *s, const struct actor *a, int64_t id,
			   const struct mentee *in, uint64_t present, struct mentee *out,
			   struct errinfo *ei)
{
	if (!role_is_admin(a->role))
		return svc_deny(s, NULL, a, "mentee update", ei);
	struct update_arg ua = {.s = s, .a = a, .id = id, .in = in, .present = present, .out = out,
				.ei = ei};
	return svc_write_tx(s, a, "mentee update", update_tx, &ua, ei);
}

/* The bodies of create and update inside the caller's transaction (the
 * importer's): see internal.h. */
enum err svc_mentee_create_in(struct store_conn *c, struct service *s, const struct actor *a,
			      struct mentee *m, struct errinfo *ei)
{
	struct create_arg ca = {s, a, m, ei};
	return create_tx(c, &ca);
}

enum err svc_mentee_update_in(struct store_conn *c, struct service *s, const struct actor *a,
			      int64_t id, const struct mentee *in, uint64_t present,
			      struct mentee *out, struct errinfo *ei)
{
	struct update_arg ua = {.s = s, .a = a, .id = id, .in = in, .present = present, .out = out,
				.ei = ei};
	return update_tx(c, &ua);
}

struct fwd {
	svc_row_fn fn;
	void *arg;
	const struct actor *a;
};

static enum err fwd_mentee(void *arg, const void *row)
{
	struct fwd *f = arg;
	const struct mentee *m = row;
	return f->fn(f->arg, row, auth_masks(f->a, "mentee", m->id));
}

enum err svc_mentee_list(struct service *s, const struct actor *a, const struct svc_list_args *la,
			 svc_row_fn fn, void *arg, int64_t *total, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	struct list_query q;
	enum err e = svc_list_scope(s, c, a, la, "mentee", &q, ei);
	if (!e)
		e = svc_sort(la, sort_names, &q, ei);
	if (!e && q.kind[0] && strcmp(q.kind, "person") != 0 && strcmp(q.kind, "org") != 0)
		e = errinfo_set(ei, ERR_INVALID, "kind", "应为 person 或 org");
	if (!e) {
		struct fwd f = {fn, arg, a};
		e = db_mentee_list(c, &q, fwd_mentee, &f, total);
		if (e)
			e = svc_db_fail(c, e, "mentee list", ei);
	}
	store_release(s->store, c);
	return e;
}
