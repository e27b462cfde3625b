/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Verdicts of one pod at every version at once: a bit per minor (v1.0 … v1.PG_MAX_MINOR) and
 * level, computed from the few versions at which some check changes its rule. This lets the
 * audit judge a pod before it knows which version its namespace pins, and count violations at
 * any version afterwards. It says pass or fail only; texts come from pg_evaluate.
 */
#ifndef PG_AUDIT_VERDICTS_H
#define PG_AUDIT_VERDICTS_H

#include "podgate/eval.h"
#include "podgate/pod.h"
#include "podgate/policy.h"

/* Bits 0 … PG_MAX_MINOR. */
#define PG_VERDICT_ALL_MINORS ((((uint64_t)1) << (PG_MAX_MINOR + 1)) - 1)

struct pg_verdicts {
    uint64_t fail[3]; /* indexed by enum pg_level; bit m set: fails at v1.m ([privileged] = 0) */
};

/* The check sets of every level and minor, resolved once (pg_checks_for is not free). */
struct pg_verdict_table {
    pg_check_set starting[PG_MAX_MINOR + 1]; /* checks with a rule variant starting at m */
    pg_check_set checks[3][PG_MAX_MINOR + 1];
};

void pg_verdict_table_init(struct pg_verdict_table *out);

/*
 * Judge `pod` at every level and minor. `scratch` is reused findings memory. Runs each check
 * once per rule variant (about 30 judges, two evaluations' worth), never 76 evaluations.
 */
void pg_verdicts_compute(struct pg_verdicts *out, struct pg_findings *scratch,
                         const struct pg_verdict_table *table, const struct pg_pod *pod);

static inline bool pg_verdicts_fails(const struct pg_verdicts *verdicts, enum pg_level level,
                                     unsigned minor)
{
    if (minor > PG_MAX_MINOR) {
        minor = PG_MAX_MINOR;
    }
    return ((verdicts->fail[level] >> minor) & 1u) != 0;
}

/* The first minors of each rule variant of `check` (spec §2.1); returns how many (≤ 8). */
size_t pg_verdict_variants(unsigned *out, enum pg_check_id check);

#endif
