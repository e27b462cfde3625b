/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Text helpers shared by the check renderers (spec §1.5): quote-list, plural,
 * byte-ordered sorted sets, container lists and the "setters" phrase. Only
 * renderers use this module; judges never build strings.
 *
 * Collections live in a pg_text_list, a small inline array that falls back to
 * the heap for long lists, so rendering a typical violation allocates nothing.
 */
#ifndef PG_CHECKS_TEXT_H
#define PG_CHECKS_TEXT_H

#include "checks/checks.h"
#include "podgate/buf.h"

#include <stdlib.h>

#define PG_TEXT_INLINE 16

union pg_text_item {
    struct pg_str str;
    int64_t number;
    uint32_t index;
};

/*
 * A list of items. `items` points at `inline_items` until the list outgrows
 * it, so a list must not be copied or moved after pg_text_list_init.
 */
struct pg_text_list {
    union pg_text_item *items;
    size_t len;
    size_t cap;
    union pg_text_item inline_items[PG_TEXT_INLINE];
};

/* Move the items to a heap array twice the size (the slow path of pg_text_list_push). */
void pg_text_list_grow(struct pg_text_list *list);

/* The list operations are inline: a renderer builds a few lists of one or two items. */
static inline void pg_text_list_init(struct pg_text_list *list)
{
    list->items = list->inline_items;
    list->len = 0;
    list->cap = PG_TEXT_INLINE;
}

static inline void pg_text_list_release(struct pg_text_list *list)
{
    if (list->items != list->inline_items) {
        free(list->items);
    }
    pg_text_list_init(list);
}

static inline void pg_text_list_push(struct pg_text_list *list, union pg_text_item item)
{
    if (list->len == list->cap) {
        pg_text_list_grow(list);
    }
    list->items[list->len] = item;
    list->len++;
}

void pg_text_list_push_str(struct pg_text_list *list, struct pg_str text);

/* Sort `str` items by raw bytes (shorter prefix first) and drop duplicates. */
void pg_text_list_sort_strs(struct pg_text_list *list);
/* Sort `number` items by their decimal text ("10" < "20" < "9") and drop duplicates. */
void pg_text_list_sort_numbers(struct pg_text_list *list);

/* ---- collecting from a check's findings ---- */

/* True when the view has a finding whose kind is in `kinds` (a PG_KIND_BIT mask). */
bool pg_text_has_kind(const struct pg_check_view *view, unsigned kinds);
/* True when the view has a pod-level finding (container == PG_FINDING_POD) of `kinds`. */
bool pg_text_has_pod(const struct pg_check_view *view, unsigned kinds);
/*
 * Container indices of container findings of `kinds`, in finding order, each
 * container once. Judges emit findings in visiting order, so duplicates are
 * adjacent; two containers that share a name stay two entries (spec §1.4).
 */
void pg_text_collect_containers(struct pg_text_list *out, const struct pg_check_view *view,
                                unsigned kinds);
/* The `value` of every finding of `kinds`, as a sorted set. */
void pg_text_collect_values(struct pg_text_list *out, const struct pg_check_view *view,
                            unsigned kinds);
/*
 * `name=go-quote(value)` for every PG_FIND_ANNOTATION finding, built in
 * `scratch` (which must outlive `out`), as a sorted set.
 */
void pg_text_collect_annotations(struct pg_text_list *out, struct pg_buf *scratch,
                                 const struct pg_check_view *view);

/* ---- writing ---- */

/*
 * The pieces of text are views (PG_STR_LIT at the call sites), so their lengths
 * are compile-time constants and rendering never measures a literal.
 */

/* Append `reason` when the buffer is given (renderers may be asked for the detail only). */
static inline void pg_text_put_reason(struct pg_buf *reason, struct pg_str text)
{
    if (reason != NULL) {
        pg_buf_put_str(reason, text);
    }
}

/* singular when n == 1, otherwise plural (also for 0). */
static inline void pg_text_put_plural(struct pg_buf *out, size_t n, struct pg_str singular,
                                      struct pg_str plural)
{
    pg_buf_put_str(out, n == 1 ? singular : plural);
}
/* `"a", "b"` from `str` items; nothing for an empty list. Items are not escaped. */
void pg_text_put_quote_list(struct pg_buf *out, const struct pg_text_list *strs);
/*
 * Upstream's `<subjects> "a", "b" use <things> "x", "y"` (`uses` for one subject): each noun is
 * given as singular and plural, with its trailing space (`volume `, `volumes `).
 */
void pg_text_put_subjects_use(struct pg_buf *out, const struct pg_text_list *subjects,
                              struct pg_str subject_one, struct pg_str subject_many,
                              const struct pg_text_list *things, struct pg_str thing_one,
                              struct pg_str thing_many);
/* `str` items joined with `separator`, unquoted. */
void pg_text_put_joined(struct pg_buf *out, const struct pg_text_list *strs,
                        struct pg_str separator);
/* `container "a"` or `containers "a", "b"` from container indices. */
void pg_text_put_containers(struct pg_buf *out, const struct pg_pod *pod,
                            const struct pg_text_list *indices);
/* `pod`, `containers "a", "b"` or `pod and containers "a", "b"`. */
void pg_text_put_setters(struct pg_buf *out, bool pod_is_setter, const struct pg_pod *pod,
                         const struct pg_text_list *indices);

#endif
