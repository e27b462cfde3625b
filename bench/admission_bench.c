/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Admission micro-benchmark: one AdmissionReview, as the API server sends it
 * for the pod in FILE.yaml, handled again and again by pg_admission_handle
 * (decode, decide, encode: what `podgate serve` does per request), with the
 * namespace labelled enforce/audit/warn=restricted. Prints ns/op and
 * allocations/op, and the cost of a bare jsmn tokenise of the same bytes as
 * the in-run yardstick. Timings are the best of several rounds.
 *
 *   admission_bench FILE.yaml [iterations [handle|jsmn|print]]
 *
 * The optional last argument times only one of the two, so that callgrind can
 * count the instructions of one per op (two runs, different iterations: the
 * difference over ROUNDS * the difference in iterations; bench/run.sh does it).
 * `print` writes the response body to stdout instead, to compare the bytes
 * two builds produce.
 *
 * Allocations are counted with the linker's --wrap (bench/CMakeLists.txt),
 * which redirects the library's malloc, calloc and realloc calls here.
 */
#include "bench_alloc.h"
#include "bench_util.h"
#include "review_builder.h"

#include "podgate/admission.h"
#include "podgate/doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSMN_STATIC
#define JSMN_STRICT
#define JSMN_PARENT_LINKS
#include <jsmn.h>

#define ROUNDS 5

/* The review the API server would send for a CREATE of `pod` (a tree read from YAML). */
static void build_api_review(struct pg_buf *out, const struct pg_node *pod)
{
    pg_buf_puts(out,
                "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\","
                "\"request\":{\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800002\","
                "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
                "\"resource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"},"
                "\"requestKind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
                "\"requestResource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"},"
                "\"name\":\"bench-pod\",\"namespace\":\"bench\",\"operation\":\"CREATE\","
                "\"userInfo\":{\"username\":\"system:serviceaccount:kube-system:replicaset-"
                "controller\",\"uid\":\"a1b2c3d4\",\"groups\":[\"system:serviceaccounts\","
                "\"system:serviceaccounts:kube-system\",\"system:authenticated\"]},"
                "\"object\":");
    node_to_json(out, pod);
    pg_buf_puts(out, ",\"oldObject\":null,\"dryRun\":false,\"options\":{\"kind\":"
                     "\"CreateOptions\",\"apiVersion\":\"meta.k8s.io/v1\"}}}");
}

/* The namespace callback, shaped like the server's cache (labels copied into the arena). */
static int restricted_namespace(const struct pg_node **labels_out, struct pg_arena *arena,
                                struct pg_str name, struct pg_buf *error, void *ctx)
{
    /* Compound literals are not constant expressions: plain initialisers. */
    static const struct pg_str KEYS[] = {
        {"pod-security.kubernetes.io/enforce", 34},
        {"pod-security.kubernetes.io/audit", 32},
        {"pod-security.kubernetes.io/warn", 31},
    };
    static const struct pg_str VALUES[] = {
        {"restricted", 10}, {"restricted", 10}, {"restricted", 10}};
    (void)name;
    (void)error;
    (void)ctx;
    *labels_out = pg_admission_labels_node(arena, KEYS, VALUES, 3);
    return 0;
}

/* One request exactly as src/server/http.c makes it: a fresh result each time, the review read
   into the request's workspace (kept from one request to the next, as the server's are). */
static size_t handle_once(const struct pg_admission_handler *handler,
                          const struct pg_admission_http_request *request, bool *allowed)
{
    struct pg_admission_result result;
    size_t len = 0;
    pg_admission_result_init(&result);
    pg_admission_handle(&result, handler, request);
    len = result.http_status == 200 ? result.body.len : 0;
    *allowed = result.allowed;
    pg_admission_result_release(&result);
    return len;
}

/* The response body to stdout: 0, or -1 when there is none or the write fails. */
static int print_response(const struct pg_admission_handler *handler,
                          const struct pg_admission_http_request *request)
{
    struct pg_admission_result result;
    int rc = -1;
    pg_admission_result_init(&result);
    pg_admission_handle(&result, handler, request);
    if (result.http_status == 200 && result.body.len > 0 &&
        fwrite(result.body.ptr, 1, result.body.len, stdout) == result.body.len) {
        rc = 0;
    }
    pg_admission_result_release(&result);
    return rc;
}

/* Best-of-rounds ns per handled request. */
static double time_handle(const struct pg_admission_handler *handler,
                          const struct pg_admission_http_request *request, long iterations)
{
    double best = 0;
    volatile size_t sink = 0;
    bool allowed = false;
    for (int round = 0; round < ROUNDS && iterations > 0; round++) {
        double start = bench_now_ns();
        double ns = 0;
        for (long i = 0; i < iterations; i++) {
            sink += handle_once(handler, request, &allowed);
        }
        ns = (bench_now_ns() - start) / (double)iterations;
        best = round == 0 || ns < best ? ns : best;
    }
    (void)sink;
    return best;
}

/* Best-of-rounds ns for jsmn alone over the same bytes, into a token array sized once. */
static double time_jsmn(const char *body, size_t len, long iterations)
{
    jsmn_parser parser;
    jsmntok_t *tokens = NULL;
    int count = 0;
    double best = 0;
    volatile int sink = 0;
    jsmn_init(&parser);
    count = jsmn_parse(&parser, body, len, NULL, 0);
    if (count <= 0) {
        return -1;
    }
    tokens = calloc((size_t)count, sizeof(*tokens));
    for (int round = 0; round < ROUNDS && tokens != NULL && iterations > 0; round++) {
        double start = bench_now_ns();
        double ns = 0;
        for (long i = 0; i < iterations; i++) {
            jsmn_init(&parser);
            sink += jsmn_parse(&parser, body, len, tokens, (unsigned)count);
        }
        ns = (bench_now_ns() - start) / (double)iterations;
        best = round == 0 || ns < best ? ns : best;
    }
    free(tokens);
    return sink != 0 || iterations == 0 ? best : -1;
}

static int load_pod(struct pg_buf *review, const char *path)
{
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    struct pg_error err;
    size_t len = 0;
    char *data = bench_read_file(path, &len);
    int rc = -1;
    if (data != NULL && pg_doc_reader_new(&reader, data, len, PG_FORMAT_AUTO, NULL, &err) == 0 &&
        pg_doc_reader_next(reader, &doc, NULL, &err) == 1 && doc->root != NULL) {
        build_api_review(review, doc->root);
        rc = pg_buf_failed(review) ? -1 : 0;
    }
    pg_doc_free(doc);
    pg_doc_reader_free(reader);
    free(data);
    return rc;
}

int main(int argc, char **argv)
{
    struct pg_buf review = PG_BUF_INIT;
    struct pg_admission_handler handler;
    struct pg_admission_http_request request;
    struct pg_admission_config *config = pg_admission_config_new_default();
    struct pg_admission_workspace *workspace = pg_admission_workspace_new();
    long iterations = argc > 2 ? strtol(argv[2], NULL, 10) : 20000;
    const char *only = argc > 3 ? argv[3] : NULL;
    size_t response_len = 0;
    size_t before = 0;
    bool allowed = false;
    double handle_ns = 0;
    double jsmn_ns = 0;
    int rc = 0;
    if (argc < 2 || iterations < 0 || load_pod(&review, argv[1]) != 0) {
        (void)fprintf(stderr, "usage: admission_bench POD.yaml [iterations [handle|jsmn|print]]\n");
        return 2;
    }
    memset(&handler, 0, sizeof(handler));
    handler.config = config;
    handler.get_namespace = restricted_namespace;
    memset(&request, 0, sizeof(request));
    request.body = review.ptr;
    request.body_len = review.len;
    request.content_type = "application/json";
    request.workspace = workspace;
    if (only != NULL && strcmp(only, "print") == 0) {
        rc = print_response(&handler, &request) == 0 ? 0 : 1;
        goto cleanup;
    }
    /* Warm up once, then count the allocations of one request. */
    response_len = handle_once(&handler, &request, &allowed);
    before = bench_allocations();
    (void)handle_once(&handler, &request, &allowed);
    before = bench_allocations() - before;
    if (only == NULL || strcmp(only, "handle") == 0) {
        handle_ns = time_handle(&handler, &request, iterations);
    }
    if (only == NULL || strcmp(only, "jsmn") == 0) {
        jsmn_ns = time_jsmn(review.ptr, review.len, iterations);
    }
    printf("%s: review %zu bytes, %s (response %zu bytes); decode+decide+encode %.0f ns/op, "
           "%zu allocations/op; jsmn tokenise alone %.0f ns/op\n",
           argv[1], review.len, allowed ? "allowed" : "denied", response_len, handle_ns, before,
           jsmn_ns);
    rc = response_len > 0 ? 0 : 1;
cleanup:
    pg_buf_release(&review);
    pg_admission_workspace_free(workspace);
    pg_admission_config_free(config);
    return rc;
}
