/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scan records: replaying a record into a report writer gives the same bytes
 * as scanning straight into it, in every format, for results with
 * violations, locations, custom-policy exemptions, lists, warnings and
 * errors; a cleared record is empty and reusable.
 */
#include "harness.h"

#include "podgate/buf.h"
#include "podgate/report.h"
#include "podgate/scan.h"
#include "podgate/scan_record.h"

#include <stdlib.h>

static const char POLICY[] = "apiVersion: podgate.dev/v1alpha1\nkind: Policy\nmetadata: {name: x}\n"
                             "spec:\n  level: restricted\n  namespaces: [team]\n  exemptions:\n"
                             "  - checks: [capabilities_restricted]\n    containers: [c]\n"
                             "    reason: legacy\n";

static const char MANIFESTS[] =
    "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: audited\n"
    "  labels: {pod-security.kubernetes.io/audit: restricted}\n"
    "---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: team}\n"
    "spec:\n  hostPID: true\n  containers: [{name: c, image: c}]\n"
    "---\n"
    "apiVersion: v1\nkind: List\nitems:\n"
    "- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: d, namespace: audited}\n"
    "  spec:\n    template:\n      spec:\n        containers:\n        - name: c\n"
    "          image: c\n          securityContext: {privileged: true, privileged: true}\n"
    "---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: [}\n"
    "---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n  containers: [{name: c, image: 1}]\n";

struct fixture {
    struct pg_policy_set *set;
    struct pg_scanner *scanner;
};

static bool fixture_open(struct fixture *f)
{
    struct pg_scan_options options;
    pg_scan_options_default(&options);
    options.today.ymd = 20260115;
    f->set = NULL;
    f->scanner = NULL;
    if (pg_policy_set_load(&f->set, POLICY, sizeof(POLICY) - 1, "p.yaml", NULL) != 0) {
        return false;
    }
    options.policies = f->set;
    if (pg_scanner_new(&f->scanner, &options, NULL) != 0) {
        return false;
    }
    pg_scanner_learn_namespaces(f->scanner, MANIFESTS, sizeof(MANIFESTS) - 1);
    return true;
}

static void fixture_close(struct fixture *f)
{
    pg_scanner_free(f->scanner);
    pg_policy_set_free(f->set);
}

/* The whole report of one scan of MANIFESTS, through a record or not; malloc'd. */
static char *report(enum pg_report_format format, bool through_record)
{
    struct fixture f;
    struct pg_report_options options = {format, false, "1.0", "/base", NULL, NULL};
    struct pg_report *writer = NULL;
    struct pg_scan_record *record = NULL;
    struct pg_scan_sink sink = {pg_report_result, pg_report_diag, NULL};
    struct pg_scan_sink record_sink;
    char *out = NULL;
    if (!fixture_open(&f) || pg_report_new(&writer, &options, NULL) != 0 ||
        pg_scan_record_new(&record, NULL) != 0) {
        goto cleanup;
    }
    sink.ctx = writer;
    record_sink = pg_scan_record_sink(record);
    pg_scanner_scan(f.scanner, "m.yaml", MANIFESTS, sizeof(MANIFESTS) - 1,
                    through_record ? &record_sink : &sink);
    pg_scan_record_replay(record, &sink);
    pg_report_end_source(writer, "m.yaml");
    (void)pg_scanner_finish(f.scanner, &sink);
    pg_report_finish(writer, pg_scanner_stats(f.scanner));
    out = strdup(pg_report_output(writer).ptr);
cleanup:
    pg_scan_record_free(record);
    pg_report_free(writer);
    fixture_close(&f);
    return out;
}

/* `exempted` marks how the format shows what the exemption removed. */
static void expect_same_report(enum pg_report_format format, const char *exempted)
{
    char *direct = report(format, false);
    char *replayed = report(format, true);
    PG_EXPECT(direct != NULL && replayed != NULL);
    PG_EXPECT(strstr(direct, "privileged") != NULL); /* the scan judged something */
    PG_EXPECT(strstr(direct, exempted) != NULL);
    PG_EXPECT_STR(replayed, direct);
    free(direct);
    free(replayed);
}

static void test_scan_record_replays_the_same_text_report(void)
{
    expect_same_report(PG_REPORT_TEXT, "privileged");
}

static void test_scan_record_replays_the_same_json_report(void)
{
    expect_same_report(PG_REPORT_JSON, "\"exemption\": \"x/0\"");
}

static void test_scan_record_replays_the_same_sarif_report(void)
{
    expect_same_report(PG_REPORT_SARIF, "\"justification\": \"legacy\"");
}

static void test_scan_record_replays_the_same_junit_report(void)
{
    expect_same_report(PG_REPORT_JUNIT, "exemption x/0: legacy");
}

static void count_result(const struct pg_scan_result *result, void *ctx)
{
    size_t *counts = ctx;
    counts[0] += result->pod == NULL && result->findings == NULL &&
                 result->workload->ref.node == NULL && result->workload->pod_spec == NULL;
}

static void count_diag(const struct pg_scan_diag *diag, void *ctx)
{
    size_t *counts = ctx;
    (void)diag;
    counts[1]++;
}

static void test_scan_record_drops_the_tree_and_clears(void)
{
    struct fixture f;
    struct pg_scan_record *record = NULL;
    struct pg_scan_sink record_sink;
    size_t counts[2] = {0, 0};
    struct pg_scan_sink sink = {count_result, count_diag, counts};
    PG_EXPECT(fixture_open(&f));
    PG_EXPECT_INT(pg_scan_record_new(&record, NULL), 0);
    PG_EXPECT_INT(pg_scan_record_new(NULL, NULL), PG_EINVAL);
    record_sink = pg_scan_record_sink(record);
    pg_scanner_scan(f.scanner, "m.yaml", MANIFESTS, sizeof(MANIFESTS) - 1, &record_sink);
    pg_scan_record_replay(record, &sink);
    /* p, d at enforce and audit; a duplicate key, a parse error and a type error. */
    PG_EXPECT_INT(counts[0], 3);
    PG_EXPECT_INT(counts[1], 3);
    PG_EXPECT_INT(pg_scan_record_len(record), 6);
    pg_scan_record_clear(record);
    PG_EXPECT_INT(pg_scan_record_len(record), 0);
    pg_scanner_scan(f.scanner, "m.yaml", MANIFESTS, sizeof(MANIFESTS) - 1, &record_sink);
    PG_EXPECT_INT(pg_scan_record_len(record), 6);
    pg_scan_record_free(record);
    fixture_close(&f);
}

/* Document indices seen by a sink, results and diagnostics in the order they came. */
struct documents {
    size_t seen[8];
    size_t len;
};

static void note_result_document(const struct pg_scan_result *result, void *ctx)
{
    struct documents *docs = ctx;
    if (docs->len < 8) {
        docs->seen[docs->len++] = result->document;
    }
}

static void note_diag_document(const struct pg_scan_diag *diag, void *ctx)
{
    struct documents *docs = ctx;
    if (docs->len < 8) {
        docs->seen[docs->len++] = diag->document;
    }
}

/* A part recorded from document 0 and replayed shifted reads as a scan from that document. */
static void test_scan_record_replay_shifted_numbers_documents(void)
{
    struct fixture f;
    struct pg_scan_record *record = NULL;
    struct pg_scan_sink record_sink;
    struct documents direct = {{0}, 0};
    struct documents shifted = {{0}, 0};
    struct pg_scan_sink direct_sink = {note_result_document, note_diag_document, &direct};
    struct pg_scan_sink shifted_sink = {note_result_document, note_diag_document, &shifted};
    PG_EXPECT(fixture_open(&f));
    PG_EXPECT_INT(pg_scan_record_new(&record, NULL), 0);
    record_sink = pg_scan_record_sink(record);
    PG_EXPECT_INT(pg_scanner_scan_part(f.scanner, "m.yaml", MANIFESTS, sizeof(MANIFESTS) - 1, 1, 0,
                                       &record_sink),
                  5);
    PG_EXPECT_INT(pg_scanner_scan_part(f.scanner, "m.yaml", MANIFESTS, sizeof(MANIFESTS) - 1, 1, 40,
                                       &direct_sink),
                  45);
    pg_scan_record_replay_shifted(record, 40, &shifted_sink);
    PG_EXPECT_INT(shifted.len, 6);
    PG_EXPECT_INT(shifted.len, direct.len);
    for (size_t i = 0; i < direct.len; i++) {
        PG_EXPECT(direct.seen[i] >= 40);
        PG_EXPECT_INT(shifted.seen[i], direct.seen[i]);
    }
    pg_scan_record_free(record);
    fixture_close(&f);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_scan_record_replays_the_same_text_report)                                   \
    PG_TEST_ENTRY(test_scan_record_replays_the_same_json_report)                                   \
    PG_TEST_ENTRY(test_scan_record_replays_the_same_sarif_report)                                  \
    PG_TEST_ENTRY(test_scan_record_replays_the_same_junit_report)                                  \
    PG_TEST_ENTRY(test_scan_record_drops_the_tree_and_clears)                                      \
    PG_TEST_ENTRY(test_scan_record_replay_shifted_numbers_documents)

PG_TEST_MAIN(TESTS)
