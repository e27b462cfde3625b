/* SPDX-License-Identifier: Apache-2.0 */
/* Parts of a source cut at document boundaries (see parts.h). */
#include "parts.h"

#include "stream.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK ((size_t)1024 * 1024)

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
    parts->buf = head;
    parts->len = head_len;
    parts->cap = head_len;
    parts->total = head_len;
}

void pg_parts_open_buffer(struct pg_parts *parts, const char *data, size_t len,
                          enum pg_doc_format format)
{
    init(parts, format, NULL);
    parts->buf = (char *)(uintptr_t)data; /* never written: there is no stream to read into it */
    parts->len = len;
    parts->eof = true;
}

static int read_block(struct pg_parts *parts, char *error, size_t error_size)
{
    size_t got = 0;
    if (parts->cap - parts->len < BLOCK) {
        /* Room for two blocks: the rest of one and the next then fit without a realloc, which
           copied (and faulted in) a whole block for every file of less than one block. */
        parts->cap = parts->len + 2 * BLOCK;
        parts->buf = pg_xrealloc(parts->buf, parts->cap, 1);
    }
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
 * between would be lost); a JSON stream cannot be resynchronised, so the rest
 * of it goes, as after any JSON error. A marker's prefix is kept.
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

int pg_parts_next(struct pg_parts *parts, const char **data, size_t *len, char *error,
                  size_t error_size)
{
    for (;;) {
        size_t cut = 0;
        if (parts->eof && parts->len == 0) {
            return 0;
        }
        if (!parts->eof && read_block(parts, error, error_size) != 0) {
            return -1;
        }
        if (parts->format == PG_FORMAT_AUTO) {
            parts->format = pg_stream_detect_format(parts->buf, parts->len);
        }
        cut = parts->eof ? parts->len : pg_stream_find_cut(parts->buf, parts->len, parts->format);
        if (parts->skipping) {
            skip(parts);
            continue;
        }
        if (cut == 0 && parts->len > parts->max_document_bytes + BLOCK) {
            (void)snprintf(error, error_size, "document larger than %zu bytes (max_document_bytes)",
                           parts->max_document_bytes);
            parts->skipping = true;
            return -1;
        }
        if (cut > 0) {
            *data = parts->buf;
            *len = cut;
            parts->part_len = cut;
            return 1;
        }
    }
}

void pg_parts_done(struct pg_parts *parts, size_t next_index)
{
    size_t cut = parts->part_len;
    parts->line += pg_stream_count_lines(parts->buf, cut, parts->format);
    parts->index = next_index;
    if (parts->stream != NULL) {
        memmove(parts->buf, parts->buf + cut, parts->len - cut);
    } else {
        parts->buf += cut;
    }
    parts->len -= cut;
    parts->part_len = 0;
}

void pg_parts_close(struct pg_parts *parts)
{
    if (parts->owns_stream && parts->stream != NULL) {
        (void)fclose(parts->stream);
    }
    if (parts->stream != NULL) {
        free(parts->buf);
    }
    memset(parts, 0, sizeof(*parts));
}
