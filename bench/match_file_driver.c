/*
 * match_file_driver.c — stand-in for `bangdai match-file FILE` until the
 * CLI dispatch exists: calls match_file_run() and reports errors on stderr
 * with a non-zero exit, like the real command.
 *
 *   match_file_driver FILE|-
 *   match_file_driver --method auction|ssp FILE   (AS only: force a method,
 *                                                  to compare them)
 * Build: see bench/match-bench.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/match.h"

/* Solve an AS file with a given method, same output as match_file_run. */
static int run_method(const char *method, const char *path)
{
	enum match_as_method m = strcmp(method, "ssp") == 0 ? MATCH_AS_SSP : MATCH_AS_AUCTION;
	FILE *f = fopen(path, "rb");
	if (!f)
		return 1;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)len + 1);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len)
		return 1;
	fclose(f);
	struct match_instance in;
	struct errinfo ei;
	match_instance_init(&in);
	errinfo_clear(&ei);
	if (match_instance_parse(&in, buf, (size_t)len, &ei) || in.kind != MATCH_KIND_AS) {
		fprintf(stderr, "match-file: %s\n", ei.message[0] ? ei.message : "not an AS file");
		return 1;
	}
	free(buf);
	int32_t *a = malloc(sizeof *a * ((size_t)in.as.n_mentees + 1));
	struct match_as_result res;
	if (!a || match_as_solve(&in.as, NULL, m, a, &res, &ei))
		return 1;
	return match_result_write(stdout, MATCH_KIND_AS, in.as.n_mentees, a, &res) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--method") == 0)
		return run_method(argv[2], argv[3]);
	if (argc != 2) {
		fprintf(stderr, "usage: %s [--method auction|ssp] FILE|-\n", argv[0]);
		return 2;
	}
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = match_file_run(argv[1], stdout, &ei);
	if (e) {
		fprintf(stderr, "match-file: %s: %s\n", err_code(e), ei.message);
		return 1;
	}
	return 0;
}
