/* SPDX-License-Identifier: Apache-2.0 */
/* Text helpers of the renderers (spec §1.5). */
#include "harness.h"

#include "checks/pod_builder.h"
#include "checks/text.h"

static void test_text_sorted_set_uses_byte_order_and_dedupes(void)
{
    static const char *const items[] = {"other", "Unmasked", "9",  "20", "10",
                                        "other", "",         "ab", "a"};
    struct pg_text_list list;
    struct pg_buf out = PG_BUF_INIT;
    size_t i = 0;
    pg_text_list_init(&list);
    for (i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
        pg_text_list_push_str(&list, pb_str(items[i]));
    }
    pg_text_list_sort_strs(&list);
    pg_text_put_quote_list(&out, &list);
    PG_EXPECT_STR(out.ptr, "\"\", \"10\", \"20\", \"9\", \"Unmasked\", \"a\", \"ab\", \"other\"");
    pg_text_list_release(&list);
    pg_buf_release(&out);
}

static void test_text_numbers_sort_as_decimal_text(void)
{
    static const int64_t numbers[] = {8080, 9, 10000, 9, -5, 443};
    struct pg_text_list list;
    size_t i = 0;
    pg_text_list_init(&list);
    for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
        union pg_text_item item = {.number = numbers[i]};
        pg_text_list_push(&list, item);
    }
    pg_text_list_sort_numbers(&list);
    PG_EXPECT_INT(list.len, 5);
    PG_EXPECT_INT(list.items[0].number, -5);
    PG_EXPECT_INT(list.items[1].number, 10000);
    PG_EXPECT_INT(list.items[2].number, 443);
    PG_EXPECT_INT(list.items[3].number, 8080);
    PG_EXPECT_INT(list.items[4].number, 9);
    pg_text_list_release(&list);
}

static void test_text_list_grows_past_inline_items(void)
{
    char names[100][8];
    struct pg_text_list list;
    struct pg_buf out = PG_BUF_INIT;
    size_t i = 0;
    pg_text_list_init(&list);
    for (i = 0; i < 100; i++) {
        (void)snprintf(names[i], sizeof(names[i]), "n%03zu", 99 - i);
        pg_text_list_push_str(&list, pb_str(names[i]));
    }
    pg_text_list_sort_strs(&list);
    PG_EXPECT_INT(list.len, 100);
    pg_text_put_joined(&out, &list, PG_STR_LIT(","));
    PG_EXPECT_INT(out.len, 100 * 4 + 99);
    PG_EXPECT(strncmp(out.ptr, "n000,n001,", 10) == 0);
    pg_text_list_release(&list);
    pg_buf_release(&out);
}

static void test_text_quote_list_of_nothing_is_empty(void)
{
    struct pg_text_list list;
    struct pg_buf out = PG_BUF_INIT;
    pg_text_list_init(&list);
    pg_buf_puts(&out, "[");
    pg_text_put_quote_list(&out, &list);
    pg_buf_puts(&out, "]");
    PG_EXPECT_STR(out.ptr, "[]");
    pg_buf_release(&out);
}

static void test_text_plural_uses_plural_for_zero(void)
{
    struct pg_buf out = PG_BUF_INIT;
    pg_text_put_plural(&out, 0, PG_STR_LIT("a"), PG_STR_LIT("b"));
    pg_text_put_plural(&out, 1, PG_STR_LIT("a"), PG_STR_LIT("b"));
    pg_text_put_plural(&out, 2, PG_STR_LIT("a"), PG_STR_LIT("b"));
    PG_EXPECT_STR(out.ptr, "bab");
    pg_buf_release(&out);
}

static void test_text_setters_join_pod_and_containers(void)
{
    struct pb b;
    struct pg_text_list list;
    struct pg_buf out = PG_BUF_INIT;
    union pg_text_item item = {.index = 1};
    pb_init(&b);
    pb_container(&b, "a");
    pb_container(&b, "b");
    pg_text_list_init(&list);
    pg_text_put_setters(&out, true, &b.pod, &list);
    pg_buf_puts(&out, "|");
    pg_text_list_push(&list, item);
    pg_text_put_setters(&out, true, &b.pod, &list);
    pg_buf_puts(&out, "|");
    item.index = 0;
    pg_text_list_push(&list, item);
    pg_text_put_setters(&out, false, &b.pod, &list);
    PG_EXPECT_STR(out.ptr, "pod|pod and container \"b\"|containers \"b\", \"a\"");
    pg_buf_release(&out);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_text_sorted_set_uses_byte_order_and_dedupes)                                \
    PG_TEST_ENTRY(test_text_numbers_sort_as_decimal_text)                                          \
    PG_TEST_ENTRY(test_text_list_grows_past_inline_items)                                          \
    PG_TEST_ENTRY(test_text_quote_list_of_nothing_is_empty)                                        \
    PG_TEST_ENTRY(test_text_plural_uses_plural_for_zero)                                           \
    PG_TEST_ENTRY(test_text_setters_join_pod_and_containers)

PG_TEST_MAIN(TESTS)
