/* SPDX-License-Identifier: Apache-2.0 */
/* hostNamespaces (spec §3.5). */
#include "harness.h"

#include "checks/pod_builder.h"

static void test_host_namespaces_lists_all_three_in_fixed_order(void)
{
    struct pb b;
    pb_init(&b);
    pb_set_bool(&b, &b.pod.host_ipc, true);
    pb_set_bool(&b, &b.pod.host_pid, true);
    pb_set_bool(&b, &b.pod.host_network, true);
    PG_EXPECT(pb_forbids(&b, PG_CHECK_HOST_NAMESPACES, 0, "host namespaces",
                         "hostNetwork=true, hostPID=true, hostIPC=true"));
}

static void test_host_namespaces_reports_only_host_pid(void)
{
    struct pb b;
    pb_init(&b);
    pb_set_bool(&b, &b.pod.host_network, false);
    pb_set_bool(&b, &b.pod.host_pid, true);
    PG_EXPECT(
        pb_forbids(&b, PG_CHECK_HOST_NAMESPACES, PG_MAX_MINOR, "host namespaces", "hostPID=true"));
}

static void test_host_namespaces_allows_false_and_absent(void)
{
    struct pb b;
    pb_init(&b);
    pb_set_bool(&b, &b.pod.host_network, false);
    pb_set_bool(&b, &b.pod.host_ipc, false);
    PG_EXPECT(pb_allows(&b, PG_CHECK_HOST_NAMESPACES, PG_MAX_MINOR));
}

static void test_host_namespaces_finding_points_at_the_field(void)
{
    struct pb b;
    struct pg_findings findings;
    const struct pg_node *node = NULL;
    pb_init(&b);
    node = pb_set_bool(&b, &b.pod.host_ipc, true);
    pg_findings_init(&findings);
    pg_evaluate_checks(&findings, &b.pod, (pg_check_set)1u << PG_CHECK_HOST_NAMESPACES, 0);
    PG_EXPECT_INT(findings.len, 1);
    PG_EXPECT(findings.items[0].node == node);
    PG_EXPECT_INT(findings.items[0].container, PG_FINDING_POD);
    PG_EXPECT_PGSTR(findings.items[0].value, "hostIPC");
    pg_findings_release(&findings);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_host_namespaces_lists_all_three_in_fixed_order)                             \
    PG_TEST_ENTRY(test_host_namespaces_reports_only_host_pid)                                      \
    PG_TEST_ENTRY(test_host_namespaces_allows_false_and_absent)                                    \
    PG_TEST_ENTRY(test_host_namespaces_finding_points_at_the_field)

PG_TEST_MAIN(TESTS)
