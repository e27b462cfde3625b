/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Typed field readers for pod extraction: each reads one field of a map,
 * checks its type against the Kubernetes API and records a precise error
 * (position and field path) when it is wrong.
 */
#ifndef PG_WORKLOAD_EXTRACT_H
#define PG_WORKLOAD_EXTRACT_H

#include "podgate/arena.h"
#include "podgate/pod.h"

#include <string.h>

/* One step of a field path: a map key, or a list index when key is NULL. */
struct pg_extract_segment {
    const char *key;
    size_t index;
};

#define PG_EXTRACT_MAX_DEPTH 32

/*
 * Extraction state. The field path is kept as a stack of segments and only
 * rendered to text when an error needs it: building it eagerly cost more than
 * the extraction itself.
 */
struct pg_extract {
    struct pg_arena *arena;
    const struct pg_limits *limits;
    struct pg_error *err;
    bool whole_floats; /* pg_pod_options.whole_floats_are_integers */
    struct pg_extract_segment segments[PG_EXTRACT_MAX_DEPTH];
    size_t depth;
    char path[PG_ERROR_PATH_MAX];
};

/* Append a key / an index to the path; return the old depth for pg_extract_pop. */
size_t pg_extract_push(struct pg_extract *ctx, const char *key);
size_t pg_extract_push_index(struct pg_extract *ctx, size_t index);
void pg_extract_pop(struct pg_extract *ctx, size_t old_depth);

/* The current path as text ("spec.containers[0].ports"), rendered into ctx->path. */
const char *pg_extract_path(struct pg_extract *ctx);

/* PG_ETYPE at `node` (at the current path): it is not a `want` (its value quoted, escaped). */
int pg_extract_type_error(struct pg_extract *ctx, const struct pg_node *node, const char *want);

/* PG_ETYPE when the string `node` (at the current path) holds a NUL character, else 0. */
int pg_extract_check_text(struct pg_extract *ctx, const struct pg_node *node);

/*
 * Each reads `key` (key_len bytes, NUL-terminated: it also names the field in messages) of
 * `map` (map may be NULL); unset leaves the field zeroed. The wrappers below take a literal key
 * and let the compiler count it.
 */
int pg_extract_map_n(struct pg_extract *ctx, const struct pg_node **out, const struct pg_node *map,
                     const char *key, size_t key_len);
int pg_extract_seq_n(struct pg_extract *ctx, const struct pg_node **out, const struct pg_node *map,
                     const char *key, size_t key_len);
int pg_extract_bool_n(struct pg_extract *ctx, struct pg_bool_field *out, const struct pg_node *map,
                      const char *key, size_t key_len);
int pg_extract_int_n(struct pg_extract *ctx, struct pg_int_field *out, const struct pg_node *map,
                     const char *key, size_t key_len, int64_t min, int64_t max);
int pg_extract_str_n(struct pg_extract *ctx, struct pg_str_field *out, const struct pg_node *map,
                     const char *key, size_t key_len);
/* A list of strings (capabilities). */
int pg_extract_str_list_n(struct pg_extract *ctx, struct pg_str_field **out, size_t *len_out,
                          const struct pg_node *map, const char *key, size_t key_len);

static inline int pg_extract_map(struct pg_extract *ctx, const struct pg_node **out,
                                 const struct pg_node *map, const char *key)
{
    return pg_extract_map_n(ctx, out, map, key, strlen(key));
}

static inline int pg_extract_seq(struct pg_extract *ctx, const struct pg_node **out,
                                 const struct pg_node *map, const char *key)
{
    return pg_extract_seq_n(ctx, out, map, key, strlen(key));
}

static inline int pg_extract_bool(struct pg_extract *ctx, struct pg_bool_field *out,
                                  const struct pg_node *map, const char *key)
{
    return pg_extract_bool_n(ctx, out, map, key, strlen(key));
}

static inline int pg_extract_int(struct pg_extract *ctx, struct pg_int_field *out,
                                 const struct pg_node *map, const char *key, int64_t min,
                                 int64_t max)
{
    return pg_extract_int_n(ctx, out, map, key, strlen(key), min, max);
}

static inline int pg_extract_str(struct pg_extract *ctx, struct pg_str_field *out,
                                 const struct pg_node *map, const char *key)
{
    return pg_extract_str_n(ctx, out, map, key, strlen(key));
}

static inline int pg_extract_str_list(struct pg_extract *ctx, struct pg_str_field **out,
                                      size_t *len_out, const struct pg_node *map, const char *key)
{
    return pg_extract_str_list_n(ctx, out, len_out, map, key, strlen(key));
}

#endif
