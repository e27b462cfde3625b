/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The --max-* flags that set struct pg_limits, shared by the commands that
 * read untrusted input: one getopt_long entry and one usage line per limit,
 * and a checked parser for their values (a count, or bytes with an optional
 * Ki/Mi/Gi suffix).
 */
#ifndef PG_CLI_LIMIT_FLAGS_H
#define PG_CLI_LIMIT_FLAGS_H

#include "podgate/limits.h"

#include <stddef.h>

/* getopt_long values of the limit flags: PG_LIMIT_FLAG_FIRST + their index. */
#define PG_LIMIT_FLAG_FIRST 0x1000
#define PG_LIMIT_FLAG_COUNT 7

/* Entries for a `struct option` array (needs <getopt.h>). */
#define PG_LIMIT_FLAGS_OPTIONS                                                                     \
    {"max-input-bytes", required_argument, NULL, PG_LIMIT_FLAG_FIRST + 0},                         \
        {"max-document-bytes", required_argument, NULL, PG_LIMIT_FLAG_FIRST + 1},                  \
        {"max-depth", required_argument, NULL, PG_LIMIT_FLAG_FIRST + 2},                           \
        {"max-nodes", required_argument, NULL, PG_LIMIT_FLAG_FIRST + 3},                           \
        {"max-alias-expansion", required_argument, NULL, PG_LIMIT_FLAG_FIRST + 4},                 \
        {"max-string-bytes", required_argument, NULL, PG_LIMIT_FLAG_FIRST + 5},                    \
    {                                                                                              \
        "max-items", required_argument, NULL, PG_LIMIT_FLAG_FIRST + 6                              \
    }

/* Usage lines for the flags, in the layout of the commands' help texts. */
#define PG_LIMIT_FLAGS_USAGE                                                                       \
    "limits on untrusted input (a number, bytes may end in Ki, Mi or Gi):\n"                       \
    "      --max-input-bytes N      one file or stdin (default 1Gi)\n"                             \
    "      --max-document-bytes N   one YAML document or JSON value (default 3Mi)\n"               \
    "      --max-depth N            nesting of maps and lists (default 256, at most 10000)\n"      \
    "      --max-nodes N            values in one document (default 1000000)\n"                    \
    "      --max-alias-expansion N  values reached through YAML aliases (default 1000000)\n"       \
    "      --max-string-bytes N     one string or key (default 1Mi)\n"                             \
    "      --max-items N            containers, volumes, ports, ... in one list (default 10000)\n"

/*
 * Apply getopt_long's `opt` with argument `arg` when it is a limit flag.
 * Returns 1 when it was one and `limits` is updated, 0 when `opt` is not a
 * limit flag, -1 with a message in `error` when the value is invalid.
 */
int pg_limit_flags_apply(struct pg_limits *limits, int opt, const char *arg, char *error,
                         size_t error_size);

/*
 * Parse a decimal number with an optional binary suffix (Ki, Mi, Gi, Ti) into
 * *out. Returns 0, or -1 for anything else: a sign, blanks, an empty string,
 * another suffix, or a value that does not fit in size_t.
 */
int pg_limit_flags_parse_size(size_t *out, const char *text);

#endif
