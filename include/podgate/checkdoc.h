/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Human documentation of each check: what it requires, which fields it reads,
 * how its rules changed across versions and how to fix a violation. Used by
 * `podgate explain` and by report writers (SARIF rule help).
 */
#ifndef PODGATE_CHECKDOC_H
#define PODGATE_CHECKDOC_H

#include "podgate/policy.h"

struct pg_check_doc {
    const char *title;       /* one line */
    const char *requirement; /* what a pod must satisfy */
    const char *fields;      /* the fields read */
    const char *versions;    /* how the rule changed, by version */
    const char *fix;         /* how to fix a violation */
};

/* The documentation of a check (static storage), or NULL for an invalid id. */
PG_API const struct pg_check_doc *pg_check_doc(enum pg_check_id id);

#endif
