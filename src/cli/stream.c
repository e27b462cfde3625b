/* SPDX-License-Identifier: Apache-2.0 */
/* Document boundaries in a partially read stream (see stream.h). */
#include "stream.h"

#include "util/sse2.h"

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

/*
 * Whether a line break starts at data[i] and ends a line, by the reader's
 * rule: LF; CR unless an LF follows (CRLF is counted once, at its LF); NEL
 * (C2 85); LS and PS (E2 80 A8/A9). A break cut off by `len` is not counted,
 * except a final CR, which is a whole break.
 */
static bool break_at(const unsigned char *data, size_t len, size_t i, bool yaml)
{
    unsigned char c = data[i];
    if (c == '\n') {
        return true;
    }
    if (!yaml) {
        return false;
    }
    if (c == '\r') {
        return i + 1 == len || data[i + 1] != '\n';
    }
    if (c == 0xC2) {
        return i + 1 < len && data[i + 1] == 0x85;
    }
    return c == 0xE2 && i + 2 < len && data[i + 1] == 0x80 &&
           (data[i + 2] == 0xA8 || data[i + 2] == 0xA9);
}

static size_t count_bytewise(const unsigned char *data, size_t len, size_t from, bool yaml)
{
    size_t count = 0;
    for (size_t i = from; i < len; i++) {
        count += break_at(data, len, i, yaml);
    }
    return count;
}

#if defined(__SSE2__)
static inline __m128i load16(const unsigned char *bytes)
{
    return _mm_loadu_si128((const __m128i *)(const void *)bytes);
}

/*
 * break_at for the 16 bytes at `bytes` (0xFF where a break starts), given
 * that 2 more bytes can be read: the bytes after each one come from loads at
 * +1 and +2, so a break that straddles two blocks needs no carry between them.
 * At most one of the byte tests holds at a position, so the OR counts each
 * break once.
 */
static inline __m128i yaml_breaks(const unsigned char *bytes)
{
    __m128i at0 = load16(bytes);
    __m128i at1 = load16(bytes + 1);
    __m128i at2 = load16(bytes + 2);
    __m128i lf = _mm_cmpeq_epi8(at0, _mm_set1_epi8('\n'));
    __m128i cr = _mm_andnot_si128(_mm_cmpeq_epi8(at1, _mm_set1_epi8('\n')),
                                  _mm_cmpeq_epi8(at0, _mm_set1_epi8('\r')));
    __m128i nel = _mm_and_si128(_mm_cmpeq_epi8(at0, _mm_set1_epi8((char)0xC2)),
                                _mm_cmpeq_epi8(at1, _mm_set1_epi8((char)0x85)));
    /* A8 and A9 differ only in the low bit. */
    __m128i ls_ps = _mm_and_si128(
        _mm_and_si128(_mm_cmpeq_epi8(at0, _mm_set1_epi8((char)0xE2)),
                      _mm_cmpeq_epi8(at1, _mm_set1_epi8((char)0x80))),
        _mm_cmpeq_epi8(_mm_or_si128(at2, _mm_set1_epi8(1)), _mm_set1_epi8((char)0xA9)));
    return _mm_or_si128(_mm_or_si128(lf, cr), _mm_or_si128(nel, ls_ps));
}

/*
 * Minus the LFs at each position of four 16-byte blocks at `bytes`, added up
 * (so 0 to -4 a byte); *other is set when a byte is a CR or non-ASCII, the
 * only bytes that can start other breaks. Most YAML has neither.
 */
static inline __m128i lf_chunk(const unsigned char *bytes, bool *other)
{
    __m128i lf = _mm_setzero_si128();
    __m128i odd = _mm_setzero_si128();
    for (size_t at = 0; at < 64; at += 16) {
        __m128i block = load16(bytes + at);
        lf = _mm_add_epi8(lf, _mm_cmpeq_epi8(block, _mm_set1_epi8('\n')));
        odd = _mm_or_si128(odd, _mm_or_si128(block, _mm_cmpeq_epi8(block, _mm_set1_epi8('\r'))));
    }
    *other = _mm_movemask_epi8(odd) != 0;
    return lf;
}

/* yaml_breaks of four 16-byte blocks, added up as lf_chunk's (66 bytes readable). */
static inline __m128i yaml_chunk(const unsigned char *bytes)
{
    return _mm_add_epi8(_mm_add_epi8(yaml_breaks(bytes), yaml_breaks(bytes + 16)),
                        _mm_add_epi8(yaml_breaks(bytes + 32), yaml_breaks(bytes + 48)));
}

/*
 * Breaks starting in data[0, *done), 64 bytes at a time, leaving at least 2
 * bytes after the last chunk (for yaml_breaks' look-ahead); *done gets where
 * the chunks stopped. Chunks with only LFs to count take the short path.
 * Matches go into byte counters, at most 4 a round, summed every 63 rounds
 * before one can wrap: cheaper than a popcount per block, which baseline
 * x86-64 lacks.
 */
static size_t count_chunks(const unsigned char *data, size_t len, bool yaml, size_t *done)
{
    __m128i counts = _mm_setzero_si128();
    size_t count = 0;
    size_t at = 0;
    unsigned rounds = 0;
    for (; len - at >= 66; at += 64) {
        bool other = false;
        __m128i found = lf_chunk(data + at, &other);
        if (yaml && other) {
            found = yaml_chunk(data + at);
        }
        counts = _mm_sub_epi8(counts, found);
        if (++rounds == 63) {
            count += pg_sse2_sum_bytes(counts);
            counts = _mm_setzero_si128();
            rounds = 0;
        }
    }
    *done = at;
    return count + pg_sse2_sum_bytes(counts);
}
#endif

uint32_t pg_stream_count_lines(const char *data, size_t len, enum pg_doc_format format)
{
    /* Parts are up to megabytes of lines a few dozen bytes long: a memchr call per line and
       break kind cost more than one pass over 64 bytes at a time for every kind of break. */
    const unsigned char *bytes = (const unsigned char *)data;
    bool yaml = format != PG_FORMAT_JSON;
    size_t lines = 0;
    size_t done = 0;
#if defined(__SSE2__)
    if (len >= 66) {
        lines = count_chunks(bytes, len, yaml, &done);
    }
#endif
    return (uint32_t)(lines + count_bytewise(bytes, len, done, yaml));
}

/* A buffer this large with no value ending a line is cut after any value. */
#define JSON_CUT_ANYWHERE ((size_t)1024 * 1024)

/*
 * JSON values are cut after a closing bracket at depth 0, tracking strings
 * and escapes, and where the next value starts a line: a part's reader
 * counts columns from 1, so a cut inside a line would shift every position
 * after it on that line (text after a value on its line stays with it).
 * Only a long run of values on one line is cut inside it. Malformed input
 * only moves the cut; the reader reports errors.
 */
static size_t json_cut(const char *data, size_t len)
{
    size_t depth = 0;
    size_t cut = 0;
    size_t any_cut = 0;       /* after the last value, wherever it ends */
    bool value_ended = false; /* a value closed, and only white space since on its line */
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
            value_ended = false;
        } else if (c == '{' || c == '[') {
            depth++;
            value_ended = false;
        } else if ((c == '}' || c == ']') && depth > 0) {
            depth--;
            value_ended = depth == 0;
            any_cut = depth == 0 ? i + 1 : any_cut;
        } else if (c == '\n') {
            cut = value_ended ? i + 1 : cut;
            value_ended = false;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            value_ended = false;
        }
    }
    return cut > 0 || len < JSON_CUT_ANYWHERE ? cut : any_cut;
}

size_t pg_stream_find_cut(const char *data, size_t len, enum pg_doc_format format)
{
    return format == PG_FORMAT_JSON ? json_cut(data, len) : yaml_cut(data, len);
}
