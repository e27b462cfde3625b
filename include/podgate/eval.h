/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Evaluation: run the checks of a level:version over a pod model and collect
 * structured findings; then, separately, render upstream's exact reason and
 * detail texts from whatever findings remain (after policy exemptions).
 */
#ifndef PODGATE_EVAL_H
#define PODGATE_EVAL_H

#include "podgate/common.h"
#include "podgate/pod.h"
#include "podgate/policy.h"

/* What a finding says; each check uses the kinds that fit it. */
enum pg_finding_kind {
    PG_FIND_POD_VALUE,       /* pod-level field has a forbidden value (value set) */
    PG_FIND_CONTAINER_VALUE, /* container field has a forbidden value (value set) */
    PG_FIND_CONTAINER_UNSET, /* container must set a field it leaves unset (implicit) */
    PG_FIND_ANNOTATION,      /* annotation `name` has forbidden `value` */
    PG_FIND_VOLUME,          /* volume `name` uses a forbidden source `value` */
    PG_FIND_SYSCTL,          /* sysctl `value` is not allowed */
    PG_FIND_HOST_NAMESPACE,  /* `value` is hostNetwork / hostPID / hostIPC */
    PG_FIND_USER,            /* seLinuxOptions.user set (pod or container) */
    PG_FIND_ROLE,            /* seLinuxOptions.role set (pod or container) */
    PG_FIND_MISSING_DROP,    /* container does not drop ALL */
};

#define PG_FINDING_POD ((uint32_t)UINT32_MAX)

/*
 * One structured finding. `container` indexes pod->containers, or is
 * PG_FINDING_POD for a pod-level field. `value` is the offending value as
 * text where there is one (a capability, a type, a host, a sysctl name, a
 * volume source); `number` holds numbers (host ports); `name` holds an
 * annotation key or volume name. `node` is where the finding points: the
 * offending field, or the closest existing parent when the fix is to add one.
 */
struct pg_finding {
    enum pg_check_id check;
    enum pg_finding_kind kind;
    uint32_t container;
    int64_t number;
    struct pg_str value;
    struct pg_str name;
    const struct pg_node *node;
};

/* A growable list of findings, reusable across evaluations (pg_findings_reset). */
struct pg_findings {
    struct pg_finding *items;
    size_t len;
    size_t cap;
    pg_check_set forbidden; /* checks with at least one finding */
};

PG_API void pg_findings_init(struct pg_findings *findings);
PG_API void pg_findings_reset(struct pg_findings *findings);
PG_API void pg_findings_release(struct pg_findings *findings);

/*
 * Evaluate `pod` at `lv`, appending findings in upstream evaluation order
 * (check order, and within a check the order its message needs). Resets
 * `out` first. Never fails: a pod model is always judgeable.
 */
PG_API void pg_evaluate(struct pg_findings *out, const struct pg_pod *pod,
                        struct pg_level_version lv);

/* Same, with an explicit set of checks and effective minor (for custom policies). */
PG_API void pg_evaluate_checks(struct pg_findings *out, const struct pg_pod *pod,
                               pg_check_set checks, unsigned minor);

struct pg_buf;

/*
 * Render the reason and detail of one check from the findings of that check
 * in `findings` (others are ignored). Appends to the two buffers; either may
 * be NULL to skip that part (both NULL just asks whether the check is
 * forbidden). Returns false, appending nothing, when the check has no
 * findings (it is allowed). `findings` may be a subset of what pg_evaluate
 * produced (after exemptions removed some), as long as the order is kept.
 */
PG_API bool pg_render_check(struct pg_buf *reason, struct pg_buf *detail,
                            const struct pg_findings *findings, enum pg_check_id check,
                            const struct pg_pod *pod);

/*
 * Upstream's aggregate texts (spec §4.1), appended to `out`:
 * reasons string: "reason1, reason2"; details string: "reason1 (detail1), …".
 */
PG_API void pg_render_reasons(struct pg_buf *out, const struct pg_findings *findings,
                              const struct pg_pod *pod);
PG_API void pg_render_details(struct pg_buf *out, const struct pg_findings *findings,
                              const struct pg_pod *pod);

#endif
