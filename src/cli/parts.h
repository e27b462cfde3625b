/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading a source in parts cut at document boundaries, so a scan of any size
 * holds at most about one document plus one read block in memory. Each part
 * carries the line and document index it starts at.
 */
#ifndef PG_CLI_PARTS_H
#define PG_CLI_PARTS_H

#include "podgate/doc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct pg_parts {
    FILE *stream;     /* NULL for an in-memory source */
    bool owns_stream; /* fclose it at the end */
    char *block;      /* a stream's buffer (malloc'd); NULL for an in-memory source */
    size_t cap;       /* bytes at `block` */
    char *buf;        /* unread bytes: in `block` for a stream */
    size_t len;
    bool eof;
    bool skipping; /* dropping an oversized document up to the next boundary */
    bool whole; /* an in-memory source over max_input_bytes: one part, for the reader to refuse */
    enum pg_doc_format format;
    size_t max_document_bytes;
    size_t max_input_bytes;
    size_t total;  /* bytes read from the stream so far */
    uint32_t line; /* line and document index of buf[0] */
    size_t index;
    size_t part_len; /* the part handed out by pg_parts_next */
};

/* Open a file for reading in parts. Returns 0 or -1 with a message. */
int pg_parts_open_file(struct pg_parts *parts, const char *path, enum pg_doc_format format,
                       const struct pg_limits *limits, char *error, size_t error_size);

/* Continue reading `stream` in parts after `head` (malloc'd, taken over) was read from it. */
void pg_parts_open_stream(struct pg_parts *parts, FILE *stream, char *head, size_t head_len,
                          enum pg_doc_format format, const struct pg_limits *limits);

/*
 * Read an in-memory buffer (borrowed, must outlive the parts) in parts, as a
 * stream; one over limits->max_input_bytes stays one part, which the reader
 * refuses whole, as read_block refuses a stream.
 */
void pg_parts_open_buffer(struct pg_parts *parts, const char *data, size_t len,
                          enum pg_doc_format format, const struct pg_limits *limits);

/*
 * The next part: returns 1 with the part in data and len (valid until the next call) and
 * its origin in parts->line / parts->index; 0 at the end; -1 for a problem
 * at parts->line (message in `error`: a read error or more than
 * max_input_bytes ends the source; an oversized YAML document is skipped and
 * reading goes on at the next one; after an oversized JSON value the rest of
 * the stream is dropped, and the message says so).
 */
int pg_parts_next(struct pg_parts *parts, const char **data, size_t *len, char *error,
                  size_t error_size);

/* The part was consumed; `next_index` is the index of the document after it. */
void pg_parts_done(struct pg_parts *parts, size_t next_index);

void pg_parts_close(struct pg_parts *parts);

#endif
