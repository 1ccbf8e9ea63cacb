/*
 * scope.c — list scopes, sort whitelists and reference checks shared by
 * every resource of the service. Layer: service.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "service/internal.h"

/* "/a/b/" -> "/a/b0": the first path after the whole subtree. */
static void path_hi(const char *lo, char *hi, size_t n)
{
	snprintf(hi, n, "%s", lo);
	size_t len = strlen(hi);
	if (len > 0 && hi[len - 1] == '/')
		hi[len - 1] = '0';
}

enum err svc_list_scope(struct service *s, struct store_conn *c, const struct actor *a,
			const struct svc_list_args *la, const char *kind, struct list_query *q,
			struct errinfo *ei)
{
	memset(q, 0, sizeof *q);
	const char *root = a->region_path;
	if (a->role == ROLE_MENTOR || a->role == ROLE_MENTEE) {
		int64_t own = a->role == ROLE_MENTOR ? a->mentor_id : a->mentee_id;
		const char *own_kind = a->role == ROLE_MENTOR ? "mentor" : "mentee";
		if (!kind || strcmp(kind, own_kind) != 0 || !own)
			return svc_deny(s, c, a, kind ? kind : "list", ei);
		q->only_id = own;
		root = "/";
	} else if (!role_is_admin(a->role) && a->role != ROLE_AUDITOR) {
		return svc_deny(s, c, a, kind ? kind : "list", ei);
	}
	if (!root[0])
		return svc_deny(s, c, a, kind ? kind : "list", ei);
	snprintf(q->root_lo, sizeof q->root_lo, "%s", root);
	if (la->region[0]) {
		struct region r;
		enum err e = db_region_get_by_code(c, la->region, &r);
		if (e == ERR_NOT_FOUND)
			return errinfo_set(ei, ERR_NOT_FOUND, "region", "没有这个地区 (no such region)");
		if (e)
			return svc_db_fail(c, e, "list scope", ei);
		if (!path_within(r.path, q->root_lo)) {
			/* Asking for another jurisdiction is a denial, and audited. */
			return svc_deny(s, c, a, "region", ei);
		}
		snprintf(q->root_lo, sizeof q->root_lo, "%s", r.path);
	}
	path_hi(q->root_lo, q->root_hi, sizeof q->root_hi);
	if (la->q[0])
		svc_fold(s, la->q, q->q, sizeof q->q);
	snprintf(q->status, sizeof q->status, "%s", la->status);
	snprintf(q->tier, sizeof q->tier, "%s", la->tier);
	snprintf(q->source, sizeof q->source, "%s", la->source);
	snprintf(q->team_type, sizeof q->team_type, "%s", la->team_type);
	snprintf(q->category, sizeof q->category, "%s", la->category);
	snprintf(q->domain, sizeof q->domain, "%s", la->domain);
	snprintf(q->kind, sizeof q->kind, "%s", la->kind);
	q->level = la->level;
	q->flag = la->flag;
	q->desc = la->desc;
	q->limit = la->limit > 0 ? la->limit : LIMIT_PAGE_DEFAULT;
	if (q->limit > LIMIT_PAGE_SIZE)
		q->limit = LIMIT_PAGE_SIZE;
	q->offset = la->offset > 0 ? la->offset : 0;
	if (la->parent[0]) {
		struct region p;
		enum err e = db_region_get_by_code(c, la->parent, &p);
		if (e == ERR_NOT_FOUND)
			return errinfo_set(ei, ERR_NOT_FOUND, "parent", "没有这个地区 (no such region)");
		if (e)
			return svc_db_fail(c, e, "list scope", ei);
		q->parent_id = p.id;
	}
	return ERR_OK;
}

enum err svc_sort(const struct svc_list_args *la, const char *const *names, struct list_query *q,
		  struct errinfo *ei)
{
	q->sort = 0;
	if (!la->sort[0])
		return ERR_OK;
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], la->sort) == 0) {
			q->sort = i;
			return ERR_OK;
		}
	return errinfo_set(ei, ERR_INVALID, "sort", "不支持的排序字段 (unsupported sort key)");
}

/* ---- the reference memo of a bulk write ---------------------------- */

#define REF_MEMO 1024 /* slots, a power of two; a collision replaces */

struct ref_slot {
	bool used, is_region;
	char kind[M_CODE], code[M_CODE];
	struct region r;
};

static _Thread_local struct {
	struct store_conn *c; /* NULL: no memo */
	struct ref_slot *slot;
} memo;

void svc_ref_memo_begin(struct store_conn *c)
{
	free(memo.slot);
	memo.slot = xcalloc(REF_MEMO, sizeof *memo.slot);
	memo.c = c;
}

void svc_ref_memo_end(void)
{
	free(memo.slot);
	memo.slot = NULL;
	memo.c = NULL;
}

/* The slot of (kind, code): kind NULL for a region. */
static struct ref_slot *ref_slot(struct store_conn *c, const char *kind, const char *code)
{
	if (c != memo.c || !memo.slot)
		return NULL;
	uint64_t h = kind ? 7 : 3;
	for (const char *p = kind ? kind : ""; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	h = (h ^ '|') * 1099511628211ull;
	for (const char *p = code; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return &memo.slot[h & (REF_MEMO - 1)];
}

static bool ref_hit(const struct ref_slot *sl, const char *kind, const char *code)
{
	return sl && sl->used && sl->is_region == !kind && !strcmp(sl->code, code) &&
	       (!kind || !strcmp(sl->kind, kind));
}

static void ref_keep(struct ref_slot *sl, const char *kind, const char *code,
		     const struct region *r)
{
	if (!sl || strlen(code) >= sizeof sl->code || (kind && strlen(kind) >= sizeof sl->kind))
		return;
	sl->used = true;
	sl->is_region = !kind;
	snprintf(sl->kind, sizeof sl->kind, "%s", kind ? kind : "");
	snprintf(sl->code, sizeof sl->code, "%s", code);
	if (r)
		sl->r = *r;
}

enum err svc_region_ref(struct store_conn *c, const char *code, const char *field,
			struct region *out, struct errinfo *ei)
{
	if (!code[0])
		return errinfo_set(ei, ERR_INVALID, field, "必填 (required)");
	struct ref_slot *sl = ref_slot(c, NULL, code);
	if (ref_hit(sl, NULL, code)) {
		*out = sl->r;
		return ERR_OK;
	}
	enum err e = db_region_get_by_code(c, code, out);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ei, ERR_UNPROCESSABLE, field, "没有这个地区 (no such region: %s)",
				   code);
	if (e)
		return svc_db_fail(c, e, "region ref", ei);
	ref_keep(sl, NULL, code, out);
	return ERR_OK;
}

enum err svc_vocab_check(struct store_conn *c, const char *kind, const char *code,
			 const char *field, struct errinfo *ei)
{
	struct ref_slot *sl = ref_slot(c, kind, code);
	if (ref_hit(sl, kind, code))
		return ERR_OK;
	bool ok = false;
	enum err e = db_vocab_exists(c, kind, code, &ok);
	if (e)
		return svc_db_fail(c, e, "vocab check", ei);
	if (!ok)
		return errinfo_set(ei, ERR_UNPROCESSABLE, field, "未知代码 (unknown %s code: %s)", kind,
				   code);
	ref_keep(sl, kind, code, NULL);
	return ERR_OK;
}

enum err svc_tags_check(struct store_conn *c, const char *kind, const char *tags,
			const char *field, struct errinfo *ei)
{
	const char *p = tags;
	while (*p) {
		if (*p == ',') {
			p++;
			continue;
		}
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char code[M_CODE];
		if (n >= sizeof code)
			return errinfo_set(ei, ERR_INVALID, field, "代码过长 (code too long)");
		memcpy(code, p, n);
		code[n] = '\0';
		enum err e = svc_vocab_check(c, kind, code, field, ei);
		if (e)
			return e;
		p += n;
	}
	return ERR_OK;
}
