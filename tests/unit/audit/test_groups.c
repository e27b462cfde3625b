/* SPDX-License-Identifier: Apache-2.0 */
/* Group tables: upstream's dry-run grouping (spec §6.6), bounded, with drift masks. */
#include "harness.h"

#include "audit/groups.h"

static struct pg_str s(const char *text)
{
    return (struct pg_str){text, strlen(text)};
}

static void test_groups_count_and_keep_the_byte_smallest_name(void)
{
    struct pg_group_table table;
    struct pg_arena *arena = pg_arena_new();
    struct pg_audit_groups view;
    pg_group_table_init(&table, 10);
    pg_group_table_add(&table, s("privileged"), 1, s("web-b"));
    pg_group_table_add(&table, s("privileged"), 1, s("web-a"));
    pg_group_table_add(&table, s("privileged"), 1, s("web-c"));
    pg_group_table_add(&table, s("host namespaces"), 1, s("Zed"));
    pg_group_table_view(&view, arena, &table, 1, "pod", 4);
    PG_EXPECT_INT(view.len, 2);
    PG_EXPECT_INT(view.dropped, 0);
    /* Sorted as whole lines in byte order: uppercase first. */
    PG_EXPECT_STR(view.items[0].line, "Zed: host namespaces");
    PG_EXPECT_STR(view.items[1].line, "web-a (and 2 other pods): privileged");
    PG_EXPECT_INT(view.items[1].count, 3);
    PG_EXPECT_STR(view.items[1].name, "web-a");
    pg_group_table_release(&table);
    pg_arena_free(arena);
}

static void test_groups_say_one_other_in_the_singular(void)
{
    struct pg_group_table table;
    struct pg_arena *arena = pg_arena_new();
    struct pg_audit_groups view;
    pg_group_table_init(&table, 10);
    pg_group_table_add(&table, s("seccompProfile"), 1, s("b"));
    pg_group_table_add(&table, s("seccompProfile"), 1, s("a"));
    pg_group_table_view(&view, arena, &table, 1, "workload", 2);
    PG_EXPECT_STR(view.items[0].line, "a (and 1 other workload): seccompProfile");
    pg_group_table_release(&table);
    pg_arena_free(arena);
}

static void test_groups_beyond_the_cap_are_counted_as_dropped(void)
{
    struct pg_group_table table;
    struct pg_arena *arena = pg_arena_new();
    struct pg_audit_groups view;
    pg_group_table_init(&table, 1);
    pg_group_table_add(&table, s("a"), 1, s("p1"));
    pg_group_table_add(&table, s("b"), 1, s("p2"));
    pg_group_table_add(&table, s("b"), 1, s("p3"));
    pg_group_table_add(&table, s("a"), 1, s("p4"));
    pg_group_table_view(&view, arena, &table, 1, "pod", 4);
    PG_EXPECT_INT(view.len, 1);
    PG_EXPECT_STR(view.items[0].line, "p1 (and 1 other pod): a");
    PG_EXPECT_INT(view.dropped, 2);
    pg_group_table_release(&table);
    pg_arena_free(arena);
}

static void test_groups_filter_by_mask_and_merge_equal_texts(void)
{
    struct pg_group_table table;
    struct pg_arena *arena = pg_arena_new();
    struct pg_audit_groups view;
    pg_group_table_init(&table, 10);
    /* Passing at minors 0-22 (mask 0x7fffff) or 0-33: different keys, same text. */
    pg_group_table_add(&table, s("runAsUser=0"), 0x7fffffu, s("x"));
    pg_group_table_add(&table, s("runAsUser=0"), 0x3ffffffffu, s("y"));
    pg_group_table_add(&table, s("runAsUser=0"), 0x3ffffffffu, s("w"));
    pg_group_table_view(&view, arena, &table, (uint64_t)1 << 30, "pod", 2);
    PG_EXPECT_INT(view.len, 1);
    PG_EXPECT_STR(view.items[0].line, "w (and 1 other pod): runAsUser=0");
    pg_group_table_view(&view, arena, &table, (uint64_t)1 << 5, "pod", 3);
    PG_EXPECT_STR(view.items[0].line, "w (and 2 other pods): runAsUser=0");
    pg_group_table_release(&table);
    pg_arena_free(arena);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_groups_count_and_keep_the_byte_smallest_name)                               \
    PG_TEST_ENTRY(test_groups_say_one_other_in_the_singular)                                       \
    PG_TEST_ENTRY(test_groups_beyond_the_cap_are_counted_as_dropped)                               \
    PG_TEST_ENTRY(test_groups_filter_by_mask_and_merge_equal_texts)

PG_TEST_MAIN(TESTS)
