/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Conformance runner over upstream's fixtures (../shared/conformance/
 * psa-testdata/index.tsv): every fixture is evaluated at its level and version
 * and must get its folder's verdict; a fail fixture's reasons must contain
 * upstream's expected substring. Each fixture is also checked at privileged
 * (always allowed) and, for v1.37, at `latest` (identical result).
 */
#include "fixtures.h"

#include "podgate/podgate.h"
#include "podgate/workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fixture_result {
    bool allowed;
    char reasons[4096];
    bool allowed_privileged;
    bool same_at_latest;
};

static int evaluate_pod(struct fixture_result *out, const struct pg_pod *pod,
                        struct pg_level_version lv)
{
    struct pg_findings findings;
    struct pg_buf reasons = PG_BUF_INIT;
    struct pg_buf at_latest = PG_BUF_INIT;
    struct pg_level_version latest = lv;
    struct pg_level_version privileged = {PG_LEVEL_PRIVILEGED, {true, 0}};
    pg_findings_init(&findings);
    pg_evaluate(&findings, pod, lv);
    out->allowed = findings.forbidden == 0;
    pg_render_details(&reasons, &findings, pod);
    (void)snprintf(out->reasons, sizeof(out->reasons), "%s", reasons.ptr ? reasons.ptr : "");
    latest.version.latest = true;
    pg_evaluate(&findings, pod, latest);
    pg_render_details(&at_latest, &findings, pod);
    out->same_at_latest =
        strcmp(reasons.ptr ? reasons.ptr : "", at_latest.ptr ? at_latest.ptr : "") == 0;
    pg_evaluate(&findings, pod, privileged);
    out->allowed_privileged = findings.forbidden == 0;
    pg_findings_release(&findings);
    pg_buf_release(&reasons);
    pg_buf_release(&at_latest);
    return 0;
}

static int evaluate_file(struct fixture_result *out, const char *path, struct pg_level_version lv,
                         char *why, size_t why_size)
{
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    struct pg_workload workload;
    struct pg_pod pod;
    struct pg_pod_options options = {true, true, false};
    struct pg_error err;
    size_t len = 0;
    char *data = fixture_read_file(path, &len);
    int rc = -1;
    if (data == NULL) {
        (void)snprintf(why, why_size, "cannot read %s", path);
        return -1;
    }
    if (pg_doc_reader_new(&reader, data, len, PG_FORMAT_YAML, NULL, &err) != 0 ||
        pg_doc_reader_next(reader, &doc, NULL, &err) != 1) {
        (void)snprintf(why, why_size, "parse: %s", err.message);
        goto cleanup;
    }
    if (pg_workload_identify(&workload, doc->root, &err) != 1 ||
        pg_pod_extract(&pod, doc->arena, workload.pod_metadata, workload.pod_spec,
                       workload.spec_path, &options, NULL, &err) != 0) {
        (void)snprintf(why, why_size, "not a judgeable Pod: %s", err.message);
        goto cleanup;
    }
    rc = evaluate_pod(out, &pod, lv);
cleanup:
    pg_doc_free(doc);
    pg_doc_reader_free(reader);
    free(data);
    return rc;
}

/* Check one index row; returns true when the fixture conforms. */
static bool check_row(const char *root, const struct fixture_row *row, char *why, size_t why_size)
{
    char path[4096];
    char lv_text[64];
    struct pg_level_version lv;
    struct fixture_result result;
    struct pg_error err;
    (void)snprintf(path, sizeof(path), "%s/%s", root, row->path);
    (void)snprintf(lv_text, sizeof(lv_text), "%s:%s", row->level, row->version);
    if (pg_level_version_parse(&lv, lv_text, &err) != 0) {
        (void)snprintf(why, why_size, "bad level %s", lv_text);
        return false;
    }
    if (evaluate_file(&result, path, lv, why, why_size) != 0) {
        return false;
    }
    if (result.allowed != row->want_pass) {
        (void)snprintf(why, why_size, "%s at %s: got %s: %s", row->path, lv_text,
                       result.allowed ? "allowed" : "forbidden", result.reasons);
        return false;
    }
    const char *substring = fixture_substring_for(row->check);
    if (!row->want_pass && (substring == NULL || strstr(result.reasons, substring) == NULL)) {
        (void)snprintf(why, why_size, "%s: reasons lack \"%s\": %s", row->path,
                       substring ? substring : row->check, result.reasons);
        return false;
    }
    if (!result.allowed_privileged) {
        (void)snprintf(why, why_size, "%s: not allowed at privileged", row->path);
        return false;
    }
    if (strcmp(row->version, "v1.37") == 0 && !result.same_at_latest) {
        (void)snprintf(why, why_size, "%s: latest differs from v1.37", row->path);
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    struct fixture_index index;
    struct fixture_row row;
    size_t passed = 0;
    size_t failed = 0;
    int rc = 0;
    if (argc != 2) {
        (void)fprintf(stderr, "usage: conformance PSA-TESTDATA-DIR\n");
        return 2;
    }
    if (fixture_index_open(&index, argv[1]) != 0) {
        (void)fprintf(stderr, "conformance: cannot read %s/index.tsv\n", argv[1]);
        return 2;
    }
    while ((rc = fixture_index_next(&row, &index)) != 0) {
        char why[8192] = "malformed index row"; /* check_row sets its own on failure */
        if (rc > 0 && check_row(argv[1], &row, why, sizeof(why))) {
            passed++;
        } else {
            failed++;
            printf("not ok - %s\n", why);
        }
    }
    fixture_index_close(&index);
    printf("conformance: %zu passed, %zu failed\n", passed, failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}
