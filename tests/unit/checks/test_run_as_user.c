/* SPDX-License-Identifier: Apache-2.0 */
/* runAsUser (spec §3.14). */
#include "harness.h"

#include "checks/pod_builder.h"

#define CHECK PG_CHECK_RUN_AS_USER

static void test_run_as_user_forbids_pod_root(void)
{
    struct pb b;
    pb_init(&b);
    PB_POD_INT(&b, sc.run_as_user, 0);
    pb_container(&b, "a");
    PG_EXPECT(pb_forbids(&b, CHECK, 23, "runAsUser=0", "pod must not set runAsUser=0"));
}

static void test_run_as_user_allows_non_root_or_unset_pod(void)
{
    struct pb b;
    pb_init(&b);
    PB_POD_INT(&b, sc.run_as_user, 1000);
    pb_container(&b, "a");
    PG_EXPECT(pb_allows(&b, CHECK, 23));
    pb_init(&b);
    pb_pod_sc(&b);
    pb_container(&b, "a");
    PG_EXPECT(pb_allows(&b, CHECK, 23));
}

static void test_run_as_user_names_root_containers(void)
{
    struct pb b;
    pb_init(&b);
    pb_container(&b, "a");
    pb_sc(&b, pb_container(&b, "b"));
    PB_C_INT(&b, pb_container(&b, "c"), sc.run_as_user, 0);
    PB_C_INT(&b, pb_container(&b, "d"), sc.run_as_user, 0);
    PB_C_INT(&b, pb_container(&b, "e"), sc.run_as_user, 1000);
    PB_C_INT(&b, pb_container(&b, "f"), sc.run_as_user, -1);
    PG_EXPECT(pb_forbids(&b, CHECK, 23, "runAsUser=0",
                         "containers \"c\", \"d\" must not set runAsUser=0"));
}

static void test_run_as_user_container_value_does_not_undo_pod_root(void)
{
    struct pb b;
    pb_init(&b);
    PB_POD_INT(&b, sc.run_as_user, 0);
    PB_C_INT(&b, pb_container(&b, "a"), sc.run_as_user, 1000);
    PB_C_INT(&b, pb_container(&b, "b"), sc.run_as_user, 0);
    PG_EXPECT(pb_forbids(&b, CHECK, PG_MAX_MINOR, "runAsUser=0",
                         "pod and container \"b\" must not set runAsUser=0"));
}

static void test_run_as_user_relaxed_for_user_namespaces_from_v1_35(void)
{
    struct pb b;
    pb_init(&b);
    pb_set_bool(&b, &b.pod.host_users, false);
    PB_POD_INT(&b, sc.run_as_user, 0);
    PG_EXPECT(pb_allows(&b, CHECK, 35));
    PG_EXPECT(pb_forbids(&b, CHECK, 34, "runAsUser=0", "pod must not set runAsUser=0"));
}

static void test_run_as_user_does_not_run_before_v1_23(void)
{
    struct pb b;
    pb_init(&b);
    PB_POD_INT(&b, sc.run_as_user, 0);
    PG_EXPECT(pb_allows(&b, CHECK, 22));
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_run_as_user_forbids_pod_root)                                               \
    PG_TEST_ENTRY(test_run_as_user_allows_non_root_or_unset_pod)                                   \
    PG_TEST_ENTRY(test_run_as_user_names_root_containers)                                          \
    PG_TEST_ENTRY(test_run_as_user_container_value_does_not_undo_pod_root)                         \
    PG_TEST_ENTRY(test_run_as_user_relaxed_for_user_namespaces_from_v1_35)                         \
    PG_TEST_ENTRY(test_run_as_user_does_not_run_before_v1_23)

PG_TEST_MAIN(TESTS)
