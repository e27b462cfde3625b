/* SPDX-License-Identifier: Apache-2.0 */
/* Parts of a source cut at document boundaries (see parts.h). */
#include "parts.h"

#include "stream.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK ((size_t)1024 * 1024)

/*
 * A part of a stream ends at the last document boundary in its first PART_MAX
 * bytes when there is one. The report of a part is held in memory until the
 * part is scanned, and `-o json` runs from half the input's size
 * (gen-corpus.py) to several times it (pods with many findings), so this
 * bounds it, also when a whole 16 MiB head of stdin is handed over. Smaller
 * parts cost a reader each, which callgrind does not see at this size.
 */
#define PART_MAX (BLOCK / 4)

static void init(struct pg_parts *parts, enum pg_doc_format format, const struct pg_limits *limits)
{
    memset(parts, 0, sizeof(*parts));
    parts->format = format;
    parts->max_document_bytes = limits != NULL ? limits->max_document_bytes : SIZE_MAX;
    parts->max_input_bytes = limits != NULL ? limits->max_input_bytes : SIZE_MAX;
    parts->line = 1;
}

int pg_parts_open_file(struct pg_parts *parts, const char *path, enum pg_doc_format format,
                       const struct pg_limits *limits, char *error, size_t error_size)
{
    init(parts, format, limits);
    parts->stream = fopen(path, "rb");
    if (parts->stream == NULL) {
        (void)snprintf(error, error_size, "cannot read: %s", strerror(errno));
        return -1;
    }
    parts->owns_stream = true;
    return 0;
}

void pg_parts_open_stream(struct pg_parts *parts, FILE *stream, char *head, size_t head_len,
                          enum pg_doc_format format, const struct pg_limits *limits)
{
    init(parts, format, limits);
    parts->stream = stream;
    parts->block = head;
    parts->cap = head_len;
    parts->buf = head;
    parts->len = head_len;
    parts->total = head_len;
}

void pg_parts_open_buffer(struct pg_parts *parts, const char *data, size_t len,
                          enum pg_doc_format format, const struct pg_limits *limits)
{
    /* No limits here: the reader applies them to each part, as before the buffer was cut. */
    init(parts, format, NULL);
    parts->whole = limits != NULL && len > limits->max_input_bytes;
    parts->buf = (char *)(uintptr_t)data; /* never written: there is no stream to read into it */
    parts->len = len;
    parts->eof = true;
}

/*
 * Make room for a block after the unread bytes: move them to the start of the
 * buffer (parts are consumed by moving `buf` on, so each byte moves about
 * once), then grow the buffer, or shrink one that a large stdin head or
 * document left: realloc shrinks in place (glibc unmaps the tail of a large
 * block), so resident memory falls back to a few blocks.
 */
static void make_room(struct pg_parts *parts)
{
    size_t start = parts->block != NULL ? (size_t)(parts->buf - parts->block) : 0;
    if (parts->cap - start - parts->len >= BLOCK) {
        return;
    }
    if (start > 0) {
        memmove(parts->block, parts->buf, parts->len);
    }
    if (parts->cap - parts->len < BLOCK || parts->cap > parts->len + 4 * BLOCK) {
        /* Room for two blocks: the rest of one and the next then fit without a realloc, which
           copied (and faulted in) a whole block for every file of less than one block. */
        parts->cap = parts->len + 2 * BLOCK;
        parts->block = pg_xrealloc(parts->block, parts->cap, 1);
    }
    parts->buf = parts->block;
}

static int read_block(struct pg_parts *parts, char *error, size_t error_size)
{
    size_t got = 0;
    make_room(parts);
    got = fread(parts->buf + parts->len, 1, BLOCK, parts->stream);
    parts->len += got;
    parts->total += got;
    if (parts->total > parts->max_input_bytes) {
        /* The whole source is over its limit: what was read before this block stands. */
        (void)snprintf(error, error_size, "input is larger than %zu bytes (max_input_bytes)",
                       parts->max_input_bytes);
        parts->eof = true;
        parts->len = 0;
        return -1;
    }
    if (got == 0) {
        parts->eof = true;
        if (ferror(parts->stream)) {
            (void)snprintf(error, error_size, "read error: %s", strerror(errno));
            parts->len = 0;
            return -1;
        }
    }
    return 0;
}

/*
 * Drop what the buffer holds of an oversized document. YAML resumes at the
 * first document after it (not the last one in the buffer: the documents in
 * between would be lost); the rest of a JSON stream goes (the reader resumes
 * after a value over a limit, but here the value runs across blocks, and
 * finding its end would need a bracket count kept between them). A marker's prefix is kept.
 */
static void skip(struct pg_parts *parts)
{
    size_t cut = 0;
    if (parts->format != PG_FORMAT_JSON) {
        cut = pg_stream_find_first_cut(parts->buf, parts->len);
    }
    if (cut == 0 && parts->eof) {
        cut = parts->len;
    }
    /* Keep a tail: a marker there may lack the bytes that tell; the search starts at 1. */
    parts->part_len = cut > 0 ? cut : (parts->len > 16 ? parts->len - 16 : 0);
    parts->skipping = cut == 0 || parts->format == PG_FORMAT_JSON;
    pg_parts_done(parts, parts->index + (cut > 0 ? 1 : 0));
}

/* Where the next part ends, 0 when the buffer holds no whole part yet. */
static size_t part_cut(const struct pg_parts *parts)
{
    size_t cut = 0;
    if (!parts->whole && parts->len > PART_MAX) {
        cut = pg_stream_find_cut(parts->buf, PART_MAX, parts->format);
    }
    if (cut == 0) {
        cut = parts->eof ? parts->len : pg_stream_find_cut(parts->buf, parts->len, parts->format);
    }
    return cut;
}

int pg_parts_next(struct pg_parts *parts, const char **data, size_t *len, char *error,
                  size_t error_size)
{
    for (;;) {
        size_t cut = 0;
        bool cuttable = parts->format != PG_FORMAT_AUTO && !parts->skipping;
        if (parts->eof && parts->len == 0) {
            return 0;
        }
        cut = cuttable ? part_cut(parts) : 0;
        if (cut > 0) {
            *data = parts->buf;
            *len = cut;
            parts->part_len = cut;
            return 1;
        }
        if (cuttable && parts->len > parts->max_document_bytes + BLOCK) {
            /* The JSON skip below keeps no bracket count across blocks: say what it costs. */
            (void)snprintf(
                error, error_size, "document larger than %zu bytes (max_document_bytes)%s",
                parts->max_document_bytes,
                parts->format == PG_FORMAT_JSON ? "; the JSON stream is not read past it" : "");
            parts->skipping = true;
            return -1;
        }
        /* Read only when the buffer holds no whole part, so that a large head handed over by
           pg_parts_open_stream is cut up before anything is added to it. */
        if (!parts->eof && read_block(parts, error, error_size) != 0) {
            return -1;
        }
        if (parts->format == PG_FORMAT_AUTO) {
            parts->format = pg_stream_detect_format(parts->buf, parts->len);
        }
        if (parts->skipping) {
            skip(parts);
        }
    }
}

void pg_parts_done(struct pg_parts *parts, size_t next_index)
{
    size_t cut = parts->part_len;
    parts->line += pg_stream_count_lines(parts->buf, cut, parts->format);
    parts->index = next_index;
    parts->buf += cut;
    parts->len -= cut;
    parts->part_len = 0;
}

void pg_parts_close(struct pg_parts *parts)
{
    if (parts->owns_stream && parts->stream != NULL) {
        (void)fclose(parts->stream);
    }
    free(parts->block);
    memset(parts, 0, sizeof(*parts));
}
