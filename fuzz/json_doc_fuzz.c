/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the JSON document reader: read every document of the
 * input (errors included, as a caller would), free everything, print nothing
 * (doc_fuzz_common.h's body, shared with the other document format). Then
 * the readers side by side (tests/unit/doc/json_readers_compare.h): the fast
 * reader, and the fast reader leaving some keys' values unread as the
 * webhook does, must each give what the checking reader gives; abort when
 * they do not.
 */
#include "doc_fuzz_common.h"
#include "json_readers_compare.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Short keys, so that mutations find them. */
static bool fuzz_unread(const char *key, size_t len)
{
    return (len == 1 && (key[0] == 'a' || key[0] == 'x')) ||
           (len == 3 && memcmp(key, "env", 3) == 0);
}

static void readers_agree(const char *text, size_t len, pg_doc_unread_fn unread)
{
    struct outcome fast;
    struct outcome checked;
    struct pg_limits limits;
    const char *diff = NULL;
    /* Small limits, as doc_fuzz_read_all; nodes unlimited within the input's size, since
       unread values take none. */
    pg_limits_default(&limits);
    limits.max_depth = 64;
    read_outcome(&fast, text, len, &limits, false, unread);
    read_outcome(&checked, text, len, &limits, true, NULL);
    diff = difference(&fast, &checked, unread != NULL);
    release_outcome(&fast);
    release_outcome(&checked);
    if (diff != NULL) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)doc_fuzz_read_all(data, size, PG_FORMAT_JSON);
    readers_agree((const char *)data, size, NULL);
    readers_agree((const char *)data, size, fuzz_unread);
    return 0;
}
