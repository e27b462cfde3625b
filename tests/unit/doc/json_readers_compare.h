/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The JSON readers side by side, for tests/unit/doc/test_json_fast.c and
 * fuzz/json_doc_fuzz.c: read one input into an outcome (every document's
 * result, error and tree), with or without the fast reader and unread keys,
 * and say where two outcomes differ. The fast reader must give what the
 * checking reader gives, but for unread nodes standing where the checking
 * reader built containers, and the duplicate-key warnings inside them (which, past the cap on
 * warnings, also changes which of the others are kept).
 */
#ifndef PG_TEST_JSON_READERS_COMPARE_H
#define PG_TEST_JSON_READERS_COMPARE_H

#include "doc/reader.h"
#include "doc_test_util.h"
#include "podgate/doc.h"

#include <string.h>

/* Every document read (doc_test_util.h), and the index the reader would give next. */
struct outcome {
    struct docs docs;
    size_t next_index;
};

static inline void read_outcome(struct outcome *out, const char *text, size_t len,
                                const struct pg_limits *limits, bool checked_only,
                                pg_doc_unread_fn unread)
{
    struct pg_doc_reader *reader = NULL;
    memset(out, 0, sizeof(*out));
    out->docs.new_rc =
        pg_doc_reader_new(&reader, text, len, PG_FORMAT_JSON, limits, &out->docs.new_err);
    if (out->docs.new_rc < 0) {
        return;
    }
    reader->json_checked_only = checked_only;
    reader->json_unread = unread;
    read_docs_from(&out->docs, reader);
    out->next_index = pg_doc_reader_next_index(reader);
    pg_doc_reader_free(reader);
}

static inline void release_outcome(struct outcome *out)
{
    free_docs(&out->docs);
}

static inline bool same_str(struct pg_str a, struct pg_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static inline bool same_scalar(const struct pg_node *a, const struct pg_node *b)
{
    switch (a->kind) {
    case PG_NODE_NULL:
        return true;
    case PG_NODE_BOOL:
        return a->as.boolean == b->as.boolean;
    case PG_NODE_INT:
        return a->as.integer == b->as.integer;
    case PG_NODE_FLOAT:
        return a->as.number == b->as.number; /* JSON has no NaN */
    case PG_NODE_STR:
        return same_str(a->as.str, b->as.str);
    case PG_NODE_SEQ:
    case PG_NODE_MAP:
    case PG_NODE_UNREAD:
        return true;
    }
    return false;
}

/* Whether an unread node's text is the source of a container of `kind`: `{…}` or `[…]`. */
static inline bool unread_text_is(const struct pg_node *a, enum pg_node_kind kind)
{
    char open = kind == PG_NODE_MAP ? '{' : '[';
    char close = kind == PG_NODE_MAP ? '}' : ']';
    return a->text.len >= 2 && a->text.ptr[0] == open && a->text.ptr[a->text.len - 1] == close;
}

/* Whether `a` is an unread node standing for the container `b`, at the same place. */
static inline bool unread_stands_for(const struct pg_node *a, const struct pg_node *b)
{
    return a->kind == PG_NODE_UNREAD && (b->kind == PG_NODE_SEQ || b->kind == PG_NODE_MAP) &&
           a->line == b->line && a->column == b->column && a->key_line == b->key_line &&
           a->key_column == b->key_column && unread_text_is(a, b->kind) && a->as.map.len == 0;
}

static inline bool same_tree(const struct pg_node *a, const struct pg_node *b)
{
    size_t i = 0;
    if (a == NULL || b == NULL) {
        return a == b;
    }
    if (unread_stands_for(a, b)) {
        return true;
    }
    if (a->kind != b->kind || a->line != b->line || a->column != b->column ||
        a->key_line != b->key_line || a->key_column != b->key_column ||
        !same_str(a->text, b->text) || !same_scalar(a, b)) {
        return false;
    }
    if (a->kind == PG_NODE_SEQ) {
        if (a->as.seq.len != b->as.seq.len) {
            return false;
        }
        for (i = 0; i < a->as.seq.len; i++) {
            if (!same_tree(a->as.seq.items[i], b->as.seq.items[i])) {
                return false;
            }
        }
    }
    if (a->kind == PG_NODE_MAP) {
        if (a->as.map.len != b->as.map.len) {
            return false;
        }
        for (i = 0; i < a->as.map.len; i++) {
            if (!same_str(a->as.map.entries[i].key, b->as.map.entries[i].key) ||
                !same_tree(a->as.map.entries[i].value, b->as.map.entries[i].value)) {
                return false;
            }
        }
    }
    return true;
}

static inline bool same_warning(const struct pg_diag *a, const struct pg_diag *b)
{
    return a->line == b->line && a->column == b->column && same_str(a->message, b->message);
}

/* Whether the reader stopped adding duplicate-key warnings to `doc` (tree.c, warn_dropped). */
static inline bool warnings_capped(const struct pg_doc *doc)
{
    static const char SUMMARY[] = " more duplicate keys in this document ";
    const size_t summary_len = sizeof(SUMMARY) - 1;
    const struct pg_str *last = NULL;
    size_t i = 0;
    if (doc->warnings_len == 0) {
        return false;
    }
    last = &doc->warnings[doc->warnings_len - 1].message;
    for (i = 0; i + summary_len <= last->len; i++) {
        if (memcmp(last->ptr + i, SUMMARY, summary_len) == 0) {
            return true;
        }
    }
    return false;
}

/*
 * Whether `a` is `b`, but for unread nodes in `a` when `unread`: then `a` lacks the duplicate-key
 * warnings of the values it did not build, so its warnings need only be a subsequence of b's;
 * unless b's were capped, when which ones b kept depends on those values.
 */
static inline bool same_doc(const struct pg_doc *a, const struct pg_doc *b, bool unread)
{
    size_t i = 0;
    size_t j = 0;
    if (a->index != b->index || a->line != b->line ||
        (unread ? a->warnings_len > b->warnings_len : a->warnings_len != b->warnings_len)) {
        return false;
    }
    if (unread && warnings_capped(b)) {
        return same_tree(a->root, b->root);
    }
    for (i = 0; i < a->warnings_len; i++, j++) {
        while (unread && j < b->warnings_len && !same_warning(&a->warnings[i], &b->warnings[j])) {
            j++;
        }
        if (j == b->warnings_len || !same_warning(&a->warnings[i], &b->warnings[j])) {
            return false;
        }
    }
    return same_tree(a->root, b->root);
}

/* Where two outcomes differ first, or NULL. */
static inline const char *difference(const struct outcome *fast_outcome,
                                     const struct outcome *checked_outcome, bool unread)
{
    const struct docs *fast = &fast_outcome->docs;
    const struct docs *checked = &checked_outcome->docs;
    size_t i = 0;
    if (fast->new_rc != checked->new_rc || fast->count != checked->count ||
        fast_outcome->next_index != checked_outcome->next_index) {
        return "number of documents";
    }
    for (i = 0; i < fast->count; i++) {
        const struct pg_error *a = &fast->err[i];
        const struct pg_error *b = &checked->err[i];
        if (fast->rc[i] != checked->rc[i] || fast->index[i] != checked->index[i]) {
            return "result of a document";
        }
        if (fast->rc[i] < 0 && (a->code != b->code || a->line != b->line ||
                                a->column != b->column || strcmp(a->message, b->message) != 0)) {
            return "error";
        }
        if (fast->rc[i] == 1 && !same_doc(fast->doc[i], checked->doc[i], unread)) {
            return "tree";
        }
    }
    return NULL;
}

#endif
