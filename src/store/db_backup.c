/*
 * db_backup.c — the manifest of a backup file (`bangdai backup`): per
 * table its row count and checksum, and a few facts about the backup
 * (format, schema version, when, from which backend, a digest of the
 * lines). Layer: store. The table lives only in backup files, never in a
 * programme's database, so it is no migration and not in db_copy.c's
 * list: migrate-data and restore do not copy it.
 */
#include "store/db_util.h"

static const char sql_create[] =
	"CREATE TABLE backup_manifest (kind TEXT NOT NULL, name TEXT NOT NULL,"
	" rows INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (kind, name))";
static const char sql_put[] =
	"INSERT INTO backup_manifest (kind, name, rows, value) VALUES (?1, ?2, ?3, ?4)";
static const char sql_all[] =
	"SELECT kind, name, rows, value FROM backup_manifest ORDER BY kind, name";

enum err db_backup_manifest_create(struct store_conn *c) { return store_exec(c, sql_create); }

enum err db_backup_manifest_put(struct store_conn *c, const char *kind, const char *name,
				int64_t rows, const char *value)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_put, &st);
	if (e)
		return e;
	store_bind_text(st, 1, kind);
	store_bind_text(st, 2, name);
	store_bind_int(st, 3, rows);
	store_bind_text(st, 4, value);
	return store_run(st);
}

enum err db_backup_manifest_read(struct store_conn *c,
				 enum err (*fn)(void *arg, const char *kind, const char *name,
						int64_t rows, const char *value),
				 void *arg)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_all, &st);
	if (e)
		return e;
	bool row;
	while (!(e = store_step(st, &row)) && row)
		if ((e = fn(arg, store_col_text(st, 0), store_col_text(st, 1), store_col_int(st, 2),
			    store_col_text(st, 3))))
			break;
	store_done(st);
	return e;
}
