/*
 * svc_migrate.c — copy a whole programme from one database to another,
 * e.g. from the SQLite file to PostgreSQL when a province outgrows it
 * (`bangdai migrate-data`). Layer: service. It talks to the two stores
 * only through the table list of store/db_copy.c; it checks no roles
 * (the operator of the machine runs it) and writes no audit entry: the
 * audit log is copied as it is, chain and all.
 *
 * The copy runs inside one write transaction on the source, so that the
 * store's writers there (a server left running) wait until it is over and
 * every table is read from one quiet state; each table is written to the
 * target in a transaction of its own, ids included, after the tables it
 * references. Verification: per table, the row count and a checksum of
 * the rows as read from the source during the copy must equal the count
 * and the checksum of the rows read back from the target afterwards.
 *
 * The checksum of a table is order-independent, so that it does not
 * depend on how either backend sorts text: each row is encoded without
 * ambiguity (type, length, bytes per column; doubles with 17 digits) and
 * hashed (BLAKE2b-256, auth_hash_hex); the hashes are added modulo 2^256;
 * the table's checksum is the hash of that sum, its row count and its
 * name.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "service/internal.h"
#include "store/db.h"

#define COPY_PAGE 1000          /* rows read per statement */
#define ROW_TEXT_MAX (64u << 20) /* one encoded row (audit JSON included) */

struct table_sum {
	unsigned char acc[32]; /* sum of the row hashes, little-endian */
	int64_t rows;
};

static int hexval(char ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : 0;
}

/* Encode `row` into b and add its hash to *sum. */
static enum err sum_row(struct table_sum *sum, struct buf *b, const struct db_copy_row *row)
{
	buf_clear(b);
	enum err e = ERR_OK;
	for (int i = 0; i < row->ncols && !e; i++) {
		const struct db_copy_value *v = &row->v[i];
		if (v->null)
			e = buf_puts(b, "n;");
		else if (row->types[i] == 'i')
			e = buf_printf(b, "i%lld;", (long long)v->i);
		else if (row->types[i] == 'd')
			e = buf_printf(b, "d%.17g;", v->d);
		else if (!(e = buf_printf(b, "t%zu:", strlen(v->t))))
			e = buf_puts(b, v->t);
	}
	if (e)
		return e;
	char hex[AUTH_TOKEN_HASH_BYTES];
	auth_hash_hex(b->data ? b->data : "", b->len, hex);
	unsigned carry = 0;
	for (int i = 0; i < 32; i++) {
		unsigned byte = (unsigned)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1]));
		unsigned s = sum->acc[i] + byte + carry;
		sum->acc[i] = (unsigned char)s;
		carry = s >> 8;
	}
	sum->rows++;
	return ERR_OK;
}

static void sum_final(const struct table_sum *sum, const char *table,
		      char out[AUTH_TOKEN_HASH_BYTES])
{
	unsigned char msg[32 + 32 + 64];
	size_t n = 0;
	memcpy(msg, sum->acc, 32);
	n = 32;
	n += (size_t)snprintf((char *)msg + n, sizeof msg - n, "%lld:%s", (long long)sum->rows,
			      table);
	if (n > sizeof msg - 1)
		n = sizeof msg - 1;
	auth_hash_hex(msg, n, out);
}

struct migration {
	struct store_conn *src, *dst;
	size_t t;               /* the table being copied */
	struct table_sum from;  /* its rows as read from the source */
	struct buf row;         /* scratch: one encoded row */
	svc_migrate_fn fn;
	void *arg;
	int64_t total;
	struct errinfo *ei;
};

static enum err copy_row(void *arg, const struct db_copy_row *row)
{
	struct migration *m = arg;
	enum err e = sum_row(&m->from, &m->row, row);
	return e ? e : db_copy_insert(m->dst, m->t, row);
}

/* One table into the target, in the target's transaction (may rerun). */
static enum err copy_table_tx(struct store_conn *dst, void *arg)
{
	struct migration *m = arg;
	(void)dst;
	memset(&m->from, 0, sizeof m->from);
	int64_t cursor = 0;
	int n;
	enum err e;
	do
		e = db_copy_read(m->src, m->t, &cursor, COPY_PAGE, copy_row, m, &n);
	while (!e && n == COPY_PAGE);
	return e ? e : db_copy_finish(m->dst, m->t);
}

struct read_back {
	struct table_sum *sum;
	struct buf *row;
};

static enum err hash_row(void *arg, const struct db_copy_row *row)
{
	struct read_back *rb = arg;
	return sum_row(rb->sum, rb->row, row);
}

/* Read table m->t of `c` back into *sum. */
static enum err read_back(struct migration *m, struct store_conn *c, struct table_sum *sum)
{
	struct read_back rb = {sum, &m->row};
	memset(sum, 0, sizeof *sum);
	int64_t cursor = 0;
	int n;
	enum err e;
	do
		e = db_copy_read(c, m->t, &cursor, COPY_PAGE, hash_row, &rb, &n);
	while (!e && n == COPY_PAGE);
	return e;
}

static enum err fail(struct migration *m, enum err e, struct store_conn *c, const char *what)
{
	if (e == ERR_BUSY)
		e = ERR_DB; /* the copy is not retried from the start: the target is not empty */
	return errinfo_set(m->ei, e, db_copy_table(m->t), "%s: %s", what,
			   c ? store_errmsg(c) : err_code(e));
}

/* Every table: refuse a target that is not empty, then copy and verify
 * one table after the other. */
static enum err copy_all(struct migration *m)
{
	for (m->t = 0; m->t < db_copy_ntables(); m->t++) {
		int64_t n = 0;
		enum err e = db_copy_count(m->dst, m->t, &n);
		if (e)
			return fail(m, e, m->dst, "cannot count the target's rows");
		if (n)
			return errinfo_set(m->ei, ERR_CONFLICT, db_copy_table(m->t),
					   "the target database is not empty (%lld rows)",
					   (long long)n);
	}
	for (m->t = 0; m->t < db_copy_ntables(); m->t++) {
		const char *table = db_copy_table(m->t);
		enum err e = store_tx(m->dst, copy_table_tx, m);
		if (e == ERR_CONFLICT)
			return errinfo_set(m->ei, e, table, "a row does not fit the target: %s",
					   store_errmsg(m->dst));
		if (e)
			return fail(m, e, m->dst, "copy failed");
		int64_t src_rows = 0, dst_rows = 0;
		struct table_sum back;
		if ((e = db_copy_count(m->src, m->t, &src_rows)))
			return fail(m, e, m->src, "cannot count the source's rows");
		if ((e = db_copy_count(m->dst, m->t, &dst_rows)))
			return fail(m, e, m->dst, "cannot count the target's rows");
		if ((e = read_back(m, m->dst, &back)))
			return fail(m, e, m->dst, "cannot read the copy back");
		char want[AUTH_TOKEN_HASH_BYTES], got[AUTH_TOKEN_HASH_BYTES];
		sum_final(&m->from, table, want);
		sum_final(&back, table, got);
		if (src_rows != m->from.rows || dst_rows != src_rows || back.rows != src_rows)
			return errinfo_set(m->ei, ERR_DB, table,
					   "row counts differ: source %lld (read %lld), target %lld"
					   " (read %lld)",
					   (long long)src_rows, (long long)m->from.rows,
					   (long long)dst_rows, (long long)back.rows);
		if (strcmp(want, got) != 0)
			return errinfo_set(m->ei, ERR_DB, table, "checksums differ: source %s, target %s",
					   want, got);
		m->total += src_rows;
		if (m->fn)
			m->fn(m->arg, table, src_rows, want);
	}
	return ERR_OK;
}

/* Every table, in the source's transaction. */
static enum err copy_all_tx(struct store_conn *src, void *arg)
{
	(void)src;
	return copy_all(arg);
}

enum err svc_copy_tables(struct store_conn *src, struct store_conn *dst, svc_migrate_fn fn,
			 void *arg, struct errinfo *ei)
{
	struct migration m = {.src = src, .dst = dst, .fn = fn, .arg = arg, .ei = ei};
	buf_init(&m.row, ROW_TEXT_MAX);
	enum err e = copy_all(&m);
	buf_release(&m.row);
	return e;
}

enum err svc_table_sums(struct store_conn *c, svc_migrate_fn fn, void *arg, struct errinfo *ei)
{
	struct migration m = {.ei = ei};
	buf_init(&m.row, ROW_TEXT_MAX);
	enum err e = ERR_OK;
	for (m.t = 0; m.t < db_copy_ntables() && !e; m.t++) {
		struct table_sum sum;
		if ((e = read_back(&m, c, &sum))) {
			e = fail(&m, e, c, "cannot read the table");
			break;
		}
		char hex[AUTH_TOKEN_HASH_BYTES];
		sum_final(&sum, db_copy_table(m.t), hex);
		fn(arg, db_copy_table(m.t), sum.rows, hex);
	}
	buf_release(&m.row);
	return e;
}

static bool is_pg(const char *uri)
{
	return strncmp(uri, "postgres://", 11) == 0 || strncmp(uri, "postgresql://", 13) == 0;
}

enum err svc_migrate_data(const char *from, const char *to, svc_migrate_fn fn, void *arg,
			  struct errinfo *ei)
{
	struct store *src = NULL, *dst = NULL;
	struct store_conn *sc = NULL, *dc = NULL;
	struct migration m = {.fn = fn, .arg = arg, .ei = ei};
	buf_init(&m.row, ROW_TEXT_MAX);
	enum err e = db_copy_check_schema(ei);
	if (e)
		goto out;
	if (!strcmp(from, to)) {
		e = errinfo_set(ei, ERR_INVALID, "to", "the source and the target are the same");
		goto out;
	}
	/* Opening a SQLite path creates the file: a typo must not become an
	 * empty source. */
	if (!is_pg(from) && access(from, R_OK) != 0) {
		e = errinfo_set(ei, ERR_NOT_FOUND, "from", "no database file %s", from);
		goto out;
	}
	if ((e = store_open(from, 1, &src, ei)) || (e = store_open(to, 1, &dst, ei)))
		goto out;
	sc = store_acquire(src);
	dc = store_acquire(dst);
	m.src = sc;
	m.dst = dc;
	e = store_tx(sc, copy_all_tx, &m);
	if (e && !ei->message[0])
		errinfo_set(ei, e, NULL, "%s", store_errmsg(sc));
out:
	if (sc)
		store_release(src, sc);
	if (dc)
		store_release(dst, dc);
	store_close(src);
	store_close(dst);
	buf_release(&m.row);
	return e;
}

/* One table of the service's database, counted and summed as a copy is
 * verified. */
enum err svc_db_checksums(struct service *s, svc_migrate_fn fn, void *arg, struct errinfo *ei)
{
	struct migration m = {.ei = ei};
	buf_init(&m.row, ROW_TEXT_MAX);
	struct store_conn *c = store_acquire(s->store);
	enum err e = ERR_OK;
	for (m.t = 0; m.t < db_copy_ntables() && !e; m.t++) {
		struct table_sum sum;
		int64_t rows = 0;
		if ((e = read_back(&m, c, &sum)) || (e = db_copy_count(c, m.t, &rows))) {
			e = fail(&m, e, c, "cannot read");
			break;
		}
		if (rows != sum.rows) {
			e = errinfo_set(ei, ERR_DB, db_copy_table(m.t), "counted %lld rows, read %lld",
					(long long)rows, (long long)sum.rows);
			break;
		}
		char hex[AUTH_TOKEN_HASH_BYTES];
		sum_final(&sum, db_copy_table(m.t), hex);
		fn(arg, db_copy_table(m.t), rows, hex);
	}
	store_release(s->store, c);
	buf_release(&m.row);
	return e;
}

enum err svc_db_check(struct service *s, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s->store);
	int left = store_unfinished(c);
	enum err e = left ? errinfo_set(ei, ERR_DB, NULL, "%d statements left mid-way", left)
			  : store_check(c, ei);
	store_release(s->store, c);
	return e;
}
