/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Evaluation micro-benchmark: parse a pod once, then time pg_evaluate (and,
 * for a violating pod, rendering upstream's details string) over many
 * iterations. Prints ns/op and heap allocations/op for extraction, evaluation
 * and evaluation+render.
 *
 *   eval_bench FILE.yaml [iterations]
 *
 * Allocations are counted by linking with --wrap=malloc,calloc,realloc (see
 * bench/CMakeLists.txt), so they cover every allocation the library makes
 * through libc, not the ones libc makes internally.
 */
#include "bench_alloc.h"
#include "bench_util.h"

#include "podgate/podgate.h"
#include "podgate/workload.h"

#include <stdio.h>
#include <stdlib.h>

struct phase {
    double ns;
    double allocations;
};

struct bench {
    struct pg_workload workload;
    struct pg_pod pod;
    struct pg_findings findings;
    struct pg_buf text;
    struct pg_arena *scratch;
    struct pg_level_version lv;
    size_t sink;
};

static struct phase phase_end(double start_ns, size_t start_allocations, long iterations)
{
    struct phase phase;
    phase.ns = (bench_now_ns() - start_ns) / (double)iterations;
    phase.allocations = (double)(bench_allocations() - start_allocations) / (double)iterations;
    return phase;
}

static int run_extract(struct phase *out, struct bench *b, long iterations)
{
    struct pg_pod_options options = {true, true, false};
    struct pg_error err;
    size_t start_allocations = bench_allocations();
    double start = bench_now_ns();
    for (long i = 0; i < iterations; i++) {
        pg_arena_reset(b->scratch);
        if (pg_pod_extract(&b->pod, b->scratch, b->workload.pod_metadata, b->workload.pod_spec,
                           b->workload.spec_path, &options, NULL, &err) != 0) {
            (void)fprintf(stderr, "extract: %s\n", err.message);
            return -1;
        }
    }
    *out = phase_end(start, start_allocations, iterations);
    return 0;
}

static struct phase run_evaluate(struct bench *b, long iterations)
{
    size_t start_allocations = bench_allocations();
    double start = bench_now_ns();
    for (long i = 0; i < iterations; i++) {
        pg_evaluate(&b->findings, &b->pod, b->lv);
        b->sink += b->findings.len;
    }
    return phase_end(start, start_allocations, iterations);
}

static struct phase run_render(struct bench *b, long iterations)
{
    size_t start_allocations = bench_allocations();
    double start = bench_now_ns();
    for (long i = 0; i < iterations; i++) {
        pg_evaluate(&b->findings, &b->pod, b->lv);
        if (b->findings.forbidden != 0) {
            pg_buf_clear(&b->text);
            pg_render_details(&b->text, &b->findings, &b->pod);
            b->sink += b->text.len;
        }
    }
    return phase_end(start, start_allocations, iterations);
}

int main(int argc, char **argv)
{
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    struct bench b = {.text = PG_BUF_INIT, .lv = {PG_LEVEL_RESTRICTED, {true, 0}}};
    struct pg_error err;
    struct phase extract;
    struct phase evaluate;
    struct phase render;
    size_t len = 0;
    long iterations = argc > 2 ? strtol(argv[2], NULL, 10) : 2000000;
    char *data = argc > 1 ? bench_read_file(argv[1], &len) : NULL;
    int rc = 2;
    b.scratch = pg_arena_new();
    pg_findings_init(&b.findings);
    if (data == NULL || iterations < 10 ||
        pg_doc_reader_new(&reader, data, len, PG_FORMAT_AUTO, NULL, &err) != 0 ||
        pg_doc_reader_next(reader, &doc, NULL, &err) != 1 ||
        pg_workload_identify(&b.workload, doc->root, &err) != 1) {
        (void)fprintf(stderr, "usage: eval_bench POD.yaml [iterations >= 10]\n");
        goto cleanup;
    }
    if (run_extract(&extract, &b, iterations / 10) != 0) {
        goto cleanup;
    }
    /* One untimed round first, so buffers reach their steady-state size. */
    (void)run_render(&b, 1);
    evaluate = run_evaluate(&b, iterations);
    render = run_render(&b, iterations);
    printf("%s: %zu findings in %d checks; extract %.0f ns, evaluate %.1f ns, "
           "evaluate+render %.1f ns per pod; allocations/op: extract %.2f, evaluate %.2f, "
           "evaluate+render %.2f\n",
           argv[1], b.findings.len, __builtin_popcount(b.findings.forbidden), extract.ns,
           evaluate.ns, render.ns, extract.allocations, evaluate.allocations, render.allocations);
    rc = b.sink == 0 ? 0 : 0;
cleanup:
    pg_buf_release(&b.text);
    pg_findings_release(&b.findings);
    pg_arena_free(b.scratch);
    pg_doc_free(doc);
    pg_doc_reader_free(reader);
    free(data);
    return rc;
}
