/*
 * res_xfer.c — imports, import templates and exports (SPEC §7): the file
 * bytes in, reports and files out. Layer: api. One handler per shape;
 * the kind (and the export's format) come from the route's own path,
 * so the route table lists every kind explicitly.
 *
 *   POST /imports/{kind}?dry_run=true|false[&errors=csv]
 *        body: the CSV or .xlsx bytes (Content-Type text/csv or the
 *        .xlsx type). 200 with the report (a dry run, or a commit that
 *        imported every row); 422 {error, report} when a commit was
 *        refused because of bad rows (nothing imported); 400/413 when
 *        the file cannot be read. With errors=csv the answer is the
 *        error file itself (text/csv).
 *   GET  /imports/{kind}/template.xlsx
 *   GET  /exports/{kind}.xlsx | .csv  with the list's filters
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "api/internal.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* The path segment after `after` up to the next '/' or '.', into out. */
static void segment(const char *pattern, const char *after, char *out, size_t n)
{
	const char *p = strstr(pattern, after);
	p = p ? p + strlen(after) : "";
	snprintf(out, n, "%.*s", (int)strcspn(p, "/."), p);
}

static void attachment(struct api_ctx *x, const char *name)
{
	char v[160];
	snprintf(v, sizeof v, "attachment; filename=\"%s\"", name);
	msg_response_header(x->res, "Content-Disposition", v);
}

void api_import(struct api_ctx *x)
{
	char kind[32];
	segment(x->route->pattern, "/imports/", kind, sizeof kind);
	struct errinfo ei;
	errinfo_clear(&ei);
	const char *dry = x->req->query_get ? x->req->query_get(x->req->query_ctx, "dry_run") : NULL;
	const char *errs = x->req->query_get ? x->req->query_get(x->req->query_ctx, "errors") : NULL;
	if (dry && strcmp(dry, "true") && strcmp(dry, "false")) {
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "dry_run", "应为 true 或 false"), &ei);
		return;
	}
	if (errs && strcmp(errs, "csv")) {
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, "errors", "应为 csv"), &ei);
		return;
	}
	if (!x->req->body || !x->req->body_len) {
		api_reply_err(x, errinfo_set(&ei, ERR_INVALID, NULL,
					     "请求体应为 CSV 或 .xlsx 文件 (the body must be the file)"),
			      &ei);
		return;
	}
	bool commit = dry && !strcmp(dry, "false");
	json_t *report = NULL;
	struct buf csv;
	buf_init(&csv, x->res->body.max);
	enum err e = svc_import(x->svc, &x->actor, kind, x->req->body, x->req->body_len, commit,
				NULL, NULL, &report, errs ? &csv : NULL, &ei);
	if (errs && report) {
		/* The error file itself, whatever the outcome. */
		json_decref(report);
		buf_clear(&x->res->body);
		if (buf_append(&x->res->body, csv.data ? csv.data : "", csv.len)) {
			buf_release(&csv);
			api_reply_err(x, ERR_TOO_LARGE, NULL);
			return;
		}
		buf_release(&csv);
		x->res->status = 200;
		x->res->content_type = "text/csv; charset=utf-8";
		char name[64];
		snprintf(name, sizeof name, "%s-errors.csv", kind);
		attachment(x, name);
		return;
	}
	buf_release(&csv);
	if (!report) {
		api_reply_err(x, e, &ei);
		return;
	}
	if (e == ERR_OK) {
		api_reply_json(x, 200, report);
		return;
	}
	json_t *err = json_pack("{s:s, s:s, s:n}", "code", err_code(e), "message",
				ei.message[0] ? ei.message : "有错误 (errors)", "field");
	api_reply_json(x, api_status(e), json_pack("{s:o, s:o}", "error", err, "report", report));
}

void api_import_template(struct api_ctx *x)
{
	char kind[32], name[64];
	segment(x->route->pattern, "/imports/", kind, sizeof kind);
	struct errinfo ei;
	errinfo_clear(&ei);
	buf_clear(&x->res->body);
	enum err e = svc_import_template(x->svc, &x->actor, kind, &x->res->body, &ei);
	if (e) {
		api_reply_err(x, e, &ei);
		return;
	}
	x->res->status = 200;
	x->res->content_type = XLSX_TYPE;
	snprintf(name, sizeof name, "%s-template.xlsx", kind);
	attachment(x, name);
}

void api_export(struct api_ctx *x)
{
	char kind[32], name[64];
	segment(x->route->pattern, "/exports/", kind, sizeof kind);
	const char *dot = strrchr(x->route->pattern, '.');
	const char *format = dot ? dot + 1 : "xlsx";
	struct svc_list_args la;
	if (!api_list_args(x, &la))
		return;
	struct svc_export_range range;
	memset(&range, 0, sizeof range);
	static const struct {
		const char *key;
		size_t off;
	} dates[] = {{"date", offsetof(struct svc_export_range, date)},
		     {"from", offsetof(struct svc_export_range, from)},
		     {"to", offsetof(struct svc_export_range, to)}};
	struct errinfo ei;
	errinfo_clear(&ei);
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		const char *v = x->req->query_get ? x->req->query_get(x->req->query_ctx, dates[i].key)
						  : NULL;
		if (!v)
			continue;
		if (strlen(v) >= M_TIME) {
			api_reply_err(x, errinfo_set(&ei, ERR_INVALID, dates[i].key,
						     "日期格式应为 YYYY-MM-DD"), &ei);
			return;
		}
		memcpy((char *)&range + dates[i].off, v, strlen(v) + 1);
	}
	buf_clear(&x->res->body);
	enum err e = svc_export(x->svc, &x->actor, kind, format, &la, &range, &x->res->body, &ei);
	if (e) {
		api_reply_err(x, e, &ei);
		return;
	}
	x->res->status = 200;
	x->res->content_type = strcmp(format, "csv") ? XLSX_TYPE : "text/csv; charset=utf-8";
	snprintf(name, sizeof name, "%s.%s", kind, format);
	attachment(x, name);
}
