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
    {"all-baseline",
     {"pod-security.kubernetes.io/enforce", "baseline", "pod-security.kubernetes.io/warn",
      "baseline", "pod-security.kubernetes.io/audit", "baseline", NULL}},
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
    f->cluster.namespaces_len = sizeof(NAMESPACES) / sizeof(NAMESPACES[0]);
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

/* An UPDATE from `old_object` (NULL: none sent) to `object`, with --enforce-workloads. */
static void fixture_update(struct fixture *f, const char *group, const char *resource,
                           const char *ns, const char *object, const char *old_object)
{
    struct review_spec spec = {.uid = "w",
                               .operation = "UPDATE",
                               .group = group,
                               .resource = resource,
                               .namespace_ = ns,
                               .name = "web",
                               .object = object,
                               .old_object = old_object};
    f->handler.enforce_workloads = true;
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

/* Updates under --enforce-workloads: pieces of a Deployment named web. */
#define PRIVILEGED ",\"securityContext\":{\"privileged\":true}"
#define CONTAINER(image, env, extra)                                                               \
    "{\"name\":\"c\",\"image\":\"" image "\",\"env\":[{\"name\":\"A\",\"value\":\"" env            \
    "\"}]" extra "}"
#define TEMPLATE(metadata, container)                                                              \
    "{\"metadata\":" metadata ",\"spec\":{\"containers\":[" container "]}}"
#define WEB(metadata, replicas, template)                                                          \
    "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"" metadata  \
    "},\"spec\":{\"replicas\":" replicas                                                           \
    ",\"template\":" template "},\"status\":{\"replicas\":1}}"
#define APP_LABEL "{\"labels\":{\"app\":\"web\"}}"
#define BAD_TEMPLATE TEMPLATE(APP_LABEL, CONTAINER("i", "1", PRIVILEGED))
#define GOOD_TEMPLATE TEMPLATE(APP_LABEL, CONTAINER("i", "1", ""))
#define BAD_WEB WEB("", "1", BAD_TEMPLATE)
#define FINALIZERS ",\"finalizers\":[\"foregroundDeletion\"]"
#define DELETING ",\"deletionTimestamp\":\"2026-01-01T00:00:00Z\""

#define RESPONSE_HEAD                                                                              \
    "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"response\":{\"uid\":"  \
    "\"w\","
#define PRIVILEGED_DETAILS                                                                         \
    "privileged (container \\\"c\\\" must not set securityContext.privileged=true)"
/* The update is not significant: warn and audit as for any workload, no enforcement. */
#define WARNED_AND_ALLOWED                                                                         \
    RESPONSE_HEAD "\"allowed\":true,\"auditAnnotations\":{\"audit-violations\":\"would violate "   \
                  "PodSecurity \\\"baseline:latest\\\": " PRIVILEGED_DETAILS "\"},\"warnings\":["  \
                  "\"would violate PodSecurity \\\"baseline:latest\\\": " PRIVILEGED_DETAILS       \
                  "\"]}}\n"
#define DENIED_MESSAGE                                                                             \
    "\"message\":\"deployments.apps \\\"web\\\" is forbidden: violates PodSecurity "               \
    "\\\"baseline:latest\\\": " PRIVILEGED_DETAILS "\""

static bool denied(const struct fixture *f)
{
    return strstr(f->result.body.ptr, "\"allowed\":false") != NULL &&
           strstr(f->result.body.ptr, DENIED_MESSAGE) != NULL;
}

/* The garbage collector removing a finalizer of a Deployment that is being deleted. */
static void test_enforce_workloads_allows_finalizer_removal_while_deleting(void)
{
    struct fixture f;
    fixture_init(&f);
    fixture_update(&f, "apps", "deployments", "all-baseline", WEB(DELETING, "1", BAD_TEMPLATE),
                   WEB(DELETING FINALIZERS, "1", BAD_TEMPLATE));
    PG_EXPECT_STR(f.result.body.ptr, WARNED_AND_ALLOWED);
    fixture_release(&f);
}

/*
 * Being deleted is no pass for a template change: a finalizer of one's own would keep the
 * object terminating while its template, read by whatever controller ignores deletion,
 * changes at will. Removing finalizers leaves the template alone, so it passes anyway.
 */
static void test_enforce_workloads_denies_template_change_while_deleting(void)
{
    struct fixture f;
    fixture_init(&f);
    fixture_update(&f, "apps", "deployments", "all-baseline",
                   WEB(DELETING, "1", TEMPLATE(APP_LABEL, CONTAINER("j", "1", PRIVILEGED))),
                   WEB(DELETING FINALIZERS, "1", BAD_TEMPLATE));
    PG_EXPECT(denied(&f));
    fixture_release(&f);
}

/* kubectl scale, an autoscaler, or the Deployment controller scaling its ReplicaSets. */
static void test_enforce_workloads_allows_replicas_change(void)
{
    struct fixture f;
    fixture_init(&f);
    fixture_update(&f, "apps", "deployments", "all-baseline", WEB("", "3", BAD_TEMPLATE), BAD_WEB);
    PG_EXPECT_STR(f.result.body.ptr, WARNED_AND_ALLOWED);
    /* With warn and audit privileged nothing at all is reported, as upstream. */
    fixture_update(&f, "apps", "deployments", "enforce-only", WEB("", "3", BAD_TEMPLATE), BAD_WEB);
    PG_EXPECT_STR(f.result.body.ptr, RESPONSE_HEAD "\"allowed\":true}}\n");
    PG_EXPECT_INT(f.result.metrics_len, 0);
    fixture_release(&f);
}

static void test_enforce_workloads_allows_label_and_status_updates(void)
{
    struct fixture f;
    fixture_init(&f);
    fixture_update(&f, "apps", "deployments", "all-baseline",
                   "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":"
                   "\"web\",\"labels\":{\"tier\":\"front\"}},\"spec\":{\"replicas\":1,"
                   "\"template\":" BAD_TEMPLATE "},\"status\":{\"replicas\":0}}",
                   BAD_WEB);
    PG_EXPECT_STR(f.result.body.ptr, WARNED_AND_ALLOWED);
    fixture_release(&f);
}

static void test_enforce_workloads_denies_template_change_that_still_violates(void)
{
    struct fixture f;
    fixture_init(&f);
    fixture_update(&f, "apps", "deployments", "all-baseline",
                   WEB("", "1", TEMPLATE(APP_LABEL, CONTAINER("j", "1", PRIVILEGED))), BAD_WEB);
    PG_EXPECT(denied(&f));
    /* Fields that no check reads roll the pods out all the same. */
    fixture_update(&f, "apps", "deployments", "all-baseline",
                   WEB("", "1", TEMPLATE(APP_LABEL, CONTAINER("i", "2", PRIVILEGED))), BAD_WEB);
    PG_EXPECT(denied(&f));
    /* So do the template's labels (kubectl rollout restart changes its annotations). */
    fixture_update(
        &f, "apps", "deployments", "all-baseline",
        WEB("", "1", TEMPLATE("{\"labels\":{\"app\":\"web2\"}}", CONTAINER("i", "1", PRIVILEGED))),
        BAD_WEB);
    PG_EXPECT(denied(&f));
    fixture_release(&f);
}

static void test_enforce_workloads_denies_template_change_that_newly_violates(void)
{
    struct fixture f;
    fixture_init(&f);
    fixture_update(&f, "apps", "deployments", "all-baseline", BAD_WEB, WEB("", "1", GOOD_TEMPLATE));
    PG_EXPECT(denied(&f));
    /* The template's annotations decide AppArmor verdicts: they count. */
    fixture_update(&f, "apps", "deployments", "all-baseline",
                   WEB("", "1",
                       TEMPLATE("{\"labels\":{\"app\":\"web\"},\"annotations\":{\"container."
                                "apparmor.security.beta.kubernetes.io/c\":\"unconfined\"}}",
                                CONTAINER("i", "1", ""))),
                   WEB("", "1", GOOD_TEMPLATE));
    PG_EXPECT(strstr(f.result.body.ptr, "\"allowed\":false") != NULL);
    PG_EXPECT(strstr(f.result.body.ptr, "forbidden AppArmor profile") != NULL);
    fixture_release(&f);
}

/* Without the old object nothing shows the update to be harmless. */
static void test_enforce_workloads_denies_update_without_old_object(void)
{
    struct fixture f;
    fixture_init(&f);
    fixture_update(&f, "apps", "deployments", "all-baseline", BAD_WEB, NULL);
    PG_EXPECT(denied(&f));
    fixture_update(&f, "apps", "deployments", "all-baseline", BAD_WEB,
                   "{\"apiVersion\":\"v1\",\"kind\":\"Service\"}");
    PG_EXPECT(denied(&f));
    fixture_release(&f);
}

static void test_enforce_workloads_denies_create(void)
{
    struct fixture f;
    fixture_init(&f);
    f.handler.enforce_workloads = true;
    fixture_run(&f, "apps", "deployments", "all-baseline", "web", BAD_WEB);
    PG_EXPECT(denied(&f));
    PG_EXPECT(strstr(f.result.body.ptr, "\"enforce-policy\":\"baseline:latest\"") != NULL);
    fixture_release(&f);
}

/* The template of a CronJob is spec.jobTemplate.spec.template; a PodTemplate's is template. */
static void test_enforce_workloads_finds_other_templates_on_update(void)
{
    struct fixture f;
    fixture_init(&f);
    fixture_update(&f, "batch", "cronjobs", "enforce-only",
                   "{\"apiVersion\":\"batch/v1\",\"kind\":\"CronJob\",\"metadata\":{\"name\":"
                   "\"web\"},\"spec\":{\"schedule\":\"1 * * * *\",\"jobTemplate\":{\"spec\":{"
                   "\"template\":" BAD_TEMPLATE "}}}}",
                   "{\"apiVersion\":\"batch/v1\",\"kind\":\"CronJob\",\"metadata\":{\"name\":"
                   "\"web\"},\"spec\":{\"schedule\":\"2 * * * *\",\"jobTemplate\":{\"spec\":{"
                   "\"template\":" BAD_TEMPLATE "}}}}");
    PG_EXPECT_STR(f.result.body.ptr, RESPONSE_HEAD "\"allowed\":true}}\n");
    fixture_update(
        &f, "batch", "cronjobs", "enforce-only",
        "{\"apiVersion\":\"batch/v1\",\"kind\":\"CronJob\",\"metadata\":{\"name\":"
        "\"web\"},\"spec\":{\"jobTemplate\":{\"spec\":{\"template\":" BAD_TEMPLATE "}}}}",
        "{\"apiVersion\":\"batch/v1\",\"kind\":\"CronJob\",\"metadata\":{\"name\":"
        "\"web\"},\"spec\":{\"jobTemplate\":{\"spec\":{\"template\":" GOOD_TEMPLATE "}}}}");
    PG_EXPECT(strstr(f.result.body.ptr, "\"allowed\":false") != NULL);
    fixture_update(&f, "", "podtemplates", "enforce-only",
                   "{\"apiVersion\":\"v1\",\"kind\":\"PodTemplate\",\"metadata\":{\"name\":\"web\","
                   "\"labels\":{\"a\":\"b\"}},\"template\":" BAD_TEMPLATE "}",
                   "{\"apiVersion\":\"v1\",\"kind\":\"PodTemplate\",\"metadata\":{\"name\":"
                   "\"web\"},\"template\":" BAD_TEMPLATE "}");
    PG_EXPECT_STR(f.result.body.ptr, RESPONSE_HEAD "\"allowed\":true}}\n");
    fixture_update(&f, "", "podtemplates", "enforce-only",
                   "{\"apiVersion\":\"v1\",\"kind\":\"PodTemplate\",\"metadata\":{\"name\":"
                   "\"web\"},\"template\":" BAD_TEMPLATE "}",
                   "{\"apiVersion\":\"v1\",\"kind\":\"PodTemplate\",\"metadata\":{\"name\":"
                   "\"web\"},\"template\":" GOOD_TEMPLATE "}");
    PG_EXPECT(strstr(f.result.body.ptr, "\"allowed\":false") != NULL);
    fixture_release(&f);
}

/* Without --enforce-workloads every update is judged as upstream: warn and audit only. */
static void test_updates_warn_without_enforce_workloads(void)
{
    struct fixture f;
    struct review_spec spec = {
        .uid = "w",
        .operation = "UPDATE",
        .group = "apps",
        .resource = "deployments",
        .namespace_ = "all-baseline",
        .name = "web",
        .object = WEB("", "1", TEMPLATE(APP_LABEL, CONTAINER("j", "1", PRIVILEGED))),
        .old_object = BAD_WEB};
    fixture_init(&f);
    build_review(&f.body, &spec);
    run_review(&f.result, &f.handler, f.body.ptr);
    PG_EXPECT_STR(f.result.body.ptr, WARNED_AND_ALLOWED);
    fixture_release(&f);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_deployment_violation_warns_and_is_allowed)                                  \
    PG_TEST_ENTRY(test_enforce_workloads_denies_the_controller)                                    \
    PG_TEST_ENTRY(test_enforce_only_namespace_skips_controllers_by_default)                        \
    PG_TEST_ENTRY(test_cronjob_template_is_found)                                                  \
    PG_TEST_ENTRY(test_controller_failures_fail_open)                                              \
    PG_TEST_ENTRY(test_controller_subresources_are_ignored)                                        \
    PG_TEST_ENTRY(test_long_resource_name_is_truncated_to_its_field)                               \
    PG_TEST_ENTRY(test_enforce_workloads_allows_finalizer_removal_while_deleting)                  \
    PG_TEST_ENTRY(test_enforce_workloads_denies_template_change_while_deleting)                    \
    PG_TEST_ENTRY(test_enforce_workloads_allows_replicas_change)                                   \
    PG_TEST_ENTRY(test_enforce_workloads_allows_label_and_status_updates)                          \
    PG_TEST_ENTRY(test_enforce_workloads_denies_template_change_that_still_violates)               \
    PG_TEST_ENTRY(test_enforce_workloads_denies_template_change_that_newly_violates)               \
    PG_TEST_ENTRY(test_enforce_workloads_denies_update_without_old_object)                         \
    PG_TEST_ENTRY(test_enforce_workloads_denies_create)                                            \
    PG_TEST_ENTRY(test_enforce_workloads_finds_other_templates_on_update)                          \
    PG_TEST_ENTRY(test_updates_warn_without_enforce_workloads)

PG_TEST_MAIN(TESTS)
