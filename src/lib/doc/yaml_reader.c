/* SPDX-License-Identifier: Apache-2.0 */
/*
 * YAML documents through libyaml's event API. Each document is parsed by a
 * fresh parser over its own chunk of the input (yaml_split.c); events drive the
 * tree builder directly, so no libyaml document tree is ever built. Anchors,
 * aliases, tags and go-yaml v2 scalar resolution are handled here; limits and
 * map semantics in tree.c.
 */
#include "doc/reader.h"
#include "doc/scalar.h"
#include "doc/yaml_split.h"

#include "podgate/arena.h"
#include "util/hash.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define YAML_TAG_PREFIX "tag:yaml.org,2002:"
#define TAG_SHOWN_MAX 100

/* A named node. `open` while its container is still being read. */
struct pg_yaml_anchor {
    struct pg_str name;
    struct pg_node *node;
    size_t expanded; /* nodes a walk through it visits, aliases followed */
    bool open;
};

/* The anchor of a container that is still open. */
struct pg_yaml_open_anchor {
    size_t anchor;
    size_t depth;
    size_t expanded_at_open;
};

enum tag_kind {
    TAG_NONE,
    TAG_NONSPECIFIC, /* `!` */
    TAG_STR,
    TAG_BINARY,
    TAG_INT,
    TAG_BOOL,
    TAG_FLOAT,
    TAG_NULL,
    TAG_MAP,
    TAG_SEQ,
    TAG_MERGE,
    TAG_UNKNOWN,
};

/* State of one document's parse. */
struct yaml_ctx {
    struct pg_doc_reader *reader;
    struct pg_tree *tree;
    const char *chunk;
    size_t chunk_len;
    uint32_t first_line; /* line of the chunk's first byte */
    bool ascii;          /* the chunk has no multi-byte characters: index == byte offset */
    size_t cursor_index; /* libyaml counts characters; this maps them to bytes */
    size_t cursor_byte;
    size_t expanded;
    size_t alias_total;
    size_t documents;
    yaml_parser_t parser;
};

static uint32_t mark_line(const struct yaml_ctx *ctx, const yaml_mark_t *mark)
{
    return ctx->first_line + (uint32_t)mark->line;
}

static uint32_t mark_column(const yaml_mark_t *mark)
{
    return (uint32_t)mark->column + 1;
}

static int error_at(struct yaml_ctx *ctx, const yaml_mark_t *mark, enum pg_error_code code,
                    const char *message, struct pg_error *err)
{
    return pg_error_set_at(err, code, mark_line(ctx, mark), mark_column(mark), NULL, "%s", message);
}

/* ---- anchors ---------------------------------------------------------------------------- */

/* Slot of `name` in the index: its anchor number + 1 there, or an empty slot (0). */
static size_t anchor_slot(struct pg_doc_reader *reader, const char *name, size_t len)
{
    size_t mask = reader->anchor_index_cap - 1;
    size_t i = pg_hash_bytes(pg_tree_seed(&reader->tree), name, len) & mask;
    while (reader->anchor_index[i] != 0) {
        const struct pg_str *have = &reader->anchors[reader->anchor_index[i] - 1].name;
        if (have->len == len && memcmp(have->ptr, name, len) == 0) {
            return i;
        }
        i = (i + 1) & mask;
    }
    return i;
}

static void anchor_index_grow(struct pg_doc_reader *reader)
{
    size_t i = 0;
    size_t cap = reader->anchor_index_cap != 0 ? reader->anchor_index_cap * 2 : 64;
    free(reader->anchor_index);
    reader->anchor_index = pg_xcalloc(cap, sizeof(*reader->anchor_index));
    reader->anchor_index_cap = cap;
    /* Re-insert in definition order so a redefined name ends on its latest anchor. */
    for (i = 0; i < reader->anchors_len; i++) {
        const struct pg_str *name = &reader->anchors[i].name;
        reader->anchor_index[anchor_slot(reader, name->ptr, name->len)] = (uint32_t)(i + 1);
    }
}

/* Record `node` under `name`; a later anchor with the same name hides this one. */
static size_t anchor_define(struct yaml_ctx *ctx, const char *name, struct pg_node *node, bool open)
{
    struct pg_doc_reader *reader = ctx->reader;
    struct pg_yaml_anchor *anchor = NULL;
    size_t len = strlen(name);
    size_t number = reader->anchors_len;
    if ((reader->anchors_len + 1) * 2 > reader->anchor_index_cap) {
        anchor_index_grow(reader);
    }
    if (reader->anchors_len == reader->anchors_cap) {
        reader->anchors_cap = reader->anchors_cap != 0 ? reader->anchors_cap * 2 : 16;
        reader->anchors = pg_xrealloc(reader->anchors, reader->anchors_cap, sizeof(*anchor));
    }
    anchor = &reader->anchors[reader->anchors_len++];
    anchor->name = pg_tree_copy_str(ctx->tree, name, len);
    anchor->node = node;
    anchor->expanded = 1;
    anchor->open = open;
    reader->anchor_index[anchor_slot(reader, name, len)] = (uint32_t)(number + 1);
    return number;
}

static struct pg_yaml_anchor *anchor_find(struct pg_doc_reader *reader, const char *name)
{
    size_t slot = 0;
    if (reader->anchors_len == 0) {
        return NULL;
    }
    slot = anchor_slot(reader, name, strlen(name));
    if (reader->anchor_index[slot] == 0) {
        return NULL;
    }
    return &reader->anchors[reader->anchor_index[slot] - 1];
}

static void anchors_reset(struct pg_doc_reader *reader)
{
    if (reader->anchors_len != 0) {
        memset(reader->anchor_index, 0, reader->anchor_index_cap * sizeof(*reader->anchor_index));
    }
    reader->anchors_len = 0;
    reader->open_anchors_len = 0;
}

static void anchor_push_open(struct yaml_ctx *ctx, size_t anchor, size_t expanded_at_open)
{
    struct pg_doc_reader *reader = ctx->reader;
    struct pg_yaml_open_anchor *open = NULL;
    if (reader->open_anchors_len == reader->open_anchors_cap) {
        reader->open_anchors_cap =
            reader->open_anchors_cap != 0 ? reader->open_anchors_cap * 2 : 16;
        reader->open_anchors =
            pg_xrealloc(reader->open_anchors, reader->open_anchors_cap, sizeof(*open));
    }
    open = &reader->open_anchors[reader->open_anchors_len++];
    open->anchor = anchor;
    open->depth = pg_tree_depth(ctx->tree);
    open->expanded_at_open = expanded_at_open;
}

/* After a container at `depth` closed: finish its anchor, if it had one. */
static void anchor_pop_open(struct yaml_ctx *ctx, size_t depth)
{
    struct pg_doc_reader *reader = ctx->reader;
    const struct pg_yaml_open_anchor *open = NULL;
    struct pg_yaml_anchor *anchor = NULL;
    if (reader->open_anchors_len == 0) {
        return;
    }
    open = &reader->open_anchors[reader->open_anchors_len - 1];
    if (open->depth != depth) {
        return;
    }
    anchor = &reader->anchors[open->anchor];
    anchor->open = false;
    anchor->expanded = ctx->expanded - open->expanded_at_open;
    reader->open_anchors_len--;
}

/* ---- tags and scalars ------------------------------------------------------------------- */

static enum tag_kind classify_named_tag(const char *text)
{
    static const struct {
        const char *name;
        enum tag_kind kind;
    } KNOWN[] = {
        {"str", TAG_STR},   {"binary", TAG_BINARY}, {"int", TAG_INT},
        {"bool", TAG_BOOL}, {"float", TAG_FLOAT},   {"null", TAG_NULL},
        {"map", TAG_MAP},   {"seq", TAG_SEQ},       {"merge", TAG_MERGE},
    };
    size_t i = 0;
    if (strcmp(text, "!") == 0) {
        return TAG_NONSPECIFIC;
    }
    if (strncmp(text, YAML_TAG_PREFIX, strlen(YAML_TAG_PREFIX)) != 0) {
        return TAG_UNKNOWN;
    }
    text += strlen(YAML_TAG_PREFIX);
    for (i = 0; i < sizeof(KNOWN) / sizeof(KNOWN[0]); i++) {
        if (strcmp(text, KNOWN[i].name) == 0) {
            return KNOWN[i].kind;
        }
    }
    return TAG_UNKNOWN;
}

/* Inline for the untagged events, which are nearly all of them. */
static inline enum tag_kind classify_tag(const yaml_char_t *tag)
{
    return tag == NULL ? TAG_NONE : classify_named_tag((const char *)tag);
}

/* Report a tag as written: `!!int` rather than its expanded `tag:yaml.org,2002:int`. */
static int tag_error(struct yaml_ctx *ctx, const yaml_event_t *event, const yaml_char_t *tag,
                     const char *what, struct pg_error *err)
{
    const char *text = (const char *)tag;
    const char *prefix = "";
    if (strncmp(text, YAML_TAG_PREFIX, strlen(YAML_TAG_PREFIX)) == 0) {
        text += strlen(YAML_TAG_PREFIX);
        prefix = "!!";
    }
    return pg_error_set_at(err, PG_EPARSE, mark_line(ctx, &event->start_mark),
                           mark_column(&event->start_mark), NULL, "%s tag %s%.*s", what, prefix,
                           TAG_SHOWN_MAX, text);
}

/* Byte offset in the chunk of libyaml's character index (its marks count characters). */
static size_t byte_offset(struct yaml_ctx *ctx, size_t index)
{
    if (ctx->ascii) {
        return index;
    }
    if (index < ctx->cursor_index) {
        ctx->cursor_index = 0;
        ctx->cursor_byte = 0;
    }
    while (ctx->cursor_index < index && ctx->cursor_byte < ctx->chunk_len) {
        unsigned char lead = (unsigned char)ctx->chunk[ctx->cursor_byte];
        size_t width = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        ctx->cursor_byte += width;
        ctx->cursor_index++;
    }
    return ctx->cursor_byte;
}

/*
 * Whether libyaml's value of a scalar is certainly its source text, without
 * comparing them: a plain or single-quoted scalar on one line of ASCII text
 * whose value is as long as its source. Such a scalar has no line to fold,
 * and the only single-quoted escape ('' for ') would make the value shorter.
 * (Double-quoted escapes such as \N can keep the length: those are compared.)
 */
static bool unchanged_on_one_line(const struct yaml_ctx *ctx, const yaml_event_t *event)
{
    size_t span = event->end_mark.index - event->start_mark.index;
    size_t len = event->data.scalar.length;
    if (!ctx->ascii || event->start_mark.line != event->end_mark.line ||
        event->end_mark.index < event->start_mark.index) {
        return false;
    }
    switch (event->data.scalar.style) {
    case YAML_PLAIN_SCALAR_STYLE:
        return span == len;
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
        return span == len + 2;
    case YAML_ANY_SCALAR_STYLE:
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
    case YAML_LITERAL_SCALAR_STYLE:
    case YAML_FOLDED_SCALAR_STYLE:
        return false;
    }
    return false;
}

/*
 * The scalar's text: a view into the input when libyaml's value is the source
 * text itself (plain or quoted without escapes or folding), else an arena copy.
 */
static struct pg_str scalar_text(struct yaml_ctx *ctx, const yaml_event_t *event)
{
    const char *value = (const char *)event->data.scalar.value;
    size_t len = event->data.scalar.length;
    yaml_scalar_style_t style = event->data.scalar.style;
    if (len > 0 && (style == YAML_PLAIN_SCALAR_STYLE || style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                    style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)) {
        size_t start = byte_offset(ctx, event->start_mark.index);
        bool same = false;
        if (style != YAML_PLAIN_SCALAR_STYLE) {
            start++;
        }
        same = start <= ctx->chunk_len && len <= ctx->chunk_len - start;
        if (same && !unchanged_on_one_line(ctx, event)) {
            same = memcmp(ctx->chunk + start, value, len) == 0;
        }
        if (same) {
            struct pg_str view = {ctx->chunk + start, len};
            return view;
        }
    }
    return pg_tree_copy_str(ctx->tree, value, len);
}

/* What a scalar means: go-yaml v2 rules for plain ones, its tag for tagged ones. */
static int resolve_scalar(struct pg_scalar_value *out, struct yaml_ctx *ctx,
                          const yaml_event_t *event, struct pg_str text, struct pg_error *err)
{
    static const enum pg_node_kind TAG_KINDS[] = {
        [TAG_INT] = PG_NODE_INT,
        [TAG_BOOL] = PG_NODE_BOOL,
        [TAG_FLOAT] = PG_NODE_FLOAT,
        [TAG_NULL] = PG_NODE_NULL,
    };
    const yaml_char_t *tag = event->data.scalar.tag;
    enum tag_kind kind = classify_tag(tag);
    memset(out, 0, sizeof(*out));
    out->kind = PG_NODE_STR;
    if (kind == TAG_UNKNOWN || kind == TAG_MERGE) {
        return tag_error(ctx, event, tag, "unknown", err);
    }
    if (kind == TAG_MAP || kind == TAG_SEQ) {
        return tag_error(ctx, event, tag, "a scalar cannot have the", err);
    }
    if (kind == TAG_NONE && event->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        pg_scalar_resolve(out, text.ptr, text.len);
        return 0;
    }
    if (kind == TAG_INT || kind == TAG_BOOL || kind == TAG_FLOAT || kind == TAG_NULL) {
        if (!pg_scalar_resolve_as(out, TAG_KINDS[kind], text.ptr, text.len)) {
            return tag_error(ctx, event, tag, "value does not match its", err);
        }
    }
    return 0;
}

/* ---- events ----------------------------------------------------------------------------- */

static bool is_merge_key(const yaml_event_t *event)
{
    enum tag_kind kind = classify_tag(event->data.scalar.tag);
    return event->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
           (kind == TAG_NONE || kind == TAG_MERGE) && event->data.scalar.length == 2 &&
           memcmp(event->data.scalar.value, "<<", 2) == 0;
}

/* A plain empty root without tag or anchor is how libyaml reports `---` with nothing after. */
static bool is_empty_root(const struct yaml_ctx *ctx, const yaml_event_t *event)
{
    return ctx->tree->frames_len == 0 && event->data.scalar.length == 0 &&
           event->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && event->data.scalar.tag == NULL &&
           event->data.scalar.anchor == NULL;
}

static int alias_budget(struct yaml_ctx *ctx, const yaml_event_t *event, size_t expanded,
                        struct pg_error *err)
{
    size_t max = ctx->reader->limits.max_alias_expansion;
    if (expanded > max || ctx->alias_total > max - expanded) {
        return pg_error_set_at(err, PG_ELIMIT, mark_line(ctx, &event->start_mark),
                               mark_column(&event->start_mark), NULL,
                               "aliases expand to more than %zu nodes (max_alias_expansion)", max);
    }
    ctx->alias_total += expanded;
    ctx->expanded += expanded;
    return 0;
}

static int handle_key_scalar(struct yaml_ctx *ctx, const yaml_event_t *event, struct pg_str text,
                             struct pg_error *err)
{
    struct pg_scalar_value value;
    struct pg_node *node = NULL;
    uint32_t line = mark_line(ctx, &event->start_mark);
    uint32_t column = mark_column(&event->start_mark);
    bool merge = is_merge_key(event);
    int rc = 0;
    /* Keys are kept as written (`yes: 1` has the key "yes"), so only anchors need a value. */
    if (!merge && (event->data.scalar.anchor != NULL || event->data.scalar.tag != NULL)) {
        rc = resolve_scalar(&value, ctx, event, text, err);
        if (rc < 0) {
            return rc;
        }
    }
    pg_tree_key(ctx->tree, text, line, column, merge);
    if (event->data.scalar.anchor != NULL && !merge) {
        /* An anchored key may be used as an alias elsewhere, so it needs a node. */
        rc = pg_tree_node(&node, ctx->tree, value.kind, line, column, err);
        if (rc < 0) {
            return rc;
        }
        pg_scalar_set_node(node, &value, text);
        anchor_define(ctx, (const char *)event->data.scalar.anchor, node, false);
    }
    ctx->expanded++;
    return 0;
}

static int handle_scalar(struct yaml_ctx *ctx, const yaml_event_t *event, struct pg_error *err)
{
    struct pg_scalar_value value;
    struct pg_node *node = NULL;
    struct pg_str text = {NULL, 0};
    int rc = pg_tree_check_string(ctx->tree, event->data.scalar.length,
                                  mark_line(ctx, &event->start_mark),
                                  mark_column(&event->start_mark), err);
    if (rc < 0) {
        return rc;
    }
    text = scalar_text(ctx, event);
    if (pg_tree_want_key(ctx->tree)) {
        return handle_key_scalar(ctx, event, text, err);
    }
    if (is_empty_root(ctx, event)) {
        return 0;
    }
    rc = resolve_scalar(&value, ctx, event, text, err);
    if (rc == 0) {
        rc = pg_tree_node(&node, ctx->tree, value.kind, mark_line(ctx, &event->start_mark),
                          mark_column(&event->start_mark), err);
    }
    if (rc < 0) {
        return rc;
    }
    pg_scalar_set_node(node, &value, text);
    pg_tree_add(ctx->tree, node, false);
    if (event->data.scalar.anchor != NULL) {
        anchor_define(ctx, (const char *)event->data.scalar.anchor, node, false);
    }
    ctx->expanded++;
    return 0;
}

static int handle_alias(struct yaml_ctx *ctx, const yaml_event_t *event, struct pg_error *err)
{
    const char *name = (const char *)event->data.alias.anchor;
    const struct pg_yaml_anchor *anchor = anchor_find(ctx->reader, name);
    int rc = 0;
    if (anchor == NULL) {
        return pg_error_set_at(err, PG_EPARSE, mark_line(ctx, &event->start_mark),
                               mark_column(&event->start_mark), NULL, "unknown anchor '%.*s'",
                               TAG_SHOWN_MAX, name);
    }
    if (anchor->open) {
        return pg_error_set_at(err, PG_EPARSE, mark_line(ctx, &event->start_mark),
                               mark_column(&event->start_mark), NULL,
                               "alias *%.*s is inside its own anchor", TAG_SHOWN_MAX, name);
    }
    rc = alias_budget(ctx, event, anchor->expanded, err);
    if (rc < 0) {
        return rc;
    }
    if (!pg_tree_want_key(ctx->tree)) {
        pg_tree_add(ctx->tree, anchor->node, true);
        return 0;
    }
    if (anchor->node->kind == PG_NODE_MAP || anchor->node->kind == PG_NODE_SEQ) {
        return error_at(ctx, &event->start_mark, PG_EPARSE, "map keys must be scalars", err);
    }
    pg_tree_key(ctx->tree, anchor->node->text, mark_line(ctx, &event->start_mark),
                mark_column(&event->start_mark), false);
    return 0;
}

static int handle_start(struct yaml_ctx *ctx, const yaml_event_t *event, bool is_map,
                        struct pg_error *err)
{
    const yaml_char_t *tag =
        is_map ? event->data.mapping_start.tag : event->data.sequence_start.tag;
    const yaml_char_t *anchor =
        is_map ? event->data.mapping_start.anchor : event->data.sequence_start.anchor;
    enum tag_kind kind = classify_tag(tag);
    size_t at_open = ctx->expanded;
    struct pg_node *node = NULL;
    int rc = 0;
    if (pg_tree_want_key(ctx->tree)) {
        return error_at(ctx, &event->start_mark, PG_EPARSE, "map keys must be scalars", err);
    }
    if (kind == TAG_UNKNOWN) {
        return tag_error(ctx, event, tag, "unknown", err);
    }
    if (kind != TAG_NONE && kind != TAG_NONSPECIFIC && kind != (is_map ? TAG_MAP : TAG_SEQ)) {
        return tag_error(ctx, event, tag,
                         is_map ? "a map cannot have the" : "a list cannot have the", err);
    }
    rc = pg_tree_node(&node, ctx->tree, is_map ? PG_NODE_MAP : PG_NODE_SEQ,
                      mark_line(ctx, &event->start_mark), mark_column(&event->start_mark), err);
    if (rc == 0) {
        rc = pg_tree_open(ctx->tree, node, err);
    }
    if (rc < 0) {
        return rc;
    }
    ctx->expanded++;
    if (anchor != NULL) {
        anchor_push_open(ctx, anchor_define(ctx, (const char *)anchor, node, true), at_open);
    }
    return 0;
}

static int handle_end(struct yaml_ctx *ctx, struct pg_error *err)
{
    size_t depth = pg_tree_depth(ctx->tree);
    int rc = pg_tree_close(ctx->tree, err);
    if (rc < 0) {
        return rc;
    }
    anchor_pop_open(ctx, depth);
    return 0;
}

/* One event: 0 to go on, 1 at the end of the stream, or an error. */
static int handle_event(struct yaml_ctx *ctx, const yaml_event_t *event, struct pg_error *err)
{
    switch (event->type) {
    case YAML_NO_EVENT:
    case YAML_STREAM_START_EVENT:
    case YAML_DOCUMENT_END_EVENT:
        return 0;
    case YAML_STREAM_END_EVENT:
        return 1;
    case YAML_DOCUMENT_START_EVENT:
        /* The splitter gives libyaml one document; a second would mean it missed a marker. */
        if (ctx->documents++ > 0) {
            return error_at(ctx, &event->start_mark, PG_EPARSE,
                            "unexpected start of a second document", err);
        }
        return 0;
    case YAML_ALIAS_EVENT:
        return handle_alias(ctx, event, err);
    case YAML_SCALAR_EVENT:
        return handle_scalar(ctx, event, err);
    case YAML_SEQUENCE_START_EVENT:
        return handle_start(ctx, event, false, err);
    case YAML_MAPPING_START_EVENT:
        return handle_start(ctx, event, true, err);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return handle_end(ctx, err);
    }
    return 0;
}

/* libyaml's error, with its context, at an absolute position. */
static int parser_error(struct yaml_ctx *ctx, struct pg_error *err)
{
    const yaml_parser_t *parser = &ctx->parser;
    const char *problem = parser->problem != NULL ? parser->problem : "invalid YAML";
    uint32_t line = 0;
    uint32_t column = 0;
    if (parser->error == YAML_MEMORY_ERROR) {
        return pg_error_set(err, PG_EPARSE, "libyaml ran out of memory");
    }
    if (parser->error == YAML_READER_ERROR) {
        /* Reader errors (bad UTF-8, control characters) carry a byte offset, not a mark. */
        size_t offset =
            parser->problem_offset < ctx->chunk_len ? parser->problem_offset : ctx->chunk_len;
        pg_yaml_split_position(&line, &column, ctx->chunk, offset, ctx->first_line);
        return pg_error_set_at(err, PG_EPARSE, line, column, NULL, "%s (byte 0x%02X)", problem,
                               (unsigned)parser->problem_value & 0xFFu);
    }
    line = mark_line(ctx, &parser->problem_mark);
    column = mark_column(&parser->problem_mark);
    if (parser->context == NULL) {
        return pg_error_set_at(err, PG_EPARSE, line, column, NULL, "%s", problem);
    }
    return pg_error_set_at(err, PG_EPARSE, line, column, NULL, "%s (%s at line %u column %u)",
                           problem, parser->context,
                           (unsigned)mark_line(ctx, &parser->context_mark),
                           (unsigned)mark_column(&parser->context_mark));
}

static int run_events(struct yaml_ctx *ctx, struct pg_error *err)
{
    yaml_event_t event;
    int rc = 0;
    while (rc == 0) {
        if (!yaml_parser_parse(&ctx->parser, &event)) {
            return parser_error(ctx, err);
        }
        rc = handle_event(ctx, &event, err);
        yaml_event_delete(&event);
    }
    return rc < 0 ? rc : 0;
}

static int parse_chunk(struct pg_doc_reader *reader, const struct pg_yaml_chunk *chunk,
                       struct pg_doc *doc, struct pg_error *err)
{
    struct yaml_ctx ctx;
    int rc = 0;
    memset(&ctx, 0, sizeof(ctx));
    ctx.reader = reader;
    ctx.tree = &reader->tree;
    ctx.chunk = reader->data + chunk->start;
    ctx.chunk_len = chunk->end - chunk->start;
    ctx.first_line = chunk->line;
    ctx.ascii = chunk->ascii;
    anchors_reset(reader);
    if (!yaml_parser_initialize(&ctx.parser)) {
        return pg_error_set(err, PG_EPARSE, "libyaml ran out of memory");
    }
    yaml_parser_set_input_string(&ctx.parser, (const unsigned char *)ctx.chunk, ctx.chunk_len);
    /* A chunk may start with any bytes: never let them select UTF-16 (kubectl reads UTF-8). */
    yaml_parser_set_encoding(&ctx.parser, YAML_UTF8_ENCODING);
    rc = run_events(&ctx, err);
    yaml_parser_delete(&ctx.parser);
    if (rc < 0) {
        return rc;
    }
    pg_tree_finish(doc, &reader->tree);
    doc->line = doc->root != NULL ? doc->root->line : chunk->marker_line;
    if (doc->line == 0) {
        doc->line = chunk->line;
    }
    return 0;
}

/*
 * Whether the chunk holds the filter text. Its first occurrence at or after
 * the chunk is searched for once and remembered, so the chunks before it are
 * skipped without another look at their bytes.
 */
static bool chunk_has_filter(struct pg_doc_reader *reader, const struct pg_yaml_chunk *chunk)
{
    size_t needle_len = strlen(reader->filter);
    if (!reader->filter_found || reader->filter_at < chunk->start) {
        reader->filter_at =
            chunk->start +
            pg_bytes_find(reader->data + chunk->start, reader->len - chunk->start, reader->filter);
        reader->filter_found = true;
    }
    /* An occurrence that starts in the chunk but runs past it is in no later chunk either. */
    return reader->filter_at < chunk->end && needle_len <= chunk->end - reader->filter_at;
}

/*
 * The next chunk to parse: 1 with *chunk set, 0 at the end of the input, or
 * PG_ELIMIT for a chunk over max_document_bytes. Chunks without the filter
 * text are skipped here in a loop (a recursive call per skipped chunk ran out
 * of stack on a few million small documents).
 */
static int next_chunk(struct pg_yaml_chunk *chunk, struct pg_doc_reader *reader, size_t *index_out,
                      struct pg_error *err)
{
    for (;;) {
        if (!pg_yaml_split_next(chunk, reader->data, reader->len, reader->pos, reader->line,
                                reader->yaml_simple_breaks)) {
            reader->done = true;
            return 0;
        }
        reader->pos = chunk->end;
        reader->line = chunk->next_line;
        if (index_out != NULL) {
            *index_out = reader->index;
        }
        if (chunk->end - chunk->start > reader->limits.max_document_bytes) {
            reader->index++;
            return pg_error_set_at(err, PG_ELIMIT,
                                   chunk->marker_line ? chunk->marker_line : chunk->line, 1, NULL,
                                   "document larger than %zu bytes (max_document_bytes)",
                                   reader->limits.max_document_bytes);
        }
        if (reader->filter == NULL || chunk_has_filter(reader, chunk)) {
            return 1;
        }
        /* Not parsed at all: callers asked only for documents holding the filter text. */
        reader->index++;
    }
}

int pg_yaml_read_next(struct pg_doc_reader *reader, struct pg_doc **out, size_t *index_out,
                      struct pg_error *err)
{
    struct pg_yaml_chunk chunk;
    struct pg_doc *doc = NULL;
    int rc = 0;
    if (!reader->yaml_breaks_checked) {
        reader->yaml_simple_breaks = pg_yaml_split_simple_breaks(reader->data, reader->len);
        reader->yaml_breaks_checked = true;
    }
    rc = next_chunk(&chunk, reader, index_out, err);
    if (rc <= 0) {
        return rc;
    }
    if (reader->yaml_simple_breaks) {
        chunk.ascii = pg_yaml_split_ascii(reader->data + chunk.start, chunk.end - chunk.start);
    }
    doc = pg_doc_start(reader);
    doc->index = reader->index++;
    rc = parse_chunk(reader, &chunk, doc, err);
    if (rc == 0 && chunk.trailing) {
        /* libyaml found nothing wrong in the text after the last document. */
        reader->index--;
        reader->done = true;
        pg_doc_recycle(reader, doc);
        return 0;
    }
    if (rc < 0) {
        pg_doc_recycle(reader, doc);
        return rc;
    }
    *out = doc;
    return 1;
}

void pg_yaml_release(struct pg_doc_reader *reader)
{
    free(reader->anchors);
    free(reader->anchor_index);
    free(reader->open_anchors);
    reader->anchors = NULL;
    reader->anchor_index = NULL;
    reader->open_anchors = NULL;
}
