/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The audit's byte-stream front end. A `kubectl get -o json` dump is one JSON object of kind
 * List whose `items` can hold a whole cluster; reading it as one document would need the tree
 * of everything at once. Instead a small scanner follows the JSON structure (strings, escapes,
 * nesting) as bytes arrive, cuts out each item of a top-level `items` array (or each value of
 * a top-level array or stream), and hands every item to the document reader on its own, so
 * only one item is ever in memory. The reader still validates each item completely.
 *
 * While cutting, the scanner compacts the item in place: white space other than line breaks
 * is dropped (kubectl indents every line, which would double the reader's work), and values
 * the audit never reads become `0`: `status`, `metadata.managedFields`, and the bulky
 * container fields no check looks at (`env`, `resources`, `volumeMounts`, … see
 * DROPPED_CONTAINER_KEYS). Those values are therefore not type-checked; a dump comes from
 * an API server that validated them. Line breaks are kept, so errors still give the dump's
 * lines.
 *
 * The List's own fields before `items` (where the API server writes them) are read when the
 * items begin: its kind names the items' kind, which the API server leaves out of each item,
 * and its metadata holds the continue token of a paged LIST.
 *
 * Every other value outside an object is cut out too (a string, number or literal among the
 * items or at the top level, and the List's fields after its items), so the reader checks every
 * byte but the separators between values, which the scanner checks itself.
 *
 * YAML cannot be cut this cheaply, so a YAML source is kept whole and read at the end.
 */
#include "audit/internal.h"

#include "doc/swar.h"
#include "podgate/workload.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE ((size_t)-1)
#define YAML_MAX_NODES ((size_t)50 * 1000 * 1000)
#define TRACKED_DEPTH 16 /* keys are followed down to here: a CronJob's containers at 10 */

/* The keys the scanner cares about, at the depths where it cares. */
enum key_id {
    KEY_OTHER,
    KEY_ITEMS,          /* depth 1: a List's items */
    KEY_STATUS,         /* item level: status, never read by the audit */
    KEY_METADATA,       /* item level */
    KEY_MANAGED_FIELDS, /* in an item's metadata: managedFields, never read */
    KEY_CONTAINERS,     /* containers, initContainers, ephemeralContainers */
    KEY_CONTAINER_DROP, /* a container field no check reads */
};

/* Container fields the pod model never reads (workload/pod.c): often most of a spec. */
static const char *const DROPPED_CONTAINER_KEYS[] = {
    "env",           "envFrom", "resources", "volumeMounts",
    "volumeDevices", "command", "args",      "resizePolicy",
};

/* Between the values of an array of items, what may come next. */
enum items_gap {
    GAP_OPEN,  /* after `[`: an item or `]` */
    GAP_ITEM,  /* after an item: `,` or `]` */
    GAP_COMMA, /* after `,`: an item */
};

enum byte_class {
    BYTE_OTHER, /* part of a number or literal */
    BYTE_SPACE,
    BYTE_NEWLINE,
    BYTE_STRUCTURAL,
};

struct pg_audit_feed {
    struct pg_audit *audit;
    char *source;
    enum pg_doc_format format; /* PG_FORMAT_AUTO until the first non-blank byte */
    struct pg_limits limits;
    char *buf; /* the item being cut out (compacted, up to `write`), then unscanned bytes */
    size_t len;
    size_t cap;
    size_t scan;   /* next byte to look at */
    size_t write;  /* end of the compacted capture (≤ scan), meaningful while capturing */
    uint32_t line; /* line of byte `scan` */
    size_t depth;
    bool in_string;
    bool escape;
    bool in_literal; /* in a number or literal that began outside any capture */
    /* Per depth (while ≤ TRACKED_DEPTH): an object, expecting a key, the last key. */
    bool is_object[TRACKED_DEPTH + 1];
    bool expect_key[TRACKED_DEPTH + 1];
    bool in_value[TRACKED_DEPTH + 1];
    enum key_id key[TRACKED_DEPTH + 1];
    size_t key_start;   /* offset of an open key string's quote in the capture, or NONE */
    size_t items_depth; /* depth of the values to cut out, 0 when not in an array of items */
    enum items_gap gap; /* at items_depth, outside the items */
    size_t capture;     /* offset where the value being cut out starts, NONE when none */
    size_t capture_depth;
    uint32_t capture_line;
    bool tail;             /* the capture holds a List's fields after its items */
    size_t skip_depth;     /* depth of the key whose value is being dropped, 0 when none */
    bool skip_seen;        /* a byte of that value was read (white space aside) */
    bool failed;           /* a structural error, or the end: the rest is ignored */
    char *set_api_version; /* pg_audit_feed_set_item_type, NULL when not set */
    char *set_kind;
    char *list_api_version; /* from the current List's kind and apiVersion, NULL when none */
    char *list_kind;
    char *continue_token; /* of the last List, NULL when none */
    struct pg_audit_list_info list;
};

static const unsigned char CLASS[256] = {
    [' '] = BYTE_SPACE,      ['\t'] = BYTE_SPACE,     ['\r'] = BYTE_SPACE,
    ['\n'] = BYTE_NEWLINE,   ['"'] = BYTE_STRUCTURAL, ['{'] = BYTE_STRUCTURAL,
    ['}'] = BYTE_STRUCTURAL, ['['] = BYTE_STRUCTURAL, [']'] = BYTE_STRUCTURAL,
    [':'] = BYTE_STRUCTURAL, [','] = BYTE_STRUCTURAL,
};

int pg_audit_feed_new(struct pg_audit_feed **out, struct pg_audit *audit, const char *source,
                      enum pg_doc_format format, struct pg_error *err)
{
    struct pg_audit_feed *feed = NULL;
    if (out == NULL || audit == NULL || source == NULL) {
        return pg_error_set(err, PG_EINVAL, "pg_audit_feed_new: invalid argument");
    }
    feed = pg_xcalloc(1, sizeof(*feed));
    feed->audit = audit;
    feed->source = pg_xstrndup(source, strlen(source));
    feed->format = format;
    feed->limits = audit->options.limits;
    feed->line = 1;
    feed->capture = NONE;
    feed->key_start = NONE;
    feed->list.continue_token = "";
    feed->list.remaining = -1;
    *out = feed;
    return 0;
}

static char *dup_or_null(const char *text)
{
    return text != NULL ? pg_xstrndup(text, strlen(text)) : NULL;
}

void pg_audit_feed_set_item_type(struct pg_audit_feed *feed, const char *api_version,
                                 const char *kind)
{
    if (feed == NULL) {
        return;
    }
    free(feed->set_api_version);
    free(feed->set_kind);
    feed->set_api_version = kind != NULL && api_version != NULL ? dup_or_null(api_version) : NULL;
    feed->set_kind = kind != NULL && api_version != NULL ? dup_or_null(kind) : NULL;
}

const struct pg_audit_list_info *pg_audit_feed_list_info(const struct pg_audit_feed *feed)
{
    return &feed->list;
}

/* Forget what the previous top-level value said about its items. */
static void forget_list(struct pg_audit_feed *feed)
{
    free(feed->list_api_version);
    free(feed->list_kind);
    feed->list_api_version = NULL;
    feed->list_kind = NULL;
}

void pg_audit_feed_free(struct pg_audit_feed *feed)
{
    if (feed == NULL) {
        return;
    }
    free(feed->source);
    free(feed->buf);
    free(feed->set_api_version);
    free(feed->set_kind);
    forget_list(feed);
    free(feed->continue_token);
    free(feed);
}

static void feed_error(struct pg_audit_feed *feed, uint32_t line, const char *message)
{
    pg_audit_add_error(feed->audit, feed->source, line, message);
}

/* Bytes go into the compacted capture only while cutting out, and not inside a dropped value. */
static bool copying(const struct pg_audit_feed *feed)
{
    return feed->capture != NONE && feed->skip_depth == 0;
}

static void put(struct pg_audit_feed *feed, char c)
{
    feed->buf[feed->write++] = c;
}

static void too_large(struct pg_audit_feed *feed, uint32_t line)
{
    char message[128];
    (void)snprintf(message, sizeof(message),
                   "object larger than %zu bytes (max_document_bytes): skipped",
                   feed->limits.max_document_bytes);
    feed_error(feed, line, message);
}

/* The type for items that do not say: the caller's, else the List's, else none. */
static void item_type(struct pg_audit_item_type *out, const struct pg_audit_feed *feed)
{
    const char *api_version =
        feed->set_kind != NULL ? feed->set_api_version : feed->list_api_version;
    const char *kind = feed->set_kind != NULL ? feed->set_kind : feed->list_kind;
    out->api_version.ptr = api_version != NULL ? api_version : "";
    out->api_version.len = api_version != NULL ? strlen(api_version) : 0;
    out->kind.ptr = kind != NULL ? kind : "";
    out->kind.len = kind != NULL ? strlen(kind) : 0;
}

/*
 * Parse `len` bytes of JSON (one value) starting at `line` into `*out` (the caller frees it).
 * Returns 0, with `*out` NULL when there was no value (a byte order mark alone), or the
 * negative PG_E* code of the failure, which is reported.
 */
static int read_json(struct pg_doc **out, struct pg_audit_feed *feed, const char *data, size_t len,
                     uint32_t line)
{
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    struct pg_error err;
    int rc = 0;
    *out = NULL;
    if (len > feed->limits.max_document_bytes) {
        /* The same words whether the item ended within one write or grew across several. */
        too_large(feed, line);
        return PG_ELIMIT;
    }
    rc = pg_doc_reader_new(&reader, data, len, PG_FORMAT_JSON, &feed->limits, &err);
    if (rc == 0) {
        rc = pg_doc_reader_next(reader, &doc, NULL, &err);
    }
    if (rc < 0) {
        feed_error(feed, err.line > 0 ? line + err.line - 1 : line, err.message);
        goto cleanup;
    }
    if (rc == 1 && doc != NULL && doc->root != NULL) {
        *out = doc;
        doc = NULL;
    }
    rc = 0;
cleanup:
    pg_doc_reader_free(reader);
    pg_doc_free(doc);
    return rc;
}

static char *str_or_null(const struct pg_node *node)
{
    if (node == NULL || node->kind != PG_NODE_STR) {
        return NULL;
    }
    return pg_xstrndup(node->as.str.ptr, node->as.str.len);
}

/* Keep what a List says about its items: their type and the paging metadata. */
static void keep_list_fields(struct pg_audit_feed *feed, const struct pg_node *list)
{
    const struct pg_node *metadata = pg_node_get(list, "metadata");
    const struct pg_node *remaining = pg_node_get(metadata, "remainingItemCount");
    struct pg_audit_item_type type;
    pg_audit_item_type_of_list(&type, list);
    if (type.kind.len > 0) {
        feed->list_api_version = pg_xstrndup(type.api_version.ptr, type.api_version.len);
        feed->list_kind = pg_xstrndup(type.kind.ptr, type.kind.len);
    }
    feed->list.found = true;
    free(feed->continue_token);
    feed->continue_token = str_or_null(pg_node_get(metadata, "continue"));
    feed->list.continue_token = feed->continue_token != NULL ? feed->continue_token : "";
    feed->list.remaining =
        remaining != NULL && remaining->kind == PG_NODE_INT ? remaining->as.integer : -1;
}

/* Read an item (or a top-level value); returns read_json's code. */
static int read_item(struct pg_audit_feed *feed, const char *data, size_t len, uint32_t line)
{
    struct pg_doc *doc = NULL;
    struct pg_audit_item_type type;
    int rc = read_json(&doc, feed, data, len, line);
    if (doc == NULL) {
        return rc;
    }
    /* A top-level List read whole had no items array to begin: Go writes an empty page's
     * nil slice as `"items": null`. It is an empty List, not an object to count. Items of
     * another type are reported by pg_audit_add_item, as for a List read whole. */
    if (feed->capture_depth == 0 && pg_audit_names_list(doc->root) &&
        pg_node_unset(pg_node_get(doc->root, "items"))) {
        forget_list(feed);
        keep_list_fields(feed, doc->root);
    } else {
        item_type(&type, feed);
        pg_audit_add_item(feed->audit, doc->root, &type, feed->source, line);
    }
    pg_doc_free(doc);
    return 0;
}

/*
 * The items of a top-level List begin: the capture holds the List's fields so far, up to
 * `"items":`. Read them as the object they would be with `0` for the items. The API server
 * writes kind, apiVersion and metadata first; kubectl writes them after the items, where they
 * are not needed (its items carry their kind, and its dump has no continue token).
 */
static void read_list_head(struct pg_audit_feed *feed, const char *data, size_t len, uint32_t line)
{
    char *text = pg_xmalloc(len + 2);
    struct pg_doc *doc = NULL;
    memcpy(text, data, len);
    text[len] = '0';
    text[len + 1] = '}';
    if (read_json(&doc, feed, text, len + 2, line) == 0 && doc != NULL) {
        keep_list_fields(feed, doc->root);
    }
    pg_doc_free(doc);
    free(text);
}

/*
 * The items of a top-level List have ended: the capture holds the List's fields after them,
 * from the `,` after the items to the closing brace. Read them as the object they would be
 * with `0` for the items, only to check them: the API server writes nothing there, kubectl
 * its kind and metadata, which read_list_head explains are not needed.
 */
static void read_list_tail(struct pg_audit_feed *feed, const char *data, size_t len, uint32_t line)
{
    static const char HEAD[] = "{\"items\":0";
    size_t head_len = sizeof(HEAD) - 1;
    char *text = pg_xmalloc(head_len + len);
    struct pg_doc *doc = NULL;
    memcpy(text, HEAD, head_len);
    memcpy(text + head_len, data, len);
    (void)read_json(&doc, feed, text, head_len + len, line); /* reported; nothing else to do */
    pg_doc_free(doc);
    free(text);
}

/*
 * Outside any capture, at the top level or between items: bytes the reader never sees, so the
 * scanner checks their grammar itself. (Deeper, outside a capture, is only the rest of a value
 * skipped as too large.)
 */
static bool between_values(const struct pg_audit_feed *feed)
{
    return feed->capture == NONE && (feed->depth == 0 || feed->depth == feed->items_depth);
}

/*
 * JSON that breaks the grammar between values. Where the next value starts is unknown after
 * it, so the rest of the input is ignored, as the reader ends a JSON stream at its first error.
 */
static void syntax_error(struct pg_audit_feed *feed, const char *message)
{
    feed_error(feed, feed->line, message);
    feed->failed = true;
}

/* A value may start between values: at the top level, or among items after `[` or `,`. */
static bool value_may_start(struct pg_audit_feed *feed)
{
    if (feed->depth == 0) {
        return true; /* a stream of values needs no separator */
    }
    if (feed->gap == GAP_ITEM) {
        syntax_error(feed, "invalid JSON: expected ',' or ']'");
        return false;
    }
    feed->gap = GAP_ITEM;
    return true;
}

/* A `,`, `:`, `]` or `}` between values (a closing one at the top level is not asked about). */
static bool separator_allowed(struct pg_audit_feed *feed, char c)
{
    if (feed->depth == 0) {
        syntax_error(feed, "invalid JSON: unexpected character");
        return false;
    }
    if (c == ',' && feed->gap == GAP_ITEM) {
        feed->gap = GAP_COMMA;
        return true;
    }
    if (c == ']' && feed->gap != GAP_COMMA) {
        return true;
    }
    syntax_error(feed, feed->gap == GAP_ITEM ? "invalid JSON: expected ',' or ']'"
                                             : "invalid JSON: expected a value");
    return false;
}

/* Start cutting out, from byte `pos`, a value that starts at `depth`. */
static void start_capture(struct pg_audit_feed *feed, size_t pos, size_t depth, bool tail)
{
    feed->capture = pos;
    feed->write = pos;
    feed->capture_depth = depth;
    feed->capture_line = feed->line;
    feed->tail = tail;
}

/*
 * A string, number or literal cut out as a value of its own has ended: read it as an item,
 * which the audit reports as not an object, as for a dump read whole. When it is not JSON at
 * all, the input most likely is not JSON (a YAML dump given as JSON, or kubectl's `Error from
 * server …` line after a dump taken with 2>&1): the rest is ignored rather than reported
 * word by word.
 */
static void scalar_end(struct pg_audit_feed *feed)
{
    int rc =
        read_item(feed, feed->buf + feed->capture, feed->write - feed->capture, feed->capture_line);
    feed->capture = NONE;
    if (rc == PG_EPARSE) {
        feed->failed = true;
    }
}

/*
 * A value (or a key) starts at byte `pos` (before `depth` counts it): cut it out when it is
 * an item or a top-level value.
 */
static void value_start(struct pg_audit_feed *feed, size_t pos, char c)
{
    size_t depth = feed->depth;
    if (depth == 1 && c == '[' && feed->in_value[1] && feed->key[1] == KEY_ITEMS && !feed->tail) {
        /* A List's `items`: cut out each item, after what the List said before them. (A second
         * `items` after them is only a field of the tail, read whole.) */
        feed->items_depth = 2;
        feed->gap = GAP_OPEN;
        if (feed->capture != NONE && feed->capture_depth == 0) {
            read_list_head(feed, feed->buf + feed->capture, feed->write - feed->capture,
                           feed->capture_line);
        }
        feed->capture = NONE;
        return;
    }
    if (!between_values(feed) || !value_may_start(feed)) {
        return;
    }
    if (depth == 0) {
        forget_list(feed); /* a new top-level value: its items are typed by it alone */
    }
    if (depth == 0 && c == '[') {
        feed->items_depth = 1; /* a top-level array of objects */
        feed->gap = GAP_OPEN;
        return;
    }
    start_capture(feed, pos, depth, false);
}

/* The byte after a number or literal that began outside any capture: read it if cut out. */
static void literal_end(struct pg_audit_feed *feed)
{
    feed->in_literal = false;
    if (feed->capture != NONE) {
        scalar_end(feed); /* a capture open at a literal's end is the literal's own */
    }
}

static bool key_is(const char *key, size_t len, const char *literal)
{
    return strlen(literal) == len && memcmp(key, literal, len) == 0;
}

/* A key of a container object: an element of the array under a `containers` key. */
static enum key_id classify_in_container(const struct pg_audit_feed *feed, const char *key,
                                         size_t len)
{
    size_t depth = feed->depth;
    if (key_is(key, len, "containers") || key_is(key, len, "initContainers") ||
        key_is(key, len, "ephemeralContainers")) {
        return KEY_CONTAINERS;
    }
    if (depth < 3 || feed->is_object[depth - 1] || feed->key[depth - 2] != KEY_CONTAINERS) {
        return KEY_OTHER;
    }
    for (size_t i = 0; i < sizeof(DROPPED_CONTAINER_KEYS) / sizeof(DROPPED_CONTAINER_KEYS[0]);
         i++) {
        if (key_is(key, len, DROPPED_CONTAINER_KEYS[i])) {
            return KEY_CONTAINER_DROP;
        }
    }
    return KEY_OTHER;
}

static enum key_id classify(const struct pg_audit_feed *feed, const char *key, size_t len)
{
    size_t depth = feed->depth;
    size_t item_level = feed->capture_depth + 1;
    if (depth == 1 && len == 5 && memcmp(key, "items", 5) == 0) {
        return KEY_ITEMS;
    }
    if (depth == item_level && len == 6 && memcmp(key, "status", 6) == 0) {
        return KEY_STATUS;
    }
    if (depth == item_level && len == 8 && memcmp(key, "metadata", 8) == 0) {
        return KEY_METADATA;
    }
    if (depth == item_level + 1 && feed->key[item_level] == KEY_METADATA && len == 13 &&
        memcmp(key, "managedFields", 13) == 0) {
        return KEY_MANAGED_FIELDS;
    }
    return depth > item_level ? classify_in_container(feed, key, len) : KEY_OTHER;
}

/* The value of the current key ends (a `,` or the closing brace at its depth). */
static void value_end(struct pg_audit_feed *feed)
{
    if (feed->depth <= TRACKED_DEPTH) {
        feed->in_value[feed->depth] = false;
        feed->expect_key[feed->depth] = feed->is_object[feed->depth];
    }
    if (feed->skip_depth != 0 && feed->skip_depth == feed->depth) {
        feed->skip_depth = 0;
        /* `0` fits in the room the value's own bytes left. A value with no byte is not JSON:
         * leave the gap, so the reader reports it the same however the writes were cut. */
        if (feed->skip_seen) {
            put(feed, '0');
        }
    }
}

static void colon(struct pg_audit_feed *feed)
{
    enum key_id key = KEY_OTHER;
    if (feed->depth > TRACKED_DEPTH) {
        return;
    }
    feed->in_value[feed->depth] = true;
    key = feed->key[feed->depth];
    if ((key == KEY_STATUS || key == KEY_MANAGED_FIELDS || key == KEY_CONTAINER_DROP) &&
        copying(feed)) {
        feed->skip_depth = feed->depth;
        feed->skip_seen = false;
    }
}

static void open_value(struct pg_audit_feed *feed, size_t pos, char c)
{
    value_start(feed, pos, c);
    if (copying(feed)) {
        put(feed, c);
    }
    feed->depth++;
    if (feed->depth <= TRACKED_DEPTH) {
        feed->is_object[feed->depth] = c == '{';
        feed->expect_key[feed->depth] = c == '{';
        feed->in_value[feed->depth] = false;
        feed->key[feed->depth] = KEY_OTHER;
    }
}

static void close_value(struct pg_audit_feed *feed, size_t pos, char c)
{
    if (feed->depth == 0) {
        feed_error(feed, feed->line, "unexpected closing bracket: the rest is ignored");
        feed->failed = true;
        return;
    }
    if (between_values(feed) && !separator_allowed(feed, c)) {
        return;
    }
    value_end(feed);
    if (copying(feed)) {
        put(feed, c);
    }
    feed->depth--;
    if (feed->capture != NONE && feed->depth == feed->capture_depth) {
        if (feed->tail) {
            read_list_tail(feed, feed->buf + feed->capture, feed->write - feed->capture,
                           feed->capture_line);
        } else {
            (void)read_item(feed, feed->buf + feed->capture, feed->write - feed->capture,
                            feed->capture_line); /* reported; the next value is still found */
        }
        feed->capture = NONE;
    }
    if (feed->depth == 1 && feed->items_depth == 2) {
        start_capture(feed, pos + 1, 0, true); /* the rest of the top-level List */
    }
    if (feed->depth + 1 == feed->items_depth || feed->depth == 0) {
        feed->items_depth = 0; /* the array of items is closed */
    }
}

static void structural(struct pg_audit_feed *feed, size_t pos, char c)
{
    if (feed->skip_depth != 0 && (c == '"' || c == '{' || c == '[')) {
        feed->skip_seen = true;
    }
    switch (c) {
    case '"':
        value_start(feed, pos, c);
        feed->in_string = true;
        if (feed->depth <= TRACKED_DEPTH && feed->expect_key[feed->depth]) {
            feed->expect_key[feed->depth] = false;
            feed->key[feed->depth] = KEY_OTHER; /* until the key is read (when it is kept) */
            feed->key_start = copying(feed) ? feed->write : NONE;
        }
        if (copying(feed)) {
            put(feed, c);
        }
        break;
    case '{':
    case '[':
        open_value(feed, pos, c);
        break;
    case '}':
    case ']':
        close_value(feed, pos, c);
        break;
    case ':':
        if (between_values(feed) && !separator_allowed(feed, c)) {
            break;
        }
        if (copying(feed)) {
            put(feed, c);
        }
        colon(feed);
        break;
    default: /* ',' */
        if (between_values(feed) && !separator_allowed(feed, c)) {
            break;
        }
        value_end(feed);
        if (copying(feed)) {
            put(feed, c);
        }
        break;
    }
}

static void string_end(struct pg_audit_feed *feed)
{
    feed->in_string = false;
    if (feed->key_start != NONE) {
        if (feed->depth <= TRACKED_DEPTH) {
            feed->key[feed->depth] =
                classify(feed, feed->buf + feed->key_start + 1, feed->write - feed->key_start - 1);
        }
        feed->key_start = NONE;
    }
    if (copying(feed)) {
        put(feed, '"');
    }
    if (feed->capture != NONE && feed->depth == feed->capture_depth) {
        scalar_end(feed); /* a string as an item or top-level value, not a key */
    }
}

/* The first `"` or `\\` at or after `pos`, eight bytes at a time; `len` when there is none. */
static size_t string_run(const char *data, size_t pos, size_t len)
{
    while (pos + 8 <= len) {
        uint64_t word = pg_swar_load(data + pos);
        uint64_t mask = pg_swar_eq(word, '"') | pg_swar_eq(word, '\\');
        if (mask != 0) {
            return pos + (size_t)__builtin_ctzll(mask) / 8;
        }
        pos += 8;
    }
    while (pos < len && data[pos] != '"' && data[pos] != '\\') {
        pos++;
    }
    return pos;
}

/*
 * The bytes of a number or literal outside any capture, from `pos` (its first byte, or where
 * the last write cut it) to the byte after it or the end of the data. Read here as a run, so
 * that the bytes inside captures, almost all of a dump, pay nothing for it.
 */
static size_t literal_bytes(struct pg_audit_feed *feed, size_t pos)
{
    const unsigned char *data = (const unsigned char *)feed->buf;
    if (!feed->in_literal) {
        feed->in_literal = true;
        value_start(feed, pos, (char)data[pos]);
    }
    while (pos < feed->len && !feed->failed && CLASS[data[pos]] == BYTE_OTHER) {
        if (copying(feed)) {
            put(feed, (char)data[pos]);
        }
        pos++;
    }
    if (pos < feed->len && !feed->failed) {
        literal_end(feed);
    }
    return pos;
}

/* The first byte that is not a space at or after `pos` (indentation is long runs of them). */
static size_t space_run(const unsigned char *data, size_t pos, size_t len)
{
    while (pos + 8 <= len && pg_swar_load(data + pos) == 0x2020202020202020ull) {
        pos += 8;
    }
    while (pos < len && data[pos] == ' ') {
        pos++;
    }
    return pos;
}

/* String bytes up to and including the closing quote (or the end of the data). */
static size_t string_bytes(struct pg_audit_feed *feed, size_t pos)
{
    const char *data = feed->buf;
    bool copy = copying(feed);
    while (pos < feed->len) {
        size_t start = pos;
        if (feed->escape) {
            feed->escape = false;
            pos++;
        }
        pos = string_run(data, pos, feed->len);
        if (copy && feed->write != start) {
            memmove(feed->buf + feed->write, data + start, pos - start);
        }
        feed->write += copy ? pos - start : 0;
        if (pos == feed->len) {
            break;
        }
        if (data[pos] == '"') {
            string_end(feed);
            return pos + 1;
        }
        if (copy) {
            put(feed, '\\');
        }
        feed->escape = true;
        pos++;
    }
    return pos;
}

static void scan_json(struct pg_audit_feed *feed)
{
    const unsigned char *data = (const unsigned char *)feed->buf;
    size_t pos = feed->scan;
    if (feed->in_literal) {
        pos = literal_bytes(feed, pos); /* the last write ended in it */
    }
    while (pos < feed->len && !feed->failed) {
        unsigned char c = data[pos];
        if (feed->in_string) {
            pos = string_bytes(feed, pos);
            continue;
        }
        switch ((enum byte_class)CLASS[c]) {
        case BYTE_SPACE:
            pos = space_run(data, pos + 1, feed->len);
            continue;
        case BYTE_NEWLINE:
            feed->line++;
            if (feed->capture != NONE) {
                put(feed, '\n'); /* kept, dropped value or not: lines stay the source's */
            }
            break;
        case BYTE_OTHER:
            if (feed->capture == NONE) {
                pos = literal_bytes(feed, pos);
                continue;
            }
            if (copying(feed)) {
                put(feed, (char)c);
            }
            feed->skip_seen = feed->skip_seen || feed->skip_depth != 0;
            break;
        case BYTE_STRUCTURAL:
            structural(feed, pos, (char)c);
            break;
        }
        pos++;
    }
    feed->scan = pos;
}

/* Keep only the compacted capture; drop it when it has grown past max_document_bytes. */
static void compact(struct pg_audit_feed *feed)
{
    size_t keep = feed->capture;
    if (keep != NONE && feed->write - keep > feed->limits.max_document_bytes) {
        too_large(feed, feed->capture_line);
        feed->capture = NONE;
        feed->tail = false;
        feed->skip_depth = 0;
        feed->key_start = NONE;
        keep = NONE;
    }
    if (keep == NONE) {
        feed->len = feed->scan = 0;
        return;
    }
    memmove(feed->buf, feed->buf + keep, feed->write - keep);
    feed->write -= keep;
    /* While a value is dropped, the `0` that replaces it is written when it ends: keep one
     * scanned byte of room for it, since the value's own bytes are gone now. Writing never
     * overtakes reading: every byte written was read, and `0` only takes that room. */
    feed->len = feed->scan = feed->write + (feed->skip_depth != 0 && feed->skip_seen ? 1 : 0);
    feed->capture = 0;
    if (feed->key_start != NONE) {
        feed->key_start -= keep;
    }
}

static void append(struct pg_audit_feed *feed, const char *data, size_t len)
{
    if (feed->cap - feed->len < len) {
        size_t cap = feed->cap ? feed->cap : 65536;
        while (cap - feed->len < len) {
            cap *= 2;
        }
        feed->buf = pg_xrealloc(feed->buf, cap, 1);
        feed->cap = cap;
    }
    memcpy(feed->buf + feed->len, data, len);
    feed->len += len;
}

/* JSON or YAML from the first byte that is not a BOM or blank; AUTO until there is one. */
static enum pg_doc_format detect(const char *data, size_t len)
{
    size_t i = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (len < 3 && memcmp(data, "\xEF\xBB\xBF", len) == 0) {
        return PG_FORMAT_AUTO; /* perhaps the start of a byte order mark */
    }
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) {
        i++;
    }
    if (i == len) {
        return PG_FORMAT_AUTO;
    }
    return data[i] == '{' || data[i] == '[' ? PG_FORMAT_JSON : PG_FORMAT_YAML;
}

void pg_audit_feed_write(struct pg_audit_feed *feed, const char *data, size_t len)
{
    if (feed == NULL || len == 0 || feed->failed) {
        return;
    }
    feed->audit->stats.bytes += len;
    if (feed->format != PG_FORMAT_JSON) {
        if (feed->len + len > feed->limits.max_input_bytes) {
            feed_error(feed, 0,
                       "YAML input larger than max_input_bytes: give a JSON dump "
                       "(kubectl get -o json), which is read item by item");
            feed->failed = true;
            return;
        }
        append(feed, data, len);
        if (feed->format == PG_FORMAT_AUTO) {
            feed->format = detect(feed->buf, feed->len);
        }
        if (feed->format != PG_FORMAT_JSON) {
            return;
        }
    } else {
        append(feed, data, len);
    }
    scan_json(feed);
    compact(feed);
}

static void end_yaml(struct pg_audit_feed *feed)
{
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    struct pg_error err;
    struct pg_limits limits = feed->limits;
    int rc = 0;
    /* A YAML dump is one document holding every object: allow it as a whole. */
    limits.max_document_bytes = limits.max_input_bytes;
    limits.max_nodes = YAML_MAX_NODES;
    if (pg_doc_reader_new(&reader, feed->buf, feed->len, PG_FORMAT_YAML, &limits, &err) != 0) {
        feed_error(feed, 0, err.message);
        return;
    }
    while ((rc = pg_doc_reader_next(reader, &doc, NULL, &err)) != 0) {
        if (rc < 0) {
            feed_error(feed, err.line, err.message);
            continue;
        }
        if (doc->root != NULL) {
            pg_audit_add_object(feed->audit, doc->root, feed->source, 1);
        }
        pg_doc_free(doc);
    }
    pg_doc_reader_free(reader);
}

static void end_json(struct pg_audit_feed *feed)
{
    if (feed->in_literal) {
        literal_end(feed); /* the input ends with it: `{…} trailing` */
    }
    if (!feed->failed && (feed->depth > 0 || feed->in_string)) {
        feed_error(feed, feed->capture != NONE ? feed->capture_line : feed->line,
                   "unexpected end of input inside a JSON value (truncated dump?)");
    }
}

void pg_audit_feed_end(struct pg_audit_feed *feed)
{
    if (feed == NULL || feed->failed) {
        return;
    }
    if (feed->format == PG_FORMAT_YAML) {
        end_yaml(feed);
    } else if (feed->format == PG_FORMAT_JSON) {
        end_json(feed);
    }
    free(feed->buf);
    feed->buf = NULL;
    feed->len = feed->cap = feed->scan = 0;
    feed->failed = true;
}
