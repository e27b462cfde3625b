/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the YAML document reader: read every document of the
 * input (errors included, as a caller would), free everything, print nothing.
 */
#include "podgate/doc.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
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
    if (pg_doc_reader_new(&reader, (const char *)data, size, PG_FORMAT_YAML, &limits, &err) < 0) {
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
