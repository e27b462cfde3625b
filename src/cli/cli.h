/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The `podgate` command line: a table of commands, each in its own
 * cmd_<name>.c, and the small I/O helpers they share. Commands translate argv
 * into library calls and results into output; no policy logic lives here.
 */
#ifndef PG_CLI_H
#define PG_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit codes shared by every command. */
enum {
    PG_EXIT_OK = 0,
    PG_EXIT_VIOLATIONS = 1,
    PG_EXIT_USAGE = 2,
};

struct pg_cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
};

int pg_cmd_scan(int argc, char **argv);
int pg_cmd_audit(int argc, char **argv);
int pg_cmd_explain(int argc, char **argv);
int pg_cmd_version(int argc, char **argv);
int pg_cmd_serve(int argc, char **argv);

/*
 * Read a whole file ("-" = stdin) into a malloc'd buffer (*data_out, caller
 * frees), refusing more than max_bytes. Returns 0, or -1 with a message in
 * `error` (size error_size).
 */
int pg_cli_read_file(char **data_out, size_t *len_out, const char *path, size_t max_bytes,
                     char *error, size_t error_size);

/*
 * The message for getopt_long's '?' (unknown option) or ':' (missing value), run with opterr 0
 * and an option string that starts with ':': "unknown option '--bogus'", "option '-o' needs a
 * value". Call it right after getopt_long returned `opt`.
 */
void pg_cli_option_problem(char *buf, size_t size, int opt, char **argv);

/* Whether to use colour on `stream`: a TTY and NO_COLOR unset, or forced by `mode`. */
bool pg_cli_use_color(FILE *stream, const char *mode);

#endif
