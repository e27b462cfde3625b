/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the audit's byte-stream front end: the first byte picks the size of the
 * writes (the feed must give the same result however bytes are cut), the rest is fed as a
 * dump with one what-if; then the audit is finished and rendered in all three formats, and
 * everything is freed. Prints nothing.
 */
#include "podgate/audit.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct pg_audit_what_if WHAT_IF[] = {
        {"default", {PG_LEVEL_RESTRICTED, {true, 0}}}};
    struct pg_audit_options options;
    struct pg_audit *audit = NULL;
    struct pg_audit_feed *feed = NULL;
    struct pg_buf out = PG_BUF_INIT;
    size_t chunk = 0;
    if (size == 0) {
        return 0;
    }
    chunk = (size_t)data[0] + 1;
    pg_audit_options_default(&options);
    /* Small limits keep each run fast while still reaching every limit path. */
    options.limits.max_document_bytes = 65536;
    options.limits.max_nodes = 20000;
    options.limits.max_depth = 64;
    options.max_groups = 4;
    options.max_namespaces = 16;
    options.what_if = WHAT_IF;
    options.what_if_len = 1;
    if (pg_audit_new(&audit, &options, NULL) != 0 ||
        pg_audit_feed_new(&feed, audit, "fuzz", PG_FORMAT_AUTO, NULL) != 0) {
        pg_audit_free(audit);
        return 0;
    }
    for (size_t pos = 1; pos < size; pos += chunk) {
        pg_audit_feed_write(feed, (const char *)data + pos,
                            size - pos < chunk ? size - pos : chunk);
    }
    pg_audit_feed_end(feed);
    pg_audit_feed_free(feed);
    pg_audit_finish(audit);
    for (int format = PG_AUDIT_TEXT; format <= PG_AUDIT_HTML; format++) {
        pg_buf_clear(&out);
        pg_audit_render(&out, audit, (enum pg_audit_format)format);
    }
    pg_buf_release(&out);
    pg_audit_free(audit);
    return 0;
}
