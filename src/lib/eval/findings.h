/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal side of the findings list (public part in podgate/eval.h): the one
 * way checks append a finding.
 */
#ifndef PG_EVAL_FINDINGS_H
#define PG_EVAL_FINDINGS_H

#include "podgate/eval.h"

/* Double the array (the slow path of pg_findings_add). Aborts only on OOM (util/xalloc.h). */
void pg_findings_grow(struct pg_findings *out);

/*
 * Append a copy of `finding` and mark its check in `out->forbidden`. The array
 * grows by doubling and is kept across pg_findings_reset, so steady-state
 * evaluation does not allocate. Inline: a violating pod adds a dozen findings
 * per evaluation, and the common case is one copy.
 */
static inline void pg_findings_add(struct pg_findings *out, const struct pg_finding *finding)
{
    if (out->len == out->cap) {
        pg_findings_grow(out);
    }
    out->items[out->len] = *finding;
    out->len++;
    if ((unsigned)finding->check < PG_CHECK_COUNT) {
        out->forbidden |= (pg_check_set)1u << (unsigned)finding->check;
    }
}

#endif
