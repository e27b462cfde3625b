/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the audit's byte-stream front end: the first byte picks the size of the
 * writes, the rest is fed as a dump with one what-if; the audit is finished and rendered in
 * all three formats. The same bytes in one write must give the same JSON report (the feed
 * must not depend on where writes are cut): if not, the target aborts, which the fuzzer
 * reports as a crash. Prints nothing.
 */
#include "podgate/audit.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The JSON report (caller frees) of `size` bytes fed in writes of `chunk` bytes. */
static char *audit(const uint8_t *data, size_t size, size_t chunk)
{
    static const struct pg_audit_what_if WHAT_IF[] = {
        {"default", {PG_LEVEL_RESTRICTED, {true, 0}}}};
    struct pg_audit_options options;
    struct pg_audit *audit = NULL;
    struct pg_audit_feed *feed = NULL;
    struct pg_buf out = PG_BUF_INIT;
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
        return NULL;
    }
    for (size_t pos = 0; pos < size; pos += chunk) {
        pg_audit_feed_write(feed, (const char *)data + pos,
                            size - pos < chunk ? size - pos : chunk);
    }
    pg_audit_feed_end(feed);
    pg_audit_feed_free(feed);
    pg_audit_finish(audit);
    pg_audit_render(&out, audit, PG_AUDIT_TEXT);
    pg_buf_clear(&out);
    pg_audit_render(&out, audit, PG_AUDIT_HTML);
    pg_buf_clear(&out);
    pg_audit_render(&out, audit, PG_AUDIT_JSON);
    pg_audit_free(audit);
    return out.ptr;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *cut = NULL;
    char *whole = NULL;
    if (size == 0 || size > 32768) {
        return 0; /* within max_document_bytes, where cutting cannot change the result */
    }
    cut = audit(data + 1, size - 1, (size_t)data[0] + 1);
    whole = audit(data + 1, size - 1, size);
    if ((cut == NULL) != (whole == NULL) || (cut != NULL && strcmp(cut, whole) != 0)) {
        abort();
    }
    free(cut);
    free(whole);
    return 0;
}
