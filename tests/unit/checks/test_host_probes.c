/* SPDX-License-Identifier: Apache-2.0 */
/* hostProbesAndHostLifecycle (spec §3.8). */
#include "harness.h"

#include "checks/pod_builder.h"

#define CHECK PG_CHECK_HOST_PROBES_AND_HOST_LIFECYCLE
#define REASON "probe or lifecycle host"

static void test_host_probes_sorts_hosts_of_one_container(void)
{
    struct pb b;
    struct pg_container *a = NULL;
    pb_init(&b);
    a = pb_container(&b, "a");
    pb_probe_host(&b, a, PB_LIVENESS_HTTP, "127.0.0.1");
    pb_probe_host(&b, a, PB_READINESS_TCP, "::1");
    pb_probe_host(&b, a, PB_STARTUP_HTTP, "localhost");
    PG_EXPECT(pb_forbids(&b, CHECK, 34, REASON,
                         "container \"a\" uses probe or lifecycle hosts \"127.0.0.1\", \"::1\", "
                         "\"localhost\""));
}

static void test_host_probes_reports_liveness_host(void)
{
    struct pb b;
    pb_init(&b);
    pb_probe_host(&b, pb_container(&b, "a"), PB_LIVENESS_HTTP, "invalid.host");
    PG_EXPECT(pb_forbids(&b, CHECK, 34, REASON,
                         "container \"a\" uses probe or lifecycle host \"invalid.host\""));
}

static void test_host_probes_reports_pre_stop_host(void)
{
    struct pb b;
    pb_init(&b);
    pb_probe_host(&b, pb_container(&b, "e"), PB_PRE_STOP_HTTP, "another.invalid.host");
    PG_EXPECT(pb_forbids(&b, CHECK, PG_MAX_MINOR, REASON,
                         "container \"e\" uses probe or lifecycle host \"another.invalid.host\""));
}

static void test_host_probes_merges_containers_and_hosts(void)
{
    struct pb b;
    struct pg_container *c = NULL;
    pb_init(&b);
    pb_container(&b, "valid");
    pb_probe_host(&b, pb_container(&b, "invalid1"), PB_LIVENESS_HTTP, "a.com");
    c = pb_container(&b, "invalid2");
    pb_probe_host(&b, c, PB_PRE_STOP_TCP, "b.com");
    pb_probe_host(&b, c, PB_STARTUP_HTTP, "a.com");
    PG_EXPECT(pb_forbids(&b, CHECK, 34, REASON,
                         "containers \"invalid1\", \"invalid2\" use probe or lifecycle hosts "
                         "\"a.com\", \"b.com\""));
}

static void test_host_probes_checks_init_containers(void)
{
    struct pb b;
    pb_init(&b);
    pb_probe_host(&b, pb_container_in(&b, PG_CONTAINERS_INIT, "init"), PB_LIVENESS_HTTP,
                  "invalid.init.host");
    pb_container(&b, "app");
    PG_EXPECT(pb_forbids(&b, CHECK, 34, REASON,
                         "container \"init\" uses probe or lifecycle host \"invalid.init.host\""));
}

static void test_host_probes_sorts_and_dedupes_container_names(void)
{
    struct pb b;
    pb_init(&b);
    pb_probe_host(&b, pb_container(&b, "z"), PB_LIVENESS_HTTP, "h");
    pb_probe_host(&b, pb_container(&b, "m"), PB_LIVENESS_HTTP, "h");
    pb_probe_host(&b, pb_container_in(&b, PG_CONTAINERS_EPHEMERAL, "m"), PB_POST_START_TCP, "h");
    PG_EXPECT(pb_forbids(&b, CHECK, 34, REASON,
                         "containers \"m\", \"z\" use probe or lifecycle host \"h\""));
}

static void test_host_probes_allows_handlers_without_host(void)
{
    struct pb b;
    struct pg_container *a = NULL;
    pb_init(&b);
    a = pb_container(&b, "a");
    pb_probe_host(&b, a, PB_LIVENESS_HTTP, "");
    PG_EXPECT(pb_allows(&b, CHECK, 34));
}

static void test_host_probes_does_not_run_before_v1_34(void)
{
    struct pb b;
    pb_init(&b);
    pb_probe_host(&b, pb_container(&b, "a"), PB_LIVENESS_HTTP, "invalid.host");
    PG_EXPECT(pb_allows(&b, CHECK, 33));
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_host_probes_sorts_hosts_of_one_container)                                   \
    PG_TEST_ENTRY(test_host_probes_reports_liveness_host)                                          \
    PG_TEST_ENTRY(test_host_probes_reports_pre_stop_host)                                          \
    PG_TEST_ENTRY(test_host_probes_merges_containers_and_hosts)                                    \
    PG_TEST_ENTRY(test_host_probes_checks_init_containers)                                         \
    PG_TEST_ENTRY(test_host_probes_sorts_and_dedupes_container_names)                              \
    PG_TEST_ENTRY(test_host_probes_allows_handlers_without_host)                                   \
    PG_TEST_ENTRY(test_host_probes_does_not_run_before_v1_34)

PG_TEST_MAIN(TESTS)
