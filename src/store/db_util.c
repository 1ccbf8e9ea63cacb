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
