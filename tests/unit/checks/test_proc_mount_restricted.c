/* SPDX-License-Identifier: Apache-2.0 */
/* procMount_restricted (spec §3.11). */
#include "harness.h"

#include "checks/proc_mount_pod.h"

static void test_proc_mount_restricted_ignores_host_users_true(void)
{
    struct pb b;
    proc_mount_build_abcde(&b);
    pb_set_bool(&b, &b.pod.host_users, true);
    PG_EXPECT(
        pb_forbids(&b, PG_CHECK_PROC_MOUNT_RESTRICTED, 35, "procMount", PROC_MOUNT_ABCDE_DETAIL));
}

static void test_proc_mount_restricted_is_not_relaxed_for_user_namespaces(void)
{
    struct pb b;
    proc_mount_build_abcde(&b);
    pb_set_bool(&b, &b.pod.host_users, false);
    PG_EXPECT(
        pb_forbids(&b, PG_CHECK_PROC_MOUNT_RESTRICTED, 35, "procMount", PROC_MOUNT_ABCDE_DETAIL));
    PG_EXPECT(pb_forbids(&b, PG_CHECK_PROC_MOUNT_RESTRICTED, PG_MAX_MINOR, "procMount",
                         PROC_MOUNT_ABCDE_DETAIL));
}

static void test_proc_mount_restricted_does_not_run_before_v1_35(void)
{
    struct pb b;
    proc_mount_build_abcde(&b);
    PG_EXPECT(pb_allows(&b, PG_CHECK_PROC_MOUNT_RESTRICTED, 34));
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_proc_mount_restricted_ignores_host_users_true)                              \
    PG_TEST_ENTRY(test_proc_mount_restricted_is_not_relaxed_for_user_namespaces)                   \
    PG_TEST_ENTRY(test_proc_mount_restricted_does_not_run_before_v1_35)

PG_TEST_MAIN(TESTS)
