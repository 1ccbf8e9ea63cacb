/*
 * session.c — login, sessions and the login rate limiter. Layer: service.
 *
 * A session is a random token given to the client once; the database
 * keeps only its hash. Sessions end after SESSION_IDLE_SECONDS without
 * use, SESSION_ABSOLUTE_SECONDS after login, at logout, and when the user
 * is disabled or changes password. last_seen is written at most once a
 * minute (more often when the idle time is short) so that reads stay reads.
 *
 * The login limiter refuses (429) a login from an address after
 * rl_max_pair failures for that login, or rl_max_addr failures for any
 * login, within rl_window seconds, before any password is checked: a
 * refusal costs no argon2id. Failures from other addresses do not count,
 * so a guesser cannot lock the real user out. Every refusal is counted in
 * its slot; the 1st, 2nd, 4th, 8th, ... of a window are audited
 * ("login_rate_limited", object "login_refusals", id = the count so
 * far), so 10,000 guesses leave 14 audit entries, not 10,000.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/mem.h"
#include "service/internal.h"

#define TOUCH_EVERY 60

/* How often last_seen is written: at most a quarter of the idle time,
 * so that a session in use never looks idle. */
static int64_t touch_every(const struct service *s)
{
	int64_t t = s->session_idle / 4;
	return t < TOUCH_EVERY ? t : TOUCH_EVERY;
}

static uint64_t fnv(const char *a, const char *b)
{
	uint64_t h = 1469598103934665603ull;
	for (; *a; a++)
		h = (h ^ (unsigned char)*a) * 1099511628211ull;
	h = (h ^ 0x1f) * 1099511628211ull;
	for (; b && *b; b++)
		h = (h ^ (unsigned char)*b) * 1099511628211ull;
	return h | 1; /* 0 marks an empty slot */
}

/* The slot of `key`, claiming the oldest of 8 probes if absent. */
static struct rl_slot *rl_find(struct service *s, uint64_t key, int64_t now)
{
	struct rl_slot *oldest = NULL;
	for (int i = 0; i < 8; i++) {
		struct rl_slot *sl = &s->rl[(key + (uint64_t)i) % RL_SLOTS];
		if (sl->key == key) {
			if (now - sl->start >= s->rl_window) {
				sl->start = now;
				sl->fails = 0;
				sl->refused = 0;
			}
			return sl;
		}
		if (!oldest || sl->start < oldest->start)
			oldest = sl;
	}
	oldest->key = key;
	oldest->start = now;
	oldest->fails = 0;
	oldest->refused = 0;
	return oldest;
}

/* 0 if a login may be tried; else this refusal's number in the window of
 * the slot that refuses it (1, 2, ...). */
static int rl_blocked(struct service *s, const char *login, const char *client, int64_t now)
{
	int n = 0;
	pthread_mutex_lock(&s->rl_mu);
	struct rl_slot *pair = rl_find(s, fnv(login, client), now);
	struct rl_slot *addr = rl_find(s, fnv("", client), now);
	if (pair->fails >= s->rl_max_pair)
		n = ++pair->refused;
	else if (addr->fails >= s->rl_max_addr)
		n = ++addr->refused;
	pthread_mutex_unlock(&s->rl_mu);
	return n;
}

static void rl_note(struct service *s, const char *login, const char *client, int64_t now,
		    bool failed)
{
	pthread_mutex_lock(&s->rl_mu);
	struct rl_slot *pair = rl_find(s, fnv(login, client), now);
	if (failed) {
		pair->fails++;
		rl_find(s, fnv("", client), now)->fails++;
	} else {
		pair->fails = 0;
	}
	pthread_mutex_unlock(&s->rl_mu);
}

static void actor_from_user(const struct user *u, const char *client, struct actor *a)
{
	memset(a, 0, sizeof *a);
	a->user_id = u->id;
	a->role = role_parse(u->role);
	snprintf(a->login, sizeof a->login, "%s", u->login);
	snprintf(a->region_path, sizeof a->region_path, "%s", u->region_path);
	a->mentor_id = u->mentor_id;
	a->mentee_id = u->mentee_id;
	snprintf(a->client, sizeof a->client, "%s", client ? client : "");
}

struct login_audit {
	const struct actor *a;
	const char *action;
	const char *token_hash;
	int64_t user_id;
	const char *csrf;
	int64_t now;
};

static enum err login_tx(struct store_conn *c, void *arg)
{
	struct login_audit *l = arg;
	if (l->token_hash) {
		enum err e = db_session_insert(c, l->token_hash, l->user_id, l->csrf, l->now);
		if (e)
			return e;
	}
	return svc_audit(c, l->a, l->action, "session", l->user_id, NULL, NULL, NULL);
}

static enum err login_refused_tx(struct store_conn *c, void *arg)
{
	struct login_audit *l = arg;
	return svc_audit(c, l->a, l->action, "login_refusals", l->user_id, NULL, NULL, NULL);
}

enum err service_login(struct service *s, const char *login, const char *pw, size_t pwlen,
		       const char *client, char token[AUTH_TOKEN_BYTES], char csrf[65],
		       struct actor *who, struct errinfo *ei)
{
	int64_t now = (int64_t)time(NULL);
	struct actor anon;
	memset(&anon, 0, sizeof anon);
	snprintf(anon.login, sizeof anon.login, "%s", login);
	snprintf(anon.client, sizeof anon.client, "%s", client ? client : "");
	int refused = rl_blocked(s, login, anon.client, now);
	if (refused) {
		if ((refused & (refused - 1)) == 0) { /* a power of two */
			struct store_conn *c = store_acquire(s->store);
			struct login_audit l = {&anon, "login_rate_limited", NULL, refused, NULL, now};
			if (store_tx(c, login_refused_tx, &l) != ERR_OK)
				log_event(LOG_ERROR, "cannot audit a refused login", NULL);
			store_release(s->store, c);
		}
		return errinfo_set(ei, ERR_RATE_LIMIT, "login",
				   "登录失败次数过多,请稍后再试 (too many failed logins, try later)");
	}
	struct user u;
	char hash[AUTH_HASH_BYTES] = "";
	struct store_conn *c = store_acquire(s->store);
	enum err e = db_user_get_by_login(c, login, &u, hash, sizeof hash);
	store_release(s->store, c);
	if (e && e != ERR_NOT_FOUND)
		return svc_db_fail(NULL, e, "login", ei);
	bool found = e == ERR_OK;
	/* The same argon2id cost whether or not the login exists. */
	bool good = auth_check_password(found ? hash : auth_dummy_hash(), pw, pwlen);
	good = good && found && !u.disabled;
	rl_note(s, login, anon.client, now, !good);

	c = store_acquire(s->store);
	char th[AUTH_TOKEN_HASH_BYTES];
	struct login_audit l = {&anon, "login_failed", NULL, found ? u.id : 0, NULL, now};
	if (good) {
		actor_from_user(&u, client, who);
		auth_new_token(token);
		auth_token_hash(token, th);
		char raw[AUTH_TOKEN_BYTES];
		auth_new_token(raw);
		snprintf(csrf, 65, "%s", raw);
		l = (struct login_audit){who, "login", th, u.id, csrf, now};
	}
	e = store_tx(c, login_tx, &l);
	if (e)
		e = svc_db_fail(c, e, "login", ei);
	store_release(s->store, c);
	if (e)
		return e;
	if (!good)
		return errinfo_set(ei, ERR_UNAUTH, "password", "用户名或密码错误 (wrong login or password)");
	return ERR_OK;
}

/* Sessions recently resolved, valid while the data generation (see
 * store_generation) has not moved: a plain GET then costs no query. */
#define SC_SLOTS 1024

struct session_cache_slot {
	char th[AUTH_TOKEN_HASH_BYTES];
	uint64_t gen;
	struct actor who;
	char csrf[65];
	int64_t created, last_seen;
};

struct session_cache_slot *service_session_cache_new(void)
{
	return xcalloc(SC_SLOTS, sizeof(struct session_cache_slot));
}

static struct session_cache_slot *sc_slot(struct service *s, const char *th)
{
	uint64_t h = fnv(th, NULL);
	return &s->session_cache[h % SC_SLOTS];
}

enum err service_authenticate(struct service *s, const char *token, const char *client,
			      struct actor *who, char csrf[65], uint64_t *gen_out)
{
	if (gen_out)
		*gen_out = 0;
	if (!token || strlen(token) != AUTH_TOKEN_BYTES - 1)
		return ERR_UNAUTH;
	char th[AUTH_TOKEN_HASH_BYTES], tmp_csrf[65];
	auth_token_hash(token, th);
	struct user u;
	int64_t created, last_seen, now = (int64_t)time(NULL);
	struct store_conn *c = store_acquire(s->store);
	uint64_t gen = store_generation(c);
	if (gen_out)
		*gen_out = gen;
	if (gen) {
		pthread_mutex_lock(&s->session_mu);
		struct session_cache_slot *sl = sc_slot(s, th);
		bool hit = sl->gen == gen && strcmp(sl->th, th) == 0 &&
			   now - sl->last_seen < touch_every(s) &&
			   now - sl->created <= s->session_absolute;
		if (hit) {
			*who = sl->who;
			if (csrf)
				memcpy(csrf, sl->csrf, 65);
		}
		pthread_mutex_unlock(&s->session_mu);
		if (hit) {
			snprintf(who->client, sizeof who->client, "%s", client ? client : "");
			store_release(s->store, c);
			return ERR_OK;
		}
	}
	enum err e = db_session_get(c, th, &u, csrf ? csrf : tmp_csrf, &created, &last_seen);
	if (e == ERR_NOT_FOUND) {
		e = ERR_UNAUTH;
		goto out;
	}
	if (e) {
		e = svc_db_fail(c, e, "authenticate", NULL);
		goto out;
	}
	if (u.disabled || now - last_seen > s->session_idle ||
	    now - created > s->session_absolute) {
		db_session_delete(c, th);
		e = ERR_UNAUTH;
		goto out;
	}
	if (now - last_seen >= touch_every(s)) {
		/* Best effort: a miss only shortens the idle time. The write
		 * moves the generation, so the entry below is for the next one. */
		db_session_touch(c, th, now);
		last_seen = now;
		gen = store_generation(c);
	}
	actor_from_user(&u, client, who);
	if (gen) {
		pthread_mutex_lock(&s->session_mu);
		struct session_cache_slot *sl = sc_slot(s, th);
		memcpy(sl->th, th, sizeof sl->th);
		sl->gen = gen;
		sl->who = *who;
		memcpy(sl->csrf, csrf ? csrf : tmp_csrf, 65);
		sl->created = created;
		sl->last_seen = last_seen;
		pthread_mutex_unlock(&s->session_mu);
	}
out:
	store_release(s->store, c);
	return e;
}

static enum err logout_tx(struct store_conn *c, void *arg)
{
	struct login_audit *l = arg;
	enum err e = db_session_delete(c, l->token_hash);
	if (e)
		return e;
	return svc_audit(c, l->a, "logout", "session", l->a->user_id, NULL, NULL, NULL);
}

enum err service_logout(struct service *s, const struct actor *who, const char *token)
{
	char th[AUTH_TOKEN_HASH_BYTES];
	auth_token_hash(token, th);
	struct login_audit l = {who, "logout", th, 0, NULL, 0};
	struct store_conn *c = store_acquire(s->store);
	enum err e = store_tx(c, logout_tx, &l);
	if (e)
		e = svc_db_fail(c, e, "logout", NULL);
	store_release(s->store, c);
	return e;
}
