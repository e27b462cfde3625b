/* SPDX-License-Identifier: Apache-2.0 */
/* privileged (spec §3.9). */
#include "harness.h"

#include "checks/pod_builder.h"

static void test_privileged_names_only_containers_that_set_true(void)
{
    struct pb b;
    pb_init(&b);
    pb_container(&b, "a");
    pb_sc(&b, pb_container(&b, "b"));
    PB_C_BOOL(&b, pb_container(&b, "c"), privileged, false);
    PB_C_BOOL(&b, pb_container(&b, "d"), privileged, true);
    PB_C_BOOL(&b, pb_container(&b, "e"), privileged, true);
    PG_EXPECT(pb_forbids(&b, PG_CHECK_PRIVILEGED, 0, "privileged",
                         "containers \"d\", \"e\" must not set securityContext.privileged=true"));
    PG_EXPECT(pb_forbids(&b, PG_CHECK_PRIVILEGED, PG_MAX_MINOR, "privileged",
                         "containers \"d\", \"e\" must not set securityContext.privileged=true"));
}

static void test_privileged_checks_init_and_ephemeral_containers(void)
{
    struct pb b;
    pb_init(&b);
    PB_C_BOOL(&b, pb_container_in(&b, PG_CONTAINERS_INIT, "init"), privileged, true);
    pb_container(&b, "app");
    PB_C_BOOL(&b, pb_container_in(&b, PG_CONTAINERS_EPHEMERAL, "debug"), privileged, true);
    PG_EXPECT(pb_forbids(&b, PG_CHECK_PRIVILEGED, 0, "privileged",
                         "containers \"init\", \"debug\" must not set "
                         "securityContext.privileged=true"));
}

static void test_privileged_repeats_duplicate_container_names(void)
{
    struct pb b;
    pb_init(&b);
    PB_C_BOOL(&b, pb_container_in(&b, PG_CONTAINERS_INIT, "x"), privileged, true);
    PB_C_BOOL(&b, pb_container(&b, "x"), privileged, true);
    PG_EXPECT(pb_forbids(&b, PG_CHECK_PRIVILEGED, 0, "privileged",
                         "containers \"x\", \"x\" must not set securityContext.privileged=true"));
}

static void test_privileged_finding_points_at_the_field(void)
{
    struct pb b;
    struct pg_findings findings;
    const struct pg_node *node = NULL;
    pb_init(&b);
    pb_container(&b, "a");
    node = PB_C_BOOL(&b, pb_container(&b, "b"), privileged, true);
    pg_findings_init(&findings);
    pg_evaluate_checks(&findings, &b.pod, (pg_check_set)1u << PG_CHECK_PRIVILEGED, 0);
    PG_EXPECT_INT(findings.len, 1);
    PG_EXPECT_INT(findings.items[0].container, 1);
    PG_EXPECT_INT(findings.items[0].kind, PG_FIND_CONTAINER_VALUE);
    PG_EXPECT(findings.items[0].node == node);
    PG_EXPECT_INT(findings.forbidden, (pg_check_set)1u << PG_CHECK_PRIVILEGED);
    pg_findings_release(&findings);
}

static void test_privileged_allows_pod_without_privileged_containers(void)
{
    struct pb b;
    pb_init(&b);
    pb_container(&b, "a");
    PB_C_BOOL(&b, pb_container(&b, "b"), privileged, false);
    PG_EXPECT(pb_allows(&b, PG_CHECK_PRIVILEGED, PG_MAX_MINOR));
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_privileged_names_only_containers_that_set_true)                             \
    PG_TEST_ENTRY(test_privileged_checks_init_and_ephemeral_containers)                            \
    PG_TEST_ENTRY(test_privileged_repeats_duplicate_container_names)                               \
    PG_TEST_ENTRY(test_privileged_finding_points_at_the_field)                                     \
    PG_TEST_ENTRY(test_privileged_allows_pod_without_privileged_containers)

PG_TEST_MAIN(TESTS)
