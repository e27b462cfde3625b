/* SPDX-License-Identifier: Apache-2.0 */
/* Pod controllers (spec §6.3): warn and audit only, unless --enforce-workloads. */
#include "harness.h"
#include "review_builder.h"

#define DEPLOYMENT                                                                                 \
    "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},"         \
    "\"spec\":{\"template\":{\"metadata\":{},\"spec\":{\"containers\":[{\"name\":\"c\","           \
    "\"image\":\"i\",\"securityContext\":{\"privileged\":true}}]}}}}"
#define CRONJOB                                                                                    \
    "{\"apiVersion\":\"batch/v1\",\"kind\":\"CronJob\",\"metadata\":{\"name\":\"cj\"},\"spec\":{"  \
    "\"jobTemplate\":{\"spec\":{\"template\":{\"spec\":{\"hostPID\":true,\"containers\":[{"        \
    "\"name\":\"c\",\"image\":\"i\"}]}}}}}}"

static const struct fake_namespace NAMESPACES[] = {
    {"baseline", {"pod-security.kubernetes.io/enforce", "baseline", NULL}},
    {"enforce-only",
     {"pod-security.kubernetes.io/enforce", "baseline", "pod-security.kubernetes.io/warn",
      "privileged", NULL}},
};

struct fixture {
    struct fake_cluster cluster;
    struct pg_admission_config *config;
    struct pg_admission_handler handler;
    struct pg_admission_result result;
    struct pg_buf body;
};

static void fixture_init(struct fixture *f)
{
    memset(f, 0, sizeof(*f));
    f->cluster.namespaces = NAMESPACES;
    f->cluster.namespaces_len = 2;
    f->config = pg_admission_config_new_default();
    fake_handler(&f->handler, f->config, &f->cluster);
    pg_admission_result_init(&f->result);
    pg_buf_init(&f->body, 0);
}

static void fixture_run(struct fixture *f, const char *group, const char *resource, const char *ns,
                        const char *name, const char *object)
{
    struct review_spec spec = {.uid = "w",
                               .group = group,
                               .resource = resource,
                               .namespace_ = ns,
                               .name = name,
                               .object = object};
    pg_buf_clear(&f->body);
    build_review(&f->body, &spec);
    run_review(&f->result, &f->handler, f->body.ptr);
}

static void fixture_release(struct fixture *f)
{
    pg_admission_result_release(&f->result);
    pg_buf_release(&f->body);
    pg_admission_config_free(f->config);
}

static void test_deployment_violation_warns_and_is_allowed(void)
{
    struct fixture f;
    fixture_init(&f);
    fixture_run(&f, "apps", "deployments", "baseline", "web", DEPLOYMENT);
    PG_EXPECT_STR(f.result.body.ptr,
                  "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\","
                  "\"response\":{\"uid\":\"w\",\"allowed\":true,\"warnings\":[\"would violate "
                  "PodSecurity \\\"baseline:latest\\\": privileged (container \\\"c\\\" must not "
                  "set securityContext.privileged=true)\"]}}\n");
    PG_EXPECT_INT(f.result.resource, PG_ADMISSION_RESOURCE_CONTROLLER);
    PG_EXPECT_STR(f.result.resource_name, "deployments.apps");
    fixture_release(&f);
}

static void test_enforce_workloads_denies_the_controller(void)
{
    struct fixture f;
    fixture_init(&f);
    f.handler.enforce_workloads = true;
    fixture_run(&f, "apps", "deployments", "enforce-only", "web", DEPLOYMENT);
    PG_EXPECT_STR(
        f.result.body.ptr,
        "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"response\":{"
        "\"uid\":\"w\",\"allowed\":false,\"status\":{\"metadata\":{},\"status\":\"Failure\","
        "\"message\":\"deployments.apps \\\"web\\\" is forbidden: violates PodSecurity "
        "\\\"baseline:latest\\\": privileged (container \\\"c\\\" must not set "
        "securityContext.privileged=true)\",\"reason\":\"Forbidden\",\"details\":{\"name\":"
        "\"web\",\"group\":\"apps\",\"kind\":\"deployments\"},\"code\":403},\"auditAnnotations\":"
        "{\"enforce-policy\":\"baseline:latest\"}}}\n");
    fixture_release(&f);
}

static void test_enforce_only_namespace_skips_controllers_by_default(void)
{
    struct fixture f;
    fixture_init(&f);
    fixture_run(&f, "apps", "deployments", "enforce-only", "web", DEPLOYMENT);
    PG_EXPECT_STR(f.result.body.ptr,
                  "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\","
                  "\"response\":{\"uid\":\"w\",\"allowed\":true}}\n");
    fixture_release(&f);
}

static void test_cronjob_template_is_found(void)
{
    struct fixture f;
    fixture_init(&f);
    fixture_run(&f, "batch", "cronjobs", "baseline", "cj", CRONJOB);
    PG_EXPECT(strstr(f.result.body.ptr, "host namespaces (hostPID=true)") != NULL);
    fixture_release(&f);
}

static void test_controller_failures_fail_open(void)
{
    struct fixture f;
    fixture_init(&f);
    fixture_run(&f, "apps", "deployments", "missing", "web", DEPLOYMENT);
    PG_EXPECT_STR(f.result.body.ptr,
                  "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\","
                  "\"response\":{\"uid\":\"w\",\"allowed\":true,\"auditAnnotations\":{\"error\":"
                  "\"failed to lookup namespace \\\"missing\\\": namespaces \\\"missing\\\" not "
                  "found\"}}}\n");
    PG_EXPECT(f.result.metrics[0].fatal);
    fixture_run(&f, "", "services", "baseline", "s",
                "{\"apiVersion\":\"v1\",\"kind\":\"Service\"}");
    PG_EXPECT(strstr(f.result.body.ptr, "{\"error\":\"failed to extract pod template: unexpected "
                                        "object type: /v1, Kind=Service\"}") != NULL);
    fixture_run(&f, "apps", "deployments", "baseline", "web",
                "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"spec\":{\"template\":7}}");
    PG_EXPECT(strstr(f.result.body.ptr, "\"allowed\":true,\"auditAnnotations\":{\"error\":"
                                        "\"failed to decode object: ") != NULL);
    fixture_release(&f);
}

static void test_controller_subresources_are_ignored(void)
{
    struct fixture f;
    struct review_spec spec = {.uid = "w",
                               .group = "apps",
                               .resource = "deployments",
                               .subresource = "scale",
                               .namespace_ = "baseline",
                               .object = DEPLOYMENT};
    fixture_init(&f);
    build_review(&f.body, &spec);
    run_review(&f.result, &f.handler, f.body.ptr);
    PG_EXPECT_STR(f.result.body.ptr,
                  "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\","
                  "\"response\":{\"uid\":\"w\",\"allowed\":true}}\n");
    fixture_release(&f);
}

/* resource_name is `resource.group`, cut at its field's size as snprintf would cut it. */
static void test_long_resource_name_is_truncated_to_its_field(void)
{
    struct fixture f;
    char group[201];
    char want[128];
    memset(group, 'g', sizeof(group) - 1);
    group[sizeof(group) - 1] = '\0';
    /* "deployments." and the group's first 115 bytes: 127 bytes and the NUL. */
    memcpy(want, "deployments.", 12);
    memcpy(want + 12, group, sizeof(want) - 13);
    want[sizeof(want) - 1] = '\0';
    fixture_init(&f);
    fixture_run(&f, group, "deployments", "baseline", "web", DEPLOYMENT);
    PG_EXPECT_INT(strlen(f.result.resource_name), sizeof(want) - 1);
    PG_EXPECT_STR(f.result.resource_name, want);
    fixture_release(&f);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_deployment_violation_warns_and_is_allowed)                                  \
    PG_TEST_ENTRY(test_enforce_workloads_denies_the_controller)                                    \
    PG_TEST_ENTRY(test_enforce_only_namespace_skips_controllers_by_default)                        \
    PG_TEST_ENTRY(test_cronjob_template_is_found)                                                  \
    PG_TEST_ENTRY(test_controller_failures_fail_open)                                              \
    PG_TEST_ENTRY(test_controller_subresources_are_ignored)                                        \
    PG_TEST_ENTRY(test_long_resource_name_is_truncated_to_its_field)

PG_TEST_MAIN(TESTS)
