/*
 * svc_backup.c — `bangdai backup` and `bangdai restore`: an online,
 * consistent copy of a programme into one portable file, and back into
 * an empty database. Layer: service.
 *
 * A backup file is a SQLite database whatever the source: SQLite is
 * copied page by page (the online backup API) from one read snapshot;
 * PostgreSQL table by table (migrate-data's copy) from one REPEATABLE
 * READ snapshot. Neither holds the server's writers off. In the same
 * snapshot every table's row count and checksum are computed from the
 * source (migrate-data's order-independent checksums, so they do not
 * depend on the backend); the file is then read back and must match,
 * pass SQLite's integrity check, and gets a manifest with those lines, the
 * schema version and a digest of it all. It is written as OUT.partial
 * and renamed only when complete, so a crash never leaves a half backup
 * under the name asked for.
 *
 * Restore checks the file first (integrity, digest, every table against
 * its line), refuses a target that is not empty, copies with
 * migrate-data's copy (which verifies every table again, on the target)
 * and checks the target's integrity.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/mem.h"
#include "service/internal.h"
#include "store/db.h"
#include "store/migrations.h"

#define FORMAT "bangdai-backup-1"
#define MAX_TABLES 96

struct table_line {
	const char *name; /* static: db_copy_table */
	int64_t rows;
	char sum[AUTH_TOKEN_HASH_BYTES];
	bool seen;
};

struct sums {
	size_t n;
	struct table_line t[MAX_TABLES];
};

static void sums_init(struct sums *s)
{
	memset(s, 0, sizeof *s);
	s->n = db_copy_ntables();
	if (s->n > MAX_TABLES)
		s->n = MAX_TABLES;
	for (size_t i = 0; i < s->n; i++)
		s->t[i].name = db_copy_table(i);
}

static struct table_line *sums_find(struct sums *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->t[i].name, name))
			return &s->t[i];
	return NULL;
}

/* svc_migrate_fn: record one table's line. */
static void collect(void *arg, const char *table, int64_t rows, const char *checksum)
{
	struct table_line *l = sums_find(arg, table);
	if (l) {
		l->rows = rows;
		snprintf(l->sum, sizeof l->sum, "%s", checksum);
		l->seen = true;
	}
}

/* The first table where a and b differ, or NULL. */
static const struct table_line *sums_differ(const struct sums *a, const struct sums *b,
					    const struct table_line **other)
{
	for (size_t i = 0; i < a->n; i++) {
		if (!a->t[i].seen || !b->t[i].seen || a->t[i].rows != b->t[i].rows ||
		    strcmp(a->t[i].sum, b->t[i].sum) != 0) {
			*other = &b->t[i];
			return &a->t[i];
		}
	}
	return NULL;
}

static int64_t schema_version(void)
{
	return migrations_count ? migrations[migrations_count - 1].version : 0;
}

/* The digest of a manifest: the format, the schema version and every
 * table line, in the copy's table order. */
static void digest(const struct sums *s, int64_t schema, char out[AUTH_TOKEN_HASH_BYTES])
{
	struct buf b;
	buf_init(&b, 1u << 20);
	enum err e = buf_printf(&b, "%s\nschema %lld\n", FORMAT, (long long)schema);
	for (size_t i = 0; i < s->n && !e; i++)
		e = buf_printf(&b, "%s %lld %s\n", s->t[i].name, (long long)s->t[i].rows,
			       s->t[i].sum);
	auth_hash_hex(b.data ? b.data : "", e ? 0 : b.len, out);
	buf_release(&b);
}

static bool is_pg(const char *uri)
{
	return strncmp(uri, "postgres://", 11) == 0 || strncmp(uri, "postgresql://", 13) == 0;
}

static void tell(const struct sums *s, svc_migrate_fn fn, void *arg)
{
	for (size_t i = 0; fn && i < s->n; i++)
		fn(arg, s->t[i].name, s->t[i].rows, s->t[i].sum);
}

/* --- backup ------------------------------------------------------------ */

struct backup {
	const char *path;      /* the file being written */
	struct store_conn *dc; /* PostgreSQL: the file, open */
	struct sums src;       /* read from the source's snapshot */
	struct errinfo *ei;
};

/* SQLite, inside the snapshot: the lines, then the pages of the same
 * snapshot. */
static enum err snap_pages(struct store_conn *c, void *arg)
{
	struct backup *b = arg;
	enum err e = svc_table_sums(c, collect, &b->src, b->ei);
	return e ? e : store_backup_file(c, b->path, b->ei);
}

/* PostgreSQL, inside the snapshot: copy every table into the file. */
static enum err snap_tables(struct store_conn *c, void *arg)
{
	struct backup *b = arg;
	return svc_copy_tables(c, b->dc, collect, &b->src, b->ei);
}

struct manifest_arg {
	const struct sums *s;
	const char *source;
};

static enum err write_manifest_tx(struct store_conn *c, void *arg)
{
	struct manifest_arg *m = arg;
	char now[M_TIME], dig[AUTH_TOKEN_HASH_BYTES];
	svc_now(now);
	digest(m->s, schema_version(), dig);
	enum err e = db_backup_manifest_create(c);
	if (!e)
		e = db_backup_manifest_put(c, "meta", "format", 1, FORMAT);
	if (!e)
		e = db_backup_manifest_put(c, "meta", "schema", schema_version(), "");
	if (!e)
		e = db_backup_manifest_put(c, "meta", "created", 0, now);
	if (!e)
		e = db_backup_manifest_put(c, "meta", "source", 0, m->source);
	if (!e)
		e = db_backup_manifest_put(c, "meta", "digest", (int64_t)m->s->n, dig);
	for (size_t i = 0; i < m->s->n && !e; i++)
		e = db_backup_manifest_put(c, "table", m->s->t[i].name, m->s->t[i].rows,
					   m->s->t[i].sum);
	return e;
}

/* Flush a file (or folder) to the disk. */
static enum err sync_path(const char *path, bool dir, struct errinfo *ei)
{
	int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0) {
		if (fd >= 0)
			close(fd);
		return errinfo_set(ei, ERR_IO, "out", "cannot sync %s", path);
	}
	close(fd);
	return ERR_OK;
}

static void remove_db_files(const char *path)
{
	static const char *const suffix[] = {"", "-journal", "-wal", "-shm"};
	char p[4200];
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		unlink(p);
	}
}

enum err svc_backup(const char *from, const char *out, svc_migrate_fn fn, void *arg,
		    struct errinfo *ei)
{
	struct store *src = NULL, *dst = NULL;
	struct store_conn *sc = NULL, *dc = NULL;
	char tmp[4096], dir[4096];
	struct sums *file = xcalloc(1, sizeof *file);
	struct backup *b = xcalloc(1, sizeof *b);
	b->ei = ei;
	b->path = tmp;
	sums_init(&b->src);
	sums_init(file);
	bool made = false;
	enum err e = db_copy_check_schema(ei);
	if (e)
		goto out;
	if (snprintf(tmp, sizeof tmp, "%s.partial", out) >= (int)sizeof tmp) {
		e = errinfo_set(ei, ERR_INVALID, "out", "path too long");
		goto out;
	}
	if (access(out, F_OK) == 0) {
		e = errinfo_set(ei, ERR_CONFLICT, "out", "%s exists: a backup never overwrites a file",
				out);
		goto out;
	}
	if (!is_pg(from) && access(from, R_OK) != 0) {
		e = errinfo_set(ei, ERR_NOT_FOUND, "db", "no database file %s", from);
		goto out;
	}
	remove_db_files(tmp); /* what an interrupted backup left */
	if ((e = store_open(from, 1, &src, ei)))
		goto out;
	sc = store_acquire(src);
	made = true;
	if (!is_pg(from)) {
		e = store_snapshot(sc, snap_pages, b);
		if (!e)
			e = store_open_existing(tmp, 1, &dst, ei);
		if (!e)
			dc = store_acquire(dst);
	} else {
		if (!(e = store_open(tmp, 1, &dst, ei))) {
			dc = b->dc = store_acquire(dst);
			e = store_snapshot(sc, snap_tables, b);
		}
	}
	if (e) {
		if (!ei->message[0])
			errinfo_set(ei, e, NULL, "%s", store_errmsg(sc));
		goto out;
	}
	/* The file as written must be what the snapshot held. */
	if ((e = svc_table_sums(dc, collect, file, ei)))
		goto out;
	const struct table_line *other, *l = sums_differ(&b->src, file, &other);
	if (l) {
		e = errinfo_set(ei, ERR_DB, l->name,
				"the backup differs from the source: %lld rows %.12s, file %lld rows %.12s",
				(long long)l->rows, l->sum, (long long)other->rows, other->sum);
		goto out;
	}
	if ((e = store_check(dc, ei)))
		goto out;
	struct manifest_arg m = {&b->src, store_backend_name(src)};
	if ((e = store_tx(dc, write_manifest_tx, &m))) {
		errinfo_set(ei, e, "out", "cannot write the manifest: %s", store_errmsg(dc));
		goto out;
	}
	store_release(dst, dc);
	dc = NULL;
	store_close(dst);
	dst = NULL;
	snprintf(dir, sizeof dir, "%s", out);
	char *slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir ? 1 : 0] = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	if ((e = sync_path(tmp, false, ei)))
		goto out;
	if (rename(tmp, out) != 0) {
		e = errinfo_set(ei, ERR_IO, "out", "cannot rename %s to %s", tmp, out);
		goto out;
	}
	made = false;
	if ((e = sync_path(dir, true, ei)))
		goto out;
	tell(&b->src, fn, arg);
out:
	if (dc)
		store_release(dst, dc);
	store_close(dst);
	if (sc)
		store_release(src, sc);
	store_close(src);
	if (made)
		remove_db_files(tmp);
	free(file);
	free(b);
	return e;
}

/* --- restore ----------------------------------------------------------- */

struct manifest {
	struct sums tables;
	char format[64], digest[AUTH_TOKEN_HASH_BYTES];
	int64_t schema, ntables;
	struct errinfo *ei;
};

static enum err read_line(void *arg, const char *kind, const char *name, int64_t rows,
			  const char *value)
{
	struct manifest *m = arg;
	if (!strcmp(kind, "table")) {
		struct table_line *l = sums_find(&m->tables, name);
		if (!l)
			return errinfo_set(m->ei, ERR_DB, name,
					   "the backup's manifest names a table this bangdai does not know");
		l->rows = rows;
		snprintf(l->sum, sizeof l->sum, "%s", value);
		l->seen = true;
	} else if (!strcmp(kind, "meta") && !strcmp(name, "format")) {
		snprintf(m->format, sizeof m->format, "%s", value);
	} else if (!strcmp(kind, "meta") && !strcmp(name, "schema")) {
		m->schema = rows;
	} else if (!strcmp(kind, "meta") && !strcmp(name, "digest")) {
		m->ntables = rows;
		snprintf(m->digest, sizeof m->digest, "%s", value);
	}
	return ERR_OK;
}

struct restore {
	struct store_conn *dc;
	const struct sums *manifest;
	struct sums copied;
	struct errinfo *ei;
};

static enum err restore_tx(struct store_conn *c, void *arg)
{
	struct restore *r = arg;
	return svc_copy_tables(c, r->dc, collect, &r->copied, r->ei);
}

enum err svc_restore(const char *from, const char *to, svc_migrate_fn fn, void *arg,
		     struct errinfo *ei)
{
	struct store *bs = NULL, *ds = NULL;
	struct store_conn *bc = NULL, *dc = NULL;
	struct manifest *m = xcalloc(1, sizeof *m);
	struct sums *file = xcalloc(1, sizeof *file);
	struct restore *r = xcalloc(1, sizeof *r);
	m->ei = r->ei = ei;
	sums_init(&m->tables);
	sums_init(file);
	sums_init(&r->copied);
	enum err e = db_copy_check_schema(ei);
	if (e)
		goto out;
	if (is_pg(from)) {
		e = errinfo_set(ei, ERR_INVALID, "from", "a backup is a file (bangdai backup --out)");
		goto out;
	}
	if (!strcmp(from, to)) {
		e = errinfo_set(ei, ERR_INVALID, "db", "the backup and the target are the same");
		goto out;
	}
	if (access(from, R_OK) != 0) {
		e = errinfo_set(ei, ERR_NOT_FOUND, "from", "no backup file %s", from);
		goto out;
	}
	if ((e = store_open_existing(from, 1, &bs, ei)))
		goto out;
	bc = store_acquire(bs);
	/* The file: a manifest of this format, unchanged (digest), sound
	 * (integrity), every table as its line says. */
	if ((e = db_backup_manifest_read(bc, read_line, m))) {
		if (!ei->message[0])
			errinfo_set(ei, ERR_DB, "from", "not a bangdai backup file (no manifest)");
		e = ERR_DB;
		goto out;
	}
	char dig[AUTH_TOKEN_HASH_BYTES];
	digest(&m->tables, m->schema, dig);
	if (strcmp(m->format, FORMAT) != 0) {
		e = errinfo_set(ei, ERR_DB, "from", "not a bangdai backup file (format '%s')",
				m->format);
		goto out;
	}
	if (m->ntables != (int64_t)m->tables.n || strcmp(dig, m->digest) != 0) {
		e = errinfo_set(ei, ERR_DB, "from", "the backup's manifest is damaged (digest differs)");
		goto out;
	}
	if ((e = store_check(bc, ei)))
		goto out;
	if ((e = svc_table_sums(bc, collect, file, ei)))
		goto out;
	const struct table_line *other, *l = sums_differ(&m->tables, file, &other);
	if (l) {
		e = errinfo_set(ei, ERR_DB, l->name,
				"the backup is damaged: its manifest says %lld rows, checksum %.12s; "
				"the file holds %lld rows, checksum %.12s",
				(long long)l->rows, l->sum, (long long)other->rows, other->sum);
		goto out;
	}
	if ((e = store_open(to, 1, &ds, ei)))
		goto out;
	r->dc = dc = store_acquire(ds);
	r->manifest = &m->tables;
	if ((e = store_snapshot(bc, restore_tx, r))) {
		if (!ei->message[0])
			errinfo_set(ei, e, NULL, "%s", store_errmsg(dc));
		goto out;
	}
	/* The copy verified every table on the target against the file;
	 * the file matched its manifest: so does the target. */
	if ((l = sums_differ(&m->tables, &r->copied, &other))) {
		e = errinfo_set(ei, ERR_DB, l->name, "the restored table differs from the manifest");
		goto out;
	}
	if ((e = store_check(dc, ei)))
		goto out;
	tell(&r->copied, fn, arg);
out:
	if (dc)
		store_release(ds, dc);
	store_close(ds);
	if (bc)
		store_release(bs, bc);
	store_close(bs);
	free(m);
	free(file);
	free(r);
	return e;
}
