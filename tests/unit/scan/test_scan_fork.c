/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scanners in threads: forks judge by the labels their parent learned, cannot
 * learn themselves, and merging them gives the parent the statistics and
 * exemption uses of the whole scan; learners, one per source, applied in
 * order, teach a scanner what learning the sources in order would.
 */
#include "harness.h"

#include "podgate/buf.h"
#include "podgate/scan.h"

static const char NAMESPACE[] = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n"
                                "  labels: {pod-security.kubernetes.io/enforce: baseline}\n";

/* Fine at baseline, forbidden at restricted. */
static const char POD[] = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: team}\n"
                          "spec:\n  containers: [{name: c, image: c}]\n";

static const char POLICY[] = "apiVersion: podgate.dev/v1alpha1\nkind: Policy\nmetadata: {name: x}\n"
                             "spec:\n  level: restricted\n  namespaces: [team]\n  exemptions:\n"
                             "  - checks: [runAsNonRoot]\n    reason: legacy\n";

static void log_result(const struct pg_scan_result *result, void *ctx)
{
    char lv[64];
    (void)pg_level_version_format(lv, sizeof(lv), result->policy);
    pg_buf_printf(ctx, "%s %s %s\n", pg_mode_name(result->mode), lv,
                  result->allowed ? "allowed" : "forbidden");
}

static void log_diag(const struct pg_scan_diag *diag, void *ctx)
{
    pg_buf_printf(ctx, "%s\n", diag->message);
}

/* A parent scanner with default options (with POLICY and a fixed day when `with_policy`), and a
   sink that logs into `log`; the tests fork it themselves. fixture_open returns 0 or the code of
   the call that failed; fixture_close is due either way. */
struct fixture {
    struct pg_scan_options options;
    struct pg_policy_set *set;
    struct pg_scanner *parent;
    struct pg_scanner *fork;
    struct pg_buf log;
    struct pg_scan_sink sink;
};

static int fixture_open(struct fixture *f, bool with_policy)
{
    int rc = 0;
    pg_scan_options_default(&f->options);
    f->set = NULL;
    f->parent = NULL;
    f->fork = NULL;
    pg_buf_init(&f->log, 0);
    f->sink = (struct pg_scan_sink){log_result, log_diag, &f->log};
    if (with_policy) {
        f->options.today.ymd = 20260115;
        rc = pg_policy_set_load(&f->set, POLICY, sizeof(POLICY) - 1, "p.yaml", NULL);
        if (rc != 0) {
            return rc;
        }
        f->options.policies = f->set;
    }
    return pg_scanner_new(&f->parent, &f->options, NULL);
}

static void fixture_close(struct fixture *f)
{
    pg_scanner_free(f->fork);
    pg_scanner_free(f->parent);
    pg_policy_set_free(f->set);
    pg_buf_release(&f->log);
}

static void test_scanner_fork_judges_by_labels_its_parent_learned(void)
{
    struct fixture f;
    PG_EXPECT_INT(fixture_open(&f, false), 0);
    pg_scanner_learn_namespaces(f.parent, NAMESPACE, sizeof(NAMESPACE) - 1);
    PG_EXPECT_INT(pg_scanner_fork(&f.fork, f.parent, NULL), 0);
    pg_scanner_scan(f.fork, "pod.yaml", POD, sizeof(POD) - 1, &f.sink);
    PG_EXPECT_STR(pg_buf_str(&f.log).ptr, "enforce baseline:latest allowed\n");
    PG_EXPECT_INT(pg_scanner_stats(f.fork)->workloads, 1);
    PG_EXPECT_INT(pg_scanner_stats(f.parent)->workloads, 0);
    fixture_close(&f);
}

static void test_scanner_fork_does_not_learn(void)
{
    struct fixture f;
    PG_EXPECT_INT(fixture_open(&f, false), 0);
    PG_EXPECT_INT(pg_scanner_fork(&f.fork, f.parent, NULL), 0);
    pg_scanner_learn_namespaces(f.fork, NAMESPACE, sizeof(NAMESPACE) - 1);
    pg_scanner_set_learn_inline(f.fork, true);
    pg_scanner_scan(f.fork, "both.yaml", NAMESPACE, sizeof(NAMESPACE) - 1, &f.sink);
    pg_scanner_scan(f.fork, "pod.yaml", POD, sizeof(POD) - 1, &f.sink);
    PG_EXPECT_STR(pg_buf_str(&f.log).ptr, "enforce restricted:latest forbidden\n");
    fixture_close(&f);
}

static void test_scanner_fork_refuses_a_fork_and_null(void)
{
    struct fixture f;
    struct pg_scanner *grandchild = NULL;
    struct pg_error err;
    PG_EXPECT_INT(fixture_open(&f, false), 0);
    PG_EXPECT_INT(pg_scanner_fork(&f.fork, f.parent, NULL), 0);
    PG_EXPECT_INT(pg_scanner_fork(&grandchild, f.fork, &err), PG_EINVAL);
    PG_EXPECT(grandchild == NULL);
    PG_EXPECT_INT(pg_scanner_fork(&grandchild, NULL, NULL), PG_EINVAL);
    PG_EXPECT_INT(pg_scanner_fork(NULL, f.parent, NULL), PG_EINVAL);
    fixture_close(&f);
}

/* Scan POD in a fork with POLICY, merge it or not, and log the parent's end-of-scan warnings. */
static void scan_in_fork_then_finish(struct pg_buf *log, bool merge, size_t *workloads_out)
{
    struct fixture f;
    struct pg_scanner *stranger = NULL;
    struct pg_scan_sink finish_sink = {log_result, log_diag, log};
    if (fixture_open(&f, true) == 0 && pg_scanner_fork(&f.fork, f.parent, NULL) == 0 &&
        pg_scanner_new(&stranger, &f.options, NULL) == 0) {
        pg_scanner_scan(f.fork, "pod.yaml", POD, sizeof(POD) - 1, &f.sink);
        pg_scanner_scan(stranger, "pod.yaml", POD, sizeof(POD) - 1, &f.sink);
        pg_scanner_merge(f.parent, stranger); /* not a fork of parent: ignored */
        if (merge) {
            pg_scanner_merge(f.parent, f.fork);
        }
        (void)pg_scanner_finish(f.parent, &finish_sink);
        *workloads_out = pg_scanner_stats(f.parent)->workloads;
    }
    pg_scanner_free(stranger);
    fixture_close(&f);
}

static void test_scanner_merge_counts_the_forks_workloads_and_exemption_uses(void)
{
    struct pg_buf merged = PG_BUF_INIT;
    struct pg_buf alone = PG_BUF_INIT;
    size_t merged_workloads = 99;
    size_t alone_workloads = 99;
    scan_in_fork_then_finish(&merged, true, &merged_workloads);
    scan_in_fork_then_finish(&alone, false, &alone_workloads);
    PG_EXPECT_INT(merged_workloads, 1);
    PG_EXPECT_STR(pg_buf_str(&merged).ptr, "");
    PG_EXPECT_INT(alone_workloads, 0);
    PG_EXPECT_STR(pg_buf_str(&alone).ptr,
                  "exemption x/0 is unused: it removed no finding in this scan, and the policy "
                  "judged no workload (reason: legacy)\n");
    pg_buf_release(&merged);
    pg_buf_release(&alone);
}

/* Two sources: the second relabels `crew`; the first has an invalid label and a policy label. */
static const char LABELS_A[] = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: crew\n"
                               "  labels: {pod-security.kubernetes.io/enforce: baseline}\n---\n"
                               "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: legacy\n"
                               "  labels: {pod-security.kubernetes.io/enforce: Restricted}\n---\n"
                               "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ops\n"
                               "  labels: {podgate.dev/policy: nope}\n";
static const char LABELS_B[] = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: crew\n"
                               "  labels: {pod-security.kubernetes.io/enforce: privileged, "
                               "pod-security.kubernetes.io/audit: baseline}\n";
static const char PODS[] = "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: crew}\n"
                           "spec:\n  hostPID: true\n  containers: [{name: c, image: c}]\n---\n"
                           "apiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: legacy}\n"
                           "spec:\n  containers: [{name: c, image: c}]\n---\n"
                           "apiVersion: v1\nkind: Pod\nmetadata: {name: c, namespace: ops}\n"
                           "spec:\n  containers: [{name: c, image: c}]\n";

/* Learn LABELS_A then LABELS_B, in one scanner or through a learner each; log a scan. */
static void learn_then_scan(struct pg_buf *log, bool learners)
{
    struct fixture f;
    struct pg_scanner *learner_a = NULL;
    struct pg_scanner *learner_b = NULL;
    struct pg_scan_sink sink = {log_result, log_diag, log};
    if (fixture_open(&f, true) == 0 && pg_scanner_new(&learner_a, &f.options, NULL) == 0 &&
        pg_scanner_new(&learner_b, &f.options, NULL) == 0) {
        struct pg_scanner *scanner = f.parent;
        pg_scanner_learn_namespaces(learners ? learner_a : scanner, LABELS_A, sizeof(LABELS_A) - 1);
        pg_scanner_learn_namespaces(learners ? learner_b : scanner, LABELS_B, sizeof(LABELS_B) - 1);
        pg_scanner_learn_from(scanner, learner_a);
        pg_scanner_learn_from(scanner, learner_b);
        pg_scanner_scan(scanner, "a.yaml", LABELS_A, sizeof(LABELS_A) - 1, &sink);
        pg_scanner_scan(scanner, "pods.yaml", PODS, sizeof(PODS) - 1, &sink);
    }
    pg_scanner_free(learner_b);
    pg_scanner_free(learner_a);
    fixture_close(&f);
}

static void test_scanner_learn_from_learners_in_order_is_learning_in_order(void)
{
    struct pg_buf in_order = PG_BUF_INIT;
    struct pg_buf through_learners = PG_BUF_INIT;
    learn_then_scan(&in_order, false);
    learn_then_scan(&through_learners, true);
    PG_EXPECT(strstr(pg_buf_str(&in_order).ptr, "invalid Pod Security labels") != NULL);
    PG_EXPECT(strstr(pg_buf_str(&in_order).ptr, "names no policy") != NULL);
    PG_EXPECT(strstr(pg_buf_str(&in_order).ptr, "enforce privileged:latest allowed\n"
                                                "audit baseline:latest forbidden\n") != NULL);
    PG_EXPECT_STR(pg_buf_str(&through_learners).ptr, pg_buf_str(&in_order).ptr);
    pg_buf_release(&in_order);
    pg_buf_release(&through_learners);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_scanner_fork_judges_by_labels_its_parent_learned)                           \
    PG_TEST_ENTRY(test_scanner_fork_does_not_learn)                                                \
    PG_TEST_ENTRY(test_scanner_fork_refuses_a_fork_and_null)                                       \
    PG_TEST_ENTRY(test_scanner_merge_counts_the_forks_workloads_and_exemption_uses)                \
    PG_TEST_ENTRY(test_scanner_learn_from_learners_in_order_is_learning_in_order)

PG_TEST_MAIN(TESTS)
