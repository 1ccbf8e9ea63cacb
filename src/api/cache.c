/*
 * cache.c — answers to GET requests, kept while the data generation does
 * not move (layer: api).
 *
 * A read-mostly office asks the same lists again and again; the service
 * tells, with every authenticated request, the data generation it saw
 * before reading anything (service_authenticate). An answer computed after
 * that is valid until the next committed write anywhere, in this process
 * or another, so it may be served again to a caller with the same scope
 * (role, jurisdiction, own record) for the same path and query. Only 200
 * answers of at most CACHE_BODY_MAX bytes are kept; memory is bounded by
 * CACHE_SLOTS * CACHE_BODY_MAX.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "core/mem.h"

#define CACHE_SLOTS 512
#define CACHE_BODY_MAX (64u << 10)
#define CACHE_KEY_MAX 3072

struct cache_slot {
	char *key;
	uint64_t gen;
	char *body;
	size_t len;
};

struct api_cache {
	pthread_mutex_t mu;
	struct cache_slot slot[CACHE_SLOTS];
};

struct api_cache *api_cache_new(void)
{
	struct api_cache *c = xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->mu, NULL);
	return c;
}

void api_cache_free(struct api_cache *c)
{
	if (!c)
		return;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		free(c->slot[i].key);
		free(c->slot[i].body);
	}
	pthread_mutex_destroy(&c->mu);
	free(c);
}

struct keybuf {
	struct buf b;
	bool bad;
};

static void add_query(void *arg, const char *key, const char *val)
{
	struct keybuf *k = arg;
	if (buf_printf(&k->b, "&%s=%s", key, val ? val : ""))
		k->bad = true;
}

/* The request's cache key, or false if it is too long to keep. */
bool api_cache_key(const struct api_ctx *x, struct buf *out)
{
	struct keybuf k = {.bad = false};
	buf_init(&k.b, CACHE_KEY_MAX);
	const struct actor *a = &x->actor;
	if (buf_printf(&k.b, "%d|%s|%lld|%lld|%s?", (int)a->role, a->region_path,
		       (long long)a->mentor_id, (long long)a->mentee_id, x->req->path))
		k.bad = true;
	if (!k.bad && x->req->query_each)
		x->req->query_each(x->req->query_ctx, add_query, &k);
	if (k.bad) {
		buf_release(&k.b);
		return false;
	}
	*out = k.b;
	return true;
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

bool api_cache_get(struct api_cache *c, const char *key, uint64_t gen, struct buf *body)
{
	struct cache_slot *sl = &c->slot[hash(key) % CACHE_SLOTS];
	bool hit = false;
	pthread_mutex_lock(&c->mu);
	if (sl->key && sl->gen == gen && strcmp(sl->key, key) == 0) {
		buf_clear(body);
		hit = buf_append(body, sl->body, sl->len) == ERR_OK;
	}
	pthread_mutex_unlock(&c->mu);
	return hit;
}

void api_cache_put(struct api_cache *c, const char *key, uint64_t gen, const struct buf *body)
{
	if (body->len > CACHE_BODY_MAX)
		return;
	char *k = xstrdup(key), *b = xmemdup(body->data ? body->data : "", body->len);
	struct cache_slot *sl = &c->slot[hash(key) % CACHE_SLOTS];
	pthread_mutex_lock(&c->mu);
	char *oldk = sl->key, *oldb = sl->body;
	sl->key = k;
	sl->body = b;
	sl->len = body->len;
	sl->gen = gen;
	pthread_mutex_unlock(&c->mu);
	free(oldk);
	free(oldb);
}
