/*
 * db_util.c — helpers for the db_*.c files. Layer: store.
 */
#include "store/db_util.h"

#include "core/buf.h"
#include "core/limits.h"

enum err db_bind_like(struct store_stmt *st, int i, const char *q)
{
	if (!q || !q[0])
		return store_bind_null(st, i);
	/* LIKE wildcards in the search text are escaped with '\'. */
	char pat[2 * (2 * LIMIT_NAME_BYTES + 2) + 3];
	size_t o = 0;
	pat[o++] = '%';
	for (; *q && o + 4 < sizeof pat; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			pat[o++] = '\\';
		pat[o++] = *q;
	}
	pat[o++] = '%';
	pat[o] = '\0';
	return store_bind_text(st, i, pat);
}

enum err db_bind_tag(struct store_stmt *st, int i, const char *tag)
{
	if (!tag || !tag[0])
		return store_bind_null(st, i);
	char pat[LIMIT_CODE_BYTES + 8];
	snprintf(pat, sizeof pat, "%%,%s,%%", tag);
	return store_bind_text(st, i, pat);
}

enum err db_one(struct store_stmt *st)
{
	bool row = false;
	enum err e = store_step(st, &row);
	if (e) {
		store_done(st);
		return e;
	}
	if (!row) {
		store_done(st);
		return ERR_NOT_FOUND;
	}
	return ERR_OK;
}

enum err db_count(struct store_stmt *st, int64_t *out)
{
	enum err e = db_one(st);
	if (e)
		return e;
	*out = store_col_int(st, 0);
	store_done(st);
	return ERR_OK;
}

enum err db_page_open(struct store_conn *c, const struct db_page *p, int64_t *total,
		      struct store_stmt **st)
{
	*st = NULL;
	struct store_stmt *cs;
	enum err e = store_prepare(c, p->count_sql, &cs);
	if (e)
		return e;
	p->bind(cs, p->q);
	if ((e = db_count(cs, total)))
		return e;
	if (*total == 0 || p->offset >= *total)
		return ERR_OK;
	if ((e = store_prepare(c, p->list_sql, st)))
		return e;
	p->bind(*st, p->q);
	store_bind_int(*st, p->nwhere + 1, p->limit);
	store_bind_int(*st, p->nwhere + 2, p->offset);
	return ERR_OK;
}

enum err db_list_page(struct store_conn *c, const struct db_page *p, db_row_fn fn, void *arg,
		      int64_t *total)
{
	struct store_stmt *st;
	enum err e = db_page_open(c, p, total, &st);
	if (e || !st)
		return e;
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		p->read(st, p->row);
		if ((e = fn(arg, p->row)))
			break;
	}
	store_done(st);
	return e;
}
