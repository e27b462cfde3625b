/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The body shared by the YAML and JSON document reader fuzz targets
 * (yaml_doc_fuzz.c, json_doc_fuzz.c): they differ only in the format they ask
 * for, so each keeps its own entry point and calls this with its format.
 */
#ifndef PG_FUZZ_DOC_FUZZ_COMMON_H
#define PG_FUZZ_DOC_FUZZ_COMMON_H

#include "podgate/doc.h"

#include <stddef.h>
#include <stdint.h>

/* Read every document of the input as `format` (errors included, as a caller would), free
   everything, print nothing; always 0, as libFuzzer wants. */
static inline int doc_fuzz_read_all(const uint8_t *data, size_t size, enum pg_doc_format format)
{
    struct pg_doc_reader *reader = NULL;
    struct pg_error err;
    struct pg_limits limits;
    int rc = 0;
    pg_limits_default(&limits);
    /* Small limits keep each run fast while still exercising every limit path. */
    limits.max_nodes = 20000;
    limits.max_alias_expansion = 20000;
    limits.max_depth = 64;
    if (pg_doc_reader_new(&reader, (const char *)data, size, format, &limits, &err) < 0) {
        return 0;
    }
    do {
        struct pg_doc *doc = NULL;
        rc = pg_doc_reader_next(reader, &doc, NULL, &err);
        pg_doc_free(doc);
    } while (rc != 0);
    pg_doc_reader_free(reader);
    return 0;
}

#endif
