/*
 * cmd_xfer.c — `bangdai import` and `bangdai export`: rosters in and out
 * as CSV or Excel. Layer: cli. The work is svc_import / svc_export; this
 * file reads and writes the files, draws a progress bar on a terminal
 * and prints the report. The operator of the machine acts without a
 * jurisdiction (as for `bangdai demo`).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/limits.h"
#include "service/service.h"

/* The first argument that is neither an option nor an option's value. */
static const char *positional(const struct cli_args *a, const char *const *flags)
{
	for (int i = 0; i < a->argc; i++) {
		const char *s = a->argv[i];
		if (strncmp(s, "--", 2) != 0)
			return s;
		bool flag = false;
		for (int k = 0; flags[k]; k++)
			flag = flag || !strcmp(s + 2, flags[k]);
		if (!flag)
			i++;
	}
	return NULL;
}

static int read_file(const char *cmd, const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "bangdai %s: cannot open %s\n", cmd, path);
		return EXIT_FAIL;
	}
	char chunk[65536];
	size_t n;
	int rc = EXIT_OK;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_append(out, chunk, n)) {
			fprintf(stderr, "bangdai %s: %s is larger than %u MiB\n", cmd, path,
				LIMIT_UPLOAD_BYTES >> 20);
			rc = EXIT_FAIL;
			break;
		}
	if (ferror(f)) {
		fprintf(stderr, "bangdai %s: cannot read %s\n", cmd, path);
		rc = EXIT_FAIL;
	}
	fclose(f);
	return rc;
}

static int write_file(const char *cmd, const char *path, const struct buf *b)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;
	if (!f || (b->len && fwrite(b->data, 1, b->len, f) != b->len) ||
	    (f != stdout ? fclose(f) : fflush(f)) != 0) {
		fprintf(stderr, "bangdai %s: cannot write %s\n", cmd, path);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* A bar on stderr, redrawn every 1000 rows. */
static void progress(void *arg, size_t done, size_t total)
{
	(void)arg;
	const int width = 30;
	int fill = total ? (int)((double)done / (double)total * width) : width;
	fprintf(stderr, "\r  [%.*s%*s] %3d%%  %zu/%zu", fill, "##############################",
		width - fill, "", total ? (int)(100.0 * (double)done / (double)total) : 100, done,
		total);
	if (done >= total)
		fputc('\n', stderr);
	fflush(stderr);
}

static void print_report(const json_t *r, bool commit, bool committed)
{
	printf("%s: %lld rows (%s, header on row %lld): %lld new, %lld changed, %lld unchanged, "
	       "%lld with errors\n",
	       committed ? "imported" : commit ? "NOT imported" : "dry run",
	       (long long)json_integer_value(json_object_get(r, "rows")),
	       json_string_value(json_object_get(r, "source")),
	       (long long)json_integer_value(json_object_get(r, "header_row")),
	       (long long)json_integer_value(json_object_get(r, "created")),
	       (long long)json_integer_value(json_object_get(r, "updated")),
	       (long long)json_integer_value(json_object_get(r, "unchanged")),
	       (long long)json_integer_value(json_object_get(r, "failed")));
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(r, "ignored_columns"), i, c)
		printf("  column %lld (%s) is not imported\n",
		       (long long)json_integer_value(json_object_get(c, "column")),
		       json_string_value(json_object_get(c, "header")));
	json_array_foreach(json_object_get(r, "errors"), i, c) {
		long long col = json_integer_value(json_object_get(c, "column"));
		const char *h = json_string_value(json_object_get(c, "header"));
		printf("  row %lld", (long long)json_integer_value(json_object_get(c, "row")));
		if (col)
			printf(", column %lld", col);
		if (h && h[0])
			printf(" (%s)", h);
		printf(": %s\n", json_string_value(json_object_get(c, "message")));
	}
	long long more = json_integer_value(json_object_get(r, "errors_not_listed"));
	if (more)
		printf("  ... and %lld more errors\n", more);
	if (!commit && !json_array_size(json_object_get(r, "errors")))
		printf("no errors: run again with --commit to import\n");
}

int cmd_import(const struct cli_args *a)
{
	static const char *const known[] = {"db", "kind", "errors", NULL};
	static const char *const flags[] = {"commit", "json", NULL};
	if (!cli_check(a, "import", known, flags))
		return EXIT_USAGE;
	const char *kind = cli_opt(a, "kind"), *path = positional(a, flags);
	if (!kind || !path) {
		fprintf(stderr, "bangdai import: needs --kind KIND and a FILE (see --help)\n");
		return EXIT_USAGE;
	}
	bool commit = cli_opt(a, "commit") != NULL, as_json = cli_opt(a, "json") != NULL;
	struct buf file;
	buf_init(&file, LIMIT_UPLOAD_BYTES);
	if (read_file("import", path, &file)) {
		buf_release(&file);
		return EXIT_FAIL;
	}
	struct service *s;
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = service_open(cli_db(a), 1, &s, &ei);
	if (e) {
		buf_release(&file);
		return cli_fail("import", e, &ei);
	}
	json_t *report = NULL;
	struct buf errs;
	buf_init(&errs, (size_t)256 << 20);
	const char *errors_path = cli_opt(a, "errors");
	e = svc_import(s, NULL, kind, file.data ? file.data : "", file.len, commit,
		       isatty(STDERR_FILENO) ? progress : NULL, NULL, &report,
		       errors_path ? &errs : NULL, &ei);
	service_close(s);
	buf_release(&file);
	int rc = EXIT_OK;
	if (report) {
		bool committed = json_is_true(json_object_get(report, "committed"));
		if (as_json) {
			char *j = json_dumps(report, JSON_INDENT(1));
			printf("%s\n", j ? j : "{}");
			free(j);
		} else {
			print_report(report, commit, committed);
		}
		if (json_array_size(json_object_get(report, "errors")))
			rc = EXIT_FAIL;
		if (errors_path && json_array_size(json_object_get(report, "errors")) &&
		    write_file("import", errors_path, &errs) == EXIT_OK)
			fprintf(stderr, "bangdai import: the bad rows are in %s\n", errors_path);
		json_decref(report);
	} else if (e) {
		rc = cli_fail("import", e, &ei);
	}
	buf_release(&errs);
	return rc;
}

int cmd_export(const struct cli_args *a)
{
	static const char *const known[] = {"db",     "kind",   "format", "out",    "region",
					    "q",      "status", "tier",   "source", "team_type",
					    "category", "domain", "kind-filter", "level", "flag",
					    NULL};
	if (!cli_check(a, "export", known, NULL))
		return EXIT_USAGE;
	const char *kind = cli_opt(a, "kind"), *format = cli_opt(a, "format"),
		   *out = cli_opt(a, "out");
	if (!kind || !out) {
		fprintf(stderr, "bangdai export: needs --kind KIND and --out FILE (see --help)\n");
		return EXIT_USAGE;
	}
	if (!format) {
		const char *dot = strrchr(out, '.');
		format = dot && !strcmp(dot, ".csv") ? "csv" : "xlsx";
	}
	struct svc_list_args la;
	memset(&la, 0, sizeof la);
	static const struct {
		const char *opt;
		size_t off, size;
	} text_opts[] = {
#define T(o, m) {o, offsetof(struct svc_list_args, m), sizeof(((struct svc_list_args *)0)->m)}
		T("region", region), T("q", q),           T("status", status),
		T("tier", tier),     T("source", source), T("team_type", team_type),
		T("category", category), T("domain", domain), T("kind-filter", kind),
#undef T
	};
	for (size_t i = 0; i < sizeof text_opts / sizeof text_opts[0]; i++) {
		const char *v = cli_opt(a, text_opts[i].opt);
		if (!v)
			continue;
		if (strlen(v) >= text_opts[i].size) {
			fprintf(stderr, "bangdai export: --%s is too long\n", text_opts[i].opt);
			return EXIT_USAGE;
		}
		memcpy((char *)&la + text_opts[i].off, v, strlen(v) + 1);
	}
	if (cli_opt(a, "level"))
		la.level = (int)strtol(cli_opt(a, "level"), NULL, 10);
	if (cli_opt(a, "flag"))
		la.flag = (int)strtol(cli_opt(a, "flag"), NULL, 10);
	struct service *s;
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = service_open(cli_db(a), 1, &s, &ei);
	if (e)
		return cli_fail("export", e, &ei);
	/* The operator: every region, nothing masked. */
	struct actor op;
	memset(&op, 0, sizeof op);
	op.role = ROLE_CITY_ADMIN;
	snprintf(op.login, sizeof op.login, "%s", "(cli)");
	snprintf(op.region_path, sizeof op.region_path, "%s", "/");
	struct buf b;
	buf_init(&b, (size_t)1 << 30);
	e = svc_export(s, &op, kind, format, &la, NULL, &b, &ei);
	service_close(s);
	int rc = e ? cli_fail("export", e, &ei) : write_file("export", out, &b);
	if (!rc && strcmp(out, "-"))
		fprintf(stderr, "bangdai export: wrote %s (%zu bytes)\n", out, b.len);
	buf_release(&b);
	return rc;
}
