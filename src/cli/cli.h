/*
 * cli.h — the `bangdai` command line (layer: cli).
 *
 * One table of commands (main.c); each command lives in its own file and
 * calls the service layer only. Exit codes: 0 success, 1 the command
 * failed (bad data, conflict, storage), 2 usage error.
 */
#ifndef BANGDAI_CLI_CLI_H
#define BANGDAI_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* A parsed command line: options "--name value" or "--flag". */
struct cli_args {
	int argc;
	char **argv;
};

/* Value of --name, or NULL. Flags without value answer "". */
const char *cli_opt(const struct cli_args *a, const char *name);
/* Check that every option is one of `known` (NULL-terminated) and that
 * options taking values have one. Prints a message and returns false. */
bool cli_check(const struct cli_args *a, const char *cmd, const char *const *known,
	       const char *const *flags);
/* The database: --db, else $BANGDAI_DB, else "bangdai.db". */
const char *cli_db(const struct cli_args *a);
/* Print an error with its field/row to stderr; returns EXIT_FAIL. */
int cli_fail(const char *cmd, enum err e, const struct errinfo *ei);
/* Read a password from standard input (first line, without newline).
 * Returns its length or -1. */
long cli_read_password(char *buf, size_t n);

/* Rows and tables of a whole-database copy (migrate-data, backup,
 * restore); cli_print_table prints one table's line and adds it up. */
struct cli_totals {
	int64_t rows;
	int tables;
};
void cli_print_table(void *arg, const char *table, int64_t rows, const char *checksum);

int cmd_init(const struct cli_args *a);
int cmd_demo(const struct cli_args *a);
int cmd_serve(const struct cli_args *a);
int cmd_user(const struct cli_args *a);
int cmd_match_file(const struct cli_args *a);
int cmd_match(const struct cli_args *a);
int cmd_migrate_data(const struct cli_args *a);
int cmd_import(const struct cli_args *a);
int cmd_export(const struct cli_args *a);
int cmd_archive(const struct cli_args *a);
int cmd_due(const struct cli_args *a);
int cmd_backup(const struct cli_args *a);
int cmd_restore(const struct cli_args *a);

#endif
