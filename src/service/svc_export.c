/*
 * svc_export.c — list views and statistics out as .xlsx (libxlsxwriter)
 * or CSV, and the import templates. Layer: service.
 *
 * Rows come from the very list functions the API answers with
 * (svc_mentor_list, ...), page by page, so an export shows exactly the
 * rows, filters and masking of the list the caller sees. Values are
 * written for people: names for codes (乡镇级, 专家型, vocabulary names,
 * 是/否), with region codes kept (they identify a region and import
 * back). Text is always a string cell in a workbook, never a formula;
 * in a CSV a text that a spreadsheet would run as a formula (= + - @ at
 * its start) gets a leading apostrophe, which the importer drops again.
 *
 * libxlsxwriter writes to a file: the workbook is made in a temporary
 * file (in $TMPDIR, else /tmp), read back into the caller's buffer and
 * removed; exports use its constant-memory mode (rows are written as
 * they come).
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/log.h"
#include "service/sheet.h"
#include "service/xfer.h"

#define XLSX_WIDTH 14

/* ---- a sink: one table, as CSV or into a worksheet ----------------- */

struct sink {
	bool xlsx;
	struct buf *csv;          /* CSV: the output */
	lxw_workbook *wb;         /* xlsx */
	lxw_worksheet *ws;
	lxw_format *bold;
	lxw_row_t row;
	lxw_col_t col;
	enum err err;
};

static void sink_text(struct sink *k, const char *text)
{
	if (k->err)
		return;
	if (k->xlsx) {
		if (text[0] && worksheet_write_string(k->ws, k->row, k->col, text,
						      k->row == 0 ? k->bold : NULL) != LXW_NO_ERROR)
			k->err = ERR_IO;
	} else {
		k->err = xfer_csv_field(k->csv, text, k->col == 0, true);
	}
	k->col++;
}

/* A number as the shortest text that reads back as the same double. */
static void num_text(double v, char *out, size_t n)
{
	snprintf(out, n, "%.15g", v);
	if (strtod(out, NULL) != v)
		snprintf(out, n, "%.17g", v);
}

static void sink_number(struct sink *k, double v)
{
	if (k->err)
		return;
	if (k->xlsx) {
		if (worksheet_write_number(k->ws, k->row, k->col, v, NULL) != LXW_NO_ERROR)
			k->err = ERR_IO;
	} else {
		char t[40];
		num_text(v, t, sizeof t);
		k->err = xfer_csv_field(k->csv, t, k->col == 0, false);
	}
	k->col++;
}

static void sink_end_row(struct sink *k)
{
	if (!k->err && !k->xlsx)
		k->err = buf_puts(k->csv, "\r\n");
	k->row++;
	k->col = 0;
}

/* A temporary file name for a workbook (the file is created empty). */
static enum err temp_path(char *out, size_t n)
{
	const char *dir = getenv("TMPDIR");
	snprintf(out, n, "%s/bangdai-xlsx-XXXXXX", dir && dir[0] ? dir : "/tmp");
	int fd = mkstemp(out);
	if (fd < 0)
		return ERR_IO;
	close(fd);
	return ERR_OK;
}

/* Append the file at path to out and remove it. */
static enum err slurp(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	enum err e = f ? ERR_OK : ERR_IO;
	char chunk[65536];
	size_t n;
	while (!e && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		e = buf_append(out, chunk, n);
	if (f && ferror(f) && !e)
		e = ERR_IO;
	if (f)
		fclose(f);
	unlink(path);
	return e;
}

static enum err sink_open(struct sink *k, const char *format, const char *title, struct buf *out,
			  bool constant, char *path, size_t pathn)
{
	memset(k, 0, sizeof *k);
	k->csv = out;
	if (!strcmp(format, "csv"))
		return buf_puts(out, "\xEF\xBB\xBF"); /* so that Excel reads UTF-8 */
	if (strcmp(format, "xlsx"))
		return ERR_INVALID;
	k->xlsx = true;
	if (temp_path(path, pathn))
		return ERR_IO;
	lxw_workbook_options opt = {.constant_memory = constant, .tmpdir = NULL,
				    .use_zip64 = LXW_FALSE};
	k->wb = workbook_new_opt(path, &opt);
	if (!k->wb) {
		unlink(path);
		return ERR_IO;
	}
	k->ws = workbook_add_worksheet(k->wb, title);
	k->bold = workbook_add_format(k->wb);
	format_set_bold(k->bold);
	if (!k->ws || !k->bold)
		k->err = ERR_IO;
	return ERR_OK;
}

/* Finish: write the workbook and append it to out. */
static enum err sink_close(struct sink *k, const char *path, struct buf *out, bool ok)
{
	if (!k->xlsx)
		return k->err;
	lxw_error le = workbook_close(k->wb);
	if (!ok || k->err) {
		unlink(path);
		return k->err;
	}
	if (le != LXW_NO_ERROR) {
		log_event(LOG_ERROR, "xlsx write failed", "\"error\":\"%s\"", lxw_strerror(le));
		unlink(path);
		return ERR_IO;
	}
	return slurp(path, out);
}

/* ---- rows of a list ------------------------------------------------------ */

struct exp {
	const struct xkind *k;
	const struct actor *a;
	struct sink *sink;
	struct xfer_vocab voc;
	size_t seen;
};

/* One value of a record, as a person reads it. */
static void put_value(struct exp *x, const struct xcol *c, const struct field *f, json_t *v)
{
	char t[M_TAGS * 4];
	if (!v || json_is_null(v)) {
		sink_text(x->sink, "");
		return;
	}
	const char *table = c->type == XC_ENUM || (c->type == XC_OUTPUT && c->arg) ? c->arg : NULL;
	switch (f->type) {
	case F_BOOL:
		sink_text(x->sink, json_is_true(v) ? "是" : "否");
		return;
	case F_INT:
	case F_I64:
	case F_NUM:
		if (table) {
			snprintf(t, sizeof t, "%lld", (long long)json_integer_value(v));
			sink_text(x->sink, xfer_enum_name(table, t));
		} else {
			sink_number(x->sink, json_number_value(v));
		}
		return;
	case F_TAGS: {
		size_t o = 0, i;
		json_t *it;
		t[0] = '\0';
		json_array_foreach(v, i, it) {
			const char *name = xfer_vocab_name(&x->voc, c->arg ? c->arg : "",
							   json_string_value(it));
			int k = snprintf(t + o, sizeof t - o, "%s%s", o ? "、" : "", name);
			if (k < 0 || (size_t)k >= sizeof t - o)
				break;
			o += (size_t)k;
		}
		sink_text(x->sink, t);
		return;
	}
	case F_IDS: /* request bodies only: no exported record has them */
	case F_OBJS:
		sink_text(x->sink, "");
		return;
	case F_STR: {
		const char *s = json_string_value(v);
		if (table)
			s = xfer_enum_name(table, s);
		else if (c->type == XC_VOCAB)
			s = xfer_vocab_name(&x->voc, c->arg, s);
		sink_text(x->sink, s);
		return;
	}
	}
}

static void header_row(struct sink *k, const struct xkind *kind)
{
	for (int i = 0; i < kind->ncols; i++)
		sink_text(k, kind->cols[i].header);
	sink_end_row(k);
}

static enum err export_row(void *arg, const void *row, bool masked)
{
	struct exp *x = arg;
	json_t *j = fields_to_json(x->k->spec, row, masked);
	if (x->k->spec == &svc_region_spec && !((const struct region *)row)->has_coords) {
		/* No coordinates: blank, not 0,0 (which would import as a place). */
		json_object_set_new(j, "lat", json_null());
		json_object_set_new(j, "lon", json_null());
	}
	for (int i = 0; i < x->k->ncols; i++)
		put_value(x, &x->k->cols[i], &x->k->spec->fields[i],
			  json_object_get(j, x->k->cols[i].field));
	json_decref(j);
	sink_end_row(x->sink);
	x->seen++;
	return x->sink->err;
}

static enum err count_row(void *arg, const void *row, bool masked)
{
	(void)arg, (void)row, (void)masked;
	return ERR_OK;
}

/* A row from the store: masked as the list view masks it. */
static enum err export_db_row(void *arg, const void *row)
{
	struct exp *x = arg;
	bool masked = false;
	if (x->k->scope && !strcmp(x->k->scope, "mentor"))
		masked = auth_masks(x->a, "mentor", ((const struct mentor *)row)->id);
	else if (x->k->scope && !strcmp(x->k->scope, "mentee"))
		masked = auth_masks(x->a, "mentee", ((const struct mentee *)row)->id);
	return export_row(arg, row, masked);
}

static enum err export_list(struct service *s, const struct actor *a, const struct xkind *k,
			    const struct svc_list_args *la, struct sink *sink, struct errinfo *ei)
{
	struct exp x;
	memset(&x, 0, sizeof x);
	x.k = k;
	x.sink = sink;
	struct store_conn *c = store_acquire(s->store);
	enum err e = xfer_vocab_load(c, &x.voc);
	store_release(s->store, c);
	if (e)
		return svc_db_fail(NULL, e, "export vocab", ei);
	header_row(sink, k);
	if (sink->xlsx) {
		worksheet_freeze_panes(sink->ws, 1, 0);
		worksheet_set_column(sink->ws, 0, (lxw_col_t)(k->ncols - 1), XLSX_WIDTH, NULL);
	}
	struct svc_list_args page = *la;
	page.limit = LIMIT_PAGE_SIZE;
	if (k->db_list) {
		/* The list view itself first (one row): it validates the
		 * filters and the jurisdiction, and audits a refusal. Then the
		 * same query, scoped the same way, in one statement: paging
		 * with OFFSET would make a large export quadratic. */
		int64_t total = 0;
		page.limit = 1;
		e = k->list(s, a, &page, count_row, NULL, &total, ei);
		if (!e) {
			c = store_acquire(s->store);
			struct list_query q;
			e = svc_list_scope(s, c, a, la, k->scope, &q, ei);
			if (!e) {
				x.a = a;
				q.limit = INT32_MAX;
				q.offset = 0;
				q.sort = 0;
				q.desc = false;
				e = k->db_list(c, &q, export_db_row, &x, &total);
				if (e && !sink->err)
					e = svc_db_fail(c, e, "export", ei);
			}
			store_release(s->store, c);
		}
	} else {
		for (page.offset = 0;; page.offset += LIMIT_PAGE_SIZE) {
			int64_t total = 0;
			size_t before = x.seen;
			e = k->list(s, a, &page, export_row, &x, &total, ei);
			if (e || sink->err)
				break;
			if (x.seen - before < LIMIT_PAGE_SIZE || (int64_t)x.seen >= total)
				break;
		}
	}
	if (!e && sink->xlsx && sink->row > 1)
		worksheet_autofilter(sink->ws, 0, 0, sink->row - 1, (lxw_col_t)(k->ncols - 1));
	xfer_vocab_release(&x.voc);
	return e ? e : sink->err;
}

/* ---- statistics ----------------------------------------------------------- */

static const struct {
	const char *key, *label;
} stat_labels[] = {
	{"mentors", "导师"},
	{"mentees", "帮带对象"},
	{"organisations", "党组织"},
	{"mentor_orgs", "帮带党组织"},
	{"menus", "菜单"},
	{"outcomes", "成效"},
	{"by_source", "按来源类型"},
	{"by_tier", "按导师库层级"},
	{"by_team_type", "按三型"},
	{"by_status", "按状态"},
	{"by_county", "按县(区)"},
	{"by_category", "按人员类别"},
	{"by_kind", "按对象类型"},
	{"by_stars", "按星级"},
	{"total", "合计"},
	{"weak_lax", "软弱涣散"},
	{"lagging", "后进"},
	{"demonstration", "示范村"},
	{"weak_economy", "集体经济薄弱"},
	{"three_star_and_above", "三星及以上"},
	{"rectified", "软弱涣散已整顿"},
	{"upgraded", "后进已晋位"},
	{"demonstration_village_pct", "示范村比例(%)"},
	{"organisations_helped", "受帮带组织"},
	{"scope", "范围"},
};

static const char *stat_label(const char *key)
{
	for (size_t i = 0; i < sizeof stat_labels / sizeof stat_labels[0]; i++)
		if (!strcmp(stat_labels[i].key, key))
			return stat_labels[i].label;
	return key;
}

/* The name of a group key: vocabulary, value table or region. */
static const char *group_name(struct store_conn *c, const struct xfer_vocab *voc,
			      const char *group, const char *key, char *buf, size_t n)
{
	if (!strcmp(group, "by_source"))
		return xfer_vocab_name(voc, "source", key);
	if (!strcmp(group, "by_category"))
		return xfer_vocab_name(voc, "category", key);
	if (!strcmp(group, "by_tier"))
		return xfer_enum_name("tier", key);
	if (!strcmp(group, "by_team_type"))
		return xfer_enum_name("team_type", key);
	if (!strcmp(group, "by_status"))
		return xfer_enum_name("mstatus", key);
	if (!strcmp(group, "by_kind"))
		return xfer_enum_name("mentee_kind", key);
	if (!strcmp(group, "by_stars")) {
		snprintf(buf, n, "%s 星", key);
		return buf;
	}
	if (!strcmp(group, "by_county")) {
		struct region r;
		if (!db_region_get_by_code(c, key, &r)) {
			snprintf(buf, n, "%s", r.name);
			return buf;
		}
	}
	return key;
}

static void stat_row(struct sink *k, const char *a, const char *b, json_t *v)
{
	sink_text(k, a);
	sink_text(k, b);
	if (json_is_number(v))
		sink_number(k, json_number_value(v));
	else
		sink_text(k, json_is_string(v) ? json_string_value(v) : "");
	sink_end_row(k);
}

static enum err export_stats(struct service *s, const struct actor *a,
			     const struct svc_list_args *la, struct sink *sink, struct errinfo *ei)
{
	json_t *st;
	enum err e = svc_stats(s, a, la->region, &st, ei);
	if (e)
		return e;
	struct xfer_vocab voc;
	struct store_conn *c = store_acquire(s->store);
	e = xfer_vocab_load(c, &voc);
	if (e) {
		store_release(s->store, c);
		json_decref(st);
		return svc_db_fail(NULL, e, "export vocab", ei);
	}
	sink_text(sink, "分类");
	sink_text(sink, "项目");
	sink_text(sink, "数值");
	sink_end_row(sink);
	if (sink->xlsx)
		worksheet_set_column(sink->ws, 0, 2, 24, NULL);
	const char *key;
	json_t *v;
	json_object_foreach(st, key, v) {
		if (!json_is_object(v)) {
			stat_row(sink, stat_label(key), "", v);
			continue;
		}
		const char *k2;
		json_t *v2;
		json_object_foreach(v, k2, v2) {
			if (!json_is_object(v2)) {
				stat_row(sink, stat_label(key), stat_label(k2), v2);
				continue;
			}
			char cat[200];
			snprintf(cat, sizeof cat, "%s·%s", stat_label(key), stat_label(k2));
			const char *k3;
			json_t *v3;
			json_object_foreach(v2, k3, v3) {
				char buf[M_NAME];
				stat_row(sink, cat, group_name(c, &voc, k2, k3, buf, sizeof buf), v3);
			}
		}
	}
	store_release(s->store, c);
	xfer_vocab_release(&voc);
	json_decref(st);
	return sink->err;
}

/* ---- lists the service answers as JSON (pairings, due list, 红黄榜) ---- */

static const struct {
	const char *key, *label;
} json_labels[] = {
	{"id", "编号"},          {"pairing", "帮带对子"},  {"kind", "类型"},
	{"mode", "模式"},        {"origin", "来源"},       {"status", "状态"},
	{"region", "所属地区"},  {"region_name", "地区名称"}, {"name", "名称"},
	{"mentor", "导师"},      {"mentors", "导师"},      {"mentee", "帮带对象"},
	{"mentees", "帮带对象"}, {"due", "到期日"},        {"overdue_days", "逾期天数"},
	{"overdue", "逾期"},     {"title", "事项"},        {"score", "得分"},
	{"grade", "等级"},       {"level", "层级"},        {"created_at", "创建时间"},
	{"updated_at", "更新时间"}, {"started_on", "开始日期"}, {"ended_on", "结束日期"},
	{"township", "乡镇"},    {"count", "数量"},        {"code", "代码"},
	{"period", "期间"},      {"item", "条目"},         {"rank", "名次"},
	{"average_score", "平均分"}, {"evaluations", "考评次数"}, {"run", "匹配批次"},
	{"mentor_confirmed", "导师确认"}, {"mentee_confirmed", "对象确认"},
	{"version", "版本"},
};

static const char *json_label(const char *key)
{
	for (size_t i = 0; i < sizeof json_labels / sizeof json_labels[0]; i++)
		if (!strcmp(json_labels[i].key, key))
			return json_labels[i].label;
	return key;
}

/* One JSON value as a cell: numbers as numbers, arrays of scalars joined
 * with 、, anything else nested as compact JSON text. */
static void json_cell(struct sink *k, json_t *v)
{
	if (!v || json_is_null(v)) {
		sink_text(k, "");
	} else if (json_is_string(v)) {
		sink_text(k, json_string_value(v));
	} else if (json_is_number(v)) {
		sink_number(k, json_number_value(v));
	} else if (json_is_boolean(v)) {
		sink_text(k, json_is_true(v) ? "是" : "否");
	} else {
		bool scalars = json_is_array(v);
		size_t i;
		json_t *it;
		json_array_foreach(v, i, it) scalars = scalars && !json_is_object(it) && !json_is_array(it);
		struct buf b;
		buf_init(&b, 1 << 20);
		if (scalars) {
			json_array_foreach(v, i, it) {
				if (i)
					buf_puts(&b, "、");
				if (json_is_string(it))
					buf_puts(&b, json_string_value(it));
				else
					buf_printf(&b, "%g", json_number_value(it));
			}
		} else {
			char *d = json_dumps(v, JSON_COMPACT);
			buf_puts(&b, d ? d : "");
			free(d);
		}
		sink_text(k, b.data ? b.data : "");
		buf_release(&b);
	}
}

/*
 * Write `rows` (an array of objects) as a table: the columns are every
 * key met, in the order first met; `pre`/`prev` (may be NULL) are a
 * leading column and its value for every row (e.g. 榜: 红榜).
 */
static void json_table(struct sink *k, json_t *keys, json_t *rows, const char *pre,
		       const char *prev, bool header)
{
	if (header) {
		if (pre)
			sink_text(k, pre);
		size_t i;
		json_t *key;
		json_array_foreach(keys, i, key) sink_text(k, json_label(json_string_value(key)));
		sink_end_row(k);
	}
	size_t r;
	json_t *row;
	json_array_foreach(rows, r, row) {
		if (pre)
			sink_text(k, prev);
		size_t i;
		json_t *key;
		json_array_foreach(keys, i, key) json_cell(k, json_object_get(row, json_string_value(key)));
		sink_end_row(k);
	}
}

static void json_keys(json_t *keys, json_t *rows)
{
	size_t r;
	json_t *row;
	json_array_foreach(rows, r, row) {
		const char *key;
		json_t *v;
		json_object_foreach(row, key, v) {
			bool seen = false;
			size_t i;
			json_t *k;
			json_array_foreach(keys, i, k) seen = seen || !strcmp(json_string_value(k), key);
			if (!seen)
				json_array_append_new(keys, json_string(key));
		}
	}
}

static enum err export_json(struct service *s, const struct actor *a, const char *kind,
			    const struct svc_list_args *la, const struct svc_export_range *range,
			    struct sink *sink, struct errinfo *ei)
{
	static const struct svc_export_range none;
	if (!range)
		range = &none;
	json_t *rows = json_array(), *doc = NULL;
	enum err e = ERR_OK;
	if (!strcmp(kind, "pairings")) {
		struct svc_list_args page = *la;
		page.limit = LIMIT_PAGE_SIZE;
		for (page.offset = 0;; page.offset += LIMIT_PAGE_SIZE) {
			json_t *j = NULL;
			if ((e = svc_pairing_list(s, a, &page, &j, ei)))
				break;
			json_t *items = json_object_get(j, "items");
			size_t n = json_array_size(items);
			json_array_extend(rows, items);
			json_int_t total = json_integer_value(json_object_get(j, "total"));
			json_decref(j);
			if (n < LIMIT_PAGE_SIZE || (json_int_t)json_array_size(rows) >= total)
				break;
		}
	} else if (!strcmp(kind, "due")) {
		if (!(e = svc_due_list(s, a, la->region, range->date, &doc, ei)))
			json_array_extend(rows, json_object_get(doc, "items"));
	} else {
		struct svc_life_range r;
		memset(&r, 0, sizeof r);
		snprintf(r.from, sizeof r.from, "%s", range->from);
		snprintf(r.to, sizeof r.to, "%s", range->to);
		e = svc_rankings(s, a, la->region, &r, &doc, ei);
	}
	if (!e) {
		json_t *keys = json_array();
		if (doc && !strcmp(kind, "rankings")) {
			/* {red: {pairings: [...], townships: [...]}, yellow: {...}} */
			static const char *const boards[][2] = {{"red", "红榜"}, {"yellow", "黄榜"}};
			static const char *const parts[][2] = {{"pairings", "帮带对子"},
							       {"townships", "乡镇"}};
			for (int p = 0; p < 2; p++) {
				json_t *k2 = json_array();
				for (int b = 0; b < 2; b++)
					json_keys(k2, json_object_get(json_object_get(doc, boards[b][0]),
								      parts[p][0]));
				for (int b = 0; b < 2; b++) {
					char label[64];
					snprintf(label, sizeof label, "%s·%s", boards[b][1], parts[p][1]);
					json_table(sink, k2,
						   json_object_get(json_object_get(doc, boards[b][0]),
								   parts[p][0]),
						   "榜", label, b == 0);
				}
				sink_end_row(sink);
				json_decref(k2);
			}
		} else {
			json_keys(keys, rows);
			json_table(sink, keys, rows, NULL, NULL, true);
		}
		json_decref(keys);
	}
	json_decref(rows);
	json_decref(doc);
	return e ? e : sink->err;
}

/* ---- the entry points ----------------------------------------------------- */

enum err svc_export(struct service *s, const struct actor *a, const char *kind,
		    const char *format, const struct svc_list_args *la,
		    const struct svc_export_range *range, struct buf *out, struct errinfo *ei)
{
	bool stats = !strcmp(kind, "stats");
	bool js = !strcmp(kind, "pairings") || !strcmp(kind, "due") || !strcmp(kind, "rankings");
	const struct xkind *k = stats || js ? NULL : xfer_kind(kind);
	if (!stats && !js && !k)
		return errinfo_set(ei, ERR_NOT_FOUND, "kind", "不能导出这类数据 (cannot export %s)",
				   kind);
	if (strcmp(format, "xlsx") && strcmp(format, "csv"))
		return errinfo_set(ei, ERR_INVALID, "format", "格式应为 xlsx 或 csv");
	struct sink sink;
	char path[512];
	const char *title = k ? k->title
			    : !strcmp(kind, "pairings") ? "帮带对子"
			    : !strcmp(kind, "due")	 ? "到期事项"
			    : !strcmp(kind, "rankings") ? "红黄榜"
							 : "统计";
	enum err e = sink_open(&sink, format, title, out, true, path, sizeof path);
	if (e)
		return errinfo_set(ei, e, NULL, "无法创建文件 (cannot create the file)");
	e = k ? export_list(s, a, k, la, &sink, ei)
	    : js ? export_json(s, a, kind, la, range, &sink, ei)
		 : export_stats(s, a, la, &sink, ei);
	enum err e2 = sink_close(&sink, path, out, !e);
	if (!e && e2 == ERR_TOO_LARGE)
		return errinfo_set(ei, ERR_TOO_LARGE, NULL, "导出文件过大,请缩小范围 (export too large)");
	if (!e && e2)
		return errinfo_set(ei, e2, NULL, "无法写出文件 (cannot write the file)");
	return e;
}

/* An example region of the caller's for a template: a township (a
 * village for organisations), else anything. */
struct pick {
	char code[M_CODE];
};

static enum err pick_region(void *arg, const void *row, bool masked)
{
	(void)masked;
	struct pick *p = arg;
	if (!p->code[0])
		snprintf(p->code, sizeof p->code, "%s", ((const struct region *)row)->code);
	return ERR_OK;
}

static void example_region(struct service *s, const struct actor *a, int level, char *out,
			   size_t n)
{
	struct svc_list_args la;
	memset(&la, 0, sizeof la);
	la.limit = 1;
	struct pick p = {""};
	struct errinfo ei;
	int64_t total;
	for (int l = level; l >= 1 && !p.code[0]; l--) {
		la.level = l;
		svc_region_list(s, a, &la, pick_region, &p, &total, &ei);
	}
	snprintf(out, n, "%s", p.code);
}

/* The example of column c, as text ("" for none). */
static void example(const struct xcol *c, const struct xfer_vocab *voc, const char *region,
		    const char *kind, char *out, size_t n)
{
	out[0] = '\0';
	if (c->example) {
		snprintf(out, n, "%s", c->example);
		return;
	}
	if (c->type == XC_REGION) {
		snprintf(out, n, "%s", region);
		return;
	}
	if (!strcmp(kind, "regions") && !strcmp(c->field, "code")) {
		snprintf(out, n, "%s901", region);
		return;
	}
	if (c->type == XC_VOCAB || c->type == XC_TAGS) {
		int found = 0;
		size_t o = 0;
		for (size_t i = 0; i < voc->n && found < (c->type == XC_TAGS ? 2 : 1); i++)
			if (!strcmp(voc->v[i].kind, c->arg)) {
				int k = snprintf(out + o, n - o, "%s%s", found ? "、" : "", voc->v[i].name);
				if (k < 0 || (size_t)k >= n - o)
					break;
				o += (size_t)k;
				found++;
			}
	}
}

enum err svc_import_template(struct service *s, const struct actor *a, const char *kind,
			     struct buf *out, struct errinfo *ei)
{
	const struct xkind *k = xfer_kind(kind);
	if (!k || !k->import)
		return errinfo_set(ei, ERR_NOT_FOUND, "kind", "没有这类导入模板 (no template for %s)",
				   kind);
	if (a && !role_is_admin(a->role))
		return svc_deny(s, NULL, a, "import template", ei);
	struct xfer_vocab voc;
	struct store_conn *c = store_acquire(s->store);
	enum err e = xfer_vocab_load(c, &voc);
	store_release(s->store, c);
	if (e)
		return svc_db_fail(NULL, e, "template vocab", ei);
	char region[M_CODE] = "";
	if (a)
		example_region(s, a, !strcmp(kind, "organisations") ? 4 : 3, region, sizeof region);
	struct sink sink;
	char path[512];
	if ((e = sink_open(&sink, "xlsx", k->title, out, false, path, sizeof path))) {
		xfer_vocab_release(&voc);
		return errinfo_set(ei, e, NULL, "无法创建文件 (cannot create the file)");
	}
	lxw_worksheet *opts = workbook_add_worksheet(sink.wb, "选项");
	lxw_worksheet *help = workbook_add_worksheet(sink.wb, "说明");
	lxw_format *text = workbook_add_format(sink.wb), *req = workbook_add_format(sink.wb);
	format_set_num_format(text, "@");
	format_set_bold(req);
	format_set_font_color(req, LXW_COLOR_RED);
	worksheet_write_string(help, 0, 0, "列名", sink.bold);
	worksheet_write_string(help, 0, 1, "字段", sink.bold);
	worksheet_write_string(help, 0, 2, "必填", sink.bold);
	worksheet_write_string(help, 0, 3, "说明", sink.bold);
	worksheet_set_column(help, 0, 3, 22, NULL);
	lxw_col_t col = 0, optcol = 0;
	lxw_row_t hrow = 1;
	for (int i = 0; i < k->ncols && !sink.err; i++) {
		const struct xcol *xc = &k->cols[i];
		const struct field *f = &k->spec->fields[i];
		if (xc->type == XC_OUTPUT)
			continue;
		bool required = (f->flags & F_REQUIRED) &&
				!(!strcmp(kind, "mentees") && !strcmp(f->name, "kind"));
		worksheet_write_string(sink.ws, 0, col, xc->header, required ? req : sink.bold);
		char ex[400];
		example(xc, &voc, region, kind, ex, sizeof ex);
		if (ex[0])
			worksheet_write_string(sink.ws, 1, col, ex, NULL);
		bool as_text = xc->type == XC_PHONE || xc->type == XC_IDNO || xc->type == XC_REGION ||
			       xc->type == XC_TEXT;
		worksheet_set_column(sink.ws, col, col, XLSX_WIDTH + (as_text ? 4 : 0),
				     as_text ? text : NULL);
		/* A list to pick from: values of a table or a vocabulary. */
		lxw_row_t nopt = 0;
		char note[600] = "";
		if (xc->type == XC_ENUM || xc->type == XC_BOOL || xc->type == XC_GENDER ||
		    xc->type == XC_VOCAB || xc->type == XC_TAGS) {
			worksheet_write_string(opts, 0, optcol, xc->header, sink.bold);
			if (xc->type == XC_ENUM) {
				for (int v = 0; xfer_enum_nth(xc->arg, v); v++)
					worksheet_write_string(opts, ++nopt, optcol,
							       xfer_enum_nth(xc->arg, v), NULL);
			} else if (xc->type == XC_BOOL || xc->type == XC_GENDER) {
				worksheet_write_string(opts, ++nopt, optcol,
						       xc->type == XC_BOOL ? "是" : "男", NULL);
				worksheet_write_string(opts, ++nopt, optcol,
						       xc->type == XC_BOOL ? "否" : "女", NULL);
			} else {
				for (size_t v = 0; v < voc.n; v++)
					if (!strcmp(voc.v[v].kind, xc->arg))
						worksheet_write_string(opts, ++nopt, optcol,
								       voc.v[v].name, NULL);
			}
			char ref[8], formula[96];
			sheet_col_name(optcol, ref, sizeof ref);
			snprintf(formula, sizeof formula, "='选项'!$%s$2:$%s$%u", ref, ref,
				 (unsigned)nopt + 1);
			if (xc->type != XC_TAGS && nopt > 0) {
				lxw_data_validation dv;
				memset(&dv, 0, sizeof dv);
				dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
				dv.value_formula = formula;
				dv.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
				dv.error_title = "无效的取值";
				dv.error_message = "请从下拉列表中选择 (pick a value from the list)";
				worksheet_data_validation_range(sink.ws, 1, col, 10000, col, &dv);
				snprintf(note, sizeof note, "从下拉列表选择,见“选项”表");
			} else if (xc->type == XC_TAGS) {
				snprintf(note, sizeof note,
					 "可填多个,用顿号“、”分隔;可选值见“选项”表");
			}
			optcol++;
		} else if (xc->type == XC_REGION) {
			snprintf(note, sizeof note, "地区代码,或地区名称(不唯一时写 上级/名称)");
		} else if (xc->type == XC_ORG) {
			snprintf(note, sizeof note, "组织名称或组织编号");
		} else if (xc->type == XC_PHONE) {
			snprintf(note, sizeof note, "11 位手机号;与身份证号一起用于识别已有人员");
		} else if (xc->type == XC_IDNO) {
			snprintf(note, sizeof note, "18 位身份证号,请保持文本格式");
		} else if (xc->type == XC_YEAR) {
			snprintf(note, sizeof note, "年份,如 1975;日期亦可");
		}
		worksheet_write_string(help, hrow, 0, xc->header, NULL);
		worksheet_write_string(help, hrow, 1, xc->field, NULL);
		worksheet_write_string(help, hrow, 2, required ? "是" : "否", NULL);
		if (note[0])
			worksheet_write_string(help, hrow, 3, note, NULL);
		hrow++;
		col++;
	}
	worksheet_write_string(help, hrow + 1, 0,
			       "红色列名为必填列;第 2 行为示例,导入前请删除或替换。"
			       "已有的人员按身份证号、手机号(或同一地区的姓名)更新,重复导入不会重复新增。",
			       NULL);
	worksheet_freeze_panes(sink.ws, 1, 0);
	worksheet_hide(opts);
	xfer_vocab_release(&voc);
	e = sink_close(&sink, path, out, true);
	if (e)
		return errinfo_set(ei, e, NULL, "无法写出模板 (cannot write the template)");
	return ERR_OK;
}
