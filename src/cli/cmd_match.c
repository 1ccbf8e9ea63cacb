/*
 * cmd_match.c — `bangdai match run|show|list|approve|discard`: matching
 * runs from the command line, as the operator (who may act anywhere).
 * Prints JSON on standard output. Layer: cli.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/service.h"

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-')
		return false;
	*out = v;
	return true;
}

int cmd_match(const struct cli_args *a)
{
	static const char *const known[] = {"db", "region", "method", "seed", "reach-km", "k",
					    "parent", "run", NULL};
	static const char *const flags[] = {"wider", NULL};
	if (a->argc < 1) {
		fprintf(stderr, "bangdai match: run, show, list, approve or discard (see --help)\n");
		return EXIT_USAGE;
	}
	const char *sub = a->argv[0];
	struct cli_args rest = {a->argc - 1, a->argv + 1};
	if (!cli_check(&rest, "match", known, flags))
		return EXIT_USAGE;
	struct svc_match_request rq;
	memset(&rq, 0, sizeof rq);
	rq.seed = 1;
	uint64_t run = 0, v;
	const char *o;
	if ((o = cli_opt(&rest, "run")) && !parse_u64(o, &run)) {
		fprintf(stderr, "bangdai match: --run takes a run id\n");
		return EXIT_USAGE;
	}
	if (!strcmp(sub, "run")) {
		const char *region = cli_opt(&rest, "region"), *method = cli_opt(&rest, "method");
		if (!region || !method || strlen(region) >= sizeof rq.region ||
		    strlen(method) >= sizeof rq.method) {
			fprintf(stderr, "bangdai match run: --region CODE and --method auto|menu|team|groups are required\n");
			return EXIT_USAGE;
		}
		snprintf(rq.region, sizeof rq.region, "%s", region);
		snprintf(rq.method, sizeof rq.method, "%s", method);
		if ((o = cli_opt(&rest, "seed")) && !parse_u64(o, &rq.seed)) {
			fprintf(stderr, "bangdai match run: --seed takes a non-negative integer\n");
			return EXIT_USAGE;
		}
		if ((o = cli_opt(&rest, "k"))) {
			if (!parse_u64(o, &v) || v > 1000) {
				fprintf(stderr, "bangdai match run: --k takes 0..1000\n");
				return EXIT_USAGE;
			}
			rq.k = (unsigned)v;
		}
		if ((o = cli_opt(&rest, "reach-km"))) {
			char *end;
			rq.reach_km = strtod(o, &end);
			if (end == o || *end || !(rq.reach_km > 0 && rq.reach_km <= 5000)) {
				fprintf(stderr, "bangdai match run: --reach-km takes 0..5000\n");
				return EXIT_USAGE;
			}
		}
		if ((o = cli_opt(&rest, "parent"))) {
			if (!parse_u64(o, &v) || v == 0) {
				fprintf(stderr, "bangdai match run: --parent takes a run id\n");
				return EXIT_USAGE;
			}
			rq.parent_run = (int64_t)v;
		}
		rq.wider = cli_opt(&rest, "wider") != NULL;
	} else if (strcmp(sub, "list") && !run) {
		fprintf(stderr, "bangdai match %s: --run ID is required\n", sub);
		return EXIT_USAGE;
	} else if (strcmp(sub, "list") && strcmp(sub, "show") && strcmp(sub, "approve") &&
		   strcmp(sub, "discard")) {
		fprintf(stderr, "bangdai match: unknown subcommand '%s'\n", sub);
		return EXIT_USAGE;
	}
	struct service *s;
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = service_open(cli_db(&rest), 1, &s, &ei);
	if (e)
		return cli_fail("match", e, &ei);
	/* The operator at the machine: a city admin over the whole tree. */
	struct actor op;
	memset(&op, 0, sizeof op);
	op.role = ROLE_CITY_ADMIN;
	snprintf(op.login, sizeof op.login, "%s", "(cli)");
	snprintf(op.region_path, sizeof op.region_path, "%s", "/");
	json_t *out = NULL;
	if (!strcmp(sub, "run"))
		e = svc_match_run_create(s, NULL, &rq, &out, &ei);
	else if (!strcmp(sub, "show"))
		e = svc_match_run_get(s, &op, (int64_t)run, &out, &ei);
	else if (!strcmp(sub, "list")) {
		struct svc_list_args la;
		memset(&la, 0, sizeof la);
		la.limit = 500;
		e = svc_match_run_list(s, &op, &la, &out, &ei);
	} else
		e = svc_match_run_decide(s, NULL, (int64_t)run, !strcmp(sub, "approve"), &out, &ei);
	service_close(s);
	if (e)
		return cli_fail("match", e, &ei);
	json_dumpf(out, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
	fputc('\n', stdout);
	json_decref(out);
	return EXIT_OK;
}
