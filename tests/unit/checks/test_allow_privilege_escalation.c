/* SPDX-License-Identifier: Apache-2.0 */
/* allowPrivilegeEscalation (spec §3.1). */
#include "harness.h"

#include "checks/pod_builder.h"

#define REASON "allowPrivilegeEscalation != false"

/* a (no SC), b (SC, field unset), c (true), d (false). */
static void build_abcd(struct pb *b)
{
    pb_init(b);
    pb_container(b, "a");
    pb_sc(b, pb_container(b, "b"));
    PB_C_BOOL(b, pb_container(b, "c"), allow_privilege_escalation, true);
    PB_C_BOOL(b, pb_container(b, "d"), allow_privilege_escalation, false);
}

static void test_ape_requires_explicit_false_at_v1_8_and_v1_25(void)
{
    struct pb b;
    build_abcd(&b);
    PG_EXPECT(pb_forbids(&b, PG_CHECK_ALLOW_PRIVILEGE_ESCALATION, 8, REASON,
                         "containers \"a\", \"b\", \"c\" must set "
                         "securityContext.allowPrivilegeEscalation=false"));
    PG_EXPECT(pb_forbids(&b, PG_CHECK_ALLOW_PRIVILEGE_ESCALATION, 25, REASON,
                         "containers \"a\", \"b\", \"c\" must set "
                         "securityContext.allowPrivilegeEscalation=false"));
}

static void test_ape_exempts_windows_pods_from_v1_25(void)
{
    struct pb b;
    pb_init(&b);
    pb_os(&b, "windows");
    pb_container(&b, "a");
    PG_EXPECT(pb_allows(&b, PG_CHECK_ALLOW_PRIVILEGE_ESCALATION, 25));
    PG_EXPECT(pb_allows(&b, PG_CHECK_ALLOW_PRIVILEGE_ESCALATION, PG_MAX_MINOR));
}

static void test_ape_does_not_exempt_linux_pods(void)
{
    struct pb b;
    pb_init(&b);
    pb_os(&b, "linux");
    pb_container(&b, "a");
    PG_EXPECT(
        pb_forbids(&b, PG_CHECK_ALLOW_PRIVILEGE_ESCALATION, 25, REASON,
                   "container \"a\" must set securityContext.allowPrivilegeEscalation=false"));
}

static void test_ape_ignores_os_before_v1_25(void)
{
    struct pb b;
    pb_init(&b);
    pb_os(&b, "windows");
    pb_container(&b, "a");
    PG_EXPECT(
        pb_forbids(&b, PG_CHECK_ALLOW_PRIVILEGE_ESCALATION, 24, REASON,
                   "container \"a\" must set securityContext.allowPrivilegeEscalation=false"));
}

static void test_ape_windows_match_is_exact(void)
{
    struct pb b;
    pb_init(&b);
    pb_os(&b, "Windows");
    pb_container(&b, "a");
    PG_EXPECT(
        pb_forbids(&b, PG_CHECK_ALLOW_PRIVILEGE_ESCALATION, 25, REASON,
                   "container \"a\" must set securityContext.allowPrivilegeEscalation=false"));
}

static void test_ape_does_not_run_before_v1_8(void)
{
    struct pb b;
    build_abcd(&b);
    PG_EXPECT(pb_allows(&b, PG_CHECK_ALLOW_PRIVILEGE_ESCALATION, 7));
}

static void test_ape_findings_point_at_closest_existing_node(void)
{
    struct pb b;
    struct pg_findings findings;
    pb_init(&b);
    build_abcd(&b);
    pg_findings_init(&findings);
    pg_evaluate_checks(&findings, &b.pod, (pg_check_set)1u << PG_CHECK_ALLOW_PRIVILEGE_ESCALATION,
                       25);
    PG_EXPECT_INT(findings.len, 3);
    PG_EXPECT_INT(findings.items[0].kind, PG_FIND_CONTAINER_UNSET);
    PG_EXPECT(findings.items[0].node == b.containers[0].node);
    PG_EXPECT_INT(findings.items[1].kind, PG_FIND_CONTAINER_UNSET);
    PG_EXPECT(findings.items[1].node == b.containers[1].security_context);
    PG_EXPECT_INT(findings.items[2].kind, PG_FIND_CONTAINER_VALUE);
    PG_EXPECT(findings.items[2].node == b.containers[2].allow_privilege_escalation.node);
    pg_findings_release(&findings);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_ape_requires_explicit_false_at_v1_8_and_v1_25)                              \
    PG_TEST_ENTRY(test_ape_exempts_windows_pods_from_v1_25)                                        \
    PG_TEST_ENTRY(test_ape_does_not_exempt_linux_pods)                                             \
    PG_TEST_ENTRY(test_ape_ignores_os_before_v1_25)                                                \
    PG_TEST_ENTRY(test_ape_windows_match_is_exact)                                                 \
    PG_TEST_ENTRY(test_ape_does_not_run_before_v1_8)                                               \
    PG_TEST_ENTRY(test_ape_findings_point_at_closest_existing_node)

PG_TEST_MAIN(TESTS)
