/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fast JSON reader: one pass over an object or array document that checks
 * RFC 8259 and builds the tree as it goes, with no tokens and no pre-scan.
 * It does not explain failures: on anything it does not accept (a syntax
 * error, a limit) it gives up, and json_reader.c reads the document again
 * with the checking reader, which finds and positions the error. Valid
 * documents, nearly all of them and every admission review that gets judged,
 * are read once. tests/unit/doc/test_json_fast.c checks that both readers
 * agree on what is valid and on the trees they build.
 */
#include "doc/json_scalar.h"
#include "doc/reader.h"
#include "doc/swar.h"
#include "util/utf8.h"

#include "podgate/arena.h"

#include <limits.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/*
 * The per-token steps below are inlined into the walk: GCC's -O2 heuristics
 * left them as calls, which cost about 11,000 instructions of the 150,000 of
 * an admission review (bench/admission_instr.sh). GCC and clang, the
 * compilers the presets use, both know the attribute.
 */
#define HOT static inline __attribute__((always_inline))

/* One document being read: stream offsets, and where column 1 of the current line is. */
struct fast {
    struct pg_tree *tree;
    const char *data;
    size_t pos;
    size_t stop;      /* the document may not use this byte or any after it */
    size_t word_stop; /* an 8-byte load at any offset below this stays inside the input */
    size_t vec_stop;  /* and a 16-byte load */
    uint32_t line;
    /*
     * Offset that column 1 of the current line would have if every character
     * were one byte: a character's column is its offset minus this, plus one.
     * Line breaks only occur in white space and UTF-8 continuation bytes only
     * in strings, so the readers below keep it exact in passing.
     */
    size_t line_base;
    pg_doc_unread_fn unread; /* the reader's json_unread */
};

static uint32_t column_of(const struct fast *f, size_t pos)
{
    return (uint32_t)(pos - f->line_base + 1);
}

static bool at_space(const struct fast *f)
{
    char c = f->data[f->pos];
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static bool skip_space_slow(struct fast *f)
{
    while (f->pos < f->stop && at_space(f)) {
        if (f->data[f->pos] == '\n') {
            f->line++;
            f->line_base = f->pos + 1;
        }
        f->pos++;
    }
    return f->pos < f->stop;
}

/* Skip white space; false at the end of the document. Compact JSON has none: test that first. */
HOT bool skip_space(struct fast *f)
{
    if (f->pos < f->stop && (unsigned char)f->data[f->pos] > ' ') {
        return true;
    }
    return skip_space_slow(f);
}

#if defined(__SSE2__)
/* The bytes of the 16 from `pos` that end a plain run of string text, as a bit mask. */
static inline unsigned string_specials16(const struct fast *f, size_t pos)
{
    __m128i bytes = _mm_loadu_si128((const __m128i *)(const void *)(f->data + pos));
    /* A signed compare: below 0x20, or 0x80 and above (negative). */
    __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('"')),
                                                _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'))),
                                   _mm_cmplt_epi8(bytes, _mm_set1_epi8(0x20)));
    return (unsigned)_mm_movemask_epi8(special);
}
#endif

/* string_run past its first step: the rest of a long string, or one near the input's end. */
static size_t string_run_rest(const struct fast *f, size_t pos)
{
#if defined(__SSE2__)
    while (pos < f->vec_stop) {
        unsigned mask = string_specials16(f, pos);
        if (mask != 0) {
            return pos + (unsigned)__builtin_ctz(mask);
        }
        pos += 16;
    }
#endif
    while (pos < f->word_stop) {
        uint64_t word = pg_swar_load(f->data + pos);
        uint64_t quotes = word ^ (PG_SWAR_ONES * '"');
        uint64_t backslashes = word ^ (PG_SWAR_ONES * '\\');
        /*
         * High bit of a byte: zero after the XOR (a quote or backslash), below 0x20
         * (borrows), or 0x80 and above. Borrows can mark bytes above a marked one,
         * never below it, so the lowest marked byte is exact.
         */
        uint64_t special =
            (((quotes - PG_SWAR_ONES) & ~quotes) | ((backslashes - PG_SWAR_ONES) & ~backslashes) |
             (word - PG_SWAR_ONES * 0x20) | word) &
            PG_SWAR_HIGHS;
        if (special != 0) {
            return pos + pg_swar_first(special);
        }
        pos += 8;
    }
    while (pos < f->stop) {
        unsigned char c = (unsigned char)f->data[pos];
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) {
            return pos;
        }
        pos++;
    }
    return pos;
}

/*
 * Offset of the first byte from `pos` that ends a plain run of string text.
 * Sixteen bytes a step where SSE2 is there (every x86-64): most keys and
 * values end within the first, which stays inline.
 */
HOT size_t string_run(const struct fast *f, size_t pos)
{
#if defined(__SSE2__)
    if (pos < f->vec_stop) {
        unsigned mask = string_specials16(f, pos);
        if (mask != 0) {
            return pos + (unsigned)__builtin_ctz(mask);
        }
        pos += 16;
    }
#endif
    return string_run_rest(f, pos);
}

/*
 * The rest of the string whose opening quote is at f->pos, from `pos`, where
 * string_run stopped at something other than the closing quote: escapes
 * (noted), UTF-8 (checked), or an error. f->pos ends past the closing quote,
 * whose offset goes to *end_out.
 */
static bool scan_string_rest(struct fast *f, size_t pos, size_t *end_out, bool *escaped)
{
    for (;;) {
        unsigned char c = 0;
        if (pos >= f->stop) {
            return false;
        }
        c = (unsigned char)f->data[pos];
        if (c == '"') {
            *end_out = pos;
            f->pos = pos + 1;
            return true;
        }
        if (c == '\\') {
            /* Checked by pg_json_unescape; only the escaped byte must not end the scan. */
            *escaped = true;
            pos += 2;
        } else if (c < 0x20) {
            return false;
        } else {
            uint32_t rune = 0;
            size_t width =
                pg_utf8_decode(&rune, (const unsigned char *)f->data + pos, f->stop - pos);
            if (width == 0) {
                return false;
            }
            f->line_base += width - 1; /* continuation bytes take no column */
            pos += width;
        }
        pos = string_run(f, pos);
    }
}

/* read_string past a string's plain start at `pos`: a view, or an unescaped arena copy. */
static bool read_string_rest(struct fast *f, struct pg_str *out, size_t pos)
{
    size_t start = f->pos + 1;
    size_t end = 0;
    size_t bad = 0;
    bool escaped = false;
    char *copy = NULL;
    if (!scan_string_rest(f, pos, &end, &escaped)) {
        return false;
    }
    out->ptr = f->data + start;
    out->len = end - start;
    if (escaped) {
        /* Escapes only shrink the text, so its raw length is enough room. */
        copy = pg_arena_alloc(f->tree->arena, end - start + 1);
        if (!pg_json_unescape(copy, &out->len, f->data, start, end, &bad)) {
            return false;
        }
        out->ptr = copy;
    }
    return out->len <= f->tree->limits.max_string_bytes;
}

/*
 * The string at f->pos, f->pos past it. Inline for the common case, printable
 * ASCII up to the closing quote, which is used in place.
 */
HOT bool read_string(struct fast *f, struct pg_str *out)
{
    size_t start = f->pos + 1;
    size_t end = string_run(f, start);
    if (end >= f->stop || f->data[end] != '"') {
        return read_string_rest(f, out, end);
    }
    out->ptr = f->data + start;
    out->len = end - start;
    f->pos = end + 1;
    return out->len <= f->tree->limits.max_string_bytes;
}

static bool is_primitive_byte(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '+' || c == '.';
}

HOT bool new_node(struct fast *f, struct pg_node **out, enum pg_node_kind kind, uint32_t column)
{
    return pg_tree_node(out, f->tree, kind, f->line, column, NULL) == 0;
}

/* The string, number or literal at f->pos into *value and *text, f->pos past it. */
HOT bool scan_scalar(struct fast *f, struct pg_scalar_value *value, struct pg_str *text)
{
    size_t start = f->pos;
    memset(value, 0, sizeof(*value));
    value->kind = PG_NODE_STR;
    text->ptr = f->data + start;
    text->len = 0;
    if (f->data[start] == '"') {
        return read_string(f, text);
    }
    while (f->pos < f->stop && is_primitive_byte(f->data[f->pos])) {
        f->pos++;
    }
    text->len = f->pos - start;
    return pg_json_primitive(value, text->ptr, text->len);
}

/* A string, number or literal at f->pos, added to the open container (or as the root). */
HOT bool read_scalar(struct fast *f)
{
    struct pg_scalar_value value;
    struct pg_str text;
    struct pg_node *node = NULL;
    /* Before reading: the string's own multi-byte characters move line_base. */
    uint32_t column = column_of(f, f->pos);
    if (!scan_scalar(f, &value, &text) || !new_node(f, &node, value.kind, column)) {
        return false;
    }
    pg_scalar_set_node(node, &value, text);
    pg_tree_add(f->tree, node, false);
    return true;
}

/* `"key"` white space `:` white space, at f->pos, into *key. */
HOT bool scan_key(struct fast *f, struct pg_str *key)
{
    if (f->data[f->pos] != '"' || !read_string(f, key)) {
        return false;
    }
    if (!skip_space(f) || f->data[f->pos] != ':') {
        return false;
    }
    f->pos++;
    return skip_space(f);
}

/* The next key of the open map, at f->pos. */
HOT bool read_key(struct fast *f)
{
    struct pg_str key;
    uint32_t line = f->line;
    uint32_t column = column_of(f, f->pos);
    if (!scan_key(f, &key)) {
        return false;
    }
    pg_tree_key(f->tree, key, line, column, false);
    return true;
}

/*
 * Nesting that skip_container follows by itself; a deeper unread value makes the fast reader
 * give up, and the checking reader reads the document.
 */
#define UNREAD_DEPTH_MAX 256

/*
 * The object or array at f->pos, checked as read_document checks it (syntax, strings, numbers,
 * the depth and string limits) but not built. Nodes are not counted against max_nodes: the
 * limit bounds memory, and none is taken (only a string with escapes is unescaped into the
 * arena, to check them: at most its own length, within the document's).
 */
static bool skip_container(struct fast *f)
{
    bool objects[UNREAD_DEPTH_MAX];
    size_t open = pg_tree_depth(f->tree);
    size_t room = f->tree->limits.max_depth > open ? f->tree->limits.max_depth - open : 0;
    size_t depth = 0;
    bool want_value = true;
    struct pg_scalar_value value;
    struct pg_str text;
    for (;;) {
        char c = 0;
        if (want_value) {
            c = f->data[f->pos];
            if (c != '{' && c != '[') {
                if (!scan_scalar(f, &value, &text)) {
                    return false;
                }
                want_value = false;
                continue;
            }
            if (depth == room || depth == UNREAD_DEPTH_MAX) {
                return false;
            }
            objects[depth++] = c == '{';
            f->pos++;
            if (!skip_space(f)) {
                return false;
            }
            if (f->data[f->pos] == (c == '{' ? '}' : ']')) {
                f->pos++;
                want_value = false;
                if (--depth == 0) {
                    return true;
                }
            } else if (c == '{' && !scan_key(f, &text)) {
                return false;
            }
            continue;
        }
        if (!skip_space(f)) {
            return false;
        }
        c = f->data[f->pos++];
        if (c == ',') {
            if (!skip_space(f) || (objects[depth - 1] && !scan_key(f, &text))) {
                return false;
            }
            want_value = true;
            continue;
        }
        if (c != (objects[depth - 1] ? '}' : ']')) {
            return false;
        }
        if (--depth == 0) {
            return true;
        }
    }
}

/* Whether the object or array at f->pos is the value of a key nothing reads. */
static inline bool value_unread(const struct fast *f)
{
    const struct pg_str *key = NULL;
    if (f->unread == NULL || !pg_tree_in_map(f->tree)) {
        return false;
    }
    key = &f->tree->slots[f->tree->slots_len - 1].key;
    return f->unread(key->ptr, key->len);
}

/*
 * That unread object or array: checked, and one PG_NODE_UNREAD node in its place, whose text is
 * the value's bytes (a view into the input) so that two unread values can still be compared.
 */
static bool read_unread(struct fast *f)
{
    struct pg_node *node = NULL;
    size_t start = f->pos;
    uint32_t line = f->line;
    uint32_t column = column_of(f, f->pos);
    if (!skip_container(f) ||
        pg_tree_node(&node, f->tree, PG_NODE_UNREAD, line, column, NULL) != 0) {
        return false;
    }
    node->text = (struct pg_str){f->data + start, f->pos - start};
    pg_tree_add(f->tree, node, false);
    return true;
}

/*
 * The `{` or `[` at f->pos: open it, then read a key if it is a non-empty
 * object. *closed is set when it was empty and is closed already.
 */
HOT bool open_container(struct fast *f, bool *closed)
{
    bool object = f->data[f->pos] == '{';
    struct pg_node *node = NULL;
    if (!new_node(f, &node, object ? PG_NODE_MAP : PG_NODE_SEQ, column_of(f, f->pos)) ||
        pg_tree_open(f->tree, node, NULL) != 0) {
        return false;
    }
    f->pos++;
    if (!skip_space(f)) {
        return false;
    }
    *closed = f->data[f->pos] == (object ? '}' : ']');
    if (*closed) {
        f->pos++;
        return pg_tree_close(f->tree, NULL) == 0;
    }
    return !object || read_key(f);
}

/* A value at f->pos (white space skipped); *opened when it opened a non-empty container. */
HOT bool read_value(struct fast *f, bool *opened)
{
    char c = f->data[f->pos];
    bool closed = false;
    *opened = false;
    if (c == '{' || c == '[') {
        if (value_unread(f)) {
            return read_unread(f);
        }
        if (!open_container(f, &closed)) {
            return false;
        }
        *opened = !closed;
        return true;
    }
    return read_scalar(f);
}

/* After a value inside a container: `,` and the next key, or the closing bracket. */
HOT bool after_value(struct fast *f, bool *want_value)
{
    bool in_map = pg_tree_in_map(f->tree);
    char c = 0;
    if (!skip_space(f)) {
        return false;
    }
    c = f->data[f->pos++];
    if (c == ',') {
        *want_value = true;
        return skip_space(f) && (!in_map || read_key(f));
    }
    *want_value = false;
    return c == (in_map ? '}' : ']') && pg_tree_close(f->tree, NULL) == 0;
}

static bool read_document(struct fast *f)
{
    bool want_value = true;
    bool opened = false;
    if (!read_value(f, &opened)) {
        return false;
    }
    want_value = opened;
    while (pg_tree_depth(f->tree) > 0) {
        if (want_value) {
            if (!read_value(f, &opened)) {
                return false;
            }
            want_value = opened;
            continue;
        }
        if (!after_value(f, &want_value)) {
            return false;
        }
    }
    return true;
}

bool pg_json_fast_read(struct pg_doc_reader *reader, size_t start, uint32_t line, uint32_t column,
                       size_t *end_out)
{
    struct fast f;
    size_t room = reader->len - start;
    size_t limit = reader->limits.max_document_bytes < (size_t)INT_MAX
                       ? reader->limits.max_document_bytes
                       : (size_t)INT_MAX;
    memset(&f, 0, sizeof(f));
    f.tree = &reader->tree;
    f.data = reader->data;
    f.pos = start;
    /* The checking reader's document limits: max_document_bytes, and jsmn's int offsets. */
    f.stop = start + (room < limit ? room : limit);
    f.word_stop = reader->len >= 8 ? reader->len - 7 : 0;
    f.vec_stop = reader->len >= 16 ? reader->len - 15 : 0;
    f.line = line;
    f.line_base = start - (column - 1);
    f.unread = reader->json_unread;
    if (!read_document(&f)) {
        return false;
    }
    reader->json_cursor.pos = f.pos;
    reader->json_cursor.line = f.line;
    reader->json_cursor.column = column_of(&f, f.pos);
    *end_out = f.pos;
    return true;
}
