/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bump allocator over a list of blocks. Blocks grow geometrically so that a
 * large document costs few mallocs; one allocation larger than a block gets a
 * block of its own.
 */
#include "podgate/arena.h"

#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_BLOCK_SIZE 4096
#define MAX_BLOCK_SIZE ((size_t)1024 * 1024)
#define ALIGNMENT 16

struct block {
    struct block *next;
    size_t size;
    size_t used;
    _Alignas(ALIGNMENT) unsigned char data[];
};

struct pg_arena {
    struct block *head;
    size_t next_size;
    size_t total;
};

struct pg_arena *pg_arena_new(void)
{
    return pg_arena_new_sized(FIRST_BLOCK_SIZE);
}

struct pg_arena *pg_arena_new_sized(size_t first_block)
{
    struct pg_arena *arena = pg_xcalloc(1, sizeof(*arena));
    arena->next_size = first_block < FIRST_BLOCK_SIZE ? FIRST_BLOCK_SIZE
                       : first_block > MAX_BLOCK_SIZE ? MAX_BLOCK_SIZE
                                                      : first_block;
    return arena;
}

static void free_blocks(struct block *block, const struct block *keep)
{
    while (block != NULL) {
        struct block *next = block->next;
        if (block != keep) {
            free(block);
        }
        block = next;
    }
}

void pg_arena_free(struct pg_arena *arena)
{
    if (arena == NULL) {
        return;
    }
    free_blocks(arena->head, NULL);
    free(arena);
}

/*
 * The block a reset keeps: the largest of the geometric ones. Keeping the first
 * (4 KiB) made an arena reset per workload or per file malloc and free its
 * larger blocks every time; in worker threads those frees gave the pages back
 * and every file faulted them in again. A block made for one oversized
 * allocation is not kept.
 */
static struct block *block_to_keep(struct block *head)
{
    struct block *keep = NULL;
    for (struct block *block = head; block != NULL; block = block->next) {
        if (block->size <= MAX_BLOCK_SIZE && (keep == NULL || block->size > keep->size)) {
            keep = block;
        }
    }
    return keep;
}

void pg_arena_reset(struct pg_arena *arena)
{
    struct block *keep = NULL;
    if (arena == NULL || arena->head == NULL) {
        return;
    }
    keep = block_to_keep(arena->head);
#ifdef PG_ARENA_DEBUG
    keep = NULL; /* every allocation is its own block: freed here, so ASan sees later uses */
#endif
    free_blocks(arena->head, keep);
    if (keep != NULL) {
        keep->used = 0;
        keep->next = NULL;
    }
    arena->head = keep;
    arena->total = 0;
}

static struct block *new_block(size_t size)
{
    struct block *block = NULL;
    if (size > SIZE_MAX - sizeof(struct block)) {
        size = SIZE_MAX - sizeof(struct block); /* pg_xmalloc will abort */
    }
    block = pg_xmalloc(sizeof(struct block) + size);
    block->next = NULL;
    block->size = size;
    block->used = 0;
    return block;
}

/*
 * Zero an allocation of `rounded` bytes (a multiple of ALIGNMENT, all inside its block).
 * Documents are mostly 64-byte nodes and small arrays: constant sizes become a few stores
 * instead of a memset call, which cost as much as the rest of the allocation.
 */
static void zero(void *ptr, size_t rounded)
{
    switch (rounded) {
    case 16:
        memset(ptr, 0, 16);
        return;
    case 32:
        memset(ptr, 0, 32);
        return;
    case 48:
        memset(ptr, 0, 48);
        return;
    case 64:
        memset(ptr, 0, 64);
        return;
    default:
        memset(ptr, 0, rounded);
        return;
    }
}

/* `size` rounded up to a multiple of ALIGNMENT, or SIZE_MAX when that overflows (pg_xmalloc
   then aborts in new_block). */
static size_t round_up(size_t size)
{
    size_t rounded = (size + (ALIGNMENT - 1)) & ~(size_t)(ALIGNMENT - 1);
    return rounded < size ? SIZE_MAX : rounded;
}

/* `rounded` bytes, as round_up returns them, from the head block or a new one. */
static void *alloc_rounded(struct pg_arena *arena, size_t rounded)
{
    struct block *block = arena->head;
    void *ptr = NULL;
#ifdef PG_ARENA_DEBUG
    block = NULL;
#endif
    if (block == NULL || block->size - block->used < rounded) {
        size_t want = arena->next_size;
#ifdef PG_ARENA_DEBUG
        want = rounded; /* exactly the allocation, so ASan/valgrind see its bounds */
#endif
        if (want < rounded) {
            want = rounded;
        }
        block = new_block(want);
        block->next = arena->head;
        arena->head = block;
        if (arena->next_size < MAX_BLOCK_SIZE) {
            arena->next_size *= 2;
        }
    }
    ptr = block->data + block->used;
    block->used += rounded;
    arena->total += rounded;
    return ptr;
}

void *pg_arena_alloc_uninit(struct pg_arena *arena, size_t size)
{
    return alloc_rounded(arena, round_up(size));
}

void *pg_arena_alloc(struct pg_arena *arena, size_t size)
{
    size_t rounded = round_up(size);
    void *ptr = alloc_rounded(arena, rounded);
    zero(ptr, rounded);
    return ptr;
}

void *pg_arena_calloc(struct pg_arena *arena, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        return pg_arena_alloc_uninit(arena, SIZE_MAX); /* pg_xmalloc aborts */
    }
    return pg_arena_alloc(arena, count * size);
}

char *pg_arena_strndup(struct pg_arena *arena, const char *text, size_t len)
{
    char *copy = pg_arena_alloc(arena, len + 1);
    if (len > 0) {
        memcpy(copy, text, len);
    }
    copy[len] = '\0';
    return copy;
}

size_t pg_arena_used(const struct pg_arena *arena)
{
    return arena->total;
}
