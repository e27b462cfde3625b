/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal side of the findings list (public part in podgate/eval.h): the one
 * way checks append a finding.
 */
#ifndef PG_EVAL_FINDINGS_H
#define PG_EVAL_FINDINGS_H

#include "podgate/eval.h"

/*
 * Append a copy of `finding` and mark its check in `out->forbidden`. The array
 * grows by doubling and is kept across pg_findings_reset, so steady-state
 * evaluation does not allocate. Aborts only on OOM (see util/xalloc.h).
 */
void pg_findings_add(struct pg_findings *out, const struct pg_finding *finding);

#endif
