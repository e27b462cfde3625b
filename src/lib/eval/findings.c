/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The findings list: a growable array reused across evaluations. Its size is
 * bounded by the pod model (at most a few findings per extracted field, and
 * the extractor enforces struct pg_limits), so it needs no limit of its own.
 */
#include "eval/findings.h"

#include "util/xalloc.h"

#include <stdlib.h>

void pg_findings_init(struct pg_findings *findings)
{
    findings->items = NULL;
    findings->len = 0;
    findings->cap = 0;
    findings->forbidden = 0;
}

void pg_findings_reset(struct pg_findings *findings)
{
    findings->len = 0;
    findings->forbidden = 0;
}

void pg_findings_release(struct pg_findings *findings)
{
    if (findings == NULL) {
        return;
    }
    free(findings->items);
    pg_findings_init(findings);
}

void pg_findings_grow(struct pg_findings *out)
{
    size_t cap = out->cap != 0 ? out->cap * 2 : 16;
    out->items = pg_xrealloc(out->items, cap, sizeof(*out->items));
    out->cap = cap;
}
