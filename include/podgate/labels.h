/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Namespace labels → the effective enforce/audit/warn policy, exactly as
 * upstream's PolicyToEvaluate (spec §5.2), with upstream's error texts.
 */
#ifndef PODGATE_LABELS_H
#define PODGATE_LABELS_H

#include "podgate/buf.h"
#include "podgate/doc.h"
#include "podgate/policy.h"

enum pg_mode {
    PG_MODE_ENFORCE,
    PG_MODE_AUDIT,
    PG_MODE_WARN,
};

/* "enforce" | "audit" | "warn". */
PG_API const char *pg_mode_name(enum pg_mode mode);

struct pg_ns_policy {
    struct pg_level_version modes[3]; /* indexed by enum pg_mode */
};

/* privileged:latest for every mode: upstream's built-in defaults. */
PG_API void pg_ns_policy_default(struct pg_ns_policy *out);

/* True when any `pod-security.kubernetes.io/` label is present in `labels` (a map or NULL). */
PG_API bool pg_labels_have_pod_security(const struct pg_node *labels);

/*
 * Compute the policy for a namespace's `labels` (a map node or NULL) from
 * `defaults`. Label errors are counted in *error_count and, when `errors` is
 * non-NULL, rendered into it in upstream's format (one error bare, several as
 * `[e1, e2]`, exact duplicates collapsed). Never fails: invalid labels fall
 * back as upstream does (enforce → restricted, others → privileged, versions →
 * latest). A label value that is not a string is an error, treated as invalid.
 */
PG_API void pg_ns_policy_from_labels(struct pg_ns_policy *out, size_t *error_count,
                                     struct pg_buf *errors, const struct pg_node *labels,
                                     const struct pg_ns_policy *defaults);

/* Equivalence of spec §5.3: both privileged, or same level and same version. */
PG_API bool pg_level_version_equivalent(struct pg_level_version a, struct pg_level_version b);

#endif
