/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Splitting a YAML stream into documents before parsing, so that each one gets
 * a fresh libyaml parser and an error in one document does not lose the rest.
 * Line breaks are counted the way libyaml counts them (LF, CR, CRLF, NEL, LS,
 * PS) so that line numbers add up across documents.
 */
#ifndef PG_DOC_YAML_SPLIT_H
#define PG_DOC_YAML_SPLIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pg_yaml_chunk {
    size_t start;         /* first byte of the chunk (a line start) */
    size_t end;           /* one past its last byte */
    uint32_t line;        /* 1-based line of `start` */
    uint32_t marker_line; /* line of its `---`, or 0 when it has none */
    uint32_t next_line;   /* 1-based line of `end` */
    bool ascii;           /* no byte is above 0x7F (left false with simple breaks: see below) */
    bool trailing;        /* no document, only text libyaml must still check */
};

/*
 * Find the document that starts at or after `pos` (a line start on `line`).
 * A document starts at a line `---` followed by a blank or the line end, and
 * ends before the next such line or after a line `...`. Text before it that
 * holds only blank lines, comments, `%` directives and `...` belongs to it.
 * Returns false when only such text is left, unless it holds a directive or
 * bytes libyaml would reject: then it is returned with `trailing` set. `simple_breaks` is the
 * result of pg_yaml_split_simple_breaks for the whole input.
 */
bool pg_yaml_split_next(struct pg_yaml_chunk *out, const char *data, size_t len, size_t pos,
                        uint32_t line, bool simple_breaks);

/*
 * True when the only line breaks in `data` are LF and CRLF (no lone CR, NEL,
 * LS or PS): pg_yaml_split_next can then find lines with memchr, and leaves
 * `ascii` for the caller to find out with pg_yaml_split_ascii, when it parses
 * the chunk (a filtered read skips most chunks).
 */
bool pg_yaml_split_simple_breaks(const char *data, size_t len);

/* True when no byte of `data` is above 0x7F. */
bool pg_yaml_split_ascii(const char *data, size_t len);

/*
 * The 1-based line and column (in characters) of byte `offset` of `text`,
 * counting from line `first_line`, column 1. Linear in `offset`: for errors.
 */
void pg_yaml_split_position(uint32_t *line, uint32_t *column, const char *text, size_t offset,
                            uint32_t first_line);

#endif
