/* SPDX-License-Identifier: Apache-2.0 */
/* Pod admission (spec §6.2, §6.4, §6.7, §7): bytes in, bytes out, no sockets. */
#include "harness.h"
#include "review_builder.h"

#define POD_C                                                                                      \
    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"test\"},"                    \
    "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}"
#define POD_C_NEW_IMAGE                                                                            \
    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"test\"},"                    \
    "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:2\"}]}}"
#define POD_C_LABELLED                                                                             \
    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"test\",\"labels\":"          \
    "{\"a\":\"b\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}"
#define POD_RESTRICTED                                                                             \
    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"ok\"},\"spec\":{"            \
    "\"securityContext\":{\"runAsNonRoot\":true,\"seccompProfile\":{\"type\":"                     \
    "\"RuntimeDefault\"}},\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"securityContext\":"    \
    "{\"allowPrivilegeEscalation\":false,\"capabilities\":{\"drop\":[\"ALL\"]}}}]}}"
#define POD_PRIVILEGED                                                                             \
    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{"             \
    "\"runtimeClassName\":\"kata\",\"containers\":[{\"name\":\"c\",\"image\":\"i\","               \
    "\"securityContext\":{\"privileged\":true}}]}}"

#define RESTRICTED_DETAILS                                                                         \
    "allowPrivilegeEscalation != false (container \\\"c\\\" must set "                             \
    "securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "       \
    "\\\"c\\\" must set securityContext.capabilities.drop=[\\\"ALL\\\"]), runAsNonRoot != true "   \
    "(pod or container \\\"c\\\" must set securityContext.runAsNonRoot=true), seccompProfile "     \
    "(pod or container \\\"c\\\" must set securityContext.seccompProfile.type to "                 \
    "\\\"RuntimeDefault\\\" or \\\"Localhost\\\")"

static const struct fake_namespace NAMESPACES[] = {
    {"restricted", {"pod-security.kubernetes.io/enforce", "restricted", NULL}},
    {"baseline-warn",
     {"pod-security.kubernetes.io/enforce", "baseline", "pod-security.kubernetes.io/warn",
      "restricted", NULL}},
    {"audit-only", {"pod-security.kubernetes.io/audit", "restricted", NULL}},
    {"privileged-old",
     {"pod-security.kubernetes.io/enforce", "privileged",
      "pod-security.kubernetes.io/enforce-version", "v1.20", NULL}},
    {"bogus", {"pod-security.kubernetes.io/enforce", "bogus", NULL}},
    {"future",
     {"pod-security.kubernetes.io/enforce", "restricted",
      "pod-security.kubernetes.io/enforce-version", "v1.99", NULL}},
    {"open", {NULL}},
    {"system", {"pod-security.kubernetes.io/enforce", "restricted", NULL}},
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
    static const char CONFIG[] = "apiVersion: pod-security.admission.config.k8s.io/v1\n"
                                 "kind: PodSecurityConfiguration\n"
                                 "exemptions:\n"
                                 "  usernames: [admin]\n"
                                 "  namespaces: [system]\n"
                                 "  runtimeClasses: [kata]\n";
    memset(f, 0, sizeof(*f));
    f->cluster.namespaces = NAMESPACES;
    f->cluster.namespaces_len = sizeof(NAMESPACES) / sizeof(NAMESPACES[0]);
    if (pg_admission_config_parse(&f->config, CONFIG, sizeof(CONFIG) - 1, NULL) != 0) {
        f->config = pg_admission_config_new_default();
    }
    fake_handler(&f->handler, f->config, &f->cluster);
    pg_admission_result_init(&f->result);
    pg_buf_init(&f->body, 0);
}

static void fixture_run(struct fixture *f, const struct review_spec *spec)
{
    pg_buf_clear(&f->body);
    build_review(&f->body, spec);
    run_review(&f->result, &f->handler, f->body.ptr);
}

static void fixture_release(struct fixture *f)
{
    pg_admission_result_release(&f->result);
    pg_buf_release(&f->body);
    pg_admission_config_free(f->config);
}

static void test_denies_violating_pod_with_upstream_status(void)
{
    struct fixture f;
    struct review_spec spec = {
        .uid = "u1", .namespace_ = "restricted", .name = "test", .object = POD_C};
    fixture_init(&f);
    fixture_run(&f, &spec);
    PG_EXPECT_INT(f.result.http_status, 200);
    PG_EXPECT_STR(f.result.content_type, "application/json");
    PG_EXPECT_STR(
        f.result.body.ptr,
        "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"response\":{"
        "\"uid\":\"u1\",\"allowed\":false,\"status\":{\"metadata\":{},\"status\":\"Failure\","
        "\"message\":\"pods \\\"test\\\" is forbidden: violates PodSecurity "
        "\\\"restricted:latest\\\": " RESTRICTED_DETAILS "\",\"reason\":\"Forbidden\","
        "\"details\":{\"name\":\"test\",\"kind\":\"pods\"},\"code\":403},"
        "\"auditAnnotations\":{\"enforce-policy\":\"restricted:latest\"}}}\n");
    PG_EXPECT_INT(f.result.metrics_len, 1);
    PG_EXPECT(f.result.metrics[0].deny);
    PG_EXPECT_INT(f.result.metrics[0].mode, PG_MODE_ENFORCE);
    PG_EXPECT_STR(f.result.operation, "create");
    fixture_release(&f);
}

static void test_generate_name_denial_has_no_name(void)
{
    struct fixture f;
    struct review_spec spec = {.uid = "u1", .namespace_ = "restricted", .object = POD_C};
    fixture_init(&f);
    fixture_run(&f, &spec);
    PG_EXPECT(strstr(f.result.body.ptr, "\"message\":\"pods is forbidden: violates PodSecurity") !=
              NULL);
    PG_EXPECT(strstr(f.result.body.ptr, "\"details\":{\"kind\":\"pods\"}") != NULL);
    fixture_release(&f);
}

static void test_warns_below_enforce_and_annotates_policy(void)
{
    struct fixture f;
    struct review_spec spec = {
        .uid = "u2", .namespace_ = "baseline-warn", .name = "test", .object = POD_C};
    fixture_init(&f);
    fixture_run(&f, &spec);
    PG_EXPECT_STR(f.result.body.ptr,
                  "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\","
                  "\"response\":{\"uid\":\"u2\",\"allowed\":true,\"auditAnnotations\":{"
                  "\"enforce-policy\":\"baseline:latest\"},\"warnings\":[\"would violate "
                  "PodSecurity \\\"restricted:latest\\\": " RESTRICTED_DETAILS "\"]}}\n");
    PG_EXPECT_INT(f.result.metrics_len, 2);
    PG_EXPECT(!f.result.metrics[0].deny);
    PG_EXPECT_INT(f.result.metrics[1].mode, PG_MODE_WARN);
    fixture_release(&f);
}

static void test_audit_violation_is_an_annotation(void)
{
    struct fixture f;
    struct review_spec spec = {
        .uid = "u3", .namespace_ = "audit-only", .name = "test", .object = POD_C};
    fixture_init(&f);
    fixture_run(&f, &spec);
    PG_EXPECT_STR(f.result.body.ptr,
                  "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\","
                  "\"response\":{\"uid\":\"u3\",\"allowed\":true,\"auditAnnotations\":{"
                  "\"audit-violations\":\"would violate PodSecurity \\\"restricted:latest\\\": "
                  "" RESTRICTED_DETAILS "\",\"enforce-policy\":\"privileged:latest\"}}}\n");
    fixture_release(&f);
}

static void test_fully_privileged_shortcut_says_latest(void)
{
    struct fixture f;
    struct review_spec spec = {.uid = "u4", .namespace_ = "privileged-old", .object = POD_C};
    fixture_init(&f);
    fixture_run(&f, &spec);
    PG_EXPECT_STR(f.result.body.ptr,
                  "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\","
                  "\"response\":{\"uid\":\"u4\",\"allowed\":true,\"auditAnnotations\":{"
                  "\"enforce-policy\":\"privileged:latest\"}}}\n");
    PG_EXPECT_INT(f.result.metrics_len, 1);
    PG_EXPECT(!f.result.metrics[0].deny);
    fixture_release(&f);
}

static void test_ignored_subresources_are_allowed_bare(void)
{
    static const char *const IGNORED[] = {"exec", "attach",      "binding", "eviction",
                                          "log",  "portforward", "proxy",   "status"};
    struct fixture f;
    size_t i = 0;
    fixture_init(&f);
    for (i = 0; i < sizeof(IGNORED) / sizeof(IGNORED[0]); i++) {
        struct review_spec spec = {
            .uid = "u5", .namespace_ = "restricted", .object = POD_C, .subresource = IGNORED[i]};
        fixture_run(&f, &spec);
        PG_EXPECT_STR(f.result.body.ptr,
                      "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\","
                      "\"response\":{\"uid\":\"u5\",\"allowed\":true}}\n");
        PG_EXPECT_INT(f.result.metrics_len, 0);
    }
    fixture_release(&f);
}

static void test_ephemeralcontainers_and_resize_are_evaluated(void)
{
    static const char *const EVALUATED[] = {"ephemeralcontainers", "resize", "future"};
    struct fixture f;
    size_t i = 0;
    fixture_init(&f);
    for (i = 0; i < 3; i++) {
        struct review_spec spec = {.namespace_ = "restricted",
                                   .object = POD_C,
                                   .old_object = POD_C,
                                   .operation = "UPDATE",
                                   .subresource = EVALUATED[i]};
        fixture_run(&f, &spec);
        /* Identical images: not significant, so allowed without annotations. */
        PG_EXPECT(f.result.allowed);
        spec.old_object = POD_C_NEW_IMAGE;
        fixture_run(&f, &spec);
        PG_EXPECT(!f.result.allowed);
        PG_EXPECT_STR(f.result.subresource, EVALUATED[i]);
    }
    fixture_release(&f);
}

static void test_exemptions_namespace_user_runtime_class(void)
{
    struct fixture f;
    struct review_spec by_ns = {.uid = "e", .namespace_ = "system", .object = POD_C};
    struct review_spec by_user = {
        .uid = "e", .namespace_ = "restricted", .username = "admin", .object = POD_C};
    struct review_spec by_class = {
        .uid = "e", .namespace_ = "restricted", .object = POD_PRIVILEGED};
    fixture_init(&f);
    fixture_run(&f, &by_ns);
    PG_EXPECT_STR(f.result.body.ptr,
                  "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\","
                  "\"response\":{\"uid\":\"e\",\"allowed\":true,\"auditAnnotations\":{"
                  "\"exempt\":\"namespace\"}}}\n");
    PG_EXPECT_INT(f.result.metrics[0].kind, PG_ADMISSION_METRIC_EXEMPTION);
    fixture_run(&f, &by_user);
    PG_EXPECT(strstr(f.result.body.ptr, "{\"exempt\":\"user\"}") != NULL);
    fixture_run(&f, &by_class);
    PG_EXPECT(strstr(f.result.body.ptr, "\"allowed\":true,\"auditAnnotations\":{\"exempt\":"
                                        "\"runtimeClass\"}}") != NULL);
    fixture_release(&f);
}

static void test_namespace_lookup_failure_is_internal_error(void)
{
    struct fixture f;
    struct review_spec spec = {.uid = "u6", .namespace_ = "missing", .object = POD_C};
    fixture_init(&f);
    fixture_run(&f, &spec);
    PG_EXPECT_STR(
        f.result.body.ptr,
        "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"response\":{"
        "\"uid\":\"u6\",\"allowed\":false,\"status\":{\"metadata\":{},\"status\":\"Failure\","
        "\"message\":\"Internal error occurred: failed to lookup namespace \\\"missing\\\"\","
        "\"reason\":\"InternalError\",\"details\":{\"causes\":[{\"message\":\"failed to lookup "
        "namespace \\\"missing\\\"\"}]},\"code\":500},\"auditAnnotations\":{\"error\":"
        "\"Internal error occurred: failed to lookup namespace \\\"missing\\\": namespaces "
        "\\\"missing\\\" not found\"}}}\n");
    PG_EXPECT(f.result.metrics[0].fatal);
    fixture_release(&f);
}

static void test_insignificant_update_is_allowed_without_annotations(void)
{
    struct fixture f;
    struct review_spec spec = {.uid = "u7",
                               .namespace_ = "restricted",
                               .operation = "UPDATE",
                               .object = POD_C_LABELLED,
                               .old_object = POD_C};
    fixture_init(&f);
    fixture_run(&f, &spec);
    PG_EXPECT_STR(f.result.body.ptr,
                  "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\","
                  "\"response\":{\"uid\":\"u7\",\"allowed\":true}}\n");
    spec.old_object = POD_C_NEW_IMAGE;
    fixture_run(&f, &spec);
    PG_EXPECT(!f.result.allowed);
    fixture_release(&f);
}

static void test_added_ephemeral_container_is_significant(void)
{
    static const char WITH_DEBUG[] =
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"test\"},\"spec\":{"
        "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}],\"ephemeralContainers\":[{"
        "\"name\":\"debug\",\"image\":\"busybox\"}]}}";
    struct fixture f;
    struct review_spec spec = {.namespace_ = "restricted",
                               .operation = "UPDATE",
                               .subresource = "ephemeralcontainers",
                               .object = WITH_DEBUG,
                               .old_object = POD_C};
    fixture_init(&f);
    fixture_run(&f, &spec);
    PG_EXPECT(!f.result.allowed);
    PG_EXPECT(strstr(f.result.body.ptr, "containers \\\"c\\\", \\\"debug\\\" must set") != NULL);
    spec.old_object = WITH_DEBUG;
    fixture_run(&f, &spec);
    PG_EXPECT(f.result.allowed);
    fixture_release(&f);
}

static void test_decode_failures_are_bad_requests(void)
{
    struct fixture f;
    struct review_spec service = {.uid = "d",
                                  .namespace_ = "restricted",
                                  .object = "{\"apiVersion\":\"v1\",\"kind\":\"Service\"}"};
    struct review_spec missing = {.uid = "d", .namespace_ = "restricted"};
    struct review_spec wrong_type = {
        .uid = "d",
        .namespace_ = "restricted",
        .object = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"spec\":{\"hostPID\":\"yes\"}}"};
    /* The scanner reads 0.0 as kubectl would send it (0); the API server never sends it, and
       its decoder rejects it, so the webhook does too. */
    struct review_spec whole_float = {
        .uid = "d",
        .namespace_ = "restricted",
        .object = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"spec\":{\"securityContext\":"
                  "{\"runAsUser\":0.0}}}"};
    fixture_init(&f);
    fixture_run(&f, &service);
    PG_EXPECT_STR(
        f.result.body.ptr,
        "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"response\":{"
        "\"uid\":\"d\",\"allowed\":false,\"status\":{\"metadata\":{},\"status\":\"Failure\","
        "\"message\":\"failed to decode pod\",\"reason\":\"BadRequest\",\"code\":400},"
        "\"auditAnnotations\":{\"error\":\"failed to decode pod\"}}}\n");
    PG_EXPECT(f.result.metrics[0].fatal);
    fixture_run(&f, &missing);
    PG_EXPECT(strstr(f.result.body.ptr, "\"message\":\"failed to decode object\"") != NULL);
    PG_EXPECT(strstr(f.result.body.ptr, "{\"error\":\"failed to decode object: ") != NULL);
    fixture_run(&f, &wrong_type);
    PG_EXPECT(strstr(f.result.body.ptr, "\"message\":\"failed to decode object\"") != NULL);
    fixture_run(&f, &whole_float);
    PG_EXPECT(strstr(f.result.body.ptr, "\"allowed\":false") != NULL);
    PG_EXPECT(strstr(f.result.body.ptr, "runAsUser: expected integer, got number 0.0") != NULL);
    fixture_release(&f);
}

static void test_invalid_enforce_label_means_restricted_with_error(void)
{
    struct fixture f;
    struct review_spec spec = {
        .uid = "b", .namespace_ = "bogus", .name = "ok", .object = POD_RESTRICTED};
    fixture_init(&f);
    fixture_run(&f, &spec);
    PG_EXPECT_STR(f.result.body.ptr,
                  "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\","
                  "\"response\":{\"uid\":\"b\",\"allowed\":true,\"auditAnnotations\":{"
                  "\"enforce-policy\":\"restricted:latest\",\"error\":\"Failed to parse policy: "
                  "metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "
                  "\\\"bogus\\\": must be one of privileged, baseline, restricted\"}}}\n");
    PG_EXPECT_INT(f.result.metrics[0].kind, PG_ADMISSION_METRIC_ERROR);
    PG_EXPECT(!f.result.metrics[0].fatal);
    fixture_release(&f);
}

static void test_future_version_keeps_its_text(void)
{
    struct fixture f;
    struct review_spec spec = {.namespace_ = "future", .name = "test", .object = POD_C};
    fixture_init(&f);
    fixture_run(&f, &spec);
    PG_EXPECT(strstr(f.result.body.ptr, "violates PodSecurity \\\"restricted:v1.99\\\"") != NULL);
    PG_EXPECT(strstr(f.result.body.ptr, "{\"enforce-policy\":\"restricted:v1.99\"}") != NULL);
    PG_EXPECT_INT(f.result.metrics[0].policy.version.minor, 99);
    fixture_release(&f);
}

static void test_strings_are_escaped_like_go(void)
{
    struct fixture f;
    struct review_spec spec = {.uid = "<&>\xe2\x80\xa8", .namespace_ = "open", .object = POD_C};
    fixture_init(&f);
    fixture_run(&f, &spec);
    PG_EXPECT(strstr(f.result.body.ptr, "\"uid\":\"\\u003c\\u0026\\u003e\\u2028\"") != NULL);
    fixture_release(&f);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_denies_violating_pod_with_upstream_status)                                  \
    PG_TEST_ENTRY(test_generate_name_denial_has_no_name)                                           \
    PG_TEST_ENTRY(test_warns_below_enforce_and_annotates_policy)                                   \
    PG_TEST_ENTRY(test_audit_violation_is_an_annotation)                                           \
    PG_TEST_ENTRY(test_fully_privileged_shortcut_says_latest)                                      \
    PG_TEST_ENTRY(test_ignored_subresources_are_allowed_bare)                                      \
    PG_TEST_ENTRY(test_ephemeralcontainers_and_resize_are_evaluated)                               \
    PG_TEST_ENTRY(test_exemptions_namespace_user_runtime_class)                                    \
    PG_TEST_ENTRY(test_namespace_lookup_failure_is_internal_error)                                 \
    PG_TEST_ENTRY(test_insignificant_update_is_allowed_without_annotations)                        \
    PG_TEST_ENTRY(test_added_ephemeral_container_is_significant)                                   \
    PG_TEST_ENTRY(test_decode_failures_are_bad_requests)                                           \
    PG_TEST_ENTRY(test_invalid_enforce_label_means_restricted_with_error)                          \
    PG_TEST_ENTRY(test_future_version_keeps_its_text)                                              \
    PG_TEST_ENTRY(test_strings_are_escaped_like_go)

PG_TEST_MAIN(TESTS)
