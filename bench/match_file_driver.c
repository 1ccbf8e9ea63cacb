/*
 * match_file_driver.c — stand-in for `bangdai match-file FILE` until the
 * CLI dispatch exists: calls match_file_run() and reports errors on stderr
 * with a non-zero exit, like the real command will.
 * Build: cc -O2 -Isrc bench/match_file_driver.c build/libbangdai.a -lm
 */
#include <stdio.h>

#include "match/match.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE|-\n", argv[0]);
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
