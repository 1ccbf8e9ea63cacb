/*
 * svc_user.c — accounts: creation with role and jurisdiction rules,
 * passwords, disabling, lists. Layer: service.
 *
 * A NULL actor is the operator at the machine (the CLI), who may do
 * anything; over the API an admin creates only accounts of lower rank
 * inside its own subtree.
 */
#include <stdio.h>
#include <string.h>

#include "service/internal.h"

/* The region level each admin role is bound to. */
static int role_level(enum role r)
{
	switch (r) {
	case ROLE_CITY_ADMIN: return REGION_CITY;
	case ROLE_COUNTY_ADMIN: return REGION_COUNTY;
	case ROLE_TOWNSHIP_ADMIN: return REGION_TOWNSHIP;
	default: return 0;
	}
}

struct user_arg {
	const struct actor *a;
	struct user *u;
	const char *hash;
	struct errinfo *ei;
};

static enum err create_tx(struct store_conn *c, void *arg)
{
	struct user_arg *ua = arg;
	struct user *u = ua->u;
	enum role r = role_parse(u->role);
	enum err e;
	struct region reg;
	memset(&reg, 0, sizeof reg);
	if (r == ROLE_MENTOR || r == ROLE_MENTEE) {
		/* A mentor's or mentee's account lives where its record does. */
		if (r == ROLE_MENTOR) {
			struct mentor m;
			if (!u->mentor_id)
				return errinfo_set(ua->ei, ERR_INVALID, "mentor", "必填 (required)");
			e = db_mentor_get(c, u->mentor_id, &m);
			if (e == ERR_NOT_FOUND)
				return errinfo_set(ua->ei, ERR_UNPROCESSABLE, "mentor", "没有这位导师 (no such mentor)");
			if (e)
				return e;
			u->region_id = m.region_id;
			snprintf(reg.path, sizeof reg.path, "%s", m.region_path);
			u->mentee_id = 0;
		} else {
			struct mentee m;
			if (!u->mentee_id)
				return errinfo_set(ua->ei, ERR_INVALID, "mentee", "必填 (required)");
			e = db_mentee_get(c, u->mentee_id, &m);
			if (e == ERR_NOT_FOUND)
				return errinfo_set(ua->ei, ERR_UNPROCESSABLE, "mentee", "没有这位帮带对象 (no such mentee)");
			if (e)
				return e;
			u->region_id = m.region_id;
			snprintf(reg.path, sizeof reg.path, "%s", m.region_path);
			u->mentor_id = 0;
		}
	} else {
		if (u->mentor_id || u->mentee_id)
			return errinfo_set(ua->ei, ERR_INVALID, u->mentor_id ? "mentor" : "mentee",
					   "仅用于导师或帮带对象账号 (only for mentor or mentee accounts)");
		if ((e = svc_region_ref(c, u->region_code, "region", &reg, ua->ei)))
			return e;
		int lvl = role_level(r);
		if (lvl && reg.level != lvl)
			return errinfo_set(ua->ei, ERR_UNPROCESSABLE, "region",
					   "地区层级与角色不符 (region level does not fit the role)");
		u->region_id = reg.id;
	}
	if (ua->a) {
		bool lower = role_is_admin(r) ? role_at_least(ua->a->role, r) && ua->a->role != r
					      : true;
		if (!lower || !auth_writable(ua->a, reg.path))
			return ERR_FORBIDDEN;
	}
	char now[M_TIME];
	svc_now(now);
	if ((e = db_user_insert(c, u, ua->hash, now)))
		return e == ERR_CONFLICT ? errinfo_set(ua->ei, ERR_CONFLICT, "login",
						       "登录名已存在 (login already exists)")
					 : e;
	if ((e = db_user_get(c, u->id, u)))
		return e;
	return svc_audit(c, ua->a, "create", "user", u->id, &svc_user_spec, NULL, u);
}

enum err svc_user_create(struct service *s, const struct actor *a, struct user *in,
			 const char *password, size_t pwlen, struct errinfo *ei)
{
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "user create", ei);
	if (role_parse(in->role) == ROLE_NONE)
		return errinfo_set(ei, ERR_INVALID, "role",
				   "应为 city_admin、county_admin、township_admin、mentor、mentee 或 auditor");
	if (!code_valid(in->login))
		return errinfo_set(ei, ERR_INVALID, "login", "登录名只能包含字母、数字、_ 和 - (bad login)");
	/* Refuse before the costly hash what the caller may not do at all: an
	 * account of equal or higher rank, or one outside its jurisdiction
	 * when the region is named (the transaction checks everything again). */
	enum role want = role_parse(in->role);
	if (a && role_is_admin(want) && !(role_at_least(a->role, want) && a->role != want))
		return svc_deny(s, NULL, a, "user create", ei);
	if (a && in->region_code[0]) {
		struct store_conn *pc = store_acquire(s->store);
		struct region r;
		enum err pe = db_region_get_by_code(pc, in->region_code, &r);
		bool outside = pe == ERR_OK && !auth_writable(a, r.path);
		store_release(s->store, pc);
		if (outside)
			return svc_deny(s, NULL, a, "user create", ei);
	}
	char hash[AUTH_HASH_BYTES];
	enum err e = auth_hash_password(password, pwlen, hash);
	if (e == ERR_INVALID)
		return errinfo_set(ei, ERR_INVALID, "password", "密码长度应为 %d 到 %d (bad length)",
				   LIMIT_PASSWORD_MIN, LIMIT_PASSWORD_BYTES);
	if (e)
		return errinfo_set(ei, e, "password", "hashing failed");
	struct store_conn *c = store_acquire(s->store);
	struct user_arg ua = {a, in, hash, ei};
	e = store_tx(c, create_tx, &ua);
	if (e == ERR_FORBIDDEN)
		e = svc_deny(s, c, a, "user create", ei);
	else if (e == ERR_DB || e == ERR_BUSY || e == ERR_INTERNAL)
		e = svc_db_fail(c, e, "user create", ei);
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

enum err svc_user_list(struct service *s, const struct actor *a, const struct svc_list_args *la,
		       svc_row_fn fn, void *arg, int64_t *total, struct errinfo *ei)
{
	if (a && !role_is_admin(a->role) && a->role != ROLE_AUDITOR)
		return svc_deny(s, NULL, a, "users", ei);
	struct store_conn *c = store_acquire(s->store);
	struct list_query q;
	enum err e = ERR_OK;
	if (a) {
		e = svc_list_scope(s, c, a, la, NULL, &q, ei);
	} else {
		memset(&q, 0, sizeof q);
		snprintf(q.root_lo, sizeof q.root_lo, "/");
		snprintf(q.root_hi, sizeof q.root_hi, "0");
		q.limit = la->limit > 0 ? la->limit : LIMIT_PAGE_SIZE;
	}
	if (!e) {
		struct fwd f = {fn, arg};
		e = db_user_list(c, &q, fwd_row, &f, total);
		if (e)
			e = svc_db_fail(c, e, "user list", ei);
	}
	store_release(s->store, c);
	return e;
}

struct pw_arg {
	const struct actor *a;
	const char *login;
	const char *hash;   /* set password, or NULL */
	int disabled;       /* -1 keep */
	struct errinfo *ei;
};

static enum err account_tx(struct store_conn *c, void *arg)
{
	struct pw_arg *pa = arg;
	struct user u;
	enum err e = db_user_get_by_login(c, pa->login, &u, NULL, 0);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(pa->ei, ERR_NOT_FOUND, "login", "没有这个账号 (no such account)");
	if (e)
		return e;
	if (pa->a) {
		enum role r = role_parse(u.role);
		bool self = pa->a->user_id == u.id;
		bool lower = !role_is_admin(r) || (role_at_least(pa->a->role, r) && pa->a->role != r);
		if (!self && (!role_is_admin(pa->a->role) || !lower ||
			      !auth_writable(pa->a, u.region_path)))
			return ERR_FORBIDDEN;
		if (self && pa->disabled >= 0)
			return ERR_FORBIDDEN; /* nobody disables themselves */
	}
	char now[M_TIME];
	svc_now(now);
	if (pa->hash && (e = db_user_set_password(c, u.id, pa->hash, now)))
		return e;
	if (pa->disabled >= 0 && (e = db_user_set_disabled(c, u.id, pa->disabled != 0, now)))
		return e;
	/* A new password or a disabled account ends every session. */
	if ((e = db_session_delete_user(c, u.id)))
		return e;
	struct user after;
	if ((e = db_user_get(c, u.id, &after)))
		return e;
	return svc_audit(c, pa->a, pa->hash ? "password" : (pa->disabled ? "disable" : "enable"),
			 "user", u.id, &svc_user_spec, &u, &after);
}

static enum err account_change(struct service *s, struct pw_arg *pa, const char *what)
{
	struct store_conn *c = store_acquire(s->store);
	enum err e = store_tx(c, account_tx, pa);
	if (e == ERR_FORBIDDEN)
		e = svc_deny(s, c, pa->a, what, pa->ei);
	else if (e == ERR_DB || e == ERR_BUSY || e == ERR_INTERNAL)
		e = svc_db_fail(c, e, what, pa->ei);
	store_release(s->store, c);
	return e;
}

/* May `a` change the account `login`? The same rule as account_tx, asked
 * before a password is hashed so that a refusal costs nothing. */
static enum err may_change(struct service *s, const struct actor *a, const char *login,
			   struct errinfo *ei)
{
	if (!a)
		return ERR_OK;
	struct store_conn *c = store_acquire(s->store);
	struct user u;
	enum err e = db_user_get_by_login(c, login, &u, NULL, 0);
	store_release(s->store, c);
	if (e == ERR_NOT_FOUND)
		return errinfo_set(ei, ERR_NOT_FOUND, "login", "没有这个账号 (no such account)");
	if (e)
		return svc_db_fail(NULL, e, "user check", ei);
	enum role r = role_parse(u.role);
	bool self = a->user_id == u.id;
	bool lower = !role_is_admin(r) || (role_at_least(a->role, r) && a->role != r);
	if (!self && (!role_is_admin(a->role) || !lower || !auth_writable(a, u.region_path)))
		return svc_deny(s, NULL, a, "user password", ei);
	return ERR_OK;
}

enum err svc_user_set_password(struct service *s, const struct actor *a, const char *login,
			       const char *password, size_t pwlen, struct errinfo *ei)
{
	enum err pe = may_change(s, a, login, ei);
	if (pe)
		return pe;
	char hash[AUTH_HASH_BYTES];
	enum err e = auth_hash_password(password, pwlen, hash);
	if (e == ERR_INVALID)
		return errinfo_set(ei, ERR_INVALID, "password", "密码长度应为 %d 到 %d (bad length)",
				   LIMIT_PASSWORD_MIN, LIMIT_PASSWORD_BYTES);
	if (e)
		return errinfo_set(ei, e, "password", "hashing failed");
	struct pw_arg pa = {a, login, hash, -1, ei};
	return account_change(s, &pa, "user password");
}

enum err svc_user_set_disabled(struct service *s, const struct actor *a, const char *login,
			       bool disabled, struct errinfo *ei)
{
	struct pw_arg pa = {a, login, NULL, disabled ? 1 : 0, ei};
	return account_change(s, &pa, "user disable");
}
