/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Text helpers of the check renderers: upstream's joinQuote, pluralize and
 * sets.String.List() (byte order), over small inline lists.
 */
#include "checks/text.h"

#include "util/decimal.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void pg_text_list_grow(struct pg_text_list *list)
{
    size_t cap = list->cap * 2;
    union pg_text_item *grown = NULL;
    if (list->items == list->inline_items) {
        grown = pg_xrealloc(NULL, cap, sizeof(*grown));
        memcpy(grown, list->inline_items, sizeof(list->inline_items));
    } else {
        grown = pg_xrealloc(list->items, cap, sizeof(*grown));
    }
    list->items = grown;
    list->cap = cap;
}

void pg_text_list_push_str(struct pg_text_list *list, struct pg_str text)
{
    union pg_text_item item;
    item.str = pg_check_str_or_empty(text);
    pg_text_list_push(list, item);
}

static int compare_bytes(struct pg_str left, struct pg_str right)
{
    size_t common = left.len < right.len ? left.len : right.len;
    int order = common != 0 ? memcmp(left.ptr, right.ptr, common) : 0;
    if (order != 0) {
        return order;
    }
    return (left.len > right.len) - (left.len < right.len);
}

static int compare_str_items(const void *left, const void *right)
{
    const union pg_text_item *a = left;
    const union pg_text_item *b = right;
    return compare_bytes(a->str, b->str);
}

static int compare_number_items(const void *left, const void *right)
{
    char left_buf[24];
    char right_buf[24];
    const union pg_text_item *a = left;
    const union pg_text_item *b = right;
    return compare_bytes(pg_decimal(&left_buf, a->number), pg_decimal(&right_buf, b->number));
}

typedef int (*item_compare_fn)(const void *left, const void *right);

/*
 * Sort the items. Messages list a handful of values, where an insertion sort
 * is cheaper than qsort's setup and indirect calls; long lists go to qsort.
 */
static void sort_items(struct pg_text_list *list, item_compare_fn compare)
{
    size_t i = 0;
    if (list->len > PG_TEXT_INLINE) {
        qsort(list->items, list->len, sizeof(*list->items), compare);
        return;
    }
    for (i = 1; i < list->len; i++) {
        union pg_text_item item = list->items[i];
        size_t j = i;
        while (j > 0 && compare(&list->items[j - 1], &item) > 0) {
            list->items[j] = list->items[j - 1];
            j--;
        }
        list->items[j] = item;
    }
}

void pg_text_list_sort_strs(struct pg_text_list *list)
{
    size_t kept = 0;
    size_t i = 0;
    if (list->len < 2) {
        return;
    }
    sort_items(list, compare_str_items);
    for (i = 1; i < list->len; i++) {
        if (compare_bytes(list->items[kept].str, list->items[i].str) != 0) {
            kept++;
            list->items[kept] = list->items[i];
        }
    }
    list->len = kept + 1;
}

void pg_text_list_sort_numbers(struct pg_text_list *list)
{
    size_t kept = 0;
    size_t i = 0;
    if (list->len < 2) {
        return;
    }
    sort_items(list, compare_number_items);
    for (i = 1; i < list->len; i++) {
        if (list->items[kept].number != list->items[i].number) {
            kept++;
            list->items[kept] = list->items[i];
        }
    }
    list->len = kept + 1;
}

bool pg_text_has_kind(const struct pg_check_view *view, unsigned kinds)
{
    size_t cursor = 0;
    const struct pg_finding *finding = NULL;
    while ((finding = pg_view_next(view, &cursor)) != NULL) {
        if ((PG_KIND_BIT(finding->kind) & kinds) != 0) {
            return true;
        }
    }
    return false;
}

bool pg_text_has_pod(const struct pg_check_view *view, unsigned kinds)
{
    size_t cursor = 0;
    const struct pg_finding *finding = NULL;
    while ((finding = pg_view_next(view, &cursor)) != NULL) {
        if ((PG_KIND_BIT(finding->kind) & kinds) != 0 && finding->container == PG_FINDING_POD) {
            return true;
        }
    }
    return false;
}

void pg_text_collect_containers(struct pg_text_list *out, const struct pg_check_view *view,
                                unsigned kinds)
{
    size_t cursor = 0;
    const struct pg_finding *finding = NULL;
    while ((finding = pg_view_next(view, &cursor)) != NULL) {
        union pg_text_item item;
        if ((PG_KIND_BIT(finding->kind) & kinds) == 0 || finding->container == PG_FINDING_POD) {
            continue;
        }
        if (out->len > 0 && out->items[out->len - 1].index == finding->container) {
            continue;
        }
        item.index = finding->container;
        pg_text_list_push(out, item);
    }
}

void pg_text_collect_values(struct pg_text_list *out, const struct pg_check_view *view,
                            unsigned kinds)
{
    size_t cursor = 0;
    const struct pg_finding *finding = NULL;
    while ((finding = pg_view_next(view, &cursor)) != NULL) {
        if ((PG_KIND_BIT(finding->kind) & kinds) != 0) {
            pg_text_list_push_str(out, finding->value);
        }
    }
    pg_text_list_sort_strs(out);
}

void pg_text_collect_annotations(struct pg_text_list *out, struct pg_buf *scratch,
                                 const struct pg_check_view *view)
{
    size_t cursor = 0;
    size_t offset = 0;
    size_t i = 0;
    const struct pg_finding *finding = NULL;
    /* Build every entry first: the scratch buffer may move while it grows. */
    while ((finding = pg_view_next(view, &cursor)) != NULL) {
        union pg_text_item item;
        size_t start = scratch->len;
        if (finding->kind != PG_FIND_ANNOTATION) {
            continue;
        }
        pg_buf_put_str(scratch, finding->name);
        pg_buf_putc(scratch, '=');
        pg_buf_put_go_quoted(scratch, finding->value);
        item.number = (int64_t)(scratch->len - start);
        pg_text_list_push(out, item);
    }
    for (i = 0; i < out->len; i++) {
        size_t len = (size_t)out->items[i].number;
        out->items[i].str = (struct pg_str){scratch->ptr != NULL ? scratch->ptr + offset : "", len};
        offset += len;
    }
    pg_text_list_sort_strs(out);
}

/* `"text"`, after ", " unless it is the first of a list. */
static void put_quoted_item(struct pg_buf *out, size_t position, struct pg_str text)
{
    if (position > 0) {
        PG_BUF_PUT_LIT(out, ", ");
    }
    PG_BUF_PUT_LIT(out, "\"");
    pg_buf_put_str(out, text);
    PG_BUF_PUT_LIT(out, "\"");
}

void pg_text_put_quote_list(struct pg_buf *out, const struct pg_text_list *strs)
{
    size_t i = 0;
    for (i = 0; i < strs->len; i++) {
        put_quoted_item(out, i, strs->items[i].str);
    }
}

void pg_text_put_subjects_use(struct pg_buf *out, const struct pg_text_list *subjects,
                              struct pg_str subject_one, struct pg_str subject_many,
                              const struct pg_text_list *things, struct pg_str thing_one,
                              struct pg_str thing_many)
{
    pg_text_put_plural(out, subjects->len, subject_one, subject_many);
    pg_text_put_quote_list(out, subjects);
    pg_text_put_plural(out, subjects->len, PG_STR_LIT(" uses "), PG_STR_LIT(" use "));
    pg_text_put_plural(out, things->len, thing_one, thing_many);
    pg_text_put_quote_list(out, things);
}

void pg_text_put_joined(struct pg_buf *out, const struct pg_text_list *strs,
                        struct pg_str separator)
{
    size_t i = 0;
    for (i = 0; i < strs->len; i++) {
        if (i > 0) {
            pg_buf_put_str(out, separator);
        }
        pg_buf_put_str(out, strs->items[i].str);
    }
}

void pg_text_put_containers(struct pg_buf *out, const struct pg_pod *pod,
                            const struct pg_text_list *indices)
{
    size_t i = 0;
    pg_text_put_plural(out, indices->len, PG_STR_LIT("container "), PG_STR_LIT("containers "));
    for (i = 0; i < indices->len; i++) {
        uint32_t index = indices->items[i].index;
        struct pg_str name = PG_STR_LIT("");
        if (index < pod->containers_len) {
            name = pod->containers[index].name;
        }
        put_quoted_item(out, i, name);
    }
}

void pg_text_put_setters(struct pg_buf *out, bool pod_is_setter, const struct pg_pod *pod,
                         const struct pg_text_list *indices)
{
    if (pod_is_setter) {
        PG_BUF_PUT_LIT(out, "pod");
    }
    if (indices->len == 0) {
        return;
    }
    if (pod_is_setter) {
        PG_BUF_PUT_LIT(out, " and ");
    }
    pg_text_put_containers(out, pod, indices);
}
