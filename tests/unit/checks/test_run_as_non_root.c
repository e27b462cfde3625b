/* SPDX-License-Identifier: Apache-2.0 */
/* runAsNonRoot (spec §3.13). */
#include "harness.h"

#include "checks/pod_builder.h"

#define CHECK PG_CHECK_RUN_AS_NON_ROOT
#define REASON "runAsNonRoot != true"

static void test_run_as_non_root_requires_pod_or_container_true(void)
{
    struct pb b;
    pb_init(&b);
    pb_container(&b, "a");
    PG_EXPECT(pb_forbids(&b, CHECK, 0, REASON,
                         "pod or container \"a\" must set securityContext.runAsNonRoot=true"));
}

static void test_run_as_non_root_names_pod_that_sets_false(void)
{
    struct pb b;
    pb_init(&b);
    PB_POD_BOOL(&b, sc.run_as_non_root, false);
    pb_container(&b, "a");
    PG_EXPECT(
        pb_forbids(&b, CHECK, 0, REASON, "pod must not set securityContext.runAsNonRoot=false"));
}

static void test_run_as_non_root_names_containers_that_set_false(void)
{
    struct pb b;
    pb_init(&b);
    PB_POD_BOOL(&b, sc.run_as_non_root, true);
    pb_container(&b, "a");
    pb_sc(&b, pb_container(&b, "b"));
    PB_C_BOOL(&b, pb_container(&b, "c"), sc.run_as_non_root, false);
    PB_C_BOOL(&b, pb_container(&b, "d"), sc.run_as_non_root, false);
    PG_EXPECT(
        pb_forbids(&b, CHECK, 0, REASON,
                   "containers \"c\", \"d\" must not set securityContext.runAsNonRoot=false"));
}

static void test_run_as_non_root_lists_implicit_containers(void)
{
    struct pb b;
    pb_init(&b);
    pb_container(&b, "a");
    pb_sc(&b, pb_container(&b, "b"));
    PB_C_BOOL(&b, pb_container(&b, "c"), sc.run_as_non_root, true);
    PB_C_BOOL(&b, pb_container(&b, "d"), sc.run_as_non_root, true);
    PG_EXPECT(
        pb_forbids(&b, CHECK, 0, REASON,
                   "pod or containers \"a\", \"b\" must set securityContext.runAsNonRoot=true"));
}

static void test_run_as_non_root_relaxed_for_user_namespaces_from_v1_35(void)
{
    struct pb b;
    pb_init(&b);
    pb_set_bool(&b, &b.pod.host_users, false);
    pb_container(&b, "a");
    PG_EXPECT(pb_allows(&b, CHECK, 35));
    PG_EXPECT(pb_forbids(&b, CHECK, 34, REASON,
                         "pod or container \"a\" must set securityContext.runAsNonRoot=true"));
}

static void test_run_as_non_root_joins_pod_and_container_setters(void)
{
    struct pb b;
    pb_init(&b);
    PB_POD_BOOL(&b, sc.run_as_non_root, false);
    PB_C_BOOL(&b, pb_container(&b, "x"), sc.run_as_non_root, false);
    PG_EXPECT(
        pb_forbids(&b, CHECK, 0, REASON,
                   "pod and container \"x\" must not set securityContext.runAsNonRoot=false"));
}

static void test_run_as_non_root_allows_pod_true_and_empty_pods(void)
{
    struct pb b;
    pb_init(&b);
    PG_EXPECT(pb_allows(&b, CHECK, 0));
    PB_POD_BOOL(&b, sc.run_as_non_root, true);
    pb_container(&b, "a");
    PG_EXPECT(pb_allows(&b, CHECK, PG_MAX_MINOR));
}

static bool not_pod_level(const struct pg_finding *finding)
{
    return finding->container != PG_FINDING_POD;
}

static void test_run_as_non_root_falls_back_to_implicit_after_exemption(void)
{
    struct pb b;
    struct pg_findings findings;
    pb_init(&b);
    PB_POD_BOOL(&b, sc.run_as_non_root, false);
    pb_container(&b, "a");
    pg_findings_init(&findings);
    pg_evaluate_checks(&findings, &b.pod, (pg_check_set)1u << CHECK, 0);
    PG_EXPECT_INT(findings.len, 2);
    pb_filter(&findings, not_pod_level);
    PG_EXPECT(pb_rendered_as(&findings, &b.pod, CHECK, REASON,
                             "pod or container \"a\" must set securityContext.runAsNonRoot=true"));
    pg_findings_release(&findings);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_run_as_non_root_requires_pod_or_container_true)                             \
    PG_TEST_ENTRY(test_run_as_non_root_names_pod_that_sets_false)                                  \
    PG_TEST_ENTRY(test_run_as_non_root_names_containers_that_set_false)                            \
    PG_TEST_ENTRY(test_run_as_non_root_lists_implicit_containers)                                  \
    PG_TEST_ENTRY(test_run_as_non_root_relaxed_for_user_namespaces_from_v1_35)                     \
    PG_TEST_ENTRY(test_run_as_non_root_joins_pod_and_container_setters)                            \
    PG_TEST_ENTRY(test_run_as_non_root_allows_pod_true_and_empty_pods)                             \
    PG_TEST_ENTRY(test_run_as_non_root_falls_back_to_implicit_after_exemption)

PG_TEST_MAIN(TESTS)
