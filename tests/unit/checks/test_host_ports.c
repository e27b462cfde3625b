/* SPDX-License-Identifier: Apache-2.0 */
/* hostPorts (spec §3.7). */
#include "harness.h"

#include "checks/pod_builder.h"

static void test_host_ports_reports_one_nonzero_port(void)
{
    struct pb b;
    struct pg_container *c = NULL;
    pb_init(&b);
    pb_host_port(&b, pb_container(&b, "a"), 0);
    c = pb_container(&b, "b");
    pb_host_port(&b, c, 0);
    pb_host_port(&b, c, 20);
    PG_EXPECT(
        pb_forbids(&b, PG_CHECK_HOST_PORTS, 0, "hostPort", "container \"b\" uses hostPort 20"));
}

static void test_host_ports_merges_ports_of_several_containers(void)
{
    struct pb b;
    struct pg_container *c = NULL;
    pb_init(&b);
    pb_host_port(&b, pb_container(&b, "a"), 0);
    c = pb_container(&b, "b");
    pb_host_port(&b, c, 0);
    pb_host_port(&b, c, 10);
    pb_host_port(&b, c, 20);
    c = pb_container(&b, "c");
    pb_host_port(&b, c, 0);
    pb_host_port(&b, c, 10);
    pb_host_port(&b, c, 30);
    PG_EXPECT(pb_forbids(&b, PG_CHECK_HOST_PORTS, 0, "hostPort",
                         "containers \"b\", \"c\" use hostPorts 10, 20, 30"));
}

static void test_host_ports_sorts_ports_as_text(void)
{
    struct pb b;
    struct pg_container *c = NULL;
    pb_init(&b);
    c = pb_container(&b, "a");
    pb_host_port(&b, c, 9);
    pb_host_port(&b, c, 8080);
    PG_EXPECT(pb_forbids(&b, PG_CHECK_HOST_PORTS, 0, "hostPort",
                         "container \"a\" uses hostPorts 8080, 9"));
}

static void test_host_ports_counts_defaulted_host_ports(void)
{
    struct pb b;
    struct pg_container *c = NULL;
    pb_init(&b);
    c = pb_container(&b, "web");
    c->ports_len = 1;
    c->ports[0].node = pb_node(&b);
    pb_set_int(&b, &c->ports[0].container_port, 8080);
    c->ports[0].host_port.value = 8080;
    c->ports[0].host_port_defaulted = true;
    PG_EXPECT(
        pb_forbids(&b, PG_CHECK_HOST_PORTS, 0, "hostPort", "container \"web\" uses hostPort 8080"));
}

static void test_host_ports_allows_zero_and_absent(void)
{
    struct pb b;
    struct pg_container *c = NULL;
    pb_init(&b);
    c = pb_container(&b, "a");
    pb_host_port(&b, c, 0);
    c->ports_len = 2;
    c->ports[1].node = pb_node(&b);
    PG_EXPECT(pb_allows(&b, PG_CHECK_HOST_PORTS, PG_MAX_MINOR));
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_host_ports_reports_one_nonzero_port)                                        \
    PG_TEST_ENTRY(test_host_ports_merges_ports_of_several_containers)                              \
    PG_TEST_ENTRY(test_host_ports_sorts_ports_as_text)                                             \
    PG_TEST_ENTRY(test_host_ports_counts_defaulted_host_ports)                                     \
    PG_TEST_ENTRY(test_host_ports_allows_zero_and_absent)

PG_TEST_MAIN(TESTS)
