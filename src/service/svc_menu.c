/*
 * svc_menu.c — menus 菜单 ("你来点单,我来帮带"): a county publishes a list
 * of its best mentors with their domains, and mentees choose from it.
 * Layer: service.
 *
 * A menu belongs to a county (level 2) and is kept by the admins over
 * that county (its county admin, the city admin). Its items are active
 * mentors of that county, replaced as a whole in one transaction.
 * Admins and auditors see the menus of their subtree; a mentee or mentor
 * sees only the published menus of its own county, with the mentors'
 * phone and ID numbers masked. A menu's county is fixed at creation,
 * since its items belong to that county.
 */
#include <stdio.h>
#include <string.h>

#include "service/internal.h"

/* Most mentors on one menu (the report's largest, 贺兰县, has 34). */
#define MENU_ITEMS_MAX 200

static const char *const sort_names[] = {"id", "year", NULL};

/* The region path of the caller's own mentor or mentee record, or ""
 * when the caller is neither or has no record. */
static enum err own_path(struct store_conn *c, const struct actor *a, char out[M_PATH])
{
	out[0] = '\0';
	enum err e = ERR_OK;
	if (a->role == ROLE_MENTEE && a->mentee_id) {
		struct mentee m;
		e = db_mentee_get(c, a->mentee_id, &m);
		if (!e)
			snprintf(out, M_PATH, "%s", m.region_path);
	} else if (a->role == ROLE_MENTOR && a->mentor_id) {
		struct mentor m;
		e = db_mentor_get(c, a->mentor_id, &m);
		if (!e)
			snprintf(out, M_PATH, "%s", m.region_path);
	}
	return e == ERR_NOT_FOUND ? ERR_OK : e;
}

/* "/city/county/town/" -> "/city/county/"; "" when the path has no
 * county segment (the city node itself). */
static void county_of(const char *path, char out[M_PATH])
{
	int slashes = 0;
	size_t i = 0;
	for (; path[i]; i++)
		if (path[i] == '/' && ++slashes == 3)
			break;
	if (slashes < 3 || i + 1 >= M_PATH) {
		out[0] = '\0';
		return;
	}
	memcpy(out, path, i + 1);
	out[i + 1] = '\0';
}

/* May `a` see menu `m`? */
static enum err menu_visible(struct store_conn *c, const struct actor *a, const struct menu *m,
			     bool *out)
{
	*out = false;
	if (a->role == ROLE_MENTEE || a->role == ROLE_MENTOR) {
		char own[M_PATH];
		enum err e = own_path(c, a, own);
		if (e)
			return e;
		*out = m->published && own[0] && path_within(own, m->region_path);
		return ERR_OK;
	}
	*out = auth_visible(a, m->region_path, NULL, 0);
	return ERR_OK;
}

/* Checks of a complete record, shared by create and update. */
static enum err validate(struct store_conn *c, struct menu *m, struct region *r,
			 struct errinfo *ei)
{
	if (!m->name[0])
		return errinfo_set(ei, ERR_INVALID, "name", "必填 (required)");
	if (m->year < 2000 || m->year > 2100)
		return errinfo_set(ei, ERR_INVALID, "year", "应为 2000 到 2100");
	enum err e = svc_region_ref(c, m->region_code, "region", r, ei);
	if (e)
		return e;
	if (r->level != REGION_COUNTY)
		return errinfo_set(ei, ERR_UNPROCESSABLE, "region",
				   "菜单属于县(区、市) (a menu belongs to a county)");
	m->region_id = r->id;
	snprintf(m->region_path, sizeof m->region_path, "%s", r->path);
	snprintf(m->region_name, sizeof m->region_name, "%s", r->name);
	return ERR_OK;
}

struct create_arg {
	const struct actor *a;
	struct menu *m;
	struct errinfo *ei;
};

static enum err create_tx(struct store_conn *c, void *arg)
{
	struct create_arg *ca = arg;
	struct menu *m = ca->m;
	struct region r;
	enum err e = validate(c, m, &r, ca->ei);
	if (e)
		return e;
	if (ca->a && !auth_writable(ca->a, r.path))
		return ERR_FORBIDDEN;
	char now[M_TIME];
	svc_now(now);
	if ((e = db_menu_insert(c, m, now)))
		return e;
	if ((e = db_menu_get(c, m->id, m)))
		return e;
	return svc_audit(c, ca->a, "create", "menu", m->id, &svc_menu_spec, NULL, m);
}

enum err svc_menu_create(struct service *s, const struct actor *a, struct menu *in,
			 uint64_t present, struct errinfo *ei)
{
	(void)present;
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "menu create", ei);
	struct create_arg ca = {a, in, ei};
	return svc_write_tx(s, a, "menu create", create_tx, &ca, ei);
}

enum err svc_menu_get(struct service *s, const struct actor *a, int64_t id, struct menu *out,
		      struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	bool vis = false;
	enum err e = db_menu_get(c, id, out);
	if (!e)
		e = menu_visible(c, a, out, &vis);
	if (e == ERR_NOT_FOUND) {
		e = errinfo_set(ei, ERR_NOT_FOUND, NULL, "没有这个菜单 (no such menu)");
	} else if (e) {
		e = svc_db_fail(c, e, "menu get", ei);
	} else if (!vis) {
		memset(out, 0, sizeof *out);
		e = svc_deny(s, c, a, "menu", ei);
	}
	store_release(s->store, c);
	return e;
}

struct update_arg {
	const struct actor *a;
	int64_t id;
	const struct menu *in;
	uint64_t present;
	struct menu *out;
	struct menu before;
	struct errinfo *ei;
};

static enum err update_tx(struct store_conn *c, void *arg)
{
	struct update_arg *ua = arg;
	enum err e = db_menu_get(c, ua->id, &ua->before);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ua->ei, ERR_NOT_FOUND, NULL, "没有这个菜单 (no such menu)");
	if (e)
		return e;
	if (!auth_writable(ua->a, ua->before.region_path))
		return ERR_FORBIDDEN;
	uint64_t region_bit = 1ull << fields_find(&svc_menu_spec, "region");
	if ((ua->present & region_bit) &&
	    strcmp(ua->in->region_code, ua->before.region_code) != 0)
		return errinfo_set(ua->ei, ERR_UNPROCESSABLE, "region",
				   "菜单所属县不可修改 (a menu's county cannot be changed)");
	*ua->out = ua->before;
	fields_copy(&svc_menu_spec, ua->out, ua->in, ua->present);
	struct region r;
	if ((e = validate(c, ua->out, &r, ua->ei)))
		return e;
	char now[M_TIME];
	svc_now(now);
	if ((e = db_menu_update(c, ua->out, now)))
		return e;
	if ((e = db_menu_get(c, ua->id, ua->out)))
		return e;
	return svc_audit(c, ua->a, "update", "menu", ua->id, &svc_menu_spec, &ua->before, ua->out);
}

enum err svc_menu_update(struct service *s, const struct actor *a, int64_t id,
			 const struct menu *in, uint64_t present, struct menu *out,
			 struct errinfo *ei)
{
	if (!role_is_admin(a->role))
		return svc_deny(s, NULL, a, "menu update", ei);
	struct update_arg ua = {.a = a, .id = id, .in = in, .present = present, .out = out,
				.ei = ei};
	return svc_write_tx(s, a, "menu update", update_tx, &ua, ei);
}

/* ---- items ------------------------------------------------------------- */

/* The item list as the audit log records it: mentor ids in menu order. */
struct menu_items_rec {
	int64_t menu_id;
	char mentors[MENU_ITEMS_MAX * 21 + 2]; /* ",id,id," */
};
static const struct field items_fields[] = {
	FIELD(menu_items_rec, menu_id, "menu", F_I64, 0, 0, 0),
	FIELD(menu_items_rec, mentors, "mentors", F_TAGS, 0, 0, MENU_ITEMS_MAX),
};
static const struct field_spec items_spec = {"menu_items", items_fields,
					     (int)(sizeof items_fields / sizeof items_fields[0])};

static void rec_add(struct menu_items_rec *r, int64_t id)
{
	size_t len = strlen(r->mentors);
	snprintf(r->mentors + len, sizeof r->mentors - len, "%s%lld,", len ? "" : ",",
		 (long long)id);
}

static enum err collect_item(void *arg, const void *row)
{
	rec_add(arg, ((const struct mentor *)row)->id);
	return ERR_OK;
}

struct items_arg {
	const struct actor *a;
	int64_t id;
	const int64_t *ids;
	int n;
	struct errinfo *ei;
};

static enum err items_tx(struct store_conn *c, void *arg)
{
	struct items_arg *ia = arg;
	struct menu menu;
	enum err e = db_menu_get(c, ia->id, &menu);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ia->ei, ERR_NOT_FOUND, NULL, "没有这个菜单 (no such menu)");
	if (e)
		return e;
	if (ia->a && !auth_writable(ia->a, menu.region_path))
		return ERR_FORBIDDEN;
	for (int i = 0; i < ia->n; i++) {
		struct mentor m;
		e = db_mentor_get(c, ia->ids[i], &m);
		if (e == ERR_NOT_FOUND)
			return errinfo_set(ia->ei, ERR_UNPROCESSABLE, "mentors",
					   "没有这位导师 (no such mentor: %lld)", (long long)ia->ids[i]);
		if (e)
			return e;
		if (strcmp(m.status, mstatus_name(MSTATUS_ACTIVE)) != 0)
			return errinfo_set(ia->ei, ERR_UNPROCESSABLE, "mentors",
					   "导师 %lld 未在岗 (mentor %lld is not active)",
					   (long long)m.id, (long long)m.id);
		if (!path_within(m.region_path, menu.region_path))
			return errinfo_set(ia->ei, ERR_UNPROCESSABLE, "mentors",
					   "导师 %lld 不属于本县 (mentor %lld is not of this county)",
					   (long long)m.id, (long long)m.id);
	}
	struct menu_items_rec before, after;
	memset(&before, 0, sizeof before);
	memset(&after, 0, sizeof after);
	before.menu_id = after.menu_id = ia->id;
	if ((e = db_menu_items(c, ia->id, collect_item, &before)))
		return e;
	for (int i = 0; i < ia->n; i++)
		rec_add(&after, ia->ids[i]);
	if ((e = db_menu_set_items(c, ia->id, ia->ids, ia->n)))
		return e == ERR_CONFLICT ? ERR_DB : e; /* checked above: cannot happen */
	return svc_audit(c, ia->a, "set_items", "menu", ia->id, &items_spec, &before, &after);
}

enum err svc_menu_set_items(struct service *s, const struct actor *a, int64_t id,
			    const int64_t *mentor_ids, int n, struct errinfo *ei)
{
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "menu items", ei);
	if (n < 0 || n > MENU_ITEMS_MAX)
		return errinfo_set(ei, ERR_INVALID, "mentors", "最多 %d 位导师 (at most %d mentors)",
				   MENU_ITEMS_MAX, MENU_ITEMS_MAX);
	if (n > 0 && !mentor_ids)
		return errinfo_set(ei, ERR_INVALID, "mentors", "必填 (required)");
	for (int i = 0; i < n; i++)
		for (int j = 0; j < i; j++)
			if (mentor_ids[i] == mentor_ids[j])
				return errinfo_set(ei, ERR_INVALID, "mentors",
						   "导师重复 (mentor %lld listed twice)",
						   (long long)mentor_ids[i]);
	struct items_arg ia = {a, id, mentor_ids, n, ei};
	return svc_write_tx(s, a, "menu items", items_tx, &ia, ei);
}

struct fwd {
	svc_row_fn fn;
	void *arg;
	const struct actor *a;
	/* published-only paging for mentees and mentors */
	int64_t seen, offset, limit;
};

static enum err fwd_item(void *arg, const void *row)
{
	struct fwd *f = arg;
	const struct mentor *m = row;
	return f->fn(f->arg, row, auth_masks(f->a, "mentor", m->id));
}

enum err svc_menu_items(struct service *s, const struct actor *a, int64_t id, svc_row_fn fn,
			void *arg, struct errinfo *ei)
{
	struct menu menu;
	enum err e = svc_menu_get(s, a, id, &menu, ei);
	if (e)
		return e;
	struct store_conn *c = store_acquire(s->store);
	struct fwd f = {fn, arg, a, 0, 0, 0};
	e = db_menu_items(c, id, fwd_item, &f);
	if (e)
		e = svc_db_fail(c, e, "menu items", ei);
	store_release(s->store, c);
	return e;
}

/* ---- lists ------------------------------------------------------------- */

static enum err fwd_menu(void *arg, const void *row)
{
	struct fwd *f = arg;
	return f->fn(f->arg, row, false);
}

static enum err fwd_published(void *arg, const void *row)
{
	struct fwd *f = arg;
	const struct menu *m = row;
	if (!m->published)
		return ERR_OK;
	int64_t i = f->seen++;
	if (i < f->offset || i >= f->offset + f->limit)
		return ERR_OK;
	return f->fn(f->arg, row, false);
}

/*
 * A mentee's or mentor's list: the published menus of its own county.
 * The store has no "published" filter, so the county's menus (a handful:
 * one or two a year) are walked whole and paged here.
 */
static enum err list_own_county(struct service *s, struct store_conn *c, const struct actor *a,
				const struct svc_list_args *la, svc_row_fn fn, void *arg,
				int64_t *total, struct errinfo *ei)
{
	char own[M_PATH], county[M_PATH];
	enum err e = own_path(c, a, own);
	if (e)
		return svc_db_fail(c, e, "menu list", ei);
	county_of(own, county);
	*total = 0;
	if (!county[0])
		return ERR_OK;
	/* Scope as a reader of that county alone: a `region` outside it is
	 * refused like any other jurisdiction. */
	struct actor wide = *a;
	wide.role = ROLE_AUDITOR;
	snprintf(wide.region_path, sizeof wide.region_path, "%s", county);
	struct list_query q;
	if ((e = svc_list_scope(s, c, &wide, la, NULL, &q, ei)))
		return e;
	if ((e = svc_sort(la, sort_names, &q, ei)))
		return e;
	struct fwd f = {fn, arg, a, 0, q.offset, q.limit};
	int64_t all = 0;
	for (int64_t off = 0;; off += LIMIT_PAGE_SIZE) {
		struct list_query page = q;
		page.offset = (int)off;
		page.limit = LIMIT_PAGE_SIZE;
		if ((e = db_menu_list(c, &page, fwd_published, &f, &all)))
			return svc_db_fail(c, e, "menu list", ei);
		if (off + LIMIT_PAGE_SIZE >= all)
			break;
	}
	*total = f.seen;
	return ERR_OK;
}

enum err svc_menu_list(struct service *s, const struct actor *a, const struct svc_list_args *la,
		       svc_row_fn fn, void *arg, int64_t *total, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	enum err e;
	if (a->role == ROLE_MENTEE || a->role == ROLE_MENTOR) {
		e = list_own_county(s, c, a, la, fn, arg, total, ei);
	} else {
		struct list_query q;
		e = svc_list_scope(s, c, a, la, NULL, &q, ei);
		if (!e)
			e = svc_sort(la, sort_names, &q, ei);
		if (!e) {
			struct fwd f = {fn, arg, a, 0, 0, 0};
			e = db_menu_list(c, &q, fwd_menu, &f, total);
			if (e)
				e = svc_db_fail(c, e, "menu list", ei);
		}
	}
	store_release(s->store, c);
	return e;
}
