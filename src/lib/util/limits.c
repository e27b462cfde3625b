/* SPDX-License-Identifier: Apache-2.0 */
/* Default resource limits (documented in docs/internals/limits.md). */
#include "podgate/limits.h"

void pg_limits_default(struct pg_limits *out)
{
    out->max_input_bytes = (size_t)1 << 30;            /* 1 GiB per source */
    out->max_document_bytes = (size_t)3 * 1024 * 1024; /* API server request limit */
    out->max_depth = 256;
    out->max_nodes = 1000000;
    out->max_alias_expansion = 1000000;
    out->max_string_bytes = (size_t)1024 * 1024;
    out->max_items = 10000;
}
