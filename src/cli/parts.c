/* SPDX-License-Identifier: Apache-2.0 */
/* Parts of a source cut at document boundaries (see parts.h). */
#include "parts.h"

#include "stream.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK ((size_t)1024 * 1024)

static void init(struct pg_parts *parts, enum pg_doc_format format, size_t max_document_bytes)
{
    memset(parts, 0, sizeof(*parts));
    parts->format = format;
    parts->max_document_bytes = max_document_bytes;
    parts->line = 1;
}

int pg_parts_open_file(struct pg_parts *parts, const char *path, enum pg_doc_format format,
                       size_t max_document_bytes, char *error, size_t error_size)
{
    init(parts, format, max_document_bytes);
    parts->stream = fopen(path, "rb");
    if (parts->stream == NULL) {
        (void)snprintf(error, error_size, "cannot read: %s", strerror(errno));
        return -1;
    }
    parts->owns_stream = true;
    return 0;
}

void pg_parts_open_stream(struct pg_parts *parts, FILE *stream, char *head, size_t head_len,
                          enum pg_doc_format format, size_t max_document_bytes)
{
    init(parts, format, max_document_bytes);
    parts->stream = stream;
    parts->buf = head;
    parts->len = head_len;
    parts->cap = head_len;
}

void pg_parts_open_buffer(struct pg_parts *parts, const char *data, size_t len,
                          enum pg_doc_format format)
{
    init(parts, format, SIZE_MAX);
    parts->buf = (char *)(uintptr_t)data; /* never written: there is no stream to read into it */
    parts->len = len;
    parts->eof = true;
}

static int read_block(struct pg_parts *parts, char *error, size_t error_size)
{
    size_t got = 0;
    if (parts->cap - parts->len < BLOCK) {
        parts->cap = parts->len + BLOCK;
        parts->buf = pg_xrealloc(parts->buf, parts->cap, 1);
    }
    got = fread(parts->buf + parts->len, 1, BLOCK, parts->stream);
    parts->len += got;
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
            /* Drop the oversized document up to the next boundary (keep a marker's prefix). */
            parts->part_len = cut > 0 ? cut : (parts->len > 4 ? parts->len - 4 : 0);
            parts->skipping = cut == 0;
            pg_parts_done(parts, parts->index + (cut > 0 ? 1 : 0));
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
    for (const char *p = parts->buf; p != NULL && p < parts->buf + cut; p++) {
        p = memchr(p, '\n', (size_t)(parts->buf + cut - p));
        if (p == NULL) {
            break;
        }
        parts->line++;
    }
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
