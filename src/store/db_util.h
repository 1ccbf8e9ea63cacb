/*
 * db_util.h — small helpers shared by the db_*.c files (layer: store,
 * internal). Not part of the store's contract.
 */
#ifndef BANGDAI_STORE_DB_UTIL_H
#define BANGDAI_STORE_DB_UTIL_H

#include <stdio.h>
#include <string.h>

#include "store/db.h"

/* Copy column i of st into a fixed array, cut to fit as snprintf would
 * (without printf: this runs for every text column of every row read). */
static inline void db_text(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);
	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}
#define DB_TEXT(st, i, arr) db_text((arr), sizeof(arr), store_col_text((st), (i)))

/* Bind a possibly-empty filter: "" binds NULL (meaning "no filter"). */
static inline enum err db_bind_opt(struct store_stmt *st, int i, const char *v)
{
	return store_bind_text(st, i, (v && v[0]) ? v : NULL);
}

/* Bind "%q%" for a LIKE search, or NULL when q is empty. */
enum err db_bind_like(struct store_stmt *st, int i, const char *q);
/* Bind ",tag," for a tag search, or NULL when tag is empty. */
enum err db_bind_tag(struct store_stmt *st, int i, const char *tag);

/* Step once, expecting one row; ERR_NOT_FOUND if none. The caller reads
 * the row and then calls store_done. */
enum err db_one(struct store_stmt *st);

/* Run a COUNT(*) statement already bound; store into *out and finish. */
enum err db_count(struct store_stmt *st, int64_t *out);

/* One count-then-page list. Both statements take the same WHERE
 * parameters ?1..?nwhere, which bind() sets from q; the page statement
 * then takes LIMIT ?nwhere+1 OFFSET ?nwhere+2. The SQL must be static
 * strings: the statement cache in store.c keys on their address. */
struct db_page {
	const char *count_sql;
	const char *list_sql;
	int nwhere;
	void (*bind)(struct store_stmt *st, const void *q);
	const void *q;
	int64_t limit, offset;
	/* db_list_page only: read() fills row, which fn then gets. */
	void (*read)(struct store_stmt *st, void *row);
	void *row;
};

/* Count into *total, then prepare and bind the page statement. *st is
 * NULL when the page is empty (nothing to read); else the caller steps
 * it and calls store_done. */
enum err db_page_open(struct store_conn *c, const struct db_page *p, int64_t *total,
		      struct store_stmt **st);

/* db_page_open, then read() and fn(arg, row) for each row. */
enum err db_list_page(struct store_conn *c, const struct db_page *p, db_row_fn fn, void *arg,
		      int64_t *total);

/* Read a row selected with MENTOR_COLS (db_mentor_cols.h) into *m
 * (zeroed first). Defined in db_mentor.c; db_menu.c reads menu items
 * with it. */
void db_read_mentor(struct store_stmt *st, void *row);

/* Number of entries in a sort-variant table. */
#define DB_NVARIANTS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Pick the statement for sort index `sort` (0..n/2-1) and direction. */
static inline const char *db_variant(const char *const *v, int n, int sort, bool desc)
{
	int i = sort * 2 + (desc ? 1 : 0);
	return (i >= 0 && i < n) ? v[i] : v[0];
}

#endif
