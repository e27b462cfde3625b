/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helper shared by the two procMount checks' tests (procMount and
 * procMount_restricted): one pod with every kind of procMount setting, and the
 * detail upstream gives for it. Both checks judge the same field; they differ
 * in versions and in what hostUsers relaxes.
 */
#ifndef PG_TEST_PROC_MOUNT_POD_H
#define PG_TEST_PROC_MOUNT_POD_H

#include "checks/pod_builder.h"

/* What proc_mount_build_abcde's pod is forbidden for: d and e, in order, each value once. */
#define PROC_MOUNT_ABCDE_DETAIL                                                                    \
    "containers \"d\", \"e\" must not set securityContext.procMount to \"Unmasked\", \"other\""

/* a no securityContext, b {}, c Default, d Unmasked, e other; hostUsers left unset. */
static inline void proc_mount_build_abcde(struct pb *b)
{
    pb_init(b);
    pb_container(b, "a");
    pb_sc(b, pb_container(b, "b"));
    PB_C_STR(b, pb_container(b, "c"), proc_mount, "Default");
    PB_C_STR(b, pb_container(b, "d"), proc_mount, "Unmasked");
    PB_C_STR(b, pb_container(b, "e"), proc_mount, "other");
}

#endif
