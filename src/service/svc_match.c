/*
 * svc_match.c — the matching engine as the service offers it.
 * Layer: service.
 */
#include "match/match.h"
#include "service/internal.h"

enum err svc_match_file(const char *path, FILE *out, struct errinfo *ei)
{
	return match_file_run(path, out, ei);
}
