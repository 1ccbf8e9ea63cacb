/*
 * cmd_user.c — `bangdai user add|passwd|disable|enable|list`: the
 * operator's account management. Layer: cli.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/limits.h"
#include "service/service.h"

static bool parse_id(const char *s, int64_t *out)
{
	if (!s)
		return true;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v <= 0)
		return false;
	*out = v;
	return true;
}

static enum err print_user(void *arg, const void *row, bool masked)
{
	(void)arg;
	(void)masked;
	const struct user *u = row;
	printf("%lld\t%s\t%s\t%s\t%s\n", (long long)u->id, u->login, u->role,
	       u->region_code[0] ? u->region_code : "-", u->disabled ? "disabled" : "active");
	return ERR_OK;
}

int cmd_user(const struct cli_args *a)
{
	static const char *const known[] = {"db", "login", "role", "region", "mentor", "mentee", NULL};
	if (a->argc < 1) {
		fprintf(stderr, "bangdai user: add, passwd, disable, enable or list (see --help)\n");
		return EXIT_USAGE;
	}
	const char *sub = a->argv[0];
	struct cli_args rest = {a->argc - 1, a->argv + 1};
	if (!cli_check(&rest, "user", known, NULL))
		return EXIT_USAGE;
	const char *login = cli_opt(&rest, "login");
	bool needs_login = strcmp(sub, "list") != 0;
	if (needs_login && (!login || !login[0])) {
		fprintf(stderr, "bangdai user %s: --login is required\n", sub);
		return EXIT_USAGE;
	}
	if (strcmp(sub, "add") && strcmp(sub, "passwd") && strcmp(sub, "disable") &&
	    strcmp(sub, "enable") && strcmp(sub, "list")) {
		fprintf(stderr, "bangdai user: unknown subcommand '%s'\n", sub);
		return EXIT_USAGE;
	}
	struct user u;
	memset(&u, 0, sizeof u);
	if (!strcmp(sub, "add")) {
		const char *role = cli_opt(&rest, "role"), *region = cli_opt(&rest, "region");
		if (!role || !role[0]) {
			fprintf(stderr, "bangdai user add: --role is required\n");
			return EXIT_USAGE;
		}
		if (strlen(login) > LIMIT_LOGIN_BYTES || strlen(role) >= sizeof u.role ||
		    (region && strlen(region) >= sizeof u.region_code)) {
			fprintf(stderr, "bangdai user add: value too long\n");
			return EXIT_USAGE;
		}
		snprintf(u.login, sizeof u.login, "%s", login);
		snprintf(u.role, sizeof u.role, "%s", role);
		snprintf(u.region_code, sizeof u.region_code, "%s", region ? region : "");
		if (!parse_id(cli_opt(&rest, "mentor"), &u.mentor_id) ||
		    !parse_id(cli_opt(&rest, "mentee"), &u.mentee_id)) {
			fprintf(stderr, "bangdai user add: --mentor and --mentee take a record id\n");
			return EXIT_USAGE;
		}
	}
	char pw[LIMIT_PASSWORD_BYTES + 2];
	long pwlen = 0;
	if (!strcmp(sub, "add") || !strcmp(sub, "passwd")) {
		pwlen = cli_read_password(pw, sizeof pw);
		if (pwlen < 0) {
			fprintf(stderr, "bangdai user %s: give the password on standard input\n", sub);
			return EXIT_USAGE;
		}
	}
	struct service *s;
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = service_open(cli_db(&rest), 1, &s, &ei);
	if (e)
		return cli_fail("user", e, &ei);
	if (!strcmp(sub, "add"))
		e = svc_user_create(s, NULL, &u, pw, (size_t)pwlen, &ei);
	else if (!strcmp(sub, "passwd"))
		e = svc_user_set_password(s, NULL, login, pw, (size_t)pwlen, &ei);
	else if (!strcmp(sub, "list")) {
		struct svc_list_args la;
		memset(&la, 0, sizeof la);
		int64_t total;
		e = svc_user_list(s, NULL, &la, print_user, NULL, &total, &ei);
	} else
		e = svc_user_set_disabled(s, NULL, login, !strcmp(sub, "disable"), &ei);
	memset(pw, 0, sizeof pw);
	service_close(s);
	if (e)
		return cli_fail("user", e, &ei);
	if (!strcmp(sub, "add"))
		printf("created %s (%s)\n", u.login, u.role);
	return EXIT_OK;
}
