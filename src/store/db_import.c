/*
 * db_import.c — the natural keys by which an import finds the record a
 * row is about (layer: store): a person by ID number, phone, or name in
 * a region; an organisation by name in a region; the organisation
 * mentee of an organisation; regions by exact name under a path.
 * Fixed statements only; each answers at most two rows, so that the
 * caller can tell "one" from "ambiguous".
 */
#include <string.h>

#include "store/db_util.h"

static const char sql_mentor_idno[] = "SELECT id FROM mentors WHERE id_number = ?1";
static const char sql_mentor_phone[] = "SELECT id FROM mentors WHERE phone = ?1";
static const char sql_mentee_idno[] = "SELECT id FROM mentees WHERE id_number = ?1";
static const char sql_mentee_phone[] = "SELECT id FROM mentees WHERE phone = ?1";
static const char sql_mentor_name[] =
	"SELECT m.id FROM mentors m JOIN regions r ON r.id = m.region_id"
	" WHERE r.code = ?1 AND m.region_path = r.path AND m.name = ?2 ORDER BY m.id LIMIT 2";
static const char sql_mentee_name[] =
	"SELECT m.id FROM mentees m JOIN regions r ON r.id = m.region_id"
	" WHERE r.code = ?1 AND m.region_path = r.path AND m.name = ?2 AND m.kind = 'person'"
	" ORDER BY m.id LIMIT 2";
static const char sql_mentee_org[] =
	"SELECT id FROM mentees WHERE org_id = ?1 AND kind = 'org' ORDER BY id LIMIT 2";
static const char sql_org_name[] =
	"SELECT o.id FROM organisations o"
	" WHERE o.region_path >= ?1 AND o.region_path < ?2 AND o.name = ?3 ORDER BY o.id LIMIT 2";
static const char sql_region_name[] =
	"SELECT code FROM regions WHERE path >= ?1 AND path < ?2 AND name = ?3"
	" ORDER BY path LIMIT 2";

/* Run a bound statement answering ids: the first into *id (0 if none),
 * how many (0, 1 or 2) into *n. */
static enum err ids(struct store_stmt *st, int64_t *id, int *n)
{
	bool row;
	enum err e;
	*id = 0;
	*n = 0;
	while (!(e = store_step(st, &row)) && row && *n < 2) {
		if (*n == 0)
			*id = store_col_int(st, 0);
		(*n)++;
	}
	store_done(st);
	return e;
}

static enum err by_text(struct store_conn *c, const char *sql, const char *v, int64_t *id)
{
	struct store_stmt *st;
	int n;
	*id = 0;
	if (!v || !v[0])
		return ERR_OK;
	enum err e = store_prepare(c, sql, &st);
	if (!e)
		e = store_bind_text(st, 1, v);
	return e ? e : ids(st, id, &n);
}

enum err db_mentor_find_keys(struct store_conn *c, const char *id_number, const char *phone,
			     int64_t *by_idno, int64_t *by_phone)
{
	enum err e = by_text(c, sql_mentor_idno, id_number, by_idno);
	return e ? e : by_text(c, sql_mentor_phone, phone, by_phone);
}

enum err db_mentee_find_keys(struct store_conn *c, const char *id_number, const char *phone,
			     int64_t *by_idno, int64_t *by_phone)
{
	enum err e = by_text(c, sql_mentee_idno, id_number, by_idno);
	return e ? e : by_text(c, sql_mentee_phone, phone, by_phone);
}

static enum err by_two(struct store_conn *c, const char *sql, const char *a, const char *b,
		       int64_t *id, int *n)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql, &st);
	if (!e && !(e = store_bind_text(st, 1, a)))
		e = store_bind_text(st, 2, b);
	return e ? e : ids(st, id, n);
}

enum err db_mentor_find_name(struct store_conn *c, const char *region_code, const char *name,
			     int64_t *id, int *n)
{
	return by_two(c, sql_mentor_name, region_code, name, id, n);
}

enum err db_mentee_find_name(struct store_conn *c, const char *region_code, const char *name,
			     int64_t *id, int *n)
{
	return by_two(c, sql_mentee_name, region_code, name, id, n);
}

enum err db_mentee_find_org(struct store_conn *c, int64_t org_id, int64_t *id)
{
	struct store_stmt *st;
	int n;
	enum err e = store_prepare(c, sql_mentee_org, &st);
	if (!e)
		e = store_bind_int(st, 1, org_id);
	return e ? e : ids(st, id, &n);
}

enum err db_org_find_name(struct store_conn *c, const char *lo, const char *hi, const char *name,
			  int64_t *id, int *n)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_org_name, &st);
	if (!e && !(e = store_bind_text(st, 1, lo)) && !(e = store_bind_text(st, 2, hi)))
		e = store_bind_text(st, 3, name);
	return e ? e : ids(st, id, n);
}

enum err db_region_find_name(struct store_conn *c, const char *lo, const char *hi,
			     const char *name, char code[M_CODE], int *n)
{
	struct store_stmt *st;
	bool row;
	*n = 0;
	code[0] = '\0';
	enum err e = store_prepare(c, sql_region_name, &st);
	if (!e && !(e = store_bind_text(st, 1, lo)) && !(e = store_bind_text(st, 2, hi)))
		e = store_bind_text(st, 3, name);
	if (e)
		return e;
	while (!(e = store_step(st, &row)) && row && *n < 2) {
		if (*n == 0)
			snprintf(code, M_CODE, "%s", store_col_text(st, 0));
		(*n)++;
	}
	store_done(st);
	return e;
}
