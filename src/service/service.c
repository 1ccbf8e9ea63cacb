/*
 * service.c — the service's shared machinery: opening, clocks, search
 * folding, list scopes, the audit chain, refusals, sessions and the login
 * rate limiter. Layer: service.
 */
#include <opencc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/pinyin.h"
#include "service/internal.h"

/* Remembered conversions of search-key parts (svc_search_key): a roster
 * repeats its posts and places, and OpenCC costs some 10 µs a call. */
#define FOLD_MEMO 16384 /* slots, a power of two; a collision replaces */
struct fold_slot {
	char *in, *out; /* owned */
};

/* ---- opening --------------------------------------------------------- */

/* *out = $name when it is a whole number in 1..max; else unchanged. */
static void env_int(const char *name, long max, int *out)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return;
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || n <= 0 || n > max) {
		log_event(LOG_WARN, "ignored a bad setting", "\"name\":\"%s\"", name);
		return;
	}
	*out = (int)n;
}

enum err service_open(const char *db, unsigned pool, struct service **out, struct errinfo *ei)
{
	enum err e = auth_init();
	if (e)
		return errinfo_set(ei, e, NULL, "libsodium failed to initialise");
	struct service *s = xcalloc(1, sizeof *s);
	s->session_idle = SESSION_IDLE_SECONDS;
	s->session_absolute = SESSION_ABSOLUTE_SECONDS;
	s->rl_window = RL_WINDOW;
	s->rl_max_pair = RL_MAX_PAIR;
	s->rl_max_addr = RL_MAX_ADDR;
	pthread_mutex_init(&s->opencc_mu, NULL);
	pthread_mutex_init(&s->rl_mu, NULL);
	s->rl = xcalloc(RL_SLOTS, sizeof *s->rl);
	pthread_mutex_init(&s->session_mu, NULL);
	s->session_cache = service_session_cache_new();
	opencc_t cc = opencc_open("t2s.json");
	if (cc == (opencc_t)-1) {
		log_event(LOG_WARN, "OpenCC t2s unavailable: search will not fold traditional", NULL);
		cc = NULL;
	}
	s->opencc = cc;
	s->fold_memo = xcalloc(FOLD_MEMO, sizeof *s->fold_memo);
	if ((e = store_open(db, pool, &s->store, ei))) {
		service_close(s);
		return e;
	}
	/* Shorter sessions and limiter windows for operators and tests. */
	env_int("BANGDAI_SESSION_IDLE", 86400 * 30, &s->session_idle);
	env_int("BANGDAI_SESSION_ABSOLUTE", 86400 * 30, &s->session_absolute);
	env_int("BANGDAI_LOGIN_WINDOW", 86400, &s->rl_window);
	env_int("BANGDAI_LOGIN_MAX_PAIR", 100000, &s->rl_max_pair);
	env_int("BANGDAI_LOGIN_MAX_ADDR", 100000, &s->rl_max_addr);
	*out = s;
	return ERR_OK;
}

void service_close(struct service *s)
{
	if (!s)
		return;
	store_close(s->store);
	if (s->opencc)
		opencc_close(s->opencc);
	pthread_mutex_destroy(&s->opencc_mu);
	for (size_t i = 0; s->fold_memo && i < FOLD_MEMO; i++) {
		free(s->fold_memo[i].in);
		free(s->fold_memo[i].out);
	}
	free(s->fold_memo);
	pthread_mutex_destroy(&s->rl_mu);
	free(s->rl);
	free(s->session_cache);
	pthread_mutex_destroy(&s->session_mu);
	free(s);
}

/* ---- clocks and folding ---------------------------------------------- */

void svc_now(char out[M_TIME])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, M_TIME, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void svc_today(char out[M_TIME])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, M_TIME, "%Y-%m-%d", &tm);
}

/* Copy at most n-1 bytes without cutting a UTF-8 sequence. */
static void copy_utf8(char *out, size_t n, const char *in)
{
	size_t len = strlen(in);
	if (len >= n) {
		len = n - 1;
		while (len > 0 && ((unsigned char)in[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(out, in, len);
	out[len] = '\0';
}

void svc_fold(struct service *s, const char *in, char *out, size_t n)
{
	if (n == 0)
		return;
	char *conv = NULL;
	if (s->opencc && in[0]) {
		pthread_mutex_lock(&s->opencc_mu);
		conv = opencc_convert_utf8(s->opencc, in, strlen(in));
		pthread_mutex_unlock(&s->opencc_mu);
	}
	copy_utf8(out, n, conv ? conv : in);
	if (conv)
		opencc_convert_utf8_free(conv);
	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
}

/* OpenCC's conversion of one part (not lower-cased), through the memo. */
static void convert_part(struct service *s, const char *in, struct buf *out)
{
	if (!s->opencc || !in[0]) {
		buf_puts(out, in);
		return;
	}
	uint64_t h = 1469598103934665603ull;
	for (const char *p = in; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	pthread_mutex_lock(&s->opencc_mu);
	struct fold_slot *slot = &s->fold_memo[h & (FOLD_MEMO - 1)];
	if (!slot->in || strcmp(slot->in, in)) {
		char *conv = opencc_convert_utf8(s->opencc, in, strlen(in));
		free(slot->in);
		free(slot->out);
		slot->in = xstrdup(in);
		slot->out = xstrdup(conv ? conv : in);
		if (conv)
			opencc_convert_utf8_free(conv);
	}
	buf_puts(out, slot->out);
	pthread_mutex_unlock(&s->opencc_mu);
}

void svc_fold_prefetch(struct service *s, const char *const *texts, size_t n)
{
	if (!s->opencc || n == 0)
		return;
	/* One call for all: OpenCC's dictionary entries hold no newline, so
	 * the texts convert alone as they do together. */
	struct buf in;
	buf_init(&in, (size_t)1 << 24);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!texts[i][0] || strchr(texts[i], '\n'))
			continue;
		if ((k && buf_putc(&in, '\n')) || buf_puts(&in, texts[i]))
			break;
		k++;
	}
	if (!k) {
		buf_release(&in);
		return;
	}
	pthread_mutex_lock(&s->opencc_mu);
	char *conv = opencc_convert_utf8(s->opencc, in.data, in.len);
	const char *src = in.data, *dst = conv;
	for (size_t i = 0; conv && i < k; i++) {
		const char *se = strchr(src, '\n'), *de = strchr(dst, '\n');
		if (!se != !de) /* not the same number of lines: keep nothing more */
			break;
		size_t sl = se ? (size_t)(se - src) : strlen(src);
		size_t dl = de ? (size_t)(de - dst) : strlen(dst);
		uint64_t h = 1469598103934665603ull;
		for (size_t j = 0; j < sl; j++)
			h = (h ^ (unsigned char)src[j]) * 1099511628211ull;
		struct fold_slot *slot = &s->fold_memo[h & (FOLD_MEMO - 1)];
		free(slot->in);
		free(slot->out);
		slot->in = xstrndup(src, sl);
		slot->out = xstrndup(dst, dl);
		if (!se)
			break;
		src = se + 1;
		dst = de + 1;
	}
	pthread_mutex_unlock(&s->opencc_mu);
	if (conv)
		opencc_convert_utf8_free(conv);
	buf_release(&in);
}

void svc_search_key(struct service *s, char *out, size_t n, const char *a, const char *b,
		    const char *c)
{
	if (n == 0)
		return;
	/* svc_fold of "a | b | c", part by part: OpenCC's dictionary entries
	 * hold no " | ", so no match spans two parts and the parts convert
	 * alone as they do together (test_search_key_parts). */
	const char *part[] = {a ? a : "", b ? b : "", c ? c : ""};
	struct buf joined;
	buf_init(&joined, (size_t)1 << 20);
	for (size_t i = 0; i < 3; i++) {
		if (i)
			buf_puts(&joined, " | ");
		convert_part(s, part[i], &joined);
	}
	copy_utf8(out, n, joined.data ? joined.data : "");
	buf_release(&joined);
	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	/* Pinyin of the first part (a name), after the rest: typing "hxs" or
	 * "houxiusheng" finds 侯修升. Left out (word by word) when it does not
	 * fit; the folded parts are never cut for it. */
	const char *bar = strstr(out, " | ");
	size_t len = strlen(out);
	if (n > len + 4) {
		char *dst = out + len + 3;
		if (pinyin_words(out, bar ? (size_t)(bar - out) : len, dst, n - len - 3))
			memcpy(out + len, " | ", 3);
		else
			out[len] = '\0';
	}
}

/* ---- failures and refusals ------------------------------------------- */

enum err svc_db_fail(struct store_conn *c, enum err e, const char *where, struct errinfo *ei)
{
	if (e == ERR_CONFLICT || e == ERR_NOT_FOUND)
		return e;
	char msg[256];
	log_escape(c ? store_errmsg(c) : "", msg, sizeof msg);
	log_event(LOG_ERROR, "storage failed", "\"where\":\"%s\",\"error\":\"%s\",\"code\":\"%s\"",
		  where, msg, err_code(e));
	return errinfo_set(ei, ERR_DB, NULL, "数据库错误 (storage failed)");
}

struct deny_arg {
	const struct actor *a;
	const char *what;
};

static enum err deny_tx(struct store_conn *c, void *arg)
{
	struct deny_arg *d = arg;
	return svc_audit(c, d->a, "denied", d->what, 0, NULL, NULL, NULL);
}

enum err svc_deny(struct service *s, struct store_conn *held, const struct actor *a,
		  const char *what, struct errinfo *ei)
{
	/* A connection inside a transaction would lose the entry at rollback. */
	struct store_conn *c = held && !store_in_tx(held) ? held : store_acquire(s->store);
	struct deny_arg d = {a, what};
	enum err e = store_tx(c, deny_tx, &d);
	if (e)
		svc_db_fail(c, e, "audit denied", NULL);
	if (c != held)
		store_release(s->store, c);
	return errinfo_set(ei, ERR_FORBIDDEN, NULL, "无权访问 (forbidden)");
}

enum err svc_write_tx(struct service *s, const struct actor *a, const char *what,
		      enum err (*fn)(struct store_conn *c, void *arg), void *arg,
		      struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	enum err e = store_tx(c, fn, arg);
	if (e == ERR_FORBIDDEN)
		e = svc_deny(s, c, a, what, ei);
	else if (e == ERR_DB || e == ERR_BUSY || e == ERR_INTERNAL)
		e = svc_db_fail(c, e, what, ei);
	store_release(s->store, c);
	return e;
}

void service_audit_denied(struct service *s, const struct actor *a, const char *what)
{
	svc_deny(s, NULL, a, what, NULL);
}

/* ---- the audit chain --------------------------------------------------- */

static char *record_json(const struct field_spec *spec, const void *rec)
{
	if (!spec || !rec)
		return NULL;
	/* The text jansson would write, without building the object: the
	 * object cost a quarter of creating a record (docs/bench.md). */
	struct buf b;
	buf_init(&b, (size_t)1 << 26);
	if (!fields_to_json_text(spec, rec, 0, &b))
		return buf_detach(&b, NULL);
	buf_release(&b);
	json_t *j = fields_to_json(spec, rec, 0);
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

/* The hash of an entry covers every column but id and hash, in order,
 * each followed by the record separator 0x1e. */
static void audit_hash(const struct audit_entry *e, char out[65])
{
	char uid[24];
	snprintf(uid, sizeof uid, "%lld", (long long)e->user_id);
	const char *part[] = {e->prev_hash, e->at, uid, e->login, e->client, e->action,
			      e->object, e->object_id, e->before_json ? e->before_json : "",
			      e->after_json ? e->after_json : ""};
	struct buf b;
	buf_init(&b, (size_t)1 << 27);
	size_t need = 0;
	for (size_t i = 0; i < sizeof part / sizeof part[0]; i++)
		need += strlen(part[i]) + 1;
	(void)buf_reserve(&b, need); /* on failure the appends below refuse */
	for (size_t i = 0; i < sizeof part / sizeof part[0]; i++)
		if (buf_puts(&b, part[i]) || buf_putc(&b, '\x1e'))
			abort(); /* over 128 MiB of record text cannot happen: records are bounded */
	auth_hash_hex(b.data, b.len, out);
	buf_release(&b);
}

enum err svc_audit(struct store_conn *c, const struct actor *a, const char *action,
		   const char *object, int64_t object_id, const struct field_spec *spec,
		   const void *before, const void *after)
{
	struct audit_entry e;
	memset(&e, 0, sizeof e);
	svc_now(e.at);
	if (a) {
		e.user_id = a->user_id;
		snprintf(e.login, sizeof e.login, "%s", a->login);
		snprintf(e.client, sizeof e.client, "%s", a->client);
	} else {
		snprintf(e.login, sizeof e.login, "%s", "(cli)");
	}
	snprintf(e.action, sizeof e.action, "%s", action);
	snprintf(e.object, sizeof e.object, "%s", object ? object : "");
	if (object_id)
		snprintf(e.object_id, sizeof e.object_id, "%lld", (long long)object_id);
	e.before_json = record_json(spec, before);
	e.after_json = record_json(spec, after);
	enum err err = db_audit_last_hash(c, e.prev_hash);
	if (!err) {
		audit_hash(&e, e.hash);
		err = db_audit_insert(c, &e);
	}
	free(e.before_json);
	free(e.after_json);
	return err;
}

struct verify_arg {
	char prev[65];
	int64_t count, bad_id, last;
	bool ok;
};

static enum err verify_row(void *arg, const void *row)
{
	struct verify_arg *v = arg;
	const struct audit_entry *e = row;
	char h[65];
	v->count++;
	v->last = e->id;
	audit_hash(e, h);
	if (strcmp(e->prev_hash, v->prev) != 0 || strcmp(h, e->hash) != 0) {
		v->ok = false;
		v->bad_id = e->id;
		return ERR_CONFLICT; /* stop the walk */
	}
	memcpy(v->prev, e->hash, sizeof v->prev);
	return ERR_OK;
}

struct list_fwd {
	svc_row_fn fn;
	void *arg;
	int64_t last;
};

static enum err audit_fwd(void *arg, const void *row)
{
	struct list_fwd *f = arg;
	f->last = ((const struct audit_entry *)row)->id;
	return f->fn(f->arg, row, false);
}

enum err svc_audit_list(struct service *s, const struct actor *a, int64_t after_id, int limit,
			svc_row_fn fn, void *arg, struct errinfo *ei)
{
	if (a->role != ROLE_CITY_ADMIN && a->role != ROLE_AUDITOR)
		return svc_deny(s, NULL, a, "audit", ei);
	if (limit <= 0 || limit > LIMIT_PAGE_SIZE)
		limit = LIMIT_PAGE_SIZE;
	struct store_conn *c = store_acquire(s->store);
	struct list_fwd f = {fn, arg, 0};
	enum err e = db_audit_list(c, after_id, limit, audit_fwd, &f);
	if (e)
		e = svc_db_fail(c, e, "audit list", ei);
	store_release(s->store, c);
	return e;
}

enum err svc_audit_verify(struct service *s, const struct actor *a, int64_t *count, bool *ok,
			  int64_t *bad_id, struct errinfo *ei)
{
	if (a && a->role != ROLE_CITY_ADMIN && a->role != ROLE_AUDITOR)
		return svc_deny(s, NULL, a, "audit", ei);
	struct store_conn *c = store_acquire(s->store);
	struct verify_arg v;
	memset(&v, 0, sizeof v);
	memset(v.prev, '0', 64);
	v.ok = true;
	enum err e = ERR_OK;
	/* Walk in pages so that memory stays flat on a long log. */
	for (;;) {
		int64_t before = v.count;
		e = db_audit_list(c, v.last, 1000, verify_row, &v);
		if (e == ERR_CONFLICT && !v.ok)
			e = ERR_OK;
		if (e || !v.ok || v.count - before < 1000)
			break;
	}
	if (e)
		e = svc_db_fail(c, e, "audit verify", ei);
	store_release(s->store, c);
	*count = v.count;
	*ok = v.ok;
	*bad_id = v.bad_id;
	return e;
}
