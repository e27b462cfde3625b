/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Text helpers of the check renderers: upstream's joinQuote, pluralize and
 * sets.String.List() (byte order), over small inline lists.
 */
#include "checks/text.h"

#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void pg_text_list_init(struct pg_text_list *list)
{
    list->items = list->inline_items;
    list->len = 0;
    list->cap = PG_TEXT_INLINE;
}

void pg_text_list_release(struct pg_text_list *list)
{
    if (list->items != list->inline_items) {
        free(list->items);
    }
    pg_text_list_init(list);
}

void pg_text_list_push(struct pg_text_list *list, union pg_text_item item)
{
    if (list->len == list->cap) {
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
    list->items[list->len] = item;
    list->len++;
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

/* Decimal text of `value` at the end of `buf`; returns the view. */
static struct pg_str decimal(char (*buf)[24], int64_t value)
{
    char *end = *buf + sizeof(*buf);
    char *pos = end;
    uint64_t magnitude = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;
    do {
        pos--;
        *pos = (char)('0' + (int)(magnitude % 10));
        magnitude /= 10;
    } while (magnitude != 0);
    if (value < 0) {
        pos--;
        *pos = '-';
    }
    return (struct pg_str){pos, (size_t)(end - pos)};
}

static int compare_number_items(const void *left, const void *right)
{
    char left_buf[24];
    char right_buf[24];
    const union pg_text_item *a = left;
    const union pg_text_item *b = right;
    return compare_bytes(decimal(&left_buf, a->number), decimal(&right_buf, b->number));
}

void pg_text_list_sort_strs(struct pg_text_list *list)
{
    size_t kept = 0;
    size_t i = 0;
    if (list->len < 2) {
        return;
    }
    qsort(list->items, list->len, sizeof(*list->items), compare_str_items);
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
    qsort(list->items, list->len, sizeof(*list->items), compare_number_items);
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

void pg_text_put_reason(struct pg_buf *reason, const char *text)
{
    if (reason != NULL) {
        pg_buf_puts(reason, text);
    }
}

void pg_text_put_plural(struct pg_buf *out, size_t n, const char *singular, const char *plural)
{
    pg_buf_puts(out, n == 1 ? singular : plural);
}

void pg_text_put_quote_list(struct pg_buf *out, const struct pg_text_list *strs)
{
    size_t i = 0;
    for (i = 0; i < strs->len; i++) {
        pg_buf_puts(out, i == 0 ? "\"" : ", \"");
        pg_buf_put_str(out, strs->items[i].str);
        pg_buf_putc(out, '"');
    }
}

void pg_text_put_joined(struct pg_buf *out, const struct pg_text_list *strs, const char *separator)
{
    size_t i = 0;
    for (i = 0; i < strs->len; i++) {
        if (i > 0) {
            pg_buf_puts(out, separator);
        }
        pg_buf_put_str(out, strs->items[i].str);
    }
}

void pg_text_put_containers(struct pg_buf *out, const struct pg_pod *pod,
                            const struct pg_text_list *indices)
{
    size_t i = 0;
    pg_text_put_plural(out, indices->len, "container ", "containers ");
    for (i = 0; i < indices->len; i++) {
        uint32_t index = indices->items[i].index;
        pg_buf_puts(out, i == 0 ? "\"" : ", \"");
        if (index < pod->containers_len) {
            pg_buf_put_str(out, pod->containers[index].name);
        }
        pg_buf_putc(out, '"');
    }
}

void pg_text_put_setters(struct pg_buf *out, bool pod_is_setter, const struct pg_pod *pod,
                         const struct pg_text_list *indices)
{
    if (pod_is_setter) {
        pg_buf_puts(out, "pod");
    }
    if (indices->len == 0) {
        return;
    }
    if (pod_is_setter) {
        pg_buf_puts(out, " and ");
    }
    pg_text_put_containers(out, pod, indices);
}
