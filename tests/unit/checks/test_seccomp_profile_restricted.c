/* SPDX-License-Identifier: Apache-2.0 */
/* seccompProfile_restricted (spec §3.17). */
#include "harness.h"

#include "checks/pod_builder.h"

#define CHECK PG_CHECK_SECCOMP_PROFILE_RESTRICTED
#define MUST_SET                                                                                   \
    "must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\""

static void add_profile_container(struct pb *b, const char *name, const char *type)
{
    struct pg_container *c = pb_container(b, name);
    pb_c_profile(b, c, &c->sc.seccomp_profile, type);
}

static void test_seccomp_restricted_requires_a_profile(void)
{
    struct pb b;
    pb_init(&b);
    pb_container(&b, "a");
    PG_EXPECT(pb_forbids(&b, CHECK, 19, "seccompProfile", "pod or container \"a\" " MUST_SET));
    PG_EXPECT(pb_forbids(&b, CHECK, 25, "seccompProfile", "pod or container \"a\" " MUST_SET));
}

static void test_seccomp_restricted_exempts_windows_from_v1_25(void)
{
    struct pb b;
    pb_init(&b);
    pb_os(&b, "windows");
    pb_container(&b, "a");
    PG_EXPECT(pb_allows(&b, CHECK, 25));
    PG_EXPECT(pb_forbids(&b, CHECK, 24, "seccompProfile", "pod or container \"a\" " MUST_SET));
}

static void test_seccomp_restricted_does_not_exempt_linux(void)
{
    struct pb b;
    pb_init(&b);
    pb_os(&b, "linux");
    pb_container(&b, "a");
    PG_EXPECT(pb_forbids(&b, CHECK, 25, "seccompProfile", "pod or container \"a\" " MUST_SET));
}

static void test_seccomp_restricted_names_pod_with_bad_type(void)
{
    struct pb b;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_profile(&b, &b.pod.sc.seccomp_profile, "Unconfined");
    pb_container(&b, "a");
    PG_EXPECT(pb_forbids(&b, CHECK, 19, "seccompProfile",
                         "pod must not set securityContext.seccompProfile.type to \"Unconfined\""));
    PG_EXPECT(pb_forbids(&b, CHECK, 25, "seccompProfile",
                         "pod must not set securityContext.seccompProfile.type to \"Unconfined\""));
}

static void test_seccomp_restricted_names_containers_with_bad_type(void)
{
    struct pb b;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_profile(&b, &b.pod.sc.seccomp_profile, "RuntimeDefault");
    pb_container(&b, "a");
    pb_sc(&b, pb_container(&b, "b"));
    add_profile_container(&b, "c", "Unconfined");
    add_profile_container(&b, "d", "Unconfined");
    add_profile_container(&b, "e", "RuntimeDefault");
    add_profile_container(&b, "f", "RuntimeDefault");
    PG_EXPECT(pb_forbids(&b, CHECK, 19, "seccompProfile",
                         "containers \"c\", \"d\" must not set securityContext.seccompProfile.type "
                         "to \"Unconfined\""));
    PG_EXPECT(pb_forbids(&b, CHECK, 25, "seccompProfile",
                         "containers \"c\", \"d\" must not set securityContext.seccompProfile.type "
                         "to \"Unconfined\""));
}

static void test_seccomp_restricted_lists_implicit_containers(void)
{
    struct pb b;
    pb_init(&b);
    pb_container(&b, "a");
    pb_sc(&b, pb_container(&b, "b"));
    add_profile_container(&b, "d", "RuntimeDefault");
    add_profile_container(&b, "e", "RuntimeDefault");
    PG_EXPECT(
        pb_forbids(&b, CHECK, 19, "seccompProfile", "pod or containers \"a\", \"b\" " MUST_SET));
    PG_EXPECT(
        pb_forbids(&b, CHECK, 25, "seccompProfile", "pod or containers \"a\", \"b\" " MUST_SET));
}

static void test_seccomp_restricted_container_type_overrides_bad_pod_type(void)
{
    struct pb b;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_profile(&b, &b.pod.sc.seccomp_profile, "Unconfined");
    add_profile_container(&b, "a", "Localhost");
    add_profile_container(&b, "b", NULL);
    pb_container(&b, "c");
    PG_EXPECT(pb_forbids(&b, CHECK, PG_MAX_MINOR, "seccompProfile",
                         "pod and container \"b\" must not set securityContext.seccompProfile.type "
                         "to \"\", \"Unconfined\""));
}

static void test_seccomp_restricted_allows_pod_runtime_default(void)
{
    struct pb b;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_profile(&b, &b.pod.sc.seccomp_profile, "RuntimeDefault");
    pb_container(&b, "a");
    add_profile_container(&b, "b", "Localhost");
    PG_EXPECT(pb_allows(&b, CHECK, PG_MAX_MINOR));
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_seccomp_restricted_requires_a_profile)                                      \
    PG_TEST_ENTRY(test_seccomp_restricted_exempts_windows_from_v1_25)                              \
    PG_TEST_ENTRY(test_seccomp_restricted_does_not_exempt_linux)                                   \
    PG_TEST_ENTRY(test_seccomp_restricted_names_pod_with_bad_type)                                 \
    PG_TEST_ENTRY(test_seccomp_restricted_names_containers_with_bad_type)                          \
    PG_TEST_ENTRY(test_seccomp_restricted_lists_implicit_containers)                               \
    PG_TEST_ENTRY(test_seccomp_restricted_container_type_overrides_bad_pod_type)                   \
    PG_TEST_ENTRY(test_seccomp_restricted_allows_pod_runtime_default)

PG_TEST_MAIN(TESTS)
