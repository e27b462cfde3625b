/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scanning a large standard input as a stream: it is cut at document
 * boundaries into parts that are scanned one by one, so memory stays flat
 * whatever the size of the input.
 */
#ifndef PG_CLI_STREAM_H
#define PG_CLI_STREAM_H

#include "podgate/doc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Where the last complete part of `data` ends: the start of the last YAML
 * `---` line, or the end of the last complete top-level JSON value. 0 when no
 * boundary is known yet.
 */
size_t pg_stream_find_cut(const char *data, size_t len, enum pg_doc_format format);

/*
 * Where the first YAML document after data[0] starts (0 when none is seen yet):
 * where reading resumes after a document too large to keep.
 */
size_t pg_stream_find_first_cut(const char *data, size_t len);

/*
 * Line breaks in `data`, counted as the reader counts them: every LF for JSON;
 * LF, CR, CRLF (once), NEL, LS and PS for YAML. A CR at the very end counts
 * as a line; the caller cuts only before a line start, where that is right.
 */
uint32_t pg_stream_count_lines(const char *data, size_t len, enum pg_doc_format format);

/* The format a stream starting with `data` is read as (JSON if it starts with `{` or `[`). */
enum pg_doc_format pg_stream_detect_format(const char *data, size_t len);

#endif
