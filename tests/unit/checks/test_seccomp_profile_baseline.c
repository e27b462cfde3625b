/* SPDX-License-Identifier: Apache-2.0 */
/* seccompProfile_baseline (spec §3.16). */
#include "harness.h"

#include "checks/pod_builder.h"

#define CHECK PG_CHECK_SECCOMP_PROFILE_BASELINE
#define POD_KEY "seccomp.security.alpha.kubernetes.io/pod"
#define CONTAINER_KEY "container.seccomp.security.alpha.kubernetes.io/"

static void add_profile_container(struct pb *b, const char *name, const char *type)
{
    struct pg_container *c = pb_container(b, name);
    pb_c_profile(b, c, &c->sc.seccomp_profile, type);
}

/* a nil, b {}, c Unconfined, d Unconfined, e/f RuntimeDefault. */
static void add_field_containers(struct pb *b)
{
    pb_container(b, "a");
    pb_sc(b, pb_container(b, "b"));
    add_profile_container(b, "c", "Unconfined");
    add_profile_container(b, "d", "Unconfined");
    add_profile_container(b, "e", "RuntimeDefault");
    add_profile_container(b, "f", "RuntimeDefault");
}

static void test_seccomp_baseline_forbids_pod_annotation_before_v1_19(void)
{
    struct pb b;
    pb_init(&b);
    pb_annotation(&b, POD_KEY, "unconfined");
    PG_EXPECT(pb_forbids(&b, CHECK, 0, "seccompProfile",
                         "forbidden annotation " POD_KEY "=\"unconfined\""));
    PG_EXPECT(pb_forbids(&b, CHECK, 18, "seccompProfile",
                         "forbidden annotation " POD_KEY "=\"unconfined\""));
}

static void build_container_annotations(struct pb *b)
{
    pb_init(b);
    pb_container(b, "a");
    pb_container(b, "b");
    pb_container(b, "c");
    pb_annotation(b, CONTAINER_KEY "a", "unconfined");
    pb_annotation(b, CONTAINER_KEY "b", "unknown");
    pb_annotation(b, CONTAINER_KEY "c", "runtime/default");
}

static void test_seccomp_baseline_forbids_container_annotations(void)
{
    struct pb b;
    build_container_annotations(&b);
    PG_EXPECT(pb_forbids(&b, CHECK, 0, "seccompProfile",
                         "forbidden annotations " CONTAINER_KEY "a=\"unconfined\", " CONTAINER_KEY
                         "b=\"unknown\""));
}

static void test_seccomp_baseline_sorts_pod_and_container_annotations(void)
{
    struct pb b;
    build_container_annotations(&b);
    pb_annotation(&b, POD_KEY, "unconfined");
    PG_EXPECT(pb_forbids(&b, CHECK, 0, "seccompProfile",
                         "forbidden annotations " CONTAINER_KEY "a=\"unconfined\", " CONTAINER_KEY
                         "b=\"unknown\", " POD_KEY "=\"unconfined\""));
}

static void test_seccomp_baseline_annotation_values_allowed_and_empty_forbidden(void)
{
    struct pb b;
    pb_init(&b);
    pb_container(&b, "a");
    pb_container(&b, "b");
    pb_container(&b, "c");
    pb_annotation(&b, POD_KEY, "localhost/x");
    pb_annotation(&b, CONTAINER_KEY "a", "docker/default");
    pb_annotation(&b, CONTAINER_KEY "b", "runtime/default");
    pb_annotation(&b, CONTAINER_KEY "nobody", "unconfined");
    PG_EXPECT(pb_allows(&b, CHECK, 0));
    pb_annotation(&b, CONTAINER_KEY "c", "");
    PG_EXPECT(
        pb_forbids(&b, CHECK, 0, "seccompProfile", "forbidden annotation " CONTAINER_KEY "c=\"\""));
}

static void test_seccomp_baseline_duplicate_container_names_give_one_entry(void)
{
    struct pb b;
    pb_init(&b);
    pb_container_in(&b, PG_CONTAINERS_INIT, "x");
    pb_container(&b, "x");
    pb_annotation(&b, CONTAINER_KEY "x", "unconfined");
    PG_EXPECT(pb_forbids(&b, CHECK, 0, "seccompProfile",
                         "forbidden annotation " CONTAINER_KEY "x=\"unconfined\""));
}

static void test_seccomp_baseline_ignores_fields_before_v1_19(void)
{
    struct pb b;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_profile(&b, &b.pod.sc.seccomp_profile, "Unconfined");
    PG_EXPECT(pb_allows(&b, CHECK, 18));
}

static void test_seccomp_baseline_forbids_pod_type_from_v1_19(void)
{
    struct pb b;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_profile(&b, &b.pod.sc.seccomp_profile, "Unconfined");
    pb_container(&b, "a");
    pb_annotation(&b, POD_KEY, "unconfined");
    PG_EXPECT(pb_forbids(&b, CHECK, 19, "seccompProfile",
                         "pod must not set securityContext.seccompProfile.type to \"Unconfined\""));
}

static void test_seccomp_baseline_forbids_container_types(void)
{
    struct pb b;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_profile(&b, &b.pod.sc.seccomp_profile, "RuntimeDefault");
    add_field_containers(&b);
    PG_EXPECT(pb_forbids(&b, CHECK, 19, "seccompProfile",
                         "containers \"c\", \"d\" must not set securityContext.seccompProfile.type "
                         "to \"Unconfined\""));
}

static void test_seccomp_baseline_names_pod_and_containers(void)
{
    struct pb b;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_profile(&b, &b.pod.sc.seccomp_profile, "Unconfined");
    add_field_containers(&b);
    PG_EXPECT(pb_forbids(&b, CHECK, PG_MAX_MINOR, "seccompProfile",
                         "pod and containers \"c\", \"d\" must not set "
                         "securityContext.seccompProfile.type to \"Unconfined\""));
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_seccomp_baseline_forbids_pod_annotation_before_v1_19)                       \
    PG_TEST_ENTRY(test_seccomp_baseline_forbids_container_annotations)                             \
    PG_TEST_ENTRY(test_seccomp_baseline_sorts_pod_and_container_annotations)                       \
    PG_TEST_ENTRY(test_seccomp_baseline_annotation_values_allowed_and_empty_forbidden)             \
    PG_TEST_ENTRY(test_seccomp_baseline_duplicate_container_names_give_one_entry)                  \
    PG_TEST_ENTRY(test_seccomp_baseline_ignores_fields_before_v1_19)                               \
    PG_TEST_ENTRY(test_seccomp_baseline_forbids_pod_type_from_v1_19)                               \
    PG_TEST_ENTRY(test_seccomp_baseline_forbids_container_types)                                   \
    PG_TEST_ENTRY(test_seccomp_baseline_names_pod_and_containers)

PG_TEST_MAIN(TESTS)
