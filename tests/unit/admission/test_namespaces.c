/* SPDX-License-Identifier: Apache-2.0 */
/* Namespace admission (spec §6.5–§6.6): label validation, exempt warning, paged dry run. */
#include "harness.h"
#include "review_builder.h"

#define NS(labels)                                                                                 \
    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"test\",\"labels\":"    \
    "{" labels "}}}"
#define ENFORCE(level) "\"pod-security.kubernetes.io/enforce\":\"" level "\""

#define OWNER(uid)                                                                                 \
    ",\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"rs\","   \
    "\"uid\":\"" uid "\",\"controller\":true}]"
#define POD(name, owner, spec) "{\"metadata\":{\"name\":\"" name "\"" owner "},\"spec\":{" spec "}}"
/* A pod as a LIST returns it, with fields no check reads (admission/unread.c) filled in. */
#define FULL_POD(name, owner, spec)                                                                \
    "{\"metadata\":{\"name\":\"" name "\"" owner ",\"managedFields\":[{\"manager\":\"m\","         \
    "\"fieldsV1\":{\"f:spec\":{\"f:containers\":{}}}}]},\"spec\":{\"tolerations\":[{"              \
    "\"operator\":\"Exists\"}]," spec "},\"status\":{\"phase\":\"Running\",\"conditions\":[]}}"
#define BARE "\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]"
#define PRIV                                                                                       \
    "\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"securityContext\":{\"privileged\":true}}]"
#define HOSTPID "\"hostPID\":true," BARE
#define HOSTPORT "\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"ports\":[{\"hostPort\":80}]}]"
#define KATA "\"runtimeClassName\":\"kata\"," PRIV

#define REASONS                                                                                    \
    "allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, "         \
    "seccompProfile"

struct fixture {
    struct fake_cluster cluster;
    struct pg_admission_config *config;
    struct pg_admission_handler handler;
    struct pg_admission_result result;
    struct pg_buf body;
};

static void fixture_init(struct fixture *f, const char *config)
{
    memset(f, 0, sizeof(*f));
    if (pg_admission_config_parse(&f->config, config, strlen(config), NULL) != 0) {
        f->config = pg_admission_config_new_default();
    }
    fake_handler(&f->handler, f->config, &f->cluster);
    pg_admission_result_init(&f->result);
    pg_buf_init(&f->body, 0);
}

static void fixture_run(struct fixture *f, const char *operation, const char *object,
                        const char *old_object)
{
    struct review_spec spec = {.uid = "n1",
                               .operation = operation,
                               .resource = "namespaces",
                               .namespace_ = "test",
                               .name = "test",
                               .object = object,
                               .old_object = old_object};
    pg_buf_clear(&f->body);
    build_review(&f->body, &spec);
    run_review(&f->result, &f->handler, f->body.ptr);
}

/* Tighten the namespace from baseline to restricted, its pods listed in these pages. */
static void fixture_tighten(struct fixture *f, const char *const *pages, size_t pages_len)
{
    f->cluster.pod_pages = pages;
    f->cluster.pod_pages_len = pages_len;
    fixture_run(f, "UPDATE", NS(ENFORCE("restricted")), NS(ENFORCE("baseline")));
}

static void fixture_release(struct fixture *f)
{
    pg_admission_result_release(&f->result);
    pg_buf_release(&f->body);
    pg_admission_config_free(f->config);
}

static const char EXEMPT_TEST[] = "apiVersion: pod-security.admission.config.k8s.io/v1beta1\n"
                                  "kind: PodSecurityConfiguration\n"
                                  "exemptions: {namespaces: [test], runtimeClasses: [kata]}\n";

/* The response body of an allowed review with these warnings (JSON strings, comma-separated). */
#define ALLOWED_WITH(warnings)                                                                     \
    "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"response\":{"          \
    "\"uid\":\"n1\",\"allowed\":true,\"warnings\":[" warnings "]}}\n"

#define INVALID_BODY                                                                               \
    "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"response\":{"          \
    "\"uid\":\"n1\",\"allowed\":false,\"status\":{\"metadata\":{},\"status\":\"Failure\","         \
    "\"message\":\"Namespace \\\"test\\\" is invalid: [metadata.labels[pod-security.kubernetes."   \
    "io/enforce]: Invalid value: \\\"bogus\\\": must be one of privileged, baseline, "             \
    "restricted, metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: "        \
    "\\\"v2\\\": must be \\\"latest\\\" or \\\"v1.x\\\"]\",\"reason\":\"Invalid\",\"details\":{"   \
    "\"name\":\"test\",\"kind\":\"Namespace\",\"causes\":[{\"reason\":\"FieldValueInvalid\","      \
    "\"message\":\"Invalid value: \\\"bogus\\\": must be one of privileged, baseline, "            \
    "restricted\",\"field\":\"metadata.labels[pod-security.kubernetes.io/enforce]\"},{"            \
    "\"reason\":\"FieldValueInvalid\",\"message\":\"Invalid value: \\\"v2\\\": must be "           \
    "\\\"latest\\\" or \\\"v1.x\\\"\",\"field\":\"metadata.labels[pod-security.kubernetes.io/"     \
    "warn-version]\"}]},\"code\":422}}}\n"

static void test_create_with_invalid_labels_is_invalid_with_causes(void)
{
    struct fixture f;
    fixture_init(&f, "");
    fixture_run(&f, "CREATE",
                NS(ENFORCE("bogus") ",\"pod-security.kubernetes.io/warn-version\":\"v2\""), NULL);
    PG_EXPECT_STR(f.result.body.ptr, INVALID_BODY);
    PG_EXPECT_INT(f.result.status_code, 422);
    PG_EXPECT_INT(f.result.metrics_len, 0);
    fixture_release(&f);
}

static void test_update_keeping_the_same_invalid_labels_is_tolerated(void)
{
    struct fixture f;
    fixture_init(&f, "");
    fixture_run(&f, "UPDATE", NS(ENFORCE("bogus")), NS(ENFORCE("bogus")));
    PG_EXPECT(f.result.allowed);
    fixture_run(&f, "UPDATE", NS(ENFORCE("bogus")), NS(ENFORCE("baseline")));
    PG_EXPECT_INT(f.result.status_code, 422);
    fixture_release(&f);
}

static void test_create_of_exempt_namespace_warns(void)
{
    struct fixture f;
    fixture_init(&f, EXEMPT_TEST);
    fixture_run(&f, "CREATE",
                NS(ENFORCE("restricted") ",\"pod-security.kubernetes.io/enforce-version\":\"v1.0\","
                                         "\"pod-security.kubernetes.io/audit\":\"restricted\","
                                         "\"pod-security.kubernetes.io/warn\":\"baseline\""),
                NULL);
    PG_EXPECT_STR(
        f.result.body.ptr,
        ALLOWED_WITH(
            "\"namespace "
            "\\\"test\\\" is exempt from Pod Security, and the policy "
            "(enforce=restricted:v1.0, audit=restricted:latest, warn=baseline:latest) will "
            "be ignored\""));
    fixture_run(&f, "CREATE", NS(ENFORCE("restricted")), NULL);
    PG_EXPECT(strstr(f.result.body.ptr, "the policy (enforce=restricted:latest) will be ignored") !=
              NULL);
    fixture_run(&f, "CREATE", NS(ENFORCE("privileged")), NULL);
    PG_EXPECT(strstr(f.result.body.ptr, "warnings") == NULL);
    fixture_release(&f);
}

static void test_create_checks_no_pods_and_relaxing_update_checks_none(void)
{
    struct fixture f;
    fixture_init(&f, "");
    fixture_run(&f, "CREATE", NS(ENFORCE("restricted")), NULL);
    PG_EXPECT(f.result.allowed);
    fixture_run(&f, "UPDATE", NS(ENFORCE("baseline")), NS(ENFORCE("restricted")));
    PG_EXPECT(f.result.allowed);
    fixture_run(&f, "UPDATE", NS(ENFORCE("restricted")), NS(ENFORCE("restricted")));
    fixture_run(&f, "UPDATE", NS(ENFORCE("privileged")), NS(ENFORCE("baseline")));
    PG_EXPECT_INT(f.cluster.pod_list_calls, 0);
    PG_EXPECT_INT(f.result.warnings, 0);
    fixture_release(&f);
}

/* 12 pods; the budget runs out after the 4th evaluation (spec §6.6 first example). */
static const char *const TWELVE[] = {
    "{\"items\":[" POD("replicaset1pod1", OWNER("rs1"), HOSTPID) "," POD("replicaset1pod2", OWNER("rs1"), HOSTPID) "," POD("replicaset1pod3", OWNER("rs1"), HOSTPID) "," POD(
        "replicaset2pod1", OWNER("rs2"),
        HOSTPORT) "," POD("replicaset2pod2", OWNER("rs2"),
                          HOSTPORT) "," POD("replicaset2pod3", OWNER("rs2"),
                                            HOSTPORT) "," POD("uniquepod1", "",
                                                              BARE) "," POD("uniquepod2", "",
                                                                            PRIV) "," POD("replicas"
                                                                                          "et1pod4",
                                                                                          OWNER(
                                                                                              "rs"
                                                                                              "1"),
                                                                                          HOSTPID) "," POD("replicaset1pod5",
                                                                                                           OWNER(
                                                                                                               "rs1"),
                                                                                                           HOSTPID) "," POD("replicaset2pod4",
                                                                                                                            OWNER(
                                                                                                                                "rs2"),
                                                                                                                            HOSTPORT) "," POD("replicaset2pod5",
                                                                                                                                              OWNER(
                                                                                                                                                  "rs2"),
                                                                                                                                              HOSTPORT) "]}",
};

static void test_dry_run_reports_budget_and_groups(void)
{
    struct fixture f;
    fixture_init(&f, "");
    f.cluster.tick = 1;
    f.handler.pod_check_budget_ns = 5;
    fixture_tighten(&f, TWELVE, 1);
    PG_EXPECT_STR(
        f.result.body.ptr,
        ALLOWED_WITH(
            "\"new PodSecurity enforce level only "
            "checked against the first 4 of 12 existing pods\",\"existing pods in namespace "
            "\\\"test\\\" violate the new PodSecurity enforce level \\\"restricted:latest\\\"\","
            "\"replicaset1pod1: host namespaces, " REASONS
            "\",\"replicaset2pod1: hostPort, " REASONS "\",\"uniquepod1: " REASONS
            "\",\"uniquepod2: privileged, " REASONS "\""));
    fixture_release(&f);
}

/*
 * Three pages of pods, `pod` the macro that writes one: two exempt by runtime class, three alike
 * (grouped), one privileged.
 */
#define GROUPED_PAGES(pod)                                                                         \
    {                                                                                              \
        "{\"metadata\":{\"continue\":\"1\",\"remainingItemCount\":3},\"items\":[" pod(             \
            "noruntimeclasspod", "", BARE) "," pod("runtimeclass1pod", "", KATA) "]}",             \
            "{\"metadata\":{\"continue\":\"2\"},\"items\":[" pod("zpod", "", BARE) "," pod(        \
                "runtimeclass3pod", OWNER("u1"), PRIV) "]}",                                       \
            "{\"metadata\":{},\"items\":[" pod("apod", "", BARE) "]}",                             \
    }

static void expect_grouped_warnings(const char *const pages[3])
{
    struct fixture f;
    fixture_init(&f, "apiVersion: pod-security.admission.config.k8s.io/v1\n"
                     "kind: PodSecurityConfiguration\n"
                     "exemptions: {runtimeClasses: [kata]}\n");
    fixture_tighten(&f, pages, 3);
    PG_EXPECT_STR(
        f.result.body.ptr,
        ALLOWED_WITH("\"existing pods "
                     "in namespace \\\"test\\\" violate the new PodSecurity enforce level "
                     "\\\"restricted:latest\\\"\",\"apod (and 2 other pods): " REASONS
                     "\",\"runtimeclass3pod: privileged, " REASONS "\""));
    PG_EXPECT_INT(f.cluster.pod_list_calls, 3);
    fixture_release(&f);
}

static void test_dry_run_groups_by_reasons_and_drops_exempt_runtime_classes(void)
{
    static const char *const PAGES[] = GROUPED_PAGES(POD);
    expect_grouped_warnings(PAGES);
}

/* The pods' unread fields change nothing: the same pages, each pod filled in. */
static void test_dry_run_reads_pods_with_unread_fields_alike(void)
{
    static const char *const PAGES[] = GROUPED_PAGES(FULL_POD);
    expect_grouped_warnings(PAGES);
}

/*
 * A pod that cannot be judged (here a wrong type; in a cluster, say, more containers than the
 * limit) is neither a violation nor silently passed over: one warning counts such pods and names
 * the first with its error, next to the groups of the pods that were judged.
 */
#define MAYBE                                                                                      \
    "\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"securityContext\":{\"privileged\":"         \
    "\"maybe\"}}]"
static const char *const UNJUDGED[] = {
    "{\"items\":[" POD("apod", "", BARE) "," POD("bpod", "", MAYBE) "," POD(
        "cpod", "", "\"containers\":{}") "]}",
};

static const char *const ONE_UNJUDGED[] = {
    "{\"items\":[" POD("cpod", "", "\"containers\":{}") "]}",
};

static void test_dry_run_counts_pods_it_cannot_judge(void)
{
    struct fixture f;
    fixture_init(&f, "");
    fixture_tighten(&f, UNJUDGED, 1);
    PG_EXPECT_STR(
        f.result.body.ptr,
        ALLOWED_WITH(
            "\"2 existing pods "
            "could not be checked against the new PodSecurity enforce level; the first, "
            "\\\"bpod\\\": spec.containers[0].securityContext.privileged: expected boolean, "
            "got string \\\"maybe\\\"\",\"existing pods in namespace \\\"test\\\" violate the "
            "new PodSecurity enforce level \\\"restricted:latest\\\"\",\"apod: " REASONS "\""));
    fixture_tighten(&f, ONE_UNJUDGED, 1);
    PG_EXPECT_STR(
        f.result.body.ptr,
        ALLOWED_WITH("\"existing pod "
                     "\\\"cpod\\\" could not be checked against the new PodSecurity enforce level: "
                     "spec.containers: expected list, got object\""));
    fixture_release(&f);
}

static void test_dry_run_list_failure_is_one_warning(void)
{
    struct fixture f;
    fixture_init(&f, "");
    f.cluster.pods_fail = true;
    fixture_run(&f, "UPDATE", NS(ENFORCE("baseline")), NS(ENFORCE("privileged")));
    PG_EXPECT_STR(f.result.body.ptr,
                  ALLOWED_WITH("\"failed to list "
                               "pods while checking new PodSecurity enforce level\""));
    fixture_release(&f);
}

static void test_dry_run_upstream_cap(void)
{
    struct fixture f;
    fixture_init(&f, "");
    f.cluster.pod_pages = TWELVE;
    f.cluster.pod_pages_len = 1;
    f.handler.max_pods_to_check = 2;
    fixture_run(&f, "UPDATE", NS(ENFORCE("baseline")), NS(ENFORCE("privileged")));
    PG_EXPECT(strstr(f.result.body.ptr, "only checked against the first 2 of 12 existing pods") !=
              NULL);
    PG_EXPECT(strstr(f.result.body.ptr, "\"replicaset1pod1: host namespaces\",\"replicaset2pod1: "
                                        "hostPort\"]") != NULL);
    fixture_release(&f);
}

static void test_dry_run_checks_deferred_pods_after_the_others(void)
{
    struct fixture f;
    fixture_init(&f, "");
    f.cluster.pod_pages = TWELVE;
    f.cluster.pod_pages_len = 1;
    fixture_run(&f, "UPDATE", NS(ENFORCE("baseline")), NS(ENFORCE("privileged")));
    PG_EXPECT(strstr(f.result.body.ptr, "\"replicaset1pod1 (and 4 other pods): host namespaces\","
                                        "\"replicaset2pod1 (and 4 other pods): hostPort\","
                                        "\"uniquepod2: privileged\"]") != NULL);
    PG_EXPECT(strstr(f.result.body.ptr, "only checked") == NULL);
    fixture_release(&f);
}

static void test_dry_run_budget_is_half_the_request_timeout(void)
{
    struct fixture f;
    struct pg_admission_http_request request;
    struct review_spec spec = {.uid = "n1",
                               .operation = "UPDATE",
                               .resource = "namespaces",
                               .namespace_ = "test",
                               .name = "test",
                               .object = NS(ENFORCE("restricted")),
                               .old_object = NS(ENFORCE("baseline"))};
    fixture_init(&f, "");
    f.cluster.pod_pages = TWELVE;
    f.cluster.pod_pages_len = 1;
    f.cluster.tick = 1;
    build_review(&f.body, &spec);
    memset(&request, 0, sizeof(request));
    request.body = f.body.ptr;
    request.body_len = f.body.len;
    request.content_type = "application/json";
    request.timeout = "10ns";
    pg_admission_handle(&f.result, &f.handler, &request);
    /* Deadline 10 ns from 0; now = 1 at the dry run: budget (10 - 1) / 2 = 4, so 3 pods. */
    PG_EXPECT(strstr(f.result.body.ptr, "only checked against the first 3 of 12") != NULL);
    fixture_release(&f);
}

static void test_namespace_decode_failures(void)
{
    struct fixture f;
    fixture_init(&f, "");
    fixture_run(&f, "CREATE", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}", NULL);
    PG_EXPECT(strstr(f.result.body.ptr, "\"message\":\"failed to decode namespace\"") != NULL);
    fixture_run(&f, "UPDATE", NS(ENFORCE("baseline")), "{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}");
    PG_EXPECT(strstr(f.result.body.ptr, "\"message\":\"failed to decode  old namespace\"") != NULL);
    fixture_run(&f, "UPDATE", NS(ENFORCE("baseline")), NULL);
    PG_EXPECT(strstr(f.result.body.ptr, "\"message\":\"failed to decode  old object\"") != NULL);
    fixture_release(&f);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_create_with_invalid_labels_is_invalid_with_causes)                          \
    PG_TEST_ENTRY(test_update_keeping_the_same_invalid_labels_is_tolerated)                        \
    PG_TEST_ENTRY(test_create_of_exempt_namespace_warns)                                           \
    PG_TEST_ENTRY(test_create_checks_no_pods_and_relaxing_update_checks_none)                      \
    PG_TEST_ENTRY(test_dry_run_reports_budget_and_groups)                                          \
    PG_TEST_ENTRY(test_dry_run_groups_by_reasons_and_drops_exempt_runtime_classes)                 \
    PG_TEST_ENTRY(test_dry_run_reads_pods_with_unread_fields_alike)                                \
    PG_TEST_ENTRY(test_dry_run_counts_pods_it_cannot_judge)                                        \
    PG_TEST_ENTRY(test_dry_run_list_failure_is_one_warning)                                        \
    PG_TEST_ENTRY(test_dry_run_upstream_cap)                                                       \
    PG_TEST_ENTRY(test_dry_run_checks_deferred_pods_after_the_others)                              \
    PG_TEST_ENTRY(test_dry_run_budget_is_half_the_request_timeout)                                 \
    PG_TEST_ENTRY(test_namespace_decode_failures)

PG_TEST_MAIN(TESTS)
