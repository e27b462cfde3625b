/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PodSecurityPolicy (policy/v1beta1) → Pod Security Standards: the strictest level whose rules
 * a PSP stays within, the PSP fields that go beyond it (each mapped to its check), the fields
 * that mutate pods (which pods silently lose when PSP goes away), and the PSP controls that
 * have no PSS equivalent. Pure analysis of one object; who may use which PSP is rbac.c.
 */
#ifndef PG_AUDIT_PSP_H
#define PG_AUDIT_PSP_H

#include "podgate/arena.h"
#include "podgate/audit.h"
#include "podgate/workload.h"

/* A PodSecurityPolicy of policy/v1beta1 or extensions/v1beta1. */
bool pg_psp_is(const struct pg_object_ref *ref);

/* Analyse the PSP `ref` into `out`; every string and array is allocated in `arena`. */
void pg_psp_analyze(struct pg_audit_psp *out, struct pg_arena *arena,
                    const struct pg_object_ref *ref);

#endif
