/*
 * svc_import.c — importing rosters from CSV and Excel (SPEC §7): header
 * recognition, cell conversion, natural keys, and the one transaction
 * that makes a file all-or-nothing. Layer: service.
 *
 * Validation is not repeated here: a row becomes the JSON object the API
 * would have received, goes through the record's field spec
 * (fields_from_json) and then through the very create or update body of
 * the API (svc_X_create_in / svc_X_update_in). What is import's own is
 * only what a spreadsheet needs on top: headers, names for codes (a
 * region, vocabulary or value by name), duplicates within the file, and
 * finding the existing record.
 *
 * A dry run runs exactly what a commit runs, in the same transaction,
 * and rolls it back, so it sees what a commit would see (a village
 * created two rows up, a phone taken in the database). Rows with errors
 * are skipped and the rest continue, so the report names every bad row.
 * On PostgreSQL a failed statement spoils the transaction; the checks
 * made before each write (keys looked up first) keep the database from
 * refusing a row, and should one be refused anyway the import stops
 * with that error.
 */
#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mem.h"
#include "service/sheet.h"
#include "service/xfer.h"

#define HEADER_SCAN_ROWS 10  /* title rows allowed above the header */
#define MAX_ERRORS 200000    /* errors reported; more are counted only */
#define PROGRESS_EVERY 1000
#define VALUE_MAX 4096       /* converted text of one cell */

/* ---- a small string map (keys seen, names resolved) ------------------- */

struct smap_slot {
	char *key;
	long val;
	char *sval;
};

struct smap {
	struct smap_slot *slot;
	size_t cap, n;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static struct smap_slot *smap_find(struct smap *m, const char *key, bool add)
{
	if (add && (m->n + 1) * 2 > m->cap) {
		struct smap old = *m;
		m->cap = m->cap ? m->cap * 2 : 1024;
		m->slot = xcalloc(m->cap, sizeof *m->slot);
		m->n = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.slot[i].key) {
				struct smap_slot *s = smap_find(m, old.slot[i].key, true);
				*s = old.slot[i];
				m->n++;
			}
		free(old.slot);
	}
	if (!m->cap)
		return NULL;
	for (size_t i = hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		struct smap_slot *s = &m->slot[i];
		if (!s->key)
			return add ? s : NULL;
		if (!strcmp(s->key, key))
			return s;
	}
}

static void smap_put(struct smap *m, const char *key, long val, const char *sval)
{
	struct smap_slot *s = smap_find(m, key, true);
	if (!s->key) {
		s->key = xstrdup(key);
		m->n++;
	} else {
		free(s->sval);
	}
	s->val = val;
	s->sval = sval ? xstrdup(sval) : NULL;
}

static void smap_clear(struct smap *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->slot[i].key);
		free(m->slot[i].sval);
	}
	free(m->slot);
	memset(m, 0, sizeof *m);
}

/* ---- the import's state ------------------------------------------------ */

struct imp {
	struct service *s;
	const struct actor *a;    /* NULL: the operator (CLI) */
	struct actor op;          /* stands for NULL in update calls */
	const struct xkind *k;
	const struct sheet *sh;
	bool commit;
	svc_progress_fn progress;
	void *parg;
	/* header */
	size_t header;            /* sheet row index of the header */
	int field_col[64];        /* spec field -> sheet column, or -1 */
	int *col_field;           /* sheet column -> spec field, or -1 */
	json_t *columns, *ignored;
	json_t *file_errors;      /* header problems: reported, nothing imported */
	/* the run (reset by every attempt of the transaction) */
	struct xfer_vocab voc;
	struct smap seen;         /* natural keys in the file -> row */
	struct smap names;        /* region and organisation names resolved */
	json_t *errors;
	size_t *err_rows;         /* sheet row index of each error */
	size_t nerr, cap_err;
	long over;                /* errors not reported past MAX_ERRORS */
	int64_t rows, created, updated, unchanged, failed, forbidden;
	bool row_bad;
	bool done;
	char root[M_PATH], root_hi[M_PATH]; /* names are looked up here */
	void *rec, *before, *merged; /* record buffers, rec_size each */
	struct errinfo *ei;
};

static const struct actor *updater(const struct imp *im) { return im->a ? im->a : &im->op; }

/* Record an error of row `ri` (sheet index) at sheet column `col` (-1:
 * none) or, failing that, the spec field `field` (may be NULL). */
static void add_error(struct imp *im, size_t ri, int col, const char *field, enum err code,
		      const char *msg)
{
	if (!im->row_bad)
		im->failed++;
	im->row_bad = true;
	if (im->nerr >= MAX_ERRORS) {
		im->over++;
		return;
	}
	int fi = field ? fields_find(im->k->spec, field) : -1;
	if (col < 0 && fi >= 0)
		col = im->field_col[fi];
	if (!field && col >= 0 && im->col_field[col] >= 0)
		field = im->k->spec->fields[im->col_field[col]].name;
	if (fi < 0 && field)
		fi = fields_find(im->k->spec, field);
	const char *header = col >= 0 ? sheet_cell(im->sh, im->header, (unsigned)col)
			     : fi >= 0 ? im->k->cols[fi].header
				       : "";
	json_t *e = json_pack("{s:I, s:I, s:s, s:o, s:s, s:s}", "row",
			      (json_int_t)sheet_rownum(im->sh, ri), "column",
			      (json_int_t)(col >= 0 ? col + 1 : 0), "header", header, "field",
			      field ? json_string(field) : json_null(), "code", err_code(code),
			      "message", msg);
	if (!e) /* a header that is not UTF-8 cannot happen: cells are */
		return;
	json_array_append_new(im->errors, e);
	if (im->nerr == im->cap_err) {
		im->cap_err = im->cap_err ? im->cap_err * 2 : 256;
		im->err_rows = xreallocarray(im->err_rows, im->cap_err, sizeof *im->err_rows);
	}
	im->err_rows[im->nerr++] = ri;
}

static void add_errorf(struct imp *im, size_t ri, int col, const char *field, enum err code,
		       const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void add_errorf(struct imp *im, size_t ri, int col, const char *field, enum err code,
		       const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	add_error(im, ri, col, field, code, msg);
}

/* ---- the header ---------------------------------------------------------- */

/* Which column of the kind does header text h name? -1 if none. */
static int match_header(const struct xkind *k, const char *h)
{
	for (int i = 0; i < k->spec->n; i++)
		if (xfer_header_is(&k->cols[i], h))
			return i;
	return -1;
}

static void file_error(struct imp *im, long row, long col, const char *header, const char *msg)
{
	json_array_append_new(im->file_errors,
			      json_pack("{s:I, s:I, s:s, s:n, s:s, s:s}", "row", (json_int_t)row,
					"column", (json_int_t)col, "header", header, "field",
					"code", "invalid", "message", msg));
}

static void find_header(struct imp *im)
{
	const struct sheet *sh = im->sh;
	unsigned ncols = sheet_ncols(sh);
	size_t best = 0;
	int best_n = 0;
	for (size_t r = 0; r < sheet_nrows(sh) && r < HEADER_SCAN_ROWS; r++) {
		int n = 0;
		for (unsigned c = 0; c < ncols; c++)
			n += match_header(im->k, sheet_cell(sh, r, c)) >= 0;
		if (n > best_n) {
			best_n = n;
			best = r;
		}
	}
	im->col_field = xcalloc(ncols ? ncols : 1, sizeof *im->col_field);
	for (int i = 0; i < 64; i++)
		im->field_col[i] = -1;
	for (unsigned c = 0; c < ncols; c++)
		im->col_field[c] = -1;
	if (best_n < 2) {
		char want[200];
		snprintf(want, sizeof want,
			 "找不到表头:前 %d 行中没有一行含有至少两个可识别的列名,如 %s、%s "
			 "(no header row: expected columns such as %s, %s)",
			 HEADER_SCAN_ROWS, im->k->cols[1].header, im->k->cols[2].header,
			 im->k->cols[1].field, im->k->cols[2].field);
		file_error(im, 0, 0, "", want);
		return;
	}
	im->header = best;
	long hrow = sheet_rownum(sh, best);
	for (unsigned c = 0; c < ncols; c++) {
		const char *h = sheet_cell(sh, best, c);
		char t[200];
		xfer_trim(h, t, sizeof t);
		if (!t[0])
			continue;
		int f = match_header(im->k, t);
		if (f < 0) {
			if (!xfer_header_ignored(t))
				json_array_append_new(im->ignored, json_pack("{s:I, s:s}", "column",
									     (json_int_t)c + 1,
									     "header", t));
			continue;
		}
		json_array_append_new(im->columns,
				      json_pack("{s:I, s:s, s:s, s:b}", "column", (json_int_t)c + 1,
						"header", t, "field", im->k->cols[f].field, "imported",
						im->k->cols[f].type != XC_OUTPUT));
		if (im->field_col[f] >= 0) {
			char msg[300];
			snprintf(msg, sizeof msg, "列重复:与第 %d 列同为 %s (duplicate column: %s)",
				 im->field_col[f] + 1, im->k->cols[f].header, im->k->cols[f].field);
			file_error(im, hrow, (long)c + 1, t, msg);
			continue;
		}
		im->field_col[f] = (int)c;
		im->col_field[c] = f;
	}
	/* Required columns; a mentee's kind has a default (see convert). */
	for (int i = 0; i < im->k->spec->n; i++) {
		const struct field *f = &im->k->spec->fields[i];
		if (!(f->flags & F_REQUIRED) || (f->flags & F_OUTPUT) || im->field_col[i] >= 0)
			continue;
		if (!strcmp(im->k->name, "mentees") &&
		    (!strcmp(f->name, "kind") ||
		     (!strcmp(f->name, "region") &&
		      im->field_col[fields_find(im->k->spec, "organisation")] >= 0)))
			continue;
		char msg[300];
		snprintf(msg, sizeof msg, "缺少必需的列:%s (missing column: %s)", im->k->cols[i].header,
			 f->name);
		file_error(im, hrow, 0, im->k->cols[i].header, msg);
	}
}

/* ---- cell conversion ------------------------------------------------------ */

/* The cell as text: trimmed, and without the apostrophe that guards a
 * formula-looking text ('=..., '+..., '-..., '@...). */
static void cell_text(const struct imp *im, size_t ri, int col, char *out, size_t n)
{
	xfer_trim(sheet_cell(im->sh, ri, (unsigned)col), out, n);
	if (out[0] == '\'' && strchr("=+-@", out[1]) && out[1])
		memmove(out, out + 1, strlen(out));
}

static bool parse_int(const char *s, long long *out)
{
	char *end;
	if (!s[0])
		return false;
	long long v = strtoll(s, &end, 10);
	if (end == s)
		return false;
	if (*end == '.') /* 85.0 */
		for (end++; *end == '0'; end++)
			;
	if (*end)
		return false;
	*out = v;
	return true;
}

static const char *bool_words[][2] = {
	{"是", "否"}, {"y", "n"}, {"yes", "no"}, {"1", "0"}, {"true", "false"}, {"√", "×"},
	{"有", "无"}, {"√", "x"},
};

static int parse_bool(const char *s)
{
	char l[32];
	size_t n = strlen(s);
	if (n >= sizeof l)
		return -1;
	for (size_t i = 0; i <= n; i++)
		l[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
	for (size_t i = 0; i < sizeof bool_words / sizeof bool_words[0]; i++) {
		if (!strcmp(l, bool_words[i][0]))
			return 1;
		if (!strcmp(l, bool_words[i][1]))
			return 0;
	}
	return -1;
}

/* The names of vocabulary `kind`, joined for a message. */
static void vocab_names(const struct imp *im, const char *kind, char *out, size_t n)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < im->voc.n; i++) {
		if (strcmp(im->voc.v[i].kind, kind))
			continue;
		int k = snprintf(out + o, n - o, "%s%s", o ? "、" : "", im->voc.v[i].name);
		if (k < 0 || (size_t)k >= n - o) {
			if (n > 4)
				memcpy(out + n - 4, "...", 4);
			return;
		}
		o += (size_t)k;
	}
}

/* Resolve a region given by code, name or "name/name" path. */
static enum err region_code(struct imp *im, struct store_conn *c, const char *v, char out[M_CODE],
			    const char **why)
{
	struct smap_slot *hit = smap_find(&im->names, v, false);
	if (hit && hit->sval && hit->val == 'r') {
		snprintf(out, M_CODE, "%s", hit->sval);
		return ERR_OK;
	}
	struct region r;
	enum err e;
	if (code_valid(v)) {
		e = db_region_get_by_code(c, v, &r);
		if (!e) {
			smap_put(&im->names, v, 'r', v);
			snprintf(out, M_CODE, "%s", v);
			return ERR_OK;
		}
		if (e != ERR_NOT_FOUND)
			return e;
	}
	/* Names, each looked up under the one before. */
	char lo[M_PATH], hi[M_PATH];
	snprintf(lo, sizeof lo, "%s", im->root);
	snprintf(hi, sizeof hi, "%s", im->root_hi);
	const char *p = v;
	char code[M_CODE] = "";
	while (*p) {
		size_t k = 0; /* up to "/" or "／" (whole sequences, not bytes) */
		while (p[k] && p[k] != '/' && strncmp(p + k, "／", 3))
			k++;
		char part[M_NAME];
		if (k == 0 || k >= sizeof part) {
			*why = "地区名称不正确 (bad region name)";
			return ERR_NOT_FOUND;
		}
		snprintf(part, sizeof part, "%.*s", (int)k, p);
		int n;
		if ((e = db_region_find_name(c, lo, hi, part, code, &n)))
			return e;
		if (n == 0) {
			*why = "没有这个地区 (unknown region)";
			return ERR_NOT_FOUND;
		}
		if (n > 1) {
			*why = "地区名称不唯一,请填写地区代码或 上级/名称 (ambiguous region name: give "
			       "its code or parent/name)";
			return ERR_CONFLICT;
		}
		if ((e = db_region_get_by_code(c, code, &r)))
			return e;
		snprintf(lo, sizeof lo, "%s", r.path);
		snprintf(hi, sizeof hi, "%s", r.path);
		hi[strlen(hi) - 1] = '0';
		p += k;
		if (!strncmp(p, "/", 1))
			p++;
		else if (!strncmp(p, "／", 3))
			p += 3;
	}
	if (!code[0]) {
		*why = "没有这个地区 (unknown region)";
		return ERR_NOT_FOUND;
	}
	smap_put(&im->names, v, 'r', code);
	snprintf(out, M_CODE, "%s", code);
	return ERR_OK;
}

/* An organisation by id or by name (under the row's region if given). */
static enum err org_id(struct imp *im, struct store_conn *c, const char *v, const char *region,
		       int64_t *out, const char **why)
{
	long long id;
	if (parse_int(v, &id) && id > 0) {
		*out = id;
		return ERR_OK;
	}
	char lo[M_PATH], hi[M_PATH];
	snprintf(lo, sizeof lo, "%s", im->root);
	snprintf(hi, sizeof hi, "%s", im->root_hi);
	if (region && region[0]) {
		struct region r;
		enum err e = db_region_get_by_code(c, region, &r);
		if (e && e != ERR_NOT_FOUND)
			return e;
		if (!e && path_within(r.path, im->root)) {
			snprintf(lo, sizeof lo, "%s", r.path);
			snprintf(hi, sizeof hi, "%s", r.path);
			hi[strlen(hi) - 1] = '0';
		}
	}
	int n;
	enum err e = db_org_find_name(c, lo, hi, v, out, &n);
	if (e)
		return e;
	if (n == 1)
		return ERR_OK;
	*why = n == 0 ? "没有这个组织 (unknown organisation)"
		      : "组织名称不唯一,请填写所属地区或组织编号 (ambiguous organisation name)";
	return n == 0 ? ERR_NOT_FOUND : ERR_CONFLICT;
}

/* xfer_enum_code, remembered: a column holds few distinct values. */
static const char *enum_code(struct imp *im, const char *table, const char *v)
{
	char key[VALUE_MAX + 40];
	snprintf(key, sizeof key, "e:%s:%s", table, v);
	struct smap_slot *hit = smap_find(&im->names, key, false);
	if (hit)
		return hit->sval;
	const char *code = xfer_enum_code(table, v);
	smap_put(&im->names, key, 'e', code);
	hit = smap_find(&im->names, key, false);
	return hit->sval;
}

/* xfer_vocab_code, remembered likewise. */
static const char *vocab_code(struct imp *im, const char *kind, const char *v)
{
	char key[VALUE_MAX + 40];
	snprintf(key, sizeof key, "v:%s:%s", kind, v);
	struct smap_slot *hit = smap_find(&im->names, key, false);
	if (hit)
		return hit->sval;
	smap_put(&im->names, key, 'v', xfer_vocab_code(&im->voc, kind, v));
	return smap_find(&im->names, key, false)->sval;
}

/* Split tags on 、 , ， ; ； and blanks. */
static const char *next_tag(const char *p, char *out, size_t n)
{
	static const char *const seps[] = {"、", ",", "，", ";", "；", " ", "\t", "\n", "　"};
	size_t o = 0;
	for (;;) {
		bool sep = false;
		/* Every separator starts with one of these bytes. */
		unsigned char b = (unsigned char)*p;
		bool may = b == 0xE3 || b == 0xEF || b == ',' || b == ';' || b == ' ' || b == '\t' ||
			   b == '\n';
		for (size_t i = 0; may && i < sizeof seps / sizeof seps[0]; i++) {
			size_t l = strlen(seps[i]);
			if (!strncmp(p, seps[i], l)) {
				p += l;
				sep = true;
				break;
			}
		}
		if (sep) {
			if (o)
				break;
			continue;
		}
		if (!*p)
			break;
		if (o + 1 < n)
			out[o++] = *p;
		p++;
	}
	out[o] = '\0';
	return p;
}

/*
 * The JSON object of row ri: one member per non-empty imported cell,
 * converted; conversion errors are recorded (and the row is then not
 * written). Organisations are resolved last, within the row's region.
 */
static enum err convert(struct imp *im, struct store_conn *c, size_t ri, json_t *obj)
{
	const struct xkind *k = im->k;
	char v[VALUE_MAX], msg[400], opts[300];
	for (int pass = 0; pass < 2; pass++)
		for (int f = 0; f < k->spec->n; f++) {
			int col = im->field_col[f];
			const struct xcol *xc = &k->cols[f];
			if (col < 0 || xc->type == XC_OUTPUT)
				continue;
			if ((xc->type == XC_ORG) != (pass == 1))
				continue;
			cell_text(im, ri, col, v, sizeof v);
			if (!v[0])
				continue;
			const struct field *fd = &k->spec->fields[f];
			json_t *j = NULL;
			const char *why = NULL;
			long long iv;
			switch (xc->type) {
			case XC_TEXT:
			case XC_GENDER:
			case XC_PHONE:
			case XC_IDNO: {
				char t[VALUE_MAX];
				snprintf(t, sizeof t, "%s", v);
				if (xc->type == XC_GENDER) {
					if (!strcmp(v, "男性") || !strcmp(v, "M") || !strcmp(v, "m") ||
					    !strcmp(v, "male"))
						snprintf(t, sizeof t, "男");
					else if (!strcmp(v, "女性") || !strcmp(v, "F") ||
						 !strcmp(v, "f") || !strcmp(v, "female"))
						snprintf(t, sizeof t, "女");
				} else if (xc->type == XC_PHONE) {
					size_t o = 0;
					for (const char *p = v; *p; p++)
						if (*p != ' ' && *p != '-')
							t[o++] = *p;
					t[o] = '\0';
					if (o == 14 && !strncmp(t, "+86", 3))
						memmove(t, t + 3, 12);
					else if (o == 13 && !strncmp(t, "86", 2))
						memmove(t, t + 2, 12);
				} else if (xc->type == XC_IDNO) {
					size_t l = strlen(t);
					if (l && t[l - 1] == 'x')
						t[l - 1] = 'X';
					if (strstr(t, "E+") || strstr(t, "e+")) {
						why = "身份证号被存成了数字,末几位已丢失;请把该列设为文本格式后重新填写 "
						      "(the ID number was stored as a number and lost digits: "
						      "format the column as text)";
						break;
					}
				}
				j = json_string(t);
				if (!j)
					why = "不是有效的文本 (invalid text)";
				break;
			}
			case XC_INT:
				if (parse_int(v, &iv))
					j = json_integer(iv);
				else
					why = "应为整数 (must be an integer)";
				break;
			case XC_YEAR: {
				bool digits4 = strlen(v) >= 4 && v[0] >= '0' && v[0] <= '9' &&
					       v[1] >= '0' && v[1] <= '9' && v[2] >= '0' &&
					       v[2] <= '9' && v[3] >= '0' && v[3] <= '9';
				if (digits4 && (v[4] < '0' || v[4] > '9'))
					j = json_integer((v[0] - '0') * 1000 + (v[1] - '0') * 100 +
							 (v[2] - '0') * 10 + (v[3] - '0'));
				else
					why = "应为年份,如 1975 或 1975-03-01 (must be a year)";
				break;
			}
			case XC_NUM: {
				char *end;
				double d = strtod(v, &end);
				if (*end || end == v)
					why = "应为数字 (must be a number)";
				else
					j = json_real(d);
				break;
			}
			case XC_BOOL: {
				int b = parse_bool(v);
				if (b < 0)
					why = "应为 是 或 否 (must be 是 or 否)";
				else
					j = json_boolean(b);
				break;
			}
			case XC_REGION: {
				char code[M_CODE];
				enum err e = region_code(im, c, v, code, &why);
				if (e == ERR_OK)
					j = json_string(code);
				else if (e != ERR_NOT_FOUND && e != ERR_CONFLICT)
					return e;
				break;
			}
			case XC_VOCAB: {
				const char *code = vocab_code(im, xc->arg, v);
				if (code) {
					j = json_string(code);
				} else {
					vocab_names(im, xc->arg, opts, sizeof opts);
					snprintf(msg, sizeof msg, "未知的取值“%s”,可选:%s (unknown value)",
						 v, opts);
					why = msg;
				}
				break;
			}
			case XC_TAGS: {
				j = json_array();
				char tag[200];
				for (const char *p = next_tag(v, tag, sizeof tag); tag[0];
				     p = next_tag(p, tag, sizeof tag)) {
					const char *code = vocab_code(im, xc->arg, tag);
					if (!code) {
						vocab_names(im, xc->arg, opts, sizeof opts);
						snprintf(msg, sizeof msg,
							 "未知的取值“%s”,可选:%s (unknown value)", tag,
							 opts);
						why = msg;
						break;
					}
					json_array_append_new(j, json_string(code));
				}
				if (why) {
					json_decref(j);
					j = NULL;
				}
				break;
			}
			case XC_ENUM: {
				const char *code = enum_code(im, xc->arg, v);
				if (!code) {
					xfer_enum_list(xc->arg, opts, sizeof opts);
					snprintf(msg, sizeof msg, "未知的取值“%s”,可选:%s (unknown value)",
						 v, opts);
					why = msg;
				} else if (fd->type == F_INT) {
					j = json_integer(strtol(code, NULL, 10));
				} else {
					j = json_string(code);
				}
				break;
			}
			case XC_ORG: {
				int64_t id = 0;
				json_t *rj = json_object_get(obj, "region");
				enum err e = org_id(im, c, v, json_string_value(rj), &id, &why);
				if (e == ERR_OK)
					j = json_integer(id);
				else if (e != ERR_NOT_FOUND && e != ERR_CONFLICT)
					return e;
				break;
			}
			case XC_OUTPUT:
				break;
			}
			if (why) {
				add_error(im, ri, col, fd->name, ERR_INVALID, why);
				continue;
			}
			if (j)
				json_object_set_new(obj, fd->name, j);
		}
	/* A mentee without a kind: an organisation if it names one and no
	 * person category, else a person. */
	if (!strcmp(k->name, "mentees") && !json_object_get(obj, "kind"))
		json_object_set_new(obj, "kind",
				    json_string(json_object_get(obj, "organisation") &&
							!json_object_get(obj, "category")
						? "org"
						: "person"));
	/* An organisation mentee lives where its organisation does. */
	json_t *org = json_object_get(obj, "organisation");
	if (!strcmp(k->name, "mentees") && json_is_integer(org) && !json_object_get(obj, "region") &&
	    !strcmp(json_string_value(json_object_get(obj, "kind")), "org")) {
		struct organisation o;
		enum err e = db_org_get(c, json_integer_value(org), &o);
		if (e && e != ERR_NOT_FOUND)
			return e;
		if (!e)
			json_object_set_new(obj, "region", json_string(o.region_code));
	}
	return ERR_OK;
}

/* ---- natural keys and writes, per kind --------------------------------- */

/* Same values in every input field? */
static bool same_fields(const struct field_spec *spec, const void *a, const void *b)
{
	for (int i = 0; i < spec->n; i++) {
		const struct field *f = &spec->fields[i];
		if (f->flags & F_OUTPUT)
			continue;
		const char *x = (const char *)a + f->off, *y = (const char *)b + f->off;
		bool eq;
		if (f->type == F_STR || f->type == F_TAGS) {
			eq = !strcmp(x, y);
		} else if (f->type == F_NUM) {
			/* A workbook keeps 15-16 significant digits. */
			double p, q;
			memcpy(&p, x, sizeof p);
			memcpy(&q, y, sizeof q);
			eq = fabs(p - q) <= 1e-12 * (fabs(p) > 1 ? fabs(p) : 1);
		} else {
			eq = !memcmp(x, y, f->size);
		}
		if (!eq)
			return false;
	}
	return true;
}

/* Note a natural key of row ri; an error naming the first row if it was
 * seen before. */
static bool first_seen(struct imp *im, size_t ri, const char *prefix, const char *key,
		       const char *field)
{
	if (!key || !key[0])
		return true;
	char k[3 * M_NAME];
	snprintf(k, sizeof k, "%s:%s", prefix, key);
	struct smap_slot *s = smap_find(&im->seen, k, true);
	if (s->key) {
		add_errorf(im, ri, -1, field, ERR_CONFLICT, "与第 %ld 行重复 (duplicates row %ld)",
			   s->val, s->val);
		return false;
	}
	s->key = xstrdup(k);
	s->val = sheet_rownum(im->sh, ri);
	im->seen.n++;
	return true;
}

/* Turn a service error into a row error; storage errors stop the run. */
static enum err row_fail(struct imp *im, size_t ri, enum err e, const struct errinfo *ei)
{
	if (e == ERR_DB || e == ERR_BUSY || e == ERR_INTERNAL || e == ERR_IO)
		return e;
	if (e == ERR_FORBIDDEN) {
		im->forbidden++;
		add_error(im, ri, -1, ei->field[0] ? ei->field : "region", e,
			  "超出您的管辖范围 (outside your jurisdiction)");
		return ERR_OK;
	}
	add_error(im, ri, -1, ei->field[0] ? ei->field : NULL, e,
		  ei->message[0] ? ei->message : "无效 (invalid)");
	return ERR_OK;
}

/* Is an existing record at `path` the caller's to change? */
static bool mine(const struct imp *im, const char *path)
{
	return !im->a || auth_writable(im->a, path);
}

/* A person (mentor or mentee): find by ID number, phone, name in region. */
typedef enum err (*find_keys_fn)(struct store_conn *, const char *, const char *, int64_t *,
				 int64_t *);
typedef enum err (*find_name_fn)(struct store_conn *, const char *, const char *, int64_t *,
				 int *);

static enum err person_key(struct imp *im, struct store_conn *c, size_t ri, const char *idno,
			   const char *phone, const char *region, const char *name,
			   find_keys_fn keys, find_name_fn by_name, int64_t *id)
{
	*id = 0;
	bool ok = first_seen(im, ri, "i", idno, "id_number");
	ok = first_seen(im, ri, "p", phone, "phone") && ok;
	if (!idno[0] && !phone[0]) {
		char k[2 * M_NAME];
		snprintf(k, sizeof k, "%s|%s", region, name);
		ok = first_seen(im, ri, "n", k, "name") && ok;
	}
	if (!ok)
		return ERR_OK;
	int64_t by_idno = 0, by_phone = 0;
	enum err e = keys(c, idno, phone, &by_idno, &by_phone);
	if (e)
		return e;
	if (by_idno && by_phone && by_idno != by_phone) {
		add_errorf(im, ri, -1, "phone", ERR_CONFLICT,
			   "手机号已属于另一条记录(编号 %lld),与身份证号对应的记录(编号 %lld)不同 "
			   "(the phone belongs to another record)",
			   (long long)by_phone, (long long)by_idno);
		return ERR_OK;
	}
	*id = by_idno ? by_idno : by_phone;
	if (!*id && !idno[0] && !phone[0]) {
		int n;
		if ((e = by_name(c, region, name, id, &n)))
			return e;
		if (n > 1) {
			*id = 0;
			add_error(im, ri, -1, "name", ERR_CONFLICT,
				  "该地区有多位同名人员,请填写身份证号或手机号 (several people of this "
				  "name here: give an ID number or phone)");
		}
	}
	return ERR_OK;
}

/* Found by phone, but the record has another ID number: a different
 * person whose phone is taken. */
static bool other_person(struct imp *im, size_t ri, const char *idno, const char *found_idno,
			 int64_t id)
{
	if (!idno[0] || !found_idno[0] || !strcmp(idno, found_idno))
		return false;
	add_errorf(im, ri, -1, "phone", ERR_CONFLICT,
		   "手机号已被另一人使用(编号 %lld,身份证号不同) (phone already registered to "
		   "another person)",
		   (long long)id);
	return true;
}

static enum err put_mentor(struct imp *im, struct store_conn *c, size_t ri, uint64_t present)
{
	struct mentor *m = im->rec, *before = im->before, *merged = im->merged;
	int64_t id;
	enum err e = person_key(im, c, ri, m->id_number, m->phone, m->region_code, m->name,
				db_mentor_find_keys, db_mentor_find_name, &id);
	if (e || im->row_bad)
		return e;
	struct errinfo ei;
	errinfo_clear(&ei);
	if (!id) {
		if ((e = svc_mentor_create_in(c, im->s, im->a, m, &ei)))
			return row_fail(im, ri, e, &ei);
		im->created++;
		return ERR_OK;
	}
	if ((e = db_mentor_get(c, id, before)))
		return e;
	if (other_person(im, ri, m->id_number, before->id_number, id))
		return ERR_OK;
	if (!mine(im, before->region_path))
		return row_fail(im, ri, ERR_FORBIDDEN, &ei);
	*merged = *before;
	fields_copy(&svc_mentor_spec, merged, m, present);
	if (same_fields(&svc_mentor_spec, before, merged)) {
		im->unchanged++;
		return ERR_OK;
	}
	if ((e = svc_mentor_update_in(c, im->s, updater(im), id, m, present, merged, &ei)))
		return row_fail(im, ri, e, &ei);
	im->updated++;
	return ERR_OK;
}

static enum err put_mentee(struct imp *im, struct store_conn *c, size_t ri, uint64_t present)
{
	struct mentee *m = im->rec, *before = im->before, *merged = im->merged;
	int64_t id = 0;
	enum err e;
	if (!strcmp(m->kind, "org") && m->org_id) {
		char k[32];
		snprintf(k, sizeof k, "%lld", (long long)m->org_id);
		if (!first_seen(im, ri, "o", k, "organisation"))
			return ERR_OK;
		if ((e = db_mentee_find_org(c, m->org_id, &id)))
			return e;
	} else if ((e = person_key(im, c, ri, m->id_number, m->phone, m->region_code, m->name,
				   db_mentee_find_keys, db_mentee_find_name, &id))) {
		return e;
	}
	if (im->row_bad)
		return ERR_OK;
	struct errinfo ei;
	errinfo_clear(&ei);
	if (!id) {
		if ((e = svc_mentee_create_in(c, im->s, im->a, m, &ei)))
			return row_fail(im, ri, e, &ei);
		im->created++;
		return ERR_OK;
	}
	if ((e = db_mentee_get(c, id, before)))
		return e;
	if (other_person(im, ri, m->id_number, before->id_number, id))
		return ERR_OK;
	if (!mine(im, before->region_path))
		return row_fail(im, ri, ERR_FORBIDDEN, &ei);
	/* An organisation mentee given without a region lives where its
	 * organisation does: compare as the update would store it. */
	uint64_t region_bit = 1ull << fields_find(&svc_mentee_spec, "region");
	if (!strcmp(m->kind, "org") && !(present & region_bit)) {
		snprintf(m->region_code, sizeof m->region_code, "%s", before->region_code);
		present |= region_bit;
	}
	*merged = *before;
	fields_copy(&svc_mentee_spec, merged, m, present);
	if (same_fields(&svc_mentee_spec, before, merged)) {
		im->unchanged++;
		return ERR_OK;
	}
	if ((e = svc_mentee_update_in(c, im->s, updater(im), id, m, present, merged, &ei)))
		return row_fail(im, ri, e, &ei);
	im->updated++;
	return ERR_OK;
}

static enum err put_org(struct imp *im, struct store_conn *c, size_t ri, uint64_t present)
{
	struct organisation *o = im->rec, *before = im->before, *merged = im->merged;
	char k[2 * M_NAME];
	snprintf(k, sizeof k, "%s|%s", o->region_code, o->name);
	if (!first_seen(im, ri, "g", k, "name"))
		return ERR_OK;
	struct region r;
	enum err e = db_region_get_by_code(c, o->region_code, &r);
	int64_t id = 0;
	int n = 0;
	if (!e) {
		char hi[M_PATH];
		snprintf(hi, sizeof hi, "%s", r.path);
		hi[strlen(hi) - 1] = '0';
		if ((e = db_org_find_name(c, r.path, hi, o->name, &id, &n)))
			return e;
		/* Only an organisation of that very region is the same one. */
		if (n >= 1 && (e = db_org_get(c, id, before)))
			return e;
		if (n >= 1 && strcmp(before->region_code, o->region_code))
			id = 0;
	} else if (e != ERR_NOT_FOUND) {
		return e;
	}
	struct errinfo ei;
	errinfo_clear(&ei);
	if (n > 1) {
		add_error(im, ri, -1, "name", ERR_CONFLICT,
			  "该地区有多个同名组织 (several organisations of this name here)");
		return ERR_OK;
	}
	if (!id) {
		if ((e = svc_org_create_in(c, im->s, im->a, o, &ei)))
			return row_fail(im, ri, e, &ei);
		im->created++;
		return ERR_OK;
	}
	if (!mine(im, before->region_path))
		return row_fail(im, ri, ERR_FORBIDDEN, &ei);
	*merged = *before;
	fields_copy(&svc_org_spec, merged, o, present);
	if (same_fields(&svc_org_spec, before, merged)) {
		im->unchanged++;
		return ERR_OK;
	}
	if ((e = svc_org_update_in(c, im->s, updater(im), id, o, present, merged, &ei)))
		return row_fail(im, ri, e, &ei);
	im->updated++;
	return ERR_OK;
}

static enum err put_region(struct imp *im, struct store_conn *c, size_t ri, uint64_t present)
{
	struct region *r = im->rec, *before = im->before, *merged = im->merged;
	if (!first_seen(im, ri, "c", r->code, "code"))
		return ERR_OK;
	enum err e = db_region_get_by_code(c, r->code, before);
	struct errinfo ei;
	errinfo_clear(&ei);
	if (e == ERR_NOT_FOUND) {
		if ((e = svc_region_create_in(c, im->s, im->a, r, present, &ei)))
			return row_fail(im, ri, e, &ei);
		im->created++;
		return ERR_OK;
	}
	if (e)
		return e;
	if (!mine(im, before->path))
		return row_fail(im, ri, ERR_FORBIDDEN, &ei);
	/* Code, level and parent are fixed: given as they are, they are
	 * not a change; given otherwise, the update refuses them. */
	static const char *const fixed[] = {"code", "level", "parent"};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		int f = fields_find(&svc_region_spec, fixed[i]);
		const struct field *fd = &svc_region_spec.fields[f];
		if (!memcmp((char *)r + fd->off, (char *)before + fd->off,
			    fd->type == F_STR ? strlen((char *)before + fd->off) + 1 : fd->size))
			present &= ~(1ull << f);
	}
	*merged = *before;
	fields_copy(&svc_region_spec, merged, r, present);
	int ilat = fields_find(&svc_region_spec, "lat"), ilon = fields_find(&svc_region_spec, "lon");
	bool coords = (present >> ilat & 1) && (present >> ilon & 1);
	if (same_fields(&svc_region_spec, before, merged) && (!coords || before->has_coords)) {
		im->unchanged++;
		return ERR_OK;
	}
	if ((e = svc_region_update_in(c, im->s, updater(im), before->code, r, present, merged,
				      &ei)))
		return row_fail(im, ri, e, &ei);
	im->updated++;
	return ERR_OK;
}

static const struct {
	const char *kind;
	enum err (*put)(struct imp *im, struct store_conn *c, size_t ri, uint64_t present);
} puts_by_kind[] = {
	{"mentors", put_mentor},
	{"mentees", put_mentee},
	{"organisations", put_org},
	{"regions", put_region},
};

/* ---- the transaction --------------------------------------------------- */

static void run_reset(struct imp *im)
{
	smap_clear(&im->seen);
	smap_clear(&im->names);
	xfer_vocab_release(&im->voc);
	json_decref(im->errors);
	im->errors = json_array();
	im->nerr = 0;
	im->over = 0;
	im->rows = im->created = im->updated = im->unchanged = im->failed = im->forbidden = 0;
	im->done = false;
}

static bool row_empty(const struct imp *im, size_t ri)
{
	for (int f = 0; f < im->k->spec->n; f++) {
		int col = im->field_col[f];
		if (col >= 0 && im->k->cols[f].type != XC_OUTPUT &&
		    sheet_cell(im->sh, ri, (unsigned)col)[0]) {
			char t[16];
			xfer_trim(sheet_cell(im->sh, ri, (unsigned)col), t, sizeof t);
			if (t[0])
				return false;
		}
	}
	return true;
}

/*
 * The row failed its field spec (first: the error) or a conversion
 * (first NULL): name every bad field, not only the first, by checking
 * them one at a time; failing that, what the whole row lacks (a
 * required field).
 */
static void field_errors(struct imp *im, size_t ri, json_t *obj, const struct errinfo *first)
{
	const char *key;
	json_t *v;
	bool any = false;
	json_object_foreach(obj, key, v) {
		json_t *one = json_pack("{s:O}", key, v);
		uint64_t p;
		struct errinfo fe;
		errinfo_clear(&fe);
		if (fields_from_json(im->k->spec, one, im->merged, &p, 0, &fe)) {
			add_error(im, ri, -1, key, fe.code ? fe.code : ERR_INVALID, fe.message);
			any = true;
		}
		json_decref(one);
	}
	if (!any && first)
		add_error(im, ri, -1, first->field[0] ? first->field : NULL, first->code,
			  first->message);
}

/* The names of rows [from, from + PROGRESS_EVERY), converted for their
 * search keys in one OpenCC call (svc_fold_prefetch). */
static void prefetch_names(struct imp *im, size_t from)
{
	int f = fields_find(im->k->spec, "name");
	int col = f >= 0 ? im->field_col[f] : -1;
	size_t n = sheet_nrows(im->sh);
	if (col < 0 || from >= n)
		return;
	size_t to = n - from > PROGRESS_EVERY ? from + PROGRESS_EVERY : n, k = 0;
	char **t = xcalloc(to - from, sizeof *t);
	char v[VALUE_MAX];
	for (size_t ri = from; ri < to; ri++) {
		cell_text(im, ri, col, v, sizeof v);
		if (v[0])
			t[k++] = xstrdup(v);
	}
	svc_fold_prefetch(im->s, (const char *const *)t, k);
	for (size_t i = 0; i < k; i++)
		free(t[i]);
	free(t);
}

static enum err import_tx(struct store_conn *c, void *arg)
{
	struct imp *im = arg;
	run_reset(im);
	/* Only a region import writes regions (and none writes vocabulary):
	 * the others may remember what they looked up. Afresh at every
	 * attempt, as another writer may come between two. */
	if (strcmp(im->k->name, "regions"))
		svc_ref_memo_begin(c);
	enum err e = xfer_vocab_load(c, &im->voc);
	if (e)
		return e;
	enum err (*put)(struct imp *, struct store_conn *, size_t, uint64_t) = NULL;
	for (size_t i = 0; i < sizeof puts_by_kind / sizeof puts_by_kind[0]; i++)
		if (!strcmp(puts_by_kind[i].kind, im->k->name))
			put = puts_by_kind[i].put;
	assert(put);
	size_t n = sheet_nrows(im->sh);
	int64_t written = 0; /* created + updated at the last prefetch */
	for (size_t ri = im->header + 1; ri < n; ri++) {
		if (im->progress && (ri - im->header) % PROGRESS_EVERY == 0)
			im->progress(im->parg, ri - im->header, n - im->header - 1);
		/* Names are folded only for records written: ahead, while the
		 * rows before wrote some (not for a file found unchanged). */
		if ((ri - im->header - 1) % PROGRESS_EVERY == 0 &&
		    (ri == im->header + 1 || im->created + im->updated > written)) {
			written = im->created + im->updated;
			prefetch_names(im, ri);
		}
		if (row_empty(im, ri))
			continue;
		im->rows++;
		im->row_bad = false;
		json_t *obj = json_object();
		e = convert(im, c, ri, obj);
		if (e) {
			json_decref(obj);
			return e;
		}
		if (im->row_bad) {
			/* The cells that did convert may break their own rules too. */
			field_errors(im, ri, obj, NULL);
			json_decref(obj);
			continue;
		}
		memset(im->rec, 0, im->k->rec_size);
		uint64_t present;
		struct errinfo ei;
		errinfo_clear(&ei);
		e = fields_from_json(im->k->spec, obj, im->rec, &present, 1, &ei);
		if (e) {
			field_errors(im, ri, obj, &ei);
			json_decref(obj);
			continue;
		}
		json_decref(obj);
		if ((e = put(im, c, ri, present)))
			return e;
	}
	if (im->progress)
		im->progress(im->parg, n - im->header - 1, n - im->header - 1);
	im->done = true;
	if (!im->commit || im->failed)
		return ERR_UNPROCESSABLE; /* roll back */
	/* One entry for the file, besides one per record written. */
	char what[64];
	snprintf(what, sizeof what, "import %s", im->k->name);
	return svc_audit(c, im->a, "import", what, im->created + im->updated, NULL, NULL, NULL);
}

/* ---- the report and the error file --------------------------------------- */

static json_t *report(struct imp *im, bool committed)
{
	json_t *errors = json_array();
	json_array_extend(errors, im->file_errors);
	json_array_extend(errors, im->errors);
	json_t *r = json_pack("{s:s, s:b, s:b, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:O, s:O, s:o, "
			      "s:I}",
			      "kind", im->k->name, "dry_run", !im->commit, "committed", committed,
			      "source", sheet_source(im->sh), "header_row",
			      (json_int_t)sheet_rownum(im->sh, im->header), "rows",
			      (json_int_t)im->rows, "created", (json_int_t)im->created, "updated",
			      (json_int_t)im->updated, "unchanged", (json_int_t)im->unchanged,
			      "failed", (json_int_t)im->failed, "columns", im->columns,
			      "ignored_columns", im->ignored, "errors", errors,
			      "errors_not_listed", (json_int_t)im->over);
	return r;
}

static enum err error_file(struct imp *im, struct buf *b)
{
	const struct sheet *sh = im->sh;
	unsigned ncols = sheet_ncols(sh);
	enum err e = buf_puts(b, "\xEF\xBB\xBF");
	if (!e)
		e = xfer_csv_field(b, "行号", true, true);
	if (!e)
		e = xfer_csv_field(b, "错误说明", false, true);
	for (unsigned c = 0; c < ncols && !e; c++)
		e = xfer_csv_field(b, sheet_cell(sh, im->header, c), false, true);
	if (!e)
		e = buf_puts(b, "\r\n");
	size_t nfile = json_array_size(im->file_errors);
	for (size_t i = 0; i < nfile && !e; i++) {
		json_t *fe = json_array_get(im->file_errors, i);
		char num[24];
		snprintf(num, sizeof num, "%lld",
			 (long long)json_integer_value(json_object_get(fe, "row")));
		e = xfer_csv_field(b, num, true, true);
		if (!e)
			e = xfer_csv_field(b, json_string_value(json_object_get(fe, "message")),
					   false, true);
		if (!e)
			e = buf_puts(b, "\r\n");
	}
	/* Errors are in row order: group those of one row. */
	for (size_t i = 0; i < im->nerr && !e;) {
		size_t ri = im->err_rows[i];
		struct buf why;
		buf_init(&why, 1u << 16);
		for (; i < im->nerr && im->err_rows[i] == ri; i++) {
			json_t *er = json_array_get(im->errors, i);
			const char *h = json_string_value(json_object_get(er, "header"));
			if (why.len)
				buf_puts(&why, "; ");
			buf_printf(&why, "%s%s%s", h && h[0] ? h : "", h && h[0] ? ": " : "",
				   json_string_value(json_object_get(er, "message")));
		}
		char num[24];
		snprintf(num, sizeof num, "%ld", sheet_rownum(sh, ri));
		e = xfer_csv_field(b, num, true, true);
		if (!e)
			e = xfer_csv_field(b, why.data ? why.data : "", false, true);
		buf_release(&why);
		for (unsigned c = 0; c < ncols && !e; c++)
			e = xfer_csv_field(b, sheet_cell(sh, ri, c), false, true);
		if (!e)
			e = buf_puts(b, "\r\n");
	}
	return e;
}

/* ---- the entry point ------------------------------------------------------ */

enum err svc_import(struct service *s, const struct actor *a, const char *kind, const char *data,
		    size_t len, bool commit, svc_progress_fn progress, void *progress_arg,
		    json_t **report_out, struct buf *errors_csv, struct errinfo *ei)
{
	*report_out = NULL;
	const struct xkind *k = xfer_kind(kind);
	if (!k || !k->import)
		return errinfo_set(ei, ERR_NOT_FOUND, "kind",
				   "不能导入这类数据 (cannot import %s: mentors, mentees, organisations "
				   "or regions)",
				   kind);
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "import", ei);
	if (len > LIMIT_UPLOAD_BYTES)
		return errinfo_set(ei, ERR_TOO_LARGE, NULL, "文件过大 (file larger than %u MiB)",
				   LIMIT_UPLOAD_BYTES >> 20);
	struct sheet *sh;
	enum err e = sheet_parse(data, len, SHEET_AUTO, &sh, ei);
	if (e)
		return e;
	struct imp im;
	memset(&im, 0, sizeof im);
	im.s = s;
	im.a = a;
	im.op.role = ROLE_CITY_ADMIN;
	snprintf(im.op.login, sizeof im.op.login, "%s", "(cli)");
	snprintf(im.op.region_path, sizeof im.op.region_path, "%s", "/");
	im.k = k;
	im.sh = sh;
	im.commit = commit;
	im.progress = progress;
	im.parg = progress_arg;
	im.ei = ei;
	im.columns = json_array();
	im.ignored = json_array();
	im.file_errors = json_array();
	im.errors = json_array();
	snprintf(im.root, sizeof im.root, "%s", a ? a->region_path : "/");
	snprintf(im.root_hi, sizeof im.root_hi, "%s", im.root);
	im.root_hi[strlen(im.root_hi) - 1] = '0';
	im.rec = xcalloc(1, k->rec_size);
	im.before = xcalloc(1, k->rec_size);
	im.merged = xcalloc(1, k->rec_size);
	find_header(&im);
	bool committed = false;
	if (json_array_size(im.file_errors) == 0) {
		struct store_conn *c = store_acquire(s->store);
		e = store_tx(c, import_tx, &im);
		svc_ref_memo_end();
		if (e == ERR_UNPROCESSABLE && im.done) {
			e = ERR_OK; /* rolled back on purpose */
		} else if (e) {
			e = svc_db_fail(c, e, "import", ei);
		} else {
			committed = true;
		}
		store_release(s->store, c);
		if (im.forbidden && a) {
			char what[64];
			snprintf(what, sizeof what, "import %s", k->name);
			svc_deny(s, NULL, a, what, NULL);
		}
	}
	if (!e) {
		*report_out = report(&im, committed);
		if (errors_csv)
			e = error_file(&im, errors_csv);
		if (!e && commit && !committed)
			e = errinfo_set(ei, ERR_UNPROCESSABLE, NULL,
					"有 %lld 行存在错误,未导入任何数据 (%lld rows have errors: "
					"nothing was imported)",
					(long long)(im.failed + (json_array_size(im.file_errors) ? 1 : 0)),
					(long long)(im.failed + (json_array_size(im.file_errors) ? 1 : 0)));
		if (e && e != ERR_UNPROCESSABLE) {
			json_decref(*report_out);
			*report_out = NULL;
		}
	}
	smap_clear(&im.seen);
	smap_clear(&im.names);
	xfer_vocab_release(&im.voc);
	json_decref(im.errors);
	json_decref(im.columns);
	json_decref(im.ignored);
	json_decref(im.file_errors);
	free(im.err_rows);
	free(im.col_field);
	free(im.rec);
	free(im.before);
	free(im.merged);
	sheet_free(sh);
	return e;
}
