/* SPDX-License-Identifier: Apache-2.0 */
/* The list of sources a scan reads, expanded from the command line. */
#ifndef PG_CLI_INPUTS_H
#define PG_CLI_INPUTS_H

#include <stddef.h>

struct pg_input {
    char *path;
    char *error; /* non-NULL: the path could not be used (reported as an error) */
};

struct pg_inputs {
    struct pg_input *items;
    size_t len;
    size_t cap;
};

/* Add a file, "-" (stdin) or a directory (walked recursively). */
void pg_inputs_add_path(struct pg_inputs *inputs, const char *path);
void pg_inputs_release(struct pg_inputs *inputs);

#endif
