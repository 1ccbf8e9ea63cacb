/*
 * cmd_serve.c — `bangdai serve`: the composition point that wires the
 * service, the API and the HTTP transport (the one place the cli touches
 * http; see scripts/check-style). Runs until SIGINT or SIGTERM.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "cli/cli.h"
#include "core/log.h"
#include "http/server.h"
#include "service/service.h"

static bool parse_uint(const char *s, unsigned max, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max || s[0] == '-')
		return false;
	*out = (unsigned)v;
	return true;
}

int cmd_serve(const struct cli_args *a)
{
	static const char *const known[] = {"db", "listen", "web", "threads", "port-file",
					    "idle-timeout", NULL};
	static const char *const flags[] = {"secure-cookie", NULL};
	if (!cli_check(a, "serve", known, flags))
		return EXIT_USAGE;
	struct http_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.listen = cli_opt(a, "listen") ? cli_opt(a, "listen") : "127.0.0.1:8080";
	const char *web = cli_opt(a, "web");
	struct stat st;
	if (!web && stat("web/index.html", &st) == 0)
		web = "web";
	cfg.web_root = web;
	if (cli_opt(a, "threads") && !parse_uint(cli_opt(a, "threads"), 64, &cfg.threads)) {
		fprintf(stderr, "bangdai serve: --threads takes 0..64\n");
		return EXIT_USAGE;
	}
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = cfg.threads ? cfg.threads : (unsigned)(ncpu > 0 ? ncpu : 2);
	cfg.workers = 2;
	/* Seconds a connection may stay idle or take to send its headers. */
	if (cli_opt(a, "idle-timeout") &&
	    (!parse_uint(cli_opt(a, "idle-timeout"), 3600, &cfg.idle_seconds) ||
	     !cfg.idle_seconds)) {
		fprintf(stderr, "bangdai serve: --idle-timeout takes 1..3600 seconds\n");
		return EXIT_USAGE;
	}

	/* Block the stop signals before any thread starts, so only
	 * sigwait below sees them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct service *s;
	struct errinfo ei;
	errinfo_clear(&ei);
	/* One connection per thread that can run a request at once. */
	enum err e = service_open(cli_db(a), threads + cfg.workers + 1, &s, &ei);
	if (e)
		return cli_fail("serve", e, &ei);
	struct api *api = api_new(s);
	api_set_cookie_secure(api, cli_opt(a, "secure-cookie") != NULL);
	struct http_server *srv;
	e = http_start(&cfg, api_handler(api), &srv, &ei);
	if (e) {
		api_free(api);
		service_close(s);
		return cli_fail("serve", e, &ei);
	}
	const char *pf = cli_opt(a, "port-file");
	if (pf) {
		char tmp[4096];
		snprintf(tmp, sizeof tmp, "%s.tmp", pf);
		FILE *f = fopen(tmp, "w");
		if (!f || fprintf(f, "%u\n", http_port(srv)) < 0 || fclose(f) != 0 ||
		    rename(tmp, pf) != 0)
			log_event(LOG_ERROR, "cannot write port file", NULL);
	}
	/* Never print a password that a PostgreSQL URI may carry. */
	char shown[512];
	snprintf(shown, sizeof shown, "%s", cli_db(a));
	char *at = strchr(shown, '@'), *scheme = strstr(shown, "://");
	char *colon = at && scheme && scheme < at
			      ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3))
			      : NULL;
	if (colon) {
		char rest[512];
		snprintf(rest, sizeof rest, "%s", at);
		snprintf(colon + 1, sizeof shown - (size_t)(colon + 1 - shown), "***%s", rest);
	}
	char host[256];
	snprintf(host, sizeof host, "%s", cfg.listen);
	char *port_sep = strrchr(host, ':');
	if (port_sep)
		*port_sep = '\0';
	printf("bangdai serving %s on http://%s:%u/  (API: /api/v1/, OpenAPI: /api/v1/openapi.json)\n"
	       "log in with POST /api/v1/auth/login {\"login\":..., \"password\":...}"
	       " — demo logins: city_admin, county_admin, township_admin, mentor, mentee, auditor;"
	       " password bangdai-demo\n",
	       shown, host, http_port(srv));
	fflush(stdout);
	log_event(LOG_INFO, "serving", "\"port\":%u", http_port(srv));
	int sig = 0;
	sigwait(&stop, &sig);
	log_event(LOG_INFO, "stopping", "\"signal\":%d", sig);
	http_stop(srv);
	api_free(api);
	service_close(s);
	return EXIT_OK;
}
