/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Verdict bitmaps over every version. A check's result can only change at a version where one
 * of its rule variants begins (spec §2.1); between two such versions it is constant. So each
 * check is judged once per variant, and a level fails at minor m when a check of its set at m
 * (spec §2.3, overrides included) is forbidden by the variant in force at m.
 */
#include "audit/verdicts.h"

#include <string.h>

#define MAX_VARIANTS 8

struct variant_row {
    size_t len;
    unsigned minors[MAX_VARIANTS];
};

/*
 * The first minor of every rule variant, per check (spec §2.1 and the variant notes under
 * §2.3). tests/audit/verdicts_conformance.c checks this table against pg_evaluate at every
 * level and minor for every upstream fixture, and tests/unit/audit/test_verdicts.c checks that
 * each first variant is the registry's first minor.
 */
static const struct variant_row VARIANTS[PG_CHECK_COUNT] = {
    [PG_CHECK_APP_ARMOR_PROFILE] = {1, {0}},
    [PG_CHECK_CAPABILITIES_BASELINE] = {1, {0}},
    [PG_CHECK_HOST_NAMESPACES] = {1, {0}},
    [PG_CHECK_HOST_PATH_VOLUMES] = {1, {0}},
    [PG_CHECK_HOST_PORTS] = {1, {0}},
    [PG_CHECK_HOST_PROBES_AND_HOST_LIFECYCLE] = {1, {34}},
    [PG_CHECK_PRIVILEGED] = {1, {0}},
    [PG_CHECK_PROC_MOUNT] = {2, {0, 35}},
    [PG_CHECK_SE_LINUX_OPTIONS] = {2, {0, 31}},
    [PG_CHECK_SECCOMP_PROFILE_BASELINE] = {2, {0, 19}},
    [PG_CHECK_SYSCTLS] = {5, {0, 27, 29, 32, 37}},
    [PG_CHECK_WINDOWS_HOST_PROCESS] = {1, {0}},
    [PG_CHECK_ALLOW_PRIVILEGE_ESCALATION] = {2, {8, 25}},
    [PG_CHECK_CAPABILITIES_RESTRICTED] = {2, {22, 25}},
    [PG_CHECK_PROC_MOUNT_RESTRICTED] = {1, {35}},
    [PG_CHECK_RESTRICTED_VOLUMES] = {1, {0}},
    [PG_CHECK_RUN_AS_NON_ROOT] = {2, {0, 35}},
    [PG_CHECK_RUN_AS_USER] = {2, {23, 35}},
    [PG_CHECK_SECCOMP_PROFILE_RESTRICTED] = {2, {19, 25}},
};

size_t pg_verdict_variants(unsigned *out, enum pg_check_id check)
{
    const struct variant_row *row = NULL;
    if ((unsigned)check >= PG_CHECK_COUNT) {
        return 0;
    }
    row = &VARIANTS[check];
    memcpy(out, row->minors, row->len * sizeof(*out));
    return row->len;
}

/* The checks with a variant starting at `minor`. */
static pg_check_set starting_at(unsigned minor)
{
    pg_check_set set = 0;
    for (unsigned id = 0; id < PG_CHECK_COUNT; id++) {
        for (size_t i = 0; i < VARIANTS[id].len; i++) {
            if (VARIANTS[id].minors[i] == minor) {
                set |= (pg_check_set)1u << id;
            }
        }
    }
    return set;
}

void pg_verdict_table_init(struct pg_verdict_table *out)
{
    memset(out, 0, sizeof(*out));
    for (unsigned minor = 0; minor <= PG_MAX_MINOR; minor++) {
        out->starting[minor] = starting_at(minor);
        out->checks[PG_LEVEL_BASELINE][minor] = pg_checks_for(PG_LEVEL_BASELINE, minor);
        out->checks[PG_LEVEL_RESTRICTED][minor] = pg_checks_for(PG_LEVEL_RESTRICTED, minor);
    }
}

void pg_verdicts_compute(struct pg_verdicts *out, struct pg_findings *scratch,
                         const struct pg_verdict_table *table, const struct pg_pod *pod)
{
    pg_check_set forbidden = 0;
    memset(out, 0, sizeof(*out));
    for (unsigned minor = 0; minor <= PG_MAX_MINOR; minor++) {
        pg_check_set starting = table->starting[minor];
        if (starting != 0) {
            pg_evaluate_checks(scratch, pod, starting, minor);
            forbidden = (forbidden & ~starting) | (scratch->forbidden & starting);
        }
        for (int level = PG_LEVEL_BASELINE; level <= PG_LEVEL_RESTRICTED; level++) {
            if ((forbidden & table->checks[level][minor]) != 0) {
                out->fail[level] |= (uint64_t)1 << minor;
            }
        }
    }
}
