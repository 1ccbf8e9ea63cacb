/*
 * db_copy.c — every table of the programme, row by row, for copying a
 * whole database to another backend (`bangdai migrate-data`). Layer:
 * store. The service (svc_migrate.c) drives the copy and the checks; this
 * file only knows the tables, their columns and the fixed statements.
 *
 * The table list is written out (fixed statements, like every db_*.c),
 * and checked against the schema itself: db_copy_check_schema parses the
 * migrations' CREATE TABLE / ALTER TABLE ... ADD COLUMN / DROP TABLE and
 * refuses to run when a table or column is missing, extra, out of order or
 * of another type, or when a table comes before one it references. A new
 * migration therefore fails `make unit` (tests/unit/test_store.c) until it
 * is added here, instead of silently not being copied.
 *
 * Rows are read in pages: tables with an `id` by keyset (id > last, in id
 * order), the others in primary-key order with LIMIT/OFFSET (they are
 * small, and the copy holds the writers off, so the order is stable).
 */
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "store/db_util.h"
#include "store/migrations.h"

struct copy_table {
	const char *name;
	const char *types; /* one of "itd" per column */
	const char *cols;  /* ", "-separated, in schema order */
	bool has_id;       /* first column is an {{ID}} */
	const char *sql_page, *sql_insert, *sql_count;
};

/* ?1 = the last id read, ?2 = the page size. */
#define BY_ID(t, ty, cols, ph)                                                         \
	{t, ty, cols, true, "SELECT " cols " FROM " t " WHERE id > ?1 ORDER BY id LIMIT ?2", \
	 "INSERT INTO " t " (" cols ") VALUES (" ph ")", "SELECT COUNT(*) FROM " t}
/* ?1 = the rows read so far, ?2 = the page size. */
#define BY_KEY(t, ty, key, cols, ph)                                                  \
	{t, ty, cols, false, "SELECT " cols " FROM " t " ORDER BY " key " LIMIT ?2 OFFSET ?1", \
	 "INSERT INTO " t " (" cols ") VALUES (" ph ")", "SELECT COUNT(*) FROM " t}

/* Every table of the schema but schema_version, referenced tables first. */
static const struct copy_table tables[] = {
	BY_ID("regions", "ittiitddttt",
		"id, code, name, level, parent_id, path, lat, lon, search_key, created_at, updated_at",
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"),
	BY_ID("vocab", "ittti",
		"id, kind, code, name, sort",
		"?, ?, ?, ?, ?"),
	BY_KEY("counters", "ti", "name",
		"name, value",
		"?, ?"),
	BY_ID("mentor_orgs", "ittitittttt",
		"id, name, kind, region_id, region_path, capacity, domains, description, search_key,"
		" created_at, updated_at",
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"),
	BY_ID("mentors", "ittttiitttttiiiiittttititt",
		"id, name, gender, phone, id_number, birth_year, region_id, region_path, tier, source,"
		" team_type, post, capacity, score_political, score_professional, score_style,"
		" score_reputation, domains, status, letter_no, appointed_on, from_mentee_id, search_key,"
		" version, created_at, updated_at",
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"),
	BY_ID("mentor_transitions", "iitttitt",
		"id, mentor_id, from_status, to_status, action, user_id, reason, at",
		"?, ?, ?, ?, ?, ?, ?, ?"),
	BY_ID("menus", "iittiitt",
		"id, region_id, region_path, name, year, published, created_at, updated_at",
		"?, ?, ?, ?, ?, ?, ?, ?"),
	BY_KEY("menu_items", "iii", "menu_id, mentor_id",
		"menu_id, mentor_id, sort",
		"?, ?, ?"),
	BY_ID("organisations", "ititiiiiiiititt",
		"id, name, region_id, region_path, stars, weak_lax, lagging, demonstration, weak_economy,"
		" was_weak_lax, was_lagging, search_key, version, created_at, updated_at",
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"),
	BY_ID("org_stars", "iiittit",
		"id, org_id, stars, rated_on, note, user_id, at",
		"?, ?, ?, ?, ?, ?, ?"),
	BY_ID("mentees", "itttttiitittttttitt",
		"id, kind, name, gender, phone, id_number, birth_year, region_id, region_path, org_id,"
		" category, post, talent_team, weaknesses, status, search_key, version, created_at,"
		" updated_at",
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"),
	BY_ID("users", "itttiiiitt",
		"id, login, pw_hash, role, region_id, mentor_id, mentee_id, disabled, created_at,"
		" updated_at",
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?"),
	BY_KEY("sessions", "titii", "token_hash",
		"token_hash, user_id, csrf, created_at, last_seen",
		"?, ?, ?, ?, ?"),
	BY_ID("audit", "itittttttttt",
		"id, at, user_id, login, client, action, object, object_id, before_json, after_json,"
		" prev_hash, hash",
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"),
	BY_KEY("match_choices", "iiiit", "mentee_id, mentor_id",
		"mentee_id, mentor_id, menu_id, rank, created_at",
		"?, ?, ?, ?, ?"),
	BY_KEY("match_mentor_ranks", "iiit", "mentor_id, mentee_id",
		"mentor_id, mentee_id, rank, created_at",
		"?, ?, ?, ?"),
	BY_ID("match_rules", "itiittiit",
		"id, kind, mentee_id, mentor_id, region_path, reason, user_id, active, created_at",
		"?, ?, ?, ?, ?, ?, ?, ?, ?"),
	BY_ID("match_runs", "iitttiiitiiiiitit",
		"id, region_id, region_path, method, params, seed, round, parent_id, status, n_mentees,"
		" n_mentors, matched, total_score, created_by, created_at, decided_by, decided_at",
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"),
	BY_KEY("match_proposals", "iiiiiti", "run_id, mentee_id, mentor_id",
		"run_id, team, mentee_id, mentor_id, score, parts, locked",
		"?, ?, ?, ?, ?, ?, ?"),
	BY_KEY("match_unmatched", "iitt", "run_id, mentee_id",
		"run_id, mentee_id, reason, alternatives",
		"?, ?, ?, ?"),
	BY_ID("pairings", "ittiittiitttittttti",
		"id, mode, origin, run_id, region_id, region_path, status, mentor_confirmed,"
		" mentee_confirmed, start_date, end_date, reason, version, created_at, updated_at,"
		" ceremony_date, ceremony_place, letter_no, project_id",
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"),
	BY_KEY("pairing_members", "ititt", "pairing_id, side, person_id",
		"pairing_id, side, person_id, since, until_date",
		"?, ?, ?, ?, ?"),
	/* The life of a pairing (migration 3). */
	BY_ID("pairing_events", "iittttit",
		"id, pairing_id, from_status, to_status, action, detail, user_id, at",
		"?, ?, ?, ?, ?, ?, ?, ?"),
	BY_ID("projects", "ititittt",
		"id, name, region_id, region_path, year, description, created_at, updated_at",
		"?, ?, ?, ?, ?, ?, ?, ?"),
	BY_ID("plans", "iiittittt",
		"id, pairing_id, year, region_path, status, approved_by, approved_at, created_at,"
		" updated_at",
		"?, ?, ?, ?, ?, ?, ?, ?, ?"),
	BY_ID("plan_items", "iitittttttt",
		"id, plan_id, side, seq, title, domain, due_date, status, evidence, completed_on,"
		" updated_at",
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"),
	BY_ID("activities", "ittttttiitiitt",
		"id, type, title, date, place, participants, summary, trained, region_id, region_path,"
		" project_id, created_by, created_at, updated_at",
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"),
	BY_KEY("activity_pairings", "ii", "activity_id, pairing_id",
		"activity_id, pairing_id",
		"?, ?"),
	BY_ID("work_logs", "iitiittttt",
		"id, pairing_id, side, person_id, user_id, date, content, region_path, created_at,"
		" updated_at",
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?"),
	BY_ID("evaluations", "iitttittitt",
		"id, pairing_id, kind, period, date, score, grade, comment, user_id, region_path,"
		" created_at",
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"),
	BY_KEY("life_settings", "tt", "name",
		"name, value",
		"?, ?"),
};
#define NTABLES (sizeof tables / sizeof tables[0])

size_t db_copy_ntables(void) { return NTABLES; }

const char *db_copy_table(size_t t) { return t < NTABLES ? tables[t].name : NULL; }

/* --- the schema, as the migrations create it ---------------------------- */

#define MAX_TABLES 96
#define MAX_REFS 8
#define NAME_BYTES 64

struct schema_table {
	char name[NAME_BYTES];
	int ncols;
	char col[DB_COPY_MAX_COLS][NAME_BYTES];
	char types[DB_COPY_MAX_COLS + 1];
	int nrefs;
	char ref[MAX_REFS][NAME_BYTES];
	bool live; /* not dropped */
};

struct schema {
	int n;
	struct schema_table t[MAX_TABLES];
};

static bool ident_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '{' || ch == '}';
}

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
		p++;
	return p;
}

/* Copy the word at p (identifier characters) into out; returns the end. */
static const char *word(const char *p, const char *end, char out[NAME_BYTES])
{
	p = skip_ws(p, end);
	size_t n = 0;
	while (p < end && ident_char(*p)) {
		if (n + 1 < NAME_BYTES)
			out[n++] = *p;
		p++;
	}
	out[n] = '\0';
	return p;
}

static bool starts(const char *p, const char *end, const char *kw)
{
	size_t n = strlen(kw);
	return (size_t)(end - p) >= n && memcmp(p, kw, n) == 0;
}

static struct schema_table *find(struct schema *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (s->t[i].live && !strcmp(s->t[i].name, name))
			return &s->t[i];
	return NULL;
}

/* The copy's type of a declared SQL type: i, d, t, or 0 if unsupported. */
static char type_of(const char *decl)
{
	static const struct {
		const char *decl;
		char type;
	} map[] = {{"{{ID}}", 'i'}, {"INTEGER", 'i'}, {"BIGINT", 'i'}, {"SMALLINT", 'i'},
		   {"DOUBLE", 'd'}, {"REAL", 'd'},    {"TEXT", 't'},   {"{{PATHTEXT}}", 't'}};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(decl, map[i].decl))
			return map[i].type;
	return 0;
}

/* One column definition or table constraint [p, end) of table t. */
static enum err add_item(struct schema_table *t, const char *p, const char *end,
			 struct errinfo *ei)
{
	static const char *const constraints[] = {"PRIMARY", "UNIQUE", "CHECK", "FOREIGN",
						  "CONSTRAINT"};
	char w[NAME_BYTES], ty[NAME_BYTES];
	const char *q = word(p, end, w);
	bool constraint = false;
	for (size_t i = 0; i < sizeof constraints / sizeof constraints[0]; i++)
		constraint |= !strcmp(w, constraints[i]);
	for (const char *r = p; r < end; r++) {
		if (starts(r, end, "REFERENCES ") && t->nrefs < MAX_REFS)
			word(r + 11, end, t->ref[t->nrefs++]);
	}
	if (constraint || !w[0])
		return ERR_OK;
	word(q, end, ty);
	char type = type_of(ty);
	if (!type)
		return errinfo_set(ei, ERR_INTERNAL, t->name, "column %s: type %s cannot be copied",
				   w, ty);
	if (t->ncols >= DB_COPY_MAX_COLS)
		return errinfo_set(ei, ERR_INTERNAL, t->name, "more than %d columns",
				   DB_COPY_MAX_COLS);
	snprintf(t->col[t->ncols], NAME_BYTES, "%s", w);
	t->types[t->ncols++] = type;
	t->types[t->ncols] = '\0';
	return ERR_OK;
}

/* "CREATE TABLE name ( items )" at [p, end). */
static enum err parse_create(struct schema *s, const char *p, const char *end, struct errinfo *ei)
{
	p += strlen("CREATE TABLE");
	p = skip_ws(p, end);
	if (starts(p, end, "IF NOT EXISTS"))
		p += strlen("IF NOT EXISTS");
	if (s->n >= MAX_TABLES)
		return errinfo_set(ei, ERR_INTERNAL, NULL, "more than %d tables", MAX_TABLES);
	struct schema_table *t = &s->t[s->n];
	memset(t, 0, sizeof *t);
	p = word(p, end, t->name);
	p = skip_ws(p, end);
	if (p >= end || *p != '(')
		return errinfo_set(ei, ERR_INTERNAL, t->name, "cannot parse CREATE TABLE");
	s->n++;
	t->live = true;
	const char *item = ++p;
	int depth = 0;
	char quote = 0;
	for (; p < end; p++) {
		if (quote) {
			quote = *p == quote ? 0 : quote;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && depth > 0) {
			depth--;
		} else if ((*p == ',' || *p == ')') && depth == 0) {
			enum err e = add_item(t, item, p, ei);
			if (e)
				return e;
			if (*p == ')')
				return ERR_OK;
			item = p + 1;
		}
	}
	return errinfo_set(ei, ERR_INTERNAL, t->name, "unterminated CREATE TABLE");
}

/* One statement [p, end) of a migration. */
static enum err parse_statement(struct schema *s, const char *p, const char *end,
				struct errinfo *ei)
{
	char name[NAME_BYTES], w[NAME_BYTES];
	p = skip_ws(p, end);
	if (starts(p, end, "CREATE TABLE"))
		return parse_create(s, p, end, ei);
	if (starts(p, end, "DROP TABLE")) {
		p = skip_ws(p + strlen("DROP TABLE"), end);
		if (starts(p, end, "IF EXISTS"))
			p += strlen("IF EXISTS");
		word(p, end, name);
		struct schema_table *t = find(s, name);
		if (t)
			t->live = false;
		return ERR_OK;
	}
	if (starts(p, end, "ALTER TABLE")) {
		p = word(p + strlen("ALTER TABLE"), end, name);
		struct schema_table *t = find(s, name);
		p = word(p, end, w);
		if (t && !strcmp(w, "ADD")) {
			const char *q = word(p, end, w);
			return add_item(t, strcmp(w, "COLUMN") ? p : q, end, ei);
		}
		return errinfo_set(ei, ERR_INTERNAL, name,
				   "ALTER TABLE other than ADD COLUMN: teach db_copy.c");
	}
	return ERR_OK; /* indexes and data */
}

static enum err parse_schema(struct schema *s, struct errinfo *ei)
{
	s->n = 0;
	for (size_t m = 0; m < migrations_count; m++) {
		const char *p = migrations[m].sql, *stmt = p;
		char quote = 0;
		for (;; p++) {
			if (quote && *p) {
				quote = *p == quote ? 0 : quote;
				continue;
			}
			if (*p == '\'' || *p == '"') {
				quote = *p;
				continue;
			}
			if (*p == ';' || !*p) {
				enum err e = parse_statement(s, stmt, p, ei);
				if (e)
					return e;
				if (!*p)
					break;
				stmt = p + 1;
			}
		}
	}
	return ERR_OK;
}

/* Does the ", "-separated list `cols` name exactly t's columns in order? */
static bool same_columns(const char *cols, const struct schema_table *t)
{
	const char *p = cols;
	for (int i = 0; i < t->ncols; i++) {
		size_t n = strcspn(p, ",");
		if (n != strlen(t->col[i]) || memcmp(p, t->col[i], n) != 0)
			return false;
		p += n;
		if (*p == ',')
			p += 2;
	}
	return *p == '\0';
}

static int count_char(const char *s, char ch)
{
	int n = 0;
	for (; *s; s++)
		n += *s == ch;
	return n;
}

enum err db_copy_check_schema(struct errinfo *ei)
{
	struct schema *s = xcalloc(1, sizeof *s);
	enum err e = parse_schema(s, ei);
	if (e)
		goto out;
	for (size_t i = 0; i < NTABLES; i++) {
		const struct copy_table *ct = &tables[i];
		const struct schema_table *t = find(s, ct->name);
		int ncols = (int)strlen(ct->types);
		if (!t) {
			e = errinfo_set(ei, ERR_INTERNAL, ct->name, "no such table in the schema");
			goto out;
		}
		if (!same_columns(ct->cols, t) || strcmp(ct->types, t->types) != 0 ||
		    count_char(ct->sql_insert, '?') != ncols) {
			e = errinfo_set(ei, ERR_INTERNAL, ct->name,
					"columns differ from the schema (%s: %s)", t->types, ct->types);
			goto out;
		}
		if (ct->has_id != (strcmp(t->col[0], "id") == 0)) {
			e = errinfo_set(ei, ERR_INTERNAL, ct->name, "id column mismatch");
			goto out;
		}
		for (int r = 0; r < t->nrefs; r++) {
			bool before = !strcmp(t->ref[r], ct->name);
			for (size_t j = 0; j < i && !before; j++)
				before = !strcmp(tables[j].name, t->ref[r]);
			if (!before) {
				e = errinfo_set(ei, ERR_INTERNAL, ct->name,
						"references %s, which is copied later", t->ref[r]);
				goto out;
			}
		}
	}
	for (int i = 0; i < s->n; i++) {
		bool listed = false;
		for (size_t j = 0; j < NTABLES && !listed; j++)
			listed = !strcmp(tables[j].name, s->t[i].name);
		if (s->t[i].live && !listed) {
			e = errinfo_set(ei, ERR_INTERNAL, s->t[i].name,
					"table is not in db_copy.c's list");
			goto out;
		}
	}
out:
	free(s);
	return e;
}

/* --- rows ------------------------------------------------------------- */

enum err db_copy_read(struct store_conn *c, size_t t, int64_t *cursor, int limit,
		      enum err (*fn)(void *arg, const struct db_copy_row *row), void *arg,
		      int *nread)
{
	*nread = 0;
	if (t >= NTABLES || limit < 1)
		return ERR_INVALID;
	const struct copy_table *ct = &tables[t];
	struct store_stmt *st;
	enum err e = store_prepare(c, ct->sql_page, &st);
	if (e)
		return e;
	store_bind_int(st, 1, *cursor);
	store_bind_int(st, 2, limit);
	struct db_copy_row row;
	row.ncols = (int)strlen(ct->types);
	row.types = ct->types;
	bool more;
	while (!(e = store_step(st, &more)) && more) {
		for (int i = 0; i < row.ncols; i++) {
			struct db_copy_value *v = &row.v[i];
			memset(v, 0, sizeof *v);
			v->null = store_col_null(st, i);
			if (v->null)
				continue;
			switch (ct->types[i]) {
			case 'i':
				v->i = store_col_int(st, i);
				break;
			case 'd':
				v->d = store_col_double(st, i);
				break;
			default:
				v->t = store_col_text(st, i);
				break;
			}
		}
		*cursor = ct->has_id ? row.v[0].i : *cursor + 1;
		(*nread)++;
		if ((e = fn(arg, &row)))
			break;
	}
	store_done(st);
	return e;
}

enum err db_copy_insert(struct store_conn *c, size_t t, const struct db_copy_row *row)
{
	if (t >= NTABLES || row->ncols != (int)strlen(tables[t].types) ||
	    strcmp(row->types, tables[t].types) != 0)
		return ERR_INVALID;
	struct store_stmt *st;
	enum err e = store_prepare(c, tables[t].sql_insert, &st);
	if (e)
		return e;
	for (int i = 0; i < row->ncols; i++) {
		const struct db_copy_value *v = &row->v[i];
		if (v->null)
			store_bind_null(st, i + 1);
		else if (row->types[i] == 'i')
			store_bind_int(st, i + 1, v->i);
		else if (row->types[i] == 'd')
			store_bind_double(st, i + 1, v->d);
		else
			store_bind_text(st, i + 1, v->t);
	}
	return store_run(st);
}

enum err db_copy_count(struct store_conn *c, size_t t, int64_t *out)
{
	if (t >= NTABLES)
		return ERR_INVALID;
	struct store_stmt *st;
	enum err e = store_prepare(c, tables[t].sql_count, &st);
	if (e)
		return e;
	return db_count(st, out);
}

enum err db_copy_finish(struct store_conn *c, size_t t)
{
	if (t >= NTABLES)
		return ERR_INVALID;
	return tables[t].has_id ? store_after_bulk_load(c, tables[t].name) : ERR_OK;
}
