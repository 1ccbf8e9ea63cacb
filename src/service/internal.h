/*
 * internal.h — what the service's files share (layer: service, internal).
 * Not a contract for other layers: they use service.h.
 */
#ifndef BANGDAI_SERVICE_INTERNAL_H
#define BANGDAI_SERVICE_INTERNAL_H

#include <pthread.h>

#include "service/service.h"
#include "store/db.h"
#include "store/store.h"

/* Login rate limiter: failures per login+address and per address within
 * a window (defaults; $BANGDAI_LOGIN_* override them, see service.c). */
#define RL_SLOTS 4096
#define RL_WINDOW 900
#define RL_MAX_PAIR 10
#define RL_MAX_ADDR 200
struct rl_slot {
	uint64_t key;
	int64_t start;
	int fails;
	int refused; /* attempts refused (429) in this window */
};

struct service {
	struct store *store;
	void *opencc;              /* opencc_t for t2s folding */
	pthread_mutex_t opencc_mu;
	pthread_mutex_t rl_mu;     /* login rate limiter */
	struct rl_slot *rl;
	int rl_window, rl_max_pair, rl_max_addr; /* seconds, failures, failures */
	int session_idle, session_absolute;
	pthread_mutex_t session_mu;
	struct session_cache_slot *session_cache; /* [1024], see session.c */
	struct fold_slot *fold_memo; /* [FOLD_MEMO] under opencc_mu, see service.c */
};

/* The session cache's memory (session.c), owned by struct service. */
struct session_cache_slot *service_session_cache_new(void);

/* Current time as ISO-8601 UTC ("2026-11-27T22:27:30Z"). */
void svc_now(char out[M_TIME]);
/* Today as "YYYY-MM-DD". */
void svc_today(char out[M_TIME]);

/*
 * Fold text for search: traditional -> simplified (OpenCC), ASCII lower
 * case. Writes at most n bytes to out (NUL-terminated, truncated on a
 * character boundary). The stored name is never changed: only search
 * keys and queries are folded.
 */
void svc_fold(struct service *s, const char *in, char *out, size_t n);
/* Convert `n` texts (e.g. the names of the next rows of an import) in one
 * OpenCC call, ahead of svc_search_key, which then finds them done. Only
 * a matter of speed: OpenCC costs some 10 µs a call, mostly the call. */
void svc_fold_prefetch(struct service *s, const char *const *texts, size_t n);
/* Search key of a record: the folded parts joined by " | ". */
void svc_search_key(struct service *s, char *out, size_t n, const char *a, const char *b,
		    const char *c);

/*
 * Fill q->root_lo/hi (and only_id for mentors/mentees) from the caller's
 * jurisdiction and the optional `region` code of the list arguments.
 * `kind` is "mentor", "mentee" or NULL (other records: mentors and
 * mentees then see nothing, ERR_FORBIDDEN). Copies paging (limit clamped
 * to LIMIT_PAGE_SIZE) and the common filters.
 * Errors: ERR_NOT_FOUND (unknown region), ERR_FORBIDDEN (outside).
 */
enum err svc_list_scope(struct service *s, struct store_conn *c, const struct actor *a,
			const struct svc_list_args *la, const char *kind, struct list_query *q,
			struct errinfo *ei);

/* Set q->sort from la->sort against `names` (NULL-terminated; index 0 is
 * the default). ERR_INVALID naming the field "sort" if unknown. */
enum err svc_sort(const struct svc_list_args *la, const char *const *names, struct list_query *q,
		  struct errinfo *ei);

/* Resolve a region code into id and path. ERR_UNPROCESSABLE naming
 * `field` if there is none. */
enum err svc_region_ref(struct store_conn *c, const char *code, const char *field,
			struct region *out, struct errinfo *ei);

/* ERR_UNPROCESSABLE naming `field` unless `code` is in vocab `kind`.
 * Tags: every code of ",a,b," must be in the vocabulary. */
enum err svc_vocab_check(struct store_conn *c, const char *kind, const char *code,
			 const char *field, struct errinfo *ei);
enum err svc_tags_check(struct store_conn *c, const char *kind, const char *tags,
			const char *field, struct errinfo *ei);

/*
 * Remember what the three checks above found, on this thread and for
 * connection `c` only, until svc_ref_memo_end: for a bulk write (an
 * import) that changes no region and no vocabulary meanwhile, so that
 * 100,000 rows do not look up the same few hundred codes 100,000 times.
 * Only answers that were found are remembered.
 */
void svc_ref_memo_begin(struct store_conn *c);
void svc_ref_memo_end(void);

/*
 * Append an audit entry in the current transaction, chained to the last.
 * `before`/`after` are records of `spec` or NULL.
 */
enum err svc_audit(struct store_conn *c, const struct actor *a, const char *action,
		   const char *object, int64_t object_id, const struct field_spec *spec,
		   const void *before, const void *after);

/* Refuse: audit the denial (in its own transaction, on `held` when that
 * connection is free of a transaction, else on a new one) and fill ei.
 * Returns ERR_FORBIDDEN. */
enum err svc_deny(struct service *s, struct store_conn *held, const struct actor *a,
		  const char *what, struct errinfo *ei);

/* Log a storage failure once and turn it into ERR_DB. */
enum err svc_db_fail(struct store_conn *c, enum err e, const char *where, struct errinfo *ei);

/* Run fn(c, arg) in a transaction on a connection of its own: a refusal
 * (ERR_FORBIDDEN) is audited as a denial of `what` (svc_deny), a storage
 * error logged under `what` (svc_db_fail); other errors pass through. */
enum err svc_write_tx(struct service *s, const struct actor *a, const char *what,
		      enum err (*fn)(struct store_conn *c, void *arg), void *arg,
		      struct errinfo *ei);

/*
 * The bodies of the create and update calls, for a caller that holds a
 * transaction on `c` (the importer: every row of a file in one
 * transaction). Validation, the jurisdiction check, the write and its
 * audit entry are exactly those of svc_X_create / svc_X_update; what
 * differs: a refusal is ERR_FORBIDDEN without an audit entry (the caller
 * audits it once the transaction is over) and storage errors are not
 * logged (the caller does). Update needs an actor (a == NULL is the
 * command line's operator for create only).
 */
enum err svc_mentor_create_in(struct store_conn *c, struct service *s, const struct actor *a,
			      struct mentor *m, struct errinfo *ei);
enum err svc_mentor_update_in(struct store_conn *c, struct service *s, const struct actor *a,
			      int64_t id, const struct mentor *in, uint64_t present,
			      struct mentor *out, struct errinfo *ei);
enum err svc_mentee_create_in(struct store_conn *c, struct service *s, const struct actor *a,
			      struct mentee *m, struct errinfo *ei);
enum err svc_mentee_update_in(struct store_conn *c, struct service *s, const struct actor *a,
			      int64_t id, const struct mentee *in, uint64_t present,
			      struct mentee *out, struct errinfo *ei);
enum err svc_org_create_in(struct store_conn *c, struct service *s, const struct actor *a,
			   struct organisation *o, struct errinfo *ei);
enum err svc_org_update_in(struct store_conn *c, struct service *s, const struct actor *a,
			   int64_t id, const struct organisation *in, uint64_t present,
			   struct organisation *out, struct errinfo *ei);
enum err svc_region_create_in(struct store_conn *c, struct service *s, const struct actor *a,
			      struct region *r, uint64_t present, struct errinfo *ei);
enum err svc_region_update_in(struct store_conn *c, struct service *s, const struct actor *a,
			      const char *code, const struct region *in, uint64_t present,
			      struct region *out, struct errinfo *ei);

/* The table copy of migrate-data (svc_migrate.c), for backup and restore
 * (svc_backup.c). svc_copy_tables: refuse a non-empty `dst`, copy every
 * table of `src` (inside the caller's transaction or snapshot there) and
 * verify each by count and checksum, telling fn. svc_table_sums: each
 * table's row count and checksum as read from `c`, to fn. */
enum err svc_copy_tables(struct store_conn *src, struct store_conn *dst, svc_migrate_fn fn,
			 void *arg, struct errinfo *ei);
enum err svc_table_sums(struct store_conn *c, svc_migrate_fn fn, void *arg, struct errinfo *ei);

#endif
