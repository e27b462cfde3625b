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

/*
 * Where a check runs at `level`, after overrides (spec §2.3): true with the
 * first and last minor (a last of PG_MAX_MINOR means "and later, latest"),
 * false when it never runs at that level or the id is invalid. A check's
 * range is contiguous: checks are only ever added, and replaced from a minor on.
 */
PG_API bool pg_check_doc_range(unsigned *first_out, unsigned *last_out, enum pg_check_id id,
                               enum pg_level level);

#endif
