/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The public face of the doc module: the reader object, format detection and
 * the small node helpers. Parsing itself is in yaml_reader.c and
 * json_reader.c, tree building in tree.c.
 */
#include "doc/reader.h"

#include "podgate/arena.h"
#include "util/xalloc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static bool has_bom(const char *data, size_t len)
{
    return len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0;
}

/* JSON when the first non-blank byte after an optional BOM is `{` or `[`. */
static enum pg_doc_format detect_format(const char *data, size_t len)
{
    size_t i = has_bom(data, len) ? 3 : 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) {
        i++;
    }
    if (i < len && (data[i] == '{' || data[i] == '[')) {
        return PG_FORMAT_JSON;
    }
    return PG_FORMAT_YAML;
}

/* The limits to read with (NULL: the defaults, kept in *defaults) and whether `len` is within
   them. */
static int input_limits(const struct pg_limits **limits, struct pg_limits *defaults, size_t len,
                        struct pg_error *err)
{
    if (*limits == NULL) {
        pg_limits_default(defaults);
        *limits = defaults;
    }
    if (len > (*limits)->max_input_bytes) {
        return pg_error_set(err, PG_ELIMIT, "input is larger than %zu bytes (max_input_bytes)",
                            (*limits)->max_input_bytes);
    }
    return 0;
}

/* Everything of the reader that belongs to its input, set for `data` from its first byte. */
static void bind_input(struct pg_doc_reader *reader, const char *data, size_t len,
                       const struct pg_limits *limits)
{
    reader->data = data != NULL ? data : "";
    reader->len = len;
    reader->limits = *limits;
    reader->tree.limits = *limits;
    /* Both libyaml and kubectl accept a leading byte order mark; it is not content. */
    reader->body = has_bom(reader->data, len) ? 3 : 0;
    reader->pos = reader->body;
    reader->line = 1;
    reader->origin_line = 1;
    reader->index = 0;
    reader->done = false;
    reader->filter = NULL;
    reader->filter_found = false;
    reader->filter_at = 0;
    reader->yaml_breaks_checked = false;
    memset(&reader->json_cursor, 0, sizeof(reader->json_cursor));
}

int pg_doc_reader_new(struct pg_doc_reader **out, const char *data, size_t len,
                      enum pg_doc_format format, const struct pg_limits *limits,
                      struct pg_error *err)
{
    struct pg_doc_reader *reader = NULL;
    struct pg_limits defaults;
    int rc = 0;
    if (out == NULL || (data == NULL && len != 0)) {
        return pg_error_set(err, PG_EINVAL, "pg_doc_reader_new: invalid argument");
    }
    *out = NULL;
    rc = input_limits(&limits, &defaults, len, err);
    if (rc != 0) {
        return rc;
    }
    if (format != PG_FORMAT_AUTO && format != PG_FORMAT_YAML && format != PG_FORMAT_JSON) {
        return pg_error_set(err, PG_EINVAL, "pg_doc_reader_new: unknown format %d", (int)format);
    }
    reader = pg_xcalloc(1, sizeof(*reader));
    pg_tree_init(&reader->tree, limits);
    bind_input(reader, data, len, limits);
    reader->format = format == PG_FORMAT_AUTO ? detect_format(reader->data, len) : format;
    *out = reader;
    return 0;
}

int pg_doc_reader_rebind(struct pg_doc_reader *reader, const char *data, size_t len,
                         const struct pg_limits *limits, struct pg_error *err)
{
    struct pg_limits defaults;
    int rc = 0;
    if (reader == NULL || (data == NULL && len != 0)) {
        return pg_error_set(err, PG_EINVAL, "pg_doc_reader_rebind: invalid argument");
    }
    rc = input_limits(&limits, &defaults, len, err);
    if (rc == 0) {
        bind_input(reader, data, len, limits);
    }
    return rc;
}

int pg_doc_reader_next(struct pg_doc_reader *reader, struct pg_doc **out, size_t *index_out,
                       struct pg_error *err)
{
    if (reader == NULL || out == NULL) {
        return pg_error_set(err, PG_EINVAL, "pg_doc_reader_next: invalid argument");
    }
    *out = NULL;
    if (reader->done) {
        return 0;
    }
    if (reader->format == PG_FORMAT_JSON) {
        return pg_json_read_next(reader, out, index_out, err);
    }
    return pg_yaml_read_next(reader, out, index_out, err);
}

void pg_doc_reader_free(struct pg_doc_reader *reader)
{
    if (reader == NULL) {
        return;
    }
    pg_yaml_release(reader);
    pg_json_release(reader);
    pg_tree_release(&reader->tree);
    pg_arena_free(reader->spare_arena);
    free(reader);
}

/*
 * The first arena block for a JSON document: a tree takes about five times
 * its text, and an admission review (one document, the whole input) then
 * gets one block rather than four doubling ones. Capped, so that each
 * document of a long stream does not take a large block.
 */
#define JSON_TREE_PER_BYTE 5
#define JSON_FIRST_BLOCK_MAX ((size_t)64 * 1024)

static size_t first_block_size(const struct pg_doc_reader *reader)
{
    size_t left = reader->len - reader->pos;
    if (reader->format != PG_FORMAT_JSON) {
        return 0; /* YAML documents are cut from a stream: the arena's default */
    }
    return left < JSON_FIRST_BLOCK_MAX / JSON_TREE_PER_BYTE ? left * JSON_TREE_PER_BYTE
                                                            : JSON_FIRST_BLOCK_MAX;
}

struct pg_doc *pg_doc_start(struct pg_doc_reader *reader)
{
    struct pg_arena *arena = reader->spare_arena;
    reader->spare_arena = NULL;
    if (arena == NULL) {
        arena = pg_arena_new_sized(first_block_size(reader));
    }
    /* The document lives in its own arena, so pg_doc_free is one pg_arena_free. */
    struct pg_doc *doc = pg_arena_alloc(arena, sizeof(*doc));
    doc->arena = arena;
    pg_tree_reset(&reader->tree, arena);
    return doc;
}

void pg_doc_free(struct pg_doc *doc)
{
    if (doc == NULL) {
        return;
    }
    pg_arena_free(doc->arena);
}

void pg_doc_recycle(struct pg_doc_reader *reader, struct pg_doc *doc)
{
    struct pg_arena *arena = NULL;
    if (doc == NULL) {
        return;
    }
    if (reader->spare_arena != NULL) {
        pg_doc_free(doc); /* one spare is enough: documents are read one at a time */
        return;
    }
    /* The pg_doc itself lives in its arena: take the arena first. */
    arena = doc->arena;
    pg_arena_reset(arena);
    reader->spare_arena = arena;
}

const struct pg_node *pg_node_get_n(const struct pg_node *node, const char *key, size_t key_len)
{
    size_t i = 0;
    if (node == NULL || key == NULL || node->kind != PG_NODE_MAP) {
        return NULL;
    }
    for (i = 0; i < node->as.map.len; i++) {
        const struct pg_str *name = &node->as.map.entries[i].key;
        /* The first byte before memcmp: most keys of a map differ in length or there. */
        if (name->len == key_len &&
            (key_len == 0 || (name->ptr[0] == key[0] && memcmp(name->ptr, key, key_len) == 0))) {
            return node->as.map.entries[i].value;
        }
    }
    return NULL;
}

const char *pg_node_kind_name(enum pg_node_kind kind)
{
    switch (kind) {
    case PG_NODE_NULL:
        return "null";
    case PG_NODE_BOOL:
        return "boolean";
    case PG_NODE_INT:
        return "integer";
    case PG_NODE_FLOAT:
        return "number";
    case PG_NODE_STR:
        return "string";
    case PG_NODE_SEQ:
        return "list";
    case PG_NODE_MAP:
        return "object";
    case PG_NODE_UNREAD:
        return "unread value";
    }
    return "unknown";
}

/* The first byte needle[0] found by memchr, then the rest compared: for short inputs, the tail
 * after the block search, and needles too long for a one-byte shift table. */
static size_t find_by_first_byte(const char *data, size_t len, const char *needle, size_t nlen)
{
    const char *cursor = data;
    const char *end = data + len;
    while ((size_t)(end - cursor) >= nlen) {
        const char *hit = memchr(cursor, needle[0], (size_t)(end - cursor) - nlen + 1);
        if (hit == NULL) {
            return len;
        }
        if (memcmp(hit, needle, nlen) == 0) {
            return (size_t)(hit - data);
        }
        cursor = hit + 1;
    }
    return len;
}

#if defined(__SSE2__)
/* The needle and its first and last bytes, repeated in every lane. */
struct probe {
    const unsigned char *needle;
    size_t nlen;
    __m128i first;
    __m128i last;
};

/* 0xFF at each of the 16 positions at `bytes` whose first and last bytes are the needle's. */
static inline __m128i end_matches(const struct probe *probe, const unsigned char *bytes)
{
    __m128i heads = _mm_loadu_si128((const __m128i *)(const void *)bytes);
    __m128i tails = _mm_loadu_si128((const __m128i *)(const void *)(bytes + probe->nlen - 1));
    return _mm_and_si128(_mm_cmpeq_epi8(heads, probe->first), _mm_cmpeq_epi8(tails, probe->last));
}

/* The first whole match at positions at..at + 15 (nlen + 15 bytes readable), or len. */
static size_t check_block(const struct probe *probe, const unsigned char *data, size_t len,
                          size_t at)
{
    unsigned mask = (unsigned)_mm_movemask_epi8(end_matches(probe, data + at));
    for (; mask != 0; mask &= mask - 1u) {
        size_t pos = at + (unsigned)__builtin_ctz(mask);
        if (memcmp(data + pos, probe->needle, probe->nlen) == 0) {
            return pos;
        }
    }
    return len;
}

/*
 * The first match found 16 positions at a time, or len; *done gets where the
 * blocks stopped when there is none. A position is a candidate when both its
 * first and its last byte match the needle's; only candidates are compared in
 * full. For the label prefix in YAML, 'p' and '/' 26 bytes on almost never
 * meet, so 64 positions are tested with one branch, and their blocks looked
 * at one by one only on a hit.
 */
static size_t find_blocks(const struct probe *probe, const unsigned char *data, size_t len,
                          size_t *done)
{
    size_t at = 0;
    size_t found = len;
    for (; len - at >= probe->nlen + 63; at += 64) {
        __m128i hits = _mm_or_si128(
            _mm_or_si128(end_matches(probe, data + at), end_matches(probe, data + at + 16)),
            _mm_or_si128(end_matches(probe, data + at + 32), end_matches(probe, data + at + 48)));
        for (size_t block = 0; _mm_movemask_epi8(hits) != 0 && block < 64; block += 16) {
            found = check_block(probe, data, len, at + block);
            if (found < len) {
                return found;
            }
        }
    }
    for (; len - at >= probe->nlen + 15; at += 16) {
        found = check_block(probe, data, len, at);
        if (found < len) {
            return found;
        }
    }
    *done = at;
    return len;
}
#endif

#if !defined(__SSE2__)
/* Horspool: the byte under the needle's end says how far it may move (nlen <= UCHAR_MAX). */
static size_t find_horspool(const unsigned char *bytes, size_t len, const unsigned char *pattern,
                            size_t nlen)
{
    unsigned char shift[256];
    unsigned char last = pattern[nlen - 1];
    memset(shift, (int)nlen, sizeof(shift));
    for (size_t i = 0; i + 1 < nlen; i++) {
        shift[pattern[i]] = (unsigned char)(nlen - 1 - i);
    }
    for (size_t pos = 0; pos <= len - nlen; pos += shift[bytes[pos + nlen - 1]]) {
        if (bytes[pos + nlen - 1] == last && memcmp(bytes + pos, pattern, nlen - 1) == 0) {
            return pos;
        }
    }
    return len;
}
#endif

size_t pg_bytes_find(const char *data, size_t len, const char *needle)
{
    const unsigned char *bytes = (const unsigned char *)data;
    const unsigned char *pattern = (const unsigned char *)needle;
    size_t nlen = strlen(needle);
    if (nlen == 0) {
        return 0;
    }
    if (nlen > len) {
        return len;
    }
#if defined(__SSE2__)
    /* The label prefix starts with 'p', which a search on the first byte alone stops at every
       few dozen bytes of a manifest; Horspool looks at about one byte in ten, but byte by
       byte. Testing both ends of 16 positions at once was cheaper than either. The tail,
       under 16 + nlen bytes, is left to the first-byte search (no shift table to build). */
    const struct probe probe = {pattern, nlen, _mm_set1_epi8((char)pattern[0]),
                                _mm_set1_epi8((char)pattern[nlen - 1])};
    size_t done = 0;
    size_t found = find_blocks(&probe, bytes, len, &done);
    if (found < len) {
        return found;
    }
    return done + find_by_first_byte(data + done, len - done, needle, nlen);
#else
    if (nlen > UCHAR_MAX) {
        return find_by_first_byte(data, len, needle, nlen);
    }
    return find_horspool(bytes, len, pattern, nlen);
#endif
}

bool pg_bytes_contain(const char *data, size_t len, const char *needle)
{
    return pg_bytes_find(data, len, needle) < len || needle[0] == '\0';
}

void pg_doc_reader_set_filter(struct pg_doc_reader *reader, const char *needle)
{
    reader->filter = needle;
    reader->filter_found = false;
}

void pg_doc_reader_set_origin(struct pg_doc_reader *reader, uint32_t line, size_t index)
{
    reader->line = line;
    reader->origin_line = line;
    reader->index = index;
    reader->json_cursor.pos = reader->body;
    reader->json_cursor.line = line;
    reader->json_cursor.column = 1;
}

size_t pg_doc_reader_next_index(const struct pg_doc_reader *reader)
{
    return reader->index;
}
