/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The arena: zeroed, aligned allocations; a reset forgets them all and keeps
 * the largest block, so an arena reset once per item stops allocating once
 * it has grown (unless every allocation is its own block, PG_ARENA_DEBUG).
 */
#include "harness.h"

#include "podgate/arena.h"

#include <stdint.h>

#define ITEM 1000
#define ITEM_ROUNDED 1008 /* to the 16-byte alignment */

/* Fill the arena with ITEM-byte allocations across several blocks; return the newest block. */
static unsigned char *fill(struct pg_arena *arena, size_t count)
{
    unsigned char *previous = NULL;
    unsigned char *block_start = NULL;
    for (size_t i = 0; i < count; i++) {
        unsigned char *item = pg_arena_alloc(arena, ITEM);
        memset(item, 0xAB, ITEM);
        if (previous == NULL || item != previous + ITEM_ROUNDED) {
            block_start = item;
        }
        previous = item;
    }
    return block_start;
}

static void test_arena_alloc_is_zeroed_and_aligned(void)
{
    struct pg_arena *arena = pg_arena_new();
    unsigned char *item = NULL;
    (void)fill(arena, 10);
    item = pg_arena_alloc(arena, 24);
    PG_EXPECT_INT((uintptr_t)item % 16, 0);
    for (size_t i = 0; i < 24; i++) {
        PG_EXPECT_INT(item[i], 0);
    }
    PG_EXPECT_INT(pg_arena_used(arena), 10 * ITEM_ROUNDED + 32);
    pg_arena_free(arena);
}

static void test_arena_reset_forgets_and_reuses_the_largest_block(void)
{
    struct pg_arena *arena = pg_arena_new();
    unsigned char *newest = fill(arena, 200); /* blocks of 4 KiB, 8 KiB, ... 256 KiB */
    unsigned char *item = NULL;
    pg_arena_reset(arena);
    PG_EXPECT_INT(pg_arena_used(arena), 0);
    item = pg_arena_alloc(arena, ITEM);
    for (size_t i = 0; i < ITEM; i++) {
        PG_EXPECT_INT(item[i], 0);
    }
#ifndef PG_ARENA_DEBUG
    PG_EXPECT(item == newest);
#else
    (void)newest;
#endif
    pg_arena_reset(NULL);
    pg_arena_free(arena);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_arena_alloc_is_zeroed_and_aligned)                                          \
    PG_TEST_ENTRY(test_arena_reset_forgets_and_reuses_the_largest_block)

PG_TEST_MAIN(TESTS)
