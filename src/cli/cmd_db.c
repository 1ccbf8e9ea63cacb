/*
 * cmd_db.c — `bangdai init` and `bangdai demo`. Layer: cli.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "service/demo.h"
#include "service/service.h"

int cmd_init(const struct cli_args *a)
{
	static const char *const known[] = {"db", NULL};
	if (!cli_check(a, "init", known, NULL))
		return EXIT_USAGE;
	struct service *s;
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = service_open(cli_db(a), 1, &s, &ei);
	if (e)
		return cli_fail("init", e, &ei);
	service_close(s);
	printf("initialised %s\n", cli_db(a));
	return EXIT_OK;
}

int cmd_demo(const struct cli_args *a)
{
	static const char *const known[] = {"db", "seed", NULL};
	if (!cli_check(a, "demo", known, NULL))
		return EXIT_USAGE;
	uint64_t seed = 1;
	const char *sv = cli_opt(a, "seed");
	if (sv) {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(sv, &end, 10);
		if (errno || end == sv || *end || sv[0] == '-') {
			fprintf(stderr, "bangdai demo: --seed must be a non-negative integer\n");
			return EXIT_USAGE;
		}
		seed = v;
	}
	struct service *s;
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = service_open(cli_db(a), 1, &s, &ei);
	if (e)
		return cli_fail("demo", e, &ei);
	e = svc_demo_load(s, seed, &ei);
	service_close(s);
	if (e)
		return cli_fail("demo", e, &ei);
	printf("demo programme written to %s (seed %llu)\n"
	       "logins: city_admin, county_admin (贺兰县), county_admin_lw (灵武市), "
	       "township_admin (习岗镇), mentor, mentee, auditor\n"
	       "password: %s\n",
	       cli_db(a), (unsigned long long)seed, DEMO_PASSWORD);
	return EXIT_OK;
}
