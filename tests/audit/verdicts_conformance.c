/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The audit's verdict bitmaps against pg_evaluate over every upstream fixture
 * (../shared/conformance/psa-testdata/index.tsv): for each pod and template, the bit of every
 * level and every minor v1.0 … v1.37 must equal what a direct evaluation says. This is what
 * guards the table of rule variants in src/lib/audit/verdicts.c.
 *
 *   verdicts_conformance PSA_TESTDATA_DIR
 */
#include "audit/verdicts.h"
#include "podgate/arena.h"
#include "podgate/doc.h"
#include "podgate/workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    size_t cap = 0;
    size_t got = 0;
    if (f == NULL) {
        return NULL;
    }
    *len = 0;
    do {
        if (*len == cap) {
            cap = cap ? 2 * cap : 65536;
            data = realloc(data, cap);
            if (data == NULL) {
                (void)fclose(f);
                return NULL;
            }
        }
        got = fread(data + *len, 1, cap - *len, f);
        *len += got;
    } while (got > 0);
    (void)fclose(f);
    return data;
}

struct context {
    struct pg_findings findings;
    struct pg_verdict_table table;
    struct pg_arena *arena;
    size_t objects;
    size_t mismatches;
};

static void check_object(struct context *ctx, const char *path, const struct pg_node *object)
{
    struct pg_workload workload;
    struct pg_pod pod;
    struct pg_verdicts verdicts;
    struct pg_pod_options options = {false, false, false};
    if (pg_workload_identify(&workload, object, NULL) != 1 || !workload.has_template) {
        return;
    }
    options.is_pod = workload.kind == PG_KIND_POD;
    pg_arena_reset(ctx->arena);
    if (pg_pod_extract(&pod, ctx->arena, workload.pod_metadata, workload.pod_spec,
                       workload.spec_path, &options, NULL, NULL) != 0) {
        return;
    }
    ctx->objects++;
    pg_verdicts_compute(&verdicts, &ctx->findings, &ctx->table, &pod);
    for (int level = PG_LEVEL_PRIVILEGED; level <= PG_LEVEL_RESTRICTED; level++) {
        for (unsigned minor = 0; minor <= PG_MAX_MINOR; minor++) {
            struct pg_level_version lv = {(enum pg_level)level, {false, minor}};
            pg_evaluate(&ctx->findings, &pod, lv);
            if ((ctx->findings.forbidden != 0) !=
                pg_verdicts_fails(&verdicts, (enum pg_level)level, minor)) {
                printf("not ok - %s: %s:v1.%u bitmap disagrees with evaluation\n", path,
                       pg_level_name(lv.level), minor);
                ctx->mismatches++;
            }
        }
    }
}

static int check_file(struct context *ctx, const char *root, const char *relative)
{
    char path[4096];
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    size_t len = 0;
    char *data = NULL;
    int rc = 0;
    int written = snprintf(path, sizeof(path), "%s/%s", root, relative);
    if (written < 0 || (size_t)written >= sizeof(path)) {
        printf("not ok - path too long: %s\n", relative);
        return -1;
    }
    data = read_all(path, &len);
    if (data == NULL || pg_doc_reader_new(&reader, data, len, PG_FORMAT_AUTO, NULL, NULL) != 0) {
        printf("not ok - cannot read %s\n", path);
        free(data);
        return -1;
    }
    while ((rc = pg_doc_reader_next(reader, &doc, NULL, NULL)) != 0) {
        if (rc > 0 && doc->root != NULL) {
            check_object(ctx, relative, doc->root);
        }
        pg_doc_free(doc);
    }
    pg_doc_reader_free(reader);
    free(data);
    return 0;
}

int main(int argc, char **argv)
{
    char index_path[4096];
    char line[4096];
    struct context ctx;
    FILE *index = NULL;
    int failures = 0;
    if (argc != 2) {
        (void)fprintf(stderr, "usage: verdicts_conformance PSA_TESTDATA_DIR\n");
        return 2;
    }
    (void)snprintf(index_path, sizeof(index_path), "%s/index.tsv", argv[1]);
    index = fopen(index_path, "r");
    if (index == NULL) {
        printf("not ok - cannot open %s\n", index_path);
        return 1;
    }
    memset(&ctx, 0, sizeof(ctx));
    pg_findings_init(&ctx.findings);
    pg_verdict_table_init(&ctx.table);
    ctx.arena = pg_arena_new();
    while (fgets(line, sizeof(line), index) != NULL) {
        char *tab = strchr(line, '\t');
        if (tab == NULL || strncmp(line, "path\t", 5) == 0) {
            continue;
        }
        *tab = '\0';
        failures += check_file(&ctx, argv[1], line) != 0;
    }
    (void)fclose(index);
    printf("%s - %zu objects, %zu bitmap mismatches\n",
           ctx.mismatches == 0 && failures == 0 && ctx.objects > 4000 ? "ok" : "not ok",
           ctx.objects, ctx.mismatches);
    pg_findings_release(&ctx.findings);
    pg_arena_free(ctx.arena);
    return ctx.mismatches == 0 && failures == 0 && ctx.objects > 4000 ? 0 : 1;
}
