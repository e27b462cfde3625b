/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Arena allocator: many small allocations released together. Each document
 * owns one. With PG_ARENA_DEBUG defined at build time every allocation is a
 * separate malloc, so ASan and valgrind see each one.
 */
#ifndef PODGATE_ARENA_H
#define PODGATE_ARENA_H

#include "podgate/common.h"

struct pg_arena;

/* A new empty arena (aborts on out-of-memory, like pg_xmalloc). */
PG_API struct pg_arena *pg_arena_new(void);

/*
 * A new empty arena whose first block holds at least `first_block` bytes (at
 * most 1 MiB): for a caller that knows roughly how much it will allocate, one
 * block instead of a series of doubling ones. Aborts on out-of-memory.
 */
PG_API struct pg_arena *pg_arena_new_sized(size_t first_block);

/* Release every allocation and the arena. NULL is a no-op. */
PG_API void pg_arena_free(struct pg_arena *arena);

/*
 * Forget every allocation but keep the largest block (at most 1 MiB) for
 * reuse, so an arena reset once per item stops calling malloc once it has
 * grown to fit one.
 */
PG_API void pg_arena_reset(struct pg_arena *arena);

/* `size` bytes aligned for any type, zeroed. Never NULL. Lives until free/reset. */
PG_API void *pg_arena_alloc(struct pg_arena *arena, size_t size);

/* Like pg_arena_alloc but not zeroed: for callers that set every byte themselves. */
PG_API void *pg_arena_alloc_uninit(struct pg_arena *arena, size_t size);

/* `count * size` zeroed bytes, with the multiplication checked for overflow. */
PG_API void *pg_arena_calloc(struct pg_arena *arena, size_t count, size_t size);

/* Copy `len` bytes into the arena, NUL-terminated. */
PG_API char *pg_arena_strndup(struct pg_arena *arena, const char *text, size_t len);

/* Total bytes handed out since creation or reset (for tests and limits). */
PG_API size_t pg_arena_used(const struct pg_arena *arena);

#endif
