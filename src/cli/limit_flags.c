/* SPDX-License-Identifier: Apache-2.0 */
/* The --max-* flags (see limit_flags.h and docs/internals/limits.md). */
#include "limit_flags.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libyaml's flow scanner is quadratic in depth: past this, depth costs seconds. */
#define MAX_DEPTH_CEILING 10000

struct limit_flag {
    const char *name;
    size_t offset; /* of the field in struct pg_limits */
    size_t ceiling;
};

static const struct limit_flag FLAGS[PG_LIMIT_FLAG_COUNT] = {
    {"max-input-bytes", offsetof(struct pg_limits, max_input_bytes), SIZE_MAX},
    {"max-document-bytes", offsetof(struct pg_limits, max_document_bytes), SIZE_MAX},
    {"max-depth", offsetof(struct pg_limits, max_depth), MAX_DEPTH_CEILING},
    {"max-nodes", offsetof(struct pg_limits, max_nodes), SIZE_MAX},
    {"max-alias-expansion", offsetof(struct pg_limits, max_alias_expansion), SIZE_MAX},
    {"max-string-bytes", offsetof(struct pg_limits, max_string_bytes), SIZE_MAX},
    {"max-items", offsetof(struct pg_limits, max_items), SIZE_MAX},
};

int pg_limit_flags_parse_size(size_t *out, const char *text)
{
    static const struct {
        const char *suffix;
        unsigned int shift;
    } SUFFIXES[] = {{"", 0}, {"Ki", 10}, {"Mi", 20}, {"Gi", 30}, {"Ti", 40}};
    char *end = NULL;
    unsigned long long value = 0;
    /* strtoull would accept blanks, a sign (and wrap "-1" around), and no digits at all. */
    if (text[0] < '0' || text[0] > '9') {
        return -1;
    }
    errno = 0;
    value = strtoull(text, &end, 10);
    if (errno == ERANGE || value > SIZE_MAX) {
        return -1;
    }
    for (size_t i = 0; i < sizeof(SUFFIXES) / sizeof(SUFFIXES[0]); i++) {
        size_t factor = (size_t)1 << SUFFIXES[i].shift;
        if (strcmp(end, SUFFIXES[i].suffix) != 0) {
            continue;
        }
        if ((size_t)value > SIZE_MAX / factor) {
            return -1;
        }
        *out = (size_t)value * factor;
        return 0;
    }
    return -1;
}

int pg_limit_flags_apply(struct pg_limits *limits, int opt, const char *arg, char *error,
                         size_t error_size)
{
    const struct limit_flag *flag = NULL;
    size_t value = 0;
    if (opt < PG_LIMIT_FLAG_FIRST || opt >= PG_LIMIT_FLAG_FIRST + PG_LIMIT_FLAG_COUNT) {
        return 0;
    }
    flag = &FLAGS[opt - PG_LIMIT_FLAG_FIRST];
    if (pg_limit_flags_parse_size(&value, arg) != 0) {
        (void)snprintf(error, error_size,
                       "--%s: '%s' is not a number (a count, or bytes like 512Ki, 3Mi, 1Gi)",
                       flag->name, arg);
        return -1;
    }
    /* A limit of 0 would refuse every input; a scan that judges nothing is a mistake. */
    if (value == 0) {
        (void)snprintf(error, error_size, "--%s: must be at least 1", flag->name);
        return -1;
    }
    if (value > flag->ceiling) {
        (void)snprintf(error, error_size, "--%s: %zu is more than the maximum of %zu", flag->name,
                       value, flag->ceiling);
        return -1;
    }
    memcpy((char *)limits + flag->offset, &value, sizeof(value));
    return 1;
}
