/*
 * svc_region.c — the region tree and the vocabularies. Layer: service.
 *
 * A region's path is its parent's path plus its own code and '/', fixed
 * at creation: codes never change, so paths never need rewriting.
 */
#include <stdio.h>
#include <string.h>

#include "service/internal.h"

static const char *const sort_names[] = {"path", "name", "code", NULL};

struct fwd {
	svc_row_fn fn;
	void *arg;
};

static enum err fwd_row(void *arg, const void *row)
{
	struct fwd *f = arg;
	return f->fn(f->arg, row, false);
}

enum err svc_region_list(struct service *s, const struct actor *a, const struct svc_list_args *la,
			 svc_row_fn fn, void *arg, int64_t *total, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	struct list_query q;
	enum err e;
	if (a->role == ROLE_MENTOR || a->role == ROLE_MENTEE) {
		/* Mentors and mentees may browse place names (they are public):
		 * scope them to the whole tree they belong to. */
		struct svc_list_args la2 = *la;
		struct actor wide = *a;
		wide.role = ROLE_AUDITOR;
		snprintf(wide.region_path, sizeof wide.region_path, "%s", "/");
		e = svc_list_scope(s, c, &wide, &la2, NULL, &q, ei);
	} else {
		e = svc_list_scope(s, c, a, la, NULL, &q, ei);
	}
	if (!e)
		e = svc_sort(la, sort_names, &q, ei);
	if (!e) {
		struct fwd f = {fn, arg};
		e = db_region_list(c, &q, fwd_row, &f, total);
		if (e)
			e = svc_db_fail(c, e, "region list", ei);
	}
	store_release(s->store, c);
	return e;
}

enum err svc_region_get(struct service *s, const struct actor *a, const char *code,
			struct region *out, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	enum err e = db_region_get_by_code(c, code, out);
	if (e == ERR_NOT_FOUND)
		e = errinfo_set(ei, ERR_NOT_FOUND, NULL, "没有这个地区 (no such region)");
	else if (e)
		e = svc_db_fail(c, e, "region get", ei);
	else if (a->role != ROLE_MENTOR && a->role != ROLE_MENTEE &&
		 !auth_visible(a, out->path, NULL, 0))
		e = svc_deny(s, c, a, "region", ei);
	store_release(s->store, c);
	return e;
}

struct region_arg {
	struct service *s;
	const struct actor *a;
	struct region *r;
	const struct region *in;
	uint64_t present;
	struct errinfo *ei;
	const char *code;
};

static enum err create_tx(struct store_conn *c, void *arg)
{
	struct region_arg *ra = arg;
	struct region *r = ra->r;
	struct region parent;
	enum err e;
	if (!code_valid(r->code))
		return errinfo_set(ra->ei, ERR_INVALID, "code", "代码格式不正确 (bad code)");
	if (r->level == REGION_CITY) {
		if (ra->a) /* a new root is an operator's act, not an API call */
			return ERR_FORBIDDEN;
		if (r->parent_code[0])
			return errinfo_set(ra->ei, ERR_INVALID, "parent", "市级地区没有上级 (a city has no parent)");
		r->parent_id = 0;
		snprintf(r->path, sizeof r->path, "/%s/", r->code);
	} else {
		if ((e = svc_region_ref(c, r->parent_code, "parent", &parent, ra->ei)))
			return e;
		if (ra->a && !auth_writable(ra->a, parent.path))
			return ERR_FORBIDDEN;
		if (parent.level + 1 != r->level)
			return errinfo_set(ra->ei, ERR_UNPROCESSABLE, "level",
					   "层级应为上级层级加一 (level must be the parent's plus one)");
		r->parent_id = parent.id;
		if (strlen(parent.path) + strlen(r->code) + 2 > LIMIT_PATH_BYTES)
			return errinfo_set(ra->ei, ERR_INVALID, "code", "路径过长 (path too long)");
		snprintf(r->path, sizeof r->path, "%s%s/", parent.path, r->code);
	}
	char now[M_TIME], key[3 * M_NAME];
	svc_now(now);
	svc_search_key(ra->s, key, sizeof key, r->name, r->code, NULL);
	if ((e = db_region_insert(c, r, key, now)))
		return e == ERR_CONFLICT ? errinfo_set(ra->ei, ERR_CONFLICT, "code",
						       "代码已存在 (code already exists)")
					 : e;
	if ((e = db_region_get(c, r->id, r)))
		return e;
	return svc_audit(c, ra->a, "create", "region", r->id, &svc_region_spec, NULL, r);
}

/* Coordinates count only when both were given. */
static void coords_given(struct region *in, uint64_t present)
{
	int ilat = fields_find(&svc_region_spec, "lat"), ilon = fields_find(&svc_region_spec, "lon");
	if (present & (1ull << ilat) && present & (1ull << ilon))
		in->has_coords = true;
}

enum err svc_region_create(struct service *s, const struct actor *a, struct region *in,
			   uint64_t present, struct errinfo *ei)
{
	coords_given(in, present);
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "region create", ei);
	struct region_arg ra = {s, a, in, NULL, present, ei, NULL};
	return svc_write_tx(s, a, "region create", create_tx, &ra, ei);
}

static enum err update_tx(struct store_conn *c, void *arg)
{
	struct region_arg *ra = arg;
	struct region before;
	enum err e = db_region_get_by_code(c, ra->code, &before);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ra->ei, ERR_NOT_FOUND, NULL, "没有这个地区 (no such region)");
	if (e)
		return e;
	if (!auth_writable(ra->a, before.path))
		return ERR_FORBIDDEN;
	/* Code, level and parent define the path: they are fixed. */
	static const char *const fixed[] = {"code", "level", "parent"};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (ra->present & (1ull << fields_find(&svc_region_spec, fixed[i])))
			return errinfo_set(ra->ei, ERR_UNPROCESSABLE, fixed[i],
					   "不可修改 (cannot be changed)");
	*ra->r = before;
	fields_copy(&svc_region_spec, ra->r, ra->in, ra->present);
	int ilat = fields_find(&svc_region_spec, "lat"), ilon = fields_find(&svc_region_spec, "lon");
	if ((ra->present >> ilat & 1) != (ra->present >> ilon & 1))
		return errinfo_set(ra->ei, ERR_INVALID, "lat", "lat 与 lon 须同时给出 (give both)");
	if (ra->present & (1ull << ilat))
		ra->r->has_coords = true;
	char now[M_TIME], key[3 * M_NAME];
	svc_now(now);
	svc_search_key(ra->s, key, sizeof key, ra->r->name, ra->r->code, NULL);
	if ((e = db_region_update(c, ra->r, key, now)))
		return e;
	if ((e = db_region_get(c, before.id, ra->r)))
		return e;
	return svc_audit(c, ra->a, "update", "region", before.id, &svc_region_spec, &before, ra->r);
}

enum err svc_region_update(struct service *s, const struct actor *a, const char *code,
			   const struct region *in, uint64_t present, struct region *out,
			   struct errinfo *ei)
{
	if (!role_is_admin(a->role))
		return svc_deny(s, NULL, a, "region update", ei);
	struct region_arg ra = {s, a, out, in, present, ei, code};
	return svc_write_tx(s, a, "region update", update_tx, &ra, ei);
}

/* The bodies of create and update inside the caller's transaction (the
 * importer's): see internal.h. */
enum err svc_region_create_in(struct store_conn *c, struct service *s, const struct actor *a,
			      struct region *r, uint64_t present, struct errinfo *ei)
{
	coords_given(r, present);
	struct region_arg ra = {s, a, r, NULL, present, ei, NULL};
	return create_tx(c, &ra);
}

enum err svc_region_update_in(struct store_conn *c, struct service *s, const struct actor *a,
			      const char *code, const struct region *in, uint64_t present,
			      struct region *out, struct errinfo *ei)
{
	struct region_arg ra = {s, a, out, in, present, ei, code};
	return update_tx(c, &ra);
}

/* ---- vocabularies ------------------------------------------------------ */

static bool vocab_kind_valid(const char *k)
{
	static const char *const kinds[] = {"source", "category", "domain", "talent_team"};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(k, kinds[i]) == 0)
			return true;
	return false;
}

enum err svc_vocab_list(struct service *s, const struct actor *a, const char *kind,
			svc_row_fn fn, void *arg, struct errinfo *ei)
{
	if (a && a->role == ROLE_NONE)
		return svc_deny(s, NULL, a, "vocab", ei);
	if (kind && kind[0] && !vocab_kind_valid(kind))
		return errinfo_set(ei, ERR_INVALID, "kind", "未知类别 (unknown vocabulary kind)");
	struct store_conn *c = store_acquire(s->store);
	struct fwd f = {fn, arg};
	enum err e = db_vocab_list(c, kind, fwd_row, &f);
	if (e)
		e = svc_db_fail(c, e, "vocab list", ei);
	store_release(s->store, c);
	return e;
}

struct vocab_arg {
	const struct actor *a;
	struct vocab *v;
	struct errinfo *ei;
};

static enum err vocab_tx(struct store_conn *c, void *arg)
{
	struct vocab_arg *va = arg;
	enum err e = db_vocab_insert(c, va->v);
	if (e == ERR_CONFLICT)
		return errinfo_set(va->ei, ERR_CONFLICT, "code", "代码已存在 (code already exists)");
	if (e)
		return e;
	return svc_audit(c, va->a, "create", "vocab", va->v->id, &svc_vocab_spec, NULL, va->v);
}

enum err svc_vocab_create(struct service *s, const struct actor *a, struct vocab *in,
			  struct errinfo *ei)
{
	if (a && a->role != ROLE_CITY_ADMIN)
		return svc_deny(s, NULL, a, "vocab create", ei);
	if (!vocab_kind_valid(in->kind))
		return errinfo_set(ei, ERR_INVALID, "kind",
				   "应为 source、category、domain 或 talent_team");
	struct store_conn *c = store_acquire(s->store);
	struct vocab_arg va = {a, in, ei};
	enum err e = store_tx(c, vocab_tx, &va);
	if (e == ERR_DB || e == ERR_BUSY || e == ERR_INTERNAL)
		e = svc_db_fail(c, e, "vocab create", ei);
	store_release(s->store, c);
	return e;
}
