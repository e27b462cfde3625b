/* SPDX-License-Identifier: Apache-2.0 */
/* capabilities_restricted (spec §3.4). */
#include "harness.h"

#include "checks/pod_builder.h"

#define REASON "unrestricted capabilities"

/* a add FOO,BAR; b add BAR,BAZ; c add NET_BIND_SERVICE,CHOWN drop ALL,FOO. */
static void build_abc(struct pb *b)
{
    struct pg_container *c = NULL;
    pb_init(b);
    c = pb_container(b, "a");
    pb_cap_add(b, c, "FOO");
    pb_cap_add(b, c, "BAR");
    c = pb_container(b, "b");
    pb_cap_add(b, c, "BAR");
    pb_cap_add(b, c, "BAZ");
    c = pb_container(b, "c");
    pb_cap_add(b, c, "NET_BIND_SERVICE");
    pb_cap_add(b, c, "CHOWN");
    pb_cap_drop(b, c, "ALL");
    pb_cap_drop(b, c, "FOO");
}

static void test_capabilities_restricted_reports_missing_drop_then_adds(void)
{
    struct pb b;
    build_abc(&b);
    PG_EXPECT(pb_forbids(&b, PG_CHECK_CAPABILITIES_RESTRICTED, 22, REASON,
                         "containers \"a\", \"b\" must set "
                         "securityContext.capabilities.drop=[\"ALL\"]; containers \"a\", \"b\", "
                         "\"c\" must not include \"BAR\", \"BAZ\", \"CHOWN\", \"FOO\" in "
                         "securityContext.capabilities.add"));
}

static void test_capabilities_restricted_exempts_windows_from_v1_25(void)
{
    struct pb b;
    pb_init(&b);
    pb_os(&b, "windows");
    pb_container(&b, "a");
    PG_EXPECT(pb_allows(&b, PG_CHECK_CAPABILITIES_RESTRICTED, 25));
    PG_EXPECT(pb_forbids(&b, PG_CHECK_CAPABILITIES_RESTRICTED, 24, REASON,
                         "container \"a\" must set securityContext.capabilities.drop=[\"ALL\"]"));
}

static void test_capabilities_restricted_requires_drop_all_on_linux(void)
{
    struct pb b;
    pb_init(&b);
    pb_os(&b, "linux");
    pb_container(&b, "a");
    PG_EXPECT(pb_forbids(&b, PG_CHECK_CAPABILITIES_RESTRICTED, 25, REASON,
                         "container \"a\" must set securityContext.capabilities.drop=[\"ALL\"]"));
}

static void test_capabilities_restricted_only_adds_without_missing_drop(void)
{
    struct pb b;
    struct pg_container *c = NULL;
    pb_init(&b);
    c = pb_container(&b, "a");
    pb_cap_drop(&b, c, "ALL");
    pb_cap_add(&b, c, "SYS_ADMIN");
    PG_EXPECT(pb_forbids(&b, PG_CHECK_CAPABILITIES_RESTRICTED, 25, REASON,
                         "container \"a\" must not include \"SYS_ADMIN\" in "
                         "securityContext.capabilities.add"));
}

static void test_capabilities_restricted_drop_all_is_case_sensitive(void)
{
    struct pb b;
    struct pg_container *c = NULL;
    pb_init(&b);
    c = pb_container(&b, "a");
    pb_cap_drop(&b, c, "all");
    PG_EXPECT(pb_forbids(&b, PG_CHECK_CAPABILITIES_RESTRICTED, 25, REASON,
                         "container \"a\" must set securityContext.capabilities.drop=[\"ALL\"]"));
}

static void test_capabilities_restricted_allows_drop_all_with_net_bind_service(void)
{
    struct pb b;
    struct pg_container *c = NULL;
    pb_init(&b);
    c = pb_container(&b, "a");
    pb_cap_drop(&b, c, "ALL");
    pb_cap_add(&b, c, "NET_BIND_SERVICE");
    PG_EXPECT(pb_allows(&b, PG_CHECK_CAPABILITIES_RESTRICTED, PG_MAX_MINOR));
}

static bool not_container_a(const struct pg_finding *finding)
{
    return finding->container != 0;
}

static void test_capabilities_restricted_renders_what_exemptions_leave(void)
{
    struct pb b;
    struct pg_findings findings;
    build_abc(&b);
    pg_findings_init(&findings);
    pg_evaluate_checks(&findings, &b.pod, (pg_check_set)1u << PG_CHECK_CAPABILITIES_RESTRICTED,
                       PG_MAX_MINOR);
    pb_filter(&findings, not_container_a);
    PG_EXPECT(pb_rendered_as(&findings, &b.pod, PG_CHECK_CAPABILITIES_RESTRICTED, REASON,
                             "container \"b\" must set "
                             "securityContext.capabilities.drop=[\"ALL\"]; containers \"b\", \"c\" "
                             "must not include \"BAR\", \"BAZ\", \"CHOWN\" in "
                             "securityContext.capabilities.add"));
    pg_findings_release(&findings);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_capabilities_restricted_reports_missing_drop_then_adds)                     \
    PG_TEST_ENTRY(test_capabilities_restricted_exempts_windows_from_v1_25)                         \
    PG_TEST_ENTRY(test_capabilities_restricted_requires_drop_all_on_linux)                         \
    PG_TEST_ENTRY(test_capabilities_restricted_only_adds_without_missing_drop)                     \
    PG_TEST_ENTRY(test_capabilities_restricted_drop_all_is_case_sensitive)                         \
    PG_TEST_ENTRY(test_capabilities_restricted_allows_drop_all_with_net_bind_service)              \
    PG_TEST_ENTRY(test_capabilities_restricted_renders_what_exemptions_leave)

PG_TEST_MAIN(TESTS)
