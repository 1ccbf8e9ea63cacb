/*
 * cmd_match_file.c — `bangdai match-file FILE|-`: solve an instance file
 * and print exactly its answer on standard output. Layer: cli.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "service/service.h"

int cmd_match_file(const struct cli_args *a)
{
	if (a->argc != 1) {
		fprintf(stderr, "usage: bangdai match-file FILE|-\n");
		return EXIT_USAGE;
	}
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = svc_match_file(a->argv[0], stdout, &ei);
	if (fflush(stdout) != 0 && !e)
		e = ERR_IO;
	if (e)
		return cli_fail("match-file", e, &ei);
	return EXIT_OK;
}
