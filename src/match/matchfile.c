/*
 * matchfile.c — `bangdai match-file FILE` (layer: match). Owns reading one
 * instance file (or standard input) into memory, solving it and writing
 * exactly the FORMAT.md output. The CLI's dispatch calls match_file_run();
 * this file prints nothing else and never exits.
 */
#include "match/match.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/mem.h"

/* The largest input accepted: far above the national size (~400 MB). */
#define MATCH_FILE_MAX_BYTES ((size_t)8 << 30)

/* Read all of f into one owned buffer. */
static enum err slurp(FILE *f, const char *name, char **data, size_t *len,
		      struct errinfo *ei)
{
	struct stat st;
	size_t cap = 1 << 20, n = 0;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		cap = (size_t)st.st_size + 1;
	if (cap > MATCH_FILE_MAX_BYTES)
		return errinfo_set(ei, ERR_TOO_LARGE, "file", "%s: larger than %zu bytes",
				   name, MATCH_FILE_MAX_BYTES);
	char *buf = xmalloc(cap);
	for (;;) {
		if (n == cap) {
			if (cap >= MATCH_FILE_MAX_BYTES) {
				free(buf);
				return errinfo_set(ei, ERR_TOO_LARGE, "file",
						   "%s: larger than %zu bytes", name,
						   MATCH_FILE_MAX_BYTES);
			}
			cap *= 2;
			buf = xreallocarray(buf, cap, 1);
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				int err = errno;
				free(buf);
				return errinfo_set(ei, ERR_IO, "file", "%s: read error: %s",
						   name, strerror(err));
			}
			break;
		}
	}
	*data = buf;
	*len = n;
	return ERR_OK;
}

enum err match_file_run(const char *path_or_dash, FILE *out,
			struct errinfo *ei)
{
	struct match_instance in;
	char *data = NULL;
	size_t len = 0;
	int32_t *mentor_of = NULL;
	enum err e;

	match_instance_init(&in);
	if (strcmp(path_or_dash, "-") == 0) {
		e = slurp(stdin, "standard input", &data, &len, ei);
	} else {
		FILE *f = fopen(path_or_dash, "rb");
		if (!f)
			return errinfo_set(ei, ERR_IO, "file", "%s: %s", path_or_dash,
					   strerror(errno));
		e = slurp(f, path_or_dash, &data, &len, ei);
		fclose(f);
	}
	if (e)
		goto out;
	e = match_instance_parse(&in, data, len, ei);
	free(data);
	data = NULL;
	if (e)
		goto out;

	struct match_as_result res = {0, 0};
	uint32_t n = in.kind == MATCH_KIND_HR ? in.hr.n_mentees : in.as.n_mentees;
	mentor_of = xmalloc(xmul((size_t)n + 1, sizeof *mentor_of));
	if (in.kind == MATCH_KIND_HR)
		e = match_hr_solve(&in.hr, NULL, mentor_of, ei);
	else
		e = match_as_solve(&in.as, NULL, MATCH_AS_AUTO, mentor_of, &res, ei);
	if (e)
		goto out;
	/* The instance is no longer needed: free it before writing. */
	enum match_kind kind = in.kind;
	match_instance_release(&in);
	if ((e = match_result_write(out, kind, n, mentor_of, &res)))
		errinfo_set(ei, e, "output", "writing the result failed");
out:
	free(data);
	free(mentor_of);
	match_instance_release(&in);
	return e;
}
