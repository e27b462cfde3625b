/* SPDX-License-Identifier: Apache-2.0 */
/* seLinuxOptions (spec §3.15). */
#include "harness.h"

#include "checks/pod_builder.h"

#define CHECK PG_CHECK_SE_LINUX_OPTIONS
#define REASON "seLinuxOptions"

static void add_selinux_container(struct pb *b, const char *name, const char *type,
                                  const char *user, const char *role)
{
    struct pg_container *c = pb_container(b, name);
    pb_sc(b, c);
    pb_selinux(b, &c->sc.se_linux_options, type, user, role);
}

/* a container_t, b container_init_t, c container_kvm_t, d container_engine_t. */
static void add_good_containers(struct pb *b)
{
    add_selinux_container(b, "a", "container_t", NULL, NULL);
    add_selinux_container(b, "b", "container_init_t", NULL, NULL);
    add_selinux_container(b, "c", "container_kvm_t", NULL, NULL);
    add_selinux_container(b, "d", "container_engine_t", NULL, NULL);
}

/* e type bar, f user bar, g role baz. */
static void add_bad_containers(struct pb *b)
{
    add_selinux_container(b, "e", "bar", NULL, NULL);
    add_selinux_container(b, "f", NULL, "bar", NULL);
    add_selinux_container(b, "g", NULL, NULL, "baz");
}

static void set_bad_pod(struct pb *b)
{
    pb_pod_sc(b);
    pb_selinux(b, &b->pod.sc.se_linux_options, "foo", "bar", "baz");
}

static void test_se_linux_options_names_pod_and_containers_with_all_parts(void)
{
    struct pb b;
    pb_init(&b);
    set_bad_pod(&b);
    add_good_containers(&b);
    add_bad_containers(&b);
    PG_EXPECT(pb_forbids(&b, CHECK, 31, REASON,
                         "pod and containers \"e\", \"f\", \"g\" set forbidden "
                         "securityContext.seLinuxOptions: types \"bar\", \"foo\"; user may not be "
                         "set; role may not be set"));
}

static void test_se_linux_options_names_pod_alone(void)
{
    struct pb b;
    pb_init(&b);
    set_bad_pod(&b);
    add_good_containers(&b);
    PG_EXPECT(pb_forbids(&b, CHECK, 31, REASON,
                         "pod set forbidden securityContext.seLinuxOptions: type \"foo\"; user may "
                         "not be set; role may not be set"));
}

static void test_se_linux_options_names_containers_alone(void)
{
    struct pb b;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_selinux(&b, &b.pod.sc.se_linux_options, NULL, NULL, NULL);
    add_good_containers(&b);
    add_bad_containers(&b);
    PG_EXPECT(pb_forbids(&b, CHECK, 31, REASON,
                         "containers \"e\", \"f\", \"g\" set forbidden "
                         "securityContext.seLinuxOptions: type \"bar\"; user may not be set; role "
                         "may not be set"));
}

static void test_se_linux_options_pod_type_only(void)
{
    struct pb b;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_selinux(&b, &b.pod.sc.se_linux_options, "bad", NULL, NULL);
    PG_EXPECT(pb_forbids(&b, CHECK, 31, REASON,
                         "pod set forbidden securityContext.seLinuxOptions: type \"bad\""));
}

static void test_se_linux_options_pod_user_only(void)
{
    struct pb b;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_selinux(&b, &b.pod.sc.se_linux_options, NULL, "bad", NULL);
    PG_EXPECT(pb_forbids(&b, CHECK, 31, REASON,
                         "pod set forbidden securityContext.seLinuxOptions: user may not be set"));
}

static void test_se_linux_options_pod_role_only(void)
{
    struct pb b;
    pb_init(&b);
    pb_pod_sc(&b);
    pb_selinux(&b, &b.pod.sc.se_linux_options, NULL, NULL, "bad");
    PG_EXPECT(pb_forbids(&b, CHECK, 31, REASON,
                         "pod set forbidden securityContext.seLinuxOptions: role may not be set"));
}

static void test_se_linux_options_container_engine_t_allowed_from_v1_31(void)
{
    struct pb b;
    pb_init(&b);
    add_good_containers(&b);
    PG_EXPECT(pb_forbids(&b, CHECK, 30, REASON,
                         "container \"d\" set forbidden securityContext.seLinuxOptions: type "
                         "\"container_engine_t\""));
    PG_EXPECT(pb_allows(&b, CHECK, 31));
}

static void test_se_linux_options_allows_empty_type(void)
{
    struct pb b;
    pb_init(&b);
    add_selinux_container(&b, "a", "", NULL, NULL);
    PG_EXPECT(pb_allows(&b, CHECK, 0));
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_se_linux_options_names_pod_and_containers_with_all_parts)                   \
    PG_TEST_ENTRY(test_se_linux_options_names_pod_alone)                                           \
    PG_TEST_ENTRY(test_se_linux_options_names_containers_alone)                                    \
    PG_TEST_ENTRY(test_se_linux_options_pod_type_only)                                             \
    PG_TEST_ENTRY(test_se_linux_options_pod_user_only)                                             \
    PG_TEST_ENTRY(test_se_linux_options_pod_role_only)                                             \
    PG_TEST_ENTRY(test_se_linux_options_container_engine_t_allowed_from_v1_31)                     \
    PG_TEST_ENTRY(test_se_linux_options_allows_empty_type)

PG_TEST_MAIN(TESTS)
