/*
 * cmd_life.c — `bangdai archive` and `bangdai due`: the growth archive of a
 * mentee as a PDF file, and the due list of a jurisdiction on a date as
 * JSON lines, as the operator at the machine (who may see everything).
 * Layer: cli. Both interfaces are relied on by outside checks: keep them.
 *
 *   bangdai archive --db PATH --mentee ID --out FILE.pdf
 *   bangdai due --db PATH --region CODE --date YYYY-MM-DD
 *     one JSON object per line: {"kind", "pairing", "due", "overdue_days", ...}
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/service.h"

static bool parse_id(const char *s, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v <= 0)
		return false;
	*out = v;
	return true;
}

int cmd_archive(const struct cli_args *a)
{
	static const char *const known[] = {"db", "mentee", "out", NULL};
	if (!cli_check(a, "archive", known, NULL))
		return EXIT_USAGE;
	const char *id_s = cli_opt(a, "mentee"), *path = cli_opt(a, "out");
	int64_t id;
	if (!id_s || !parse_id(id_s, &id) || !path || !path[0]) {
		fprintf(stderr, "bangdai archive: --mentee ID and --out FILE.pdf are required\n");
		return EXIT_USAGE;
	}
	struct service *s;
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = service_open(cli_db(a), 1, &s, &ei);
	if (e)
		return cli_fail("archive", e, &ei);
	struct buf b;
	buf_init(&b, (size_t)64 << 20);
	e = svc_archive_pdf(s, NULL, id, &b, &ei);
	service_close(s);
	if (e) {
		buf_release(&b);
		return cli_fail("archive", e, &ei);
	}
	FILE *f = fopen(path, "wb");
	bool ok = f && fwrite(b.data, 1, b.len, f) == b.len;
	if (f && fclose(f) != 0)
		ok = false;
	buf_release(&b);
	if (!ok) {
		fprintf(stderr, "bangdai archive: cannot write %s: %s\n", path, strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_due(const struct cli_args *a)
{
	static const char *const known[] = {"db", "region", "date", NULL};
	if (!cli_check(a, "due", known, NULL))
		return EXIT_USAGE;
	const char *region = cli_opt(a, "region"), *date = cli_opt(a, "date");
	if (!region || !region[0] || (date && !date[0])) {
		fprintf(stderr, "bangdai due: --region CODE is required (--date YYYY-MM-DD, default today)\n");
		return EXIT_USAGE;
	}
	struct service *s;
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = service_open(cli_db(a), 1, &s, &ei);
	if (e)
		return cli_fail("due", e, &ei);
	json_t *out = NULL;
	e = svc_due_list(s, NULL, region, date ? date : "", &out, &ei);
	service_close(s);
	if (e)
		return cli_fail("due", e, &ei);
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(out, "items"), i, it) {
		json_dumpf(it, stdout, JSON_COMPACT);
		fputc('\n', stdout);
	}
	json_decref(out);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}
