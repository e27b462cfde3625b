/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the two runners over upstream's fixtures share: the conformance runner
 * (library verdicts) and tests/server/admission_conformance.c (the same
 * fixtures through the admission handler).
 */
#ifndef PG_TEST_CONFORMANCE_FIXTURES_H
#define PG_TEST_CONFORMANCE_FIXTURES_H

#include <stddef.h>

/* Upstream test/run.go: the substring a fail fixture of `check` must produce; NULL if unknown. */
const char *fixture_substring_for(const char *check);

/* The whole file, NUL-terminated, malloc'd (the caller frees); NULL on error. */
char *fixture_read_file(const char *path, size_t *len);

#endif
