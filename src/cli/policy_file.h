/* SPDX-License-Identifier: Apache-2.0 */
/* Custom policy files and "today" for the commands that take `--policy` and `--now`. */
#ifndef PG_CLI_POLICY_FILE_H
#define PG_CLI_POLICY_FILE_H

#include "podgate/custom_policy.h"

/*
 * Read and compile the policy file at `path` ("-" is not allowed: stdin
 * holds manifests). On failure prints `podgate <command>: <why>` (with
 * file:line:column) to stderr and returns -1; *out then stays NULL.
 */
int pg_cli_load_policies(struct pg_policy_set **out, const char *command, const char *path);

/*
 * `--now YYYY-MM-DD` when `text` is non-NULL, else today's UTC date from the
 * clock. Returns 0, or -1 when `text` is not a valid date.
 */
int pg_cli_today(struct pg_date *out, const char *text);

#endif
