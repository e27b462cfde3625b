/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Upstream's fixtures through the admission handler, bytes in and bytes out:
 * each fixture becomes a pod CREATE AdmissionReview in a namespace labelled
 * enforce=<level>, enforce-version=<version>. Allowed or denied must match the
 * fixture's folder; a denial's message must be `pods "<name>" is forbidden:
 * violates PodSecurity "<level>:<version>": …` and contain upstream's
 * substring for the check. Fixtures are defaulted as the API server would
 * (a volume with no source becomes emptyDir) since admission does not default.
 * Each review is handled a second time in one workspace shared by all the
 * fixtures, as the server reuses its workspaces: same status, same bytes.
 */
#include "fixtures.h"
#include "review_builder.h"

#include "podgate/doc.h"

#include <stdio.h>

static void pod_to_json(struct pg_buf *out, const struct pg_node *pod)
{
    const struct pg_node *volumes = pg_node_get(pg_node_get(pod, "spec"), "volumes");
    size_t i = 0;
    node_to_json(out, pod);
    if (volumes == NULL || volumes->kind != PG_NODE_SEQ) {
        return;
    }
    for (i = 0; i < volumes->as.seq.len; i++) {
        const struct pg_node *volume = volumes->as.seq.items[i];
        struct pg_buf plain = PG_BUF_INIT;
        struct pg_buf defaulted = PG_BUF_INIT;
        char *at = NULL;
        if (volume->kind != PG_NODE_MAP || volume->as.map.len != 1 ||
            pg_node_get(volume, "name") == NULL) {
            continue;
        }
        node_to_json(&plain, volume);
        pg_buf_put(&defaulted, plain.ptr, plain.len - 1);
        pg_buf_puts(&defaulted, ",\"emptyDir\":{}}");
        at = strstr(out->ptr, plain.ptr);
        if (at != NULL) {
            struct pg_buf rebuilt = PG_BUF_INIT;
            pg_buf_put(&rebuilt, out->ptr, (size_t)(at - out->ptr));
            pg_buf_put_str(&rebuilt, pg_buf_str(&defaulted));
            pg_buf_puts(&rebuilt, at + plain.len);
            pg_buf_clear(out);
            pg_buf_put_str(out, pg_buf_str(&rebuilt));
            pg_buf_release(&rebuilt);
        }
        pg_buf_release(&plain);
        pg_buf_release(&defaulted);
    }
}

static bool judge(const struct fixture_row *row, const struct pg_admission_result *result,
                  const char *name, char *why, size_t why_size)
{
    char prefix[512];
    const char *substring = fixture_substring_for(row->check);
    if (result->http_status != 200 || result->allowed != row->want_pass) {
        (void)snprintf(why, why_size, "%s at %s:%s: got %s: %s", row->path, row->level,
                       row->version, result->allowed ? "allowed" : "denied", result->body.ptr);
        return false;
    }
    if (row->want_pass) {
        return true;
    }
    (void)snprintf(prefix, sizeof(prefix),
                   "\"message\":\"pods%s%s%s is forbidden: violates PodSecurity \\\"%s:%s\\\": ",
                   name[0] ? " \\\"" : "", name, name[0] ? "\\\"" : "", row->level, row->version);
    if (strstr(result->body.ptr, prefix) == NULL ||
        (substring != NULL && strstr(result->body.ptr, substring) == NULL) || substring == NULL) {
        (void)snprintf(why, why_size, "%s: message lacks %s / \"%s\": %s", row->path, prefix,
                       substring ? substring : row->check, result->body.ptr);
        return false;
    }
    return true;
}

/* The review again, read into the shared workspace: the same response, byte for byte. */
static bool same_in_workspace(const struct pg_admission_result *fresh,
                              const struct pg_admission_handler *handler, const char *body,
                              struct pg_admission_workspace *workspace)
{
    struct pg_admission_result again;
    bool same = false;
    pg_admission_result_init(&again);
    run_review_in(&again, handler, body, workspace);
    same = same_response(&again, fresh);
    pg_admission_result_release(&again);
    return same;
}

static bool check_fixture(const char *root, const struct fixture_row *row,
                          struct pg_admission_workspace *workspace, char *why, size_t why_size)
{
    char path[4096];
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    struct pg_error err;
    struct pg_buf pod = PG_BUF_INIT;
    struct pg_buf body = PG_BUF_INIT;
    struct fake_namespace ns = {"ns",
                                {"pod-security.kubernetes.io/enforce", row->level,
                                 "pod-security.kubernetes.io/enforce-version", row->version, NULL}};
    struct fake_cluster cluster = {.namespaces = &ns, .namespaces_len = 1};
    struct pg_admission_config *config = pg_admission_config_new_default();
    struct pg_admission_handler handler;
    struct pg_admission_result result;
    const struct pg_node *name_node = NULL;
    size_t len = 0;
    char *data = NULL;
    bool ok = false;
    (void)snprintf(path, sizeof(path), "%s/%s", root, row->path);
    data = fixture_read_file(path, &len);
    fake_handler(&handler, config, &cluster);
    pg_admission_result_init(&result);
    if (data == NULL || pg_doc_reader_new(&reader, data, len, PG_FORMAT_YAML, NULL, &err) != 0 ||
        pg_doc_reader_next(reader, &doc, NULL, &err) != 1 || doc->root == NULL) {
        (void)snprintf(why, why_size, "%s: cannot read", row->path);
        goto cleanup;
    }
    pod_to_json(&pod, doc->root);
    name_node = pg_node_get(pg_node_get(doc->root, "metadata"), "name");
    {
        char name[256] = "";
        struct review_spec spec = {.uid = "c", .namespace_ = "ns", .object = pod.ptr};
        if (name_node != NULL && name_node->kind == PG_NODE_STR) {
            (void)snprintf(name, sizeof(name), "%.*s", (int)name_node->as.str.len,
                           name_node->as.str.ptr);
            spec.name = name;
        }
        build_review(&body, &spec);
        run_review(&result, &handler, body.ptr);
        ok = judge(row, &result, name, why, why_size);
        if (ok && !same_in_workspace(&result, &handler, body.ptr, workspace)) {
            (void)snprintf(why, why_size, "%s: another response when read into a workspace",
                           row->path);
            ok = false;
        }
    }
cleanup:
    pg_admission_result_release(&result);
    pg_admission_config_free(config);
    pg_buf_release(&pod);
    pg_buf_release(&body);
    pg_doc_free(doc);
    pg_doc_reader_free(reader);
    free(data);
    return ok;
}

int main(int argc, char **argv)
{
    struct fixture_index index;
    struct fixture_row row;
    struct pg_admission_workspace *workspace = NULL;
    size_t passed = 0;
    size_t failed = 0;
    int rc = 0;
    if (argc != 2) {
        (void)fprintf(stderr, "usage: admission_conformance PSA-TESTDATA-DIR\n");
        return 2;
    }
    if (fixture_index_open(&index, argv[1]) != 0) {
        (void)fprintf(stderr, "admission_conformance: cannot read %s/index.tsv\n", argv[1]);
        return 2;
    }
    workspace = pg_admission_workspace_new();
    while ((rc = fixture_index_next(&row, &index)) != 0) {
        char why[8192] = "";
        if (rc > 0 && check_fixture(argv[1], &row, workspace, why, sizeof(why))) {
            passed++;
        } else {
            failed++;
            printf("not ok - %s\n", why);
        }
    }
    fixture_index_close(&index);
    pg_admission_workspace_free(workspace);
    printf("admission conformance: %zu passed, %zu failed\n", passed, failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}
