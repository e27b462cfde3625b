/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the two runners over upstream's fixtures share: the conformance runner
 * (library verdicts) and tests/server/admission_conformance.c (the same
 * fixtures through the admission handler).
 */
#ifndef PG_TEST_CONFORMANCE_FIXTURES_H
#define PG_TEST_CONFORMANCE_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One row of index.tsv (path, level, version, pass|fail, check). The strings point into the
   index's line buffer and last until the next fixture_index_next or fixture_index_close. */
struct fixture_row {
    const char *path; /* relative to the folder that holds index.tsv */
    const char *level;
    const char *version;
    bool want_pass;
    const char *check;
};

/* An open index.tsv, read a row at a time. */
struct fixture_index {
    FILE *file;
    char line[8192];
};

/* Opens ROOT/index.tsv and skips its header line; -1 if either fails (nothing to close). */
int fixture_index_open(struct fixture_index *index, const char *root);

/* The next row: 1 and *out set, 0 at the end, -1 for a malformed row (reading may go on). */
int fixture_index_next(struct fixture_row *out, struct fixture_index *index);

void fixture_index_close(struct fixture_index *index);

/* Upstream test/run.go: the substring a fail fixture of `check` must produce; NULL if unknown. */
const char *fixture_substring_for(const char *check);

/* The whole file, NUL-terminated, malloc'd (the caller frees); NULL on error. */
char *fixture_read_file(const char *path, size_t *len);

#endif
