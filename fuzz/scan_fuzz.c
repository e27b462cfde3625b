/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the whole scan path: bytes → documents → workloads → pod
 * model → checks → results, as YAML and as JSON, with and without Namespace
 * labels learned first. The sink reads every byte a result or diagnostic
 * points to, so that the sanitizers see a dangling pointer; it prints nothing.
 */
#include "podgate/scan.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Touch every byte of a string, so a dangling pointer is a sanitizer report. */
static size_t touch(const char *text, size_t len)
{
    size_t sum = 0;
    for (size_t i = 0; i < len; i++) {
        sum += (unsigned char)text[i];
    }
    return sum;
}

static size_t touch_cstr(const char *text)
{
    return text != NULL ? touch(text, strlen(text)) : 0;
}

static void on_result(const struct pg_scan_result *result, void *ctx)
{
    size_t *sum = ctx;
    const struct pg_object_ref *ref = &result->workload->ref;
    *sum += touch_cstr(result->source) + touch(result->message.ptr, result->message.len);
    *sum += touch(ref->name.ptr, ref->name.len) + touch(ref->namespace_.ptr, ref->namespace_.len);
    for (size_t i = 0; i < result->violations_len; i++) {
        const struct pg_scan_violation *violation = &result->violations[i];
        *sum += touch(violation->reason.ptr, violation->reason.len);
        *sum += touch(violation->detail.ptr, violation->detail.len);
        for (size_t j = 0; j < violation->locations_len; j++) {
            *sum += touch_cstr(violation->locations[j].path) + violation->locations[j].line;
        }
    }
}

static void on_diag(const struct pg_scan_diag *diag, void *ctx)
{
    size_t *sum = ctx;
    *sum += touch_cstr(diag->source) + touch_cstr(diag->path) + touch_cstr(diag->message);
}

/* Scan the input once; returns the sum of every byte the sink saw. */
static size_t scan(const uint8_t *data, size_t size, enum pg_doc_format format, bool learn)
{
    struct pg_scan_options options;
    struct pg_scanner *scanner = NULL;
    struct pg_error err;
    size_t sum = 0;
    const struct pg_scan_sink sink = {on_result, on_diag, &sum};
    pg_scan_options_default(&options);
    options.format = format;
    /* Small limits keep each run fast while still exercising every limit path. */
    options.limits.max_nodes = 20000;
    options.limits.max_alias_expansion = 20000;
    options.limits.max_depth = 64;
    options.limits.max_items = 64;
    options.apply_defaults = (size & 1) == 0;
    if (pg_scanner_new(&scanner, &options, &err) != 0) {
        return 0;
    }
    if (learn) {
        pg_scanner_learn_namespaces(scanner, (const char *)data, size);
    }
    pg_scanner_scan(scanner, "fuzz", (const char *)data, size, &sink);
    pg_scanner_free(scanner);
    return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A volatile store keeps the sink's reads from being optimised away. */
    volatile size_t keep = scan(data, size, PG_FORMAT_AUTO, true) +
                           scan(data, size, PG_FORMAT_YAML, false) +
                           scan(data, size, PG_FORMAT_JSON, (size & 2) != 0);
    (void)keep;
    return 0;
}
