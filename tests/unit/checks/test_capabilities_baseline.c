/* SPDX-License-Identifier: Apache-2.0 */
/* capabilities_baseline (spec §3.3). */
#include "harness.h"

#include "checks/pod_builder.h"

#define REASON "non-default capabilities"

static void test_capabilities_baseline_lists_containers_and_sorted_capabilities(void)
{
    struct pb b;
    struct pg_container *a = NULL;
    struct pg_container *c = NULL;
    pb_init(&b);
    a = pb_container(&b, "a");
    pb_cap_add(&b, a, "FOO");
    pb_cap_add(&b, a, "BAR");
    c = pb_container(&b, "b");
    pb_cap_add(&b, c, "BAR");
    pb_cap_add(&b, c, "BAZ");
    PG_EXPECT(pb_forbids(&b, PG_CHECK_CAPABILITIES_BASELINE, 0, REASON,
                         "containers \"a\", \"b\" must not include \"BAR\", \"BAZ\", \"FOO\" in "
                         "securityContext.capabilities.add"));
}

static void test_capabilities_baseline_forbids_net_raw(void)
{
    struct pb b;
    pb_init(&b);
    pb_cap_add(&b, pb_container(&b, "c"), "NET_RAW");
    PG_EXPECT(pb_forbids(&b, PG_CHECK_CAPABILITIES_BASELINE, 0, REASON,
                         "container \"c\" must not include \"NET_RAW\" in "
                         "securityContext.capabilities.add"));
}

static void test_capabilities_baseline_allows_the_default_set_and_ignores_drop(void)
{
    static const char *const defaults[] = {
        "AUDIT_WRITE",      "CHOWN",   "DAC_OVERRIDE", "FOWNER",  "FSETID", "KILL",       "MKNOD",
        "NET_BIND_SERVICE", "SETFCAP", "SETGID",       "SETPCAP", "SETUID", "SYS_CHROOT",
    };
    struct pb b;
    struct pg_container *a = NULL;
    struct pg_container *c = NULL;
    size_t i = 0;
    pb_init(&b);
    a = pb_container(&b, "a");
    c = pb_container(&b, "b");
    for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
        pb_cap_add(&b, i < 7 ? a : c, defaults[i]);
    }
    pb_cap_drop(&b, a, "SYS_ADMIN");
    pb_container(&b, "none");
    PG_EXPECT(pb_allows(&b, PG_CHECK_CAPABILITIES_BASELINE, PG_MAX_MINOR));
}

static void test_capabilities_baseline_is_exact_and_case_sensitive(void)
{
    struct pb b;
    struct pg_container *a = NULL;
    pb_init(&b);
    a = pb_container(&b, "a");
    pb_cap_add(&b, a, "CAP_CHOWN");
    pb_cap_add(&b, a, "chown");
    PG_EXPECT(pb_forbids(&b, PG_CHECK_CAPABILITIES_BASELINE, 0, REASON,
                         "container \"a\" must not include \"CAP_CHOWN\", \"chown\" in "
                         "securityContext.capabilities.add"));
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_capabilities_baseline_lists_containers_and_sorted_capabilities)             \
    PG_TEST_ENTRY(test_capabilities_baseline_forbids_net_raw)                                      \
    PG_TEST_ENTRY(test_capabilities_baseline_allows_the_default_set_and_ignores_drop)              \
    PG_TEST_ENTRY(test_capabilities_baseline_is_exact_and_case_sensitive)

PG_TEST_MAIN(TESTS)
