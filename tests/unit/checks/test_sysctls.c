/* SPDX-License-Identifier: Apache-2.0 */
/* sysctls (spec §3.18). */
#include "harness.h"

#include "checks/pod_builder.h"

#define CHECK PG_CHECK_SYSCTLS
#define REASON "forbidden sysctls"

static void test_sysctls_lists_forbidden_names_in_array_order(void)
{
    struct pb b;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_sysctl(&b, "a");
    pb_sysctl(&b, "b");
    PG_EXPECT(pb_forbids(&b, CHECK, 0, REASON, "a, b"));
    PG_EXPECT(pb_forbids(&b, CHECK, PG_MAX_MINOR, REASON, "a, b"));
}

static void test_sysctls_keeps_order_and_duplicates(void)
{
    struct pb b;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_sysctl(&b, "z");
    pb_sysctl(&b, "kernel.shm_rmid_forced");
    pb_sysctl(&b, "a");
    pb_sysctl(&b, "z");
    PG_EXPECT(pb_forbids(&b, CHECK, 0, REASON, "z, a, z"));
}

/* A sysctl allowed from `since` is forbidden one minor earlier, with the name as detail. */
static bool allowed_from(const char *name, unsigned since)
{
    struct pb b;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_sysctl(&b, name);
    return pb_forbids(&b, CHECK, since - 1, REASON, name) &&
           pb_forbids(&b, CHECK, 0, REASON, name) && pb_allows(&b, CHECK, since) &&
           pb_allows(&b, CHECK, PG_MAX_MINOR);
}

static void test_sysctls_v1_0_list_is_always_allowed(void)
{
    static const char *const names[] = {"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
                                        "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
                                        "net.ipv4.ip_unprivileged_port_start"};
    struct pb b;
    size_t i = 0;
    pb_init(&b);
    pb_pod_sc(&b);
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        pb_sysctl(&b, names[i]);
    }
    PG_EXPECT(pb_allows(&b, CHECK, 0));
}

static void test_sysctls_ip_local_reserved_ports_allowed_from_v1_27(void)
{
    PG_EXPECT(allowed_from("net.ipv4.ip_local_reserved_ports", 27));
}

static void test_sysctls_tcp_keepalive_and_fin_timeout_allowed_from_v1_29(void)
{
    PG_EXPECT(allowed_from("net.ipv4.tcp_keepalive_time", 29));
    PG_EXPECT(allowed_from("net.ipv4.tcp_fin_timeout", 29));
    PG_EXPECT(allowed_from("net.ipv4.tcp_keepalive_intvl", 29));
    PG_EXPECT(allowed_from("net.ipv4.tcp_keepalive_probes", 29));
}

static void test_sysctls_tcp_rmem_wmem_allowed_from_v1_32(void)
{
    PG_EXPECT(allowed_from("net.ipv4.tcp_rmem", 32));
    PG_EXPECT(allowed_from("net.ipv4.tcp_wmem", 32));
}

static void test_sysctls_slow_start_and_notsent_lowat_allowed_from_v1_37(void)
{
    PG_EXPECT(allowed_from("net.ipv4.tcp_slow_start_after_idle", 37));
    PG_EXPECT(allowed_from("net.ipv4.tcp_notsent_lowat", 37));
}

static void test_sysctls_match_names_exactly(void)
{
    struct pb b;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_sysctl(&b, "kernel/shm_rmid_forced");
    pb_sysctl(&b, "net.ipv4.ip_local_port_range.x");
    PG_EXPECT(pb_forbids(&b, CHECK, PG_MAX_MINOR, REASON,
                         "kernel/shm_rmid_forced, net.ipv4.ip_local_port_range.x"));
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_sysctls_lists_forbidden_names_in_array_order)                               \
    PG_TEST_ENTRY(test_sysctls_keeps_order_and_duplicates)                                         \
    PG_TEST_ENTRY(test_sysctls_v1_0_list_is_always_allowed)                                        \
    PG_TEST_ENTRY(test_sysctls_ip_local_reserved_ports_allowed_from_v1_27)                         \
    PG_TEST_ENTRY(test_sysctls_tcp_keepalive_and_fin_timeout_allowed_from_v1_29)                   \
    PG_TEST_ENTRY(test_sysctls_tcp_rmem_wmem_allowed_from_v1_32)                                   \
    PG_TEST_ENTRY(test_sysctls_slow_start_and_notsent_lowat_allowed_from_v1_37)                    \
    PG_TEST_ENTRY(test_sysctls_match_names_exactly)

PG_TEST_MAIN(TESTS)
