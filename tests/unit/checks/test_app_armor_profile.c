/* SPDX-License-Identifier: Apache-2.0 */
/* appArmorProfile (spec §3.2). */
#include "harness.h"

#include "checks/pod_builder.h"

#define PREFIX "container.apparmor.security.beta.kubernetes.io/"

static void test_app_armor_forbids_unconfined_pod_type(void)
{
    struct pb b;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_profile(&b, &b.pod.sc.app_armor_profile, "Unconfined");
    PG_EXPECT(pb_forbids(&b, PG_CHECK_APP_ARMOR_PROFILE, 0, "forbidden AppArmor profile",
                         "pod must not set AppArmor profile type to \"Unconfined\""));
}

static void test_app_armor_forbids_unconfined_container_type(void)
{
    struct pb b;
    struct pg_container *foo = NULL;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_profile(&b, &b.pod.sc.app_armor_profile, "RuntimeDefault");
    foo = pb_container(&b, "foo");
    pb_c_profile(&b, foo, &foo->sc.app_armor_profile, "Unconfined");
    PG_EXPECT(pb_forbids(&b, PG_CHECK_APP_ARMOR_PROFILE, 0, "forbidden AppArmor profile",
                         "container \"foo\" must not set AppArmor profile type to \"Unconfined\""));
}

static void test_app_armor_checks_init_containers(void)
{
    struct pb b;
    struct pg_container *bar = NULL;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_profile(&b, &b.pod.sc.app_armor_profile, "RuntimeDefault");
    bar = pb_container_in(&b, PG_CONTAINERS_INIT, "bar");
    pb_c_profile(&b, bar, &bar->sc.app_armor_profile, "Unconfined");
    pb_container(&b, "foo");
    PG_EXPECT(pb_forbids(&b, PG_CHECK_APP_ARMOR_PROFILE, 0, "forbidden AppArmor profile",
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
    PG_EXPECT(pb_forbids(&b, PG_CHECK_APP_ARMOR_PROFILE, 0, "forbidden AppArmor profiles",
                         "annotations must not set AppArmor profile type to "
                         "\"" PREFIX "=\"bogus\"\", \"" PREFIX "e=\"unconfined\"\", "
                         "\"" PREFIX "f=\"unknown\"\""));
}

static void test_app_armor_allows_default_and_localhost_annotations(void)
{
    struct pb b;
    pb_init(&b);
    pb_annotation(&b, PREFIX "test", "runtime/default");
    pb_annotation(&b, "unrelated", "unconfined");
    PG_EXPECT(pb_allows(&b, PG_CHECK_APP_ARMOR_PROFILE, PG_MAX_MINOR));
    pb_init(&b);
    pb_annotation(&b, PREFIX "test", "localhost/sec-profile01");
    pb_annotation(&b, "unrelated", "unconfined");
    PG_EXPECT(pb_allows(&b, PG_CHECK_APP_ARMOR_PROFILE, PG_MAX_MINOR));
}

static void test_app_armor_single_annotation_is_singular(void)
{
    struct pb b;
    pb_init(&b);
    pb_annotation(&b, PREFIX "container1", "unconfined");
    PG_EXPECT(pb_forbids(&b, PG_CHECK_APP_ARMOR_PROFILE, 0, "forbidden AppArmor profile",
                         "annotation must not set AppArmor profile type to "
                         "\"" PREFIX "container1=\"unconfined\"\""));
}

static void test_app_armor_pod_and_container_share_one_value(void)
{
    struct pb b;
    struct pg_container *c = NULL;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_profile(&b, &b.pod.sc.app_armor_profile, "Unconfined");
    c = pb_container(&b, "c");
    pb_c_profile(&b, c, &c->sc.app_armor_profile, "Unconfined");
    PG_EXPECT(pb_forbids(&b, PG_CHECK_APP_ARMOR_PROFILE, 0, "forbidden AppArmor profile",
                         "pod and container \"c\" must not set AppArmor profile type to "
                         "\"Unconfined\""));
}

static void test_app_armor_reports_fields_and_annotations_together(void)
{
    struct pb b;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_profile(&b, &b.pod.sc.app_armor_profile, "Unconfined");
    pb_annotation(&b, PREFIX "c", "unconfined");
    PG_EXPECT(pb_forbids(&b, PG_CHECK_APP_ARMOR_PROFILE, 0, "forbidden AppArmor profiles",
                         "pod and annotation must not set AppArmor profile type to "
                         "\"Unconfined\", \"" PREFIX "c=\"unconfined\"\""));
}

static void test_app_armor_missing_type_is_reported_empty(void)
{
    struct pb b;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_profile(&b, &b.pod.sc.app_armor_profile, NULL);
    PG_EXPECT(pb_forbids(&b, PG_CHECK_APP_ARMOR_PROFILE, 0, "forbidden AppArmor profile",
                         "pod must not set AppArmor profile type to \"\""));
}

static void test_app_armor_go_quotes_annotation_values(void)
{
    struct pb b;
    pb_init(&b);
    pb_annotation(&b, PREFIX "q", "a\"b\n");
    PG_EXPECT(pb_forbids(&b, PG_CHECK_APP_ARMOR_PROFILE, 0, "forbidden AppArmor profile",
                         "annotation must not set AppArmor profile type to "
                         "\"" PREFIX "q=\"a\\\"b\\n\"\""));
}

static void test_app_armor_allows_runtime_default_and_localhost_fields(void)
{
    struct pb b;
    struct pg_container *c = NULL;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_profile(&b, &b.pod.sc.app_armor_profile, "Localhost");
    c = pb_container(&b, "c");
    pb_c_profile(&b, c, &c->sc.app_armor_profile, "RuntimeDefault");
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
