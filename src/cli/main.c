/*
 * main.c — the `bangdai` binary: the table of commands and the shared
 * helpers of the command line. Layer: cli.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "cli/cli.h"

static const struct command {
	const char *name;
	int (*fn)(const struct cli_args *a);
	const char *usage;
	const char *help;
} commands[] = {
	{"init", cmd_init, "init [--db PATH]", "Create an empty database (runs migrations)."},
	{"demo", cmd_demo, "demo [--db PATH] [--seed N]",
	 "Create the demo Yinchuan pilot (483 mentors, ...) in an empty database."},
	{"serve", cmd_serve,
	 "serve [--db PATH] [--listen HOST:PORT] [--web DIR] [--threads N] [--port-file FILE]\n"
	 "             [--idle-timeout SECONDS] [--secure-cookie]",
	 "Serve the JSON API (/api/v1/) and the web UI. Default 127.0.0.1:8080.\n"
	 "--idle-timeout: a connection idle, or slow to send its headers, this long is\n"
	 "closed (default 15). --secure-cookie: mark the session cookie Secure (HTTPS).\n"
	 "Sessions: $BANGDAI_SESSION_IDLE and $BANGDAI_SESSION_ABSOLUTE (seconds);\n"
	 "login limiter: $BANGDAI_LOGIN_WINDOW, $BANGDAI_LOGIN_MAX_PAIR, $BANGDAI_LOGIN_MAX_ADDR."},
	{"user", cmd_user,
	 "user add --login NAME --role ROLE [--region CODE] [--mentor ID] [--mentee ID] [--db PATH]\n"
	 "       user passwd --login NAME [--db PATH]\n"
	 "       user disable|enable --login NAME [--db PATH]\n"
	 "       user list [--db PATH]",
	 "Manage accounts. Passwords are read from standard input (one line).\n"
	 "Roles: city_admin, county_admin, township_admin, mentor, mentee, auditor."},
	{"match", cmd_match,
	 "match run --region CODE --method auto|menu|team|groups [--seed N] [--reach-km X] [--k N]\n"
	 "                   [--parent RUN --wider] [--db PATH]\n"
	 "       match show|approve|discard --run ID [--db PATH]\n"
	 "       match list [--db PATH]",
	 "Matching runs: propose, review (JSON with the per-principle explanation), approve.\n"
	 "A follow-up round (--parent) places the unmatched of a run under relaxed rules."},
	{"import", cmd_import, "import --kind KIND FILE [--commit] [--errors FILE] [--json] [--db PATH]",
	 "Import mentors, mentees, organisations or regions from a CSV (UTF-8 or GB18030)\n"
	 "or an .xlsx with Chinese headers (姓名, 手机号, 所属地区, ...). A dry run unless\n"
	 "--commit: every bad row is listed with its row and column (--errors writes them\n"
	 "to a CSV to correct and import again); a commit imports all rows or none.\n"
	 "Rows matching a record (ID number, phone, name in region; regions by code)\n"
	 "update it, so importing a file twice changes nothing."},
	{"export", cmd_export,
	 "export --kind KIND --out FILE [--format xlsx|csv] [--region CODE] [--q TEXT]\n"
	 "                    [--status S] [--tier T] [--source S] [--category C] [--domain D] [--db PATH]",
	 "Export a list (mentors, mentees, organisations, regions, mentor-orgs, menus,\n"
	 "users, pairings, due, rankings) or the statistics (stats) as .xlsx or CSV\n"
	 "(UTF-8 with BOM)."},
	{"match-file", cmd_match_file, "match-file FILE|-",
	 "Solve an HR or AS instance file (bench/FORMAT.md) and print the answer."},
	{"archive", cmd_archive, "archive --mentee ID --out FILE.pdf [--db PATH]",
	 "Write a mentee's growth archive 一人一册 (profile, pairings and mentors, plans,\n"
	 "activities, logs, evaluations, star history) as an A4 PDF."},
	{"due", cmd_due, "due --region CODE [--date YYYY-MM-DD] [--db PATH]",
	 "What is due and overdue on a date (default today) in a region: one JSON object\n"
	 "per line with kind (visit, monthly, quarterly, half_year, yearly, duty, task),\n"
	 "pairing, due and overdue_days (date - due; > 0 is late)."},
	{"migrate-data", cmd_migrate_data, "migrate-data --from DB --to DB",
	 "Copy a whole programme into an empty database, e.g. from a SQLite file to\n"
	 "postgres://USER@HOST/NAME, ids included, and verify every table by row count\n"
	 "and checksum. Stop the server first (its writers are held off meanwhile)."},
	{"backup", cmd_backup, "backup [--db DB] --out FILE",
	 "Online backup while the server runs: one consistent snapshot of the programme\n"
	 "(SQLite or PostgreSQL) into a new SQLite file with a manifest of per-table row\n"
	 "counts and checksums, verified against the file before it is kept."},
	{"restore", cmd_restore, "restore --from FILE [--db DB]",
	 "Restore a backup into an empty database (a SQLite file or postgres://...):\n"
	 "checks the file against its manifest, copies it, verifies every table.\n"
	 "A database that is not empty is refused."},
};

static void usage(FILE *f)
{
	fprintf(f, "bangdai — 导师帮带制 mentor guidance programme\n\nUsage:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  bangdai %s\n", commands[i].usage);
	fprintf(f, "\nEvery command takes --help. The database defaults to $BANGDAI_DB or bangdai.db.\n"
		   "Exit codes: 0 success, 1 failure, 2 usage error.\n");
}

void cli_print_table(void *arg, const char *table, int64_t rows, const char *checksum)
{
	struct cli_totals *t = arg;
	t->rows += rows;
	t->tables++;
	printf("%-20s %10" PRId64 "  %s\n", table, rows, checksum);
	fflush(stdout);
}

const char *cli_opt(const struct cli_args *a, const char *name)
{
	for (int i = 0; i < a->argc; i++) {
		if (strncmp(a->argv[i], "--", 2) || strcmp(a->argv[i] + 2, name))
			continue;
		if (i + 1 < a->argc && strncmp(a->argv[i + 1], "--", 2))
			return a->argv[i + 1];
		return "";
	}
	return NULL;
}

static bool in_list(const char *const *list, const char *s)
{
	for (int i = 0; list && list[i]; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

bool cli_check(const struct cli_args *a, const char *cmd, const char *const *known,
	       const char *const *flags)
{
	for (int i = 0; i < a->argc; i++) {
		const char *arg = a->argv[i];
		if (strncmp(arg, "--", 2))
			continue;
		if (in_list(flags, arg + 2))
			continue;
		if (!in_list(known, arg + 2)) {
			fprintf(stderr, "bangdai %s: unknown option %s (see bangdai %s --help)\n", cmd,
				arg, cmd);
			return false;
		}
		if (i + 1 >= a->argc || !strncmp(a->argv[i + 1], "--", 2)) {
			fprintf(stderr, "bangdai %s: option %s needs a value\n", cmd, arg);
			return false;
		}
		i++;
	}
	return true;
}

const char *cli_db(const struct cli_args *a)
{
	const char *db = cli_opt(a, "db");
	if (db && db[0])
		return db;
	db = getenv("BANGDAI_DB");
	return db && db[0] ? db : "bangdai.db";
}

int cli_fail(const char *cmd, enum err e, const struct errinfo *ei)
{
	fprintf(stderr, "bangdai %s: %s", cmd, err_code(e));
	if (ei && ei->row)
		fprintf(stderr, ": line %ld", ei->row);
	if (ei && ei->column)
		fprintf(stderr, ", column %ld", ei->column);
	if (ei && ei->field[0])
		fprintf(stderr, ": %s", ei->field);
	if (ei && ei->message[0])
		fprintf(stderr, ": %s", ei->message);
	fputc('\n', stderr);
	return EXIT_FAIL;
}

long cli_read_password(char *buf, size_t n)
{
	if (!fgets(buf, (int)n, stdin))
		return -1;
	size_t len = strcspn(buf, "\r\n");
	if (len == n - 1 && buf[len] != '\n' && !feof(stdin))
		return -1; /* longer than the buffer */
	buf[len] = '\0';
	return (long)len;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		const struct command *c = &commands[i];
		if (strcmp(argv[1], c->name))
			continue;
		for (int k = 2; k < argc; k++)
			if (!strcmp(argv[k], "--help") || !strcmp(argv[k], "-h")) {
				printf("Usage: bangdai %s\n\n%s\n", c->usage, c->help);
				return EXIT_OK;
			}
		struct cli_args a = {argc - 2, argv + 2};
		return c->fn(&a);
	}
	fprintf(stderr, "bangdai: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
