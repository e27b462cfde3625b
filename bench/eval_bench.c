/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Evaluation micro-benchmark: parse a pod once, then time pg_evaluate (and,
 * for a violating pod, rendering upstream's details string) over many
 * iterations. Prints ns/op for extraction, evaluation and evaluation+render.
 *
 *   eval_bench FILE.yaml [iterations]
 */
#include "podgate/podgate.h"
#include "podgate/workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ns(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    long size = 0;
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        if (f != NULL) {
            (void)fclose(f);
        }
        return NULL;
    }
    data = malloc((size_t)size + 1);
    if (data != NULL && fread(data, 1, (size_t)size, f) != (size_t)size) {
        free(data);
        data = NULL;
    }
    (void)fclose(f);
    *len = (size_t)size;
    return data;
}

int main(int argc, char **argv)
{
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    struct pg_workload workload;
    struct pg_pod pod;
    struct pg_pod_options options = {true, true};
    struct pg_findings findings;
    struct pg_buf text = PG_BUF_INIT;
    struct pg_level_version lv = {PG_LEVEL_RESTRICTED, {true, 0}};
    struct pg_error err;
    struct pg_arena *scratch = pg_arena_new();
    size_t len = 0;
    long iterations = argc > 2 ? strtol(argv[2], NULL, 10) : 2000000;
    char *data = argc > 1 ? read_all(argv[1], &len) : NULL;
    double start = 0;
    double extract_ns = 0;
    double eval_ns = 0;
    double render_ns = 0;
    volatile size_t sink = 0;
    if (data == NULL || iterations <= 0 ||
        pg_doc_reader_new(&reader, data, len, PG_FORMAT_AUTO, NULL, &err) != 0 ||
        pg_doc_reader_next(reader, &doc, NULL, &err) != 1 ||
        pg_workload_identify(&workload, doc->root, &err) != 1) {
        (void)fprintf(stderr, "usage: eval_bench POD.yaml [iterations]\n");
        return 2;
    }
    pg_findings_init(&findings);
    start = now_ns();
    for (long i = 0; i < iterations / 10; i++) {
        pg_arena_reset(scratch);
        if (pg_pod_extract(&pod, scratch, workload.pod_metadata, workload.pod_spec,
                           workload.spec_path, &options, NULL, &err) != 0) {
            (void)fprintf(stderr, "extract: %s\n", err.message);
            return 2;
        }
    }
    extract_ns = (now_ns() - start) / (double)(iterations / 10);
    start = now_ns();
    for (long i = 0; i < iterations; i++) {
        pg_evaluate(&findings, &pod, lv);
        sink += findings.len;
    }
    eval_ns = (now_ns() - start) / (double)iterations;
    start = now_ns();
    for (long i = 0; i < iterations; i++) {
        pg_evaluate(&findings, &pod, lv);
        if (findings.forbidden != 0) {
            pg_buf_clear(&text);
            pg_render_details(&text, &findings, &pod);
            sink += text.len;
        }
    }
    render_ns = (now_ns() - start) / (double)iterations;
    printf("%s: %zu findings in %d checks; extract %.0f ns, evaluate %.1f ns, "
           "evaluate+render %.1f ns per pod\n",
           argv[1], findings.len, __builtin_popcount(findings.forbidden), extract_ns, eval_ns,
           render_ns);
    pg_buf_release(&text);
    pg_findings_release(&findings);
    pg_arena_free(scratch);
    pg_doc_free(doc);
    pg_doc_reader_free(reader);
    free(data);
    return sink == 0 ? 0 : 0;
}
