/* SPDX-License-Identifier: Apache-2.0 */
/* The admission endpoint's HTTP errors (spec §10), durations and the config reader (§8). */
#include "harness.h"
#include "review_builder.h"

struct fixture {
    struct fake_cluster cluster;
    struct pg_admission_config *config;
    struct pg_admission_handler handler;
    struct pg_admission_result result;
    struct pg_admission_http_request request;
};

static void fixture_init(struct fixture *f, const char *body, const char *content_type)
{
    memset(f, 0, sizeof(*f));
    f->config = pg_admission_config_new_default();
    fake_handler(&f->handler, f->config, &f->cluster);
    pg_admission_result_init(&f->result);
    f->request.body = body;
    f->request.body_len = strlen(body);
    f->request.content_type = content_type;
}

static void fixture_release(struct fixture *f)
{
    pg_admission_result_release(&f->result);
    pg_admission_config_free(f->config);
}

static bool http_error_is(const char *body, const char *content_type, int status, const char *text)
{
    struct fixture f;
    bool ok = false;
    fixture_init(&f, body, content_type);
    pg_admission_handle(&f.result, &f.handler, &f.request);
    ok = f.result.http_status == status && strcmp(f.result.body.ptr, text) == 0 &&
         strcmp(f.result.content_type, "text/plain; charset=utf-8") == 0;
    if (!ok) {
        printf("#   got %d %s", f.result.http_status, f.result.body.ptr);
    }
    fixture_release(&f);
    return ok;
}

static void test_http_errors_have_upstream_texts(void)
{
    PG_EXPECT(http_error_is("", "application/json", 400, "request body is empty\n"));
    PG_EXPECT(http_error_is("{}", "text/plain", 400,
                            "unable to process a request with a non-json content type\n"));
    PG_EXPECT(http_error_is("{}", NULL, 400,
                            "unable to process a request with a non-json content type\n"));
    PG_EXPECT(http_error_is("{}", "application/json; charset=utf-8", 400,
                            "unable to process a request with a non-json content type\n"));
    PG_EXPECT(
        http_error_is("{not json", "application/json", 400, "unable to decode the request\n"));
    PG_EXPECT(http_error_is("[1]", "application/json", 400, "unable to decode the request\n"));
    PG_EXPECT(http_error_is("{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}", "application/json", 400,
                            "unable to decode the request\n"));
    PG_EXPECT(http_error_is("{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":"
                            "\"AdmissionReview\",\"request\":{}}",
                            "application/json", 400,
                            "unexpected AdmissionReview kind: admission.k8s.io/v1beta1, "
                            "Kind=AdmissionReview\n"));
    PG_EXPECT(http_error_is("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
                            "\"request\":{\"uid\":7}}",
                            "application/json", 400, "unable to decode the request\n"));
    PG_EXPECT(http_error_is("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}",
                            "application/json", 500, "internal server error\n"));
}

static void test_body_at_the_limit_is_too_large(void)
{
    struct fixture f;
    fixture_init(&f, "{}", "application/json");
    f.request.body_too_large = true;
    pg_admission_handle(&f.result, &f.handler, &f.request);
    PG_EXPECT_INT(f.result.http_status, 413);
    PG_EXPECT_STR(f.result.body.ptr, "request entity is too large; limit is 3145728 bytes\n");
    fixture_release(&f);
}

static void test_missing_kind_defaults_to_v1_review(void)
{
    struct fixture f;
    fixture_init(&f,
                 "{\"request\":{\"uid\":\"x\",\"resource\":{\"resource\":\"pods\"},"
                 "\"requestSubResource\":\"exec\"}}",
                 "application/json");
    pg_admission_handle(&f.result, &f.handler, &f.request);
    PG_EXPECT_INT(f.result.http_status, 200);
    PG_EXPECT_STR(f.result.body.ptr,
                  "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\","
                  "\"response\":{\"uid\":\"x\",\"allowed\":true}}\n");
    fixture_release(&f);
}

/* Handle `body` fresh and in `workspace`: true when both give the same status and bytes. */
static bool same_with_workspace(const struct pg_admission_handler *handler, const char *body,
                                struct pg_admission_workspace *workspace)
{
    struct pg_admission_result fresh;
    struct pg_admission_result reused;
    bool same = false;
    pg_admission_result_init(&fresh);
    pg_admission_result_init(&reused);
    run_review(&fresh, handler, body);
    run_review_in(&reused, handler, body, workspace);
    same = same_response(&fresh, &reused);
    if (!same) {
        printf("#   fresh %d %s#   workspace %d %s", fresh.http_status, fresh.body.ptr,
               reused.http_status, reused.body.ptr);
    }
    pg_admission_result_release(&fresh);
    pg_admission_result_release(&reused);
    return same;
}

/* Whether `body` gets a 200 whose response contains `text`. */
static bool decision_is(const struct pg_admission_handler *handler, const char *body,
                        const char *text)
{
    struct pg_admission_result result;
    bool ok = false;
    pg_admission_result_init(&result);
    run_review(&result, handler, body);
    ok = result.http_status == 200 && strstr(result.body.ptr, text) != NULL;
    pg_admission_result_release(&result);
    return ok;
}

/*
 * One workspace through reviews that leave its reader in every state: a denial, a syntax error
 * (the checking reader takes over), a truncated body, a review too large to keep (its reader is
 * freed), a document with a duplicate key, then ordinary reviews again.
 */
static void test_workspace_gives_the_same_responses(void)
{
    static const struct fake_namespace NS = {
        "ns", {"pod-security.kubernetes.io/enforce", "restricted", NULL}};
    struct fake_cluster cluster = {.namespaces = &NS, .namespaces_len = 1};
    struct pg_admission_config *config = pg_admission_config_new_default();
    struct pg_admission_workspace *workspace = pg_admission_workspace_new();
    struct pg_admission_handler handler;
    struct pg_buf allowed = PG_BUF_INIT;
    struct pg_buf denied = PG_BUF_INIT;
    struct pg_buf large = PG_BUF_INIT;
    struct pg_buf padding = PG_BUF_INIT;
    struct pg_buf large_pod = PG_BUF_INIT;
    const char *good_pod =
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{"
        "\"securityContext\":{\"runAsNonRoot\":true,\"seccompProfile\":{\"type\":"
        "\"RuntimeDefault\"}},\"containers\":[{\"name\":\"c\",\"image\":\"i\","
        "\"securityContext\":{\"allowPrivilegeEscalation\":false,\"capabilities\":{\"drop\":"
        "[\"ALL\"]}}}]}}";
    const char *bad_pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":"
                          "\"q\"},\"spec\":{\"hostPID\":true,\"hostPID\":true,\"containers\":"
                          "[{\"name\":\"c\",\"image\":\"i\",\"securityContext\":{"
                          "\"privileged\":true}}]}}";
    struct review_spec spec = {.uid = "u", .namespace_ = "ns", .name = "p", .object = good_pod};
    fake_handler(&handler, config, &cluster);
    build_review(&allowed, &spec);
    spec.object = bad_pod;
    spec.name = "q";
    build_review(&denied, &spec);
    /* Over the 16 KiB a workspace keeps: an annotation of 80,000 bytes. */
    for (size_t i = 0; i < 8000; i++) {
        pg_buf_puts(&padding, "0123456789");
    }
    pg_buf_printf(&large_pod,
                  "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"l\","
                  "\"annotations\":{\"a\":\"%s\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
                  "\"image\":\"i\"}]}}",
                  padding.ptr);
    spec.object = large_pod.ptr;
    spec.name = "l";
    build_review(&large, &spec);
    /* What the reviews are, read fresh: the comparisons below are between real decisions. */
    PG_EXPECT(decision_is(&handler, allowed.ptr, "\"allowed\":true"));
    PG_EXPECT(decision_is(&handler, denied.ptr, "\"allowed\":false"));
    PG_EXPECT(decision_is(&handler, large.ptr, "\"allowed\":false"));
    PG_EXPECT(same_with_workspace(&handler, allowed.ptr, workspace));
    PG_EXPECT(same_with_workspace(&handler, denied.ptr, workspace));
    PG_EXPECT(same_with_workspace(&handler, "{\"request\": {\"uid\": [1, 2,", workspace));
    PG_EXPECT(same_with_workspace(&handler, allowed.ptr, workspace));
    PG_EXPECT(same_with_workspace(&handler, "{not json", workspace));
    PG_EXPECT(same_with_workspace(&handler, denied.ptr, workspace));
    PG_EXPECT(same_with_workspace(&handler, large.ptr, workspace));
    PG_EXPECT(same_with_workspace(&handler, allowed.ptr, workspace));
    PG_EXPECT(same_with_workspace(&handler, denied.ptr, workspace));
    pg_buf_release(&allowed);
    pg_buf_release(&denied);
    pg_buf_release(&large);
    pg_buf_release(&padding);
    pg_buf_release(&large_pod);
    pg_admission_workspace_free(workspace);
    pg_admission_config_free(config);
}

/* %s: the unread fields of metadata, of the pod spec and of the container, and status. */
#define UNREAD_POD                                                                                 \
    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"%s},\"spec\":{"           \
    "\"hostPID\":true%s,\"containers\":[{\"name\":\"c\",\"image\":\"i\"%s,"                        \
    "\"securityContext\":{\"privileged\":true}}]}%s}"
#define UNREAD_DEPLOYMENT                                                                          \
    "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d\"%s},"         \
    "\"spec\":{\"selector\":{\"matchLabels\":{\"a\":\"b\"}},\"strategy\":{\"type\":"               \
    "\"Recreate\"},\"template\":{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"spec\":{"               \
    "\"hostPID\":true%s,\"containers\":[{\"name\":\"c\",\"image\":\"i\"%s,"                        \
    "\"securityContext\":{\"privileged\":true}}]}}}%s}"

/*
 * Pod fields nothing judges (admission/unread.c: managedFields, env, resources, status, ...) are
 * checked but not built; filled or left out, the responses are the same bytes, for a pod and
 * for a workload's template.
 */
static void test_unread_fields_change_nothing(void)
{
    static const struct fake_namespace NS = {
        "ns", {"pod-security.kubernetes.io/enforce", "restricted", NULL}};
    struct fake_cluster cluster = {.namespaces = &NS, .namespaces_len = 1};
    struct pg_admission_config *config = pg_admission_config_new_default();
    struct pg_admission_handler handler;
    const char *metadata =

        ",\"finalizers\":[\"f\"],\"managedFields\":[{\"manager\":\"kubectl\","
        "\"fieldsV1\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":"
        "\\\"c\\\"}\":{\".\":{},\"f:env\":{}}}}}}]";
    const char *spec = ",\"affinity\":{\"nodeAffinity\":{}},\"tolerations\":[{\"key\":\"k\","
                       "\"operator\":\"Exists\"}],\"nodeSelector\":{\"a\":\"b\"},"
                       "\"imagePullSecrets\":[{\"name\":\"r\"}],\"dnsConfig\":{\"options\":[]},"
                       "\"volumes\":[{\"name\":\"t\",\"projected\":{\"sources\":[{"
                       "\"serviceAccountToken\":{\"path\":\"token\"}}]}}]";
    const char *container = ",\"command\":[\"sh\"],\"args\":[\"-c\",\"\\u00e9\"],\"env\":[{"
                            "\"name\":\"A\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"x\"}}}],"
                            "\"resources\":{\"limits\":{\"cpu\":1.5e0}},\"volumeMounts\":[{"
                            "\"name\":\"v\",\"mountPath\":\"/v\"}]";
    const char *status = ",\"status\":{\"phase\":\"Pending\",\"conditions\":[[],{}]}";
    const char *const RESOURCES[2][2] = {{"", "pods"}, {"apps", "deployments"}};
    fake_handler(&handler, config, &cluster);
    for (size_t i = 0; i < 2; i++) {
        struct pg_buf full = PG_BUF_INIT;
        struct pg_buf bare = PG_BUF_INIT;
        struct pg_buf full_review = PG_BUF_INIT;
        struct pg_buf bare_review = PG_BUF_INIT;
        struct pg_admission_result full_result;
        struct pg_admission_result bare_result;
        struct review_spec review = {.uid = "u",
                                     .namespace_ = "ns",
                                     .name = "p",
                                     .group = RESOURCES[i][0],
                                     .resource = RESOURCES[i][1]};
        if (i == 0) {
            pg_buf_printf(&full, UNREAD_POD, metadata, spec, container, status);
            pg_buf_printf(&bare, UNREAD_POD, "", "", "", "");
        } else {
            pg_buf_printf(&full, UNREAD_DEPLOYMENT, metadata, spec, container, status);
            pg_buf_printf(&bare, UNREAD_DEPLOYMENT, "", "", "", "");
        }
        review.object = full.ptr;
        build_review(&full_review, &review);
        review.object = bare.ptr;
        build_review(&bare_review, &review);
        pg_admission_result_init(&full_result);
        pg_admission_result_init(&bare_result);
        run_review(&full_result, &handler, full_review.ptr);
        run_review(&bare_result, &handler, bare_review.ptr);
        /* Real findings: a denial for the pod, warnings for the Deployment. */
        PG_EXPECT_INT(bare_result.http_status, 200);
        PG_EXPECT(strstr(bare_result.body.ptr, i == 0 ? "\"allowed\":false" : "\"warnings\":[") !=
                  NULL);
        PG_EXPECT(strstr(bare_result.body.ptr, "privileged") != NULL);
        PG_EXPECT(same_response(&full_result, &bare_result));
        pg_admission_result_release(&full_result);
        pg_admission_result_release(&bare_result);
        pg_buf_release(&full);
        pg_buf_release(&bare);
        pg_buf_release(&full_review);
        pg_buf_release(&bare_review);
    }
    pg_admission_config_free(config);
}

/* Unread values are still checked: what would fail the review if built fails it unbuilt. */
static void test_unread_fields_are_still_checked(void)
{
    static const char *const BAD[] = {
        "\"env\":[{\"name\":\"\xff\"}]",           /* invalid UTF-8 */
        "\"env\":[{\"name\":\"\\ud800\"}]",        /* a lone surrogate escape */
        "\"resources\":{\"limits\":{\"cpu\":01}}", /* not a JSON number */
        "\"resources\":{\"limits\":{\"cpu\":1,}}", /* trailing comma */
        "\"command\":[\"a\" \"b\"]",               /* missing comma */
        "\"args\":[\"\t\"]",                       /* a raw control character */
        "\"env\":[}",                              /* mismatched bracket */
    };
    struct pg_buf object = PG_BUF_INIT;
    struct pg_buf body = PG_BUF_INIT;
    struct review_spec review = {.uid = "u", .namespace_ = "ns", .name = "p"};
    for (size_t i = 0; i < sizeof(BAD) / sizeof(BAD[0]) + 1; i++) {
        pg_buf_clear(&object);
        pg_buf_clear(&body);
        if (i < sizeof(BAD) / sizeof(BAD[0])) {
            pg_buf_printf(&object,
                          "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":"
                          "\"c\",\"image\":\"i\",%s}]}}",
                          BAD[i]);
        } else {
            /* Deeper than max_depth (256), inside managedFields. */
            pg_buf_puts(&object, "{\"metadata\":{\"name\":\"p\",\"managedFields\":");
            for (size_t d = 0; d < 300; d++) {
                pg_buf_putc(&object, '[');
            }
            for (size_t d = 0; d < 300; d++) {
                pg_buf_putc(&object, ']');
            }
            pg_buf_puts(&object, "}}");
        }
        review.object = object.ptr;
        build_review(&body, &review);
        PG_EXPECT(
            http_error_is(body.ptr, "application/json", 400, "unable to decode the request\n"));
    }
    pg_buf_release(&object);
    pg_buf_release(&body);
}

static void test_go_durations(void)
{
    int64_t ns = 0;
    PG_EXPECT_INT(pg_admission_parse_duration(&ns, "10s"), 0);
    PG_EXPECT_INT(ns, 10000000000LL);
    PG_EXPECT_INT(pg_admission_parse_duration(&ns, "1m30s"), 0);
    PG_EXPECT_INT(ns, 90000000000LL);
    PG_EXPECT_INT(pg_admission_parse_duration(&ns, "1.5h"), 0);
    PG_EXPECT_INT(ns, 5400000000000LL);
    PG_EXPECT_INT(pg_admission_parse_duration(&ns, "-2us"), 0);
    PG_EXPECT_INT(ns, -2000);
    PG_EXPECT_INT(pg_admission_parse_duration(&ns, "500ms"), 0);
    PG_EXPECT_INT(ns, 500000000);
    PG_EXPECT_INT(pg_admission_parse_duration(&ns, "0"), 0);
    PG_EXPECT_INT(pg_admission_parse_duration(&ns, "10"), PG_EINVAL);
    PG_EXPECT_INT(pg_admission_parse_duration(&ns, ""), PG_EINVAL);
    PG_EXPECT_INT(pg_admission_parse_duration(&ns, "1d"), PG_EINVAL);
    PG_EXPECT_INT(pg_admission_parse_duration(&ns, "99999999999h"), PG_EINVAL);
}

static void test_config_defaults_and_exemptions(void)
{
    static const char TEXT[] = "apiVersion: pod-security.admission.config.k8s.io/v1alpha1\n"
                               "kind: PodSecurityConfiguration\n"
                               "defaults:\n"
                               "  enforce: baseline\n"
                               "  warn-version: v1.30\n"
                               "exemptions:\n"
                               "  usernames: [\"system:serviceaccount:kube-system:x\"]\n"
                               "  runtimeClasses: [gvisor.io]\n";
    struct pg_admission_config *config = NULL;
    struct pg_error err;
    const struct pg_ns_policy *defaults = NULL;
    PG_EXPECT_INT(pg_admission_config_parse(&config, TEXT, sizeof(TEXT) - 1, &err), 0);
    defaults = pg_admission_config_defaults(config);
    PG_EXPECT_INT(defaults->modes[PG_MODE_ENFORCE].level, PG_LEVEL_BASELINE);
    PG_EXPECT_INT(defaults->modes[PG_MODE_WARN].level, PG_LEVEL_PRIVILEGED);
    PG_EXPECT_INT(defaults->modes[PG_MODE_WARN].version.minor, 30);
    PG_EXPECT(
        pg_admission_config_exempt(config, PG_EXEMPT_RUNTIME_CLASSES, PG_STR_LIT("gvisor.io")));
    PG_EXPECT(!pg_admission_config_exempt(config, PG_EXEMPT_RUNTIME_CLASSES, PG_STR_LIT("")));
    pg_admission_config_free(config);
    config = NULL;
    PG_EXPECT_INT(pg_admission_config_parse(&config, "", 0, &err), 0);
    pg_admission_config_free(config);
}

static int parse_error(struct pg_error *err, const char *text)
{
    struct pg_admission_config *config = NULL;
    int rc = pg_admission_config_parse(&config, text, strlen(text), err);
    pg_admission_config_free(config);
    return rc;
}

#define HEAD "apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\n"

static void test_config_is_strict_and_validated(void)
{
    struct pg_error err;
    PG_EXPECT_INT(parse_error(&err, HEAD "extra: 1\n"), PG_ETYPE);
    PG_EXPECT_STR(err.message, "strict decoding error: unknown field \"extra\"");
    PG_EXPECT_INT(parse_error(&err, HEAD "defaults: {enforce: baseline, enforce: restricted}\n"),
                  PG_ETYPE);
    PG_EXPECT_INT(parse_error(&err, "apiVersion: v1\nkind: PodSecurityConfiguration\n"), PG_ETYPE);
    PG_EXPECT_INT(parse_error(&err, HEAD "defaults: {audit: Restricted}\n"), PG_EINVAL);
    PG_EXPECT_STR(err.message, "defaults.audit: Invalid value: \"Restricted\": must be one of "
                               "privileged, baseline, restricted");
    PG_EXPECT_INT(
        parse_error(&err, HEAD "exemptions: {namespaces: [a, a, B], usernames: [\"\"]}\n"),
        PG_EINVAL);
    PG_EXPECT(
        strncmp(err.message,
                "[exemptions.namespaces[1]: Duplicate value: \"a\", exemptions.namespaces[2]: "
                "Invalid value: \"B\": a lowercase RFC 1123 label",
                100) == 0);
    PG_EXPECT(strstr(err.message, "exemptions.usernames[0]: Invalid value: \"\": username must "
                                  "not be empty]") != NULL);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_http_errors_have_upstream_texts)                                            \
    PG_TEST_ENTRY(test_body_at_the_limit_is_too_large)                                             \
    PG_TEST_ENTRY(test_missing_kind_defaults_to_v1_review)                                         \
    PG_TEST_ENTRY(test_workspace_gives_the_same_responses)                                         \
    PG_TEST_ENTRY(test_unread_fields_change_nothing)                                               \
    PG_TEST_ENTRY(test_unread_fields_are_still_checked)                                            \
    PG_TEST_ENTRY(test_go_durations)                                                               \
    PG_TEST_ENTRY(test_config_defaults_and_exemptions)                                             \
    PG_TEST_ENTRY(test_config_is_strict_and_validated)

PG_TEST_MAIN(TESTS)
