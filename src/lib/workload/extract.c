/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Typed field readers. The API server would reject a wrong type when decoding,
 * so guessing (e.g. reading "maybe" as false) could only turn a rejected pod
 * into an allowed one; every mismatch is an error instead.
 */
#include "workload/extract.h"

#include "podgate/buf.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

size_t pg_extract_push(struct pg_extract *ctx, const char *key)
{
    size_t old = ctx->depth;
    if (ctx->depth < PG_EXTRACT_MAX_DEPTH) {
        ctx->segments[ctx->depth].key = key;
        ctx->segments[ctx->depth].index = 0;
        ctx->depth++;
    }
    return old;
}

size_t pg_extract_push_index(struct pg_extract *ctx, size_t index)
{
    size_t old = ctx->depth;
    if (ctx->depth < PG_EXTRACT_MAX_DEPTH) {
        ctx->segments[ctx->depth].key = NULL;
        ctx->segments[ctx->depth].index = index;
        ctx->depth++;
    }
    return old;
}

void pg_extract_pop(struct pg_extract *ctx, size_t old_depth)
{
    ctx->depth = old_depth;
}

const char *pg_extract_path(struct pg_extract *ctx)
{
    size_t len = 0;
    ctx->path[0] = '\0';
    for (size_t i = 0; i < ctx->depth && len < sizeof(ctx->path); i++) {
        const struct pg_extract_segment *segment = &ctx->segments[i];
        int written = segment->key != NULL ? snprintf(ctx->path + len, sizeof(ctx->path) - len,
                                                      "%s%s", len > 0 ? "." : "", segment->key)
                                           : snprintf(ctx->path + len, sizeof(ctx->path) - len,
                                                      "[%zu]", segment->index);
        if (written < 0) {
            break;
        }
        len += (size_t)written;
    }
    return ctx->path;
}

/* Longest part of an offending value quoted in a message. */
#define SHOWN_VALUE_MAX 64

/*
 * The start of a scalar's text for a message: strings Go-quoted (control
 * characters and invalid UTF-8 escaped, so input cannot reach a terminal raw),
 * other scalars as written. Cut at SHOWN_VALUE_MAX bytes, on a character.
 */
static void show_value(char *buf, size_t size, const struct pg_node *node)
{
    struct pg_buf out = PG_BUF_INIT;
    struct pg_str text = node->text;
    bool cut = text.len > SHOWN_VALUE_MAX;
    if (cut) {
        text.len = SHOWN_VALUE_MAX;
        while (text.len > 0 && ((unsigned char)text.ptr[text.len] & 0xC0) == 0x80) {
            text.len--;
        }
    }
    if (node->kind == PG_NODE_STR) {
        pg_buf_put_go_quoted(&out, text);
    } else {
        pg_buf_put_str(&out, text);
    }
    (void)snprintf(buf, size, "%s%s", pg_buf_failed(&out) ? "" : pg_buf_str(&out).ptr,
                   cut ? "…" : "");
    pg_buf_release(&out);
}

int pg_extract_type_error(struct pg_extract *ctx, const struct pg_node *node, const char *want)
{
    const char *path = pg_extract_path(ctx);
    char value[4 * SHOWN_VALUE_MAX + 8];
    if (node->kind == PG_NODE_UNREAD) {
        /* A field the admission reader was told nobody reads (admission/unread.c). */
        return pg_error_set_at(ctx->err, PG_ETYPE, node->line, node->column, path,
                               "%s: internal error: this field is read but was left unread when "
                               "decoding the request",
                               path);
    }
    if (node->kind == PG_NODE_STR || node->kind == PG_NODE_FLOAT || node->kind == PG_NODE_INT ||
        node->kind == PG_NODE_BOOL) {
        show_value(value, sizeof(value), node);
        return pg_error_set_at(ctx->err, PG_ETYPE, node->line, node->column, path,
                               "%s: expected %s, got %s %s", path, want,
                               pg_node_kind_name(node->kind), value);
    }
    return pg_error_set_at(ctx->err, PG_ETYPE, node->line, node->column, path,
                           "%s: expected %s, got %s", path, want, pg_node_kind_name(node->kind));
}

int pg_extract_check_text(struct pg_extract *ctx, const struct pg_node *node)
{
    const char *path = NULL;
    if (memchr(node->as.str.ptr, '\0', node->as.str.len) == NULL) {
        return 0;
    }
    /* JSON \u0000 and YAML \0 make one; C code and the API server's validation do not expect
       it (a NUL would cut a name short wherever it becomes a C string). */
    path = pg_extract_path(ctx);
    return pg_error_set_at(ctx->err, PG_ETYPE, node->line, node->column, path,
                           "%s: a string must not contain a NUL character", path);
}

/* Look up `key`; returns the node or NULL when unset (absent or null). */
static const struct pg_node *lookup(const struct pg_node *map, const char *key, size_t key_len)
{
    const struct pg_node *node = pg_node_get_n(map, key, key_len);
    return pg_node_unset(node) ? NULL : node;
}

static int typed(struct pg_extract *ctx, const struct pg_node **out, const struct pg_node *map,
                 const char *key, size_t key_len, enum pg_node_kind kind, const char *want)
{
    const struct pg_node *node = lookup(map, key, key_len);
    size_t saved = 0;
    int rc = 0;
    *out = NULL;
    if (node == NULL) {
        return 0;
    }
    if (node->kind != kind) {
        saved = pg_extract_push(ctx, key);
        rc = pg_extract_type_error(ctx, node, want);
        pg_extract_pop(ctx, saved);
        return rc;
    }
    *out = node;
    return 0;
}

int pg_extract_map_n(struct pg_extract *ctx, const struct pg_node **out, const struct pg_node *map,
                     const char *key, size_t key_len)
{
    return typed(ctx, out, map, key, key_len, PG_NODE_MAP, "object");
}

int pg_extract_seq_n(struct pg_extract *ctx, const struct pg_node **out, const struct pg_node *map,
                     const char *key, size_t key_len)
{
    int rc = typed(ctx, out, map, key, key_len, PG_NODE_SEQ, "list");
    if (rc == 0 && *out != NULL && (*out)->as.seq.len > ctx->limits->max_items) {
        size_t saved = pg_extract_push(ctx, key);
        const char *path = pg_extract_path(ctx);
        rc = pg_error_set_at(ctx->err, PG_ELIMIT, (*out)->line, (*out)->column, path,
                             "%s: %zu items exceed the limit of %zu (max_items)", path,
                             (*out)->as.seq.len, ctx->limits->max_items);
        pg_extract_pop(ctx, saved);
    }
    return rc;
}

int pg_extract_bool_n(struct pg_extract *ctx, struct pg_bool_field *out, const struct pg_node *map,
                      const char *key, size_t key_len)
{
    int rc = typed(ctx, &out->node, map, key, key_len, PG_NODE_BOOL, "boolean");
    out->value = rc == 0 && out->node != NULL && out->node->as.boolean;
    return rc;
}

/*
 * A float that kubectl sends as an integer, and its value; false otherwise. Go writes a float
 * with its shortest round-trip digits, which are the exact integer only up to 2^53: past it,
 * 2^63 - 1024 goes out as 9223372036854775000, and -2^63 as a number beyond int64.
 */
static bool whole_float(const struct pg_node *node, int64_t *value)
{
    double number = node->as.number;
    /* The range test comes first (and fails for NaN): converting a double outside int64 is
       undefined. */
    if (!(number >= -0x1p53 && number <= 0x1p53) || number != (double)(int64_t)number) {
        return false;
    }
    *value = (int64_t)number;
    return true;
}

int pg_extract_int_n(struct pg_extract *ctx, struct pg_int_field *out, const struct pg_node *map,
                     const char *key, size_t key_len, int64_t min, int64_t max)
{
    const struct pg_node *node = lookup(map, key, key_len);
    int64_t value = 0;
    size_t saved = 0;
    int rc = 0;
    memset(out, 0, sizeof(*out));
    if (node == NULL) {
        return 0;
    }
    if (node->kind == PG_NODE_INT) {
        value = node->as.integer;
    } else if (!(node->kind == PG_NODE_FLOAT && ctx->whole_floats && whole_float(node, &value))) {
        saved = pg_extract_push(ctx, key);
        rc = pg_extract_type_error(ctx, node, "integer");
        pg_extract_pop(ctx, saved);
        return rc;
    }
    if (value < min || value > max) {
        const char *path = NULL;
        saved = pg_extract_push(ctx, key);
        path = pg_extract_path(ctx);
        rc = pg_error_set_at(ctx->err, PG_ETYPE, node->line, node->column, path,
                             "%s: %" PRId64 " is out of range [%" PRId64 ", %" PRId64 "]", path,
                             value, min, max);
        pg_extract_pop(ctx, saved);
        return rc;
    }
    out->node = node;
    out->value = value;
    return 0;
}

int pg_extract_str_n(struct pg_extract *ctx, struct pg_str_field *out, const struct pg_node *map,
                     const char *key, size_t key_len)
{
    int rc = typed(ctx, &out->node, map, key, key_len, PG_NODE_STR, "string");
    out->value.ptr = "";
    out->value.len = 0;
    if (rc == 0 && out->node != NULL) {
        size_t saved = pg_extract_push(ctx, key);
        rc = pg_extract_check_text(ctx, out->node);
        pg_extract_pop(ctx, saved);
    }
    if (rc == 0 && out->node != NULL) {
        out->value = out->node->as.str;
    }
    return rc;
}

int pg_extract_str_list_n(struct pg_extract *ctx, struct pg_str_field **out, size_t *len_out,
                          const struct pg_node *map, const char *key, size_t key_len)
{
    const struct pg_node *seq = NULL;
    size_t i = 0;
    int rc = pg_extract_seq_n(ctx, &seq, map, key, key_len);
    *out = NULL;
    *len_out = 0;
    if (rc != 0 || seq == NULL) {
        return rc;
    }
    *out = pg_arena_calloc(ctx->arena, seq->as.seq.len, sizeof(**out));
    for (i = 0; i < seq->as.seq.len; i++) {
        const struct pg_node *item = seq->as.seq.items[i];
        size_t saved = pg_extract_push(ctx, key);
        pg_extract_push_index(ctx, i);
        rc = item->kind != PG_NODE_STR ? pg_extract_type_error(ctx, item, "string")
                                       : pg_extract_check_text(ctx, item);
        pg_extract_pop(ctx, saved);
        if (rc != 0) {
            return rc;
        }
        (*out)[i].node = item;
        (*out)[i].value = item->as.str;
    }
    *len_out = seq->as.seq.len;
    return 0;
}
