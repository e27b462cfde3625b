/* SPDX-License-Identifier: Apache-2.0 */
/* Document boundaries in a partially read stream (see stream.h). */
#include "stream.h"

#include <string.h>

enum pg_doc_format pg_stream_detect_format(const char *data, size_t len)
{
    size_t i = (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) {
        i++;
    }
    return (i < len && (data[i] == '{' || data[i] == '[')) ? PG_FORMAT_JSON : PG_FORMAT_YAML;
}

/*
 * Width of the YAML line break ending at data[i - 1] (so that a line starts at
 * `i`), 0 when there is none: LF, CR, NEL, LS or PS, as libyaml and the
 * reader's splitter count them.
 */
static inline size_t break_before(const char *data, size_t i)
{
    const unsigned char *bytes = (const unsigned char *)data;
    if (i >= 1 && (bytes[i - 1] == '\n' || bytes[i - 1] == '\r')) {
        return 1;
    }
    if (i >= 2 && bytes[i - 2] == 0xC2 && bytes[i - 1] == 0x85) {
        return 2;
    }
    if (i >= 3 && bytes[i - 3] == 0xE2 && bytes[i - 2] == 0x80 &&
        (bytes[i - 1] == 0xA8 || bytes[i - 1] == 0xA9)) {
        return 3;
    }
    return 0;
}

/* A `---` document marker starts at `i` (a line start): followed by a blank or line end. */
static bool is_marker(const char *data, size_t len, size_t i)
{
    const unsigned char *bytes = (const unsigned char *)data;
    size_t left = len - i;
    if (left < 4 || memcmp(data + i, "---", 3) != 0) {
        return false;
    }
    return bytes[i + 3] == ' ' || bytes[i + 3] == '\t' || bytes[i + 3] == '\r' ||
           bytes[i + 3] == '\n' || (left >= 5 && break_before(data, i + 5) == 2) ||
           (left >= 6 && break_before(data, i + 6) == 3);
}

/* A line that starts a YAML document begins at `i`. */
static bool starts_document(const char *data, size_t len, size_t i)
{
    return data[i] == '-' && break_before(data, i) != 0 && is_marker(data, len, i);
}

/* Move a cut before the `%` directive lines that belong to the document after it. */
static size_t before_directives(const char *data, size_t cut)
{
    while (cut > 0) {
        size_t start = cut - break_before(data, cut); /* where the previous line's break is */
        while (start > 0 && break_before(data, start) == 0) {
            start--;
        }
        if (data[start] != '%') {
            break;
        }
        cut = start;
    }
    return cut;
}

static size_t yaml_cut(const char *data, size_t len)
{
    /* Search backwards for "\n---" so the cost is the size of the last document. */
    for (size_t i = len; i-- > 1;) {
        if (starts_document(data, len, i)) {
            return before_directives(data, i);
        }
    }
    return 0;
}

size_t pg_stream_find_first_cut(const char *data, size_t len)
{
    /* The first line is where skipping resumed, inside the document being skipped. */
    for (size_t i = 1; i < len; i++) {
        if (starts_document(data, len, i)) {
            return before_directives(data, i);
        }
    }
    return 0;
}

/* The next `byte` in [from, end), NULL when none: memchr, vectorised by libc. */
static const char *find_byte(const char *from, const char *end, char byte)
{
    return from < end ? memchr(from, byte, (size_t)(end - from)) : NULL;
}

/*
 * Lines ended by the breaks that start with `lead` and are `width` bytes long
 * in data[0, len): break_before decides what a break is, memchr finds the
 * candidates. A CR followed by LF is not counted: CRLF is one break, counted
 * at its LF. Inline, so that each pass is compiled for its constant `lead`
 * and `width` (callgrind: cheaper than a switch on the found byte).
 */
static inline size_t count_breaks(const char *data, size_t len, char lead, size_t width)
{
    size_t count = 0;
    const char *end = data + len;
    for (const char *p = find_byte(data, end, lead); p != NULL; p = find_byte(p + 1, end, lead)) {
        size_t line_start = (size_t)(p - data) + width;
        bool crlf = lead == '\r' && line_start < len && data[line_start] == '\n';
        count += line_start <= len && !crlf && break_before(data, line_start) == width;
    }
    return count;
}

uint32_t pg_stream_count_lines(const char *data, size_t len, enum pg_doc_format format)
{
    /* Parts are up to megabytes: one memchr pass per break byte, not a loop per byte. */
    size_t lines = count_breaks(data, len, '\n', 1);
    if (format != PG_FORMAT_JSON) {
        lines += count_breaks(data, len, '\r', 1) + count_breaks(data, len, '\xC2', 2) +
                 count_breaks(data, len, '\xE2', 3);
    }
    return (uint32_t)lines;
}

/*
 * JSON values are cut after a closing bracket at depth 0, tracking strings
 * and escapes. Malformed input only moves the cut; the reader reports errors.
 */
static size_t json_cut(const char *data, size_t len)
{
    size_t depth = 0;
    size_t cut = 0;
    bool in_string = false;
    bool escaped = false;
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if ((c == '}' || c == ']') && depth > 0) {
            depth--;
            cut = depth == 0 ? i + 1 : cut;
        }
    }
    return cut;
}

size_t pg_stream_find_cut(const char *data, size_t len, enum pg_doc_format format)
{
    return format == PG_FORMAT_JSON ? json_cut(data, len) : yaml_cut(data, len);
}
