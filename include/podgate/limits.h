/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Resource limits applied while reading untrusted input. Every input-driven
 * allocation is checked against these before it happens.
 */
#ifndef PODGATE_LIMITS_H
#define PODGATE_LIMITS_H

#include "podgate/common.h"

struct pg_limits {
    size_t max_input_bytes;     /* one source (file or stdin) */
    size_t max_document_bytes;  /* one document of a stream; 3 MiB like the API server */
    size_t max_depth;           /* nesting of maps and sequences */
    size_t max_nodes;           /* nodes stored for one document */
    size_t max_alias_expansion; /* nodes reachable through aliases, summed over all aliases */
    size_t max_string_bytes;    /* one scalar */
    size_t max_items;           /* containers, volumes, ports, … per list in a pod */
};

/* Fill `out` with the documented defaults (see docs/internals/limits.md). */
PG_API void pg_limits_default(struct pg_limits *out);

#endif
