/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON documents through jsmn, a tokenizer that finds where values start and
 * end but checks little else. This file supplies the rest of RFC 8259: the
 * separators between tokens, number and literal syntax, string escapes and
 * UTF-8. A source holds one value or a stream of values; each is a document.
 * The admission path depends on this being fast, so every pass is linear and
 * nothing is allocated per node outside the arena.
 */
#include "doc/json_scalar.h"
#include "doc/reader.h"
#include "doc/scalar.h"
#include "doc/swar.h"
#include "util/utf8.h"

#include "podgate/arena.h"
#include "util/xalloc.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parent links make closing a container cost its depth, not its size. */
#define JSMN_STATIC
#define JSMN_STRICT
#define JSMN_PARENT_LINKS
#include <jsmn.h>

/* An open container of the walk. */
struct pg_json_frame {
    size_t remaining; /* children (object keys) still to read */
    size_t end;       /* offset of its closing bracket */
    bool object;
    bool first;
};

/* One document being walked: its bytes, its tokens, and how far the walk got. */
struct walk {
    struct pg_doc_reader *reader;
    struct pg_tree *tree;
    const char *text; /* the document */
    size_t len;
    size_t base; /* offset of `text` in the stream */
    const jsmntok_t *tokens;
    size_t count;
    size_t next;   /* next token */
    size_t cursor; /* first byte not yet checked */
};

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Line and column of stream offset `pos`. Positions are asked for in
 * increasing order, so the cursor only moves forward: linear in the input.
 */
static void position_of(struct pg_doc_reader *reader, size_t pos, uint32_t *line, uint32_t *column)
{
    struct pg_json_cursor *cursor = &reader->json_cursor;
    const unsigned char *data = (const unsigned char *)reader->data;
    size_t i = cursor->pos;
    if (pos < i) {
        /* Only an error can look back; start over rather than keep a line table. */
        i = reader->body;
        cursor->line = 1;
        cursor->column = 1;
    }
    for (; i + 8 <= pos; i += 8) {
        uint64_t word = pg_swar_load(data + i);
        if (pg_swar_eq(word, '\n') == 0) {
            cursor->column += 8 - pg_swar_count(pg_swar_continuations(word));
            continue;
        }
        break;
    }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (i < pos && pos - i < 8 && reader->len - i >= 8) {
        /* The last few bytes: one masked word unless it holds a newline. (When the loop
           above stopped at a newline, pos may be further than a word away: bytes go one
           by one below.) */
        uint64_t word = pg_swar_load(data + i) & (~0ull >> (8 * (8 - (pos - i))));
        if (pg_swar_eq(word, '\n') == 0) {
            cursor->column += (uint32_t)(pos - i) - pg_swar_count(pg_swar_continuations(word));
            i = pos;
        }
    }
#endif
    for (; i < pos; i++) {
        if (data[i] == '\n') {
            cursor->line++;
            cursor->column = 1;
        } else if ((data[i] & 0xC0) != 0x80) {
            cursor->column++;
        }
    }
    cursor->pos = pos;
    *line = cursor->line;
    *column = cursor->column;
}

static int json_error(struct pg_doc_reader *reader, enum pg_error_code code, size_t pos,
                      const char *message, struct pg_error *err)
{
    uint32_t line = 0;
    uint32_t column = 0;
    position_of(reader, pos, &line, &column);
    return pg_error_set_at(err, code, line, column, NULL, "invalid JSON: %s", message);
}

/* A limit error: names the limit and its value. */
static int limit_error(struct pg_doc_reader *reader, size_t pos, const char *what, size_t value,
                       const char *limit, struct pg_error *err)
{
    uint32_t line = 0;
    uint32_t column = 0;
    position_of(reader, pos, &line, &column);
    /* Sizes are in bytes; the other limits count things. */
    return pg_error_set_at(err, PG_ELIMIT, line, column, NULL, "%s %zu%s (%s)", what, value,
                           strstr(limit, "bytes") != NULL ? " bytes" : "", limit);
}

/* ---- finding the extent of one value ------------------------------------------------------ */

/* Offset just past the closing quote of the string opening at `pos`, or the offending byte. */
static bool skip_string(size_t *out, const char *data, size_t len, size_t pos)
{
    size_t i = pos + 1;
    while (i < len) {
        const char *quote = memchr(data + i, '"', len - i);
        size_t at = quote != NULL ? (size_t)(quote - data) : len;
        size_t backslashes = 0;
        /* Control characters are rejected later, when the string is read. */
        while (at - backslashes > i && data[at - backslashes - 1] == '\\') {
            backslashes++;
        }
        if (at == len) {
            break;
        }
        if (backslashes % 2 == 0) {
            *out = at + 1;
            return true;
        }
        i = at + 1; /* an escaped quote */
    }
    *out = len;
    return false;
}

static bool is_delimiter(char c)
{
    return is_space(c) || c == ',' || c == ':' || c == '[' || c == ']' || c == '{' || c == '}' ||
           c == '"';
}

/* How a bracket scan stopped. */
enum bracket_stop {
    BRACKETS_CLOSED,   /* the container ended: `at` is just past it */
    BRACKETS_TOO_DEEP, /* `at` is just past the bracket that went past the depth */
    BRACKETS_BAD_BYTE, /* at `at` */
    BRACKETS_CUT,      /* at `stop`, or at the opening quote of a string running past it */
};

/* A scan for the end of a container, resumable where it stopped. */
struct bracket_scan {
    size_t at;
    size_t depth;
};

/*
 * Count brackets outside strings from scan->at up to `stop`, stopping past
 * `max_depth` levels and, when `check_bytes`, at a byte JSON never has
 * outside strings.
 */
static enum bracket_stop scan_brackets(struct bracket_scan *scan, const char *data, size_t stop,
                                       size_t max_depth, bool check_bytes)
{
    for (size_t i = scan->at; i < stop; i++) {
        unsigned char c = (unsigned char)data[i];
        size_t string_end = 0;
        if (c == '"') {
            if (!skip_string(&string_end, data, stop, i)) {
                scan->at = i;
                return BRACKETS_CUT;
            }
            i = string_end - 1;
        } else if (c == '{' || c == '[') {
            if (++scan->depth > max_depth) {
                scan->at = i + 1;
                return BRACKETS_TOO_DEEP;
            }
        } else if (c == '}' || c == ']') {
            if (--scan->depth == 0) {
                scan->at = i + 1;
                return BRACKETS_CLOSED;
            }
        } else if (check_bytes && (c < 0x20 ? !is_space((char)c) : c >= 0x7F)) {
            scan->at = i;
            return BRACKETS_BAD_BYTE;
        }
    }
    scan->at = stop;
    return BRACKETS_CUT;
}

/* Append to a limit error that the stream stops at it, and return `rc`. */
static int stream_stops(struct pg_error *err, int rc)
{
    size_t used = 0;
    if (err != NULL) {
        used = strlen(err->message);
        /* A cut-off note still leaves the limit named first. */
        (void)snprintf(err->message + used, sizeof(err->message) - used, "%s",
                       "; the document does not end, so nothing after it is read");
    }
    return rc;
}

/*
 * End of the container opening at `pos`: brackets are counted outside strings,
 * so that jsmn later sees exactly one value, and nesting is limited here
 * because jsmn itself has no depth limit. After a limit error *out is still
 * the document's end when the rest of the input holds it (0 when not): counting
 * brackets costs nothing per level, so only this document is lost.
 */
static int scan_container(size_t *out, struct pg_doc_reader *reader, size_t pos,
                          struct pg_error *err)
{
    struct bracket_scan scan = {pos, 0};
    size_t limit = reader->limits.max_document_bytes;
    size_t stop = reader->len - pos > limit ? pos + limit : reader->len;
    int rc = 0;
    *out = 0;
    switch (scan_brackets(&scan, reader->data, stop, reader->limits.max_depth, true)) {
    case BRACKETS_CLOSED:
        *out = scan.at;
        return 0;
    case BRACKETS_BAD_BYTE:
        return json_error(reader, PG_EPARSE, scan.at, "unexpected character", err);
    case BRACKETS_TOO_DEEP:
        rc = limit_error(reader, scan.at - 1, "nesting deeper than", reader->limits.max_depth,
                         "max_depth", err);
        break;
    case BRACKETS_CUT:
        if (stop == reader->len) {
            return json_error(reader, PG_EPARSE, reader->len, "unexpected end of input", err);
        }
        rc = limit_error(reader, pos, "document larger than", limit, "max_document_bytes", err);
        break;
    }
    if (scan_brackets(&scan, reader->data, reader->len, SIZE_MAX, false) != BRACKETS_CLOSED) {
        return stream_stops(err, rc);
    }
    *out = scan.at;
    return rc;
}

static int check_size(struct pg_doc_reader *reader, size_t start, size_t end, struct pg_error *err)
{
    if (end - start > reader->limits.max_document_bytes) {
        return limit_error(reader, start, "document larger than", reader->limits.max_document_bytes,
                           "max_document_bytes", err);
    }
    return 0;
}

/* [pos, *out) is the next value of the stream. */
static int scan_value(size_t *out, struct pg_doc_reader *reader, size_t pos, struct pg_error *err)
{
    const char *data = reader->data;
    char c = data[pos];
    size_t i = pos;
    if (c == '{' || c == '[') {
        return scan_container(out, reader, pos, err);
    }
    if (c == '"') {
        if (!skip_string(out, data, reader->len, pos)) {
            return json_error(reader, PG_EPARSE, *out, "unexpected end of input", err);
        }
        return check_size(reader, pos, *out, err);
    }
    if (c == '}' || c == ']' || c == ',' || c == ':') {
        return json_error(reader, PG_EPARSE, pos, "unexpected character", err);
    }
    while (i < reader->len && !is_delimiter(data[i])) {
        i++;
    }
    *out = i;
    return check_size(reader, pos, i, err);
}

/* ---- checking what jsmn does not ---------------------------------------------------------- */

/* Only white space, then `sep` (if not 0), then white space from the cursor up to `until`. */
static int expect_gap(struct walk *walk, size_t until, char sep, const char *message,
                      struct pg_error *err)
{
    size_t i = walk->cursor;
    while (i < until && is_space(walk->text[i])) {
        i++;
    }
    if (sep != '\0') {
        if (i >= until || walk->text[i] != sep) {
            return json_error(walk->reader, PG_EPARSE, walk->base + i, message, err);
        }
        i++;
        while (i < until && is_space(walk->text[i])) {
            i++;
        }
    }
    if (i != until) {
        return json_error(walk->reader, PG_EPARSE, walk->base + i, message, err);
    }
    walk->cursor = until;
    return 0;
}

static int check_string(struct walk *walk, size_t start, size_t len, struct pg_error *err)
{
    uint32_t line = 0;
    uint32_t column = 0;
    if (len <= walk->tree->limits.max_string_bytes) {
        return 0;
    }
    position_of(walk->reader, walk->base + start - 1, &line, &column);
    return pg_tree_check_string(walk->tree, len, line, column, err);
}

/* The string token text[start, end) (between its quotes): a view when it has no escapes. */
static int read_string(struct pg_str *out, struct walk *walk, size_t start, size_t end,
                       struct pg_error *err)
{
    const char *text = walk->text;
    size_t i = start;
    size_t bad = 0;
    char *copy = NULL;
    /* Fast path: printable ASCII and valid UTF-8 without escapes is used in place. */
    while (i < end) {
        unsigned char c = (unsigned char)text[i];
        uint32_t rune = 0;
        size_t width = 0;
        if (c >= 0x20 && c < 0x80 && c != '\\') {
            i++;
            continue;
        }
        if (c < 0x80) {
            break; /* an escape or a control character */
        }
        width = pg_utf8_decode(&rune, (const unsigned char *)text + i, end - i);
        if (width == 0) {
            break;
        }
        i += width;
    }
    if (i == end) {
        out->ptr = text + start;
        out->len = end - start;
        return check_string(walk, start, out->len, err);
    }
    /* Escapes only shrink the text, so its raw length is enough room. */
    copy = pg_arena_alloc(walk->tree->arena, end - start + 1);
    if (!pg_json_unescape(copy, &out->len, text, start, end, &bad)) {
        unsigned char c = (unsigned char)text[bad];
        return json_error(walk->reader, PG_EPARSE, walk->base + bad,
                          c == '\\'  ? "invalid escape in a string"
                          : c < 0x20 ? "control character in a string"
                                     : "invalid UTF-8 in a string",
                          err);
    }
    out->ptr = copy;
    return check_string(walk, start, out->len, err);
}

/* ---- nodes -------------------------------------------------------------------------------- */

static int new_node(struct pg_node **out, struct walk *walk, enum pg_node_kind kind, size_t pos,
                    struct pg_error *err)
{
    uint32_t line = 0;
    uint32_t column = 0;
    position_of(walk->reader, walk->base + pos, &line, &column);
    return pg_tree_node(out, walk->tree, kind, line, column, err);
}

/* A string or primitive token as the next value. */
static int read_scalar(struct walk *walk, const jsmntok_t *token, struct pg_error *err)
{
    struct pg_scalar_value value;
    struct pg_str text = {walk->text + token->start, (size_t)(token->end - token->start)};
    struct pg_node *node = NULL;
    bool is_string = token->type == JSMN_STRING;
    size_t open = (size_t)token->start - (is_string ? 1 : 0);
    int rc = 0;
    memset(&value, 0, sizeof(value));
    value.kind = PG_NODE_STR;
    if (is_string) {
        rc = read_string(&text, walk, (size_t)token->start, (size_t)token->end, err);
    } else if (!pg_json_primitive(&value, text.ptr, text.len)) {
        return json_error(walk->reader, PG_EPARSE, walk->base + open, "invalid literal", err);
    }
    if (rc == 0) {
        rc = new_node(&node, walk, value.kind, open, err);
    }
    if (rc < 0 || node == NULL) {
        return rc;
    }
    pg_scalar_set_node(node, &value, text);
    pg_tree_add(walk->tree, node, false);
    walk->cursor = (size_t)token->end + (is_string ? 1 : 0);
    return 0;
}

/* ---- walking the tokens ------------------------------------------------------------------- */

static size_t value_start(const jsmntok_t *token)
{
    return (size_t)token->start - (token->type == JSMN_STRING ? 1 : 0);
}

static const jsmntok_t *next_token(struct walk *walk)
{
    return walk->next < walk->count ? &walk->tokens[walk->next++] : NULL;
}

static int open_container(struct walk *walk, const jsmntok_t *token, struct pg_error *err)
{
    struct pg_doc_reader *reader = walk->reader;
    struct pg_json_frame *frame = NULL;
    struct pg_node *node = NULL;
    bool object = token->type == JSMN_OBJECT;
    int rc = new_node(&node, walk, object ? PG_NODE_MAP : PG_NODE_SEQ, (size_t)token->start, err);
    if (rc == 0) {
        rc = pg_tree_open(walk->tree, node, err);
    }
    if (rc < 0) {
        return rc;
    }
    if (pg_tree_depth(walk->tree) > reader->json_stack_cap) {
        reader->json_stack_cap = reader->json_stack_cap != 0 ? reader->json_stack_cap * 2 : 32;
        reader->json_stack =
            pg_xrealloc(reader->json_stack, reader->json_stack_cap, sizeof(*frame));
    }
    frame = &reader->json_stack[pg_tree_depth(walk->tree) - 1];
    frame->remaining = (size_t)token->size;
    frame->end = (size_t)token->end - 1;
    frame->object = object;
    frame->first = true;
    walk->cursor = (size_t)token->start + 1;
    return 0;
}

/* The next token as a value, after the gap before it holds exactly `sep`. */
static int read_value(struct walk *walk, char sep, const char *message, struct pg_error *err)
{
    const jsmntok_t *token = next_token(walk);
    int rc = 0;
    if (token == NULL) {
        return json_error(walk->reader, PG_EPARSE, walk->base + walk->cursor, message, err);
    }
    rc = expect_gap(walk, value_start(token), sep, message, err);
    if (rc < 0) {
        return rc;
    }
    if (token->type == JSMN_OBJECT || token->type == JSMN_ARRAY) {
        return open_container(walk, token, err);
    }
    return read_scalar(walk, token, err);
}

static int read_key(struct walk *walk, bool first, struct pg_error *err)
{
    const jsmntok_t *token = next_token(walk);
    struct pg_str key = {NULL, 0};
    uint32_t line = 0;
    uint32_t column = 0;
    int rc = 0;
    /* A key with more than one child lacks a comma: the gap checks find where. */
    if (token == NULL || token->type != JSMN_STRING || token->size == 0) {
        size_t at = token != NULL ? value_start(token) : walk->cursor;
        return json_error(walk->reader, PG_EPARSE, walk->base + at,
                          "expected a string key followed by ':'", err);
    }
    rc = expect_gap(walk, value_start(token), first ? '\0' : ',', "expected ',' or '}'", err);
    if (rc == 0) {
        rc = read_string(&key, walk, (size_t)token->start, (size_t)token->end, err);
    }
    if (rc < 0) {
        return rc;
    }
    position_of(walk->reader, walk->base + value_start(token), &line, &column);
    pg_tree_key(walk->tree, key, line, column, false);
    walk->cursor = (size_t)token->end + 1;
    return read_value(walk, ':', "expected ':' after an object key", err);
}

/* Read the next child of the innermost container, or close it. */
static int step(struct walk *walk, struct pg_error *err)
{
    struct pg_json_frame *frame = &walk->reader->json_stack[pg_tree_depth(walk->tree) - 1];
    bool first = frame->first;
    int rc = 0;
    if (frame->remaining == 0) {
        rc = expect_gap(walk, frame->end, '\0',
                        frame->object ? "expected ',' or '}'" : "expected ',' or ']'", err);
        if (rc < 0) {
            return rc;
        }
        walk->cursor = frame->end + 1;
        return pg_tree_close(walk->tree, err);
    }
    frame->remaining--;
    frame->first = false;
    if (frame->object) {
        return read_key(walk, first, err);
    }
    return read_value(walk, first ? '\0' : ',', "expected ',' or ']'", err);
}

static int jsmn_failure(struct walk *walk, int code, unsigned int pos, struct pg_error *err)
{
    size_t at = pos < walk->len ? pos : walk->len;
    const char *nul = memchr(walk->text, '\0', walk->len);
    if (nul != NULL) {
        /* jsmn takes a NUL byte for the end of its input. */
        return json_error(walk->reader, PG_EPARSE, walk->base + (size_t)(nul - walk->text),
                          "NUL byte", err);
    }
    if (code == JSMN_ERROR_PART) {
        return json_error(walk->reader, PG_EPARSE, walk->base + walk->len,
                          "unexpected end of input", err);
    }
    return json_error(walk->reader, PG_EPARSE, walk->base + at,
                      code == JSMN_ERROR_INVAL ? "unexpected character" : "too many tokens", err);
}

/*
 * The max_nodes error at the node that crossed the limit, from the first `count` tokens of a
 * document that has more: keys are tokens but not nodes (a key's parent is its object, a
 * value's parent is its key), and tokens come in document order, as the builder makes nodes.
 */
static int too_many_nodes(struct walk *walk, const jsmntok_t *tokens, size_t count,
                          struct pg_error *err)
{
    size_t nodes = 0;
    size_t i = 0;
    uint32_t line = 0;
    uint32_t column = 0;
    for (; i < count; i++) {
        int parent = tokens[i].parent;
        if (parent < 0 || tokens[parent].type != JSMN_OBJECT) {
            if (++nodes > walk->tree->limits.max_nodes) {
                break;
            }
        }
    }
    position_of(walk->reader, walk->base + (i < count ? value_start(&tokens[i]) : 0), &line,
                &column);
    return pg_tree_too_many_nodes(walk->tree, line, column, err);
}

/*
 * Tokens of a container document: counted first, so the array is checked before it exists.
 * A document with more than max_nodes nodes gets only the tokens up to the one that crosses
 * the limit, enough to say where it does.
 */
static int tokenize(struct walk *walk, struct pg_error *err)
{
    struct pg_doc_reader *reader = walk->reader;
    jsmn_parser parser;
    int count = 0;
    size_t wanted = 0;
    /* n nodes take at least 2n - 1 tokens (each key is followed by its value), so the first
       2n + 3 tokens hold node n + 1: one past the limit. */
    size_t most = reader->limits.max_nodes < ((size_t)INT_MAX - 3) / 2
                      ? 2 * reader->limits.max_nodes + 3
                      : (size_t)INT_MAX;
    jsmn_init(&parser);
    count = jsmn_parse(&parser, walk->text, walk->len, NULL, 0);
    if (count < 0) {
        return jsmn_failure(walk, count, parser.pos, err);
    }
    wanted = (size_t)count < most ? (size_t)count : most;
    if (wanted > reader->json_tokens_cap) {
        free(reader->json_tokens);
        /* No need to zero: jsmn initialises each token it hands out. */
        reader->json_tokens = pg_xrealloc(NULL, wanted, sizeof(jsmntok_t));
        reader->json_tokens_cap = wanted;
    }
    jsmn_init(&parser);
    count = jsmn_parse(&parser, walk->text, walk->len, reader->json_tokens, (unsigned int)wanted);
    if (count == JSMN_ERROR_NOMEM && wanted == most) {
        return too_many_nodes(walk, reader->json_tokens, wanted, err);
    }
    if (count < 0) {
        return jsmn_failure(walk, count, parser.pos, err);
    }
    walk->tokens = reader->json_tokens;
    walk->count = (size_t)count;
    return 0;
}

static int walk_document(struct walk *walk, struct pg_error *err)
{
    jsmntok_t single;
    int rc = 0;
    if (walk->text[0] == '{' || walk->text[0] == '[') {
        rc = tokenize(walk, err);
    } else {
        /* jsmn's strict mode wants a delimiter after a top-level primitive: make the token. */
        bool is_string = walk->text[0] == '"';
        single.type = is_string ? JSMN_STRING : JSMN_PRIMITIVE;
        single.start = is_string ? 1 : 0;
        single.end = (int)walk->len - (is_string ? 1 : 0);
        single.size = 0;
        single.parent = -1;
        walk->tokens = &single;
        walk->count = 1;
    }
    if (rc == 0) {
        rc = read_value(walk, '\0', "unexpected character", err);
    }
    while (rc == 0 && pg_tree_depth(walk->tree) > 0) {
        rc = step(walk, err);
    }
    if (rc == 0 && (walk->next != walk->count || walk->cursor != walk->len)) {
        rc = json_error(walk->reader, PG_EPARSE, walk->base + walk->cursor, "unexpected character",
                        err);
    }
    walk->tokens = NULL; /* `single` dies here */
    return rc;
}

/* Skip white space between values of the stream. */
static size_t skip_space(const char *data, size_t len, size_t pos)
{
    while (pos < len && is_space(data[pos])) {
        pos++;
    }
    return pos;
}

/* An object or array through the fast reader (json_fast.c); NULL when it gives up. */
static struct pg_doc *read_fast(struct pg_doc_reader *reader, size_t start)
{
    struct pg_doc *doc = NULL;
    uint32_t line = 0;
    uint32_t column = 0;
    size_t end = 0;
    if (reader->json_checked_only || (reader->data[start] != '{' && reader->data[start] != '[')) {
        return NULL;
    }
    position_of(reader, start, &line, &column);
    doc = pg_doc_start(reader);
    if (!pg_json_fast_read(reader, start, line, column, &end)) {
        pg_doc_free(doc);
        return NULL;
    }
    doc->index = reader->index++;
    doc->line = line;
    pg_tree_finish(doc, &reader->tree);
    reader->pos = end;
    return doc;
}

/* The document [start, end) as document `doc`: jsmn and the walk. */
static int walk_checked(struct pg_doc_reader *reader, struct pg_doc *doc, size_t start, size_t end,
                        struct pg_error *err)
{
    struct walk walk;
    uint32_t column = 0;
    if (end - start > INT_MAX) {
        return limit_error(reader, start, "document larger than", (size_t)INT_MAX,
                           "jsmn's limit in bytes", err);
    }
    memset(&walk, 0, sizeof(walk));
    walk.reader = reader;
    walk.tree = &reader->tree;
    walk.text = reader->data + start;
    walk.len = end - start;
    walk.base = start;
    position_of(reader, start, &doc->line, &column);
    return walk_document(&walk, err);
}

/*
 * The checking reader: pre-scan, jsmn, walk; every error with its position. A crossed limit
 * costs only its document when its end is known: the stream goes on after it. A syntax error
 * ends the stream, as the end found by counting brackets may be wrong in a broken document.
 */
static int read_checked(struct pg_doc_reader *reader, size_t start, struct pg_doc **out,
                        struct pg_error *err)
{
    struct pg_doc *doc = NULL;
    size_t end = 0;
    int rc = scan_value(&end, reader, start, err);
    if (rc == 0) {
        doc = pg_doc_start(reader);
        doc->index = reader->index;
        rc = walk_checked(reader, doc, start, end, err);
    }
    reader->index++;
    if (rc < 0) {
        pg_doc_free(doc);
        reader->done = rc != PG_ELIMIT || end == 0;
        reader->pos = end;
        return rc;
    }
    pg_tree_finish(doc, &reader->tree);
    reader->pos = end;
    *out = doc;
    return 1;
}

int pg_json_read_next(struct pg_doc_reader *reader, struct pg_doc **out, size_t *index_out,
                      struct pg_error *err)
{
    size_t start = skip_space(reader->data, reader->len, reader->pos);
    if (reader->json_cursor.line == 0) {
        reader->json_cursor.pos = reader->body; /* a byte order mark is not a column */
        reader->json_cursor.line = reader->origin_line;
        reader->json_cursor.column = 1;
    }
    if (start >= reader->len) {
        reader->done = true;
        return 0;
    }
    if (index_out != NULL) {
        *index_out = reader->index;
    }
    /* Valid documents are read once; the checking reader explains the others. */
    *out = read_fast(reader, start);
    if (*out != NULL) {
        return 1;
    }
    return read_checked(reader, start, out, err);
}

void pg_json_release(struct pg_doc_reader *reader)
{
    free(reader->json_tokens);
    free(reader->json_stack);
    reader->json_tokens = NULL;
    reader->json_stack = NULL;
}
