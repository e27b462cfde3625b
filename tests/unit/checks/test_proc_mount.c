/* SPDX-License-Identifier: Apache-2.0 */
/* procMount (spec §3.10). */
#include "harness.h"

#include "checks/proc_mount_pod.h"

static void test_proc_mount_forbids_non_default_with_host_users(void)
{
    struct pb b;
    proc_mount_build_abcde(&b);
    pb_set_bool(&b, &b.pod.host_users, true);
    PG_EXPECT(pb_forbids(&b, PG_CHECK_PROC_MOUNT, 35, "procMount", PROC_MOUNT_ABCDE_DETAIL));
}

static void test_proc_mount_relaxed_for_user_namespaces_from_v1_35(void)
{
    struct pb b;
    proc_mount_build_abcde(&b);
    pb_set_bool(&b, &b.pod.host_users, false);
    PG_EXPECT(pb_allows(&b, PG_CHECK_PROC_MOUNT, 35));
    PG_EXPECT(pb_allows(&b, PG_CHECK_PROC_MOUNT, PG_MAX_MINOR));
}

static void test_proc_mount_not_relaxed_before_v1_35(void)
{
    struct pb b;
    proc_mount_build_abcde(&b);
    pb_set_bool(&b, &b.pod.host_users, false);
    PG_EXPECT(pb_forbids(&b, PG_CHECK_PROC_MOUNT, 34, "procMount", PROC_MOUNT_ABCDE_DETAIL));
    PG_EXPECT(pb_forbids(&b, PG_CHECK_PROC_MOUNT, 0, "procMount", PROC_MOUNT_ABCDE_DETAIL));
}

static void test_proc_mount_absent_host_users_is_strict(void)
{
    struct pb b;
    proc_mount_build_abcde(&b);
    PG_EXPECT(
        pb_forbids(&b, PG_CHECK_PROC_MOUNT, PG_MAX_MINOR, "procMount", PROC_MOUNT_ABCDE_DETAIL));
}

static void test_proc_mount_single_container_is_singular(void)
{
    struct pb b;
    pb_init(&b);
    PB_C_STR(&b, pb_container(&b, "x"), proc_mount, "Unmasked");
    PG_EXPECT(pb_forbids(&b, PG_CHECK_PROC_MOUNT, 0, "procMount",
                         "container \"x\" must not set securityContext.procMount to \"Unmasked\""));
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_proc_mount_forbids_non_default_with_host_users)                             \
    PG_TEST_ENTRY(test_proc_mount_relaxed_for_user_namespaces_from_v1_35)                          \
    PG_TEST_ENTRY(test_proc_mount_not_relaxed_before_v1_35)                                        \
    PG_TEST_ENTRY(test_proc_mount_absent_host_users_is_strict)                                     \
    PG_TEST_ENTRY(test_proc_mount_single_container_is_singular)

PG_TEST_MAIN(TESTS)
