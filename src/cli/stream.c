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

/* A `---` document marker starts at `i` (a line start): followed by a blank or line end. */
static bool is_marker(const char *data, size_t len, size_t i)
{
    if (len - i < 4 || memcmp(data + i, "---", 3) != 0) {
        return false;
    }
    return data[i + 3] == ' ' || data[i + 3] == '\t' || data[i + 3] == '\r' || data[i + 3] == '\n';
}

/* Move a cut before the `%` directive lines that belong to the document after it. */
static size_t before_directives(const char *data, size_t cut)
{
    while (cut > 0) {
        size_t start = cut - 1; /* the '\n' ending the previous line */
        while (start > 0 && data[start - 1] != '\n') {
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
        if (data[i - 1] == '\n' && data[i] == '-' && is_marker(data, len, i)) {
            return before_directives(data, i);
        }
    }
    return 0;
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
