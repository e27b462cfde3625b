/* SPDX-License-Identifier: Apache-2.0 */
/* appArmorProfile (spec §3.2). */
#include "harness.h"

#include "checks/pod_builder.h"

#define PREFIX "container.apparmor.security.beta.kubernetes.io/"
#define ONE_PROFILE "forbidden AppArmor profile"
#define PROFILES "forbidden AppArmor profiles"

/* Give the pod an appArmorProfile; type NULL leaves `type` unset. */
static void pod_profile(struct pb *b, const char *type)
{
    pb_profile(b, &pb_pod_with_sc(b)->sc.app_armor_profile, type);
}

/* Append a container `name` to `list` with an appArmorProfile of `type`. */
static void container_profile(struct pb *b, enum pg_container_list list, const char *name,
                              const char *type)
{
    struct pg_container *c = pb_container_in(b, list, name);
    pb_c_profile(b, c, &c->sc.app_armor_profile, type);
}

/* Forbidden at v1.0 with exactly this reason and detail. */
static bool forbids(const struct pb *b, const char *reason, const char *detail)
{
    return pb_forbids(b, PG_CHECK_APP_ARMOR_PROFILE, 0, reason, detail);
}

/* Forbidden at v1.0, with this detail, for a pod whose only AppArmor setting is its own profile. */
static bool forbids_pod_profile(const char *type, const char *detail)
{
    struct pb b;
    pb_init(&b);
    pod_profile(&b, type);
    return forbids(&b, ONE_PROFILE, detail);
}

/* Forbidden at v1.0, with this detail, for a pod with just one annotation. */
static bool forbids_annotation(const char *key, const char *value, const char *detail)
{
    struct pb b;
    pb_init(&b);
    pb_annotation(&b, key, value);
    return forbids(&b, ONE_PROFILE, detail);
}

/* Allowed at the latest version: one AppArmor annotation with `value`, and an unrelated one. */
static bool allows_annotation(const char *value)
{
    struct pb b;
    pb_init(&b);
    pb_annotation(&b, PREFIX "test", value);
    pb_annotation(&b, "unrelated", "unconfined");
    return pb_allows(&b, PG_CHECK_APP_ARMOR_PROFILE, PG_MAX_MINOR);
}

static void test_app_armor_forbids_unconfined_pod_type(void)
{
    PG_EXPECT(forbids_pod_profile("Unconfined",
                                  "pod must not set AppArmor profile type to \"Unconfined\""));
}

static void test_app_armor_forbids_unconfined_container_type(void)
{
    struct pb b;
    pb_init(&b);
    pod_profile(&b, "RuntimeDefault");
    container_profile(&b, PG_CONTAINERS_REGULAR, "foo", "Unconfined");
    PG_EXPECT(forbids(&b, ONE_PROFILE,
                      "container \"foo\" must not set AppArmor profile type to \"Unconfined\""));
}

static void test_app_armor_checks_init_containers(void)
{
    struct pb b;
    pb_init(&b);
    pod_profile(&b, "RuntimeDefault");
    container_profile(&b, PG_CONTAINERS_INIT, "bar", "Unconfined");
    pb_container(&b, "foo");
    PG_EXPECT(forbids(&b, ONE_PROFILE,
                      "container \"bar\" must not set AppArmor profile type to \"Unconfined\""));
}

static void test_app_armor_forbids_bad_annotations_sorted_and_quoted(void)
{
    struct pb b;
    pb_init(&b);
    pb_annotation(&b, PREFIX, "bogus");
    pb_annotation(&b, PREFIX "a", "");
    pb_annotation(&b, PREFIX "b", "runtime/default");
    pb_annotation(&b, PREFIX "c", "localhost/");
    pb_annotation(&b, PREFIX "d", "localhost/foo");
    pb_annotation(&b, PREFIX "f", "unknown");
    pb_annotation(&b, PREFIX "e", "unconfined");
    PG_EXPECT(forbids(&b, PROFILES,
                      "annotations must not set AppArmor profile type to "
                      "\"" PREFIX "=\"bogus\"\", \"" PREFIX "e=\"unconfined\"\", "
                      "\"" PREFIX "f=\"unknown\"\""));
}

static void test_app_armor_allows_default_and_localhost_annotations(void)
{
    PG_EXPECT(allows_annotation("runtime/default"));
    PG_EXPECT(allows_annotation("localhost/sec-profile01"));
}

static void test_app_armor_single_annotation_is_singular(void)
{
    PG_EXPECT(forbids_annotation(PREFIX "container1", "unconfined",
                                 "annotation must not set AppArmor profile type to "
                                 "\"" PREFIX "container1=\"unconfined\"\""));
}

static void test_app_armor_pod_and_container_share_one_value(void)
{
    struct pb b;
    pb_init(&b);
    pod_profile(&b, "Unconfined");
    container_profile(&b, PG_CONTAINERS_REGULAR, "c", "Unconfined");
    PG_EXPECT(forbids(&b, ONE_PROFILE,
                      "pod and container \"c\" must not set AppArmor profile type to "
                      "\"Unconfined\""));
}

static void test_app_armor_reports_fields_and_annotations_together(void)
{
    struct pb b;
    pb_init(&b);
    pod_profile(&b, "Unconfined");
    pb_annotation(&b, PREFIX "c", "unconfined");
    PG_EXPECT(forbids(&b, PROFILES,
                      "pod and annotation must not set AppArmor profile type to "
                      "\"Unconfined\", \"" PREFIX "c=\"unconfined\"\""));
}

static void test_app_armor_missing_type_is_reported_empty(void)
{
    PG_EXPECT(forbids_pod_profile(NULL, "pod must not set AppArmor profile type to \"\""));
}

static void test_app_armor_go_quotes_annotation_values(void)
{
    PG_EXPECT(forbids_annotation(PREFIX "q", "a\"b\n",
                                 "annotation must not set AppArmor profile type to "
                                 "\"" PREFIX "q=\"a\\\"b\\n\"\""));
}

static void test_app_armor_allows_runtime_default_and_localhost_fields(void)
{
    struct pb b;
    pb_init(&b);
    pod_profile(&b, "Localhost");
    container_profile(&b, PG_CONTAINERS_REGULAR, "c", "RuntimeDefault");
    PG_EXPECT(pb_allows(&b, PG_CHECK_APP_ARMOR_PROFILE, 0));
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_app_armor_forbids_unconfined_pod_type)                                      \
    PG_TEST_ENTRY(test_app_armor_forbids_unconfined_container_type)                                \
    PG_TEST_ENTRY(test_app_armor_checks_init_containers)                                           \
    PG_TEST_ENTRY(test_app_armor_forbids_bad_annotations_sorted_and_quoted)                        \
    PG_TEST_ENTRY(test_app_armor_allows_default_and_localhost_annotations)                         \
    PG_TEST_ENTRY(test_app_armor_single_annotation_is_singular)                                    \
    PG_TEST_ENTRY(test_app_armor_pod_and_container_share_one_value)                                \
    PG_TEST_ENTRY(test_app_armor_reports_fields_and_annotations_together)                          \
    PG_TEST_ENTRY(test_app_armor_missing_type_is_reported_empty)                                   \
    PG_TEST_ENTRY(test_app_armor_go_quotes_annotation_values)                                      \
    PG_TEST_ENTRY(test_app_armor_allows_runtime_default_and_localhost_fields)

PG_TEST_MAIN(TESTS)
